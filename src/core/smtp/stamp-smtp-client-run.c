/* stamp-smtp-client-run.c
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session: one send or probe, a blocking run in a worker thread, step
 * by step on top of the wire helpers of stamp-smtp-client-io.c. It reports
 * through its event function and knows nothing of StampSmtpClient. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-net.h"
#include "stamp-util.h"

/* "192.0.2.1 port 587": where the connection really went. */
static char *
describe_peer (SendState *state)
{
  GSocket *socket = stamp_smtp_line_get_socket (state->line);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autofree char *where = NULL;

  if (remote == NULL)
    where = g_strdup (state->host);
  else
    where = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  return g_strdup_printf (_("%s port %u"), where, state->port);
}

static gboolean
run_connect (SendState     *state,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *detail = NULL;
  GError *local_error = NULL;
  GList *addresses;

  _stamp_send_step_begin (state, STAMP_SMTP_STEP_RESOLVE);
  addresses = _stamp_send_resolve (state, cancellable, &local_error);
  if (addresses == NULL)
    return _stamp_send_fail (state, STAMP_SMTP_STEP_RESOLVE, NULL, local_error, error);

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *address = g_inet_address_to_string (l->data);

      g_string_append_printf (found, "%s%s", found->len > 0 ? ", " : "", address);
    }
  _stamp_send_step_end (state, STAMP_SMTP_STEP_RESOLVE, STAMP_STEP_SUCCEEDED, found->str);

  _stamp_send_step_begin (state, STAMP_SMTP_STEP_CONNECT);
  state->line = _stamp_send_connect (state, addresses, cancellable, &local_error);
  g_resolver_free_addresses (addresses);
  if (state->line == NULL)
    return _stamp_send_fail (state, STAMP_SMTP_STEP_CONNECT, NULL, local_error, error);

  detail = describe_peer (state);
  _stamp_send_step_end (state, STAMP_SMTP_STEP_CONNECT, STAMP_STEP_SUCCEEDED, detail);

  return TRUE;
}

static void
post_tls_details (SendState       *state,
                  StampTlsSession *tls)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  event->type = SEND_EVENT_TLS;
  event->tls_version = g_strdup (stamp_tls_session_get_version (tls));
  event->tls_cipher = state->cipher_known ? g_strdup (stamp_tls_session_get_cipher (tls)) : NULL;
  event->certificates = g_strdupv ((GStrv) stamp_tls_session_get_certificates (tls));
  _stamp_smtp_client_post (state, event);
}

static gboolean
run_tls_handshake (SendState     *state,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(StampTlsSession) tls = NULL;
  g_autofree char *detail = NULL;
  GError *local_error = NULL;

  _stamp_send_step_begin (state, STAMP_SMTP_STEP_TLS_HANDSHAKE);

  tls = stamp_tls_session_new (state->host, stamp_smtp_settings_get_ca_file (state->settings),
                               stamp_smtp_settings_get_tls_min_version (state->settings),
                               STAMP_TLS_VERSION_1_3, &local_error);
  if (tls == NULL)
    return _stamp_send_fail (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, local_error, error);

  /* After STARTTLS, this also refuses what came after the 220 in plain text. */
  if (!stamp_smtp_line_start_tls (state->line, tls,
                                  stamp_deadline_from_now (state->reply_timeout),
                                  cancellable, &local_error))
    return _stamp_send_fail (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, local_error, error);

  state->cipher_known = g_strcmp0 (stamp_tls_session_get_cipher (tls), "NULL") != 0;
  post_tls_details (state, tls);

  detail = state->cipher_known
           ? g_strdup_printf ("%s, %s", stamp_tls_session_get_version (tls),
                              stamp_tls_session_get_cipher (tls))
           : g_strdup (stamp_tls_session_get_version (tls));
  _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, detail);
  for (const char * const *c = stamp_tls_session_get_certificates (tls); c != NULL && *c; c++)
    _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, *c);

  _stamp_send_step_end (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, STAMP_STEP_SUCCEEDED, detail);

  return TRUE;
}

/* RFC 5321 §4.1.4: EHLO names this client by its domain, or by an address
 * literal when it has no fully qualified name. */
static char *
dup_ehlo_name (SendState *state)
{
  const char *host_name = g_get_host_name ();

  if (stamp_smtp_settings_get_ehlo_name (state->settings) != NULL)
    return g_strdup (stamp_smtp_settings_get_ehlo_name (state->settings));

  if (strchr (host_name, '.') != NULL && !g_hostname_is_ip_address (host_name))
    return g_strdup (host_name);

  return stamp_smtp_line_dup_address_literal (state->line);
}

static gboolean
run_ehlo (SendState     *state,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autofree char *name = dup_ehlo_name (state);
  g_autofree char *wire = g_strdup_printf ("EHLO %s", name);
  SendCommand command = { STAMP_SMTP_STEP_EHLO, 250, wire, NULL, NULL, FALSE, FALSE, NULL };
  StampTlsSession *tls = stamp_smtp_line_get_tls (state->line);

  /* RFC 3207 §4.2: after STARTTLS, forget everything learned before it. */
  g_clear_pointer (&state->capabilities, g_hash_table_unref);

  if (!_stamp_send_exchange (state, &command, 1, FALSE, &reply, cancellable, error))
    return FALSE;

  state->capabilities = stamp_smtp_reply_parse_capabilities (reply);

  /* With TLS 1.2 False Start the cipher is known only once TLS has read a
   * record, such as this reply. */
  if (tls != NULL && !state->cipher_known
      && g_strcmp0 (stamp_tls_session_get_cipher (tls), "NULL") != 0)
    {
      g_autofree char *line = g_strdup_printf ("%s, %s", stamp_tls_session_get_version (tls),
                                               stamp_tls_session_get_cipher (tls));

      state->cipher_known = TRUE;
      post_tls_details (state, tls);
      _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, line);
    }

  return TRUE;
}

static gboolean
run_starttls (SendState     *state,
              GCancellable  *cancellable,
              GError       **error)
{
  SendCommand command = { STAMP_SMTP_STEP_STARTTLS, 220, "STARTTLS", NULL, NULL, FALSE, FALSE,
                          NULL };

  if (_stamp_send_capability (state, "STARTTLS") == NULL)
    {
      _stamp_send_step_begin (state, STAMP_SMTP_STEP_STARTTLS);
      return _stamp_send_fail (state, STAMP_SMTP_STEP_STARTTLS, NULL,
                               g_error_new (STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED,
                                            _("%s does not offer STARTTLS on port %u, so the "
                                              "connection cannot be encrypted. Stamp stopped "
                                              "before sending any password or token."),
                                            state->host, state->port),
                               error);
    }

  if (!_stamp_send_exchange (state, &command, 1, FALSE, NULL, cancellable, error))
    return FALSE;

  state->auth_offered_in_plain = _stamp_send_capability (state, "AUTH") != NULL;

  return run_tls_handshake (state, cancellable, error) && run_ehlo (state, cancellable, error);
}

gboolean
_stamp_send_fail_before_mail (SendState          *state,
                              int                 code,
                              const char         *message,
                              GError            **error)
{
  _stamp_send_step_begin (state, STAMP_SMTP_STEP_MAIL);
  return _stamp_send_fail (state, STAMP_SMTP_STEP_MAIL, NULL,
                           g_error_new_literal (STAMP_ERROR, code, message), error);
}

/* MAIL, RCPT and the message. With PIPELINING the envelope and DATA go as
 * one group (RFC 2920), opened by AUTH when _stamp_send_run_auth() left it here;
 * with CHUNKING too, the message itself and QUIT join it as "BDAT n LAST"
 * (RFC 3030), so sign-in and the whole transaction take one round trip.
 * The test send and the relay's deliveries both come through here. */
gboolean
_stamp_send_transaction (SendState           *state,
                         const SendEnvelope  *envelope,
                         StampSmtpReply     **accepted,
                         GCancellable        *cancellable,
                         GError             **error)
{
  g_autoptr(GArray) commands = g_array_new (FALSE, TRUE, sizeof (SendCommand));
  g_autoptr(GPtrArray) wires = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) mail = NULL;
  g_autofree char *size_limit_text = NULL;
  gboolean pipelining = _stamp_send_capability (state, "PIPELINING") != NULL;
  gboolean chunking = pipelining && envelope->quit_after &&
                      _stamp_send_capability (state, "CHUNKING") != NULL;
  gboolean eight_bit = _stamp_send_capability (state, "8BITMIME") != NULL;
  const char *size_param = _stamp_send_capability (state, "SIZE");
  guint64 size_limit = size_param != NULL ? g_ascii_strtoull (size_param, NULL, 10) : 0;
  gsize size = g_bytes_get_size (envelope->payload);
  guint n_recipients = g_strv_length ((char **) envelope->recipients);
  guint first_rcpt;
  guint data_index;
  gboolean ok;

  /* RFC 1870: say the size up front, and do not send what will be refused. */
  if (size_limit > 0 && size > size_limit)
    {
      g_autofree char *size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
      g_autofree char *limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size_limit);

      size_limit_text = g_strdup_printf (_("The message is %s bytes; the server takes at most %s"),
                                         size_text, limit_text);
      return _stamp_send_fail_before_mail (state, STAMP_ERROR_MESSAGE_TOO_LARGE, size_limit_text,
                                           error);
    }

  mail = g_string_new (NULL);
  g_string_printf (mail, "MAIL FROM:<%s>", envelope->from);
  if (size_param != NULL)
    g_string_append_printf (mail, " SIZE=%zu", size);
  if (eight_bit && envelope->body_8bit)
    g_string_append (mail, " BODY=8BITMIME");
  if (envelope->smtputf8)
    g_string_append (mail, " SMTPUTF8");

  if (state->pipelined_auth != NULL)
    {
      SendCommand auth = { STAMP_SMTP_STEP_AUTH, 235, state->pipelined_auth,
                           state->pipelined_auth_shown, NULL, FALSE, FALSE, NULL };

      g_array_append_val (commands, auth);
    }
  {
    SendCommand command = { STAMP_SMTP_STEP_MAIL, 250, mail->str, NULL, NULL, FALSE, FALSE, NULL };

    g_array_append_val (commands, command);
  }
  first_rcpt = commands->len;
  for (guint i = 0; i < n_recipients; i++)
    {
      char *rcpt = g_strdup_printf ("RCPT TO:<%s>", envelope->recipients[i]);
      /* With replies asked for, each recipient's refusal is the caller's
       * to judge, and the message goes to the others. */
      SendCommand command = { STAMP_SMTP_STEP_RCPT, envelope->rcpt_replies != NULL ? 0 : 250,
                              rcpt, NULL, NULL, FALSE, FALSE, NULL };

      g_ptr_array_add (wires, rcpt);
      g_array_append_val (commands, command);
    }

  if (chunking)
    {
      char *bdat = g_strdup_printf ("BDAT %zu LAST", size);
      SendCommand content[] = {
        { STAMP_SMTP_STEP_ACCEPTED, 250, bdat, NULL, envelope->payload, FALSE, FALSE, NULL },
        { STAMP_SMTP_STEP_ACCEPTED, 221, "QUIT", NULL, NULL, TRUE, FALSE, NULL },
      };

      g_ptr_array_add (wires, bdat);
      g_array_append_vals (commands, content, G_N_ELEMENTS (content));
      data_index = commands->len;
      state->in_sync = FALSE;
      state->quit_sent = TRUE;
    }
  else
    {
      SendCommand data = { STAMP_SMTP_STEP_DATA, 354, "DATA", NULL, NULL, FALSE, FALSE, NULL };

      g_array_append_val (commands, data);
      data_index = commands->len - 1;
    }

  if (envelope->rcpt_replies != NULL)
    g_ptr_array_set_size (envelope->rcpt_replies, n_recipients);
  for (guint i = 0; envelope->rcpt_replies != NULL && i < n_recipients; i++)
    g_array_index (commands, SendCommand, first_rcpt + i).reply_out =
      (StampSmtpReply **) &g_ptr_array_index (envelope->rcpt_replies, i);

  ok = _stamp_send_exchange (state, (SendCommand *) commands->data,
                             chunking ? commands->len : data_index + 1,
                             pipelining, chunking ? accepted : NULL, cancellable, error);
  if (!ok)
    return state->refused_auth != NULL ? _stamp_send_judge_pipelined_auth (state, error) : FALSE;
  if (chunking)
    return TRUE;

  {
    /* RFC 2920 §3.1: the message may open a group, so QUIT can follow it. */
    SendCommand content[] = {
      { STAMP_SMTP_STEP_ACCEPTED, 250, NULL, NULL, envelope->payload, FALSE, FALSE, NULL },
      { STAMP_SMTP_STEP_ACCEPTED, 221, "QUIT", NULL, NULL, TRUE, FALSE, NULL },
    };

    /* Without QUIT after it, the session stays in step for the next
     * message unless the network failed. */
    if (envelope->quit_after)
      state->in_sync = FALSE;
    return _stamp_send_exchange (state, content, pipelining && envelope->quit_after ? 2 : 1,
                                 pipelining, accepted, cancellable, error);
  }
}

/* The test message's transaction: rendered for what the server offers. */
static gboolean
run_transaction (SendState       *state,
                 StampSmtpReply **accepted,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *from = stamp_message_dup_envelope_from (state->message);
  g_autofree char *to = stamp_message_dup_envelope_to (state->message);
  const char *recipients[] = { to, NULL };
  gboolean eight_bit = _stamp_send_capability (state, "8BITMIME") != NULL;
  SendEnvelope envelope = { 0, };

  if (stamp_message_needs_smtputf8 (state->message)
      && _stamp_send_capability (state, "SMTPUTF8") == NULL)
    return _stamp_send_fail_before_mail (state, STAMP_ERROR_SMTPUTF8_UNSUPPORTED,
                                         _("An address has non-ASCII characters before the “@”, "
                                           "and this server does not offer SMTPUTF8 to carry "
                                           "them"),
                                         error);

  payload = stamp_message_render (state->message, eight_bit, error);
  if (payload == NULL)
    return FALSE;

  envelope.from = from;
  envelope.recipients = recipients;
  envelope.payload = payload;
  envelope.body_8bit = stamp_message_has_8bit_body (state->message);
  envelope.smtputf8 = stamp_message_needs_smtputf8 (state->message);
  envelope.quit_after = TRUE;

  return _stamp_send_transaction (state, &envelope, accepted, cancellable, error);
}

/* A polite goodbye after a refusal; the result is already known, so wait
 * only briefly and ignore what comes. */
void
_stamp_send_quit_quietly (SendState    *state,
                          GCancellable *cancellable)
{
  g_autoptr(StampSmtpReply) reply = NULL;

  if (!state->in_sync || g_cancellable_is_cancelled (cancellable))
    return;

  reply = stamp_smtp_line_command (state->line, "QUIT",
                                   stamp_deadline_from_now (STAMP_SMTP_QUIT_TIMEOUT),
                                   cancellable, NULL);
}

/* Connect, TLS as configured, greeting, EHLO, STARTTLS and EHLO again:
 * everything before the sign-in, for a send, a probe or a delivery. */
gboolean
_stamp_send_open (SendState     *state,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SendCommand greeting = { STAMP_SMTP_STEP_GREETING, 220, NULL, NULL, NULL, FALSE, FALSE, NULL };
  StampSecurity security = stamp_smtp_settings_get_security (state->settings);

  if (!run_connect (state, cancellable, error))
    return FALSE;

  if (security == STAMP_SECURITY_TLS && !run_tls_handshake (state, cancellable, error))
    return FALSE;

  state->in_sync = TRUE;

  if (!_stamp_send_exchange (state, &greeting, 1, FALSE, NULL, cancellable, error))
    return FALSE;

  if (!run_ehlo (state, cancellable, error))
    return FALSE;

  return security != STAMP_SECURITY_STARTTLS || run_starttls (state, cancellable, error);
}

static gboolean
run_session_once (SendState       *state,
                  StampSmtpReply **accepted,
                  GCancellable    *cancellable,
                  GError         **error)
{
  if (!_stamp_send_open (state, cancellable, error))
    return FALSE;

  /* A probe stops here: it knows what the server offers. */
  if (state->message == NULL)
    return TRUE;

  return _stamp_send_run_auth (state, cancellable, error) &&
         run_transaction (state, accepted, cancellable, error);
}

/* One session, and the second try that a refused AUTH line asks for: on
 * the same connection when it is still in step (no QUIT went out), else on
 * a new one. */
static gboolean
run_session (SendState       *state,
             StampSmtpReply **accepted,
             GCancellable    *cancellable,
             GError         **error)
{
  if (run_session_once (state, accepted, cancellable, error))
    return TRUE;

  if (!state->retry_auth)
    return FALSE;

  state->retry_auth = FALSE;
  stamp_clear_secret (&state->pipelined_auth);
  g_clear_pointer (&state->pipelined_auth_shown, g_free);

  if (!state->quit_sent && state->in_sync)
    return _stamp_send_run_auth (state, cancellable, error) &&
           run_transaction (state, accepted, cancellable, error);

  state->earlier_round_trips += stamp_smtp_line_get_round_trips (state->line);
  stamp_smtp_line_close (state->line);
  g_clear_object (&state->line);
  g_clear_pointer (&state->capabilities, g_hash_table_unref);
  state->cipher_known = FALSE;
  state->auth_offered_in_plain = FALSE;
  state->quit_sent = FALSE;

  return run_session_once (state, accepted, cancellable, error);
}

void
_stamp_send_event_free (SendEvent *event)
{
  g_clear_object (&event->reply);
  g_clear_pointer (&event->text, g_free);
  g_clear_pointer (&event->tls_version, g_free);
  g_clear_pointer (&event->tls_cipher, g_free);
  g_clear_pointer (&event->certificates, g_strfreev);
  g_free (event);
}

/* Hands @event to the session's event function. The wire helpers call it
 * by this name. */
void
_stamp_smtp_client_post (SendState *state,
                         SendEvent *event)
{
  state->event_func (event, state->event_data);
}

/*
 * _stamp_send_state_new:
 * @settings: where and how to send; copied
 * @secret: (nullable): the password or token
 * @secret_is_token: whether @secret is an OAuth token
 * @message: (nullable): the message, or %NULL for a probe
 * @event_func: called in the session's thread with each event
 * @event_data: data for @event_func
 * @event_data_free: frees @event_data with the session
 *
 * Returns: (transfer full): a session, for _stamp_send_run()
 */
SendState *
_stamp_send_state_new (const StampSmtpSettings *settings,
                       const char              *secret,
                       gboolean                 secret_is_token,
                       StampMessage            *message,
                       SendEventFunc            event_func,
                       gpointer                 event_data,
                       GDestroyNotify           event_data_free)
{
  SendState *state = g_new0 (SendState, 1);
  const char *username = stamp_smtp_settings_get_username (settings);

  state->settings = stamp_smtp_settings_copy (settings);
  state->username = g_strdup (username != NULL ? username
                              : message != NULL ? stamp_message_get_from (message) : NULL);
  state->secret = g_strdup (secret);
  state->secret_is_token = secret_is_token;
  state->message = message != NULL ? g_object_ref (message) : NULL;
  state->event_func = event_func;
  state->event_data = event_data;
  state->event_data_free = event_data_free;

  state->host = g_strdup (stamp_smtp_settings_get_host (settings));
  state->port = stamp_smtp_settings_get_port (settings);
  state->connect_timeout = stamp_smtp_settings_get_connect_timeout (settings);
  state->reply_timeout = stamp_smtp_settings_get_reply_timeout (settings);

  return state;
}

void
_stamp_send_state_free (SendState *state)
{
  if (state->event_data_free != NULL)
    state->event_data_free (state->event_data);
  g_clear_pointer (&state->settings, stamp_smtp_settings_free);
  g_clear_pointer (&state->username, g_free);
  stamp_clear_secret (&state->secret);
  g_clear_object (&state->message);
  g_clear_pointer (&state->host, g_free);
  g_clear_object (&state->line);
  g_clear_pointer (&state->capabilities, g_hash_table_unref);
  g_clear_pointer (&state->hidden, g_ptr_array_unref);
  stamp_clear_secret (&state->pipelined_auth);
  g_clear_pointer (&state->pipelined_auth_shown, g_free);
  g_clear_object (&state->refused_auth);
  g_clear_object (&state->after_refused_auth);
  g_free (state);
}

/*
 * _stamp_send_run:
 * @state: a session that has not run yet
 * @accepted: (out) (optional): the reply accepting the message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the session, blocking, and ends with a DONE event. A probe (no
 * message) leaves the server's capabilities in @state.
 *
 * Returns: %TRUE when the message was accepted, or the probe got through
 */
gboolean
_stamp_send_run (SendState       *state,
                 StampSmtpReply **accepted,
                 GCancellable    *cancellable,
                 GError         **error)
{
  SendEvent *done;
  gboolean ok;

  state->start_time = g_get_monotonic_time ();
  _stamp_send_remember_hidden (state, state->secret);

  ok = run_session (state, accepted, cancellable, error);
  if (accepted != NULL && *accepted != NULL)
    {
      StampSmtpReply *hidden = _stamp_send_hide_secrets_in_reply (state, *accepted);

      g_object_unref (*accepted);
      *accepted = hidden;
    }
  if (!ok || state->message == NULL)
    _stamp_send_quit_quietly (state, cancellable);

  if (state->line != NULL)
    stamp_smtp_line_close (state->line);

  done = g_new0 (SendEvent, 1);
  done->type = SEND_EVENT_DONE;
  done->time = _stamp_send_elapsed (state);
  done->round_trips = state->earlier_round_trips +
                      (state->line != NULL ? stamp_smtp_line_get_round_trips (state->line) : 0);
  _stamp_smtp_client_post (state, done);

  return ok;
}

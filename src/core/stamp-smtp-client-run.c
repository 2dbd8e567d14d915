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

/* The protocol side of StampSmtpClient: one send, run in a worker thread.
 * Every wait has a deadline and watches the cancellable; everything the
 * user should see goes back to the main context as a SendEvent. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

/* RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF;
 * RFC 4954 §4 sends an initial response only when the line fits. */
#define SMTP_COMMAND_MAX 512
#define READ_CHUNK       4096
/* QUIT is a courtesy once the result is known: wait for 221 only briefly. */
#define QUIT_TIMEOUT     2
#define HIDDEN_TEXT      "[hidden]"

/* One command of an exchange, and the reply that completes its step. */
typedef struct
{
  StampSmtpStepKind  kind;
  int                expected;
  const char        *wire;
  const char        *shown;
  GBytes            *payload;
  gboolean           is_quit;
  /* Part of a step the caller begins and ends itself (AUTH) */
  gboolean           quiet;
} Command;

static gint64
elapsed (SendState *state)
{
  return g_get_monotonic_time () - state->start_time;
}

/* The last line of defence: whatever a line holds, no secret and no base64
 * form of one that this session produced survives into the transcript.
 * Lines with secrets are already written redacted where they are built. */
static char *
hide_secrets (SendState  *state,
              const char *text)
{
  g_autoptr(GString) result = g_string_new (text);

  for (guint i = 0; state->hidden != NULL && i < state->hidden->len; i++)
    g_string_replace (result, g_ptr_array_index (state->hidden, i), HIDDEN_TEXT, 0);

  return g_string_free (g_steal_pointer (&result), FALSE);
}

static void
remember_hidden (SendState  *state,
                 const char *secret)
{
  /* Very short strings would blank out ordinary text; they are still
   * redacted where they are written. */
  if (secret == NULL || strlen (secret) < 4)
    return;

  if (state->hidden == NULL)
    state->hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) stamp_secret_free);

  g_ptr_array_add (state->hidden, g_strdup (secret));
}

static void
post_line (SendState                *state,
           StampTranscriptDirection  direction,
           const char               *text)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  event->type = SEND_EVENT_LINE;
  event->direction = direction;
  event->time = elapsed (state);
  event->text = hide_secrets (state, text);
  _stamp_smtp_client_post (state, event);
}

static void
step_begin (SendState         *state,
            StampSmtpStepKind  kind)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  state->step_start[kind] = g_get_monotonic_time ();
  event->type = SEND_EVENT_STEP_BEGIN;
  event->kind = kind;
  _stamp_smtp_client_post (state, event);
}

static void
step_end (SendState         *state,
          StampSmtpStepKind  kind,
          StampStepState     step_state,
          const char        *detail)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  event->type = SEND_EVENT_STEP_END;
  event->kind = kind;
  event->state = step_state;
  event->time = g_get_monotonic_time () - state->step_start[kind];
  event->text = detail != NULL ? hide_secrets (state, detail) : NULL;
  _stamp_smtp_client_post (state, event);
}

static void
step_succeed_with_reply (SendState         *state,
                         StampSmtpStepKind  kind,
                         StampSmtpReply    *reply)
{
  g_autofree char *text = stamp_smtp_reply_to_string (reply);

  step_end (state, kind, STAMP_STEP_SUCCEEDED, text);
}

/* Ends @kind as failed with @local_error, worded for the step, and hands
 * the error on. Always returns %FALSE. */
static gboolean
fail_step (SendState          *state,
           StampSmtpStepKind   kind,
           StampSmtpReply     *reply,
           GError             *local_error,
           GError            **error)
{
  const char *step = stamp_smtp_step_kind_to_string (kind);

  if (g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
    {
      g_clear_error (&local_error);
      local_error = g_error_new (STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                                 /* Translators: %s is a step such as "Server greeting" */
                                 _("The server did not answer within %u seconds (step: %s)"),
                                 kind <= STAMP_SMTP_STEP_CONNECT ? state->connect_timeout
                                                                 : state->reply_timeout,
                                 step);
    }
  else if (g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED))
    {
      g_clear_error (&local_error);
      local_error = g_error_new (STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                                 _("The server closed the connection unexpectedly (step: %s)"),
                                 step);
    }

  if (reply == NULL)
    state->in_sync = FALSE;

  step_end (state, kind, STAMP_STEP_FAILED, local_error->message);

  if (reply != NULL)
    {
      SendEvent *event = g_new0 (SendEvent, 1);

      event->type = SEND_EVENT_FAILURE;
      event->reply = g_object_ref (reply);
      _stamp_smtp_client_post (state, event);
    }

  g_propagate_error (error, local_error);
  return FALSE;
}

/* What a refusal at @kind means, as a #StampError code and a lead-in. */
static int
classify_reply (StampSmtpStepKind   kind,
                StampSmtpReply     *reply,
                const char        **lead)
{
  int code = stamp_smtp_reply_get_code (reply);
  const char *enhanced = stamp_smtp_reply_get_enhanced_code (reply);

  if (kind == STAMP_SMTP_STEP_STARTTLS)
    {
      *lead = _("The server refused to start encryption");
      return STAMP_ERROR_STARTTLS_FAILED;
    }

  if (stamp_smtp_reply_is_transient (reply))
    {
      *lead = _("The server is busy or limiting this sender; try again later");
      return STAMP_ERROR_THROTTLED;
    }

  if (code == 530 || g_strcmp0 (enhanced, "5.7.57") == 0 ||
      (kind >= STAMP_SMTP_STEP_MAIL && g_strcmp0 (enhanced, "5.7.0") == 0 && code != 550))
    {
      *lead = _("The server wants a sign-in before it takes mail");
      return STAMP_ERROR_AUTH_REQUIRED;
    }

  if (code == 552 || g_strcmp0 (enhanced, "5.3.4") == 0)
    {
      *lead = _("The message is larger than the server takes");
      return STAMP_ERROR_MESSAGE_TOO_LARGE;
    }

  switch (kind)
    {
    case STAMP_SMTP_STEP_AUTH:
      if (enhanced != NULL && g_str_has_prefix (enhanced, "5.7.139"))
        {
          *lead = _("The server does not allow SMTP sign-in for this mailbox");
          return STAMP_ERROR_AUTH_DISABLED;
        }
      if (code == 504 || g_strcmp0 (enhanced, "5.5.4") == 0)
        {
          *lead = _("The server does not support this sign-in method");
          return STAMP_ERROR_AUTH_UNSUPPORTED;
        }
      *lead = _("The server did not accept the sign-in");
      return STAMP_ERROR_AUTH_FAILED;

    case STAMP_SMTP_STEP_MAIL:
      *lead = _("The server refused the sender address");
      return STAMP_ERROR_SENDER_REJECTED;

    case STAMP_SMTP_STEP_RCPT:
      *lead = _("The server refused the recipient");
      return STAMP_ERROR_RECIPIENT_REJECTED;

    case STAMP_SMTP_STEP_DATA:
    case STAMP_SMTP_STEP_ACCEPTED:
      *lead = _("The server refused the message");
      return STAMP_ERROR_MESSAGE_REJECTED;

    case STAMP_SMTP_STEP_RESOLVE:
    case STAMP_SMTP_STEP_CONNECT:
    case STAMP_SMTP_STEP_GREETING:
    case STAMP_SMTP_STEP_EHLO:
    case STAMP_SMTP_STEP_STARTTLS:
    case STAMP_SMTP_STEP_TLS_HANDSHAKE:
    default:
      *lead = _("The server refused the session");
      return STAMP_ERROR_SERVER_UNAVAILABLE;
    }
}

static gboolean
fail_step_with_reply (SendState          *state,
                      StampSmtpStepKind   kind,
                      StampSmtpReply     *reply,
                      GError            **error)
{
  g_autofree char *text = stamp_smtp_reply_to_string (reply);
  const char *lead = NULL;
  int code = classify_reply (kind, reply, &lead);

  return fail_step (state, kind, reply,
                    g_error_new (STAMP_ERROR, code, "%s: %s", lead, text), error);
}

static gboolean
send_raw (SendState     *state,
          const char    *data,
          gsize          len,
          gint64         deadline,
          GCancellable  *cancellable,
          GError       **error)
{
  if (!state->wrote_since_read)
    {
      state->round_trips++;
      state->wrote_since_read = TRUE;
    }

  if (state->tls != NULL)
    return stamp_tls_session_send_all (state->tls, data, len, deadline, cancellable, error);

  return stamp_socket_send_all (state->socket, data, len, deadline, cancellable, error);
}

static gboolean
fill_input (SendState     *state,
            gint64         deadline,
            GCancellable  *cancellable,
            GError       **error)
{
  char buffer[READ_CHUNK];
  gssize received;

  if (state->tls != NULL)
    received = stamp_tls_session_receive (state->tls, buffer, sizeof buffer, deadline,
                                          cancellable, error);
  else
    received = stamp_socket_receive (state->socket, buffer, sizeof buffer, deadline,
                                     cancellable, error);

  if (received < 0)
    return FALSE;

  if (received == 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                   _("The server closed the connection"));
      return FALSE;
    }

  state->wrote_since_read = FALSE;
  g_byte_array_append (state->input, (const guint8 *) buffer, received);

  return TRUE;
}

static char *
read_line (SendState     *state,
           gint64         deadline,
           GCancellable  *cancellable,
           GError       **error)
{
  for (;;)
    {
      const guint8 *newline = state->input->len > 0
                              ? memchr (state->input->data, '\n', state->input->len)
                              : NULL;

      if (newline != NULL)
        {
          gsize len = newline - state->input->data;
          char *line;

          if (len > STAMP_SMTP_REPLY_MAX_LINE)
            break;

          line = g_strndup ((const char *) state->input->data,
                            len > 0 && newline[-1] == '\r' ? len - 1 : len);
          g_byte_array_remove_range (state->input, 0, len + 1);

          return line;
        }

      if (state->input->len > STAMP_SMTP_REPLY_MAX_LINE)
        break;

      if (!fill_input (state, deadline, cancellable, error))
        return NULL;
    }

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
               _("The server sent a reply line longer than %d characters"),
               STAMP_SMTP_REPLY_MAX_LINE);
  return NULL;
}

static StampSmtpReply *
read_reply (SendState     *state,
            guint          timeout,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  gint64 deadline = stamp_deadline_from_now (timeout);

  for (;;)
    {
      g_autofree char *line = read_line (state, deadline, cancellable, error);
      gboolean is_last;
      int code;

      if (line == NULL)
        return NULL;

      post_line (state, STAMP_TRANSCRIPT_SERVER, line);

      if (!stamp_smtp_reply_line_parse (line, &code, &is_last, error))
        return NULL;

      g_ptr_array_add (lines, g_steal_pointer (&line));

      if (is_last)
        break;

      if (lines->len >= STAMP_SMTP_REPLY_MAX_LINES)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The server sent a reply of more than %d lines"),
                       STAMP_SMTP_REPLY_MAX_LINES);
          return NULL;
        }
    }

  return stamp_smtp_reply_new_from_lines ((const char * const *) lines->pdata, error);
}

/* Appends @payload dot-stuffed (RFC 5321 §4.5.2) and the end-of-data line. */
static void
append_dot_stuffed (GString *out,
                    GBytes  *payload)
{
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);
  gboolean line_start = TRUE;

  for (gsize i = 0; i < len; i++)
    {
      if (line_start && data[i] == '.')
        g_string_append_c (out, '.');
      g_string_append_c (out, data[i]);
      line_start = data[i] == '\n';
    }

  g_string_append (out, ".\r\n");
}

/* Sends @commands, all at once when @pipelined (RFC 2920), otherwise one at
 * a time, and reads their replies. Each step ends with its own reply; the
 * first refusal or failure ends the exchange with an error, after every
 * reply already asked for has been read, so the session stays in step. A
 * command expecting 0 takes any reply, for the caller to judge; the last
 * reply goes to @last_reply. */
static gboolean
exchange (SendState      *state,
          Command        *commands,
          guint           n_commands,
          gboolean        pipelined,
          StampSmtpReply **last_reply,
          GCancellable   *cancellable,
          GError        **error)
{
  guint sent = 0;

  for (guint done = 0; done < n_commands; done++)
    {
      g_autoptr(StampSmtpReply) reply = NULL;
      GError *local_error = NULL;
      Command *command = &commands[done];
      guint timeout = command->is_quit ? QUIT_TIMEOUT : state->reply_timeout;

      if (sent == done)
        {
          g_autoptr(GString) group = g_string_new (NULL);
          guint last = pipelined ? n_commands : done + 1;
          gboolean ok;

          for (; sent < last; sent++)
            {
              Command *c = &commands[sent];

              if (!c->is_quit && !c->quiet)
                step_begin (state, c->kind);

              if (c->wire != NULL)
                {
                  post_line (state, STAMP_TRANSCRIPT_CLIENT, c->shown != NULL ? c->shown : c->wire);
                  g_string_append_printf (group, "%s\r\n", c->wire);
                }

              if (c->payload != NULL)
                {
                  g_autofree char *note =
                    g_strdup_printf (_("(the message: %zu bytes, not shown)"),
                                     g_bytes_get_size (c->payload));

                  post_line (state, STAMP_TRANSCRIPT_INFO, note);
                  if (c->wire != NULL)
                    g_string_append_len (group, g_bytes_get_data (c->payload, NULL),
                                         g_bytes_get_size (c->payload));
                  else
                    append_dot_stuffed (group, c->payload);
                }
            }

          /* The greeting is a reply to nothing: there is nothing to send. */
          ok = group->len == 0 ||
               send_raw (state, group->str, group->len, stamp_deadline_from_now (timeout),
                         cancellable, &local_error);
          /* The group may hold a credential. */
          explicit_bzero (group->str, group->len);
          if (!ok)
            return fail_step (state, command->kind, NULL, local_error, error);
        }

      reply = read_reply (state, timeout, cancellable, &local_error);

      if (command->is_quit)
        {
          g_clear_error (&local_error);
          continue;
        }

      if (reply == NULL)
        return fail_step (state, command->kind, NULL, local_error, error);

      if (command->expected != 0 && stamp_smtp_reply_get_code (reply) != command->expected)
        {
          /* Read what was already asked for, to keep the session in step
           * for QUIT; the first refusal is the one to report. */
          for (guint i = done + 1; i < sent && state->in_sync; i++)
            {
              g_autoptr(StampSmtpReply) ignored = read_reply (state, QUIT_TIMEOUT, cancellable, NULL);

              /* A careless server may open DATA even so; then QUIT would be content. */
              state->in_sync = ignored != NULL && stamp_smtp_reply_get_code (ignored) != 354;
            }

          return fail_step_with_reply (state, command->kind, reply, error);
        }

      if (!command->quiet)
        step_succeed_with_reply (state, command->kind, reply);

      if (last_reply != NULL)
        g_set_object (last_reply, reply);
    }

  return TRUE;
}

typedef struct
{
  GList   *addresses;
  GError  *error;
  gboolean done;
} LookupResult;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupResult *lookup = user_data;

  lookup->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result,
                                                        &lookup->error);
  lookup->done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *other)
{
  g_cancellable_cancel (other);
}

/* GResolver has no deadline of its own: run the lookup on a private main
 * context with a timer that cancels it. */
static GList *
resolve (SendState     *state,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GCancellable) lookup_cancellable = g_cancellable_new ();
  g_autoptr(GSource) timer = g_timeout_source_new_seconds (state->connect_timeout);
  LookupResult lookup = { NULL, NULL, FALSE };
  gulong handler = 0;

  g_main_context_push_thread_default (context);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                     lookup_cancellable, NULL);
  g_source_set_callback (timer, cancel_cb, lookup_cancellable, NULL);
  g_source_attach (timer, context);

  g_resolver_lookup_by_name_async (resolver, state->host, lookup_cancellable, lookup_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timer);
  g_cancellable_disconnect (cancellable, handler);
  g_main_context_pop_thread_default (context);

  if (lookup.addresses != NULL)
    return lookup.addresses;

  if (g_cancellable_is_cancelled (cancellable))
    g_propagate_error (error, lookup.error);
  else if (g_error_matches (lookup.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                   _("Looking up “%s” took longer than %u seconds"),
                   state->host, state->connect_timeout);
      g_error_free (lookup.error);
    }
  else
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_HOST_NOT_FOUND,
                   _("The server name “%s” could not be found (%s). Check its spelling."),
                   state->host, lookup.error->message);
      g_error_free (lookup.error);
    }

  return NULL;
}

static GSocket *
connect_to (SendState     *state,
            GList         *addresses,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GError) last_error = NULL;
  gint64 deadline = stamp_deadline_from_now (state->connect_timeout);

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (l->data, state->port);
      g_autoptr(GSocket) socket = NULL;
      GError *local_error = NULL;

      g_clear_error (&last_error);
      socket = g_socket_new (g_inet_address_get_family (l->data), G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_TCP, &last_error);
      if (socket == NULL)
        continue;

      g_socket_set_blocking (socket, FALSE);
      /* Pipelined groups go out whole; Nagle would only hold them back. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

      if (!g_socket_connect (socket, address, cancellable, &local_error))
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PENDING))
            {
              last_error = local_error;
              continue;
            }
          g_clear_error (&local_error);

          if (!stamp_socket_wait (socket, G_IO_OUT, deadline, cancellable, &local_error) ||
              !g_socket_check_connect_result (socket, &local_error))
            {
              last_error = local_error;
              if (g_cancellable_is_cancelled (cancellable))
                break;
              continue;
            }
        }

      return g_steal_pointer (&socket);
    }

  if (last_error == NULL || g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&last_error));
  else if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_REFUSED,
                 _("%s refused the connection on port %u: nothing listens there, or a firewall "
                   "rejects it. Check the port (587 for STARTTLS, 465 for TLS)."),
                 state->host, state->port);
  else if (g_error_matches (last_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                 _("%s did not accept a connection on port %u within %u seconds. A firewall may "
                   "be blocking outgoing connections to port %u."),
                 state->host, state->port, state->connect_timeout, state->port);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_NETWORK_UNREACHABLE,
                 _("Could not reach %s on port %u: %s"),
                 state->host, state->port, last_error->message);

  return NULL;
}

static gboolean
run_connect (SendState     *state,
             GCancellable  *cancellable,
             GError       **error)
{
  GError *local_error = NULL;
  GList *addresses;
  g_autofree char *first = NULL;

  step_begin (state, STAMP_SMTP_STEP_RESOLVE);
  addresses = resolve (state, cancellable, &local_error);
  if (addresses == NULL)
    return fail_step (state, STAMP_SMTP_STEP_RESOLVE, NULL, local_error, error);

  first = g_inet_address_to_string (addresses->data);
  step_end (state, STAMP_SMTP_STEP_RESOLVE, STAMP_STEP_SUCCEEDED, first);

  step_begin (state, STAMP_SMTP_STEP_CONNECT);
  state->socket = connect_to (state, addresses, cancellable, &local_error);
  g_resolver_free_addresses (addresses);
  if (state->socket == NULL)
    return fail_step (state, STAMP_SMTP_STEP_CONNECT, NULL, local_error, error);

  {
    g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (state->socket, NULL);
    g_autofree char *where = NULL;
    g_autofree char *detail = NULL;

    where = remote != NULL
            ? g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)))
            : g_strdup (state->host);
    detail = g_strdup_printf (_("%s port %u"), where, state->port);
    step_end (state, STAMP_SMTP_STEP_CONNECT, STAMP_STEP_SUCCEEDED, detail);
  }

  return TRUE;
}

static gboolean
run_tls_handshake (SendState     *state,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(StampTlsSession) tls = NULL;
  g_autofree char *detail = NULL;
  GError *local_error = NULL;
  SendEvent *event;

  step_begin (state, STAMP_SMTP_STEP_TLS_HANDSHAKE);

  tls = stamp_tls_session_new (state->host, state->ca_file, state->tls_min,
                               STAMP_TLS_VERSION_1_3, &local_error);
  if (tls == NULL)
    return fail_step (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, local_error, error);

  if (!stamp_tls_session_handshake (tls, state->socket,
                                    stamp_deadline_from_now (state->reply_timeout),
                                    cancellable, &local_error))
    return fail_step (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, local_error, error);

  event = g_new0 (SendEvent, 1);
  event->type = SEND_EVENT_TLS;
  event->tls_version = g_strdup (stamp_tls_session_get_version (tls));
  event->tls_cipher = g_strdup (stamp_tls_session_get_cipher (tls));
  event->certificates = g_strdupv ((GStrv) stamp_tls_session_get_certificates (tls));
  _stamp_smtp_client_post (state, event);

  detail = g_strdup_printf ("%s, %s", stamp_tls_session_get_version (tls),
                            stamp_tls_session_get_cipher (tls));
  post_line (state, STAMP_TRANSCRIPT_INFO, detail);
  for (const char * const *c = stamp_tls_session_get_certificates (tls); c != NULL && *c; c++)
    post_line (state, STAMP_TRANSCRIPT_INFO, *c);

  step_end (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, STAMP_STEP_SUCCEEDED, detail);
  state->tls = g_steal_pointer (&tls);

  return TRUE;
}

/* RFC 5321 §4.1.4: EHLO names this client by its domain, or by an address
 * literal when it has no fully qualified name. */
static char *
dup_ehlo_name (SendState *state)
{
  const char *host_name = g_get_host_name ();
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *address = NULL;
  GInetAddress *inet;

  if (state->ehlo_name != NULL)
    return g_strdup (state->ehlo_name);

  if (strchr (host_name, '.') != NULL && !g_hostname_is_ip_address (host_name))
    return g_strdup (host_name);

  local = g_socket_get_local_address (state->socket, NULL);
  if (local == NULL)
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  address = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", address);

  return g_strdup_printf ("[%s]", address);
}

static gboolean
run_ehlo (SendState     *state,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autofree char *name = dup_ehlo_name (state);
  g_autofree char *wire = g_strdup_printf ("EHLO %s", name);
  Command command = { STAMP_SMTP_STEP_EHLO, 250, wire, NULL, NULL, FALSE, FALSE };

  /* RFC 3207 §4.2: after STARTTLS, forget everything learned before it. */
  g_clear_pointer (&state->capabilities, g_hash_table_unref);

  if (!exchange (state, &command, 1, FALSE, &reply, cancellable, error))
    return FALSE;

  state->capabilities = stamp_smtp_reply_parse_capabilities (reply);

  return TRUE;
}

static const char *
capability (SendState  *state,
            const char *keyword)
{
  return state->capabilities != NULL ? g_hash_table_lookup (state->capabilities, keyword) : NULL;
}

static gboolean
run_starttls (SendState     *state,
              GCancellable  *cancellable,
              GError       **error)
{
  Command command = { STAMP_SMTP_STEP_STARTTLS, 220, "STARTTLS", NULL, NULL, FALSE, FALSE };

  if (capability (state, "STARTTLS") == NULL)
    {
      step_begin (state, STAMP_SMTP_STEP_STARTTLS);
      return fail_step (state, STAMP_SMTP_STEP_STARTTLS, NULL,
                        g_error_new (STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED,
                                     _("%s does not offer STARTTLS on port %u, so the "
                                       "connection cannot be encrypted. Stamp stopped before "
                                       "sending any password or token."),
                                     state->host, state->port),
                        error);
    }

  if (!exchange (state, &command, 1, FALSE, NULL, cancellable, error))
    return FALSE;

  /* Anything after the 220 arrived in plain text and could have been
   * injected by an attacker (CVE-2011-0411); never treat it as TLS data. */
  if (state->input->len > 0)
    return fail_step (state, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL,
                      g_error_new (STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                                   _("The server sent data after agreeing to STARTTLS, as in a "
                                     "known attack; Stamp stopped")),
                      error);

  return run_tls_handshake (state, cancellable, error) && run_ehlo (state, cancellable, error);
}

/* Picks the mechanism, or %STAMP_AUTH_NONE when there is nothing to sign
 * in with. Returns %FALSE when a sign-in is wanted but cannot happen. */
static gboolean
choose_mechanism (SendState           *state,
                  StampAuthMechanism  *mechanism,
                  GError             **error)
{
  const char *offered = capability (state, "AUTH");

  *mechanism = state->auth;

  if (*mechanism == STAMP_AUTH_NONE || (*mechanism == STAMP_AUTH_AUTO && state->secret == NULL))
    {
      *mechanism = STAMP_AUTH_NONE;
      return TRUE;
    }

  if (offered == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   _("%s offers no sign-in on port %u. Servers on port 25 usually take mail only "
                     "for their own domains; submission with a password or token uses port 587 "
                     "or 465."),
                   state->host, state->port);
      return FALSE;
    }

  if (*mechanism == STAMP_AUTH_AUTO)
    *mechanism = stamp_sasl_choose_mechanism (offered, state->secret_is_token);
  else if (!stamp_sasl_is_offered (offered, *mechanism))
    *mechanism = STAMP_AUTH_NONE;

  if (*mechanism == STAMP_AUTH_NONE)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   state->auth != STAMP_AUTH_AUTO
                   ? _("The server does not offer the chosen sign-in method; it offers: %s")
                   : state->secret_is_token
                   ? _("The server offers sign-in with %s, none of which takes an OAuth token")
                   : _("The server offers sign-in with %s, none of which Stamp can use with a "
                       "password"),
                   offered);
      return FALSE;
    }

  return TRUE;
}

/* RFC 7628 §3.2.2: a 334 to a token is an error challenge. Show what it
 * says, send the mechanism's dummy response (an empty line for XOAUTH2,
 * ^A for OAUTHBEARER), and fail with the final reply. */
static gboolean
answer_error_challenge (SendState          *state,
                        StampAuthMechanism  mechanism,
                        StampSmtpReply     *challenge_reply,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autoptr(StampSaslChallenge) challenge = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autofree char *description = NULL;
  g_autofree char *final_text = NULL;
  const char *answer = mechanism == STAMP_AUTH_XOAUTH2 ? "" : "AQ==";
  Command command = { STAMP_SMTP_STEP_AUTH, 0, answer, NULL, NULL, FALSE, TRUE };

  challenge = stamp_sasl_challenge_parse (stamp_smtp_reply_get_lines (challenge_reply)[0], NULL);
  description = challenge != NULL
                ? stamp_sasl_challenge_describe (challenge)
                : g_strdup (_("The server refused the token"));
  post_line (state, STAMP_TRANSCRIPT_INFO, description);

  if (!exchange (state, &command, 1, FALSE, &reply, cancellable, error))
    return FALSE;

  final_text = stamp_smtp_reply_to_string (reply);
  return fail_step (state, STAMP_SMTP_STEP_AUTH, reply,
                    g_error_new (STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "%s: %s",
                                 description, final_text),
                    error);
}

/* Ends the AUTH step from the server's last reply: 235 signs in, a 334 to
 * a token is an error challenge, anything else is a refusal. */
static gboolean
judge_auth_reply (SendState          *state,
                  StampAuthMechanism  mechanism,
                  StampSmtpReply     *reply,
                  GCancellable       *cancellable,
                  GError            **error)
{
  if (stamp_smtp_reply_get_code (reply) == 334 && stamp_sasl_mechanism_uses_token (mechanism))
    return answer_error_challenge (state, mechanism, reply, cancellable, error);

  if (stamp_smtp_reply_get_code (reply) != 235)
    return fail_step_with_reply (state, STAMP_SMTP_STEP_AUTH, reply, error);

  step_succeed_with_reply (state, STAMP_SMTP_STEP_AUTH, reply);
  return TRUE;
}

static gboolean
run_auth (SendState     *state,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(StampSecret) blob = NULL;
  g_autoptr(StampSecret) wire = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *bare = NULL;
  GError *local_error = NULL;
  StampAuthMechanism mechanism;
  const char *hidden;
  SendEvent *event;
  gboolean chosen;
  gboolean fits;

  chosen = choose_mechanism (state, &mechanism, &local_error);
  if (chosen && mechanism == STAMP_AUTH_NONE)
    return TRUE;

  if (!chosen)
    {
      step_begin (state, STAMP_SMTP_STEP_AUTH);
      return fail_step (state, STAMP_SMTP_STEP_AUTH, NULL, local_error, error);
    }

  /* Never a credential without the encryption the person chose. */
  g_assert (state->tls != NULL || state->security == STAMP_SECURITY_NONE);
  if (state->tls == NULL)
    post_line (state, STAMP_TRANSCRIPT_INFO,
               _("Signing in without encryption, as chosen: the credentials can be read on "
                 "the network"));

  event = g_new0 (SendEvent, 1);
  event->type = SEND_EVENT_AUTH;
  event->mechanism = mechanism;
  _stamp_smtp_client_post (state, event);

  hidden = state->secret_is_token ? _("[hidden: token]") : _("[hidden: password]");
  bare = g_strdup_printf ("AUTH %s", stamp_sasl_mechanism_name (mechanism));

  if (mechanism == STAMP_AUTH_LOGIN)
    {
      g_autofree char *user64 = g_base64_encode ((const guchar *) state->username,
                                                 strlen (state->username));
      g_autoptr(StampSecret) pass64 = g_base64_encode ((const guchar *) state->secret,
                                                       strlen (state->secret));
      Command commands[] = {
        { STAMP_SMTP_STEP_AUTH, 334, bare, NULL, NULL, FALSE, TRUE },
        { STAMP_SMTP_STEP_AUTH, 334, user64, NULL, NULL, FALSE, TRUE },
        { STAMP_SMTP_STEP_AUTH, 0, pass64, hidden, NULL, FALSE, TRUE },
      };

      remember_hidden (state, pass64);
      step_begin (state, STAMP_SMTP_STEP_AUTH);
      if (!exchange (state, commands, G_N_ELEMENTS (commands), FALSE, &reply, cancellable, error))
        return FALSE;

      return judge_auth_reply (state, mechanism, reply, cancellable, error);
    }

  if (mechanism == STAMP_AUTH_PLAIN)
    blob = stamp_sasl_encode_plain (state->username, state->secret);
  else if (mechanism == STAMP_AUTH_XOAUTH2)
    blob = stamp_sasl_encode_xoauth2 (state->username, state->secret);
  else
    blob = stamp_sasl_encode_oauthbearer (state->username, state->host, state->port,
                                          state->secret);
  remember_hidden (state, blob);

  wire = g_strdup_printf ("%s %s", bare, blob);
  shown = g_strdup_printf ("%s %s", bare, hidden);
  /* RFC 4954 §4: an initial response saves a round trip, but only when the
   * command line fits in 512 octets. */
  fits = strlen (wire) + 2 <= SMTP_COMMAND_MAX;

  /* The same section lets AUTH open a pipelined group when it carries an
   * initial response for a mechanism known to finish in one round trip:
   * PLAIN does, so it goes out with MAIL, RCPT and the message. XOAUTH2 and
   * OAUTHBEARER may answer with a challenge, so they never do. */
  if (fits && mechanism == STAMP_AUTH_PLAIN && capability (state, "PIPELINING") != NULL)
    {
      state->pipelined_auth = g_steal_pointer (&wire);
      state->pipelined_auth_shown = g_steal_pointer (&shown);
      return TRUE;
    }

  step_begin (state, STAMP_SMTP_STEP_AUTH);

  if (fits)
    {
      Command command = { STAMP_SMTP_STEP_AUTH, 0, wire, shown, NULL, FALSE, TRUE };

      if (!exchange (state, &command, 1, FALSE, &reply, cancellable, error))
        return FALSE;
    }
  else
    {
      Command commands[] = {
        { STAMP_SMTP_STEP_AUTH, 334, bare, NULL, NULL, FALSE, TRUE },
        { STAMP_SMTP_STEP_AUTH, 0, blob, hidden, NULL, FALSE, TRUE },
      };

      if (!exchange (state, commands, G_N_ELEMENTS (commands), FALSE, &reply, cancellable,
                     error))
        return FALSE;
    }

  return judge_auth_reply (state, mechanism, reply, cancellable, error);
}

static gboolean
fail_before_mail (SendState          *state,
                  int                 code,
                  const char         *message,
                  GError            **error)
{
  step_begin (state, STAMP_SMTP_STEP_MAIL);
  return fail_step (state, STAMP_SMTP_STEP_MAIL, NULL,
                    g_error_new_literal (STAMP_ERROR, code, message), error);
}

/* MAIL, RCPT and the message. With PIPELINING the envelope and DATA go as
 * one group (RFC 2920), opened by AUTH PLAIN when run_auth() left it here;
 * with CHUNKING too, the message itself and QUIT join it as "BDAT n LAST"
 * (RFC 3030), so sign-in and the whole transaction take one round trip. */
static gboolean
run_transaction (SendState       *state,
                 StampSmtpReply **accepted,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GString) mail = NULL;
  g_autofree char *from = stamp_message_dup_envelope_from (state->message);
  g_autofree char *to = stamp_message_dup_envelope_to (state->message);
  g_autofree char *rcpt = g_strdup_printf ("RCPT TO:<%s>", to);
  g_autofree char *bdat = NULL;
  g_autofree char *size_limit_text = NULL;
  gboolean pipelining = capability (state, "PIPELINING") != NULL;
  gboolean chunking = pipelining && capability (state, "CHUNKING") != NULL;
  gboolean eight_bit = capability (state, "8BITMIME") != NULL;
  const char *size_param = capability (state, "SIZE");
  guint64 size_limit = size_param != NULL ? g_ascii_strtoull (size_param, NULL, 10) : 0;
  gsize size;

  if (stamp_message_needs_smtputf8 (state->message) && capability (state, "SMTPUTF8") == NULL)
    return fail_before_mail (state, STAMP_ERROR_SMTPUTF8_UNSUPPORTED,
                             _("An address has non-ASCII characters before the “@”, and this "
                               "server does not offer SMTPUTF8 to carry them"),
                             error);

  payload = stamp_message_render (state->message, eight_bit, error);
  if (payload == NULL)
    return FALSE;
  size = g_bytes_get_size (payload);

  /* RFC 1870: say the size up front, and do not send what will be refused. */
  if (size_limit > 0 && size > size_limit)
    {
      size_limit_text = g_strdup_printf (_("The message is %zu bytes; the server takes at most "
                                           "%" G_GUINT64_FORMAT),
                                         size, size_limit);
      return fail_before_mail (state, STAMP_ERROR_MESSAGE_TOO_LARGE, size_limit_text, error);
    }

  mail = g_string_new (NULL);
  g_string_printf (mail, "MAIL FROM:<%s>", from);
  if (size_param != NULL)
    g_string_append_printf (mail, " SIZE=%zu", size);
  if (eight_bit && stamp_message_has_8bit_body (state->message))
    g_string_append (mail, " BODY=8BITMIME");
  if (stamp_message_needs_smtputf8 (state->message))
    g_string_append (mail, " SMTPUTF8");

  if (chunking)
    {
      Command commands[] = {
        { STAMP_SMTP_STEP_AUTH, 235, state->pipelined_auth, state->pipelined_auth_shown, NULL,
          FALSE, FALSE },
        { STAMP_SMTP_STEP_MAIL, 250, mail->str, NULL, NULL, FALSE, FALSE },
        { STAMP_SMTP_STEP_RCPT, 250, rcpt, NULL, NULL, FALSE, FALSE },
        { STAMP_SMTP_STEP_ACCEPTED, 250, NULL, NULL, payload, FALSE, FALSE },
        { STAMP_SMTP_STEP_ACCEPTED, 221, "QUIT", NULL, NULL, TRUE, FALSE },
      };
      guint first = state->pipelined_auth != NULL ? 0 : 1;

      bdat = g_strdup_printf ("BDAT %zu LAST", size);
      commands[3].wire = bdat;
      state->in_sync = FALSE;

      return exchange (state, commands + first, G_N_ELEMENTS (commands) - first, TRUE, accepted,
                       cancellable, error);
    }
  else
    {
      Command envelope[] = {
        { STAMP_SMTP_STEP_AUTH, 235, state->pipelined_auth, state->pipelined_auth_shown, NULL,
          FALSE, FALSE },
        { STAMP_SMTP_STEP_MAIL, 250, mail->str, NULL, NULL, FALSE, FALSE },
        { STAMP_SMTP_STEP_RCPT, 250, rcpt, NULL, NULL, FALSE, FALSE },
        { STAMP_SMTP_STEP_DATA, 354, "DATA", NULL, NULL, FALSE, FALSE },
      };
      guint first = state->pipelined_auth != NULL ? 0 : 1;
      /* RFC 2920 §3.1: the message may open a group, so QUIT can follow it. */
      Command content[] = {
        { STAMP_SMTP_STEP_ACCEPTED, 250, NULL, NULL, payload, FALSE, FALSE },
        { STAMP_SMTP_STEP_ACCEPTED, 221, "QUIT", NULL, NULL, TRUE, FALSE },
      };

      if (!exchange (state, envelope + first, G_N_ELEMENTS (envelope) - first, pipelining, NULL,
                     cancellable, error))
        return FALSE;

      state->in_sync = FALSE;
      return exchange (state, content, pipelining ? 2 : 1, pipelining, accepted, cancellable,
                       error);
    }
}

/* A polite goodbye after a refusal; the result is already known, so wait
 * only briefly and ignore what comes. */
static void
quit_quietly (SendState    *state,
              GCancellable *cancellable)
{
  g_autoptr(StampSmtpReply) reply = NULL;

  if (!state->in_sync || g_cancellable_is_cancelled (cancellable))
    return;

  post_line (state, STAMP_TRANSCRIPT_CLIENT, "QUIT");
  if (send_raw (state, "QUIT\r\n", 6, stamp_deadline_from_now (QUIT_TIMEOUT), cancellable, NULL))
    reply = read_reply (state, QUIT_TIMEOUT, cancellable, NULL);
}

static gboolean
run_session (SendState       *state,
             StampSmtpReply **accepted,
             GCancellable    *cancellable,
             GError         **error)
{
  Command greeting = { STAMP_SMTP_STEP_GREETING, 220, NULL, NULL, NULL, FALSE, FALSE };

  if (!run_connect (state, cancellable, error))
    return FALSE;

  if (state->security == STAMP_SECURITY_TLS && !run_tls_handshake (state, cancellable, error))
    return FALSE;

  state->in_sync = TRUE;

  if (!exchange (state, &greeting, 1, FALSE, NULL, cancellable, error))
    return FALSE;

  if (!run_ehlo (state, cancellable, error))
    return FALSE;

  if (state->security == STAMP_SECURITY_STARTTLS && !run_starttls (state, cancellable, error))
    return FALSE;

  return run_auth (state, cancellable, error) &&
         run_transaction (state, accepted, cancellable, error);
}

void
_stamp_smtp_client_run (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  SendState *state = task_data;
  g_autoptr(StampSmtpReply) accepted = NULL;
  GError *error = NULL;
  SendEvent *done;
  gboolean ok;

  state->start_time = g_get_monotonic_time ();
  state->input = g_byte_array_new ();
  remember_hidden (state, state->secret);

  ok = run_session (state, &accepted, cancellable, &error);
  if (!ok)
    quit_quietly (state, cancellable);

  if (state->tls != NULL)
    stamp_tls_session_close (state->tls);
  if (state->socket != NULL)
    g_socket_close (state->socket, NULL);

  done = g_new0 (SendEvent, 1);
  done->type = SEND_EVENT_DONE;
  done->time = elapsed (state);
  done->round_trips = state->round_trips;
  _stamp_smtp_client_post (state, done);

  if (ok)
    g_task_return_pointer (task, g_steal_pointer (&accepted), g_object_unref);
  else
    g_task_return_error (task, error);
}

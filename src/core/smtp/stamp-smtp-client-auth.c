/* stamp-smtp-client-auth.c
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

/* The session's sign-in: which mechanism, the AUTH exchange, and how a
 * refused AUTH that opened the transaction's pipelined group is judged. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

/* Picks the mechanism, or %STAMP_AUTH_NONE when there is nothing to sign
 * in with. Returns %FALSE when a sign-in is wanted but cannot happen. */
static gboolean
choose_mechanism (SendState           *state,
                  StampAuthMechanism  *mechanism,
                  GError             **error)
{
  const char *offered = _stamp_send_capability (state, "AUTH");
  StampAuthMechanism wanted = stamp_smtp_settings_get_auth_mechanism (state->settings);

  *mechanism = wanted;

  if (*mechanism == STAMP_AUTH_NONE || (*mechanism == STAMP_AUTH_AUTO && state->secret == NULL))
    {
      *mechanism = STAMP_AUTH_NONE;
      return TRUE;
    }

  /* RFC 3207 §4.2: a server that offers AUTH in plain text and withdraws
   * it once encrypted is not what servers do; something may have rewritten
   * what it said. */
  if (offered == NULL && state->auth_offered_in_plain)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_DOWNGRADE,
                   _("%s offered sign-in before encryption but not after it. Something between "
                     "this computer and the server may be tampering with the connection; Stamp "
                     "sent no password or token."),
                   state->host);
      return FALSE;
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
                   wanted != STAMP_AUTH_AUTO
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
  SendCommand command = { STAMP_SMTP_STEP_AUTH, 0, answer, NULL, NULL, FALSE, TRUE, NULL };

  challenge = stamp_sasl_challenge_parse (stamp_smtp_reply_get_lines (challenge_reply)[0], NULL);
  description = challenge != NULL
                ? stamp_sasl_challenge_describe (challenge)
                : g_strdup (_("The server refused the token"));
  _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, description);

  if (!_stamp_send_exchange (state, &command, 1, FALSE, &reply, cancellable, error))
    return FALSE;

  final_text = stamp_smtp_reply_to_string (reply);
  return _stamp_send_fail (state, STAMP_SMTP_STEP_AUTH, reply,
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
    return _stamp_send_fail_with_reply (state, STAMP_SMTP_STEP_AUTH, reply, error);

  _stamp_send_step_succeed (state, STAMP_SMTP_STEP_AUTH, reply);
  return TRUE;
}

/* Whether @reply refuses a token's AUTH line longer than SMTP's 512 octets
 * for its length: "500 5.5.6" in RFC 4954 §6, "500 5.5.2 Line too long"
 * from Dovecot, or 501 from a server that cut the line and cannot decode
 * what is left of the response. */
static gboolean
auth_line_refused (SendState      *state,
                   StampSmtpReply *reply)
{
  int code = stamp_smtp_reply_get_code (reply);

  return state->auth_line_octets > STAMP_SMTP_COMMAND_MAX &&
         stamp_sasl_mechanism_uses_token (state->mechanism) &&
         !state->split_auth && (code == 500 || code == 501);
}

static void
post_auth_line_refused (SendState *state,
                        gboolean   reconnect)
{
  g_autofree char *octets = g_strdup_printf ("%" G_GSIZE_FORMAT, state->auth_line_octets);
  g_autofree char *text =
    reconnect
    /* Translators: %s is a number of octets (bytes) */
    ? g_strdup_printf (_("The server refused the sign-in line of %s octets. Stamp connects "
                         "again and sends the token after the server’s prompt."), octets)
    /* Translators: %s is a number of octets (bytes) */
    : g_strdup_printf (_("The server refused the sign-in line of %s octets. Stamp sends the "
                         "token again, after the server’s prompt."), octets);

  _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, text);
}

gboolean
_stamp_send_run_auth (SendState     *state,
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
  gboolean initial;

  chosen = choose_mechanism (state, &mechanism, &local_error);
  if (chosen && mechanism == STAMP_AUTH_NONE)
    return TRUE;

  if (!chosen)
    {
      _stamp_send_step_begin (state, STAMP_SMTP_STEP_AUTH);
      return _stamp_send_fail (state, STAMP_SMTP_STEP_AUTH, NULL, local_error, error);
    }

  /* Never a credential without the encryption the person chose. */
  g_assert (stamp_smtp_line_get_tls (state->line) != NULL ||
            stamp_smtp_settings_get_security (state->settings) == STAMP_SECURITY_NONE);
  if (stamp_smtp_line_get_tls (state->line) == NULL)
    _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO,
                           _("Signing in without encryption, as chosen: the credentials "
                             "can be read on the network"));

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
      SendCommand commands[] = {
        { STAMP_SMTP_STEP_AUTH, 334, bare, NULL, NULL, FALSE, TRUE, NULL },
        { STAMP_SMTP_STEP_AUTH, 334, user64, NULL, NULL, FALSE, TRUE, NULL },
        { STAMP_SMTP_STEP_AUTH, 0, pass64, hidden, NULL, FALSE, TRUE, NULL },
      };

      _stamp_send_remember_hidden (state, pass64);
      _stamp_send_step_begin (state, STAMP_SMTP_STEP_AUTH);
      if (!_stamp_send_exchange (state, commands, G_N_ELEMENTS (commands), FALSE, &reply,
                                 cancellable, error))
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
  _stamp_send_remember_hidden (state, blob);

  wire = g_strdup_printf ("%s %s", bare, blob);
  shown = g_strdup_printf ("%s %s", bare, hidden);
  state->mechanism = mechanism;
  state->auth_line_octets = strlen (wire) + 2;

  /* RFC 4954 §4 says a client MUST NOT put the initial response on the
   * AUTH line when that makes the line longer than SMTP allows (512
   * octets), and §6 gives a server "500 5.5.6" for a line it cannot take;
   * RFC 7628 adds no limit of its own. A Microsoft 365 token makes the
   * line 1.5 to 3 KB, and the two-step form costs a round trip every time.
   * In practice Exchange Online and Gmail take the long line: both
   * document "AUTH XOAUTH2 <base64>" on one line, Thunderbird's SmtpClient
   * sends XOAUTH2 that way whatever the length, and curl does with
   * --sasl-ir. Some servers do refuse it: Dovecot's submission service
   * answers "500 5.5.2 Line too long" (Roundcube issue 8623), and a server
   * that cuts the line cannot decode the rest (501). So a token goes on
   * the AUTH line, beyond the RFC's letter, and only a server that refuses
   * the line that way gets the response after an empty 334, which costs
   * a round trip only there. A password line that does not fit takes the
   * two steps at once. */
  initial = state->auth_line_octets <= STAMP_SMTP_COMMAND_MAX ||
            (stamp_sasl_mechanism_uses_token (mechanism) && !state->split_auth);

  /* The same section lets AUTH open a pipelined group when it carries an
   * initial response for a mechanism that ends in one round trip. PLAIN
   * does; XOAUTH2 and OAUTHBEARER do when the token is good, and when it
   * is not, the server's 334 error challenge takes the MAIL line that
   * follows as the client's answer and fails the sign-in all the same, so
   * nothing of the message is taken. run_transaction() judges that. */
  if (initial && !state->auth_alone && _stamp_send_capability (state, "PIPELINING") != NULL)
    {
      state->pipelined_auth = g_steal_pointer (&wire);
      state->pipelined_auth_shown = g_steal_pointer (&shown);
      return TRUE;
    }

  _stamp_send_step_begin (state, STAMP_SMTP_STEP_AUTH);

  if (initial)
    {
      SendCommand command = { STAMP_SMTP_STEP_AUTH, 0, wire, shown, NULL, FALSE, TRUE, NULL };

      if (!_stamp_send_exchange (state, &command, 1, FALSE, &reply, cancellable, error))
        return FALSE;

      if (!auth_line_refused (state, reply))
        return judge_auth_reply (state, mechanism, reply, cancellable, error);

      g_clear_object (&reply);
      post_auth_line_refused (state, FALSE);
    }

  {
    SendCommand commands[] = {
      { STAMP_SMTP_STEP_AUTH, 334, bare, NULL, NULL, FALSE, TRUE, NULL },
      { STAMP_SMTP_STEP_AUTH, 0, blob, hidden, NULL, FALSE, TRUE, NULL },
    };

    if (!_stamp_send_exchange (state, commands, G_N_ELEMENTS (commands), FALSE, &reply,
                               cancellable, error))
      return FALSE;
  }

  return judge_auth_reply (state, mechanism, reply, cancellable, error);
}

/* The pipelined AUTH that opened the transaction's group was not answered
 * with 235, and the replies to the rest of the group have been read. */
gboolean
_stamp_send_judge_pipelined_auth (SendState  *state,
                                  GError    **error)
{
  g_autoptr(StampSmtpReply) refused = g_steal_pointer (&state->refused_auth);
  g_autoptr(StampSmtpReply) after = g_steal_pointer (&state->after_refused_auth);
  static const StampSmtpStepKind later[] = {
    STAMP_SMTP_STEP_MAIL, STAMP_SMTP_STEP_RCPT, STAMP_SMTP_STEP_DATA, STAMP_SMTP_STEP_ACCEPTED,
  };

  /* RFC 7628 §3.2.2: an error challenge. The MAIL line went as the answer
   * to it; the reply to that line is the sign-in's final one. */
  if (stamp_smtp_reply_get_code (refused) == 334 &&
      stamp_sasl_mechanism_uses_token (state->mechanism))
    {
      g_autoptr(StampSaslChallenge) challenge =
        stamp_sasl_challenge_parse (stamp_smtp_reply_get_lines (refused)[0], NULL);
      g_autofree char *description = challenge != NULL
                                     ? stamp_sasl_challenge_describe (challenge)
                                     : g_strdup (_("The server refused the token"));
      g_autofree char *final_text = stamp_smtp_reply_to_string (after != NULL ? after : refused);

      _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, description);
      return _stamp_send_fail (state, STAMP_SMTP_STEP_AUTH, after != NULL ? after : refused,
                               g_error_new (STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "%s: %s",
                                            description, final_text),
                               error);
    }

  if (!auth_line_refused (state, refused))
    return _stamp_send_fail_with_reply (state, STAMP_SMTP_STEP_AUTH, refused, error);

  /* The steps of this try end as they went, and say why. */
  {
    g_autofree char *text = stamp_smtp_reply_to_string (refused);

    _stamp_send_step_end (state, STAMP_SMTP_STEP_AUTH, STAMP_STEP_FAILED, text);
    for (guint i = 0; i < G_N_ELEMENTS (later); i++)
      _stamp_send_step_end (state, later[i], STAMP_STEP_FAILED,
                            _("Refused, since the server had not taken the sign-in"));
  }
  post_auth_line_refused (state, state->quit_sent || !state->in_sync);
  state->split_auth = TRUE;
  state->retry_auth = TRUE;

  return FALSE;
}

/* stamp-smtp-client-io.c
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

/* The wire side of StampSmtpClient's worker: events for the main context
 * (with secrets redacted on the way), pipelined exchanges through the line
 * engine, and looking up and connecting to the server.
 * stamp-smtp-client-run.c speaks the protocol on top of it. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-client-private.h"
#include "stamp-net.h"
#include "stamp-util.h"

gint64
_stamp_send_elapsed (SendState *state)
{
  return g_get_monotonic_time () - state->start_time;
}

/* The one redaction point of a send: every string that leaves the session
 * (transcript lines, step details, error messages, the server's replies)
 * passes through here, so no secret and no base64 form of one that this
 * session produced reaches a person, a log, --json or a report, even when
 * a server quotes it back. Lines with secrets are also written redacted
 * where they are built. */
static char *
hide_secrets (SendState  *state,
              const char *text)
{
  if (state->hidden == NULL)
    return g_strdup (text);

  /* _stamp_send_remember_hidden() keeps the list NULL-terminated. */
  return stamp_hide_secrets (text, (const char * const *) state->hidden->pdata);
}

/* @reply as the server sent it, but through hide_secrets(). */
StampSmtpReply *
_stamp_send_hide_secrets_in_reply (SendState      *state,
                                   StampSmtpReply *reply)
{
  const char * const *texts = stamp_smtp_reply_get_lines (reply);
  const char *enhanced = stamp_smtp_reply_get_enhanced_code (reply);
  guint n_lines = g_strv_length ((GStrv) texts);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_null_terminated (n_lines, g_free, TRUE);
  StampSmtpReply *hidden;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *text = hide_secrets (state, texts[i]);

      g_ptr_array_add (lines, g_strdup_printf ("%03d%c%s%s%s", stamp_smtp_reply_get_code (reply),
                                               i + 1 < n_lines ? '-' : ' ',
                                               enhanced != NULL ? enhanced : "",
                                               enhanced != NULL ? " " : "", text));
    }

  hidden = stamp_smtp_reply_new_from_lines ((const char * const *) lines->pdata, NULL);

  /* Redaction cannot break a reply; should it, the text goes rather than
   * a secret. */
  return hidden != NULL ? hidden : g_object_ref (reply);
}

void
_stamp_send_remember_hidden (SendState  *state,
                             const char *secret)
{
  /* Very short strings would blank out ordinary text; they are still
   * redacted where they are written. */
  if (secret == NULL || strlen (secret) < 4)
    return;

  if (state->hidden == NULL)
    state->hidden = g_ptr_array_new_null_terminated (2, (GDestroyNotify) stamp_secret_free, TRUE);

  g_ptr_array_add (state->hidden, g_strdup (secret));
}

void
_stamp_send_post_line (SendState                *state,
                       StampTranscriptDirection  direction,
                       const char               *text)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  event->type = SEND_EVENT_LINE;
  event->direction = direction;
  event->time = _stamp_send_elapsed (state);
  event->text = hide_secrets (state, text);
  _stamp_smtp_client_post (state, event);
}

void
_stamp_send_step_begin (SendState         *state,
                        StampSmtpStepKind  kind)
{
  SendEvent *event = g_new0 (SendEvent, 1);

  state->step_start[kind] = g_get_monotonic_time ();
  event->type = SEND_EVENT_STEP_BEGIN;
  event->kind = kind;
  _stamp_smtp_client_post (state, event);
}

void
_stamp_send_step_end (SendState         *state,
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

void
_stamp_send_step_succeed (SendState         *state,
                          StampSmtpStepKind  kind,
                          StampSmtpReply    *reply)
{
  g_autofree char *text = stamp_smtp_reply_to_string (reply);

  _stamp_send_step_end (state, kind, STAMP_STEP_SUCCEEDED, text);
}

/* Ends @kind as failed with @local_error, worded for the step, and hands
 * the error on. Always returns %FALSE. */
gboolean
_stamp_send_fail (SendState          *state,
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

  /* The message often quotes the server: it leaves redacted, like the rest. */
  {
    g_autofree char *message = hide_secrets (state, local_error->message);
    GError *hidden = g_error_new_literal (local_error->domain, local_error->code, message);

    g_clear_error (&local_error);
    local_error = hidden;
  }

  _stamp_send_step_end (state, kind, STAMP_STEP_FAILED, local_error->message);

  if (reply != NULL)
    {
      SendEvent *event = g_new0 (SendEvent, 1);

      event->type = SEND_EVENT_FAILURE;
      event->reply = _stamp_send_hide_secrets_in_reply (state, reply);
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

gboolean
_stamp_send_fail_with_reply (SendState          *state,
                             StampSmtpStepKind   kind,
                             StampSmtpReply     *reply,
                             GError            **error)
{
  g_autofree char *text = stamp_smtp_reply_to_string (reply);
  const char *lead = NULL;
  int code = classify_reply (kind, reply, &lead);

  return _stamp_send_fail (state, kind, reply,
                           g_error_new (STAMP_ERROR, code, "%s: %s", lead, text), error);
}

/* Appends @payload dot-stuffed (RFC 5321 §4.5.2); the end-of-data line
 * is the caller's. A payload that does not end its last line gets CRLF. */
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

  if (!line_start)
    g_string_append (out, "\r\n");
}

/* Writes @group and, when the state wants to know, calls its hook just
 * before the end-of-data line goes. */
static gboolean
write_group (SendState     *state,
             GString       *group,
             gsize          final_dot_at,
             guint          timeout,
             GCancellable  *cancellable,
             GError       **error)
{
  if (final_dot_at == G_MAXSIZE || state->before_final_dot == NULL)
    return stamp_smtp_line_write (state->line, group->str, group->len,
                                  stamp_deadline_from_now (timeout), cancellable, error);

  if (final_dot_at > 0 &&
      !stamp_smtp_line_write (state->line, group->str, final_dot_at,
                              stamp_deadline_from_now (timeout), cancellable, error))
    return FALSE;
  if (!state->before_final_dot (state->before_final_dot_data, error))
    return FALSE;
  return stamp_smtp_line_write (state->line, group->str + final_dot_at,
                                group->len - final_dot_at, stamp_deadline_from_now (timeout),
                                cancellable, error);
}

/* Sends @commands, all at once when @pipelined (RFC 2920), otherwise one at
 * a time, and reads their replies. Each step ends with its own reply; the
 * first refusal or failure ends the exchange with an error, after every
 * reply already asked for has been read, so the session stays in step. A
 * command expecting 0 takes any reply, for the caller to judge; the last
 * reply goes to @last_reply. */
gboolean
_stamp_send_exchange (SendState      *state,
                      SendCommand        *commands,
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
      SendCommand *command = &commands[done];
      guint timeout = command->is_quit ? STAMP_SMTP_QUIT_TIMEOUT : state->reply_timeout;

      if (sent == done)
        {
          g_autoptr(GString) group = g_string_new (NULL);
          guint last = pipelined ? n_commands : done + 1;
          gsize final_dot_at = G_MAXSIZE;
          gboolean ok;

          for (; sent < last; sent++)
            {
              SendCommand *c = &commands[sent];

              if (!c->is_quit && !c->quiet)
                _stamp_send_step_begin (state, c->kind);

              if (c->wire != NULL)
                {
                  _stamp_send_post_line (state, STAMP_TRANSCRIPT_CLIENT,
                                         c->shown != NULL ? c->shown : c->wire);
                  g_string_append_printf (group, "%s\r\n", c->wire);
                }

              if (c->payload != NULL)
                {
                  g_autofree char *note =
                    g_strdup_printf (_("(the message: %zu bytes, not shown)"),
                                     g_bytes_get_size (c->payload));

                  _stamp_send_post_line (state, STAMP_TRANSCRIPT_INFO, note);
                  if (c->wire != NULL)
                    g_string_append_len (group, g_bytes_get_data (c->payload, NULL),
                                         g_bytes_get_size (c->payload));
                  else
                    {
                      append_dot_stuffed (group, c->payload);
                      final_dot_at = group->len;
                      g_string_append (group, ".\r\n");
                    }
                }
            }

          /* The greeting is a reply to nothing: there is nothing to send. */
          ok = group->len == 0 ||
               write_group (state, group, final_dot_at, timeout, cancellable, &local_error);
          /* The group may hold a credential. */
          explicit_bzero (group->str, group->len);
          if (!ok)
            return _stamp_send_fail (state, command->kind, NULL, local_error, error);
        }

      reply = stamp_smtp_line_read_reply (state->line, stamp_deadline_from_now (timeout),
                                          cancellable, &local_error);

      if (command->is_quit)
        {
          g_clear_error (&local_error);
          continue;
        }

      if (reply != NULL && command->reply_out != NULL)
        g_set_object (command->reply_out, reply);

      if (reply == NULL)
        return _stamp_send_fail (state, command->kind, NULL, local_error, error);

      if (command->expected != 0 && stamp_smtp_reply_get_code (reply) != command->expected)
        {
          /* Whether AUTH opened this group: its caller judges it. */
          gboolean auth_group = command->kind == STAMP_SMTP_STEP_AUTH && pipelined;
          /* Read what was already asked for, to keep the session in step
           * for QUIT, and after a refused AUTH also when BDAT went with it,
           * for the transcript; the first refusal is the one to report. */
          gboolean reading = state->in_sync || auth_group;

          for (guint i = done + 1; i < sent && reading; i++)
            {
              g_autoptr(StampSmtpReply) ignored =
                stamp_smtp_line_read_reply (state->line,
                                            stamp_deadline_from_now (STAMP_SMTP_QUIT_TIMEOUT),
                                            cancellable, NULL);

              /* A careless server may open DATA even so; then QUIT would be content. */
              reading = ignored != NULL && stamp_smtp_reply_get_code (ignored) != 354;
              if (!reading)
                state->in_sync = FALSE;
              if (i == done + 1 && auth_group && ignored != NULL)
                state->after_refused_auth = g_object_ref (ignored);
            }

          /* The session knows the mechanism: the refusal may be an error
           * challenge, or a line too long. */
          if (auth_group)
            {
              state->refused_auth = g_object_ref (reply);
              return FALSE;
            }

          return _stamp_send_fail_with_reply (state, command->kind, reply, error);
        }

      if (!command->quiet)
        _stamp_send_step_succeed (state, command->kind, reply);

      if (last_reply != NULL)
        g_set_object (last_reply, reply);
    }

  return TRUE;
}

/* The parameters of EHLO keyword @keyword ("" when it has none), or %NULL
 * when the server did not offer it. */
const char *
_stamp_send_capability (SendState  *state,
                        const char *keyword)
{
  return state->capabilities != NULL ? g_hash_table_lookup (state->capabilities, keyword) : NULL;
}

GList *
_stamp_send_resolve (SendState     *state,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return stamp_resolve_host (state->host, state->connect_timeout, cancellable, error);
}

/* Every line the engine reads or writes reaches the transcript, redacted. */
static void
post_line_cb (StampTranscriptDirection  direction,
              const char               *text,
              gpointer                  user_data)
{
  _stamp_send_post_line (user_data, direction, text);
}

/* Connects to one of @addresses and puts a line engine on the connection. */
StampSmtpLine *
_stamp_send_connect (SendState     *state,
                     GList         *addresses,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  StampSmtpLine *line;

  socket = stamp_connect_host (state->host, addresses, state->port,
                               stamp_deadline_from_now (state->connect_timeout),
                               cancellable, error);
  if (socket == NULL)
    return NULL;

  line = stamp_smtp_line_new (socket, STAMP_SMTP_ROLE_CLIENT);
  stamp_smtp_line_set_transcript_func (line, post_line_cb, state);

  return line;
}

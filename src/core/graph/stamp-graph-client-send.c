/* stamp-graph-client-send.c
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

#define G_LOG_DOMAIN "stamp-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-graph-client-private.h"
#include "stamp-time-limit.h"
#include "stamp-util.h"

/* One run of a send: the token step, then one request (two when Graph
 * asks to wait and the wait is short), on the caller's main context. */
typedef struct
{
  /* Owned */
  StampGraphClient *client;
  StampSmtpResult  *result;
  GBytes           *mime;
  char             *body;          /* the base64 MIME */
  char             *token;
  SoupMessage      *message;
  StampTimeLimit   *limit;
  GByteArray       *answer;
  GSource          *wait_timer;
  GSource          *wait_cancel;

  gsize             body_size;
  gint64            start_time;
  gint64            step_start;
  guint             attempts;
} SendRun;

static void
send_run_free (gpointer data)
{
  SendRun *run = data;

  g_clear_object (&run->client);
  g_clear_object (&run->result);
  g_clear_pointer (&run->mime, g_bytes_unref);
  g_clear_pointer (&run->body, g_free);
  stamp_clear_secret (&run->token);
  g_clear_object (&run->message);
  g_clear_object (&run->limit);
  g_clear_pointer (&run->answer, g_byte_array_unref);
  if (run->wait_timer != NULL)
    g_source_destroy (run->wait_timer);
  g_clear_pointer (&run->wait_timer, g_source_unref);
  if (run->wait_cancel != NULL)
    g_source_destroy (run->wait_cancel);
  g_clear_pointer (&run->wait_cancel, g_source_unref);
  g_free (run);
}

static gint64
elapsed (SendRun *run)
{
  return g_get_monotonic_time () - run->start_time;
}

static char *
hide_token (SendRun    *run,
            const char *text)
{
  const char *secrets[] = { run->token, NULL };

  return stamp_hide_secrets (text, secrets);
}

static void
add_line (SendRun                  *run,
          StampTranscriptDirection  direction,
          const char               *text)
{
  g_autofree char *hidden = hide_token (run, text);

  stamp_smtp_result_add_line (run->result, direction, elapsed (run), hidden);
}

static void
begin_step (SendRun           *run,
            StampSmtpStepKind  kind)
{
  run->step_start = g_get_monotonic_time ();
  stamp_smtp_result_begin_step (run->result, kind);
}

static void
end_step (SendRun           *run,
          StampSmtpStepKind  kind,
          StampStepState     state,
          const char        *detail)
{
  g_autofree char *hidden = detail != NULL ? hide_token (run, detail) : NULL;

  stamp_smtp_result_end_step (run->result, kind, state,
                              g_get_monotonic_time () - run->step_start, hidden);
}

/* Ends the run: the result learns its outcome, then the caller. Takes
 * @error. */
static void
finish (GTask  *task,
        GError *error)
{
  SendRun *run = g_task_get_task_data (task);

  if (error != NULL)
    {
      g_autofree char *message = hide_token (run, error->message);
      GError *hidden = g_error_new_literal (error->domain, error->code, message);

      g_error_free (error);
      error = hidden;
    }

  run->client->busy = FALSE;
  stamp_smtp_result_set_outcome (run->result, elapsed (run), error);
  g_task_return_pointer (task, g_object_ref (run->result), g_object_unref);
  g_clear_error (&error);
}

/* Ends @kind as failed with @error's message, and the run with @error. */
static void
fail_step (GTask             *task,
           StampSmtpStepKind  kind,
           GError            *error)
{
  SendRun *run = g_task_get_task_data (task);

  end_step (run, kind, STAMP_STEP_FAILED, error->message);
  finish (task, error);
}

static GError *
transport_error (SendRun      *run,
                 const GError *error)
{
  g_autoptr(GUri) uri = g_uri_parse (run->client->base_url, G_URI_FLAGS_ENCODED, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : run->client->base_url;
  StampError code = stamp_error_code_for_transport (error, STAMP_ERROR_CONNECTION_CLOSED);

  if (run->limit != NULL && stamp_time_limit_has_expired (run->limit))
    return g_error_new (STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "Microsoft Graph did not answer within %u second",
                                     "Microsoft Graph did not answer within %u seconds",
                                     run->client->timeout),
                        run->client->timeout);

  return g_error_new (STAMP_ERROR, code, _("Could not reach Microsoft Graph at %s: %s"),
                      host, error->message);
}

/* The seconds of a Retry-After header (a number, or an HTTP date). */
static guint
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &seconds, NULL))
    return (guint) seconds;

  when = soup_date_time_new_from_http_string (value);
  if (when != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan wait = g_date_time_difference (when, now);

      return wait > 0 ? (guint) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 1;
    }

  return 0;
}

static void show_answer (SendRun *run);
static void send_request (GTask *task);

static gboolean
wait_over_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendRun *run = g_task_get_task_data (task);

  g_source_destroy (run->wait_cancel);
  g_clear_pointer (&run->wait_cancel, g_source_unref);
  g_clear_pointer (&run->wait_timer, g_source_unref);

  send_request (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  SendRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  g_source_destroy (run->wait_timer);
  g_clear_pointer (&run->wait_timer, g_source_unref);
  g_clear_pointer (&run->wait_cancel, g_source_unref);

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  fail_step (task, STAMP_SMTP_STEP_GRAPH_REQUEST, error);

  return G_SOURCE_REMOVE;
}

/* Graph asked to wait @seconds: wait, cancellably, then try once more.
 * The sources hold the task; whichever fires first ends the other. */
static void
wait_and_retry (GTask *task,
                guint  seconds)
{
  SendRun *run = g_task_get_task_data (task);
  g_autofree char *note = NULL;

  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Microsoft Graph asks to wait %u second; waiting, then "
                                       "trying once more",
                                       "Microsoft Graph asks to wait %u seconds; waiting, then "
                                       "trying once more", seconds),
                          seconds);
  add_line (run, STAMP_TRANSCRIPT_INFO, note);

  /* Not g_timeout_source_new_seconds(): it may fire early, and Graph
   * refuses a retry that comes before the time it gave. */
  run->wait_timer = g_timeout_source_new ((guint) MIN ((guint64) seconds * 1000, G_MAXUINT));
  g_source_set_callback (run->wait_timer, wait_over_cb, g_object_ref (task), g_object_unref);
  g_source_attach (run->wait_timer, g_main_context_get_thread_default ());

  run->wait_cancel = g_cancellable_source_new (g_task_get_cancellable (task));
  g_source_set_callback (run->wait_cancel, G_SOURCE_FUNC (wait_cancelled_cb),
                         g_object_ref (task), g_object_unref);
  g_source_attach (run->wait_cancel, g_main_context_get_thread_default ());
}

static void
answered (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);
  StampGraphClient *client = run->client;
  SoupMessageHeaders *headers = soup_message_get_response_headers (run->message);
  guint status = soup_message_get_status (run->message);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *code = NULL;
  g_autofree char *detail = NULL;
  GError *error;

  g_clear_object (&run->limit);
  client->status = status;
  show_answer (run);

  if (status == SOUP_STATUS_ACCEPTED)
    {
      g_autofree char *size = g_format_size (run->body_size);

      detail = g_strdup_printf (_("Sent %s to %s"), size, client->base_url);
      end_step (run, STAMP_SMTP_STEP_GRAPH_REQUEST, STAMP_STEP_SUCCEEDED, detail);
      begin_step (run, STAMP_SMTP_STEP_ACCEPTED);
      end_step (run, STAMP_SMTP_STEP_ACCEPTED, STAMP_STEP_SUCCEEDED, _("202 Accepted"));
      client->retry_after = 0;
      finish (task, NULL);
      return;
    }

  if (status == 429 /* Too Many Requests */ || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    client->retry_after = parse_retry_after (soup_message_headers_get_one (headers,
                                                                           "Retry-After"));
  else
    client->retry_after = 0;

  if (client->retry_after > 0 && client->retry_after <= client->max_wait && run->attempts == 1)
    {
      wait_and_retry (task, client->retry_after);
      return;
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&run->answer));
  error = _stamp_graph_error_from_answer (status, soup_message_get_reason_phrase (run->message),
                                          soup_message_headers_get_content_type (headers, NULL),
                                          body, run->token, &code);
  fail_step (task, STAMP_SMTP_STEP_GRAPH_REQUEST, error);
}

/* The request did not get its answer: the caller cancelled, the deadline
 * passed, or the connection failed. */
static void
fail_request (GTask        *task,
              const GError *error)
{
  SendRun *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *cancelled = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &cancelled))
    fail_step (task, STAMP_SMTP_STEP_GRAPH_REQUEST, cancelled);
  else
    fail_step (task, STAMP_SMTP_STEP_GRAPH_REQUEST, transport_error (run, error));
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_more (GInputStream *stream,
           GTask        *task)
{
  SendRun *run = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   stamp_time_limit_get_cancellable (run->limit), read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);

  if (bytes == NULL)
    {
      fail_request (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0 || run->answer->len >= STAMP_GRAPH_MAX_RESPONSE)
    {
      /* A longer answer is not Graph's; what was read explains enough. */
      answered (task);
      return;
    }

  g_byte_array_append (run->answer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_more (G_INPUT_STREAM (object), g_steal_pointer (&task));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (stream == NULL)
    {
      fail_request (task, error);
      return;
    }

  read_more (stream, g_steal_pointer (&task));
}

/* What went, as the transcript shows it: the token hidden, the body
 * described by its size and the message's header lines only. */
static void
show_request (SendRun *run)
{
  GUri *uri = soup_message_get_uri (run->message);
  g_autofree char *request_line = NULL;
  g_autofree char *host = NULL;
  g_autofree char *length = NULL;
  g_autofree char *body = NULL;
  g_autofree char *headers = _stamp_graph_describe_headers (run->mime);
  g_auto(GStrv) lines = g_strsplit (headers, "\n", -1);

  request_line = g_strdup_printf ("POST %s HTTP/1.1", g_uri_get_path (uri));
  host = g_uri_get_port (uri) > 0 ? g_strdup_printf ("Host: %s:%d", g_uri_get_host (uri),
                                                     g_uri_get_port (uri))
                                  : g_strdup_printf ("Host: %s", g_uri_get_host (uri));
  length = g_strdup_printf ("Content-Length: %" G_GSIZE_FORMAT, run->body_size);

  add_line (run, STAMP_TRANSCRIPT_CLIENT, request_line);
  add_line (run, STAMP_TRANSCRIPT_CLIENT, host);
  add_line (run, STAMP_TRANSCRIPT_CLIENT, "Authorization: Bearer [hidden]");
  add_line (run, STAMP_TRANSCRIPT_CLIENT, "Content-Type: text/plain");
  add_line (run, STAMP_TRANSCRIPT_CLIENT, length);

  /* Translators: the request body, described; the message's own header
   * lines follow, one per transcript line */
  body = g_strdup_printf (_("Body: base64 MIME, %lu bytes (a message of %lu bytes); "
                            "message headers:"),
                          (unsigned long) run->body_size,
                          (unsigned long) g_bytes_get_size (run->mime));
  add_line (run, STAMP_TRANSCRIPT_INFO, body);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      add_line (run, STAMP_TRANSCRIPT_INFO, lines[i]);
}

/* What came back: the status line, the headers that matter to a person
 * or to Microsoft's support, and the error JSON, all redacted. */
static void
show_answer (SendRun *run)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (run->message);
  const char *interesting[] = { "request-id", "client-request-id", "Retry-After", NULL };
  g_autofree char *status_line = g_strdup_printf ("HTTP/1.1 %u %s",
                                                  soup_message_get_status (run->message),
                                                  soup_message_get_reason_phrase (run->message));

  add_line (run, STAMP_TRANSCRIPT_SERVER, status_line);
  for (guint i = 0; interesting[i] != NULL; i++)
    {
      const char *value = soup_message_headers_get_one (headers, interesting[i]);

      if (value != NULL)
        {
          g_autofree char *line = g_strdup_printf ("%s: %s", interesting[i], value);

          add_line (run, STAMP_TRANSCRIPT_SERVER, line);
        }
    }

  if (run->answer->len > 0)
    {
      g_autofree char *text = g_utf8_make_valid ((const char *) run->answer->data,
                                                 MIN (run->answer->len, 4096));
      g_auto(GStrv) lines = g_strsplit_set (text, "\r\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          add_line (run, STAMP_TRANSCRIPT_SERVER, lines[i]);
    }
}

static void
send_request (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);
  StampGraphClient *client = run->client;
  g_autofree char *url = g_strconcat (client->base_url, "/me/sendMail", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", run->token, NULL);
  g_autoptr(GBytes) body = g_bytes_new_static (run->body, run->body_size);
  SoupMessageHeaders *headers;

  run->attempts++;
  g_clear_pointer (&run->answer, g_byte_array_unref);
  run->answer = g_byte_array_new ();

  g_clear_object (&run->message);
  run->message = soup_message_new (SOUP_METHOD_POST, url);
  /* A redirect would carry the token elsewhere. */
  soup_message_add_flags (run->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (run->message);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (run->message, "text/plain", body);
  stamp_clear_secret (&authorization);

  show_request (run);

  g_clear_object (&run->limit);
  run->limit = stamp_time_limit_new (g_task_get_cancellable (task), client->timeout * 1000,
                                     NULL);
  soup_session_send_async (client->session, run->message, G_PRIORITY_DEFAULT,
                           stamp_time_limit_get_cancellable (run->limit),
                           sent_cb, g_object_ref (task));
}

/* The token step: whether there is one, and that it is not for another
 * resource; what it may do, Graph says. */
static gboolean
check_token (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);
  g_autofree char *audience = NULL;

  begin_step (run, STAMP_SMTP_STEP_GRAPH_TOKEN);

  if (run->token == NULL || *run->token == '\0')
    {
      fail_step (task, STAMP_SMTP_STEP_GRAPH_TOKEN,
                 g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
                                      _("There is no sign-in token for Microsoft Graph; "
                                        "sign in first")));
      return FALSE;
    }

  /* A token for SMTP (Outlook's audience) never goes to Graph. */
  audience = _stamp_graph_dup_token_audience (run->token);
  if (audience != NULL && !_stamp_graph_is_graph_audience (audience))
    {
      const char *shown = g_utf8_validate (audience, -1, NULL) && strlen (audience) <= 200
                            ? audience : _("another service");

      fail_step (task, STAMP_SMTP_STEP_GRAPH_TOKEN,
                 g_error_new (STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
                              /* Translators: %s is the service a token is for, such as
                               * "https://outlook.office.com" */
                              _("The sign-in token is for %s, not for Microsoft Graph, so it was "
                                "not sent; sign in again so that Stamp asks for Mail.Send"),
                              shown));
      return FALSE;
    }

  end_step (run, STAMP_SMTP_STEP_GRAPH_TOKEN, STAMP_STEP_SUCCEEDED,
            _("A bearer token for Mail.Send (not shown)"));
  return TRUE;
}

/* Graph refuses bodies over 4 MB; say so before anything is sent. */
static gboolean
check_size (GTask *task)
{
  SendRun *run = g_task_get_task_data (task);
  g_autofree char *message_size = NULL;
  g_autofree char *request_size = NULL;

  if (run->body_size <= STAMP_GRAPH_MAX_REQUEST)
    return TRUE;

  message_size = g_format_size (g_bytes_get_size (run->mime));
  request_size = g_format_size (run->body_size);
  fail_step (task, STAMP_SMTP_STEP_GRAPH_REQUEST,
             g_error_new (STAMP_ERROR, STAMP_ERROR_MESSAGE_TOO_LARGE,
                          /* Translators: sizes such as "3.5 MB" and "4.7 MB". Keep
                           * "Microsoft Graph", "4 MB" and "base64" as they are: the
                           * explanation of this error looks for them. */
                          _("Microsoft Graph takes requests of at most 4 MB, and this message "
                            "is %s (%s as base64): nothing was sent"),
                          message_size, request_size));
  return FALSE;
}

void
_stamp_graph_client_run (StampGraphClient *self,
                         GBytes           *mime,
                         const GError     *render_error,
                         GTask            *task)
{
  g_autoptr(StampSmtpResult) result = stamp_smtp_result_new (NULL);
  SendRun *run = g_new0 (SendRun, 1);

  run->client = g_object_ref (self);
  run->result = g_object_ref (result);
  run->token = g_strdup (self->token);
  run->start_time = g_get_monotonic_time ();
  run->answer = g_byte_array_new ();
  g_task_set_task_data (task, run, send_run_free);

  self->busy = TRUE;
  self->retry_after = 0;
  self->status = 0;
  _stamp_graph_client_set_result (self, result);

  if (render_error != NULL)
    {
      finish (task, g_error_copy (render_error));
      return;
    }

  run->mime = g_bytes_ref (mime);

  if (!check_token (task))
    return;

  begin_step (run, STAMP_SMTP_STEP_GRAPH_REQUEST);
  run->body = g_base64_encode (g_bytes_get_data (mime, NULL), g_bytes_get_size (mime));
  run->body_size = strlen (run->body);

  if (!check_size (task))
    return;

  send_request (task);
}

/* test-graph-client.c
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

/* Sending through Microsoft Graph against the mock Graph on loopback
 * (tests/fixtures/graph-server.py): the message arriving byte for byte,
 * the checklist and the redacted transcript, each of Graph's refusals,
 * Retry-After, the 4 MB limit checked before sending, the addresses the
 * token may go to, cancellation and the deadline. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-graph-client-private.h"
#include "stamp-test-graph.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"

#define USER       "alice@contoso.test"
#define RCPT       "bob@example.test"
#define BODY_TEXT  "canary-body-Zq81 The scanner's page is attached."

typedef struct
{
  GMainLoop       *loop;
  StampSmtpResult *result;
  GError          *error;
  guint            result_notifies;
} Run;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  StampGraphClient *client = STAMP_GRAPH_CLIENT (object);

  if (g_task_get_source_tag (G_TASK (result)) == stamp_graph_client_send_async)
    run->result = stamp_graph_client_send_finish (client, result, &run->error);
  else
    run->result = stamp_graph_client_send_mime_finish (client, result, &run->error);

  /* A failed run still has its result, and it is the client's. */
  g_assert_nonnull (run->result);
  g_assert_true (run->result == stamp_graph_client_get_result (client));
  g_assert_true ((stamp_smtp_result_get_error (run->result) == NULL) == (run->error == NULL));
  g_main_loop_quit (run->loop);
}

static void
result_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Run *run = user_data;

  run->result_notifies++;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->result);
  g_clear_error (&run->error);
}

/* One send to the end, of @message or else of @mime; cancelled after
 * @cancel_after_ms unless 0. */
static void
run_send (StampGraphClient *client,
          StampMessage     *message,
          GBytes           *mime,
          guint             cancel_after_ms,
          Run              *run)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gulong handler;

  run->loop = g_main_loop_new (NULL, FALSE);
  handler = g_signal_connect (client, "notify::result", G_CALLBACK (result_notify_cb), run);

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);

  if (message != NULL)
    stamp_graph_client_send_async (client, message, cancellable, send_cb, run);
  else
    stamp_graph_client_send_mime_async (client, mime, cancellable, send_cb, run);
  g_main_loop_run (run->loop);

  g_signal_handler_disconnect (client, handler);
}

static char *
graph_token (void)
{
  return stamp_test_graph_make_token (STAMP_TEST_GRAPH_AUDIENCE, STAMP_TEST_GRAPH_SCOPE, 0);
}

static StampGraphClient *
client_new (StampTestGraph *graph,
            const char     *token)
{
  g_autoptr(GError) error = NULL;
  StampGraphClient *client = stamp_graph_client_new (stamp_test_graph_get_url (graph), &error);

  g_assert_no_error (error);
  stamp_graph_client_set_access_token (client, token);

  return client;
}

static StampMessage *
message_new (void)
{
  StampMessage *message = stamp_message_new (USER, RCPT, "Graph test", BODY_TEXT "\n");
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 12, 3, 9, 30, 0);

  stamp_message_set_date (message, date);

  return message;
}

static guint
count_requests (StampTestGraph *graph)
{
  g_autoptr(GPtrArray) requests = stamp_test_graph_get_events (graph, "request");

  return requests->len;
}

static StampSmtpStep *
step_at (StampSmtpResult *result,
         guint            position)
{
  GListModel *steps = stamp_smtp_result_get_steps (result);
  g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, position);

  g_assert_nonnull (step);

  return step;   /* the model keeps it */
}

static char *
transcript_text (StampSmtpResult *result)
{
  return stamp_transcript_format (stamp_smtp_result_get_transcript (result));
}

/* Neither the token nor the message's body is anywhere a person reads. */
static void
assert_redacted (StampSmtpResult *result,
                 const char      *token)
{
  g_autofree char *transcript = transcript_text (result);
  g_autofree char *body_b64 = g_base64_encode ((const guchar *) BODY_TEXT, strlen (BODY_TEXT));
  GListModel *steps = stamp_smtp_result_get_steps (result);
  const GError *error = stamp_smtp_result_get_error (result);

  g_assert_null (strstr (transcript, token));
  g_assert_null (strstr (transcript, "canary-body"));
  g_assert_null (strstr (transcript, body_b64));
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);

      g_assert_null (strstr (stamp_smtp_step_get_detail (step) ?: "", token));
    }
  if (error != NULL)
    g_assert_null (strstr (error->message, token));
}

/* The error as the app and the CLI explain it, from data/diagnosis.json. */
static void
assert_explained (const GError *error,
                  const char   *id)
{
  g_autoptr(StampExplanation) explanation =
    stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), error, NULL, NULL);

  g_assert_nonnull (explanation);
  g_assert_cmpstr (stamp_explanation_get_id (explanation), ==, id);
}

static void
test_send (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--mailbox", USER, NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  g_autoptr(GBytes) expected = stamp_message_render (message, FALSE, NULL);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *transcript = NULL;
  const StampSmtpStepKind kinds[] = {
    STAMP_SMTP_STEP_GRAPH_TOKEN, STAMP_SMTP_STEP_GRAPH_REQUEST, STAMP_SMTP_STEP_ACCEPTED,
  };
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result_notifies, ==, 1);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 202);
  g_assert_cmpuint (stamp_graph_client_get_retry_after (client), ==, 0);
  g_assert_null (stamp_smtp_result_get_settings (run.result));
  g_assert_cmpint (stamp_smtp_result_get_elapsed (run.result), >, 0);

  /* What arrived is what Stamp built, byte for byte. */
  messages = stamp_test_graph_get_messages (graph);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (messages, 0), expected));

  /* The token that went was Graph's, with Mail.Send. */
  requests = stamp_test_graph_get_events (graph, "request");
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (requests, 0), "aud"), ==,
                   STAMP_TEST_GRAPH_AUDIENCE);

  /* The checklist: token, request, 202 Accepted, each done and timed. */
  g_assert_cmpuint (g_list_model_get_n_items (stamp_smtp_result_get_steps (run.result)), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      StampSmtpStep *step = step_at (run.result, i);

      g_assert_cmpint (stamp_smtp_step_get_kind (step), ==, kinds[i]);
      g_assert_cmpint (stamp_smtp_step_get_state (step), ==, STAMP_STEP_SUCCEEDED);
      g_assert_cmpint (stamp_smtp_step_get_duration (step), >=, 0);
      g_assert_nonnull (stamp_smtp_step_get_title (step));
    }
  g_assert_nonnull (strstr (stamp_smtp_step_get_detail (step_at (run.result, 0)), "Mail.Send"));
  g_assert_cmpstr (stamp_smtp_step_get_detail (step_at (run.result, 2)), ==, "202 Accepted");
  g_assert_null (stamp_smtp_result_get_failed_step (run.result));

  /* The transcript: the request with the token hidden, the message's
   * header lines but not its body, and the answer. */
  transcript = transcript_text (run.result);
  g_test_message ("%s", transcript);
  g_assert_nonnull (strstr (transcript, "POST /v1.0/me/sendMail HTTP/1.1"));
  g_assert_nonnull (strstr (transcript, "Authorization: Bearer [hidden]"));
  g_assert_nonnull (strstr (transcript, "Content-Type: text/plain"));
  g_assert_nonnull (strstr (transcript, "base64 MIME"));
  g_assert_nonnull (strstr (transcript, "Subject: Graph test"));
  g_assert_nonnull (strstr (transcript, "From: " USER));
  g_assert_nonnull (strstr (transcript, "HTTP/1.1 202 Accepted"));
  g_assert_nonnull (strstr (transcript, "request-id: "));
  assert_redacted (run.result, token);

  run_clear (&run);
}

/* The relay's spool: bytes, sent as they are, 8-bit and odd lines too. */
static void
test_send_mime (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start (NULL, NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  const char *text = "From: Scanner <" USER ">\r\nTo: " RCPT "\r\nSubject: Scan\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n"
                     "Content-Transfer-Encoding: 8bit\r\n\r\n"
                     "Grüße\r\n.\r\n..dots\r\n" BODY_TEXT "\r\n";
  g_autoptr(GBytes) mime = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) messages = NULL;
  Run run = { NULL };

  run_send (client, NULL, mime, 0, &run);
  g_assert_no_error (run.error);

  messages = stamp_test_graph_get_messages (graph);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (messages, 0), mime));
  assert_redacted (run.result, token);

  run_clear (&run);
}

typedef struct
{
  const char *path;
  const char *args[4];
  /* NULL: a good Graph token */
  const char *token_audience;
  const char *token_scope;
  guint       status;
  const char *wording;
  const char *explanation;   /* the diagnosis entry that explains it */
} RefusalCase;

static const RefusalCase refusal_cases[] = {
  { "/stamp/graph-client/refused/401-no-mail-send", { NULL },
    STAMP_TEST_GRAPH_AUDIENCE, "User.Read", 401, "401 InvalidAuthenticationToken: ", "graph-token-refused" },
  { "/stamp/graph-client/refused/401-expired", { "--expire-first", "1", NULL },
    NULL, NULL, 401, "401 InvalidAuthenticationToken: Lifetime validation failed", "graph-token-refused" },
  { "/stamp/graph-client/refused/403-access-denied", { "--fail", "403:ErrorAccessDenied", NULL },
    NULL, NULL, 403, "403 ErrorAccessDenied: Access is denied", "graph-access-denied" },
  { "/stamp/graph-client/refused/403-send-as-denied", { "--mailbox", "shared@contoso.test", NULL },
    NULL, NULL, 403, "403 ErrorSendAsDenied: ", "graph-send-as-denied" },
  { "/stamp/graph-client/refused/404-no-mailbox",
    { "--fail", "404:MailboxNotEnabledForRESTAPI", NULL },
    NULL, NULL, 404, "404 MailboxNotEnabledForRESTAPI: ", "graph-no-mailbox" },
  { "/stamp/graph-client/refused/413", { "--fail", "413:RequestEntityTooLarge", NULL },
    NULL, NULL, 413, "413 RequestEntityTooLarge: ", "graph-request-too-large" },
  { "/stamp/graph-client/refused/500", { "--fail", "500:InternalServerError", NULL },
    NULL, NULL, 500, "500 InternalServerError: ", "graph-service-error" },
  { "/stamp/graph-client/refused/503", { "--fail", "503:ServiceUnavailable", NULL },
    NULL, NULL, 503, "503 ServiceUnavailable: ", "graph-service-error" },
};

static void
test_refusal (gconstpointer data)
{
  const RefusalCase *test = data;
  g_autoptr(StampTestGraph) graph = stamp_test_graph_startv (test->args);
  g_autofree char *token = test->token_audience != NULL
                             ? stamp_test_graph_make_token (test->token_audience,
                                                            test->token_scope, 0)
                             : graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *expected = g_strconcat ("Microsoft Graph answered ", test->wording, NULL);
  g_autofree char *transcript = NULL;
  g_autofree char *status_line = NULL;
  StampSmtpStep *failed;
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED);
  g_assert_true (g_str_has_prefix (run.error->message, expected));
  g_assert_cmpstr (stamp_error_get_nick (run.error), ==, "graph-refused");
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, test->status);
  g_assert_cmpuint (count_requests (graph), ==, 1);
  assert_explained (run.error, test->explanation);

  messages = stamp_test_graph_get_messages (graph);
  g_assert_cmpuint (messages->len, ==, 0);

  /* The request step failed with Graph's words; there is no 202. */
  failed = stamp_smtp_result_get_failed_step (run.result);
  g_assert_nonnull (failed);
  g_assert_cmpint (stamp_smtp_step_get_kind (failed), ==, STAMP_SMTP_STEP_GRAPH_REQUEST);
  g_assert_cmpint (stamp_smtp_step_get_state (failed), ==, STAMP_STEP_FAILED);
  g_assert_cmpstr (stamp_smtp_step_get_detail (failed), ==, run.error->message);
  g_assert_cmpuint (g_list_model_get_n_items (stamp_smtp_result_get_steps (run.result)), ==, 2);

  /* The answer is in the transcript: status line, request id, the JSON. */
  transcript = transcript_text (run.result);
  g_test_message ("%s", transcript);
  status_line = g_strdup_printf ("HTTP/1.1 %u ", test->status);
  g_assert_nonnull (strstr (transcript, status_line));
  g_assert_nonnull (strstr (transcript, "request-id: "));
  g_assert_nonnull (strstr (transcript, "\"innerError\""));
  assert_redacted (run.result, token);

  /* The help-desk report of the failure: Graph named, no token. */
  {
    g_autofree char *report = stamp_report_build (run.result, run.error, NULL, NULL);

    g_assert_nonnull (strstr (report, "Microsoft Graph"));
    g_assert_nonnull (strstr (report, test->wording));
    g_assert_null (strstr (report, token));
  }

  run_clear (&run);
}

/* 429 with a short Retry-After: wait as told, once, then it goes. */
static void
test_throttled_waits (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--throttle", "1", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *transcript = NULL;
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (count_requests (graph), ==, 2);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 202);
  g_assert_cmpuint (stamp_graph_client_get_retry_after (client), ==, 0);

  messages = stamp_test_graph_get_messages (graph);
  g_assert_cmpuint (messages->len, ==, 1);

  transcript = transcript_text (run.result);
  g_assert_nonnull (strstr (transcript, "HTTP/1.1 429 "));
  g_assert_nonnull (strstr (transcript, "Retry-After: 1"));
  g_assert_nonnull (strstr (transcript, "asks to wait 1 second"));
  g_assert_nonnull (strstr (transcript, "HTTP/1.1 202 Accepted"));

  run_clear (&run);
}

/* 503 with Retry-After is waited out like 429. */
static void
test_unavailable_waits (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--fail", "503:ServiceUnavailable:1",
                                                            "--fail-retry-after", "1", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (count_requests (graph), ==, 2);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 202);
  run_clear (&run);
}

/* A Retry-After longer than the client waits: it fails at once and
 * keeps how long Graph asked for. */
static void
test_throttled_too_long (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--throttle", "120:5", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL };

  stamp_graph_client_set_max_wait (client, 10);
  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED);
  g_assert_true (g_str_has_prefix (run.error->message,
                                   "Microsoft Graph answered 429 TooManyRequests: "));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (stamp_graph_client_get_retry_after (client), ==, 120);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 429);
  g_assert_cmpuint (count_requests (graph), ==, 1);
  assert_explained (run.error, "graph-throttled");
  run_clear (&run);

  /* 0: never waits, even a second. */
  stamp_graph_client_set_max_wait (client, 0);
  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED);
  g_assert_cmpuint (stamp_graph_client_get_retry_after (client), ==, 120);
  g_assert_cmpuint (count_requests (graph), ==, 2);
  run_clear (&run);
}

/* Over Graph's 4 MB request limit: a clear error, and nothing sent. */
static void
test_too_large (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start (NULL, NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  const char *head = "From: " USER "\r\nTo: " RCPT "\r\nSubject: Big scan\r\n\r\n";
  gsize size = STAMP_GRAPH_MAX_MESSAGE + 3;
  char *data = g_malloc (size);
  g_autoptr(GBytes) mime = NULL;
  Run run = { NULL };

  memset (data, 'A', size);
  memcpy (data, head, strlen (head));
  mime = g_bytes_new_take (data, size);

  run_send (client, NULL, mime, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (run.error->message, "4 MB"));
  g_assert_nonnull (strstr (run.error->message, "3.1\u00a0MB"));
  g_assert_nonnull (strstr (run.error->message, "4.2\u00a0MB"));
  assert_explained (run.error, "graph-message-too-large");
  g_assert_cmpint (stamp_smtp_step_get_kind (stamp_smtp_result_get_failed_step (run.result)),
                   ==, STAMP_SMTP_STEP_GRAPH_REQUEST);
  g_assert_cmpuint (count_requests (graph), ==, 0);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 0);
  run_clear (&run);

  /* Just under the limit goes. */
  mime = (g_bytes_unref (mime), NULL);
  size = STAMP_GRAPH_MAX_MESSAGE;
  data = g_malloc (size);
  memset (data, 'A', size);
  memcpy (data, head, strlen (head));
  memcpy (data + size - 2, "\r\n", 2);
  mime = g_bytes_new_take (data, size);

  run_send (client, NULL, mime, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (count_requests (graph), ==, 1);
  run_clear (&run);
}

/* No token: the token step fails and nothing goes. */
static void
test_no_token (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start (NULL, NULL);
  g_autoptr(StampGraphClient) client = client_new (graph, NULL);
  g_autoptr(StampMessage) message = message_new ();
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_cmpint (stamp_smtp_step_get_kind (stamp_smtp_result_get_failed_step (run.result)),
                   ==, STAMP_SMTP_STEP_GRAPH_TOKEN);
  g_assert_cmpuint (count_requests (graph), ==, 0);
  run_clear (&run);
}

/* A token for SMTP never goes to Graph; an opaque one does (personal
 * accounts' tokens are not JWTs), and Graph judges it. */
static void
test_token_for_smtp (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--token", "opaque-EwBAAl3BAAUF", NULL);
  g_autofree char *token = stamp_test_graph_make_token ("https://outlook.office.com",
                                                        "SMTP.Send", 0);
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  Run run = { NULL };

  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_nonnull (strstr (run.error->message, "https://outlook.office.com"));
  g_assert_cmpint (stamp_smtp_step_get_kind (stamp_smtp_result_get_failed_step (run.result)),
                   ==, STAMP_SMTP_STEP_GRAPH_TOKEN);
  g_assert_cmpuint (count_requests (graph), ==, 0);
  assert_redacted (run.result, token);
  assert_explained (run.error, "oauth-sign-in-needed");
  run_clear (&run);

  /* Graph's application id as the audience is Graph. */
  g_free (token);
  token = stamp_test_graph_make_token ("00000003-0000-0000-c000-000000000000", "Mail.Send", 0);
  stamp_graph_client_set_access_token (client, token);
  run_send (client, message, NULL, 0, &run);
  g_assert_no_error (run.error);
  run_clear (&run);

  stamp_graph_client_set_access_token (client, "opaque-EwBAAl3BAAUF");
  run_send (client, message, NULL, 0, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (count_requests (graph), ==, 2);
  assert_redacted (run.result, "opaque-EwBAAl3BAAUF");
  run_clear (&run);
}

static void
test_token_audience (void)
{
  const struct {
    const char *token;
    const char *audience;
    gboolean    graph;
  } cases[] = {
    { "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.x",
      "https://graph.microsoft.com", TRUE },
    { "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC51cyJ9.x",
      "https://graph.microsoft.us", TRUE },
    { "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.x",
      "https://outlook.office.com", FALSE },
    { "eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20uZXZpbC5leGFtcGxlIn0.x",
      "https://graph.microsoft.com.evil.example", FALSE },
    { "EwBAAl3BAAUFFpUAo7J3Ve0bjL", NULL, FALSE },
    { "a.!!!.c", NULL, FALSE },
    { "a.eyJzY3AiOiJNYWlsLlNlbmQifQ.c", NULL, FALSE },
    { "a.bm90IGpzb24.c", NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *audience = _stamp_graph_dup_token_audience (cases[i].token);

      g_assert_cmpstr (audience, ==, cases[i].audience);
      if (audience != NULL)
        g_assert_true (_stamp_graph_is_graph_audience (audience) == cases[i].graph);
    }
}

/* Only https, or plain http to this machine, may carry the token. */
static void
test_base_url (void)
{
  const char *allowed[] = {
    "https://graph.microsoft.com/v1.0", "https://graph.microsoft.us/v1.0/",
    "http://127.0.0.1:8080/v1.0", "http://localhost:1/v1.0", "http://[::1]:8080/v1.0",
  };
  const char *refused[] = {
    "http://graph.microsoft.com/v1.0", "http://192.0.2.7/v1.0", "http://127.0.0.1.example/v1.0",
    "ftp://graph.microsoft.com/v1.0", "graph.microsoft.com", "", "https:///v1.0",
  };
  g_autoptr(StampGraphClient) fallback = stamp_graph_client_new (NULL, NULL);

  g_assert_cmpstr (stamp_graph_client_get_base_url (fallback), ==, STAMP_GRAPH_DEFAULT_URL);

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StampGraphClient) client = stamp_graph_client_new (allowed[i], &error);

      g_assert_no_error (error);
      g_assert_false (g_str_has_suffix (stamp_graph_client_get_base_url (client), "/"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StampGraphClient) client = stamp_graph_client_new (refused[i], &error);

      g_assert_null (client);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_clear_error (&error);
      g_assert_false (stamp_graph_url_validate (refused[i], &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
    }
}

/* A Graph that reads the request and never answers. */
static void
test_cancel (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--hang", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL };

  run_send (client, message, NULL, 300, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (stamp_smtp_step_get_kind (stamp_smtp_result_get_failed_step (run.result)),
                   ==, STAMP_SMTP_STEP_GRAPH_REQUEST);
  run_clear (&run);
}

/* Cancelled while waiting out a Retry-After. */
static void
test_cancel_wait (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--throttle", "20", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL };

  run_send (client, message, NULL, 500, &run);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_requests (graph), ==, 1);
  run_clear (&run);
}

static void
test_timeout (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--hang", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  gint64 start = g_get_monotonic_time ();
  Run run = { NULL };

  stamp_graph_client_set_timeout (client, 1);
  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (run.error->message, "1 second"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 0);
  run_clear (&run);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

static void
test_connection_refused (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1.0", free_port ());
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = stamp_graph_client_new (url, NULL);
  g_autoptr(StampMessage) message = message_new ();
  Run run = { NULL };

  stamp_graph_client_set_access_token (client, token);
  run_send (client, message, NULL, 0, &run);
  g_assert_error (run.error, STAMP_ERROR, STAMP_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (stamp_graph_client_get_status (client), ==, 0);
  assert_redacted (run.result, token);
  run_clear (&run);
}

/* One send at a time; the second is refused without a result. */
static void
test_busy (void)
{
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--throttle", "1", NULL);
  g_autofree char *token = graph_token ();
  g_autoptr(StampGraphClient) client = client_new (graph, token);
  g_autoptr(StampMessage) message = message_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run first = { loop, NULL, NULL, 0 };
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(StampSmtpResult) second_result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_graph_client_send_async (client, message, NULL, send_cb, &first);
  stamp_graph_client_send_async (client, message, NULL, stamp_test_result_cb, &second);
  while (second == NULL)
    g_main_context_iteration (NULL, TRUE);
  second_result = stamp_graph_client_send_finish (client, second, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_null (second_result);

  g_main_loop_run (loop);
  g_assert_no_error (first.error);
  first.loop = NULL;
  run_clear (&first);
}

typedef struct
{
  const char *path;
  guint       status;
  const char *content_type;
  const char *body;
  GQuark      domain;
  int         code;
  const char *wording;
} AnswerCase;

#define LONG_MESSAGE \
  "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor " \
  "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud " \
  "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure " \
  "dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. " \
  "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt."

static const AnswerCase answer_cases[] = {
  { "/stamp/graph-client/answer/graph-error", 403, "application/json",
    "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"Access is denied.\"}}",
    0, STAMP_ERROR_GRAPH_REFUSED, "Microsoft Graph answered 403 ErrorAccessDenied: Access is denied." },
  { "/stamp/graph-client/answer/multiline-message", 400, "application/json",
    "{\"error\":{\"code\":\"ErrorInvalidRecipients\",\"message\":\"One\\nTwo\"}}",
    0, STAMP_ERROR_GRAPH_REFUSED, "Microsoft Graph answered 400 ErrorInvalidRecipients: One Two" },
  { "/stamp/graph-client/answer/token-quoted", 401, "application/json",
    "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Bad token SECRET-TOKEN-1\"}}",
    0, STAMP_ERROR_GRAPH_REFUSED,
    "Microsoft Graph answered 401 InvalidAuthenticationToken: Bad token [hidden]" },
  { "/stamp/graph-client/answer/html", 502, "text/html", "<html>Bad gateway</html>",
    0, STAMP_ERROR_GRAPH_REFUSED,
    "Microsoft Graph answered 502 Bad Gateway: the answer is not Graph’s error description (text/html)" },
  { "/stamp/graph-client/answer/empty", 401, NULL, "",
    0, STAMP_ERROR_GRAPH_REFUSED,
    "Microsoft Graph answered 401 Unauthorized: the answer is not Graph’s error description (no body)" },
  { "/stamp/graph-client/answer/no-code", 500, "application/json", "{\"error\":{\"message\":\"x\"}}",
    0, STAMP_ERROR_GRAPH_REFUSED,
    "Microsoft Graph answered 500 Internal Server Error: the answer is not Graph’s error description (application/json)" },
  { "/stamp/graph-client/answer/odd-code", 500, "application/json",
    "{\"error\":{\"code\":\"a b: c\",\"message\":\"x\"}}",
    0, STAMP_ERROR_GRAPH_REFUSED,
    "Microsoft Graph answered 500 Internal Server Error: the answer is not Graph’s error description (application/json)" },
  { "/stamp/graph-client/answer/ok-not-accepted", 200, "application/json", "{}",
    0, STAMP_ERROR_BAD_REPLY, "Microsoft Graph answered 200 OK where 202 Accepted was expected" },
  { "/stamp/graph-client/answer/redirect", 301, NULL, "",
    0, STAMP_ERROR_BAD_REPLY, "Microsoft Graph answered 301 Moved Permanently where 202" },
};

/* The wording of answers the mock does not give: not JSON, no code, a
 * success that is not 202, a long message, the token quoted back. */
static void
test_answer (gconstpointer data)
{
  const AnswerCase *test = data;
  g_autoptr(GBytes) body = g_bytes_new_static (test->body, strlen (test->body));
  g_autofree char *code = NULL;
  g_autoptr(GError) error = _stamp_graph_error_from_answer (test->status, NULL,
                                                            test->content_type, body,
                                                            "SECRET-TOKEN-1", &code);

  g_assert_error (error, STAMP_ERROR, test->code);
  g_assert_true (g_str_has_prefix (error->message, test->wording));
}

static void
test_answer_long (void)
{
  const char *json = "{\"error\":{\"code\":\"ErrorAccessDenied\",\"message\":\"" LONG_MESSAGE
                     LONG_MESSAGE "\"}}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));
  g_autofree char *code = NULL;
  g_autoptr(GError) error = _stamp_graph_error_from_answer (403, "Forbidden", "application/json",
                                                            body, NULL, &code);

  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED);
  g_assert_cmpstr (code, ==, "ErrorAccessDenied");
  g_assert_true (g_str_has_suffix (error->message, "…"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <,
                    STAMP_GRAPH_MAX_QUOTED + strlen ("Microsoft Graph answered 403 "
                                                     "ErrorAccessDenied: ") + 2);
}

/* The transcript shows the message's header lines and stops at the body. */
static void
test_describe_headers (void)
{
  const char *text = "From: a@example.test\r\nSubject: folded\r\n  on\r\n\r\nbody line\r\n";
  g_autoptr(GBytes) mime = g_bytes_new_static (text, strlen (text));
  g_autofree char *headers = _stamp_graph_describe_headers (mime);

  g_assert_cmpstr (headers, ==, "From: a@example.test\nSubject: folded\n  on\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/graph-client/send", test_send);
  g_test_add_func ("/stamp/graph-client/send-mime", test_send_mime);
  for (guint i = 0; i < G_N_ELEMENTS (refusal_cases); i++)
    g_test_add_data_func (refusal_cases[i].path, &refusal_cases[i], test_refusal);
  g_test_add_func ("/stamp/graph-client/throttled/waits", test_throttled_waits);
  g_test_add_func ("/stamp/graph-client/throttled/too-long", test_throttled_too_long);
  g_test_add_func ("/stamp/graph-client/throttled/unavailable", test_unavailable_waits);
  g_test_add_func ("/stamp/graph-client/too-large", test_too_large);
  g_test_add_func ("/stamp/graph-client/no-token", test_no_token);
  g_test_add_func ("/stamp/graph-client/token/for-smtp", test_token_for_smtp);
  g_test_add_func ("/stamp/graph-client/token/audience", test_token_audience);
  g_test_add_func ("/stamp/graph-client/base-url", test_base_url);
  g_test_add_func ("/stamp/graph-client/cancel", test_cancel);
  g_test_add_func ("/stamp/graph-client/cancel-wait", test_cancel_wait);
  g_test_add_func ("/stamp/graph-client/timeout", test_timeout);
  g_test_add_func ("/stamp/graph-client/connection-refused", test_connection_refused);
  g_test_add_func ("/stamp/graph-client/busy", test_busy);
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    g_test_add_data_func (answer_cases[i].path, &answer_cases[i], test_answer);
  g_test_add_func ("/stamp/graph-client/answer/long", test_answer_long);
  g_test_add_func ("/stamp/graph-client/describe-headers", test_describe_headers);

  return g_test_run ();
}

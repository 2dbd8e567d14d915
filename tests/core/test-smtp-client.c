/* test-smtp-client.c
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

/* The SMTP engine against a real SMTP server on loopback
 * (tests/fixtures/smtp-server.py): every security mode, every mechanism,
 * the server's refusals, and servers that stall, drop or talk nonsense. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-error.h"
#include "stamp-smtp-client.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"

#define USER     "alice@example.test"
#define RCPT     "bob@example.test"
#define PASSWORD "canary-Pa55-7d1f9e"
#define TOKEN    "canary-token-EwBAAl3BAAUFFpUAo7J3Ve0bjL"

typedef struct
{
  GMainLoop      *loop;
  StampSmtpReply *reply;
  GError         *error;
} SendResult;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendResult *send = user_data;

  g_autoptr(StampSmtpResult) outcome = NULL;

  outcome = stamp_smtp_client_send_finish (STAMP_SMTP_CLIENT (object), result, &send->error);
  /* A failed run still has a result; only a run that never started has not. */
  g_assert_true (outcome != NULL || send->error != NULL);
  g_assert_true (outcome == NULL || (stamp_smtp_result_get_reply (outcome) == NULL) ==
                                    (send->error != NULL));
  if (outcome != NULL)
    {
      g_assert_true (outcome == stamp_smtp_client_get_result (STAMP_SMTP_CLIENT (object)));
      g_set_object (&send->reply, stamp_smtp_result_get_reply (outcome));
    }
  g_main_loop_quit (send->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs one send to the end; cancels it after @cancel_after_ms if not 0. */
static StampSmtpReply *
run_send_full (StampSmtpClient  *client,
               StampMessage     *message,
               guint             cancel_after_ms,
               GError          **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SendResult send = { loop, NULL, NULL };

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);

  stamp_smtp_client_send_async (client, message, cancellable, send_cb, &send);
  g_main_loop_run (loop);

  g_assert_false (stamp_smtp_client_get_busy (client));
  if (send.error != NULL)
    g_propagate_error (error, send.error);

  return send.reply;
}

static StampSmtpReply *
run_send (StampSmtpClient  *client,
          GError          **error)
{
  g_autoptr(StampMessage) message = stamp_message_new (USER, RCPT, "Stamp test", "Hello.\n");

  return run_send_full (client, message, 0, error);
}

/* The result of the client's last send. */
static StampSmtpResult *
last (StampSmtpClient *client)
{
  g_assert_nonnull (stamp_smtp_client_get_result (client));
  return stamp_smtp_client_get_result (client);
}

static StampSmtpClient *
client_new (const char    *host,
            guint16        port,
            StampSecurity  security,
            const char    *ca_file)
{
  g_autoptr(StampSmtpSettings) settings = stamp_smtp_settings_new (host, port, security);

  stamp_smtp_settings_set_ca_file (settings, ca_file);
  return stamp_smtp_client_new (settings);
}

/* Changes one setting of @client: the mechanism, or the reply deadline. */
static void
set_auth_mechanism (StampSmtpClient    *client,
                    StampAuthMechanism  mechanism)
{
  g_autoptr(StampSmtpSettings) settings =
    stamp_smtp_settings_copy (stamp_smtp_client_get_settings (client));

  stamp_smtp_settings_set_auth_mechanism (settings, mechanism);
  stamp_smtp_client_set_settings (client, settings);
}

static void
set_reply_timeout (StampSmtpClient *client,
                   guint            seconds)
{
  g_autoptr(StampSmtpSettings) settings =
    stamp_smtp_settings_copy (stamp_smtp_client_get_settings (client));

  stamp_smtp_settings_set_reply_timeout (settings, seconds);
  stamp_smtp_client_set_settings (client, settings);
}

static StampSmtpClient *
new_client (StampTestServer *server,
            const char      *security)
{
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autoptr(StampSmtpSettings) settings = NULL;
  StampSecurity mode;

  g_assert_true (stamp_security_from_string (security, &mode));
  settings = stamp_smtp_settings_new ("localhost", stamp_test_server_get_port (server), mode);
  stamp_smtp_settings_set_ca_file (settings, ca);
  stamp_smtp_settings_set_reply_timeout (settings, 10);
  stamp_smtp_settings_set_connect_timeout (settings, 10);

  return stamp_smtp_client_new (settings);
}

static JsonObject *
only_event (StampTestServer *server,
            const char      *name)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, name);

  g_assert_cmpuint (events->len, ==, 1);
  return json_object_ref (g_ptr_array_index (events, 0));
}

static guint
count_events (StampTestServer *server,
              const char      *name)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, name);

  return events->len;
}

static void
assert_no_secret_in (const char *text)
{
  g_autofree char *plain64 = NULL;
  g_autofree char *pass64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));

  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, TOKEN));
  g_assert_null (strstr (text, pass64));
  /* The secret's tail in base64 at any alignment would contain this. */
  plain64 = g_base64_encode ((const guchar *) "Pa55-7d1f9e", 11);
  g_assert_null (strstr (text, plain64));
}

static void
assert_transcript_clean (StampSmtpClient *client)
{
  g_autofree char *text =
    stamp_transcript_format (stamp_smtp_result_get_transcript (last (client)));

  g_assert_true (g_utf8_validate (text, -1, NULL));
  assert_no_secret_in (text);
}

static void
assert_steps (StampSmtpClient          *client,
              const StampSmtpStepKind  *kinds,
              guint                     n_kinds)
{
  GListModel *steps = stamp_smtp_result_get_steps (last (client));

  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, n_kinds);
  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (stamp_smtp_step_get_kind (step), ==, kinds[i]);
      g_assert_cmpint (stamp_smtp_step_get_state (step), ==, STAMP_STEP_SUCCEEDED);
      g_assert_cmpint (stamp_smtp_step_get_duration (step), >=, 0);
      g_assert_nonnull (stamp_smtp_step_get_detail (step));
    }
}

static void
assert_failed_at (StampSmtpClient   *client,
                  StampSmtpStepKind  kind)
{
  StampSmtpStep *step = stamp_smtp_result_get_failed_step (last (client));

  g_assert_nonnull (step);
  g_assert_cmpint (stamp_smtp_step_get_kind (step), ==, kind);
  g_assert_cmpint (stamp_smtp_step_get_state (step), ==, STAMP_STEP_FAILED);
}

static void
test_starttls_send (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  static const StampSmtpStepKind kinds[] = {
    STAMP_SMTP_STEP_RESOLVE, STAMP_SMTP_STEP_CONNECT, STAMP_SMTP_STEP_GREETING,
    STAMP_SMTP_STEP_EHLO, STAMP_SMTP_STEP_STARTTLS, STAMP_SMTP_STEP_TLS_HANDSHAKE,
    STAMP_SMTP_STEP_EHLO, STAMP_SMTP_STEP_AUTH, STAMP_SMTP_STEP_MAIL, STAMP_SMTP_STEP_RCPT,
    STAMP_SMTP_STEP_DATA, STAMP_SMTP_STEP_ACCEPTED,
  };

  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);
  g_assert_no_error (error);

  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
  g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (reply), ==, "2.0.0");
  g_assert_null (stamp_smtp_result_get_failed_step (last (client)));
  assert_steps (client, kinds, G_N_ELEMENTS (kinds));
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, STAMP_AUTH_PLAIN);

  g_assert_cmpstr (stamp_smtp_result_get_tls_version (last (client)), ==, "TLS1.3");
  g_assert_nonnull (stamp_smtp_result_get_tls_cipher (last (client)));
  g_assert_nonnull (stamp_smtp_result_get_tls_certificates (last (client)));
  g_assert_nonnull (strstr (stamp_smtp_result_get_tls_certificates (last (client))[0],
                            "Stamp Test CA"));

  message = only_event (server, "message");
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, USER);
  data = json_object_get_string_member (message, "data");
  g_assert_true (g_str_has_prefix (data, "From: " USER "\r\nTo: " RCPT "\r\n"));
  g_assert_nonnull (strstr (data, "\r\nSubject: Stamp test\r\n"));
  g_assert_nonnull (strstr (data, "\r\nDate: "));
  g_assert_nonnull (strstr (data, "\r\nMessage-ID: <"));
  g_assert_nonnull (strstr (data, "\r\nMIME-Version: 1.0\r\n"));
  g_assert_nonnull (strstr (data, "\r\n\r\nHello.\r\n"));

  assert_transcript_clean (client);
}

/* TLS 1.2 uses False Start: the cipher is only known after the first
 * record, and must still be reported, never as "NULL". */
static void
test_tls12_cipher (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--tls-max", "1.2", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (stamp_smtp_result_get_tls_version (last (client)), ==, "TLS1.2");
  g_assert_nonnull (stamp_smtp_result_get_tls_cipher (last (client)));
  g_assert_cmpstr (stamp_smtp_result_get_tls_cipher (last (client)), !=, "NULL");
}

static void
test_implicit_tls_send (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("tls", "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "tls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(GError) error = NULL;
  static const StampSmtpStepKind kinds[] = {
    STAMP_SMTP_STEP_RESOLVE, STAMP_SMTP_STEP_CONNECT, STAMP_SMTP_STEP_TLS_HANDSHAKE,
    STAMP_SMTP_STEP_GREETING, STAMP_SMTP_STEP_EHLO, STAMP_SMTP_STEP_AUTH,
    STAMP_SMTP_STEP_MAIL, STAMP_SMTP_STEP_RCPT, STAMP_SMTP_STEP_DATA, STAMP_SMTP_STEP_ACCEPTED,
  };

  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);
  g_assert_no_error (error);
  assert_steps (client, kinds, G_N_ELEMENTS (kinds));

  message = only_event (server, "message");
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  assert_transcript_clean (client);
}

static void
test_plain_connection_send (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("none", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "none");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* Relay style: no encryption chosen, no sign-in. */
  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_events (server, "message"), ==, 1);
  g_assert_cmpint (count_events (server, "auth"), ==, 0);
  g_assert_null (stamp_smtp_result_get_tls_version (last (client)));
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, STAMP_AUTH_NONE);
}

typedef struct
{
  const char         *path;
  StampAuthMechanism  mechanism;
  gboolean            token;
  const char         *server_name;
  const char         *raw;
} MechanismCase;

static const MechanismCase mechanism_cases[] = {
  { "/stamp/smtp-client/auth/plain", STAMP_AUTH_PLAIN, FALSE, "PLAIN", NULL },
  { "/stamp/smtp-client/auth/login", STAMP_AUTH_LOGIN, FALSE, "LOGIN", NULL },
  { "/stamp/smtp-client/auth/xoauth2", STAMP_AUTH_XOAUTH2, TRUE, "XOAUTH2",
    "user=" USER "\001auth=Bearer " TOKEN "\001\001" },
  { "/stamp/smtp-client/auth/oauthbearer", STAMP_AUTH_OAUTHBEARER, TRUE, "OAUTHBEARER",
    NULL },
};

static void
test_mechanism (gconstpointer data)
{
  const MechanismCase *test = data;
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--token", TOKEN, NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) auth = NULL;
  g_autoptr(GError) error = NULL;

  set_auth_mechanism (client, test->mechanism);
  if (test->token)
    stamp_smtp_client_set_oauth_token (client, TOKEN);
  else
    stamp_smtp_client_set_password (client, PASSWORD);

  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, test->mechanism);

  auth = only_event (server, "auth");
  g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==, test->server_name);
  g_assert_true (json_object_get_boolean_member (auth, "success"));
  g_assert_cmpstr (json_object_get_string_member (auth, "user"), ==, USER);

  if (test->mechanism == STAMP_AUTH_PLAIN)
    {
      /* JSON strings cannot carry PLAIN's NUL bytes: check the wire line. */
      static const char plain[] = "\0" USER "\0" PASSWORD;
      g_autofree char *encoded = g_base64_encode ((const guchar *) plain, sizeof plain - 1);
      g_autofree char *line = g_strdup_printf ("AUTH PLAIN %s", encoded);
      g_autoptr(GPtrArray) commands = stamp_test_server_get_events (server, "command");
      gboolean found = FALSE;

      for (guint i = 0; i < commands->len; i++)
        found |= g_strcmp0 (json_object_get_string_member (g_ptr_array_index (commands, i),
                                                           "line"), line) == 0;
      g_assert_true (found);
    }
  else if (test->mechanism != STAMP_AUTH_LOGIN)
    {
      g_autofree char *expected = NULL;

      if (test->mechanism == STAMP_AUTH_OAUTHBEARER)
        expected = g_strdup_printf ("n,a=" USER ",\001host=localhost\001port=%u\001"
                                    "auth=Bearer " TOKEN "\001\001",
                                    stamp_test_server_get_port (server));
      else
        expected = g_strdup (test->raw);

      g_assert_cmpstr (json_object_get_string_member (auth, "raw"), ==, expected);
    }

  assert_transcript_clean (client);
}

static void
test_auth_automatic_choice (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--token", TOKEN,
                             "--auth-mechanisms", "LOGIN OAUTHBEARER XOAUTH2 PLAIN", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  stamp_smtp_client_set_oauth_token (client, TOKEN);
  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, STAMP_AUTH_XOAUTH2);

  g_clear_object (&reply);
  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, STAMP_AUTH_PLAIN);
}

/* Whether the server saw @line as a command or SASL line. */
static gboolean
server_saw_line (StampTestServer *server,
                 const char      *line)
{
  g_autoptr(GPtrArray) commands = stamp_test_server_get_events (server, "command");

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (commands, i), "line"),
                     line) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_auth_long_token_initial_response (void)
{
  g_autofree char *long_token = g_strnfill (1800, 'T');
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--token", long_token, "--chunking",
                             NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSecret) blob = stamp_sasl_encode_xoauth2 (USER, long_token);
  g_autofree char *line = g_strdup_printf ("AUTH XOAUTH2 %s", blob);
  g_autoptr(JsonObject) auth = NULL;

  /* A real Entra token runs to kilobytes, past SMTP's 512 octets: it goes
   * on the AUTH line all the same, as Exchange Online and Gmail take it,
   * and the envelope and message go in the same write. */
  stamp_smtp_client_set_oauth_token (client, long_token);
  reply = run_send (client, &error);
  g_assert_no_error (error);

  g_assert_true (server_saw_line (server, line));
  g_assert_false (server_saw_line (server, "AUTH XOAUTH2"));
  auth = only_event (server, "auth");
  g_assert_true (json_object_get_boolean_member (auth, "success"));
  g_assert_cmpint (count_events (server, "message"), ==, 1);
  g_assert_cmpint (count_events (server, "connect"), ==, 1);
  assert_transcript_clean (client);
}

typedef enum
{
  LONG_LINE_CHUNKING,     /* QUIT goes with the pipelined group */
  LONG_LINE_DATA,         /* the group ends with DATA */
  LONG_LINE_NO_PIPELINING,
} LongLineCase;

/* A server that holds AUTH lines to 512 octets gets the token after its
 * 334: on a new connection when QUIT already went with the pipelined
 * group (CHUNKING), on the same one otherwise. */
static void
test_auth_long_line_refused (gconstpointer data)
{
  LongLineCase test = GPOINTER_TO_INT (data);
  gboolean chunking = test == LONG_LINE_CHUNKING;
  g_autofree char *long_token = g_strnfill (1800, 'T');
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--token", long_token,
                             "--scenario", "short-auth-line",
                             chunking ? "--chunking"
                             : test == LONG_LINE_NO_PIPELINING ? "--no-pipelining" : NULL,
                             NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autofree char *transcript = NULL;
  GListModel *steps;
  guint n_auth_steps = 0;
  gboolean last_auth_succeeded = FALSE;

  stamp_smtp_client_set_oauth_token (client, long_token);
  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  /* Refused on one line, taken in two steps; one message. */
  g_assert_true (server_saw_line (server, "AUTH XOAUTH2"));
  auths = stamp_test_server_get_events (server, "auth");
  g_assert_cmpuint (auths->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (auths, 0), "success"));
  g_assert_cmpint (count_events (server, "message"), ==, 1);
  g_assert_cmpint (count_events (server, "connect"), ==, chunking ? 2 : 1);

  /* The transcript says what happened, and the checklist shows the refused
   * line and then the sign-in that worked. */
  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (last (client)));
  g_assert_nonnull (strstr (transcript, "500 5.5.6"));
  if (test != LONG_LINE_NO_PIPELINING)
    g_assert_nonnull (strstr (transcript, "530 5.7.0"));
  g_assert_nonnull (strstr (transcript, chunking ? "connects again" : "sends the token again"));
  assert_no_secret_in (transcript);

  steps = stamp_smtp_result_get_steps (last (client));
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);

      g_assert_cmpint (stamp_smtp_step_get_state (step), !=, STAMP_STEP_RUNNING);
      if (stamp_smtp_step_get_kind (step) == STAMP_SMTP_STEP_AUTH)
        {
          n_auth_steps++;
          last_auth_succeeded = stamp_smtp_step_get_state (step) == STAMP_STEP_SUCCEEDED;
        }
    }
  /* Without a group, the one AUTH step takes both tries. */
  g_assert_cmpuint (n_auth_steps, ==, test == LONG_LINE_NO_PIPELINING ? 1 : 2);
  g_assert_true (last_auth_succeeded);
}

static void
test_error_challenge (gconstpointer data)
{
  StampAuthMechanism mechanism = GPOINTER_TO_INT (data);
  /* Without PIPELINING the client answers the challenge itself. */
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--token", TOKEN,
                             "--scenario", "xoauth2-challenge", "--no-pipelining", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  StampSmtpReply *failure;

  set_auth_mechanism (client, mechanism);
  stamp_smtp_client_set_oauth_token (client, TOKEN);
  reply = run_send (client, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "https://mail.google.com/"));
  g_assert_nonnull (strstr (error->message, "401"));
  assert_failed_at (client, STAMP_SMTP_STEP_AUTH);

  failure = stamp_smtp_result_get_failure_reply (last (client));
  g_assert_cmpint (stamp_smtp_reply_get_code (failure), ==, 535);
  g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (failure), ==, "5.7.8");
  g_assert_cmpuint (g_strv_length ((GStrv) stamp_smtp_reply_get_lines (failure)), ==, 2);

  answer = only_event (server, "challenge-answer");
  g_assert_cmpstr (json_object_get_string_member (answer, "line"), ==,
                   mechanism == STAMP_AUTH_XOAUTH2 ? "" : "AQ==");

  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (last (client)));
  g_assert_nonnull (strstr (transcript, "status 401"));
  assert_no_secret_in (transcript);
  g_assert_cmpint (count_events (server, "message"), ==, 0);
}

/* With PIPELINING the MAIL line behind the token answers the challenge:
 * the sign-in fails all the same, the error says why, and no message goes
 * through. */
static void
test_error_challenge_pipelined (gconstpointer data)
{
  StampAuthMechanism mechanism = GPOINTER_TO_INT (data);
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--token", TOKEN,
                             "--scenario", "xoauth2-challenge", "--chunking", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  StampSmtpReply *failure;

  set_auth_mechanism (client, mechanism);
  stamp_smtp_client_set_oauth_token (client, TOKEN);
  reply = run_send (client, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED);
  g_assert_nonnull (strstr (error->message, "https://mail.google.com/"));
  g_assert_nonnull (strstr (error->message, "401"));
  assert_failed_at (client, STAMP_SMTP_STEP_AUTH);
  /* The final reply, to the line that answered the challenge. */
  failure = stamp_smtp_result_get_failure_reply (last (client));
  g_assert_nonnull (failure);
  g_assert_cmpint (stamp_smtp_reply_get_code (failure), >=, 500);

  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (last (client)));
  g_assert_nonnull (strstr (transcript, "status 401"));
  assert_no_secret_in (transcript);
  g_assert_cmpint (count_events (server, "message"), ==, 0);
  g_assert_cmpint (count_events (server, "connect"), ==, 1);
}

typedef struct
{
  const char        *path;
  const char        *server_security;
  const char        *server_args[8];  /* NULL-terminated */
  const char        *client_security;
  const char        *password;
  const char        *token;
  guint              reply_timeout;
  int                code;
  StampSmtpStepKind  step;
  const char        *enhanced;
  /* Nothing of a credential, or no MAIL at all, may reach the server */
  gboolean           no_auth;
  gboolean           no_mail;
} FailureCase;

#define SERVER_USER "--user", USER, "--password", PASSWORD

static const FailureCase failure_cases[] = {
  { "/stamp/smtp-client/auth/disabled", "starttls",
    { SERVER_USER, "--scenario", "auth-reject-5.7.139" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_AUTH_DISABLED, STAMP_SMTP_STEP_AUTH, "5.7.139", FALSE, FALSE },
  { "/stamp/smtp-client/auth/unsupported", "starttls",
    { "--auth-mechanisms", "PLAIN LOGIN" }, "starttls", NULL, TOKEN, 0,
    STAMP_ERROR_AUTH_UNSUPPORTED, STAMP_SMTP_STEP_AUTH, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/reject/send-as", "starttls",
    { SERVER_USER, "--scenario", "mail-reject-5.7.60" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_SENDER_REJECTED, STAMP_SMTP_STEP_MAIL, "5.7.60", FALSE, FALSE },
  { "/stamp/smtp-client/reject/recipient", "starttls",
    { "--scenario", "rcpt-reject" }, "starttls", NULL, NULL, 0,
    STAMP_ERROR_RECIPIENT_REJECTED, STAMP_SMTP_STEP_RCPT, "5.1.1", FALSE, FALSE },
  { "/stamp/smtp-client/tls/starttls-not-offered", "none",
    { SERVER_USER }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_TLS_REQUIRED, STAMP_SMTP_STEP_STARTTLS, NULL, TRUE, TRUE },
  /* AUTH offered in plain text, STARTTLS not: with LOGIN and no pipelining
   * nothing would hide a credential sent too early. */
  { "/stamp/smtp-client/tls/starttls-not-offered-login", "none",
    { SERVER_USER, "--auth-mechanisms", "LOGIN", "--no-pipelining" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_TLS_REQUIRED, STAMP_SMTP_STEP_STARTTLS, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/tls/starttls-refused", "starttls",
    { SERVER_USER, "--scenario", "starttls-fails" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_STARTTLS_FAILED, STAMP_SMTP_STEP_STARTTLS, "4.7.0", TRUE, TRUE },
  { "/stamp/smtp-client/tls/version-too-old", "tls",
    { SERVER_USER, "--tls-max", "1.1" }, "tls", PASSWORD, NULL, 0,
    STAMP_ERROR_TLS_VERSION, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/deadline/greeting", "none",
    { "--scenario", "stall-greeting" }, "none", NULL, NULL, 1,
    STAMP_ERROR_TIMED_OUT, STAMP_SMTP_STEP_GREETING, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/deadline/ehlo", "starttls",
    { SERVER_USER, "--scenario", "stall-ehlo" }, "starttls", PASSWORD, NULL, 1,
    STAMP_ERROR_TIMED_OUT, STAMP_SMTP_STEP_EHLO, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/hostile/drop-in-data", "starttls",
    { "--scenario", "drop-in-data" }, "starttls", NULL, NULL, 0,
    STAMP_ERROR_CONNECTION_CLOSED, STAMP_SMTP_STEP_ACCEPTED, NULL, FALSE, FALSE },
  { "/stamp/smtp-client/hostile/garbage", "none",
    { "--scenario", "garbage-reply" }, "none", NULL, NULL, 0,
    STAMP_ERROR_BAD_REPLY, STAMP_SMTP_STEP_EHLO, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/hostile/nul-in-reply", "none",
    { SERVER_USER, "--scenario", "nul-in-ehlo" }, "none", PASSWORD, NULL, 0,
    STAMP_ERROR_BAD_REPLY, STAMP_SMTP_STEP_EHLO, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/hostile/starttls-injection", "starttls",
    { SERVER_USER, "--scenario", "starttls-injects" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_STARTTLS_FAILED, STAMP_SMTP_STEP_TLS_HANDSHAKE, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/hostile/auth-only-before-tls", "starttls",
    { SERVER_USER, "--scenario", "auth-only-before-tls" }, "starttls", PASSWORD, NULL, 0,
    STAMP_ERROR_TLS_DOWNGRADE, STAMP_SMTP_STEP_AUTH, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/hostile/overlong", "none",
    { "--scenario", "overlong-reply" }, "none", NULL, NULL, 0,
    STAMP_ERROR_BAD_REPLY, STAMP_SMTP_STEP_EHLO, NULL, TRUE, TRUE },
  { "/stamp/smtp-client/message/size-limit", "starttls",
    { "--size", "100" }, "starttls", NULL, NULL, 0,
    STAMP_ERROR_MESSAGE_TOO_LARGE, STAMP_SMTP_STEP_MAIL, NULL, TRUE, TRUE },
};

/* A send that must fail: with the right cause, at the right step, in
 * bounded time, without a message delivered, and with nothing secret in
 * the transcript or, where the case says so, on the server. */
static void
test_failure (gconstpointer data)
{
  const FailureCase *test = data;
  g_autoptr(StampTestServer) server = stamp_test_server_startv (test->server_security,
                                                                test->server_args);
  g_autoptr(StampSmtpClient) client = new_client (server, test->client_security);
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  StampSmtpReply *failure;
  gint64 start;

  if (test->password != NULL)
    stamp_smtp_client_set_password (client, test->password);
  if (test->token != NULL)
    stamp_smtp_client_set_oauth_token (client, test->token);
  if (test->reply_timeout > 0)
    set_reply_timeout (client, test->reply_timeout);

  start = g_get_monotonic_time ();
  reply = run_send (client, &error);
  g_assert_null (reply);
  g_assert_error (error, STAMP_ERROR, test->code);
  assert_failed_at (client, test->step);
  if (test->reply_timeout > 0)
    g_assert_cmpint (g_get_monotonic_time () - start, <,
                     test->reply_timeout * G_USEC_PER_SEC + stamp_test_bound (3));

  failure = stamp_smtp_result_get_failure_reply (last (client));
  if (test->enhanced != NULL)
    {
      g_assert_nonnull (failure);
      g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (failure), ==, test->enhanced);
      g_assert_nonnull (strstr (error->message, test->enhanced));
    }

  g_assert_cmpint (count_events (server, "message"), ==, 0);
  assert_transcript_clean (client);

  commands = stamp_test_server_get_events (server, "command");
  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = json_object_get_string_member (g_ptr_array_index (commands, i), "line");

      if (test->no_auth)
        g_assert_false (g_str_has_prefix (line, "AUTH"));
      if (test->no_mail)
        g_assert_false (g_str_has_prefix (line, "MAIL"));
    }

  if (test->no_auth)
    {
      g_assert_cmpint (count_events (server, "auth"), ==, 0);
      log = stamp_test_server_dup_log (server);
      assert_no_secret_in (log);
    }
}

typedef struct
{
  const char *path;
  const char *cert;
  const char *host;
  int         code;
  const char *security;   /* "tls" from the first byte, or "starttls" */
} CertCase;

static const CertCase cert_cases[] = {
  { "/stamp/smtp-client/tls/wrong-host", "wrong-host", "localhost", STAMP_ERROR_CERT_HOSTNAME, "tls" },
  { "/stamp/smtp-client/tls/unknown-issuer", "untrusted", "localhost", STAMP_ERROR_CERT_UNKNOWN_ISSUER,
    "tls" },
  { "/stamp/smtp-client/tls/expired", "expired", "localhost", STAMP_ERROR_CERT_EXPIRED, "tls" },
  /* The same certificates behind STARTTLS, where a mistake would send the
   * credential after a plain-text start. */
  { "/stamp/smtp-client/starttls/wrong-host", "wrong-host", "localhost", STAMP_ERROR_CERT_HOSTNAME,
    "starttls" },
  { "/stamp/smtp-client/starttls/unknown-issuer", "untrusted", "localhost",
    STAMP_ERROR_CERT_UNKNOWN_ISSUER, "starttls" },
  { "/stamp/smtp-client/starttls/expired", "expired", "localhost", STAMP_ERROR_CERT_EXPIRED,
    "starttls" },
  { "/stamp/smtp-client/tls/ip-address", "server", "127.0.0.1", -1, "tls" },
};

static void
test_certificate (gconstpointer data)
{
  const CertCase *test = data;
  g_autofree char *cert_name = g_strdup_printf ("%s.pem", test->cert);
  g_autofree char *key_name = g_strdup_printf ("%s-key.pem", test->cert);
  g_autofree char *cert = stamp_test_cert_path (cert_name);
  g_autofree char *key = stamp_test_cert_path (key_name);
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  gboolean starttls = g_str_equal (test->security, "starttls");
  g_autoptr(StampTestServer) server =
    stamp_test_server_start (test->security, "--cert", cert, "--key", key,
                             "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpClient) client =
    client_new (test->host, stamp_test_server_get_port (server),
                starttls ? STAMP_SECURITY_STARTTLS : STAMP_SECURITY_TLS, ca);
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);

  if (test->code < 0)
    {
      g_assert_no_error (error);
      return;
    }

  g_assert_error (error, STAMP_ERROR, test->code);
  assert_failed_at (client, STAMP_SMTP_STEP_TLS_HANDSHAKE);
  g_assert_cmpint (count_events (server, "auth"), ==, 0);

  /* Not one byte of the credential: in plain text only EHLO and STARTTLS,
   * and nothing at all through a session that failed its certificate. */
  commands = stamp_test_server_get_events (server, "command");
  g_assert_cmpuint (commands->len, ==, starttls ? 2 : 0);
  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = json_object_get_string_member (g_ptr_array_index (commands, i), "line");

      g_assert_true (g_str_has_prefix (line, i == 0 ? "EHLO " : "STARTTLS"));
    }
  log = stamp_test_server_dup_log (server);
  assert_no_secret_in (log);
}

static void
test_cancel (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("none", "--scenario", "stall-ehlo", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "none");
  g_autoptr(StampMessage) message = stamp_message_new (USER, RCPT, "x", "x\n");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The reply deadline is long; cancelling must not wait for it. */
  set_reply_timeout (client, 60);
  reply = run_send_full (client, message, 300, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (3));
}

static void
test_multiline_greeting (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--scenario", "multiline-greeting", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = run_send (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_events (server, "message"), ==, 1);
}

/* The one read in which the server saw MAIL FROM. */
static char *
dup_chunk_with_mail (StampTestServer *server)
{
  g_autoptr(GPtrArray) chunks = stamp_test_server_get_events (server, "chunk");

  for (guint i = 0; i < chunks->len; i++)
    {
      const char *data = json_object_get_string_member (g_ptr_array_index (chunks, i), "data");

      if (strstr (data, "MAIL FROM:") != NULL)
        return g_strdup (data);
    }

  g_assert_not_reached ();
}

static void
test_pipelining (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = NULL;
  g_autoptr(JsonObject) message = NULL;

  reply = run_send (client, &error);
  g_assert_no_error (error);

  chunk = dup_chunk_with_mail (server);
  g_assert_nonnull (strstr (chunk, "\r\nRCPT TO:<" RCPT ">\r\nDATA\r\n"));
  message = only_event (server, "message");
  g_assert_cmpstr (json_object_get_string_member (message, "via"), ==, "DATA");
  /* EHLO, STARTTLS, EHLO, MAIL+RCPT+DATA, message+QUIT */
  g_assert_cmpuint (stamp_smtp_result_get_round_trips (last (client)), ==, 5);
}

static void
test_no_pipelining (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", "--no-pipelining", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = NULL;

  reply = run_send (client, &error);
  g_assert_no_error (error);

  chunk = dup_chunk_with_mail (server);
  g_assert_null (strstr (chunk, "RCPT"));
  g_assert_cmpint (count_events (server, "message"), ==, 1);
}

static void
test_chunking (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--chunking", "--user", USER, "--password", PASSWORD,
                             NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = NULL;

  stamp_smtp_client_set_password (client, PASSWORD);
  reply = run_send (client, &error);
  g_assert_no_error (error);

  /* AUTH PLAIN (RFC 4954 §4 lets it open a group), MAIL, RCPT, BDAT LAST
   * with the message, and QUIT: one read, one turn. */
  chunk = dup_chunk_with_mail (server);
  g_assert_true (g_str_has_prefix (chunk, "AUTH PLAIN "));
  g_assert_nonnull (strstr (chunk, "\r\nMAIL FROM:<" USER "> SIZE="));
  g_assert_nonnull (strstr (chunk, "\r\nRCPT TO:<" RCPT ">\r\nBDAT "));
  g_assert_true (g_str_has_suffix (chunk, "QUIT\r\n"));
  message = only_event (server, "message");
  g_assert_cmpstr (json_object_get_string_member (message, "via"), ==, "BDAT");
  /* EHLO, STARTTLS, EHLO, AUTH+MAIL+RCPT+BDAT+QUIT */
  g_assert_cmpuint (stamp_smtp_result_get_round_trips (last (client)), ==, 4);
}

static void
test_dot_stuffing_and_8bit (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampMessage) message =
    stamp_message_new (USER, RCPT, "Grüße", ".leading dot\n..two\nGrüße aus Köln\n.\n");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = NULL;
  const char *data;

  reply = run_send_full (client, message, 0, &error);
  g_assert_no_error (error);

  event = only_event (server, "message");
  data = json_object_get_string_member (event, "data");
  g_assert_nonnull (strstr (data, "\r\n\r\n.leading dot\r\n..two\r\nGrüße aus Köln\r\n.\r\n"));
  g_assert_nonnull (strstr (data, "Subject: =?UTF-8?B?"));
  g_assert_nonnull (strstr (data, "Content-Transfer-Encoding: 8bit"));
  g_assert_true (json_node_get_array (json_object_get_member (event, "mail_options")) != NULL);
  chunk = dup_chunk_with_mail (server);
  g_assert_nonnull (strstr (chunk, "BODY=8BITMIME"));
}

static void
test_smtputf8 (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampMessage) message = stamp_message_new ("jürgen@example.test", RCPT, "x", "x\n");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail_from = NULL;
  g_autofree char *chunk = NULL;

  reply = run_send_full (client, message, 0, &error);
  g_assert_no_error (error);
  event = only_event (server, "message");
  /* The server logs envelope bytes as Latin-1 text: turn them back. */
  mail_from = g_convert (json_object_get_string_member (event, "mail_from"), -1,
                         "ISO-8859-1", "UTF-8", NULL, NULL, NULL);
  g_assert_cmpstr (mail_from, ==, "jürgen@example.test");
  chunk = dup_chunk_with_mail (server);
  g_assert_nonnull (strstr (chunk, " SMTPUTF8"));
}

static void
test_header_injection (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampSmtpClient) client = new_client (server, "starttls");
  g_autoptr(StampMessage) message =
    stamp_message_new (USER, RCPT, "Hi\r\nBcc: victim@example.test", "x\n");
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = run_send_full (client, message, 0, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  /* Refused before any connection. */
  g_assert_cmpint (count_events (server, "connect"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (stamp_smtp_result_get_steps (last (client))),
                    ==, 0);
  /* A result all the same, that signed in with nothing. */
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (last (client)), ==, STAMP_AUTH_NONE);
  g_assert_error (stamp_smtp_result_get_error (last (client)), STAMP_ERROR,
                  STAMP_ERROR_INVALID_INPUT);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(StampSmtpClient) client = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago and has no listener. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  client = client_new ("127.0.0.1", port, STAMP_SECURITY_STARTTLS, NULL);
  reply = run_send (client, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_REFUSED);
  assert_failed_at (client, STAMP_SMTP_STEP_CONNECT);
}

static void
test_host_not_found (void)
{
  g_autoptr(StampSmtpClient) client =
    client_new ("smtp.nowhere.invalid", 587, STAMP_SECURITY_STARTTLS, NULL);
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = run_send (client, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_HOST_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "smtp.nowhere.invalid"));
  assert_failed_at (client, STAMP_SMTP_STEP_RESOLVE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(StampTestResolver) resolver = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Tests never ask real DNS: "localhost" is the only name there is. */
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/smtp-client/tls12-cipher", test_tls12_cipher);
  g_test_add_func ("/stamp/smtp-client/send/starttls", test_starttls_send);
  g_test_add_func ("/stamp/smtp-client/send/implicit-tls", test_implicit_tls_send);
  g_test_add_func ("/stamp/smtp-client/send/no-encryption", test_plain_connection_send);
  for (guint i = 0; i < G_N_ELEMENTS (mechanism_cases); i++)
    g_test_add_data_func (mechanism_cases[i].path, &mechanism_cases[i], test_mechanism);
  g_test_add_func ("/stamp/smtp-client/auth/automatic", test_auth_automatic_choice);
  g_test_add_func ("/stamp/smtp-client/auth/long-token", test_auth_long_token_initial_response);
  g_test_add_data_func ("/stamp/smtp-client/auth/long-line-refused/chunking",
                        GINT_TO_POINTER (LONG_LINE_CHUNKING), test_auth_long_line_refused);
  g_test_add_data_func ("/stamp/smtp-client/auth/long-line-refused/data",
                        GINT_TO_POINTER (LONG_LINE_DATA), test_auth_long_line_refused);
  g_test_add_data_func ("/stamp/smtp-client/auth/long-line-refused/no-pipelining",
                        GINT_TO_POINTER (LONG_LINE_NO_PIPELINING), test_auth_long_line_refused);
  g_test_add_data_func ("/stamp/smtp-client/auth/challenge-xoauth2",
                        GINT_TO_POINTER (STAMP_AUTH_XOAUTH2), test_error_challenge);
  g_test_add_data_func ("/stamp/smtp-client/auth/challenge-oauthbearer",
                        GINT_TO_POINTER (STAMP_AUTH_OAUTHBEARER), test_error_challenge);
  g_test_add_data_func ("/stamp/smtp-client/auth/challenge-pipelined-xoauth2",
                        GINT_TO_POINTER (STAMP_AUTH_XOAUTH2), test_error_challenge_pipelined);
  g_test_add_data_func ("/stamp/smtp-client/auth/challenge-pipelined-oauthbearer",
                        GINT_TO_POINTER (STAMP_AUTH_OAUTHBEARER), test_error_challenge_pipelined);
  for (guint i = 0; i < G_N_ELEMENTS (cert_cases); i++)
    g_test_add_data_func (cert_cases[i].path, &cert_cases[i], test_certificate);
  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    g_test_add_data_func (failure_cases[i].path, &failure_cases[i], test_failure);
  g_test_add_func ("/stamp/smtp-client/cancel", test_cancel);
  g_test_add_func ("/stamp/smtp-client/reply/multiline-greeting", test_multiline_greeting);
  g_test_add_func ("/stamp/smtp-client/pipelining/on", test_pipelining);
  g_test_add_func ("/stamp/smtp-client/pipelining/off", test_no_pipelining);
  g_test_add_func ("/stamp/smtp-client/pipelining/chunking", test_chunking);
  g_test_add_func ("/stamp/smtp-client/message/dot-stuffing-8bit", test_dot_stuffing_and_8bit);
  g_test_add_func ("/stamp/smtp-client/message/smtputf8", test_smtputf8);
  g_test_add_func ("/stamp/smtp-client/message/header-injection", test_header_injection);
  g_test_add_func ("/stamp/smtp-client/network/refused", test_connection_refused);
  g_test_add_func ("/stamp/smtp-client/network/host-not-found", test_host_not_found);

  return g_test_run ();
}

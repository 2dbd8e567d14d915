/* test-cli-send.c
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

/* stamp-cli send as a person or a script uses it: the real binary against
 * the loopback SMTP server, checking what it prints and how it exits. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"

#define USER     "alice@example.test"
#define PASSWORD "canary-Cl1-5ecret-42"

/* Runs stamp-cli send with @args. */
static void
run_cli (StampCliRun        *run,
         const char         *input,
         const char * const *env,
         const char * const *args)
{
  stamp_test_cli_run (run, input, env, "send", args);
}

static char **
server_args (StampTestServer *server,
             const char      *security,
             const char      *first,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char *arg;
  va_list ap;

  g_strv_builder_add_many (builder, "--host", "127.0.0.1", "--port", port,
                           "--security", security, "--ca-file", ca,
                           "--from", USER, "--to", "bob@example.test", "--timeout", "10", NULL);

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);

  return g_strv_builder_end (builder);
}

static void
assert_no_secret (const StampCliRun *run)
{
  g_autofree char *plain64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));

  g_assert_null (strstr (run->out, PASSWORD));
  g_assert_null (strstr (run->err, PASSWORD));
  g_assert_null (strstr (run->out, plain64));
  g_assert_null (strstr (run->err, plain64));
}

static void
test_send_each_security (gconstpointer data)
{
  const char *security = data;
  g_autoptr(StampTestServer) server =
    stamp_test_server_start (security, "--user", USER, "--password", PASSWORD, NULL);
  gboolean encrypted = !g_str_equal (security, "none");
  g_auto(GStrv) args = server_args (server, security, "--password-stdin", "--transcript", NULL);
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(GPtrArray) messages = NULL;

  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Message accepted"));
  g_assert_nonnull (strstr (run.out, "250 2.0.0 OK"));
  g_assert_nonnull (strstr (run.out, "C: EHLO"));
  g_assert_nonnull (strstr (run.out, "AUTH PLAIN [hidden: password]"));
  if (encrypted)
    g_assert_nonnull (strstr (run.out, "TLS1."));
  else
    /* No encryption was chosen explicitly: allowed, and said out loud. */
    g_assert_nonnull (strstr (run.out, "Signing in without encryption"));
  assert_no_secret (&run);

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
}

static void
test_password_from_environment (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_auto(GStrv) args = server_args (server, "starttls", "--auth", "login", "--transcript", NULL);
  const char * const env[] = { "STAMP_PASSWORD", PASSWORD, NULL };
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, NULL, env, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "[hidden: password]"));
  assert_no_secret (&run);
}

static void
test_json_result (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_auto(GStrv) args = server_args (server, "starttls", "--password-stdin", "--json",
                                    "--transcript", NULL);
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(JsonObject) result = NULL;
  JsonArray *steps;
  JsonObject *last;

  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secret (&run);

  result = stamp_test_cli_parse_json (run.out);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_assert_cmpstr (json_object_get_string_member (result, "mechanism"), ==, "plain");
  g_assert_true (json_object_get_null_member (result, "error"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (result, "reply"),
                                               "code"), ==, 250);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "tls"),
                                                  "version"), ==, "TLS1.3");

  steps = json_object_get_array_member (result, "steps");
  last = json_array_get_object_element (steps, json_array_get_length (steps) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "step"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (last, "state"), ==, "succeeded");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (result, "transcript")), >, 10);
}

typedef struct
{
  const char *path;
  const char *security;
  const char *scenario;
  const char *extra;
  int         status;
  const char *code;
  const char *step;
  const char *enhanced;
  const char *explanation;
} FailureCase;

static const FailureCase failure_cases[] = {
  { "/stamp/cli/send/fail/auth-disabled", "starttls", "auth-reject-5.7.139", NULL,
    5, "auth-disabled", "auth", "5.7.139", "m365-smtp-auth-disabled" },
  { "/stamp/cli/send/fail/send-as", "starttls", "mail-reject-5.7.60", NULL,
    6, "sender-rejected", "mail", "5.7.60", "send-as-denied" },
  { "/stamp/cli/send/fail/starttls-missing", "none", NULL, NULL,
    4, "tls-required", "starttls", NULL, "starttls-missing" },
  { "/stamp/cli/send/fail/unknown-issuer", "tls", NULL, "untrusted",
    4, "cert-unknown-issuer", "tls-handshake", NULL, "cert-untrusted" },
  { "/stamp/cli/send/fail/starttls-injection", "starttls", "starttls-injects", NULL,
    4, "starttls-failed", "tls-handshake", NULL, "starttls-refused" },
  { "/stamp/cli/send/fail/auth-withdrawn-after-tls", "starttls", "auth-only-before-tls", NULL,
    4, "tls-downgrade", "auth", NULL, "tls-downgrade" },
  { "/stamp/cli/send/fail/stall", "starttls", "stall-ehlo", NULL,
    3, "timed-out", "ehlo", NULL, "timed-out" },
};

static void
test_failure (gconstpointer data)
{
  const FailureCase *test = data;
  g_autoptr(GPtrArray) server_argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(StampTestServer) server = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(JsonObject) result = NULL;
  JsonObject *error;
  /* The client speaks STARTTLS even to the plain server, to see it refuse. */
  const char *client_security = g_str_equal (test->security, "none") ? "starttls" : test->security;

  g_ptr_array_add (server_argv, g_strdup ("--user"));
  g_ptr_array_add (server_argv, g_strdup (USER));
  g_ptr_array_add (server_argv, g_strdup ("--password"));
  g_ptr_array_add (server_argv, g_strdup (PASSWORD));
  if (test->scenario != NULL)
    {
      g_ptr_array_add (server_argv, g_strdup ("--scenario"));
      g_ptr_array_add (server_argv, g_strdup (test->scenario));
    }
  if (test->extra != NULL)
    {
      g_autofree char *cert = g_strdup_printf ("%s.pem", test->extra);
      g_autofree char *key = g_strdup_printf ("%s-key.pem", test->extra);

      g_ptr_array_add (server_argv, g_strdup ("--cert"));
      g_ptr_array_add (server_argv, stamp_test_cert_path (cert));
      g_ptr_array_add (server_argv, g_strdup ("--key"));
      g_ptr_array_add (server_argv, stamp_test_cert_path (key));
    }
  g_ptr_array_add (server_argv, NULL);

  server = stamp_test_server_startv (test->security, (const char * const *) server_argv->pdata);
  args = g_str_equal (test->scenario != NULL ? test->scenario : "", "stall-ehlo")
         ? server_args (server, client_security, "--password-stdin", "--json", "--timeout", "1", NULL)
         : server_args (server, client_security, "--password-stdin", "--json", NULL);

  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, test->status);
  assert_no_secret (&run);

  result = stamp_test_cli_parse_json (run.out);
  g_assert_false (json_object_get_boolean_member (result, "ok"));
  error = json_object_get_object_member (result, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, test->code);
  g_assert_cmpstr (json_object_get_string_member (error, "step"), ==, test->step);
  g_assert_nonnull (json_object_get_string_member (error, "message"));

  if (test->enhanced != NULL)
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "reply"),
                                                    "enhanced_code"), ==, test->enhanced);
  else
    g_assert_true (json_object_get_null_member (error, "reply"));

  /* Every failure comes with its explanation. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "explanation"),
                                                  "id"), ==, test->explanation);
}

static void
test_failure_text (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--scenario", "auth-reject-5.7.139", NULL);
  g_auto(GStrv) args = server_args (server, "starttls", "--password-stdin", "--transcript", NULL);
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (strstr (run.err, "does not allow SMTP sign-in"));
  g_assert_nonnull (strstr (run.err, "5.7.139"));
  assert_no_secret (&run);

  /* The explanation follows, with the command for this very mailbox. */
  g_assert_nonnull (strstr (run.out, "SMTP AUTH is turned off for this mailbox"));
  g_assert_nonnull (strstr (run.out, "Set-CASMailbox -Identity " USER " -SmtpClientAuthenticationDisabled $false"));
}

/* The help-desk report: settings, steps, explanation, transcript; no secret. */
static void
test_failure_report (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--scenario", "auth-reject-5.7.139", NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "report.md", NULL);
  g_auto(GStrv) args = NULL;
  g_auto(StampCliRun) run = { NULL };
  g_autofree char *report = NULL;
  const char blob[] = "\0" USER "\0" PASSWORD;
  g_autofree char *plain_blob = g_base64_encode ((const guchar *) blob, sizeof blob - 1);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  args = server_args (server, "starttls", "--password-stdin", "--report", path, NULL);
  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 5);

  g_assert_true (g_file_get_contents (path, &report, NULL, NULL));
  g_assert_true (g_str_has_prefix (report, "# Stamp test send report"));
  g_assert_nonnull (strstr (report, "SMTP AUTH is turned off for this mailbox"));
  g_assert_nonnull (strstr (report, "| Sign in (AUTH) | failed |"));
  g_assert_nonnull (strstr (report, "C: AUTH PLAIN [hidden"));
  g_assert_null (strstr (report, PASSWORD));
  g_assert_null (strstr (report, plain_blob));
}

/* A server that quotes the credential back in its refusal: the quote is
 * hidden in the error on stderr, in --json and in the report alike. */
static void
test_echoed_secret (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--scenario", "auth-echoes-secret", NULL);
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "echo-report.md", NULL);
  g_auto(GStrv) text_args = NULL;
  g_auto(GStrv) json_args = NULL;
  g_auto(StampCliRun) run = { NULL };
  g_autofree char *report = NULL;
  const char blob[] = "\0" USER "\0" PASSWORD;
  g_autofree char *plain_blob = g_base64_encode ((const guchar *) blob, sizeof blob - 1);

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  text_args = server_args (server, "starttls", "--password-stdin", "--auth", "plain",
                           "--report", path, "--transcript", NULL);
  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) text_args);
  g_assert_cmpint (run.status, ==, 5);
  /* The refusal itself still reaches the person, its secret hidden. */
  g_assert_nonnull (strstr (run.err, "Authentication failed for password [hidden]"));
  assert_no_secret (&run);
  g_assert_null (strstr (run.out, plain_blob));
  g_assert_null (strstr (run.err, plain_blob));

  g_assert_true (g_file_get_contents (path, &report, NULL, NULL));
  g_assert_null (strstr (report, PASSWORD));
  g_assert_null (strstr (report, plain_blob));
  g_assert_nonnull (strstr (report, "[hidden]"));
  stamp_test_cli_run_clear (&run);

  json_args = server_args (server, "starttls", "--password-stdin", "--auth", "plain", "--json",
                           "--transcript", NULL);
  run_cli (&run, PASSWORD "\n", NULL, (const char * const *) json_args);
  g_assert_cmpint (run.status, ==, 5);
  assert_no_secret (&run);
  g_assert_null (strstr (run.out, plain_blob));
  g_assert_nonnull (strstr (run.out, "[hidden]"));
}

/* An app password pasted as Google shows it: the spaces go, with a note. */
static void
test_app_password_spaces (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", "abcdefghijklmnop", NULL);
  g_auto(GStrv) args = server_args (server, "starttls", "--password-stdin", NULL);
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, "abcd efgh ijkl mnop\n", NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "app password"));
}

/* Signing in as one mailbox and sending as another earns a warning. */
static void
test_sender_mismatch_warning (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const args[] = {
    "--host", "127.0.0.1", "--port", port, "--ca-file", ca, "--user", USER,
    "--from", "scans@example.test", "--to", "bob@example.test", "--password-stdin", NULL,
  };
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, PASSWORD "\n", NULL, args);
  g_assert_nonnull (strstr (run.err, "Send As"));
}

static void
test_connection_refused (void)
{
  const char * const args[] = {
    "--host", "127.0.0.1", "--port", "1", "--from", USER, "--to", USER, NULL,
  };
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, NULL, NULL, args);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "refused the connection on port 1"));
}

typedef struct
{
  const char *path;
  const char *args[12];
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/stamp/cli/send/usage/missing-to", { "--host", "h", "--from", USER, NULL }, "--to" },
  { "/stamp/cli/send/usage/password-argument",
    { "--host", "h", "--from", USER, "--to", USER, "--password", PASSWORD, NULL },
    "Unknown option" },
  { "/stamp/cli/send/usage/bad-security",
    { "--host", "h", "--from", USER, "--to", USER, "--security", "ssl3", NULL }, "ssl3" },
  { "/stamp/cli/send/usage/bad-address",
    { "--host", "h", "--from", "not an address", "--to", USER, NULL }, "not a plain email" },
  { "/stamp/cli/send/usage/header-injection",
    { "--host", "h", "--from", USER, "--to", USER, "--subject", "a\nBcc: x@y.z", NULL },
    "line break" },
  { "/stamp/cli/send/usage/secret-needed",
    { "--host", "h", "--from", USER, "--to", USER, "--auth", "plain", NULL }, "secret" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *test = data;
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, NULL, NULL, test->args);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, test->message));
  g_assert_null (strstr (run.err, PASSWORD));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/stamp/cli/send/starttls", "starttls", test_send_each_security);
  g_test_add_data_func ("/stamp/cli/send/tls", "tls", test_send_each_security);
  g_test_add_data_func ("/stamp/cli/send/none", "none", test_send_each_security);
  g_test_add_func ("/stamp/cli/send/password-environment", test_password_from_environment);
  g_test_add_func ("/stamp/cli/send/json", test_json_result);
  for (guint i = 0; i < G_N_ELEMENTS (failure_cases); i++)
    g_test_add_data_func (failure_cases[i].path, &failure_cases[i], test_failure);
  g_test_add_func ("/stamp/cli/send/fail/text", test_failure_text);
  g_test_add_func ("/stamp/cli/send/fail/report", test_failure_report);
  g_test_add_func ("/stamp/cli/send/fail/echoed-secret", test_echoed_secret);
  g_test_add_func ("/stamp/cli/send/app-password-spaces", test_app_password_spaces);
  g_test_add_func ("/stamp/cli/send/sender-mismatch", test_sender_mismatch_warning);
  g_test_add_func ("/stamp/cli/send/fail/refused", test_connection_refused);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    g_test_add_data_func (usage_cases[i].path, &usage_cases[i], test_usage);

  return g_test_run ();
}

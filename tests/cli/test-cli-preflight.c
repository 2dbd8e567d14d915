/* test-cli-preflight.c
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

/* `stamp-cli send` checks the settings before connecting: a port Microsoft
 * does not offer is explained at once, a password or token does not go out
 * unencrypted to another computer without --allow-plaintext, and advice
 * (Microsoft's end of passwords, another sender than the mailbox) comes with
 * the result. Servers are the loopback fixture; the refused cases never
 * reach the network at all. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"

#define USER     "alice@contoso.com"
#define PASSWORD "canary-Preflight-3e9a"

static void
run (StampCliRun        *result,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  stamp_test_cli_run_saved (result, input, command, args, PASSWORD);
}

static const char *
preflight_id (JsonObject *result,
              guint       index)
{
  JsonArray *preflight = json_object_get_array_member (result, "preflight");

  g_assert_cmpuint (json_array_get_length (preflight), >, index);
  return json_object_get_string_member (json_array_get_object_element (preflight, index), "id");
}

/* Port 465 to Microsoft: explained at once, nothing looked up. */
static void
test_m365_port (void)
{
  const char * const text_args[] = {
    "--host", "smtp.office365.com", "--port", "465", "--security", "tls",
    "--from", USER, "--to", USER, "--password-stdin", NULL
  };
  const char * const json_args[] = {
    "--host", "smtp.office365.com", "--port", "25", "--security", "starttls",
    "--from", USER, "--to", USER, "--password-stdin", "--json", NULL
  };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) json = NULL;
  JsonObject *error;
  gint64 start = g_get_monotonic_time ();

  run (&result, PASSWORD "\n", "send", text_args);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "port 465"));
  g_assert_nonnull (strstr (result.out, "587"));
  g_assert_null (strstr (result.out, "Sending a test message"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (2));
  stamp_test_cli_run_clear (&result);

  run (&result, PASSWORD "\n", "send", json_args);
  g_assert_cmpint (result.status, ==, 2);
  json = stamp_test_cli_parse_json (result.out);
  g_assert_false (json_object_get_boolean_member (json, "ok"));
  error = json_object_get_object_member (json, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "step"), ==, "preflight");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid-input");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json, "explanation"),
                                                  "id"), ==, "preflight-m365-port");
  g_assert_cmpstr (preflight_id (json, 0), ==, "preflight-m365-port");
  g_assert_cmpstr (preflight_id (json, 1), ==, "preflight-m365-password");
}

/* No encryption: this computer is fine, another needs --allow-plaintext.
 * 0.0.0.0 reaches the loopback server on Linux without being a loopback
 * address, so it stands for another computer here. */
static void
test_plaintext (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("none", "--user", USER, "--password", PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  const char * const elsewhere[] = {
    "--host", "0.0.0.0", "--port", port, "--security", "none", "--from", USER, "--to", USER,
    "--password-stdin", NULL
  };
  const char * const allowed[] = {
    "--host", "0.0.0.0", "--port", port, "--security", "none", "--from", USER, "--to", USER,
    "--password-stdin", "--allow-plaintext", NULL
  };
  const char * const here[] = {
    "--host", "127.0.0.1", "--port", port, "--security", "none", "--from", USER, "--to", USER,
    "--password-stdin", NULL
  };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) connects = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  run (&result, PASSWORD "\n", "send", elsewhere);
  g_assert_cmpint (result.status, ==, 4);
  g_assert_nonnull (strstr (result.err, "without encryption"));
  g_assert_nonnull (strstr (result.out, "--allow-plaintext"));
  connects = stamp_test_server_get_events (server, "connect");
  g_assert_cmpuint (connects->len, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, PASSWORD "\n", "send", allowed);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, PASSWORD "\n", "send", here);
  g_assert_cmpint (result.status, ==, 0);

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 2);
}

/* A Microsoft 365 account sending with a password, as someone else: the
 * send goes ahead, with both notes. */
static void
test_advice (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const add[] = { "add", USER, "--provider", "microsoft", "--host", "127.0.0.1",
                               "--port", port, "--auth", "plain", NULL };
  const char * const send_json[] = { "--account", USER, "--ca-file", ca, "--password-stdin",
                                     "--from", "scanner@contoso.com", "--json", NULL };
  const char * const send_text[] = { "--account", USER, "--ca-file", ca, "--password-stdin",
                                     "--from", "scanner@contoso.com", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) json = NULL;

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, PASSWORD "\n", "send", send_json);
  g_assert_cmpint (result.status, ==, 0);
  json = stamp_test_cli_parse_json (result.out);
  g_assert_true (json_object_get_boolean_member (json, "ok"));
  g_assert_cmpstr (preflight_id (json, 0), ==, "preflight-m365-password");
  g_assert_cmpstr (preflight_id (json, 1), ==, "preflight-send-as");
  stamp_test_cli_run_clear (&result);

  run (&result, PASSWORD "\n", "send", send_text);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.err, "end of December 2026"));
  g_assert_nonnull (strstr (result.err, "from scanner@contoso.com but the sign-in is " USER));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/cli/preflight/m365-port", test_m365_port);
  g_test_add_func ("/stamp/cli/preflight/plaintext", test_plaintext);
  g_test_add_func ("/stamp/cli/preflight/advice", test_advice);

  return g_test_run ();
}

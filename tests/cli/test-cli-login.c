/* test-cli-login.c
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

/* `stamp-cli login --password-stdin`: a password needs no provider. An
 * account saved with its own server keeps its password in the keyring and
 * sends with it; one Stamp knows no server for is told how to add it.
 * (The OAuth sign-ins are in test-cli-oauth.c.) */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"

#define USER     "carol@corp.example"
#define PASSWORD "canary-login-Pw-5d2e"

static void
run (StampCliRun        *result,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  stamp_test_cli_run_saved (result, input, command, args, PASSWORD);
}

static void
test_password_own_server (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const add[] = { "add", USER, "--host", "127.0.0.1", "--port", port,
                               "--security", "starttls", "--auth", "plain", NULL };
  const char * const login[] = { USER, "--password-stdin", NULL };
  const char * const send[] = { "--account", USER, "--ca-file", ca, "--to", "bob@example.test",
                                "--timeout", "10", NULL };
  const char * const show[] = { "show", USER, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) messages = NULL;

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  /* No provider database entry and no network look-up: the saved server
   * is all a password needs. */
  run (&result, PASSWORD "\n", "login", login);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "keyring"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", show);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "127.0.0.1"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "send", send);
  g_assert_cmpint (result.status, ==, 0);
  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
}

/* An app password pasted as Google shows it is kept without its spaces,
 * and the saved account signs in with it. */
static void
test_app_password_spaces (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", "erin@corp.example", "--password",
                             "abcdefghijklmnop", NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const add[] = { "add", "erin@corp.example", "--host", "127.0.0.1", "--port", port,
                               NULL };
  const char * const login[] = { "erin@corp.example", "--password-stdin", NULL };
  const char * const send[] = { "--account", "erin@corp.example", "--ca-file", ca,
                                "--to", "bob@example.test", "--timeout", "10", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, "abcd efgh ijkl mnop\n", "login", login);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.err, "app password"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "send", send);
  g_assert_cmpint (result.status, ==, 0);
}

static void
test_password_no_server (void)
{
  const char * const login[] = { "dave@unknown.invalid", "--password-stdin", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, PASSWORD "\n", "login", login);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_nonnull (strstr (result.err, "stamp-cli accounts add dave@unknown.invalid --host"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/cli/login/password-own-server", test_password_own_server);
  g_test_add_func ("/stamp/cli/login/password-no-server", test_password_no_server);
  g_test_add_func ("/stamp/cli/login/app-password-spaces", test_app_password_spaces);

  return g_test_run ();
}

/* test-cli-oauth.c
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

/* `stamp-cli login`, `token`, `logout` and `send --account` with OAuth,
 * against the loopback identity provider (oauth-idp.py), the scripted
 * browser, a real gnome-keyring (the test runs in with-keyring.sh) and the
 * loopback SMTP server, which takes the tokens the identity provider gave.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"

#define USER "alice@contoso.example"

typedef struct
{
  StampTestIdp *idp;
  GPtrArray    *env;      /* name, value, … for stamp-cli */
} Fixture;

static void
fixture_set_env (Fixture    *fixture,
                 const char *name,
                 const char *value)
{
  g_ptr_array_remove_index (fixture->env, fixture->env->len - 1);
  g_ptr_array_add (fixture->env, g_strdup (name));
  g_ptr_array_add (fixture->env, g_strdup (value));
  g_ptr_array_add (fixture->env, NULL);
}

static void
fixture_start (Fixture    *fixture,
               const char *first_idp_arg,
               ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *browser = g_strdup_printf ("/usr/bin/python3 %s/scripted-browser.py",
                                              g_getenv ("STAMP_TEST_FIXTURES"));
  const char *arg;
  va_list ap;

  va_start (ap, first_idp_arg);
  for (arg = first_idp_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);

  fixture->idp = stamp_test_idp_startv ((const char * const *) args);
  fixture->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (fixture->env, NULL);
  fixture_set_env (fixture, "XDG_CONFIG_HOME", g_get_user_config_dir ());
  fixture_set_env (fixture, "STAMP_BROWSER", browser);
  fixture_set_env (fixture, "STAMP_TEST_BROWSER", "accept");
}

static void
fixture_stop (Fixture *fixture)
{
  const char *canary = stamp_test_idp_get_canary (fixture->idp);

  /* Whatever happened, no token is left in plain text in the test's
   * folders or in the keyring's files. */
  stamp_test_assert_user_dirs_lack (canary);
  if (g_getenv ("STAMP_TEST_KEYRING_DIR") != NULL)
    stamp_test_assert_tree_lacks (g_getenv ("STAMP_TEST_KEYRING_DIR"), canary);

  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->env, g_ptr_array_unref);
}

static void
run_cli (Fixture            *fixture,
         StampCliRun        *result,
         const char         *command,
         const char * const *args)
{
  stamp_test_cli_run (result, NULL, (const char * const *) fixture->env->pdata, command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result->status, result->out, result->err);

  /* No token ever reaches the output, except from `token` itself. */
  if (g_strcmp0 (command, "token") != 0)
    {
      g_assert_null (strstr (result->out, stamp_test_idp_get_canary (fixture->idp)));
      g_assert_null (strstr (result->err, stamp_test_idp_get_canary (fixture->idp)));
    }
}

static void
login (Fixture     *fixture,
       StampCliRun *result,
       const char  *extra)
{
  const char * const args[] = {
    USER, "--provider", "microsoft", "--client-id", STAMP_TEST_IDP_CLIENT_ID,
    "--authority", stamp_test_idp_get_authority (fixture->idp), "--timeout", "20", extra, NULL,
  };

  run_cli (fixture, result, "login", args);
}

static StampTestServer *
start_smtp_server (Fixture *fixture)
{
  return stamp_test_server_start ("starttls", "--user", USER,
                                  "--token-file", stamp_test_idp_get_token_file (fixture->idp),
                                  NULL);
}

static void
send_with_account (Fixture         *fixture,
                   StampCliRun     *result,
                   StampTestServer *server)
{
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const args[] = {
    "--account", USER, "--host", "127.0.0.1", "--port", port, "--ca-file", ca,
    "--to", "bob@example.test", "--timeout", "10", "--transcript", NULL,
  };

  run_cli (fixture, result, "send", args);
}

static guint
count_auth (StampTestServer *server,
            gboolean         success)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, "auth");
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);

      if (json_object_get_boolean_member (event, "success") == success
          && g_strcmp0 (json_object_get_string_member (event, "mechanism"), "XOAUTH2") == 0)
        n++;
    }

  return n;
}

/* Sign in in the browser, print a token, send with it. */
static void
test_login_token_send (void)
{
  const char * const token_args[] = { USER, NULL };
  g_autoptr(StampTestServer) server = NULL;
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *accounts = NULL;
  g_autofree char *accounts_path = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);

  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Signed in to Microsoft 365 as " USER));
  g_assert_nonnull (strstr (result.out, "code_challenge_method=S256"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "authorization_code"), ==, 1);

  /* The account is saved, with its provider and no secret. */
  accounts_path = g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json", NULL);
  g_assert_true (g_file_get_contents (accounts_path, &accounts, NULL, NULL));
  g_assert_nonnull (strstr (accounts, "\"microsoft365\""));
  g_assert_nonnull (strstr (accounts, "\"xoauth2\""));
  stamp_test_cli_run_clear (&result);

  /* A token helper prints the token and nothing else. */
  run_cli (&fixture, &result, "token", token_args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "eyJ"));   /* a JWT, as Entra's are */
  g_assert_nonnull (strstr (result.out, stamp_test_idp_get_canary (fixture.idp)));
  g_assert_cmpuint (strlen (result.out), ==, strcspn (result.out, "\n") + 1);
  g_assert_cmpstr (result.err, ==, "");
  /* Still fresh: no refresh was needed. */
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 0);
  stamp_test_cli_run_clear (&result);

  server = start_smtp_server (&fixture);
  send_with_account (&fixture, &result, server);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Sent in"));
  g_assert_nonnull (strstr (result.out, "AUTH XOAUTH2"));
  g_assert_cmpuint (count_auth (server, TRUE), ==, 1);

  fixture_stop (&fixture);
}

/* An access token close to its expiry is refreshed before the send. */
static void
test_send_refreshes_expiring_token (void)
{
  g_autoptr(StampTestServer) server = NULL;
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  /* Two minutes is inside the five-minute margin. */
  fixture_start (&fixture, "--access-token-lifetime", "120", "--rotate-invalidates", NULL);
  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  server = start_smtp_server (&fixture);
  send_with_account (&fixture, &result, server);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 1);
  g_assert_cmpuint (count_auth (server, FALSE), ==, 0);
  stamp_test_cli_run_clear (&result);

  /* The rotated refresh token was kept: with the old one revoked on use,
   * only the new one can refresh again. */
  send_with_account (&fixture, &result, server);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 2);

  fixture_stop (&fixture);
}

/* A stored token the server refuses is refreshed once and tried again. */
static void
test_send_retries_refused_token (void)
{
  g_autoptr(StampTestServer) server = NULL;
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);
  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  /* The stored token still looks fresh, but the server no longer takes it. */
  stamp_test_idp_control (fixture.idp, "{\"invalidate_access_tokens\": true}");

  server = start_smtp_server (&fixture);
  send_with_account (&fixture, &result, server);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "trying once more"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 1);
  g_assert_cmpuint (count_auth (server, FALSE), ==, 1);
  g_assert_cmpuint (count_auth (server, TRUE), ==, 1);

  fixture_stop (&fixture);
}

/* A revoked sign-in says to sign in again, with the sign-in exit status. */
static void
test_revoked_sign_in (void)
{
  const char * const token_args[] = { USER, "--refresh", NULL };
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);
  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  stamp_test_idp_control (fixture.idp, "{\"revoke_refresh_tokens\": true}");
  run_cli (&fixture, &result, "token", token_args);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "Sign in again"));

  fixture_stop (&fixture);
}

static void
test_device_code (void)
{
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, "--device-pending", "1", NULL);
  login (&fixture, &result, "--device-code");
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "/devicelogin on any device and enter the code "));
  g_assert_nonnull (strstr (result.out, "Signed in to Microsoft 365"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "device_code"), >=, 2);

  fixture_stop (&fixture);
}

static void
test_logout (void)
{
  const char * const user_only[] = { USER, NULL };
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);
  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  /* Any case of the address finds the account's secrets. */
  {
    const char * const upper[] = { "ALICE@contoso.example", NULL };

    run_cli (&fixture, &result, "logout", upper);
  }
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Signed out " USER));
  stamp_test_cli_run_clear (&result);

  run_cli (&fixture, &result, "token", user_only);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "not signed in"));

  fixture_stop (&fixture);
}

/* Sign-ins that do not finish: each says why, and nothing is saved. */
static void
test_failed_sign_ins (void)
{
  const struct {
    const char *browser;
    const char *timeout;
    int         status;
    const char *message;
  } cases[] = {
    { "tamper-state", "20", 5, "was not for this sign-in" },
    { "deny", "20", 5, "declined" },
    { "ignore", "1", 3, "was not finished within" },
  };
  g_autofree char *accounts_path = g_build_filename (g_get_user_config_dir (), "stamp",
                                                     "accounts.json", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(StampCliRun) result = { NULL };
      Fixture fixture = { NULL };
      const char * const args[] = {
        USER, "--provider", "microsoft", "--client-id", STAMP_TEST_IDP_CLIENT_ID,
        "--authority", NULL, "--timeout", cases[i].timeout, NULL,
      };

      fixture_start (&fixture, NULL);
      ((const char **) args)[6] = stamp_test_idp_get_authority (fixture.idp);
      fixture_set_env (&fixture, "STAMP_TEST_BROWSER", cases[i].browser);

      run_cli (&fixture, &result, "login", args);
      g_test_message ("%s: %s", cases[i].browser, result.err);
      g_assert_cmpint (result.status, ==, cases[i].status);
      g_assert_nonnull (strstr (result.err, cases[i].message));
      g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "authorization_code"), ==, 0);
      g_assert_false (g_file_test (accounts_path, G_FILE_TEST_EXISTS));

      fixture_stop (&fixture);
    }
}

/* Without a client id, the error is the registration recipe. */
static void
test_no_client_id (void)
{
  const char * const args[] = { USER, "--provider", "microsoft", NULL };
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);
  run_cli (&fixture, &result, "login", args);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "no app registration"));
  g_assert_nonnull (strstr (result.err, "http://localhost"));
  g_assert_nonnull (strstr (result.err, "SMTP.Send"));
  g_assert_nonnull (strstr (result.err, "--client-id"));

  fixture_stop (&fixture);
}

/* With no keyring at all, nothing is written anywhere and login says so. */
static void
test_no_keyring (void)
{
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, NULL);
  fixture_set_env (&fixture, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/stamp-test-bus");
  login (&fixture, &result, NULL);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "no keyring service is running"));
  g_assert_nonnull (strstr (result.err, "nothing was saved"));

  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/oauth/login-token-send", test_login_token_send);
  g_test_add_func ("/stamp/cli/oauth/refresh-before-send", test_send_refreshes_expiring_token);
  g_test_add_func ("/stamp/cli/oauth/retry-refused-token", test_send_retries_refused_token);
  g_test_add_func ("/stamp/cli/oauth/revoked", test_revoked_sign_in);
  g_test_add_func ("/stamp/cli/oauth/device-code", test_device_code);
  g_test_add_func ("/stamp/cli/oauth/logout", test_logout);
  g_test_add_func ("/stamp/cli/oauth/failed-sign-ins", test_failed_sign_ins);
  g_test_add_func ("/stamp/cli/oauth/no-client-id", test_no_client_id);
  g_test_add_func ("/stamp/cli/oauth/no-keyring", test_no_keyring);

  return g_test_run ();
}

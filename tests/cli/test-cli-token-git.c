/* test-cli-token-git.c
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

/* `stamp-cli token --git-credential` as git itself runs it: real
 * `git credential fill/approve/reject` with the configuration `stamp-cli
 * export git-send-email` wrote, after a sign-in at the loopback identity
 * provider, with the tokens in a real gnome-keyring (the test runs in
 * with-keyring.sh). Nothing leaves loopback: git only asks the helper. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "stamp-test-cli.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"

#define USER "alice@contoso.example"

typedef struct
{
  StampTestIdp *idp;
  char         *git_config;  /* what GIT_CONFIG_GLOBAL names */
  char         *host;        /* HOST:PORT as git send-email asks for it */
} Fixture;

static void
run_cli (Fixture            *fixture,
         StampCliRun        *result,
         const char         *input,
         const char         *command,
         const char * const *args)
{
  g_autofree char *browser = g_strdup_printf ("/usr/bin/python3 %s/scripted-browser.py",
                                              g_getenv ("STAMP_TEST_FIXTURES"));
  const char * const env[] = {
    "XDG_CONFIG_HOME", g_get_user_config_dir (),
    "STAMP_BROWSER", browser,
    "STAMP_TEST_BROWSER", "accept",
    NULL,
  };

  stamp_test_cli_run (result, input, env, command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result->status, result->out, result->err);
}

/* Runs git with this test's configuration only, stamp-cli on PATH and no
 * way to prompt; returns its exit status. */
static int
run_git (Fixture             *fixture,
         const char * const  *args,
         const char          *input,
         char               **out,
         char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bin = g_path_get_dirname (g_getenv ("STAMP_CLI"));
  g_autofree char *path = g_strdup_printf ("%s:%s", bin, g_getenv ("PATH"));

  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "GIT_CONFIG_GLOBAL", fixture->git_config, TRUE);
  g_subprocess_launcher_setenv (launcher, "GIT_CONFIG_NOSYSTEM", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GIT_TERMINAL_PROMPT", "0", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "GIT_ASKPASS");
  g_subprocess_launcher_unsetenv (launcher, "SSH_ASKPASS");

  g_ptr_array_add (argv, (gpointer) "git");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("git %s: exit %d\n%s%s", args[0], g_subprocess_get_exit_status (process),
                  *out, *err);
  return g_subprocess_get_exit_status (process);
}

static char *
git_config_get (Fixture    *fixture,
                const char *name)
{
  const char * const args[] = { "config", "-f", fixture->git_config, "--get", name, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_cmpint (run_git (fixture, args, NULL, &out, &err), ==, 0);
  return g_strchomp (out);
}

/* Signs in at the identity provider and writes the git settings Stamp
 * exports, after a helper that would store what git approves. */
static void
fixture_start (Fixture *fixture)
{
  const char * const no_args[] = { NULL };
  const char *login_args[] = {
    USER, "--provider", "microsoft", "--client-id", STAMP_TEST_IDP_CLIENT_ID,
    "--authority", NULL, "--timeout", "20", NULL,
  };
  g_autofree char *exported = g_build_filename (stamp_test_work_dir (), "sendemail", NULL);
  const char * const export_args[] = { "git-send-email", "--account", USER, "-o", exported, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *contents = NULL;
  g_autofree char *config = NULL;
  g_autofree char *server = NULL;
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;

  fixture->idp = stamp_test_idp_startv (no_args);
  login_args[6] = stamp_test_idp_get_authority (fixture->idp);
  run_cli (fixture, &result, NULL, "login", login_args);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run_cli (fixture, &result, NULL, "export", export_args);
  g_assert_cmpint (result.status, ==, 0);
  g_file_get_contents (exported, &contents, NULL, &error);
  g_assert_no_error (error);

  /* A person's usual helper first: the exported settings must keep it
   * from storing the short-lived token. */
  fixture->git_config = g_build_filename (stamp_test_work_dir (), "gitconfig", NULL);
  config = g_strconcat ("[credential]\n\thelper = store\n", contents, NULL);
  g_file_set_contents (fixture->git_config, config, -1, &error);
  g_assert_no_error (error);

  server = git_config_get (fixture, "sendemail.smtpServer");
  port = git_config_get (fixture, "sendemail.smtpServerPort");
  fixture->host = g_strdup_printf ("%s:%s", server, port);
}

static void
fixture_stop (Fixture *fixture)
{
  g_autofree char *store = g_build_filename (g_get_home_dir (), ".git-credentials", NULL);

  /* No token reached git's store or any other file of the person's. */
  g_assert_false (g_file_test (store, G_FILE_TEST_EXISTS));
  stamp_test_assert_user_dirs_lack (stamp_test_idp_get_canary (fixture->idp));

  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->git_config, g_free);
  g_clear_pointer (&fixture->host, g_free);
}

static void
assert_token (Fixture    *fixture,
              const char *out)
{
  /* The access token is an unsigned JWT whose last part holds the canary. */
  g_autofree char *password = g_strdup_printf (".%s-at-", stamp_test_idp_get_canary (fixture->idp));

  g_assert_true (g_str_has_prefix (out, "protocol=smtp\n"));
  g_assert_nonnull (strstr (out, "\nusername=" USER "\n"));
  g_assert_nonnull (strstr (out, "\npassword=eyJ"));
  g_assert_nonnull (strstr (out, password));
}

/* git send-email's request, answered through the exported helper; what
 * git then approves or rejects is stored and dropped nowhere. */
static void
test_exported_helper (void)
{
  const char * const fill[] = { "credential", "fill", NULL };
  const char * const approve[] = { "credential", "approve", NULL };
  const char * const reject[] = { "credential", "reject", NULL };
  g_autofree char *request = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *approve_out = NULL;
  g_autofree char *approve_err = NULL;
  g_autofree char *reject_out = NULL;
  g_autofree char *reject_err = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);
  request = g_strdup_printf ("protocol=smtp\nhost=%s\nusername=%s\n\n", fixture.host, USER);

  g_assert_cmpint (run_git (&fixture, fill, request, &out, &err), ==, 0);
  assert_token (&fixture, out);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 0);

  g_assert_cmpint (run_git (&fixture, approve, out, &approve_out, &approve_err), ==, 0);
  g_assert_cmpint (run_git (&fixture, reject, out, &reject_out, &reject_err), ==, 0);

  fixture_stop (&fixture);
}

/* With no address in the helper's command, the account is the one git
 * names as the user, else the only OAuth account on that host. */
static void
test_helper_without_address (void)
{
  Fixture fixture = { NULL };
  g_autofree char *helper = NULL;
  g_autofree char *quoted_cli = g_shell_quote (g_getenv ("STAMP_CLI"));
  const char *args[] = { "-c", "credential.helper=", "-c", NULL, "credential", "fill", NULL };
  const struct {
    const char *protocol;
    const char *host;      /* NULL: the account's */
    const char *username;  /* NULL: none given */
    gboolean    answered;
  } requests[] = {
    { "smtp", NULL, USER, TRUE },
    { "smtp", NULL, NULL, TRUE },
    { "smtp", "other.example:587", NULL, FALSE },
    /* A helper set for every host answers only for mail. */
    { "https", NULL, USER, FALSE },
  };

  fixture_start (&fixture);
  helper = g_strdup_printf ("credential.helper=!%s token --git-credential", quoted_cli);
  args[3] = helper;

  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *request = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      request = g_strdup_printf ("protocol=%s\nhost=%s\n%s%s%s\n", requests[i].protocol,
                                 requests[i].host != NULL ? requests[i].host : fixture.host,
                                 requests[i].username != NULL ? "username=" : "",
                                 requests[i].username != NULL ? requests[i].username : "",
                                 requests[i].username != NULL ? "\n" : "");
      status = run_git (&fixture, args, request, &out, &err);

      if (requests[i].answered)
        {
          g_assert_cmpint (status, ==, 0);
          assert_token (&fixture, out);
        }
      else
        {
          /* Unanswered, git would prompt, and may not. */
          g_assert_cmpint (status, !=, 0);
          g_assert_null (strstr (out, "password="));
          g_assert_nonnull (strstr (err, "terminal prompts disabled"));
        }
    }

  fixture_stop (&fixture);
}

/* The helper's own edges: store and erase do nothing, a missing
 * operation is a usage error, a password account is no OAuth account. */
static void
test_helper_edges (void)
{
  const char * const store[] = { "--git-credential", USER, "store", NULL };
  const char * const future[] = { "--git-credential", "capability", NULL };
  const char * const missing[] = { "--git-credential", NULL };
  const char * const password_login[] = { "bob@fastmail.com", "--password-stdin", NULL };
  const char * const password_get[] = { "--git-credential", "bob@fastmail.com", "get", NULL };
  const char * const unnamed_get[] = { "--git-credential", "get", NULL };
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture);

  run_cli (&fixture, &result, "protocol=smtp\nhost=x\npassword=secret\n\n", "token", store);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  stamp_test_cli_run_clear (&result);

  run_cli (&fixture, &result, "", "token", future);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  stamp_test_cli_run_clear (&result);

  run_cli (&fixture, &result, "", "token", missing);
  g_assert_cmpint (result.status, ==, 2);
  stamp_test_cli_run_clear (&result);

  run_cli (&fixture, &result, "app-password-7c1d\n", "login", password_login);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  run_cli (&fixture, &result, "protocol=smtp\nhost=smtp.fastmail.com:465\n\n", "token",
           password_get);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_nonnull (strstr (result.err, "does not sign in with OAuth"));
  stamp_test_cli_run_clear (&result);

  /* Not named in the command: git had better ask the person. */
  run_cli (&fixture, &result, "protocol=smtp\nhost=smtp.fastmail.com:465\n"
                              "username=bob@fastmail.com\n\n", "token", unnamed_get);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, "");

  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/token/git-credential/exported", test_exported_helper);
  g_test_add_func ("/stamp/cli/token/git-credential/without-address", test_helper_without_address);
  g_test_add_func ("/stamp/cli/token/git-credential/edges", test_helper_edges);

  return g_test_run ();
}

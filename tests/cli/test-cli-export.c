/* test-cli-export.c
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

/* stamp-cli export, end to end: saved accounts, a password in a real
 * keyring (this test runs under with-keyring.sh), files on disk. The
 * formats themselves are checked in tests/core/test-export-*.c. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "stamp-test-cli.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"

#define ADDRESS       "bob@fastmail.com"
#define OAUTH_ADDRESS "alice@contoso.com"
#define CANARY        "CANARY-cli-export-9b1e"

static void
run (StampCliRun        *result,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (),
                                "XDG_DATA_HOME", g_get_user_data_dir (), NULL };

  stamp_test_cli_run (result, input, vars, command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result->status, result->out, result->err);

  /* The secret never reaches the terminal. */
  g_assert_null (strstr (result->out, CANARY));
  g_assert_null (strstr (result->err, CANARY));
}

/* Saves bob@fastmail.com with CANARY as its app password in the keyring. */
static void
add_password_account (void)
{
  const char * const args[] = { ADDRESS, "--password-stdin", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, CANARY "\n", "login", args);
  g_assert_cmpint (result.status, ==, 0);
}

static void
add_oauth_account (void)
{
  const char * const args[] = { "add", OAUTH_ADDRESS, "--host", "smtp.office365.com",
                                "--port", "587", "--security", "starttls",
                                "--auth", "xoauth2", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", args);
  g_assert_cmpint (result.status, ==, 0);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
file_mode (const char *path)
{
  struct stat info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return info.st_mode & 0777;
}

static void
test_list (void)
{
  const char * const args[] = { "--list", NULL };
  const char * const ids[] = {
    "wp-mail-smtp", "fluent-smtp", "post-smtp", "easy-wp-smtp", "printer", "printer-pdf",
    "msmtp", "postfix", "postfix-sasl-passwd", "sasl-xoauth2", "mozilla-autoconfig",
    "apple-profile", "env", "nodemailer", "phpmailer", "python-smtplib", "git-send-email",
  };
  g_auto(StampCliRun) result = { NULL };
  const char *wordpress, *devices, *others;

  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", ids[i]);

      g_assert_nonnull (strstr (result.out, line));
    }

  /* Grouped, in the dialog's order. */
  wordpress = strstr (result.out, "WordPress Plugins");
  devices = strstr (result.out, "Printers and Scanners");
  others = strstr (result.out, "Other Senders");
  g_assert_true (wordpress != NULL && devices > wordpress && others > devices);
}

typedef struct
{
  const char *name;
  const char *args[6];
  int         status;
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "no-target", { "--account", ADDRESS, NULL }, 2, "Give exactly one target" },
  { "unknown-target", { "sendmail", "--account", ADDRESS, NULL }, 2, "“sendmail” is not an export target" },
  { "no-account", { "msmtp", NULL }, 2, "--account ADDRESS" },
  { "list-with-target", { "--list", "msmtp", NULL }, 2, "--list takes no target" },
  { "secret-to-stdout", { "msmtp", "--account", ADDRESS, "--include-secret", NULL }, 2, "add -o FILE" },
  { "bad-device-ability", { "printer", "--account", ADDRESS, "--device-can", "fax", NULL }, 2,
    "“fax” is not a device ability" },
  { "unknown-account", { "msmtp", "--account", "nobody@example.com", NULL }, 1, "nobody@example.com" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *test = data;
  g_auto(StampCliRun) result = { NULL };

  add_password_account ();
  run (&result, NULL, "export", test->args);
  g_assert_cmpint (result.status, ==, test->status);
  g_assert_nonnull (strstr (result.err, test->message));
  g_assert_cmpstr (result.out, ==, "");
}

/* Without --include-secret the keyring is not even asked: a placeholder
 * stands where the password goes. */
static void
test_stdout_without_secret (void)
{
  const char * const args[] = { "msmtp", "--account", "BOB@FASTMAIL.COM", NULL };
  g_auto(StampCliRun) result = { NULL };

  add_password_account ();
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "host smtp.fastmail.com\n"));
  g_assert_nonnull (strstr (result.out, "password PASTE-APP-PASSWORD-HERE"));
}

/* With --include-secret the password comes from the keyring into a file
 * that only its owner can read, even when it replaces a readable one. */
static void
test_include_secret (void)
{
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "msmtprc", NULL);
  const char * const args[] = { "msmtp", "--account", ADDRESS, "--include-secret", "-o", path, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  add_password_account ();
  g_file_set_contents (path, "old\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.err, "readable only by you"));
  contents = read_file (path);
  g_assert_nonnull (strstr (contents, CANARY));
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* Nowhere else: not in the account file, not in any other file. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  stamp_test_assert_user_dirs_lack (CANARY);
}

/* A file that holds no secret is written with the usual mode. */
static void
test_output_file_without_secret (void)
{
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "autoconfig.xml", NULL);
  const char * const args[] = { "mozilla-autoconfig", "--account", ADDRESS, "-o", path, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *contents = NULL;

  add_password_account ();
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  contents = read_file (path);
  g_assert_nonnull (strstr (contents, "smtp.fastmail.com"));
  g_assert_null (strstr (contents, CANARY));
  g_assert_cmpuint (file_mode (path) & 0600, ==, 0600);
}

/* --include-secret with no secret stored is an error, not a silent
 * placeholder, and no file is written. */
static void
test_include_missing_secret (void)
{
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "missing", NULL);
  const char * const args[] = { "msmtp", "--account", "carol@example.net", "--include-secret",
                                "-o", path, NULL };
  const char * const add[] = { "add", "carol@example.net", "--host", "smtp.example.net",
                               "--port", "587", "--security", "starttls", NULL };
  g_auto(StampCliRun) added = { NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&added, NULL, "accounts", add);
  g_assert_cmpint (added.status, ==, 0);
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "nothing to include"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* An OAuth account's msmtp file calls stamp-cli token; there is no
 * secret to include, and the export says so rather than failing. */
static void
test_include_secret_oauth (void)
{
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "oauth-msmtprc", NULL);
  const char * const args[] = { "msmtp", "--account", OAUTH_ADDRESS, "--include-secret",
                                "-o", path, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *contents = NULL;

  add_oauth_account ();
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.err, "holds no secret for this account"));
  contents = read_file (path);
  g_assert_nonnull (strstr (contents, "passwordeval \"stamp-cli token " OAUTH_ADDRESS "\""));
}

/* A target that cannot use the account says so and what to do instead. */
static void
test_unsupported (void)
{
  const char * const args[] = { "apple-profile", "--account", OAUTH_ADDRESS, NULL };
  g_auto(StampCliRun) result = { NULL };

  add_oauth_account ();
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "stamp-cli export: "));
  g_assert_cmpstr (result.out, ==, "");
}

/* The PDF sheet is not sent to a terminal, but goes to a file or a pipe. */
static void
test_binary_output (void)
{
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "sheet.pdf", NULL);
  const char * const args[] = { "printer-pdf", "--account", ADDRESS, "--device", "brother",
                                "-o", path, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *contents = NULL;

  add_password_account ();
  run (&result, NULL, "export", args);
  g_assert_cmpint (result.status, ==, 0);
  contents = read_file (path);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/export/list", test_list);
  for (gsize i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/cli/export/usage/%s", usage_cases[i].name);

      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }
  g_test_add_func ("/stamp/cli/export/stdout-without-secret", test_stdout_without_secret);
  g_test_add_func ("/stamp/cli/export/include-secret", test_include_secret);
  g_test_add_func ("/stamp/cli/export/output-file", test_output_file_without_secret);
  g_test_add_func ("/stamp/cli/export/include-missing-secret", test_include_missing_secret);
  g_test_add_func ("/stamp/cli/export/include-secret-oauth", test_include_secret_oauth);
  g_test_add_func ("/stamp/cli/export/unsupported", test_unsupported);
  g_test_add_func ("/stamp/cli/export/binary-output", test_binary_output);

  return g_test_run ();
}

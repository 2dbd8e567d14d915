/* test-cli-explain.c
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


/* `stamp-cli explain`: a pasted reply or a failure kind in, the fix out. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"

static void
test_reply_with_command (void)
{
  const char * const args[] = {
    "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR02CA0099]",
    NULL,
  };
  const char * const with_address[] = {
    "535 5.7.3 Authentication unsuccessful", "--address", "printer@contoso.example", NULL,
  };
  g_auto(StampCliRun) run = { NULL };

  stamp_test_cli_run (&run, NULL, NULL, "explain", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Password sign-in is turned off\n"));
  g_assert_nonnull (strstr (run.out, "What to do:\n  1. "));
  stamp_test_cli_run_clear (&run);

  stamp_test_cli_run (&run, NULL, NULL, "explain", with_address);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Set-CASMailbox -Identity printer@contoso.example "
                                     "-SmtpClientAuthenticationDisabled $false"));
}

static void
test_local_failure (void)
{
  const char * const args[] = {
    "--error", "connection-refused", "--host", "smtp.office365.com", "--port", "465", NULL,
  };
  g_auto(StampCliRun) run = { NULL };

  stamp_test_cli_run (&run, NULL, NULL, "explain", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "port 587 with STARTTLS"));
}

static void
test_json (void)
{
  const char * const args[] = { "452 4.5.3 Too many recipients", "--json", NULL };
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  stamp_test_cli_run (&run, NULL, NULL, "explain", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "too-many-recipients");
  g_assert_true (json_object_get_null_member (object, "command"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "steps")), >=, 1);
}

/* LANGUAGE=de gives German from the build's catalogs: a diagnosis text from
 * data/diagnosis.json and the command's own words. The German comes from the
 * catalog, so the test checks that a translation is there and shown. */
static void
test_german (void)
{
  const char *localedir = g_getenv ("STAMP_TEST_LOCALEDIR");
  const char * const env[] = { "LANGUAGE", "de", "STAMP_LOCALEDIR", localedir, NULL };
  const char * const args[] = {
    "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", NULL,
  };
  g_auto(StampCliRun) run = { NULL };
  const char *title;
  const char *summary;

  g_assert_nonnull (localedir);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  title = g_dgettext (GETTEXT_PACKAGE, "Password sign-in is turned off");
  summary = g_dgettext (GETTEXT_PACKAGE, "Explain a server’s reply or a failure, and how to fix it");
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (title, !=, "Password sign-in is turned off");

  stamp_test_cli_run (&run, NULL, env, "explain", args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, title));
  stamp_test_cli_run_clear (&run);

  stamp_test_cli_run (&run, NULL, env, "--help", NULL);
  g_assert_nonnull (strstr (run.out, summary));
}

static void
test_unknown_and_usage (void)
{
  const char * const unknown[] = { "250 2.0.0 OK", NULL };
  const char * const unknown_json[] = { "250 2.0.0 OK", "--json", NULL };
  const char * const none[] = { NULL };
  const char * const two[] = { "535", "5.7.3", NULL };
  g_auto(StampCliRun) run = { NULL };

  stamp_test_cli_run (&run, NULL, NULL, "explain", unknown);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "does not know this reply"));
  stamp_test_cli_run_clear (&run);

  stamp_test_cli_run (&run, NULL, NULL, "explain", unknown_json);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (g_strstrip (run.out), ==, "null");
  stamp_test_cli_run_clear (&run);

  stamp_test_cli_run (&run, NULL, NULL, "explain", none);
  g_assert_cmpint (run.status, ==, 2);
  stamp_test_cli_run_clear (&run);

  stamp_test_cli_run (&run, NULL, NULL, "explain", two);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "in quotes"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/explain/reply", test_reply_with_command);
  g_test_add_func ("/stamp/cli/explain/local-failure", test_local_failure);
  g_test_add_func ("/stamp/cli/explain/json", test_json);
  g_test_add_func ("/stamp/cli/explain/unknown-and-usage", test_unknown_and_usage);
  g_test_add_func ("/stamp/cli/explain/german", test_german);

  return g_test_run ();
}

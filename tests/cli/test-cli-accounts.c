/* test-cli-accounts.c
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

/* stamp-cli accounts and send --account: the real binary with a private
 * configuration folder, and the loopback SMTP server for a saved send. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"

#define USER     "alice@example.test"
#define PASSWORD "canary-Acc0unt-5ecret"

static const char * const *
isolated_env (void)
{
  static const char *env[3];

  /* G_TEST_OPTION_ISOLATE_DIRS gave this test its own folder. */
  env[0] = "XDG_CONFIG_HOME";
  env[1] = g_get_user_config_dir ();
  env[2] = NULL;

  return env;
}

static char *
accounts_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json", NULL);
}

static void
run (StampCliRun        *result,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  stamp_test_cli_run (result, input, isolated_env (), command, args);
}

static void
test_add_list_show_remove (void)
{
  const char * const add[] = {
    "add", USER, "--name", "Alice Example", "--host", "smtp.example.test", "--port", "465",
    "--security", "tls", "--auth", "plain", NULL,
  };
  const char * const list[] = { "list", NULL };
  const char * const show[] = { "show", USER, "--json", NULL };
  const char * const remove[] = { "remove", USER, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  JsonObject *account;
  GStatBuf info;

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Saved " USER));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, USER));
  g_assert_nonnull (strstr (result.out, "smtp.example.test:465 tls plain"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", show);
  g_assert_cmpint (result.status, ==, 0);
  json_parser_load_from_data (parser, result.out, -1, &error);
  g_assert_no_error (error);
  account = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (account, "address"), ==, USER);
  g_assert_cmpstr (json_object_get_string_member (account, "host"), ==, "smtp.example.test");
  g_assert_cmpint (json_object_get_int_member (account, "port"), ==, 465);
  g_assert_cmpstr (json_object_get_string_member (account, "security"), ==, "tls");
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", remove);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", list);
  g_assert_nonnull (strstr (result.out, "No accounts are saved yet"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", remove);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "no saved account"));
}

static void
test_add_discovered (void)
{
  const char * const add[] = { "add", "Bob+stamp@GMAIL.com", NULL };
  const char * const show[] = { "show", "bob+stamp@gmail.com", NULL };
  g_auto(StampCliRun) result = { NULL };

  /* A domain Stamp knows: found without the network. */
  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Found smtp.gmail.com"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", show);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "smtp.gmail.com"));
  g_assert_nonnull (strstr (result.out, "google"));
}

static void
test_add_invalid (void)
{
  const char * const bad_address[] = { "add", "not an address", "--host", "h.example", NULL };
  const char * const bad_security[] = { "add", USER, "--host", "h.example", "--security",
                                        "ssl3", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *path = accounts_path ();

  run (&result, NULL, "accounts", bad_address);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "not a plain email address"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", bad_security);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_corrupt_file_kept (void)
{
  static const char garbage[] = "{ \"format\": 1, \"accounts\": [ {\"address\": ";
  const char * const list[] = { "list", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *path = accounts_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  gboolean kept = FALSE;

  g_mkdir_with_parents (folder, 0700);
  g_file_set_contents (path, garbage, -1, &error);
  g_assert_no_error (error);

  run (&result, NULL, "accounts", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "No accounts are saved yet"));
  /* The problem is said, with where the file went. */
  g_assert_nonnull (strstr (result.err, "accounts.json"));

  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *aside = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_prefix (name, "accounts.json.") || g_str_has_suffix (name, ".lock"))
        continue;

      g_file_get_contents (aside, &contents, NULL, NULL);
      kept |= g_strcmp0 (contents, garbage) == 0;
    }
  g_assert_true (kept);
}

static void
test_send_with_account (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const add[] = {
    "add", USER, "--host", "127.0.0.1", "--port", port, "--security", "starttls",
    "--auth", "plain", "--ca-file", ca, NULL,
  };
  const char * const send[] = { "--account", USER, "--password-stdin", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) messages = NULL;

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  /* From and To default to the account itself. */
  run (&result, PASSWORD "\n", "send", send);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_null (strstr (result.out, PASSWORD));
  g_assert_null (strstr (result.err, PASSWORD));

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (messages, 0), "mail_from"),
                   ==, USER);
}

/* Refuses @bad_add naming @bad_value, then saves @add, whose setting
 * `accounts show` prints as @label with @value. */
static void
add_and_show (const char * const *bad_add,
              const char         *bad_value,
              const char * const *add,
              const char         *label,
              const char         *value)
{
  const char * const show[] = { "show", USER, NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", bad_add);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, bad_value));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", show);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, label));
  g_assert_nonnull (strstr (result.out, value));
}

static void
test_send_with_account_tls_min (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--tls-max", "1.2", NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const add[] = {
    "add", USER, "--host", "127.0.0.1", "--port", port, "--security", "starttls",
    "--auth", "none", "--ca-file", ca, "--tls-min", "1.3", NULL,
  };
  const char * const bad_add[] = { "add", USER, "--host", "h.example", "--tls-min", "1.4", NULL };
  const char * const send[] = { "--account", USER, NULL };
  const char * const send_override[] = { "--account", USER, "--tls-min", "1.2", NULL };
  g_auto(StampCliRun) result = { NULL };

  add_and_show (bad_add, "1.4", add, "Lowest TLS:", "1.3");

  /* The saved floor is above what the server offers, so the send fails… */
  run (&result, NULL, "send", send);
  g_assert_cmpint (result.status, !=, 0);
  g_assert_nonnull (strstr (result.err, "TLS"));
  stamp_test_cli_run_clear (&result);

  /* …unless --tls-min overrides it for this run. */
  run (&result, NULL, "send", send_override);
  g_assert_cmpint (result.status, ==, 0);
}

static void
test_send_with_account_ehlo_name (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("none", NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  const char * const add[] = {
    "add", USER, "--host", "127.0.0.1", "--port", port, "--security", "none",
    "--auth", "none", "--ehlo-name", "client.example.com", NULL,
  };
  const char * const bad_add[] = {
    "add", USER, "--host", "h.example", "--ehlo-name", "my laptop", NULL,
  };
  const char * const send[] = { "--account", USER, "--transcript", NULL };
  const char * const send_override[] = {
    "--account", USER, "--transcript", "--ehlo-name", "[192.0.2.1]", NULL,
  };
  g_auto(StampCliRun) result = { NULL };

  add_and_show (bad_add, "my laptop", add, "EHLO name:", "client.example.com");

  run (&result, NULL, "send", send);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "EHLO client.example.com"));
  stamp_test_cli_run_clear (&result);

  /* --ehlo-name wins over the account's for this run. */
  run (&result, NULL, "send", send_override);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "EHLO [192.0.2.1]"));
}

static void
test_send_unknown_account (void)
{
  const char * const send[] = { "--account", "nobody@example.test", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "send", send);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "No saved account"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/accounts/add-list-show-remove", test_add_list_show_remove);
  g_test_add_func ("/stamp/cli/accounts/add-discovered", test_add_discovered);
  g_test_add_func ("/stamp/cli/accounts/add-invalid", test_add_invalid);
  g_test_add_func ("/stamp/cli/accounts/corrupt-file-kept", test_corrupt_file_kept);
  g_test_add_func ("/stamp/cli/accounts/send-with-account", test_send_with_account);
  g_test_add_func ("/stamp/cli/accounts/send-with-account-tls-min",
                   test_send_with_account_tls_min);
  g_test_add_func ("/stamp/cli/accounts/send-with-account-ehlo-name",
                   test_send_with_account_ehlo_name);
  g_test_add_func ("/stamp/cli/accounts/send-unknown-account", test_send_unknown_account);

  return g_test_run ();
}

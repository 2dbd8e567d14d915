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

#define GRAPH_USER "grace@contoso.example"

/* A Graph account: saved with its method and address, and said so by
 * list and show. */
static void
test_add_graph (void)
{
  const char * const add[] = {
    "add", GRAPH_USER, "--method", "graph", "--provider", "microsoft",
    "--graph-url", "https://graph.contoso.example/v1.0", "--client-secret-expires", "2027-01-31",
    NULL,
  };
  const char * const add_default[] = {
    "add", "henry@contoso.example", "--method", "graph", "--provider", "microsoft", NULL,
  };
  const char * const list[] = { "list", NULL };
  const char * const show[] = { "show", GRAPH_USER, NULL };
  const char * const show_json[] = { "show", "henry@contoso.example", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *path = accounts_path ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) account = NULL;
  JsonObject *saved_account;

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Saved " GRAPH_USER));
  g_assert_nonnull (strstr (result.out, "stamp-cli login " GRAPH_USER));
  stamp_test_cli_run_clear (&result);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_test_message ("%s", contents);
  saved = stamp_test_cli_parse_json (contents);
  saved_account = json_array_get_object_element (json_object_get_array_member (saved, "accounts"), 0);
  g_assert_cmpstr (json_object_get_string_member (saved_account, "method"), ==, "graph");
  g_assert_cmpstr (json_object_get_string_member (saved_account, "graph_url"), ==,
                   "https://graph.contoso.example/v1.0");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (saved_account,
                                                                                 "oauth"),
                                                  "client_secret_expires"), ==, "2027-01-31");
  /* Graph signs in with OAuth. */
  g_assert_nonnull (strstr (contents, "\"xoauth2\""));

  run (&result, NULL, "accounts", add_default);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "https://graph.contoso.example/v1.0 xoauth2 graph"));
  g_assert_nonnull (strstr (result.out, "https://graph.microsoft.com/v1.0 xoauth2 graph"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", show);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Sends with:    Microsoft Graph"));
  g_assert_nonnull (strstr (result.out, "Graph URL:     https://graph.contoso.example/v1.0"));
  g_assert_nonnull (strstr (result.out, "Secret expiry: 2027-01-31"));
  stamp_test_cli_run_clear (&result);

  /* No sign-in yet: the health says so, in --json too. */
  run (&result, NULL, "accounts", show_json);
  g_assert_cmpint (result.status, ==, 0);
  account = stamp_test_cli_parse_json (result.out);
  g_assert_cmpstr (json_object_get_string_member (account, "method"), ==, "graph");
  g_assert_cmpstr (json_object_get_string_member (account, "effective_graph_url"), ==,
                   "https://graph.microsoft.com/v1.0");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (account, "sign_in"),
                                                  "state"), ==, "none");
}

/* What cannot send through Graph is refused with its reason, and nothing
 * is saved. */
static void
test_add_graph_invalid (void)
{
  const struct {
    const char *args[12];
    const char *message;
  } cases[] = {
    { { "add", GRAPH_USER, "--method", "graph", "--provider", "microsoft", "--auth", "plain", NULL },
      "OAuth only" },
    { { "add", "ivy@gmail.com", "--method", "graph", "--provider", "google", NULL },
      "cannot send through Microsoft Graph" },
    { { "add", GRAPH_USER, "--method", "graph", "--host", "smtp.contoso.example", NULL },
      "cannot send through Microsoft Graph" },
    { { "add", GRAPH_USER, "--method", "graph", "--provider", "microsoft", "--graph-url",
        "http://graph.contoso.example/v1.0", NULL }, "http" },
    { { "add", GRAPH_USER, "--method", "carrier-pigeon", "--provider", "microsoft", NULL },
      "carrier-pigeon" },
    { { "add", GRAPH_USER, "--provider", "microsoft", "--graph-url",
        "https://graph.contoso.example/v1.0", NULL }, "--method graph" },
    { { "add", GRAPH_USER, "--method", "graph", "--provider", "microsoft",
        "--client-secret-expires", "2027-02-30", NULL }, "2027-02-30" },
  };
  g_autofree char *path = accounts_path ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(StampCliRun) result = { NULL };

      run (&result, NULL, "accounts", cases[i].args);
      g_test_message ("%s: %s", cases[i].message, result.err);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, cases[i].message));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

/* `accounts set` switches the method and keeps a client secret's expiry. */
static void
test_set (void)
{
  const char * const add[] = { "add", GRAPH_USER, "--provider", "microsoft", "--auth", "xoauth2",
                               NULL };
  const char * const add_password[] = { "add", USER, "--host", "smtp.example.test", "--auth",
                                        "plain", NULL };
  const char * const to_graph[] = { "set", GRAPH_USER, "--method", "graph",
                                    "--client-secret-expires", "2027-03-01", NULL };
  const char * const password_to_graph[] = { "set", USER, "--method", "graph", NULL };
  const char * const nothing[] = { "set", GRAPH_USER, NULL };
  const char * const back[] = { "set", GRAPH_USER, "--method", "smtp",
                                "--client-secret-expires", "none", NULL };
  const char * const show[] = { "show", GRAPH_USER, NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  run (&result, NULL, "accounts", add_password);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", to_graph);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  run (&result, NULL, "accounts", show);
  g_assert_nonnull (strstr (result.out, "Microsoft Graph"));
  g_assert_nonnull (strstr (result.out, "2027-03-01"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", password_to_graph);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "password"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", nothing);
  g_assert_cmpint (result.status, ==, 2);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", back);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  run (&result, NULL, "accounts", show);
  g_assert_nonnull (strstr (result.out, "Sends with:    SMTP"));
  g_assert_null (strstr (result.out, "2027-03-01"));
}

/* A password account has no sign-in to refresh; with no OAuth account at
 * all there is nothing to do, which is no failure. */
static void
test_refresh_nothing (void)
{
  const char * const add_password[] = { "add", USER, "--host", "smtp.example.test", "--auth",
                                        "plain", NULL };
  const char * const refresh_all[] = { "refresh", NULL };
  const char * const refresh_one[] = { "refresh", USER, NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", add_password);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", refresh_all);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "nothing to refresh"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "accounts", refresh_one);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "password"));
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
  g_test_add_func ("/stamp/cli/accounts/add-graph", test_add_graph);
  g_test_add_func ("/stamp/cli/accounts/add-graph-invalid", test_add_graph_invalid);
  g_test_add_func ("/stamp/cli/accounts/set", test_set);
  g_test_add_func ("/stamp/cli/accounts/refresh-nothing", test_refresh_nothing);

  return g_test_run ();
}

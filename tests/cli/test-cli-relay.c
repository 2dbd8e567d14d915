/* test-cli-relay.c
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

/* `stamp-cli relay add-device`, `devices` and `remove-device`: a device
 * gets a user name and a strong password that lives only in the keyring;
 * the device file never holds it and `devices --json` never prints it. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-test-cli.h"

#define ACCOUNT  "printer-owner@corp.example"
#define GIVEN_PW "canary-relay-Pw-7f3a"

static void
run (StampCliRun        *result,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (), NULL };

  stamp_test_cli_run (result, input, vars, command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result->status, result->out, result->err);
}

static char *
devices_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "stamp", "relay-devices.json", NULL);
}

static char *
read_devices_file (void)
{
  g_autofree char *path = devices_path ();
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
add_account (void)
{
  const char * const add[] = { "add", ACCOUNT, "--host", "127.0.0.1", "--port", "2587",
                               "--security", "starttls", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Returns: (nullable): what the keyring holds for the device @name */
static char *
keyring_password (const char *name)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new (name, ACCOUNT);
  g_autofree char *key = stamp_relay_device_get_secret_key (device);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  stamp_secret_store_lookup_async (store, key, STAMP_SECRET_RELAY_DEVICE, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  secret = stamp_secret_store_lookup_finish (store, result, NULL, &error);
  g_assert_no_error (error);
  return secret;
}

static void
test_add_generated (void)
{
  const char * const add[] = { "add-device", "Office Printer #2", "--account", ACCOUNT,
                               "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *file = NULL;
  const char *password;

  add_account ();
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);

  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Office Printer #2");
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, ACCOUNT);
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "office-printer-2");
  g_assert_cmpstr (json_object_get_string_member (object, "tls-min"), ==, "1.2");
  g_assert_false (json_object_get_boolean_member (object, "no-sign-in"));
  g_assert_false (json_object_get_boolean_member (object, "allow-plaintext"));
  password = json_object_get_string_member (object, "password");
  g_assert_cmpuint (strlen (password), >=, 20);
  for (const char *p = password; *p != '\0'; p++)
    g_assert_true (g_ascii_isalnum (*p));

  /* In the keyring, and nowhere in the device file. */
  stored = keyring_password ("Office Printer #2");
  g_assert_cmpstr (stored, ==, password);
  file = read_devices_file ();
  g_assert_null (strstr (file, password));
  g_assert_nonnull (strstr (file, "office-printer-2"));
}

static void
test_add_text_and_unique_user (void)
{
  const char * const first[] = { "add-device", "Scanner", "--account", ACCOUNT, NULL };
  const char * const second[] = { "add-device", "scanner!", "--account", ACCOUNT, "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *stored = NULL;

  add_account ();
  run (&result, NULL, "relay", first);
  g_assert_cmpint (result.status, ==, 0);
  stored = keyring_password ("Scanner");
  g_assert_nonnull (stored);
  /* Shown once, in the text output. */
  g_assert_nonnull (strstr (result.out, stored));
  g_assert_nonnull (strstr (result.out, "scanner"));
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "relay", second);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "scanner-2");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), !=, stored);
}

static void
test_add_given_credentials (void)
{
  const char * const add[] = { "add-device", "Old ERP", "--account", ACCOUNT,
                               "--user", "erp-mailer", "--password-stdin",
                               "--allow-from", "192.168.10.0/24", "--allow-from", "10.0.0.7",
                               "--tls-min", "1.0", "--allow-plaintext", NULL };
  const char * const list[] = { "devices", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *file = NULL;
  JsonArray *devices;
  JsonObject *device;
  JsonArray *allow_from;

  add_account ();
  run (&result, GIVEN_PW "\n", "relay", add);
  g_assert_cmpint (result.status, ==, 0);
  /* A password the person gave is not echoed. */
  g_assert_null (strstr (result.out, GIVEN_PW));
  g_assert_nonnull (strstr (result.out, "erp-mailer"));
  stamp_test_cli_run_clear (&result);

  stored = keyring_password ("Old ERP");
  g_assert_cmpstr (stored, ==, GIVEN_PW);
  file = read_devices_file ();
  g_assert_null (strstr (file, GIVEN_PW));

  run (&result, NULL, "relay", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_null (strstr (result.out, GIVEN_PW));
  g_assert_null (strstr (result.out, "password"));
  json_parser_load_from_data (parser, result.out, -1, &error);
  g_assert_no_error (error);
  devices = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (devices), ==, 1);
  device = json_array_get_object_element (devices, 0);
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Old ERP");
  g_assert_cmpstr (json_object_get_string_member (device, "user"), ==, "erp-mailer");
  g_assert_cmpstr (json_object_get_string_member (device, "tls-min"), ==, "1.0");
  g_assert_true (json_object_get_boolean_member (device, "allow-plaintext"));
  allow_from = json_object_get_array_member (device, "allow-from");
  g_assert_cmpuint (json_array_get_length (allow_from), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (allow_from, 0), ==, "192.168.10.0/24");
  g_assert_cmpstr (json_array_get_string_element (allow_from, 1), ==, "10.0.0.7");
}

static void
test_make_and_aliases (void)
{
  const char * const add[] = { "add-device", "Front desk", "--account", ACCOUNT,
                               "--make", "Konica Minolta", "--from-alias", "scans@corp.example",
                               "--from-alias", "frontdesk@corp.example", "--json", NULL };
  const char * const list[] = { "devices", NULL };
  const char * const list_json[] = { "devices", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *device;
  JsonArray *aliases;

  add_account ();
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "make"), ==, "konica-minolta");
  aliases = json_object_get_array_member (object, "from-aliases");
  g_assert_cmpuint (json_array_get_length (aliases), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (aliases, 0), ==, "scans@corp.example");
  g_assert_cmpstr (json_array_get_string_element (aliases, 1), ==, "frontdesk@corp.example");
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "relay", list_json);
  g_assert_cmpint (result.status, ==, 0);
  json_parser_load_from_data (parser, result.out, -1, &error);
  g_assert_no_error (error);
  device = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (device, "make"), ==, "konica-minolta");
  aliases = json_object_get_array_member (device, "from-aliases");
  g_assert_cmpuint (json_array_get_length (aliases), ==, 2);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "relay", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Konica Minolta"));
  g_assert_nonnull (strstr (result.out, "scans@corp.example, frontdesk@corp.example"));
}

static void
test_no_sign_in (void)
{
  const char * const add[] = { "add-device", "Fax", "--account", ACCOUNT, "--no-sign-in",
                               "--allow-from", "192.168.1.50", NULL };
  const char * const add_json[] = { "add-device", "Fax 2", "--account", ACCOUNT, "--no-sign-in",
                                    "--allow-from", "192.168.1.51", "--json", NULL };
  const char * const list[] = { "devices", NULL };
  const char * const remove[] = { "remove-device", "Fax", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *file = NULL;

  add_account ();
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_null (strstr (result.out, "Password"));
  stamp_test_cli_run_clear (&result);

  /* No password made, kept or printed, and no user name either. */
  run (&result, NULL, "relay", add_json);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_true (json_object_get_boolean_member (object, "no-sign-in"));
  g_assert_true (json_object_has_member (object, "password"));
  g_assert_true (json_node_is_null (json_object_get_member (object, "password")));
  g_assert_false (json_object_has_member (object, "user"));
  stamp_test_cli_run_clear (&result);
  stored = keyring_password ("Fax");
  g_assert_null (stored);
  file = read_devices_file ();
  g_assert_null (strstr (file, "\"user\""));

  run (&result, NULL, "relay", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Fax"));
  g_assert_nonnull (strstr (result.out, "192.168.1.50"));
  g_assert_nonnull (strstr (result.out, ACCOUNT));
  stamp_test_cli_run_clear (&result);

  /* With no password to take out of the keyring, removing still works. */
  run (&result, NULL, "relay", remove);
  g_assert_cmpint (result.status, ==, 0);
}

typedef struct
{
  const char *input;
  const char *args[12];
  const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { NULL, { "add-device", "P", "--account", "nobody@corp.example", NULL }, "nobody@corp.example" },
  { NULL, { "add-device", "P", NULL }, "--account" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--no-sign-in", NULL }, "--allow-from" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--allow-from", "10.0.0.0/33", NULL }, "10.0.0.0/33" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--allow-from", "printer.lan", NULL }, "printer.lan" },
  { "short-pw-11\n", { "add-device", "P", "--account", ACCOUNT, "--user", "p",
                       "--password-stdin", NULL }, "12" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--user", "p", NULL }, "--password-stdin" },
  { GIVEN_PW "\n", { "add-device", "P", "--account", ACCOUNT, "--password-stdin", NULL }, "--user" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--tls-min", "1.3", NULL }, "1.3" },
  { NULL, { "add-device", "P", "Q", "--account", ACCOUNT, NULL }, "one device name" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--make", "acme", NULL }, "acme" },
  { NULL, { "add-device", "P", "--account", ACCOUNT, "--from-alias", "scans", NULL }, "scans" },
  { GIVEN_PW "\n", { "add-device", "P", "--account", ACCOUNT, "--no-sign-in", "--allow-from",
                     "10.0.0.7", "--user", "p", "--password-stdin", NULL }, "--user" },
  { NULL, { "frobnicate", NULL }, "Usage" },
};

static void
test_usage_errors (void)
{
  add_account ();

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_auto(StampCliRun) result = { NULL };
      g_autofree char *path = devices_path ();

      run (&result, error_cases[i].input, "relay", error_cases[i].args);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, error_cases[i].message));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
test_duplicate (void)
{
  const char * const add[] = { "add-device", "Printer", "--account", ACCOUNT, NULL };
  const char * const again[] = { "add-device", "PRINTER", "--account", ACCOUNT, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  add_account ();
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  before = keyring_password ("Printer");

  run (&result, NULL, "relay", again);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "already"));

  /* The first device's password is untouched. */
  after = keyring_password ("Printer");
  g_assert_cmpstr (before, ==, after);
}

static void
test_remove (void)
{
  const char * const add[] = { "add-device", "Printer", "--account", ACCOUNT, NULL };
  const char * const keep[] = { "add-device", "Scanner", "--account", ACCOUNT, NULL };
  const char * const remove[] = { "remove-device", "Printer", NULL };
  const char * const list[] = { "devices", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *gone = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *file = NULL;

  add_account ();
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  run (&result, NULL, "relay", keep);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, NULL, "relay", remove);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  gone = keyring_password ("Printer");
  g_assert_null (gone);
  kept = keyring_password ("Scanner");
  g_assert_nonnull (kept);
  file = read_devices_file ();
  g_assert_null (strstr (file, "\"Printer\""));
  g_assert_nonnull (strstr (file, "\"Scanner\""));

  run (&result, NULL, "relay", list);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_null (strstr (result.out, "Printer"));
  g_assert_nonnull (strstr (result.out, "Scanner"));
  stamp_test_cli_run_clear (&result);

  /* A second time there is nothing to remove. */
  run (&result, NULL, "relay", remove);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Printer"));
}

/* A damaged device file is moved aside whole; the message says where. */
static void
test_damaged_file (void)
{
  const char * const list[] = { "devices", NULL };
  const char * const add[] = { "add-device", "Printer", "--account", ACCOUNT, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *path = devices_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *kept = NULL;
  g_autofree char *aside = NULL;
  const char *start;
  const char *end;

  add_account ();
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "{\"devices\": [{\"name\": ", -1, NULL));

  run (&result, NULL, "relay", list);
  g_assert_cmpint (result.status, ==, 1);
  start = strstr (result.err, "moved to “");
  g_assert_nonnull (start);
  start += strlen ("moved to “");
  end = strstr (start, "”");
  g_assert_nonnull (end);
  aside = g_strndup (start, end - start);
  g_assert_true (g_str_has_prefix (aside, path));
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "{\"devices\": [{\"name\": ");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  stamp_test_cli_run_clear (&result);

  /* Then the relay starts afresh. */
  run (&result, NULL, "relay", add);
  g_assert_cmpint (result.status, ==, 0);
}

/* With no keyring the password could not be kept: no device is added. */
static void
test_no_keyring (void)
{
  const char * const add[] = { "add-device", "Printer", "--account", ACCOUNT, NULL };
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (),
                                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/stamp-test-bus",
                                NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *path = devices_path ();

  add_account ();
  stamp_test_cli_run (&result, NULL, vars, "relay", add);
  g_test_message ("stamp-cli relay: exit %d\n%s%s", result.status, result.out, result.err);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "keyring"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/relay/add-generated", test_add_generated);
  g_test_add_func ("/stamp/cli/relay/add-text-unique-user", test_add_text_and_unique_user);
  g_test_add_func ("/stamp/cli/relay/add-given-credentials", test_add_given_credentials);
  g_test_add_func ("/stamp/cli/relay/make-and-aliases", test_make_and_aliases);
  g_test_add_func ("/stamp/cli/relay/no-sign-in", test_no_sign_in);
  g_test_add_func ("/stamp/cli/relay/usage-errors", test_usage_errors);
  g_test_add_func ("/stamp/cli/relay/duplicate", test_duplicate);
  g_test_add_func ("/stamp/cli/relay/remove", test_remove);
  g_test_add_func ("/stamp/cli/relay/damaged-file", test_damaged_file);
  g_test_add_func ("/stamp/cli/relay/no-keyring", test_no_keyring);

  return g_test_run ();
}

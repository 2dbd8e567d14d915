/* test-cli-relay-list.c
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

/* `stamp-cli relay add-device --from-csv FILE --sheets DIR`: every device
 * of an office's list, each with its own password in the keyring and on
 * its own private printer sheet, or none at all. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"
#include "stamp-test-cli.h"

#define ACCOUNT "office@corp.example"

static const char list_text[] =
  "name,make,allow-from,tls-min\r\n"
  "Front desk,Brother,,\r\n"
  "\"Scanner, 2nd floor\",konica-minolta,192.168.2.0/24;10.0.0.7,1.0\r\n";

static void
run (StampCliRun        *result,
     const char * const *args)
{
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (), NULL };

  stamp_test_cli_run (result, NULL, vars, "relay", args);
  g_test_message ("stamp-cli relay: exit %d\n%s%s", result->status, result->out, result->err);
}

static char *
work_path (const char *name)
{
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static char *
write_list (const char *text)
{
  char *path = work_path ("devices.csv");

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
add_account (void)
{
  const char * const add[] = { "add", ACCOUNT, "--host", "127.0.0.1", "--port", "2587",
                               "--security", "starttls", NULL };
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (), NULL };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, vars, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
}

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
keyring_password (const char *name)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new (name, ACCOUNT);
  g_autofree char *key = stamp_relay_device_get_secret_key (device);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  stamp_secret_store_lookup_async (store, key, STAMP_SECRET_RELAY_DEVICE, NULL, got_result,
                                   &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  secret = stamp_secret_store_lookup_finish (store, result, NULL, &error);
  g_assert_no_error (error);
  return secret;
}

static guint
n_devices (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_relay_device_store_load (store, &error));
  g_assert_no_error (error);
  return stamp_relay_device_store_get_devices (store)->len;
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_regex_replace_literal (space, out, -1, 0, " ", 0, NULL);
}

/* One sheet: private, with this device's own credentials and the relay's
 * address and port. */
static void
check_sheet (JsonObject *device,
             const char *host,
             gboolean    starttls)
{
  const char *name = json_object_get_string_member (device, "name");
  const char *user = json_object_get_string_member (device, "user");
  const char *sheet = json_object_get_string_member (device, "sheet");
  g_autofree char *password = keyring_password (name);
  g_autofree char *text = NULL;
  g_autofree char *host_row = g_strdup_printf (" %s ", host);
  GStatBuf info;

  g_assert_nonnull (password);
  g_assert_cmpint (g_stat (sheet, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  text = pdf_text (sheet);
  g_test_message ("%s: %s", sheet, text);
  g_assert_nonnull (strstr (text, "Through Stamp Relay"));
  g_assert_nonnull (strstr (text, host_row));
  g_assert_nonnull (strstr (text, " 2525 "));
  g_assert_nonnull (strstr (text, user));
  g_assert_nonnull (strstr (text, password));
  g_assert_cmpint (strstr (text, "STARTTLS") != NULL, ==, starttls);
}

static void
test_add_list (void)
{
  g_autofree char *list = write_list (list_text);
  g_autofree char *sheets = work_path ("sheets");
  const char * const add[] = { "add-device", "--from-csv", list, "--account", ACCOUNT,
                               "--sheets", sheets, "--relay-host", "192.168.1.20", "--json",
                               NULL };
  const char * const devices[] = { "devices", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *front_sheet = g_build_filename (sheets, "front-desk.pdf", NULL);
  g_autofree char *front_pw = NULL;
  g_autofree char *scanner_pw = NULL;
  JsonArray *array;
  JsonObject *front;
  JsonObject *scanner;

  add_account ();
  run (&result, add);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpstr (json_object_get_string_member (object, "relay-host"), ==, "192.168.1.20");
  g_assert_cmpint (json_object_get_int_member (object, "relay-port"), ==, 2525);
  array = json_object_get_array_member (object, "devices");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  front = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (front, "name"), ==, "Front desk");
  g_assert_cmpstr (json_object_get_string_member (front, "make"), ==, "brother");
  g_assert_cmpstr (json_object_get_string_member (front, "user"), ==, "front-desk");
  g_assert_cmpstr (json_object_get_string_member (front, "sheet"), ==, front_sheet);
  g_assert_false (json_object_has_member (front, "password"));
  scanner = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (scanner, "user"), ==, "scanner-2nd-floor");
  g_assert_cmpstr (json_object_get_string_member (scanner, "tls-min"), ==, "1.0");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (scanner, "allow-from")),
                    ==, 2);

  check_sheet (front, "192.168.1.20", TRUE);
  check_sheet (scanner, "192.168.1.20", TRUE);

  /* Each device its own password, printed nowhere but on its sheet. */
  front_pw = keyring_password ("Front desk");
  scanner_pw = keyring_password ("Scanner, 2nd floor");
  g_assert_cmpstr (front_pw, !=, scanner_pw);
  g_assert_null (strstr (result.out, front_pw));
  g_assert_null (strstr (result.out, scanner_pw));
  stamp_test_cli_run_clear (&result);

  run (&result, devices);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Front desk"));
  g_assert_nonnull (strstr (result.out, "Konica Minolta"));
}

/* The table, this computer's LAN address, another port and plain text. */
static void
test_table_and_lan_address (void)
{
  g_autofree char *list = write_list ("Old copier,generic\n");
  g_autofree char *sheets = work_path ("sheets");
  const char * const add[] = { "add-device", "--from-csv", list, "--account", ACCOUNT,
                               "--sheets", sheets, "--relay-port", "2526", "--allow-plaintext",
                               NULL };
  g_autofree char *lan = stamp_net_dup_lan_address ();
  g_autofree char *sheet = g_build_filename (sheets, "old-copier.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *password = NULL;
  g_auto(StampCliRun) result = { NULL };

  add_account ();
  run (&result, add);

  /* Without a network there is no address to print: it says so, and what
   * to give instead, and adds nothing. */
  if (lan == NULL)
    {
      g_assert_cmpint (result.status, ==, 1);
      g_assert_nonnull (strstr (result.err, "--relay-host"));
      g_assert_false (g_file_test (sheet, G_FILE_TEST_EXISTS));
      return;
    }

  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Old copier"));
  g_assert_nonnull (strstr (result.out, "old-copier"));
  g_assert_nonnull (strstr (result.out, sheet));
  g_assert_nonnull (strstr (result.out, lan));
  password = keyring_password ("Old copier");
  g_assert_null (strstr (result.out, password));

  text = pdf_text (sheet);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, lan));
  g_assert_nonnull (strstr (text, " 2526 "));
  g_assert_nonnull (strstr (text, password));
  g_assert_nonnull (strstr (text, "Without STARTTLS"));
}

/* The keyring is shared by the whole test program, so each test's
 * devices have names of their own. */
static void
assert_nothing_added (const char *sheets,
                      const char *name,
                      const char *sheet_name)
{
  g_autofree char *password = keyring_password (name);
  g_autofree char *sheet = g_build_filename (sheets, sheet_name, NULL);

  g_assert_cmpuint (n_devices (), <=, 1);
  g_assert_null (password);
  g_assert_false (g_file_test (sheet, G_FILE_TEST_EXISTS));
}

/* A bad row: every bad line named, exit 2, and nothing added. */
static void
test_bad_list (void)
{
  g_autofree char *list = write_list ("Lobby,brother\nB,acme\nC,hp,,1.3\n");
  g_autofree char *sheets = work_path ("sheets");
  const char * const add[] = { "add-device", "--from-csv", list, "--account", ACCOUNT,
                               "--sheets", sheets, "--relay-host", "192.168.1.20", NULL };
  g_auto(StampCliRun) result = { NULL };

  add_account ();
  run (&result, add);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "Line 2: "));
  g_assert_nonnull (strstr (result.err, "acme"));
  g_assert_nonnull (strstr (result.err, "Line 3: "));
  g_assert_cmpuint (n_devices (), ==, 0);
  assert_nothing_added (sheets, "Lobby", "lobby.pdf");
}

/* A name already taken, or a sheet already there: nothing added. */
static void
test_clash (void)
{
  g_autofree char *list = write_list ("Hall,hp\n\"Scanner, 2nd floor\",generic\n");
  g_autofree char *sheets = work_path ("sheets");
  g_autofree char *taken_sheet = g_build_filename (sheets, "scanner-2nd-floor.pdf", NULL);
  const char * const one[] = { "add-device", "scanner, 2ND floor", "--account", ACCOUNT, NULL };
  const char * const add[] = { "add-device", "--from-csv", list, "--account", ACCOUNT,
                               "--sheets", sheets, "--relay-host", "192.168.1.20", NULL };
  const char * const remove[] = { "remove-device", "scanner, 2ND floor", NULL };
  g_auto(StampCliRun) result = { NULL };

  add_account ();
  run (&result, one);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run (&result, add);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "Line 2: "));
  g_assert_cmpuint (n_devices (), ==, 1);
  assert_nothing_added (sheets, "Hall", "hall.pdf");
  stamp_test_cli_run_clear (&result);

  run (&result, remove);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  g_assert_cmpint (g_mkdir_with_parents (sheets, 0700), ==, 0);
  g_assert_true (g_file_set_contents (taken_sheet, "someone else's", -1, NULL));
  run (&result, add);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, taken_sheet));
  g_assert_cmpuint (n_devices (), ==, 0);
  assert_nothing_added (sheets, "Hall", "hall.pdf");
}

typedef struct
{
  const char *args[14];
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { { "add-device", "--from-csv", "LIST", "--account", ACCOUNT, NULL }, "--sheets" },
  { { "add-device", "--from-csv", "LIST", "--sheets", "S", NULL }, "--account" },
  { { "add-device", "P", "--from-csv", "LIST", "--account", ACCOUNT, "--sheets", "S", NULL },
    "not both" },
  { { "add-device", "--from-csv", "LIST", "--account", ACCOUNT, "--sheets", "S", "--make", "hp",
      NULL }, "--make" },
  { { "add-device", "--from-csv", "LIST", "--account", ACCOUNT, "--sheets", "S",
      "--relay-port", "0", NULL }, "65535" },
  { { "add-device", "--from-csv", "LIST", "--account", ACCOUNT, "--sheets", "S",
      "--relay-host", "a b", NULL }, "a b" },
  { { "add-device", "P", "--account", ACCOUNT, "--sheets", "S", NULL }, "--from-csv" },
  { { "add-device", "--from-csv", "/nonexistent/list.csv", "--account", ACCOUNT,
      "--sheets", "S", NULL }, "/nonexistent/list.csv" },
  { { "add-device", "--from-csv", "LIST", "--account", "nobody@corp.example", "--sheets", "S",
      NULL }, "nobody@corp.example" },
};

static void
test_usage_errors (void)
{
  g_autofree char *list = write_list (list_text);

  add_account ();
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_auto(StampCliRun) result = { NULL };
      const char *args[G_N_ELEMENTS (usage_cases[i].args)];

      for (guint j = 0; j < G_N_ELEMENTS (args); j++)
        args[j] = g_strcmp0 (usage_cases[i].args[j], "LIST") == 0 ? list : usage_cases[i].args[j];

      run (&result, args);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, usage_cases[i].message));
      g_assert_cmpuint (n_devices (), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/relay-list/add", test_add_list);
  g_test_add_func ("/stamp/cli/relay-list/table-and-lan-address", test_table_and_lan_address);
  g_test_add_func ("/stamp/cli/relay-list/bad-list", test_bad_list);
  g_test_add_func ("/stamp/cli/relay-list/clash", test_clash);
  g_test_add_func ("/stamp/cli/relay-list/usage-errors", test_usage_errors);

  return g_test_run ();
}

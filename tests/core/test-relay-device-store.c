/* test-relay-device-store.c
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

/* StampRelayDevice and StampRelayDeviceStore: networks checked, user names
 * made safe and unique, the file written and read back, and passwords
 * long and random. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"

static char *
store_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "stamp", "relay-devices.json", NULL);
}

static void
test_allow_from (void)
{
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new ("Printer", "a@corp.example");
  const char * const bad[] = { "10.0.0.0/33", "printer.lan", "", "192.168.1.0/", "::1/129" };
  const char * const *allow_from;
  g_autoptr(GError) error = NULL;

  g_assert_null (stamp_relay_device_get_allow_from (device)[0]);

  g_assert_true (stamp_relay_device_add_allow_from (device, "192.168.1.0/24", &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_add_allow_from (device, "fd00::/8", &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_add_allow_from (device, "10.1.2.3", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (stamp_relay_device_add_allow_from (device, bad[i], &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }

  allow_from = stamp_relay_device_get_allow_from (device);
  g_assert_cmpuint (g_strv_length ((char **) allow_from), ==, 3);
  g_assert_cmpstr (allow_from[0], ==, "192.168.1.0/24");
}

static void
test_validate (void)
{
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new ("Fax", "a@corp.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_relay_device_validate (device, &error));
  g_assert_no_error (error);

  /* Without sign-in, only from its own network: never an open relay. */
  stamp_relay_device_set_no_sign_in (device, TRUE);
  g_assert_false (stamp_relay_device_validate (device, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (stamp_relay_device_add_allow_from (device, "192.168.1.9", NULL));
  g_assert_true (stamp_relay_device_validate (device, &error));

  stamp_relay_device_set_tls_min (device, STAMP_TLS_VERSION_1_3);
  g_assert_false (stamp_relay_device_validate (device, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
}

static void
test_make_user (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new ("A", "a@corp.example");
  g_autofree char *plain = stamp_relay_device_store_make_user (store, "Office Printer #1");
  g_autofree char *odd = stamp_relay_device_store_make_user (store, "  --Ünïcode Scanner!! ");
  g_autofree char *empty = stamp_relay_device_store_make_user (store, "€€€");
  g_autofree char *next = NULL;

  g_assert_cmpstr (plain, ==, "office-printer-1");
  g_assert_cmpstr (odd, ==, "n-code-scanner");
  g_assert_cmpstr (empty, ==, "device");

  stamp_relay_device_set_user (device, "office-printer-1");
  g_assert_true (stamp_relay_device_store_add (store, device, NULL));
  next = stamp_relay_device_store_make_user (store, "Office printer 1");
  g_assert_cmpstr (next, ==, "office-printer-1-2");
}

static void
test_round_trip (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autoptr(StampRelayDeviceStore) again = stamp_relay_device_store_new (NULL);
  g_autoptr(StampRelayDevice) printer = stamp_relay_device_new ("Printer", "a@corp.example");
  g_autoptr(StampRelayDevice) fax = stamp_relay_device_new ("Fax", "b@corp.example");
  g_autofree char *path = store_path ();
  g_autoptr(GError) error = NULL;
  StampRelayDevice *found;
  struct stat info;

  /* No file yet: no devices. */
  g_assert_true (stamp_relay_device_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 0);
  g_assert_cmpstr (stamp_relay_device_store_get_path (store), ==, path);

  stamp_relay_device_set_user (printer, "printer");
  stamp_relay_device_set_make (printer, "Brother");
  g_assert_true (stamp_relay_device_add_from_alias (printer, "scans@corp.example", &error));
  g_assert_true (stamp_relay_device_add_from_alias (printer, "Scans@Corp.Example", &error));
  g_assert_no_error (error);
  stamp_relay_device_set_user (fax, "fax");
  stamp_relay_device_set_no_sign_in (fax, TRUE);
  stamp_relay_device_set_tls_min (fax, STAMP_TLS_VERSION_1_0);
  stamp_relay_device_set_allow_plaintext (fax, TRUE);
  g_assert_true (stamp_relay_device_add_allow_from (fax, "192.168.1.0/24", NULL));
  g_assert_true (stamp_relay_device_store_add (store, printer, &error));
  g_assert_true (stamp_relay_device_store_add (store, fax, &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  g_assert_true (stamp_relay_device_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_store_get_devices (again)->len, ==, 2);
  found = stamp_relay_device_store_lookup (again, "FAX");
  g_assert_nonnull (found);
  g_assert_cmpstr (stamp_relay_device_get_account (found), ==, "b@corp.example");
  g_assert_cmpstr (stamp_relay_device_get_user (found), ==, "fax");
  g_assert_true (stamp_relay_device_get_no_sign_in (found));
  g_assert_true (stamp_relay_device_get_allow_plaintext (found));
  g_assert_cmpint (stamp_relay_device_get_tls_min (found), ==, STAMP_TLS_VERSION_1_0);
  g_assert_cmpstr (stamp_relay_device_get_allow_from (found)[0], ==, "192.168.1.0/24");
  g_assert_null (stamp_relay_device_get_make (found));
  g_assert_null (stamp_relay_device_get_from_aliases (found)[0]);
  found = stamp_relay_device_store_lookup_user (again, "printer");
  g_assert_nonnull (found);
  g_assert_cmpstr (stamp_relay_device_get_make (found), ==, "brother");
  g_assert_cmpuint (g_strv_length ((char **) stamp_relay_device_get_from_aliases (found)), ==, 1);
  g_assert_cmpstr (stamp_relay_device_get_from_aliases (found)[0], ==, "scans@corp.example");

  /* An edit holds its lock through the save, which takes its own. */
  g_assert_true (stamp_relay_device_store_begin_edit (again, &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_store_load (again, &error));
  g_assert_true (stamp_relay_device_store_remove (again, "printer"));
  g_assert_false (stamp_relay_device_store_remove (again, "printer"));
  g_assert_true (stamp_relay_device_store_save (again, &error));
  g_assert_no_error (error);
  stamp_relay_device_store_end_edit (again);
  g_assert_true (stamp_relay_device_store_load (store, &error));
  g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 1);
}

static void
test_duplicates (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autoptr(StampRelayDevice) first = stamp_relay_device_new ("Printer", "a@corp.example");
  g_autoptr(StampRelayDevice) same_name = stamp_relay_device_new ("printer", "a@corp.example");
  g_autoptr(StampRelayDevice) same_user = stamp_relay_device_new ("Other", "a@corp.example");
  g_autoptr(GError) error = NULL;

  stamp_relay_device_set_user (first, "p");
  stamp_relay_device_set_user (same_name, "q");
  stamp_relay_device_set_user (same_user, "p");
  g_assert_true (stamp_relay_device_store_add (store, first, &error));
  g_assert_false (stamp_relay_device_store_add (store, same_name, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (stamp_relay_device_store_add (store, same_user, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 1);
}

/* Every file put aside next to @path, sorted. */
static GPtrArray *
list_aside (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".unreadable-", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      g_ptr_array_add (found, g_build_filename (folder, name, NULL));

  return found;
}

static void
test_damaged_file (void)
{
  const char * const damaged[] = {
    "{ not json",
    "[1, 2]",
    "{\"version\": 1, \"devices\": [{\"name\": \"P\"}]}",
    "{\"version\": 1, \"devices\": [{\"name\": \"P\", \"account\": \"a@corp.example\", "
    "\"from-aliases\": [\"not an address\"]}]}",
    "{\"version\": 1, \"devices\": [{\"name\": \"P\", \"account\": \"a@corp.example\", "
    "\"from-aliases\": \"a@corp.example\"}]}",
    "{\"version\": 1, \"devices\": [{\"name\": \"P\", \"account\": \"a@corp.example\", "
    "\"allow-from\": [7]}]}",
    "{\"version\": 1, \"devices\": {}}",
    "{\"version\": 1, \"devices\": [{\"name\": 5, \"account\": \"a@corp.example\"}]}",
  };
  g_autofree char *path = store_path ();
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
      g_autoptr(GPtrArray) aside = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *kept = NULL;

      g_assert_true (g_file_set_contents (path, damaged[i], -1, NULL));
      g_assert_false (stamp_relay_device_store_load (store, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);
      g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 0);

      /* Moved aside whole, and the message says where. */
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      aside = list_aside (path);
      g_assert_cmpuint (aside->len, ==, 1);
      g_assert_nonnull (strstr (error->message, g_ptr_array_index (aside, 0)));
      g_assert_true (g_file_get_contents (g_ptr_array_index (aside, 0), &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, damaged[i]);
      g_assert_cmpint (g_remove (g_ptr_array_index (aside, 0)), ==, 0);

      /* The next load starts empty. */
      g_clear_error (&error);
      g_assert_true (stamp_relay_device_store_load (store, &error));
      g_assert_no_error (error);
    }
}

/* A newer Stamp's file is kept untouched, under its own suffix. */
static void
test_newer_file (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autofree char *path = store_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "{\"version\": 9, \"devices\": []}", -1, NULL));
  g_assert_false (stamp_relay_device_store_load (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);
  g_assert_nonnull (strstr (error->message, "relay-devices.json.newer-format-"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_from_alias (void)
{
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new ("Printer", "a@corp.example");
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_relay_device_allows_sender (device, "A@corp.example"));
  g_assert_false (stamp_relay_device_allows_sender (device, "scans@corp.example"));
  g_assert_true (stamp_relay_device_add_from_alias (device, "scans@corp.example", &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_allows_sender (device, "scans@corp.example"));
  g_assert_false (stamp_relay_device_allows_sender (device, "mallory@evil.example"));

  g_assert_false (stamp_relay_device_add_from_alias (device, "<x@corp.example>", &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
}

static void
test_password (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char *password = stamp_relay_generate_password (&error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (password), >=, 20);
      for (const char *p = password; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p));
      g_assert_false (g_hash_table_contains (seen, password));
      g_hash_table_add (seen, password);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/relay/device/allow-from", test_allow_from);
  g_test_add_func ("/stamp/relay/device/validate", test_validate);
  g_test_add_func ("/stamp/relay/device/from-alias", test_from_alias);
  g_test_add_func ("/stamp/relay/device/password", test_password);
  g_test_add_func ("/stamp/relay/store/make-user", test_make_user);
  g_test_add_func ("/stamp/relay/store/round-trip", test_round_trip);
  g_test_add_func ("/stamp/relay/store/duplicates", test_duplicates);
  g_test_add_func ("/stamp/relay/store/damaged-file", test_damaged_file);
  g_test_add_func ("/stamp/relay/store/newer-file", test_newer_file);

  return g_test_run ();
}

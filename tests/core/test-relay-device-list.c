/* test-relay-device-list.c
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

/* StampRelayDeviceList: an office's devices from a CSV list, RFC 4180
 * quoting, every bad row named by its line, and all or nothing. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"

#define ACCOUNT "office@corp.example"

static const char * const makes[] = { "brother", "hp", "konica-minolta", "generic", NULL };

static StampRelayDeviceList *
parse (const char  *text,
       GError     **error)
{
  return stamp_relay_device_list_parse (text, -1, ACCOUNT, makes, error);
}

static void
test_plain (void)
{
  g_autoptr(StampRelayDeviceList) list = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayDevice *device;
  const char * const *allow_from;

  list = parse ("Front desk,brother\n"
                "Scanner 2, Konica Minolta , 192.168.2.0/24; 10.0.0.7 fd00::/8 ,1.0\r\n"
                "\n"
                "HP upstairs,HP,,1.1",
                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_list_get_n_devices (list), ==, 3);

  device = stamp_relay_device_list_get_device (list, 0);
  g_assert_cmpstr (stamp_relay_device_get_name (device), ==, "Front desk");
  g_assert_cmpstr (stamp_relay_device_get_make (device), ==, "brother");
  g_assert_cmpstr (stamp_relay_device_get_account (device), ==, ACCOUNT);
  g_assert_null (stamp_relay_device_get_user (device));
  g_assert_null (stamp_relay_device_get_allow_from (device)[0]);
  g_assert_cmpint (stamp_relay_device_get_tls_min (device), ==, STAMP_TLS_VERSION_1_2);
  g_assert_cmpuint (stamp_relay_device_list_get_line (list, 0), ==, 1);

  device = stamp_relay_device_list_get_device (list, 1);
  g_assert_cmpstr (stamp_relay_device_get_name (device), ==, "Scanner 2");
  g_assert_cmpstr (stamp_relay_device_get_make (device), ==, "konica-minolta");
  allow_from = stamp_relay_device_get_allow_from (device);
  g_assert_cmpuint (g_strv_length ((char **) allow_from), ==, 3);
  g_assert_cmpstr (allow_from[0], ==, "192.168.2.0/24");
  g_assert_cmpstr (allow_from[1], ==, "10.0.0.7");
  g_assert_cmpstr (allow_from[2], ==, "fd00::/8");
  g_assert_cmpint (stamp_relay_device_get_tls_min (device), ==, STAMP_TLS_VERSION_1_0);

  device = stamp_relay_device_list_get_device (list, 2);
  g_assert_cmpstr (stamp_relay_device_get_make (device), ==, "hp");
  g_assert_cmpint (stamp_relay_device_get_tls_min (device), ==, STAMP_TLS_VERSION_1_1);
  g_assert_cmpuint (stamp_relay_device_list_get_line (list, 2), ==, 4);
}

/* Quotes as RFC 4180 has them: commas, doubled quotes and line breaks
 * inside a field; a header in another order, with a byte order mark. */
static void
test_quoted_and_header (void)
{
  g_autoptr(StampRelayDeviceList) list = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayDevice *device;

  list = parse ("\xEF\xBB\xBF" "Make,Name,TLS min\r\n"
                "brother,\"Scanner, 2nd floor\",1.0\r\n"
                "generic,\"The \"\"big\"\" one\nin the hall\",\r\n"
                "hp,Last,\r\n",
                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_list_get_n_devices (list), ==, 3);

  device = stamp_relay_device_list_get_device (list, 0);
  g_assert_cmpstr (stamp_relay_device_get_name (device), ==, "Scanner, 2nd floor");
  g_assert_cmpstr (stamp_relay_device_get_make (device), ==, "brother");
  g_assert_cmpint (stamp_relay_device_get_tls_min (device), ==, STAMP_TLS_VERSION_1_0);
  g_assert_cmpuint (stamp_relay_device_list_get_line (list, 0), ==, 2);

  device = stamp_relay_device_list_get_device (list, 1);
  g_assert_cmpstr (stamp_relay_device_get_name (device), ==, "The \"big\" one\nin the hall");
  g_assert_cmpuint (stamp_relay_device_list_get_line (list, 1), ==, 3);

  /* The line break inside the quotes counts. */
  g_assert_cmpuint (stamp_relay_device_list_get_line (list, 2), ==, 5);
}

typedef struct
{
  const char *text;
  const char *messages[3];  /* each must be in the error */
} BadCase;

static const BadCase bad_cases[] = {
  { "P,acme\n", { "Line 1: ", "“acme” is not a make" } },
  { "P\n", { "Line 1: ", "no make" } },
  { ",brother\n", { "Line 1: ", "no name" } },
  { "P,brother,printer.lan\n", { "Line 1: ", "printer.lan" } },
  { "P,brother,,1.3\n", { "Line 1: ", "1.3" } },
  { "P,brother,,1.2,extra\n", { "Line 1: ", "5 fields" } },
  { "P,brother\nQ,hp\np,generic\n", { "Line 3: ", "already on line 1" } },
  { "P,bro\"ther\n", { "Line 1: ", "quote" } },
  { "\"P\" x,brother\n", { "Line 1: ", "after a field’s closing quote" } },
  { "A,hp\n\"P,brother\n", { "Line 2: ", "not closed" } },
  { "name,make,colour\nP,hp\n", { "Line 1: ", "colour" } },
  { "A,hp\nB,h\xC3p\n", { "Line 2: ", "UTF-8" } },
  /* Every bad row is named, not just the first. */
  { "A,hp\nB,acme\nC,hp\nD,hp,10.0.0.0/33\n", { "Line 2: ", "Line 4: ", "10.0.0.0/33" } },
  { "\n\n", { "no devices" } },
  { "name,make\n", { "no devices" } },
};

static void
test_bad_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(StampRelayDeviceList) list = NULL;
      g_autoptr(GError) error = NULL;

      list = parse (bad_cases[i].text, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (list);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      for (guint j = 0; j < G_N_ELEMENTS (bad_cases[i].messages) && bad_cases[i].messages[j]; j++)
        g_assert_nonnull (strstr (error->message, bad_cases[i].messages[j]));
    }
}

static void
test_make_to_id (void)
{
  const struct { const char *make; const char *id; } cases[] = {
    { "Konica Minolta", "konica-minolta" },
    { "konica_minolta", "konica-minolta" },
    { " HP ", "hp" },
    { "Brother", "brother" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = stamp_relay_make_to_id (cases[i].make);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

/* A list is added whole, each device with its own user name, or not at
 * all when one of its names is taken. */
static void
test_add_to_store (void)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
  g_autoptr(StampRelayDevice) existing = stamp_relay_device_new ("Scanner", ACCOUNT);
  g_autoptr(StampRelayDeviceList) list = NULL;
  g_autoptr(StampRelayDeviceList) clash = NULL;
  g_autoptr(GError) error = NULL;

  stamp_relay_device_set_user (existing, "printer");
  g_assert_true (stamp_relay_device_store_add (store, existing, NULL));

  clash = parse ("Printer,hp\nscanner,brother\n", &error);
  g_assert_no_error (error);
  g_assert_false (stamp_relay_device_list_add_to_store (clash, store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Line 2: "));
  g_assert_null (strstr (error->message, "Line 1: "));
  g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 1);
  g_clear_error (&error);

  list = parse ("Printer,hp\nFax,brother,192.168.1.9\n", &error);
  g_assert_no_error (error);
  g_assert_true (stamp_relay_device_list_add_to_store (list, store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_store_get_devices (store)->len, ==, 3);
  /* “printer” was taken by another device. */
  g_assert_cmpstr (stamp_relay_device_get_user (stamp_relay_device_list_get_device (list, 0)), ==,
                   "printer-2");
  g_assert_cmpstr (stamp_relay_device_get_user (stamp_relay_device_list_get_device (list, 1)), ==,
                   "fax");
}

static void
test_load (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "devices.csv", NULL);
  g_autoptr(StampRelayDeviceList) list = NULL;
  g_autoptr(GError) error = NULL;

  list = stamp_relay_device_list_load (path, ACCOUNT, makes, &error);
  g_assert_null (list);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  g_assert_true (g_mkdir_with_parents (g_get_user_config_dir (), 0700) == 0);
  g_assert_true (g_file_set_contents (path, "name,make\nPrinter,brother\n", -1, NULL));
  list = stamp_relay_device_list_load (path, ACCOUNT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_relay_device_list_get_n_devices (list), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/relay/device-list/plain", test_plain);
  g_test_add_func ("/stamp/relay/device-list/quoted-and-header", test_quoted_and_header);
  g_test_add_func ("/stamp/relay/device-list/bad-rows", test_bad_rows);
  g_test_add_func ("/stamp/relay/device-list/make-to-id", test_make_to_id);
  g_test_add_func ("/stamp/relay/device-list/add-to-store", test_add_to_store);
  g_test_add_func ("/stamp/relay/device-list/load", test_load);

  return g_test_run ();
}

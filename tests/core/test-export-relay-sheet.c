/* test-export-relay-sheet.c
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

#define G_LOG_DOMAIN "test-export-relay-sheet"

#include "config.h"

#include <string.h>

#include "stamp-device-guide.h"
#include "stamp-device-sheet.h"
#include "stamp-net.h"
#include "stamp-test-export.h"
#include "stamp-test-resolver.h"

/* The printer sheet for a device set up in Stamp Relay: the path
 * “Through Stamp Relay” first, with exactly the relay's address, port,
 * STARTTLS or not, and the device's own user name and password; the other
 * paths still listed; and this computer's LAN address. */

#define DEVICE_PW "Relay-Device-Pw-Q7k2"

static StampTestResolver *resolver;

static gboolean
contains (const char *text,
          const char *needle)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *flat_text = g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
  g_autofree char *flat_needle = g_regex_replace_literal (space, needle, -1, 0, " ", 0, NULL);

  return strstr (flat_text, flat_needle) != NULL;
}

static StampExportContext *
relay_context (const char *case_name,
               const char *vendor,
               gboolean    starttls,
               const char *user,
               const char *password)
{
  StampExportContext *context = stamp_test_export_context (case_name, FALSE);
  StampExportRelay relay = {
    .host = "192.168.1.20",
    .port = 2525,
    .starttls = starttls,
    .user = user,
    .password = password,
  };

  stamp_export_context_set_device_vendor (context, vendor);
  stamp_export_context_set_relay (context, &relay);
  return context;
}

static gboolean
guide_offers (StampDeviceGuide *guide,
              StampDevicePath   path)
{
  for (guint i = 0; i < guide->others->len; i++)
    if (((StampDeviceOption *) g_ptr_array_index (guide->others, i))->path == path)
      return TRUE;
  return FALSE;
}

static char *
pdf_text (StampExportResult *result,
          const char        *name)
{
  g_autofree char *path = stamp_test_export_save (result, name);
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return out;
}

static void
test_context (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", FALSE);
  StampExportRelay relay = { "192.168.1.20", 2525, TRUE, "front-desk", DEVICE_PW };
  const StampExportRelay *kept;

  g_assert_null (stamp_export_context_get_relay (context));
  stamp_export_context_set_relay (context, &relay);
  kept = stamp_export_context_get_relay (context);
  g_assert_nonnull (kept);
  /* A copy: the caller's strings may go. */
  g_assert_true (kept->host != relay.host);
  g_assert_cmpstr (kept->host, ==, "192.168.1.20");
  g_assert_cmpuint (kept->port, ==, 2525);
  g_assert_true (kept->starttls);
  g_assert_cmpstr (kept->user, ==, "front-desk");
  g_assert_cmpstr (kept->password, ==, DEVICE_PW);

  stamp_export_context_set_relay (context, NULL);
  g_assert_null (stamp_export_context_get_relay (context));
}

/* For every kind of account, the relay comes first and the other paths
 * stay. */
static void
test_guide (void)
{
  const char * const cases[] = { "m365", "fastmail", "gmail", "custom" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampExportContext) context = relay_context (cases[i], "brother", TRUE,
                                                             "front-desk", DEVICE_PW);
      g_autoptr(StampDeviceGuide) guide = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i]);
      guide = stamp_device_guide_new (context, &error);
      g_assert_no_error (error);
      g_assert_cmpint (guide->path, ==, STAMP_DEVICE_PATH_STAMP_RELAY);
      g_assert_cmpstr (guide->host, ==, "192.168.1.20");
      g_assert_cmpuint (guide->port, ==, 2525);
      g_assert_cmpint (guide->security, ==, STAMP_SECURITY_STARTTLS);
      g_assert_true (guide->sign_in);
      g_assert_true (guide->password);
      g_assert_true (guide->prints_secret);
      g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_LOCAL_RELAY));
      g_assert_false (guide_offers (guide, STAMP_DEVICE_PATH_STAMP_RELAY));
      if (g_str_equal (cases[i], "m365"))
        {
          g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_RELAY_CONNECTOR));
          g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_DIRECT_SEND));
          g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_SUBMISSION_OAUTH));
        }
    }
}

static void
test_text_sheet (void)
{
  g_autoptr(StampExportContext) context = relay_context ("m365", "brother", TRUE,
                                                         "front-desk", DEVICE_PW);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer", context);
  const char *text = stamp_export_result_get_text (result);
  const char *path;
  const char *others;

  g_test_message ("%s", text);
  path = strstr (text, "Path: Through Stamp Relay");
  others = strstr (text, "Other paths");
  g_assert_nonnull (path);
  g_assert_nonnull (others);
  g_assert_true (path < others);
  g_assert_true (contains (text, "SMTP Server Address 192.168.1.20"));
  g_assert_true (contains (text, "SMTP Port 2525"));
  g_assert_true (contains (text, "STARTTLS"));
  g_assert_true (contains (text, "front-desk"));
  g_assert_true (contains (text, DEVICE_PW));
  g_assert_true (contains (text, "--listen 192.168.1.20:2525"));
  g_assert_true (contains (text, "Microsoft 365 relay connector"));
  /* The sheet holds the device's password: the file must be private. */
  g_assert_true (stamp_export_result_get_private (result));
  /* Not the account's own sign-in. */
  g_assert_null (strstr (text, "alice@contoso.com (leave"));
}

static void
test_pdf_sheet (void)
{
  g_autoptr(StampExportContext) context = relay_context ("fastmail", "konica-minolta", TRUE,
                                                         "front-desk", DEVICE_PW);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer-pdf", context);
  g_autofree char *text = pdf_text (result, "relay-sheet.pdf");

  g_test_message ("%s", text);
  g_assert_true (stamp_export_result_get_private (result));
  g_assert_true (contains (text, "Through Stamp Relay"));
  g_assert_true (contains (text, "192.168.1.20"));
  g_assert_true (contains (text, "2525"));
  g_assert_true (contains (text, "front-desk"));
  g_assert_true (contains (text, DEVICE_PW));
  g_assert_true (contains (text, "Other paths"));
}

/* A device allowed to send in plain text: no STARTTLS, and a warning. */
static void
test_plain_text_device (void)
{
  g_autoptr(StampExportContext) context = relay_context ("m365", "generic", FALSE,
                                                         "old-erp", NULL);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer", context);
  g_autoptr(StampDeviceGuide) guide = stamp_device_guide_new (context, NULL);
  const char *text = stamp_export_result_get_text (result);

  g_test_message ("%s", text);
  g_assert_cmpint (guide->security, ==, STAMP_SECURITY_NONE);
  g_assert_true (contains (text, "Without STARTTLS"));
  /* A password the device already has is not printed, nor is anything
   * made up in its place. */
  g_assert_false (guide->prints_secret);
  g_assert_false (stamp_export_result_get_private (result));
  g_assert_true (contains (text, "the password the device already has"));
}

/* A device that sends without signing in: no user, no password. */
static void
test_no_sign_in_device (void)
{
  g_autoptr(StampExportContext) context = relay_context ("m365", "hp", TRUE, NULL, NULL);
  g_autoptr(StampDeviceGuide) guide = stamp_device_guide_new (context, NULL);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer", context);
  const char *text = stamp_export_result_get_text (result);

  g_test_message ("%s", text);
  g_assert_false (guide->sign_in);
  g_assert_false (guide->prints_secret);
  g_assert_true (contains (text, "without signing in"));
  g_assert_true (contains (text, "(leave empty)"));
}

static void
test_lan_address (void)
{
  g_autofree char *address = stamp_net_dup_lan_address ();
  g_autoptr(GInetAddress) parsed = NULL;

  /* A machine without a network has none; one with a network never gives
   * its loopback address. */
  if (address == NULL)
    return;
  parsed = g_inet_address_new_from_string (address);
  g_assert_nonnull (parsed);
  g_assert_false (g_inet_address_get_is_loopback (parsed));
  g_assert_false (g_inet_address_get_is_any (parsed));
  if (g_inet_address_get_family (parsed) == G_SOCKET_FAMILY_IPV6)
    g_assert_false (g_inet_address_get_is_link_local (parsed));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Nothing here may ask real DNS. */
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/export/relay-sheet/context", test_context);
  g_test_add_func ("/stamp/export/relay-sheet/guide", test_guide);
  g_test_add_func ("/stamp/export/relay-sheet/text", test_text_sheet);
  g_test_add_func ("/stamp/export/relay-sheet/pdf", test_pdf_sheet);
  g_test_add_func ("/stamp/export/relay-sheet/plain-text-device", test_plain_text_device);
  g_test_add_func ("/stamp/export/relay-sheet/no-sign-in-device", test_no_sign_in_device);
  g_test_add_func ("/stamp/export/relay-sheet/lan-address", test_lan_address);

  status = g_test_run ();
  g_clear_object (&resolver);
  return status;
}

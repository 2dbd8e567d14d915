/* test-smtp-settings.c
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

#define G_LOG_DOMAIN "test-smtp-settings"

#include "config.h"

#include <string.h>

#include <glib-object.h>

#include "stamp-account.h"
#include "stamp-error.h"
#include "stamp-smtp-settings.h"

static void
test_defaults (void)
{
  g_autoptr(StampSmtpSettings) starttls = stamp_smtp_settings_new ("smtp.example.test", 0,
                                                                   STAMP_SECURITY_STARTTLS);
  g_autoptr(StampSmtpSettings) tls = stamp_smtp_settings_new ("smtp.example.test", 0,
                                                              STAMP_SECURITY_TLS);
  g_autoptr(StampSmtpSettings) own = stamp_smtp_settings_new ("smtp.example.test", 2525,
                                                              STAMP_SECURITY_NONE);

  g_assert_cmpuint (stamp_smtp_settings_get_port (starttls), ==, 587);
  g_assert_cmpuint (stamp_smtp_settings_get_port (tls), ==, 465);
  g_assert_cmpuint (stamp_smtp_settings_get_port (own), ==, 2525);
  g_assert_cmpint (stamp_smtp_settings_get_auth_mechanism (starttls), ==, STAMP_AUTH_AUTO);
  g_assert_cmpint (stamp_smtp_settings_get_tls_min_version (starttls), ==, STAMP_TLS_VERSION_1_2);
  g_assert_cmpuint (stamp_smtp_settings_get_connect_timeout (starttls), ==,
                    STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT);
  g_assert_cmpuint (stamp_smtp_settings_get_reply_timeout (starttls), ==,
                    STAMP_SMTP_DEFAULT_REPLY_TIMEOUT);
  g_assert_null (stamp_smtp_settings_get_username (starttls));
  g_assert_null (stamp_smtp_settings_get_ca_file (starttls));
  g_assert_null (stamp_smtp_settings_get_ehlo_name (starttls));
}

/* A copy is a value of its own: changing one leaves the other alone. */
static void
test_copy (void)
{
  g_autoptr(StampSmtpSettings) settings = stamp_smtp_settings_new ("smtp.example.test", 0,
                                                                   STAMP_SECURITY_STARTTLS);
  g_autoptr(StampSmtpSettings) copy = NULL;

  stamp_smtp_settings_set_username (settings, "alice@example.test");
  stamp_smtp_settings_set_ca_file (settings, "/ca.pem");
  stamp_smtp_settings_set_ehlo_name (settings, "printer.example.test");
  stamp_smtp_settings_set_reply_timeout (settings, 5);

  copy = g_boxed_copy (STAMP_TYPE_SMTP_SETTINGS, settings);
  stamp_smtp_settings_set_username (settings, "bob@example.test");
  stamp_smtp_settings_set_auth_mechanism (settings, STAMP_AUTH_NONE);

  g_assert_cmpstr (stamp_smtp_settings_get_host (copy), ==, "smtp.example.test");
  g_assert_cmpstr (stamp_smtp_settings_get_username (copy), ==, "alice@example.test");
  g_assert_cmpstr (stamp_smtp_settings_get_ca_file (copy), ==, "/ca.pem");
  g_assert_cmpstr (stamp_smtp_settings_get_ehlo_name (copy), ==, "printer.example.test");
  g_assert_cmpuint (stamp_smtp_settings_get_reply_timeout (copy), ==, 5);
  g_assert_cmpint (stamp_smtp_settings_get_auth_mechanism (copy), ==, STAMP_AUTH_AUTO);
}

static const struct
{
  const char *host;
  const char *username;
  const char *ehlo_name;
  gboolean    valid;
} check_cases[] = {
  { "smtp.example.test", "alice@example.test", NULL, TRUE },
  { "192.0.2.1", NULL, "[192.0.2.1]", TRUE },
  { "", NULL, NULL, FALSE },
  { "smtp.example.test/587", NULL, NULL, FALSE },
  { "smtp example", NULL, NULL, FALSE },
  { "smtp.example.test\r\nMAIL", NULL, NULL, FALSE },
  { "smtp.example.test", "alice\r\nRCPT TO:<x@y.z>", NULL, FALSE },
  { "smtp.example.test", NULL, "me\nQUIT", FALSE },
};

static void
test_check (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autoptr(StampSmtpSettings) settings =
        stamp_smtp_settings_new (check_cases[i].host, 0, STAMP_SECURITY_STARTTLS);
      g_autoptr(GError) error = NULL;

      stamp_smtp_settings_set_username (settings, check_cases[i].username);
      stamp_smtp_settings_set_ehlo_name (settings, check_cases[i].ehlo_name);

      if (check_cases[i].valid)
        {
          g_assert_true (stamp_smtp_settings_check (settings, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (stamp_smtp_settings_check (settings, &error));
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
        }
    }
}

static void
test_describe (void)
{
  g_autoptr(StampSmtpSettings) settings = stamp_smtp_settings_new ("smtp.example.test", 0,
                                                                   STAMP_SECURITY_STARTTLS);
  g_autofree char *none = NULL;
  g_autofree char *token = NULL;
  g_autofree char *plain = NULL;

  none = stamp_smtp_settings_describe (settings, FALSE, FALSE);
  g_assert_nonnull (strstr (none, "smtp.example.test, port 587"));
  g_assert_nonnull (strstr (none, "TLS 1.2 or newer"));
  g_assert_nonnull (strstr (none, "Sign-in: none"));

  stamp_smtp_settings_set_username (settings, "alice@example.test");
  token = stamp_smtp_settings_describe (settings, TRUE, TRUE);
  g_assert_nonnull (strstr (token, "automatic, with an OAuth token, as alice@example.test"));

  stamp_smtp_settings_set_auth_mechanism (settings, STAMP_AUTH_PLAIN);
  plain = stamp_smtp_settings_describe (settings, TRUE, FALSE);
  g_assert_nonnull (strstr (plain, "Sign-in: PLAIN, as alice@example.test"));
}

/* An account hands over all of its submission settings, with the port the
 * security implies when it names none. */
static void
test_from_account (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("alice@example.test");
  g_autoptr(StampSmtpSettings) settings = NULL;

  stamp_account_set_host (account, "smtp.example.test");
  stamp_account_set_security (account, STAMP_SECURITY_TLS);
  stamp_account_set_tls_min (account, STAMP_TLS_VERSION_1_3);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_LOGIN);
  stamp_account_set_username (account, "alice");
  stamp_account_set_ca_file (account, "/ca.pem");
  stamp_account_set_ehlo_name (account, "scanner.example.test");

  settings = stamp_account_dup_smtp_settings (account);
  g_assert_cmpstr (stamp_smtp_settings_get_host (settings), ==, "smtp.example.test");
  g_assert_cmpuint (stamp_smtp_settings_get_port (settings), ==, 465);
  g_assert_cmpint (stamp_smtp_settings_get_security (settings), ==, STAMP_SECURITY_TLS);
  g_assert_cmpint (stamp_smtp_settings_get_tls_min_version (settings), ==,
                   STAMP_TLS_VERSION_1_3);
  g_assert_cmpint (stamp_smtp_settings_get_auth_mechanism (settings), ==, STAMP_AUTH_LOGIN);
  g_assert_cmpstr (stamp_smtp_settings_get_username (settings), ==, "alice");
  g_assert_cmpstr (stamp_smtp_settings_get_ca_file (settings), ==, "/ca.pem");
  g_assert_cmpstr (stamp_smtp_settings_get_ehlo_name (settings), ==, "scanner.example.test");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/smtp-settings/defaults", test_defaults);
  g_test_add_func ("/stamp/smtp-settings/copy", test_copy);
  g_test_add_func ("/stamp/smtp-settings/check", test_check);
  g_test_add_func ("/stamp/smtp-settings/describe", test_describe);
  g_test_add_func ("/stamp/smtp-settings/from-account", test_from_account);

  return g_test_run ();
}

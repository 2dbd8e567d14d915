/* test-preflight.c
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

/* The pre-flight check: the traps settings show before any connection,
 * each explained by its diagnosis entry. */

#include "config.h"

#include <string.h>

#include "stamp-diagnosis.h"
#include "stamp-error.h"
#include "stamp-preflight.h"

#define USER "alice@contoso.com"

static StampPreflightSettings
settings_for (const char    *host,
              guint16        port,
              StampSecurity  security)
{
  StampPreflightSettings settings = { NULL };

  settings.host = host;
  settings.port = port;
  settings.security = security;
  settings.signs_in = TRUE;
  settings.uses_password = FALSE;
  settings.user = USER;
  settings.from = USER;

  return settings;
}

/* Runs the check; returns the ids of what it found, blocking first. */
static char *
check (const StampPreflightSettings *settings,
       gboolean                      expect_ok,
       int                           code,
       GPtrArray                   **out)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  gboolean ok = stamp_preflight_check (settings, &findings, &error);

  g_assert_cmpint (ok, ==, expect_ok);
  if (expect_ok)
    g_assert_no_error (error);
  else
    g_assert_error (error, STAMP_ERROR, code);

  for (guint i = 0; i < findings->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            stamp_explanation_get_id (g_ptr_array_index (findings, i)));
  if (out != NULL)
    *out = g_steal_pointer (&findings);

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* Microsoft offers 587 alone: 465 and 25 are refused before connecting. */
static void
test_m365_port (void)
{
  static const struct { const char *host; guint16 port; gboolean ok; } cases[] = {
    { "smtp.office365.com", 465, FALSE },
    { "smtp.office365.com", 25, FALSE },
    { "SMTP.Office365.com", 465, FALSE },
    { "smtp.office365.us", 465, FALSE },
    { "smtp-mail.outlook.com", 25, FALSE },
    { "smtp.partner.outlook.cn", 465, FALSE },
    { "smtp.office365.com", 587, TRUE },
    { "mail.example.com", 465, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StampPreflightSettings settings = settings_for (cases[i].host, cases[i].port,
                                                      cases[i].port == 465 ? STAMP_SECURITY_TLS
                                                                           : STAMP_SECURITY_STARTTLS);
      g_autofree char *ids = check (&settings, cases[i].ok, STAMP_ERROR_INVALID_INPUT, NULL);

      g_test_message ("%s:%u → %s", cases[i].host, cases[i].port, ids);
      g_assert_cmpstr (ids, ==, cases[i].ok ? "" : "preflight-m365-port");
    }
}

/* A password to Microsoft is advice, with the timeline; a token is not. */
static void
test_m365_password (void)
{
  StampPreflightSettings settings = settings_for ("smtp.office365.com", 587, STAMP_SECURITY_STARTTLS);
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *token_ids = NULL;
  g_autofree char *text = NULL;

  settings.uses_password = TRUE;
  ids = check (&settings, TRUE, 0, &findings);
  g_assert_cmpstr (ids, ==, "preflight-m365-password");
  text = stamp_explanation_to_text (g_ptr_array_index (findings, 0));
  g_assert_nonnull (strstr (text, "end of December 2026"));
  g_assert_nonnull (strstr (text, "2027"));
  g_assert_nonnull (strstr (text, "stamp-cli login " USER));

  /* The provider found from an Outlook.com host, and named outright. */
  settings.host = "smtp-mail.outlook.com";
  g_clear_pointer (&ids, g_free);
  ids = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (ids, ==, "preflight-m365-password");

  settings.host = "smtp.fastmail.com";
  settings.port = 465;
  settings.security = STAMP_SECURITY_TLS;
  g_clear_pointer (&ids, g_free);
  ids = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (ids, ==, "");

  settings = settings_for ("smtp.office365.com", 587, STAMP_SECURITY_STARTTLS);
  token_ids = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (token_ids, ==, "");
}

/* A secret in clear to anything but this computer needs the person's word. */
static void
test_plaintext (void)
{
  static const char * const loopback[] = { "127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost",
                                           "relay.localhost" };
  StampPreflightSettings settings = settings_for ("mail.example.com", 25, STAMP_SECURITY_NONE);
  g_autofree char *refused = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *anonymous = NULL;

  refused = check (&settings, FALSE, STAMP_ERROR_TLS_REQUIRED, NULL);
  g_assert_cmpstr (refused, ==, "preflight-plaintext");

  settings.allow_plaintext = TRUE;
  allowed = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (allowed, ==, "");

  settings.allow_plaintext = FALSE;
  settings.signs_in = FALSE;
  anonymous = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (anonymous, ==, "");

  settings.signs_in = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      g_autofree char *ids = NULL;

      settings.host = loopback[i];
      ids = check (&settings, TRUE, 0, NULL);
      g_assert_cmpstr (ids, ==, "");
    }

  /* Not fooled by a name that only looks local. */
  settings.host = "localhost.example.com";
  g_clear_pointer (&refused, g_free);
  refused = check (&settings, FALSE, STAMP_ERROR_TLS_REQUIRED, NULL);
  g_assert_cmpstr (refused, ==, "preflight-plaintext");
}

/* Another sender than the mailbox: the Send As advice, with both names. */
static void
test_send_as (void)
{
  StampPreflightSettings settings = settings_for ("mail.example.com", 587, STAMP_SECURITY_STARTTLS);
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *same = NULL;
  g_autofree char *text = NULL;

  settings.from = "scanner@contoso.com";
  ids = check (&settings, TRUE, 0, &findings);
  g_assert_cmpstr (ids, ==, "preflight-send-as");
  text = stamp_explanation_to_text (g_ptr_array_index (findings, 0));
  g_assert_nonnull (strstr (text, "from scanner@contoso.com but the sign-in is " USER));

  settings.from = "Alice@Contoso.com";
  same = check (&settings, TRUE, 0, NULL);
  g_assert_cmpstr (same, ==, "");

  /* A user name that is no address, or none: nothing to compare. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *none = NULL;

      settings.user = i == 0 ? "printer" : NULL;
      settings.from = "scans@contoso.com";
      none = check (&settings, TRUE, 0, NULL);
      g_assert_cmpstr (none, ==, "");
    }
}

/* A wrong port blocks first; the other findings still come with it. */
static void
test_several (void)
{
  StampPreflightSettings settings = settings_for ("smtp.office365.com", 465, STAMP_SECURITY_TLS);
  g_autofree char *ids = NULL;

  settings.uses_password = TRUE;
  settings.from = "scanner@contoso.com";
  ids = check (&settings, FALSE, STAMP_ERROR_INVALID_INPUT, NULL);
  g_assert_cmpstr (ids, ==, "preflight-m365-port preflight-m365-password preflight-send-as");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/preflight/m365-port", test_m365_port);
  g_test_add_func ("/stamp/preflight/m365-password", test_m365_password);
  g_test_add_func ("/stamp/preflight/plaintext", test_plaintext);
  g_test_add_func ("/stamp/preflight/send-as", test_send_as);
  g_test_add_func ("/stamp/preflight/several", test_several);

  return g_test_run ();
}

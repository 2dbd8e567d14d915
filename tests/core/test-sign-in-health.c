/* test-sign-in-health.c
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

/* Sign-in health on a real (per-test, private) state folder, with time
 * moved through STAMP_TEST_NOW_OFFSET: every state and its words, the
 * record's round trip, a damaged file, the file's permissions, and that no
 * secret reaches it. */

#define G_LOG_DOMAIN "test-sign-in-health"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-auth-enums.h"
#include "stamp-error.h"
#include "stamp-sign-in-health.h"
#include "stamp-util.h"

#define DAY (24 * 60 * 60)

static void
set_offset (gint64 seconds)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  g_setenv ("STAMP_TEST_NOW_OFFSET", text, TRUE);
}

static StampAccount *
make_oauth_account (const char *address,
                    const char *provider_id)
{
  StampAccount *account = stamp_account_new (address);

  stamp_account_set_host (account, "smtp.example.com");
  stamp_account_set_provider_id (account, provider_id);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);

  return account;
}

static char *
dup_health_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "stamp", "sign-ins.json", NULL);
}

/* The state and the words of @account's sign-in now. */
static StampSignInState
judge (StampAccount  *account,
       char         **words)
{
  const char *address = stamp_account_get_address (account);
  g_autoptr(StampSignInHealth) health = stamp_sign_in_health_load (address);
  gint64 now = stamp_get_now ();

  *words = stamp_sign_in_health_describe (health, account, now);
  return stamp_sign_in_health_get_state (health, account, now, NULL);
}

static void
assert_judged (StampAccount     *account,
               StampSignInState  expected_state,
               const char       *expected_words)
{
  g_autofree char *words = NULL;
  StampSignInState state = judge (account, &words);

  g_assert_cmpint (state, ==, expected_state);
  g_assert_cmpstr (words, ==, expected_words);
}

static void
test_now_offset (void)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
  g_assert_cmpint (ABS (stamp_get_now () - real), <=, 2);

  set_offset (8 * DAY);
  g_assert_cmpint (ABS (stamp_get_now () - real - 8 * DAY), <=, 2);

  set_offset (-DAY);
  g_assert_cmpint (ABS (stamp_get_now () - real + DAY), <=, 2);

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static void
test_refreshed_ages (void)
{
  g_autoptr(StampAccount) account = make_oauth_account ("ada@example.com", "microsoft365");

  set_offset (0);
  assert_judged (account, STAMP_SIGN_IN_STATE_NONE, "Not signed in");

  stamp_sign_in_health_record_sign_in ("ada@example.com");
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed just now");

  set_offset (3 * 60 * 60);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed today");

  set_offset (DAY + 60);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 1 day ago");

  set_offset (2 * DAY + 60);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 2 days ago");

  /* A refresh counts from its own time. */
  stamp_sign_in_health_record_refresh ("ada@example.com", TRUE);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed just now");

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static void
test_expiring_and_lapsed (void)
{
  g_autoptr(StampAccount) microsoft = make_oauth_account ("bob@example.com", "microsoft365");
  g_autoptr(StampAccount) google = make_oauth_account ("carol@example.com", "google");
  g_autoptr(StampSignInHealth) health = NULL;
  gint64 deadline = 0;

  set_offset (0);
  stamp_sign_in_health_record_sign_in ("bob@example.com");
  stamp_sign_in_health_record_sign_in ("carol@example.com");

  g_assert_cmpint (stamp_sign_in_inactivity_window (microsoft), ==, 90 * DAY);
  g_assert_cmpint (stamp_sign_in_inactivity_window (google), ==, 180 * DAY);

  set_offset (75 * DAY);
  assert_judged (microsoft, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 75 days ago");

  set_offset (80 * DAY);
  assert_judged (microsoft, STAMP_SIGN_IN_STATE_EXPIRING, "Sign-in expires in 10 days unless used");
  health = stamp_sign_in_health_load ("bob@example.com");
  g_assert_cmpint (stamp_sign_in_health_get_state (health, microsoft, stamp_get_now (), &deadline),
                   ==, STAMP_SIGN_IN_STATE_EXPIRING);
  g_assert_cmpint (deadline, ==, health->signed_in_at + 90 * DAY);

  set_offset (89 * DAY + 60);
  assert_judged (microsoft, STAMP_SIGN_IN_STATE_EXPIRING, "Sign-in expires in 1 day unless used");

  set_offset (91 * DAY);
  assert_judged (microsoft, STAMP_SIGN_IN_STATE_LAPSED, "Sign-in lapsed: sign in again");
  /* Google keeps an unused token for 180 days. */
  assert_judged (google, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 91 days ago");

  set_offset (170 * DAY);
  assert_judged (google, STAMP_SIGN_IN_STATE_EXPIRING, "Sign-in expires in 10 days unless used");

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static void
test_failure (void)
{
  g_autoptr(StampAccount) account = make_oauth_account ("dan@example.com", "microsoft365");
  g_autoptr(GError) revoked = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
                                                   "The stored sign-in was revoked, for example "
                                                   "after a password change. Sign in again.\n"
                                                   "Details from Microsoft: AADSTS50173: trace");
  g_autoptr(GError) offline = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE,
                                                   "Network is unreachable");
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "Operation was cancelled");
  g_autoptr(StampSignInHealth) health = NULL;

  set_offset (0);
  stamp_sign_in_health_record_sign_in ("dan@example.com");

  /* A network failure is recorded, but the sign-in is not lost. */
  set_offset (DAY + 60);
  stamp_sign_in_health_record_failure ("dan@example.com", offline);
  health = stamp_sign_in_health_load ("dan@example.com");
  g_assert_cmpstr (health->last_failure, ==, "Network is unreachable");
  g_assert_false (health->failure_permanent);
  g_assert_cmpint (health->last_failure_at, ==, stamp_get_now ());
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 1 day ago");

  /* One the provider gives for good is a failure until the next sign-in. */
  set_offset (2 * DAY);
  stamp_sign_in_health_record_failure ("dan@example.com", revoked);
  assert_judged (account, STAMP_SIGN_IN_STATE_FAILED,
                 "Sign-in failed: The stored sign-in was revoked, for example after a password "
                 "change: sign in again");

  /* A cancelled refresh says nothing of the sign-in. */
  stamp_sign_in_health_record_failure ("dan@example.com", cancelled);
  g_clear_pointer (&health, stamp_sign_in_health_free);
  health = stamp_sign_in_health_load ("dan@example.com");
  g_assert_true (health->failure_permanent);
  g_assert_cmpstr (health->last_failure, ==,
                   "The stored sign-in was revoked, for example after a password change. "
                   "Sign in again.");

  /* Failed for good is worse than lapsed. */
  set_offset (100 * DAY);
  assert_judged (account, STAMP_SIGN_IN_STATE_FAILED,
                 "Sign-in failed: The stored sign-in was revoked, for example after a password "
                 "change: sign in again");

  stamp_sign_in_health_record_sign_in ("dan@example.com");
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed just now");

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static void
test_client_secret (void)
{
  g_autoptr(StampAccount) account = make_oauth_account ("kim@example.com", "microsoft365");
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(StampSignInHealth) health = NULL;
  gint64 now;
  gint64 deadline = 0;

  set_offset (0);
  stamp_sign_in_health_record_sign_in ("kim@example.com");
  now = stamp_get_now ();

  /* Expires at 00:00 UTC of a day, five days and a bit from now. */
  midnight = g_date_time_new_from_unix_utc ((now / DAY + 6) * DAY);
  stamp_account_set_client_secret_expires (account, g_date_time_to_unix (midnight));
  assert_judged (account, STAMP_SIGN_IN_STATE_SECRET_EXPIRING, "Client secret expires in 6 days");
  health = stamp_sign_in_health_load ("kim@example.com");
  g_assert_cmpint (stamp_sign_in_health_get_state (health, account, now, &deadline), ==,
                   STAMP_SIGN_IN_STATE_SECRET_EXPIRING);
  g_assert_cmpint (deadline, ==, g_date_time_to_unix (midnight));

  /* Fifteen days ahead is not yet worth a word. */
  stamp_account_set_client_secret_expires (account, now + 15 * DAY);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed just now");

  /* Expired on 2026-03-14; the sign-in is fresh, the secret is worse. */
  midnight = (g_date_time_unref (midnight), g_date_time_new_utc (2026, 3, 14, 0, 0, 0));
  stamp_account_set_client_secret_expires (account, g_date_time_to_unix (midnight));
  assert_judged (account, STAMP_SIGN_IN_STATE_SECRET_EXPIRED,
                 "Client secret expired on 2026-03-14: make a new one");

  /* A lapsed sign-in is worse still. */
  set_offset (91 * DAY);
  assert_judged (account, STAMP_SIGN_IN_STATE_LAPSED, "Sign-in lapsed: sign in again");

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

/* A Graph account signs in with OAuth whatever its SMTP settings say. */
static void
test_graph_account (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("lee@example.com");

  stamp_account_set_provider_id (account, "microsoft365");
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  assert_judged (account, STAMP_SIGN_IN_STATE_NONE, "Not signed in");

  set_offset (0);
  stamp_sign_in_health_record_sign_in ("lee@example.com");
  set_offset (2 * DAY + 60);
  assert_judged (account, STAMP_SIGN_IN_STATE_OK, "Signed in · refreshed 2 days ago");

  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static void
test_password_account (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("eve@example.com");
  g_autofree char *words = NULL;

  stamp_account_set_host (account, "smtp.example.com");
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_PLAIN);
  stamp_sign_in_health_record_sign_in ("eve@example.com");

  g_assert_cmpint (judge (account, &words), ==, STAMP_SIGN_IN_STATE_NONE);
  g_assert_null (words);
}

static void
test_round_trip (void)
{
  g_autoptr(StampSignInHealth) health = NULL;
  g_autoptr(StampSignInHealth) copy = NULL;
  g_autoptr(GError) error = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT,
                                                 "The app has not been given permission.");
  gint64 now;

  g_assert_null (stamp_sign_in_health_load ("frank@example.com"));

  set_offset (-10 * DAY);
  stamp_sign_in_health_record_sign_in ("Frank@Example.com");
  now = stamp_get_now ();
  set_offset (-5 * DAY);
  stamp_sign_in_health_record_refresh ("frank@example.com", FALSE);
  set_offset (-4 * DAY);
  stamp_sign_in_health_record_failure ("FRANK@example.com", error);
  g_unsetenv ("STAMP_TEST_NOW_OFFSET");

  /* Kept under the lower-cased address, found by any spelling. */
  health = stamp_sign_in_health_load ("frank@EXAMPLE.com");
  g_assert_nonnull (health);
  g_assert_cmpint (health->signed_in_at, ==, now);
  g_assert_cmpint (health->refresh_token_at, ==, now);   /* not rotated */
  g_assert_cmpint (ABS (health->last_refresh_at - (now + 5 * DAY)), <=, 2);
  g_assert_cmpint (ABS (health->last_failure_at - (now + 6 * DAY)), <=, 2);
  g_assert_cmpstr (health->last_failure, ==, "The app has not been given permission.");
  g_assert_true (health->failure_permanent);

  copy = stamp_sign_in_health_copy (health);
  g_assert_cmpint (copy->last_refresh_at, ==, health->last_refresh_at);
  g_assert_cmpstr (copy->last_failure, ==, health->last_failure);
  g_assert_true (copy->last_failure != health->last_failure);

  /* A rotated refresh token is a new token. */
  stamp_sign_in_health_record_refresh ("frank@example.com", TRUE);
  g_clear_pointer (&health, stamp_sign_in_health_free);
  health = stamp_sign_in_health_load ("frank@example.com");
  g_assert_cmpint (health->refresh_token_at, ==, health->last_refresh_at);
  g_assert_cmpint (health->last_failure_at, ==, 0);
  g_assert_null (health->last_failure);
  g_assert_false (health->failure_permanent);

  stamp_sign_in_health_record_sign_in ("grace@example.com");
  stamp_sign_in_health_forget ("Frank@example.com");
  g_assert_null (stamp_sign_in_health_load ("frank@example.com"));
  g_clear_pointer (&health, stamp_sign_in_health_free);
  health = stamp_sign_in_health_load ("grace@example.com");
  g_assert_nonnull (health);
}

static void
test_permissions (void)
{
  g_autofree char *path = dup_health_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf buf;

  stamp_sign_in_health_record_sign_in ("heidi@example.com");

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
}

static void
test_damaged_file (void)
{
  g_autofree char *path = dup_health_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(StampSignInHealth) health = NULL;
  const char *name;
  gboolean found_aside = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (path, "{\"format\": 1, \"accounts\": [tru", -1, &error);
  g_assert_no_error (error);

  /* A damaged file is nothing known, not a failure. */
  g_assert_null (stamp_sign_in_health_load ("ivan@example.com"));

  stamp_sign_in_health_record_sign_in ("ivan@example.com");
  health = stamp_sign_in_health_load ("ivan@example.com");
  g_assert_nonnull (health);
  g_assert_cmpint (health->signed_in_at, >, 0);

  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "sign-ins.json.damaged-"))
        {
          g_autofree char *aside = g_build_filename (folder, name, NULL);
          g_autofree char *contents = NULL;

          g_file_get_contents (aside, &contents, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (contents, ==, "{\"format\": 1, \"accounts\": [tru");
          found_aside = TRUE;
        }
    }
  g_assert_true (found_aside);
}

static void
test_no_secret_in_file (void)
{
  const char *token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL291dGxvb2sifQ";
  g_autoptr(GError) error = g_error_new (STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                                         "The provider said: bad token %s here", token);
  g_autoptr(StampSignInHealth) health = NULL;
  g_autofree char *path = dup_health_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;

  stamp_sign_in_health_record_failure ("judy@example.com", error);

  g_file_get_contents (path, &contents, NULL, &read_error);
  g_assert_no_error (read_error);
  g_assert_null (strstr (contents, token));
  g_assert_null (strstr (contents, "eyJ0eXAi"));

  health = stamp_sign_in_health_load ("judy@example.com");
  g_assert_cmpstr (health->last_failure, ==, "The provider said: bad token [hidden] here");
  g_assert_false (health->failure_permanent);
}

static void
test_state_nicks (void)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (STAMP_TYPE_SIGN_IN_STATE);

  g_assert_cmpstr (g_enum_get_value (states, STAMP_SIGN_IN_STATE_LAPSED)->value_nick, ==, "lapsed");
  g_assert_cmpstr (g_enum_get_value (states, STAMP_SIGN_IN_STATE_SECRET_EXPIRING)->value_nick, ==,
                   "secret-expiring");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/sign-in-health/now-offset", test_now_offset);
  g_test_add_func ("/stamp/sign-in-health/refreshed-ages", test_refreshed_ages);
  g_test_add_func ("/stamp/sign-in-health/expiring-and-lapsed", test_expiring_and_lapsed);
  g_test_add_func ("/stamp/sign-in-health/failure", test_failure);
  g_test_add_func ("/stamp/sign-in-health/client-secret", test_client_secret);
  g_test_add_func ("/stamp/sign-in-health/graph-account", test_graph_account);
  g_test_add_func ("/stamp/sign-in-health/password-account", test_password_account);
  g_test_add_func ("/stamp/sign-in-health/round-trip", test_round_trip);
  g_test_add_func ("/stamp/sign-in-health/permissions", test_permissions);
  g_test_add_func ("/stamp/sign-in-health/damaged-file", test_damaged_file);
  g_test_add_func ("/stamp/sign-in-health/no-secret-in-file", test_no_secret_in_file);
  g_test_add_func ("/stamp/sign-in-health/state-nicks", test_state_nicks);

  return g_test_run ();
}

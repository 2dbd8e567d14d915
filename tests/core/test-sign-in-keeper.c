/* test-sign-in-keeper.c
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

/* The keep-alive refresh against the mock identity provider on loopback
 * (tests/fixtures/oauth-idp.py), with tokens in a private gnome-keyring
 * (tests/fixtures/with-keyring.sh) and days passed through
 * STAMP_TEST_NOW_OFFSET: a week-old sign-in is refreshed once and its
 * rotated refresh token stored, a day-old one is left alone, and a sign-in
 * the provider gave up on is warned of once. */

#define G_LOG_DOMAIN "test-sign-in-keeper"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-auth-enums.h"
#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-sign-in-keeper.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-util.h"

#define DAY          (24 * 60 * 60)
#define WAIT_SECONDS 30

static char *canary;

typedef struct
{
  StampTestIdp      *idp;
  StampCredentials  *credentials;
  GListStore        *accounts;
  StampSignInKeeper *keeper;
  GPtrArray         *refreshed;    /* addresses, in order */
  GPtrArray         *warnings;     /* "state-nick address: text" */
} Fixture;

static void
set_offset (gint64 seconds)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  g_setenv ("STAMP_TEST_NOW_OFFSET", text, TRUE);
}

static void
refreshed_cb (StampSignInKeeper *keeper,
              StampAccount      *account,
              Fixture           *fixture)
{
  g_ptr_array_add (fixture->refreshed, g_strdup (stamp_account_get_address (account)));
}

static void
warning_cb (StampSignInKeeper *keeper,
            StampAccount      *account,
            StampSignInState   state,
            const char        *text,
            Fixture           *fixture)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (STAMP_TYPE_SIGN_IN_STATE);

  g_ptr_array_add (fixture->warnings,
                   g_strdup_printf ("%s %s: %s", g_enum_get_value (states, state)->value_nick,
                                    stamp_account_get_address (account), text));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *args[] = { "--canary", canary, NULL };
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();

  set_offset (0);
  fixture->idp = stamp_test_idp_startv (args);
  fixture->credentials = stamp_credentials_new (store);
  fixture->accounts = g_list_store_new (STAMP_TYPE_ACCOUNT);
  fixture->keeper = stamp_sign_in_keeper_new (G_LIST_MODEL (fixture->accounts),
                                              fixture->credentials);
  fixture->refreshed = g_ptr_array_new_with_free_func (g_free);
  fixture->warnings = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->keeper, "refreshed", G_CALLBACK (refreshed_cb), fixture);
  g_signal_connect (fixture->keeper, "warning", G_CALLBACK (warning_cb), fixture);
}

static void
forget (StampCredentials *credentials,
        const char       *address)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StampSecretStore *store = stamp_credentials_get_store (credentials);

  stamp_secret_store_clear_async (store, address, NULL, stamp_test_result_cb, &result);
  stamp_secret_store_clear_finish (store, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts), i);

      forget (fixture->credentials, stamp_account_get_address (account));
    }

  stamp_sign_in_keeper_stop (fixture->keeper);
  g_assert_finalize_object (fixture->keeper);
  g_clear_object (&fixture->accounts);
  g_clear_object (&fixture->credentials);
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->refreshed, g_ptr_array_unref);
  g_clear_pointer (&fixture->warnings, g_ptr_array_unref);
  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

/* An account signed in at the identity provider now, its tokens in the
 * keyring, in the keeper's list. */
static StampAccount *
add_signed_in (Fixture    *fixture,
               const char *address)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (fixture->idp, address,
                                                                "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* As a sign-in in the app or with stamp-cli login leaves it. */
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  tokens = stamp_test_idp_sign_in (fixture->idp, account);

  stamp_credentials_save_tokens_async (fixture->credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  g_assert_true (stamp_credentials_save_tokens_finish (fixture->credentials,
                                                       stamp_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  g_list_store_append (fixture->accounts, account);

  return g_steal_pointer (&account);
}

static char *
stored_refresh_token (Fixture    *fixture,
                      const char *address)
{
  return stamp_test_lookup_secret (stamp_credentials_get_store (fixture->credentials), address,
                                   STAMP_SECRET_REFRESH_TOKEN, NULL);
}

static gboolean
give_up_cb (gpointer user_data)
{
  g_error ("The keeper did not get there within %d seconds", WAIT_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @array holds @count entries. */
static void
wait_for (GPtrArray *array,
          guint      count)
{
  guint give_up = g_timeout_add_seconds (WAIT_SECONDS, give_up_cb, NULL);

  while (array->len < count)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (give_up);
}

/* Lets anything the keeper might still do happen. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_week_old_refreshed (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *addresses[] = { "alice@contoso.example", "bob@contoso.example" };
  char *first_token[2] = { NULL, NULL };
  gint64 now;

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(StampAccount) account = add_signed_in (fixture, addresses[i]);

      first_token[i] = stored_refresh_token (fixture, addresses[i]);
    }

  /* Eight days on, a week since the sign-in has passed. */
  set_offset (8 * DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  wait_for (fixture->refreshed, 2);
  now = stamp_get_now ();

  g_assert_cmpstr (g_ptr_array_index (fixture->refreshed, 0), ==, addresses[0]);
  g_assert_cmpstr (g_ptr_array_index (fixture->refreshed, 1), ==, addresses[1]);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "refresh_token"), ==, 2);
  g_assert_cmpuint (fixture->warnings->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(StampSignInHealth) health = stamp_sign_in_health_load (addresses[i]);
      g_autofree char *rotated = stored_refresh_token (fixture, addresses[i]);

      /* The provider rotated the refresh token; the new one is kept. */
      g_assert_nonnull (rotated);
      g_assert_cmpstr (rotated, !=, first_token[i]);
      g_assert_true (g_str_has_prefix (rotated, canary));

      g_assert_nonnull (health);
      g_assert_cmpint (ABS (health->last_refresh_at - now), <=, 5);
      g_assert_cmpint (health->refresh_token_at, ==, health->last_refresh_at);
      g_assert_cmpint (health->last_failure_at, ==, 0);
    }

  /* Just refreshed: another check leaves them alone. */
  stamp_sign_in_keeper_check_now (fixture->keeper);
  settle ();
  g_assert_cmpuint (fixture->refreshed->len, ==, 2);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "refresh_token"), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (first_token); i++)
    g_free (first_token[i]);
}

static void
test_day_old_left_alone (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "carol@contoso.example");
  g_autofree char *first_token = stored_refresh_token (fixture, "carol@contoso.example");
  g_autofree char *token = NULL;

  set_offset (DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  settle ();

  g_assert_cmpuint (fixture->refreshed->len, ==, 0);
  g_assert_cmpuint (fixture->warnings->len, ==, 0);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "refresh_token"), ==, 0);
  token = stored_refresh_token (fixture, "carol@contoso.example");
  g_assert_cmpstr (token, ==, first_token);
}

static void
test_failed_for_good (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "dave@contoso.example");
  g_autoptr(StampSignInHealth) health = NULL;
  const char *warning;

  stamp_test_idp_control (fixture->idp,
                          "{\"fail_next_token\": {\"error\": \"invalid_grant\", "
                          "\"code\": 700082, \"description\": \"The refresh token has expired "
                          "due to inactivity.\"}}");

  set_offset (8 * DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  wait_for (fixture->warnings, 1);

  warning = g_ptr_array_index (fixture->warnings, 0);
  g_test_message ("%s", warning);
  g_assert_true (g_str_has_prefix (warning, "failed dave@contoso.example: Sign-in failed: "));
  g_assert_true (g_str_has_suffix (warning, ": sign in again"));
  g_assert_null (strstr (warning, canary));
  g_assert_cmpuint (fixture->refreshed->len, ==, 0);

  health = stamp_sign_in_health_load ("dave@contoso.example");
  g_assert_true (health->failure_permanent);
  g_assert_nonnull (health->last_failure);

  /* Once: the sign-in is not tried again, and not warned of again, until
   * a new sign-in. */
  stamp_sign_in_keeper_check_now (fixture->keeper);
  settle ();
  g_assert_cmpuint (fixture->warnings->len, ==, 1);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "refresh_token"), ==, 1);
}

/* A refusal that is not for good (the provider is down) is no failure
 * warning; the lapse coming closer is. */
static void
test_transient_failure (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "erin@contoso.example");
  g_autoptr(StampSignInHealth) health = NULL;

  stamp_test_idp_control (fixture->idp,
                          "{\"fail_next_token\": {\"error\": \"temporarily_unavailable\", "
                          "\"status\": 503}}");

  set_offset (80 * DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  wait_for (fixture->warnings, 1);

  g_assert_cmpstr (g_ptr_array_index (fixture->warnings, 0), ==,
                   "expiring erin@contoso.example: Sign-in expires in 10 days unless used");
  health = stamp_sign_in_health_load ("erin@contoso.example");
  g_assert_false (health->failure_permanent);
  g_assert_cmpint (health->last_failure_at, >, 0);

  /* The next check tries again, and this time it works: no more warning. */
  stamp_sign_in_keeper_check_now (fixture->keeper);
  wait_for (fixture->refreshed, 1);
  settle ();
  g_assert_cmpuint (fixture->warnings->len, ==, 1);
  g_clear_pointer (&health, stamp_sign_in_health_free);
  health = stamp_sign_in_health_load ("erin@contoso.example");
  g_assert_cmpint (health->last_failure_at, ==, 0);
}

/* A client secret that expires within two weeks is warned of, once, even
 * while the sign-in itself is fine and not due. */
static void
test_secret_expiring (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "hana@contoso.example");

  stamp_account_set_client_secret_expires (account, stamp_get_now () + 14 * DAY - 60);

  set_offset (DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  settle ();
  g_assert_cmpuint (fixture->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->warnings, 0), ==,
                   "secret-expiring hana@contoso.example: Client secret expires in 13 days");
  g_assert_cmpuint (fixture->refreshed->len, ==, 0);

  stamp_sign_in_keeper_check_now (fixture->keeper);
  settle ();
  g_assert_cmpuint (fixture->warnings->len, ==, 1);
}

/* stop() cancels the refresh under way. */
static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "frank@contoso.example");

  set_offset (8 * DAY);
  stamp_sign_in_keeper_start (fixture->keeper);
  stamp_sign_in_keeper_stop (fixture->keeper);
  settle ();

  g_assert_cmpuint (fixture->refreshed->len, ==, 0);
  g_assert_cmpuint (fixture->warnings->len, ==, 0);
}

/* stamp_sign_in_refresh_async(), for `stamp-cli accounts refresh`: a
 * forced refresh even of a fresh sign-in. */
static void
test_refresh_on_demand (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StampAccount) account = add_signed_in (fixture, "grace@contoso.example");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSignInHealth) health = NULL;

  stamp_sign_in_refresh_async (fixture->credentials, account, NULL, stamp_test_result_cb, &result);
  g_assert_true (stamp_sign_in_refresh_finish (stamp_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "refresh_token"), ==, 1);

  health = stamp_sign_in_health_load ("grace@contoso.example");
  g_assert_cmpint (health->last_refresh_at, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;
  int status;

  /* Before any thread exists: the environment is not thread-safe. */
  stamp_test_use_scripted_browser ();
  g_setenv ("STAMP_TEST_NOW_OFFSET", "0", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  resolver = stamp_test_resolver_install ();
  stamp_test_wait_for_keyring ();
  canary = g_strdup_printf ("CANARY_%08x", g_random_int ());

  g_test_add ("/stamp/sign-in-keeper/week-old-refreshed", Fixture, NULL,
              fixture_set_up, test_week_old_refreshed, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/day-old-left-alone", Fixture, NULL,
              fixture_set_up, test_day_old_left_alone, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/failed-for-good", Fixture, NULL,
              fixture_set_up, test_failed_for_good, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/transient-failure", Fixture, NULL,
              fixture_set_up, test_transient_failure, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/secret-expiring", Fixture, NULL,
              fixture_set_up, test_secret_expiring, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/stop", Fixture, NULL,
              fixture_set_up, test_stop, fixture_tear_down);
  g_test_add ("/stamp/sign-in-keeper/refresh-on-demand", Fixture, NULL,
              fixture_set_up, test_refresh_on_demand, fixture_tear_down);

  status = g_test_run ();
  g_free (canary);

  return status;
}

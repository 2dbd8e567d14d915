/* test-cli-health.c
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

/* Sign-in health from the command line: `accounts show` in words and in
 * --json, and `accounts refresh`, with the clock moved by
 * STAMP_TEST_NOW_OFFSET; signed in against the mock identity provider
 * (oauth-idp.py) with the scripted browser, in a real gnome-keyring (the
 * test runs in with-keyring.sh). */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-idp.h"

#define DAY (24 * 60 * 60)

typedef struct
{
  StampTestIdp *idp;
  char         *address;  /* each test its own: the keyring outlives each test */
} Fixture;

/* Runs stamp-cli with the clock @days ahead. */
static void
run_at (Fixture            *fixture,
        StampCliRun        *result,
        int                 days,
        const char         *command,
        const char * const *args)
{
  g_autofree char *browser = g_strdup_printf ("/usr/bin/python3 %s/scripted-browser.py",
                                              g_getenv ("STAMP_TEST_FIXTURES"));
  g_autofree char *offset = g_strdup_printf ("%d", days * DAY);
  const char * const env[] = {
    "XDG_CONFIG_HOME", g_get_user_config_dir (),
    "XDG_STATE_HOME", g_get_user_state_dir (),
    "STAMP_BROWSER", browser,
    "STAMP_TEST_BROWSER", "accept",
    "STAMP_TEST_NOW_OFFSET", offset,
    NULL,
  };

  stamp_test_cli_run (result, NULL, env, command, args);
  g_test_message ("stamp-cli %s (day %d): exit %d\n%s%s", command, days, result->status,
                  result->out, result->err);
}

static void
fixture_start (Fixture *fixture)
{
  static guint counter;
  g_auto(StampCliRun) result = { NULL };

  fixture->idp = stamp_test_idp_startv (NULL);
  fixture->address = g_strdup_printf ("health%u@contoso.example", ++counter);

  {
    const char * const args[] = {
      fixture->address, "--provider", "microsoft", "--client-id", STAMP_TEST_IDP_CLIENT_ID,
      "--authority", stamp_test_idp_get_authority (fixture->idp), "--timeout", "20", NULL,
    };

    run_at (fixture, &result, 0, "login", args);
  }
  g_assert_cmpint (result.status, ==, 0);
}

static void
fixture_stop (Fixture *fixture)
{
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->address, g_free);
}

/* `accounts show --json`'s sign_in object, @days ahead. */
static JsonObject *
show_json_at (Fixture *fixture,
              int      days)
{
  const char * const args[] = { "show", fixture->address, "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) account = NULL;

  run_at (fixture, &result, days, "accounts", args);
  g_assert_cmpint (result.status, ==, 0);
  account = stamp_test_cli_parse_json (result.out);

  return json_object_ref (json_object_get_object_member (account, "sign_in"));
}

static void
assert_shows_at (Fixture    *fixture,
                 int         days,
                 const char *words,
                 const char *state)
{
  const char * const args[] = { "show", fixture->address, NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) sign_in = NULL;
  g_autofree char *line = g_strconcat ("Sign-in state: ", words, NULL);

  run_at (fixture, &result, days, "accounts", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, line));

  sign_in = show_json_at (fixture, days);
  g_assert_cmpstr (json_object_get_string_member (sign_in, "state"), ==, state);
  g_assert_nonnull (strstr (json_object_get_string_member (sign_in, "text"), words));
}

/* Fresh after signing in, expiring near the end of the 90 days, lapsed
 * after them. */
static void
test_show_offsets (void)
{
  g_autoptr(JsonObject) sign_in = NULL;
  g_autoptr(GDateTime) signed_in = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);

  assert_shows_at (&fixture, 0, "Signed in", "ok");
  assert_shows_at (&fixture, 80, "Sign-in expires in 10 days", "expiring");
  assert_shows_at (&fixture, 100, "Sign-in lapsed", "lapsed");

  /* Times are ISO 8601; the deadline is the lapse, 90 days on. */
  sign_in = show_json_at (&fixture, 0);
  signed_in = g_date_time_new_from_iso8601 (json_object_get_string_member (sign_in,
                                                                           "signed_in_at"),
                                            NULL);
  g_assert_nonnull (signed_in);
  g_assert_cmpint (ABS (g_date_time_to_unix (signed_in) - g_get_real_time () / G_USEC_PER_SEC),
                   <, 120);
  g_assert_cmpint (json_object_get_int_member (sign_in, "inactivity_window_days"), ==, 90);
  g_assert_true (json_object_get_null_member (sign_in, "last_failure_at"));

  fixture_stop (&fixture);
}

/* A refresh on day 80 keeps the sign-in alive; --quiet prints nothing when
 * all went well. */
static void
test_refresh (void)
{
  const char * const refresh_all[] = { "refresh", NULL };
  const char * const refresh_quiet[] = { "refresh", "--quiet", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) sign_in = NULL;
  g_autoptr(GDateTime) refreshed = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);

  run_at (&fixture, &result, 80, "accounts", refresh_all);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, fixture.address));
  g_assert_nonnull (strstr (result.out, "refreshed. Signed in"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 1);
  stamp_test_cli_run_clear (&result);

  /* The clock said day 80: the refresh counts from then. */
  assert_shows_at (&fixture, 80, "Signed in", "ok");
  assert_shows_at (&fixture, 100, "Signed in", "ok");
  sign_in = show_json_at (&fixture, 80);
  refreshed = g_date_time_new_from_iso8601 (json_object_get_string_member (sign_in,
                                                                           "last_refresh_at"),
                                            NULL);
  g_assert_nonnull (refreshed);
  g_assert_cmpint (ABS (g_date_time_to_unix (refreshed) - g_get_real_time () / G_USEC_PER_SEC
                        - 80 * DAY), <, 120);

  run_at (&fixture, &result, 81, "accounts", refresh_quiet);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 2);

  fixture_stop (&fixture);
}

/* A revoked sign-in: the refresh fails with the sign-in exit status, and
 * show says so from then on. */
static void
test_refresh_fails (void)
{
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) sign_in = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);
  stamp_test_idp_control (fixture.idp, "{\"revoke_refresh_tokens\": true}");

  {
    const char * const args[] = { "refresh", fixture.address, "--quiet", NULL };

    run_at (&fixture, &result, 1, "accounts", args);
  }
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.out, "refresh failed"));
  g_assert_nonnull (strstr (result.out, "Sign-in failed"));
  /* One line, for cron's mail. */
  g_assert_cmpuint (strlen (result.out), ==, strcspn (result.out, "\n") + 1);

  sign_in = show_json_at (&fixture, 1);
  g_assert_cmpstr (json_object_get_string_member (sign_in, "state"), ==, "failed");
  g_assert_nonnull (json_object_get_string_member (sign_in, "last_failure"));
  g_assert_true (json_object_get_boolean_member (sign_in, "failure_permanent"));

  fixture_stop (&fixture);
}

/* A Graph account's refresh asks for Graph's permission, not SMTP's. */
static void
test_refresh_graph (void)
{
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) tokens = NULL;
  const char *scope = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);

  {
    const char * const args[] = { "set", fixture.address, "--method", "graph", NULL };

    run_at (&fixture, &result, 0, "accounts", args);
    g_assert_cmpint (result.status, ==, 0);
    stamp_test_cli_run_clear (&result);
  }

  /* Signed in again for Graph, which the SMTP sign-in did not ask for. */
  {
    const char * const args[] = { fixture.address, "--timeout", "20", NULL };

    run_at (&fixture, &result, 0, "login", args);
    g_assert_cmpint (result.status, ==, 0);
    stamp_test_cli_run_clear (&result);
  }

  {
    const char * const args[] = { "refresh", fixture.address, NULL };

    run_at (&fixture, &result, 30, "accounts", args);
  }
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "refreshed. Signed in"));

  tokens = stamp_test_idp_get_events (fixture.idp, "token");
  for (guint i = 0; i < tokens->len; i++)
    {
      JsonObject *event = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (json_object_get_string_member (event, "grant_type"), "refresh_token") == 0)
        scope = json_object_get_string_member_with_default (event, "scope", NULL);
    }
  g_assert_nonnull (scope);
  g_assert_nonnull (strstr (scope, "https://graph.microsoft.com/Mail.Send"));
  g_assert_null (strstr (scope, "SMTP.Send"));

  fixture_stop (&fixture);
}

/* A client secret's expiry, given with `accounts set`, is kept, shown and
 * warned of ahead. */
static void
test_client_secret_expiry (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  g_autofree char *day = g_date_time_format (later, "%Y-%m-%d");
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) sign_in = NULL;
  g_autoptr(GDateTime) expires = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);

  {
    const char * const args[] = { "set", fixture.address, "--client-secret-expires", day, NULL };

    run_at (&fixture, &result, 0, "accounts", args);
  }
  g_assert_cmpint (result.status, ==, 0);

  {
    const char * const args[] = { "show", fixture.address, NULL };
    g_autofree char *line = g_strconcat ("Secret expiry: ", day, NULL);

    stamp_test_cli_run_clear (&result);
    run_at (&fixture, &result, 0, "accounts", args);
    g_assert_cmpint (result.status, ==, 0);
    g_assert_nonnull (strstr (result.out, line));
  }

  /* Ten days away is inside the fortnight's warning; a day after it, the
   * secret has expired. */
  assert_shows_at (&fixture, 0, "Client secret expires in", "secret-expiring");
  assert_shows_at (&fixture, 11, "Client secret expired on", "secret-expired");

  sign_in = show_json_at (&fixture, 0);
  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (sign_in,
                                                                         "client_secret_expires"),
                                          NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_get_day_of_month (expires), ==, g_date_time_get_day_of_month (later));

  fixture_stop (&fixture);
}

/* Signing out forgets the record with the tokens: the account reads as
 * not signed in, not as lapsed some day. */
static void
test_logout_forgets (void)
{
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *file = g_build_filename (g_get_user_state_dir (), "stamp", "sign-ins.json",
                                            NULL);
  g_autofree char *contents = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, fixture.address));
  g_clear_pointer (&contents, g_free);

  {
    const char * const args[] = { fixture.address, NULL };

    run_at (&fixture, &result, 0, "logout", args);
  }
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, fixture.address));

  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/health/show-offsets", test_show_offsets);
  g_test_add_func ("/stamp/cli/health/refresh", test_refresh);
  g_test_add_func ("/stamp/cli/health/refresh-fails", test_refresh_fails);
  g_test_add_func ("/stamp/cli/health/refresh-graph", test_refresh_graph);
  g_test_add_func ("/stamp/cli/health/client-secret-expiry", test_client_secret_expiry);
  g_test_add_func ("/stamp/cli/health/logout-forgets", test_logout_forgets);

  return g_test_run ();
}

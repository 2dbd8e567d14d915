/* test-oauth-sign-in.c
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

/* OAuth 2.0 sign-in against a mock Microsoft identity provider on loopback
 * (tests/fixtures/oauth-idp.py), with a scripted browser
 * (tests/fixtures/scripted-browser.py) playing the person: the browser
 * flow with PKCE, the device code flow, and what the provider's refusals
 * become. The endpoints an account resolves to are in test-oauth-config.c,
 * the loopback listener on its own in test-oauth-redirect.c. */

#define G_LOG_DOMAIN "test-oauth-sign-in"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "stamp-error.h"
#include "stamp-oauth-config.h"
#include "stamp-oauth-sign-in.h"
#include "stamp-test-http.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-time.h"

#define ADDRESS "alice@contoso.example"

/* Helpers */

static StampOAuthSignIn *
new_sign_in (StampTestIdp *idp,
             const char   *provider_id)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, provider_id);
  g_autoptr(StampOAuthConfig) config = stamp_test_new_oauth_config (account);

  return stamp_oauth_sign_in_new (config);
}

/* The port of the loopback listener the authorization request of
 * @sign_in sends the browser back to. */
static guint16
redirect_port_of (StampOAuthSignIn *sign_in)
{
  g_autoptr(GHashTable) params =
    stamp_test_query_of (stamp_oauth_sign_in_get_authorize_uri (sign_in));
  g_autoptr(GUri) redirect = g_uri_parse (g_hash_table_lookup (params, "redirect_uri"),
                                          G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (redirect);
  g_assert_cmpint (g_uri_get_port (redirect), >, 0);

  return (guint16) g_uri_get_port (redirect);
}

static StampOAuthTokens *
run_browser (StampOAuthSignIn  *sign_in,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_oauth_sign_in_browser_async (sign_in, cancellable, stamp_test_result_cb, &result);
  return stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), error);
}

static StampOAuthTokens *
run_device (StampOAuthSignIn  *sign_in,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_oauth_sign_in_device_async (sign_in, cancellable, stamp_test_result_cb, &result);
  return stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Sends the browser back to a listener with @query. */
static StampTestHttpRequest *
deliver_redirect (guint16     port,
                  const char *query)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/?%s", port, query);

  return stamp_test_http_start (SOUP_METHOD_GET, url, NULL);
}

/* Browser sign-in */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_browser_accept (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("accept");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GPtrArray) authorize = NULL;
  g_autoptr(GPtrArray) token_events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = NULL;
  g_autofree char *redirect_uri = NULL;
  JsonObject *request;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 after;
  guint notified = 0;

  g_signal_connect (sign_in, "notify::authorize-uri", G_CALLBACK (count_notify_cb), &notified);

  tokens = run_browser (sign_in, NULL, &error);
  after = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  g_assert_nonnull (strstr (tokens->access_token, ".CANARY-at-"));
  g_assert_true (g_str_has_prefix (tokens->refresh_token, "CANARY-rt-"));
  g_assert_cmpint (tokens->expires_at, >=, before + 3600);
  g_assert_cmpint (tokens->expires_at, <=, after + 3600);
  g_assert_nonnull (strstr (tokens->scope, "SMTP.Send"));
  g_assert_true (stamp_oauth_tokens_is_fresh (tokens, after));

  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (stamp_oauth_sign_in_get_browser_error (sign_in));
  expected_uri = g_strconcat (stamp_test_idp_get_authority (idp),
                              "/organizations/oauth2/v2.0/authorize?", NULL);
  g_assert_true (g_str_has_prefix (stamp_oauth_sign_in_get_authorize_uri (sign_in), expected_uri));

  /* One code, redeemed once; the IdP checks the PKCE verifier against the
   * challenge, so a token means it matched. */
  state = stamp_test_idp_get_state (idp);
  g_assert_cmpint (json_object_get_int_member (state, "authorize"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (state, "approve"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (state, "token_ok"), ==, 1);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "authorization_code"), ==, 1);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 1);

  token_events = stamp_test_idp_get_events (idp, "token");
  g_assert_cmpuint (token_events->len, ==, 1);
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (token_events, 0), "ok"));

  /* What the browser was sent with: S256 over a 256-bit verifier (43
   * base64url characters), a state of 128 bits, and the loopback listener. */
  authorize = stamp_test_idp_get_events (idp, "authorize");
  g_assert_cmpuint (authorize->len, ==, 1);
  request = g_ptr_array_index (authorize, 0);
  g_assert_true (json_object_get_boolean_member (request, "ok"));
  g_assert_cmpstr (json_object_get_string_member (request, "tenant"), ==, "organizations");
  g_assert_cmpstr (json_object_get_string_member (request, "code_challenge_method"), ==, "S256");
  g_assert_cmpint (json_object_get_int_member (request, "code_challenge_length"), ==, 43);
  g_assert_cmpint (json_object_get_int_member (request, "state_length"), >=, 22);
  g_assert_cmpstr (json_object_get_string_member (request, "login_hint"), ==, ADDRESS);
  redirect_uri = g_strdup_printf ("http://localhost:%u", redirect_port_of (sign_in));
  g_assert_cmpstr (json_object_get_string_member (request, "redirect_uri"), ==, redirect_uri);

  /* The browser tab was told it worked. */
  report = stamp_test_read_browser_report (report_path);
  g_assert_true (json_object_get_null_member (report, "error"));
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  g_assert_nonnull (strstr (json_object_get_string_member (report, "redirect_body"),
                            "You are signed in"));

  /* The listener is gone. */
  stamp_test_assert_port_closed (redirect_port_of (sign_in));
}

static void
test_browser_deny (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("deny");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_browser (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_DENIED);
  g_assert_null (tokens);
  stamp_test_assert_no_request_details (error->message);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);

  /* The tab says it did not work, and why. */
  report = stamp_test_read_browser_report (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  g_assert_nonnull (strstr (json_object_get_string_member (report, "redirect_body"),
                            "did not finish"));
}

static void
test_browser_tampered_state (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("tamper-state");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;

  /* An answer that is not for this request is never redeemed. */
  tokens = run_browser (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_STATE);
  g_assert_null (tokens);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);

  report = stamp_test_read_browser_report (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  stamp_test_assert_port_closed (redirect_port_of (sign_in));
}

static void
test_browser_replay (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("replay");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second_attempt = NULL;

  tokens = run_browser (sign_in, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  /* The listener took one answer and closed: the same redirect again
   * reaches nothing. */
  report = stamp_test_read_browser_report (report_path);
  g_assert_true (json_object_get_null_member (report, "error"));
  second_attempt = json_to_string (json_object_get_member (report, "second_attempt"), FALSE);
  g_assert_cmpstr (second_attempt, ==, "\"refused\"");
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 1);
}

static void
test_browser_time_limit (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("ignore");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  stamp_oauth_sign_in_set_time_limit (sign_in, 1);
  tokens = run_browser (sign_in, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_null (tokens);
  /* A whole-second timer may fire up to a quarter second early. */
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (elapsed, <=, stamp_test_bound (3));
  stamp_test_assert_port_closed (redirect_port_of (sign_in));
}

static void
test_browser_cancel (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("ignore");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (200, cancel_cb, cancellable);
  tokens = run_browser (sign_in, cancellable, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (tokens);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (1));
  stamp_test_assert_port_closed (redirect_port_of (sign_in));
}

static void
test_browser_unavailable (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *browser = g_strdup (g_getenv ("STAMP_BROWSER"));
  guint notified = 0;

  /* No browser starts: the sign-in says so and still waits, for the
   * address to be opened by hand. */
  g_setenv ("STAMP_BROWSER", "/nonexistent/stamp-test-browser", TRUE);
  g_signal_connect (sign_in, "notify::browser-error", G_CALLBACK (count_notify_cb), &notified);
  stamp_oauth_sign_in_browser_async (sign_in, cancellable, stamp_test_result_cb, &result);
  g_setenv ("STAMP_BROWSER", browser, TRUE);

  while (notified == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (stamp_oauth_sign_in_get_browser_error (sign_in));
  g_assert_nonnull (stamp_oauth_sign_in_get_authorize_uri (sign_in));
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  tokens = stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_browser_one_at_a_time (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("ignore");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  stamp_oauth_sign_in_browser_async (sign_in, cancellable, stamp_test_result_cb, &first);
  stamp_oauth_sign_in_device_async (sign_in, NULL, stamp_test_result_cb, &second);
  tokens = stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&second), &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* The running one is untouched by the refused one. */
  g_assert_null (first);
  g_cancellable_cancel (cancellable);
  tokens = stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&first), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);
}

static void
test_browser_reused_code (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) first = new_sign_in (idp, "microsoft365");
  g_autoptr(StampOAuthSignIn) second = new_sign_in (idp, "microsoft365");
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampOAuthTokens) no_tokens = NULL;
  g_autoptr(GHashTable) first_answer = NULL;
  g_autoptr(GHashTable) second_request = NULL;
  g_auto(StampTestHttpAnswer) page = { 0 };
  g_autofree char *query = NULL;
  g_autofree char *replayed = NULL;
  g_autofree char *browser = g_strdup (g_getenv ("STAMP_BROWSER"));
  g_autofree char *escaped_code = NULL;
  g_autofree char *escaped_state = NULL;
  g_autoptr(GError) error = NULL;

  /* This test is the browser. */
  g_setenv ("STAMP_BROWSER", "/bin/true", TRUE);

  stamp_oauth_sign_in_browser_async (first, NULL, stamp_test_result_cb, &first_result);
  query = stamp_test_idp_approve (idp, stamp_oauth_sign_in_get_authorize_uri (first));
  stamp_test_http_finish (deliver_redirect (redirect_port_of (first), query), &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  tokens = stamp_oauth_sign_in_finish (first, stamp_test_wait_result (&first_result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  stamp_test_http_answer_clear (&page);

  /* The first code, sent back to the second sign-in with its own state so
   * that it passes the state check: the provider refuses it. */
  stamp_oauth_sign_in_browser_async (second, NULL, stamp_test_result_cb, &second_result);
  g_setenv ("STAMP_BROWSER", browser, TRUE);

  first_answer = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  second_request = stamp_test_query_of (stamp_oauth_sign_in_get_authorize_uri (second));
  g_assert_nonnull (g_hash_table_lookup (first_answer, "code"));
  escaped_code = g_uri_escape_string (g_hash_table_lookup (first_answer, "code"), NULL, FALSE);
  escaped_state = g_uri_escape_string (g_hash_table_lookup (second_request, "state"), NULL, FALSE);
  replayed = g_strdup_printf ("code=%s&state=%s", escaped_code, escaped_state);

  stamp_test_http_finish (deliver_redirect (redirect_port_of (second), replayed), &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  no_tokens = stamp_oauth_sign_in_finish (second, stamp_test_wait_result (&second_result), &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (no_tokens);
  g_assert_nonnull (strstr (error->message, "already used"));
  stamp_test_assert_no_request_details (error->message);

  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "authorization_code"), ==, 2);
}

/* Device code sign-in */

typedef struct
{
  StampTestIdp *idp;
  GAsyncResult **result;
  char          *user_code;
  char          *verification_uri;
  gboolean       result_before_code;
  gboolean       decline;
  GCancellable  *cancel;
} DeviceWatch;

static void
device_watch_clear (DeviceWatch *watch)
{
  g_clear_pointer (&watch->user_code, g_free);
  g_clear_pointer (&watch->verification_uri, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeviceWatch, device_watch_clear)

static void
user_code_cb (StampOAuthSignIn *sign_in,
              GParamSpec       *pspec,
              DeviceWatch      *watch)
{
  g_assert_null (watch->user_code);
  watch->user_code = g_strdup (stamp_oauth_sign_in_get_user_code (sign_in));
  watch->result_before_code = *watch->result != NULL;

  if (watch->decline)
    stamp_test_idp_control (watch->idp, "{\"decline_device\": true}");
  if (watch->cancel != NULL)
    g_timeout_add (300, cancel_cb, watch->cancel);
}

static void
verification_uri_cb (StampOAuthSignIn *sign_in,
                     GParamSpec       *pspec,
                     DeviceWatch      *watch)
{
  g_assert_null (watch->verification_uri);
  watch->verification_uri = g_strdup (stamp_oauth_sign_in_get_verification_uri (sign_in));
}

static StampOAuthTokens *
run_watched_device (StampOAuthSignIn  *sign_in,
                    DeviceWatch       *watch,
                    GCancellable      *cancellable,
                    GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  watch->result = &result;
  g_signal_connect (sign_in, "notify::user-code", G_CALLBACK (user_code_cb), watch);
  g_signal_connect (sign_in, "notify::verification-uri", G_CALLBACK (verification_uri_cb), watch);

  stamp_oauth_sign_in_device_async (sign_in, cancellable, stamp_test_result_cb, &result);
  return stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), error);
}

static JsonArray *
device_polls (JsonObject *state)
{
  return json_object_get_array_member (state, "device_polls");
}

static void
test_device_flow (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-pending", "2",
                                                      "--device-interval", "1", NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_auto(DeviceWatch) watch = { idp };
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = NULL;
  JsonArray *polls;

  tokens = run_watched_device (sign_in, &watch, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  g_assert_nonnull (strstr (tokens->access_token, ".CANARY-at-"));
  g_assert_true (g_str_has_prefix (tokens->refresh_token, "CANARY-rt-"));

  /* The code was there to show before the sign-in ended. */
  g_assert_nonnull (watch.user_code);
  g_assert_cmpuint (strlen (watch.user_code), ==, 9);
  g_assert_false (watch.result_before_code);
  expected_uri = g_strconcat (stamp_test_idp_get_authority (idp), "/devicelogin", NULL);
  g_assert_cmpstr (watch.verification_uri, ==, expected_uri);
  g_assert_cmpstr (stamp_oauth_sign_in_get_user_code (sign_in), ==, watch.user_code);
  g_assert_cmpuint (stamp_oauth_sign_in_get_code_lifetime (sign_in), ==, 900);

  /* Two "authorization_pending" answers, then the tokens: three polls, none
   * of them too soon (that would have been a slow_down and a fourth). */
  state = stamp_test_idp_get_state (idp);
  g_assert_cmpint (json_object_get_int_member (state, "devicecode"), ==, 1);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "device_code"), ==, 3);
  polls = device_polls (state);
  g_assert_cmpuint (json_array_get_length (polls), ==, 3);
  /* Judged as the IdP does: arrival times jitter with load. */
  for (guint i = 1; i < json_array_get_length (polls); i++)
    g_assert_cmpfloat (json_array_get_double_element (polls, i)
                       - json_array_get_double_element (polls, i - 1), >=, 0.8);
}

static void
test_device_slow_down (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-slow-down",
                                                      "--device-interval", "1",
                                                      "--device-pending", "0", NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *polls;

  /* The first poll is told to slow down; the next comes five seconds
   * later than the interval (RFC 8628 section 3.5), and gets the tokens. */
  tokens = run_device (sign_in, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  state = stamp_test_idp_get_state (idp);
  polls = device_polls (state);
  g_assert_cmpuint (json_array_get_length (polls), ==, 2);
  /* A whole-second timer may fire a quarter second early, but the first
   * poll still waits. */
  g_assert_cmpfloat (json_array_get_double_element (polls, 0), >=, 0.5);
  g_assert_cmpfloat (json_array_get_double_element (polls, 1)
                     - json_array_get_double_element (polls, 0), >=, 5.8);
}

static void
test_device_expired (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-expires", "2",
                                                      "--device-pending", "100", NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  tokens = run_device (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_EXPIRED);
  g_assert_null (tokens);
  g_assert_cmpuint (stamp_oauth_sign_in_get_code_lifetime (sign_in), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (4));
  stamp_test_assert_no_request_details (error->message);
}

static void
test_device_declined (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-pending", "100", NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_auto(DeviceWatch) watch = { idp, NULL, NULL, NULL, FALSE, TRUE, NULL };
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_watched_device (sign_in, &watch, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_DENIED);
  g_assert_null (tokens);
  stamp_test_assert_no_request_details (error->message);
  g_assert_cmpint (stamp_test_idp_count_tokens (idp, "device_code"), >=, 1);
}

static void
test_device_cancel (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-pending", "100",
                                                      "--device-interval", "5", NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(DeviceWatch) watch = { idp, NULL, NULL, NULL, FALSE, FALSE, cancellable };
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Cancelled while waiting for the next poll: nothing is in flight, yet
   * it ends at once rather than at the next poll. */
  tokens = run_watched_device (sign_in, &watch, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (tokens);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (2));
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "device_code"), ==, 0);
}

static void
test_device_unsupported (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "google");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_device (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED);
  g_assert_null (tokens);
  g_assert_nonnull (strstr (error->message, "browser"));
  state = stamp_test_idp_get_state (idp);
  g_assert_cmpint (json_object_get_int_member (state, "devicecode"), ==, 0);
}

/* What the provider's refusals become */

typedef struct
{
  const char *path;
  const char *error;
  gint        code;        /* the AADSTS number; 0 for none */
  guint       status;
  const char *description;
  int         expected;
} ProviderErrorCase;

static const ProviderErrorCase provider_error_cases[] = {
  { "/stamp/oauth/provider-error/consent-65001", "invalid_grant", 65001, 400,
    "The user or administrator has not consented to use the application with ID "
    "'stamp-test-client' named 'Stamp'.", STAMP_ERROR_OAUTH_CONSENT },
  { "/stamp/oauth/provider-error/app-700016", "unauthorized_client", 700016, 400,
    "Application with identifier 'stamp-test-client' was not found in the directory "
    "'Contoso'.", STAMP_ERROR_OAUTH_APP },
  { "/stamp/oauth/provider-error/app-7000218", "invalid_client", 7000218, 401,
    "The request body must contain the following parameter: 'client_assertion' or "
    "'client_secret'.", STAMP_ERROR_OAUTH_APP },
  { "/stamp/oauth/provider-error/policy-53003", "invalid_grant", 53003, 400,
    "Access has been blocked by Conditional Access policies. The access policy does not "
    "allow token issuance.", STAMP_ERROR_OAUTH_POLICY },
  { "/stamp/oauth/provider-error/policy-50076", "invalid_grant", 50076, 400,
    "Due to a configuration change made by your administrator, or because you moved to a "
    "new location, you must use multi-factor authentication to access 'Stamp'.",
    STAMP_ERROR_OAUTH_POLICY },
  { "/stamp/oauth/provider-error/unknown", "temporarily_unavailable", 0, 503,
    "The server is temporarily unavailable.", STAMP_ERROR_OAUTH_FAILED },
};

static char *
fail_next_token_json (const ProviderErrorCase *test)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fail_next_token");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, test->error);
  json_builder_set_member_name (builder, "code");
  if (test->code != 0)
    json_builder_add_int_value (builder, test->code);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, test->status);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, test->description);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
test_provider_error (gconstpointer data)
{
  const ProviderErrorCase *test = data;
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = stamp_test_script_browser ("accept");
  g_autofree char *control = fail_next_token_json (test);
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;

  /* The code exchange gets the provider's error, shaped as Microsoft
   * sends it: the AADSTS number decides, whatever the error name says. */
  stamp_test_idp_control (idp, control);
  tokens = run_browser (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, test->expected);
  g_assert_null (tokens);
  stamp_test_assert_no_request_details (error->message);

  if (test->code != 0)
    {
      g_autofree char *aadsts = g_strdup_printf ("AADSTS%d", test->code);

      /* The code stays in the details, for the IT administrator. */
      g_assert_nonnull (strstr (error->message, aadsts));
    }
  else
    {
      g_assert_nonnull (strstr (error->message, test->error));
    }

  state = stamp_test_idp_get_state (idp);
  g_assert_cmpint (json_object_get_int_member (state, "token_ok"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;

  /* Before any thread exists: the environment is not thread-safe. */
  stamp_test_use_scripted_browser ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Tests never ask real DNS. */
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/oauth/browser/accept", test_browser_accept);
  g_test_add_func ("/stamp/oauth/browser/deny", test_browser_deny);
  g_test_add_func ("/stamp/oauth/browser/tampered-state", test_browser_tampered_state);
  g_test_add_func ("/stamp/oauth/browser/replay", test_browser_replay);
  g_test_add_func ("/stamp/oauth/browser/time-limit", test_browser_time_limit);
  g_test_add_func ("/stamp/oauth/browser/cancel", test_browser_cancel);
  g_test_add_func ("/stamp/oauth/browser/unavailable", test_browser_unavailable);
  g_test_add_func ("/stamp/oauth/browser/one-at-a-time", test_browser_one_at_a_time);
  g_test_add_func ("/stamp/oauth/browser/reused-code", test_browser_reused_code);

  g_test_add_func ("/stamp/oauth/device/flow", test_device_flow);
  g_test_add_func ("/stamp/oauth/device/slow-down", test_device_slow_down);
  g_test_add_func ("/stamp/oauth/device/expired", test_device_expired);
  g_test_add_func ("/stamp/oauth/device/declined", test_device_declined);
  g_test_add_func ("/stamp/oauth/device/cancel", test_device_cancel);
  g_test_add_func ("/stamp/oauth/device/unsupported", test_device_unsupported);

  for (guint i = 0; i < G_N_ELEMENTS (provider_error_cases); i++)
    g_test_add_data_func (provider_error_cases[i].path, &provider_error_cases[i],
                          test_provider_error);

  return g_test_run ();
}

/* test-oauth-graph.c
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

/* Signing in a Graph account at the mock identity provider: consent asked
 * for Graph and SMTP, tokens asked for Graph alone, in the browser and
 * with a device code; a tenant that needs an administrator's consent; a
 * sign-in that lapsed; and the identity provider refusing, as Entra does,
 * a token request that mixes resources. */

#define G_LOG_DOMAIN "test-oauth-graph"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-oauth-sign-in.h"
#include "stamp-test-http.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"

#define ADDRESS      "alice@contoso.example"
#define GRAPH_SCOPE  "https://graph.microsoft.com/Mail.Send offline_access"
#define SMTP_SCOPE   "https://outlook.office.com/SMTP.Send offline_access"
#define CONSENT      "https://graph.microsoft.com/Mail.Send offline_access " \
                     "https://outlook.office.com/SMTP.Send"

static StampAccount *
new_graph_account (StampTestIdp *idp)
{
  StampAccount *account = stamp_test_idp_new_account (idp, ADDRESS, "microsoft365");

  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  return account;
}

static StampOAuthSignIn *
new_sign_in (StampAccount *account)
{
  g_autoptr(StampOAuthConfig) config = stamp_test_new_oauth_config (account);

  return stamp_oauth_sign_in_new (config);
}

static StampOAuthTokens *
run_browser (StampOAuthSignIn  *sign_in,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_oauth_sign_in_browser_async (sign_in, NULL, stamp_test_result_cb, &result);
  return stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), error);
}

static StampOAuthTokens *
run_device (StampOAuthSignIn  *sign_in,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_oauth_sign_in_device_async (sign_in, NULL, stamp_test_result_cb, &result);
  return stamp_oauth_sign_in_finish (sign_in, stamp_test_wait_result (&result), error);
}

static const char *
event_scope (GPtrArray *events,
             guint      i)
{
  return json_object_get_string_member (g_ptr_array_index (events, i), "scope");
}

/* The granted scope names the one resource the token is for. */
static void
test_graph_browser (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampAccount) account = new_graph_account (idp);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (account);
  g_autofree char *report_path = stamp_test_script_browser ("accept");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GPtrArray) authorize = NULL;
  g_autoptr(GPtrArray) token_events = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_browser (sign_in, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->scope, ==, "https://graph.microsoft.com/Mail.Send");

  authorize = stamp_test_idp_get_events (idp, "authorize");
  g_assert_cmpuint (authorize->len, ==, 1);
  g_assert_cmpstr (event_scope (authorize, 0), ==, CONSENT);
  token_events = stamp_test_idp_get_events (idp, "token");
  g_assert_cmpuint (token_events->len, ==, 1);
  g_assert_cmpstr (event_scope (token_events, 0), ==, GRAPH_SCOPE);
}

static void
test_graph_device (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--device-pending", "1",
                                                      "--device-interval", "1", NULL);
  g_autoptr(StampAccount) account = new_graph_account (idp);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (account);
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GPtrArray) devicecode = NULL;
  g_autoptr(GPtrArray) polls = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_device (sign_in, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->scope, ==, "https://graph.microsoft.com/Mail.Send");

  /* The device code request is the consent; every poll asks for Graph. */
  devicecode = stamp_test_idp_get_events (idp, "devicecode");
  g_assert_cmpuint (devicecode->len, ==, 1);
  g_assert_cmpstr (event_scope (devicecode, 0), ==, CONSENT);
  polls = stamp_test_idp_get_events (idp, "token");
  g_assert_cmpuint (polls->len, ==, 2);
  for (guint i = 0; i < polls->len; i++)
    g_assert_cmpstr (event_scope (polls, i), ==, GRAPH_SCOPE);
}

/* The tenant lets only administrators consent: the error says so, without
 * Microsoft's request details, and the admin consent link is at hand. */
static void
test_graph_admin_consent_required (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--admin-consent-required", NULL);
  g_autoptr(StampAccount) account = new_graph_account (idp);
  g_autoptr(StampOAuthSignIn) browser = new_sign_in (account);
  g_autoptr(StampOAuthSignIn) device = new_sign_in (account);
  g_autoptr(StampOAuthConfig) config = stamp_test_new_oauth_config (account);
  g_autofree char *report_path = stamp_test_script_browser ("accept");
  g_autofree char *expected = NULL;
  g_autofree char *url = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_browser (browser, &error);
  g_assert_null (tokens);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "AADSTS65001"));
  stamp_test_assert_no_request_details (error->message);
  g_clear_error (&error);

  tokens = run_device (device, &error);
  g_assert_null (tokens);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT);
  stamp_test_assert_no_request_details (error->message);
  g_clear_error (&error);

  url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_assert_no_error (error);
  expected = g_strconcat (stamp_test_idp_get_authority (idp), "/organizations/v2.0/adminconsent?",
                          NULL);
  g_assert_true (g_str_has_prefix (url, expected));

  /* Once the administrator has consented, the sign-in works. */
  stamp_test_idp_control (idp, "{\"admin_consent_required\": false}");
  g_clear_object (&browser);
  browser = new_sign_in (account);
  g_free (stamp_test_script_browser ("accept"));
  tokens = run_browser (browser, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
}

/* A refresh token unused for 90 days: sign in again. */
static void
test_graph_refresh_lapsed (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(StampCredentials) credentials = stamp_credentials_new (store);
  g_autoptr(StampAccount) account = new_graph_account (idp);
  g_autoptr(StampOAuthTokens) tokens = stamp_test_idp_sign_in (idp, account);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  g_assert_true (stamp_credentials_save_tokens_finish (credentials,
                                                       stamp_test_wait_result (&result), &error));
  g_clear_object (&result);

  stamp_test_idp_control (idp, "{\"refresh_lapsed\": true}");
  stamp_credentials_get_token_async (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, TRUE, NULL,
                                     stamp_test_result_cb, &result);
  token = stamp_credentials_get_token_finish (credentials, stamp_test_wait_result (&result), NULL,
                                              &error);
  g_assert_null (token);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_nonnull (strstr (error->message, "AADSTS700082"));
  g_assert_null (strstr (error->message, "CANARY"));
  stamp_test_assert_no_request_details (error->message);

  stamp_secret_store_clear_async (store, ADDRESS, NULL, stamp_test_result_cb, &cleared);
  g_assert_true (stamp_secret_store_clear_finish (store, stamp_test_wait_result (&cleared), NULL));
}

/* The mock refuses what Entra refuses: two resources in one token request
 * (AADSTS70011), and a scope the sign-in did not consent to
 * (AADSTS65001, consent_required). */
static void
test_graph_idp_one_resource (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = stamp_test_idp_sign_in (idp, account);
  g_autofree char *url = g_strconcat (stamp_test_idp_get_authority (idp),
                                      "/organizations/oauth2/v2.0/token", NULL);
  g_autofree char *escaped = g_uri_escape_string (tokens->refresh_token, NULL, FALSE);
  g_autofree char *mixed = NULL;
  g_autofree char *graph = NULL;
  g_auto(StampTestHttpAnswer) answer = { 0 };

  mixed = g_strdup_printf ("grant_type=refresh_token&client_id=%s&refresh_token=%s&scope=%s",
                           STAMP_TEST_IDP_CLIENT_ID, escaped,
                           "https%3A%2F%2Fgraph.microsoft.com%2FMail.Send%20"
                           "https%3A%2F%2Foutlook.office.com%2FSMTP.Send");
  stamp_test_http_request ("POST", url, mixed, &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  g_assert_nonnull (strstr (answer.body, "invalid_scope"));
  g_assert_nonnull (strstr (answer.body, "AADSTS70011"));
  stamp_test_http_answer_clear (&answer);

  /* This sign-in consented to SMTP only. */
  graph = g_strdup_printf ("grant_type=refresh_token&client_id=%s&refresh_token=%s&scope=%s",
                           STAMP_TEST_IDP_CLIENT_ID, escaped,
                           "https%3A%2F%2Fgraph.microsoft.com%2FMail.Send%20offline_access");
  stamp_test_http_request ("POST", url, graph, &answer);
  g_assert_cmpuint (answer.status, ==, 400);
  g_assert_nonnull (strstr (answer.body, "invalid_grant"));
  g_assert_nonnull (strstr (answer.body, "AADSTS65001"));
  g_assert_nonnull (strstr (answer.body, "consent_required"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;

  /* Before any thread exists: the environment is not thread-safe. */
  stamp_test_use_scripted_browser ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  resolver = stamp_test_resolver_install ();
  stamp_test_wait_for_keyring ();

  g_test_add_func ("/stamp/oauth/graph/browser", test_graph_browser);
  g_test_add_func ("/stamp/oauth/graph/device", test_graph_device);
  g_test_add_func ("/stamp/oauth/graph/admin-consent-required", test_graph_admin_consent_required);
  g_test_add_func ("/stamp/oauth/graph/refresh-lapsed", test_graph_refresh_lapsed);
  g_test_add_func ("/stamp/oauth/graph/idp-one-resource", test_graph_idp_one_resource);

  return g_test_run ();
}

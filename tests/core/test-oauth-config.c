/* test-oauth-config.c
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

/* The OAuth 2.0 settings an account resolves to: the provider's endpoints
 * under the account's tenant and authority, which authorities are refused,
 * the authorization request a browser is sent with, and what an account
 * without a usable app registration or provider gets. No network. */

#define G_LOG_DOMAIN "test-oauth-config"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-oauth-config.h"
#include "stamp-test-http.h"
#include "stamp-test-idp.h"

#define ADDRESS   "alice@contoso.example"
#define M365_SCOPE "https://outlook.office.com/SMTP.Send"

static StampAccount *
new_account (const char *provider_id,
             const char *client_id,
             const char *authority)
{
  return stamp_test_new_oauth_account (ADDRESS, provider_id, client_id, authority);
}

static void
test_config_tenant (void)
{
  g_autoptr(StampAccount) account = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) outlook = new_account ("outlook", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) google = new_account ("google", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  const char * const bad_tenants[] = { "../common", "contoso.example/x", "a b", ".hidden", "" };

  /* Work or school accounts of any tenant by default. */
  config = stamp_test_new_oauth_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://login.microsoftonline.com/organizations/oauth2/v2.0/token");
  g_assert_cmpstr (stamp_oauth_config_get_device_url (config), ==,
                   "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode");
  g_assert_cmpstr (stamp_oauth_config_get_provider_name (config), ==, "Microsoft 365");
  g_assert_cmpstr (stamp_oauth_config_get_registration (config), ==, "microsoft");
  g_assert_cmpstr (stamp_oauth_config_get_client_id (config), ==, STAMP_TEST_IDP_CLIENT_ID);
  g_assert_cmpstr (stamp_oauth_config_get_login_hint (config), ==, ADDRESS);
  g_assert_null (stamp_oauth_config_get_client_secret (config));
  g_clear_object (&config);

  /* The account's own tenant wins. */
  stamp_account_set_oauth_tenant (account, "contoso.example");
  config = stamp_test_new_oauth_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token");
  g_assert_cmpstr (stamp_oauth_config_get_device_url (config), ==,
                   "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/devicecode");
  g_clear_object (&config);

  /* Personal accounts. */
  config = stamp_test_new_oauth_config (outlook);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://login.microsoftonline.com/consumers/oauth2/v2.0/authorize");
  g_clear_object (&config);

  /* Google has no tenant and no device code sign-in for mail. */
  config = stamp_test_new_oauth_config (google);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://accounts.google.com/o/oauth2/v2/auth");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://oauth2.googleapis.com/token");
  g_assert_null (stamp_oauth_config_get_device_url (config));
  g_clear_object (&config);

  /* A tenant goes into the path: nothing that could change the path. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_tenants); i++)
    {
      stamp_account_set_oauth_tenant (account, bad_tenants[i]);
      config = stamp_oauth_config_new_for_account (account, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_null (config);
      g_clear_error (&error);
    }
}

static void
test_config_authority (void)
{
  g_autoptr(StampAccount) account = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID,
                                                 "http://127.0.0.1:8080");
  g_autoptr(StampAccount) google = new_account ("google", STAMP_TEST_IDP_CLIENT_ID,
                                                "https://idp.example.test:8443/base/");
  g_autoptr(StampOAuthConfig) config = NULL;

  /* Scheme, host and port are the authority's; the path is the provider's. */
  config = stamp_test_new_oauth_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/authorize");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/token");
  g_assert_cmpstr (stamp_oauth_config_get_device_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/devicecode");
  g_clear_object (&config);

  /* An authority's own path goes in front of the provider's. */
  config = stamp_test_new_oauth_config (google);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://idp.example.test:8443/base/o/oauth2/v2/auth");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://idp.example.test:8443/base/token");
  g_clear_object (&config);

  stamp_account_set_oauth_authority (account, "http://[::1]:9000");
  config = stamp_test_new_oauth_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "http://[::1]:9000/organizations/oauth2/v2.0/token");
  g_clear_object (&config);

  stamp_account_set_oauth_authority (account, "http://localhost:9000");
  config = stamp_test_new_oauth_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "http://localhost:9000/organizations/oauth2/v2.0/token");
}

static void
test_config_authority_refused (void)
{
  g_autoptr(StampAccount) account = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID, NULL);
  const char * const refused[] = {
    "http://idp.example.test",
    "http://10.0.0.1:8080",
    "http://127.0.0.1.example.test",
    "ftp://127.0.0.1",
    "not an address",
  };

  /* Plain http would give tokens to anyone on the path; only this
   * computer may be reached that way. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(StampOAuthConfig) config = NULL;
      g_autoptr(GError) error = NULL;

      stamp_account_set_oauth_authority (account, refused[i]);
      g_assert_false (stamp_account_validate (account, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_clear_error (&error);

      config = stamp_oauth_config_new_for_account (account, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_null (config);
    }
}

static void
assert_param (GHashTable *params,
              const char *name,
              const char *expected)
{
  g_assert_cmpstr (g_hash_table_lookup (params, name), ==, expected);
}

static void
test_config_authorize_uri (void)
{
  g_autoptr(StampAccount) account = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) google = new_account ("google", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *uri = NULL;
  g_auto(GStrv) scopes = NULL;

  config = stamp_test_new_oauth_config (account);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "STATE-x1",
                                                "CHALLENGE-x1");
  g_assert_true (g_str_has_prefix (uri, "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?"));

  params = stamp_test_query_of (uri);
  assert_param (params, "client_id", STAMP_TEST_IDP_CLIENT_ID);
  assert_param (params, "response_type", "code");
  assert_param (params, "redirect_uri", "http://localhost:4321");
  assert_param (params, "state", "STATE-x1");
  assert_param (params, "code_challenge", "CHALLENGE-x1");
  assert_param (params, "code_challenge_method", "S256");
  assert_param (params, "login_hint", ADDRESS);
  /* Google's extras are Google's alone. */
  assert_param (params, "access_type", NULL);
  assert_param (params, "prompt", NULL);

  scopes = g_strsplit (g_hash_table_lookup (params, "scope"), " ", -1);
  g_assert_true (g_strv_contains ((const char * const *) scopes, M365_SCOPE));
  g_assert_true (g_strv_contains ((const char * const *) scopes, "offline_access"));
  g_clear_pointer (&params, g_hash_table_unref);
  g_clear_pointer (&uri, g_free);
  g_clear_object (&config);

  /* A refresh token from Google needs access_type=offline, and a new one
   * at every sign-in needs prompt=consent. */
  config = stamp_test_new_oauth_config (google);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "S", "C");
  params = stamp_test_query_of (uri);
  assert_param (params, "access_type", "offline");
  assert_param (params, "prompt", "consent");
  assert_param (params, "scope", "https://mail.google.com/");
  assert_param (params, "code_challenge_method", "S256");
}

static void
test_config_escaping (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("alice+news@contoso.example");
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *uri = NULL;

  stamp_account_set_host (account, "localhost");
  stamp_account_set_provider_id (account, "microsoft365");
  stamp_account_set_oauth_client_id (account, STAMP_TEST_IDP_CLIENT_ID);

  /* A "+" left bare would come back as a space. */
  config = stamp_test_new_oauth_config (account);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "a&b=c", "C");
  g_assert_null (strchr (uri, '+'));
  params = stamp_test_query_of (uri);
  assert_param (params, "login_hint", "alice+news@contoso.example");
  assert_param (params, "state", "a&b=c");
}

/* An account found in a national cloud signs in at that cloud's authority,
 * with a registration made there. */
static void
test_config_clouds (void)
{
  static const struct
  {
    const char *provider_id;
    const char *authorize_url;
    const char *registration;
  } clouds[] = {
    { "microsoft365-usgov",
      "https://login.microsoftonline.us/organizations/oauth2/v2.0/authorize", "microsoft-usgov" },
    { "microsoft365-china",
      "https://login.partner.microsoftonline.cn/organizations/oauth2/v2.0/authorize",
      "microsoft-china" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
    {
      g_autoptr(StampAccount) account = new_account (clouds[i].provider_id,
                                                     STAMP_TEST_IDP_CLIENT_ID, NULL);
      g_autoptr(StampOAuthConfig) config = stamp_test_new_oauth_config (account);

      g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                       clouds[i].authorize_url);
      g_assert_cmpstr (stamp_oauth_config_get_registration (config), ==,
                       clouds[i].registration);
    }
}

static void
test_config_no_client (void)
{
  g_autoptr(StampAccount) usgov = new_account ("microsoft365-usgov", NULL, NULL);
  g_autoptr(StampAccount) china = new_account ("microsoft365-china", NULL, NULL);
  g_autoptr(StampAccount) m365 = new_account ("microsoft365", "", NULL);
  g_autoptr(StampAccount) google = new_account ("google", NULL, NULL);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* No build carries an app registered in the US Government cloud; the
   * message says how to register one. */
  config = stamp_oauth_config_new_for_account (usgov, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT);
  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "http://localhost"));
  g_assert_nonnull (strstr (error->message, "SMTP.Send"));
  g_assert_nonnull (strstr (error->message, "portal.azure.us"));
  g_clear_error (&error);

  config = stamp_oauth_config_new_for_account (china, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT);
  g_assert_nonnull (strstr (error->message, "portal.azure.cn"));
  g_clear_error (&error);

  /* This build was configured without app registrations of its own. */
  if (*STAMP_MICROSOFT_CLIENT_ID == '\0')
    {
      config = stamp_oauth_config_new_for_account (m365, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT);
      g_assert_nonnull (strstr (error->message, "http://localhost"));
      g_assert_nonnull (strstr (error->message, "SMTP.Send"));
      g_assert_nonnull (strstr (error->message, "entra.microsoft.com"));
      g_clear_error (&error);
    }

  if (*STAMP_GOOGLE_CLIENT_ID == '\0')
    {
      config = stamp_oauth_config_new_for_account (google, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT);
      g_assert_nonnull (strstr (error->message, "Desktop app"));
      g_clear_error (&error);
    }
}

static void
test_config_unsupported (void)
{
  g_autoptr(StampAccount) no_oauth = new_account ("fastmail", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) unknown = new_account ("no-such-provider", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) none = new_account (NULL, STAMP_TEST_IDP_CLIENT_ID, NULL);
  StampAccount *accounts[] = { no_oauth, unknown, none };

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(StampOAuthConfig) config = NULL;
      g_autoptr(GError) error = NULL;

      config = stamp_oauth_config_new_for_account (accounts[i], &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED);
      g_assert_null (config);
    }
}

#define GRAPH_SCOPE "https://graph.microsoft.com/Mail.Send"

static StampAccount *
new_graph_account (const char *provider_id,
                   const char *authority)
{
  StampAccount *account = new_account (provider_id, STAMP_TEST_IDP_CLIENT_ID, authority);

  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  return account;
}

/* The authorize request asks consent for what the account may use; each
 * token request asks for one resource's scopes, never two (Entra refuses
 * that with AADSTS70011). */
static void
test_config_graph_scopes (void)
{
  g_autoptr(StampAccount) smtp = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) graph = new_graph_account ("microsoft365", NULL);
  g_autoptr(StampAccount) usgov = new_graph_account ("microsoft365-usgov", NULL);
  g_autoptr(StampAccount) google = new_account ("google", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) google_graph = new_graph_account ("google", NULL);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *uri = NULL;

  /* SMTP: the SMTP scope everywhere, as before. */
  config = stamp_test_new_oauth_config (smtp);
  g_assert_cmpint (stamp_oauth_config_get_resource (config), ==, STAMP_TOKEN_RESOURCE_SMTP);
  g_assert_cmpint (stamp_account_get_token_resource (smtp), ==, STAMP_TOKEN_RESOURCE_SMTP);
  scope = stamp_oauth_config_dup_scope (config);
  g_assert_cmpstr (scope, ==, M365_SCOPE " offline_access");
  g_clear_pointer (&scope, g_free);
  scope = stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_SMTP);
  g_assert_cmpstr (scope, ==, M365_SCOPE " offline_access");
  g_clear_pointer (&scope, g_free);
  /* The provider has Graph, so a Graph token can be had with the same
   * refresh token if the sign-in consented to it. */
  scope = stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_GRAPH);
  g_assert_cmpstr (scope, ==, GRAPH_SCOPE " offline_access");
  g_clear_pointer (&scope, g_free);
  g_clear_object (&config);

  /* Graph: consent to Graph and SMTP, offline_access once; the tokens are
   * Graph's. */
  config = stamp_test_new_oauth_config (graph);
  g_assert_cmpint (stamp_oauth_config_get_resource (config), ==, STAMP_TOKEN_RESOURCE_GRAPH);
  g_assert_cmpint (stamp_account_get_token_resource (graph), ==, STAMP_TOKEN_RESOURCE_GRAPH);
  scope = stamp_oauth_config_dup_scope (config);
  g_assert_cmpstr (scope, ==, GRAPH_SCOPE " offline_access " M365_SCOPE);
  g_clear_pointer (&scope, g_free);
  scope = stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_GRAPH);
  g_assert_cmpstr (scope, ==, GRAPH_SCOPE " offline_access");
  g_clear_pointer (&scope, g_free);
  scope = stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_SMTP);
  g_assert_cmpstr (scope, ==, M365_SCOPE " offline_access");
  g_clear_pointer (&scope, g_free);

  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "S", "C");
  params = stamp_test_query_of (uri);
  assert_param (params, "scope", GRAPH_SCOPE " offline_access " M365_SCOPE);
  g_clear_object (&config);

  /* A national cloud's Graph has its own resource. */
  config = stamp_test_new_oauth_config (usgov);
  scope = stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_GRAPH);
  g_assert_cmpstr (scope, ==, "https://graph.microsoft.us/Mail.Send offline_access");
  g_clear_pointer (&scope, g_free);
  g_clear_object (&config);

  /* Google has no Graph. */
  config = stamp_test_new_oauth_config (google);
  g_assert_null (stamp_oauth_config_dup_token_scope (config, STAMP_TOKEN_RESOURCE_GRAPH));
  g_clear_object (&config);
  config = stamp_oauth_config_new_for_account (google_graph, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED);
  g_assert_null (config);
}

static void
test_config_admin_consent (void)
{
  g_autoptr(StampAccount) graph = new_graph_account ("microsoft365", NULL);
  g_autoptr(StampAccount) smtp = new_account ("microsoft365", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampAccount) local = new_graph_account ("microsoft365", "http://127.0.0.1:8080/idp");
  g_autoptr(StampAccount) google = new_account ("google", STAMP_TEST_IDP_CLIENT_ID, NULL);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *request = NULL;

  /* No tenant known: any organization's administrator. */
  config = stamp_test_new_oauth_config (graph);
  url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://login.microsoftonline.com/organizations/v2.0/adminconsent?"));
  params = stamp_test_query_of (url);
  assert_param (params, "client_id", STAMP_TEST_IDP_CLIENT_ID);
  assert_param (params, "scope", GRAPH_SCOPE " offline_access " M365_SCOPE);
  assert_param (params, "redirect_uri", "http://localhost");
  g_clear_pointer (&params, g_hash_table_unref);

  /* The words for the administrator: the app, the permissions, the link
   * and the button. */
  request = stamp_oauth_config_dup_admin_consent_request (config, ADDRESS);
  g_test_message ("%s", request);
  g_assert_nonnull (strstr (request, ADDRESS));
  g_assert_nonnull (strstr (request, STAMP_TEST_IDP_CLIENT_ID));
  g_assert_nonnull (strstr (request, "Mail.Send"));
  g_assert_nonnull (strstr (request, "SMTP.Send"));
  g_assert_nonnull (strstr (request, url));
  g_assert_nonnull (strstr (request, "Accept"));
  g_clear_pointer (&request, g_free);
  g_clear_pointer (&url, g_free);
  g_clear_object (&config);

  /* The account's tenant, and an SMTP account's own scope. */
  stamp_account_set_oauth_tenant (smtp, "contoso.example");
  config = stamp_test_new_oauth_config (smtp);
  url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "https://login.microsoftonline.com/contoso.example/v2.0/adminconsent?"));
  params = stamp_test_query_of (url);
  assert_param (params, "scope", M365_SCOPE " offline_access");
  g_clear_pointer (&params, g_hash_table_unref);
  request = stamp_oauth_config_dup_admin_consent_request (config, ADDRESS);
  g_assert_null (strstr (request, "Mail.Send"));
  g_clear_pointer (&request, g_free);
  g_clear_pointer (&url, g_free);
  g_clear_object (&config);

  /* An authority override moves it, as it moves the sign-in. */
  config = stamp_test_new_oauth_config (local);
  url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:8080/idp/organizations/v2.0/adminconsent?"));
  g_clear_pointer (&url, g_free);
  g_clear_object (&config);

  /* Google has no administrator consent. */
  config = stamp_test_new_oauth_config (google);
  url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED);
  g_assert_null (url);
}

int
main (int   argc,
      char *argv[])
{
  /* Nothing here reaches the network, not even DNS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/oauth/config/tenant", test_config_tenant);
  g_test_add_func ("/stamp/oauth/config/authority", test_config_authority);
  g_test_add_func ("/stamp/oauth/config/authority-refused", test_config_authority_refused);
  g_test_add_func ("/stamp/oauth/config/authorize-uri", test_config_authorize_uri);
  g_test_add_func ("/stamp/oauth/config/escaping", test_config_escaping);
  g_test_add_func ("/stamp/oauth/config/clouds", test_config_clouds);
  g_test_add_func ("/stamp/oauth/config/no-client", test_config_no_client);
  g_test_add_func ("/stamp/oauth/config/unsupported", test_config_unsupported);
  g_test_add_func ("/stamp/oauth/config/graph-scopes", test_config_graph_scopes);
  g_test_add_func ("/stamp/oauth/config/admin-consent", test_config_admin_consent);

  return g_test_run ();
}

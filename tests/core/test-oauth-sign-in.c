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
 * (tests/fixtures/scripted-browser.py) playing the person: the endpoints
 * an account resolves to, the browser flow with PKCE and its loopback
 * listener, the device code flow, and what the provider's refusals become. */

#define G_LOG_DOMAIN "test-oauth-sign-in"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "stamp-error.h"
#include "stamp-oauth-config.h"
#include "stamp-oauth-redirect.h"
#include "stamp-oauth-sign-in.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"

#define ADDRESS   "alice@contoso.example"
#define M365_SCOPE "https://outlook.office.com/SMTP.Send"

/* Helpers */

static StampAccount *
new_account (const char *provider_id,
             const char *client_id,
             const char *authority)
{
  StampAccount *account = stamp_account_new (ADDRESS);

  stamp_account_set_host (account, "localhost");
  stamp_account_set_provider_id (account, provider_id);
  stamp_account_set_oauth_client_id (account, client_id);
  stamp_account_set_oauth_authority (account, authority);

  return account;
}

static StampOAuthConfig *
new_config (StampAccount *account)
{
  g_autoptr(GError) error = NULL;
  StampOAuthConfig *config = stamp_oauth_config_new_for_account (account, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);

  return config;
}

static StampOAuthSignIn *
new_sign_in (StampTestIdp *idp,
             const char   *provider_id)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, provider_id);
  g_autoptr(StampOAuthConfig) config = new_config (account);

  return stamp_oauth_sign_in_new (config);
}

static GHashTable *
query_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GError) error = NULL;
  GHashTable *params;

  g_assert_nonnull (parsed);
  g_assert_nonnull (g_uri_get_query (parsed));
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);

  return params;
}

/* The port of the loopback listener an authorization request sends the
 * browser back to. */
static guint16
redirect_port_of (const char *authorize_uri)
{
  g_autoptr(GHashTable) params = query_of (authorize_uri);
  g_autoptr(GUri) redirect = g_uri_parse (g_hash_table_lookup (params, "redirect_uri"),
                                          G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (redirect);
  g_assert_cmpint (g_uri_get_port (redirect), >, 0);

  return (guint16) g_uri_get_port (redirect);
}

/* Picks what the scripted browser does next and where it reports. */
static char *
use_browser (const char *mode)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("browser-%u.json", ++counter);
  char *report = g_build_filename (stamp_test_work_dir (), name, NULL);

  g_setenv ("STAMP_TEST_BROWSER", mode, TRUE);
  g_setenv ("STAMP_TEST_BROWSER_REPORT", report, TRUE);

  return report;
}

/* The browser writes its report when it is done, which may be a little
 * after Stamp got its answer. */
static JsonObject *
read_report (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
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

static void
assert_refused (GSocketAddress *address)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (connection);
}

static void
assert_port_closed (guint16 port)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", port);

  assert_refused (address);
}

static void
assert_no_request_details (const char *message)
{
  /* Microsoft appends these on further lines: noise to a person. */
  g_assert_null (strstr (message, "Trace ID"));
  g_assert_null (strstr (message, "Correlation ID"));
  g_assert_null (strstr (message, "Timestamp"));
}

/* HTTP as a browser does it, asynchronously, so that a listener in this
 * process can answer. Redirects are not followed. */

typedef struct
{
  SoupSession  *session;
  SoupMessage  *message;
  GAsyncResult *result;
} HttpRequest;

typedef struct
{
  guint  status;
  char  *body;
  char  *content_type;
  char  *location;
  char  *cache_control;
} HttpAnswer;

static void
http_answer_clear (HttpAnswer *answer)
{
  g_clear_pointer (&answer->body, g_free);
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->location, g_free);
  g_clear_pointer (&answer->cache_control, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HttpAnswer, http_answer_clear)

static HttpRequest *
http_request_start (const char *method,
                    const char *url,
                    const char *form)
{
  HttpRequest *request = g_new0 (HttpRequest, 1);

  request->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 10, NULL);
  if (form != NULL)
    request->message = soup_message_new_from_encoded_form (method, url, g_strdup (form));
  else
    request->message = soup_message_new (method, url);
  g_assert_nonnull (request->message);
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_and_read_async (request->session, request->message, G_PRIORITY_DEFAULT,
                                    NULL, stamp_test_result_cb, &request->result);

  return request;
}

static void
http_request_finish (HttpRequest *request,
                     HttpAnswer  *answer)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (request->session,
                                            stamp_test_wait_result (&request->result), &error);
  g_assert_no_error (error);

  answer->status = soup_message_get_status (request->message);
  answer->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  answer->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  answer->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  answer->cache_control = g_strdup (soup_message_headers_get_one (headers, "Cache-Control"));

  g_object_unref (request->result);
  g_object_unref (request->message);
  g_object_unref (request->session);
  g_free (request);
}

static void
http_request (const char *method,
              const char *url,
              const char *form,
              HttpAnswer *answer)
{
  http_request_finish (http_request_start (method, url, form), answer);
}

static char *
find_match (const char *pattern,
            const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_true (g_regex_match (regex, text, G_REGEX_MATCH_DEFAULT, &match));
  return g_match_info_fetch (match, 1);
}

/* Opens @authorize_uri at the identity provider and presses Accept, like a
 * person would; returns the query of the redirect it answers with. */
static char *
approve_at_idp (StampTestIdp *idp,
                const char   *authorize_uri)
{
  g_auto(HttpAnswer) page = { 0 };
  g_auto(HttpAnswer) approved = { 0 };
  g_autofree char *action = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *action_url = NULL;
  g_autofree char *form = NULL;
  const char *query;

  g_assert_true (g_str_has_prefix (authorize_uri, stamp_test_idp_get_authority (idp)));
  http_request (SOUP_METHOD_GET, authorize_uri, NULL, &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);

  action = find_match ("<form\\b[^>]*\\baction=\"([^\"]*)\"", page.body);
  request_id = find_match ("name=\"request\" value=\"([0-9a-f]+)\"", page.body);
  action_url = g_strconcat (stamp_test_idp_get_authority (idp), action, NULL);
  form = g_strdup_printf ("request=%s&decision=accept", request_id);

  http_request (SOUP_METHOD_POST, action_url, form, &approved);
  g_assert_cmpuint (approved.status, ==, SOUP_STATUS_FOUND);
  g_assert_nonnull (approved.location);
  g_assert_true (g_str_has_prefix (approved.location, "http://localhost:"));

  query = strchr (approved.location, '?');
  g_assert_nonnull (query);
  return g_strdup (query + 1);
}

/* Sends the browser back to a listener with @query. */
static HttpRequest *
deliver_redirect (guint16     port,
                  const char *query)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/?%s", port, query);

  return http_request_start (SOUP_METHOD_GET, url, NULL);
}

/* Configuration */

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
  config = new_config (account);
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
  config = new_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/token");
  g_assert_cmpstr (stamp_oauth_config_get_device_url (config), ==,
                   "https://login.microsoftonline.com/contoso.example/oauth2/v2.0/devicecode");
  g_clear_object (&config);

  /* Personal accounts. */
  config = new_config (outlook);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://login.microsoftonline.com/consumers/oauth2/v2.0/authorize");
  g_clear_object (&config);

  /* Google has no tenant and no device code sign-in for mail. */
  config = new_config (google);
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
  config = new_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/authorize");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/token");
  g_assert_cmpstr (stamp_oauth_config_get_device_url (config), ==,
                   "http://127.0.0.1:8080/organizations/oauth2/v2.0/devicecode");
  g_clear_object (&config);

  /* An authority's own path goes in front of the provider's. */
  config = new_config (google);
  g_assert_cmpstr (stamp_oauth_config_get_authorize_url (config), ==,
                   "https://idp.example.test:8443/base/o/oauth2/v2/auth");
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "https://idp.example.test:8443/base/token");
  g_clear_object (&config);

  stamp_account_set_oauth_authority (account, "http://[::1]:9000");
  config = new_config (account);
  g_assert_cmpstr (stamp_oauth_config_get_token_url (config), ==,
                   "http://[::1]:9000/organizations/oauth2/v2.0/token");
  g_clear_object (&config);

  stamp_account_set_oauth_authority (account, "http://localhost:9000");
  config = new_config (account);
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

  config = new_config (account);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "STATE-x1",
                                                "CHALLENGE-x1");
  g_assert_true (g_str_has_prefix (uri, "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?"));

  params = query_of (uri);
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
  config = new_config (google);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "S", "C");
  params = query_of (uri);
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
  config = new_config (account);
  uri = stamp_oauth_config_build_authorize_uri (config, "http://localhost:4321", "a&b=c", "C");
  g_assert_null (strchr (uri, '+'));
  params = query_of (uri);
  assert_param (params, "login_hint", "alice+news@contoso.example");
  assert_param (params, "state", "a&b=c");
}

static void
test_config_no_client (void)
{
  g_autoptr(StampAccount) usgov = new_account ("microsoft365-usgov", NULL, NULL);
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
  g_autofree char *report_path = use_browser ("accept");
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

  g_assert_true (g_str_has_prefix (tokens->access_token, "CANARY-at-"));
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
  redirect_uri = g_strdup_printf ("http://localhost:%u",
                                  redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (sign_in)));
  g_assert_cmpstr (json_object_get_string_member (request, "redirect_uri"), ==, redirect_uri);

  /* The browser tab was told it worked. */
  report = read_report (report_path);
  g_assert_true (json_object_get_null_member (report, "error"));
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  g_assert_nonnull (strstr (json_object_get_string_member (report, "redirect_body"),
                            "You are signed in"));

  /* The listener is gone. */
  assert_port_closed (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (sign_in)));
}

static void
test_browser_deny (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = use_browser ("deny");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;

  tokens = run_browser (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_DENIED);
  g_assert_null (tokens);
  assert_no_request_details (error->message);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);

  /* The tab says it did not work, and why. */
  report = read_report (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  g_assert_nonnull (strstr (json_object_get_string_member (report, "redirect_body"),
                            "did not finish"));
}

static void
test_browser_tampered_state (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = use_browser ("tamper-state");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;

  /* An answer that is not for this request is never redeemed. */
  tokens = run_browser (sign_in, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_STATE);
  g_assert_null (tokens);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);

  report = read_report (report_path);
  g_assert_cmpint (json_object_get_int_member (report, "redirect_status"), ==, 200);
  assert_port_closed (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (sign_in)));
}

static void
test_browser_replay (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = use_browser ("replay");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second_attempt = NULL;

  tokens = run_browser (sign_in, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);

  /* The listener took one answer and closed: the same redirect again
   * reaches nothing. */
  report = read_report (report_path);
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
  g_autofree char *report_path = use_browser ("ignore");
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
  g_assert_cmpint (elapsed, <=, 3 * G_USEC_PER_SEC);
  assert_port_closed (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (sign_in)));
}

static void
test_browser_cancel (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (NULL);
  g_autoptr(StampOAuthSignIn) sign_in = new_sign_in (idp, "microsoft365");
  g_autofree char *report_path = use_browser ("ignore");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (200, cancel_cb, cancellable);
  tokens = run_browser (sign_in, cancellable, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (tokens);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  assert_port_closed (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (sign_in)));
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
  g_autofree char *report_path = use_browser ("ignore");
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
  g_auto(HttpAnswer) page = { 0 };
  g_autofree char *query = NULL;
  g_autofree char *replayed = NULL;
  g_autofree char *browser = g_strdup (g_getenv ("STAMP_BROWSER"));
  g_autofree char *escaped_code = NULL;
  g_autofree char *escaped_state = NULL;
  g_autoptr(GError) error = NULL;

  /* This test is the browser. */
  g_setenv ("STAMP_BROWSER", "/bin/true", TRUE);

  stamp_oauth_sign_in_browser_async (first, NULL, stamp_test_result_cb, &first_result);
  query = approve_at_idp (idp, stamp_oauth_sign_in_get_authorize_uri (first));
  http_request_finish (deliver_redirect (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (first)),
                                         query),
                       &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  tokens = stamp_oauth_sign_in_finish (first, stamp_test_wait_result (&first_result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokens);
  http_answer_clear (&page);

  /* The first code, sent back to the second sign-in with its own state so
   * that it passes the state check: the provider refuses it. */
  stamp_oauth_sign_in_browser_async (second, NULL, stamp_test_result_cb, &second_result);
  g_setenv ("STAMP_BROWSER", browser, TRUE);

  first_answer = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  second_request = query_of (stamp_oauth_sign_in_get_authorize_uri (second));
  g_assert_nonnull (g_hash_table_lookup (first_answer, "code"));
  escaped_code = g_uri_escape_string (g_hash_table_lookup (first_answer, "code"), NULL, FALSE);
  escaped_state = g_uri_escape_string (g_hash_table_lookup (second_request, "state"), NULL, FALSE);
  replayed = g_strdup_printf ("code=%s&state=%s", escaped_code, escaped_state);

  http_request_finish (deliver_redirect (redirect_port_of (stamp_oauth_sign_in_get_authorize_uri (second)),
                                         replayed),
                       &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  no_tokens = stamp_oauth_sign_in_finish (second, stamp_test_wait_result (&second_result), &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (no_tokens);
  g_assert_nonnull (strstr (error->message, "already used"));
  assert_no_request_details (error->message);

  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "authorization_code"), ==, 2);
}

/* The loopback listener */

typedef struct
{
  StampOAuthRedirect *redirect;
  GPtrArray          *addresses;
  GAsyncResult       *result;
} Listener;

static void
listener_clear (Listener *listener)
{
  g_clear_object (&listener->redirect);
  g_clear_pointer (&listener->addresses, g_ptr_array_unref);
  g_clear_object (&listener->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Listener, listener_clear)

static void
listener_start (Listener   *listener,
                const char *state)
{
  g_autoptr(GError) error = NULL;

  listener->redirect = stamp_oauth_redirect_new (&error);
  g_assert_no_error (error);
  listener->addresses = stamp_oauth_redirect_get_addresses (listener->redirect);
  stamp_oauth_redirect_receive_async (listener->redirect, "Contoso", state, NULL,
                                      stamp_test_result_cb, &listener->result);
}

static void
listener_get (Listener   *listener,
              const char *path_and_query,
              HttpAnswer *answer)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          stamp_oauth_redirect_get_port (listener->redirect),
                                          path_and_query);

  http_request (SOUP_METHOD_GET, url, NULL, answer);
}

static char *
listener_finish (Listener  *listener,
                 GError   **error)
{
  return stamp_oauth_redirect_receive_finish (listener->redirect,
                                              stamp_test_wait_result (&listener->result), error);
}

/* Runs what is ready now, so that an answer that was going to come has come. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_redirect_listener (void)
{
  g_auto(Listener) listener = { 0 };
  g_auto(HttpAnswer) favicon = { 0 };
  g_auto(HttpAnswer) post = { 0 };
  g_auto(HttpAnswer) page = { 0 };
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = NULL;
  g_autofree char *post_url = NULL;
  g_autofree char *code = NULL;
  guint16 port;

  listener_start (&listener, "STATE-1");
  port = stamp_oauth_redirect_get_port (listener.redirect);
  g_assert_cmpuint (port, >, 0);
  expected_uri = g_strdup_printf ("http://localhost:%u", port);
  g_assert_cmpstr (stamp_oauth_redirect_get_uri (listener.redirect), ==, expected_uri);

  /* Only this computer can reach it. */
  g_assert_cmpuint (listener.addresses->len, >=, 1);
  for (guint i = 0; i < listener.addresses->len; i++)
    {
      GInetSocketAddress *address = g_ptr_array_index (listener.addresses, i);

      g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
      g_assert_true (g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)));
      g_assert_cmpuint (g_inet_socket_address_get_port (address), ==, port);
    }

  /* What a browser asks for besides the answer does not end it. */
  listener_get (&listener, "/favicon.ico", &favicon);
  g_assert_cmpuint (favicon.status, ==, SOUP_STATUS_NOT_FOUND);
  post_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  http_request (SOUP_METHOD_POST, post_url, "code=POSTED&state=STATE-1", &post);
  g_assert_cmpuint (post.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  drain_main_context ();
  g_assert_null (listener.result);

  listener_get (&listener, "/?code=CODE-1&state=STATE-1&session_state=x", &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (page.content_type, "text/html"));
  g_assert_cmpstr (page.cache_control, ==, "no-store");
  g_assert_true (g_str_has_prefix (page.body, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (page.body, "You are signed in"));
  g_assert_nonnull (strstr (page.body, "You can close this tab"));

  code = listener_finish (&listener, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "CODE-1");

  /* One answer, then it is gone from every address it had. */
  after = stamp_oauth_redirect_get_addresses (listener.redirect);
  g_assert_cmpuint (after->len, ==, 0);
  for (guint i = 0; i < listener.addresses->len; i++)
    assert_refused (g_ptr_array_index (listener.addresses, i));
}

typedef struct
{
  const char *path;
  const char *query;
  int         expected;
} ListenerErrorCase;

static const ListenerErrorCase listener_error_cases[] = {
  { "/stamp/oauth/redirect/denied",
    "/?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent.%0D%0ATrace+ID%3A+1&state=STATE-1",
    STAMP_ERROR_OAUTH_DENIED },
  { "/stamp/oauth/redirect/no-code", "/?state=STATE-1", STAMP_ERROR_OAUTH_FAILED },
  { "/stamp/oauth/redirect/empty-code", "/?code=&state=STATE-1", STAMP_ERROR_OAUTH_FAILED },
  { "/stamp/oauth/redirect/wrong-state", "/?code=CODE-1&state=STATE-2", STAMP_ERROR_OAUTH_STATE },
  { "/stamp/oauth/redirect/no-state", "/?code=CODE-1", STAMP_ERROR_OAUTH_STATE },
  /* A forged error must not pass for the provider's either. */
  { "/stamp/oauth/redirect/error-wrong-state", "/?error=access_denied&state=STATE-2",
    STAMP_ERROR_OAUTH_STATE },
};

static void
test_redirect_error (gconstpointer data)
{
  const ListenerErrorCase *test = data;
  g_auto(Listener) listener = { 0 };
  g_auto(HttpAnswer) page = { 0 };
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  listener_start (&listener, "STATE-1");
  listener_get (&listener, test->query, &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (page.body, "The sign-in did not finish"));

  code = listener_finish (&listener, &error);
  g_assert_error (error, STAMP_ERROR, test->expected);
  g_assert_null (code);
  assert_no_request_details (error->message);
  g_clear_error (&error);

  /* It was the one answer: the listener cannot be used again. */
  for (guint i = 0; i < listener.addresses->len; i++)
    assert_refused (g_ptr_array_index (listener.addresses, i));
  stamp_oauth_redirect_receive_async (listener.redirect, "Contoso", "STATE-1", NULL,
                                      stamp_test_result_cb, &again);
  code = stamp_oauth_redirect_receive_finish (listener.redirect, stamp_test_wait_result (&again),
                                              &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED);
  g_assert_null (code);
}

static void
test_redirect_cancel (void)
{
  g_autoptr(StampOAuthRedirect) redirect = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  redirect = stamp_oauth_redirect_new (&error);
  g_assert_no_error (error);
  addresses = stamp_oauth_redirect_get_addresses (redirect);

  stamp_oauth_redirect_receive_async (redirect, "Contoso", "STATE-1", cancellable,
                                      stamp_test_result_cb, &result);
  g_cancellable_cancel (cancellable);
  code = stamp_oauth_redirect_receive_finish (redirect, stamp_test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (code);

  for (guint i = 0; i < addresses->len; i++)
    assert_refused (g_ptr_array_index (addresses, i));
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
  g_assert_true (g_str_has_prefix (tokens->access_token, "CANARY-at-"));
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
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  assert_no_request_details (error->message);
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
  assert_no_request_details (error->message);
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
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
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
  g_autofree char *report_path = use_browser ("accept");
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
  assert_no_request_details (error->message);

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

  g_test_add_func ("/stamp/oauth/config/tenant", test_config_tenant);
  g_test_add_func ("/stamp/oauth/config/authority", test_config_authority);
  g_test_add_func ("/stamp/oauth/config/authority-refused", test_config_authority_refused);
  g_test_add_func ("/stamp/oauth/config/authorize-uri", test_config_authorize_uri);
  g_test_add_func ("/stamp/oauth/config/escaping", test_config_escaping);
  g_test_add_func ("/stamp/oauth/config/no-client", test_config_no_client);
  g_test_add_func ("/stamp/oauth/config/unsupported", test_config_unsupported);

  g_test_add_func ("/stamp/oauth/browser/accept", test_browser_accept);
  g_test_add_func ("/stamp/oauth/browser/deny", test_browser_deny);
  g_test_add_func ("/stamp/oauth/browser/tampered-state", test_browser_tampered_state);
  g_test_add_func ("/stamp/oauth/browser/replay", test_browser_replay);
  g_test_add_func ("/stamp/oauth/browser/time-limit", test_browser_time_limit);
  g_test_add_func ("/stamp/oauth/browser/cancel", test_browser_cancel);
  g_test_add_func ("/stamp/oauth/browser/unavailable", test_browser_unavailable);
  g_test_add_func ("/stamp/oauth/browser/one-at-a-time", test_browser_one_at_a_time);
  g_test_add_func ("/stamp/oauth/browser/reused-code", test_browser_reused_code);

  g_test_add_func ("/stamp/oauth/redirect/listener", test_redirect_listener);
  for (guint i = 0; i < G_N_ELEMENTS (listener_error_cases); i++)
    g_test_add_data_func (listener_error_cases[i].path, &listener_error_cases[i],
                          test_redirect_error);
  g_test_add_func ("/stamp/oauth/redirect/cancel", test_redirect_cancel);

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

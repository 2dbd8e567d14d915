/* test-account-send-graph.c
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

/* A Graph account's tokens and its test send, against the mock identity
 * provider and the mock Microsoft Graph on loopback: an access token per
 * resource from one refresh token, token requests for one resource only,
 * the consent a refresh lacks, and the send with one refresh after a 401.
 * An SMTP token never reaches Graph. */

#define G_LOG_DOMAIN "test-account-send-graph"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-account-send.h"
#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-test-graph.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"

#define ADDRESS     "alice@contoso.example"
#define RCPT        "bob@example.test"
#define GRAPH_SCOPE "https://graph.microsoft.com/Mail.Send offline_access"
#define SMTP_SCOPE  "https://outlook.office.com/SMTP.Send offline_access"

/* Unique to this run, so that only this run's tokens can match. */
static char *canary;

static StampCredentials *
new_credentials (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();

  return stamp_credentials_new (store);
}

static void
forget (StampCredentials *credentials)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  StampSecretStore *store = stamp_credentials_get_store (credentials);

  stamp_secret_store_clear_async (store, ADDRESS, NULL, stamp_test_result_cb, &result);
  stamp_secret_store_clear_finish (store, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

static char *
stored (StampCredentials *credentials,
        StampSecretKind   kind)
{
  return stamp_test_lookup_secret (stamp_credentials_get_store (credentials), ADDRESS, kind,
                                   NULL);
}

/* An account of @method signed in at @idp in the browser, its tokens in
 * the keyring. */
static StampAccount *
sign_in (StampTestIdp     *idp,
         StampCredentials *credentials,
         StampSendMethod   method)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (account, method);
  tokens = stamp_test_idp_sign_in (idp, account);

  stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  g_assert_true (stamp_credentials_save_tokens_finish (credentials,
                                                       stamp_test_wait_result (&result), &error));
  g_assert_no_error (error);

  return g_steal_pointer (&account);
}

static char *
get_token (StampCredentials    *credentials,
           StampAccount        *account,
           StampTokenResource   resource,
           gboolean             force_refresh,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_credentials_get_token_async (credentials, account, resource, force_refresh, NULL,
                                     stamp_test_result_cb, &result);
  return stamp_credentials_get_token_finish (credentials, stamp_test_wait_result (&result),
                                             NULL, error);
}

/* The claims of an access token from the mock identity provider. */
static JsonObject *
token_claims (const char *token)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GString) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *json = NULL;
  gsize length;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  payload = g_string_new (parts[1]);
  g_string_replace (payload, "-", "+", 0);
  g_string_replace (payload, "_", "/", 0);
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');

  json = g_base64_decode (payload->str, &length);
  g_assert_true (json_parser_load_from_data (parser, (const char *) json, length, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_audience (const char *token,
                 const char *audience,
                 const char *scope)
{
  g_autoptr(JsonObject) claims = token_claims (token);

  g_assert_cmpstr (json_object_get_string_member (claims, "aud"), ==, audience);
  g_assert_cmpstr (json_object_get_string_member (claims, "scp"), ==, scope);
}

/* The scope of each token request the identity provider got, in order. */
static GPtrArray *
token_scopes (StampTestIdp *idp)
{
  g_autoptr(GPtrArray) events = stamp_test_idp_get_events (idp, "token");
  GPtrArray *scopes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (scopes,
                     g_strdup (json_object_get_string_member (g_ptr_array_index (events, i),
                                                              "scope")));
  return scopes;
}

/* A Graph account's sign-in consents to both resources; its tokens are
 * Graph's, and an SMTP token comes from the same refresh token, asked for
 * alone, and kept apart. */
static void
test_tokens_per_resource (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary,
                                                      "--rotate-invalidates", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(GPtrArray) authorize = stamp_test_idp_get_events (idp, "authorize");
  g_autoptr(GPtrArray) scopes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *graph = stored (credentials, STAMP_SECRET_GRAPH_ACCESS_TOKEN);
  g_autofree char *first_refresh = stored (credentials, STAMP_SECRET_REFRESH_TOKEN);
  g_autofree char *none = stored (credentials, STAMP_SECRET_ACCESS_TOKEN);
  g_autofree char *again = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *forced = NULL;

  /* Consent to Graph and SMTP at once; the code redeemed for Graph alone. */
  g_assert_cmpuint (authorize->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (authorize, 0), "scope"), ==,
                   "https://graph.microsoft.com/Mail.Send offline_access "
                   "https://outlook.office.com/SMTP.Send");
  scopes = token_scopes (idp);
  g_assert_cmpuint (scopes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (scopes, 0), ==, GRAPH_SCOPE);
  g_clear_pointer (&scopes, g_ptr_array_unref);

  /* Stored under Graph, not under SMTP. */
  g_assert_nonnull (graph);
  g_assert_null (none);
  assert_audience (graph, "https://graph.microsoft.com", "Mail.Send");

  again = get_token (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, graph);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 0);

  /* SMTP's token: a refresh for the SMTP scope alone; the rotated refresh
   * token is kept; the Graph token stays as it was. */
  smtp = get_token (credentials, account, STAMP_TOKEN_RESOURCE_SMTP, FALSE, &error);
  g_assert_no_error (error);
  assert_audience (smtp, "https://outlook.office.com", "SMTP.Send");
  scopes = token_scopes (idp);
  g_assert_cmpuint (scopes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (scopes, 1), ==, SMTP_SCOPE);
  g_clear_pointer (&scopes, g_ptr_array_unref);
  rotated = stored (credentials, STAMP_SECRET_REFRESH_TOKEN);
  g_assert_cmpstr (rotated, !=, first_refresh);
  g_clear_pointer (&none, g_free);
  none = stored (credentials, STAMP_SECRET_ACCESS_TOKEN);
  g_assert_cmpstr (none, ==, smtp);
  g_clear_pointer (&again, g_free);
  again = get_token (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, FALSE, &error);
  g_assert_cmpstr (again, ==, graph);

  /* A forced Graph refresh asks Graph's scope alone, with the rotated
   * refresh token (the first one was revoked when it was used). */
  forced = get_token (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, TRUE, &error);
  g_assert_no_error (error);
  assert_audience (forced, "https://graph.microsoft.com", "Mail.Send");
  g_assert_cmpstr (forced, !=, graph);
  scopes = token_scopes (idp);
  g_assert_cmpuint (scopes->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (scopes, 2), ==, GRAPH_SCOPE);

  /* Clearing the account clears both access tokens. */
  forget (credentials);
  g_clear_pointer (&graph, g_free);
  g_clear_pointer (&none, g_free);
  graph = stored (credentials, STAMP_SECRET_GRAPH_ACCESS_TOKEN);
  none = stored (credentials, STAMP_SECRET_ACCESS_TOKEN);
  g_assert_null (graph);
  g_assert_null (none);
}

/* Two resources asked at once, with a provider that revokes a refresh
 * token on use: the refreshes take turns, so both work. */
static void
test_tokens_take_turns (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary,
                                                      "--rotate-invalidates", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(GAsyncResult) smtp_result = NULL;
  g_autoptr(GAsyncResult) graph_result = NULL;
  g_autoptr(GError) smtp_error = NULL;
  g_autoptr(GError) graph_error = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *graph = NULL;

  stamp_credentials_get_token_async (credentials, account, STAMP_TOKEN_RESOURCE_SMTP, TRUE, NULL,
                                     stamp_test_result_cb, &smtp_result);
  stamp_credentials_get_token_async (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, TRUE, NULL,
                                     stamp_test_result_cb, &graph_result);
  smtp = stamp_credentials_get_token_finish (credentials, stamp_test_wait_result (&smtp_result),
                                             NULL, &smtp_error);
  graph = stamp_credentials_get_token_finish (credentials, stamp_test_wait_result (&graph_result),
                                              NULL, &graph_error);
  g_assert_no_error (smtp_error);
  g_assert_no_error (graph_error);
  assert_audience (smtp, "https://outlook.office.com", "SMTP.Send");
  assert_audience (graph, "https://graph.microsoft.com", "Mail.Send");
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 2);

  forget (credentials);
}

/* A sign-in that consented to SMTP only cannot be refreshed for Graph:
 * the consent error, without a token or request details in its words. */
static void
test_tokens_consent_missing (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_SMTP);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  token = get_token (credentials, account, STAMP_TOKEN_RESOURCE_GRAPH, FALSE, &error);
  g_assert_null (token);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, canary));
  stamp_test_assert_no_request_details (error->message);

  forget (credentials);
}

static void
count_cb (StampAccountSend *send,
          gpointer          user_data)
{
  (*(guint *) user_data)++;
}

static void
result_changed_cb (StampAccountSend *send,
                   GParamSpec       *pspec,
                   gpointer          user_data)
{
  g_assert_nonnull (stamp_account_send_get_result (send));
  (*(guint *) user_data)++;
}

/* One test send of @account through @graph. */
static StampSmtpResult *
graph_send (StampCredentials  *credentials,
            StampAccount      *account,
            StampTestGraph    *graph,
            const char        *token,
            guint             *retries,
            guint             *results,
            GError           **error)
{
  g_autoptr(StampAccountSend) send = stamp_account_send_new (account, credentials);
  g_autoptr(GAsyncResult) result = NULL;
  StampSmtpResult *sent;

  *retries = 0;
  *results = 0;
  g_signal_connect (send, "retrying", G_CALLBACK (count_cb), retries);
  g_signal_connect (send, "notify::result", G_CALLBACK (result_changed_cb), results);
  stamp_account_send_set_graph_url (send, stamp_test_graph_get_url (graph));
  if (token != NULL)
    stamp_account_send_set_secret (send, token, TRUE);

  stamp_account_send_run_async (send, NULL, RCPT, NULL, NULL, stamp_test_result_cb, &result);
  sent = stamp_account_send_run_finish (send, stamp_test_wait_result (&result), error);
  g_assert_true (sent == NULL || sent == stamp_account_send_get_result (send));
  return sent;
}

/* Every request Graph got carried a Graph token. */
static guint
assert_only_graph_tokens (StampTestGraph *graph)
{
  g_autoptr(GPtrArray) requests = stamp_test_graph_get_events (graph, "request");

  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (requests, i), "aud"), ==,
                     "https://graph.microsoft.com");
  return requests->len;
}

static void
test_send_graph (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampTestGraph) graph = stamp_test_graph_startv (NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *transcript = NULL;
  guint retries, results;

  /* An SMTP token in the keyring too: it must not be the one sent. */
  smtp = get_token (credentials, account, STAMP_TOKEN_RESOURCE_SMTP, FALSE, &error);
  g_assert_no_error (error);

  sent = graph_send (credentials, account, graph, NULL, &retries, &results, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  g_assert_null (stamp_smtp_result_get_error (sent));
  g_assert_cmpuint (retries, ==, 0);
  g_assert_cmpuint (results, ==, 1);
  g_assert_cmpuint (assert_only_graph_tokens (graph), ==, 1);

  messages = stamp_test_graph_get_messages (graph);
  g_assert_cmpuint (messages->len, ==, 1);
  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (sent));
  g_assert_null (strstr (transcript, canary));

  forget (credentials);
}

/* 401 InvalidAuthenticationToken on a stored token: one forced refresh,
 * for Graph's scope, and one more try. */
static void
test_send_graph_refresh_once (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--expire-first", "1", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GPtrArray) scopes = NULL;
  g_autoptr(GError) error = NULL;
  guint retries, results;

  sent = graph_send (credentials, account, graph, NULL, &retries, &results, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  g_assert_cmpuint (retries, ==, 1);
  g_assert_cmpuint (results, ==, 2);
  g_assert_cmpuint (assert_only_graph_tokens (graph), ==, 2);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);
  scopes = token_scopes (idp);
  g_assert_cmpstr (g_ptr_array_index (scopes, scopes->len - 1), ==, GRAPH_SCOPE);

  forget (credentials);
}

/* Refused twice: Graph's 401 stays the error, which the diagnosis turns
 * into "sign in again"; no third try. */
static void
test_send_graph_refused_twice (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampTestGraph) graph = stamp_test_graph_start ("--expire-first", "2", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  guint retries, results;

  sent = graph_send (credentials, account, graph, NULL, &retries, &results, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED);
  g_assert_nonnull (strstr (error->message, "InvalidAuthenticationToken"));
  g_assert_null (strstr (error->message, canary));
  g_assert_nonnull (sent);
  g_assert_nonnull (stamp_smtp_result_get_error (sent));
  g_assert_cmpuint (retries, ==, 1);
  g_assert_cmpuint (assert_only_graph_tokens (graph), ==, 2);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);

  forget (credentials);
}

/* A sign-in without Graph's consent sends nothing to Graph; a token
 * given by hand is used once, never refreshed; a password is refused. */
static void
test_send_graph_without_token (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampTestGraph) graph = stamp_test_graph_startv (NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_SMTP);
  g_autoptr(StampAccountSend) send = NULL;
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *smtp = stored (credentials, STAMP_SECRET_ACCESS_TOKEN);
  guint retries, results;

  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  sent = graph_send (credentials, account, graph, NULL, &retries, &results, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT);
  g_assert_null (sent);
  g_assert_cmpuint (assert_only_graph_tokens (graph), ==, 0);
  g_clear_error (&error);

  /* The person's own token is used as given, never refreshed; an SMTP
   * one does not even leave (the Graph client reads its audience). */
  sent = graph_send (credentials, account, graph, smtp, &retries, &results, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (strstr (error->message, canary));
  g_assert_cmpuint (retries, ==, 0);
  g_assert_cmpuint (assert_only_graph_tokens (graph), ==, 0);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);
  g_clear_error (&error);
  g_clear_object (&sent);

  send = stamp_account_send_new (account, credentials);
  stamp_account_send_set_graph_url (send, stamp_test_graph_get_url (graph));
  stamp_account_send_set_secret (send, canary, FALSE);
  stamp_account_send_run_async (send, NULL, RCPT, NULL, NULL, stamp_test_result_cb, &result);
  sent = stamp_account_send_run_finish (send, stamp_test_wait_result (&result), &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_null (sent);

  forget (credentials);
}

/* The relay asks here for the secret of the account it delivers for. */
static void
test_lookup_secret_resource (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, STAMP_SEND_METHOD_GRAPH);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean is_token = FALSE;

  stamp_account_lookup_secret_async (account, credentials, NULL, FALSE, NULL,
                                     stamp_test_result_cb, &result);
  secret = stamp_account_lookup_secret_finish (account, stamp_test_wait_result (&result),
                                               &is_token, &error);
  g_assert_no_error (error);
  g_assert_true (is_token);
  assert_audience (secret, "https://graph.microsoft.com", "Mail.Send");

  forget (credentials);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;
  int status;

  /* Before any thread exists: the environment is not thread-safe. */
  stamp_test_use_scripted_browser ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  resolver = stamp_test_resolver_install ();
  stamp_test_wait_for_keyring ();
  canary = g_strdup_printf ("CANARY_%08x", g_random_int ());

  g_test_add_func ("/stamp/account-send/graph/tokens/per-resource", test_tokens_per_resource);
  g_test_add_func ("/stamp/account-send/graph/tokens/take-turns", test_tokens_take_turns);
  g_test_add_func ("/stamp/account-send/graph/tokens/consent-missing",
                   test_tokens_consent_missing);
  g_test_add_func ("/stamp/account-send/graph/send/accepted", test_send_graph);
  g_test_add_func ("/stamp/account-send/graph/send/refresh-once", test_send_graph_refresh_once);
  g_test_add_func ("/stamp/account-send/graph/send/refused-twice", test_send_graph_refused_twice);
  g_test_add_func ("/stamp/account-send/graph/send/without-token", test_send_graph_without_token);
  g_test_add_func ("/stamp/account-send/graph/lookup-secret", test_lookup_secret_resource);

  status = g_test_run ();
  g_free (canary);

  return status;
}

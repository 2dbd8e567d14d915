/* test-credentials.c
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

/* Access tokens for sending: kept in a real gnome-keyring (a private one,
 * tests/fixtures/with-keyring.sh) and refreshed at a mock identity
 * provider on loopback (tests/fixtures/oauth-idp.py) when they are about
 * to expire, up to a message sent with XOAUTH2 to tests/fixtures/smtp-server.py. */

#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-account-send.h"
#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-smtp-client.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"

#define ADDRESS "alice@contoso.example"
#define RCPT    "bob@example.test"

/* Unique to this run, so that only this run's tokens can match. */
static char *canary;

static StampTestIdp *
start_idp (const char *arg,
           const char *value)
{
  const char *args[] = { "--canary", canary, arg, value, NULL };

  return stamp_test_idp_startv (args);
}

static void
save_tokens (StampCredentials       *credentials,
             StampAccount           *account,
             const StampOAuthTokens *tokens)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  ok = stamp_credentials_save_tokens_finish (credentials, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* An account signed in at @idp in the browser, its tokens in the keyring. */
static StampAccount *
sign_in (StampTestIdp      *idp,
         StampCredentials  *credentials,
         StampOAuthTokens **tokens_out)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, "microsoft365");
  g_autoptr(StampOAuthTokens) tokens = stamp_test_idp_sign_in (idp, account);

  save_tokens (credentials, account, tokens);
  if (tokens_out != NULL)
    *tokens_out = g_steal_pointer (&tokens);

  return g_steal_pointer (&account);
}

static char *
get_access_token (StampCredentials  *credentials,
                  StampAccount      *account,
                  gboolean           force_refresh,
                  gint64            *expires_at,
                  GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stamp_credentials_get_access_token_async (credentials, account, force_refresh, NULL,
                                            stamp_test_result_cb, &result);
  return stamp_credentials_get_access_token_finish (credentials, stamp_test_wait_result (&result),
                                                    expires_at, error);
}

static char *
stored (StampCredentials *credentials,
        StampSecretKind   kind,
        gint64           *expires_at)
{
  return stamp_test_lookup_secret (stamp_credentials_get_store (credentials), ADDRESS, kind,
                                   expires_at);
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

/* Tokens only ever live in the keyring, encrypted. */
static void
assert_no_token_on_disk (void)
{
  const char *keyring_dir = g_getenv ("STAMP_TEST_KEYRING_DIR");

  g_assert_nonnull (keyring_dir);
  stamp_test_assert_user_dirs_lack (canary);
  g_assert_cmpuint (stamp_test_assert_tree_lacks (keyring_dir, canary), >, 0);
}

static StampCredentials *
new_credentials (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  StampCredentials *credentials = stamp_credentials_new (store);

  g_assert_true (stamp_credentials_get_store (credentials) == store);
  return credentials;
}

static void
test_fresh_token (void)
{
  g_autoptr(StampTestIdp) idp = start_idp (NULL, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampAccount) account = sign_in (idp, credentials, &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *refresh_token = NULL;
  gint64 expires_at = 0;

  g_assert_true (stamp_secret_store_is_persistent (stamp_credentials_get_store (credentials)));
  refresh_token = stored (credentials, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_cmpstr (refresh_token, ==, tokens->refresh_token);

  /* An hour left: the stored token, without asking the provider. */
  token = get_access_token (credentials, account, FALSE, &expires_at, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, tokens->access_token);
  g_assert_cmpint (expires_at, ==, tokens->expires_at);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 1);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 0);

  assert_no_token_on_disk ();
  forget (credentials);
}

static void
test_refresh_near_expiry (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary,
                                                      "--access-token-lifetime", "120",
                                                      "--rotate-invalidates", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampAccount) account = sign_in (idp, credentials, &tokens);
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *stored_token = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *prefix = NULL;
  gint64 expires_at = 0;
  gint64 stored_expiry = 0;
  gint64 now;

  /* Two minutes left is within the five-minute margin: refreshed first. */
  first = get_access_token (credentials, account, FALSE, &expires_at, &error);
  now = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, tokens->access_token);
  /* An unsigned JWT; the canary and serial stand in for the signature. */
  prefix = g_strconcat (".", canary, "-at-2-", NULL);
  g_assert_nonnull (strstr (first, prefix));
  g_assert_cmpint (expires_at, >=, now - 5 + 120);
  g_assert_cmpint (expires_at, <=, now + 120);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);

  /* The new token and its expiry are what the keyring holds now, and so is
   * the rotated refresh token. */
  stored_token = stored (credentials, STAMP_SECRET_ACCESS_TOKEN, &stored_expiry);
  g_assert_cmpstr (stored_token, ==, first);
  g_assert_cmpint (stored_expiry, ==, expires_at);
  rotated = stored (credentials, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_clear_pointer (&prefix, g_free);
  prefix = g_strconcat (canary, "-rt-2-", NULL);
  g_assert_true (g_str_has_prefix (rotated, prefix));
  g_clear_pointer (&rotated, g_free);

  /* The provider took back the first refresh token when it rotated, so a
   * second refresh works only with the newest one. */
  second = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 2);
  rotated = stored (credentials, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_clear_pointer (&prefix, g_free);
  prefix = g_strconcat (canary, "-rt-3-", NULL);
  g_assert_true (g_str_has_prefix (rotated, prefix));

  state = stamp_test_idp_get_state (idp);
  g_assert_cmpint (json_object_get_int_member (state, "refresh_tokens_valid"), ==, 1);

  assert_no_token_on_disk ();
  forget (credentials);
}

static void
test_force_refresh (void)
{
  g_autoptr(StampTestIdp) idp = start_idp (NULL, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampAccount) account = sign_in (idp, credentials, &tokens);
  g_autoptr(GError) error = NULL;
  g_autofree char *refreshed = NULL;
  g_autofree char *again = NULL;
  g_autofree char *stored_token = NULL;

  /* The server refused a token that looks fresh: get a new one anyway. */
  refreshed = get_access_token (credentials, account, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (refreshed, !=, tokens->access_token);
  g_assert_nonnull (strstr (refreshed, canary));
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);

  stored_token = stored (credentials, STAMP_SECRET_ACCESS_TOKEN, NULL);
  g_assert_cmpstr (stored_token, ==, refreshed);

  /* And that one is used from then on. */
  again = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, refreshed);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);

  assert_no_token_on_disk ();
  forget (credentials);
}

/* Asks @first and @second for @account's token at the same time; both
 * must get one. */
static void
get_two_tokens (StampCredentials  *first,
                StampCredentials  *second,
                StampAccount      *account,
                gboolean           force_refresh,
                char             **first_token,
                char             **second_token)
{
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) second_error = NULL;

  stamp_credentials_get_access_token_async (first, account, force_refresh, NULL,
                                            stamp_test_result_cb, &first_result);
  stamp_credentials_get_access_token_async (second, account, force_refresh, NULL,
                                            stamp_test_result_cb, &second_result);
  *first_token = stamp_credentials_get_access_token_finish (first,
                                                            stamp_test_wait_result (&first_result),
                                                            NULL, &first_error);
  *second_token = stamp_credentials_get_access_token_finish (second,
                                                             stamp_test_wait_result (&second_result),
                                                             NULL, &second_error);

  g_assert_no_error (first_error);
  g_assert_no_error (second_error);
}

/* Two callers at once, with a provider that revokes a refresh token on
 * use: one refresh runs, and both get its token. */
static void
test_concurrent_refresh (void)
{
  g_autoptr(StampTestIdp) idp = start_idp ("--rotate-invalidates", NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampAccount) account = sign_in (idp, credentials, &tokens);
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;

  get_two_tokens (credentials, credentials, account, TRUE, &first_token, &second_token);
  g_assert_cmpstr (first_token, ==, second_token);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);

  assert_no_token_on_disk ();
  forget (credentials);
}

/* Two processes at once (two credentials objects, each with its own
 * bookkeeping, stand for them), with a provider that revokes a refresh
 * token on use and tokens too short-lived to reuse: the account's lock
 * file makes the second wait and refresh with the rotated token. */
static void
test_concurrent_processes (void)
{
  g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", canary,
                                                      "--access-token-lifetime", "120",
                                                      "--rotate-invalidates", NULL);
  g_autoptr(StampCredentials) app = new_credentials ();
  g_autoptr(StampCredentials) helper = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, app, NULL);
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *stored_token = NULL;

  get_two_tokens (app, helper, account, FALSE, &first_token, &second_token);
  g_assert_cmpstr (first_token, !=, second_token);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 2);

  /* The keyring holds the later of the two, and it still works. */
  stored_token = stored (app, STAMP_SECRET_ACCESS_TOKEN, NULL);
  g_assert_true (g_strcmp0 (stored_token, first_token) == 0 || g_strcmp0 (stored_token, second_token) == 0);
  forget (app);
}

static void
test_revoked (void)
{
  g_autoptr(StampTestIdp) idp = start_idp ("--access-token-lifetime", "120");
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* After a password change, say: the refresh token is no good. */
  stamp_test_idp_control (idp, "{\"revoke_refresh_tokens\": true}");

  token = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (token);
  g_assert_nonnull (strstr (error->message, "Sign in again"));
  g_assert_null (strstr (error->message, "Trace ID"));
  g_clear_error (&error);

  token = get_access_token (credentials, account, TRUE, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (token);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 2);

  assert_no_token_on_disk ();
  forget (credentials);
}

static void
test_not_signed_in (void)
{
  g_autoptr(StampTestIdp) idp = start_idp (NULL, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, ADDRESS, "microsoft365");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expired = g_strconcat (canary, "-at-expired", NULL);
  gint64 an_hour_ago = g_get_real_time () / G_USEC_PER_SEC - 3600;

  token = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (token);
  g_assert_nonnull (strstr (error->message, ADDRESS));
  g_clear_error (&error);

  token = get_access_token (credentials, account, TRUE, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_clear_error (&error);

  /* An expired access token alone cannot be renewed. */
  stamp_secret_store_store_async (stamp_credentials_get_store (credentials), ADDRESS,
                                  STAMP_SECRET_ACCESS_TOKEN, expired, an_hour_ago, NULL,
                                  stamp_test_result_cb, &result);
  stamp_secret_store_store_finish (stamp_credentials_get_store (credentials),
                                   stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);

  token = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED);
  g_assert_null (token);

  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, NULL), ==, 0);
  forget (credentials);
}

static void
count_retry_cb (guint *retries)
{
  (*retries)++;
}

static void
test_send_mail (void)
{
  g_autoptr(StampTestIdp) idp = start_idp (NULL, NULL);
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", ADDRESS,
                             "--token-file", stamp_test_idp_get_token_file (idp), NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, NULL);
  g_autoptr(StampSmtpSettings) settings = NULL;
  g_autoptr(StampSmtpClient) client = NULL;
  g_autoptr(StampMessage) message = NULL;
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *transcript = NULL;
  JsonObject *auth;

  token = get_access_token (credentials, account, FALSE, NULL, &error);
  g_assert_no_error (error);

  settings = stamp_smtp_settings_new ("localhost", stamp_test_server_get_port (server),
                                      STAMP_SECURITY_STARTTLS);
  stamp_smtp_settings_set_ca_file (settings, ca);
  stamp_smtp_settings_set_reply_timeout (settings, 10);
  stamp_smtp_settings_set_connect_timeout (settings, 10);
  stamp_smtp_settings_set_username (settings, ADDRESS);
  g_assert_cmpint (stamp_smtp_settings_get_auth_mechanism (settings), ==, STAMP_AUTH_AUTO);
  client = stamp_smtp_client_new (settings);
  stamp_smtp_client_set_oauth_token (client, token);

  message = stamp_message_new (ADDRESS, RCPT, "Stamp OAuth test", "Hello.\n");
  stamp_smtp_client_send_async (client, message, NULL, stamp_test_result_cb, &result);
  sent = stamp_smtp_client_send_finish (client, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (stamp_smtp_result_get_reply (sent)), ==, 250);

  /* The server took the token the identity provider issued. */
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (sent), ==, STAMP_AUTH_XOAUTH2);
  auths = stamp_test_server_get_events (server, "auth");
  g_assert_cmpuint (auths->len, ==, 1);
  auth = g_ptr_array_index (auths, 0);
  g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==, "XOAUTH2");
  g_assert_true (json_object_get_boolean_member (auth, "success"));
  g_assert_cmpstr (json_object_get_string_member (auth, "user"), ==, ADDRESS);
  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);

  /* The transcript a person may copy into a bug report has no token. */
  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (sent));
  g_assert_null (strstr (transcript, canary));

  assert_no_token_on_disk ();
  forget (credentials);
}

/* An account's test send with the secret from the keyring, as the app and
 * stamp-cli run it; @given, when set, is a token the person gave. */
static StampSmtpResult *
account_send (StampCredentials    *credentials,
              StampAccount        *account,
              StampAuthMechanism   mechanism,
              StampTestServer     *server,
              const char          *given,
              guint               *retries,
              GError             **error)
{
  g_autoptr(StampAccountSend) send = NULL;
  g_autoptr(StampSmtpSettings) settings = NULL;
  g_autoptr(StampSmtpSettings) local = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");

  stamp_account_set_auth_mechanism (account, mechanism);
  send = stamp_account_send_new (account, credentials);

  /* The account's own settings, pointed at the loopback server. */
  settings = stamp_account_dup_smtp_settings (account);
  local = stamp_smtp_settings_new ("localhost", stamp_test_server_get_port (server),
                                   stamp_smtp_settings_get_security (settings));
  stamp_smtp_settings_set_auth_mechanism (local, stamp_smtp_settings_get_auth_mechanism (settings));
  stamp_smtp_settings_set_username (local, ADDRESS);
  stamp_smtp_settings_set_ca_file (local, ca);
  stamp_smtp_settings_set_reply_timeout (local, 10);
  stamp_account_send_set_settings (send, local);
  if (given != NULL)
    stamp_account_send_set_secret (send, given, TRUE);
  g_signal_connect_swapped (send, "retrying", G_CALLBACK (count_retry_cb), retries);

  stamp_account_send_run_async (send, NULL, RCPT, NULL, NULL, stamp_test_result_cb, &result);
  return stamp_account_send_run_finish (send, stamp_test_wait_result (&result), error);
}

static guint
count_auth (StampTestServer *server,
            gboolean         success)
{
  g_autoptr(GPtrArray) auths = stamp_test_server_get_events (server, "auth");
  guint n = 0;

  for (guint i = 0; i < auths->len; i++)
    n += json_object_get_boolean_member (g_ptr_array_index (auths, i), "success") == success;

  return n;
}

typedef struct
{
  const char *path;
  gboolean    invalidate;   /* the server no longer takes the stored token */
  const char *given;        /* a token the person gave */
  int         error_code;   /* -1 when the message is accepted */
  guint       retries;
  guint       refreshes;
  guint       auth_failed;
  guint       auth_ok;
} TokenSendCase;

static const TokenSendCase token_send_cases[] = {
  /* A token goes with whichever token mechanism the server offers. */
  { "/stamp/credentials/account-send/stored-token", FALSE, NULL, -1, 0, 0, 0, 1 },
  /* A refused stored token: one forced refresh, one more try. */
  { "/stamp/credentials/account-send/refused-token", TRUE, NULL, -1, 1, 1, 1, 1 },
  /* A given token is the person's: neither refreshed nor tried again. */
  { "/stamp/credentials/account-send/given-token", FALSE, "canary-not-a-real-token",
    STAMP_ERROR_AUTH_FAILED, 0, 0, 1, 0 },
};

static void
test_account_send_token (gconstpointer data)
{
  const TokenSendCase *test = data;
  g_autoptr(StampTestIdp) idp = start_idp (NULL, NULL);
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", ADDRESS,
                             "--token-file", stamp_test_idp_get_token_file (idp), NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = sign_in (idp, credentials, NULL);
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  guint retries = 0;

  if (test->invalidate)
    stamp_test_idp_control (idp, "{\"invalidate_access_tokens\": true}");

  sent = account_send (credentials, account, STAMP_AUTH_XOAUTH2, server, test->given, &retries,
                       &error);

  /* A failed send still has its result, which tells where it failed. */
  g_assert_nonnull (sent);
  if (test->error_code < 0)
    {
      g_assert_no_error (error);
      g_assert_cmpint (stamp_smtp_reply_get_code (stamp_smtp_result_get_reply (sent)), ==, 250);
      g_assert_null (stamp_smtp_result_get_failed_step (sent));
      g_assert_cmpint (stamp_smtp_result_get_used_mechanism (sent), ==, STAMP_AUTH_XOAUTH2);
      g_assert_cmpint (stamp_smtp_settings_get_auth_mechanism (
                         stamp_smtp_result_get_settings (sent)), ==, STAMP_AUTH_AUTO);
    }
  else
    {
      g_assert_error (error, STAMP_ERROR, test->error_code);
      g_assert_null (stamp_smtp_result_get_reply (sent));
      g_assert_nonnull (stamp_smtp_result_get_error (sent));
      g_assert_cmpint (stamp_smtp_step_get_kind (stamp_smtp_result_get_failed_step (sent)), ==,
                       STAMP_SMTP_STEP_AUTH);
    }

  g_assert_cmpuint (retries, ==, test->retries);
  g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, test->refreshes);
  g_assert_cmpuint (count_auth (server, FALSE), ==, test->auth_failed);
  g_assert_cmpuint (count_auth (server, TRUE), ==, test->auth_ok);

  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (sent));
  g_assert_null (strstr (transcript, canary));

  forget (credentials);
}

static void
store_password (StampCredentials *credentials,
                const char       *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_secret_store_store_async (stamp_credentials_get_store (credentials), ADDRESS,
                                  STAMP_SECRET_PASSWORD, password, 0, NULL,
                                  stamp_test_result_cb, &result);
  g_assert_true (stamp_secret_store_store_finish (stamp_credentials_get_store (credentials),
                                                  stamp_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* A password account: the password comes from the keyring, and a refusal
 * is final. */
static void
test_account_send_password (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", ADDRESS, "--password", canary, NULL);
  g_autoptr(StampCredentials) credentials = new_credentials ();
  g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(StampSmtpResult) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *transcript = NULL;
  guint retries = 0;

  store_password (credentials, canary);
  sent = account_send (credentials, account, STAMP_AUTH_PLAIN, server, NULL, &retries, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (sent), ==, STAMP_AUTH_PLAIN);
  transcript = stamp_transcript_format (stamp_smtp_result_get_transcript (sent));
  g_assert_null (strstr (transcript, canary));

  store_password (credentials, "not-the-password");
  refused = account_send (credentials, account, STAMP_AUTH_LOGIN, server, NULL, &retries,
                          &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED);
  g_assert_nonnull (refused);
  g_assert_cmpint (stamp_smtp_result_get_used_mechanism (refused), ==, STAMP_AUTH_LOGIN);
  g_assert_cmpuint (retries, ==, 0);
  g_assert_cmpuint (count_auth (server, TRUE), ==, 1);
  g_assert_cmpuint (count_auth (server, FALSE), ==, 1);

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

  /* Tests never ask real DNS: "localhost" is the only name there is. */
  resolver = stamp_test_resolver_install ();
  stamp_test_wait_for_keyring ();
  canary = g_strdup_printf ("CANARY_%08x", g_random_int ());

  g_test_add_func ("/stamp/credentials/fresh-token", test_fresh_token);
  g_test_add_func ("/stamp/credentials/refresh-near-expiry", test_refresh_near_expiry);
  g_test_add_func ("/stamp/credentials/force-refresh", test_force_refresh);
  g_test_add_func ("/stamp/credentials/concurrent-refresh", test_concurrent_refresh);
  g_test_add_func ("/stamp/credentials/concurrent-processes", test_concurrent_processes);
  g_test_add_func ("/stamp/credentials/revoked", test_revoked);
  g_test_add_func ("/stamp/credentials/not-signed-in", test_not_signed_in);
  g_test_add_func ("/stamp/credentials/send-mail", test_send_mail);
  for (guint i = 0; i < G_N_ELEMENTS (token_send_cases); i++)
    g_test_add_data_func (token_send_cases[i].path, &token_send_cases[i], test_account_send_token);
  g_test_add_func ("/stamp/credentials/account-send/password", test_account_send_password);

  status = g_test_run ();
  g_free (canary);

  return status;
}

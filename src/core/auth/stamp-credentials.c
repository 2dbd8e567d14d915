/* stamp-credentials.c
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


#define G_LOG_DOMAIN "stamp-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-oauth-private.h"
#include "stamp-sign-in-health.h"
#include "stamp-util.h"

/**
 * StampCredentials:
 *
 * Gives an account's current access token: the stored one while it has
 * more than %STAMP_OAUTH_REFRESH_MARGIN seconds left, otherwise a new one
 * from the refresh token. A provider that rotates refresh tokens gets the
 * new one stored before anything else happens, so a crash cannot lose it.
 *
 * Refreshes of one account never overlap: with a provider that revokes a
 * refresh token when it is used, a second refresh with the same token
 * would fail. Callers that ask while one runs wait for its result; another
 * process (the app, and `stamp-cli token` run by msmtp) waits on a lock
 * file for the account and then finds the token the first one stored.
 */

/* How long a refresh may wait for another process's. Its own network
 * requests have deadlines well inside this. */
#define REFRESH_LOCK_TIMEOUT_SECONDS 60

struct _StampCredentials
{
  GObject           parent_instance;

  StampSecretStore *store;
  SoupSession      *session;
  GHashTable       *refreshing;   /* address → GPtrArray of waiting GTasks */
};

G_DEFINE_FINAL_TYPE (StampCredentials, stamp_credentials, G_TYPE_OBJECT)

static void
stamp_credentials_dispose (GObject *object)
{
  StampCredentials *self = (StampCredentials *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->refreshing, g_hash_table_unref);

  G_OBJECT_CLASS (stamp_credentials_parent_class)->dispose (object);
}

static void
stamp_credentials_class_init (StampCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = stamp_credentials_dispose;
}

static void
stamp_credentials_init (StampCredentials *self)
{
  self->session = _stamp_oauth_session_new ();
  self->refreshing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
}

/**
 * stamp_credentials_new:
 * @store: where the secrets live
 *
 * Returns: (transfer full): a new #StampCredentials
 */
StampCredentials *
stamp_credentials_new (StampSecretStore *store)
{
  StampCredentials *self;

  g_return_val_if_fail (STAMP_IS_SECRET_STORE (store), NULL);

  self = g_object_new (STAMP_TYPE_CREDENTIALS, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * stamp_credentials_get_store:
 * @self: a #StampCredentials
 *
 * Returns: (transfer none): the secret store
 */
StampSecretStore *
stamp_credentials_get_store (StampCredentials *self)
{
  g_return_val_if_fail (STAMP_IS_CREDENTIALS (self), NULL);

  return self->store;
}

/* One operation's state: the account, the tokens on their way to the
 * keyring, and what the caller gets back. */
typedef struct
{
  StampAccount      *account;
  StampOAuthConfig  *config;
  StampOAuthTokens  *tokens;
  char              *refresh_token;
  gboolean           leader;        /* runs the account's refresh */
  gboolean           forced;        /* the stored access token was refused */
  int                lock_fd;       /* the account's refresh lock, or -1 */
  StampTokenResource resource;      /* what the access token is for */
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_clear_object (&op->account);
  g_clear_object (&op->config);
  g_clear_pointer (&op->tokens, stamp_oauth_tokens_free);
  stamp_secret_free (op->refresh_token);
  stamp_file_lock_release (op->lock_fd);
  g_free (op);
}

static GTask *
operation_new (StampCredentials    *self,
               StampAccount        *account,
               StampTokenResource   resource,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);

  g_task_set_source_tag (task, source_tag);
  op->account = g_object_ref (account);
  op->resource = resource;
  op->lock_fd = -1;
  g_task_set_task_data (task, op, operation_free);

  return task;
}

static void look_up_refresh_token (GTask *task);

/* Each resource's access token is kept apart: a token for SMTP is never
 * handed out for Graph. */
static StampSecretKind
access_token_kind (StampTokenResource resource)
{
  return resource == STAMP_TOKEN_RESOURCE_GRAPH ? STAMP_SECRET_GRAPH_ACCESS_TOKEN
                                                : STAMP_SECRET_ACCESS_TOKEN;
}

/* The account's refresh is over: those who waited for it get its tokens or
 * its error. A cancelled refresh was someone else's choice, so the waiters
 * start again. */
static void
finish_refresh (GTask        *task,
                const GError *error)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) waiters = NULL;
  g_autofree char *address = NULL;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (!op->leader)
    return;

  op->leader = FALSE;
  stamp_file_lock_release (op->lock_fd);
  op->lock_fd = -1;
  g_hash_table_steal_extended (self->refreshing, stamp_account_get_address (op->account),
                               (gpointer *) &address, (gpointer *) &waiters);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);
      Operation *waiter_op = g_task_get_task_data (waiter);

      /* A refresh for the other resource brought a token the waiter cannot
       * use: it starts its own, now that the refresh token is free. */
      if (cancelled || waiter_op->resource != op->resource)
        {
          look_up_refresh_token (waiter);
          continue;
        }

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        {
          waiter_op->tokens = stamp_oauth_tokens_copy (op->tokens);
          g_task_return_boolean (waiter, TRUE);
        }
      g_object_unref (waiter);
    }
}

/* Ends @task, which holds the operation's one reference, with @error. */
static void
fail (GTask  *task,
      GError *error)
{
  finish_refresh (task, error);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Saving: the refresh token first, then the access token. */

static void
access_token_stored_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error))
    {
      finish_refresh (task, NULL);
      g_task_return_boolean (task, TRUE);
    }
  else
    {
      finish_refresh (task, error);
      g_task_return_error (task, error);
    }
}

static void
store_access_token (GTask *task)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);

  stamp_secret_store_store_async (self->store, stamp_account_get_address (op->account),
                                  access_token_kind (op->resource), op->tokens->access_token,
                                  op->tokens->expires_at, g_task_get_cancellable (task),
                                  access_token_stored_cb, task);
}

static void
refresh_token_stored_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error))
    {
      fail (task, error);
      return;
    }

  store_access_token (task);
}

static void
save_tokens (GTask *task)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);

  /* A provider that does not rotate sends no refresh token on refresh:
   * the stored one stays. */
  if (op->tokens->refresh_token == NULL
      || g_strcmp0 (op->tokens->refresh_token, op->refresh_token) == 0)
    {
      store_access_token (task);
      return;
    }

  stamp_secret_store_store_async (self->store, stamp_account_get_address (op->account),
                                  STAMP_SECRET_REFRESH_TOKEN, op->tokens->refresh_token, 0,
                                  g_task_get_cancellable (task), refresh_token_stored_cb, task);
}

/**
 * stamp_credentials_save_tokens_async:
 * @self: a #StampCredentials
 * @account: whose tokens
 * @tokens: what a sign-in gave
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once stored
 * @user_data: data for @callback
 *
 * Stores @tokens in the keyring for @account: the refresh token, then the
 * access token under the resource the account sends with
 * (stamp_account_get_token_resource()), which is the one a sign-in asks
 * its token for.
 */
void
stamp_credentials_save_tokens_async (StampCredentials       *self,
                                     StampAccount           *account,
                                     const StampOAuthTokens *tokens,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  GTask *task;
  Operation *op;

  g_return_if_fail (STAMP_IS_CREDENTIALS (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));
  g_return_if_fail (tokens != NULL && tokens->access_token != NULL);

  task = operation_new (self, account, stamp_account_get_token_resource (account),
                        stamp_credentials_save_tokens_async,
                        cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->tokens = stamp_oauth_tokens_copy (tokens);

  stamp_sign_in_health_record_sign_in (stamp_account_get_address (account));
  save_tokens (task);
}

/**
 * stamp_credentials_save_tokens_finish:
 * @self: a #StampCredentials
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: %TRUE when the tokens are stored
 */
gboolean
stamp_credentials_save_tokens_finish (StampCredentials  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Getting an access token */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->tokens = _stamp_oauth_request_tokens_finish (result, NULL, &error);
  if (op->tokens == NULL)
    {
      stamp_sign_in_health_record_failure (stamp_account_get_address (op->account), error);
      fail (task, error);
      return;
    }

  stamp_sign_in_health_record_refresh (stamp_account_get_address (op->account),
                                       op->tokens->refresh_token != NULL
                                       && g_strcmp0 (op->tokens->refresh_token,
                                                     op->refresh_token) != 0);
  save_tokens (task);
}

static void
refresh (GTask *task)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *scope = stamp_oauth_config_dup_token_scope (op->config, op->resource);

  /* One resource per token request: a refresh token from a sign-in that
   * consented to both may be redeemed for either, not for both at once. */
  if (scope == NULL)
    {
      fail (task, g_error_new (STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                               _("%s does not offer sending through Microsoft Graph"),
                               stamp_oauth_config_get_provider_name (op->config)));
      return;
    }

  g_hash_table_insert (form, "grant_type", "refresh_token");
  g_hash_table_insert (form, "refresh_token", op->refresh_token);
  g_hash_table_insert (form, "scope", scope);

  _stamp_oauth_request_tokens_async (self->session, op->config, form,
                                     g_task_get_cancellable (task), refresh_cb, task);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);
  g_autoptr(StampSecret) client_secret = NULL;
  GError *error = NULL;

  client_secret = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);
  if (error != NULL)
    {
      fail (task, error);
      return;
    }

  if (client_secret != NULL)
    stamp_oauth_config_set_client_secret (op->config, client_secret);

  refresh (task);
}

static void
refresh_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->refresh_token = stamp_secret_store_lookup_finish (self->store, result, NULL, &error);
  if (op->refresh_token == NULL)
    {
      if (error == NULL)
        error = g_error_new (STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
                             _("%s is not signed in yet, or the sign-in was removed. Sign in first."),
                             stamp_account_get_address (op->account));
      fail (task, error);
      return;
    }

  op->config = stamp_oauth_config_new_for_account (op->account, &error);
  if (op->config == NULL)
    {
      fail (task, error);
      return;
    }

  /* A person's own registration may come with a client secret (Google). */
  if (stamp_account_get_oauth_client_id (op->account) != NULL)
    stamp_secret_store_lookup_async (self->store, stamp_account_get_address (op->account),
                                     STAMP_SECRET_CLIENT_SECRET, g_task_get_cancellable (task),
                                     client_secret_cb, task);
  else
    refresh (task);
}

/* The lock file of one account's refresh, shared by every process of the
 * user; the name hides the address. */
static char *
dup_refresh_lock_path (StampAccount *account)
{
  g_autofree char *address = g_utf8_strdown (stamp_account_get_address (account), -1);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, address, -1);
  g_autofree char *name = g_strdup_printf ("refresh-%.32s.lock", digest);

  return g_build_filename (g_get_user_config_dir (), "stamp", "locks", name, NULL);
}

static void
look_up_stored_refresh_token (GTask *task)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);

  stamp_secret_store_lookup_async (self->store, stamp_account_get_address (op->account),
                                   STAMP_SECRET_REFRESH_TOKEN, g_task_get_cancellable (task),
                                   refresh_token_cb, task);
}

static void access_token_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
refresh_lock_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->lock_fd = stamp_file_lock_acquire_finish (result, &error);
  if (op->lock_fd < 0)
    {
      fail (task, error);
      return;
    }

  /* With the lock held, a token another process stored while this one
   * waited is as good as a new one, unless the server refused the stored
   * token. */
  if (op->forced)
    look_up_stored_refresh_token (task);
  else
    stamp_secret_store_lookup_async (self->store, stamp_account_get_address (op->account),
                                     access_token_kind (op->resource),
                                     g_task_get_cancellable (task), access_token_cb, task);
}

static void
look_up_refresh_token (GTask *task)
{
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  const char *address = stamp_account_get_address (op->account);
  GPtrArray *waiters = g_hash_table_lookup (self->refreshing, address);
  g_autofree char *lock_path = NULL;

  if (waiters != NULL)
    {
      g_ptr_array_add (waiters, task);
      return;
    }

  op->leader = TRUE;
  g_hash_table_insert (self->refreshing, g_strdup (address), g_ptr_array_new ());
  lock_path = dup_refresh_lock_path (op->account);
  stamp_file_lock_acquire_async (lock_path, REFRESH_LOCK_TIMEOUT_SECONDS,
                                 g_task_get_cancellable (task), refresh_lock_cb, task);
}

static void
access_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  StampCredentials *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(StampOAuthTokens) stored = g_new0 (StampOAuthTokens, 1);
  GError *error = NULL;

  stored->access_token = stamp_secret_store_lookup_finish (self->store, result,
                                                           &stored->expires_at, &error);
  if (error != NULL)
    {
      fail (task, error);
      return;
    }

  if (stamp_oauth_tokens_is_fresh (stored, g_get_real_time () / G_USEC_PER_SEC))
    {
      op->tokens = g_steal_pointer (&stored);
      finish_refresh (task, NULL);   /* after waiting on the lock, the waiters get it too */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* Holding the lock, this is the account's refresh; otherwise it starts. */
  if (op->lock_fd >= 0)
    look_up_stored_refresh_token (task);
  else
    look_up_refresh_token (task);
}

static void
get_token (StampCredentials    *self,
           StampAccount        *account,
           StampTokenResource   resource,
           gboolean             force_refresh,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task;
  Operation *op;

  task = operation_new (self, account, resource, source_tag, cancellable, callback, user_data);

  op = g_task_get_task_data (task);
  op->forced = force_refresh;
  if (force_refresh)
    look_up_refresh_token (task);
  else
    stamp_secret_store_lookup_async (self->store, stamp_account_get_address (account),
                                     access_token_kind (resource), cancellable,
                                     access_token_cb, task);
}

static char *
get_token_finish (GAsyncResult  *result,
                  gint64        *expires_at,
                  GError       **error)
{
  Operation *op;

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  op = g_task_get_task_data (G_TASK (result));
  if (expires_at != NULL)
    *expires_at = op->tokens->expires_at;

  return g_strdup (op->tokens->access_token);
}

/**
 * stamp_credentials_get_access_token_async:
 * @self: a #StampCredentials
 * @account: an account that signed in with OAuth
 * @force_refresh: refresh even if the stored access token looks fresh
 *   (the server refused it)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the token
 * @user_data: data for @callback
 *
 * Gets a current access token for @account's SMTP server, refreshing it
 * when needed; stamp_credentials_get_token_async() for the SMTP resource.
 */
void
stamp_credentials_get_access_token_async (StampCredentials    *self,
                                          StampAccount        *account,
                                          gboolean             force_refresh,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (STAMP_IS_CREDENTIALS (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  get_token (self, account, STAMP_TOKEN_RESOURCE_SMTP, force_refresh,
             stamp_credentials_get_access_token_async, cancellable, callback, user_data);
}

/**
 * stamp_credentials_get_access_token_finish:
 * @self: a #StampCredentials
 * @result: the #GAsyncResult
 * @expires_at: (out) (optional): when the token expires, in Unix seconds
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the access token, to free with
 *   stamp_secret_free()
 */
char *
stamp_credentials_get_access_token_finish (StampCredentials  *self,
                                           GAsyncResult      *result,
                                           gint64            *expires_at,
                                           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_credentials_get_access_token_async, NULL);

  return get_token_finish (result, expires_at, error);
}

/**
 * stamp_credentials_get_token_async:
 * @self: a #StampCredentials
 * @account: an account that signed in with OAuth
 * @resource: what the token is for: the SMTP server or Microsoft Graph
 * @force_refresh: refresh even if the stored access token looks fresh
 *   (the server refused it)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the token
 * @user_data: data for @callback
 *
 * Gets a current access token for @resource. Each resource's token is
 * stored apart; a refresh asks the token endpoint for @resource's scopes
 * only, with the account's one refresh token, and stores the rotated
 * refresh token first. Refreshes of one account never overlap, whatever
 * their resource.
 */
void
stamp_credentials_get_token_async (StampCredentials    *self,
                                   StampAccount        *account,
                                   StampTokenResource   resource,
                                   gboolean             force_refresh,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (STAMP_IS_CREDENTIALS (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));
  g_return_if_fail (resource <= STAMP_TOKEN_RESOURCE_GRAPH);

  get_token (self, account, resource, force_refresh, stamp_credentials_get_token_async,
             cancellable, callback, user_data);
}

/**
 * stamp_credentials_get_token_finish:
 * @self: a #StampCredentials
 * @result: the #GAsyncResult
 * @expires_at: (out) (optional): when the token expires, in Unix seconds
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the access token, to free with
 *   stamp_secret_free()
 */
char *
stamp_credentials_get_token_finish (StampCredentials  *self,
                                    GAsyncResult      *result,
                                    gint64            *expires_at,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_credentials_get_token_async, NULL);

  return get_token_finish (result, expires_at, error);
}

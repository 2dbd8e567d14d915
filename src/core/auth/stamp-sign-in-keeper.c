/* stamp-sign-in-keeper.c
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

#define G_LOG_DOMAIN "stamp-sign-in-keeper"

#include "config.h"

#include "stamp-auth-enums.h"
#include "stamp-oauth-config.h"
#include "stamp-sign-in-keeper.h"
#include "stamp-util.h"

/* A refresh token that is used never lapses: Microsoft's lapse after 90
 * days unused, Google's after 180. While the app or the relay runs, the
 * keeper uses each one well inside that window, so a scanner that sends a
 * few times a year keeps working, and it says so ahead when a sign-in or a
 * client secret is about to lapse or has failed for good. Refreshes go one
 * at a time: they are rare, and a provider is not asked for many at once. */

#define CHECK_INTERVAL_SECONDS (60 * 60)

struct _StampSignInKeeper
{
  GObject           parent_instance;

  /* Owned */
  GListModel       *accounts;
  StampCredentials *credentials;
  GCancellable     *cancellable;   /* the check under way, if any */
  GQueue            queue;         /* StampAccount refs still to look at */
  GHashTable       *warned;        /* "state:address" already warned of */
  guint             timeout_id;
  gboolean          checking;
  gboolean          check_again;
};

enum {
  WARNING,
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StampSignInKeeper, stamp_sign_in_keeper, G_TYPE_OBJECT)

static void next_account (StampSignInKeeper *self);

/* Graph accounts always send with a token, whatever their SMTP settings. */
static gboolean
account_uses_oauth (StampAccount *account)
{
  return stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH
         || stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));
}

static gboolean
state_is_warning (StampSignInState state)
{
  return state != STAMP_SIGN_IN_STATE_NONE && state != STAMP_SIGN_IN_STATE_OK;
}

static char *
dup_warned_key (StampAccount     *account,
                StampSignInState  state)
{
  g_autofree char *address = g_utf8_strdown (stamp_account_get_address (account), -1);

  return g_strdup_printf ("%d:%s", state, address);
}

/* Forgets the warnings of an account that is fine again, so the next
 * trouble is told anew. */
static void
forget_warnings (StampSignInKeeper *self,
                 StampAccount      *account)
{
  for (StampSignInState state = STAMP_SIGN_IN_STATE_EXPIRING;
       state <= STAMP_SIGN_IN_STATE_FAILED;
       state++)
    {
      g_autofree char *key = dup_warned_key (account, state);

      g_hash_table_remove (self->warned, key);
    }
}

/* Says what is wrong with @account's sign-in, once per state while the
 * keeper lives. */
static void
judge (StampSignInKeeper *self,
       StampAccount      *account)
{
  const char *address = stamp_account_get_address (account);
  g_autoptr(StampSignInHealth) health = stamp_sign_in_health_load (address);
  gint64 now = stamp_get_now ();
  StampSignInState state = stamp_sign_in_health_get_state (health, account, now, NULL);
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;

  if (!state_is_warning (state))
    {
      forget_warnings (self, account);
      return;
    }

  key = dup_warned_key (account, state);
  if (g_hash_table_contains (self->warned, key))
    return;

  g_hash_table_add (self->warned, g_steal_pointer (&key));
  text = stamp_sign_in_health_describe (health, account, now);
  g_debug ("Warning of %s's sign-in: %s", address, text);
  g_signal_emit (self, signals[WARNING], 0, account, state, text);
}

/* Whether @account's refresh token should be used now to keep it alive. A
 * sign-in that failed for good waits for a new sign-in instead. */
static gboolean
is_due (StampAccount *account)
{
  const char *address = stamp_account_get_address (account);
  g_autoptr(StampSignInHealth) health = stamp_sign_in_health_load (address);
  gint64 now = stamp_get_now ();
  gint64 last;

  if (health == NULL)
    return TRUE;

  if (stamp_sign_in_health_get_state (health, account, now, NULL) == STAMP_SIGN_IN_STATE_FAILED)
    return FALSE;

  last = MAX (health->signed_in_at, MAX (health->refresh_token_at, health->last_refresh_at));

  return now - last >= STAMP_SIGN_IN_KEEP_ALIVE_SECONDS;
}

static void
finish_check (StampSignInKeeper *self)
{
  self->checking = FALSE;
  g_clear_object (&self->cancellable);

  if (self->check_again)
    {
      self->check_again = FALSE;
      stamp_sign_in_keeper_check_now (self);
    }
}

/* One keep-alive refresh: the check it belongs to, so the answer of a
 * check that was stopped is not taken for a newer one's. */
typedef struct
{
  StampSignInKeeper *keeper;
  GCancellable      *cancellable;
} KeepAlive;

static void
keep_alive_free (KeepAlive *keep_alive)
{
  g_object_unref (keep_alive->keeper);
  g_object_unref (keep_alive->cancellable);
  g_free (keep_alive);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeepAlive, keep_alive_free)

static void
keep_alive_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KeepAlive) keep_alive = user_data;
  StampSignInKeeper *self = keep_alive->keeper;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  if (!stamp_sign_in_refresh_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Recorded by the credentials when the provider answered; a network
       * failure is tried again at the next check. */
      g_debug ("The keep-alive refresh failed: %s", error->message);
    }

  if (keep_alive->cancellable != self->cancellable)
    return;

  account = g_queue_pop_head (&self->queue);
  if (error == NULL)
    g_signal_emit (self, signals[REFRESHED], 0, account);

  judge (self, account);
  next_account (self);
}

static void
next_account (StampSignInKeeper *self)
{
  StampAccount *account;

  while ((account = g_queue_peek_head (&self->queue)) != NULL)
    {
      if (is_due (account))
        {
          KeepAlive *keep_alive = g_new0 (KeepAlive, 1);

          keep_alive->keeper = g_object_ref (self);
          keep_alive->cancellable = g_object_ref (self->cancellable);
          g_debug ("Keeping %s's sign-in alive", stamp_account_get_address (account));
          stamp_sign_in_refresh_async (self->credentials, account, self->cancellable,
                                       keep_alive_cb, keep_alive);
          return;
        }

      judge (self, account);
      g_object_unref (g_queue_pop_head (&self->queue));
    }

  finish_check (self);
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  stamp_sign_in_keeper_check_now (STAMP_SIGN_IN_KEEPER (user_data));

  return G_SOURCE_CONTINUE;
}

static void
accounts_changed_cb (StampSignInKeeper *self,
                     guint              position,
                     guint              removed,
                     guint              added)
{
  /* A new or edited account is looked at at once, if the keeper runs. */
  if (added > 0 && self->timeout_id != 0)
    stamp_sign_in_keeper_check_now (self);
}

static void
cancel_check (StampSignInKeeper *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->queue, g_object_unref);
  self->checking = FALSE;
  self->check_again = FALSE;
}

static void
stamp_sign_in_keeper_dispose (GObject *object)
{
  StampSignInKeeper *self = (StampSignInKeeper *)object;

  stamp_sign_in_keeper_stop (self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (stamp_sign_in_keeper_parent_class)->dispose (object);
}

static void
stamp_sign_in_keeper_finalize (GObject *object)
{
  StampSignInKeeper *self = (StampSignInKeeper *)object;

  g_clear_pointer (&self->warned, g_hash_table_unref);

  G_OBJECT_CLASS (stamp_sign_in_keeper_parent_class)->finalize (object);
}

static void
stamp_sign_in_keeper_class_init (StampSignInKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_sign_in_keeper_dispose;
  object_class->finalize = stamp_sign_in_keeper_finalize;

  /**
   * StampSignInKeeper::warning:
   * @self: the keeper
   * @account: the account in trouble
   * @state: its #StampSignInState: EXPIRING, SECRET_EXPIRING,
   *   SECRET_EXPIRED, LAPSED or FAILED
   * @text: the state in words, from stamp_sign_in_health_describe()
   *
   * Emitted when an account enters one of those states, once per account
   * and state while the keeper lives (again after the account was fine).
   */
  signals[WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, STAMP_TYPE_ACCOUNT, STAMP_TYPE_SIGN_IN_STATE, G_TYPE_STRING);

  /**
   * StampSignInKeeper::refreshed:
   * @self: the keeper
   * @account: the account whose sign-in was kept alive
   *
   * Emitted after each successful keep-alive refresh.
   */
  signals[REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STAMP_TYPE_ACCOUNT);
}

static void
stamp_sign_in_keeper_init (StampSignInKeeper *self)
{
  g_queue_init (&self->queue);
  self->warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * stamp_sign_in_keeper_new:
 * @accounts: a #GListModel of #StampAccount, watched for changes
 * @credentials: what refreshes the tokens
 *
 * Returns: (transfer full): a keeper; stamp_sign_in_keeper_start() starts it
 */
StampSignInKeeper *
stamp_sign_in_keeper_new (GListModel       *accounts,
                          StampCredentials *credentials)
{
  StampSignInKeeper *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (accounts), NULL);
  g_return_val_if_fail (STAMP_IS_CREDENTIALS (credentials), NULL);

  self = g_object_new (STAMP_TYPE_SIGN_IN_KEEPER, NULL);
  self->accounts = g_object_ref (accounts);
  self->credentials = g_object_ref (credentials);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

/**
 * stamp_sign_in_keeper_start:
 * @self: a #StampSignInKeeper
 *
 * Checks every account now and then every hour.
 */
void
stamp_sign_in_keeper_start (StampSignInKeeper *self)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_KEEPER (self));

  if (self->timeout_id != 0)
    return;

  self->timeout_id = g_timeout_add_seconds (CHECK_INTERVAL_SECONDS, check_timeout_cb, self);
  stamp_sign_in_keeper_check_now (self);
}

/**
 * stamp_sign_in_keeper_stop:
 * @self: a #StampSignInKeeper
 *
 * Stops the hourly checks and cancels the refresh under way.
 */
void
stamp_sign_in_keeper_stop (StampSignInKeeper *self)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_KEEPER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  cancel_check (self);
}

/**
 * stamp_sign_in_keeper_check_now:
 * @self: a #StampSignInKeeper
 *
 * Looks at every OAuth account now: refreshes those due, one at a time, and
 * warns of those in trouble. A check asked for while one runs follows it.
 */
void
stamp_sign_in_keeper_check_now (StampSignInKeeper *self)
{
  guint n_items;

  g_return_if_fail (STAMP_IS_SIGN_IN_KEEPER (self));

  if (self->checking)
    {
      self->check_again = TRUE;
      return;
    }

  n_items = g_list_model_get_n_items (self->accounts);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (self->accounts, i);

      if (account_uses_oauth (account))
        g_queue_push_tail (&self->queue, g_steal_pointer (&account));
    }

  self->checking = TRUE;
  self->cancellable = g_cancellable_new ();
  next_account (self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(StampSecret) token = NULL;
  GError *error = NULL;

  token = stamp_credentials_get_token_finish (STAMP_CREDENTIALS (object), result, NULL, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * stamp_sign_in_refresh_async:
 * @credentials: what refreshes the tokens
 * @account: an account that signs in with OAuth
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Refreshes @account's token for the resource it sends with, even if the
 * stored access token is fresh, so the refresh token is used and, where
 * the provider rotates it, replaced. The credentials record the outcome in
 * the account's sign-in health.
 */
void
stamp_sign_in_refresh_async (StampCredentials    *credentials,
                             StampAccount        *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STAMP_IS_CREDENTIALS (credentials));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_sign_in_refresh_async);

  stamp_credentials_get_token_async (credentials, account,
                                     stamp_account_get_token_resource (account), TRUE,
                                     cancellable, refresh_cb, g_steal_pointer (&task));
}

/**
 * stamp_sign_in_refresh_finish:
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: %TRUE when the account's token was refreshed
 */
gboolean
stamp_sign_in_refresh_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_sign_in_refresh_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

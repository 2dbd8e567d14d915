/* stamp-account-store.c
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

#define G_LOG_DOMAIN "stamp-account-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-account-file-private.h"
#include "stamp-account-store.h"
#include "stamp-error.h"
#include "stamp-util.h"

/*
 * StampAccountStore:
 *
 * The accounts a person set up, as a list model sorted by address, and the
 * file they live in (by default `accounts.json` in Stamp's folder under the
 * XDG config directory). Saving is atomic and serialised between threads
 * and processes. A file that cannot be used is never lost and never
 * ignored in silence: it is moved or copied aside, and the problem is
 * reported and kept for the app to show.
 */
struct _StampAccountStore
{
  GObject parent_instance;

  /* Owned */
  char      *path;
  char      *problem;
  GPtrArray *accounts;

  /* The file holds accounts this store could not read and could not set
   * aside, so saving over it would lose them. */
  gboolean   file_at_risk;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_PROBLEM,
  PROP_N_ITEMS,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StampAccountStore, stamp_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *path;
  char *contents;
} SaveState;

static void
save_state_free (SaveState *state)
{
  g_free (state->path);
  g_free (state->contents);
  g_free (state);
}

/* Builds the file's text on the store's own thread, so that a save in a
 * worker never touches the list. */
static char *
serialize (StampAccountStore  *self,
           GError            **error)
{
  if (self->file_at_risk)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE,
                   _("The accounts were not saved: “%s” holds accounts Stamp could not read "
                     "and could not keep a copy of, and saving would lose them. Move the file "
                     "elsewhere, then load the accounts again."),
                   self->path);
      return NULL;
    }

  return _stamp_account_file_to_text (self->accounts, error);
}

static gboolean
apply_load (StampAccountStore  *self,
            LoadResult         *result,
            GError            **error)
{
  guint removed = self->accounts->len;
  guint added = result->accounts->len;

  g_ptr_array_unref (self->accounts);
  self->accounts = g_steal_pointer (&result->accounts);
  self->file_at_risk = result->file_at_risk;

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, added);

  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (stamp_set_str (&self->problem, result->error != NULL ? result->error->message : NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  if (result->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&result->error));
      return FALSE;
    }

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  LoadResult *result = _stamp_account_file_load (task_data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) _stamp_load_result_free);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(LoadResult) loaded = NULL;
  StampAccountStore *self = STAMP_ACCOUNT_STORE (object);
  GError *error = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (loaded == NULL || !apply_load (self, loaded, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveState *state = task_data;
  GError *error = NULL;

  if (_stamp_account_file_write (state->path, state->contents, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GType
stamp_account_store_get_item_type (GListModel *model)
{
  return STAMP_TYPE_ACCOUNT;
}

static guint
stamp_account_store_get_n_items (GListModel *model)
{
  StampAccountStore *self = STAMP_ACCOUNT_STORE (model);

  return self->accounts->len;
}

static gpointer
stamp_account_store_get_item (GListModel *model,
                              guint       position)
{
  StampAccountStore *self = STAMP_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = stamp_account_store_get_item_type;
  iface->get_n_items = stamp_account_store_get_n_items;
  iface->get_item = stamp_account_store_get_item;
}

static void
stamp_account_store_finalize (GObject *object)
{
  StampAccountStore *self = (StampAccountStore *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_account_store_parent_class)->finalize (object);
}

static void
stamp_account_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StampAccountStore *self = STAMP_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->accounts->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_account_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StampAccountStore *self = STAMP_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      /* Inside Flatpak the config directory is the app's own. */
      if (g_value_get_string (value) != NULL)
        self->path = g_value_dup_string (value);
      else
        self->path = g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json", NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_account_store_class_init (StampAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_account_store_finalize;
  object_class->get_property = stamp_account_store_get_property;
  object_class->set_property = stamp_account_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_account_store_init (StampAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * stamp_account_store_new:
 * @path: (nullable) (type filename): the account file, or %NULL for
 *   `accounts.json` in the “stamp” folder of g_get_user_config_dir()
 *
 * Creates an empty store; stamp_account_store_load() reads the file.
 *
 * Returns: (transfer full): a new #StampAccountStore
 */
StampAccountStore *
stamp_account_store_new (const char *path)
{
  return g_object_new (STAMP_TYPE_ACCOUNT_STORE, "path", path, NULL);
}

/**
 * stamp_account_store_get_path:
 * @self: a #StampAccountStore
 *
 * Returns: (type filename): the account file
 */
const char *
stamp_account_store_get_path (StampAccountStore *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), NULL);

  return self->path;
}

/**
 * stamp_account_store_get_problem:
 * @self: a #StampAccountStore
 *
 * Returns: (nullable): what went wrong in the last load, as its error
 *   said, so the app can show it again later; %NULL after a clean load
 */
const char *
stamp_account_store_get_problem (StampAccountStore *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), NULL);

  return self->problem;
}

/**
 * stamp_account_store_load:
 * @self: a #StampAccountStore
 * @error: return location for a #GError
 *
 * Replaces the store's accounts with the file's. A missing file is an
 * empty store. Nothing in a bad file is lost, and no problem is silent:
 *
 * - a file that cannot be read, is not JSON or not shaped as expected is
 *   moved to `accounts.json.unreadable-YYYYMMDD-HHMMSS`
 *   (%STAMP_ERROR_ACCOUNT_FILE) and the store is empty;
 * - a file from a newer Stamp is moved, untouched, to
 *   `accounts.json.newer-format-YYYYMMDD-HHMMSS`
 *   (%STAMP_ERROR_ACCOUNT_FILE_NEWER) and the store is empty;
 * - if some entries are not valid accounts, the others are loaded, the
 *   file is copied to `accounts.json.partial-YYYYMMDD-HHMMSS` and the error
 *   (%STAMP_ERROR_ACCOUNT_SKIPPED) names each skipped entry, counted from
 *   1, with its address and the reason.
 *
 * The message says where the file now is, and stays available from
 * stamp_account_store_get_problem(). Should moving or copying fail, the
 * file stays where it is and the store refuses to save over it.
 *
 * Returns: %TRUE if every account was loaded
 */
gboolean
stamp_account_store_load (StampAccountStore  *self,
                          GError            **error)
{
  g_autoptr(LoadResult) result = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), FALSE);

  result = _stamp_account_file_load (self->path, NULL, error);
  if (result == NULL)
    return FALSE;

  return apply_load (self, result, error);
}

/**
 * stamp_account_store_load_async:
 * @self: a #StampAccountStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the load has ended
 * @user_data: data for @callback
 *
 * Does what stamp_account_store_load() does, reading in a worker thread.
 * The list changes on the thread-default main context, before @callback
 * runs. Cancelling stops a load that has not read the file yet; once the
 * file was read (and maybe set aside), what was found is applied and
 * reported.
 */
void
stamp_account_store_load_async (StampAccountStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (STAMP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_account_store_load_async);
  g_task_set_check_cancellable (task, FALSE);

  /* The worker parses; its callback applies the result on this context,
   * then reports to the caller. */
  worker = g_task_new (self, cancellable, load_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_set_task_data (worker, g_strdup (self->path), g_free);
  g_task_run_in_thread (worker, load_thread);
}

/**
 * stamp_account_store_load_finish:
 * @self: a #StampAccountStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if every account was loaded; see stamp_account_store_load()
 */
gboolean
stamp_account_store_load_finish (StampAccountStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_account_store_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * stamp_account_store_save:
 * @self: a #StampAccountStore
 * @error: return location for a #GError
 *
 * Writes all accounts to the file, replacing it: creates the folder (mode
 * 0700) if needed and writes pretty-printed JSON to a temporary file
 * (mode 0600), synced, then renamed over the old one, while holding an
 * exclusive lock on `accounts.json.lock` so that concurrent saves from
 * threads or processes follow one another. Nothing is written if an
 * account is not valid, or if the last load left a file it could not set
 * aside.
 *
 * Returns: %TRUE if the file was written
 */
gboolean
stamp_account_store_save (StampAccountStore  *self,
                          GError            **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), FALSE);

  contents = serialize (self, error);
  if (contents == NULL)
    return FALSE;

  return _stamp_account_file_write (self->path, contents, NULL, error);
}

/**
 * stamp_account_store_save_async:
 * @self: a #StampAccountStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the save has ended
 * @user_data: data for @callback
 *
 * Does what stamp_account_store_save() does, writing in a worker thread.
 * The accounts are taken as they are now; later changes need another save.
 */
void
stamp_account_store_save_async (StampAccountStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveState *state;
  char *contents;

  g_return_if_fail (STAMP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_account_store_save_async);
  /* A file that was written is reported as written, even if cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  contents = serialize (self, &error);
  if (contents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  state = g_new0 (SaveState, 1);
  state->path = g_strdup (self->path);
  state->contents = contents;
  g_task_set_task_data (task, state, (GDestroyNotify) save_state_free);
  g_task_run_in_thread (task, save_thread);
}

/**
 * stamp_account_store_save_finish:
 * @self: a #StampAccountStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was written
 */
gboolean
stamp_account_store_save_finish (StampAccountStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_account_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * stamp_account_store_lookup:
 * @self: a #StampAccountStore
 * @address: an email address
 *
 * Finds the account for @address, without regard to case (see
 * stamp_account_compare_address()).
 *
 * Returns: (transfer none) (nullable): the account, or %NULL
 */
StampAccount *
stamp_account_store_lookup (StampAccountStore *self,
                            const char        *address)
{
  guint position;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (!_stamp_account_array_find (self->accounts, address, &position))
    return NULL;

  return g_ptr_array_index (self->accounts, position);
}

/**
 * stamp_account_store_add:
 * @self: a #StampAccountStore
 * @account: the account to add
 *
 * Adds @account in its place by address, replacing an account with the
 * same address. Changes are kept in memory until the next save.
 */
void
stamp_account_store_add (StampAccountStore *self,
                         StampAccount      *account)
{
  StampAccount *old;
  guint position;

  g_return_if_fail (STAMP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  if (!_stamp_account_array_find (self->accounts, stamp_account_get_address (account),
                                          &position))
    {
      g_ptr_array_insert (self->accounts, position, g_object_ref (account));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  old = g_ptr_array_index (self->accounts, position);
  if (old == account)
    return;

  self->accounts->pdata[position] = g_object_ref (account);
  g_object_unref (old);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

/**
 * stamp_account_store_remove:
 * @self: a #StampAccountStore
 * @address: the address of the account to remove
 *
 * Returns: %TRUE if there was such an account
 */
gboolean
stamp_account_store_remove (StampAccountStore *self,
                            const char        *address)
{
  guint position;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (!_stamp_account_array_find (self->accounts, address, &position))
    return FALSE;

  g_ptr_array_remove_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return TRUE;
}

/* stamp-relay-controller-devices.c
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

#define G_LOG_DOMAIN "stamp-relay-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-relay-controller-private.h"

/* Devices */

void
_stamp_relay_controller_reload_devices (StampRelayController *self)
{
  g_autoptr(GError) error = NULL;

  /* An edit in progress has the file's newest state already. */
  if (self->editing != NULL)
    return;

  if (!stamp_relay_device_store_load (self->devices, &error))
    g_warning ("Reading the relay devices: %s", error->message);
}

typedef struct
{
  StampRelayDevice     *device;
  char                 *name;
  StampSecret          *password;
  StampRelayDeviceList *list;
  GPtrArray            *passwords;  /* StampSecret, one per device of @list */
  guint                 stored;     /* how many of them are in the keyring */
} EditState;

static void
edit_state_free (EditState *state)
{
  g_clear_object (&state->device);
  g_free (state->name);
  g_clear_pointer (&state->password, stamp_secret_free);
  g_clear_object (&state->list);
  g_clear_pointer (&state->passwords, g_ptr_array_unref);
  g_free (state);
}

static void start_next_edit (StampRelayController *self);

/* Ends the edit that @task made: the lock goes, the file is read again so
 * that a failed edit leaves nothing behind in memory, and the next edit
 * starts. */
static void
finish_edit (StampRelayController *self,
             GTask                *task)
{
  g_assert (self->editing == task);

  stamp_relay_device_store_end_edit (self->devices);
  self->editing = NULL;
  _stamp_relay_controller_reload_devices (self);
  _stamp_relay_controller_emit_changed (self);
  g_object_unref (task);

  start_next_edit (self);
}

static void
clear_after_failed_save_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!stamp_secret_store_clear_finish (STAMP_SECRET_STORE (object), result, &error))
    g_debug ("Removing the password of a device that was not saved: %s", error->message);
}

static void
add_device_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  StampRelayController *self = g_task_get_source_object (task);
  EditState *state = g_task_get_task_data (task);
  StampSecretStore *secrets = STAMP_SECRET_STORE (object);
  g_autoptr(GError) error = NULL;

  if (!stamp_secret_store_store_finish (secrets, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (!stamp_secret_store_is_persistent (secrets))
    {
      /* Without a keyring the password lives only as long as this
       * process: the device could not sign in after a restart. */
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_KEYRING,
                               _("No keyring is running to keep the device’s password, "
                                 "so the device was not added."));
    }
  else if (!stamp_relay_device_store_save (self->devices, &error))
    {
      g_autofree char *key = stamp_relay_device_get_secret_key (state->device);

      stamp_secret_store_clear_async (secrets, key, NULL, clear_after_failed_save_cb, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      g_task_return_pointer (task, g_strdup (state->password), (GDestroyNotify) stamp_secret_free);
    }

  finish_edit (self, task);
}

static gboolean
add_device_begin (StampRelayController  *self,
                  GTask                 *task,
                  GError               **error)
{
  EditState *state = g_task_get_task_data (task);
  const char *name = stamp_relay_device_get_name (state->device);
  g_autofree char *user = NULL;
  g_autofree char *key = NULL;

  if (stamp_relay_device_store_lookup (self->devices, name) != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("There is already a device called “%s”."), name);
      return FALSE;
    }

  user = stamp_relay_device_store_make_user (self->devices, name);
  stamp_relay_device_set_user (state->device, user);
  state->password = stamp_relay_generate_password (error);
  if (state->password == NULL)
    return FALSE;

  /* On the list in memory only; it is saved once its password is safe. */
  if (!stamp_relay_device_store_add (self->devices, state->device, error))
    return FALSE;

  key = stamp_relay_device_get_secret_key (state->device);
  stamp_secret_store_store_async (stamp_secret_store_get_default (), key,
                                  STAMP_SECRET_RELAY_DEVICE, state->password, 0,
                                  g_task_get_cancellable (task), add_device_stored_cb, task);
  return TRUE;
}

static void
remove_device_cleared_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  StampRelayController *self = g_task_get_source_object (task);
  EditState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!stamp_secret_store_clear_finish (STAMP_SECRET_STORE (object), result, &error))
    g_task_return_new_error (task, error->domain, error->code,
                             _("“%s” was removed, but its password is still in the "
                               "keyring: %s"),
                             state->name, error->message);
  else
    g_task_return_boolean (task, TRUE);

  finish_edit (self, task);
}

static gboolean
remove_device_begin (StampRelayController  *self,
                     GTask                 *task,
                     GError               **error)
{
  EditState *state = g_task_get_task_data (task);
  StampRelayDevice *found = stamp_relay_device_store_lookup (self->devices, state->name);
  g_autofree char *key = NULL;

  /* Removed elsewhere meanwhile: what the person asked for is done. */
  if (found == NULL)
    {
      g_task_return_boolean (task, TRUE);
      finish_edit (self, task);
      return TRUE;
    }

  key = stamp_relay_device_get_secret_key (found);
  stamp_relay_device_store_remove (self->devices, state->name);
  if (!stamp_relay_device_store_save (self->devices, error))
    return FALSE;

  stamp_secret_store_clear_async (stamp_secret_store_get_default (), key,
                                  g_task_get_cancellable (task), remove_device_cleared_cb, task);
  return TRUE;
}

/* A list's devices: each password is stored in turn, then the file is
 * saved; if any step fails, the passwords stored so far go again. */
static void store_next_list_password (GTask *task);

static void
forget_list_passwords (EditState *state)
{
  for (guint i = 0; i < state->stored; i++)
    {
      g_autofree char *key = NULL;

      if (g_ptr_array_index (state->passwords, i) == NULL)
        continue;
      key = stamp_relay_device_get_secret_key (stamp_relay_device_list_get_device (state->list, i));
      stamp_secret_store_clear_async (stamp_secret_store_get_default (), key, NULL,
                                      clear_after_failed_save_cb, NULL);
    }
}

static void
list_password_stored_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  StampRelayController *self = g_task_get_source_object (task);
  EditState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error))
    {
      forget_list_passwords (state);
      g_task_return_error (task, g_steal_pointer (&error));
      finish_edit (self, task);
      return;
    }

  state->stored++;
  store_next_list_password (task);
}

static void
store_next_list_password (GTask *task)
{
  StampRelayController *self = g_task_get_source_object (task);
  EditState *state = g_task_get_task_data (task);
  StampSecretStore *secrets = stamp_secret_store_get_default ();
  g_autoptr(GError) error = NULL;

  /* Devices that send without signing in have no password. */
  while (state->stored < state->passwords->len &&
         g_ptr_array_index (state->passwords, state->stored) == NULL)
    state->stored++;

  if (state->stored < state->passwords->len)
    {
      StampRelayDevice *device = stamp_relay_device_list_get_device (state->list, state->stored);
      g_autofree char *key = stamp_relay_device_get_secret_key (device);

      stamp_secret_store_store_async (secrets, key, STAMP_SECRET_RELAY_DEVICE,
                                      g_ptr_array_index (state->passwords, state->stored), 0,
                                      g_task_get_cancellable (task), list_password_stored_cb,
                                      task);
      return;
    }

  if (!stamp_secret_store_is_persistent (secrets))
    g_set_error (&error, STAMP_ERROR, STAMP_ERROR_KEYRING,
                 _("No keyring is running to keep the devices’ passwords, so none was added."));
  else
    stamp_relay_device_store_save (self->devices, &error);

  if (error != NULL)
    {
      forget_list_passwords (state);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    {
      g_task_return_pointer (task, g_steal_pointer (&state->passwords),
                             (GDestroyNotify) g_ptr_array_unref);
    }

  finish_edit (self, task);
}

static gboolean
add_list_begin (StampRelayController  *self,
                GTask                 *task,
                GError               **error)
{
  EditState *state = g_task_get_task_data (task);
  guint n = stamp_relay_device_list_get_n_devices (state->list);

  if (!stamp_relay_device_list_add_to_store (state->list, self->devices, error))
    return FALSE;

  state->passwords = g_ptr_array_new_full (n, (GDestroyNotify) stamp_secret_free);
  for (guint i = 0; i < n; i++)
    {
      StampRelayDevice *device = stamp_relay_device_list_get_device (state->list, i);
      char *password = NULL;

      if (!stamp_relay_device_get_no_sign_in (device))
        {
          password = stamp_relay_generate_password (error);
          if (password == NULL)
            return FALSE;
        }
      g_ptr_array_add (state->passwords, password);
    }

  store_next_list_password (task);
  return TRUE;
}

static void
start_next_edit (StampRelayController *self)
{
  g_autoptr(GError) error = NULL;
  GTask *task;
  gboolean started;

  if (self->editing != NULL || g_queue_is_empty (&self->edits))
    return;

  task = g_queue_pop_head (&self->edits);
  self->editing = task;

  if (!stamp_relay_device_store_begin_edit (self->devices, &error) ||
      !stamp_relay_device_store_load (self->devices, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      finish_edit (self, task);
      return;
    }

  if (g_task_get_source_tag (task) == stamp_relay_controller_add_device_async)
    started = add_device_begin (self, task, &error);
  else if (g_task_get_source_tag (task) == stamp_relay_controller_add_list_async)
    started = add_list_begin (self, task, &error);
  else
    started = remove_device_begin (self, task, &error);

  if (!started)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      finish_edit (self, task);
    }
}

/* Status of one account */

static gint64
get_int (JsonObject *object,
         const char *member)
{
  if (object == NULL || !json_object_has_member (object, member))
    return 0;

  return json_object_get_int_member (object, member);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  return json_object_get_object_member (object, member);
}

static gboolean
is_account_device (StampRelayController *self,
                   const char           *address,
                   const char           *name)
{
  StampRelayDevice *device = stamp_relay_device_store_lookup (self->devices, name);

  return device != NULL && g_strcmp0 (stamp_relay_device_get_account (device), address) == 0;
}

/* The newest explanation of a waiting message of this account, with when
 * the next attempt is due. */
static char *
dup_waiting_problem (StampRelayController *self,
                     const char           *address)
{
  GPtrArray *queued = self->queued;
  const StampRelayEntry *newest = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *at = NULL;

  for (guint i = 0; queued != NULL && i < queued->len; i++)
    {
      const StampRelayEntry *entry = g_ptr_array_index (queued, i);

      if (entry->last_error != NULL && g_strcmp0 (entry->account, address) == 0)
        newest = entry;
    }

  if (newest == NULL)
    return NULL;

  next = g_date_time_new_from_unix_local (newest->next_attempt_at / G_USEC_PER_SEC);
  if (next == NULL || newest->next_attempt_at <= g_get_real_time ())
    return g_strdup (newest->last_error);

  at = g_date_time_format (next, "%H:%M");
  /* TRANSLATORS: a time of day, then why the last attempt failed */
  return g_strdup_printf (_("Stamp tries again at %s. %s"), at, newest->last_error);
}

/* Edits of the device file run one at a time, in the order asked. */
static void
queue_edit (StampRelayController *self,
            EditState            *state,
            gpointer              source_tag,
            GCancellable         *cancellable,
            GAsyncReadyCallback   callback,
            gpointer              user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, state, (GDestroyNotify) edit_state_free);
  g_queue_push_tail (&self->edits, task);
  start_next_edit (self);
}

/**
 * stamp_relay_controller_add_device_async:
 * @device: a new device, its name and account set; its user name is made
 *   here
 *
 * Adds the device with a new strong password, which goes to the keyring;
 * the device file is saved only once the password is safe there.
 */
void
stamp_relay_controller_add_device_async (StampRelayController *self,
                                         StampRelayDevice     *device,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  EditState *state;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (device));

  state = g_new0 (EditState, 1);
  state->device = g_object_ref (device);
  queue_edit (self, state, stamp_relay_controller_add_device_async, cancellable, callback, user_data);
}

/**
 * stamp_relay_controller_add_device_finish:
 *
 * Returns: (transfer full): the device's password, to show once; free it
 *   with stamp_secret_free()
 */
char *
stamp_relay_controller_add_device_finish (StampRelayController  *self,
                                          GAsyncResult          *result,
                                          GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_relay_controller_add_device_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_relay_controller_remove_device_async:
 * @name: the device's name
 *
 * Removes the device and then its password from the keyring.
 */
void
stamp_relay_controller_remove_device_async (StampRelayController *self,
                                            const char           *name,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  EditState *state;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (name != NULL);

  state = g_new0 (EditState, 1);
  state->name = g_strdup (name);
  queue_edit (self, state, stamp_relay_controller_remove_device_async, cancellable, callback, user_data);
}

gboolean
stamp_relay_controller_remove_device_finish (StampRelayController  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_relay_controller_remove_device_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * stamp_relay_controller_add_list_async:
 * @list: devices read from a list (“Add Devices from a List…”)
 *
 * Adds every device of @list, each with a new user name and, unless it
 * sends without signing in, a new password kept in the keyring; or none
 * of them, if any cannot be added.
 */
void
stamp_relay_controller_add_list_async (StampRelayController *self,
                                       StampRelayDeviceList *list,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  EditState *state;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (STAMP_IS_RELAY_DEVICE_LIST (list));

  state = g_new0 (EditState, 1);
  state->list = g_object_ref (list);
  queue_edit (self, state, stamp_relay_controller_add_list_async, cancellable, callback, user_data);
}

/**
 * stamp_relay_controller_add_list_finish:
 *
 * Returns: (transfer full) (element-type utf8): the devices' passwords, in
 *   the list's order, %NULL for a device without one; each is wiped when
 *   the array is freed
 */
GPtrArray *
stamp_relay_controller_add_list_finish (StampRelayController  *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_relay_controller_add_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_relay_controller_fill_sheet_context:
 * @context: the export context of @device's account
 * @device: a relay device
 * @password: (nullable): its password, printed on the sheet; %NULL when it
 *   is not known any more or the device does not sign in
 *
 * Gives @context what the printer sheet of @device needs: its make, and
 * the relay's settings as the device reaches it, so that the sheet's path
 * is “Through Stamp Relay”.
 */
void
stamp_relay_controller_fill_sheet_context (StampRelayController *self,
                                           StampExportContext   *context,
                                           StampRelayDevice     *device,
                                           const char           *password)
{
  g_autofree char *server = NULL;
  StampExportRelay relay = { 0 };

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (context));
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (device));

  server = stamp_relay_controller_dup_server (self);
  if (stamp_relay_device_get_make (device) != NULL)
    stamp_export_context_set_device_vendor (context, stamp_relay_device_get_make (device));

  relay.host = server;
  relay.port = stamp_relay_controller_get_port (self);
  /* A device allowed plain text is one without TLS at all. */
  relay.starttls = !stamp_relay_device_get_allow_plaintext (device);
  relay.user = stamp_relay_device_get_no_sign_in (device) ? NULL
                                                          : stamp_relay_device_get_user (device);
  relay.password = relay.user != NULL ? password : NULL;
  stamp_export_context_set_relay (context, &relay);
}
/**
 * stamp_relay_controller_get_account_counts:
 * @address: an account's address
 * @waiting: (out): its messages waiting in the spool
 * @delivered_today: (out): its devices' messages delivered today
 * @held: (out): its devices' messages refused for good and kept aside
 *
 * The counts of the status as last read, for one account.
 */
void
stamp_relay_controller_get_account_counts (StampRelayController *self,
                                           const char           *address,
                                           guint                *waiting,
                                           guint                *delivered_today,
                                           guint                *held)
{
  JsonObject *devices;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (address != NULL);

  *waiting = 0;
  *delivered_today = 0;
  *held = 0;

  for (guint i = 0; self->queued != NULL && i < self->queued->len; i++)
    {
      const StampRelayEntry *entry = g_ptr_array_index (self->queued, i);

      if (g_strcmp0 (entry->account, address) == 0)
        (*waiting)++;
    }

  devices = get_object (self->status, "devices");
  if (devices != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (devices);

      for (GList *l = names; l != NULL; l = l->next)
        if (is_account_device (self, address, l->data))
          {
            JsonObject *counters = json_object_get_object_member (devices, l->data);

            *delivered_today += get_int (counters, "delivered_today");
            *held += get_int (counters, "held");
          }
    }
}

/**
 * stamp_relay_controller_get_account_stopped:
 * @address: an account's address
 *
 * Returns: whether delivery for the account stopped until someone signs
 *   it in again
 */
gboolean
stamp_relay_controller_get_account_stopped (StampRelayController *self,
                                            const char           *address)
{
  JsonObject *account;

  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  account = get_object (get_object (self->status, "accounts"), address);
  return account != NULL && json_object_get_boolean_member_with_default (account, "stopped",
                                                                         FALSE);
}

/**
 * stamp_relay_controller_dup_account_problem:
 * @address: an account's address
 *
 * The problem to show for one account, in plain words: delivery stopped
 * for it, or one of its messages waits after a failed attempt (with when
 * the next one is due), or its devices' last message was refused for good.
 *
 * Returns: (transfer full) (nullable): the problem, or %NULL if none
 */
char *
stamp_relay_controller_dup_account_problem (StampRelayController *self,
                                            const char           *address)
{
  JsonObject *account;
  JsonObject *last;
  char *waiting;

  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  account = get_object (get_object (self->status, "accounts"), address);
  if (account != NULL && json_object_get_boolean_member_with_default (account, "stopped", FALSE))
    return g_strdup (json_object_get_string_member_with_default (account, "explanation",
                                                                 _("Delivery has stopped for "
                                                                   "this account")));

  waiting = dup_waiting_problem (self, address);
  if (waiting != NULL)
    return waiting;

  last = get_object (self->status, "last_delivery");
  if (last != NULL && !json_object_get_boolean_member_with_default (last, "ok", TRUE) &&
      is_account_device (self, address,
                         json_object_get_string_member_with_default (last, "device", "")))
    return g_strdup (json_object_get_string_member_with_default (last, "explanation",
                                                                 _("The last message could not "
                                                                   "be delivered")));

  return NULL;
}

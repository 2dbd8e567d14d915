/* stamp-relay-controller.c
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

#include "stamp-application.h"
#include "stamp-relay-controller.h"

/*
 * StampRelayController:
 *
 * The app's side of Stamp Relay, one per application: whether the relay
 * is on and where it listens (GSettings), the devices that send through it
 * (the same file and keyring items as `stamp-cli relay`), and its status.
 *
 * Turned on, the app runs the relay itself; if the port is already served
 * (by the relay service that `stamp-cli relay install-service` set up), it
 * says so and shows that relay's status instead. While the app serves, it
 * stays running with no window (g_application_hold), or inside the Flatpak
 * asks the Background portal to let it.
 *
 * Devices are changed one at a time, each under the device file's edit
 * lock, so that the CLI or another window never loses one.
 */
struct _StampRelayController
{
  GObject                parent_instance;

  /* Owned */
  GSettings             *settings;
  StampRelayDeviceStore *devices;
  JsonObject            *status;
  char                  *problem;
  GQueue                 edits;         /* GTasks waiting for the edit lock */
  GTask                 *editing;       /* the one holding it */

  /* Borrowed */
  StampAccountStore     *accounts;

  StampRelayMode         mode;
  guint                  watchers;
  guint                  poll_id;
};

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_ON_NETWORK,
  PROP_MODE,
  PROP_PROBLEM,
  PROP_PORT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampRelayController, stamp_relay_controller, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define LOOPBACK "127.0.0.1"
#define ANY_ADDRESS "0.0.0.0"
#define POLL_SECONDS 3

static void
set_problem (StampRelayController *self,
             const char           *problem)
{
  if (stamp_set_str (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
set_mode (StampRelayController *self,
          StampRelayMode        mode)
{
  if (self->mode == mode)
    return;

  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

/* Devices */

static void
reload_devices (StampRelayController *self)
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
  StampRelayDevice *device;
  char             *name;
  StampSecret      *password;
} EditState;

static void
edit_state_free (EditState *state)
{
  g_clear_object (&state->device);
  g_free (state->name);
  g_clear_pointer (&state->password, stamp_secret_free);
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
  reload_devices (self);
  g_signal_emit (self, signals[CHANGED], 0);
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
                             _("“%s” was removed, but its password is still in the keyring: %s"),
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
  else
    started = remove_device_begin (self, task, &error);

  if (!started)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      finish_edit (self, task);
    }
}

/* Status */

static void
update_status (StampRelayController *self)
{
  reload_devices (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
poll_cb (gpointer data)
{
  update_status (STAMP_RELAY_CONTROLLER (data));

  return G_SOURCE_CONTINUE;
}

/* Someone watches, and the status comes from a process that sends no
 * signal: read it every few seconds. */
static void
update_polling (StampRelayController *self)
{
  gboolean poll = self->watchers > 0 && self->mode != STAMP_RELAY_MODE_APP;

  if (poll && self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
  else if (!poll)
    g_clear_handle_id (&self->poll_id, g_source_remove);
}

/* Running */

static void
apply_enabled (StampRelayController *self)
{
  if (!g_settings_get_boolean (self->settings, "relay-enabled"))
    {
      set_mode (self, STAMP_RELAY_MODE_OFF);
      set_problem (self, NULL);
    }
  else
    {
      set_mode (self, STAMP_RELAY_MODE_FAILED);
      set_problem (self, _("This version of Stamp cannot run the relay itself yet."));
    }

  update_polling (self);
  update_status (self);
}

static void
settings_changed_cb (StampRelayController *self,
                     const char           *key)
{
  if (g_str_equal (key, "relay-enabled"))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
      apply_enabled (self);
    }
  else if (g_str_equal (key, "relay-listen-address") || g_str_equal (key, "relay-port"))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_NETWORK]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
      /* A running relay moves to the new address. */
      if (g_settings_get_boolean (self->settings, "relay-enabled"))
        apply_enabled (self);
    }
}

static void
stamp_relay_controller_dispose (GObject *object)
{
  StampRelayController *self = (StampRelayController *)object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (stamp_relay_controller_parent_class)->dispose (object);
}

static void
stamp_relay_controller_finalize (GObject *object)
{
  StampRelayController *self = (StampRelayController *)object;

  /* Every edit holds a reference to the controller until it ends. */
  g_assert (self->editing == NULL);
  g_assert (g_queue_is_empty (&self->edits));

  g_clear_object (&self->devices);
  g_clear_pointer (&self->status, json_object_unref);
  g_free (self->problem);

  G_OBJECT_CLASS (stamp_relay_controller_parent_class)->finalize (object);
}

static void
stamp_relay_controller_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  StampRelayController *self = STAMP_RELAY_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, stamp_relay_controller_get_enabled (self));
      break;

    case PROP_ON_NETWORK:
      g_value_set_boolean (value, stamp_relay_controller_get_on_network (self));
      break;

    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    case PROP_PORT:
      g_value_set_int (value, stamp_relay_controller_get_port (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_relay_controller_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  StampRelayController *self = STAMP_RELAY_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      stamp_relay_controller_set_enabled (self, g_value_get_boolean (value));
      break;

    case PROP_ON_NETWORK:
      stamp_relay_controller_set_on_network (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_relay_controller_class_init (StampRelayControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_relay_controller_dispose;
  object_class->finalize = stamp_relay_controller_finalize;
  object_class->get_property = stamp_relay_controller_get_property;
  object_class->set_property = stamp_relay_controller_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ON_NETWORK] =
    g_param_spec_boolean ("on-network", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* A StampRelayMode; a plain int, since the app has no enum types of its own. */
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL,
                      STAMP_RELAY_MODE_OFF, STAMP_RELAY_MODE_FAILED, STAMP_RELAY_MODE_OFF,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PORT] =
    g_param_spec_int ("port", NULL, NULL, 1, 65535, 2525,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StampRelayController::changed:
   *
   * The devices or the relay's status changed: read them again.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
stamp_relay_controller_init (StampRelayController *self)
{
  g_queue_init (&self->edits);
  self->devices = stamp_relay_device_store_new (NULL);
  self->settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  g_signal_connect_swapped (self->settings, "changed",
                            G_CALLBACK (settings_changed_cb), self);
}

/**
 * stamp_relay_controller_new:
 * @accounts: the accounts the relay delivers through
 *
 * Creates the controller and, if the relay was on when the app last ran,
 * starts it.
 *
 * Returns: (transfer full): a new #StampRelayController
 */
StampRelayController *
stamp_relay_controller_new (StampAccountStore *accounts)
{
  StampRelayController *self;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (accounts), NULL);

  self = g_object_new (STAMP_TYPE_RELAY_CONTROLLER, NULL);
  self->accounts = accounts;
  reload_devices (self);
  if (g_settings_get_boolean (self->settings, "relay-enabled"))
    apply_enabled (self);

  return self;
}

gboolean
stamp_relay_controller_get_enabled (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), FALSE);

  return g_settings_get_boolean (self->settings, "relay-enabled");
}

/* The setting is the one state: this writes it, and its change starts or
 * stops the relay. */
void
stamp_relay_controller_set_enabled (StampRelayController *self,
                                    gboolean              enabled)
{
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));

  g_settings_set_boolean (self->settings, "relay-enabled", enabled);
}

/**
 * stamp_relay_controller_get_on_network:
 *
 * Returns: whether devices on the local network can reach the relay; if
 *   not, it listens only on this computer (loopback), the default
 */
gboolean
stamp_relay_controller_get_on_network (StampRelayController *self)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), FALSE);

  address = g_settings_get_string (self->settings, "relay-listen-address");

  return !stamp_host_is_loopback (address);
}

void
stamp_relay_controller_set_on_network (StampRelayController *self,
                                       gboolean              on_network)
{
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));

  if (on_network == stamp_relay_controller_get_on_network (self))
    return;

  g_settings_set_string (self->settings, "relay-listen-address",
                         on_network ? ANY_ADDRESS : LOOPBACK);
}

StampRelayMode
stamp_relay_controller_get_mode (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), STAMP_RELAY_MODE_OFF);

  return self->mode;
}

/**
 * stamp_relay_controller_get_problem:
 *
 * Returns: (nullable): why the relay could not start, in plain words
 */
const char *
stamp_relay_controller_get_problem (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);

  return self->problem;
}

int
stamp_relay_controller_get_port (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), 0);

  return g_settings_get_int (self->settings, "relay-port");
}

/**
 * stamp_relay_controller_dup_server:
 *
 * Returns: (transfer full): the server name a device is given: this
 *   computer's address on the local network when the relay listens there,
 *   else the loopback address
 */
char *
stamp_relay_controller_dup_server (StampRelayController *self)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);

  address = g_settings_get_string (self->settings, "relay-listen-address");
  if (g_str_equal (address, ANY_ADDRESS))
    return g_strdup (g_get_host_name ());

  return g_steal_pointer (&address);
}

/**
 * stamp_relay_controller_get_devices:
 *
 * Returns: (transfer none): the devices, all accounts', as last read
 */
StampRelayDeviceStore *
stamp_relay_controller_get_devices (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);

  return self->devices;
}

/**
 * stamp_relay_controller_get_status:
 *
 * Returns: (nullable) (transfer none): the spool's status as last read
 *   (see stamp_relay_spool_read_status()), or %NULL before it was
 */
JsonObject *
stamp_relay_controller_get_status (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);

  return self->status;
}

/**
 * stamp_relay_controller_watch:
 *
 * Says that something shows the status, so that it is kept fresh: a relay
 * the app runs says when it changes; the service's is read every few
 * seconds. Undo with stamp_relay_controller_unwatch().
 */
void
stamp_relay_controller_watch (StampRelayController *self)
{
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));

  self->watchers++;
  update_polling (self);
  update_status (self);
}

void
stamp_relay_controller_unwatch (StampRelayController *self)
{
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (self->watchers > 0);

  self->watchers--;
  update_polling (self);
}

/**
 * stamp_relay_controller_refresh:
 *
 * Reads the devices and the status again now.
 */
void
stamp_relay_controller_refresh (StampRelayController *self)
{
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));

  update_status (self);
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
  GTask *task;
  EditState *state;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (device));

  state = g_new0 (EditState, 1);
  state->device = g_object_ref (device);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_relay_controller_add_device_async);
  g_task_set_task_data (task, state, (GDestroyNotify) edit_state_free);

  g_queue_push_tail (&self->edits, task);
  start_next_edit (self);
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
  GTask *task;
  EditState *state;

  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (self));
  g_return_if_fail (name != NULL);

  state = g_new0 (EditState, 1);
  state->name = g_strdup (name);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_relay_controller_remove_device_async);
  g_task_set_task_data (task, state, (GDestroyNotify) edit_state_free);

  g_queue_push_tail (&self->edits, task);
  start_next_edit (self);
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

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

#include <string.h>

#include <glib/gi18n.h>

#include "stamp-application.h"
#include "stamp-relay-controller-private.h"

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

void
_stamp_relay_controller_set_problem (StampRelayController *self,
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

void
_stamp_relay_controller_emit_changed (StampRelayController *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Status */

static void apply_enabled (StampRelayController *self);
static void update_status (StampRelayController *self);

static gboolean
status_lists_listener (JsonObject *status)
{
  return status != NULL && json_object_has_member (status, "listening") &&
         json_array_get_length (json_object_get_array_member (status, "listening")) > 0;
}

typedef struct
{
  JsonObject *status;
  GPtrArray  *queued;  /* StampRelayEntry */
} StatusSnapshot;

static void
status_snapshot_free (StatusSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->status, json_object_unref);
  g_clear_pointer (&snapshot->queued, g_ptr_array_unref);
  g_free (snapshot);
}

static void
status_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  StampRelayController *self = STAMP_RELAY_CONTROLLER (object);
  g_autoptr(GError) error = NULL;
  StatusSnapshot *snapshot;
  JsonObject *status;

  self->reading_status = FALSE;
  snapshot = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (snapshot == NULL)
    g_debug ("Reading the relay's status: %s", error->message);

  g_clear_pointer (&self->status, json_object_unref);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  if (snapshot != NULL)
    {
      self->status = g_steal_pointer (&snapshot->status);
      self->queued = g_steal_pointer (&snapshot->queued);
      status_snapshot_free (snapshot);
    }
  status = self->status;

  /* The port was taken: by the relay service, which then says in the
   * spool's status that it listens, or by some other program. A status
   * read before the relay last started or stopped says nothing of who
   * serves now. */
  if (self->read_serial != self->apply_serial)
    {
      self->read_again = TRUE;
    }
  else if (self->mode == STAMP_RELAY_MODE_SERVICE && !status_lists_listener (status))
    {
      if (!g_settings_get_boolean (self->settings, "relay-enabled"))
        {
          /* The service stopped, and the app was not asked to serve. */
          set_mode (self, STAMP_RELAY_MODE_OFF);
        }
      else if (!self->took_over)
        {
          /* The service stopped: the app serves in its place, once. */
          self->took_over = TRUE;
          apply_enabled (self);
        }
      else
        {
          g_autofree char *problem =
            g_strdup_printf (_("Another program already uses port %d, so the relay cannot "
                               "start there."), stamp_relay_controller_get_port (self));

          set_mode (self, STAMP_RELAY_MODE_FAILED);
          _stamp_relay_controller_set_problem (self, problem);
        }
    }
  else if (self->mode == STAMP_RELAY_MODE_FAILED && status_lists_listener (status))
    {
      self->took_over = FALSE;
      set_mode (self, STAMP_RELAY_MODE_SERVICE);
      _stamp_relay_controller_set_problem (self, NULL);
    }
  else if (self->mode == STAMP_RELAY_MODE_OFF && self->relay == NULL &&
           status_lists_listener (status))
    {
      set_mode (self, STAMP_RELAY_MODE_SERVICE);
    }

  _stamp_relay_controller_reload_devices (self);
  g_signal_emit (self, signals[CHANGED], 0);

  if (self->read_again)
    {
      self->read_again = FALSE;
      update_status (self);
    }
}

/* The status file, and the waiting messages: a temporary failure is
 * kept with its message, not in the status file. */
static void
read_status_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  StatusSnapshot *snapshot = g_new0 (StatusSnapshot, 1);
  g_autoptr(GError) list_error = NULL;
  GError *error = NULL;

  snapshot->status = stamp_relay_spool_read_status (task_data, &error);
  if (snapshot->status == NULL)
    {
      status_snapshot_free (snapshot);
      g_task_return_error (task, error);
      return;
    }

  /* No spool folder yet: nothing waits. */
  snapshot->queued = stamp_relay_spool_list (task_data, STAMP_RELAY_ENTRY_QUEUED, &list_error);
  if (snapshot->queued == NULL)
    snapshot->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) stamp_relay_entry_free);

  g_task_return_pointer (task, snapshot, (GDestroyNotify) status_snapshot_free);
}

/* The spool's status is read in a worker thread (it counts files); one
 * read at a time, and one more if asked meanwhile. */
static void
update_status (StampRelayController *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->reading_status)
    {
      self->read_again = TRUE;
      return;
    }

  self->reading_status = TRUE;
  self->read_serial = self->apply_serial;
  task = g_task_new (self, self->status_cancellable, status_read_cb, NULL);
  g_task_set_source_tag (task, update_status);
  g_task_set_task_data (task, g_object_ref (self->spool), g_object_unref);
  g_task_run_in_thread (task, read_status_thread);
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
relay_log_cb (StampRelayController *self,
              const char           *line)
{
  g_debug ("%s", line);
}

/* Delivery through an account stopped until someone signs in again:
 * nobody may be looking at the Devices window, so the desktop says it,
 * with the button that fixes it. */
static void
account_stopped_cb (StampRelayController *self,
                    const char           *address,
                    const char           *explanation)
{
  GApplication *application = g_application_get_default ();
  g_autofree char *title = NULL;

  if (!STAMP_IS_APPLICATION (application))
    return;

  title = g_strdup_printf (_("Stamp Relay cannot deliver for %s"), address);
  stamp_application_notify_sign_in_problem (STAMP_APPLICATION (application),
                                            STAMP_SIGN_IN_NOTIFICATION_RELAY,
                                            address, title, explanation);
}

static void
stop_relay (StampRelayController *self)
{
  if (self->relay != NULL)
    {
      g_signal_handlers_disconnect_by_data (stamp_relay_get_queue (self->relay), self);
      g_signal_handlers_disconnect_by_data (self->relay, self);
      stamp_relay_stop (self->relay);
      g_clear_object (&self->relay);
    }

  _stamp_relay_controller_keep_running (self, FALSE);
}

/* HOST:PORT, with an IPv6 address in brackets. */
static char *
dup_listen (StampRelayController *self)
{
  g_autofree char *address = g_settings_get_string (self->settings, "relay-listen-address");
  int port = g_settings_get_int (self->settings, "relay-port");

  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", address, port);

  return g_strdup_printf ("%s:%d", address, port);
}

/* Starts or stops the relay as the settings say, and on a port another
 * relay already serves, shows that one instead. */
static void
apply_enabled (StampRelayController *self)
{
  g_autoptr(StampRelayDeviceStore) relay_devices = NULL;
  g_autoptr(StampRelay) relay = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;

  stop_relay (self);
  self->apply_serial++;

  if (!g_settings_get_boolean (self->settings, "relay-enabled"))
    {
      self->took_over = FALSE;
      set_mode (self, STAMP_RELAY_MODE_OFF);
      _stamp_relay_controller_set_problem (self, NULL);
      update_polling (self);
      update_status (self);
      return;
    }

  /* The relay reads the device file again whenever it changes, into a
   * store of its own: the window's store holds a device being added
   * before it is saved. */
  listen = dup_listen (self);
  relay_devices = stamp_relay_device_store_new (NULL);
  relay = stamp_relay_new (self->accounts, relay_devices, stamp_secret_store_get_default (),
                           self->spool);
  if (stamp_relay_add_listen (relay, listen, &error) && stamp_relay_start (relay, &error))
    {
      self->relay = g_steal_pointer (&relay);
      g_signal_connect_swapped (self->relay, "changed", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (self->relay, "log", G_CALLBACK (relay_log_cb), self);
      g_signal_connect_swapped (stamp_relay_get_queue (self->relay), "account-stopped",
                                G_CALLBACK (account_stopped_cb), self);
      _stamp_relay_controller_keep_running (self, TRUE);
      self->took_over = FALSE;
      set_mode (self, STAMP_RELAY_MODE_APP);
      _stamp_relay_controller_set_problem (self, NULL);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    {
      set_mode (self, STAMP_RELAY_MODE_SERVICE);
      _stamp_relay_controller_set_problem (self, NULL);
    }
  else
    {
      g_autofree char *problem =
        g_strdup_printf (_("The relay could not start on %s: %s"), listen, error->message);

      set_mode (self, STAMP_RELAY_MODE_FAILED);
      _stamp_relay_controller_set_problem (self, problem);
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
  g_cancellable_cancel (self->status_cancellable);
  stop_relay (self);
  _stamp_relay_controller_forget_background (self);
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
  g_clear_object (&self->spool);
  g_clear_object (&self->status_cancellable);
  g_clear_pointer (&self->status, json_object_unref);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
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
  self->spool = stamp_relay_spool_new (NULL);
  self->status_cancellable = g_cancellable_new ();
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
  _stamp_relay_controller_reload_devices (self);
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
    {
      char *lan = stamp_net_dup_lan_address ();

      /* No network but this computer's own: its name is the best guess. */
      return lan != NULL ? lan : g_strdup (g_get_host_name ());
    }

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
 * stamp_relay_controller_get_queued:
 *
 * Returns: (nullable) (transfer none) (element-type StampRelayEntry): the
 *   messages waiting in the spool, all accounts', oldest first, as last
 *   read, each with the explanation of its last failed attempt if any
 */
GPtrArray *
stamp_relay_controller_get_queued (StampRelayController *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (self), NULL);

  return self->queued;
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


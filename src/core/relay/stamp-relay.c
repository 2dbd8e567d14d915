/* stamp-relay.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-auth-enums.h"
#include "stamp-credentials.h"
#include "stamp-error.h"
#include "stamp-relay-certificate.h"
#include "stamp-relay-private.h"
#include "stamp-tls-session.h"
#include "stamp-util.h"

/* After the device file changes, wait this long for the writes to settle. */
#define RELOAD_DELAY_MS 100

/*
 * StampRelay:
 *
 * Stamp Relay as one object, for `stamp-cli relay serve` and for the app:
 * the listener and its submission sessions (stamp-relay-handler.c holds
 * their rules), the devices and their passwords, the spool every accepted
 * message is committed to before the device hears 250, and the queue that
 * delivers from it. Device passwords are read from the keyring at start
 * and again whenever the device file changes, so a sign-in never waits on
 * the keyring; the connection threads see the devices through a snapshot
 * that is replaced whole.
 */

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  LOG,
  CHANGED,
  SIGN_IN_WARNING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StampRelay, stamp_relay, G_TYPE_OBJECT)

typedef struct
{
  StampRelay *relay;
  char       *line;
} LogState;

static gboolean
emit_log_cb (gpointer data)
{
  LogState *state = data;

  if (state->line != NULL)
    g_signal_emit (state->relay, signals[LOG], 0, state->line);
  else
    g_signal_emit (state->relay, signals[CHANGED], 0);

  g_object_unref (state->relay);
  g_free (state->line);
  g_free (state);

  return G_SOURCE_REMOVE;
}

/* Any thread: the signal is emitted on the relay's main context. */
void
_stamp_relay_log (StampRelay *self,
                  const char *client_ip,
                  const char *device,
                  const char *event)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  LogState *state = g_new0 (LogState, 1);

  state->relay = g_object_ref (self);
  /* Translators: a log line: time, the client's address, the device, what happened */
  state->line = g_strdup_printf (_("%s client %s device %s: %s"), when,
                                 client_ip != NULL ? client_ip : "-",
                                 device != NULL ? device : "-", event);
  g_main_context_invoke (self->context, emit_log_cb, state);
}

void
_stamp_relay_changed (StampRelay *self)
{
  LogState *state = g_new0 (LogState, 1);

  state->relay = g_object_ref (self);
  g_main_context_invoke (self->context, emit_log_cb, state);
}

typedef struct
{
  StampRelay *relay;
  char       *user;
  guint       generation;
} LookupState;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupState *state = user_data;
  StampRelay *self = state->relay;
  g_autoptr(GError) error = NULL;
  char *password;

  password = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);
  if (password == NULL && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _stamp_relay_log (self, NULL, NULL, error->message);

  g_mutex_lock (&self->lock);
  if (password != NULL)
    g_hash_table_insert (self->passwords, g_strdup (state->user), password);
  self->pending_lookups--;
  g_cond_broadcast (&self->loaded);
  g_mutex_unlock (&self->lock);

  g_object_unref (state->relay);
  g_free (state->user);
  g_free (state);
}

/* Reads the device file again, then every device's password. */
static void
load_devices (StampRelay *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) old_rules = NULL;
  GPtrArray *rules;

  if (!stamp_relay_device_store_load (self->devices, &error))
    {
      _stamp_relay_log (self, NULL, NULL, error->message);
      return;
    }

  rules = _stamp_relay_build_rules (self->devices, self->accounts);

  g_cancellable_cancel (self->lookups);
  g_clear_object (&self->lookups);
  self->lookups = g_cancellable_new ();

  g_mutex_lock (&self->lock);
  old_rules = g_steal_pointer (&self->rules);
  self->rules = rules;
  /* Those of removed devices go now; the others stay usable until the
   * keyring answers again. */
  {
    GHashTableIter iter;
    const char *user;

    g_hash_table_iter_init (&iter, self->passwords);
    while (g_hash_table_iter_next (&iter, (gpointer *) &user, NULL))
      {
        gboolean present = FALSE;

        for (guint i = 0; i < rules->len && !present; i++)
          {
            StampRelayRule *rule = g_ptr_array_index (rules, i);

            present = g_strcmp0 (stamp_relay_device_get_user (rule->device), user) == 0;
          }
        if (!present)
          g_hash_table_iter_remove (&iter);
      }
  }
  self->pending_lookups += rules->len;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < rules->len; i++)
    {
      StampRelayRule *rule = g_ptr_array_index (rules, i);
      g_autofree char *key = stamp_relay_device_get_secret_key (rule->device);
      LookupState *state = g_new0 (LookupState, 1);

      state->relay = g_object_ref (self);
      state->user = g_strdup (stamp_relay_device_get_user (rule->device));
      stamp_secret_store_lookup_async (self->secrets, key, STAMP_SECRET_RELAY_DEVICE,
                                       self->lookups, lookup_cb, state);
    }

  _stamp_relay_changed (self);
}

static gboolean
reload_cb (gpointer user_data)
{
  StampRelay *self = user_data;

  self->reload_source = 0;
  load_devices (self);

  {
    g_autoptr(GString) names = g_string_new (NULL);
    GPtrArray *devices = stamp_relay_device_store_get_devices (self->devices);
    g_autofree char *event = NULL;

    for (guint i = 0; i < devices->len; i++)
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                              stamp_relay_device_get_name (g_ptr_array_index (devices, i)));
    event = g_strdup_printf (_("the device list changed; devices now: %s"),
                             devices->len > 0 ? names->str : _("none"));

    _stamp_relay_log (self, NULL, NULL, event);
  }

  return G_SOURCE_REMOVE;
}

static void
devices_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  StampRelay *self = user_data;

  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

/* Takes @event. */
static void
log_entry (StampRelay            *self,
           const StampRelayEntry *entry,
           char                  *event)
{
  _stamp_relay_log (self, entry->client_ip, entry->device, event);
  _stamp_relay_changed (self);
  g_free (event);
}

static void
delivered_cb (StampRelayQueue *queue,
              gpointer         entry,
              const char      *reply,
              StampRelay      *self)
{
  log_entry (self, entry, g_strdup_printf (_("delivered %s: %s"),
                                           ((StampRelayEntry *) entry)->id, reply));
}

static void
deferred_cb (StampRelayQueue *queue,
             gpointer         entry,
             const char      *explanation,
             StampRelay      *self)
{
  log_entry (self, entry, g_strdup_printf (_("%s will be tried again: %s"),
                                           ((StampRelayEntry *) entry)->id, explanation));
}

static void
held_cb (StampRelayQueue *queue,
         gpointer         entry,
         const char      *explanation,
         StampRelay      *self)
{
  log_entry (self, entry, g_strdup_printf (_("%s is held, not delivered: %s"),
                                           ((StampRelayEntry *) entry)->id, explanation));
}

static void
account_stopped_cb (StampRelayQueue *queue,
                    const char      *address,
                    const char      *explanation,
                    StampRelay      *self)
{
  g_autofree char *event = NULL;

  event = g_strdup_printf (_("delivery for %s stopped: %s"), address, explanation);

  _stamp_relay_log (self, NULL, NULL, event);
  _stamp_relay_changed (self);
}

/* Keep-alive */

static void
sign_in_warning_cb (StampSignInKeeper *keeper,
                    StampAccount      *account,
                    StampSignInState   state,
                    const char        *text,
                    StampRelay        *self)
{
  const char *address = stamp_account_get_address (account);
  g_autofree char *event = NULL;

  /* Translators: a log line's event: an account's address, then its sign-in in words */
  event = g_strdup_printf (_("sign-in of %s: %s"), address, text);
  _stamp_relay_log (self, NULL, NULL, event);
  g_signal_emit (self, signals[SIGN_IN_WARNING], 0, address, state, text);
}

static void
sign_in_refreshed_cb (StampSignInKeeper *keeper,
                      StampAccount      *account,
                      StampRelay        *self)
{
  g_autofree char *event = NULL;

  event = g_strdup_printf (_("refreshed the sign-in of %s, so that it does not lapse"),
                           stamp_account_get_address (account));
  _stamp_relay_log (self, NULL, NULL, event);
}

static void
stop_keeper (StampRelay *self)
{
  if (self->keeper == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->keeper, self);
  stamp_sign_in_keeper_stop (self->keeper);
  g_clear_object (&self->keeper);
}

static void
stamp_relay_dispose (GObject *object)
{
  StampRelay *self = (StampRelay *)object;

  stamp_relay_stop (self);
  g_clear_handle_id (&self->reload_source, g_source_remove);

  G_OBJECT_CLASS (stamp_relay_parent_class)->dispose (object);
}

static void
stamp_relay_finalize (GObject *object)
{
  StampRelay *self = (StampRelay *)object;

  g_clear_object (&self->accounts);
  g_clear_object (&self->devices);
  g_clear_object (&self->secrets);
  g_clear_object (&self->spool);
  g_clear_object (&self->queue);
  g_clear_object (&self->keeper);
  g_clear_object (&self->listener);
  g_clear_object (&self->lookups);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->listen, g_ptr_array_unref);
  g_clear_pointer (&self->cert_file, g_free);
  g_clear_pointer (&self->key_file, g_free);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->passwords, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->loaded);

  G_OBJECT_CLASS (stamp_relay_parent_class)->finalize (object);
}

static void
stamp_relay_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StampRelay *self = STAMP_RELAY (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_relay_class_init (StampRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_relay_dispose;
  object_class->finalize = stamp_relay_finalize;
  object_class->get_property = stamp_relay_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StampRelay::log:
   * @self: the relay
   * @line: one line, with the time, the client's address and the device
   *
   * One line per accepted message, per refused attempt and per delivery
   * result. It never holds a secret.
   */
  signals[LOG] = g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                               NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * StampRelay::changed:
   * @self: the relay
   *
   * The status changed: a message was accepted or delivered, the devices
   * changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * StampRelay::sign-in-warning:
   * @self: the relay
   * @address: the account
   * @state: its #StampSignInState (expiring, lapsed, failed…)
   * @text: the state in words
   *
   * With keep-alive, an account's sign-in will lapse or has failed: a
   * person must act. Once per account and state while the relay runs.
   */
  signals[SIGN_IN_WARNING] = g_signal_new ("sign-in-warning", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                           3, G_TYPE_STRING, STAMP_TYPE_SIGN_IN_STATE,
                                           G_TYPE_STRING);
}

static void
stamp_relay_init (StampRelay *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->loaded);
  self->context = g_main_context_ref_thread_default ();
  self->listen = g_ptr_array_new_with_free_func (g_free);
  self->rules = g_ptr_array_new ();
  self->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) stamp_secret_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  self->listener = stamp_relay_listener_new (&_stamp_relay_handler, self);
}

/**
 * stamp_relay_new:
 * @accounts: the accounts the devices send through
 * @devices: the device registry; read again at start and on changes
 * @secrets: the keyring that holds the devices' passwords
 * @spool: where accepted messages are kept
 *
 * Returns: (transfer full): a relay, not yet running
 */
StampRelay *
stamp_relay_new (StampAccountStore     *accounts,
                 StampRelayDeviceStore *devices,
                 StampSecretStore      *secrets,
                 StampRelaySpool       *spool)
{
  StampRelay *self;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (devices), NULL);
  g_return_val_if_fail (STAMP_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (spool), NULL);

  self = g_object_new (STAMP_TYPE_RELAY, NULL);
  self->accounts = g_object_ref (accounts);
  self->devices = g_object_ref (devices);
  self->secrets = g_object_ref (secrets);
  self->spool = g_object_ref (spool);

  return self;
}

/**
 * stamp_relay_add_listen:
 * @self: a #StampRelay, not running
 * @host_port: "HOST:PORT" or "[IPv6]:PORT"
 * @error: return location for a #GError
 *
 * Errors: %STAMP_ERROR_INVALID_INPUT, with words that say what is wrong.
 *
 * Returns: %TRUE when @host_port is understood
 */
gboolean
stamp_relay_add_listen (StampRelay  *self,
                        const char  *host_port,
                        GError     **error)
{
  g_return_val_if_fail (STAMP_IS_RELAY (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!stamp_relay_listener_add_address (self->listener, host_port, error))
    return FALSE;

  g_ptr_array_add (self->listen, g_strdup (host_port));
  return TRUE;
}

void
stamp_relay_set_tls_files (StampRelay *self,
                           const char *cert_file,
                           const char *key_file)
{
  g_return_if_fail (STAMP_IS_RELAY (self));
  g_return_if_fail ((cert_file == NULL) == (key_file == NULL));

  stamp_set_str (&self->cert_file, cert_file);
  stamp_set_str (&self->key_file, key_file);
}

/**
 * stamp_relay_get_queue:
 * @self: a #StampRelay
 *
 * Returns: (transfer none) (nullable): the delivery queue, once started;
 *   its pacing and retry settings may be changed then
 */
StampRelayQueue *
stamp_relay_get_queue (StampRelay *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY (self), NULL);

  return self->queue;
}

/**
 * stamp_relay_start:
 * @self: a #StampRelay
 * @error: return location for a #GError
 *
 * Opens the spool, makes the certificate the first time, reads the devices
 * and their passwords, binds every listen address (127.0.0.1:2525 when
 * none was given) and starts delivering.
 *
 * Errors: %G_IO_ERROR_ADDRESS_IN_USE when another relay (the service or
 * the app) already serves a port; the spool's or the certificate's
 * errors; %STAMP_ERROR_INVALID_INPUT for TLS files that cannot be read.
 *
 * Returns: %TRUE when running
 */
gboolean
stamp_relay_start (StampRelay  *self,
                   GError     **error)
{
  g_auto(GStrv) listening = NULL;
  g_autoptr(StampCredentials) credentials = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY (self), FALSE);

  if (self->running)
    return TRUE;

  if (self->listen->len == 0 && !stamp_relay_add_listen (self, STAMP_RELAY_DEFAULT_LISTEN, error))
    return FALSE;

  if (self->cert_file != NULL)
    {
      cert = g_strdup (self->cert_file);
      key = g_strdup (self->key_file);
    }
  else if (!stamp_relay_certificate_ensure (NULL, &cert, &key, error))
    return FALSE;

  /* A certificate that cannot be read is found now, not at a device's
   * first STARTTLS. */
  {
    g_autoptr(StampTlsSession) check = NULL;

    check = stamp_tls_session_new_server (cert, key, STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3,
                                          error);
    if (check == NULL)
      return FALSE;
  }
  stamp_relay_listener_set_tls_files (self->listener, cert, key);

  /* The ports first: a second relay that finds them taken must leave the
   * spool, and the status of the relay that runs, alone. No connection is
   * taken before this returns to the main loop. */
  if (!stamp_relay_listener_start (self->listener, error))
    return FALSE;

  if (!stamp_relay_spool_open (self->spool, error))
    {
      stamp_relay_listener_stop (self->listener);
      return FALSE;
    }

  load_devices (self);

  credentials = stamp_credentials_new (self->secrets);
  g_clear_object (&self->queue);
  self->queue = stamp_relay_queue_new (self->spool, self->accounts, credentials);
  g_signal_connect_object (self->queue, "delivered", G_CALLBACK (delivered_cb), self, 0);
  g_signal_connect_object (self->queue, "deferred", G_CALLBACK (deferred_cb), self, 0);
  g_signal_connect_object (self->queue, "held", G_CALLBACK (held_cb), self, 0);
  g_signal_connect_object (self->queue, "account-stopped", G_CALLBACK (account_stopped_cb),
                           self, 0);

  if (self->keep_sign_ins_alive)
    {
      self->keeper = stamp_sign_in_keeper_new (G_LIST_MODEL (self->accounts), credentials);
      g_signal_connect_object (self->keeper, "warning", G_CALLBACK (sign_in_warning_cb), self, 0);
      g_signal_connect_object (self->keeper, "refreshed", G_CALLBACK (sign_in_refreshed_cb),
                               self, 0);
    }

  if (self->max_per_minute > 0)
    stamp_relay_queue_set_max_per_minute (self->queue, self->max_per_minute);
  if (self->first_retry > 0)
    stamp_relay_queue_set_first_retry (self->queue, self->first_retry);

  listening = stamp_relay_listener_dup_listening (self->listener);
  stamp_relay_spool_set_listening (self->spool, (const char * const *) listening);
  stamp_relay_queue_start (self->queue);

  file = g_file_new_for_path (stamp_relay_device_store_get_path (self->devices));
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (devices_changed_cb), self);

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (self->keeper != NULL)
    stamp_sign_in_keeper_start (self->keeper);

  return TRUE;
}

/**
 * stamp_relay_stop:
 * @self: a #StampRelay
 *
 * Stops listening (sessions under way are told 421), stops delivery and
 * says in the spool's status that no relay listens.
 */
void
stamp_relay_stop (StampRelay *self)
{
  const char * const none[] = { NULL };

  g_return_if_fail (STAMP_IS_RELAY (self));

  if (!self->running)
    return;

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, devices_changed_cb, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_cancellable_cancel (self->lookups);
  stop_keeper (self);

  stamp_relay_listener_stop (self->listener);
  stamp_relay_queue_stop (self->queue);
  stamp_relay_spool_set_listening (self->spool, none);
  stamp_relay_spool_close (self->spool);

  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
stamp_relay_get_running (StampRelay *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY (self), FALSE);

  return self->running;
}

/**
 * stamp_relay_dup_listening:
 * @self: a #StampRelay
 *
 * Returns: (transfer full): the addresses bound, "HOST:PORT" with the
 *   port a 0 asked for resolved; empty when not running
 */
GStrv
stamp_relay_dup_listening (StampRelay *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY (self), NULL);

  return stamp_relay_listener_dup_listening (self->listener);
}

/**
 * stamp_relay_set_timeouts:
 * @self: a #StampRelay
 * @command_ms: the deadline of one command (60 s by default)
 * @data_ms: the deadline of a whole message (5 minutes by default)
 */
void
stamp_relay_set_timeouts (StampRelay *self,
                          guint       command_ms,
                          guint       data_ms)
{
  g_return_if_fail (STAMP_IS_RELAY (self));

  stamp_relay_listener_set_timeouts (self->listener, command_ms, data_ms);
}

/**
 * stamp_relay_set_limits:
 * @self: a #StampRelay
 * @max_connections: connections at once (256 by default)
 * @max_per_ip: connections at once from one address (20 by default)
 */
void
stamp_relay_set_limits (StampRelay *self,
                        guint       max_connections,
                        guint       max_per_ip)
{
  g_return_if_fail (STAMP_IS_RELAY (self));

  stamp_relay_listener_set_limits (self->listener, max_connections, max_per_ip);
}

/**
 * stamp_relay_set_max_message_size:
 * @self: a #StampRelay
 * @max_size: the largest message taken (EHLO's SIZE), 35 MB by default,
 *   the most Microsoft 365 takes
 */
void
stamp_relay_set_max_message_size (StampRelay *self,
                                  guint64     max_size)
{
  g_return_if_fail (STAMP_IS_RELAY (self));

  stamp_relay_listener_set_max_message_size (self->listener, max_size);
}

/**
 * stamp_relay_set_delivery_pace:
 * @self: a #StampRelay
 * @max_per_minute: messages a minute per account, %STAMP_RELAY_QUEUE_UNPACED
 *   for none, or 0 for the provider's limit
 * @first_retry: seconds before the first retry after a temporary failure,
 *   or 0 for the queue's default
 *
 * Set before stamp_relay_start(), so that no message leaves at another pace.
 */
void
stamp_relay_set_delivery_pace (StampRelay *self,
                               guint       max_per_minute,
                               guint       first_retry)
{
  g_return_if_fail (STAMP_IS_RELAY (self));

  self->max_per_minute = max_per_minute;
  self->first_retry = first_retry;
}

/**
 * stamp_relay_set_keep_sign_ins_alive:
 * @self: a #StampRelay, not yet running
 * @keep_alive: whether the relay keeps its accounts' sign-ins alive
 *
 * A relay that runs alone (`stamp-cli relay serve`, the service) is often
 * the only thing that uses its accounts: it refreshes their OAuth sign-ins
 * well inside the provider's inactivity window, logs each refresh and
 * each warning, and emits #StampRelay::sign-in-warning. The app does this
 * for all its accounts already, so its relay leaves it off.
 */
void
stamp_relay_set_keep_sign_ins_alive (StampRelay *self,
                                     gboolean    keep_alive)
{
  g_return_if_fail (STAMP_IS_RELAY (self));

  self->keep_sign_ins_alive = !!keep_alive;
}

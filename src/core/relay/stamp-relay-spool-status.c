/* stamp-relay-spool-status.c
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

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "stamp-relay-spool-private.h"

/* status.json: per-device counts of the day, the last delivery, the
 * accounts whose delivery stopped, and where the relay listens with the
 * pid of the process that does, so `relay status` in another process can
 * tell whether a relay runs. The writer keeps the object in memory and
 * rewrites the file on each change; readers only read it. */

/* Status */

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

JsonObject *
_stamp_relay_ensure_object_member (JsonObject *object,
                      const char *name)
{
  if (!json_object_has_member (object, name)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    json_object_set_object_member (object, name, json_object_new ());
  return json_object_get_object_member (object, name);
}

/* The device's counters, started again when the day changed. */
JsonObject *
_stamp_relay_spool_device_counters_locked (StampRelaySpool *self,
                 const char      *device)
{
  JsonObject *devices = _stamp_relay_ensure_object_member (self->status, "devices");
  JsonObject *counters = _stamp_relay_ensure_object_member (devices, device != NULL ? device : "");
  g_autofree char *day = today ();

  if (g_strcmp0 (json_object_get_string_member_with_default (counters, "day", NULL), day) != 0)
    {
      json_object_set_string_member (counters, "day", day);
      json_object_set_int_member (counters, "accepted_today", 0);
      json_object_set_int_member (counters, "delivered_today", 0);
    }
  return counters;
}

void
_stamp_relay_count_up (JsonObject *counters,
          const char *name)
{
  json_object_set_int_member (counters, name,
                              json_object_get_int_member_with_default (counters, name, 0) + 1);
}

/* Called with the lock held. Status is a convenience for `relay status`,
 * not a record of mail, so a failed write is only logged. */
void
_stamp_relay_spool_save_status_locked (StampRelaySpool *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  json_object_set_int_member (self->status, "version", STATUS_VERSION);
  json_node_set_object (root, self->status);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (!_stamp_relay_write_file_atomic (self->status_path, text, FALSE, &error))
    g_message ("Relay status not saved: %s", error->message);
}

void
_stamp_relay_spool_set_last_delivery_locked (StampRelaySpool       *self,
                          const StampRelayEntry *entry,
                          gboolean               ok,
                          const char            *text)
{
  JsonObject *last = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  json_object_set_string_member (last, "id", entry->id);
  json_object_set_string_member (last, "device", entry->device != NULL ? entry->device : "");
  json_object_set_string_member (last, "at", at);
  json_object_set_boolean_member (last, "ok", ok);
  json_object_set_string_member (last, ok ? "reply" : "explanation", text != NULL ? text : "");
  json_object_set_object_member (self->status, "last_delivery", last);
}

JsonObject *
_stamp_relay_load_status_file (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Status */

/**
 * stamp_relay_spool_set_listening:
 * @self: a spool
 * @addresses: (nullable) (array zero-terminated=1): where the relay
 *   listens; %NULL or empty when it stopped
 *
 * Records the addresses with this process's id, so a reader can tell
 * whether a relay runs.
 */
void
stamp_relay_spool_set_listening (StampRelaySpool    *self,
                                 const char * const *addresses)
{
  JsonArray *array;

  g_return_if_fail (STAMP_IS_RELAY_SPOOL (self));

  array = json_array_new ();
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    json_array_add_string_element (array, addresses[i]);

  g_mutex_lock (&self->lock);
  json_object_set_array_member (self->status, "listening", array);
  json_object_set_int_member (self->status, "pid", getpid ());
  _stamp_relay_spool_save_status_locked (self);
  g_mutex_unlock (&self->lock);
}

/**
 * stamp_relay_spool_set_account_state:
 * @self: a spool
 * @account: the account's address
 * @stopped: whether delivery for the account stopped
 * @explanation: (nullable): why, in plain words
 */
void
stamp_relay_spool_set_account_state (StampRelaySpool *self,
                                     const char      *account,
                                     gboolean         stopped,
                                     const char      *explanation)
{
  JsonObject *accounts;
  JsonObject *state;

  g_return_if_fail (STAMP_IS_RELAY_SPOOL (self));
  g_return_if_fail (account != NULL);

  g_mutex_lock (&self->lock);
  accounts = _stamp_relay_ensure_object_member (self->status, "accounts");
  state = json_object_new ();
  json_object_set_boolean_member (state, "stopped", stopped);
  if (explanation != NULL)
    json_object_set_string_member (state, "explanation", explanation);
  json_object_set_object_member (accounts, account, state);
  _stamp_relay_spool_save_status_locked (self);
  g_mutex_unlock (&self->lock);
}

static gboolean
process_is_alive (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

static guint
count_entries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_str_has_suffix (name, ".json"))
      count++;
  return count;
}

/**
 * stamp_relay_spool_read_status:
 * @self: a spool
 * @error: return location for a #GError
 *
 * Reads status.json and counts queue/ and held/; works while another
 * process serves, and without stamp_relay_spool_open(). See the header for
 * the members.
 *
 * Returns: (transfer full): the status
 */
JsonObject *
stamp_relay_spool_read_status (StampRelaySpool  *self,
                               GError          **error)
{
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autofree char *day = today ();
  JsonObject *status;
  JsonObject *devices;
  JsonObject *stored_devices;
  JsonArray *listening;
  GList *names;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);

  stored = _stamp_relay_load_status_file (self->status_path);
  if (stored == NULL)
    stored = json_object_new ();

  status = json_object_new ();
  json_object_set_int_member (status, "queued", count_entries (self->queue_dir));
  json_object_set_int_member (status, "held", count_entries (self->held_dir));

  listening = json_array_new ();
  if (process_is_alive (json_object_get_int_member_with_default (stored, "pid", 0))
      && json_object_has_member (stored, "listening"))
    {
      JsonArray *array = json_object_get_array_member (stored, "listening");

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        json_array_add_string_element (listening, json_array_get_string_element (array, i));
    }
  json_object_set_array_member (status, "listening", listening);

  devices = json_object_new ();
  stored_devices = _stamp_relay_ensure_object_member (stored, "devices");
  names = json_object_get_members (stored_devices);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *counters = json_object_get_object_member (stored_devices, l->data);
      JsonObject *out = json_object_new ();
      gboolean current = counters != NULL
                         && g_strcmp0 (json_object_get_string_member_with_default (counters,
                                                                                   "day", NULL),
                                       day) == 0;

      json_object_set_int_member (out, "accepted_today",
                                  current ? json_object_get_int_member_with_default (
                                              counters, "accepted_today", 0) : 0);
      json_object_set_int_member (out, "delivered_today",
                                  current ? json_object_get_int_member_with_default (
                                              counters, "delivered_today", 0) : 0);
      json_object_set_int_member (out, "held", 0);
      json_object_set_object_member (devices, l->data, out);
    }
  g_list_free (names);

  held = _stamp_relay_spool_list_locked (self, STAMP_RELAY_ENTRY_HELD, NULL);
  for (guint i = 0; held != NULL && i < held->len; i++)
    {
      StampRelayEntry *entry = g_ptr_array_index (held, i);
      const char *device = entry->device != NULL ? entry->device : "";
      JsonObject *out;

      if (!json_object_has_member (devices, device))
        {
          out = json_object_new ();
          json_object_set_int_member (out, "accepted_today", 0);
          json_object_set_int_member (out, "delivered_today", 0);
          json_object_set_int_member (out, "held", 0);
          json_object_set_object_member (devices, device, out);
        }
      out = json_object_get_object_member (devices, device);
      _stamp_relay_count_up (out, "held");
    }
  json_object_set_object_member (status, "devices", devices);

  if (json_object_has_member (stored, "last_delivery"))
    json_object_set_member (status, "last_delivery",
                            json_node_copy (json_object_get_member (stored, "last_delivery")));
  _stamp_relay_ensure_object_member (stored, "accounts");
  json_object_set_member (status, "accounts",
                          json_node_copy (json_object_get_member (stored, "accounts")));
  (void) error;
  return status;
}

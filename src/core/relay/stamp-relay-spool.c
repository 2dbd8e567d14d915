/* stamp-relay-spool.c
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
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-relay-spool-private.h"

/**
 * StampRelaySpool:
 *
 * The relay's store and forward. A message a device hands over is written
 * to `incoming/`, fsynced, moved to `queue/` and only then gets its record
 * `ID.json`, written through a temporary file, fsynced and renamed, after
 * which the folder itself is fsynced: the record's presence is what
 * "accepted" means, so a crash at any point either keeps the whole message
 * or leaves a device that never heard `250`.
 *
 * Every change goes through one lock, so receiving sessions and delivering
 * workers may call it from any thread. A record that cannot be read is not
 * dropped: it is kept as `held/ID.json.damaged` beside a new record that
 * says what happened, so status shows it.
 */

G_DEFINE_FINAL_TYPE (StampRelaySpool, stamp_relay_spool, G_TYPE_OBJECT)

/* GObject */

static void
stamp_relay_spool_finalize (GObject *object)
{
  StampRelaySpool *self = STAMP_RELAY_SPOOL (object);

  stamp_relay_spool_close (self);
  g_mutex_clear (&self->lock);
  g_free (self->dir);
  g_free (self->incoming_dir);
  g_free (self->queue_dir);
  g_free (self->held_dir);
  g_free (self->status_path);
  json_object_unref (self->status);

  G_OBJECT_CLASS (stamp_relay_spool_parent_class)->finalize (object);
}

static void
stamp_relay_spool_class_init (StampRelaySpoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_relay_spool_finalize;
}

static void
stamp_relay_spool_init (StampRelaySpool *self)
{
  g_mutex_init (&self->lock);
  self->status = json_object_new ();
  self->owner_fd = -1;
}

/**
 * stamp_relay_spool_new:
 * @dir: (nullable): the spool folder; %NULL for `stamp/relay` under
 *   g_get_user_state_dir()
 *
 * Returns: (transfer full): a spool; call stamp_relay_spool_open() before
 *   receiving or delivering. stamp_relay_spool_read_status() works without.
 */
StampRelaySpool *
stamp_relay_spool_new (const char *dir)
{
  StampRelaySpool *self = g_object_new (STAMP_TYPE_RELAY_SPOOL, NULL);

  if (dir != NULL)
    self->dir = g_strdup (dir);
  else
    self->dir = g_build_filename (g_get_user_state_dir (), "stamp", "relay", NULL);
  self->incoming_dir = g_build_filename (self->dir, "incoming", NULL);
  self->queue_dir = g_build_filename (self->dir, "queue", NULL);
  self->held_dir = g_build_filename (self->dir, "held", NULL);
  self->status_path = g_build_filename (self->dir, "status.json", NULL);
  return self;
}

/**
 * stamp_relay_spool_get_dir:
 * @self: a spool
 *
 * Returns: the spool's folder
 */
const char *
stamp_relay_spool_get_dir (StampRelaySpool *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);

  return self->dir;
}

/* Moves a record that cannot be read to held/ID.json.damaged, with its
 * message, and writes a record in its place that says so. Lock held. */
static void
set_aside_damaged_locked (StampRelaySpool *self,
                          const char      *dir,
                          const char      *id,
                          const char      *reason)
{
  g_autoptr(StampRelayEntry) entry = g_new0 (StampRelayEntry, 1);
  g_autofree char *json = _stamp_relay_entry_path (dir, id, ".json");
  g_autofree char *eml = _stamp_relay_entry_path (dir, id, ".eml");
  g_autofree char *held_damaged = _stamp_relay_entry_path (self->held_dir, id, ".json.damaged");
  g_autofree char *held_eml = _stamp_relay_entry_path (self->held_dir, id, ".eml");
  g_autoptr(GError) error = NULL;
  GStatBuf buf;

  g_message ("Relay message %s has a damaged record, set aside: %s", id, reason);
  if (g_rename (json, held_damaged) != 0 && errno != ENOENT)
    g_message ("Could not set aside %s: %s", json, g_strerror (errno));
  if (g_strcmp0 (dir, self->held_dir) != 0 && g_rename (eml, held_eml) != 0 && errno != ENOENT)
    g_message ("Could not set aside %s: %s", eml, g_strerror (errno));

  entry->id = g_strdup (id);
  entry->account = g_strdup ("");
  entry->device = g_strdup ("");
  entry->client_ip = g_strdup ("");
  entry->envelope_from = g_strdup ("");
  entry->recipients = g_new0 (char *, 1);
  entry->size = g_stat (held_eml, &buf) == 0 ? buf.st_size : 0;
  entry->received_at = g_get_real_time ();
  entry->last_error = g_strdup_printf (_("The record of this message was damaged (%s). It was "
                                         "kept aside as %s.json.damaged and was not sent; "
                                         "look at it and send it again by hand."),
                                       reason, id);
  if (!_stamp_relay_write_entry (self->held_dir, entry, &error))
    g_message ("Could not record the damaged message %s: %s", id, error->message);
}

/* What a killed relay left behind in queue/: a message without a record
 * was never accepted (or was already delivered); a record whose message
 * went to held/ was being held; a .sending marker means the final dot
 * may have gone upstream. Lock held. */
static gboolean
recover_queue_locked (StampRelaySpool  *self,
                      GError          **error)
{
  g_autoptr(GDir) dir = g_dir_open (self->queue_dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *id = NULL;
      g_autofree char *json = NULL;
      g_autofree char *eml = NULL;
      g_autofree char *sending = NULL;
      g_autofree char *held_json = NULL;
      g_autoptr(StampRelayEntry) entry = NULL;
      g_autoptr(GError) local_error = NULL;

      if (file[0] == '.')
        {
          g_autofree char *path = g_build_filename (self->queue_dir, file, NULL);

          g_unlink (path);  /* a temporary file of an unfinished write */
          continue;
        }
      if (!g_str_has_suffix (file, ".eml") && !g_str_has_suffix (file, ".json")
          && !g_str_has_suffix (file, ".sending"))
        continue;
      id = g_strndup (file, strrchr (file, '.') - file);
      if (!_stamp_relay_is_id (id))
        continue;
      json = _stamp_relay_entry_path (self->queue_dir, id, ".json");
      eml = _stamp_relay_entry_path (self->queue_dir, id, ".eml");
      sending = _stamp_relay_entry_path (self->queue_dir, id, ".sending");
      held_json = _stamp_relay_entry_path (self->held_dir, id, ".json");

      if (!g_file_test (json, G_FILE_TEST_EXISTS))
        {
          /* Not accepted, or delivered: the record goes first on delivery. */
          g_unlink (eml);
          g_unlink (sending);
          continue;
        }
      if (!g_str_has_suffix (file, ".json"))
        continue;
      if (g_file_test (held_json, G_FILE_TEST_EXISTS))
        {
          g_unlink (json);
          g_unlink (sending);
          continue;
        }
      entry = _stamp_relay_entry_from_file (json, TRUE, &local_error);
      if (entry == NULL)
        {
          set_aside_damaged_locked (self, self->queue_dir, id, local_error->message);
          continue;
        }
      if (!g_file_test (eml, G_FILE_TEST_EXISTS))
        {
          if (!_stamp_relay_spool_hold_locked (self, entry,
                                               _("The message’s content is missing from the "
                                                 "spool; it cannot be sent."), error))
            return FALSE;
          continue;
        }
      if (g_file_test (sending, G_FILE_TEST_EXISTS))
        {
          if (!_stamp_relay_spool_hold_locked (self, entry,
                                               _("The relay stopped while it was handing "
                                                 "this message to the server. It may have "
                                                 "been delivered, so it was not sent again; "
                                                 "check with the recipients, then send it "
                                                 "again by hand if needed."), error))
            return FALSE;
        }
    }
  return _stamp_relay_sync_dir (self->queue_dir, error);
}

/* One relay delivers from a spool at a time: two would both send what
 * they find queued. The app's relay and the service may listen on
 * different ports, so the port alone does not keep them apart. */
static gboolean
take_ownership (StampRelaySpool  *self,
                GError          **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->owner_fd >= 0)
    return TRUE;

  path = g_build_filename (self->dir, "relay.lock", NULL);
  self->owner_fd = stamp_file_lock_acquire (path, 0, NULL, &local_error);
  if (self->owner_fd >= 0)
    return TRUE;

  if (g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("Another Stamp Relay, the app’s or the service, already delivers the "
                   "messages kept in %s; stop it first"), self->dir);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * stamp_relay_spool_open:
 * @self: a spool
 * @error: return location for a #GError
 *
 * Creates the folders (0700), removes what was being received when the
 * relay stopped, and holds aside what it left half-delivered. Call it
 * once, in the process that serves.
 *
 * Returns: %TRUE when the spool can be used
 */
gboolean
stamp_relay_spool_open (StampRelaySpool  *self,
                        GError          **error)
{
  g_autoptr(GDir) incoming = NULL;
  g_autoptr(JsonObject) status = NULL;
  const char *name;
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), FALSE);

  if (!_stamp_relay_make_private_dir (self->dir, error)
      || !take_ownership (self, error)
      || !_stamp_relay_make_private_dir (self->incoming_dir, error)
      || !_stamp_relay_make_private_dir (self->queue_dir, error)
      || !_stamp_relay_make_private_dir (self->held_dir, error))
    return FALSE;

  incoming = g_dir_open (self->incoming_dir, 0, error);
  if (incoming == NULL)
    return FALSE;
  while ((name = g_dir_read_name (incoming)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->incoming_dir, name, NULL);

      g_unlink (path);
    }

  g_mutex_lock (&self->lock);
  status = _stamp_relay_load_status_file (self->status_path);
  if (status != NULL)
    {
      json_object_unref (self->status);
      self->status = g_steal_pointer (&status);
    }
  /* A new process: whoever listened before does not any more. */
  json_object_remove_member (self->status, "listening");
  json_object_remove_member (self->status, "pid");
  ok = recover_queue_locked (self, error);
  _stamp_relay_spool_save_status_locked (self);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * stamp_relay_spool_close:
 * @self: a spool
 *
 * Lets another relay deliver from the spool; the stopping relay's own
 * deliveries must have ended. Opening it again takes it back.
 */
void
stamp_relay_spool_close (StampRelaySpool *self)
{
  g_return_if_fail (STAMP_IS_RELAY_SPOOL (self));

  if (self->owner_fd >= 0)
    stamp_file_lock_release (self->owner_fd);
  self->owner_fd = -1;
}

/* Receiving */

/**
 * stamp_relay_spool_begin:
 * @self: a spool
 * @account: the address of the account that delivers the message
 * @device: the device's name
 * @client_ip: the device's address
 * @envelope_from: MAIL FROM
 * @recipients: RCPT TO, at least one
 * @error: return location for a #GError
 *
 * Starts receiving a message: write its bytes, as they go upstream, to
 * stamp_relay_incoming_get_stream(), then commit. Any thread.
 *
 * Returns: (transfer full): the message being received, or %NULL
 */
StampRelayIncoming *
stamp_relay_spool_begin (StampRelaySpool    *self,
                         const char         *account,
                         const char         *device,
                         const char         *client_ip,
                         const char         *envelope_from,
                         const char * const *recipients,
                         GError            **error)
{
  StampRelayIncoming *incoming;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time ();
  guint serial;
  int fd;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);
  g_return_val_if_fail (account != NULL && envelope_from != NULL, NULL);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, NULL);

  g_mutex_lock (&self->lock);
  serial = ++self->serial;
  g_mutex_unlock (&self->lock);

  /* Sorts by time; the pid, serial and random part keep ids unique across
   * threads and across processes that share the folder. */
  id = g_strdup_printf ("%016" G_GINT64_MODIFIER "x-%x-%x-%08x", now, (guint) getpid (), serial,
                        g_random_int ());
  path = _stamp_relay_entry_path (self->incoming_dir, id, ".eml");
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      _stamp_relay_set_errno_error (error, errno, "create", path);
      return NULL;
    }

  incoming = g_new0 (StampRelayIncoming, 1);
  incoming->spool = g_object_ref (self);
  incoming->path = g_steal_pointer (&path);
  incoming->fd = fd;
  incoming->stream = g_unix_output_stream_new (fd, FALSE);
  incoming->entry = g_new0 (StampRelayEntry, 1);
  incoming->entry->id = g_steal_pointer (&id);
  incoming->entry->account = g_strdup (account);
  incoming->entry->device = g_strdup (device != NULL ? device : "");
  incoming->entry->client_ip = g_strdup (client_ip != NULL ? client_ip : "");
  incoming->entry->envelope_from = g_strdup (envelope_from);
  incoming->entry->recipients = g_strdupv ((char **) recipients);
  incoming->entry->received_at = now;
  return incoming;
}

/**
 * stamp_relay_incoming_get_stream:
 * @incoming: a message being received
 *
 * Returns: (transfer none): where the message's bytes go
 */
GOutputStream *
stamp_relay_incoming_get_stream (StampRelayIncoming *incoming)
{
  g_return_val_if_fail (incoming != NULL, NULL);

  return incoming->stream;
}

/**
 * stamp_relay_incoming_commit:
 * @incoming: a message being received
 * @error: return location for a #GError
 *
 * Makes the message durable: its bytes are fsynced, it moves to the queue,
 * its record is written and fsynced, and the queue folder too. Only after
 * this returns may the device be told `250`.
 *
 * Returns: (transfer full): the message's id, or %NULL
 */
char *
stamp_relay_incoming_commit (StampRelayIncoming  *incoming,
                             GError             **error)
{
  StampRelaySpool *self;
  g_autofree char *eml = NULL;
  GStatBuf buf;
  gboolean ok;

  g_return_val_if_fail (incoming != NULL, NULL);
  g_return_val_if_fail (!incoming->committed, NULL);

  self = incoming->spool;
  if (!g_output_stream_flush (incoming->stream, NULL, error))
    return NULL;
  if (fsync (incoming->fd) != 0)
    {
      _stamp_relay_set_errno_error (error, errno, "sync", incoming->path);
      return NULL;
    }
  if (g_stat (incoming->path, &buf) != 0)
    {
      _stamp_relay_set_errno_error (error, errno, "read", incoming->path);
      return NULL;
    }
  incoming->entry->size = buf.st_size;

  eml = _stamp_relay_entry_path (self->queue_dir, incoming->entry->id, ".eml");
  g_mutex_lock (&self->lock);
  ok = g_rename (incoming->path, eml) == 0;
  if (!ok)
    _stamp_relay_set_errno_error (error, errno, "move", incoming->path);
  ok = ok && _stamp_relay_write_entry (self->queue_dir, incoming->entry, error)
       && _stamp_relay_sync_dir (self->queue_dir, error);
  if (ok)
    {
      incoming->committed = TRUE;
      if (!incoming->split)
        _stamp_relay_count_up (_stamp_relay_spool_device_counters_locked (self,
                                                                          incoming->entry->device),
                               "accepted_today");
      _stamp_relay_spool_save_status_locked (self);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    {
      g_autofree char *json = _stamp_relay_entry_path (self->queue_dir, incoming->entry->id,
                                                       ".json");

      g_unlink (json);
      g_unlink (eml);
      return NULL;
    }
  return g_strdup (incoming->entry->id);
}

/**
 * stamp_relay_incoming_free:
 * @incoming: (nullable): a message being received
 *
 * Closes the stream; when the message was not committed, what was received
 * is dropped.
 */
void
stamp_relay_incoming_free (StampRelayIncoming *incoming)
{
  if (incoming == NULL)
    return;
  g_clear_object (&incoming->stream);
  if (incoming->fd >= 0)
    close (incoming->fd);
  if (!incoming->committed)
    g_unlink (incoming->path);
  g_free (incoming->path);
  stamp_relay_entry_free (incoming->entry);
  g_object_unref (incoming->spool);
  g_free (incoming);
}

/* Delivering */

GPtrArray *
_stamp_relay_spool_list_locked (StampRelaySpool       *self,
             StampRelayEntryState   state,
             GError               **error)
{
  const char *folder = state == STAMP_RELAY_ENTRY_HELD ? self->held_dir : self->queue_dir;
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) stamp_relay_entry_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, error);
  g_autoptr(GPtrArray) damaged = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GError) local_error = NULL;
      StampRelayEntry *entry;

      if (name[0] == '.' || !g_str_has_suffix (name, ".json"))
        continue;
      id = g_strndup (name, strlen (name) - strlen (".json"));
      if (!_stamp_relay_is_id (id))
        continue;
      path = g_build_filename (folder, name, NULL);
      entry = _stamp_relay_entry_from_file (path, state == STAMP_RELAY_ENTRY_QUEUED, &local_error);
      if (entry == NULL)
        {
          if (state == STAMP_RELAY_ENTRY_QUEUED)
            {
              set_aside_damaged_locked (self, folder, id, local_error->message);
              continue;
            }
          /* A damaged held record stays where it is and still shows. */
          entry = g_new0 (StampRelayEntry, 1);
          entry->id = g_steal_pointer (&id);
          entry->recipients = g_new0 (char *, 1);
          entry->last_error = g_strdup_printf (_("The record of this message is damaged: %s"),
                                               local_error->message);
        }
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, _stamp_relay_compare_entries);
  return g_steal_pointer (&entries);
}

/**
 * stamp_relay_spool_list:
 * @self: a spool
 * @state: queued or held messages
 * @error: return location for a #GError
 *
 * A queued record that cannot be read is set aside to held/ (see the type's
 * description) instead of being listed.
 *
 * Returns: (transfer full) (element-type StampRelayEntry): the messages,
 *   oldest first, or %NULL when the folder cannot be read
 */
GPtrArray *
stamp_relay_spool_list (StampRelaySpool       *self,
                        StampRelayEntryState   state,
                        GError               **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);

  g_mutex_lock (&self->lock);
  entries = _stamp_relay_spool_list_locked (self, state, error);
  g_mutex_unlock (&self->lock);
  return entries;
}

/**
 * stamp_relay_spool_dup_message_path:
 * @self: a spool
 * @id: a queued message's id
 *
 * Returns: (transfer full): the path of the message's bytes
 */
char *
stamp_relay_spool_dup_message_path (StampRelaySpool *self,
                                    const char      *id)
{
  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return _stamp_relay_entry_path (self->queue_dir, id, ".eml");
}

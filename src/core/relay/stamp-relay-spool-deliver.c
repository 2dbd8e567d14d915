/* stamp-relay-spool-deliver.c
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

#include <glib/gstdio.h>

#include "stamp-relay-spool-private.h"

/* The spool's delivery side: what a delivering worker records about a
 * queued message as it goes upstream (sending, delivered, deferred, held,
 * or split between recipients that took it and those still to do). */

/**
 * stamp_relay_spool_mark_sending:
 * @self: a spool
 * @id: a queued message's id
 * @error: return location for a #GError
 *
 * Writes the durable marker that says the final dot may go upstream; call
 * it just before sending it.
 *
 * Returns: %TRUE when the marker is on disk
 */
gboolean
stamp_relay_spool_mark_sending (StampRelaySpool  *self,
                                const char       *id,
                                GError          **error)
{
  g_autofree char *path = NULL;
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  path = _stamp_relay_entry_path (self->queue_dir, id, ".sending");
  g_mutex_lock (&self->lock);
  ok = _stamp_relay_write_file_atomic (path, "", TRUE, error)
       && _stamp_relay_sync_dir (self->queue_dir, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * stamp_relay_spool_unmark_sending:
 * @self: a spool
 * @id: a queued message's id
 *
 * Removes the marker of stamp_relay_spool_mark_sending() when the server
 * answered that it did not take the message and it goes back to the queue
 * as it was (Microsoft Graph refused the token: a refresh, then again).
 */
void
stamp_relay_spool_unmark_sending (StampRelaySpool *self,
                                  const char      *id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (STAMP_IS_RELAY_SPOOL (self));
  g_return_if_fail (id != NULL);

  path = _stamp_relay_entry_path (self->queue_dir, id, ".sending");
  g_mutex_lock (&self->lock);
  g_unlink (path);
  g_mutex_unlock (&self->lock);
}

/**
 * stamp_relay_spool_mark_delivered:
 * @self: a spool
 * @entry: the message
 * @reply: the server's reply to the final dot
 * @error: return location for a #GError
 *
 * Removes the message, its record first, so a restart never sends it again.
 *
 * Returns: %TRUE on success
 */
gboolean
stamp_relay_spool_mark_delivered (StampRelaySpool        *self,
                                  const StampRelayEntry  *entry,
                                  const char             *reply,
                                  GError                **error)
{
  g_autofree char *json = NULL;
  g_autofree char *eml = NULL;
  g_autofree char *sending = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, FALSE);

  json = _stamp_relay_entry_path (self->queue_dir, entry->id, ".json");
  eml = _stamp_relay_entry_path (self->queue_dir, entry->id, ".eml");
  sending = _stamp_relay_entry_path (self->queue_dir, entry->id, ".sending");

  g_mutex_lock (&self->lock);
  if (g_unlink (json) != 0)
    ok = _stamp_relay_set_errno_error (error, errno, "remove", json);
  ok = ok && _stamp_relay_sync_dir (self->queue_dir, error);
  if (ok)
    {
      g_unlink (eml);
      g_unlink (sending);
      _stamp_relay_count_up (_stamp_relay_spool_device_counters_locked (self, entry->device),
                             "delivered_today");
      _stamp_relay_spool_set_last_delivery_locked (self, entry, TRUE, reply);
      _stamp_relay_spool_save_status_locked (self);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * stamp_relay_spool_defer:
 * @self: a spool
 * @entry: the message
 * @next_attempt_at: when to try again, in g_get_real_time() microseconds
 * @explanation: why it failed, in plain words
 * @error: return location for a #GError
 *
 * Records a temporary failure: one attempt more, and the time of the next.
 * A .sending marker is removed: the caller defers only what surely did not
 * go through.
 *
 * Returns: %TRUE on success
 */
gboolean
stamp_relay_spool_defer (StampRelaySpool        *self,
                         const StampRelayEntry  *entry,
                         gint64                  next_attempt_at,
                         const char             *explanation,
                         GError                **error)
{
  g_autoptr(StampRelayEntry) copy = NULL;
  g_autofree char *sending = NULL;
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, FALSE);

  copy = stamp_relay_entry_copy (entry);
  copy->attempts++;
  copy->next_attempt_at = next_attempt_at;
  g_free (copy->last_error);
  copy->last_error = g_strdup (explanation);
  sending = _stamp_relay_entry_path (self->queue_dir, entry->id, ".sending");

  g_mutex_lock (&self->lock);
  ok = _stamp_relay_write_entry (self->queue_dir, copy, error);
  if (ok)
    g_unlink (sending);
  g_mutex_unlock (&self->lock);
  return ok;
}

/* The held record is written first, then the message moves, then the
 * queued record goes: recovery finishes a move that a crash cut short. */
gboolean
_stamp_relay_spool_hold_locked (StampRelaySpool        *self,
                                const StampRelayEntry  *entry,
                                const char             *explanation,
                                GError                **error)
{
  g_autoptr(StampRelayEntry) copy = stamp_relay_entry_copy (entry);
  g_autofree char *json = _stamp_relay_entry_path (self->queue_dir, entry->id, ".json");
  g_autofree char *eml = _stamp_relay_entry_path (self->queue_dir, entry->id, ".eml");
  g_autofree char *sending = _stamp_relay_entry_path (self->queue_dir, entry->id, ".sending");
  g_autofree char *held_eml = _stamp_relay_entry_path (self->held_dir, entry->id, ".eml");

  g_free (copy->last_error);
  copy->last_error = g_strdup (explanation);
  if (!_stamp_relay_write_entry (self->held_dir, copy, error))
    return FALSE;
  if (g_rename (eml, held_eml) != 0 && errno != ENOENT)
    return _stamp_relay_set_errno_error (error, errno, "move", eml);
  if (!_stamp_relay_sync_dir (self->held_dir, error))
    return FALSE;
  g_unlink (json);
  g_unlink (sending);
  if (!_stamp_relay_sync_dir (self->queue_dir, error))
    return FALSE;
  _stamp_relay_spool_set_last_delivery_locked (self, entry, FALSE, explanation);
  _stamp_relay_spool_save_status_locked (self);
  return TRUE;
}

/**
 * stamp_relay_spool_hold:
 * @self: a spool
 * @entry: the message
 * @explanation: why it cannot be delivered, in plain words
 * @error: return location for a #GError
 *
 * Records a permanent failure: the message moves to held/ with
 * @explanation, and status shows it.
 *
 * Returns: %TRUE on success
 */
gboolean
stamp_relay_spool_hold (StampRelaySpool        *self,
                        const StampRelayEntry  *entry,
                        const char             *explanation,
                        GError                **error)
{
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, FALSE);
  g_return_val_if_fail (explanation != NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = _stamp_relay_spool_hold_locked (self, entry, explanation, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * stamp_relay_spool_split:
 * @self: a spool
 * @entry: a queued message some of whose recipients took it
 * @recipients: (array zero-terminated=1): the recipients still to do
 * @state: %STAMP_RELAY_ENTRY_QUEUED to try them again later,
 *   %STAMP_RELAY_ENTRY_HELD when they were refused for good
 * @explanation: (nullable): why, in plain words
 * @error: return location for a #GError
 *
 * Makes a new entry for @recipients alone, with a copy of the message,
 * fsynced as a commit is. Call it before marking @entry delivered.
 *
 * Returns: (transfer full): the new entry's id, or %NULL
 */
char *
stamp_relay_spool_split (StampRelaySpool        *self,
                         const StampRelayEntry  *entry,
                         const char * const     *recipients,
                         StampRelayEntryState    state,
                         const char             *explanation,
                         GError                **error)
{
  g_autoptr(StampRelayIncoming) incoming = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFile) source = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (self), NULL);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, NULL);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, NULL);

  path = stamp_relay_spool_dup_message_path (self, entry->id);
  source = g_file_new_for_path (path);
  input = g_file_read (source, NULL, error);
  if (input == NULL)
    return NULL;
  incoming = stamp_relay_spool_begin (self, entry->account, entry->device, entry->client_ip,
                                      entry->envelope_from, recipients, error);
  if (incoming == NULL)
    return NULL;
  if (g_output_stream_splice (incoming->stream, G_INPUT_STREAM (input),
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error) < 0)
    return NULL;
  /* Keeps the time it came in, so it stays in order and its age counts. */
  incoming->entry->received_at = entry->received_at;
  incoming->split = TRUE;
  if (state == STAMP_RELAY_ENTRY_QUEUED)
    {
      incoming->entry->attempts = entry->attempts;
      incoming->entry->last_error = g_strdup (explanation);
    }
  id = stamp_relay_incoming_commit (incoming, error);
  if (id == NULL || state == STAMP_RELAY_ENTRY_QUEUED)
    return g_steal_pointer (&id);

  {
    g_autoptr(StampRelayEntry) copy = stamp_relay_entry_copy (incoming->entry);

    if (!stamp_relay_spool_hold (self, copy, explanation != NULL ? explanation : "", error))
      return NULL;
  }
  return g_steal_pointer (&id);
}

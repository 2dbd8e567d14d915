/* stamp-relay-spool-private.h
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

#pragma once

#include <json-glib/json-glib.h>

#include "stamp-relay-spool.h"

G_BEGIN_DECLS

/* Shared by the spool's files: stamp-relay-spool.c (receiving, recovery),
 * -deliver.c (delivering), -files.c (records on disk) and -status.c
 * (status.json). */

#define STATUS_VERSION 1

struct _StampRelaySpool
{
  GObject     parent_instance;

  GMutex      lock;
  char       *dir;
  char       *incoming_dir;
  char       *queue_dir;
  char       *held_dir;
  char       *status_path;
  JsonObject *status;    /* what status.json holds, guarded by lock */
  guint       serial;
  int         owner_fd;  /* the lock of the one relay that delivers, or -1 */
};

struct _StampRelayIncoming
{
  StampRelaySpool *spool;
  StampRelayEntry *entry;
  char            *path;
  GOutputStream   *stream;
  int              fd;
  gboolean         committed;
  gboolean         split;      /* part of an accepted message: not counted again */
};

/* Files and records (stamp-relay-spool-files.c) */
gboolean         _stamp_relay_set_errno_error   (GError                **error,
                                                 int                     saved_errno,
                                                 const char             *what,
                                                 const char             *path);
gboolean         _stamp_relay_sync_dir          (const char             *dir,
                                                 GError                **error);
gboolean         _stamp_relay_make_private_dir  (const char             *dir,
                                                 GError                **error);
gboolean         _stamp_relay_write_file_atomic (const char             *path,
                                                 const char             *contents,
                                                 gboolean                durable,
                                                 GError                **error);
char            *_stamp_relay_entry_path        (const char             *dir,
                                                 const char             *id,
                                                 const char             *suffix);
StampRelayEntry *_stamp_relay_entry_from_file   (const char             *path,
                                                 gboolean                sendable,
                                                 GError                **error);
gboolean         _stamp_relay_write_entry       (const char             *dir,
                                                 const StampRelayEntry  *entry,
                                                 GError                **error);
int              _stamp_relay_compare_entries   (gconstpointer           a,
                                                 gconstpointer           b);
gboolean         _stamp_relay_is_id             (const char             *name);

/* Status (stamp-relay-spool-status.c); "_locked" wants self->lock held. */
JsonObject      *_stamp_relay_load_status_file  (const char             *path);
JsonObject      *_stamp_relay_ensure_object_member (JsonObject          *object,
                                                    const char          *name);
JsonObject      *_stamp_relay_spool_device_counters_locked (StampRelaySpool *self,
                                                            const char      *device);
void             _stamp_relay_count_up          (JsonObject             *counters,
                                                 const char             *name);
void             _stamp_relay_spool_save_status_locked (StampRelaySpool *self);
void             _stamp_relay_spool_set_last_delivery_locked (StampRelaySpool       *self,
                                                              const StampRelayEntry *entry,
                                                              gboolean               ok,
                                                              const char            *text);

/* stamp-relay-spool.c */
GPtrArray       *_stamp_relay_spool_list_locked (StampRelaySpool        *self,
                                                 StampRelayEntryState    state,
                                                 GError                **error);

/* stamp-relay-spool-deliver.c; recovery at open holds with it too. */
gboolean         _stamp_relay_spool_hold_locked (StampRelaySpool       *self,
                                                 const StampRelayEntry *entry,
                                                 const char            *explanation,
                                                 GError               **error);

G_END_DECLS

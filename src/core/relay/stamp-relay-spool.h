/* stamp-relay-spool.h
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

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The relay's spool, in $XDG_STATE_HOME/stamp/relay (mode 0700):
 *   incoming/   messages being received; removed when the spool opens
 *   queue/ID.eml, queue/ID.json   accepted, waiting or being delivered
 *   queue/ID.sending  written (fsynced) just before the final dot goes
 *                     upstream; a restart that finds it without a
 *                     delivery record holds the message aside as
 *                     "may have been delivered" instead of sending twice
 *   held/ID.eml, held/ID.json     failed for good, with the explanation
 *   status.json  counters and the last result, for `relay status`
 * A message is accepted once ID.json exists: ID.eml and ID.json are
 * fsynced, and the directory too, before commit returns.
 */

typedef struct
{
  char    *id;
  char    *account;          /* address of the account that delivers it */
  char    *device;           /* device name */
  char    *client_ip;
  char    *envelope_from;
  GStrv    recipients;
  gint64   received_at;      /* g_get_real_time () */
  guint    attempts;
  gint64   next_attempt_at;  /* g_get_real_time (); 0 = at once */
  char    *last_error;       /* explanation of the last failure, or NULL */
  goffset  size;             /* bytes of ID.eml */
} StampRelayEntry;

typedef enum
{
  STAMP_RELAY_ENTRY_QUEUED,
  STAMP_RELAY_ENTRY_HELD,
} StampRelayEntryState;

#define STAMP_TYPE_RELAY_ENTRY (stamp_relay_entry_get_type ())

GType            stamp_relay_entry_get_type (void) G_GNUC_CONST;
StampRelayEntry *stamp_relay_entry_copy     (const StampRelayEntry *entry);
void             stamp_relay_entry_free     (StampRelayEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampRelayEntry, stamp_relay_entry_free)

/* A message being received from a device; any thread. */
typedef struct _StampRelayIncoming StampRelayIncoming;

GOutputStream *stamp_relay_incoming_get_stream (StampRelayIncoming  *incoming);
/* fsyncs the message, writes ID.json, fsyncs the directory: only then
 * may the device be told 250. Returns the new id. */
char          *stamp_relay_incoming_commit     (StampRelayIncoming  *incoming,
                                                GError             **error);
/* Drops what was received (also done by free when not committed). */
void           stamp_relay_incoming_free       (StampRelayIncoming  *incoming);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampRelayIncoming, stamp_relay_incoming_free)

#define STAMP_TYPE_RELAY_SPOOL (stamp_relay_spool_get_type ())

G_DECLARE_FINAL_TYPE (StampRelaySpool, stamp_relay_spool, STAMP, RELAY_SPOOL, GObject)

/* @dir: (nullable): the spool folder; NULL for $XDG_STATE_HOME/stamp/relay */
StampRelaySpool    *stamp_relay_spool_new              (const char            *dir);
const char         *stamp_relay_spool_get_dir          (StampRelaySpool       *self);
/* Creates the folders, removes incoming/, and holds aside what a killed
 * relay left half-delivered (see above). Only the process that serves
 * calls it. A queued ID.json that cannot be read (here or in list) moves
 * to held/ID.json.damaged, with its message, beside a new held record
 * that explains it: it shows in status, it is never dropped. */
gboolean            stamp_relay_spool_open             (StampRelaySpool       *self,
                                                        GError               **error);
void                stamp_relay_spool_close            (StampRelaySpool       *self);

/* Receiving (thread-safe) */
StampRelayIncoming *stamp_relay_spool_begin            (StampRelaySpool       *self,
                                                        const char            *account,
                                                        const char            *device,
                                                        const char            *client_ip,
                                                        const char            *envelope_from,
                                                        const char * const    *recipients,
                                                        GError               **error);

/* Delivering (thread-safe). Arrays hold StampRelayEntry, oldest first. */
GPtrArray          *stamp_relay_spool_list             (StampRelaySpool       *self,
                                                        StampRelayEntryState   state,
                                                        GError               **error);
char               *stamp_relay_spool_dup_message_path (StampRelaySpool       *self,
                                                        const char            *id);
gboolean            stamp_relay_spool_mark_sending     (StampRelaySpool       *self,
                                                        const char            *id,
                                                        GError               **error);
/* The server refused before taking it: the marker goes, nothing else. */
void                stamp_relay_spool_unmark_sending   (StampRelaySpool       *self,
                                                        const char            *id);
gboolean            stamp_relay_spool_mark_delivered   (StampRelaySpool       *self,
                                                        const StampRelayEntry *entry,
                                                        const char            *reply,
                                                        GError               **error);
/* A temporary failure: attempts + 1, try again at @next_attempt_at. */
gboolean            stamp_relay_spool_defer            (StampRelaySpool       *self,
                                                        const StampRelayEntry *entry,
                                                        gint64                 next_attempt_at,
                                                        const char            *explanation,
                                                        GError               **error);
/* A permanent failure: moved to held/ with @explanation. */
gboolean            stamp_relay_spool_hold             (StampRelaySpool       *self,
                                                        const StampRelayEntry *entry,
                                                        const char            *explanation,
                                                        GError               **error);

/* Some recipients of @entry are to be tried again later (QUEUED) or
 * were refused for good (HELD, with @explanation) while the others took
 * the message: a new entry for just @recipients, with a copy of the
 * message. Returns the new id. */
char               *stamp_relay_spool_split            (StampRelaySpool       *self,
                                                        const StampRelayEntry *entry,
                                                        const char * const    *recipients,
                                                        StampRelayEntryState   state,
                                                        const char            *explanation,
                                                        GError               **error);

/* Status, shared with `relay status` and the app (thread-safe). */
void                stamp_relay_spool_set_listening    (StampRelaySpool       *self,
                                                        const char * const    *addresses);
void                stamp_relay_spool_set_account_state (StampRelaySpool      *self,
                                                        const char            *account,
                                                        gboolean               stopped,
                                                        const char            *explanation);
/* Reads status.json and counts queue/ and held/; works while another
 * process serves, and without stamp_relay_spool_open (). Members:
 * "queued", "held", "listening" (array, empty
 * when no relay runs: the writer's pid is checked), "devices"
 * {name: {"accepted_today","delivered_today","held"}}, "last_delivery"
 * {"id","device","at" (ISO 8601),"ok","reply" or "explanation"},
 * "accounts" {address: {"stopped", "explanation"}}. */
JsonObject         *stamp_relay_spool_read_status      (StampRelaySpool       *self,
                                                        GError               **error);

G_END_DECLS

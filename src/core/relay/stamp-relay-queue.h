/* stamp-relay-queue.h
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delivers what the spool holds through each message's account, paced to
 * the provider's limits, several messages over one upstream session.
 */

#pragma once

#include <gio/gio.h>

#include "stamp-account-store.h"
#include "stamp-credentials.h"
#include "stamp-relay-spool.h"

G_BEGIN_DECLS

/* For stamp_relay_queue_set_max_per_minute(): no pacing at all. */
#define STAMP_RELAY_QUEUE_UNPACED G_MAXUINT

#define STAMP_TYPE_RELAY_QUEUE (stamp_relay_queue_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayQueue, stamp_relay_queue, STAMP, RELAY_QUEUE, GObject)

StampRelayQueue *stamp_relay_queue_new                  (StampRelaySpool   *spool,
                                                         StampAccountStore *accounts,
                                                         StampCredentials  *credentials);
/* 0 (default): the provider database's messages_per_minute for the
 * account, none when it has none. Messages start at least 60/N s apart.
 * STAMP_RELAY_QUEUE_UNPACED: no pacing. */
void             stamp_relay_queue_set_max_per_minute   (StampRelayQueue   *self,
                                                         guint              max_per_minute);
/* Sessions per account at once; default 3. */
void             stamp_relay_queue_set_max_connections  (StampRelayQueue   *self,
                                                         guint              max_connections);
/* The wait after a first temporary failure, doubled after each one up
 * to an hour; default 60 s. */
void             stamp_relay_queue_set_first_retry      (StampRelayQueue   *self,
                                                         guint              seconds);
/* How often a stopped account is looked at again (a sign-in elsewhere
 * may have mended it); default 300 s. */
void             stamp_relay_queue_set_account_check    (StampRelayQueue   *self,
                                                         guint              seconds);
/* How long an upstream session waits for another message; default 5 s. */
void             stamp_relay_queue_set_idle_timeout     (StampRelayQueue   *self,
                                                         guint              seconds);
void             stamp_relay_queue_start                (StampRelayQueue   *self);
/* A message was committed: look at the spool again. Any thread. */
void             stamp_relay_queue_kick                 (StampRelayQueue   *self);
/* Stops starting deliveries and cancels those under way (they stay
 * queued, or held as "may have been delivered" past the final dot). */
void             stamp_relay_queue_stop                 (StampRelayQueue   *self);
/* Whether sessions are still running after stop (they end soon). */
gboolean         stamp_relay_queue_is_busy              (StampRelayQueue   *self);

/* Signals, on the main context the queue was made in:
 *   "delivered"        (StampRelayEntry *entry, const char *reply)
 *   "deferred"         (StampRelayEntry *entry, const char *explanation)
 *   "held"             (StampRelayEntry *entry, const char *explanation)
 *   "account-stopped"  (const char *address, const char *explanation)
 *   (entry is a boxed StampRelayEntry, STAMP_TYPE_RELAY_ENTRY, owned by
 *   the queue) */

G_END_DECLS

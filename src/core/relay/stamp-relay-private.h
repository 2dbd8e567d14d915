/* stamp-relay-private.h
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

#include "stamp-relay-listener.h"
#include "stamp-relay.h"
#include "stamp-sign-in-keeper.h"

G_BEGIN_DECLS

/* One device as the connection threads see it: read-only once made. */
typedef struct
{
  StampRelayDevice *device;
  GPtrArray        *networks;   /* GInetAddressMask, empty: anywhere */
  guint64           max_size;   /* the account's provider's, 0: none known */
  gboolean          graph;      /* the account sends through Microsoft Graph */
} StampRelayRule;

struct _StampRelay
{
  GObject parent_instance;

  /* Owned */
  StampAccountStore     *accounts;
  StampRelayDeviceStore *devices;
  StampSecretStore      *secrets;
  StampRelaySpool       *spool;
  StampRelayQueue       *queue;
  StampRelayListener    *listener;
  StampSignInKeeper     *keeper;         /* while running, when asked for */
  GFileMonitor          *monitor;
  GCancellable          *lookups;
  GMainContext          *context;
  GPtrArray             *listen;
  char                  *cert_file;
  char                  *key_file;
  guint                  reload_source;
  guint                  max_per_minute;
  guint                  first_retry;
  gboolean               keep_sign_ins_alive;

  /* Under lock: shared with the connection threads */
  GMutex                 lock;
  GCond                  loaded;
  GPtrArray             *rules;          /* StampRelayRule, replaced whole */
  GHashTable            *passwords;      /* user → StampSecret */
  GHashTable            *failures;       /* client IP → GArray of gint64 */
  guint                  pending_lookups;

  gboolean               running;
};

extern const StampSmtpServerHandler _stamp_relay_handler;

GPtrArray *_stamp_relay_build_rules (StampRelayDeviceStore *devices,
                                     StampAccountStore     *accounts);
void       _stamp_relay_log         (StampRelay            *self,
                                     const char            *client_ip,
                                     const char            *device,
                                     const char            *event);
void       _stamp_relay_changed     (StampRelay            *self);

G_END_DECLS

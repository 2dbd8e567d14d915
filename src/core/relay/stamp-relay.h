/* stamp-relay.h
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
 * The relay as one object for the CLI's `relay serve` and for the app:
 * listeners, devices, the spool and the delivery queue.
 */

#pragma once

#include <gio/gio.h>

#include "stamp-account-store.h"
#include "stamp-relay-device-store.h"
#include "stamp-relay-queue.h"
#include "stamp-relay-spool.h"
#include "stamp-secret-store.h"

G_BEGIN_DECLS

#define STAMP_RELAY_DEFAULT_LISTEN "127.0.0.1:2525"

#define STAMP_TYPE_RELAY (stamp_relay_get_type ())

G_DECLARE_FINAL_TYPE (StampRelay, stamp_relay, STAMP, RELAY, GObject)

StampRelay      *stamp_relay_new               (StampAccountStore      *accounts,
                                                StampRelayDeviceStore  *devices,
                                                StampSecretStore       *secrets,
                                                StampRelaySpool        *spool);
/* HOST:PORT, [IPv6]:PORT; may be called several times before start.
 * None given: STAMP_RELAY_DEFAULT_LISTEN. */
gboolean         stamp_relay_add_listen        (StampRelay             *self,
                                                const char             *host_port,
                                                GError                **error);
/* Both NULL (default): a certificate made once with GnuTLS and kept in
 * $XDG_CONFIG_HOME/stamp/relay-tls/ (key 0600). */
void             stamp_relay_set_tls_files     (StampRelay             *self,
                                                const char             *cert_file,
                                                const char             *key_file);
StampRelayQueue *stamp_relay_get_queue         (StampRelay             *self);
/* Binds every listener (fails with G_IO_ERROR_ADDRESS_IN_USE when another
 * relay, the service or the app, already serves the port), opens the
 * spool and starts delivery. */
gboolean         stamp_relay_start             (StampRelay             *self,
                                                GError                **error);
void             stamp_relay_stop              (StampRelay             *self);
gboolean         stamp_relay_get_running       (StampRelay             *self);
/* The addresses actually bound, "HOST:PORT" (port 0 resolved). */
GStrv            stamp_relay_dup_listening     (StampRelay             *self);

/* Before start; for tests and the CLI's admin options. */
void             stamp_relay_set_timeouts      (StampRelay             *self,
                                                guint                   command_ms,
                                                guint                   data_ms);
void             stamp_relay_set_limits        (StampRelay             *self,
                                                guint                   max_connections,
                                                guint                   max_per_ip);
void             stamp_relay_set_max_message_size (StampRelay          *self,
                                                guint64                 max_size);
/* 0 keeps the queue's defaults (the provider's pace; 60 s). */
void             stamp_relay_set_delivery_pace (StampRelay             *self,
                                                guint                   max_per_minute,
                                                guint                   first_retry);

/* Before start: while it runs, the relay refreshes its accounts' OAuth
 * sign-ins before they lapse from disuse and warns of those that will
 * lapse (a StampSignInKeeper). Off by default: the app keeps its own. */
void             stamp_relay_set_keep_sign_ins_alive (StampRelay       *self,
                                                gboolean                keep_alive);

/* Failed sign-ins from one address before it is refused for a while. */
#define STAMP_RELAY_MAX_FAILED_SIGN_INS  5
#define STAMP_RELAY_FAILED_SIGN_IN_WINDOW (10 * 60)

/* Signals, on the main context:
 *   "log"     (const char *line): one line per accepted message and per
 *             refused attempt, each with the client's IP; no secret ever
 *   "changed" (): the status (queue, counters, last result) changed
 *   "sign-in-warning" (const char *address, StampSignInState state,
 *             const char *text):
 *             with keep-alive, an account's sign-in needs a person
 *             (a StampSignInState: EXPIRING … FAILED); also logged */

G_END_DECLS

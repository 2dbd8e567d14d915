/* stamp-relay-listener.h
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

#include <gio/gio.h>

#include "stamp-smtp-server-session.h"

G_BEGIN_DECLS

#define STAMP_RELAY_MAX_CONNECTIONS        256
#define STAMP_RELAY_MAX_CONNECTIONS_PER_IP 20

#define STAMP_TYPE_RELAY_LISTENER (stamp_relay_listener_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayListener, stamp_relay_listener, STAMP, RELAY_LISTENER, GObject)

StampRelayListener *stamp_relay_listener_new               (const StampSmtpServerHandler  *handler,
                                                            gpointer                       user_data);
gboolean            stamp_relay_listener_add_address       (StampRelayListener            *self,
                                                            const char                    *host_port,
                                                            GError                       **error);
void                stamp_relay_listener_set_tls_files     (StampRelayListener            *self,
                                                            const char                    *cert_file,
                                                            const char                    *key_file);
void                stamp_relay_listener_set_max_message_size (StampRelayListener        *self,
                                                            guint64                        max_size);
void                stamp_relay_listener_set_timeouts      (StampRelayListener            *self,
                                                            guint                          command_ms,
                                                            guint                          data_ms);
void                stamp_relay_listener_set_limits        (StampRelayListener            *self,
                                                            guint                          max_connections,
                                                            guint                          max_per_ip);
gboolean            stamp_relay_listener_start             (StampRelayListener            *self,
                                                            GError                       **error);
void                stamp_relay_listener_stop              (StampRelayListener            *self);
GStrv               stamp_relay_listener_dup_listening     (StampRelayListener            *self);
guint               stamp_relay_listener_get_n_connections (StampRelayListener            *self);

G_END_DECLS

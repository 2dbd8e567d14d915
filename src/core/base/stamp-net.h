/* stamp-net.h
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

G_BEGIN_DECLS

gint64   stamp_deadline_from_now (guint        seconds);
gboolean stamp_socket_wait     (GSocket       *socket,
                                GIOCondition   condition,
                                gint64         deadline,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean stamp_socket_send_all (GSocket       *socket,
                                const char    *data,
                                gsize          len,
                                gint64         deadline,
                                GCancellable  *cancellable,
                                GError       **error);
gssize   stamp_socket_receive  (GSocket       *socket,
                                char          *buffer,
                                gsize          size,
                                gint64         deadline,
                                GCancellable  *cancellable,
                                GError       **error);

GList   *stamp_resolve_host    (const char    *host,
                                guint          timeout,
                                GCancellable  *cancellable,
                                GError       **error);
GSocket *stamp_connect_host    (const char    *host,
                                GList         *addresses,
                                guint16        port,
                                gint64         deadline,
                                GCancellable  *cancellable,
                                GError       **error);

gboolean stamp_host_is_loopback (const char   *host);
gboolean stamp_host_is_local    (const char   *host);

char    *stamp_net_dup_lan_address (void);

G_END_DECLS

/* stamp-tls-session.h
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

#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_TYPE_TLS_SESSION (stamp_tls_session_get_type ())

G_DECLARE_FINAL_TYPE (StampTlsSession, stamp_tls_session, STAMP, TLS_SESSION, GObject)

StampTlsSession    *stamp_tls_session_new              (const char       *server_name,
                                                        const char       *ca_file,
                                                        StampTlsVersion   min_version,
                                                        StampTlsVersion   max_version,
                                                        GError          **error);
StampTlsSession    *stamp_tls_session_new_server       (const char       *cert_file,
                                                        const char       *key_file,
                                                        StampTlsVersion   min_version,
                                                        StampTlsVersion   max_version,
                                                        GError          **error);
gboolean            stamp_tls_session_handshake        (StampTlsSession  *self,
                                                        GSocket          *socket,
                                                        gint64            deadline,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
gboolean            stamp_tls_session_send_all         (StampTlsSession  *self,
                                                        const char       *data,
                                                        gsize             len,
                                                        gint64            deadline,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
gssize              stamp_tls_session_receive          (StampTlsSession  *self,
                                                        char             *buffer,
                                                        gsize             size,
                                                        gint64            deadline,
                                                        GCancellable     *cancellable,
                                                        GError          **error);
void                stamp_tls_session_close            (StampTlsSession  *self);
const char         *stamp_tls_session_get_version      (StampTlsSession  *self);
const char         *stamp_tls_session_get_cipher       (StampTlsSession  *self);
const char * const *stamp_tls_session_get_certificates (StampTlsSession  *self);
void                stamp_tls_session_allow_untrusted  (StampTlsSession  *self);
gboolean            stamp_tls_session_check_trust      (StampTlsSession  *self,
                                                        GError          **error);
gboolean            stamp_tls_session_can_offer        (StampTlsVersion   version);

G_END_DECLS

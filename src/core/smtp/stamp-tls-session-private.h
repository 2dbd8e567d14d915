/* stamp-tls-session-private.h
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

#include <glib.h>
#include <gnutls/gnutls.h>

#include "stamp-tls-session.h"

G_BEGIN_DECLS

gnutls_certificate_credentials_t _stamp_tls_get_system_credentials (void);
int                              _stamp_tls_load_credentials       (const char                        *ca_file,
                                                                    gboolean                           with_system,
                                                                    gnutls_certificate_credentials_t  *out);

StampTlsSession                 *_stamp_tls_session_new_server     (gnutls_certificate_credentials_t   credentials,
                                                                    StampTlsVersion                    min_version,
                                                                    StampTlsVersion                    max_version,
                                                                    GError                           **error);

G_END_DECLS

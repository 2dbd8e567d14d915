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

/* Shared by stamp-tls-session.c, -server.c and -trust.c; the type is
 * described in stamp-tls-session.c. */
struct _StampTlsSession
{
  GObject parent_instance;

  /* Owned */
  gnutls_session_t                  session;
  gnutls_certificate_credentials_t  ca_credentials;
  gnutls_certificate_credentials_t  full_credentials;
  char                             *server_name;
  char                             *ca_file;
  char                             *version;
  char                             *cipher;
  GStrv                             certificates;
  GError                           *transport_error;
  unsigned int                      verify_status;

  /* Borrowed, for the operation under way */
  GSocket                          *socket;
  GCancellable                     *cancellable;
  gint64                            deadline;
};

gnutls_certificate_credentials_t _stamp_tls_get_system_credentials   (void);
int                              _stamp_tls_load_credentials         (const char                        *ca_file,
                                                                      gboolean                           with_system,
                                                                      gnutls_certificate_credentials_t  *out);
char                            *_stamp_tls_build_priority           (StampTlsVersion                    min_version,
                                                                      StampTlsVersion                    max_version);
void                             _stamp_tls_session_attach_transport (StampTlsSession                   *self);

G_END_DECLS

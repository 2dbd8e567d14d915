/* stamp-tls-session-trust.c
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

#define G_LOG_DOMAIN "stamp-tls-session"

#include "config.h"

#include "stamp-tls-session-private.h"

/* Whom a #StampTlsSession trusts: the authorities of a CA file, the
 * system's, or both (see stamp-tls-session.c for when each is read). */

/* The system trust store, read on first use and then shared by every
 * session of the process that needs it. GnuTLS lets sessions in several
 * threads share credentials that no one changes; these are never freed. */
static GMutex system_lock;
static gnutls_certificate_credentials_t system_credentials;

gnutls_certificate_credentials_t
_stamp_tls_get_system_credentials (void)
{
  gnutls_certificate_credentials_t credentials;

  g_mutex_lock (&system_lock);

  if (system_credentials == NULL &&
      gnutls_certificate_allocate_credentials (&system_credentials) >= 0)
    {
      int ret = gnutls_certificate_set_x509_system_trust (system_credentials);

      if (ret < 0)
        g_debug ("No system trust store: %s", gnutls_strerror (ret));
    }
  credentials = system_credentials;

  g_mutex_unlock (&system_lock);

  return credentials;
}

/* Credentials that trust @ca_file, and the system store too when
 * @with_system. Returns 0, or a GnuTLS error; a CA file that holds no
 * certificate is GNUTLS_E_NO_CERTIFICATE_FOUND. */
int
_stamp_tls_load_credentials (const char                        *ca_file,
                             gboolean                           with_system,
                             gnutls_certificate_credentials_t  *out)
{
  gnutls_certificate_credentials_t credentials = NULL;
  int ret;

  ret = gnutls_certificate_allocate_credentials (&credentials);
  if (ret < 0)
    return ret;

  if (with_system)
    {
      ret = gnutls_certificate_set_x509_system_trust (credentials);
      if (ret < 0)
        g_debug ("No system trust store: %s", gnutls_strerror (ret));
    }

  ret = gnutls_certificate_set_x509_trust_file (credentials, ca_file, GNUTLS_X509_FMT_PEM);
  if (ret <= 0)
    {
      gnutls_certificate_free_credentials (credentials);
      return ret == 0 ? GNUTLS_E_NO_CERTIFICATE_FOUND : ret;
    }

  *out = credentials;
  return 0;
}

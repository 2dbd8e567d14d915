/* stamp-tls-session-server.c
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

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-tls-session-private.h"

/* The server side of #StampTlsSession, for Stamp Relay: a certificate and
 * its key, read once per process (and again when either file changes) and
 * shared by every connection, since parsing a key costs more than the rest
 * of a session's set-up. GnuTLS lets sessions in several threads share
 * credentials no one changes; superseded ones are kept, since a session in
 * another thread may still use them, and a process makes few. */

static GMutex credentials_lock;
static GHashTable *credentials_cache;

static char *
cache_key (const char *cert_file,
           const char *key_file)
{
  g_autoptr(GFileInfo) cert_info = NULL;
  g_autoptr(GFileInfo) key_info = NULL;
  g_autoptr(GFile) cert = g_file_new_for_path (cert_file);
  g_autoptr(GFile) key = g_file_new_for_path (key_file);
  const char *attributes = G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_STANDARD_SIZE;
  const char *mtime = G_FILE_ATTRIBUTE_TIME_MODIFIED;

  cert_info = g_file_query_info (cert, attributes, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  key_info = g_file_query_info (key, attributes, G_FILE_QUERY_INFO_NONE, NULL, NULL);

  return g_strdup_printf ("%s\n%s\n%" G_GUINT64_FORMAT ":%" G_GOFFSET_FORMAT "\n%"
                          G_GUINT64_FORMAT ":%" G_GOFFSET_FORMAT,
                          cert_file, key_file,
                          cert_info ? g_file_info_get_attribute_uint64 (cert_info, mtime) : 0,
                          cert_info ? g_file_info_get_size (cert_info) : 0,
                          key_info ? g_file_info_get_attribute_uint64 (key_info, mtime) : 0,
                          key_info ? g_file_info_get_size (key_info) : 0);
}

static gnutls_certificate_credentials_t
get_credentials (const char  *cert_file,
                 const char  *key_file,
                 GError     **error)
{
  g_autofree char *key = cache_key (cert_file, key_file);
  gnutls_certificate_credentials_t credentials;
  int ret;

  g_mutex_lock (&credentials_lock);

  if (credentials_cache == NULL)
    credentials_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  credentials = g_hash_table_lookup (credentials_cache, key);
  if (credentials == NULL)
    {
      ret = gnutls_certificate_allocate_credentials (&credentials);
      if (ret >= 0)
        ret = gnutls_certificate_set_x509_key_file (credentials, cert_file, key_file,
                                                    GNUTLS_X509_FMT_PEM);
      if (ret < 0)
        {
          g_clear_pointer (&credentials, gnutls_certificate_free_credentials);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("Could not read the certificate “%s” with its key “%s”: %s"),
                       cert_file, key_file, gnutls_strerror (ret));
        }
      else
        g_hash_table_insert (credentials_cache, g_steal_pointer (&key), credentials);
    }

  g_mutex_unlock (&credentials_lock);

  return credentials;
}

static StampTlsSession *
new_server_session (gnutls_certificate_credentials_t   credentials,
                    StampTlsVersion                    min_version,
                    StampTlsVersion                    max_version,
                    GError                           **error)
{
  g_autoptr(StampTlsSession) self = g_object_new (STAMP_TYPE_TLS_SESSION, NULL);
  g_autofree char *priority = _stamp_tls_build_priority (min_version, max_version);
  int ret;

  gnutls_init (&self->session, GNUTLS_SERVER);
  ret = gnutls_priority_set_direct (self->session, priority, NULL);
  if (ret < 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_HANDSHAKE_FAILED,
                   _("Could not set up TLS: %s"), gnutls_strerror (ret));
      return NULL;
    }

  gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_certificate_server_set_request (self->session, GNUTLS_CERT_IGNORE);
  gnutls_session_set_ptr (self->session, self);
  _stamp_tls_session_attach_transport (self);

  return g_steal_pointer (&self);
}

/**
 * stamp_tls_session_new_server:
 * @cert_file: a PEM file with the server's certificate (and its chain)
 * @key_file: a PEM file with the certificate's private key
 * @min_version: the lowest TLS version to accept from the client
 * @max_version: the highest TLS version to accept
 * @error: return location for a #GError
 *
 * Makes the server end of a session, for a submission server's STARTTLS.
 * Clients are not asked for a certificate. Errors:
 * %STAMP_ERROR_INVALID_INPUT when the files cannot be read as a
 * certificate and its key, %STAMP_ERROR_TLS_HANDSHAKE_FAILED when GnuTLS
 * cannot be set up.
 *
 * Returns: (transfer full): a session ready for a handshake, or %NULL
 */
StampTlsSession *
stamp_tls_session_new_server (const char       *cert_file,
                              const char       *key_file,
                              StampTlsVersion   min_version,
                              StampTlsVersion   max_version,
                              GError          **error)
{
  gnutls_certificate_credentials_t credentials;

  g_return_val_if_fail (cert_file != NULL && key_file != NULL, NULL);
  g_return_val_if_fail (min_version <= max_version, NULL);

  credentials = get_credentials (cert_file, key_file, error);
  if (credentials == NULL)
    return NULL;

  return new_server_session (credentials, min_version, max_version, error);
}

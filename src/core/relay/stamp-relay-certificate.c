/* stamp-relay-certificate.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "stamp-error.h"
#include "stamp-relay-certificate.h"

/* The relay's own certificate, for devices that start TLS but check no
 * certificate (printers and scanners rarely can): made once with GnuTLS
 * and kept, so a device that pins it keeps working. RSA, since old
 * devices that speak only TLS 1.0 know no other key. */

#define KEY_BITS       2048
#define VALID_YEARS    10

typedef struct gnutls_x509_privkey_int gnutls_x509_privkey_int;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (gnutls_x509_privkey_int, gnutls_x509_privkey_deinit)
typedef struct gnutls_x509_crt_int gnutls_x509_crt_int;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (gnutls_x509_crt_int, gnutls_x509_crt_deinit)

static void
clear_datum (gnutls_datum_t *datum)
{
  if (datum->data != NULL)
    explicit_bzero (datum->data, datum->size);
  g_clear_pointer (&datum->data, gnutls_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (gnutls_datum_t, clear_datum)

static gboolean
fail (int      ret,
      GError **error)
{
  g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_HANDSHAKE_FAILED,
               _("Could not make the relay’s certificate: %s"), gnutls_strerror (ret));
  return FALSE;
}

/* Valid from yesterday (a device's clock may lag) for ten years, for this
 * computer's name, "localhost" and 127.0.0.1; a server certificate only.
 * Returns 0 or a GnuTLS error. */
static int
fill_certificate (gnutls_x509_crt_t      crt,
                  gnutls_x509_privkey_t  key,
                  const guint8          *serial,
                  gsize                  serial_len)
{
  const char *host = g_get_host_name ();
  const guint8 loopback4[] = { 127, 0, 0, 1 };
  const char *organization = "Stamp Relay";
  time_t now = time (NULL);
  time_t until = now + (time_t) VALID_YEARS * 365 * 24 * 3600;
  int ret;

  if ((ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_serial (crt, serial, serial_len)) < 0 ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt, until)) < 0)
    return ret;

  if ((ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                            host, strlen (host))) < 0 ||
      (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                            organization, strlen (organization))) < 0 ||
      (ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host, strlen (host),
                                                   GNUTLS_FSAN_SET)) < 0 ||
      (ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                                                   GNUTLS_FSAN_APPEND)) < 0 ||
      (ret = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback4,
                                                   sizeof loopback4, GNUTLS_FSAN_APPEND)) < 0)
    return ret;

  if ((ret = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0 ||
      (ret = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                 GNUTLS_KEY_KEY_ENCIPHERMENT)) < 0 ||
      (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0)
    return ret;

  return gnutls_x509_crt_set_key (crt, key);
}

static gboolean
make_certificate (const char  *cert_file,
                  const char  *key_file,
                  GError     **error)
{
  g_autoptr(gnutls_x509_privkey_int) key = NULL;
  g_autoptr(gnutls_x509_crt_int) crt = NULL;
  g_auto(gnutls_datum_t) key_pem = { NULL, 0 };
  g_auto(gnutls_datum_t) crt_pem = { NULL, 0 };
  guint8 serial[16];
  int ret;

  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA, KEY_BITS, 0)) < 0 ||
      (ret = gnutls_x509_crt_init (&crt)) < 0)
    return fail (ret, error);

  /* RFC 5280 §4.1.2.2: positive, at most 20 octets. */
  if ((ret = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    return fail (ret, error);
  serial[0] &= 0x7f;

  if ((ret = fill_certificate (crt, key, serial, sizeof serial)) < 0 ||
      (ret = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0 ||
      (ret = gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &key_pem)) < 0 ||
      (ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem)) < 0)
    return fail (ret, error);

  /* The key first: a certificate without its key would be taken as made. */
  return g_file_set_contents_full (key_file, (const char *) key_pem.data, key_pem.size,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error) &&
         g_file_set_contents_full (cert_file, (const char *) crt_pem.data, crt_pem.size,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/**
 * stamp_relay_certificate_ensure:
 * @dir: (nullable): where to keep it; %NULL for
 *   $XDG_CONFIG_HOME/stamp/relay-tls
 * @cert_file: (out) (transfer full): the certificate's path (PEM)
 * @key_file: (out) (transfer full): its key's path (PEM, mode 0600)
 * @error: return location for a #GError
 *
 * Makes the relay's self-signed certificate the first time, and finds it
 * every time after. Errors: a #GFileError when the folder or the files
 * cannot be written, %STAMP_ERROR_TLS_HANDSHAKE_FAILED when GnuTLS cannot
 * make them.
 *
 * Returns: %TRUE with both paths set
 */
gboolean
stamp_relay_certificate_ensure (const char  *dir,
                                char       **cert_file,
                                char       **key_file,
                                GError     **error)
{
  g_autofree char *default_dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (cert_file != NULL && key_file != NULL, FALSE);

  if (dir == NULL)
    dir = default_dir = g_build_filename (g_get_user_config_dir (), "stamp", "relay-tls", NULL);

  cert = g_build_filename (dir, "relay-cert.pem", NULL);
  key = g_build_filename (dir, "relay-key.pem", NULL);

  if (!g_file_test (cert, G_FILE_TEST_IS_REGULAR) || !g_file_test (key, G_FILE_TEST_IS_REGULAR))
    {
      if (g_mkdir_with_parents (dir, 0700) < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not make the folder “%s”: %s"), dir, g_strerror (saved));
          return FALSE;
        }
      if (!make_certificate (cert, key, error))
        return FALSE;
    }

  *cert_file = g_steal_pointer (&cert);
  *key_file = g_steal_pointer (&key);
  return TRUE;
}

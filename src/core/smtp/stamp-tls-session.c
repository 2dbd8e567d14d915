/* stamp-tls-session.c
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

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "stamp-error.h"
#include "stamp-tls-session-private.h"
#include "stamp-tls-session.h"
#include "stamp-net.h"
#include "stamp-util.h"

/* gnutls_x509_crt_t is a pointer type; g_autoptr wants the struct. */
typedef struct gnutls_x509_crt_int gnutls_x509_crt_int;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (gnutls_x509_crt_int, gnutls_x509_crt_deinit)

static void
clear_datum (gnutls_datum_t *datum)
{
  g_clear_pointer (&datum->data, gnutls_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (gnutls_datum_t, clear_datum)

/*
 * StampTlsSession:
 *
 * A GnuTLS client session over a connected, non-blocking #GSocket. It
 * verifies the server against the system trust store (and an optional
 * extra CA file), sends SNI, holds to a minimum protocol version, and
 * reports what was negotiated and which certificates the server showed.
 * Reads and writes honour a deadline and a #GCancellable, because GnuTLS
 * calls back into our transport functions, which wait with both.
 *
 * A server session (stamp_tls_session_new_server(), for the relay) uses
 * the same transport with a certificate and key instead of a trust store.
 *
 * Reading the system trust store (some 150 certificates) costs more
 * processor time than all the rest of a send, so it is read at most once
 * per process and only when needed: a session without a CA file shares the
 * one copy; a session with a CA file first verifies the server against that
 * file alone, and only a server it does not vouch for is judged again
 * against the CA file and the system store together, as every server was
 * before. A chain the CA file alone accepts, the two together accept too,
 * so the verdict is the same; it just comes cheaper.
 */
G_DEFINE_FINAL_TYPE (StampTlsSession, stamp_tls_session, G_TYPE_OBJECT)

static void
remember_transport_error (StampTlsSession *self,
                          GError          *error)
{
  g_clear_error (&self->transport_error);
  self->transport_error = error;
  gnutls_transport_set_errno (self->session, EIO);
}

static ssize_t
push_cb (gnutls_transport_ptr_t  user_data,
         const void             *data,
         size_t                  len)
{
  StampTlsSession *self = user_data;
  GError *error = NULL;

  if (!stamp_socket_send_all (self->socket, data, len, self->deadline,
                              self->cancellable, &error))
    {
      remember_transport_error (self, error);
      return -1;
    }

  return len;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t  user_data,
         void                   *data,
         size_t                  len)
{
  StampTlsSession *self = user_data;
  GError *error = NULL;
  gssize received;

  received = stamp_socket_receive (self->socket, data, len, self->deadline,
                                   self->cancellable, &error);
  if (received < 0)
    {
      remember_transport_error (self, error);
      return -1;
    }

  return received;
}

/* GnuTLS asks this when it wants to know whether data is waiting; the
 * default would treat our transport pointer as a file descriptor. */
static int
pull_timeout_cb (gnutls_transport_ptr_t user_data,
                 unsigned int           ms)
{
  StampTlsSession *self = user_data;
  gint64 limit = g_get_monotonic_time () + (gint64) ms * 1000;
  GError *error = NULL;

  if (stamp_socket_wait (self->socket, G_IO_IN, MIN (limit, self->deadline),
                         self->cancellable, &error))
    return 1;

  if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT) && limit < self->deadline)
    {
      g_error_free (error);
      return 0;
    }

  remember_transport_error (self, error);
  return -1;
}

/* Verifies the server's chain and name with GnuTLS' own check (the one
 * gnutls_session_set_verify_cert() runs), against the CA file first and,
 * when that alone does not vouch for the server, against the CA file and
 * the system store together. Returns 0 with @status set, or a GnuTLS
 * error. */
static int
verify_peer (StampTlsSession *self,
             unsigned int    *status)
{
  int ret;

  ret = gnutls_certificate_verify_peers3 (self->session, self->server_name, status);
  if (ret < 0 || *status == 0 || self->ca_credentials == NULL || self->full_credentials != NULL)
    return ret;

  g_debug ("The CA file does not vouch for %s; consulting the system trust store",
           self->server_name);
  ret = _stamp_tls_load_credentials (self->ca_file, TRUE, &self->full_credentials);
  if (ret < 0)
    return ret;

  gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, self->full_credentials);

  return gnutls_certificate_verify_peers3 (self->session, self->server_name, status);
}

/* Runs during the handshake once the server has shown its certificate; a
 * refusal ends the handshake before anything is sent through it. */
static int
verify_certificate_cb (gnutls_session_t session)
{
  StampTlsSession *self = gnutls_session_get_ptr (session);

  if (verify_peer (self, &self->verify_status) < 0)
    return GNUTLS_E_CERTIFICATE_ERROR;

  return self->verify_status == 0 ? 0 : GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
}

/* Lets a handshake through whatever the certificate; the verdict is asked
 * for afterwards with stamp_tls_session_check_trust(). */
static int
accept_any_certificate_cb (gnutls_session_t session)
{
  return 0;
}

static char *
describe_certificate (gnutls_x509_crt_t crt)
{
  g_auto(gnutls_datum_t) subject = { NULL, 0 };
  g_auto(gnutls_datum_t) issuer = { NULL, 0 };
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expires_str = NULL;
  time_t expiration = gnutls_x509_crt_get_expiration_time (crt);

  gnutls_x509_crt_get_dn3 (crt, &subject, 0);
  gnutls_x509_crt_get_issuer_dn3 (crt, &issuer, 0);

  expires = g_date_time_new_from_unix_utc (expiration);
  expires_str = expires != NULL ? g_date_time_format (expires, "%Y-%m-%d") : g_strdup ("?");

  /* Translators: a certificate's subject, its issuer and expiry date */
  return g_strdup_printf (_("%s, issued by %s, valid until %s"),
                          subject.data != NULL ? (char *) subject.data : "?",
                          issuer.data != NULL ? (char *) issuer.data : "?",
                          expires_str);
}

static void
collect_certificates (StampTlsSession *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  const gnutls_datum_t *chain;
  unsigned int n_certs = 0;

  chain = gnutls_certificate_get_peers (self->session, &n_certs);

  for (unsigned int i = 0; chain != NULL && i < n_certs; i++)
    {
      g_autoptr(gnutls_x509_crt_int) crt = NULL;

      if (gnutls_x509_crt_init (&crt) < 0)
        break;

      if (gnutls_x509_crt_import (crt, &chain[i], GNUTLS_X509_FMT_DER) < 0)
        g_ptr_array_add (lines, g_strdup (_("(a certificate that could not be read)")));
      else
        g_ptr_array_add (lines, describe_certificate (crt));
    }

  g_clear_pointer (&self->certificates, g_strfreev);
  self->certificates = (GStrv) g_ptr_array_steal (lines, NULL);
}

static void
set_verification_error (StampTlsSession  *self,
                        unsigned int      status,
                        GError          **error)
{
  const char *subject = self->certificates != NULL && self->certificates[0] != NULL
                        ? self->certificates[0] : _("(no certificate)");

  if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_EXPIRED,
                 (status & GNUTLS_CERT_EXPIRED)
                 ? _("The server’s certificate has expired: %s")
                 : _("The server’s certificate is not valid yet: %s"),
                 subject);
  else if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_HOSTNAME,
                 _("The server’s certificate is not for “%s”: %s"),
                 self->server_name, subject);
  else if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_UNKNOWN_ISSUER,
                 _("The server’s certificate is signed by an authority this computer does "
                   "not trust: %s"),
                 subject);
  else if (status & GNUTLS_CERT_REVOKED)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_REVOKED,
                 _("The server’s certificate has been revoked: %s"), subject);
  else if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_INSECURE,
                 _("The server’s certificate uses an insecure algorithm: %s"), subject);
  else
    {
      g_auto(gnutls_datum_t) text = { NULL, 0 };

      gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &text, 0);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_INVALID,
                   _("The server’s certificate is not valid (%s): %s"),
                   text.data != NULL ? (char *) text.data : "?", subject);
    }
}

/* Turns a GnuTLS failure into the most specific error we can name: our own
 * transport error (deadline, cancel, closed) first, since GnuTLS only sees
 * EIO. */
static void
set_gnutls_error (StampTlsSession  *self,
                  int               code,
                  const char       *doing,
                  GError          **error)
{
  if (self->transport_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->transport_error));
      return;
    }

  switch (code)
    {
    case GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR:
      set_verification_error (self, self->verify_status, error);
      break;

    case GNUTLS_E_UNSUPPORTED_VERSION_PACKET:
    case GNUTLS_E_NO_COMMON_KEY_SHARE:
    case GNUTLS_E_INSUFFICIENT_SECURITY:
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_VERSION,
                   _("The server and Stamp have no TLS version or cipher in common (%s)"),
                   gnutls_strerror (code));
      break;

    case GNUTLS_E_FATAL_ALERT_RECEIVED:
      {
        gnutls_alert_description_t alert = gnutls_alert_get (self->session);
        int stamp_code = alert == GNUTLS_A_PROTOCOL_VERSION || alert == GNUTLS_A_HANDSHAKE_FAILURE
                         || alert == GNUTLS_A_INSUFFICIENT_SECURITY
                         ? STAMP_ERROR_TLS_VERSION : STAMP_ERROR_TLS_HANDSHAKE_FAILED;

        g_set_error (error, STAMP_ERROR, stamp_code,
                     _("The server ended the TLS handshake: %s"), gnutls_alert_get_name (alert));
      }
      break;

    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_UNEXPECTED_PACKET_LENGTH:
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                   _("The server closed the connection during %s"), doing);
      break;

    default:
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_HANDSHAKE_FAILED,
                   /* Translators: %s is what was under way ("the TLS handshake"), then the
                    * TLS library's message */
                   _("TLS failed during %s: %s"), doing, gnutls_strerror (code));
    }
}

/* Under False Start (TLS 1.2) the handshake returns before the server's
 * Finished, while GnuTLS still names the cipher "NULL"; the first record
 * read completes the handshake, and then the cipher has its name. */
static void
refresh_cipher (StampTlsSession *self)
{
  gnutls_cipher_algorithm_t cipher;

  if (g_strcmp0 (self->cipher, "NULL") != 0)
    return;

  cipher = gnutls_cipher_get (self->session);
  if (cipher != GNUTLS_CIPHER_NULL)
    stamp_set_str (&self->cipher, gnutls_cipher_get_name (cipher));
}

static void
begin_operation (StampTlsSession *self,
                 gint64           deadline,
                 GCancellable    *cancellable)
{
  self->deadline = deadline;
  self->cancellable = cancellable;
  g_clear_error (&self->transport_error);
}

void
_stamp_tls_session_attach_transport (StampTlsSession *self)
{
  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_push_function (self->session, push_cb);
  gnutls_transport_set_pull_function (self->session, pull_cb);
  gnutls_transport_set_pull_timeout_function (self->session, pull_timeout_cb);
}

static void
stamp_tls_session_finalize (GObject *object)
{
  StampTlsSession *self = (StampTlsSession *)object;

  g_clear_pointer (&self->session, gnutls_deinit);
  g_clear_pointer (&self->ca_credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->full_credentials, gnutls_certificate_free_credentials);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->cipher, g_free);
  g_clear_pointer (&self->certificates, g_strfreev);
  g_clear_error (&self->transport_error);

  G_OBJECT_CLASS (stamp_tls_session_parent_class)->finalize (object);
}

static void
stamp_tls_session_class_init (StampTlsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_tls_session_finalize;
}

static void
stamp_tls_session_init (StampTlsSession *self)
{
}

char *
_stamp_tls_build_priority (StampTlsVersion min_version,
                           StampTlsVersion max_version)
{
  static const char * const names[] = {
    "VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2", "VERS-TLS1.3",
  };
  GString *priority = g_string_new ("NORMAL:-VERS-ALL");

  for (int v = max_version; v >= (int) min_version; v--)
    g_string_append_printf (priority, ":+%s", names[v]);

  return g_string_free (priority, FALSE);
}

/**
 * stamp_tls_session_new:
 * @server_name: the host name (or address) the certificate must match
 * @ca_file: (nullable): a PEM file of extra trusted authorities
 * @min_version: the lowest TLS version to accept (1.2 unless testing)
 * @max_version: the highest TLS version to offer
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a session ready for a handshake, or %NULL
 */
StampTlsSession *
stamp_tls_session_new (const char       *server_name,
                       const char       *ca_file,
                       StampTlsVersion   min_version,
                       StampTlsVersion   max_version,
                       GError          **error)
{
  g_autoptr(StampTlsSession) self = NULL;
  g_autofree char *priority = NULL;
  gnutls_certificate_credentials_t credentials;
  int ret;

  g_return_val_if_fail (server_name != NULL, NULL);
  g_return_val_if_fail (min_version <= max_version, NULL);

  self = g_object_new (STAMP_TYPE_TLS_SESSION, NULL);
  self->server_name = g_strdup (server_name);
  self->ca_file = g_strdup (ca_file);

  if (ca_file != NULL)
    {
      ret = _stamp_tls_load_credentials (ca_file, FALSE, &self->ca_credentials);
      if (ret < 0)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("Could not read trusted certificates from “%s”: %s"), ca_file,
                       ret == GNUTLS_E_NO_CERTIFICATE_FOUND
                       ? _("the file holds no PEM certificate") : gnutls_strerror (ret));
          return NULL;
        }
      credentials = self->ca_credentials;
    }
  else
    credentials = _stamp_tls_get_system_credentials ();

  if (credentials == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_HANDSHAKE_FAILED,
                   _("Could not set up TLS"));
      return NULL;
    }

  /* False start lets a TLS 1.2 client send its first data with its Finished
   * message, saving a round trip; TLS 1.3 needs no help. */
  gnutls_init (&self->session, GNUTLS_CLIENT | GNUTLS_ENABLE_FALSE_START);
  priority = _stamp_tls_build_priority (min_version, max_version);
  ret = gnutls_priority_set_direct (self->session, priority, NULL);
  if (ret < 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_HANDSHAKE_FAILED,
                   _("Could not set up TLS: %s"), gnutls_strerror (ret));
      return NULL;
    }

  gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, credentials);

  /* RFC 6066 §3: SNI carries host names only, never a literal address. */
  if (!g_hostname_is_ip_address (server_name))
    gnutls_server_name_set (self->session, GNUTLS_NAME_DNS, server_name, strlen (server_name));
  gnutls_session_set_ptr (self->session, self);
  gnutls_session_set_verify_function (self->session, verify_certificate_cb);
  _stamp_tls_session_attach_transport (self);

  return g_steal_pointer (&self);
}

/**
 * stamp_tls_session_handshake:
 * @self: a #StampTlsSession
 * @socket: the connected socket, non-blocking
 * @deadline: monotonic time (µs) by which the handshake must be done
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs the handshake, which includes verifying the server's certificate.
 * A verification failure is an error naming the reason.
 *
 * Returns: %TRUE when the session is up
 */
gboolean
stamp_tls_session_handshake (StampTlsSession  *self,
                             GSocket          *socket,
                             gint64            deadline,
                             GCancellable     *cancellable,
                             GError          **error)
{
  int ret;

  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);

  self->socket = socket;
  begin_operation (self, deadline, cancellable);

  do
    ret = gnutls_handshake (self->session);
  while (ret < 0 && !gnutls_error_is_fatal (ret) && self->transport_error == NULL);

  /* Collected even on failure: the chain explains a verification error. */
  collect_certificates (self);

  if (ret < 0)
    {
      set_gnutls_error (self, ret, _("the TLS handshake"), error);
      return FALSE;
    }

  self->version = g_strdup (gnutls_protocol_get_name (gnutls_protocol_get_version (self->session)));
  self->cipher = g_strdup (gnutls_cipher_get_name (gnutls_cipher_get (self->session)));

  return TRUE;
}

gboolean
stamp_tls_session_send_all (StampTlsSession  *self,
                            const char       *data,
                            gsize             len,
                            gint64            deadline,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), FALSE);

  begin_operation (self, deadline, cancellable);

  /* Corked, so a pipelined group leaves as few records and packets as it can. */
  gnutls_record_cork (self->session);

  while (len > 0)
    {
      gssize sent = gnutls_record_send (self->session, data, MIN (len, 16384));

      if (sent == GNUTLS_E_AGAIN || sent == GNUTLS_E_INTERRUPTED)
        continue;

      if (sent < 0)
        {
          set_gnutls_error (self, sent, _("sending"), error);
          return FALSE;
        }

      data += sent;
      len -= sent;
    }

  for (;;)
    {
      int ret = gnutls_record_uncork (self->session, GNUTLS_RECORD_WAIT);

      if (ret >= 0)
        return TRUE;

      if (ret != GNUTLS_E_AGAIN && ret != GNUTLS_E_INTERRUPTED)
        {
          set_gnutls_error (self, ret, _("sending"), error);
          return FALSE;
        }
    }
}

/**
 * stamp_tls_session_receive:
 *
 * Returns: bytes read, 0 when the server closed the session, -1 with
 *   @error set
 */
gssize
stamp_tls_session_receive (StampTlsSession  *self,
                           char             *buffer,
                           gsize             size,
                           gint64            deadline,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), -1);

  begin_operation (self, deadline, cancellable);

  for (;;)
    {
      gssize received = gnutls_record_recv (self->session, buffer, size);

      if (received >= 0)
        {
          refresh_cipher (self);
          return received;
        }

      if (received == GNUTLS_E_AGAIN || received == GNUTLS_E_INTERRUPTED)
        continue;

      /* A post-handshake message (a TLS 1.3 session ticket) is not data. */
      if (received == GNUTLS_E_REHANDSHAKE || received == GNUTLS_E_WARNING_ALERT_RECEIVED)
        continue;

      if (received == GNUTLS_E_PREMATURE_TERMINATION && self->transport_error == NULL)
        return 0;

      set_gnutls_error (self, received, _("receiving"), error);
      return -1;
    }
}

/**
 * stamp_tls_session_close:
 * @self: a #StampTlsSession
 *
 * Sends close_notify without waiting for the server's, since nothing more
 * is read.
 */
void
stamp_tls_session_close (StampTlsSession *self)
{
  g_return_if_fail (STAMP_IS_TLS_SESSION (self));

  if (self->socket == NULL)
    return;

  begin_operation (self, stamp_deadline_from_now (1), NULL);
  gnutls_bye (self->session, GNUTLS_SHUT_WR);
}

/**
 * stamp_tls_session_get_version:
 * @self: a #StampTlsSession
 *
 * Returns: (nullable): the negotiated version ("TLS1.3") after a handshake
 */
const char *
stamp_tls_session_get_version (StampTlsSession *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), NULL);

  return self->version;
}

/**
 * stamp_tls_session_get_cipher:
 * @self: a #StampTlsSession
 *
 * Returns: (nullable): the negotiated cipher ("AES-256-GCM"); "NULL" for a
 *   TLS 1.2 session until the first read, because of False Start
 */
const char *
stamp_tls_session_get_cipher (StampTlsSession *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), NULL);

  return self->cipher;
}

/**
 * stamp_tls_session_get_certificates:
 * @self: a #StampTlsSession
 *
 * Returns: (transfer none) (nullable): one line per certificate the server
 *   sent, its own first: subject, issuer and expiry
 */
const char * const *
stamp_tls_session_get_certificates (StampTlsSession *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), NULL);

  return (const char * const *) self->certificates;
}

/**
 * stamp_tls_session_allow_untrusted:
 * @self: a #StampTlsSession, before its handshake
 *
 * Lets the handshake succeed even when the server's certificate is not
 * trusted, for a probe that only asks which TLS versions a server accepts.
 * Never use it for a session that carries a credential or a message.
 */
void
stamp_tls_session_allow_untrusted (StampTlsSession *self)
{
  g_return_if_fail (STAMP_IS_TLS_SESSION (self));

  gnutls_session_set_verify_function (self->session, accept_any_certificate_cb);
}

/**
 * stamp_tls_session_check_trust:
 * @self: a #StampTlsSession after a successful handshake
 * @error: return location for a #GError
 *
 * Verifies the server's certificate as a normal handshake would, for a
 * session made with stamp_tls_session_allow_untrusted().
 *
 * Returns: %TRUE when the certificate is trusted for the server name;
 *   otherwise %FALSE with @error naming the reason
 */
gboolean
stamp_tls_session_check_trust (StampTlsSession  *self,
                               GError          **error)
{
  unsigned int status = 0;
  int ret;

  g_return_val_if_fail (STAMP_IS_TLS_SESSION (self), FALSE);
  g_return_val_if_fail (self->version != NULL, FALSE);

  ret = verify_peer (self, &status);
  if (ret < 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_CERT_INVALID,
                   _("The server’s certificate could not be checked: %s"), gnutls_strerror (ret));
      return FALSE;
    }

  if (status != 0)
    {
      set_verification_error (self, status, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * stamp_tls_session_can_offer:
 * @version: a TLS version
 *
 * Tells whether this computer's GnuTLS, with its system-wide policy
 * (/etc/gnutls/config), lets a client offer @version at all.
 *
 * Returns: %TRUE when a session limited to @version could be set up
 */
gboolean
stamp_tls_session_can_offer (StampTlsVersion version)
{
  static const gnutls_protocol_t protocols[] = {
    GNUTLS_TLS1_0, GNUTLS_TLS1_1, GNUTLS_TLS1_2, GNUTLS_TLS1_3,
  };
  g_autofree char *priority = NULL;
  gnutls_priority_t cache = NULL;
  const unsigned int *list = NULL;
  gboolean found = FALSE;
  int n;

  g_return_val_if_fail (version <= STAMP_TLS_VERSION_1_3, FALSE);

  /* A policy that disables the version leaves the priority string with no
   * version at all, which GnuTLS refuses, or drops it from the list. */
  priority = _stamp_tls_build_priority (version, version);
  if (gnutls_priority_init2 (&cache, priority, NULL, 0) < 0)
    return FALSE;

  n = gnutls_priority_protocol_list (cache, &list);
  for (int i = 0; i < n; i++)
    found = found || list[i] == (unsigned int) protocols[version];

  gnutls_priority_deinit (cache);

  return found;
}

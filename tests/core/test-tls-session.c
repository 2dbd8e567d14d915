/* test-tls-session.c
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

/* The GnuTLS session on its own, against the loopback server in implicit
 * TLS mode: what it reports, which versions it accepts, its deadline, and
 * whom it trusts. */

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE

#include "config.h"

#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"
#include "stamp-tls-session.h"
#include "stamp-util.h"

static GSocket *
connect_loopback (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);

  return socket;
}

static StampTlsSession *
new_session_trusting (const char      *host,
                      const char      *ca_name,
                      StampTlsVersion  min_version,
                      StampTlsVersion  max_version)
{
  g_autofree char *ca = ca_name != NULL ? stamp_test_cert_path (ca_name) : NULL;
  g_autoptr(GError) error = NULL;
  StampTlsSession *session;

  session = stamp_tls_session_new (host, ca, min_version, max_version, &error);
  g_assert_no_error (error);

  return session;
}

static StampTlsSession *
new_session (const char      *host,
             StampTlsVersion  min_version,
             StampTlsVersion  max_version)
{
  return new_session_trusting (host, "ca.pem", min_version, max_version);
}

/* Starts a TLS server showing @cert_name and handshakes with it, trusting
 * @ca_name (NULL: the system store alone). */
static gboolean
handshake_with (const char  *cert_name,
                const char  *ca_name,
                GError     **error)
{
  g_autofree char *cert_file = g_strdup_printf ("%s.pem", cert_name);
  g_autofree char *key_file = g_strdup_printf ("%s-key.pem", cert_name);
  g_autofree char *cert = stamp_test_cert_path (cert_file);
  g_autofree char *key = stamp_test_cert_path (key_file);
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", "--cert", cert,
                                                               "--key", key, NULL);
  g_autoptr(GSocket) socket = connect_loopback (stamp_test_server_get_port (server));
  g_autoptr(StampTlsSession) session =
    new_session_trusting ("localhost", ca_name, STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3);

  return stamp_tls_session_handshake (session, socket, stamp_deadline_from_now (10), NULL,
                                      error);
}

static void
test_handshake_reports (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", NULL);
  g_autoptr(GSocket) socket = connect_loopback (stamp_test_server_get_port (server));
  g_autoptr(StampTlsSession) session =
    new_session ("localhost", STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3);
  g_autoptr(GError) error = NULL;
  const char * const *certificates;
  char greeting[512];
  gssize received;

  stamp_tls_session_handshake (session, socket, stamp_deadline_from_now (10), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (stamp_tls_session_get_version (session), ==, "TLS1.3");
  g_assert_nonnull (stamp_tls_session_get_cipher (session));
  certificates = stamp_tls_session_get_certificates (session);
  g_assert_nonnull (certificates);
  g_assert_nonnull (strstr (certificates[0], "issued by"));
  g_assert_nonnull (strstr (certificates[0], "valid until"));

  /* Application data flows: the server greets through TLS. */
  received = stamp_tls_session_receive (session, greeting, sizeof greeting - 1,
                                        stamp_deadline_from_now (10), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (received, >, 4);
  greeting[received] = '\0';
  g_assert_true (g_str_has_prefix (greeting, "220"));

  stamp_tls_session_close (session);
}

static void
test_version_range (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", NULL);
  g_autoptr(GSocket) socket = connect_loopback (stamp_test_server_get_port (server));
  g_autoptr(StampTlsSession) session =
    new_session ("localhost", STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_2);
  g_autoptr(GError) error = NULL;

  stamp_tls_session_handshake (session, socket, stamp_deadline_from_now (10), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stamp_tls_session_get_version (session), ==, "TLS1.2");
}

static void
test_bad_ca_file (void)
{
  g_autoptr(StampTlsSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "not-a-certificate.pem", NULL);

  g_file_set_contents (path, "this is not PEM\n", -1, &error);
  g_assert_no_error (error);

  session = stamp_tls_session_new ("localhost", path, STAMP_TLS_VERSION_1_2,
                                   STAMP_TLS_VERSION_1_3, &error);
  g_assert_null (session);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  session = stamp_tls_session_new ("localhost", "/nonexistent/ca.pem", STAMP_TLS_VERSION_1_2,
                                   STAMP_TLS_VERSION_1_3, &error);
  g_assert_null (session);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
}

static void
test_handshake_deadline (void)
{
  /* A plain server that never speaks: the handshake waits for a reply that
   * does not come, and must give up at its deadline. */
  g_autoptr(StampTestServer) server = stamp_test_server_start ("none", "--scenario",
                                                               "stall-greeting", NULL);
  g_autoptr(GSocket) socket = connect_loopback (stamp_test_server_get_port (server));
  g_autoptr(StampTlsSession) session =
    new_session ("localhost", STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (stamp_tls_session_handshake (session, socket,
                                               g_get_monotonic_time () + G_USEC_PER_SEC / 2,
                                               NULL, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (3));
}

static void
test_handshake_cancel (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("none", "--scenario",
                                                               "stall-greeting", NULL);
  g_autoptr(GSocket) socket = connect_loopback (stamp_test_server_get_port (server));
  g_autoptr(StampTlsSession) session =
    new_session ("localhost", STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (stamp_tls_session_handshake (session, socket, stamp_deadline_from_now (30),
                                               cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_ca_file_not_enough (void)
{
  g_autoptr(GError) error = NULL;

  /* A CA file that did not sign the server's certificate, nor does the
   * system store: the server is refused after both were asked. */
  g_assert_false (handshake_with ("server", "other-ca.pem", &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_UNKNOWN_ISSUER);
  g_clear_error (&error);

  /* A certificate the CA file vouches for, but for another name. */
  g_assert_false (handshake_with ("wrong-host", "ca.pem", &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_HOSTNAME);
  g_clear_error (&error);

  g_assert_false (handshake_with ("expired", "ca.pem", &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_EXPIRED);
}

/* Debian's GnuTLS reads the system's authorities from this bundle. */
#define SYSTEM_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

/* In a private mount namespace, shows GnuTLS a system bundle that also
 * holds the test CA. */
static void
trust_test_ca_system_wide (void)
{
  g_autofree char *system = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *bundle = g_build_filename (stamp_test_work_dir (), "system-bundle.pem", NULL);
  g_autofree char *ca_path = stamp_test_cert_path ("ca.pem");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (SYSTEM_BUNDLE, &system, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (ca_path, &ca, NULL, &error);
  g_assert_no_error (error);
  contents = g_strconcat (system, "\n", ca, NULL);
  g_file_set_contents (bundle, contents, -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
  /* Nothing mounted here may reach the real system. */
  g_assert_cmpint (mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
  g_assert_cmpint (mount (bundle, SYSTEM_BUNDLE, NULL, MS_BIND, NULL), ==, 0);
}

static void
test_system_trust (void)
{
  const char *unshare_argv[] = { "unshare", "--mount", "true", NULL };
  gint status = -1;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      trust_test_ca_system_wide ();

      /* The server's authority is only in the system store: a session
       * without a CA file trusts it, and so does one whose CA file did not
       * sign the certificate. */
      handshake_with ("server", NULL, &error);
      g_assert_no_error (error);
      handshake_with ("server", "other-ca.pem", &error);
      g_assert_no_error (error);

      /* Trusted through the system store, still checked as strictly. */
      g_assert_false (handshake_with ("wrong-host", "other-ca.pem", &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_HOSTNAME);
      g_clear_error (&error);
      g_assert_false (handshake_with ("expired", NULL, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_EXPIRED);
      g_clear_error (&error);
      g_assert_false (handshake_with ("untrusted", NULL, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CERT_UNKNOWN_ISSUER);
      return;
    }

  /* Changing what the system trusts, even in a private mount namespace,
   * takes the right to mount. */
  if (!g_file_test (SYSTEM_BUNDLE, G_FILE_TEST_IS_REGULAR) ||
      !g_spawn_sync (NULL, (char **) unshare_argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("needs " SYSTEM_BUNDLE " and the right to make a mount namespace");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/tls-session/handshake", test_handshake_reports);
  g_test_add_func ("/stamp/tls-session/version-range", test_version_range);
  g_test_add_func ("/stamp/tls-session/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/stamp/tls-session/deadline", test_handshake_deadline);
  g_test_add_func ("/stamp/tls-session/cancel", test_handshake_cancel);
  g_test_add_func ("/stamp/tls-session/trust/ca-file-not-enough", test_ca_file_not_enough);
  g_test_add_func ("/stamp/tls-session/trust/system", test_system_trust);

  return g_test_run ();
}

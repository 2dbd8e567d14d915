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
 * TLS mode: what it reports, which versions it accepts, and its deadline. */

#include "config.h"

#include <string.h>

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
new_session (const char      *host,
             StampTlsVersion  min_version,
             StampTlsVersion  max_version)
{
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  StampTlsSession *session;

  session = stamp_tls_session_new (host, ca, min_version, max_version, &error);
  g_assert_no_error (error);

  return session;
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

  return g_test_run ();
}

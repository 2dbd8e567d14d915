/* test-tls-probe.c
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

/* The TLS version probe against loopback servers that each accept a chosen
 * range of versions, over STARTTLS and implicit TLS: what it finds, the
 * advice it gives, how it fails, and that it never signs in. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"
#include "stamp-tls-probe.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} ProbeRun;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  ProbeRun *run = user_data;

  run->ok = stamp_tls_probe_run_finish (STAMP_TLS_PROBE (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the probe to its end; cancels it after @cancel_after_ms if not 0. */
static gboolean
run_probe_full (StampTlsProbe  *probe,
                guint           cancel_after_ms,
                GError        **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ProbeRun run = { loop, FALSE, NULL };

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);

  stamp_tls_probe_run_async (probe, cancellable, run_cb, &run);
  g_main_loop_run (loop);

  g_assert_true (run.ok == (run.error == NULL));
  if (run.error != NULL)
    g_propagate_error (error, run.error);

  return run.ok;
}

static gboolean
run_probe (StampTlsProbe  *probe,
           GError        **error)
{
  return run_probe_full (probe, 0, error);
}

static StampTlsProbe *
new_probe (const char      *host,
           StampTestServer *server,
           const char      *security)
{
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  StampSecurity mode;
  StampTlsProbe *probe;

  g_assert_true (stamp_security_from_string (security, &mode));
  probe = stamp_tls_probe_new (host, stamp_test_server_get_port (server), mode);
  stamp_tls_probe_set_ca_file (probe, ca);
  stamp_tls_probe_set_timeout (probe, 10);

  return probe;
}

static guint
count_events (StampTestServer *server,
              const char      *event)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, event);

  return events->len;
}

/* The probe only ever says EHLO and STARTTLS: never AUTH, MAIL or a secret. */
static void
assert_never_signed_in (StampTestServer *server)
{
  g_autoptr(GPtrArray) commands = stamp_test_server_get_events (server, "command");

  g_assert_cmpuint (count_events (server, "auth"), ==, 0);
  g_assert_cmpuint (count_events (server, "message"), ==, 0);
  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = json_object_get_string_member (g_ptr_array_index (commands, i), "line");

      g_assert_true (g_str_has_prefix (line, "EHLO ") || g_str_equal (line, "STARTTLS"));
    }
}

typedef struct
{
  const char           *path;
  const char           *security;
  const char           *tls_min;
  const char           *tls_max;
  StampTlsProbeOutcome  outcomes[4];
  /* Words the advice must hold */
  const char           *advice;
} VersionCase;

#define ACCEPTED STAMP_TLS_PROBE_ACCEPTED
#define REFUSED  STAMP_TLS_PROBE_REFUSED

static const VersionCase version_cases[] = {
  { "/stamp/tls-probe/versions/starttls-1.2-only", "starttls", "1.2", "1.2",
    { REFUSED, REFUSED, ACCEPTED, REFUSED }, "local relay" },
  { "/stamp/tls-probe/versions/tls-1.2-1.3", "tls", "1.2", "1.3",
    { REFUSED, REFUSED, ACCEPTED, ACCEPTED }, "local relay" },
  { "/stamp/tls-probe/versions/tls-1.3-only", "tls", "1.3", "1.3",
    { REFUSED, REFUSED, REFUSED, ACCEPTED }, "Only devices that speak TLS 1.3" },
  /* smtp-server.py drops OpenSSL to security level 0 for these. */
  { "/stamp/tls-probe/versions/starttls-all", "starttls", "1.0", "1.3",
    { ACCEPTED, ACCEPTED, ACCEPTED, ACCEPTED }, "even old printers" },
  { "/stamp/tls-probe/versions/tls-legacy-only", "tls", "1.0", "1.1",
    { ACCEPTED, ACCEPTED, REFUSED, REFUSED }, "turn on TLS 1.2" },
  { "/stamp/tls-probe/versions/starttls-1.1-up", "starttls", "1.1", "1.3",
    { REFUSED, ACCEPTED, ACCEPTED, ACCEPTED }, "only speaks TLS 1.0 cannot" },
};

static void
test_versions (gconstpointer data)
{
  const VersionCase *test = data;
  g_autoptr(StampTestServer) server =
    stamp_test_server_start (test->security, "--tls-min", test->tls_min,
                             "--tls-max", test->tls_max, NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, test->security);
  g_autoptr(GError) error = NULL;
  guint accepted = 0;

  run_probe (probe, &error);
  g_assert_no_error (error);

  for (StampTlsVersion v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    {
      g_test_message ("TLS %s: %s (%s)", stamp_tls_version_to_string (v),
                      stamp_tls_probe_outcome_to_string (stamp_tls_probe_get_outcome (probe, v)),
                      stamp_tls_probe_get_message (probe, v));
      g_assert_cmpint (stamp_tls_probe_get_outcome (probe, v), ==, test->outcomes[v]);

      if (test->outcomes[v] == ACCEPTED)
        {
          /* A TLS 1.2 False Start session names its cipher only after a read. */
          g_assert_nonnull (stamp_tls_probe_get_cipher (probe, v));
          g_assert_cmpstr (stamp_tls_probe_get_cipher (probe, v), !=, "NULL");
          g_assert_null (stamp_tls_probe_get_message (probe, v));
          accepted++;
        }
      else
        {
          g_assert_null (stamp_tls_probe_get_cipher (probe, v));
          g_assert_nonnull (stamp_tls_probe_get_message (probe, v));
        }
    }

  /* Each version on a fresh connection, each handshake logged as such. */
  g_assert_cmpuint (count_events (server, "connect"), ==, 4);
  g_assert_cmpuint (count_events (server, "tls"), ==, accepted);

  g_assert_nonnull (stamp_tls_probe_get_certificates (probe));
  g_assert_null (stamp_tls_probe_get_certificate_error (probe));
  g_assert_nonnull (strstr (stamp_tls_probe_get_advice (probe), test->advice));
  g_assert_null (strstr (stamp_tls_probe_get_advice (probe), "Microsoft"));

  assert_never_signed_in (server);
}

static void
test_untrusted_certificate (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;
  const GError *verdict;

  /* Without the test CA the certificate is untrusted; that must not turn an
   * accepted version into a refused one. */
  stamp_tls_probe_set_ca_file (probe, NULL);
  run_probe (probe, &error);
  g_assert_no_error (error);

  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_2), ==, ACCEPTED);
  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_3), ==, ACCEPTED);
  verdict = stamp_tls_probe_get_certificate_error (probe);
  g_assert_nonnull (verdict);
  g_assert_true (g_error_matches (verdict, STAMP_ERROR, STAMP_ERROR_CERT_UNKNOWN_ISSUER));
  assert_never_signed_in (server);
}

static void
test_microsoft_365 (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--tls-min", "1.2", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("SMTP.Office365.com", server, "starttls");
  g_autoptr(GError) error = NULL;
  const char *advice;

  run_probe (probe, &error);
  g_assert_no_error (error);

  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_1), ==, REFUSED);
  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_2), ==, ACCEPTED);
  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_3), ==, ACCEPTED);
  advice = stamp_tls_probe_get_advice (probe);
  g_assert_nonnull (strstr (advice, "TLS 1.0 or 1.1 cannot"));
  g_assert_nonnull (strstr (advice, "Microsoft 365 relay connector"));
  g_assert_nonnull (strstr (advice, "Direct Send"));
  g_assert_nonnull (strstr (advice, "local relay"));

  /* The loopback certificate is not for that name: reported, not fatal. */
  g_assert_true (g_error_matches (stamp_tls_probe_get_certificate_error (probe), STAMP_ERROR,
                                  STAMP_ERROR_CERT_HOSTNAME));
  assert_never_signed_in (server);
}

static void
test_no_starttls (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("none", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED);
  g_assert_null (stamp_tls_probe_get_advice (probe));
  /* The same for every version, so asked once. */
  g_assert_cmpuint (count_events (server, "connect"), ==, 1);
  assert_never_signed_in (server);
}

static void
test_starttls_refused (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--scenario", "starttls-fails", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_STARTTLS_FAILED);
  g_assert_nonnull (strstr (error->message, "454"));
  assert_never_signed_in (server);
}

/* Plain text behind the 220 to STARTTLS: no handshake, for any version. */
static void
test_starttls_injection (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--scenario", "starttls-injects", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_STARTTLS_FAILED);
  g_assert_nonnull (strstr (error->message, "STARTTLS"));
  g_assert_cmpuint (count_events (server, "connect"), ==, 1);
  assert_never_signed_in (server);
}

static void
test_wrong_security (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("starttls", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "tls");
  g_autoptr(GError) error = NULL;

  /* A handshake against a plain-text greeting: every version fails, none
   * is called refused, and the advice points at the security setting. */
  run_probe (probe, &error);
  g_assert_no_error (error);
  for (StampTlsVersion v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    g_assert_cmpint (stamp_tls_probe_get_outcome (probe, v), ==, STAMP_TLS_PROBE_ERROR);
  g_assert_null (stamp_tls_probe_get_certificates (probe));
  g_assert_nonnull (strstr (stamp_tls_probe_get_advice (probe), "No TLS version was accepted"));
  g_assert_nonnull (strstr (stamp_tls_probe_get_advice (probe), "STARTTLS"));
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(StampTlsProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago and has no listener. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  probe = stamp_tls_probe_new ("127.0.0.1", port, STAMP_SECURITY_STARTTLS);
  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_REFUSED);
  for (StampTlsVersion v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    g_assert_cmpint (stamp_tls_probe_get_outcome (probe, v), ==, STAMP_TLS_PROBE_NOT_RUN);
}

static void
test_host_not_found (void)
{
  g_autoptr(StampTlsProbe) probe =
    stamp_tls_probe_new ("smtp.nowhere.invalid", 0, STAMP_SECURITY_TLS);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (stamp_tls_probe_get_port (probe), ==, 465);
  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_HOST_NOT_FOUND);
}

static void
test_cancel (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("none", "--scenario", "stall-greeting", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The deadline is long; cancelling must not wait for it. */
  stamp_tls_probe_set_timeout (probe, 60);
  g_assert_false (run_probe_full (probe, 300, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (3));
  g_assert_false (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_0) ==
                  STAMP_TLS_PROBE_ACCEPTED);
}

static void
test_deadline (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "starttls");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* STARTTLS against an implicit TLS port: the greeting never comes. The
   * first attempt's deadline ends the probe, rather than one per version. */
  stamp_tls_probe_set_timeout (probe, 1);
  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "first byte"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (3));
}

static void
test_bad_ca_file (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "tls");
  g_autoptr(GError) error = NULL;

  stamp_tls_probe_set_ca_file (probe, "/nonexistent/ca.pem");
  g_assert_false (run_probe (probe, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  /* Refused before any connection. */
  g_assert_cmpuint (count_events (server, "connect"), ==, 0);
}

static void
test_busy_and_rerun (void)
{
  g_autoptr(StampTestServer) server = stamp_test_server_start ("tls", "--tls-min", "1.2", NULL);
  g_autoptr(StampTlsProbe) probe = new_probe ("localhost", server, "tls");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  ProbeRun first = { loop, FALSE, NULL };
  ProbeRun second = { NULL, FALSE, NULL };
  g_autoptr(GMainLoop) second_loop = g_main_loop_new (NULL, FALSE);
  gboolean busy = FALSE;

  second.loop = second_loop;
  stamp_tls_probe_run_async (probe, NULL, run_cb, &first);
  g_object_get (probe, "busy", &busy, NULL);
  g_assert_true (busy);

  /* A second run while one is under way is refused at once. */
  stamp_tls_probe_run_async (probe, NULL, run_cb, &second);
  g_main_loop_run (second_loop);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&second.error);

  g_main_loop_run (loop);
  g_assert_no_error (first.error);
  g_object_get (probe, "busy", &busy, NULL);
  g_assert_false (busy);

  /* A rerun starts from nothing and finds the same. */
  g_assert_true (run_probe (probe, &error));
  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_1), ==, REFUSED);
  g_assert_cmpint (stamp_tls_probe_get_outcome (probe, STAMP_TLS_VERSION_1_2), ==, ACCEPTED);
  g_assert_cmpuint (count_events (server, "connect"), ==, 8);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(StampTestResolver) resolver = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Tests never ask real DNS; the Microsoft 365 name leads to loopback. */
  resolver = stamp_test_resolver_install ();
  stamp_test_resolver_add_address (resolver, "smtp.office365.com", "127.0.0.1");

  for (guint i = 0; i < G_N_ELEMENTS (version_cases); i++)
    g_test_add_data_func (version_cases[i].path, &version_cases[i], test_versions);
  g_test_add_func ("/stamp/tls-probe/certificate/untrusted", test_untrusted_certificate);
  g_test_add_func ("/stamp/tls-probe/advice/microsoft-365", test_microsoft_365);
  g_test_add_func ("/stamp/tls-probe/fail/no-starttls", test_no_starttls);
  g_test_add_func ("/stamp/tls-probe/fail/starttls-refused", test_starttls_refused);
  g_test_add_func ("/stamp/tls-probe/fail/starttls-injection", test_starttls_injection);
  g_test_add_func ("/stamp/tls-probe/fail/wrong-security", test_wrong_security);
  g_test_add_func ("/stamp/tls-probe/network/refused", test_connection_refused);
  g_test_add_func ("/stamp/tls-probe/network/host-not-found", test_host_not_found);
  g_test_add_func ("/stamp/tls-probe/cancel", test_cancel);
  g_test_add_func ("/stamp/tls-probe/deadline", test_deadline);
  g_test_add_func ("/stamp/tls-probe/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/stamp/tls-probe/busy-and-rerun", test_busy_and_rerun);

  return g_test_run ();
}

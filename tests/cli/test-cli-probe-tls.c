/* test-cli-probe-tls.c
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

/* stamp-cli probe-tls as a person or a script uses it: the real binary
 * against loopback servers that accept chosen TLS versions, checking the
 * table, the JSON and the exit status. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"

static void
run_cli (StampCliRun        *run,
         const char * const *env,
         const char * const *args)
{
  stamp_test_cli_run (run, NULL, env, "probe-tls", args);
}

/* --host, --port and --security for @server, then the rest. */
static char **
server_args (StampTestServer *server,
             const char      *security,
             const char      *first,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  const char *arg;
  va_list ap;

  g_strv_builder_add_many (builder, "--host", "127.0.0.1", "--port", port,
                           "--security", security, "--timeout", "10", NULL);

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);

  return g_strv_builder_end (builder);
}

static guint
count_events (StampTestServer *server,
              const char      *event)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, event);

  return events->len;
}

static char *
closed_port (GSocket **holder)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  /* A port bound but not listening refuses connections. The caller holds
   * the socket until the test ends, so no fixture started meanwhile can
   * take the port (a closed one could be handed out again at once). */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  *holder = g_steal_pointer (&socket);

  return g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
test_table (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--tls-min", "1.2", NULL);
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_auto(GStrv) args = server_args (server, "starttls", "--ca-file", ca, NULL);
  g_auto(StampCliRun) run = { NULL };

  run_cli (&run, NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "TLS 1.0  refused"));
  g_assert_nonnull (strstr (run.out, "TLS 1.1  refused"));
  g_assert_nonnull (strstr (run.out, "TLS 1.2  accepted"));
  g_assert_nonnull (strstr (run.out, "TLS 1.3  accepted"));
  g_assert_null (strstr (run.out, "NULL"));
  g_assert_nonnull (strstr (run.out, "Certificate: trusted"));
  g_assert_nonnull (strstr (run.out, "a device that only speaks TLS 1.0 or 1.1 cannot"));
  g_assert_nonnull (strstr (run.out, "local relay"));
  g_assert_cmpstr (run.err, ==, "");

  /* The table's order follows the versions. */
  g_assert_true (strstr (run.out, "TLS 1.0") < strstr (run.out, "TLS 1.3"));
  g_assert_cmpuint (count_events (server, "auth"), ==, 0);
}

static void
test_json (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("tls", "--tls-min", "1.0", "--tls-max", "1.2", NULL);
  g_auto(GStrv) args = server_args (server, "tls", "--json", NULL);
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(JsonObject) result = NULL;
  JsonObject *certificate;
  JsonArray *versions;
  static const char * const names[] = { "1.0", "1.1", "1.2", "1.3" };
  static const char * const outcomes[] = { "accepted", "accepted", "accepted", "refused" };

  run_cli (&run, NULL, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);

  result = stamp_test_cli_parse_json (run.out);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_assert_cmpstr (json_object_get_string_member (result, "host"), ==, "127.0.0.1");
  g_assert_cmpint (json_object_get_int_member (result, "port"), ==,
                   stamp_test_server_get_port (server));
  g_assert_cmpstr (json_object_get_string_member (result, "security"), ==, "tls");
  g_assert_true (json_object_get_null_member (result, "error"));

  versions = json_object_get_array_member (result, "versions");
  g_assert_cmpuint (json_array_get_length (versions), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *version = json_array_get_object_element (versions, i);
      gboolean accepted = g_str_equal (outcomes[i], "accepted");

      g_assert_cmpstr (json_object_get_string_member (version, "version"), ==, names[i]);
      g_assert_cmpstr (json_object_get_string_member (version, "outcome"), ==, outcomes[i]);
      g_assert_true (json_object_has_member (version, "cipher"));
      g_assert_true (json_object_has_member (version, "message"));
      g_assert_true (json_object_get_null_member (version, "cipher") == !accepted);
      g_assert_true (json_object_get_null_member (version, "message") == accepted);
    }

  /* No --ca-file: untrusted, yet every version the server takes counts. */
  certificate = json_object_get_object_member (result, "certificate");
  g_assert_false (json_object_get_boolean_member (certificate, "trusted"));
  g_assert_cmpstr (json_object_get_string_member (certificate, "error"), ==,
                   "cert-unknown-issuer");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (certificate, "chain")),
                    >=, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (result, "advice"), "even old"));
  g_assert_cmpuint (count_events (server, "auth"), ==, 0);
}

static void
test_not_tested_locally (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--tls-min", "1.0", NULL);
  g_autofree char *policy = g_build_filename (stamp_test_work_dir (), "gnutls-policy", NULL);
  const char * const env[] = { "GNUTLS_SYSTEM_PRIORITY_FILE", policy, NULL };
  g_auto(GStrv) args = server_args (server, "starttls", "--json", NULL);
  g_auto(StampCliRun) run = { NULL };
  g_auto(StampCliRun) table = { NULL };
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *versions;

  /* A system policy, as some distributions ship, that turns TLS 1.0 and
   * 1.1 off in this computer's GnuTLS: those are not tested, not refused. */
  g_file_set_contents (policy,
                       "[overrides]\n"
                       "disabled-version = tls1.0\n"
                       "disabled-version = tls1.1\n",
                       -1, &error);
  g_assert_no_error (error);

  run_cli (&run, env, (const char * const *) args);
  g_assert_cmpint (run.status, ==, 0);
  result = stamp_test_cli_parse_json (run.out);
  versions = json_object_get_array_member (result, "versions");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *version = json_array_get_object_element (versions, i);

      g_assert_cmpstr (json_object_get_string_member (version, "outcome"), ==, "unavailable");
      g_assert_nonnull (strstr (json_object_get_string_member (version, "message"),
                                "turned off"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 2),
                                                  "outcome"), ==, "accepted");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "advice"),
                            "could not all be tested"));
  /* Only the versions it could offer reached the server. */
  g_assert_cmpuint (count_events (server, "connect"), ==, 2);

  g_strfreev (g_steal_pointer (&args));
  args = server_args (server, "starttls", NULL);
  run_cli (&table, env, (const char * const *) args);
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "TLS 1.0  not tested"));
}

typedef struct
{
  const char *path;
  /* "closed", "plain" (no STARTTLS) or NULL for no server at all */
  const char *target;
  const char *args[6];
  int         status;
  const char *err;
} ExitCase;

static const ExitCase exit_cases[] = {
  { "/stamp/cli/probe-tls/exit/refused", "closed", { NULL }, 3, "refused the connection" },
  { "/stamp/cli/probe-tls/exit/no-starttls", "plain", { NULL }, 4, "does not offer STARTTLS" },
  { "/stamp/cli/probe-tls/exit/bad-ca-file", "plain", { "--ca-file", "/nonexistent/ca.pem" },
    2, "/nonexistent/ca.pem" },
  { "/stamp/cli/probe-tls/exit/no-host", NULL, { "--port", "587" }, 2, "--host" },
  { "/stamp/cli/probe-tls/exit/security-none", NULL,
    { "--host", "127.0.0.1", "--security", "none" }, 2, "none" },
  { "/stamp/cli/probe-tls/exit/bad-port", NULL, { "--host", "127.0.0.1", "--port", "70000" },
    2, "port" },
  { "/stamp/cli/probe-tls/exit/extra-argument", NULL, { "--host", "127.0.0.1", "extra" },
    2, "extra" },
};

static void
test_exit (gconstpointer data)
{
  const ExitCase *test = data;
  g_autoptr(StampTestServer) server = NULL;
  g_autoptr(GSocket) closed = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *port = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(StampCliRun) run = { NULL };

  if (g_strcmp0 (test->target, "plain") == 0)
    {
      server = stamp_test_server_start ("none", NULL);
      port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
    }
  else if (g_strcmp0 (test->target, "closed") == 0)
    port = closed_port (&closed);

  if (port != NULL)
    g_strv_builder_add_many (builder, "--host", "127.0.0.1", "--port", port, NULL);
  for (guint i = 0; test->args[i] != NULL; i++)
    g_strv_builder_add (builder, test->args[i]);
  args = g_strv_builder_end (builder);

  run_cli (&run, NULL, (const char * const *) args);
  g_test_message ("stderr: %s", run.err);
  g_assert_cmpint (run.status, ==, test->status);
  g_assert_nonnull (strstr (run.err, test->err));
  g_assert_null (strstr (run.out, "accepted"));
  if (server != NULL)
    g_assert_cmpuint (count_events (server, "auth"), ==, 0);
}

static void
test_json_failure (void)
{
  g_autoptr(GSocket) closed = NULL;
  g_auto(StampCliRun) run = { NULL };
  g_autofree char *port = closed_port (&closed);
  const char * const args[] = { "--host", "127.0.0.1", "--port", port, "--json", NULL };
  g_autoptr(JsonObject) result = NULL;
  JsonObject *error;

  run_cli (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 3);

  /* Scripts get one JSON object even when the probe could not run. */
  result = stamp_test_cli_parse_json (run.out);
  g_assert_false (json_object_get_boolean_member (result, "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "versions")),
                    ==, 0);
  g_assert_true (json_object_get_null_member (result, "advice"));
  g_assert_true (json_object_get_null_member (result, "certificate"));
  error = json_object_get_object_member (result, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "connection-refused");
}

static void
test_interrupted (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("none", "--scenario", "stall-greeting", NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  const char * const argv[] = { g_getenv ("STAMP_CLI"), "probe-tls", "--host", "127.0.0.1",
                                "--port", port, "--timeout", "60", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);

  /* Ctrl+C once it waits for the greeting the server holds back. */
  while (count_events (server, "connect") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (10));
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_usleep (G_USEC_PER_SEC / 5);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (12));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/probe-tls/table", test_table);
  g_test_add_func ("/stamp/cli/probe-tls/json", test_json);
  g_test_add_func ("/stamp/cli/probe-tls/not-tested-locally", test_not_tested_locally);
  for (guint i = 0; i < G_N_ELEMENTS (exit_cases); i++)
    g_test_add_data_func (exit_cases[i].path, &exit_cases[i], test_exit);
  g_test_add_func ("/stamp/cli/probe-tls/exit/json-failure", test_json_failure);
  g_test_add_func ("/stamp/cli/probe-tls/exit/interrupted", test_interrupted);

  return g_test_run ();
}

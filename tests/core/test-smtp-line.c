/* test-smtp-line.c
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

#define G_LOG_DOMAIN "test-smtp-line"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"

/* Long enough for loopback, short enough for a test. */
#define WAIT_US (5 * G_USEC_PER_SEC)

/* Two line engines, a client and a server, on the two ends of a real TCP
 * connection on 127.0.0.1, each with its own transcript. */
typedef struct
{
  StampSmtpLine *client;
  StampSmtpLine *server;
  GPtrArray     *client_lines;
  GPtrArray     *server_lines;
} Fixture;

static void
record_line_cb (StampTranscriptDirection  direction,
                const char               *text,
                gpointer                  user_data)
{
  GPtrArray *lines = user_data;

  g_ptr_array_add (lines, g_strdup_printf ("%s %s",
                                           direction == STAMP_TRANSCRIPT_CLIENT ? "C:" : "S:",
                                           text));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_connect (client, bound, NULL, &error));
  server = g_socket_accept (listener, NULL, &error);
  g_assert_no_error (error);

  g_socket_set_blocking (client, FALSE);
  g_socket_set_blocking (server, FALSE);

  fixture->client_lines = g_ptr_array_new_with_free_func (g_free);
  fixture->server_lines = g_ptr_array_new_with_free_func (g_free);
  fixture->client = stamp_smtp_line_new (client, STAMP_SMTP_ROLE_CLIENT);
  fixture->server = stamp_smtp_line_new (server, STAMP_SMTP_ROLE_SERVER);
  stamp_smtp_line_set_transcript_func (fixture->client, record_line_cb, fixture->client_lines);
  stamp_smtp_line_set_transcript_func (fixture->server, record_line_cb, fixture->server_lines);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stamp_smtp_line_close (fixture->client);
  stamp_smtp_line_close (fixture->server);
  g_assert_finalize_object (fixture->client);
  g_assert_finalize_object (fixture->server);
  g_ptr_array_unref (fixture->client_lines);
  g_ptr_array_unref (fixture->server_lines);
}

static gint64
deadline (void)
{
  return g_get_monotonic_time () + WAIT_US;
}

/* Sends @data from @line as it is, without a transcript line. */
static void
write_raw (StampSmtpLine *line,
           const char    *data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_smtp_line_write (line, data, strlen (data), deadline (), NULL, &error));
  g_assert_no_error (error);
}

/* Reads a reply that must fail with @domain and @code; returns the error
 * for its message to be checked. */
static GError *
read_failing_reply (StampSmtpLine *line,
                    gint64         until,
                    GCancellable  *cancellable,
                    GQuark         domain,
                    int            code)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = stamp_smtp_line_read_reply (line, until, cancellable, &error);
  g_assert_null (reply);
  g_assert_error (error, domain, code);

  return error;
}

static void
assert_lines (GPtrArray          *lines,
              const char * const *expected)
{
  g_assert_cmpuint (lines->len, ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpstr (g_ptr_array_index (lines, i), ==, expected[i]);
}

/* A server reads a client's command, and answers with a multi-line reply
 * that the client reads back, capabilities and all. */
static void
test_line_server_dialogue (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GHashTable) capabilities = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  /* Both ends see the same dialogue, from their own side. */
  const char * const seen[] = {
    "C: EHLO [127.0.0.1]",
    "S: 250-relay.example",
    "S: 250-PIPELINING",
    "S: 250 SIZE 1000",
    NULL,
  };
  g_autofree char *literal = stamp_smtp_line_dup_address_literal (fixture->client);
  g_autofree char *ehlo = g_strdup_printf ("EHLO %s", literal);

  g_assert_cmpstr (literal, ==, "[127.0.0.1]");
  g_assert_true (stamp_smtp_line_write_command (fixture->client, ehlo, NULL, deadline (), NULL,
                                                &error));
  g_assert_no_error (error);

  command = stamp_smtp_line_read_command (fixture->server, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (command, ==, "EHLO [127.0.0.1]");

  g_assert_true (stamp_smtp_line_write_reply (fixture->server, 250, NULL,
                                              "relay.example\nPIPELINING\nSIZE 1000",
                                              deadline (), NULL, &error));
  g_assert_no_error (error);

  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
  g_assert_cmpuint (g_strv_length ((GStrv) stamp_smtp_reply_get_lines (reply)), ==, 3);
  capabilities = stamp_smtp_reply_parse_capabilities (reply);
  g_assert_cmpstr (g_hash_table_lookup (capabilities, "SIZE"), ==, "1000");
  g_assert_true (g_hash_table_contains (capabilities, "PIPELINING"));

  assert_lines (fixture->server_lines, seen);
  assert_lines (fixture->client_lines, seen);
  g_assert_false (stamp_smtp_line_has_input (fixture->client));
  g_assert_false (stamp_smtp_line_has_input (fixture->server));
}

/* Every line of a server's reply carries the enhanced code; the client's
 * parser takes it off again. */
static void
test_line_server_enhanced_reply (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(StampSmtpReply) bare = NULL;
  g_autoptr(GError) error = NULL;
  const char * const seen[] = {
    "S: 550-5.7.1 Relaying denied",
    "S: 550 5.7.1 Sign in first",
    "S: 221 2.0.0",
    NULL,
  };

  g_assert_true (stamp_smtp_line_write_reply (fixture->server, 550, "5.7.1",
                                              "Relaying denied\nSign in first",
                                              deadline (), NULL, &error));
  g_assert_true (stamp_smtp_line_write_reply (fixture->server, 221, "2.0.0", NULL,
                                              deadline (), NULL, &error));
  g_assert_no_error (error);
  assert_lines (fixture->server_lines, seen);

  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 550);
  g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (reply), ==, "5.7.1");
  g_assert_cmpstr (stamp_smtp_reply_get_lines (reply)[0], ==, "Relaying denied");
  g_assert_cmpstr (stamp_smtp_reply_get_lines (reply)[1], ==, "Sign in first");

  bare = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (bare), ==, 221);
  g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (bare), ==, "2.0.0");
}

/* Pipelined commands arrive in one write, are read one by one, and count
 * as one turn; a credential is shown only as the caller asks. */
static void
test_line_pipelined_turns (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char * const expected[] = { "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>",
                                    "AUTH PLAIN AHVzZXIAc2VjcmV0" };

  g_assert_cmpuint (stamp_smtp_line_get_round_trips (fixture->client), ==, 0);
  write_raw (fixture->client, "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n");
  g_assert_true (stamp_smtp_line_write_command (fixture->client, "AUTH PLAIN AHVzZXIAc2VjcmV0",
                                                "AUTH PLAIN [hidden]", deadline (), NULL,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stamp_smtp_line_get_round_trips (fixture->client), ==, 1);
  g_assert_cmpuint (fixture->client_lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->client_lines, 0), ==, "C: AUTH PLAIN [hidden]");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *command = stamp_smtp_line_read_command (fixture->server, deadline (),
                                                               NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (command, ==, expected[i]);
    }

  write_raw (fixture->server, "250 2.1.0 Ok\r\n");
  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&reply);

  /* The server stays silent; the write after a read is a second turn. */
  reply = stamp_smtp_line_command (fixture->client, "QUIT", g_get_monotonic_time () + 50 * 1000,
                                   NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_cmpuint (stamp_smtp_line_get_round_trips (fixture->client), ==, 2);
}

/* The longest line passes; one octet more is refused, on either side. */
static void
test_line_too_long (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = g_strnfill (STAMP_SMTP_LINE_MAX - 4, 'x');
  g_autofree char *too_long = g_strnfill (STAMP_SMTP_LINE_MAX + 1, 'y');
  g_autofree char *wire = g_strdup_printf ("250 %s\r\n", longest);
  g_autofree char *command = NULL;

  write_raw (fixture->server, wire);
  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (stamp_smtp_reply_get_lines (reply)[0]), ==, STAMP_SMTP_LINE_MAX - 4);
  g_clear_object (&reply);

  g_free (wire);
  wire = g_strdup_printf ("%s\r\n", too_long);
  write_raw (fixture->server, wire);
  error = read_failing_reply (fixture->client, deadline (), NULL, STAMP_ERROR,
                              STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "4096"));
  g_clear_error (&error);

  /* Without a line end at all, the engine stops buffering at the limit. */
  write_raw (fixture->client, too_long);
  write_raw (fixture->client, too_long);
  command = stamp_smtp_line_read_command (fixture->server, deadline (), NULL, &error);
  g_assert_null (command);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "client"));
}

static char *
dup_reply_of_lines (guint n_lines)
{
  g_autoptr(GString) wire = g_string_new (NULL);

  for (guint i = 1; i < n_lines; i++)
    g_string_append_printf (wire, "250-line %u\r\n", i);
  g_string_append (wire, "250 last\r\n");

  return g_string_free (g_steal_pointer (&wire), FALSE);
}

static void
test_line_too_many_lines (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *most = dup_reply_of_lines (STAMP_SMTP_REPLY_MAX_LINES);
  g_autofree char *too_many = dup_reply_of_lines (STAMP_SMTP_REPLY_MAX_LINES + 1);

  write_raw (fixture->server, most);
  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) stamp_smtp_reply_get_lines (reply)),
                    ==, STAMP_SMTP_REPLY_MAX_LINES);
  g_clear_object (&reply);

  write_raw (fixture->server, too_many);
  error = read_failing_reply (fixture->client, deadline (), NULL, STAMP_ERROR,
                              STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "128 lines"));
}

static void
test_line_closed_mid_reply (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char * const seen[] = { "S: 250-first", NULL };

  write_raw (fixture->server, "250-first\r\n250-sec");
  stamp_smtp_line_close (fixture->server);

  error = read_failing_reply (fixture->client, deadline (), NULL, STAMP_ERROR,
                              STAMP_ERROR_CONNECTION_CLOSED);
  assert_lines (fixture->client_lines, seen);
}

static void
test_line_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  gint64 start = g_get_monotonic_time ();

  write_raw (fixture->server, "220-half a greeting\r\n");
  error = read_failing_reply (fixture->client, start + 200 * 1000, NULL, STAMP_ERROR,
                              STAMP_ERROR_TIMED_OUT);
  /* The wait is rounded to milliseconds. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 190 * 1000);
  g_clear_error (&error);

  command = stamp_smtp_line_read_command (fixture->server, g_get_monotonic_time (), NULL, &error);
  g_assert_null (command);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  /* Worded for a server, whose peer is a client. */
  g_assert_nonnull (strstr (error->message, "client"));
}

static void
test_line_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  error = read_failing_reply (fixture->client, deadline (), cancellable, G_IO_ERROR,
                              G_IO_ERROR_CANCELLED);
}

/* Bytes pushed into an engine without a socket are read like bytes from
 * the network, bare LF included; after them the connection is closed. */
static void
test_line_pushed_input (void)
{
  g_autoptr(StampSmtpLine) line = stamp_smtp_line_new (NULL, STAMP_SMTP_ROLE_CLIENT);
  g_autoptr(StampSmtpReply) first = NULL;
  g_autoptr(StampSmtpReply) second = NULL;
  g_autoptr(GError) error = NULL;
  const char input[] = "220 ready\r\n250-a\n250 b\r\n250-half";

  stamp_smtp_line_push_input (line, input, strlen (input));

  first = stamp_smtp_line_read_reply (line, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (first), ==, 220);

  second = stamp_smtp_line_read_reply (line, deadline (), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stamp_smtp_reply_get_lines (second)[1], ==, "b");
  g_assert_true (stamp_smtp_line_has_input (line));

  error = read_failing_reply (line, deadline (), NULL, STAMP_ERROR,
                              STAMP_ERROR_CONNECTION_CLOSED);
}

/* A NUL inside a line is refused, on either side, rather than cutting the
 * line short where C would read it. */
static void
test_line_nul_refused (void)
{
  static const char reply[] = "250-mail.example.test\r\n250 AUTH PLAIN\0LOGIN\r\n";
  static const char command[] = "MAIL FROM:<a@example.test>\0 AUTH=<>\r\n";
  g_autoptr(StampSmtpLine) client = stamp_smtp_line_new (NULL, STAMP_SMTP_ROLE_CLIENT);
  g_autoptr(StampSmtpLine) server = stamp_smtp_line_new (NULL, STAMP_SMTP_ROLE_SERVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  stamp_smtp_line_push_input (client, reply, sizeof reply - 1);
  error = read_failing_reply (client, deadline (), NULL, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_clear_error (&error);

  stamp_smtp_line_push_input (server, command, sizeof command - 1);
  line = stamp_smtp_line_read_command (server, deadline (), NULL, &error);
  g_assert_null (line);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "NUL"));
}

/* What follows the 220 to STARTTLS arrived in plain text: no handshake. */
static void
test_line_start_tls_refuses_injection (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(StampTlsSession) tls = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  tls = stamp_tls_session_new ("localhost", NULL, STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3,
                               &error);
  g_assert_no_error (error);

  write_raw (fixture->server, "220 2.0.0 Ready to start TLS\r\n250 injected\r\n");
  reply = stamp_smtp_line_read_reply (fixture->client, deadline (), NULL, &error);
  g_assert_no_error (error);

  g_assert_false (stamp_smtp_line_start_tls (fixture->client, tls, deadline (), NULL, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_STARTTLS_FAILED);
  g_assert_null (stamp_smtp_line_get_tls (fixture->client));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/stamp/smtp/line/server-dialogue", test_line_server_dialogue);
  ADD ("/stamp/smtp/line/server-enhanced-reply", test_line_server_enhanced_reply);
  ADD ("/stamp/smtp/line/pipelined-turns", test_line_pipelined_turns);
  ADD ("/stamp/smtp/line/too-long", test_line_too_long);
  ADD ("/stamp/smtp/line/too-many-lines", test_line_too_many_lines);
  ADD ("/stamp/smtp/line/closed-mid-reply", test_line_closed_mid_reply);
  ADD ("/stamp/smtp/line/timeout", test_line_timeout);
  ADD ("/stamp/smtp/line/cancelled", test_line_cancelled);
  ADD ("/stamp/smtp/line/start-tls-refuses-injection", test_line_start_tls_refuses_injection);
  g_test_add_func ("/stamp/smtp/line/pushed-input", test_line_pushed_input);
  g_test_add_func ("/stamp/smtp/line/nul-refused", test_line_nul_refused);

#undef ADD

  return g_test_run ();
}

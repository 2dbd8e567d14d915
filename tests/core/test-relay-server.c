/* test-relay-server.c
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

/* The relay's submission server, its sessions and its listener, driven by
 * real clients as devices (Python's smtplib, swaks, msmtp, gnutls-cli)
 * against a handler that keeps messages in files: STARTTLS and AUTH,
 * sign-in rules, limits, deadlines and caps. The handler's rules here are
 * the test's; the relay's own are tested with the relay. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"
#include "stamp-relay-listener.h"
#include "stamp-test-server.h"

#define USER     "printer"
#define PASSWORD "correct-horse-battery"
#define OWNER    "owner@corp.example"

typedef struct
{
  StampRelayListener *listener;
  char               *port;
  char               *dir;
  GMutex              lock;
  GPtrArray          *log;
  GPtrArray          *messages;
  gboolean            plaintext_ok;
  gboolean            no_sign_in;
  StampTlsVersion     tls_min;
  guint               failures;
  guint64             identity_max;
} Fixture;

typedef struct
{
  GFileOutputStream *stream;
  char              *path;
  gboolean           committed;
} Message;

static StampTlsVersion
tls_min_version (gpointer    user_data,
                 const char *client_ip)
{
  return ((Fixture *) user_data)->tls_min;
}

static gboolean
may_sign_in_without_tls (gpointer    user_data,
                         const char *client_ip)
{
  return ((Fixture *) user_data)->plaintext_ok;
}

static char *
identify_without_sign_in (gpointer    user_data,
                          const char *client_ip)
{
  Fixture *fixture = user_data;

  return fixture->no_sign_in && g_str_equal (client_ip, "127.0.0.1") ? g_strdup ("scanner") : NULL;
}

static char *
authenticate (gpointer     user_data,
              const char  *client_ip,
              const char  *user,
              const char  *password,
              const char  *tls_version,
              GError     **error)
{
  Fixture *fixture = user_data;
  char *identity = NULL;

  g_mutex_lock (&fixture->lock);
  if (fixture->failures >= 3)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_THROTTLED, "Too many failed sign-ins");
  else if (g_str_equal (user, USER) && g_str_equal (password, PASSWORD))
    identity = g_strdup (USER);
  else
    {
      fixture->failures++;
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "wrong password");
    }
  g_mutex_unlock (&fixture->lock);

  return identity;
}

static gboolean
check_sender (gpointer     user_data,
              const char  *identity,
              const char  *sender,
              GError     **error)
{
  if (g_ascii_strcasecmp (sender, OWNER) == 0)
    return TRUE;

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_SENDER_REJECTED,
               "This device may send only as %s", OWNER);
  return FALSE;
}

static gpointer
open_message (gpointer                  user_data,
              const StampSmtpEnvelope  *envelope,
              GOutputStream           **stream,
              GError                  **error)
{
  Fixture *fixture = user_data;
  Message *message = g_new0 (Message, 1);
  g_autoptr(GFile) file = NULL;
  static int serial;

  message->path = g_strdup_printf ("%s/%d.eml", fixture->dir, g_atomic_int_add (&serial, 1));
  file = g_file_new_for_path (message->path);
  message->stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  g_assert_nonnull (message->stream);
  *stream = G_OUTPUT_STREAM (message->stream);

  return message;
}

static char *
commit_message (gpointer   user_data,
                gpointer   data,
                GError   **error)
{
  Fixture *fixture = user_data;
  Message *message = data;

  if (!g_output_stream_close (G_OUTPUT_STREAM (message->stream), NULL, error))
    return NULL;

  message->committed = TRUE;
  g_mutex_lock (&fixture->lock);
  g_ptr_array_add (fixture->messages, g_strdup (message->path));
  g_mutex_unlock (&fixture->lock);

  return g_path_get_basename (message->path);
}

static void
free_message (gpointer user_data,
              gpointer data)
{
  Message *message = data;

  if (!message->committed)
    g_unlink (message->path);
  g_clear_object (&message->stream);
  g_free (message->path);
  g_free (message);
}

static void
log_event (gpointer    user_data,
           const char *client_ip,
           const char *identity,
           const char *event)
{
  Fixture *fixture = user_data;

  g_mutex_lock (&fixture->lock);
  g_ptr_array_add (fixture->log, g_strdup_printf ("%s %s %s", client_ip,
                                                  identity != NULL ? identity : "-", event));
  g_mutex_unlock (&fixture->lock);
}

static guint64
max_message_size (gpointer    user_data,
                  const char *identity)
{
  return ((Fixture *) user_data)->identity_max;
}

static const StampSmtpServerHandler handler = {
  tls_min_version,
  may_sign_in_without_tls,
  identify_without_sign_in,
  authenticate,
  check_sender,
  open_message,
  commit_message,
  free_message,
  log_event,
  max_message_size,
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *cert = stamp_test_cert_path ("server.pem");
  g_autofree char *key = stamp_test_cert_path ("server-key.pem");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listening = NULL;

  g_mutex_init (&fixture->lock);
  fixture->log = g_ptr_array_new_with_free_func (g_free);
  fixture->messages = g_ptr_array_new_with_free_func (g_free);
  fixture->dir = g_dir_make_tmp ("stamp-relay-server-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->tls_min = STAMP_TLS_VERSION_1_2;

  fixture->listener = stamp_relay_listener_new (&handler, fixture);
  stamp_relay_listener_add_address (fixture->listener, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  stamp_relay_listener_set_tls_files (fixture->listener, cert, key);
  stamp_relay_listener_set_timeouts (fixture->listener, 1000, 3000);
  stamp_relay_listener_start (fixture->listener, &error);
  g_assert_no_error (error);

  listening = stamp_relay_listener_dup_listening (fixture->listener);
  g_assert_cmpuint (g_strv_length (listening), ==, 1);
  g_assert_true (g_str_has_prefix (listening[0], "127.0.0.1:"));
  fixture->port = g_strdup (strchr (listening[0], ':') + 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  stamp_relay_listener_stop (fixture->listener);
  g_assert_cmpuint (stamp_relay_listener_get_n_connections (fixture->listener), ==, 0);
  g_assert_finalize_object (fixture->listener);
  for (guint i = 0; i < fixture->messages->len; i++)
    g_unlink (g_ptr_array_index (fixture->messages, i));
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->port);
  g_ptr_array_unref (fixture->log);
  g_ptr_array_unref (fixture->messages);
  g_mutex_clear (&fixture->lock);
}

typedef struct
{
  char    *out;
  char    *err;
  gboolean done;
  int      status;
} ClientRun;

static void
client_run_clear (ClientRun *run)
{
  g_free (run->out);
  g_free (run->err);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClientRun, client_run_clear)

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ClientRun *run = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &out, &err, &error);
  g_assert_no_error (error);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

/* Runs a client while the listener takes its connections on this thread's
 * main context. Returns what it printed. */
static char *
run_client (const char * const *argv,
            const char         *input)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(ClientRun) run = { NULL, NULL, FALSE, 0 };
  g_autofree char *command = g_strjoinv (" ", (char **) argv);

  stdin_bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);
  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, communicate_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%s\n→ exit %d\n%s%s", command, run.status, run.out, run.err);

  /* gnutls-cli tells the session's details on stderr. */
  return g_strconcat (run.out, run.err, NULL);
}

static char *
run_python (Fixture    *fixture,
            const char *mode,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, "/usr/bin/python3");
  g_ptr_array_add (argv, RELAY_CLIENT);
  g_ptr_array_add (argv, (char *) mode);
  g_ptr_array_add (argv, fixture->port);
  va_start (args, mode);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return run_client ((const char * const *) argv->pdata, NULL);
}

/* The line of @out that starts with "@step: ". */
static char *
step (const char *out,
      const char *step)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("%s: ", step);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));

  return g_strdup ("(missing)");
}

#define assert_step(out, name, expected) \
  G_STMT_START { \
    g_autofree char *got_ = step ((out), (name)); \
    if (!g_str_has_prefix (got_, (expected))) \
      g_error ("%s: expected “%s…”, got “%s”", (name), (expected), got_); \
  } G_STMT_END

static gboolean
log_has (Fixture    *fixture,
         const char *words)
{
  gboolean found = FALSE;

  g_mutex_lock (&fixture->lock);
  for (guint i = 0; i < fixture->log->len && !found; i++)
    found = strstr (g_ptr_array_index (fixture->log, i), words) != NULL;
  g_mutex_unlock (&fixture->lock);

  return found;
}

static char *
read_message (Fixture *fixture,
              guint    index)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_cmpuint (fixture->messages->len, >, index);
  g_file_get_contents (g_ptr_array_index (fixture->messages, index), &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_starttls_auth_delivers (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "deliver", "--starttls", "--user", USER,
                                     "--password", PASSWORD, NULL);
  g_autofree char *message = NULL;
  g_autofree char *features = step (out, "features");
  g_autofree char *features_tls = step (out, "features-tls");

  /* AUTH only once TLS is up; STARTTLS only before. */
  g_assert_nonnull (strstr (features, "starttls"));
  g_assert_nonnull (strstr (features, "pipelining"));
  g_assert_nonnull (strstr (features, "8bitmime"));
  g_assert_nonnull (strstr (features, "size"));
  g_assert_null (strstr (features, "auth"));
  g_assert_nonnull (strstr (features_tls, "auth"));
  g_assert_null (strstr (features_tls, "starttls"));

  assert_step (out, "auth", "235");
  assert_step (out, "mail", "250");
  assert_step (out, "rcpt", "250");
  assert_step (out, "data", "250 2.0.0 Queued as 0.eml");
  assert_step (out, "noop", "250");

  /* Dot-unstuffed, with a trace header first. */
  message = read_message (fixture, 0);
  g_assert_true (g_str_has_prefix (message, "Received: from device.example ([127.0.0.1])"));
  g_assert_nonnull (strstr (message, "with ESMTPSA"));
  /* smtplib stuffed the dots; the message has them as the device wrote them. */
  g_assert_nonnull (strstr (message, "\r\nA scan.\r\n.a line that starts with a dot\r\n"
                                     "..two dots\r\nlast line\r\n"));
  g_assert_true (g_str_has_suffix (message, "last line\r\n"));
  g_assert_true (log_has (fixture, "127.0.0.1 printer accepted 0.eml from <" OWNER ">"));
}

static void
test_swaks_and_msmtp (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const swaks[] = { "swaks", "--server", "127.0.0.1", "--port", fixture->port,
                                 "--tls", "--auth", "PLAIN", "--auth-user", USER,
                                 "--auth-password", PASSWORD, "--from", OWNER,
                                 "--to", "boss@elsewhere.example",
                                 "--header", "Subject: swaks scan",
                                 NULL };
  g_autofree char *password_cmd = g_strdup_printf ("echo %s", PASSWORD);
  g_autofree char *port_arg = g_strdup_printf ("--port=%s", fixture->port);
  g_autofree char *eval_arg = g_strdup_printf ("--passwordeval=%s", password_cmd);
  const char * const msmtp[] = { "msmtp", "--host=127.0.0.1", port_arg, "--tls=on",
                                 "--tls-starttls=on", "--tls-certcheck=off", "--auth=login",
                                 "--user=" USER, eval_arg, "--from=" OWNER,
                                 "boss@elsewhere.example", NULL };
  g_autofree char *swaks_out = run_client (swaks, NULL);
  g_autofree char *msmtp_out = run_client (msmtp, "Subject: msmtp scan\n\nA scan.\n");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_nonnull (strstr (swaks_out, "<~  250 2.0.0 Queued as"));
  g_assert_cmpuint (fixture->messages->len, ==, 2);
  first = read_message (fixture, 0);
  second = read_message (fixture, 1);
  g_assert_nonnull (strstr (first, "Subject: swaks scan"));
  g_assert_nonnull (strstr (second, "Subject: msmtp scan"));
}

static void
test_auth_needs_tls (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "deliver", "--user", USER, "--password", PASSWORD,
                                     NULL);

  assert_step (out, "auth", "538");
  assert_step (out, "mail", "530");
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_true (log_has (fixture, "127.0.0.1 - sign-in refused: not over TLS"));
}

static void
test_plaintext_device (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *features = NULL;

  fixture->plaintext_ok = TRUE;
  out = run_python (fixture, "deliver", "--user", USER, "--password", PASSWORD, NULL);
  features = step (out, "features");

  g_assert_nonnull (strstr (features, "auth"));
  assert_step (out, "auth", "235");
  assert_step (out, "data", "250");
  g_assert_cmpuint (fixture->messages->len, ==, 1);
}

static void
test_no_sign_in (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;

  fixture->no_sign_in = TRUE;
  out = run_python (fixture, "deliver", NULL);

  assert_step (out, "mail", "250");
  assert_step (out, "data", "250");
  g_assert_true (log_has (fixture, "127.0.0.1 scanner accepted"));
}

static void
test_open_relay_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "raw", "EHLO spammer.example",
                                     "MAIL FROM:<" OWNER ">", "RCPT TO:<victim@elsewhere.example>",
                                     "DATA", NULL);

  assert_step (out, "MAIL", "530 5.7.0");
  assert_step (out, "RCPT", "503");
  assert_step (out, "DATA", "503");
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_true (log_has (fixture, "127.0.0.1 - refused mail from <" OWNER ">: not signed in"));
}

static void
test_foreign_sender (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "deliver", "--starttls", "--user", USER,
                                     "--password", PASSWORD, "--from", "ceo@elsewhere.example",
                                     NULL);

  assert_step (out, "mail", "550 5.7.1 This device may send only as " OWNER);
  g_assert_true (log_has (fixture, "127.0.0.1 printer refused mail from <ceo@elsewhere.example>"));
}

static void
test_wrong_password_throttled (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *bad = "AUTH PLAIN AHByaW50ZXIAaHVudGVyMi1ndWVzcw==";  /* \0printer\0hunter2-guess */
  g_autofree char *out = NULL;

  fixture->plaintext_ok = TRUE;
  out = run_python (fixture, "raw", "EHLO device.example", bad, bad, bad, bad, NULL);

  g_assert_nonnull (strstr (out, "AUTH: 535 5.7.8 Authentication credentials invalid"));
  /* The fourth is refused before the password is looked at, and the
   * connection ends. */
  g_assert_nonnull (strstr (out, "AUTH: 421 4.7.0 Too many failed sign-ins"));
  g_assert_true (log_has (fixture, "sign-in refused for user “printer”: wrong password"));
  g_assert_false (log_has (fixture, "hunter2"));
  g_assert_false (log_has (fixture, "aHVudGVy"));
}

static void
test_oversize (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *announced = NULL;
  g_autofree char *streamed = NULL;
  g_autofree char *features = NULL;

  stamp_relay_listener_set_max_message_size (fixture->listener, 20000);
  announced = run_python (fixture, "deliver", "--starttls", "--user", USER, "--password", PASSWORD,
                          "--size", "50000", NULL);
  features = step (announced, "features");
  g_assert_nonnull (strstr (features, "size"));
  assert_step (announced, "mail", "552 5.3.4");

  /* Not announced: read to the end, dropped, and the session goes on. */
  streamed = run_python (fixture, "deliver", "--starttls", "--user", USER, "--password", PASSWORD,
                         "--body-bytes", "200000", NULL);
  assert_step (streamed, "data", "552 5.3.4");
  assert_step (streamed, "noop", "250");
  g_assert_cmpuint (fixture->messages->len, ==, 0);
  g_assert_true (log_has (fixture, "over the limit of 20000 bytes"));
}

/* A sender whose account takes less than the relay hears so, announced
 * or not. */
static void
test_oversize_for_identity (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *announced = NULL;
  g_autofree char *streamed = NULL;

  fixture->identity_max = 3000;
  announced = run_python (fixture, "deliver", "--starttls", "--user", USER, "--password", PASSWORD,
                          "--size", "5000", NULL);
  assert_step (announced, "mail", "552 5.3.4");
  streamed = run_python (fixture, "deliver", "--starttls", "--user", USER, "--password", PASSWORD,
                         "--body-bytes", "5000", NULL);
  assert_step (streamed, "data", "552 5.3.4");
  g_assert_true (log_has (fixture, "over the limit of 3000 bytes"));
  g_assert_cmpuint (fixture->messages->len, ==, 0);
}

static void
test_overlong_command (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_autofree char *command = g_strconcat ("NOOP ", long_line, NULL);
  g_autofree char *out = run_python (fixture, "raw", "EHLO device.example", command, "RSET", NULL);

  assert_step (out, "NOOP", "500 5.5.2 Line too long");
  assert_step (out, "RSET", "250");
}

/* A line with a NUL is answered and dropped, not read again and again. */
static void
test_nul_in_command (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "raw", "EHLO device.example", "VRFY a\\0b",
                                     "RSET", NULL);

  assert_step (out, "VRFY", "500 5.5.2 Syntax error");
  assert_step (out, "RSET", "250");
}

static void
test_slowloris (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = run_python (fixture, "slowloris", "0.25", NULL);
  g_autofree char *took = step (out, "deliver-seconds");

  /* The crawler is sent away at its deadline (1 s here); the device beside
   * it is served at once. */
  assert_step (out, "slowloris", "421 4.4.2");
  assert_step (out, "data", "250");
  g_assert_cmpfloat (g_ascii_strtod (took + 2, NULL), <, 1.0);
  g_assert_true (log_has (fixture, "closed: no command within 1 s"));
}

/* A message that trickles in is cut off when the whole of it is due, even
 * though each byte comes well within the deadline of one read. */
static void
test_slow_data (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *took = NULL;

  fixture->no_sign_in = TRUE;
  stamp_relay_listener_set_timeouts (fixture->listener, 1000, 1500);
  out = run_python (fixture, "slowdata", "0.1", NULL);
  took = step (out, "slowdata");

  assert_step (out, "data", "354");
  assert_step (out, "slowdata", "421 4.4.2");
  g_assert_cmpfloat (g_ascii_strtod (strstr (took, "after ") + 6, NULL), <, 3.0);
  g_assert_true (log_has (fixture, "closed: the message did not arrive in time"));
  g_assert_cmpuint (fixture->messages->len, ==, 0);
}

static void
test_idle_connections (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *out = NULL;

  stamp_relay_listener_set_limits (fixture->listener, 256, 250);
  out = run_python (fixture, "idle", "200", NULL);

  assert_step (out, "idle-greeted", "200");
  assert_step (out, "data", "250");
}

static void
test_per_ip_cap (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;

  stamp_relay_listener_set_limits (fixture->listener, 256, 3);
  out = run_python (fixture, "connect", "4", NULL);

  assert_step (out, "connection-2", "220");
  assert_step (out, "connection-3", "421 4.7.0 Too many connections");
  g_assert_true (log_has (fixture, "127.0.0.1 - refused: already 3 connections from this address"));
}

static void
test_total_cap (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;

  stamp_relay_listener_set_limits (fixture->listener, 2, 20);
  out = run_python (fixture, "connect", "3", NULL);

  assert_step (out, "connection-1", "220");
  assert_step (out, "connection-2", "421 4.7.0 Too many connections");
  g_assert_true (log_has (fixture, "127.0.0.1 - refused: already 2 connections, the most"));
}

static char *
run_gnutls_cli (Fixture    *fixture,
                const char *priority)
{
  const char * const argv[] = { "gnutls-cli", "--starttls-proto=smtp", "--insecure",
                                "--priority", priority, "--port", fixture->port, "127.0.0.1",
                                NULL };

  return run_client (argv, "QUIT\r\n");
}

static void
test_legacy_tls (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *refused = NULL;
  g_autofree char *taken = NULL;

  /* Not by default... */
  refused = run_gnutls_cli (fixture, "NORMAL:-VERS-ALL:+VERS-TLS1.0");
  g_assert_null (strstr (refused, "(TLS1.0-"));
  g_assert_true (log_has (fixture, "TLS handshake failed"));

  /* ...only for a client the handler lets use it. */
  fixture->tls_min = STAMP_TLS_VERSION_1_0;
  taken = run_gnutls_cli (fixture, "NORMAL:-VERS-ALL:+VERS-TLS1.0");
  g_assert_nonnull (strstr (taken, "(TLS1.0-"));
  g_assert_nonnull (strstr (taken, "221 2.0.0"));
}

static void
test_pipelining (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = NULL;

  fixture->no_sign_in = TRUE;
  /* Each group goes in one write (RFC 2920), the message and QUIT too. */
  out = run_python (fixture, "raw",
                    "EHLO device.example\r\nMAIL FROM:<" OWNER ">\r\nRCPT TO:<a@b.example>\r\nDATA",
                    "Subject: piped\r\n\r\nbody\r\n.\r\nQUIT",
                    NULL);
  g_assert_nonnull (strstr (out, "250-PIPELINING"));
  assert_step (out, "MAIL", "250 2.1.0");
  assert_step (out, "RCPT", "250 2.1.5");
  assert_step (out, "DATA", "354");
  assert_step (out, ".", "250 2.0.0 Queued as");
  assert_step (out, "QUIT", "221");
  g_assert_cmpuint (fixture->messages->len, ==, 1);
}

static void
test_commands (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *out = NULL;

  fixture->no_sign_in = TRUE;
  out = run_python (fixture, "raw", "MAIL FROM:<" OWNER ">", "HELO device.example",
                    "RCPT TO:<a@b.example>", "VRFY someone", "HELP", "NOOP", "FROB", "EXPN list",
                    "AUTH PLAIN", "MAIL FROM:<" OWNER "> BODY=8BITMIME", "MAIL FROM:<" OWNER ">",
                    "RSET", "QUIT", NULL);

  assert_step (out, "greeting", "220 ");
  assert_step (out, "MAIL", "503 5.5.1");       /* before HELO */
  assert_step (out, "HELO", "250 ");
  assert_step (out, "RCPT", "503 5.5.1");       /* before MAIL */
  assert_step (out, "VRFY", "252 2.5.0");
  assert_step (out, "HELP", "214 2.0.0");
  assert_step (out, "NOOP", "250 2.0.0");
  assert_step (out, "FROB", "500 5.5.1");
  assert_step (out, "EXPN", "502 5.5.1");
  assert_step (out, "AUTH", "503 5.5.1");       /* HELO has no extensions */
  assert_step (out, "RSET", "250 2.0.0");
  assert_step (out, "QUIT", "221 2.0.0");
  /* BODY= is an extension HELO did not offer; then a plain MAIL works. */
  g_assert_nonnull (strstr (out, "MAIL: 555 5.5.4"));
  g_assert_nonnull (strstr (out, "MAIL: 250 2.1.0"));
}

/* Made once, kept, the key readable by its owner only, and good for a
 * server session. */
static void
test_certificate (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "stamp", "relay-tls", NULL);
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert_again = NULL;
  g_autofree char *key_again = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *pem_again = NULL;
  g_autoptr(StampTlsSession) tls = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf buf;

  g_assert_true (stamp_relay_certificate_ensure (NULL, &cert, &key, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cert, dir));
  g_assert_cmpint (g_stat (key, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_file_get_contents (cert, &pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----"));

  g_assert_true (stamp_relay_certificate_ensure (NULL, &cert_again, &key_again, &error));
  g_file_get_contents (cert_again, &pem_again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pem, ==, pem_again);

  tls = stamp_tls_session_new_server (cert, key, STAMP_TLS_VERSION_1_2, STAMP_TLS_VERSION_1_3,
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (tls);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/stamp/relay/server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("starttls-auth-delivers", test_starttls_auth_delivers);
  ADD ("swaks-and-msmtp", test_swaks_and_msmtp);
  ADD ("auth-needs-tls", test_auth_needs_tls);
  ADD ("plaintext-device", test_plaintext_device);
  ADD ("no-sign-in", test_no_sign_in);
  ADD ("open-relay-refused", test_open_relay_refused);
  ADD ("foreign-sender", test_foreign_sender);
  ADD ("wrong-password-throttled", test_wrong_password_throttled);
  ADD ("oversize", test_oversize);
  ADD ("oversize-for-identity", test_oversize_for_identity);
  ADD ("overlong-command", test_overlong_command);
  ADD ("nul-in-command", test_nul_in_command);
  ADD ("slowloris", test_slowloris);
  ADD ("slow-data", test_slow_data);
  ADD ("idle-connections", test_idle_connections);
  ADD ("per-ip-cap", test_per_ip_cap);
  ADD ("total-cap", test_total_cap);
  ADD ("legacy-tls", test_legacy_tls);
  ADD ("pipelining", test_pipelining);
  ADD ("commands", test_commands);
  g_test_add_func ("/stamp/relay/server/certificate", test_certificate);

  return g_test_run ();
}

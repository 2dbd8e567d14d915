/* test-relay-serve.c
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

/* `stamp-cli relay serve` as a device meets it: devices added with the
 * real stamp-cli, their passwords in a real keyring, real clients
 * (Python's smtplib, gnutls-cli) on loopback. The relay's own rules: sign-in
 * from the keyring, allow-from, no sign-in by address, plain text per
 * device, the account's address as the only sender, legacy TLS per device,
 * the per-address throttle of failed sign-ins, a device added while it
 * runs, the spool before 250, the log, and how it starts and stops. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-test-cli.h"
#include "stamp-test-server.h"

#define ACCOUNT  "owner@corp.example"
#define PASSWORD "correct-horse-battery"

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *port;
} Relay;

static const char * const *
env (void)
{
  static const char *vars[5];

  vars[0] = "XDG_CONFIG_HOME";
  vars[1] = g_get_user_config_dir ();
  vars[2] = "XDG_STATE_HOME";
  vars[3] = g_get_user_state_dir ();
  vars[4] = NULL;
  return vars;
}

static void
cli (int                 expected,
     const char         *input,
     const char         *command,
     const char * const *args)
{
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, input, env (), command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result.status, result.out, result.err);
  g_assert_cmpint (result.status, ==, expected);
}

static void
add_account (void)
{
  const char * const add[] = { "add", ACCOUNT, "--host", "127.0.0.1", "--port", "2587",
                               "--security", "starttls", NULL };

  cli (0, NULL, "accounts", add);
}

/* @extra: more add-device options, NULL-terminated */
static void
add_device (const char *name,
            const char *user,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (args, "add-device");
  g_ptr_array_add (args, (char *) name);
  g_ptr_array_add (args, "--account");
  g_ptr_array_add (args, ACCOUNT);
  if (user != NULL)
    {
      g_ptr_array_add (args, "--user");
      g_ptr_array_add (args, (char *) user);
      g_ptr_array_add (args, "--password-stdin");
    }
  va_start (ap, user);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  cli (0, user != NULL ? PASSWORD "\n" : NULL, "relay", (const char * const *) args->pdata);
}

static char *
read_line (Relay *relay)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (relay->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("relay: %s", line);
  return line;
}

/* Reads the relay's log until a line holds @words. */
static char *
expect_log (Relay      *relay,
            const char *words)
{
  for (;;)
    {
      char *line = read_line (relay);

      if (strstr (line, words) != NULL)
        return line;
      g_free (line);
    }
}

/* A test that fails leaves no relay behind to hold the keyring's session. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Relay *
relay_start_with (const char *option)
{
  const char * const argv[] = { g_getenv ("STAMP_CLI"), "relay", "serve", "--listen", "127.0.0.1:0",
                                "--read-timeout", "2", option, NULL };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  Relay *relay = g_new0 (Relay, 1);
  const char * const *vars = env ();

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  for (guint i = 0; vars[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, vars[i], vars[i + 1], TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  relay->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  relay->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay->process));

  first = read_line (relay);
  g_assert_true (g_str_has_prefix (first, "Stamp Relay listens on 127.0.0.1:"));
  relay->port = g_strdup (strrchr (first, ':') + 1);

  return relay;
}

static Relay *
relay_start (void)
{
  return relay_start_with (NULL);
}

static void
relay_stop (Relay *relay)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;

  g_subprocess_send_signal (relay->process, SIGTERM);
  last = expect_log (relay, "Stamp Relay stopped");
  g_subprocess_wait_check (relay->process, NULL, &error);
  g_assert_no_error (error);

  g_object_unref (relay->out);
  g_object_unref (relay->process);
  g_free (relay->port);
  g_free (relay);
}

static char *
python (Relay      *relay,
        const char *mode,
        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, "/usr/bin/python3");
  g_ptr_array_add (argv, RELAY_CLIENT);
  g_ptr_array_add (argv, (char *) mode);
  g_ptr_array_add (argv, relay->port);
  va_start (ap, mode);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, NULL,
                &error);
  g_assert_no_error (error);
  g_test_message ("relay-client %s:\n%s%s", mode, out, err);
  return out;
}

static void
assert_has (const char *text,
            const char *words)
{
  if (strstr (text, words) == NULL)
    g_error ("expected “%s” in:\n%s", words, text);
}

static guint
count_queued (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "stamp", "relay", "queue",
                                          NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_suffix (name, ".json");

  return n;
}

static void
test_usage (void)
{
  const char * const half_tls[] = { "serve", "--tls-cert", "/nonexistent.pem", NULL };
  const char * const bad_listen[] = { "serve", "--listen", "printer.example", NULL };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, env (), "relay", half_tls);
  g_assert_cmpint (result.status, ==, 2);
  assert_has (result.err, "--tls-cert and --tls-key together");
  stamp_test_cli_run_clear (&result);

  stamp_test_cli_run (&result, NULL, env (), "relay", bad_listen);
  g_assert_cmpint (result.status, ==, 2);
  assert_has (result.err, "HOST:PORT");
}

static void
test_port_in_use (void)
{
  Relay *relay = relay_start ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%s", relay->port);
  const char * const again[] = { "serve", "--listen", listen, NULL };
  g_auto(StampCliRun) result = { NULL };

  const char * const status[] = { "status", "--json", NULL };
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", listen);

  stamp_test_cli_run (&result, NULL, env (), "relay", again);
  g_assert_cmpint (result.status, ==, 1);
  assert_has (result.err, "another relay already serves 127.0.0.1:");
  stamp_test_cli_run_clear (&result);

  /* `relay status` tells where it listens, and nothing once it stopped. */
  stamp_test_cli_run (&result, NULL, env (), "relay", status);
  g_assert_cmpint (result.status, ==, 0);
  assert_has (result.out, quoted);
  stamp_test_cli_run_clear (&result);
  relay_stop (relay);

  stamp_test_cli_run (&result, NULL, env (), "relay", status);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_null (strstr (result.out, quoted));
}

static void
test_devices (void)
{
  Relay *relay = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;

  add_account ();
  add_device ("Printer", "printer", NULL);
  add_device ("Far Printer", "far-printer", "--allow-from", "192.0.2.0/24", NULL);
  add_device ("Old Scanner", "old-scanner", "--allow-plaintext",
              "--from-alias", "scans@corp.example", NULL);
  relay = relay_start ();

  /* Signed in after STARTTLS, with the password from the keyring: in the
   * spool before 250, and in the log with the address and the device. */
  out = python (relay, "deliver", "--starttls", "--user", "printer", "--password", PASSWORD, NULL);
  assert_has (out, "auth: 235");
  assert_has (out, "data: 250 2.0.0 Queued as ");
  g_assert_cmpuint (count_queued (), ==, 1);
  line = expect_log (relay, " accepted ");
  assert_has (line, "client 127.0.0.1 device Printer: accepted");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&out, g_free);

  /* Another sender than the account's: refused, with the one allowed. */
  out = python (relay, "deliver", "--starttls", "--user", "printer", "--password", PASSWORD,
                "--from", "ceo@elsewhere.example", NULL);
  assert_has (out, "mail: 550 5.7.1 This device may send only as " ACCOUNT);
  line = expect_log (relay, "ceo@elsewhere.example");
  assert_has (line, "client 127.0.0.1 device Printer: refused");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&out, g_free);

  /* No AUTH before STARTTLS for a normal device... */
  out = python (relay, "deliver", "--user", "printer", "--password", PASSWORD, NULL);
  assert_has (out, "auth: 538");
  g_clear_pointer (&out, g_free);

  /* ...but for one set to plain text, yes; and from an alias listed. */
  out = python (relay, "deliver", "--user", "old-scanner", "--password", PASSWORD,
                "--from", "Scans@corp.example", NULL);
  assert_has (out, "auth: 235");
  assert_has (out, "data: 250");
  g_clear_pointer (&out, g_free);
  out = python (relay, "deliver", "--user", "old-scanner", "--password", PASSWORD,
                "--from", "ceo@corp.example", NULL);
  assert_has (out, "mail: 550 5.7.1 This device may send only as " ACCOUNT
                   " or scans@corp.example");
  g_clear_pointer (&out, g_free);

  /* A device with networks signs in only from them. */
  out = python (relay, "deliver", "--starttls", "--user", "far-printer", "--password", PASSWORD,
                NULL);
  assert_has (out, "auth: 535");
  line = expect_log (relay, "allowed networks");
  assert_has (line, "client 127.0.0.1");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&out, g_free);

  /* Nobody sends without signing in: not an open relay. */
  out = python (relay, "raw", "EHLO spammer.example", "MAIL FROM:<" ACCOUNT ">", NULL);
  assert_has (out, "MAIL: 530 5.7.0");
  g_clear_pointer (&out, g_free);

  g_assert_cmpuint (count_queued (), ==, 2);
  relay_stop (relay);
}

static void
test_no_sign_in_added_while_running (void)
{
  Relay *relay = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;

  add_account ();
  relay = relay_start ();

  out = python (relay, "deliver", NULL);
  assert_has (out, "mail: 530");
  g_clear_pointer (&out, g_free);

  /* Added while the relay runs: it reads the device file again. */
  add_device ("Scanner", NULL, "--no-sign-in", "--allow-from", "127.0.0.1/32", NULL);
  add_device ("Printer", "printer", NULL);
  line = expect_log (relay, "Printer");
  assert_has (line, "Scanner");
  g_clear_pointer (&line, g_free);

  for (guint tries = 0; tries < 50; tries++)
    {
      g_clear_pointer (&out, g_free);
      out = python (relay, "deliver", NULL);
      if (strstr (out, "data: 250") != NULL)
        break;
      g_usleep (100 * 1000);
    }
  assert_has (out, "data: 250");
  g_clear_pointer (&out, g_free);

  out = python (relay, "deliver", "--starttls", "--user", "printer", "--password", PASSWORD, NULL);
  assert_has (out, "auth: 235");
  relay_stop (relay);
}

static void
test_throttle (void)
{
  const char *bad = "AUTH PLAIN AHByaW50ZXIAaHVudGVyMi1ndWVzcw==";   /* \0printer\0hunter2-guess */
  const char *good = "AUTH PLAIN AHByaW50ZXIAY29ycmVjdC1ob3JzZS1iYXR0ZXJ5";
  Relay *relay = NULL;
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  g_autofree char *line = NULL;

  add_account ();
  /* In plain text, so that the raw client can sign in. */
  add_device ("Printer", "printer", "--allow-plaintext", NULL);
  relay = relay_start ();

  out = python (relay, "raw", "EHLO device.example", bad, bad, bad, bad, bad, good, NULL);
  {
    g_auto(GStrv) lines = g_strsplit (out, "AUTH: 535 5.7.8", -1);

    g_assert_cmpuint (g_strv_length (lines) - 1, ==, STAMP_RELAY_MAX_FAILED_SIGN_INS);
  }
  assert_has (out, "AUTH: 421 4.7.0 Too many failed sign-ins from 127.0.0.1");

  /* Even the right password waits now, on a new connection too. */
  again = python (relay, "raw", "EHLO device.example", good, NULL);
  assert_has (again, "AUTH: 421 4.7.0");
  line = expect_log (relay, "Too many failed sign-ins");
  assert_has (line, "client 127.0.0.1");
  g_assert_null (strstr (line, "hunter2"));
  relay_stop (relay);
}

/* @input: sent as it is once TLS is up, then the client ends (its --crlf
 * mangles every line after the first) */
static char *
gnutls_cli (Relay      *relay,
            const char *priority,
            const char *input)
{
  const char *argv[] = { "gnutls-cli", "--starttls-proto=smtp", "--insecure", "--priority",
                         priority, "--port", relay->port, "127.0.0.1", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  return g_strconcat (out, err, NULL);
}

static void
test_legacy_tls (void)
{
  Relay *relay = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *taken = NULL;

  add_account ();
  add_device ("Printer", "printer", NULL);
  relay = relay_start ();
  refused = gnutls_cli (relay, "NORMAL:-VERS-ALL:+VERS-TLS1.0", "QUIT\r\n");
  g_assert_null (strstr (refused, "(TLS1.0-"));
  relay_stop (relay);

  /* A device marked for TLS 1.0, from its own network only; a device that
   * is not cannot sign in over the TLS 1.0 its neighbour may start. */
  add_device ("Old Copier", "old-copier", "--tls-min", "1.0", "--allow-from", "127.0.0.0/8", NULL);
  relay = relay_start ();
  taken = gnutls_cli (relay, "NORMAL:-VERS-ALL:+VERS-TLS1.0",
                      "EHLO copier.example\r\n"
                      "AUTH PLAIN AHByaW50ZXIAY29ycmVjdC1ob3JzZS1iYXR0ZXJ5\r\n"
                      "AUTH PLAIN AG9sZC1jb3BpZXIAY29ycmVjdC1ob3JzZS1iYXR0ZXJ5\r\n"
                      "QUIT\r\n");
  assert_has (taken, "(TLS1.0-");
  assert_has (taken, "538 5.7.11 The device \"Printer\" must use TLS 1.2 or newer");
  assert_has (taken, "235 2.7.0");
  relay_stop (relay);
}

/* The whole way: a device hands a scan to the relay, which delivers it
 * upstream through the account, signed in with the account's password. */
static void
test_delivers_upstream (void)
{
  g_autoptr(StampTestServer) upstream = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *port = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;
  JsonObject *message;
  Relay *relay = NULL;

  upstream = stamp_test_server_start ("starttls", "--user", ACCOUNT,
                                      "--password", "Sesame-open-2026", NULL);
  port = g_strdup_printf ("%u", stamp_test_server_get_port (upstream));
  {
    const char * const add[] = { "add", ACCOUNT, "--host", "localhost", "--port", port,
                                 "--security", "starttls", "--ca-file", ca, NULL };
    const char * const login[] = { ACCOUNT, "--password-stdin", NULL };

    cli (0, NULL, "accounts", add);
    cli (0, "Sesame-open-2026\n", "login", login);
  }
  add_device ("Printer", "printer", NULL);
  relay = relay_start_with ("--no-pacing");

  out = python (relay, "deliver", "--starttls", "--user", "printer", "--password", PASSWORD, NULL);
  assert_has (out, "data: 250 2.0.0 Queued as ");
  line = expect_log (relay, "delivered ");
  assert_has (line, "client 127.0.0.1 device Printer: delivered");

  messages = stamp_test_server_get_events (upstream, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_test_message ("upstream got: %s",
                  json_object_get_string_member_with_default (message, "data", ""));
  assert_has (json_object_get_string_member_with_default (message, "data", ""),
              "Received: from device.example ([127.0.0.1])");
  assert_has (json_object_get_string_member_with_default (message, "data", ""), "Subject: scan");
  g_assert_cmpuint (count_queued (), ==, 0);
  relay_stop (relay);
}

/* A device of an account whose provider documents a size limit (iCloud:
 * 20 MB) hears 552 when it announces more, before it sends a byte. Nothing
 * is queued: the account's server is not on loopback. */
static void
test_provider_limit (void)
{
  const char * const add[] = { "add", "scans@icloud.com", "--provider", "icloud", NULL };
  const char * const device[] = { "add-device", "Mac Scanner", "--account", "scans@icloud.com",
                                  "--user", "mac-scanner", "--password-stdin", NULL };
  g_autofree char *out = NULL;
  Relay *relay = NULL;

  cli (0, NULL, "accounts", add);
  cli (0, PASSWORD "\n", "relay", device);
  relay = relay_start ();

  out = python (relay, "deliver", "--starttls", "--user", "mac-scanner", "--password", PASSWORD,
                "--from", "scans@icloud.com", "--size", "30000000", "--mail-only", NULL);
  assert_has (out, "mail: 552 5.3.4");
  g_clear_pointer (&out, g_free);
  out = python (relay, "deliver", "--starttls", "--user", "mac-scanner", "--password", PASSWORD,
                "--from", "scans@icloud.com", "--size", "19000000", "--mail-only", NULL);
  assert_has (out, "mail: 250");
  relay_stop (relay);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/relay/serve/usage", test_usage);
  g_test_add_func ("/stamp/relay/serve/port-in-use", test_port_in_use);
  g_test_add_func ("/stamp/relay/serve/devices", test_devices);
  g_test_add_func ("/stamp/relay/serve/no-sign-in-added-while-running",
                   test_no_sign_in_added_while_running);
  g_test_add_func ("/stamp/relay/serve/throttle", test_throttle);
  g_test_add_func ("/stamp/relay/serve/legacy-tls", test_legacy_tls);
  g_test_add_func ("/stamp/relay/serve/delivers-upstream", test_delivers_upstream);
  g_test_add_func ("/stamp/relay/serve/provider-limit", test_provider_limit);

  return g_test_run ();
}

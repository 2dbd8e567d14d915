/* test-export-tls.c
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

/* Every export that a real program here sends with, pointed at the
 * loopback SMTP server three times: presenting a certificate from the test
 * CA the account names (the program signs in and the message arrives),
 * one for the same host from a CA nobody trusts, and one from the trusted
 * CA for another name (each time the program gives up before AUTH: the
 * server logs no sign-in and no message). The first run proves that the
 * others are verification and not breakage. Each export is used as
 * written; only the password map's path and the Postfix instance's own
 * settings are added.
 *
 * The programs: msmtp, Postfix, the Python script (system Python), the
 * Nodemailer module (Debian's node-nodemailer), the PHPMailer script
 * (Debian's libphp-phpmailer) and git send-email (git-email).
 *
 * Postfix runs as a private instance in a temporary folder, started with
 * postfix -c DIR as root (as CI and the development machines run), with
 * no listener but an smtpd on a free loopback port that the test hands the
 * message to; its smtp client then relays through the exported relayhost
 * lines, as a configured server would. posttls-finger would have been
 * lighter, but it reads no main.cf, so it would test a translation of the
 * exported lines rather than the lines; sendmail -C cannot be used, since
 * its setgid postdrop accepts only configuration folders listed in the
 * system's main.cf. An instance starts in a fraction of a second and
 * relays at once, so a Postfix case takes about two seconds, most of it
 * postfix stop. */

#include "config.h"

#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-export.h"
#include "stamp-test-server.h"

#define PYTHON   "/usr/bin/python3"
#define ADDRESS  "sender@example.test"
#define RCPT     "rcpt@example.test"
#define PASSWORD "pw-5e2d \"quoted\" $x"

typedef struct _Tool Tool;

/* Sends one message with the exported @context, keeping its files in
 * @dir; returns whether the program reported it sent. */
typedef gboolean (*SendFunc) (const Tool         *tool,
                              StampExportContext *context,
                              const char         *dir);

struct _Tool
{
  const char *id;         /* the exporter's */
  SendFunc    send;
  /* For the scripts run as "PROGRAM FILE RECIPIENT": */
  const char *file_name;
  const char *program;
  const char *env;        /* NAME=VALUE, besides the password */
};

typedef struct
{
  const Tool *tool;
  const char *security;  /* "starttls" or "tls" */
  const char *cert;      /* "server", "untrusted" or "wrong-host" */
} TlsCase;

/* Runs a program to its end with @env ("NAME=VALUE", %NULL-terminated)
 * added to its environment; returns whether it exited 0, and logs what it
 * printed. */
static gboolean
run_tool (const char * const *argv,
          const char * const *env,
          const char         *cwd,
          const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("%s: %s (build-aux/install-deps.sh installs it)", argv[0], error->message);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %s%s", argv[0], out, err);

  return g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
}

/* A folder of its own for each case's files. */
static char *
case_dir (const char *name)
{
  char *dir = g_build_filename (stamp_test_work_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

static char *
save_export (const char         *exporter_id,
             StampExportContext *context,
             const char         *dir,
             const char         *file_name)
{
  g_autoptr(StampExportResult) result = stamp_test_export_render (exporter_id, context);
  g_autofree char *saved = stamp_test_export_save (result, file_name);
  char *path = g_build_filename (dir, file_name, NULL);

  g_assert_cmpint (g_rename (saved, path), ==, 0);
  return path;
}

static gboolean
send_msmtp (const Tool         *tool,
            StampExportContext *context,
            const char         *dir)
{
  g_autofree char *path = save_export (tool->id, context, dir, "msmtprc");
  const char *argv[] = { "msmtp", "-C", path, "-a", ADDRESS, RCPT, NULL };

  return run_tool (argv, NULL, NULL, "Subject: Stamp TLS test\n\nHello.\n");
}

/* The Python, Node and PHP code, each run as its header says to try it,
 * with the password in SMTP_PASSWORD. */
static gboolean
send_script (const Tool         *tool,
             StampExportContext *context,
             const char         *dir)
{
  g_autofree char *path = save_export (tool->id, context, dir, tool->file_name);
  const char *argv[] = { tool->program, path, RCPT, NULL };
  const char *env[] = { "SMTP_PASSWORD=" PASSWORD, tool->env, NULL };

  if (g_str_has_suffix (tool->file_name, ".php"))
    {
      g_autofree char *vendor = g_build_filename (dir, "vendor", NULL);
      g_autofree char *autoload = g_build_filename (vendor, "autoload.php", NULL);
      g_autoptr(GError) error = NULL;

      /* Composer's autoloader stands in for Debian's libphp-phpmailer. */
      g_assert_cmpint (g_mkdir_with_parents (vendor, 0755), ==, 0);
      g_file_set_contents (autoload,
                           "<?php\nrequire_once '/usr/share/php/libphp-phpmailer/autoload.php';\n",
                           -1, &error);
      g_assert_no_error (error);
    }

  return run_tool (argv, env, NULL, NULL);
}

static gboolean
send_git (const Tool         *tool,
          StampExportContext *context,
          const char         *dir)
{
  g_autofree char *config = save_export (tool->id, context, dir, "gitconfig");
  g_autofree char *patch = g_build_filename (dir, "0001-test.patch", NULL);
  g_autofree char *global = g_strdup_printf ("GIT_CONFIG_GLOBAL=%s", config);
  g_autofree char *home = g_strdup_printf ("HOME=%s", dir);
  const char *argv[] = { "git", "send-email", "--confirm=never", "--to=" RCPT, "--no-validate",
                         "--suppress-cc=all", patch, NULL };
  /* git asks for an identity even with sendemail.from set. */
  const char *env[] = { global, home, "GIT_CONFIG_NOSYSTEM=1", "GIT_COMMITTER_NAME=Stamp test",
                        "GIT_COMMITTER_EMAIL=" ADDRESS, "GIT_AUTHOR_NAME=Stamp test",
                        "GIT_AUTHOR_EMAIL=" ADDRESS, NULL };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (patch,
                       "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
                       "From: " ADDRESS "\n"
                       "Subject: [PATCH] Stamp TLS test\n"
                       "\n"
                       "Hello.\n", -1, &error);
  g_assert_no_error (error);

  return run_tool (argv, env, dir, NULL);
}

/* A free loopback port for the instance's smtpd, as the kernel picks one. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Only what the instance needs to run beside nothing else: its own
 * folders and log, no local delivery, relaying for loopback clients. The
 * smtp client runs unchrooted, as master.cf says. */
static const char postfix_master_cf[] =
  "%s inet n - n - - smtpd\n"
  "pickup unix n - n 60 1 pickup\n"
  "cleanup unix n - n - 0 cleanup\n"
  "qmgr unix n - n 300 1 qmgr\n"
  "tlsmgr unix - - n 1000? 1 tlsmgr\n"
  "rewrite unix - - n - - trivial-rewrite\n"
  "bounce unix - - n - 0 bounce\n"
  "defer unix - - n - 0 bounce\n"
  "trace unix - - n - 0 bounce\n"
  "verify unix - - n - 1 verify\n"
  "flush unix n - n 1000? 0 flush\n"
  "proxymap unix - - n - - proxymap\n"
  "smtp unix - - n - - smtp\n"
  "relay unix - - n - - smtp\n"
  "showq unix n - n - - showq\n"
  "error unix - - n - - error\n"
  "retry unix - - n - - error\n"
  "discard unix - - n - - discard\n"
  "anvil unix - - n - 1 anvil\n"
  "scache unix - - n - 1 scache\n"
  "postlog unix-dgram n - n - 1 postlogd\n";

static const char postfix_main_cf[] =
  "compatibility_level = 3.6\n"
  "queue_directory = %s\n"
  "data_directory = %s\n"
  "maillog_file = %s/maillog\n"
  "maillog_file_prefixes = %s\n"
  "myhostname = postfix.stamp.test\n"
  "mydestination =\n"
  "alias_maps =\n"
  "alias_database =\n"
  "inet_interfaces = loopback-only\n"
  "inet_protocols = ipv4\n"
  "mynetworks = 127.0.0.0/8\n"
  "smtpd_relay_restrictions = permit_mynetworks, reject\n"
  /* Resolve the relayhost from /etc/hosts: there is no DNS here. */
  "smtp_dns_support_level = disabled\n"
  "\n";

static void
postfix_control (const char *dir,
                 const char *command)
{
  const char *argv[] = { "/usr/sbin/postfix", "-c", dir, command, NULL };

  if (!run_tool (argv, NULL, NULL, NULL))
    g_error ("postfix %s failed (it must run as root)", command);
}

typedef enum
{
  POSTFIX_TIMED_OUT,
  POSTFIX_SENT,
  POSTFIX_DEFERRED,
} PostfixVerdict;

/* Waits for the instance's verdict on the one message. */
static PostfixVerdict
postfix_wait (const char *dir)
{
  g_autofree char *log_path = g_build_filename (dir, "maillog", NULL);

  for (int i = 0; i < 300; i++)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (log_path, &log, NULL, NULL))
        {
          if (strstr (log, " status=sent ") != NULL)
            return POSTFIX_SENT;
          if (strstr (log, " status=deferred ") != NULL || strstr (log, " status=bounced ") != NULL)
            {
              g_test_message ("%s", log);
              return POSTFIX_DEFERRED;
            }
        }
      g_usleep (G_USEC_PER_SEC / 10);
    }

  return POSTFIX_TIMED_OUT;
}

static gboolean
send_postfix (const Tool         *tool,
              StampExportContext *context,
              const char         *dir)
{
  /* Beside, not below, the configuration: postfix check wants all there
   * owned by root. */
  g_autofree char *config = g_build_filename (dir, "etc", NULL);
  g_autofree char *queue = g_build_filename (dir, "queue", NULL);
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *main_path = g_build_filename (config, "main.cf", NULL);
  g_autofree char *master_path = g_build_filename (config, "master.cf", NULL);
  g_autofree char *map_path = NULL;
  g_autofree char *map = NULL;
  g_autofree char *maps_line = NULL;
  guint16 smtpd_port = free_port ();
  g_autofree char *smtpd = g_strdup_printf ("127.0.0.1:%u", smtpd_port);
  g_autoptr(StampExportResult) result = stamp_test_export_render (tool->id, context);
  g_autoptr(GString) main_cf = g_string_new (NULL);
  g_autofree char *master_cf = g_strdup_printf (postfix_master_cf, smtpd);
  g_autofree char *inject_code = NULL;
  const char *postmap[] = { "/usr/sbin/postmap", "-c", config, NULL, NULL };
  const char *inject[] = { PYTHON, "-c", NULL, NULL };
  g_autoptr(GError) error = NULL;
  struct passwd *postfix_user = getpwnam ("postfix");
  PostfixVerdict verdict = POSTFIX_TIMED_OUT;
  gboolean injected;

  /* The daemons reach their files as the user postfix. */
  g_assert_cmpint (g_chmod (stamp_test_work_dir (), 0755), ==, 0);
  g_assert_cmpint (g_mkdir (config, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (queue, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (data, 0700), ==, 0);
  g_assert_nonnull (postfix_user);
  g_assert_cmpint (chown (data, postfix_user->pw_uid, -1), ==, 0);

  map_path = save_export ("postfix-sasl-passwd", context, config, "sasl_passwd");
  map = g_strdup_printf ("hash:%s", map_path);
  maps_line = g_strdup_printf ("\nsmtp_sasl_password_maps = %s\n", map);
  postmap[3] = map;

  g_string_append_printf (main_cf, postfix_main_cf, queue, data, dir, dir);
  g_string_append (main_cf, stamp_export_result_get_text (result));
  /* The exported lines name the map in /etc/postfix. */
  g_assert_cmpuint (g_string_replace (main_cf,
                                      "\nsmtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n",
                                      maps_line, 0), ==, 1);
  g_file_set_contents (main_path, main_cf->str, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (master_path, master_cf, -1, &error);
  g_assert_no_error (error);
  stamp_test_export_run_tool (postmap, NULL);

  postfix_control (config, "start");
  inject_code = g_strdup_printf ("import smtplib\n"
                                 "with smtplib.SMTP('127.0.0.1', %u, timeout=30) as s:\n"
                                 "    s.sendmail('" ADDRESS "', ['" RCPT "'],\n"
                                 "               'Subject: Stamp TLS test\\n\\nHello.\\n')\n",
                                 smtpd_port);
  inject[2] = inject_code;
  injected = run_tool (inject, NULL, NULL, NULL);
  if (injected)
    verdict = postfix_wait (dir);
  /* Stopped before any assertion, so a failure leaves no daemon behind. */
  postfix_control (config, "stop");
  g_assert_true (injected);
  if (verdict == POSTFIX_TIMED_OUT)
    g_error ("Postfix neither sent nor deferred the message in 30 s");

  return verdict == POSTFIX_SENT;
}

static const Tool tools[] = {
  { "msmtp", send_msmtp },
  { "postfix", send_postfix },
  { "python-smtplib", send_script, "mailer.py", PYTHON },
  /* Debian's node-nodemailer, outside any node_modules folder. */
  { "nodemailer", send_script, "mailer.js", "node", "NODE_PATH=/usr/share/nodejs" },
  { "phpmailer", send_script, "mailer.php", "php" },
  { "git-send-email", send_git },
};

static void
assert_sent (StampTestServer *server)
{
  g_autoptr(GPtrArray) auths = stamp_test_server_get_events (server, "auth");
  g_autoptr(GPtrArray) messages = stamp_test_server_get_events (server, "message");
  JsonObject *auth;
  JsonObject *message;

  /* Nodemailer's script signs in twice: verify(), then the send. */
  g_assert_cmpuint (auths->len, >=, 1);
  for (guint i = 0; i < auths->len; i++)
    {
      auth = g_ptr_array_index (auths, i);
      g_assert_true (json_object_get_boolean_member (auth, "success"));
      g_assert_cmpstr (json_object_get_string_member (auth, "user"), ==, ADDRESS);
    }
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, ADDRESS);
}

/* The program did connect (so it was refused, not lost), and stopped
 * before anything secret or any mail went over the wire. */
static void
assert_refused (StampTestServer *server)
{
  g_autoptr(GPtrArray) connects = stamp_test_server_get_events (server, "connect");
  g_autoptr(GPtrArray) auths = stamp_test_server_get_events (server, "auth");
  g_autoptr(GPtrArray) messages = stamp_test_server_get_events (server, "message");

  g_assert_cmpuint (connects->len, >=, 1);
  g_assert_cmpuint (auths->len, ==, 0);
  g_assert_cmpuint (messages->len, ==, 0);
}

static void
test_tls (gconstpointer data)
{
  const TlsCase *test = data;
  g_autofree char *cert_name = g_strdup_printf ("%s.pem", test->cert);
  g_autofree char *key_name = g_strdup_printf ("%s-key.pem", test->cert);
  g_autofree char *cert = stamp_test_cert_path (cert_name);
  g_autofree char *key = stamp_test_cert_path (key_name);
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *name = g_strdup_printf ("%s-%s-%s", test->tool->id, test->security,
                                           test->cert);
  g_autoptr(StampTestServer) server = NULL;
  g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
  g_autoptr(StampExportContext) context = NULL;
  g_autofree char *dir = NULL;
  gboolean sent;

  server = stamp_test_server_start (test->security, "--user", ADDRESS, "--password", PASSWORD,
                                    "--cert", cert, "--key", key, NULL);

  /* A host name, as certificates name hosts: server.pem and
   * untrusted.pem name localhost, wrong-host.pem does not. */
  stamp_account_set_host (account, "localhost");
  stamp_account_set_port (account, stamp_test_server_get_port (server));
  stamp_account_set_security (account, g_str_equal (test->security, "tls")
                                       ? STAMP_SECURITY_TLS : STAMP_SECURITY_STARTTLS);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_PLAIN);
  stamp_account_set_ca_file (account, ca);
  context = stamp_export_context_new (account);
  stamp_export_context_set_secret (context, PASSWORD);

  dir = case_dir (name);
  sent = test->tool->send (test->tool, context, dir);

  if (g_str_equal (test->cert, "server"))
    {
      g_assert_true (sent);
      assert_sent (server);
    }
  else
    {
      g_assert_false (sent);
      assert_refused (server);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char * const securities[] = { "starttls", "tls" };
  /* The test CA's certificate for localhost; one for localhost from a CA
   * nobody trusts; one from the test CA for another name. */
  const char * const certs[] = { "server", "untrusted", "wrong-host" };

  g_test_init (&argc, &argv, NULL);

  for (gsize t = 0; t < G_N_ELEMENTS (tools); t++)
    for (gsize s = 0; s < G_N_ELEMENTS (securities); s++)
      for (gsize c = 0; c < G_N_ELEMENTS (certs); c++)
        {
          TlsCase *test = g_new0 (TlsCase, 1);
          g_autofree char *path = NULL;

          test->tool = &tools[t];
          test->security = securities[s];
          test->cert = certs[c];
          path = g_strdup_printf ("/stamp/export/tls/%s/%s/%s", tools[t].id, securities[s],
                                  certs[c]);
          g_test_add_data_func_full (path, test, test_tls, g_free);
        }

  return g_test_run ();
}

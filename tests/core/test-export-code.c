/* test-export-code.c
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

/* The exporters for application code: a .env for Symfony and Laravel,
 * Nodemailer, PHPMailer and Python's smtplib. Each output is compared with
 * its golden file and read by the real language (php -l, node --check,
 * py_compile); the secret is read back by PHP, Node and Python themselves;
 * and the Python script really sends through the loopback SMTP server. */

#include "config.h"

#include <string.h>

#include "stamp-error.h"
#include "stamp-test-export.h"
#include "stamp-test-server.h"

#define PYTHON "/usr/bin/python3"
#define NODE   "/usr/bin/node"
#define PHP    "php"
#define RCPT   "bob@example.test"
#define TOKEN  "ya29.canary-token-Qm9vcC1ib29w"

typedef struct
{
  const char *exporter;
  const char *extension;
  const char *cases[6];
} CodeTarget;

static const CodeTarget targets[] = {
  { "env",            "env", { "fastmail", "custom", "relay", NULL } },
  { "nodemailer",     "js",  { "fastmail", "m365", "gmail", "custom", "relay", NULL } },
  { "phpmailer",      "php", { "fastmail", "m365", "gmail", "custom", "relay", NULL } },
  { "python-smtplib", "py",  { "fastmail", "m365", "gmail", "custom", "relay", NULL } },
};

/* Runs a program and returns what it printed; fails the test unless it
 * exits 0. @env_name, when given, is set to @env_value in its environment,
 * or unset when @env_value is %NULL. */
static char *
run_capture (const char * const *argv,
             const char         *env_name,
             const char         *env_value)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_name != NULL && env_value != NULL)
    g_subprocess_launcher_setenv (launcher, env_name, env_value, TRUE);
  else if (env_name != NULL)
    g_subprocess_launcher_unsetenv (launcher, env_name);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL)
    g_error ("%s: %s (build-aux/install-deps.sh installs it)", argv[0], error->message);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed:\n%s%s", argv[0], out, err);

  return g_steal_pointer (&out);
}

/* The language itself checks the file. */
static void
check_syntax (const char *extension,
              const char *path)
{
  if (g_str_equal (extension, "php"))
    {
      const char *argv[] = { PHP, "-l", path, NULL };

      stamp_test_export_run_tool (argv, NULL);
    }
  else if (g_str_equal (extension, "js"))
    {
      const char *argv[] = { NODE, "--check", path, NULL };

      stamp_test_export_run_tool (argv, NULL);
    }
  else if (g_str_equal (extension, "py"))
    {
      const char *argv[] = { PYTHON, "-m", "py_compile", path, NULL };

      stamp_test_export_run_tool (argv, NULL);
    }
}

static void
test_golden (void)
{
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint c = 0; targets[t].cases[c] != NULL; c++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (targets[t].cases[c], FALSE);
        g_autoptr(StampExportResult) result = stamp_test_export_render (targets[t].exporter, context);
        g_autofree char *name = g_strdup_printf ("%s--%s.%s", targets[t].exporter,
                                                 targets[t].cases[c], targets[t].extension);
        g_autofree char *path = NULL;

        g_test_message ("%s", name);
        stamp_test_export_check_golden (result, name);
        stamp_test_export_assert_no_canary (result);
        g_assert_false (stamp_export_result_get_private (result));
        path = stamp_test_export_save (result, name);
        check_syntax (targets[t].extension, path);
      }
}

/* OAuth accounts: the refresh token is never written, even when given;
 * the code asks stamp-cli for access tokens instead. */
static void
test_oauth_no_secret (void)
{
  for (guint t = 1; t < G_N_ELEMENTS (targets); t++)
    {
      g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", TRUE);
      g_autoptr(StampExportResult) result = stamp_test_export_render (targets[t].exporter, context);

      stamp_test_export_assert_no_canary (result);
      g_assert_false (stamp_export_result_get_private (result));
      g_assert_nonnull (strstr (stamp_export_result_get_text (result), "stamp-cli"));
    }
}

static void
test_env_refuses_oauth (void)
{
  const char *cases[] = { "m365", "gmail" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampExportContext) context = stamp_test_export_context (cases[i], FALSE);
      g_autoptr(GError) error = NULL;
      StampExporter *exporter = stamp_exporter_lookup ("env");

      g_assert_false (stamp_exporter_can_serve (exporter, context, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "OAuth"));
      g_assert_nonnull (strstr (error->message, "relay"));
      g_assert_null (stamp_exporter_render (exporter, context, NULL));
    }
}

/* Library stand-ins, so the generated files can be loaded and their values
 * read back by PHP and Node themselves without PHPMailer or Nodemailer. */
static void
write_library_stubs (void)
{
  static const char php_stub[] =
    "<?php\n"
    "namespace PHPMailer\\PHPMailer;\n"
    "class Exception extends \\Exception {}\n"
    "interface OAuthTokenProvider { public function getOauth64(); }\n"
    "#[\\AllowDynamicProperties]\n"
    "class PHPMailer {\n"
    "    const ENCRYPTION_STARTTLS = 'tls';\n"
    "    const ENCRYPTION_SMTPS = 'ssl';\n"
    "    public $oauth;\n"
    "    public function __construct($exceptions = null) {}\n"
    "    public function isSMTP() {}\n"
    "    public function setFrom($address, $name = '') { $this->From = $address; $this->FromName = $name; }\n"
    "    public function setOAuth(OAuthTokenProvider $oauth) { $this->oauth = $oauth; }\n"
    "}\n";
  static const char node_stub[] =
    "exports.createTransport = (options) => ({ options });\n";
  g_autofree char *vendor = g_build_filename (stamp_test_work_dir (), "vendor", NULL);
  g_autofree char *modules = g_build_filename (stamp_test_work_dir (), "node_modules", "nodemailer", NULL);
  g_autofree char *autoload = g_build_filename (vendor, "autoload.php", NULL);
  g_autofree char *index = g_build_filename (modules, "index.js", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (vendor, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (modules, 0700), ==, 0);
  g_file_set_contents (autoload, php_stub, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (index, node_stub, -1, &error);
  g_assert_no_error (error);
}

/* A token command that prints TOKEN, with a space in its path so that
 * splitting it into arguments is tested too. */
static char *
write_token_command (void)
{
  g_autofree char *dir = g_build_filename (stamp_test_work_dir (), "token helper", NULL);
  g_autofree char *script = g_build_filename (dir, "print-token.sh", NULL);
  g_autofree char *quoted = g_shell_quote (script);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (script, "printf '%s\\n' '" TOKEN "'\n", -1, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("/bin/sh %s", quoted);
}

/* The value of @key in a .env text, as written (up to the line's end). */
static char *
env_raw_value (const char *text,
               const char *key)
{
  g_autofree char *prefix = g_strdup_printf ("\n%s=", key);
  const char *start = strstr (text, prefix);

  g_assert_nonnull (start);
  start += strlen (prefix);
  return g_strndup (start, strcspn (start, "\n"));
}

/* A quoted or bare .env value read as vlucas/phpdotenv 5 reads it
 * (src/Parser/EntryParser.php): single quotes literal; in double quotes
 * \" \\ \$ \n \r \t \f \v and nothing else; bare up to a space or "#".
 * No ${VAR} may appear: Stamp's values expand nothing. */
static char *
read_env_laravel (const char *raw)
{
  GString *value = g_string_new (NULL);
  const char *p = raw;

  if (*p == '\'')
    {
      const char *end = strchr (p + 1, '\'');

      g_assert_nonnull (end);
      g_assert_cmpstr (end + 1, ==, "");
      g_string_append_len (value, p + 1, end - p - 1);
    }
  else if (*p == '"')
    {
      for (p++; *p != '"'; p++)
        {
          g_assert_true (*p != '\0');
          g_assert_false (p[0] == '$' && p[1] == '{');
          if (*p != '\\')
            {
              g_string_append_c (value, *p);
              continue;
            }
          p++;
          g_assert_nonnull (strchr ("\"\\$nrtfv", *p));
          g_string_append_c (value, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t'
                                    : *p == 'f' ? '\f' : *p == 'v' ? '\v' : *p);
        }
      g_assert_cmpstr (p + 1, ==, "");
    }
  else
    {
      g_assert_null (strpbrk (raw, " \t#$\"'\\"));
      g_string_append (value, raw);
    }

  return g_string_free (value, FALSE);
}

/* The same as Symfony's Dotenv 7 reads it (Dotenv::lexValue): in double
 * quotes the value ends at a '"' unless one lone backslash precedes it;
 * then \" \r \n are replaced, a "$" after an odd run of backslashes loses
 * one, and finally \\ becomes \. */
static char *
read_env_symfony (const char *raw)
{
  g_autoptr(GString) inner = g_string_new (NULL);
  GString *value = g_string_new (NULL);
  gsize len = strlen (raw);
  gsize i;

  if (raw[0] == '\'')
    {
      g_assert_cmpint (raw[len - 1], ==, '\'');
      g_string_append_len (value, raw + 1, len - 2);
      g_assert_null (strchr (value->str, '\''));
      return g_string_free (value, FALSE);
    }
  if (raw[0] != '"')
    {
      g_assert_null (strpbrk (raw, " \t#$\"'\\"));
      g_string_append (value, raw);
      return g_string_free (value, FALSE);
    }

  for (i = 1; raw[i] != '"' || (raw[i - 1] == '\\' && raw[i - 2] != '\\'); i++)
    g_assert_true (raw[i] != '\0');
  g_assert_cmpuint (i, ==, len - 1);
  g_string_append_len (inner, raw + 1, i - 1);
  g_string_replace (inner, "\\\"", "\"", 0);
  g_string_replace (inner, "\\r", "\r", 0);
  g_string_replace (inner, "\\n", "\n", 0);

  for (i = 0; i < inner->len; i++)
    {
      gsize run = 0;

      while (inner->str[i + run] == '\\')
        run++;
      if (inner->str[i + run] == '$')
        {
          /* An unescaped "$" would be a variable. */
          g_assert_cmpuint (run % 2, ==, 1);
          g_string_append_len (value, inner->str + i, run - 1);
          g_string_append_c (value, '$');
        }
      else
        g_string_append_len (value, inner->str + i, run + (inner->str[i + run] != '\0'));
      i += run;
    }
  g_string_replace (value, "\\\\", "\\", 0);

  return g_string_free (value, FALSE);
}

static void
check_env_secret (StampExportResult *result)
{
  const char *text = stamp_export_result_get_text (result);
  g_autofree char *password = env_raw_value (text, "MAIL_PASSWORD");
  g_autofree char *laravel = read_env_laravel (password);
  g_autofree char *symfony = read_env_symfony (password);
  g_autofree char *dsn_raw = env_raw_value (text, "MAILER_DSN");
  g_autofree char *dsn = read_env_symfony (dsn_raw);
  g_autofree char *dsn_laravel = read_env_laravel (dsn_raw);
  g_autoptr(GError) error = NULL;
  g_autofree char *pass = NULL;

  g_assert_cmpstr (laravel, ==, STAMP_TEST_EXPORT_CANARY);
  g_assert_cmpstr (symfony, ==, STAMP_TEST_EXPORT_CANARY);

  /* Symfony's Dsn::fromString: parse_url, then rawurldecode. */
  g_assert_cmpstr (dsn, ==, dsn_laravel);
  g_assert_true (g_uri_split_with_user (dsn, G_URI_FLAGS_HAS_PASSWORD, NULL, NULL, &pass,
                                        NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pass, ==, STAMP_TEST_EXPORT_CANARY);
}

/* With the secret: only in a private result, saved 0600, and read back
 * by the language exactly as given. */
static void
test_secret_round_trip (void)
{
  const char *cases[] = { "fastmail", "custom" };

  write_library_stubs ();

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], TRUE);
        g_autoptr(StampExportResult) result = NULL;
        g_autofree char *name = g_strdup_printf ("secret-%s.%s", cases[c], targets[t].extension);
        g_autofree char *ca = stamp_test_cert_path ("ca.pem");
        g_autofree char *path = NULL;
        g_autofree char *read_back = NULL;

        /* Loading the code reads the CA file: one that exists. */
        if (stamp_account_get_ca_file (stamp_export_context_get_account (context)) != NULL)
          stamp_account_set_ca_file (stamp_export_context_get_account (context), ca);
        result = stamp_test_export_render (targets[t].exporter, context);
        stamp_test_export_assert_canary (result);
        path = stamp_test_export_save (result, name);
        check_syntax (targets[t].extension, path);

        if (g_str_equal (targets[t].extension, "env"))
          {
            check_env_secret (result);
            continue;
          }

        if (g_str_equal (targets[t].extension, "php"))
          {
            const char *argv[] = { PHP, "-r", "require $argv[1]; echo stamp_mailer()->Password;",
                                   path, NULL };

            read_back = run_capture (argv, NULL, NULL);
          }
        else if (g_str_equal (targets[t].extension, "js"))
          {
            const char *argv[] = { NODE, "-e",
                                   "process.stdout.write(require(process.argv[1])"
                                   ".transporter.options.auth.pass)",
                                   path, NULL };

            read_back = run_capture (argv, NULL, NULL);
          }
        else
          {
            const char *argv[] = { PYTHON, "-c",
                                   "import runpy, sys; "
                                   "sys.stdout.write(runpy.run_path(sys.argv[1])['PASSWORD'])",
                                   path, NULL };

            read_back = run_capture (argv, NULL, NULL);
          }
        g_assert_cmpstr (read_back, ==, STAMP_TEST_EXPORT_CANARY);
      }
}

/* Values no quoting makes both .env readers agree on, or that Laravel's
 * env() changes after reading, come with a note saying what to do. */
static void
test_env_notes (void)
{
  const struct {
    const char *secret;
    const char *note;
  } cases[] = {
    { "it's\\no", "Symfony" },
    { "a'b$(c", "Symfony" },
    { "null", "env()" },
    { "\"quoted\"", "env()" },
    { "plain-Pa55", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampExportContext) context = stamp_test_export_context ("fastmail", FALSE);
      g_autoptr(StampExportResult) result = NULL;
      g_autofree char *raw = NULL;
      g_autofree char *laravel = NULL;
      const char * const *notes;
      gboolean found = FALSE;

      stamp_export_context_set_secret (context, cases[i].secret);
      result = stamp_test_export_render ("env", context);
      notes = stamp_export_result_get_notes (result);
      for (guint n = 0; notes[n] != NULL; n++)
        found |= cases[i].note != NULL && strstr (notes[n], cases[i].note) != NULL
                 && strstr (notes[n], "MAIL_PASSWORD") != NULL;
      g_assert_true (found == (cases[i].note != NULL));
      if (cases[i].note == NULL)
        g_assert_cmpuint (g_strv_length ((char **) notes), ==, 0);

      /* Laravel reads it right in any case. */
      raw = env_raw_value (stamp_export_result_get_text (result), "MAIL_PASSWORD");
      laravel = read_env_laravel (raw);
      g_assert_cmpstr (laravel, ==, cases[i].secret);
    }
}

/* The OAuth code of Node and PHP really runs the token command and builds
 * what the server must get. */
static void
test_token_command (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", FALSE);
  g_autofree char *command = write_token_command ();
  g_autoptr(StampExportResult) node = NULL;
  g_autoptr(StampExportResult) php = NULL;
  g_autofree char *node_path = NULL;
  g_autofree char *php_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *oauth = NULL;
  const char *node_argv[] = {
    NODE, "-e",
    "require(process.argv[1]).transporter.options.auth.provisionCallback("
    "'alice@contoso.com', false, (err, token, expires) => {"
    " if (err || !(expires > Date.now())) process.exit(1);"
    " process.stdout.write(token); })",
    NULL, NULL
  };
  const char *php_argv[] = {
    PHP, "-r", "require $argv[1]; echo base64_decode(stamp_mailer()->oauth->getOauth64());",
    NULL, NULL
  };

  write_library_stubs ();
  stamp_export_context_set_token_command (context, command);

  node = stamp_test_export_render ("nodemailer", context);
  node_argv[3] = node_path = stamp_test_export_save (node, "token-mailer.js");
  token = run_capture (node_argv, NULL, NULL);
  g_assert_cmpstr (token, ==, TOKEN);

  php = stamp_test_export_render ("phpmailer", context);
  php_argv[3] = php_path = stamp_test_export_save (php, "token-mailer.php");
  oauth = run_capture (php_argv, NULL, NULL);
  g_assert_cmpstr (oauth, ==, "user=alice@contoso.com\001auth=Bearer " TOKEN "\001\001");
}

typedef struct
{
  const char         *security;    /* the server's */
  StampAuthMechanism  mechanism;
} SendCase;

static const SendCase send_password_starttls = { "starttls", STAMP_AUTH_AUTO };
static const SendCase send_password_tls = { "tls", STAMP_AUTH_LOGIN };
static const SendCase send_xoauth2_tls = { "tls", STAMP_AUTH_XOAUTH2 };
static const SendCase send_oauthbearer_starttls = { "starttls", STAMP_AUTH_OAUTHBEARER };
static const SendCase send_relay_plain = { "none", STAMP_AUTH_NONE };

/* Whether the server got a command line starting with @prefix, in any
 * case (smtplib sends "ehlo"). */
static gboolean
has_command (StampTestServer *server,
             const char      *prefix)
{
  g_autoptr(GPtrArray) commands = stamp_test_server_get_events (server, "command");

  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = json_object_get_string_member (g_ptr_array_index (commands, i), "line");

      if (g_ascii_strncasecmp (line, prefix, strlen (prefix)) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The generated script, run by the system Python, sends through the
 * loopback server: TLS with the test CA as its CA file, the EHLO name,
 * the password from SMTP_PASSWORD (the canary, every character of it) or
 * a token from the token command. */
static void
test_python_send (gconstpointer data)
{
  const SendCase *test = data;
  const char *address = "alice@example.test";
  gboolean oauth = test->mechanism == STAMP_AUTH_XOAUTH2
                   || test->mechanism == STAMP_AUTH_OAUTHBEARER;
  g_autoptr(StampTestServer) server = NULL;
  g_autoptr(StampAccount) account = stamp_account_new (address);
  g_autoptr(StampExportContext) context = NULL;
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *name = g_strdup_printf ("send-%s-%d.py", test->security, test->mechanism);
  JsonObject *message;
  const char *argv[] = { PYTHON, NULL, RCPT, NULL };

  if (oauth)
    server = stamp_test_server_start (test->security, "--user", address, "--token", TOKEN, NULL);
  else if (test->mechanism != STAMP_AUTH_NONE)
    server = stamp_test_server_start (test->security, "--user", address,
                                      "--password", STAMP_TEST_EXPORT_CANARY, NULL);
  else
    server = stamp_test_server_start (test->security, NULL);

  stamp_account_set_display_name (account, "Alice \"Test\" O'Hara");
  stamp_account_set_host (account, "localhost");
  stamp_account_set_port (account, stamp_test_server_get_port (server));
  stamp_account_set_security (account, g_str_equal (test->security, "tls") ? STAMP_SECURITY_TLS
                                        : g_str_equal (test->security, "none") ? STAMP_SECURITY_NONE
                                        : STAMP_SECURITY_STARTTLS);
  stamp_account_set_auth_mechanism (account, test->mechanism);
  if (!g_str_equal (test->security, "none"))
    stamp_account_set_ca_file (account, ca);
  stamp_account_set_ehlo_name (account, "sender.stamp.test");

  context = stamp_export_context_new (account);
  if (oauth)
    {
      g_autofree char *command = write_token_command ();

      stamp_export_context_set_token_command (context, command);
    }
  result = stamp_test_export_render ("python-smtplib", context);
  stamp_test_export_assert_no_canary (result);
  argv[1] = path = stamp_test_export_save (result, name);

  output = run_capture (argv, "SMTP_PASSWORD", STAMP_TEST_EXPORT_CANARY);
  g_assert_cmpstr (output, ==, "Sent.\n");

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, address);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (message, "rcpt_tos"), 0),
                   ==, RCPT);
  g_assert_true (json_object_get_boolean_member (message, "tls")
                 == !g_str_equal (test->security, "none"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "data"),
                            "Subject: Test from Python"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "data"),
                            "From: \"Alice \\\"Test\\\" O'Hara\" <alice@example.test>"));
  g_assert_true (has_command (server, "EHLO sender.stamp.test"));

  auths = stamp_test_server_get_events (server, "auth");
  if (test->mechanism == STAMP_AUTH_NONE)
    g_assert_cmpuint (auths->len, ==, 0);
  else
    {
      JsonObject *auth = g_ptr_array_index (auths, auths->len - 1);

      g_assert_cmpuint (auths->len, ==, 1);
      g_assert_true (json_object_get_boolean_member (auth, "success"));
      if (oauth)
        g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==,
                         test->mechanism == STAMP_AUTH_XOAUTH2 ? "XOAUTH2" : "OAUTHBEARER");
    }
}

/* Without SMTP_PASSWORD the code says what is missing before it connects
 * (the account points at a closed loopback port, in case it did not). */
static void
test_needs_password (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("custom", FALSE);
  StampAccount *account = stamp_export_context_get_account (context);

  write_library_stubs ();
  stamp_account_set_host (account, "localhost");
  stamp_account_set_port (account, 9);

  for (guint t = 1; t < G_N_ELEMENTS (targets); t++)
    {
      g_autoptr(StampExportResult) result = stamp_test_export_render (targets[t].exporter, context);
      g_autofree char *name = g_strdup_printf ("needs-password.%s", targets[t].extension);
      g_autofree char *path = stamp_test_export_save (result, name);
      g_autofree char *output = NULL;
      const char *argv[] = { NULL, "-e", NULL, path, NULL };

      if (g_str_equal (targets[t].extension, "js"))
        {
          argv[0] = NODE;
          argv[2] = "try { require(process.argv[1]); } catch (e) { process.stdout.write(e.message); }";
        }
      else if (g_str_equal (targets[t].extension, "php"))
        {
          argv[0] = PHP;
          argv[1] = "-r";
          argv[2] = "require $argv[1]; try { stamp_mailer(); } "
                    "catch (RuntimeException $e) { echo $e->getMessage(); }";
        }
      else
        {
          argv[0] = PYTHON;
          argv[1] = "-c";
          argv[2] = "import runpy, sys\n"
                    "try:\n"
                    "    runpy.run_path(sys.argv[1])['send_mail']('x@example.test', 's', 'b')\n"
                    "except RuntimeError as error:\n"
                    "    sys.stdout.write(str(error))\n";
        }
      output = run_capture (argv, "SMTP_PASSWORD", NULL);
      g_assert_cmpstr (output, ==, "Set SMTP_PASSWORD to the password of dave@example.org");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/export/code/golden", test_golden);
  g_test_add_func ("/stamp/export/code/oauth-no-secret", test_oauth_no_secret);
  g_test_add_func ("/stamp/export/code/env/refuses-oauth", test_env_refuses_oauth);
  g_test_add_func ("/stamp/export/code/env/notes", test_env_notes);
  g_test_add_func ("/stamp/export/code/secret-round-trip", test_secret_round_trip);
  g_test_add_func ("/stamp/export/code/token-command", test_token_command);
  g_test_add_func ("/stamp/export/code/needs-password", test_needs_password);
  g_test_add_data_func ("/stamp/export/code/python/send/password-starttls",
                        &send_password_starttls, test_python_send);
  g_test_add_data_func ("/stamp/export/code/python/send/password-tls",
                        &send_password_tls, test_python_send);
  g_test_add_data_func ("/stamp/export/code/python/send/xoauth2-tls",
                        &send_xoauth2_tls, test_python_send);
  g_test_add_data_func ("/stamp/export/code/python/send/oauthbearer-starttls",
                        &send_oauthbearer_starttls, test_python_send);
  g_test_add_data_func ("/stamp/export/code/python/send/relay-plain",
                        &send_relay_plain, test_python_send);

  return g_test_run ();
}

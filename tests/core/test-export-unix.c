/* test-export-unix.c
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

/* The exports for Unix senders (msmtp, Postfix with its SASL map and
 * sasl-xoauth2, git send-email), each read back by the real program:
 * msmtp parses and sends through the loopback SMTP server, postconf and
 * postmap read the Postfix files, git reads its configuration. */

#include "config.h"

#include <string.h>
#include <time.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-test-export.h"
#include "stamp-test-server.h"

#define FAKE_TOKEN "stamp-test-access-token-5b1e"

static const char * const cases[] = { "fastmail", "m365", "gmail", "custom", "relay" };

typedef struct
{
  const char *id;
  const char *extension;
  const char *refused;  /* the cases it cannot serve, space-separated */
} Target;

static const Target targets[] = {
  { "msmtp", "msmtprc", "" },
  { "postfix", "cf", "" },
  { "postfix-sasl-passwd", "map", "relay" },
  { "sasl-xoauth2", "json", "fastmail custom relay" },
  { "git-send-email", "gitconfig", "" },
};

/* Runs a program to its end; returns its exit status. */
static int
run (const char * const  *argv,
     const char          *input,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static gboolean
is_refused (const Target *target,
            const char   *case_name)
{
  g_auto(GStrv) refused = g_strsplit (target->refused, " ", -1);

  return g_strv_contains ((const char * const *) refused, case_name);
}

static const char *
address_of (StampExportContext *context)
{
  return stamp_account_get_address (stamp_export_context_get_account (context));
}

static const char *
username_of (StampExportContext *context)
{
  const char *username = stamp_account_get_username (stamp_export_context_get_account (context));

  return username != NULL ? username : address_of (context);
}

/* Every target, every account it serves: the golden file, no secret
 * unless asked for, and then only in a private result. */
static void
test_golden (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (targets); t++)
    for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        StampExporter *exporter = stamp_exporter_lookup (targets[t].id);
        g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], FALSE);
        g_autoptr(StampExportContext) with_secret = stamp_test_export_context (cases[c], TRUE);
        g_autoptr(StampExportResult) result = NULL;
        g_autoptr(StampExportResult) secret_result = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *golden = NULL;

        if (is_refused (&targets[t], cases[c]))
          {
            g_assert_false (stamp_exporter_can_serve (exporter, context, &error));
            g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
            continue;
          }

        result = stamp_test_export_render (targets[t].id, context);
        golden = g_strdup_printf ("%s--%s.%s", targets[t].id, cases[c], targets[t].extension);
        stamp_test_export_check_golden (result, golden);
        stamp_test_export_assert_no_canary (result);

        secret_result = stamp_test_export_render (targets[t].id, with_secret);
        if (stamp_export_context_get_auth (with_secret) == STAMP_EXPORT_AUTH_PASSWORD
            && !g_str_equal (targets[t].id, "postfix"))
          stamp_test_export_assert_canary (secret_result);
        else if (g_str_equal (targets[t].id, "sasl-xoauth2"))
          {
            g_autofree char *secret_golden = g_strdup_printf ("%s--%s-secret.%s", targets[t].id,
                                                              cases[c], targets[t].extension);

            stamp_test_export_assert_canary (secret_result);
            stamp_test_export_check_golden (secret_result, secret_golden);
          }
        else
          stamp_test_export_assert_no_canary (secret_result);

        if (stamp_export_result_get_private (secret_result))
          g_free (stamp_test_export_save (secret_result, golden));  /* checks 0600 */
      }
}

/* A directory on PATH with a stamp-cli that prints a token, so the token
 * command in the exported files runs as written. */
static void
put_fake_stamp_cli_on_path (void)
{
  g_autofree char *bin = g_build_filename (stamp_test_work_dir (), "bin", NULL);
  g_autofree char *script = g_build_filename (bin, "stamp-cli", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (g_file_test (script, G_FILE_TEST_EXISTS))
    return;

  g_assert_cmpint (g_mkdir_with_parents (bin, 0700), ==, 0);
  g_file_set_contents (script,
                       "#!/bin/sh\n"
                       "# Arguments: token ADDRESS\n"
                       "printf '%s\\n' \"$2\" >> \"$(dirname \"$0\")/asked\"\n"
                       "echo " FAKE_TOKEN "\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  path = g_strdup_printf ("%s:%s", bin, g_getenv ("PATH"));
  g_setenv ("PATH", path, TRUE);
}

/* msmtp reads every file as it is written: --pretend parses it, runs the
 * token command and prints the settings without sending. */
static void
test_msmtp_pretend (void)
{
  put_fake_stamp_cli_on_path ();

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (int secret = 0; secret <= 1; secret++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], secret);
        g_autoptr(StampExportResult) result = stamp_test_export_render ("msmtp", context);
        g_autofree char *name = g_strdup_printf ("msmtp-%s-%d", cases[c], secret);
        g_autofree char *path = stamp_test_export_save (result, name);
        const char *argv[] = { "msmtp", "-C", path, "-a", address_of (context), "--pretend", NULL };
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;

        /* Always 0600: msmtp refuses a password file others can read. */
        g_assert_true (stamp_export_result_get_private (result));
        g_assert_cmpint (run (argv, NULL, &out, &err), ==, 0);
        g_assert_nonnull (strstr (out, stamp_account_get_host (
                                         stamp_export_context_get_account (context))));
        if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_NONE)
          g_assert_nonnull (strstr (out, "auth = none"));
        else
          g_assert_nonnull (strstr (out, "password = *"));
      }
}

static StampAccount *
loopback_account (const char         *address,
                  guint16             port,
                  StampAuthMechanism  mechanism)
{
  StampAccount *account = stamp_account_new (address);
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");

  stamp_account_set_host (account, "127.0.0.1");
  stamp_account_set_port (account, port);
  stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
  stamp_account_set_auth_mechanism (account, mechanism);
  stamp_account_set_ca_file (account, ca);
  return account;
}

static JsonObject *
only_event (StampTestServer *server,
            const char      *name)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, name);

  g_assert_cmpuint (events->len, ==, 1);
  return json_object_ref (g_ptr_array_index (events, 0));
}

static void
msmtp_send (StampExportContext *context,
            const char         *file_name)
{
  g_autoptr(StampExportResult) result = stamp_test_export_render ("msmtp", context);
  g_autofree char *path = stamp_test_export_save (result, file_name);
  const char *argv[] = { "msmtp", "-C", path, "-a", address_of (context), "rcpt@example.test",
                         NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = run (argv, "Subject: Stamp export test\n\nHello from msmtp.\n", &out, &err);
  if (status != 0)
    g_error ("msmtp exited %d:\n%s%s", status, out, err);
}

static void
assert_delivered (StampTestServer *server,
                  const char      *sender)
{
  g_autoptr(JsonObject) message = only_event (server, "message");
  JsonArray *rcpt_tos = json_object_get_array_member (message, "rcpt_tos");

  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, sender);
  g_assert_cmpuint (json_array_get_length (rcpt_tos), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (rcpt_tos, 0), ==, "rcpt@example.test");
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_nonnull (strstr (json_object_get_string_member (message, "data"), "Hello from msmtp."));
}

/* A real send with the exported file: STARTTLS against the test CA and
 * the password exactly as the server has it: the canary with its quotes
 * and backslash, and one msmtp would trim or unquote if left bare. */
static void
test_msmtp_send_password (void)
{
  const char * const passwords[] = { STAMP_TEST_EXPORT_CANARY, "\" in quotes, spaced \" " };

  for (gsize i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_autoptr(StampTestServer) server = NULL;
      g_autoptr(StampAccount) account = NULL;
      g_autoptr(StampExportContext) context = NULL;
      g_autoptr(JsonObject) auth = NULL;
      g_autofree char *file_name = g_strdup_printf ("msmtp-send-password-%" G_GSIZE_FORMAT, i);

      server = stamp_test_server_start ("starttls", "--user", "sender@example.test",
                                        "--password", passwords[i], NULL);
      account = loopback_account ("sender@example.test", stamp_test_server_get_port (server),
                                  STAMP_AUTH_PLAIN);
      context = stamp_export_context_new (account);
      stamp_export_context_set_secret (context, passwords[i]);

      msmtp_send (context, file_name);

      /* The server compares the password byte for byte. */
      auth = only_event (server, "auth");
      g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==, "PLAIN");
      g_assert_true (json_object_get_boolean_member (auth, "success"));
      g_assert_cmpstr (json_object_get_string_member (auth, "user"), ==, "sender@example.test");
      assert_delivered (server, "sender@example.test");
    }
}

/* OAuth: msmtp runs the token command for each message and signs in
 * with XOAUTH2. */
static void
test_msmtp_send_oauth (void)
{
  g_autofree char *asked_path = g_build_filename (stamp_test_work_dir (), "bin", "asked", NULL);
  g_autoptr(StampTestServer) server = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampExportContext) context = NULL;
  g_autoptr(JsonObject) auth = NULL;
  g_autofree char *asked = NULL;

  put_fake_stamp_cli_on_path ();
  g_unlink (asked_path);
  server = stamp_test_server_start ("starttls", "--user", "oauth@example.test",
                                    "--token", FAKE_TOKEN, NULL);
  account = loopback_account ("oauth@example.test", stamp_test_server_get_port (server),
                              STAMP_AUTH_XOAUTH2);
  context = stamp_export_context_new (account);

  msmtp_send (context, "msmtp-send-oauth");

  auth = only_event (server, "auth");
  g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==, "XOAUTH2");
  g_assert_true (json_object_get_boolean_member (auth, "success"));
  g_assert_cmpstr (json_object_get_string_member (auth, "user"), ==, "oauth@example.test");
  assert_delivered (server, "oauth@example.test");

  /* The token command was asked for this account's token. */
  g_assert_true (g_file_get_contents (asked_path, &asked, NULL, NULL));
  g_assert_cmpstr (asked, ==, "oauth@example.test\n");
}

/* A password msmtp cannot hold is refused, not written wrong. */
static void
test_msmtp_line_break (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("fastmail", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_export_context_set_secret (context, "two\nlines");
  result = stamp_exporter_render (stamp_exporter_lookup ("msmtp"), context, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
  g_assert_null (result);
}

static char *
postfix_dir (const char *name)
{
  g_autofree char *dir = g_build_filename (stamp_test_work_dir (), name, NULL);
  g_autofree char *master = g_build_filename (dir, "master.cf", NULL);
  g_autoptr(GError) error = NULL;

  /* postconf wants a master.cf beside main.cf; an empty one will do. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (master, "", 0, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&dir);
}

static void
set_old_mtime (const char *path)
{
  struct utimbuf times = { .actime = time (NULL) - 60, .modtime = time (NULL) - 60 };

  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static char *
postconf (const char *dir,
          const char *option,
          const char *parameter)
{
  const char *argv[] = { "/usr/sbin/postconf", "-c", dir, option, parameter, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_cmpint (run (argv, NULL, &out, &err), ==, 0);
  /* Unknown names and bad values are warnings, not failures. */
  if (*err != '\0')
    g_error ("postconf %s: %s", option, err);
  return out;
}

static void
check_sasl_map (const char         *dir,
                StampExportContext *context,
                const char         *relayhost)
{
  g_autoptr(StampExportResult) result = stamp_test_export_render ("postfix-sasl-passwd", context);
  g_autofree char *saved = stamp_test_export_save (result, "sasl_passwd-saved");
  g_autofree char *path = g_build_filename (dir, "sasl_passwd", NULL);
  g_autofree char *map = g_strdup_printf ("hash:%s", path);
  const char *make[] = { "/usr/sbin/postmap", "-c", dir, map, NULL };
  const char *query[] = { "/usr/sbin/postmap", "-c", dir, "-q", relayhost, map, NULL };
  const char *secret = stamp_export_context_get_secret (context);
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (stamp_export_result_get_private (result));
  g_assert_cmpint (g_rename (saved, path), ==, 0);
  stamp_test_export_run_tool (make, NULL);
  g_assert_cmpint (run (query, NULL, &out, &err), ==, 0);

  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH)
    expected = g_strdup_printf ("%s:/etc/tokens/%s\n", username_of (context), address_of (context));
  else if (secret != NULL)
    expected = g_strdup_printf ("%s:%s\n", username_of (context), secret);
  else
    expected = g_strdup_printf ("%s:PASTE-", username_of (context));

  if (g_str_has_suffix (expected, "\n"))
    g_assert_cmpstr (out, ==, expected);
  else
    g_assert_true (g_str_has_prefix (out, expected));
}

/* postconf reads main.cf with no warning for any of our lines, and the
 * SASL map built by postmap answers for exactly the relayhost. */
static void
test_postfix (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], FALSE);
      g_autoptr(StampExportResult) result = stamp_test_export_render ("postfix", context);
      g_autofree char *name = g_strdup_printf ("postfix-%s", cases[c]);
      g_autofree char *dir = postfix_dir (name);
      g_autofree char *main_cf = g_build_filename (dir, "main.cf", NULL);
      g_autofree char *settings = NULL;
      g_autofree char *relayhost = NULL;
      g_autofree char *maps = NULL;
      g_autoptr(GError) error = NULL;
      StampExportAuth auth = stamp_export_context_get_auth (context);

      g_assert_false (stamp_export_result_get_private (result));
      g_file_set_contents (main_cf, stamp_export_result_get_text (result), -1, &error);
      g_assert_no_error (error);
      /* postconf waits for a main.cf changed within the last seconds to
       * settle; this one is complete. */
      set_old_mtime (main_cf);

      settings = postconf (dir, "-n", NULL);
      relayhost = postconf (dir, "-h", "relayhost");
      g_strchomp (relayhost);
      g_assert_true (g_str_has_prefix (relayhost, "["));
      g_assert_nonnull (strstr (settings, "smtp_tls_security_level = secure\n"));
      g_assert_nonnull (strstr (settings, "smtp_tls_secure_cert_match = nexthop\n"));
      g_assert_nonnull (strstr (settings, "smtp_tls_mandatory_protocols = >=TLSv1.2\n"));
      maps = postconf (dir, "-m", NULL);
      g_assert_nonnull (strstr (maps, "hash\n"));

      if (auth == STAMP_EXPORT_AUTH_NONE)
        {
          /* The tenant's MX host, port 25, no sign-in. */
          g_assert_cmpstr (relayhost, ==, "[contoso-com.mail.protection.outlook.com]:25");
          g_assert_null (strstr (settings, "smtp_sasl_auth_enable"));
          continue;
        }

      g_assert_nonnull (strstr (settings, "smtp_sasl_auth_enable = yes\n"));
      g_assert_nonnull (strstr (settings, "smtp_tls_CAfile = "));
      if (auth == STAMP_EXPORT_AUTH_OAUTH)
        g_assert_nonnull (strstr (settings, "smtp_sasl_mechanism_filter = xoauth2\n"));
      else
        g_assert_nonnull (strstr (settings, "smtp_sasl_security_options = noanonymous\n"));
      if (g_str_equal (cases[c], "fastmail"))
        g_assert_nonnull (strstr (settings, "smtp_tls_wrappermode = yes\n"));
      if (g_str_equal (cases[c], "custom"))
        {
          g_assert_nonnull (strstr (settings, "smtp_helo_name = printer.example.org\n"));
          g_assert_nonnull (strstr (settings,
                                    "smtp_tls_CAfile = /etc/ssl/certs/example-org-ca.pem\n"));
        }
      if (g_str_equal (cases[c], "m365"))
        {
          g_assert_nonnull (strstr (settings,
                                    "sender_canonical_maps = static:alice@contoso.com\n"));
          g_assert_nonnull (strstr (maps, "static\n"));
        }

      check_sasl_map (dir, context, relayhost);
      if (auth == STAMP_EXPORT_AUTH_PASSWORD)
        {
          g_autoptr(StampExportContext) with_secret = stamp_test_export_context (cases[c], TRUE);

          check_sasl_map (dir, with_secret, relayhost);
        }
    }
}

/* An account that wants TLS 1.3 gets no less from Postfix either. */
static void
test_postfix_tls_min (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("custom", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  g_autofree char *dir = postfix_dir ("postfix-tls13");
  g_autofree char *main_cf = g_build_filename (dir, "main.cf", NULL);
  g_autofree char *protocols = NULL;
  g_autoptr(GError) error = NULL;

  stamp_account_set_tls_min (stamp_export_context_get_account (context), STAMP_TLS_VERSION_1_3);
  result = stamp_test_export_render ("postfix", context);
  g_file_set_contents (main_cf, stamp_export_result_get_text (result), -1, &error);
  g_assert_no_error (error);
  set_old_mtime (main_cf);

  protocols = postconf (dir, "-h", "smtp_tls_mandatory_protocols");
  g_assert_cmpstr (protocols, ==, ">=TLSv1.3\n");
}

/* A guessed tenant MX host is used, and said to be a guess. */
static void
test_postfix_guessed_mx (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("relay", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  const char * const *notes;
  gboolean noted = FALSE;

  stamp_export_context_set_tenant_mx (context, "contoso-com.mail.protection.outlook.com", TRUE);
  result = stamp_test_export_render ("postfix", context);
  g_assert_nonnull (strstr (stamp_export_result_get_text (result), "# GUESSED"));
  notes = stamp_export_result_get_notes (result);
  for (guint i = 0; notes[i] != NULL; i++)
    noted |= strstr (notes[i], "guessed") != NULL;
  g_assert_true (noted);
}

static JsonObject *
parse_json (StampExportResult *result)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, stamp_export_result_get_text (result), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
has_note (StampExportResult *result,
          const char        *text)
{
  const char * const *notes = stamp_export_result_get_notes (result);

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], text) != NULL)
      return TRUE;

  return FALSE;
}

/* The plugin's settings with the account's own client id and tenant;
 * with the secret, a token file that stands on its own. */
static void
test_sasl_xoauth2 (void)
{
  g_autoptr(StampExportContext) m365 = stamp_test_export_context ("m365", FALSE);
  g_autoptr(StampExportContext) m365_secret = stamp_test_export_context ("m365", TRUE);
  g_autoptr(StampExportContext) gmail = stamp_test_export_context ("gmail", FALSE);
  g_autoptr(StampExportResult) conf = stamp_test_export_render ("sasl-xoauth2", m365);
  g_autoptr(StampExportResult) tokens = stamp_test_export_render ("sasl-xoauth2", m365_secret);
  g_autoptr(StampExportResult) google = stamp_test_export_render ("sasl-xoauth2", gmail);
  g_autoptr(JsonObject) object = parse_json (conf);
  g_autoptr(JsonObject) token_object = parse_json (tokens);
  g_autoptr(JsonObject) google_object = parse_json (google);

  g_assert_cmpstr (json_object_get_string_member (object, "client_id"), ==,
                   "00000000-1111-2222-3333-444444444444");
  g_assert_cmpstr (json_object_get_string_member (object, "client_secret"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "token_endpoint"), ==,
                   "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token");
  g_assert_false (json_object_has_member (object, "refresh_token"));
  g_assert_false (stamp_export_result_get_private (conf));
  g_assert_cmpstr (stamp_export_result_get_file_name (conf), ==, "sasl-xoauth2.conf");
  g_assert_true (has_note (conf, "sasl-xoauth2-tool get-token outlook "
                                 "/etc/tokens/alice@contoso.com "
                                 "--client-id=00000000-1111-2222-3333-444444444444 "
                                 "--tenant=contoso.com"));

  g_assert_cmpstr (json_object_get_string_member (token_object, "refresh_token"), ==,
                   STAMP_TEST_EXPORT_CANARY);
  g_assert_cmpstr (json_object_get_string_member (token_object, "expiry"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (token_object, "client_id"), ==,
                   "00000000-1111-2222-3333-444444444444");
  g_assert_cmpstr (json_object_get_string_member (token_object, "token_endpoint"), ==,
                   json_object_get_string_member (object, "token_endpoint"));
  g_assert_true (stamp_export_result_get_private (tokens));
  g_assert_cmpstr (stamp_export_result_get_file_name (tokens), ==, "alice@contoso.com");
  g_free (stamp_test_export_save (tokens, "alice@contoso.com"));

  /* No client id anywhere (this build has none): said, not invented. */
  g_assert_cmpstr (json_object_get_string_member (google_object, "token_endpoint"), ==,
                   "https://oauth2.googleapis.com/token");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (google_object, "client_id"),
                                   "PASTE-"));
  g_assert_true (has_note (google, "client_id"));
  g_assert_true (has_note (google, "client_secret"));
}

static char *
git_config (const char *file,
            const char *option,
            const char *name)
{
  const char *argv[] = { "git", "config", "-f", file, option, name, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;

  if (name == NULL)
    argv[5] = NULL;
  if (run (argv, NULL, &out, &err) != 0)
    g_error ("git config %s %s: %s", option, name != NULL ? name : "", err);
  return out;
}

/* git reads every setting back as written: the encryption names, the
 * From header with its quotes, the password, the credential helper. */
static void
test_git_send_email (void)
{
  g_setenv ("GIT_CONFIG_NOSYSTEM", "1", TRUE);

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (int secret = 0; secret <= 1; secret++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], secret);
        g_autoptr(StampExportResult) result = stamp_test_export_render ("git-send-email", context);
        g_autofree char *name = g_strdup_printf ("gitconfig-%s-%d", cases[c], secret);
        g_autofree char *path = stamp_test_export_save (result, name);
        g_autofree char *list = git_config (path, "--list", NULL);
        StampExportAuth auth = stamp_export_context_get_auth (context);

        g_assert_nonnull (strstr (list, "sendemail.smtpserver="));
        g_assert_nonnull (strstr (list, "sendemail.smtpserverport="));
        g_assert_nonnull (strstr (list, g_str_equal (cases[c], "fastmail")
                                        ? "sendemail.smtpencryption=ssl\n"
                                        : "sendemail.smtpencryption=tls\n"));

        if (auth == STAMP_EXPORT_AUTH_PASSWORD && secret)
          {
            g_autofree char *pass = git_config (path, "--get", "sendemail.smtppass");

            g_assert_cmpstr (pass, ==, STAMP_TEST_EXPORT_CANARY "\n");
          }
        else
          g_assert_null (strstr (list, "smtppass"));

        if (auth == STAMP_EXPORT_AUTH_NONE)
          g_assert_nonnull (strstr (list, "sendemail.smtpauth=none\n"));

        if (auth == STAMP_EXPORT_AUTH_OAUTH)
          {
            g_autofree char *key = g_strdup_printf ("credential.smtp://%s:587.helper",
                                                    g_str_equal (cases[c], "m365")
                                                    ? "smtp.office365.com" : "smtp.gmail.com");
            g_autofree char *helpers = git_config (path, "--get-all", key);
            g_autofree char *expected = g_strdup_printf ("\n!stamp-cli token --git-credential %s\n",
                                                         address_of (context));

            /* The empty value first: earlier helpers are dropped. */
            g_assert_cmpstr (helpers, ==, expected);
            g_assert_nonnull (strstr (list, "sendemail.smtpauth=XOAUTH2\n"));
          }

        if (g_str_equal (cases[c], "custom"))
          {
            g_autofree char *from = git_config (path, "--get", "sendemail.from");

            g_assert_cmpstr (from, ==, "\"Dave \\\"The Printer\\\" O'Neil\" <dave@example.org>\n");
            g_assert_nonnull (strstr (list, "sendemail.smtpuser=dave\n"));
            g_assert_nonnull (strstr (list, "sendemail.smtpdomain=printer.example.org\n"));
            g_assert_nonnull (strstr (list, "sendemail.smtpsslcertpath="
                                            "/etc/ssl/certs/example-org-ca.pem\n"));
          }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/export/unix/golden", test_golden);
  g_test_add_func ("/stamp/export/unix/msmtp/pretend", test_msmtp_pretend);
  g_test_add_func ("/stamp/export/unix/msmtp/send-password", test_msmtp_send_password);
  g_test_add_func ("/stamp/export/unix/msmtp/send-oauth", test_msmtp_send_oauth);
  g_test_add_func ("/stamp/export/unix/msmtp/line-break", test_msmtp_line_break);
  g_test_add_func ("/stamp/export/unix/postfix", test_postfix);
  g_test_add_func ("/stamp/export/unix/postfix/guessed-mx", test_postfix_guessed_mx);
  g_test_add_func ("/stamp/export/unix/postfix/tls-min", test_postfix_tls_min);
  g_test_add_func ("/stamp/export/unix/sasl-xoauth2", test_sasl_xoauth2);
  g_test_add_func ("/stamp/export/unix/git-send-email", test_git_send_email);

  return g_test_run ();
}

/* test-export-wordpress.c
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

#define G_LOG_DOMAIN "test-export-wordpress"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stamp-account.h"
#include "stamp-error.h"
#include "stamp-test-export.h"

/* The four WordPress plugin exporters, each checked with PHP itself:
 * every file passes php -l, its constants are read back by requiring it,
 * and Post SMTP's import text is decoded the way the plugin decodes it. */

#define PHP "/usr/bin/php"
#define SITE "https://www.contoso.com/"
#define IMPORT_MARK "---- Post SMTP import text"

typedef struct
{
  const char *id;
  const char *prefix;         /* of the WP Mail SMTP constant set, if it uses it */
  const char *user_constant;  /* where the user name goes */
  const char *pass_constant;  /* where the password goes */
} Plugin;

static const Plugin plugins[] = {
  { "wp-mail-smtp", "WPMS", "WPMS_SMTP_USER", "WPMS_SMTP_PASS" },
  { "easy-wp-smtp", "EASY_WP_SMTP", "EASY_WP_SMTP_SMTP_USER", "EASY_WP_SMTP_SMTP_PASS" },
  { "fluent-smtp", NULL, "FLUENTMAIL_SMTP_USERNAME", "FLUENTMAIL_SMTP_PASSWORD" },
  { "post-smtp", NULL, "POST_SMTP_AUTH_USERNAME", "POST_SMTP_AUTH_PASSWORD" },
};

/* "m365-site" is the m365 account with the site's address given. */
static const char *const case_names[] = {
  "fastmail", "m365", "m365-site", "gmail", "custom", "relay",
};

typedef struct
{
  const Plugin *plugin;
  const char   *case_name;
} Case;

static Case cases[G_N_ELEMENTS (plugins) * G_N_ELEMENTS (case_names)];

static StampExportContext *
make_context (const char *case_name,
              gboolean    with_secret)
{
  gboolean site = g_str_equal (case_name, "m365-site");
  StampExportContext *context = stamp_test_export_context (site ? "m365" : case_name,
                                                           with_secret);

  if (site)
    stamp_export_context_set_site_url (context, SITE);
  return context;
}

static gboolean
signs_in_with_password (const char *case_name)
{
  return g_str_equal (case_name, "fastmail") || g_str_equal (case_name, "custom");
}

/* Returns: (transfer full) (nullable): the line of Post SMTP import text. */
static char *
find_import_text (StampExportResult *result)
{
  const char *text = stamp_export_result_get_text (result);
  const char *mark = strstr (text, IMPORT_MARK);
  const char *start;

  if (mark == NULL)
    return NULL;
  start = strchr (mark, '\n');
  g_assert_nonnull (start);
  start++;
  return g_strndup (start, strcspn (start, "\n"));
}

/* The golden file holds everything but the import text: zlib builds
 * differ in what they compress to, so that line is checked by decoding. */
static void
check_golden (StampExportResult *result,
              const char        *golden_name)
{
  g_autofree char *import = find_import_text (result);
  g_autoptr(StampExportResult) masked = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  if (import == NULL)
    {
      stamp_test_export_check_golden (result, golden_name);
      return;
    }

  parts = g_strsplit (stamp_export_result_get_text (result), import, 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  masked = stamp_export_result_new (stamp_export_result_get_file_name (result),
                                    stamp_export_result_get_mime_type (result));
  joined = g_strjoin ("(import text, checked by decoding)", parts[0], parts[1], NULL);
  stamp_export_result_take_text (masked, g_string_new (joined));
  stamp_test_export_check_golden (masked, golden_name);
}

/* Returns: (transfer full): @result's text with comment line breaks and
 * runs of spaces made single spaces, to look for wrapped sentences in. */
static char *
flat_text (StampExportResult *result)
{
  const char *text = stamp_export_result_get_text (result);
  GString *flat = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == ' ')
        {
          p += strspn (p, " \n");
          if (*p == '*' && p[1] != '/')
            p += 1 + strspn (p + 1, " ");
          p--;
          g_string_append_c (flat, ' ');
          continue;
        }
      g_string_append_c (flat, *p);
    }
  return g_string_free (flat, FALSE);
}

/* Runs PHP and returns what it printed; fails the test unless it exits 0. */
static char *
run_php (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("php failed:\n%s%s", out, err);
  return out;
}

/* Saves @result, runs php -l on it, and returns the path. */
static char *
save_and_lint (StampExportResult *result,
               const char        *file_name)
{
  g_autofree char *path = stamp_test_export_save (result, file_name);
  const char *argv[] = { PHP, "-l", path, NULL };

  stamp_test_export_run_tool (argv, NULL);
  return g_steal_pointer (&path);
}

/* Returns: (transfer full): the constants the file defines, as PHP sees
 * them once it is required, with their PHP types. */
static JsonNode *
php_constants (const char *path)
{
  const char *argv[] = {
    PHP, "-r",
    "require $argv[1]; echo json_encode((object) (get_defined_constants(true)['user'] ?? []));",
    "--", path, NULL
  };
  g_autofree char *out = run_php (argv);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (out, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

static void
assert_php_string (JsonObject *constants,
                   const char *name,
                   const char *expected)
{
  JsonNode *node = json_object_get_member (constants, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_php_bool (JsonObject *constants,
                 const char *name,
                 gboolean    expected)
{
  JsonNode *node = json_object_get_member (constants, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);
  g_assert_cmpint (json_node_get_boolean (node), ==, expected);
}

static void
assert_php_int (JsonObject *constants,
                const char *name,
                gint64      expected)
{
  JsonNode *node = json_object_get_member (constants, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

/* Base64, then zlib, then JSON: how Post SMTP's import() reads it. */
static JsonNode *
decode_import (const char *text)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autoptr(GInputStream) base = NULL;
  g_autoptr(GInputStream) zlib = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guchar *raw;
  gsize size;

  raw = g_base64_decode (text, &size);
  g_assert_cmpuint (size, >, 2);
  g_assert_cmpint (raw[0], ==, 0x78);  /* a zlib header, not gzip's 1f 8b */
  base = g_memory_input_stream_new_from_data (raw, size, g_free);
  zlib = g_converter_input_stream_new (base, G_CONVERTER (decompressor));
  json_parser_load_from_stream (parser, zlib, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_copy (json_parser_get_root (parser));
}

/* Every output: the golden file, php -l, no secret, not private. */
static void
test_golden (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(StampExportContext) context = make_context (c->case_name, FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render (c->plugin->id, context);
  g_autofree char *name = g_strdup_printf ("%s--%s.php", c->plugin->id, c->case_name);

  g_assert_cmpstr (stamp_export_result_get_mime_type (result), ==, "application/x-php");
  g_assert_true (g_str_has_prefix (stamp_export_result_get_text (result), "<?php\n"));
  stamp_test_export_assert_no_canary (result);
  g_assert_false (stamp_export_result_get_private (result));
  check_golden (result, name);
  g_free (save_and_lint (result, name));
}

/* With the secret: it lints, reads back exactly, and makes the file
 * private; an OAuth account's stored sign-in never appears at all. */
static void
test_secret (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(StampExportContext) context = make_context (c->case_name, TRUE);
  g_autoptr(StampExportResult) result = stamp_test_export_render (c->plugin->id, context);
  g_autofree char *name = g_strdup_printf ("secret-%s--%s.php", c->plugin->id, c->case_name);
  g_autofree char *path = save_and_lint (result, name);
  g_autofree char *import = find_import_text (result);
  g_autoptr(JsonNode) constants = php_constants (path);
  JsonObject *object = json_node_get_object (constants);

  if (signs_in_with_password (c->case_name))
    {
      stamp_test_export_assert_canary (result);
      assert_php_string (object, c->plugin->pass_constant, STAMP_TEST_EXPORT_CANARY);
    }
  else
    {
      stamp_test_export_assert_no_canary (result);
      g_assert_false (stamp_export_result_get_private (result));
      g_assert_false (json_object_has_member (object, c->plugin->pass_constant));
    }

  /* Post SMTP's import text is compressed: look inside it as well. */
  if (import != NULL)
    {
      g_autoptr(JsonNode) options = decode_import (import);
      g_autofree char *json = json_to_string (options, FALSE);

      g_assert_null (strstr (json, "CANARY"));
    }
}

/* The values the WP Mail SMTP and Easy WP SMTP constants must have, with
 * PHP's types: WPMS_ON a bare true, the port an int, 'tls' for STARTTLS. */
static void
test_constants (gconstpointer data)
{
  const Case *c = data;
  const char *prefix = c->plugin->prefix;
  g_autoptr(StampExportContext) context = make_context (c->case_name, FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render (c->plugin->id, context);
  g_autofree char *name = g_strdup_printf ("constants-%s--%s.php", c->plugin->id, c->case_name);
  g_autofree char *path = save_and_lint (result, name);
  g_autoptr(JsonNode) constants = php_constants (path);
  JsonObject *object = json_node_get_object (constants);
  g_autofree char *on = g_strconcat (prefix, "_ON", NULL);
  g_autofree char *host = g_strconcat (prefix, "_SMTP_HOST", NULL);
  g_autofree char *port = g_strconcat (prefix, "_SMTP_PORT", NULL);
  g_autofree char *ssl = g_strconcat (prefix, "_SSL", NULL);
  g_autofree char *auth = g_strconcat (prefix, "_SMTP_AUTH", NULL);
  g_autofree char *from = g_strconcat (prefix, "_MAIL_FROM", NULL);
  g_autofree char *from_name = g_strconcat (prefix, "_MAIL_FROM_NAME", NULL);
  g_autofree char *outlook_id = g_strconcat (prefix, "_OUTLOOK_CLIENT_ID", NULL);
  g_autofree char *mailer = g_strconcat (prefix, "_MAILER", NULL);

  assert_php_bool (object, on, TRUE);
  if (g_str_equal (c->case_name, "fastmail"))
    {
      assert_php_string (object, mailer, "smtp");
      assert_php_string (object, host, "smtp.fastmail.com");
      assert_php_int (object, port, 465);
      assert_php_string (object, ssl, "ssl");
      assert_php_bool (object, auth, TRUE);
      assert_php_string (object, c->plugin->user_constant, "bob@fastmail.com");
      assert_php_string (object, c->plugin->pass_constant, "PASTE-APP-PASSWORD-HERE");
      assert_php_string (object, from, "bob@fastmail.com");
    }
  else if (g_str_equal (c->case_name, "custom"))
    {
      assert_php_string (object, host, "smtp.example.org");
      assert_php_int (object, port, 587);
      assert_php_string (object, ssl, "tls");
      assert_php_string (object, c->plugin->user_constant, "dave");
      assert_php_string (object, from_name, "Dave \"The Printer\" O'Neil");
    }
  else if (g_str_equal (c->case_name, "relay"))
    {
      assert_php_string (object, mailer, "smtp");
      assert_php_int (object, port, 25);
      assert_php_string (object, ssl, "tls");
      assert_php_bool (object, auth, FALSE);
      g_assert_false (json_object_has_member (object, c->plugin->user_constant));
      g_assert_false (json_object_has_member (object, c->plugin->pass_constant));
    }
  else if (g_str_has_prefix (c->case_name, "m365"))
    {
      assert_php_string (object, mailer, "outlook");
      assert_php_string (object, outlook_id, "PASTE-APPLICATION-CLIENT-ID-HERE");
      assert_php_string (object, from, "alice@contoso.com");
      g_assert_false (json_object_has_member (object, host));
    }
  else if (g_str_equal (c->case_name, "gmail"))
    {
      assert_php_string (object, mailer, "gmail");
      g_assert_false (json_object_has_member (object, host));
    }
}

/* Microsoft 365 with OAuth only: the Graph mailer with an app
 * registration of one's own, never an SMTP setup that Microsoft refuses. */
static void
test_microsoft365_oauth (gconstpointer data)
{
  const Plugin *plugin = data;
  g_autoptr(StampExportContext) context = make_context ("m365-site", FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render (plugin->id, context);
  const char *raw = stamp_export_result_get_text (result);
  g_autofree char *text = flat_text (result);
  const char * const *notes = stamp_export_result_get_notes (result);
  g_autofree char *all_notes = g_strjoinv ("\n", (char **) notes);

  g_assert_nonnull (strstr (text, "Microsoft Graph API"));
  g_assert_nonnull (strstr (text, "(Mail.Send)"));
  g_assert_nonnull (strstr (text, "app registration of your own in Microsoft Entra"));
  g_assert_nonnull (strstr (text, "Stamp's client ID is for Stamp alone"));
  g_assert_nonnull (strstr (text, "platform \"Web\""));
  g_assert_nonnull (strstr (text, "New client secret"));
  g_assert_nonnull (strstr (text, "site must use https"));
  g_assert_nonnull (strstr (all_notes, "Microsoft Graph"));

  /* Nothing of the SMTP sign-in that fails with 5.7.139. */
  g_assert_null (strstr (text, "smtp.office365.com"));
  g_assert_null (strstr (text, "'smtp'"));
  g_assert_null (strstr (text, "SMTP_HOST"));
  g_assert_null (strstr (text, "SMTP_PASS"));
  g_assert_null (strstr (text, "SMTP server"));
  g_assert_null (strstr (text, IMPORT_MARK));
  g_assert_null (strstr (text, "00000000-1111-2222-3333-444444444444"));

  if (g_str_equal (plugin->id, "wp-mail-smtp"))
    {
      g_assert_nonnull (strstr (text, "needs WP Mail SMTP Pro"));
      g_assert_nonnull (strstr (all_notes, "WP Mail SMTP Pro"));
      g_assert_nonnull (strstr (text, "Redirect URI: platform \"Web\", https://www.contoso.com/"
                                      "wp-admin/admin.php?page=wp-mail-smtp&tab=auth "));
      g_assert_nonnull (strstr (raw, " https://www.contoso.com/wp-admin/admin.php?"
                                     "page=wp-mail-smtp&tab=auth\n"));
      g_assert_nonnull (strstr (text, "copy the read-only value the plugin shows; this is what "
                                      "it normally is"));
    }
  else if (g_str_equal (plugin->id, "easy-wp-smtp"))
    g_assert_nonnull (strstr (text, "needs Easy WP SMTP Pro"));
  else if (g_str_equal (plugin->id, "fluent-smtp"))
    {
      g_assert_nonnull (strstr (text, "part of the free plugin"));
      g_assert_nonnull (strstr (raw, " https://www.contoso.com/wp-json/fluent-smtp/"
                                     "outlook_callback\n"));
      g_assert_nonnull (strstr (text, "Directory (tenant) ID contoso.com"));
      g_assert_null (strstr (text, "FLUENTMAIL_SMTP"));
    }
  else if (g_str_equal (plugin->id, "post-smtp"))
    {
      g_assert_nonnull (strstr (text, "paid \"Microsoft 365\" extension (Post SMTP Pro)"));
      g_assert_nonnull (strstr (all_notes, "FluentSMTP"));
    }
}

/* A site that is not https cannot get a Microsoft redirect URI. */
static void
test_microsoft365_http_site (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  g_autofree char *text = NULL;
  const char * const *notes;
  gboolean found = FALSE;

  stamp_export_context_set_site_url (context, "http://intranet.contoso.com");
  result = stamp_test_export_render ("fluent-smtp", context);
  text = flat_text (result);
  g_assert_nonnull (strstr (text, "http://intranet.contoso.com is not https"));
  notes = stamp_export_result_get_notes (result);
  for (guint i = 0; notes[i] != NULL; i++)
    found |= strstr (notes[i], "https") != NULL;
  g_assert_true (found);
}

/* Post SMTP's import text, decoded in C and by PHP as the plugin does. */
static void
test_post_smtp_import (gconstpointer data)
{
  const char *case_name = data;
  g_autoptr(StampExportContext) context = make_context (case_name, TRUE);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("post-smtp", context);
  g_autofree char *import = find_import_text (result);
  g_autoptr(JsonNode) options = NULL;
  JsonObject *object;
  g_autofree char *php_out = NULL;
  const char *argv[] = {
    PHP, "-r", "var_export(json_decode(gzuncompress(base64_decode($argv[1])), true));",
    "--", NULL, NULL
  };

  g_assert_nonnull (import);
  options = decode_import (import);
  object = json_node_get_object (options);

  /* No password, in any key: an imported one would be stored mangled. */
  for (GList *l = json_object_get_members (object); l != NULL; l = g_list_delete_link (l, l))
    g_assert_null (strstr (l->data, "password"));

  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "version"), "3."));
  g_assert_cmpint (json_object_get_int_member (object, "connection_timeout"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (object, "read_timeout"), ==, 60);

  if (g_str_equal (case_name, "fastmail"))
    {
      g_assert_cmpstr (json_object_get_string_member (object, "transport_type"), ==, "smtp");
      g_assert_cmpstr (json_object_get_string_member (object, "hostname"), ==,
                       "smtp.fastmail.com");
      g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 465);
      g_assert_cmpstr (json_object_get_string_member (object, "enc_type"), ==, "ssl");
      g_assert_cmpstr (json_object_get_string_member (object, "auth_type"), ==, "plain");
      g_assert_cmpstr (json_object_get_string_member (object, "basic_auth_username"), ==,
                       "bob@fastmail.com");
      g_assert_cmpstr (json_object_get_string_member (object, "sender_email"), ==,
                       "bob@fastmail.com");
      g_assert_cmpstr (json_object_get_string_member (object, "envelope_sender"), ==,
                       "bob@fastmail.com");
      g_assert_cmpstr (json_object_get_string_member (object, "sender_name"), ==, "Bob Example");
    }
  else if (g_str_equal (case_name, "custom"))
    {
      g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 587);
      g_assert_cmpstr (json_object_get_string_member (object, "enc_type"), ==, "tls");
      g_assert_cmpstr (json_object_get_string_member (object, "auth_type"), ==, "login");
      g_assert_cmpstr (json_object_get_string_member (object, "basic_auth_username"), ==, "dave");
      g_assert_cmpstr (json_object_get_string_member (object, "sender_name"), ==,
                       "Dave \"The Printer\" O'Neil");
    }
  else if (g_str_equal (case_name, "relay"))
    {
      g_assert_cmpstr (json_object_get_string_member (object, "auth_type"), ==, "none");
      g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 25);
      g_assert_false (json_object_has_member (object, "basic_auth_username"));
    }
  else if (g_str_equal (case_name, "gmail"))
    {
      g_assert_cmpstr (json_object_get_string_member (object, "transport_type"), ==, "gmail_api");
      g_assert_cmpstr (json_object_get_string_member (object, "auth_type"), ==, "oauth2");
      g_assert_false (json_object_has_member (object, "hostname"));
    }

  /* What the plugin's import() runs. */
  argv[4] = import;
  php_out = run_php (argv);
  g_assert_nonnull (strstr (php_out, "'sender_email' => '"));
  if (!g_str_equal (case_name, "gmail"))
    g_assert_nonnull (strstr (php_out, "'hostname' => '"));
  if (g_str_equal (case_name, "fastmail"))
    g_assert_nonnull (strstr (php_out, "'hostname' => 'smtp.fastmail.com'"));
}

/* Account values land in comments and PHP strings: neither may end
 * early, whatever the display name holds. */
static void
test_hostile_name (gconstpointer data)
{
  const Plugin *plugin = data;
  const char *name = "Eve */ echo 'x'; ?> <?php // \\' \" \n end";
  g_autoptr(StampExportContext) context = stamp_test_export_context ("custom", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  g_autofree char *file_name = g_strdup_printf ("hostile-%s.php", plugin->id);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) constants = NULL;
  const char *argv[] = { PHP, NULL, NULL };
  g_autofree char *out = NULL;

  stamp_account_set_display_name (stamp_export_context_get_account (context), name);
  result = stamp_test_export_render (plugin->id, context);
  path = save_and_lint (result, file_name);

  /* Requiring it prints nothing: no comment was cut short. */
  argv[1] = path;
  out = run_php (argv);
  g_assert_cmpstr (out, ==, "");

  constants = php_constants (path);
  if (plugin->prefix != NULL)
    {
      g_autofree char *from_name = g_strconcat (plugin->prefix, "_MAIL_FROM_NAME", NULL);

      assert_php_string (json_node_get_object (constants), from_name, name);
    }
}

/* What the plugins' API mailers cannot reach is refused up front, with a
 * way forward. */
static void
test_refused (gconstpointer data)
{
  const Plugin *plugin = data;
  StampExporter *exporter = stamp_exporter_lookup (plugin->id);
  /* NULL: a server Stamp has no entry for. */
  const char *providers[] = { "microsoft365-usgov", "microsoft365-china", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_autoptr(StampAccount) account = stamp_account_new ("user@agency.example");
      g_autoptr(StampExportContext) context = NULL;
      g_autoptr(GError) error = NULL;

      stamp_account_set_provider_id (account, providers[i]);
      stamp_account_set_host (account, "smtp.example.net");
      stamp_account_set_port (account, 587);
      stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
      context = stamp_export_context_new (account);

      g_assert_false (stamp_exporter_can_serve (exporter, context, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, stamp_exporter_get_title (exporter)));
      if (providers[i] != NULL)
        g_assert_nonnull (strstr (error->message, "worldwide cloud"));
    }
}

static void
test_listed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (plugins); i++)
    {
      StampExporter *exporter = stamp_exporter_lookup (plugins[i].id);

      g_assert_nonnull (exporter);
      g_assert_cmpint (stamp_exporter_get_category (exporter), ==,
                       STAMP_EXPORT_CATEGORY_WORDPRESS);
      g_assert_cmpint (stamp_exporter_get_auth (exporter), ==, STAMP_EXPORT_AUTH_ANY);
      g_assert_true (stamp_exporter_get_uses_secret (exporter));
      g_assert_false (stamp_exporter_get_is_binary (exporter));
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char *const import_cases[] = { "fastmail", "custom", "relay", "gmail" };
  guint n = 0;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/export/wordpress/listed", test_listed);
  for (guint p = 0; p < G_N_ELEMENTS (plugins); p++)
    {
      g_autofree char *m365 = g_strdup_printf ("/stamp/export/wordpress/%s/microsoft365-oauth",
                                               plugins[p].id);
      g_autofree char *hostile = g_strdup_printf ("/stamp/export/wordpress/%s/hostile-name",
                                                  plugins[p].id);
      g_autofree char *refused = g_strdup_printf ("/stamp/export/wordpress/%s/refused",
                                                  plugins[p].id);

      for (guint c = 0; c < G_N_ELEMENTS (case_names); c++, n++)
        {
          g_autofree char *golden = NULL;
          g_autofree char *secret = NULL;

          cases[n].plugin = &plugins[p];
          cases[n].case_name = case_names[c];
          golden = g_strdup_printf ("/stamp/export/wordpress/%s/golden/%s",
                                    plugins[p].id, case_names[c]);
          secret = g_strdup_printf ("/stamp/export/wordpress/%s/secret/%s",
                                    plugins[p].id, case_names[c]);
          g_test_add_data_func (golden, &cases[n], test_golden);
          g_test_add_data_func (secret, &cases[n], test_secret);
          if (plugins[p].prefix != NULL)
            {
              g_autofree char *constants = g_strdup_printf ("/stamp/export/wordpress/%s/"
                                                            "constants/%s", plugins[p].id,
                                                            case_names[c]);

              g_test_add_data_func (constants, &cases[n], test_constants);
            }
        }
      g_test_add_data_func (m365, &plugins[p], test_microsoft365_oauth);
      g_test_add_data_func (hostile, &plugins[p], test_hostile_name);
      g_test_add_data_func (refused, &plugins[p], test_refused);
    }
  g_test_add_func ("/stamp/export/wordpress/microsoft365-http-site", test_microsoft365_http_site);
  for (guint i = 0; i < G_N_ELEMENTS (import_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/export/wordpress/post-smtp/import/%s",
                                               import_cases[i]);

      g_test_add_data_func (path, import_cases[i], test_post_smtp_import);
    }

  return g_test_run ();
}

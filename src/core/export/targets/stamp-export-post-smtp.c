/* stamp-export-post-smtp.c
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

#define G_LOG_DOMAIN "stamp-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-export-wordpress-private.h"

/* Post SMTP: text for its Import box (Post SMTP > Import/Export/Reset
 * Plugin), which is base64 (gzcompress (json_encode (options), 9)), and
 * the password as wp-config.php constants. Facts from wpexpertsio/Post-SMTP
 * e326e19: Postman/PostmanOptions.php (export, import, the constants).
 *
 * The password stays out of the import text: Post SMTP keeps it base64
 * encoded in the database, but export() writes it decoded and import()
 * stores what it gets, so an imported password comes out mangled.
 * POST_SMTP_AUTH_PASSWORD overrides it and is read as it is.
 *
 * One PHP file holds both: the import text sits on a line of its own in
 * the header comment (base64 has no "*" to end it), so the file still
 * passes php -l and the constants are ready to paste. */

/* POST_SMTP_VER at e326e19. Import sets Post SMTP's stored version from
 * this, and Post SMTP upgrades its settings when that differs from its
 * own, as after any update. */
#define POST_SMTP_VERSION "3.3.0"

#define IMPORT_BEGIN "---- Post SMTP import text: copy the next line only ----"
#define IMPORT_END   "---- end of the import text ----"

static const char *
auth_type (StampExportContext *context)
{
  switch (stamp_account_get_auth_mechanism (stamp_export_context_get_account (context)))
    {
    case STAMP_AUTH_NONE:
      return "none";
    case STAMP_AUTH_LOGIN:
      return "login";
    case STAMP_AUTH_PLAIN:
    case STAMP_AUTH_AUTO:
    default:
      return "plain";
    }
}

static const char *
enc_type (StampAccount *account)
{
  switch (stamp_account_get_security (account))
    {
    case STAMP_SECURITY_TLS:
      return "ssl";
    case STAMP_SECURITY_NONE:
      return "none";
    case STAMP_SECURITY_STARTTLS:
    default:
      return "tls";
    }
}

/* The options Post SMTP's own export would write, less the password. */
static JsonNode *
options_json (StampExportContext *context,
              StampExportWpMailer mailer)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_export_from_address (context);
  const char *name = _stamp_export_wp_display_name (context);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (mailer == STAMP_EXPORT_WP_GOOGLE)
    {
      /* The OAuth client is the person's own, entered after the import. */
      json_builder_set_member_name (builder, "transport_type");
      json_builder_add_string_value (builder, "gmail_api");
      json_builder_set_member_name (builder, "auth_type");
      json_builder_add_string_value (builder, "oauth2");
    }
  else
    {
      json_builder_set_member_name (builder, "transport_type");
      json_builder_add_string_value (builder, "smtp");
      json_builder_set_member_name (builder, "hostname");
      json_builder_add_string_value (builder, stamp_account_get_host (account));
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, stamp_account_get_effective_port (account));
      json_builder_set_member_name (builder, "enc_type");
      json_builder_add_string_value (builder, enc_type (account));
      json_builder_set_member_name (builder, "auth_type");
      json_builder_add_string_value (builder, auth_type (context));
      if (stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE)
        {
          json_builder_set_member_name (builder, "basic_auth_username");
          json_builder_add_string_value (builder, stamp_export_username (context));
        }
    }
  json_builder_set_member_name (builder, "sender_email");
  json_builder_add_string_value (builder, address);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "sender_name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "envelope_sender");
  json_builder_add_string_value (builder, address);
  /* "Prevent plugins and themes from changing this": the server sends
   * only as this address. 1 is what Post SMTP's wizard stores. */
  json_builder_set_member_name (builder, "prevent_sender_email_override");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "connection_timeout");
  json_builder_add_int_value (builder, 10);
  json_builder_set_member_name (builder, "read_timeout");
  json_builder_add_int_value (builder, 60);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, POST_SMTP_VERSION);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* PHP's gzcompress (…, 9) is a zlib (RFC 1950) stream, not gzip. */
static char *
import_text (JsonNode  *options,
             GError   **error)
{
  g_autofree char *json = json_to_string (options, FALSE);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zlib = NULL;
  g_autoptr(GBytes) bytes = NULL;

  zlib = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  if (!g_output_stream_write_all (zlib, json, strlen (json), NULL, NULL, error)
      || !g_output_stream_close (zlib, NULL, error))
    return NULL;

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
  return g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
import_block (GString    *out,
              const char *text)
{
  _stamp_export_wp_comment (out, IMPORT_BEGIN);
  g_string_append_printf (out, "%s\n", text);
  _stamp_export_wp_comment (out, IMPORT_END);
}

#define IMPORT_STEP "Post SMTP > Import/Export/Reset Plugin: paste the import text (the line " \
                    "between the markers below) into Import, and click Import. This replaces " \
                    "all of Post SMTP's settings"

static void
test_step (GString *out,
           int      step)
{
  _stamp_export_wp_comment (out, "%d. Send a test email: Post SMTP > Send a Test Email.", step);
}

static gboolean
render_smtp (GString            *out,
             StampExportContext *context,
             StampExportResult  *result,
             GError            **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  gboolean signs_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
  g_autoptr(JsonNode) options = options_json (context, STAMP_EXPORT_WP_SMTP);
  g_autofree char *text = import_text (options, error);

  if (text == NULL)
    return FALSE;

  _stamp_export_wp_comment (out, "1. " IMPORT_STEP ".");
  if (signs_in)
    {
      _stamp_export_wp_comment (out, "2. Paste the define() lines into wp-config.php, above the "
                                     "line \"That's all, stop editing!\". They hold the "
                                     "sign-in, which the import text leaves out: Post SMTP "
                                     "would store an imported password wrongly.");
      test_step (out, 3);
    }
  else
    test_step (out, 2);
  _stamp_export_wp_blank (out);
  _stamp_export_wp_comment (out, "The import text sets SMTP to %s port %u, encryption %s, "
                                 "authentication %s, and the From address %s. It was made for "
                                 "Post SMTP %s. Encryption ssl means TLS from the first byte "
                                 "(port 465), tls means STARTTLS (port 587).",
                            stamp_account_get_host (account),
                            stamp_account_get_effective_port (account), enc_type (account),
                            auth_type (context), stamp_export_from_address (context),
                            POST_SMTP_VERSION);
  _stamp_export_wp_smtp_cautions (out, context, result);
  _stamp_export_wp_blank (out);
  import_block (out, text);
  if (stamp_export_context_get_secret (context) != NULL)
    {
      _stamp_export_wp_blank (out);
      _stamp_export_wp_comment (out, "This file holds the password: share it with no one.");
    }
  _stamp_export_wp_end_comment (out);

  if (signs_in)
    {
      _stamp_export_wp_define_string (out, "POST_SMTP_AUTH_USERNAME",
                                      stamp_export_username (context), NULL);
      _stamp_export_wp_secret_comment (out, context, "POST_SMTP_AUTH_PASSWORD");
      _stamp_export_wp_define_string (out, "POST_SMTP_AUTH_PASSWORD",
                                      stamp_export_secret_or_placeholder (context, result), NULL);
    }
  stamp_export_result_add_note (result, _("Importing replaces all of Post SMTP’s settings"));
  return TRUE;
}

static gboolean
render_google (GString            *out,
               StampExportContext *context,
               StampExportResult  *result,
               GError            **error)
{
  g_autoptr(JsonNode) options = options_json (context, STAMP_EXPORT_WP_GOOGLE);
  g_autofree char *text = import_text (options, error);
  /* PostmanConfigTextHelper.php: the Google scribe's callback URL. */
  g_autofree char *redirect = _stamp_export_wp_site_url (context,
                                                         "/wp-admin/options-general.php"
                                                         "?page=postman");

  if (text == NULL)
    return FALSE;

  _stamp_export_wp_google_steps (out, context, result, "Post SMTP", NULL, redirect,
                                 "(Post SMTP shows it too; if the two differ, use its.)");
  _stamp_export_wp_comment (out, "4. " IMPORT_STEP ", choosing its Gmail API mailer.");
  _stamp_export_wp_comment (out, "5. Post SMTP > Settings: enter the Client ID and the Client "
                                 "Secret, save, and use the link to grant permission with "
                                 "Google, signed in as %s.", stamp_export_from_address (context));
  test_step (out, 6);
  _stamp_export_wp_blank (out);
  import_block (out, text);
  _stamp_export_wp_end_comment (out);

  if (stamp_export_context_get_site_url (context) == NULL)
    stamp_export_result_add_note (result, _("The redirect URI in the file has a stand-in for "
                                            "the site’s address: give the address, or copy the "
                                            "URI the plugin shows"));
  stamp_export_result_add_note (result, _("Importing replaces all of Post SMTP’s settings"));
  return TRUE;
}

/* Post SMTP's Microsoft 365 mailer is a paid extension that Stamp knows
 * no settings for: a sheet of steps, and no import text that would set up
 * an SMTP sign-in Microsoft refuses. */
static void
render_microsoft (GString            *out,
                  StampExportContext *context,
                  StampExportResult  *result)
{
  _stamp_export_wp_microsoft_intro (out, context, "Post SMTP",
                                    "its paid \"Microsoft 365\" extension (Post SMTP Pro)");
  _stamp_export_wp_comment (out, "The free plugin cannot send for this account, and Stamp "
                                 "knows no settings for the extension, so this file only lists "
                                 "the steps. FluentSMTP does the same for free, and Stamp can "
                                 "export its settings too.");
  _stamp_export_wp_blank (out);
  _stamp_export_wp_entra_steps (out, context, result, NULL,
                                "\"Accounts in any organizational directory and personal "
                                "Microsoft accounts\"",
                                "Mail.Send, offline_access, and any others the extension lists");
  _stamp_export_wp_comment (out, "4. Post SMTP > Settings: choose the Microsoft 365 mailer, "
                                 "enter the Application (client) ID and the secret's Value, "
                                 "save, and sign in as %s.", stamp_export_from_address (context));
  test_step (out, 5);
  _stamp_export_wp_end_comment (out);

  stamp_export_result_add_note (result, _("Post SMTP sends for a Microsoft 365 OAuth account "
                                          "only with its paid Microsoft 365 extension; "
                                          "FluentSMTP does it for free"));
}

static gboolean
check_post_smtp (StampExportContext  *context,
                 GError             **error)
{
  return _stamp_export_wp_check (context, "Post SMTP", error);
}

static gboolean
render_post_smtp (StampExportContext  *context,
                  StampExportResult   *result,
                  GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean ok = TRUE;

  _stamp_export_wp_begin (out, context, "Post SMTP");
  switch (_stamp_export_wp_mailer (context))
    {
    case STAMP_EXPORT_WP_MICROSOFT:
      render_microsoft (out, context, result);
      break;
    case STAMP_EXPORT_WP_GOOGLE:
      ok = render_google (out, context, result, error);
      break;
    case STAMP_EXPORT_WP_SMTP:
    default:
      ok = render_smtp (out, context, result, error);
      break;
    }
  if (!ok)
    return FALSE;

  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_post_smtp = {
  .id = "post-smtp",
  .title = N_("Post SMTP"),
  .description = N_("Text for Post SMTP’s Import box, with the password as wp-config.php "
                    "constants"),
  .category = STAMP_EXPORT_CATEGORY_WORDPRESS,
  .graph_mailer = TRUE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "post-smtp-config.php",
  .mime_type = "application/x-php",
  .uses_secret = TRUE,
  .check = check_post_smtp,
  .render = render_post_smtp,
};

/* stamp-export-fluent-smtp.c
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

#include <glib/gi18n-lib.h>

#include "stamp-export-wordpress-private.h"

/* FluentSMTP has no settings import, and wp-config.php constants only for
 * a connection's secrets, read when its key_store is "wp_config" (Access
 * Keys in Config File). So the file is a settings sheet in a comment plus
 * the define() lines. Facts from WPManageNinja/fluent-smtp b7e28d0:
 * app/Services/Mailer/Providers/config.php, the Smtp, Outlook and Gmail
 * handlers, and the Vue files under resources/admin for the field labels. */

#define FLUENT_MENU "Settings > FluentSMTP"

/* One row of the sheet: the field's label as FluentSMTP shows it. */
static void
row (GString    *out,
     const char *label,
     const char *value)
{
  _stamp_export_wp_comment (out, "     %-22s %s", label, value);
}

static void
sender_rows (GString            *out,
             StampExportContext *context)
{
  const char *name = _stamp_export_wp_display_name (context);

  row (out, "Sender Email", stamp_export_from_address (context));
  if (name != NULL)
    row (out, "Sender Name", name);
}

static void
paste_step (GString    *out,
            int         step,
            const char *what)
{
  _stamp_export_wp_comment (out, "%d. Put %s in the two lines below, then paste the define() "
                                 "lines into wp-config.php, above the line \"That's all, stop "
                                 "editing!\".", step, what);
}

static void
test_step (GString            *out,
           int                 step,
           StampExportContext *context)
{
  _stamp_export_wp_comment (out, "%d. Send a test email: %s > Email Test, or\n"
                                 "   wp fluent-smtp test --to=%s", step, FLUENT_MENU,
                            stamp_export_from_address (context));
}

static void
render_smtp (GString            *out,
             StampExportContext *context,
             StampExportResult  *result)
{
  StampAccount *account = stamp_export_context_get_account (context);
  StampSecurity security = stamp_account_get_security (account);
  gboolean signs_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
  g_autofree char *port = g_strdup_printf ("%u", stamp_account_get_effective_port (account));

  _stamp_export_wp_comment (out, "FluentSMTP has no settings import: enter the values below by "
                                 "hand. It reads only the user name and password from "
                                 "wp-config.php.");
  _stamp_export_wp_blank (out);
  _stamp_export_wp_comment (out, "1. %s > Connections: add a connection, \"SMTP server\":",
                            FLUENT_MENU);
  sender_rows (out, context);
  row (out, "SMTP Host", stamp_account_get_host (account));
  row (out, "SMTP Port", port);
  /* FluentSMTP's radio buttons, with PHPMailer's naming trap under them. */
  row (out, "Encryption", security == STAMP_SECURITY_TLS ? "SSL (which is TLS from the first "
                                                           "byte)"
                          : security == STAMP_SECURITY_NONE ? "None" : "TLS (which is STARTTLS)");
  row (out, "Use Auto TLS", security == STAMP_SECURITY_NONE ? "off" : "on");
  row (out, "Authentication", signs_in ? "on" : "off");
  if (signs_in)
    {
      _stamp_export_wp_comment (out, "   Choose \"Access Keys in Config File\" for the user "
                                     "name and password.");
      if (stamp_export_context_get_secret (context) != NULL)
        _stamp_export_wp_comment (out, "2. Paste the define() lines into wp-config.php, above "
                                       "the line \"That's all, stop editing!\".");
      else
        _stamp_export_wp_comment (out, "2. Put the password in the FLUENTMAIL_SMTP_PASSWORD "
                                       "line below, then paste the define() lines into "
                                       "wp-config.php, above the line \"That's all, stop "
                                       "editing!\".");
      _stamp_export_wp_comment (out, "3. Save the connection.");
      test_step (out, 4, context);
    }
  else
    {
      _stamp_export_wp_comment (out, "2. Save the connection. There are no define() lines: this "
                                     "account does not sign in.");
      test_step (out, 3, context);
    }
  _stamp_export_wp_smtp_cautions (out, context, result);
  if (stamp_export_context_get_secret (context) != NULL)
    {
      _stamp_export_wp_blank (out);
      _stamp_export_wp_comment (out, "This file holds the password: share it with no one.");
    }
  _stamp_export_wp_end_comment (out);

  if (signs_in)
    {
      _stamp_export_wp_define_string (out, "FLUENTMAIL_SMTP_USERNAME",
                                      stamp_export_username (context), NULL);
      _stamp_export_wp_secret_comment (out, context, "FLUENTMAIL_SMTP_PASSWORD");
      _stamp_export_wp_define_string (out, "FLUENTMAIL_SMTP_PASSWORD",
                                      stamp_export_secret_or_placeholder (context, result), NULL);
    }
}

/* What goes in "Directory (tenant) ID": the account's own tenant unless
 * it names an audience rather than a tenant. */
static const char *
tenant_value (StampExportContext *context)
{
  const char *tenant = stamp_account_get_oauth_tenant (stamp_export_context_get_account (context));

  if (!stamp_export_context_is_microsoft365 (context))
    return "(leave it empty)";
  if (tenant == NULL || *tenant == '\0' || g_str_equal (tenant, "organizations")
      || g_str_equal (tenant, "common") || g_str_equal (tenant, "consumers"))
    return "the Directory (tenant) ID on the app's Overview page";
  return tenant;
}

static void
render_microsoft (GString            *out,
                  StampExportContext *context,
                  StampExportResult  *result)
{
  _stamp_export_wp_microsoft_intro (out, context, "FluentSMTP",
                                    "its \"Outlook or Office 365\" connection");
  _stamp_export_wp_comment (out, "That connection is part of the free plugin.");
  _stamp_export_wp_blank (out);
  /* Outlook/API.php: the scopes it asks for, its REST callback, and a
   * tenant field of its own, so a single-tenant app will do. */
  _stamp_export_wp_entra_steps (out, context, result, "/wp-json/fluent-smtp/outlook_callback",
                                "\"Accounts in this organizational directory only\" will do",
                                "Mail.Send, Mail.Send.Shared, Mail.ReadWrite, User.Read, "
                                "offline_access");
  _stamp_export_wp_comment (out, "4. %s > Connections: add a connection, \"Outlook or Office "
                                 "365\":", FLUENT_MENU);
  sender_rows (out, context);
  row (out, "Directory (tenant) ID", tenant_value (context));
  _stamp_export_wp_comment (out, "   Choose \"Application Keys in Config File\".");
  paste_step (out, 5, "the Application (client) ID and the secret's Value");
  _stamp_export_wp_comment (out, "6. Save, then \"Authenticate with Office365 & Get Access "
                                 "Token\" and sign in as %s.",
                            stamp_export_from_address (context));
  test_step (out, 7, context);
  _stamp_export_wp_end_comment (out);

  _stamp_export_wp_define_string (out, "FLUENTMAIL_OUTLOOK_CLIENT_ID",
                                  STAMP_EXPORT_WP_CLIENT_ID_PLACEHOLDER, NULL);
  _stamp_export_wp_define_string (out, "FLUENTMAIL_OUTLOOK_CLIENT_SECRET",
                                  STAMP_EXPORT_WP_CLIENT_SECRET_PLACEHOLDER, NULL);
}

static void
render_google (GString            *out,
               StampExportContext *context,
               StampExportResult  *result)
{
  /* Gmail/Handler.php: Google sends the code to FluentSMTP's own page,
   * which shows it for pasting back. */
  _stamp_export_wp_google_steps (out, context, result, "FluentSMTP", NULL,
                                 "https://fluentsmtp.com/gapi/",
                                 "(FluentSMTP's page, which shows Google's code for you to "
                                 "paste back.)");
  _stamp_export_wp_comment (out, "4. %s > Connections: add a connection, \"Gmail or Google "
                                 "Workspace\":", FLUENT_MENU);
  sender_rows (out, context);
  _stamp_export_wp_comment (out, "   Choose \"Application Keys in Config File\".");
  paste_step (out, 5, "the Client ID and the Client secret");
  _stamp_export_wp_comment (out, "6. Save, then \"Authenticate with Google & Get Access "
                                 "Token\", sign in as %s and paste the code Google shows into "
                                 "Access Token.", stamp_export_from_address (context));
  test_step (out, 7, context);
  _stamp_export_wp_end_comment (out);

  _stamp_export_wp_define_string (out, "FLUENTMAIL_GMAIL_CLIENT_ID",
                                  STAMP_EXPORT_WP_GOOGLE_ID_PLACEHOLDER, NULL);
  _stamp_export_wp_define_string (out, "FLUENTMAIL_GMAIL_CLIENT_SECRET",
                                  STAMP_EXPORT_WP_GOOGLE_SECRET_PLACEHOLDER, NULL);
}

static gboolean
check_fluent_smtp (StampExportContext  *context,
                   GError             **error)
{
  return _stamp_export_wp_check (context, "FluentSMTP", error);
}

static gboolean
render_fluent_smtp (StampExportContext  *context,
                    StampExportResult   *result,
                    GError             **error)
{
  GString *out = g_string_new (NULL);

  _stamp_export_wp_begin (out, context, "FluentSMTP");
  switch (_stamp_export_wp_mailer (context))
    {
    case STAMP_EXPORT_WP_MICROSOFT:
      render_microsoft (out, context, result);
      break;
    case STAMP_EXPORT_WP_GOOGLE:
      render_google (out, context, result);
      break;
    case STAMP_EXPORT_WP_SMTP:
    default:
      render_smtp (out, context, result);
      break;
    }

  stamp_export_result_add_note (result, _("FluentSMTP has no settings import: enter the values "
                                          "listed in the file by hand"));
  stamp_export_result_take_text (result, out);
  return TRUE;
}

const StampExporterSpec stamp_export_fluent_smtp = {
  .id = "fluent-smtp",
  .title = N_("FluentSMTP"),
  .description = N_("A settings sheet for the FluentSMTP plugin, with the sign-in as "
                    "wp-config.php constants"),
  .category = STAMP_EXPORT_CATEGORY_WORDPRESS,
  .graph_mailer = TRUE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "fluent-smtp-config.php",
  .mime_type = "application/x-php",
  .uses_secret = TRUE,
  .check = check_fluent_smtp,
  .render = render_fluent_smtp,
};

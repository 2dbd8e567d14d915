/* stamp-export-wp-mail-smtp.c
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

/* WP Mail SMTP: wp-config.php constants (WPMS_*), read when WPMS_ON is
 * true. Facts from WP Mail SMTP 4.8.0: src/Options.php, the Gmail
 * mailer's src/Providers/Gmail/Auth.php, and AuthAbstract's own
 * redirect URI; the Outlook mailer itself is in Pro only. */

static const StampExportWpConstants wp_mail_smtp = {
  .prefix = "WPMS",
  .plugin = "WP Mail SMTP",
  .settings_page = "WP Mail SMTP > Settings",
  .test_page = "WP Mail SMTP > Tools > Email Test",
  .outlook_licence = "This mailer needs WP Mail SMTP Pro: the free plugin says it is not "
                     "on your plan.",
  .outlook_note = N_("The Microsoft 365 / Outlook mailer needs WP Mail SMTP Pro"),
  /* The free plugin's own OAuth callback; that Pro's Outlook mailer uses
   * it too is likely but not verified, hence "copy what it shows". */
  .outlook_redirect = "/wp-admin/admin.php?page=wp-mail-smtp&tab=auth",
  /* Which sign-in endpoint Pro uses is not known: this kind works with
   * every one of them. */
  .outlook_account_types = "\"Accounts in any organizational directory and personal "
                           "Microsoft accounts\"",
  .gmail_licence = NULL,  /* the Gmail mailer is free */
  .gmail_note = NULL,
  .gmail_redirect = "https://connect.wpmailsmtp.com/google/",
  .gmail_constants = TRUE,
};

static gboolean
check_wp_mail_smtp (StampExportContext  *context,
                    GError             **error)
{
  return _stamp_export_wp_check (context, wp_mail_smtp.plugin, error);
}

static gboolean
render_wp_mail_smtp (StampExportContext  *context,
                     StampExportResult   *result,
                     GError             **error)
{
  return _stamp_export_wp_render_constants (&wp_mail_smtp, context, result, error);
}

const StampExporterSpec stamp_export_wp_mail_smtp = {
  .id = "wp-mail-smtp",
  .title = N_("WP Mail SMTP"),
  .description = N_("Constants for wp-config.php that set up the WP Mail SMTP plugin"),
  .category = STAMP_EXPORT_CATEGORY_WORDPRESS,
  .graph_mailer = TRUE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "wp-mail-smtp-config.php",
  .mime_type = "application/x-php",
  .uses_secret = TRUE,
  .check = check_wp_mail_smtp,
  .render = render_wp_mail_smtp,
};

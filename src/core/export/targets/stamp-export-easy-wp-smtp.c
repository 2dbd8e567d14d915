/* stamp-export-easy-wp-smtp.c
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

/* Easy WP SMTP 2.x: the WP Mail SMTP code base with EASY_WP_SMTP_*
 * constants (src/Options.php). Its free build shows the Outlook and
 * Gmail mailers only as "not available in the lite version"
 * (src/Providers/{Outlook,Gmail}/Options.php), and its Options.php has
 * no constants for a Gmail client. Neither its Pro redirect URIs nor the
 * sign-in endpoint Pro uses are known, so the file points at what the
 * plugin shows. */

static const StampExportWpConstants easy_wp_smtp = {
  .prefix = "EASY_WP_SMTP",
  .plugin = "Easy WP SMTP",
  .settings_page = "Easy WP SMTP > Settings",
  .test_page = "Easy WP SMTP > Tools > Email Test",
  .outlook_licence = "This mailer needs Easy WP SMTP Pro, going by the free version, which "
                     "says it is not available in lite.",
  .outlook_note = N_("The Microsoft 365 / Outlook mailer needs Easy WP SMTP Pro, going by "
                     "what the free version says"),
  .outlook_redirect = NULL,
  .outlook_account_types = "\"Accounts in any organizational directory and personal "
                           "Microsoft accounts\"",
  .gmail_licence = "This mailer needs Easy WP SMTP Pro, going by the free version, which says "
                   "it is not available in lite.",
  .gmail_note = N_("The Gmail mailer needs Easy WP SMTP Pro, going by what the free version "
                   "says"),
  .gmail_redirect = NULL,
  .gmail_constants = FALSE,
};

static gboolean
check_easy_wp_smtp (StampExportContext  *context,
                    GError             **error)
{
  return _stamp_export_wp_check (context, easy_wp_smtp.plugin, error);
}

static gboolean
render_easy_wp_smtp (StampExportContext  *context,
                     StampExportResult   *result,
                     GError             **error)
{
  return _stamp_export_wp_render_constants (&easy_wp_smtp, context, result, error);
}

const StampExporterSpec stamp_export_easy_wp_smtp = {
  .id = "easy-wp-smtp",
  .title = N_("Easy WP SMTP"),
  .description = N_("Constants for wp-config.php that set up the Easy WP SMTP plugin, "
                    "version 2 or later"),
  .category = STAMP_EXPORT_CATEGORY_WORDPRESS,
  .graph_mailer = TRUE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "easy-wp-smtp-config.php",
  .mime_type = "application/x-php",
  .uses_secret = TRUE,
  .check = check_easy_wp_smtp,
  .render = render_easy_wp_smtp,
};

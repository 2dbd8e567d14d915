/* stamp-export-wordpress-private.h
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

#pragma once

#include "stamp-exporter-private.h"

G_BEGIN_DECLS

/* Which kind of mailer a WordPress plugin needs for an account. */
typedef enum
{
  STAMP_EXPORT_WP_SMTP,       /* a password, or no sign-in: plain SMTP */
  STAMP_EXPORT_WP_MICROSOFT,  /* Microsoft OAuth: the plugin's Graph API mailer */
  STAMP_EXPORT_WP_GOOGLE,     /* Google OAuth: the plugin's Gmail API mailer */
} StampExportWpMailer;

/* WP Mail SMTP and Easy WP SMTP read the same constants with a different
 * prefix; this says how the two differ. */
typedef struct
{
  const char *prefix;               /* "WPMS" */
  const char *plugin;               /* "WP Mail SMTP" */
  const char *settings_page;        /* "WP Mail SMTP > Settings" */
  const char *test_page;            /* "WP Mail SMTP > Tools > Email Test" */
  const char *outlook_licence;      /* one comment line about Pro */
  const char *outlook_note;         /* N_(), the same for the person */
  const char *outlook_redirect;     /* path after the site URL, or NULL */
  const char *outlook_account_types;
  const char *gmail_licence;        /* one comment line about Pro, or NULL */
  const char *gmail_note;           /* N_(), the same for the person */
  const char *gmail_redirect;       /* the fixed relay URI, or NULL */
  guint       gmail_constants : 1;  /* PREFIX_GMAIL_CLIENT_ID exists */
} StampExportWpConstants;

/* Placeholders for values only the person can make. */
#define STAMP_EXPORT_WP_CLIENT_ID_PLACEHOLDER     "PASTE-APPLICATION-CLIENT-ID-HERE"
#define STAMP_EXPORT_WP_CLIENT_SECRET_PLACEHOLDER "PASTE-CLIENT-SECRET-VALUE-HERE"
#define STAMP_EXPORT_WP_GOOGLE_ID_PLACEHOLDER     "PASTE-GOOGLE-CLIENT-ID-HERE"
#define STAMP_EXPORT_WP_GOOGLE_SECRET_PLACEHOLDER "PASTE-GOOGLE-CLIENT-SECRET-HERE"

StampExportWpMailer  _stamp_export_wp_mailer            (StampExportContext           *context);
gboolean             _stamp_export_wp_check             (StampExportContext           *context,
                                                         const char                   *plugin,
                                                         GError                      **error);
const char          *_stamp_export_wp_display_name      (StampExportContext           *context);
char                *_stamp_export_wp_site_url          (StampExportContext           *context,
                                                         const char                   *path);
void                 _stamp_export_wp_begin             (GString                      *out,
                                                         StampExportContext           *context,
                                                         const char                   *plugin);
void                 _stamp_export_wp_comment           (GString                      *out,
                                                         const char                   *format,
                                                         ...) G_GNUC_PRINTF (2, 3);
void                 _stamp_export_wp_blank             (GString                      *out);
void                 _stamp_export_wp_end_comment       (GString                      *out);
void                 _stamp_export_wp_define            (GString                      *out,
                                                         const char                   *name,
                                                         const char                   *literal,
                                                         const char                   *comment);
void                 _stamp_export_wp_define_string     (GString                      *out,
                                                         const char                   *name,
                                                         const char                   *value,
                                                         const char                   *comment);
void                 _stamp_export_wp_secret_comment    (GString                      *out,
                                                         StampExportContext           *context,
                                                         const char                   *constant);
void                 _stamp_export_wp_smtp_cautions     (GString                      *out,
                                                         StampExportContext           *context,
                                                         StampExportResult            *result);
void                 _stamp_export_wp_microsoft_intro   (GString                      *out,
                                                         StampExportContext           *context,
                                                         const char                   *plugin,
                                                         const char                   *mailer);
void                 _stamp_export_wp_entra_steps       (GString                      *out,
                                                         StampExportContext           *context,
                                                         StampExportResult            *result,
                                                         const char                   *redirect_path,
                                                         const char                   *account_types,
                                                         const char                   *permissions);
void                 _stamp_export_wp_google_steps      (GString                      *out,
                                                         StampExportContext           *context,
                                                         StampExportResult            *result,
                                                         const char                   *plugin,
                                                         const char                   *licence,
                                                         const char                   *redirect_uri,
                                                         const char                   *redirect_note);
gboolean             _stamp_export_wp_render_constants  (const StampExportWpConstants *plugin,
                                                         StampExportContext           *context,
                                                         StampExportResult            *result,
                                                         GError                      **error);

G_END_DECLS

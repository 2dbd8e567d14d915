/* stamp-exporter-private.h
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

#include "stamp-exporter.h"

G_BEGIN_DECLS

/* One export target. Each stamp-export-*.c file defines its targets as
 * constant specs; stamp-exporter.c lists them and wraps each in a
 * StampExporter for the rest of Stamp. */
typedef struct
{
  const char          *id;           /* for `stamp-cli export ID` */
  const char          *title;        /* N_() */
  const char          *description;  /* N_(), one line */
  StampExportCategory  category;
  StampExportAuth      auth;         /* the sign-in kinds it can serve */
  const char          *file_name;    /* suggested; render may change it */
  const char          *mime_type;
  guint                uses_secret : 1;        /* can carry the password */
  guint                uses_refresh_token : 1; /* can carry an OAuth refresh token */
  guint                needs_tenant_mx : 1; /* Microsoft 365 relay paths */
  guint                binary : 1;          /* not text (a PDF) */
  guint                graph_mailer : 1;    /* has a Microsoft Graph mailer of its own */

  /* Optional: refuse an account beyond what @auth says (a missing setting,
   * a sign-in the target cannot do), with STAMP_ERROR_EXPORT_UNSUPPORTED
   * and a message that says what to do instead. */
  gboolean (*check)  (StampExportContext *context,
                      GError            **error);
  gboolean (*render) (StampExportContext *context,
                      StampExportResult  *result,
                      GError            **error);
} StampExporterSpec;

/* One stamp-export-<target>.c file each. */
extern const StampExporterSpec stamp_export_wp_mail_smtp;
extern const StampExporterSpec stamp_export_fluent_smtp;
extern const StampExporterSpec stamp_export_post_smtp;
extern const StampExporterSpec stamp_export_easy_wp_smtp;
extern const StampExporterSpec stamp_export_printer_sheet;
extern const StampExporterSpec stamp_export_printer_sheet_pdf;
extern const StampExporterSpec stamp_export_msmtp;
extern const StampExporterSpec stamp_export_postfix;
extern const StampExporterSpec stamp_export_postfix_sasl_passwd;
extern const StampExporterSpec stamp_export_sasl_xoauth2;
extern const StampExporterSpec stamp_export_mozilla_autoconfig;
extern const StampExporterSpec stamp_export_apple_profile;
extern const StampExporterSpec stamp_export_env;
extern const StampExporterSpec stamp_export_nodemailer;
extern const StampExporterSpec stamp_export_phpmailer;
extern const StampExporterSpec stamp_export_python_smtplib;
extern const StampExporterSpec stamp_export_git_send_email;

/* stamp-export-text.c: small pieces every exporter needs. */
#define STAMP_EXPORT_PASSWORD_VARIABLE "SMTP_PASSWORD"  /* code reads the password here */

void        stamp_export_append_graph_comment  (GString           *out,
                                                StampExportContext *context,
                                                const char         *prefix,
                                                const char         *target);
void        stamp_export_append_sign_in_comment (GString           *out,
                                                StampExportContext *context,
                                                const char         *prefix);
gboolean    stamp_export_leaves_out_password   (StampExportContext *context);
void        stamp_export_add_code_notes        (StampExportResult  *result,
                                                StampExportContext *context);
const char *stamp_export_secret_or_placeholder (StampExportContext *context,
                                                StampExportResult  *result);
const char *stamp_export_placeholder           (StampExportContext *context);
char       *stamp_export_php_string            (const char         *value);
char       *stamp_export_js_string             (const char         *value);
char       *stamp_export_python_string         (const char         *value);
char       *stamp_export_xml_escape            (const char         *value);
char       *stamp_export_url_escape            (const char         *value);
const char *stamp_export_from_address          (StampExportContext *context);
const char *stamp_export_username              (StampExportContext *context);
char       *stamp_export_token_command         (StampExportContext *context);
GStrv       stamp_export_token_argv            (StampExportContext *context,
                                                GError            **error);
const char *stamp_export_tls_or_ssl            (StampExportContext *context);
const char *stamp_export_domain                (StampExportContext *context);

G_END_DECLS

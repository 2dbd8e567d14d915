/* stamp-export-printer.c
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

#include "stamp-device-guide.h"
#include "stamp-device-sheet.h"
#include "stamp-exporter-private.h"

/* Scan to email: a one-page settings sheet, in the words of the device's
 * own web page, for the path that suits the device (stamp-device-guide.c).
 * The password is on it only when the person asked for it. */

/* Refuses a make Stamp has no labels for, before any keyring lookup. */
static gboolean
check_printer (StampExportContext  *context,
               GError             **error)
{
  g_autoptr(StampDeviceGuide) guide = stamp_device_guide_new (context, error);

  return guide != NULL;
}

/* What the text sheet and the PDF share: the file's name, and whether it
 * must be kept private because the password is on it. */
static void
describe_sheet (StampExportContext *context,
                StampExportResult  *result,
                const char         *extension,
                gboolean            prints_secret)
{
  g_autofree char *name = g_strdup_printf ("scan-to-email-%s.%s",
                                           stamp_export_context_get_device_vendor (context),
                                           extension);

  stamp_export_result_set_file_name (result, name);
  stamp_export_result_set_private (result, prints_secret);
  if (prints_secret)
    stamp_export_result_add_note (result, _("The password is on this sheet: keep it safe, and "
                                            "shred any printout once the device is set up."));
}

static gboolean
render_text (StampExportContext  *context,
             StampExportResult   *result,
             GError             **error)
{
  gboolean prints_secret = FALSE;
  GString *text;

  text = stamp_device_sheet_to_text (context, &prints_secret, error);
  if (text == NULL)
    return FALSE;

  describe_sheet (context, result, "txt", prints_secret);
  stamp_export_result_take_text (result, text);
  return TRUE;
}

static gboolean
render_pdf (StampExportContext  *context,
            StampExportResult   *result,
            GError             **error)
{
  g_autoptr(GBytes) pdf = NULL;
  gboolean prints_secret = FALSE;

  pdf = stamp_device_sheet_to_pdf (context, &prints_secret, error);
  if (pdf == NULL)
    return FALSE;

  describe_sheet (context, result, "pdf", prints_secret);
  stamp_export_result_set_bytes (result, pdf);
  return TRUE;
}

const StampExporterSpec stamp_export_printer_sheet = {
  .id = "printer",
  .title = N_("Printer or scanner (text)"),
  .description = N_("A one-page scan-to-email settings sheet in the words of the device’s web page, as text"),
  .category = STAMP_EXPORT_CATEGORY_DEVICE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "scan-to-email.txt",
  .mime_type = "text/plain",
  .uses_secret = TRUE,
  .needs_tenant_mx = TRUE,
  .check = check_printer,
  .render = render_text,
};

const StampExporterSpec stamp_export_printer_sheet_pdf = {
  .id = "printer-pdf",
  .title = N_("Printer or scanner (PDF)"),
  .description = N_("The same scan-to-email settings sheet as a one-page PDF to print"),
  .category = STAMP_EXPORT_CATEGORY_DEVICE,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "scan-to-email.pdf",
  .mime_type = "application/pdf",
  .uses_secret = TRUE,
  .needs_tenant_mx = TRUE,
  .binary = TRUE,
  .check = check_printer,
  .render = render_pdf,
};

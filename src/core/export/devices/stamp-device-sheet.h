/* stamp-device-sheet.h
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

#include <cairo.h>

#include "stamp-export-context.h"

G_BEGIN_DECLS

/* The one-page scan-to-email settings sheet, drawn on any cairo surface:
 * the PDF exporter draws it on an A4 PDF surface, the app's Print button
 * on the printer's page. Width and height are in points. */
gboolean  stamp_device_sheet_draw    (StampExportContext  *context,
                                     cairo_t             *cr,
                                     double               width,
                                     double               height,
                                     GError             **error);

/* The same sheet as plain text, and as a one-page A4 PDF. @prints_secret
 * says whether the password is on it (then the file must be private). */
GString  *stamp_device_sheet_to_text (StampExportContext  *context,
                                     gboolean            *prints_secret,
                                     GError             **error);
GBytes   *stamp_device_sheet_to_pdf  (StampExportContext  *context,
                                     gboolean            *prints_secret,
                                     GError             **error);

G_END_DECLS

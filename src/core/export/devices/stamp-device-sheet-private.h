/* stamp-device-sheet-private.h
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

#include "stamp-device-vendors.h"
#include "stamp-export-context.h"

G_BEGIN_DECLS

/* The sheet as a list of items, shared by the text (stamp-device-sheet.c)
 * and the drawing (stamp-device-sheet-draw.c). */
typedef enum
{
  STAMP_SHEET_TITLE,
  STAMP_SHEET_SUBTITLE,
  STAMP_SHEET_HEADING,
  STAMP_SHEET_TEXT,
  STAMP_SHEET_TABLE_HEAD,
  STAMP_SHEET_ROW,
  STAMP_SHEET_BULLET,
  STAMP_SHEET_WARNING,
  STAMP_SHEET_SMALL,
} StampSheetItemKind;

typedef struct
{
  StampSheetItemKind  kind;
  char               *lead;  /* a row's label, a bullet's bold start; may be NULL */
  char               *text;
} StampSheetItem;

GPtrArray *_stamp_device_sheet_build (StampExportContext       *context,
                                      gboolean                 *prints_secret,
                                      GError                  **error);
char      *_stamp_device_sheet_title (const StampDeviceVendor  *vendor);

G_END_DECLS

/* stamp-sheet-painter-private.h
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
#include <gio/gio.h>

G_BEGIN_DECLS

/* The settings sheet as a list of items: built by the core
 * (stamp-device-sheet.c), written as text there, and drawn by the painter
 * (stamp-sheet-painter.c). The painter is a module of its own, loaded only
 * when a sheet is drawn, so that programs that never draw do not load
 * cairo, pango and the font and X libraries behind them. It knows these
 * items and nothing else of the core. */
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

/* The module's base name, and its two entry points, by name and type. */
#define STAMP_SHEET_PAINTER_MODULE  "stamp-sheet-painter"
#define STAMP_SHEET_PAINTER_DRAW    "stamp_sheet_painter_draw"
#define STAMP_SHEET_PAINTER_TO_PDF  "stamp_sheet_painter_to_pdf"

typedef gboolean (*StampSheetPainterDraw)  (GPtrArray   *items,
                                            cairo_t     *cr,
                                            double       width,
                                            double       height,
                                            GError     **error);
typedef GBytes * (*StampSheetPainterToPdf) (GPtrArray   *items,
                                            const char  *title,
                                            GError     **error);

G_END_DECLS

/* stamp-device-sheet-draw.c
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

#define G_LOG_DOMAIN "stamp-device-sheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "stamp-device-guide.h"
#include "stamp-device-sheet-private.h"
#include "stamp-device-sheet.h"

/* Drawing the sheet takes cairo and pango, and the font, image and X
 * libraries behind them: some thirty shared libraries that would cost
 * every start of stamp-cli their loading and linking, though most commands
 * never draw. So the drawing is a module (stamp-sheet-painter.c), loaded
 * here on the first drawing and kept. It lives in STAMP_MODULE_DIR, which
 * the environment variable of the same name overrides for a build tree
 * (`meson devenv` and the tests set it). */

typedef struct
{
  StampSheetPainterDraw   draw;
  StampSheetPainterToPdf  to_pdf;
} Painter;

static GMutex painter_lock;
static Painter painter;

static const Painter *
get_painter (GError **error)
{
  const Painter *found = NULL;

  g_mutex_lock (&painter_lock);

  if (painter.draw == NULL)
    {
      const char *dir = g_getenv ("STAMP_MODULE_DIR");
      g_autofree char *path = g_module_build_path (dir != NULL && *dir != '\0'
                                                   ? dir : STAMP_MODULE_DIR,
                                                   STAMP_SHEET_PAINTER_MODULE);
      GModule *module = g_module_open (path, G_MODULE_BIND_LOCAL);
      gpointer draw = NULL;
      gpointer to_pdf = NULL;

      if (module != NULL &&
          g_module_symbol (module, STAMP_SHEET_PAINTER_DRAW, &draw) &&
          g_module_symbol (module, STAMP_SHEET_PAINTER_TO_PDF, &to_pdf))
        {
          g_module_make_resident (module);
          painter.draw = draw;
          painter.to_pdf = to_pdf;
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("Could not load the part of Stamp that draws the sheet: %s"),
                       g_module_error ());
          g_clear_pointer (&module, g_module_close);
        }
    }

  if (painter.draw != NULL)
    found = &painter;

  g_mutex_unlock (&painter_lock);

  return found;
}

/**
 * stamp_device_sheet_draw:
 * @context: the account, device make and abilities, and tenant MX host
 * @cr: where to draw, with the page's top left corner at (0, 0)
 * @width: the page's width in points
 * @height: its height in points
 * @error: return location for a #GError
 *
 * Draws the sheet on one page: the text shrinks (and, for very long
 * sheets on small pages, the whole sheet is scaled) until it fits.
 *
 * Returns: %TRUE when drawn
 */
gboolean
stamp_device_sheet_draw (StampExportContext  *context,
                         cairo_t             *cr,
                         double               width,
                         double               height,
                         GError             **error)
{
  g_autoptr(GPtrArray) items = NULL;
  const Painter *found;

  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  items = _stamp_device_sheet_build (context, NULL, error);
  if (items == NULL)
    return FALSE;

  found = get_painter (error);
  if (found == NULL)
    return FALSE;

  return found->draw (items, cr, width, height, error);
}

/**
 * stamp_device_sheet_to_pdf:
 * @context: the account, device make and abilities, and tenant MX host
 * @prints_secret: (out) (optional): whether the password is on the sheet
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the sheet as a one-page A4 PDF
 */
GBytes *
stamp_device_sheet_to_pdf (StampExportContext  *context,
                           gboolean            *prints_secret,
                           GError             **error)
{
  g_autoptr(StampDeviceGuide) guide = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *title = NULL;
  const Painter *found;

  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), NULL);

  /* For the title and the secret flag. */
  guide = stamp_device_guide_new (context, error);
  if (guide == NULL)
    return NULL;
  if (prints_secret != NULL)
    *prints_secret = guide->prints_secret;
  title = _stamp_device_sheet_title (guide->vendor);

  items = _stamp_device_sheet_build (context, NULL, error);
  if (items == NULL)
    return NULL;

  found = get_painter (error);
  if (found == NULL)
    return NULL;

  return found->to_pdf (items, title, error);
}

/* stamp-sheet-painter.c
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

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <pango/pangocairo.h>

#include "stamp-sheet-painter-private.h"

/* The sheet drawn with pango on any cairo surface: an A4 PDF here, the
 * printer's page when the app prints. Built as a module of its own, which
 * stamp-device-sheet-draw.c loads on the first drawing; it uses only
 * GLib, cairo and pango, never the core. Body text starts at 10.5 pt and
 * shrinks in half points until the sheet fits one page. */

#define A4_WIDTH      595.0
#define A4_HEIGHT     842.0
#define BASE_SIZE_MAX 10.5
#define BASE_SIZE_MIN 7.0

typedef struct
{
  cairo_t *cr;
  double   width;  /* of the text area */
  double   base;   /* body text size in points */
  gboolean paint;  /* FALSE: only measure */
  gboolean shade;  /* the next table row gets a background */
} Pen;

static PangoLayout *
new_layout (Pen        *pen,
            const char *text,
            double      width,
            double      size,
            gboolean    bold,
            gboolean    markup)
{
  PangoLayout *layout = pango_cairo_create_layout (pen->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  /* In user units, which are points here: pango's default 96 dpi would
   * make "10 pt" a third larger on a PDF surface. */
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
show_layout (Pen         *pen,
             PangoLayout *layout,
             double       x,
             double       y,
             double       grey)
{
  if (!pen->paint)
    return;
  cairo_set_source_rgb (pen->cr, grey, grey, grey);
  cairo_move_to (pen->cr, x, y);
  pango_cairo_show_layout (pen->cr, layout);
}

static void
fill_rect (Pen    *pen,
           double  x,
           double  y,
           double  width,
           double  height,
           double  r,
           double  g,
           double  b)
{
  if (!pen->paint)
    return;
  cairo_set_source_rgb (pen->cr, r, g, b);
  cairo_rectangle (pen->cr, x, y, width, height);
  cairo_fill (pen->cr);
}

/* Draws (or measures) one item at @y; returns the height it takes. */
static double
draw_item (Pen            *pen,
           StampSheetItem *item,
           double          y)
{
  double base = pen->base;
  double pad = base * 0.3;
  double label_width = pen->width * 0.4;
  double gap = base;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;
  g_autofree char *markup = NULL;
  double height;

  switch (item->kind)
    {
    case STAMP_SHEET_TITLE:
      left = new_layout (pen, item->text, pen->width, base * 1.9, TRUE, FALSE);
      show_layout (pen, left, 0, y, 0.0);
      return layout_height (left) + base * 0.2;

    case STAMP_SHEET_SUBTITLE:
      left = new_layout (pen, item->text, pen->width, base, FALSE, FALSE);
      show_layout (pen, left, 0, y, 0.35);
      return layout_height (left) + base * 0.4;

    case STAMP_SHEET_HEADING:
      left = new_layout (pen, item->text, pen->width, base * 1.2, TRUE, FALSE);
      show_layout (pen, left, 0, y + base * 0.7, 0.1);
      pen->shade = FALSE;
      return layout_height (left) + base * 0.9;

    case STAMP_SHEET_TEXT:
    case STAMP_SHEET_SMALL:
      left = new_layout (pen, item->text, pen->width,
                         item->kind == STAMP_SHEET_SMALL ? base * 0.8 : base, FALSE, FALSE);
      height = layout_height (left);
      show_layout (pen, left, 0, y + (item->kind == STAMP_SHEET_SMALL ? base * 0.5 : 0),
                   item->kind == STAMP_SHEET_SMALL ? 0.4 : 0.0);
      return height + (item->kind == STAMP_SHEET_SMALL ? base * 0.5 : base * 0.2);

    case STAMP_SHEET_TABLE_HEAD:
    case STAMP_SHEET_ROW:
      left = new_layout (pen, item->lead, label_width - gap, base,
                         item->kind == STAMP_SHEET_TABLE_HEAD, FALSE);
      right = new_layout (pen, item->text, pen->width - label_width - pad, base, TRUE, FALSE);
      height = MAX (layout_height (left), layout_height (right)) + 2 * pad;
      if (item->kind == STAMP_SHEET_TABLE_HEAD)
        {
          y += base * 0.6;
          fill_rect (pen, 0, y, pen->width, height, 0.82, 0.86, 0.92);
          pen->shade = FALSE;
        }
      else if (pen->shade)
        fill_rect (pen, 0, y, pen->width, height, 0.95, 0.96, 0.98);
      pen->shade = item->kind == STAMP_SHEET_ROW && !pen->shade;
      show_layout (pen, left, pad, y + pad, 0.25);
      show_layout (pen, right, label_width, y + pad, 0.0);
      return height + (item->kind == STAMP_SHEET_TABLE_HEAD ? base * 0.6 : 0);

    case STAMP_SHEET_BULLET:
      if (item->lead != NULL)
        markup = g_markup_printf_escaped ("<b>%s:</b> %s", item->lead, item->text);
      else
        markup = g_markup_escape_text (item->text, -1);
      left = new_layout (pen, "•", base, base, FALSE, FALSE);
      right = new_layout (pen, markup, pen->width - base * 1.2, base, FALSE, TRUE);
      show_layout (pen, left, base * 0.2, y, 0.0);
      show_layout (pen, right, base * 1.2, y, 0.0);
      return layout_height (right) + base * 0.25;

    case STAMP_SHEET_WARNING:
      right = new_layout (pen, item->text, pen->width - 2 * base, base, TRUE, FALSE);
      height = layout_height (right) + base;
      fill_rect (pen, 0, y, pen->width, height, 0.99, 0.90, 0.55);
      fill_rect (pen, 0, y, base * 0.3, height, 0.85, 0.45, 0.0);
      show_layout (pen, right, base, y + base * 0.5, 0.0);
      return height + base * 0.2;

    default:
      g_assert_not_reached ();
    }
}

static double
draw_items (Pen       *pen,
            GPtrArray *items)
{
  double y = 0;

  pen->shade = FALSE;
  for (guint i = 0; i < items->len; i++)
    y += draw_item (pen, g_ptr_array_index (items, i), y);
  return y;
}

G_MODULE_EXPORT gboolean stamp_sheet_painter_draw   (GPtrArray   *items,
                                                     cairo_t     *cr,
                                                     double       width,
                                                     double       height,
                                                     GError     **error);
G_MODULE_EXPORT GBytes  *stamp_sheet_painter_to_pdf (GPtrArray   *items,
                                                     const char  *title,
                                                     GError     **error);

/**
 * stamp_sheet_painter_draw:
 * @items: the sheet's #StampSheetItem list
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
stamp_sheet_painter_draw (GPtrArray  *items,
                          cairo_t    *cr,
                          double      width,
                          double      height,
                          GError    **error)
{
  double margin = MIN (36.0, MIN (width, height) * 0.06);
  double avail = height - 2 * margin;
  Pen pen = { 0 };
  double scale = 1.0;
  double used;

  g_return_val_if_fail (items != NULL, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  pen.cr = cr;
  pen.width = width - 2 * margin;
  for (pen.base = BASE_SIZE_MAX; ; pen.base -= 0.5)
    {
      used = draw_items (&pen, items);
      if (used <= avail || pen.base <= BASE_SIZE_MIN)
        break;
    }
  g_debug ("sheet: %.1f pt text, %.0f of %.0f pt", pen.base, used, avail);

  if (used > avail)
    {
      /* Still too long at the smallest text: shrink the whole sheet, by
       * the largest scale at which it fits once rewrapped to the width. */
      double fits = 0.05;
      double too_big = 1.0;

      for (guint i = 0; i < 12; i++)
        {
          double trial = (fits + too_big) / 2;

          pen.width = (width - 2 * margin) / trial;
          if (draw_items (&pen, items) * trial <= avail)
            fits = trial;
          else
            too_big = trial;
        }
      pen.width = (width - 2 * margin) / fits;
      scale = fits;
      g_debug ("sheet: scaled by %.2f", scale);
    }

  cairo_save (cr);
  cairo_translate (cr, margin, margin);
  cairo_scale (cr, scale, scale);
  pen.paint = TRUE;
  draw_items (&pen, items);
  cairo_restore (cr);

  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the sheet: %s"),
                   cairo_status_to_string (cairo_status (cr)));
      return FALSE;
    }
  return TRUE;
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * stamp_sheet_painter_to_pdf:
 * @items: the sheet's #StampSheetItem list
 * @title: the document's title
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the sheet as a one-page A4 PDF
 */
GBytes *
stamp_sheet_painter_to_pdf (GPtrArray   *items,
                            const char  *title,
                            GError     **error)
{
  g_autoptr(GByteArray) pdf = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean drawn;

  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  surface = cairo_pdf_surface_create_for_stream (write_cb, pdf, A4_WIDTH, A4_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Stamp");
  cr = cairo_create (surface);
  drawn = stamp_sheet_painter_draw (items, cr, A4_WIDTH, A4_HEIGHT, error);
  if (drawn)
    cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (!drawn)
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&pdf));
}

/* stamp-export-preview-notes.c
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

#define G_LOG_DOMAIN "stamp-export-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-export-preview-private.h"

/* The notes that come with an exported file, one row each: an icon and
 * the text, which may name long hosts and commands. */

/* Notes name hosts and commands (contoso-com.mail.protection.outlook.com,
 * Set-TransportConfig): a line may end only at a space, never after a dot
 * or a hyphen inside a name. A name wider than the whole line still breaks
 * rather than run off the edge. */
static void
wrap_at_spaces (GtkLabel *label)
{
  const char *text = gtk_label_get_label (label);
  PangoAttrList *attrs = pango_attr_list_new ();
  const char *p = text;

  while (*p != '\0')
    {
      const char *word;

      while (*p == ' ' || *p == '\n')
        p++;
      word = p;
      while (*p != '\0' && *p != ' ' && *p != '\n')
        p++;
      if (p > word)
        {
          PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

          attr->start_index = word - text;
          attr->end_index = p - text;
          pango_attr_list_insert (attrs, attr);
        }
    }

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

/* Returns: (transfer floating): a row showing @text as a note */
GtkWidget *
_stamp_export_preview_make_note (const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
  wrap_at_spaces (GTK_LABEL (label));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  return box;
}

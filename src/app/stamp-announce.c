/* stamp-announce.c
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

#define G_LOG_DOMAIN "stamp-announce"

#include "config.h"

#include "stamp-announce.h"

/**
 * stamp_announce:
 * @widget: the widget whose change is announced
 * @message: what a screen reader should say
 *
 * Makes a status change heard, such as a test's result or a new step of the
 * setup assistant. GTK 4.14 speaks @message as an announcement. Older GTK
 * has no announcements, so @message becomes the description of the focused
 * control (or @widget): AT-SPI reports the change and screen readers read
 * the focused control's new description.
 */
void
stamp_announce (GtkWidget  *widget,
                const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

#if GTK_CHECK_VERSION (4, 14, 0)
  if (gtk_get_minor_version () >= 14)
    {
      gtk_accessible_announce (GTK_ACCESSIBLE (widget), message,
                               GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
      return;
    }
#endif

  {
    GtkRoot *root = gtk_widget_get_root (widget);
    GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

    gtk_accessible_update_property (GTK_ACCESSIBLE (focus != NULL ? focus : widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  }
}

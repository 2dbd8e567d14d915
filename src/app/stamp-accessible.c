/* stamp-accessible.c
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

#define G_LOG_DOMAIN "stamp-accessible"

#include "config.h"

#include "stamp-accessible.h"

/**
 * stamp_button_set_mnemonic_label:
 * @button: a button
 * @label: (nullable): the text with an underlined mnemonic, or %NULL to
 *   keep the button's current label
 *
 * Shows @label on @button with its mnemonic. GTK 4.8 names a button whose
 * label property has a mnemonic by the raw label and then the shown one
 * ("_Next Next"). A label child of the button's own keeps the mnemonic,
 * and the button is named once, by that label.
 */
void
stamp_button_set_mnemonic_label (GtkButton  *button,
                                 const char *label)
{
  g_autofree char *text = g_strdup (label != NULL ? label : gtk_button_get_label (button));
  GtkWidget *child = gtk_button_get_child (button);

  g_return_if_fail (text != NULL);

  /* A label the label property made is replaced by one of our own. */
  if (!GTK_IS_LABEL (child) || gtk_button_get_label (button) != NULL)
    {
      child = gtk_label_new (NULL);
      gtk_label_set_use_underline (GTK_LABEL (child), TRUE);
      gtk_label_set_mnemonic_widget (GTK_LABEL (child), GTK_WIDGET (button));
      gtk_button_set_child (button, child);
      /* The label property's name stays behind unless taken back. */
      gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
      /* The padding of a button with a text label. */
      gtk_widget_add_css_class (GTK_WIDGET (button), "text-button");
    }
  gtk_label_set_label (GTK_LABEL (child), text);
}

/**
 * stamp_name_mnemonic_buttons:
 * @root: a widget, such as a template's
 *
 * Gives every button in @root whose label has a mnemonic a label child of
 * its own, as stamp_button_set_mnemonic_label() does, so that .ui files
 * keep the plain label and use-underline properties.
 */
void
stamp_name_mnemonic_buttons (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child)
          && gtk_button_get_use_underline (GTK_BUTTON (child))
          && gtk_button_get_label (GTK_BUTTON (child)) != NULL)
        stamp_button_set_mnemonic_label (GTK_BUTTON (child), NULL);
      else
        stamp_name_mnemonic_buttons (child);
    }
}

/**
 * stamp_find_descendant:
 * @widget: a widget
 * @type: the type of the descendant
 * @css_class: (nullable): a style class the descendant has
 *
 * Finds a part that a composite widget, such as a libadwaita row, builds
 * for itself and does not give out.
 *
 * Returns: (transfer none) (nullable): the first descendant of @widget
 *   of @type with @css_class, depth first, leaving out hidden ones
 */
GtkWidget *
stamp_find_descendant (GtkWidget  *widget,
                       GType       type,
                       const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (css_class == NULL || gtk_widget_has_css_class (child, css_class)))
        return child;
      if ((found = stamp_find_descendant (child, type, css_class)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_header (AdwExpanderRow *row)
{
  return stamp_find_descendant (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "header");
}

/* libadwaita 1.2 does not tell assistive technologies whether the expander
 * is open (later versions do, on the same row). */
static void
expanded_cb (AdwExpanderRow *row)
{
  GtkWidget *header = find_header (row);

  if (header != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (header),
                                 GTK_ACCESSIBLE_STATE_EXPANDED,
                                 adw_expander_row_get_expanded (row),
                                 -1);
}

/* Enter on the expander's header opens or closes it, as Space does; left
 * alone it would reach the window and press its default button. Enter in
 * the rows inside still goes there. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AdwExpanderRow        *row)
{
  GtkWidget *header;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;
  if ((state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;

  header = find_header (row);
  if (header == NULL || !gtk_widget_has_focus (header))
    return GDK_EVENT_PROPAGATE;

  adw_expander_row_set_expanded (row, !adw_expander_row_get_expanded (row));
  return GDK_EVENT_STOP;
}

/**
 * stamp_expander_row_open_by_keys:
 * @row: an expander row
 * @list_name: (nullable): the accessible name of the list of rows inside
 *
 * Lets Enter open and close @row, says whether it is open, and names the
 * list of its rows, which libadwaita 1.2 leaves undone.
 */
void
stamp_expander_row_open_by_keys (AdwExpanderRow *row,
                                 const char     *list_name)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkWidget *list;

  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), row, 0);
  gtk_widget_add_controller (GTK_WIDGET (row), keys);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expanded_cb), NULL);
  expanded_cb (row);

  list = stamp_find_descendant (GTK_WIDGET (row), GTK_TYPE_LIST_BOX, "nested");
  if (list != NULL && list_name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, list_name,
                                    -1);
}

static void
closed_child_cb (GtkExpander *expander)
{
  GtkWidget *child = gtk_expander_get_child (expander);

  if (child != NULL)
    gtk_widget_set_visible (child, gtk_expander_get_expanded (expander));
}

/**
 * stamp_expander_hide_closed_child:
 * @expander: an expander
 *
 * Hides the child of @expander while it is closed. GTK 4.8 takes a closed
 * expander's child out of the window but still offers it the focus: a
 * selectable label or a text view there takes Tab, and the focus stops
 * where neither a person nor a screen reader can follow it.
 */
void
stamp_expander_hide_closed_child (GtkExpander *expander)
{
  g_signal_connect (expander, "notify::expanded", G_CALLBACK (closed_child_cb), NULL);
  closed_child_cb (expander);
}

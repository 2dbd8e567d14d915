/* stamp-test-widgets.c
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

#define G_LOG_DOMAIN "stamp-test-widgets"

#include "config.h"

#include <string.h>

#include "stamp-test-time.h"
#include "stamp-test-widgets.h"

/* Driving a real widget tree in the app tests: waiting on the main loop,
 * finding widgets by what a person sees, and screenshots. */

/* What an idle machine needs at the most, stretched by stamp_test_bound(). */
#define WAIT_TIMEOUT_SECONDS 30

/* Waiting */

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
stamp_test_wait_until (StampTestWaitPredicate predicate,
                       gpointer               data,
                       const char            *what)
{
  gboolean timed_out = FALSE;
  guint timeout_ms = stamp_test_bound (WAIT_TIMEOUT_SECONDS) / 1000;
  guint timeout_id;

  timeout_id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", timeout_ms / 1000, what);

  g_source_remove (timeout_id);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Xvfb has no window manager, and under load a toplevel now and then
 * misses the map it asked for; asking again costs nothing. */
static gboolean
present_again_cb (gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (data);

  if (GTK_IS_WINDOW (root) && !gtk_widget_get_mapped (data))
    gtk_window_present (GTK_WINDOW (root));

  return G_SOURCE_CONTINUE;
}

static gboolean
counter_reached_two (gpointer data)
{
  return *(guint *)data >= 2;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *painted = user_data;

  (*painted)++;
}

static gboolean
request_paint_cb (gpointer data)
{
  gtk_widget_queue_draw (data);

  return G_SOURCE_CONTINUE;
}

/* The draw is asked for again every 100 ms: on Xvfb, with another test
 * drawing on the same display, a frame clock now and then lets a single
 * request go. */
void
stamp_test_wait_for_frames (GtkWidget *widget)
{
  GdkFrameClock *frame_clock;
  guint painted = 0;
  gulong handler_id;
  guint request_id;

  request_id = g_timeout_add (500, present_again_cb, widget);
  stamp_test_wait_until (widget_is_mapped, widget, "the widget to be mapped");
  g_source_remove (request_id);

  frame_clock = gtk_widget_get_frame_clock (widget);
  handler_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  request_id = g_timeout_add (100, request_paint_cb, widget);
  stamp_test_wait_until (counter_reached_two, &painted, "two painted frames");
  g_source_remove (request_id);
  g_signal_handler_disconnect (frame_clock, handler_id);
}

/* Screenshots: the widget as its last frame painted it, turned into a
 * texture by the window's own renderer, the way GTK draws it.
 *
 * A GtkWidgetPaintable shows the render node the widget kept from its last
 * paint, and any change since (a label, a page, the colour scheme) drops
 * that node until the next frame: a picture taken then is empty, and a
 * test that took one right after a change failed now and then. So each
 * screenshot waits for a paint of its own and takes the picture before the
 * main loop runs again; only a change that the painted frame queued itself
 * can still drop the node, and then it waits for the next one. */

#define SCREENSHOT_ATTEMPTS 10

static GskRenderNode *
snapshot_painted (GtkWidget *widget)
{
  for (guint attempt = 0; attempt < SCREENSHOT_ATTEMPTS; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = NULL;
      GtkSnapshot *snapshot;
      GskRenderNode *node;

      stamp_test_wait_for_frames (widget);
      paintable = gtk_widget_paintable_new (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        return node;
    }

  g_error ("%s was not painted in %u frames", G_OBJECT_TYPE_NAME (widget), SCREENSHOT_ATTEMPTS);
}

void
stamp_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("STAMP_SCREENSHOT_DIR");
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL || *dir == '\0')
    return;

  node = snapshot_painted (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved screenshot %s", path);
}

void
stamp_test_save_light_and_dark (GtkWidget  *widget,
                                const char *name)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", name);

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  stamp_test_wait_for_frames (widget);
  stamp_test_save_screenshot (widget, light);

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  stamp_test_wait_for_frames (widget);
  g_assert_true (adw_style_manager_get_dark (style_manager));
  stamp_test_save_screenshot (widget, dark);

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* Finding widgets */

GtkWidget *
stamp_test_find_widget (GtkWidget           *widget,
                        StampTestWidgetMatch match,
                        gconstpointer        data)
{
  if (match (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = stamp_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
stamp_test_is_row_titled (GtkWidget    *widget,
                          gconstpointer data)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

gboolean
stamp_test_is_mapped_button_for (GtkWidget    *widget,
                                 gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

/* The text a button shows: its label property, or the label child that a
 * button with a mnemonic has of its own. */
const char *
stamp_test_button_get_label (GtkWidget *button)
{
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));

  if (gtk_button_get_label (GTK_BUTTON (button)) != NULL)
    return gtk_button_get_label (GTK_BUTTON (button));
  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : NULL;
}

gboolean
stamp_test_is_mapped_button_labelled (GtkWidget    *widget,
                                      gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (stamp_test_button_get_label (widget), data) == 0;
}

gboolean
stamp_test_is_mapped_label_containing (GtkWidget    *widget,
                                       gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

gboolean
stamp_test_is_of_type (GtkWidget    *widget,
                       gconstpointer data)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), GPOINTER_TO_SIZE (data));
}

void
stamp_test_click_button (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* Not gtk_widget_activate(): a button shows the press for a moment first. */
  g_signal_emit_by_name (button, "clicked");
}

/* Every button and entry on screen can be reached with the keyboard and
 * has a name for screen readers. */
void
stamp_test_check_controls (GtkWidget *widget)
{
  if (gtk_widget_get_mapped (widget)
      && (GTK_IS_BUTTON (widget) || ADW_IS_ENTRY_ROW (widget) || GTK_IS_CHECK_BUTTON (widget)
          || GTK_IS_SPIN_BUTTON (widget))
      && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    {
      const char *label = GTK_IS_BUTTON (widget) ? stamp_test_button_get_label (widget) : NULL;

      /* Entry rows, spin buttons and check buttons take focus in a child. */
      if (!gtk_widget_get_focusable (widget) && !ADW_IS_ENTRY_ROW (widget)
          && !GTK_IS_CHECK_BUTTON (widget) && !GTK_IS_SPIN_BUTTON (widget))
        g_error ("A %s (%s) cannot take the keyboard focus", G_OBJECT_TYPE_NAME (widget),
                 label != NULL ? label : gtk_widget_get_tooltip_text (widget));
      /* A control is named once: by its label or by its title, not both. A
       * row's title names its entry, and an accessible label would be
       * read before it, a second time. */
      if (ADW_IS_PREFERENCES_ROW (widget))
        {
          const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

          if (title == NULL || *title == '\0')
            g_error ("A %s has no title to name it", G_OBJECT_TYPE_NAME (widget));
          if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL))
            g_error ("The %s “%s” is named by its title and by an accessible label",
                     G_OBJECT_TYPE_NAME (widget), title);
        }
      else if (label == NULL && !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                                   GTK_ACCESSIBLE_PROPERTY_LABEL)
               && !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY)
               && gtk_widget_get_tooltip_text (widget) == NULL)
        g_error ("A %s has no accessible name", G_OBJECT_TYPE_NAME (widget));
      /* GTK 4.8 reads a mnemonic label property raw and then as shown. */
      else if (label != NULL && strchr (label, '_') != NULL
               && gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("The button “%s” is named by its label with the underscore", label);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    stamp_test_check_controls (child);
}

/* The row titled @title under @widget; fails the test when there is none. */
GtkWidget *
stamp_test_find_row (GtkWidget  *widget,
                     const char *title)
{
  GtkWidget *row = stamp_test_find_widget (widget, stamp_test_is_row_titled, title);

  if (row == NULL)
    g_error ("No row titled “%s”", title);

  return row;
}

/* test-window.c
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

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "stamp-application.h"
#include "stamp-window.h"

/* Drives the real StampApplication and StampWindow on a real display (Xvfb in
 * the test suite). With STAMP_SCREENSHOT_DIR set, the tests also save PNG
 * screenshots of what they checked, rendered from the widget tree. */

#define WAIT_TIMEOUT_SECONDS 10

typedef gboolean (*WaitPredicate) (gpointer data);

static StampApplication *app;

static gboolean
timed_out_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until (WaitPredicate predicate,
            gpointer      data,
            const char   *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timed_out_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %d s waiting for %s", WAIT_TIMEOUT_SECONDS, what);

  g_source_remove (timeout_id);
}

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
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

/* Waits until @widget is on screen and two frames have been painted since the
 * call, so that style and size changes have been laid out and drawn. */
static void
wait_for_frames (GtkWidget *widget)
{
  GdkFrameClock *frame_clock;
  guint painted = 0;
  gulong handler_id;

  wait_until (widget_is_mapped, widget, "the widget to be mapped");

  frame_clock = gtk_widget_get_frame_clock (widget);
  handler_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  wait_until (counter_reached_two, &painted, "two painted frames");
  g_signal_handler_disconnect (frame_clock, handler_id);
}

typedef struct
{
  GtkWindow *window;
  int        width;
} WidthCheck;

/* The surface, not the widget: without a compositor (Xvfb) GTK keeps a few
 * pixels of the surface for its solid window frame. */
static gboolean
surface_has_width (gpointer data)
{
  WidthCheck *check = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (check->window));

  return gdk_surface_get_width (surface) == check->width;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_items = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }

  return NULL;
}

/* Renders @widget's tree the way GTK draws it: a snapshot of the widget, turned
 * into a texture by the window's own renderer. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("STAMP_SCREENSHOT_DIR");
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL || *dir == '\0')
    return;

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved screenshot %s", path);
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

/* Opens a window at @width × @height, or at the default size for 0 × 0. */
static GtkWindow *
open_window_with_size (int width,
                       int height)
{
  GtkWindow *window;

  reset_settings ();

  window = GTK_WINDOW (stamp_window_new (app));
  if (width > 0 && height > 0)
    gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  wait_for_frames (GTK_WIDGET (window));

  return window;
}

static GtkWindow *
open_window (void)
{
  return open_window_with_size (0, 0);
}

static void
test_window_empty_state (void)
{
  GtkWindow *window;
  GtkWidget *status_page;
  GtkIconTheme *icon_theme;
  const char *description;

  reset_settings ();

  /* The path a launch takes: activating the application opens the window. */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window));

  status_page = find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status_page);
  g_assert_true (gtk_widget_get_mapped (status_page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   "No Sending Accounts Yet");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (status_page));
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, "test message"));

  /* The app icon comes from the GResource, so it shows without an install. */
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status_page)), ==,
                   "io.github.stampmail.Stamp");
  icon_theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (status_page));
  g_assert_true (gtk_icon_theme_has_icon (icon_theme, "io.github.stampmail.Stamp"));

  /* No dead controls: the empty state has nothing to click yet. */
  g_assert_null (find_descendant (status_page, GTK_TYPE_BUTTON));

  save_screenshot (GTK_WIDGET (window), "window.png");

  gtk_window_destroy (window);
}

static void
test_window_title (void)
{
  GtkWindow *window = open_window ();

  g_assert_cmpstr (gtk_window_get_title (window), ==, "Stamp");
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==,
                   g_strcmp0 (PROFILE, "development") == 0);

  gtk_window_destroy (window);
}

static void
test_window_primary_menu (void)
{
  GtkWindow *window = open_window ();
  GtkWidget *menu_button;
  GtkWidget *popover;
  GMenuModel *menu;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  char *error;

  menu_button = find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu_button)));

  /* An icon-only button needs a name for screen readers. */
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (menu_button),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Main Menu");
  g_assert_null (error);

  /* Every item leads somewhere: no menu entry without an action behind it. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      g_assert_nonnull (section);
      for (int j = 0; j < g_menu_model_get_n_items (section); j++)
        {
          char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION,
                                                          "s", &action));
          g_ptr_array_add (actions, action);
        }
    }

  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (actions, 0), ==, "win.show-help-overlay");
  g_assert_cmpstr (g_ptr_array_index (actions, 1), ==, "app.about");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));

  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  wait_for_frames (popover);
  save_screenshot (popover, "primary-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));

  gtk_window_destroy (window);
}

static void
assert_accel (const char *action,
              const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *)accels, accel));
}

static void
test_window_shortcuts (void)
{
  GtkWindow *window = open_window ();
  GtkShortcutsWindow *help_overlay;

  assert_accel ("app.quit", "<Control>q");
  assert_accel ("window.close", "<Control>w");
  assert_accel ("win.show-help-overlay", "<Control>question");

  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (help_overlay);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  wait_for_frames (GTK_WIDGET (help_overlay));
  save_screenshot (GTK_WIDGET (help_overlay), "shortcuts.png");

  gtk_window_destroy (window);
}

static void
test_window_size_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  GtkWindow *window = open_window ();
  int width;
  int height;

  gtk_window_set_default_size (window, 500, 420);
  wait_for_frames (GTK_WIDGET (window));
  gtk_window_close (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 500);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 420);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at the saved size. */
  window = GTK_WINDOW (stamp_window_new (app));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 500);
  g_assert_cmpint (height, ==, 420);

  gtk_window_destroy (window);
  reset_settings ();
}

static void
test_window_narrow (void)
{
  /* 360 px is the narrowest width the metainfo promises, as on a phone. */
  GtkWindow *window = open_window_with_size (360, 640);
  WidthCheck check = { window, 360 };
  GtkWidget *status_page;

  wait_until (surface_has_width, &check, "the window to be 360 px wide");
  wait_for_frames (GTK_WIDGET (window));

  /* Nothing is cut off: the empty state fits in the window. */
  status_page = find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_cmpint (gtk_widget_get_width (status_page), <=,
                   gtk_widget_get_width (GTK_WIDGET (window)));

  save_screenshot (GTK_WIDGET (window), "window-narrow.png");

  gtk_window_destroy (window);
}

static void
test_window_dark (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkWindow *window = open_window ();

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  wait_for_frames (GTK_WIDGET (window));
  g_assert_true (adw_style_manager_get_dark (style_manager));

  save_screenshot (GTK_WIDGET (window), "window-dark.png");

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (window);
}

static void
test_application_about (void)
{
  GtkWindow *window = open_window ();
  GtkWindow *about;

  g_assert_null (find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == window);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "The Stamp authors");

  wait_for_frames (GTK_WIDGET (about));
  save_screenshot (GTK_WIDGET (about), "about.png");

  gtk_window_destroy (about);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/window/empty-state", test_window_empty_state);
  g_test_add_func ("/stamp/app/window/title", test_window_title);
  g_test_add_func ("/stamp/app/window/primary-menu", test_window_primary_menu);
  g_test_add_func ("/stamp/app/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/stamp/app/window/size-saved", test_window_size_saved);
  g_test_add_func ("/stamp/app/window/narrow", test_window_narrow);
  g_test_add_func ("/stamp/app/window/dark", test_window_dark);
  g_test_add_func ("/stamp/app/about", test_application_about);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

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
#include <glib/gstdio.h>

#include "stamp-application.h"
#include "stamp-preferences-window.h"
#include "stamp-setup-assistant.h"
#include "stamp-test-widgets.h"
#include "stamp-window.h"

/* Drives the real StampApplication and StampWindow on a real display (Xvfb in
 * the test suite). With STAMP_SCREENSHOT_DIR set, the tests also save PNG
 * screenshots of what they checked, rendered from the widget tree.
 *
 * The process gets a private XDG_CONFIG_HOME, so the account file starts out
 * missing. Tests that need an account file before the application starts
 * write one into a fresh folder and run themselves again in a subprocess
 * whose XDG_CONFIG_HOME is that folder (STAMP_TEST_CONFIG_HOME). */

static StampApplication *app;
static char *config_home;

static gboolean
widget_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;

  return G_SOURCE_CONTINUE;
}

static gboolean
counter_reached_thirty (gpointer data)
{
  return *(guint *)data >= 30;
}

/* Lets animations (a toast sliding in, an entry row's title moving up) end
 * before a screenshot: about half a second of frames. The tick callback
 * keeps the frame clock running; under Xvfb, GTK 4.8 may not paint again
 * after the frame clock has been idle (seen after a stack transition). */
static void
settle (GtkWidget *widget)
{
  guint frames = 0;
  guint tick_id;

  stamp_test_wait_until (widget_is_mapped, widget, "the widget to be mapped");
  tick_id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  stamp_test_wait_until (counter_reached_thirty, &frames, "thirty frames");
  gtk_widget_remove_tick_callback (widget, tick_id);
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
  return stamp_test_find_widget (widget, stamp_test_is_of_type, GSIZE_TO_POINTER (type));
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

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static gboolean
is_actionable_for (GtkWidget    *widget,
                   gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  return stamp_test_find_widget (widget, is_actionable_for, action_name);
}

static char *
accounts_file (void)
{
  return g_build_filename (config_home, "stamp", "accounts.json", NULL);
}

static gboolean
is_label_with_text (GtkWidget    *widget,
                    gconstpointer data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static gboolean
text_has_label (GtkWidget  *widget,
                const char *text)
{
  return stamp_test_find_widget (widget, is_label_with_text, text) != NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelCheck;

static gboolean
label_shown (gpointer data)
{
  LabelCheck *check = data;

  return text_has_label (check->widget, check->text);
}

static void
wait_for_label (GtkWidget  *widget,
                const char *text)
{
  LabelCheck check = { widget, text };
  g_autofree char *what = g_strdup_printf ("the label “%s”", text);

  stamp_test_wait_until (label_shown, &check, what);
}

/* The window's own stack, not the one inside the primary menu's popover. */
static GtkStack *
window_stack (GtkWindow *window)
{
  GtkWidget *overlay = find_descendant (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);

  g_assert_nonnull (overlay);
  return GTK_STACK (find_descendant (overlay, GTK_TYPE_STACK));
}

typedef struct
{
  GtkStack   *stack;
  const char *name;
} PageCheck;

/* Shown, and done fading in. */
static gboolean
page_shown (gpointer data)
{
  PageCheck *check = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (check->stack), check->name) == 0 &&
         !gtk_stack_get_transition_running (check->stack);
}

/* The accounts are read after the first frame, so the page that depends on
 * them comes a little later than the window. */
static void
wait_for_page (GtkWindow  *window,
               const char *name)
{
  PageCheck check = { window_stack (window), name };
  g_autofree char *what = g_strdup_printf ("the page “%s”", name);

  stamp_test_wait_until (page_shown, &check, what);
  stamp_test_wait_for_frames (GTK_WIDGET (window));
}

/* Runs the current test again in a subprocess whose account file holds
 * @contents when the application starts. */
static void
run_with_account_file (const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("stamp-test-window-XXXXXX", NULL);
  g_autofree char *stamp_dir = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (dir);
  stamp_dir = g_build_filename (dir, "stamp", NULL);
  path = g_build_filename (stamp_dir, "accounts.json", NULL);
  g_assert_cmpint (g_mkdir_with_parents (stamp_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  g_setenv ("STAMP_TEST_CONFIG_HOME", dir, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("STAMP_TEST_CONFIG_HOME");

  remove_tree (dir);
  g_test_trap_assert_passed ();
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "default-test-recipient");
  g_settings_reset (settings, "connect-timeout");
  g_settings_reset (settings, "reply-timeout");
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
  stamp_test_wait_for_frames (GTK_WIDGET (window));

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
  GtkWidget *button;
  g_autofree char *path = NULL;
  const char *description;

  reset_settings ();

  /* The path a launch takes: activating the application opens the window. */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  wait_for_page (window, "empty");

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

  /* One clear way forward, and no Add button repeating it in the header bar. */
  button = find_descendant (status_page, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Set Up Sending");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.add-account");
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_get_mapped (find_actionable (find_descendant (GTK_WIDGET (window),
                                                                          ADW_TYPE_HEADER_BAR),
                                                         "win.add-account")));

  /* Nothing was written: looking costs no file. */
  path = accounts_file ();
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  stamp_test_save_screenshot (GTK_WIDGET (window), "window.png");

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

  g_assert_cmpuint (actions->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (actions, 0), ==, "app.preferences");
  g_assert_cmpstr (g_ptr_array_index (actions, 1), ==, "win.show-help-overlay");
  g_assert_cmpstr (g_ptr_array_index (actions, 2), ==, "app.about");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));

  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  stamp_test_wait_for_frames (popover);
  stamp_test_save_screenshot (popover, "primary-menu.png");
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
  assert_accel ("app.preferences", "<Control>comma");
  assert_accel ("win.add-account", "<Control>n");
  assert_accel ("win.show-help-overlay", "<Control>question");

  help_overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (help_overlay);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  stamp_test_wait_for_frames (GTK_WIDGET (help_overlay));
  stamp_test_save_screenshot (GTK_WIDGET (help_overlay), "shortcuts.png");

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
  stamp_test_wait_for_frames (GTK_WIDGET (window));
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

  stamp_test_wait_until (surface_has_width, &check, "the window to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (window));

  /* Nothing is cut off: the empty state fits in the window. */
  status_page = find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_cmpint (gtk_widget_get_width (status_page), <=,
                   gtk_widget_get_width (GTK_WIDGET (window)));

  stamp_test_save_screenshot (GTK_WIDGET (window), "window-narrow.png");

  gtk_window_destroy (window);
}

static void
test_window_dark (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkWindow *window = open_window ();

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_true (adw_style_manager_get_dark (style_manager));

  stamp_test_save_screenshot (GTK_WIDGET (window), "window-dark.png");

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

  stamp_test_wait_for_frames (GTK_WIDGET (about));
  stamp_test_save_screenshot (GTK_WIDGET (about), "about.png");

  gtk_window_destroy (about);
  gtk_window_destroy (window);
}

static void
test_window_set_up_sending (void)
{
  GtkWindow *window = open_window ();
  GtkWindow *assistant;
  GtkWidget *button;

  wait_for_page (window, "empty");
  g_assert_null (find_toplevel (STAMP_TYPE_SETUP_ASSISTANT));

  button = find_descendant (find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE),
                            GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  assistant = find_toplevel (STAMP_TYPE_SETUP_ASSISTANT);
  g_assert_nonnull (assistant);
  g_assert_true (gtk_window_get_transient_for (assistant) == window);
  g_assert_true (gtk_window_get_modal (assistant));

  gtk_window_destroy (assistant);
  gtk_window_destroy (window);
}

/* A damaged file is set aside, never lost, and the window says so. */
static void
test_window_damaged_file (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *stamp_dir = NULL;
  g_autofree char *moved = NULL;
  GtkWindow *window;
  GtkWindow *dialog;
  GtkWidget *overlay;
  GtkWidget *details;
  const char *name;

  if (!g_test_subprocess ())
    {
      run_with_account_file ("{\"format\": 1, \"accounts\": [");
      return;
    }

  reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  wait_for_page (window, "empty");
  g_assert_nonnull (stamp_account_store_get_problem (stamp_application_get_account_store (app)));

  stamp_dir = g_build_filename (config_home, "stamp", NULL);
  dir = g_dir_open (stamp_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "accounts.json.unreadable-"))
        moved = g_strdup (name);
    }
  g_assert_nonnull (moved);

  overlay = find_descendant (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);
  wait_for_label (overlay, "Some accounts could not be read");
  settle (GTK_WIDGET (window));
  stamp_test_save_screenshot (GTK_WIDGET (window), "damaged-file.png");

  /* The toast's button opens the whole message, which says where the file is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-details", "(ss)",
                                             "Some accounts could not be read",
                                             stamp_account_store_get_problem (
                                               stamp_application_get_account_store (app))));
  details = GTK_WIDGET (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (details);
  dialog = GTK_WINDOW (details);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), moved));

  gtk_window_destroy (dialog);
  gtk_window_destroy (window);
}

static void
test_application_preferences (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  GtkWindow *window = open_window ();
  GtkWindow *preferences;
  GtkWidget *recipient_row;
  GtkWidget *spin;

  g_assert_null (find_toplevel (STAMP_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (STAMP_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == window);
  stamp_test_wait_for_frames (GTK_WIDGET (preferences));

  /* Opening saves nothing. */
  g_assert_cmpstr (g_settings_get_string (settings, "default-test-recipient"), ==, "");

  recipient_row = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (recipient_row);

  /* What is not an address is marked and not saved. */
  gtk_editable_set_text (GTK_EDITABLE (recipient_row), "not an address");
  g_assert_true (gtk_widget_has_css_class (recipient_row, "error"));
  g_assert_cmpstr (g_settings_get_string (settings, "default-test-recipient"), ==, "");

  gtk_editable_set_text (GTK_EDITABLE (recipient_row), "tester@example.com");
  g_assert_false (gtk_widget_has_css_class (recipient_row, "error"));
  g_assert_cmpstr (g_settings_get_string (settings, "default-test-recipient"), ==,
                   "tester@example.com");

  /* The first spin button is the connection time limit. */
  spin = find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 15);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 42);
  g_assert_cmpint (g_settings_get_int (settings, "connect-timeout"), ==, 42);

  settle (GTK_WIDGET (preferences));
  stamp_test_save_screenshot (GTK_WIDGET (preferences), "preferences.png");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  settle (GTK_WIDGET (preferences));
  stamp_test_save_screenshot (GTK_WIDGET (preferences), "preferences-dark.png");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (preferences);
  gtk_window_destroy (window);
  reset_settings ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean own_config_home = FALSE;
  int ret;

  /* Before GTK starts: GLib keeps the first value it reads. */
  config_home = g_strdup (g_getenv ("STAMP_TEST_CONFIG_HOME"));
  if (config_home == NULL)
    {
      config_home = g_dir_make_tmp ("stamp-test-window-XXXXXX", &error);
      g_assert_no_error (error);
      own_config_home = TRUE;
    }
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

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
  g_test_add_func ("/stamp/app/window/set-up-sending", test_window_set_up_sending);
  g_test_add_func ("/stamp/app/window/damaged-file", test_window_damaged_file);
  g_test_add_func ("/stamp/app/about", test_application_about);
  g_test_add_func ("/stamp/app/preferences", test_application_preferences);

  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

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
#include "stamp-test-window.h"
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

static char *
accounts_file (void)
{
  return g_build_filename (config_home, "stamp", "accounts.json", NULL);
}


/* Opens a window at @width × @height, or at the default size for 0 × 0. */
static GtkWindow *
open_window_with_size (int width,
                       int height)
{
  GtkWindow *window;

  stamp_test_reset_settings ();

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

  stamp_test_reset_settings ();

  /* The path a launch takes: activating the application opens the window. */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  stamp_test_wait_for_page (window, "empty");

  status_page = stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
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
  button = stamp_test_find_descendant (status_page, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  /* The button's label is a child of its own, so that GTK 4.8 does not read
   * the mnemonic twice. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))), ==,
                   "_Set Up Sending");
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_cmpuint (gtk_label_get_mnemonic_keyval (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))),
                    ==, GDK_KEY_S);
  g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))))
                 == button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.add-account");
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_get_mapped (stamp_test_find_actionable (stamp_test_find_descendant (GTK_WIDGET (window),
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

  menu_button = stamp_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
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
  stamp_test_reset_settings ();
}

static void
test_window_narrow (void)
{
  /* 360 px is the narrowest width the metainfo promises, as on a phone. */
  GtkWindow *window = open_window_with_size (360, 640);
  StampTestWidthCheck check = { window, 360 };
  GtkWidget *status_page;

  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the window to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (window));

  /* Nothing is cut off: the empty state fits in the window. */
  status_page = stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
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

  g_assert_null (stamp_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = stamp_test_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
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

  stamp_test_wait_for_page (window, "empty");
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT));

  button = stamp_test_find_descendant (stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE),
                            GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");

  assistant = stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT);
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
      stamp_test_run_with_account_file ("{\"format\": 1, \"accounts\": [");
      return;
    }

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  stamp_test_wait_for_page (window, "empty");
  g_assert_nonnull (stamp_account_store_get_problem (stamp_application_get_account_store (app)));

  stamp_dir = g_build_filename (config_home, "stamp", NULL);
  dir = g_dir_open (stamp_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "accounts.json.unreadable-"))
        moved = g_strdup (name);
    }
  g_assert_nonnull (moved);

  overlay = stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);
  stamp_test_wait_for_label (overlay, "Some accounts could not be read");
  settle (GTK_WIDGET (window));
  stamp_test_save_screenshot (GTK_WIDGET (window), "damaged-file.png");

  /* The toast's button opens the whole message, which says where the file is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-details", "(ss)",
                                             "Some accounts could not be read",
                                             stamp_account_store_get_problem (
                                               stamp_application_get_account_store (app))));
  details = GTK_WIDGET (stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
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

  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = stamp_test_find_toplevel (STAMP_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == window);
  stamp_test_wait_for_frames (GTK_WIDGET (preferences));

  /* Opening saves nothing. */
  g_assert_cmpstr (g_settings_get_string (settings, "default-test-recipient"), ==, "");

  recipient_row = stamp_test_find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW);
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
  spin = stamp_test_find_descendant (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON);
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
  stamp_test_reset_settings ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-window", &own_config_home);

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
    stamp_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

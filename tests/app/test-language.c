/* test-language.c
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

#define G_LOG_DOMAIN "test-language"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "stamp-application.h"
#include "stamp-setup-assistant.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* Starts the real app in German (LANGUAGE=de, the build's catalogs through
 * STAMP_LOCALEDIR) and checks that the window and the setup assistant speak
 * German. The German words come from the catalog itself, so the test does
 * not pin a translation, only that there is one and that it is shown. With
 * STAMP_SCREENSHOT_DIR set it saves the pages in German. */

static StampApplication *app;

/* Returns the German for @english, failing if the catalog has none. */
static const char *
german (const char *english)
{
  const char *translated = _(english);

  g_assert_cmpstr (translated, !=, english);
  return translated;
}

static void
test_language_window (void)
{
  GtkWindow *window;
  GtkWidget *status_page;

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  stamp_test_wait_for_page (window, "empty");

  status_page = stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status_page)), ==,
                   german ("No Sending Accounts Yet"));
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  stamp_test_save_light_and_dark (GTK_WIDGET (window), "window-de");
}

static void
test_language_assistant (void)
{
  GtkWindow *window;
  GtkWindow *assistant;

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  stamp_test_wait_for_page (window, "empty");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-account", NULL));
  assistant = stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT);
  g_assert_nonnull (assistant);
  stamp_test_wait_for_frames (GTK_WIDGET (assistant));
  stamp_test_wait_for_label (GTK_WIDGET (assistant), german ("Email Address"));
  stamp_test_save_light_and_dark (GTK_WIDGET (assistant), "assistant-de");

  gtk_window_destroy (assistant);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  int ret;

  /* Before GTK starts: GLib keeps the first value it reads. */
  config_home = g_dir_make_tmp ("stamp-test-language-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  /* LANGUAGE counts only when the locale is not plain "C". */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);

  /* gtk_test_init() keeps the "C" locale; the app's main() does not. */
  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "");
  stamp_bind_text_domain ();

  app = stamp_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/language/window", test_language_window);
  g_test_add_func ("/stamp/app/language/assistant", test_language_assistant);

  ret = g_test_run ();

  g_clear_object (&app);
  stamp_test_remove_tree (config_home);

  return ret;
}

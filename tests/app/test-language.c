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
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-view.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* Starts the real app in German (LANGUAGE=de, the build's catalogs through
 * STAMP_LOCALEDIR) and checks that the window and every page of the setup
 * assistant speak German, down to a failure explained from the diagnosis
 * data. The German words come from the catalog itself, so the test does not
 * pin a translation, only that there is one and that it is shown. With
 * STAMP_SCREENSHOT_DIR set it saves the pages in German, light and dark. */

#define ADDRESS "scanner@example.test"

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

static gboolean
page_has_settled (gpointer data)
{
  GtkStack *stack = GTK_STACK (stamp_test_find_widget (data, stamp_test_is_of_type,
                                                       GSIZE_TO_POINTER (GTK_TYPE_STACK)));

  return !gtk_stack_get_transition_running (stack);
}

static gboolean
next_is_enabled (gpointer data)
{
  GtkWidget *next = stamp_test_find_widget (data, stamp_test_is_mapped_button_for,
                                            "assistant.next");

  return next != NULL && gtk_widget_is_sensitive (next);
}

static void
go_next (GtkWidget  *assistant,
         const char *screenshot)
{
  stamp_test_wait_until (next_is_enabled, assistant, "Next to be enabled");
  stamp_test_click_button (stamp_test_find_widget (assistant, stamp_test_is_mapped_button_for,
                                                   "assistant.next"));
  stamp_test_wait_until (page_has_settled, assistant, "the page to settle");
  stamp_test_wait_for_frames (assistant);
  stamp_test_save_light_and_dark (assistant, screenshot);
}

static gboolean
test_view_is_idle (gpointer data)
{
  return !stamp_test_view_get_busy (data);
}

/* Every page of the assistant in German, with the headline failure: a
 * Microsoft 365 server that no longer takes passwords, explained from the
 * diagnosis data in German. */
static void
test_language_assistant_pages (void)
{
  g_autoptr(StampTestResolver) resolver = stamp_test_resolver_install ();
  g_autoptr(StampTestServer) server = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
  g_autoptr(GError) error = NULL;
  g_autofree char *ca_file = stamp_test_cert_path ("ca.pem");
  StampSetupAssistant *assistant;
  GtkWidget *window;
  StampTestView *view;

  server = stamp_test_server_start ("starttls", "--user", ADDRESS, "--password", "unused",
                                    "--reply",
                                    "auth=535 5.7.139 Authentication unsuccessful, basic "
                                    "authentication is disabled.",
                                    NULL);
  stamp_account_set_host (account, "127.0.0.1");
  stamp_account_set_port (account, stamp_test_server_get_port (server));
  stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
  stamp_account_set_ca_file (account, ca_file);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_AUTO);
  stamp_account_set_username (account, ADDRESS);

  store = stamp_account_store_new (NULL);
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_no_error (error);
  stamp_account_store_add (store, account);

  assistant = stamp_setup_assistant_new (NULL, store);
  window = GTK_WIDGET (assistant);
  gtk_window_present (GTK_WINDOW (assistant));
  stamp_setup_assistant_set_account (assistant, account);
  stamp_test_wait_for_frames (window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (assistant)), ==, german ("Change Account"));
  stamp_test_save_light_and_dark (window, "setup-address-de");

  go_next (window, "setup-server-de");
  stamp_test_find_row (window, german ("Server Name"));

  go_next (window, "setup-sign-in-de");
  gtk_editable_set_text (GTK_EDITABLE (stamp_test_find_row (window, german ("Password"))), "not-the-password");

  go_next (window, "setup-test-de");
  gtk_editable_set_text (GTK_EDITABLE (stamp_test_find_row (window, german ("Send To"))), "desk@example.test");
  view = STAMP_TEST_VIEW (stamp_test_find_widget (window, stamp_test_is_of_type,
                                                  GSIZE_TO_POINTER (STAMP_TYPE_TEST_VIEW)));
  stamp_test_click_button (stamp_test_find_widget (window, stamp_test_is_mapped_button_for,
                                                   "test-view.start"));
  stamp_test_wait_until (test_view_is_idle, view, "the test send to end");
  g_assert_false (stamp_test_view_get_succeeded (view));

  /* The failure's title and first step come from data/diagnosis.json. */
  stamp_test_wait_for_label (window, german ("Password sign-in is turned off"));
  stamp_test_save_light_and_dark (window, "setup-test-failed-de");

  gtk_window_destroy (GTK_WINDOW (assistant));
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
  g_test_add_func ("/stamp/app/language/assistant-pages", test_language_assistant_pages);

  ret = g_test_run ();

  g_clear_object (&app);
  stamp_test_remove_tree (config_home);

  return ret;
}

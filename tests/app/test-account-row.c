/* test-account-row.c
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

#define G_LOG_DOMAIN "test-account-row"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-secret-store.h"
#include "stamp-setup-assistant.h"
#include "stamp-test-server.h"
#include "stamp-test-view.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* The accounts list of the real StampWindow and what each row's menu does:
 * test, sign in again, change and remove. Like test-window.c, each test that
 * needs an account file runs itself again in a subprocess whose
 * XDG_CONFIG_HOME holds it (STAMP_TEST_CONFIG_HOME). Without a session bus
 * the secret store keeps secrets in memory. */

static StampApplication *app;
static char *config_home;

static char *
accounts_file (void)
{
  return g_build_filename (config_home, "stamp", "accounts.json", NULL);
}

static gboolean
has_one_row (gpointer data)
{
  g_autoptr(GPtrArray) rows = stamp_test_account_rows (data);

  return rows->len == 1;
}

static gboolean
file_lacks_printer (gpointer data)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (data, &contents, NULL, NULL));
  return strstr (contents, "printer@example.org") == NULL;
}

#define ACCOUNT_FILE_FORMAT \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"alice@contoso.onmicrosoft.com\", \"display_name\": \"Alice Example\"," \
  "   \"provider\": \"microsoft365\", \"host\": \"smtp.office365.com\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"printer@example.org\", \"host\": \"mail.example.org\", \"port\": 465," \
  "   \"security\": \"tls\", \"auth\": \"plain\"," \
  "   \"last_test\": {\"ok\": true, \"at\": \"%s\"}}" \
  "]}"

/* Two accounts, the second tested five minutes ago. */
static void
run_with_two_accounts (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, -5);
  g_autofree char *at = g_date_time_format_iso8601 (then);
  g_autofree char *contents = g_strdup_printf (ACCOUNT_FILE_FORMAT, at);

  stamp_test_run_with_account_file (contents);
}

static GtkWindow *
activate_with_accounts (void)
{
  GtkWindow *window;

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  stamp_test_wait_for_page (window, "accounts");

  return window;
}

static void
test_window_accounts_list (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autoptr(GPtrArray) rows = NULL;
  GtkWindow *window;
  GtkWidget *add_button;
  GtkWidget *menu_button;
  GtkWidget *popover;
  GtkWidget *alice;
  GtkWidget *printer;
  StampAccount *account;
  StampTestWidthCheck check;
  char *error;

  if (!g_test_subprocess ())
    {
      run_with_two_accounts ();
      return;
    }

  window = activate_with_accounts ();
  rows = stamp_test_account_rows (window);
  g_assert_cmpuint (rows->len, ==, 2);

  /* Sorted by address; the display name is the title when there is one. */
  alice = g_ptr_array_index (rows, 0);
  printer = g_ptr_array_index (rows, 1);
  account = stamp_account_row_get_account (STAMP_ACCOUNT_ROW (alice));
  g_assert_cmpstr (stamp_account_get_address (account), ==, "alice@contoso.onmicrosoft.com");
  g_assert_true (stamp_test_text_has_label (alice, "Alice Example"));
  g_assert_true (stamp_test_text_has_label (alice, "Microsoft 365 · smtp.office365.com:587 · STARTTLS"));
  g_assert_true (stamp_test_text_has_label (alice, "Not tested yet"));
  g_assert_true (stamp_test_text_has_label (printer, "printer@example.org"));
  g_assert_true (stamp_test_text_has_label (printer, "mail.example.org:465 · TLS"));
  g_assert_true (stamp_test_text_has_label (printer, "Last test: sent, 5 minutes ago"));

  /* Without a keyring the secret store is empty, so neither is signed in. */
  stamp_test_wait_for_label (alice, "Needs sign-in");
  stamp_test_wait_for_label (printer, "No password stored");

  /* The header bar offers another account once the list shows. */
  add_button = stamp_test_find_actionable (stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR),
                                "win.add-account");
  g_assert_nonnull (add_button);
  g_assert_true (gtk_widget_get_mapped (add_button));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (add_button),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Add Account");
  g_assert_null (error);

  menu_button = stamp_test_find_descendant (printer, GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (menu_button),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Account actions");
  g_assert_null (error);

  stamp_test_save_screenshot (GTK_WIDGET (window), "accounts.png");

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  stamp_test_save_screenshot (GTK_WIDGET (window), "accounts-dark.png");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);

  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  stamp_test_wait_for_frames (popover);
  stamp_test_save_screenshot (popover, "account-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));

  /* Nothing is cut off at phone width. */
  gtk_window_set_default_size (window, 360, 640);
  check = (StampTestWidthCheck) { window, 360 };
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the window to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (printer), <=, 360);
  stamp_test_save_screenshot (GTK_WIDGET (window), "accounts-narrow.png");

  gtk_window_destroy (window);
}

static AdwMessageDialog *
ask_to_remove (GtkWidget *row)
{
  GtkWindow *dialog;

  g_assert_null (stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_widget_activate_action (row, "account.remove", NULL));

  dialog = stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove Account?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "printer@example.org"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "remove"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");

  return ADW_MESSAGE_DIALOG (dialog);
}

static void
test_window_remove_account (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  StampAccountStore *store;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *window;
  GtkWidget *printer;

  if (!g_test_subprocess ())
    {
      run_with_two_accounts ();
      return;
    }

  window = activate_with_accounts ();
  store = stamp_application_get_account_store (app);
  rows = stamp_test_account_rows (window);
  printer = g_ptr_array_index (rows, 1);

  /* Cancelling keeps the account. */
  dialog = ask_to_remove (printer);
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "remove-dialog.png");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "remove-dialog-dark.png");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_nonnull (stamp_account_store_lookup (store, "printer@example.org"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  /* Removing asks first, then the account leaves the list and the file. */
  dialog = ask_to_remove (printer);
  g_assert_nonnull (stamp_account_store_lookup (store, "printer@example.org"));
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));

  stamp_test_wait_until (has_one_row, window, "the list to have one row");
  g_assert_null (stamp_account_store_lookup (store, "printer@example.org"));
  g_assert_nonnull (stamp_account_store_lookup (store, "alice@contoso.onmicrosoft.com"));

  path = accounts_file ();
  stamp_test_wait_until (file_lacks_printer, path,
                         "the account file to be saved without the account");

  gtk_window_destroy (window);
}


static gboolean
is_locked_entry_with_text (GtkWidget    *widget,
                           gconstpointer data)
{
  return GTK_IS_EDITABLE (widget) && !gtk_editable_get_editable (GTK_EDITABLE (widget))
         && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), data) == 0;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
store_password (const char *address,
                const char *password)
{
  gboolean done = FALSE;

  stamp_secret_store_store_async (stamp_secret_store_get_default (), address,
                                  STAMP_SECRET_PASSWORD, password, 0, NULL, stored_cb, &done);
  stamp_test_wait_until (flag_set, &done, "the password to be stored");
}

/* Sign In Again is only in the menu of an account that signs in with OAuth. */
static gboolean
menu_offers_sign_in_again (GtkWidget *row)
{
  GtkWidget *menu_button = stamp_test_find_descendant (row, GTK_TYPE_MENU_BUTTON);
  GtkWidget *popover;
  gboolean offered;

  g_assert_nonnull (menu_button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  stamp_test_wait_for_frames (popover);
  g_assert_nonnull (stamp_test_find_widget (popover, stamp_test_is_mapped_label_containing,
                                            "Edit"));
  offered = stamp_test_find_widget (popover, stamp_test_is_mapped_label_containing,
                                    "Sign In Again") != NULL;
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));

  return offered;
}

static void
test_row_sign_in_again (void)
{
  GtkWindow *window;

  if (!g_test_subprocess ())
    {
      run_with_two_accounts ();
      return;
    }

  window = activate_with_accounts ();
  g_assert_true (menu_offers_sign_in_again (stamp_test_find_account_row (window, "alice@contoso.onmicrosoft.com")));
  g_assert_false (menu_offers_sign_in_again (stamp_test_find_account_row (window, "printer@example.org")));

  gtk_window_destroy (window);
}

static gboolean
stored_note_shown (gpointer data)
{
  return stamp_test_find_widget (data, stamp_test_is_mapped_label_containing,
                                 "A password is stored; leave the field empty") != NULL;
}

/* Edit opens the assistant on a copy of the account, its address locked;
 * a stored password is kept unless a new one is typed. */
static void
test_row_edit (void)
{
  GtkWindow *window;
  GtkWindow *assistant;

  if (!g_test_subprocess ())
    {
      run_with_two_accounts ();
      return;
    }

  store_password ("printer@example.org", "hunter2");
  window = activate_with_accounts ();

  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT));
  g_assert_true (gtk_widget_activate_action (stamp_test_find_account_row (window, "printer@example.org"),
                                             "account.edit", NULL));
  assistant = stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT);
  g_assert_nonnull (assistant);
  g_assert_true (gtk_window_get_transient_for (assistant) == window);
  g_assert_cmpstr (gtk_window_get_title (assistant), ==, "Change Account");
  stamp_test_wait_for_frames (GTK_WIDGET (assistant));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (assistant), is_locked_entry_with_text,
                                            "printer@example.org"));

  /* On to the sign-in page: the password field may stay empty. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL));
  stamp_test_wait_until (stored_note_shown, assistant, "the stored password note");
  g_assert_null (stamp_test_find_widget (GTK_WIDGET (assistant),
                                         stamp_test_is_mapped_label_containing, "hunter2"));
  stamp_test_save_screenshot (GTK_WIDGET (assistant), "edit-stored-password.png");

  gtk_window_destroy (assistant);
  gtk_window_destroy (window);
}

static gboolean
view_succeeded (gpointer data)
{
  return stamp_test_view_get_succeeded (data);
}

static gboolean
file_has_last_test (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL)
         && strstr (contents, "\"last_test\"") != NULL;
}

static StampTestView *
find_test_view (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkWidget *view = stamp_test_find_descendant (GTK_WIDGET (window), STAMP_TYPE_TEST_VIEW);

      if (view != NULL)
        return STAMP_TEST_VIEW (view);
    }

  return NULL;
}

/* Test sends through the loopback server; the row and the file remember it. */
static void
test_row_send_test (void)
{
  g_autofree char *path = NULL;
  StampTestView *view;
  GtkWindow *window;
  GtkWidget *row;

  if (!g_test_subprocess ())
    {
      g_autoptr(StampTestServer) server = stamp_test_server_start ("none", NULL);
      g_autofree char *contents = NULL;

      contents = g_strdup_printf ("{\"format\": 1, \"accounts\": ["
                                  "  {\"address\": \"relay@example.org\", \"host\": \"localhost\","
                                  "   \"port\": %u, \"security\": \"%s\", \"auth\": \"%s\"}]}",
                                  stamp_test_server_get_port (server),
                                  stamp_security_to_string (STAMP_SECURITY_NONE),
                                  stamp_auth_mechanism_to_string (STAMP_AUTH_NONE));
      stamp_test_run_with_account_file (contents);
      return;
    }

  window = activate_with_accounts ();
  row = stamp_test_find_account_row (window, "relay@example.org");
  g_assert_true (stamp_test_text_has_label (row, "Not tested yet"));

  g_assert_null (find_test_view ());
  g_assert_true (gtk_widget_activate_action (row, "account.send-test", NULL));
  view = find_test_view ();
  g_assert_nonnull (view);
  stamp_test_wait_until (view_succeeded, view, "the test message to be sent");

  stamp_test_wait_for_label (row, "Last test: sent, just now");
  path = accounts_file ();
  stamp_test_wait_until (file_has_last_test, path, "the account file to hold the test");

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (view))));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-account-row", &own_config_home);

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/window/accounts-list", test_window_accounts_list);
  g_test_add_func ("/stamp/app/window/remove-account", test_window_remove_account);
  g_test_add_func ("/stamp/app/account-row/sign-in-again", test_row_sign_in_again);
  g_test_add_func ("/stamp/app/account-row/edit", test_row_edit);
  g_test_add_func ("/stamp/app/account-row/send-test", test_row_send_test);

  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    stamp_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

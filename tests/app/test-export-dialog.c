/* test-export-dialog.c
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

#define G_LOG_DOMAIN "test-export-dialog"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-export-dialog.h"
#include "stamp-exporter.h"
#include "stamp-secret-store.h"
#include "stamp-test-cli.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* The export dialog of the real StampWindow, opened from an account row:
 * the list of targets, a target's page, and saving. What the dialog shows
 * and saves must be what `stamp-cli export` writes, byte for byte, so the
 * test runs the real CLI (STAMP_CLI) on the same account file. Like
 * test-account-row.c, each test runs again in a subprocess whose
 * XDG_CONFIG_HOME holds the accounts; without a session bus the secret
 * store keeps secrets in memory. */

#define PASSWORD_ADDRESS "printer@example.org"
#define OAUTH_ADDRESS    "alice@contoso.onmicrosoft.com"
#define PASSWORD         "hunter2-secret"

#define ACCOUNT_FILE \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" OAUTH_ADDRESS "\", \"display_name\": \"Alice Example\"," \
  "   \"provider\": \"microsoft365\", \"host\": \"smtp.office365.com\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"" PASSWORD_ADDRESS "\", \"host\": \"mail.example.org\", \"port\": 465," \
  "   \"security\": \"tls\", \"auth\": \"plain\"}" \
  "]}"

/* A relay on this computer: 127.0.0.1 is also Proton Mail Bridge's
 * address, but this account does not say it is a Proton account. */
#define LOOPBACK_ADDRESS "scanner@branch-office.example.org"

#define LOOPBACK_ACCOUNT_FILE \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" LOOPBACK_ADDRESS "\", \"host\": \"127.0.0.1\", \"port\": 1025," \
  "   \"security\": \"starttls\", \"auth\": \"plain\"}" \
  "]}"

static StampApplication *app;
static char *config_home;

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

/* Opens the dialog the way a person does: the row's Export Settings. */
static StampExportDialog *
open_dialog (GtkWindow  *window,
             const char *address)
{
  GtkWindow *dialog;

  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG));
  g_assert_true (gtk_widget_activate_action (stamp_test_find_account_row (window, address),
                                             "account.export-settings", NULL));
  dialog = stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == window);
  g_assert_true (gtk_window_get_modal (dialog));
  g_assert_cmpstr (stamp_account_get_address (stamp_export_dialog_get_account (STAMP_EXPORT_DIALOG (dialog))),
                   ==, address);
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));

  return STAMP_EXPORT_DIALOG (dialog);
}

static gboolean
has_result (gpointer data)
{
  return stamp_export_dialog_get_result (data) != NULL;
}

static char *
preview_text (StampExportDialog *dialog)
{
  GtkWidget *view = stamp_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer;
  GtkTextIter start;
  GtkTextIter end;

  g_assert_nonnull (view);
  g_assert_true (gtk_widget_get_mapped (view));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (view)));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (view)));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static const char *
visible_page (StampExportDialog *dialog)
{
  GtkWidget *overlay = stamp_test_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *stack = stamp_test_find_descendant (overlay, GTK_TYPE_STACK);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
transition_done (gpointer data)
{
  GtkWidget *overlay = stamp_test_find_descendant (data, ADW_TYPE_TOAST_OVERLAY);

  return !gtk_stack_get_transition_running (GTK_STACK (stamp_test_find_descendant (overlay,
                                                                                    GTK_TYPE_STACK)));
}

/* Settled, for screenshots: the pages slide. */
static void
wait_for_page (StampExportDialog *dialog,
               const char        *name)
{
  g_assert_cmpstr (visible_page (dialog), ==, name);
  stamp_test_wait_until (transition_done, dialog, "the page to slide in");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
}

static GtkSwitch *
secret_switch (StampExportDialog *dialog)
{
  GtkWidget *widget = stamp_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SWITCH);

  g_assert_nonnull (widget);
  return GTK_SWITCH (widget);
}

/* The row of a switch, for its title. */
static const char *
row_title_of (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  g_assert_nonnull (row);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* The first scrolled page on screen, scrolled to its end. */
static void
scroll_to_end (GtkWidget *dialog)
{
  GtkWidget *overlay = stamp_test_find_descendant (dialog, ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *stack = stamp_test_find_descendant (overlay, GTK_TYPE_STACK);
  GtkWidget *page = gtk_stack_get_visible_child (GTK_STACK (stack));
  GtkWidget *scroller = stamp_test_find_descendant (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;

  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  stamp_test_wait_for_frames (dialog);
}

/* Nothing is cut off at phone width. */
static void
save_narrow (StampExportDialog *dialog,
             const char        *name)
{
  StampTestWidthCheck check = { GTK_WINDOW (dialog), 360 };
  int width;
  int height;

  gtk_window_get_default_size (GTK_WINDOW (dialog), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 640);
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the dialog to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), name);

  check.width = width;
  gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the dialog to be wide again");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
}

static void
check_list (StampExportDialog *dialog,
            guint             *n_refused)
{
  g_autoptr(StampExportContext) context = NULL;
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  AdwWindowTitle *title;

  g_assert_cmpstr (visible_page (dialog), ==, "list");
  title = ADW_WINDOW_TITLE (stamp_test_find_descendant (GTK_WIDGET (dialog),
                                                        ADW_TYPE_WINDOW_TITLE));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Export Settings");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==,
                   stamp_account_get_address (stamp_export_dialog_get_account (dialog)));

  context = stamp_export_context_new (stamp_export_dialog_get_account (dialog));
  *n_refused = 0;
  for (guint i = 0; i < g_list_model_get_n_items (exporters); i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);
      g_autoptr(GError) error = NULL;
      const char *category = stamp_export_category_get_title (stamp_exporter_get_category (exporter));
      GtkWidget *row = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled,
                                               stamp_exporter_get_title (exporter));
      GtkWidget *group;

      g_assert_nonnull (row);
      group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);
      g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==,
                       category);

      /* A target that cannot serve the account is listed with the reason. */
      if (stamp_exporter_can_serve (exporter, context, &error))
        g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                         stamp_exporter_get_description (exporter));
      else
        {
          g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                           error->message);
          (*n_refused)++;
        }

      /* Only a page with options can change the answer: other refusals
       * do not open. */
      if (error != NULL && stamp_exporter_get_category (exporter) == STAMP_EXPORT_CATEGORY_SENDER
          && !g_str_equal (stamp_exporter_get_id (exporter), "apple-profile"))
        g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
      else if (error == NULL)
        g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
    }
}

static void
test_list (void)
{
  StampExportDialog *dialog;
  GtkWindow *window;
  guint n_refused;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  window = activate_with_accounts ();
  dialog = open_dialog (window, OAUTH_ADDRESS);

  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_label_containing,
                                            "WordPress Plugins"));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_label_containing,
                                            "Printers and Scanners"));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_label_containing,
                                            "Other Senders"));
  check_list (dialog, &n_refused);
  /* Apple profiles cannot carry an OAuth sign-in, for one. */
  g_assert_cmpuint (n_refused, >, 0);
  stamp_test_check_controls (GTK_WIDGET (dialog));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-list");

  save_narrow (dialog, "export-list-narrow.png");

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG));

  /* The password account too: same three groups, its own reasons. */
  dialog = open_dialog (window, PASSWORD_ADDRESS);
  check_list (dialog, &n_refused);
  scroll_to_end (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "export-list-end.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_export_dialog_save_to_file_finish (STAMP_EXPORT_DIALOG (object), result,
                                                          &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Saves through the same function Save As calls once a file is chosen. */
static char *
save_through_dialog (StampExportDialog *dialog,
                     const char        *dir,
                     const char        *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean saved = FALSE;

  stamp_export_dialog_save_to_file_async (dialog, file, NULL, saved_cb, &saved);
  stamp_test_wait_until (flag_set, &saved, "the file to be saved");

  return path;
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
test_msmtp (void)
{
  g_auto(StampCliRun) shown = { 0 };
  g_auto(StampCliRun) written = { 0 };
  g_autoptr(GBytes) cli_bytes = NULL;
  g_autoptr(GBytes) dialog_bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cli_path = NULL;
  g_autofree char *dialog_path = NULL;
  g_autofree char *text = NULL;
  g_auto(GValue) copied = G_VALUE_INIT;
  GdkContentProvider *content;
  StampExportDialog *dialog;
  GtkWidget *row;
  GtkWindow *window;
  GtkSwitch *toggle;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  window = activate_with_accounts ();
  dialog = open_dialog (window, PASSWORD_ADDRESS);

  /* Choosing the row opens the target's page. */
  row = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled,
                                stamp_exporter_get_title (stamp_exporter_lookup ("msmtp")));
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_activate (row);
  g_assert_cmpstr (visible_page (dialog), ==, "preview");
  stamp_test_wait_until (has_result, dialog, "the msmtp file");
  wait_for_page (dialog, "preview");

  /* The preview is what the CLI prints. */
  stamp_test_cli_run (&shown, NULL, NULL, "export",
                      (const char * const[]) { "msmtp", "--account", PASSWORD_ADDRESS, NULL });
  g_assert_cmpint (shown.status, ==, 0);
  text = preview_text (dialog);
  g_assert_cmpstr (text, ==, shown.out);

  /* Copy puts exactly that on the clipboard. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.copy", NULL));
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (dialog)));
  g_assert_nonnull (content);
  g_value_init (&copied, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &copied, NULL));
  g_assert_cmpstr (g_value_get_string (&copied), ==, shown.out);

  /* The password stays out unless asked for. */
  toggle = secret_switch (dialog);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (toggle)));
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_cmpstr (row_title_of (GTK_WIDGET (toggle)), ==, "Include the password");
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_button_labelled, "_Copy"));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_button_labelled, "_Save As…"));
  g_assert_null (stamp_test_find_widget (GTK_WIDGET (dialog),
                                         stamp_test_is_mapped_button_labelled, "_Print…"));
  stamp_test_check_controls (GTK_WIDGET (dialog));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-msmtp");
  save_narrow (dialog, "export-msmtp-narrow.png");

  /* Saving writes the CLI's file, readable only by its owner. */
  dir = g_dir_make_tmp ("stamp-test-export-XXXXXX", NULL);
  g_assert_nonnull (dir);
  cli_path = g_build_filename (dir, "cli-msmtprc", NULL);
  stamp_test_cli_run (&written, NULL, NULL, "export",
                      (const char * const[]) { "msmtp", "--account", PASSWORD_ADDRESS,
                                               "-o", cli_path, NULL });
  g_assert_cmpint (written.status, ==, 0);
  dialog_path = save_through_dialog (dialog, dir, "msmtprc");
  cli_bytes = read_file (cli_path);
  dialog_bytes = read_file (dialog_path);
  g_assert_true (g_bytes_equal (cli_bytes, dialog_bytes));
  g_assert_cmpuint (file_mode (dialog_path), ==, 0600);
  g_assert_cmpuint (file_mode (cli_path), ==, 0600);

  /* Back (Escape, Alt+Left) returns to the list and forgets the file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_cmpstr (visible_page (dialog), ==, "list");
  g_assert_null (stamp_export_dialog_get_result (dialog));
  g_assert_true (gtk_widget_has_focus (row));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
  stamp_test_remove_tree (dir);
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

static AdwMessageDialog *
turn_on_secret (StampExportDialog *dialog,
                const char        *heading,
                const char        *address)
{
  GtkSwitch *toggle = secret_switch (dialog);
  GtkWindow *question;

  g_assert_null (stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  gtk_switch_set_active (toggle, TRUE);

  /* It asks first, and stays off until the answer. */
  question = stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (question);
  g_assert_false (gtk_switch_get_active (toggle));
  g_assert_true (gtk_window_get_transient_for (question) == GTK_WINDOW (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==, heading);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (question)), address));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (question)), ==,
                   "cancel");

  return ADW_MESSAGE_DIALOG (question);
}

static gboolean
result_has_password (gpointer data)
{
  StampExportResult *result = stamp_export_dialog_get_result (data);

  return result != NULL && strstr (stamp_export_result_get_text (result), PASSWORD) != NULL;
}

static void
test_include_secret (void)
{
  g_autoptr(GBytes) saved = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *question;
  StampExportDialog *dialog;
  GtkWindow *window;
  gboolean stored = FALSE;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  stamp_secret_store_store_async (stamp_secret_store_get_default (), PASSWORD_ADDRESS,
                                  STAMP_SECRET_PASSWORD, PASSWORD, 0, NULL, stored_cb, &stored);
  stamp_test_wait_until (flag_set, &stored, "the password to be stored");

  window = activate_with_accounts ();
  dialog = open_dialog (window, PASSWORD_ADDRESS);
  g_assert_true (stamp_export_dialog_select (dialog, "msmtp"));
  stamp_test_wait_until (has_result, dialog, "the msmtp file");

  /* Cancelling leaves it out. */
  question = turn_on_secret (dialog, "Include the Password?", PASSWORD_ADDRESS);
  stamp_test_wait_for_frames (GTK_WIDGET (question));
  stamp_test_save_light_and_dark (GTK_WIDGET (question), "export-include-password");
  adw_message_dialog_response (question, "cancel");
  gtk_window_destroy (GTK_WINDOW (question));
  g_assert_false (gtk_switch_get_active (secret_switch (dialog)));
  g_assert_false (result_has_password (dialog));

  /* Including it prepares again with the keyring's password. */
  question = turn_on_secret (dialog, "Include the Password?", PASSWORD_ADDRESS);
  adw_message_dialog_response (question, "include");
  gtk_window_destroy (GTK_WINDOW (question));
  g_assert_true (gtk_switch_get_active (secret_switch (dialog)));
  stamp_test_wait_until (result_has_password, dialog, "the file with the password");
  g_assert_true (stamp_export_result_get_private (stamp_export_dialog_get_result (dialog)));
  text = preview_text (dialog);
  g_assert_nonnull (strstr (text, PASSWORD));

  dir = g_dir_make_tmp ("stamp-test-export-XXXXXX", NULL);
  g_assert_nonnull (dir);
  path = save_through_dialog (dialog, dir, "msmtprc");
  saved = read_file (path);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved),
                                  PASSWORD));
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* Another target starts without it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_true (stamp_export_dialog_select (dialog, "msmtp"));
  g_assert_false (gtk_switch_get_active (secret_switch (dialog)));
  stamp_test_wait_until (has_result, dialog, "the msmtp file");
  g_assert_false (result_has_password (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
  stamp_test_remove_tree (dir);
}

static gboolean
secret_refused (gpointer data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (secret_switch (data)), ADW_TYPE_ACTION_ROW);

  return strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), OAUTH_ADDRESS) != NULL;
}

/* An OAuth account offers its sign-in token, and a printer page asks for
 * the make and what the device can do. */
static void
test_oauth_and_device (void)
{
  g_autofree char *unknown_sheet = NULL;
  AdwMessageDialog *question;
  StampExportDialog *dialog;
  GtkWindow *window;
  GtkWidget *check;
  GtkWidget *tls;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  window = activate_with_accounts ();
  dialog = open_dialog (window, OAUTH_ADDRESS);

  /* msmtp asks Stamp for a fresh token each time: nothing to include. */
  g_assert_true (stamp_export_dialog_select (dialog, "msmtp"));
  stamp_test_wait_until (has_result, dialog, "the msmtp file");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (secret_switch (dialog))));

  /* sasl-xoauth2 keeps the refresh token itself. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_true (stamp_export_dialog_select (dialog, "sasl-xoauth2"));
  stamp_test_wait_until (has_result, dialog, "the sasl-xoauth2 file");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (secret_switch (dialog))));
  g_assert_cmpstr (row_title_of (GTK_WIDGET (secret_switch (dialog))), ==,
                   "Include the sign-in token");
  g_assert_false (gtk_switch_get_active (secret_switch (dialog)));

  /* No token is stored: the switch goes off again, its row says why, and
   * the file is made without it. */
  question = turn_on_secret (dialog, "Include the Sign-In Token?", OAUTH_ADDRESS);
  adw_message_dialog_response (question, "include");
  gtk_window_destroy (GTK_WINDOW (question));
  stamp_test_wait_until (secret_refused, dialog, "the token to be refused");
  stamp_test_wait_until (has_result, dialog, "the file without the token");
  g_assert_false (gtk_switch_get_active (secret_switch (dialog)));
  wait_for_page (dialog, "preview");
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-token-refused");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_true (stamp_export_dialog_select (dialog, "printer"));
  wait_for_page (dialog, "preview");
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled,
                                            "Make"));
  check = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled, "I don’t know");
  g_assert_nonnull (check);
  check = stamp_test_find_descendant (check, GTK_TYPE_CHECK_BUTTON);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_button_labelled, "_Print…"));

  /* Knowing what the device can do replaces “I don’t know”, and the sheet
   * follows. */
  stamp_test_wait_until (has_result, dialog, "the settings sheet");
  unknown_sheet = g_strdup (stamp_export_result_get_text (stamp_export_dialog_get_result (dialog)));
  tls = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled, "Supports TLS 1.2");
  g_assert_nonnull (tls);
  tls = stamp_test_find_descendant (tls, GTK_TYPE_CHECK_BUTTON);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (tls), TRUE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  stamp_test_wait_until (has_result, dialog, "the settings sheet for a TLS 1.2 device");
  g_assert_cmpstr (stamp_export_result_get_text (stamp_export_dialog_get_result (dialog)), !=,
                   unknown_sheet);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (tls)));
  stamp_test_wait_until (has_result, dialog, "the settings sheet again");
  g_assert_cmpstr (stamp_export_result_get_text (stamp_export_dialog_get_result (dialog)), ==,
                   unknown_sheet);
  stamp_test_check_controls (GTK_WIDGET (dialog));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-printer");
  stamp_test_wait_until (has_result, dialog, "the settings sheet");
  scroll_to_end (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "export-printer-end.png");
  save_narrow (dialog, "export-printer-narrow.png");

  /* The PDF shows the sheet as it prints. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_true (stamp_export_dialog_select (dialog, "printer-pdf"));
  stamp_test_wait_until (has_result, dialog, "the settings sheet PDF");
  g_assert_null (stamp_export_result_get_text (stamp_export_dialog_get_result (dialog)));
  wait_for_page (dialog, "preview");
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_of_type,
                                            GSIZE_TO_POINTER (GTK_TYPE_DRAWING_AREA)));
  g_assert_null (stamp_test_find_widget (GTK_WIDGET (dialog),
                                         stamp_test_is_mapped_button_labelled, "_Copy"));
  scroll_to_end (GTK_WIDGET (dialog));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-printer-pdf");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

static gboolean
is_entry_row_titled (GtkWidget    *widget,
                     gconstpointer data)
{
  return ADW_IS_ENTRY_ROW (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* An Apple profile needs the incoming server: the row says so and opens a
 * page that asks for it; once given, the file is there. */
static void
test_fix_on_page (void)
{
  StampExporter *apple = stamp_exporter_lookup ("apple-profile");
  g_autoptr(StampExportContext) context = NULL;
  g_autoptr(GError) error = NULL;
  StampExportDialog *dialog;
  GtkWidget *entry;
  GtkWidget *row;
  GtkWindow *window;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  window = activate_with_accounts ();
  dialog = open_dialog (window, PASSWORD_ADDRESS);
  context = stamp_export_context_new (stamp_export_dialog_get_account (dialog));
  g_assert_false (stamp_exporter_can_serve (apple, context, &error));

  row = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_row_titled,
                                stamp_exporter_get_title (apple));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, error->message);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_activate (row);
  wait_for_page (dialog, "preview");
  g_assert_null (stamp_export_dialog_get_result (dialog));
  g_assert_nonnull (stamp_test_find_widget (GTK_WIDGET (dialog),
                                            stamp_test_is_mapped_label_containing,
                                            error->message));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "export-apple-needs-server");

  entry = stamp_test_find_widget (GTK_WIDGET (dialog), is_entry_row_titled,
                                  "Incoming (IMAP) Server");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "imap.example.org");
  stamp_test_wait_until (has_result, dialog, "the Apple profile");
  g_assert_nonnull (strstr (stamp_export_result_get_text (stamp_export_dialog_get_result (dialog)),
                            "imap.example.org"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

/* Lines of a label end only at a space: a host name or a URL that fits on
 * a line is never cut after one of its dots, slashes or hyphens. */
static void
assert_breaks_at_spaces (GtkWidget *label)
{
  PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
  const char *text = pango_layout_get_text (layout);
  GSList *lines = pango_layout_get_lines_readonly (layout);

  g_assert_cmpuint (g_slist_length (lines), >, 1);
  for (GSList *l = lines->next; l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;

      if (text[line->start_index - 1] != ' ')
        g_error ("“%s” breaks inside a word, before “%.20s”", text, text + line->start_index);
    }
}

/* At phone width the preview's longest line goes on in a second display
 * line inside the window rather than off its edge. */
static void
assert_preview_wraps (StampExportDialog *dialog)
{
  GtkTextView *view = GTK_TEXT_VIEW (stamp_test_find_descendant (GTK_WIDGET (dialog),
                                                                 GTK_TYPE_TEXT_VIEW));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;
  int longest = 0;
  int longest_chars = 0;

  for (int i = 0; i < gtk_text_buffer_get_line_count (buffer); i++)
    {
      gtk_text_buffer_get_iter_at_line (buffer, &iter, i);
      if (gtk_text_iter_get_chars_in_line (&iter) > longest_chars)
        {
          longest = i;
          longest_chars = gtk_text_iter_get_chars_in_line (&iter);
        }
    }

  g_assert_cmpint (gtk_text_view_get_wrap_mode (view), !=, GTK_WRAP_NONE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), <=, 360);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, longest);
  g_assert_true (gtk_text_view_forward_display_line_end (view, &iter));
  g_assert_false (gtk_text_iter_ends_line (&iter));
}

static void
test_loopback_server (void)
{
  g_auto(StampCliRun) shown = { 0 };
  g_autofree char *text = NULL;
  StampTestWidthCheck check = { NULL, 360 };
  StampExportDialog *dialog;
  GtkWidget *note;
  GtkWindow *window;
  int width;
  int height;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (LOOPBACK_ACCOUNT_FILE);
      return;
    }

  window = activate_with_accounts ();
  dialog = open_dialog (window, LOOPBACK_ADDRESS);

  /* The sheet warns that the device cannot reach 127.0.0.1, and calls
   * the server nobody's in particular: no Proton Mail, no Proton advice. */
  g_assert_true (stamp_export_dialog_select (dialog, "printer"));
  stamp_test_wait_until (has_result, dialog, "the settings sheet");
  wait_for_page (dialog, "preview");
  text = preview_text (dialog);
  g_assert_nonnull (strstr (text, "127.0.0.1 is this computer’s loopback address"));
  g_assert_null (strstr (text, "Proton"));
  g_assert_null (stamp_test_find_widget (GTK_WIDGET (dialog),
                                         stamp_test_is_mapped_label_containing, "Proton"));
  stamp_test_cli_run (&shown, NULL, NULL, "export",
                      (const char * const[]) { "printer", "--account", LOOPBACK_ADDRESS, NULL });
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (text, ==, shown.out);

  /* At phone width long lines wrap instead of being cut off. */
  gtk_window_get_default_size (GTK_WINDOW (dialog), &width, &height);
  check.window = GTK_WINDOW (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 640);
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the dialog to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  assert_preview_wraps (dialog);
  scroll_to_end (GTK_WIDGET (dialog));
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "export-loopback-printer-narrow.png");
  gtk_window_set_default_size (GTK_WINDOW (dialog), width, height);
  check.width = width;
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the dialog to be wide again");

  /* A note with a URL and a host name wraps between words only. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.back", NULL));
  g_assert_true (stamp_export_dialog_select (dialog, "mozilla-autoconfig"));
  stamp_test_wait_until (has_result, dialog, "the autoconfig file");
  wait_for_page (dialog, "preview");
  note = stamp_test_find_widget (GTK_WIDGET (dialog), stamp_test_is_mapped_label_containing,
                                 "https://autoconfig.branch-office.example.org/");
  g_assert_nonnull (note);
  assert_breaks_at_spaces (note);
  stamp_test_save_screenshot (GTK_WIDGET (dialog), "export-loopback-notes.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-export-dialog", &own_config_home);

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/export-dialog/list", test_list);
  g_test_add_func ("/stamp/app/export-dialog/msmtp", test_msmtp);
  g_test_add_func ("/stamp/app/export-dialog/include-secret", test_include_secret);
  g_test_add_func ("/stamp/app/export-dialog/oauth-and-device", test_oauth_and_device);
  g_test_add_func ("/stamp/app/export-dialog/fix-on-page", test_fix_on_page);
  g_test_add_func ("/stamp/app/export-dialog/loopback-server", test_loopback_server);

  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    stamp_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

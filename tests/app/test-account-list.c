/* test-account-list.c
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

#define G_LOG_DOMAIN "test-account-list"

#include "config.h"

#include <adwaita.h>

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-export-dialog.h"
#include "stamp-test-time.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* The real StampWindow with a thousand accounts: the list shows rows soon
 * after the window opens, makes rows only for what is on screen, and the
 * last account can be scrolled to and used. As in test-window.c, the test
 * runs itself again in a subprocess whose XDG_CONFIG_HOME holds the file
 * (STAMP_TEST_CONFIG_HOME). */

#define N_ACCOUNTS 1000

static StampApplication *app;

static char *
thousand_accounts (void)
{
  g_autoptr(GString) contents = g_string_new ("{\"format\": 1, \"accounts\": [");

  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_string_append_printf (contents,
                            "%s{\"address\": \"sender%04u@example.org\","
                            " \"display_name\": \"Sender %04u\","
                            " \"host\": \"mail.example.org\", \"port\": 587,"
                            " \"security\": \"starttls\", \"auth\": \"plain\"}",
                            i > 0 ? ", " : "", i, i);
  g_string_append (contents, "]}");

  return g_string_free (g_steal_pointer (&contents), FALSE);
}

static gboolean
shows_rows (gpointer data)
{
  g_autoptr(GPtrArray) rows = stamp_test_account_rows (data);

  return rows->len > 0 && gtk_widget_get_mapped (g_ptr_array_index (rows, 0));
}

typedef struct
{
  GtkWindow     *window;
  GtkAdjustment *adjustment;
} ScrollCheck;

/* Row heights are known only for the rows made, so the end of the list
 * moves as the list learns them: keep going to the end until the last
 * account's row is there and inside the list's visible area. */
static gboolean
last_row_in_sight (gpointer data)
{
  ScrollCheck *check = data;
  GtkWidget *row;
  GtkWidget *list;
  graphene_rect_t bounds;

  gtk_adjustment_set_value (check->adjustment,
                            gtk_adjustment_get_upper (check->adjustment)
                            - gtk_adjustment_get_page_size (check->adjustment));

  row = stamp_test_lookup_account_row (check->window, "sender0999@example.org");
  if (row == NULL || !gtk_widget_get_mapped (row))
    return FALSE;

  list = gtk_widget_get_ancestor (row, GTK_TYPE_GRID_VIEW);
  if (!gtk_widget_compute_bounds (row, list, &bounds))
    return FALSE;

  return bounds.origin.y >= 0
         && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (list) + 0.5;
}

static void
test_account_list_thousand (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *contents = NULL;
  GtkScrolledWindow *scroller;
  StampAccount *account;
  GListModel *store;
  GtkWidget *focus;
  GtkWindow *dialog;
  GtkWindow *window;
  GtkWidget *last;
  ScrollCheck check;
  gint64 started;
  char *error;

  if (!g_test_subprocess ())
    {
      contents = thousand_accounts ();
      stamp_test_run_with_account_file (contents);
      return;
    }

  stamp_test_reset_settings ();
  started = g_get_monotonic_time ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));

  /* Reading the file and showing the first rows is quick: the list makes
   * rows for what it shows, not for a thousand accounts. */
  stamp_test_wait_until (shows_rows, window, "the list to show rows");
  g_assert_cmpint (g_get_monotonic_time () - started, <, stamp_test_bound (3));
  store = G_LIST_MODEL (stamp_application_get_account_store (app));
  g_assert_cmpuint (g_list_model_get_n_items (store), ==, N_ACCOUNTS);
  stamp_test_wait_for_page (window, "accounts");

  rows = stamp_test_account_rows (window);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <, 100);
  g_assert_true (stamp_test_text_has_label (g_ptr_array_index (rows, 0), "Sender 0000"));
  stamp_test_save_screenshot (GTK_WIDGET (window), "account-list-top.png");

  /* To the end of the list, where the last account is. */
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (g_ptr_array_index (rows, 0),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  g_assert_nonnull (scroller);
  check = (ScrollCheck) { window, gtk_scrolled_window_get_vadjustment (scroller) };
  stamp_test_wait_until (last_row_in_sight, &check, "the last account to be in sight");
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  last = stamp_test_lookup_account_row (window, "sender0999@example.org");
  g_assert_nonnull (last);
  g_assert_true (stamp_test_text_has_label (last, "Sender 0999"));
  /* The list's item, which takes the focus, is named after the account. */
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (gtk_widget_get_parent (last)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Sender 0999");
  g_assert_null (error);
  stamp_test_save_screenshot (GTK_WIDGET (window), "account-list-end.png");

  /* Still made for a screenful, not for what was scrolled past. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stamp_test_account_rows (window);
  g_assert_cmpuint (rows->len, <, 100);

  /* The keyboard reaches it: its item takes the focus, then Tab goes to
   * its menu button. */
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (last)));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == gtk_widget_get_parent (last));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, last));
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_MENU_BUTTON));

  /* Its menu works on that account. */
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG));
  g_assert_true (gtk_widget_activate_action (last, "account.export-settings", NULL));
  dialog = stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  account = stamp_export_dialog_get_account (STAMP_EXPORT_DIALOG (dialog));
  g_assert_cmpstr (stamp_account_get_address (account), ==, "sender0999@example.org");

  gtk_window_destroy (dialog);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-account-list", &own_config_home);

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/account-list/thousand", test_account_list_thousand);

  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    stamp_test_remove_tree (config_home);

  return ret;
}

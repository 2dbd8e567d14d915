/* stamp-test-window.c
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


/* Finding things in Stamp's windows, for the app tests that drive them. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"

/* The surface, not the widget: without a compositor (Xvfb) GTK keeps a few
 * pixels of the surface for its solid window frame. */
gboolean
stamp_test_surface_has_width (gpointer data)
{
  StampTestWidthCheck *check = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (check->window));

  return gdk_surface_get_width (surface) == check->width;
}

GtkWidget *
stamp_test_find_descendant (GtkWidget *widget,
                 GType      type)
{
  return stamp_test_find_widget (widget, stamp_test_is_of_type, GSIZE_TO_POINTER (type));
}

GtkWindow *
stamp_test_find_toplevel (GType type)
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

/**
 * stamp_test_set_up_config_home:
 * @program: the test program's name, for the folder's name
 * @owned: (out): whether the folder is the program's own, to remove
 *
 * Sets XDG_CONFIG_HOME before GTK starts (GLib keeps the first value it
 * reads): the folder with an account file when the test runs itself again
 * (stamp_test_run_with_account_file()), or else a new, empty one.
 *
 * Returns: (transfer full): the folder
 */
char *
stamp_test_set_up_config_home (const char *program,
                               gboolean   *owned)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  char *config_home = g_strdup (g_getenv ("STAMP_TEST_CONFIG_HOME"));

  *owned = config_home == NULL;
  if (config_home == NULL)
    {
      template = g_strdup_printf ("stamp-%s-XXXXXX", program);
      config_home = g_dir_make_tmp (template, &error);
      g_assert_no_error (error);
    }
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  return config_home;
}

/* The account list's row of @address, or %NULL while it has none. */
GtkWidget *
stamp_test_lookup_account_row (GtkWindow  *window,
                               const char *address)
{
  g_autoptr(GPtrArray) rows = stamp_test_account_rows (window);

  for (guint i = 0; i < rows->len; i++)
    {
      StampAccount *account = stamp_account_row_get_account (g_ptr_array_index (rows, i));

      if (g_strcmp0 (stamp_account_get_address (account), address) == 0)
        return g_ptr_array_index (rows, i);
    }

  return NULL;
}

/* The account list's row of @address; fails the test when there is none. */
GtkWidget *
stamp_test_find_account_row (GtkWindow  *window,
                             const char *address)
{
  GtkWidget *row = stamp_test_lookup_account_row (window, address);

  if (row == NULL)
    g_error ("No row for the account %s", address);

  return row;
}

/* The message dialog on screen, if any: the questions the app asks. */
GtkWidget *
stamp_test_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }

  return NULL;
}

/* A StampTestWaitPredicate: a message dialog is on screen. */
gboolean
stamp_test_message_dialog_shown (gpointer data)
{
  return stamp_test_find_message_dialog () != NULL;
}

void
stamp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        stamp_test_remove_tree (child);
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

GtkWidget *
stamp_test_find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  return stamp_test_find_widget (widget, is_actionable_for, action_name);
}

/* A label, or an inscription (the account list's rows use those). */
static gboolean
is_label_with_text (GtkWidget    *widget,
                    gconstpointer data)
{
  if (GTK_IS_INSCRIPTION (widget))
    return g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), data) == 0;

  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

gboolean
stamp_test_text_has_label (GtkWidget  *widget,
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

  return stamp_test_text_has_label (check->widget, check->text);
}

void
stamp_test_wait_for_label (GtkWidget  *widget,
                const char *text)
{
  LabelCheck check = { widget, text };
  g_autofree char *what = g_strdup_printf ("the label “%s”", text);

  stamp_test_wait_until (label_shown, &check, what);
}

/* The window's own stack, not the one inside the primary menu's popover. */
GtkStack *
stamp_test_window_stack (GtkWindow *window)
{
  GtkWidget *overlay = stamp_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);

  g_assert_nonnull (overlay);
  return GTK_STACK (stamp_test_find_descendant (overlay, GTK_TYPE_STACK));
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
void
stamp_test_wait_for_page (GtkWindow  *window,
               const char *name)
{
  PageCheck check = { stamp_test_window_stack (window), name };
  g_autofree char *what = g_strdup_printf ("the page “%s”", name);

  stamp_test_wait_until (page_shown, &check, what);
  stamp_test_wait_for_frames (GTK_WIDGET (window));
}

/* The rows that show an account now, in the list's order: the list makes
 * rows only for what is on screen, or nearly. */
GPtrArray *
stamp_test_account_rows (GtkWindow *window)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *list = stamp_test_find_descendant (GTK_WIDGET (stamp_test_window_stack (window)), GTK_TYPE_GRID_VIEW);

  g_assert_nonnull (list);
  for (GtkWidget *item = gtk_widget_get_first_child (list);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (STAMP_IS_ACCOUNT_ROW (child) && gtk_widget_get_child_visible (item)
          && stamp_account_row_get_account (STAMP_ACCOUNT_ROW (child)) != NULL)
        g_ptr_array_add (rows, child);
    }

  return rows;
}

/* Runs the current test again in a subprocess whose account file holds
 * @contents when the application starts. */
void
stamp_test_run_with_account_file (const char *contents)
{
  g_autofree char *dir = g_dir_make_tmp ("stamp-test-app-XXXXXX", NULL);
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

  stamp_test_remove_tree (dir);
  g_test_trap_assert_passed ();
}

/* Puts back the settings a test may have changed. */
void
stamp_test_reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "default-test-recipient");
  g_settings_reset (settings, "connect-timeout");
  g_settings_reset (settings, "reply-timeout");
}

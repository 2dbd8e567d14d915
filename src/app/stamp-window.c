/* stamp-window.c
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

#define G_LOG_DOMAIN "stamp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-window-private.h"

G_DEFINE_FINAL_TYPE (StampWindow, stamp_window, ADW_TYPE_APPLICATION_WINDOW)

static void
stamp_window_restore_state (StampWindow *self)
{
  int width;
  int height;

  g_assert (STAMP_IS_WINDOW (self));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
stamp_window_save_state (StampWindow *self)
{
  int width;
  int height;

  g_assert (STAMP_IS_WINDOW (self));

  /* The default size is the unmaximized size, which is what the next start
   * needs when it restores a maximized window. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* The list view's factory: a row is made for a place in the list, then
 * shows one account after another there as the list scrolls. */
static void
stamp_window_setup_row_cb (StampWindow *self,
                           GtkListItem *item)
{
  GtkWidget *row = stamp_account_row_new (NULL);

  g_assert (STAMP_IS_WINDOW (self));

  /* The row's menu button does the work: activating the row does nothing.
   * The item stays selectable, though nothing gets selected (the model is
   * a GtkNoSelection): in GTK 4.8 only a selectable item takes the
   * keyboard focus, which Tab and the arrow keys move through the list. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
  g_ptr_array_add (self->rows, row);
}

static void
stamp_window_bind_row_cb (StampWindow *self,
                          GtkListItem *item)
{
  g_assert (STAMP_IS_WINDOW (self));

  stamp_account_row_set_account (STAMP_ACCOUNT_ROW (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
stamp_window_unbind_row_cb (StampWindow *self,
                            GtkListItem *item)
{
  g_assert (STAMP_IS_WINDOW (self));

  stamp_account_row_set_account (STAMP_ACCOUNT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
stamp_window_teardown_row_cb (StampWindow *self,
                              GtkListItem *item)
{
  g_assert (STAMP_IS_WINDOW (self));

  if (self->rows != NULL)
    g_ptr_array_remove_fast (self->rows, gtk_list_item_get_child (item));
}

static void
stamp_window_update_page (StampWindow *self)
{
  StampApplication *app;
  const char *page = "loading";

  g_assert (STAMP_IS_WINDOW (self));

  app = STAMP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app != NULL && stamp_application_get_accounts_loaded (app))
    page = g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0 ? "accounts" : "empty";

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), g_str_equal (page, "accounts"));
}

static void
stamp_window_problem_changed_cb (StampWindow *self)
{
  const char *problem;

  g_assert (STAMP_IS_WINDOW (self));

  problem = stamp_account_store_get_problem (self->store);
  if (problem != NULL)
    stamp_window_show_error (self, _("Some accounts could not be read"), problem);
}

static void
stamp_window_sign_in_changed_cb (StampWindow  *self,
                                 StampAccount *account)
{
  g_assert (STAMP_IS_WINDOW (self));

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      StampAccountRow *row = g_ptr_array_index (self->rows, i);

      if (stamp_account_row_get_account (row) == account)
        stamp_account_row_update_health (row);
    }
}

/* The application is set after construction, and only once: the window
 * shows that application's accounts for its whole life. */
static void
stamp_window_application_changed_cb (StampWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  StampSignInKeeper *keeper;
  StampApplication *app;

  g_assert (STAMP_IS_WINDOW (self));

  app = STAMP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (app == NULL || self->store != NULL)
    return;

  self->store = stamp_application_get_account_store (app);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->store)));
  gtk_grid_view_set_model (self->accounts_list, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (self->store, "notify::n-items",
                           G_CALLBACK (stamp_window_update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::accounts-loaded",
                           G_CALLBACK (stamp_window_update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::problem",
                           G_CALLBACK (stamp_window_problem_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* A refresh in the background changes what the rows say of sign-ins. */
  keeper = stamp_application_get_sign_in_keeper (app);
  if (keeper != NULL)
    {
      g_signal_connect_object (keeper, "refreshed",
                               G_CALLBACK (stamp_window_sign_in_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (keeper, "warning",
                               G_CALLBACK (stamp_window_sign_in_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  stamp_window_update_page (self);
  stamp_window_problem_changed_cb (self);
}

static gboolean
stamp_window_close_request (GtkWindow *window)
{
  StampWindow *self = (StampWindow *)window;

  g_assert (STAMP_IS_WINDOW (self));

  stamp_window_save_state (self);

  return GTK_WINDOW_CLASS (stamp_window_parent_class)->close_request (window);
}

static void
stamp_window_dispose (GObject *object)
{
  StampWindow *self = (StampWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_window_parent_class)->dispose (object);
}

static void
stamp_window_class_init (StampWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = stamp_window_dispose;

  window_class->close_request = stamp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StampWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, StampWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, StampWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, StampWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, stamp_window_bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, stamp_window_setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, stamp_window_teardown_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, stamp_window_unbind_row_cb);

  _stamp_window_class_add_actions (widget_class);
}

static void
stamp_window_init (StampWindow *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));

  g_signal_connect (self, "notify::application",
                    G_CALLBACK (stamp_window_application_changed_cb), NULL);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  stamp_window_restore_state (self);
}

/**
 * stamp_window_new:
 * @application: the #StampApplication the window belongs to
 *
 * Creates the main window.
 *
 * Returns: (transfer none): a new #StampWindow, owned by its application
 */
StampWindow *
stamp_window_new (StampApplication *application)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (application), NULL);

  return g_object_new (STAMP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * stamp_window_show_error:
 * @self: a #StampWindow
 * @title: a short line saying what went wrong
 * @details: the full message, shown when the toast's Details button is used
 *
 * Shows a problem as a toast that stays until it is dismissed, with a
 * button that opens the whole message.
 */
void
stamp_window_show_error (StampWindow *self,
                         const char  *title,
                         const char  *details)
{
  AdwToast *toast;

  g_return_if_fail (STAMP_IS_WINDOW (self));
  g_return_if_fail (title != NULL);
  g_return_if_fail (details != NULL);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_action_name (toast, "win.show-details");
  adw_toast_set_action_target_value (toast, g_variant_new ("(ss)", title, details));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

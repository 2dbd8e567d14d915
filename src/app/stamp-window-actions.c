/* stamp-window-actions.c
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

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-devices-window.h"
#include "stamp-export-dialog.h"
#include "stamp-setup-assistant.h"
#include "stamp-sign-in-dialog.h"
#include "stamp-test-view.h"
#include "stamp-window-private.h"

/* The window's actions. Those for one account take its address, so a row
 * only names the account and the window, which owns the store, does the
 * work: rows come and go whenever the store changes. */

/* What a test window and a removal need after the window that started them
 * may be gone. */
typedef struct
{
  StampAccountStore *store;
  StampAccount      *account;
  gboolean           started;
} AccountState;

static AccountState *
account_state_new (StampWindow  *self,
                   StampAccount *account)
{
  AccountState *state = g_new0 (AccountState, 1);

  state->store = g_object_ref (self->store);
  state->account = g_object_ref (account);

  return state;
}

static void
account_state_free (gpointer  data,
                    GClosure *closure)
{
  AccountState *state = data;

  g_clear_object (&state->store);
  g_clear_object (&state->account);
  g_free (state);
}

/* Errors that reach nobody else go to the active main window as a toast. */
static void
show_error (const char *title,
            const char *details)
{
  GApplication *app = g_application_get_default ();
  GtkWindow *window = NULL;

  if (GTK_IS_APPLICATION (app))
    window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (STAMP_IS_WINDOW (window))
    stamp_window_show_error (STAMP_WINDOW (window), title, details);
  else
    g_message ("%s: %s", title, details);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!stamp_account_store_save_finish (STAMP_ACCOUNT_STORE (object), result, &error))
    show_error (_("The accounts could not be saved"), error->message);
}

static void
clear_secrets_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!stamp_secret_store_clear_finish (STAMP_SECRET_STORE (object), result, &error))
    show_error (_("The account’s password or sign-in could not be removed from the keyring"),
                error->message);
}

/* The account an action's address names; none if it was removed since. */
static StampAccount *
lookup_account (StampWindow *self,
                GVariant    *parameter)
{
  g_assert (STAMP_IS_WINDOW (self));

  if (self->store == NULL)
    return NULL;

  return stamp_account_store_lookup (self->store, g_variant_get_string (parameter, NULL));
}

static void
stamp_window_add_account (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;

  g_assert (STAMP_IS_WINDOW (self));

  gtk_window_present (GTK_WINDOW (stamp_setup_assistant_new (GTK_WINDOW (self), self->store)));
}

static void
stamp_window_show_details (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  const char *heading;
  const char *body;
  GtkWidget *dialog;

  g_assert (STAMP_IS_WINDOW (self));

  g_variant_get (parameter, "(&s&s)", &heading, &body);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
test_busy_cb (StampTestView *view,
              GParamSpec    *pspec,
              AccountState  *state)
{
  g_autofree char *summary = NULL;
  gboolean ok;

  if (stamp_test_view_get_busy (view))
    {
      state->started = TRUE;
      return;
    }

  if (!state->started)
    return;

  state->started = FALSE;
  ok = stamp_test_view_get_succeeded (view);
  summary = ok ? NULL : stamp_test_view_dup_failure_summary (view);
  stamp_account_set_last_test (state->account, ok, g_get_real_time () / G_USEC_PER_SEC,
                               summary);
  stamp_account_store_save_async (state->store, NULL, save_cb, NULL);
}

/* A test cut short by closing its window is no result to keep. */
static gboolean
test_window_close_request_cb (GtkWindow     *window,
                              StampTestView *view)
{
  g_signal_handlers_disconnect_matched (view, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        test_busy_cb, NULL);
  stamp_test_view_cancel (view);

  return FALSE;
}

static void
stamp_window_send_test (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  g_autoptr(GtkShortcut) close_shortcut = NULL;
  GtkEventController *shortcuts;
  StampAccount *account;
  GtkWidget *window;
  GtkWidget *content;
  GtkWidget *view;

  g_assert (STAMP_IS_WINDOW (self));

  account = lookup_account (self, parameter);
  if (account == NULL)
    return;

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Test Message"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 620);
  gtk_widget_set_size_request (window, 360, 294);

  close_shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                     gtk_named_action_new ("window.close"));
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        g_steal_pointer (&close_shortcut));
  gtk_widget_add_controller (window, shortcuts);

  view = stamp_test_view_new ();
  gtk_widget_set_vexpand (view, TRUE);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (content), view);
  adw_window_set_content (ADW_WINDOW (window), content);

  g_signal_connect_data (view, "notify::busy", G_CALLBACK (test_busy_cb),
                         account_state_new (self, account), account_state_free, 0);
  g_signal_connect (window, "close-request", G_CALLBACK (test_window_close_request_cb), view);

  stamp_test_view_set_account (STAMP_TEST_VIEW (view), account);
  gtk_window_present (GTK_WINDOW (window));
  stamp_test_view_start (STAMP_TEST_VIEW (view));
}

static void
stamp_window_export_settings (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  StampAccount *account;

  g_assert (STAMP_IS_WINDOW (self));

  account = lookup_account (self, parameter);
  if (account == NULL)
    return;

  gtk_window_present (GTK_WINDOW (stamp_export_dialog_new (GTK_WINDOW (self), account)));
}

static void
stamp_window_show_devices (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  StampApplication *app;
  StampAccount *account;

  g_assert (STAMP_IS_WINDOW (self));

  app = STAMP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  account = lookup_account (self, parameter);
  if (account == NULL || app == NULL)
    return;

  gtk_window_present (GTK_WINDOW (stamp_devices_window_new (GTK_WINDOW (self),
                                                            stamp_application_get_relay_controller (app),
                                                            account)));
}

/* Signing in again stores a new token that no row sees otherwise. */
static void
stamp_window_refresh_sign_in (StampWindow *self)
{
  g_assert (STAMP_IS_WINDOW (self));

  /* Gone with the window's widgets. */
  if (self->rows == NULL)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    stamp_account_row_refresh_sign_in (g_ptr_array_index (self->rows, i));
}

static void
stamp_window_edit_account (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  StampSetupAssistant *assistant;
  StampAccount *account;

  g_assert (STAMP_IS_WINDOW (self));

  account = lookup_account (self, parameter);
  if (account == NULL)
    return;

  assistant = stamp_setup_assistant_new (GTK_WINDOW (self), self->store);
  stamp_setup_assistant_set_account (assistant, account);

  g_signal_connect_object (assistant, "destroy",
                           G_CALLBACK (stamp_window_refresh_sign_in), self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (assistant));
}

/* Once signed in again, what the desktop said of the old sign-in is out
 * of date. */
static void
stamp_window_signed_in_cb (StampWindow *self,
                           GtkWidget   *dialog)
{
  const char *address = g_object_get_data (G_OBJECT (dialog), "stamp-address");
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(StampSignInHealth) health = NULL;
  StampAccount *account;

  g_assert (STAMP_IS_WINDOW (self));

  stamp_window_refresh_sign_in (self);

  account = self->store != NULL ? stamp_account_store_lookup (self->store, address) : NULL;
  health = address != NULL ? stamp_sign_in_health_load (address) : NULL;
  if (account == NULL || health == NULL || !STAMP_IS_APPLICATION (app))
    return;

  if (stamp_sign_in_health_get_state (health, account, stamp_get_now (), NULL) == STAMP_SIGN_IN_STATE_OK)
    stamp_application_withdraw_sign_in_problems (STAMP_APPLICATION (app), address);
}

/* Signs an OAuth account in again right away; the row shows the new
 * state once the dialog is gone. */
static void
stamp_window_sign_in_again (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  StampSignInDialog *dialog;
  StampAccount *account;

  g_assert (STAMP_IS_WINDOW (self));

  account = lookup_account (self, parameter);
  if (account == NULL)
    return;

  dialog = stamp_sign_in_dialog_new (GTK_WINDOW (self), self->store, account);
  g_object_set_data_full (G_OBJECT (dialog), "stamp-address",
                          g_strdup (stamp_account_get_address (account)), g_free);
  g_signal_connect_object (dialog, "destroy",
                           G_CALLBACK (stamp_window_signed_in_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AccountState     *state)
{
  g_autofree char *address = NULL;

  if (!g_str_equal (response, "remove"))
    return;

  /* The row goes away with the account, and the account may go with it. */
  address = g_strdup (stamp_account_get_address (state->account));
  stamp_account_store_remove (state->store, address);
  stamp_account_store_save_async (state->store, NULL, save_cb, NULL);
  stamp_secret_store_clear_async (stamp_secret_store_get_default (), address, NULL,
                                  clear_secrets_cb, NULL);
  stamp_sign_in_health_forget (address);
}

static void
stamp_window_remove_account (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  StampWindow *self = (StampWindow *)widget;
  StampAccount *account;
  GtkWidget *dialog;

  g_assert (STAMP_IS_WINDOW (self));

  account = lookup_account (self, parameter);
  if (account == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Stamp will forget %s and its stored password or sign-in. "
                                    "The mailbox itself stays as it is."),
                                  stamp_account_get_address (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         account_state_new (self, account), account_state_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

void
_stamp_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL,
                                   stamp_window_add_account);
  gtk_widget_class_install_action (widget_class, "win.show-details", "(ss)",
                                   stamp_window_show_details);

  /* For one account, named by its address. */
  gtk_widget_class_install_action (widget_class, "win.send-test", "s",
                                   stamp_window_send_test);
  gtk_widget_class_install_action (widget_class, "win.export-settings", "s",
                                   stamp_window_export_settings);
  gtk_widget_class_install_action (widget_class, "win.show-devices", "s",
                                   stamp_window_show_devices);
  gtk_widget_class_install_action (widget_class, "win.edit-account", "s",
                                   stamp_window_edit_account);
  gtk_widget_class_install_action (widget_class, "win.remove-account", "s",
                                   stamp_window_remove_account);
  gtk_widget_class_install_action (widget_class, "win.sign-in-again", "s",
                                   stamp_window_sign_in_again);
}

/* stamp-setup-assistant.c
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

#define G_LOG_DOMAIN "stamp-setup-assistant"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-address-page.h"
#include "stamp-announce.h"
#include "stamp-core.h"
#include "stamp-export-dialog.h"
#include "stamp-server-page.h"
#include "stamp-setup-assistant-private.h"
#include "stamp-sign-in-page.h"
#include "stamp-test-view.h"

static const char * const page_names[N_PAGES] = {
  "address", "server", "sign-in", "test", "done",
};

G_DEFINE_FINAL_TYPE (StampSetupAssistant, stamp_setup_assistant, ADW_TYPE_WINDOW)

static void save_account (StampSetupAssistant *self);

static gboolean
page_is_complete (StampSetupAssistant *self)
{
  switch (self->page)
    {
    case PAGE_ADDRESS:
      return stamp_address_page_get_complete (self->address_page);
    case PAGE_SERVER:
      return stamp_server_page_get_complete (self->server_page);
    case PAGE_SIGN_IN:
      return stamp_sign_in_page_get_complete (self->sign_in_page);
    case PAGE_TEST:
      return stamp_test_view_get_succeeded (self->test_view);
    case PAGE_DONE:
      return self->save_state == SAVE_DONE || self->save_state == SAVE_FAILED;
    case N_PAGES:
    default:
      g_assert_not_reached ();
    }
}

static void
update_actions (StampSetupAssistant *self)
{
  gboolean testing = stamp_test_view_get_busy (self->test_view);
  gboolean back = self->page > PAGE_ADDRESS && self->page < PAGE_DONE;

  gtk_widget_set_visible (self->back_button, back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", page_is_complete (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.save-untested",
                                 self->page == PAGE_TEST && !testing);
  /* After a good test, saving "without testing" would not be true. */
  gtk_widget_set_visible (self->save_untested_button,
                          !stamp_test_view_get_succeeded (self->test_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.retry-save",
                                 self->save_state == SAVE_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.export-settings",
                                 self->save_state == SAVE_DONE);

  stamp_button_set_mnemonic_label (self->next_button,
                                   self->page == PAGE_DONE ? _("_Done") : _("_Next"));
}

void
_stamp_setup_assistant_show_page (StampSetupAssistant *self,
           Page                 page)
{
  g_autofree char *subtitle = NULL;

  self->page = page;
  /* Leaving the sign-in ends a switch to Microsoft Graph that waited on it. */
  if (page != PAGE_SIGN_IN)
    self->switching_to_graph = FALSE;
  gtk_stack_set_visible_child_name (self->stack, page_names[page]);

  /* Translators: the position in the setup assistant, "Step 2 of 5" */
  subtitle = g_strdup_printf (_("Step %u of %u"), (guint) page + 1, (guint) N_PAGES);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  update_actions (self);

  if (page == PAGE_TEST)
    gtk_widget_grab_focus (GTK_WIDGET (self->recipient_row));
  /* After the focus moved: before GTK 4.14 the focused control carries it. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    stamp_announce (GTK_WIDGET (self), subtitle);
}

void
_stamp_setup_assistant_show_problem (StampSetupAssistant *self,
              const GError        *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Copies the pages into the draft, up to and including @page. */
gboolean
_stamp_setup_assistant_build_draft (StampSetupAssistant  *self,
             Page                  page,
             GError              **error)
{
  g_autofree char *display_name = NULL;
  const char *address = stamp_address_page_get_address (self->address_page);

  if (self->draft == NULL || stamp_account_compare_address (self->draft, address) != 0)
    {
      g_clear_object (&self->draft);
      self->draft = stamp_account_new (address);
    }

  display_name = stamp_address_page_dup_display_name (self->address_page);
  stamp_account_set_display_name (self->draft, display_name);

  if (page >= PAGE_SERVER)
    stamp_server_page_apply (self->server_page, self->draft);
  if (page >= PAGE_SIGN_IN)
    stamp_sign_in_page_apply (self->sign_in_page, self->draft);

  return page < PAGE_SERVER || stamp_account_validate (self->draft, error);
}

void
_stamp_setup_assistant_prepare_test (StampSetupAssistant *self)
{
  const char *secret;
  gboolean is_token;

  if (*gtk_editable_get_text (GTK_EDITABLE (self->recipient_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->recipient_row),
                           stamp_account_get_address (self->draft));

  secret = stamp_sign_in_page_get_secret (self->sign_in_page, &is_token);
  stamp_test_view_set_account (self->test_view, self->draft);
  stamp_test_view_set_secret (self->test_view, secret, is_token);
  stamp_test_view_set_recipient (self->test_view,
                                 gtk_editable_get_text (GTK_EDITABLE (self->recipient_row)));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (widget);
  g_autoptr(GError) error = NULL;

  if (!page_is_complete (self))
    return;

  switch (self->page)
    {
    case PAGE_ADDRESS:
      {
        gboolean new_address = self->draft != NULL
                               && stamp_account_compare_address (
                                    self->draft,
                                    stamp_address_page_get_address (self->address_page)) != 0;

        /* The server, provider and sign-in chosen for the last address are
         * not this one's: the draft starts again, and so does the server
         * page, from this address's own suggestions. */
        _stamp_setup_assistant_build_draft (self, PAGE_ADDRESS, NULL);
        if (new_address)
          stamp_server_page_reset (self->server_page);
        _stamp_setup_assistant_show_page (self, PAGE_SERVER);
      }
      break;

    case PAGE_SERVER:
      if (!_stamp_setup_assistant_build_draft (self, PAGE_SERVER, &error))
        {
          _stamp_setup_assistant_show_problem (self, error);
          return;
        }
      stamp_sign_in_page_set_account (self->sign_in_page, self->draft);
      _stamp_setup_assistant_show_page (self, PAGE_SIGN_IN);
      break;

    case PAGE_SIGN_IN:
      if (!_stamp_setup_assistant_build_draft (self, PAGE_SIGN_IN, &error))
        {
          _stamp_setup_assistant_show_problem (self, error);
          return;
        }
      _stamp_setup_assistant_prepare_test (self);
      _stamp_setup_assistant_show_page (self, PAGE_TEST);
      break;

    case PAGE_TEST:
      _stamp_setup_assistant_show_page (self, PAGE_DONE);
      save_account (self);
      break;

    case PAGE_DONE:
      gtk_window_close (GTK_WINDOW (self));
      break;

    case N_PAGES:
    default:
      g_assert_not_reached ();
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (widget);

  if (self->page == PAGE_ADDRESS || self->page == PAGE_DONE)
    return;

  /* Long steps belong to the page they run on. */
  if (self->page == PAGE_TEST)
    stamp_test_view_cancel (self->test_view);
  else if (self->page == PAGE_SIGN_IN)
    stamp_sign_in_page_cancel (self->sign_in_page);

  _stamp_setup_assistant_show_page (self, self->page - 1);
}

static void
save_untested_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (widget);

  if (self->page != PAGE_TEST || stamp_test_view_get_busy (self->test_view))
    return;

  _stamp_setup_assistant_show_page (self, PAGE_DONE);
  save_account (self);
}

static void
retry_save_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (widget);

  if (self->save_state == SAVE_FAILED)
    save_account (self);
}

/* The saved account's export dialog takes the assistant's place. */
static void
export_settings_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (widget);
  StampExportDialog *dialog;

  if (self->save_state != SAVE_DONE)
    return;

  dialog = stamp_export_dialog_new (gtk_window_get_transient_for (GTK_WINDOW (self)), self->draft);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_window_close (GTK_WINDOW (self));
}

static void
set_save_state (StampSetupAssistant *self,
                SaveState            state,
                const GError        *error)
{
  self->save_state = state;

  gtk_spinner_set_spinning (self->saving_spinner, state == SAVE_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->saving_spinner), state == SAVE_RUNNING);
  gtk_widget_set_visible (self->retry_button, state == SAVE_FAILED);
  gtk_widget_set_visible (self->export_button, state == SAVE_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self->save_details_expander), state == SAVE_FAILED);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_warning),
                          state == SAVE_DONE
                          && stamp_sign_in_page_get_method (self->sign_in_page) != STAMP_SIGN_IN_NONE
                          && !stamp_secret_store_is_persistent (stamp_secret_store_get_default ()));

  switch (state)
    {
    case SAVE_RUNNING:
      adw_status_page_set_icon_name (self->done_page, "document-save-symbolic");
      adw_status_page_set_title (self->done_page, _("Saving the Account…"));
      adw_status_page_set_description (self->done_page, NULL);
      break;

    case SAVE_FAILED:
      {
        g_autofree char *details = NULL;

        details = g_strdup_printf (_("%s\n\nError code: %s"), error->message,
                                   error->domain == STAMP_ERROR ? stamp_error_get_nick (error)
                                                                : g_quark_to_string (error->domain));
        adw_status_page_set_icon_name (self->done_page, "dialog-error-symbolic");
        adw_status_page_set_title (self->done_page, _("The Account Was Not Saved"));
        adw_status_page_set_description (self->done_page, error->message);
        gtk_label_set_label (self->save_details_label, details);
      }
      break;

    case SAVE_DONE:
      {
        g_autofree char *description = NULL;

        /* Translators: %s is an email address */
        description = g_strdup_printf (_("%s is ready to send. Find it in the list of accounts, "
                                         "with the settings for other programs and devices."),
                                       stamp_account_get_address (self->draft));
        adw_status_page_set_icon_name (self->done_page, "emblem-ok-symbolic");
        adw_status_page_set_title (self->done_page, _("Account Saved"));
        adw_status_page_set_description (self->done_page, description);
      }
      break;

    case SAVE_NONE:
    default:
      break;
    }

  update_actions (self);
  if (state != SAVE_RUNNING && self->page == PAGE_DONE)
    gtk_widget_grab_focus (state == SAVE_FAILED ? self->retry_button
                                                : GTK_WIDGET (self->next_button));
}

static void
store_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StampSetupAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!stamp_account_store_save_finish (STAMP_ACCOUNT_STORE (object), result, &error))
    {
      set_save_state (self, SAVE_FAILED, error);
      return;
    }

  set_save_state (self, SAVE_DONE, NULL);
}

static void
store_account (StampSetupAssistant *self)
{
  /* The store emits items-changed, so the main window lists it at once;
   * writing the file is short and is not cancelled half-way. */
  stamp_account_store_add (self->store, self->draft);
  stamp_account_store_save_async (self->store, NULL, store_saved_cb, g_object_ref (self));
}

static void
secret_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StampSetupAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  if (STAMP_IS_CREDENTIALS (object))
    saved = stamp_credentials_save_tokens_finish (STAMP_CREDENTIALS (object), result, &error);
  else
    saved = stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!saved)
    {
      set_save_state (self, SAVE_FAILED, error);
      return;
    }

  /* An organization's Google app needs its client secret to refresh the
   * tokens: it goes next to them. */
  if (STAMP_IS_CREDENTIALS (object)
      && stamp_sign_in_page_get_client_secret (self->sign_in_page) != NULL)
    {
      stamp_secret_store_store_async (stamp_secret_store_get_default (),
                                      stamp_account_get_address (self->draft),
                                      STAMP_SECRET_CLIENT_SECRET,
                                      stamp_sign_in_page_get_client_secret (self->sign_in_page),
                                      0, self->cancellable, secret_saved_cb, g_object_ref (self));
      return;
    }

  store_account (self);
}

/* The test of these very settings is the account's last test, kept the
 * way a test from the account list keeps it. */
static void
record_test (StampSetupAssistant *self)
{
  g_autofree char *summary = NULL;
  gboolean ok = stamp_test_view_get_succeeded (self->test_view);

  summary = ok ? NULL : stamp_test_view_dup_failure_summary (self->test_view);
  if (self->tested_at != 0 && (ok || summary != NULL))
    stamp_account_set_last_test (self->draft, ok, self->tested_at, summary);
}

static void
save_account (StampSetupAssistant *self)
{
  StampSecretStore *secrets = stamp_secret_store_get_default ();
  const char *secret;
  gboolean is_token;

  g_return_if_fail (self->draft != NULL);

  record_test (self);
  set_save_state (self, SAVE_RUNNING, NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  secret = stamp_sign_in_page_get_secret (self->sign_in_page, &is_token);
  if (secret == NULL)
    store_account (self);
  else if (is_token)
    {
      g_autoptr(StampCredentials) credentials = stamp_credentials_new (secrets);

      stamp_credentials_save_tokens_async (credentials, self->draft,
                                           stamp_sign_in_page_get_tokens (self->sign_in_page),
                                           self->cancellable, secret_saved_cb, g_object_ref (self));
    }
  else
    stamp_secret_store_store_async (secrets, stamp_account_get_address (self->draft),
                                    STAMP_SECRET_PASSWORD, secret, 0, self->cancellable,
                                    secret_saved_cb, g_object_ref (self));
}

static void
page_complete_cb (StampSetupAssistant *self)
{
  update_actions (self);
}

static void
test_view_changed_cb (StampSetupAssistant *self)
{
  update_actions (self);

  /* After a good test, Enter moves on. */
  if (self->page == PAGE_TEST && stamp_test_view_get_succeeded (self->test_view))
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}

static void
test_finished_cb (StampSetupAssistant *self)
{
  self->tested_at = g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
close_cb (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (StampSetupAssistant *self,
                     const char          *response)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;

  /* Once the question is gone: it belongs to this window. */
  self->discard_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_cb, g_object_ref (self), g_object_unref);
}

/* A setup that went through a real test is worth a question before it is
 * thrown away (Escape, or the window's close button); anything less closes
 * at once. */
static gboolean
stamp_setup_assistant_close_request (GtkWindow *window)
{
  StampSetupAssistant *self = STAMP_SETUP_ASSISTANT (window);
  AdwMessageDialog *dialog;

  if (self->discard_confirmed || self->save_state != SAVE_NONE
      || !stamp_test_view_get_succeeded (self->test_view))
    return GTK_WINDOW_CLASS (stamp_setup_assistant_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Discard the Tested Account?"),
                                                       _("The test message went through, but the "
                                                         "account is not saved yet. Closing now "
                                                         "discards its settings.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep Setting Up"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
discovering_cb (StampSetupAssistant *self)
{
  stamp_server_page_set_discovering (self->server_page,
                                     stamp_address_page_get_busy (self->address_page));
}

static void
recipient_changed_cb (StampSetupAssistant *self)
{
  stamp_test_view_set_recipient (self->test_view,
                                 gtk_editable_get_text (GTK_EDITABLE (self->recipient_row)));
}

static void
recipient_activated_cb (StampSetupAssistant *self)
{
  if (stamp_test_view_get_succeeded (self->test_view))
    gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
  else if (!stamp_test_view_get_busy (self->test_view))
    stamp_test_view_start (self->test_view);
}

/* An account being changed may keep its stored password and client secret:
 * the sign-in page learns that they exist, and never shows them. */
static void
stored_secret_found (GObject         *object,
                     GAsyncResult    *result,
                     gpointer         user_data,
                     StampSecretKind  kind)
{
  g_autoptr(StampSetupAssistant) self = user_data;
  g_autoptr(StampSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->sign_in_page == NULL)
    return;
  if (error != NULL)
    g_debug ("Cannot look up the stored %s: %s", stamp_secret_kind_to_string (kind),
             error->message);

  if (kind == STAMP_SECRET_PASSWORD)
    stamp_sign_in_page_set_password_stored (self->sign_in_page, secret != NULL);
  else
    stamp_sign_in_page_set_stored_client_secret (self->sign_in_page, secret);
  update_actions (self);
}

static void
stored_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  stored_secret_found (object, result, user_data, STAMP_SECRET_PASSWORD);
}

static void
stored_client_secret_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  stored_secret_found (object, result, user_data, STAMP_SECRET_CLIENT_SECRET);
}

static void
look_up_secret (StampSetupAssistant *self,
                StampSecretKind      kind)
{
  stamp_secret_store_lookup_async (stamp_secret_store_get_default (),
                                   stamp_account_get_address (self->draft), kind,
                                   self->lookup_cancellable,
                                   kind == STAMP_SECRET_PASSWORD ? stored_password_cb
                                                                 : stored_client_secret_cb,
                                   g_object_ref (self));
}

static void
stamp_setup_assistant_dispose (GObject *object)
{
  StampSetupAssistant *self = (StampSetupAssistant *) object;

  /* Closing discards: nothing keeps running for a window that is gone. */
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->lookup_cancellable);
  if (self->address_page != NULL)
    stamp_address_page_cancel (self->address_page);
  if (self->sign_in_page != NULL)
    stamp_sign_in_page_cancel (self->sign_in_page);
  if (self->test_view != NULL)
    stamp_test_view_cancel (self->test_view);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_SETUP_ASSISTANT);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (stamp_setup_assistant_parent_class)->dispose (object);
}

static void
stamp_setup_assistant_class_init (StampSetupAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = stamp_setup_assistant_dispose;
  window_class->close_request = stamp_setup_assistant_close_request;

  g_type_ensure (STAMP_TYPE_ADDRESS_PAGE);
  g_type_ensure (STAMP_TYPE_SERVER_PAGE);
  g_type_ensure (STAMP_TYPE_SIGN_IN_PAGE);
  g_type_ensure (STAMP_TYPE_TEST_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-setup-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, address_page);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, done_page);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, export_button);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, keyring_warning);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, retry_button);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, save_details_expander);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, save_details_label);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, save_untested_button);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, saving_spinner);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, server_page);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, test_view);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StampSetupAssistant, window_title);
  gtk_widget_class_bind_template_callback (widget_class, recipient_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, recipient_changed_cb);

  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.export-settings", NULL,
                                   export_settings_action);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.retry-save", NULL, retry_save_action);
  gtk_widget_class_install_action (widget_class, "assistant.save-untested", NULL,
                                   save_untested_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
stamp_setup_assistant_init (StampSetupAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));
  stamp_expander_hide_closed_child (self->save_details_expander);

  stamp_server_page_set_candidates (self->server_page,
                                    stamp_address_page_get_candidates (self->address_page));

  g_signal_connect_object (self->address_page, "notify::complete",
                           G_CALLBACK (page_complete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->address_page, "notify::busy",
                           G_CALLBACK (discovering_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->server_page, "notify::complete",
                           G_CALLBACK (page_complete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in_page, "notify::complete",
                           G_CALLBACK (page_complete_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->test_view, "notify::busy",
                           G_CALLBACK (test_view_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->test_view, "notify::succeeded",
                           G_CALLBACK (test_view_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->test_view, "finished",
                           G_CALLBACK (test_finished_cb), self, G_CONNECT_SWAPPED);

  _stamp_setup_assistant_init_graph (self);
  _stamp_setup_assistant_show_page (self, PAGE_ADDRESS);
}

/**
 * stamp_setup_assistant_new:
 * @parent: (nullable): the window the assistant belongs to
 * @store: where the account is saved
 *
 * Returns: (transfer full): a new assistant that adds an account to
 *   @store; present it with gtk_window_present()
 */
StampSetupAssistant *
stamp_setup_assistant_new (GtkWindow         *parent,
                           StampAccountStore *store)
{
  StampSetupAssistant *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (store), NULL);

  self = g_object_new (STAMP_TYPE_SETUP_ASSISTANT,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  stamp_sign_in_page_set_store (self->sign_in_page, store);

  return self;
}

/**
 * stamp_setup_assistant_set_account:
 * @self: a setup assistant
 * @account: a saved account
 *
 * Turns the assistant into one that changes @account or signs it in
 * again: the pages show its settings and its address cannot change.
 * The assistant works on a copy; @account is replaced in the store only
 * when the assistant saves.
 */
void
stamp_setup_assistant_set_account (StampSetupAssistant *self,
                                   StampAccount        *account)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const StampProviderOAuth *oauth;
  StampProvider *provider;
  const char *provider_id;

  g_return_if_fail (STAMP_IS_SETUP_ASSISTANT (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  node = stamp_account_to_json (account);
  g_clear_object (&self->draft);
  self->draft = stamp_account_new_from_json (node, &error);
  if (self->draft == NULL)
    {
      /* A saved account always reads back; if not, start from its address. */
      g_warning ("Cannot copy account %s: %s", stamp_account_get_address (account),
                 error->message);
      self->draft = stamp_account_new (stamp_account_get_address (account));
    }

  self->editing = TRUE;
  gtk_window_set_title (GTK_WINDOW (self), _("Change Account"));
  adw_window_title_set_title (self->window_title, _("Change Account"));

  stamp_address_page_set_account (self->address_page, self->draft);
  stamp_server_page_set_account (self->server_page, self->draft);
  stamp_sign_in_page_set_saved_account (self->sign_in_page, self->draft);

  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  self->lookup_cancellable = g_cancellable_new ();
  look_up_secret (self, STAMP_SECRET_PASSWORD);
  provider_id = stamp_account_get_provider_id (self->draft);
  provider = provider_id != NULL ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                                provider_id)
                                 : NULL;
  oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;
  if (oauth != NULL && g_strcmp0 (oauth->registration, "google") == 0)
    look_up_secret (self, STAMP_SECRET_CLIENT_SECRET);

  update_actions (self);
}

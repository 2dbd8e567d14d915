/* stamp-test-view-send.c
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

#define G_LOG_DOMAIN "stamp-test-view"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-test-view-private.h"

/* The send itself goes through the core's StampAccountSend, the same test
 * send as `stamp-cli send --account`: the secret from the keyring, and one
 * more try with a refreshed token when the server refuses a stored one. It
 * sends through SMTP or Microsoft Graph, as the account says; the steps and
 * transcript of either come as its result. */

/* One run of stamp_test_view_start(), until the send's callback, which frees
 * it; a run the view no longer points to (cancelled, or the view is gone:
 * @self is a weak pointer) is stale and its callback only frees it. */
typedef struct
{
  StampTestView    *self;
  StampAccountSend *send;
  StampAccount     *account;
  char             *from;
} SendState;

static void
send_state_free (SendState *state)
{
  if (state->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (state->self), (gpointer *) &state->self);
  g_signal_handlers_disconnect_by_data (state->send, state);
  g_clear_object (&state->send);
  g_clear_object (&state->account);
  g_clear_pointer (&state->from, g_free);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendState, send_state_free)

static gboolean
send_state_is_stale (SendState *state)
{
  return state->self == NULL || state->self->run != state;
}

static StampExplanation *
explain_failure (StampTestView *self,
                 StampAccount  *account,
                 const char    *from)
{
  StampDiagnosisQuery context = { NULL };
  const StampSmtpSettings *settings = self->result != NULL
                                      ? stamp_smtp_result_get_settings (self->result) : NULL;
  const char *user = settings != NULL ? stamp_smtp_settings_get_username (settings) : NULL;

  context.provider_id = stamp_account_get_provider_id (account);
  context.host = stamp_account_get_host (account);
  context.port = stamp_account_get_effective_port (account);
  context.address = user != NULL && strchr (user, '@') != NULL ? user : from;
  context.from = from;

  return stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), self->error,
                                          self->result != NULL
                                          ? stamp_smtp_result_get_failure_reply (self->result)
                                          : NULL,
                                          &context);
}

/* Each attempt brings its own steps and transcript. */
static void
result_changed_cb (StampAccountSend *send,
                   GParamSpec       *pspec,
                   SendState        *state)
{
  if (!send_state_is_stale (state))
    _stamp_test_view_set_result (state->self, stamp_account_send_get_result (send));
}

static void
retrying_cb (StampAccountSend *send,
             SendState        *state)
{
  if (send_state_is_stale (state))
    return;

  if (_stamp_test_view_is_graph (state->self))
    _stamp_test_view_set_description (state->self,
                                      _("Microsoft Graph refused the stored token; trying once "
                                        "more with a new one…"));
  else
    _stamp_test_view_set_description (state->self,
                                      _("The server refused the stored token; trying once more "
                                        "with a new one…"));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SendState) state = user_data;
  g_autoptr(StampSmtpResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  StampTestView *self;

  outcome = stamp_account_send_run_finish (STAMP_ACCOUNT_SEND (object), result, &error);
  if (send_state_is_stale (state))
    return;

  self = state->self;

  if (error == NULL)
    {
      g_set_object (&self->reply, stamp_smtp_result_get_reply (outcome));
      _stamp_test_view_end (self, STAMP_TEST_VIEW_SUCCEEDED);
      return;
    }

  g_clear_error (&self->error);
  self->error = g_steal_pointer (&error);
  self->explanation = explain_failure (self, state->account, state->from);
  g_debug ("Test send failed: %s (explained: %s)", self->error->message,
           self->explanation != NULL ? stamp_explanation_get_id (self->explanation) : "no");

  _stamp_test_view_end (self, STAMP_TEST_VIEW_FAILED);
}

static void
plaintext_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       StampTestView    *self)
{
  if (g_strcmp0 (response, "send") != 0)
    return;

  g_free (self->plaintext_host);
  self->plaintext_host = g_strdup (stamp_account_get_host (self->account));
  stamp_test_view_start (self);
}

/* A password or token about to go unencrypted to another computer: the
 * person decides, knowing what it means. */
static void
confirm_plaintext (StampTestView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *host = stamp_account_get_host (self->account);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("The connection to %s is not encrypted. Anyone on the network between "
                            "this computer and the server can read the password or sign-in "
                            "token as it is sent, and use it. Send it only on a network you "
                            "trust completely."),
                          host);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send the Sign-In Unencrypted?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Unencrypted"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (plaintext_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The pre-flight check, shared with `stamp-cli send`: advice goes above
 * the checklist, and settings that must not be used end the run before
 * any connection, explained like a failed send. */
static gboolean
check_settings (StampTestView           *self,
                const StampSmtpSettings *settings)
{
  StampAuthMechanism mechanism = stamp_account_get_auth_mechanism (self->account);
  StampPreflightSettings check = { NULL };
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  check.host = stamp_smtp_settings_get_host (settings);
  check.port = stamp_smtp_settings_get_port (settings);
  check.security = stamp_smtp_settings_get_security (settings);
  check.signs_in = mechanism != STAMP_AUTH_NONE;
  check.uses_password = self->secret != NULL ? !self->is_token
                                             : !stamp_auth_mechanism_is_oauth (mechanism);
  check.provider_id = stamp_account_get_provider_id (self->account);
  check.user = stamp_account_get_sign_in_name (self->account);
  check.from = stamp_account_get_address (self->account);
  check.allow_plaintext = g_strcmp0 (self->plaintext_host, check.host) == 0;

  ok = stamp_preflight_check (&check, &findings, &error);
  _stamp_test_view_set_advice (self, ok ? findings : NULL);
  if (ok)
    return TRUE;

  if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED))
    {
      confirm_plaintext (self);
      return FALSE;
    }

  _stamp_test_view_begin (self);
  self->error = g_steal_pointer (&error);
  self->explanation = findings->len > 0 ? g_object_ref (g_ptr_array_index (findings, 0)) : NULL;
  _stamp_test_view_end (self, STAMP_TEST_VIEW_FAILED);

  return FALSE;
}

/**
 * stamp_test_view_start:
 * @self: a #StampTestView
 *
 * Sends a test message with the account, unless a send is under way or the
 * settings must not be used (see stamp_preflight_check()). The outcome
 * arrives through #StampTestView:succeeded and ::finished.
 */
void
stamp_test_view_start (StampTestView *self)
{
  g_autoptr(StampSmtpSettings) settings = NULL;
  SendState *state;

  g_return_if_fail (STAMP_IS_TEST_VIEW (self));
  g_return_if_fail (self->account != NULL);

  if (self->run != NULL)
    return;

  settings = stamp_account_dup_smtp_settings (self->account);
  /* The pre-flight check judges SMTP settings, which Graph does not use. */
  if (_stamp_test_view_is_graph (self))
    _stamp_test_view_set_advice (self, NULL);
  else if (!check_settings (self, settings))
    return;

  if (self->credentials == NULL)
    self->credentials = stamp_credentials_new (stamp_secret_store_get_default ());

  state = g_new0 (SendState, 1);
  state->self = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &state->self);
  state->send = stamp_account_send_new (self->account, self->credentials);
  state->account = g_object_ref (self->account);
  state->from = g_strdup (stamp_account_get_address (self->account));
  self->run = state;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  stamp_smtp_settings_set_connect_timeout (settings,
                                           g_settings_get_int (self->settings, "connect-timeout"));
  stamp_smtp_settings_set_reply_timeout (settings,
                                         g_settings_get_int (self->settings, "reply-timeout"));
  stamp_account_send_set_settings (state->send, settings);
  stamp_account_send_set_secret (state->send, self->secret, self->is_token);

  g_signal_connect (state->send, "notify::result", G_CALLBACK (result_changed_cb), state);
  g_signal_connect (state->send, "retrying", G_CALLBACK (retrying_cb), state);

  _stamp_test_view_begin (self);
  if (self->secret == NULL
      && stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account)))
    _stamp_test_view_set_description (self, _("Getting a current sign-in token…"));

  stamp_account_send_run_async (state->send, state->from, stamp_test_view_get_recipient (self),
                                NULL, self->cancellable, send_cb, state);
}

/**
 * stamp_test_view_cancel:
 * @self: a #StampTestView
 *
 * Stops the send under way at once; the view shows it as cancelled.
 */
void
stamp_test_view_cancel (StampTestView *self)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));

  if (self->run == NULL)
    return;

  /* The run's callbacks free it when the cancelled operation returns; the
   * view does not wait for that. */
  g_cancellable_cancel (self->cancellable);
  _stamp_test_view_end (self, STAMP_TEST_VIEW_CANCELLED);
}


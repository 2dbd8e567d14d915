/* stamp-test-view-graph.c
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

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-application.h"
#include "stamp-sign-in-dialog.h"
#include "stamp-test-view-private.h"

/* What differs for an account that sends through Microsoft Graph: the
 * words of the status line (no server, port or SMTP reply), the consent an
 * administrator gives for Mail.Send, and the switch from SMTP to Graph that
 * the failure card offers when the tenant has SMTP AUTH off. */

enum {
  USE_GRAPH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
_stamp_test_view_is_graph (StampTestView *self)
{
  return self->account != NULL
         && stamp_account_get_method (self->account) == STAMP_SEND_METHOD_GRAPH;
}

static StampProvider *
find_provider (StampAccount *account)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  const char *provider_id = stamp_account_get_provider_id (account);
  const char *host = stamp_account_get_host (account);

  if (provider_id != NULL)
    return stamp_provider_db_lookup_id (db, provider_id);

  return host != NULL ? stamp_provider_db_lookup_host (db, host) : NULL;
}

/* The failure's fix is Microsoft Graph (SMTP AUTH off for the tenant), and
 * the account could send that way. */
static gboolean
offers_graph (StampTestView *self)
{
  StampProvider *provider;

  if (self->state != STAMP_TEST_VIEW_FAILED || self->explanation == NULL
      || self->account == NULL || _stamp_test_view_is_graph (self)
      || g_strcmp0 (stamp_explanation_get_fix (self->explanation), "graph") != 0)
    return FALSE;

  provider = find_provider (self->account);

  return provider != NULL && stamp_provider_supports_graph (provider);
}

/* Microsoft Graph refused for want of consent to Mail.Send, or the sign-in
 * did: an administrator's consent ends both. */
static gboolean
needs_consent (StampTestView *self)
{
  if (self->error == NULL)
    return FALSE;

  return g_error_matches (self->error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT)
         || (g_error_matches (self->error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED)
             && strstr (self->error->message, "ErrorAccessDenied") != NULL);
}

char *
_stamp_test_view_dup_route (StampTestView *self)
{
  const char *to = stamp_test_view_get_recipient (self);

  if (_stamp_test_view_is_graph (self))
    /* Translators: the sender, then the recipient. */
    return g_strdup_printf (_("From %s to %s through Microsoft Graph"),
                            stamp_account_get_address (self->account), to != NULL ? to : "");

  /* Translators: the sender, the recipient, the server and its port. */
  return g_strdup_printf (_("From %s to %s through %s port %u"),
                          stamp_account_get_address (self->account), to != NULL ? to : "",
                          stamp_account_get_host (self->account),
                          stamp_account_get_effective_port (self->account));
}

char *
_stamp_test_view_dup_accepted (StampTestView *self)
{
  double seconds = stamp_smtp_result_get_elapsed (self->result) / (double) G_USEC_PER_SEC;

  if (_stamp_test_view_is_graph (self))
    /* Translators: the recipient, then the time the whole send took. */
    return g_strdup_printf (_("Microsoft Graph accepted the message for %s in %.2f s."),
                            stamp_test_view_get_recipient (self), seconds);

  /* Translators: the recipient, then the time the whole send took. */
  return g_strdup_printf (_("The server accepted the message for %s in %.2f s."),
                          stamp_test_view_get_recipient (self), seconds);
}

/* The answer under the status line: the SMTP server's reply, or Graph's. */
char *
_stamp_test_view_dup_reply (StampTestView *self)
{
  if (self->reply != NULL)
    return stamp_smtp_reply_to_string (self->reply);

  /* Graph's answer to sendMail has no text, only its status. */
  return _stamp_test_view_is_graph (self) ? g_strdup ("202 Accepted") : g_strdup ("");
}

static void
show_consent (StampTestView *self)
{
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *link = NULL;

  g_clear_pointer (&self->consent_url, g_free);
  g_clear_pointer (&self->consent_request, g_free);

  if (needs_consent (self))
    config = stamp_oauth_config_new_for_account (self->account, &error);
  if (config != NULL)
    self->consent_url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  if (error != NULL)
    g_debug ("No admin consent link: %s", error->message);

  gtk_widget_set_visible (self->consent_box, self->consent_url != NULL);
  if (self->consent_url == NULL)
    return;

  self->consent_request = stamp_oauth_config_dup_admin_consent_request (
                            config, stamp_account_get_address (self->account));
  escaped = g_markup_escape_text (self->consent_url, -1);
  link = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped, escaped);
  gtk_label_set_markup (self->consent_link_label, link);
  stamp_button_set_mnemonic_label (self->consent_copy_link_button,
                                   _("Copy _Link for Administrator"));
  stamp_button_set_mnemonic_label (self->consent_copy_message_button,
                                   _("Copy _Message for Administrator"));
}

/* Called by the failure card, after its own parts. */
void
_stamp_test_view_show_graph_remedies (StampTestView *self)
{
  gboolean graph = offers_graph (self);

  gtk_widget_set_visible (self->graph_box, graph);
  /* One suggested button: the way out that needs no administrator. */
  if (graph)
    gtk_widget_remove_css_class (self->retry_button, "suggested-action");
  else
    gtk_widget_add_css_class (self->retry_button, "suggested-action");

  show_consent (self);
  _stamp_test_view_update_graph_actions (self);
}

void
_stamp_test_view_update_graph_actions (StampTestView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.use-graph", offers_graph (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.copy-consent-link",
                                 self->consent_url != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "test-view.copy-consent-message",
                                 self->consent_request != NULL);
}

/* The switch to Microsoft Graph */

static void
signed_in_for_graph_cb (StampTestView *self)
{
  stamp_announce (GTK_WIDGET (self), _("Signed in. Sending the test message through Microsoft "
                                       "Graph…"));
  stamp_test_view_start (self);
}

static StampAccountStore *
find_store (StampTestView *self)
{
  GApplication *app = g_application_get_default ();

  if (self->store != NULL)
    return self->store;

  return STAMP_IS_APPLICATION (app)
         ? stamp_application_get_account_store (STAMP_APPLICATION (app)) : NULL;
}

/* The account sends through Graph from now on: saved at once, then signed
 * in for Graph's permission, then tested once more. */
static void
switch_to_graph (StampTestView *self)
{
  StampAccountStore *store = find_store (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  StampSignInDialog *dialog;

  /* Graph takes only an OAuth sign-in: a password account gets one now. */
  if (!stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account)))
    stamp_account_set_auth_mechanism (self->account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (self->account, STAMP_SEND_METHOD_GRAPH);
  if (store != NULL
      && stamp_account_store_lookup (store, stamp_account_get_address (self->account))
         == self->account)
    stamp_account_store_save_async (store, NULL, NULL, NULL);

  /* The secret given was for SMTP; Graph's comes from the new sign-in. */
  stamp_test_view_set_secret (self, NULL, FALSE);

  dialog = stamp_sign_in_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, store,
                                     self->account);
  g_signal_connect_object (dialog, "signed-in", G_CALLBACK (signed_in_for_graph_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  stamp_announce (GTK_WIDGET (dialog), _("Sending through Microsoft Graph: sign in to allow it."));
}

static void
use_graph_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StampTestView *self = STAMP_TEST_VIEW (widget);
  gboolean handled = FALSE;

  if (!offers_graph (self))
    return;

  g_signal_emit (self, signals[USE_GRAPH], 0, &handled);
  if (!handled)
    switch_to_graph (self);
}

static void
copy_consent_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  StampTestView *self = STAMP_TEST_VIEW (widget);

  if (self->consent_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->consent_url);
  stamp_button_set_mnemonic_label (self->consent_copy_link_button, _("Link Copied"));
  stamp_announce (widget, _("Link Copied"));
}

static void
copy_consent_message_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  StampTestView *self = STAMP_TEST_VIEW (widget);

  if (self->consent_request == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->consent_request);
  stamp_button_set_mnemonic_label (self->consent_copy_message_button, _("Message Copied"));
  stamp_announce (widget, _("Message Copied"));
}

void
_stamp_test_view_dispose_graph (StampTestView *self)
{
  g_clear_object (&self->store);
  g_clear_pointer (&self->consent_url, g_free);
  g_clear_pointer (&self->consent_request, g_free);
}

void
_stamp_test_view_class_init_graph (GtkWidgetClass *widget_class)
{
  /**
   * StampTestView::use-graph:
   * @self: a #StampTestView
   *
   * Emitted when the person chose to send through Microsoft Graph instead
   * of SMTP, which the failure card offers when the tenant has SMTP AUTH
   * off. A handler that returns %TRUE switches the account itself (the
   * setup assistant, whose account is not saved yet); otherwise the view
   * does: method saved, sign-in for Graph, the test once more.
   *
   * Returns: %TRUE when the switch was taken over
   */
  signals[USE_GRAPH] =
    g_signal_new ("use-graph",
                  G_TYPE_FROM_CLASS (widget_class),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);

  gtk_widget_class_bind_template_child (widget_class, StampTestView, consent_box);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, consent_copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, consent_copy_message_button);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, consent_link_label);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, graph_box);
  gtk_widget_class_bind_template_child (widget_class, StampTestView, graph_button);

  gtk_widget_class_install_action (widget_class, "test-view.use-graph", NULL, use_graph_action);
  gtk_widget_class_install_action (widget_class, "test-view.copy-consent-link", NULL,
                                   copy_consent_link_action);
  gtk_widget_class_install_action (widget_class, "test-view.copy-consent-message", NULL,
                                   copy_consent_message_action);
}

/**
 * stamp_test_view_set_store:
 * @self: a #StampTestView
 * @store: (nullable): the store that holds the account, or %NULL for the
 *   application's
 *
 * Where a switch to Microsoft Graph saves the account's new method.
 */
void
stamp_test_view_set_store (StampTestView     *self,
                           StampAccountStore *store)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));
  g_return_if_fail (store == NULL || STAMP_IS_ACCOUNT_STORE (store));

  g_set_object (&self->store, store);
}

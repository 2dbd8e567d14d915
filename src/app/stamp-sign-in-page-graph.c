/* stamp-sign-in-page-graph.c
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

#define G_LOG_DOMAIN "stamp-sign-in-page"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-core.h"
#include "stamp-sign-in-page-private.h"

/* The Microsoft half of the sign-in page: the sending method (SMTP or
 * Microsoft Graph, whose scopes the sign-in then asks), and when a sign-in
 * needs an administrator's consent, the link and words to send them. */

static gboolean
offers_graph (StampSignInPage *self)
{
  return self->provider != NULL && stamp_provider_supports_graph (self->provider)
         && (self->method == STAMP_SIGN_IN_BROWSER || self->method == STAMP_SIGN_IN_DEVICE);
}

/* What the account gets: Graph only where it can work. */
StampSendMethod
_stamp_sign_in_page_get_offered_send_method (StampSignInPage *self)
{
  return offers_graph (self) ? self->send_method : STAMP_SEND_METHOD_SMTP;
}

void
_stamp_sign_in_page_show_send_method (StampSignInPage *self)
{
  guint selected = self->send_method == STAMP_SEND_METHOD_GRAPH ? 1 : 0;

  gtk_widget_set_visible (self->send_method_list, offers_graph (self) && !self->send_method_fixed);
  if (adw_combo_row_get_selected (self->send_method_row) != selected)
    {
      self->updating = TRUE;
      adw_combo_row_set_selected (self->send_method_row, selected);
      self->updating = FALSE;
    }
}

static void
send_method_changed_cb (StampSignInPage *self)
{
  StampSendMethod method = adw_combo_row_get_selected (self->send_method_row) == 1
                           ? STAMP_SEND_METHOD_GRAPH : STAMP_SEND_METHOD_SMTP;
  gboolean had_sign_in;

  if (self->updating || method == self->send_method)
    return;

  self->send_method = method;
  had_sign_in = self->tokens != NULL || self->sign_in != NULL;

  /* A sign-in asks the permission of one method: the other needs its own. */
  stamp_sign_in_page_cancel (self);
  g_clear_pointer (&self->tokens, stamp_oauth_tokens_free);
  _stamp_sign_in_page_hide_error (self);
  _stamp_sign_in_page_show_saved_sign_in (self);

  if (had_sign_in && !stamp_sign_in_page_get_complete (self))
    stamp_announce (GTK_WIDGET (self),
                    _("The sending method changed: sign in again, so that Stamp asks for its "
                      "permission."));
}

/* The administrator's consent */

void
_stamp_sign_in_page_show_consent (StampSignInPage *self,
                                  const GError    *error)
{
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) url_error = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *link = NULL;

  g_clear_pointer (&self->consent_url, g_free);
  g_clear_pointer (&self->consent_request, g_free);
  gtk_widget_set_visible (self->consent_box, FALSE);

  if (!g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT) || self->account == NULL)
    return;

  config = stamp_oauth_config_new_for_account (self->account, NULL);
  if (config != NULL)
    self->consent_url = stamp_oauth_config_dup_admin_consent_url (config, &url_error);
  if (self->consent_url == NULL)
    {
      /* Google has no such link: the error's own words say what to do. */
      g_debug ("No admin consent link: %s", url_error != NULL ? url_error->message : "no config");
      return;
    }
  self->consent_request = stamp_oauth_config_dup_admin_consent_request (
                            config, stamp_account_get_address (self->account));

  escaped = g_markup_escape_text (self->consent_url, -1);
  link = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped, escaped);
  gtk_label_set_markup (self->consent_link_label, link);
  stamp_button_set_mnemonic_label (self->consent_copy_link_button,
                                   _("Copy _Link for Administrator"));
  stamp_button_set_mnemonic_label (self->consent_copy_message_button,
                                   _("Copy _Message for Administrator"));
  gtk_widget_set_visible (self->consent_box, TRUE);
}

static void
consent_copy_link_clicked_cb (StampSignInPage *self)
{
  if (self->consent_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->consent_url);
  stamp_button_set_mnemonic_label (self->consent_copy_link_button, _("Link Copied"));
  stamp_announce (GTK_WIDGET (self), _("Link Copied"));
}

static void
consent_copy_message_clicked_cb (StampSignInPage *self)
{
  if (self->consent_request == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->consent_request);
  stamp_button_set_mnemonic_label (self->consent_copy_message_button, _("Message Copied"));
  stamp_announce (GTK_WIDGET (self), _("Message Copied"));
}

static void
consent_retry_clicked_cb (StampSignInPage *self)
{
  _stamp_sign_in_page_start_sign_in (self);
}

void
_stamp_sign_in_page_finalize_graph (StampSignInPage *self)
{
  g_clear_pointer (&self->consent_url, g_free);
  g_clear_pointer (&self->consent_request, g_free);
}

void
_stamp_sign_in_page_class_init_graph (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, consent_box);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, consent_copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, consent_copy_message_button);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, consent_link_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, send_method_list);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, send_method_row);
  gtk_widget_class_bind_template_callback (widget_class, consent_copy_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, consent_copy_message_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, consent_retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_method_changed_cb);
}

/**
 * stamp_sign_in_page_get_send_method:
 * @self: a sign-in page
 *
 * Returns: how the account sends: Microsoft Graph only when chosen for a
 *   provider that has it and an OAuth sign-in, else SMTP
 */
StampSendMethod
stamp_sign_in_page_get_send_method (StampSignInPage *self)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), STAMP_SEND_METHOD_SMTP);

  return _stamp_sign_in_page_get_offered_send_method (self);
}

/**
 * stamp_sign_in_page_set_send_method:
 * @self: a sign-in page
 * @method: the sending method to choose
 *
 * Chooses @method as a person would; a sign-in done for the other method
 * is dropped, since it asked for the other permission.
 */
void
stamp_sign_in_page_set_send_method (StampSignInPage *self,
                                    StampSendMethod  method)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));

  adw_combo_row_set_selected (self->send_method_row, method == STAMP_SEND_METHOD_GRAPH ? 1 : 0);
}

/**
 * stamp_sign_in_page_start:
 * @self: a sign-in page
 *
 * Starts the OAuth sign-in in the browser, as its button does.
 */
void
stamp_sign_in_page_start (StampSignInPage *self)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));

  if (self->method != STAMP_SIGN_IN_BROWSER && self->method != STAMP_SIGN_IN_DEVICE)
    gtk_check_button_set_active (self->browser_check, TRUE);
  _stamp_sign_in_page_start_sign_in (self);
}

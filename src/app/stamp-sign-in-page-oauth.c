/* stamp-sign-in-page-oauth.c
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
#include "stamp-core.h"
#include "stamp-sign-in-page-private.h"

/* The OAuth half of the sign-in page: it runs the sign-in in the browser or
 * with a code, and shows its link, code and progress. */

void
_stamp_sign_in_page_cancel_sign_in (StampSignInPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sign_in != NULL)
    g_signal_handlers_disconnect_by_data (self->sign_in, self);
  g_clear_object (&self->sign_in);
}

static void
authorize_uri_cb (StampSignInPage *self)
{
  const char *uri = stamp_oauth_sign_in_get_authorize_uri (self->sign_in);

  gtk_label_set_label (self->authorize_label, uri != NULL ? uri : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_link_button), uri != NULL);
}

static void
browser_error_cb (StampSignInPage *self)
{
  const char *message = stamp_oauth_sign_in_get_browser_error (self->sign_in);
  g_autofree char *note = NULL;

  if (message != NULL)
    /* Translators: %s says why no browser opened */
    note = g_strdup_printf (_("No browser opened: %s. Open the link above in any browser."),
                            message);

  gtk_label_set_label (self->browser_error_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->browser_error_label), note != NULL);
}

static void
user_code_cb (StampSignInPage *self)
{
  const char *code = stamp_oauth_sign_in_get_user_code (self->sign_in);
  const char *uri = stamp_oauth_sign_in_get_verification_uri (self->sign_in);
  g_autofree char *escaped = uri != NULL ? g_markup_escape_text (uri, -1) : NULL;
  g_autofree char *link = NULL;

  if (escaped != NULL)
    link = g_strdup_printf ("<a href=\"%s\">%s</a>", escaped, escaped);

  gtk_label_set_label (self->user_code_label, code != NULL ? code : "");
  gtk_label_set_markup (self->verification_label, link != NULL ? link : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_code_button), code != NULL);
  if (code != NULL)
    gtk_stack_set_visible_child_name (self->oauth_stack, "device");
}

static void
sign_in_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StampSignInPage) self = user_data;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = stamp_oauth_sign_in_finish (STAMP_OAUTH_SIGN_IN (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || STAMP_OAUTH_SIGN_IN (object) != self->sign_in)
    return;

  _stamp_sign_in_page_cancel_sign_in (self);

  if (tokens == NULL)
    {
      gtk_stack_set_visible_child_name (self->oauth_stack, "idle");
      _stamp_sign_in_page_show_error (self, error);
      return;
    }

  g_clear_pointer (&self->tokens, stamp_oauth_tokens_free);
  self->tokens = g_steal_pointer (&tokens);
  gtk_label_set_label (self->done_label,
                       _("Signed in. Stamp keeps the sign-in in the keyring when you finish."));
  gtk_stack_set_visible_child_name (self->oauth_stack, "done");
  _stamp_sign_in_page_update_complete (self);
}

static void
sign_in_clicked_cb (StampSignInPage *self)
{
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->account != NULL);

  _stamp_sign_in_page_cancel_sign_in (self);
  _stamp_sign_in_page_hide_error (self);

  /* The registration, and the provider, which may come from the server or
   * the provider choice rather than from discovery; the sending method too:
   * Microsoft Graph's sign-in asks for its own permission (Mail.Send). */
  stamp_sign_in_page_apply (self, self->account);
  config = stamp_oauth_config_new_for_account (self->account, &error);
  if (config == NULL)
    {
      if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT))
        {
          g_autofree char *note = NULL;

          /* The steps to create a registration are one click away in the
           * registration section, not a wall of text here. */
          /* Translators: %s is a provider, "Microsoft 365" */
          note = g_strdup_printf (_("This copy of Stamp has no app registration for %s: enter "
                                    "your organization’s client ID below."),
                                  stamp_provider_get_name (self->provider));
          gtk_label_set_label (self->no_client_label, note);
          gtk_widget_set_visible (GTK_WIDGET (self->no_client_label), TRUE);
          stamp_registration_group_reveal (self->registration_group);
        }
      else
        _stamp_sign_in_page_show_error (self, error);
      return;
    }

  /* The secret stays with the tokens it got, for the keyring. */
  g_clear_pointer (&self->client_secret, stamp_secret_free);
  self->client_secret = stamp_registration_group_dup_client_secret (self->registration_group);
  if (self->client_secret == NULL && self->stored_client_secret != NULL)
    self->client_secret = g_strdup (self->stored_client_secret);
  if (self->client_secret != NULL)
    stamp_oauth_config_set_client_secret (config, self->client_secret);

  self->sign_in = stamp_oauth_sign_in_new (config);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->sign_in, "notify::authorize-uri",
                           G_CALLBACK (authorize_uri_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in, "notify::browser-error",
                           G_CALLBACK (browser_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_in, "notify::user-code",
                           G_CALLBACK (user_code_cb), self, G_CONNECT_SWAPPED);

  gtk_label_set_label (self->authorize_label, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_link_button), FALSE);
  stamp_button_set_mnemonic_label (self->copy_link_button, _("_Copy Link"));
  stamp_button_set_mnemonic_label (self->copy_code_button, _("C_opy Code"));
  gtk_widget_set_visible (GTK_WIDGET (self->browser_error_label), FALSE);

  g_clear_pointer (&self->tokens, stamp_oauth_tokens_free);
  _stamp_sign_in_page_update_complete (self);

  if (self->method == STAMP_SIGN_IN_DEVICE)
    {
      gtk_stack_set_visible_child_name (self->oauth_stack, "device-wait");
      stamp_oauth_sign_in_device_async (self->sign_in, self->cancellable, sign_in_done_cb,
                                        g_object_ref (self));
    }
  else
    {
      gtk_stack_set_visible_child_name (self->oauth_stack, "browser");
      stamp_oauth_sign_in_browser_async (self->sign_in, self->cancellable, sign_in_done_cb,
                                         g_object_ref (self));
    }
}

void
_stamp_sign_in_page_start_sign_in (StampSignInPage *self)
{
  sign_in_clicked_cb (self);
}

static void
cancel_clicked_cb (StampSignInPage *self)
{
  _stamp_sign_in_page_cancel_sign_in (self);
  gtk_stack_set_visible_child_name (self->oauth_stack, "idle");
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_button));
}

static void
copy_link_clicked_cb (StampSignInPage *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_label (self->authorize_label));
  stamp_button_set_mnemonic_label (self->copy_link_button, _("Link Copied"));
}

static void
copy_code_clicked_cb (StampSignInPage *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          gtk_label_get_label (self->user_code_label));
  stamp_button_set_mnemonic_label (self->copy_code_button, _("Code Copied"));
}

void
_stamp_sign_in_page_class_init_oauth (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_code_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
}

/* stamp-sign-in-page.c
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

enum {
  PROP_0,
  PROP_COMPLETE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampSignInPage, stamp_sign_in_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

void
_stamp_sign_in_page_update_complete (StampSignInPage *self)
{
  gboolean complete = FALSE;

  switch (self->method)
    {
    case STAMP_SIGN_IN_BROWSER:
    case STAMP_SIGN_IN_DEVICE:
      complete = self->tokens != NULL || _stamp_sign_in_page_keeps_saved_sign_in (self);
      break;

    case STAMP_SIGN_IN_PASSWORD:
      complete = self->password_stored
                 || *gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) != '\0';
      break;

    case STAMP_SIGN_IN_NONE:
    default:
      complete = TRUE;
      break;
    }

  if (self->complete == complete)
    return;

  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

void
_stamp_sign_in_page_hide_error (StampSignInPage *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_widget_set_visible (self->consent_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->no_client_label), FALSE);
}

/* The message in plain words up front; all of it, with the error's name,
 * one click away. */
void
_stamp_sign_in_page_show_error (StampSignInPage *self,
            const GError    *error)
{
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;
  const char *paragraph_end = strstr (error->message, "\n\n");

  summary = paragraph_end != NULL ? g_strndup (error->message, paragraph_end - error->message)
                                  : g_strdup (error->message);
  details = g_strdup_printf (_("%s\n\nError code: %s"), error->message,
                             error->domain == STAMP_ERROR ? stamp_error_get_nick (error)
                                                          : g_quark_to_string (error->domain));

  gtk_label_set_label (self->error_label, summary);
  gtk_label_set_label (self->details_label, details);
  _stamp_sign_in_page_show_consent (self, error);
  gtk_widget_set_visible (self->error_box, TRUE);
}

static const char *
provider_brand (StampProvider *provider)
{
  const StampProviderOAuth *oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;

  if (oauth == NULL)
    return NULL;
  if (g_str_has_prefix (oauth->registration, "microsoft"))
    return "Microsoft";
  if (g_str_equal (oauth->registration, "google"))
    return "Google";

  return stamp_provider_get_name (provider);
}

static void
show_method (StampSignInPage *self)
{
  g_autofree char *button_label = NULL;

  switch (self->method)
    {
    case STAMP_SIGN_IN_BROWSER:
    case STAMP_SIGN_IN_DEVICE:
      gtk_stack_set_visible_child_name (self->method_stack, "oauth");
      if (self->method == STAMP_SIGN_IN_BROWSER)
        /* Translators: %s is "Microsoft" or "Google" */
        button_label = g_strdup_printf (_("_Sign In with %s"), provider_brand (self->provider));
      else
        button_label = g_strdup (_("_Get a Code"));
      stamp_button_set_mnemonic_label (self->sign_in_button, button_label);
      break;

    case STAMP_SIGN_IN_PASSWORD:
      gtk_stack_set_visible_child_name (self->method_stack, "password");
      break;

    case STAMP_SIGN_IN_NONE:
    default:
      gtk_stack_set_visible_child_name (self->method_stack, "none");
      break;
    }

  _stamp_sign_in_page_show_send_method (self);
  _stamp_sign_in_page_update_complete (self);
}

static void
method_toggled_cb (StampSignInPage *self)
{
  StampSignInMethod method;

  if (gtk_check_button_get_active (self->browser_check))
    method = STAMP_SIGN_IN_BROWSER;
  else if (gtk_check_button_get_active (self->device_check))
    method = STAMP_SIGN_IN_DEVICE;
  else if (gtk_check_button_get_active (self->password_check))
    method = STAMP_SIGN_IN_PASSWORD;
  else if (gtk_check_button_get_active (self->none_check))
    method = STAMP_SIGN_IN_NONE;
  else
    return;

  if (method == self->method)
    return;

  /* A sign-in that was waiting belongs to the method left behind. */
  if (self->sign_in != NULL)
    {
      _stamp_sign_in_page_cancel_sign_in (self);
      gtk_stack_set_visible_child_name (self->oauth_stack, "idle");
    }

  /* Tokens are good for either OAuth method. */
  if ((method == STAMP_SIGN_IN_BROWSER || method == STAMP_SIGN_IN_DEVICE) && self->tokens != NULL)
    gtk_stack_set_visible_child_name (self->oauth_stack, "done");

  self->method = method;
  _stamp_sign_in_page_hide_error (self);
  show_method (self);
}

static char *
dup_entry_text (gpointer entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
password_changed_cb (StampSignInPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  g_clear_pointer (&self->stripped_password, g_free);
  if (*password != '\0')
    self->stripped_password = stamp_diagnosis_strip_app_password (password);
  gtk_widget_set_visible (GTK_WIDGET (self->stripped_label), self->stripped_password != NULL);

  _stamp_sign_in_page_update_complete (self);
}

static void
stamp_sign_in_page_dispose (GObject *object)
{
  StampSignInPage *self = (StampSignInPage *) object;

  _stamp_sign_in_page_cancel_sign_in (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_SIGN_IN_PAGE);

  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->provider);
  g_clear_object (&self->chosen_provider);
  g_clear_object (&self->saved_sign_in);

  G_OBJECT_CLASS (stamp_sign_in_page_parent_class)->dispose (object);
}

static void
stamp_sign_in_page_finalize (GObject *object)
{
  StampSignInPage *self = (StampSignInPage *) object;

  g_clear_pointer (&self->tokens, stamp_oauth_tokens_free);
  g_clear_pointer (&self->stripped_password, g_free);
  g_clear_pointer (&self->client_secret, stamp_secret_free);
  g_clear_pointer (&self->stored_client_secret, stamp_secret_free);
  _stamp_sign_in_page_finalize_graph (self);

  G_OBJECT_CLASS (stamp_sign_in_page_parent_class)->finalize (object);
}

static void
stamp_sign_in_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StampSignInPage *self = STAMP_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_sign_in_page_class_init (StampSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_sign_in_page_dispose;
  object_class->finalize = stamp_sign_in_page_finalize;
  object_class->get_property = stamp_sign_in_page_get_property;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STAMP_TYPE_REGISTRATION_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, authorize_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, browser_check);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, browser_error_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, browser_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, copy_code_button);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, device_check);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, done_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, method_stack);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, no_client_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, none_check);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, none_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, notes_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, oauth_stack);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, password_check);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, password_note);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, provider_list);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, provider_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, registration_group);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, stored_password_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, stripped_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, user_code_label);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, StampSignInPage, verification_label);
  gtk_widget_class_bind_template_callback (widget_class, method_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  _stamp_sign_in_page_class_init_graph (widget_class);
  _stamp_sign_in_page_class_init_oauth (widget_class);
  _stamp_sign_in_page_class_init_provider (widget_class);
}

/* libadwaita 1.2 leaves the button that shows the password unnamed; its
 * name says what it does now, as its icon does. */
static void
name_show_password_button (StampSignInPage *self)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->password_entry));
  GtkWidget *button = stamp_find_descendant (GTK_WIDGET (self->password_entry), GTK_TYPE_BUTTON, NULL);

  if (button != NULL && GTK_IS_TEXT (text))
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_text_get_visibility (GTK_TEXT (text)) ? _("Hide Password")
                                                                              : _("Show Password"),
                                    -1);
}

static void
stamp_sign_in_page_init (StampSignInPage *self)
{
  g_autoptr(PangoAttrList) no_hyphens = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The consent link wraps anywhere, without hyphens that are not in it. */
  pango_attr_list_insert (no_hyphens, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->consent_link_label, no_hyphens);
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));
  _stamp_sign_in_page_reset_provider_choice (self);

  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->password_entry)),
                           "notify::visibility", G_CALLBACK (name_show_password_button),
                           self, G_CONNECT_SWAPPED);
  name_show_password_button (self);

  g_signal_connect_object (self->registration_group, "changed",
                           G_CALLBACK (_stamp_sign_in_page_show_saved_sign_in), self, G_CONNECT_SWAPPED);

  self->method = STAMP_SIGN_IN_NONE;
  gtk_check_button_set_active (self->none_check, TRUE);
  show_method (self);
}

static void
show_provider (StampSignInPage *self)
{
  const StampProviderOAuth *oauth = NULL;
  const char * const *notes = NULL;
  g_autofree char *description = NULL;
  g_autofree char *browser_title = NULL;
  gboolean password = TRUE;
  gboolean app_password = FALSE;

  if (self->provider != NULL)
    {
      oauth = stamp_provider_get_oauth (self->provider);
      notes = stamp_provider_get_notes (self->provider);
      password = stamp_provider_supports_auth (self->provider, STAMP_AUTH_PLAIN)
                 || stamp_provider_supports_auth (self->provider, STAMP_AUTH_LOGIN);
      app_password = stamp_provider_needs_app_password (self->provider);
    }

  stamp_registration_group_set_provider (self->registration_group, self->provider);
  gtk_widget_set_visible (self->browser_row, oauth != NULL);
  gtk_widget_set_visible (self->device_row, oauth != NULL && oauth->device_url != NULL);
  gtk_widget_set_visible (self->password_row, password);
  if (oauth != NULL)
    {
      /* Translators: %s is "Microsoft" or "Google" */
      browser_title = g_strdup_printf (_("Sign In with %s"), provider_brand (self->provider));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->browser_row), browser_title);
    }

  if (self->provider != NULL)
    /* Translators: "How Stamp signs in to Microsoft 365 to send as ada@example.com" */
    description = g_strdup_printf (_("Choose how Stamp signs in to %s to send as %s."),
                                   stamp_provider_get_name (self->provider),
                                   stamp_account_get_address (self->account));
  else
    description = g_strdup_printf (_("Choose how Stamp signs in to %s to send as %s."),
                                   stamp_account_get_host (self->account),
                                   stamp_account_get_address (self->account));
  gtk_label_set_label (self->description_label, description);

  if (notes != NULL && notes[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", (char **) notes);

      gtk_label_set_label (self->notes_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), notes != NULL && notes[0] != NULL);

  if (app_password)
    gtk_label_set_label (self->password_note,
                         _("This provider takes an app password, which you create in your "
                           "account’s security settings, not your usual password."));
  else
    gtk_label_set_label (self->password_note,
                         _("If the account uses two-step verification (MFA), its usual password "
                           "will not work here: create an app password in the account’s security "
                           "settings and use that."));
}

/* Chooses the method for @self's provider: a saved account keeps its
 * own, a new one starts with the best. */
static void
choose_method (StampSignInPage *self,
               gboolean         prefer_oauth)
{
  GtkCheckButton *check;

  switch (prefer_oauth ? STAMP_AUTH_AUTO : stamp_account_get_auth_mechanism (self->account))
    {
    case STAMP_AUTH_XOAUTH2:
    case STAMP_AUTH_OAUTHBEARER:
      check = self->browser_check;
      break;

    case STAMP_AUTH_NONE:
      check = self->none_check;
      break;

    case STAMP_AUTH_PLAIN:
    case STAMP_AUTH_LOGIN:
      check = self->password_check;
      break;

    case STAMP_AUTH_AUTO:
    default:
      check = gtk_widget_get_visible (self->browser_row) ? self->browser_check
                                                         : self->password_check;
      break;
    }
  if (!gtk_widget_get_visible (gtk_widget_get_ancestor (GTK_WIDGET (check), GTK_TYPE_LIST_BOX_ROW)))
    check = gtk_widget_get_visible (self->password_row) ? self->password_check : self->none_check;

  gtk_check_button_set_active (check, TRUE);
  show_method (self);
}

void
_stamp_sign_in_page_use_provider (StampSignInPage *self,
              StampProvider   *provider,
              gboolean         prefer_oauth)
{
  _stamp_sign_in_page_cancel_sign_in (self);
  _stamp_sign_in_page_hide_error (self);
  g_clear_pointer (&self->tokens, stamp_oauth_tokens_free);
  g_set_object (&self->provider, provider);

  stamp_registration_group_set_account (self->registration_group, self->account);
  _stamp_sign_in_page_suggest_registration (self);
  _stamp_sign_in_page_show_saved_sign_in (self);
  show_provider (self);
  choose_method (self, prefer_oauth);
}

/**
 * stamp_sign_in_page_set_account:
 * @self: a sign-in page
 * @account: the account being set up
 *
 * Offers the sign-in methods of the provider that runs @account's server,
 * or a choice of provider when Stamp does not know the server. The page
 * keeps @account and sets its app registration before an OAuth sign-in;
 * a sign-in already done stays unless the provider changed.
 */
void
stamp_sign_in_page_set_account (StampSignInPage *self,
                                StampAccount    *account)
{
  StampProvider *found;
  StampProvider *provider;

  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  /* Another account is another address and server: what was chosen or
   * typed for the old one, a password above all, must not go to the new. */
  if (self->account != account)
    {
      _stamp_sign_in_page_reset_provider_choice (self);
      gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
      self->send_method = stamp_account_get_method (account);
    }

  found = _stamp_sign_in_page_find_server_provider (account);
  gtk_widget_set_visible (self->provider_list, found == NULL);
  provider = found != NULL ? found : self->chosen_provider;

  if (self->account == account && self->provider == provider)
    {
      show_provider (self);
      return;
    }

  g_set_object (&self->account, account);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                         stamp_account_get_sign_in_name (account));
  _stamp_sign_in_page_use_provider (self, provider, FALSE);
}

/**
 * stamp_sign_in_page_apply:
 * @self: a sign-in page
 * @account: the account to set up
 *
 * Sets how @account signs in: mechanism, username and app registration.
 */
void
stamp_sign_in_page_apply (StampSignInPage *self,
                          StampAccount    *account)
{
  g_autofree char *username = NULL;
  StampAuthMechanism mechanism;

  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  switch (self->method)
    {
    case STAMP_SIGN_IN_BROWSER:
    case STAMP_SIGN_IN_DEVICE:
      mechanism = self->provider == NULL
                  || stamp_provider_supports_auth (self->provider, STAMP_AUTH_XOAUTH2)
                  ? STAMP_AUTH_XOAUTH2 : STAMP_AUTH_OAUTHBEARER;
      stamp_registration_group_apply (self->registration_group, account);
      break;

    case STAMP_SIGN_IN_PASSWORD:
      /* Stamp picks PLAIN or LOGIN from what the server offers. */
      mechanism = STAMP_AUTH_AUTO;
      username = dup_entry_text (self->username_row);
      break;

    case STAMP_SIGN_IN_NONE:
    default:
      mechanism = STAMP_AUTH_NONE;
      break;
    }

  stamp_account_set_auth_mechanism (account, mechanism);
  stamp_account_set_method (account, _stamp_sign_in_page_get_offered_send_method (self));
  if (self->provider != NULL)
    stamp_account_set_provider_id (account, stamp_provider_get_id (self->provider));
  if (username != NULL && stamp_account_compare_address (account, username) == 0)
    g_clear_pointer (&username, g_free);
  stamp_account_set_username (account, username);
}

StampSignInMethod
stamp_sign_in_page_get_method (StampSignInPage *self)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), STAMP_SIGN_IN_NONE);

  return self->method;
}

gboolean
stamp_sign_in_page_get_complete (StampSignInPage *self)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), FALSE);

  return self->complete;
}

/**
 * stamp_sign_in_page_get_secret:
 * @self: a sign-in page
 * @is_token: (out): whether the secret is an OAuth access token
 *
 * Returns: (nullable): the password (without an app password's display
 *   spaces) or the access token, or %NULL without sign-in or when the
 *   password field is left empty to keep the stored password
 */
const char *
stamp_sign_in_page_get_secret (StampSignInPage *self,
                               gboolean        *is_token)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), NULL);
  g_return_val_if_fail (is_token != NULL, NULL);

  *is_token = FALSE;

  switch (self->method)
    {
    case STAMP_SIGN_IN_BROWSER:
    case STAMP_SIGN_IN_DEVICE:
      *is_token = TRUE;
      return self->tokens != NULL ? self->tokens->access_token : NULL;

    case STAMP_SIGN_IN_PASSWORD:
      if (self->stripped_password != NULL)
        return self->stripped_password;
      /* Empty keeps the stored password. */
      if (*gtk_editable_get_text (GTK_EDITABLE (self->password_entry)) == '\0')
        return NULL;
      return gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

    case STAMP_SIGN_IN_NONE:
    default:
      return NULL;
    }
}

/**
 * stamp_sign_in_page_get_tokens:
 * @self: a sign-in page
 *
 * Returns: (nullable): the tokens of the OAuth sign-in done on this page
 */
const StampOAuthTokens *
stamp_sign_in_page_get_tokens (StampSignInPage *self)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), NULL);

  return self->tokens;
}

/**
 * stamp_sign_in_page_get_client_secret:
 * @self: a sign-in page
 *
 * Returns: (nullable): the client secret of the organization's app that
 *   the OAuth sign-in done on this page used
 */
const char *
stamp_sign_in_page_get_client_secret (StampSignInPage *self)
{
  g_return_val_if_fail (STAMP_IS_SIGN_IN_PAGE (self), NULL);

  return self->tokens != NULL ? self->client_secret : NULL;
}

/**
 * stamp_sign_in_page_set_password_stored:
 * @self: a sign-in page
 * @stored: whether the keyring holds a password for the account
 *
 * With a stored password the password field may stay empty: the account
 * keeps the stored one. The page never shows it.
 */
void
stamp_sign_in_page_set_password_stored (StampSignInPage *self,
                                        gboolean         stored)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));

  self->password_stored = !!stored;
  gtk_widget_set_visible (GTK_WIDGET (self->stored_password_label), self->password_stored);
  _stamp_sign_in_page_update_complete (self);
}

/**
 * stamp_sign_in_page_set_stored_client_secret:
 * @self: a sign-in page
 * @client_secret: (nullable): the client secret in the keyring, or %NULL
 *
 * A new OAuth sign-in uses @client_secret when the client secret field is
 * left empty. The page never shows it.
 */
void
stamp_sign_in_page_set_stored_client_secret (StampSignInPage *self,
                                             const char      *client_secret)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));

  g_clear_pointer (&self->stored_client_secret, stamp_secret_free);
  self->stored_client_secret = g_strdup (client_secret);
  stamp_registration_group_set_client_secret_stored (self->registration_group,
                                                     client_secret != NULL);
}

/**
 * stamp_sign_in_page_cancel:
 * @self: a sign-in page
 *
 * Stops a sign-in that is waiting for the browser or the code.
 */
void
stamp_sign_in_page_cancel (StampSignInPage *self)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));

  if (self->sign_in != NULL)
    {
      _stamp_sign_in_page_cancel_sign_in (self);
      gtk_stack_set_visible_child_name (self->oauth_stack, "idle");
    }
}

/**
 * stamp_sign_in_page_sign_in_again:
 * @self: a sign-in page
 * @account: a saved OAuth account
 *
 * Offers only the OAuth methods of @account and starts the sign-in in the
 * browser at once, for an account whose sign-in has expired or was
 * revoked. The tokens are then stamp_sign_in_page_get_tokens().
 */
void
stamp_sign_in_page_sign_in_again (StampSignInPage *self,
                                  StampAccount    *account)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  stamp_sign_in_page_set_account (self, account);
  gtk_widget_set_visible (self->provider_list, FALSE);
  gtk_widget_set_visible (self->password_row, FALSE);
  gtk_widget_set_visible (self->none_row, FALSE);
  /* The account works already: what the provider needs is no news. */
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);
  /* Nor does how it sends: the sign-in asks that method's permission. */
  self->send_method_fixed = TRUE;
  gtk_check_button_set_active (self->browser_check, TRUE);
  show_method (self);
  _stamp_sign_in_page_start_sign_in (self);
}

/**
 * stamp_sign_in_page_show_problem:
 * @self: a sign-in page
 * @error: what went wrong after the sign-in, such as saving its tokens
 */
void
stamp_sign_in_page_show_problem (StampSignInPage *self,
                                 const GError    *error)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (error != NULL);

  _stamp_sign_in_page_show_error (self, error);
}

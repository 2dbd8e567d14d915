/* stamp-sign-in-page-provider.c
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

#include "stamp-core.h"
#include "stamp-sign-in-page-private.h"

/* Which provider the sign-in page offers: the one that runs the server, or
 * the one chosen for a server Stamp does not know; the app registration a
 * saved account of the same tenant lends; and the saved sign-in that an
 * account being changed keeps. */

/* The provider choice, in the order of the combo row; the last is "Other
 * Server". */
static const char * const choice_ids[] = { "microsoft365", "outlook", "google" };
#define CHOICE_OTHER G_N_ELEMENTS (choice_ids)

/* A saved account's sign-in stays in the keyring while it signs in to the
 * same provider with the same app registration: a new port or host needs
 * no new sign-in. */
gboolean
_stamp_sign_in_page_keeps_saved_sign_in (StampSignInPage *self)
{
  return self->saved_sign_in != NULL && self->provider != NULL
         && g_strcmp0 (stamp_account_get_provider_id (self->saved_sign_in),
                       stamp_provider_get_id (self->provider)) == 0
         && stamp_registration_group_matches (self->registration_group, self->saved_sign_in)
         /* A sign-in for SMTP has no permission for Microsoft Graph; one for
          * Graph asked for SMTP's too. */
         && (_stamp_sign_in_page_get_offered_send_method (self) != STAMP_SEND_METHOD_GRAPH
             || stamp_account_get_method (self->saved_sign_in) == STAMP_SEND_METHOD_GRAPH);
}

/* A client id entered once serves the next account of the same tenant. */
void
_stamp_sign_in_page_suggest_registration (StampSignInPage *self)
{
  StampAccount *saved;

  if (self->store == NULL || self->provider == NULL
      || stamp_provider_get_oauth (self->provider) == NULL
      || stamp_account_get_oauth_client_id (self->account) != NULL)
    return;

  saved = stamp_oauth_find_registration (G_LIST_MODEL (self->store),
                                         stamp_account_get_address (self->account),
                                         self->provider);
  if (saved != NULL)
    stamp_registration_group_suggest (self->registration_group, saved);
}

/* Without a new sign-in, the page says whether the stored one stays. */
void
_stamp_sign_in_page_show_saved_sign_in (StampSignInPage *self)
{
  gboolean kept;

  if (self->tokens != NULL || self->sign_in != NULL || self->account == NULL)
    return;

  kept = _stamp_sign_in_page_keeps_saved_sign_in (self);
  if (kept)
    gtk_label_set_label (self->done_label, _("Signed in. The sign-in in the keyring stays."));
  gtk_stack_set_visible_child_name (self->oauth_stack, kept ? "done" : "idle");
  _stamp_sign_in_page_update_complete (self);
}

/* The server decides how to sign in: smtp.office365.com takes Microsoft's
 * sign-in whatever discovery found for the address. Only OAuth hosts
 * count: a host such as 127.0.0.1 (Proton Mail Bridge's) says nothing
 * about who runs the server. */
StampProvider *
_stamp_sign_in_page_find_server_provider (StampAccount *account)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  const char *provider_id = stamp_account_get_provider_id (account);
  const char *host = stamp_account_get_host (account);
  StampProvider *named = provider_id != NULL ? stamp_provider_db_lookup_id (db, provider_id) : NULL;
  StampProvider *serving = host != NULL ? stamp_provider_db_lookup_host (db, host) : NULL;
  const StampProviderOAuth *named_oauth = named != NULL ? stamp_provider_get_oauth (named) : NULL;
  const StampProviderOAuth *serving_oauth = serving != NULL ? stamp_provider_get_oauth (serving)
                                                            : NULL;

  if (serving_oauth != NULL
      && (named_oauth == NULL || g_strcmp0 (named_oauth->registration,
                                            serving_oauth->registration) != 0))
    return serving;

  return named;
}

static void
provider_selected_cb (StampSignInPage *self)
{
  guint selected = adw_combo_row_get_selected (self->provider_row);
  StampProvider *provider = NULL;

  if (self->updating || self->account == NULL)
    return;

  if (selected < G_N_ELEMENTS (choice_ids))
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                            choice_ids[selected]);
  g_set_object (&self->chosen_provider, provider);

  if (provider != self->provider)
    _stamp_sign_in_page_use_provider (self, provider, TRUE);
}

void
_stamp_sign_in_page_reset_provider_choice (StampSignInPage *self)
{
  g_clear_object (&self->chosen_provider);
  self->updating = TRUE;
  adw_combo_row_set_selected (self->provider_row, CHOICE_OTHER);
  self->updating = FALSE;
}

void
_stamp_sign_in_page_class_init_provider (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, provider_selected_cb);
}

/**
 * stamp_sign_in_page_set_store:
 * @self: a sign-in page
 * @store: the saved accounts
 *
 * Lets the page offer the app registration of a saved account of the
 * same tenant to a new account.
 */
void
stamp_sign_in_page_set_store (StampSignInPage   *self,
                              StampAccountStore *store)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (store == NULL || STAMP_IS_ACCOUNT_STORE (store));

  g_set_object (&self->store, store);
}

/**
 * stamp_sign_in_page_set_saved_account:
 * @self: a sign-in page
 * @saved: the saved account being changed
 *
 * An OAuth account keeps the sign-in it has in the keyring while it signs
 * in to the same provider: changing its port or host asks for no new
 * sign-in. Call before stamp_sign_in_page_set_account().
 */
void
stamp_sign_in_page_set_saved_account (StampSignInPage *self,
                                      StampAccount    *saved)
{
  g_return_if_fail (STAMP_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (saved));

  g_clear_object (&self->saved_sign_in);
  if (!stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (saved)))
    return;

  /* A copy: the account being changed takes the page's settings later. */
  self->saved_sign_in = stamp_account_new (stamp_account_get_address (saved));
  stamp_account_set_provider_id (self->saved_sign_in, stamp_account_get_provider_id (saved));
  stamp_account_set_oauth_client_id (self->saved_sign_in, stamp_account_get_oauth_client_id (saved));
  stamp_account_set_oauth_tenant (self->saved_sign_in, stamp_account_get_oauth_tenant (saved));
  stamp_account_set_oauth_authority (self->saved_sign_in, stamp_account_get_oauth_authority (saved));
}

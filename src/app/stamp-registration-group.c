/* stamp-registration-group.c
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

#define G_LOG_DOMAIN "stamp-registration-group"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-registration-group.h"

/*
 * StampRegistrationGroup:
 *
 * The "Organization's App Registration" section of the sign-in page: the
 * client ID, tenant and sign-in service of an organization's own app, and
 * for Google, whose desktop apps come with one, its client secret. The
 * secret never goes into the account: the setup assistant keeps it in the
 * keyring.
 *
 * Where the build carries no client id for the provider, the section is
 * open from the start, says why in one line, and keeps the steps to
 * register an app one click away.
 */
struct _StampRegistrationGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template children */
  AdwEntryRow         *authority_row;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *client_secret_row;
  GtkWidget           *client_secret_note;
  GtkLabel            *client_secret_note_label;
  AdwExpanderRow      *expander_row;
  GtkExpander         *help_expander;
  GtkWidget           *help_row;
  GtkLabel            *steps_label;
  AdwEntryRow         *tenant_row;
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampRegistrationGroup, stamp_registration_group, ADW_TYPE_PREFERENCES_GROUP)

static guint signals[N_SIGNALS];

static char *
dup_entry_text (gpointer entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_entry_text (gpointer    entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

static void
entry_changed_cb (StampRegistrationGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
stamp_registration_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STAMP_TYPE_REGISTRATION_GROUP);

  G_OBJECT_CLASS (stamp_registration_group_parent_class)->dispose (object);
}

static void
stamp_registration_group_class_init (StampRegistrationGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_registration_group_dispose;

  /**
   * StampRegistrationGroup::changed:
   *
   * The client ID, tenant or sign-in service changed: tokens got with
   * another registration no longer fit.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-registration-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, authority_row);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, client_secret_note);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, client_secret_note_label);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, expander_row);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, help_expander);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, help_row);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, steps_label);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, tenant_row);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
}

static void
stamp_registration_group_init (StampRegistrationGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  stamp_expander_row_open_by_keys (self->expander_row, _("App Registration"));
  stamp_expander_hide_closed_child (self->help_expander);
}

/**
 * stamp_registration_group_set_account:
 * @self: a registration group
 * @account: the account being set up
 *
 * Shows the app registration @account has; the client secret starts empty.
 */
void
stamp_registration_group_set_account (StampRegistrationGroup *self,
                                      StampAccount           *account)
{
  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  set_entry_text (self->client_id_row, stamp_account_get_oauth_client_id (account));
  set_entry_text (self->tenant_row, stamp_account_get_oauth_tenant (account));
  set_entry_text (self->authority_row, stamp_account_get_oauth_authority (account));
  set_entry_text (self->client_secret_row, NULL);
}

/**
 * stamp_registration_group_set_provider:
 * @self: a registration group
 * @provider: (nullable): the account's provider
 *
 * Asks for a client secret only where the provider's registrations have
 * one, and for a tenant only where it is an organization's. Without a
 * client id in this build, the client ID is needed: the section opens
 * and says so.
 */
void
stamp_registration_group_set_provider (StampRegistrationGroup *self,
                                       StampProvider          *provider)
{
  const StampProviderOAuth *oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;
  gboolean google;
  gboolean needed;

  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));

  google = oauth != NULL && g_strcmp0 (oauth->registration, "google") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->client_secret_row), google);
  gtk_widget_set_visible (self->client_secret_note, google);
  /* Google has no tenants; personal Microsoft accounts all share one. */
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row),
                          oauth != NULL && !google && g_strcmp0 (oauth->tenant, "consumers") != 0);

  needed = oauth != NULL && !stamp_oauth_has_built_in_client (provider);
  gtk_widget_set_visible (self->help_row, needed);
  if (needed)
    {
      g_autofree char *reason = NULL;
      g_autofree char *steps = stamp_oauth_provider_registration_steps (provider);

      /* Translators: %s is a provider, "Microsoft 365" */
      reason = g_strdup_printf (_("Needed: this copy of Stamp has no app registration for %s"),
                                stamp_provider_get_name (provider));
      adw_expander_row_set_subtitle (self->expander_row, reason);
      gtk_label_set_label (self->steps_label, steps);
      /* Open, unless the client ID is filled in already. */
      if (*gtk_editable_get_text (GTK_EDITABLE (self->client_id_row)) == '\0')
        adw_expander_row_set_expanded (self->expander_row, TRUE);
    }
  else
    adw_expander_row_set_subtitle (self->expander_row,
                                   _("Only if your IT administrator gave you one"));
}

/**
 * stamp_registration_group_suggest:
 * @self: a registration group
 * @saved: a saved account of the same tenant
 *
 * Fills in @saved's client ID, tenant and sign-in service, unless a client
 * ID is already there: a client ID entered once serves the next account.
 */
void
stamp_registration_group_suggest (StampRegistrationGroup *self,
                                  StampAccount           *saved)
{
  g_autofree char *client_id = NULL;

  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (saved));

  client_id = dup_entry_text (self->client_id_row);
  if (client_id != NULL)
    return;

  set_entry_text (self->client_id_row, stamp_account_get_oauth_client_id (saved));
  set_entry_text (self->tenant_row, stamp_account_get_oauth_tenant (saved));
  set_entry_text (self->authority_row, stamp_account_get_oauth_authority (saved));
}

/**
 * stamp_registration_group_matches:
 * @self: a registration group
 * @account: an account
 *
 * Returns: whether the client ID, tenant and sign-in service are
 *   @account's
 */
gboolean
stamp_registration_group_matches (StampRegistrationGroup *self,
                                  StampAccount           *account)
{
  g_autofree char *client_id = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *authority = NULL;

  g_return_val_if_fail (STAMP_IS_REGISTRATION_GROUP (self), FALSE);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), FALSE);

  client_id = dup_entry_text (self->client_id_row);
  tenant = dup_entry_text (self->tenant_row);
  authority = dup_entry_text (self->authority_row);

  return g_strcmp0 (client_id, stamp_account_get_oauth_client_id (account)) == 0
         && g_strcmp0 (tenant, stamp_account_get_oauth_tenant (account)) == 0
         && g_strcmp0 (authority, stamp_account_get_oauth_authority (account)) == 0;
}

/**
 * stamp_registration_group_apply:
 * @self: a registration group
 * @account: the account to set up
 *
 * Sets the client ID, tenant and sign-in service of @account.
 */
void
stamp_registration_group_apply (StampRegistrationGroup *self,
                                StampAccount           *account)
{
  g_autofree char *client_id = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *authority = NULL;

  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  client_id = dup_entry_text (self->client_id_row);
  tenant = dup_entry_text (self->tenant_row);
  authority = dup_entry_text (self->authority_row);
  stamp_account_set_oauth_client_id (account, client_id);
  stamp_account_set_oauth_tenant (account, tenant);
  stamp_account_set_oauth_authority (account, authority);
}

/**
 * stamp_registration_group_dup_client_secret:
 * @self: a registration group
 *
 * Returns: (transfer full) (nullable): the client secret typed, if the
 *   provider takes one
 */
StampSecret *
stamp_registration_group_dup_client_secret (StampRegistrationGroup *self)
{
  g_autoptr(StampSecret) secret = NULL;

  g_return_val_if_fail (STAMP_IS_REGISTRATION_GROUP (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->client_secret_row)))
    return NULL;

  secret = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row))));

  return *secret != '\0' ? g_steal_pointer (&secret) : NULL;
}

/**
 * stamp_registration_group_set_client_secret_stored:
 * @self: a registration group
 * @stored: whether the keyring holds the account's client secret
 *
 * Says that the client secret field may stay empty to keep the stored one.
 */
void
stamp_registration_group_set_client_secret_stored (StampRegistrationGroup *self,
                                                   gboolean                stored)
{
  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));

  gtk_label_set_label (self->client_secret_note_label,
                       stored ? _("A client secret is stored; leave the field empty to keep it.")
                              : _("Google desktop apps need the client secret issued with the "
                                  "client ID. Stamp keeps it in the keyring."));
}

/**
 * stamp_registration_group_reveal:
 * @self: a registration group
 *
 * Opens the section and focuses the client ID, for when one is missing.
 */
void
stamp_registration_group_reveal (StampRegistrationGroup *self)
{
  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));

  adw_expander_row_set_expanded (self->expander_row, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->client_id_row));
}

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
 * its client secret: for Google, whose desktop apps come with one, and for
 * a Microsoft registration made with one. The secret never goes into the
 * account: the setup assistant keeps it in the keyring. When the secret
 * expires does go into the account, so that Stamp can warn ahead.
 *
 * Where the build carries no client id for the provider, the section is
 * open from the start, says why in one line, and keeps the steps to
 * register an app one click away.
 */
struct _StampRegistrationGroup
{
  AdwPreferencesGroup  parent_instance;

  gint64               secret_expires;   /* 00:00 UTC of the day, 0 unknown */
  gboolean             google;
  gboolean             secret_stored;

  /* Template children */
  AdwEntryRow         *authority_row;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *client_secret_row;
  GtkWidget           *client_secret_note;
  GtkLabel            *client_secret_note_label;
  AdwExpanderRow      *expander_row;
  GtkExpander         *help_expander;
  GtkWidget           *help_row;
  GtkMenuButton       *secret_expires_button;
  GtkWidget           *secret_expires_row;
  GtkCalendar         *secret_expires_calendar;   /* made when first needed */
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

/* Entra's default lifetime for a new client secret. */
#define DEFAULT_SECRET_DAYS 180

static void
show_secret_expires (StampRegistrationGroup *self)
{
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *text = NULL;

  if (self->secret_expires == 0)
    {
      gtk_menu_button_set_label (self->secret_expires_button, _("Not Set"));
      return;
    }

  day = g_date_time_new_from_unix_utc (self->secret_expires);
  /* Translators: a date for g_date_time_format(), as in "14 March 2027" */
  text = g_date_time_format (day, _("%e %B %Y"));
  gtk_menu_button_set_label (self->secret_expires_button, g_strstrip (text));
}

/* The calendar shows the day set, that day in the local time zone. */
static void
select_calendar_day (StampRegistrationGroup *self)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (self->secret_expires_calendar == NULL || self->secret_expires == 0)
    return;

  utc = g_date_time_new_from_unix_utc (self->secret_expires);
  local = g_date_time_new_local (g_date_time_get_year (utc), g_date_time_get_month (utc),
                                 g_date_time_get_day_of_month (utc), 0, 0, 0);
  g_signal_handlers_block_matched (self->secret_expires_calendar, G_SIGNAL_MATCH_DATA,
                                   0, 0, NULL, NULL, self);
  gtk_calendar_select_day (self->secret_expires_calendar, local);
  g_signal_handlers_unblock_matched (self->secret_expires_calendar, G_SIGNAL_MATCH_DATA,
                                     0, 0, NULL, NULL, self);
}

static void
set_secret_expires (StampRegistrationGroup *self,
                    gint64                  expires)
{
  self->secret_expires = expires;
  show_secret_expires (self);
  select_calendar_day (self);
}

/* The calendar's day, whatever its time zone, as that day in UTC. */
static void
secret_expires_day_selected_cb (StampRegistrationGroup *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->secret_expires_calendar);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (g_date_time_get_year (day),
                                                  g_date_time_get_month (day),
                                                  g_date_time_get_day_of_month (day),
                                                  0, 0, 0);

  self->secret_expires = g_date_time_to_unix (utc);
  show_secret_expires (self);
}

static void
secret_expires_default_cb (StampRegistrationGroup *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (stamp_get_now ());
  g_autoptr(GDateTime) later = g_date_time_add_days (now, DEFAULT_SECRET_DAYS);
  g_autoptr(GDateTime) day = g_date_time_new_utc (g_date_time_get_year (later),
                                                  g_date_time_get_month (later),
                                                  g_date_time_get_day_of_month (later),
                                                  0, 0, 0);

  set_secret_expires (self, g_date_time_to_unix (day));
  gtk_menu_button_popdown (self->secret_expires_button);
}

static void
secret_expires_clear_cb (StampRegistrationGroup *self)
{
  set_secret_expires (self, 0);
  gtk_menu_button_popdown (self->secret_expires_button);
}

/* Made when the button first opens: most people never need it, and a
 * calendar is many widgets. */
static void
create_secret_expires_popover_cb (GtkMenuButton *button,
                                  gpointer       user_data)
{
  StampRegistrationGroup *self = user_data;
  GtkWidget *default_button;
  GtkWidget *clear_button;
  GtkWidget *buttons;
  GtkWidget *popover;
  GtkWidget *box;

  if (gtk_menu_button_get_popover (button) != NULL)
    return;

  self->secret_expires_calendar = GTK_CALENDAR (gtk_calendar_new ());
  g_signal_connect_object (self->secret_expires_calendar, "day-selected",
                           G_CALLBACK (secret_expires_day_selected_cb), self,
                           G_CONNECT_SWAPPED);
  select_calendar_day (self);

  default_button = gtk_button_new_with_mnemonic (_("In _180 Days"));
  g_signal_connect_object (default_button, "clicked",
                           G_CALLBACK (secret_expires_default_cb), self, G_CONNECT_SWAPPED);
  clear_button = gtk_button_new_with_mnemonic (_("_Clear"));
  g_signal_connect_object (clear_button, "clicked",
                           G_CALLBACK (secret_expires_clear_cb), self, G_CONNECT_SWAPPED);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_box_append (GTK_BOX (buttons), default_button);
  gtk_box_append (GTK_BOX (buttons), clear_button);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->secret_expires_calendar));
  gtk_box_append (GTK_BOX (box), buttons);

  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (button, popover);
}

static void
show_client_secret_note (StampRegistrationGroup *self)
{
  const char *note;

  if (self->secret_stored)
    note = _("A client secret is stored; leave the field empty to keep it.");
  else if (self->google)
    note = _("Google desktop apps need the client secret issued with the client ID. Stamp "
             "keeps it in the keyring.");
  else
    note = _("Only if the registration was made with a client secret. Stamp keeps it in the "
             "keyring.");

  gtk_label_set_label (self->client_secret_note_label, note);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->client_secret_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, note,
                                  -1);
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
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, secret_expires_button);
  gtk_widget_class_bind_template_child (widget_class, StampRegistrationGroup, secret_expires_row);
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
  gtk_menu_button_set_create_popup_func (self->secret_expires_button,
                                         create_secret_expires_popover_cb, self, NULL);
}

/**
 * stamp_registration_group_set_account:
 * @self: a registration group
 * @account: the account being set up
 *
 * Shows the app registration @account has; the client secret starts empty,
 * and its expiry date is the one saved.
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
  set_secret_expires (self, stamp_account_get_client_secret_expires (account));
}

/**
 * stamp_registration_group_set_provider:
 * @self: a registration group
 * @provider: (nullable): the account's provider
 *
 * Asks for a client secret and its expiry only where the provider's
 * registrations may have one: Google's desktop apps always, an
 * organization's Microsoft registration if it was made with one; and for a
 * tenant only where it is an organization's. Without a
 * client id in this build, the client ID is needed: the section opens
 * and says so.
 */
void
stamp_registration_group_set_provider (StampRegistrationGroup *self,
                                       StampProvider          *provider)
{
  const StampProviderOAuth *oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;
  gboolean organization;
  gboolean google;
  gboolean needed;

  g_return_if_fail (STAMP_IS_REGISTRATION_GROUP (self));

  self->google = google = oauth != NULL && g_strcmp0 (oauth->registration, "google") == 0;
  /* Google has no tenants; personal Microsoft accounts all share one. */
  organization = oauth != NULL && !google && g_strcmp0 (oauth->tenant, "consumers") != 0;
  gtk_widget_set_visible (GTK_WIDGET (self->client_secret_row), google || organization);
  gtk_widget_set_visible (self->client_secret_note, google || organization);
  gtk_widget_set_visible (self->secret_expires_row, google || organization);
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row), organization);
  show_client_secret_note (self);

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
 * Sets the client ID, tenant and sign-in service of @account, and when
 * its client secret expires.
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
  if (gtk_widget_get_visible (self->secret_expires_row))
    stamp_account_set_client_secret_expires (account, self->secret_expires);
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

  self->secret_stored = stored;
  show_client_secret_note (self);
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

/* stamp-account-row.c
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

#define G_LOG_DOMAIN "stamp-account-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "stamp-account-row.h"
#include "stamp-core.h"

/* How often the “5 minutes ago” of the last test is brought up to date. */
#define REFRESH_SECONDS 30
/* How often the sign-in's health is judged again while the row shows: its
 * words change by the day. */
#define HEALTH_SECONDS (60 * 60)

/*
 * StampAccountRow:
 *
 * One account in the main window's list: its name, where it sends from,
 * whether its password or sign-in is stored, and how its last test went.
 * Under an OAuth account, a line says how its sign-in fares ("Signed in ·
 * refreshed 2 days ago", "Sign-in lapsed: sign in again"); when it needs
 * care the line has a warning icon, and when only signing in again helps,
 * a Sign In Again button beside it.
 * The menu of the row tests, exports, edits, signs in again or removes the
 * account, through the window's actions for the account's address.
 *
 * The list recycles rows: one row shows one account after another, as the
 * list scrolls, through #StampAccountRow:account. A row does no work for
 * what it does not show: its menu is built the first time it opens, and
 * the keyring is asked about the account it shows now, not the ones before.
 */
struct _StampAccountRow
{
  AdwBin             parent_instance;

  /* Owned */
  StampAccount      *account;
  GSignalGroup      *account_signals;
  GCancellable      *cancellable;
  guint              refresh_id;
  guint              health_id;

  /* Template children */
  GMenuModel        *account_menu;
  GtkWidget         *health_box;
  GtkImage          *health_icon;
  GtkLabel          *health_label;
  GtkInscription    *last_test_label;
  GtkMenuButton     *menu_button;
  GtkButton         *sign_in_again_button;
  GtkLabel          *sign_in_label;
  GtkInscription    *subtitle_label;
  GtkInscription    *title_label;
};

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampAccountRow, stamp_account_row, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static char *
format_time_ago (gint64 then)
{
  gint64 seconds = g_get_real_time () / G_USEC_PER_SEC - then;
  g_autoptr(GDateTime) time = NULL;
  int n;

  if (seconds < 60)
    return g_strdup (_("just now"));

  if (seconds < 60 * 60)
    {
      n = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n),
                              n);
    }

  if (seconds < 24 * 60 * 60)
    {
      n = seconds / (60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), n);
    }

  if (seconds < 30 * 24 * 60 * 60)
    {
      n = seconds / (24 * 60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), n);
    }

  time = g_date_time_new_from_unix_local (then);
  /* TRANSLATORS: a date for g_date_time_format(), as in “on 14 March 2026” */
  return g_date_time_format (time, _("on %e %B %Y"));
}

static void
stamp_account_row_update_last_test (StampAccountRow *self)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  const char *summary;
  gint64 at;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (self->account == NULL)
    return;

  summary = stamp_account_get_last_test_summary (self->account);
  at = stamp_account_get_last_test_at (self->account);

  if (at == 0)
    {
      gtk_inscription_set_text (self->last_test_label, _("Not tested yet"));
      return;
    }

  when = format_time_ago (at);

  if (stamp_account_get_last_test_ok (self->account))
    /* TRANSLATORS: %s is a time, such as “5 minutes ago” */
    text = g_strdup_printf (_("Last test: sent, %s"), when);
  else if (summary != NULL && *summary != '\0')
    /* TRANSLATORS: the first %s is a short cause, such as “sign-in refused”;
     * the second a time, such as “5 minutes ago” */
    text = g_strdup_printf (_("Last test: failed (%s), %s"), summary, when);
  else
    /* TRANSLATORS: %s is a time, such as “5 minutes ago” */
    text = g_strdup_printf (_("Last test: failed, %s"), when);

  gtk_inscription_set_text (self->last_test_label, text);
}

static gboolean
stamp_account_row_refresh_cb (gpointer user_data)
{
  stamp_account_row_update_last_test (user_data);

  return G_SOURCE_CONTINUE;
}

static void
set_sign_in_state (StampAccountRow *self,
                   const char      *text,
                   const char      *style)
{
  static const char * const styles[] = { "success", "warning" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->sign_in_label), styles[i]);

  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->sign_in_label), style);

  gtk_label_set_label (self->sign_in_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_label), TRUE);
}

static void
stamp_account_row_lookup_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(StampAccountRow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;
  gboolean oauth;

  secret = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->account == NULL)
    return;

  oauth = stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account));

  if (error != NULL)
    {
      set_sign_in_state (self, _("Sign-in unknown"), NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sign_in_label), error->message);
      return;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sign_in_label), NULL);

  if (secret != NULL)
    {
      /* Only whether there is one matters here. */
      stamp_clear_secret (&secret);
      set_sign_in_state (self, oauth ? _("Signed in") : _("Password stored"), "success");
      /* The health line says it already, in more words. */
      if (oauth && gtk_widget_get_visible (self->health_box))
        gtk_widget_set_visible (GTK_WIDGET (self->sign_in_label), FALSE);
    }
  else
    set_sign_in_state (self, oauth ? _("Needs sign-in") : _("No password stored"), "warning");
}

static void
stamp_account_row_update_sign_in (StampAccountRow *self)
{
  StampSecretKind kind;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->account == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.sign-in-again",
                                 stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account)));

  if (stamp_account_get_auth_mechanism (self->account) == STAMP_AUTH_NONE)
    {
      set_sign_in_state (self, _("No sign-in"), NULL);
      return;
    }

  kind = stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account)) ? STAMP_SECRET_REFRESH_TOKEN : STAMP_SECRET_PASSWORD;
  self->cancellable = g_cancellable_new ();
  stamp_secret_store_lookup_async (stamp_secret_store_get_default (),
                                   stamp_account_get_address (self->account),
                                   kind,
                                   self->cancellable,
                                   stamp_account_row_lookup_cb,
                                   g_object_ref (self));
}

/* In the window's list the row is the child of the list's own item, which
 * is what takes the keyboard focus and what a screen reader reads: that
 * one is named too. (GTK 4.12 has GtkListItem:accessible-label for this;
 * 4.8 has not.) */
static void
update_accessible (StampAccountRow *self,
                   const char      *name,
                   const char      *description)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkAccessibleRole role;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  if (parent == NULL)
    return;

  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent));
  if (role == GTK_ACCESSIBLE_ROLE_LIST_ITEM || role == GTK_ACCESSIBLE_ROLE_GRID_CELL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
}

static void
stamp_account_row_update_text (StampAccountRow *self)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *description = NULL;
  StampProvider *provider = NULL;
  const char *provider_id;
  const char *name;
  const char *host;
  guint port;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (self->account == NULL)
    return;

  parts = g_ptr_array_new_with_free_func (g_free);
  provider_id = stamp_account_get_provider_id (self->account);
  name = stamp_account_get_display_name (self->account);
  host = stamp_account_get_host (self->account);
  port = stamp_account_get_effective_port (self->account);

  if (name == NULL || *name == '\0')
    name = stamp_account_get_address (self->account);

  gtk_inscription_set_text (self->title_label, name);

  if (provider_id != NULL)
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (), provider_id);
  if (provider != NULL)
    g_ptr_array_add (parts, g_strdup (stamp_provider_get_name (provider)));

  /* Graph sends over HTTPS: the SMTP server and its security say nothing. */
  if (stamp_account_get_method (self->account) == STAMP_SEND_METHOD_GRAPH)
    g_ptr_array_add (parts, g_strdup (stamp_send_method_to_label (STAMP_SEND_METHOD_GRAPH)));
  else
    {
      /* An IPv6 address needs brackets before the port. */
      if (host != NULL && strchr (host, ':') != NULL)
        g_ptr_array_add (parts, g_strdup_printf ("[%s]:%u", host, port));
      else
        g_ptr_array_add (parts, g_strdup_printf ("%s:%u", host != NULL ? host : "", port));

      g_ptr_array_add (parts, g_strdup (stamp_security_to_label (stamp_account_get_security (self->account))));
    }
  g_ptr_array_add (parts, NULL);

  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_inscription_set_text (self->subtitle_label, subtitle);

  /* A screen reader reads the list's item, not the line under the title. */
  if (gtk_widget_get_visible (self->health_box))
    description = g_strconcat (subtitle, ". ", gtk_label_get_label (self->health_label), NULL);

  update_accessible (self, name, description != NULL ? description : subtitle);
}

static void
stamp_account_row_update_health_line (StampAccountRow *self)
{
  g_autoptr(StampSignInHealth) health = NULL;
  g_autofree char *text = NULL;
  StampSignInState state = STAMP_SIGN_IN_STATE_NONE;
  gint64 now = stamp_get_now ();
  gboolean warning;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (self->account != NULL
      && stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (self->account)))
    health = stamp_sign_in_health_load (stamp_account_get_address (self->account));
  if (health != NULL)
    state = stamp_sign_in_health_get_state (health, self->account, now, NULL);

  gtk_widget_set_visible (self->health_box, state != STAMP_SIGN_IN_STATE_NONE);
  if (state == STAMP_SIGN_IN_STATE_NONE)
    return;

  text = stamp_sign_in_health_describe (health, self->account, now);
  gtk_label_set_label (self->health_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->health_label), text);

  /* Not by colour alone: the icon, named for screen readers, says it too. */
  warning = state != STAMP_SIGN_IN_STATE_OK;
  gtk_widget_set_visible (GTK_WIDGET (self->health_icon), warning);
  if (warning)
    gtk_widget_add_css_class (GTK_WIDGET (self->health_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->health_label), "warning");

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_again_button),
                          state == STAMP_SIGN_IN_STATE_LAPSED || state == STAMP_SIGN_IN_STATE_FAILED);
}

static gboolean
stamp_account_row_health_cb (gpointer user_data)
{
  stamp_account_row_update_health (user_data);

  return G_SOURCE_CONTINUE;
}

static void
stamp_account_row_account_notify_cb (StampAccountRow *self,
                                     GParamSpec      *pspec)
{
  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (g_str_has_prefix (pspec->name, "last-test-"))
    stamp_account_row_update_last_test (self);
  else if (g_str_equal (pspec->name, "auth-mechanism"))
    {
      stamp_account_row_update_health (self);
      stamp_account_row_update_sign_in (self);
    }
  else if (g_str_equal (pspec->name, "client-secret-expires"))
    stamp_account_row_update_health (self);
  else
    stamp_account_row_update_text (self);
}

/* The window owns what can be done to an account; each of the row's
 * actions names its account to one of the window's. */
static const struct
{
  const char *row_action;
  const char *window_action;
} window_actions[] = {
  { "account.send-test", "win.send-test" },
  { "account.export-settings", "win.export-settings" },
  { "account.show-devices", "win.show-devices" },
  { "account.sign-in-again", "win.sign-in-again" },
  { "account.edit", "win.edit-account" },
  { "account.remove", "win.remove-account" },
};

static void
stamp_account_row_activate_window_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  StampAccountRow *self = (StampAccountRow *)widget;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (self->account == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    {
      if (g_str_equal (action_name, window_actions[i].row_action))
        {
          gtk_widget_activate_action (widget, window_actions[i].window_action, "s",
                                      stamp_account_get_address (self->account));
          return;
        }
    }

  g_assert_not_reached ();
}

static void
stamp_account_row_map (GtkWidget *widget)
{
  StampAccountRow *self = (StampAccountRow *)widget;

  GTK_WIDGET_CLASS (stamp_account_row_parent_class)->map (widget);

  stamp_account_row_update_last_test (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, stamp_account_row_refresh_cb, self);
  if (self->health_id == 0)
    self->health_id = g_timeout_add_seconds (HEALTH_SECONDS, stamp_account_row_health_cb, self);
}

static void
stamp_account_row_unmap (GtkWidget *widget)
{
  StampAccountRow *self = (StampAccountRow *)widget;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->health_id, g_source_remove);

  GTK_WIDGET_CLASS (stamp_account_row_parent_class)->unmap (widget);
}

/* Tooltips are asked for when they show: setting a tooltip's text on every
 * row asks the X server where the pointer is, each time. */
static gboolean
stamp_account_row_query_tooltip_cb (StampAccountRow *self,
                                    int              x,
                                    int              y,
                                    gboolean         keyboard_mode,
                                    GtkTooltip      *tooltip,
                                    GtkWidget       *widget)
{
  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (widget == GTK_WIDGET (self->menu_button))
    gtk_tooltip_set_text (tooltip, _("Account Actions"));
  else if (self->account != NULL && widget == GTK_WIDGET (self->title_label))
    gtk_tooltip_set_text (tooltip, stamp_account_get_address (self->account));
  else if (self->account != NULL && widget == GTK_WIDGET (self->subtitle_label))
    gtk_tooltip_set_text (tooltip, gtk_inscription_get_text (self->subtitle_label));
  else
    return FALSE;

  return TRUE;
}

/* The menu is built when it first opens, not for every row shown. */
static void
stamp_account_row_create_menu_cb (GtkMenuButton *button,
                                  gpointer       user_data)
{
  StampAccountRow *self = user_data;

  g_assert (STAMP_IS_ACCOUNT_ROW (self));

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->account_menu);
}

static void
stamp_account_row_dispose (GObject *object)
{
  StampAccountRow *self = (StampAccountRow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->health_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_ACCOUNT_ROW);

  g_clear_object (&self->account_signals);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (stamp_account_row_parent_class)->dispose (object);
}

static void
stamp_account_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StampAccountRow *self = STAMP_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_account_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StampAccountRow *self = STAMP_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      stamp_account_row_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_account_row_class_init (StampAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_account_row_dispose;
  object_class->get_property = stamp_account_row_get_property;
  object_class->set_property = stamp_account_row_set_property;

  widget_class->map = stamp_account_row_map;
  widget_class->unmap = stamp_account_row_unmap;

  /**
   * StampAccountRow:account:
   *
   * The account the row shows, if any.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         STAMP_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, account_menu);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, health_box);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, health_icon);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, health_label);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, last_test_label);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, sign_in_again_button);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, sign_in_label);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, StampAccountRow, title_label);
  gtk_widget_class_bind_template_callback (widget_class, stamp_account_row_query_tooltip_cb);

  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    gtk_widget_class_install_action (widget_class, window_actions[i].row_action, NULL,
                                     stamp_account_row_activate_window_action);
}

static void
stamp_account_row_init (StampAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_menu_button_set_create_popup_func (self->menu_button, stamp_account_row_create_menu_cb,
                                         self, NULL);

  self->account_signals = g_signal_group_new (STAMP_TYPE_ACCOUNT);
  g_signal_group_connect_object (self->account_signals, "notify",
                                 G_CALLBACK (stamp_account_row_account_notify_cb), self,
                                 G_CONNECT_SWAPPED);
}

/**
 * stamp_account_row_new:
 * @account: (nullable): the account to show
 *
 * Returns: (transfer floating): a new #StampAccountRow
 */
GtkWidget *
stamp_account_row_new (StampAccount *account)
{
  g_return_val_if_fail (account == NULL || STAMP_IS_ACCOUNT (account), NULL);

  return g_object_new (STAMP_TYPE_ACCOUNT_ROW,
                       "account", account,
                       NULL);
}

/**
 * stamp_account_row_get_account:
 * @self: a #StampAccountRow
 *
 * Returns: (transfer none) (nullable): the account the row shows
 */
StampAccount *
stamp_account_row_get_account (StampAccountRow *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

/**
 * stamp_account_row_set_account:
 * @self: a #StampAccountRow
 * @account: (nullable): the account to show
 *
 * Shows @account in the row, in place of the one it showed: the list
 * recycles rows as it scrolls. A lookup in the keyring for the account
 * shown before is cancelled, and the sign-in state is hidden until the
 * keyring has answered for @account.
 */
void
stamp_account_row_set_account (StampAccountRow *self,
                               StampAccount    *account)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || STAMP_IS_ACCOUNT (account));

  if (!g_set_object (&self->account, account))
    return;

  g_signal_group_set_target (self->account_signals, account);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_label), FALSE);
  stamp_account_row_update_health (self);
  stamp_account_row_update_last_test (self);
  stamp_account_row_update_sign_in (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

/**
 * stamp_account_row_refresh_sign_in:
 * @self: a #StampAccountRow
 *
 * Looks again for the account's password or sign-in in the keyring, and
 * at its sign-in's health, after something that may have changed them,
 * such as signing in again.
 */
void
stamp_account_row_refresh_sign_in (StampAccountRow *self)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_ROW (self));

  stamp_account_row_update_health (self);
  stamp_account_row_update_sign_in (self);
}

/**
 * stamp_account_row_update_health:
 * @self: a #StampAccountRow
 *
 * Judges the account's sign-in again, at stamp_get_now(), after a refresh
 * in the background or a warning about it.
 */
void
stamp_account_row_update_health (StampAccountRow *self)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_ROW (self));

  stamp_account_row_update_health_line (self);
  /* The row's description carries the health line. */
  stamp_account_row_update_text (self);
}

/* stamp-server-page.c
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

#define G_LOG_DOMAIN "stamp-server-page"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-core.h"
#include "stamp-server-page.h"

/*
 * StampServerPage:
 *
 * The second page of the setup assistant: the settings discovery found,
 * each with the reason it was found, as a choice, and the server, port and
 * security of the chosen one, which stay editable. Choosing no encryption
 * shows what that costs. Advanced settings hold an extra CA certificate
 * for servers signed by a private authority, the lowest TLS version,
 * which goes below 1.2 only with a warning, and the name sent in EHLO.
 */
struct _StampServerPage
{
  AdwBin           parent_instance;

  /* Owned */
  GListModel      *candidates;
  char            *provider_id;
  GtkCheckButton  *check_group;

  /* Borrowed */
  GtkCheckButton  *first_check;
  StampSecurity    security;
  gboolean         discovering;
  gboolean         edited;
  gboolean         updating;
  gboolean         complete;

  /* Template children */
  AdwExpanderRow  *advanced_expander;
  AdwEntryRow     *ca_file_row;
  GtkListBox      *candidate_list;
  GtkLabel        *candidates_status;
  GtkSpinner      *candidates_spinner;
  AdwEntryRow     *host_row;
  GtkWidget       *none_warning;
  GtkSpinButton   *port_spin;
  AdwComboRow     *security_row;
  GtkWidget       *status_box;
  AdwComboRow     *tls_min_row;
  AdwEntryRow     *ehlo_name_row;
};

enum {
  PROP_0,
  PROP_COMPLETE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampServerPage, stamp_server_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
update_complete (StampServerPage *self)
{
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  g_autofree char *ca_file = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ca_file_row))));
  gboolean host_ok = *host != '\0' && strpbrk (host, " \t/@") == NULL;
  g_autofree char *ehlo_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ehlo_name_row))));
  gboolean ca_ok = *ca_file == '\0' || g_file_test (ca_file, G_FILE_TEST_IS_REGULAR);
  gboolean ehlo_ok = strpbrk (ehlo_name, " \t/@") == NULL;
  gboolean complete = host_ok && ca_ok && ehlo_ok &&
                      gtk_spin_button_get_value_as_int (self->port_spin) > 0;

  if (*host != '\0' && !host_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");

  if (!ca_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->ca_file_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ca_file_row), "error");

  if (!ehlo_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->ehlo_name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ehlo_name_row), "error");

  if (self->complete == complete)
    return;

  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* The names alone do not say which is which: STARTTLS and TLS both
 * encrypt, and devices call TLS from the first byte "SSL". */
static const char *
security_description (StampSecurity security)
{
  switch (security)
    {
    case STAMP_SECURITY_STARTTLS:
      return _("Connects unencrypted, then switches to encryption before signing in or "
               "sending; usually port 587");
    case STAMP_SECURITY_TLS:
      return _("Encrypted from the first byte, sometimes called SSL; usually port 465");
    case STAMP_SECURITY_NONE:
    default:
      return _("Nothing is encrypted; only for a server on this computer or a network you "
               "trust");
    }
}

/* The row says what the chosen security means, and the list explains each
 * choice before it is chosen. */
static void
security_item_setup_cb (GtkSignalListItemFactory *factory,
                        GtkListItem              *item,
                        gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 40);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_add_css_class (description, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), description);
  gtk_list_item_set_child (item, box);
}

static void
security_item_bind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *description = gtk_widget_get_next_sibling (title);
  StampSecurity security = gtk_list_item_get_position (item);

  gtk_label_set_label (GTK_LABEL (title), stamp_security_to_label (security));
  gtk_label_set_label (GTK_LABEL (description), security_description (security));
}

static void
show_security (StampServerPage *self,
               StampSecurity    security)
{
  self->security = security;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->security_row),
                               security_description (security));
  gtk_widget_set_visible (self->none_warning, security == STAMP_SECURITY_NONE);
}

static void
show_settings (StampServerPage *self,
               const char      *host,
               guint            port,
               StampSecurity    security)
{
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host != NULL ? host : "");
  show_security (self, security);
  adw_combo_row_set_selected (self->security_row, security);
  gtk_spin_button_set_value (self->port_spin,
                             port != 0 ? port : stamp_security_default_port (security));
  self->updating = FALSE;

  update_complete (self);
}

static void
candidate_toggled_cb (GtkCheckButton  *check,
                      StampServerPage *self)
{
  StampCandidate *candidate = g_object_get_data (G_OBJECT (check), "candidate");

  if (!gtk_check_button_get_active (check))
    return;

  g_free (self->provider_id);
  self->provider_id = g_strdup (stamp_candidate_get_provider_id (candidate));
  show_settings (self, stamp_candidate_get_host (candidate), stamp_candidate_get_port (candidate),
                 stamp_candidate_get_security (candidate));
}

static GtkWidget *
create_candidate_row (StampServerPage *self,
                      StampCandidate  *candidate)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *title = NULL;

  /* Translators: a server setting, "smtp.example.com, port 587, STARTTLS" */
  title = g_strdup_printf (_("%s, port %u, %s"), stamp_candidate_get_host (candidate),
                           stamp_candidate_get_port (candidate),
                           stamp_security_to_label (stamp_candidate_get_security (candidate)));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), stamp_candidate_get_reason (candidate));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  /* The row's title names the check box, as its activatable widget; a
   * label of its own would be read after it, a second time. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  stamp_candidate_get_reason (candidate),
                                  -1);
  /* The group's anchor is never shown: with it even a single suggestion
   * is a radio button, which reads as "the one chosen" rather than a
   * check box that could be cleared. */
  if (self->check_group == NULL)
    self->check_group = g_object_ref_sink (GTK_CHECK_BUTTON (gtk_check_button_new ()));
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->check_group);
  if (self->first_check == NULL)
    self->first_check = GTK_CHECK_BUTTON (check);
  g_object_set_data_full (G_OBJECT (check), "candidate", g_object_ref (candidate), g_object_unref);
  g_signal_connect_object (check, "toggled", G_CALLBACK (candidate_toggled_cb), self, 0);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  return row;
}

static void
update_status (StampServerPage *self)
{
  guint n_items = self->candidates != NULL ? g_list_model_get_n_items (self->candidates) : 0;

  gtk_spinner_set_spinning (self->candidates_spinner, self->discovering);
  gtk_widget_set_visible (GTK_WIDGET (self->candidates_spinner), self->discovering);
  gtk_widget_set_visible (GTK_WIDGET (self->candidate_list), n_items > 0);

  if (self->discovering)
    gtk_label_set_label (self->candidates_status, _("Still looking for suggested settings…"));
  else if (n_items == 0)
    gtk_label_set_label (self->candidates_status,
                         _("Stamp found no settings for this address. Enter the server your "
                           "mail provider or administrator gave you."));
  else
    gtk_label_set_label (self->candidates_status,
                         _("Choose the settings to use; you can still change them below."));
}

static void
rebuild_candidates (StampServerPage *self)
{
  GtkWidget *child;
  guint n_items = self->candidates != NULL ? g_list_model_get_n_items (self->candidates) : 0;

  self->first_check = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->candidate_list))) != NULL)
    gtk_list_box_remove (self->candidate_list, child);
  g_clear_object (&self->check_group);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(StampCandidate) candidate = g_list_model_get_item (self->candidates, i);

      gtk_list_box_append (self->candidate_list, create_candidate_row (self, candidate));
    }

  /* The best one is chosen unless the person already typed settings. */
  if (self->first_check != NULL && !self->edited)
    gtk_check_button_set_active (self->first_check, TRUE);

  update_status (self);
}

static void
settings_edited_cb (StampServerPage *self)
{
  if (!self->updating)
    self->edited = TRUE;

  update_complete (self);
}

static void
security_selected_cb (StampServerPage *self)
{
  StampSecurity security = adw_combo_row_get_selected (self->security_row);
  guint port = gtk_spin_button_get_value_as_int (self->port_spin);

  if (security > STAMP_SECURITY_NONE || security == self->security)
    return;

  /* The port follows the security while it is the usual one for it. */
  if (!self->updating && port == stamp_security_default_port (self->security))
    gtk_spin_button_set_value (self->port_spin, stamp_security_default_port (security));

  show_security (self, security);
  settings_edited_cb (self);
}

/* TLS 1.0 and 1.1 are weak; say so next to the choice. */
static void
tls_min_selected_cb (StampServerPage *self)
{
  const char *warning = NULL;

  if (adw_combo_row_get_selected (self->tls_min_row) < STAMP_TLS_VERSION_1_2)
    warning = _("TLS 1.0 and 1.1 are old and weak; choose them only for a legacy server "
                "that offers nothing newer");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->tls_min_row), warning != NULL ? warning : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tls_min_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, warning != NULL ? warning : "",
                                  -1);
}

static void
choose_ca_file_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            StampServerPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row), path);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_ca_file_cb (StampServerPage *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a CA Certificate"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (filter, _("PEM Certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_signal_connect_object (chooser, "response", G_CALLBACK (choose_ca_file_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* A part of the Advanced expander that libadwaita 1.2 keeps to itself:
 * the header row, which takes the focus, or the list of rows it opens. */
static void
stamp_server_page_dispose (GObject *object)
{
  StampServerPage *self = (StampServerPage *) object;

  if (self->candidates != NULL)
    g_signal_handlers_disconnect_by_data (self->candidates, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_SERVER_PAGE);

  g_clear_object (&self->candidates);
  self->first_check = NULL;
  g_clear_object (&self->check_group);

  G_OBJECT_CLASS (stamp_server_page_parent_class)->dispose (object);
}

static void
stamp_server_page_finalize (GObject *object)
{
  StampServerPage *self = (StampServerPage *) object;

  g_clear_pointer (&self->provider_id, g_free);

  G_OBJECT_CLASS (stamp_server_page_parent_class)->finalize (object);
}

static void
stamp_server_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StampServerPage *self = STAMP_SERVER_PAGE (object);

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
stamp_server_page_class_init (StampServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_server_page_dispose;
  object_class->finalize = stamp_server_page_finalize;
  object_class->get_property = stamp_server_page_get_property;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, advanced_expander);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, candidate_list);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, candidates_spinner);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, candidates_status);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, none_warning);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, tls_min_row);
  gtk_widget_class_bind_template_child (widget_class, StampServerPage, ehlo_name_row);
  gtk_widget_class_bind_template_callback (widget_class, choose_ca_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, security_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, settings_edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, tls_min_selected_cb);
}

static void
stamp_server_page_init (StampServerPage *self)
{
  g_autoptr(GtkStringList) securities = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  stamp_expander_row_open_by_keys (self->advanced_expander, _("Advanced Settings"));

  /* The choices are the core's labels, in StampSecurity order, so that the
   * selected position is the security and every view names it alike. */
  for (StampSecurity s = STAMP_SECURITY_STARTTLS; s <= STAMP_SECURITY_NONE; s++)
    gtk_string_list_append (securities, stamp_security_to_label (s));
  adw_combo_row_set_model (self->security_row, G_LIST_MODEL (securities));
  g_signal_connect (list_factory, "setup", G_CALLBACK (security_item_setup_cb), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (security_item_bind_cb), NULL);
  adw_combo_row_set_list_factory (self->security_row, list_factory);

  self->security = STAMP_SECURITY_STARTTLS;
  show_settings (self, NULL, 0, STAMP_SECURITY_STARTTLS);
  update_status (self);
}

/**
 * stamp_server_page_set_candidates:
 * @self: a server page
 * @candidates: (nullable): a #GListModel of #StampCandidate
 *
 * Offers @candidates and follows its changes.
 */
void
stamp_server_page_set_candidates (StampServerPage *self,
                                  GListModel      *candidates)
{
  g_return_if_fail (STAMP_IS_SERVER_PAGE (self));
  g_return_if_fail (candidates == NULL || G_IS_LIST_MODEL (candidates));

  if (self->candidates != NULL)
    g_signal_handlers_disconnect_by_data (self->candidates, self);
  g_set_object (&self->candidates, candidates);
  if (candidates != NULL)
    g_signal_connect_object (candidates, "items-changed", G_CALLBACK (rebuild_candidates), self,
                             G_CONNECT_SWAPPED);

  rebuild_candidates (self);
}

void
stamp_server_page_set_discovering (StampServerPage *self,
                                   gboolean         discovering)
{
  g_return_if_fail (STAMP_IS_SERVER_PAGE (self));

  self->discovering = !!discovering;
  update_status (self);
}

/**
 * stamp_server_page_set_account:
 * @self: a server page
 * @account: the account being edited
 *
 * Shows @account's settings; suggestions no longer replace them.
 */
void
stamp_server_page_set_account (StampServerPage *self,
                               StampAccount    *account)
{
  g_return_if_fail (STAMP_IS_SERVER_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  g_free (self->provider_id);
  self->provider_id = g_strdup (stamp_account_get_provider_id (account));
  show_settings (self, stamp_account_get_host (account), stamp_account_get_effective_port (account),
                 stamp_account_get_security (account));
  gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row),
                         stamp_account_get_ca_file (account) != NULL
                           ? stamp_account_get_ca_file (account) : "");
  adw_combo_row_set_selected (self->tls_min_row, stamp_account_get_tls_min (account));
  gtk_editable_set_text (GTK_EDITABLE (self->ehlo_name_row),
                         stamp_account_get_ehlo_name (account) != NULL
                           ? stamp_account_get_ehlo_name (account) : "");
  gtk_widget_set_visible (self->status_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->candidate_list), FALSE);
  self->edited = TRUE;
}

/**
 * stamp_server_page_apply:
 * @self: a server page
 * @account: the account to set up
 *
 * Sets the server, port, security, CA file, lowest TLS version, EHLO name
 * (none when the row is empty) and provider of @account.
 */
void
stamp_server_page_apply (StampServerPage *self,
                         StampAccount    *account)
{
  g_autofree char *host = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *ehlo_name = NULL;
  guint tls_min;

  g_return_if_fail (STAMP_IS_SERVER_PAGE (self));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  ca_file = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ca_file_row))));
  ehlo_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ehlo_name_row))));

  stamp_account_set_host (account, host);
  stamp_account_set_port (account, gtk_spin_button_get_value_as_int (self->port_spin));
  stamp_account_set_security (account, self->security);
  stamp_account_set_ca_file (account, *ca_file != '\0' ? ca_file : NULL);
  tls_min = adw_combo_row_get_selected (self->tls_min_row);
  stamp_account_set_tls_min (account, tls_min <= STAMP_TLS_VERSION_1_3 ? tls_min
                                                                        : STAMP_TLS_VERSION_1_2);
  stamp_account_set_ehlo_name (account, *ehlo_name != '\0' ? ehlo_name : NULL);
  stamp_account_set_provider_id (account, self->provider_id);
}

/**
 * stamp_server_page_reset:
 * @self: a server page
 *
 * Forgets the settings shown, suggested or typed, and the provider they
 * came with: they were for another address. The page starts again from
 * the suggestions, as for a new address.
 */
void
stamp_server_page_reset (StampServerPage *self)
{
  g_return_if_fail (STAMP_IS_SERVER_PAGE (self));

  g_clear_pointer (&self->provider_id, g_free);
  show_settings (self, NULL, 0, STAMP_SECURITY_STARTTLS);
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row), "");
  adw_combo_row_set_selected (self->tls_min_row, STAMP_TLS_VERSION_1_2);
  gtk_editable_set_text (GTK_EDITABLE (self->ehlo_name_row), "");
  self->updating = FALSE;
  self->edited = FALSE;
  rebuild_candidates (self);
}

gboolean
stamp_server_page_get_complete (StampServerPage *self)
{
  g_return_val_if_fail (STAMP_IS_SERVER_PAGE (self), FALSE);

  return self->complete;
}

/* stamp-export-dialog.c
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

#define G_LOG_DOMAIN "stamp-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-export-dialog-private.h"

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampExportDialog, stamp_export_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

/* A toast for @timeout seconds, or until dismissed when 0. */
void
_stamp_export_dialog_add_toast (StampExportDialog *self,
                                const char        *text,
                                guint              timeout)
{
  /* Libadwaita 1.2 reads a toast's title as markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast;

  /* A save may end after the window is gone. */
  if (self->toast_overlay == NULL)
    return;

  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
showing_preview (StampExportDialog *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "preview") == 0;
}

static void
update_actions (StampExportDialog *self)
{
  StampExporter *exporter = stamp_export_preview_get_exporter (self->preview);
  StampExportResult *result = stamp_export_preview_get_result (self->preview);
  gboolean preview = showing_preview (self) && exporter != NULL;
  gboolean device = preview
                    && stamp_exporter_get_category (exporter) == STAMP_EXPORT_CATEGORY_DEVICE;
  gboolean text = preview && !stamp_exporter_get_is_binary (exporter);
  gboolean pdf = device && text && stamp_exporter_lookup ("printer-pdf") != NULL;

  gtk_widget_set_visible (self->back_button, preview);
  gtk_widget_set_visible (self->save_button, preview);
  gtk_widget_set_visible (self->copy_button, text);
  gtk_widget_set_visible (self->print_button, device);
  gtk_widget_set_visible (self->pdf_button, pdf);
  gtk_action_bar_set_revealed (self->action_bar, text || device);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.back", preview);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-as", result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.copy",
                                 result != NULL && stamp_export_result_get_text (result) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.print", device && result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-pdf", pdf && result != NULL);

  adw_window_title_set_title (self->window_title,
                              preview ? stamp_exporter_get_title (exporter)
                                      : _("Export Settings"));
}

/* Whether filling in the page's options (any site, any incoming server)
 * would let @exporter serve the account. */
static gboolean
can_serve_with_options (StampExportDialog *self,
                        StampExporter     *exporter)
{
  g_autoptr(StampExportContext) probe = NULL;

  if (!stamp_export_preview_target_has_options (exporter))
    return FALSE;

  probe = stamp_export_context_new (self->account);
  stamp_export_context_set_site_url (probe, "https://example.com");
  stamp_export_context_set_incoming_host (probe, "imap.example.com");
  return stamp_exporter_can_serve (exporter, probe, NULL);
}

static void
add_exporter_row (StampExportDialog *self,
                  StampExporter     *exporter)
{
  g_autoptr(GError) error = NULL;
  const char *id = stamp_exporter_get_id (exporter);
  AdwPreferencesGroup *group;
  GtkWidget *row;
  GtkWidget *icon;
  gboolean serves;
  gboolean opens;

  switch (stamp_exporter_get_category (exporter))
    {
    case STAMP_EXPORT_CATEGORY_WORDPRESS:
      group = self->wordpress_group;
      break;
    case STAMP_EXPORT_CATEGORY_DEVICE:
      group = self->device_group;
      break;
    case STAMP_EXPORT_CATEGORY_SENDER:
    default:
      group = self->sender_group;
      break;
    }

  serves = stamp_exporter_can_serve (exporter, self->context, &error);

  row = adw_action_row_new ();
  /* Titles and reasons are plain text, and may hold an ampersand. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stamp_exporter_get_title (exporter));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               serves ? stamp_exporter_get_description (exporter)
                                      : error->message);

  /* A target that cannot serve the account opens only when its page has
   * options that may change that; otherwise the row just says why. */
  opens = serves || can_serve_with_options (self, exporter);
  if (opens)
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "export.select");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);
    }
  else
    gtk_widget_add_css_class (row, "dim-label");

  /* Decoration: the subtitle already says it all to a screen reader. */
  icon = g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", opens ? "go-next-symbolic" : "action-unavailable-symbolic",
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

  adw_preferences_group_add (group, row);
  g_hash_table_insert (self->rows, (gpointer) id, row);
}

static void
build_list (StampExportDialog *self)
{
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  guint n = g_list_model_get_n_items (exporters);

  adw_preferences_group_set_title (self->wordpress_group,
                                   stamp_export_category_get_title (STAMP_EXPORT_CATEGORY_WORDPRESS));
  adw_preferences_group_set_title (self->device_group,
                                   stamp_export_category_get_title (STAMP_EXPORT_CATEGORY_DEVICE));
  adw_preferences_group_set_title (self->sender_group,
                                   stamp_export_category_get_title (STAMP_EXPORT_CATEGORY_SENDER));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);

      add_exporter_row (self, exporter);
    }
}

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  stamp_export_dialog_select (STAMP_EXPORT_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);
  StampExporter *exporter = stamp_export_preview_get_exporter (self->preview);
  GtkWidget *row = NULL;

  if (!showing_preview (self))
    return;

  if (exporter != NULL)
    row = g_hash_table_lookup (self->rows, stamp_exporter_get_id (exporter));

  stamp_export_preview_clear (self->preview);
  gtk_stack_set_visible_child_name (self->stack, "list");
  update_actions (self);

  /* Back where the person left the list. */
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);

  if (showing_preview (self))
    gtk_widget_activate_action (widget, "export.back", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

static void
preview_changed_cb (StampExportDialog *self)
{
  update_actions (self);
}

/* Closing stops whatever still runs for this account. */
static gboolean
stamp_export_dialog_close_request (GtkWindow *window)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  stamp_export_preview_clear (self->preview);
  _stamp_export_dialog_stop_actions (self);

  return GTK_WINDOW_CLASS (stamp_export_dialog_parent_class)->close_request (window);
}

static void
stamp_export_dialog_constructed (GObject *object)
{
  StampExportDialog *self = (StampExportDialog *)object;

  G_OBJECT_CLASS (stamp_export_dialog_parent_class)->constructed (object);

  g_assert (STAMP_IS_ACCOUNT (self->account));

  self->context = stamp_export_context_new (self->account);
  adw_window_title_set_subtitle (self->window_title, stamp_account_get_address (self->account));
  build_list (self);
  update_actions (self);
}

static void
stamp_export_dialog_dispose (GObject *object)
{
  StampExportDialog *self = (StampExportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  _stamp_export_dialog_stop_actions (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_EXPORT_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_object (&self->context);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (stamp_export_dialog_parent_class)->dispose (object);
}

static void
stamp_export_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (object);

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
stamp_export_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_export_dialog_class_init (StampExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = stamp_export_dialog_constructed;
  object_class->dispose = stamp_export_dialog_dispose;
  object_class->get_property = stamp_export_dialog_get_property;
  object_class->set_property = stamp_export_dialog_set_property;

  window_class->close_request = stamp_export_dialog_close_request;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         STAMP_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STAMP_TYPE_EXPORT_PREVIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, action_bar);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, device_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, pdf_button);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, print_button);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, sender_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, StampExportDialog, wordpress_group);

  gtk_widget_class_install_action (widget_class, "export.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "export.back", NULL, back_action);
  _stamp_export_dialog_class_add_actions (widget_class);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "export.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
stamp_export_dialog_init (StampExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect_object (self->preview, "notify::result",
                           G_CALLBACK (preview_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * stamp_export_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @account: the account whose settings to export
 *
 * Returns: (transfer full): a new dialog; present it with gtk_window_present()
 */
StampExportDialog *
stamp_export_dialog_new (GtkWindow    *parent,
                         StampAccount *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  return g_object_new (STAMP_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "account", account,
                       NULL);
}

StampAccount *
stamp_export_dialog_get_account (StampExportDialog *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_DIALOG (self), NULL);

  return self->account;
}

/**
 * stamp_export_dialog_get_context:
 * @self: an export dialog
 *
 * Returns: (transfer none): what the dialog exports; set its values (a
 *   relay device's, say) before selecting a target
 */
StampExportContext *
stamp_export_dialog_get_context (StampExportDialog *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_DIALOG (self), NULL);

  return self->context;
}

/**
 * stamp_export_dialog_select:
 * @self: an export dialog
 * @exporter_id: an export target's id, such as "msmtp"
 *
 * Opens the page of one target, as choosing its row does.
 *
 * Returns: %FALSE if there is no such target
 */
gboolean
stamp_export_dialog_select (StampExportDialog *self,
                            const char        *exporter_id)
{
  StampExporter *exporter;

  g_return_val_if_fail (STAMP_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (exporter_id != NULL, FALSE);

  exporter = stamp_exporter_lookup (exporter_id);
  if (exporter == NULL)
    return FALSE;

  stamp_export_preview_set_target (self->preview, exporter, self->context);
  gtk_stack_set_visible_child_name (self->stack, "preview");
  update_actions (self);

  /* The row that had the focus is gone; the page's first control takes it. */
  gtk_widget_child_focus (GTK_WIDGET (self->preview), GTK_DIR_TAB_FORWARD);

  return TRUE;
}

/**
 * stamp_export_dialog_get_result:
 * @self: an export dialog
 *
 * Returns: (nullable) (transfer none): the file of the target shown, or
 *   %NULL while it is being prepared, when it cannot be made, or on the
 *   list of targets
 */
StampExportResult *
stamp_export_dialog_get_result (StampExportDialog *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_DIALOG (self), NULL);

  return stamp_export_preview_get_result (self->preview);
}

/**
 * stamp_export_dialog_save_to_file_async:
 * @self: an export dialog
 * @file: where to save
 * @cancellable: (nullable): a #GCancellable; closing the dialog cancels
 *   when this is %NULL
 * @callback: (nullable): called when saved
 * @user_data: data for @callback
 *
 * Saves the file shown to @file, as Save As does once a file is chosen:
 * private files (those with a password) readable only by the owner. A
 * toast says how it went.
 */
void
stamp_export_dialog_save_to_file_async (StampExportDialog   *self,
                                        GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (STAMP_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _stamp_export_dialog_save_result_async (self, stamp_export_preview_get_result (self->preview),
                                          file, cancellable, callback, user_data);
}

gboolean
stamp_export_dialog_save_to_file_finish (StampExportDialog  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_export_dialog_save_to_file_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

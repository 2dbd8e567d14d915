/* stamp-export-preview.c
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

#define G_LOG_DOMAIN "stamp-export-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-export-preview-private.h"

/* An A4 page in points, the sheet's own size. */
#define SHEET_WIDTH  595.28
#define SHEET_HEIGHT 841.89

/*
 * StampExportPreview:
 *
 * One export target for one account: the few things the target needs to
 * know (a web site's address, the printer's make and what it can do, an
 * incoming server), whether to include the password, the notes that come
 * with the file, and the file itself as it will be saved. Choosing to
 * include the password asks first. Preparing (the keyring, the tenant's
 * MX host) runs asynchronously and is cancelled whenever the target
 * changes; rendering is quick and runs again on every option change.
 */
struct _StampExportPreview
{
  AdwBin               parent_instance;

  /* Owned */
  StampExporter       *exporter;
  StampExportContext  *context;
  StampExportResult   *result;
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             prepared;
  gboolean             include_secret;
  /* Set while code, not a person, changes a control. */
  gboolean             updating;

  /* Borrowed */
  GtkBox              *notes_box;

  /* Template children */
  GtkLabel            *description_label;
  AdwPreferencesGroup *features_group;
  AdwEntryRow         *incoming_row;
  GtkWidget           *notes_group;
  GtkCheckButton      *oauth_check;
  AdwPreferencesGroup *options_group;
  GtkCheckButton      *password_check;
  GtkStack            *preview_stack;
  GtkLabel            *problem_label;
  GtkLabel            *problem_title;
  GtkScrolledWindow   *scroller;
  AdwPreferencesGroup *secret_group;
  AdwActionRow        *secret_row;
  GtkSwitch           *secret_switch;
  GtkDrawingArea      *sheet_area;
  AdwEntryRow         *site_row;
  GtkSpinner          *spinner;
  GtkCheckButton      *starttls_check;
  GtkTextView         *text_view;
  GtkCheckButton      *tls_check;
  GtkCheckButton      *unknown_check;
  AdwComboRow         *vendor_row;
};

enum {
  PROP_0,
  PROP_BUSY,
  PROP_RESULT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampExportPreview, stamp_export_preview, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void update (StampExportPreview *self);

static gboolean
uses_site_address (StampExporter *exporter)
{
  return stamp_exporter_get_category (exporter) == STAMP_EXPORT_CATEGORY_WORDPRESS;
}

/* Apple profiles cannot leave the incoming server out. */
static gboolean
uses_incoming_server (StampExporter *exporter)
{
  return g_str_equal (stamp_exporter_get_id (exporter), "apple-profile");
}

static gboolean
is_device (StampExporter *exporter)
{
  return stamp_exporter_get_category (exporter) == STAMP_EXPORT_CATEGORY_DEVICE;
}

static gboolean
is_oauth (StampExportPreview *self)
{
  return stamp_export_context_get_auth (self->context) == STAMP_EXPORT_AUTH_OAUTH;
}

static void
add_toast (StampExportPreview *self,
           const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  /* Libadwaita 1.2 reads a toast's title as markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static void
set_busy (StampExportPreview *self,
          gboolean            busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  if (busy)
    gtk_stack_set_visible_child_name (self->preview_stack, "loading");

  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_result (StampExportPreview *self,
            StampExportResult  *result)
{
  if (!g_set_object (&self->result, result))
    return;

  /* A new box each time: GTK 4.8 keeps the size request mode an empty box
   * had, and would then size wrapped notes as single lines. */
  if (self->notes_box != NULL)
    gtk_box_remove (GTK_BOX (self->notes_group), GTK_WIDGET (self->notes_box));
  self->notes_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_visible (self->notes_group, FALSE);

  if (result != NULL)
    {
      const char * const *notes = stamp_export_result_get_notes (result);

      for (guint i = 0; notes[i] != NULL; i++)
        {
          gtk_box_append (self->notes_box, _stamp_export_preview_make_note (notes[i]));
          gtk_widget_set_visible (self->notes_group, TRUE);
        }
    }
  gtk_box_append (GTK_BOX (self->notes_group), GTK_WIDGET (self->notes_box));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

static void
show_problem (StampExportPreview *self,
              const char         *title,
              const char         *message)
{
  set_result (self, NULL);
  gtk_label_set_label (self->problem_title, title);
  gtk_label_set_label (self->problem_label, message);
  gtk_stack_set_visible_child_name (self->preview_stack, "problem");
}

static void
show_result (StampExportPreview *self,
             StampExportResult  *result)
{
  const char *text = stamp_export_result_get_text (result);

  set_result (self, result);

  if (text != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
      gtk_stack_set_visible_child_name (self->preview_stack, "text");
    }
  else if (is_device (self->exporter))
    {
      gtk_widget_queue_draw (GTK_WIDGET (self->sheet_area));
      gtk_stack_set_visible_child_name (self->preview_stack, "sheet");
    }
  else
    {
      gtk_label_set_label (self->problem_title, _("No Preview"));
      gtk_label_set_label (self->problem_label,
                           _("This file is not text. Save it to use it."));
      gtk_stack_set_visible_child_name (self->preview_stack, "problem");
    }
}

static void
render (StampExportPreview *self)
{
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = stamp_exporter_render (self->exporter, self->context, &error);
  if (result == NULL)
    show_problem (self, _("The File Could Not Be Made"), error->message);
  else
    show_result (self, result);
}

/* The switch and its subtitle; the caller changes what is prepared. */
static void
show_include_secret (StampExportPreview *self,
                     gboolean            include)
{
  self->updating = TRUE;
  gtk_switch_set_active (self->secret_switch, include);
  self->updating = FALSE;

  if (include)
    adw_action_row_set_subtitle (self->secret_row,
                                 _("Anyone with the file can send as this account"));
  else
    adw_action_row_set_subtitle (self->secret_row, _("Left out; the file shows where it goes"));
}

static void
set_include_secret (StampExportPreview *self,
                    gboolean            include)
{
  show_include_secret (self, include);
  if (self->include_secret == include)
    return;

  /* What is being prepared no longer fits. */
  g_cancellable_cancel (self->cancellable);
  set_busy (self, FALSE);
  self->include_secret = include;
  self->prepared = FALSE;
  update (self);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StampExportPreview) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!stamp_exporter_prepare_finish (STAMP_EXPORTER (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);

      /* Without the secret the file still works, with a placeholder; the
       * row keeps the reason, which a toast would cut short. */
      if (self->include_secret)
        {
          add_toast (self, is_oauth (self) ? _("The sign-in token could not be included")
                                           : _("The password could not be included"));
          set_include_secret (self, FALSE);
          adw_action_row_set_subtitle (self->secret_row, error->message);
          return;
        }

      show_problem (self, _("The File Could Not Be Made"), error->message);
      return;
    }

  set_busy (self, FALSE);
  self->prepared = TRUE;
  render (self);
}

static void
prepare (StampExportPreview *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_result (self, NULL);
  set_busy (self, TRUE);
  stamp_exporter_prepare_async (self->exporter, self->context,
                                self->include_secret ? stamp_secret_store_get_default () : NULL,
                                self->cancellable, prepared_cb, g_object_ref (self));
}

static const char *
selected_vendor (StampExportPreview *self)
{
  guint selected = adw_combo_row_get_selected (self->vendor_row);

  if (selected >= stamp_device_vendor_get_n_vendors ())
    return "generic";
  return stamp_device_vendor_get_nth (selected)->id;
}

/* The options the page shows, into the context. */
static void
apply_options (StampExportPreview *self)
{
  if (uses_site_address (self->exporter))
    stamp_export_context_set_site_url (self->context,
                                       gtk_editable_get_text (GTK_EDITABLE (self->site_row)));

  if (uses_incoming_server (self->exporter))
    stamp_export_context_set_incoming_host (self->context,
                                            gtk_editable_get_text (GTK_EDITABLE (self->incoming_row)));

  if (is_device (self->exporter))
    {
      StampDeviceFeatures features = 0;

      stamp_export_context_set_device_vendor (self->context, selected_vendor (self));

      if (gtk_check_button_get_active (self->unknown_check))
        stamp_export_context_unset_device_features (self->context);
      else
        {
          if (gtk_check_button_get_active (self->oauth_check))
            features |= STAMP_DEVICE_OAUTH;
          if (gtk_check_button_get_active (self->tls_check))
            features |= STAMP_DEVICE_TLS_1_2;
          if (gtk_check_button_get_active (self->starttls_check))
            features |= STAMP_DEVICE_STARTTLS;
          if (gtk_check_button_get_active (self->password_check))
            features |= STAMP_DEVICE_PASSWORD;
          stamp_export_context_set_device_features (self->context, features);
        }
    }
}

static void
update (StampExportPreview *self)
{
  g_autoptr(GError) error = NULL;

  if (self->exporter == NULL)
    return;

  apply_options (self);

  /* Checked before the keyring: a target that cannot serve the account
   * says so without asking for a secret first. */
  if (!stamp_exporter_can_serve (self->exporter, self->context, &error))
    {
      g_cancellable_cancel (self->cancellable);
      set_busy (self, FALSE);
      self->prepared = FALSE;
      show_problem (self, _("Not Available for This Account"), error->message);
      return;
    }

  /* A preparation under way renders with the options as they are then. */
  if (self->busy)
    return;
  if (!self->prepared)
    prepare (self);
  else
    render (self);
}

static void
option_changed_cb (StampExportPreview *self)
{
  if (!self->updating)
    update (self);
}

static void
unknown_toggled_cb (StampExportPreview *self)
{
  GtkCheckButton *features[] = {
    self->oauth_check, self->tls_check, self->starttls_check, self->password_check,
  };

  if (self->updating)
    return;

  /* Not knowing and knowing some abilities exclude each other; neither
   * checked means the device can do none of them. */
  if (gtk_check_button_get_active (self->unknown_check))
    {
      self->updating = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (features); i++)
        gtk_check_button_set_active (features[i], FALSE);
      self->updating = FALSE;
    }

  update (self);
}

static void
feature_toggled_cb (StampExportPreview *self,
                    GtkCheckButton     *check)
{
  if (self->updating)
    return;

  if (gtk_check_button_get_active (check))
    {
      self->updating = TRUE;
      gtk_check_button_set_active (self->unknown_check, FALSE);
      self->updating = FALSE;
    }

  update (self);
}

static void
include_response_cb (StampExportPreview *self,
                     const char         *response)
{
  if (g_str_equal (response, "include") && self->exporter != NULL)
    set_include_secret (self, TRUE);
}

static void
ask_to_include_secret (StampExportPreview *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  StampAccount *account = stamp_export_context_get_account (self->context);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   is_oauth (self) ? _("Include the Sign-In Token?")
                                                   : _("Include the Password?"),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is an email address */
                                  _("Anyone who has the file can send mail as %s. The saved file "
                                    "is readable only by you, but copies, backups and pasted "
                                    "text are not protected."),
                                  stamp_account_get_address (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "include", _("_Include"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "include",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  g_signal_connect_object (dialog, "response", G_CALLBACK (include_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
secret_switch_cb (StampExportPreview *self)
{
  gboolean active = gtk_switch_get_active (self->secret_switch);

  if (self->updating || self->exporter == NULL || active == self->include_secret)
    return;

  if (active)
    {
      /* Stays off until the person says yes. */
      show_include_secret (self, FALSE);
      ask_to_include_secret (self);
      return;
    }

  set_include_secret (self, FALSE);
}

static void
sheet_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  StampExportPreview *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Paper stays white in the dark style too. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  if (self->result == NULL || self->context == NULL)
    return;

  cairo_scale (cr, width / SHEET_WIDTH, height / SHEET_HEIGHT);
  if (!stamp_device_sheet_draw (self->context, cr, SHEET_WIDTH, SHEET_HEIGHT, &error))
    g_debug ("Cannot draw the settings sheet: %s", error->message);
}

static void
stamp_export_preview_dispose (GObject *object)
{
  StampExportPreview *self = (StampExportPreview *)object;

  g_cancellable_cancel (self->cancellable);

  /* The scroller is the bin's child: AdwBin must let go of it first, or
   * it would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_EXPORT_PREVIEW);
  self->notes_box = NULL;

  /* The secret lives no longer than the page that asked for it. */
  if (self->context != NULL)
    stamp_export_context_set_secret (self->context, NULL);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->exporter);
  g_clear_object (&self->context);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (stamp_export_preview_parent_class)->dispose (object);
}

static void
stamp_export_preview_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StampExportPreview *self = STAMP_EXPORT_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_export_preview_class_init (StampExportPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_export_preview_dispose;
  object_class->get_property = stamp_export_preview_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL,
                         STAMP_TYPE_EXPORT_RESULT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-export-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, description_label);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, features_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, incoming_row);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, notes_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, oauth_check);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, options_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, password_check);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, problem_label);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, problem_title);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, scroller);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, secret_group);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, secret_row);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, secret_switch);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, sheet_area);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, site_row);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, spinner);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, starttls_check);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, text_view);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, tls_check);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, unknown_check);
  gtk_widget_class_bind_template_child (widget_class, StampExportPreview, vendor_row);
  gtk_widget_class_bind_template_callback (widget_class, feature_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, unknown_toggled_cb);
}

static void
stamp_export_preview_init (StampExportPreview *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint generic = 0;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The makes in the core's order; unnamed ones are the default. */
  for (guint i = 0; i < stamp_device_vendor_get_n_vendors (); i++)
    {
      const StampDeviceVendor *vendor = stamp_device_vendor_get_nth (i);

      gtk_string_list_append (names, stamp_device_vendor_text (vendor, vendor->name));
      if (vendor->generic)
        generic = i;
    }
  self->updating = TRUE;
  adw_combo_row_set_model (self->vendor_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->vendor_row, generic);
  self->updating = FALSE;

  gtk_drawing_area_set_draw_func (self->sheet_area, sheet_draw_cb, self, NULL);
}

/**
 * stamp_export_preview_target_has_options:
 * @exporter: an export target
 *
 * Whether the page shows options for @exporter that can change what it
 * makes, and so whether an account it cannot serve yet may become one
 * it can.
 *
 * Returns: %TRUE if @exporter takes options here
 */
gboolean
stamp_export_preview_target_has_options (StampExporter *exporter)
{
  g_return_val_if_fail (STAMP_IS_EXPORTER (exporter), FALSE);

  return uses_site_address (exporter) || uses_incoming_server (exporter) || is_device (exporter);
}

/**
 * stamp_export_preview_set_target:
 * @self: a preview
 * @exporter: the export target
 * @context: what to export; options on the page are written into it
 *
 * Shows @exporter's file for @context, starting with the secret left out.
 */
void
stamp_export_preview_set_target (StampExportPreview *self,
                                 StampExporter      *exporter,
                                 StampExportContext *context)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (STAMP_IS_EXPORT_PREVIEW (self));
  g_return_if_fail (STAMP_IS_EXPORTER (exporter));
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (context));

  stamp_export_preview_clear (self);
  g_set_object (&self->exporter, exporter);
  g_set_object (&self->context, context);

  gtk_label_set_label (self->description_label, stamp_exporter_get_description (exporter));
  gtk_widget_set_visible (GTK_WIDGET (self->site_row), uses_site_address (exporter));
  gtk_widget_set_visible (GTK_WIDGET (self->incoming_row), uses_incoming_server (exporter));
  gtk_widget_set_visible (GTK_WIDGET (self->vendor_row), is_device (exporter));
  /* A context that names its make (a relay device's) starts on it. */
  self->updating = TRUE;
  for (guint i = 0; i < stamp_device_vendor_get_n_vendors (); i++)
    if (g_strcmp0 (stamp_device_vendor_get_nth (i)->id,
                   stamp_export_context_get_device_vendor (context)) == 0)
      adw_combo_row_set_selected (self->vendor_row, i);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->options_group),
                          stamp_export_preview_target_has_options (exporter));
  /* A relay device's sheet has one path and the device's own password:
   * nothing to choose about either. */
  gtk_widget_set_visible (GTK_WIDGET (self->features_group),
                          is_device (exporter) && stamp_export_context_get_relay (context) == NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->secret_group),
                          stamp_exporter_can_include_secret (exporter, context) &&
                          stamp_export_context_get_relay (context) == NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 is_oauth (self) ? _("Include the sign-in token")
                                                 : _("Include the password"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->secret_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->secret_row)),
                                  -1);
  show_include_secret (self, FALSE);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));

  update (self);
}

/**
 * stamp_export_preview_clear:
 * @self: a preview
 *
 * Stops preparing, drops the file and forgets any secret it was given.
 */
void
stamp_export_preview_clear (StampExportPreview *self)
{
  g_return_if_fail (STAMP_IS_EXPORT_PREVIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  set_result (self, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);

  if (self->context != NULL)
    stamp_export_context_set_secret (self->context, NULL);
  self->include_secret = FALSE;
  self->prepared = FALSE;
  g_clear_object (&self->exporter);
}

/* Returns: (nullable) (transfer none): the target shown */
StampExporter *
stamp_export_preview_get_exporter (StampExportPreview *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_PREVIEW (self), NULL);

  return self->exporter;
}

/* Returns: (nullable) (transfer none): the context, with the options shown */
StampExportContext *
stamp_export_preview_get_context (StampExportPreview *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_PREVIEW (self), NULL);

  return self->context;
}

/* Returns: (nullable) (transfer none): the file shown; %NULL while it is
 * being prepared or when it cannot be made */
StampExportResult *
stamp_export_preview_get_result (StampExportPreview *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_PREVIEW (self), NULL);

  return self->result;
}

gboolean
stamp_export_preview_get_busy (StampExportPreview *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_PREVIEW (self), FALSE);

  return self->busy;
}

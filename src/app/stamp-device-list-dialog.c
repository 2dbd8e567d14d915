/* stamp-device-list-dialog.c
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

#define G_LOG_DOMAIN "stamp-device-list-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-device-list-dialog.h"

/*
 * StampDeviceListDialog:
 *
 * “Add Devices from a List…”: the devices of a CSV file (one row per
 * device: name, make, and optionally the networks it sends from and its
 * lowest TLS version), read by the core's parser. It shows them, or every
 * bad row with its line number; Add All adds them all or none, each with
 * its own user name and strong password; then it lists the new user
 * names and passwords, shown only here, and saves one printer sheet PDF
 * per device into a folder the person picks, each with that device's own
 * settings. The passwords are wiped when the dialog closes.
 */
struct _StampDeviceListDialog
{
  AdwWindow             parent_instance;

  /* Owned */
  StampRelayController *controller;
  StampAccount         *account;
  GFile                *file;
  StampRelayDeviceList *list;
  GPtrArray            *passwords;   /* after Add All: StampSecret per device, or NULL */
  GCancellable         *cancellable;
  GtkFileChooserNative *folder_chooser;
  gboolean              busy;

  /* Template children */
  GtkWidget            *add_button;
  GtkWidget            *cancel_button;
  AdwPreferencesGroup  *devices_group;
  GtkListBox           *devices_list;
  GtkWidget            *done_button;
  AdwStatusPage        *problem_page;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
};

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_ACCOUNT,
  PROP_FILE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampDeviceListDialog, stamp_device_list_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
add_toast (StampDeviceListDialog *self,
           const char            *text)
{
  /* Libadwaita 1.2 reads a toast's title as markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
update_actions (StampDeviceListDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device-list.add",
                                 !self->busy && self->list != NULL && self->passwords == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device-list.save-sheets",
                                 !self->busy && self->passwords != NULL);
}

static void
show_problem (StampDeviceListDialog *self,
              const char            *problem)
{
  g_autofree char *escaped = g_markup_escape_text (problem, -1);

  /* A status page's description is markup. */
  adw_status_page_set_description (self->problem_page, escaped);
  gtk_widget_set_visible (self->add_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "problem");
  stamp_announce (GTK_WIDGET (self), problem);
}

static const char *
make_name (StampRelayDevice *device)
{
  const char *make = stamp_relay_device_get_make (device);
  const StampDeviceVendor *vendor = make != NULL ? stamp_device_vendor_lookup (make) : NULL;

  if (vendor == NULL)
    return make != NULL ? make : "";

  return stamp_device_vendor_text (vendor, vendor->name);
}

static GtkWidget *
make_row (StampDeviceListDialog *self,
          guint                  position)
{
  StampRelayDevice *device = stamp_relay_device_list_get_device (self->list, position);
  const char * const *allow_from = stamp_relay_device_get_allow_from (device);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* A name is text, not markup; said before the title is set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stamp_relay_device_get_name (device));

  if (self->passwords != NULL)
    {
      const char *password = g_ptr_array_index (self->passwords, position);

      if (password == NULL)
        subtitle = g_strdup (_("Sends without signing in"));
      else
        /* TRANSLATORS: a new device's user name, then its password */
        subtitle = g_strdup_printf (_("User name: %s\nPassword: %s"),
                                    stamp_relay_device_get_user (device), password);
      gtk_widget_add_css_class (row, "stamp-password-row");
    }
  else if (allow_from[0] != NULL)
    {
      g_autofree char *networks = g_strjoinv (", ", (char **) allow_from);

      /* TRANSLATORS: a device's make, then the networks it may send from */
      subtitle = g_strdup_printf (_("%s · from %s"), make_name (device), networks);
    }
  else
    {
      subtitle = g_strdup (make_name (device));
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  return row;
}

static void
show_devices (StampDeviceListDialog *self)
{
  guint n = stamp_relay_device_list_get_n_devices (self->list);
  g_autofree char *basename = g_file_get_basename (self->file);
  g_autofree char *title = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->devices_list))) != NULL)
    gtk_list_box_remove (self->devices_list, child);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->devices_list, make_row (self, i));

  if (self->passwords == NULL)
    {
      /* A group's title is markup. */
      title = g_markup_printf_escaped (g_dngettext (GETTEXT_PACKAGE, "%u Device in “%s”",
                                                    "%u Devices in “%s”", n),
                                       n, basename);
      adw_preferences_group_set_description (self->devices_group,
                                             _("Each device gets its own user name and a "
                                               "strong password, and sends through this "
                                               "account."));
      gtk_widget_set_visible (self->add_button, TRUE);
    }
  else
    {
      GtkWidget *save = gtk_button_new ();

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Device Added",
                                            "%u Devices Added", n), n);
      adw_preferences_group_set_description (self->devices_group,
                                             _("The passwords are shown only now. Save the "
                                               "printer sheets, one PDF per device with its "
                                               "own settings, to set the devices up."));
      gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "device-list.save-sheets");
      adw_preferences_group_set_header_suffix (self->devices_group, save);
      stamp_button_set_mnemonic_label (GTK_BUTTON (save), _("_Save Printer Sheets…"));
      gtk_widget_set_visible (self->add_button, FALSE);
      gtk_widget_set_visible (self->cancel_button, FALSE);
      gtk_widget_set_visible (self->done_button, TRUE);
    }

  adw_preferences_group_set_title (self->devices_group, title);
  gtk_stack_set_visible_child_name (self->stack, "devices");
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StampDeviceListDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) makes = g_ptr_array_new ();
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_problem (self, error->message);
      return;
    }

  for (guint i = 0; i < stamp_device_vendor_get_n_vendors (); i++)
    g_ptr_array_add (makes, (gpointer) stamp_device_vendor_get_nth (i)->id);
  g_ptr_array_add (makes, NULL);

  self->list = stamp_relay_device_list_parse (contents, length,
                                              stamp_account_get_address (self->account),
                                              (const char * const *) makes->pdata, &error);
  if (self->list == NULL)
    show_problem (self, error->message);
  else
    show_devices (self);

  update_actions (self);
}

static void
add_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(StampDeviceListDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  GPtrArray *passwords;

  self->busy = FALSE;
  passwords = stamp_relay_controller_add_list_finish (STAMP_RELAY_CONTROLLER (object), result,
                                                      &error);
  if (passwords == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_problem (self, error->message);
      update_actions (self);
      return;
    }

  self->passwords = passwords;
  show_devices (self);
  update_actions (self);
  said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u device added",
                                       "%u devices added", passwords->len),
                          passwords->len);
  stamp_announce (GTK_WIDGET (self), said);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StampDeviceListDialog *self = STAMP_DEVICE_LIST_DIALOG (widget);

  if (self->list == NULL || self->busy || self->passwords != NULL)
    return;

  self->busy = TRUE;
  update_actions (self);
  stamp_relay_controller_add_list_async (self->controller, self->list, self->cancellable,
                                         add_cb, g_object_ref (self));
}

/* Saving the sheets */

typedef struct
{
  GPtrArray *contexts;  /* StampExportContext */
  GPtrArray *paths;
} SaveState;

static void
save_state_free (SaveState *state)
{
  g_ptr_array_unref (state->contexts);
  g_ptr_array_unref (state->paths);
  g_free (state);
}

/* Rendering PDFs takes a moment each: not on the main thread. */
static void
save_sheets_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SaveState *state = task_data;

  for (guint i = 0; i < state->contexts->len; i++)
    {
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GError) error = NULL;
      const char *path = g_ptr_array_index (state->paths, i);
      gboolean prints_secret = FALSE;

      if (g_task_return_error_if_cancelled (task))
        return;

      pdf = stamp_device_sheet_to_pdf (g_ptr_array_index (state->contexts, i), &prints_secret,
                                       &error);
      /* A sheet with a password is for its owner's eyes only. */
      if (pdf == NULL ||
          !g_file_set_contents_full (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_int (task, state->contexts->len);
}

/**
 * stamp_device_list_dialog_save_sheets_async:
 * @folder: where to save, one “NAME.pdf” per device
 *
 * Saves the printer sheet of each device just added, with its own user
 * name and password, readable only by the owner.
 */
void
stamp_device_list_dialog_save_sheets_async (StampDeviceListDialog *self,
                                            GFile                 *folder,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *dir = NULL;
  SaveState *state;

  g_return_if_fail (STAMP_IS_DEVICE_LIST_DIALOG (self));
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (self->passwords != NULL);

  task = g_task_new (self, cancellable != NULL ? cancellable : self->cancellable,
                     callback, user_data);
  g_task_set_source_tag (task, stamp_device_list_dialog_save_sheets_async);

  dir = g_file_get_path (folder);
  state = g_new0 (SaveState, 1);
  state->contexts = g_ptr_array_new_with_free_func (g_object_unref);
  state->paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->passwords->len; i++)
    {
      StampRelayDevice *device = stamp_relay_device_list_get_device (self->list, i);
      g_autofree char *basename = g_strdup_printf ("%s.pdf", stamp_relay_device_get_name (device));
      StampExportContext *context = stamp_export_context_new (self->account);

      /* A name is the file's name, never a path. */
      g_strdelimit (basename, "/\\", '-');
      if (basename[0] == '.')
        basename[0] = '_';
      stamp_relay_controller_fill_sheet_context (self->controller, context, device,
                                                 g_ptr_array_index (self->passwords, i));
      g_ptr_array_add (state->contexts, context);
      g_ptr_array_add (state->paths, g_build_filename (dir, basename, NULL));
    }
  g_task_set_task_data (task, state, (GDestroyNotify) save_state_free);

  g_task_run_in_thread (task, save_sheets_thread);
}

/**
 * stamp_device_list_dialog_save_sheets_finish:
 *
 * Returns: how many sheets were saved, or 0 with @error set
 */
guint
stamp_device_list_dialog_save_sheets_finish (StampDeviceListDialog  *self,
                                             GAsyncResult           *result,
                                             GError                **error)
{
  gssize saved;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_device_list_dialog_save_sheets_async, 0);

  /* -1 with @error set when the task failed. */
  saved = g_task_propagate_int (G_TASK (result), error);
  return saved < 0 ? 0 : saved;
}

static void
sheets_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StampDeviceListDialog *self = STAMP_DEVICE_LIST_DIALOG (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  guint saved;

  self->busy = FALSE;
  update_actions (self);

  saved = stamp_device_list_dialog_save_sheets_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    said = g_strdup_printf (_("The printer sheets could not be saved: %s"), error->message);
  else
    said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u printer sheet saved",
                                         "%u printer sheets saved", saved),
                            saved);
  add_toast (self, said);
  stamp_announce (GTK_WIDGET (self), said);
}

static void
clear_folder_chooser (StampDeviceListDialog *self)
{
  if (self->folder_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  g_clear_object (&self->folder_chooser);
}

static void
folder_chosen_cb (StampDeviceListDialog *self,
                  int                    response)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->folder_chooser));
  clear_folder_chooser (self);

  if (folder == NULL)
    return;

  self->busy = TRUE;
  update_actions (self);
  stamp_device_list_dialog_save_sheets_async (self, folder, NULL, sheets_saved_cb, NULL);
}

/* The native chooser is the portal's inside the Flatpak. GTK 4.10's
 * GtkFileDialog would do the same, but Stamp builds against GTK 4.8. */
static void
save_sheets_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StampDeviceListDialog *self = STAMP_DEVICE_LIST_DIALOG (widget);

  if (self->passwords == NULL || self->busy)
    return;

  clear_folder_chooser (self);
  self->folder_chooser = gtk_file_chooser_native_new (_("Save Printer Sheets"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                      _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->folder_chooser), TRUE);
  g_signal_connect_object (self->folder_chooser, "response",
                           G_CALLBACK (folder_chosen_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

static void
stamp_device_list_dialog_constructed (GObject *object)
{
  StampDeviceListDialog *self = (StampDeviceListDialog *)object;

  G_OBJECT_CLASS (stamp_device_list_dialog_parent_class)->constructed (object);

  g_assert (STAMP_IS_RELAY_CONTROLLER (self->controller));
  g_assert (STAMP_IS_ACCOUNT (self->account));
  g_assert (G_IS_FILE (self->file));

  update_actions (self);
  g_file_load_contents_async (self->file, self->cancellable, loaded_cb, g_object_ref (self));
}

static void
stamp_device_list_dialog_dispose (GObject *object)
{
  StampDeviceListDialog *self = (StampDeviceListDialog *)object;

  g_cancellable_cancel (self->cancellable);
  clear_folder_chooser (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_DEVICE_LIST_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->controller);
  g_clear_object (&self->account);
  g_clear_object (&self->file);
  g_clear_object (&self->list);
  g_clear_pointer (&self->passwords, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_device_list_dialog_parent_class)->dispose (object);
}

static void
stamp_device_list_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  StampDeviceListDialog *self = STAMP_DEVICE_LIST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_device_list_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  StampDeviceListDialog *self = STAMP_DEVICE_LIST_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_device_list_dialog_class_init (StampDeviceListDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stamp_device_list_dialog_constructed;
  object_class->dispose = stamp_device_list_dialog_dispose;
  object_class->get_property = stamp_device_list_dialog_get_property;
  object_class->set_property = stamp_device_list_dialog_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL,
                         STAMP_TYPE_RELAY_CONTROLLER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         STAMP_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-device-list-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, devices_group);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, devices_list);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, problem_page);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceListDialog, toast_overlay);

  gtk_widget_class_install_action (widget_class, "device-list.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "device-list.save-sheets", NULL,
                                   save_sheets_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
stamp_device_list_dialog_init (StampDeviceListDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

/**
 * stamp_device_list_dialog_new:
 * @parent: (nullable): the devices window it belongs to
 * @controller: the app's relay
 * @account: the account the devices send through
 * @file: the CSV list
 *
 * Returns: (transfer full): a new dialog, which reads @file at once;
 *   present it with gtk_window_present()
 */
StampDeviceListDialog *
stamp_device_list_dialog_new (GtkWindow            *parent,
                              StampRelayController *controller,
                              StampAccount         *account,
                              GFile                *file)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (controller), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (STAMP_TYPE_DEVICE_LIST_DIALOG,
                       "transient-for", parent,
                       "controller", controller,
                       "account", account,
                       "file", file,
                       NULL);
}

/* Choosing the list */

typedef struct
{
  GtkWindow            *parent;
  StampRelayController *controller;
  StampAccount         *account;
} ChooseState;

static void
choose_state_free (gpointer  data,
                   GClosure *closure)
{
  ChooseState *state = data;

  g_clear_object (&state->parent);
  g_clear_object (&state->controller);
  g_clear_object (&state->account);
  g_free (state);
}

static void
open_chosen (ChooseState *state,
             GFile       *file)
{
  /* The window that asked may have closed meanwhile. */
  if (!gtk_widget_get_visible (GTK_WIDGET (state->parent)))
    return;

  gtk_window_present (GTK_WINDOW (stamp_device_list_dialog_new (state->parent, state->controller,
                                                                state->account, file)));
}

static GtkFileFilter *
make_csv_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Lists of Devices (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.CSV");

  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static void
list_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ChooseState *state = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (file != NULL)
    open_chosen (state, file);
  choose_state_free (state, NULL);
}

static void
choose_list (ChooseState *state)
{
  g_autoptr(GtkFileFilter) filter = make_csv_filter ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  g_list_store_append (filters, filter);
  gtk_file_dialog_set_title (dialog, _("Add Devices from a List"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_modal (dialog, TRUE);
  gtk_file_dialog_open (dialog, state->parent, NULL, list_chosen_cb, state);
}

G_GNUC_END_IGNORE_DEPRECATIONS
#else

static void
list_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                ChooseState     *state)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    open_chosen (state, file);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* GTK 4.8 has no GtkFileDialog; the native chooser is the portal's inside
 * the Flatpak. */
static void
choose_list (ChooseState *state)
{
  g_autoptr(GtkFileFilter) filter = make_csv_filter ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Add Devices from a List"), state->parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_data (chooser, "response", G_CALLBACK (list_chosen_cb), state,
                         choose_state_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

#endif

/**
 * stamp_device_list_dialog_choose:
 * @parent: the devices window it belongs to
 * @controller: the app's relay
 * @account: the account the devices send through
 *
 * Asks for a CSV list of devices with the file chooser (GtkFileDialog on
 * GTK 4.10 and later), then shows a dialog with its devices.
 */
void
stamp_device_list_dialog_choose (GtkWindow            *parent,
                                 StampRelayController *controller,
                                 StampAccount         *account)
{
  ChooseState *state;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (STAMP_IS_RELAY_CONTROLLER (controller));
  g_return_if_fail (STAMP_IS_ACCOUNT (account));

  state = g_new0 (ChooseState, 1);
  state->parent = g_object_ref (parent);
  state->controller = g_object_ref (controller);
  state->account = g_object_ref (account);
  choose_list (state);
}

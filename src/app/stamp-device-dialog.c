/* stamp-device-dialog.c
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

#define G_LOG_DOMAIN "stamp-device-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-device-dialog.h"
#include "stamp-devices-window.h"

/*
 * StampDeviceDialog:
 *
 * Adds one device that sends through an account with Stamp Relay: the
 * person names it and picks its make; Stamp makes the user name and a
 * strong password, and then shows what to enter on the device (server,
 * port, STARTTLS, user name, password) with a button that copies the
 * password and a way to the device's printer sheet. The password is shown
 * in this dialog only, and forgotten when it closes: the keyring keeps it.
 */
struct _StampDeviceDialog
{
  AdwWindow             parent_instance;

  /* Owned */
  StampRelayController *controller;
  StampAccount         *account;
  StampRelayDevice     *device;
  StampSecret          *password;
  GCancellable         *cancellable;

  /* Template children */
  GtkWidget            *add_button;
  GtkWidget            *cancel_button;
  GtkWidget            *done_button;
  AdwPreferencesGroup  *done_group;
  GtkLabel             *error_label;
  GtkWidget            *loopback_row;
  AdwComboRow          *make_row;
  AdwEntryRow          *name_row;
  AdwActionRow         *password_row;
  AdwActionRow         *port_row;
  AdwActionRow         *server_row;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  AdwActionRow         *user_row;
};

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampDeviceDialog, stamp_device_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static char *
dup_name (StampDeviceDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static void
update_actions (StampDeviceDialog *self)
{
  g_autofree char *name = dup_name (self);
  gboolean busy = self->cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.add",
                                 !busy && self->device == NULL && name[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.copy-password",
                                 self->password != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device.printer-sheet",
                                 self->device != NULL);
}

static void
stamp_device_dialog_name_changed_cb (StampDeviceDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  update_actions (self);
}

static void
stamp_device_dialog_name_activated_cb (StampDeviceDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "device.add", NULL);
}

static void
show_settings (StampDeviceDialog *self)
{
  g_autofree char *title = NULL;
  g_autofree char *server = stamp_relay_controller_dup_server (self->controller);
  g_autofree char *port = NULL;

  port = g_strdup_printf ("%d", stamp_relay_controller_get_port (self->controller));
  /* A group's title is markup. TRANSLATORS: %s is the device's name */
  title = g_markup_printf_escaped (_("Set Up “%s”"),
                                   stamp_relay_device_get_name (self->device));
  adw_preferences_group_set_title (self->done_group, title);
  adw_action_row_set_subtitle (self->server_row, server);
  gtk_widget_set_visible (self->loopback_row,
                          !stamp_relay_controller_get_on_network (self->controller));
  adw_action_row_set_subtitle (self->port_row, port);
  adw_action_row_set_subtitle (self->user_row, stamp_relay_device_get_user (self->device));
  adw_action_row_set_subtitle (self->password_row, self->password);

  gtk_widget_set_visible (self->add_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->done_button, TRUE);
  gtk_window_set_title (GTK_WINDOW (self), _("Device Added"));
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_grab_focus (self->done_button);
}

static void
add_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(StampDeviceDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = stamp_relay_controller_add_device_finish (STAMP_RELAY_CONTROLLER (object), result,
                                                       &error);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (password == NULL)
    {
      g_clear_object (&self->device);
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      stamp_announce (GTK_WIDGET (self), error->message);
      update_actions (self);
      return;
    }

  self->password = password;
  show_settings (self);
  update_actions (self);
  stamp_announce (GTK_WIDGET (self),
                  _("Device added. Its password is shown only now; copy it or print the sheet."));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  StampDeviceDialog *self = STAMP_DEVICE_DIALOG (widget);
  g_autofree char *name = dup_name (self);
  g_autoptr(StampRelayDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  guint make;

  if (name[0] == '\0' || self->cancellable != NULL || self->device != NULL)
    return;

  device = stamp_relay_device_new (name, stamp_account_get_address (self->account));
  make = adw_combo_row_get_selected (self->make_row);
  if (make < stamp_device_vendor_get_n_vendors ())
    stamp_relay_device_set_make (device, stamp_device_vendor_get_nth (make)->id);
  if (!stamp_relay_device_validate (device, &error))
    {
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  self->device = g_steal_pointer (&device);
  self->cancellable = g_cancellable_new ();
  update_actions (self);
  stamp_relay_controller_add_device_async (self->controller, self->device, self->cancellable,
                                           add_cb, g_object_ref (self));
}

static void
copy_password_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampDeviceDialog *self = STAMP_DEVICE_DIALOG (widget);
  AdwToast *toast;

  if (self->password == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->password);
  toast = adw_toast_new (_("Password copied"));
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  stamp_announce (widget, _("Password copied"));
}

static void
printer_sheet_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampDeviceDialog *self = STAMP_DEVICE_DIALOG (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (self->device == NULL || !STAMP_IS_DEVICES_WINDOW (parent))
    return;

  stamp_devices_window_open_sheet (STAMP_DEVICES_WINDOW (parent), GTK_WINDOW (self),
                                   self->device, self->password);
}

static void
stamp_device_dialog_constructed (GObject *object)
{
  StampDeviceDialog *self = (StampDeviceDialog *)object;
  g_autoptr(GtkStringList) makes = gtk_string_list_new (NULL);
  guint generic = 0;

  G_OBJECT_CLASS (stamp_device_dialog_parent_class)->constructed (object);

  g_assert (STAMP_IS_RELAY_CONTROLLER (self->controller));
  g_assert (STAMP_IS_ACCOUNT (self->account));

  /* The makes the printer sheet knows, "Other make" last, as the core
   * lists them. */
  for (guint i = 0; i < stamp_device_vendor_get_n_vendors (); i++)
    {
      const StampDeviceVendor *vendor = stamp_device_vendor_get_nth (i);

      gtk_string_list_append (makes, stamp_device_vendor_text (vendor, vendor->name));
      if (vendor->generic)
        generic = i;
    }
  adw_combo_row_set_model (self->make_row, G_LIST_MODEL (makes));
  /* Nothing is assumed about the device until the person says. */
  adw_combo_row_set_selected (self->make_row, generic);

  update_actions (self);
}

static void
stamp_device_dialog_dispose (GObject *object)
{
  StampDeviceDialog *self = (StampDeviceDialog *)object;

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_DEVICE_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->controller);
  g_clear_object (&self->account);
  g_clear_object (&self->device);
  stamp_clear_secret (&self->password);

  G_OBJECT_CLASS (stamp_device_dialog_parent_class)->dispose (object);
}

static void
stamp_device_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StampDeviceDialog *self = STAMP_DEVICE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_device_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  StampDeviceDialog *self = STAMP_DEVICE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_device_dialog_class_init (StampDeviceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stamp_device_dialog_constructed;
  object_class->dispose = stamp_device_dialog_dispose;
  object_class->get_property = stamp_device_dialog_get_property;
  object_class->set_property = stamp_device_dialog_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL,
                         STAMP_TYPE_RELAY_CONTROLLER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         STAMP_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-device-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, done_group);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, loopback_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, make_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StampDeviceDialog, user_row);
  gtk_widget_class_bind_template_callback (widget_class, stamp_device_dialog_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, stamp_device_dialog_name_changed_cb);

  gtk_widget_class_install_action (widget_class, "device.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "device.copy-password", NULL,
                                   copy_password_action);
  gtk_widget_class_install_action (widget_class, "device.printer-sheet", NULL,
                                   printer_sheet_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
stamp_device_dialog_init (StampDeviceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));
}

/**
 * stamp_device_dialog_new:
 * @parent: (nullable): the devices window it belongs to
 * @controller: the app's relay
 * @account: the account the device sends through
 *
 * Returns: (transfer full): a new dialog; present it with gtk_window_present()
 */
StampDeviceDialog *
stamp_device_dialog_new (GtkWindow            *parent,
                         StampRelayController *controller,
                         StampAccount         *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (controller), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  return g_object_new (STAMP_TYPE_DEVICE_DIALOG,
                       "transient-for", parent,
                       "controller", controller,
                       "account", account,
                       NULL);
}

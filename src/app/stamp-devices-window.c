/* stamp-devices-window.c
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

#define G_LOG_DOMAIN "stamp-devices-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "stamp-accessible.h"
#include "stamp-announce.h"
#include "stamp-device-dialog.h"
#include "stamp-device-list-dialog.h"
#include "stamp-devices-window.h"
#include "stamp-export-dialog.h"

/*
 * StampDevicesWindow:
 *
 * The devices that send through one account with Stamp Relay, and the
 * relay itself: whether it runs (in the app, or as the relay service),
 * whether devices on the network can reach it and at which address, and a
 * live status (messages waiting, delivered today, the last problem in
 * plain words, announced to screen readers as it changes). Devices are
 * added one by one (#StampDeviceDialog) or from a list
 * (#StampDeviceListDialog), and removed after a confirmation; each has a
 * printer sheet with the relay's settings.
 */
struct _StampDevicesWindow
{
  AdwWindow             parent_instance;

  /* Owned */
  StampRelayController *controller;
  StampAccount         *account;
  char                 *status_summary;  /* what was last announced */
  char                 *relay_summary;

  /* Template children */
  AdwActionRow         *address_row;
  AdwSplitButton       *add_button;
  GtkLabel             *delivered_label;
  AdwPreferencesGroup  *devices_group;
  GtkListBox           *devices_list;
  GtkLabel             *held_label;
  GtkWidget            *held_row;
  AdwActionRow         *network_row;
  GtkSwitch            *network_switch;
  AdwActionRow         *problem_row;
  GtkWidget            *sign_in_button;
  AdwActionRow         *relay_row;
  GtkSwitch            *relay_switch;
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *waiting_label;
  AdwWindowTitle       *window_title;
};

enum {
  PROP_0,
  PROP_CONTROLLER,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampDevicesWindow, stamp_devices_window, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
add_toast (StampDevicesWindow *self,
           const char         *text)
{
  /* Libadwaita 1.2 reads a toast's title as markup. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* The relay */

static const char *
describe_mode (StampDevicesWindow *self)
{
  const char *problem = stamp_relay_controller_get_problem (self->controller);

  /* A problem says more than the mode: why the relay did not start, or
   * that it may stop with the app's last window. */
  if (problem != NULL)
    return problem;

  switch (stamp_relay_controller_get_mode (self->controller))
    {
    case STAMP_RELAY_MODE_APP:
      return _("On: Stamp takes mail from devices and keeps running in the background");
    case STAMP_RELAY_MODE_SERVICE:
      return _("The relay service is running on this computer and takes mail from devices");
    case STAMP_RELAY_MODE_OFF:
    case STAMP_RELAY_MODE_FAILED:
    default:
      return _("Off: devices cannot send through Stamp");
    }
}

/* The addresses the relay service listens on ("HOST:PORT"), when it is
 * the service that serves; %NULL otherwise. */
static JsonArray *
get_service_listening (StampDevicesWindow *self)
{
  JsonObject *status = stamp_relay_controller_get_status (self->controller);
  JsonArray *listening;

  if (stamp_relay_controller_get_mode (self->controller) != STAMP_RELAY_MODE_SERVICE ||
      status == NULL || !json_object_has_member (status, "listening"))
    return NULL;

  listening = json_object_get_array_member (status, "listening");

  return json_array_get_length (listening) > 0 ? listening : NULL;
}

/* "HOST:PORT" as the address row says it, with this computer's LAN
 * address for a relay that listens on every address. */
static char *
describe_listen (const char *host_port)
{
  const char *colon = strrchr (host_port, ':');
  g_autofree char *host = NULL;

  if (colon == NULL)
    return g_strdup (host_port);

  host = g_strndup (host_port, colon - host_port);
  if (host[0] == '[')
    {
      char *bare = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = bare;
    }
  if (g_str_equal (host, "0.0.0.0") || g_str_equal (host, "::"))
    {
      char *lan = stamp_net_dup_lan_address ();

      if (lan != NULL)
        {
          g_free (host);
          host = lan;
        }
    }

  /* TRANSLATORS: a server name or address, then its port */
  return g_strdup_printf (_("%s, port %s"), host, colon + 1);
}

/* Where devices send to: where the relay that serves listens, the
 * service's when it does, or else where the app's relay listens. */
static char *
dup_address (StampDevicesWindow *self)
{
  g_autofree char *server = stamp_relay_controller_dup_server (self->controller);
  g_autoptr(GString) addresses = g_string_new (NULL);
  JsonArray *listening = get_service_listening (self);

  if (listening == NULL)
    /* TRANSLATORS: a server name or address, then its port */
    return g_strdup_printf (_("%s, port %d"), server,
                            stamp_relay_controller_get_port (self->controller));

  for (guint i = 0; i < json_array_get_length (listening); i++)
    {
      g_autofree char *address = describe_listen (json_array_get_string_element (listening, i));

      if (addresses->len > 0)
        g_string_append (addresses, "\n");
      g_string_append (addresses, address);
    }

  return g_string_free (g_steal_pointer (&addresses), FALSE);
}

/* Whether devices on the network reach the relay that serves. */
static gboolean
is_on_network (StampDevicesWindow *self)
{
  JsonArray *listening = get_service_listening (self);

  if (listening == NULL)
    return stamp_relay_controller_get_on_network (self->controller);

  for (guint i = 0; i < json_array_get_length (listening); i++)
    {
      const char *host_port = json_array_get_string_element (listening, i);

      if (!g_str_has_prefix (host_port, "127.") && !g_str_has_prefix (host_port, "[::1]") &&
          !g_str_has_prefix (host_port, "localhost:"))
        return TRUE;
    }

  return FALSE;
}

static void
update_relay (StampDevicesWindow *self)
{
  g_autofree char *address = dup_address (self);
  gboolean on_network = is_on_network (self);
  StampRelayMode mode = stamp_relay_controller_get_mode (self->controller);
  const char *relay_text = describe_mode (self);
  const char *network_text;

  adw_action_row_set_subtitle (self->relay_row, relay_text);
  /* Said when it changes: the relay starts, stops, or fails. */
  if (self->relay_summary != NULL && !g_str_equal (self->relay_summary, relay_text))
    stamp_announce (GTK_WIDGET (self), relay_text);
  stamp_set_str (&self->relay_summary, relay_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->relay_switch),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, relay_text,
                                  -1);
  if (mode == STAMP_RELAY_MODE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->relay_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->relay_row), "error");

  /* The service listens where its own command line says; the switch is
   * the app's own choice. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->network_row), mode != STAMP_RELAY_MODE_SERVICE);
  if (mode == STAMP_RELAY_MODE_SERVICE)
    network_text = on_network
                   ? _("The relay service listens on the local network")
                   : _("The relay service listens only on this computer; devices on the network "
                       "cannot reach it");
  else
    network_text = on_network
                   ? _("Printers and scanners on the local network can send")
                   : _("Only programs on this computer can send; devices on the network cannot "
                       "reach the relay");
  adw_action_row_set_subtitle (self->network_row, network_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->network_switch),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, network_text,
                                  -1);

  adw_action_row_set_subtitle (self->address_row, address);
}

/* Status */

static void
update_status (StampDevicesWindow *self)
{
  const char *address = stamp_account_get_address (self->account);
  g_autofree char *waiting_text = NULL;
  g_autofree char *delivered_text = NULL;
  g_autofree char *held_text = NULL;
  g_autofree char *waiting_said = NULL;
  g_autofree char *delivered_said = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *problem = NULL;
  guint waiting;
  guint delivered;
  guint held;

  stamp_relay_controller_get_account_counts (self->controller, address,
                                             &waiting, &delivered, &held);
  waiting_text = g_strdup_printf ("%u", waiting);
  delivered_text = g_strdup_printf ("%u", delivered);
  held_text = g_strdup_printf ("%u", held);
  gtk_label_set_label (self->waiting_label, waiting_text);
  gtk_label_set_label (self->delivered_label, delivered_text);
  gtk_label_set_label (self->held_label, held_text);
  gtk_widget_set_visible (self->held_row, held > 0);

  problem = stamp_relay_controller_dup_account_problem (self->controller, address);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_row), problem != NULL);
  adw_action_row_set_subtitle (self->problem_row, problem != NULL ? problem : "");
  /* Stopped until someone signs in: the fix, where the problem is said. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->sign_in_button), "s", address);
  gtk_widget_set_visible (self->sign_in_button,
                          stamp_relay_controller_get_account_stopped (self->controller, address));

  /* Said once when it changes, not at every poll. */
  waiting_said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message waiting.",
                                               "%u messages waiting.", waiting),
                                  waiting);
  delivered_said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u delivered today.",
                                                 "%u delivered today.", delivered),
                                    delivered);
  summary = g_strjoin (" ", waiting_said, delivered_said, problem, NULL);
  if (self->status_summary != NULL && !g_str_equal (self->status_summary, summary))
    stamp_announce (GTK_WIDGET (self), summary);
  g_free (self->status_summary);
  self->status_summary = g_steal_pointer (&summary);
}

/* Devices */

static GtkWidget *
make_icon_button (const char *icon_name,
                  const char *tooltip,
                  const char *action_name,
                  const char *device_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", device_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);

  return button;
}

static GtkWidget *
make_device_row (StampRelayDevice *device)
{
  const char *name = stamp_relay_device_get_name (device);
  const char *make = stamp_relay_device_get_make (device);
  const StampDeviceVendor *vendor = make != NULL ? stamp_device_vendor_lookup (make) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *remove = NULL;
  GtkWidget *row = adw_action_row_new ();

  /* A name is text, not markup; said before the title is set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (stamp_relay_device_get_no_sign_in (device))
    subtitle = g_strdup (_("Sends without signing in"));
  else
    subtitle = g_strdup_printf (_("User name: %s"), stamp_relay_device_get_user (device));
  if (vendor != NULL)
    {
      /* TRANSLATORS: a device's make, then how it signs in */
      g_autofree char *with_make = g_strdup_printf (_("%s · %s"),
                                                    stamp_device_vendor_text (vendor, vendor->name),
                                                    subtitle);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_make);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* TRANSLATORS: %s is a device's name */
  sheet = g_strdup_printf (_("Printer Sheet for “%s”"), name);
  /* TRANSLATORS: %s is a device's name */
  remove = g_strdup_printf (_("Remove “%s”"), name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             make_icon_button ("printer-symbolic", sheet,
                                               "devices.printer-sheet", name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             make_icon_button ("user-trash-symbolic", remove,
                                               "devices.remove-device", name));

  return row;
}

static void
update_devices (StampDevicesWindow *self)
{
  StampRelayDeviceStore *store = stamp_relay_controller_get_devices (self->controller);
  GPtrArray *devices = stamp_relay_device_store_get_devices (store);
  GtkWidget *child;

  /* The placeholder is a child too, but not a row: skip it. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->devices_list)); child != NULL; )
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (self->devices_list, child);
      child = next;
    }

  for (guint i = 0; i < devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (devices, i);

      if (g_strcmp0 (stamp_relay_device_get_account (device),
                     stamp_account_get_address (self->account)) == 0)
        gtk_list_box_append (self->devices_list, make_device_row (device));
    }
}

static void
controller_changed_cb (StampDevicesWindow *self)
{
  update_devices (self);
  update_status (self);
  update_relay (self);
}

/* Actions */

static void
add_device_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (stamp_device_dialog_new (GTK_WINDOW (self), self->controller,
                                                           self->account)));
}

static void
add_from_list_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (widget);

  stamp_device_list_dialog_choose (GTK_WINDOW (self), self->controller, self->account);
}

static void
printer_sheet_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (widget);
  StampRelayDeviceStore *devices = stamp_relay_controller_get_devices (self->controller);
  StampRelayDevice *device;

  device = stamp_relay_device_store_lookup (devices, g_variant_get_string (parameter, NULL));
  if (device == NULL)
    return;

  stamp_devices_window_open_sheet (self, GTK_WINDOW (self), device, NULL);
}

static void
remove_device_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StampDevicesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!stamp_relay_controller_remove_device_finish (STAMP_RELAY_CONTROLLER (object), result,
                                                    &error))
    add_toast (self, error->message);
  else
    stamp_announce (GTK_WIDGET (self), _("Device removed"));
}

static void
remove_response_cb (StampDevicesWindow *self,
                    const char         *response,
                    AdwMessageDialog   *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "device-name");

  if (!g_str_equal (response, "remove"))
    return;

  stamp_relay_controller_remove_device_async (self->controller, name, NULL,
                                              remove_device_cb, g_object_ref (self));
}

static void
remove_device_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Device?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will no longer be able to send through Stamp, "
                                    "and its password is removed from the keyring."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "device-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stamp_devices_window_constructed (GObject *object)
{
  StampDevicesWindow *self = (StampDevicesWindow *)object;

  G_OBJECT_CLASS (stamp_devices_window_parent_class)->constructed (object);

  g_assert (STAMP_IS_RELAY_CONTROLLER (self->controller));
  g_assert (STAMP_IS_ACCOUNT (self->account));

  adw_window_title_set_subtitle (self->window_title, stamp_account_get_address (self->account));

  g_object_bind_property (self->controller, "enabled", self->relay_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->controller, "on-network", self->network_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_object (self->controller, "notify",
                           G_CALLBACK (update_relay), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "changed",
                           G_CALLBACK (controller_changed_cb), self, G_CONNECT_SWAPPED);

  update_relay (self);
  stamp_relay_controller_watch (self->controller);
  controller_changed_cb (self);
}

static void
stamp_devices_window_dispose (GObject *object)
{
  StampDevicesWindow *self = (StampDevicesWindow *)object;

  if (self->controller != NULL)
    stamp_relay_controller_unwatch (self->controller);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_DEVICES_WINDOW);

  g_clear_object (&self->controller);
  g_clear_object (&self->account);
  g_clear_pointer (&self->status_summary, g_free);
  g_clear_pointer (&self->relay_summary, g_free);

  G_OBJECT_CLASS (stamp_devices_window_parent_class)->dispose (object);
}

static void
stamp_devices_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (object);

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
stamp_devices_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  StampDevicesWindow *self = STAMP_DEVICES_WINDOW (object);

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
stamp_devices_window_class_init (StampDevicesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stamp_devices_window_constructed;
  object_class->dispose = stamp_devices_window_dispose;
  object_class->get_property = stamp_devices_window_get_property;
  object_class->set_property = stamp_devices_window_set_property;

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
                                               RESOURCE_PATH "/ui/stamp-devices-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, delivered_label);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, devices_group);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, devices_list);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, held_label);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, held_row);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, network_row);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, network_switch);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, problem_row);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, relay_row);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, relay_switch);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, StampDevicesWindow, window_title);

  gtk_widget_class_install_action (widget_class, "devices.add-device", NULL, add_device_action);
  gtk_widget_class_install_action (widget_class, "devices.add-from-list", NULL,
                                   add_from_list_action);
  gtk_widget_class_install_action (widget_class, "devices.printer-sheet", "s",
                                   printer_sheet_action);
  gtk_widget_class_install_action (widget_class, "devices.remove-device", "s",
                                   remove_device_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "devices.add-device", NULL);
}

static void
stamp_devices_window_init (StampDevicesWindow *self)
{
  GtkWidget *arrow;

  gtk_widget_init_template (GTK_WIDGET (self));
  stamp_name_mnemonic_buttons (GTK_WIDGET (self));

  /* Libadwaita 1.2 gives the split button's arrow a tooltip, no name. */
  arrow = stamp_find_descendant (GTK_WIDGET (self->add_button), GTK_TYPE_MENU_BUTTON, NULL);
  if (arrow != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_split_button_get_dropdown_tooltip (self->add_button),
                                    -1);
}

/**
 * stamp_devices_window_new:
 * @parent: (nullable): the window it belongs to
 * @controller: the app's relay
 * @account: the account whose devices to show
 *
 * Returns: (transfer full): a new window; present it with gtk_window_present()
 */
StampDevicesWindow *
stamp_devices_window_new (GtkWindow            *parent,
                          StampRelayController *controller,
                          StampAccount         *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (STAMP_IS_RELAY_CONTROLLER (controller), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  /* One of the application's windows: its actions (Sign In Again) work
   * here too. */
  return g_object_new (STAMP_TYPE_DEVICES_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "controller", controller,
                       "account", account,
                       NULL);
}

StampAccount *
stamp_devices_window_get_account (StampDevicesWindow *self)
{
  g_return_val_if_fail (STAMP_IS_DEVICES_WINDOW (self), NULL);

  return self->account;
}

/**
 * stamp_devices_window_open_sheet:
 * @parent: the window the sheet's dialog belongs to
 * @device: one of the account's devices
 * @password: (nullable): the device's password, when it was just made
 *
 * Opens the printer sheet of @device: the export dialog's printer page with
 * the path "Through Stamp Relay" and the relay's settings for the device.
 */
void
stamp_devices_window_open_sheet (StampDevicesWindow *self,
                                 GtkWindow          *parent,
                                 StampRelayDevice   *device,
                                 const char         *password)
{
  StampExportDialog *dialog;

  g_return_if_fail (STAMP_IS_DEVICES_WINDOW (self));
  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (device));

  dialog = stamp_export_dialog_new (parent, self->account);
  stamp_relay_controller_fill_sheet_context (self->controller,
                                             stamp_export_dialog_get_context (dialog),
                                             device, password);
  stamp_export_dialog_select (dialog, "printer");
  gtk_window_present (GTK_WINDOW (dialog));
}

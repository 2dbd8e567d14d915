/* stamp-relay-controller-background.c
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

#define G_LOG_DOMAIN "stamp-relay-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-relay-controller-private.h"

/* Keeping the app running while it serves the relay. */

static void
background_response_cb (GDBusConnection *connection,
                        const char      *sender_name,
                        const char      *object_path,
                        const char      *interface_name,
                        const char      *signal_name,
                        GVariant        *parameters,
                        gpointer         user_data)
{
  StampRelayController *self = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint32 response;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);

  g_dbus_connection_signal_unsubscribe (connection, self->portal_response_id);
  self->portal_response_id = 0;

  if (response != 0 || !background)
    _stamp_relay_controller_set_problem (self,
                                         _("Stamp may not run in the background: the relay "
                                           "stops when Stamp’s last window closes. Allow it "
                                           "in Settings → Apps → Stamp."));
}

static void
background_requested_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_warning ("Asking to run in the background: %s", error->message);
}

/* Inside the Flatpak, the desktop may end an app that has no window; the
 * Background portal asks the person to let Stamp keep the relay running.
 * Its answer comes as a signal on a request object whose path is known
 * beforehand (from the token), so the signal is subscribed to first. */
static void
request_background (StampRelayController *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *request_path = NULL;
  GVariantBuilder options;

  if (self->portal_bus == NULL)
    self->portal_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->portal_bus == NULL)
    {
      g_warning ("Asking to run in the background: %s", error->message);
      return;
    }

  token = g_strdup_printf ("stamp_relay_%u", g_random_int ());
  sender = g_string_new (g_dbus_connection_get_unique_name (self->portal_bus) + 1);
  g_string_replace (sender, ".", "_", 0);
  request_path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s",
                                  sender->str, token);

  if (self->portal_response_id != 0)
    g_dbus_connection_signal_unsubscribe (self->portal_bus, self->portal_response_id);
  self->portal_response_id =
    g_dbus_connection_signal_subscribe (self->portal_bus, "org.freedesktop.portal.Desktop",
                                        "org.freedesktop.portal.Request", "Response",
                                        request_path, NULL, G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                        background_response_cb, self, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Stamp Relay takes mail from printers and "
                                                 "scanners and delivers it.")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (self->portal_bus, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Background",
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          background_requested_cb, NULL);
}

/* While the app serves, closing its last window must not end it: the
 * application is held (inside the Flatpak too, where the portal only
 * keeps the desktop from ending a windowless app). */
void
_stamp_relay_controller_keep_running (StampRelayController *self,
                                      gboolean              keep)
{
  GApplication *app = g_application_get_default ();

  if (keep == self->holding || app == NULL)
    return;

  self->holding = keep;
  if (keep)
    {
      g_application_hold (app);
      if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
        request_background (self);
    }
  else
    {
      g_application_release (app);
    }
}

/* Drops the portal request's answer, if it is still to come. */
void
_stamp_relay_controller_forget_background (StampRelayController *self)
{
  if (self->portal_response_id != 0)
    g_dbus_connection_signal_unsubscribe (self->portal_bus, self->portal_response_id);
  self->portal_response_id = 0;
  g_clear_object (&self->portal_bus);
}

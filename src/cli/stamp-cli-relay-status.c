/* stamp-cli-relay-status.c
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

#define G_LOG_DOMAIN "stamp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-output.h"
#include "stamp-cli-relay-private.h"

/* stamp-cli relay status: what the relay's spool says, read while the
 * relay runs or not. */

#define COMMAND "relay status"

static const char *
string_member (JsonObject *object,
               const char *name)
{
  return object != NULL ? json_object_get_string_member_with_default (object, name, NULL) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
print_listening (JsonObject *status)
{
  JsonNode *node = json_object_get_member (status, "listening");
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node)
                     ? json_node_get_array (node) : NULL;
  g_autoptr(GString) where = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_string_append_printf (where, "%s%s", i > 0 ? ", " : "",
                            json_array_get_string_element (array, i));

  if (where->len > 0)
    g_print (_("Stamp Relay is running and listens on %s.\n"), where->str);
  else
    g_print ("%s\n", _("Stamp Relay is not running: nothing takes mail from the devices. Start it "
                       "with “stamp-cli relay serve” or “stamp-cli relay install-service”."));
}

/* “2026-12-03 15:20”, in this computer's time zone */
static char *
local_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 != NULL ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso8601);
}

static void
print_last_delivery (JsonObject *status)
{
  JsonObject *last = object_member (status, "last_delivery");
  const char *reply = string_member (last, "reply");
  const char *explanation = string_member (last, "explanation");
  g_autofree char *at = NULL;
  const char *device;

  if (last == NULL)
    {
      g_print ("%s\n", _("Last delivery: none yet."));
      return;
    }

  at = local_time (string_member (last, "at"));
  device = string_member (last, "device");
  if (device == NULL || device[0] == '\0')
    device = _("a device");

  if (json_object_get_boolean_member_with_default (last, "ok", FALSE))
    /* Translators: "…at 2026-12-03 15:20, a message from Front desk was delivered (250 …)" */
    g_print (_("Last delivery: at %s, a message from %s was delivered (the server said: %s).\n"),
             at, device, reply != NULL ? reply : "");
  else
    g_print (_("Last delivery: at %s, a message from %s could not be delivered: %s\n"),
             at, device, explanation != NULL ? explanation : "");
}

static void
print_devices (JsonObject *status)
{
  JsonObject *devices = object_member (status, "devices");
  g_autoptr(GList) names = devices != NULL ? json_object_get_members (devices) : NULL;
  int width = 0;

  if (names == NULL)
    {
      g_print ("%s\n", _("No device has sent anything today."));
      return;
    }

  names = g_list_sort (names, (GCompareFunc) g_utf8_collate);
  for (GList *l = names; l != NULL; l = l->next)
    width = MAX (width, (int) g_utf8_strlen (l->data, -1));

  g_print ("%s\n", _("Devices:"));
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *counts = object_member (devices, l->data);
      const char *name = ((const char *) l->data)[0] != '\0' ? l->data : _("(unknown)");

      g_print ("  %s%*s  ", name, width - (int) g_utf8_strlen (name, -1), "");
      g_print (_("accepted today %d, delivered today %d, held %d\n"),
               (int) json_object_get_int_member_with_default (counts, "accepted_today", 0),
               (int) json_object_get_int_member_with_default (counts, "delivered_today", 0),
               (int) json_object_get_int_member_with_default (counts, "held", 0));
    }
}

static void
print_held (StampRelaySpool *spool)
{
  g_autoptr(GPtrArray) held = stamp_relay_spool_list (spool, STAMP_RELAY_ENTRY_HELD, NULL);

  for (guint i = 0; held != NULL && i < held->len; i++)
    {
      StampRelayEntry *entry = g_ptr_array_index (held, i);

      g_print (_("  Held: %s from %s: %s\n"), entry->id,
               entry->device != NULL && entry->device[0] != '\0' ? entry->device : _("a device"),
               entry->last_error != NULL ? entry->last_error : _("no explanation was kept"));
    }
}

static void
print_accounts (JsonObject *status)
{
  JsonObject *accounts = object_member (status, "accounts");
  g_autoptr(GList) names = accounts != NULL ? json_object_get_members (accounts) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *state = object_member (accounts, l->data);
      const char *explanation = string_member (state, "explanation");

      if (state == NULL || !json_object_get_boolean_member_with_default (state, "stopped", FALSE))
        continue;
      g_print (_("Delivery through %s has stopped, and its messages wait: %s\n"),
               (const char *) l->data,
               explanation != NULL ? explanation : _("no explanation was kept"));
    }
}

int
stamp_cli_relay_status (int    argc,
                        char **argv)
{
  g_autoptr(StampRelaySpool) spool = stamp_relay_spool_new (NULL);
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  gint64 queued;
  gint64 held;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the status as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— what Stamp Relay holds and has delivered"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error (COMMAND, "%s", error->message);
  if (argc != 1)
    return stamp_cli_usage_error (COMMAND, _("Unexpected argument “%s”"), argv[1]);

  status = stamp_relay_spool_read_status (spool, &error);
  if (status == NULL)
    return stamp_cli_relay_fail (COMMAND, error);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), status);

      stamp_cli_print_json (node);
      return STAMP_CLI_EXIT_OK;
    }

  queued = json_object_get_int_member_with_default (status, "queued", 0);
  held = json_object_get_int_member_with_default (status, "held", 0);

  print_listening (status);
  print_accounts (status);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%d message waits to be delivered.\n",
                        "%d messages wait to be delivered.\n", queued),
           (int) queued);
  if (held > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE,
                            "%d message could not be delivered and is held aside:\n",
                            "%d messages could not be delivered and are held aside:\n", held),
               (int) held);
      print_held (spool);
    }
  print_devices (status);
  print_last_delivery (status);

  return STAMP_CLI_EXIT_OK;
}

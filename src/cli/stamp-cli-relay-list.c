/* stamp-cli-relay-list.c
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

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "stamp-core.h"
#include "stamp-cli-output.h"
#include "stamp-cli-relay-private.h"
#include "stamp-cli-wait.h"

/* stamp-cli relay add-device --from-csv: an office's devices in one go,
 * each with its own password, printed only on its own sheet. Nothing is
 * added, kept or written unless everything can be. */

#define COMMAND "relay add-device"

typedef struct
{
  StampRelayDevice *device;  /* borrowed from the list */
  StampSecret      *password;
  char             *sheet;
  GBytes           *pdf;
  gboolean          password_kept;
  gboolean          sheet_written;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->password, stamp_secret_free);
  g_clear_pointer (&entry->sheet, g_free);
  g_clear_pointer (&entry->pdf, g_bytes_unref);
}

/* Takes back what was done so far: sheets written, passwords kept. */
static void
undo (GArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_autoptr(GError) error = NULL;

      if (entry->sheet_written)
        g_unlink (entry->sheet);
      if (entry->password_kept && !stamp_cli_relay_clear_password (entry->device, &error))
        g_printerr (_("stamp-cli %s: the password of “%s” could not be taken out of the keyring "
                      "again: %s\n"), COMMAND, stamp_relay_device_get_name (entry->device),
                    error->message);
    }
}

static int
fail_and_undo (GArray       *entries,
               const GError *error)
{
  undo (entries);
  g_printerr (_("stamp-cli %s: no device was added: %s\n"), COMMAND, error->message);
  return stamp_cli_exit_for_error (error);
}

static GBytes *
render_sheet (StampAccount     *account,
              StampRelayDevice *device,
              const char       *host,
              int               port,
              const char       *password,
              GError          **error)
{
  g_autoptr(StampExportContext) context = stamp_export_context_new (account);
  const char *make = stamp_relay_device_get_make (device);
  StampExportRelay relay = {
    .host = host,
    .port = port,
    .starttls = !stamp_relay_device_get_allow_plaintext (device),
    .user = stamp_relay_device_get_user (device),
    .password = password,
  };

  stamp_export_context_set_device_vendor (context, make != NULL ? make : "generic");
  stamp_export_context_set_relay (context, &relay);

  return stamp_device_sheet_to_pdf (context, NULL, error);
}

static void
print_json (GArray     *entries,
            const char *address,
            const char *host,
            int         port)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  stamp_cli_json_add_string (builder, "account", address);
  stamp_cli_json_add_string (builder, "relay-host", host);
  stamp_cli_json_add_int (builder, "relay-port", port);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      json_builder_begin_object (builder);
      stamp_relay_device_add_json_members (entry->device, builder);
      json_builder_set_member_name (builder, "starttls");
      json_builder_add_boolean_value (builder,
                                      !stamp_relay_device_get_allow_plaintext (entry->device));
      stamp_cli_json_add_string (builder, "sheet", entry->sheet);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  stamp_cli_print_json (node);
}

static void
print_table (GArray     *entries,
             const char *address,
             const char *host,
             int         port)
{
  const char *name_head = _("Device");
  const char *user_head = _("User");
  int name_width = g_utf8_strlen (name_head, -1);
  int user_width = g_utf8_strlen (user_head, -1);

  for (guint i = 0; i < entries->len; i++)
    {
      StampRelayDevice *device = g_array_index (entries, Entry, i).device;

      name_width = MAX (name_width, (int) g_utf8_strlen (stamp_relay_device_get_name (device), -1));
      user_width = MAX (user_width, (int) g_utf8_strlen (stamp_relay_device_get_user (device), -1));
    }

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Added %u device that sends through %s. Its password is on its sheet "
                        "only; the sheet says to send to %s, port %d.\n",
                        "Added %u devices that send through %s. Each one’s password is on its "
                        "sheet only; the sheets say to send to %s, port %d.\n",
                        entries->len),
           entries->len, address, host, port);

  /* Pads by characters, not bytes: names need not be ASCII. */
  g_print ("  %s%*s  %s%*s  %s\n",
           name_head, name_width - (int) g_utf8_strlen (name_head, -1), "",
           user_head, user_width - (int) g_utf8_strlen (user_head, -1), "",
           _("Sheet"));
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      const char *name = stamp_relay_device_get_name (entry->device);
      const char *user = stamp_relay_device_get_user (entry->device);

      g_print ("  %s%*s  %s%*s  %s\n",
               name, name_width - (int) g_utf8_strlen (name, -1), "",
               user, user_width - (int) g_utf8_strlen (user, -1), "",
               entry->sheet);
    }
  g_print ("%s\n", _("The sheets hold the passwords: give each to its device’s owner, and "
                     "shred any printout once the device is set up."));
}

/* Where each sheet goes: “front-desk.pdf”, named after the user name made
 * from the device's name, which no other device has. */
static gboolean
plan_sheets (GArray      *entries,
             const char  *folder,
             GError     **error)
{
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("The folder “%s” could not be made: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_autofree char *base = g_strconcat (stamp_relay_device_get_user (entry->device), ".pdf",
                                           NULL);

      entry->sheet = g_build_filename (folder, base, NULL);
      if (g_file_test (entry->sheet, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       _("“%s” is already there; move it away or choose another folder"),
                       entry->sheet);
          return FALSE;
        }
    }

  return TRUE;
}

int
stamp_cli_relay_add_from_list (const char         *csv,
                               const char         *address,
                               const char         *sheets,
                               const char         *relay_host,
                               int                 relay_port,
                               const char * const *from_aliases,
                               gboolean            allow_plaintext,
                               gboolean            json)
{
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampRelayDeviceList) list = NULL;
  g_autoptr(StampRelayDeviceStore) store = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autofree char *lan_host = NULL;
  g_autofree char *folder = NULL;
  g_auto(GStrv) makes = stamp_device_vendor_dup_ids ();
  g_autoptr(GError) error = NULL;
  const char *host = relay_host;

  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);

  account = stamp_cli_lookup_account (address, &error);
  if (account == NULL)
    return stamp_cli_usage_error (COMMAND, "%s", error->message);

  list = stamp_relay_device_list_load (csv, address, (const char * const *) makes, &error);
  if (list == NULL)
    return stamp_cli_usage_error (COMMAND, "%s", error->message);

  for (guint i = 0; i < stamp_relay_device_list_get_n_devices (list); i++)
    {
      StampRelayDevice *device = stamp_relay_device_list_get_device (list, i);
      Entry entry = { .device = device };

      stamp_relay_device_set_allow_plaintext (device, allow_plaintext);
      for (guint j = 0; from_aliases != NULL && from_aliases[j] != NULL; j++)
        if (!stamp_relay_device_add_from_alias (device, from_aliases[j], &error))
          return stamp_cli_usage_error (COMMAND, "%s", error->message);
      g_array_append_val (entries, entry);
    }

  if (host == NULL)
    {
      lan_host = stamp_net_dup_lan_address ();
      if (lan_host == NULL)
        {
          g_printerr (_("stamp-cli %s: this computer has no address on a network for the "
                        "devices to send to; give the relay’s address with --relay-host\n"),
                      COMMAND);
          return STAMP_CLI_EXIT_FAILURE;
        }
      host = lan_host;
    }

  store = stamp_cli_relay_load_devices (TRUE, &error);
  if (store == NULL)
    return stamp_cli_relay_fail (COMMAND, error);

  /* Gives each device its user name, or takes none if a name is taken. */
  if (!stamp_relay_device_list_add_to_store (list, store, &error))
    return stamp_cli_usage_error (COMMAND, "%s", error->message);

  folder = g_canonicalize_filename (sheets, NULL);
  if (!plan_sheets (entries, folder, &error))
    return stamp_cli_relay_fail (COMMAND, error);

  /* Every password and sheet is made before anything is kept, so that a
   * failure leaves nothing behind. */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      entry->password = stamp_relay_generate_password (&error);
      if (entry->password == NULL)
        return stamp_cli_relay_fail (COMMAND, error);
      entry->pdf = render_sheet (account, entry->device, host, relay_port, entry->password,
                                 &error);
      if (entry->pdf == NULL)
        return stamp_cli_relay_fail (COMMAND, error);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (!stamp_cli_relay_store_password (entry->device, entry->password, &error))
        return fail_and_undo (entries, error);
      entry->password_kept = TRUE;
    }

  /* Without a keyring the passwords died with the store's memory. */
  if (stamp_cli_keyring_is_missing ())
    {
      g_printerr (_("stamp-cli %s: no device was added, since no keyring is running to keep "
                    "their passwords.\n"), COMMAND);
      return STAMP_CLI_EXIT_FAILURE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      gsize size;
      const char *data = g_bytes_get_data (entry->pdf, &size);

      /* 0600: the sheet holds the device's password. */
      if (!g_file_set_contents_full (entry->sheet, data, size,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0600, &error))
        return fail_and_undo (entries, error);
      entry->sheet_written = TRUE;
    }

  if (!stamp_relay_device_store_save (store, &error))
    return fail_and_undo (entries, error);

  if (json)
    print_json (entries, address, host, relay_port);
  else
    print_table (entries, address, host, relay_port);

  return STAMP_CLI_EXIT_OK;
}

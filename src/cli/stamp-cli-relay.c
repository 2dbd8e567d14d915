/* stamp-cli-relay.c
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

#include <string.h>

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-relay-private.h"
#include "stamp-cli-wait.h"

/* stamp-cli relay: the devices that hand their mail to Stamp Relay. */

int
stamp_cli_relay_fail (const char   *command,
                      const GError *error)
{
  g_printerr ("stamp-cli %s: %s\n", command, error->message);
  return stamp_cli_exit_for_error (error);
}

/* @edit: take the edit lock first, held until the store is freed */
StampRelayDeviceStore *
stamp_cli_relay_load_devices (gboolean   edit,
                              GError   **error)
{
  g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);

  if (edit && !stamp_relay_device_store_begin_edit (store, error))
    return NULL;
  if (!stamp_relay_device_store_load (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

gboolean
stamp_cli_relay_store_password (StampRelayDevice  *device,
                                const char        *password,
                                GError           **error)
{
  StampSecretStore *secrets = stamp_cli_get_secret_store ();
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  g_autofree char *key = stamp_relay_device_get_secret_key (device);

  stamp_secret_store_store_async (secrets, key, STAMP_SECRET_RELAY_DEVICE, password, 0,
                                  stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);

  return stamp_secret_store_store_finish (secrets, stamp_cli_wait_run (wait), error);
}

gboolean
stamp_cli_relay_clear_password (StampRelayDevice  *device,
                                GError           **error)
{
  StampSecretStore *secrets = stamp_cli_get_secret_store ();
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  g_autofree char *key = stamp_relay_device_get_secret_key (device);

  stamp_secret_store_clear_async (secrets, key, stamp_cli_wait_get_cancellable (wait),
                                  stamp_cli_wait_cb, wait);

  return stamp_secret_store_clear_finish (secrets, stamp_cli_wait_run (wait), error);
}

/* The make as the printer export knows it, written as its id
 * (“konica-minolta”) or its name (“Konica Minolta”), as in a device list. */
static const StampDeviceVendor *
lookup_make (const char *make)
{
  g_autofree char *id = stamp_relay_make_to_id (make);

  return stamp_device_vendor_lookup (id);
}

static int
relay_add_device (int    argc,
                  char **argv)
{
  const char *command = "relay add-device";
  g_autofree char *address = NULL;
  g_autofree char *tls_min_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *make = NULL;
  g_auto(GStrv) allow_from = NULL;
  g_auto(GStrv) from_aliases = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *sheets = NULL;
  g_autofree char *relay_host = NULL;
  int relay_port = -1;
  g_autoptr(StampSecret) password = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampRelayDeviceStore) store = NULL;
  g_autoptr(StampRelayDevice) device = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  StampTlsVersion tls_min = STAMP_TLS_VERSION_1_2;
  gboolean no_sign_in = FALSE;
  gboolean allow_plaintext = FALSE;
  gboolean password_stdin = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &address, N_("The account the device’s mail goes out through"), N_("ADDRESS") },
    { "make", 0, 0, G_OPTION_ARG_STRING, &make, N_("The device’s maker, for its printer sheet (brother, hp, …)"), N_("MAKE") },
    { "from-alias", 0, 0, G_OPTION_ARG_STRING_ARRAY, &from_aliases, N_("Another address of the account the device’s mail may be from (repeatable)"), N_("ADDRESS") },
    { "allow-from", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allow_from, N_("Take mail from the device only from this address or network (repeatable)"), N_("CIDR") },
    { "no-sign-in", 0, 0, G_OPTION_ARG_NONE, &no_sign_in, N_("Let the device send without signing in, from its --allow-from networks only"), NULL },
    { "tls-min", 0, 0, G_OPTION_ARG_STRING, &tls_min_str, N_("Lowest TLS version the device may use: 1.0, 1.1 or 1.2 (default)"), N_("VERSION") },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext, N_("Let the device sign in without STARTTLS (for devices with no TLS at all)"), NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name the device already has configured"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password the device already has configured from standard input"), NULL },
    { "from-csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Add every device of a CSV list (name, make, allow-from, tls-min) instead of NAME"), N_("FILE") },
    { "sheets", 0, 0, G_OPTION_ARG_FILENAME, &sheets, N_("With --from-csv: write each device’s printer sheet PDF, with its password, into this folder"), N_("DIR") },
    { "relay-host", 0, 0, G_OPTION_ARG_STRING, &relay_host, N_("With --from-csv: the relay’s address on the sheets (default: this computer’s address on the network)"), N_("HOST") },
    { "relay-port", 0, 0, G_OPTION_ARG_INT, &relay_port, N_("With --from-csv: the relay’s port on the sheets (default: 2525)"), N_("PORT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("NAME — let a device send through Stamp Relay"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error (command, "%s", error->message);
  if (csv == NULL && (sheets != NULL || relay_host != NULL || relay_port != -1))
    return stamp_cli_usage_error (command, _("--sheets, --relay-host and --relay-port go with "
                                             "--from-csv"));
  if (csv != NULL)
    {
      if (argc != 1)
        return stamp_cli_usage_error (command, _("Give either a device name or --from-csv, not "
                                                 "both"));
      if (make != NULL || allow_from != NULL || no_sign_in || tls_min_str != NULL ||
          user != NULL || password_stdin)
        return stamp_cli_usage_error (command, _("With --from-csv each device’s make, networks "
                                                 "and TLS version come from the list; leave out "
                                                 "--make, --allow-from, --tls-min, --no-sign-in, "
                                                 "--user and --password-stdin"));
      if (address == NULL)
        return stamp_cli_usage_error (command, _("Say which account the devices send through "
                                                 "with --account"));
      if (sheets == NULL)
        return stamp_cli_usage_error (command, _("Say where the devices’ printer sheets go with "
                                                 "--sheets DIR: their passwords are on them only"));
      if (relay_port != -1 && (relay_port < 1 || relay_port > 65535))
        return stamp_cli_usage_error (command, _("The relay’s port must be from 1 to 65535, not "
                                                 "%d"), relay_port);
      if (relay_host != NULL && (relay_host[0] == '\0' || strpbrk (relay_host, " \t/") != NULL))
        return stamp_cli_usage_error (command, _("“%s” is not a host name or address"),
                                      relay_host);
      return stamp_cli_relay_add_from_list (csv, address, sheets, relay_host,
                                            relay_port != -1 ? relay_port : STAMP_RELAY_DEFAULT_PORT,
                                            (const char * const *) from_aliases, allow_plaintext,
                                            json);
    }
  if (argc != 2)
    return stamp_cli_usage_error (command, _("Give exactly one device name"));
  if (address == NULL)
    return stamp_cli_usage_error (command, _("Say which account the device sends through with --account"));
  if (tls_min_str != NULL &&
      (!stamp_tls_version_from_string (tls_min_str, &tls_min) || tls_min > STAMP_TLS_VERSION_1_2))
    return stamp_cli_usage_error (command, _("The lowest TLS version must be 1.0, 1.1 or 1.2, not “%s”"),
                                  tls_min_str);
  if (user != NULL && !password_stdin)
    return stamp_cli_usage_error (command, _("--user needs the device’s password from --password-stdin"));
  if (password_stdin && user == NULL)
    return stamp_cli_usage_error (command, _("--password-stdin needs the device’s user name from --user"));

  if (no_sign_in && user != NULL)
    return stamp_cli_usage_error (command, _("A device that sends without signing in has no "
                                             "user name or password: leave out --user"));

  device = stamp_relay_device_new (argv[1], address);
  if (make != NULL)
    {
      const StampDeviceVendor *vendor = lookup_make (make);
      g_autofree char *makes = stamp_device_vendor_list_ids ();

      if (vendor == NULL)
        return stamp_cli_usage_error (command, _("“%s” is not a make Stamp knows; use one of: %s"),
                                      make, makes);
      stamp_relay_device_set_make (device, vendor->id);
    }
  for (guint i = 0; from_aliases != NULL && from_aliases[i] != NULL; i++)
    if (!stamp_relay_device_add_from_alias (device, from_aliases[i], &error))
      return stamp_cli_usage_error (command, "%s", error->message);
  for (guint i = 0; allow_from != NULL && allow_from[i] != NULL; i++)
    if (!stamp_relay_device_add_allow_from (device, allow_from[i], &error))
      return stamp_cli_usage_error (command, "%s", error->message);
  stamp_relay_device_set_no_sign_in (device, no_sign_in);
  stamp_relay_device_set_tls_min (device, tls_min);
  stamp_relay_device_set_allow_plaintext (device, allow_plaintext);
  if (!stamp_relay_device_validate (device, &error))
    return stamp_cli_usage_error (command, "%s", error->message);

  account = stamp_cli_lookup_account (address, &error);
  if (account == NULL)
    return stamp_cli_usage_error (command, "%s", error->message);

  if (password_stdin)
    {
      password = stamp_cli_read_secret (stdin, &error);
      if (password == NULL)
        return stamp_cli_usage_error (command, "%s", error->message);
      if (g_utf8_strlen (password, -1) < STAMP_RELAY_MIN_PASSWORD_LENGTH)
        return stamp_cli_usage_error (command,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "The device’s password must have at least %d character",
                                                   "The device’s password must have at least %d characters",
                                                   STAMP_RELAY_MIN_PASSWORD_LENGTH),
                                      STAMP_RELAY_MIN_PASSWORD_LENGTH);
    }

  store = stamp_cli_relay_load_devices (TRUE, &error);
  if (store == NULL)
    return stamp_cli_relay_fail (command, error);

  if (stamp_relay_device_store_lookup (store, argv[1]) != NULL)
    return stamp_cli_usage_error (command, _("There is already a device called “%s”"), argv[1]);

  /* A device that sends without signing in gets no user name and no
   * password: nothing that could be tried elsewhere or leak. */
  if (user != NULL)
    stamp_relay_device_set_user (device, user);
  else if (!no_sign_in)
    {
      g_autofree char *made = stamp_relay_device_store_make_user (store, argv[1]);

      stamp_relay_device_set_user (device, made);
    }

  if (password == NULL && !no_sign_in)
    {
      password = stamp_relay_generate_password (&error);
      if (password == NULL)
        return stamp_cli_relay_fail (command, error);
    }

  /* The device goes on the list only once its password is safe. */
  if (!stamp_relay_device_store_add (store, device, &error))
    return stamp_cli_usage_error (command, "%s", error->message);
  if (password != NULL && !stamp_cli_relay_store_password (device, password, &error))
    return stamp_cli_relay_fail (command, error);
  /* Without a keyring the password died with the store's memory just now:
   * the device could never sign in with it. */
  if (password != NULL && stamp_cli_keyring_is_missing ())
    {
      g_printerr (_("stamp-cli relay add-device: the device “%s” was not added, since no "
                    "keyring is running to keep its password.\n"), argv[1]);
      return STAMP_CLI_EXIT_FAILURE;
    }
  if (!stamp_relay_device_store_save (store, &error))
    {
      g_autoptr(GError) clear_error = NULL;

      if (password != NULL)
        stamp_cli_relay_clear_password (device, &clear_error);
      return stamp_cli_relay_fail (command, error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      stamp_relay_device_add_json_members (device, builder);
      /* null, not absent, says that there is none to keep. */
      json_builder_set_member_name (builder, "password");
      if (password != NULL)
        json_builder_add_string_value (builder, password);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      stamp_cli_print_json (node);
    }
  else
    {
      if (no_sign_in)
        {
          g_autofree char *networks =
            g_strjoinv (", ", (char **) stamp_relay_device_get_allow_from (device));

          g_print (_("Added the device “%s”. It sends without signing in, from %s only, so it "
                     "has no user name or password.\n"),
                   stamp_relay_device_get_name (device), networks);
          return STAMP_CLI_EXIT_OK;
        }

      g_print (_("Added the device “%s”. Set it up to send with:\n"), stamp_relay_device_get_name (device));
      g_print ("  %-10s %s\n", _("User:"), stamp_relay_device_get_user (device));
      /* A password the person gave is not echoed; a new one is shown once. */
      if (user == NULL)
        {
          g_print ("  %-10s %s\n", _("Password:"), password);
          g_print ("%s\n", _("The password is shown only now; it is kept in the keyring."));
        }
    }

  return STAMP_CLI_EXIT_OK;
}

static int
relay_devices (gboolean json)
{
  g_autoptr(StampRelayDeviceStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *devices;

  store = stamp_cli_relay_load_devices (FALSE, &error);
  if (store == NULL)
    return stamp_cli_relay_fail ("relay devices", error);
  devices = stamp_relay_device_store_get_devices (store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < devices->len; i++)
        {
          json_builder_begin_object (builder);
          stamp_relay_device_add_json_members (g_ptr_array_index (devices, i), builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      node = json_builder_get_root (builder);
      stamp_cli_print_json (node);
      return STAMP_CLI_EXIT_OK;
    }

  if (devices->len == 0)
    g_print ("%s\n", _("No devices send through Stamp Relay yet. Add one with "
                       "“stamp-cli relay add-device NAME --account ADDRESS”."));

  for (guint i = 0; i < devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (devices, i);
      const char * const *allow_from = stamp_relay_device_get_allow_from (device);
      const char * const *from_aliases = stamp_relay_device_get_from_aliases (device);
      g_autofree char *networks = g_strjoinv (", ", (char **) allow_from);
      g_autofree char *aliases = g_strjoinv (", ", (char **) from_aliases);
      const StampDeviceVendor *vendor = NULL;

      if (stamp_relay_device_get_make (device) != NULL)
        vendor = stamp_device_vendor_lookup (stamp_relay_device_get_make (device));

      g_print ("%s\n", stamp_relay_device_get_name (device));
      if (stamp_relay_device_get_make (device) != NULL)
        g_print ("  %-14s %s\n", _("Make:"),
                 vendor != NULL ? vendor->name : stamp_relay_device_get_make (device));
      g_print ("  %-14s %s\n", _("Account:"), stamp_relay_device_get_account (device));
      if (from_aliases[0] != NULL)
        g_print ("  %-14s %s\n", _("Also from:"), aliases);
      g_print ("  %-14s %s\n", _("User:"), stamp_relay_device_get_no_sign_in (device)
                                           ? _("(sends without signing in)")
                                           : stamp_relay_device_get_user (device));
      g_print ("  %-14s %s\n", _("Allowed from:"), allow_from[0] != NULL ? networks : _("anywhere"));
      g_print ("  %-14s %s%s\n", _("Lowest TLS:"),
               stamp_tls_version_to_string (stamp_relay_device_get_tls_min (device)),
               stamp_relay_device_get_allow_plaintext (device) ? _(", or none") : "");
    }

  return STAMP_CLI_EXIT_OK;
}

static int
relay_remove_device (const char *name)
{
  g_autoptr(StampRelayDeviceStore) store = NULL;
  g_autoptr(StampRelayDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayDevice *found;

  store = stamp_cli_relay_load_devices (TRUE, &error);
  if (store == NULL)
    return stamp_cli_relay_fail ("relay remove-device", error);

  found = stamp_relay_device_store_lookup (store, name);
  if (found == NULL)
    {
      g_printerr (_("stamp-cli relay remove-device: there is no device called “%s”\n"), name);
      return STAMP_CLI_EXIT_FAILURE;
    }

  device = g_object_ref (found);
  stamp_relay_device_store_remove (store, name);
  if (!stamp_relay_device_store_save (store, &error))
    return stamp_cli_relay_fail ("relay remove-device", error);

  if (!stamp_cli_relay_clear_password (device, &error))
    {
      g_printerr (_("stamp-cli relay remove-device: “%s” was removed, but its password is still "
                    "in the keyring: %s\n"), stamp_relay_device_get_name (device), error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  /* A device that sends without signing in never had a password. */
  if (stamp_relay_device_get_no_sign_in (device))
    g_print (_("Removed the device “%s”.\n"), stamp_relay_device_get_name (device));
  else
    g_print (_("Removed the device “%s” and its password.\n"), stamp_relay_device_get_name (device));
  return STAMP_CLI_EXIT_OK;
}

int
stamp_cli_relay (int    argc,
                 char **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (verb, "add-device") == 0)
    return relay_add_device (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "devices") == 0 && argc == 2)
    return relay_devices (FALSE);

  if (g_strcmp0 (verb, "devices") == 0 && argc == 3 && g_str_equal (argv[2], "--json"))
    return relay_devices (TRUE);

  if (g_strcmp0 (verb, "remove-device") == 0 && argc == 3)
    return relay_remove_device (argv[2]);

  if (g_strcmp0 (verb, "install-service") == 0)
    return stamp_cli_relay_install_service (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "status") == 0)
    return stamp_cli_relay_status (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "serve") == 0)
    return stamp_cli_relay_serve (argc - 1, argv + 1);

  g_printerr ("%s\n", _("Usage: stamp-cli relay add-device NAME --account ADDRESS [OPTION…]\n"
                        "       stamp-cli relay add-device --from-csv FILE --account ADDRESS "
                        "--sheets DIR\n"
                        "       stamp-cli relay devices [--json]\n"
                        "       stamp-cli relay remove-device NAME\n"
                        "       stamp-cli relay install-service [--listen HOST:PORT]… "
                        "[--no-enable]\n"
                        "       stamp-cli relay status [--json]\n"
                        "       stamp-cli relay serve [--listen HOST:PORT]… "
                        "[--tls-cert FILE --tls-key FILE]"));
  return verb != NULL && g_str_equal (verb, "--help") ? STAMP_CLI_EXIT_OK : STAMP_CLI_EXIT_USAGE;
}

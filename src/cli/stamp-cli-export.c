/* stamp-cli-export.c
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

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"
#include "stamp-core.h"

static void
print_list (void)
{
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  guint n = g_list_model_get_n_items (exporters);
  int category = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);

      if ((int) stamp_exporter_get_category (exporter) != category)
        {
          category = stamp_exporter_get_category (exporter);
          g_print ("%s%s\n", i > 0 ? "\n" : "", stamp_export_category_get_title (category));
        }
      g_print ("  %-22s %s\n", stamp_exporter_get_id (exporter),
               stamp_exporter_get_description (exporter));
    }
}

static gboolean
parse_device_features (const char           *list,
                       StampDeviceFeatures  *features,
                       GError              **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  *features = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);

      if (g_str_equal (name, "oauth"))
        *features |= STAMP_DEVICE_OAUTH;
      else if (g_str_equal (name, "tls1.2"))
        *features |= STAMP_DEVICE_TLS_1_2;
      else if (g_str_equal (name, "starttls"))
        *features |= STAMP_DEVICE_STARTTLS;
      else if (g_str_equal (name, "password"))
        *features |= STAMP_DEVICE_PASSWORD;
      else if (!g_str_equal (name, "none"))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("“%s” is not a device ability; use oauth, tls1.2, starttls, "
                         "password or none"), name);
          return FALSE;
        }
    }

  return TRUE;
}

static void
print_notes (StampExportResult *result)
{
  const char * const *notes = stamp_export_result_get_notes (result);

  for (guint i = 0; notes[i] != NULL; i++)
    g_printerr (_("Note: %s\n"), notes[i]);
}

static int
write_output (StampExportResult *result,
              const char        *output)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = stamp_export_result_get_bytes (result);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (output == NULL || g_str_equal (output, "-"))
    {
      if (stamp_export_result_get_text (result) == NULL && isatty (STDOUT_FILENO))
        return stamp_cli_usage_error ("export", _("This export is not text; write it to a file with -o FILE"));
      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
        {
          g_printerr (_("stamp-cli export: could not write to standard output\n"));
          return STAMP_CLI_EXIT_FAILURE;
        }
      return STAMP_CLI_EXIT_OK;
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      if (!stamp_export_result_save (result, file, NULL, &error))
        {
          g_printerr ("stamp-cli export: %s\n", error->message);
          return STAMP_CLI_EXIT_FAILURE;
        }
      if (stamp_export_result_get_private (result))
        g_printerr (_("Saved %s, readable only by you.\n"), output);
      else
        g_printerr (_("Saved %s\n"), output);
      return STAMP_CLI_EXIT_OK;
    }
}

/**
 * stamp_cli_export:
 *
 * `stamp-cli export --list` and `stamp-cli export TARGET --account ADDRESS
 * [-o FILE] [--include-secret] [--device VENDOR] …`: a saved account's
 * settings in the form another program or device takes.
 */
int
stamp_cli_export (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(StampExportContext) context = NULL;
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampCliWait) wait = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *output = NULL;
  g_autofree char *device = NULL;
  g_autofree char *device_can = NULL;
  g_autofree char *mx_host = NULL;
  g_autofree char *imap_host = NULL;
  g_autofree char *site_url = NULL;
  g_autofree char *token_command = NULL;
  gboolean list = FALSE;
  gboolean include_secret = FALSE;
  StampExporter *exporter;
  const GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the export targets"), NULL },
    { "account", 'a', 0, G_OPTION_ARG_STRING, &address, N_("The saved account to export"), N_("ADDRESS") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "include-secret", 0, 0, G_OPTION_ARG_NONE, &include_secret, N_("Put the password (or refresh token) from the keyring in the file; needs -o, and the file is made readable only by you"), NULL },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("Printer or scanner make, for the settings sheet (hp, brother, canon, ricoh, xerox, kyocera, konica-minolta, sharp, epson, lexmark, generic)"), N_("VENDOR") },
    { "device-can", 0, 0, G_OPTION_ARG_STRING, &device_can, N_("What the device can do, comma-separated: oauth, tls1.2, starttls, password, or none"), N_("LIST") },
    { "mx-host", 0, 0, G_OPTION_ARG_STRING, &mx_host, N_("The Microsoft 365 tenant’s MX host, instead of looking it up"), N_("HOST") },
    { "imap-host", 0, 0, G_OPTION_ARG_STRING, &imap_host, N_("The incoming (IMAP) server, for formats that need one"), N_("HOST") },
    { "site-url", 0, 0, G_OPTION_ARG_STRING, &site_url, N_("The WordPress site’s address, for redirect URIs"), N_("URL") },
    { "token-command", 0, 0, G_OPTION_ARG_STRING, &token_command, N_("The command that prints a token (default: stamp-cli token)"), N_("COMMAND") },
    { NULL }
  };

  option_context = g_option_context_new (_("[TARGET] — write an account’s settings for another program or device"));
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (option_context,
    _("Secrets are left out unless --include-secret is given: a placeholder and a\n"
      "comment show where the password goes. “stamp-cli export --list” shows the targets."));

  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return stamp_cli_usage_error ("export", "%s", error->message);

  if (list)
    {
      if (argc != 1)
        return stamp_cli_usage_error ("export", _("--list takes no target"));
      print_list ();
      return STAMP_CLI_EXIT_OK;
    }

  if (argc != 2)
    return stamp_cli_usage_error ("export", _("Give exactly one target (see --list)"));
  exporter = stamp_exporter_lookup (argv[1]);
  if (exporter == NULL)
    return stamp_cli_usage_error ("export", _("“%s” is not an export target (see --list)"), argv[1]);
  if (address == NULL)
    return stamp_cli_usage_error ("export", _("Say which account to export with --account ADDRESS"));
  if (include_secret && (output == NULL || g_str_equal (output, "-")))
    return stamp_cli_usage_error ("export", _("--include-secret writes only to a file: add -o FILE"));

  account = stamp_cli_lookup_account (address, &error);
  if (account == NULL)
    {
      g_printerr ("stamp-cli export: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  context = stamp_export_context_new (account);
  if (device != NULL)
    stamp_export_context_set_device_vendor (context, device);
  if (device_can != NULL)
    {
      StampDeviceFeatures features;

      if (!parse_device_features (device_can, &features, &error))
        return stamp_cli_usage_error ("export", "%s", error->message);
      stamp_export_context_set_device_features (context, features);
    }
  if (mx_host != NULL)
    stamp_export_context_set_tenant_mx (context, mx_host, FALSE);
  stamp_export_context_set_incoming_host (context, imap_host);
  stamp_export_context_set_site_url (context, site_url);
  if (token_command != NULL && *token_command != '\0')
    stamp_export_context_set_token_command (context, token_command);

  /* Before the keyring: a target that cannot serve the account says so
   * without asking for a secret first. */
  if (!stamp_exporter_can_serve (exporter, context, &error))
    {
      g_printerr ("stamp-cli export: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }
  if (include_secret && !stamp_exporter_can_include_secret (exporter, context))
    {
      g_printerr (_("Note: %s holds no secret for this account; --include-secret changes nothing.\n"),
                  stamp_exporter_get_title (exporter));
      include_secret = FALSE;
    }

  wait = stamp_cli_wait_new ();
  stamp_exporter_prepare_async (exporter, context,
                                include_secret ? stamp_cli_get_secret_store () : NULL,
                                stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);
  if (!stamp_exporter_prepare_finish (exporter, stamp_cli_wait_run (wait), &error))
    {
      g_printerr ("stamp-cli export: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  result = stamp_exporter_render (exporter, context, &error);
  if (result == NULL)
    {
      g_printerr ("stamp-cli export: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  print_notes (result);
  return write_output (result, output);
}

/* main.c
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

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "accounts", stamp_cli_accounts, N_("Add, change, list, show, refresh or remove saved sending accounts") },
  { "discover", stamp_cli_discover, N_("Find the sending settings for an email address") },
  { "dns-check", stamp_cli_dns_check, N_("Check a sender domain’s SPF, DKIM and DMARC records") },
  { "explain", stamp_cli_explain, N_("Explain a server’s reply or a failure, and how to fix it") },
  { "export", stamp_cli_export, N_("Write an account’s settings for WordPress, a printer or another program") },
  { "login", stamp_cli_login, N_("Sign in (OAuth in the browser, or a password) and keep it in the keyring") },
  { "logout", stamp_cli_logout, N_("Remove an account’s password and sign-in from the keyring") },
  { "probe-tls", stamp_cli_probe_tls, N_("Find which TLS versions a server accepts, and which devices can use it") },
  { "relay", stamp_cli_relay, N_("Let printers, scanners and old programs send through Stamp Relay") },
  { "send", stamp_cli_send, N_("Send a test message and show every protocol step") },
  { "token", stamp_cli_token, N_("Print a current OAuth access token, for other programs") },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: stamp-cli COMMAND [OPTION…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_print ("\n%s\n", _("“stamp-cli COMMAND --help” shows a command’s options."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  stamp_bind_text_domain ();

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage ();
      return argc < 2 ? STAMP_CLI_EXIT_USAGE : STAMP_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("stamp-cli %s\n", PACKAGE_VERSION);
      return STAMP_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        {
          g_set_prgname (argv[1]);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  g_printerr (_("stamp-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage ();

  return STAMP_CLI_EXIT_USAGE;
}

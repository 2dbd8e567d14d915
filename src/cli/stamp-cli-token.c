/* stamp-cli-token.c
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

#include <glib/gi18n.h>

#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"
#include "stamp-util.h"

/**
 * stamp_cli_token:
 *
 * `stamp-cli token ADDRESS`: prints a current access token and nothing
 * else on standard output, so that other programs can use Stamp as their
 * token helper (msmtp's passwordeval, for one).
 */
int
stamp_cli_token (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  gboolean force_refresh = FALSE;
  StampAuthMechanism mechanism;
  const GOptionEntry entries[] = {
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &force_refresh, N_("Get a new token even if the stored one is still good"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — print a current OAuth access token"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The token is refreshed first when it has less than five minutes left.\n"
      "For msmtp: passwordeval \"stamp-cli token ADDRESS\" with auth xoauth2."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("token", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("token", _("Give exactly one email address"));

  account = stamp_cli_lookup_account (argv[1], &error);
  if (account == NULL)
    {
      g_printerr ("stamp-cli token: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  mechanism = stamp_account_get_auth_mechanism (account);
  if (mechanism != STAMP_AUTH_XOAUTH2 && mechanism != STAMP_AUTH_OAUTHBEARER)
    {
      g_printerr (_("stamp-cli token: %s does not sign in with OAuth; sign in with "
                    "“stamp-cli login %s” first\n"),
                  stamp_account_get_address (account), stamp_account_get_address (account));
      return STAMP_CLI_EXIT_AUTH;
    }

  token = stamp_cli_get_access_token (account, force_refresh, &error);
  if (token == NULL)
    {
      g_printerr ("stamp-cli token: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  g_print ("%s\n", token);
  return STAMP_CLI_EXIT_OK;
}

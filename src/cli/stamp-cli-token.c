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

#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"

static gboolean
is_oauth (StampAccount *account)
{
  return stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));
}

/* The key=value lines git writes, up to a blank line or the end
 * (gitcredentials(7), "Custom helpers"). Read to the end even when they
 * go unused, so git never writes into a closed pipe. */
static GHashTable *
read_credential (GError **error)
{
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (stdin_stream);
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (;;)
    {
      g_autofree char *line = NULL;
      const char *equals;

      line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, error);
      if (line == NULL)
        return (error == NULL || *error == NULL) ? g_steal_pointer (&fields) : NULL;
      if (*line == '\0')
        return g_steal_pointer (&fields);

      equals = strchr (line, '=');
      if (equals != NULL)
        g_hash_table_replace (fields, g_strndup (line, equals - line), g_strdup (equals + 1));
    }
}

/* With no address given: the OAuth account git names in username=, else
 * the one OAuth account that sends through host=HOST[:PORT]. */
static StampAccount *
find_account (GHashTable *fields)
{
  const char *username = g_hash_table_lookup (fields, "username");
  const char *host = g_hash_table_lookup (fields, "host");
  g_autoptr(StampAccountStore) store = stamp_cli_load_accounts (NULL);
  g_auto(GStrv) host_port = NULL;
  StampAccount *found = NULL;
  guint n;

  /* Only OAuth accounts: for any other, git had better ask the person. */
  found = username != NULL ? stamp_account_store_lookup (store, username) : NULL;
  if (found != NULL && is_oauth (found))
    return g_object_ref (found);
  found = NULL;

  if (host == NULL)
    return NULL;

  host_port = g_strsplit (host, ":", 2);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *port = g_strdup_printf ("%u", stamp_account_get_effective_port (account));

      if (!is_oauth (account)
          || g_ascii_strcasecmp (stamp_account_get_host (account), host_port[0]) != 0
          || (host_port[1] != NULL && g_strcmp0 (host_port[1], port) != 0)
          || (username != NULL && g_ascii_strcasecmp (stamp_account_get_sign_in_name (account), username) != 0))
        continue;
      if (found != NULL)
        return NULL;  /* more than one: git asks the person */
      found = account;
    }

  return found != NULL ? g_object_ref (found) : NULL;
}

/* `stamp-cli token --git-credential [ADDRESS] OPERATION`: git's
 * credential-helper protocol. For "get", the sign-in name and a current
 * access token; "store" and "erase" have nothing to do, since Stamp
 * keeps the sign-in itself and access tokens are short-lived. */
static int
git_credential (const char *address,
                const char *operation)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSecret) token = NULL;
  const char *protocol;

  fields = read_credential (&error);
  if (fields == NULL)
    {
      g_printerr ("stamp-cli token: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  /* Any other operation is for a newer git: ignore it, as asked. */
  if (!g_str_equal (operation, "get"))
    return STAMP_CLI_EXIT_OK;

  /* Only mail: a helper set for every host must not answer for https. */
  protocol = g_hash_table_lookup (fields, "protocol");
  if (protocol != NULL && !g_str_equal (protocol, "smtp") && !g_str_equal (protocol, "smtps"))
    return STAMP_CLI_EXIT_OK;

  if (address != NULL)
    account = stamp_cli_lookup_account (address, &error);
  else
    account = find_account (fields);
  if (account == NULL)
    {
      /* Nothing to say lets git try the next helper or ask the person. */
      if (error != NULL)
        g_printerr ("stamp-cli token: %s\n", error->message);
      return error != NULL ? STAMP_CLI_EXIT_FAILURE : STAMP_CLI_EXIT_OK;
    }

  if (!is_oauth (account))
    {
      g_printerr (_("stamp-cli token: %s does not sign in with OAuth; sign in with "
                    "“stamp-cli login %s” first\n"),
                  stamp_account_get_address (account), stamp_account_get_address (account));
      return STAMP_CLI_EXIT_AUTH;
    }

  token = stamp_cli_get_access_token (account, FALSE, &error);
  if (token == NULL)
    {
      g_printerr ("stamp-cli token: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  g_print ("username=%s\npassword=%s\n", stamp_account_get_sign_in_name (account), token);
  return STAMP_CLI_EXIT_OK;
}

/**
 * stamp_cli_token:
 *
 * `stamp-cli token ADDRESS`: prints a current access token and nothing
 * else on standard output, so that other programs can use Stamp as their
 * token helper (msmtp's passwordeval, for one). With --git-credential it
 * is a git credential helper instead, for git send-email.
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
  gboolean git = FALSE;
  const GOptionEntry entries[] = {
    { "refresh", 0, 0, G_OPTION_ARG_NONE, &force_refresh, N_("Get a new token even if the stored one is still good"), NULL },
    { "git-credential", 0, 0, G_OPTION_ARG_NONE, &git, N_("Be a git credential helper: ADDRESS is optional and the last argument is git’s operation"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — print a current OAuth access token"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The token is refreshed first when it has less than five minutes left.\n"
      "For msmtp: passwordeval \"stamp-cli token ADDRESS\" with auth xoauth2.\n"
      "For git send-email, in ~/.gitconfig:\n"
      "  [credential \"smtp://HOST:PORT\"]\n"
      "          helper = \"!stamp-cli token --git-credential ADDRESS\"\n"
      "git adds the operation (get, store, erase) and writes the request on\n"
      "standard input; without ADDRESS, the account is the one git names as the\n"
      "user, or the only OAuth account that sends through that host."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("token", "%s", error->message);

  if (git)
    {
      if (argc != 2 && argc != 3)
        return stamp_cli_usage_error ("token",
                                      _("Give the operation git asks for, after the address if any"));
      return git_credential (argc == 3 ? argv[1] : NULL, argv[argc - 1]);
    }

  if (argc != 2)
    return stamp_cli_usage_error ("token", _("Give exactly one email address"));

  account = stamp_cli_lookup_account (argv[1], &error);
  if (account == NULL)
    {
      g_printerr ("stamp-cli token: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  if (!is_oauth (account))
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

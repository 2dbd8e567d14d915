/* stamp-cli-accounts.c
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
#include "stamp-cli-wait.h"

static void
print_account (StampAccount *account)
{
  const char *provider_id = stamp_account_get_provider_id (account);
  StampProvider *provider = provider_id != NULL
                            ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (), provider_id)
                            : NULL;
  g_auto(GStrv) limits = stamp_report_describe_limits (provider);

  g_print ("%s\n", stamp_account_get_address (account));
  if (stamp_account_get_display_name (account) != NULL)
    g_print ("  %-14s %s\n", _("Name:"), stamp_account_get_display_name (account));
  if (stamp_account_get_provider_id (account) != NULL)
    g_print ("  %-14s %s\n", _("Provider:"), stamp_account_get_provider_id (account));
  g_print ("  %-14s %s port %u, %s\n", _("Server:"),
           stamp_account_get_host (account), stamp_account_get_effective_port (account),
           stamp_security_to_string (stamp_account_get_security (account)));
  if (stamp_account_get_tls_min (account) != STAMP_TLS_VERSION_1_2)
    g_print ("  %-14s %s\n", _("Lowest TLS:"),
             stamp_tls_version_to_string (stamp_account_get_tls_min (account)));
  if (stamp_account_get_ehlo_name (account) != NULL)
    g_print ("  %-14s %s\n", _("EHLO name:"), stamp_account_get_ehlo_name (account));
  g_print ("  %-14s %s\n", _("Sign-in:"),
           stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
  g_print ("  %-14s %s\n", _("User:"),
           stamp_account_get_username (account) != NULL ? stamp_account_get_username (account)
                                                        : stamp_account_get_address (account));
  if (stamp_account_get_oauth_tenant (account) != NULL)
    g_print ("  %-14s %s\n", _("Tenant:"), stamp_account_get_oauth_tenant (account));
  if (stamp_account_get_oauth_client_id (account) != NULL)
    g_print ("  %-14s %s\n", _("Client ID:"), stamp_account_get_oauth_client_id (account));
  if (stamp_account_get_oauth_authority (account) != NULL)
    g_print ("  %-14s %s\n", _("Authority:"), stamp_account_get_oauth_authority (account));
  if (stamp_account_get_ca_file (account) != NULL)
    g_print ("  %-14s %s\n", _("Extra CA file:"), stamp_account_get_ca_file (account));

  /* What the provider allows, so a device is not set up to send more. */
  for (guint i = 0; limits[i] != NULL; i++)
    g_print ("  %-14s %s\n", i == 0 ? _("Limits:") : "", limits[i]);
}

/* Fills what the person did not give from the best discovered candidate. */
static gboolean
fill_from_discovery (StampAccount  *account,
                     GError       **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  StampCandidate *best;

  candidates = stamp_cli_run_discovery (stamp_account_get_address (account), error);
  if (candidates == NULL)
    return FALSE;

  if (candidates->len == 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_HOST_NOT_FOUND,
                   _("No sending settings were found for %s; give them with --host, --port "
                     "and --security"),
                   stamp_account_get_address (account));
      return FALSE;
    }

  best = g_ptr_array_index (candidates, 0);
  stamp_account_set_host (account, stamp_candidate_get_host (best));
  stamp_account_set_port (account, stamp_candidate_get_port (best));
  stamp_account_set_security (account, stamp_candidate_get_security (best));
  stamp_account_set_provider_id (account, stamp_candidate_get_provider_id (best));
  g_print (_("Found %s port %u: %s\n"), stamp_candidate_get_host (best),
           stamp_candidate_get_port (best), stamp_candidate_get_reason (best));

  return TRUE;
}

static int
accounts_add (int    argc,
              char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *tls_min_str = NULL;
  g_autofree char *auth_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *ehlo_name = NULL;
  g_autofree char *provider_name = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  StampSecurity security = STAMP_SECURITY_STARTTLS;
  StampTlsVersion tls_min = STAMP_TLS_VERSION_1_2;
  StampAuthMechanism auth = STAMP_AUTH_AUTO;
  int port = 0;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Display name"), N_("NAME") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name, N_("Who runs the mail: a provider id, microsoft, usgov… (default: discovered)"), N_("NAME") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Submission server (default: the provider’s, or discovered)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str, N_("starttls, tls or none"), N_("MODE") },
    { "tls-min", 0, 0, G_OPTION_ARG_STRING, &tls_min_str, N_("Lowest TLS version to accept: 1.0, 1.1, 1.2 (default) or 1.3"), N_("VERSION") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth_str, N_("auto, plain, login, xoauth2, oauthbearer or none"), N_("METHOD") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name (default: the address)"), N_("USER") },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, N_("OAuth tenant"), N_("TENANT") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("OAuth client id of your organization’s app"), N_("ID") },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &authority, N_("OAuth authority base URL"), N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the authorities in this PEM file"), N_("FILE") },
    { "ehlo-name", 0, 0, G_OPTION_ARG_STRING, &ehlo_name, N_("Name to introduce this computer with in EHLO (default: automatic)"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — save a sending account"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("accounts add", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("accounts add", _("Give exactly one email address"));
  if (security_str != NULL && !stamp_security_from_string (security_str, &security))
    return stamp_cli_usage_error ("accounts add", _("Unknown security “%s”"), security_str);
  if (tls_min_str != NULL && !stamp_tls_version_from_string (tls_min_str, &tls_min))
    return stamp_cli_usage_error ("accounts add", _("Unknown TLS version “%s”"), tls_min_str);
  if (auth_str != NULL && !stamp_auth_mechanism_from_string (auth_str, &auth))
    return stamp_cli_usage_error ("accounts add", _("Unknown sign-in method “%s”"), auth_str);
  if (port < 0 || port > G_MAXUINT16)
    return stamp_cli_usage_error ("accounts add", _("The port must be between 1 and 65535"));

  account = stamp_account_new (argv[1]);
  if (provider_name != NULL)
    {
      StampProvider *provider = stamp_cli_lookup_provider (provider_name);

      if (provider == NULL)
        return stamp_cli_usage_error ("accounts add", _("Unknown provider “%s”"), provider_name);
      stamp_cli_use_provider (account, provider);
    }

  if (host != NULL)
    {
      stamp_account_set_host (account, host);
      stamp_account_set_security (account, security);
    }
  else if (stamp_account_get_host (account) == NULL && !fill_from_discovery (account, &error))
    {
      g_printerr ("stamp-cli accounts add: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  if (port != 0)
    stamp_account_set_port (account, port);
  if (security_str != NULL)
    stamp_account_set_security (account, security);
  stamp_account_set_tls_min (account, tls_min);
  stamp_account_set_auth_mechanism (account, auth);
  stamp_account_set_display_name (account, name);
  stamp_account_set_username (account, user);
  stamp_account_set_oauth_tenant (account, tenant);
  stamp_account_set_oauth_client_id (account, client_id);
  stamp_account_set_oauth_authority (account, authority);
  stamp_account_set_ca_file (account, ca_file);
  stamp_account_set_ehlo_name (account, ehlo_name);

  if (!stamp_account_validate (account, &error))
    return stamp_cli_usage_error ("accounts add", "%s", error->message);

  store = stamp_cli_load_accounts ("accounts");
  stamp_account_store_add (store, account);
  if (!stamp_account_store_save (store, &error))
    {
      g_printerr ("stamp-cli accounts add: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  g_print (_("Saved %s.\n"), stamp_account_get_address (account));
  return STAMP_CLI_EXIT_OK;
}

static int
accounts_list (void)
{
  g_autoptr(StampAccountStore) store = stamp_cli_load_accounts ("accounts");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (n == 0)
    g_print ("%s\n", _("No accounts are saved yet. Add one with “stamp-cli accounts add ADDRESS”."));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_print ("%-32s %s:%u %s %s\n", stamp_account_get_address (account),
               stamp_account_get_host (account), stamp_account_get_effective_port (account),
               stamp_security_to_string (stamp_account_get_security (account)),
               stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
    }

  return STAMP_CLI_EXIT_OK;
}

static int
accounts_show (const char *address,
               gboolean    json)
{
  g_autoptr(StampAccountStore) store = stamp_cli_load_accounts ("accounts");
  StampAccount *account = stamp_account_store_lookup (store, address);

  if (account == NULL)
    {
      g_printerr (_("stamp-cli accounts: no saved account for %s\n"), address);
      return STAMP_CLI_EXIT_FAILURE;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = stamp_account_to_json (account);

      stamp_cli_print_json (node);
    }
  else
    print_account (account);

  return STAMP_CLI_EXIT_OK;
}

static int
accounts_remove (const char *address)
{
  g_autoptr(StampAccountStore) store = stamp_cli_load_accounts ("accounts");
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  g_autoptr(GError) error = NULL;
  StampSecretStore *secrets = stamp_cli_get_secret_store ();
  StampAccount *account = stamp_account_store_lookup (store, address);
  g_autofree char *spelled = account != NULL ? g_strdup (stamp_account_get_address (account)) : NULL;

  if (account == NULL || !stamp_account_store_remove (store, address))
    {
      g_printerr (_("stamp-cli accounts: no saved account for %s\n"), address);
      return STAMP_CLI_EXIT_FAILURE;
    }

  if (!stamp_account_store_save (store, &error))
    {
      g_printerr ("stamp-cli accounts remove: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  /* Its secrets go with it: nothing would ever use them again. */
  stamp_secret_store_clear_async (secrets, spelled, stamp_cli_wait_get_cancellable (wait),
                                  stamp_cli_wait_cb, wait);
  if (!stamp_secret_store_clear_finish (secrets, stamp_cli_wait_run (wait), &error))
    {
      g_printerr (_("stamp-cli accounts remove: %s was removed, but its secrets are still in the "
                    "keyring: %s\n"), spelled, error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  g_print (_("Removed %s and its password or sign-in.\n"), spelled);
  return STAMP_CLI_EXIT_OK;
}

/**
 * stamp_cli_accounts:
 *
 * `stamp-cli accounts add|list|show|remove`.
 */
int
stamp_cli_accounts (int    argc,
                    char **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (verb, "add") == 0)
    return accounts_add (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "list") == 0 && argc == 2)
    return accounts_list ();

  if (g_strcmp0 (verb, "show") == 0 && argc == 3)
    return accounts_show (argv[2], FALSE);

  if (g_strcmp0 (verb, "show") == 0 && argc == 4 && g_str_equal (argv[3], "--json"))
    return accounts_show (argv[2], TRUE);

  if (g_strcmp0 (verb, "remove") == 0 && argc == 3)
    return accounts_remove (argv[2]);

  g_printerr ("%s\n", _("Usage: stamp-cli accounts add ADDRESS [OPTION…]\n"
                        "       stamp-cli accounts list\n"
                        "       stamp-cli accounts show ADDRESS [--json]\n"
                        "       stamp-cli accounts remove ADDRESS"));
  return verb != NULL && g_str_equal (verb, "--help") ? STAMP_CLI_EXIT_OK : STAMP_CLI_EXIT_USAGE;
}

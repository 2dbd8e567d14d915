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

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"

/**
 * stamp_cli_parse_send_method:
 * @text: what was typed after --method
 * @method: (out): the method
 *
 * Returns: whether @text names a sending method ("smtp" or "graph")
 */
gboolean
stamp_cli_parse_send_method (const char      *text,
                             StampSendMethod *method)
{
  if (g_ascii_strcasecmp (text, "smtp") == 0)
    *method = STAMP_SEND_METHOD_SMTP;
  else if (g_ascii_strcasecmp (text, "graph") == 0)
    *method = STAMP_SEND_METHOD_GRAPH;
  else
    return FALSE;

  return TRUE;
}

static const char *
send_method_nick (StampSendMethod method)
{
  return method == STAMP_SEND_METHOD_GRAPH ? "graph" : "smtp";
}

/**
 * stamp_cli_parse_day:
 * @text: a day as people write it, YYYY-MM-DD; "none" (or nothing) clears it
 * @seconds: (out): Unix seconds at the start of that day in UTC, or 0
 *
 * Returns: whether @text is such a day
 */
gboolean
stamp_cli_parse_day (const char *text,
                     gint64     *seconds)
{
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;
  char tail;

  if (*text == '\0' || g_ascii_strcasecmp (text, "none") == 0)
    {
      *seconds = 0;
      return TRUE;
    }

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &mday, &tail) != 3
      || year < 1970 || !g_date_valid_dmy (mday, month, year))
    return FALSE;

  day = g_date_time_new_utc (year, month, mday, 0, 0, 0);
  *seconds = g_date_time_to_unix (day);
  return TRUE;
}

static char *
format_day (gint64 seconds)
{
  g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc (seconds);

  return g_date_time_format (day, "%Y-%m-%d");
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       seconds)
{
  g_autoptr(GDateTime) time = seconds != 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  stamp_cli_json_add_string (builder, member, text);
}

/* Its nick, as --json prints enums. */
static const char *
sign_in_state_nick (StampSignInState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (STAMP_TYPE_SIGN_IN_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : NULL;
}

/* A Graph account sends with a token, whatever its SMTP settings say. */
static gboolean
signs_in_with_oauth (StampAccount *account)
{
  return stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH
         || stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));
}

/**
 * stamp_cli_describe_sign_in:
 * @account: a saved account
 *
 * Returns: (transfer full) (nullable): the account's sign-in health in
 *   words, or %NULL for an account that does not sign in with OAuth
 */
char *
stamp_cli_describe_sign_in (StampAccount *account)
{
  g_autoptr(StampSignInHealth) health = NULL;

  if (!signs_in_with_oauth (account))
    return NULL;

  health = stamp_sign_in_health_load (stamp_account_get_address (account));
  return stamp_sign_in_health_describe (health, account, stamp_get_now ());
}

/**
 * stamp_cli_check_graph:
 * @account: an account about to be saved
 * @error: where to say why it cannot send as set
 *
 * A Graph account signs in with OAuth at a provider that has Microsoft
 * Graph, or at the person's own --authority with their own --graph-url;
 * its Graph address is https (plain http only to loopback).
 *
 * Returns: whether @account's sending method fits the rest of it
 */
gboolean
stamp_cli_check_graph (StampAccount  *account,
                       GError       **error)
{
  const char *provider_id = stamp_account_get_provider_id (account);
  const char *graph_url = stamp_account_get_graph_url (account);
  StampAuthMechanism mechanism = stamp_account_get_auth_mechanism (account);
  StampProviderDb *db = stamp_provider_db_get_default ();
  StampProvider *provider = provider_id != NULL ? stamp_provider_db_lookup_id (db, provider_id)
                                                : NULL;

  /* An SMTP account may keep the Graph address it had, for a switch back. */
  if (stamp_account_get_method (account) != STAMP_SEND_METHOD_GRAPH)
    return TRUE;

  if (mechanism == STAMP_AUTH_AUTO)
    stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  else if (!stamp_auth_mechanism_is_oauth (mechanism))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("Microsoft Graph signs in with OAuth only, and %s is set to sign in with "
                     "a password (%s); use --auth xoauth2, or keep --method smtp"),
                   stamp_account_get_address (account), stamp_auth_mechanism_to_string (mechanism));
      return FALSE;
    }

  if (graph_url != NULL && !stamp_graph_url_validate (graph_url, error))
    return FALSE;

  if ((provider == NULL || !stamp_provider_supports_graph (provider))
      && (graph_url == NULL || stamp_account_get_oauth_authority (account) == NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("%s cannot send through Microsoft Graph: Graph is for Microsoft 365 and "
                     "Outlook.com accounts (--provider microsoft or outlook); with your own "
                     "sign-in service, give both --authority and --graph-url"),
                   provider != NULL ? stamp_provider_get_name (provider)
                                    : stamp_account_get_address (account));
      return FALSE;
    }

  return TRUE;
}

static void
print_account (StampAccount *account)
{
  const char *provider_id = stamp_account_get_provider_id (account);
  StampProvider *provider = provider_id != NULL
                            ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (), provider_id)
                            : NULL;
  g_auto(GStrv) limits = stamp_report_describe_limits (provider);
  g_autofree char *graph_url = stamp_account_dup_effective_graph_url (account);
  g_autofree char *health = stamp_cli_describe_sign_in (account);

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
  g_print ("  %-14s %s\n", _("Sends with:"),
           stamp_send_method_to_label (stamp_account_get_method (account)));
  if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
    g_print ("  %-14s %s\n", _("Graph URL:"), graph_url);
  g_print ("  %-14s %s\n", _("Sign-in:"),
           stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
  if (health != NULL)
    g_print ("  %-14s %s\n", _("Sign-in state:"), health);
  g_print ("  %-14s %s\n", _("User:"),
           stamp_account_get_username (account) != NULL ? stamp_account_get_username (account)
                                                        : stamp_account_get_address (account));
  if (stamp_account_get_oauth_tenant (account) != NULL)
    g_print ("  %-14s %s\n", _("Tenant:"), stamp_account_get_oauth_tenant (account));
  if (stamp_account_get_oauth_client_id (account) != NULL)
    g_print ("  %-14s %s\n", _("Client ID:"), stamp_account_get_oauth_client_id (account));
  if (stamp_account_get_oauth_authority (account) != NULL)
    g_print ("  %-14s %s\n", _("Authority:"), stamp_account_get_oauth_authority (account));
  if (stamp_account_get_client_secret_expires (account) != 0)
    {
      g_autofree char *day = format_day (stamp_account_get_client_secret_expires (account));

      g_print ("  %-14s %s\n", _("Secret expiry:"), day);
    }
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
  g_autofree char *method_str = NULL;
  g_autofree char *graph_url = NULL;
  g_autofree char *secret_expires_str = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  StampSecurity security = STAMP_SECURITY_STARTTLS;
  StampTlsVersion tls_min = STAMP_TLS_VERSION_1_2;
  StampAuthMechanism auth = STAMP_AUTH_AUTO;
  StampSendMethod method = STAMP_SEND_METHOD_SMTP;
  gint64 secret_expires = 0;
  int port = 0;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_str, N_("How to send: smtp (default), or graph (Microsoft Graph, for Microsoft 365 and Outlook.com when SMTP AUTH is off)"), N_("METHOD") },
    { "graph-url", 0, 0, G_OPTION_ARG_STRING, &graph_url, N_("Microsoft Graph base URL (default: the provider’s, such as https://graph.microsoft.com/v1.0)"), N_("URL") },
    { "client-secret-expires", 0, 0, G_OPTION_ARG_STRING, &secret_expires_str, N_("When your app registration’s client secret expires, so Stamp warns ahead"), N_("YYYY-MM-DD") },
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
  if (method_str != NULL && !stamp_cli_parse_send_method (method_str, &method))
    return stamp_cli_usage_error ("accounts add",
                                  _("Unknown sending method “%s”; use smtp or graph"), method_str);
  if (secret_expires_str != NULL && !stamp_cli_parse_day (secret_expires_str, &secret_expires))
    return stamp_cli_usage_error ("accounts add",
                                  _("“%s” is not a date; write it as YYYY-MM-DD"),
                                  secret_expires_str);

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
  stamp_account_set_method (account, method);
  stamp_account_set_graph_url (account, graph_url);
  stamp_account_set_client_secret_expires (account, secret_expires);

  if (graph_url != NULL && method != STAMP_SEND_METHOD_GRAPH)
    return stamp_cli_usage_error ("accounts add", _("--graph-url goes with --method graph"));
  if (!stamp_cli_check_graph (account, &error) || !stamp_account_validate (account, &error))
    return stamp_cli_usage_error ("accounts add", "%s", error->message);

  store = stamp_cli_load_accounts ("accounts");
  stamp_account_store_add (store, account);
  if (!stamp_account_store_save (store, &error))
    {
      g_printerr ("stamp-cli accounts add: %s\n", error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  g_print (_("Saved %s.\n"), stamp_account_get_address (account));
  if (method == STAMP_SEND_METHOD_GRAPH)
    g_print (_("It sends through Microsoft Graph. Sign in with: stamp-cli login %s\n"),
             stamp_account_get_address (account));
  return STAMP_CLI_EXIT_OK;
}

/* `accounts set ADDRESS …`: changes what can change without adding the
 * account anew. */
static int
accounts_set (int    argc,
              char **argv)
{
  g_autofree char *method_str = NULL;
  g_autofree char *graph_url = NULL;
  g_autofree char *secret_expires_str = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(GError) error = NULL;
  StampAccount *account;
  StampSendMethod method = STAMP_SEND_METHOD_SMTP;
  gint64 secret_expires = 0;
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_str, N_("How to send: smtp or graph"), N_("METHOD") },
    { "graph-url", 0, 0, G_OPTION_ARG_STRING, &graph_url, N_("Microsoft Graph base URL; “default” for the provider’s"), N_("URL") },
    { "client-secret-expires", 0, 0, G_OPTION_ARG_STRING, &secret_expires_str, N_("When the client secret expires; “none” to forget it"), N_("YYYY-MM-DD") },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — change a saved account"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("accounts set", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("accounts set", _("Give exactly one email address"));
  if (method_str == NULL && graph_url == NULL && secret_expires_str == NULL)
    return stamp_cli_usage_error ("accounts set", _("Nothing to change: give --method, "
                                                    "--graph-url or --client-secret-expires"));
  if (method_str != NULL && !stamp_cli_parse_send_method (method_str, &method))
    return stamp_cli_usage_error ("accounts set",
                                  _("Unknown sending method “%s”; use smtp or graph"), method_str);
  if (secret_expires_str != NULL && !stamp_cli_parse_day (secret_expires_str, &secret_expires))
    return stamp_cli_usage_error ("accounts set",
                                  _("“%s” is not a date; write it as YYYY-MM-DD"),
                                  secret_expires_str);

  store = stamp_cli_load_accounts ("accounts");
  account = stamp_account_store_lookup (store, argv[1]);
  if (account == NULL)
    {
      g_printerr (_("stamp-cli accounts: no saved account for %s\n"), argv[1]);
      return STAMP_CLI_EXIT_FAILURE;
    }

  if (method_str != NULL)
    {
      stamp_account_set_method (account, method);
      /* Back to SMTP, the Graph address has no use. */
      if (method == STAMP_SEND_METHOD_SMTP && graph_url == NULL)
        stamp_account_set_graph_url (account, NULL);
    }
  if (graph_url != NULL)
    stamp_account_set_graph_url (account, g_str_equal (graph_url, "default") ? NULL : graph_url);
  if (secret_expires_str != NULL)
    stamp_account_set_client_secret_expires (account, secret_expires);

  if (!stamp_cli_check_graph (account, &error) || !stamp_account_validate (account, &error))
    return stamp_cli_usage_error ("accounts set", "%s", error->message);

  if (!stamp_account_store_save (store, &error))
    {
      g_printerr ("stamp-cli accounts set: %s\n", error->message);
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

      if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
        {
          g_autofree char *graph_url = stamp_account_dup_effective_graph_url (account);

          g_print ("%-32s %s %s graph\n", stamp_account_get_address (account), graph_url,
                   stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
        }
      else
        g_print ("%-32s %s:%u %s %s smtp\n", stamp_account_get_address (account),
                 stamp_account_get_host (account), stamp_account_get_effective_port (account),
                 stamp_security_to_string (stamp_account_get_security (account)),
                 stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
    }

  return STAMP_CLI_EXIT_OK;
}

/* What an account's sign-in is known to be, for --json; null for an
 * account that does not sign in with OAuth. */
static JsonNode *
sign_in_to_json (StampAccount *account)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(StampSignInHealth) health = NULL;
  g_autofree char *text = NULL;
  gint64 now = stamp_get_now ();
  gint64 deadline = 0;
  StampSignInState state;

  if (!signs_in_with_oauth (account))
    return json_node_new (JSON_NODE_NULL);

  health = stamp_sign_in_health_load (stamp_account_get_address (account));
  state = stamp_sign_in_health_get_state (health, account, now, &deadline);
  text = stamp_sign_in_health_describe (health, account, now);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  stamp_cli_json_add_string (builder, "state", sign_in_state_nick (state));
  stamp_cli_json_add_string (builder, "text", text);
  add_time (builder, "deadline", deadline);
  add_time (builder, "signed_in_at", health != NULL ? health->signed_in_at : 0);
  add_time (builder, "refresh_token_at", health != NULL ? health->refresh_token_at : 0);
  add_time (builder, "last_refresh_at", health != NULL ? health->last_refresh_at : 0);
  add_time (builder, "last_failure_at", health != NULL ? health->last_failure_at : 0);
  stamp_cli_json_add_string (builder, "last_failure", health != NULL ? health->last_failure : NULL);
  json_builder_set_member_name (builder, "failure_permanent");
  json_builder_add_boolean_value (builder, health != NULL && health->failure_permanent);
  stamp_cli_json_add_int (builder, "inactivity_window_days",
                          stamp_sign_in_inactivity_window (account) / (24 * 60 * 60));
  add_time (builder, "client_secret_expires", stamp_account_get_client_secret_expires (account));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The saved account as the file has it, with what a script wants to know
 * besides: the method, the Graph address in use and the sign-in health. */
static JsonNode *
account_to_json (StampAccount *account)
{
  JsonNode *node = stamp_account_to_json (account);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *graph_url = stamp_account_dup_effective_graph_url (account);

  json_object_set_string_member (object, "method",
                                 send_method_nick (stamp_account_get_method (account)));
  if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
    json_object_set_string_member (object, "effective_graph_url", graph_url);
  json_object_set_member (object, "sign_in", sign_in_to_json (account));

  return node;
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
      g_autoptr(JsonNode) node = account_to_json (account);

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

  /* Its secrets and its sign-in record go with it: nothing would ever use
   * them again. */
  stamp_sign_in_health_forget (spelled);
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

/* One account's forced refresh; prints its line unless @quiet and it
 * went well. */
static gboolean
refresh_one (StampCredentials *credentials,
             StampAccount     *account,
             gboolean          quiet,
             GError          **error)
{
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  g_autoptr(StampSignInHealth) record = NULL;
  g_autofree char *health = NULL;
  gboolean ok;

  stamp_sign_in_refresh_async (credentials, account, stamp_cli_wait_get_cancellable (wait),
                               stamp_cli_wait_cb, wait);
  ok = stamp_sign_in_refresh_finish (stamp_cli_wait_run (wait), error);
  record = stamp_sign_in_health_load (stamp_account_get_address (account));
  health = stamp_sign_in_health_describe (record, account, stamp_get_now ());

  if (ok && !quiet)
    /* TRANSLATORS: an address, then its sign-in health in words */
    g_print (_("%s: refreshed. %s\n"), stamp_account_get_address (account), health);
  else if (!ok && stamp_sign_in_health_get_state (record, account, stamp_get_now (), NULL)
                   == STAMP_SIGN_IN_STATE_FAILED)
    /* The health words carry the reason already. TRANSLATORS: an address,
     * then its sign-in health in words */
    g_print (_("%s: refresh failed. %s\n"), stamp_account_get_address (account), health);
  else if (!ok)
    {
      /* One line per account: the provider's details stay out. */
      g_autofree char *reason = g_strndup ((*error)->message, strcspn ((*error)->message, "\n"));

      /* TRANSLATORS: an address, why the refresh failed, then its sign-in health */
      g_print (_("%s: refresh failed: %s %s\n"), stamp_account_get_address (account), reason,
               health);
    }

  return ok;
}

/* `accounts refresh [ADDRESS] [--quiet]`: refreshes one or every OAuth
 * sign-in now, as the keeper does weekly, so that a cron job or a timer
 * keeps sign-ins alive on a machine where Stamp does not run. */
static int
accounts_refresh (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(StampCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  gboolean quiet = FALSE;
  int status = STAMP_CLI_EXIT_OK;
  guint n_oauth = 0;
  const GOptionEntry entries[] = {
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the sign-ins that failed (for cron)"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("[ADDRESS] — refresh OAuth sign-ins now, so they do not "
                                    "lapse"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Without an address, every account that signs in with OAuth is refreshed. A sign-in\n"
      "unused for about 90 days lapses; run this weekly from cron or a systemd timer on a\n"
      "machine where neither the app nor the relay runs.\n"
      "\n"
      "Exit status: 0 every sign-in refreshed; 5 a sign-in failed; 1 another failure."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("accounts refresh", "%s", error->message);
  if (argc > 2)
    return stamp_cli_usage_error ("accounts refresh", _("Give at most one email address"));

  store = stamp_cli_load_accounts ("accounts");
  credentials = stamp_credentials_new (stamp_cli_get_secret_store ());

  if (argc == 2)
    {
      StampAccount *account = stamp_account_store_lookup (store, argv[1]);

      if (account == NULL)
        {
          g_printerr (_("stamp-cli accounts: no saved account for %s\n"), argv[1]);
          return STAMP_CLI_EXIT_FAILURE;
        }
      if (!signs_in_with_oauth (account))
        {
          g_printerr (_("stamp-cli accounts refresh: %s signs in with a password; there is no "
                        "sign-in to refresh\n"), stamp_account_get_address (account));
          return STAMP_CLI_EXIT_USAGE;
        }

      return refresh_one (credentials, account, quiet, &error) ? STAMP_CLI_EXIT_OK
                                                               : stamp_cli_exit_for_error (error);
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(GError) account_error = NULL;

      if (!signs_in_with_oauth (account))
        continue;

      n_oauth++;
      if (!refresh_one (credentials, account, quiet, &account_error))
        {
          if (g_error_matches (account_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return STAMP_CLI_EXIT_CANCELLED;
          /* The first failure names the exit status; the others still run. */
          if (status == STAMP_CLI_EXIT_OK)
            status = stamp_cli_exit_for_error (account_error);
        }
    }

  if (n_oauth == 0 && !quiet)
    g_print ("%s\n", _("No saved account signs in with OAuth; there is nothing to refresh."));

  return status;
}

/**
 * stamp_cli_accounts:
 *
 * `stamp-cli accounts add|set|list|show|refresh|remove`.
 */
int
stamp_cli_accounts (int    argc,
                    char **argv)
{
  const char *verb = argc > 1 ? argv[1] : NULL;

  if (g_strcmp0 (verb, "add") == 0)
    return accounts_add (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "set") == 0)
    return accounts_set (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "refresh") == 0)
    return accounts_refresh (argc - 1, argv + 1);

  if (g_strcmp0 (verb, "list") == 0 && argc == 2)
    return accounts_list ();

  if (g_strcmp0 (verb, "show") == 0 && argc == 3)
    return accounts_show (argv[2], FALSE);

  if (g_strcmp0 (verb, "show") == 0 && argc == 4 && g_str_equal (argv[3], "--json"))
    return accounts_show (argv[2], TRUE);

  if (g_strcmp0 (verb, "remove") == 0 && argc == 3)
    return accounts_remove (argv[2]);

  g_printerr ("%s\n", _("Usage: stamp-cli accounts add ADDRESS [--method smtp|graph] [OPTION…]\n"
                        "       stamp-cli accounts set ADDRESS [--method smtp|graph] [--graph-url URL]\n"
                        "                              [--client-secret-expires YYYY-MM-DD]\n"
                        "       stamp-cli accounts list\n"
                        "       stamp-cli accounts show ADDRESS [--json]\n"
                        "       stamp-cli accounts refresh [ADDRESS] [--quiet]\n"
                        "       stamp-cli accounts remove ADDRESS"));
  return verb != NULL && g_str_equal (verb, "--help") ? STAMP_CLI_EXIT_OK : STAMP_CLI_EXIT_USAGE;
}

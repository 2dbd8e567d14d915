/* stamp-cli-login.c
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

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"

/* `stamp-cli login` and `stamp-cli logout`: sign an account in (OAuth in
 * the browser or with a device code, or a password kept in the keyring)
 * and sign it out again. */

/* The provider by, in order: --provider, the saved account, the domain in
 * the provider database, and with @discover, discovery (the domain's MX
 * records). */
static StampProvider *
find_provider (StampAccount  *account,
               const char    *provider_name,
               gboolean       discover,
               GError       **error)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  const char *address = stamp_account_get_address (account);
  StampProvider *provider = NULL;

  if (provider_name != NULL)
    {
      provider = stamp_cli_lookup_provider (provider_name);
      if (provider == NULL)
        g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                     _("Unknown provider “%s”; use microsoft, outlook or google"), provider_name);
      return provider;
    }

  if (stamp_account_get_provider_id (account) != NULL)
    provider = stamp_provider_db_lookup_id (db, stamp_account_get_provider_id (account));
  if (provider == NULL)
    provider = stamp_provider_db_lookup_domain (db, strrchr (address, '@') + 1);

  if (provider == NULL && discover)
    {
      g_autoptr(GPtrArray) candidates = stamp_cli_run_discovery (address, NULL);

      for (guint i = 0; candidates != NULL && provider == NULL && i < candidates->len; i++)
        {
          const char *id = stamp_candidate_get_provider_id (g_ptr_array_index (candidates, i));

          if (id != NULL)
            provider = stamp_provider_db_lookup_id (db, id);
        }
    }

  if (provider == NULL)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("Stamp cannot tell who runs the mail of %s; name the provider with "
                   "--provider microsoft, outlook or google"), address);

  return provider;
}

/* The provider's server for a new account or one moving to it, and for a
 * sign-in, the provider's OAuth mechanism. */
static void
apply_provider (StampAccount  *account,
                StampProvider *provider,
                gboolean       oauth)
{
  stamp_cli_use_provider (account, provider);

  if (oauth)
    stamp_account_set_auth_mechanism (account,
                                      stamp_provider_supports_auth (provider, STAMP_AUTH_XOAUTH2)
                                        ? STAMP_AUTH_XOAUTH2 : STAMP_AUTH_OAUTHBEARER);
}

static void
authorize_uri_cb (StampOAuthSignIn *sign_in)
{
  g_print (_("Opening a browser to sign in. If none opens, open this address on any device:\n\n  %s\n\n"),
           stamp_oauth_sign_in_get_authorize_uri (sign_in));
}

static void
browser_error_cb (StampOAuthSignIn *sign_in)
{
  if (stamp_oauth_sign_in_get_browser_error (sign_in) != NULL)
    g_printerr (_("%s. Open the address above by hand.\n"),
                stamp_oauth_sign_in_get_browser_error (sign_in));
}

static void
user_code_cb (StampOAuthSignIn *sign_in)
{
  guint minutes = MAX (stamp_oauth_sign_in_get_code_lifetime (sign_in) / 60, 1);

  g_print (_("To sign in, open %s on any device and enter the code %s\n"),
           stamp_oauth_sign_in_get_verification_uri (sign_in),
           stamp_oauth_sign_in_get_user_code (sign_in));
  g_print (ngettext ("The code is good for %u minute. Waiting…\n",
                     "The code is good for %u minutes. Waiting…\n", minutes),
           minutes);
}

static StampOAuthTokens *
sign_in (StampOAuthConfig  *config,
         gboolean           device_code,
         guint              time_limit,
         GError           **error)
{
  g_autoptr(StampOAuthSignIn) sign_in = stamp_oauth_sign_in_new (config);
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();
  GCancellable *cancellable = stamp_cli_wait_get_cancellable (wait);

  g_signal_connect (sign_in, "notify::authorize-uri", G_CALLBACK (authorize_uri_cb), NULL);
  g_signal_connect (sign_in, "notify::browser-error", G_CALLBACK (browser_error_cb), NULL);
  g_signal_connect (sign_in, "notify::user-code", G_CALLBACK (user_code_cb), NULL);
  if (time_limit > 0)
    stamp_oauth_sign_in_set_time_limit (sign_in, time_limit);

  if (device_code)
    stamp_oauth_sign_in_device_async (sign_in, cancellable, stamp_cli_wait_cb, wait);
  else
    stamp_oauth_sign_in_browser_async (sign_in, cancellable, stamp_cli_wait_cb, wait);

  return stamp_oauth_sign_in_finish (sign_in, stamp_cli_wait_run (wait), error);
}

static gboolean
store_secret (const char       *address,
              StampSecretKind   kind,
              const char       *secret,
              GError          **error)
{
  StampSecretStore *store = stamp_cli_get_secret_store ();
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();

  stamp_secret_store_store_async (store, address, kind, secret, 0,
                                  stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);

  return stamp_secret_store_store_finish (store, stamp_cli_wait_run (wait), error);
}

static gboolean
save_tokens (StampAccount      *account,
             StampOAuthTokens  *tokens,
             GError           **error)
{
  g_autoptr(StampCredentials) credentials = stamp_credentials_new (stamp_cli_get_secret_store ());
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();

  stamp_credentials_save_tokens_async (credentials, account, tokens,
                                       stamp_cli_wait_get_cancellable (wait),
                                       stamp_cli_wait_cb, wait);

  return stamp_credentials_save_tokens_finish (credentials, stamp_cli_wait_run (wait), error);
}

static int
fail (const char   *command,
      const GError *error)
{
  g_printerr ("stamp-cli %s: %s\n", command, error->message);
  return stamp_cli_exit_for_error (error);
}

/* The tenant's admin-consent address for the app, alone on stdout, or with
 * the words to send the administrator in --json. */
static int
print_admin_consent (StampOAuthConfig *config,
                     StampAccount     *account,
                     gboolean          json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = stamp_oauth_config_dup_admin_consent_url (config, &error);
  g_autofree char *request = NULL;

  if (url == NULL)
    return fail ("login", error);

  if (!json)
    {
      g_print ("%s\n", url);
      return STAMP_CLI_EXIT_OK;
    }

  request = stamp_oauth_config_dup_admin_consent_request (config,
                                                          stamp_account_get_address (account));
  {
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;

    json_builder_begin_object (builder);
    stamp_cli_json_add_string (builder, "address", stamp_account_get_address (account));
    stamp_cli_json_add_string (builder, "client_id", stamp_oauth_config_get_client_id (config));
    stamp_cli_json_add_string (builder, "url", url);
    stamp_cli_json_add_string (builder, "request", request);
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    stamp_cli_print_json (root);
  }

  return STAMP_CLI_EXIT_OK;
}

/* A sign-in an administrator must allow first (AADSTS65001): the failure,
 * then the link and the words to send them. */
static int
fail_needs_consent (StampOAuthConfig *config,
                    StampAccount     *account,
                    const GError     *error)
{
  g_autofree char *url = stamp_oauth_config_dup_admin_consent_url (config, NULL);
  g_autofree char *request = NULL;

  g_printerr ("stamp-cli login: %s\n", error->message);
  if (url == NULL)
    return stamp_cli_exit_for_error (error);

  request = stamp_oauth_config_dup_admin_consent_request (config,
                                                          stamp_account_get_address (account));
  g_printerr ("\n%s\n\n  %s\n\n", _("An administrator of your organization must allow Stamp "
                                      "first. Send them this link:"), url);
  g_printerr ("%s\n\n%s\n", _("Or send them these words, which hold the link:"), request);
  g_printerr (_("\nOnce they have, sign in again with the same command. "
                "“stamp-cli login %s --admin-consent-url” prints the link again.\n"),
              stamp_account_get_address (account));

  return stamp_cli_exit_for_error (error);
}

/* Without a keyring the secrets died with the store's memory just now;
 * saying "signed in" would be a lie. */
static int
finish_saved (const char *address,
              const char *what)
{
  if (stamp_cli_keyring_is_missing ())
    {
      g_printerr (_("stamp-cli login: nothing was saved for %s, since no keyring is running.\n"),
                  address);
      return STAMP_CLI_EXIT_FAILURE;
    }

  g_print ("%s\n", what);
  g_print (_("Send a test message with: stamp-cli send --account %s\n"), address);
  return STAMP_CLI_EXIT_OK;
}

/**
 * stamp_cli_login:
 *
 * `stamp-cli login ADDRESS [OPTION…]`.
 */
int
stamp_cli_login (int    argc,
                 char **argv)
{
  g_autofree char *provider_name = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *method_str = NULL;
  g_autofree char *graph_url = NULL;
  g_autofree char *secret_expires_str = NULL;
  g_autoptr(StampSecret) client_secret = NULL;
  g_autoptr(StampSecret) password = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccountStore) store = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  StampProvider *provider;
  gboolean device_code = FALSE;
  gboolean client_secret_stdin = FALSE;
  gboolean password_stdin = FALSE;
  gboolean admin_consent_url = FALSE;
  gboolean json = FALSE;
  StampSendMethod method = STAMP_SEND_METHOD_SMTP;
  gint64 secret_expires = 0;
  int time_limit = 0;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name, N_("microsoft (Microsoft 365), outlook (Outlook.com), google, or usgov (GCC High and DoD)"), N_("NAME") },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, N_("Microsoft tenant: organizations (default), common, a tenant ID or a domain"), N_("TENANT") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, N_("Client ID of your organization’s own app registration"), N_("ID") },
    { "client-secret-stdin", 0, 0, G_OPTION_ARG_NONE, &client_secret_stdin, N_("Read that app’s client secret from standard input (Google)"), NULL },
    { "client-secret-expires", 0, 0, G_OPTION_ARG_STRING, &secret_expires_str, N_("When that client secret expires, so Stamp warns ahead"), N_("YYYY-MM-DD") },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &authority, N_("Sign-in service base URL, for sovereign clouds"), N_("URL") },
    { "device-code", 0, 0, G_OPTION_ARG_NONE, &device_code, N_("Sign in on another device with a code (no browser here)"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Instead of OAuth, keep a password or app password from standard input"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &time_limit, N_("Give up waiting for the browser after this many seconds (default: 300)"), N_("SECONDS") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method_str, N_("How the account sends: smtp, or graph (Microsoft Graph; the sign-in then asks for Mail.Send)"), N_("METHOD") },
    { "graph-url", 0, 0, G_OPTION_ARG_STRING, &graph_url, N_("Microsoft Graph base URL, with --method graph"), N_("URL") },
    { "admin-consent-url", 0, 0, G_OPTION_ARG_NONE, &admin_consent_url, N_("Print the address where an administrator allows Stamp for the whole organization, and do not sign in"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("With --admin-consent-url: the address and the words to send the administrator, as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — sign in and keep the sign-in in the keyring"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Signs in through the system browser (or, with --device-code, on another device) and keeps\n"
      "the tokens in the keyring, never in a file. The account is saved or updated too.\n"
      "\n"
      "Without an app registration built in, give your organization’s own with --client-id;\n"
      "Stamp prints the steps to create one when it is missing.\n"
      "\n"
      "An account that sends through Microsoft Graph asks for Mail.Send. When your organization\n"
      "lets only administrators allow apps, Stamp prints the link and the words to send one."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("login", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("login", _("Give exactly one email address"));
  if (time_limit < 0)
    return stamp_cli_usage_error ("login", _("The timeout must be a positive number of seconds"));
  if (password_stdin && (client_secret_stdin || device_code))
    return stamp_cli_usage_error ("login", _("--password-stdin does not go with OAuth options"));
  if (!stamp_address_check (argv[1], &error))
    return stamp_cli_usage_error ("login", "%s", error->message);
  if (method_str != NULL && !stamp_cli_parse_send_method (method_str, &method))
    return stamp_cli_usage_error ("login", _("Unknown sending method “%s”; use smtp or graph"),
                                  method_str);
  if (password_stdin && (method == STAMP_SEND_METHOD_GRAPH || admin_consent_url))
    return stamp_cli_usage_error ("login", _("--password-stdin does not go with OAuth options"));
  if (secret_expires_str != NULL && !stamp_cli_parse_day (secret_expires_str, &secret_expires))
    return stamp_cli_usage_error ("login", _("“%s” is not a date; write it as YYYY-MM-DD"),
                                  secret_expires_str);
  if (json && !admin_consent_url)
    return stamp_cli_usage_error ("login", _("--json goes with --admin-consent-url"));

  if (password_stdin || client_secret_stdin)
    {
      StampSecret *secret = stamp_cli_read_secret (stdin, &error);

      if (secret == NULL)
        return stamp_cli_usage_error ("login", "%s", error->message);
      if (password_stdin)
        password = secret;
      else
        client_secret = secret;

      /* Kept as the provider takes it, as the app keeps it. */
      stamp_cli_strip_app_password (&password);
    }

  store = stamp_cli_load_accounts ("login");

  account = stamp_account_store_lookup (store, argv[1]);
  account = account != NULL ? g_object_ref (account) : stamp_account_new (argv[1]);

  /* A password needs no provider: an account saved with its own server
   * keeps it as it is, and one without is sent to `accounts add`, which
   * finds the server. */
  if (password_stdin && provider_name == NULL && stamp_account_get_host (account) != NULL)
    provider = NULL;
  else if ((provider = find_provider (account, provider_name, !password_stdin, &error)) == NULL)
    {
      if (password_stdin && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error (&error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("Stamp does not know the server of %s: save it first with "
                         "“stamp-cli accounts add %s --host HOST”, then keep its password"),
                       argv[1], argv[1]);
        }
      return fail ("login", error);
    }
  else
    apply_provider (account, provider, !password_stdin);

  if (tenant != NULL)
    stamp_account_set_oauth_tenant (account, tenant);
  if (client_id != NULL)
    stamp_account_set_oauth_client_id (account, client_id);
  if (authority != NULL)
    stamp_account_set_oauth_authority (account, authority);
  if (method_str != NULL)
    stamp_account_set_method (account, method);
  if (graph_url != NULL && stamp_account_get_method (account) != STAMP_SEND_METHOD_GRAPH)
    return stamp_cli_usage_error ("login", _("--graph-url goes with --method graph"));
  if (graph_url != NULL)
    stamp_account_set_graph_url (account, graph_url);
  if (secret_expires_str != NULL)
    stamp_account_set_client_secret_expires (account, secret_expires);
  if ((password == NULL && !stamp_cli_check_graph (account, &error))
      || !stamp_account_validate (account, &error))
    return stamp_cli_usage_error ("login", "%s", error->message);

  if (password != NULL)
    {
      if (!store_secret (stamp_account_get_address (account), STAMP_SECRET_PASSWORD, password, &error))
        return fail ("login", error);
      done = g_strdup_printf (_("The password of %s is in the keyring."),
                              stamp_account_get_address (account));
    }
  else
    {
      config = stamp_oauth_config_new (provider, account, &error);
      if (config == NULL)
        return fail ("login", error);
      if (client_secret != NULL)
        stamp_oauth_config_set_client_secret (config, client_secret);

      /* Only the address: nothing is signed in, nothing is saved. */
      if (admin_consent_url)
        return print_admin_consent (config, account, json);

      tokens = sign_in (config, device_code, (guint) time_limit, &error);
      if (tokens == NULL && g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT))
        return fail_needs_consent (config, account, error);
      if (tokens == NULL)
        return fail ("login", error);

      if (!save_tokens (account, tokens, &error)
          || (client_secret != NULL
              && !store_secret (stamp_account_get_address (account), STAMP_SECRET_CLIENT_SECRET,
                                client_secret, &error)))
        return fail ("login", error);

      done = g_strdup_printf (_("Signed in to %s as %s. The sign-in is in the keyring."),
                              stamp_provider_get_name (provider), stamp_account_get_address (account));
      if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
        {
          g_autofree char *signed_in = g_steal_pointer (&done);

          done = g_strconcat (signed_in, " ", _("It sends through Microsoft Graph (Mail.Send)."),
                              NULL);
        }
      if (client_secret != NULL && stamp_account_get_client_secret_expires (account) == 0)
        g_printerr ("%s\n", _("Note: client secrets expire (after 180 days unless set otherwise). "
                              "Tell Stamp when with --client-secret-expires YYYY-MM-DD, and it "
                              "warns two weeks ahead."));
    }

  stamp_account_store_add (store, account);
  if (!stamp_account_store_save (store, &error))
    return fail ("login", error);

  return finish_saved (stamp_account_get_address (account), done);
}

/**
 * stamp_cli_logout:
 *
 * `stamp-cli logout ADDRESS`: removes every secret of the account from
 * the keyring. The account's settings stay.
 */
int
stamp_cli_logout (int    argc,
                  char **argv)
{
  g_autoptr(StampCliWait) wait = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  StampSecretStore *store;
  const char *address;

  if (argc == 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n", _("Usage: stamp-cli logout ADDRESS\n\n"
                         "Removes the account’s password and sign-in from the keyring; its "
                         "settings stay saved."));
      return STAMP_CLI_EXIT_OK;
    }
  if (argc != 2 || argv[1][0] == '-')
    return stamp_cli_usage_error ("logout", _("Give exactly one email address"));

  /* The keyring knows the address as the account spells it. */
  account = stamp_cli_lookup_account (argv[1], NULL);
  address = account != NULL ? stamp_account_get_address (account) : argv[1];

  store = stamp_cli_get_secret_store ();
  wait = stamp_cli_wait_new ();
  stamp_sign_in_health_forget (address);
  stamp_secret_store_clear_async (store, address, stamp_cli_wait_get_cancellable (wait),
                                  stamp_cli_wait_cb, wait);
  if (!stamp_secret_store_clear_finish (store, stamp_cli_wait_run (wait), &error))
    return fail ("logout", error);

  g_print (_("Signed out %s: its password and tokens are no longer in the keyring.\n"), address);
  return STAMP_CLI_EXIT_OK;
}

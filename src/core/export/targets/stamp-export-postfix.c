/* stamp-export-postfix.c
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

#define G_LOG_DOMAIN "stamp-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-exporter-private.h"
#include "stamp-oauth-config.h"

/* Postfix as a smarthost client: the main.cf lines, the SASL password map
 * they point to, and for OAuth the configuration of the sasl-xoauth2
 * plugin (github.com/tarickb/sasl-xoauth2) that Postfix signs in through. */

#define SASL_PASSWD_PATH  "/etc/postfix/sasl_passwd"
#define SYSTEM_CA_FILE    "/etc/ssl/certs/ca-certificates.crt"
#define TOKEN_DIR         "/etc/tokens"
#define TOKEN_DIR_CHROOT  "/var/spool/postfix/etc/tokens"

/* Lines in main.cf are not merged: a later one wins. */
#define ADD_LINES_COMMENT \
  "# Add these lines at the end of /etc/postfix/main.cf (a later line\n" \
  "# wins over an earlier one).\n"

/* The next hop as relayhost names it and as the SASL map's key must
 * repeat it: brackets turn off the MX lookup. */
static char *
submission_relayhost (StampAccount *account)
{
  return g_strdup_printf ("[%s]:%u", stamp_account_get_host (account),
                          stamp_account_get_effective_port (account));
}

static char *
token_file (StampExportContext *context)
{
  return g_build_filename (TOKEN_DIR, stamp_export_from_address (context), NULL);
}

static gboolean
ca_file_is_system (StampAccount *account)
{
  const char *ca_file = stamp_account_get_ca_file (account);

  return ca_file == NULL || *ca_file == '\0';
}

static const char *
ca_file_or_system (StampAccount *account)
{
  return ca_file_is_system (account) ? SYSTEM_CA_FILE : stamp_account_get_ca_file (account);
}

/* Postfix's names for the account's lowest TLS version; never below
 * TLS 1.2 (RFC 8996 deprecates 1.0 and 1.1). */
static const char *
mandatory_protocols (StampAccount *account)
{
  return stamp_account_get_tls_min (account) >= STAMP_TLS_VERSION_1_3 ? ">=TLSv1.3" : ">=TLSv1.2";
}

static void
append_tls (GString      *out,
            StampAccount *account)
{
  switch (stamp_account_get_security (account))
    {
    case STAMP_SECURITY_TLS:
      g_string_append (out, "# Port 465: TLS from the first byte.\n"
                            "smtp_tls_wrappermode = yes\n");
      break;
    case STAMP_SECURITY_NONE:
      g_string_append (out, "# The account is set up without TLS; Postfix still uses\n"
                            "# it when the server offers it.\n"
                            "smtp_tls_security_level = may\n");
      return;
    case STAMP_SECURITY_STARTTLS:
    default:
      break;
    }

  /* "encrypt" only encrypts: Postfix then takes any certificate and signs
   * in all the same. "secure" verifies the chain and the name. Postfix's
   * default match adds dot-nexthop, which would also take a certificate
   * for any name below the host; the host itself is what every other
   * export checks. Wrapper mode (465) needs encrypt or stronger. */
  g_string_append_printf (out,
                          "# Verify the server's certificate against the CA file, and\n"
                          "# that it names the host: relayhost is in brackets, so the\n"
                          "# next hop is exactly that host (a wildcard certificate for\n"
                          "# its domain matches too).\n"
                          "smtp_tls_security_level = secure\n"
                          "smtp_tls_secure_cert_match = nexthop\n"
                          "smtp_tls_mandatory_protocols = %s\n",
                          mandatory_protocols (account));
  if (ca_file_is_system (account))
    g_string_append (out, "# The system's CAs (Debian, Ubuntu; on Fedora the file is\n"
                          "# /etc/pki/tls/certs/ca-bundle.crt).\n");
  g_string_append_printf (out, "smtp_tls_CAfile = %s\n", ca_file_or_system (account));
}

/* The relay connector path: no sign-in, the tenant trusts this server's
 * public IP address or its certificate. */
static void
render_relay (StampExportContext *context,
              StampExportResult  *result,
              GString            *out)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  gboolean microsoft = stamp_export_context_is_microsoft365 (context);
  gboolean guessed = FALSE;
  const char *host = microsoft ? stamp_export_context_get_tenant_mx (context, &guessed) : NULL;

  if (host == NULL)
    host = stamp_account_get_host (account);

  g_string_append_printf (out,
                          "# Postfix settings for %s, made by Stamp:\n"
                          "# Postfix hands all outgoing mail to %s\n"
                          "# without signing in.\n"
                          ADD_LINES_COMMENT
                          "# Then run: sudo postfix reload\n\n",
                          address, host);
  if (microsoft)
    g_string_append (out,
                     "# Microsoft 365 relay: an inbound connector (\"From: your\n"
                     "# organization's email server\") must trust this server's static\n"
                     "# public IP address, or the certificate below. Senders must be in\n"
                     "# one of the tenant's accepted domains.\n");
  if (guessed)
    g_string_append_printf (out,
                            "# GUESSED from the domain: DNS did not say. Check with\n"
                            "#   dig +short MX %s\n",
                            stamp_export_domain (context));

  g_string_append_printf (out, "relayhost = [%s]:%u\n", host,
                          stamp_account_get_effective_port (account));
  append_tls (out, account);
  if (microsoft)
    g_string_append (out,
                     "# For a certificate connector, present a certificate whose\n"
                     "# subject is the domain the connector names:\n"
                     "#smtp_tls_cert_file = /etc/postfix/relay-cert.pem\n"
                     "#smtp_tls_key_file = /etc/postfix/relay-key.pem\n");

  if (microsoft)
    stamp_export_result_add_note (result,
                                  _("The relay connector must be set up in the Exchange "
                                    "admin center first, for this server’s static public IP "
                                    "address or its certificate; senders must be in one of "
                                    "the tenant’s domains."));
  if (guessed)
    stamp_export_result_add_note (result,
                                  _("The tenant’s MX host was guessed from the domain, "
                                    "because DNS did not say; check it before relying on it."));
}

static void
render_sign_in (StampExportContext *context,
                StampExportResult  *result,
                GString            *out)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  gboolean oauth = stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH;
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  g_autofree char *relayhost = submission_relayhost (account);

  g_string_append_printf (out,
                          "# Postfix settings for %s, made by Stamp:\n"
                          "# Postfix hands all outgoing mail to %s,\n"
                          "# signed in as %s.\n"
                          ADD_LINES_COMMENT
                          "#\n",
                          address, stamp_account_get_host (account),
                          stamp_export_username (context));
  stamp_export_append_graph_comment (out, context, "#", "Postfix");
  if (oauth)
    g_string_append (out,
                     "# Postfix signs in with OAuth through the sasl-xoauth2 plugin:\n"
                     "# install it (package sasl-xoauth2), and export \"sasl-xoauth2\"\n"
                     "# for its settings and token file.\n");
  else
    g_string_append (out,
                     "# Postfix signs in through Cyrus SASL: install libsasl2-modules\n"
                     "# (Debian, Ubuntu) or cyrus-sasl-plain (Fedora).\n");
  g_string_append_printf (out,
                          "# The sign-in goes in %s, which only root may read:\n"
                          "#   stamp-cli export postfix-sasl-passwd --account %s \\\n"
                          "#       -o sasl_passwd\n"
                          "#   sudo install -m 600 sasl_passwd %s\n"
                          "#   sudo postmap hash:%s\n"
                          "# Then run: sudo postfix reload\n\n",
                          SASL_PASSWD_PATH, address, SASL_PASSWD_PATH, SASL_PASSWD_PATH);

  g_string_append_printf (out, "relayhost = %s\n", relayhost);
  g_string_append (out, "smtp_sasl_auth_enable = yes\n");
  g_string_append_printf (out, "smtp_sasl_password_maps = hash:%s\n", SASL_PASSWD_PATH);
  if (oauth)
    {
      g_string_append (out, "smtp_sasl_security_options =\n");
      g_string_append (out, "smtp_sasl_mechanism_filter = xoauth2\n");
    }
  else
    {
      StampAuthMechanism mechanism = stamp_account_get_auth_mechanism (account);

      g_string_append (out, "smtp_sasl_security_options = noanonymous\n");
      g_string_append (out, "smtp_sasl_tls_security_options = noanonymous\n");
      if (mechanism == STAMP_AUTH_PLAIN || mechanism == STAMP_AUTH_LOGIN)
        g_string_append_printf (out, "smtp_sasl_mechanism_filter = %s\n",
                                mechanism == STAMP_AUTH_PLAIN ? "plain" : "login");
    }
  append_tls (out, account);
  if (ehlo_name != NULL && *ehlo_name != '\0')
    g_string_append_printf (out, "smtp_helo_name = %s\n", ehlo_name);

  if (stamp_export_context_is_microsoft365 (context))
    {
      /* Without this, mail from root@host or a web app is refused with
       * 550 5.7.60 SendAsDenied. */
      g_string_append_printf (out,
                              "# Microsoft 365 takes mail only from the mailbox that signed\n"
                              "# in (or an address it may send as) and refuses any other\n"
                              "# sender with 5.7.60. This makes every sender %s;\n"
                              "# to rewrite only some, use a table in sender_canonical_maps\n"
                              "# or smtp_generic_maps instead.\n"
                              "sender_canonical_maps = static:%s\n",
                              address, address);
      stamp_export_result_add_note (result,
                                    _("Microsoft 365 refuses senders other than the mailbox "
                                      "(5.7.60), so these settings make Postfix send "
                                      "everything as the mailbox’s address "
                                      "(sender_canonical_maps)."));
    }

  stamp_export_result_add_note (result,
                                _("The password map goes in /etc/postfix/sasl_passwd: export "
                                  "“postfix-sasl-passwd” for it, then run postmap."));
}

static gboolean
render_postfix (StampExportContext  *context,
                StampExportResult   *result,
                GError             **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_NONE)
    render_relay (context, result, out);
  else
    render_sign_in (context, result, out);

  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_postfix = {
  .id = "postfix",
  .title = N_("Postfix"),
  .description = N_("Lines for Postfix’s main.cf that relay all mail through this account"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "postfix-main.cf",
  .mime_type = "text/plain",
  .needs_tenant_mx = TRUE,
  .render = render_postfix,
};

/* The SASL password map: "[host]:port user:password", or for OAuth the
 * path of sasl-xoauth2's token file in place of the password. */
static gboolean
render_sasl_passwd (StampExportContext  *context,
                    StampExportResult   *result,
                    GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  gboolean oauth = stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH;
  g_autofree char *relayhost = submission_relayhost (account);
  g_autofree char *token_path = token_file (context);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *value;

  g_string_append_printf (out,
                          "# Postfix SASL password map for %s, made by Stamp.\n"
                          "# Save as %s, readable only by root, and build the map:\n"
                          "#   sudo install -m 600 sasl_passwd %s\n"
                          "#   sudo postmap hash:%s\n"
                          "# The key must be relayhost from main.cf exactly, brackets\n"
                          "# and port included.\n",
                          address, SASL_PASSWD_PATH, SASL_PASSWD_PATH, SASL_PASSWD_PATH);

  if (oauth)
    {
      g_string_append_printf (out,
                              "# sasl-xoauth2 reads and refreshes the tokens in %s;\n"
                              "# when Postfix's smtp runs chrooted, that file is\n"
                              "# %s/%s.\n",
                              token_path, TOKEN_DIR_CHROOT, address);
      value = token_path;
      stamp_export_result_add_note (result,
                                    _("sasl-xoauth2 needs its own settings and a token file too: "
                                      "export “sasl-xoauth2”."));
    }
  else
    {
      value = stamp_export_secret_or_placeholder (context, result);
      /* postmap reads one line per entry and trims its end. */
      if (strpbrk (value, "\r\n") != NULL || g_ascii_isspace (value[strlen (value) - 1]))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                       _("The password ends in a blank or contains a line break, which a "
                         "Postfix map cannot hold; export without the password and type it "
                         "into the file"));
          return FALSE;
        }
      if (stamp_export_context_get_secret (context) == NULL)
        g_string_append (out, "# Replace the placeholder after the colon with the password.\n");
    }

  g_string_append_printf (out, "%s %s:%s\n", relayhost, stamp_export_username (context), value);

  /* Always: the person pastes the password into this very file. */
  stamp_export_result_set_private (result, TRUE);
  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_postfix_sasl_passwd = {
  .id = "postfix-sasl-passwd",
  .title = N_("Postfix SASL password map"),
  .description = N_("The /etc/postfix/sasl_passwd line for the Postfix settings"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_PASSWORD | STAMP_EXPORT_AUTH_OAUTH,
  .file_name = "sasl_passwd",
  .mime_type = "text/plain",
  .uses_secret = TRUE,
  .render = render_sasl_passwd,
};

/* sasl-xoauth2 refreshes the access token with the same app registration
 * that got the refresh token: Stamp's, for this account. */
typedef struct
{
  char     *client_id;      /* NULL when Stamp has none */
  char     *client_secret;  /* NULL when one is needed but unknown */
  char     *token_endpoint;
  char     *tenant;         /* NULL when the provider has none */
  gboolean  google;
  gboolean  usgov;
} OAuthApp;

static void
oauth_app_clear (OAuthApp *app)
{
  g_clear_pointer (&app->client_id, g_free);
  g_clear_pointer (&app->client_secret, g_free);
  g_clear_pointer (&app->token_endpoint, g_free);
  g_clear_pointer (&app->tenant, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OAuthApp, oauth_app_clear)

static gboolean
check_sasl_xoauth2 (StampExportContext  *context,
                    GError             **error)
{
  StampProvider *provider = stamp_export_context_get_provider (context);

  if (provider == NULL || stamp_provider_get_oauth (provider) == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   _("Stamp does not know where %s gets its OAuth tokens from, so it cannot "
                     "set up sasl-xoauth2; choose the account’s provider first"),
                   stamp_export_from_address (context));
      return FALSE;
    }

  return TRUE;
}

static void
find_oauth_app (StampExportContext *context,
                OAuthApp           *app)
{
  StampAccount *account = stamp_export_context_get_account (context);
  StampProvider *provider = stamp_export_context_get_provider (context);
  const StampProviderOAuth *oauth = stamp_provider_get_oauth (provider);
  const char *tenant = stamp_account_get_oauth_tenant (account);
  g_autoptr(StampOAuthConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  app->google = g_strcmp0 (oauth->registration, "google") == 0;
  app->usgov = g_strcmp0 (oauth->registration, "microsoft-usgov") == 0;
  app->tenant = g_strdup (tenant != NULL ? tenant : oauth->tenant);

  config = stamp_oauth_config_new_for_account (account, &error);
  if (config != NULL)
    {
      app->client_id = g_strdup (stamp_oauth_config_get_client_id (config));
      app->client_secret = g_strdup (stamp_oauth_config_get_client_secret (config));
      app->token_endpoint = g_strdup (stamp_oauth_config_get_token_url (config));
    }
  else
    {
      g_autoptr(GString) url = g_string_new (oauth->token_url);

      g_debug ("No OAuth settings for %s: %s", stamp_account_get_address (account), error->message);
      if (app->tenant != NULL)
        g_string_replace (url, "{tenant}", app->tenant, 0);
      app->token_endpoint = g_string_free (g_steal_pointer (&url), FALSE);
    }

  /* Microsoft's desktop registrations are public clients: no secret. */
  if (!app->google && app->client_secret == NULL)
    app->client_secret = g_strdup ("");
}

static void
add_token_tool_note (StampExportContext *context,
                     StampExportResult  *result,
                     const OAuthApp     *app)
{
  g_autofree char *path = token_file (context);
  g_autofree char *command = NULL;
  g_autofree char *note = NULL;
  const char *client_id = app->client_id != NULL ? app->client_id : "CLIENT_ID";

  if (app->google)
    command = g_strdup_printf ("sasl-xoauth2-tool get-token gmail %s --client-id=%s "
                               "--client-secret=CLIENT_SECRET --scope=https://mail.google.com/",
                               path, client_id);
  else
    command = g_strdup_printf ("sasl-xoauth2-tool get-token outlook %s --client-id=%s "
                               "--tenant=%s%s --use-device-flow",
                               path, client_id, app->tenant != NULL ? app->tenant : "common",
                               app->usgov ? " --cloud=usgov" : "");

  /* Translators: the first %s is a file, the second a command. */
  note = g_strdup_printf (_("sasl-xoauth2 also needs a token file, %s (under /var/spool/postfix "
                            "when Postfix’s smtp runs chrooted), writable by the user postfix. "
                            "Export this again with the secret included to get one holding "
                            "Stamp’s sign-in, or sign in for it with: %s"),
                          path, command);
  stamp_export_result_add_note (result, note);
}

static gboolean
render_sasl_xoauth2 (StampExportContext  *context,
                     StampExportResult   *result,
                     GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *host = stamp_account_get_host (account);
  const char *secret = stamp_export_context_get_secret (context);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(OAuthApp) app = { NULL };
  g_autofree char *json = NULL;
  GString *text;

  find_oauth_app (context, &app);

  json_builder_begin_object (builder);
  if (secret != NULL)
    {
      /* The token file: sasl-xoauth2 takes the client settings in it over
       * those in /etc/sasl-xoauth2.conf, so it stands on its own. */
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, stamp_export_secret_or_placeholder (context, result));
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "expiry");
      json_builder_add_string_value (builder, "0");
    }
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, app.client_id != NULL ? app.client_id
                                                                 : "PASTE-CLIENT-ID-HERE");
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, app.client_secret != NULL ? app.client_secret
                                                                     : "PASTE-CLIENT-SECRET-HERE");
  json_builder_set_member_name (builder, "token_endpoint");
  json_builder_add_string_value (builder, app.token_endpoint);
  /* sasl-xoauth2's README: High Volume Email refuses tokens close to expiry. */
  if (g_str_has_prefix (host, "smtp-hve.") || g_str_has_suffix (host, ".hve.mx.microsoft"))
    {
      json_builder_set_member_name (builder, "refresh_window");
      json_builder_add_int_value (builder, 600);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json = json_generator_to_data (generator, NULL);
  text = g_string_new (json);
  g_string_append_c (text, '\n');

  if (app.client_id == NULL)
    stamp_export_result_add_note (result,
                                  _("Stamp has no app registration (client id) for this account: "
                                    "put the client id you sign in with in client_id."));
  if (app.client_secret == NULL)
    stamp_export_result_add_note (result,
                                  _("Google wants the app registration’s client secret too: "
                                    "put it in client_secret."));

  if (secret != NULL)
    {
      g_autofree char *path = token_file (context);
      g_autofree char *note = NULL;

      stamp_export_result_set_file_name (result, stamp_export_from_address (context));
      note = g_strdup_printf (_("This is sasl-xoauth2’s token file, holding Stamp’s sign-in: "
                                "install it as %s (%s/%s when Postfix’s smtp runs chrooted), "
                                "owned by the user postfix and readable by nobody else. "
                                "sasl-xoauth2 still needs /etc/sasl-xoauth2.conf: export this "
                                "without the secret for it."),
                              path, TOKEN_DIR_CHROOT, stamp_export_from_address (context));
      stamp_export_result_add_note (result, note);
      stamp_export_result_add_note (result,
                                    _("The file’s sign-in lasts until it is revoked with the "
                                      "provider; signing out of Stamp does not withdraw it."));
    }
  else
    {
      stamp_export_result_add_note (result,
                                    _("Save this as /etc/sasl-xoauth2.conf; it is JSON, which "
                                      "has no comments, so these notes are all the explanation "
                                      "it gets."));
      add_token_tool_note (context, result, &app);
    }

  stamp_export_result_take_text (result, text);
  return TRUE;
}

const StampExporterSpec stamp_export_sasl_xoauth2 = {
  .id = "sasl-xoauth2",
  .title = N_("sasl-xoauth2 for Postfix"),
  .description = N_("The settings (or, with the secret, the token file) of the OAuth "
                    "plugin Postfix signs in with"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_OAUTH,
  .file_name = "sasl-xoauth2.conf",
  .mime_type = "application/json",
  .uses_refresh_token = TRUE,
  .check = check_sasl_xoauth2,
  .render = render_sasl_xoauth2,
};

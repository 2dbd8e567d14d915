/* stamp-oauth-config.c
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

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-oauth-config.h"
#include "stamp-oauth-private.h"
#include "stamp-provider-db.h"
#include "stamp-util.h"

/**
 * StampOAuthConfig:
 *
 * Everything needed to get a token for one account: the provider's
 * endpoints with the account's tenant filled in (and its authority, when
 * it names one, in place of the provider's), the scopes, and the client
 * id of the app registration to sign in with.
 *
 * The client id is the account's own (an organization's registration) or
 * else the one this build was configured with. Without either there is no
 * way to sign in, and the error says how to register an app.
 */

/* Where the admin consent page sends the browser afterwards: the
 * loopback address the app registration lists for the sign-in (the port
 * does not matter to Entra; nothing needs to listen). */
#define STAMP_OAUTH_CONSENT_REDIRECT_URI "http://localhost"

struct _StampOAuthConfig
{
  GObject  parent_instance;

  char    *provider_name;
  char    *registration;
  char    *authorize_url;
  char    *token_url;
  char    *device_url;
  char    *client_id;
  char    *client_secret;
  char    *login_hint;
  GStrv    scopes;
  GStrv    graph_scopes;
  GStrv    authorize_params;
  char    *admin_consent_url;

  StampTokenResource resource;
};

G_DEFINE_FINAL_TYPE (StampOAuthConfig, stamp_oauth_config, G_TYPE_OBJECT)

static void
stamp_oauth_config_finalize (GObject *object)
{
  StampOAuthConfig *self = (StampOAuthConfig *)object;

  g_free (self->provider_name);
  g_free (self->registration);
  g_free (self->authorize_url);
  g_free (self->token_url);
  g_free (self->device_url);
  g_free (self->client_id);
  stamp_secret_free (self->client_secret);
  g_free (self->login_hint);
  g_strfreev (self->scopes);
  g_strfreev (self->graph_scopes);
  g_strfreev (self->authorize_params);
  g_free (self->admin_consent_url);

  G_OBJECT_CLASS (stamp_oauth_config_parent_class)->finalize (object);
}

static void
stamp_oauth_config_class_init (StampOAuthConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_oauth_config_finalize;
}

static void
stamp_oauth_config_init (StampOAuthConfig *self)
{
}

/* A tenant goes into the URL's path, so it may only be a name, a GUID or
 * a domain. */
static gboolean
is_tenant_name (const char *tenant)
{
  if (tenant == NULL || *tenant == '\0' || strlen (tenant) > 253)
    return FALSE;

  for (const char *c = tenant; *c != '\0'; c++)
    {
      if (!g_ascii_isalnum (*c) && *c != '-' && *c != '.' && *c != '_')
        return FALSE;
    }

  return tenant[0] != '.';
}

/* Puts @url's path and query under @authority's scheme, host, port and
 * path: https://login.microsoftonline.com/x/token with the authority
 * http://127.0.0.1:8080 becomes http://127.0.0.1:8080/x/token. */
static char *
rebase_url (const char *url,
            GUri       *authority)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) rebased = NULL;
  g_autofree char *base_path = NULL;
  g_autofree char *path = NULL;

  if (url == NULL || authority == NULL)
    return g_strdup (url);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strdup (url);

  base_path = g_strdup (g_uri_get_path (authority));
  while (g_str_has_suffix (base_path, "/"))
    base_path[strlen (base_path) - 1] = '\0';
  path = g_strconcat (base_path, g_uri_get_path (uri), NULL);

  rebased = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (authority), NULL,
                         g_uri_get_host (authority), g_uri_get_port (authority),
                         path, g_uri_get_query (uri), NULL);

  return g_uri_to_string (rebased);
}

static char *
expand_url (const char *url,
            const char *tenant,
            GUri       *authority)
{
  g_autoptr(GString) expanded = NULL;

  if (url == NULL)
    return NULL;

  expanded = g_string_new (url);
  if (tenant != NULL)
    g_string_replace (expanded, "{tenant}", tenant, 0);

  return rebase_url (expanded->str, authority);
}

/* Entra's admin consent endpoint sits next to the authorize endpoint:
 * {authority}/{tenant}/v2.0/adminconsent. A consent is given for a tenant,
 * so a provider's “common” or “consumers” becomes “organizations”. */
static char *
build_admin_consent_url (const StampProviderOAuth *oauth,
                         const char               *account_tenant,
                         GUri                     *authority)
{
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  const char *suffix = "/oauth2/v2.0/authorize";
  const char *tenant = account_tenant;

  if (!g_str_has_prefix (oauth->registration, "microsoft")
      || !g_str_has_suffix (oauth->authorize_url, suffix))
    return NULL;

  if (tenant == NULL || g_strcmp0 (tenant, "common") == 0 || g_strcmp0 (tenant, "consumers") == 0)
    tenant = "organizations";

  base = g_strndup (oauth->authorize_url, strlen (oauth->authorize_url) - strlen (suffix));
  url = g_strconcat (base, "/v2.0/adminconsent", NULL);

  return expand_url (url, tenant, authority);
}

/**
 * stamp_oauth_config_new:
 * @provider: the account's provider, which must offer OAuth
 * @account: the account to sign in
 * @error: where to put an error
 *
 * Resolves where and how @account signs in.
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL with
 *   %STAMP_ERROR_OAUTH_NO_CLIENT when there is no client id (the message
 *   gives the registration steps), or %STAMP_ERROR_INVALID_INPUT for an
 *   unusable tenant or authority
 */
StampOAuthConfig *
stamp_oauth_config_new (StampProvider  *provider,
                        StampAccount   *account,
                        GError        **error)
{
  g_autoptr(StampOAuthConfig) self = NULL;
  g_autoptr(GUri) authority = NULL;
  const StampProviderOAuth *oauth;
  const char *tenant;
  const char *client_id;

  g_return_val_if_fail (STAMP_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  oauth = stamp_provider_get_oauth (provider);
  if (oauth == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   _("%s does not offer OAuth sign-in for sending mail"),
                   stamp_provider_get_name (provider));
      return NULL;
    }

  if (!stamp_account_validate (account, error))
    return NULL;

  if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH && oauth->graph_url == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   _("%s does not offer sending through Microsoft Graph; send with SMTP instead"),
                   stamp_provider_get_name (provider));
      return NULL;
    }

  tenant = stamp_account_get_oauth_tenant (account);
  if (tenant == NULL)
    tenant = oauth->tenant;
  if (tenant != NULL && !is_tenant_name (tenant))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a tenant: give a tenant ID, a domain such as contoso.com, "
                     "or organizations, common or consumers"), tenant);
      return NULL;
    }

  if (stamp_account_get_oauth_authority (account) != NULL)
    authority = g_uri_parse (stamp_account_get_oauth_authority (account), G_URI_FLAGS_ENCODED, NULL);

  client_id = stamp_account_get_oauth_client_id (account);
  if (client_id == NULL || *client_id == '\0')
    client_id = _stamp_oauth_build_client_id (oauth->registration);
  if (*client_id == '\0')
    {
      g_autofree char *steps = stamp_oauth_provider_registration_steps (provider);

      g_set_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_NO_CLIENT,
                   _("This copy of Stamp has no app registration for signing in to %s. "
                     "Use your organization’s own app registration (ask your IT administrator for its client ID), "
                     "or create one.\n\n%s"),
                   stamp_provider_get_name (provider), steps);
      return NULL;
    }

  self = g_object_new (STAMP_TYPE_OAUTH_CONFIG, NULL);
  self->provider_name = g_strdup (stamp_provider_get_name (provider));
  self->registration = g_strdup (oauth->registration);
  self->authorize_url = expand_url (oauth->authorize_url, tenant, authority);
  self->token_url = expand_url (oauth->token_url, tenant, authority);
  self->device_url = expand_url (oauth->device_url, tenant, authority);
  self->client_id = g_strdup (client_id);
  self->login_hint = g_strdup (stamp_account_get_address (account));
  self->scopes = g_strdupv (oauth->scopes);
  self->graph_scopes = g_strdupv (oauth->graph_scopes);
  self->authorize_params = g_strdupv (oauth->authorize_params);
  self->resource = stamp_account_get_token_resource (account);
  self->admin_consent_url = build_admin_consent_url (oauth, stamp_account_get_oauth_tenant (account),
                                                     authority);

  /* Google's desktop clients need their (not confidential) secret; the
   * build's goes with the build's client id only. */
  if (stamp_account_get_oauth_client_id (account) == NULL
      && g_strcmp0 (oauth->registration, "google") == 0
      && *STAMP_GOOGLE_CLIENT_SECRET != '\0')
    self->client_secret = g_strdup (STAMP_GOOGLE_CLIENT_SECRET);

  return g_steal_pointer (&self);
}

/**
 * stamp_oauth_config_new_for_account:
 * @account: the account to sign in
 * @error: where to put an error
 *
 * Like stamp_oauth_config_new(), with the provider the account names
 * looked up in the built-in provider database.
 *
 * Returns: (transfer full) (nullable): the configuration
 */
StampOAuthConfig *
stamp_oauth_config_new_for_account (StampAccount  *account,
                                    GError       **error)
{
  const char *provider_id;
  StampProvider *provider;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  provider_id = stamp_account_get_provider_id (account);
  provider = provider_id != NULL
             ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (), provider_id)
             : NULL;

  if (provider == NULL || stamp_provider_get_oauth (provider) == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   _("Stamp does not know how to sign in to %s with OAuth; choose a provider "
                     "that offers it, such as Microsoft 365, Outlook.com or Google"),
                   stamp_account_get_address (account));
      return NULL;
    }

  return stamp_oauth_config_new (provider, account, error);
}

const char *
stamp_oauth_config_get_provider_name (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->provider_name;
}

const char *
stamp_oauth_config_get_registration (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->registration;
}

const char *
stamp_oauth_config_get_authorize_url (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->authorize_url;
}

const char *
stamp_oauth_config_get_token_url (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->token_url;
}

/**
 * stamp_oauth_config_get_device_url:
 * @self: a #StampOAuthConfig
 *
 * Returns: (nullable): the device authorization endpoint, or %NULL when the
 *   provider does not allow the device code sign-in for mail
 */
const char *
stamp_oauth_config_get_device_url (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->device_url;
}

const char *
stamp_oauth_config_get_client_id (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->client_id;
}

/**
 * stamp_oauth_config_get_client_secret:
 * @self: a #StampOAuthConfig
 *
 * Returns: (nullable): the client secret sent to the token endpoint, for
 *   providers that want one from desktop apps (Google)
 */
const char *
stamp_oauth_config_get_client_secret (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->client_secret;
}

void
stamp_oauth_config_set_client_secret (StampOAuthConfig *self,
                                      const char       *client_secret)
{
  g_return_if_fail (STAMP_IS_OAUTH_CONFIG (self));

  stamp_clear_secret (&self->client_secret);
  self->client_secret = g_strdup (client_secret);
}

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (query, query->len == 0 ? '?' : '&');
  g_string_append_printf (query, "%s=%s", name, escaped);
}

/* Adds @scopes to @list, each once, whatever the lists share
 * (offline_access). */
static void
add_scopes (GPtrArray          *list,
            const char * const *scopes)
{
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      if (!g_ptr_array_find_with_equal_func (list, scopes[i], g_str_equal, NULL))
        g_ptr_array_add (list, (gpointer) scopes[i]);
    }
}

/**
 * stamp_oauth_config_dup_scope:
 * @self: a #StampOAuthConfig
 *
 * What the authorize request (and the device code request) asks the
 * person to consent to. For an SMTP account, the provider's SMTP scopes;
 * for a Graph account, the Graph scopes and the SMTP scopes too, so that
 * switching back to SMTP needs no new sign-in (one refresh token serves
 * both resources). Token requests ask one resource's scopes only: see
 * stamp_oauth_config_dup_token_scope().
 *
 * Returns: (transfer full): the scopes, space-separated as OAuth sends them
 */
char *
stamp_oauth_config_dup_scope (StampOAuthConfig *self)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);

  if (self->resource == STAMP_TOKEN_RESOURCE_GRAPH)
    add_scopes (list, (const char * const *) self->graph_scopes);
  add_scopes (list, (const char * const *) self->scopes);
  g_ptr_array_add (list, NULL);

  return g_strjoinv (" ", (GStrv) list->pdata);
}

/**
 * stamp_oauth_config_get_resource:
 * @self: a #StampOAuthConfig
 *
 * Returns: the resource the account sends with, whose scopes the code
 *   redemption asks for: %STAMP_TOKEN_RESOURCE_GRAPH for a Graph account
 */
StampTokenResource
stamp_oauth_config_get_resource (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), STAMP_TOKEN_RESOURCE_SMTP);
  return self->resource;
}

/**
 * stamp_oauth_config_dup_token_scope:
 * @self: a #StampOAuthConfig
 * @resource: the resource the token is for
 *
 * What a token request (code redemption, device code poll, refresh) asks
 * for: @resource's scopes only, never two resources' at once (Entra
 * refuses that with AADSTS70011/AADSTS700022).
 *
 * Returns: (transfer full) (nullable): the scopes, space-separated, or
 *   %NULL when the provider has no Graph
 */
char *
stamp_oauth_config_dup_token_scope (StampOAuthConfig   *self,
                                    StampTokenResource  resource)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);

  if (resource == STAMP_TOKEN_RESOURCE_GRAPH)
    return self->graph_scopes != NULL ? g_strjoinv (" ", self->graph_scopes) : NULL;

  return g_strjoinv (" ", self->scopes);
}

/**
 * stamp_oauth_config_dup_admin_consent_url:
 * @self: a #StampOAuthConfig
 * @error: where to put an error
 *
 * The address where an administrator of the account's organization grants
 * the permissions this app asks for, for everyone in it: Entra's
 * `{tenant}/v2.0/adminconsent` with the client id, the scopes the account
 * needs for its sending method, and the redirect address the app
 * registration allows (`http://localhost`, where nothing needs to answer:
 * the consent is given before the browser gets there). The tenant is the
 * account's, else “organizations”; an authority override is respected.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with
 *   %STAMP_ERROR_AUTH_UNSUPPORTED for a provider without admin consent
 *   (Google)
 */
char *
stamp_oauth_config_dup_admin_consent_url (StampOAuthConfig  *self,
                                          GError           **error)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *scope = NULL;

  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);

  if (self->admin_consent_url == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                   _("%s has no administrator consent; each person agrees to the "
                     "permissions when signing in"),
                   self->provider_name);
      return NULL;
    }

  scope = stamp_oauth_config_dup_scope (self);
  append_param (query, "client_id", self->client_id);
  append_param (query, "scope", scope);
  append_param (query, "redirect_uri", STAMP_OAUTH_CONSENT_REDIRECT_URI);

  return g_strconcat (self->admin_consent_url, query->str, NULL);
}

/**
 * stamp_oauth_config_dup_admin_consent_request:
 * @self: a #StampOAuthConfig
 * @address: the address of the account that needs the consent
 *
 * Plain words a person sends to their administrator: which app (its client
 * id), which permissions, the link (stamp_oauth_config_dup_admin_consent_url())
 * and what to click there.
 *
 * Returns: (transfer full): the translated text
 */
char *
stamp_oauth_config_dup_admin_consent_request (StampOAuthConfig *self,
                                              const char       *address)
{
  g_autofree char *url = NULL;
  g_autoptr(GString) permissions = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *scope = NULL;

  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  /* Only the permissions themselves: “SMTP.Send” and “Mail.Send”, not the
   * resource addresses or offline_access, which every sign-in has. */
  scope = stamp_oauth_config_dup_scope (self);
  scopes = g_strsplit (scope, " ", -1);
  for (guint i = 0; scopes[i] != NULL; i++)
    {
      const char *name = strrchr (scopes[i], '/');

      if (name == NULL)
        continue;
      if (permissions->len > 0)
        g_string_append (permissions, ", ");
      g_string_append (permissions, name + 1);
    }

  url = stamp_oauth_config_dup_admin_consent_url (self, &error);
  if (url == NULL)
    return g_strdup (error->message);

  /* TRANSLATORS: a message a person sends to their IT administrator. The
   * first %s is an email address, the second the app's client id (a GUID),
   * the third permission names such as “Mail.Send, SMTP.Send”, the fourth
   * a link. “Accept” is the button on Microsoft's consent page. */
  return g_strdup_printf (_("Hello,\n\n"
                            "To send mail from %s with Stamp, the app needs an administrator’s "
                            "consent in our Microsoft 365 organization.\n\n"
                            "App (client) ID: %s\n"
                            "Permissions (delegated): %s\n\n"
                            "Please open this link, sign in with an administrator account, check "
                            "the permissions listed and choose “Accept”:\n%s\n\n"
                            "This lets people in the organization sign in to Stamp for sending "
                            "their own mail only. Thank you."),
                          address, self->client_id, permissions->str, url);
}

/**
 * stamp_account_get_token_resource:
 * @account: a #StampAccount
 *
 * Returns: the resource @account's access token is for:
 *   %STAMP_TOKEN_RESOURCE_GRAPH for the Graph method, else SMTP
 */
StampTokenResource
stamp_account_get_token_resource (StampAccount *account)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), STAMP_TOKEN_RESOURCE_SMTP);

  return stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH
         ? STAMP_TOKEN_RESOURCE_GRAPH : STAMP_TOKEN_RESOURCE_SMTP;
}

const char *
stamp_oauth_config_get_login_hint (StampOAuthConfig *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);
  return self->login_hint;
}

/**
 * stamp_oauth_config_build_authorize_uri:
 * @self: a #StampOAuthConfig
 * @redirect_uri: where the browser comes back to
 * @state: the unguessable value that ties the answer to this request
 * @code_challenge: the PKCE S256 challenge
 *
 * Returns: (transfer full): the address to open in the browser
 */
char *
stamp_oauth_config_build_authorize_uri (StampOAuthConfig *self,
                                        const char       *redirect_uri,
                                        const char       *state,
                                        const char       *code_challenge)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *scope = NULL;

  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (self), NULL);

  scope = stamp_oauth_config_dup_scope (self);
  append_param (query, "client_id", self->client_id);
  append_param (query, "response_type", "code");
  append_param (query, "redirect_uri", redirect_uri);
  append_param (query, "response_mode", "query");
  append_param (query, "scope", scope);
  append_param (query, "state", state);
  append_param (query, "code_challenge", code_challenge);
  append_param (query, "code_challenge_method", "S256");
  append_param (query, "login_hint", self->login_hint);

  for (guint i = 0; self->authorize_params != NULL && self->authorize_params[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (self->authorize_params[i], "=", 2);

      append_param (query, pair[0], pair[1]);
    }

  return g_strconcat (self->authorize_url, query->str, NULL);
}

/* stamp-account-sending.c
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

/* StampAccount: how the account hands its mail over (SMTP or Microsoft
 * Graph), the Graph address, where it signs in with OAuth (tenant, client
 * id, authority), and when the client secret of its own app
 * registration expires. Apart from stamp-account.c, which holds the object
 * and the SMTP settings, to keep each file short. */

#define G_LOG_DOMAIN "stamp-account"

#include "config.h"

#include "stamp-account-private.h"
#include "stamp-provider-db.h"

StampSendMethod
stamp_account_get_method (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), STAMP_SEND_METHOD_SMTP);

  return self->method;
}

/**
 * stamp_account_set_method:
 * @self: a #StampAccount
 * @method: how the account sends: SMTP, or Microsoft Graph (which needs
 *   an OAuth sign-in; see stamp_account_validate())
 */
void
stamp_account_set_method (StampAccount    *self,
                          StampSendMethod  method)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (method <= STAMP_SEND_METHOD_GRAPH);

  if (self->method == method)
    return;

  self->method = method;
  _stamp_account_notify (self, PROP_METHOD);
}

/**
 * stamp_account_get_graph_url:
 * @self: a #StampAccount
 *
 * Returns: (nullable): the account's own Microsoft Graph address, or %NULL
 *   for the provider's; see stamp_account_dup_effective_graph_url()
 */
const char *
stamp_account_get_graph_url (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->graph_url;
}

/**
 * stamp_account_set_graph_url:
 * @self: a #StampAccount
 * @graph_url: (nullable): a Graph base address such as
 *   “https://graph.microsoft.com/v1.0”; https, or plain http to this
 *   computer only (a test server); %NULL for the provider's
 */
void
stamp_account_set_graph_url (StampAccount *self,
                             const char   *graph_url)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_GRAPH_URL, graph_url);
}

/**
 * stamp_account_dup_effective_graph_url:
 * @self: a #StampAccount
 *
 * The Graph base address a send uses: the account's own, else its
 * provider's (the national clouds have their own), else
 * %STAMP_ACCOUNT_GRAPH_DEFAULT_URL.
 *
 * Returns: (transfer full): the address
 */
char *
stamp_account_dup_effective_graph_url (StampAccount *self)
{
  StampProvider *provider = NULL;
  const StampProviderOAuth *oauth = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  if (self->graph_url != NULL && *self->graph_url != '\0')
    return g_strdup (self->graph_url);

  if (self->provider_id != NULL)
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (), self->provider_id);
  if (provider != NULL)
    oauth = stamp_provider_get_oauth (provider);
  if (oauth != NULL && oauth->graph_url != NULL)
    return g_strdup (oauth->graph_url);

  return g_strdup (STAMP_ACCOUNT_GRAPH_DEFAULT_URL);
}

/**
 * stamp_account_get_client_secret_expires:
 * @self: a #StampAccount
 *
 * Returns: when the client secret of the account's own app registration
 *   expires, in Unix seconds at 00:00 UTC of that day, or 0 when unknown
 */
gint64
stamp_account_get_client_secret_expires (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  return self->client_secret_expires;
}

/**
 * stamp_account_set_client_secret_expires:
 * @self: a #StampAccount
 * @expires: Unix seconds; kept as the start (00:00 UTC) of that day, as the
 *   account file stores only the date; 0 forgets it
 */
void
stamp_account_set_client_secret_expires (StampAccount *self,
                                         gint64        expires)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (expires >= 0);

  expires -= expires % (24 * 60 * 60);
  if (self->client_secret_expires == expires)
    return;

  self->client_secret_expires = expires;
  _stamp_account_notify (self, PROP_CLIENT_SECRET_EXPIRES);
}

/* Where and with whose app registration the account signs in with OAuth. */

const char *
stamp_account_get_oauth_tenant (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_tenant;
}

/**
 * stamp_account_set_oauth_tenant:
 * @self: a #StampAccount
 * @tenant: (nullable): the Microsoft Entra tenant (“organizations”, a
 *   domain or a tenant id)
 */
void
stamp_account_set_oauth_tenant (StampAccount *self,
                                const char   *tenant)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_OAUTH_TENANT, tenant);
}

const char *
stamp_account_get_oauth_client_id (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_client_id;
}

/**
 * stamp_account_set_oauth_client_id:
 * @self: a #StampAccount
 * @client_id: (nullable): the OAuth client id to sign in with, when not
 *   the one Stamp was built with; a public id, never a client secret
 */
void
stamp_account_set_oauth_client_id (StampAccount *self,
                                   const char   *client_id)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_OAUTH_CLIENT_ID, client_id);
}

const char *
stamp_account_get_oauth_authority (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_authority;
}

/**
 * stamp_account_set_oauth_authority:
 * @self: a #StampAccount
 * @authority: (nullable): the identity provider's base address, when not
 *   the provider's usual one
 */
void
stamp_account_set_oauth_authority (StampAccount *self,
                                   const char   *authority)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_OAUTH_AUTHORITY, authority);
}

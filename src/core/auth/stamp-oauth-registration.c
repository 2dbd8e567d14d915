/* stamp-oauth-registration.c
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

/* Whose app registration an account signs in with: the build's own client
 * ids, the steps to make one, and a registration another saved account of
 * the same organization already uses. StampOAuthConfig reads the first. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-oauth-config.h"
#include "stamp-oauth-private.h"
#include "stamp-provider-db.h"
#include "stamp-util.h"

/* The build's own client id for @registration, or "" when it has none. */
const char *
_stamp_oauth_build_client_id (const char *registration)
{
  if (g_strcmp0 (registration, "microsoft") == 0)
    return STAMP_MICROSOFT_CLIENT_ID;
  if (g_strcmp0 (registration, "google") == 0)
    return STAMP_GOOGLE_CLIENT_ID;

  /* Government clouds need an app registered in that cloud; no build
   * carries one. */
  return "";
}

/**
 * stamp_oauth_registration_steps:
 * @registration: "microsoft", "microsoft-usgov", "microsoft-china" or "google"
 *
 * Gives the steps that register an app for signing in to SMTP, for a
 * person or their IT administrator to follow.
 *
 * Returns: (transfer full): the steps, one per line
 */
char *
stamp_oauth_registration_steps (const char *registration)
{
  if (g_strcmp0 (registration, "google") == 0)
    return g_strdup (_("To register an app with Google:\n"
                       "1. In the Google Cloud console, create a project and set up its OAuth consent screen; add the scope https://mail.google.com/.\n"
                       "2. Under Credentials, create an OAuth client ID of the type “Desktop app”.\n"
                       "3. Give Stamp the client ID, and the client secret on standard input:\n"
                       "   stamp-cli login ADDRESS --client-id ID --client-secret-stdin"));

  return g_strdup_printf (_("To register an app with Microsoft Entra ID (your IT administrator can do this once for everyone):\n"
                            "1. In the Microsoft Entra admin center (%s), open App registrations and choose New registration.\n"
                            "2. Under Redirect URI, choose the platform “Public client/native (mobile & desktop)” (“Mobile and desktop applications”) and enter http://localhost.\n"
                            "3. Under Authentication, set “Allow public client flows” to Yes, so the device code sign-in works too.\n"
                            "4. Under API permissions, add the delegated Microsoft Graph permission SMTP.Send (with offline_access), and Mail.Send for sending through Microsoft Graph, then grant admin consent.\n"
                            "5. Give Stamp the Application (client) ID and the Directory (tenant) ID:\n"
                            "   stamp-cli login ADDRESS --client-id ID --tenant TENANT"),
                          g_strcmp0 (registration, "microsoft-usgov") == 0 ? "portal.azure.us"
                          : g_strcmp0 (registration, "microsoft-china") == 0 ? "portal.azure.cn"
                          : "entra.microsoft.com");
}

/* Personal Microsoft accounts sign in through the "consumers" tenant and
 * need an app that allows them; work accounts need an Entra app. */
static gboolean
is_personal_microsoft (const StampProviderOAuth *oauth)
{
  return g_str_has_prefix (oauth->registration, "microsoft")
         && g_strcmp0 (oauth->tenant, "consumers") == 0;
}

/**
 * stamp_oauth_has_built_in_client:
 * @provider: a provider that offers OAuth
 *
 * Says whether this build carries a client id for @provider's
 * registrations (`-Dmicrosoft_client_id=…`, `-Dgoogle_client_id=…`), so
 * that signing in needs no organization's own.
 *
 * Returns: %TRUE if an account of @provider can sign in without a client id
 */
gboolean
stamp_oauth_has_built_in_client (StampProvider *provider)
{
  const StampProviderOAuth *oauth;

  g_return_val_if_fail (STAMP_IS_PROVIDER (provider), FALSE);

  oauth = stamp_provider_get_oauth (provider);

  return oauth != NULL && *_stamp_oauth_build_client_id (oauth->registration) != '\0';
}

/**
 * stamp_oauth_provider_registration_steps:
 * @provider: a provider that offers OAuth
 *
 * Like stamp_oauth_registration_steps(), for @provider's kind of account:
 * a personal Outlook.com account needs an app that allows personal
 * Microsoft accounts, a work account an app in its organization.
 *
 * Returns: (transfer full): the steps, one per line
 */
char *
stamp_oauth_provider_registration_steps (StampProvider *provider)
{
  const StampProviderOAuth *oauth;

  g_return_val_if_fail (STAMP_IS_PROVIDER (provider), NULL);

  oauth = stamp_provider_get_oauth (provider);
  if (oauth == NULL)
    return g_strdup ("");

  if (is_personal_microsoft (oauth))
    return g_strdup (_("To register an app for personal Microsoft accounts:\n"
                       "1. Sign in at entra.microsoft.com (or portal.azure.com) with any Microsoft account, open App registrations and choose New registration.\n"
                       "2. Under Supported account types, choose one that includes personal Microsoft accounts, such as “Personal Microsoft accounts only”.\n"
                       "3. Under Redirect URI, choose the platform “Public client/native (mobile & desktop)” and enter http://localhost.\n"
                       "4. Under Authentication, set “Allow public client flows” to Yes, so the device code sign-in works too.\n"
                       "5. Under API permissions, add the delegated permissions SMTP.Send and offline_access, and Mail.Send for sending through Microsoft Graph.\n"
                       "6. Give Stamp the Application (client) ID:\n"
                       "   stamp-cli login ADDRESS --client-id ID"));

  return stamp_oauth_registration_steps (oauth->registration);
}

/**
 * stamp_oauth_find_registration:
 * @accounts: (element-type StampAccount): the saved accounts
 * @address: the address of the account being set up
 * @provider: the provider it signs in with
 *
 * Finds the app registration to offer a new account: a client id entered
 * once serves every account of the same tenant. A saved account of the
 * same provider with its own client id counts when its address has the
 * same domain (an organization's tenant), or for any address when the
 * provider's tenant is fixed (personal Outlook.com accounts).
 *
 * Returns: (transfer none) (nullable): the saved account whose client id,
 *   tenant and sign-in service to reuse, or %NULL
 */
StampAccount *
stamp_oauth_find_registration (GListModel    *accounts,
                               const char    *address,
                               StampProvider *provider)
{
  const StampProviderOAuth *oauth;
  const char *domain;
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (accounts), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (STAMP_IS_PROVIDER (provider), NULL);

  oauth = stamp_provider_get_oauth (provider);
  domain = strrchr (address, '@');
  if (oauth == NULL || domain == NULL)
    return NULL;

  n_items = g_list_model_get_n_items (accounts);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(StampAccount) saved = g_list_model_get_item (accounts, i);
      const char *saved_domain = strrchr (stamp_account_get_address (saved), '@');

      if (stamp_account_get_oauth_client_id (saved) == NULL
          || g_strcmp0 (stamp_account_get_provider_id (saved), stamp_provider_get_id (provider)) != 0)
        continue;
      if (is_personal_microsoft (oauth)
          || (saved_domain != NULL && g_ascii_strcasecmp (saved_domain, domain) == 0))
        return saved;
    }

  return NULL;
}

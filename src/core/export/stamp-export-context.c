/* stamp-export-context.c
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

#define G_LOG_DOMAIN "stamp-export-context"

#include "config.h"

#include <string.h>

#include "stamp-export-context.h"
#include "stamp-provider-db.h"

/*
 * StampExportContext:
 *
 * Everything an exporter renders from: the account, its provider, and
 * what the person added for this export (the secret, only when they asked
 * for it; the device's vendor and abilities; the tenant's MX host; a web
 * site's address). Rendering only reads it, so the same context renders
 * every target and the output never depends on the network.
 */
struct _StampExportContext
{
  GObject              parent_instance;

  StampAccount        *account;
  StampProvider       *provider;
  char                *secret;
  char                *device_vendor;
  char                *tenant_mx;
  char                *incoming_host;
  char                *site_url;
  char                *token_command;
  StampExportRelay    *relay;  /* its strings owned, the password wiped */
  StampDeviceFeatures  device_features;
  guint                device_features_known : 1;
  guint                tenant_mx_guessed : 1;
};

G_DEFINE_FINAL_TYPE (StampExportContext, stamp_export_context, G_TYPE_OBJECT)

static void
relay_free (StampExportRelay *relay)
{
  g_free ((char *) relay->host);
  g_free ((char *) relay->user);
  if (relay->password != NULL)
    memset ((char *) relay->password, 0, strlen (relay->password));
  g_free ((char *) relay->password);
  g_free (relay);
}

static void
stamp_export_context_finalize (GObject *object)
{
  StampExportContext *self = (StampExportContext *)object;

  g_clear_object (&self->account);
  g_clear_object (&self->provider);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_clear_pointer (&self->secret, g_free);
  g_clear_pointer (&self->device_vendor, g_free);
  g_clear_pointer (&self->tenant_mx, g_free);
  g_clear_pointer (&self->incoming_host, g_free);
  g_clear_pointer (&self->site_url, g_free);
  g_clear_pointer (&self->token_command, g_free);
  g_clear_pointer (&self->relay, relay_free);

  G_OBJECT_CLASS (stamp_export_context_parent_class)->finalize (object);
}

static void
stamp_export_context_class_init (StampExportContextClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_export_context_finalize;
}

static void
stamp_export_context_init (StampExportContext *self)
{
  self->device_vendor = g_strdup ("generic");

  /* Inside a Flatpak, stamp-cli is not on the host's PATH: other programs
   * reach it through flatpak run. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    self->token_command = g_strdup ("flatpak run --command=stamp-cli " APP_ID " token");
  else
    self->token_command = g_strdup ("stamp-cli token");
}

/**
 * stamp_export_context_new:
 * @account: the account to export
 *
 * Returns: (transfer full): a context for @account, with its provider
 *   looked up in the provider database
 */
StampExportContext *
stamp_export_context_new (StampAccount *account)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  StampProvider *provider = NULL;
  StampExportContext *self;
  const char *provider_id;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  self = g_object_new (STAMP_TYPE_EXPORT_CONTEXT, NULL);
  self->account = g_object_ref (account);

  /* An account saved with only a host still gets its provider's paths
   * and notes: smtp.office365.com is Microsoft 365 whatever the domain. */
  provider_id = stamp_account_get_provider_id (account);
  if (provider_id != NULL)
    provider = stamp_provider_db_lookup_id (db, provider_id);
  else if (stamp_account_get_host (account) != NULL)
    provider = stamp_provider_db_lookup_host (db, stamp_account_get_host (account));
  if (provider != NULL)
    self->provider = g_object_ref (provider);

  return self;
}

StampAccount *
stamp_export_context_get_account (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->account;
}

/* Returns: (nullable): the account's provider, or %NULL for a server
 * Stamp has no entry for. */
StampProvider *
stamp_export_context_get_provider (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->provider;
}

/* Microsoft 365 (worldwide or US Government) is where the relay connector
 * and Direct Send paths exist, and where WordPress plugins need Graph. */
gboolean
stamp_export_context_is_microsoft365 (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), FALSE);

  return self->provider != NULL
         && g_str_has_prefix (stamp_provider_get_id (self->provider), "microsoft365");
}

StampExportAuth
stamp_export_context_get_auth (StampExportContext *self)
{
  StampAuthMechanism mechanism;

  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), STAMP_EXPORT_AUTH_PASSWORD);

  mechanism = stamp_account_get_auth_mechanism (self->account);
  if (mechanism == STAMP_AUTH_NONE)
    return STAMP_EXPORT_AUTH_NONE;
  if (stamp_auth_mechanism_is_oauth (mechanism))
    return STAMP_EXPORT_AUTH_OAUTH;
  return STAMP_EXPORT_AUTH_PASSWORD;
}

/* Returns: (nullable): the password (or, for an OAuth account, the refresh
 * token) when the person asked for it to be exported; %NULL otherwise. */
const char *
stamp_export_context_get_secret (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->secret;
}

void
stamp_export_context_set_secret (StampExportContext *self,
                                 const char         *secret)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  self->secret = (secret != NULL && *secret != '\0') ? g_strdup (secret) : NULL;
}

const char *
stamp_export_context_get_device_vendor (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->device_vendor;
}

/* The vendor's id ("brother", "hp", "generic"); the device exporters say
 * which ids they know. */
void
stamp_export_context_set_device_vendor (StampExportContext *self,
                                        const char         *vendor)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  g_free (self->device_vendor);
  self->device_vendor = g_ascii_strdown (vendor != NULL ? vendor : "generic", -1);
}

/* Returns: %TRUE when the device's abilities are known and in @features;
 * %FALSE when nobody said, and the guide then lists every path. */
gboolean
stamp_export_context_get_device_features (StampExportContext  *self,
                                          StampDeviceFeatures *features)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), FALSE);

  if (features != NULL)
    *features = self->device_features;
  return self->device_features_known;
}

void
stamp_export_context_set_device_features (StampExportContext  *self,
                                          StampDeviceFeatures  features)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  self->device_features = features;
  self->device_features_known = TRUE;
}

void
stamp_export_context_unset_device_features (StampExportContext *self)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  self->device_features = 0;
  self->device_features_known = FALSE;
}

/* Returns: (nullable): the Microsoft 365 tenant's MX host, with @guessed
 * set when it was built from the domain rather than found in DNS. */
const char *
stamp_export_context_get_tenant_mx (StampExportContext *self,
                                    gboolean           *guessed)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  if (guessed != NULL)
    *guessed = self->tenant_mx_guessed;
  return self->tenant_mx;
}

void
stamp_export_context_set_tenant_mx (StampExportContext *self,
                                    const char         *host,
                                    gboolean            guessed)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  g_free (self->tenant_mx);
  self->tenant_mx = g_strdup (host);
  self->tenant_mx_guessed = host != NULL && guessed;
}

/* Returns: (nullable): the incoming (IMAP) server, which some formats
 * (Apple profiles) cannot do without. */
const char *
stamp_export_context_get_incoming_host (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->incoming_host;
}

void
stamp_export_context_set_incoming_host (StampExportContext *self,
                                        const char         *host)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  g_free (self->incoming_host);
  self->incoming_host = (host != NULL && *host != '\0') ? g_strdup (host) : NULL;
}

/* Returns: (nullable): the WordPress site's address, for the redirect URIs
 * its plugins need; %NULL when not given. */
const char *
stamp_export_context_get_site_url (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->site_url;
}

void
stamp_export_context_set_site_url (StampExportContext *self,
                                   const char         *url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));

  g_clear_pointer (&self->site_url, g_free);
  if (url == NULL || *url == '\0')
    return;

  trimmed = g_strdup (url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  self->site_url = g_steal_pointer (&trimmed);
}

/* The command other programs run for a fresh OAuth token: "stamp-cli
 * token" normally, the flatpak run form inside a Flatpak. */
const char *
stamp_export_context_get_token_command (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->token_command;
}

void
stamp_export_context_set_token_command (StampExportContext *self,
                                        const char         *command)
{
  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));
  g_return_if_fail (command != NULL && *command != '\0');

  g_free (self->token_command);
  self->token_command = g_strdup (command);
}

/**
 * stamp_export_context_get_relay:
 *
 * Returns: (transfer none) (nullable): how the device reaches Stamp Relay,
 *   or %NULL if it does not send through it
 */
const StampExportRelay *
stamp_export_context_get_relay (StampExportContext *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (self), NULL);

  return self->relay;
}

/**
 * stamp_export_context_set_relay:
 * @relay: (nullable): how the device reaches Stamp Relay, copied; %NULL
 *   when it does not send through it
 *
 * With a relay, the printer sheet's path is “Through Stamp Relay” with
 * exactly these values, and the other paths follow.
 */
void
stamp_export_context_set_relay (StampExportContext     *self,
                                const StampExportRelay *relay)
{
  StampExportRelay *copy = NULL;

  g_return_if_fail (STAMP_IS_EXPORT_CONTEXT (self));
  g_return_if_fail (relay == NULL || relay->host != NULL);

  if (relay != NULL)
    {
      copy = g_new0 (StampExportRelay, 1);
      copy->host = g_strdup (relay->host);
      copy->port = relay->port;
      copy->starttls = relay->starttls;
      copy->user = g_strdup (relay->user);
      copy->password = g_strdup (relay->password);
    }

  g_clear_pointer (&self->relay, relay_free);
  self->relay = copy;
}

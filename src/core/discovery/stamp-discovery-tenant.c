/* stamp-discovery-tenant.c
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

/* The tenant source of StampDiscovery: asks Microsoft's sign-in service
 * whether the domain belongs to a Microsoft 365 tenant, and in which
 * cloud. Many tenants route their MX through a mail filter (Mimecast,
 * Proofpoint, …), so the MX records alone cannot tell. */

#define G_LOG_DOMAIN "stamp-discovery"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-discovery-sources-private.h"
#include "stamp-error.h"

#define TENANT_HOST "login.microsoftonline.com"

/* The clouds, told apart by the OpenID configuration's
 * cloud_instance_name and tenant_region_sub_scope (protocols.md). */
typedef enum
{
  CLOUD_WORLDWIDE,
  CLOUD_GCC,
  CLOUD_GCC_HIGH,
  CLOUD_DOD,
  CLOUD_CHINA,
} Cloud;

static const char *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static Cloud
get_cloud (JsonObject *config)
{
  const char *instance = get_member (config, "cloud_instance_name");
  const char *sub_scope = get_member (config, "tenant_region_sub_scope");

  if (g_strcmp0 (instance, "partner.microsoftonline.cn") == 0
      || g_strcmp0 (instance, "chinacloudapi.cn") == 0)
    return CLOUD_CHINA;
  if (g_strcmp0 (sub_scope, "DOD") == 0)
    return CLOUD_DOD;
  if (g_strcmp0 (sub_scope, "DODCON") == 0 || g_strcmp0 (instance, "microsoftonline.us") == 0)
    return CLOUD_GCC_HIGH;
  if (g_strcmp0 (sub_scope, "GCC") == 0)
    return CLOUD_GCC;

  return CLOUD_WORLDWIDE;
}

/* The provider of each cloud, and how a reason names the cloud. GCC
 * (moderate) runs on the worldwide service. */
static const struct
{
  const char *provider_id;
  const char *name;
} clouds[] = {
  [CLOUD_WORLDWIDE] = { "microsoft365", N_("worldwide") },
  [CLOUD_GCC] = { "microsoft365", N_("US Government GCC, on the worldwide cloud") },
  [CLOUD_GCC_HIGH] = { "microsoft365-usgov", N_("US Government cloud") },
  [CLOUD_DOD] = { "microsoft365-usgov", N_("US Government DoD cloud") },
  [CLOUD_CHINA] = { "microsoft365-china", N_("China, operated by 21Vianet") },
};

static GPtrArray *
parse_tenant (DiscoverySources      *sources,
              StampDiscoverySource   source,
              const char            *origin,
              GByteArray            *body,
              gboolean              *confident,
              GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *reason = NULL;
  JsonObject *config;
  StampProvider *provider;
  Cloud cloud;

  if (!json_parser_load_from_data (parser, (const char *) body->data, body->len, error))
    return NULL;

  /* A tenant's configuration names its token endpoint; anything else
   * (Microsoft answers 400 with AADSTS90002 for a domain in no tenant)
   * says nothing. */
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || get_member (json_node_get_object (json_parser_get_root (parser)),
                     "token_endpoint") == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "not an OpenID configuration");
      return NULL;
    }

  config = json_node_get_object (json_parser_get_root (parser));
  cloud = get_cloud (config);
  provider = stamp_provider_db_lookup_id (sources->provider_db, clouds[cloud].provider_id);
  if (provider == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "no provider “%s” in the database", clouds[cloud].provider_id);
      return NULL;
    }

  /* Translators: "contoso.com is a Microsoft 365 tenant (US Government cloud)" */
  reason = g_strdup_printf (_("%s is a Microsoft 365 tenant (%s)"), sources->domain,
                            _(clouds[cloud].name));

  /* A domain verified in a tenant may still take its mail elsewhere, so
   * this answer never ends the run: the MX records may yet say more. */
  *confident = FALSE;

  return _stamp_discovery_from_provider (provider, source, reason, SCORE_TENANT);
}

/**
 * _stamp_discovery_start_tenant:
 * @sources: the run's sources
 *
 * Asks Microsoft's sign-in service for the OpenID configuration of the
 * domain's tenant, or the run's tenant lookup base when one is set.
 */
void
_stamp_discovery_start_tenant (DiscoverySources *sources)
{
  g_autofree char *path = g_strdup_printf ("/%s/v2.0/.well-known/openid-configuration",
                                           sources->domain);
  g_autofree char *url = NULL;

  if (sources->tenant_base != NULL)
    url = g_strconcat (sources->tenant_base, path, NULL);
  else
    url = _stamp_discovery_dup_url (sources, TENANT_HOST, path);

  _stamp_discovery_fetch (sources, url, STAMP_DISCOVERY_SOURCE_TENANT, TENANT_HOST,
                          parse_tenant);
}

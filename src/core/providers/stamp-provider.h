/* stamp-provider.h
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

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "stamp-types.h"

G_BEGIN_DECLS

/**
 * StampEndpoint:
 * @host: the submission server's host name or IP address
 * @port: the TCP port, 1 to 65535
 * @security: how the connection is protected
 *
 * One submission server of a provider.
 */
typedef struct
{
  char          *host;
  guint16        port;
  StampSecurity  security;
} StampEndpoint;

/**
 * StampProviderOAuth:
 * @authorize_url: the authorization endpoint; may contain `{tenant}`
 * @token_url: the token endpoint; may contain `{tenant}`
 * @device_url: (nullable): the device authorization endpoint (RFC 8628), or
 *   %NULL when the provider does not allow the device flow for mail
 * @scopes: the scopes to request, in order
 * @tenant: (nullable): what to put in place of `{tenant}` unless the account
 *   names its own tenant
 * @registration: whose app registrations apply: "microsoft", "microsoft-usgov"
 *   or "google"; it picks the build's client id and the set-up steps shown
 *   when there is none
 * @authorize_params: (nullable): extra `key=value` query parameters for the
 *   authorization request, such as Google's `access_type=offline`
 *
 * Where and how to get an OAuth 2.0 token for SMTP from a provider.
 */
typedef struct
{
  char  *authorize_url;
  char  *token_url;
  char  *device_url;
  GStrv  scopes;
  char  *tenant;
  char  *registration;
  GStrv  authorize_params;
  char  *graph_url;       /* Microsoft Graph's base address; NULL: no Graph */
  GStrv  graph_scopes;    /* what a Graph token asks for (Mail.Send) */
} StampProviderOAuth;

#define STAMP_TYPE_PROVIDER (stamp_provider_get_type ())

G_DECLARE_FINAL_TYPE (StampProvider, stamp_provider, STAMP, PROVIDER, GObject)

StampProvider            *stamp_provider_new_from_json       (JsonObject          *object,
                                                              GError             **error);
const char               *stamp_provider_get_id              (StampProvider       *self);
const char               *stamp_provider_get_name            (StampProvider       *self);
const char * const       *stamp_provider_get_domains         (StampProvider       *self);
const char * const       *stamp_provider_get_domain_suffixes (StampProvider       *self);
const char * const       *stamp_provider_get_mx_patterns     (StampProvider       *self);
guint                     stamp_provider_get_n_endpoints     (StampProvider       *self);
const StampEndpoint      *stamp_provider_get_endpoint        (StampProvider       *self,
                                                              guint                position);
gboolean                  stamp_provider_supports_auth       (StampProvider       *self,
                                                              StampAuthMechanism   mechanism);
gboolean                  stamp_provider_needs_app_password  (StampProvider       *self);
const StampProviderOAuth *stamp_provider_get_oauth           (StampProvider       *self);
gint64                    stamp_provider_get_limit           (StampProvider       *self,
                                                              const char          *name);
const char * const       *stamp_provider_get_notes           (StampProvider       *self);
gboolean                  stamp_provider_supports_graph      (StampProvider       *self);
gboolean                  stamp_provider_matches_mx          (StampProvider       *self,
                                                              const char          *mx_host);

G_END_DECLS

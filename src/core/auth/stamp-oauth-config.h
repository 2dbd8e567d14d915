/* stamp-oauth-config.h
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

#include <gio/gio.h>

#include "stamp-account.h"
#include "stamp-provider.h"

G_BEGIN_DECLS

/**
 * StampTokenResource:
 * @STAMP_TOKEN_RESOURCE_SMTP: the provider's SMTP scopes (SMTP.Send)
 * @STAMP_TOKEN_RESOURCE_GRAPH: the provider's Microsoft Graph scopes
 *   (Mail.Send)
 *
 * What an access token is for. An access token serves one resource only:
 * Graph refuses a token for SMTP and the other way round, and the token
 * endpoint refuses a request that mixes them. One refresh token serves
 * both.
 */
typedef enum
{
  STAMP_TOKEN_RESOURCE_SMTP,
  STAMP_TOKEN_RESOURCE_GRAPH,
} StampTokenResource;

#define STAMP_TYPE_OAUTH_CONFIG (stamp_oauth_config_get_type ())

G_DECLARE_FINAL_TYPE (StampOAuthConfig, stamp_oauth_config, STAMP, OAUTH_CONFIG, GObject)

StampOAuthConfig   *stamp_oauth_config_new                 (StampProvider     *provider,
                                                            StampAccount      *account,
                                                            GError           **error);
StampOAuthConfig   *stamp_oauth_config_new_for_account     (StampAccount      *account,
                                                            GError           **error);
const char         *stamp_oauth_config_get_provider_name   (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_registration    (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_authorize_url   (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_token_url       (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_device_url      (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_client_id       (StampOAuthConfig  *self);
const char         *stamp_oauth_config_get_client_secret   (StampOAuthConfig  *self);
void                stamp_oauth_config_set_client_secret   (StampOAuthConfig  *self,
                                                            const char        *client_secret);
char               *stamp_oauth_config_dup_scope           (StampOAuthConfig  *self);
StampTokenResource  stamp_oauth_config_get_resource        (StampOAuthConfig  *self);
char               *stamp_oauth_config_dup_token_scope     (StampOAuthConfig  *self,
                                                            StampTokenResource resource);
char               *stamp_oauth_config_dup_admin_consent_url (StampOAuthConfig *self,
                                                            GError           **error);
char               *stamp_oauth_config_dup_admin_consent_request (StampOAuthConfig *self,
                                                            const char        *address);
const char         *stamp_oauth_config_get_login_hint      (StampOAuthConfig  *self);
char               *stamp_oauth_config_build_authorize_uri (StampOAuthConfig  *self,
                                                            const char        *redirect_uri,
                                                            const char        *state,
                                                            const char        *code_challenge);
char               *stamp_oauth_registration_steps         (const char        *registration);
char               *stamp_oauth_provider_registration_steps (StampProvider    *provider);
gboolean            stamp_oauth_has_built_in_client        (StampProvider     *provider);
StampTokenResource  stamp_account_get_token_resource       (StampAccount      *account);
StampAccount       *stamp_oauth_find_registration          (GListModel        *accounts,
                                                            const char        *address,
                                                            StampProvider     *provider);

G_END_DECLS

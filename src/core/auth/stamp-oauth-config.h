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
const char         *stamp_oauth_config_get_login_hint      (StampOAuthConfig  *self);
char               *stamp_oauth_config_build_authorize_uri (StampOAuthConfig  *self,
                                                            const char        *redirect_uri,
                                                            const char        *state,
                                                            const char        *code_challenge);
char               *stamp_oauth_registration_steps         (const char        *registration);
char               *stamp_oauth_provider_registration_steps (StampProvider    *provider);
gboolean            stamp_oauth_has_built_in_client        (StampProvider     *provider);
StampAccount       *stamp_oauth_find_registration          (GListModel        *accounts,
                                                            const char        *address,
                                                            StampProvider     *provider);

G_END_DECLS

/* stamp-preflight.h
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

#include <glib.h>

#include "stamp-types.h"

G_BEGIN_DECLS

/**
 * StampPreflightSettings:
 * @host: the submission server
 * @port: its port
 * @security: how the connection is protected
 * @signs_in: a password or token will be sent
 * @uses_password: that secret is a password, not an OAuth token
 * @provider_id: (nullable): the account's provider; when %NULL, the one
 *   whose server @host is
 * @user: (nullable): the name the sign-in uses
 * @from: (nullable): the sender address
 * @allow_plaintext: the person chose to sign in without encryption
 *
 * The settings of a send, as the pre-flight check sees them.
 */
typedef struct
{
  const char    *host;
  guint16        port;
  StampSecurity  security;
  gboolean       signs_in;
  gboolean       uses_password;
  const char    *provider_id;
  const char    *user;
  const char    *from;
  gboolean       allow_plaintext;
} StampPreflightSettings;

gboolean stamp_preflight_check (const StampPreflightSettings  *settings,
                                GPtrArray                    **findings,
                                GError                       **error);

G_END_DECLS

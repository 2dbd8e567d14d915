/* stamp-oauth-sign-in.h
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

#include "stamp-oauth-config.h"
#include "stamp-oauth-tokens.h"

G_BEGIN_DECLS

#define STAMP_TYPE_OAUTH_SIGN_IN (stamp_oauth_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (StampOAuthSignIn, stamp_oauth_sign_in, STAMP, OAUTH_SIGN_IN, GObject)

StampOAuthSignIn *stamp_oauth_sign_in_new                  (StampOAuthConfig     *config);
void              stamp_oauth_sign_in_set_time_limit       (StampOAuthSignIn     *self,
                                                            guint                 seconds);
const char       *stamp_oauth_sign_in_get_authorize_uri    (StampOAuthSignIn     *self);
const char       *stamp_oauth_sign_in_get_browser_error    (StampOAuthSignIn     *self);
const char       *stamp_oauth_sign_in_get_user_code        (StampOAuthSignIn     *self);
const char       *stamp_oauth_sign_in_get_verification_uri (StampOAuthSignIn     *self);
guint             stamp_oauth_sign_in_get_code_lifetime    (StampOAuthSignIn     *self);
void              stamp_oauth_sign_in_browser_async        (StampOAuthSignIn     *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
void              stamp_oauth_sign_in_device_async         (StampOAuthSignIn     *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
StampOAuthTokens *stamp_oauth_sign_in_finish               (StampOAuthSignIn     *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS

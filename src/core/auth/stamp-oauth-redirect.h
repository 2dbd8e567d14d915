/* stamp-oauth-redirect.h
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

G_BEGIN_DECLS

#define STAMP_TYPE_OAUTH_REDIRECT (stamp_oauth_redirect_get_type ())

G_DECLARE_FINAL_TYPE (StampOAuthRedirect, stamp_oauth_redirect, STAMP, OAUTH_REDIRECT, GObject)

StampOAuthRedirect *stamp_oauth_redirect_new            (GError             **error);
const char         *stamp_oauth_redirect_get_uri        (StampOAuthRedirect  *self);
guint16             stamp_oauth_redirect_get_port       (StampOAuthRedirect  *self);
GPtrArray          *stamp_oauth_redirect_get_addresses  (StampOAuthRedirect  *self);
void                stamp_oauth_redirect_receive_async  (StampOAuthRedirect  *self,
                                                         const char          *provider_name,
                                                         const char          *state,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char               *stamp_oauth_redirect_receive_finish (StampOAuthRedirect  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                stamp_oauth_redirect_close          (StampOAuthRedirect  *self);

G_END_DECLS

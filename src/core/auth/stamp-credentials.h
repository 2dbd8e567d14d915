/* stamp-credentials.h
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
#include "stamp-oauth-config.h"
#include "stamp-oauth-tokens.h"
#include "stamp-secret-store.h"

G_BEGIN_DECLS

#define STAMP_TYPE_CREDENTIALS (stamp_credentials_get_type ())

G_DECLARE_FINAL_TYPE (StampCredentials, stamp_credentials, STAMP, CREDENTIALS, GObject)

StampCredentials *stamp_credentials_new                    (StampSecretStore     *store);
StampSecretStore *stamp_credentials_get_store              (StampCredentials     *self);
void              stamp_credentials_save_tokens_async      (StampCredentials     *self,
                                                            StampAccount         *account,
                                                            const StampOAuthTokens *tokens,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean          stamp_credentials_save_tokens_finish     (StampCredentials     *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void              stamp_credentials_get_access_token_async (StampCredentials     *self,
                                                            StampAccount         *account,
                                                            gboolean              force_refresh,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
char             *stamp_credentials_get_access_token_finish (StampCredentials    *self,
                                                            GAsyncResult         *result,
                                                            gint64               *expires_at,
                                                            GError              **error);
void              stamp_credentials_get_token_async        (StampCredentials     *self,
                                                            StampAccount         *account,
                                                            StampTokenResource    resource,
                                                            gboolean              force_refresh,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
char             *stamp_credentials_get_token_finish       (StampCredentials     *self,
                                                            GAsyncResult         *result,
                                                            gint64               *expires_at,
                                                            GError              **error);

G_END_DECLS

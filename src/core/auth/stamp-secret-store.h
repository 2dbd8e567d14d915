/* stamp-secret-store.h
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

/**
 * StampSecretKind:
 * @STAMP_SECRET_PASSWORD: a password or app password for SMTP AUTH
 * @STAMP_SECRET_REFRESH_TOKEN: an OAuth refresh token
 * @STAMP_SECRET_ACCESS_TOKEN: an OAuth access token, stored with its expiry
 * @STAMP_SECRET_CLIENT_SECRET: the client secret of a person's own OAuth app
 *   registration (Google's desktop apps need one)
 * @STAMP_SECRET_RELAY_DEVICE: the password a Stamp Relay device signs in with,
 *   kept under the device's key (stamp_relay_device_get_secret_key()) instead
 *   of an address
 * @STAMP_SECRET_GRAPH_ACCESS_TOKEN: the OAuth access token for Microsoft
 *   Graph, stored with its expiry apart from the SMTP one; one refresh
 *   token serves both resources
 *
 * The kinds of secret Stamp keeps for an account, or for a relay device.
 */
typedef enum
{
  STAMP_SECRET_PASSWORD,
  STAMP_SECRET_REFRESH_TOKEN,
  STAMP_SECRET_ACCESS_TOKEN,
  STAMP_SECRET_CLIENT_SECRET,
  STAMP_SECRET_RELAY_DEVICE,
  STAMP_SECRET_GRAPH_ACCESS_TOKEN,
} StampSecretKind;

#define STAMP_TYPE_SECRET_STORE (stamp_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (StampSecretStore, stamp_secret_store, STAMP, SECRET_STORE, GObject)

StampSecretStore *stamp_secret_store_get_default  (void);
StampSecretStore *stamp_secret_store_new          (void);
gboolean          stamp_secret_store_is_persistent (StampSecretStore     *self);
const char       *stamp_secret_kind_to_string     (StampSecretKind       kind);
void              stamp_secret_store_store_async  (StampSecretStore     *self,
                                                   const char           *account,
                                                   StampSecretKind       kind,
                                                   const char           *secret,
                                                   gint64                expires_at,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          stamp_secret_store_store_finish (StampSecretStore     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void              stamp_secret_store_lookup_async (StampSecretStore     *self,
                                                   const char           *account,
                                                   StampSecretKind       kind,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
char             *stamp_secret_store_lookup_finish (StampSecretStore    *self,
                                                   GAsyncResult         *result,
                                                   gint64               *expires_at,
                                                   GError              **error);
void              stamp_secret_store_clear_async  (StampSecretStore     *self,
                                                   const char           *account,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          stamp_secret_store_clear_finish (StampSecretStore     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS

/* stamp-account-store.h
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

G_BEGIN_DECLS

#define STAMP_TYPE_ACCOUNT_STORE (stamp_account_store_get_type ())

G_DECLARE_FINAL_TYPE (StampAccountStore, stamp_account_store, STAMP, ACCOUNT_STORE, GObject)

StampAccountStore *stamp_account_store_new         (const char           *path);
const char        *stamp_account_store_get_path    (StampAccountStore    *self);
const char        *stamp_account_store_get_problem (StampAccountStore    *self);
gboolean           stamp_account_store_load        (StampAccountStore    *self,
                                                    GError              **error);
void               stamp_account_store_load_async  (StampAccountStore    *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           stamp_account_store_load_finish (StampAccountStore    *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gboolean           stamp_account_store_save        (StampAccountStore    *self,
                                                    GError              **error);
void               stamp_account_store_save_async  (StampAccountStore    *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           stamp_account_store_save_finish (StampAccountStore    *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
StampAccount      *stamp_account_store_lookup      (StampAccountStore    *self,
                                                    const char           *address);
void               stamp_account_store_add         (StampAccountStore    *self,
                                                    StampAccount         *account);
gboolean           stamp_account_store_remove      (StampAccountStore    *self,
                                                    const char           *address);

G_END_DECLS

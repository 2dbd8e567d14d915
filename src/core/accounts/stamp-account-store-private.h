/* stamp-account-store-private.h
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

#include "stamp-account-store.h"

G_BEGIN_DECLS

/* What a load found. Built in a worker thread, then applied to the store
 * on its main context, the only place the list model changes. */
typedef struct
{
  GPtrArray *accounts;
  GError    *error;
  gboolean   file_at_risk;
} LoadResult;

void        _stamp_load_result_free           (LoadResult    *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, _stamp_load_result_free)

/* In stamp-account-store.c; loading uses it to find a repeated address. */
gboolean    _stamp_account_store_find_account (GPtrArray     *accounts,
                                               const char    *address,
                                               guint         *position);

/* In stamp-account-store-file.c; they block, so the async API runs them
 * in a worker thread. */
LoadResult *_stamp_account_store_load_file    (const char    *path,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean    _stamp_account_store_write_file   (const char    *path,
                                               const char    *contents,
                                               GCancellable  *cancellable,
                                               GError       **error);

G_END_DECLS

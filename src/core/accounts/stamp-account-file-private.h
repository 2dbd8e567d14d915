/* stamp-account-file-private.h
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

/* The account file: its format, and reading and writing it on disk. It
 * works on a path and arrays of accounts alone and knows nothing of
 * StampAccountStore, which calls it (the reads and writes in a worker
 * thread). */

/* What a load found. Built in a worker thread, then applied to the store
 * on its main context, the only place the list model changes. */
typedef struct
{
  GPtrArray *accounts;
  GError    *error;
  gboolean   file_at_risk;
} LoadResult;

void        _stamp_load_result_free     (LoadResult    *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, _stamp_load_result_free)

gboolean    _stamp_account_array_find   (GPtrArray     *accounts,
                                         const char    *address,
                                         guint         *position);
char       *_stamp_account_file_to_text (GPtrArray     *accounts,
                                         GError       **error);

/* These block, so the async API runs them in a worker thread. */
LoadResult *_stamp_account_file_load    (const char    *path,
                                         GCancellable  *cancellable,
                                         GError       **error);
gboolean    _stamp_account_file_write   (const char    *path,
                                         const char    *contents,
                                         GCancellable  *cancellable,
                                         GError       **error);
char       *_stamp_account_file_move_aside (const char  *path,
                                            const char  *kind,
                                            GError     **error);

G_END_DECLS

/* stamp-file-lock.h
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

int  stamp_file_lock_acquire        (const char           *path,
                                     guint                 timeout,
                                     GCancellable         *cancellable,
                                     GError              **error);
void stamp_file_lock_acquire_async  (const char           *path,
                                     guint                 timeout,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
int  stamp_file_lock_acquire_finish (GAsyncResult         *result,
                                     GError              **error);
void stamp_file_lock_release        (int                   fd);

G_END_DECLS

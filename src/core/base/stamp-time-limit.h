/* stamp-time-limit.h
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

#define STAMP_TYPE_TIME_LIMIT (stamp_time_limit_get_type ())

G_DECLARE_FINAL_TYPE (StampTimeLimit, stamp_time_limit, STAMP, TIME_LIMIT, GObject)

StampTimeLimit *stamp_time_limit_new             (GCancellable   *parent,
                                                  guint           timeout_ms,
                                                  GMainContext   *context);
GCancellable   *stamp_time_limit_get_cancellable (StampTimeLimit *self);
void            stamp_time_limit_set_timeout     (StampTimeLimit *self,
                                                  guint           timeout_ms);
gboolean        stamp_time_limit_has_expired     (StampTimeLimit *self);

G_END_DECLS

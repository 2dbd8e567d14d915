/* stamp-fan-out.h
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

#include "stamp-time-limit.h"

G_BEGIN_DECLS

#define STAMP_TYPE_FAN_OUT (stamp_fan_out_get_type ())

G_DECLARE_FINAL_TYPE (StampFanOut, stamp_fan_out, STAMP, FAN_OUT, GObject)

StampFanOut    *stamp_fan_out_new          (guint                source_ms,
                                            guint                total_ms);
void            stamp_fan_out_run_async    (StampFanOut         *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray      *stamp_fan_out_run_finish   (StampFanOut         *self,
                                            GAsyncResult        *result,
                                            GError             **error);
StampTimeLimit *stamp_fan_out_add_source   (StampFanOut         *self);
void            stamp_fan_out_source_done  (StampFanOut         *self,
                                            GPtrArray           *results,
                                            gboolean             enough);
gboolean        stamp_fan_out_is_finished  (StampFanOut         *self);

G_END_DECLS

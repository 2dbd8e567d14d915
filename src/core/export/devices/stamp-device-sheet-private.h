/* stamp-device-sheet-private.h
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

#include "stamp-device-vendors.h"
#include "stamp-export-context.h"
#include "stamp-sheet-painter-private.h"

G_BEGIN_DECLS

GPtrArray *_stamp_device_sheet_build (StampExportContext       *context,
                                      gboolean                 *prints_secret,
                                      GError                  **error);
char      *_stamp_device_sheet_title (const StampDeviceVendor  *vendor);

G_END_DECLS

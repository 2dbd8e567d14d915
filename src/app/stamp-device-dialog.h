/* stamp-device-dialog.h
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

#include <adwaita.h>

#include "stamp-core.h"
#include "stamp-relay-controller.h"

G_BEGIN_DECLS

#define STAMP_TYPE_DEVICE_DIALOG (stamp_device_dialog_get_type ())

G_DECLARE_FINAL_TYPE (StampDeviceDialog, stamp_device_dialog, STAMP, DEVICE_DIALOG, AdwWindow)

StampDeviceDialog *stamp_device_dialog_new (GtkWindow            *parent,
                                            StampRelayController *controller,
                                            StampAccount         *account);

G_END_DECLS

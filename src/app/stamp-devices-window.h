/* stamp-devices-window.h
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

#define STAMP_TYPE_DEVICES_WINDOW (stamp_devices_window_get_type ())

G_DECLARE_FINAL_TYPE (StampDevicesWindow, stamp_devices_window, STAMP, DEVICES_WINDOW, AdwWindow)

StampDevicesWindow *stamp_devices_window_new         (GtkWindow            *parent,
                                                      StampRelayController *controller,
                                                      StampAccount         *account);
StampAccount       *stamp_devices_window_get_account (StampDevicesWindow   *self);
void                stamp_devices_window_open_sheet  (StampDevicesWindow   *self,
                                                      GtkWindow            *parent,
                                                      StampRelayDevice     *device,
                                                      const char           *password);

G_END_DECLS

/* stamp-relay-device-store.h
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

#include "stamp-relay-device.h"

G_BEGIN_DECLS

#define STAMP_TYPE_RELAY_DEVICE_STORE (stamp_relay_device_store_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayDeviceStore, stamp_relay_device_store, STAMP, RELAY_DEVICE_STORE, GObject)

StampRelayDeviceStore *stamp_relay_device_store_new         (const char             *path);
const char            *stamp_relay_device_store_get_path    (StampRelayDeviceStore  *self);
gboolean               stamp_relay_device_store_load        (StampRelayDeviceStore  *self,
                                                             GError                **error);
gboolean               stamp_relay_device_store_save        (StampRelayDeviceStore  *self,
                                                             GError                **error);
gboolean               stamp_relay_device_store_begin_edit  (StampRelayDeviceStore  *self,
                                                             GError                **error);
void                   stamp_relay_device_store_end_edit    (StampRelayDeviceStore  *self);
GPtrArray             *stamp_relay_device_store_get_devices (StampRelayDeviceStore  *self);
StampRelayDevice      *stamp_relay_device_store_lookup      (StampRelayDeviceStore  *self,
                                                             const char             *name);
StampRelayDevice      *stamp_relay_device_store_lookup_user (StampRelayDeviceStore  *self,
                                                             const char             *user);
gboolean               stamp_relay_device_store_add         (StampRelayDeviceStore  *self,
                                                             StampRelayDevice       *device,
                                                             GError                **error);
gboolean               stamp_relay_device_store_remove      (StampRelayDeviceStore  *self,
                                                             const char             *name);
char                  *stamp_relay_device_store_make_user   (StampRelayDeviceStore  *self,
                                                             const char             *name);

G_END_DECLS

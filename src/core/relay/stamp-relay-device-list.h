/* stamp-relay-device-list.h
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

#include "stamp-relay-device-store.h"
#include "stamp-relay-device.h"

G_BEGIN_DECLS

#define STAMP_TYPE_RELAY_DEVICE_LIST (stamp_relay_device_list_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayDeviceList, stamp_relay_device_list, STAMP, RELAY_DEVICE_LIST, GObject)

StampRelayDeviceList *stamp_relay_device_list_parse        (const char             *text,
                                                            gssize                  length,
                                                            const char             *account,
                                                            const char * const     *makes,
                                                            GError                **error);
StampRelayDeviceList *stamp_relay_device_list_load         (const char             *path,
                                                            const char             *account,
                                                            const char * const     *makes,
                                                            GError                **error);
guint                 stamp_relay_device_list_get_n_devices (StampRelayDeviceList  *self);
StampRelayDevice     *stamp_relay_device_list_get_device   (StampRelayDeviceList   *self,
                                                            guint                   position);
guint                 stamp_relay_device_list_get_line     (StampRelayDeviceList   *self,
                                                            guint                   position);
gboolean              stamp_relay_device_list_add_to_store (StampRelayDeviceList   *self,
                                                            StampRelayDeviceStore  *store,
                                                            GError                **error);
char                 *stamp_relay_make_to_id               (const char             *make);

/* The most rows a list may have, and its largest size in bytes. */
#define STAMP_RELAY_DEVICE_LIST_MAX_ROWS  1000
#define STAMP_RELAY_DEVICE_LIST_MAX_BYTES (1024 * 1024)

G_END_DECLS

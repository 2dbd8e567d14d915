/* stamp-relay-controller.h
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
#include <json-glib/json-glib.h>

#include "stamp-core.h"

G_BEGIN_DECLS

/**
 * StampRelayMode:
 * @STAMP_RELAY_MODE_OFF: no relay serves the port
 * @STAMP_RELAY_MODE_APP: the app itself runs the relay
 * @STAMP_RELAY_MODE_SERVICE: another process (the relay service) serves
 *   the port; the app shows its status
 * @STAMP_RELAY_MODE_FAILED: the relay is on but could not start; see
 *   stamp_relay_controller_get_problem()
 *
 * Who serves the relay's port, as the app sees it.
 */
typedef enum
{
  STAMP_RELAY_MODE_OFF,
  STAMP_RELAY_MODE_APP,
  STAMP_RELAY_MODE_SERVICE,
  STAMP_RELAY_MODE_FAILED,
} StampRelayMode;

#define STAMP_TYPE_RELAY_CONTROLLER (stamp_relay_controller_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayController, stamp_relay_controller, STAMP, RELAY_CONTROLLER, GObject)

StampRelayController  *stamp_relay_controller_new                 (StampAccountStore     *accounts);
gboolean               stamp_relay_controller_get_enabled         (StampRelayController  *self);
void                   stamp_relay_controller_set_enabled         (StampRelayController  *self,
                                                                   gboolean               enabled);
gboolean               stamp_relay_controller_get_on_network      (StampRelayController  *self);
void                   stamp_relay_controller_set_on_network      (StampRelayController  *self,
                                                                   gboolean               on_network);
StampRelayMode         stamp_relay_controller_get_mode            (StampRelayController  *self);
const char            *stamp_relay_controller_get_problem         (StampRelayController  *self);
int                    stamp_relay_controller_get_port            (StampRelayController  *self);
char                  *stamp_relay_controller_dup_server          (StampRelayController  *self);
StampRelayDeviceStore *stamp_relay_controller_get_devices         (StampRelayController  *self);
JsonObject            *stamp_relay_controller_get_status          (StampRelayController  *self);
GPtrArray             *stamp_relay_controller_get_queued          (StampRelayController  *self);
void                   stamp_relay_controller_watch               (StampRelayController  *self);
void                   stamp_relay_controller_unwatch             (StampRelayController  *self);
void                   stamp_relay_controller_refresh             (StampRelayController  *self);
void                   stamp_relay_controller_add_device_async    (StampRelayController  *self,
                                                                   StampRelayDevice      *device,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
char                  *stamp_relay_controller_add_device_finish   (StampRelayController  *self,
                                                                   GAsyncResult          *result,
                                                                   GError               **error);
void                   stamp_relay_controller_remove_device_async (StampRelayController  *self,
                                                                   const char            *name,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
gboolean               stamp_relay_controller_remove_device_finish (StampRelayController *self,
                                                                   GAsyncResult          *result,
                                                                   GError               **error);

void                   stamp_relay_controller_add_list_async      (StampRelayController  *self,
                                                                   StampRelayDeviceList  *list,
                                                                   GCancellable          *cancellable,
                                                                   GAsyncReadyCallback    callback,
                                                                   gpointer               user_data);
GPtrArray             *stamp_relay_controller_add_list_finish     (StampRelayController  *self,
                                                                   GAsyncResult          *result,
                                                                   GError               **error);
void                   stamp_relay_controller_fill_sheet_context  (StampRelayController  *self,
                                                                   StampExportContext    *context,
                                                                   StampRelayDevice      *device,
                                                                   const char            *password);

void                   stamp_relay_controller_get_account_counts  (StampRelayController  *self,
                                                                   const char            *address,
                                                                   guint                 *waiting,
                                                                   guint                 *delivered_today,
                                                                   guint                 *held);
gboolean               stamp_relay_controller_get_account_stopped (StampRelayController  *self,
                                                                   const char            *address);
char                  *stamp_relay_controller_dup_account_problem (StampRelayController  *self,
                                                                   const char            *address);

G_END_DECLS

/* stamp-device-list-dialog.h
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

#define STAMP_TYPE_DEVICE_LIST_DIALOG (stamp_device_list_dialog_get_type ())

G_DECLARE_FINAL_TYPE (StampDeviceListDialog, stamp_device_list_dialog, STAMP, DEVICE_LIST_DIALOG, AdwWindow)

StampDeviceListDialog *stamp_device_list_dialog_new               (GtkWindow              *parent,
                                                                   StampRelayController   *controller,
                                                                   StampAccount           *account,
                                                                   GFile                  *file);
void                   stamp_device_list_dialog_choose             (GtkWindow              *parent,
                                                                   StampRelayController   *controller,
                                                                   StampAccount           *account);
void                   stamp_device_list_dialog_save_sheets_async  (StampDeviceListDialog  *self,
                                                                   GFile                  *folder,
                                                                   GCancellable           *cancellable,
                                                                   GAsyncReadyCallback     callback,
                                                                   gpointer                user_data);
guint                  stamp_device_list_dialog_save_sheets_finish (StampDeviceListDialog  *self,
                                                                   GAsyncResult           *result,
                                                                   GError                **error);

G_END_DECLS

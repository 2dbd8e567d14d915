/* stamp-export-dialog.h
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

G_BEGIN_DECLS

#define STAMP_TYPE_EXPORT_DIALOG (stamp_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (StampExportDialog, stamp_export_dialog, STAMP, EXPORT_DIALOG, AdwWindow)

StampExportDialog *stamp_export_dialog_new                 (GtkWindow           *parent,
                                                            StampAccount        *account);
StampAccount      *stamp_export_dialog_get_account         (StampExportDialog   *self);
StampExportContext *stamp_export_dialog_get_context        (StampExportDialog   *self);
gboolean           stamp_export_dialog_select              (StampExportDialog   *self,
                                                            const char          *exporter_id);
StampExportResult *stamp_export_dialog_get_result          (StampExportDialog   *self);
void               stamp_export_dialog_save_to_file_async  (StampExportDialog   *self,
                                                            GFile               *file,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean           stamp_export_dialog_save_to_file_finish (StampExportDialog   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS

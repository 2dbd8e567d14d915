/* stamp-export-preview.h
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

#define STAMP_TYPE_EXPORT_PREVIEW (stamp_export_preview_get_type ())

G_DECLARE_FINAL_TYPE (StampExportPreview, stamp_export_preview, STAMP, EXPORT_PREVIEW, AdwBin)

gboolean            stamp_export_preview_target_has_options (StampExporter      *exporter);
void                stamp_export_preview_set_target         (StampExportPreview *self,
                                                             StampExporter      *exporter,
                                                             StampExportContext *context);
void                stamp_export_preview_clear              (StampExportPreview *self);
StampExporter      *stamp_export_preview_get_exporter       (StampExportPreview *self);
StampExportContext *stamp_export_preview_get_context        (StampExportPreview *self);
StampExportResult  *stamp_export_preview_get_result         (StampExportPreview *self);
gboolean            stamp_export_preview_get_busy           (StampExportPreview *self);

G_END_DECLS

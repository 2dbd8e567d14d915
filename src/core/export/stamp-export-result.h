/* stamp-export-result.h
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

G_BEGIN_DECLS

#define STAMP_TYPE_EXPORT_RESULT (stamp_export_result_get_type ())

G_DECLARE_FINAL_TYPE (StampExportResult, stamp_export_result, STAMP, EXPORT_RESULT, GObject)

StampExportResult  *stamp_export_result_new           (const char         *file_name,
                                                       const char         *mime_type);
GBytes             *stamp_export_result_get_bytes     (StampExportResult  *self);
const char         *stamp_export_result_get_text      (StampExportResult  *self);
void                stamp_export_result_set_bytes     (StampExportResult  *self,
                                                       GBytes             *bytes);
void                stamp_export_result_take_text     (StampExportResult  *self,
                                                       GString            *text);
const char         *stamp_export_result_get_file_name (StampExportResult  *self);
void                stamp_export_result_set_file_name (StampExportResult  *self,
                                                       const char         *file_name);
const char         *stamp_export_result_get_mime_type (StampExportResult  *self);
gboolean            stamp_export_result_get_private   (StampExportResult  *self);
void                stamp_export_result_set_private   (StampExportResult  *self,
                                                       gboolean            is_private);
const char * const *stamp_export_result_get_notes     (StampExportResult  *self);
void                stamp_export_result_add_note      (StampExportResult  *self,
                                                       const char         *note);
gboolean            stamp_export_result_save          (StampExportResult  *self,
                                                       GFile              *file,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
void                stamp_export_result_save_async    (StampExportResult  *self,
                                                       GFile              *file,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
gboolean            stamp_export_result_save_finish   (StampExportResult  *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

G_END_DECLS

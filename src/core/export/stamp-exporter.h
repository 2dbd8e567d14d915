/* stamp-exporter.h
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

#include "stamp-export-context.h"
#include "stamp-export-result.h"
#include "stamp-secret-store.h"

G_BEGIN_DECLS

/**
 * StampExportCategory:
 * @STAMP_EXPORT_CATEGORY_WORDPRESS: a WordPress mail plugin
 * @STAMP_EXPORT_CATEGORY_DEVICE: a printer or scanner that sends scans by email
 * @STAMP_EXPORT_CATEGORY_SENDER: any other program that sends mail
 *
 * Where an export goes, as the export dialog groups them.
 */
typedef enum
{
  STAMP_EXPORT_CATEGORY_WORDPRESS,
  STAMP_EXPORT_CATEGORY_DEVICE,
  STAMP_EXPORT_CATEGORY_SENDER,
} StampExportCategory;

#define STAMP_TYPE_EXPORTER (stamp_exporter_get_type ())

G_DECLARE_FINAL_TYPE (StampExporter, stamp_exporter, STAMP, EXPORTER, GObject)

GListModel          *stamp_exporter_list_all        (void);
StampExporter       *stamp_exporter_lookup          (const char          *id);
const char          *stamp_exporter_get_id          (StampExporter       *self);
const char          *stamp_exporter_get_title       (StampExporter       *self);
const char          *stamp_exporter_get_description (StampExporter       *self);
StampExportCategory  stamp_exporter_get_category    (StampExporter       *self);
StampExportAuth      stamp_exporter_get_auth        (StampExporter       *self);
gboolean             stamp_exporter_get_uses_secret (StampExporter       *self);
gboolean             stamp_exporter_get_is_binary   (StampExporter       *self);
gboolean             stamp_exporter_can_include_secret (StampExporter    *self,
                                                     StampExportContext  *context);
void                 stamp_exporter_prepare_async   (StampExporter       *self,
                                                     StampExportContext  *context,
                                                     StampSecretStore    *secrets,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean             stamp_exporter_prepare_finish  (StampExporter       *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
gboolean             stamp_exporter_can_serve       (StampExporter       *self,
                                                     StampExportContext  *context,
                                                     GError             **error);
StampExportResult   *stamp_exporter_render          (StampExporter       *self,
                                                     StampExportContext  *context,
                                                     GError             **error);

const char          *stamp_export_category_get_title (StampExportCategory category);

G_END_DECLS

/* stamp-provider-db.h
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

#include "stamp-provider.h"

G_BEGIN_DECLS

#define STAMP_TYPE_PROVIDER_DB (stamp_provider_db_get_type ())

G_DECLARE_FINAL_TYPE (StampProviderDb, stamp_provider_db, STAMP, PROVIDER_DB, GObject)

StampProviderDb *stamp_provider_db_get_default   (void);
StampProviderDb *stamp_provider_db_new_from_data (const char       *data,
                                                  gssize            length,
                                                  GError          **error);
StampProvider   *stamp_provider_db_lookup_id     (StampProviderDb  *self,
                                                  const char       *id);
StampProvider   *stamp_provider_db_lookup_domain (StampProviderDb  *self,
                                                  const char       *domain);
StampProvider   *stamp_provider_db_lookup_mx     (StampProviderDb  *self,
                                                  const char       *mx_host);
StampProvider   *stamp_provider_db_lookup_host   (StampProviderDb  *self,
                                                  const char       *host);

G_END_DECLS

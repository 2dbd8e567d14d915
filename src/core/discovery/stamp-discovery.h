/* stamp-discovery.h
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

#include "stamp-candidate.h"
#include "stamp-provider-db.h"

G_BEGIN_DECLS

#define STAMP_TYPE_DISCOVERY (stamp_discovery_get_type ())

G_DECLARE_FINAL_TYPE (StampDiscovery, stamp_discovery, STAMP, DISCOVERY, GObject)

StampDiscovery *stamp_discovery_new                   (void);
void            stamp_discovery_set_provider_db       (StampDiscovery       *self,
                                                       StampProviderDb      *provider_db);
void            stamp_discovery_set_http_base         (StampDiscovery       *self,
                                                       const char           *http_base);
void            stamp_discovery_set_tenant_lookup_url (StampDiscovery       *self,
                                                       const char           *url);
void            stamp_discovery_set_ca_file           (StampDiscovery       *self,
                                                       const char           *ca_file);
void            stamp_discovery_set_probe_ports       (StampDiscovery       *self,
                                                       guint16               tls_port,
                                                       guint16               starttls_port);
void            stamp_discovery_set_timeouts          (StampDiscovery       *self,
                                                       guint                 source_ms,
                                                       guint                 total_ms);
void            stamp_discovery_run_async             (StampDiscovery       *self,
                                                       const char           *address,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray      *stamp_discovery_run_finish            (StampDiscovery       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
const char     *stamp_discovery_source_to_string      (StampDiscoverySource  source);

G_END_DECLS

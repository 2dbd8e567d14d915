/* stamp-dns-check.h
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

#include "stamp-dns-finding.h"
#include "stamp-provider-db.h"

G_BEGIN_DECLS

#define STAMP_TYPE_DNS_CHECK (stamp_dns_check_get_type ())

G_DECLARE_FINAL_TYPE (StampDnsCheck, stamp_dns_check, STAMP, DNS_CHECK, GObject)

StampDnsCheck *stamp_dns_check_new             (void);
void           stamp_dns_check_set_resolver    (StampDnsCheck        *self,
                                                GResolver            *resolver);
void           stamp_dns_check_set_provider_db (StampDnsCheck        *self,
                                                StampProviderDb      *provider_db);
void           stamp_dns_check_set_timeouts    (StampDnsCheck        *self,
                                                guint                 lookup_ms,
                                                guint                 total_ms);
void           stamp_dns_check_run_async       (StampDnsCheck        *self,
                                                const char           *domain,
                                                const char           *provider_id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray     *stamp_dns_check_run_finish      (StampDnsCheck        *self,
                                                GAsyncResult         *result,
                                                char                **provider_id,
                                                GError              **error);

G_END_DECLS

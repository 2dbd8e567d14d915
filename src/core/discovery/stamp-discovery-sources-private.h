/* stamp-discovery-sources-private.h
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

#include <libsoup/soup.h>

#include "stamp-candidate.h"
#include "stamp-fan-out.h"
#include "stamp-provider-db.h"

G_BEGIN_DECLS

/* What the sources of one discovery run share, filled in by the run. The
 * sources know nothing of the run: they report their candidates through
 * the fan-out, and the run ranks what the fan-out collected. Each source
 * holds a reference, so this lives until the last one has reported. */
/* A tenant is Microsoft 365's word for the domain, above the ISP database
 * and below the domain's own autoconfig: a domain can be verified in a
 * tenant and still take its mail elsewhere. */
#define SCORE_TENANT 75

typedef struct
{
  StampFanOut     *fan_out;
  StampProviderDb *provider_db;
  SoupSession     *session;
  char            *http_base;   /* NULL: the real hosts, over HTTPS */
  char            *tenant_base; /* NULL: Microsoft's sign-in service */
  char            *ca_file;
  char            *address;
  char            *domain;
  guint16          tls_port;
  guint16          starttls_port;
} DiscoverySources;

/* Reads the body of a fetched source: candidates, or %NULL with @error;
 * @confident if the answer may end the run. */
typedef GPtrArray *(*DiscoveryParse) (DiscoverySources      *sources,
                                      StampDiscoverySource   source,
                                      const char            *origin,
                                      GByteArray            *body,
                                      gboolean              *confident,
                                      GError               **error);

DiscoverySources *_stamp_discovery_sources_new     (StampFanOut          *fan_out,
                                                    const char           *address,
                                                    const char           *domain);
void              _stamp_discovery_sources_unref   (DiscoverySources     *sources);
void              _stamp_discovery_sources_start   (DiscoverySources     *sources);

GPtrArray        *_stamp_discovery_from_provider   (StampProvider        *provider,
                                                    StampDiscoverySource  source,
                                                    const char           *reason,
                                                    int                   base_score);
char             *_stamp_discovery_dup_url         (DiscoverySources     *sources,
                                                    const char           *host,
                                                    const char           *path);
void              _stamp_discovery_fetch           (DiscoverySources     *sources,
                                                    const char           *url,
                                                    StampDiscoverySource  source,
                                                    const char           *origin,
                                                    DiscoveryParse        parse);

/* stamp-discovery-tenant.c */
void              _stamp_discovery_start_tenant    (DiscoverySources     *sources);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DiscoverySources, _stamp_discovery_sources_unref)

G_END_DECLS

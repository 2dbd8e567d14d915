/* stamp-candidate.h
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

#include <glib-object.h>

#include "stamp-types.h"

G_BEGIN_DECLS

/**
 * StampDiscoverySource:
 * @STAMP_DISCOVERY_SOURCE_PROVIDER: Stamp's own provider database, by domain
 * @STAMP_DISCOVERY_SOURCE_MX: the domain's MX records point to a known provider
 * @STAMP_DISCOVERY_SOURCE_AUTOCONFIG: the domain publishes Mozilla autoconfig
 * @STAMP_DISCOVERY_SOURCE_TENANT: Microsoft's sign-in service knows the
 *   domain's Microsoft 365 tenant
 * @STAMP_DISCOVERY_SOURCE_ISPDB: Thunderbird's public ISP database
 * @STAMP_DISCOVERY_SOURCE_SRV: DNS SRV records (RFC 6186)
 * @STAMP_DISCOVERY_SOURCE_PROBE: a guessed host that answered a short EHLO
 *
 * Where a discovered setting came from, most trusted first.
 */
typedef enum
{
  STAMP_DISCOVERY_SOURCE_PROVIDER,
  STAMP_DISCOVERY_SOURCE_MX,
  STAMP_DISCOVERY_SOURCE_AUTOCONFIG,
  STAMP_DISCOVERY_SOURCE_TENANT,
  STAMP_DISCOVERY_SOURCE_ISPDB,
  STAMP_DISCOVERY_SOURCE_SRV,
  STAMP_DISCOVERY_SOURCE_PROBE,
} StampDiscoverySource;


#define STAMP_TYPE_CANDIDATE (stamp_candidate_get_type ())

G_DECLARE_FINAL_TYPE (StampCandidate, stamp_candidate, STAMP, CANDIDATE, GObject)

StampCandidate       *stamp_candidate_new                (const char           *host,
                                                          guint16               port,
                                                          StampSecurity         security,
                                                          StampDiscoverySource  source,
                                                          const char           *reason);
const char           *stamp_candidate_get_host           (StampCandidate       *self);
guint16               stamp_candidate_get_port           (StampCandidate       *self);
StampSecurity         stamp_candidate_get_security       (StampCandidate       *self);
StampDiscoverySource  stamp_candidate_get_source         (StampCandidate       *self);
const char           *stamp_candidate_get_reason         (StampCandidate       *self);
const char           *stamp_candidate_get_provider_id    (StampCandidate       *self);
void                  stamp_candidate_set_provider_id    (StampCandidate       *self,
                                                          const char           *provider_id);
const char * const   *stamp_candidate_get_auth_methods   (StampCandidate       *self);
void                  stamp_candidate_set_auth_methods   (StampCandidate       *self,
                                                          const char * const   *methods);
int                   stamp_candidate_get_score          (StampCandidate       *self);
void                  stamp_candidate_set_score          (StampCandidate       *self,
                                                          int                   score);
gboolean              stamp_candidate_same_endpoint      (StampCandidate       *self,
                                                          StampCandidate       *other);

G_END_DECLS

/* stamp-dns-finding.h
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

G_BEGIN_DECLS

/**
 * StampDnsRecordKind:
 * @STAMP_DNS_RECORD_SPF: the SPF record at the domain (RFC 7208)
 * @STAMP_DNS_RECORD_DKIM: a DKIM key record under `_domainkey` (RFC 6376)
 * @STAMP_DNS_RECORD_DMARC: the DMARC record at `_dmarc` (RFC 7489)
 *
 * Which of a sender's DNS records a finding is about.
 */
typedef enum
{
  STAMP_DNS_RECORD_SPF,
  STAMP_DNS_RECORD_DKIM,
  STAMP_DNS_RECORD_DMARC,
} StampDnsRecordKind;

/**
 * StampDnsStatus:
 * @STAMP_DNS_STATUS_OK: the record is there and as it should be
 * @STAMP_DNS_STATUS_WARNING: the record works but is weaker than it should be
 * @STAMP_DNS_STATUS_MISSING: there is no such record
 * @STAMP_DNS_STATUS_INVALID: there is a record, but receivers will ignore it,
 *   reject it, or it does not cover the mail provider
 * @STAMP_DNS_STATUS_LOOKUP_FAILED: DNS gave no answer in time, or an error
 *   other than "no such record"
 * @STAMP_DNS_STATUS_UNCHECKED: the record cannot be checked from outside (a
 *   DKIM selector that only the provider knows)
 *
 * Where a record stands, best first.
 */
typedef enum
{
  STAMP_DNS_STATUS_OK,
  STAMP_DNS_STATUS_WARNING,
  STAMP_DNS_STATUS_MISSING,
  STAMP_DNS_STATUS_INVALID,
  STAMP_DNS_STATUS_LOOKUP_FAILED,
  STAMP_DNS_STATUS_UNCHECKED,
} StampDnsStatus;

#define STAMP_TYPE_DNS_FINDING (stamp_dns_finding_get_type ())

G_DECLARE_FINAL_TYPE (StampDnsFinding, stamp_dns_finding, STAMP, DNS_FINDING, GObject)

StampDnsFinding    *stamp_dns_finding_new            (StampDnsRecordKind  kind,
                                                      StampDnsStatus      status,
                                                      const char         *name,
                                                      const char         *record,
                                                      const char         *message,
                                                      const char         *suggestion);
StampDnsRecordKind  stamp_dns_finding_get_kind       (StampDnsFinding    *self);
StampDnsStatus      stamp_dns_finding_get_status     (StampDnsFinding    *self);
const char         *stamp_dns_finding_get_name       (StampDnsFinding    *self);
const char         *stamp_dns_finding_get_record     (StampDnsFinding    *self);
const char         *stamp_dns_finding_get_message    (StampDnsFinding    *self);
const char         *stamp_dns_finding_get_suggestion (StampDnsFinding    *self);
gboolean            stamp_dns_finding_needs_action   (StampDnsFinding    *self);

const char         *stamp_dns_record_kind_to_string  (StampDnsRecordKind  kind);
const char         *stamp_dns_status_to_string       (StampDnsStatus      status);

G_END_DECLS

/* stamp-dns-check-private.h
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

#include "stamp-dns-check.h"
#include "stamp-spf-walk.h"

G_BEGIN_DECLS

/* What a sender's DNS should say for one provider. Kept here rather than
 * in providers.json: only a handful of providers document these, and the
 * values are DNS facts, not sending settings. */
typedef struct
{
  const char         *provider_id;
  const char         *spf_include;
  const char * const *dkim_selectors;      /* NULL: chosen per customer */
  const char         *dkim_cname_domain;   /* selectors are CNAMEs into this domain */
} DnsProvider;

typedef enum
{
  TXT_PENDING,
  TXT_FOUND,
  TXT_NONE,
  TXT_FAILED,
} TxtState;

/* The answer to one TXT lookup: each record with its strings joined. */
typedef struct
{
  TxtState  state;
  GStrv     records;
  char     *failure;
} TxtAnswer;

const DnsProvider *_stamp_dns_provider_lookup        (const char         *provider_id);
void               _stamp_txt_answer_clear           (TxtAnswer          *answer);

void               _stamp_dns_check_add_spf          (GPtrArray          *findings,
                                                      const char         *domain,
                                                      const DnsProvider  *provider,
                                                      const char         *provider_name,
                                                      const TxtAnswer    *answer,
                                                      StampSpfWalk       *walk);
void               _stamp_dns_check_add_dkim         (GPtrArray          *findings,
                                                      const char         *domain,
                                                      const DnsProvider  *provider,
                                                      const char         *provider_name,
                                                      const char         *selector,
                                                      const TxtAnswer    *answer);
gboolean           _stamp_dns_check_dmarc_is_missing (const TxtAnswer    *answer);
void               _stamp_dns_check_add_dmarc        (GPtrArray          *findings,
                                                      const char         *domain,
                                                      const TxtAnswer    *answer,
                                                      const char         *org_domain,
                                                      const TxtAnswer    *org_answer);

/* stamp-dns-check-tags.c */
gboolean           _stamp_dns_parse_tags             (const char         *text,
                                                      GPtrArray         **names,
                                                      GPtrArray         **values);
const char        *_stamp_dns_find_tag               (GPtrArray          *names,
                                                      GPtrArray          *values,
                                                      const char         *name);
char              *_stamp_dmarc_build                (GPtrArray          *names,
                                                      GPtrArray          *values,
                                                      const char         *name,
                                                      const char         *value,
                                                      const char         *default_rua);
char              *_stamp_dmarc_dup_problem          (GPtrArray          *names,
                                                      GPtrArray          *values);
gboolean           _stamp_dmarc_starts_with_version  (const char         *text);

G_END_DECLS

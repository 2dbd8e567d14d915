/* stamp-spf.h
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

#include <glib.h>

G_BEGIN_DECLS

/* RFC 7208 §4.6.4: at most ten terms that cause DNS lookups, counted
 * through every include and redirect. */
#define STAMP_SPF_MAX_LOOKUPS 10

/**
 * StampSpfTermKind:
 *
 * The mechanisms and modifiers of RFC 7208 §5 and §6.
 */
typedef enum
{
  STAMP_SPF_TERM_ALL,
  STAMP_SPF_TERM_INCLUDE,
  STAMP_SPF_TERM_A,
  STAMP_SPF_TERM_MX,
  STAMP_SPF_TERM_PTR,
  STAMP_SPF_TERM_IP4,
  STAMP_SPF_TERM_IP6,
  STAMP_SPF_TERM_EXISTS,
  STAMP_SPF_TERM_REDIRECT,
  STAMP_SPF_TERM_EXP,
  STAMP_SPF_TERM_UNKNOWN_MODIFIER,
} StampSpfTermKind;

/**
 * StampSpfTerm:
 * @kind: the mechanism or modifier
 * @qualifier: `+`, `-`, `~` or `?` for a mechanism (`+` when none is
 *   written); 0 for a modifier
 * @target: (nullable): the domain-spec or network after `:` or `=`, without
 *   a CIDR length
 * @text: the term as written
 */
typedef struct
{
  StampSpfTermKind  kind;
  char              qualifier;
  char             *target;
  char             *text;
} StampSpfTerm;

typedef struct _StampSpfRecord StampSpfRecord;

gboolean            stamp_spf_is_record             (const char            *txt);
StampSpfRecord     *stamp_spf_record_parse          (const char            *text,
                                                     GError               **error);
void                stamp_spf_record_free           (StampSpfRecord        *self);
guint               stamp_spf_record_get_n_terms    (const StampSpfRecord  *self);
const StampSpfTerm *stamp_spf_record_get_term       (const StampSpfRecord  *self,
                                                     guint                  position);
const StampSpfTerm *stamp_spf_record_find           (const StampSpfRecord  *self,
                                                     StampSpfTermKind       kind);
guint               stamp_spf_record_count_lookups  (const StampSpfRecord  *self);
gboolean            stamp_spf_record_evaluates      (const StampSpfRecord  *self,
                                                     guint                  position);
gboolean            stamp_spf_term_looks_up         (const StampSpfTerm    *term);
char               *stamp_spf_merge                 (const char * const    *records,
                                                     const char            *include);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSpfRecord, stamp_spf_record_free)

G_END_DECLS

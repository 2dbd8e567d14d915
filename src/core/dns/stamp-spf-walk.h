/* stamp-spf-walk.h
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

#include "stamp-spf.h"

G_BEGIN_DECLS

/**
 * StampSpfProblem:
 * @STAMP_SPF_PROBLEM_NONE: the walk found nothing wrong
 * @STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS: more than %STAMP_SPF_MAX_LOOKUPS terms look up DNS
 * @STAMP_SPF_PROBLEM_LOOP: an include or redirect leads back to a record on its own path
 * @STAMP_SPF_PROBLEM_TOO_DEEP: includes nest deeper than any valid record could
 * @STAMP_SPF_PROBLEM_NO_RECORD: a name has no SPF record
 * @STAMP_SPF_PROBLEM_MULTIPLE: a name has more than one SPF record
 * @STAMP_SPF_PROBLEM_SYNTAX: a record does not parse
 * @STAMP_SPF_PROBLEM_LOOKUP_FAILED: DNS did not answer for a name
 *
 * What makes receivers give up on a domain's SPF (a "permerror", or a
 * "temperror" for a failed lookup), found while walking its includes.
 */
typedef enum
{
  STAMP_SPF_PROBLEM_NONE,
  STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS,
  STAMP_SPF_PROBLEM_LOOP,
  STAMP_SPF_PROBLEM_TOO_DEEP,
  STAMP_SPF_PROBLEM_NO_RECORD,
  STAMP_SPF_PROBLEM_MULTIPLE,
  STAMP_SPF_PROBLEM_SYNTAX,
  STAMP_SPF_PROBLEM_LOOKUP_FAILED,
} StampSpfProblem;

typedef struct _StampSpfWalk StampSpfWalk;

StampSpfWalk     *stamp_spf_walk_new                (const char         *domain);
void              stamp_spf_walk_free               (StampSpfWalk       *self);
void              stamp_spf_walk_add_answer         (StampSpfWalk       *self,
                                                     const char         *name,
                                                     const char * const *txt);
void              stamp_spf_walk_add_failure        (StampSpfWalk       *self,
                                                     const char         *name,
                                                     const char         *reason);
char            **stamp_spf_walk_run                (StampSpfWalk       *self);
StampSpfProblem   stamp_spf_walk_get_problem        (StampSpfWalk       *self);
const char       *stamp_spf_walk_get_problem_name   (StampSpfWalk       *self);
const char       *stamp_spf_walk_get_problem_detail (StampSpfWalk       *self);
guint             stamp_spf_walk_get_n_lookups      (StampSpfWalk       *self);
gboolean          stamp_spf_walk_reaches            (StampSpfWalk       *self,
                                                     const char         *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSpfWalk, stamp_spf_walk_free)

G_END_DECLS

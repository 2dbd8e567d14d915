/* fuzz-spf.c
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

/* SPF records come from any domain a sender names and from every domain
 * it includes: the parser must refuse what is not a record, the merge must
 * always suggest a record that parses, and a walk must end, however the
 * records include each other. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stamp-spf-walk.h"

#define INCLUDE "spf.protection.outlook.com"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Every name answers with the same record, so any include in it loops or
 * multiplies; the walk must still stop within the lookup limit. */
static void
walk (const char *text)
{
  g_autoptr(StampSpfWalk) walk = stamp_spf_walk_new ("fuzz.example.com");
  const char * const txt[] = { text, NULL };

  for (guint round = 0; ; round++)
    {
      g_auto(GStrv) needed = stamp_spf_walk_run (walk);

      if (needed[0] == NULL)
        break;

      g_assert_cmpuint (round, <=, STAMP_SPF_MAX_LOOKUPS + 1);
      for (guint i = 0; needed[i] != NULL; i++)
        stamp_spf_walk_add_answer (walk, needed[i], txt);
    }

  g_assert_cmpuint (stamp_spf_walk_get_n_lookups (walk), <=, STAMP_SPF_MAX_LOOKUPS + 1);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char * const records[] = { text, NULL };
  g_autoptr(StampSpfRecord) record = NULL;
  g_autoptr(StampSpfRecord) suggested = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *lower = NULL;

  record = stamp_spf_record_parse (text, NULL);
  if (record != NULL)
    {
      g_assert_cmpuint (stamp_spf_record_count_lookups (record), <=,
                        stamp_spf_record_get_n_terms (record));
      for (guint i = 0; i < stamp_spf_record_get_n_terms (record); i++)
        g_assert_nonnull (stamp_spf_record_get_term (record, i)->text);
      walk (text);
    }

  /* What Stamp tells people to publish must itself be a valid record. */
  merged = stamp_spf_merge (records, INCLUDE);
  suggested = stamp_spf_record_parse (merged, &error);
  g_assert_no_error (error);
  lower = g_ascii_strdown (merged, -1);
  g_assert_nonnull (strstr (lower, INCLUDE));

  return 0;
}

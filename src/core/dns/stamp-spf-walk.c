/* stamp-spf-walk.c
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

/* A domain's SPF followed through include and redirect (RFC 7208 §5.2,
 * §6.1) without any network: the caller looks up what the walk names and
 * hands the answers back, and the walk counts what a receiver counts. */

#define G_LOG_DOMAIN "stamp-spf"

#include "config.h"

#include <string.h>

#include "stamp-spf-walk.h"

/* A valid record can nest no deeper than it can look up; this only bounds
 * the recursion should the lookup count ever fail to. */
#define MAX_DEPTH (STAMP_SPF_MAX_LOOKUPS + 1)

struct _StampSpfWalk
{
  char            *domain;
  GHashTable      *answers;    /* name → GStrv of SPF records (empty: none) */
  GHashTable      *failures;   /* name → reason */

  /* The outcome of the last run */
  GPtrArray       *needed;
  GHashTable      *reached;    /* include and redirect targets */
  StampSpfProblem  problem;
  char            *problem_name;
  char            *problem_detail;
  guint            n_lookups;
};

static char *
normalize_name (const char *name)
{
  gsize len = strlen (name);

  if (len > 0 && name[len - 1] == '.')
    len--;

  return g_ascii_strdown (name, len);
}

/**
 * stamp_spf_walk_new:
 * @domain: the domain whose SPF is walked
 *
 * Starts a walk of @domain's SPF through its includes and redirects. The
 * walk never looks anything up: stamp_spf_walk_run() names what it needs,
 * and the caller answers with stamp_spf_walk_add_answer() or
 * stamp_spf_walk_add_failure() and runs it again.
 *
 * Returns: (transfer full): a new walk
 */
StampSpfWalk *
stamp_spf_walk_new (const char *domain)
{
  StampSpfWalk *self;

  g_return_val_if_fail (domain != NULL, NULL);

  self = g_new0 (StampSpfWalk, 1);
  self->domain = normalize_name (domain);
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_strfreev);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->needed = g_ptr_array_new_with_free_func (g_free);
  self->reached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return self;
}

void
stamp_spf_walk_free (StampSpfWalk *self)
{
  if (self == NULL)
    return;

  g_free (self->domain);
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->failures);
  g_ptr_array_unref (self->needed);
  g_hash_table_unref (self->reached);
  g_free (self->problem_name);
  g_free (self->problem_detail);
  g_free (self);
}

/**
 * stamp_spf_walk_add_answer:
 * @self: a walk
 * @name: the name that was looked up
 * @txt: (nullable) (array zero-terminated=1): its TXT records, each with
 *   its strings joined; %NULL when the name has none
 */
void
stamp_spf_walk_add_answer (StampSpfWalk       *self,
                           const char         *name,
                           const char * const *txt)
{
  g_autoptr(GStrvBuilder) spf = g_strv_builder_new ();

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  /* Only SPF records matter: §4.5 discards the rest. */
  for (guint i = 0; txt != NULL && txt[i] != NULL; i++)
    {
      if (stamp_spf_is_record (txt[i]))
        g_strv_builder_add (spf, txt[i]);
    }

  g_hash_table_insert (self->answers, normalize_name (name), g_strv_builder_end (spf));
}

/**
 * stamp_spf_walk_add_failure:
 * @self: a walk
 * @name: the name that could not be looked up
 * @reason: why, for the person reading the result
 */
void
stamp_spf_walk_add_failure (StampSpfWalk *self,
                            const char   *name,
                            const char   *reason)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_hash_table_insert (self->failures, normalize_name (name), g_strdup (reason));
}

static gboolean
stop (StampSpfWalk    *self,
      StampSpfProblem  problem,
      const char      *name,
      const char      *detail)
{
  self->problem = problem;
  self->problem_name = g_strdup (name);
  self->problem_detail = g_strdup (detail);

  return FALSE;
}

static gboolean
walk_name (StampSpfWalk *self,
           const char   *name,
           GPtrArray    *path);

/* Follows one include or redirect; a target built from macros depends on
 * the sender and cannot be followed without one. */
static gboolean
walk_target (StampSpfWalk       *self,
             const StampSpfTerm *term,
             GPtrArray          *path)
{
  g_autofree char *target = NULL;

  if (strchr (term->target, '%') != NULL)
    return TRUE;

  target = normalize_name (term->target);
  g_hash_table_add (self->reached, g_strdup (target));

  return walk_name (self, target, path);
}

static gboolean
walk_name (StampSpfWalk *self,
           const char   *name,
           GPtrArray    *path)
{
  g_autoptr(StampSpfRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  const StampSpfTerm *redirect = NULL;
  const char *failure;
  char **spf;
  gboolean ok = TRUE;

  for (guint i = 0; i < path->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (path, i), name))
        return stop (self, STAMP_SPF_PROBLEM_LOOP, name, NULL);
    }

  if (path->len >= MAX_DEPTH)
    return stop (self, STAMP_SPF_PROBLEM_TOO_DEEP, name, NULL);

  failure = g_hash_table_lookup (self->failures, name);
  if (failure != NULL)
    return stop (self, STAMP_SPF_PROBLEM_LOOKUP_FAILED, name, failure);

  /* Not known yet: note it, and go on with the rest so that one round of
   * lookups answers every name this run can see. */
  spf = g_hash_table_lookup (self->answers, name);
  if (spf == NULL)
    {
      if (!g_ptr_array_find_with_equal_func (self->needed, name, g_str_equal, NULL))
        g_ptr_array_add (self->needed, g_strdup (name));
      return TRUE;
    }

  /* §5.2 and §6.1: an include or redirect to a name without exactly one
   * SPF record is a permanent error, whether the name answered nothing (a
   * "void lookup") or only other TXT records. */
  if (spf[0] == NULL)
    return stop (self, STAMP_SPF_PROBLEM_NO_RECORD, name, NULL);
  if (spf[1] != NULL)
    return stop (self, STAMP_SPF_PROBLEM_MULTIPLE, name, NULL);

  record = stamp_spf_record_parse (spf[0], &error);
  if (record == NULL)
    return stop (self, STAMP_SPF_PROBLEM_SYNTAX, name, error->message);

  g_ptr_array_add (path, g_strdup (name));

  for (guint i = 0; i < stamp_spf_record_get_n_terms (record) && ok; i++)
    {
      const StampSpfTerm *term = stamp_spf_record_get_term (record, i);

      if (!stamp_spf_term_looks_up (term) || !stamp_spf_record_evaluates (record, i))
        continue;

      if (++self->n_lookups > STAMP_SPF_MAX_LOOKUPS)
        ok = stop (self, STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS, name, NULL);
      else if (term->kind == STAMP_SPF_TERM_INCLUDE)
        ok = walk_target (self, term, path);
      else if (term->kind == STAMP_SPF_TERM_REDIRECT)
        redirect = term;
    }

  /* The redirect is taken only after every mechanism failed to match. */
  if (ok && redirect != NULL)
    ok = walk_target (self, redirect, path);

  g_ptr_array_remove_index (path, path->len - 1);

  return ok;
}

/**
 * stamp_spf_walk_run:
 * @self: a walk
 *
 * Walks the domain's SPF as far as the answers given so far reach. Each
 * include and redirect is followed, and lookups are counted as a receiver
 * counts them; the first problem ends the walk. The names still needed
 * are returned; once there are none, the result is final.
 *
 * Only include and redirect targets are looked up: the names behind a, mx,
 * ptr and exists are counted but never resolved, so their void lookups
 * (§4.6.4) are not checked.
 *
 * Returns: (transfer full): the names to look up next, possibly none
 */
char **
stamp_spf_walk_run (StampSpfWalk *self)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) needed = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  g_ptr_array_set_size (self->needed, 0);
  g_hash_table_remove_all (self->reached);
  g_clear_pointer (&self->problem_name, g_free);
  g_clear_pointer (&self->problem_detail, g_free);
  self->problem = STAMP_SPF_PROBLEM_NONE;
  self->n_lookups = 0;

  /* A problem is final even with names unanswered: more answers could only
   * add lookups, never take one back. */
  if (walk_name (self, self->domain, path))
    {
      for (guint i = 0; i < self->needed->len; i++)
        g_strv_builder_add (needed, g_ptr_array_index (self->needed, i));
    }

  return g_strv_builder_end (needed);
}

StampSpfProblem
stamp_spf_walk_get_problem (StampSpfWalk *self)
{
  g_return_val_if_fail (self != NULL, STAMP_SPF_PROBLEM_NONE);

  return self->problem;
}

/**
 * stamp_spf_walk_get_problem_name:
 * @self: a walk
 *
 * Returns: (nullable): the name at which the problem was found
 */
const char *
stamp_spf_walk_get_problem_name (StampSpfWalk *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problem_name;
}

/**
 * stamp_spf_walk_get_problem_detail:
 * @self: a walk
 *
 * Returns: (nullable): the parser's message or the lookup's failure
 */
const char *
stamp_spf_walk_get_problem_detail (StampSpfWalk *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problem_detail;
}

/**
 * stamp_spf_walk_get_n_lookups:
 * @self: a walk
 *
 * Returns: the lookups counted so far, all records together; past
 *   %STAMP_SPF_MAX_LOOKUPS the count stops
 */
guint
stamp_spf_walk_get_n_lookups (StampSpfWalk *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_lookups;
}

/**
 * stamp_spf_walk_reaches:
 * @self: a walk
 * @name: a domain such as `spf.protection.outlook.com`
 *
 * Returns: whether the domain's SPF includes or redirects to @name,
 *   directly or through other records
 */
gboolean
stamp_spf_walk_reaches (StampSpfWalk *self,
                        const char   *name)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  normal = normalize_name (name);

  return g_hash_table_contains (self->reached, normal);
}

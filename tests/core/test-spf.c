/* test-spf.c
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

/* The SPF parser, merge and walk, with no network: tables of records that
 * parse and that do not, merges of what domains really publish, and walks
 * through include trees given as answers. */

#include "config.h"

#include "stamp-error.h"
#include "stamp-spf-walk.h"

typedef struct
{
  const char *name;
  const char *record;
  guint       n_terms;
  guint       n_lookups;
} GoodCase;

static const GoodCase good_cases[] = {
  { "microsoft", "v=spf1 include:spf.protection.outlook.com -all", 2, 1 },
  { "google", "v=spf1 include:_spf.google.com ~all", 2, 1 },
  { "empty", "v=spf1", 0, 0 },
  { "upper-case", "V=SPF1 MX A:Mail.Example.COM/24 -ALL", 3, 2 },
  { "extra-spaces", "v=spf1  ip4:192.0.2.0/24   ip6:2001:db8::/32  -all ", 3, 0 },
  { "dual-cidr", "v=spf1 a/24//64 mx:example.com//128 -all", 3, 2 },
  { "qualifiers", "v=spf1 +a -mx ~ptr ?exists:%{i}.spf.example.com -all", 5, 4 },
  { "redirect", "v=spf1 redirect=_spf.example.com", 1, 1 },
  { "redirect-ignored", "v=spf1 ip4:192.0.2.1 redirect=_spf.example.com -all", 3, 0 },
  { "after-all", "v=spf1 -all include:never.example.com", 2, 0 },
  { "exp", "v=spf1 -all exp=explain._spf.%{d}", 2, 0 },
  { "unknown-modifier", "v=spf1 foo.bar=%{d}x -all", 2, 0 },
  { "macro-include", "v=spf1 include:%{l1r-}.example.com -all", 2, 1 },
  { "trailing-dot", "v=spf1 include:spf.example.com. -all", 2, 1 },
  { "ip4-host", "v=spf1 ip4:203.0.113.7 -all", 2, 0 },
};

typedef struct
{
  const char *name;
  const char *record;
  const char *bad_term;
} BadCase;

static const BadCase bad_cases[] = {
  { "no-version", "include:spf.example.com -all", NULL },
  { "version-2", "v=spf2 -all", NULL },
  { "version-glued", "v=spf1-all", NULL },
  { "unknown-mechanism", "v=spf1 include:spf.example.com allow -all", "allow" },
  { "typo", "v=spf1 incude:spf.example.com -all", "incude:spf.example.com" },
  { "include-empty", "v=spf1 include: -all", "include:" },
  { "include-no-colon", "v=spf1 include -all", "include" },
  { "include-tld-only", "v=spf1 include:com -all", "include:com" },
  { "include-numeric-tld", "v=spf1 include:example.123 -all", "include:example.123" },
  { "all-with-arg", "v=spf1 all:example.com", "all:example.com" },
  { "ip4-bad", "v=spf1 ip4:192.0.2 -all", "ip4:192.0.2" },
  { "ip4-v6", "v=spf1 ip4:2001:db8::1 -all", "ip4:2001:db8::1" },
  { "ip4-cidr", "v=spf1 ip4:192.0.2.0/33 -all", "ip4:192.0.2.0/33" },
  { "ip4-cidr-zero", "v=spf1 ip4:192.0.2.0/024 -all", "ip4:192.0.2.0/024" },
  { "ip6-cidr", "v=spf1 ip6:2001:db8::/129 -all", "ip6:2001:db8::/129" },
  { "a-cidr", "v=spf1 a/40 -all", "a/40" },
  { "bad-qualifier", "v=spf1 !all", "!all" },
  { "bad-macro", "v=spf1 exists:%{x}.example.com -all", "exists:%{x}.example.com" },
  { "bare-percent", "v=spf1 include:100%.example.com -all", "include:100%.example.com" },
  { "empty-label", "v=spf1 include:spf..example.com -all", "include:spf..example.com" },
  { "two-redirects", "v=spf1 redirect=a.example.com redirect=b.example.com", "redirect=" },
  { "modifier-qualifier", "v=spf1 -redirect=a.example.com", "-redirect=a.example.com" },
  { "tab", "v=spf1 mx\t-all", "mx\\t-all" },
  { "utf8", "v=spf1 include:bücher.example -all", "include:bücher.example" },
};

static void
test_good (gconstpointer data)
{
  const GoodCase *test = data;
  g_autoptr(StampSpfRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_spf_is_record (test->record));
  record = stamp_spf_record_parse (test->record, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpuint (stamp_spf_record_get_n_terms (record), ==, test->n_terms);
  g_assert_cmpuint (stamp_spf_record_count_lookups (record), ==, test->n_lookups);
}

static void
test_bad (gconstpointer data)
{
  const BadCase *test = data;
  g_autoptr(StampSpfRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = stamp_spf_record_parse (test->record, &error);
  g_assert_null (record);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  /* The message names the term to fix. */
  if (test->bad_term != NULL)
    g_assert_nonnull (strstr (error->message, test->bad_term));
}

static void
test_terms (void)
{
  g_autoptr(StampSpfRecord) record = NULL;
  const StampSpfTerm *term;

  record = stamp_spf_record_parse ("v=spf1 ~include:_spf.Example.com ip4:192.0.2.0/24 "
                                   "mx:mail.example.com/28 redirect=spf.example.net", NULL);
  g_assert_nonnull (record);

  term = stamp_spf_record_get_term (record, 0);
  g_assert_cmpint (term->kind, ==, STAMP_SPF_TERM_INCLUDE);
  g_assert_cmpint (term->qualifier, ==, '~');
  g_assert_cmpstr (term->target, ==, "_spf.Example.com");

  term = stamp_spf_record_get_term (record, 1);
  g_assert_cmpint (term->kind, ==, STAMP_SPF_TERM_IP4);
  g_assert_cmpint (term->qualifier, ==, '+');
  g_assert_cmpstr (term->target, ==, "192.0.2.0");

  term = stamp_spf_record_get_term (record, 2);
  g_assert_cmpint (term->kind, ==, STAMP_SPF_TERM_MX);
  g_assert_cmpstr (term->target, ==, "mail.example.com");
  g_assert_cmpstr (term->text, ==, "mx:mail.example.com/28");

  term = stamp_spf_record_find (record, STAMP_SPF_TERM_REDIRECT);
  g_assert_nonnull (term);
  g_assert_cmpint (term->qualifier, ==, 0);
  g_assert_cmpstr (term->target, ==, "spf.example.net");
  g_assert_null (stamp_spf_record_find (record, STAMP_SPF_TERM_ALL));
}

typedef struct
{
  const char *name;
  const char *records[3];
  const char *include;
  const char *merged;
} MergeCase;

static const MergeCase merge_cases[] = {
  { "nothing", { NULL }, "spf.protection.outlook.com",
    "v=spf1 include:spf.protection.outlook.com -all" },
  { "add-include", { "v=spf1 ip4:192.0.2.1 mx ~all", NULL }, "spf.protection.outlook.com",
    "v=spf1 ip4:192.0.2.1 mx include:spf.protection.outlook.com ~all" },
  { "already-there", { "v=spf1 include:SPF.protection.outlook.com -all", NULL },
    "spf.protection.outlook.com", "v=spf1 include:SPF.protection.outlook.com -all" },
  { "two-records", { "v=spf1 mx -all", "v=spf1 include:_spf.google.com mx ~all", NULL },
    "_spf.google.com", "v=spf1 mx include:_spf.google.com -all" },
  { "plus-all", { "v=spf1 a +all", NULL }, "_spf.google.com",
    "v=spf1 a include:_spf.google.com -all" },
  { "no-all", { "v=spf1 a", NULL }, NULL, "v=spf1 a -all" },
  { "redirect", { "v=spf1 ip4:192.0.2.1 redirect=_spf.example.com", NULL },
    "spf.protection.outlook.com",
    "v=spf1 ip4:192.0.2.1 include:spf.protection.outlook.com redirect=_spf.example.com" },
  { "redirect-ignored", { "v=spf1 redirect=spf.protection.outlook.com ~all", NULL },
    "spf.protection.outlook.com", "v=spf1 include:spf.protection.outlook.com ~all" },
  { "redirect-is-include", { "v=spf1 redirect=_spf.google.com", NULL }, "_spf.google.com",
    "v=spf1 redirect=_spf.google.com" },
  { "drops-broken", { "v=spf1 ip4:192.0.2 incude:x.example.com mx -all", NULL },
    "spf.protection.office365.us", "v=spf1 mx include:spf.protection.office365.us -all" },
  { "drops-after-all", { "v=spf1 mx -all a", NULL }, NULL, "v=spf1 mx -all" },
  { "skips-other-txt", { "google-site-verification=abc", "v=spf1 mx ~all", NULL }, NULL,
    "v=spf1 mx ~all" },
  { "keeps-exp", { "v=spf1 mx -all exp=why.example.com", NULL }, NULL,
    "v=spf1 mx -all exp=why.example.com" },
};

static void
test_merge (gconstpointer data)
{
  const MergeCase *test = data;
  g_autofree char *merged = stamp_spf_merge (test->records, test->include);
  g_autoptr(StampSpfRecord) record = NULL;

  g_assert_cmpstr (merged, ==, test->merged);
  /* What Stamp suggests always parses. */
  record = stamp_spf_record_parse (merged, NULL);
  g_assert_nonnull (record);
}

typedef struct
{
  const char *name;
  const char *txt;
} Answer;

typedef struct
{
  const char      *name;
  Answer           answers[16];
  StampSpfProblem  problem;
  const char      *problem_name;
  guint            n_lookups;
  const char      *reaches;
} WalkCase;

#define MS "v=spf1 ip4:40.92.0.0/15 -all"

static const WalkCase walk_cases[] = {
  { "flat", { { "example.com", "v=spf1 include:spf.protection.outlook.com -all" },
              { "spf.protection.outlook.com", MS } },
    STAMP_SPF_PROBLEM_NONE, NULL, 1, "spf.protection.outlook.com" },
  { "nested", { { "example.com", "v=spf1 mx include:_spf.example.com -all" },
                { "_spf.example.com", "v=spf1 a include:spf.protection.outlook.com ~all" },
                { "spf.protection.outlook.com", MS } },
    STAMP_SPF_PROBLEM_NONE, NULL, 4, "spf.protection.outlook.com" },
  { "redirect", { { "example.com", "v=spf1 redirect=_spf.google.com" },
                  { "_spf.google.com", "v=spf1 include:_netblocks.google.com ~all" },
                  { "_netblocks.google.com", "v=spf1 ip4:35.190.247.0/24 ~all" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 2, "_spf.google.com" },
  { "other-txt", { { "example.com", "v=spf1 include:a.example.com -all" },
                   { "a.example.com", "some-verification=1" },
                   { "a.example.com", "v=spf1 -all" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 1, "a.example.com" },
  { "eleven", { { "example.com", "v=spf1 a mx ptr include:x.example.com -all" },
                { "x.example.com", "v=spf1 a mx include:y.example.com -all" },
                { "y.example.com", "v=spf1 a mx exists:%{i}.z.example.com a:b.example.com "
                                   "mx:c.example.com -all" } },
    STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS, "y.example.com", 11, NULL },
  { "exactly-ten", { { "example.com", "v=spf1 a mx ptr include:x.example.com -all" },
                     { "x.example.com", "v=spf1 a mx include:y.example.com -all" },
                     { "y.example.com", "v=spf1 a mx exists:%{i}.z.example.com -all" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 10, "y.example.com" },
  { "loop", { { "example.com", "v=spf1 include:a.example.com -all" },
              { "a.example.com", "v=spf1 include:b.example.com -all" },
              { "b.example.com", "v=spf1 include:A.example.com. -all" } },
    STAMP_SPF_PROBLEM_LOOP, "a.example.com", 3, NULL },
  { "self-redirect", { { "example.com", "v=spf1 redirect=example.com" } },
    STAMP_SPF_PROBLEM_LOOP, "example.com", 1, NULL },
  { "same-twice", { { "example.com", "v=spf1 include:a.example.com include:a.example.com -all" },
                    { "a.example.com", "v=spf1 mx -all" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 4, "a.example.com" },
  { "void-include", { { "example.com", "v=spf1 include:gone.example.com -all" },
                      { "gone.example.com", NULL } },
    STAMP_SPF_PROBLEM_NO_RECORD, "gone.example.com", 1, NULL },
  { "two-in-include", { { "example.com", "v=spf1 include:a.example.com -all" },
                        { "a.example.com", "v=spf1 mx -all" },
                        { "a.example.com", "v=spf1 a -all" } },
    STAMP_SPF_PROBLEM_MULTIPLE, "a.example.com", 1, NULL },
  { "broken-include", { { "example.com", "v=spf1 include:a.example.com -all" },
                        { "a.example.com", "v=spf1 ip4:300.1.1.1 -all" } },
    STAMP_SPF_PROBLEM_SYNTAX, "a.example.com", 1, NULL },
  { "root-missing", { { "example.com", NULL } },
    STAMP_SPF_PROBLEM_NO_RECORD, "example.com", 0, NULL },
  { "macro-not-followed", { { "example.com", "v=spf1 include:%{d}.spf.example.net -all" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 1, NULL },
  { "redirect-after-all-ignored", { { "example.com", "v=spf1 -all redirect=gone.example.com" } },
    STAMP_SPF_PROBLEM_NONE, NULL, 0, NULL },
};

/* Answers the walk one round at a time, as the DNS check does, and checks
 * that it never asks for a name twice. */
static void
test_walk (gconstpointer data)
{
  const WalkCase *test = data;
  g_autoptr(StampSpfWalk) walk = stamp_spf_walk_new ("Example.COM");
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);
  guint rounds = 0;

  for (;;)
    {
      g_auto(GStrv) needed = stamp_spf_walk_run (walk);

      if (needed[0] == NULL)
        break;

      g_assert_cmpuint (++rounds, <=, STAMP_SPF_MAX_LOOKUPS + 1);
      for (guint i = 0; needed[i] != NULL; i++)
        {
          g_autoptr(GStrvBuilder) txt = g_strv_builder_new ();
          g_auto(GStrv) records = NULL;

          g_assert_false (g_hash_table_contains (asked, needed[i]));
          g_hash_table_add (asked, (gpointer) g_intern_string (needed[i]));

          for (guint j = 0; j < G_N_ELEMENTS (test->answers) && test->answers[j].name; j++)
            {
              if (g_str_equal (test->answers[j].name, needed[i]) && test->answers[j].txt != NULL)
                g_strv_builder_add (txt, test->answers[j].txt);
            }
          records = g_strv_builder_end (txt);
          stamp_spf_walk_add_answer (walk, needed[i], (const char * const *) records);
        }
    }

  g_assert_cmpint (stamp_spf_walk_get_problem (walk), ==, test->problem);
  g_assert_cmpstr (stamp_spf_walk_get_problem_name (walk), ==, test->problem_name);
  g_assert_cmpuint (stamp_spf_walk_get_n_lookups (walk), ==, test->n_lookups);
  if (test->reaches != NULL)
    g_assert_true (stamp_spf_walk_reaches (walk, test->reaches));
}

static void
test_walk_failure (void)
{
  g_autoptr(StampSpfWalk) walk = stamp_spf_walk_new ("example.com");
  const char * const root[] = { "v=spf1 include:slow.example.com -all", NULL };
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  g_auto(GStrv) third = NULL;

  first = stamp_spf_walk_run (walk);
  g_assert_cmpstrv (first, ((const char * const[]) { "example.com", NULL }));
  stamp_spf_walk_add_answer (walk, "example.com", root);

  second = stamp_spf_walk_run (walk);
  g_assert_cmpstrv (second, ((const char * const[]) { "slow.example.com", NULL }));
  stamp_spf_walk_add_failure (walk, "slow.example.com", "no answer within 5 seconds");

  third = stamp_spf_walk_run (walk);
  g_assert_cmpstrv (third, ((const char * const[]) { NULL }));
  g_assert_cmpint (stamp_spf_walk_get_problem (walk), ==, STAMP_SPF_PROBLEM_LOOKUP_FAILED);
  g_assert_cmpstr (stamp_spf_walk_get_problem_name (walk), ==, "slow.example.com");
  g_assert_cmpstr (stamp_spf_walk_get_problem_detail (walk), ==, "no answer within 5 seconds");
}

/* A long chain stops at the eleventh lookup without asking for the rest. */
static void
test_walk_chain (void)
{
  g_autoptr(StampSpfWalk) walk = stamp_spf_walk_new ("example.com");
  guint asked = 0;

  for (;;)
    {
      g_auto(GStrv) needed = stamp_spf_walk_run (walk);

      if (needed[0] == NULL)
        break;

      for (guint i = 0; needed[i] != NULL; i++)
        {
          g_autofree char *next = g_strdup_printf ("v=spf1 include:l%u.example.com -all", asked);
          const char * const txt[] = { next, NULL };

          stamp_spf_walk_add_answer (walk, needed[i], txt);
          asked++;
        }
    }

  g_assert_cmpint (stamp_spf_walk_get_problem (walk), ==, STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS);
  g_assert_cmpuint (asked, ==, STAMP_SPF_MAX_LOOKUPS + 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/spf/parse/good/%s", good_cases[i].name);

      g_test_add_data_func (path, &good_cases[i], test_good);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/spf/parse/bad/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/stamp/spf/parse/terms", test_terms);
  for (guint i = 0; i < G_N_ELEMENTS (merge_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/spf/merge/%s", merge_cases[i].name);

      g_test_add_data_func (path, &merge_cases[i], test_merge);
    }
  for (guint i = 0; i < G_N_ELEMENTS (walk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/spf/walk/%s", walk_cases[i].name);

      g_test_add_data_func (path, &walk_cases[i], test_walk);
    }
  g_test_add_func ("/stamp/spf/walk/lookup-failed", test_walk_failure);
  g_test_add_func ("/stamp/spf/walk/long-chain", test_walk_chain);

  return g_test_run ();
}

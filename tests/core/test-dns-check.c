/* test-dns-check.c
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

/* The sender DNS check against a table resolver: good, missing and broken
 * SPF, DKIM and DMARC records; the provider told from the domain or its
 * MX; resolvers that fail, hang or are cancelled; IDN and invalid domains. */

#include "config.h"

#include <string.h>

#include "stamp-dns-check.h"
#include "stamp-error.h"
#include "stamp-test-resolver.h"
#include "stamp-test-time.h"

#define DOMAIN "contoso.test"
#define MS_SPF "v=spf1 ip4:40.92.0.0/15 ip6:2a01:111:f400::/48 -all"
#define KEY "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwxyz"
#define RUA "mailto:dmarc@contoso.test"
#define SELECTOR1 "selector1-contoso-test._domainkey.contoso.onmicrosoft.com"
#define SELECTOR2 "selector2-contoso-test._domainkey.contoso.onmicrosoft.com"

typedef struct
{
  StampTestResolver *resolver;
  StampDnsCheck     *check;
} Fixture;

typedef struct
{
  GMainLoop *loop;
  GPtrArray *findings;
  char      *provider_id;
  GError    *error;
} RunResult;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* Installed as the default too, so nothing can reach real DNS. */
  fixture->resolver = stamp_test_resolver_install ();
  fixture->check = stamp_dns_check_new ();
  stamp_dns_check_set_resolver (fixture->check, G_RESOLVER (fixture->resolver));
  stamp_dns_check_set_timeouts (fixture->check, 1000, 3000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + stamp_test_bound (5);

  /* Lookups cancelled by a deadline or by the caller still hold the check
   * until their threads return; every one must, and soon. */
  g_object_add_weak_pointer (G_OBJECT (fixture->check), (gpointer *) &fixture->check);
  g_object_unref (fixture->check);
  while (fixture->check != NULL && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_null (fixture->check);
  g_clear_object (&fixture->resolver);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunResult *run = user_data;

  run->findings = stamp_dns_check_run_finish (STAMP_DNS_CHECK (object), result,
                                              &run->provider_id, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GPtrArray *
check_full (Fixture     *fixture,
            const char  *domain,
            const char  *provider,
            guint        cancel_after_ms,
            char       **provider_id,
            gint64      *elapsed,
            GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult run = { loop, NULL, NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);

  stamp_dns_check_run_async (fixture->check, domain, provider, cancellable, run_cb, &run);
  g_main_loop_run (loop);

  if (elapsed != NULL)
    *elapsed = g_get_monotonic_time () - start;
  if (provider_id != NULL)
    *provider_id = g_steal_pointer (&run.provider_id);
  g_free (run.provider_id);
  if (run.error != NULL)
    g_propagate_error (error, run.error);

  return run.findings;
}

static GPtrArray *
check (Fixture    *fixture,
       const char *domain,
       const char *provider)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = check_full (fixture, domain, provider, 0, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (findings);
  return findings;
}

/* The findings about one kind of record, in order. */
static GPtrArray *
of_kind (GPtrArray          *findings,
         StampDnsRecordKind  kind)
{
  GPtrArray *some = g_ptr_array_new ();

  for (guint i = 0; i < findings->len; i++)
    {
      if (stamp_dns_finding_get_kind (g_ptr_array_index (findings, i)) == kind)
        g_ptr_array_add (some, g_ptr_array_index (findings, i));
    }

  return some;
}

typedef struct
{
  const char *name;
  const char *text;
} Record;

typedef struct
{
  const char         *name;
  const char         *provider;
  Record              txt[14];
  Record              cnames[2];
  StampDnsRecordKind  kind;
  guint               n_findings;   /* of @kind */
  guint               nth;          /* the finding checked below */
  StampDnsStatus      status;
  const char         *message;      /* a part of it */
  const char         *suggestion;   /* exactly; NULL for none */
} CheckCase;

/* Every case has some SPF, DKIM and DMARC, so each checks one thing. */
static const CheckCase check_cases[] = {
  /* SPF */
  { "spf/good-microsoft", "microsoft365",
    { { DOMAIN, "v=spf1 include:spf.protection.outlook.com -all" },
      { "spf.protection.outlook.com", MS_SPF } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_OK, "includes Microsoft 365 and needs 1 of 10",
    NULL },
  { "spf/without-provider-include", "microsoft365",
    { { DOMAIN, "v=spf1 mx ip4:192.0.2.1 ~all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID,
    "does not include Microsoft 365 (include:spf.protection.outlook.com)",
    "v=spf1 mx ip4:192.0.2.1 include:spf.protection.outlook.com ~all" },
  { "spf/missing", "microsoft365",
    { { DOMAIN, "google-site-verification=abc123" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_MISSING, "has no SPF record",
    "v=spf1 include:spf.protection.outlook.com -all" },
  { "spf/missing-gcc-high", "microsoft365-usgov",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_MISSING, "has no SPF record",
    "v=spf1 include:spf.protection.office365.us -all" },
  { "spf/missing-unknown-provider", "fastmail",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_MISSING, "your mail provider documents", NULL },
  { "spf/two-records", "microsoft365",
    { { DOMAIN, "v=spf1 include:spf.protection.outlook.com -all" },
      { DOMAIN, "v=spf1 ip4:192.0.2.1 ~all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID, "has 2 SPF records",
    "v=spf1 include:spf.protection.outlook.com ip4:192.0.2.1 -all" },
  { "spf/too-many-lookups", "microsoft365",
    { { DOMAIN, "v=spf1 a mx include:one.contoso.test -all" },
      { "one.contoso.test", "v=spf1 a mx include:two.contoso.test -all" },
      { "two.contoso.test", "v=spf1 a mx include:three.contoso.test -all" },
      { "three.contoso.test", "v=spf1 include:spf.protection.outlook.com mx a -all" },
      { "spf.protection.outlook.com", MS_SPF } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID, "more than 10 DNS lookups", NULL },
  { "spf/include-loop", "microsoft365",
    { { DOMAIN, "v=spf1 include:_spf.contoso.test -all" },
      { "_spf.contoso.test", "v=spf1 include:_spf2.contoso.test -all" },
      { "_spf2.contoso.test", "v=spf1 include:_spf.contoso.test -all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID, "loop back to _spf.contoso.test", NULL },
  { "spf/redirect", "google",
    { { DOMAIN, "v=spf1 redirect=_spf.google.com" },
      { "_spf.google.com", "v=spf1 include:_netblocks.google.com ~all" },
      { "_netblocks.google.com", "v=spf1 ip4:35.190.247.0/24 ~all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_OK, "needs 2 of 10", NULL },
  { "spf/bad-mechanism", "microsoft365",
    { { DOMAIN, "v=spf1 include:spf.protection.outlook.com allow:192.0.2.1 -all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID,
    "“allow:192.0.2.1” is not a valid SPF term",
    "v=spf1 include:spf.protection.outlook.com -all" },
  { "spf/void-include", "microsoft365",
    { { DOMAIN, "v=spf1 include:spf.protection.outlook.com include:gone.contoso.test -all" },
      { "spf.protection.outlook.com", MS_SPF } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID,
    "includes gone.contoso.test, which has no SPF record", NULL },
  { "spf/plus-all", "microsoft365",
    { { DOMAIN, "v=spf1 include:spf.protection.outlook.com +all" },
      { "spf.protection.outlook.com", MS_SPF } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_INVALID, "any server in the world",
    "v=spf1 include:spf.protection.outlook.com -all" },
  { "spf/long-record", NULL,
    { { DOMAIN, "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 "
                "ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 "
                "ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 "
                "ip4:192.0.2.16 ip4:192.0.2.17 ip4:192.0.2.18 -all" } },
    { { NULL } },
    STAMP_DNS_RECORD_SPF, 1, 0, STAMP_DNS_STATUS_OK, "needs 0 of 10", NULL },
  /* DKIM */
  { "dkim/microsoft-both", "microsoft365",
    { { SELECTOR1, KEY },
      { SELECTOR2, KEY } },
    { { "selector1._domainkey." DOMAIN, SELECTOR1 },
      { "selector2._domainkey." DOMAIN, SELECTOR2 } },
    STAMP_DNS_RECORD_DKIM, 2, 1, STAMP_DNS_STATUS_OK,
    "A DKIM key is published at selector2._domainkey.contoso.test", NULL },
  { "dkim/microsoft-one-missing", "microsoft365",
    { { SELECTOR1, KEY } },
    { { "selector1._domainkey." DOMAIN, SELECTOR1 } },
    STAMP_DNS_RECORD_DKIM, 2, 1, STAMP_DNS_STATUS_MISSING,
    "No DKIM key at selector2._domainkey.contoso.test",
    "CNAME selector2-contoso-test._domainkey.TENANT.onmicrosoft.com" },
  { "dkim/gcc-high-missing", "microsoft365-usgov",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 2, 0, STAMP_DNS_STATUS_MISSING, "No DKIM key at selector1",
    "CNAME selector1-contoso-test._domainkey.TENANT.onmicrosoft.us" },
  { "dkim/google", "google",
    { { "google._domainkey." DOMAIN, KEY } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 1, 0, STAMP_DNS_STATUS_OK, "google._domainkey.contoso.test", NULL },
  { "dkim/google-missing", "google",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 1, 0, STAMP_DNS_STATUS_MISSING, "admin console",
    "v=DKIM1; k=rsa; p=KEY" },
  { "dkim/revoked", "google",
    { { "google._domainkey." DOMAIN, "v=DKIM1; k=rsa; p=" } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 1, 0, STAMP_DNS_STATUS_INVALID, "revoked", NULL },
  { "dkim/not-a-key", "google",
    { { "google._domainkey." DOMAIN, "k=rsa; v=DKIM1; p=abc" } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 1, 0, STAMP_DNS_STATUS_INVALID, "is not a DKIM key", NULL },
  { "dkim/selector-unknown", "fastmail",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_DKIM, 1, 0, STAMP_DNS_STATUS_UNCHECKED, "chooses the selector", NULL },
  /* DMARC */
  { "dmarc/reject", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=reject; sp=quarantine; rua=" RUA } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_OK, "reject (subdomains: quarantine)", NULL },
  { "dmarc/none", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1;p=none;rua=" RUA ";" } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_WARNING, "only report",
    "v=DMARC1; p=quarantine; rua=" RUA },
  { "dmarc/missing", "microsoft365",
    { { NULL } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_MISSING, "has no DMARC record",
    "v=DMARC1; p=none; rua=mailto:dmarc-reports@contoso.test" },
  { "dmarc/bad-policy", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=block; pct=200; rua=" RUA } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_INVALID, "“p=block”",
    "v=DMARC1; p=none; rua=" RUA },
  { "dmarc/not-first", "microsoft365",
    { { "_dmarc." DOMAIN, "p=reject; v=DMARC1" } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_INVALID, "must start with “v=DMARC1”",
    "v=DMARC1; p=reject; rua=mailto:dmarc-reports@contoso.test" },
  { "dmarc/not-tags", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p" } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_INVALID, "tag=value",
    "v=DMARC1; p=none; rua=mailto:dmarc-reports@contoso.test" },
  { "dmarc/control-characters", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=reject\nnow; rua=" RUA } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_INVALID, "“p=reject now”",
    "v=DMARC1; p=none; rua=" RUA },
  { "dmarc/two", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=reject; rua=" RUA },
      { "_dmarc." DOMAIN, "v=DMARC1; p=none" } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 1, 0, STAMP_DNS_STATUS_INVALID, "has 2 DMARC records",
    "v=DMARC1; p=reject; rua=" RUA },
  { "dmarc/no-rua", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=quarantine" } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 2, 1, STAMP_DNS_STATUS_WARNING, "no aggregate reports",
    "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@contoso.test" },
  { "dmarc/pct", "microsoft365",
    { { "_dmarc." DOMAIN, "v=DMARC1; p=reject; pct=25; rua=" RUA } },
    { { NULL } },
    STAMP_DNS_RECORD_DMARC, 2, 1, STAMP_DNS_STATUS_WARNING, "only 25% of failing mail",
    "v=DMARC1; p=reject; rua=" RUA },
};

static void
test_case (Fixture       *fixture,
           gconstpointer  data)
{
  const CheckCase *test = data;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) some = NULL;
  StampDnsFinding *finding;

  for (guint i = 0; i < G_N_ELEMENTS (test->txt) && test->txt[i].name != NULL; i++)
    stamp_test_resolver_add_txt (fixture->resolver, test->txt[i].name, test->txt[i].text);
  for (guint i = 0; i < G_N_ELEMENTS (test->cnames) && test->cnames[i].name != NULL; i++)
    stamp_test_resolver_add_cname (fixture->resolver, test->cnames[i].name, test->cnames[i].text);

  findings = check (fixture, DOMAIN, test->provider);
  some = of_kind (findings, test->kind);
  g_assert_cmpuint (some->len, ==, test->n_findings);

  finding = g_ptr_array_index (some, test->nth);
  if (!strstr (stamp_dns_finding_get_message (finding), test->message))
    g_error ("“%s” does not contain “%s”", stamp_dns_finding_get_message (finding), test->message);
  g_assert_cmpint (stamp_dns_finding_get_status (finding), ==, test->status);
  g_assert_cmpstr (stamp_dns_finding_get_suggestion (finding), ==, test->suggestion);
  g_assert_null (strchr (stamp_dns_finding_get_message (finding), '\n'));
}

/* RFC 7489 §6.6.3: a subdomain without a record of its own is covered by
 * its organizational domain's, found by the public suffix list (co.uk is
 * a suffix, so example.co.uk is the organization), never by the labels
 * between. */
#define SUBDOMAIN "mail.sub.example.co.uk"
#define ORG_DMARC "_dmarc.example.co.uk"

typedef struct
{
  const char     *name;
  const char     *own;          /* the subdomain's record, or NULL */
  const char     *org;          /* the organization's record, "FAIL" or NULL */
  const char     *finding_name;
  StampDnsStatus  status;
  const char     *message;
  const char     *suggestion;
  gboolean        org_asked;
} OrgCase;

static const OrgCase org_cases[] = {
  { "inherited", NULL, "v=DMARC1; p=reject; sp=quarantine; rua=" RUA, ORG_DMARC,
    STAMP_DNS_STATUS_OK, "the one of example.co.uk applies, with policy quarantine", NULL,
    TRUE },
  { "inherited-p", NULL, "v=DMARC1; p=reject; rua=" RUA, ORG_DMARC,
    STAMP_DNS_STATUS_OK, "with policy reject for subdomains", NULL, TRUE },
  { "inherited-none", NULL, "v=DMARC1; p=none; rua=" RUA, ORG_DMARC,
    STAMP_DNS_STATUS_WARNING, "policy “none” for subdomains",
    "v=DMARC1; p=none; rua=" RUA "; sp=quarantine", TRUE },
  { "own-record", "v=DMARC1; p=reject; rua=" RUA, "v=DMARC1; p=none", "_dmarc." SUBDOMAIN,
    STAMP_DNS_STATUS_OK, "The DMARC policy is reject", NULL, FALSE },
  { "neither", NULL, NULL, "_dmarc." SUBDOMAIN, STAMP_DNS_STATUS_MISSING,
    SUBDOMAIN " has no DMARC record", "v=DMARC1; p=none; rua=mailto:dmarc-reports@" SUBDOMAIN,
    TRUE },
  { "org-not-dmarc", NULL, "v=spf1 -all", "_dmarc." SUBDOMAIN, STAMP_DNS_STATUS_MISSING,
    "has no DMARC record", "v=DMARC1; p=none; rua=mailto:dmarc-reports@" SUBDOMAIN, TRUE },
  { "org-failed", NULL, "FAIL", ORG_DMARC, STAMP_DNS_STATUS_LOOKUP_FAILED,
    "Could not look up " ORG_DMARC, NULL, TRUE },
};

static void
test_org_domain (Fixture       *fixture,
                 gconstpointer  data)
{
  const OrgCase *test = data;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) dmarc = NULL;
  StampDnsFinding *finding;

  if (test->own != NULL)
    stamp_test_resolver_add_txt (fixture->resolver, "_dmarc." SUBDOMAIN, test->own);
  if (g_strcmp0 (test->org, "FAIL") == 0)
    stamp_test_resolver_add_failure (fixture->resolver, ORG_DMARC);
  else if (test->org != NULL)
    stamp_test_resolver_add_txt (fixture->resolver, ORG_DMARC, test->org);

  findings = check (fixture, SUBDOMAIN, "microsoft365");
  dmarc = of_kind (findings, STAMP_DNS_RECORD_DMARC);
  g_assert_cmpuint (dmarc->len, >=, 1);
  finding = g_ptr_array_index (dmarc, 0);

  g_assert_cmpstr (stamp_dns_finding_get_name (finding), ==, test->finding_name);
  g_assert_cmpint (stamp_dns_finding_get_status (finding), ==, test->status);
  if (!strstr (stamp_dns_finding_get_message (finding), test->message))
    g_error ("“%s” does not contain “%s”", stamp_dns_finding_get_message (finding), test->message);
  g_assert_cmpstr (stamp_dns_finding_get_suggestion (finding), ==, test->suggestion);
  g_assert_cmpint (stamp_test_resolver_was_asked (fixture->resolver, ORG_DMARC), ==,
                   test->org_asked);
  g_assert_false (stamp_test_resolver_was_asked (fixture->resolver, "_dmarc.sub.example.co.uk"));
  g_assert_false (stamp_test_resolver_was_asked (fixture->resolver, "_dmarc.co.uk"));
}

static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = check (fixture, DOMAIN, "microsoft365");

  /* Nothing published: SPF, both selectors, DMARC, in that order. */
  g_assert_cmpuint (findings->len, ==, 4);
  g_assert_cmpint (stamp_dns_finding_get_kind (findings->pdata[0]), ==, STAMP_DNS_RECORD_SPF);
  g_assert_cmpstr (stamp_dns_finding_get_name (findings->pdata[0]), ==, DOMAIN);
  g_assert_cmpstr (stamp_dns_finding_get_name (findings->pdata[1]), ==,
                   "selector1._domainkey." DOMAIN);
  g_assert_cmpstr (stamp_dns_finding_get_name (findings->pdata[2]), ==,
                   "selector2._domainkey." DOMAIN);
  g_assert_cmpstr (stamp_dns_finding_get_name (findings->pdata[3]), ==, "_dmarc." DOMAIN);
  for (guint i = 0; i < findings->len; i++)
    g_assert_true (stamp_dns_finding_needs_action (findings->pdata[i]));
}

static void
test_all_good (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;

  stamp_test_resolver_add_txt (fixture->resolver, DOMAIN,
                               "v=spf1 include:_spf.google.com ~all");
  stamp_test_resolver_add_txt (fixture->resolver, "_spf.google.com",
                               "v=spf1 ip4:35.190.247.0/24 ~all");
  stamp_test_resolver_add_txt (fixture->resolver, "google._domainkey." DOMAIN, KEY);
  stamp_test_resolver_add_txt (fixture->resolver, "_dmarc." DOMAIN,
                               "v=DMARC1; p=reject; rua=" RUA);
  findings = check (fixture, DOMAIN, "google");

  g_assert_cmpuint (findings->len, ==, 3);
  for (guint i = 0; i < findings->len; i++)
    {
      g_assert_cmpint (stamp_dns_finding_get_status (findings->pdata[i]), ==, STAMP_DNS_STATUS_OK);
      g_assert_false (stamp_dns_finding_needs_action (findings->pdata[i]));
      g_assert_nonnull (stamp_dns_finding_get_record (findings->pdata[i]));
    }
  g_assert_cmpstr (stamp_dns_finding_get_record (findings->pdata[0]), ==,
                   "v=spf1 include:_spf.google.com ~all");
}

static void
test_provider_from_mx (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) dkim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_id = NULL;

  stamp_test_resolver_add_mx (fixture->resolver, DOMAIN, 20, "mx.backup.test");
  stamp_test_resolver_add_mx (fixture->resolver, DOMAIN, 0,
                              "contoso-test.mail.protection.outlook.com");
  findings = check_full (fixture, DOMAIN, NULL, 0, &provider_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (provider_id, ==, "microsoft365");
  dkim = of_kind (findings, STAMP_DNS_RECORD_DKIM);
  g_assert_cmpuint (dkim->len, ==, 2);
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "selector2._domainkey." DOMAIN));
}

static void
test_provider_from_domain (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_id = NULL;

  findings = check_full (fixture, "GMail.com", NULL, 0, &provider_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (provider_id, ==, "google");
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "google._domainkey.gmail.com"));
}

static void
test_provider_unknown (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) dkim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider_id = NULL;

  stamp_test_resolver_add_mx (fixture->resolver, DOMAIN, 10, "mx.hoster.test");
  findings = check_full (fixture, DOMAIN, NULL, 0, &provider_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (provider_id);
  dkim = of_kind (findings, STAMP_DNS_RECORD_DKIM);
  g_assert_cmpuint (dkim->len, ==, 1);
  g_assert_cmpint (stamp_dns_finding_get_status (dkim->pdata[0]), ==, STAMP_DNS_STATUS_UNCHECKED);
  g_assert_false (stamp_dns_finding_needs_action (dkim->pdata[0]));
}

static void
test_bad_provider (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  findings = check_full (fixture, DOMAIN, "no-such-provider", 0, NULL, NULL, &error);
  g_assert_null (findings);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
}

/* A server failure at one name is a finding about that name only. */
static void
test_server_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) spf = NULL;
  g_autoptr(GPtrArray) dmarc = NULL;

  stamp_test_resolver_add_txt (fixture->resolver, DOMAIN,
                               "v=spf1 include:spf.protection.outlook.com -all");
  stamp_test_resolver_add_txt (fixture->resolver, "spf.protection.outlook.com", MS_SPF);
  stamp_test_resolver_add_failure (fixture->resolver, "_dmarc." DOMAIN);
  findings = check (fixture, DOMAIN, "microsoft365");

  spf = of_kind (findings, STAMP_DNS_RECORD_SPF);
  dmarc = of_kind (findings, STAMP_DNS_RECORD_DMARC);
  g_assert_cmpint (stamp_dns_finding_get_status (spf->pdata[0]), ==, STAMP_DNS_STATUS_OK);
  g_assert_cmpint (stamp_dns_finding_get_status (dmarc->pdata[0]), ==,
                   STAMP_DNS_STATUS_LOOKUP_FAILED);
  g_assert_nonnull (strstr (stamp_dns_finding_get_message (dmarc->pdata[0]), "_dmarc." DOMAIN));
}

static void
test_include_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;

  stamp_test_resolver_add_txt (fixture->resolver, DOMAIN,
                               "v=spf1 include:spf.protection.outlook.com -all");
  stamp_test_resolver_add_failure (fixture->resolver, "spf.protection.outlook.com");
  findings = check (fixture, DOMAIN, "microsoft365");

  g_assert_cmpint (stamp_dns_finding_get_status (findings->pdata[0]), ==,
                   STAMP_DNS_STATUS_LOOKUP_FAILED);
  g_assert_nonnull (strstr (stamp_dns_finding_get_message (findings->pdata[0]),
                            "Could not look up spf.protection.outlook.com"));
}

static void
assert_all_failed (GPtrArray  *findings,
                   const char *why)
{
  g_assert_cmpuint (findings->len, ==, 4);
  for (guint i = 0; i < findings->len; i++)
    {
      StampDnsFinding *finding = findings->pdata[i];

      g_assert_cmpint (stamp_dns_finding_get_status (finding), ==, STAMP_DNS_STATUS_LOOKUP_FAILED);
      if (strstr (stamp_dns_finding_get_message (finding), why) == NULL)
        g_error ("“%s” does not contain “%s”", stamp_dns_finding_get_message (finding), why);
    }
}

static void
test_lookup_deadline (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  /* Every lookup hangs; each gives up at its own deadline. */
  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  stamp_dns_check_set_timeouts (fixture->check, 400, 8000);
  findings = check_full (fixture, DOMAIN, "microsoft365", 0, NULL, &elapsed, &error);

  g_assert_no_error (error);
  assert_all_failed (findings, "no answer within 1 second");
  g_assert_cmpint (elapsed, <, stamp_test_bound (2));
}

static void
test_total_deadline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  /* The whole check ends at its deadline, long before any lookup's. */
  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  stamp_dns_check_set_timeouts (fixture->check, 8000, 1000);
  findings = check_full (fixture, DOMAIN, "microsoft365", 0, NULL, &elapsed, &error);

  g_assert_no_error (error);
  assert_all_failed (findings, "no answer within 1 second");
  g_assert_cmpint (elapsed, <, stamp_test_bound (3));
}

/* The shipped deadlines: a resolver that never answers costs at most the
 * per-lookup deadline (5 s), well inside the total one (15 s). */
static void
test_default_deadline (void)
{
  g_autoptr(StampTestResolver) resolver = stamp_test_resolver_new ();
  g_autoptr(StampDnsCheck) check = stamp_dns_check_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunResult run = { loop, NULL, NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  stamp_test_resolver_set_hang (resolver, TRUE);
  stamp_dns_check_set_resolver (check, G_RESOLVER (resolver));
  stamp_dns_check_run_async (check, DOMAIN, "google", NULL, run_cb, &run);
  g_main_loop_run (loop);

  g_assert_no_error (run.error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (8));
  g_assert_cmpint (stamp_dns_finding_get_status (run.findings->pdata[0]), ==,
                   STAMP_DNS_STATUS_LOOKUP_FAILED);
  g_assert_nonnull (strstr (stamp_dns_finding_get_message (run.findings->pdata[0]),
                            "no answer within 5 seconds"));
  g_assert_cmpstr (run.provider_id, ==, "google");
  g_ptr_array_unref (run.findings);
  g_free (run.provider_id);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  stamp_dns_check_set_timeouts (fixture->check, 8000, 9000);
  findings = check_full (fixture, DOMAIN, NULL, 200, NULL, &elapsed, &error);

  g_assert_null (findings);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, stamp_test_bound (2));
}

/* The injected resolver is the one asked, whatever the default is. */
static void
test_injected_resolver (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(StampTestResolver) injected = stamp_test_resolver_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  stamp_test_resolver_add_txt (injected, "_dmarc." DOMAIN, "v=DMARC1; p=reject; rua=" RUA);
  stamp_dns_check_set_resolver (fixture->check, G_RESOLVER (injected));
  findings = check_full (fixture, DOMAIN, "fastmail", 0, NULL, &elapsed, &error);

  g_assert_no_error (error);
  g_assert_cmpint (stamp_dns_finding_get_status (findings->pdata[2]), ==, STAMP_DNS_STATUS_OK);
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
  g_assert_cmpint (elapsed, <, stamp_test_bound (1));
}

static void
test_idn (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;

  stamp_test_resolver_add_txt (fixture->resolver, "xn--bcher-kva.test",
                               "v=spf1 include:spf.protection.outlook.com -all");
  stamp_test_resolver_add_txt (fixture->resolver, "spf.protection.outlook.com", MS_SPF);
  findings = check (fixture, "BÜCHER.test", "microsoft365");

  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "xn--bcher-kva.test"));
  g_assert_cmpstr (stamp_dns_finding_get_name (findings->pdata[0]), ==, "xn--bcher-kva.test");
  g_assert_cmpint (stamp_dns_finding_get_status (findings->pdata[0]), ==, STAMP_DNS_STATUS_OK);
}

static const char * const bad_domains[] = {
  "",
  "localhost",
  "exa..mple.com",
  ".example.com",
  "-bad.example.com",
  "bad-.example.com",
  "alice@example.com",
  "exa mple.com",
  "exam_ple.com",
  "a123456789012345678901234567890123456789012345678901234567890123.com",
  "\xff.example.com",
};

static void
test_invalid_domain (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  findings = check_full (fixture, data, NULL, 0, NULL, NULL, &error);
  g_assert_null (findings);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
}

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/dns-check/%s", check_cases[i].name);

      ADD (path, &check_cases[i], test_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (org_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/dns-check/dmarc/org-domain/%s",
                                               org_cases[i].name);

      ADD (path, &org_cases[i], test_org_domain);
    }
  ADD ("/stamp/dns-check/order", NULL, test_order);
  ADD ("/stamp/dns-check/all-good", NULL, test_all_good);
  ADD ("/stamp/dns-check/provider/from-mx", NULL, test_provider_from_mx);
  ADD ("/stamp/dns-check/provider/from-domain", NULL, test_provider_from_domain);
  ADD ("/stamp/dns-check/provider/unknown", NULL, test_provider_unknown);
  ADD ("/stamp/dns-check/provider/invalid", NULL, test_bad_provider);
  ADD ("/stamp/dns-check/failure/server", NULL, test_server_failure);
  ADD ("/stamp/dns-check/failure/include", NULL, test_include_failure);
  ADD ("/stamp/dns-check/deadline/lookup", NULL, test_lookup_deadline);
  ADD ("/stamp/dns-check/deadline/total", NULL, test_total_deadline);
  g_test_add_func ("/stamp/dns-check/deadline/default", test_default_deadline);
  ADD ("/stamp/dns-check/cancel", NULL, test_cancel);
  ADD ("/stamp/dns-check/injected-resolver", NULL, test_injected_resolver);
  ADD ("/stamp/dns-check/idn", NULL, test_idn);
  for (guint i = 0; i < G_N_ELEMENTS (bad_domains); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/dns-check/invalid-domain/%u", i);

      ADD (path, bad_domains[i], test_invalid_domain);
    }

  return g_test_run ();
}

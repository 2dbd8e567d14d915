/* stamp-dns-check-rules.c
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

/* The judgement half of StampDnsCheck: from the TXT answers it gathered,
 * the findings for SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489),
 * each with one sentence and, where Stamp can tell, the record to publish.
 * Nothing here touches the network. */

#define G_LOG_DOMAIN "stamp-dns-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-dns-check-private.h"

static const char * const microsoft_selectors[] = { "selector1", "selector2", NULL };
static const char * const google_selectors[] = { "google", NULL };

/* Microsoft's and Google's published SPF values; GCC High and DoD tenants
 * sign with the same two selectors as other Microsoft 365 tenants. */
static const DnsProvider dns_providers[] = {
  { "microsoft365", "spf.protection.outlook.com", microsoft_selectors, "onmicrosoft.com" },
  { "microsoft365-usgov", "spf.protection.office365.us", microsoft_selectors, "onmicrosoft.us" },
  { "outlook", "spf.protection.outlook.com", NULL, NULL },
  { "google", "_spf.google.com", google_selectors, NULL },
};

/**
 * _stamp_dns_provider_lookup:
 * @provider_id: (nullable): a provider id of the provider database
 *
 * Returns: (nullable): what that provider's senders publish in DNS
 */
const DnsProvider *
_stamp_dns_provider_lookup (const char *provider_id)
{
  for (guint i = 0; provider_id != NULL && i < G_N_ELEMENTS (dns_providers); i++)
    {
      if (g_str_equal (dns_providers[i].provider_id, provider_id))
        return &dns_providers[i];
    }

  return NULL;
}

void
_stamp_txt_answer_clear (TxtAnswer *answer)
{
  g_clear_pointer (&answer->records, g_strfreev);
  g_clear_pointer (&answer->failure, g_free);
  answer->state = TXT_PENDING;
}

static void
add (GPtrArray          *findings,
     StampDnsRecordKind  kind,
     StampDnsStatus      status,
     const char         *name,
     const char         *record,
     const char         *message,
     const char         *suggestion)
{
  g_autofree char *line = g_strdup (message);

  /* Messages quote what DNS said, which may hold control characters; a
   * message stays one line. */
  for (char *p = line; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        *p = ' ';
    }

  g_ptr_array_add (findings, stamp_dns_finding_new (kind, status, name, record, line,
                                                    suggestion));
}

static void
add_lookup_failed (GPtrArray          *findings,
                   StampDnsRecordKind  kind,
                   const char         *name,
                   const char         *failure)
{
  /* Translators: "Could not look up _dmarc.example.com: no answer within 5 seconds" */
  g_autofree char *message = g_strdup_printf (_("Could not look up %s: %s"), name, failure);

  add (findings, kind, STAMP_DNS_STATUS_LOOKUP_FAILED, name, NULL, message, NULL);
}

static GStrv
dup_spf_records (const TxtAnswer *answer)
{
  g_autoptr(GStrvBuilder) spf = g_strv_builder_new ();

  for (guint i = 0; answer->records != NULL && answer->records[i] != NULL; i++)
    {
      if (stamp_spf_is_record (answer->records[i]))
        g_strv_builder_add (spf, answer->records[i]);
    }

  return g_strv_builder_end (spf);
}

static char *
dup_walk_problem (StampSpfWalk *walk)
{
  const char *name = stamp_spf_walk_get_problem_name (walk);
  const char *detail = stamp_spf_walk_get_problem_detail (walk);

  switch (stamp_spf_walk_get_problem (walk))
    {
    case STAMP_SPF_PROBLEM_TOO_MANY_LOOKUPS:
      return g_strdup_printf (_("The SPF record needs more than %d DNS lookups, counting its "
                                "includes, so receivers stop and treat it as broken"),
                              STAMP_SPF_MAX_LOOKUPS);
    case STAMP_SPF_PROBLEM_LOOP:
      return g_strdup_printf (_("The SPF record’s includes loop back to %s, so receivers treat "
                                "it as broken"), name);
    case STAMP_SPF_PROBLEM_TOO_DEEP:
      return g_strdup_printf (_("The SPF record’s includes nest too deep (at %s), so receivers "
                                "treat it as broken"), name);
    case STAMP_SPF_PROBLEM_NO_RECORD:
      return g_strdup_printf (_("The SPF record includes %s, which has no SPF record, so "
                                "receivers treat it as broken"), name);
    case STAMP_SPF_PROBLEM_MULTIPLE:
      return g_strdup_printf (_("The SPF record includes %s, which has more than one SPF "
                                "record, so receivers treat it as broken"), name);
    case STAMP_SPF_PROBLEM_SYNTAX:
      return g_strdup_printf (_("The SPF record includes %s, whose record is broken: %s"),
                              name, detail);
    case STAMP_SPF_PROBLEM_LOOKUP_FAILED:
      return g_strdup_printf (_("Could not look up %s, which the SPF record includes: %s"),
                              name, detail);
    case STAMP_SPF_PROBLEM_NONE:
    default:
      return NULL;
    }
}

/* The checks of one parsed record beyond its syntax: what it tells
 * receivers to do with other servers, and terms it should not use. */
static gboolean
add_spf_policy (GPtrArray            *findings,
                const char           *domain,
                const char           *text,
                const StampSpfRecord *record,
                const char           *suggestion)
{
  const StampSpfTerm *all = stamp_spf_record_find (record, STAMP_SPF_TERM_ALL);
  const StampSpfTerm *redirect = stamp_spf_record_find (record, STAMP_SPF_TERM_REDIRECT);
  guint n_terms = stamp_spf_record_get_n_terms (record);
  gboolean after_all = FALSE;
  gboolean clean = TRUE;

  if (all != NULL && all->qualifier == '+')
    {
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_INVALID, domain, text,
           _("The SPF record ends in “+all”, which lets any server in the world send as this "
             "domain"), suggestion);
      clean = FALSE;
    }
  else if ((all != NULL && all->qualifier == '?') || (all == NULL && redirect == NULL))
    {
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_WARNING, domain, text,
           _("The SPF record does not end in “-all” or “~all”, so receivers learn nothing "
             "about servers it does not list"), suggestion);
      clean = FALSE;
    }

  for (guint i = 0; all != NULL && i < n_terms && !after_all; i++)
    {
      const StampSpfTerm *term = stamp_spf_record_get_term (record, i);

      /* Only mechanisms have a qualifier; modifiers apply wherever they are. */
      after_all = term > all && term->qualifier != 0;
    }

  if (after_all)
    {
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_WARNING, domain, text,
           _("The SPF record has terms after “all”; receivers never read them"), suggestion);
      clean = FALSE;
    }

  if (stamp_spf_record_find (record, STAMP_SPF_TERM_PTR) != NULL)
    {
      /* RFC 7208 §5.5: slow, unreliable, and a load on the sender's DNS. */
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_WARNING, domain, text,
           _("The SPF record uses “ptr”, which RFC 7208 asks senders not to use; list the "
             "servers’ addresses or includes instead"), NULL);
      clean = FALSE;
    }

  return clean;
}

/**
 * _stamp_dns_check_add_spf:
 * @findings: where to add the findings
 * @domain: the sender's domain
 * @provider: (nullable): what the mail provider publishes
 * @provider_name: (nullable): its name, for messages
 * @answer: the TXT answer at @domain
 * @walk: the finished walk of @domain's SPF
 */
void
_stamp_dns_check_add_spf (GPtrArray         *findings,
                          const char        *domain,
                          const DnsProvider *provider,
                          const char        *provider_name,
                          const TxtAnswer   *answer,
                          StampSpfWalk      *walk)
{
  const char *include = provider != NULL ? provider->spf_include : NULL;
  g_auto(GStrv) records = NULL;
  g_autofree char *message = NULL;
  g_autofree char *suggestion = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(StampSpfRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gboolean clean;

  if (answer->state == TXT_FAILED || answer->state == TXT_PENDING)
    {
      add_lookup_failed (findings, STAMP_DNS_RECORD_SPF, domain, answer->failure);
      return;
    }

  records = dup_spf_records (answer);
  suggestion = stamp_spf_merge ((const char * const *) records, include);

  if (records[0] == NULL)
    {
      if (include != NULL)
        message = g_strdup_printf (_("%s has no SPF record, so receivers cannot tell that %s "
                                     "may send its mail"), domain, provider_name);
      else
        message = g_strdup_printf (_("%s has no SPF record, so receivers cannot tell which "
                                     "servers may send its mail; your mail provider documents "
                                     "the record to publish"), domain);
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_MISSING, domain, NULL, message,
           include != NULL ? suggestion : NULL);
      return;
    }

  joined = g_strjoinv ("\n", records);
  if (records[1] != NULL)
    {
      /* RFC 7208 §4.5: more than one record is a permanent error. */
      message = g_strdup_printf (_("%s has %u SPF records; receivers treat that as broken, so "
                                   "merge them into one"), domain, g_strv_length (records));
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_INVALID, domain, joined, message,
           suggestion);
      return;
    }

  record = stamp_spf_record_parse (records[0], &error);
  if (record == NULL)
    {
      message = g_strdup_printf (_("The SPF record is broken: %s"), error->message);
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_INVALID, domain, joined, message,
           suggestion);
      return;
    }

  message = dup_walk_problem (walk);
  if (message != NULL)
    {
      add (findings, STAMP_DNS_RECORD_SPF,
           stamp_spf_walk_get_problem (walk) == STAMP_SPF_PROBLEM_LOOKUP_FAILED
             ? STAMP_DNS_STATUS_LOOKUP_FAILED : STAMP_DNS_STATUS_INVALID,
           domain, joined, message, NULL);
      return;
    }

  clean = add_spf_policy (findings, domain, joined, record, suggestion);

  if (include != NULL && !stamp_spf_walk_reaches (walk, include))
    {
      g_free (message);
      /* Translators: "The SPF record does not include Microsoft 365
       * (include:spf.protection.outlook.com), so mail it sends fails SPF" */
      message = g_strdup_printf (_("The SPF record does not include %s (include:%s), so mail "
                                   "it sends fails SPF"), provider_name, include);
      add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_INVALID, domain, joined, message,
           suggestion);
      clean = FALSE;
    }

  if (!clean)
    return;

  g_free (message);
  if (include != NULL)
    message = g_strdup_printf (_("The SPF record is valid, includes %s and needs %u of %d DNS "
                                 "lookups"), provider_name, stamp_spf_walk_get_n_lookups (walk),
                               STAMP_SPF_MAX_LOOKUPS);
  else
    message = g_strdup_printf (_("The SPF record is valid and needs %u of %d DNS lookups"),
                               stamp_spf_walk_get_n_lookups (walk), STAMP_SPF_MAX_LOOKUPS);
  add (findings, STAMP_DNS_RECORD_SPF, STAMP_DNS_STATUS_OK, domain, joined, message, NULL);
}

/* Microsoft's legacy CNAME target; newer domains get a target under
 * dkim.mail.microsoft whose label only the tenant's settings show. */
static char *
dup_microsoft_target (const char        *domain,
                      const DnsProvider *provider,
                      const char        *selector)
{
  g_autofree char *dashed = g_strdup (domain);

  g_strdelimit (dashed, ".", '-');

  return g_strdup_printf ("CNAME %s-%s._domainkey.TENANT.%s", selector, dashed,
                          provider->dkim_cname_domain);
}

/**
 * _stamp_dns_check_add_dkim:
 * @findings: where to add the finding
 * @domain: the sender's domain
 * @provider: (nullable): what the mail provider publishes
 * @provider_name: (nullable): its name, for messages
 * @selector: (nullable): the selector looked up; %NULL when it cannot be known
 * @answer: (nullable): the TXT answer at the selector
 */
void
_stamp_dns_check_add_dkim (GPtrArray         *findings,
                           const char        *domain,
                           const DnsProvider *provider,
                           const char        *provider_name,
                           const char        *selector,
                           const TxtAnswer   *answer)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autofree char *suggestion = NULL;
  g_autoptr(GPtrArray) tag_names = NULL;
  g_autoptr(GPtrArray) tag_values = NULL;
  const char *record;
  const char *version;
  const char *key;

  if (selector == NULL)
    {
      name = g_strdup_printf ("_domainkey.%s", domain);
      if (provider_name != NULL)
        message = g_strdup_printf (_("DKIM is not checked: %s chooses the selector name for each "
                                     "domain; its admin pages show the record to publish"),
                                   provider_name);
      else
        message = g_strdup (_("DKIM is not checked: the selector name is chosen by the mail "
                              "provider, which Stamp could not tell from the domain"));
      add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_UNCHECKED, name, NULL, message, NULL);
      return;
    }

  name = g_strdup_printf ("%s._domainkey.%s", selector, domain);

  if (answer->state == TXT_FAILED || answer->state == TXT_PENDING)
    {
      add_lookup_failed (findings, STAMP_DNS_RECORD_DKIM, name, answer->failure);
      return;
    }

  if (answer->state == TXT_NONE || answer->records[0] == NULL)
    {
      if (provider->dkim_cname_domain != NULL)
        {
          /* Translators: "No DKIM key at selector1._domainkey.example.com: publish the
           * CNAME Microsoft 365 shows for the domain (TENANT is its onmicrosoft name)…" */
          message = g_strdup_printf (_("No DKIM key at %s: publish the CNAME %s shows for this "
                                       "domain (TENANT stands for your organisation’s name "
                                       "there), then turn on DKIM signing"),
                                     name, provider_name);
          suggestion = dup_microsoft_target (domain, provider, selector);
        }
      else
        {
          message = g_strdup_printf (_("No DKIM key at %s: generate one in %s’s admin console "
                                       "and publish it here, then turn on signing"),
                                     name, provider_name);
          suggestion = g_strdup ("v=DKIM1; k=rsa; p=KEY");
        }
      add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_MISSING, name, NULL, message,
           suggestion);
      return;
    }

  record = answer->records[0];
  if (answer->records[1] != NULL)
    {
      message = g_strdup_printf (_("%s has more than one TXT record; receivers may use any of "
                                   "them, so keep only the key"), name);
      add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_WARNING, name, record, message, NULL);
      return;
    }

  /* RFC 6376 §3.6.1: v= is optional but must come first, and p= must be
   * there; an empty p= means the key was revoked. */
  if (!_stamp_dns_parse_tags (record, &tag_names, &tag_values))
    {
      message = g_strdup_printf (_("The record at %s is not a DKIM key"), name);
      add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_INVALID, name, record, message, NULL);
      return;
    }

  version = _stamp_dns_find_tag (tag_names, tag_values, "v");
  key = _stamp_dns_find_tag (tag_names, tag_values, "p");
  if ((version != NULL && (!g_str_equal (version, "DKIM1") ||
                           !g_str_equal (g_ptr_array_index (tag_names, 0), "v"))) ||
      key == NULL)
    message = g_strdup_printf (_("The record at %s is not a DKIM key"), name);
  else if (*key == '\0')
    message = g_strdup_printf (_("The DKIM key at %s is revoked (its “p=” is empty)"), name);

  if (message != NULL)
    {
      add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_INVALID, name, record, message, NULL);
      return;
    }

  message = g_strdup_printf (_("A DKIM key is published at %s"), name);
  add (findings, STAMP_DNS_RECORD_DKIM, STAMP_DNS_STATUS_OK, name, record, message, NULL);
}

static void
add_dmarc_policy (GPtrArray  *findings,
                  const char *name,
                  const char *record,
                  GPtrArray  *names,
                  GPtrArray  *values,
                  const char *default_rua)
{
  const char *policy = _stamp_dns_find_tag (names, values, "p");
  const char *sp = _stamp_dns_find_tag (names, values, "sp");
  const char *pct = _stamp_dns_find_tag (names, values, "pct");
  gboolean strict = !g_str_equal (policy, "none");
  g_autofree char *message = NULL;
  g_autofree char *suggestion = NULL;

  if (!strict)
    {
      suggestion = _stamp_dmarc_build (names, values, "p", "quarantine", default_rua);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_WARNING, name, record,
           _("The DMARC policy is “none”: receivers only report mail that fails, they do not "
             "stop it; move to quarantine once the reports look right"), suggestion);
    }
  else
    {
      /* Translators: "The DMARC policy is reject (subdomains: quarantine)" */
      message = g_strdup_printf (_("The DMARC policy is %s (subdomains: %s)"), policy,
                                 sp != NULL ? sp : policy);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_OK, name, record, message, NULL);
    }

  if (strict && pct != NULL && !g_str_equal (pct, "100"))
    {
      g_clear_pointer (&message, g_free);
      g_clear_pointer (&suggestion, g_free);
      message = g_strdup_printf (_("The DMARC policy applies to only %s%% of failing mail"), pct);
      suggestion = _stamp_dmarc_build (names, values, "pct", NULL, NULL);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_WARNING, name, record, message,
           suggestion);
    }

  if (strict && sp != NULL && g_str_equal (sp, "none"))
    {
      g_clear_pointer (&suggestion, g_free);
      suggestion = _stamp_dmarc_build (names, values, "sp", NULL, NULL);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_WARNING, name, record,
           _("The DMARC record leaves subdomains unprotected (“sp=none”)"), suggestion);
    }

  if (_stamp_dns_find_tag (names, values, "rua") == NULL)
    {
      g_clear_pointer (&suggestion, g_free);
      suggestion = _stamp_dmarc_build (names, values, "rua", default_rua, NULL);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_WARNING, name, record,
           _("The DMARC record asks for no aggregate reports (“rua=”), so nobody learns which "
             "mail fails"), suggestion);
    }
}

/* The one record that starts with v=DMARC1 (RFC 7489 §6.6.3), or %NULL
 * when there is none or more than one. */
static const char *
find_dmarc_record (const TxtAnswer *answer,
                   guint           *n_records)
{
  const char *record = NULL;

  *n_records = 0;
  for (guint i = 0; answer->records != NULL && answer->records[i] != NULL; i++)
    {
      if (_stamp_dmarc_starts_with_version (answer->records[i]))
        {
          record = record != NULL ? record : answer->records[i];
          (*n_records)++;
        }
    }

  return *n_records == 1 ? record : NULL;
}

/**
 * _stamp_dns_check_dmarc_is_missing:
 * @answer: the TXT answer at `_dmarc.`DOMAIN
 *
 * Returns: whether the answer holds no DMARC record at all, so that the
 *   organizational domain's record is the one that applies
 */
gboolean
_stamp_dns_check_dmarc_is_missing (const TxtAnswer *answer)
{
  guint n_records;

  if (answer->state == TXT_NONE)
    return TRUE;
  if (answer->state != TXT_FOUND)
    return FALSE;

  find_dmarc_record (answer, &n_records);
  return n_records == 0;
}

/* RFC 7489 §6.6.3: a domain with no record of its own takes the policy of
 * its organizational domain, sp= or else p=. Returns %FALSE when that has
 * no usable record either, so the domain's own record is missing. */
static gboolean
add_inherited_dmarc (GPtrArray       *findings,
                     const char      *domain,
                     const char      *org_domain,
                     const TxtAnswer *answer)
{
  g_autofree char *name = g_strdup_printf ("_dmarc.%s", org_domain);
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;
  g_autofree char *suggestion = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) values = NULL;
  const char *record;
  const char *policy;
  guint n_records;

  /* Whether a policy applies is not known, so nothing is missing yet. */
  if (answer->state == TXT_FAILED || answer->state == TXT_PENDING)
    {
      add_lookup_failed (findings, STAMP_DNS_RECORD_DMARC, name, answer->failure);
      return TRUE;
    }

  record = find_dmarc_record (answer, &n_records);
  if (record == NULL || !_stamp_dns_parse_tags (record, &names, &values))
    return FALSE;

  problem = _stamp_dmarc_dup_problem (names, values);
  if (problem != NULL)
    return FALSE;

  policy = _stamp_dns_find_tag (names, values, "sp");
  if (policy == NULL)
    policy = _stamp_dns_find_tag (names, values, "p");

  if (g_str_equal (policy, "none"))
    {
      /* Translators: "mail.example.co.uk has no DMARC record of its own; the one of
       * example.co.uk applies, with policy “none” for subdomains: …" */
      message = g_strdup_printf (_("%s has no DMARC record of its own; the one of %s applies, "
                                   "with policy “none” for subdomains: receivers do not stop "
                                   "mail that fails"), domain, org_domain);
      suggestion = _stamp_dmarc_build (names, values, "sp", "quarantine", NULL);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_WARNING, name, record, message,
           suggestion);
    }
  else
    {
      /* Translators: "mail.example.co.uk has no DMARC record of its own; the one of
       * example.co.uk applies, with policy reject for subdomains" */
      message = g_strdup_printf (_("%s has no DMARC record of its own; the one of %s applies, "
                                   "with policy %s for subdomains"), domain, org_domain, policy);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_OK, name, record, message, NULL);
    }

  return TRUE;
}

/**
 * _stamp_dns_check_add_dmarc:
 * @findings: where to add the findings
 * @domain: the sender's domain
 * @answer: the TXT answer at `_dmarc.`@domain
 * @org_domain: (nullable): @domain's organizational domain, when it is
 *   another domain and its record was looked up
 * @org_answer: (nullable): the TXT answer at `_dmarc.`@org_domain
 */
void
_stamp_dns_check_add_dmarc (GPtrArray       *findings,
                            const char      *domain,
                            const TxtAnswer *answer,
                            const char      *org_domain,
                            const TxtAnswer *org_answer)
{
  g_autofree char *name = g_strdup_printf ("_dmarc.%s", domain);
  g_autofree char *default_rua = g_strdup_printf ("mailto:dmarc-reports@%s", domain);
  g_autofree char *start = g_strdup_printf ("v=DMARC1; p=none; rua=%s", default_rua);
  g_autofree char *message = NULL;
  g_autofree char *suggestion = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) values = NULL;
  const char *record = NULL;
  const char *misplaced = NULL;
  guint n_records = 0;

  if (answer->state == TXT_FAILED || answer->state == TXT_PENDING)
    {
      add_lookup_failed (findings, STAMP_DNS_RECORD_DMARC, name, answer->failure);
      return;
    }

  /* RFC 7489 §6.6.3: only records that start with v=DMARC1 count. */
  for (guint i = 0; answer->records != NULL && answer->records[i] != NULL; i++)
    {
      if (_stamp_dmarc_starts_with_version (answer->records[i]))
        {
          record = record != NULL ? record : answer->records[i];
          n_records++;
        }
      else if (strstr (answer->records[i], "DMARC1") != NULL)
        misplaced = answer->records[i];
    }

  if (n_records > 1)
    {
      g_autofree char *joined = g_strjoinv ("\n", answer->records);

      message = g_strdup_printf (_("%s has %u DMARC records; receivers then apply none of them, "
                                   "so keep one"), name, n_records);
      if (_stamp_dns_parse_tags (record, &names, &values))
        suggestion = _stamp_dmarc_build (names, values, "v", NULL, default_rua);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_INVALID, name, joined, message,
           suggestion != NULL ? suggestion : start);
      return;
    }

  if (record == NULL && misplaced != NULL)
    {
      if (_stamp_dns_parse_tags (misplaced, &names, &values))
        suggestion = _stamp_dmarc_build (names, values, "v", NULL, default_rua);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_INVALID, name, misplaced,
           _("The DMARC record must start with “v=DMARC1”; receivers ignore it"),
           suggestion != NULL ? suggestion : start);
      return;
    }

  if (record == NULL && org_domain != NULL
      && add_inherited_dmarc (findings, domain, org_domain, org_answer))
    return;

  if (record == NULL)
    {
      message = g_strdup_printf (_("%s has no DMARC record; start with policy none and "
                                   "reports to a mailbox you read"), domain);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_MISSING, name, NULL, message, start);
      return;
    }

  if (!_stamp_dns_parse_tags (record, &names, &values))
    {
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_INVALID, name, record,
           _("The DMARC record is not a list of tag=value pairs separated by “;”"), start);
      return;
    }

  message = _stamp_dmarc_dup_problem (names, values);
  if (message != NULL)
    {
      suggestion = _stamp_dmarc_build (names, values, "v", NULL, default_rua);
      add (findings, STAMP_DNS_RECORD_DMARC, STAMP_DNS_STATUS_INVALID, name, record, message,
           suggestion);
      return;
    }

  add_dmarc_policy (findings, name, record, names, values, default_rua);
}

/* stamp-dns-check.c
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

#define G_LOG_DOMAIN "stamp-dns-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-dns-check-private.h"
#include "stamp-domain.h"
#include "stamp-error.h"
#include "stamp-fan-out.h"
#include "stamp-util.h"

/* Each lookup gets this long, and the whole check at most this long: an
 * SPF record with ten nested includes is several rounds of lookups. */
#define DEFAULT_LOOKUP_MS 5000
#define DEFAULT_TOTAL_MS  15000

/*
 * StampDnsCheck:
 *
 * Checks what a sender's domain publishes for receivers: its SPF record,
 * followed through every include and redirect; the DKIM keys its mail
 * provider signs with; and its DMARC policy. The provider comes from the
 * caller, from the provider database by domain, or from the domain's MX
 * records. Every lookup has a deadline and so has the whole check; a
 * lookup that fails becomes a finding, never a failure of the check. The
 * answer is a list of #StampDnsFinding, SPF first, then DKIM, then DMARC.
 */
struct _StampDnsCheck
{
  GObject parent_instance;

  /* Owned */
  GResolver       *resolver;
  StampProviderDb *provider_db;

  guint            lookup_ms;
  guint            total_ms;
};

G_DEFINE_FINAL_TYPE (StampDnsCheck, stamp_dns_check, G_TYPE_OBJECT)

/* One check, the task data of its GTask. Its lookups are the sources of a
 * fan-out; every lookup holds a reference to the task, so the state lives
 * until the last one returns, even after the answer has gone out. */
typedef struct
{
  StampDnsCheck     *self;
  GResolver         *resolver;
  char              *domain;
  char              *provider_id;
  char              *provider_name;
  const DnsProvider *dns;
  StampFanOut       *fan_out;

  TxtAnswer          spf;
  TxtAnswer          dmarc;
  char              *org_domain;   /* set once its record is looked up */
  TxtAnswer          org_dmarc;
  TxtAnswer          dkim[2];
  StampSpfWalk      *walk;
  guint              spf_pending;
} CheckState;

typedef struct _LookupOp LookupOp;

/* Called with the records, or neither records nor failure for "no such
 * record", or the failure in words. */
typedef void (*LookupDone) (GTask      *task,
                            LookupOp   *op,
                            GList      *records,
                            const char *failure);

struct _LookupOp
{
  GTask               *task;
  StampTimeLimit      *limit;
  char                *name;
  LookupDone           done;
  gpointer             data;
};

static void
check_state_free (CheckState *state)
{
  g_clear_object (&state->self);
  g_clear_object (&state->resolver);
  g_clear_pointer (&state->domain, g_free);
  g_clear_pointer (&state->provider_id, g_free);
  g_clear_pointer (&state->provider_name, g_free);
  g_clear_object (&state->fan_out);
  _stamp_txt_answer_clear (&state->spf);
  _stamp_txt_answer_clear (&state->dmarc);
  g_clear_pointer (&state->org_domain, g_free);
  _stamp_txt_answer_clear (&state->org_dmarc);
  _stamp_txt_answer_clear (&state->dkim[0]);
  _stamp_txt_answer_clear (&state->dkim[1]);
  g_clear_pointer (&state->walk, stamp_spf_walk_free);
  g_free (state);
}

static char *
dup_no_answer (guint ms)
{
  guint seconds = (ms + 999) / 1000;

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "no answer within %u second",
                                       "no answer within %u seconds", seconds), seconds);
}

static void
fail_unanswered (TxtAnswer  *answer,
                 const char *failure)
{
  if (answer->state != TXT_PENDING)
    return;

  answer->state = TXT_FAILED;
  answer->failure = g_strdup (failure);
}

/* The findings from what has been answered; what has not is reported as
 * not answered in time. */
static GPtrArray *
judge (CheckState *state)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *late = dup_no_answer (state->self->total_ms);
  g_auto(GStrv) needed = NULL;

  fail_unanswered (&state->spf, late);
  fail_unanswered (&state->dmarc, late);
  if (state->org_domain != NULL)
    fail_unanswered (&state->org_dmarc, late);
  fail_unanswered (&state->dkim[0], late);
  fail_unanswered (&state->dkim[1], late);

  needed = stamp_spf_walk_run (state->walk);
  for (guint i = 0; needed[i] != NULL; i++)
    stamp_spf_walk_add_failure (state->walk, needed[i], late);
  if (needed[0] != NULL)
    g_strfreev (stamp_spf_walk_run (state->walk));

  _stamp_dns_check_add_spf (findings, state->domain, state->dns, state->provider_name,
                            &state->spf, state->walk);

  if (state->dns == NULL || state->dns->dkim_selectors == NULL)
    _stamp_dns_check_add_dkim (findings, state->domain, state->dns, state->provider_name, NULL,
                               NULL);
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (state->dkim) && state->dns->dkim_selectors[i] != NULL;
           i++)
        _stamp_dns_check_add_dkim (findings, state->domain, state->dns, state->provider_name,
                                   state->dns->dkim_selectors[i], &state->dkim[i]);
    }

  _stamp_dns_check_add_dmarc (findings, state->domain, &state->dmarc, state->org_domain,
                              &state->org_dmarc);

  return findings;
}

/* The end of the fan-out: every lookup answered, the total deadline, or
 * the caller's cancellation. */
static void
fan_out_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckState *state = g_task_get_task_data (task);
  g_autoptr(GPtrArray) nothing = NULL;
  g_autoptr(GError) error = NULL;

  nothing = stamp_fan_out_run_finish (STAMP_FAN_OUT (object), result, &error);
  if (nothing == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The DNS check was cancelled"));
  else
    g_task_return_pointer (task, judge (state), (GDestroyNotify) g_ptr_array_unref);
}

static void
lookup_op_free (LookupOp *op)
{
  g_clear_object (&op->limit);
  g_clear_object (&op->task);
  g_free (op->name);
  g_free (op);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupOp *op = user_data;
  g_autoptr(GTask) task = g_object_ref (op->task);
  CheckState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);

  if (records == NULL && stamp_time_limit_has_expired (op->limit))
    failure = dup_no_answer (state->self->lookup_ms);
  else if (records == NULL && !g_error_matches (error, G_RESOLVER_ERROR,
                                                G_RESOLVER_ERROR_NOT_FOUND))
    failure = g_strdup (error->message);

  if (!stamp_fan_out_is_finished (state->fan_out))
    op->done (task, op, records, failure);
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
  lookup_op_free (op);

  stamp_fan_out_source_done (state->fan_out, NULL, FALSE);
}

/* Starts one lookup with its own deadline, cancelled as well by the end of
 * the check. */
static void
start_lookup (GTask               *task,
              const char          *name,
              GResolverRecordType  type,
              LookupDone           done,
              gpointer             data)
{
  CheckState *state = g_task_get_task_data (task);
  LookupOp *op = g_new0 (LookupOp, 1);

  op->task = g_object_ref (task);
  op->name = g_strdup (name);
  op->done = done;
  op->data = data;
  op->limit = stamp_fan_out_add_source (state->fan_out);

  g_debug ("Looking up %s", name);
  g_resolver_lookup_records_async (state->resolver, name, type,
                                   stamp_time_limit_get_cancellable (op->limit), lookup_cb, op);
}

/* RFC 7208 §3.3, RFC 6376 §3.6.2.2: a record's strings are joined with
 * nothing between them. */
static GStrv
dup_txt_records (GList *records)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GList *l = records; l != NULL; l = l->next)
    {
      g_autoptr(GString) joined = g_string_new (NULL);
      g_autoptr(GVariantIter) strings = NULL;
      const char *piece;

      g_variant_get (l->data, "(as)", &strings);
      while (g_variant_iter_next (strings, "&s", &piece))
        g_string_append (joined, piece);
      g_strv_builder_add (builder, joined->str);
    }

  return g_strv_builder_end (builder);
}

static void
txt_done (GTask      *task,
          LookupOp   *op,
          GList      *records,
          const char *failure)
{
  TxtAnswer *answer = op->data;

  if (failure != NULL)
    {
      answer->state = TXT_FAILED;
      answer->failure = g_strdup (failure);
    }
  else if (records == NULL)
    answer->state = TXT_NONE;
  else
    {
      answer->state = TXT_FOUND;
      answer->records = dup_txt_records (records);
    }
}

/* RFC 7489 §6.6.3: no record at the domain, so the organizational
 * domain's applies; it is looked up before this lookup reports, so the
 * check cannot end between. */
static void
dmarc_done (GTask      *task,
            LookupOp   *op,
            GList      *records,
            const char *failure)
{
  CheckState *state = g_task_get_task_data (task);
  g_autofree char *org_domain = NULL;
  g_autofree char *name = NULL;

  txt_done (task, op, records, failure);
  if (!_stamp_dns_check_dmarc_is_missing (&state->dmarc))
    return;

  org_domain = stamp_domain_dup_organizational (state->domain);
  if (org_domain == NULL || g_str_equal (org_domain, state->domain))
    return;

  name = g_strdup_printf ("_dmarc.%s", org_domain);
  state->org_domain = g_steal_pointer (&org_domain);
  start_lookup (task, name, G_RESOLVER_RECORD_TXT, txt_done, &state->org_dmarc);
}

static void spf_include_done (GTask      *task,
                              LookupOp   *op,
                              GList      *records,
                              const char *failure);

/* Looks up what the walk of the SPF record needs next, all at once: each
 * round follows one more level of includes. */
static void
continue_spf (GTask *task)
{
  CheckState *state = g_task_get_task_data (task);
  g_auto(GStrv) needed = stamp_spf_walk_run (state->walk);

  for (guint i = 0; needed[i] != NULL; i++)
    {
      state->spf_pending++;
      start_lookup (task, needed[i], G_RESOLVER_RECORD_TXT, spf_include_done, NULL);
    }
}

static void
add_to_walk (StampSpfWalk *walk,
             const char   *name,
             GList        *records,
             const char   *failure)
{
  g_auto(GStrv) txt = NULL;

  if (failure != NULL)
    {
      stamp_spf_walk_add_failure (walk, name, failure);
      return;
    }

  txt = dup_txt_records (records);
  stamp_spf_walk_add_answer (walk, name, (const char * const *) txt);
}

static void
spf_include_done (GTask      *task,
                  LookupOp   *op,
                  GList      *records,
                  const char *failure)
{
  CheckState *state = g_task_get_task_data (task);

  add_to_walk (state->walk, op->name, records, failure);

  /* The last answer of a round starts the next one. This lookup still
   * counts as pending, so the check cannot end in between. */
  if (--state->spf_pending == 0)
    continue_spf (task);
}

static void
spf_done (GTask      *task,
          LookupOp   *op,
          GList      *records,
          const char *failure)
{
  CheckState *state = g_task_get_task_data (task);

  txt_done (task, op, records, failure);
  add_to_walk (state->walk, op->name, records, failure);
  continue_spf (task);
}

static void
start_dkim (GTask *task)
{
  CheckState *state = g_task_get_task_data (task);

  if (state->dns == NULL || state->dns->dkim_selectors == NULL)
    return;

  /* A TXT lookup follows the CNAME a Microsoft 365 selector is. */
  for (guint i = 0; i < G_N_ELEMENTS (state->dkim) && state->dns->dkim_selectors[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s._domainkey.%s",
                                               state->dns->dkim_selectors[i], state->domain);

      start_lookup (task, name, G_RESOLVER_RECORD_TXT, txt_done, &state->dkim[i]);
    }
}

static void
use_provider (CheckState    *state,
              StampProvider *provider)
{
  state->provider_id = g_strdup (stamp_provider_get_id (provider));
  state->provider_name = g_strdup (stamp_provider_get_name (provider));
  state->dns = _stamp_dns_provider_lookup (state->provider_id);
}

typedef struct
{
  guint16     preference;
  const char *host;
} MxRecord;

static int
compare_mx (gconstpointer a,
            gconstpointer b)
{
  return (int) ((const MxRecord *) a)->preference - (int) ((const MxRecord *) b)->preference;
}

static void
mx_done (GTask      *task,
         LookupOp   *op,
         GList      *records,
         const char *failure)
{
  CheckState *state = g_task_get_task_data (task);
  StampProviderDb *db = state->self->provider_db != NULL ? state->self->provider_db
                                                         : stamp_provider_db_get_default ();
  g_autoptr(GArray) mx = g_array_new (FALSE, TRUE, sizeof (MxRecord));

  if (failure != NULL)
    g_debug ("MX %s: %s", state->domain, failure);

  for (GList *l = records; l != NULL; l = l->next)
    {
      MxRecord record;

      g_variant_get (l->data, "(q&s)", &record.preference, &record.host);
      g_array_append_val (mx, record);
    }
  g_array_sort (mx, compare_mx);

  for (guint i = 0; i < mx->len && state->provider_id == NULL; i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_mx (db,
                                                             g_array_index (mx, MxRecord, i).host);

      if (provider != NULL)
        use_provider (state, provider);
    }

  start_dkim (task);
}

static void
stamp_dns_check_finalize (GObject *object)
{
  StampDnsCheck *self = (StampDnsCheck *)object;

  g_clear_object (&self->resolver);
  g_clear_object (&self->provider_db);

  G_OBJECT_CLASS (stamp_dns_check_parent_class)->finalize (object);
}

static void
stamp_dns_check_class_init (StampDnsCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_dns_check_finalize;
}

static void
stamp_dns_check_init (StampDnsCheck *self)
{
  self->lookup_ms = DEFAULT_LOOKUP_MS;
  self->total_ms = DEFAULT_TOTAL_MS;
}

StampDnsCheck *
stamp_dns_check_new (void)
{
  return g_object_new (STAMP_TYPE_DNS_CHECK, NULL);
}

/**
 * stamp_dns_check_set_resolver:
 * @self: a #StampDnsCheck
 * @resolver: (nullable): the resolver to ask, or %NULL for the default one
 */
void
stamp_dns_check_set_resolver (StampDnsCheck *self,
                              GResolver     *resolver)
{
  g_return_if_fail (STAMP_IS_DNS_CHECK (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  g_set_object (&self->resolver, resolver);
}

/**
 * stamp_dns_check_set_provider_db:
 * @self: a #StampDnsCheck
 * @provider_db: (nullable): the database to consult, or %NULL for the
 *   built-in one
 */
void
stamp_dns_check_set_provider_db (StampDnsCheck   *self,
                                 StampProviderDb *provider_db)
{
  g_return_if_fail (STAMP_IS_DNS_CHECK (self));

  g_set_object (&self->provider_db, provider_db);
}

/**
 * stamp_dns_check_set_timeouts:
 * @self: a #StampDnsCheck
 * @lookup_ms: the deadline of each lookup
 * @total_ms: the deadline of the whole check
 */
void
stamp_dns_check_set_timeouts (StampDnsCheck *self,
                              guint          lookup_ms,
                              guint          total_ms)
{
  g_return_if_fail (STAMP_IS_DNS_CHECK (self));
  g_return_if_fail (lookup_ms > 0 && total_ms > 0);

  self->lookup_ms = lookup_ms;
  self->total_ms = total_ms;
}

/* RFC 1035 §2.3.1 and RFC 5890: labels of letters, digits and hyphens,
 * none at either end, 63 octets at most, 253 in all; at least two labels,
 * since a sender's domain is never a bare top-level name. */
static char *
dup_domain (const char  *domain,
            GError     **error)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  gsize len;
  gboolean valid;

  valid = domain != NULL && *domain != '\0' && g_utf8_validate (domain, -1, NULL) &&
          strpbrk (domain, " \t\r\n@") == NULL;
  if (valid)
    ascii = g_hostname_to_ascii (domain);
  valid = ascii != NULL;

  if (valid)
    {
      len = strlen (ascii);
      if (len > 0 && ascii[len - 1] == '.')
        ascii[--len] = '\0';
      labels = g_strsplit (ascii, ".", -1);
      valid = len > 0 && len <= 253 && g_strv_length (labels) >= 2;
    }

  for (guint i = 0; valid && labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize label_len = strlen (label);

      valid = label_len > 0 && label_len <= 63 && label[0] != '-' && label[label_len - 1] != '-';
      for (const char *p = label; valid && *p != '\0'; p++)
        valid = g_ascii_isalnum (*p) || *p == '-';
    }

  if (!valid)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a mail domain"),
                   domain != NULL && g_utf8_validate (domain, -1, NULL) ? domain : "");
      return NULL;
    }

  return g_ascii_strdown (ascii, -1);
}

/**
 * stamp_dns_check_run_async:
 * @self: a #StampDnsCheck
 * @domain: the sender's domain; an IDN is checked in its ASCII form
 * @provider_id: (nullable): the provider that sends the domain's mail, as
 *   an id of the provider database; %NULL to tell it from the domain or
 *   its MX records
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the findings
 * @user_data: data for @callback
 *
 * Checks @domain's SPF, DKIM and DMARC records. A domain that is not one,
 * or a provider id the database does not know, fails at once with
 * %STAMP_ERROR_INVALID_INPUT.
 */
void
stamp_dns_check_run_async (StampDnsCheck       *self,
                           const char          *domain,
                           const char          *provider_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *dmarc = NULL;
  StampProviderDb *db;
  StampProvider *provider = NULL;
  GError *error = NULL;
  CheckState *state;

  g_return_if_fail (STAMP_IS_DNS_CHECK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_dns_check_run_async);

  ascii = dup_domain (domain, &error);
  if (ascii == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  db = self->provider_db != NULL ? self->provider_db : stamp_provider_db_get_default ();
  if (provider_id != NULL)
    {
      provider = stamp_provider_db_lookup_id (db, provider_id);
      if (provider == NULL)
        {
          g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                                   _("“%s” is not a known provider"), provider_id);
          return;
        }
    }
  else
    provider = stamp_provider_db_lookup_domain (db, ascii);

  state = g_new0 (CheckState, 1);
  state->self = g_object_ref (self);
  state->resolver = self->resolver != NULL ? g_object_ref (self->resolver)
                                           : g_resolver_get_default ();
  state->domain = g_steal_pointer (&ascii);
  state->fan_out = stamp_fan_out_new (self->lookup_ms, self->total_ms);
  state->walk = stamp_spf_walk_new (state->domain);
  g_task_set_task_data (task, state, (GDestroyNotify) check_state_free);

  if (provider != NULL)
    use_provider (state, provider);

  stamp_fan_out_run_async (state->fan_out, cancellable, fan_out_cb, g_object_ref (task));

  dmarc = g_strdup_printf ("_dmarc.%s", state->domain);
  start_lookup (task, state->domain, G_RESOLVER_RECORD_TXT, spf_done, &state->spf);
  start_lookup (task, dmarc, G_RESOLVER_RECORD_TXT, dmarc_done, &state->dmarc);

  if (state->provider_id != NULL)
    start_dkim (task);
  else
    start_lookup (task, state->domain, G_RESOLVER_RECORD_MX, mx_done, NULL);
}

/**
 * stamp_dns_check_run_finish:
 * @self: a #StampDnsCheck
 * @result: the #GAsyncResult
 * @provider_id: (out) (optional) (nullable) (transfer full): the provider
 *   the domain was checked for, or %NULL when none was known
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type StampDnsFinding): the
 *   findings, SPF first, then DKIM, then DMARC; %NULL with @error set for
 *   an invalid domain or provider, or a cancelled check
 */
GPtrArray *
stamp_dns_check_run_finish (StampDnsCheck  *self,
                            GAsyncResult   *result,
                            char          **provider_id,
                            GError        **error)
{
  CheckState *state;

  g_return_val_if_fail (STAMP_IS_DNS_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_dns_check_run_async,
                        NULL);

  state = g_task_get_task_data (G_TASK (result));
  if (provider_id != NULL)
    *provider_id = state != NULL && !g_task_had_error (G_TASK (result))
                   ? g_strdup (state->provider_id) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

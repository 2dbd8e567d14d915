/* stamp-discovery.c
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

#define G_LOG_DOMAIN "stamp-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-address.h"
#include "stamp-discovery-sources-private.h"
#include "stamp-discovery.h"
#include "stamp-error.h"
#include "stamp-util.h"

/* Each network source gets this long, and the whole run at most this long:
 * the worst case, every source timing out, stays under 10 seconds. */
#define DEFAULT_SOURCE_MS 4000
#define DEFAULT_TOTAL_MS  9000

/*
 * StampDiscovery:
 *
 * Finds the submission settings for an email address. Stamp's provider
 * database answers at once for the domains it knows; otherwise MX and SRV
 * records, Mozilla autoconfig (the domain's own, then Thunderbird's ISP
 * database), Microsoft's sign-in service (for Microsoft 365 tenants behind
 * a mail filter) and probes of smtp. and mail. hosts run side by side, each
 * with a deadline. The first confident answer ends the run; otherwise it
 * ends when every source has answered or the total deadline passes. The
 * result is a ranked list of #StampCandidate, each with its reason.
 */

struct _StampDiscovery
{
  GObject parent_instance;

  /* Owned */
  StampProviderDb *provider_db;
  SoupSession     *session;
  char            *http_base;
  char            *tenant_base;
  char            *ca_file;

  guint16          tls_port;
  guint16          starttls_port;
  guint            source_ms;
  guint            total_ms;
};

G_DEFINE_FINAL_TYPE (StampDiscovery, stamp_discovery, G_TYPE_OBJECT)

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  StampCandidate *first = *(StampCandidate **) a;
  StampCandidate *second = *(StampCandidate **) b;
  int by_score = stamp_candidate_get_score (second) - stamp_candidate_get_score (first);

  if (by_score != 0)
    return by_score;

  return (int) stamp_candidate_get_source (first) - (int) stamp_candidate_get_source (second);
}

/* The ranked answer: best first, one entry per endpoint (the best-sourced
 * one, with what the others knew about sign-in). */
static GPtrArray *
rank (GPtrArray *candidates)
{
  GPtrArray *ranked = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len; i++)
    {
      StampCandidate *candidate = g_ptr_array_index (candidates, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < ranked->len && !seen; j++)
        {
          StampCandidate *kept = g_ptr_array_index (ranked, j);

          if (stamp_candidate_same_endpoint (kept, candidate))
            {
              seen = TRUE;
              if (stamp_candidate_get_auth_methods (kept) == NULL)
                stamp_candidate_set_auth_methods (kept, stamp_candidate_get_auth_methods (candidate));
            }
        }

      if (!seen)
        g_ptr_array_add (ranked, g_object_ref (candidate));
    }

  return ranked;
}

/* The end of the fan-out: a confident answer, every source answered, the
 * total deadline, or the caller's cancellation. */
static void
fan_out_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) candidates = NULL;
  GError *error = NULL;

  candidates = stamp_fan_out_run_finish (STAMP_FAN_OUT (object), result, &error);
  if (candidates == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rank (candidates), (GDestroyNotify) g_ptr_array_unref);
}

static SoupSession *
ensure_session (StampDiscovery *self)
{
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "Stamp/" PACKAGE_VERSION,
                                                   "max-conns-per-host", 2,
                                                   NULL);

  return self->session;
}

static void
stamp_discovery_finalize (GObject *object)
{
  StampDiscovery *self = (StampDiscovery *)object;

  g_clear_object (&self->provider_db);
  g_clear_object (&self->session);
  g_clear_pointer (&self->http_base, g_free);
  g_clear_pointer (&self->tenant_base, g_free);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (stamp_discovery_parent_class)->finalize (object);
}

static void
stamp_discovery_class_init (StampDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_discovery_finalize;
}

static void
stamp_discovery_init (StampDiscovery *self)
{
  self->tls_port = 465;
  self->starttls_port = 587;
  self->source_ms = DEFAULT_SOURCE_MS;
  self->total_ms = DEFAULT_TOTAL_MS;
}

StampDiscovery *
stamp_discovery_new (void)
{
  return g_object_new (STAMP_TYPE_DISCOVERY, NULL);
}

/**
 * stamp_discovery_set_provider_db:
 * @self: a #StampDiscovery
 * @provider_db: (nullable): the database to consult, or %NULL for the
 *   built-in one
 */
void
stamp_discovery_set_provider_db (StampDiscovery  *self,
                                 StampProviderDb *provider_db)
{
  g_return_if_fail (STAMP_IS_DISCOVERY (self));

  g_set_object (&self->provider_db, provider_db);
}

/**
 * stamp_discovery_set_http_base:
 * @self: a #StampDiscovery
 * @http_base: (nullable): a base URL such as "http://127.0.0.1:8080"
 *
 * Sends every autoconfig request to @http_base instead of the real host:
 * https://HOST/PATH becomes @http_base/HOST/PATH. For tests and for
 * mirrors; plain http is accepted only through this override.
 */
void
stamp_discovery_set_http_base (StampDiscovery *self,
                               const char     *http_base)
{
  g_return_if_fail (STAMP_IS_DISCOVERY (self));

  stamp_set_str (&self->http_base, http_base);
}

/**
 * stamp_discovery_set_tenant_lookup_url:
 * @self: a #StampDiscovery
 * @url: (nullable): a base URL such as "http://127.0.0.1:8080", or %NULL
 *   for Microsoft's sign-in service
 *
 * Asks @url instead of https://login.microsoftonline.com whether the
 * domain is a Microsoft 365 tenant: @url/DOMAIN/v2.0/.well-known/
 * openid-configuration. For tests, as an authority is for sign-in.
 */
void
stamp_discovery_set_tenant_lookup_url (StampDiscovery *self,
                                       const char     *url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (STAMP_IS_DISCOVERY (self));

  /* "…/" and "…" name the same base. */
  if (url != NULL && g_str_has_suffix (url, "/"))
    trimmed = g_strndup (url, strlen (url) - 1);

  stamp_set_str (&self->tenant_base, trimmed != NULL ? trimmed : url);
}

/**
 * stamp_discovery_set_ca_file:
 * @self: a #StampDiscovery
 * @ca_file: (nullable): extra trusted authorities for the probes
 */
void
stamp_discovery_set_ca_file (StampDiscovery *self,
                             const char     *ca_file)
{
  g_return_if_fail (STAMP_IS_DISCOVERY (self));

  stamp_set_str (&self->ca_file, ca_file);
}

/**
 * stamp_discovery_set_probe_ports:
 * @self: a #StampDiscovery
 * @tls_port: the port probed with implicit TLS (465)
 * @starttls_port: the port probed with STARTTLS (587)
 *
 * For tests, whose servers cannot listen on the real ports.
 */
void
stamp_discovery_set_probe_ports (StampDiscovery *self,
                                 guint16         tls_port,
                                 guint16         starttls_port)
{
  g_return_if_fail (STAMP_IS_DISCOVERY (self));

  self->tls_port = tls_port;
  self->starttls_port = starttls_port;
}

/**
 * stamp_discovery_set_timeouts:
 * @self: a #StampDiscovery
 * @source_ms: the deadline of each source
 * @total_ms: the deadline of the whole run
 */
void
stamp_discovery_set_timeouts (StampDiscovery *self,
                              guint           source_ms,
                              guint           total_ms)
{
  g_return_if_fail (STAMP_IS_DISCOVERY (self));
  g_return_if_fail (source_ms > 0 && total_ms > 0);

  self->source_ms = source_ms;
  self->total_ms = total_ms;
}

/* Splits and normalises @address: the domain in lower-case ASCII, so an
 * IDN domain and an upper-case one find the same settings. */
static char *
dup_domain (const char  *address,
            GError     **error)
{
  g_autofree char *ascii = NULL;

  if (!stamp_address_check (address, error))
    return NULL;

  ascii = g_hostname_to_ascii (strrchr (address, '@') + 1);
  if (ascii == NULL || strchr (ascii, '.') == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a mail domain"), strrchr (address, '@') + 1);
      return NULL;
    }

  return g_ascii_strdown (ascii, -1);
}

/**
 * stamp_discovery_run_async:
 * @self: a #StampDiscovery
 * @address: the email address to find settings for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Finds the submission settings for @address. An address that is not one
 * fails at once with %STAMP_ERROR_INVALID_INPUT.
 */
void
stamp_discovery_run_async (StampDiscovery      *self,
                           const char          *address,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(StampFanOut) fan_out = NULL;
  g_autoptr(DiscoverySources) sources = NULL;
  g_autofree char *domain = NULL;
  StampProviderDb *provider_db;
  StampProvider *provider;
  GError *error = NULL;

  g_return_if_fail (STAMP_IS_DISCOVERY (self));
  g_return_if_fail (address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_discovery_run_async);

  domain = dup_domain (address, &error);
  if (domain == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A domain Stamp knows needs no network at all. */
  provider_db = self->provider_db != NULL ? self->provider_db : stamp_provider_db_get_default ();
  provider = stamp_provider_db_lookup_domain (provider_db, domain);
  if (provider != NULL)
    {
      /* Translators: "gmail.com addresses are hosted by Gmail and Google Workspace" */
      g_autofree char *reason = g_strdup_printf (_("%s addresses are hosted by %s"), domain,
                                                 stamp_provider_get_name (provider));
      g_autoptr(GPtrArray) found = NULL;

      found = _stamp_discovery_from_provider (provider, STAMP_DISCOVERY_SOURCE_PROVIDER,
                                              reason, 100);
      g_task_return_pointer (task, rank (found), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  fan_out = stamp_fan_out_new (self->source_ms, self->total_ms);
  stamp_fan_out_run_async (fan_out, cancellable, fan_out_cb, g_object_ref (task));

  sources = _stamp_discovery_sources_new (fan_out, address, domain);
  sources->provider_db = g_object_ref (provider_db);
  sources->session = g_object_ref (ensure_session (self));
  sources->http_base = g_strdup (self->http_base);
  sources->tenant_base = g_strdup (self->tenant_base);
  sources->ca_file = g_strdup (self->ca_file);
  sources->tls_port = self->tls_port;
  sources->starttls_port = self->starttls_port;
  _stamp_discovery_sources_start (sources);
}

/**
 * stamp_discovery_run_finish:
 * @self: a #StampDiscovery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type StampCandidate): the ranked
 *   candidates, best first, possibly none; %NULL with @error set for an
 *   invalid address or a cancelled run
 */
GPtrArray *
stamp_discovery_run_finish (StampDiscovery  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_return_val_if_fail (STAMP_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_discovery_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_discovery_source_to_string:
 * @source: a #StampDiscoverySource
 *
 * Returns: a short translated name of the source, as a list shows it
 */
const char *
stamp_discovery_source_to_string (StampDiscoverySource source)
{
  switch (source)
    {
    case STAMP_DISCOVERY_SOURCE_PROVIDER:   return _("Known provider");
    case STAMP_DISCOVERY_SOURCE_MX:         return _("MX records");
    case STAMP_DISCOVERY_SOURCE_AUTOCONFIG: return _("Domain autoconfig");
    case STAMP_DISCOVERY_SOURCE_TENANT:     return _("Microsoft sign-in service");
    case STAMP_DISCOVERY_SOURCE_ISPDB:      return _("ISP database");
    case STAMP_DISCOVERY_SOURCE_SRV:        return _("SRV records");
    case STAMP_DISCOVERY_SOURCE_PROBE:      return _("Probe");
    default:
      g_return_val_if_reached (NULL);
    }
}

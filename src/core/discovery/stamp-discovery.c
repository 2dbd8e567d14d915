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
#include "stamp-async.h"
#include "stamp-discovery-private.h"
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
 * database) and probes of smtp. and mail. hosts run side by side, each
 * with a deadline. The first confident answer ends the run; otherwise it
 * ends when every source has answered or the total deadline passes. The
 * result is a ranked list of #StampCandidate, each with its reason.
 */

G_DEFINE_FINAL_TYPE (StampDiscovery, stamp_discovery, G_TYPE_OBJECT)

static void
run_state_free (RunState *state)
{
  g_clear_object (&state->self);
  g_clear_pointer (&state->address, g_free);
  g_clear_pointer (&state->domain, g_free);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->user_cancellable);
  g_clear_pointer (&state->candidates, g_ptr_array_unref);
  if (state->deadline != NULL)
    g_source_destroy (state->deadline);
  g_clear_pointer (&state->deadline, g_source_unref);
  g_free (state);
}

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

static void
finish_run (GTask *task)
{
  RunState *state = g_task_get_task_data (task);

  if (state->finished)
    return;

  state->finished = TRUE;
  g_cancellable_cancel (state->cancellable);
  if (state->user_handler != 0)
    g_cancellable_disconnect (state->user_cancellable, state->user_handler);
  state->user_handler = 0;
  if (state->deadline != NULL)
    g_source_destroy (state->deadline);

  g_task_return_pointer (task, rank (state->candidates), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_debug ("Discovery deadline reached");
  finish_run (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
op_timeout_cb (gpointer user_data)
{
  SourceOp *op = user_data;

  g_debug ("%s: timed out", op->what);
  g_cancellable_cancel (op->cancellable);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *other)
{
  g_cancellable_cancel (other);
}

/* Starts the bookkeeping for one source: its own cancellable, cancelled by
 * its deadline or by the end of the run. */
SourceOp *
_stamp_discovery_op_new (GTask      *task,
                         const char *what)
{
  RunState *state = g_task_get_task_data (task);
  SourceOp *op = g_new0 (SourceOp, 1);

  op->task = g_object_ref (task);
  op->what = g_strdup (what);
  op->cancellable = g_cancellable_new ();
  op->run_handler = g_cancellable_connect (state->cancellable, G_CALLBACK (forward_cancel_cb),
                                           op->cancellable, NULL);
  op->timer = g_timeout_source_new (state->self->source_ms);
  g_source_set_callback (op->timer, op_timeout_cb, op, NULL);
  g_source_attach (op->timer, g_task_get_context (task));
  state->pending++;

  return op;
}

/* Ends a source: its candidates join the run, and a confident answer (or
 * the last source) ends the run. Takes @found. */
void
_stamp_discovery_op_finish (SourceOp  *op,
                            GPtrArray *found,
                            gboolean   confident)
{
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  RunState *state = g_task_get_task_data (task);

  g_source_destroy (op->timer);
  g_source_unref (op->timer);
  g_cancellable_disconnect (state->cancellable, op->run_handler);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->message);
  g_clear_object (&op->stream);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_clear_pointer (&op->found, g_ptr_array_unref);
  g_free (op->origin);
  g_free (op->what);
  g_free (op);

  state->pending--;

  if (found != NULL)
    {
      g_ptr_array_extend_and_steal (state->candidates, found);
      found = NULL;
    }

  if (!state->finished && ((confident && state->candidates->len > 0) || state->pending == 0))
    finish_run (task);
}

/**
 * _stamp_discovery_from_provider:
 *
 * Turns a provider's endpoints into candidates, in its order of preference.
 */
GPtrArray *
_stamp_discovery_from_provider (StampProvider        *provider,
                                StampDiscoverySource  source,
                                const char           *reason,
                                int                   base_score)
{
  static const StampAuthMechanism mechanisms[] = {
    STAMP_AUTH_XOAUTH2, STAMP_AUTH_OAUTHBEARER, STAMP_AUTH_PLAIN, STAMP_AUTH_LOGIN,
  };
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) auth = g_strv_builder_new ();
  g_auto(GStrv) methods = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      if (stamp_provider_supports_auth (provider, mechanisms[i]))
        g_strv_builder_add (auth, stamp_auth_mechanism_to_string (mechanisms[i]));
    }
  methods = g_strv_builder_end (auth);

  for (guint i = 0; i < stamp_provider_get_n_endpoints (provider); i++)
    {
      const StampEndpoint *endpoint = stamp_provider_get_endpoint (provider, i);
      StampCandidate *candidate = stamp_candidate_new (endpoint->host, endpoint->port,
                                                       endpoint->security, source, reason);

      stamp_candidate_set_provider_id (candidate, stamp_provider_get_id (provider));
      stamp_candidate_set_score (candidate, base_score - (int) i);
      if (methods[0] != NULL)
        stamp_candidate_set_auth_methods (candidate, (const char * const *) methods);
      g_ptr_array_add (found, candidate);
    }

  return found;
}

static gboolean
finish_run_idle_cb (gpointer user_data)
{
  finish_run (user_data);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   GTask        *task)
{
  /* Never finish here: this may be another thread, and finish_run()
   * disconnects this very handler, which would deadlock inside it. */
  stamp_task_idle (task, finish_run_idle_cb);
}

static void
stamp_discovery_finalize (GObject *object)
{
  StampDiscovery *self = (StampDiscovery *)object;

  g_clear_object (&self->provider_db);
  g_clear_object (&self->session);
  g_clear_pointer (&self->http_base, g_free);
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
  g_autofree char *domain = NULL;
  g_autofree char *reason = NULL;
  StampProviderDb *provider_db;
  StampProvider *provider;
  GError *error = NULL;
  RunState *state;

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

  state = g_new0 (RunState, 1);
  state->self = g_object_ref (self);
  state->address = g_strdup (address);
  state->domain = g_steal_pointer (&domain);
  state->cancellable = g_cancellable_new ();
  state->candidates = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, state, (GDestroyNotify) run_state_free);

  /* A domain Stamp knows needs no network at all. */
  provider_db = self->provider_db != NULL ? self->provider_db : stamp_provider_db_get_default ();
  provider = stamp_provider_db_lookup_domain (provider_db, state->domain);
  if (provider != NULL)
    {
      /* Translators: "gmail.com addresses are hosted by Gmail and Google Workspace" */
      reason = g_strdup_printf (_("%s addresses are hosted by %s"), state->domain,
                                stamp_provider_get_name (provider));
      g_ptr_array_extend_and_steal (state->candidates,
                                    _stamp_discovery_from_provider (provider,
                                                                    STAMP_DISCOVERY_SOURCE_PROVIDER,
                                                                    reason, 100));
      finish_run (task);
      return;
    }

  if (cancellable != NULL)
    {
      state->user_cancellable = g_object_ref (cancellable);
      state->user_handler = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                                   task, NULL);
    }

  state->deadline = g_timeout_source_new (self->total_ms);
  g_source_set_callback (state->deadline, deadline_cb, task, NULL);
  g_source_attach (state->deadline, g_task_get_context (task));

  {
    g_autofree char *autoconfig_host = g_strdup_printf ("autoconfig.%s", state->domain);
    g_autofree char *escaped = g_uri_escape_string (address, NULL, FALSE);
    g_autofree char *path = g_strdup_printf ("/mail/config-v1.1.xml?emailaddress=%s", escaped);
    g_autofree char *ispdb_path = g_strdup_printf ("/v1.1/%s", state->domain);

    _stamp_discovery_start_mx (task);
    _stamp_discovery_start_srv (task);
    _stamp_discovery_start_fetch (task, autoconfig_host, path,
                                  STAMP_DISCOVERY_SOURCE_AUTOCONFIG, autoconfig_host);
    _stamp_discovery_start_fetch (task, state->domain,
                                  "/.well-known/autoconfig/mail/config-v1.1.xml",
                                  STAMP_DISCOVERY_SOURCE_AUTOCONFIG, state->domain);
    _stamp_discovery_start_fetch (task, "autoconfig.thunderbird.net", ispdb_path,
                                  STAMP_DISCOVERY_SOURCE_ISPDB, state->domain);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *host = g_strdup_printf ("%s.%s", i == 0 ? "smtp" : "mail", state->domain);

      _stamp_discovery_start_probe (task, host, STAMP_SECURITY_TLS);
      _stamp_discovery_start_probe (task, host, STAMP_SECURITY_STARTTLS);
    }
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
    case STAMP_DISCOVERY_SOURCE_ISPDB:      return _("ISP database");
    case STAMP_DISCOVERY_SOURCE_SRV:        return _("SRV records");
    case STAMP_DISCOVERY_SOURCE_PROBE:      return _("Probe");
    default:
      g_return_val_if_reached (NULL);
    }
}

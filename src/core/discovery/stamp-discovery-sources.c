/* stamp-discovery-sources.c
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

/* The sources of StampDiscovery: MX and SRV records through GResolver,
 * autoconfig files over HTTPS through libsoup, and probes through the SMTP
 * engine. Each runs on the run's main context and ends with
 * _stamp_discovery_op_finish(). */

#define G_LOG_DOMAIN "stamp-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-autoconfig.h"
#include "stamp-discovery-private.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client.h"

/* Scores: the more a source speaks for the domain, the higher its answer. */
#define SCORE_MX         90
#define SCORE_AUTOCONFIG 80
#define SCORE_ISPDB      70
#define SCORE_SRV_TLS    62
#define SCORE_SRV        58
#define SCORE_PROBE      40

#define READ_CHUNK 8192

/* A probe only needs a greeting and an EHLO or two. */
#define PROBE_TIMEOUT 3

static RunState *
op_state (SourceOp *op)
{
  return g_task_get_task_data (op->task);
}

/* The registrable part of an MX host, for the ISP database: the last two
 * labels, or three where the second-level label is a short public suffix
 * such as co.uk or com.au. A heuristic, which is all a lookup needs. */
static char *
dup_base_domain (const char *host)
{
  g_auto(GStrv) labels = g_strsplit (host, ".", -1);
  guint n = g_strv_length (labels);
  guint keep = 2;

  while (n > 0 && *labels[n - 1] == '\0')
    n--;

  if (n >= 3 && strlen (labels[n - 1]) == 2 && strlen (labels[n - 2]) <= 3)
    keep = 3;

  if (n < keep)
    return NULL;

  return g_strjoinv (".", labels + n - keep);
}

typedef struct
{
  guint16  preference;
  char    *host;
} MxRecord;

static void
clear_mx_record (gpointer data)
{
  g_free (((MxRecord *) data)->host);
}

static int
compare_mx (gconstpointer a,
            gconstpointer b)
{
  const MxRecord *first = a;
  const MxRecord *second = b;

  return (int) first->preference - (int) second->preference;
}

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  SourceOp *op = user_data;
  RunState *state = op_state (op);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (MxRecord));
  GList *variants;
  StampProviderDb *db = state->self->provider_db != NULL ? state->self->provider_db
                                                         : stamp_provider_db_get_default ();

  g_array_set_clear_func (records, clear_mx_record);
  variants = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (variants == NULL)
    {
      g_debug ("MX %s: %s", state->domain, error->message);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  for (GList *l = variants; l != NULL; l = l->next)
    {
      MxRecord record;

      g_variant_get (l->data, "(qs)", &record.preference, &record.host);
      g_array_append_val (records, record);
    }
  g_list_free_full (variants, (GDestroyNotify) g_variant_unref);
  g_array_sort (records, compare_mx);

  for (guint i = 0; i < records->len; i++)
    {
      MxRecord *record = &g_array_index (records, MxRecord, i);
      StampProvider *provider = stamp_provider_db_lookup_mx (db, record->host);

      if (provider != NULL)
        {
          g_autofree char *reason =
            /* Translators: "MX points to Microsoft 365 (contoso-com.mail.protection…)" */
            g_strdup_printf (_("MX points to %s (%s)"), stamp_provider_get_name (provider),
                             record->host);
          GPtrArray *found = _stamp_discovery_from_provider (provider, STAMP_DISCOVERY_SOURCE_MX,
                                                             reason, SCORE_MX);

          _stamp_discovery_op_finish (op, found, TRUE);
          return;
        }
    }

  /* No known provider: the MX host's own domain may be in the ISP database
   * (a domain hosted by an ISP under the ISP's name). */
  if (records->len > 0 && !state->ispdb_for_mx_started && !state->finished)
    {
      g_autofree char *base = dup_base_domain (g_array_index (records, MxRecord, 0).host);

      if (base != NULL && g_ascii_strcasecmp (base, state->domain) != 0)
        {
          g_autofree char *path = g_strdup_printf ("/v1.1/%s", base);

          state->ispdb_for_mx_started = TRUE;
          _stamp_discovery_start_fetch (op->task, "autoconfig.thunderbird.net", path,
                                        STAMP_DISCOVERY_SOURCE_ISPDB, base);
        }
    }

  _stamp_discovery_op_finish (op, NULL, FALSE);
}

void
_stamp_discovery_start_mx (GTask *task)
{
  RunState *state = g_task_get_task_data (task);
  SourceOp *op = _stamp_discovery_op_new (task, "MX");
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  g_resolver_lookup_records_async (resolver, state->domain, G_RESOLVER_RECORD_MX,
                                   op->cancellable, mx_cb, op);
}

typedef struct
{
  SourceOp *op;
  gboolean  implicit_tls;
} SrvLookup;

static void
srv_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  SrvLookup *lookup = user_data;
  SourceOp *op = lookup->op;
  RunState *state = op_state (op);
  const char *service = lookup->implicit_tls ? "submissions" : "submission";
  g_autoptr(GError) error = NULL;
  GList *targets;
  guint position = 0;

  /* No targets and no error: the domain says the service is not there
   * (a target of ".", RFC 2782). */
  targets = g_resolver_lookup_service_finish (G_RESOLVER (object), result, &error);
  if (targets == NULL)
    g_debug ("SRV _%s._tcp.%s: %s", service, state->domain,
             error != NULL ? error->message : "not offered");

  for (GList *l = targets; l != NULL; l = l->next)
    {
      const char *host = g_srv_target_get_hostname (l->data);
      g_autofree char *reason = NULL;
      StampCandidate *candidate;

      if (host == NULL || *host == '\0' || g_str_equal (host, "."))
        continue;

      /* Translators: "The domain's DNS names smtp.example.com for mail submission
       * (_submissions._tcp)" */
      reason = g_strdup_printf (_("The domain’s DNS names %s for mail submission (_%s._tcp)"),
                                host, service);
      candidate = stamp_candidate_new (host, g_srv_target_get_port (l->data),
                                       lookup->implicit_tls ? STAMP_SECURITY_TLS
                                                            : STAMP_SECURITY_STARTTLS,
                                       STAMP_DISCOVERY_SOURCE_SRV, reason);
      /* RFC 8314 §5.1: implicit TLS is preferred to STARTTLS. */
      stamp_candidate_set_score (candidate, (lookup->implicit_tls ? SCORE_SRV_TLS : SCORE_SRV)
                                            - (int) position++);
      g_ptr_array_add (op->found, candidate);
    }
  g_resolver_free_targets (targets);
  g_free (lookup);

  /* Both services make one answer, so STARTTLS never wins by being first. */
  if (--op->parts == 0)
    {
      GPtrArray *found = g_steal_pointer (&op->found);

      _stamp_discovery_op_finish (op, found, found->len > 0);
    }
}

/**
 * _stamp_discovery_start_srv:
 * @task: the run
 *
 * Looks up _submissions._tcp and _submission._tcp (RFC 6186) together.
 */
void
_stamp_discovery_start_srv (GTask *task)
{
  RunState *state = g_task_get_task_data (task);
  SourceOp *op = _stamp_discovery_op_new (task, "SRV");
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  op->found = g_ptr_array_new_with_free_func (g_object_unref);
  op->parts = 2;

  for (guint i = 0; i < 2; i++)
    {
      SrvLookup *lookup = g_new0 (SrvLookup, 1);

      lookup->op = op;
      lookup->implicit_tls = i == 0;
      g_resolver_lookup_service_async (resolver,
                                       lookup->implicit_tls ? "submissions" : "submission",
                                       "tcp", state->domain, op->cancellable, srv_cb, lookup);
    }
}

static void
fetch_done (SourceOp *op)
{
  RunState *state = op_state (op);
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  found = stamp_autoconfig_parse ((const char *) op->body->data, op->body->len, state->address,
                                  op->source, op->origin, &error);
  if (found == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    stamp_candidate_set_score (g_ptr_array_index (found, i),
                               (op->source == STAMP_DISCOVERY_SOURCE_ISPDB ? SCORE_ISPDB
                                                                          : SCORE_AUTOCONFIG)
                               - (int) i);

  _stamp_discovery_op_finish (op, found, TRUE);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SourceOp *op = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      fetch_done (op);
      return;
    }

  g_byte_array_append (op->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* Oversized: stop reading, never buffer without end. */
  if (op->body->len > STAMP_AUTOCONFIG_MAX_SIZE)
    {
      g_debug ("%s: larger than %d bytes", op->what, STAMP_AUTOCONFIG_MAX_SIZE);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  g_input_stream_read_bytes_async (op->stream, READ_CHUNK, G_PRIORITY_DEFAULT, op->cancellable,
                                   read_cb, op);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SourceOp *op = user_data;
  RunState *state = op_state (op);
  g_autoptr(GError) error = NULL;
  GUri *uri;

  op->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (op->stream == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  if (soup_message_get_status (op->message) != SOUP_STATUS_OK)
    {
      g_debug ("%s: HTTP %u", op->what, soup_message_get_status (op->message));
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  /* A redirect must not leave HTTPS: the settings decide where a password
   * goes. (Tests and mirrors that chose plain http keep it.) */
  uri = soup_message_get_uri (op->message);
  if (state->self->http_base == NULL && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_debug ("%s: redirected away from HTTPS", op->what);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  op->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (op->stream, READ_CHUNK, G_PRIORITY_DEFAULT, op->cancellable,
                                   read_cb, op);
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

/**
 * _stamp_discovery_start_fetch:
 * @task: the run
 * @host: the host to ask
 * @path: the path and query
 * @source: autoconfig or ISP database
 * @origin: what the reason names as the file's origin
 *
 * Fetches https://@host@path (or the test base) and reads it as autoconfig.
 */
void
_stamp_discovery_start_fetch (GTask                *task,
                              const char           *host,
                              const char           *path,
                              StampDiscoverySource  source,
                              const char           *origin)
{
  RunState *state = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *what = NULL;
  SourceOp *op;

  if (state->self->http_base != NULL)
    url = g_strdup_printf ("%s/%s%s", state->self->http_base, host, path);
  else
    url = g_strdup_printf ("https://%s%s", host, path);

  what = g_strdup_printf ("GET %s", url);
  op = _stamp_discovery_op_new (task, what);
  op->source = source;
  op->origin = g_strdup (origin);
  op->message = soup_message_new ("GET", url);

  if (op->message == NULL)
    {
      g_debug ("%s: not a valid URL", url);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  soup_session_send_async (ensure_session (state->self), op->message, G_PRIORITY_DEFAULT,
                           op->cancellable, send_cb, op);
}

typedef struct
{
  SourceOp        *op;
  StampSmtpClient *client;
} Probe;

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Probe *probe = user_data;
  SourceOp *op = probe->op;
  StampSmtpClient *client = STAMP_SMTP_CLIENT (object);
  g_autoptr(GHashTable) capabilities = NULL;
  g_autoptr(GStrvBuilder) methods = g_strv_builder_new ();
  g_auto(GStrv) auth = NULL;
  g_autofree char *offered = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  StampCandidate *candidate;
  GPtrArray *found;
  const char *auth_param;
  StampSecurity security = stamp_smtp_client_get_security (client);

  capabilities = stamp_smtp_client_probe_finish (client, result, &error);
  g_free (probe);

  if (capabilities == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      g_object_unref (client);
      _stamp_discovery_op_finish (op, NULL, FALSE);
      return;
    }

  auth_param = g_hash_table_lookup (capabilities, "AUTH");
  for (StampAuthMechanism m = STAMP_AUTH_PLAIN; m <= STAMP_AUTH_OAUTHBEARER; m++)
    {
      if (stamp_sasl_is_offered (auth_param, m))
        g_strv_builder_add (methods, stamp_auth_mechanism_to_string (m));
    }
  auth = g_strv_builder_end (methods);

  offered = auth[0] != NULL ? g_ascii_strup (auth_param, -1) : g_strdup (_("no sign-in"));
  /* Translators: "smtp.example.com answers on port 587 (STARTTLS) and offers AUTH PLAIN LOGIN" */
  reason = g_strdup_printf (_("%s answers on port %u (%s) and offers %s%s"),
                            stamp_smtp_client_get_host (client),
                            stamp_smtp_client_get_port (client),
                            security == STAMP_SECURITY_TLS ? "TLS" : "STARTTLS",
                            auth[0] != NULL ? "AUTH " : "", offered);

  candidate = stamp_candidate_new (stamp_smtp_client_get_host (client),
                                   stamp_smtp_client_get_port (client),
                                   security, STAMP_DISCOVERY_SOURCE_PROBE, reason);
  /* A server offering sign-in is a submission server; RFC 8314 prefers
   * implicit TLS. */
  stamp_candidate_set_score (candidate, SCORE_PROBE + (auth[0] != NULL ? 5 : 0) +
                                        (security == STAMP_SECURITY_TLS ? 2 : 0));
  if (auth[0] != NULL)
    stamp_candidate_set_auth_methods (candidate, (const char * const *) auth);

  found = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (found, candidate);
  g_object_unref (client);

  /* A guess is never confident: a better source may still answer. */
  _stamp_discovery_op_finish (op, found, FALSE);
}

void
_stamp_discovery_start_probe (GTask         *task,
                              const char    *host,
                              StampSecurity  security)
{
  RunState *state = g_task_get_task_data (task);
  guint16 port = security == STAMP_SECURITY_TLS ? state->self->tls_port
                                                : state->self->starttls_port;
  g_autofree char *what = g_strdup_printf ("probe %s:%u", host, port);
  Probe *probe = g_new0 (Probe, 1);

  probe->op = _stamp_discovery_op_new (task, what);
  probe->client = stamp_smtp_client_new (host, port, security);
  stamp_smtp_client_set_ca_file (probe->client, state->self->ca_file);
  stamp_smtp_client_set_connect_timeout (probe->client, PROBE_TIMEOUT);
  stamp_smtp_client_set_reply_timeout (probe->client, PROBE_TIMEOUT);
  stamp_smtp_client_set_auth_mechanism (probe->client, STAMP_AUTH_NONE);

  stamp_smtp_client_probe_async (probe->client, probe->op->cancellable, probe_cb, probe);
}

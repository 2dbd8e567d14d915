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
 * engine. Each is a source of the run's fan-out, runs on its main context
 * and ends with op_finish(). */

#define G_LOG_DOMAIN "stamp-discovery"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-autoconfig.h"
#include "stamp-discovery-sources-private.h"
#include "stamp-domain.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client.h"

/* Scores: the more a source speaks for the domain, the higher its answer
 * (the tenant lookup's is in -sources-private.h). */
#define SCORE_MX         90
#define SCORE_AUTOCONFIG 80
#define SCORE_ISPDB      70
#define SCORE_SRV_TLS    62
#define SCORE_SRV        58
#define SCORE_PROBE      40

G_STATIC_ASSERT (SCORE_AUTOCONFIG > SCORE_TENANT && SCORE_TENANT > SCORE_ISPDB);

#define READ_CHUNK 8192

/* A probe only needs a greeting and an EHLO or two. */
#define PROBE_TIMEOUT 3

/* One source at work, with its own deadline. */
typedef struct _SourceOp SourceOp;

struct _SourceOp
{
  DiscoverySources     *sources;
  StampTimeLimit       *limit;
  char                 *what;

  /* For sources made of several lookups (SRV) */
  GPtrArray            *found;
  guint                 parts;

  /* For HTTP sources */
  SoupMessage          *message;
  GInputStream         *stream;
  GByteArray           *body;
  char                 *origin;
  StampDiscoverySource  source;
  DiscoveryParse        parse;
  gboolean              plain_http;
};

static void
sources_clear (DiscoverySources *sources)
{
  g_clear_object (&sources->fan_out);
  g_clear_object (&sources->provider_db);
  g_clear_object (&sources->session);
  g_clear_pointer (&sources->http_base, g_free);
  g_clear_pointer (&sources->tenant_base, g_free);
  g_clear_pointer (&sources->ca_file, g_free);
  g_clear_pointer (&sources->address, g_free);
  g_clear_pointer (&sources->domain, g_free);
}

/**
 * _stamp_discovery_sources_new:
 * @fan_out: the run's fan-out, already started
 * @address: the address discovered for
 * @domain: its domain, normalised
 *
 * Returns: (transfer full): the sources' shared state; the caller fills in
 *   the settings, then starts them
 */
DiscoverySources *
_stamp_discovery_sources_new (StampFanOut *fan_out,
                              const char  *address,
                              const char  *domain)
{
  DiscoverySources *sources = g_rc_box_new0 (DiscoverySources);

  sources->fan_out = g_object_ref (fan_out);
  sources->address = g_strdup (address);
  sources->domain = g_strdup (domain);

  return sources;
}

void
_stamp_discovery_sources_unref (DiscoverySources *sources)
{
  g_rc_box_release_full (sources, (GDestroyNotify) sources_clear);
}

/* Starts one source: its limit is cancelled by its deadline or by the end
 * of the run. */
static SourceOp *
op_new (DiscoverySources *sources,
        const char       *what)
{
  SourceOp *op = g_new0 (SourceOp, 1);

  op->sources = g_rc_box_acquire (sources);
  op->what = g_strdup (what);
  op->limit = stamp_fan_out_add_source (sources->fan_out);

  return op;
}

static GCancellable *
op_cancellable (SourceOp *op)
{
  return stamp_time_limit_get_cancellable (op->limit);
}

/* Ends a source: its candidates join the run, and a confident answer (or
 * the last source) ends the run. Takes @found. */
static void
op_finish (SourceOp  *op,
           GPtrArray *found,
           gboolean   confident)
{
  g_autoptr(DiscoverySources) sources = g_steal_pointer (&op->sources);

  if (stamp_time_limit_has_expired (op->limit))
    g_debug ("%s: timed out", op->what);

  g_clear_object (&op->limit);
  g_clear_object (&op->message);
  g_clear_object (&op->stream);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_clear_pointer (&op->found, g_ptr_array_unref);
  g_free (op->origin);
  g_free (op->what);
  g_free (op);

  stamp_fan_out_source_done (sources->fan_out, found, confident);
}

static void start_autoconfig (DiscoverySources     *sources,
                              const char           *host,
                              const char           *path,
                              StampDiscoverySource  source,
                              const char           *origin);

/**
 * _stamp_discovery_from_provider:
 * @provider: a provider of the database
 * @source: where the provider came from
 * @reason: why the candidates are offered
 * @base_score: the score of the first endpoint
 *
 * Turns a provider's endpoints into candidates, in its order of preference.
 *
 * Returns: (transfer full) (element-type StampCandidate): the candidates
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
  DiscoverySources *sources = op->sources;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (MxRecord));
  GList *variants;

  g_array_set_clear_func (records, clear_mx_record);
  variants = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  if (variants == NULL)
    {
      g_debug ("MX %s: %s", sources->domain, error->message);
      op_finish (op, NULL, FALSE);
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
      StampProvider *provider = stamp_provider_db_lookup_mx (sources->provider_db,
                                                             record->host);

      if (provider != NULL)
        {
          g_autofree char *reason =
            /* Translators: "MX points to Microsoft 365 (contoso-com.mail.protection…)" */
            g_strdup_printf (_("MX points to %s (%s)"), stamp_provider_get_name (provider),
                             record->host);
          GPtrArray *found = _stamp_discovery_from_provider (provider, STAMP_DISCOVERY_SOURCE_MX,
                                                             reason, SCORE_MX);

          op_finish (op, found, TRUE);
          return;
        }
    }

  /* No known provider: the MX host's own domain may be in the ISP database
   * (a domain hosted by an ISP under the ISP's name). It is a source of its
   * own, started before this one reports so the run cannot end between. */
  if (records->len > 0 && !stamp_fan_out_is_finished (sources->fan_out))
    {
      /* The ISP's organizational domain, by the public suffix list. */
      g_autofree char *base =
        stamp_domain_dup_organizational (g_array_index (records, MxRecord, 0).host);

      if (base != NULL && g_ascii_strcasecmp (base, sources->domain) != 0)
        {
          g_autofree char *path = g_strdup_printf ("/v1.1/%s", base);

          start_autoconfig (sources, "autoconfig.thunderbird.net", path,
                            STAMP_DISCOVERY_SOURCE_ISPDB, base);
        }
    }

  op_finish (op, NULL, FALSE);
}

static void
start_mx (DiscoverySources *sources)
{
  SourceOp *op = op_new (sources, "MX");
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  g_resolver_lookup_records_async (resolver, sources->domain, G_RESOLVER_RECORD_MX,
                                   op_cancellable (op), mx_cb, op);
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
  const char *service = lookup->implicit_tls ? "submissions" : "submission";
  g_autoptr(GError) error = NULL;
  GList *targets;
  guint position = 0;

  /* No targets and no error: the domain says the service is not there
   * (a target of ".", RFC 2782). */
  targets = g_resolver_lookup_service_finish (G_RESOLVER (object), result, &error);
  if (targets == NULL)
    g_debug ("SRV _%s._tcp.%s: %s", service, op->sources->domain,
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

      op_finish (op, found, found->len > 0);
    }
}

/* Looks up _submissions._tcp and _submission._tcp (RFC 6186) together. */
static void
start_srv (DiscoverySources *sources)
{
  SourceOp *op = op_new (sources, "SRV");
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
                                       "tcp", sources->domain, op_cancellable (op), srv_cb,
                                       lookup);
    }
}

/* Reads a fetched body as autoconfig. */
static GPtrArray *
parse_autoconfig (DiscoverySources      *sources,
                  StampDiscoverySource   source,
                  const char            *origin,
                  GByteArray            *body,
                  gboolean              *confident,
                  GError               **error)
{
  GPtrArray *found;

  found = stamp_autoconfig_parse ((const char *) body->data, body->len, sources->address,
                                  source, origin, error);

  for (guint i = 0; found != NULL && i < found->len; i++)
    stamp_candidate_set_score (g_ptr_array_index (found, i),
                               (source == STAMP_DISCOVERY_SOURCE_ISPDB ? SCORE_ISPDB
                                                                       : SCORE_AUTOCONFIG)
                               - (int) i);

  *confident = found != NULL;
  return found;
}

static void
fetch_done (SourceOp *op)
{
  g_autoptr(GError) error = NULL;
  gboolean confident = FALSE;
  GPtrArray *found;

  found = op->parse (op->sources, op->source, op->origin, op->body, &confident, &error);
  if (found == NULL)
    g_debug ("%s: %s", op->what, error->message);

  op_finish (op, found, confident);
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
      op_finish (op, NULL, FALSE);
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
      op_finish (op, NULL, FALSE);
      return;
    }

  g_input_stream_read_bytes_async (op->stream, READ_CHUNK, G_PRIORITY_DEFAULT, op_cancellable (op),
                                   read_cb, op);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SourceOp *op = user_data;
  g_autoptr(GError) error = NULL;
  GUri *uri;

  op->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (op->stream == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      op_finish (op, NULL, FALSE);
      return;
    }

  if (soup_message_get_status (op->message) != SOUP_STATUS_OK)
    {
      g_debug ("%s: HTTP %u", op->what, soup_message_get_status (op->message));
      op_finish (op, NULL, FALSE);
      return;
    }

  /* A redirect must not leave HTTPS: the settings decide where a password
   * goes. (Tests and mirrors that chose plain http keep it.) */
  uri = soup_message_get_uri (op->message);
  if (!op->plain_http && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_debug ("%s: redirected away from HTTPS", op->what);
      op_finish (op, NULL, FALSE);
      return;
    }

  op->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (op->stream, READ_CHUNK, G_PRIORITY_DEFAULT, op_cancellable (op),
                                   read_cb, op);
}

/**
 * _stamp_discovery_dup_url:
 * @sources: the run's sources
 * @host: a host name
 * @path: an absolute path
 *
 * Returns: (transfer full): https://@host@path, or the same under the
 *   run's test base
 */
char *
_stamp_discovery_dup_url (DiscoverySources *sources,
                          const char       *host,
                          const char       *path)
{
  if (sources->http_base != NULL)
    return g_strdup_printf ("%s/%s%s", sources->http_base, host, path);

  return g_strdup_printf ("https://%s%s", host, path);
}

/**
 * _stamp_discovery_fetch:
 * @sources: the run's sources
 * @url: what to fetch; plain http only through an override for tests
 * @source: the source the answer counts as
 * @origin: what the reason names as the answer's origin
 * @parse: reads the body of a 200 answer
 *
 * Starts one source that fetches @url within its deadline, reads at most
 * %STAMP_AUTOCONFIG_MAX_SIZE bytes and gives them to @parse.
 */
void
_stamp_discovery_fetch (DiscoverySources     *sources,
                        const char           *url,
                        StampDiscoverySource  source,
                        const char           *origin,
                        DiscoveryParse        parse)
{
  g_autofree char *what = g_strdup_printf ("GET %s", url);
  SourceOp *op = op_new (sources, what);

  op->source = source;
  op->origin = g_strdup (origin);
  op->parse = parse;
  op->plain_http = !g_str_has_prefix (url, "https://");
  op->message = soup_message_new ("GET", url);

  if (op->message == NULL)
    {
      g_debug ("%s: not a valid URL", url);
      op_finish (op, NULL, FALSE);
      return;
    }

  soup_session_send_async (sources->session, op->message, G_PRIORITY_DEFAULT,
                           op_cancellable (op), send_cb, op);
}

/* Fetches https://@host@path (or the test base) and reads it as
 * autoconfig; @origin is what the reason names as the file's origin. */
static void
start_autoconfig (DiscoverySources     *sources,
                  const char           *host,
                  const char           *path,
                  StampDiscoverySource  source,
                  const char           *origin)
{
  g_autofree char *url = _stamp_discovery_dup_url (sources, host, path);

  _stamp_discovery_fetch (sources, url, source, origin, parse_autoconfig);
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
  const StampSmtpSettings *settings = stamp_smtp_client_get_settings (client);
  StampSecurity security = stamp_smtp_settings_get_security (settings);

  capabilities = stamp_smtp_client_probe_finish (client, result, &error);
  g_free (probe);

  if (capabilities == NULL)
    {
      g_debug ("%s: %s", op->what, error->message);
      g_object_unref (client);
      op_finish (op, NULL, FALSE);
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
                            stamp_smtp_settings_get_host (settings),
                            stamp_smtp_settings_get_port (settings),
                            security == STAMP_SECURITY_TLS ? "TLS" : "STARTTLS",
                            auth[0] != NULL ? "AUTH " : "", offered);

  candidate = stamp_candidate_new (stamp_smtp_settings_get_host (settings),
                                   stamp_smtp_settings_get_port (settings),
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
  op_finish (op, found, FALSE);
}

static void
start_probe (DiscoverySources *sources,
             const char       *host,
             StampSecurity     security)
{
  guint16 port = security == STAMP_SECURITY_TLS ? sources->tls_port : sources->starttls_port;
  g_autofree char *what = g_strdup_printf ("probe %s:%u", host, port);
  g_autoptr(StampSmtpSettings) settings = stamp_smtp_settings_new (host, port, security);
  Probe *probe = g_new0 (Probe, 1);

  stamp_smtp_settings_set_ca_file (settings, sources->ca_file);
  stamp_smtp_settings_set_connect_timeout (settings, PROBE_TIMEOUT);
  stamp_smtp_settings_set_reply_timeout (settings, PROBE_TIMEOUT);
  stamp_smtp_settings_set_auth_mechanism (settings, STAMP_AUTH_NONE);

  probe->op = op_new (sources, what);
  probe->client = stamp_smtp_client_new (settings);

  stamp_smtp_client_probe_async (probe->client, op_cancellable (probe->op), probe_cb, probe);
}

/**
 * _stamp_discovery_sources_start:
 * @sources: the run's sources
 *
 * Starts every network source side by side: MX and SRV records, the
 * domain's autoconfig in both places, the ISP database, Microsoft's
 * sign-in service, and probes of the smtp. and mail. hosts on both ports.
 */
void
_stamp_discovery_sources_start (DiscoverySources *sources)
{
  g_autofree char *autoconfig_host = g_strdup_printf ("autoconfig.%s", sources->domain);
  g_autofree char *escaped = g_uri_escape_string (sources->address, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/mail/config-v1.1.xml?emailaddress=%s", escaped);
  g_autofree char *ispdb_path = g_strdup_printf ("/v1.1/%s", sources->domain);

  start_mx (sources);
  start_srv (sources);
  start_autoconfig (sources, autoconfig_host, path, STAMP_DISCOVERY_SOURCE_AUTOCONFIG,
                    autoconfig_host);
  start_autoconfig (sources, sources->domain, "/.well-known/autoconfig/mail/config-v1.1.xml",
                    STAMP_DISCOVERY_SOURCE_AUTOCONFIG, sources->domain);
  start_autoconfig (sources, "autoconfig.thunderbird.net", ispdb_path,
                    STAMP_DISCOVERY_SOURCE_ISPDB, sources->domain);
  _stamp_discovery_start_tenant (sources);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *host = g_strdup_printf ("%s.%s", i == 0 ? "smtp" : "mail",
                                               sources->domain);

      start_probe (sources, host, STAMP_SECURITY_TLS);
      start_probe (sources, host, STAMP_SECURITY_STARTTLS);
    }
}

/* test-discovery.c
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

/* Settings discovery against real peers on loopback: a table resolver for
 * MX, SRV and host names, an HTTP server for autoconfig files, and the SMTP
 * test server for probes. Each source alone, together, timing out, and
 * broken. */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "stamp-discovery.h"
#include "stamp-error.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"

typedef struct
{
  StampTestResolver *resolver;
  SoupServer        *http;
  GHashTable        *files;      /* path → body; "HANG" never answers */
  GPtrArray         *paused;
  StampDiscovery    *discovery;
  char              *http_base;
  guint              n_requests;
  StampTestIdp      *idp;        /* answers tenant lookups, if started */
} Fixture;

static void
http_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char *body = g_hash_table_lookup (fixture->files, path);

  fixture->n_requests++;

  if (body == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (g_str_equal (body, "HANG"))
    {
      /* Never answered: the client's deadline must end the wait. */
      soup_server_message_pause (message);
      g_ptr_array_add (fixture->paused, g_object_ref (message));
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "text/xml", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->resolver = stamp_test_resolver_install ();
  fixture->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->http = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->http, NULL, http_cb, fixture, NULL);
  soup_server_listen_local (fixture->http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->http);
  fixture->http_base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  fixture->discovery = stamp_discovery_new ();
  stamp_discovery_set_http_base (fixture->discovery, fixture->http_base);
  stamp_discovery_set_timeouts (fixture->discovery, 1500, 3000);
  /* Nothing listens here unless a test says so. */
  stamp_discovery_set_probe_ports (fixture->discovery, 1, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->discovery);
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);

  /* Let the server finish what it held back, so its connections close. */
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (fixture->paused, i);

      soup_server_message_set_status (message, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (message);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fixture->paused, g_ptr_array_unref);

  soup_server_disconnect (fixture->http);
  g_clear_object (&fixture->http);
  /* The closed connections are freed from the main context. */
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_pointer (&fixture->files, g_hash_table_unref);
  g_clear_pointer (&fixture->http_base, g_free);
  g_clear_object (&fixture->resolver);
}

static void
serve (Fixture    *fixture,
       const char *path,
       const char *body)
{
  g_hash_table_insert (fixture->files, g_strdup (path), g_strdup (body));
}

static char *
autoconfig_xml (const char *host,
                guint16     port,
                const char *socket_type)
{
  return g_strdup_printf ("<?xml version=\"1.0\"?><clientConfig version=\"1.1\">"
                          "<emailProvider id=\"x\"><outgoingServer type=\"smtp\">"
                          "<hostname>%s</hostname><port>%u</port>"
                          "<socketType>%s</socketType>"
                          "<authentication>password-cleartext</authentication>"
                          "</outgoingServer></emailProvider></clientConfig>",
                          host, port, socket_type);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *candidates;
  GError    *error;
} RunResult;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunResult *run = user_data;

  run->candidates = stamp_discovery_run_finish (STAMP_DISCOVERY (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static GPtrArray *
discover_full (Fixture     *fixture,
               const char  *address,
               guint        cancel_after_ms,
               gint64      *elapsed,
               GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult run = { loop, NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  if (cancel_after_ms > 0)
    g_timeout_add (cancel_after_ms, cancel_cb, cancellable);

  stamp_discovery_run_async (fixture->discovery, address, cancellable, run_cb, &run);
  g_main_loop_run (loop);

  if (elapsed != NULL)
    *elapsed = g_get_monotonic_time () - start;
  if (run.error != NULL)
    g_propagate_error (error, run.error);

  return run.candidates;
}

static GPtrArray *
discover (Fixture    *fixture,
          const char *address)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = discover_full (fixture, address, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (candidates);

  return candidates;
}

static StampCandidate *
first (GPtrArray *candidates)
{
  g_assert_cmpuint (candidates->len, >, 0);
  return g_ptr_array_index (candidates, 0);
}

static void
assert_candidate (StampCandidate       *candidate,
                  const char           *host,
                  guint16               port,
                  StampSecurity         security,
                  StampDiscoverySource  source)
{
  g_assert_cmpstr (stamp_candidate_get_host (candidate), ==, host);
  g_assert_cmpuint (stamp_candidate_get_port (candidate), ==, port);
  g_assert_cmpint (stamp_candidate_get_security (candidate), ==, security);
  g_assert_cmpint (stamp_candidate_get_source (candidate), ==, source);
  g_assert_nonnull (stamp_candidate_get_reason (candidate));
}

static void
test_known_domain (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  gint64 elapsed;

  /* Upper case and plus-addressing change nothing; no network is used. */
  candidates = discover_full (fixture, "Alice+Stamp@GMAIL.COM", 0, &elapsed, NULL);
  g_assert_nonnull (candidates);
  g_assert_cmpstr (stamp_candidate_get_host (first (candidates)), ==, "smtp.gmail.com");
  g_assert_cmpint (stamp_candidate_get_source (first (candidates)), ==,
                   STAMP_DISCOVERY_SOURCE_PROVIDER);
  g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==, "google");
  g_assert_nonnull (strstr (stamp_candidate_get_reason (first (candidates)), "gmail.com"));
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
  g_assert_cmpint (elapsed, <, stamp_test_bound (1));
}

static const struct
{
  const char *address;
  const char *provider_id;
  const char *host;
} tenant_domains[] = {
  { "it@contoso.onmicrosoft.com", "microsoft365", "smtp.office365.com" },
  { "it@x.onmicrosoft.us", "microsoft365-usgov", "smtp.office365.us" },
  { "it@contoso.partner.onmschina.cn", "microsoft365-china", "smtp.partner.outlook.cn" },
};

static void
test_tenant_domain (Fixture       *fixture,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (tenant_domains); i++)
    {
      g_autoptr(GPtrArray) candidates = discover (fixture, tenant_domains[i].address);

      /* Only Microsoft hands out these domains: no DNS, no HTTP. */
      assert_candidate (first (candidates), tenant_domains[i].host, 587, STAMP_SECURITY_STARTTLS,
                        STAMP_DISCOVERY_SOURCE_PROVIDER);
      g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==,
                       tenant_domains[i].provider_id);
    }

  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
  g_assert_cmpuint (fixture->n_requests, ==, 0);
}

static void
test_mx_microsoft (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  StampCandidate *candidate;

  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 10,
                              "contoso-test.mail.protection.outlook.com");
  candidates = discover (fixture, "alice@contoso.test");

  candidate = first (candidates);
  assert_candidate (candidate, "smtp.office365.com", 587, STAMP_SECURITY_STARTTLS,
                    STAMP_DISCOVERY_SOURCE_MX);
  g_assert_cmpstr (stamp_candidate_get_provider_id (candidate), ==, "microsoft365");
  g_assert_nonnull (strstr (stamp_candidate_get_reason (candidate), "Microsoft 365"));
  g_assert_nonnull (strstr (stamp_candidate_get_reason (candidate),
                            "contoso-test.mail.protection.outlook.com"));
  g_assert_true (g_strv_contains (stamp_candidate_get_auth_methods (candidate), "xoauth2"));
}

static void
test_mx_google_preference (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  /* The lower preference is asked first, whatever the order in DNS. */
  stamp_test_resolver_add_mx (fixture->resolver, "workspace.test", 20, "mx.unknown.test");
  stamp_test_resolver_add_mx (fixture->resolver, "workspace.test", 1, "aspmx.l.google.com");
  candidates = discover (fixture, "bob@workspace.test");

  g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==, "google");
  g_assert_cmpint (stamp_candidate_get_source (first (candidates)), ==,
                   STAMP_DISCOVERY_SOURCE_MX);
}

/* Where an autoconfig file may be found, and what it then says. */
typedef struct
{
  const char           *name;
  const char           *path;
  const char           *address;
  const char           *hostname;
  guint16               port;
  const char           *socket_type;
  const char           *expected_host;
  StampSecurity         security;
  StampDiscoverySource  source;
  const char           *origin;
} AutoconfigCase;

static const AutoconfigCase autoconfig_cases[] = {
  { "domain", "/autoconfig.example.test/mail/config-v1.1.xml", "carol@example.test",
    "smtp.%EMAILDOMAIN%", 465, "SSL", "smtp.example.test", STAMP_SECURITY_TLS,
    STAMP_DISCOVERY_SOURCE_AUTOCONFIG, "autoconfig.example.test" },
  { "well-known", "/example.test/.well-known/autoconfig/mail/config-v1.1.xml",
    "carol@example.test", "submit.example.test", 587, "STARTTLS", "submit.example.test",
    STAMP_SECURITY_STARTTLS, STAMP_DISCOVERY_SOURCE_AUTOCONFIG, "example.test" },
  { "ispdb", "/autoconfig.thunderbird.net/v1.1/isp.test", "dave@isp.test", "mail.isp.test",
    465, "SSL", "mail.isp.test", STAMP_SECURITY_TLS, STAMP_DISCOVERY_SOURCE_ISPDB, "isp.test" },
};

static void
test_autoconfig (Fixture       *fixture,
                 gconstpointer  data)
{
  const AutoconfigCase *test = data;
  g_autofree char *xml = autoconfig_xml (test->hostname, test->port, test->socket_type);
  g_autoptr(GPtrArray) candidates = NULL;

  serve (fixture, test->path, xml);
  candidates = discover (fixture, test->address);

  assert_candidate (first (candidates), test->expected_host, test->port, test->security,
                    test->source);
  g_assert_nonnull (strstr (stamp_candidate_get_reason (first (candidates)), test->origin));
}

/* A domain hosted by an ISP: its MX names the ISP, whose entry serves. The
 * ISP's domain comes from the public suffix list, whatever the labels'
 * lengths. */
static const struct
{
  const char *domain;
  const char *mx;
  const char *isp;
} ispdb_cases[] = {
  { "shop.test", "mx01.mail.hoster.test", "hoster.test" },
  { "shop.example", "mx1.isp.de", "isp.de" },
  { "store.example", "mx.mail.hoster.co.uk", "hoster.co.uk" },
};

static void
test_ispdb_for_mx (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (ispdb_cases); i++)
    {
      g_autofree char *host = g_strdup_printf ("smtp.%s", ispdb_cases[i].isp);
      g_autofree char *xml = autoconfig_xml (host, 587, "STARTTLS");
      g_autofree char *path = g_strdup_printf ("/autoconfig.thunderbird.net/v1.1/%s",
                                               ispdb_cases[i].isp);
      g_autofree char *address = g_strdup_printf ("erin@%s", ispdb_cases[i].domain);
      g_autoptr(GPtrArray) candidates = NULL;

      g_test_message ("MX %s", ispdb_cases[i].mx);
      stamp_test_resolver_add_mx (fixture->resolver, ispdb_cases[i].domain, 10,
                                  ispdb_cases[i].mx);
      serve (fixture, path, xml);
      candidates = discover (fixture, address);

      assert_candidate (first (candidates), host, 587, STAMP_SECURITY_STARTTLS,
                        STAMP_DISCOVERY_SOURCE_ISPDB);
    }
}

/* Tenant lookups go to the mock identity provider, which knows the
 * tenants of oauth-idp.py's TENANTS. */
static void
use_idp (Fixture *fixture)
{
  static const char * const no_args[] = { NULL };

  fixture->idp = stamp_test_idp_startv (no_args);
  stamp_discovery_set_tenant_lookup_url (fixture->discovery,
                                         stamp_test_idp_get_authority (fixture->idp));
}

static StampCandidate *
find_source (GPtrArray            *candidates,
             StampDiscoverySource  source)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      if (stamp_candidate_get_source (g_ptr_array_index (candidates, i)) == source)
        return g_ptr_array_index (candidates, i);
    }

  return NULL;
}

typedef struct
{
  const char *name;
  const char *domain;
  const char *provider_id;
  const char *host;
  const char *reason;
} TenantCase;

static const TenantCase tenant_cases[] = {
  { "worldwide", "contoso.test", "microsoft365", "smtp.office365.com",
    "contoso.test is a Microsoft 365 tenant (worldwide)" },
  { "gcc", "gcc.test", "microsoft365", "smtp.office365.com",
    "gcc.test is a Microsoft 365 tenant (US Government GCC, on the worldwide cloud)" },
  { "gcc-high", "gcchigh.test", "microsoft365-usgov", "smtp.office365.us",
    "gcchigh.test is a Microsoft 365 tenant (US Government cloud)" },
  { "dod", "dod.test", "microsoft365-usgov", "smtp.office365.us",
    "dod.test is a Microsoft 365 tenant (US Government DoD cloud)" },
  { "china", "china.test", "microsoft365-china", "smtp.partner.outlook.cn",
    "china.test is a Microsoft 365 tenant (China, operated by 21Vianet)" },
};

static void
test_tenant (Fixture       *fixture,
             gconstpointer  data)
{
  const TenantCase *test = data;
  g_autofree char *address = g_strdup_printf ("it@%s", test->domain);
  g_autoptr(GPtrArray) candidates = NULL;
  StampCandidate *candidate;

  /* The MX names a mail filter, which says nothing of the mailbox. */
  use_idp (fixture);
  stamp_test_resolver_add_mx (fixture->resolver, test->domain, 10,
                              "eu-smtp-inbound-1.filter.test");
  candidates = discover (fixture, address);

  candidate = first (candidates);
  assert_candidate (candidate, test->host, 587, STAMP_SECURITY_STARTTLS,
                    STAMP_DISCOVERY_SOURCE_TENANT);
  g_assert_cmpstr (stamp_candidate_get_provider_id (candidate), ==, test->provider_id);
  g_assert_cmpstr (stamp_candidate_get_reason (candidate), ==, test->reason);
  g_assert_nonnull (stamp_candidate_get_auth_methods (candidate));
  g_assert_cmpstr (stamp_candidate_get_auth_methods (candidate)[0], ==, "xoauth2");
}

static void
test_tenant_not_found (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* Microsoft answers 400 (AADSTS90002): no tenant, nothing offered. */
  use_idp (fixture);
  candidates = discover (fixture, "it@fabrikam.test");

  g_assert_null (find_source (candidates, STAMP_DISCOVERY_SOURCE_TENANT));
  events = stamp_test_idp_get_events (fixture->idp, "openid-configuration");
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (events->pdata[0], "tenant"), ==,
                   "fabrikam.test");
  g_assert_false (json_object_get_boolean_member (events->pdata[0], "found"));
}

static void
test_tenant_mx_wins (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  /* A domain verified in a tenant whose mail goes to Google: MX decides. */
  use_idp (fixture);
  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 1, "aspmx.l.google.com");
  candidates = discover (fixture, "it@contoso.test");

  g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==, "google");
}

static void
test_tenant_deadline (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  /* The sign-in service never answers; its source gives up in time. */
  use_idp (fixture);
  stamp_discovery_set_timeouts (fixture->discovery, 800, 5000);
  candidates = discover_full (fixture, "it@hang.test", 0, &elapsed, &error);

  g_assert_no_error (error);
  g_assert_null (find_source (candidates, STAMP_DISCOVERY_SOURCE_TENANT));
  g_assert_cmpint (elapsed, <, stamp_test_bound (2.5));
}

static void
test_tenant_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  use_idp (fixture);
  stamp_discovery_set_timeouts (fixture->discovery, 8000, 9000);
  candidates = discover_full (fixture, "it@hang.test", 200, &elapsed, &error);

  g_assert_null (candidates);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, stamp_test_bound (2));
}

static void
test_srv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  stamp_test_resolver_add_srv (fixture->resolver, "_submission._tcp.srv.test", 0, 587,
                               "mail.srv.test");
  stamp_test_resolver_add_srv (fixture->resolver, "_submissions._tcp.srv.test", 0, 465,
                               "mail.srv.test");
  /* Let both answer before the run ends. */
  stamp_discovery_set_timeouts (fixture->discovery, 1500, 3000);
  candidates = discover (fixture, "frank@srv.test");

  /* RFC 8314: implicit TLS first. */
  assert_candidate (first (candidates), "mail.srv.test", 465, STAMP_SECURITY_TLS,
                    STAMP_DISCOVERY_SOURCE_SRV);
}

static void
test_srv_none (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  /* "." says: no such service here. */
  stamp_test_resolver_add_srv (fixture->resolver, "_submissions._tcp.nosrv.test", 0, 0, ".");
  candidates = discover (fixture, "gina@nosrv.test");
  g_assert_cmpuint (candidates->len, ==, 0);
}

static void
test_probe (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", "h@probe.test", "--password", "x", NULL);
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autoptr(GPtrArray) candidates = NULL;
  StampCandidate *candidate;
  const char * const *auth;
  guint16 port = stamp_test_server_get_port (server);

  /* Only smtp.probe.test exists (its certificate names it). Both probe
   * "ports" lead to the STARTTLS server: the implicit-TLS probe must fail
   * there, the STARTTLS one succeed. */
  stamp_test_resolver_add_address (fixture->resolver, "smtp.probe.test", "127.0.0.1");
  /* A TLS handshake on a loaded machine under ASan can take a while; the
   * other sources fail at once, so the run still ends with the probes. */
  stamp_discovery_set_timeouts (fixture->discovery, 8000, 9000);
  stamp_discovery_set_ca_file (fixture->discovery, ca);
  stamp_discovery_set_probe_ports (fixture->discovery, port, port);
  candidates = discover (fixture, "h@probe.test");

  g_assert_cmpuint (candidates->len, ==, 1);
  candidate = first (candidates);
  assert_candidate (candidate, "smtp.probe.test", port, STAMP_SECURITY_STARTTLS,
                    STAMP_DISCOVERY_SOURCE_PROBE);
  auth = stamp_candidate_get_auth_methods (candidate);
  g_assert_nonnull (auth);
  g_assert_true (g_strv_contains (auth, "plain"));
  g_assert_true (g_strv_contains (auth, "xoauth2"));
  g_assert_nonnull (strstr (stamp_candidate_get_reason (candidate), "STARTTLS"));
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "mail.probe.test"));
}

static void
test_conflicts_ranked (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *xml = autoconfig_xml ("auto.rank.test", 587, "STARTTLS");
  g_autoptr(GPtrArray) candidates = NULL;

  /* SRV and autoconfig disagree; the domain's autoconfig file wins, and the
   * SRV answer is still listed below it. */
  stamp_test_resolver_add_srv (fixture->resolver, "_submissions._tcp.rank.test", 0, 465,
                               "srv.rank.test");
  serve (fixture, "/autoconfig.rank.test/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/rank.test/.well-known/autoconfig/mail/config-v1.1.xml", xml);
  candidates = discover (fixture, "ivan@rank.test");

  g_assert_cmpuint (candidates->len, >=, 1);
  for (guint i = 1; i < candidates->len; i++)
    g_assert_cmpint (stamp_candidate_get_score (g_ptr_array_index (candidates, i - 1)), >=,
                     stamp_candidate_get_score (g_ptr_array_index (candidates, i)));
  for (guint i = 0; i < candidates->len; i++)
    {
      StampCandidate *candidate = g_ptr_array_index (candidates, i);

      if (stamp_candidate_get_source (candidate) == STAMP_DISCOVERY_SOURCE_AUTOCONFIG)
        g_assert_cmpuint (i, ==, 0);
    }
}

static void
test_bad_autoconfig_ignored (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GString) huge = g_string_new ("<clientConfig><!--");
  g_autoptr(GPtrArray) candidates = NULL;

  while (huge->len < 100 * 1024)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "--></clientConfig>");

  /* A broken file and an oversized one are passed over; SRV still answers. */
  serve (fixture, "/autoconfig.broken.test/mail/config-v1.1.xml", "<clientConfig><oops>");
  serve (fixture, "/broken.test/.well-known/autoconfig/mail/config-v1.1.xml", huge->str);
  stamp_test_resolver_add_srv (fixture->resolver, "_submission._tcp.broken.test", 0, 587,
                               "smtp.broken.test");
  candidates = discover (fixture, "judy@broken.test");

  assert_candidate (first (candidates), "smtp.broken.test", 587, STAMP_SECURITY_STARTTLS,
                    STAMP_DISCOVERY_SOURCE_SRV);
}

static void
test_everything_times_out (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  serve (fixture, "/autoconfig.slow.test/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/slow.test/.well-known/autoconfig/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/autoconfig.thunderbird.net/v1.1/slow.test", "HANG");
  stamp_discovery_set_timeouts (fixture->discovery, 800, 2000);

  candidates = discover_full (fixture, "kim@slow.test", 0, &elapsed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 0);
  /* Every source gave up by the total deadline (2 s), with room for a
   * loaded machine. */
  g_assert_cmpint (elapsed, <, stamp_test_bound (4));
}

/* The overall deadline holds even when it is shorter than each source's
 * own: every source hangs, and the run ends at the total, not at the
 * sources' 20 s. */
static void
test_overall_deadline_first (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  serve (fixture, "/autoconfig.stuck.test/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/stuck.test/.well-known/autoconfig/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/autoconfig.thunderbird.net/v1.1/stuck.test", "HANG");
  serve (fixture, "/login.microsoftonline.com/stuck.test/v2.0/.well-known/openid-configuration",
         "HANG");
  stamp_discovery_set_timeouts (fixture->discovery, 20000, 1000);

  candidates = discover_full (fixture, "ann@stuck.test", 0, &elapsed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 0);
  g_assert_cmpint (elapsed, >=, 9 * G_USEC_PER_SEC / 10);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC + stamp_test_bound (2));
}

static void
test_slow_dns (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *xml = autoconfig_xml ("smtp.quick.test", 587, "STARTTLS");
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  /* DNS never answers, the autoconfig file does: no waiting for DNS. */
  stamp_discovery_set_timeouts (fixture->discovery, 5000, 9000);
  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  serve (fixture, "/autoconfig.quick.test/mail/config-v1.1.xml", xml);
  candidates = discover_full (fixture, "olga@quick.test", 0, &elapsed, &error);

  g_assert_no_error (error);
  assert_candidate (first (candidates), "smtp.quick.test", 587, STAMP_SECURITY_STARTTLS,
                    STAMP_DISCOVERY_SOURCE_AUTOCONFIG);
  g_assert_cmpint (elapsed, <, stamp_test_bound (2.5));
}

static void
test_slow_http (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  /* Every web server hangs, MX answers: no waiting for HTTP. */
  stamp_discovery_set_timeouts (fixture->discovery, 5000, 9000);
  serve (fixture, "/autoconfig.hang.test/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/hang.test/.well-known/autoconfig/mail/config-v1.1.xml", "HANG");
  serve (fixture, "/autoconfig.thunderbird.net/v1.1/hang.test", "HANG");
  stamp_test_resolver_add_mx (fixture->resolver, "hang.test", 0,
                              "hang-test.mail.protection.outlook.com");
  candidates = discover_full (fixture, "paul@hang.test", 0, &elapsed, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==, "microsoft365");
  g_assert_cmpint (elapsed, <, stamp_test_bound (2.5));
}

static void
test_default_deadline (void)
{
  g_autoptr(StampTestResolver) resolver = stamp_test_resolver_install ();
  g_autoptr(StampDiscovery) discovery = stamp_discovery_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunResult run = { loop, NULL, NULL };
  gint64 start = g_get_monotonic_time ();

  /* With the shipped deadlines, a run where nothing ever answers (no DNS,
   * no HTTP server at all) ends in under ten seconds. */
  stamp_test_resolver_set_hang (resolver, TRUE);
  stamp_discovery_set_http_base (discovery, "http://127.0.0.1:1");
  stamp_discovery_run_async (discovery, "lee@nothing.test", NULL, run_cb, &run);
  g_main_loop_run (loop);

  g_assert_no_error (run.error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, stamp_test_bound (10));
  g_ptr_array_unref (run.candidates);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 elapsed;

  stamp_test_resolver_set_hang (fixture->resolver, TRUE);
  stamp_discovery_set_timeouts (fixture->discovery, 8000, 9000);
  candidates = discover_full (fixture, "mia@slow.test", 200, &elapsed, &error);
  g_assert_null (candidates);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Cancelled at 0.2 s; the sources alone would run for 8 s. */
  g_assert_cmpint (elapsed, <, stamp_test_bound (2));
}

static void
test_idn (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  stamp_test_resolver_add_mx (fixture->resolver, "xn--bcher-kva.test", 10,
                              "xn--bcher-kva-test.mail.protection.outlook.com");
  candidates = discover (fixture, "nora@BÜCHER.test");

  g_assert_cmpstr (stamp_candidate_get_provider_id (first (candidates)), ==, "microsoft365");
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "xn--bcher-kva.test"));
}

typedef struct
{
  const char *name;
  const char *address;
} BadAddress;

static const BadAddress bad_addresses[] = {
  { "empty", "" },
  { "no-at", "alice.example.com" },
  { "two-at", "a@b@example.com" },
  { "no-domain", "alice@" },
  { "space", "alice smith@example.com" },
  { "no-dot", "alice@localhost" },
  { "bad-domain", "alice@exa..mple.com" },
};

static void
test_invalid_address (Fixture       *fixture,
                      gconstpointer  data)
{
  const BadAddress *test = data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;

  candidates = discover_full (fixture, test->address, 0, NULL, &error);
  g_assert_null (candidates);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/stamp/discovery/provider/known-domain", test_known_domain);
  ADD ("/stamp/discovery/provider/tenant-domain", test_tenant_domain);
  ADD ("/stamp/discovery/mx/microsoft", test_mx_microsoft);
  ADD ("/stamp/discovery/mx/preference", test_mx_google_preference);
  for (guint i = 0; i < G_N_ELEMENTS (autoconfig_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/discovery/autoconfig/%s",
                                               autoconfig_cases[i].name);

      g_test_add (path, Fixture, &autoconfig_cases[i], fixture_set_up, test_autoconfig,
                  fixture_tear_down);
    }
  ADD ("/stamp/discovery/autoconfig/ispdb-for-mx", test_ispdb_for_mx);
  ADD ("/stamp/discovery/autoconfig/bad-ignored", test_bad_autoconfig_ignored);
  for (guint i = 0; i < G_N_ELEMENTS (tenant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/discovery/tenant/%s",
                                               tenant_cases[i].name);

      g_test_add (path, Fixture, &tenant_cases[i], fixture_set_up, test_tenant,
                  fixture_tear_down);
    }
  ADD ("/stamp/discovery/tenant/not-found", test_tenant_not_found);
  ADD ("/stamp/discovery/tenant/mx-wins", test_tenant_mx_wins);
  ADD ("/stamp/discovery/tenant/deadline", test_tenant_deadline);
  ADD ("/stamp/discovery/tenant/cancel", test_tenant_cancel);
  ADD ("/stamp/discovery/srv/order", test_srv);
  ADD ("/stamp/discovery/srv/none", test_srv_none);
  ADD ("/stamp/discovery/probe", test_probe);
  ADD ("/stamp/discovery/ranking", test_conflicts_ranked);
  ADD ("/stamp/discovery/deadline/sources", test_everything_times_out);
  ADD ("/stamp/discovery/deadline/overall-first", test_overall_deadline_first);
  ADD ("/stamp/discovery/deadline/slow-dns", test_slow_dns);
  ADD ("/stamp/discovery/deadline/slow-http", test_slow_http);
  g_test_add_func ("/stamp/discovery/deadline/default", test_default_deadline);
  ADD ("/stamp/discovery/cancel", test_cancel);
  ADD ("/stamp/discovery/idn", test_idn);
  for (guint i = 0; i < G_N_ELEMENTS (bad_addresses); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/discovery/invalid/%s",
                                               bad_addresses[i].name);

      g_test_add (path, Fixture, &bad_addresses[i], fixture_set_up, test_invalid_address,
                  fixture_tear_down);
    }

  return g_test_run ();
}

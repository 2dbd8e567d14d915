/* test-provider-db.c
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

#define G_LOG_DOMAIN "test-provider-db"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-provider-db.h"
#include "stamp-types.h"

/* The JSON in this file is written with single quotes, which parse_db()
 * turns into double quotes, so the cases stay readable. */

#define DB(providers) "{'format':1,'providers':[" providers "]}"

#define P_NAME "'name':'Example'"
#define P_SUB  "'submission':[{'host':'smtp.example.com','port':587,'security':'starttls'}]"
#define P_AUTH "'auth':['plain']"
#define P_OK   P_NAME "," P_SUB "," P_AUTH

#define P_OAUTH(authorize, extra) \
  "'auth':['xoauth2'],'oauth':{'authorize':'" authorize "'," \
  "'token':'https://login.example.com/token'," extra "'scopes':['mail'],'registration':'microsoft'}"

#define PREFIX "Provider “example”, member "

static StampProviderDb *
parse_db (const char  *single_quoted,
          GError     **error)
{
  g_autofree char *json = g_strdelimit (g_strdup (single_quoted), "'", '"');

  return stamp_provider_db_new_from_data (json, -1, error);
}

static const char * const required_ids[] = {
  "microsoft365", "outlook", "microsoft365-usgov", "microsoft365-china", "google", "yahoo",
  "icloud", "aol",
  "zoho", "fastmail", "gmx", "mailcom", "yandex", "proton",
};

static void
test_builtin_loads (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  GListModel *model = G_LIST_MODEL (db);
  guint n_items;

  g_assert_true (STAMP_IS_PROVIDER_DB (db));
  g_assert_true (stamp_provider_db_get_default () == db);
  g_assert_true (g_list_model_get_item_type (model) == STAMP_TYPE_PROVIDER);

  n_items = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_items, >=, G_N_ELEMENTS (required_ids));
  g_assert_null (g_list_model_get_item (model, n_items));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(StampProvider) provider = g_list_model_get_item (model, i);
      const StampProviderOAuth *oauth = stamp_provider_get_oauth (provider);
      const char * const *notes = stamp_provider_get_notes (provider);
      const char *id = stamp_provider_get_id (provider);
      g_autofree char *name_property = NULL;
      guint n_endpoints;

      g_test_message ("provider: %s", id);

      g_assert_true (stamp_provider_db_lookup_id (db, id) == provider);
      g_assert_nonnull (stamp_provider_get_name (provider));
      g_assert_cmpstr (stamp_provider_get_name (provider), !=, "");
      g_object_get (provider, "name", &name_property, NULL);
      g_assert_cmpstr (name_property, ==, stamp_provider_get_name (provider));

      n_endpoints = stamp_provider_get_n_endpoints (provider);
      g_assert_cmpuint (n_endpoints, >=, 1);
      g_assert_null (stamp_provider_get_endpoint (provider, n_endpoints));

      for (guint j = 0; j < n_endpoints; j++)
        {
          const StampEndpoint *endpoint = stamp_provider_get_endpoint (provider, j);

          g_assert_nonnull (endpoint->host);
          g_assert_cmpstr (endpoint->host, !=, "");
          g_assert_cmpuint (endpoint->port, >, 0);
          g_assert_cmpint (endpoint->security, <=, STAMP_SECURITY_NONE);
          /* Stamp never offers a plaintext endpoint of its own accord. */
          g_assert_cmpint (endpoint->security, !=, STAMP_SECURITY_NONE);
        }

      if (oauth != NULL)
        {
          g_assert_true (g_str_has_prefix (oauth->authorize_url, "https://"));
          g_assert_true (g_str_has_prefix (oauth->token_url, "https://"));
          if (oauth->device_url != NULL)
            g_assert_true (g_str_has_prefix (oauth->device_url, "https://"));
          g_assert_nonnull (oauth->scopes);
          g_assert_nonnull (oauth->scopes[0]);
          g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_XOAUTH2)
                         || stamp_provider_supports_auth (provider, STAMP_AUTH_OAUTHBEARER));
        }

      if (stamp_provider_needs_app_password (provider))
        g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_PLAIN)
                       || stamp_provider_supports_auth (provider, STAMP_AUTH_LOGIN));

      g_assert_nonnull (notes);
      for (guint j = 0; notes[j] != NULL; j++)
        g_assert_cmpstr (notes[j], !=, "");
    }
}

static void
test_builtin_ids (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (required_ids); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_id (db, required_ids[i]);

      g_test_message ("id: %s", required_ids[i]);
      g_assert_nonnull (provider);
      g_assert_cmpstr (stamp_provider_get_id (provider), ==, required_ids[i]);
    }

  g_assert_null (stamp_provider_db_lookup_id (db, "no-such-provider"));
}

static void
test_builtin_unique_domains (void)
{
  GListModel *model = G_LIST_MODEL (stamp_provider_db_get_default ());
  g_autoptr(GHashTable) owners = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(StampProvider) provider = g_list_model_get_item (model, i);
      const char * const *domains = stamp_provider_get_domains (provider);

      for (guint j = 0; domains[j] != NULL; j++)
        {
          const char *owner = g_hash_table_lookup (owners, domains[j]);

          if (owner != NULL)
            g_error ("%s belongs to both %s and %s", domains[j], owner,
                     stamp_provider_get_id (provider));

          g_hash_table_insert (owners, (gpointer) domains[j],
                               (gpointer) stamp_provider_get_id (provider));
        }
    }

  g_assert_cmpuint (g_hash_table_size (owners), >, 0);
}

/* The resource is compiled into a static library; a linker that dropped it
 * would leave the global lookup empty. */
static void
test_builtin_resource (void)
{
  g_autoptr(StampProviderDb) db = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  stamp_provider_db_get_default ();

  bytes = g_resources_lookup_data ("/io/github/stampmail/Stamp/core/providers.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  db = stamp_provider_db_new_from_data (g_bytes_get_data (bytes, NULL),
                                        g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (db)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (stamp_provider_db_get_default ())));
}

static gpointer
get_default_thread_cb (gpointer data)
{
  return stamp_provider_db_get_default ();
}

/* The first call races in several threads at once; each must get the one
 * database. A subprocess, so that this really is the first call. */
static void
test_builtin_threads (void)
{
  if (g_test_subprocess ())
    {
      GThread *threads[8];
      gpointer first = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("get-default", get_default_thread_cb, NULL);

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          gpointer db = g_thread_join (threads[i]);

          g_assert_nonnull (db);
          if (first == NULL)
            first = db;
          g_assert_true (db == first);
        }

      g_assert_true (stamp_provider_db_get_default () == first);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

typedef struct
{
  const char *query;
  const char *expected_id;
} LookupCase;

static const LookupCase domain_cases[] = {
  { "outlook.com", "outlook" },
  { "HOTMAIL.COM", "outlook" },
  { "hotmail.co.uk", "outlook" },
  { "live.com", "outlook" },
  { "msn.com", "outlook" },
  { "gmail.com", "google" },
  { "googlemail.com", "google" },
  { "GMail.com.", "google" },
  { "yahoo.com", "yahoo" },
  { "ymail.com", "yahoo" },
  { "aol.com", "aol" },
  { "icloud.com", "icloud" },
  { "me.com", "icloud" },
  { "mac.com", "icloud" },
  { "zoho.com", "zoho" },
  { "fastmail.com", "fastmail" },
  { "gmx.de", "gmx" },
  { "gmx.net", "gmx" },
  { "gmx.com", "gmx-com" },
  { "mail.com", "mailcom" },
  { "yandex.ru", "yandex" },
  { "proton.me", "proton" },
  { "protonmail.com", "proton" },
  { "pm.me", "proton" },
  /* Microsoft hands out the domains below its suffixes, one per tenant, in
   * each cloud; the suffix itself is no one's mail domain. */
  { "contoso.onmicrosoft.com", "microsoft365" },
  { "Contoso.OnMicrosoft.com.", "microsoft365" },
  { "mail.contoso.onmicrosoft.com", "microsoft365" },
  { "contoso.onmicrosoft.us", "microsoft365-usgov" },
  { "contoso.partner.onmschina.cn", "microsoft365-china" },
  { "onmicrosoft.com", NULL },
  { "onmicrosoft.us", NULL },
  { "partner.onmschina.cn", NULL },
  { "onmschina.cn", NULL },
  { "contoso.onmicrosoft.com.example.org", NULL },
  { "notonmicrosoft.com", NULL },
  /* Exact matches only. */
  { "mail.gmail.com", NULL },
  { "gmail.com.example.org", NULL },
  { "example.org", NULL },
  { "", NULL },
};

static void
test_lookup_domain (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (domain_cases); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_domain (db, domain_cases[i].query);

      g_test_message ("domain: \"%s\"", domain_cases[i].query);
      g_assert_cmpstr (provider ? stamp_provider_get_id (provider) : NULL, ==,
                       domain_cases[i].expected_id);
    }
}

static const LookupCase mx_cases[] = {
  { "contoso-com.mail.protection.outlook.com", "microsoft365" },
  { "CONTOSO-COM.MAIL.PROTECTION.OUTLOOK.COM.", "microsoft365" },
  { "contoso.mail.protection.outlook.com", "microsoft365" },
  { "contoso-com.a1b2.mx.microsoft", "microsoft365" },
  { "contoso-com.mail.protection.office365.us", "microsoft365-usgov" },
  { "eur.olc.protection.outlook.com", "outlook" },
  { "aspmx.l.google.com", "google" },
  { "alt1.aspmx.l.google.com.", "google" },
  { "smtp.google.com", "google" },
  { "aspmx2.googlemail.com", "google" },
  { "mta5.am0.yahoodns.net", "yahoo" },
  { "mx-aol.mail.gm0.yahoodns.net", "aol" },
  { "mail.protonmail.ch", "proton" },
  { "mailsec.protonmail.ch.", "proton" },
  { "mx.example.org", NULL },
  { "mail.protection.outlook.com", NULL },
  { "google.com", NULL },
  { "evil-google.com", NULL },
  { "aspmx.l.google.com.example.org", NULL },
  { "", NULL },
  { ".", NULL },
};

static void
test_lookup_mx (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (mx_cases); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_mx (db, mx_cases[i].query);

      g_test_message ("MX: \"%s\"", mx_cases[i].query);
      g_assert_cmpstr (provider ? stamp_provider_get_id (provider) : NULL, ==,
                       mx_cases[i].expected_id);
    }
}

static void
assert_endpoint (StampProvider *provider,
                 guint          position,
                 const char    *host,
                 guint16        port,
                 StampSecurity  security)
{
  const StampEndpoint *endpoint = stamp_provider_get_endpoint (provider, position);

  g_assert_nonnull (endpoint);
  g_assert_cmpstr (endpoint->host, ==, host);
  g_assert_cmpuint (endpoint->port, ==, port);
  g_assert_cmpint (endpoint->security, ==, security);
}

/* protocols.md §1.1, §1.2 and §5.1. */
static void
test_microsoft365 (void)
{
  StampProvider *provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                         "microsoft365");
  const StampProviderOAuth *oauth;

  g_assert_nonnull (provider);
  g_assert_cmpuint (stamp_provider_get_n_endpoints (provider), ==, 1);
  assert_endpoint (provider, 0, "smtp.office365.com", 587, STAMP_SECURITY_STARTTLS);

  g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_XOAUTH2));
  g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_LOGIN));
  g_assert_false (stamp_provider_supports_auth (provider, STAMP_AUTH_PLAIN));
  g_assert_false (stamp_provider_supports_auth (provider, STAMP_AUTH_OAUTHBEARER));
  g_assert_false (stamp_provider_supports_auth (provider, STAMP_AUTH_AUTO));
  g_assert_false (stamp_provider_supports_auth (provider, STAMP_AUTH_NONE));
  g_assert_false (stamp_provider_needs_app_password (provider));

  oauth = stamp_provider_get_oauth (provider);
  g_assert_nonnull (oauth);
  g_assert_cmpstr (oauth->authorize_url, ==,
                   "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize");
  g_assert_cmpstr (oauth->token_url, ==,
                   "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token");
  g_assert_cmpstr (oauth->device_url, ==,
                   "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode");
  g_assert_cmpstr (oauth->tenant, ==, "organizations");
  g_assert_cmpstr (oauth->registration, ==, "microsoft");
  g_assert_cmpuint (g_strv_length (oauth->scopes), ==, 2);
  g_assert_cmpstr (oauth->scopes[0], ==, "https://outlook.office.com/SMTP.Send");
  g_assert_cmpstr (oauth->scopes[1], ==, "offline_access");

  /* protocols.md §5.3 */
  g_assert_cmpint (stamp_provider_get_limit (provider, "messages_per_minute"), ==, 30);
  g_assert_cmpint (stamp_provider_get_limit (provider, "recipients_per_day"), ==, 10000);
  g_assert_cmpint (stamp_provider_get_limit (provider, "recipients_per_message"), ==, 500);

  g_assert_true (stamp_provider_matches_mx (provider, "contoso-com.mail.protection.outlook.com"));
  g_assert_false (stamp_provider_matches_mx (provider, "eur.olc.protection.outlook.com"));
}

/* Each Microsoft cloud has its own submission host and sign-in authority,
 * and owns the domains below its suffix (protocols.md, national clouds). */
static const struct
{
  const char *id;
  const char *domain;
  const char *host;
  const char *authority;
  const char *registration;
} microsoft_clouds[] = {
  { "microsoft365", "contoso.onmicrosoft.com", "smtp.office365.com",
    "https://login.microsoftonline.com/", "microsoft" },
  { "microsoft365-usgov", "contoso.onmicrosoft.us", "smtp.office365.us",
    "https://login.microsoftonline.us/", "microsoft-usgov" },
  { "microsoft365-china", "contoso.partner.onmschina.cn", "smtp.partner.outlook.cn",
    "https://login.partner.microsoftonline.cn/", "microsoft-china" },
};

static void
test_microsoft_clouds (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (microsoft_clouds); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_domain (db, microsoft_clouds[i].domain);
      const StampProviderOAuth *oauth;

      g_test_message ("cloud: %s", microsoft_clouds[i].id);
      g_assert_nonnull (provider);
      g_assert_cmpstr (stamp_provider_get_id (provider), ==, microsoft_clouds[i].id);
      assert_endpoint (provider, 0, microsoft_clouds[i].host, 587, STAMP_SECURITY_STARTTLS);

      oauth = stamp_provider_get_oauth (provider);
      g_assert_true (g_str_has_prefix (oauth->authorize_url, microsoft_clouds[i].authority));
      g_assert_true (g_str_has_prefix (oauth->token_url, microsoft_clouds[i].authority));
      g_assert_cmpstr (oauth->registration, ==, microsoft_clouds[i].registration);
    }
}

static void
test_outlook (void)
{
  StampProvider *provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                         "outlook");
  const StampProviderOAuth *oauth;

  g_assert_nonnull (provider);
  assert_endpoint (provider, 0, "smtp-mail.outlook.com", 587, STAMP_SECURITY_STARTTLS);
  g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_XOAUTH2));

  oauth = stamp_provider_get_oauth (provider);
  g_assert_nonnull (oauth);
  g_assert_cmpstr (oauth->tenant, ==, "consumers");
  g_assert_cmpstr (oauth->scopes[0], ==, "https://outlook.office.com/SMTP.Send");
}

static void
test_google (void)
{
  StampProvider *provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                         "google");
  const StampProviderOAuth *oauth;

  g_assert_nonnull (provider);
  assert_endpoint (provider, 0, "smtp.gmail.com", 465, STAMP_SECURITY_TLS);
  assert_endpoint (provider, 1, "smtp.gmail.com", 587, STAMP_SECURITY_STARTTLS);
  g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_OAUTHBEARER));
  g_assert_true (stamp_provider_supports_auth (provider, STAMP_AUTH_XOAUTH2));
  g_assert_true (stamp_provider_needs_app_password (provider));

  /* protocols.md §3: no device flow for Gmail scopes. */
  oauth = stamp_provider_get_oauth (provider);
  g_assert_nonnull (oauth);
  g_assert_null (oauth->device_url);
  g_assert_null (oauth->tenant);
  g_assert_cmpstr (oauth->scopes[0], ==, "https://mail.google.com/");
}

static void
test_proton (void)
{
  StampProvider *provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                         "proton");

  g_assert_nonnull (provider);
  assert_endpoint (provider, 0, "127.0.0.1", 1025, STAMP_SECURITY_STARTTLS);
  assert_endpoint (provider, 1, "smtp.protonmail.ch", 587, STAMP_SECURITY_STARTTLS);
  g_assert_null (stamp_provider_get_oauth (provider));
  g_assert_true (stamp_provider_needs_app_password (provider));
}

static void
test_limits (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  StampProvider *microsoft = stamp_provider_db_lookup_id (db, "microsoft365");
  StampProvider *icloud = stamp_provider_db_lookup_id (db, "icloud");
  StampProvider *yahoo = stamp_provider_db_lookup_id (db, "yahoo");

  /* Documented nowhere we could check, so unknown rather than guessed. */
  g_assert_cmpint (stamp_provider_get_limit (microsoft, "max_message_bytes"), ==, -1);
  g_assert_cmpint (stamp_provider_get_limit (yahoo, "recipients_per_day"), ==, -1);
  g_assert_cmpint (stamp_provider_get_limit (yahoo, "messages_per_minute"), ==, -1);

  /* Not a limit at all. */
  g_assert_cmpint (stamp_provider_get_limit (microsoft, "coffee_per_day"), ==, -1);
  g_assert_cmpint (stamp_provider_get_limit (microsoft, ""), ==, -1);

  g_assert_cmpint (stamp_provider_get_limit (icloud, "recipients_per_message"), ==, 500);
  g_assert_cmpint (stamp_provider_get_limit (icloud, "max_message_bytes"), ==, 20000000);
}

/* A small database of our own: normalisation and the list model. */
static void
test_custom_db (void)
{
  g_autoptr(StampProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;
  StampProvider *provider;
  const char * const *domains;

  db = parse_db (DB ("{'id':'example'," P_OK ",'domains':['Example.COM','bücher.example'],"
                     "'mx_patterns':['MX?.Example.NET'],"
                     "'limits':{'messages_per_minute':null,'recipients_per_day':7},"
                     "'notes':['A note.']},"
                     "{'id':'other','name':'Other','submission':"
                     "[{'host':'::1','port':465,'security':'tls'},"
                     "{'host':'smtp.other.example','port':25,'security':'none'}],"
                     "'auth':['login','app-password']}"),
                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (db)), ==, 2);

  provider = stamp_provider_db_lookup_id (db, "example");
  domains = stamp_provider_get_domains (provider);
  g_assert_cmpstr (domains[0], ==, "example.com");
  g_assert_cmpstr (domains[1], ==, "xn--bcher-kva.example");
  g_assert_null (domains[2]);
  g_assert_cmpstr (stamp_provider_get_mx_patterns (provider)[0], ==, "mx?.example.net");

  g_assert_true (stamp_provider_db_lookup_domain (db, "example.com") == provider);
  g_assert_true (stamp_provider_db_lookup_domain (db, "BÜCHER.example") == provider);
  g_assert_true (stamp_provider_db_lookup_domain (db, "xn--bcher-kva.example") == provider);
  g_assert_null (stamp_provider_db_lookup_domain (db, "sub.example.com"));
  g_assert_null (stamp_provider_get_domain_suffixes (provider)[0]);

  g_assert_true (stamp_provider_db_lookup_mx (db, "mx1.example.net") == provider);
  g_assert_true (stamp_provider_db_lookup_mx (db, "MX2.EXAMPLE.NET.") == provider);
  g_assert_null (stamp_provider_db_lookup_mx (db, "mx10.example.net"));

  g_assert_cmpint (stamp_provider_get_limit (provider, "messages_per_minute"), ==, -1);
  g_assert_cmpint (stamp_provider_get_limit (provider, "recipients_per_day"), ==, 7);
  g_assert_cmpstr (stamp_provider_get_notes (provider)[0], ==, "A note.");
  g_assert_false (stamp_provider_needs_app_password (provider));

  provider = stamp_provider_db_lookup_id (db, "other");
  g_assert_cmpuint (stamp_provider_get_n_endpoints (provider), ==, 2);
  assert_endpoint (provider, 0, "::1", 465, STAMP_SECURITY_TLS);
  assert_endpoint (provider, 1, "smtp.other.example", 25, STAMP_SECURITY_NONE);
  g_assert_null (stamp_provider_get_domains (provider)[0]);
  g_assert_null (stamp_provider_get_mx_patterns (provider)[0]);
  g_assert_null (stamp_provider_get_notes (provider)[0]);
  g_assert_null (stamp_provider_get_oauth (provider));
  g_assert_true (stamp_provider_needs_app_password (provider));
  g_assert_cmpint (stamp_provider_get_limit (provider, "recipients_per_day"), ==, -1);
  g_assert_false (stamp_provider_matches_mx (provider, "mx1.example.net"));

  g_assert_finalize_object (g_steal_pointer (&db));
}

typedef struct
{
  const char *name;
  const char *json;
  const char *message;  /* must appear in the error */
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  { "not JSON", "{", "not valid JSON" },
  { "empty", "", "JSON object" },
  { "not an object", "[]", "JSON object" },
  { "no format", "{'providers':[]}", "“format”" },
  { "future format", "{'format':2,'providers':[]}", "“format”" },
  { "format as a string", "{'format':'1','providers':[]}", "“format”" },
  { "no providers", "{'format':1}", "“providers”" },
  { "providers not an array", "{'format':1,'providers':{}}", "“providers”" },
  { "unknown top-level member", "{'format':1,'providers':[],'extra':1}", "“extra”" },
  { "provider not an object", DB ("1"), "providers[0]" },
  { "no id", DB ("{" P_OK "}"), "Provider without an id, member “id”" },
  { "id not a string", DB ("{'id':3," P_OK "}"), "member “id”" },
  { "id with capitals", DB ("{'id':'Example'," P_OK "}"), "Provider “Example”, member “id”" },
  { "unknown member", DB ("{'id':'example'," P_OK ",'colour':'red'}"), PREFIX "“colour”" },
  { "no name", DB ("{'id':'example'," P_SUB "," P_AUTH "}"), PREFIX "“name”" },
  { "empty name", DB ("{'id':'example','name':''," P_SUB "," P_AUTH "}"), PREFIX "“name”" },
  { "name not a string", DB ("{'id':'example','name':['x']," P_SUB "," P_AUTH "}"),
    PREFIX "“name”" },
  { "domains not an array", DB ("{'id':'example'," P_OK ",'domains':'example.com'}"),
    PREFIX "“domains”" },
  { "domain not a string", DB ("{'id':'example'," P_OK ",'domains':[1]}"),
    PREFIX "“domains”" },
  { "domain with a space", DB ("{'id':'example'," P_OK ",'domains':['exa mple.com']}"),
    PREFIX "“domains”" },
  { "domain with a wildcard", DB ("{'id':'example'," P_OK ",'domains':['*.example.com']}"),
    PREFIX "“domains”" },
  { "domain listed twice", DB ("{'id':'example'," P_OK ",'domains':['a.example','A.example']}"),
    PREFIX "“domains”" },
  { "MX pattern with a slash", DB ("{'id':'example'," P_OK ",'mx_patterns':['mx.example/']}"),
    PREFIX "“mx_patterns”" },
  { "no submission", DB ("{'id':'example'," P_NAME "," P_AUTH "}"), PREFIX "“submission”" },
  { "empty submission", DB ("{'id':'example'," P_NAME ",'submission':[]," P_AUTH "}"),
    PREFIX "“submission”" },
  { "endpoint not an object", DB ("{'id':'example'," P_NAME ",'submission':['smtp']," P_AUTH "}"),
    PREFIX "“submission[0]”" },
  { "endpoint without host",
    DB ("{'id':'example'," P_NAME ",'submission':[{'port':587,'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].host”" },
  { "empty host",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'','port':587,'security':'tls'}],"
        P_AUTH "}"),
    PREFIX "“submission[0].host”" },
  { "host not a string",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':1,'port':587,'security':'tls'}],"
        P_AUTH "}"),
    PREFIX "“submission[0].host”" },
  { "host with a space",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp example','port':587,"
        "'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].host”" },
  { "no port",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','security':'tls'}],"
        P_AUTH "}"),
    PREFIX "“submission[0].port”" },
  { "port 0",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':0,"
        "'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].port”" },
  { "port out of range",
    DB ("{'id':'example'," P_NAME ",'submission':[" "{'host':'a.example','port':465,"
        "'security':'tls'},{'host':'smtp.example','port':65536,'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[1].port”" },
  { "negative port",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':-587,"
        "'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].port”" },
  { "port as a string",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':'587',"
        "'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].port”" },
  { "port as a fraction",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':587.5,"
        "'security':'tls'}]," P_AUTH "}"),
    PREFIX "“submission[0].port”" },
  { "unknown security",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':465,"
        "'security':'ssl'}]," P_AUTH "}"),
    PREFIX "“submission[0].security”" },
  { "security in capitals",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':587,"
        "'security':'STARTTLS'}]," P_AUTH "}"),
    PREFIX "“submission[0].security”" },
  { "no security",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':587}],"
        P_AUTH "}"),
    PREFIX "“submission[0].security”" },
  { "unknown endpoint member",
    DB ("{'id':'example'," P_NAME ",'submission':[{'host':'smtp.example','port':587,"
        "'security':'tls','tls':true}]," P_AUTH "}"),
    PREFIX "“submission[0].tls”" },
  { "no auth", DB ("{'id':'example'," P_NAME "," P_SUB "}"), PREFIX "“auth”" },
  { "empty auth", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':[]}"), PREFIX "“auth”" },
  { "unknown mechanism", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['cram-md5']}"),
    PREFIX "“auth”" },
  { "auto is no mechanism", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['auto']}"),
    PREFIX "“auth”" },
  { "mechanism twice", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['plain','plain']}"),
    PREFIX "“auth”" },
  { "app password alone", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['app-password']}"),
    PREFIX "“auth”" },
  { "app password with OAuth only",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2','app-password'],"
        "'oauth':{'authorize':'https://a.example/','token':'https://a.example/t',"
        "'scopes':['mail']}}"),
    PREFIX "“auth”" },
  { "XOAUTH2 without oauth", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2']}"),
    PREFIX "“auth”" },
  { "oauth without an OAuth mechanism",
    DB ("{'id':'example'," P_OK ",'oauth':{'authorize':'https://a.example/',"
        "'token':'https://a.example/t','scopes':['mail']}}"),
    PREFIX "“oauth”" },
  { "oauth not an object", DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
                               "'oauth':'https://a.example/'}"),
    PREFIX "“oauth”" },
  { "authorize over http", DB ("{'id':'example'," P_NAME "," P_SUB ","
                               P_OAUTH ("http://login.example.com/authorize", "") "}"),
    PREFIX "“oauth.authorize”" },
  { "authorize not a URL", DB ("{'id':'example'," P_NAME "," P_SUB ","
                               P_OAUTH ("login.example.com", "") "}"),
    PREFIX "“oauth.authorize”" },
  { "tenant placeholder without tenant",
    DB ("{'id':'example'," P_NAME "," P_SUB ","
        P_OAUTH ("https://login.example.com/{tenant}/authorize", "") "}"),
    PREFIX "“oauth.authorize”" },
  { "tenant with a slash",
    DB ("{'id':'example'," P_NAME "," P_SUB ","
        P_OAUTH ("https://login.example.com/{tenant}/authorize", "'tenant':'a/b',") "}"),
    PREFIX "“oauth.tenant”" },
  { "device over http",
    DB ("{'id':'example'," P_NAME "," P_SUB ","
        P_OAUTH ("https://login.example.com/authorize", "'device':'http://a.example/d',") "}"),
    PREFIX "“oauth.device”" },
  { "unknown registration",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
        "'oauth':{'authorize':'https://a.example/','token':'https://a.example/t',"
        "'scopes':['mail'],'registration':'example'}}"),
    PREFIX "“oauth.registration”" },
  { "authorize parameter without a value",
    DB ("{'id':'example'," P_NAME "," P_SUB ","
        P_OAUTH ("https://login.example.com/authorize", "'authorize_params':['prompt'],") "}"),
    PREFIX "“oauth.authorize_params”" },
  { "no token URL",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
        "'oauth':{'authorize':'https://a.example/','scopes':['mail']}}"),
    PREFIX "“oauth.token”" },
  { "no scopes",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
        "'oauth':{'authorize':'https://a.example/','token':'https://a.example/t'}}"),
    PREFIX "“oauth.scopes”" },
  { "empty scopes",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
        "'oauth':{'authorize':'https://a.example/','token':'https://a.example/t',"
        "'scopes':[]}}"),
    PREFIX "“oauth.scopes”" },
  { "unknown oauth member",
    DB ("{'id':'example'," P_NAME "," P_SUB ",'auth':['xoauth2'],"
        "'oauth':{'authorize':'https://a.example/','token':'https://a.example/t',"
        "'scopes':['mail'],'secret':'x'}}"),
    PREFIX "“oauth.secret”" },
  { "limits not an object", DB ("{'id':'example'," P_OK ",'limits':[30]}"), PREFIX "“limits”" },
  { "unknown limit", DB ("{'id':'example'," P_OK ",'limits':{'messages_per_hour':30}}"),
    PREFIX "“limits.messages_per_hour”" },
  { "zero limit", DB ("{'id':'example'," P_OK ",'limits':{'recipients_per_day':0}}"),
    PREFIX "“limits.recipients_per_day”" },
  { "limit as a string", DB ("{'id':'example'," P_OK ",'limits':{'recipients_per_day':'10'}}"),
    PREFIX "“limits.recipients_per_day”" },
  { "notes not strings", DB ("{'id':'example'," P_OK ",'notes':[['nested']]}"),
    PREFIX "“notes”" },
  { "same id twice", DB ("{'id':'example'," P_OK "},{'id':'example'," P_OK "}"),
    PREFIX "“id”" },
  { "same domain in two providers",
    DB ("{'id':'first'," P_OK ",'domains':['example.com']},"
        "{'id':'example'," P_OK ",'domains':['EXAMPLE.com']}"),
    PREFIX "“domains”: “example.com” already belongs to “first”" },
  { "same domain suffix in two providers",
    DB ("{'id':'first'," P_OK ",'domain_suffixes':['tenants.example']},"
        "{'id':'example'," P_OK ",'domain_suffixes':['Tenants.Example']}"),
    PREFIX "“domain_suffixes”: “tenants.example” already belongs to “first”" },
  { "domain suffix not a domain", DB ("{'id':'example'," P_OK ",'domain_suffixes':['a b']}"),
    PREFIX "“domain_suffixes”" },
};

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      const MalformedCase *c = &malformed_cases[i];
      g_autoptr(StampProviderDb) db = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case: %s", c->name);

      db = parse_db (c->json, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_null (db);
      g_test_message ("  %s", error->message);

      if (strstr (error->message, c->message) == NULL)
        g_error ("case “%s”: “%s” does not mention “%s”", c->name, error->message, c->message);
    }
}

/* The same with a bounded length: bytes past it are not read. */
static void
test_length (void)
{
  static const char data[] = "{\"format\":1,\"providers\":[]}garbage";
  g_autoptr(StampProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = stamp_provider_db_new_from_data (data, strlen (data) - strlen ("garbage"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (db)), ==, 0);
  g_clear_object (&db);

  db = stamp_provider_db_new_from_data (data, -1, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_null (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/provider-db/builtin/loads", test_builtin_loads);
  g_test_add_func ("/stamp/provider-db/builtin/ids", test_builtin_ids);
  g_test_add_func ("/stamp/provider-db/builtin/unique-domains", test_builtin_unique_domains);
  g_test_add_func ("/stamp/provider-db/builtin/resource", test_builtin_resource);
  g_test_add_func ("/stamp/provider-db/builtin/threads", test_builtin_threads);
  g_test_add_func ("/stamp/provider-db/lookup/domain", test_lookup_domain);
  g_test_add_func ("/stamp/provider-db/lookup/mx", test_lookup_mx);
  g_test_add_func ("/stamp/provider-db/provider/microsoft365", test_microsoft365);
  g_test_add_func ("/stamp/provider-db/provider/microsoft-clouds", test_microsoft_clouds);
  g_test_add_func ("/stamp/provider-db/provider/outlook", test_outlook);
  g_test_add_func ("/stamp/provider-db/provider/google", test_google);
  g_test_add_func ("/stamp/provider-db/provider/proton", test_proton);
  g_test_add_func ("/stamp/provider-db/limits", test_limits);
  g_test_add_func ("/stamp/provider-db/parse/custom", test_custom_db);
  g_test_add_func ("/stamp/provider-db/parse/malformed", test_malformed);
  g_test_add_func ("/stamp/provider-db/parse/length", test_length);

  return g_test_run ();
}

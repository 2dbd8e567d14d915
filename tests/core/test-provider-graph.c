/* test-provider-graph.c
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

/* Microsoft Graph in the provider database: which providers send through
 * it, at which address and with which scopes, and the "graph" objects the
 * parser refuses. */

#define G_LOG_DOMAIN "test-provider-graph"

#include "config.h"

#include <string.h>

#include "stamp-error.h"
#include "stamp-provider-db.h"

/* Written with single quotes, turned into double quotes by parse_db(). */
#define DB_WITH_GRAPH(graph) \
  "{'format':1,'providers':[{'id':'example','name':'Example'," \
  "'submission':[{'host':'smtp.example.com','port':587,'security':'starttls'}]," \
  "'auth':['xoauth2'],'oauth':{'authorize':'https://login.example.com/authorize'," \
  "'token':'https://login.example.com/token','scopes':['https://outlook.example/SMTP.Send'," \
  "'offline_access'],'registration':'microsoft'" graph "}}]}"

#define PREFIX "Provider “example”, member "

static StampProviderDb *
parse_db (const char  *single_quoted,
          GError     **error)
{
  g_autofree char *json = g_strdelimit (g_strdup (single_quoted), "'", '"');

  return stamp_provider_db_new_from_data (json, -1, error);
}

static void
test_builtin_graph (void)
{
  static const struct
  {
    const char *id;
    const char *url;
    const char *scope;
  } graph_providers[] = {
    { "microsoft365", "https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/Mail.Send" },
    { "outlook", "https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/Mail.Send" },
    { "microsoft365-usgov", "https://graph.microsoft.us/v1.0",
      "https://graph.microsoft.us/Mail.Send" },
    { "microsoft365-china", "https://microsoftgraph.chinacloudapi.cn/v1.0",
      "https://microsoftgraph.chinacloudapi.cn/Mail.Send" },
  };
  static const char * const without_graph[] = { "google", "yahoo", "fastmail", "icloud" };
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (graph_providers); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_id (db, graph_providers[i].id);
      const StampProviderOAuth *oauth = stamp_provider_get_oauth (provider);

      g_test_message ("provider: %s", graph_providers[i].id);
      g_assert_true (stamp_provider_supports_graph (provider));
      g_assert_cmpstr (oauth->graph_url, ==, graph_providers[i].url);
      g_assert_cmpuint (g_strv_length (oauth->graph_scopes), ==, 2);
      g_assert_cmpstr (oauth->graph_scopes[0], ==, graph_providers[i].scope);
      g_assert_cmpstr (oauth->graph_scopes[1], ==, "offline_access");
      /* Graph's scope is no SMTP scope: one token, one resource. */
      g_assert_false (g_strv_contains ((const char * const *) oauth->scopes,
                                       graph_providers[i].scope));
    }

  for (guint i = 0; i < G_N_ELEMENTS (without_graph); i++)
    {
      StampProvider *provider = stamp_provider_db_lookup_id (db, without_graph[i]);
      const StampProviderOAuth *oauth = stamp_provider_get_oauth (provider);

      g_assert_false (stamp_provider_supports_graph (provider));
      g_assert_true (oauth == NULL || oauth->graph_url == NULL);
      g_assert_true (oauth == NULL || oauth->graph_scopes == NULL);
    }
}

static void
test_parse_graph (void)
{
  g_autoptr(StampProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;
  const StampProviderOAuth *oauth;

  db = parse_db (DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0',"
                                "'scopes':['https://graph.example/Mail.Send','offline_access']}"),
                 &error);
  g_assert_no_error (error);
  oauth = stamp_provider_get_oauth (stamp_provider_db_lookup_id (db, "example"));
  g_assert_cmpstr (oauth->graph_url, ==, "https://graph.example/v1.0");
  g_assert_cmpstr (oauth->graph_scopes[0], ==, "https://graph.example/Mail.Send");
  g_clear_object (&db);

  db = parse_db (DB_WITH_GRAPH (""), &error);
  g_assert_no_error (error);
  g_assert_false (stamp_provider_supports_graph (stamp_provider_db_lookup_id (db, "example")));
}

static const struct
{
  const char *name;
  const char *json;
  const char *message;
} malformed_cases[] = {
  { "graph not an object", DB_WITH_GRAPH (",'graph':'https://graph.example/'"),
    PREFIX "“oauth.graph”" },
  { "graph without url", DB_WITH_GRAPH (",'graph':{'scopes':['https://g.example/Mail.Send']}"),
    PREFIX "“oauth.graph.url”" },
  { "graph over http",
    DB_WITH_GRAPH (",'graph':{'url':'http://graph.example/v1.0','scopes':['x']}"),
    PREFIX "“oauth.graph.url”" },
  { "graph URL with a query",
    DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0?a=b','scopes':['x']}"),
    PREFIX "“oauth.graph.url”" },
  { "graph without scopes", DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0'}"),
    PREFIX "“oauth.graph.scopes”" },
  { "graph with no scope",
    DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0','scopes':[]}"),
    PREFIX "“oauth.graph.scopes”" },
  { "graph scope with a space",
    DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0','scopes':['a b']}"),
    PREFIX "“oauth.graph.scopes”" },
  { "graph asks for the SMTP resource",
    DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0',"
                   "'scopes':['https://outlook.example/SMTP.Send']}"),
    PREFIX "“oauth.graph.scopes”" },
  { "unknown graph member",
    DB_WITH_GRAPH (",'graph':{'url':'https://graph.example/v1.0','scopes':['x'],'beta':true}"),
    PREFIX "“oauth.graph.beta”" },
};

static void
test_parse_graph_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autoptr(StampProviderDb) db = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case: %s", malformed_cases[i].name);
      db = parse_db (malformed_cases[i].json, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_null (db);
      g_test_message ("  %s", error->message);
      if (strstr (error->message, malformed_cases[i].message) == NULL)
        g_error ("case “%s”: “%s” does not mention “%s”", malformed_cases[i].name,
                 error->message, malformed_cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/provider-db/graph/builtin", test_builtin_graph);
  g_test_add_func ("/stamp/provider-db/graph/parse", test_parse_graph);
  g_test_add_func ("/stamp/provider-db/graph/malformed", test_parse_graph_malformed);

  return g_test_run ();
}

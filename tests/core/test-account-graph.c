/* test-account-graph.c
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

/* An account's sending method (SMTP or Microsoft Graph), its Graph address
 * and its client secret's expiry: in the account file, in the checks, and
 * the Graph address a send uses. No network. */

#define G_LOG_DOMAIN "test-account-graph"

#include "config.h"

#include <string.h>

#include "stamp-account.h"
#include "stamp-error.h"

#define ADDRESS "alice@contoso.example"

/* 2026-09-30T00:00:00Z */
#define SEPTEMBER_30 G_GINT64_CONSTANT (1790726400)

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static StampAccount *
read_account (const char  *text,
              GError     **error)
{
  g_autoptr(JsonNode) node = parse_json (text);

  return stamp_account_new_from_json (node, error);
}

static StampAccount *
new_graph_account (void)
{
  StampAccount *account = stamp_account_new (ADDRESS);

  g_object_set (account,
                "provider-id", "microsoft365",
                "host", "smtp.office365.com",
                "auth-mechanism", STAMP_AUTH_XOAUTH2,
                "method", STAMP_SEND_METHOD_GRAPH,
                "graph-url", "http://127.0.0.1:8080/v1.0",
                "client-secret-expires", SEPTEMBER_30,
                NULL);

  return account;
}

static void
test_graph_json_round_trip (void)
{
  g_autoptr(StampAccount) account = new_graph_account ();
  g_autoptr(StampAccount) copy = NULL;
  g_autoptr(JsonNode) node = stamp_account_to_json (account);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;

  /* The member names and the day are a file format. */
  expected = parse_json ("{\"address\": \"" ADDRESS "\","
                         " \"provider\": \"microsoft365\","
                         " \"method\": \"graph\","
                         " \"graph_url\": \"http://127.0.0.1:8080/v1.0\","
                         " \"host\": \"smtp.office365.com\", \"port\": 0,"
                         " \"security\": \"starttls\", \"auth\": \"xoauth2\","
                         " \"oauth\": {\"client_secret_expires\": \"2026-09-30\"}}");
  g_assert_true (json_node_equal (node, expected));

  copy = stamp_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_account_get_method (copy), ==, STAMP_SEND_METHOD_GRAPH);
  g_assert_cmpstr (stamp_account_get_graph_url (copy), ==, "http://127.0.0.1:8080/v1.0");
  g_assert_cmpint (stamp_account_get_client_secret_expires (copy), ==, SEPTEMBER_30);
  again = stamp_account_to_json (copy);
  g_assert_true (json_node_equal (node, again));
}

/* A file from before Graph reads as an SMTP account, and an SMTP account
 * is written as before: no "method", no "graph_url". */
static void
test_graph_json_old_file (void)
{
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  account = read_account ("{\"address\": \"" ADDRESS "\", \"provider\": \"microsoft365\","
                          " \"host\": \"smtp.office365.com\", \"port\": 587,"
                          " \"security\": \"starttls\", \"auth\": \"xoauth2\","
                          " \"oauth\": {\"tenant\": \"contoso.example\"}}",
                          &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_account_get_method (account), ==, STAMP_SEND_METHOD_SMTP);
  g_assert_null (stamp_account_get_graph_url (account));
  g_assert_cmpint (stamp_account_get_client_secret_expires (account), ==, 0);

  node = stamp_account_to_json (account);
  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, "method"));
  g_assert_null (strstr (text, "graph"));
  g_assert_null (strstr (text, "client_secret_expires"));

  /* "smtp" spelt out reads too. */
  g_clear_object (&account);
  account = read_account ("{\"address\": \"" ADDRESS "\", \"host\": \"mail.example\","
                          " \"method\": \"smtp\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_account_get_method (account), ==, STAMP_SEND_METHOD_SMTP);
}

typedef struct
{
  const char *json;
  const char *member;
} BadCase;

static const BadCase bad_cases[] = {
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\", \"method\": \"carrier-pigeon\"}", "method" },
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\", \"method\": 2}", "method" },
  /* Graph takes a token, never a password. */
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\", \"method\": \"graph\", \"auth\": \"plain\"}",
    "method" },
  { "{\"address\": \"" ADDRESS "\", \"method\": \"graph\", \"auth\": \"xoauth2\","
    " \"graph_url\": \"http://graph.example/v1.0\"}", "graph_url" },
  { "{\"address\": \"" ADDRESS "\", \"method\": \"graph\", \"auth\": \"xoauth2\","
    " \"graph_url\": \"https://user:hunter2@graph.example/v1.0\"}", "graph_url" },
  { "{\"address\": \"" ADDRESS "\", \"method\": \"graph\", \"auth\": \"xoauth2\","
    " \"graph_url\": \"ftp://graph.example/\"}", "graph_url" },
  { "{\"address\": \"" ADDRESS "\", \"method\": \"graph\", \"auth\": \"xoauth2\","
    " \"graph_url\": \"https://graph.example/v1.0?x=1\"}", "graph_url" },
  { "{\"address\": \"" ADDRESS "\", \"method\": \"graph\", \"auth\": \"xoauth2\","
    " \"graph_url\": \"not a url\"}", "graph_url" },
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\","
    " \"oauth\": {\"client_secret_expires\": \"30/09/2026\"}}", "oauth.client_secret_expires" },
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\","
    " \"oauth\": {\"client_secret_expires\": \"2026-02-30\"}}", "oauth.client_secret_expires" },
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\","
    " \"oauth\": {\"client_secret_expires\": \"2026-09-30T00:00:00Z\"}}",
    "oauth.client_secret_expires" },
  { "{\"address\": \"" ADDRESS "\", \"host\": \"h\","
    " \"oauth\": {\"client_secret_expires\": 1790726400}}", "oauth.client_secret_expires" },
  /* An SMTP account still needs its server. */
  { "{\"address\": \"" ADDRESS "\", \"method\": \"smtp\"}", "host" },
};

static void
test_graph_json_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(StampAccount) account = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad_cases[i].member);

      g_test_message ("case: %s", bad_cases[i].json);
      account = read_account (bad_cases[i].json, &error);
      g_assert_null (account);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_test_message ("error: %s", error->message);
      g_assert_nonnull (strstr (error->message, quoted));
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
test_graph_validate (void)
{
  static const char * const good_urls[] = {
    "https://graph.microsoft.com/v1.0",
    "https://dod-graph.microsoft.us/v1.0",
    "http://127.0.0.1:41234/v1.0",
    "http://localhost/v1.0",
    "http://[::1]:8080/",
  };
  g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
  g_autoptr(GError) error = NULL;

  /* A Graph account needs no server: it keeps one only to switch back. */
  g_object_set (account,
                "auth-mechanism", STAMP_AUTH_XOAUTH2,
                "method", STAMP_SEND_METHOD_GRAPH,
                NULL);
  g_assert_true (stamp_account_validate (account, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (good_urls); i++)
    {
      stamp_account_set_graph_url (account, good_urls[i]);
      g_assert_true (stamp_account_validate (account, &error));
      g_assert_no_error (error);
    }

  /* OAUTHBEARER carries a token too; a password mechanism does not. */
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_OAUTHBEARER);
  g_assert_true (stamp_account_validate (account, NULL));
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_LOGIN);
  g_assert_false (stamp_account_validate (account, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "OAuth"));
  g_clear_error (&error);

  /* Back to SMTP, the server is needed again. */
  stamp_account_set_method (account, STAMP_SEND_METHOD_SMTP);
  g_assert_false (stamp_account_validate (account, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
}

static void
test_graph_effective_url (void)
{
  static const struct
  {
    const char *provider_id;
    const char *url;
  } cases[] = {
    { "microsoft365", "https://graph.microsoft.com/v1.0" },
    { "outlook", "https://graph.microsoft.com/v1.0" },
    { "microsoft365-usgov", "https://graph.microsoft.us/v1.0" },
    { "microsoft365-china", "https://microsoftgraph.chinacloudapi.cn/v1.0" },
    /* No Graph, or no provider: the worldwide address. */
    { "google", STAMP_ACCOUNT_GRAPH_DEFAULT_URL },
    { NULL, STAMP_ACCOUNT_GRAPH_DEFAULT_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
      g_autofree char *url = NULL;
      g_autofree char *own = NULL;

      stamp_account_set_provider_id (account, cases[i].provider_id);
      url = stamp_account_dup_effective_graph_url (account);
      g_assert_cmpstr (url, ==, cases[i].url);

      /* The account's own address wins, as --graph-url does for tests. */
      stamp_account_set_graph_url (account, "http://127.0.0.1:9/v1.0");
      own = stamp_account_dup_effective_graph_url (account);
      g_assert_cmpstr (own, ==, "http://127.0.0.1:9/v1.0");
    }
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_graph_properties (void)
{
  g_autoptr(StampAccount) account = stamp_account_new (ADDRESS);
  guint method_notes = 0;
  guint url_notes = 0;
  guint expiry_notes = 0;

  g_signal_connect (account, "notify::method", G_CALLBACK (count_cb), &method_notes);
  g_signal_connect (account, "notify::graph-url", G_CALLBACK (count_cb), &url_notes);
  g_signal_connect (account, "notify::client-secret-expires", G_CALLBACK (count_cb),
                    &expiry_notes);

  g_assert_cmpint (stamp_account_get_method (account), ==, STAMP_SEND_METHOD_SMTP);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  g_assert_cmpuint (method_notes, ==, 1);

  stamp_account_set_graph_url (account, "https://graph.microsoft.com/v1.0");
  stamp_account_set_graph_url (account, "https://graph.microsoft.com/v1.0");
  g_assert_cmpuint (url_notes, ==, 1);

  /* Kept as the day: an expiry at noon is the same day's. */
  stamp_account_set_client_secret_expires (account, SEPTEMBER_30 + 12 * 60 * 60);
  g_assert_cmpint (stamp_account_get_client_secret_expires (account), ==, SEPTEMBER_30);
  stamp_account_set_client_secret_expires (account, SEPTEMBER_30);
  g_assert_cmpuint (expiry_notes, ==, 1);

  g_assert_cmpstr (stamp_send_method_to_string (STAMP_SEND_METHOD_GRAPH), ==, "graph");
  g_assert_cmpstr (stamp_send_method_to_label (STAMP_SEND_METHOD_GRAPH), ==, "Microsoft Graph");
  g_assert_cmpstr (stamp_send_method_to_label (STAMP_SEND_METHOD_SMTP), ==, "SMTP");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/account/graph/json/round-trip", test_graph_json_round_trip);
  g_test_add_func ("/stamp/account/graph/json/old-file", test_graph_json_old_file);
  g_test_add_func ("/stamp/account/graph/json/bad", test_graph_json_bad);
  g_test_add_func ("/stamp/account/graph/validate", test_graph_validate);
  g_test_add_func ("/stamp/account/graph/effective-url", test_graph_effective_url);
  g_test_add_func ("/stamp/account/graph/properties", test_graph_properties);

  return g_test_run ();
}

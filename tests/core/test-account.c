/* test-account.c
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

#define G_LOG_DOMAIN "test-account"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "stamp-account.h"
#include "stamp-core.h"
#include "stamp-error.h"

static StampAccount *
make_full_account (void)
{
  StampAccount *account = stamp_account_new ("Alice.Example@Contoso.onmicrosoft.com");

  g_object_set (account,
                "display-name", "Alice Exämple",
                "provider-id", "microsoft365",
                "host", "smtp.office365.com",
                "port", 587,
                "security", STAMP_SECURITY_STARTTLS,
                "auth-mechanism", STAMP_AUTH_XOAUTH2,
                "username", "alice@contoso.onmicrosoft.com",
                "oauth-tenant", "organizations",
                "oauth-client-id", "9e5f94bc-e8a4-4e73-b8be-63364c29d753",
                "oauth-authority", "https://login.microsoftonline.com",
                "ca-file", "/etc/ssl/certs/extra.pem",
                NULL);
  /* 2026-03-14T09:30:00Z */
  stamp_account_set_last_test (account, FALSE, 1773480600, "Sign-in refused (535 5.7.139)");

  return account;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static void
assert_same_account (StampAccount *a,
                     StampAccount *b)
{
  g_autoptr(JsonNode) a_json = stamp_account_to_json (a);
  g_autoptr(JsonNode) b_json = stamp_account_to_json (b);

  g_assert_cmpstr (stamp_account_get_address (a), ==, stamp_account_get_address (b));
  g_assert_cmpstr (stamp_account_get_display_name (a), ==, stamp_account_get_display_name (b));
  g_assert_cmpstr (stamp_account_get_provider_id (a), ==, stamp_account_get_provider_id (b));
  g_assert_cmpstr (stamp_account_get_host (a), ==, stamp_account_get_host (b));
  g_assert_cmpuint (stamp_account_get_port (a), ==, stamp_account_get_port (b));
  g_assert_cmpint (stamp_account_get_security (a), ==, stamp_account_get_security (b));
  g_assert_cmpint (stamp_account_get_tls_min (a), ==, stamp_account_get_tls_min (b));
  g_assert_cmpint (stamp_account_get_auth_mechanism (a), ==,
                   stamp_account_get_auth_mechanism (b));
  g_assert_cmpstr (stamp_account_get_username (a), ==, stamp_account_get_username (b));
  g_assert_cmpstr (stamp_account_get_oauth_tenant (a), ==, stamp_account_get_oauth_tenant (b));
  g_assert_cmpstr (stamp_account_get_oauth_client_id (a), ==,
                   stamp_account_get_oauth_client_id (b));
  g_assert_cmpstr (stamp_account_get_oauth_authority (a), ==,
                   stamp_account_get_oauth_authority (b));
  g_assert_cmpstr (stamp_account_get_ca_file (a), ==, stamp_account_get_ca_file (b));
  g_assert_cmpstr (stamp_account_get_ehlo_name (a), ==, stamp_account_get_ehlo_name (b));
  g_assert_cmpint (stamp_account_get_last_test_ok (a), ==, stamp_account_get_last_test_ok (b));
  g_assert_cmpint (stamp_account_get_last_test_at (a), ==, stamp_account_get_last_test_at (b));
  g_assert_cmpstr (stamp_account_get_last_test_summary (a), ==,
                   stamp_account_get_last_test_summary (b));
  g_assert_true (json_node_equal (a_json, b_json));
}

/* Through text, as the account file does. */
static StampAccount *
round_trip (StampAccount *account)
{
  g_autoptr(JsonNode) node = stamp_account_to_json (account);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = json_to_string (node, TRUE);
  StampAccount *copy;

  parsed = parse_json (text);
  copy = stamp_account_new_from_json (parsed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  return copy;
}

static void
test_account_json_roundtrip (void)
{
  g_autoptr(StampAccount) account = make_full_account ();
  g_autoptr(StampAccount) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_account_validate (account, &error));
  g_assert_no_error (error);

  copy = round_trip (account);
  assert_same_account (account, copy);

  /* Every enum value survives, by its stable name. */
  for (StampSecurity s = STAMP_SECURITY_STARTTLS; s <= STAMP_SECURITY_NONE; s++)
    {
      for (StampAuthMechanism m = STAMP_AUTH_AUTO; m <= STAMP_AUTH_OAUTHBEARER; m++)
        {
          g_autoptr(StampAccount) again = NULL;

          stamp_account_set_security (account, s);
          stamp_account_set_auth_mechanism (account, m);
          again = round_trip (account);
          assert_same_account (account, again);
        }
    }

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&account));
}

/* “tls_min” is written by its stable name, and only when not the default. */
static void
test_account_json_tls_min (void)
{
  g_autoptr(StampAccount) account = make_full_account ();

  for (StampTlsVersion v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    {
      g_autoptr(StampAccount) copy = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      stamp_account_set_tls_min (account, v);
      node = stamp_account_to_json (account);
      object = json_node_get_object (node);

      if (v == STAMP_TLS_VERSION_1_2)
        g_assert_false (json_object_has_member (object, "tls_min"));
      else
        g_assert_cmpstr (json_object_get_string_member (object, "tls_min"), ==,
                         stamp_tls_version_to_string (v));

      copy = round_trip (account);
      g_assert_cmpint (stamp_account_get_tls_min (copy), ==, v);
      assert_same_account (account, copy);
    }
}

/* “ehlo_name” is written only when set; NULL means the automatic name. */
static void
test_account_json_ehlo_name (void)
{
  static const char * const names[] = {
    "client.example.com", "Laptop-7", "x", "[192.0.2.1]",
    "[IPv6:2001:db8::1]", "[ipv6:::1]",
  };
  g_autoptr(StampAccount) account = make_full_account ();
  g_autoptr(JsonNode) unset = stamp_account_to_json (account);

  g_assert_null (stamp_account_get_ehlo_name (account));
  g_assert_false (json_object_has_member (json_node_get_object (unset), "ehlo_name"));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(StampAccount) copy = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("name: %s", names[i]);

      stamp_account_set_ehlo_name (account, names[i]);
      g_assert_true (stamp_account_validate (account, &error));
      g_assert_no_error (error);

      node = stamp_account_to_json (account);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "ehlo_name"),
                       ==, names[i]);
      copy = round_trip (account);
      g_assert_cmpstr (stamp_account_get_ehlo_name (copy), ==, names[i]);
      assert_same_account (account, copy);
    }
}

static void
test_account_json_minimal (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("bob@example.org");
  g_autoptr(StampAccount) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) expected = NULL;

  stamp_account_set_host (account, "mail.example.org");

  /* Unset settings are left out, not written as null. */
  node = stamp_account_to_json (account);
  expected = parse_json ("{\"address\": \"bob@example.org\", \"host\": \"mail.example.org\","
                         " \"port\": 0, \"security\": \"starttls\", \"auth\": \"auto\"}");
  g_assert_true (json_node_equal (node, expected));

  copy = round_trip (account);
  assert_same_account (account, copy);
  g_assert_null (stamp_account_get_username (copy));
  g_assert_null (stamp_account_get_oauth_authority (copy));
  g_assert_cmpuint (stamp_account_get_effective_port (copy), ==, 587);
}

/* The member names are a file format: they must not drift. */
static void
test_account_json_names (void)
{
  g_autoptr(StampAccount) account = make_full_account ();
  g_autoptr(JsonNode) node = stamp_account_to_json (account);
  g_autoptr(JsonNode) expected = NULL;

  expected = parse_json ("{"
                         "\"address\": \"Alice.Example@Contoso.onmicrosoft.com\","
                         "\"display_name\": \"Alice Ex\303\244mple\","
                         "\"provider\": \"microsoft365\","
                         "\"host\": \"smtp.office365.com\","
                         "\"port\": 587,"
                         "\"security\": \"starttls\","
                         "\"auth\": \"xoauth2\","
                         "\"username\": \"alice@contoso.onmicrosoft.com\","
                         "\"oauth\": {"
                         "  \"tenant\": \"organizations\","
                         "  \"client_id\": \"9e5f94bc-e8a4-4e73-b8be-63364c29d753\","
                         "  \"authority\": \"https://login.microsoftonline.com\""
                         "},"
                         "\"ca_file\": \"/etc/ssl/certs/extra.pem\","
                         "\"last_test\": {"
                         "  \"ok\": false,"
                         "  \"at\": \"2026-03-14T09:30:00Z\","
                         "  \"summary\": \"Sign-in refused (535 5.7.139)\""
                         "}"
                         "}");
  g_assert_true (json_node_equal (node, expected));
}

/* Later versions may add members; this one must still read the file. */
static void
test_account_json_unknown_members (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  node = parse_json ("{\"address\": \"carol@example.net\", \"host\": \"smtp.example.net\","
                     " \"security\": \"TLS\", \"auth\": \"Plain\","
                     " \"future\": {\"x\": [1, 2]}, \"tls_min\": \"1.3\", \"port\": null,"
                     " \"display_name\": null,"
                     " \"oauth\": {\"tenant\": \"common\", \"scopes\": [\"a\"]}}");
  account = stamp_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  g_assert_cmpstr (stamp_account_get_address (account), ==, "carol@example.net");
  g_assert_cmpint (stamp_account_get_security (account), ==, STAMP_SECURITY_TLS);
  g_assert_cmpint (stamp_account_get_auth_mechanism (account), ==, STAMP_AUTH_PLAIN);
  g_assert_cmpuint (stamp_account_get_port (account), ==, 0);
  g_assert_cmpuint (stamp_account_get_effective_port (account), ==, 465);
  g_assert_null (stamp_account_get_display_name (account));
  g_assert_cmpstr (stamp_account_get_oauth_tenant (account), ==, "common");
}

typedef struct
{
  const char *json;
  const char *member;
} BadJsonCase;

#define GOOD "\"address\": \"dave@example.com\", \"host\": \"smtp.example.com\""

static const BadJsonCase bad_json_cases[] = {
  { "[]", NULL },
  { "\"dave@example.com\"", NULL },
  { "42", NULL },
  { "null", NULL },
  { "{}", "address" },
  { "{\"address\": null, \"host\": \"smtp.example.com\"}", "address" },
  { "{\"address\": 7, \"host\": \"smtp.example.com\"}", "address" },
  { "{\"address\": [\"dave@example.com\"], \"host\": \"smtp.example.com\"}", "address" },
  { "{\"address\": \"dave\", \"host\": \"smtp.example.com\"}", "address" },
  { "{\"address\": \"dave@example.com\"}", "host" },
  { "{\"address\": \"dave@example.com\", \"host\": 7}", "host" },
  { "{\"address\": \"dave@example.com\", \"host\": \"smtp example.com\"}", "host" },
  { "{" GOOD ", \"port\": \"587\"}", "port" },
  { "{" GOOD ", \"port\": -1}", "port" },
  { "{" GOOD ", \"port\": 70000}", "port" },
  { "{" GOOD ", \"port\": 587.5}", "port" },
  { "{" GOOD ", \"port\": true}", "port" },
  { "{" GOOD ", \"security\": \"ssl3\"}", "security" },
  { "{" GOOD ", \"security\": 1}", "security" },
  { "{" GOOD ", \"tls_min\": \"1.4\"}", "tls_min" },
  { "{" GOOD ", \"tls_min\": \"TLSv1.2\"}", "tls_min" },
  { "{" GOOD ", \"tls_min\": 1.2}", "tls_min" },
  { "{" GOOD ", \"auth\": \"cram-md5\"}", "auth" },
  { "{" GOOD ", \"auth\": false}", "auth" },
  { "{" GOOD ", \"display_name\": [\"Dave\"]}", "display_name" },
  { "{" GOOD ", \"display_name\": \"Dave\\r\\nBcc: eve@example.com\"}", "display_name" },
  { "{" GOOD ", \"provider\": 365}", "provider" },
  { "{" GOOD ", \"username\": {}}", "username" },
  { "{" GOOD ", \"ca_file\": true}", "ca_file" },
  { "{" GOOD ", \"ehlo_name\": 5}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"my laptop\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"host\\tname\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"host\\r\\nMAIL FROM:<eve@example.com>\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"-host.example.com\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"host..example.com\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"host.example.com.\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"h\u00f6st.example.com\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"192.0.2.1]\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"[192.0.2.256]\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"[2001:db8::1]\"}", "ehlo_name" },
  { "{" GOOD ", \"ehlo_name\": \"[IPv6:192.0.2.1]\"}", "ehlo_name" },
  { "{" GOOD ", \"oauth\": \"organizations\"}", "oauth" },
  { "{" GOOD ", \"oauth\": {\"tenant\": 5}}", "oauth.tenant" },
  { "{" GOOD ", \"oauth\": {\"client_id\": [1]}}", "oauth.client_id" },
  { "{" GOOD ", \"oauth\": {\"authority\": \"http://login.example.com\"}}", "oauth.authority" },
  { "{" GOOD ", \"last_test\": true}", "last_test" },
  { "{" GOOD ", \"last_test\": {\"ok\": \"yes\"}}", "last_test.ok" },
  { "{" GOOD ", \"last_test\": {\"ok\": 1}}", "last_test.ok" },
  { "{" GOOD ", \"last_test\": {\"at\": 1773480600}}", "last_test.at" },
  { "{" GOOD ", \"last_test\": {\"at\": \"yesterday\"}}", "last_test.at" },
  { "{" GOOD ", \"last_test\": {\"at\": \"2026-03-14T09:30:00\"}}", "last_test.at" },
  { "{" GOOD ", \"last_test\": {\"at\": \"1969-12-31T23:00:00Z\"}}", "last_test.at" },
  { "{" GOOD ", \"last_test\": {\"summary\": 5}}", "last_test.summary" },
  { "{" GOOD ", \"last_test\": {\"summary\": \"ok\\r\\nRCPT TO:<eve@example.com>\"}}",
    "last_test.summary" },
};

static void
test_account_json_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_json_cases); i++)
    {
      const BadJsonCase *c = &bad_json_cases[i];
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(StampAccount) account = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = NULL;

      g_test_message ("case: %s", c->json);

      node = parse_json (c->json);
      account = stamp_account_new_from_json (node, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_null (account);
      g_test_message ("error: %s", error->message);

      if (c->member != NULL)
        {
          quoted = g_strdup_printf ("“%s”", c->member);
          g_assert_nonnull (strstr (error->message, quoted));
        }
      else
        g_assert_nonnull (strstr (error->message, "object"));
    }
}

typedef struct
{
  const char *address;
  const char *property;
  const char *value;
} BadValueCase;

static const BadValueCase bad_value_cases[] = {
  { "", NULL, NULL },
  { "alice", NULL, NULL },
  { "alice@@example.com", NULL, NULL },
  { "alice example@example.com", NULL, NULL },
  { "alice@example.com\r\nRCPT TO:<eve@example.com>", NULL, NULL },
  { "alice@example.com", "host", NULL },
  { "alice@example.com", "host", "" },
  { "alice@example.com", "host", "smtp example.com" },
  { "alice@example.com", "host", "smtp.example.com\tx" },
  { "alice@example.com", "host", "smtp.example.com\r\n" },
  { "alice@example.com", "display-name", "Alice\r\nBcc: eve@example.com" },
  { "alice@example.com", "display-name", "Alice\n" },
  { "alice@example.com", "display-name", "Alice\r" },
  { "alice@example.com", "display-name", "Alice \377" },
  { "alice@example.com", "provider-id", "gmail\n" },
  { "alice@example.com", "username", "alice\rAUTH PLAIN" },
  { "alice@example.com", "oauth-tenant", "common\n" },
  { "alice@example.com", "oauth-client-id", "id\r\n" },
  { "alice@example.com", "ca-file", "/tmp/ca.pem\n" },
  { "alice@example.com", "ehlo-name", "" },
  { "alice@example.com", "ehlo-name", "my laptop" },
  { "alice@example.com", "ehlo-name", "laptop\x01" },
  { "alice@example.com", "ehlo-name", "[]" },
  { "alice@example.com", "oauth-authority", "https://login.example.com/\r\n" },
  { "alice@example.com", "oauth-authority", "http://login.example.com" },
  { "alice@example.com", "oauth-authority", "http://10.0.0.1:8080/" },
  { "alice@example.com", "oauth-authority", "http://[::2]/" },
  { "alice@example.com", "oauth-authority", "http://127.0.0.1.example.com/" },
  { "alice@example.com", "oauth-authority", "http://localhost.example.com/" },
  { "alice@example.com", "oauth-authority", "ftp://login.example.com/" },
  { "alice@example.com", "oauth-authority", "login.microsoftonline.com" },
  { "alice@example.com", "oauth-authority", "https://" },
  { "alice@example.com", "oauth-authority", "https://user:hunter2@login.example.com/" },
};

static void
test_account_validate_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_value_cases); i++)
    {
      const BadValueCase *c = &bad_value_cases[i];
      g_autoptr(StampAccount) account = stamp_account_new (c->address);
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (c->value != NULL ? c->value : "(null)", NULL);

      g_test_message ("case: %s = %s", c->property != NULL ? c->property : "address", escaped);

      stamp_account_set_host (account, "smtp.example.com");
      if (c->property != NULL)
        g_object_set (account, c->property, c->value, NULL);

      g_assert_false (stamp_account_validate (account, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strpbrk (error->message, "\r\n"));
      /* A password in an authority must not show up in an error. */
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
test_account_validate_good (void)
{
  static const char * const authorities[] = {
    NULL,
    "https://login.microsoftonline.com",
    "https://login.microsoftonline.com/organizations/v2.0",
    "HTTPS://ACCOUNTS.GOOGLE.COM/",
    "http://127.0.0.1:8080",
    "http://127.45.6.7/idp",
    "http://[::1]:9000/tenant",
    "http://localhost:1234/",
    "http://LOCALHOST/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (authorities); i++)
    {
      g_autoptr(StampAccount) account = stamp_account_new ("Ålice@exämple.com");
      g_autoptr(GError) error = NULL;

      g_test_message ("authority: %s", authorities[i] != NULL ? authorities[i] : "(none)");

      stamp_account_set_host (account, "127.0.0.1");
      stamp_account_set_display_name (account, "Ålice “the sender”");
      stamp_account_set_oauth_authority (account, authorities[i]);

      g_assert_true (stamp_account_validate (account, &error));
      g_assert_no_error (error);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
assert_notifies_once (StampAccount *account,
                      const char   *property,
                      const GValue *value)
{
  g_autofree char *signal = g_strconcat ("notify::", property, NULL);
  guint count = 0;
  gulong id;

  g_test_message ("property: %s", property);

  id = g_signal_connect (account, signal, G_CALLBACK (count_notify_cb), &count);

  g_object_set_property (G_OBJECT (account), property, value);
  g_assert_cmpuint (count, ==, 1);

  g_object_set_property (G_OBJECT (account), property, value);
  g_assert_cmpuint (count, ==, 1);

  g_signal_handler_disconnect (account, id);
}

static void
test_account_properties_notify (void)
{
  static const char * const strings[] = {
    "display-name", "provider-id", "host", "username", "oauth-tenant",
    "oauth-client-id", "oauth-authority", "ca-file", "ehlo-name", "last-test-summary",
  };
  g_autoptr(StampAccount) account = stamp_account_new ("erin@example.com");
  g_auto(GValue) value = G_VALUE_INIT;
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_auto(GValue) text = G_VALUE_INIT;
      g_auto(GValue) none = G_VALUE_INIT;

      g_value_init (&text, G_TYPE_STRING);
      g_value_set_string (&text, "value");
      assert_notifies_once (account, strings[i], &text);

      /* And back to unset. */
      g_value_init (&none, G_TYPE_STRING);
      assert_notifies_once (account, strings[i], &none);
    }

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, 2525);
  assert_notifies_once (account, "port", &value);
  g_value_unset (&value);

  g_value_init (&value, STAMP_TYPE_SECURITY);
  g_value_set_enum (&value, STAMP_SECURITY_TLS);
  assert_notifies_once (account, "security", &value);
  g_value_unset (&value);

  g_value_init (&value, STAMP_TYPE_TLS_VERSION);
  g_value_set_enum (&value, STAMP_TLS_VERSION_1_0);
  assert_notifies_once (account, "tls-min", &value);
  g_value_unset (&value);

  g_value_init (&value, STAMP_TYPE_AUTH_MECHANISM);
  g_value_set_enum (&value, STAMP_AUTH_OAUTHBEARER);
  assert_notifies_once (account, "auth-mechanism", &value);
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, TRUE);
  assert_notifies_once (account, "last-test-ok", &value);
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 1773480600);
  assert_notifies_once (account, "last-test-at", &value);

  /* The setters behave as the properties do. */
  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), &count);
  stamp_account_set_port (account, 2525);
  stamp_account_set_security (account, STAMP_SECURITY_TLS);
  stamp_account_set_tls_min (account, STAMP_TLS_VERSION_1_0);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_OAUTHBEARER);
  stamp_account_set_host (account, NULL);
  g_assert_cmpuint (count, ==, 0);
  stamp_account_set_host (account, "smtp.example.com");
  stamp_account_set_port (account, 0);
  g_assert_cmpuint (count, ==, 2);
}

static void
test_account_properties_defaults (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("frank@example.com");
  g_autofree char *address = NULL;

  g_object_get (account, "address", &address, NULL);
  g_assert_cmpstr (address, ==, "frank@example.com");
  g_assert_cmpint (stamp_account_get_security (account), ==, STAMP_SECURITY_STARTTLS);
  g_assert_cmpint (stamp_account_get_tls_min (account), ==, STAMP_TLS_VERSION_1_2);
  g_assert_cmpint (stamp_account_get_auth_mechanism (account), ==, STAMP_AUTH_AUTO);
  g_assert_cmpuint (stamp_account_get_port (account), ==, 0);
  g_assert_cmpuint (stamp_account_get_effective_port (account), ==, 587);
  g_assert_null (stamp_account_get_host (account));
  g_assert_null (stamp_account_get_username (account));
  g_assert_null (stamp_account_get_ehlo_name (account));

  stamp_account_set_security (account, STAMP_SECURITY_TLS);
  g_assert_cmpuint (stamp_account_get_effective_port (account), ==, 465);

  stamp_account_set_port (account, 2525);
  g_assert_cmpuint (stamp_account_get_effective_port (account), ==, 2525);
}

static void
test_account_compare_address (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("Grace@Example.COM");
  g_autoptr(StampAccount) accented = stamp_account_new ("ÉLODIE@exämple.com");

  /* Stored as given, compared without regard to case. */
  g_assert_cmpstr (stamp_account_get_address (account), ==, "Grace@Example.COM");
  g_assert_cmpint (stamp_account_compare_address (account, "grace@example.com"), ==, 0);
  g_assert_cmpint (stamp_account_compare_address (account, "GRACE@EXAMPLE.COM"), ==, 0);
  g_assert_cmpint (stamp_account_compare_address (account, "grace@example.org"), <, 0);
  g_assert_cmpint (stamp_account_compare_address (account, "alice@example.com"), >, 0);
  g_assert_cmpint (stamp_account_compare_address (account, "grace.h@example.com"), !=, 0);
  g_assert_cmpint (stamp_account_compare_address (accented, "élodie@EXÄMPLE.com"), ==, 0);
}

/* The last test is optional: a file without it reads as never tested, and
 * one with it reads back the same. */
static void
test_account_last_test (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("heidi@example.com");
  g_autoptr(StampAccount) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  stamp_account_set_host (account, "smtp.example.com");
  g_assert_cmpint (stamp_account_get_last_test_at (account), ==, 0);
  g_assert_false (stamp_account_get_last_test_ok (account));
  g_assert_null (stamp_account_get_last_test_summary (account));

  /* One notification per property that changed. */
  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), &count);
  stamp_account_set_last_test (account, TRUE, 1773480600, "Accepted (250 2.0.0 OK)");
  g_assert_cmpuint (count, ==, 3);
  stamp_account_set_last_test (account, TRUE, 1773480600, "Accepted (250 2.0.0 OK)");
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (stamp_account_get_last_test_ok (account));
  g_assert_cmpint (stamp_account_get_last_test_at (account), ==, 1773480600);
  g_assert_cmpstr (stamp_account_get_last_test_summary (account), ==, "Accepted (250 2.0.0 OK)");

  copy = round_trip (account);
  assert_same_account (account, copy);
  g_clear_object (&copy);

  /* A time in another offset is the same moment. */
  node = parse_json ("{\"address\": \"heidi@example.com\", \"host\": \"smtp.example.com\","
                     " \"last_test\": {\"ok\": true, \"at\": \"2026-03-14T10:30:00+01:00\","
                     " \"summary\": null, \"attempts\": 2}}");
  copy = stamp_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (stamp_account_get_last_test_ok (copy));
  g_assert_cmpint (stamp_account_get_last_test_at (copy), ==, 1773480600);
  g_assert_null (stamp_account_get_last_test_summary (copy));
  g_clear_object (&copy);
  g_clear_pointer (&node, json_node_unref);

  /* Time 0 forgets the last test, and nothing of it is written. */
  stamp_account_set_last_test (account, TRUE, 0, "Accepted");
  g_assert_false (stamp_account_get_last_test_ok (account));
  g_assert_null (stamp_account_get_last_test_summary (account));
  node = stamp_account_to_json (account);
  g_assert_false (json_object_has_member (json_node_get_object (node), "last_test"));
  g_clear_pointer (&node, json_node_unref);

  /* A file without it, or with null, reads as never tested. */
  node = parse_json ("{\"address\": \"heidi@example.com\", \"host\": \"smtp.example.com\","
                     " \"last_test\": null}");
  copy = stamp_account_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_account_get_last_test_at (copy), ==, 0);
}

static gboolean
name_looks_secret (const char *name)
{
  static const char * const words[] = { "pass", "secret", "token", "key", "credential" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  /* The day a client secret expires is no secret; the secret stays in the
   * keyring. */
  if (g_str_equal (lower, "client-secret-expires") || g_str_equal (lower, "client_secret_expires"))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      if (strstr (lower, words[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
assert_no_secret_members (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_assert_false (name_looks_secret (name));
          assert_no_secret_members (member);
        }
    }
}

/* An account has nowhere to put a secret, so none can reach the file. */
static void
test_account_no_secret (void)
{
  g_autoptr(StampAccount) account = make_full_account ();
  g_autoptr(GTypeClass) klass = g_type_class_ref (STAMP_TYPE_ACCOUNT);
  g_autoptr(JsonNode) node = stamp_account_to_json (account);
  g_autofree GParamSpec **pspecs = NULL;
  g_autofree char *text = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 20);
  for (guint i = 0; i < n_pspecs; i++)
    g_assert_false (name_looks_secret (pspecs[i]->name));

  assert_no_secret_members (node);

  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, "password"));
  g_assert_null (strstr (text, "token"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/account/json/roundtrip", test_account_json_roundtrip);
  g_test_add_func ("/stamp/account/json/tls-min", test_account_json_tls_min);
  g_test_add_func ("/stamp/account/json/ehlo-name", test_account_json_ehlo_name);
  g_test_add_func ("/stamp/account/json/minimal", test_account_json_minimal);
  g_test_add_func ("/stamp/account/json/names", test_account_json_names);
  g_test_add_func ("/stamp/account/json/unknown-members", test_account_json_unknown_members);
  g_test_add_func ("/stamp/account/json/bad", test_account_json_bad);
  g_test_add_func ("/stamp/account/validate/bad", test_account_validate_bad);
  g_test_add_func ("/stamp/account/validate/good", test_account_validate_good);
  g_test_add_func ("/stamp/account/properties/notify", test_account_properties_notify);
  g_test_add_func ("/stamp/account/properties/defaults", test_account_properties_defaults);
  g_test_add_func ("/stamp/account/compare-address", test_account_compare_address);
  g_test_add_func ("/stamp/account/last-test", test_account_last_test);
  g_test_add_func ("/stamp/account/no-secret", test_account_no_secret);

  return g_test_run ();
}

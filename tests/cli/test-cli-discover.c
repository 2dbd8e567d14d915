/* test-cli-discover.c
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

/* stamp-cli discover, for domains the provider database knows (so no real
 * network is ever asked) and for input that is not an address. The
 * network sources are tested in tests/core/test-discovery.c. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-idp.h"

static void
test_text (void)
{
  const char * const args[] = { "alice@hotmail.com", NULL };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, NULL, "discover", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, "1. smtp-mail.outlook.com port 587, starttls"));
  g_assert_nonnull (strstr (result.out, "hotmail.com addresses are hosted by"));
}

static void
test_json (void)
{
  const char * const args[] = { "Alice+Tag@Gmail.COM", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *first;
  JsonArray *candidates;

  stamp_test_cli_run (&result, NULL, NULL, "discover", args);
  g_assert_cmpint (result.status, ==, 0);
  json_parser_load_from_data (parser, result.out, -1, &error);
  g_assert_no_error (error);

  candidates = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "candidates");
  g_assert_cmpuint (json_array_get_length (candidates), >, 0);
  first = json_array_get_object_element (candidates, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "host"), ==, "smtp.gmail.com");
  g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "provider");
  g_assert_cmpstr (json_object_get_string_member (first, "provider"), ==, "google");
}

/* A new user with no network: Microsoft's tenant domains are known by
 * their suffix. The tenant lookup points at the mock identity provider,
 * which must never be asked. */
static const struct
{
  const char *address;
  const char *first_line;
  const char *reason;
} tenant_domains[] = {
  { "it@contoso.onmicrosoft.com", "1. smtp.office365.com port 587, starttls",
    "contoso.onmicrosoft.com addresses are hosted by Microsoft 365 (Known provider)" },
  { "it@x.onmicrosoft.us", "1. smtp.office365.us port 587, starttls",
    "x.onmicrosoft.us addresses are hosted by Microsoft 365 GCC High and DoD" },
};

static void
test_tenant_domain (void)
{
  static const char * const no_args[] = { NULL };
  g_autoptr(StampTestIdp) idp = stamp_test_idp_startv (no_args);
  g_autoptr(GPtrArray) events = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tenant_domains); i++)
    {
      const char * const args[] = {
        tenant_domains[i].address, "--tenant-lookup-url", stamp_test_idp_get_authority (idp),
        NULL,
      };
      g_auto(StampCliRun) result = { NULL };

      stamp_test_cli_run (&result, NULL, NULL, "discover", args);
      g_assert_cmpint (result.status, ==, 0);
      g_assert_true (g_str_has_prefix (result.out, tenant_domains[i].first_line));
      g_assert_nonnull (strstr (result.out, tenant_domains[i].reason));
      g_assert_nonnull (strstr (result.out, "xoauth2"));
    }

  events = stamp_test_idp_get_events (idp, "openid-configuration");
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_tenant_url_invalid (void)
{
  const char * const args[] = {
    "it@contoso.onmicrosoft.com", "--tenant-lookup-url", "ftp://127.0.0.1/", NULL,
  };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, NULL, "discover", args);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "ftp://127.0.0.1/"));
}

static void
test_invalid (void)
{
  const char * const no_at[] = { "alice.example.com", NULL };
  const char * const none[] = { NULL };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, NULL, "discover", no_at);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "exactly one “@”"));
  stamp_test_cli_run_clear (&result);

  stamp_test_cli_run (&result, NULL, NULL, "discover", none);
  g_assert_cmpint (result.status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/discover/text", test_text);
  g_test_add_func ("/stamp/cli/discover/json", test_json);
  g_test_add_func ("/stamp/cli/discover/tenant-domain", test_tenant_domain);
  g_test_add_func ("/stamp/cli/discover/tenant-url-invalid", test_tenant_url_invalid);
  g_test_add_func ("/stamp/cli/discover/invalid", test_invalid);

  return g_test_run ();
}

/* test-cli-dns-check.c
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

/* stamp-cli dns-check for what needs no DNS: usage errors, domains that
 * are not domains and providers Stamp does not know, all refused before
 * any lookup. The checks themselves are tested in
 * tests/core/test-dns-check.c against a table resolver. */

#include "config.h"

#include <string.h>

#include "stamp-test-cli.h"

static void
test_help (void)
{
  const char * const args[] = { "--help", NULL };
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, NULL, "dns-check", args);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--provider"));
  /* The exit statuses are documented where scripts look for them. */
  g_assert_nonnull (strstr (result.out, "3 DNS could not be asked at all"));
}

typedef struct
{
  const char *name;
  const char *args[4];
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "no-domain", { NULL }, "Give exactly one domain" },
  { "two-domains", { "example.com", "example.net", NULL }, "Give exactly one domain" },
  { "unknown-option", { "example.com", "--fast", NULL }, "--fast" },
  { "provider-without-value", { "example.com", "--provider", NULL }, "--provider" },
  { "unknown-provider", { "example.com", "--provider", "no-such-provider", NULL },
    "“no-such-provider” is not a known provider" },
  { "not-a-domain", { "exa..mple.com", NULL }, "“exa..mple.com” is not a mail domain" },
  { "address", { "alice@example.com", NULL }, "is not a mail domain" },
  { "single-label", { "localhost", "--json", NULL }, "is not a mail domain" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *test = data;
  g_auto(StampCliRun) result = { NULL };

  stamp_test_cli_run (&result, NULL, NULL, "dns-check", test->args);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  if (strstr (result.err, test->message) == NULL)
    g_error ("“%s” does not contain “%s”", result.err, test->message);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/dns-check/help", test_help);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/cli/dns-check/usage/%s",
                                               usage_cases[i].name);

      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }

  return g_test_run ();
}

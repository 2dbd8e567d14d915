/* test-domain.c
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

#include <glib.h>

#include "stamp-domain.h"

static const struct
{
  const char *domain;
  const char *organizational;
} cases[] = {
  { "example.com", "example.com" },
  { "mail.sub.example.co.uk", "example.co.uk" },
  { "MX01.Mail.Hoster.COM.", "hoster.com" },
  { "smtp.example.com.au", "example.com.au" },
  /* Rules with a wildcard and an exception (*.kawasaki.jp, !city.kawasaki.jp). */
  { "a.b.kawasaki.jp", "a.b.kawasaki.jp" },
  { "www.city.kawasaki.jp", "city.kawasaki.jp" },
  /* An IDN, in its ASCII form. */
  { "mail.bücher.de", "xn--bcher-kva.de" },
  /* A top-level domain the list does not know is a suffix all the same. */
  { "mx.mail.hoster.test", "hoster.test" },
  /* Public suffixes have no organizational domain. */
  { "co.uk", NULL },
  { "com", NULL },
  { "", NULL },
  { ".", NULL },
};

static void
test_organizational (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *organizational = stamp_domain_dup_organizational (cases[i].domain);

      g_test_message ("domain: \"%s\"", cases[i].domain);
      g_assert_cmpstr (organizational, ==, cases[i].organizational);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/domain/organizational", test_organizational);

  return g_test_run ();
}

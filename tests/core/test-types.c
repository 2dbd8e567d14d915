/* test-types.c
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

/* StampSecurity's three forms: the stable name that files and the command
 * line use, the label a person reads, and the usual port. */

#include "config.h"

#include <glib.h>

#include "stamp-types.h"

typedef struct
{
  StampSecurity  security;
  const char    *name;
  const char    *label;
  guint16        port;
} SecurityCase;

static const SecurityCase security_cases[] = {
  { STAMP_SECURITY_STARTTLS, "starttls", "STARTTLS", 587 },
  { STAMP_SECURITY_TLS, "tls", "TLS", 465 },
  { STAMP_SECURITY_NONE, "none", "No encryption", 587 },
};

static void
test_security_forms (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (security_cases); i++)
    {
      const SecurityCase *c = &security_cases[i];
      StampSecurity parsed;

      g_assert_cmpstr (stamp_security_to_string (c->security), ==, c->name);
      g_assert_true (stamp_security_from_string (c->name, &parsed));
      g_assert_cmpint (parsed, ==, c->security);

      /* The tests run untranslated (LC_ALL=C.UTF-8). */
      g_assert_cmpstr (stamp_security_to_label (c->security), ==, c->label);
      g_assert_cmpuint (stamp_security_default_port (c->security), ==, c->port);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/types/security/forms", test_security_forms);

  return g_test_run ();
}

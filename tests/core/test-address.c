/* test-address.c
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

/* stamp_address_check(): what counts as an address Stamp can put in an
 * envelope, and the clear error for what does not. */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "stamp-error.h"
#include "stamp-address.h"

typedef struct
{
  const char *name;
  const char *address;
  gboolean    valid;
} AddressCase;

static const AddressCase address_cases[] = {
  { "plain", "user@example.com", TRUE },
  { "plus addressing", "a+tag@example.com", TRUE },
  { "upper case", "User.Name@Example.COM", TRUE },
  { "dots and dashes", "first.last@mail-1.example.co.uk", TRUE },
  { "IDN domain", "user@b\303\274cher.de", TRUE },
  { "UTF-8 local part", "j\303\274rgen@example.com", TRUE },
  { "all Chinese", "\347\224\250\346\210\267@\344\276\213\345\255\220.\345\271\277\345\221\212",
    TRUE },
  { "empty", "", FALSE },
  { "no @", "userexample.com", FALSE },
  { "two @", "user@host@example.com", FALSE },
  { "leading @", "@example.com", FALSE },
  { "trailing @", "user@", FALSE },
  { "only @", "@", FALSE },
  { "space in local part", "us er@example.com", FALSE },
  { "space in domain", "user@exa mple.com", FALSE },
  { "leading space", " user@example.com", FALSE },
  { "trailing space", "user@example.com ", FALSE },
  { "angle brackets", "<user@example.com>", FALSE },
  { "empty angle brackets", "<>", FALSE },
  { "with display name", "Jane <user@example.com>", FALSE },
  { "quotes", "\"user\"@example.com", FALSE },
  { "backslash", "us\\er@example.com", FALSE },
  { "comment", "user(comment)@example.com", FALSE },
  { "comma", "a@example.com,b@example.com", FALSE },
  { "semicolon", "a@example.com;b@example.com", FALSE },
  { "colon", "a:b@example.com", FALSE },
  { "domain literal brackets", "user@[192.0.2.1]", FALSE },
  { "tab", "user\t@example.com", FALSE },
  { "CRLF", "user@example.com\r\nRCPT TO:<victim@example.net>", FALSE },
  { "LF", "user@example.com\n", FALSE },
  { "control character", "user\001@example.com", FALSE },
  { "DEL", "user\177@example.com", FALSE },
  { "double dot in domain", "a@b..c", FALSE },
  { "domain starts with dot", "a@.b", FALSE },
  { "invalid UTF-8", "caf\351@example.com", FALSE },
  { "truncated UTF-8", "user@example.co\303", FALSE },
};

static void
test_address_check (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (address_cases); i++)
    {
      const AddressCase *c = &address_cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("case: %s", c->name);

      ok = stamp_address_check (c->address, &error);

      if (c->valid)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
          g_assert_false (ok);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }
}

/* RFC 1035 §2.3.4 via RFC 5321 §4.5.3.1.2: a domain has at most 253
 * characters in its text form. */
static void
test_address_check_lengths (void)
{
  g_autofree char *label = g_strnfill (63, 'a');
  g_autofree char *last_label = g_strnfill (61, 'b');
  g_autofree char *longest = NULL;
  g_autofree char *too_long = NULL;
  g_autoptr(GError) error = NULL;

  longest = g_strdup_printf ("user@%s.%s.%s.%s", label, label, label, last_label);
  g_assert_cmpuint (strlen (strchr (longest, '@') + 1), ==, 253);

  g_assert_true (stamp_address_check (longest, &error));
  g_assert_no_error (error);

  too_long = g_strconcat (longest, "b", NULL);
  g_assert_false (stamp_address_check (too_long, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_false (stamp_address_check (NULL, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/address/check", test_address_check);
  g_test_add_func ("/stamp/address/check-lengths", test_address_check_lengths);

  return g_test_run ();
}

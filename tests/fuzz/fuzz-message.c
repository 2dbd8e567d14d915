/* fuzz-message.c
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

/* Addresses, names and subjects come from people and account files. Any
 * of them must be refused cleanly or rendered into a message whose lines
 * end in CRLF and stay within 998 octets. Input: four NUL-separated fields,
 * from, to, subject and display name. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stamp-address.h"
#include "stamp-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
assert_wire_form (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gsize line = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n')
        {
          g_assert_true (i > 0 && data[i - 1] == '\r');
          line = 0;
          continue;
        }
      g_assert_cmpuint (++line, <=, 999);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_malloc0 (size + 4);
  const char *fields[4];
  g_autoptr(StampMessage) message = NULL;
  g_autoptr(GBytes) eight_bit = NULL;
  g_autoptr(GBytes) seven_bit = NULL;
  const char *p = text;

  memcpy (text, data, size);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      fields[i] = p;
      p += strlen (p) + (p < text + size ? 1 : 0);
    }

  stamp_address_check (fields[0], NULL);

  message = stamp_message_new (fields[0], fields[1], fields[2], "Text with a\n.dot line\n");
  stamp_message_set_from_name (message, fields[3]);

  eight_bit = stamp_message_render (message, TRUE, NULL);
  seven_bit = stamp_message_render (message, FALSE, NULL);

  if (eight_bit != NULL)
    assert_wire_form (eight_bit);
  if (seven_bit != NULL)
    assert_wire_form (seven_bit);

  return 0;
}

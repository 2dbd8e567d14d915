/* fuzz-autoconfig.c
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

/* Autoconfig files come from any web server a domain names: the parser must
 * refuse what is not a good file and give only sane settings for one. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stamp-autoconfig.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) found = NULL;

  found = stamp_autoconfig_parse ((const char *) data, size, "fuzz@example.com",
                                  STAMP_DISCOVERY_SOURCE_AUTOCONFIG, "example.com", NULL);

  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      StampCandidate *candidate = g_ptr_array_index (found, i);
      const char *host = stamp_candidate_get_host (candidate);

      g_assert_true (host != NULL && *host != '\0' && strlen (host) <= 253);
      g_assert_null (strpbrk (host, " /:@\r\n"));
      g_assert_cmpuint (stamp_candidate_get_port (candidate), >, 0);
    }

  return 0;
}

/* fuzz-sasl-challenge.c
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

/* The text of a 334 error challenge comes from the server: base64 of JSON
 * that we decode and describe. Both the raw text and its base64 form are
 * fed, so the JSON reader sees the fuzzed bytes too. */

#include "config.h"

#include <stdint.h>

#include "stamp-sasl.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
parse (const char *text)
{
  g_autoptr(StampSaslChallenge) challenge = stamp_sasl_challenge_parse (text, NULL);

  if (challenge != NULL)
    {
      g_autofree char *description = stamp_sasl_challenge_describe (challenge);

      g_assert_nonnull (challenge->status);
      g_assert_nonnull (description);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *encoded = g_base64_encode (data, size);

  parse (text);
  parse (encoded);

  return 0;
}

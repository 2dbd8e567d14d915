/* fuzz-oauth-response.c
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


/* A sign-in service's answers are bytes from the network: the token and
 * device responses and Microsoft's error bodies. Each input is read as a
 * success and as an error answer. */

#include "config.h"

#include <stdint.h>

#include "stamp-error.h"
#include "stamp-oauth-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const guint statuses[] = { 200, 400, 401, 500 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *oauth_error = NULL;
      g_autoptr(JsonObject) object = _stamp_oauth_parse_response ("Example", statuses[i],
                                                                  (const char *) data, size,
                                                                  &oauth_error, &error);

      g_assert_true ((object != NULL) != (error != NULL));
      if (error != NULL)
        {
          g_assert_true (error->domain == STAMP_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      else
        {
          g_autoptr(GError) token_error = NULL;
          g_autoptr(StampOAuthTokens) tokens = _stamp_oauth_tokens_new_from_json (object, 1000,
                                                                                 &token_error);

          g_assert_true ((tokens != NULL) != (token_error != NULL));
          if (tokens != NULL)
            g_assert_true (tokens->expires_at >= 1000);
        }
    }

  return 0;
}

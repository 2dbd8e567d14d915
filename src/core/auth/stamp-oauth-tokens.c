/* stamp-oauth-tokens.c
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


#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-oauth-private.h"
#include "stamp-oauth-tokens.h"
#include "stamp-util.h"

G_DEFINE_BOXED_TYPE (StampOAuthTokens, stamp_oauth_tokens,
                     stamp_oauth_tokens_copy, stamp_oauth_tokens_free)

/**
 * stamp_oauth_tokens_copy:
 * @tokens: a #StampOAuthTokens
 *
 * Returns: (transfer full): a copy of @tokens
 */
StampOAuthTokens *
stamp_oauth_tokens_copy (const StampOAuthTokens *tokens)
{
  StampOAuthTokens *copy = g_new0 (StampOAuthTokens, 1);

  copy->access_token = g_strdup (tokens->access_token);
  copy->refresh_token = g_strdup (tokens->refresh_token);
  copy->expires_at = tokens->expires_at;
  copy->scope = g_strdup (tokens->scope);

  return copy;
}

/**
 * stamp_oauth_tokens_free:
 * @tokens: (nullable): a #StampOAuthTokens
 *
 * Wipes and frees @tokens.
 */
void
stamp_oauth_tokens_free (StampOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;

  stamp_secret_free (tokens->access_token);
  stamp_secret_free (tokens->refresh_token);
  g_free (tokens->scope);
  g_free (tokens);
}

/**
 * stamp_oauth_tokens_is_fresh:
 * @tokens: a #StampOAuthTokens
 * @now: the time in Unix seconds
 *
 * Returns: %TRUE when the access token is good for at least
 *   %STAMP_OAUTH_REFRESH_MARGIN more seconds
 */
gboolean
stamp_oauth_tokens_is_fresh (const StampOAuthTokens *tokens,
                             gint64                  now)
{
  return tokens->access_token != NULL
         && tokens->expires_at - STAMP_OAUTH_REFRESH_MARGIN > now;
}

/* Reads a successful token response (RFC 6749 section 5.1). */
StampOAuthTokens *
_stamp_oauth_tokens_new_from_json (JsonObject  *object,
                                   gint64       now,
                                   GError     **error)
{
  g_autoptr(StampOAuthTokens) tokens = g_new0 (StampOAuthTokens, 1);
  const char *access_token = json_object_get_string_member_with_default (object, "access_token", NULL);
  const char *token_type = json_object_get_string_member_with_default (object, "token_type", "Bearer");
  JsonNode *expires_in = json_object_get_member (object, "expires_in");
  gint64 lifetime = 3600;

  if (access_token == NULL || *access_token == '\0'
      || strpbrk (access_token, " \t\r\n\001") != NULL
      || g_ascii_strcasecmp (token_type, "Bearer") != 0)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                           _("The sign-in service answered without a usable access token"));
      return NULL;
    }

  /* Microsoft sends expires_in as a number, some servers as a string; a
   * missing one gets the common hour. */
  if (expires_in != NULL && JSON_NODE_HOLDS_VALUE (expires_in))
    {
      if (json_node_get_value_type (expires_in) == G_TYPE_STRING)
        lifetime = g_ascii_strtoll (json_node_get_string (expires_in), NULL, 10);
      else if (json_node_get_value_type (expires_in) == G_TYPE_INT64)
        lifetime = json_node_get_int (expires_in);
    }
  lifetime = CLAMP (lifetime, 0, 366 * 24 * 3600);

  tokens->access_token = g_strdup (access_token);
  tokens->refresh_token = g_strdup (json_object_get_string_member_with_default (object, "refresh_token", NULL));
  tokens->scope = g_strdup (json_object_get_string_member_with_default (object, "scope", NULL));
  tokens->expires_at = now + lifetime;

  if (tokens->refresh_token != NULL
      && (*tokens->refresh_token == '\0' || strpbrk (tokens->refresh_token, "\r\n") != NULL))
    g_clear_pointer (&tokens->refresh_token, stamp_secret_free);

  return g_steal_pointer (&tokens);
}

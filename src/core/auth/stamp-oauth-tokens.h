/* stamp-oauth-tokens.h
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


#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * StampOAuthTokens:
 * @access_token: the bearer token to present to the SMTP server
 * @refresh_token: (nullable): the token that gets the next access token; a
 *   provider may hand out a new one on every refresh
 * @expires_at: when @access_token expires, in Unix time (seconds)
 * @scope: (nullable): the scopes the provider granted, space-separated
 *
 * What a sign-in or a refresh gives. Free with stamp_oauth_tokens_free(),
 * which wipes the tokens from memory.
 */
typedef struct
{
  char   *access_token;
  char   *refresh_token;
  gint64  expires_at;
  char   *scope;
} StampOAuthTokens;

/* How long before its expiry an access token is refreshed. */
#define STAMP_OAUTH_REFRESH_MARGIN (5 * 60)

#define STAMP_TYPE_OAUTH_TOKENS (stamp_oauth_tokens_get_type ())

GType             stamp_oauth_tokens_get_type      (void) G_GNUC_CONST;
StampOAuthTokens *stamp_oauth_tokens_copy          (const StampOAuthTokens *tokens);
void              stamp_oauth_tokens_free          (StampOAuthTokens       *tokens);
gboolean          stamp_oauth_tokens_is_fresh      (const StampOAuthTokens *tokens,
                                                    gint64                  now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampOAuthTokens, stamp_oauth_tokens_free)

G_END_DECLS

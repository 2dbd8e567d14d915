/* stamp-oauth-private.h
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

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "stamp-oauth-config.h"
#include "stamp-oauth-tokens.h"

G_BEGIN_DECLS

/* How long one request to a sign-in service may stall. */
#define STAMP_OAUTH_HTTP_TIMEOUT 30

SoupSession      *_stamp_oauth_session_new          (void);
StampOAuthTokens *_stamp_oauth_tokens_new_from_json (JsonObject           *object,
                                                     gint64                now,
                                                     GError              **error);
GError           *_stamp_oauth_error_from_response  (const char           *provider_name,
                                                     guint                 status,
                                                     JsonObject           *body,
                                                     char                **oauth_error);
JsonObject       *_stamp_oauth_parse_response       (const char           *provider_name,
                                                     guint                 status,
                                                     const char           *data,
                                                     gsize                 length,
                                                     char                **oauth_error,
                                                     GError              **error);
void              _stamp_oauth_post_async           (SoupSession          *session,
                                                     StampOAuthConfig     *config,
                                                     const char           *url,
                                                     GHashTable           *form,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
JsonObject       *_stamp_oauth_post_finish          (GAsyncResult         *result,
                                                     char                **oauth_error,
                                                     GError              **error);
void              _stamp_oauth_request_tokens_async (SoupSession          *session,
                                                     StampOAuthConfig     *config,
                                                     GHashTable           *form,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
StampOAuthTokens *_stamp_oauth_request_tokens_finish (GAsyncResult        *result,
                                                     char                **oauth_error,
                                                     GError              **error);

const char *_stamp_oauth_build_client_id (const char *registration);

G_END_DECLS

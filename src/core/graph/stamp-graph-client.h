/* stamp-graph-client.h
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

#include <gio/gio.h>

#include "stamp-message.h"
#include "stamp-smtp-result.h"

G_BEGIN_DECLS

/* Microsoft Graph's global address; national clouds come from providers.json. */
#define STAMP_GRAPH_DEFAULT_URL   "https://graph.microsoft.com/v1.0"
/* The delegated permission a Graph send needs. */
#define STAMP_GRAPH_MAIL_SEND     "https://graph.microsoft.com/Mail.Send"
/* Graph refuses request bodies over 4 MB; the MIME goes base64-encoded, so the
 * message itself may be at most 3 MB. */
#define STAMP_GRAPH_MAX_REQUEST   (4 * 1024 * 1024)
#define STAMP_GRAPH_MAX_MESSAGE   (STAMP_GRAPH_MAX_REQUEST / 4 * 3)

/* A client is used on the thread that made it, whose thread-default main
 * context runs its sends (its libsoup session belongs to that thread). */
#define STAMP_TYPE_GRAPH_CLIENT (stamp_graph_client_get_type ())

G_DECLARE_FINAL_TYPE (StampGraphClient, stamp_graph_client, STAMP, GRAPH_CLIENT, GObject)

/* @base_url: NULL for STAMP_GRAPH_DEFAULT_URL; https, or plain http only to a
 * loopback host (tests); anything else fails with STAMP_ERROR_INVALID_INPUT. */
StampGraphClient *stamp_graph_client_new              (const char        *base_url,
                                                       GError           **error);
gboolean          stamp_graph_url_validate            (const char        *base_url,
                                                       GError           **error);
const char       *stamp_graph_client_get_base_url     (StampGraphClient  *self);
void              stamp_graph_client_set_access_token (StampGraphClient  *self,
                                                       const char        *token);
/* Deadline of the whole request, in seconds (default 60). */
void              stamp_graph_client_set_timeout      (StampGraphClient  *self,
                                                       guint              seconds);
/* The longest Retry-After (429/503) the client waits out itself before one
 * more try (default 30; 0: never waits, fails at once). */
void              stamp_graph_client_set_max_wait     (StampGraphClient  *self,
                                                       guint              seconds);
/* The result of the run under way or the last one: steps (token, request,
 * accepted) and the redacted transcript; notify::result when a run begins. */
StampSmtpResult  *stamp_graph_client_get_result       (StampGraphClient  *self);
/* After a failed send: the seconds Graph asked to wait (429/503), else 0. */
guint             stamp_graph_client_get_retry_after  (StampGraphClient  *self);
/* After a failed send: the HTTP status (0: no answer). */
guint             stamp_graph_client_get_status       (StampGraphClient  *self);

/* POST {base}/me/sendMail, Content-Type: text/plain, the rendered message
 * base64-encoded. Success is 202 Accepted. Errors: STAMP_ERROR_GRAPH_REFUSED
 * (message names status and Graph's error code), STAMP_ERROR_MESSAGE_TOO_LARGE
 * (before sending), STAMP_ERROR_OAUTH_SIGN_IN_NEEDED (no token, or a token for
 * another service: not sent), STAMP_ERROR_BAD_REPLY (a status that is neither
 * 202 nor an error), STAMP_ERROR_TIMED_OUT, connection errors,
 * G_IO_ERROR_CANCELLED. Like the SMTP client's, the finish functions return
 * the run's result also when the send failed. */
void              stamp_graph_client_send_async       (StampGraphClient  *self,
                                                       StampMessage      *message,
                                                       GCancellable      *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer           user_data);
StampSmtpResult  *stamp_graph_client_send_finish      (StampGraphClient  *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);
/* The same for a message that exists as bytes (the relay's spool). */
void              stamp_graph_client_send_mime_async  (StampGraphClient  *self,
                                                       GBytes            *mime,
                                                       GCancellable      *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer           user_data);
StampSmtpResult  *stamp_graph_client_send_mime_finish (StampGraphClient  *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);

G_END_DECLS

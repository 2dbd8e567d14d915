/* stamp-graph-client-private.h
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

#include <libsoup/soup.h>

#include "stamp-graph-client.h"

G_BEGIN_DECLS

/*
 * StampGraphClient:
 *
 * Sends a message through Microsoft Graph: one POST to {base}/me/sendMail
 * with the message as base64 MIME and a bearer token for Mail.Send. Each
 * run fills a #StampSmtpResult on the caller's main context, the same
 * checklist and redacted transcript an SMTP send has, so the app and the
 * CLI show both alike. A client belongs to the thread that made it (its
 * libsoup session does); a caller on several threads makes one for each.
 */
struct _StampGraphClient
{
  GObject           parent_instance;

  /* Owned */
  char             *base_url;
  char             *token;
  SoupSession      *session;
  StampSmtpResult  *result;

  guint             timeout;
  guint             max_wait;
  guint             retry_after;
  guint             status;
  gboolean          busy;
};

/* Longest error answer read; Graph's are a few hundred bytes. */
#define STAMP_GRAPH_MAX_RESPONSE (64 * 1024)
/* Longest part of Graph's error text an error message quotes. */
#define STAMP_GRAPH_MAX_QUOTED 300

void      _stamp_graph_client_set_result  (StampGraphClient  *self,
                                           StampSmtpResult   *result);
void      _stamp_graph_client_run         (StampGraphClient  *self,
                                           GBytes            *mime,
                                           const GError      *render_error,
                                           GTask             *task);
char     *_stamp_graph_describe_headers   (GBytes            *mime);
char     *_stamp_graph_dup_token_audience (const char        *token);
gboolean  _stamp_graph_is_graph_audience  (const char        *audience);
GError   *_stamp_graph_error_from_answer  (guint              status,
                                           const char        *reason,
                                           const char        *content_type,
                                           GBytes            *body,
                                           const char        *token,
                                           char             **code_out);

G_END_DECLS

/* stamp-cli-send-private.h
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

#include "stamp-core.h"

G_BEGIN_DECLS

/* What the files of `stamp-cli send` share: stamp-cli-send.c parses the
 * options and sends through SMTP, stamp-cli-send-graph.c through
 * Microsoft Graph; both end in stamp_cli_send_conclude(). */

typedef struct
{
  const char       *from;
  const char       *to;
  const char       *graph_url;      /* sending through Microsoft Graph, else NULL */
  const char       *mailbox;        /* Graph one-off: --user, the token's mailbox, for advice */
  StampSmtpResult  *result;
  GError           *error;
  StampExplanation *explanation;
  GPtrArray        *preflight;      /* StampExplanation, advice before the send */
  GPtrArray        *watched;        /* objects whose signals reach this run */
  gboolean         show_transcript;
  gboolean         json;
} SendRun;

/* What `send --via graph` or a Graph account needs besides the run. */
typedef struct
{
  StampAccount *account;            /* nullable: a one-off send */
  const char   *token;              /* one-off: the access token from standard input */
  const char   *graph_url;          /* nullable: --graph-url */
  const char   *subject;
  const char   *body;               /* nullable: --body-file's text */
  const char   *report_path;
  int           timeout;
  int           max_wait;           /* one-off: -1 for the client's default */
} SendGraphOptions;

int  stamp_cli_send_conclude (SendRun                *run,
                              StampAccount           *account,
                              const char             *report_path);

/* stamp-cli-send-graph.c */
int  stamp_cli_send_graph    (SendRun                *run,
                              const SendGraphOptions *options);
void stamp_cli_send_unwatch  (SendRun                *run);

G_END_DECLS

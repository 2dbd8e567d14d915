/* stamp-smtp-client-private.h
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

#include "stamp-smtp-client.h"
#include "stamp-tls-session.h"

G_BEGIN_DECLS

/* What the worker thread tells the caller's main context. */
typedef enum
{
  SEND_EVENT_STEP_BEGIN,
  SEND_EVENT_STEP_END,
  SEND_EVENT_LINE,
  SEND_EVENT_TLS,
  SEND_EVENT_AUTH,
  SEND_EVENT_FAILURE,
  SEND_EVENT_DONE,
} SendEventType;

typedef struct
{
  StampSmtpClient          *client;
  SendEventType             type;
  StampSmtpStepKind         kind;
  StampStepState            state;
  StampTranscriptDirection  direction;
  StampAuthMechanism        mechanism;
  gint64                    time;
  guint                     round_trips;
  char                     *text;
  char                     *tls_version;
  char                     *tls_cipher;
  GStrv                     certificates;
  StampSmtpReply           *reply;
} SendEvent;

/* One send, owned by its GTask. The settings are copied when the send
 * starts, so the worker never reads the client object; everything it learns
 * goes back as a SendEvent. */
typedef struct
{
  /* Settings, fixed for the run */
  StampSmtpClient    *client;
  GMainContext       *context;
  char               *host;
  guint16             port;
  StampSecurity       security;
  StampAuthMechanism  auth;
  char               *username;
  char               *secret;
  gboolean            secret_is_token;
  char               *ca_file;
  StampTlsVersion     tls_min;
  guint               connect_timeout;
  guint               reply_timeout;
  char               *ehlo_name;
  StampMessage       *message;

  /* Worker state */
  gint64              start_time;
  gint64              step_start[STAMP_SMTP_STEP_ACCEPTED + 1];
  GSocket            *socket;
  StampTlsSession    *tls;
  GByteArray         *input;
  GHashTable         *capabilities;
  GPtrArray          *hidden;
  guint               round_trips;
  gboolean            wrote_since_read;
  /* AUTH PLAIN with its initial response, to open the transaction's group */
  char               *pipelined_auth;
  char               *pipelined_auth_shown;
  gboolean            in_sync;
} SendState;

void _stamp_smtp_client_run          (GTask        *task,
                                      gpointer      source_object,
                                      gpointer      task_data,
                                      GCancellable *cancellable);
void _stamp_smtp_client_post         (SendState    *state,
                                      SendEvent    *event);
void _stamp_send_state_free          (SendState    *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendState, _stamp_send_state_free)

G_END_DECLS

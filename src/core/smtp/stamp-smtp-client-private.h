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
#include "stamp-smtp-line.h"
#include "stamp-tls-session.h"

G_BEGIN_DECLS

/*
 * StampSmtpClient:
 *
 * Sends a message through an SMTP submission server and shows every step
 * on the way. The settings are properties; the secret (a password or an
 * OAuth token) is set apart and never readable back. While a send runs in
 * a worker thread, the steps and the redacted transcript grow on the
 * caller's main context as list models a view can bind; when it ends, the
 * failed step and the server's reply tell what went wrong.
 */
struct _StampSmtpClient
{
  GObject parent_instance;

  /* Owned: settings */
  char               *host;
  char               *username;
  char               *secret;
  char               *ca_file;
  char               *ehlo_name;

  /* Owned: the last send */
  GListStore         *steps;
  StampTranscript    *transcript;
  StampSmtpStep      *failed_step;
  StampSmtpReply     *failure_reply;
  char               *tls_version;
  char               *tls_cipher;
  GStrv               tls_certificates;

  StampSecurity       security;
  StampAuthMechanism  auth_mechanism;
  StampAuthMechanism  used_mechanism;
  StampTlsVersion     tls_min_version;
  guint16             port;
  guint               connect_timeout;
  guint               reply_timeout;
  guint               round_trips;
  gint64              elapsed;
  gboolean            secret_is_token;
  gboolean            busy;
};

/* Property ids, shared with stamp-smtp-client-send.c for notifications */
enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_AUTH_MECHANISM,
  PROP_USERNAME,
  PROP_CA_FILE,
  PROP_TLS_MIN_VERSION,
  PROP_CONNECT_TIMEOUT,
  PROP_REPLY_TIMEOUT,
  PROP_EHLO_NAME,
  PROP_BUSY,
  PROP_TLS_VERSION,
  PROP_FAILED_STEP,
  N_PROPS
};

void _stamp_smtp_client_notify        (StampSmtpClient *self,
                                       guint            prop_id);
void _stamp_smtp_client_step_finished (StampSmtpClient *self,
                                       StampSmtpStep   *step);

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
  StampSmtpLine      *line;
  gboolean            cipher_known;   /* False Start: not before TLS reads */
  GHashTable         *capabilities;
  GPtrArray          *hidden;
  /* AUTH PLAIN with its initial response, to open the transaction's group */
  char               *pipelined_auth;
  char               *pipelined_auth_shown;
  gboolean            in_sync;
} SendState;

/* QUIT is a courtesy once the result is known: wait for 221 only briefly. */
#define STAMP_SMTP_QUIT_TIMEOUT 2

/* One command of an exchange, and the reply that completes its step. */
typedef struct
{
  StampSmtpStepKind  kind;
  /* The reply code that ends the step well; 0 takes any, for the caller */
  int                expected;
  const char        *wire;
  const char        *shown;
  GBytes            *payload;
  gboolean           is_quit;
  /* Part of a step the caller begins and ends itself (AUTH) */
  gboolean           quiet;
} SendCommand;

gint64          _stamp_send_elapsed         (SendState                 *state);
void            _stamp_send_remember_hidden (SendState                 *state,
                                             const char                *secret);
void            _stamp_send_post_line       (SendState                 *state,
                                             StampTranscriptDirection   direction,
                                             const char                *text);
void            _stamp_send_step_begin      (SendState                 *state,
                                             StampSmtpStepKind          kind);
void            _stamp_send_step_end        (SendState                 *state,
                                             StampSmtpStepKind          kind,
                                             StampStepState             step_state,
                                             const char                *detail);
void            _stamp_send_step_succeed    (SendState                 *state,
                                             StampSmtpStepKind          kind,
                                             StampSmtpReply            *reply);
gboolean        _stamp_send_fail            (SendState                 *state,
                                             StampSmtpStepKind          kind,
                                             StampSmtpReply            *reply,
                                             GError                    *local_error,
                                             GError                   **error);
gboolean        _stamp_send_fail_with_reply (SendState                 *state,
                                             StampSmtpStepKind          kind,
                                             StampSmtpReply            *reply,
                                             GError                   **error);
gboolean        _stamp_send_exchange        (SendState                 *state,
                                             SendCommand               *commands,
                                             guint                      n_commands,
                                             gboolean                   pipelined,
                                             StampSmtpReply           **last_reply,
                                             GCancellable              *cancellable,
                                             GError                   **error);
GList          *_stamp_send_resolve         (SendState                 *state,
                                             GCancellable              *cancellable,
                                             GError                   **error);
StampSmtpLine  *_stamp_send_connect         (SendState                 *state,
                                             GList                     *addresses,
                                             GCancellable              *cancellable,
                                             GError                   **error);

void _stamp_smtp_client_run          (GTask        *task,
                                      gpointer      source_object,
                                      gpointer      task_data,
                                      GCancellable *cancellable);
void _stamp_smtp_client_post         (SendState    *state,
                                      SendEvent    *event);
void _stamp_send_state_free          (SendState    *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendState, _stamp_send_state_free)

G_END_DECLS

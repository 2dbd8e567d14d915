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
#include "stamp-smtp-result.h"
#include "stamp-smtp-settings.h"
#include "stamp-tls-session.h"

G_BEGIN_DECLS

/*
 * StampSmtpClient:
 *
 * Sends a message through an SMTP submission server and shows every step
 * on the way. It holds one #StampSmtpSettings and, set apart and never
 * readable back, the secret (a password or an OAuth token). Each send runs
 * a session in a worker thread; the session's events come back to the
 * caller's main context, where they fill the run's #StampSmtpResult: steps
 * and the redacted transcript as list models a view can bind, and in the
 * end the reply or the failure.
 */
struct _StampSmtpClient
{
  GObject parent_instance;

  /* Owned */
  StampSmtpSettings  *settings;
  char               *secret;
  StampSmtpResult    *result;

  gboolean            secret_is_token;
  gboolean            busy;
};

void _stamp_smtp_client_set_result    (StampSmtpClient *self,
                                       StampSmtpResult *result);
void _stamp_smtp_client_step_finished (StampSmtpClient *self,
                                       StampSmtpStep   *step);

/* What the session tells whoever runs it. */
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

void _stamp_send_event_free (SendEvent *event);

/* Called in the session's thread; takes @event. */
typedef void (*SendEventFunc) (SendEvent *event,
                               gpointer   user_data);

/* One session: a blocking protocol run on a worker thread, from connect to
 * QUIT, that knows nothing of the client or of any main context. It runs
 * with its own copy of the settings and reports everything it learns
 * through its event function. */
typedef struct
{
  /* Fixed for the run */
  StampSmtpSettings  *settings;
  char               *username;   /* the settings' one, or the sender */
  char               *secret;
  gboolean            secret_is_token;
  StampMessage       *message;
  SendEventFunc       event_func;
  gpointer            event_data;
  GDestroyNotify      event_data_free;

  /* From the settings, as the wire helpers of stamp-smtp-client-io.c
   * read them */
  char               *host;
  guint16             port;
  guint               connect_timeout;
  guint               reply_timeout;

  /* Worker state */
  gint64              start_time;
  gint64              step_start[STAMP_SMTP_STEP_ACCEPTED + 1];
  StampSmtpLine      *line;
  gboolean            cipher_known;   /* False Start: not before TLS reads */
  GHashTable         *capabilities;
  gboolean            auth_offered_in_plain; /* before STARTTLS */
  GPtrArray          *hidden;
  /* AUTH with its initial response, to open the transaction's group */
  char               *pipelined_auth;
  char               *pipelined_auth_shown;
  StampAuthMechanism  mechanism;
  gsize               auth_line_octets;  /* of the AUTH line with the response */
  /* A refused pipelined AUTH, and the reply to the command after it, for
   * run_transaction() to judge */
  StampSmtpReply     *refused_auth;
  StampSmtpReply     *after_refused_auth;
  /* The server refused the long AUTH line: send the response after 334,
   * on this connection or, once QUIT went with the group, a new one */
  gboolean            split_auth;
  gboolean            retry_auth;
  gboolean            quit_sent;
  guint               earlier_round_trips;
  gboolean            in_sync;
  /* A delivery signs in on its own, before any transaction */
  gboolean            auth_alone;
  /* Called just before the end of the message goes (the relay's marker
   * that it may have been delivered); FALSE stops before it */
  gboolean          (*before_final_dot) (gpointer   data,
                                         GError   **error);
  gpointer            before_final_dot_data;
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
  /* (nullable): where the reply goes, for the caller to judge */
  StampSmtpReply   **reply_out;
} SendCommand;

/* One transaction: what MAIL, RCPT and the message carry. */
typedef struct
{
  const char         *from;
  const char * const *recipients;
  GBytes             *payload;      /* CRLF lines, not dot-stuffed */
  gboolean            body_8bit;
  gboolean            smtputf8;
  /* QUIT goes with the end of the message (and BDAT may be used) */
  gboolean            quit_after;
  /* (nullable): when set, a refused recipient does not end the
   * transaction; it gets each RCPT's reply, in order */
  GPtrArray          *rcpt_replies;
} SendEnvelope;

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
StampSmtpReply *_stamp_send_hide_secrets_in_reply (SendState           *state,
                                                   StampSmtpReply      *reply);
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
const char     *_stamp_send_capability      (SendState                 *state,
                                             const char                *keyword);
gboolean        _stamp_send_run_auth        (SendState                 *state,
                                             GCancellable              *cancellable,
                                             GError                   **error);
gboolean        _stamp_send_judge_pipelined_auth (SendState            *state,
                                                  GError              **error);
GList          *_stamp_send_resolve         (SendState                 *state,
                                             GCancellable              *cancellable,
                                             GError                   **error);
StampSmtpLine  *_stamp_send_connect         (SendState                 *state,
                                             GList                     *addresses,
                                             GCancellable              *cancellable,
                                             GError                   **error);
gboolean        _stamp_send_fail_before_mail (SendState                *state,
                                              int                       code,
                                              const char               *message,
                                              GError                  **error);
gboolean        _stamp_send_open            (SendState                 *state,
                                             GCancellable              *cancellable,
                                             GError                   **error);
gboolean        _stamp_send_transaction     (SendState                 *state,
                                             const SendEnvelope        *envelope,
                                             StampSmtpReply           **accepted,
                                             GCancellable              *cancellable,
                                             GError                   **error);
void            _stamp_send_quit_quietly    (SendState                 *state,
                                             GCancellable              *cancellable);

SendState *_stamp_send_state_new  (const StampSmtpSettings  *settings,
                                   const char               *secret,
                                   gboolean                  secret_is_token,
                                   StampMessage             *message,
                                   SendEventFunc             event_func,
                                   gpointer                  event_data,
                                   GDestroyNotify            event_data_free);
gboolean   _stamp_send_run        (SendState                *state,
                                   StampSmtpReply          **accepted,
                                   GCancellable             *cancellable,
                                   GError                  **error);
void       _stamp_smtp_client_post (SendState               *state,
                                   SendEvent                *event);
void       _stamp_send_state_free (SendState                *state);

StampSmtpResult *_stamp_smtp_result_new    (const StampSmtpSettings *settings);
StampSmtpStep   *_stamp_smtp_result_apply  (StampSmtpResult         *self,
                                            SendEvent               *event);
void             _stamp_smtp_result_finish (StampSmtpResult         *self,
                                            StampSmtpReply          *reply,
                                            const GError            *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendState, _stamp_send_state_free)

G_END_DECLS

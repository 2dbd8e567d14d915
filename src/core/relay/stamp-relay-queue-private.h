/* stamp-relay-queue-private.h
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

#include "stamp-diagnosis.h"
#include "stamp-relay-queue.h"
#include "stamp-smtp-delivery.h"

G_BEGIN_DECLS

/* Shared by stamp-relay-queue.c (scheduling, on the main context) and
 * stamp-relay-queue-session.c (one upstream session, in a worker
 * thread). */

/* One account's share of the queue. Fields under "lock" are shared with
 * the sessions and guarded by the queue's lock; the others belong to the
 * main context. */
typedef struct
{
  char              *address;

  /* lock */
  GQueue             pending;      /* StampRelayEntry, claimed for this account */
  GCond              cond;         /* pending, the pace or stopping changed */
  guint              sessions;     /* running upstream sessions */
  guint              idle;         /* sessions waiting for a message */
  gint64             next_start;   /* monotonic µs: the pace's next slot */
  gint64             interval;     /* µs between message starts; 0 = unpaced */
  guint              max_sessions;

  /* main context */
  StampSmtpSettings *settings;
  char              *secret;
  gboolean           have_secret;
  gboolean           fetching;
  gboolean           is_token;
  gboolean           refreshed;    /* a forced refresh since the last good sign-in */
  gboolean           stopped;
  gboolean           reported_stopped;
  gboolean           graph;        /* the account sends through Microsoft Graph */
  char              *graph_url;
  GSource           *recheck;
  GSource           *more;
} Lane;

struct _StampRelayQueue
{
  GObject            parent_instance;

  /* Owned */
  StampRelaySpool   *spool;
  StampAccountStore *accounts;
  StampCredentials  *credentials;
  StampDiagnosis    *diagnosis;
  GMainContext      *context;
  GCancellable      *cancellable;
  GHashTable        *lanes;        /* address → Lane */
  GHashTable        *in_flight;    /* id → account address */
  GSource           *wake;
  GMutex             lock;

  guint              max_per_minute;
  guint              max_connections;
  guint              first_retry;
  guint              account_check;
  guint              idle_timeout;
  gboolean           running;
  gint               kick_pending;  /* atomic */
  guint              sessions;      /* all lanes, main context */
};

/* Signals */
enum
{
  SIGNAL_DELIVERED,
  SIGNAL_DEFERRED,
  SIGNAL_HELD,
  SIGNAL_ACCOUNT_STOPPED,
  N_QUEUE_SIGNALS
};

/* What a session hands back to the main context for one message. */
typedef struct
{
  StampRelayQueue *queue;
  guint            signal;       /* N_QUEUE_SIGNALS: none, only release */
  StampRelayEntry *entry;
  char            *text;
  gboolean         release;
} QueueReport;

void   _stamp_relay_queue_report        (StampRelayQueue       *self,
                                         guint                  signal,
                                         const StampRelayEntry *entry,
                                         const char            *text,
                                         gboolean               release);
char  *_stamp_relay_queue_explain       (StampRelayQueue       *self,
                                         const GError          *error,
                                         StampSmtpReply        *reply);
void   _stamp_relay_queue_defer_entry   (StampRelayQueue       *self,
                                         const StampRelayEntry *entry,
                                         const char            *explanation,
                                         gboolean               release);
/* The same after @seconds (Retry-After) rather than the backoff's wait. */
void   _stamp_relay_queue_defer_entry_after (StampRelayQueue   *self,
                                             const StampRelayEntry *entry,
                                             const char        *explanation,
                                             guint              seconds,
                                             gboolean           release);
void   _stamp_relay_queue_hold_entry    (StampRelayQueue       *self,
                                         const StampRelayEntry *entry,
                                         const char            *explanation,
                                         gboolean               release);
void   _stamp_relay_queue_schedule_more (StampRelayQueue       *self,
                                         Lane                  *lane,
                                         gint64                 at);

void   _stamp_relay_queue_emit_stopped  (StampRelayQueue       *self,
                                         const char            *address,
                                         const char            *explanation);
void   _stamp_relay_queue_scan          (StampRelayQueue       *self);

/* stamp-relay-queue-lane.c, on the main context */
void   _stamp_relay_clear_source        (GSource              **source);
void   _stamp_relay_lane_free           (Lane                  *lane);
Lane  *_stamp_relay_queue_lookup_lane   (StampRelayQueue       *self,
                                         const char            *address);
void   _stamp_relay_queue_release_pending (StampRelayQueue     *self,
                                           Lane                *lane);
void   _stamp_relay_queue_ensure_session (StampRelayQueue      *self,
                                          Lane                 *lane);

/* One upstream session: made on the main context, run in a worker
 * thread, its outcome read back on the main context. */
typedef struct
{
  StampRelayQueue   *queue;
  Lane              *lane;
  StampSmtpSettings *settings;
  char              *secret;
  gboolean           is_token;
  gboolean           graph;
  char              *graph_url;
  GCancellable      *cancellable;

  /* Outcome */
  gboolean           opened;
  GError            *open_error;
  StampSmtpReply    *open_reply;
  guint              graph_status;  /* Graph's refusal that ended the session */
} Session;

void   _stamp_relay_queue_session_free  (Session               *session);

void   _stamp_relay_queue_session_opened (StampRelayQueue      *self,
                                          Lane                 *lane);

/* stamp-relay-queue-session.c: blocks, in a worker thread. */
void   _stamp_relay_queue_run_session   (Session               *session);
StampRelayEntry *_stamp_relay_queue_take_next (Session         *session);

/* stamp-relay-queue-graph.c: the same through Microsoft Graph. */
void   _stamp_relay_queue_run_graph_session (Session           *session);

/* stamp-relay-graph-mime.c */
GBytes *_stamp_relay_graph_prepare_mime (GBytes             *mime,
                                         const char * const *recipients,
                                         char              **unlisted);

G_END_DECLS

/* stamp-relay-queue.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-account-send.h"
#include "stamp-error.h"
#include "stamp-provider-db.h"
#include "stamp-relay-queue-private.h"
#include "stamp-util.h"

/**
 * StampRelayQueue:
 *
 * Delivers what the relay's spool holds, each message through its account
 * with the account's saved settings and the sign-in the test send uses
 * (stamp_account_lookup_secret_async(): a token, refreshed once when the
 * server refuses it, or the password).
 *
 * Per account, messages start at most N a minute, evenly spaced (the
 * provider database's messages_per_minute), over at most three upstream
 * sessions at once; a session carries message after message with RSET
 * between and closes after a few idle seconds. Each session is a worker
 * thread (stamp-relay-queue-session.c); scheduling, the secrets and the
 * signals stay on the main context the queue was made in, which never
 * blocks.
 *
 * A temporary failure defers the message with a backoff that doubles up
 * to an hour, and holds it after five days; a permanent one holds it with
 * the explanation. A sign-in that fails for good stops the account: its
 * messages wait in the queue, and the account is looked at again every
 * few minutes.
 */

#define MAX_RETRY_SECONDS 3600
#define GIVE_UP_SECONDS   (5 * 24 * 3600)

static guint signals[N_QUEUE_SIGNALS];

G_DEFINE_FINAL_TYPE (StampRelayQueue, stamp_relay_queue, G_TYPE_OBJECT)

static void scan (StampRelayQueue *self);
static void fetch_secret (StampRelayQueue *self,
                          Lane            *lane,
                          gboolean         force_refresh);

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
lane_free (Lane *lane)
{
  g_free (lane->address);
  g_queue_clear_full (&lane->pending, (GDestroyNotify) stamp_relay_entry_free);
  g_cond_clear (&lane->cond);
  g_clear_pointer (&lane->settings, stamp_smtp_settings_free);
  stamp_clear_secret (&lane->secret);
  clear_source (&lane->recheck);
  clear_source (&lane->more);
  g_free (lane);
}

/* Reports */

static void
report_free (QueueReport *report)
{
  g_object_unref (report->queue);
  stamp_relay_entry_free (report->entry);
  g_free (report->text);
  g_free (report);
}

static gboolean
report_cb (gpointer user_data)
{
  QueueReport *report = user_data;
  StampRelayQueue *self = report->queue;

  if (report->signal < N_QUEUE_SIGNALS)
    g_signal_emit (self, signals[report->signal], 0, report->entry, report->text);
  /* Released, it may be due again (or its retry needs a wake-up). */
  if (report->release && g_hash_table_remove (self->in_flight, report->entry->id))
    stamp_relay_queue_kick (self);
  return G_SOURCE_REMOVE;
}

/*
 * _stamp_relay_queue_report:
 *
 * Emits @signal for @entry on the queue's main context (N_QUEUE_SIGNALS
 * for none) and, with @release, lets the next scan take the entry again.
 * Any thread; from a worker the report waits for the main context.
 */
void
_stamp_relay_queue_report (StampRelayQueue       *self,
                           guint                  signal,
                           const StampRelayEntry *entry,
                           const char            *text,
                           gboolean               release)
{
  QueueReport *report = g_new0 (QueueReport, 1);
  GSource *source = g_idle_source_new ();

  report->queue = g_object_ref (self);
  report->signal = signal;
  report->entry = stamp_relay_entry_copy (entry);
  report->text = g_strdup (text);
  report->release = release;

  /* Always through the context, in order, even from its own thread. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, report_cb, report, (GDestroyNotify) report_free);
  g_source_set_static_name (source, "[stamp] relay report");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/**
 * _stamp_relay_queue_explain:
 *
 * Returns: (transfer full): @error in plain words, with the diagnosis's
 *   title when it knows the failure. Any thread.
 */
char *
_stamp_relay_queue_explain (StampRelayQueue *self,
                            const GError    *error,
                            StampSmtpReply  *reply)
{
  g_autoptr(StampExplanation) explanation = NULL;

  if (error->domain == STAMP_ERROR)
    explanation = stamp_diagnosis_explain_failure (self->diagnosis, error, reply, NULL);
  if (explanation != NULL && stamp_explanation_get_title (explanation) != NULL)
    return g_strdup_printf ("%s. %s", stamp_explanation_get_title (explanation), error->message);
  return g_strdup (error->message);
}

static gint64
backoff_seconds (StampRelayQueue       *self,
                 const StampRelayEntry *entry)
{
  guint64 seconds = MAX (self->first_retry, 1);

  for (guint i = 0; i < entry->attempts && seconds < MAX_RETRY_SECONDS; i++)
    seconds *= 2;
  return MIN (seconds, MAX_RETRY_SECONDS);
}

/* A temporary failure: try again later, unless it has waited for days. */
void
_stamp_relay_queue_defer_entry (StampRelayQueue       *self,
                                const StampRelayEntry *entry,
                                const char            *explanation,
                                gboolean               release)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 next;

  if (entry->received_at > 0 && now - entry->received_at > (gint64) GIVE_UP_SECONDS * G_USEC_PER_SEC)
    {
      g_autofree char *given_up =
        g_strdup_printf (_("The message could not be delivered for five days and was set "
                           "aside. The last problem: %s"), explanation);

      _stamp_relay_queue_hold_entry (self, entry, given_up, release);
      return;
    }

  next = now + backoff_seconds (self, entry) * G_USEC_PER_SEC;
  if (!stamp_relay_spool_defer (self->spool, entry, next, explanation, &error))
    g_message ("Relay message %s could not be deferred: %s", entry->id, error->message);
  _stamp_relay_queue_report (self, SIGNAL_DEFERRED, entry, explanation, release);
}

void
_stamp_relay_queue_hold_entry (StampRelayQueue       *self,
                               const StampRelayEntry *entry,
                               const char            *explanation,
                               gboolean               release)
{
  g_autoptr(GError) error = NULL;

  if (!stamp_relay_spool_hold (self->spool, entry, explanation, &error))
    g_message ("Relay message %s could not be held: %s", entry->id, error->message);
  _stamp_relay_queue_report (self, SIGNAL_HELD, entry, explanation, release);
}

/* Lanes */

static guint
messages_per_minute (StampRelayQueue *self,
                     StampAccount    *account)
{
  StampProvider *provider = NULL;
  gint64 limit;

  if (self->max_per_minute != 0)
    return self->max_per_minute;
  if (account != NULL && stamp_account_get_provider_id (account) != NULL)
    provider = stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                            stamp_account_get_provider_id (account));
  limit = provider != NULL ? stamp_provider_get_limit (provider, "messages_per_minute") : -1;
  return limit > 0 ? (guint) limit : STAMP_RELAY_QUEUE_UNPACED;
}

static Lane *
lookup_lane (StampRelayQueue *self,
             const char      *address)
{
  Lane *lane = g_hash_table_lookup (self->lanes, address);

  if (lane == NULL)
    {
      lane = g_new0 (Lane, 1);
      lane->address = g_strdup (address);
      g_queue_init (&lane->pending);
      g_cond_init (&lane->cond);
      g_hash_table_insert (self->lanes, lane->address, lane);
    }
  return lane;
}

/* Gives the lane's claimed messages back to the spool as they are. */
static GList *
take_pending (StampRelayQueue *self,
              Lane            *lane)
{
  GList *entries;

  g_mutex_lock (&self->lock);
  entries = lane->pending.head;
  g_queue_init (&lane->pending);
  g_mutex_unlock (&self->lock);
  return entries;
}

static void
release_pending (StampRelayQueue *self,
                 Lane            *lane)
{
  GList *entries = take_pending (self, lane);

  for (GList *l = entries; l != NULL; l = l->next)
    g_hash_table_remove (self->in_flight, ((StampRelayEntry *) l->data)->id);
  g_list_free_full (entries, (GDestroyNotify) stamp_relay_entry_free);
}

static void
defer_pending (StampRelayQueue *self,
               Lane            *lane,
               const char      *explanation)
{
  GList *entries = take_pending (self, lane);

  g_debug ("Deferring %u messages for %s: %s", g_list_length (entries), lane->address,
           explanation);
  for (GList *l = entries; l != NULL; l = l->next)
    _stamp_relay_queue_defer_entry (self, l->data, explanation, TRUE);
  g_list_free_full (entries, (GDestroyNotify) stamp_relay_entry_free);
}

static gboolean
recheck_cb (gpointer user_data)
{
  StampRelayQueue *self = user_data;
  GHashTableIter iter;
  Lane *lane;

  g_hash_table_iter_init (&iter, self->lanes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
    {
      /* Only this lane's timer is due; others keep theirs. */
      if (lane->recheck == NULL || lane->recheck != g_main_current_source ())
        continue;
      g_clear_pointer (&lane->recheck, g_source_unref);
      lane->stopped = FALSE;
      lane->have_secret = FALSE;
      lane->refreshed = FALSE;
    }
  scan (self);
  return G_SOURCE_REMOVE;
}

/* A sign-in that cannot work until a person acts: the messages wait. */
static void
stop_lane (StampRelayQueue *self,
           Lane            *lane,
           const char      *explanation)
{
  GSource *source;

  lane->stopped = TRUE;
  lane->have_secret = FALSE;
  release_pending (self, lane);
  stamp_relay_spool_set_account_state (self->spool, lane->address, TRUE, explanation);
  if (!lane->reported_stopped)
    {
      lane->reported_stopped = TRUE;
      g_signal_emit (self, signals[SIGNAL_ACCOUNT_STOPPED], 0, lane->address, explanation);
    }

  clear_source (&lane->recheck);
  source = g_timeout_source_new_seconds (MAX (self->account_check, 1));
  g_source_set_callback (source, recheck_cb, self, NULL);
  g_source_set_static_name (source, "[stamp] relay account check");
  g_source_attach (source, self->context);
  lane->recheck = source;
}

/* Whether a failed sign-in or connection needs a person (stop the
 * account) rather than time (defer the messages). */
static gboolean
needs_person (const GError   *error,
              StampSmtpReply *reply)
{
  if (reply != NULL)
    return stamp_smtp_reply_is_permanent (reply);
  if (error->domain != STAMP_ERROR)
    return FALSE;
  switch (error->code)
    {
    case STAMP_ERROR_HOST_NOT_FOUND:
    case STAMP_ERROR_CONNECTION_REFUSED:
    case STAMP_ERROR_NETWORK_UNREACHABLE:
    case STAMP_ERROR_TIMED_OUT:
    case STAMP_ERROR_CONNECTION_CLOSED:
    case STAMP_ERROR_THROTTLED:
    case STAMP_ERROR_SERVER_UNAVAILABLE:
    case STAMP_ERROR_OAUTH_FAILED:
      return FALSE;
    default:
      return TRUE;
    }
}

/* Sessions */

void
_stamp_relay_queue_session_free (Session *session)
{
  g_object_unref (session->queue);
  g_clear_pointer (&session->settings, stamp_smtp_settings_free);
  stamp_clear_secret (&session->secret);
  g_clear_object (&session->cancellable);
  g_clear_error (&session->open_error);
  g_clear_object (&session->open_reply);
  g_free (session);
}

static void
session_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  _stamp_relay_queue_run_session (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
session_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StampRelayQueue *self = STAMP_RELAY_QUEUE (object);
  Session *session = g_task_get_task_data (G_TASK (result));
  Lane *lane = session->lane;

  g_debug ("Upstream session for %s ended%s%s", lane->address,
           session->opened ? "" : ", not opened: ",
           session->open_error != NULL ? session->open_error->message : "");
  g_mutex_lock (&self->lock);
  lane->sessions--;
  g_mutex_unlock (&self->lock);
  self->sessions--;

  if (session->opened)
    {
      lane->refreshed = FALSE;
      if (lane->reported_stopped)
        {
          lane->reported_stopped = FALSE;
          stamp_relay_spool_set_account_state (self->spool, lane->address, FALSE, NULL);
        }
    }
  else if (session->open_error != NULL && self->running)
    {
      GError *error = session->open_error;
      g_autofree char *explanation = NULL;

      /* A refused token may have been revoked early: one forced refresh. */
      if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED) && lane->is_token
          && !lane->refreshed)
        {
          lane->refreshed = TRUE;
          fetch_secret (self, lane, TRUE);
          return;
        }

      explanation = _stamp_relay_queue_explain (self, error, session->open_reply);
      if (needs_person (error, session->open_reply))
        stop_lane (self, lane, explanation);
      else
        defer_pending (self, lane, explanation);
    }

  scan (self);
}

static void
start_session (StampRelayQueue *self,
               Lane            *lane)
{
  g_autoptr(GTask) task = NULL;
  Session *session;

  session = g_new0 (Session, 1);
  session->queue = g_object_ref (self);
  session->lane = lane;
  session->settings = stamp_smtp_settings_copy (lane->settings);
  session->secret = g_strdup (lane->secret);
  session->is_token = lane->is_token;
  session->cancellable = g_object_ref (self->cancellable);

  g_mutex_lock (&self->lock);
  lane->sessions++;
  g_mutex_unlock (&self->lock);
  self->sessions++;

  task = g_task_new (self, NULL, session_done_cb, NULL);
  g_task_set_source_tag (task, start_session);
  g_task_set_task_data (task, session, (GDestroyNotify) _stamp_relay_queue_session_free);
  g_task_run_in_thread (task, session_thread);
}

/* Starts a first session when messages wait, once the secret is known. */
static void
ensure_session (StampRelayQueue *self,
                Lane            *lane)
{
  gboolean wanted;

  if (lane->stopped || !self->running)
    return;
  if (!lane->have_secret)
    {
      if (!lane->fetching)
        fetch_secret (self, lane, FALSE);
      return;
    }

  g_mutex_lock (&self->lock);
  wanted = !g_queue_is_empty (&lane->pending) && lane->idle == 0
           && lane->sessions < lane->max_sessions
           && (lane->sessions == 0 || lane->next_start <= g_get_monotonic_time ());
  g_mutex_unlock (&self->lock);
  if (wanted)
    start_session (self, lane);
}

typedef struct
{
  StampRelayQueue *queue;
  char            *address;
  gint64           at;
} LaneRef;

static void
lane_ref_free (LaneRef *ref)
{
  g_object_unref (ref->queue);
  g_free (ref->address);
  g_free (ref);
}

static gboolean
more_cb (gpointer user_data)
{
  LaneRef *ref = user_data;
  Lane *lane = ref->queue->lanes != NULL ? g_hash_table_lookup (ref->queue->lanes, ref->address)
                                          : NULL;

  if (lane != NULL && lane->more == g_main_current_source ())
    {
      g_clear_pointer (&lane->more, g_source_unref);
      ensure_session (ref->queue, lane);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_more_cb (gpointer user_data)
{
  LaneRef *ref = user_data;
  Lane *lane = ref->queue->lanes != NULL ? g_hash_table_lookup (ref->queue->lanes, ref->address)
                                          : NULL;
  gint64 delay;
  GSource *source;
  LaneRef *copy;

  if (lane == NULL || lane->more != NULL || !ref->queue->running)
    return G_SOURCE_REMOVE;
  delay = MAX (0, ref->at - g_get_monotonic_time ()) / 1000;
  copy = g_new0 (LaneRef, 1);
  copy->queue = g_object_ref (ref->queue);
  copy->address = g_strdup (ref->address);
  source = g_timeout_source_new ((guint) delay);
  g_source_set_callback (source, more_cb, copy, (GDestroyNotify) lane_ref_free);
  g_source_set_static_name (source, "[stamp] relay more sessions");
  g_source_attach (source, ref->queue->context);
  lane->more = source;
  return G_SOURCE_REMOVE;
}

/*
 * _stamp_relay_queue_schedule_more:
 *
 * At @at (monotonic), start another session for @lane if messages still
 * wait and no session is free then. Any thread, also with the lock held.
 */
void
_stamp_relay_queue_schedule_more (StampRelayQueue *self,
                                  Lane            *lane,
                                  gint64           at)
{
  LaneRef *ref = g_new0 (LaneRef, 1);

  ref->queue = g_object_ref (self);
  ref->address = g_strdup (lane->address);
  ref->at = at;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, schedule_more_cb, ref,
                              (GDestroyNotify) lane_ref_free);
}

/* Secrets */

static void
secret_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LaneRef *ref = user_data;
  StampRelayQueue *self = ref->queue;
  Lane *lane = self->lanes != NULL ? g_hash_table_lookup (self->lanes, ref->address) : NULL;
  StampAccount *account = STAMP_ACCOUNT (object);
  g_autoptr(StampSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_token = FALSE;
  char *secret;

  secret = stamp_account_lookup_secret_finish (account, result, &is_token, &error);
  if (lane == NULL)
    {
      stamp_clear_secret (&secret);
      lane_ref_free (ref);
      return;
    }
  lane->fetching = FALSE;

  if (error != NULL)
    {
      g_autofree char *explanation = _stamp_relay_queue_explain (self, error, NULL);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
        release_pending (self, lane);
      else if (needs_person (error, NULL))
        stop_lane (self, lane, explanation);
      else
        defer_pending (self, lane, explanation);
      lane_ref_free (ref);
      return;
    }

  stamp_clear_secret (&lane->secret);
  lane->secret = secret;
  lane->is_token = is_token;
  lane->have_secret = TRUE;
  settings = stamp_account_dup_smtp_settings (account);
  g_clear_pointer (&lane->settings, stamp_smtp_settings_free);
  lane->settings = stamp_account_dup_send_settings (settings, is_token, TRUE);
  /* A sign-in name of its own, or the address, as the test send does. */
  if (stamp_smtp_settings_get_username (lane->settings) == NULL)
    stamp_smtp_settings_set_username (lane->settings, lane->address);

  ensure_session (self, lane);
  lane_ref_free (ref);
}

static void
fetch_secret (StampRelayQueue *self,
              Lane            *lane,
              gboolean         force_refresh)
{
  StampAccount *account = stamp_account_store_lookup (self->accounts, lane->address);
  LaneRef *ref;
  guint per_minute;

  if (account == NULL)
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The account %s is no longer set up in Stamp; its messages wait "
                           "until it is added again."), lane->address);

      stop_lane (self, lane, explanation);
      return;
    }

  per_minute = messages_per_minute (self, account);
  g_mutex_lock (&self->lock);
  lane->interval = per_minute == STAMP_RELAY_QUEUE_UNPACED || per_minute == 0
                   ? 0 : (60 * G_USEC_PER_SEC) / per_minute;
  lane->max_sessions = MAX (self->max_connections, 1);
  g_mutex_unlock (&self->lock);

  ref = g_new0 (LaneRef, 1);
  ref->queue = g_object_ref (self);
  ref->address = g_strdup (lane->address);
  lane->fetching = TRUE;
  stamp_account_lookup_secret_async (account, self->credentials, NULL, force_refresh,
                                     self->cancellable, secret_cb, ref);
}

/* Scanning the spool */

static gboolean
wake_cb (gpointer user_data)
{
  StampRelayQueue *self = user_data;

  g_clear_pointer (&self->wake, g_source_unref);
  scan (self);
  return G_SOURCE_REMOVE;
}

static void
wake_at (StampRelayQueue *self,
         gint64           real_time)
{
  gint64 delay = MAX (0, real_time - g_get_real_time ()) / 1000;

  if (self->wake != NULL)
    {
      g_source_destroy (self->wake);
      g_clear_pointer (&self->wake, g_source_unref);
    }
  self->wake = g_timeout_source_new ((guint) MIN (delay, G_MAXUINT / 2) + 10);
  g_source_set_callback (self->wake, wake_cb, self, NULL);
  g_source_set_static_name (self->wake, "[stamp] relay wake");
  g_source_attach (self->wake, self->context);
}

/* Claims every message that is due for its account's lane, starts
 * sessions, and sets the wake-up for the next deferred one. */
static void
scan (StampRelayQueue *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 earliest = G_MAXINT64;
  GHashTableIter iter;
  Lane *lane;

  if (!self->running)
    return;

  g_debug ("Scanning the relay's spool");
  entries = stamp_relay_spool_list (self->spool, STAMP_RELAY_ENTRY_QUEUED, &error);
  if (entries == NULL)
    {
      g_message ("The relay's spool cannot be read: %s", error->message);
      wake_at (self, now + 10 * G_USEC_PER_SEC);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      StampRelayEntry *entry = g_ptr_array_index (entries, i);

      if (g_hash_table_contains (self->in_flight, entry->id))
        continue;
      lane = lookup_lane (self, entry->account);
      if (lane->stopped)
        continue;
      if (entry->next_attempt_at > now)
        {
          earliest = MIN (earliest, entry->next_attempt_at);
          continue;
        }
      g_hash_table_insert (self->in_flight, g_strdup (entry->id), g_strdup (entry->account));
      g_mutex_lock (&self->lock);
      g_queue_push_tail (&lane->pending, g_steal_pointer (&g_ptr_array_index (entries, i)));
      g_cond_broadcast (&lane->cond);
      g_mutex_unlock (&self->lock);
    }

  g_hash_table_iter_init (&iter, self->lanes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
    ensure_session (self, lane);

  if (earliest != G_MAXINT64)
    wake_at (self, earliest);
}

static gboolean
kick_cb (gpointer user_data)
{
  StampRelayQueue *self = user_data;

  g_atomic_int_set (&self->kick_pending, FALSE);
  scan (self);
  return G_SOURCE_REMOVE;
}

/* GObject */

static void
stamp_relay_queue_dispose (GObject *object)
{
  StampRelayQueue *self = STAMP_RELAY_QUEUE (object);

  stamp_relay_queue_stop (self);
  g_clear_pointer (&self->lanes, g_hash_table_unref);

  G_OBJECT_CLASS (stamp_relay_queue_parent_class)->dispose (object);
}

static void
stamp_relay_queue_finalize (GObject *object)
{
  StampRelayQueue *self = STAMP_RELAY_QUEUE (object);

  g_clear_object (&self->spool);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);
  g_clear_object (&self->diagnosis);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (stamp_relay_queue_parent_class)->finalize (object);
}

static void
stamp_relay_queue_class_init (StampRelayQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_relay_queue_dispose;
  object_class->finalize = stamp_relay_queue_finalize;

  /**
   * StampRelayQueue::delivered:
   * @self: the queue
   * @entry: (type StampRelayEntry): the message
   * @reply: the server's reply to the end of the message
   *
   * A message was accepted upstream and left the spool.
   */
  signals[SIGNAL_DELIVERED] =
    g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, STAMP_TYPE_RELAY_ENTRY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING);

  /**
   * StampRelayQueue::deferred:
   * @self: the queue
   * @entry: (type StampRelayEntry): the message, as it was before this try
   * @explanation: why, in plain words
   *
   * A temporary failure: the message is tried again later.
   */
  signals[SIGNAL_DEFERRED] =
    g_signal_new ("deferred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, STAMP_TYPE_RELAY_ENTRY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING);

  /**
   * StampRelayQueue::held:
   * @self: the queue
   * @entry: (type StampRelayEntry): the message
   * @explanation: why, in plain words
   *
   * The message cannot be delivered, or may have been: it was set aside.
   */
  signals[SIGNAL_HELD] =
    g_signal_new ("held", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, STAMP_TYPE_RELAY_ENTRY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING);

  /**
   * StampRelayQueue::account-stopped:
   * @self: the queue
   * @address: the account
   * @explanation: why, in plain words, and what to do
   *
   * The account cannot sign in until a person acts (sign in again, turn
   * SMTP sign-in on); its messages wait in the queue.
   */
  signals[SIGNAL_ACCOUNT_STOPPED] =
    g_signal_new ("account-stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
stamp_relay_queue_init (StampRelayQueue *self)
{
  g_mutex_init (&self->lock);
  self->lanes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lane_free);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_connections = 3;
  self->first_retry = 60;
  self->account_check = 300;
  self->idle_timeout = 5;
  self->cancellable = g_cancellable_new ();
}

/**
 * stamp_relay_queue_new:
 * @spool: the spool, opened
 * @accounts: the accounts, loaded
 * @credentials: where their secrets are
 *
 * Returns: (transfer full): a queue that delivers once started; its
 *   signals come on the thread-default main context of this call
 */
StampRelayQueue *
stamp_relay_queue_new (StampRelaySpool   *spool,
                       StampAccountStore *accounts,
                       StampCredentials  *credentials)
{
  StampRelayQueue *self;

  g_return_val_if_fail (STAMP_IS_RELAY_SPOOL (spool), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (STAMP_IS_CREDENTIALS (credentials), NULL);

  self = g_object_new (STAMP_TYPE_RELAY_QUEUE, NULL);
  self->spool = g_object_ref (spool);
  self->accounts = g_object_ref (accounts);
  self->credentials = g_object_ref (credentials);
  self->diagnosis = g_object_ref (stamp_diagnosis_get_default ());
  self->context = g_main_context_ref_thread_default ();
  return self;
}

/**
 * stamp_relay_queue_set_max_per_minute:
 * @self: a queue
 * @max_per_minute: messages per minute and account; 0 for the provider's
 *   limit, %STAMP_RELAY_QUEUE_UNPACED for none
 */
void
stamp_relay_queue_set_max_per_minute (StampRelayQueue *self,
                                      guint            max_per_minute)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->max_per_minute = max_per_minute;
}

/**
 * stamp_relay_queue_set_max_connections:
 * @self: a queue
 * @max_connections: upstream sessions per account at once (at least 1)
 */
void
stamp_relay_queue_set_max_connections (StampRelayQueue *self,
                                       guint            max_connections)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->max_connections = MAX (max_connections, 1);
}

/**
 * stamp_relay_queue_set_first_retry:
 * @self: a queue
 * @seconds: the wait after a first temporary failure
 */
void
stamp_relay_queue_set_first_retry (StampRelayQueue *self,
                                   guint            seconds)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->first_retry = MAX (seconds, 1);
}

/**
 * stamp_relay_queue_set_account_check:
 * @self: a queue
 * @seconds: how often a stopped account is tried again
 */
void
stamp_relay_queue_set_account_check (StampRelayQueue *self,
                                     guint            seconds)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->account_check = MAX (seconds, 1);
}

/**
 * stamp_relay_queue_set_idle_timeout:
 * @self: a queue
 * @seconds: how long a session waits for another message
 */
void
stamp_relay_queue_set_idle_timeout (StampRelayQueue *self,
                                    guint            seconds)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->idle_timeout = seconds;
}

/**
 * stamp_relay_queue_start:
 * @self: a queue
 *
 * Starts delivering what the spool holds, and what comes later (see
 * stamp_relay_queue_kick()).
 */
void
stamp_relay_queue_start (StampRelayQueue *self)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  if (self->running)
    return;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  self->running = TRUE;
  scan (self);
}

/**
 * stamp_relay_queue_kick:
 * @self: a queue
 *
 * Looks at the spool again soon, as after a commit. Any thread.
 */
void
stamp_relay_queue_kick (StampRelayQueue *self)
{
  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  if (!g_atomic_int_compare_and_exchange (&self->kick_pending, FALSE, TRUE))
    return;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, kick_cb, g_object_ref (self),
                              g_object_unref);
}

/**
 * stamp_relay_queue_stop:
 * @self: a queue
 *
 * Starts no more deliveries and cancels those under way: their messages
 * stay queued, or are held as "may have been delivered" when the end of
 * the message had gone. Sessions end soon after, in their threads.
 */
void
stamp_relay_queue_stop (StampRelayQueue *self)
{
  GHashTableIter iter;
  Lane *lane;

  g_return_if_fail (STAMP_IS_RELAY_QUEUE (self));

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->wake != NULL)
    {
      g_source_destroy (self->wake);
      g_clear_pointer (&self->wake, g_source_unref);
    }
  if (self->lanes == NULL)
    return;

  g_hash_table_iter_init (&iter, self->lanes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &lane))
    {
      g_mutex_lock (&self->lock);
      g_cond_broadcast (&lane->cond);
      g_mutex_unlock (&self->lock);
      release_pending (self, lane);
      clear_source (&lane->recheck);
      clear_source (&lane->more);
    }
}

/**
 * stamp_relay_queue_is_busy:
 * @self: a queue
 *
 * Returns: whether upstream sessions are still running
 */
gboolean
stamp_relay_queue_is_busy (StampRelayQueue *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_QUEUE (self), FALSE);

  return self->sessions > 0;
}

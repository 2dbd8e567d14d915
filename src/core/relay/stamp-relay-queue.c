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

#include "stamp-error.h"
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


void
_stamp_relay_queue_emit_stopped (StampRelayQueue *self,
                                 const char      *address,
                                 const char      *explanation)
{
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_STOPPED], 0, address, explanation);
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
  g_autoptr(GString) text = g_string_new (NULL);
  const char *title = NULL;
  const char * const *steps = NULL;

  if (error->domain == STAMP_ERROR)
    explanation = stamp_diagnosis_explain_failure (self->diagnosis, error, reply, NULL);
  if (explanation != NULL)
    {
      title = stamp_explanation_get_title (explanation);
      steps = stamp_explanation_get_steps (explanation);
    }

  /* The error often opens with the title already. */
  if (title != NULL && !g_str_has_prefix (error->message, title))
    g_string_append_printf (text, "%s. ", title);
  g_string_append (text, error->message);
  if (steps != NULL && steps[0] != NULL)
    g_string_append_printf (text, " %s %s", _("What to do:"), steps[0]);
  return g_string_free (g_steal_pointer (&text), FALSE);
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
  _stamp_relay_queue_defer_entry_after (self, entry, explanation, 0, release);
}

/* @seconds: 0 for the backoff's wait. */
void
_stamp_relay_queue_defer_entry_after (StampRelayQueue       *self,
                                      const StampRelayEntry *entry,
                                      const char            *explanation,
                                      guint                  seconds,
                                      gboolean               release)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 next;

  if (entry->received_at > 0
      && now - entry->received_at > (gint64) GIVE_UP_SECONDS * G_USEC_PER_SEC)
    {
      g_autofree char *given_up =
        g_strdup_printf (_("The message could not be delivered for five days and was set "
                           "aside. The last problem: %s"), explanation);

      _stamp_relay_queue_hold_entry (self, entry, given_up, release);
      return;
    }

  next = now + (seconds > 0 ? (gint64) seconds : backoff_seconds (self, entry)) * G_USEC_PER_SEC;
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

static gboolean
wake_cb (gpointer user_data)
{
  StampRelayQueue *self = user_data;

  g_clear_pointer (&self->wake, g_source_unref);
  _stamp_relay_queue_scan (self);
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
void
_stamp_relay_queue_scan (StampRelayQueue *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 earliest = G_MAXINT64;
  GHashTableIter iter;
  Lane *lane;

  if (!self->running)
    return;

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
      lane = _stamp_relay_queue_lookup_lane (self, entry->account);
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
    _stamp_relay_queue_ensure_session (self, lane);

  if (earliest != G_MAXINT64)
    wake_at (self, earliest);
}

static gboolean
kick_cb (gpointer user_data)
{
  StampRelayQueue *self = user_data;

  g_atomic_int_set (&self->kick_pending, FALSE);
  _stamp_relay_queue_scan (self);
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
  self->lanes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) _stamp_relay_lane_free);
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
  _stamp_relay_queue_scan (self);
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
      _stamp_relay_queue_release_pending (self, lane);
      _stamp_relay_clear_source (&lane->recheck);
      _stamp_relay_clear_source (&lane->more);
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

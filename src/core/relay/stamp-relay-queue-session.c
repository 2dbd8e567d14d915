/* stamp-relay-queue-session.c
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

/* One upstream session of the relay's queue, in a worker thread: open,
 * take the account's messages one by one at the pace's slots, deliver
 * each, and close after a few idle seconds. The spool is thread-safe;
 * signals and the release of a message go back to the main context
 * through _stamp_relay_queue_report(). */

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-relay-queue-private.h"

/* Past the final dot without an answer: the server may have the message. */
typedef struct
{
  StampRelaySpool *spool;
  const char      *id;
  gboolean         marked;
} FinalDot;

static gboolean
mark_sending_cb (gpointer   user_data,
                 GError   **error)
{
  FinalDot *dot = user_data;

  if (!stamp_relay_spool_mark_sending (dot->spool, dot->id, error))
    return FALSE;
  dot->marked = TRUE;
  return TRUE;
}

/* The next message for this session, waiting for the pace's slot, or
 * NULL when the session should end: stopped, or idle for too long. */
StampRelayEntry *
_stamp_relay_queue_take_next (Session *session)
{
  StampRelayQueue *self = session->queue;
  Lane *lane = session->lane;
  gint64 idle_until = g_get_monotonic_time () + self->idle_timeout * G_USEC_PER_SEC;
  StampRelayEntry *entry = NULL;

  g_mutex_lock (&self->lock);
  lane->idle++;
  while (!g_cancellable_is_cancelled (session->cancellable))
    {
      gint64 now = g_get_monotonic_time ();

      if (g_queue_is_empty (&lane->pending))
        {
          if (!g_cond_wait_until (&lane->cond, &self->lock, idle_until))
            break;
          continue;
        }
      if (now < lane->next_start)
        {
          g_cond_wait_until (&lane->cond, &self->lock, lane->next_start);
          continue;
        }

      entry = g_queue_pop_head (&lane->pending);
      lane->next_start = now + lane->interval;
      /* Should the next slot find every session busy, another may start. */
      if (!g_queue_is_empty (&lane->pending) && lane->idle == 1
          && lane->sessions < lane->max_sessions)
        _stamp_relay_queue_schedule_more (self, lane, lane->next_start);
      break;
    }
  lane->idle--;
  g_mutex_unlock (&self->lock);
  return entry;
}

static char *
join_recipients (GPtrArray *recipients)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < recipients->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (recipients, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Keeps @recipients of @entry as an entry of their own, in @state with
 * @explanation. Returns: (transfer full) (nullable): that entry, or %NULL
 * when the spool could not keep it. */
static StampRelayEntry *
split_entry (StampRelayQueue       *self,
             const StampRelayEntry *entry,
             GPtrArray             *recipients,
             StampRelayEntryState   state,
             const char            *explanation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = stamp_relay_spool_split (self->spool, entry,
                                                 (const char * const *) recipients->pdata,
                                                 state, explanation, &error);
  StampRelayEntry *part;

  if (id == NULL)
    {
      g_message ("Relay message %s: could not keep some of its recipients apart: %s",
                 entry->id, error->message);
      return NULL;
    }

  part = stamp_relay_entry_copy (entry);
  g_free (part->id);
  part->id = g_steal_pointer (&id);
  g_strfreev (part->recipients);
  part->recipients = g_strdupv ((char **) recipients->pdata);
  return part;
}

/* The message went; some recipients may have been refused, for now (a
 * new entry, deferred) or for good (a new entry, held). */
static void
delivered (Session               *session,
           const StampRelayEntry *entry,
           StampSmtpReply        *reply,
           GPtrArray             *replies)
{
  StampRelayQueue *self = session->queue;
  g_autoptr(GPtrArray) later = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autoptr(GPtrArray) never = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autofree char *reply_text = stamp_smtp_reply_to_string (reply);
  StampSmtpReply *later_reply = NULL;
  StampSmtpReply *never_reply = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; replies != NULL && i < replies->len; i++)
    {
      StampSmtpReply *answer = g_ptr_array_index (replies, i);

      if (answer == NULL || stamp_smtp_reply_is_positive (answer))
        continue;
      if (stamp_smtp_reply_is_transient (answer))
        {
          g_ptr_array_add (later, entry->recipients[i]);
          later_reply = later_reply != NULL ? later_reply : answer;
        }
      else
        {
          g_ptr_array_add (never, entry->recipients[i]);
          never_reply = never_reply != NULL ? never_reply : answer;
        }
    }

  /* The others first, then the message leaves the queue: a crash between
   * sends those again rather than losing them. */
  if (later->len > 0)
    {
      g_autofree char *who = join_recipients (later);
      g_autofree char *said = stamp_smtp_reply_to_string (later_reply);
      g_autoptr(GError) refusal =
        g_error_new (STAMP_ERROR, STAMP_ERROR_THROTTLED,
                     _("The server cannot take the message for %s yet: %s"), who, said);
      g_autofree char *explanation = _stamp_relay_queue_explain (self, refusal, later_reply);
      g_autoptr(StampRelayEntry) part = split_entry (self, entry, later, STAMP_RELAY_ENTRY_QUEUED,
                                                     explanation);

      if (part != NULL)
        _stamp_relay_queue_defer_entry (self, part, explanation, FALSE);
    }
  if (never->len > 0)
    {
      g_autofree char *who = join_recipients (never);
      g_autofree char *said = stamp_smtp_reply_to_string (never_reply);
      g_autoptr(GError) refusal =
        g_error_new (STAMP_ERROR, STAMP_ERROR_RECIPIENT_REJECTED,
                     _("The server refused %s: %s"), who, said);
      g_autofree char *explanation = _stamp_relay_queue_explain (self, refusal, never_reply);
      g_autoptr(StampRelayEntry) part = split_entry (self, entry, never, STAMP_RELAY_ENTRY_HELD,
                                                     explanation);

      if (part != NULL)
        _stamp_relay_queue_report (self, SIGNAL_HELD, part, explanation, FALSE);
    }

  if (!stamp_relay_spool_mark_delivered (self->spool, entry, reply_text, &error))
    g_message ("Relay message %s was delivered but stays in the spool: %s", entry->id,
               error->message);
  _stamp_relay_queue_report (self, SIGNAL_DELIVERED, entry, reply_text, TRUE);
}

static void
deliver_one (Session           *session,
             StampSmtpDelivery *delivery,
             StampRelayEntry   *entry)
{
  StampRelayQueue *self = session->queue;
  g_autofree char *path = stamp_relay_spool_dup_message_path (self->spool, entry->id);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *explanation = NULL;
  FinalDot dot = { self->spool, entry->id, FALSE };
  StampSmtpReply *refusal;

  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      explanation = g_strdup_printf (_("The message could not be read from the relay’s spool: "
                                       "%s"), error->message);
      _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
      return;
    }
  bytes = g_mapped_file_get_bytes (file);

  reply = stamp_smtp_delivery_send (delivery, entry->envelope_from,
                                    (const char * const *) entry->recipients, bytes, &replies,
                                    mark_sending_cb, &dot, session->cancellable, &error);
  if (reply != NULL)
    {
      delivered (session, entry, reply, replies);
      return;
    }

  refusal = stamp_smtp_delivery_get_failed_reply (delivery);
  if (dot.marked && refusal == NULL)
    {
      /* The final dot went and no answer came: holding it is the only
       * way not to send it twice. */
      explanation = g_strdup_printf (_("The connection ended after the message was handed "
                                       "over but before the server confirmed it (%s). It may "
                                       "have been delivered, so it was not sent again; check "
                                       "with the recipients, then send it again by hand if "
                                       "needed."),
                                     error->message);
      _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
      return;
    }
  if (g_cancellable_is_cancelled (session->cancellable))
    {
      /* Stopped before the end of the message: it stays queued as it was. */
      _stamp_relay_queue_report (self, N_QUEUE_SIGNALS, entry, NULL, TRUE);
      return;
    }

  explanation = _stamp_relay_queue_explain (self, error, refusal);
  if (refusal != NULL && stamp_smtp_reply_is_permanent (refusal))
    _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
  else
    _stamp_relay_queue_defer_entry (self, entry, explanation, TRUE);
}

/**
 * _stamp_relay_queue_run_session:
 * @session: the session
 *
 * Opens the upstream session and delivers the account's messages until
 * none comes for a while. Blocks: the queue runs it in a worker thread.
 */
void
_stamp_relay_queue_run_session (Session *session)
{
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  StampRelayEntry *entry;

  if (session->graph)
    {
      _stamp_relay_queue_run_graph_session (session);
      return;
    }

  delivery = stamp_smtp_delivery_new (session->settings, session->secret, session->is_token);
  if (!stamp_smtp_delivery_open (delivery, session->cancellable, &session->open_error))
    {
      StampSmtpReply *reply = stamp_smtp_delivery_get_failed_reply (delivery);

      session->open_reply = reply != NULL ? g_object_ref (reply) : NULL;
      return;
    }
  session->opened = TRUE;
  _stamp_relay_queue_session_opened (session->queue, session->lane);

  while (stamp_smtp_delivery_is_open (delivery)
         && (entry = _stamp_relay_queue_take_next (session)) != NULL)
    {
      deliver_one (session, delivery, entry);
      stamp_relay_entry_free (entry);
    }

  stamp_smtp_delivery_close (delivery, session->cancellable);
}

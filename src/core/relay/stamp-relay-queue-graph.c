/* stamp-relay-queue-graph.c
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

/* One upstream "session" of the relay's queue for an account that sends
 * through Microsoft Graph, in a worker thread: the account's messages
 * one by one at the pace's slots, each a sendMail request. The spool's
 * bookkeeping is the SMTP session's: the .sending marker before the
 * request, delivered on 202, deferred for what surely did not go, held
 * for a refusal and for a request that got no answer (it may have been
 * delivered). A refused token ends the session with the message back in
 * the lane, so that the lane refreshes the token once and tries again,
 * or stops the account as it does for SMTP. */

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-graph-client.h"
#include "stamp-relay-queue-private.h"

/* Graph asked to wait (429, 503) without saying how long. */
#define GRAPH_DEFAULT_WAIT_SECONDS 60

typedef enum
{
  GRAPH_NEXT,        /* go on with the next message */
  GRAPH_SIGNED_OUT,  /* the token was refused: end the session */
} GraphOutcome;

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Errors that come before any byte of the request left. */
static gboolean
surely_not_sent (const GError *error)
{
  if (error->domain != STAMP_ERROR)
    return FALSE;
  switch (error->code)
    {
    case STAMP_ERROR_HOST_NOT_FOUND:
    case STAMP_ERROR_CONNECTION_REFUSED:
    case STAMP_ERROR_NETWORK_UNREACHABLE:
    case STAMP_ERROR_TLS_HANDSHAKE_FAILED:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
pause_lane (Session *session,
            guint    seconds)
{
  StampRelayQueue *self = session->queue;
  gint64 until = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  g_mutex_lock (&self->lock);
  session->lane->next_start = MAX (session->lane->next_start, until);
  g_mutex_unlock (&self->lock);
}

/* The message goes back to the head of the lane as it was, still
 * claimed: the lane decides, after a refresh, what becomes of it. */
static void
give_back (Session         *session,
           StampRelayEntry *entry)
{
  StampRelayQueue *self = session->queue;

  stamp_relay_spool_unmark_sending (self->spool, entry->id);
  g_mutex_lock (&self->lock);
  g_queue_push_head (&session->lane->pending, stamp_relay_entry_copy (entry));
  g_mutex_unlock (&self->lock);
}

static GraphOutcome
deliver_one (Session          *session,
             StampGraphClient *client,
             GMainContext     *context,
             StampRelayEntry  *entry)
{
  StampRelayQueue *self = session->queue;
  g_autofree char *path = stamp_relay_spool_dup_message_path (self->spool, entry->id);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) mime = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StampSmtpResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unlisted = NULL;
  g_autofree char *explanation = NULL;
  guint status;
  guint wait;

  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    {
      explanation = g_strdup_printf (_("The message could not be read from the relay’s spool: "
                                       "%s"), error->message);
      _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
      return GRAPH_NEXT;
    }
  bytes = g_mapped_file_get_bytes (file);

  mime = _stamp_relay_graph_prepare_mime (bytes, (const char * const *) entry->recipients,
                                          &unlisted);
  if (unlisted != NULL)
    {
      explanation = g_strdup_printf (_("The message names %s in its headers, but the device did "
                                       "not send it to them. Microsoft Graph sends to everyone "
                                       "the headers name, so Stamp did not send it, rather than "
                                       "reach people the device left out. Send it again with "
                                       "the same recipients in the headers and the envelope, "
                                       "or set the account to send through SMTP."), unlisted);
      _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
      return GRAPH_NEXT;
    }

  if (!stamp_relay_spool_mark_sending (self->spool, entry->id, &error))
    {
      explanation = _stamp_relay_queue_explain (self, error, NULL);
      _stamp_relay_queue_defer_entry (self, entry, explanation, TRUE);
      return GRAPH_NEXT;
    }

  stamp_graph_client_send_mime_async (client, mime, session->cancellable, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  sent = stamp_graph_client_send_mime_finish (client, result, &error);

  if (error == NULL)
    {
      const char *reply = "202 Accepted";

      if (!session->opened)
        {
          session->opened = TRUE;
          _stamp_relay_queue_session_opened (self, session->lane);
        }
      if (!stamp_relay_spool_mark_delivered (self->spool, entry, reply, &error))
        g_message ("Relay message %s was delivered but stays in the spool: %s", entry->id,
                   error->message);
      _stamp_relay_queue_report (self, SIGNAL_DELIVERED, entry, reply, TRUE);
      return GRAPH_NEXT;
    }

  status = stamp_graph_client_get_status (client);
  if (status == 401 || g_error_matches (error, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED))
    {
      /* The lane refreshes the token once, or stops the account. */
      give_back (session, entry);
      session->graph_status = status;
      g_clear_error (&session->open_error);
      session->open_error = g_steal_pointer (&error);
      session->opened = FALSE;
      return GRAPH_SIGNED_OUT;
    }
  if (status == 0)
    {
      if (surely_not_sent (error))
        {
          explanation = _stamp_relay_queue_explain (self, error, NULL);
          _stamp_relay_queue_defer_entry (self, entry, explanation, TRUE);
        }
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_MESSAGE_TOO_LARGE))
        {
          explanation = _stamp_relay_queue_explain (self, error, NULL);
          _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
        }
      else
        {
          /* The request may have reached Graph: holding it is the only
           * way not to send it twice. */
          explanation = g_strdup_printf (_("The request to Microsoft Graph ended before it "
                                           "answered (%s). The message may have been "
                                           "delivered, so it was not sent again; check with "
                                           "the recipients, then send it again by hand if "
                                           "needed."),
                                         error->message);
          _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);
        }
      return GRAPH_NEXT;
    }

  explanation = _stamp_relay_queue_explain (self, error, NULL);
  if (status == 429 || status == 503)
    {
      /* Throttled: not a failure. The lane waits as long as Graph asked;
       * the message comes back when its time is due. */
      wait = stamp_graph_client_get_retry_after (client);
      wait = wait > 0 ? wait : GRAPH_DEFAULT_WAIT_SECONDS;
      pause_lane (session, wait);
      _stamp_relay_queue_defer_entry_after (self, entry, explanation, wait, TRUE);
    }
  else if (status >= 500)
    _stamp_relay_queue_defer_entry (self, entry, explanation, TRUE);
  else
    _stamp_relay_queue_hold_entry (self, entry, explanation, TRUE);

  return GRAPH_NEXT;
}

/**
 * _stamp_relay_queue_run_graph_session:
 * @session: the session
 *
 * Delivers the account's messages through Microsoft Graph until none
 * comes for a while or the token is refused. Blocks: the queue runs it in
 * a worker thread, which gets a main context of its own for the HTTP
 * client.
 */
void
_stamp_relay_queue_run_graph_session (Session *session)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(StampGraphClient) client = NULL;
  StampRelayEntry *entry;

  g_main_context_push_thread_default (context);

  client = stamp_graph_client_new (session->graph_url, &session->open_error);
  if (client != NULL)
    {
      stamp_graph_client_set_access_token (client, session->secret);
      /* The queue waits out Retry-After itself, without holding a worker. */
      stamp_graph_client_set_max_wait (client, 0);

      while ((entry = _stamp_relay_queue_take_next (session)) != NULL)
        {
          GraphOutcome outcome = deliver_one (session, client, context, entry);

          stamp_relay_entry_free (entry);
          if (outcome == GRAPH_SIGNED_OUT)
            break;
        }
    }

  g_clear_object (&client);
  /* Whatever the client left behind finishes in this context. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
}

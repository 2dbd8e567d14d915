/* stamp-relay-queue-lane.c
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

/* One account's lane of the relay's queue, on the main context: its
 * pace, its secret (looked up as the test send does, refreshed once when
 * the server refuses the token), its upstream sessions, and what happens
 * when a session cannot open: a retry later, or a stop that waits for a
 * person. */

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-account-send.h"
#include "stamp-error.h"
#include "stamp-provider-db.h"
#include "stamp-relay-queue-private.h"
#include "stamp-util.h"

#define GRAPH_MAX_CONCURRENT 4

static void fetch_secret (StampRelayQueue *self,
                          Lane            *lane,
                          gboolean         force_refresh);

void
_stamp_relay_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

void
_stamp_relay_lane_free (Lane *lane)
{
  g_free (lane->address);
  g_queue_clear_full (&lane->pending, (GDestroyNotify) stamp_relay_entry_free);
  g_cond_clear (&lane->cond);
  g_clear_pointer (&lane->settings, stamp_smtp_settings_free);
  g_free (lane->graph_url);
  stamp_clear_secret (&lane->secret);
  _stamp_relay_clear_source (&lane->recheck);
  _stamp_relay_clear_source (&lane->more);
  g_free (lane);
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

Lane *
_stamp_relay_queue_lookup_lane (StampRelayQueue *self,
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

void
_stamp_relay_queue_release_pending (StampRelayQueue *self,
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
  _stamp_relay_queue_scan (self);
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
  _stamp_relay_queue_release_pending (self, lane);
  stamp_relay_spool_set_account_state (self->spool, lane->address, TRUE, explanation);
  if (!lane->reported_stopped)
    {
      lane->reported_stopped = TRUE;
      _stamp_relay_queue_emit_stopped (self, lane->address, explanation);
    }

  _stamp_relay_clear_source (&lane->recheck);
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
  g_free (session->graph_url);
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

  if (!session->opened && session->open_error != NULL && self->running)
    {
      GError *error = session->open_error;
      g_autofree char *explanation = NULL;

      /* A refused token may have been revoked early: one forced refresh.
       * Microsoft Graph says so with 401 (InvalidAuthenticationToken). */
      if (!lane->refreshed
          && (session->graph ? session->graph_status == 401
                             : g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED)
                               && lane->is_token))
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

  _stamp_relay_queue_scan (self);
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
  session->settings = lane->settings != NULL ? stamp_smtp_settings_copy (lane->settings) : NULL;
  session->secret = g_strdup (lane->secret);
  session->is_token = lane->is_token;
  session->graph = lane->graph;
  session->graph_url = g_strdup (lane->graph_url);
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
void
_stamp_relay_queue_ensure_session (StampRelayQueue *self,
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
opened_cb (gpointer user_data)
{
  LaneRef *ref = user_data;
  StampRelayQueue *self = ref->queue;
  Lane *lane = self->lanes != NULL ? g_hash_table_lookup (self->lanes, ref->address) : NULL;

  if (lane == NULL)
    return G_SOURCE_REMOVE;
  lane->refreshed = FALSE;
  if (lane->reported_stopped)
    {
      lane->reported_stopped = FALSE;
      stamp_relay_spool_set_account_state (self->spool, lane->address, FALSE, NULL);
    }
  return G_SOURCE_REMOVE;
}

/*
 * _stamp_relay_queue_session_opened:
 *
 * A session signed in: the account works (again). From the session's
 * thread.
 */
void
_stamp_relay_queue_session_opened (StampRelayQueue *self,
                                   Lane            *lane)
{
  LaneRef *ref = g_new0 (LaneRef, 1);

  ref->queue = g_object_ref (self);
  ref->address = g_strdup (lane->address);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, opened_cb, ref,
                              (GDestroyNotify) lane_ref_free);
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
      _stamp_relay_queue_ensure_session (ref->queue, lane);
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

/* Takes @secret and @error; @account is the lane's (SMTP only). */
static void
got_secret (LaneRef      *ref,
            StampAccount *account,
            char         *secret,
            gboolean      is_token,
            GError       *error_in)
{
  StampRelayQueue *self = ref->queue;
  Lane *lane = self->lanes != NULL ? g_hash_table_lookup (self->lanes, ref->address) : NULL;
  g_autoptr(StampSmtpSettings) settings = NULL;
  g_autoptr(GError) error = error_in;

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
        _stamp_relay_queue_release_pending (self, lane);
      else if (!needs_person (error, NULL))
        {
          /* No new token came: the next try may refresh again. */
          lane->refreshed = FALSE;
          defer_pending (self, lane, explanation);
        }
      else
        stop_lane (self, lane, explanation);
      lane_ref_free (ref);
      return;
    }

  stamp_clear_secret (&lane->secret);
  lane->secret = secret;
  lane->is_token = is_token;
  lane->have_secret = TRUE;
  g_clear_pointer (&lane->settings, stamp_smtp_settings_free);
  if (lane->graph || account == NULL)
    {
      /* Microsoft Graph needs the token alone. */
      _stamp_relay_queue_ensure_session (self, lane);
      lane_ref_free (ref);
      return;
    }
  settings = stamp_account_dup_smtp_settings (account);
  lane->settings = stamp_account_dup_send_settings (settings, is_token, TRUE);
  /* A sign-in name of its own, or the address, as the test send does. */
  if (stamp_smtp_settings_get_username (lane->settings) == NULL)
    stamp_smtp_settings_set_username (lane->settings, lane->address);

  _stamp_relay_queue_ensure_session (self, lane);
  lane_ref_free (ref);
}

static void
secret_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  StampAccount *account = STAMP_ACCOUNT (object);
  GError *error = NULL;
  gboolean is_token = FALSE;
  char *secret;

  secret = stamp_account_lookup_secret_finish (account, result, &is_token, &error);
  /* A test send lets the server say that a password is missing; the
   * relay knows it cannot sign in without one. */
  if (secret == NULL && error == NULL
      && stamp_account_get_auth_mechanism (account) != STAMP_AUTH_NONE
      && stamp_account_get_auth_mechanism (account) != STAMP_AUTH_AUTO)
    g_set_error (&error, STAMP_ERROR, STAMP_ERROR_AUTH_REQUIRED,
                 _("No password for %s is in the keyring. Sign in again, or give the "
                   "password with “stamp-cli login %s --password-stdin”."),
                 stamp_account_get_address (account), stamp_account_get_address (account));
  got_secret (user_data, account, secret, is_token, error);
}

/* Microsoft Graph's own access token (Mail.Send): never the SMTP one. */
static void
graph_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError *error = NULL;
  char *token;

  token = stamp_credentials_get_token_finish (STAMP_CREDENTIALS (object), result, NULL, &error);
  if (token == NULL && error == NULL)
    error = g_error_new (STAMP_ERROR, STAMP_ERROR_AUTH_REQUIRED,
                         _("No sign-in for %s is in the keyring. Sign in again with "
                           "“stamp-cli login %s”."),
                         ((LaneRef *) user_data)->address, ((LaneRef *) user_data)->address);
  got_secret (user_data, NULL, token, TRUE, error);
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
  /* Microsoft Graph takes at most 4 requests at once for a mailbox. */
  if (stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH)
    lane->max_sessions = MIN (lane->max_sessions, GRAPH_MAX_CONCURRENT);
  g_mutex_unlock (&self->lock);

  lane->graph = stamp_account_get_method (account) == STAMP_SEND_METHOD_GRAPH;
  g_free (lane->graph_url);
  lane->graph_url = lane->graph ? stamp_account_dup_effective_graph_url (account) : NULL;

  ref = g_new0 (LaneRef, 1);
  ref->queue = g_object_ref (self);
  ref->address = g_strdup (lane->address);
  lane->fetching = TRUE;
  if (lane->graph)
    stamp_credentials_get_token_async (self->credentials, account, STAMP_TOKEN_RESOURCE_GRAPH,
                                       force_refresh, self->cancellable, graph_token_cb, ref);
  else
    stamp_account_lookup_secret_async (account, self->credentials, NULL, force_refresh,
                                       self->cancellable, secret_cb, ref);
}

/* Scanning the spool */

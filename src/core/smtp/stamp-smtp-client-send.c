/* stamp-smtp-client-send.c
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

/* StampSmtpClient's send: the async API, the SendEvents from the worker
 * applied on the caller's main context, and the results they leave. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

static void
send_event_free (SendEvent *event)
{
  g_clear_object (&event->client);
  g_clear_object (&event->reply);
  g_clear_pointer (&event->text, g_free);
  g_clear_pointer (&event->tls_version, g_free);
  g_clear_pointer (&event->tls_cipher, g_free);
  g_clear_pointer (&event->certificates, g_strfreev);
  g_free (event);
}

static StampSmtpStep *
find_last_step (StampSmtpClient   *self,
                StampSmtpStepKind  kind)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->steps)); i > 0; i--)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), i - 1);

      if (stamp_smtp_step_get_kind (step) == kind)
        return step;
    }

  return NULL;
}

static gboolean
apply_event_cb (gpointer user_data)
{
  SendEvent *event = user_data;
  StampSmtpClient *self = event->client;

  switch (event->type)
    {
    case SEND_EVENT_STEP_BEGIN:
      {
        g_autoptr(StampSmtpStep) step = stamp_smtp_step_new (event->kind);

        g_list_store_append (self->steps, step);
      }
      break;

    case SEND_EVENT_STEP_END:
      {
        StampSmtpStep *step = find_last_step (self, event->kind);

        if (step == NULL)
          break;

        stamp_smtp_step_finish (step, event->state, event->time, event->text);
        if (event->state == STAMP_STEP_FAILED && g_set_object (&self->failed_step, step))
          _stamp_smtp_client_notify (self, PROP_FAILED_STEP);

        _stamp_smtp_client_step_finished (self, step);
      }
      break;

    case SEND_EVENT_LINE:
      {
        g_autoptr(StampTranscriptLine) line =
          stamp_transcript_line_new (event->direction, event->time, event->text);

        stamp_transcript_append (self->transcript, line);
      }
      break;

    case SEND_EVENT_TLS:
      stamp_set_str (&self->tls_cipher, event->tls_cipher);
      g_clear_pointer (&self->tls_certificates, g_strfreev);
      self->tls_certificates = g_steal_pointer (&event->certificates);
      if (stamp_set_str (&self->tls_version, event->tls_version))
        _stamp_smtp_client_notify (self, PROP_TLS_VERSION);
      break;

    case SEND_EVENT_AUTH:
      self->used_mechanism = event->mechanism;
      break;

    case SEND_EVENT_FAILURE:
      g_set_object (&self->failure_reply, event->reply);
      break;

    case SEND_EVENT_DONE:
      self->round_trips = event->round_trips;
      self->elapsed = event->time;
      break;

    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

/* Called from the worker thread. The events go to the main context at the
 * same priority as the GTask's completion, so they all arrive before it, in
 * order. */
void
_stamp_smtp_client_post (SendState *state,
                         SendEvent *event)
{
  GSource *source = g_idle_source_new ();

  /* Always through a source on the caller's context, in order: invoking
   * directly would run in this worker thread whenever nobody owns that
   * context, and the caller's widgets must only change on its thread. */
  event->client = g_object_ref (state->client);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_event_cb, event, (GDestroyNotify) send_event_free);
  g_source_set_static_name (source, "[stamp] send event");
  g_source_attach (source, state->context);
  g_source_unref (source);
}

void
_stamp_send_state_free (SendState *state)
{
  g_clear_object (&state->client);
  g_clear_pointer (&state->context, g_main_context_unref);
  g_clear_pointer (&state->host, g_free);
  g_clear_pointer (&state->username, g_free);
  stamp_clear_secret (&state->secret);
  g_clear_pointer (&state->ca_file, g_free);
  g_clear_pointer (&state->ehlo_name, g_free);
  g_clear_object (&state->message);
  g_clear_object (&state->line);
  g_clear_pointer (&state->capabilities, g_hash_table_unref);
  g_clear_pointer (&state->hidden, g_ptr_array_unref);
  stamp_clear_secret (&state->pipelined_auth);
  g_clear_pointer (&state->pipelined_auth_shown, g_free);
  g_free (state);
}

static gboolean
check_settings (StampSmtpClient  *self,
                GError          **error)
{
  gboolean wants_auth = self->auth_mechanism != STAMP_AUTH_NONE &&
                        self->auth_mechanism != STAMP_AUTH_AUTO;

  if (self->host == NULL || *self->host == '\0' || stamp_str_has_line_break (self->host) ||
      strpbrk (self->host, " /") != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a server name"), self->host != NULL ? self->host : "");
      return FALSE;
    }

  if (stamp_str_has_line_break (self->username) || stamp_str_has_line_break (self->ehlo_name))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The user name and EHLO name must be one line each"));
      return FALSE;
    }

  if (wants_auth && self->secret == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   stamp_sasl_mechanism_uses_token (self->auth_mechanism)
                   ? _("%s sign-in needs an OAuth access token")
                   : _("%s sign-in needs a password"),
                   stamp_sasl_mechanism_name (self->auth_mechanism));
      return FALSE;
    }

  if (wants_auth && stamp_sasl_mechanism_uses_token (self->auth_mechanism) != self->secret_is_token)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   self->secret_is_token
                   ? _("%s sign-in takes a password, but an OAuth token was given")
                   : _("%s sign-in takes an OAuth token, but a password was given"),
                   stamp_sasl_mechanism_name (self->auth_mechanism));
      return FALSE;
    }

  return TRUE;
}

static void
set_busy (StampSmtpClient *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  _stamp_smtp_client_notify (self, PROP_BUSY);
}

static void
reset_results (StampSmtpClient *self)
{
  g_list_store_remove_all (self->steps);
  stamp_transcript_clear (self->transcript);
  if (g_set_object (&self->failed_step, NULL))
    _stamp_smtp_client_notify (self, PROP_FAILED_STEP);
  g_clear_object (&self->failure_reply);
  g_clear_pointer (&self->tls_cipher, g_free);
  g_clear_pointer (&self->tls_certificates, g_strfreev);
  if (stamp_set_str (&self->tls_version, NULL))
    _stamp_smtp_client_notify (self, PROP_TLS_VERSION);
  self->used_mechanism = STAMP_AUTH_NONE;
  self->round_trips = 0;
  self->elapsed = 0;
}

static SendState *
send_state_new (StampSmtpClient *self,
                StampMessage    *message)
{
  SendState *state = g_new0 (SendState, 1);

  state->client = g_object_ref (self);
  state->context = g_main_context_ref_thread_default ();
  state->host = g_strdup (self->host);
  state->port = self->port;
  state->security = self->security;
  state->auth = self->auth_mechanism;
  state->username = g_strdup (self->username != NULL ? self->username
                              : message != NULL ? stamp_message_get_from (message) : NULL);
  state->secret = g_strdup (self->secret);
  state->secret_is_token = self->secret_is_token;
  state->ca_file = g_strdup (self->ca_file);
  state->tls_min = self->tls_min_version;
  state->connect_timeout = self->connect_timeout;
  state->reply_timeout = self->reply_timeout;
  state->ehlo_name = g_strdup (self->ehlo_name);
  state->message = message != NULL ? g_object_ref (message) : NULL;

  return state;
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampSmtpClient *self = STAMP_SMTP_CLIENT (object);
  SendState *state = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gpointer outcome;

  set_busy (self, FALSE);

  /* A send ends with the accepting reply, a probe with the capabilities. */
  outcome = g_task_propagate_pointer (G_TASK (result), &error);
  if (outcome == NULL)
    g_task_return_error (task, error);
  else if (state->message != NULL)
    g_task_return_pointer (task, outcome, g_object_unref);
  else
    g_task_return_pointer (task, outcome, (GDestroyNotify) g_hash_table_unref);
}

/* Runs the session for @message (or a probe, without one) in a worker
 * thread, unless one is running or the settings cannot work; @outer
 * reports to the caller once busy is cleared, so its callback may start
 * the next run. */
static void
start_worker (StampSmtpClient *self,
              StampMessage    *message,
              GTask           *outer)
{
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;

  if (self->busy)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A test send is already under way"));
      return;
    }

  /* Input that cannot work fails before anything touches the network. */
  if (!check_settings (self, &error) ||
      (message != NULL && !stamp_message_validate (message, &error)))
    {
      g_task_return_error (outer, error);
      return;
    }

  reset_results (self);
  set_busy (self, TRUE);

  worker = g_task_new (self, g_task_get_cancellable (outer), send_done_cb, g_object_ref (outer));
  g_task_set_source_tag (worker, _stamp_smtp_client_run);
  g_task_set_task_data (worker, send_state_new (self, message),
                        (GDestroyNotify) _stamp_send_state_free);
  g_task_run_in_thread (worker, _stamp_smtp_client_run);
}

/**
 * stamp_smtp_client_send_async:
 * @self: a #StampSmtpClient
 * @message: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the send has ended
 * @user_data: data for @callback
 *
 * Sends @message in a worker thread. Steps and transcript lines appear on
 * the thread-default main context as they happen. Input that cannot work (a
 * header with a line break, a mechanism without its secret) fails before
 * anything touches the network.
 */
void
stamp_smtp_client_send_async (StampSmtpClient     *self,
                              StampMessage        *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;

  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (STAMP_IS_MESSAGE (message));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, stamp_smtp_client_send_async);

  start_worker (self, message, outer);
}

/**
 * stamp_smtp_client_send_finish:
 * @self: a #StampSmtpClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server's reply accepting the message (the
 *   queue id line), or %NULL with @error set; then
 *   stamp_smtp_client_get_failed_step() and
 *   stamp_smtp_client_get_failure_reply() tell where and what
 */
StampSmtpReply *
stamp_smtp_client_send_finish (StampSmtpClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_smtp_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_smtp_client_probe_async:
 * @self: a #StampSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the probe has ended
 * @user_data: data for @callback
 *
 * Opens a session as a send would — connect, TLS as configured, greeting,
 * EHLO, STARTTLS and EHLO again — then says QUIT: enough to learn what the
 * server offers without signing in or sending anything. Steps and
 * transcript are kept as for a send.
 */
void
stamp_smtp_client_probe_async (StampSmtpClient     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;

  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, stamp_smtp_client_probe_async);

  start_worker (self, NULL, outer);
}

/**
 * stamp_smtp_client_probe_finish:
 * @self: a #StampSmtpClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8 utf8): the server's EHLO
 *   capabilities (after STARTTLS when it was used), keyword → parameters
 */
GHashTable *
stamp_smtp_client_probe_finish (StampSmtpClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_smtp_client_probe_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
stamp_smtp_client_get_busy (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), FALSE);

  return self->busy;
}

/**
 * stamp_smtp_client_get_steps:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none): a #GListModel of #StampSmtpStep for the last send
 */
GListModel *
stamp_smtp_client_get_steps (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return G_LIST_MODEL (self->steps);
}

/**
 * stamp_smtp_client_get_transcript:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none): the redacted transcript of the last send
 */
StampTranscript *
stamp_smtp_client_get_transcript (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->transcript;
}

/**
 * stamp_smtp_client_get_failed_step:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): the step at which the last send failed
 */
StampSmtpStep *
stamp_smtp_client_get_failed_step (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->failed_step;
}

/**
 * stamp_smtp_client_get_failure_reply:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): the server's reply that made the last
 *   send fail, with its codes; %NULL when the failure was not a reply (a
 *   timeout, a certificate)
 */
StampSmtpReply *
stamp_smtp_client_get_failure_reply (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->failure_reply;
}

/**
 * stamp_smtp_client_get_tls_version:
 * @self: a #StampSmtpClient
 *
 * Returns: (nullable): the TLS version of the last send ("TLS1.3")
 */
const char *
stamp_smtp_client_get_tls_version (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->tls_version;
}

/**
 * stamp_smtp_client_get_tls_cipher:
 * @self: a #StampSmtpClient
 *
 * Returns: (nullable): the cipher of the last send ("AES-256-GCM")
 */
const char *
stamp_smtp_client_get_tls_cipher (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->tls_cipher;
}

/**
 * stamp_smtp_client_get_tls_certificates:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): a summary of each certificate the
 *   server showed in the last send
 */
const char * const *
stamp_smtp_client_get_tls_certificates (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return (const char * const *) self->tls_certificates;
}

/**
 * stamp_smtp_client_get_used_mechanism:
 * @self: a #StampSmtpClient
 *
 * Returns: the mechanism the last send signed in with, or
 *   %STAMP_AUTH_NONE
 */
StampAuthMechanism
stamp_smtp_client_get_used_mechanism (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), STAMP_AUTH_NONE);

  return self->used_mechanism;
}

/**
 * stamp_smtp_client_get_round_trips:
 * @self: a #StampSmtpClient
 *
 * Returns: how many times the last send had to wait for the server after
 *   writing: the protocol's round trips, TCP and TLS records aside
 */
guint
stamp_smtp_client_get_round_trips (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->round_trips;
}

/**
 * stamp_smtp_client_get_elapsed:
 * @self: a #StampSmtpClient
 *
 * Returns: how long the last send took, in microseconds
 */
gint64
stamp_smtp_client_get_elapsed (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->elapsed;
}

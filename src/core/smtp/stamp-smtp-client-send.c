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

/* StampSmtpClient's send: the async API around a session in a worker
 * thread, whose events are applied to the run's StampSmtpResult on the
 * caller's main context. */

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

/* One event on its way from the session to the caller's main context. */
typedef struct
{
  StampSmtpClient *client;
  StampSmtpResult *result;
  SendEvent       *event;
} Delivery;

/* Where a session's events go: the caller's context and what they change
 * there. */
typedef struct
{
  StampSmtpClient *client;
  StampSmtpResult *result;
  GMainContext    *context;
} Target;

static void
delivery_free (Delivery *delivery)
{
  g_clear_object (&delivery->client);
  g_clear_object (&delivery->result);
  g_clear_pointer (&delivery->event, _stamp_send_event_free);
  g_free (delivery);
}

static void
target_free (Target *target)
{
  g_clear_object (&target->client);
  g_clear_object (&target->result);
  g_clear_pointer (&target->context, g_main_context_unref);
  g_free (target);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Delivery *delivery = user_data;
  StampSmtpStep *step = _stamp_smtp_result_apply (delivery->result, delivery->event);

  if (step != NULL)
    _stamp_smtp_client_step_finished (delivery->client, step);

  return G_SOURCE_REMOVE;
}

/* The session's event function, in the worker thread. The events go to the
 * main context at the same priority as the GTask's completion, so they all
 * arrive before it, in order. */
static void
post_event (SendEvent *event,
            gpointer   user_data)
{
  Target *target = user_data;
  Delivery *delivery = g_new0 (Delivery, 1);
  GSource *source = g_idle_source_new ();

  delivery->client = g_object_ref (target->client);
  delivery->result = g_object_ref (target->result);
  delivery->event = event;

  /* Always through a source on the caller's context, in order: invoking
   * directly would run in this worker thread whenever nobody owns that
   * context, and the caller's widgets must only change on its thread. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, delivery, (GDestroyNotify) delivery_free);
  g_source_set_static_name (source, "[stamp] send event");
  g_source_attach (source, target->context);
  g_source_unref (source);
}

static gboolean
check_secret (StampSmtpClient  *self,
              GError          **error)
{
  StampAuthMechanism auth = stamp_smtp_settings_get_auth_mechanism (self->settings);
  gboolean wants_auth = auth != STAMP_AUTH_NONE && auth != STAMP_AUTH_AUTO;

  if (wants_auth && self->secret == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   stamp_sasl_mechanism_uses_token (auth)
                   ? _("%s sign-in needs an OAuth access token")
                   : _("%s sign-in needs a password"),
                   stamp_sasl_mechanism_name (auth));
      return FALSE;
    }

  if (wants_auth && stamp_sasl_mechanism_uses_token (auth) != self->secret_is_token)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   self->secret_is_token
                   ? _("%s sign-in takes a password, but an OAuth token was given")
                   : _("%s sign-in takes an OAuth token, but a password was given"),
                   stamp_sasl_mechanism_name (auth));
      return FALSE;
    }

  return TRUE;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SendState *state = task_data;
  g_autoptr(StampSmtpReply) accepted = NULL;
  GError *error = NULL;

  if (!_stamp_send_run (state, &accepted, cancellable, &error))
    g_task_return_error (task, error);
  else if (state->message == NULL)
    g_task_return_pointer (task, g_hash_table_ref (state->capabilities),
                           (GDestroyNotify) g_hash_table_unref);
  else
    g_task_return_pointer (task, g_steal_pointer (&accepted), g_object_unref);
}

/* Ends a run on the caller's context: a send with its result, which holds
 * the reply or the error; a probe with the capabilities or the error. */
static void
return_outcome (GTask          *outer,
                gboolean        is_send,
                StampSmtpReply *reply,
                GHashTable     *capabilities,
                GError         *error)
{
  StampSmtpResult *run = g_task_get_task_data (outer);

  _stamp_smtp_result_finish (run, reply, error);

  if (is_send)
    g_task_return_pointer (outer, g_object_ref (run), g_object_unref);
  else if (error != NULL)
    g_task_return_error (outer, g_error_copy (error));
  else
    g_task_return_pointer (outer, g_hash_table_ref (capabilities),
                           (GDestroyNotify) g_hash_table_unref);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  StampSmtpClient *self = STAMP_SMTP_CLIENT (object);
  SendState *state = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gpointer outcome;

  self->busy = FALSE;

  /* A send ends with the accepting reply, a probe with the capabilities. */
  outcome = g_task_propagate_pointer (G_TASK (result), &error);
  if (state->message != NULL)
    {
      g_autoptr(StampSmtpReply) reply = outcome;

      return_outcome (outer, TRUE, reply, NULL, error);
    }
  else
    {
      g_autoptr(GHashTable) capabilities = outcome;

      return_outcome (outer, FALSE, NULL, capabilities, error);
    }
}

/* Runs a session for @message (or a probe, without one) in a worker
 * thread, unless one is running. Every run that starts has its result,
 * also when the settings or the message cannot work: then it fails before
 * anything touches the network. @outer reports to the caller once busy is
 * cleared, so its callback may start the next run. */
static void
start_worker (StampSmtpClient *self,
              StampMessage    *message,
              GTask           *outer)
{
  g_autoptr(StampSmtpResult) result = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  Target *target;

  if (self->busy)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A test send is already under way"));
      return;
    }

  result = _stamp_smtp_result_new (self->settings);
  g_task_set_task_data (outer, g_object_ref (result), g_object_unref);
  _stamp_smtp_client_set_result (self, result);

  if (!stamp_smtp_settings_check (self->settings, &error) ||
      !check_secret (self, &error) ||
      (message != NULL && !stamp_message_validate (message, &error)))
    {
      return_outcome (outer, message != NULL, NULL, NULL, error);
      return;
    }

  self->busy = TRUE;

  target = g_new0 (Target, 1);
  target->client = g_object_ref (self);
  target->result = g_object_ref (result);
  target->context = g_main_context_ref_thread_default ();

  worker = g_task_new (self, g_task_get_cancellable (outer), run_done_cb, g_object_ref (outer));
  g_task_set_source_tag (worker, run_in_thread);
  g_task_set_task_data (worker,
                        _stamp_send_state_new (self->settings, self->secret,
                                               self->secret_is_token, message,
                                               post_event, target, (GDestroyNotify) target_free),
                        (GDestroyNotify) _stamp_send_state_free);
  g_task_run_in_thread (worker, run_in_thread);
}

/**
 * stamp_smtp_client_send_async:
 * @self: a #StampSmtpClient
 * @message: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the send has ended
 * @user_data: data for @callback
 *
 * Sends @message in a worker thread. A new #StampSmtpClient:result starts
 * with it, whose steps and transcript lines appear on the thread-default
 * main context as they happen. Input that cannot work (a header with a line
 * break, a mechanism without its secret) fails before anything touches the
 * network.
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
 * Unlike most finish functions, this one returns the run's result even
 * when the send failed, because a failed send is what the steps, the
 * transcript and the server's refusal are most wanted for. @error is set
 * whenever the message was not accepted; it is a copy of
 * stamp_smtp_result_get_error().
 *
 * Returns: (transfer full) (nullable): what the send did, or %NULL only
 *   when another send was under way (%G_IO_ERROR_PENDING). Settings or a
 *   message that cannot work (%STAMP_ERROR_INVALID_INPUT) fail before
 *   anything touches the network, with a result that has no steps.
 */
StampSmtpResult *
stamp_smtp_client_send_finish (StampSmtpClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  StampSmtpResult *run;

  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_smtp_client_send_async,
                        NULL);

  run = g_task_propagate_pointer (G_TASK (result), error);
  if (run != NULL && stamp_smtp_result_get_error (run) != NULL)
    g_propagate_error (error, g_error_copy (stamp_smtp_result_get_error (run)));

  return run;
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
 * transcript go to #StampSmtpClient:result as for a send.
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

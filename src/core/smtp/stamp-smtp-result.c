/* stamp-smtp-result.c
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

#define G_LOG_DOMAIN "stamp-smtp-result"

#include "config.h"

#include "stamp-smtp-client-private.h"
#include "stamp-smtp-result.h"
#include "stamp-util.h"

/**
 * StampSmtpResult:
 *
 * What one send or probe did: the settings it ran with, the steps and the
 * redacted transcript (list models that grow on the caller's main context
 * while it runs, so a view can bind them), the TLS details, the mechanism
 * it signed in with, and in the end the accepting reply or the error with
 * the failed step and the server's refusal.
 */
struct _StampSmtpResult
{
  GObject parent_instance;

  /* Owned */
  StampSmtpSettings  *settings;
  GListStore         *steps;
  StampTranscript    *transcript;
  StampSmtpReply     *reply;
  GError             *error;
  StampSmtpStep      *failed_step;
  StampSmtpReply     *failure_reply;
  char               *tls_version;
  char               *tls_cipher;
  GStrv               tls_certificates;

  StampAuthMechanism  used_mechanism;
  guint               round_trips;
  gint64              elapsed;
};

G_DEFINE_FINAL_TYPE (StampSmtpResult, stamp_smtp_result, G_TYPE_OBJECT)

static void
stamp_smtp_result_finalize (GObject *object)
{
  StampSmtpResult *self = (StampSmtpResult *)object;

  g_clear_pointer (&self->settings, stamp_smtp_settings_free);
  g_clear_object (&self->steps);
  g_clear_object (&self->transcript);
  g_clear_object (&self->reply);
  g_clear_error (&self->error);
  g_clear_object (&self->failed_step);
  g_clear_object (&self->failure_reply);
  g_clear_pointer (&self->tls_version, g_free);
  g_clear_pointer (&self->tls_cipher, g_free);
  g_clear_pointer (&self->tls_certificates, g_strfreev);

  G_OBJECT_CLASS (stamp_smtp_result_parent_class)->finalize (object);
}

static void
stamp_smtp_result_class_init (StampSmtpResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_result_finalize;
}

static void
stamp_smtp_result_init (StampSmtpResult *self)
{
  self->steps = g_list_store_new (STAMP_TYPE_SMTP_STEP);
  self->transcript = stamp_transcript_new ();
  self->used_mechanism = STAMP_AUTH_NONE;
}

/* For the client: an empty result for a run with @settings. */
StampSmtpResult *
_stamp_smtp_result_new (const StampSmtpSettings *settings)
{
  return stamp_smtp_result_new (settings);
}

/**
 * stamp_smtp_result_new:
 * @settings: (nullable): the SMTP settings of the run, or %NULL for a
 *   transport that has none (Microsoft Graph)
 *
 * An empty result, for a transport other than the SMTP client to fill
 * with the builder functions below, on the main context a view watches.
 *
 * Returns: (transfer full): a new #StampSmtpResult
 */
StampSmtpResult *
stamp_smtp_result_new (const StampSmtpSettings *settings)
{
  StampSmtpResult *self = g_object_new (STAMP_TYPE_SMTP_RESULT, NULL);

  if (settings != NULL)
    self->settings = stamp_smtp_settings_copy (settings);

  return self;
}

static StampSmtpStep *
find_last_step (StampSmtpResult   *self,
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

/* For the client, on the caller's main context: what an event from the
 * session changes. Returns the step the event ended, if it ended one. */
StampSmtpStep *
_stamp_smtp_result_apply (StampSmtpResult *self,
                          SendEvent       *event)
{
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
        if (event->state == STAMP_STEP_FAILED)
          g_set_object (&self->failed_step, step);

        return step;
      }

    case SEND_EVENT_LINE:
      {
        g_autoptr(StampTranscriptLine) line =
          stamp_transcript_line_new (event->direction, event->time, event->text);

        stamp_transcript_append (self->transcript, line);
      }
      break;

    case SEND_EVENT_TLS:
      stamp_set_str (&self->tls_version, event->tls_version);
      stamp_set_str (&self->tls_cipher, event->tls_cipher);
      g_clear_pointer (&self->tls_certificates, g_strfreev);
      self->tls_certificates = g_steal_pointer (&event->certificates);
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

  return NULL;
}

/**
 * stamp_smtp_result_begin_step:
 * @self: a #StampSmtpResult
 * @kind: the step that begins
 *
 * Adds a running step to the checklist.
 */
void
stamp_smtp_result_begin_step (StampSmtpResult   *self,
                              StampSmtpStepKind  kind)
{
  SendEvent event = { .type = SEND_EVENT_STEP_BEGIN, .kind = kind };

  g_return_if_fail (STAMP_IS_SMTP_RESULT (self));

  _stamp_smtp_result_apply (self, &event);
}

/**
 * stamp_smtp_result_end_step:
 * @self: a #StampSmtpResult
 * @kind: the step that ends (the last one of that kind)
 * @state: %STAMP_STEP_SUCCEEDED or %STAMP_STEP_FAILED
 * @duration: microseconds the step took
 * @detail: (nullable): what came of it, already redacted
 *
 * Ends the last step of @kind; a failed one becomes the result's failed
 * step.
 */
void
stamp_smtp_result_end_step (StampSmtpResult   *self,
                            StampSmtpStepKind  kind,
                            StampStepState     state,
                            gint64             duration,
                            const char        *detail)
{
  SendEvent event = {
    .type = SEND_EVENT_STEP_END,
    .kind = kind,
    .state = state,
    .time = duration,
    .text = (char *) detail,
  };

  g_return_if_fail (STAMP_IS_SMTP_RESULT (self));

  _stamp_smtp_result_apply (self, &event);
}

/**
 * stamp_smtp_result_add_line:
 * @self: a #StampSmtpResult
 * @direction: who said it
 * @elapsed: microseconds since the run began
 * @text: the line, already redacted
 *
 * Appends a line to the transcript.
 */
void
stamp_smtp_result_add_line (StampSmtpResult          *self,
                            StampTranscriptDirection  direction,
                            gint64                    elapsed,
                            const char               *text)
{
  SendEvent event = {
    .type = SEND_EVENT_LINE,
    .direction = direction,
    .time = elapsed,
    .text = (char *) text,
  };

  g_return_if_fail (STAMP_IS_SMTP_RESULT (self));
  g_return_if_fail (text != NULL);

  _stamp_smtp_result_apply (self, &event);
}

/**
 * stamp_smtp_result_set_outcome:
 * @self: a #StampSmtpResult
 * @elapsed: microseconds the whole run took
 * @error: (nullable): why it failed (its message already redacted), or
 *   %NULL when the message was accepted
 *
 * Ends the run.
 */
void
stamp_smtp_result_set_outcome (StampSmtpResult *self,
                               gint64           elapsed,
                               const GError    *error)
{
  g_return_if_fail (STAMP_IS_SMTP_RESULT (self));

  self->elapsed = elapsed;
  _stamp_smtp_result_finish (self, NULL, error);
}

/* For the client, once the run has ended: the accepting reply, or why the
 * message was not accepted. */
void
_stamp_smtp_result_finish (StampSmtpResult *self,
                           StampSmtpReply  *reply,
                           const GError    *error)
{
  g_set_object (&self->reply, reply);
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
}

/**
 * stamp_smtp_result_get_settings:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): the settings the run used; %NULL
 *   for a run without SMTP settings (Microsoft Graph)
 */
const StampSmtpSettings *
stamp_smtp_result_get_settings (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->settings;
}

/**
 * stamp_smtp_result_get_reply:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): the server's reply accepting the
 *   message (the queue id line), or %NULL when it was not accepted
 */
StampSmtpReply *
stamp_smtp_result_get_reply (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->reply;
}

/**
 * stamp_smtp_result_get_error:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): why the run failed, or %NULL when it
 *   succeeded or is still under way
 */
const GError *
stamp_smtp_result_get_error (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->error;
}

/**
 * stamp_smtp_result_get_steps:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none): a #GListModel of #StampSmtpStep
 */
GListModel *
stamp_smtp_result_get_steps (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return G_LIST_MODEL (self->steps);
}

/**
 * stamp_smtp_result_get_transcript:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none): the redacted transcript
 */
StampTranscript *
stamp_smtp_result_get_transcript (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->transcript;
}

/**
 * stamp_smtp_result_get_failed_step:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): the step at which the run failed
 */
StampSmtpStep *
stamp_smtp_result_get_failed_step (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->failed_step;
}

/**
 * stamp_smtp_result_get_failure_reply:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): the server's reply that made the run
 *   fail, with its codes; %NULL when the failure was not a reply (a
 *   timeout, a certificate)
 */
StampSmtpReply *
stamp_smtp_result_get_failure_reply (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->failure_reply;
}

/**
 * stamp_smtp_result_get_tls_version:
 * @self: a #StampSmtpResult
 *
 * Returns: (nullable): the TLS version ("TLS1.3"), or %NULL without TLS
 */
const char *
stamp_smtp_result_get_tls_version (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->tls_version;
}

/**
 * stamp_smtp_result_get_tls_cipher:
 * @self: a #StampSmtpResult
 *
 * Returns: (nullable): the cipher ("AES-256-GCM")
 */
const char *
stamp_smtp_result_get_tls_cipher (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return self->tls_cipher;
}

/**
 * stamp_smtp_result_get_tls_certificates:
 * @self: a #StampSmtpResult
 *
 * Returns: (transfer none) (nullable): a summary of each certificate the
 *   server showed
 */
const char * const *
stamp_smtp_result_get_tls_certificates (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), NULL);

  return (const char * const *) self->tls_certificates;
}

/**
 * stamp_smtp_result_get_used_mechanism:
 * @self: a #StampSmtpResult
 *
 * Returns: the mechanism the run signed in with, or %STAMP_AUTH_NONE
 */
StampAuthMechanism
stamp_smtp_result_get_used_mechanism (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), STAMP_AUTH_NONE);

  return self->used_mechanism;
}

/**
 * stamp_smtp_result_get_round_trips:
 * @self: a #StampSmtpResult
 *
 * Returns: how many times the run had to wait for the server after
 *   writing: the protocol's round trips, TCP and TLS records aside
 */
guint
stamp_smtp_result_get_round_trips (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), 0);

  return self->round_trips;
}

/**
 * stamp_smtp_result_get_elapsed:
 * @self: a #StampSmtpResult
 *
 * Returns: how long the run took, in microseconds
 */
gint64
stamp_smtp_result_get_elapsed (StampSmtpResult *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_RESULT (self), 0);

  return self->elapsed;
}

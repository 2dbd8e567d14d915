/* stamp-fan-out.c
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

#define G_LOG_DOMAIN "stamp-fan-out"

#include "config.h"

#include "stamp-async.h"
#include "stamp-fan-out.h"

/**
 * StampFanOut:
 *
 * Sources of an answer that run side by side, each with its own deadline,
 * under a deadline for the whole run. Each source takes a #StampTimeLimit
 * from stamp_fan_out_add_source(), works with its cancellable, and reports
 * once with stamp_fan_out_source_done(); a source may start others before
 * it reports. The run finishes exactly once, on the main context it was
 * started from: when every source has reported, when one reports enough,
 * when the total deadline passes (with what has come in so far), or when
 * the caller cancels. Sources still at work then are cancelled, and what
 * they report later is dropped.
 */
struct _StampFanOut
{
  GObject       parent_instance;

  /* Owned */
  GTask        *task;          /* the run, until it finishes */
  GCancellable *cancellable;   /* cancelled when the run finishes */
  GCancellable *caller;
  GSource      *deadline;
  GPtrArray    *results;

  guint         source_ms;
  guint         total_ms;
  gulong        caller_handler;
  guint         pending;
  gboolean      finished;
};

G_DEFINE_FINAL_TYPE (StampFanOut, stamp_fan_out, G_TYPE_OBJECT)

static void
destroy_deadline (StampFanOut *self)
{
  if (self->deadline != NULL)
    g_source_destroy (self->deadline);
  g_clear_pointer (&self->deadline, g_source_unref);
}

static void
finish (StampFanOut *self)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  if (self->finished)
    return;

  self->finished = TRUE;
  task = g_steal_pointer (&self->task);
  g_cancellable_cancel (self->cancellable);
  if (self->caller_handler != 0)
    g_cancellable_disconnect (self->caller, self->caller_handler);
  self->caller_handler = 0;
  destroy_deadline (self);

  if (g_cancellable_set_error_if_cancelled (self->caller, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&self->results),
                           (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
deadline_cb (gpointer user_data)
{
  StampFanOut *self = user_data;

  g_debug ("Deadline of the whole run reached");
  finish (self);
  return G_SOURCE_REMOVE;
}

static gboolean
finish_idle_cb (gpointer user_data)
{
  finish (g_task_get_source_object (user_data));
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     GTask        *task)
{
  /* Never finish here: this may be another thread, and finish()
   * disconnects this very handler, which would deadlock inside it. */
  stamp_task_idle (task, finish_idle_cb);
}

static void
stamp_fan_out_dispose (GObject *object)
{
  StampFanOut *self = (StampFanOut *)object;

  destroy_deadline (self);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (stamp_fan_out_parent_class)->dispose (object);
}

static void
stamp_fan_out_finalize (GObject *object)
{
  StampFanOut *self = (StampFanOut *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->caller);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_fan_out_parent_class)->finalize (object);
}

static void
stamp_fan_out_class_init (StampFanOutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_fan_out_dispose;
  object_class->finalize = stamp_fan_out_finalize;
}

static void
stamp_fan_out_init (StampFanOut *self)
{
  self->cancellable = g_cancellable_new ();
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * stamp_fan_out_new:
 * @source_ms: the deadline of each source
 * @total_ms: the deadline of the whole run
 *
 * Returns: (transfer full): a new #StampFanOut, to be started with
 *   stamp_fan_out_run_async()
 */
StampFanOut *
stamp_fan_out_new (guint source_ms,
                   guint total_ms)
{
  StampFanOut *self;

  g_return_val_if_fail (source_ms > 0 && total_ms > 0, NULL);

  self = g_object_new (STAMP_TYPE_FAN_OUT, NULL);
  self->source_ms = source_ms;
  self->total_ms = total_ms;

  return self;
}

/**
 * stamp_fan_out_run_async:
 * @self: a #StampFanOut
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, when the run ends
 * @user_data: data for @callback
 *
 * Starts the total deadline; add the sources right after. A run can be
 * started once.
 */
void
stamp_fan_out_run_async (StampFanOut         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (STAMP_IS_FAN_OUT (self));
  g_return_if_fail (self->task == NULL && !self->finished);

  /* The answer depends on whether the caller had cancelled when the run
   * ended, not when the result is read. */
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, stamp_fan_out_run_async);
  g_task_set_check_cancellable (self->task, FALSE);

  if (cancellable != NULL)
    {
      self->caller = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (caller_cancelled_cb),
                                                    self->task, NULL);
    }

  self->deadline = g_timeout_source_new (self->total_ms);
  g_source_set_callback (self->deadline, deadline_cb, self, NULL);
  g_source_attach (self->deadline, g_task_get_context (self->task));
}

/**
 * stamp_fan_out_run_finish:
 * @self: a #StampFanOut
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type GObject): what the sources
 *   reported before the run ended, in the order they reported it; %NULL
 *   with %G_IO_ERROR_CANCELLED when the caller cancelled
 */
GPtrArray *
stamp_fan_out_run_finish (StampFanOut   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (STAMP_IS_FAN_OUT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_fan_out_run_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_fan_out_add_source:
 * @self: a running #StampFanOut
 *
 * Counts one more source the run waits for. Its limit is cancelled by its
 * own deadline and by the end of the run; drop it once the source has
 * reported.
 *
 * Returns: (transfer full): the source's limit
 */
StampTimeLimit *
stamp_fan_out_add_source (StampFanOut *self)
{
  g_return_val_if_fail (STAMP_IS_FAN_OUT (self), NULL);
  g_return_val_if_fail (self->task != NULL || self->finished, NULL);

  self->pending++;

  return stamp_time_limit_new (self->cancellable, self->source_ms,
                               self->task != NULL ? g_task_get_context (self->task) : NULL);
}

/**
 * stamp_fan_out_source_done:
 * @self: a #StampFanOut
 * @results: (nullable) (transfer full) (element-type GObject): what the
 *   source found
 * @enough: whether this answer, given any result at all, ends the run
 *
 * Reports one source. The last one, or one with @enough while there are
 * results, ends the run.
 */
void
stamp_fan_out_source_done (StampFanOut *self,
                           GPtrArray   *results,
                           gboolean     enough)
{
  g_autoptr(GPtrArray) found = results;

  g_return_if_fail (STAMP_IS_FAN_OUT (self));
  g_return_if_fail (self->pending > 0);

  self->pending--;
  if (self->finished)
    return;

  if (found != NULL)
    g_ptr_array_extend_and_steal (self->results, g_steal_pointer (&found));

  if ((enough && self->results->len > 0) || self->pending == 0)
    finish (self);
}

/**
 * stamp_fan_out_is_finished:
 * @self: a #StampFanOut
 *
 * Returns: %TRUE once the run has ended, when what a source found no
 *   longer counts
 */
gboolean
stamp_fan_out_is_finished (StampFanOut *self)
{
  g_return_val_if_fail (STAMP_IS_FAN_OUT (self), TRUE);

  return self->finished;
}

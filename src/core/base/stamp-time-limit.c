/* stamp-time-limit.c
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

#define G_LOG_DOMAIN "stamp-time-limit"

#include "config.h"

#include "stamp-time-limit.h"

/**
 * StampTimeLimit:
 *
 * A cancellable for one step that has a deadline and answers to a larger
 * operation: it is cancelled when its parent is, or when the time runs
 * out, and it can tell the two apart, so the step can report "took too
 * long" rather than "cancelled". Dropping the last reference stops the
 * timer and lets go of the parent, from any code path, a cancelled
 * handler included.
 */
struct _StampTimeLimit
{
  GObject       parent_instance;

  /* Owned */
  GCancellable *cancellable;
  GCancellable *parent;
  GMainContext *context;
  GSource      *timer;

  gulong        parent_handler;
  gboolean      expired;
};

G_DEFINE_FINAL_TYPE (StampTimeLimit, stamp_time_limit, G_TYPE_OBJECT)

static void
forward_cancel_cb (GCancellable *parent,
                   GCancellable *child)
{
  g_cancellable_cancel (child);
}

static gboolean
expired_cb (gpointer user_data)
{
  StampTimeLimit *self = user_data;

  g_debug ("Time limit reached");
  /* Only when the time is what stops the step. */
  self->expired = !g_cancellable_is_cancelled (self->cancellable);
  g_clear_pointer (&self->timer, g_source_unref);
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static void
stop_timer (StampTimeLimit *self)
{
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static void
stamp_time_limit_dispose (GObject *object)
{
  StampTimeLimit *self = (StampTimeLimit *)object;

  stop_timer (self);

  /* Not g_cancellable_disconnect(): it waits for a running "cancelled"
   * emission to end, and deadlocks when that emission is the one we are
   * inside (the parent's end cancelling a step whose callback drops its
   * limit). The handler holds its own reference to the child, so a late
   * call only cancels a cancellable nobody uses any more. */
  if (self->parent_handler != 0)
    g_signal_handler_disconnect (self->parent, self->parent_handler);
  self->parent_handler = 0;
  g_clear_object (&self->parent);

  G_OBJECT_CLASS (stamp_time_limit_parent_class)->dispose (object);
}

static void
stamp_time_limit_finalize (GObject *object)
{
  StampTimeLimit *self = (StampTimeLimit *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (stamp_time_limit_parent_class)->finalize (object);
}

static void
stamp_time_limit_class_init (StampTimeLimitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_time_limit_dispose;
  object_class->finalize = stamp_time_limit_finalize;
}

static void
stamp_time_limit_init (StampTimeLimit *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * stamp_time_limit_new:
 * @parent: (nullable): the cancellable of the larger operation
 * @timeout_ms: how long the step may take, or 0 for no limit yet
 * @context: (nullable): the main context the timer runs on, or %NULL for
 *   the thread-default one
 *
 * Creates a limit whose cancellable is cancelled when @parent is (at once
 * if it already is) or when @timeout_ms have passed. Drop it on the
 * thread that runs @context.
 *
 * Returns: (transfer full): a new #StampTimeLimit
 */
StampTimeLimit *
stamp_time_limit_new (GCancellable *parent,
                      guint         timeout_ms,
                      GMainContext *context)
{
  StampTimeLimit *self;

  g_return_val_if_fail (parent == NULL || G_IS_CANCELLABLE (parent), NULL);

  self = g_object_new (STAMP_TYPE_TIME_LIMIT, NULL);
  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();

  if (parent != NULL)
    {
      self->parent = g_object_ref (parent);
      self->parent_handler = g_cancellable_connect (parent, G_CALLBACK (forward_cancel_cb),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }

  stamp_time_limit_set_timeout (self, timeout_ms);

  return self;
}

/**
 * stamp_time_limit_get_cancellable:
 * @self: a #StampTimeLimit
 *
 * Returns: (transfer none): the cancellable to give the step
 */
GCancellable *
stamp_time_limit_get_cancellable (StampTimeLimit *self)
{
  g_return_val_if_fail (STAMP_IS_TIME_LIMIT (self), NULL);

  return self->cancellable;
}

/**
 * stamp_time_limit_set_timeout:
 * @self: a #StampTimeLimit
 * @timeout_ms: how long from now the step may take, or 0 for no limit
 *
 * Starts the timer again from now, or stops it: for an operation whose
 * time limit covers only some of its steps. A limit that has expired
 * stays expired.
 */
void
stamp_time_limit_set_timeout (StampTimeLimit *self,
                              guint           timeout_ms)
{
  g_return_if_fail (STAMP_IS_TIME_LIMIT (self));

  stop_timer (self);
  if (timeout_ms == 0 || self->expired)
    return;

  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, expired_cb, self, NULL);
  g_source_attach (self->timer, self->context);
}

/**
 * stamp_time_limit_has_expired:
 * @self: a #StampTimeLimit
 *
 * Returns: %TRUE if the time ran out, as opposed to the parent being
 *   cancelled or the step still running
 */
gboolean
stamp_time_limit_has_expired (StampTimeLimit *self)
{
  g_return_val_if_fail (STAMP_IS_TIME_LIMIT (self), FALSE);

  return self->expired;
}

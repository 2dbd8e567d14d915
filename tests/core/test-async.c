/* test-async.c
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

/* The async helpers of base/: a time limit chained to a parent
 * cancellable, the fan-out of sources under two deadlines, and the bounded
 * name lookup built on the first. */

#include "config.h"

#include <gio/gio.h>

#include "stamp-error.h"
#include "stamp-fan-out.h"
#include "stamp-net.h"
#include "stamp-test-resolver.h"
#include "stamp-time-limit.h"

/* Time limits */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the thread-default context for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;
  g_autoptr(GSource) timer = g_timeout_source_new (ms);

  g_source_set_callback (timer, set_flag_cb, &done, NULL);
  g_source_attach (timer, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timer);
}

static void
test_time_limit_parent_cancel (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  g_autoptr(StampTimeLimit) limit = stamp_time_limit_new (parent, 10000, NULL);
  GCancellable *cancellable = stamp_time_limit_get_cancellable (limit);

  g_assert_false (g_cancellable_is_cancelled (cancellable));
  g_cancellable_cancel (parent);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_false (stamp_time_limit_has_expired (limit));
}

static void
test_time_limit_parent_cancelled_before (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  g_autoptr(StampTimeLimit) limit = NULL;

  g_cancellable_cancel (parent);
  limit = stamp_time_limit_new (parent, 10000, NULL);
  g_assert_true (g_cancellable_is_cancelled (stamp_time_limit_get_cancellable (limit)));
  g_assert_false (stamp_time_limit_has_expired (limit));
}

static void
test_time_limit_expires (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  g_autoptr(StampTimeLimit) limit = stamp_time_limit_new (parent, 20, NULL);
  GCancellable *cancellable = stamp_time_limit_get_cancellable (limit);

  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (stamp_time_limit_has_expired (limit));
  g_assert_false (g_cancellable_is_cancelled (parent));
}

static void
test_time_limit_restart (void)
{
  g_autoptr(StampTimeLimit) limit = stamp_time_limit_new (NULL, 0, NULL);
  GCancellable *cancellable = stamp_time_limit_get_cancellable (limit);

  /* No limit yet, then one, then none again: nothing fires. */
  spin (30);
  stamp_time_limit_set_timeout (limit, 20);
  stamp_time_limit_set_timeout (limit, 0);
  spin (60);
  g_assert_false (g_cancellable_is_cancelled (cancellable));

  stamp_time_limit_set_timeout (limit, 20);
  spin (60);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_true (stamp_time_limit_has_expired (limit));
}

static void
drop_limit_cb (GCancellable    *parent,
               StampTimeLimit **limit)
{
  g_clear_object (limit);
}

/* A step whose callback drops its limit while the parent is being
 * cancelled must neither deadlock nor leave the parent pointing at it. */
static void
test_time_limit_drop_in_handler (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  StampTimeLimit *limit = stamp_time_limit_new (parent, 10000, NULL);
  g_autoptr(GCancellable) child = g_object_ref (stamp_time_limit_get_cancellable (limit));
  gulong handler;

  handler = g_signal_connect (parent, "cancelled", G_CALLBACK (drop_limit_cb), &limit);
  g_cancellable_cancel (parent);
  g_assert_null (limit);
  g_signal_handler_disconnect (parent, handler);
  g_cancellable_reset (parent);
  g_cancellable_cancel (parent);
  g_assert_finalize_object (g_steal_pointer (&child));
}

static void
test_time_limit_dropped (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  StampTimeLimit *limit = stamp_time_limit_new (parent, 20, NULL);
  g_autoptr(GCancellable) child = g_object_ref (stamp_time_limit_get_cancellable (limit));

  g_assert_finalize_object (limit);
  spin (60);
  g_cancellable_cancel (parent);
  g_assert_false (g_cancellable_is_cancelled (child));
}

static gpointer
cancel_later_thread (gpointer user_data)
{
  g_usleep (50 * 1000);
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_resolve_host_timeout (void)
{
  g_autoptr(StampTestResolver) resolver = stamp_test_resolver_install ();
  g_autoptr(GError) error = NULL;
  GList *addresses;

  stamp_test_resolver_set_hang (resolver, TRUE);
  addresses = stamp_resolve_host ("mail.example.test", 1, NULL, &error);
  g_assert_null (addresses);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==,
                   "Looking up “mail.example.test” took longer than 1 seconds");
}

static void
test_resolve_host_cancel (void)
{
  g_autoptr(StampTestResolver) resolver = stamp_test_resolver_install ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  GList *addresses;

  stamp_test_resolver_set_hang (resolver, TRUE);
  thread = g_thread_new ("cancel", cancel_later_thread, cancellable);
  addresses = stamp_resolve_host ("mail.example.test", 30, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (addresses);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Fan-out */

/* A source that answers after @answer_ms (never when 0) with @n_found
 * objects, and that, once cancelled, reports nothing from an idle, as a
 * GIO call does. */
typedef struct
{
  guint    answer_ms;
  guint    n_found;
  gboolean enough;
  gboolean expires;   /* expected: its own deadline stops it */
} SourceCase;

typedef enum
{
  CANCEL_NEVER,
  CANCEL_LATER,
  CANCEL_FROM_THREAD,
} CancelMode;

typedef struct
{
  const char *name;
  guint       source_ms;
  guint       total_ms;
  CancelMode  cancel;
  int         n_results;   /* -1: cancelled */
  guint       min_ms;      /* the run may not end sooner, nor after 4 s */
  guint       n_sources;
  SourceCase  sources[3];
} FanOutCase;

static const FanOutCase fan_out_cases[] = {
  { "all-report", 1000, 5000, CANCEL_NEVER, 3, 30, 3,
    { { 10, 1, FALSE }, { 20, 1, FALSE }, { 30, 1, FALSE } } },
  /* The third is cancelled, not waited for. */
  { "enough", 1000, 5000, CANCEL_NEVER, 2, 20, 3,
    { { 10, 1, FALSE }, { 20, 1, TRUE }, { 500, 1, FALSE } } },
  /* A confident source with nothing to say does not end the run. */
  { "enough-needs-results", 1000, 5000, CANCEL_NEVER, 1, 30, 2,
    { { 10, 0, TRUE }, { 30, 1, FALSE } } },
  /* What came in before the deadline; the rest is cancelled. */
  { "total-deadline", 5000, 200, CANCEL_NEVER, 1, 200, 2,
    { { 10, 1, FALSE }, { 0, 0, FALSE } } },
  /* The silent source runs out of time on its own, and the run ends with
   * every source reported, long before its total deadline. */
  { "source-deadline", 100, 5000, CANCEL_NEVER, 1, 100, 2,
    { { 10, 1, FALSE }, { 0, 0, FALSE, TRUE } } },
  { "cancel", 5000, 5000, CANCEL_LATER, -1, 50, 3,
    { { 10, 1, FALSE }, { 0, 0, FALSE }, { 0, 0, FALSE } } },
  { "cancel-from-thread", 5000, 5000, CANCEL_FROM_THREAD, -1, 0, 1,
    { { 0, 0, FALSE } } },
};

typedef struct
{
  const SourceCase *spec;
  StampFanOut      *fan_out;
  StampTimeLimit   *limit;
  GSource          *answer;
  guint             cancelled_idle;
  gboolean          expired;
} FakeSource;

typedef struct
{
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
  guint      n_callbacks;
  gint64     finished_at;
} FanOutRun;

static void
fake_source_done (FakeSource *source,
                  GPtrArray  *results)
{
  source->expired = stamp_time_limit_has_expired (source->limit);
  g_clear_handle_id (&source->cancelled_idle, g_source_remove);
  if (source->answer != NULL)
    g_source_destroy (source->answer);
  g_clear_pointer (&source->answer, g_source_unref);
  g_clear_object (&source->limit);

  stamp_fan_out_source_done (source->fan_out, results, source->spec->enough);
}

static gboolean
fake_source_answer_cb (gpointer user_data)
{
  FakeSource *source = user_data;
  GPtrArray *results = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < source->spec->n_found; i++)
    g_ptr_array_add (results, g_object_new (G_TYPE_OBJECT, NULL));
  fake_source_done (source, results);

  return G_SOURCE_REMOVE;
}

static gboolean
fake_source_cancelled_idle (gpointer user_data)
{
  FakeSource *source = user_data;

  source->cancelled_idle = 0;
  fake_source_done (source, NULL);

  return G_SOURCE_REMOVE;
}

static void
fake_source_cancelled_cb (GCancellable *cancellable,
                          FakeSource   *source)
{
  if (source->limit != NULL && source->cancelled_idle == 0)
    source->cancelled_idle = g_idle_add (fake_source_cancelled_idle, source);
}

static void
fake_source_start (FakeSource       *source,
                   const SourceCase *spec,
                   StampFanOut      *fan_out)
{
  source->spec = spec;
  source->fan_out = fan_out;
  source->limit = stamp_fan_out_add_source (fan_out);
  g_signal_connect (stamp_time_limit_get_cancellable (source->limit), "cancelled",
                    G_CALLBACK (fake_source_cancelled_cb), source);

  if (spec->answer_ms > 0)
    {
      source->answer = g_timeout_source_new (spec->answer_ms);
      g_source_set_callback (source->answer, fake_source_answer_cb, source, NULL);
      g_source_attach (source->answer, NULL);
    }
}

static void
fan_out_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  FanOutRun *run = user_data;

  run->n_callbacks++;
  run->finished_at = g_get_monotonic_time ();
  run->results = stamp_fan_out_run_finish (STAMP_FAN_OUT (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return NULL;
}

static gboolean
all_reported (FakeSource *sources,
              guint       n_sources)
{
  for (guint i = 0; i < n_sources; i++)
    {
      if (sources[i].limit != NULL)
        return FALSE;
    }

  return TRUE;
}

static void
test_fan_out (gconstpointer data)
{
  const FanOutCase *spec = data;
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (spec->source_ms, spec->total_ms);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  FanOutRun run = { loop };
  FakeSource sources[G_N_ELEMENTS (spec->sources)] = { { NULL } };
  gint64 started = g_get_monotonic_time ();

  stamp_fan_out_run_async (fan_out, cancellable, fan_out_cb, &run);
  for (guint i = 0; i < spec->n_sources; i++)
    fake_source_start (&sources[i], &spec->sources[i], fan_out);

  if (spec->cancel == CANCEL_LATER)
    g_timeout_add_once (50, cancel_cb, cancellable);
  else if (spec->cancel == CANCEL_FROM_THREAD)
    g_thread_join (g_thread_new ("cancel", cancel_thread, cancellable));

  /* The run's end, then a while longer: it ends only once, and every
   * source still reports. */
  g_main_loop_run (loop);
  while (!all_reported (sources, spec->n_sources))
    g_main_context_iteration (NULL, TRUE);
  spin (50);

  g_assert_cmpuint (run.n_callbacks, ==, 1);
  g_assert_true (stamp_fan_out_is_finished (fan_out));
  g_assert_cmpint (run.finished_at - started, >=, spec->min_ms * 1000);
  g_assert_cmpint (run.finished_at - started, <, 4000 * 1000);

  if (spec->n_results < 0)
    {
      g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (run.results);
    }
  else
    {
      g_assert_no_error (run.error);
      g_assert_cmpuint (run.results->len, ==, spec->n_results);
    }

  for (guint i = 0; i < spec->n_sources; i++)
    g_assert_cmpint (sources[i].expired, ==, spec->sources[i].expires);

  g_clear_pointer (&run.results, g_ptr_array_unref);
  g_clear_error (&run.error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/async/time-limit/parent-cancel", test_time_limit_parent_cancel);
  g_test_add_func ("/stamp/async/time-limit/parent-cancelled-before",
                   test_time_limit_parent_cancelled_before);
  g_test_add_func ("/stamp/async/time-limit/expires", test_time_limit_expires);
  g_test_add_func ("/stamp/async/time-limit/restart", test_time_limit_restart);
  g_test_add_func ("/stamp/async/time-limit/drop-in-handler", test_time_limit_drop_in_handler);
  g_test_add_func ("/stamp/async/time-limit/dropped", test_time_limit_dropped);
  g_test_add_func ("/stamp/async/resolve-host/timeout", test_resolve_host_timeout);
  g_test_add_func ("/stamp/async/resolve-host/cancel", test_resolve_host_cancel);
  for (guint i = 0; i < G_N_ELEMENTS (fan_out_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/async/fan-out/%s",
                                               fan_out_cases[i].name);

      g_test_add_data_func (path, &fan_out_cases[i], test_fan_out);
    }

  return g_test_run ();
}

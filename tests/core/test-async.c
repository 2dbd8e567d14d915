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

/* A source that answers with one object after @answer_ms (never when 0),
 * and that, once cancelled, reports nothing from an idle, as a GIO call
 * does. */
typedef struct
{
  StampFanOut    *fan_out;
  StampTimeLimit *limit;
  GSource        *answer;
  guint           cancelled_idle;
  gboolean        enough;
  gboolean        expired;
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

  stamp_fan_out_source_done (source->fan_out, results, source->enough);
}

static gboolean
fake_source_answer_cb (gpointer user_data)
{
  FakeSource *source = user_data;
  GPtrArray *results = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (results, g_object_new (G_TYPE_OBJECT, NULL));
  g_clear_pointer (&source->answer, g_source_unref);
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
fake_source_start (FakeSource  *source,
                   StampFanOut *fan_out,
                   guint        answer_ms,
                   gboolean     enough)
{
  source->fan_out = fan_out;
  source->enough = enough;
  source->limit = stamp_fan_out_add_source (fan_out);
  g_signal_connect (stamp_time_limit_get_cancellable (source->limit), "cancelled",
                    G_CALLBACK (fake_source_cancelled_cb), source);

  if (answer_ms > 0)
    {
      source->answer = g_timeout_source_new (answer_ms);
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
fan_out_run_clear (FanOutRun *run)
{
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_clear_error (&run->error);
}

/* Waits for the run's end, then a while longer, to see it end only once
 * and every source report. */
static void
fan_out_wait (FanOutRun  *run,
              FakeSource *sources,
              guint       n_sources)
{
  gboolean reported = FALSE;

  g_main_loop_run (run->loop);

  while (!reported)
    {
      reported = TRUE;
      for (guint i = 0; i < n_sources; i++)
        reported = reported && sources[i].limit == NULL;
      if (!reported)
        g_main_context_iteration (NULL, TRUE);
    }
  spin (50);

  g_assert_cmpuint (run->n_callbacks, ==, 1);
}

static void
test_fan_out_all_report (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (1000, 5000);
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[3] = { { NULL } };

  stamp_fan_out_run_async (fan_out, NULL, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 10, FALSE);
  fake_source_start (&sources[1], fan_out, 20, FALSE);
  fake_source_start (&sources[2], fan_out, 30, FALSE);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, 3);
  g_assert_true (stamp_fan_out_is_finished (fan_out));
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_assert_false (sources[i].expired);
  fan_out_run_clear (&run);
}

static void
test_fan_out_enough (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (1000, 5000);
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[3] = { { NULL } };

  stamp_fan_out_run_async (fan_out, NULL, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 10, FALSE);
  fake_source_start (&sources[1], fan_out, 20, TRUE);
  fake_source_start (&sources[2], fan_out, 500, FALSE);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  /* The first two count; the third is cancelled, not waited for. */
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, 2);
  fan_out_run_clear (&run);
}

static void
test_fan_out_enough_needs_results (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (1000, 5000);
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[2] = { { NULL } };

  /* A confident source with nothing to say does not end the run. */
  stamp_fan_out_run_async (fan_out, NULL, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 0, TRUE);
  fake_source_start (&sources[1], fan_out, 30, FALSE);
  stamp_fan_out_source_done (fan_out, NULL, TRUE);
  g_clear_object (&sources[0].limit);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, 1);
  fan_out_run_clear (&run);
}

static void
test_fan_out_total_deadline (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (5000, 200);
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[2] = { { NULL } };
  gint64 started = g_get_monotonic_time ();

  stamp_fan_out_run_async (fan_out, NULL, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 10, FALSE);
  fake_source_start (&sources[1], fan_out, 0, FALSE);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  /* What came in before the deadline, and the rest cancelled. */
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, 1);
  g_assert_cmpint (run.finished_at - started, >=, 200 * 1000);
  g_assert_cmpint (run.finished_at - started, <, 4000 * 1000);
  g_assert_false (sources[1].expired);
  fan_out_run_clear (&run);
}

static void
test_fan_out_source_deadline (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (100, 5000);
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[2] = { { NULL } };
  gint64 started = g_get_monotonic_time ();

  stamp_fan_out_run_async (fan_out, NULL, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 10, FALSE);
  fake_source_start (&sources[1], fan_out, 0, FALSE);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  /* The silent source runs out of time on its own; the run then ends
   * with every source reported, long before its total deadline. */
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.results->len, ==, 1);
  g_assert_true (sources[1].expired);
  g_assert_cmpint (run.finished_at - started, <, 4000 * 1000);
  fan_out_run_clear (&run);
}

static void
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_fan_out_cancel (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (5000, 5000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[3] = { { NULL } };

  stamp_fan_out_run_async (fan_out, cancellable, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 10, FALSE);
  fake_source_start (&sources[1], fan_out, 0, FALSE);
  fake_source_start (&sources[2], fan_out, 0, FALSE);
  g_timeout_add_once (50, cancel_cb, cancellable);
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.results);
  g_assert_false (sources[1].expired);
  g_assert_false (sources[2].expired);
  fan_out_run_clear (&run);
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_fan_out_cancel_from_thread (void)
{
  g_autoptr(StampFanOut) fan_out = stamp_fan_out_new (5000, 5000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  FanOutRun run = { g_main_loop_new (NULL, FALSE) };
  FakeSource sources[1] = { { NULL } };

  stamp_fan_out_run_async (fan_out, cancellable, fan_out_cb, &run);
  fake_source_start (&sources[0], fan_out, 0, FALSE);
  g_thread_join (g_thread_new ("cancel", cancel_thread, cancellable));
  fan_out_wait (&run, sources, G_N_ELEMENTS (sources));

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fan_out_run_clear (&run);
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
  g_test_add_func ("/stamp/async/fan-out/all-report", test_fan_out_all_report);
  g_test_add_func ("/stamp/async/fan-out/enough", test_fan_out_enough);
  g_test_add_func ("/stamp/async/fan-out/enough-needs-results",
                   test_fan_out_enough_needs_results);
  g_test_add_func ("/stamp/async/fan-out/total-deadline", test_fan_out_total_deadline);
  g_test_add_func ("/stamp/async/fan-out/source-deadline", test_fan_out_source_deadline);
  g_test_add_func ("/stamp/async/fan-out/cancel", test_fan_out_cancel);
  g_test_add_func ("/stamp/async/fan-out/cancel-from-thread", test_fan_out_cancel_from_thread);

  return g_test_run ();
}

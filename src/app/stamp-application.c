/* stamp-application.c
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

#define G_LOG_DOMAIN "stamp-application"

#include "config.h"

#include "stamp-application-private.h"
#include "stamp-window.h"

/*
 * StampApplication:
 *
 * The application object: it owns the app actions and their keyboard
 * shortcuts, and opens a #StampWindow when Stamp is launched. The resource
 * base path makes GtkApplication load `gtk/help-overlay.ui` and the icons
 * from the GResource, and makes AdwApplication load `style.css`.
 */
struct _StampApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (StampApplication, stamp_application, ADW_TYPE_APPLICATION)

static void
stamp_application_bench_after_paint_cb (StampApplication *self,
                                        GdkFrameClock    *frame_clock)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (frame_clock,
                                        stamp_application_bench_after_paint_cb,
                                        self);
  g_application_quit (G_APPLICATION (self));
}

static void
stamp_application_activate (GApplication *app)
{
  StampApplication *self = (StampApplication *)app;
  GtkWindow *window;

  g_assert (STAMP_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (stamp_window_new (self));

  gtk_window_present (window);

  /* Benchmark hook for tests/bench/startup-bench.py, which times how long the
   * window takes to appear against a bare libadwaita window that does the same:
   * quit right after the first frame of the (now realized) window is painted.
   * Unset, it costs one getenv. */
  if (g_getenv ("STAMP_BENCH_QUIT_AFTER_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                             G_CALLBACK (stamp_application_bench_after_paint_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
stamp_application_startup (GApplication *app)
{
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  StampApplication *self = (StampApplication *)app;

  g_assert (STAMP_IS_APPLICATION (self));

  G_APPLICATION_CLASS (stamp_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
stamp_application_class_init (StampApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = stamp_application_activate;
  app_class->startup = stamp_application_startup;
}

static void
stamp_application_init (StampApplication *self)
{
  _stamp_application_add_actions (self);
}

/**
 * stamp_application_new:
 *
 * Creates the application object, with Stamp's application id and resource
 * base path.
 *
 * Returns: (transfer full): a new #StampApplication
 */
StampApplication *
stamp_application_new (void)
{
  return g_object_new (STAMP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/* bare-window.c
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

/*
 * The reference that tests/bench/startup-bench.py measures Stamp against: the
 * smallest AdwApplication that shows what a minimal libadwaita app shows, one
 * AdwApplicationWindow of Stamp's default size holding an AdwHeaderBar and an
 * AdwStatusPage with an icon, a title and a description.
 *
 * Right after the window's first frame has been painted it prints
 * "first-frame T" (T: CLOCK_MONOTONIC in µs), as Stamp does when
 * STAMP_BENCH_FRAMES is set, and quits, so that the two processes' first
 * frames and peak memory compare like for like.
 */

#define G_LOG_DOMAIN "bare-window"

#include <stdio.h>

#include <adwaita.h>

static void
after_paint_cb (GdkFrameClock *frame_clock,
                GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, app);
  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_application_quit (app);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *status_page;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Bare Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);

  status_page = adw_status_page_new ();
  gtk_widget_set_vexpand (status_page, TRUE);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status_page), "mail-send-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status_page), "Nothing Here Yet");
  adw_status_page_set_description (ADW_STATUS_PAGE (status_page),
                                   "A bare libadwaita window, the reference for "
                                   "the startup benchmark.");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status_page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  /* Presenting realizes the window, so its surface has a frame clock now. */
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.stampmail.BareWindow", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

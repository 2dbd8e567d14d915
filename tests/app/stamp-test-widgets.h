/* stamp-test-widgets.h
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

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*StampTestWaitPredicate) (gpointer data);
typedef gboolean (*StampTestWidgetMatch)   (GtkWidget     *widget,
                                            gconstpointer  data);

/* Runs the main loop until @predicate holds; fails after 30 s. */
void       stamp_test_wait_until                 (StampTestWaitPredicate  predicate,
                                                  gpointer                data,
                                                  const char             *what);
/* Waits until @widget is mapped and two frames have been painted since the
 * call, so that style and size changes have been laid out and drawn. */
void       stamp_test_wait_for_frames            (GtkWidget              *widget);
/* Saves @widget as @name in $STAMP_SCREENSHOT_DIR, if set, as a frame of its
 * own paints it. */
void       stamp_test_save_screenshot            (GtkWidget              *widget,
                                                  const char             *name);
/* Saves @name-light.png and @name-dark.png of @widget, if screenshots are on. */
void       stamp_test_save_light_and_dark        (GtkWidget              *widget,
                                                  const char             *name);

/* The first widget under @widget (itself included) that @match accepts. */
GtkWidget *stamp_test_find_widget                (GtkWidget              *widget,
                                                  StampTestWidgetMatch    match,
                                                  gconstpointer           data);
gboolean   stamp_test_is_row_titled              (GtkWidget              *widget,
                                                  gconstpointer           data);
gboolean   stamp_test_is_mapped_button_for       (GtkWidget              *widget,
                                                  gconstpointer           data);
const char *stamp_test_button_get_label           (GtkWidget              *button);
gboolean   stamp_test_is_mapped_button_labelled  (GtkWidget              *widget,
                                                  gconstpointer           data);
gboolean   stamp_test_is_mapped_label_containing (GtkWidget              *widget,
                                                  gconstpointer           data);
gboolean   stamp_test_is_of_type                 (GtkWidget              *widget,
                                                  gconstpointer           data);

GtkWidget *stamp_test_find_row                   (GtkWidget              *widget,
                                                  const char             *title);
void       stamp_test_click_button               (GtkWidget              *button);
/* Fails if a control on screen takes no keyboard focus or has no name. */
void       stamp_test_check_controls             (GtkWidget              *widget);

G_END_DECLS

/* stamp-test-window.h
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

typedef struct
{
  GtkWindow *window;
  int        width;
} StampTestWidthCheck;

/* Wait predicates: data is a StampTestWidthCheck. */
gboolean   stamp_test_surface_has_width (gpointer     data);
GtkWidget *stamp_test_find_descendant  (GtkWidget   *widget,
                                        GType        type);
GtkWindow *stamp_test_find_toplevel    (GType        type);
GtkWidget *stamp_test_find_message_dialog (void);
GtkWidget *stamp_test_lookup_account_row (GtkWindow  *window,
                                          const char *address);
GtkWidget *stamp_test_find_account_row (GtkWindow  *window,
                                        const char *address);
char      *stamp_test_set_up_config_home (const char *program,
                                          gboolean   *owned);
gboolean   stamp_test_message_dialog_shown (gpointer   data);
void       stamp_test_remove_tree      (const char  *path);
GtkWidget *stamp_test_find_actionable  (GtkWidget   *widget,
                                        const char  *action_name);
gboolean   stamp_test_text_has_label   (GtkWidget   *widget,
                                        const char  *text);
void       stamp_test_wait_for_label   (GtkWidget   *widget,
                                        const char  *text);
GtkStack  *stamp_test_window_stack     (GtkWindow   *window);
void       stamp_test_wait_for_page    (GtkWindow   *window,
                                        const char  *name);
GPtrArray *stamp_test_account_rows     (GtkWindow   *window);
void       stamp_test_run_with_account_file (const char *contents);
void       stamp_test_reset_settings   (void);

G_END_DECLS

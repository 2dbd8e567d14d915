/* stamp-window.c
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

#define G_LOG_DOMAIN "stamp-window"

#include "config.h"

#include "stamp-application.h"
#include "stamp-window.h"

/*
 * StampWindow:
 *
 * The main window. Until Stamp has sending accounts it shows an empty state
 * that says what Stamp does. Its size and maximized state are restored from
 * GSettings when it opens and saved when it closes, not on every resize.
 */
struct _StampWindow
{
  AdwApplicationWindow  parent_instance;

  /* Owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (StampWindow, stamp_window, ADW_TYPE_APPLICATION_WINDOW)

static void
stamp_window_restore_state (StampWindow *self)
{
  int width;
  int height;

  g_assert (STAMP_IS_WINDOW (self));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
stamp_window_save_state (StampWindow *self)
{
  int width;
  int height;

  g_assert (STAMP_IS_WINDOW (self));

  /* The default size is the unmaximized size, which is what the next start
   * needs when it restores a maximized window. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
stamp_window_close_request (GtkWindow *window)
{
  StampWindow *self = (StampWindow *)window;

  g_assert (STAMP_IS_WINDOW (self));

  stamp_window_save_state (self);

  return GTK_WINDOW_CLASS (stamp_window_parent_class)->close_request (window);
}

static void
stamp_window_dispose (GObject *object)
{
  StampWindow *self = (StampWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_WINDOW);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (stamp_window_parent_class)->dispose (object);
}

static void
stamp_window_class_init (StampWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = stamp_window_dispose;

  window_class->close_request = stamp_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-window.ui");
}

static void
stamp_window_init (StampWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  stamp_window_restore_state (self);
}

/**
 * stamp_window_new:
 * @application: the #StampApplication the window belongs to
 *
 * Creates the main window.
 *
 * Returns: (transfer none): a new #StampWindow, owned by its application
 */
StampWindow *
stamp_window_new (StampApplication *application)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (application), NULL);

  return g_object_new (STAMP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

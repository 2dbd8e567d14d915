/* stamp-preferences-window.c
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

#define G_LOG_DOMAIN "stamp-preferences-window"

#include "config.h"

#include "stamp-application.h"
#include "stamp-core.h"
#include "stamp-preferences-window.h"

/*
 * StampPreferencesWindow:
 *
 * The settings that apply to every account: where test messages go unless
 * another address is chosen, and how long to wait for a mail server. Every
 * change is saved to GSettings at once; a recipient that is not an email
 * address is marked and not saved.
 */
struct _StampPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Owned */
  GSettings            *settings;

  /* Template children */
  GtkAdjustment        *connect_adjustment;
  AdwEntryRow          *recipient_row;
  GtkAdjustment        *reply_adjustment;
};

G_DEFINE_FINAL_TYPE (StampPreferencesWindow, stamp_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static void
stamp_preferences_window_recipient_changed_cb (StampPreferencesWindow *self)
{
  g_autofree char *recipient = NULL;
  gboolean valid;

  g_assert (STAMP_IS_PREFERENCES_WINDOW (self));

  recipient = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recipient_row))));

  /* Empty means the sending account itself. */
  valid = *recipient == '\0' || stamp_address_check (recipient, NULL);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->recipient_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->recipient_row), "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (self->recipient_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);

  if (valid)
    g_settings_set_string (self->settings, "default-test-recipient", recipient);
}

static void
stamp_preferences_window_dispose (GObject *object)
{
  StampPreferencesWindow *self = (StampPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (stamp_preferences_window_parent_class)->dispose (object);
}

static void
stamp_preferences_window_class_init (StampPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StampPreferencesWindow,
                                        connect_adjustment);
  gtk_widget_class_bind_template_child (widget_class, StampPreferencesWindow, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, StampPreferencesWindow, reply_adjustment);
}

static void
stamp_preferences_window_init (StampPreferencesWindow *self)
{
  g_autofree char *recipient = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);

  /* Set before the handler is connected, so that opening saves nothing. */
  recipient = g_settings_get_string (self->settings, "default-test-recipient");
  gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), recipient);
  g_signal_connect_object (self->recipient_row, "changed",
                           G_CALLBACK (stamp_preferences_window_recipient_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "connect-timeout",
                   self->connect_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "reply-timeout",
                   self->reply_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

/**
 * stamp_preferences_window_new:
 * @parent: (nullable): the window the preferences belong to
 *
 * Returns: (transfer none): a new #StampPreferencesWindow, owned by GTK's
 *   list of toplevels until it is closed
 */
StampPreferencesWindow *
stamp_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (STAMP_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}

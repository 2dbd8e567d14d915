/* stamp-step-row.c
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

#define G_LOG_DOMAIN "stamp-step-row"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-step-row.h"

/*
 * StampStepRow:
 *
 * One line of the test send's checklist: a spinner while the step runs,
 * then a mark for how it ended, the step's title, the server's words as the
 * subtitle and the time it took. It follows its #StampSmtpStep until
 * stamp_step_row_stop(): after a cancel a step that had not succeeded shows
 * as cancelled; after a failed send a step still waiting shows as not run.
 * Rows take the keyboard focus, so a screen reader can read each one.
 */
struct _StampStepRow
{
  AdwActionRow   parent_instance;

  /* Owned */
  StampSmtpStep   *step;
  gboolean         stopped;
  StampStepRowStop why;

  /* Template children */
  GtkLabel      *duration_label;
  GtkImage      *image;
  GtkSpinner    *spinner;
};

G_DEFINE_FINAL_TYPE (StampStepRow, stamp_step_row, ADW_TYPE_ACTION_ROW)

static void
set_mark (StampStepRow *self,
          const char   *icon_name,
          const char   *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "dim-label");
  gtk_image_set_from_icon_name (self->image, icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (self->image), css_class);
}

static void
stamp_step_row_update (StampStepRow *self)
{
  StampStepState state = stamp_smtp_step_get_state (self->step);
  const char *detail = stamp_smtp_step_get_detail (self->step);
  const char *title = stamp_smtp_step_get_title (self->step);
  gboolean running = state == STAMP_STEP_RUNNING && !self->stopped;
  g_autofree char *ms = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *state_line = NULL;
  const char *state_text;

  /* The step under way when the person cancelled; the client may already
   * have failed it with the cancellation. */
  if (self->stopped && self->why == STAMP_STEP_ROW_CANCELLED && state != STAMP_STEP_SUCCEEDED)
    {
      state_text = _("Cancelled");
      detail = state_text;
      set_mark (self, "process-stop-symbolic", "dim-label");
    }
  /* Pipelined commands start together; once one fails, the rest never
   * get their answer. */
  else if (self->stopped && state == STAMP_STEP_RUNNING)
    {
      state_text = _("Not run");
      detail = state_text;
      set_mark (self, "action-unavailable-symbolic", "dim-label");
    }
  else if (running)
    state_text = _("Running");
  else if (state == STAMP_STEP_SUCCEEDED)
    {
      state_text = _("Succeeded");
      set_mark (self, "emblem-ok-symbolic", "success");
    }
  else
    {
      state_text = _("Failed");
      set_mark (self, "dialog-error-symbolic", "error");
    }

  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_widget_set_visible (GTK_WIDGET (self->image), !running);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), detail != NULL ? detail : "");

  if (state == STAMP_STEP_SUCCEEDED
      || (state == STAMP_STEP_FAILED && self->why != STAMP_STEP_ROW_CANCELLED))
    /* Translators: a step's duration in milliseconds. */
    ms = g_strdup_printf (_("%d ms"), (int) (stamp_smtp_step_get_duration (self->step) / 1000));
  gtk_label_set_label (self->duration_label, ms != NULL ? ms : "");

  /* The title names the row, as for any row; what became of the step is
   * its description, read after it. A name of its own would repeat the
   * title or the duration that the row's labels show. */
  /* Translators: a checklist row's state ("Succeeded") and its duration
   * ("12 ms"), if any, as a screen reader says them after the step. */
  state_line = ms != NULL ? g_strdup_printf (_("%s, %s"), state_text, ms) : g_strdup (state_text);
  if (detail != NULL && *detail != '\0' && g_strcmp0 (detail, state_text) != 0)
    /* Translators: the state line above, then the server's words. */
    accessible = g_strdup_printf (_("%s: %s"), state_line, detail);
  else
    accessible = g_steal_pointer (&state_line);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible,
                                  -1);
}

static void
stamp_step_row_dispose (GObject *object)
{
  StampStepRow *self = (StampStepRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_STEP_ROW);

  g_clear_object (&self->step);

  G_OBJECT_CLASS (stamp_step_row_parent_class)->dispose (object);
}

static void
stamp_step_row_class_init (StampStepRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_step_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/stamp-step-row.ui");
  gtk_widget_class_bind_template_child (widget_class, StampStepRow, duration_label);
  gtk_widget_class_bind_template_child (widget_class, StampStepRow, image);
  gtk_widget_class_bind_template_child (widget_class, StampStepRow, spinner);
}

static void
stamp_step_row_init (StampStepRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * stamp_step_row_new:
 * @step: the step to show
 *
 * Returns: (transfer full): a new #StampStepRow
 */
GtkWidget *
stamp_step_row_new (StampSmtpStep *step)
{
  StampStepRow *self;

  g_return_val_if_fail (STAMP_IS_SMTP_STEP (step), NULL);

  self = g_object_new (STAMP_TYPE_STEP_ROW, NULL);
  self->step = g_object_ref (step);
  g_signal_connect_object (step, "notify", G_CALLBACK (stamp_step_row_update), self,
                           G_CONNECT_SWAPPED);
  stamp_step_row_update (self);

  return GTK_WIDGET (self);
}

/**
 * stamp_step_row_get_step:
 * @self: a #StampStepRow
 *
 * Returns: (transfer none): the step
 */
StampSmtpStep *
stamp_step_row_get_step (StampStepRow *self)
{
  g_return_val_if_fail (STAMP_IS_STEP_ROW (self), NULL);

  return self->step;
}

/**
 * stamp_step_row_stop:
 * @self: a #StampStepRow
 * @why: how the send ended
 *
 * Stops following the step, for a send that ended without going through:
 * the row keeps what it showed. After %STAMP_STEP_ROW_CANCELLED a step
 * that had not succeeded shows as cancelled; after
 * %STAMP_STEP_ROW_SEND_FAILED a step still waiting shows as not run.
 */
void
stamp_step_row_stop (StampStepRow     *self,
                     StampStepRowStop  why)
{
  g_return_if_fail (STAMP_IS_STEP_ROW (self));

  g_signal_handlers_disconnect_by_data (self->step, self);
  self->stopped = TRUE;
  self->why = why;
  stamp_step_row_update (self);
}

/* stamp-test-view-steps.c
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

#define G_LOG_DOMAIN "stamp-test-view"

#include "config.h"

#include "stamp-announce.h"
#include "stamp-step-row.h"
#include "stamp-test-view-private.h"

/* The checklist, one row per SMTP step of the attempt under way, and the
 * redacted transcript under it, both bound to the attempt's models. */

/* Checklist rows */

static GtkWidget *
create_step_row_cb (gpointer item,
                    gpointer user_data)
{
  return stamp_step_row_new (item);
}

/* After a cancel the send may still end steps on its way out; the
 * checklist keeps what was seen when the person cancelled. After a failure
 * the steps that never got an answer stop waiting. */
void
_stamp_test_view_stop_steps (StampTestView    *self,
                             StampStepRowStop  why)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->steps_list, i)) != NULL; i++)
    stamp_step_row_stop (STAMP_STEP_ROW (row), why);
}

static void
steps_changed_cb (StampTestView *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *steps)
{
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), g_list_model_get_n_items (steps) > 0);

  /* The progress is heard as well as seen: each step as it starts. */
  if (added > 0 && self->state == STAMP_TEST_VIEW_RUNNING)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, position + added - 1);

      stamp_announce (GTK_WIDGET (self), stamp_smtp_step_get_title (step));
    }
}

/* Transcript */

static void
transcript_changed_cb (StampTestView *self,
                       guint          position,
                       guint          removed,
                       guint          added,
                       GListModel    *transcript)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->transcript_view);
  g_autoptr(PangoLayout) prefix = NULL;
  GtkTextIter end;
  guint first = position;
  int prefix_width;

  /* A hanging indent (Pango's negative indent): wrapped lines start under
   * the text, not under the time stamp and direction that
   * stamp_transcript_line_format() puts first. */
  prefix = gtk_widget_create_pango_layout (GTK_WIDGET (self->transcript_view), "[   0.000] C: ");
  pango_layout_get_pixel_size (prefix, &prefix_width, NULL);
  gtk_text_view_set_indent (self->transcript_view, -prefix_width);

  /* Lines are only ever appended, or all cleared for a new send. */
  if (removed > 0 || position != (guint) gtk_text_buffer_get_line_count (buffer) - 1)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      first = 0;
    }

  for (guint i = first; i < g_list_model_get_n_items (transcript); i++)
    {
      g_autoptr(StampTranscriptLine) line = g_list_model_get_item (transcript, i);
      g_autofree char *text = stamp_transcript_line_format (line);

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, "no-hyphens", NULL);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->transcript_expander),
                          g_list_model_get_n_items (transcript) > 0);
}

void
_stamp_test_view_set_result (StampTestView   *self,
                             StampSmtpResult *result)
{
  GListModel *steps;
  GListModel *transcript;

  if (self->result != NULL)
    {
      g_signal_handlers_disconnect_by_data (stamp_smtp_result_get_steps (self->result), self);
      g_signal_handlers_disconnect_by_data (stamp_smtp_result_get_transcript (self->result), self);
    }
  g_set_object (&self->result, result);

  steps = result != NULL ? stamp_smtp_result_get_steps (result) : NULL;
  transcript = result != NULL ? G_LIST_MODEL (stamp_smtp_result_get_transcript (result)) : NULL;

  gtk_list_box_bind_model (self->steps_list, steps, create_step_row_cb, NULL, NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->transcript_view), "", 0);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->transcript_expander), FALSE);

  if (result != NULL)
    {
      g_signal_connect_object (steps, "items-changed", G_CALLBACK (steps_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (transcript, "items-changed", G_CALLBACK (transcript_changed_cb),
                               self, G_CONNECT_SWAPPED);
      steps_changed_cb (self, 0, 0, 0, steps);
    }

  _stamp_test_view_update_actions (self);
}

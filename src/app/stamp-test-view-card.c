/* stamp-test-view-card.c
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

#include <string.h>

#include "stamp-test-view-private.h"

/* The failure card: the diagnosis table's explanation (title, causes,
 * remedies, command, link) and the server's own words under Details. */

static void
fill_grid (GtkGrid            *grid,
           const char * const *items,
           gboolean            numbered)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autofree char *mark = numbered ? g_strdup_printf ("%u.", i + 1) : g_strdup ("•");
      GtkWidget *mark_label = gtk_label_new (mark);
      GtkWidget *text_label = gtk_label_new (items[i]);

      gtk_label_set_xalign (GTK_LABEL (mark_label), 1);
      gtk_label_set_yalign (GTK_LABEL (mark_label), 0);
      gtk_widget_set_valign (mark_label, GTK_ALIGN_START);
      gtk_widget_add_css_class (mark_label, "numeric");
      gtk_accessible_update_property (GTK_ACCESSIBLE (mark_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, mark, -1);

      gtk_label_set_xalign (GTK_LABEL (text_label), 0);
      gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text_label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (text_label, TRUE);

      gtk_grid_attach (grid, mark_label, 0, i, 1, 1);
      gtk_grid_attach (grid, text_label, 1, i, 1, 1);
    }
}

void
_stamp_test_view_show_failure (StampTestView *self)
{
  StampExplanation *explanation = self->explanation;
  StampSmtpReply *failure_reply = self->result != NULL
                                  ? stamp_smtp_result_get_failure_reply (self->result) : NULL;
  g_autofree char *reply_text = failure_reply != NULL
                                ? stamp_smtp_reply_to_string (failure_reply) : NULL;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *command = explanation != NULL ? stamp_explanation_get_command (explanation) : NULL;
  const char *link = explanation != NULL ? stamp_explanation_get_link (explanation) : NULL;
  const char * const *causes = explanation != NULL ? stamp_explanation_get_causes (explanation)
                                                   : NULL;
  const char * const *remedies = explanation != NULL ? stamp_explanation_get_steps (explanation)
                                                     : NULL;

  /* Without an explanation, the error's own words are the headline. */
  gtk_label_set_label (self->failure_title, explanation != NULL
                                            ? stamp_explanation_get_title (explanation)
                                            : self->error->message);

  fill_grid (self->causes_grid, causes, FALSE);
  fill_grid (self->remedy_grid, remedies, TRUE);
  gtk_widget_set_visible (self->causes_box, causes != NULL && causes[0] != NULL);
  gtk_widget_set_visible (self->steps_box, remedies != NULL && remedies[0] != NULL);

  gtk_label_set_label (self->command_label, command != NULL ? command : "");
  gtk_widget_set_visible (self->command_box, command != NULL);

  gtk_link_button_set_uri (self->learn_more_button, link != NULL ? link : "");
  gtk_widget_set_visible (GTK_WIDGET (self->learn_more_button), link != NULL);

  if (explanation != NULL)
    g_string_append (details, self->error->message);
  if (reply_text != NULL && strstr (self->error->message, reply_text) == NULL)
    {
      if (details->len > 0)
        g_string_append_c (details, '\n');
      g_string_append (details, reply_text);
    }
  gtk_label_set_label (self->details_label, details->str);
  gtk_expander_set_expanded (self->details_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_expander), details->len > 0);

  _stamp_test_view_show_graph_remedies (self);
}

/* stamp-transcript.c
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

#define G_LOG_DOMAIN "stamp-transcript"

#include "config.h"

#include "stamp-transcript.h"

/*
 * StampTranscript:
 *
 * The protocol log of one session, as a list model of
 * #StampTranscriptLine that a view binds directly. Lines arrive already
 * redacted: the SMTP client replaces a secret where it writes the line, so
 * no password, token or base64 form of either ever reaches this list.
 */
struct _StampTranscript
{
  GObject parent_instance;

  /* Owned */
  GPtrArray *lines;
};

static GType
stamp_transcript_get_item_type (GListModel *model)
{
  return STAMP_TYPE_TRANSCRIPT_LINE;
}

static guint
stamp_transcript_get_n_items (GListModel *model)
{
  return STAMP_TRANSCRIPT (model)->lines->len;
}

static gpointer
stamp_transcript_get_item (GListModel *model,
                           guint       position)
{
  StampTranscript *self = STAMP_TRANSCRIPT (model);

  if (position >= self->lines->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->lines, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = stamp_transcript_get_item_type;
  iface->get_n_items = stamp_transcript_get_n_items;
  iface->get_item = stamp_transcript_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (StampTranscript, stamp_transcript, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
stamp_transcript_finalize (GObject *object)
{
  StampTranscript *self = (StampTranscript *)object;

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_transcript_parent_class)->finalize (object);
}

static void
stamp_transcript_class_init (StampTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_transcript_finalize;
}

static void
stamp_transcript_init (StampTranscript *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_object_unref);
}

StampTranscript *
stamp_transcript_new (void)
{
  return g_object_new (STAMP_TYPE_TRANSCRIPT, NULL);
}

void
stamp_transcript_append (StampTranscript     *self,
                         StampTranscriptLine *line)
{
  g_return_if_fail (STAMP_IS_TRANSCRIPT (self));
  g_return_if_fail (STAMP_IS_TRANSCRIPT_LINE (line));

  g_ptr_array_add (self->lines, g_object_ref (line));
  g_list_model_items_changed (G_LIST_MODEL (self), self->lines->len - 1, 0, 1);
}

void
stamp_transcript_clear (StampTranscript *self)
{
  guint removed;

  g_return_if_fail (STAMP_IS_TRANSCRIPT (self));

  removed = self->lines->len;
  if (removed == 0)
    return;

  g_ptr_array_set_size (self->lines, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

/**
 * stamp_transcript_format:
 * @self: a #StampTranscript
 *
 * Returns: (transfer full): the whole transcript as text, one line each, for
 *   a copy button or a report
 */
char *
stamp_transcript_format (StampTranscript *self)
{
  GString *text;

  g_return_val_if_fail (STAMP_IS_TRANSCRIPT (self), NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->lines->len; i++)
    {
      g_autofree char *line = stamp_transcript_line_format (g_ptr_array_index (self->lines, i));

      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

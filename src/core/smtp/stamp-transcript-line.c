/* stamp-transcript-line.c
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

#define G_LOG_DOMAIN "stamp-transcript-line"

#include "config.h"

#include "stamp-base-enums.h"
#include "stamp-smtp-enums.h"
#include "stamp-transcript-line.h"

/*
 * StampTranscriptLine:
 *
 * One line of a protocol transcript: who said it, when (since the start of
 * the session) and what, with any secret already replaced.
 */
struct _StampTranscriptLine
{
  GObject parent_instance;

  /* Owned */
  char                     *text;

  StampTranscriptDirection  direction;
  gint64                    elapsed;
};

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_ELAPSED,
  PROP_TEXT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampTranscriptLine, stamp_transcript_line, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
stamp_transcript_line_finalize (GObject *object)
{
  StampTranscriptLine *self = (StampTranscriptLine *)object;

  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (stamp_transcript_line_parent_class)->finalize (object);
}

static void
stamp_transcript_line_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  StampTranscriptLine *self = STAMP_TRANSCRIPT_LINE (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;

    case PROP_ELAPSED:
      g_value_set_int64 (value, self->elapsed);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_transcript_line_class_init (StampTranscriptLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_transcript_line_finalize;
  object_class->get_property = stamp_transcript_line_get_property;

  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       STAMP_TYPE_TRANSCRIPT_DIRECTION, STAMP_TRANSCRIPT_INFO,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ELAPSED] =
    g_param_spec_int64 ("elapsed", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_transcript_line_init (StampTranscriptLine *self)
{
}

/**
 * stamp_transcript_line_new:
 * @direction: who said it
 * @elapsed: microseconds since the session started
 * @text: the line, already redacted
 *
 * Returns: (transfer full): a new line
 */
StampTranscriptLine *
stamp_transcript_line_new (StampTranscriptDirection  direction,
                           gint64                    elapsed,
                           const char               *text)
{
  StampTranscriptLine *self = g_object_new (STAMP_TYPE_TRANSCRIPT_LINE, NULL);

  self->direction = direction;
  self->elapsed = elapsed;
  self->text = g_utf8_make_valid (text, -1);

  return self;
}

StampTranscriptDirection
stamp_transcript_line_get_direction (StampTranscriptLine *self)
{
  g_return_val_if_fail (STAMP_IS_TRANSCRIPT_LINE (self), 0);

  return self->direction;
}

gint64
stamp_transcript_line_get_elapsed (StampTranscriptLine *self)
{
  g_return_val_if_fail (STAMP_IS_TRANSCRIPT_LINE (self), 0);

  return self->elapsed;
}

const char *
stamp_transcript_line_get_text (StampTranscriptLine *self)
{
  g_return_val_if_fail (STAMP_IS_TRANSCRIPT_LINE (self), NULL);

  return self->text;
}

/**
 * stamp_transcript_line_format:
 * @self: a #StampTranscriptLine
 *
 * Returns: (transfer full): the line as a log shows it:
 *   "[  0.123] C: EHLO host" (C client, S server, * note)
 */
char *
stamp_transcript_line_format (StampTranscriptLine *self)
{
  static const char markers[] = { 'C', 'S', '*' };

  g_return_val_if_fail (STAMP_IS_TRANSCRIPT_LINE (self), NULL);

  return g_strdup_printf ("[%8.3f] %c: %s",
                          self->elapsed / (double) G_USEC_PER_SEC,
                          markers[self->direction],
                          self->text);
}

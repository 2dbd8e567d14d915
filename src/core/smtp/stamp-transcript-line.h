/* stamp-transcript-line.h
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

#include <glib-object.h>

#include "stamp-types.h"

G_BEGIN_DECLS

/**
 * StampTranscriptDirection:
 * @STAMP_TRANSCRIPT_CLIENT: a line Stamp sent
 * @STAMP_TRANSCRIPT_SERVER: a line the server sent
 * @STAMP_TRANSCRIPT_INFO: a note from Stamp about the session (TLS, sizes)
 */
typedef enum
{
  STAMP_TRANSCRIPT_CLIENT,
  STAMP_TRANSCRIPT_SERVER,
  STAMP_TRANSCRIPT_INFO,
} StampTranscriptDirection;


#define STAMP_TYPE_TRANSCRIPT_LINE (stamp_transcript_line_get_type ())

G_DECLARE_FINAL_TYPE (StampTranscriptLine, stamp_transcript_line, STAMP, TRANSCRIPT_LINE, GObject)

StampTranscriptLine      *stamp_transcript_line_new           (StampTranscriptDirection  direction,
                                                               gint64                    elapsed,
                                                               const char               *text);
StampTranscriptDirection  stamp_transcript_line_get_direction (StampTranscriptLine      *self);
gint64                    stamp_transcript_line_get_elapsed   (StampTranscriptLine      *self);
const char               *stamp_transcript_line_get_text      (StampTranscriptLine      *self);
char                     *stamp_transcript_line_format        (StampTranscriptLine      *self);

G_END_DECLS

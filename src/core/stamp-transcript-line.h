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

/* stamp-transcript.h
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

#include <gio/gio.h>

#include "stamp-transcript-line.h"

G_BEGIN_DECLS

#define STAMP_TYPE_TRANSCRIPT (stamp_transcript_get_type ())

G_DECLARE_FINAL_TYPE (StampTranscript, stamp_transcript, STAMP, TRANSCRIPT, GObject)

StampTranscript *stamp_transcript_new    (void);
void             stamp_transcript_append (StampTranscript     *self,
                                          StampTranscriptLine *line);
void             stamp_transcript_clear  (StampTranscript     *self);
char            *stamp_transcript_format (StampTranscript     *self);

G_END_DECLS

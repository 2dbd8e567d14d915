/* stamp-smtp-line-private.h
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

#include "stamp-smtp-line.h"

G_BEGIN_DECLS

/* Shared by stamp-smtp-line.c and stamp-smtp-line-server.c. */
struct _StampSmtpLine
{
  GObject parent_instance;

  /* Owned */
  GSocket           *socket;
  StampTlsSession   *tls;
  GByteArray        *input;

  /* Borrowed */
  StampSmtpLineFunc  transcript_func;
  gpointer           transcript_data;

  StampSmtpRole      role;
  guint              round_trips;
  gboolean           wrote_since_read;
};

void                     _stamp_smtp_line_show            (StampSmtpLine             *self,
                                                           StampTranscriptDirection   direction,
                                                           const char                *text);
StampTranscriptDirection _stamp_smtp_line_peer_direction  (StampSmtpLine             *self);
StampTranscriptDirection _stamp_smtp_line_own_direction   (StampSmtpLine             *self);
gboolean                 _stamp_smtp_line_fill            (StampSmtpLine             *self,
                                                           gint64                     deadline,
                                                           GCancellable              *cancellable,
                                                           GError                   **error);

G_END_DECLS

/* stamp-smtp-reply.h
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

G_BEGIN_DECLS

#define STAMP_TYPE_SMTP_REPLY (stamp_smtp_reply_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpReply, stamp_smtp_reply, STAMP, SMTP_REPLY, GObject)

StampSmtpReply     *stamp_smtp_reply_new_from_lines       (const char * const *lines,
                                                           GError            **error);
gboolean            stamp_smtp_reply_line_parse           (const char         *line,
                                                           int                *code,
                                                           gboolean           *is_last,
                                                           GError            **error);
int                 stamp_smtp_reply_get_code             (StampSmtpReply     *self);
const char         *stamp_smtp_reply_get_enhanced_code    (StampSmtpReply     *self);
const char * const *stamp_smtp_reply_get_lines            (StampSmtpReply     *self);
char               *stamp_smtp_reply_dup_text             (StampSmtpReply     *self);
char               *stamp_smtp_reply_to_string            (StampSmtpReply     *self);
gboolean            stamp_smtp_reply_is_positive          (StampSmtpReply     *self);
gboolean            stamp_smtp_reply_is_intermediate      (StampSmtpReply     *self);
gboolean            stamp_smtp_reply_is_transient         (StampSmtpReply     *self);
gboolean            stamp_smtp_reply_is_permanent         (StampSmtpReply     *self);
GHashTable         *stamp_smtp_reply_parse_capabilities   (StampSmtpReply     *self);

G_END_DECLS

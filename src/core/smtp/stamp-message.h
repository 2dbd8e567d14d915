/* stamp-message.h
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

#define STAMP_TYPE_MESSAGE (stamp_message_get_type ())

G_DECLARE_FINAL_TYPE (StampMessage, stamp_message, STAMP, MESSAGE, GObject)

StampMessage *stamp_message_new               (const char    *from,
                                               const char    *to,
                                               const char    *subject,
                                               const char    *body);
StampMessage *stamp_message_new_test          (const char    *from,
                                               const char    *to,
                                               const char    *subject,
                                               const char    *settings);
const char   *stamp_message_get_from          (StampMessage  *self);
const char   *stamp_message_get_from_name     (StampMessage  *self);
void          stamp_message_set_from_name     (StampMessage  *self,
                                               const char    *from_name);
const char   *stamp_message_get_to            (StampMessage  *self);
const char   *stamp_message_get_subject       (StampMessage  *self);
const char   *stamp_message_get_body          (StampMessage  *self);
const char   *stamp_message_get_message_id    (StampMessage  *self);
void          stamp_message_set_date          (StampMessage  *self,
                                               GDateTime     *date);
gboolean      stamp_message_validate          (StampMessage  *self,
                                               GError       **error);
char         *stamp_message_dup_envelope_from (StampMessage  *self);
char         *stamp_message_dup_envelope_to   (StampMessage  *self);
gboolean      stamp_message_needs_smtputf8    (StampMessage  *self);
gboolean      stamp_message_has_8bit_body     (StampMessage  *self);
GBytes       *stamp_message_render            (StampMessage  *self,
                                               gboolean       allow_8bit,
                                               GError       **error);

G_END_DECLS

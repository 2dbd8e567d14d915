/* stamp-smtp-result.h
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

#include "stamp-smtp-reply.h"
#include "stamp-smtp-settings.h"
#include "stamp-smtp-step.h"
#include "stamp-transcript.h"
#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_TYPE_SMTP_RESULT (stamp_smtp_result_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpResult, stamp_smtp_result, STAMP, SMTP_RESULT, GObject)

/* Building a result from a transport other than the SMTP client (Microsoft
 * Graph). Steps and lines go to the same list models the app's checklist
 * and transcript watch. */
StampSmtpResult         *stamp_smtp_result_new                  (const StampSmtpSettings  *settings);
void                     stamp_smtp_result_begin_step           (StampSmtpResult          *self,
                                                                 StampSmtpStepKind         kind);
void                     stamp_smtp_result_end_step             (StampSmtpResult          *self,
                                                                 StampSmtpStepKind         kind,
                                                                 StampStepState            state,
                                                                 gint64                    duration,
                                                                 const char               *detail);
void                     stamp_smtp_result_add_line             (StampSmtpResult          *self,
                                                                 StampTranscriptDirection  direction,
                                                                 gint64                    elapsed,
                                                                 const char               *text);
void                     stamp_smtp_result_set_outcome          (StampSmtpResult          *self,
                                                                 gint64                    elapsed,
                                                                 const GError             *error);

const StampSmtpSettings *stamp_smtp_result_get_settings         (StampSmtpResult *self);
StampSmtpReply          *stamp_smtp_result_get_reply            (StampSmtpResult *self);
const GError            *stamp_smtp_result_get_error            (StampSmtpResult *self);
GListModel              *stamp_smtp_result_get_steps            (StampSmtpResult *self);
StampTranscript         *stamp_smtp_result_get_transcript       (StampSmtpResult *self);
StampSmtpStep           *stamp_smtp_result_get_failed_step      (StampSmtpResult *self);
StampSmtpReply          *stamp_smtp_result_get_failure_reply    (StampSmtpResult *self);
const char              *stamp_smtp_result_get_tls_version      (StampSmtpResult *self);
const char              *stamp_smtp_result_get_tls_cipher       (StampSmtpResult *self);
const char * const      *stamp_smtp_result_get_tls_certificates (StampSmtpResult *self);
StampAuthMechanism       stamp_smtp_result_get_used_mechanism   (StampSmtpResult *self);
guint                    stamp_smtp_result_get_round_trips      (StampSmtpResult *self);
gint64                   stamp_smtp_result_get_elapsed          (StampSmtpResult *self);

G_END_DECLS

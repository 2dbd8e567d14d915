/* stamp-smtp-step.h
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
 * StampSmtpStepKind:
 *
 * The steps of a test send, in the order they happen. A send through
 * Microsoft Graph has steps of its own: GRAPH_TOKEN, GRAPH_REQUEST, then
 * ACCEPTED ("202 Accepted").
 */
typedef enum
{
  STAMP_SMTP_STEP_RESOLVE,
  STAMP_SMTP_STEP_CONNECT,
  STAMP_SMTP_STEP_GREETING,
  STAMP_SMTP_STEP_EHLO,
  STAMP_SMTP_STEP_STARTTLS,
  STAMP_SMTP_STEP_TLS_HANDSHAKE,
  STAMP_SMTP_STEP_AUTH,
  STAMP_SMTP_STEP_MAIL,
  STAMP_SMTP_STEP_RCPT,
  STAMP_SMTP_STEP_DATA,
  STAMP_SMTP_STEP_ACCEPTED,
  STAMP_SMTP_STEP_GRAPH_TOKEN,
  STAMP_SMTP_STEP_GRAPH_REQUEST,
} StampSmtpStepKind;

/**
 * StampStepState:
 *
 * Where a step stands.
 */
typedef enum
{
  STAMP_STEP_RUNNING,
  STAMP_STEP_SUCCEEDED,
  STAMP_STEP_FAILED,
} StampStepState;


#define STAMP_TYPE_SMTP_STEP (stamp_smtp_step_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpStep, stamp_smtp_step, STAMP, SMTP_STEP, GObject)

StampSmtpStep     *stamp_smtp_step_new          (StampSmtpStepKind  kind);
StampSmtpStepKind  stamp_smtp_step_get_kind     (StampSmtpStep     *self);
const char        *stamp_smtp_step_get_title    (StampSmtpStep     *self);
StampStepState     stamp_smtp_step_get_state    (StampSmtpStep     *self);
gint64             stamp_smtp_step_get_duration (StampSmtpStep     *self);
const char        *stamp_smtp_step_get_detail   (StampSmtpStep     *self);
void               stamp_smtp_step_finish       (StampSmtpStep     *self,
                                                 StampStepState     state,
                                                 gint64             duration,
                                                 const char        *detail);

const char *stamp_smtp_step_kind_to_string (StampSmtpStepKind kind);

G_END_DECLS

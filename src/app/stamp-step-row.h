/* stamp-step-row.h
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

#include <adwaita.h>

#include "stamp-core.h"

G_BEGIN_DECLS

#define STAMP_TYPE_STEP_ROW (stamp_step_row_get_type ())

/* Why a row stops following its step. */
typedef enum
{
  STAMP_STEP_ROW_CANCELLED,
  STAMP_STEP_ROW_SEND_FAILED,
} StampStepRowStop;

G_DECLARE_FINAL_TYPE (StampStepRow, stamp_step_row, STAMP, STEP_ROW, AdwActionRow)

GtkWidget     *stamp_step_row_new      (StampSmtpStep    *step);
StampSmtpStep *stamp_step_row_get_step (StampStepRow     *self);
void           stamp_step_row_stop     (StampStepRow     *self,
                                        StampStepRowStop  why);

G_END_DECLS

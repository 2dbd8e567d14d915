/* stamp-diagnosis.h
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

#include "stamp-explanation.h"
#include "stamp-smtp-reply.h"

G_BEGIN_DECLS

#define STAMP_TYPE_DIAGNOSIS (stamp_diagnosis_get_type ())

G_DECLARE_FINAL_TYPE (StampDiagnosis, stamp_diagnosis, STAMP, DIAGNOSIS, GObject)

StampDiagnosis   *stamp_diagnosis_get_default      (void);
StampDiagnosis   *stamp_diagnosis_new_from_data    (const char                *data,
                                                    gssize                     length,
                                                    GError                   **error);
StampExplanation *stamp_diagnosis_lookup_id        (StampDiagnosis            *self,
                                                    const char                *id);
StampExplanation *stamp_diagnosis_explain          (StampDiagnosis            *self,
                                                    const StampDiagnosisQuery *query);
StampExplanation *stamp_diagnosis_explain_text     (StampDiagnosis            *self,
                                                    const char                *text,
                                                    const StampDiagnosisQuery *context);
StampExplanation *stamp_diagnosis_explain_failure  (StampDiagnosis            *self,
                                                    const GError              *error,
                                                    StampSmtpReply            *reply,
                                                    const StampDiagnosisQuery *context);
char             *stamp_diagnosis_strip_app_password (const char              *password);

G_END_DECLS

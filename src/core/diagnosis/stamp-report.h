/* stamp-report.h
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

#include "stamp-explanation.h"
#include "stamp-provider.h"
#include "stamp-smtp-result.h"

G_BEGIN_DECLS

GStrv stamp_report_describe_limits (StampProvider    *provider);
char *stamp_report_build           (StampSmtpResult  *result,
                                    const GError     *error,
                                    StampExplanation *explanation,
                                    StampProvider    *provider);

G_END_DECLS

/* stamp-account-row.h
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

#define STAMP_TYPE_ACCOUNT_ROW (stamp_account_row_get_type ())

G_DECLARE_FINAL_TYPE (StampAccountRow, stamp_account_row, STAMP, ACCOUNT_ROW, AdwBin)

GtkWidget    *stamp_account_row_new             (StampAccount    *account);
StampAccount *stamp_account_row_get_account     (StampAccountRow *self);
void          stamp_account_row_set_account     (StampAccountRow *self,
                                                 StampAccount    *account);
void          stamp_account_row_refresh_sign_in (StampAccountRow *self);
void          stamp_account_row_update_health   (StampAccountRow *self);

G_END_DECLS

/* stamp-sign-in-dialog.h
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

#define STAMP_TYPE_SIGN_IN_DIALOG (stamp_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (StampSignInDialog, stamp_sign_in_dialog, STAMP, SIGN_IN_DIALOG, AdwWindow)

StampSignInDialog *stamp_sign_in_dialog_new (GtkWindow         *parent,
                                             StampAccountStore *store,
                                             StampAccount      *account);

G_END_DECLS

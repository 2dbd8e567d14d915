/* stamp-server-page.h
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

#define STAMP_TYPE_SERVER_PAGE (stamp_server_page_get_type ())

G_DECLARE_FINAL_TYPE (StampServerPage, stamp_server_page, STAMP, SERVER_PAGE, AdwBin)

void     stamp_server_page_set_candidates  (StampServerPage *self,
                                            GListModel      *candidates);
void     stamp_server_page_set_discovering (StampServerPage *self,
                                            gboolean         discovering);
void     stamp_server_page_set_account     (StampServerPage *self,
                                            StampAccount    *account);
void     stamp_server_page_apply           (StampServerPage *self,
                                            StampAccount    *account);
void     stamp_server_page_reset           (StampServerPage *self);
gboolean stamp_server_page_get_complete    (StampServerPage *self);

G_END_DECLS

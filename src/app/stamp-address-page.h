/* stamp-address-page.h
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

#define STAMP_TYPE_ADDRESS_PAGE (stamp_address_page_get_type ())

G_DECLARE_FINAL_TYPE (StampAddressPage, stamp_address_page, STAMP, ADDRESS_PAGE, AdwBin)

void        stamp_address_page_set_account      (StampAddressPage *self,
                                                 StampAccount     *account);
const char *stamp_address_page_get_address      (StampAddressPage *self);
char       *stamp_address_page_dup_display_name (StampAddressPage *self);
GListModel *stamp_address_page_get_candidates   (StampAddressPage *self);
gboolean    stamp_address_page_get_complete     (StampAddressPage *self);
gboolean    stamp_address_page_get_busy         (StampAddressPage *self);
void        stamp_address_page_cancel           (StampAddressPage *self);

G_END_DECLS

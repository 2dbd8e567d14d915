/* stamp-registration-group.h
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

#define STAMP_TYPE_REGISTRATION_GROUP (stamp_registration_group_get_type ())

G_DECLARE_FINAL_TYPE (StampRegistrationGroup, stamp_registration_group, STAMP, REGISTRATION_GROUP, AdwPreferencesGroup)

void         stamp_registration_group_set_account       (StampRegistrationGroup *self,
                                                         StampAccount           *account);
void         stamp_registration_group_set_provider      (StampRegistrationGroup *self,
                                                         StampProvider          *provider);
void         stamp_registration_group_apply             (StampRegistrationGroup *self,
                                                         StampAccount           *account);
StampSecret *stamp_registration_group_dup_client_secret (StampRegistrationGroup *self);
void         stamp_registration_group_set_client_secret_stored (StampRegistrationGroup *self,
                                                                gboolean                stored);
void         stamp_registration_group_suggest           (StampRegistrationGroup *self,
                                                         StampAccount           *saved);
gboolean     stamp_registration_group_matches           (StampRegistrationGroup *self,
                                                         StampAccount           *account);
void         stamp_registration_group_reveal            (StampRegistrationGroup *self);

G_END_DECLS

/* stamp-setup-assistant.h
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

#define STAMP_TYPE_SETUP_ASSISTANT (stamp_setup_assistant_get_type ())

G_DECLARE_FINAL_TYPE (StampSetupAssistant, stamp_setup_assistant, STAMP, SETUP_ASSISTANT, AdwWindow)

StampSetupAssistant *stamp_setup_assistant_new         (GtkWindow           *parent,
                                                        StampAccountStore   *store);
void                 stamp_setup_assistant_set_account (StampSetupAssistant *self,
                                                        StampAccount        *account);

G_END_DECLS

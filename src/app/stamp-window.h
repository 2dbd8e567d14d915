/* stamp-window.h
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

#include "stamp-application.h"

G_BEGIN_DECLS

#define STAMP_TYPE_WINDOW (stamp_window_get_type ())

G_DECLARE_FINAL_TYPE (StampWindow, stamp_window, STAMP, WINDOW, AdwApplicationWindow)

StampWindow *stamp_window_new        (StampApplication *application);
void         stamp_window_show_error (StampWindow      *self,
                                      const char       *title,
                                      const char       *details);

G_END_DECLS

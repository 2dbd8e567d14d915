/* stamp-export-preview-private.h
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

#include <gtk/gtk.h>

#include "stamp-export-preview.h"

G_BEGIN_DECLS

/* stamp-export-preview-notes.c */
GtkWidget *_stamp_export_preview_make_note (const char *text);

G_END_DECLS

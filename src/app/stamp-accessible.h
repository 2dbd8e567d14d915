/* stamp-accessible.h
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

G_BEGIN_DECLS

void stamp_button_set_mnemonic_label (GtkButton      *button,
                                      const char     *label);
void stamp_name_mnemonic_buttons     (GtkWidget      *root);
GtkWidget *stamp_find_descendant (GtkWidget  *widget,
                                  GType       type,
                                  const char *css_class);

void stamp_expander_hide_closed_child (GtkExpander    *expander);
void stamp_expander_row_open_by_keys (AdwExpanderRow *row,
                                      const char     *list_name);

G_END_DECLS

/* stamp-util.h
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

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean stamp_set_str         (char       **str_pointer,
                                const char  *new_str);
void     stamp_secret_free     (char        *secret);
void     stamp_clear_secret    (char       **secret_pointer);
char    *stamp_hide_secrets    (const char          *text,
                                const char * const  *secrets);
gboolean stamp_str_is_ascii    (const char  *str);
gboolean stamp_str_has_line_break (const char *str);
void     stamp_bind_text_domain     (void);
void     stamp_translate_data_text  (char **text);
void     stamp_translate_data_texts (char **texts);
gint64   stamp_get_now              (void);

/* A string holding a secret: g_autoptr(StampSecret) wipes it when freed. */
typedef char StampSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSecret, stamp_secret_free)

G_END_DECLS

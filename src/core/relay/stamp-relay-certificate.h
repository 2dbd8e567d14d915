/* stamp-relay-certificate.h
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

gboolean stamp_relay_certificate_ensure (const char  *dir,
                                         char       **cert_file,
                                         char       **key_file,
                                         GError     **error);

G_END_DECLS

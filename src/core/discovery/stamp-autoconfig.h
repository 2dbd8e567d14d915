/* stamp-autoconfig.h
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

#include <glib.h>

#include "stamp-candidate.h"

G_BEGIN_DECLS

/* A configuration file is a few kilobytes; anything much larger is not one
 * and is not read to the end. */
#define STAMP_AUTOCONFIG_MAX_SIZE (64 * 1024)

GPtrArray *stamp_autoconfig_parse (const char            *data,
                                   gsize                  length,
                                   const char            *address,
                                   StampDiscoverySource   source,
                                   const char            *origin,
                                   GError               **error);

G_END_DECLS

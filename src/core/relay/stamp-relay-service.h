/* stamp-relay-service.h
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

/* The systemd user unit that runs `stamp-cli relay serve`. */
#define STAMP_RELAY_SERVICE_NAME "stamp-relay.service"
/* The weekly timer, and the unit it starts, that run `stamp-cli accounts
 * refresh` so that OAuth sign-ins do not lapse unused. */
#define STAMP_REFRESH_TIMER_NAME   "stamp-refresh.timer"
#define STAMP_REFRESH_SERVICE_NAME "stamp-refresh.service"

gboolean  stamp_relay_service_check_listen   (const char          *listen,
                                              GError             **error);
char     *stamp_relay_service_get_unit_path  (void);
char     *stamp_relay_service_build_unit     (const char          *program,
                                              const char * const  *serve_args);
gboolean  stamp_relay_service_install        (const char          *program,
                                              const char * const  *serve_args,
                                              gboolean             enable,
                                              GError             **error);
gboolean  stamp_relay_service_is_sandboxed   (void);

char     *stamp_relay_service_get_refresh_timer_path   (void);
char     *stamp_relay_service_build_refresh_unit       (const char          *program);
char     *stamp_relay_service_build_refresh_timer      (void);
gboolean  stamp_relay_service_write_refresh_timer      (const char          *program,
                                                        GError             **error);
gboolean  stamp_relay_service_enable_refresh_timer     (GError             **error);

G_END_DECLS

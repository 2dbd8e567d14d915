/* stamp-cli-relay-private.h
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

#include "stamp-core.h"

G_BEGIN_DECLS

/* What the files of `stamp-cli relay` share: one file per verb. */

int                    stamp_cli_relay_fail            (const char        *command,
                                                        const GError      *error);
StampRelayDeviceStore *stamp_cli_relay_load_devices    (gboolean           edit,
                                                        GError           **error);
gboolean               stamp_cli_relay_store_password  (StampRelayDevice  *device,
                                                        const char        *password,
                                                        GError           **error);
gboolean               stamp_cli_relay_clear_password  (StampRelayDevice  *device,
                                                        GError           **error);

/* stamp-cli-relay-list.c: add-device --from-csv */
int                    stamp_cli_relay_add_from_list   (const char        *csv,
                                                        const char        *address,
                                                        const char        *sheets,
                                                        const char        *relay_host,
                                                        int                relay_port,
                                                        const char * const *from_aliases,
                                                        gboolean           allow_plaintext,
                                                        gboolean           json);

/* stamp-cli-relay-service.c */
int                    stamp_cli_relay_install_service (int                argc,
                                                        char             **argv);

/* stamp-cli-relay-status.c */
int                    stamp_cli_relay_status          (int                argc,
                                                        char             **argv);

#define STAMP_RELAY_DEFAULT_PORT 2525

G_END_DECLS

/* stamp-cli-commands.h
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

#include "stamp-core.h"

G_BEGIN_DECLS

/* One entry point per stamp-cli command; each parses its own options and
 * returns the process exit status. */
int stamp_cli_accounts (int    argc,
                        char **argv);
int stamp_cli_discover (int    argc,
                        char **argv);
int stamp_cli_dns_check (int    argc,
                         char **argv);
int stamp_cli_export   (int    argc,
                        char **argv);
int stamp_cli_explain  (int    argc,
                        char **argv);
int stamp_cli_login    (int    argc,
                        char **argv);
int stamp_cli_logout   (int    argc,
                        char **argv);
int stamp_cli_probe_tls (int    argc,
                         char **argv);
int stamp_cli_relay    (int    argc,
                        char **argv);
int stamp_cli_relay_serve (int    argc,
                           char **argv);
int stamp_cli_send     (int    argc,
                        char **argv);
int stamp_cli_token    (int    argc,
                        char **argv);

/* Shared by discover and accounts add. */
GPtrArray *stamp_cli_run_discovery (const char  *address,
                                    GError     **error);

/* Shared by accounts, login and send (stamp-cli-accounts.c). */
gboolean   stamp_cli_parse_send_method (const char       *text,
                                        StampSendMethod  *method);
gboolean   stamp_cli_check_graph       (StampAccount     *account,
                                        GError          **error);
char      *stamp_cli_describe_sign_in  (StampAccount     *account);
gboolean   stamp_cli_parse_day         (const char       *text,
                                        gint64           *seconds);

G_END_DECLS

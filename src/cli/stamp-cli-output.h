/* stamp-cli-output.h
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

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "stamp-core.h"

G_BEGIN_DECLS

/* Exit codes of stamp-cli; documented in `stamp-cli --help` and the README. */
typedef enum
{
  STAMP_CLI_EXIT_OK          = 0,
  STAMP_CLI_EXIT_FAILURE     = 1,
  STAMP_CLI_EXIT_USAGE       = 2,
  STAMP_CLI_EXIT_CONNECTION  = 3,
  STAMP_CLI_EXIT_TLS         = 4,
  STAMP_CLI_EXIT_AUTH        = 5,
  STAMP_CLI_EXIT_REJECTED    = 6,
  STAMP_CLI_EXIT_CANCELLED   = 130,
} StampCliExit;

StampCliExit stamp_cli_exit_for_error        (const GError        *error);
int          stamp_cli_usage_error           (const char          *command,
                                              const char          *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void         stamp_cli_print_step            (StampSmtpStep       *step);
void         stamp_cli_print_transcript_line (StampTranscriptLine *line);
void         stamp_cli_print_new_transcript_lines (GListModel     *transcript,
                                                   guint           position,
                                                   guint           removed,
                                                   guint           added,
                                                   gpointer        user_data);
void         stamp_cli_print_json            (JsonNode            *node);
void         stamp_cli_json_add_string       (JsonBuilder         *builder,
                                              const char          *member,
                                              const char          *value);
void         stamp_cli_json_add_int          (JsonBuilder         *builder,
                                              const char          *member,
                                              gint64               value);
void         stamp_cli_add_reply             (JsonBuilder         *builder,
                                              const char          *member,
                                              StampSmtpReply      *reply);
char        *stamp_cli_read_secret           (FILE                *stream,
                                              GError             **error);

G_END_DECLS

/* fuzz-smtp-reply.c
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

/* Server replies are bytes from a server we do not control: the line
 * engine (lines, limits, multi-line replies), the reply parser, the EHLO
 * capability reader and the diagnosis must take any of them without
 * crashing or reading out of bounds. The same bytes also go to a server's
 * engine as commands from a client. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stamp-diagnosis.h"
#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_reply (StampSmtpReply *reply)
{
  g_autofree char *joined = stamp_smtp_reply_dup_text (reply);
  g_autofree char *shown = stamp_smtp_reply_to_string (reply);
  g_autoptr(GHashTable) capabilities = stamp_smtp_reply_parse_capabilities (reply);
  g_autoptr(GError) failure = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "x");
  g_autoptr(StampExplanation) explanation = NULL;
  int code = stamp_smtp_reply_get_code (reply);

  g_assert_true (code >= 200 && code <= 599);
  g_assert_nonnull (capabilities);
  g_assert_true (g_utf8_validate (joined, -1, NULL));
  g_assert_true (g_utf8_validate (shown, -1, NULL));

  /* A failing reply goes on to the diagnosis, as the CLI and app do. */
  explanation = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), failure,
                                                 reply, NULL);
  g_assert_true (explanation == NULL || STAMP_IS_EXPLANATION (explanation));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(StampSmtpLine) client = stamp_smtp_line_new (NULL, STAMP_SMTP_ROLE_CLIENT);
  g_autoptr(StampSmtpLine) server = stamp_smtp_line_new (NULL, STAMP_SMTP_ROLE_SERVER);

  stamp_smtp_line_push_input (client, (const char *) data, size);
  stamp_smtp_line_push_input (server, (const char *) data, size);

  /* Each reply takes at least one line, so the input runs out. */
  for (;;)
    {
      g_autoptr(StampSmtpReply) reply = stamp_smtp_line_read_reply (client, G_MAXINT64, NULL,
                                                                    NULL);

      if (reply == NULL)
        break;
      check_reply (reply);
    }

  for (;;)
    {
      g_autofree char *command = stamp_smtp_line_read_command (server, G_MAXINT64, NULL, NULL);

      if (command == NULL)
        break;
      g_assert_cmpuint (strlen (command), <=, STAMP_SMTP_LINE_MAX);
    }

  return 0;
}

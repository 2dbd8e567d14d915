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
 * checker, the reply parser, the EHLO capability reader and the diagnosis
 * must take any of them without crashing or reading out of bounds. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stamp-diagnosis.h"
#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", STAMP_SMTP_REPLY_MAX_LINES + 2);
  g_autoptr(StampSmtpReply) reply = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);
      gboolean is_last;
      int code;

      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][len - 1] = '\0';

      if (stamp_smtp_reply_line_parse (lines[i], &code, &is_last, NULL))
        g_assert_true (code >= 200 && code <= 599);
    }

  reply = stamp_smtp_reply_new_from_lines ((const char * const *) lines, NULL);
  if (reply != NULL)
    {
      g_autofree char *joined = stamp_smtp_reply_dup_text (reply);
      g_autofree char *shown = stamp_smtp_reply_to_string (reply);
      g_autoptr(GHashTable) capabilities = stamp_smtp_reply_parse_capabilities (reply);

      g_autoptr(GError) failure = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "x");
      g_autoptr(StampExplanation) explanation = NULL;

      g_assert_nonnull (capabilities);
      g_assert_true (g_utf8_validate (joined, -1, NULL));
      g_assert_true (g_utf8_validate (shown, -1, NULL));

      /* A failing reply goes on to the diagnosis, as the CLI and app do. */
      explanation = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), failure,
                                                     reply, NULL);
      g_assert_true (explanation == NULL || STAMP_IS_EXPLANATION (explanation));
    }

  return 0;
}

/* stamp-util.c
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

#define G_LOG_DOMAIN "stamp-util"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-util.h"

/**
 * stamp_set_str:
 * @str_pointer: a pointer to a string
 * @new_str: (nullable): the new value
 *
 * Replaces *@str_pointer with a copy of @new_str if they differ. The same
 * as g_set_str(), which needs GLib 2.76.
 *
 * Returns: %TRUE if the value changed, so the caller notifies
 */
gboolean
stamp_set_str (char       **str_pointer,
               const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

/**
 * stamp_secret_free:
 * @secret: (nullable): a password or token
 *
 * Overwrites @secret before freeing it, so a password does not linger in
 * freed memory that a later crash report could show.
 */
void
stamp_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

void
stamp_clear_secret (char **secret_pointer)
{
  stamp_secret_free (g_steal_pointer (secret_pointer));
}

/**
 * stamp_hide_secrets:
 * @text: a line, a step's detail or an error message headed for a person
 * @secrets: (nullable) (array zero-terminated=1): the secrets to hide; the
 *   list ends at the first %NULL, and very short ones are skipped (they
 *   would blank out ordinary text, so they are redacted where written)
 *
 * The one redaction point of the transports: every string that leaves a
 * send (transcript lines, step details, error messages, what a server
 * quotes back) passes through here, so no secret reaches a person, a log,
 * --json or a report.
 *
 * Returns: (transfer full): @text with each secret as "[hidden]"
 */
char *
stamp_hide_secrets (const char         *text,
                    const char * const *secrets)
{
  g_autoptr(GString) result = g_string_new (text);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    if (strlen (secrets[i]) >= 4)
      g_string_replace (result, secrets[i], "[hidden]", 0);

  return g_string_free (g_steal_pointer (&result), FALSE);
}

gboolean
stamp_str_is_ascii (const char *str)
{
  for (const char *p = str; p != NULL && *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        return FALSE;
    }

  return TRUE;
}

/**
 * stamp_str_has_line_break:
 * @str: (nullable): a string headed for a header or a command line
 *
 * Returns: %TRUE if @str holds a CR or LF, which would let it smuggle a
 *   header or an SMTP command of its own
 */
gboolean
stamp_str_has_line_break (const char *str)
{
  return str != NULL && strpbrk (str, "\r\n") != NULL;
}

/**
 * stamp_bind_text_domain:
 *
 * Makes Stamp's catalogs the program's messages. STAMP_LOCALEDIR, when set,
 * names the folder of catalogs instead of the installed one, so that tests
 * and uninstalled runs use the catalogs of the build.
 */
void
stamp_bind_text_domain (void)
{
  const char *localedir = g_getenv ("STAMP_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * stamp_translate_data_text:
 * @text: a pointer to a text read from a data file
 *
 * Replaces *@text with its translation. The data files are English;
 * po/data-texts.c carries their texts to the translators.
 */
void
stamp_translate_data_text (char **text)
{
  const char *translated;

  if (*text == NULL || **text == '\0')
    return;

  translated = g_dgettext (GETTEXT_PACKAGE, *text);
  if (translated != *text)
    stamp_set_str (text, translated);
}

/**
 * stamp_translate_data_texts:
 * @texts: (nullable) (array zero-terminated=1): texts read from a data file
 *
 * Replaces each of @texts with its translation.
 */
void
stamp_translate_data_texts (char **texts)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    stamp_translate_data_text (&texts[i]);
}

/**
 * stamp_get_now:
 *
 * The wall-clock time for everything that judges ages: sign-in health and
 * the keep-alive refresh. Tests move it without waiting for days:
 * `STAMP_TEST_NOW_OFFSET` (seconds, may be negative) is added to the real
 * time, read on every call so a test may change it between calls.
 *
 * Returns: Unix seconds
 */
gint64
stamp_get_now (void)
{
  const char *offset = g_getenv ("STAMP_TEST_NOW_OFFSET");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seconds = 0;

  if (offset != NULL && *offset != '\0'
      && !g_ascii_string_to_signed (offset, 10, G_MININT64 / 2, G_MAXINT64 / 2, &seconds, NULL))
    g_warning ("STAMP_TEST_NOW_OFFSET is not a number of seconds: %s", offset);

  return now + seconds;
}

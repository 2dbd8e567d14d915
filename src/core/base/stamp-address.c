/* stamp-address.c
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

#define G_LOG_DOMAIN "stamp-address"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-address.h"
#include "stamp-error.h"
#include "stamp-util.h"

/* RFC 1035 §2.3.4: a label is at most 63 octets (in its ASCII form). */
static gboolean
domain_labels_fit (const char *domain)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);
  g_auto(GStrv) labels = NULL;

  if (ascii == NULL)
    return FALSE;

  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      if (strlen (labels[i]) > 63)
        return FALSE;
    }

  return TRUE;
}

/**
 * stamp_address_check:
 * @address: an email address as a person typed it
 * @error: return location for a #GError
 *
 * Checks that @address is a plain addr-spec that can go into an SMTP
 * envelope: one "@", a non-empty local part and domain, no spaces, angle
 * brackets, quotes or control characters, and valid UTF-8.
 *
 * Returns: %TRUE if @address can be used
 */
gboolean
stamp_address_check (const char  *address,
                     GError     **error)
{
  const char *at;

  if (address == NULL || *address == '\0')
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("No email address was given"));
      return FALSE;
    }

  if (!g_utf8_validate (address, -1, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The email address is not valid UTF-8 text"));
      return FALSE;
    }

  for (const guchar *p = (const guchar *) address; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f || strchr (" <>()[],;:\"\\", *p) != NULL)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("“%s” is not a plain email address: it contains spaces, brackets, "
                         "quotes or control characters"),
                       stamp_str_has_line_break (address) ? _("The address") : address);
          return FALSE;
        }
    }

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (address, '@') != at)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an email address: it needs exactly one “@” with a name "
                     "before it and a domain after it"),
                   address);
      return FALSE;
    }

  /* RFC 5321 §4.5.3.1.1: a local part is at most 64 octets; dot-atoms
   * (RFC 5322 §3.4.1) neither start nor end with a dot nor hold two. */
  if (at - address > 64 || address[0] == '.' || at[-1] == '.' ||
      g_strstr_len (address, at - address, "..") != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an email address: the part before the “@” is too long or "
                     "has misplaced dots"),
                   address);
      return FALSE;
    }

  if (strlen (at + 1) > 253 || strstr (at + 1, "..") != NULL || at[1] == '.' ||
      !domain_labels_fit (at + 1))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a valid mail domain"), at + 1);
      return FALSE;
    }

  return TRUE;
}

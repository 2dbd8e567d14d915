/* stamp-dns-check-tags.c
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

/* Tag lists as DKIM and DMARC records write them, and what a DMARC record
 * may say: read, checked and written back, for StampDnsCheck's rules. */

#define G_LOG_DOMAIN "stamp-dns-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-dns-check-private.h"

/* A DKIM or DMARC tag list (RFC 6376 §3.2): "tag=value" pairs separated
 * by ";", with spaces around either. Returns FALSE for a pair without "="
 * or with an empty or repeated tag name. */
gboolean
_stamp_dns_parse_tags (const char  *text,
                       GPtrArray  **names,
                       GPtrArray  **values)
{
  g_auto(GStrv) pairs = g_strsplit (text, ";", -1);
  g_autoptr(GPtrArray) tag_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tag_values = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *equals = strchr (pair, '=');
      char *name;

      if (*pair == '\0')
        continue;
      if (equals == NULL)
        return FALSE;

      *equals = '\0';
      name = g_ascii_strdown (g_strstrip (pair), -1);
      if (*name == '\0' || g_ptr_array_find_with_equal_func (tag_names, name, g_str_equal, NULL))
        {
          g_free (name);
          return FALSE;
        }
      g_ptr_array_add (tag_names, name);
      g_ptr_array_add (tag_values, g_strdup (g_strstrip (equals + 1)));
    }

  *names = g_steal_pointer (&tag_names);
  *values = g_steal_pointer (&tag_values);
  return TRUE;
}

const char *
_stamp_dns_find_tag (GPtrArray  *names,
                     GPtrArray  *values,
                     const char *name)
{
  guint position;

  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, &position))
    return NULL;

  return g_ptr_array_index (values, position);
}

static gboolean
is_policy (const char *value)
{
  return value != NULL && (g_str_equal (value, "none") || g_str_equal (value, "quarantine") ||
                           g_str_equal (value, "reject"));
}

static gboolean
is_dmarc_uri_list (const char *value)
{
  g_auto(GStrv) uris = g_strsplit (value, ",", -1);

  for (guint i = 0; uris[i] != NULL; i++)
    {
      if (strchr (uris[i], ':') == NULL)
        return FALSE;
    }

  return uris[0] != NULL;
}

/* Whether a tag's value is one RFC 7489 §6.3 allows; tags it does not
 * define are ignored by receivers, so they pass. */
static gboolean
is_dmarc_tag_valid (const char *name,
                    const char *value)
{
  if (g_str_equal (name, "p") || g_str_equal (name, "sp"))
    return is_policy (value);
  if (g_str_equal (name, "pct"))
    return g_ascii_isdigit (value[0]) &&
           g_ascii_string_to_unsigned (value, 10, 0, 100, NULL, NULL);
  if (g_str_equal (name, "adkim") || g_str_equal (name, "aspf"))
    return g_str_equal (value, "r") || g_str_equal (value, "s");
  if (g_str_equal (name, "rua") || g_str_equal (name, "ruf"))
    return is_dmarc_uri_list (value);

  return TRUE;
}

/* A DMARC record from tags, v=DMARC1 and p= first (RFC 7489 §6.4), with
 * the tags that are not valid left out, @name set to @value (or left out
 * for %NULL) and, if there is none, rua= set to @default_rua. */
char *
_stamp_dmarc_build (GPtrArray  *names,
                    GPtrArray  *values,
                    const char *name,
                    const char *value,
                    const char *default_rua)
{
  g_autoptr(GString) record = g_string_new ("v=DMARC1");
  const char *policy = g_str_equal (name, "p") ? value : _stamp_dns_find_tag (names, values, "p");
  gboolean set = g_str_equal (name, "p");
  gboolean rua = FALSE;

  g_string_append_printf (record, "; p=%s", is_policy (policy) ? policy : "none");

  for (guint i = 0; i < names->len; i++)
    {
      const char *tag = g_ptr_array_index (names, i);
      const char *tag_value = g_ptr_array_index (values, i);

      if (g_str_equal (tag, name))
        {
          set = TRUE;
          tag_value = value;
        }

      if (g_str_equal (tag, "v") || g_str_equal (tag, "p") || tag_value == NULL ||
          !is_dmarc_tag_valid (tag, tag_value))
        continue;

      rua |= g_str_equal (tag, "rua");
      g_string_append_printf (record, "; %s=%s", tag, tag_value);
    }

  if (!set && value != NULL)
    {
      rua |= g_str_equal (name, "rua");
      g_string_append_printf (record, "; %s=%s", name, value);
    }

  if (!rua && default_rua != NULL)
    g_string_append_printf (record, "; rua=%s", default_rua);

  return g_string_free (g_steal_pointer (&record), FALSE);
}

/* Why a parsed DMARC record is not valid, or %NULL. */
char *
_stamp_dmarc_dup_problem (GPtrArray *names,
                          GPtrArray *values)
{
  const char *policy = _stamp_dns_find_tag (names, values, "p");

  if (policy == NULL)
    return g_strdup (_("The DMARC record has no policy (“p=”)"));
  if (!is_policy (policy))
    return g_strdup_printf (_("The DMARC policy “p=%s” is not none, quarantine or reject"),
                            policy);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const char *value = g_ptr_array_index (values, i);

      if (!is_dmarc_tag_valid (name, value))
        /* Translators: "“pct=200” is not a valid value for this DMARC tag" */
        return g_strdup_printf (_("“%s=%s” is not a valid value for this DMARC tag"),
                                name, value);
    }

  return NULL;
}

/* RFC 7489 §6.4: the record starts with "v", "=", "DMARC1", with spaces
 * allowed around the "=". */
gboolean
_stamp_dmarc_starts_with_version (const char *text)
{
  const char *p = text + strspn (text, " \t");

  if (g_ascii_tolower (*p) != 'v')
    return FALSE;
  p++;
  p += strspn (p, " \t");
  if (*p != '=')
    return FALSE;
  p++;
  p += strspn (p, " \t");

  return g_str_has_prefix (p, "DMARC1") &&
         (p[6] == '\0' || p[6] == ';' || p[6] == ' ' || p[6] == '\t');
}

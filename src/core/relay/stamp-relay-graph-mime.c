/* stamp-relay-graph-mime.c
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

/* A spooled message as Microsoft Graph is to get it. Graph's MIME form
 * of sendMail has no envelope: it sends to whoever the To, Cc and Bcc
 * headers name. SMTP devices put some recipients only in the envelope
 * (a Bcc the device's mail program already took out of the headers), so
 * those go into a Bcc header that Exchange removes before delivery.
 * The opposite cannot be done: a header recipient whom the envelope
 * leaves out (a mailing list's copy, one envelope per recipient) would
 * get the message anyway through Graph, so the queue holds such a
 * message with the reason rather than sending it to people the device
 * did not send it to. */

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <string.h>

#include "stamp-relay-queue-private.h"

/* Removes quoted strings and comments, where an "@" is no address. */
static char *
strip_quotes_and_comments (const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean quoted = FALSE;
  guint depth = 0;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0' && (quoted || depth > 0))
        {
          p++;
          continue;
        }
      if (depth == 0 && *p == '"')
        {
          quoted = !quoted;
          g_string_append_c (out, ' ');
          continue;
        }
      if (!quoted && *p == '(')
        depth++;
      if (quoted || depth > 0)
        {
          if (!quoted && *p == ')')
            depth--;
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Adds each address of a To, Cc or Bcc value to @found, lower-case. */
static void
collect_addresses (const char *value,
                   GHashTable *found)
{
  g_autofree char *text = strip_quotes_and_comments (value);
  g_auto(GStrv) tokens = NULL;
  char *open;

  /* "Name <a@b>": the address between the brackets, after any old
   * source route ("<@relay:a@b>"). */
  while ((open = strchr (text, '<')) != NULL)
    {
      char *close = strchr (open, '>');
      char *address;

      if (close == NULL)
        {
          *open = ' ';
          continue;
        }
      *close = '\0';
      address = strrchr (open + 1, ':');
      address = address != NULL ? address + 1 : open + 1;
      address = g_strstrip (address);
      if (strchr (address, '@') != NULL)
        g_hash_table_add (found, g_ascii_strdown (address, -1));
      memset (open, ' ', close - open + 1);
    }

  /* Bare addresses, and the members of a group ("Team: a@b, c@d;"). */
  tokens = g_strsplit_set (text, " \t\r\n,;:", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (strchr (tokens[i], '@') != NULL)
      g_hash_table_add (found, g_ascii_strdown (tokens[i], -1));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_field (const char *line,
          gsize       length,
          const char *name)
{
  gsize name_length = strlen (name);

  return length > name_length && line[name_length] == ':'
         && g_ascii_strncasecmp (line, name, name_length) == 0;
}

/**
 * _stamp_relay_graph_prepare_mime:
 * @mime: the message as the device sent it
 * @recipients: the envelope's recipients
 * @unlisted: (out) (transfer full): the header recipients the envelope
 *   leaves out, joined by ", ", or %NULL when there are none
 *
 * Returns: (transfer full): @mime with a Bcc header for the envelope's
 *   recipients that no To, Cc or Bcc header names (an existing Bcc header
 *   is extended), otherwise byte for byte as it was
 */
GBytes *
_stamp_relay_graph_prepare_mime (GBytes             *mime,
                                 const char * const *recipients,
                                 char              **unlisted)
{
  gsize size;
  const char *data = g_bytes_get_data (mime, &size);
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) envelope = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_null_terminated (0, NULL, TRUE);
  g_autoptr(GString) field = NULL;
  g_autoptr(GString) out = NULL;
  const char *eol = "\n";
  gsize headers_end = size;
  gsize bcc_end = 0;
  gboolean in_wanted = FALSE;
  gboolean in_bcc = FALSE;
  gsize pos = 0;

  *unlisted = NULL;
  field = g_string_new (NULL);

  /* The header block: fields, folded lines starting with a blank, up to
   * the first empty line. */
  while (pos < size)
    {
      const char *line = data + pos;
      const char *newline = memchr (line, '\n', size - pos);
      gsize length = newline != NULL ? (gsize) (newline - line) : size - pos;
      gsize next = newline != NULL ? pos + length + 1 : size;
      gsize text_length = length > 0 && line[length - 1] == '\r' ? length - 1 : length;

      if (pos == 0 && text_length < length)
        eol = "\r\n";
      if (text_length == 0)
        {
          headers_end = pos;
          break;
        }
      if (line[0] == ' ' || line[0] == '\t')
        {
          if (in_wanted)
            g_string_append_len (field, line, text_length);
          if (in_bcc)
            bcc_end = pos + text_length;
          pos = next;
          continue;
        }

      if (in_wanted)
        collect_addresses (strchr (field->str, ':') + 1, named);
      g_string_truncate (field, 0);
      in_wanted = is_field (line, text_length, "To") || is_field (line, text_length, "Cc")
                  || is_field (line, text_length, "Bcc");
      in_bcc = is_field (line, text_length, "Bcc");
      if (in_wanted)
        g_string_append_len (field, line, text_length);
      if (in_bcc)
        bcc_end = pos + text_length;
      pos = next;
    }
  if (in_wanted)
    collect_addresses (strchr (field->str, ':') + 1, named);

  for (guint i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      char *key = g_ascii_strdown (recipients[i], -1);

      if (!g_hash_table_contains (named, key) && !g_hash_table_contains (envelope, key))
        g_ptr_array_add (missing, (gpointer) recipients[i]);
      g_hash_table_add (envelope, key);
    }

  {
    GHashTableIter iter;
    const char *address;
    g_autoptr(GPtrArray) extra = g_ptr_array_new ();

    g_hash_table_iter_init (&iter, named);
    while (g_hash_table_iter_next (&iter, (gpointer *) &address, NULL))
      if (!g_hash_table_contains (envelope, address))
        g_ptr_array_add (extra, (gpointer) address);
    if (extra->len > 0)
      {
        g_autoptr(GString) text = g_string_new (NULL);

        g_ptr_array_sort (extra, compare_strings);
        for (guint i = 0; i < extra->len; i++)
          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                                  (const char *) g_ptr_array_index (extra, i));
        *unlisted = g_string_free (g_steal_pointer (&text), FALSE);
      }
  }

  if (missing->len == 0)
    return g_bytes_ref (mime);

  /* One address a line, folded, so that no line grows past the limit. */
  out = g_string_sized_new (size + 64 * missing->len);
  if (bcc_end > 0)
    {
      g_string_append_len (out, data, bcc_end);
      for (guint i = 0; i < missing->len; i++)
        g_string_append_printf (out, ",%s %s", eol, (const char *) g_ptr_array_index (missing, i));
      g_string_append_len (out, data + bcc_end, size - bcc_end);
    }
  else
    {
      g_string_append_len (out, data, headers_end);
      if (headers_end > 0 && data[headers_end - 1] != '\n')
        g_string_append (out, eol);
      g_string_append (out, "Bcc:");
      for (guint i = 0; i < missing->len; i++)
        g_string_append_printf (out, "%s%s %s", i > 0 ? "," : "", i > 0 ? eol : "",
                                (const char *) g_ptr_array_index (missing, i));
      g_string_append (out, eol);
      g_string_append_len (out, data + headers_end, size - headers_end);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

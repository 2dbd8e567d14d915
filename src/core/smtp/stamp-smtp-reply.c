/* stamp-smtp-reply.c
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

#define G_LOG_DOMAIN "stamp-smtp-reply"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"

/*
 * StampSmtpReply:
 *
 * One reply from an SMTP server: the three-digit code, the RFC 3463
 * enhanced status code when the server gives one, and the text of each
 * line with the codes taken off. Replies are immutable once parsed.
 */
struct _StampSmtpReply
{
  GObject parent_instance;

  /* Owned */
  char   *enhanced_code;
  GStrv   lines;

  int     code;
};

enum {
  PROP_0,
  PROP_CODE,
  PROP_ENHANCED_CODE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampSmtpReply, stamp_smtp_reply, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static gboolean
is_digit_run (const char *p,
              gsize       min,
              gsize       max,
              gsize      *len)
{
  gsize n = 0;

  while (g_ascii_isdigit (p[n]) && n <= max)
    n++;

  *len = n;
  return n >= min && n <= max;
}

/* RFC 3463 §2: class "." subject "." detail, where class matches the
 * reply's first digit, subject is 1-3 digits and detail 1-3 digits. The code
 * ends at a space or at the end of the text. Returns the length of the code
 * or 0 when the text does not start with one. */
static gsize
enhanced_code_length (const char *text,
                      int         code)
{
  gsize subject_len, detail_len;
  const char *p = text;

  if (p[0] != '0' + code / 100 || p[1] != '.')
    return 0;
  p += 2;

  if (!is_digit_run (p, 1, 3, &subject_len) || p[subject_len] != '.')
    return 0;
  p += subject_len + 1;

  if (!is_digit_run (p, 1, 3, &detail_len))
    return 0;
  p += detail_len;

  if (*p != '\0' && *p != ' ')
    return 0;

  return (gsize) (p - text);
}

static void
stamp_smtp_reply_finalize (GObject *object)
{
  StampSmtpReply *self = (StampSmtpReply *)object;

  g_clear_pointer (&self->enhanced_code, g_free);
  g_clear_pointer (&self->lines, g_strfreev);

  G_OBJECT_CLASS (stamp_smtp_reply_parent_class)->finalize (object);
}

static void
stamp_smtp_reply_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  StampSmtpReply *self = STAMP_SMTP_REPLY (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_int (value, self->code);
      break;

    case PROP_ENHANCED_CODE:
      g_value_set_string (value, self->enhanced_code);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_smtp_reply_class_init (StampSmtpReplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_reply_finalize;
  object_class->get_property = stamp_smtp_reply_get_property;

  properties[PROP_CODE] =
    g_param_spec_int ("code", NULL, NULL,
                      200, 599, 200,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENHANCED_CODE] =
    g_param_spec_string ("enhanced-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_smtp_reply_init (StampSmtpReply *self)
{
}

/**
 * stamp_smtp_reply_line_parse:
 * @line: one reply line without its CRLF
 * @code: (out): the three-digit reply code
 * @is_last: (out): whether this line ends the reply
 * @error: return location for a #GError
 *
 * Checks one line of a reply (RFC 5321 §4.2): three digits from 200 to 599,
 * then a space (last line), a hyphen (more follow) or nothing.
 *
 * Returns: %TRUE if @line is a well-formed reply line
 */
gboolean
stamp_smtp_reply_line_parse (const char  *line,
                             int         *code,
                             gboolean    *is_last,
                             GError     **error)
{
  g_return_val_if_fail (line != NULL, FALSE);

  if (strlen (line) > STAMP_SMTP_LINE_MAX)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server sent a reply line longer than %d characters"),
                   STAMP_SMTP_LINE_MAX);
      return FALSE;
    }

  if (line[0] < '2' || line[0] > '5' ||
      line[1] < '0' || line[1] > '5' ||
      !g_ascii_isdigit (line[2]) ||
      (line[3] != '\0' && line[3] != ' ' && line[3] != '-'))
    {
      g_autofree char *shown = g_utf8_make_valid (line, MIN (strlen (line), 80));

      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server sent something that is not an SMTP reply: “%s”"),
                   shown);
      return FALSE;
    }

  *code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  *is_last = line[3] != '-';

  return TRUE;
}

/**
 * stamp_smtp_reply_new_from_lines:
 * @lines: the lines of one reply, without CRLF
 * @error: return location for a #GError
 *
 * Parses a complete reply. Every line must carry the same code and only the
 * last may end the reply. The enhanced status code is taken from the first
 * line and stripped from every line that repeats it.
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
StampSmtpReply *
stamp_smtp_reply_new_from_lines (const char * const  *lines,
                                 GError             **error)
{
  g_autoptr(StampSmtpReply) self = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  guint n_lines;

  g_return_val_if_fail (lines != NULL, NULL);

  n_lines = g_strv_length ((GStrv) lines);
  if (n_lines == 0 || n_lines > STAMP_SMTP_REPLY_MAX_LINES)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server sent a reply with %u lines"), n_lines);
      return NULL;
    }

  self = g_object_new (STAMP_TYPE_SMTP_REPLY, NULL);
  texts = g_ptr_array_new_null_terminated (n_lines, g_free, TRUE);

  for (guint i = 0; i < n_lines; i++)
    {
      const char *text;
      gboolean is_last;
      gsize enhanced_len;
      int code;

      if (!stamp_smtp_reply_line_parse (lines[i], &code, &is_last, error))
        return NULL;

      if (i == 0)
        self->code = code;
      else if (code != self->code)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The server mixed reply codes %d and %d in one reply"),
                       self->code, code);
          return NULL;
        }

      if (is_last != (i == n_lines - 1))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The server sent a multi-line reply with a misplaced last line"));
          return NULL;
        }

      text = lines[i][3] == '\0' ? "" : lines[i] + 4;
      enhanced_len = enhanced_code_length (text, self->code);

      if (enhanced_len > 0)
        {
          if (i == 0)
            self->enhanced_code = g_strndup (text, enhanced_len);

          if (self->enhanced_code != NULL &&
              strlen (self->enhanced_code) == enhanced_len &&
              strncmp (text, self->enhanced_code, enhanced_len) == 0)
            {
              text += enhanced_len;
              while (*text == ' ')
                text++;
            }
        }

      g_ptr_array_add (texts, g_utf8_make_valid (text, -1));
    }

  self->lines = (GStrv) g_ptr_array_steal (texts, NULL);

  return g_steal_pointer (&self);
}

int
stamp_smtp_reply_get_code (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), 0);

  return self->code;
}

/**
 * stamp_smtp_reply_get_enhanced_code:
 * @self: a #StampSmtpReply
 *
 * Returns: (nullable): the RFC 3463 code such as "5.7.139", or %NULL when
 *   the server gave none
 */
const char *
stamp_smtp_reply_get_enhanced_code (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), NULL);

  return self->enhanced_code;
}

/**
 * stamp_smtp_reply_get_lines:
 * @self: a #StampSmtpReply
 *
 * Returns: (transfer none): the text of each line, without the codes
 */
const char * const *
stamp_smtp_reply_get_lines (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), NULL);

  return (const char * const *) self->lines;
}

/**
 * stamp_smtp_reply_dup_text:
 * @self: a #StampSmtpReply
 *
 * Returns: (transfer full): the lines' text joined with spaces
 */
char *
stamp_smtp_reply_dup_text (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), NULL);

  return g_strjoinv (" ", self->lines);
}

/**
 * stamp_smtp_reply_to_string:
 * @self: a #StampSmtpReply
 *
 * Returns: (transfer full): the reply on one line, "535 5.7.139 text…"
 */
char *
stamp_smtp_reply_to_string (StampSmtpReply *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), NULL);

  text = stamp_smtp_reply_dup_text (self);

  if (self->enhanced_code != NULL)
    return g_strdup_printf ("%d %s%s%s", self->code, self->enhanced_code,
                            *text != '\0' ? " " : "", text);

  return g_strdup_printf ("%d%s%s", self->code, *text != '\0' ? " " : "", text);
}

gboolean
stamp_smtp_reply_is_positive (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), FALSE);

  return self->code / 100 == 2;
}

gboolean
stamp_smtp_reply_is_intermediate (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), FALSE);

  return self->code / 100 == 3;
}

gboolean
stamp_smtp_reply_is_transient (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), FALSE);

  return self->code / 100 == 4;
}

gboolean
stamp_smtp_reply_is_permanent (StampSmtpReply *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), FALSE);

  return self->code / 100 == 5;
}

/**
 * stamp_smtp_reply_parse_capabilities:
 * @self: a positive reply to EHLO
 *
 * Reads the service extensions an EHLO reply lists (RFC 5321 §4.1.1.1): every
 * line after the first is a keyword, optionally followed by parameters.
 * Keywords are upper-cased; "AUTH=LOGIN PLAIN" (an old form) counts as AUTH.
 *
 * Returns: (transfer full) (element-type utf8 utf8): keyword → parameters
 *   ("" when none)
 */
GHashTable *
stamp_smtp_reply_parse_capabilities (StampSmtpReply *self)
{
  g_autoptr(GHashTable) caps = NULL;

  g_return_val_if_fail (STAMP_IS_SMTP_REPLY (self), NULL);

  caps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 1; self->lines[i] != NULL; i++)
    {
      const char *line = self->lines[i];
      gsize keyword_len = strcspn (line, " =");
      g_autofree char *keyword = g_ascii_strup (line, keyword_len);
      const char *params = line + keyword_len;

      if (keyword_len == 0)
        continue;

      while (*params == ' ' || *params == '=')
        params++;

      /* The first of AUTH and AUTH= wins: both usually list the same. */
      if (!g_hash_table_contains (caps, keyword))
        g_hash_table_insert (caps, g_steal_pointer (&keyword), g_strdup (params));
    }

  return g_steal_pointer (&caps);
}

/* stamp-smtp-line-server.c
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

#define G_LOG_DOMAIN "stamp-smtp-line"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-line-private.h"

/* The line engine's server side: reading commands and message data,
 * writing replies. */

/**
 * stamp_smtp_line_read_command:
 * @self: a #StampSmtpLine speaking for a server
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one command line from a client. It goes past the transcript
 * function as it is, AUTH lines included: a server hides credentials
 * there.
 *
 * Errors: those of stamp_smtp_line_read_line().
 *
 * Returns: (transfer full): the command line without its CRLF, or %NULL
 *   with @error set
 */
char *
stamp_smtp_line_read_command (StampSmtpLine  *self,
                              gint64          deadline,
                              GCancellable   *cancellable,
                              GError        **error)
{
  char *line;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);
  g_return_val_if_fail (self->role == STAMP_SMTP_ROLE_SERVER, NULL);

  line = stamp_smtp_line_read_line (self, deadline, cancellable, error);
  if (line != NULL)
    _stamp_smtp_line_show (self, _stamp_smtp_line_peer_direction (self), line);

  return line;
}

/**
 * stamp_smtp_line_read_command_max:
 * @self: a #StampSmtpLine speaking for a server
 * @max_len: the longest line to take, without its CRLF
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one command line as stamp_smtp_line_read_command() does, but a
 * line longer than @max_len is read to its end and dropped, keeping no
 * more than @max_len octets of it meanwhile, so that the server can answer
 * "500 5.5.2 Line too long" and go on (RFC 5321 §4.5.3.1.4). A line with
 * a NUL in it is dropped too.
 *
 * Errors: %STAMP_ERROR_INVALID_INPUT for a line that was too long,
 * %STAMP_ERROR_BAD_REPLY for one with a NUL (either is gone), otherwise
 * those of stamp_smtp_line_read_line().
 *
 * Returns: (transfer full): the command line without its CRLF, or %NULL
 *   with @error set
 */
char *
stamp_smtp_line_read_command_max (StampSmtpLine  *self,
                                  gsize           max_len,
                                  gint64          deadline,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  gboolean too_long = FALSE;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);
  g_return_val_if_fail (self->role == STAMP_SMTP_ROLE_SERVER, NULL);
  g_return_val_if_fail (max_len <= STAMP_SMTP_LINE_MAX, NULL);

  for (;;)
    {
      const guint8 *newline = self->input->len > 0
                              ? memchr (self->input->data, '\n', self->input->len)
                              : NULL;

      if (newline != NULL)
        {
          gsize len = newline - self->input->data;
          gsize text_len = len > 0 && newline[-1] == '\r' ? len - 1 : len;

          gboolean has_nul = memchr (self->input->data, '\0', text_len) != NULL;

          if (!too_long && text_len <= max_len && !has_nul)
            return stamp_smtp_line_read_command (self, deadline, cancellable, error);

          /* Dropped whole, so that the next read starts at the next line. */
          explicit_bzero (self->input->data, len + 1);
          g_byte_array_remove_range (self->input, 0, len + 1);
          _stamp_smtp_line_show (self, _stamp_smtp_line_peer_direction (self),
                                 _("(a line that could not be read, dropped)"));
          if (has_nul && !too_long && text_len <= max_len)
            g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                                 _("The client sent a command line with a NUL byte in it"));
          else
            g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                         _("The client sent a command line longer than %u characters"),
                         (guint) max_len);
          return NULL;
        }

      /* Keep the start of the line for nothing: drop it as it comes. */
      if (self->input->len > max_len + 1)
        {
          too_long = TRUE;
          explicit_bzero (self->input->data, self->input->len);
          g_byte_array_set_size (self->input, 0);
        }

      if (!_stamp_smtp_line_fill (self, deadline, cancellable, error))
        return NULL;
    }
}

/**
 * stamp_smtp_line_read_some:
 * @self: a #StampSmtpLine
 * @buffer: (out caller-allocates) (array length=size): where to put bytes
 * @size: the size of @buffer
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads raw bytes, first those already read but not yet used, for a
 * server that streams a message's data (RFC 5321 §4.1.1.4) without
 * splitting it into lines. The transcript function does not see them.
 *
 * Errors: those of stamp_smtp_line_read_line(), but never a line too long.
 *
 * Returns: the number of bytes put in @buffer (at least one), or -1 with
 *   @error set
 */
gssize
stamp_smtp_line_read_some (StampSmtpLine  *self,
                           char           *buffer,
                           gsize           size,
                           gint64          deadline,
                           GCancellable   *cancellable,
                           GError        **error)
{
  gsize n;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), -1);
  g_return_val_if_fail (size > 0, -1);

  if (self->input->len == 0 && !_stamp_smtp_line_fill (self, deadline, cancellable, error))
    return -1;

  n = MIN (size, self->input->len);
  memcpy (buffer, self->input->data, n);
  g_byte_array_remove_range (self->input, 0, n);

  return n;
}

/**
 * stamp_smtp_line_unread:
 * @self: a #StampSmtpLine
 * @data: (array length=len): bytes that stamp_smtp_line_read_some() gave
 *   but the caller did not use
 * @len: the length of @data
 *
 * Puts @data back in front of what is waiting to be read, as when a
 * pipelined command follows a message's final dot in the same read.
 */
void
stamp_smtp_line_unread (StampSmtpLine *self,
                        const char    *data,
                        gsize          len)
{
  g_return_if_fail (STAMP_IS_SMTP_LINE (self));

  g_byte_array_prepend (self->input, (const guint8 *) data, len);
}

/**
 * stamp_smtp_line_write_reply:
 * @self: a #StampSmtpLine speaking for a server
 * @code: the reply code, 200 to 599
 * @enhanced_code: (nullable): an RFC 3463 code such as "2.1.0" for every line
 * @text: (nullable): the reply text; each "\n" starts another line
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends one reply, as a multi-line reply when @text has several lines
 * (RFC 5321 §4.2.1): "250-first", …, "250 last". The reply goes out in
 * one write. Errors: those of stamp_smtp_line_write().
 *
 * Returns: %TRUE once it is sent
 */
gboolean
stamp_smtp_line_write_reply (StampSmtpLine  *self,
                             int             code,
                             const char     *enhanced_code,
                             const char     *text,
                             gint64          deadline,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GString) wire = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), FALSE);
  g_return_val_if_fail (code >= 200 && code <= 599, FALSE);

  lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  n_lines = g_strv_length (lines);
  wire = g_string_new (NULL);

  for (guint i = 0; i < MAX (n_lines, 1); i++)
    {
      const char *line = i < n_lines ? lines[i] : "";
      gsize start = wire->len;

      g_string_append_printf (wire, "%d%c", code, i + 1 < n_lines ? '-' : ' ');
      if (enhanced_code != NULL)
        g_string_append_printf (wire, "%s%s", enhanced_code, *line != '\0' ? " " : "");
      g_string_append (wire, line);

      _stamp_smtp_line_show (self, _stamp_smtp_line_own_direction (self), wire->str + start);
      g_string_append (wire, "\r\n");
    }

  return stamp_smtp_line_write (self, wire->str, wire->len, deadline, cancellable, error);
}

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
 * stamp_deadline_from_now:
 * @seconds: a time limit
 *
 * Returns: the monotonic time (µs) @seconds from now, as the socket
 *   helpers take it
 */
gint64
stamp_deadline_from_now (guint seconds)
{
  return g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
}

/**
 * stamp_socket_wait:
 * @socket: a non-blocking #GSocket
 * @condition: %G_IO_IN or %G_IO_OUT
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until @socket is ready, the deadline passes or @cancellable fires.
 * Every network wait in the core goes through here, so every step has a
 * deadline and can be cancelled.
 *
 * Returns: %TRUE when ready; %FALSE with %STAMP_ERROR_TIMED_OUT or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
stamp_socket_wait (GSocket       *socket,
                   GIOCondition   condition,
                   gint64         deadline,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 remaining = deadline - g_get_monotonic_time ();

  if (remaining <= 0)
    remaining = 0;

  if (g_socket_condition_timed_wait (socket, condition, remaining, cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                         _("The server did not answer in time"));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

static void
set_socket_error (GError     **error,
                  GError      *local_error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                 _("The server closed the connection (%s)"), local_error->message);
  else
    g_propagate_error (error, local_error);
}

gboolean
stamp_socket_send_all (GSocket       *socket,
                       const char    *data,
                       gsize          len,
                       gint64         deadline,
                       GCancellable  *cancellable,
                       GError       **error)
{
  while (len > 0)
    {
      GError *local_error = NULL;
      gssize sent;

      if (!stamp_socket_wait (socket, G_IO_OUT, deadline, cancellable, error))
        return FALSE;

      sent = g_socket_send_with_blocking (socket, data, len, FALSE, cancellable, &local_error);
      if (sent < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_clear_error (&local_error);
              continue;
            }

          set_socket_error (error, local_error);
          return FALSE;
        }

      data += sent;
      len -= sent;
    }

  return TRUE;
}

/**
 * stamp_socket_receive:
 *
 * Reads what is there, waiting until the deadline for at least one byte.
 *
 * Returns: bytes read, 0 at end of stream, -1 with @error set
 */
gssize
stamp_socket_receive (GSocket       *socket,
                      char          *buffer,
                      gsize          size,
                      gint64         deadline,
                      GCancellable  *cancellable,
                      GError       **error)
{
  for (;;)
    {
      GError *local_error = NULL;
      gssize received;

      if (!stamp_socket_wait (socket, G_IO_IN, deadline, cancellable, error))
        return -1;

      received = g_socket_receive_with_blocking (socket, buffer, size, FALSE,
                                                 cancellable, &local_error);
      if (received >= 0)
        return received;

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          set_socket_error (error, local_error);
          return -1;
        }

      g_clear_error (&local_error);
    }
}

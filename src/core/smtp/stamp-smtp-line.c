/* stamp-smtp-line.c
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
#include "stamp-net.h"
#include "stamp-smtp-line-private.h"

#define READ_CHUNK 4096

/*
 * StampSmtpLine:
 *
 * The one line engine under every SMTP speaker in Stamp, in the spirit of
 * curl's pingpong: it owns the connection (the socket, and the TLS session
 * once there is one) and what has been read but not yet used, and it reads
 * and writes SMTP lines with the same limits and the same errors for the
 * client, the TLS probe and a server. Every wait has a deadline and a
 * cancellable; every line read or written goes past the transcript
 * function, which is where the caller redacts.
 *
 * An engine without a socket reads only what was pushed into it, and finds
 * the connection closed after that: the fuzz targets read replies that way.
 */
G_DEFINE_FINAL_TYPE (StampSmtpLine, stamp_smtp_line, G_TYPE_OBJECT)

void
_stamp_smtp_line_show (StampSmtpLine            *self,
                       StampTranscriptDirection  direction,
                       const char               *text)
{
  if (self->transcript_func != NULL)
    self->transcript_func (direction, text, self->transcript_data);
}

/* Who is at the other end, for the transcript. */
StampTranscriptDirection
_stamp_smtp_line_peer_direction (StampSmtpLine *self)
{
  return self->role == STAMP_SMTP_ROLE_CLIENT ? STAMP_TRANSCRIPT_SERVER : STAMP_TRANSCRIPT_CLIENT;
}

StampTranscriptDirection
_stamp_smtp_line_own_direction (StampSmtpLine *self)
{
  return self->role == STAMP_SMTP_ROLE_CLIENT ? STAMP_TRANSCRIPT_CLIENT : STAMP_TRANSCRIPT_SERVER;
}

/* The socket layer words its errors for a client, whose peer is a server;
 * a server's peer is a client. Returns %FALSE. */
static gboolean
fail_io (StampSmtpLine  *self,
         GError         *local_error,
         GError        **error)
{
  if (self->role == STAMP_SMTP_ROLE_SERVER &&
      g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
    {
      g_clear_error (&local_error);
      local_error = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                                         _("The client did not answer in time"));
    }
  else if (self->role == STAMP_SMTP_ROLE_SERVER &&
           g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED))
    {
      g_clear_error (&local_error);
      local_error = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                                         _("The client closed the connection"));
    }

  g_propagate_error (error, local_error);
  return FALSE;
}

gboolean
_stamp_smtp_line_fill (StampSmtpLine  *self,
                       gint64          deadline,
                       GCancellable   *cancellable,
                       GError        **error)
{
  char buffer[READ_CHUNK];
  GError *local_error = NULL;
  gssize received = 0;

  if (self->tls != NULL)
    received = stamp_tls_session_receive (self->tls, buffer, sizeof buffer, deadline,
                                          cancellable, &local_error);
  else if (self->socket != NULL)
    received = stamp_socket_receive (self->socket, buffer, sizeof buffer, deadline,
                                     cancellable, &local_error);

  if (received < 0)
    return fail_io (self, local_error, error);

  if (received == 0)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                           self->role == STAMP_SMTP_ROLE_CLIENT
                           ? _("The server closed the connection")
                           : _("The client closed the connection"));
      return FALSE;
    }

  self->wrote_since_read = FALSE;
  g_byte_array_append (self->input, (const guint8 *) buffer, received);

  return TRUE;
}

static void
stamp_smtp_line_finalize (GObject *object)
{
  StampSmtpLine *self = (StampSmtpLine *)object;

  g_clear_object (&self->tls);
  g_clear_object (&self->socket);
  /* What was read may hold a credential (a server reading AUTH). */
  if (self->input->len > 0)
    explicit_bzero (self->input->data, self->input->len);
  g_clear_pointer (&self->input, g_byte_array_unref);

  G_OBJECT_CLASS (stamp_smtp_line_parent_class)->finalize (object);
}

static void
stamp_smtp_line_class_init (StampSmtpLineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_line_finalize;
}

static void
stamp_smtp_line_init (StampSmtpLine *self)
{
  self->input = g_byte_array_new ();
}

/**
 * stamp_smtp_line_new:
 * @socket: (nullable): a connected, non-blocking socket, or %NULL for an
 *   engine that reads only what is pushed into it
 * @role: which end of the session this engine speaks for
 *
 * Returns: (transfer full): a new line engine that owns a reference to
 *   @socket
 */
StampSmtpLine *
stamp_smtp_line_new (GSocket       *socket,
                     StampSmtpRole  role)
{
  StampSmtpLine *self;

  g_return_val_if_fail (socket == NULL || G_IS_SOCKET (socket), NULL);

  self = g_object_new (STAMP_TYPE_SMTP_LINE, NULL);
  self->socket = socket != NULL ? g_object_ref (socket) : NULL;
  self->role = role;

  return self;
}

/**
 * stamp_smtp_line_set_transcript_func:
 * @self: a #StampSmtpLine
 * @func: (nullable): called for every line read or written
 * @user_data: data for @func, which must live as long as the engine is used
 *
 * Sets the function that sees every line, for a transcript. It is where a
 * caller hides secrets: the engine hands it lines as they are.
 */
void
stamp_smtp_line_set_transcript_func (StampSmtpLine     *self,
                                     StampSmtpLineFunc  func,
                                     gpointer           user_data)
{
  g_return_if_fail (STAMP_IS_SMTP_LINE (self));

  self->transcript_func = func;
  self->transcript_data = user_data;
}

/**
 * stamp_smtp_line_get_socket:
 * @self: a #StampSmtpLine
 *
 * Returns: (transfer none) (nullable): the connection's socket
 */
GSocket *
stamp_smtp_line_get_socket (StampSmtpLine *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);

  return self->socket;
}

/**
 * stamp_smtp_line_get_tls:
 * @self: a #StampSmtpLine
 *
 * Returns: (transfer none) (nullable): the TLS session, once
 *   stamp_smtp_line_start_tls() has set it up
 */
StampTlsSession *
stamp_smtp_line_get_tls (StampSmtpLine *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);

  return self->tls;
}

/**
 * stamp_smtp_line_get_round_trips:
 * @self: a #StampSmtpLine
 *
 * Counts the turns this end took: each write that follows a read (or opens
 * the session) is one, however many commands it carries. A pipelined group
 * is one turn; the TLS handshake is not counted.
 *
 * Returns: the number of turns so far
 */
guint
stamp_smtp_line_get_round_trips (StampSmtpLine *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), 0);

  return self->round_trips;
}

/**
 * stamp_smtp_line_has_input:
 * @self: a #StampSmtpLine
 *
 * Returns: whether bytes have arrived that no read has used yet
 */
gboolean
stamp_smtp_line_has_input (StampSmtpLine *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), FALSE);

  return self->input->len > 0;
}

/**
 * stamp_smtp_line_push_input:
 * @self: a #StampSmtpLine
 * @data: (array length=len): bytes to read as if they had arrived
 * @len: the length of @data
 *
 * Adds @data after whatever is waiting to be read.
 */
void
stamp_smtp_line_push_input (StampSmtpLine *self,
                            const char    *data,
                            gsize          len)
{
  g_return_if_fail (STAMP_IS_SMTP_LINE (self));
  g_return_if_fail (data != NULL || len == 0);

  g_byte_array_append (self->input, (const guint8 *) data, len);
}

/**
 * stamp_smtp_line_dup_address_literal:
 * @self: a #StampSmtpLine
 *
 * RFC 5321 §4.1.3: this end's address in brackets, "[192.0.2.1]" or
 * "[IPv6:2001:db8::1]", for an EHLO from a host without a fully qualified
 * name (§4.1.4).
 *
 * Returns: (transfer full): the address literal
 */
char *
stamp_smtp_line_dup_address_literal (StampSmtpLine *self)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *address = NULL;
  GInetAddress *inet;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);

  if (self->socket != NULL)
    local = g_socket_get_local_address (self->socket, NULL);
  if (local == NULL || !G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  address = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", address);

  return g_strdup_printf ("[%s]", address);
}

/**
 * stamp_smtp_line_read_line:
 * @self: a #StampSmtpLine
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one line of at most %STAMP_SMTP_LINE_MAX octets and takes off its
 * CRLF (or a bare LF). The transcript function does not see it: the reply
 * and command readers show what they read.
 *
 * Errors: %STAMP_ERROR_BAD_REPLY when the line is too long or holds a NUL,
 * %STAMP_ERROR_CONNECTION_CLOSED when the peer closed the connection first,
 * %STAMP_ERROR_TIMED_OUT at the deadline, %G_IO_ERROR_CANCELLED, or the
 * socket's or TLS session's own error.
 *
 * Returns: (transfer full): the line, or %NULL with @error set
 */
char *
stamp_smtp_line_read_line (StampSmtpLine  *self,
                           gint64          deadline,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);

  for (;;)
    {
      const guint8 *newline = self->input->len > 0
                              ? memchr (self->input->data, '\n', self->input->len)
                              : NULL;

      if (newline != NULL)
        {
          gsize len = newline - self->input->data;
          gsize text_len = len > 0 && newline[-1] == '\r' ? len - 1 : len;
          char *line;

          if (text_len > STAMP_SMTP_LINE_MAX)
            break;

          /* A NUL would cut the line short where C reads it ("AUTH
           * PLAIN\0LOGIN" as "AUTH PLAIN"): no line that holds one is read. */
          if (memchr (self->input->data, '\0', text_len) != NULL)
            {
              g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                                   self->role == STAMP_SMTP_ROLE_CLIENT
                                   ? _("The server sent a reply line with a NUL byte in it")
                                   : _("The client sent a command line with a NUL byte in it"));
              return NULL;
            }

          line = g_strndup ((const char *) self->input->data, text_len);
          g_byte_array_remove_range (self->input, 0, len + 1);

          return line;
        }

      /* Room for the CR of a line that is just as long as it may be. */
      if (self->input->len > STAMP_SMTP_LINE_MAX + 1)
        break;

      if (!_stamp_smtp_line_fill (self, deadline, cancellable, error))
        return NULL;
    }

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
               self->role == STAMP_SMTP_ROLE_CLIENT
               ? _("The server sent a reply line longer than %d characters")
               : _("The client sent a command line longer than %d characters"),
               STAMP_SMTP_LINE_MAX);
  return NULL;
}

/**
 * stamp_smtp_line_read_reply:
 * @self: a #StampSmtpLine
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one reply, multi-line or not (RFC 5321 §4.2.1), of at most
 * %STAMP_SMTP_REPLY_MAX_LINES lines, and parses it with its enhanced status
 * code. Each line goes past the transcript function before it is checked,
 * so a transcript shows what broke a reply too.
 *
 * Errors: those of stamp_smtp_line_read_line(), and %STAMP_ERROR_BAD_REPLY
 * for a line that is not a reply line or a reply with too many lines.
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
StampSmtpReply *
stamp_smtp_line_read_reply (StampSmtpLine  *self,
                            gint64          deadline,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);
  g_return_val_if_fail (self->role == STAMP_SMTP_ROLE_CLIENT, NULL);

  lines = g_ptr_array_new_null_terminated (4, g_free, TRUE);

  for (;;)
    {
      g_autofree char *line = stamp_smtp_line_read_line (self, deadline, cancellable, error);
      gboolean is_last;
      int code;

      if (line == NULL)
        return NULL;

      _stamp_smtp_line_show (self, _stamp_smtp_line_peer_direction (self), line);

      if (!stamp_smtp_reply_line_parse (line, &code, &is_last, error))
        return NULL;

      g_ptr_array_add (lines, g_steal_pointer (&line));

      if (is_last)
        break;

      if (lines->len >= STAMP_SMTP_REPLY_MAX_LINES)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The server sent a reply of more than %d lines"),
                       STAMP_SMTP_REPLY_MAX_LINES);
          return NULL;
        }
    }

  return stamp_smtp_reply_new_from_lines ((const char * const *) lines->pdata, error);
}

/**
 * stamp_smtp_line_write:
 * @self: a #StampSmtpLine
 * @data: (array length=len): bytes to send as they are
 * @len: the length of @data
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @data, through TLS once it is up. The transcript function does not
 * see it: a caller that sends a pipelined group shows its lines itself.
 *
 * Errors: %STAMP_ERROR_TIMED_OUT at the deadline, %G_IO_ERROR_CANCELLED, or
 * the socket's or TLS session's own error.
 *
 * Returns: %TRUE once all of @data is sent
 */
gboolean
stamp_smtp_line_write (StampSmtpLine  *self,
                       const char     *data,
                       gsize           len,
                       gint64          deadline,
                       GCancellable   *cancellable,
                       GError        **error)
{
  GError *local_error = NULL;
  gboolean sent;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), FALSE);
  g_return_val_if_fail (self->socket != NULL, FALSE);

  if (!self->wrote_since_read)
    {
      self->round_trips++;
      self->wrote_since_read = TRUE;
    }

  if (self->tls != NULL)
    sent = stamp_tls_session_send_all (self->tls, data, len, deadline, cancellable, &local_error);
  else
    sent = stamp_socket_send_all (self->socket, data, len, deadline, cancellable, &local_error);

  return sent || fail_io (self, local_error, error);
}

/**
 * stamp_smtp_line_write_command:
 * @self: a #StampSmtpLine speaking for a client
 * @command: one command line without its CRLF
 * @shown: (nullable): what the transcript shows instead of @command, when
 *   it holds a credential
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @command with its CRLF. Errors: those of stamp_smtp_line_write().
 *
 * Returns: %TRUE once it is sent
 */
gboolean
stamp_smtp_line_write_command (StampSmtpLine  *self,
                               const char     *command,
                               const char     *shown,
                               gint64          deadline,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autofree char *wire = NULL;
  gsize len;
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  _stamp_smtp_line_show (self, _stamp_smtp_line_own_direction (self),
                         shown != NULL ? shown : command);

  wire = g_strconcat (command, "\r\n", NULL);
  len = strlen (wire);
  ok = stamp_smtp_line_write (self, wire, len, deadline, cancellable, error);
  /* The line may hold a credential. */
  explicit_bzero (wire, len);

  return ok;
}

/**
 * stamp_smtp_line_command:
 * @self: a #StampSmtpLine speaking for a client
 * @command: one command line without its CRLF and without a credential
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @command and reads its reply, whatever its code: the caller judges
 * it. Errors: those of stamp_smtp_line_write_command() and
 * stamp_smtp_line_read_reply().
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
StampSmtpReply *
stamp_smtp_line_command (StampSmtpLine  *self,
                         const char     *command,
                         gint64          deadline,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), NULL);

  if (!stamp_smtp_line_write_command (self, command, NULL, deadline, cancellable, error))
    return NULL;

  return stamp_smtp_line_read_reply (self, deadline, cancellable, error);
}

/**
 * stamp_smtp_line_start_tls:
 * @self: a #StampSmtpLine
 * @tls: a TLS session that has not handshaken yet
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts TLS on the connection: right away on an implicit TLS port, or
 * after the server's 220 to STARTTLS (RFC 3207). From then on every read
 * and write goes through @tls, which the engine keeps. A server calls it
 * after its own 220 to STARTTLS, with a server session.
 *
 * Errors: %STAMP_ERROR_STARTTLS_FAILED, before any handshake, when bytes came
 * after the 220 (they were sent in plain text and may have been injected,
 * CVE-2011-0411); otherwise those of stamp_tls_session_handshake().
 *
 * Returns: %TRUE once the handshake is done
 */
gboolean
stamp_smtp_line_start_tls (StampSmtpLine    *self,
                           StampTlsSession  *tls,
                           gint64            deadline,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_LINE (self), FALSE);
  g_return_val_if_fail (STAMP_IS_TLS_SESSION (tls), FALSE);
  g_return_val_if_fail (self->socket != NULL && self->tls == NULL, FALSE);

  /* RFC 3207 §4.2: a server forgets whatever the client sent after
   * STARTTLS in plain text; it could have been injected (CVE-2011-0411). */
  if (self->role == STAMP_SMTP_ROLE_SERVER && self->input->len > 0)
    {
      explicit_bzero (self->input->data, self->input->len);
      g_byte_array_set_size (self->input, 0);
    }

  /* RFC 3207 §5: never treat what came in plain text as part of TLS. */
  if (self->input->len > 0)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_STARTTLS_FAILED,
                           _("The server sent data after agreeing to STARTTLS, as in a known "
                             "attack; Stamp stopped"));
      return FALSE;
    }

  if (!stamp_tls_session_handshake (tls, self->socket, deadline, cancellable, error))
    return FALSE;

  self->tls = g_object_ref (tls);

  return TRUE;
}

/**
 * stamp_smtp_line_close:
 * @self: a #StampSmtpLine
 *
 * Ends TLS, if it is up, and closes the socket. Reads and writes fail
 * after this.
 */
void
stamp_smtp_line_close (StampSmtpLine *self)
{
  g_return_if_fail (STAMP_IS_SMTP_LINE (self));

  if (self->tls != NULL)
    stamp_tls_session_close (self->tls);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
}

/* stamp-smtp-server-session-data.c
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

#define G_LOG_DOMAIN "stamp-smtp-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-server-session-private.h"
#include "stamp-tls-session.h"

/* DATA for #StampSmtpServerSession: streamed, dot-unstuffed, never held
 * whole (RFC 5321 §4.1.1.4, §4.5.2). */

#define DATA_CHUNK 16384

/* RFC 5322 §3.3, in English whatever the locale. */
static char *
format_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *rest = g_date_time_format (now, "%Y %H:%M:%S %z");

  return g_strdup_printf ("%s, %d %s %s", days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1], rest);
}

/* RFC 5321 §4.4 trace, with RFC 3848's protocol names. */
static char *
build_received (StampSmtpServerSession *self)
{
  g_autofree char *date = format_date ();
  gboolean tls = stamp_smtp_line_get_tls (self->line) != NULL;
  const char *with = self->signed_in ? (tls ? "ESMTPSA" : "ESMTPA")
                                     : (tls ? "ESMTPS" : self->esmtp ? "ESMTP" : "SMTP");

  return g_strdup_printf ("Received: from %s ([%s])\r\n\tby %s (Stamp Relay) with %s;\r\n\t%s\r\n",
                          self->helo, self->client_ip, self->server_name, with, date);
}

typedef enum
{
  DATA_LINE_START,
  DATA_MIDDLE,
  DATA_CR,
  DATA_DOT,
  DATA_DOT_CR,
  DATA_END,
} DataState;

typedef struct
{
  GOutputStream *stream;
  GError        *write_error;
  guint64        size;
  guint64        max_size;
  gboolean       too_big;
  char           out[DATA_CHUNK];
  gsize          out_len;
} DataSink;

static void
sink_flush (DataSink *sink)
{
  if (sink->out_len > 0 && sink->write_error == NULL && !sink->too_big)
    g_output_stream_write_all (sink->stream, sink->out, sink->out_len, NULL, NULL,
                               &sink->write_error);
  sink->out_len = 0;
}

static void
sink_put (DataSink *sink,
          char      c)
{
  if (++sink->size > sink->max_size)
    sink->too_big = TRUE;
  if (sink->too_big || sink->write_error != NULL)
    return;

  sink->out[sink->out_len++] = c;
  if (sink->out_len == sizeof sink->out)
    sink_flush (sink);
}

/* Unstuffs one byte (RFC 5321 §4.5.2) and watches for CRLF "." CRLF.
 * Only CRLF ends a line: a bare LF or CR is data, so that no line ending
 * another server reads differently can end the message early ("SMTP
 * smuggling"). */
static DataState
data_step (DataState  state,
           char       c,
           DataSink  *sink)
{
  switch (state)
    {
    case DATA_LINE_START:
      if (c == '.')
        return DATA_DOT;
      sink_put (sink, c);
      return c == '\r' ? DATA_CR : DATA_MIDDLE;

    case DATA_MIDDLE:
      sink_put (sink, c);
      return c == '\r' ? DATA_CR : DATA_MIDDLE;

    case DATA_CR:
      sink_put (sink, c);
      return c == '\n' ? DATA_LINE_START : c == '\r' ? DATA_CR : DATA_MIDDLE;

    case DATA_DOT:
      if (c == '\r')
        return DATA_DOT_CR;
      sink_put (sink, c);
      return DATA_MIDDLE;

    case DATA_DOT_CR:
      if (c == '\n')
        return DATA_END;
      sink_put (sink, '\r');
      return data_step (DATA_CR, c, sink);

    case DATA_END:
    default:
      return DATA_END;
    }
}

/* Reads the message to its final dot; FALSE when the session ended on the
 * way (the caller has nothing to answer). */
static gboolean
receive_data (StampSmtpServerSession  *self,
              DataSink                *sink)
{
  gint64 data_deadline = g_get_monotonic_time () + (gint64) self->data_ms * 1000;
  DataState state = DATA_LINE_START;
  char buffer[DATA_CHUNK];

  while (state != DATA_END)
    {
      g_autoptr(GError) error = NULL;
      gssize n = stamp_smtp_line_read_some (self->line, buffer, sizeof buffer,
                                            MIN (data_deadline, _stamp_smtp_server_deadline (self)),
                                            self->cancellable, &error);
      gssize i;

      if (n < 0)
        {
          if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
            {
              _stamp_smtp_server_log (self, _("closed: the message did not arrive in time"));
              _stamp_smtp_server_reply (self, 421, "4.4.2",
                                        _("Timeout during the message, closing"));
            }
          else
            _stamp_smtp_server_log (self, _("the message was cut off: %s"), error->message);
          self->closing = TRUE;
          return FALSE;
        }

      for (i = 0; i < n && state != DATA_END; i++)
        state = data_step (state, buffer[i], sink);

      /* Pipelined commands after the final dot stay for the next read. */
      if (i < n)
        stamp_smtp_line_unread (self->line, buffer + i, n - i);
    }

  sink_flush (sink);
  return TRUE;
}

void
_stamp_smtp_server_handle_data (StampSmtpServerSession *self,
                                const char             *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *received = NULL;
  g_autofree char *id = NULL;
  GOutputStream *stream = NULL;
  gpointer message;
  StampSmtpEnvelope envelope;
  DataSink *sink;

  if (*args != '\0')
    {
      _stamp_smtp_server_reply_error (self, 501, "5.5.4", _("Syntax: DATA"));
      return;
    }
  if (self->sender == NULL)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Need MAIL before DATA"));
      return;
    }
  if (self->recipients->len == 0)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Need RCPT before DATA"));
      return;
    }

  g_ptr_array_add (self->recipients, NULL);
  envelope.client_ip = self->client_ip;
  envelope.identity = self->identity;
  envelope.sender = self->sender;
  envelope.recipients = (const char * const *) self->recipients->pdata;
  message = self->handler->open_message (self->user_data, &envelope, &stream, &error);
  g_ptr_array_set_size (self->recipients, self->recipients->len - 1);

  if (message == NULL)
    {
      _stamp_smtp_server_log (self, _("refused mail from <%s>: it could not be stored: %s"),
                              self->sender, error->message);
      _stamp_smtp_server_reset (self);
      _stamp_smtp_server_reply (self, 451, "4.3.0",
                                _("Cannot store the message now, try again later"));
      return;
    }

  _stamp_smtp_server_reply (self, 354, NULL, _("End data with <CR><LF>.<CR><LF>"));

  sink = g_new0 (DataSink, 1);
  sink->stream = stream;
  sink->max_size = _stamp_smtp_server_max_size (self);
  received = build_received (self);
  g_output_stream_write_all (stream, received, strlen (received), NULL, NULL, &sink->write_error);

  if (!self->closing && receive_data (self, sink))
    {
      if (sink->too_big)
        {
          _stamp_smtp_server_log (self, _("refused mail from <%s>: the message is over the limit "
                                          "of %lu bytes"), self->sender, (gulong) sink->max_size);
          _stamp_smtp_server_reply_too_big (self);
        }
      else if (sink->write_error != NULL)
        {
          _stamp_smtp_server_log (self, _("refused mail from <%s>: it could not be stored: %s"),
                                  self->sender, sink->write_error->message);
          _stamp_smtp_server_reply (self, 451, "4.3.0",
                                    _("Cannot store the message now, try again later"));
        }
      else if ((id = self->handler->commit_message (self->user_data, message, &error)) == NULL)
        {
          _stamp_smtp_server_log (self, _("refused mail from <%s>: it could not be stored: %s"),
                                  self->sender, error->message);
          _stamp_smtp_server_reply (self, 451, "4.3.0",
                                    _("Cannot store the message now, try again later"));
        }
      else
        {
          g_autofree char *text = g_strdup_printf (_("Queued as %s"), id);

          _stamp_smtp_server_log (self,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "accepted %s from <%s> for %u recipient, %lu bytes",
                                               "accepted %s from <%s> for %u recipients, %lu bytes",
                                               self->recipients->len),
                                  id, self->sender, self->recipients->len, (gulong) sink->size);
          _stamp_smtp_server_reply (self, 250, "2.0.0", text);
        }
    }

  g_clear_error (&sink->write_error);
  g_free (sink);
  self->handler->free_message (self->user_data, message);
  _stamp_smtp_server_reset (self);
}

/* stamp-smtp-server-session.c
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
#include "stamp-smtp-server-session.h"
#include "stamp-tls-session.h"

#define DEFAULT_MAX_SIZE    (35 * 1024 * 1024)
#define DEFAULT_COMMAND_MS  (60 * 1000)
#define DEFAULT_DATA_MS     (5 * 60 * 1000)
/* Bad commands after which a client is taken for a hostile one. */
#define MAX_ERRORS          10
#define DATA_CHUNK          16384

/*
 * StampSmtpServerSession:
 *
 * One client's session with a submission server (RFC 6409), the subset a
 * printer or a scanner needs: EHLO/HELO, STARTTLS (RFC 3207), AUTH PLAIN
 * and LOGIN (RFC 4954), MAIL with SIZE and BODY, RCPT, DATA, RSET, NOOP,
 * VRFY, HELP and QUIT, pipelined or not (RFC 2920). It runs in a thread of
 * its own, over the one line engine, and every read has a deadline. It
 * knows nothing of devices or spools: a #StampSmtpServerHandler decides
 * who may sign in and send, and keeps the message.
 *
 * DATA is streamed: dot-unstuffed as it comes and written to the handler's
 * stream, never held whole in memory; a message over the size limit is
 * read to its end and dropped (552). The client is told 250 only once the
 * handler has committed the message.
 */
struct _StampSmtpServerSession
{
  GObject parent_instance;

  /* Owned */
  StampSmtpLine                *line;
  char                         *client_ip;
  char                         *server_name;
  char                         *cert_file;
  char                         *key_file;
  char                         *helo;
  char                         *identity;
  char                         *sender;
  GPtrArray                    *recipients;

  /* Borrowed */
  const StampSmtpServerHandler *handler;
  gpointer                      user_data;
  GCancellable                 *cancellable;

  guint64                       max_size;
  guint                         command_ms;
  guint                         data_ms;
  guint                         errors;
  gboolean                      esmtp;
  gboolean                      signed_in;
  gboolean                      closing;
};

G_DEFINE_FINAL_TYPE (StampSmtpServerSession, stamp_smtp_server_session, G_TYPE_OBJECT)

static gint64
command_deadline (StampSmtpServerSession *self)
{
  return g_get_monotonic_time () + (gint64) self->command_ms * 1000;
}

static void
log_event (StampSmtpServerSession *self,
           const char             *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
log_event (StampSmtpServerSession *self,
           const char             *format,
           ...)
{
  g_autofree char *event = NULL;
  va_list args;

  va_start (args, format);
  event = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->handler->log != NULL)
    self->handler->log (self->user_data, self->client_ip, self->identity, event);
}

/* Sends a reply; a failure to send ends the session. */
static void
reply (StampSmtpServerSession *self,
       int                     code,
       const char             *enhanced_code,
       const char             *text)
{
  g_autoptr(GError) error = NULL;

  if (self->closing)
    return;

  if (!stamp_smtp_line_write_reply (self->line, code, enhanced_code, text,
                                    command_deadline (self), self->cancellable, &error))
    {
      g_debug ("Could not answer %s: %s", self->client_ip, error->message);
      self->closing = TRUE;
    }
}

/* A reply for a command the client got wrong; too many of them end the
 * session, since a real device does not keep getting it wrong. */
static void
reply_error (StampSmtpServerSession *self,
             int                     code,
             const char             *enhanced_code,
             const char             *text)
{
  reply (self, code, enhanced_code, text);

  if (++self->errors >= MAX_ERRORS && !self->closing)
    {
      log_event (self, _("closed after %u bad commands"), self->errors);
      reply (self, 421, "4.7.0", _("Too many errors, closing the connection"));
      self->closing = TRUE;
    }
}

static void
reset_transaction (StampSmtpServerSession *self)
{
  g_clear_pointer (&self->sender, g_free);
  g_ptr_array_set_size (self->recipients, 0);
}

/* The address between the angle brackets of "FROM:<a@b> PARAMS"; @rest
 * points after the ">". */
static char *
parse_path (const char  *text,
            const char **rest)
{
  const char *open;
  const char *close;

  while (*text == ' ')
    text++;
  if (*text != '<')
    return NULL;

  open = text;
  close = strchr (open, '>');
  if (close == NULL)
    return NULL;

  for (const char *p = open + 1; p < close; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == 0x7f)
      return NULL;

  *rest = close + 1;
  return g_strndup (open + 1, close - open - 1);
}

static gboolean
has_prefix_ci (const char *text,
               const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/* RFC 4648 base64 only: g_base64_decode() takes anything. */
static guchar *
decode_base64 (const char *text,
               gsize      *len)
{
  gsize n = strlen (text);

  if (n == 0 || n % 4 != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/' &&
        !(text[i] == '=' && i >= n - 2))
      return NULL;

  return g_base64_decode (text, len);
}

static void
wipe_free (char *text)
{
  if (text != NULL)
    explicit_bzero (text, strlen (text));
  g_free (text);
}

/* Reads a client's answer to a 334 challenge; NULL when the session ends
 * or the client cancelled (a reply has then been sent). */
static char *
read_auth_line (StampSmtpServerSession *self)
{
  g_autoptr(GError) error = NULL;
  char *line;

  line = stamp_smtp_line_read_command_max (self->line, STAMP_SMTP_LINE_MAX,
                                           command_deadline (self), self->cancellable, &error);
  if (line == NULL)
    {
      if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT))
        reply_error (self, 500, "5.5.6", _("Authentication exchange line is too long"));
      else
        self->closing = TRUE;
      return NULL;
    }

  if (g_str_equal (line, "*"))
    {
      g_free (line);
      reply_error (self, 501, "5.0.0", _("Authentication cancelled"));
      return NULL;
    }

  return line;
}

/* Decodes one base64 answer into @out (NUL-terminated, @len without the
 * NUL); FALSE, with a reply sent, when it is not base64. */
static gboolean
decode_answer (StampSmtpServerSession  *self,
               const char              *answer,
               char                   **out,
               gsize                   *len)
{
  guchar *decoded;

  /* RFC 4954 §4: "=" is an empty initial response. */
  if (g_str_equal (answer, "="))
    {
      *out = g_strdup ("");
      *len = 0;
      return TRUE;
    }

  decoded = decode_base64 (answer, len);
  if (decoded == NULL)
    {
      reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
      return FALSE;
    }

  *out = g_malloc (*len + 1);
  memcpy (*out, decoded, *len);
  (*out)[*len] = '\0';
  explicit_bzero (decoded, *len);
  g_free (decoded);

  return TRUE;
}

/* Asks with a 334 (unless the client gave an initial response) and
 * decodes the answer. */
static gboolean
challenge (StampSmtpServerSession  *self,
           const char              *prompt,
           const char              *initial,
           char                   **out,
           gsize                   *len)
{
  char *answer;
  gboolean ok;

  if (initial != NULL)
    return decode_answer (self, initial, out, len);

  reply (self, 334, NULL, prompt);
  if (self->closing)
    return FALSE;

  answer = read_auth_line (self);
  if (answer == NULL)
    return FALSE;

  ok = decode_answer (self, answer, out, len);
  wipe_free (answer);

  return ok;
}

static void
finish_auth (StampSmtpServerSession *self,
             const char             *user,
             const char             *password)
{
  g_autoptr(GError) error = NULL;
  StampTlsSession *tls = stamp_smtp_line_get_tls (self->line);
  char *identity;

  identity = self->handler->authenticate (self->user_data, self->client_ip, user, password,
                                          tls != NULL ? stamp_tls_session_get_version (tls) : NULL,
                                          &error);
  if (identity != NULL)
    {
      g_free (self->identity);
      self->identity = identity;
      self->signed_in = TRUE;
      reply (self, 235, "2.7.0", _("Authentication successful"));
      return;
    }

  log_event (self, _("sign-in refused for user “%s”: %s"), user, error->message);

  if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_THROTTLED))
    {
      reply (self, 421, "4.7.0", error->message);
      self->closing = TRUE;
    }
  else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED))
    reply_error (self, 535, "5.7.8", _("Authentication credentials invalid"));
  else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED) ||
           g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_VERSION))
    reply_error (self, 538, "5.7.11", error->message);
  else
    reply (self, 454, "4.7.0", _("Temporary authentication failure, try again later"));
}

static void
auth_plain (StampSmtpServerSession *self,
            const char             *initial)
{
  char *decoded = NULL;
  gsize len = 0;
  const char *user;
  const char *password;
  const char *end;

  if (!challenge (self, "", initial, &decoded, &len))
    return;

  /* RFC 4616: [authzid] NUL authcid NUL passwd; an authzid, if any, must
   * be the user itself. */
  end = decoded + len;
  user = memchr (decoded, '\0', len);
  password = user != NULL ? memchr (user + 1, '\0', end - user - 1) : NULL;
  if (user == NULL || password == NULL || memchr (password + 1, '\0', end - password - 1) != NULL)
    reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
  else if (*decoded != '\0' && strcmp (decoded, user + 1) != 0)
    {
      log_event (self, _("sign-in refused: asked to act for another user"));
      reply_error (self, 535, "5.7.8", _("Authentication credentials invalid"));
    }
  else
    finish_auth (self, user + 1, password + 1);

  explicit_bzero (decoded, len);
  g_free (decoded);
}

static void
auth_login (StampSmtpServerSession *self,
            const char             *initial)
{
  g_autofree char *user = NULL;
  char *password = NULL;
  gsize len = 0;

  /* "Username:" and "Password:", as every client expects. */
  if (!challenge (self, "VXNlcm5hbWU6", initial, &user, &len))
    return;
  if (!challenge (self, "UGFzc3dvcmQ6", NULL, &password, &len))
    return;

  if (strlen (user) == 0 || memchr (password, '\0', len) != NULL)
    reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
  else
    finish_auth (self, user, password);

  explicit_bzero (password, len);
  g_free (password);
}

static void
handle_auth (StampSmtpServerSession *self,
             const char             *args)
{
  g_auto(GStrv) words = g_strsplit (args, " ", 3);
  const char *mechanism = words[0] != NULL ? words[0] : "";
  const char *initial = words[0] != NULL ? words[1] : NULL;

  if (!self->esmtp)
    return reply_error (self, 503, "5.5.1", _("Send EHLO first"));
  if (self->signed_in)
    return reply_error (self, 503, "5.5.1", _("Already authenticated"));
  if (self->sender != NULL)
    return reply_error (self, 503, "5.5.1", _("Not during a mail transaction"));

  if (stamp_smtp_line_get_tls (self->line) == NULL &&
      !self->handler->may_sign_in_without_tls (self->user_data, self->client_ip))
    {
      log_event (self, _("sign-in refused: not over TLS (the device must send STARTTLS first)"));
      return reply_error (self, 538, "5.7.11",
                          _("Encryption required: send STARTTLS before AUTH"));
    }

  if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0)
    auth_plain (self, initial);
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    auth_login (self, initial);
  else
    reply_error (self, 504, "5.5.4", _("Unrecognized authentication type"));

  /* The line the initial response came in may hold a password. */
  for (guint i = 0; words[i] != NULL; i++)
    explicit_bzero (words[i], strlen (words[i]));
}

static void
handle_ehlo (StampSmtpServerSession *self,
             const char             *args,
             gboolean                esmtp)
{
  g_autoptr(GString) text = NULL;

  if (*args == '\0')
    return reply_error (self, 501, "5.5.4", esmtp ? _("Syntax: EHLO hostname")
                                                   : _("Syntax: HELO hostname"));

  reset_transaction (self);
  g_free (self->helo);
  self->helo = g_strndup (args, strcspn (args, " "));
  self->esmtp = esmtp;

  if (!esmtp)
    return reply (self, 250, NULL, self->server_name);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s greets [%s]\n", self->server_name, self->client_ip);
  g_string_append (text, "PIPELINING\n8BITMIME\nENHANCEDSTATUSCODES\n");
  g_string_append_printf (text, "SIZE %" G_GUINT64_FORMAT "\n", self->max_size);
  if (stamp_smtp_line_get_tls (self->line) == NULL && self->cert_file != NULL)
    g_string_append (text, "STARTTLS\n");
  if (!self->signed_in &&
      (stamp_smtp_line_get_tls (self->line) != NULL ||
       self->handler->may_sign_in_without_tls (self->user_data, self->client_ip)))
    g_string_append (text, "AUTH PLAIN LOGIN\n");
  g_string_append (text, "HELP");

  reply (self, 250, NULL, text->str);
}

static void
handle_starttls (StampSmtpServerSession *self,
                 const char             *args)
{
  g_autoptr(StampTlsSession) tls = NULL;
  g_autoptr(GError) error = NULL;
  StampTlsVersion min_version;

  if (*args != '\0')
    return reply_error (self, 501, "5.5.4", _("Syntax: STARTTLS"));
  if (stamp_smtp_line_get_tls (self->line) != NULL)
    return reply_error (self, 503, "5.5.1", _("TLS already active"));
  if (self->cert_file == NULL)
    return reply_error (self, 502, "5.5.1", _("STARTTLS is not offered here"));

  min_version = self->handler->tls_min_version (self->user_data, self->client_ip);
  tls = stamp_tls_session_new_server (self->cert_file, self->key_file, min_version,
                                      STAMP_TLS_VERSION_1_3, &error);
  if (tls == NULL)
    {
      log_event (self, _("TLS could not start: %s"), error->message);
      return reply (self, 454, "4.7.0", _("TLS not available due to temporary reason"));
    }

  reply (self, 220, "2.0.0", _("Ready to start TLS"));
  if (self->closing)
    return;

  if (!stamp_smtp_line_start_tls (self->line, tls, command_deadline (self),
                                  self->cancellable, &error))
    {
      log_event (self, _("TLS handshake failed: %s"), error->message);
      self->closing = TRUE;
      return;
    }

  /* RFC 3207 §4.2: everything known before TLS is forgotten. */
  reset_transaction (self);
  g_clear_pointer (&self->helo, g_free);
  self->esmtp = FALSE;
  if (self->signed_in)
    g_clear_pointer (&self->identity, g_free);
  self->signed_in = FALSE;
}

/* Checks MAIL's parameters (RFC 1870 SIZE, RFC 6152 BODY, RFC 4954 AUTH);
 * FALSE with a reply sent. */
static gboolean
check_mail_parameters (StampSmtpServerSession *self,
                       const char             *rest)
{
  g_auto(GStrv) params = g_strsplit (rest, " ", -1);

  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *param = params[i];

      if (*param == '\0')
        continue;

      if (self->esmtp && has_prefix_ci (param, "SIZE="))
        {
          guint64 size = 0;

          if (!g_ascii_string_to_unsigned (param + 5, 10, 0, G_MAXUINT64, &size, NULL))
            {
              reply_error (self, 501, "5.5.4", _("Bad SIZE parameter"));
              return FALSE;
            }
          if (size > self->max_size)
            {
              log_event (self, _("refused: message of %" G_GUINT64_FORMAT " bytes is over the "
                                 "limit of %" G_GUINT64_FORMAT), size, self->max_size);
              reply (self, 552, "5.3.4", _("Message size exceeds fixed maximum message size"));
              return FALSE;
            }
        }
      else if (self->esmtp && (g_ascii_strcasecmp (param, "BODY=7BIT") == 0 ||
                               g_ascii_strcasecmp (param, "BODY=8BITMIME") == 0 ||
                               has_prefix_ci (param, "AUTH=")))
        continue;
      else
        {
          reply_error (self, 555, "5.5.4", _("Unsupported MAIL parameter"));
          return FALSE;
        }
    }

  return TRUE;
}

static void
handle_mail (StampSmtpServerSession *self,
             const char             *args)
{
  g_autofree char *sender = NULL;
  g_autoptr(GError) error = NULL;
  const char *rest = NULL;

  if (self->helo == NULL)
    return reply_error (self, 503, "5.5.1", _("Send HELO or EHLO first"));
  if (self->sender != NULL)
    return reply_error (self, 503, "5.5.1", _("Nested MAIL command"));
  if (!has_prefix_ci (args, "FROM:") || (sender = parse_path (args + 5, &rest)) == NULL)
    return reply_error (self, 501, "5.5.4", _("Syntax: MAIL FROM:<address>"));

  if (self->identity == NULL)
    {
      log_event (self, _("refused mail from <%s>: not signed in, and no device may send "
                         "from this address without signing in"), sender);
      return reply_error (self, 530, "5.7.0", _("Authentication required"));
    }

  if (!check_mail_parameters (self, rest))
    return;

  if (!self->handler->check_sender (self->user_data, self->identity, sender, &error))
    {
      log_event (self, _("refused mail from <%s>: %s"), sender, error->message);
      return reply_error (self, 550, "5.7.1", error->message);
    }

  self->sender = g_steal_pointer (&sender);
  reply (self, 250, "2.1.0", _("Sender OK"));
}

static void
handle_rcpt (StampSmtpServerSession *self,
             const char             *args)
{
  g_autofree char *recipient = NULL;
  const char *rest = NULL;

  if (self->sender == NULL)
    return reply_error (self, 503, "5.5.1", _("Need MAIL before RCPT"));
  if (!has_prefix_ci (args, "TO:") || (recipient = parse_path (args + 3, &rest)) == NULL)
    return reply_error (self, 501, "5.5.4", _("Syntax: RCPT TO:<address>"));
  if (*recipient == '\0' || strchr (recipient, '@') == NULL)
    return reply_error (self, 501, "5.1.3", _("Bad recipient address syntax"));
  if (self->recipients->len >= STAMP_SMTP_SERVER_MAX_RECIPIENTS)
    return reply (self, 452, "4.5.3", _("Too many recipients"));

  g_ptr_array_add (self->recipients, g_steal_pointer (&recipient));
  reply (self, 250, "2.1.5", _("Recipient OK"));
}

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
                                            MIN (data_deadline, command_deadline (self)),
                                            self->cancellable, &error);
      gssize i;

      if (n < 0)
        {
          if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
            {
              log_event (self, _("closed: the message did not arrive in time"));
              reply (self, 421, "4.4.2", _("Timeout during the message, closing"));
            }
          else
            log_event (self, _("the message was cut off: %s"), error->message);
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

static void
handle_data (StampSmtpServerSession *self,
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
    return reply_error (self, 501, "5.5.4", _("Syntax: DATA"));
  if (self->sender == NULL)
    return reply_error (self, 503, "5.5.1", _("Need MAIL before DATA"));
  if (self->recipients->len == 0)
    return reply_error (self, 503, "5.5.1", _("Need RCPT before DATA"));

  g_ptr_array_add (self->recipients, NULL);
  envelope.client_ip = self->client_ip;
  envelope.identity = self->identity;
  envelope.sender = self->sender;
  envelope.recipients = (const char * const *) self->recipients->pdata;
  message = self->handler->open_message (self->user_data, &envelope, &stream, &error);
  g_ptr_array_set_size (self->recipients, self->recipients->len - 1);

  if (message == NULL)
    {
      log_event (self, _("refused mail from <%s>: it could not be stored: %s"),
                 self->sender, error->message);
      reset_transaction (self);
      return reply (self, 451, "4.3.0", _("Cannot store the message now, try again later"));
    }

  reply (self, 354, NULL, _("End data with <CR><LF>.<CR><LF>"));

  sink = g_new0 (DataSink, 1);
  sink->stream = stream;
  sink->max_size = self->max_size;
  received = build_received (self);
  g_output_stream_write_all (stream, received, strlen (received), NULL, NULL, &sink->write_error);

  if (!self->closing && receive_data (self, sink))
    {
      if (sink->too_big)
        {
          log_event (self, _("refused mail from <%s>: the message is over the limit of %"
                             G_GUINT64_FORMAT " bytes"), self->sender, self->max_size);
          reply (self, 552, "5.3.4", _("Message size exceeds fixed maximum message size"));
        }
      else if (sink->write_error != NULL)
        {
          log_event (self, _("refused mail from <%s>: it could not be stored: %s"),
                     self->sender, sink->write_error->message);
          reply (self, 451, "4.3.0", _("Cannot store the message now, try again later"));
        }
      else if ((id = self->handler->commit_message (self->user_data, message, &error)) == NULL)
        {
          log_event (self, _("refused mail from <%s>: it could not be stored: %s"),
                     self->sender, error->message);
          reply (self, 451, "4.3.0", _("Cannot store the message now, try again later"));
        }
      else
        {
          g_autofree char *text = g_strdup_printf (_("Queued as %s"), id);

          log_event (self, _("accepted %s from <%s> for %u recipients, %" G_GUINT64_FORMAT
                             " bytes"), id, self->sender, self->recipients->len, sink->size);
          reply (self, 250, "2.0.0", text);
        }
    }

  g_clear_error (&sink->write_error);
  g_free (sink);
  self->handler->free_message (self->user_data, message);
  reset_transaction (self);
}

static void
handle_command (StampSmtpServerSession *self,
                const char             *command)
{
  gsize verb_len = strcspn (command, " ");
  g_autofree char *verb = g_ascii_strup (command, verb_len);
  const char *args = command + verb_len;

  while (*args == ' ')
    args++;

  if (g_str_equal (verb, "EHLO"))
    handle_ehlo (self, args, TRUE);
  else if (g_str_equal (verb, "HELO"))
    handle_ehlo (self, args, FALSE);
  else if (g_str_equal (verb, "STARTTLS"))
    handle_starttls (self, args);
  else if (g_str_equal (verb, "AUTH"))
    handle_auth (self, args);
  else if (g_str_equal (verb, "MAIL"))
    handle_mail (self, args);
  else if (g_str_equal (verb, "RCPT"))
    handle_rcpt (self, args);
  else if (g_str_equal (verb, "DATA"))
    handle_data (self, args);
  else if (g_str_equal (verb, "RSET"))
    {
      reset_transaction (self);
      reply (self, 250, "2.0.0", _("Reset OK"));
    }
  else if (g_str_equal (verb, "NOOP"))
    reply (self, 250, "2.0.0", _("OK"));
  else if (g_str_equal (verb, "VRFY"))
    reply (self, 252, "2.5.0", _("Cannot verify the user, but will take the message"));
  else if (g_str_equal (verb, "HELP"))
    reply (self, 214, "2.0.0", _("Stamp Relay: see https://stampmail.github.io/relay"));
  else if (g_str_equal (verb, "QUIT"))
    {
      reply (self, 221, "2.0.0", _("Bye"));
      self->closing = TRUE;
    }
  else if (g_str_equal (verb, "EXPN") || g_str_equal (verb, "BDAT") ||
           g_str_equal (verb, "ETRN") || g_str_equal (verb, "TURN"))
    reply_error (self, 502, "5.5.1", _("Command not implemented"));
  else
    reply_error (self, 500, "5.5.1", _("Command not recognized"));
}

static void
stamp_smtp_server_session_finalize (GObject *object)
{
  StampSmtpServerSession *self = (StampSmtpServerSession *)object;

  g_clear_object (&self->line);
  g_clear_pointer (&self->client_ip, g_free);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->cert_file, g_free);
  g_clear_pointer (&self->key_file, g_free);
  g_clear_pointer (&self->helo, g_free);
  g_clear_pointer (&self->identity, g_free);
  g_clear_pointer (&self->sender, g_free);
  g_clear_pointer (&self->recipients, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_smtp_server_session_parent_class)->finalize (object);
}

static void
stamp_smtp_server_session_class_init (StampSmtpServerSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_server_session_finalize;
}

static void
stamp_smtp_server_session_init (StampSmtpServerSession *self)
{
  self->recipients = g_ptr_array_new_with_free_func (g_free);
  self->server_name = g_strdup ("localhost");
  self->max_size = DEFAULT_MAX_SIZE;
  self->command_ms = DEFAULT_COMMAND_MS;
  self->data_ms = DEFAULT_DATA_MS;
}

/* An IPv4 client seen through an IPv6 socket is named as IPv4, so that
 * allow-from lists of IPv4 networks match it. */
static char *
dup_client_ip (GSocket *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  GInetAddress *inet;
  const guint8 *bytes;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  bytes = g_inet_address_to_bytes (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    return g_strdup_printf ("%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);

  return g_inet_address_to_string (inet);
}

/**
 * stamp_smtp_server_session_new:
 * @socket: the client's connected socket; made non-blocking
 * @handler: what decides and keeps; must outlive the session
 * @user_data: the data given to every function of @handler
 *
 * Returns: (transfer full): a session, ready to run in a thread of its own
 */
StampSmtpServerSession *
stamp_smtp_server_session_new (GSocket                      *socket,
                               const StampSmtpServerHandler *handler,
                               gpointer                      user_data)
{
  StampSmtpServerSession *self;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (handler != NULL, NULL);

  g_socket_set_blocking (socket, FALSE);
  self = g_object_new (STAMP_TYPE_SMTP_SERVER_SESSION, NULL);
  self->line = stamp_smtp_line_new (socket, STAMP_SMTP_ROLE_SERVER);
  self->client_ip = dup_client_ip (socket);
  self->handler = handler;
  self->user_data = user_data;

  return self;
}

/**
 * stamp_smtp_server_session_get_client_ip:
 * @self: a #StampSmtpServerSession
 *
 * Returns: the client's address, IPv4 clients of an IPv6 socket as IPv4
 */
const char *
stamp_smtp_server_session_get_client_ip (StampSmtpServerSession *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self), NULL);

  return self->client_ip;
}

/**
 * stamp_smtp_server_session_set_server_name:
 * @self: a #StampSmtpServerSession
 * @name: the name the greeting and the Received: header give
 */
void
stamp_smtp_server_session_set_server_name (StampSmtpServerSession *self,
                                           const char             *name)
{
  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));
  g_return_if_fail (name != NULL);

  g_free (self->server_name);
  self->server_name = g_strdup (name);
}

/**
 * stamp_smtp_server_session_set_tls_files:
 * @self: a #StampSmtpServerSession
 * @cert_file: (nullable): the server's certificate (PEM); %NULL offers no
 *   STARTTLS
 * @key_file: (nullable): its key (PEM)
 */
void
stamp_smtp_server_session_set_tls_files (StampSmtpServerSession *self,
                                         const char             *cert_file,
                                         const char             *key_file)
{
  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));
  g_return_if_fail ((cert_file == NULL) == (key_file == NULL));

  g_free (self->cert_file);
  g_free (self->key_file);
  self->cert_file = g_strdup (cert_file);
  self->key_file = g_strdup (key_file);
}

/**
 * stamp_smtp_server_session_set_max_message_size:
 * @self: a #StampSmtpServerSession
 * @max_size: the largest message taken, in bytes (EHLO's SIZE); 35 MB
 *   unless set
 */
void
stamp_smtp_server_session_set_max_message_size (StampSmtpServerSession *self,
                                                guint64                 max_size)
{
  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

/**
 * stamp_smtp_server_session_set_timeouts:
 * @self: a #StampSmtpServerSession
 * @command_ms: how long one command (or one read of the message) may take;
 *   60 s unless set
 * @data_ms: how long a whole message may take; 5 minutes unless set
 */
void
stamp_smtp_server_session_set_timeouts (StampSmtpServerSession *self,
                                        guint                   command_ms,
                                        guint                   data_ms)
{
  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));
  g_return_if_fail (command_ms > 0 && data_ms > 0);

  self->command_ms = command_ms;
  self->data_ms = data_ms;
}

/**
 * stamp_smtp_server_session_run:
 * @self: a #StampSmtpServerSession
 * @cancellable: (nullable): cancelled when the server stops
 *
 * Greets the client and serves it until it quits, hangs up, misses a
 * deadline or is sent away; then closes the connection. Blocks: run it in
 * a thread of its own.
 */
void
stamp_smtp_server_session_run (StampSmtpServerSession *self,
                               GCancellable           *cancellable)
{
  g_autofree char *greeting = NULL;

  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));

  self->cancellable = cancellable;
  greeting = g_strdup_printf (_("%s ESMTP Stamp Relay ready"), self->server_name);
  reply (self, 220, NULL, greeting);

  /* A no-sign-in device is known by its address alone. */
  if (self->handler->identify_without_sign_in != NULL)
    self->identity = self->handler->identify_without_sign_in (self->user_data, self->client_ip);

  while (!self->closing)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *command = NULL;

      command = stamp_smtp_line_read_command_max (self->line, STAMP_SMTP_SERVER_COMMAND_MAX,
                                                  command_deadline (self), cancellable, &error);
      if (command != NULL)
        handle_command (self, command);
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT))
        reply_error (self, 500, "5.5.2", _("Line too long"));
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY))
        reply_error (self, 500, "5.5.2", _("Syntax error"));
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
        {
          log_event (self, _("closed: no command within %u s"), self->command_ms / 1000);
          reply (self, 421, "4.4.2", _("Timeout, closing the connection"));
          self->closing = TRUE;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->cancellable = NULL;
          reply (self, 421, "4.3.2", _("The relay is shutting down"));
          self->closing = TRUE;
        }
      else
        self->closing = TRUE;
    }

  stamp_smtp_line_close (self->line);
  self->cancellable = NULL;
}

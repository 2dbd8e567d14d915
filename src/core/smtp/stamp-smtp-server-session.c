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

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-server-session-private.h"
#include "stamp-tls-session.h"
#include "stamp-util.h"

#define DEFAULT_MAX_SIZE    (35 * 1024 * 1024)
#define DEFAULT_COMMAND_MS  (60 * 1000)
#define DEFAULT_DATA_MS     (5 * 60 * 1000)
/* Bad commands after which a client is taken for a hostile one. */
#define MAX_ERRORS          10

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
G_DEFINE_FINAL_TYPE (StampSmtpServerSession, stamp_smtp_server_session, G_TYPE_OBJECT)

gint64
_stamp_smtp_server_deadline (StampSmtpServerSession *self)
{
  return g_get_monotonic_time () + (gint64) self->command_ms * 1000;
}

void
_stamp_smtp_server_log (StampSmtpServerSession *self,
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
void
_stamp_smtp_server_reply (StampSmtpServerSession *self,
                          int                     code,
                          const char             *enhanced_code,
                          const char             *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ascii = NULL;

  if (self->closing)
    return;

  /* RFC 5321 §2.4: replies are ASCII, whatever language they are in. */
  if (text != NULL && !stamp_str_is_ascii (text))
    text = ascii = g_str_to_ascii (text, NULL);

  if (!stamp_smtp_line_write_reply (self->line, code, enhanced_code, text,
                                    _stamp_smtp_server_deadline (self), self->cancellable, &error))
    {
      g_debug ("Could not answer %s: %s", self->client_ip, error->message);
      self->closing = TRUE;
    }
}

/* A reply for a command the client got wrong; too many of them end the
 * session, since a real device does not keep getting it wrong. */
void
_stamp_smtp_server_reply_error (StampSmtpServerSession *self,
                                int                     code,
                                const char             *enhanced_code,
                                const char             *text)
{
  _stamp_smtp_server_reply (self, code, enhanced_code, text);

  if (++self->errors >= MAX_ERRORS && !self->closing)
    {
      _stamp_smtp_server_log (self, _("closed after %u bad commands"), self->errors);
      _stamp_smtp_server_reply (self, 421, "4.7.0", _("Too many errors, closing the connection"));
      self->closing = TRUE;
    }
}

/* The limit for whoever sends: the session's, or the identity's own when
 * that is smaller (its account's provider takes no more). */
guint64
_stamp_smtp_server_max_size (StampSmtpServerSession *self)
{
  guint64 own = 0;

  if (self->identity != NULL && self->handler->max_message_size != NULL)
    own = self->handler->max_message_size (self->user_data, self->identity);

  return own > 0 ? MIN (own, self->max_size) : self->max_size;
}

/* The 552 reply for a message over the limit, in the handler's words
 * when the identity's own limit is the one that holds. */
void
_stamp_smtp_server_reply_too_big (StampSmtpServerSession *self)
{
  g_autofree char *text = NULL;

  if (self->identity != NULL && self->handler->size_refusal != NULL
      && _stamp_smtp_server_max_size (self) < self->max_size)
    text = self->handler->size_refusal (self->user_data, self->identity);
  _stamp_smtp_server_reply (self, 552, "5.3.4",
                            text != NULL ? text
                                         : _("Message size exceeds fixed maximum message size"));
}

void
_stamp_smtp_server_reset (StampSmtpServerSession *self)
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

static void
handle_ehlo (StampSmtpServerSession *self,
             const char             *args,
             gboolean                esmtp)
{
  g_autoptr(GString) text = NULL;

  if (*args == '\0')
    {
      _stamp_smtp_server_reply_error (self, 501, "5.5.4", esmtp ? _("Syntax: EHLO hostname")
                                      : _("Syntax: HELO hostname"));
      return;
    }

  _stamp_smtp_server_reset (self);
  g_free (self->helo);
  self->helo = g_strndup (args, strcspn (args, " "));
  self->esmtp = esmtp;

  if (!esmtp)
    {
      _stamp_smtp_server_reply (self, 250, NULL, self->server_name);
      return;
    }

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s greets [%s]\n", self->server_name, self->client_ip);
  g_string_append (text, "PIPELINING\n8BITMIME\nENHANCEDSTATUSCODES\n");
  /* A device known by now (by its address, or after AUTH) hears its own. */
  g_string_append_printf (text, "SIZE %" G_GUINT64_FORMAT "\n", _stamp_smtp_server_max_size (self));
  if (stamp_smtp_line_get_tls (self->line) == NULL && self->cert_file != NULL)
    g_string_append (text, "STARTTLS\n");
  if (!self->signed_in &&
      (stamp_smtp_line_get_tls (self->line) != NULL ||
       self->handler->may_sign_in_without_tls (self->user_data, self->client_ip)))
    g_string_append (text, "AUTH PLAIN LOGIN\n");
  g_string_append (text, "HELP");

  _stamp_smtp_server_reply (self, 250, NULL, text->str);
}

static void
handle_starttls (StampSmtpServerSession *self,
                 const char             *args)
{
  g_autoptr(StampTlsSession) tls = NULL;
  g_autoptr(GError) error = NULL;
  StampTlsVersion min_version;

  if (*args != '\0')
    {
      _stamp_smtp_server_reply_error (self, 501, "5.5.4", _("Syntax: STARTTLS"));
      return;
    }
  if (stamp_smtp_line_get_tls (self->line) != NULL)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("TLS already active"));
      return;
    }
  if (self->cert_file == NULL)
    {
      _stamp_smtp_server_reply_error (self, 502, "5.5.1", _("STARTTLS is not offered here"));
      return;
    }

  min_version = self->handler->tls_min_version (self->user_data, self->client_ip);
  tls = stamp_tls_session_new_server (self->cert_file, self->key_file, min_version,
                                      STAMP_TLS_VERSION_1_3, &error);
  if (tls == NULL)
    {
      _stamp_smtp_server_log (self, _("TLS could not start: %s"), error->message);
      _stamp_smtp_server_reply (self, 454, "4.7.0", _("TLS not available due to temporary reason"));
      return;
    }

  _stamp_smtp_server_reply (self, 220, "2.0.0", _("Ready to start TLS"));
  if (self->closing)
    return;

  if (!stamp_smtp_line_start_tls (self->line, tls, _stamp_smtp_server_deadline (self),
                                  self->cancellable, &error))
    {
      _stamp_smtp_server_log (self, _("TLS handshake failed: %s"), error->message);
      self->closing = TRUE;
      return;
    }

  /* In TLS 1.3 the client speaks last in the handshake, and its first
   * command may wait behind Nagle's algorithm for our acknowledgement of
   * its Finished, which the kernel delays by 40 ms: acknowledge now. */
  g_socket_set_option (stamp_smtp_line_get_socket (self->line), IPPROTO_TCP, TCP_QUICKACK, 1,
                       NULL);

  /* RFC 3207 §4.2: everything known before TLS is forgotten. */
  _stamp_smtp_server_reset (self);
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
              _stamp_smtp_server_reply_error (self, 501, "5.5.4", _("Bad SIZE parameter"));
              return FALSE;
            }
          if (size > _stamp_smtp_server_max_size (self))
            {
              _stamp_smtp_server_log (self, _("refused: a message of %lu bytes is over the limit "
                                              "of %lu bytes"),
                                      (gulong) size, (gulong) _stamp_smtp_server_max_size (self));
              _stamp_smtp_server_reply_too_big (self);
              return FALSE;
            }
        }
      else if (self->esmtp && (g_ascii_strcasecmp (param, "BODY=7BIT") == 0 ||
                               g_ascii_strcasecmp (param, "BODY=8BITMIME") == 0 ||
                               has_prefix_ci (param, "AUTH=")))
        continue;
      else
        {
          _stamp_smtp_server_reply_error (self, 555, "5.5.4", _("Unsupported MAIL parameter"));
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
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Send HELO or EHLO first"));
      return;
    }
  if (self->sender != NULL)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Nested MAIL command"));
      return;
    }
  if (!has_prefix_ci (args, "FROM:") || (sender = parse_path (args + 5, &rest)) == NULL)
    {
      _stamp_smtp_server_reply_error (self, 501, "5.5.4", _("Syntax: MAIL FROM:<address>"));
      return;
    }

  if (self->identity == NULL)
    {
      _stamp_smtp_server_log (self,
                              _("refused mail from <%s>: not signed in, and no device may send "
                              "from this address without signing in"), sender);
      _stamp_smtp_server_reply_error (self, 530, "5.7.0", _("Authentication required"));
      return;
    }

  if (!check_mail_parameters (self, rest))
    return;

  if (!self->handler->check_sender (self->user_data, self->identity, sender, &error))
    {
      _stamp_smtp_server_log (self, _("refused mail from <%s>: %s"), sender, error->message);
      _stamp_smtp_server_reply_error (self, 550, "5.7.1", error->message);
      return;
    }

  self->sender = g_steal_pointer (&sender);
  _stamp_smtp_server_reply (self, 250, "2.1.0", _("Sender OK"));
}

static void
handle_rcpt (StampSmtpServerSession *self,
             const char             *args)
{
  g_autofree char *recipient = NULL;
  const char *rest = NULL;

  if (self->sender == NULL)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Need MAIL before RCPT"));
      return;
    }
  if (!has_prefix_ci (args, "TO:") || (recipient = parse_path (args + 3, &rest)) == NULL)
    {
      _stamp_smtp_server_reply_error (self, 501, "5.5.4", _("Syntax: RCPT TO:<address>"));
      return;
    }
  if (*recipient == '\0' || strchr (recipient, '@') == NULL)
    {
      _stamp_smtp_server_reply_error (self, 501, "5.1.3", _("Bad recipient address syntax"));
      return;
    }
  if (self->recipients->len >= STAMP_SMTP_SERVER_MAX_RECIPIENTS)
    {
      _stamp_smtp_server_reply (self, 452, "4.5.3", _("Too many recipients"));
      return;
    }

  g_ptr_array_add (self->recipients, g_steal_pointer (&recipient));
  _stamp_smtp_server_reply (self, 250, "2.1.5", _("Recipient OK"));
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
    _stamp_smtp_server_handle_auth (self, args);
  else if (g_str_equal (verb, "MAIL"))
    handle_mail (self, args);
  else if (g_str_equal (verb, "RCPT"))
    handle_rcpt (self, args);
  else if (g_str_equal (verb, "DATA"))
    _stamp_smtp_server_handle_data (self, args);
  else if (g_str_equal (verb, "RSET"))
    {
      _stamp_smtp_server_reset (self);
      _stamp_smtp_server_reply (self, 250, "2.0.0", _("Reset OK"));
    }
  else if (g_str_equal (verb, "NOOP"))
    _stamp_smtp_server_reply (self, 250, "2.0.0", _("OK"));
  else if (g_str_equal (verb, "VRFY"))
    _stamp_smtp_server_reply (self, 252, "2.5.0",
                              _("Cannot verify the user, but will take the message"));
  else if (g_str_equal (verb, "HELP"))
    _stamp_smtp_server_reply (self, 214, "2.0.0",
                              _("Stamp Relay takes mail from devices added "
                                "with stamp-cli relay add-device"));
  else if (g_str_equal (verb, "QUIT"))
    {
      if (self->quit_func != NULL)
        self->quit_func (self, self->quit_data);
      _stamp_smtp_server_reply (self, 221, "2.0.0", _("Bye"));
      self->closing = TRUE;
    }
  else if (g_str_equal (verb, "EXPN") || g_str_equal (verb, "BDAT") ||
           g_str_equal (verb, "ETRN") || g_str_equal (verb, "TURN"))
    _stamp_smtp_server_reply_error (self, 502, "5.5.1", _("Command not implemented"));
  else
    _stamp_smtp_server_reply_error (self, 500, "5.5.1", _("Command not recognized"));
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
 * stamp_smtp_server_session_set_quit_func:
 * @self: a #StampSmtpServerSession
 * @func: (nullable): called with @self and @user_data on QUIT, before the
 *   221 reply, in the session's thread
 * @user_data: data for @func
 */
void
stamp_smtp_server_session_set_quit_func (StampSmtpServerSession *self,
                                         GFunc                   func,
                                         gpointer                user_data)
{
  g_return_if_fail (STAMP_IS_SMTP_SERVER_SESSION (self));

  self->quit_func = func;
  self->quit_data = user_data;
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
  _stamp_smtp_server_reply (self, 220, NULL, greeting);

  /* A no-sign-in device is known by its address alone. */
  if (self->handler->identify_without_sign_in != NULL)
    self->identity = self->handler->identify_without_sign_in (self->user_data, self->client_ip);

  while (!self->closing)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *command = NULL;

      command = stamp_smtp_line_read_command_max (self->line, STAMP_SMTP_SERVER_COMMAND_MAX,
                                                  _stamp_smtp_server_deadline (self), cancellable,
                                                  &error);
      if (command != NULL)
        {
          handle_command (self, command);
          /* AUTH's initial response holds the password. */
          explicit_bzero (command, strlen (command));
        }
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT))
        _stamp_smtp_server_reply_error (self, 500, "5.5.2", _("Line too long"));
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY))
        _stamp_smtp_server_reply_error (self, 500, "5.5.2", _("Syntax error"));
      else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
        {
          _stamp_smtp_server_log (self, _("closed: no command within %u s"),
                                  self->command_ms / 1000);
          _stamp_smtp_server_reply (self, 421, "4.4.2", _("Timeout, closing the connection"));
          self->closing = TRUE;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->cancellable = NULL;
          _stamp_smtp_server_reply (self, 421, "4.3.2", _("The relay is shutting down"));
          self->closing = TRUE;
        }
      else
        self->closing = TRUE;
    }

  stamp_smtp_line_close (self->line);
  self->cancellable = NULL;
}

/* stamp-smtp-server-session-auth.c
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

/* AUTH PLAIN and LOGIN (RFC 4954, 4616) for #StampSmtpServerSession. */

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
                                           _stamp_smtp_server_deadline (self), self->cancellable,
                                           &error);
  if (line == NULL)
    {
      if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT))
        _stamp_smtp_server_reply_error (self, 500, "5.5.6",
                                        _("Authentication exchange line is too long"));
      else
        self->closing = TRUE;
      return NULL;
    }

  if (g_str_equal (line, "*"))
    {
      g_free (line);
      _stamp_smtp_server_reply_error (self, 501, "5.0.0", _("Authentication cancelled"));
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
      _stamp_smtp_server_reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
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

  _stamp_smtp_server_reply (self, 334, NULL, prompt);
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
      _stamp_smtp_server_reply (self, 235, "2.7.0", _("Authentication successful"));
      return;
    }

  _stamp_smtp_server_log (self, _("sign-in refused for user “%s”: %s"), user, error->message);

  if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_THROTTLED))
    {
      _stamp_smtp_server_reply (self, 421, "4.7.0", error->message);
      self->closing = TRUE;
    }
  else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED))
    _stamp_smtp_server_reply_error (self, 535, "5.7.8", _("Authentication credentials invalid"));
  else if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED) ||
           g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_VERSION))
    _stamp_smtp_server_reply_error (self, 538, "5.7.11", error->message);
  else
    _stamp_smtp_server_reply (self, 454, "4.7.0",
                              _("Temporary authentication failure, try again later"));
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
    _stamp_smtp_server_reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
  else if (*decoded != '\0' && strcmp (decoded, user + 1) != 0)
    {
      _stamp_smtp_server_log (self, _("sign-in refused: asked to act for another user"));
      _stamp_smtp_server_reply_error (self, 535, "5.7.8", _("Authentication credentials invalid"));
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
    _stamp_smtp_server_reply_error (self, 501, "5.5.2", _("Cannot decode the response"));
  else
    finish_auth (self, user, password);

  explicit_bzero (password, len);
  g_free (password);
}

void
_stamp_smtp_server_handle_auth (StampSmtpServerSession *self,
                                const char             *args)
{
  g_auto(GStrv) words = g_strsplit (args, " ", 3);
  const char *mechanism = words[0] != NULL ? words[0] : "";
  const char *initial = words[0] != NULL ? words[1] : NULL;

  if (!self->esmtp)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Send EHLO first"));
      return;
    }
  if (self->signed_in)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Already authenticated"));
      return;
    }
  if (self->sender != NULL)
    {
      _stamp_smtp_server_reply_error (self, 503, "5.5.1", _("Not during a mail transaction"));
      return;
    }

  if (stamp_smtp_line_get_tls (self->line) == NULL &&
      !self->handler->may_sign_in_without_tls (self->user_data, self->client_ip))
    {
      _stamp_smtp_server_log (self, _("sign-in refused: not over TLS (the device must send "
                                      "STARTTLS first)"));
      _stamp_smtp_server_reply_error (self, 538, "5.7.11",
                                      _("Encryption required: send STARTTLS before AUTH"));
      return;
    }

  if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0)
    auth_plain (self, initial);
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    auth_login (self, initial);
  else
    _stamp_smtp_server_reply_error (self, 504, "5.5.4", _("Unrecognized authentication type"));

  /* The line the initial response came in may hold a password. */
  for (guint i = 0; words[i] != NULL; i++)
    explicit_bzero (words[i], strlen (words[i]));
}

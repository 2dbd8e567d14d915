/* stamp-smtp-settings.c
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

#define G_LOG_DOMAIN "stamp-smtp-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-settings.h"
#include "stamp-util.h"

/**
 * StampSmtpSettings:
 *
 * Where and how to reach a submission server: host, port, security, the
 * sign-in mechanism and user name, extra trusted authorities, the lowest
 * TLS version, the EHLO name and the deadlines. An account, the client, the
 * session on the worker thread and the command line all hold these, and
 * all hold this one type. It never holds a secret: passwords and tokens go
 * to the client apart. A plain value: copy it to keep it.
 */
struct _StampSmtpSettings
{
  char               *host;
  char               *username;
  char               *ca_file;
  char               *ehlo_name;
  StampSecurity       security;
  StampAuthMechanism  auth_mechanism;
  StampTlsVersion     tls_min_version;
  guint16             port;
  guint               connect_timeout;
  guint               reply_timeout;
};

G_DEFINE_BOXED_TYPE (StampSmtpSettings, stamp_smtp_settings,
                     stamp_smtp_settings_copy, stamp_smtp_settings_free)

/**
 * stamp_smtp_settings_new:
 * @host: the submission server's host name or address
 * @port: its port, or 0 for the one that goes with @security
 * @security: how the connection is protected
 *
 * The other settings start at their defaults: automatic sign-in, no user
 * name (the sender's address is used), TLS 1.2 or newer, this machine's
 * name in EHLO, and the default deadlines.
 *
 * Returns: (transfer full): new settings
 */
StampSmtpSettings *
stamp_smtp_settings_new (const char    *host,
                         guint16        port,
                         StampSecurity  security)
{
  StampSmtpSettings *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_new0 (StampSmtpSettings, 1);
  self->host = g_strdup (host);
  self->port = port != 0 ? port : stamp_security_default_port (security);
  self->security = security;
  self->auth_mechanism = STAMP_AUTH_AUTO;
  self->tls_min_version = STAMP_TLS_VERSION_1_2;
  self->connect_timeout = STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT;
  self->reply_timeout = STAMP_SMTP_DEFAULT_REPLY_TIMEOUT;

  return self;
}

/**
 * stamp_smtp_settings_copy:
 * @self: a #StampSmtpSettings
 *
 * Returns: (transfer full): a copy of @self
 */
StampSmtpSettings *
stamp_smtp_settings_copy (const StampSmtpSettings *self)
{
  StampSmtpSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->host = g_strdup (self->host);
  copy->username = g_strdup (self->username);
  copy->ca_file = g_strdup (self->ca_file);
  copy->ehlo_name = g_strdup (self->ehlo_name);

  return copy;
}

void
stamp_smtp_settings_free (StampSmtpSettings *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self->username);
  g_free (self->ca_file);
  g_free (self->ehlo_name);
  g_free (self);
}

const char *
stamp_smtp_settings_get_host (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

guint16
stamp_smtp_settings_get_port (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

StampSecurity
stamp_smtp_settings_get_security (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->security;
}

StampAuthMechanism
stamp_smtp_settings_get_auth_mechanism (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->auth_mechanism;
}

/**
 * stamp_smtp_settings_set_auth_mechanism:
 * @self: a #StampSmtpSettings
 * @mechanism: the SASL mechanism, %STAMP_AUTH_AUTO to pick one from what
 *   the server offers and the kind of secret, or %STAMP_AUTH_NONE
 */
void
stamp_smtp_settings_set_auth_mechanism (StampSmtpSettings  *self,
                                        StampAuthMechanism  mechanism)
{
  g_return_if_fail (self != NULL);

  self->auth_mechanism = mechanism;
}

const char *
stamp_smtp_settings_get_username (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->username;
}

/**
 * stamp_smtp_settings_set_username:
 * @self: a #StampSmtpSettings
 * @username: (nullable): the name to sign in with, or %NULL for the
 *   message's sender
 */
void
stamp_smtp_settings_set_username (StampSmtpSettings *self,
                                  const char        *username)
{
  g_return_if_fail (self != NULL);

  stamp_set_str (&self->username, username);
}

const char *
stamp_smtp_settings_get_ca_file (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ca_file;
}

/**
 * stamp_smtp_settings_set_ca_file:
 * @self: a #StampSmtpSettings
 * @ca_file: (nullable): a PEM file of authorities to trust besides the
 *   system's
 */
void
stamp_smtp_settings_set_ca_file (StampSmtpSettings *self,
                                 const char        *ca_file)
{
  g_return_if_fail (self != NULL);

  stamp_set_str (&self->ca_file, ca_file);
}

StampTlsVersion
stamp_smtp_settings_get_tls_min_version (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->tls_min_version;
}

/**
 * stamp_smtp_settings_set_tls_min_version:
 * @self: a #StampSmtpSettings
 * @version: the lowest TLS version to accept
 *
 * TLS 1.2 is the default; older versions are for testing legacy set-ups.
 */
void
stamp_smtp_settings_set_tls_min_version (StampSmtpSettings *self,
                                         StampTlsVersion    version)
{
  g_return_if_fail (self != NULL);

  self->tls_min_version = version;
}

const char *
stamp_smtp_settings_get_ehlo_name (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->ehlo_name;
}

/**
 * stamp_smtp_settings_set_ehlo_name:
 * @self: a #StampSmtpSettings
 * @ehlo_name: (nullable): the name to give in EHLO, or %NULL for this
 *   machine's host name
 */
void
stamp_smtp_settings_set_ehlo_name (StampSmtpSettings *self,
                                   const char        *ehlo_name)
{
  g_return_if_fail (self != NULL);

  stamp_set_str (&self->ehlo_name, ehlo_name);
}

guint
stamp_smtp_settings_get_connect_timeout (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->connect_timeout;
}

/**
 * stamp_smtp_settings_set_connect_timeout:
 * @self: a #StampSmtpSettings
 * @seconds: the deadline for looking up and connecting to the server
 */
void
stamp_smtp_settings_set_connect_timeout (StampSmtpSettings *self,
                                         guint              seconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (seconds > 0);

  self->connect_timeout = seconds;
}

guint
stamp_smtp_settings_get_reply_timeout (const StampSmtpSettings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reply_timeout;
}

/**
 * stamp_smtp_settings_set_reply_timeout:
 * @self: a #StampSmtpSettings
 * @seconds: the deadline for each reply, and for the TLS handshake
 */
void
stamp_smtp_settings_set_reply_timeout (StampSmtpSettings *self,
                                       guint              seconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (seconds > 0);

  self->reply_timeout = seconds;
}

/**
 * stamp_smtp_settings_check:
 * @self: a #StampSmtpSettings
 * @error: return location for a #GError
 *
 * Catches settings that cannot work before anything touches the network.
 *
 * Returns: %TRUE when the host is a name and the user and EHLO names are
 *   one line each; otherwise %STAMP_ERROR_INVALID_INPUT
 */
gboolean
stamp_smtp_settings_check (const StampSmtpSettings  *self,
                           GError                  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (*self->host == '\0' || stamp_str_has_line_break (self->host) ||
      strpbrk (self->host, " /") != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a server name"), self->host);
      return FALSE;
    }

  if (stamp_str_has_line_break (self->username) || stamp_str_has_line_break (self->ehlo_name))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The user name and EHLO name must be one line each"));
      return FALSE;
    }

  return TRUE;
}

/**
 * stamp_smtp_settings_describe:
 * @self: a #StampSmtpSettings
 * @has_secret: whether a password or token goes with the settings
 * @secret_is_token: whether that secret is an OAuth token
 *
 * Returns: (transfer full): the settings in a few translated lines, for the
 *   test message's body and for reports; no secret is ever part of it
 */
char *
stamp_smtp_settings_describe (const StampSmtpSettings *self,
                              gboolean                 has_secret,
                              gboolean                 secret_is_token)
{
  GString *text;

  g_return_val_if_fail (self != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Server: %s, port %u"), self->host, self->port);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Security: %s"), stamp_security_to_label (self->security));
  if (self->security != STAMP_SECURITY_NONE)
    g_string_append_printf (text, _(", TLS %s or newer"),
                            stamp_tls_version_to_string (self->tls_min_version));
  g_string_append_c (text, '\n');

  if (self->auth_mechanism == STAMP_AUTH_NONE ||
      (self->auth_mechanism == STAMP_AUTH_AUTO && !has_secret))
    g_string_append (text, _("Sign-in: none"));
  else if (self->auth_mechanism == STAMP_AUTH_AUTO)
    g_string_append_printf (text, _("Sign-in: automatic, with %s, as %s"),
                            secret_is_token ? _("an OAuth token") : _("a password"),
                            self->username != NULL ? self->username : "?");
  else
    g_string_append_printf (text, _("Sign-in: %s, as %s"),
                            stamp_sasl_mechanism_name (self->auth_mechanism),
                            self->username != NULL ? self->username : "?");

  return g_string_free (text, FALSE);
}

/* stamp-smtp-client.c
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

#define G_LOG_DOMAIN "stamp-smtp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-base-enums.h"
#include "stamp-smtp-enums.h"
#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

enum {
  STEP_FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampSmtpClient, stamp_smtp_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* For stamp-smtp-client-send.c, which updates the results of a send. */
void
_stamp_smtp_client_notify (StampSmtpClient *self,
                           guint            prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_stamp_smtp_client_step_finished (StampSmtpClient *self,
                                  StampSmtpStep   *step)
{
  g_signal_emit (self, signals[STEP_FINISHED], 0, step);
}

static void
stamp_smtp_client_finalize (GObject *object)
{
  StampSmtpClient *self = (StampSmtpClient *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  stamp_clear_secret (&self->secret);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->ehlo_name, g_free);
  g_clear_object (&self->steps);
  g_clear_object (&self->transcript);
  g_clear_object (&self->failed_step);
  g_clear_object (&self->failure_reply);
  g_clear_pointer (&self->tls_version, g_free);
  g_clear_pointer (&self->tls_cipher, g_free);
  g_clear_pointer (&self->tls_certificates, g_strfreev);

  G_OBJECT_CLASS (stamp_smtp_client_parent_class)->finalize (object);
}

static void
stamp_smtp_client_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StampSmtpClient *self = STAMP_SMTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_enum (value, self->auth_mechanism);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_TLS_MIN_VERSION:
      g_value_set_enum (value, self->tls_min_version);
      break;

    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;

    case PROP_REPLY_TIMEOUT:
      g_value_set_uint (value, self->reply_timeout);
      break;

    case PROP_EHLO_NAME:
      g_value_set_string (value, self->ehlo_name);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_TLS_VERSION:
      g_value_set_string (value, self->tls_version);
      break;

    case PROP_FAILED_STEP:
      g_value_set_object (value, self->failed_step);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_smtp_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StampSmtpClient *self = STAMP_SMTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    case PROP_SECURITY:
      self->security = g_value_get_enum (value);
      break;

    case PROP_AUTH_MECHANISM:
      stamp_smtp_client_set_auth_mechanism (self, g_value_get_enum (value));
      break;

    case PROP_USERNAME:
      stamp_smtp_client_set_username (self, g_value_get_string (value));
      break;

    case PROP_CA_FILE:
      stamp_smtp_client_set_ca_file (self, g_value_get_string (value));
      break;

    case PROP_TLS_MIN_VERSION:
      stamp_smtp_client_set_tls_min_version (self, g_value_get_enum (value));
      break;

    case PROP_CONNECT_TIMEOUT:
      stamp_smtp_client_set_connect_timeout (self, g_value_get_uint (value));
      break;

    case PROP_REPLY_TIMEOUT:
      stamp_smtp_client_set_reply_timeout (self, g_value_get_uint (value));
      break;

    case PROP_EHLO_NAME:
      stamp_smtp_client_set_ehlo_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_smtp_client_class_init (StampSmtpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_client_finalize;
  object_class->get_property = stamp_smtp_client_get_property;
  object_class->set_property = stamp_smtp_client_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       1, G_MAXUINT16, 587,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       STAMP_TYPE_SECURITY, STAMP_SECURITY_STARTTLS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_enum ("auth-mechanism", NULL, NULL,
                       STAMP_TYPE_AUTH_MECHANISM, STAMP_AUTH_AUTO,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TLS_MIN_VERSION] =
    g_param_spec_enum ("tls-min-version", NULL, NULL,
                       STAMP_TYPE_TLS_VERSION, STAMP_TLS_VERSION_1_2,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL,
                       1, 3600, STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REPLY_TIMEOUT] =
    g_param_spec_uint ("reply-timeout", NULL, NULL,
                       1, 3600, STAMP_SMTP_DEFAULT_REPLY_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EHLO_NAME] =
    g_param_spec_string ("ehlo-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TLS_VERSION] =
    g_param_spec_string ("tls-version", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FAILED_STEP] =
    g_param_spec_object ("failed-step", NULL, NULL,
                         STAMP_TYPE_SMTP_STEP,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StampSmtpClient::step-finished:
   * @self: a #StampSmtpClient
   * @step: the #StampSmtpStep that just ended
   *
   * Emitted on the main context when a step of a send has succeeded or
   * failed, so a face can print the checklist as it goes.
   */
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, STAMP_TYPE_SMTP_STEP);
}

static void
stamp_smtp_client_init (StampSmtpClient *self)
{
  self->port = 587;
  self->tls_min_version = STAMP_TLS_VERSION_1_2;
  self->connect_timeout = STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT;
  self->reply_timeout = STAMP_SMTP_DEFAULT_REPLY_TIMEOUT;
  self->steps = g_list_store_new (STAMP_TYPE_SMTP_STEP);
  self->transcript = stamp_transcript_new ();
}

/**
 * stamp_smtp_client_new:
 * @host: the submission server's host name or address
 * @port: its port, or 0 for the one that goes with @security
 * @security: how the connection is protected
 *
 * Returns: (transfer full): a new client
 */
StampSmtpClient *
stamp_smtp_client_new (const char    *host,
                       guint16        port,
                       StampSecurity  security)
{
  g_return_val_if_fail (host != NULL, NULL);

  return g_object_new (STAMP_TYPE_SMTP_CLIENT,
                       "host", host,
                       "port", port != 0 ? port : stamp_security_default_port (security),
                       "security", security,
                       NULL);
}

const char *
stamp_smtp_client_get_host (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->host;
}

guint16
stamp_smtp_client_get_port (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->port;
}

StampSecurity
stamp_smtp_client_get_security (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->security;
}

StampAuthMechanism
stamp_smtp_client_get_auth_mechanism (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->auth_mechanism;
}

void
stamp_smtp_client_set_auth_mechanism (StampSmtpClient    *self,
                                      StampAuthMechanism  mechanism)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  if (self->auth_mechanism == mechanism)
    return;

  self->auth_mechanism = mechanism;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_MECHANISM]);
}

const char *
stamp_smtp_client_get_username (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->username;
}

void
stamp_smtp_client_set_username (StampSmtpClient *self,
                                const char      *username)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  if (stamp_set_str (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * stamp_smtp_client_set_password:
 * @self: a #StampSmtpClient
 * @password: (nullable): the password or app password
 *
 * Sets the password used with PLAIN or LOGIN. It is not a property and
 * cannot be read back, so nothing that inspects the object can leak it.
 */
void
stamp_smtp_client_set_password (StampSmtpClient *self,
                                const char      *password)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  stamp_clear_secret (&self->secret);
  self->secret = g_strdup (password);
  self->secret_is_token = FALSE;
}

/**
 * stamp_smtp_client_set_oauth_token:
 * @self: a #StampSmtpClient
 * @token: (nullable): an OAuth 2.0 access token
 *
 * Sets the token used with XOAUTH2 or OAUTHBEARER, in place of a password.
 */
void
stamp_smtp_client_set_oauth_token (StampSmtpClient *self,
                                   const char      *token)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  stamp_clear_secret (&self->secret);
  self->secret = g_strdup (token);
  self->secret_is_token = token != NULL;
}

const char *
stamp_smtp_client_get_ca_file (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->ca_file;
}

/**
 * stamp_smtp_client_set_ca_file:
 * @self: a #StampSmtpClient
 * @ca_file: (nullable): a PEM file of authorities to trust besides the
 *   system's
 */
void
stamp_smtp_client_set_ca_file (StampSmtpClient *self,
                               const char      *ca_file)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  if (stamp_set_str (&self->ca_file, ca_file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

StampTlsVersion
stamp_smtp_client_get_tls_min_version (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->tls_min_version;
}

/**
 * stamp_smtp_client_set_tls_min_version:
 * @self: a #StampSmtpClient
 * @version: the lowest TLS version to accept
 *
 * TLS 1.2 is the default; older versions are for testing legacy set-ups.
 */
void
stamp_smtp_client_set_tls_min_version (StampSmtpClient *self,
                                       StampTlsVersion  version)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  if (self->tls_min_version == version)
    return;

  self->tls_min_version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_MIN_VERSION]);
}

guint
stamp_smtp_client_get_connect_timeout (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->connect_timeout;
}

/**
 * stamp_smtp_client_set_connect_timeout:
 * @self: a #StampSmtpClient
 * @seconds: the deadline for looking up and connecting to the server
 */
void
stamp_smtp_client_set_connect_timeout (StampSmtpClient *self,
                                       guint            seconds)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->connect_timeout == seconds)
    return;

  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
stamp_smtp_client_get_reply_timeout (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->reply_timeout;
}

/**
 * stamp_smtp_client_set_reply_timeout:
 * @self: a #StampSmtpClient
 * @seconds: the deadline for each reply, and for the TLS handshake
 */
void
stamp_smtp_client_set_reply_timeout (StampSmtpClient *self,
                                     guint            seconds)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->reply_timeout == seconds)
    return;

  self->reply_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_TIMEOUT]);
}

const char *
stamp_smtp_client_get_ehlo_name (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->ehlo_name;
}

/**
 * stamp_smtp_client_set_ehlo_name:
 * @self: a #StampSmtpClient
 * @ehlo_name: (nullable): the name to give in EHLO, or %NULL for this
 *   machine's host name
 */
void
stamp_smtp_client_set_ehlo_name (StampSmtpClient *self,
                                 const char      *ehlo_name)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));

  if (stamp_set_str (&self->ehlo_name, ehlo_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EHLO_NAME]);
}

static const char *
security_label (StampSecurity security)
{
  switch (security)
    {
    case STAMP_SECURITY_STARTTLS: return _("STARTTLS");
    case STAMP_SECURITY_TLS:      return _("TLS from the start (implicit TLS)");
    case STAMP_SECURITY_NONE:     return _("none (unencrypted)");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * stamp_smtp_client_describe_settings:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer full): the settings in a few translated lines, for the
 *   test message's body and for reports; no secret is ever part of it
 */
char *
stamp_smtp_client_describe_settings (StampSmtpClient *self)
{
  GString *text;

  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, _("Server: %s, port %u"), self->host, self->port);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Security: %s"), security_label (self->security));
  if (self->security != STAMP_SECURITY_NONE)
    g_string_append_printf (text, _(", TLS %s or newer"),
                            stamp_tls_version_to_string (self->tls_min_version));
  g_string_append_c (text, '\n');

  if (self->auth_mechanism == STAMP_AUTH_NONE ||
      (self->auth_mechanism == STAMP_AUTH_AUTO && self->secret == NULL))
    g_string_append (text, _("Sign-in: none"));
  else if (self->auth_mechanism == STAMP_AUTH_AUTO)
    g_string_append_printf (text, _("Sign-in: automatic, with %s, as %s"),
                            self->secret_is_token ? _("an OAuth token") : _("a password"),
                            self->username != NULL ? self->username : "?");
  else
    g_string_append_printf (text, _("Sign-in: %s, as %s"),
                            stamp_sasl_mechanism_name (self->auth_mechanism),
                            self->username != NULL ? self->username : "?");

  return g_string_free (text, FALSE);
}

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

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-enums.h"
#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

/*
 * StampSmtpClient:
 *
 * Sends a message through an SMTP submission server and shows every step
 * on the way. The settings are properties; the secret (a password or an
 * OAuth token) is set apart and never readable back. While a send runs in
 * a worker thread, the steps and the redacted transcript grow on the
 * caller's main context as list models a view can bind; when it ends, the
 * failed step and the server's reply tell what went wrong.
 */
struct _StampSmtpClient
{
  GObject parent_instance;

  /* Owned: settings */
  char               *host;
  char               *username;
  char               *secret;
  char               *ca_file;
  char               *ehlo_name;

  /* Owned: the last send */
  GListStore         *steps;
  StampTranscript    *transcript;
  StampSmtpStep      *failed_step;
  StampSmtpReply     *failure_reply;
  char               *tls_version;
  char               *tls_cipher;
  GStrv               tls_certificates;

  StampSecurity       security;
  StampAuthMechanism  auth_mechanism;
  StampAuthMechanism  used_mechanism;
  StampTlsVersion     tls_min_version;
  guint16             port;
  guint               connect_timeout;
  guint               reply_timeout;
  guint               round_trips;
  gint64              elapsed;
  gboolean            secret_is_token;
  gboolean            busy;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_AUTH_MECHANISM,
  PROP_USERNAME,
  PROP_CA_FILE,
  PROP_TLS_MIN_VERSION,
  PROP_CONNECT_TIMEOUT,
  PROP_REPLY_TIMEOUT,
  PROP_EHLO_NAME,
  PROP_BUSY,
  PROP_TLS_VERSION,
  PROP_FAILED_STEP,
  N_PROPS
};

enum {
  STEP_FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampSmtpClient, stamp_smtp_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
send_event_free (SendEvent *event)
{
  g_clear_object (&event->client);
  g_clear_object (&event->reply);
  g_clear_pointer (&event->text, g_free);
  g_clear_pointer (&event->tls_version, g_free);
  g_clear_pointer (&event->tls_cipher, g_free);
  g_clear_pointer (&event->certificates, g_strfreev);
  g_free (event);
}

static StampSmtpStep *
find_last_step (StampSmtpClient   *self,
                StampSmtpStepKind  kind)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->steps)); i > 0; i--)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), i - 1);

      if (stamp_smtp_step_get_kind (step) == kind)
        return step;
    }

  return NULL;
}

static gboolean
apply_event_cb (gpointer user_data)
{
  SendEvent *event = user_data;
  StampSmtpClient *self = event->client;

  switch (event->type)
    {
    case SEND_EVENT_STEP_BEGIN:
      {
        g_autoptr(StampSmtpStep) step = stamp_smtp_step_new (event->kind);

        g_list_store_append (self->steps, step);
      }
      break;

    case SEND_EVENT_STEP_END:
      {
        StampSmtpStep *step = find_last_step (self, event->kind);

        if (step == NULL)
          break;

        stamp_smtp_step_finish (step, event->state, event->time, event->text);
        if (event->state == STAMP_STEP_FAILED && g_set_object (&self->failed_step, step))
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED_STEP]);

        g_signal_emit (self, signals[STEP_FINISHED], 0, step);
      }
      break;

    case SEND_EVENT_LINE:
      {
        g_autoptr(StampTranscriptLine) line =
          stamp_transcript_line_new (event->direction, event->time, event->text);

        stamp_transcript_append (self->transcript, line);
      }
      break;

    case SEND_EVENT_TLS:
      stamp_set_str (&self->tls_cipher, event->tls_cipher);
      g_clear_pointer (&self->tls_certificates, g_strfreev);
      self->tls_certificates = g_steal_pointer (&event->certificates);
      if (stamp_set_str (&self->tls_version, event->tls_version))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_VERSION]);
      break;

    case SEND_EVENT_AUTH:
      self->used_mechanism = event->mechanism;
      break;

    case SEND_EVENT_FAILURE:
      g_set_object (&self->failure_reply, event->reply);
      break;

    case SEND_EVENT_DONE:
      self->round_trips = event->round_trips;
      self->elapsed = event->time;
      break;

    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

/* Called from the worker thread. The events go to the main context at the
 * same priority as the GTask's completion, so they all arrive before it, in
 * order. */
void
_stamp_smtp_client_post (SendState *state,
                         SendEvent *event)
{
  event->client = g_object_ref (state->client);
  g_main_context_invoke_full (state->context, G_PRIORITY_DEFAULT,
                              apply_event_cb, event, (GDestroyNotify) send_event_free);
}

void
_stamp_send_state_free (SendState *state)
{
  g_clear_object (&state->client);
  g_clear_pointer (&state->context, g_main_context_unref);
  g_clear_pointer (&state->host, g_free);
  g_clear_pointer (&state->username, g_free);
  stamp_clear_secret (&state->secret);
  g_clear_pointer (&state->ca_file, g_free);
  g_clear_pointer (&state->ehlo_name, g_free);
  g_clear_object (&state->message);
  g_clear_object (&state->tls);
  g_clear_object (&state->socket);
  g_clear_pointer (&state->input, g_byte_array_unref);
  g_clear_pointer (&state->capabilities, g_hash_table_unref);
  g_clear_pointer (&state->hidden, g_ptr_array_unref);
  stamp_clear_secret (&state->pipelined_auth);
  g_clear_pointer (&state->pipelined_auth_shown, g_free);
  g_free (state);
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

static gboolean
check_settings (StampSmtpClient  *self,
                GError          **error)
{
  gboolean wants_auth = self->auth_mechanism != STAMP_AUTH_NONE && self->auth_mechanism != STAMP_AUTH_AUTO;

  if (self->host == NULL || *self->host == '\0' || stamp_str_has_line_break (self->host) ||
      strpbrk (self->host, " /") != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a server name"), self->host != NULL ? self->host : "");
      return FALSE;
    }

  if (stamp_str_has_line_break (self->username) || stamp_str_has_line_break (self->ehlo_name))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The user name and EHLO name must be one line each"));
      return FALSE;
    }

  if (wants_auth && self->secret == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   stamp_sasl_mechanism_uses_token (self->auth_mechanism)
                   ? _("%s sign-in needs an OAuth access token")
                   : _("%s sign-in needs a password"),
                   stamp_sasl_mechanism_name (self->auth_mechanism));
      return FALSE;
    }

  if (wants_auth && stamp_sasl_mechanism_uses_token (self->auth_mechanism) != self->secret_is_token)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   self->secret_is_token
                   ? _("%s sign-in takes a password, but an OAuth token was given")
                   : _("%s sign-in takes an OAuth token, but a password was given"),
                   stamp_sasl_mechanism_name (self->auth_mechanism));
      return FALSE;
    }

  return TRUE;
}

static void
set_busy (StampSmtpClient *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
reset_results (StampSmtpClient *self)
{
  g_list_store_remove_all (self->steps);
  stamp_transcript_clear (self->transcript);
  if (g_set_object (&self->failed_step, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED_STEP]);
  g_clear_object (&self->failure_reply);
  g_clear_pointer (&self->tls_cipher, g_free);
  g_clear_pointer (&self->tls_certificates, g_strfreev);
  if (stamp_set_str (&self->tls_version, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_VERSION]);
  self->used_mechanism = STAMP_AUTH_NONE;
  self->round_trips = 0;
  self->elapsed = 0;
}

static SendState *
send_state_new (StampSmtpClient *self,
                StampMessage    *message)
{
  SendState *state = g_new0 (SendState, 1);

  state->client = g_object_ref (self);
  state->context = g_main_context_ref_thread_default ();
  state->host = g_strdup (self->host);
  state->port = self->port;
  state->security = self->security;
  state->auth = self->auth_mechanism;
  state->username = g_strdup (self->username != NULL ? self->username
                                                      : stamp_message_get_from (message));
  state->secret = g_strdup (self->secret);
  state->secret_is_token = self->secret_is_token;
  state->ca_file = g_strdup (self->ca_file);
  state->tls_min = self->tls_min_version;
  state->connect_timeout = self->connect_timeout;
  state->reply_timeout = self->reply_timeout;
  state->ehlo_name = g_strdup (self->ehlo_name);
  state->message = g_object_ref (message);

  return state;
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampSmtpClient *self = STAMP_SMTP_CLIENT (object);
  GError *error = NULL;
  StampSmtpReply *reply;

  set_busy (self, FALSE);

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, g_object_unref);
}

/**
 * stamp_smtp_client_send_async:
 * @self: a #StampSmtpClient
 * @message: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the send has ended
 * @user_data: data for @callback
 *
 * Sends @message in a worker thread. Steps and transcript lines appear on
 * the thread-default main context as they happen. Input that cannot work (a
 * header with a line break, a mechanism without its secret) fails before
 * anything touches the network.
 */
void
stamp_smtp_client_send_async (StampSmtpClient     *self,
                              StampMessage        *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) worker = NULL;
  GError *error = NULL;

  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (STAMP_IS_MESSAGE (message));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, stamp_smtp_client_send_async);

  if (self->busy)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A test send is already under way"));
      return;
    }

  if (!check_settings (self, &error) || !stamp_message_validate (message, &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  reset_results (self);
  set_busy (self, TRUE);

  /* The inner task runs the protocol; the outer one reports to the caller
   * after busy is cleared, so a callback may start the next send. */
  worker = g_task_new (self, cancellable, send_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (worker, _stamp_smtp_client_run);
  g_task_set_task_data (worker, send_state_new (self, message),
                        (GDestroyNotify) _stamp_send_state_free);
  g_task_run_in_thread (worker, _stamp_smtp_client_run);
}

/**
 * stamp_smtp_client_send_finish:
 * @self: a #StampSmtpClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the server's reply accepting the message (the
 *   queue id line), or %NULL with @error set; then
 *   stamp_smtp_client_get_failed_step() and
 *   stamp_smtp_client_get_failure_reply() tell where and what
 */
StampSmtpReply *
stamp_smtp_client_send_finish (StampSmtpClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_smtp_client_send_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
stamp_smtp_client_get_busy (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), FALSE);

  return self->busy;
}

/**
 * stamp_smtp_client_get_steps:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none): a #GListModel of #StampSmtpStep for the last send
 */
GListModel *
stamp_smtp_client_get_steps (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return G_LIST_MODEL (self->steps);
}

/**
 * stamp_smtp_client_get_transcript:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none): the redacted transcript of the last send
 */
StampTranscript *
stamp_smtp_client_get_transcript (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->transcript;
}

/**
 * stamp_smtp_client_get_failed_step:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): the step at which the last send failed
 */
StampSmtpStep *
stamp_smtp_client_get_failed_step (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->failed_step;
}

/**
 * stamp_smtp_client_get_failure_reply:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): the server's reply that made the last
 *   send fail, with its codes; %NULL when the failure was not a reply (a
 *   timeout, a certificate)
 */
StampSmtpReply *
stamp_smtp_client_get_failure_reply (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->failure_reply;
}

/**
 * stamp_smtp_client_get_tls_version:
 * @self: a #StampSmtpClient
 *
 * Returns: (nullable): the TLS version of the last send ("TLS1.3")
 */
const char *
stamp_smtp_client_get_tls_version (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->tls_version;
}

/**
 * stamp_smtp_client_get_tls_cipher:
 * @self: a #StampSmtpClient
 *
 * Returns: (nullable): the cipher of the last send ("AES-256-GCM")
 */
const char *
stamp_smtp_client_get_tls_cipher (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->tls_cipher;
}

/**
 * stamp_smtp_client_get_tls_certificates:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): a summary of each certificate the
 *   server showed in the last send
 */
const char * const *
stamp_smtp_client_get_tls_certificates (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return (const char * const *) self->tls_certificates;
}

/**
 * stamp_smtp_client_get_used_mechanism:
 * @self: a #StampSmtpClient
 *
 * Returns: the mechanism the last send signed in with, or
 *   %STAMP_AUTH_NONE
 */
StampAuthMechanism
stamp_smtp_client_get_used_mechanism (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), STAMP_AUTH_NONE);

  return self->used_mechanism;
}

/**
 * stamp_smtp_client_get_round_trips:
 * @self: a #StampSmtpClient
 *
 * Returns: how many times the last send had to wait for the server after
 *   writing: the protocol's round trips, TCP and TLS records aside
 */
guint
stamp_smtp_client_get_round_trips (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->round_trips;
}

/**
 * stamp_smtp_client_get_elapsed:
 * @self: a #StampSmtpClient
 *
 * Returns: how long the last send took, in microseconds
 */
gint64
stamp_smtp_client_get_elapsed (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), 0);

  return self->elapsed;
}

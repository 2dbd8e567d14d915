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

#include "stamp-smtp-client-private.h"
#include "stamp-util.h"

enum {
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

enum {
  STEP_FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampSmtpClient, stamp_smtp_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* For stamp-smtp-client-send.c: a new run's result replaces the last. */
void
_stamp_smtp_client_set_result (StampSmtpClient *self,
                               StampSmtpResult *result)
{
  if (g_set_object (&self->result, result))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
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

  g_clear_pointer (&self->settings, stamp_smtp_settings_free);
  stamp_clear_secret (&self->secret);
  g_clear_object (&self->result);

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
    case PROP_RESULT:
      g_value_set_object (value, self->result);
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

  /**
   * StampSmtpClient:result:
   *
   * The #StampSmtpResult of the send or probe under way, or of the last
   * one: it changes when a run starts, so a view can follow the steps and
   * the transcript as they grow.
   */
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL,
                         STAMP_TYPE_SMTP_RESULT,
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
}

/**
 * stamp_smtp_client_new:
 * @settings: where and how to send
 *
 * Returns: (transfer full): a new client with a copy of @settings
 */
StampSmtpClient *
stamp_smtp_client_new (const StampSmtpSettings *settings)
{
  StampSmtpClient *self;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (STAMP_TYPE_SMTP_CLIENT, NULL);
  self->settings = stamp_smtp_settings_copy (settings);

  return self;
}

/**
 * stamp_smtp_client_get_settings:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none): the settings the next send uses
 */
const StampSmtpSettings *
stamp_smtp_client_get_settings (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->settings;
}

/**
 * stamp_smtp_client_set_settings:
 * @self: a #StampSmtpClient
 * @settings: where and how to send
 *
 * Replaces the settings with a copy of @settings for the next send; a send
 * under way keeps its own.
 */
void
stamp_smtp_client_set_settings (StampSmtpClient         *self,
                                const StampSmtpSettings *settings)
{
  g_return_if_fail (STAMP_IS_SMTP_CLIENT (self));
  g_return_if_fail (settings != NULL);

  if (settings == self->settings)
    return;

  stamp_smtp_settings_free (self->settings);
  self->settings = stamp_smtp_settings_copy (settings);
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
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return stamp_smtp_settings_describe (self->settings, self->secret != NULL,
                                       self->secret_is_token);
}

gboolean
stamp_smtp_client_get_busy (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), FALSE);

  return self->busy;
}

/**
 * stamp_smtp_client_get_result:
 * @self: a #StampSmtpClient
 *
 * Returns: (transfer none) (nullable): the result of the run under way or
 *   of the last one, or %NULL before the first
 */
StampSmtpResult *
stamp_smtp_client_get_result (StampSmtpClient *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_CLIENT (self), NULL);

  return self->result;
}

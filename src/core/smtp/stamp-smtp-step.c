/* stamp-smtp-step.c
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

#define G_LOG_DOMAIN "stamp-smtp-step"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-base-enums.h"
#include "stamp-smtp-enums.h"
#include "stamp-smtp-step.h"
#include "stamp-util.h"

/*
 * StampSmtpStep:
 *
 * One line of a test send's checklist: what is being done, whether it is
 * still running, how long it took and what came of it ("TLS 1.3,
 * AES-256-GCM"). The client updates steps on the caller's main context, so
 * a view can bind to the properties.
 */
struct _StampSmtpStep
{
  GObject parent_instance;

  /* Owned */
  char              *detail;

  StampSmtpStepKind  kind;
  StampStepState     state;
  gint64             duration;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_STATE,
  PROP_DURATION,
  PROP_DETAIL,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampSmtpStep, stamp_smtp_step, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
stamp_smtp_step_finalize (GObject *object)
{
  StampSmtpStep *self = (StampSmtpStep *)object;

  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (stamp_smtp_step_parent_class)->finalize (object);
}

static void
stamp_smtp_step_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StampSmtpStep *self = STAMP_SMTP_STEP (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_TITLE:
      g_value_set_string (value, stamp_smtp_step_get_title (self));
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_smtp_step_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StampSmtpStep *self = STAMP_SMTP_STEP (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_smtp_step_class_init (StampSmtpStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_smtp_step_finalize;
  object_class->get_property = stamp_smtp_step_get_property;
  object_class->set_property = stamp_smtp_step_set_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       STAMP_TYPE_SMTP_STEP_KIND, STAMP_SMTP_STEP_RESOLVE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       STAMP_TYPE_STEP_STATE, STAMP_STEP_RUNNING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DURATION] =
    g_param_spec_int64 ("duration", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_smtp_step_init (StampSmtpStep *self)
{
  self->state = STAMP_STEP_RUNNING;
}

StampSmtpStep *
stamp_smtp_step_new (StampSmtpStepKind kind)
{
  return g_object_new (STAMP_TYPE_SMTP_STEP, "kind", kind, NULL);
}

StampSmtpStepKind
stamp_smtp_step_get_kind (StampSmtpStep *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_STEP (self), 0);

  return self->kind;
}

const char *
stamp_smtp_step_get_title (StampSmtpStep *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_STEP (self), NULL);

  return stamp_smtp_step_kind_to_string (self->kind);
}

StampStepState
stamp_smtp_step_get_state (StampSmtpStep *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_STEP (self), 0);

  return self->state;
}

/**
 * stamp_smtp_step_get_duration:
 * @self: a #StampSmtpStep
 *
 * Returns: how long the step took, in microseconds (0 while running)
 */
gint64
stamp_smtp_step_get_duration (StampSmtpStep *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_STEP (self), 0);

  return self->duration;
}

/**
 * stamp_smtp_step_get_detail:
 * @self: a #StampSmtpStep
 *
 * Returns: (nullable): what came of the step, such as the server's reply
 */
const char *
stamp_smtp_step_get_detail (StampSmtpStep *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_STEP (self), NULL);

  return self->detail;
}

/**
 * stamp_smtp_step_finish:
 * @self: a #StampSmtpStep
 * @state: %STAMP_STEP_SUCCEEDED or %STAMP_STEP_FAILED
 * @duration: microseconds the step took
 * @detail: (nullable): what came of it
 *
 * Marks the step as done. Called by the client on the main context.
 */
void
stamp_smtp_step_finish (StampSmtpStep  *self,
                        StampStepState  state,
                        gint64          duration,
                        const char     *detail)
{
  g_return_if_fail (STAMP_IS_SMTP_STEP (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (self->duration != duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }

  if (stamp_set_str (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * stamp_smtp_step_kind_to_string:
 * @kind: a #StampSmtpStepKind
 *
 * Returns: a short, translated label for the step, as a checklist shows it
 */
const char *
stamp_smtp_step_kind_to_string (StampSmtpStepKind kind)
{
  switch (kind)
    {
    case STAMP_SMTP_STEP_RESOLVE:       return _("Look up server");
    case STAMP_SMTP_STEP_CONNECT:       return _("Connect");
    case STAMP_SMTP_STEP_GREETING:      return _("Server greeting");
    case STAMP_SMTP_STEP_EHLO:          return _("Introduce (EHLO)");
    case STAMP_SMTP_STEP_STARTTLS:      return _("Start encryption (STARTTLS)");
    case STAMP_SMTP_STEP_TLS_HANDSHAKE: return _("TLS handshake");
    case STAMP_SMTP_STEP_AUTH:          return _("Sign in (AUTH)");
    case STAMP_SMTP_STEP_MAIL:          return _("Sender (MAIL FROM)");
    case STAMP_SMTP_STEP_RCPT:          return _("Recipient (RCPT TO)");
    case STAMP_SMTP_STEP_DATA:          return _("Message (DATA)");
    case STAMP_SMTP_STEP_ACCEPTED:      return _("Message accepted");
    case STAMP_SMTP_STEP_GRAPH_TOKEN:   return _("Sign-in token");
    case STAMP_SMTP_STEP_GRAPH_REQUEST: return _("Request to Microsoft Graph");
    default:
      g_return_val_if_reached (NULL);
    }
}

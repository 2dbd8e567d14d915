/* stamp-candidate.c
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

#define G_LOG_DOMAIN "stamp-candidate"

#include "config.h"

#include "stamp-candidate.h"
#include "stamp-base-enums.h"
#include "stamp-discovery-enums.h"
#include "stamp-util.h"

/*
 * StampCandidate:
 *
 * One answer of settings discovery: a submission host, port and security,
 * where the answer came from, and one sentence saying why Stamp believes
 * it ("MX points to Microsoft 365"). Discovery ranks candidates by score.
 */
struct _StampCandidate
{
  GObject parent_instance;

  /* Owned */
  char                 *host;
  char                 *reason;
  char                 *provider_id;
  GStrv                 auth_methods;

  StampSecurity         security;
  StampDiscoverySource  source;
  guint16               port;
  int                   score;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_SOURCE,
  PROP_REASON,
  PROP_PROVIDER_ID,
  PROP_SCORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampCandidate, stamp_candidate, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
stamp_candidate_finalize (GObject *object)
{
  StampCandidate *self = (StampCandidate *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->auth_methods, g_strfreev);

  G_OBJECT_CLASS (stamp_candidate_parent_class)->finalize (object);
}

static void
stamp_candidate_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StampCandidate *self = STAMP_CANDIDATE (object);

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

    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;

    case PROP_SCORE:
      g_value_set_int (value, self->score);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_candidate_class_init (StampCandidateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_candidate_finalize;
  object_class->get_property = stamp_candidate_get_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       STAMP_TYPE_SECURITY, STAMP_SECURITY_STARTTLS,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       STAMP_TYPE_DISCOVERY_SOURCE, STAMP_DISCOVERY_SOURCE_PROVIDER,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SCORE] =
    g_param_spec_int ("score", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_candidate_init (StampCandidate *self)
{
}

/**
 * stamp_candidate_new:
 * @host: the submission host
 * @port: its port
 * @security: how to protect the connection
 * @source: where the answer came from
 * @reason: one translated sentence saying why
 *
 * Returns: (transfer full): a new candidate
 */
StampCandidate *
stamp_candidate_new (const char           *host,
                     guint16               port,
                     StampSecurity         security,
                     StampDiscoverySource  source,
                     const char           *reason)
{
  StampCandidate *self = g_object_new (STAMP_TYPE_CANDIDATE, NULL);

  self->host = g_ascii_strdown (host, -1);
  self->port = port;
  self->security = security;
  self->source = source;
  self->reason = g_strdup (reason);

  return self;
}

const char *
stamp_candidate_get_host (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), NULL);

  return self->host;
}

guint16
stamp_candidate_get_port (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), 0);

  return self->port;
}

StampSecurity
stamp_candidate_get_security (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), 0);

  return self->security;
}

StampDiscoverySource
stamp_candidate_get_source (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), 0);

  return self->source;
}

const char *
stamp_candidate_get_reason (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), NULL);

  return self->reason;
}

/**
 * stamp_candidate_get_provider_id:
 * @self: a #StampCandidate
 *
 * Returns: (nullable): the provider database id when the candidate belongs
 *   to a known provider
 */
const char *
stamp_candidate_get_provider_id (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), NULL);

  return self->provider_id;
}

void
stamp_candidate_set_provider_id (StampCandidate *self,
                                 const char     *provider_id)
{
  g_return_if_fail (STAMP_IS_CANDIDATE (self));

  if (stamp_set_str (&self->provider_id, provider_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_ID]);
}

/**
 * stamp_candidate_get_auth_methods:
 * @self: a #StampCandidate
 *
 * Returns: (transfer none) (nullable): the sign-in methods known to work
 *   here ("xoauth2", "plain", …), or %NULL when nothing is known
 */
const char * const *
stamp_candidate_get_auth_methods (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), NULL);

  return (const char * const *) self->auth_methods;
}

void
stamp_candidate_set_auth_methods (StampCandidate     *self,
                                  const char * const *methods)
{
  g_return_if_fail (STAMP_IS_CANDIDATE (self));

  g_clear_pointer (&self->auth_methods, g_strfreev);
  self->auth_methods = g_strdupv ((GStrv) methods);
}

int
stamp_candidate_get_score (StampCandidate *self)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), 0);

  return self->score;
}

void
stamp_candidate_set_score (StampCandidate *self,
                           int             score)
{
  g_return_if_fail (STAMP_IS_CANDIDATE (self));

  if (self->score == score)
    return;

  self->score = score;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
}

/**
 * stamp_candidate_same_endpoint:
 * @self: a #StampCandidate
 * @other: another
 *
 * Returns: %TRUE if both name the same host, port and security, so the
 *   better-sourced one stands for both
 */
gboolean
stamp_candidate_same_endpoint (StampCandidate *self,
                               StampCandidate *other)
{
  g_return_val_if_fail (STAMP_IS_CANDIDATE (self), FALSE);
  g_return_val_if_fail (STAMP_IS_CANDIDATE (other), FALSE);

  return self->port == other->port && self->security == other->security &&
         g_ascii_strcasecmp (self->host, other->host) == 0;
}

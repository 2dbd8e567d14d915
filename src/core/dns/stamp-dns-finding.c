/* stamp-dns-finding.c
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

#define G_LOG_DOMAIN "stamp-dns-finding"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-dns-finding.h"
#include "stamp-base-enums.h"
#include "stamp-dns-enums.h"

/*
 * StampDnsFinding:
 *
 * One result of a sender's DNS check: which record (SPF, DKIM or DMARC)
 * at which name, how it stands, the record as found, one plain sentence
 * about it and, when something is missing or wrong, the exact record to
 * publish instead.
 */
struct _StampDnsFinding
{
  GObject parent_instance;

  /* Owned */
  char               *name;
  char               *record;
  char               *message;
  char               *suggestion;

  StampDnsRecordKind  kind;
  StampDnsStatus      status;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_STATUS,
  PROP_NAME,
  PROP_RECORD,
  PROP_MESSAGE,
  PROP_SUGGESTION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampDnsFinding, stamp_dns_finding, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
stamp_dns_finding_finalize (GObject *object)
{
  StampDnsFinding *self = (StampDnsFinding *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->record, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->suggestion, g_free);

  G_OBJECT_CLASS (stamp_dns_finding_parent_class)->finalize (object);
}

static void
stamp_dns_finding_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StampDnsFinding *self = STAMP_DNS_FINDING (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_RECORD:
      g_value_set_string (value, self->record);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_SUGGESTION:
      g_value_set_string (value, self->suggestion);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_dns_finding_class_init (StampDnsFindingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_dns_finding_finalize;
  object_class->get_property = stamp_dns_finding_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       STAMP_TYPE_DNS_RECORD_KIND, STAMP_DNS_RECORD_SPF,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       STAMP_TYPE_DNS_STATUS, STAMP_DNS_STATUS_OK,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_RECORD] =
    g_param_spec_string ("record", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SUGGESTION] =
    g_param_spec_string ("suggestion", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_dns_finding_init (StampDnsFinding *self)
{
}

/**
 * stamp_dns_finding_new:
 * @kind: which record the finding is about
 * @status: how it stands
 * @name: the DNS name the record lives at, such as `_dmarc.example.com`
 * @record: (nullable): the record as found
 * @message: one translated sentence saying what it means
 * @suggestion: (nullable): the exact record to publish instead
 *
 * Returns: (transfer full): a new #StampDnsFinding
 */
StampDnsFinding *
stamp_dns_finding_new (StampDnsRecordKind  kind,
                       StampDnsStatus      status,
                       const char         *name,
                       const char         *record,
                       const char         *message,
                       const char         *suggestion)
{
  StampDnsFinding *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (STAMP_TYPE_DNS_FINDING, NULL);
  self->kind = kind;
  self->status = status;
  self->name = g_strdup (name);
  self->record = g_strdup (record);
  self->message = g_strdup (message);
  self->suggestion = g_strdup (suggestion);

  return self;
}

StampDnsRecordKind
stamp_dns_finding_get_kind (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), STAMP_DNS_RECORD_SPF);

  return self->kind;
}

StampDnsStatus
stamp_dns_finding_get_status (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), STAMP_DNS_STATUS_OK);

  return self->status;
}

const char *
stamp_dns_finding_get_name (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), NULL);

  return self->name;
}

/**
 * stamp_dns_finding_get_record:
 * @self: a #StampDnsFinding
 *
 * Returns: (nullable): the record as DNS gave it, its strings joined
 */
const char *
stamp_dns_finding_get_record (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), NULL);

  return self->record;
}

const char *
stamp_dns_finding_get_message (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), NULL);

  return self->message;
}

/**
 * stamp_dns_finding_get_suggestion:
 * @self: a #StampDnsFinding
 *
 * Returns: (nullable): the record to publish at the finding's name, when
 *   Stamp can tell it
 */
const char *
stamp_dns_finding_get_suggestion (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), NULL);

  return self->suggestion;
}

/**
 * stamp_dns_finding_needs_action:
 * @self: a #StampDnsFinding
 *
 * Returns: whether someone has to do something: fix or publish a record,
 *   or ask again once DNS answers
 */
gboolean
stamp_dns_finding_needs_action (StampDnsFinding *self)
{
  g_return_val_if_fail (STAMP_IS_DNS_FINDING (self), FALSE);

  return self->status != STAMP_DNS_STATUS_OK && self->status != STAMP_DNS_STATUS_UNCHECKED;
}

/**
 * stamp_dns_record_kind_to_string:
 * @kind: a #StampDnsRecordKind
 *
 * Returns: the record's usual name: SPF, DKIM or DMARC
 */
const char *
stamp_dns_record_kind_to_string (StampDnsRecordKind kind)
{
  switch (kind)
    {
    case STAMP_DNS_RECORD_SPF:   return "SPF";
    case STAMP_DNS_RECORD_DKIM:  return "DKIM";
    case STAMP_DNS_RECORD_DMARC: return "DMARC";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * stamp_dns_status_to_string:
 * @status: a #StampDnsStatus
 *
 * Returns: a short translated word for the status, as a list shows it
 */
const char *
stamp_dns_status_to_string (StampDnsStatus status)
{
  switch (status)
    {
    case STAMP_DNS_STATUS_OK:            return _("OK");
    case STAMP_DNS_STATUS_WARNING:       return _("Warning");
    case STAMP_DNS_STATUS_MISSING:       return _("Missing");
    case STAMP_DNS_STATUS_INVALID:       return _("Invalid");
    case STAMP_DNS_STATUS_LOOKUP_FAILED: return _("Lookup failed");
    case STAMP_DNS_STATUS_UNCHECKED:     return _("Not checked");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* stamp-tls-probe.c
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

#define G_LOG_DOMAIN "stamp-tls-probe"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-base-enums.h"
#include "stamp-error.h"
#include "stamp-tls-probe-private.h"
#include "stamp-util.h"

/*
 * StampTlsProbe:
 *
 * Finds which TLS versions (1.0 to 1.3) a submission server accepts, each
 * on its own connection with a handshake limited to that version, and
 * turns the answer into advice for devices such as printers and scanners,
 * whose firmware often stops at an old version. The certificate does not
 * decide whether a version counts as accepted; its verdict is kept apart.
 */
struct _StampTlsProbe
{
  GObject parent_instance;

  /* Owned: settings */
  char          *host;
  char          *ca_file;

  /* Owned: the last run */
  ProbeAttempt   attempts[STAMP_TLS_PROBE_N_VERSIONS];
  GStrv          certificates;
  GError        *certificate_error;
  char          *advice;

  StampSecurity  security;
  guint16        port;
  guint          timeout;
  gboolean       busy;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_BUSY,
  PROP_ADVICE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampTlsProbe, stamp_tls_probe, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Microsoft 365's client submission hosts (worldwide, and GCC High), where
 * a relay connector or Direct Send is the way around TLS 1.2. Outlook.com's
 * smtp-mail.outlook.com is not one: personal accounts have no connectors. */
static gboolean
is_microsoft_365_host (const char *host)
{
  static const char * const hosts[] = {
    "smtp.office365.com", "outlook.office365.com", "smtp.office365.us",
  };
  g_autofree char *name = g_ascii_strdown (host, -1);

  g_strchomp (name);
  if (g_str_has_suffix (name, "."))
    name[strlen (name) - 1] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      if (g_str_equal (name, hosts[i]))
        return TRUE;
    }

  return FALSE;
}

/* Who can submit here, in a sentence. */
static char *
describe_who (StampTlsProbe *self,
              int            lowest,
              int            highest,
              gboolean       untested_below)
{
  if (lowest < 0)
    return g_strdup_printf (_("No TLS version was accepted on %s port %u, so no device can "
                              "submit here with encryption."),
                            self->host, self->port);

  if (highest < STAMP_TLS_VERSION_1_2)
    {
      g_autofree char *range =
        lowest == highest ? g_strdup (stamp_tls_version_to_string (lowest))
                          /* Translators: a range of TLS versions, "1.0 to 1.1" */
                          : g_strdup_printf (_("%s to %s"), stamp_tls_version_to_string (lowest),
                                             stamp_tls_version_to_string (highest));

      return g_strdup_printf (_("Only devices that speak TLS %s can submit here; devices and "
                                "programs that require TLS 1.2 or newer cannot."),
                              range);
    }

  if (untested_below)
    return g_strdup_printf (_("Devices that speak TLS %s or newer can submit here; older versions "
                              "could not all be tested from this computer."),
                            stamp_tls_version_to_string (lowest));

  switch (lowest)
    {
    case STAMP_TLS_VERSION_1_0:
      return g_strdup (_("Devices that speak TLS 1.0 or newer can submit here, so even old "
                         "printers and scanners can."));

    case STAMP_TLS_VERSION_1_1:
      return g_strdup (_("Devices that speak TLS 1.1 or newer can submit here; a device that only "
                         "speaks TLS 1.0 cannot."));

    case STAMP_TLS_VERSION_1_2:
      return g_strdup (_("Only devices that speak TLS 1.2 or newer can submit here; a device that "
                         "only speaks TLS 1.0 or 1.1 cannot."));

    case STAMP_TLS_VERSION_1_3:
    default:
      return g_strdup (_("Only devices that speak TLS 1.3 can submit here; a device that stops at "
                         "TLS 1.2 or below, as most printers and scanners do, cannot."));
    }
}

/* What to do about the devices that cannot, in a sentence. */
static char *
describe_way_around (StampTlsProbe *self,
                     int            lowest,
                     int            highest)
{
  if (lowest < 0)
    return g_strdup (_("Check the port, and whether it expects STARTTLS or TLS from the first "
                       "byte."));

  if (highest < STAMP_TLS_VERSION_1_2)
    return g_strdup (_("TLS 1.0 and 1.1 are no longer safe: ask the server’s administrator to "
                       "turn on TLS 1.2."));

  if (lowest == STAMP_TLS_VERSION_1_0)
    return g_strdup (_("TLS 1.0 and 1.1 are weak: set devices that can do TLS 1.2 to use it."));

  if (is_microsoft_365_host (self->host))
    return g_strdup (_("For an older device, update its firmware, or use a Microsoft 365 relay "
                       "connector or Direct Send to your tenant’s MX host on port 25, or a local "
                       "relay: a small Postfix smarthost on the LAN that speaks old TLS to the "
                       "device and TLS 1.2 to Microsoft 365."));

  return g_strdup_printf (_("For an older device, update its firmware, or send through a local "
                            "relay: a small Postfix smarthost on the LAN that speaks old TLS to "
                            "the device and TLS %s or newer to this server."),
                          stamp_tls_version_to_string (lowest));
}

static char *
build_advice (StampTlsProbe *self)
{
  g_autofree char *who = NULL;
  g_autofree char *way_around = NULL;
  gboolean untested_below = FALSE;
  int lowest = -1;
  int highest = -1;

  for (int v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    {
      if (self->attempts[v].outcome == STAMP_TLS_PROBE_ACCEPTED)
        {
          lowest = lowest < 0 ? v : lowest;
          highest = v;
        }
      else if (lowest < 0 && self->attempts[v].outcome != STAMP_TLS_PROBE_REFUSED)
        untested_below = TRUE;
    }

  who = describe_who (self, lowest, highest, untested_below);
  way_around = describe_way_around (self, lowest, highest);

  /* Translators: two sentences of advice, one after the other */
  return g_strdup_printf (_("%s %s"), who, way_around);
}

static void
set_busy (StampTlsProbe *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
reset_results (StampTlsProbe *self)
{
  for (guint i = 0; i < STAMP_TLS_PROBE_N_VERSIONS; i++)
    _stamp_tls_probe_attempt_clear (&self->attempts[i]);
  g_clear_pointer (&self->certificates, g_strfreev);
  g_clear_error (&self->certificate_error);
  if (stamp_set_str (&self->advice, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADVICE]);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampTlsProbe *self = STAMP_TLS_PROBE (object);
  ProbeState *state = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  set_busy (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < STAMP_TLS_PROBE_N_VERSIONS; i++)
    {
      self->attempts[i] = state->attempts[i];
      memset (&state->attempts[i], 0, sizeof state->attempts[i]);
    }
  self->certificates = g_steal_pointer (&state->certificates);
  self->certificate_error = g_steal_pointer (&state->certificate_error);
  self->advice = build_advice (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADVICE]);

  g_task_return_boolean (task, TRUE);
}

static ProbeState *
probe_state_new (StampTlsProbe *self)
{
  ProbeState *state = g_new0 (ProbeState, 1);

  state->host = g_strdup (self->host);
  state->port = self->port;
  state->security = self->security;
  state->ca_file = g_strdup (self->ca_file);
  state->timeout = self->timeout;

  return state;
}

static void
stamp_tls_probe_finalize (GObject *object)
{
  StampTlsProbe *self = (StampTlsProbe *)object;

  for (guint i = 0; i < STAMP_TLS_PROBE_N_VERSIONS; i++)
    _stamp_tls_probe_attempt_clear (&self->attempts[i]);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->certificates, g_strfreev);
  g_clear_error (&self->certificate_error);
  g_clear_pointer (&self->advice, g_free);

  G_OBJECT_CLASS (stamp_tls_probe_parent_class)->finalize (object);
}

static void
stamp_tls_probe_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StampTlsProbe *self = STAMP_TLS_PROBE (object);

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

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    case PROP_ADVICE:
      g_value_set_string (value, self->advice);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_tls_probe_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StampTlsProbe *self = STAMP_TLS_PROBE (object);

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

    case PROP_CA_FILE:
      stamp_tls_probe_set_ca_file (self, g_value_get_string (value));
      break;

    case PROP_TIMEOUT:
      stamp_tls_probe_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_tls_probe_class_init (StampTlsProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_tls_probe_finalize;
  object_class->get_property = stamp_tls_probe_get_property;
  object_class->set_property = stamp_tls_probe_set_property;

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

  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, 3600, STAMP_TLS_PROBE_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ADVICE] =
    g_param_spec_string ("advice", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_tls_probe_init (StampTlsProbe *self)
{
  self->port = 587;
  self->timeout = STAMP_TLS_PROBE_DEFAULT_TIMEOUT;
}

/**
 * stamp_tls_probe_new:
 * @host: the submission server's host name or address
 * @port: its port, or 0 for the one that goes with @security
 * @security: %STAMP_SECURITY_STARTTLS or %STAMP_SECURITY_TLS
 *
 * Returns: (transfer full): a new probe
 */
StampTlsProbe *
stamp_tls_probe_new (const char    *host,
                     guint16        port,
                     StampSecurity  security)
{
  g_return_val_if_fail (host != NULL, NULL);

  return g_object_new (STAMP_TYPE_TLS_PROBE,
                       "host", host,
                       "port", (guint) (port != 0 ? port : stamp_security_default_port (security)),
                       "security", security,
                       NULL);
}

const char *
stamp_tls_probe_get_host (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);

  return self->host;
}

guint16
stamp_tls_probe_get_port (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), 0);

  return self->port;
}

StampSecurity
stamp_tls_probe_get_security (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), STAMP_SECURITY_STARTTLS);

  return self->security;
}

const char *
stamp_tls_probe_get_ca_file (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);

  return self->ca_file;
}

/**
 * stamp_tls_probe_set_ca_file:
 * @self: a #StampTlsProbe
 * @ca_file: (nullable): a PEM file of extra trusted authorities
 *
 * Only the certificate verdict depends on it: a version the server accepts
 * counts as accepted whether or not its certificate is trusted.
 */
void
stamp_tls_probe_set_ca_file (StampTlsProbe *self,
                             const char    *ca_file)
{
  g_return_if_fail (STAMP_IS_TLS_PROBE (self));

  if (stamp_set_str (&self->ca_file, ca_file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

guint
stamp_tls_probe_get_timeout (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), 0);

  return self->timeout;
}

/**
 * stamp_tls_probe_set_timeout:
 * @self: a #StampTlsProbe
 * @timeout: seconds one attempt may take, from connecting to the end of its
 *   handshake (and for the name lookup)
 */
void
stamp_tls_probe_set_timeout (StampTlsProbe *self,
                             guint          timeout)
{
  g_return_if_fail (STAMP_IS_TLS_PROBE (self));
  g_return_if_fail (timeout > 0);

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * stamp_tls_probe_run_async:
 * @self: a #StampTlsProbe
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the probe has ended
 * @user_data: data for @callback
 *
 * Tries TLS 1.0, 1.1, 1.2 and 1.3 one after the other in a worker thread,
 * each on a fresh connection, with its own deadline. With STARTTLS each
 * connection says EHLO and STARTTLS first; nothing is ever sent that signs
 * in or carries mail.
 */
void
stamp_tls_probe_run_async (StampTlsProbe       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (STAMP_IS_TLS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, stamp_tls_probe_run_async);

  if (self->busy)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A TLS probe is already under way"));
      return;
    }

  if (self->security == STAMP_SECURITY_NONE)
    {
      g_task_return_new_error (outer, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                               _("A TLS probe needs STARTTLS or TLS, not an unencrypted "
                                 "connection"));
      return;
    }

  reset_results (self);
  set_busy (self, TRUE);

  worker = g_task_new (self, cancellable, run_done_cb, g_steal_pointer (&outer));
  g_task_set_source_tag (worker, _stamp_tls_probe_run);
  g_task_set_task_data (worker, probe_state_new (self),
                        (GDestroyNotify) _stamp_tls_probe_state_free);
  g_task_run_in_thread (worker, _stamp_tls_probe_run);
}

/**
 * stamp_tls_probe_run_finish:
 * @self: a #StampTlsProbe
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * A probe succeeds once any version got as far as a handshake, whatever
 * the server answered; it fails when the server could not be reached, or
 * when something before TLS (the greeting, STARTTLS) failed.
 *
 * Returns: %TRUE when the outcomes and advice are there to read
 */
gboolean
stamp_tls_probe_run_finish (StampTlsProbe  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_tls_probe_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * stamp_tls_probe_get_outcome:
 * @self: a #StampTlsProbe
 * @version: a TLS version
 *
 * Returns: what the last run found for @version
 */
StampTlsProbeOutcome
stamp_tls_probe_get_outcome (StampTlsProbe   *self,
                             StampTlsVersion  version)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), STAMP_TLS_PROBE_NOT_RUN);
  g_return_val_if_fail (version <= STAMP_TLS_VERSION_1_3, STAMP_TLS_PROBE_NOT_RUN);

  return self->attempts[version].outcome;
}

/**
 * stamp_tls_probe_get_cipher:
 * @self: a #StampTlsProbe
 * @version: a TLS version
 *
 * Returns: (nullable): the cipher negotiated ("AES-256-GCM") when @version
 *   was accepted
 */
const char *
stamp_tls_probe_get_cipher (StampTlsProbe   *self,
                            StampTlsVersion  version)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);
  g_return_val_if_fail (version <= STAMP_TLS_VERSION_1_3, NULL);

  return self->attempts[version].cipher;
}

/**
 * stamp_tls_probe_get_message:
 * @self: a #StampTlsProbe
 * @version: a TLS version
 *
 * Returns: (nullable): why @version was refused, not tested or failed, in
 *   words a person can read
 */
const char *
stamp_tls_probe_get_message (StampTlsProbe   *self,
                             StampTlsVersion  version)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);
  g_return_val_if_fail (version <= STAMP_TLS_VERSION_1_3, NULL);

  return self->attempts[version].message;
}

/**
 * stamp_tls_probe_get_certificates:
 * @self: a #StampTlsProbe
 *
 * Returns: (transfer none) (nullable): the certificates the server showed
 *   in its first accepted handshake, its own first; %NULL when none was
 *   accepted
 */
const char * const *
stamp_tls_probe_get_certificates (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);

  return (const char * const *) self->certificates;
}

/**
 * stamp_tls_probe_get_certificate_error:
 * @self: a #StampTlsProbe
 *
 * Returns: (transfer none) (nullable): why the server's certificate is not
 *   trusted (a %STAMP_ERROR_CERT_… code); %NULL when it is trusted, or when
 *   no handshake was accepted (then stamp_tls_probe_get_certificates() is
 *   %NULL too)
 */
const GError *
stamp_tls_probe_get_certificate_error (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);

  return self->certificate_error;
}

/**
 * stamp_tls_probe_get_advice:
 * @self: a #StampTlsProbe
 *
 * Returns: (nullable): one or two translated sentences on which devices can
 *   submit to this server, and what the others can do; %NULL until a run
 *   has succeeded
 */
const char *
stamp_tls_probe_get_advice (StampTlsProbe *self)
{
  g_return_val_if_fail (STAMP_IS_TLS_PROBE (self), NULL);

  return self->advice;
}

/**
 * stamp_tls_probe_outcome_to_string:
 * @outcome: a #StampTlsProbeOutcome
 *
 * Returns: a stable, untranslated name for scripts ("accepted", "refused",
 *   "unavailable", "error", "not-run")
 */
const char *
stamp_tls_probe_outcome_to_string (StampTlsProbeOutcome outcome)
{
  switch (outcome)
    {
    case STAMP_TLS_PROBE_NOT_RUN:     return "not-run";
    case STAMP_TLS_PROBE_ACCEPTED:    return "accepted";
    case STAMP_TLS_PROBE_REFUSED:     return "refused";
    case STAMP_TLS_PROBE_UNAVAILABLE: return "unavailable";
    case STAMP_TLS_PROBE_ERROR:       return "error";
    default:                          g_return_val_if_reached (NULL);
    }
}

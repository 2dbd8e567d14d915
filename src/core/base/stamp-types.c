/* stamp-types.c
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

#define G_LOG_DOMAIN "stamp-types"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-types.h"

/* The names used on the command line and in account files. They are not
 * translated; stamp_security_to_label() gives the words a person reads. */
static const char * const security_names[] = { "starttls", "tls", "none" };
static const char * const auth_names[] = {
  "auto", "none", "plain", "login", "xoauth2", "oauthbearer",
};
static const char * const tls_version_names[] = { "1.0", "1.1", "1.2", "1.3" };
static const char * const send_method_names[] = { "smtp", "graph" };

static gboolean
lookup_name (const char         *str,
             const char * const *names,
             guint               n_names,
             int                *value)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (str, names[i]) == 0)
        {
          *value = (int) i;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
stamp_security_from_string (const char    *str,
                            StampSecurity *security)
{
  int value;

  if (!lookup_name (str, security_names, G_N_ELEMENTS (security_names), &value))
    return FALSE;

  *security = (StampSecurity) value;
  return TRUE;
}

const char *
stamp_security_to_string (StampSecurity security)
{
  g_return_val_if_fail (security <= STAMP_SECURITY_NONE, NULL);

  return security_names[security];
}

/**
 * stamp_security_to_label:
 * @security: a #StampSecurity
 *
 * Names @security for a person, in the app and in messages: “STARTTLS”,
 * “TLS” (TLS from the first byte, RFC 8314) or “No encryption”.
 * Unlike stamp_security_to_string(), the label is translated and is not
 * meant to be read back.
 *
 * Returns: (transfer none): the translated label
 */
const char *
stamp_security_to_label (StampSecurity security)
{
  switch (security)
    {
    case STAMP_SECURITY_STARTTLS:
      return _("STARTTLS");

    case STAMP_SECURITY_TLS:
      return _("TLS");

    case STAMP_SECURITY_NONE:
      return _("No encryption");

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * stamp_security_default_port:
 * @security: a #StampSecurity
 *
 * Returns: the submission port that goes with @security: 465 for implicit
 *   TLS (RFC 8314), 587 otherwise (RFC 6409).
 */
guint16
stamp_security_default_port (StampSecurity security)
{
  return security == STAMP_SECURITY_TLS ? 465 : 587;
}

gboolean
stamp_auth_mechanism_from_string (const char         *str,
                                  StampAuthMechanism *mechanism)
{
  int value;

  if (!lookup_name (str, auth_names, G_N_ELEMENTS (auth_names), &value))
    return FALSE;

  *mechanism = (StampAuthMechanism) value;
  return TRUE;
}

const char *
stamp_auth_mechanism_to_string (StampAuthMechanism mechanism)
{
  g_return_val_if_fail (mechanism <= STAMP_AUTH_OAUTHBEARER, NULL);

  return auth_names[mechanism];
}

gboolean
stamp_tls_version_from_string (const char      *str,
                               StampTlsVersion *version)
{
  int value;

  if (!lookup_name (str, tls_version_names, G_N_ELEMENTS (tls_version_names), &value))
    return FALSE;

  *version = (StampTlsVersion) value;
  return TRUE;
}

const char *
stamp_tls_version_to_string (StampTlsVersion version)
{
  g_return_val_if_fail (version <= STAMP_TLS_VERSION_1_3, NULL);

  return tls_version_names[version];
}

gboolean
stamp_send_method_from_string (const char      *str,
                               StampSendMethod *method)
{
  int value;

  if (!lookup_name (str, send_method_names, G_N_ELEMENTS (send_method_names), &value))
    return FALSE;

  *method = (StampSendMethod) value;
  return TRUE;
}

const char *
stamp_send_method_to_string (StampSendMethod method)
{
  g_return_val_if_fail (method <= STAMP_SEND_METHOD_GRAPH, NULL);

  return send_method_names[method];
}

/**
 * stamp_send_method_to_label:
 * @method: a #StampSendMethod
 *
 * Names @method for a person: “SMTP” or “Microsoft Graph”. Unlike
 * stamp_send_method_to_string(), the label is translated.
 *
 * Returns: (transfer none): the translated label
 */
const char *
stamp_send_method_to_label (StampSendMethod method)
{
  switch (method)
    {
    case STAMP_SEND_METHOD_SMTP:
      /* TRANSLATORS: the sending method, mail submission over SMTP */
      return _("SMTP");

    case STAMP_SEND_METHOD_GRAPH:
      /* TRANSLATORS: the sending method; a product name */
      return _("Microsoft Graph");

    default:
      g_return_val_if_reached (NULL);
    }
}

/* %TRUE for the mechanisms that carry an OAuth access token rather than a
 * password: what sends with a token, what refreshes, what exports call
 * `stamp-cli token` for. */
gboolean
stamp_auth_mechanism_is_oauth (StampAuthMechanism mechanism)
{
  return mechanism == STAMP_AUTH_XOAUTH2 || mechanism == STAMP_AUTH_OAUTHBEARER;
}

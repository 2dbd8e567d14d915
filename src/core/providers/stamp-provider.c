/* stamp-provider.c
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

#define G_LOG_DOMAIN "stamp-provider"

#include "config.h"

#include <string.h>

#include "stamp-provider-private.h"

/* The limits a provider may document, as named in the JSON. A limit the
 * provider does not document is left out and reads as -1. */
const char * const _stamp_provider_limit_names[N_LIMITS] = {
  "messages_per_minute",
  "messages_per_day",
  "recipients_per_day",
  "recipients_per_message",
  "max_message_bytes",
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampProvider, stamp_provider, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
endpoint_clear (gpointer data)
{
  StampEndpoint *endpoint = data;

  g_clear_pointer (&endpoint->host, g_free);
}

/* Also the autoptr cleanup of stamp-provider-json.c, which builds one. */
void
_stamp_provider_oauth_free (StampProviderOAuth *oauth)
{
  g_free (oauth->authorize_url);
  g_free (oauth->token_url);
  g_free (oauth->device_url);
  g_strfreev (oauth->scopes);
  g_free (oauth->tenant);
  g_free (oauth->registration);
  g_strfreev (oauth->authorize_params);
  g_free (oauth->graph_url);
  g_strfreev (oauth->graph_scopes);
  g_free (oauth);
}

/* Host names, domains and MX patterns are kept in lower-case ASCII (the
 * A-label form for IDNs), so that lookups compare bytes. @wildcards allows
 * the glob characters '*' and '?'. Returns %NULL for anything else.
 *
 * Shared by the parser, which stores names this way, and
 * stamp_provider_matches_mx(), which must read a host the same way. */
char *
_stamp_provider_normalize_name (const char *name,
                                gboolean    wildcards)
{
  g_autofree char *ascii = wildcards ? g_strdup (name) : g_hostname_to_ascii (name);
  g_autofree char *lower = NULL;

  if (ascii == NULL || *ascii == '\0' || *ascii == '.')
    return NULL;

  lower = g_ascii_strdown (ascii, -1);

  for (const char *p = lower; *p != '\0'; p++)
    {
      gboolean ok = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-' || *p == '.'
                    || (wildcards && (*p == '*' || *p == '?'));

      if (!ok || (p[0] == '.' && (p[1] == '.' || p[1] == '\0')))
        return NULL;
    }

  return g_steal_pointer (&lower);
}

static void
stamp_provider_finalize (GObject *object)
{
  StampProvider *self = (StampProvider *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->domains, g_strfreev);
  g_clear_pointer (&self->domain_suffixes, g_strfreev);
  g_clear_pointer (&self->mx_patterns, g_strfreev);
  g_clear_pointer (&self->mx_specs, g_ptr_array_unref);
  g_clear_pointer (&self->endpoints, g_array_unref);
  g_clear_pointer (&self->oauth, _stamp_provider_oauth_free);
  g_clear_pointer (&self->notes, g_strfreev);

  G_OBJECT_CLASS (stamp_provider_parent_class)->finalize (object);
}

static void
stamp_provider_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  StampProvider *self = STAMP_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_provider_class_init (StampProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_provider_finalize;
  object_class->get_property = stamp_provider_get_property;

  /**
   * StampProvider:id:
   *
   * The stable identifier, such as `microsoft365`, that account files store.
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * StampProvider:name:
   *
   * The provider's name as people know it, such as “Microsoft 365”.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_provider_init (StampProvider *self)
{
  self->endpoints = g_array_new (FALSE, TRUE, sizeof (StampEndpoint));
  g_array_set_clear_func (self->endpoints, endpoint_clear);
  self->mx_specs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_pattern_spec_free);

  for (guint i = 0; i < N_LIMITS; i++)
    self->limits[i] = -1;
}

/**
 * stamp_provider_get_id:
 * @self: a #StampProvider
 *
 * Returns: the stable identifier, such as `microsoft365`
 */
const char *
stamp_provider_get_id (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return self->id;
}

/**
 * stamp_provider_get_name:
 * @self: a #StampProvider
 *
 * Returns: the provider's name, such as “Microsoft 365”
 */
const char *
stamp_provider_get_name (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return self->name;
}

/**
 * stamp_provider_get_domains:
 * @self: a #StampProvider
 *
 * The mail domains that belong to the provider, in lower-case ASCII. A
 * provider that hosts its customers' own domains (Microsoft 365) may list
 * none; it is recognised by its MX hosts instead.
 *
 * Returns: (transfer none) (array zero-terminated=1): the domains
 */
const char * const *
stamp_provider_get_domains (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return (const char * const *) self->domains;
}

/**
 * stamp_provider_get_domain_suffixes:
 * @self: a #StampProvider
 *
 * The parent domains under which every mail domain belongs to the
 * provider, such as `onmicrosoft.com`: each tenant gets a domain of its
 * own below it, and only the provider hands them out.
 *
 * Returns: (transfer none) (array zero-terminated=1): the suffixes, in
 *   lower-case ASCII
 */
const char * const *
stamp_provider_get_domain_suffixes (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return (const char * const *) self->domain_suffixes;
}

/**
 * stamp_provider_get_mx_patterns:
 * @self: a #StampProvider
 *
 * Shell-style globs (`*` and `?`) for the provider's MX hosts, in
 * lower-case ASCII.
 *
 * Returns: (transfer none) (array zero-terminated=1): the patterns
 */
const char * const *
stamp_provider_get_mx_patterns (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return (const char * const *) self->mx_patterns;
}

/**
 * stamp_provider_get_n_endpoints:
 * @self: a #StampProvider
 *
 * Returns: how many submission endpoints the provider has; at least one
 */
guint
stamp_provider_get_n_endpoints (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), 0);

  return self->endpoints->len;
}

/**
 * stamp_provider_get_endpoint:
 * @self: a #StampProvider
 * @position: the endpoint's position; 0 is the preferred one
 *
 * Returns: (transfer none) (nullable): the endpoint, or %NULL if @position is
 *   not below stamp_provider_get_n_endpoints()
 */
const StampEndpoint *
stamp_provider_get_endpoint (StampProvider *self,
                             guint          position)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  if (position >= self->endpoints->len)
    return NULL;

  return &g_array_index (self->endpoints, StampEndpoint, position);
}

/**
 * stamp_provider_supports_auth:
 * @self: a #StampProvider
 * @mechanism: a SASL mechanism
 *
 * Whether the provider accepts @mechanism for submission. %STAMP_AUTH_AUTO
 * and %STAMP_AUTH_NONE are choices of an account, so they are never
 * "supported" here.
 *
 * Returns: %TRUE if the provider lists @mechanism
 */
gboolean
stamp_provider_supports_auth (StampProvider      *self,
                              StampAuthMechanism  mechanism)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), FALSE);

  if (mechanism > STAMP_AUTH_OAUTHBEARER)
    return FALSE;

  return (self->auth_mechanisms & (1u << mechanism)) != 0;
}

/**
 * stamp_provider_needs_app_password:
 * @self: a #StampProvider
 *
 * Whether signing in with a password (PLAIN or LOGIN) takes an app password
 * generated in the provider's account settings rather than the account's
 * own password.
 *
 * Returns: %TRUE if an app password is needed
 */
gboolean
stamp_provider_needs_app_password (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), FALSE);

  return self->needs_app_password;
}

/**
 * stamp_provider_get_oauth:
 * @self: a #StampProvider
 *
 * Returns: (transfer none) (nullable): the OAuth endpoints and scopes, or
 *   %NULL if the provider has no OAuth sign-in Stamp can use
 */
const StampProviderOAuth *
stamp_provider_get_oauth (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return self->oauth;
}

/**
 * stamp_provider_supports_graph:
 * @self: a #StampProvider
 *
 * Says whether accounts of @self can send through Microsoft Graph's
 * sendMail instead of SMTP: the provider's OAuth entry names a Graph
 * address and its scopes.
 *
 * Returns: %TRUE for Microsoft 365 (every cloud) and Outlook.com
 */
gboolean
stamp_provider_supports_graph (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), FALSE);

  return self->oauth != NULL && self->oauth->graph_url != NULL;
}

/**
 * stamp_provider_get_limit:
 * @self: a #StampProvider
 * @name: a limit as named in the JSON: `messages_per_minute`,
 *   `messages_per_day`, `recipients_per_day`, `recipients_per_message` or
 *   `max_message_bytes`
 *
 * Returns: the documented limit, or -1 if the provider does not document it
 *   or @name is not a known limit
 */
gint64
stamp_provider_get_limit (StampProvider *self,
                          const char    *name)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < N_LIMITS; i++)
    {
      if (strcmp (name, _stamp_provider_limit_names[i]) == 0)
        return self->limits[i];
    }

  return -1;
}

/**
 * stamp_provider_get_notes:
 * @self: a #StampProvider
 *
 * Short English sentences for someone setting the provider up, such as
 * where to create an app password.
 *
 * Returns: (transfer none) (array zero-terminated=1): the notes
 */
const char * const *
stamp_provider_get_notes (StampProvider *self)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER (self), NULL);

  return (const char * const *) self->notes;
}

/**
 * stamp_provider_matches_mx:
 * @self: a #StampProvider
 * @mx_host: an MX host name, as DNS returned it
 *
 * Matches @mx_host against the provider's MX patterns, ignoring case and a
 * trailing dot.
 *
 * Returns: %TRUE if one of the patterns matches
 */
gboolean
stamp_provider_matches_mx (StampProvider *self,
                           const char    *mx_host)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (STAMP_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (mx_host != NULL, FALSE);

  /* The root label's dot is part of the name DNS returns, not of the host. */
  trimmed = g_strndup (mx_host, strlen (mx_host) - g_str_has_suffix (mx_host, "."));
  host = _stamp_provider_normalize_name (trimmed, FALSE);

  for (guint i = 0; host != NULL && i < self->mx_specs->len; i++)
    {
      if (g_pattern_spec_match_string (g_ptr_array_index (self->mx_specs, i), host))
        return TRUE;
    }

  return FALSE;
}

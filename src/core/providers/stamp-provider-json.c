/* stamp-provider-json.c
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

/* StampProvider's strict parser: one element of providers.json to a
 * provider, or an error naming the provider and the member at fault. */

#define G_LOG_DOMAIN "stamp-provider"

#include "config.h"

#include <string.h>

#include "stamp-error.h"
#include "stamp-provider-private.h"
#include "stamp-util.h"

static const char * const provider_members[] = {
  "id", "name", "domains", "domain_suffixes", "mx_patterns", "submission", "auth", "oauth",
  "limits", "notes", NULL,
};
static const char * const endpoint_members[] = { "host", "port", "security", NULL };
static const char * const oauth_members[] = {
  "authorize", "token", "device", "scopes", "tenant", "registration", "authorize_params", "graph",
  NULL,
};
static const char * const graph_members[] = { "url", "scopes", NULL };
static const char * const registrations[] = {
  "microsoft", "microsoft-usgov", "microsoft-china", "google", NULL,
};

/* The database ships with Stamp, so a parse error is a packaging bug for a
 * developer to read, not a message for the person using the app: these
 * texts are not marked for translation. The member is named by its path,
 * such as "submission[1].port": @member inside @where, if given. */
G_GNUC_PRINTF (5, 6)
static gboolean
fail (StampProvider  *self,
      GError        **error,
      const char     *where,
      const char     *member,
      const char     *format,
      ...)
{
  g_autofree char *path = where ? g_strdup_printf ("%s.%s", where, member) : g_strdup (member);
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->id == NULL)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 "Provider without an id, member “%s”: %s", path, detail);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 "Provider “%s”, member “%s”: %s", self->id, path, detail);

  return FALSE;
}

/* Unknown members are refused, so that a misspelt one is not silently
 * ignored. @where is the path of @object, or %NULL for the provider. */
static gboolean
check_members (StampProvider       *self,
               JsonObject          *object,
               const char          *where,
               const char * const  *known,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        return fail (self, error, where, l->data, "unknown member");
    }

  return TRUE;
}

static gboolean
node_holds (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Sets *@out to a copy of a non-empty string member, or to %NULL when an
 * optional member is absent. */
static gboolean
get_string (StampProvider  *self,
            JsonObject     *object,
            const char     *where,
            const char     *member,
            gboolean        required,
            char          **out,
            GError        **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? fail (self, error, where, member, "is missing") : TRUE;
  if (!node_holds (node, G_TYPE_STRING))
    return fail (self, error, where, member, "must be a string");
  if (*json_node_get_string (node) == '\0')
    return fail (self, error, where, member, "must not be empty");

  *out = json_node_dup_string (node);
  return TRUE;
}

/* Sets *@out to the non-empty strings of an array member; an absent
 * optional member reads as an empty array. */
static gboolean
get_strv (StampProvider  *self,
          JsonObject     *object,
          const char     *where,
          const char     *member,
          gboolean        required,
          GStrv          *out,
          GError        **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = NULL;

  if (node == NULL && required)
    return fail (self, error, where, member, "is missing");
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return fail (self, error, where, member, "must be an array of strings");

  if (node != NULL)
    array = json_node_get_array (node);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_holds (element, G_TYPE_STRING) || *json_node_get_string (element) == '\0')
        return fail (self, error, where, member, "element %u must be a non-empty string", i);

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_names (StampProvider  *self,
             JsonObject     *object,
             const char     *member,
             gboolean        wildcards,
             GStrv          *out,
             GError        **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!get_strv (self, object, NULL, member, FALSE, &names, error))
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *normal = _stamp_provider_normalize_name (names[i], wildcards);

      if (normal == NULL)
        return fail (self, error, NULL, member, "“%s” is not a valid %s", names[i],
                     wildcards ? "host name pattern" : "domain");
      if (g_hash_table_contains (seen, normal))
        return fail (self, error, NULL, member, "“%s” is listed twice", names[i]);

      g_strv_builder_add (builder, normal);
      g_hash_table_add (seen, g_steal_pointer (&normal));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
parse_endpoint (StampProvider  *self,
                JsonNode       *node,
                const char     *where,
                StampEndpoint  *endpoint,
                GError        **error)
{
  g_autofree char *normal_host = NULL;
  g_autofree char *security = NULL;
  JsonObject *object;
  JsonNode *port;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (self, error, NULL, where, "must be an object");

  object = json_node_get_object (node);

  if (!check_members (self, object, where, endpoint_members, error)
      || !get_string (self, object, where, "host", TRUE, &endpoint->host, error)
      || !get_string (self, object, where, "security", TRUE, &security, error))
    return FALSE;

  normal_host = _stamp_provider_normalize_name (endpoint->host, FALSE);
  if (normal_host == NULL && !g_hostname_is_ip_address (endpoint->host))
    return fail (self, error, where, "host", "“%s” is not a host name or IP address",
                 endpoint->host);

  port = json_object_get_member (object, "port");
  if (port == NULL)
    return fail (self, error, where, "port", "is missing");
  if (!node_holds (port, G_TYPE_INT64)
      || json_node_get_int (port) < 1
      || json_node_get_int (port) > G_MAXUINT16)
    return fail (self, error, where, "port", "must be an integer from 1 to 65535");

  endpoint->port = (guint16) json_node_get_int (port);

  /* Only the exact names the account files use, so that a typo such as
   * "StartTLS" is caught here rather than passing by case-folding. */
  if (!stamp_security_from_string (security, &endpoint->security)
      || strcmp (stamp_security_to_string (endpoint->security), security) != 0)
    return fail (self, error, where, "security", "“%s” is not one of starttls, tls or none",
                 security);

  return TRUE;
}

static gboolean
parse_endpoints (StampProvider  *self,
                 JsonObject     *object,
                 GError        **error)
{
  JsonNode *node = json_object_get_member (object, "submission");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (self, error, NULL, "submission", "must be an array of endpoints");

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return fail (self, error, NULL, "submission", "must list at least one endpoint");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("submission[%u]", i);
      StampEndpoint endpoint = { NULL, 0, STAMP_SECURITY_STARTTLS };

      /* Appended first, so the array frees the host whatever happens. */
      g_array_append_val (self->endpoints, endpoint);

      if (!parse_endpoint (self, json_array_get_element (array, i), where,
                           &g_array_index (self->endpoints, StampEndpoint, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_auth (StampProvider  *self,
            JsonObject     *object,
            GError        **error)
{
  const guint app_password_bit = 1u << 31;
  g_auto(GStrv) names = NULL;

  if (!get_strv (self, object, NULL, "auth", TRUE, &names, error))
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      StampAuthMechanism mechanism;
      guint bit;

      /* "auto" and "none" are choices an account makes, not something a
       * provider offers; "app-password" qualifies plain and login. */
      if (strcmp (names[i], "app-password") == 0)
        bit = app_password_bit;
      else if (stamp_auth_mechanism_from_string (names[i], &mechanism)
               && strcmp (stamp_auth_mechanism_to_string (mechanism), names[i]) == 0
               && mechanism != STAMP_AUTH_AUTO
               && mechanism != STAMP_AUTH_NONE)
        bit = 1u << mechanism;
      else
        return fail (self, error, NULL, "auth",
                     "“%s” is not one of xoauth2, oauthbearer, plain, login or app-password",
                     names[i]);

      if (self->auth_mechanisms & bit)
        return fail (self, error, NULL, "auth", "“%s” is listed twice", names[i]);

      self->auth_mechanisms |= bit;
    }

  self->needs_app_password = (self->auth_mechanisms & app_password_bit) != 0;
  self->auth_mechanisms &= ~app_password_bit;

  if (self->auth_mechanisms == 0)
    return fail (self, error, NULL, "auth", "must list at least one mechanism");

  if (self->needs_app_password
      && !stamp_provider_supports_auth (self, STAMP_AUTH_PLAIN)
      && !stamp_provider_supports_auth (self, STAMP_AUTH_LOGIN))
    return fail (self, error, NULL, "auth", "app-password needs plain or login");

  return TRUE;
}

/* Fails unless @url, with {tenant} filled in, is an https URL with a host. */
static gboolean
check_url (StampProvider  *self,
           const char     *member,
           const char     *url,
           const char     *tenant,
           GError        **error)
{
  g_autoptr(GString) expanded = NULL;
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return TRUE;

  expanded = g_string_new (url);
  if (tenant != NULL)
    g_string_replace (expanded, "{tenant}", tenant, 0);

  uri = g_uri_parse (expanded->str, G_URI_FLAGS_NONE, NULL);

  if (strstr (expanded->str, "{tenant}") != NULL
      || uri == NULL
      || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0')
    return fail (self, error, "oauth", member,
                 "“%s” is not an https URL (with a default tenant if it has {tenant})", url);

  return TRUE;
}

/* Scopes go into a space-separated list: none may hold white space. */
static gboolean
check_scopes (StampProvider  *self,
              const char     *where,
              GStrv           scopes,
              GError        **error)
{
  if (scopes[0] == NULL)
    return fail (self, error, where, "scopes", "must list at least one scope");

  for (guint i = 0; scopes[i] != NULL; i++)
    {
      if (strpbrk (scopes[i], " \t\r\n") != NULL)
        return fail (self, error, where, "scopes", "“%s” contains white space", scopes[i]);
    }

  return TRUE;
}

/* "graph": { "url", "scopes" }: Microsoft Graph's sendMail for the
 * accounts whose SMTP AUTH is off. The scopes are one resource's (a token
 * is for one resource), and not the SMTP resource's. */
static gboolean
parse_graph (StampProvider       *self,
             JsonObject          *oauth_object,
             StampProviderOAuth  *oauth,
             GError             **error)
{
  JsonNode *node = json_object_get_member (oauth_object, "graph");
  g_autoptr(GUri) uri = NULL;
  JsonObject *members;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (self, error, "oauth", "graph", "must be an object");

  members = json_node_get_object (node);
  if (!check_members (self, members, "oauth.graph", graph_members, error)
      || !get_string (self, members, "oauth.graph", "url", TRUE, &oauth->graph_url, error)
      || !get_strv (self, members, "oauth.graph", "scopes", TRUE, &oauth->graph_scopes, error)
      || !check_scopes (self, "oauth.graph", oauth->graph_scopes, error))
    return FALSE;

  uri = g_uri_parse (oauth->graph_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL
      || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0'
      || g_uri_get_query (uri) != NULL)
    return fail (self, error, "oauth.graph", "url", "“%s” is not an https base URL",
                 oauth->graph_url);

  for (guint i = 0; oauth->graph_scopes[i] != NULL; i++)
    {
      if (g_strv_contains ((const char * const *) oauth->scopes, oauth->graph_scopes[i])
          && strstr (oauth->graph_scopes[i], "://") != NULL)
        return fail (self, error, "oauth.graph", "scopes",
                     "“%s” is an SMTP scope too; one token serves one resource",
                     oauth->graph_scopes[i]);
    }

  return TRUE;
}

static gboolean
parse_oauth (StampProvider  *self,
             JsonObject     *object,
             GError        **error)
{
  g_autoptr(StampProviderOAuth) oauth = g_new0 (StampProviderOAuth, 1);
  g_autofree char *tenant = NULL;
  JsonNode *node = json_object_get_member (object, "oauth");
  gboolean has_mechanism = stamp_provider_supports_auth (self, STAMP_AUTH_XOAUTH2)
                           || stamp_provider_supports_auth (self, STAMP_AUTH_OAUTHBEARER);
  JsonObject *members;

  /* A token is useless without a mechanism to present it, and the other
   * way round. */
  if (node == NULL && has_mechanism)
    return fail (self, error, NULL, "auth", "lists an OAuth mechanism but there is no oauth");
  if (node != NULL && !has_mechanism)
    return fail (self, error, NULL, "oauth", "is given but auth lists no OAuth mechanism");
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (self, error, NULL, "oauth", "must be an object");

  members = json_node_get_object (node);

  if (!check_members (self, members, "oauth", oauth_members, error)
      || !get_string (self, members, "oauth", "authorize", TRUE, &oauth->authorize_url, error)
      || !get_string (self, members, "oauth", "token", TRUE, &oauth->token_url, error)
      || !get_string (self, members, "oauth", "device", FALSE, &oauth->device_url, error)
      || !get_string (self, members, "oauth", "tenant", FALSE, &oauth->tenant, error)
      || !get_strv (self, members, "oauth", "scopes", TRUE, &oauth->scopes, error))
    return FALSE;

  /* A tenant is a name (organizations), a GUID or a domain: host name
   * characters, nothing that would change the URL's shape. */
  tenant = oauth->tenant != NULL ? _stamp_provider_normalize_name (oauth->tenant, FALSE) : NULL;
  if (oauth->tenant != NULL && tenant == NULL)
    return fail (self, error, "oauth", "tenant", "“%s” is not a tenant name", oauth->tenant);

  if (!check_url (self, "authorize", oauth->authorize_url, oauth->tenant, error)
      || !check_url (self, "token", oauth->token_url, oauth->tenant, error)
      || !check_url (self, "device", oauth->device_url, oauth->tenant, error))
    return FALSE;

  if (!check_scopes (self, "oauth", oauth->scopes, error)
      || !parse_graph (self, members, oauth, error))
    return FALSE;

  if (!get_string (self, members, "oauth", "registration", TRUE, &oauth->registration, error)
      || !get_strv (self, members, "oauth", "authorize_params", FALSE,
                    &oauth->authorize_params, error))
    return FALSE;

  if (!g_strv_contains (registrations, oauth->registration))
    return fail (self, error, "oauth", "registration", "“%s” is not one of microsoft, "
                 "microsoft-usgov, microsoft-china or google", oauth->registration);

  for (guint i = 0; oauth->authorize_params[i] != NULL; i++)
    {
      const char *param = oauth->authorize_params[i];

      if (strchr (param, '=') == NULL || param[0] == '=' || strpbrk (param, " \t\r\n&#") != NULL)
        return fail (self, error, "oauth", "authorize_params", "“%s” is not key=value", param);
    }

  self->oauth = g_steal_pointer (&oauth);
  return TRUE;
}

static gboolean
parse_limits (StampProvider  *self,
              JsonObject     *object,
              GError        **error)
{
  JsonNode *node = json_object_get_member (object, "limits");
  g_autoptr(GList) members = NULL;
  JsonObject *limits;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (self, error, NULL, "limits", "must be an object");

  limits = json_node_get_object (node);
  members = json_object_get_members (limits);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (limits, l->data);
      guint index = 0;

      while (index < N_LIMITS && strcmp (l->data, _stamp_provider_limit_names[index]) != 0)
        index++;

      if (index == N_LIMITS)
        return fail (self, error, "limits", l->data, "unknown limit");

      /* null says the same as leaving the limit out: not documented. */
      if (JSON_NODE_HOLDS_NULL (value))
        continue;

      if (!node_holds (value, G_TYPE_INT64) || json_node_get_int (value) < 1)
        return fail (self, error, "limits", l->data, "must be a positive integer or null");

      self->limits[index] = json_node_get_int (value);
    }

  return TRUE;
}

/**
 * stamp_provider_new_from_json:
 * @object: one element of the database's `providers` array
 * @error: return location for a #GError
 *
 * Parses one provider. Parsing is strict: an unknown member, a value of the
 * wrong type, an unknown security or mechanism, a port outside 1–65535, an
 * endpoint without a host or an OAuth URL that is not https all fail with
 * %STAMP_ERROR_INVALID_INPUT and a message naming the provider and member.
 *
 * Domains and MX patterns are stored in lower-case ASCII, IDNs in their
 * A-label form.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL on error
 */
StampProvider *
stamp_provider_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(StampProvider) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (STAMP_TYPE_PROVIDER, NULL);

  /* The id first, so that every later error can name the provider. */
  if (!get_string (self, object, NULL, "id", TRUE, &self->id, error))
    return NULL;

  if (strspn (self->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (self->id))
    {
      fail (self, error, NULL, "id", "must be lower-case letters, digits and dashes");
      return NULL;
    }

  if (!check_members (self, object, NULL, provider_members, error)
      || !get_string (self, object, NULL, "name", TRUE, &self->name, error)
      || !parse_names (self, object, "domains", FALSE, &self->domains, error)
      || !parse_names (self, object, "domain_suffixes", FALSE, &self->domain_suffixes, error)
      || !parse_names (self, object, "mx_patterns", TRUE, &self->mx_patterns, error)
      || !parse_endpoints (self, object, error)
      || !parse_auth (self, object, error)
      || !parse_oauth (self, object, error)
      || !parse_limits (self, object, error)
      || !get_strv (self, object, NULL, "notes", FALSE, &self->notes, error))
    return NULL;

  for (guint i = 0; self->mx_patterns[i] != NULL; i++)
    g_ptr_array_add (self->mx_specs, g_pattern_spec_new (self->mx_patterns[i]));

  stamp_translate_data_text (&self->name);
  stamp_translate_data_texts (self->notes);

  return g_steal_pointer (&self);
}

/* stamp-account-json.c
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

/* StampAccount in the account file: the members it is written as, and the
 * strict reading back that names the member at fault. stamp-account.c
 * holds the object and the checks both sides share. */

#define G_LOG_DOMAIN "stamp-account"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-account-private.h"
#include "stamp-error.h"

/* The members of an account in the account file, in the order they are
 * written (after “address”): the file's names, how an error names them, and
 * the property each one holds. The entry without a property is the object
 * that holds its group. */
typedef struct
{
  const char *group;
  const char *name;
  const char *path;
  guint       prop_id;
} Member;

static const Member members[] = {
  { NULL, "display_name", "display_name", PROP_DISPLAY_NAME },
  { NULL, "provider", "provider", PROP_PROVIDER_ID },
  { NULL, "method", "method", PROP_METHOD },
  { NULL, "graph_url", "graph_url", PROP_GRAPH_URL },
  { NULL, "host", "host", PROP_HOST },
  { NULL, "port", "port", PROP_PORT },
  { NULL, "security", "security", PROP_SECURITY },
  { NULL, "tls_min", "tls_min", PROP_TLS_MIN },
  { NULL, "auth", "auth", PROP_AUTH_MECHANISM },
  { NULL, "username", "username", PROP_USERNAME },
  { NULL, "oauth", "oauth", PROP_0 },
  { "oauth", "tenant", "oauth.tenant", PROP_OAUTH_TENANT },
  { "oauth", "client_id", "oauth.client_id", PROP_OAUTH_CLIENT_ID },
  { "oauth", "authority", "oauth.authority", PROP_OAUTH_AUTHORITY },
  { "oauth", "client_secret_expires", "oauth.client_secret_expires", PROP_CLIENT_SECRET_EXPIRES },
  { NULL, "ca_file", "ca_file", PROP_CA_FILE },
  { NULL, "ehlo_name", "ehlo_name", PROP_EHLO_NAME },
  { NULL, "last_test", "last_test", PROP_0 },
  { "last_test", "ok", "last_test.ok", PROP_LAST_TEST_OK },
  { "last_test", "at", "last_test.at", PROP_LAST_TEST_AT },
  { "last_test", "summary", "last_test.summary", PROP_LAST_TEST_SUMMARY },
};

/* Where the member that holds @prop_id sits in the file, such as
 * “oauth.authority”. */
static const char *
member_path (guint prop_id)
{
  if (prop_id == PROP_ADDRESS)
    return "address";

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (members[i].prop_id == prop_id)
        return members[i].path;
    }

  g_assert_not_reached ();
}

static void
set_member_error (GError     **error,
                  const char  *member,
                  const char  *reason)
{
  /* TRANSLATORS: the first %s is a member name in the account file, such
   * as “port”; the second says what is wrong with it */
  g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
               _("Account setting “%s”: %s"), member, reason);
}

static gboolean
read_port (StampAccount  *self,
           JsonNode      *node,
           GError       **error)
{
  g_autofree char *number = NULL;
  g_autofree char *reason = NULL;
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      set_member_error (error, "port", _("Expected a whole number from 0 to 65535"));
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < 0 || value > G_MAXUINT16)
    {
      number = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      reason = g_strdup_printf (_("%s is not a port number (0 to 65535)"), number);
      set_member_error (error, "port", reason);
      return FALSE;
    }

  stamp_account_set_port (self, (guint) value);
  return TRUE;
}

static gboolean
read_last_test_ok (StampAccount  *self,
                   JsonNode      *node,
                   GError       **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_member_error (error, "last_test.ok", _("Expected true or false"));
      return FALSE;
    }

  g_object_set (self, "last-test-ok", json_node_get_boolean (node), NULL);
  return TRUE;
}

/* An ISO 8601 time with its offset, as write_members() writes it. */
static gboolean
read_last_test_at (StampAccount  *self,
                   JsonNode      *node,
                   GError       **error)
{
  g_autoptr(GDateTime) time = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    time = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);

  if (time == NULL || g_date_time_to_unix (time) <= 0)
    {
      set_member_error (error, "last_test.at",
                        _("Expected a date and time such as “2026-03-14T09:30:00Z”"));
      return FALSE;
    }

  g_object_set (self, "last-test-at", g_date_time_to_unix (time), NULL);
  return TRUE;
}

/* A day, “2026-09-30”: a client secret's expiry as the Entra portal
 * shows it. */
static gboolean
read_client_secret_expires (StampAccount  *self,
                            JsonNode      *node,
                            GError       **error)
{
  g_autoptr(GDateTime) day = NULL;
  int year, month, date;
  char end;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && sscanf (json_node_get_string (node), "%4d-%2d-%2d%c", &year, &month, &date, &end) == 3
      && strlen (json_node_get_string (node)) == 10)
    day = g_date_time_new_utc (year, month, date, 0, 0, 0);

  if (day == NULL || g_date_time_to_unix (day) <= 0)
    {
      set_member_error (error, "oauth.client_secret_expires",
                        _("Expected a date such as “2026-09-30”"));
      return FALSE;
    }

  stamp_account_set_client_secret_expires (self, g_date_time_to_unix (day));
  return TRUE;
}

static gboolean
read_value (StampAccount  *self,
            const Member  *member,
            JsonNode      *node,
            GError       **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *reason = NULL;
  StampAuthMechanism mechanism;
  StampSendMethod method;
  StampSecurity security;
  StampTlsVersion tls_min;
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (member->prop_id == PROP_PORT)
    return read_port (self, node, error);

  if (member->prop_id == PROP_LAST_TEST_OK)
    return read_last_test_ok (self, node, error);

  if (member->prop_id == PROP_LAST_TEST_AT)
    return read_last_test_at (self, node, error);

  if (member->prop_id == PROP_CLIENT_SECRET_EXPIRES)
    return read_client_secret_expires (self, node, error);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_member_error (error, member->path, _("Expected a string"));
      return FALSE;
    }

  text = json_node_get_string (node);
  shown = g_strescape (text, NULL);

  switch (member->prop_id)
    {
    case PROP_SECURITY:
      if (stamp_security_from_string (text, &security))
        {
          stamp_account_set_security (self, security);
          return TRUE;
        }

      reason = g_strdup_printf (_("“%s” is not a kind of security Stamp knows "
                                  "(starttls, tls or none)"),
                                shown);
      break;

    case PROP_TLS_MIN:
      if (stamp_tls_version_from_string (text, &tls_min))
        {
          stamp_account_set_tls_min (self, tls_min);
          return TRUE;
        }

      reason = g_strdup_printf (_("“%s” is not a TLS version Stamp knows "
                                  "(1.0, 1.1, 1.2 or 1.3)"),
                                shown);
      break;

    case PROP_AUTH_MECHANISM:
      if (stamp_auth_mechanism_from_string (text, &mechanism))
        {
          stamp_account_set_auth_mechanism (self, mechanism);
          return TRUE;
        }

      reason = g_strdup_printf (_("“%s” is not a sign-in method Stamp knows "
                                  "(auto, none, plain, login, xoauth2 or oauthbearer)"),
                                shown);
      break;

    case PROP_METHOD:
      if (stamp_send_method_from_string (text, &method))
        {
          stamp_account_set_method (self, method);
          return TRUE;
        }

      reason = g_strdup_printf (_("“%s” is not a sending method Stamp knows "
                                  "(smtp or graph)"),
                                shown);
      break;

    default:
      _stamp_account_set_string (self, member->prop_id, text);
      return TRUE;
    }

  set_member_error (error, member->path, reason);
  return FALSE;
}

/* Reads the members of @group (NULL for the top level) from @object. */
static gboolean
read_members (StampAccount  *self,
              JsonObject    *object,
              const char    *group,
              GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const Member *member = &members[i];
      JsonNode *node;

      if (g_strcmp0 (member->group, group) != 0)
        continue;

      node = json_object_get_member (object, member->name);

      if (member->prop_id != PROP_0)
        {
          if (!read_value (self, member, node, error))
            return FALSE;
        }
      else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              set_member_error (error, member->path, _("Expected an object"));
              return FALSE;
            }

          if (!read_members (self, json_node_get_object (node), member->name, error))
            return FALSE;
        }
    }

  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Whether the object that holds @group has anything to write. */
static gboolean
group_is_set (StampAccount *self,
              const char   *group)
{
  if (g_str_equal (group, "last_test"))
    return self->last_test_at != 0;

  return self->oauth_tenant != NULL || self->oauth_client_id != NULL ||
         self->oauth_authority != NULL || self->client_secret_expires != 0;
}

/* Writes the members of @group (NULL for the top level), leaving out what
 * is not set. */
static void
write_members (StampAccount *self,
               JsonBuilder  *builder,
               const char   *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const Member *member = &members[i];

      if (g_strcmp0 (member->group, group) != 0)
        continue;

      switch (member->prop_id)
        {
        case PROP_0:
          if (!group_is_set (self, member->name))
            break;

          json_builder_set_member_name (builder, member->name);
          json_builder_begin_object (builder);
          write_members (self, builder, member->name);
          json_builder_end_object (builder);
          break;

        case PROP_PORT:
          json_builder_set_member_name (builder, member->name);
          json_builder_add_int_value (builder, self->port);
          break;

        case PROP_SECURITY:
          add_string (builder, member->name, stamp_security_to_string (self->security));
          break;

        case PROP_TLS_MIN:
          /* Left out when it is the default, so most files do not name it. */
          if (self->tls_min != STAMP_TLS_VERSION_1_2)
            add_string (builder, member->name, stamp_tls_version_to_string (self->tls_min));
          break;

        case PROP_AUTH_MECHANISM:
          add_string (builder, member->name,
                      stamp_auth_mechanism_to_string (self->auth_mechanism));
          break;

        case PROP_METHOD:
          /* Left out for SMTP, so files of SMTP accounts read as before. */
          if (self->method != STAMP_SEND_METHOD_SMTP)
            add_string (builder, member->name, stamp_send_method_to_string (self->method));
          break;

        case PROP_CLIENT_SECRET_EXPIRES:
          if (self->client_secret_expires != 0)
            {
              g_autoptr(GDateTime) day =
                g_date_time_new_from_unix_utc (self->client_secret_expires);
              g_autofree char *text = day != NULL ? g_date_time_format (day, "%Y-%m-%d") : NULL;

              add_string (builder, member->name, text);
            }
          break;

        case PROP_LAST_TEST_OK:
          json_builder_set_member_name (builder, member->name);
          json_builder_add_boolean_value (builder, self->last_test_ok);
          break;

        case PROP_LAST_TEST_AT:
          {
            g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (self->last_test_at);
            g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

            add_string (builder, member->name, text);
          }
          break;

        default:
          add_string (builder, member->name, *_stamp_account_string_field (self, member->prop_id));
        }
    }
}

/**
 * stamp_account_new_from_json:
 * @node: a JSON object as stamp_account_to_json() makes it
 * @error: return location for a #GError
 *
 * Reads an account from the account file. Reading is strict: a member of
 * the wrong type, an unknown security or sign-in name, or a value that
 * stamp_account_validate() refuses fails with %STAMP_ERROR_INVALID_INPUT
 * and a message naming the member (such as “oauth.authority”). Members
 * this version does not know are ignored, so a file written by a later
 * version with the same format still reads.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL with @error set
 */
StampAccount *
stamp_account_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(StampAccount) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *address;
  guint prop_id;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("An account must be a JSON object"));
      return NULL;
    }

  address = json_object_get_member (json_node_get_object (node), "address");
  if (address == NULL || !JSON_NODE_HOLDS_VALUE (address) ||
      json_node_get_value_type (address) != G_TYPE_STRING)
    {
      set_member_error (error, "address",
                        _("Missing or not a string; every account needs its email address"));
      return NULL;
    }

  self = stamp_account_new (json_node_get_string (address));

  if (!read_members (self, json_node_get_object (node), NULL, error))
    return NULL;

  if (!_stamp_account_check (self, &prop_id, &local_error))
    {
      set_member_error (error, member_path (prop_id), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * stamp_account_to_json:
 * @self: a #StampAccount
 *
 * Turns the account into the object the account file stores:
 * `address`, `display_name`, `provider`, `method` (only “graph”; SMTP is
 * the default), `graph_url`, `host`, `port`, `security`,
 * `tls_min`, `auth`, `username`, `oauth` (`tenant`, `client_id`,
 * `authority`, `client_secret_expires` as a day “2026-09-30”), `ca_file`, `ehlo_name` and `last_test` (`ok`, `at` as
 * ISO 8601 UTC, `summary`), leaving out settings that are not set and a `tls_min` of
 * “1.2”, the default. Security, lowest TLS version and sign-in method are
 * written as their stable names (“starttls”, “1.2”, “xoauth2”).
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
stamp_account_to_json (StampAccount *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  add_string (builder, "address", self->address);
  write_members (self, builder, NULL);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

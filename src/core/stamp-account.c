/* stamp-account.c
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

#define G_LOG_DOMAIN "stamp-account"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "stamp-account.h"
#include "stamp-enums.h"
#include "stamp-error.h"
#include "stamp-message.h"
#include "stamp-util.h"

/*
 * StampAccount:
 *
 * One sending identity: the address, the submission server and how to sign
 * in to it. It holds no secret; passwords and tokens live in the keyring,
 * found by the address. Every setting is a property, so a view can bind to
 * it, and an account turns into a JSON object for the account file and
 * back.
 */
struct _StampAccount
{
  GObject parent_instance;

  /* Owned */
  char               *address;
  char               *address_key;
  char               *display_name;
  char               *provider_id;
  char               *host;
  char               *username;
  char               *oauth_tenant;
  char               *oauth_client_id;
  char               *oauth_authority;
  char               *ca_file;

  StampSecurity       security;
  StampAuthMechanism  auth_mechanism;
  guint               port;
};

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_DISPLAY_NAME,
  PROP_PROVIDER_ID,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_AUTH_MECHANISM,
  PROP_USERNAME,
  PROP_OAUTH_TENANT,
  PROP_OAUTH_CLIENT_ID,
  PROP_OAUTH_AUTHORITY,
  PROP_CA_FILE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampAccount, stamp_account, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Where each string property is kept, so that the property functions and
 * finalize need no case per string. */
static const gsize string_fields[N_PROPS] = {
  [PROP_ADDRESS]         = G_STRUCT_OFFSET (StampAccount, address),
  [PROP_DISPLAY_NAME]    = G_STRUCT_OFFSET (StampAccount, display_name),
  [PROP_PROVIDER_ID]     = G_STRUCT_OFFSET (StampAccount, provider_id),
  [PROP_HOST]            = G_STRUCT_OFFSET (StampAccount, host),
  [PROP_USERNAME]        = G_STRUCT_OFFSET (StampAccount, username),
  [PROP_OAUTH_TENANT]    = G_STRUCT_OFFSET (StampAccount, oauth_tenant),
  [PROP_OAUTH_CLIENT_ID] = G_STRUCT_OFFSET (StampAccount, oauth_client_id),
  [PROP_OAUTH_AUTHORITY] = G_STRUCT_OFFSET (StampAccount, oauth_authority),
  [PROP_CA_FILE]         = G_STRUCT_OFFSET (StampAccount, ca_file),
};

/* The members of an account in the account file, in the order they are
 * written (after “address”): the file's names, how an error names them,
 * how a message calls a text setting, and the property each one holds. The
 * entry without a property is the object that holds its group. */
typedef struct
{
  const char *group;
  const char *name;
  const char *path;
  const char *label;
  guint       prop_id;
} Member;

static const Member members[] = {
  { NULL, "display_name", "display_name", N_("Display name"), PROP_DISPLAY_NAME },
  { NULL, "provider", "provider", N_("Provider"), PROP_PROVIDER_ID },
  { NULL, "host", "host", N_("Server"), PROP_HOST },
  { NULL, "port", "port", NULL, PROP_PORT },
  { NULL, "security", "security", NULL, PROP_SECURITY },
  { NULL, "auth", "auth", NULL, PROP_AUTH_MECHANISM },
  { NULL, "username", "username", N_("User name"), PROP_USERNAME },
  { NULL, "oauth", "oauth", NULL, PROP_0 },
  { "oauth", "tenant", "oauth.tenant", N_("OAuth tenant"), PROP_OAUTH_TENANT },
  { "oauth", "client_id", "oauth.client_id", N_("OAuth client ID"), PROP_OAUTH_CLIENT_ID },
  { "oauth", "authority", "oauth.authority", N_("OAuth authority"), PROP_OAUTH_AUTHORITY },
  { NULL, "ca_file", "ca_file", N_("Certificate authority file"), PROP_CA_FILE },
};

static char **
string_field (StampAccount *self,
              guint         prop_id)
{
  g_assert (prop_id < N_PROPS && string_fields[prop_id] != 0);

  return G_STRUCT_MEMBER_P (self, string_fields[prop_id]);
}

static void
set_string (StampAccount *self,
            guint         prop_id,
            const char   *value)
{
  if (stamp_set_str (string_field (self, prop_id), value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* The form two addresses are compared in. Domains are case-insensitive
 * (RFC 5321 §2.4); local parts may in theory be case-sensitive, but no
 * mainstream provider treats them so, and two accounts that differ only in
 * case are a typing slip rather than two mailboxes. */
static char *
fold_address (const char *address)
{
  g_autofree char *normalized = NULL;

  if (address == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (address, -1, NULL))
    return g_ascii_strdown (address, -1);

  normalized = g_utf8_normalize (address, -1, G_NORMALIZE_NFC);
  return g_utf8_casefold (normalized, -1);
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
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* An authority is where tokens are asked for, so it must be https; plain
 * http only reaches a test identity provider on this computer. */
static gboolean
check_authority (const char  *authority,
                 GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (authority, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The OAuth authority “%s” is not a web address"), authority);
      return FALSE;
    }

  /* Never echoed: it would be a password in an error message. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("The OAuth authority must not contain a user name or password"));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0 ||
      (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)))
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("The OAuth authority “%s” must use https; plain http is only allowed to "
                   "this computer (localhost, 127.0.0.1 or ::1)"),
                 authority);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("The OAuth authority “%s” must be an https address"), authority);

  return FALSE;
}

/* Everything stamp_account_validate() promises. On failure, *member names
 * the member of the account file at fault, so that
 * stamp_account_new_from_json() can say where the problem is. */
static gboolean
check_account (StampAccount  *self,
               const char   **member,
               GError       **error)
{
  *member = "address";
  if (!stamp_address_check (self->address, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *value;

      if (members[i].label == NULL)
        continue;

      value = *string_field (self, members[i].prop_id);
      *member = members[i].path;

      if (value != NULL && !g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The field “%s” is not valid UTF-8 text"), _(members[i].label));
          return FALSE;
        }

      /* A line break would let the value smuggle a header or a command. */
      if (stamp_str_has_line_break (value))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The field “%s” must be a single line of text"), _(members[i].label));
          return FALSE;
        }
    }

  *member = "host";
  if (self->host == NULL || *self->host == '\0')
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("No server name was given"));
      return FALSE;
    }

  for (const guchar *p = (const guchar *) self->host; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The server name “%s” contains spaces or control characters"),
                       self->host);
          return FALSE;
        }
    }

  /* The port needs no check here: the property only takes 0 to 65535. */

  *member = "oauth.authority";
  return self->oauth_authority == NULL || check_authority (self->oauth_authority, error);
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
read_value (StampAccount  *self,
            const Member  *member,
            JsonNode      *node,
            GError       **error)
{
  g_autofree char *shown = NULL;
  g_autofree char *reason = NULL;
  StampAuthMechanism mechanism;
  StampSecurity security;
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (member->prop_id == PROP_PORT)
    return read_port (self, node, error);

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

    default:
      set_string (self, member->prop_id, text);
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
          if (self->oauth_tenant == NULL && self->oauth_client_id == NULL &&
              self->oauth_authority == NULL)
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

        case PROP_AUTH_MECHANISM:
          add_string (builder, member->name,
                      stamp_auth_mechanism_to_string (self->auth_mechanism));
          break;

        default:
          add_string (builder, member->name, *string_field (self, member->prop_id));
        }
    }
}

static void
stamp_account_finalize (GObject *object)
{
  StampAccount *self = (StampAccount *)object;

  for (guint prop_id = 0; prop_id < N_PROPS; prop_id++)
    {
      if (string_fields[prop_id] != 0)
        g_clear_pointer (string_field (self, prop_id), g_free);
    }

  g_clear_pointer (&self->address_key, g_free);

  G_OBJECT_CLASS (stamp_account_parent_class)->finalize (object);
}

static void
stamp_account_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  StampAccount *self = STAMP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_enum (value, self->auth_mechanism);
      break;

    default:
      if (prop_id < N_PROPS && string_fields[prop_id] != 0)
        g_value_set_string (value, *string_field (self, prop_id));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_account_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  StampAccount *self = STAMP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      self->address = g_value_dup_string (value);
      self->address_key = fold_address (self->address);
      break;

    case PROP_PORT:
      stamp_account_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SECURITY:
      stamp_account_set_security (self, g_value_get_enum (value));
      break;

    case PROP_AUTH_MECHANISM:
      stamp_account_set_auth_mechanism (self, g_value_get_enum (value));
      break;

    default:
      if (prop_id < N_PROPS && string_fields[prop_id] != 0)
        set_string (self, prop_id, g_value_get_string (value));
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL,
                              NULL,
                              (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                               G_PARAM_STATIC_STRINGS));
}

static void
stamp_account_class_init (StampAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_account_finalize;
  object_class->get_property = stamp_account_get_property;
  object_class->set_property = stamp_account_set_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DISPLAY_NAME] = string_property ("display-name");
  properties[PROP_PROVIDER_ID] = string_property ("provider-id");
  properties[PROP_HOST] = string_property ("host");

  /* 0 means the port that goes with the security. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL,
                       STAMP_TYPE_SECURITY, STAMP_SECURITY_STARTTLS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_enum ("auth-mechanism", NULL, NULL,
                       STAMP_TYPE_AUTH_MECHANISM, STAMP_AUTH_AUTO,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* NULL means the address. */
  properties[PROP_USERNAME] = string_property ("username");
  properties[PROP_OAUTH_TENANT] = string_property ("oauth-tenant");
  properties[PROP_OAUTH_CLIENT_ID] = string_property ("oauth-client-id");
  properties[PROP_OAUTH_AUTHORITY] = string_property ("oauth-authority");
  properties[PROP_CA_FILE] = string_property ("ca-file");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_account_init (StampAccount *self)
{
  self->security = STAMP_SECURITY_STARTTLS;
  self->auth_mechanism = STAMP_AUTH_AUTO;
}

/**
 * stamp_account_new:
 * @address: the email address that sends; it identifies the account
 *
 * Creates an account with default settings: STARTTLS, the port that goes
 * with it and automatic choice of the sign-in method. Nothing is checked
 * here; see stamp_account_validate().
 *
 * Returns: (transfer full): a new #StampAccount
 */
StampAccount *
stamp_account_new (const char *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (STAMP_TYPE_ACCOUNT, "address", address, NULL);
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
  const char *member;

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

  if (!check_account (self, &member, &local_error))
    {
      set_member_error (error, member, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
stamp_account_get_address (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->address;
}

/**
 * stamp_account_compare_address:
 * @self: a #StampAccount
 * @address: (nullable): an email address
 *
 * Compares @self's address with @address the way Stamp tells accounts
 * apart: without regard to case, in the domain and in the local part, so
 * “Alice@Example.com” and “alice@example.com” are one account. The order is
 * the one the account store lists accounts in.
 *
 * Returns: less than, equal to or greater than 0 as @self's address sorts
 *   before, with or after @address
 */
int
stamp_account_compare_address (StampAccount *self,
                               const char   *address)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  key = fold_address (address);
  return strcmp (self->address_key, key);
}

const char *
stamp_account_get_display_name (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

/**
 * stamp_account_set_display_name:
 * @self: a #StampAccount
 * @display_name: (nullable): the name recipients see next to the address
 */
void
stamp_account_set_display_name (StampAccount *self,
                                const char   *display_name)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_DISPLAY_NAME, display_name);
}

const char *
stamp_account_get_provider_id (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->provider_id;
}

/**
 * stamp_account_set_provider_id:
 * @self: a #StampAccount
 * @provider_id: (nullable): the provider database's id, such as
 *   “microsoft365”, or %NULL for a server Stamp has no entry for
 */
void
stamp_account_set_provider_id (StampAccount *self,
                               const char   *provider_id)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_PROVIDER_ID, provider_id);
}

const char *
stamp_account_get_host (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->host;
}

/**
 * stamp_account_set_host:
 * @self: a #StampAccount
 * @host: (nullable): the submission server's host name or address
 */
void
stamp_account_set_host (StampAccount *self,
                        const char   *host)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_HOST, host);
}

guint
stamp_account_get_port (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  return self->port;
}

/**
 * stamp_account_set_port:
 * @self: a #StampAccount
 * @port: the submission port, 0 to 65535; 0 means the one that goes with
 *   the security
 */
void
stamp_account_set_port (StampAccount *self,
                        guint         port)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/**
 * stamp_account_get_effective_port:
 * @self: a #StampAccount
 *
 * Returns: the port to connect to: the one set, or else the default for
 *   the security (stamp_security_default_port())
 */
guint16
stamp_account_get_effective_port (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  if (self->port != 0)
    return (guint16) self->port;

  return stamp_security_default_port (self->security);
}

StampSecurity
stamp_account_get_security (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  return self->security;
}

void
stamp_account_set_security (StampAccount  *self,
                            StampSecurity  security)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (security <= STAMP_SECURITY_NONE);

  if (self->security == security)
    return;

  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

StampAuthMechanism
stamp_account_get_auth_mechanism (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  return self->auth_mechanism;
}

void
stamp_account_set_auth_mechanism (StampAccount       *self,
                                  StampAuthMechanism  mechanism)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (mechanism <= STAMP_AUTH_OAUTHBEARER);

  if (self->auth_mechanism == mechanism)
    return;

  self->auth_mechanism = mechanism;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_MECHANISM]);
}

/**
 * stamp_account_get_username:
 * @self: a #StampAccount
 *
 * Returns: (nullable): the user name to sign in with; %NULL means the
 *   address
 */
const char *
stamp_account_get_username (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->username;
}

void
stamp_account_set_username (StampAccount *self,
                            const char   *username)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_USERNAME, username);
}

const char *
stamp_account_get_oauth_tenant (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_tenant;
}

/**
 * stamp_account_set_oauth_tenant:
 * @self: a #StampAccount
 * @tenant: (nullable): the Microsoft Entra tenant (“organizations”, a
 *   domain or a tenant id)
 */
void
stamp_account_set_oauth_tenant (StampAccount *self,
                                const char   *tenant)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_OAUTH_TENANT, tenant);
}

const char *
stamp_account_get_oauth_client_id (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_client_id;
}

/**
 * stamp_account_set_oauth_client_id:
 * @self: a #StampAccount
 * @client_id: (nullable): the OAuth client id to sign in with, when not
 *   the one Stamp was built with; a public id, never a client secret
 */
void
stamp_account_set_oauth_client_id (StampAccount *self,
                                   const char   *client_id)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_OAUTH_CLIENT_ID, client_id);
}

const char *
stamp_account_get_oauth_authority (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->oauth_authority;
}

/**
 * stamp_account_set_oauth_authority:
 * @self: a #StampAccount
 * @authority: (nullable): the identity provider's base address, when not
 *   the provider's usual one
 */
void
stamp_account_set_oauth_authority (StampAccount *self,
                                   const char   *authority)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_OAUTH_AUTHORITY, authority);
}

const char *
stamp_account_get_ca_file (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->ca_file;
}

/**
 * stamp_account_set_ca_file:
 * @self: a #StampAccount
 * @ca_file: (nullable) (type filename): a PEM file of authorities to trust
 *   besides the system's
 */
void
stamp_account_set_ca_file (StampAccount *self,
                           const char   *ca_file)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  set_string (self, PROP_CA_FILE, ca_file);
}

/**
 * stamp_account_validate:
 * @self: a #StampAccount
 * @error: return location for a #GError
 *
 * Checks that the account can be used and saved: a plain email address
 * (stamp_address_check()), a server name without spaces or line breaks, no
 * line break in any setting, and an OAuth authority that is https, or http
 * to this computer only (a test identity provider on loopback).
 *
 * Returns: %TRUE if the account is usable; %FALSE with
 *   %STAMP_ERROR_INVALID_INPUT and a message saying what to fix
 */
gboolean
stamp_account_validate (StampAccount  *self,
                        GError       **error)
{
  const char *member;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), FALSE);

  return check_account (self, &member, error);
}

/**
 * stamp_account_to_json:
 * @self: a #StampAccount
 *
 * Turns the account into the object the account file stores:
 * `address`, `display_name`, `provider`, `host`, `port`, `security`,
 * `auth`, `username`, `oauth` (`tenant`, `client_id`, `authority`) and
 * `ca_file`, leaving out settings that are not set. Security and sign-in
 * method are written as their stable names (“starttls”, “xoauth2”).
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

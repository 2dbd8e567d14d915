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

#include "stamp-account-private.h"
#include "stamp-base-enums.h"
#include "stamp-smtp-settings.h"
#include "stamp-util.h"

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
  [PROP_EHLO_NAME]       = G_STRUCT_OFFSET (StampAccount, ehlo_name),
  [PROP_LAST_TEST_SUMMARY] = G_STRUCT_OFFSET (StampAccount, last_test_summary),
  [PROP_GRAPH_URL]       = G_STRUCT_OFFSET (StampAccount, graph_url),
};

/* Shared with stamp-account-json.c, which reads and writes the same
 * fields through the table of members. */
char **
_stamp_account_string_field (StampAccount *self,
                             guint         prop_id)
{
  g_assert (prop_id < N_PROPS && string_fields[prop_id] != 0);

  return G_STRUCT_MEMBER_P (self, string_fields[prop_id]);
}

void
_stamp_account_set_string (StampAccount *self,
                           guint         prop_id,
                           const char   *value)
{
  if (stamp_set_str (_stamp_account_string_field (self, prop_id), value))
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
stamp_account_finalize (GObject *object)
{
  StampAccount *self = (StampAccount *)object;

  for (guint prop_id = 0; prop_id < N_PROPS; prop_id++)
    {
      if (string_fields[prop_id] != 0)
        g_clear_pointer (_stamp_account_string_field (self, prop_id), g_free);
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

    case PROP_TLS_MIN:
      g_value_set_enum (value, self->tls_min);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_enum (value, self->auth_mechanism);
      break;

    case PROP_LAST_TEST_OK:
      g_value_set_boolean (value, self->last_test_ok);
      break;

    case PROP_LAST_TEST_AT:
      g_value_set_int64 (value, self->last_test_at);
      break;

    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;

    case PROP_CLIENT_SECRET_EXPIRES:
      g_value_set_int64 (value, self->client_secret_expires);
      break;

    default:
      if (prop_id < N_PROPS && string_fields[prop_id] != 0)
        g_value_set_string (value, *_stamp_account_string_field (self, prop_id));
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

    case PROP_TLS_MIN:
      stamp_account_set_tls_min (self, g_value_get_enum (value));
      break;

    case PROP_AUTH_MECHANISM:
      stamp_account_set_auth_mechanism (self, g_value_get_enum (value));
      break;

    case PROP_LAST_TEST_OK:
      if (self->last_test_ok != g_value_get_boolean (value))
        {
          self->last_test_ok = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_LAST_TEST_AT:
      if (self->last_test_at != g_value_get_int64 (value))
        {
          self->last_test_at = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_METHOD:
      stamp_account_set_method (self, g_value_get_enum (value));
      break;

    case PROP_CLIENT_SECRET_EXPIRES:
      stamp_account_set_client_secret_expires (self, g_value_get_int64 (value));
      break;

    default:
      if (prop_id < N_PROPS && string_fields[prop_id] != 0)
        _stamp_account_set_string (self, prop_id, g_value_get_string (value));
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

  /* The oldest TLS version to accept, for a legacy server. */
  properties[PROP_TLS_MIN] =
    g_param_spec_enum ("tls-min", NULL, NULL,
                       STAMP_TYPE_TLS_VERSION, STAMP_TLS_VERSION_1_2,
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

  /* NULL means this computer's name, as the SMTP client picks it. */
  properties[PROP_EHLO_NAME] = string_property ("ehlo-name");

  /* The last test send, shown next to the account; see
   * stamp_account_set_last_test(). */
  properties[PROP_LAST_TEST_OK] =
    g_param_spec_boolean ("last-test-ok", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_TEST_AT] =
    g_param_spec_int64 ("last-test-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_TEST_SUMMARY] = string_property ("last-test-summary");

  /* How mail leaves: SMTP submission or Microsoft Graph's sendMail. An
   * account keeps its SMTP settings either way, so switching back needs
   * nothing new. */
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL,
                       STAMP_TYPE_SEND_METHOD, STAMP_SEND_METHOD_SMTP,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* NULL means the provider's Graph address. */
  properties[PROP_GRAPH_URL] = string_property ("graph-url");

  /* When the client secret of the account's own app registration expires,
   * in Unix seconds at 00:00 UTC of the day; 0 when not known. */
  properties[PROP_CLIENT_SECRET_EXPIRES] =
    g_param_spec_int64 ("client-secret-expires", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_account_init (StampAccount *self)
{
  self->security = STAMP_SECURITY_STARTTLS;
  self->tls_min = STAMP_TLS_VERSION_1_2;
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

  _stamp_account_set_string (self, PROP_DISPLAY_NAME, display_name);
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

  _stamp_account_set_string (self, PROP_PROVIDER_ID, provider_id);
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

  _stamp_account_set_string (self, PROP_HOST, host);
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

StampTlsVersion
stamp_account_get_tls_min (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), STAMP_TLS_VERSION_1_2);

  return self->tls_min;
}

/**
 * stamp_account_set_tls_min:
 * @self: a #StampAccount
 * @version: the oldest TLS version to accept; below 1.2 only for a legacy
 *   server
 */
void
stamp_account_set_tls_min (StampAccount    *self,
                           StampTlsVersion  version)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (version <= STAMP_TLS_VERSION_1_3);

  if (self->tls_min == version)
    return;

  self->tls_min = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_MIN]);
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

/**
 * stamp_account_get_sign_in_name:
 * @self: a #StampAccount
 *
 * Returns: the name the account signs in with: its user name, or its
 *   address when it has none
 */
const char *
stamp_account_get_sign_in_name (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->username != NULL && *self->username != '\0' ? self->username : self->address;
}

void
stamp_account_set_username (StampAccount *self,
                            const char   *username)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_USERNAME, username);
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

  _stamp_account_set_string (self, PROP_CA_FILE, ca_file);
}

const char *
stamp_account_get_ehlo_name (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->ehlo_name;
}

/**
 * stamp_account_set_ehlo_name:
 * @self: a #StampAccount
 * @ehlo_name: (nullable): the name to introduce this computer with in
 *   EHLO, a host name or an address literal such as “[192.0.2.1]”; %NULL
 *   for the automatic one
 */
void
stamp_account_set_ehlo_name (StampAccount *self,
                             const char   *ehlo_name)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));

  _stamp_account_set_string (self, PROP_EHLO_NAME, ehlo_name);
}

/**
 * stamp_account_dup_smtp_settings:
 * @self: a #StampAccount
 *
 * The account's submission settings as the client takes them: host,
 * effective port, security, lowest TLS version, sign-in mechanism, user
 * name, extra authorities and EHLO name. The deadlines are the defaults;
 * they belong to the app or the command line, not to the account.
 *
 * Returns: (transfer full): new settings
 */
StampSmtpSettings *
stamp_account_dup_smtp_settings (StampAccount *self)
{
  StampSmtpSettings *settings;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  settings = stamp_smtp_settings_new (self->host != NULL ? self->host : "",
                                      stamp_account_get_effective_port (self), self->security);
  stamp_smtp_settings_set_tls_min_version (settings, self->tls_min);
  stamp_smtp_settings_set_auth_mechanism (settings, self->auth_mechanism);
  stamp_smtp_settings_set_username (settings, stamp_account_get_sign_in_name (self));
  stamp_smtp_settings_set_ca_file (settings, self->ca_file);
  stamp_smtp_settings_set_ehlo_name (settings, self->ehlo_name);

  return settings;
}

gboolean
stamp_account_get_last_test_ok (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), FALSE);

  return self->last_test_ok;
}

/**
 * stamp_account_get_last_test_at:
 * @self: a #StampAccount
 *
 * Returns: when the last test send ended, in seconds since the Unix epoch,
 *   or 0 if the account was never tested
 */
gint64
stamp_account_get_last_test_at (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), 0);

  return self->last_test_at;
}

const char *
stamp_account_get_last_test_summary (StampAccount *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), NULL);

  return self->last_test_summary;
}

/**
 * stamp_account_set_last_test:
 * @self: a #StampAccount
 * @ok: whether the server accepted the test message
 * @at: when the test ended, in seconds since the Unix epoch; 0 forgets the
 *   last test
 * @summary: (nullable): one line saying what happened, such as the cause of
 *   a failure; it is saved in the account file, so it must hold no secret
 *
 * Records the outcome of the last test send, which the account file keeps
 * so that it can be shown later.
 */
void
stamp_account_set_last_test (StampAccount *self,
                             gboolean      ok,
                             gint64        at,
                             const char   *summary)
{
  g_return_if_fail (STAMP_IS_ACCOUNT (self));
  g_return_if_fail (at >= 0);

  if (at == 0)
    {
      ok = FALSE;
      summary = NULL;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self,
                "last-test-ok", ok,
                "last-test-at", at,
                NULL);
  _stamp_account_set_string (self, PROP_LAST_TEST_SUMMARY, summary);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Shared with stamp-account-sending.c, whose setters notify the same
 * properties. */
void
_stamp_account_notify (StampAccount *self,
                       guint         prop_id)
{
  g_assert (prop_id > PROP_0 && prop_id < N_PROPS);

  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

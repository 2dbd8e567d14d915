/* stamp-account-validate.c
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

#include "stamp-address.h"
#include "stamp-account-private.h"
#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-util.h"

/* The checks behind stamp_account_validate(), kept apart from the
 * properties: what an account must hold before it is used or saved. They
 * name the setting at fault by its property, and know nothing of the
 * account file. */

/* The text settings, in the order they are checked, with the name a
 * message gives each. */
static const struct
{
  guint       prop_id;
  const char *label;
} text_settings[] = {
  { PROP_DISPLAY_NAME, N_("Display name") },
  { PROP_PROVIDER_ID, N_("Provider") },
  { PROP_HOST, N_("Server") },
  { PROP_USERNAME, N_("User name") },
  { PROP_OAUTH_TENANT, N_("OAuth tenant") },
  { PROP_OAUTH_CLIENT_ID, N_("OAuth client ID") },
  { PROP_OAUTH_AUTHORITY, N_("OAuth authority") },
  { PROP_GRAPH_URL, N_("Microsoft Graph address") },
  { PROP_CA_FILE, N_("Certificate authority file") },
  { PROP_EHLO_NAME, N_("EHLO name") },
  { PROP_LAST_TEST_SUMMARY, N_("Last test summary") },
};

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
      (g_ascii_strcasecmp (scheme, "http") == 0 && stamp_host_is_loopback (host)))
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

/* The Graph address carries the access token, so it must be https too;
 * plain http only reaches a test server on this computer. */
static gboolean
check_graph_url (const char  *graph_url,
                 GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (graph_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The Microsoft Graph address “%s” is not a web address"), graph_url);
      return FALSE;
    }

  /* Never echoed: it would be a password in an error message. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("The Microsoft Graph address must not contain a user name or "
                             "password"));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The Microsoft Graph address “%s” must be a base address such as "
                     "https://graph.microsoft.com/v1.0, without “?” or “#”"),
                   graph_url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0 ||
      (g_ascii_strcasecmp (scheme, "http") == 0 && stamp_host_is_loopback (host)))
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("The Microsoft Graph address “%s” must use https; plain http is only "
                   "allowed to this computer (localhost, 127.0.0.1 or ::1)"),
                 graph_url);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("The Microsoft Graph address “%s” must be an https address"), graph_url);

  return FALSE;
}

/* A host name (letters, digits and hyphens in dot-separated labels) or an
 * address literal, “[192.0.2.1]” or “[IPv6:2001:db8::1]” (RFC 5321 §4.1.3). */
static gboolean
ehlo_name_is_valid (const char *name)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *inner = NULL;
  gsize len = strlen (name);
  gsize label = 0;

  if (name[0] == '[')
    {
      if (len < 3 || name[len - 1] != ']')
        return FALSE;

      inner = g_strndup (name + 1, len - 2);
      if (g_ascii_strncasecmp (inner, "IPv6:", 5) == 0)
        {
          address = g_inet_address_new_from_string (inner + 5);
          return address != NULL &&
                 g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
        }

      address = g_inet_address_new_from_string (inner);
      return address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;
    }

  if (len == 0 || len > 255)
    return FALSE;

  for (gsize i = 0; i <= len; i++)
    {
      char c = name[i];

      if (c == '.' || c == '\0')
        {
          /* No empty label, none longer than 63, none starting or ending
           * with a hyphen; a final dot is not allowed either. */
          if (label == 0 || label > 63 || name[i - label] == '-' || name[i - 1] == '-')
            return FALSE;
          label = 0;
        }
      else if (g_ascii_isalnum (c) || c == '-')
        label++;
      else
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_ehlo_name (const char  *name,
                 GError     **error)
{
  for (const guchar *p = (const guchar *) name; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The EHLO name “%s” contains spaces or control characters"), name);
          return FALSE;
        }
    }

  if (!ehlo_name_is_valid (name))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The EHLO name “%s” is neither a host name nor an address literal "
                     "such as “[192.0.2.1]”"),
                   name);
      return FALSE;
    }

  return TRUE;
}

/* Everything stamp_account_validate() promises. On failure, *@prop_id is
 * the setting at fault, so that stamp_account_new_from_json() can say
 * where in the file the problem is. */
gboolean
_stamp_account_check (StampAccount  *self,
                      guint         *prop_id,
                      GError       **error)
{
  *prop_id = PROP_ADDRESS;
  if (!stamp_address_check (self->address, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (text_settings); i++)
    {
      const char *value = *_stamp_account_string_field (self, text_settings[i].prop_id);

      *prop_id = text_settings[i].prop_id;

      if (value != NULL && !g_utf8_validate (value, -1, NULL))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The field “%s” is not valid UTF-8 text"),
                       _(text_settings[i].label));
          return FALSE;
        }

      /* A line break would let the value smuggle a header or a command. */
      if (stamp_str_has_line_break (value))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The field “%s” must be a single line of text"),
                       _(text_settings[i].label));
          return FALSE;
        }
    }

  /* A Graph account needs no server to send, but keeps the one it has, so
   * that switching back to SMTP works. */
  *prop_id = PROP_HOST;
  if ((self->host == NULL || *self->host == '\0') && self->method != STAMP_SEND_METHOD_GRAPH)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("No server name was given"));
      return FALSE;
    }

  for (const guchar *p = (const guchar *) self->host; p != NULL && *p != '\0'; p++)
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

  *prop_id = PROP_EHLO_NAME;
  if (self->ehlo_name != NULL && !check_ehlo_name (self->ehlo_name, error))
    return FALSE;

  /* Graph takes only an OAuth access token (Mail.Send): no password. */
  *prop_id = PROP_METHOD;
  if (self->method == STAMP_SEND_METHOD_GRAPH && !stamp_auth_mechanism_is_oauth (self->auth_mechanism))
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("Sending through Microsoft Graph needs the OAuth sign-in "
                             "(xoauth2); a password cannot be used"));
      return FALSE;
    }

  *prop_id = PROP_GRAPH_URL;
  if (self->graph_url != NULL && !check_graph_url (self->graph_url, error))
    return FALSE;

  *prop_id = PROP_OAUTH_AUTHORITY;
  return self->oauth_authority == NULL || check_authority (self->oauth_authority, error);
}

/**
 * stamp_account_validate:
 * @self: a #StampAccount
 * @error: return location for a #GError
 *
 * Checks that the account can be used and saved: a plain email address
 * (stamp_address_check()), a server name without spaces or line breaks, no
 * line break in any setting (a Graph account may have no server), an EHLO
 * name that is a host name or an address literal such as “[192.0.2.1]”,
 * and an OAuth authority that is https, or http to this computer only (a test identity provider on
 * loopback). A Graph account must sign in with OAuth, and its Graph
 * address follows the authority's rule.
 *
 * Returns: %TRUE if the account is usable; %FALSE with
 *   %STAMP_ERROR_INVALID_INPUT and a message saying what to fix
 */
gboolean
stamp_account_validate (StampAccount  *self,
                        GError       **error)
{
  guint prop_id;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (self), FALSE);

  return _stamp_account_check (self, &prop_id, error);
}

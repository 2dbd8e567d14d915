/* stamp-sasl.c
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

#define G_LOG_DOMAIN "stamp-sasl"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-util.h"

/* A challenge is a short JSON object; anything much larger is not one. */
#define MAX_CHALLENGE_LEN 4096

/* Base64-encodes @len bytes of @data and wipes the plain form, which holds
 * the secret. */
static char *
encode_and_wipe (GString *data)
{
  char *encoded = g_base64_encode ((const guchar *) data->str, data->len);

  explicit_bzero (data->str, data->len);
  g_string_free (data, TRUE);

  return encoded;
}

/**
 * stamp_sasl_encode_plain:
 * @user: the authentication identity
 * @password: the password
 *
 * Builds the PLAIN message (RFC 4616): an empty authorization identity, NUL,
 * the user, NUL, the password; base64 for SMTP.
 *
 * Returns: (transfer full): the base64 form; free it with stamp_secret_free()
 */
char *
stamp_sasl_encode_plain (const char *user,
                         const char *password)
{
  GString *data;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  data = g_string_new (NULL);
  g_string_append_c (data, '\0');
  g_string_append (data, user);
  g_string_append_c (data, '\0');
  g_string_append (data, password);

  return encode_and_wipe (data);
}

/**
 * stamp_sasl_encode_xoauth2:
 * @user: the mailbox to send as
 * @token: an OAuth 2.0 access token
 *
 * Builds the XOAUTH2 message: `user=` address ^A `auth=Bearer ` token ^A^A.
 *
 * Returns: (transfer full): the base64 form; free it with stamp_secret_free()
 */
char *
stamp_sasl_encode_xoauth2 (const char *user,
                           const char *token)
{
  GString *data;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  data = g_string_new (NULL);
  g_string_append_printf (data, "user=%s\001auth=Bearer %s\001\001", user, token);

  return encode_and_wipe (data);
}

/**
 * stamp_sasl_encode_oauthbearer:
 * @user: the authorization identity (the mailbox)
 * @host: (nullable): the server's host name
 * @port: the server's port, or 0 to leave it out
 * @token: an OAuth 2.0 access token
 *
 * Builds the OAUTHBEARER client response of RFC 7628 §3.1: a GS2 header
 * naming @user, then key/value pairs separated by ^A, ending with ^A^A.
 *
 * Returns: (transfer full): the base64 form; free it with stamp_secret_free()
 */
char *
stamp_sasl_encode_oauthbearer (const char *user,
                               const char *host,
                               guint16     port,
                               const char *token)
{
  GString *data;

  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  data = g_string_new ("n,a=");

  /* RFC 5801 §4: "," and "=" in the authzid are escaped as =2C and =3D. */
  for (const char *p = user; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append (data, "=2C");
      else if (*p == '=')
        g_string_append (data, "=3D");
      else
        g_string_append_c (data, *p);
    }

  g_string_append (data, ",\001");
  if (host != NULL)
    g_string_append_printf (data, "host=%s\001", host);
  if (port != 0)
    g_string_append_printf (data, "port=%u\001", port);
  g_string_append_printf (data, "auth=Bearer %s\001\001", token);

  return encode_and_wipe (data);
}

void
stamp_sasl_challenge_free (StampSaslChallenge *challenge)
{
  if (challenge == NULL)
    return;

  g_free (challenge->status);
  g_free (challenge->scope);
  g_free (challenge->schemes);
  g_free (challenge);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

/**
 * stamp_sasl_challenge_parse:
 * @base64: the text after "334 " in a server's challenge
 * @error: return location for a #GError
 *
 * Decodes the JSON error a server sends when it refuses a token
 * (RFC 7628 §3.2.2; Google sends the same for XOAUTH2).
 *
 * Returns: (transfer full): the challenge, or %NULL if it is not one
 */
StampSaslChallenge *
stamp_sasl_challenge_parse (const char  *base64,
                            GError     **error)
{
  g_autoptr(StampSaslChallenge) challenge = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree guchar *decoded = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len = 0;

  g_return_val_if_fail (base64 != NULL, NULL);

  if (strlen (base64) > MAX_CHALLENGE_LEN ||
      strspn (base64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        != strlen (base64))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server’s sign-in challenge is not valid base64"));
      return NULL;
    }

  decoded = g_base64_decode (base64, &len);
  parser = json_parser_new ();

  if (len == 0 || !json_parser_load_from_data (parser, (const char *) decoded, len, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server’s sign-in challenge is not the JSON error object of RFC 7628"));
      return NULL;
    }

  challenge = g_new0 (StampSaslChallenge, 1);
  challenge->status = dup_member (json_node_get_object (root), "status");
  challenge->scope = dup_member (json_node_get_object (root), "scope");
  challenge->schemes = dup_member (json_node_get_object (root), "schemes");

  if (challenge->status == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The server’s sign-in challenge has no status"));
      return NULL;
    }

  return g_steal_pointer (&challenge);
}

/**
 * stamp_sasl_challenge_describe:
 * @challenge: a #StampSaslChallenge
 *
 * Returns: (transfer full): one translated sentence saying what the server
 *   wanted
 */
char *
stamp_sasl_challenge_describe (const StampSaslChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);

  if (challenge->scope != NULL)
    /* Translators: the first %s is a status such as "401" or "invalid_token";
     * the second an OAuth scope URL */
    return g_strdup_printf (_("The server refused the token (status %s); it expects a token "
                              "for the scope %s"),
                            challenge->status, challenge->scope);

  return g_strdup_printf (_("The server refused the token (status %s)"), challenge->status);
}

/**
 * stamp_sasl_mechanism_name:
 * @mechanism: a #StampAuthMechanism naming a SASL mechanism
 *
 * Returns: (nullable): the mechanism's name on the wire, or %NULL for
 *   %STAMP_AUTH_AUTO and %STAMP_AUTH_NONE
 */
const char *
stamp_sasl_mechanism_name (StampAuthMechanism mechanism)
{
  switch (mechanism)
    {
    case STAMP_AUTH_PLAIN:       return "PLAIN";
    case STAMP_AUTH_LOGIN:       return "LOGIN";
    case STAMP_AUTH_XOAUTH2:     return "XOAUTH2";
    case STAMP_AUTH_OAUTHBEARER: return "OAUTHBEARER";
    case STAMP_AUTH_AUTO:
    case STAMP_AUTH_NONE:
    default:
      return NULL;
    }
}

gboolean
stamp_sasl_mechanism_uses_token (StampAuthMechanism mechanism)
{
  return mechanism == STAMP_AUTH_XOAUTH2 || mechanism == STAMP_AUTH_OAUTHBEARER;
}

/**
 * stamp_sasl_is_offered:
 * @offered: (nullable): the parameters of the server's AUTH extension
 * @mechanism: a mechanism
 *
 * Returns: %TRUE if the space-separated list @offered names @mechanism
 */
gboolean
stamp_sasl_is_offered (const char         *offered,
                       StampAuthMechanism  mechanism)
{
  g_auto(GStrv) names = NULL;
  const char *name = stamp_sasl_mechanism_name (mechanism);

  if (offered == NULL || name == NULL)
    return FALSE;

  names = g_strsplit (offered, " ", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * stamp_sasl_choose_mechanism:
 * @offered: (nullable): the parameters of the server's AUTH extension
 * @have_token: whether the secret is an OAuth token rather than a password
 *
 * Picks the mechanism for automatic sign-in: with a token XOAUTH2 (what
 * Microsoft 365 and Gmail both speak) before OAUTHBEARER; with a password
 * PLAIN before LOGIN, since PLAIN needs one round trip less.
 *
 * Returns: the mechanism, or %STAMP_AUTH_NONE when none fits
 */
StampAuthMechanism
stamp_sasl_choose_mechanism (const char *offered,
                             gboolean    have_token)
{
  static const StampAuthMechanism token_order[] = { STAMP_AUTH_XOAUTH2, STAMP_AUTH_OAUTHBEARER };
  static const StampAuthMechanism password_order[] = { STAMP_AUTH_PLAIN, STAMP_AUTH_LOGIN };
  const StampAuthMechanism *order = have_token ? token_order : password_order;

  for (guint i = 0; i < 2; i++)
    {
      if (stamp_sasl_is_offered (offered, order[i]))
        return order[i];
    }

  return STAMP_AUTH_NONE;
}

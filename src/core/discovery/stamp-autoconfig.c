/* stamp-autoconfig.c
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

#define G_LOG_DOMAIN "stamp-autoconfig"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "stamp-autoconfig.h"
#include "stamp-error.h"

/* Mozilla's autoconfig format (config-v1.1.xml): only the outgoing servers
 * matter to Stamp. The file comes from the network, so it is parsed
 * strictly: well-formed XML, the expected root, sane values, nothing
 * larger than STAMP_AUTOCONFIG_MAX_SIZE. */

#define MAX_TEXT 255

typedef struct
{
  /* Where the parser stands */
  GPtrArray  *path;
  GString    *text;

  /* The outgoing server being read */
  gboolean    in_server;
  char       *hostname;
  char       *port;
  char       *socket_type;
  GPtrArray  *authentication;

  /* Found so far */
  GPtrArray  *servers;
  gboolean    saw_root;
} ParseState;

typedef struct
{
  char      *hostname;
  guint16    port;
  StampSecurity security;
  GStrv      auth;
} Server;

static void
server_free (Server *server)
{
  g_free (server->hostname);
  g_strfreev (server->auth);
  g_free (server);
}

static void
clear_server (ParseState *state)
{
  state->in_server = FALSE;
  g_clear_pointer (&state->hostname, g_free);
  g_clear_pointer (&state->port, g_free);
  g_clear_pointer (&state->socket_type, g_free);
  g_ptr_array_set_size (state->authentication, 0);
}

static const char *
current_element (ParseState *state)
{
  return state->path->len > 0 ? g_ptr_array_index (state->path, state->path->len - 1) : NULL;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;

  if (state->path->len == 0)
    {
      if (strcmp (name, "clientConfig") != 0)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The file is not a mail configuration: it starts with <%s>, not "
                         "<clientConfig>"),
                       name);
          return;
        }
      state->saw_root = TRUE;
    }

  /* outgoingServer type="smtp", directly inside emailProvider */
  if (strcmp (name, "outgoingServer") == 0 && state->path->len == 2 &&
      g_strcmp0 (current_element (state), "emailProvider") == 0)
    {
      const char *type = NULL;

      for (guint i = 0; attribute_names[i] != NULL; i++)
        {
          if (strcmp (attribute_names[i], "type") == 0)
            type = attribute_values[i];
        }

      if (g_strcmp0 (type, "smtp") == 0)
        {
          clear_server (state);
          state->in_server = TRUE;
        }
    }

  if (state->path->len > 32)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The mail configuration is nested too deeply"));
      return;
    }

  g_ptr_array_add (state->path, g_strdup (name));
  g_string_truncate (state->text, 0);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 length,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (!state->in_server)
    return;

  if (state->text->len + length > MAX_TEXT)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The mail configuration has a value longer than %d characters"), MAX_TEXT);
      return;
    }

  g_string_append_len (state->text, text, length);
}

static void
replace_value (char **field,
               char **value)
{
  g_free (*field);
  *field = g_steal_pointer (value);
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;
  g_autofree char *value = g_strstrip (g_strdup (state->text->str));

  g_ptr_array_set_size (state->path, state->path->len - 1);

  if (!state->in_server)
    return;

  if (strcmp (name, "hostname") == 0)
    replace_value (&state->hostname, &value);
  else if (strcmp (name, "port") == 0)
    replace_value (&state->port, &value);
  else if (strcmp (name, "socketType") == 0)
    replace_value (&state->socket_type, &value);
  else if (strcmp (name, "authentication") == 0)
    g_ptr_array_add (state->authentication, g_steal_pointer (&value));
  else if (strcmp (name, "outgoingServer") == 0)
    {
      Server *server = g_new0 (Server, 1);
      g_autoptr(GPtrArray) auth = g_ptr_array_new_null_terminated (2, g_free, TRUE);
      guint64 port = 0;

      if (state->hostname == NULL || *state->hostname == '\0')
        {
          server_free (server);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The mail configuration names an outgoing server without a host name"));
          return;
        }

      if (state->port == NULL ||
          !g_ascii_string_to_unsigned (state->port, 10, 1, G_MAXUINT16, &port, NULL))
        {
          server_free (server);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The mail configuration gives “%s” as a port"),
                       state->port != NULL ? state->port : "");
          return;
        }

      if (g_strcmp0 (state->socket_type, "SSL") == 0)
        server->security = STAMP_SECURITY_TLS;
      else if (g_strcmp0 (state->socket_type, "STARTTLS") == 0)
        server->security = STAMP_SECURITY_STARTTLS;
      else if (g_strcmp0 (state->socket_type, "plain") == 0)
        server->security = STAMP_SECURITY_NONE;
      else
        {
          server_free (server);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The mail configuration gives an unknown socketType “%s”"),
                       state->socket_type != NULL ? state->socket_type : "");
          return;
        }

      for (guint i = 0; i < state->authentication->len; i++)
        {
          const char *method = g_ptr_array_index (state->authentication, i);

          if (strcmp (method, "OAuth2") == 0)
            g_ptr_array_add (auth, g_strdup ("xoauth2"));
          else if (strcmp (method, "password-cleartext") == 0)
            {
              g_ptr_array_add (auth, g_strdup ("plain"));
              g_ptr_array_add (auth, g_strdup ("login"));
            }
          else if (strcmp (method, "none") == 0 || strcmp (method, "client-IP-address") == 0)
            g_ptr_array_add (auth, g_strdup ("none"));
        }

      server->hostname = g_steal_pointer (&state->hostname);
      server->port = (guint16) port;
      server->auth = (GStrv) g_ptr_array_steal (auth, NULL);
      g_ptr_array_add (state->servers, server);
      clear_server (state);
    }
}

static char *
expand_placeholders (const char *text,
                     const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *local = g_strndup (address, at - address);
  g_autoptr(GString) expanded = g_string_new (text);

  g_string_replace (expanded, "%EMAILADDRESS%", address, 0);
  g_string_replace (expanded, "%EMAILLOCALPART%", local, 0);
  g_string_replace (expanded, "%EMAILDOMAIN%", at + 1, 0);

  return g_string_free (g_steal_pointer (&expanded), FALSE);
}

/* A host name fit to connect to: letters, digits, dots and hyphens in
 * labels of at most 63 (IDN turned to ASCII first). */
static char *
dup_valid_hostname (const char *name)
{
  g_autofree char *ascii = g_hostname_to_ascii (name);
  g_auto(GStrv) labels = NULL;

  if (ascii == NULL || *ascii == '\0' || strlen (ascii) > 253)
    return NULL;

  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize len = strlen (labels[i]);

      if ((len == 0 && labels[i + 1] != NULL) || len > 63 ||
          strspn (labels[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
            != len)
        return NULL;
    }

  return g_ascii_strdown (ascii, -1);
}

/**
 * stamp_autoconfig_parse:
 * @data: the file's bytes
 * @length: their length
 * @address: the address being set up, for the %EMAIL…% placeholders
 * @source: %STAMP_DISCOVERY_SOURCE_AUTOCONFIG or %STAMP_DISCOVERY_SOURCE_ISPDB
 * @origin: where the file came from, for the reason ("autoconfig.example.com")
 * @error: return location for a #GError
 *
 * Reads the outgoing (SMTP) servers of a Mozilla autoconfig file, in the
 * file's order.
 *
 * Returns: (transfer full) (element-type StampCandidate): the servers, or
 *   %NULL with %STAMP_ERROR_BAD_REPLY when the file is malformed, too large
 *   or names no outgoing server
 */
GPtrArray *
stamp_autoconfig_parse (const char            *data,
                        gsize                  length,
                        const char            *address,
                        StampDiscoverySource   source,
                        const char            *origin,
                        GError               **error)
{
  static const GMarkupParser parser = {
    start_element_cb, end_element_cb, text_cb, NULL, NULL,
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  ParseState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (address != NULL && strchr (address, '@') != NULL, NULL);

  if (length > STAMP_AUTOCONFIG_MAX_SIZE)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The mail configuration is larger than %d KiB"),
                   STAMP_AUTOCONFIG_MAX_SIZE / 1024);
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The mail configuration is not UTF-8 text"));
      return NULL;
    }

  state.path = g_ptr_array_new_with_free_func (g_free);
  state.text = g_string_new (NULL);
  state.authentication = g_ptr_array_new_with_free_func (g_free);
  state.servers = g_ptr_array_new_with_free_func ((GDestroyNotify) server_free);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);

  if (ok && !state.saw_root)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The file is empty, not a mail configuration"));
      ok = FALSE;
    }

  if (ok && state.servers->len == 0)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                   _("The mail configuration names no outgoing (SMTP) server"));
      ok = FALSE;
    }

  candidates = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ok && i < state.servers->len; i++)
    {
      Server *server = g_ptr_array_index (state.servers, i);
      g_autofree char *expanded = expand_placeholders (server->hostname, address);
      g_autofree char *hostname = dup_valid_hostname (expanded);
      g_autofree char *reason = NULL;
      StampCandidate *candidate;

      if (hostname == NULL)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The mail configuration names “%s”, which is not a host name"),
                       expanded);
          ok = FALSE;
          break;
        }

      reason = source == STAMP_DISCOVERY_SOURCE_ISPDB
               /* Translators: %s is the domain the database entry is for */
               ? g_strdup_printf (_("Thunderbird’s ISP database lists these settings for %s"),
                                  origin)
               /* Translators: %s is where the file was found */
               : g_strdup_printf (_("The domain publishes these settings at %s"), origin);
      candidate = stamp_candidate_new (hostname, server->port, server->security, source, reason);
      if (server->auth[0] != NULL)
        stamp_candidate_set_auth_methods (candidate, (const char * const *) server->auth);
      g_ptr_array_add (candidates, candidate);
    }

  g_ptr_array_unref (state.path);
  g_string_free (state.text, TRUE);
  g_ptr_array_unref (state.authentication);
  g_ptr_array_unref (state.servers);
  g_free (state.hostname);
  g_free (state.port);
  g_free (state.socket_type);

  if (!ok)
    {
      if (error != NULL && *error != NULL && (*error)->domain == G_MARKUP_ERROR)
        {
          g_autofree char *message = g_strdup ((*error)->message);

          g_clear_error (error);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                       _("The mail configuration is not well-formed XML: %s"), message);
        }
      return NULL;
    }

  return g_steal_pointer (&candidates);
}

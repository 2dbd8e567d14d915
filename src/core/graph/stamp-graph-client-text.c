/* stamp-graph-client-text.c
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

#define G_LOG_DOMAIN "stamp-graph-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-graph-client-private.h"
#include "stamp-util.h"

/* What a person reads of a Graph send: the message's header lines for the
 * transcript, and Graph's error answers as errors. */

#define MAX_HEADER_LINES 64
#define MAX_HEADER_LINE  200

/**
 * _stamp_graph_describe_headers:
 * @mime: a whole message
 *
 * The message's header lines, one per line, each cut to a readable
 * length; never a line of the body.
 *
 * Returns: (transfer full): the header lines, joined by "\n"
 */
char *
_stamp_graph_describe_headers (GBytes *mime)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (mime, &size);
  const char *end = data + size;
  g_autoptr(GString) result = g_string_new (NULL);
  guint n_lines = 0;

  while (data != NULL && data < end)
    {
      const char *eol = memchr (data, '\n', end - data);
      gsize len = (eol != NULL ? eol : end) - data;
      g_autofree char *line = NULL;

      if (len > 0 && data[len - 1] == '\r')
        len--;
      /* The empty line ends the header; what follows is the body. */
      if (len == 0)
        break;

      if (n_lines++ == MAX_HEADER_LINES)
        {
          g_string_append (result, "…\n");
          break;
        }

      line = g_utf8_make_valid (data, MIN (len, MAX_HEADER_LINE));
      g_string_append (result, line);
      if (len > MAX_HEADER_LINE)
        g_string_append (result, "…");
      g_string_append_c (result, '\n');

      if (eol == NULL)
        break;
      data = eol + 1;
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* @text on one line, at most STAMP_GRAPH_MAX_QUOTED characters. */
static char *
quote_briefly (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GString) result = NULL;
  glong length;

  g_strdelimit (valid, "\r\n\t", ' ');
  g_strstrip (valid);
  length = g_utf8_strlen (valid, -1);
  if (length <= STAMP_GRAPH_MAX_QUOTED)
    return g_steal_pointer (&valid);

  result = g_string_new_len (valid, g_utf8_offset_to_pointer (valid, STAMP_GRAPH_MAX_QUOTED)
                                      - valid);
  g_string_append (result, "…");

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* Graph's error object: {"error": {"code": "…", "message": "…"}}. */
static gboolean
parse_error_object (GBytes  *body,
                    char   **code,
                    char   **message)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;

  if (body == NULL || g_bytes_get_size (body) == 0
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  node = json_object_get_member (json_node_get_object (root), "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  node = json_object_get_member (object, "code");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || *json_node_get_string (node) == '\0')
    return FALSE;
  *code = g_strdup (json_node_get_string (node));

  node = json_object_get_member (object, "message");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    *message = g_strdup (json_node_get_string (node));

  return TRUE;
}

/* Only word characters: a code goes into a message diagnoses match. */
static gboolean
is_plain_code (const char *code)
{
  if (strlen (code) > 80)
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}

/**
 * _stamp_graph_dup_token_audience:
 * @token: an access token
 *
 * Reads the audience of a token that is a JWT, as Entra's work and school
 * tokens are. Stamp does not judge tokens otherwise (they are the
 * provider's business, and personal accounts' are opaque); the audience
 * only keeps a token for another resource (SMTP's) from going to Graph.
 *
 * Returns: (transfer full) (nullable): the "aud" claim, or %NULL when the
 *   token is not a JWT or names none
 */
char *
_stamp_graph_dup_token_audience (const char *token)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *decoded = NULL;
  gsize decoded_len = 0;
  JsonNode *root;
  JsonNode *aud;

  if (token == NULL)
    return NULL;

  parts = g_strsplit (token, ".", -1);
  if (g_strv_length (parts) != 3 || *parts[1] == '\0' || strlen (parts[1]) > 16 * 1024)
    return NULL;

  /* base64url without padding, to what g_base64_decode() reads */
  payload = g_string_new (parts[1]);
  g_string_replace (payload, "-", "+", 0);
  g_string_replace (payload, "_", "/", 0);
  while (payload->len % 4 != 0)
    g_string_append_c (payload, '=');
  for (gsize i = 0; i < payload->len; i++)
    if (!g_ascii_isalnum (payload->str[i]) && strchr ("+/=", payload->str[i]) == NULL)
      return NULL;

  decoded = g_base64_decode (payload->str, &decoded_len);
  if (decoded == NULL
      || !json_parser_load_from_data (parser, (const char *) decoded, (gssize) decoded_len, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  aud = json_object_get_member (json_node_get_object (root), "aud");
  if (aud == NULL || !JSON_NODE_HOLDS_VALUE (aud) || json_node_get_value_type (aud) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (aud));
}

/**
 * _stamp_graph_is_graph_audience:
 * @audience: a token's "aud" claim
 *
 * Returns: %TRUE for Microsoft Graph: its application id, or its address
 *   in the global or a national cloud (graph.microsoft.com,
 *   graph.microsoft.us, dod-graph.microsoft.us,
 *   microsoftgraph.chinacloudapi.cn)
 */
gboolean
_stamp_graph_is_graph_audience (const char *audience)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (g_ascii_strcasecmp (audience, "00000003-0000-0000-c000-000000000000") == 0)
    return TRUE;

  uri = g_uri_parse (audience, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host != NULL
         && (g_ascii_strcasecmp (host, "graph.microsoft.com") == 0
             || g_ascii_strcasecmp (host, "graph.microsoft.us") == 0
             || g_ascii_strcasecmp (host, "dod-graph.microsoft.us") == 0
             || g_ascii_strcasecmp (host, "microsoftgraph.chinacloudapi.cn") == 0);
}

/**
 * _stamp_graph_error_from_answer:
 * @status: the HTTP status, not 202
 * @reason: (nullable): its reason phrase
 * @content_type: (nullable): the answer's media type
 * @body: (nullable): the answer
 * @token: (nullable): the token that went, to hide should Graph quote it
 * @code_out: (out) (optional): Graph's error code, if it gave one
 *
 * Words Graph's refusal. With Graph's error object, the message reads
 * "Microsoft Graph answered 403 ErrorAccessDenied: Access is denied.", the
 * shape data/diagnosis.json's Graph entries match; an error status without
 * one reads "Microsoft Graph answered 502 Bad Gateway: …". Either is
 * %STAMP_ERROR_GRAPH_REFUSED. A status that is neither success nor error
 * (a redirect, 200 instead of 202) is %STAMP_ERROR_BAD_REPLY.
 *
 * Returns: (transfer full): the error
 */
GError *
_stamp_graph_error_from_answer (guint        status,
                                const char  *reason,
                                const char  *content_type,
                                GBytes      *body,
                                const char  *token,
                                char       **code_out)
{
  const char *secrets[] = { token, NULL };
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *hidden = NULL;

  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);
  if (reason == NULL)
    reason = "";

  if (status < 400)
    return g_error_new (STAMP_ERROR, STAMP_ERROR_BAD_REPLY,
                        /* Translators: "%u %s" is an HTTP status such as "301 Moved Permanently" */
                        _("Microsoft Graph answered %u %s where 202 Accepted was expected; the "
                          "message may not have been sent. Check Microsoft Graph’s address"),
                        status, reason);

  if (!parse_error_object (body, &code, &message) || !is_plain_code (code))
    {
      g_clear_pointer (&code, g_free);
      g_clear_pointer (&message, g_free);

      return g_error_new (STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED,
                          /* Translators: "%u %s" is an HTTP status such as "502 Bad Gateway";
                           * the last %s is a media type or "no body" */
                          _("Microsoft Graph answered %u %s: the answer is not Graph’s error "
                            "description (%s)"),
                          status, reason,
                          body != NULL && g_bytes_get_size (body) > 0
                            ? (content_type != NULL ? content_type : _("unknown type"))
                            : _("no body"));
    }

  if (code_out != NULL)
    *code_out = g_strdup (code);

  quoted = quote_briefly (message != NULL && *message != '\0' ? message : _("(no message)"));
  hidden = stamp_hide_secrets (quoted, secrets);

  /* data/diagnosis.json's Graph entries look for "Microsoft Graph" with
   * the status or Graph's code after it. */
  return g_error_new (STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED,
                      /* Translators: "%u %s" is an HTTP status and Microsoft Graph's error
                       * code, such as "403 ErrorAccessDenied", then Graph's own words. Keep
                       * "Microsoft Graph" before the status: explanations look for both */
                      _("Microsoft Graph answered %u %s: %s"), status, code, hidden);
}

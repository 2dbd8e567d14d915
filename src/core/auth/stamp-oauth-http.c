/* stamp-oauth-http.c
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


#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-oauth-private.h"
#include "stamp-util.h"

/* Requests to a provider's token and device endpoints: a form POST whose
 * answer is a JSON object, read with a size cap and a stall deadline. */

#define MAX_RESPONSE_SIZE (64 * 1024)

SoupSession *
_stamp_oauth_session_new (void)
{
  return soup_session_new_with_options ("timeout", STAMP_OAUTH_HTTP_TIMEOUT,
                                        "idle-timeout", STAMP_OAUTH_HTTP_TIMEOUT,
                                        "user-agent", "Stamp/" PACKAGE_VERSION,
                                        NULL);
}

typedef struct
{
  SoupMessage *message;
  GByteArray  *body;
  char        *provider_name;
  char        *host;
  char        *oauth_error;
} PostData;

static void
post_data_free (gpointer data)
{
  PostData *post = data;

  g_clear_object (&post->message);
  if (post->body != NULL)
    {
      /* The body may hold tokens. */
      memset (post->body->data, 0, post->body->len);
      g_byte_array_unref (post->body);
    }
  g_free (post->provider_name);
  g_free (post->host);
  g_free (post->oauth_error);
  g_free (post);
}

static GError *
transport_error (PostData     *post,
                 const GError *error)
{
  StampError code = STAMP_ERROR_OAUTH_FAILED;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = STAMP_ERROR_TIMED_OUT;
  else if (error->domain == G_RESOLVER_ERROR)
    code = STAMP_ERROR_HOST_NOT_FOUND;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    code = STAMP_ERROR_CONNECTION_REFUSED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    code = STAMP_ERROR_NETWORK_UNREACHABLE;
  else if (error->domain == G_TLS_ERROR)
    code = STAMP_ERROR_TLS_HANDSHAKE_FAILED;

  return g_error_new (STAMP_ERROR, code, _("Could not reach %s’s sign-in service at %s: %s"),
                      post->provider_name, post->host, error->message);
}

/**
 * _stamp_oauth_parse_response:
 * @provider_name: who answered, for messages
 * @status: the HTTP status
 * @data: the body
 * @length: its length
 * @oauth_error: (out) (optional): on a provider error, its `error` value
 * @error: where to put an error
 *
 * Reads a token or device endpoint's answer: a JSON object on success,
 * else the provider's error, mapped to a #StampError.
 *
 * Returns: (transfer full) (nullable): the answer's JSON object
 */
JsonObject *
_stamp_oauth_parse_response (const char  *provider_name,
                             guint        status,
                             const char  *data,
                             gsize        length,
                             char       **oauth_error,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  JsonObject *object = NULL;

  if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
    root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (status == SOUP_STATUS_OK && object != NULL)
    return json_object_ref (object);

  if (status == SOUP_STATUS_OK)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                   _("%s’s sign-in service answered something that is not a JSON object"),
                   provider_name);
      return NULL;
    }

  g_propagate_error (error, _stamp_oauth_error_from_response (provider_name, status, object,
                                                              oauth_error));
  return NULL;
}

static void
finish_post (GTask *task)
{
  PostData *post = g_task_get_task_data (task);
  GError *error = NULL;
  JsonObject *object;

  object = _stamp_oauth_parse_response (post->provider_name, soup_message_get_status (post->message),
                                        (const char *) post->body->data, post->body->len,
                                        &post->oauth_error, &error);
  if (object != NULL)
    g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
  else
    g_task_return_error (task, error);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_more (GInputStream *stream,
           GTask        *task)
{
  g_input_stream_read_bytes_async (stream, 16 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *post = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? g_steal_pointer (&error) : transport_error (post, error));
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      finish_post (task);
      return;
    }

  g_byte_array_append (post->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (post->body->len > MAX_RESPONSE_SIZE)
    {
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                               _("%s’s sign-in service sent an answer larger than %u KiB"),
                               post->provider_name, MAX_RESPONSE_SIZE / 1024);
      return;
    }

  read_more (G_INPUT_STREAM (object), g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *post = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? g_steal_pointer (&error) : transport_error (post, error));
      return;
    }

  read_more (stream, g_steal_pointer (&task));
}

/**
 * _stamp_oauth_post_async:
 * @session: the #SoupSession to send with
 * @config: whose provider is asked, for messages
 * @url: the endpoint
 * @form: (element-type utf8 utf8): the form fields
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POSTs @form and reads the JSON answer. A provider's error answer becomes
 * a #StampError through _stamp_oauth_error_from_response().
 */
void
_stamp_oauth_post_async (SoupSession         *session,
                         StampOAuthConfig    *config,
                         const char          *url,
                         GHashTable          *form,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  PostData *post = g_new0 (PostData, 1);
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, _stamp_oauth_post_async);
  g_task_set_task_data (task, post, post_data_free);
  post->provider_name = g_strdup (stamp_oauth_config_get_provider_name (config));
  post->host = g_strdup (uri != NULL ? g_uri_get_host (uri) : url);
  post->body = g_byte_array_new ();

  if (uri == NULL)
    {
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                               _("“%s” is not a web address"), url);
      return;
    }

  post->message = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url,
                                                      soup_form_encode_hash (form));
  headers = soup_message_get_request_headers (post->message);
  soup_message_headers_replace (headers, "Accept", "application/json");

  soup_session_send_async (session, post->message, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * _stamp_oauth_post_finish:
 * @result: the #GAsyncResult
 * @oauth_error: (out) (optional): on a provider error, its `error` value
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the answer's JSON object
 */
JsonObject *
_stamp_oauth_post_finish (GAsyncResult  *result,
                          char         **oauth_error,
                          GError       **error)
{
  PostData *post = g_task_get_task_data (G_TASK (result));

  if (oauth_error != NULL)
    *oauth_error = g_strdup (post->oauth_error);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tokens_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_error = NULL;
  g_autoptr(JsonObject) answer = _stamp_oauth_post_finish (result, &oauth_error, &error);
  StampOAuthTokens *tokens;

  g_task_set_task_data (task, g_steal_pointer (&oauth_error), g_free);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tokens = _stamp_oauth_tokens_new_from_json (answer, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (tokens == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) stamp_oauth_tokens_free);
}

/**
 * _stamp_oauth_request_tokens_async:
 * @session: the #SoupSession to send with
 * @config: the sign-in configuration
 * @form: (element-type utf8 utf8): the grant's own fields; the client id,
 *   client secret and, unless @form has one, the scope of the account's
 *   resource (stamp_oauth_config_dup_token_scope()) are added here
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens
 * @user_data: data for @callback
 *
 * Asks the token endpoint for tokens (RFC 6749 section 4.1.3, 6; RFC 8628
 * section 3.4).
 */
void
_stamp_oauth_request_tokens_async (SoupSession         *session,
                                   StampOAuthConfig    *config,
                                   GHashTable          *form,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *scope = NULL;
  const char *client_secret = stamp_oauth_config_get_client_secret (config);

  g_task_set_source_tag (task, _stamp_oauth_request_tokens_async);

  /* One resource's scopes: the caller's (a refresh for another resource),
   * else those of the resource the account sends with. */
  if (!g_hash_table_contains (form, "scope"))
    {
      scope = stamp_oauth_config_dup_token_scope (config, stamp_oauth_config_get_resource (config));
      g_hash_table_replace (form, "scope", scope);
    }

  g_hash_table_replace (form, "client_id", (gpointer) stamp_oauth_config_get_client_id (config));
  if (client_secret != NULL)
    g_hash_table_replace (form, "client_secret", (gpointer) client_secret);

  _stamp_oauth_post_async (session, config, stamp_oauth_config_get_token_url (config), form,
                           cancellable, tokens_cb, task);

  /* The form is encoded by now; leave the caller's table as it was. */
  g_hash_table_remove (form, "client_id");
  if (scope != NULL)
    g_hash_table_remove (form, "scope");
  g_hash_table_remove (form, "client_secret");
}

/**
 * _stamp_oauth_request_tokens_finish:
 * @result: the #GAsyncResult
 * @oauth_error: (out) (optional): on a provider error, its `error` value
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the tokens
 */
StampOAuthTokens *
_stamp_oauth_request_tokens_finish (GAsyncResult  *result,
                                    char         **oauth_error,
                                    GError       **error)
{
  if (oauth_error != NULL)
    *oauth_error = g_strdup (g_task_get_task_data (G_TASK (result)));

  return g_task_propagate_pointer (G_TASK (result), error);
}

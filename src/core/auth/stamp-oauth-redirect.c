/* stamp-oauth-redirect.c
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


#define G_LOG_DOMAIN "stamp-oauth-redirect"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "stamp-async.h"
#include "stamp-error.h"
#include "stamp-oauth-private.h"
#include "stamp-oauth-redirect.h"
#include "stamp-util.h"

/**
 * StampOAuthRedirect:
 *
 * The loopback listener the browser comes back to after signing in
 * (RFC 8252 section 7.3): a libsoup server on 127.0.0.1 (and ::1 when the
 * same port is free there) on a port the system picks.
 *
 * It takes exactly one answer: the first request for `/` ends it, whatever
 * it carries. A wrong `state` fails the sign-in, since the answer was not
 * for this request. The tab gets a short page saying how it went, then the
 * listener closes. Microsoft matches loopback redirects without their port,
 * so the registered `http://localhost` fits every port.
 */

struct _StampOAuthRedirect
{
  GObject      parent_instance;

  SoupServer  *server;
  char        *uri;
  guint16      port;

  GTask       *task;           /* the pending receive */
  char        *state;
  char        *provider_name;
  gboolean     answered;
  gulong       cancelled_id;
};

G_DEFINE_FINAL_TYPE (StampOAuthRedirect, stamp_oauth_redirect, G_TYPE_OBJECT)

static void
stamp_oauth_redirect_dispose (GObject *object)
{
  StampOAuthRedirect *self = (StampOAuthRedirect *)object;

  stamp_oauth_redirect_close (self);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (stamp_oauth_redirect_parent_class)->dispose (object);
}

static void
stamp_oauth_redirect_finalize (GObject *object)
{
  StampOAuthRedirect *self = (StampOAuthRedirect *)object;

  g_free (self->uri);
  g_free (self->state);
  g_free (self->provider_name);

  G_OBJECT_CLASS (stamp_oauth_redirect_parent_class)->finalize (object);
}

static void
stamp_oauth_redirect_class_init (StampOAuthRedirectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_oauth_redirect_dispose;
  object_class->finalize = stamp_oauth_redirect_finalize;
}

static void
stamp_oauth_redirect_init (StampOAuthRedirect *self)
{
}

static char *
build_page (gboolean    ok,
            const char *message)
{
  g_autofree char *title = g_markup_escape_text (ok ? _("You are signed in") : _("The sign-in did not finish"), -1);
  g_autofree char *text = g_markup_escape_text (message, -1);
  g_autofree char *hint = g_markup_escape_text (_("You can close this tab and go back to Stamp."), -1);

  return g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><meta charset=\"utf-8\"><title>Stamp</title>"
                          "<style>body{font-family:Cantarell,sans-serif;max-width:36em;margin:4em auto;"
                          "padding:0 1em;color:#241f31}h1{font-size:1.6em}"
                          "p{line-height:1.5;white-space:pre-line}</style></head>\n"
                          "<body><h1>%s</h1><p>%s</p><p>%s</p></body></html>\n",
                          title, text, hint);
}

static void
finish_task (StampOAuthRedirect *self,
             char               *code,
             GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;

  g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, (GDestroyNotify) stamp_secret_free);
}

typedef struct
{
  StampOAuthRedirect *self;
  char               *code;
  GError             *error;
} Outcome;

/* Runs once the page is written: only then may the server go. */
static gboolean
close_and_finish (gpointer user_data)
{
  Outcome *outcome = user_data;

  stamp_oauth_redirect_close (outcome->self);
  finish_task (outcome->self, outcome->code, outcome->error);
  g_object_unref (outcome->self);
  g_free (outcome);

  return G_SOURCE_REMOVE;
}

static void
message_finished_cb (SoupServerMessage *message,
                     Outcome           *outcome)
{
  g_signal_handlers_disconnect_by_func (message, message_finished_cb, outcome);
  /* Ahead of the listening socket's source, so that no second connection
   * is accepted once the answer is out. */
  g_idle_add_full (G_PRIORITY_HIGH, close_and_finish, outcome, NULL);
}

static GError *
check_answer (StampOAuthRedirect  *self,
              GHashTable          *query,
              char               **code)
{
  const char *state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *error_name = query != NULL ? g_hash_table_lookup (query, "error") : NULL;
  const char *found_code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;

  if (g_strcmp0 (state, self->state) != 0)
    return g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_STATE,
                                _("The answer that came back to Stamp was not for this sign-in, "
                                  "so it was ignored. Start the sign-in again."));

  if (error_name != NULL)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      const char *description = g_hash_table_lookup (query, "error_description");

      json_object_set_string_member (body, "error", error_name);
      if (description != NULL)
        json_object_set_string_member (body, "error_description", description);

      return _stamp_oauth_error_from_response (self->provider_name, 400, body, NULL);
    }

  if (found_code == NULL || *found_code == '\0')
    return g_error_new (STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                        _("%s sent the browser back without a sign-in code. Start the sign-in again."),
                        self->provider_name);

  *code = g_strdup (found_code);
  return NULL;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  StampOAuthRedirect *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  g_autofree char *page = NULL;
  Outcome *outcome;

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Connection", "close");

  /* Browsers also ask for /favicon.ico; that is not the answer. */
  if (g_strcmp0 (path, "/") != 0 || self->answered || self->task == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (soup_server_message_get_method (message) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (message, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  self->answered = TRUE;
  outcome = g_new0 (Outcome, 1);
  outcome->self = g_object_ref (self);
  outcome->error = check_answer (self, query, &outcome->code);

  page = build_page (outcome->error == NULL,
                     outcome->error == NULL
                       ? _("Stamp can now send mail with this account.")
                       : outcome->error->message);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
  g_signal_connect (message, "finished", G_CALLBACK (message_finished_cb), outcome);
}

static gboolean
listen_on (SoupServer  *server,
           const char  *address,
           guint16      port,
           GError     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (inet, port);

  return soup_server_listen (server, socket_address, 0, error);
}

/**
 * stamp_oauth_redirect_new:
 * @error: where to put an error
 *
 * Starts listening on loopback.
 *
 * Returns: (transfer full) (nullable): the listener
 */
StampOAuthRedirect *
stamp_oauth_redirect_new (GError **error)
{
  g_autoptr(StampOAuthRedirect) self = g_object_new (STAMP_TYPE_OAUTH_REDIRECT, NULL);

  /* "localhost" is both 127.0.0.1 and ::1, and a browser may try either:
   * both must be ours, or another program on ::1 could take the answer.
   * The system picks the IPv4 port; when that one is taken on ::1, pick
   * again. Without IPv6 at all, no browser reaches ::1 either. */
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) addresses = NULL;

      g_clear_object (&self->server);
      self->server = soup_server_new ("server-header", "Stamp", NULL);
      soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

      if (!listen_on (self->server, "127.0.0.1", 0, &local_error))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                       _("Could not open a port on this computer for the browser to come back to: %s"),
                       local_error->message);
          return NULL;
        }

      addresses = stamp_oauth_redirect_get_addresses (self);
      self->port = g_inet_socket_address_get_port (addresses->pdata[0]);

      if (listen_on (self->server, "::1", self->port, &local_error)
          || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          self->uri = g_strdup_printf ("http://localhost:%u", self->port);
          return g_steal_pointer (&self);
        }

      soup_server_disconnect (self->server);
    }

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
               _("Could not open a port on this computer for the browser to come back to: "
                 "every port tried was taken"));
  return NULL;
}

/**
 * stamp_oauth_redirect_get_uri:
 * @self: a #StampOAuthRedirect
 *
 * Returns: the redirect URI to send in the authorization request,
 *   `http://localhost:PORT`
 */
const char *
stamp_oauth_redirect_get_uri (StampOAuthRedirect *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_REDIRECT (self), NULL);

  return self->uri;
}

guint16
stamp_oauth_redirect_get_port (StampOAuthRedirect *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_REDIRECT (self), 0);

  return self->port;
}

/**
 * stamp_oauth_redirect_get_addresses:
 * @self: a #StampOAuthRedirect
 *
 * Returns: (transfer container) (element-type GSocketAddress): the
 *   addresses listened on; empty once closed
 */
GPtrArray *
stamp_oauth_redirect_get_addresses (StampOAuthRedirect *self)
{
  GPtrArray *addresses = g_ptr_array_new_with_free_func (g_object_unref);
  GSList *listeners;

  g_return_val_if_fail (STAMP_IS_OAUTH_REDIRECT (self), addresses);

  if (self->server == NULL)
    return addresses;

  listeners = soup_server_get_listeners (self->server);
  for (GSList *l = listeners; l != NULL; l = l->next)
    {
      GSocketAddress *address = g_socket_get_local_address (l->data, NULL);

      if (address != NULL)
        g_ptr_array_add (addresses, address);
    }
  g_slist_free (listeners);

  return addresses;
}

static gboolean
cancel_idle (gpointer user_data)
{
  GTask *task = user_data;
  StampOAuthRedirect *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (self->task == task)
    {
      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->task), &error);
      stamp_oauth_redirect_close (self);
      finish_task (self, NULL, error);
    }

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable       *cancellable,
              StampOAuthRedirect *self)
{
  /* Not from inside the cancellable's own signal: disconnecting there
   * would deadlock. */
  stamp_task_idle (self->task, cancel_idle);
}

/**
 * stamp_oauth_redirect_receive_async:
 * @self: a #StampOAuthRedirect
 * @provider_name: who the browser signs in with, for messages
 * @state: the state sent in the authorization request
 * @cancellable: (nullable): a #GCancellable; cancelling closes the listener
 * @callback: called with the authorization code
 * @user_data: data for @callback
 *
 * Waits for the browser to come back. There is no deadline here: the
 * caller owns the time limit and cancels.
 */
void
stamp_oauth_redirect_receive_async (StampOAuthRedirect  *self,
                                    const char          *provider_name,
                                    const char          *state,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STAMP_IS_OAUTH_REDIRECT (self));
  g_return_if_fail (state != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_oauth_redirect_receive_async);

  if (self->task != NULL || self->answered || self->server == NULL)
    {
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                               _("This sign-in listener has already been used"));
      return;
    }

  stamp_set_str (&self->state, state);
  stamp_set_str (&self->provider_name, provider_name);
  self->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                self, NULL);
}

/**
 * stamp_oauth_redirect_receive_finish:
 * @self: a #StampOAuthRedirect
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the authorization code, to free
 *   with stamp_secret_free()
 */
char *
stamp_oauth_redirect_receive_finish (StampOAuthRedirect  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_oauth_redirect_close:
 * @self: a #StampOAuthRedirect
 *
 * Stops listening. Safe to call more than once.
 */
void
stamp_oauth_redirect_close (StampOAuthRedirect *self)
{
  g_return_if_fail (STAMP_IS_OAUTH_REDIRECT (self));

  if (self->server != NULL)
    soup_server_disconnect (self->server);
}

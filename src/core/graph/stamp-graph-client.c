/* stamp-graph-client.c
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

#include "stamp-error.h"
#include "stamp-graph-client-private.h"
#include "stamp-net.h"
#include "stamp-util.h"

#define DEFAULT_TIMEOUT  60
#define DEFAULT_MAX_WAIT 30

enum {
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampGraphClient, stamp_graph_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
stamp_graph_client_finalize (GObject *object)
{
  StampGraphClient *self = (StampGraphClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  stamp_clear_secret (&self->token);
  g_clear_object (&self->session);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (stamp_graph_client_parent_class)->finalize (object);
}

static void
stamp_graph_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StampGraphClient *self = STAMP_GRAPH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_graph_client_class_init (StampGraphClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_graph_client_finalize;
  object_class->get_property = stamp_graph_client_get_property;

  /**
   * StampGraphClient:result:
   *
   * The run under way or the last one; it changes when a run begins.
   */
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL,
                         STAMP_TYPE_SMTP_RESULT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_graph_client_init (StampGraphClient *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->max_wait = DEFAULT_MAX_WAIT;
  /* The deadline is the client's own (a time limit per request); the
   * session only keeps idle connections from lingering. */
  self->session = soup_session_new_with_options ("idle-timeout", DEFAULT_TIMEOUT,
                                                 "user-agent", "Stamp/" PACKAGE_VERSION,
                                                 NULL);
}

void
_stamp_graph_client_set_result (StampGraphClient *self,
                                StampSmtpResult  *result)
{
  if (g_set_object (&self->result, result))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

/**
 * stamp_graph_url_validate:
 * @base_url: a Graph base address such as "https://graph.microsoft.com/v1.0"
 * @error: return location for a #GError
 *
 * Checks that @base_url can carry a bearer token: https, or plain http only
 * to a loopback host (a test's mock Graph).
 *
 * Returns: %TRUE if the address may be used; else %FALSE with
 *   %STAMP_ERROR_INVALID_INPUT
 */
gboolean
stamp_graph_url_validate (const char  *base_url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address"), base_url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && stamp_host_is_loopback (host))
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 /* Translators: %s is a web address */
                 _("“%s” uses plain http, which would send the sign-in token unencrypted; "
                   "Microsoft Graph’s address must start with https://"),
                 base_url);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                 _("“%s” is not an https address; Microsoft Graph’s address must start "
                   "with https://"),
                 base_url);

  return FALSE;
}

/**
 * stamp_graph_client_new:
 * @base_url: (nullable): Graph's base address, or %NULL for
 *   %STAMP_GRAPH_DEFAULT_URL
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a new #StampGraphClient, or %NULL
 *   with %STAMP_ERROR_INVALID_INPUT when @base_url may not be used (see
 *   stamp_graph_url_validate())
 */
StampGraphClient *
stamp_graph_client_new (const char  *base_url,
                        GError     **error)
{
  StampGraphClient *self;
  g_autofree char *url = g_strdup (base_url != NULL ? base_url : STAMP_GRAPH_DEFAULT_URL);
  gsize len;

  if (!stamp_graph_url_validate (url, error))
    return NULL;

  /* "…/v1.0/" and "…/v1.0" name the same base. */
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';

  self = g_object_new (STAMP_TYPE_GRAPH_CLIENT, NULL);
  self->base_url = g_steal_pointer (&url);

  return self;
}

/**
 * stamp_graph_client_get_base_url:
 * @self: a #StampGraphClient
 *
 * Returns: the base address requests go to, without a trailing slash
 */
const char *
stamp_graph_client_get_base_url (StampGraphClient *self)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * stamp_graph_client_set_access_token:
 * @self: a #StampGraphClient
 * @token: (nullable): an access token for Graph with Mail.Send
 *
 * Sets the bearer token the next sends use. It is kept apart, wiped when
 * replaced, and never appears in the result.
 */
void
stamp_graph_client_set_access_token (StampGraphClient *self,
                                     const char       *token)
{
  g_return_if_fail (STAMP_IS_GRAPH_CLIENT (self));

  stamp_clear_secret (&self->token);
  self->token = g_strdup (token);
}

/**
 * stamp_graph_client_set_timeout:
 * @self: a #StampGraphClient
 * @seconds: the deadline of one request, from sending to the whole answer
 *
 * Defaults to 60 seconds. 0 is taken as 1.
 */
void
stamp_graph_client_set_timeout (StampGraphClient *self,
                                guint             seconds)
{
  g_return_if_fail (STAMP_IS_GRAPH_CLIENT (self));

  self->timeout = MAX (seconds, 1);
}

/**
 * stamp_graph_client_set_max_wait:
 * @self: a #StampGraphClient
 * @seconds: the longest Retry-After the client waits out itself
 *
 * When Graph answers 429 or 503 with a Retry-After of at most @seconds,
 * the client waits that long and tries once more. Defaults to 30; 0 never
 * waits.
 */
void
stamp_graph_client_set_max_wait (StampGraphClient *self,
                                 guint             seconds)
{
  g_return_if_fail (STAMP_IS_GRAPH_CLIENT (self));

  self->max_wait = seconds;
}

/**
 * stamp_graph_client_get_result:
 * @self: a #StampGraphClient
 *
 * Returns: (transfer none) (nullable): the run under way or the last one
 */
StampSmtpResult *
stamp_graph_client_get_result (StampGraphClient *self)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), NULL);

  return self->result;
}

/**
 * stamp_graph_client_get_retry_after:
 * @self: a #StampGraphClient
 *
 * Returns: after a failed send, the seconds Graph asked to wait before the
 *   next try (429 or 503 with Retry-After), else 0
 */
guint
stamp_graph_client_get_retry_after (StampGraphClient *self)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), 0);

  return self->retry_after;
}

/**
 * stamp_graph_client_get_status:
 * @self: a #StampGraphClient
 *
 * Returns: the HTTP status of the last answer of the last run (202 when
 *   it succeeded), or 0 when Graph did not answer
 */
guint
stamp_graph_client_get_status (StampGraphClient *self)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), 0);

  return self->status;
}

static void
start_run (StampGraphClient    *self,
           GBytes              *mime,
           const GError        *render_error,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* A cancelled run still hands back its result, with the cancellation
   * as its error. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A send through Microsoft Graph is already under way"));
      return;
    }

  _stamp_graph_client_run (self, mime, render_error, task);
}

/**
 * stamp_graph_client_send_async:
 * @self: a #StampGraphClient
 * @message: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the send has ended
 * @user_data: data for @callback
 *
 * POSTs @message, rendered and base64-encoded, to {base}/me/sendMail with
 * `Content-Type: text/plain`. A new #StampGraphClient:result begins with
 * the run; its steps (token, request, accepted) and the redacted
 * transcript fill on the thread-default main context.
 */
void
stamp_graph_client_send_async (StampGraphClient    *self,
                               StampMessage        *message,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GBytes) mime = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (STAMP_IS_GRAPH_CLIENT (self));
  g_return_if_fail (STAMP_IS_MESSAGE (message));

  /* Seven-bit: Exchange takes the MIME as it is, and what arrives is then
   * byte for byte what Stamp built, whatever the next hop allows. */
  if (stamp_message_validate (message, &error))
    mime = stamp_message_render (message, FALSE, &error);

  start_run (self, mime, error, stamp_graph_client_send_async,
             cancellable, callback, user_data);
}

static StampSmtpResult *
finish_run (StampGraphClient  *self,
            GAsyncResult      *result,
            GError           **error)
{
  StampSmtpResult *run = g_task_propagate_pointer (G_TASK (result), error);

  if (run != NULL && stamp_smtp_result_get_error (run) != NULL)
    g_propagate_error (error, g_error_copy (stamp_smtp_result_get_error (run)));

  return run;
}

/**
 * stamp_graph_client_send_finish:
 * @self: a #StampGraphClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * As stamp_smtp_client_send_finish(), this returns the run's result also
 * when the send failed; @error is then set to a copy of its error:
 * %STAMP_ERROR_GRAPH_REFUSED ("Microsoft Graph answered 403
 * ErrorAccessDenied: …"), %STAMP_ERROR_MESSAGE_TOO_LARGE (found before
 * sending), %STAMP_ERROR_OAUTH_SIGN_IN_NEEDED (no token, or a token for
 * another service, which is not sent),
 * %STAMP_ERROR_TIMED_OUT, %STAMP_ERROR_BAD_REPLY (an answer that is not
 * Graph's), a connection error, or %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full) (nullable): what the send did, or %NULL only
 *   when another send was under way (%G_IO_ERROR_PENDING)
 */
StampSmtpResult *
stamp_graph_client_send_finish (StampGraphClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_graph_client_send_async,
                        NULL);

  return finish_run (self, result, error);
}

/**
 * stamp_graph_client_send_mime_async:
 * @self: a #StampGraphClient
 * @mime: the whole message (RFC 5322, CRLF line ends) as it is to arrive
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the send has ended
 * @user_data: data for @callback
 *
 * As stamp_graph_client_send_async() for a message that exists as bytes
 * (the relay's spool).
 */
void
stamp_graph_client_send_mime_async (StampGraphClient    *self,
                                    GBytes              *mime,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (STAMP_IS_GRAPH_CLIENT (self));
  g_return_if_fail (mime != NULL);

  start_run (self, mime, NULL, stamp_graph_client_send_mime_async,
             cancellable, callback, user_data);
}

/**
 * stamp_graph_client_send_mime_finish:
 * @self: a #StampGraphClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * See stamp_graph_client_send_finish().
 *
 * Returns: (transfer full) (nullable): what the send did
 */
StampSmtpResult *
stamp_graph_client_send_mime_finish (StampGraphClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (STAMP_IS_GRAPH_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                          == stamp_graph_client_send_mime_async, NULL);

  return finish_run (self, result, error);
}

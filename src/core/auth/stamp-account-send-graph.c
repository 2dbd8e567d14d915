/* stamp-account-send-graph.c
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

/* StampAccountSend for a Graph account: the Graph token, never the SMTP
 * one, the send through StampGraphClient, and after a 401 on a stored
 * token one forced refresh and one more try. */

#define G_LOG_DOMAIN "stamp-account-send"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-account-send-private.h"
#include "stamp-error.h"
#include "stamp-graph-client.h"
#include "stamp-message.h"
#include "stamp-util.h"

static void graph_attempt (GTask *task);

static void
graph_token_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  char *token;

  token = stamp_credentials_get_token_finish (STAMP_CREDENTIALS (object), result, NULL, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stamp_clear_secret (&run->secret);
  run->secret = token;
  graph_attempt (g_steal_pointer (&task));
}

static void
get_graph_token (GTask    *task,
                 gboolean  force_refresh)
{
  StampAccountSend *self = g_task_get_source_object (task);

  stamp_credentials_get_token_async (self->credentials, self->account, STAMP_TOKEN_RESOURCE_GRAPH,
                                     force_refresh, g_task_get_cancellable (task),
                                     graph_token_cb, task);
}

static void
graph_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampAccountSend *self = g_task_get_source_object (task);
  StampGraphClient *graph = STAMP_GRAPH_CLIENT (object);
  Run *run = g_task_get_task_data (task);
  g_autoptr(StampSmtpResult) outcome = NULL;
  GError *error = NULL;

  outcome = stamp_graph_client_send_finish (graph, result, &error);
  if (outcome != NULL)
    g_set_object (&run->result, outcome);

  if (error == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&outcome), g_object_unref);
      return;
    }

  /* 401 InvalidAuthenticationToken: the stored token expired early or was
   * revoked. One refresh and one more try; a second 401 stays Graph's
   * answer, which the diagnosis explains (sign in again). */
  if (run->token_from_store && !run->retried
      && g_error_matches (error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED)
      && stamp_graph_client_get_status (graph) == 401)
    {
      g_clear_error (&error);
      run->retried = TRUE;
      _stamp_account_send_emit_retrying (self);
      get_graph_token (g_steal_pointer (&task), TRUE);
      return;
    }

  g_task_return_error (task, error);
}

static void
graph_attempt (GTask *task)
{
  StampAccountSend *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *body = NULL;

  stamp_graph_client_set_access_token (self->graph, run->secret);

  /* TRANSLATORS: the body of a test message; %s is a web address */
  body = g_strdup_printf (_("Sent through Microsoft Graph (%s), with the permission Mail.Send."),
                          stamp_graph_client_get_base_url (self->graph));
  message = stamp_message_new_test (run->from, run->to, run->subject, body);

  stamp_graph_client_send_async (self->graph, message, g_task_get_cancellable (task),
                                 graph_send_cb, task);
}

/* The Graph client, made once per test send: the address given with
 * stamp_account_send_set_graph_url(), else the account's. */
static gboolean
ensure_graph (StampAccountSend  *self,
              GError           **error)
{
  g_autofree char *url = NULL;

  if (self->graph != NULL)
    return TRUE;

  url = self->graph_url != NULL ? g_strdup (self->graph_url)
                                : stamp_account_dup_effective_graph_url (self->account);
  self->graph = stamp_graph_client_new (url, error);
  if (self->graph == NULL)
    return FALSE;

  g_signal_connect_object (self->graph, "notify::result", G_CALLBACK (_stamp_account_send_result_cb), self,
                           0);
  return TRUE;
}

/* Sends a Graph account's run: @task (whose reference this takes) holds a
 * Run, and ends with the last attempt's result. */
void
_stamp_account_send_graph_run (StampAccountSend *self,
                               GTask            *task)
{
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ensure_graph (self, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  run->is_token = TRUE;
  if (self->secret_given)
    {
      if (!self->secret_is_token)
        {
          g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                                   _("Microsoft Graph takes an OAuth access token, not a "
                                     "password"));
          g_object_unref (task);
          return;
        }

      run->secret = g_strdup (self->secret);
      graph_attempt (task);
      return;
    }

  run->token_from_store = TRUE;
  get_graph_token (task, FALSE);
}

/* stamp-test-view-send.c
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

#define G_LOG_DOMAIN "stamp-test-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-test-view-private.h"

/* The send itself: finding the secret, one connection, and one more with a
 * refreshed token when the server refuses a stored one. */

/* One run of stamp_test_view_start(), from finding the secret to the
 * server's last reply. It travels through the async callbacks, which free it;
 * a run the view no longer points to (cancelled, or the view is gone: @self
 * is a weak pointer) is stale and its callbacks only free it. */
typedef struct
{
  StampTestView *self;
  GCancellable  *cancellable;
  StampAccount  *account;
  char          *from;
  char          *to;
  StampSecret   *secret;
  gboolean       is_token;
  gboolean       token_from_store;
  gboolean       retried;
} SendState;

static void send_attempt (SendState *state);

static void
send_state_free (SendState *state)
{
  if (state->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (state->self), (gpointer *) &state->self);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->account);
  g_clear_pointer (&state->from, g_free);
  g_clear_pointer (&state->to, g_free);
  stamp_clear_secret (&state->secret);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendState, send_state_free)

static gboolean
send_state_is_stale (SendState *state)
{
  return state->self == NULL || state->self->run != state;
}

static StampExplanation *
explain_failure (StampTestView *self,
                 StampAccount  *account,
                 const char    *from)
{
  StampDiagnosisQuery context = { NULL };
  const char *user = self->client != NULL ? stamp_smtp_client_get_username (self->client) : NULL;

  context.provider_id = stamp_account_get_provider_id (account);
  context.host = stamp_account_get_host (account);
  context.port = stamp_account_get_effective_port (account);
  context.address = user != NULL && strchr (user, '@') != NULL ? user : from;
  context.from = from;

  return stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), self->error,
                                          self->client != NULL
                                          ? stamp_smtp_client_get_failure_reply (self->client)
                                          : NULL,
                                          &context);
}

/* Ends the run with @error; takes @state. */
static void
run_failed (SendState *state,
            GError    *error)
{
  g_autoptr(SendState) owned = state;
  StampTestView *self = state->self;

  g_clear_error (&self->error);
  self->error = error;
  self->explanation = explain_failure (self, state->account, state->from);
  g_debug ("Test send failed: %s (explained: %s)", error->message,
           self->explanation != NULL ? stamp_explanation_get_id (self->explanation) : "no");

  _stamp_test_view_end (self, STAMP_TEST_VIEW_FAILED);
}

/* The token for the run, first the stored one and after a refusal a fresh
 * one; it replaces any secret the run holds. */
static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SendState *state = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = stamp_credentials_get_access_token_finish (STAMP_CREDENTIALS (object), result, NULL,
                                                     &error);
  if (send_state_is_stale (state))
    {
      stamp_clear_secret (&token);
      send_state_free (state);
      return;
    }

  if (token == NULL)
    {
      run_failed (state, g_steal_pointer (&error));
      return;
    }

  stamp_clear_secret (&state->secret);
  state->secret = token;
  send_attempt (state);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;
  StampTestView *self;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = stamp_smtp_client_send_finish (STAMP_SMTP_CLIENT (object), result, &error);
  if (send_state_is_stale (state))
    {
      send_state_free (state);
      return;
    }

  self = state->self;

  if (reply != NULL)
    {
      g_set_object (&self->reply, reply);
      _stamp_test_view_end (self, STAMP_TEST_VIEW_SUCCEEDED);
      send_state_free (state);
      return;
    }

  /* A stored token the server refuses may have been revoked early: one
   * refresh and one more try, as the provider's token is the authority
   * (the CLI does the same). */
  if (state->is_token && state->token_from_store && !state->retried
      && g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED))
    {
      state->retried = TRUE;
      _stamp_test_view_set_description (self, _("The server refused the stored token; trying once more with a "
                               "new one…"));
      stamp_credentials_get_access_token_async (self->credentials, state->account, TRUE,
                                                state->cancellable, token_cb, state);
      return;
    }

  run_failed (state, g_steal_pointer (&error));
}

/* One connection, from greeting to QUIT, with the secret in @state. */
static void
send_attempt (SendState *state)
{
  StampTestView *self = state->self;
  StampAccount *account = state->account;
  StampAuthMechanism auth = stamp_account_get_auth_mechanism (account);
  const char *username = stamp_account_get_username (account);
  g_autoptr(StampSmtpClient) client = NULL;
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *settings = NULL;
  g_autoptr(GError) error = NULL;

  client = stamp_smtp_client_new (stamp_account_get_host (account),
                                  stamp_account_get_effective_port (account),
                                  stamp_account_get_security (account));
  /* A token goes with whichever of XOAUTH2 and OAUTHBEARER the server offers. */
  stamp_smtp_client_set_auth_mechanism (client, state->is_token ? STAMP_AUTH_AUTO : auth);
  stamp_smtp_client_set_username (client, username != NULL ? username : state->from);
  stamp_smtp_client_set_ca_file (client, stamp_account_get_ca_file (account));
  stamp_smtp_client_set_tls_min_version (client, stamp_account_get_tls_min (account));
  stamp_smtp_client_set_ehlo_name (client, stamp_account_get_ehlo_name (account));
  stamp_smtp_client_set_connect_timeout (client,
                                         g_settings_get_int (self->settings, "connect-timeout"));
  stamp_smtp_client_set_reply_timeout (client,
                                       g_settings_get_int (self->settings, "reply-timeout"));
  if (state->secret != NULL && state->is_token)
    stamp_smtp_client_set_oauth_token (client, state->secret);
  else if (state->secret != NULL && auth != STAMP_AUTH_NONE)
    stamp_smtp_client_set_password (client, state->secret);

  _stamp_test_view_set_client (self, client);

  settings = stamp_smtp_client_describe_settings (client);
  message = stamp_message_new_test (state->from, state->to, NULL, settings);
  if (!stamp_message_validate (message, &error))
    {
      run_failed (state, g_steal_pointer (&error));
      return;
    }

  stamp_smtp_client_send_async (client, message, state->cancellable, send_cb, state);
}

static void
password_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SendState *state = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL, &error);
  if (send_state_is_stale (state))
    {
      stamp_clear_secret (&password);
      send_state_free (state);
      return;
    }

  if (error != NULL)
    {
      run_failed (state, g_steal_pointer (&error));
      return;
    }

  /* No stored password is not an error here: the server says what it
   * wants, and the explanation follows from its reply. */
  state->secret = password;
  send_attempt (state);
}

/**
 * stamp_test_view_start:
 * @self: a #StampTestView
 *
 * Sends a test message with the account, unless a send is under way. The
 * outcome arrives through #StampTestView:succeeded and ::finished.
 */
void
stamp_test_view_start (StampTestView *self)
{
  SendState *state;
  StampAuthMechanism auth;

  g_return_if_fail (STAMP_IS_TEST_VIEW (self));
  g_return_if_fail (self->account != NULL);

  if (self->run != NULL)
    return;

  state = g_new0 (SendState, 1);
  state->self = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &state->self);
  state->cancellable = g_cancellable_new ();
  state->account = g_object_ref (self->account);
  state->from = g_strdup (stamp_account_get_address (self->account));
  state->to = g_strdup (stamp_test_view_get_recipient (self));
  self->run = state;
  g_set_object (&self->cancellable, state->cancellable);

  _stamp_test_view_begin (self);

  auth = stamp_account_get_auth_mechanism (self->account);
  if (self->secret != NULL)
    {
      state->secret = g_strdup (self->secret);
      state->is_token = self->is_token;
      send_attempt (state);
    }
  else if (stamp_auth_mechanism_is_oauth (auth))
    {
      if (self->credentials == NULL)
        self->credentials = stamp_credentials_new (stamp_secret_store_get_default ());
      _stamp_test_view_set_description (self, _("Getting a current sign-in token…"));
      state->is_token = TRUE;
      state->token_from_store = TRUE;
      stamp_credentials_get_access_token_async (self->credentials, state->account, FALSE,
                                                state->cancellable, token_cb, state);
    }
  else if (auth != STAMP_AUTH_NONE)
    stamp_secret_store_lookup_async (stamp_secret_store_get_default (), state->from,
                                     STAMP_SECRET_PASSWORD, state->cancellable,
                                     password_cb, state);
  else
    send_attempt (state);
}

/**
 * stamp_test_view_cancel:
 * @self: a #StampTestView
 *
 * Stops the send under way at once; the view shows it as cancelled.
 */
void
stamp_test_view_cancel (StampTestView *self)
{
  g_return_if_fail (STAMP_IS_TEST_VIEW (self));

  if (self->run == NULL)
    return;

  /* The run's callbacks free it when the cancelled operation returns; the
   * view does not wait for that. */
  g_cancellable_cancel (self->cancellable);
  _stamp_test_view_end (self, STAMP_TEST_VIEW_CANCELLED);
}


/* stamp-account-send.c
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

#define G_LOG_DOMAIN "stamp-account-send"

#include "config.h"

#include "stamp-account-send-private.h"
#include "stamp-error.h"
#include "stamp-graph-client.h"
#include "stamp-message.h"
#include "stamp-util.h"

/* StampAccountSend is described in stamp-account-send-private.h, with its
 * struct; a Graph account's send is in stamp-account-send-graph.c. */

enum {
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

enum {
  RETRYING,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (StampAccountSend, stamp_account_send, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


/* Shared with stamp-account-send-graph.c. */
void
_stamp_account_send_emit_retrying (StampAccountSend *self)
{
  g_signal_emit (self, signals[RETRYING], 0);
}

static void
run_free (Run *run)
{
  g_clear_pointer (&run->from, g_free);
  g_clear_pointer (&run->to, g_free);
  g_clear_pointer (&run->subject, g_free);
  stamp_clear_secret (&run->secret);
  g_clear_object (&run->result);
  g_free (run);
}

static void
stamp_account_send_finalize (GObject *object)
{
  StampAccountSend *self = (StampAccountSend *)object;

  g_clear_object (&self->account);
  g_clear_object (&self->credentials);
  g_clear_object (&self->client);
  g_clear_object (&self->graph);
  g_clear_object (&self->result);
  g_clear_pointer (&self->settings, stamp_smtp_settings_free);
  g_clear_pointer (&self->graph_url, g_free);
  stamp_clear_secret (&self->secret);

  G_OBJECT_CLASS (stamp_account_send_parent_class)->finalize (object);
}

static void
stamp_account_send_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StampAccountSend *self = STAMP_ACCOUNT_SEND (object);

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
stamp_account_send_class_init (StampAccountSendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_account_send_finalize;
  object_class->get_property = stamp_account_send_get_property;

  /* The attempt under way or the last one, over SMTP or Graph: its steps
   * and redacted transcript. Notified when an attempt begins. */
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL,
                         STAMP_TYPE_SMTP_RESULT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StampAccountSend::retrying:
   * @self: a #StampAccountSend
   *
   * Emitted when the server refused the stored token and a new one is being
   * fetched for one more try.
   */
  signals[RETRYING] =
    g_signal_new ("retrying",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
stamp_account_send_init (StampAccountSend *self)
{
  self->any_token_mechanism = TRUE;
}

/* Follows the transport's result, so that the app watches one property.
 * Shared with stamp-account-send-graph.c. */
void
_stamp_account_send_result_cb (GObject          *transport,
                               GParamSpec       *pspec,
                               StampAccountSend *self)
{
  StampSmtpResult *result = STAMP_IS_GRAPH_CLIENT (transport)
                            ? stamp_graph_client_get_result (STAMP_GRAPH_CLIENT (transport))
                            : stamp_smtp_client_get_result (STAMP_SMTP_CLIENT (transport));

  if (g_set_object (&self->result, result))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

static const StampSmtpSettings *
get_settings (StampAccountSend *self)
{
  return self->settings != NULL ? self->settings : stamp_smtp_client_get_settings (self->client);
}

static void send_attempt (GTask *task);

/* The secret for the run: first the stored token or password, after a
 * refused token a fresh one. */
static void
secret_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  secret = stamp_account_lookup_secret_finish (STAMP_ACCOUNT (object), result, NULL, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* No stored password is not an error here: the server says what it
   * wants, and the explanation follows from its reply. */
  stamp_clear_secret (&run->secret);
  run->secret = secret;
  send_attempt (g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampAccountSend *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(StampSmtpResult) outcome = NULL;
  GError *error = NULL;

  outcome = stamp_smtp_client_send_finish (STAMP_SMTP_CLIENT (object), result, &error);
  if (outcome != NULL)
    g_set_object (&run->result, outcome);

  if (error == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&outcome), g_object_unref);
      return;
    }

  /* A stored token the server refuses may have been revoked early: one
   * refresh and one more try. */
  if (run->is_token && run->token_from_store && !run->retried
      && g_error_matches (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_clear_error (&error);
      run->retried = TRUE;
      g_signal_emit (self, signals[RETRYING], 0);
      stamp_account_lookup_secret_async (self->account, self->credentials, get_settings (self),
                                         TRUE, cancellable,
                                         secret_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, error);
}

/* One connection, from greeting to QUIT, with the secret the run holds. */
static void
send_attempt (GTask *task)
{
  StampAccountSend *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(StampSmtpSettings) settings =
    stamp_account_dup_send_settings (get_settings (self), run->is_token,
                                     self->any_token_mechanism);
  StampAuthMechanism auth = stamp_smtp_settings_get_auth_mechanism (settings);
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *body = NULL;

  stamp_smtp_client_set_settings (self->client, settings);

  if (run->is_token)
    stamp_smtp_client_set_oauth_token (self->client, run->secret);
  else
    stamp_smtp_client_set_password (self->client, auth != STAMP_AUTH_NONE ? run->secret : NULL);

  body = stamp_smtp_client_describe_settings (self->client);
  message = stamp_message_new_test (run->from, run->to, run->subject, body);

  stamp_smtp_client_send_async (self->client, message, g_task_get_cancellable (task), send_cb,
                                task);
}

/**
 * stamp_account_send_new:
 * @account: the account to send with
 * @credentials: where its password or tokens are kept
 *
 * Returns: (transfer full): a new test send, with the account's settings
 */
StampAccountSend *
stamp_account_send_new (StampAccount     *account,
                        StampCredentials *credentials)
{
  StampAccountSend *self;
  g_autoptr(StampSmtpSettings) settings = NULL;

  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (STAMP_IS_CREDENTIALS (credentials), NULL);

  settings = stamp_account_dup_smtp_settings (account);
  self = g_object_new (STAMP_TYPE_ACCOUNT_SEND, NULL);
  self->account = g_object_ref (account);
  self->credentials = g_object_ref (credentials);
  self->client = stamp_smtp_client_new (settings);
  g_signal_connect_object (self->client, "notify::result", G_CALLBACK (_stamp_account_send_result_cb), self,
                           0);

  return self;
}

/**
 * stamp_account_send_get_client:
 * @self: a #StampAccountSend
 *
 * Returns: (transfer none): the client every SMTP attempt runs on; a
 *   Graph account's test send does not use it
 */
StampSmtpClient *
stamp_account_send_get_client (StampAccountSend *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_SEND (self), NULL);

  return self->client;
}

/**
 * stamp_account_send_get_result:
 * @self: a #StampAccountSend
 *
 * The attempt under way or the last one, whichever way the account sends:
 * the SMTP client's result or the Graph client's.
 *
 * Returns: (transfer none) (nullable): the result, or %NULL before the
 *   first attempt
 */
StampSmtpResult *
stamp_account_send_get_result (StampAccountSend *self)
{
  g_return_val_if_fail (STAMP_IS_ACCOUNT_SEND (self), NULL);

  return self->result;
}

/**
 * stamp_account_send_set_graph_url:
 * @self: a #StampAccountSend
 * @url: (nullable): a Graph base address in place of the account's, such
 *   as a test server's `http://127.0.0.1:PORT/v1.0` (`--graph-url`); %NULL
 *   for the account's
 *
 * Takes effect for the next test send of a Graph account.
 */
void
stamp_account_send_set_graph_url (StampAccountSend *self,
                                  const char       *url)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_SEND (self));

  if (stamp_set_str (&self->graph_url, url))
    g_clear_object (&self->graph);
}

/**
 * stamp_account_send_set_settings:
 * @self: a #StampAccountSend
 * @settings: the settings to send with, in place of the account's (the
 *   command line's overrides, the app's deadlines)
 *
 * The sign-in mechanism in @settings also decides which secret comes from
 * the keyring: a token for XOAUTH2 and OAUTHBEARER, none without sign-in,
 * the password otherwise.
 */
void
stamp_account_send_set_settings (StampAccountSend        *self,
                                 const StampSmtpSettings *settings)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_SEND (self));
  g_return_if_fail (settings != NULL);

  g_clear_pointer (&self->settings, stamp_smtp_settings_free);
  self->settings = stamp_smtp_settings_copy (settings);
}

/**
 * stamp_account_send_set_secret:
 * @self: a #StampAccountSend
 * @secret: (nullable): a password or token the person gave, or %NULL to
 *   take the one in the keyring
 * @is_token: whether @secret is an OAuth access token
 *
 * A given secret is used as it is, and not refreshed when refused.
 */
void
stamp_account_send_set_secret (StampAccountSend *self,
                               const char       *secret,
                               gboolean          is_token)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_SEND (self));

  stamp_clear_secret (&self->secret);
  self->secret = g_strdup (secret);
  self->secret_given = secret != NULL;
  self->secret_is_token = secret != NULL && is_token;
}

/**
 * stamp_account_send_set_any_token_mechanism:
 * @self: a #StampAccountSend
 * @any: %TRUE (the default) to sign in with a token by whichever of
 *   XOAUTH2 and OAUTHBEARER the server offers; %FALSE to hold to the
 *   mechanism in the settings, as when the person named one
 */
void
stamp_account_send_set_any_token_mechanism (StampAccountSend *self,
                                            gboolean          any)
{
  g_return_if_fail (STAMP_IS_ACCOUNT_SEND (self));

  self->any_token_mechanism = !!any;
}

/**
 * stamp_account_send_run_async:
 * @self: a #StampAccountSend
 * @from: (nullable): the sender, or %NULL for the account's address
 * @to: the recipient
 * @subject: (nullable): the subject, or %NULL for the usual one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the test send has ended
 * @user_data: data for @callback
 *
 * Finds the secret (unless one was given), sends a test message that
 * describes the settings, and after a refused stored token, refreshes it
 * once and tries once more. A Graph account sends through Microsoft Graph
 * with its Graph token; a secret given for it must be a token.
 */
void
stamp_account_send_run_async (StampAccountSend    *self,
                              const char          *from,
                              const char          *to,
                              const char          *subject,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StampAuthMechanism auth;
  Run *run;

  g_return_if_fail (STAMP_IS_ACCOUNT_SEND (self));
  g_return_if_fail (to != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (Run, 1);
  run->from = g_strdup (from != NULL ? from : stamp_account_get_address (self->account));
  run->to = g_strdup (to);
  run->subject = g_strdup (subject);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_account_send_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (stamp_account_get_method (self->account) == STAMP_SEND_METHOD_GRAPH)
    {
      _stamp_account_send_graph_run (self, g_steal_pointer (&task));
      return;
    }

  auth = stamp_smtp_settings_get_auth_mechanism (get_settings (self));
  if (self->secret_given)
    {
      run->secret = g_strdup (self->secret);
      run->is_token = self->secret_is_token;
      send_attempt (g_steal_pointer (&task));
    }
  else if (auth != STAMP_AUTH_NONE)
    {
      run->is_token = stamp_auth_mechanism_is_oauth (auth);
      run->token_from_store = run->is_token;
      stamp_account_lookup_secret_async (self->account, self->credentials, get_settings (self),
                                         FALSE, cancellable,
                                         secret_cb, g_steal_pointer (&task));
    }
  else
    send_attempt (g_steal_pointer (&task));
}

/**
 * stamp_account_send_run_finish:
 * @self: a #StampAccountSend
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * As with stamp_smtp_client_send_finish(), the last attempt's result comes
 * back even when the test send failed; @error is set whenever the message
 * was not accepted, also when the secret could not be found or refreshed.
 *
 * Returns: (transfer full) (nullable): the last attempt's result, or %NULL
 *   when no attempt ran
 */
StampSmtpResult *
stamp_account_send_run_finish (StampAccountSend  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  StampSmtpResult *outcome;
  Run *run;

  g_return_val_if_fail (STAMP_IS_ACCOUNT_SEND (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stamp_account_send_run_async,
                        NULL);

  run = g_task_get_task_data (G_TASK (result));
  outcome = g_task_propagate_pointer (G_TASK (result), error);
  if (outcome == NULL && run->result != NULL)
    outcome = g_object_ref (run->result);

  return outcome;
}

static void
lookup_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token;

  token = stamp_credentials_get_token_finish (STAMP_CREDENTIALS (object), result, NULL, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) stamp_secret_free);
}

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = stamp_secret_store_lookup_finish (STAMP_SECRET_STORE (object), result, NULL,
                                               &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) stamp_secret_free);
}

/**
 * stamp_account_lookup_secret_async:
 * @account: an account
 * @credentials: where its secrets are
 * @settings: (nullable): the settings whose sign-in method counts, or
 *   %NULL for the account's own
 * @force_refresh: for a token: get a new one even if the stored one looks
 *   fresh, as after a server refused it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the secret
 * @user_data: data for @callback
 *
 * The one place that says what an account signs in with: an OAuth access
 * token for an OAuth sign-in (for a Graph account, its Graph token), the
 * stored password for a password sign-in, nothing when it signs in with
 * neither. The test send and the relay's
 * deliveries both ask here.
 */
void
stamp_account_lookup_secret_async (StampAccount            *account,
                                   StampCredentials        *credentials,
                                   const StampSmtpSettings *settings,
                                   gboolean                 force_refresh,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(StampSmtpSettings) own = NULL;
  g_autoptr(GTask) task = NULL;
  StampAuthMechanism auth;

  g_return_if_fail (STAMP_IS_ACCOUNT (account));
  g_return_if_fail (STAMP_IS_CREDENTIALS (credentials));

  task = g_task_new (account, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_account_lookup_secret_async);

  if (settings == NULL)
    settings = own = stamp_account_dup_smtp_settings (account);
  auth = stamp_smtp_settings_get_auth_mechanism (settings);
  g_task_set_task_data (task, GINT_TO_POINTER (stamp_auth_mechanism_is_oauth (auth)), NULL);

  /* The token for the resource the account sends to: a Graph account's
   * Graph token, never its SMTP one. */
  if (stamp_auth_mechanism_is_oauth (auth))
    stamp_credentials_get_token_async (credentials, account,
                                       stamp_account_get_token_resource (account), force_refresh,
                                       cancellable, lookup_token_cb, g_steal_pointer (&task));
  else if (auth != STAMP_AUTH_NONE)
    stamp_secret_store_lookup_async (stamp_credentials_get_store (credentials),
                                     stamp_account_get_address (account),
                                     STAMP_SECRET_PASSWORD, cancellable, lookup_password_cb,
                                     g_steal_pointer (&task));
  else
    g_task_return_pointer (task, NULL, NULL);
}

/**
 * stamp_account_lookup_secret_finish:
 * @account: an account
 * @result: the #GAsyncResult
 * @is_token: (out) (optional): whether the secret is an OAuth token
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the secret (free it with
 *   stamp_secret_free()), or %NULL with no error when the account signs in
 *   with none or has no stored password
 */
char *
stamp_account_lookup_secret_finish (StampAccount  *account,
                                    GAsyncResult  *result,
                                    gboolean      *is_token,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, account), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        stamp_account_lookup_secret_async, NULL);

  if (is_token != NULL)
    *is_token = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * stamp_account_dup_send_settings:
 * @settings: an account's settings
 * @is_token: whether the secret is an OAuth token
 * @any_token_mechanism: let a token go with whichever of XOAUTH2 and
 *   OAUTHBEARER the server offers
 *
 * Returns: (transfer full): the settings a send uses with that secret
 */
StampSmtpSettings *
stamp_account_dup_send_settings (const StampSmtpSettings *settings,
                                 gboolean                 is_token,
                                 gboolean                 any_token_mechanism)
{
  StampSmtpSettings *copy;

  g_return_val_if_fail (settings != NULL, NULL);

  copy = stamp_smtp_settings_copy (settings);
  /* A token goes with whichever of XOAUTH2 and OAUTHBEARER the server
   * offers, unless the caller holds to one. */
  if (is_token && any_token_mechanism)
    stamp_smtp_settings_set_auth_mechanism (copy, STAMP_AUTH_AUTO);
  return copy;
}

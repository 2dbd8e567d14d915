/* stamp-oauth-sign-in.c
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


#define G_LOG_DOMAIN "stamp-oauth-sign-in"

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <glib/gi18n-lib.h>

#include "stamp-async.h"
#include "stamp-browser.h"
#include "stamp-error.h"
#include "stamp-oauth-private.h"
#include "stamp-oauth-redirect.h"
#include "stamp-oauth-sign-in.h"
#include "stamp-time-limit.h"
#include "stamp-util.h"

/**
 * StampOAuthSignIn:
 *
 * One interactive sign-in, by either flow:
 *
 * - in the browser: authorization code with PKCE (RFC 7636, S256) and a
 *   loopback redirect (RFC 8252). The address is also kept in
 *   #StampOAuthSignIn:authorize-uri, so a face can show it for opening on
 *   another device when no browser starts here;
 * - with a device code (RFC 8628) for machines without a browser: the code
 *   and the address to enter it at appear in #StampOAuthSignIn:user-code
 *   and #StampOAuthSignIn:verification-uri, and the token endpoint is
 *   polled at the interval the provider asks for.
 *
 * Both end with tokens, an error that says what to do, or the time limit.
 */

#define DEFAULT_TIME_LIMIT (5 * 60)
#define DEVICE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

struct _StampOAuthSignIn
{
  GObject             parent_instance;

  StampOAuthConfig   *config;
  SoupSession        *session;
  guint               time_limit;

  char               *authorize_uri;
  char               *browser_error;
  char               *user_code;
  char               *verification_uri;
  guint               code_lifetime;

  /* The running sign-in. */
  GTask              *task;
  StampTimeLimit     *limit;         /* the caller's cancellable, the time limit */
  StampOAuthRedirect *redirect;
  char               *verifier;
  char               *device_code;
  guint               interval;
  gint64              device_deadline;
  guint               poll_id;
};

enum {
  PROP_0,
  PROP_AUTHORIZE_URI,
  PROP_BROWSER_ERROR,
  PROP_USER_CODE,
  PROP_VERIFICATION_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StampOAuthSignIn, stamp_oauth_sign_in, G_TYPE_OBJECT)

static void
clear_run (StampOAuthSignIn *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->limit);
  g_clear_object (&self->redirect);
  stamp_clear_secret (&self->verifier);
  stamp_clear_secret (&self->device_code);
}

static void
stamp_oauth_sign_in_dispose (GObject *object)
{
  StampOAuthSignIn *self = (StampOAuthSignIn *)object;

  clear_run (self);
  g_clear_object (&self->task);
  g_clear_object (&self->config);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (stamp_oauth_sign_in_parent_class)->dispose (object);
}

static void
stamp_oauth_sign_in_finalize (GObject *object)
{
  StampOAuthSignIn *self = (StampOAuthSignIn *)object;

  g_free (self->authorize_uri);
  g_free (self->browser_error);
  g_free (self->user_code);
  g_free (self->verification_uri);

  G_OBJECT_CLASS (stamp_oauth_sign_in_parent_class)->finalize (object);
}

static void
stamp_oauth_sign_in_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  StampOAuthSignIn *self = STAMP_OAUTH_SIGN_IN (object);

  switch (prop_id)
    {
    case PROP_AUTHORIZE_URI:
      g_value_set_string (value, self->authorize_uri);
      break;
    case PROP_BROWSER_ERROR:
      g_value_set_string (value, self->browser_error);
      break;
    case PROP_USER_CODE:
      g_value_set_string (value, self->user_code);
      break;
    case PROP_VERIFICATION_URI:
      g_value_set_string (value, self->verification_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
stamp_oauth_sign_in_class_init (StampOAuthSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_oauth_sign_in_dispose;
  object_class->finalize = stamp_oauth_sign_in_finalize;
  object_class->get_property = stamp_oauth_sign_in_get_property;

  /**
   * StampOAuthSignIn:authorize-uri:
   *
   * The address the browser sign-in opens, set once it is known.
   */
  properties[PROP_AUTHORIZE_URI] = string_property ("authorize-uri");
  /**
   * StampOAuthSignIn:browser-error:
   *
   * Why no browser could be opened; the sign-in still waits, for the
   * address to be opened by hand.
   */
  properties[PROP_BROWSER_ERROR] = string_property ("browser-error");
  /**
   * StampOAuthSignIn:user-code:
   *
   * The device code sign-in's code for the person to enter.
   */
  properties[PROP_USER_CODE] = string_property ("user-code");
  /**
   * StampOAuthSignIn:verification-uri:
   *
   * Where the person enters #StampOAuthSignIn:user-code.
   */
  properties[PROP_VERIFICATION_URI] = string_property ("verification-uri");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_oauth_sign_in_init (StampOAuthSignIn *self)
{
  self->time_limit = DEFAULT_TIME_LIMIT;
  self->session = _stamp_oauth_session_new ();
}

/**
 * stamp_oauth_sign_in_new:
 * @config: where and how to sign in
 *
 * Returns: (transfer full): a new #StampOAuthSignIn
 */
StampOAuthSignIn *
stamp_oauth_sign_in_new (StampOAuthConfig *config)
{
  StampOAuthSignIn *self;

  g_return_val_if_fail (STAMP_IS_OAUTH_CONFIG (config), NULL);

  self = g_object_new (STAMP_TYPE_OAUTH_SIGN_IN, NULL);
  self->config = g_object_ref (config);

  return self;
}

/**
 * stamp_oauth_sign_in_set_time_limit:
 * @self: a #StampOAuthSignIn
 * @seconds: how long the browser sign-in waits for the browser to come
 *   back (default five minutes); the device code sign-in also ends when
 *   its code expires
 */
void
stamp_oauth_sign_in_set_time_limit (StampOAuthSignIn *self,
                                    guint             seconds)
{
  g_return_if_fail (STAMP_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (seconds > 0);

  self->time_limit = seconds;
}

/**
 * stamp_oauth_sign_in_get_authorize_uri:
 * @self: a #StampOAuthSignIn
 *
 * Returns: (nullable): the address the browser sign-in opens
 */
const char *
stamp_oauth_sign_in_get_authorize_uri (StampOAuthSignIn *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_SIGN_IN (self), NULL);
  return self->authorize_uri;
}

/**
 * stamp_oauth_sign_in_get_browser_error:
 * @self: a #StampOAuthSignIn
 *
 * Returns: (nullable): why no browser could be opened
 */
const char *
stamp_oauth_sign_in_get_browser_error (StampOAuthSignIn *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_SIGN_IN (self), NULL);
  return self->browser_error;
}

/**
 * stamp_oauth_sign_in_get_user_code:
 * @self: a #StampOAuthSignIn
 *
 * Returns: (nullable): the device code sign-in's code
 */
const char *
stamp_oauth_sign_in_get_user_code (StampOAuthSignIn *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_SIGN_IN (self), NULL);
  return self->user_code;
}

/**
 * stamp_oauth_sign_in_get_verification_uri:
 * @self: a #StampOAuthSignIn
 *
 * Returns: (nullable): where to enter the device code
 */
const char *
stamp_oauth_sign_in_get_verification_uri (StampOAuthSignIn *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_SIGN_IN (self), NULL);
  return self->verification_uri;
}

/**
 * stamp_oauth_sign_in_get_code_lifetime:
 * @self: a #StampOAuthSignIn
 *
 * Returns: how many seconds the device code stays valid, 0 before it is known
 */
guint
stamp_oauth_sign_in_get_code_lifetime (StampOAuthSignIn *self)
{
  g_return_val_if_fail (STAMP_IS_OAUTH_SIGN_IN (self), 0);
  return self->code_lifetime;
}

static void
set_string_property (StampOAuthSignIn *self,
                     char            **field,
                     const char       *value,
                     guint             prop_id)
{
  if (stamp_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* RFC 4648 section 5, without padding, as PKCE and state want it. */
static char *
base64url_encode (const guchar *data,
                  gsize         len)
{
  char *encoded = g_base64_encode (data, len);

  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');

  return encoded;
}

/* Random bytes from GnuTLS's generator, base64url-encoded. */
static char *
random_token (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, n_bytes) != 0)
    g_error ("The system random number generator failed");

  return base64url_encode (bytes, n_bytes);
}

static char *
pkce_challenge (const char *verifier)
{
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);

  return base64url_encode (digest, digest_len);
}

/* Ends the running sign-in with @tokens or @error. */
static void
finish (StampOAuthSignIn *self,
        StampOAuthTokens *tokens,
        GError           *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  gboolean timed_out = self->limit != NULL && stamp_time_limit_has_expired (self->limit);

  clear_run (self);

  if (error != NULL && timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      error = self->time_limit % 60 == 0
              ? g_error_new (STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "The sign-in was not finished within %u minute. Start it again.",
                                          "The sign-in was not finished within %u minutes. Start it again.",
                                          self->time_limit / 60),
                             self->time_limit / 60)
              : g_error_new (STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "The sign-in was not finished within %u second. Start it again.",
                                          "The sign-in was not finished within %u seconds. Start it again.",
                                          self->time_limit),
                             self->time_limit);
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify) stamp_oauth_tokens_free);
}

/* What every step of the running sign-in is cancelled with; none once it
 * has ended. */
static GCancellable *
run_cancellable (StampOAuthSignIn *self)
{
  return self->limit != NULL ? stamp_time_limit_get_cancellable (self->limit) : NULL;
}

/* Starts a run; FALSE (and @task answered) if one is running already. */
static gboolean
start_run (StampOAuthSignIn *self,
           GTask            *task)
{
  if (self->task != NULL)
    {
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                               _("A sign-in is already running"));
      return FALSE;
    }

  /* The time limit starts only once the browser is waited for. */
  self->task = g_object_ref (task);
  self->limit = stamp_time_limit_new (g_task_get_cancellable (task), 0,
                                      g_task_get_context (task));

  return TRUE;
}

/* Browser sign-in */

static void
code_exchange_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StampOAuthSignIn) self = user_data;
  GError *error = NULL;
  StampOAuthTokens *tokens = _stamp_oauth_request_tokens_finish (result, NULL, &error);

  finish (self, tokens, error);
}

static void
receive_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(StampOAuthSignIn) self = user_data;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(StampSecret) code = NULL;
  GError *error = NULL;

  code = stamp_oauth_redirect_receive_finish (STAMP_OAUTH_REDIRECT (object), result, &error);
  if (code == NULL)
    {
      finish (self, NULL, error);
      return;
    }

  stamp_time_limit_set_timeout (self->limit, 0);

  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, "grant_type", "authorization_code");
  g_hash_table_insert (form, "code", code);
  g_hash_table_insert (form, "redirect_uri", (gpointer) stamp_oauth_redirect_get_uri (self->redirect));
  g_hash_table_insert (form, "code_verifier", self->verifier);

  _stamp_oauth_request_tokens_async (self->session, self->config, form, run_cancellable (self),
                                     code_exchange_cb, g_object_ref (self));
}

static void
browser_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StampOAuthSignIn) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not fatal: the address is shown, to be opened by hand. */
  if (!stamp_browser_open_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_string_property (self, &self->browser_error, error->message, PROP_BROWSER_ERROR);
}

/**
 * stamp_oauth_sign_in_browser_async:
 * @self: a #StampOAuthSignIn
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens
 * @user_data: data for @callback
 *
 * Signs in through the browser and a loopback redirect, within the time
 * limit.
 */
void
stamp_oauth_sign_in_browser_async (StampOAuthSignIn    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *state = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *uri = NULL;
  GError *error = NULL;

  g_return_if_fail (STAMP_IS_OAUTH_SIGN_IN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_oauth_sign_in_browser_async);
  if (!start_run (self, task))
    return;

  /* No browser for a sign-in nobody waits for. */
  if (g_cancellable_set_error_if_cancelled (run_cancellable (self), &error))
    {
      finish (self, NULL, error);
      return;
    }

  self->redirect = stamp_oauth_redirect_new (&error);
  if (self->redirect == NULL)
    {
      finish (self, NULL, error);
      return;
    }

  self->verifier = random_token (32);
  challenge = pkce_challenge (self->verifier);
  state = random_token (16);
  uri = stamp_oauth_config_build_authorize_uri (self->config,
                                                stamp_oauth_redirect_get_uri (self->redirect),
                                                state, challenge);

  stamp_oauth_redirect_receive_async (self->redirect, stamp_oauth_config_get_provider_name (self->config),
                                      state, run_cancellable (self), receive_cb,
                                      g_object_ref (self));
  stamp_time_limit_set_timeout (self->limit, self->time_limit * 1000);

  set_string_property (self, &self->browser_error, NULL, PROP_BROWSER_ERROR);
  set_string_property (self, &self->authorize_uri, uri, PROP_AUTHORIZE_URI);
  stamp_browser_open_async (uri, run_cancellable (self), browser_opened_cb, g_object_ref (self));
}

/* Device code sign-in */

static void poll_token (StampOAuthSignIn *self);

static gboolean
poll_cb (gpointer user_data)
{
  StampOAuthSignIn *self = user_data;

  self->poll_id = 0;
  poll_token (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (StampOAuthSignIn *self)
{
  if (g_get_monotonic_time () + self->interval * G_USEC_PER_SEC > self->device_deadline)
    {
      finish (self, NULL, g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_EXPIRED,
                                               _("The sign-in code expired before the sign-in was "
                                                 "finished. Start again and enter the new code sooner.")));
      return;
    }

  self->poll_id = g_timeout_add_seconds (self->interval, poll_cb, self);
}

static void
device_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StampOAuthSignIn) self = user_data;
  g_autofree char *oauth_error = NULL;
  GError *error = NULL;
  StampOAuthTokens *tokens = _stamp_oauth_request_tokens_finish (result, &oauth_error, &error);

  if (tokens != NULL || self->task == NULL)
    {
      if (self->task != NULL)
        finish (self, tokens, NULL);
      else
        stamp_oauth_tokens_free (tokens);
      g_clear_error (&error);
      return;
    }

  if (g_strcmp0 (oauth_error, "authorization_pending") == 0)
    {
      g_clear_error (&error);
      schedule_poll (self);
      return;
    }

  /* RFC 8628 section 3.5: five seconds more from now on. */
  if (g_strcmp0 (oauth_error, "slow_down") == 0)
    {
      g_clear_error (&error);
      self->interval += 5;
      schedule_poll (self);
      return;
    }

  finish (self, NULL, error);
}

static void
poll_token (StampOAuthSignIn *self)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (form, "grant_type", DEVICE_GRANT);
  g_hash_table_insert (form, "device_code", self->device_code);

  _stamp_oauth_request_tokens_async (self->session, self->config, form, run_cancellable (self),
                                     device_token_cb, g_object_ref (self));
}

static gint64
get_seconds_member (JsonObject *object,
                    const char *member,
                    gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);

  return fallback;
}

static void
device_code_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StampOAuthSignIn) self = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) answer = _stamp_oauth_post_finish (result, NULL, &error);
  const char *device_code;
  const char *user_code;
  const char *verification_uri;
  gint64 expires_in;

  if (answer == NULL)
    {
      finish (self, NULL, error);
      return;
    }

  device_code = json_object_get_string_member_with_default (answer, "device_code", NULL);
  user_code = json_object_get_string_member_with_default (answer, "user_code", NULL);
  /* Google spells it verification_url. */
  verification_uri = json_object_get_string_member_with_default (answer, "verification_uri",
                       json_object_get_string_member_with_default (answer, "verification_url", NULL));
  expires_in = CLAMP (get_seconds_member (answer, "expires_in", 900), 1, 24 * 3600);

  if (device_code == NULL || user_code == NULL || verification_uri == NULL
      || !g_utf8_validate (user_code, -1, NULL) || !g_utf8_validate (verification_uri, -1, NULL))
    {
      finish (self, NULL, g_error_new (STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED,
                                       _("%s’s sign-in service did not give a usable device code"),
                                       stamp_oauth_config_get_provider_name (self->config)));
      return;
    }

  /* RFC 8628 section 3.2: five seconds when the provider does not say. */
  self->interval = (guint) CLAMP (get_seconds_member (answer, "interval", 5), 1, 60);
  self->device_code = g_strdup (device_code);
  self->device_deadline = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  self->code_lifetime = (guint) expires_in;

  set_string_property (self, &self->verification_uri, verification_uri, PROP_VERIFICATION_URI);
  set_string_property (self, &self->user_code, user_code, PROP_USER_CODE);

  schedule_poll (self);
}

static void
cancel_poll_cb (GCancellable     *cancellable,
                StampOAuthSignIn *self)
{
  /* A poll waiting on its timer has nothing in flight to cancel. */
  if (self->poll_id != 0)
    {
      g_clear_handle_id (&self->poll_id, g_source_remove);
      finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The sign-in was cancelled")));
    }
}

static gboolean
cancel_poll_idle (gpointer user_data)
{
  GTask *task = user_data;
  StampOAuthSignIn *self = g_task_get_source_object (task);

  if (self->task == task)
    cancel_poll_cb (NULL, self);

  return G_SOURCE_REMOVE;
}

static void
device_cancelled_cb (GCancellable     *cancellable,
                     StampOAuthSignIn *self)
{
  if (self->task != NULL)
    stamp_task_idle (self->task, cancel_poll_idle);
}

/**
 * stamp_oauth_sign_in_device_async:
 * @self: a #StampOAuthSignIn
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tokens
 * @user_data: data for @callback
 *
 * Signs in with a device code: watch #StampOAuthSignIn:user-code for the
 * code to show. Ends when the person has signed in on another device, the
 * code expires, or @cancellable is cancelled.
 */
void
stamp_oauth_sign_in_device_async (StampOAuthSignIn    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *scope = NULL;
  const char *device_url;

  g_return_if_fail (STAMP_IS_OAUTH_SIGN_IN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_oauth_sign_in_device_async);

  device_url = stamp_oauth_config_get_device_url (self->config);
  if (device_url == NULL)
    {
      g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_AUTH_UNSUPPORTED,
                               _("%s does not allow the device code sign-in for mail. Sign in "
                                 "in a browser instead; it may be on another computer."),
                               stamp_oauth_config_get_provider_name (self->config));
      return;
    }

  if (!start_run (self, task))
    return;

  g_signal_connect_object (run_cancellable (self), "cancelled", G_CALLBACK (device_cancelled_cb),
                           self, 0);

  scope = stamp_oauth_config_dup_scope (self->config);
  form = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (form, "client_id", (gpointer) stamp_oauth_config_get_client_id (self->config));
  g_hash_table_insert (form, "scope", scope);

  _stamp_oauth_post_async (self->session, self->config, device_url, form, run_cancellable (self),
                           device_code_cb, g_object_ref (self));
}

/**
 * stamp_oauth_sign_in_finish:
 * @self: a #StampOAuthSignIn
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the tokens
 */
StampOAuthTokens *
stamp_oauth_sign_in_finish (StampOAuthSignIn  *self,
                            GAsyncResult      *result,
                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

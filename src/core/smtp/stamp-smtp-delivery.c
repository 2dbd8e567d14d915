/* stamp-smtp-delivery.c
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

#define G_LOG_DOMAIN "stamp-smtp-delivery"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-client-private.h"
#include "stamp-smtp-delivery.h"
#include "stamp-util.h"

/**
 * StampSmtpDelivery:
 *
 * One upstream session that carries messages someone else wrote, for the
 * relay: the bytes as they are, an envelope sender and several
 * recipients, and several messages one after another with RSET between.
 *
 * It is the test send's session without the test message: the same
 * connect, TLS, EHLO, STARTTLS and sign-in (_stamp_send_open() and
 * _stamp_send_run_auth()) and the same MAIL, RCPT and DATA
 * (_stamp_send_transaction()), each step with its deadline. Every call
 * blocks, so it belongs in a worker thread; one thread at a time.
 */

struct _StampSmtpDelivery
{
  GObject         parent_instance;

  /* Owned */
  SendState      *state;
  StampSmtpReply *failed_reply;

  gboolean        open;
  guint           sent;
  guint           transactions;

  /* Borrowed, during one send */
  StampSmtpDeliveryFunc before_final_dot;
  gpointer              before_final_dot_data;
};

G_DEFINE_FINAL_TYPE (StampSmtpDelivery, stamp_smtp_delivery, G_TYPE_OBJECT)

/* The session's events, in the calling thread: a refusal's reply is kept
 * for the caller to judge; the redacted transcript goes to the debug log. */
static void
event_cb (SendEvent *event,
          gpointer   user_data)
{
  StampSmtpDelivery *self = user_data;

  if (event->type == SEND_EVENT_FAILURE && event->reply != NULL)
    g_set_object (&self->failed_reply, event->reply);
  else if (event->type == SEND_EVENT_LINE && event->text != NULL)
    g_debug ("%s %s", event->direction == STAMP_TRANSCRIPT_CLIENT ? "C:"
                      : event->direction == STAMP_TRANSCRIPT_SERVER ? "S:" : "*",
             event->text);

  _stamp_send_event_free (event);
}

static gboolean
before_final_dot_cb (gpointer   user_data,
                     GError   **error)
{
  StampSmtpDelivery *self = user_data;

  return self->before_final_dot == NULL
         || self->before_final_dot (self->before_final_dot_data, error);
}

static void
stamp_smtp_delivery_finalize (GObject *object)
{
  StampSmtpDelivery *self = STAMP_SMTP_DELIVERY (object);

  if (self->state->line != NULL)
    stamp_smtp_line_close (self->state->line);
  g_clear_pointer (&self->state, _stamp_send_state_free);
  g_clear_object (&self->failed_reply);

  G_OBJECT_CLASS (stamp_smtp_delivery_parent_class)->finalize (object);
}

static void
stamp_smtp_delivery_class_init (StampSmtpDeliveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_smtp_delivery_finalize;
}

static void
stamp_smtp_delivery_init (StampSmtpDelivery *self)
{
}

/**
 * stamp_smtp_delivery_new:
 * @settings: where and how to deliver; copied. The sign-in uses its user
 *   name.
 * @secret: (nullable): the password or OAuth access token
 * @secret_is_token: whether @secret is a token
 *
 * Returns: (transfer full): a session that is not open yet
 */
StampSmtpDelivery *
stamp_smtp_delivery_new (const StampSmtpSettings *settings,
                         const char              *secret,
                         gboolean                 secret_is_token)
{
  StampSmtpDelivery *self;

  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (STAMP_TYPE_SMTP_DELIVERY, NULL);
  self->state = _stamp_send_state_new (settings, secret, secret_is_token, NULL, event_cb, self,
                                       NULL);
  self->state->auth_alone = TRUE;
  self->state->before_final_dot = before_final_dot_cb;
  self->state->before_final_dot_data = self;
  return self;
}

/**
 * stamp_smtp_delivery_open:
 * @self: a delivery session
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, sets up TLS as the settings say (never less), reads the
 * greeting, says EHLO and signs in. Blocks.
 *
 * Errors are those of a test send's first steps: %STAMP_ERROR_HOST_NOT_FOUND,
 * %STAMP_ERROR_CONNECTION_REFUSED, %STAMP_ERROR_TIMED_OUT, the TLS and
 * certificate codes, %STAMP_ERROR_SERVER_UNAVAILABLE, %STAMP_ERROR_THROTTLED
 * (a 4xx greeting), %STAMP_ERROR_AUTH_FAILED (a refused password or token),
 * %STAMP_ERROR_AUTH_DISABLED and the like.
 *
 * Returns: %TRUE when the session is ready for stamp_smtp_delivery_send()
 */
gboolean
stamp_smtp_delivery_open (StampSmtpDelivery  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  SendState *state;

  g_return_val_if_fail (STAMP_IS_SMTP_DELIVERY (self), FALSE);
  g_return_val_if_fail (!self->open && self->state->line == NULL, FALSE);

  state = self->state;
  if (!stamp_smtp_settings_check (state->settings, error))
    return FALSE;
  if (state->secret != NULL && state->username == NULL)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("The settings have no user name to sign in with"));
      return FALSE;
    }

  state->start_time = g_get_monotonic_time ();
  _stamp_send_remember_hidden (state, state->secret);
  g_clear_object (&self->failed_reply);

  if (!_stamp_send_open (state, cancellable, error) ||
      !_stamp_send_run_auth (state, cancellable, error))
    {
      if (state->line != NULL)
        {
          _stamp_send_quit_quietly (state, cancellable);
          stamp_smtp_line_close (state->line);
        }
      return FALSE;
    }

  self->open = TRUE;
  return TRUE;
}

/**
 * stamp_smtp_delivery_is_open:
 * @self: a delivery session
 *
 * Returns: whether the session can take another message: it is open and
 *   no failure left it out of step with the server
 */
gboolean
stamp_smtp_delivery_is_open (StampSmtpDelivery *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_DELIVERY (self), FALSE);

  return self->open && self->state->in_sync;
}

static gboolean
has_8bit (GBytes *bytes)
{
  gsize length;
  const guchar *data = g_bytes_get_data (bytes, &length);

  for (gsize i = 0; i < length; i++)
    if (data[i] >= 0x80)
      return TRUE;
  return FALSE;
}

static gboolean
needs_smtputf8 (const char         *from,
                const char * const *recipients)
{
  if (!stamp_str_is_ascii (from))
    return TRUE;
  for (guint i = 0; recipients[i] != NULL; i++)
    if (!stamp_str_is_ascii (recipients[i]))
      return TRUE;
  return FALSE;
}

/* A refusal that ends a pipelined group leaves later recipients with no
 * reply: their places stay NULL. */
static void
reply_unref (gpointer reply)
{
  if (reply != NULL)
    g_object_unref (reply);
}

/**
 * stamp_smtp_delivery_send:
 * @self: an open delivery session
 * @from: the envelope sender
 * @recipients: (array zero-terminated=1): the envelope recipients, at least one
 * @message: the message's bytes, lines ending in CRLF, not dot-stuffed
 * @recipient_replies: (out) (optional) (transfer container) (element-type StampSmtpReply):
 *   the reply to each RCPT, in the order of @recipients
 * @before_final_dot: (nullable) (scope call): called just before the end
 *   of the message goes; the relay writes its "may have been delivered"
 *   marker there
 * @user_data: data for @before_final_dot
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends one message: RSET first when the session carried one before, MAIL
 * FROM with SIZE and BODY=8BITMIME when the server offers them, RCPT for
 * each recipient, and DATA. A refused recipient does not stop the others:
 * the message goes when at least one is accepted, and @recipient_replies
 * says which were refused. Blocks.
 *
 * On failure stamp_smtp_delivery_get_failed_reply() holds the server's
 * refusal, if there was one (none for a network failure or a timeout).
 * Errors: %STAMP_ERROR_SENDER_REJECTED, %STAMP_ERROR_RECIPIENT_REJECTED
 * (every recipient refused), %STAMP_ERROR_MESSAGE_REJECTED,
 * %STAMP_ERROR_MESSAGE_TOO_LARGE, %STAMP_ERROR_THROTTLED (any 4xx),
 * %STAMP_ERROR_SMTPUTF8_UNSUPPORTED, %STAMP_ERROR_TIMED_OUT,
 * %STAMP_ERROR_CONNECTION_CLOSED, or the error of @before_final_dot.
 *
 * Returns: (transfer full): the reply that accepted the message, or %NULL
 */
StampSmtpReply *
stamp_smtp_delivery_send (StampSmtpDelivery      *self,
                          const char             *from,
                          const char * const     *recipients,
                          GBytes                 *message,
                          GPtrArray             **recipient_replies,
                          StampSmtpDeliveryFunc   before_final_dot,
                          gpointer                user_data,
                          GCancellable           *cancellable,
                          GError                **error)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(StampSmtpReply) accepted = NULL;
  SendEnvelope envelope = { 0, };
  SendState *state;
  gboolean ok;

  g_return_val_if_fail (STAMP_IS_SMTP_DELIVERY (self), NULL);
  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (recipients != NULL && recipients[0] != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  state = self->state;
  g_clear_object (&self->failed_reply);

  if (!stamp_smtp_delivery_is_open (self))
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                           _("The connection to the server is no longer usable"));
      return NULL;
    }

  /* RFC 5321 §4.1.1.5: a clean start for each message after the first. */
  if (self->transactions > 0)
    {
      SendCommand rset = { STAMP_SMTP_STEP_MAIL, 250, "RSET", NULL, NULL, FALSE, TRUE, NULL };

      if (!_stamp_send_exchange (state, &rset, 1, FALSE, NULL, cancellable, error))
        return NULL;
    }
  self->transactions++;

  if (needs_smtputf8 (from, recipients) && _stamp_send_capability (state, "SMTPUTF8") == NULL)
    {
      _stamp_send_fail_before_mail (state, STAMP_ERROR_SMTPUTF8_UNSUPPORTED,
                                    _("An address has non-ASCII characters before the “@”, "
                                      "and this server does not offer SMTPUTF8 to carry them"),
                                    error);
      return NULL;
    }

  replies = g_ptr_array_new_with_free_func (reply_unref);
  envelope.from = from;
  envelope.recipients = recipients;
  envelope.payload = message;
  envelope.body_8bit = has_8bit (message);
  envelope.smtputf8 = needs_smtputf8 (from, recipients);
  envelope.quit_after = FALSE;
  envelope.rcpt_replies = replies;

  self->before_final_dot = before_final_dot;
  self->before_final_dot_data = user_data;
  {
    g_autoptr(GError) local_error = NULL;

    ok = _stamp_send_transaction (state, &envelope, &accepted, cancellable, &local_error);
    self->before_final_dot = NULL;
    self->before_final_dot_data = NULL;

    /* Every recipient refused: that, not the refused DATA after it, is
     * the reason to report. */
    if (!ok && replies->len > 0)
      {
        StampSmtpReply *first_refusal = NULL;
        gboolean any_accepted = FALSE;

        for (guint i = 0; i < replies->len; i++)
          {
            StampSmtpReply *reply = g_ptr_array_index (replies, i);

            if (reply != NULL && stamp_smtp_reply_is_positive (reply))
              any_accepted = TRUE;
            else if (reply != NULL && first_refusal == NULL)
              first_refusal = reply;
          }
        if (!any_accepted && first_refusal != NULL)
          {
            g_clear_error (&local_error);
            _stamp_send_fail_with_reply (state, STAMP_SMTP_STEP_RCPT, first_refusal, &local_error);
            g_set_object (&self->failed_reply, first_refusal);
          }
      }
    if (!ok)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }

  self->sent++;
  if (recipient_replies != NULL)
    *recipient_replies = g_steal_pointer (&replies);
  return _stamp_send_hide_secrets_in_reply (state, accepted);
}

/**
 * stamp_smtp_delivery_get_failed_reply:
 * @self: a delivery session
 *
 * Returns: (transfer none) (nullable): the server's reply that made the
 *   last open or send fail, or %NULL when none did or the failure was not
 *   a reply (network, timeout)
 */
StampSmtpReply *
stamp_smtp_delivery_get_failed_reply (StampSmtpDelivery *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_DELIVERY (self), NULL);

  return self->failed_reply;
}

/**
 * stamp_smtp_delivery_get_sent:
 * @self: a delivery session
 *
 * Returns: how many messages the server accepted on this session
 */
guint
stamp_smtp_delivery_get_sent (StampSmtpDelivery *self)
{
  g_return_val_if_fail (STAMP_IS_SMTP_DELIVERY (self), 0);

  return self->sent;
}

/**
 * stamp_smtp_delivery_close:
 * @self: a delivery session
 * @cancellable: (nullable): a #GCancellable
 *
 * Says QUIT, waiting only briefly for the answer, and closes the
 * connection. Blocks.
 */
void
stamp_smtp_delivery_close (StampSmtpDelivery *self,
                           GCancellable      *cancellable)
{
  g_return_if_fail (STAMP_IS_SMTP_DELIVERY (self));

  if (self->state->line == NULL)
    return;
  _stamp_send_quit_quietly (self->state, cancellable);
  stamp_smtp_line_close (self->state->line);
  self->state->in_sync = FALSE;
  self->open = FALSE;
}

/* stamp-account-send-private.h
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

#pragma once

#include "stamp-account-send.h"
#include "stamp-graph-client.h"

G_BEGIN_DECLS

/**
 * StampAccountSend:
 *
 * The one way to test-send with an account, for the app and the command
 * line alike: the secret from the keyring (the password, or a current
 * OAuth token), the send, and when the server refuses a stored token, one
 * forced refresh and one more try, since the provider's token is the
 * authority. A secret the person gives is used as it is, once.
 *
 * A Graph account sends through Microsoft Graph instead, with its Graph
 * access token (never the SMTP one): when Graph refuses a stored token
 * (401 InvalidAuthenticationToken), one forced refresh and one more try
 * too. Every attempt's result, from either transport, is
 * #StampAccountSend:result, so a face follows one property whatever the
 * account's method; SMTP attempts all run on the same #StampSmtpClient.
 */
struct _StampAccountSend
{
  GObject parent_instance;

  /* Owned */
  StampAccount      *account;
  StampCredentials  *credentials;
  StampSmtpClient   *client;
  StampSmtpSettings *settings;
  StampGraphClient  *graph;
  StampSmtpResult   *result;
  char              *graph_url;
  char              *secret;

  gboolean           secret_given;
  gboolean           secret_is_token;
  gboolean           any_token_mechanism;
};

/* One run_async(), from the secret to the last attempt's reply. */
typedef struct
{
  char             *from;
  char             *to;
  char             *subject;
  char             *secret;
  StampSmtpResult  *result;   /* the last attempt's */
  gboolean          is_token;
  gboolean          token_from_store;
  gboolean          retried;
} Run;

void _stamp_account_send_result_cb     (GObject          *transport,
                                        GParamSpec       *pspec,
                                        StampAccountSend *self);
void _stamp_account_send_emit_retrying (StampAccountSend *self);
void _stamp_account_send_graph_run     (StampAccountSend *self,
                                        GTask            *task);

G_END_DECLS

/* stamp-account-send.h
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

#include <gio/gio.h>

#include "stamp-account.h"
#include "stamp-credentials.h"
#include "stamp-smtp-client.h"

G_BEGIN_DECLS

#define STAMP_TYPE_ACCOUNT_SEND (stamp_account_send_get_type ())

G_DECLARE_FINAL_TYPE (StampAccountSend, stamp_account_send, STAMP, ACCOUNT_SEND, GObject)

StampAccountSend *stamp_account_send_new                       (StampAccount             *account,
                                                                StampCredentials         *credentials);
StampSmtpClient  *stamp_account_send_get_client                (StampAccountSend         *self);
StampSmtpResult  *stamp_account_send_get_result                (StampAccountSend         *self);
void              stamp_account_send_set_graph_url             (StampAccountSend         *self,
                                                                const char               *url);
void              stamp_account_send_set_settings              (StampAccountSend         *self,
                                                                const StampSmtpSettings  *settings);
void              stamp_account_send_set_secret                (StampAccountSend         *self,
                                                                const char               *secret,
                                                                gboolean                  is_token);
void              stamp_account_send_set_any_token_mechanism   (StampAccountSend         *self,
                                                                gboolean                  any);
void              stamp_account_send_run_async                 (StampAccountSend         *self,
                                                                const char               *from,
                                                                const char               *to,
                                                                const char               *subject,
                                                                GCancellable             *cancellable,
                                                                GAsyncReadyCallback       callback,
                                                                gpointer                  user_data);
StampSmtpResult  *stamp_account_send_run_finish                (StampAccountSend         *self,
                                                                GAsyncResult             *result,
                                                                GError                  **error);

/* What an account signs in with, for the test send and the relay alike. */
void               stamp_account_lookup_secret_async   (StampAccount             *account,
                                                        StampCredentials         *credentials,
                                                        const StampSmtpSettings  *settings,
                                                        gboolean                  force_refresh,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
char              *stamp_account_lookup_secret_finish  (StampAccount             *account,
                                                        GAsyncResult             *result,
                                                        gboolean                 *is_token,
                                                        GError                  **error);
StampSmtpSettings *stamp_account_dup_send_settings     (const StampSmtpSettings  *settings,
                                                        gboolean                  is_token,
                                                        gboolean                  any_token_mechanism);

G_END_DECLS

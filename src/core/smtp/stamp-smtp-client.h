/* stamp-smtp-client.h
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

#include "stamp-message.h"
#include "stamp-smtp-result.h"
#include "stamp-smtp-settings.h"
#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_TYPE_SMTP_CLIENT (stamp_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpClient, stamp_smtp_client, STAMP, SMTP_CLIENT, GObject)

StampSmtpClient         *stamp_smtp_client_new                (const StampSmtpSettings  *settings);
const StampSmtpSettings *stamp_smtp_client_get_settings       (StampSmtpClient          *self);
void                     stamp_smtp_client_set_settings       (StampSmtpClient          *self,
                                                               const StampSmtpSettings  *settings);
void                     stamp_smtp_client_set_password       (StampSmtpClient          *self,
                                                               const char               *password);
void                     stamp_smtp_client_set_oauth_token    (StampSmtpClient          *self,
                                                               const char               *token);
char                    *stamp_smtp_client_describe_settings  (StampSmtpClient          *self);
gboolean                 stamp_smtp_client_get_busy           (StampSmtpClient          *self);
StampSmtpResult         *stamp_smtp_client_get_result         (StampSmtpClient          *self);

void                     stamp_smtp_client_send_async         (StampSmtpClient          *self,
                                                               StampMessage             *message,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
StampSmtpResult         *stamp_smtp_client_send_finish        (StampSmtpClient          *self,
                                                               GAsyncResult             *result,
                                                               GError                  **error);
void                     stamp_smtp_client_probe_async        (StampSmtpClient          *self,
                                                               GCancellable             *cancellable,
                                                               GAsyncReadyCallback       callback,
                                                               gpointer                  user_data);
GHashTable              *stamp_smtp_client_probe_finish       (StampSmtpClient          *self,
                                                               GAsyncResult             *result,
                                                               GError                  **error);

G_END_DECLS

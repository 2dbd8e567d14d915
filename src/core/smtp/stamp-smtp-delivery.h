/* stamp-smtp-delivery.h
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

#include "stamp-smtp-reply.h"
#include "stamp-smtp-settings.h"

G_BEGIN_DECLS

#define STAMP_TYPE_SMTP_DELIVERY (stamp_smtp_delivery_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpDelivery, stamp_smtp_delivery, STAMP, SMTP_DELIVERY, GObject)

/**
 * StampSmtpDeliveryFunc:
 * @user_data: the data given with it
 * @error: return location for a #GError
 *
 * Called just before the end of the message goes to the server.
 *
 * Returns: %FALSE to stop before it, with @error set
 */
typedef gboolean (*StampSmtpDeliveryFunc) (gpointer   user_data,
                                           GError   **error);

StampSmtpDelivery *stamp_smtp_delivery_new              (const StampSmtpSettings  *settings,
                                                         const char               *secret,
                                                         gboolean                  secret_is_token);
gboolean           stamp_smtp_delivery_open             (StampSmtpDelivery        *self,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
gboolean           stamp_smtp_delivery_is_open          (StampSmtpDelivery        *self);
StampSmtpReply    *stamp_smtp_delivery_send             (StampSmtpDelivery        *self,
                                                         const char               *from,
                                                         const char * const       *recipients,
                                                         GBytes                   *message,
                                                         GPtrArray               **recipient_replies,
                                                         StampSmtpDeliveryFunc     before_final_dot,
                                                         gpointer                  user_data,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
StampSmtpReply    *stamp_smtp_delivery_get_failed_reply (StampSmtpDelivery        *self);
guint              stamp_smtp_delivery_get_sent         (StampSmtpDelivery        *self);
void               stamp_smtp_delivery_close            (StampSmtpDelivery        *self,
                                                         GCancellable             *cancellable);

G_END_DECLS

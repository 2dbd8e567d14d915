/* stamp-smtp-settings.h
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

#include <glib-object.h>

#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT 15
#define STAMP_SMTP_DEFAULT_REPLY_TIMEOUT   30

#define STAMP_TYPE_SMTP_SETTINGS (stamp_smtp_settings_get_type ())

typedef struct _StampSmtpSettings StampSmtpSettings;

GType               stamp_smtp_settings_get_type            (void) G_GNUC_CONST;
StampSmtpSettings  *stamp_smtp_settings_new                 (const char               *host,
                                                             guint16                   port,
                                                             StampSecurity             security);
StampSmtpSettings  *stamp_smtp_settings_copy                (const StampSmtpSettings  *self);
void                stamp_smtp_settings_free                (StampSmtpSettings        *self);
const char         *stamp_smtp_settings_get_host            (const StampSmtpSettings  *self);
guint16             stamp_smtp_settings_get_port            (const StampSmtpSettings  *self);
StampSecurity       stamp_smtp_settings_get_security        (const StampSmtpSettings  *self);
StampAuthMechanism  stamp_smtp_settings_get_auth_mechanism  (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_auth_mechanism  (StampSmtpSettings        *self,
                                                             StampAuthMechanism        mechanism);
const char         *stamp_smtp_settings_get_username        (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_username        (StampSmtpSettings        *self,
                                                             const char               *username);
const char         *stamp_smtp_settings_get_ca_file         (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_ca_file         (StampSmtpSettings        *self,
                                                             const char               *ca_file);
StampTlsVersion     stamp_smtp_settings_get_tls_min_version (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_tls_min_version (StampSmtpSettings        *self,
                                                             StampTlsVersion           version);
const char         *stamp_smtp_settings_get_ehlo_name       (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_ehlo_name       (StampSmtpSettings        *self,
                                                             const char               *ehlo_name);
guint               stamp_smtp_settings_get_connect_timeout (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_connect_timeout (StampSmtpSettings        *self,
                                                             guint                     seconds);
guint               stamp_smtp_settings_get_reply_timeout   (const StampSmtpSettings  *self);
void                stamp_smtp_settings_set_reply_timeout   (StampSmtpSettings        *self,
                                                             guint                     seconds);
gboolean            stamp_smtp_settings_check               (const StampSmtpSettings  *self,
                                                             GError                  **error);
char               *stamp_smtp_settings_describe            (const StampSmtpSettings  *self,
                                                             gboolean                  has_secret,
                                                             gboolean                  secret_is_token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSmtpSettings, stamp_smtp_settings_free)

G_END_DECLS

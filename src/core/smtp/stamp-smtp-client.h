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
#include "stamp-smtp-reply.h"
#include "stamp-smtp-step.h"
#include "stamp-transcript.h"
#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_SMTP_DEFAULT_CONNECT_TIMEOUT 15
#define STAMP_SMTP_DEFAULT_REPLY_TIMEOUT   30

#define STAMP_TYPE_SMTP_CLIENT (stamp_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpClient, stamp_smtp_client, STAMP, SMTP_CLIENT, GObject)

StampSmtpClient    *stamp_smtp_client_new                (const char          *host,
                                                          guint16              port,
                                                          StampSecurity        security);
const char         *stamp_smtp_client_get_host           (StampSmtpClient     *self);
guint16             stamp_smtp_client_get_port           (StampSmtpClient     *self);
StampSecurity       stamp_smtp_client_get_security       (StampSmtpClient     *self);
StampAuthMechanism  stamp_smtp_client_get_auth_mechanism (StampSmtpClient     *self);
void                stamp_smtp_client_set_auth_mechanism (StampSmtpClient     *self,
                                                          StampAuthMechanism   mechanism);
const char         *stamp_smtp_client_get_username       (StampSmtpClient     *self);
void                stamp_smtp_client_set_username       (StampSmtpClient     *self,
                                                          const char          *username);
void                stamp_smtp_client_set_password       (StampSmtpClient     *self,
                                                          const char          *password);
void                stamp_smtp_client_set_oauth_token    (StampSmtpClient     *self,
                                                          const char          *token);
const char         *stamp_smtp_client_get_ca_file        (StampSmtpClient     *self);
void                stamp_smtp_client_set_ca_file        (StampSmtpClient     *self,
                                                          const char          *ca_file);
StampTlsVersion     stamp_smtp_client_get_tls_min_version (StampSmtpClient    *self);
void                stamp_smtp_client_set_tls_min_version (StampSmtpClient    *self,
                                                           StampTlsVersion     version);
guint               stamp_smtp_client_get_connect_timeout (StampSmtpClient    *self);
void                stamp_smtp_client_set_connect_timeout (StampSmtpClient    *self,
                                                           guint               seconds);
guint               stamp_smtp_client_get_reply_timeout  (StampSmtpClient     *self);
void                stamp_smtp_client_set_reply_timeout  (StampSmtpClient     *self,
                                                          guint                seconds);
const char         *stamp_smtp_client_get_ehlo_name      (StampSmtpClient     *self);
void                stamp_smtp_client_set_ehlo_name      (StampSmtpClient     *self,
                                                          const char          *ehlo_name);
char               *stamp_smtp_client_describe_settings  (StampSmtpClient     *self);

void                stamp_smtp_client_send_async         (StampSmtpClient     *self,
                                                          StampMessage        *message,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
StampSmtpReply     *stamp_smtp_client_send_finish        (StampSmtpClient     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void                stamp_smtp_client_probe_async        (StampSmtpClient     *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GHashTable         *stamp_smtp_client_probe_finish       (StampSmtpClient     *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
gboolean            stamp_smtp_client_get_busy           (StampSmtpClient     *self);
GListModel         *stamp_smtp_client_get_steps          (StampSmtpClient     *self);
StampTranscript    *stamp_smtp_client_get_transcript     (StampSmtpClient     *self);
StampSmtpStep      *stamp_smtp_client_get_failed_step    (StampSmtpClient     *self);
StampSmtpReply     *stamp_smtp_client_get_failure_reply  (StampSmtpClient     *self);
const char         *stamp_smtp_client_get_tls_version    (StampSmtpClient     *self);
const char         *stamp_smtp_client_get_tls_cipher     (StampSmtpClient     *self);
const char * const *stamp_smtp_client_get_tls_certificates (StampSmtpClient   *self);
StampAuthMechanism  stamp_smtp_client_get_used_mechanism (StampSmtpClient     *self);
guint               stamp_smtp_client_get_round_trips    (StampSmtpClient     *self);
gint64              stamp_smtp_client_get_elapsed        (StampSmtpClient     *self);

G_END_DECLS

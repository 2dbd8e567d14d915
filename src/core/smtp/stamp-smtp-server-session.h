/* stamp-smtp-server-session.h
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

#include "stamp-types.h"

G_BEGIN_DECLS

/* RFC 5321 §4.5.3.1.4: a command line, without its CRLF. */
#define STAMP_SMTP_SERVER_COMMAND_MAX    510
#define STAMP_SMTP_SERVER_MAX_RECIPIENTS 100

/**
 * StampSmtpEnvelope:
 * @client_ip: the client's address, "192.0.2.7" or "2001:db8::7"
 * @identity: who sends: the name the handler gave when the client signed
 *   in, or the one it gave for sending without signing in
 * @sender: the MAIL FROM address, without its angle brackets
 * @recipients: the RCPT TO addresses
 */
typedef struct
{
  const char         *client_ip;
  const char         *identity;
  const char         *sender;
  const char * const *recipients;
} StampSmtpEnvelope;

/**
 * StampSmtpServerHandler:
 * @tls_min_version: the lowest TLS version this client may start, asked at
 *   STARTTLS
 * @may_sign_in_without_tls: whether AUTH is offered and taken from this
 *   client before STARTTLS
 * @identify_without_sign_in: (nullable) the identity a client at this
 *   address may send as without signing in, or %NULL
 * @authenticate: checks a user name and password; @tls_version is %NULL in
 *   plain text. Returns the identity, or %NULL with %STAMP_ERROR_AUTH_FAILED
 *   (535), %STAMP_ERROR_TLS_REQUIRED (538), %STAMP_ERROR_THROTTLED (421,
 *   and the session ends) or another error (454, temporary). The message
 *   goes to the log, never to the client for %STAMP_ERROR_AUTH_FAILED; it
 *   must never hold the password.
 * @check_sender: whether @identity may send as @sender; the error's
 *   message is the client's 550 reply and says which address is allowed
 * @open_message: starts a message; returns a handle and its stream
 * @commit_message: makes the message safe (fsync) and returns its id;
 *   the client is told 250 only after it returns
 * @free_message: drops a handle, committed or not
 * @log: one line per accepted message and per refused attempt
 * @max_message_size: (nullable) the largest message @identity may send,
 *   or 0 for the session's own limit; a smaller one of the two holds
 * @size_refusal: (nullable) the words of the 552 reply when a message of
 *   @identity is over its own limit (why that limit), or %NULL for the
 *   usual words
 *
 * What a #StampSmtpServerSession asks of the one who runs it: the session
 * speaks SMTP and knows nothing of devices, accounts or spools. Every
 * function is called in the session's thread and must be thread-safe.
 */
typedef struct
{
  StampTlsVersion (*tls_min_version)          (gpointer                  user_data,
                                               const char               *client_ip);
  gboolean        (*may_sign_in_without_tls)  (gpointer                  user_data,
                                               const char               *client_ip);
  char           *(*identify_without_sign_in) (gpointer                  user_data,
                                               const char               *client_ip);
  char           *(*authenticate)             (gpointer                  user_data,
                                               const char               *client_ip,
                                               const char               *user,
                                               const char               *password,
                                               const char               *tls_version,
                                               GError                  **error);
  gboolean        (*check_sender)             (gpointer                  user_data,
                                               const char               *identity,
                                               const char               *sender,
                                               GError                  **error);
  gpointer        (*open_message)             (gpointer                  user_data,
                                               const StampSmtpEnvelope  *envelope,
                                               GOutputStream           **stream,
                                               GError                  **error);
  char           *(*commit_message)           (gpointer                  user_data,
                                               gpointer                  message,
                                               GError                  **error);
  void            (*free_message)             (gpointer                  user_data,
                                               gpointer                  message);
  void            (*log)                      (gpointer                  user_data,
                                               const char               *client_ip,
                                               const char               *identity,
                                               const char               *event);
  guint64         (*max_message_size)         (gpointer                  user_data,
                                               const char               *identity);
  char           *(*size_refusal)             (gpointer                  user_data,
                                               const char               *identity);
} StampSmtpServerHandler;

#define STAMP_TYPE_SMTP_SERVER_SESSION (stamp_smtp_server_session_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpServerSession, stamp_smtp_server_session, STAMP, SMTP_SERVER_SESSION, GObject)

StampSmtpServerSession *stamp_smtp_server_session_new           (GSocket                       *socket,
                                                                 const StampSmtpServerHandler  *handler,
                                                                 gpointer                       user_data);
const char             *stamp_smtp_server_session_get_client_ip (StampSmtpServerSession        *self);
void                    stamp_smtp_server_session_set_server_name (StampSmtpServerSession      *self,
                                                                 const char                    *name);
void                    stamp_smtp_server_session_set_tls_files (StampSmtpServerSession        *self,
                                                                 const char                    *cert_file,
                                                                 const char                    *key_file);
void                    stamp_smtp_server_session_set_max_message_size (StampSmtpServerSession *self,
                                                                 guint64                       max_size);
void                    stamp_smtp_server_session_set_timeouts  (StampSmtpServerSession        *self,
                                                                 guint                          command_ms,
                                                                 guint                          data_ms);
/* Called in the session's thread on QUIT, before 221 goes: the client may
 * connect again as soon as it reads that. */
void                    stamp_smtp_server_session_set_quit_func (StampSmtpServerSession        *self,
                                                                 GFunc                          func,
                                                                 gpointer                       user_data);
void                    stamp_smtp_server_session_run           (StampSmtpServerSession        *self,
                                                                 GCancellable                  *cancellable);

G_END_DECLS

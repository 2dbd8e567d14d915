/* stamp-smtp-line.h
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
#include "stamp-tls-session.h"
#include "stamp-transcript-line.h"

G_BEGIN_DECLS

/* The limits of every SMTP speaker in Stamp, client and server alike.
 *
 * RFC 5321 §4.5.3.1.4-5 allows 512 octets per command and reply line; real
 * servers go somewhat over, so read more, but bound it so a hostile peer
 * cannot make us buffer without end. A line is counted without its CRLF. */
#define STAMP_SMTP_LINE_MAX        4096
#define STAMP_SMTP_REPLY_MAX_LINES 128
/* What Stamp itself sends: a command line is at most 512 octets with its
 * CRLF; RFC 4954 §4 sends an initial response only when the line fits. */
#define STAMP_SMTP_COMMAND_MAX     512

/**
 * StampSmtpRole:
 * @STAMP_SMTP_ROLE_CLIENT: this end sends commands and reads replies
 * @STAMP_SMTP_ROLE_SERVER: this end reads commands and sends replies
 */
typedef enum
{
  STAMP_SMTP_ROLE_CLIENT,
  STAMP_SMTP_ROLE_SERVER,
} StampSmtpRole;

/**
 * StampSmtpLineFunc:
 * @direction: who sent @text
 * @text: one line, without its CRLF, as it went over the wire (or as the
 *   writer asked it to be shown)
 * @user_data: the data given with the function
 *
 * Sees every line the engine reads or writes, for a transcript. It runs in
 * the thread that drives the engine.
 */
typedef void (*StampSmtpLineFunc) (StampTranscriptDirection  direction,
                                   const char               *text,
                                   gpointer                  user_data);

#define STAMP_TYPE_SMTP_LINE (stamp_smtp_line_get_type ())

G_DECLARE_FINAL_TYPE (StampSmtpLine, stamp_smtp_line, STAMP, SMTP_LINE, GObject)

StampSmtpLine   *stamp_smtp_line_new                  (GSocket            *socket,
                                                       StampSmtpRole       role);
void             stamp_smtp_line_set_transcript_func  (StampSmtpLine      *self,
                                                       StampSmtpLineFunc   func,
                                                       gpointer            user_data);
GSocket         *stamp_smtp_line_get_socket           (StampSmtpLine      *self);
StampTlsSession *stamp_smtp_line_get_tls              (StampSmtpLine      *self);
guint            stamp_smtp_line_get_round_trips      (StampSmtpLine      *self);
gboolean         stamp_smtp_line_has_input            (StampSmtpLine      *self);
void             stamp_smtp_line_push_input           (StampSmtpLine      *self,
                                                       const char         *data,
                                                       gsize               len);
char            *stamp_smtp_line_dup_address_literal  (StampSmtpLine      *self);

/* Reading. Every read waits until @deadline (monotonic µs) at most and
 * fails with %STAMP_ERROR_TIMED_OUT after it, %G_IO_ERROR_CANCELLED,
 * %STAMP_ERROR_CONNECTION_CLOSED when the peer hangs up first, or
 * %STAMP_ERROR_BAD_REPLY for a line over %STAMP_SMTP_LINE_MAX; a reply
 * also for a malformed line or more than %STAMP_SMTP_REPLY_MAX_LINES. */
char            *stamp_smtp_line_read_line            (StampSmtpLine      *self,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
StampSmtpReply  *stamp_smtp_line_read_reply           (StampSmtpLine      *self,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
char            *stamp_smtp_line_read_command         (StampSmtpLine      *self,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
char            *stamp_smtp_line_read_command_max     (StampSmtpLine      *self,
                                                       gsize               max_len,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
gssize           stamp_smtp_line_read_some            (StampSmtpLine      *self,
                                                       char               *buffer,
                                                       gsize               size,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
void             stamp_smtp_line_unread               (StampSmtpLine      *self,
                                                       const char         *data,
                                                       gsize               len);

/* Writing: %STAMP_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED,
 * %STAMP_ERROR_CONNECTION_CLOSED, or the TLS session's error. A write
 * after a read is one more round trip. */
gboolean         stamp_smtp_line_write                (StampSmtpLine      *self,
                                                       const char         *data,
                                                       gsize               len,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
gboolean         stamp_smtp_line_write_command        (StampSmtpLine      *self,
                                                       const char         *command,
                                                       const char         *shown,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
gboolean         stamp_smtp_line_write_reply          (StampSmtpLine      *self,
                                                       int                 code,
                                                       const char         *enhanced_code,
                                                       const char         *text,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
StampSmtpReply  *stamp_smtp_line_command              (StampSmtpLine      *self,
                                                       const char         *command,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);

/* %STAMP_ERROR_BAD_REPLY, before any handshake, when data came after the
 * 220 to STARTTLS; otherwise the errors of stamp_tls_session_handshake(). */
gboolean         stamp_smtp_line_start_tls            (StampSmtpLine      *self,
                                                       StampTlsSession    *tls,
                                                       gint64              deadline,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
void             stamp_smtp_line_close                (StampSmtpLine      *self);

G_END_DECLS

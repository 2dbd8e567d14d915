/* stamp-smtp-server-session-private.h
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

#include "stamp-smtp-line.h"
#include "stamp-smtp-server-session.h"

G_BEGIN_DECLS

/* Shared by stamp-smtp-server-session.c and its -auth.c and -data.c. */
struct _StampSmtpServerSession
{
  GObject parent_instance;

  /* Owned */
  StampSmtpLine                *line;
  char                         *client_ip;
  char                         *server_name;
  char                         *cert_file;
  char                         *key_file;
  char                         *helo;
  char                         *identity;
  char                         *sender;
  GPtrArray                    *recipients;

  /* Borrowed */
  const StampSmtpServerHandler *handler;
  gpointer                      user_data;
  GCancellable                 *cancellable;
  GFunc                         quit_func;
  gpointer                      quit_data;

  guint64                       max_size;
  guint                         command_ms;
  guint                         data_ms;
  guint                         errors;
  gboolean                      esmtp;
  gboolean                      signed_in;
  gboolean                      closing;
};

gint64   _stamp_smtp_server_deadline       (StampSmtpServerSession *self);
void     _stamp_smtp_server_log            (StampSmtpServerSession *self,
                                            const char             *format,
                                            ...) G_GNUC_PRINTF (2, 3);
void     _stamp_smtp_server_reply          (StampSmtpServerSession *self,
                                            int                     code,
                                            const char             *enhanced_code,
                                            const char             *text);
void     _stamp_smtp_server_reply_error    (StampSmtpServerSession *self,
                                            int                     code,
                                            const char             *enhanced_code,
                                            const char             *text);
void     _stamp_smtp_server_reset          (StampSmtpServerSession *self);
guint64  _stamp_smtp_server_max_size       (StampSmtpServerSession *self);
void     _stamp_smtp_server_reply_too_big  (StampSmtpServerSession *self);
void     _stamp_smtp_server_handle_auth    (StampSmtpServerSession *self,
                                            const char             *args);
void     _stamp_smtp_server_handle_data    (StampSmtpServerSession *self,
                                            const char             *args);

G_END_DECLS

/* stamp-cli-wait.h
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

#include "stamp-core.h"

G_BEGIN_DECLS

/* Runs one async core call to its end on a main loop, with Ctrl+C
 * cancelling it: the command line's way of waiting. */
typedef struct _StampCliWait StampCliWait;

StampCliWait *stamp_cli_wait_new             (void);
GCancellable *stamp_cli_wait_get_cancellable (StampCliWait *self);
void          stamp_cli_wait_cb              (GObject      *object,
                                              GAsyncResult *result,
                                              gpointer      user_data);
GAsyncResult *stamp_cli_wait_run             (StampCliWait *self);
void          stamp_cli_wait_free            (StampCliWait *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampCliWait, stamp_cli_wait_free)

StampAccountStore *stamp_cli_load_accounts   (const char     *command);
StampAccount     *stamp_cli_lookup_account    (const char     *address,
                                               GError        **error);
StampProvider    *stamp_cli_lookup_provider   (const char     *name);
void              stamp_cli_use_provider      (StampAccount   *account,
                                               StampProvider  *provider);
void              stamp_cli_strip_app_password (char          **password);
StampSecretStore *stamp_cli_get_secret_store  (void);
gboolean          stamp_cli_keyring_is_missing (void);
char             *stamp_cli_get_access_token  (StampAccount  *account,
                                               gboolean       force_refresh,
                                               GError       **error);
char             *stamp_cli_lookup_secret     (const char     *address,
                                               StampSecretKind kind,
                                               GError        **error);

G_END_DECLS

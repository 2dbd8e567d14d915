/* stamp-sign-in-keeper.h
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

#include "stamp-credentials.h"
#include "stamp-sign-in-health.h"

G_BEGIN_DECLS

#define STAMP_TYPE_SIGN_IN_KEEPER (stamp_sign_in_keeper_get_type ())

G_DECLARE_FINAL_TYPE (StampSignInKeeper, stamp_sign_in_keeper, STAMP, SIGN_IN_KEEPER, GObject)

/**
 * StampSignInKeeper:
 *
 * Keeps the OAuth sign-ins of @accounts (a GListModel of StampAccount, watched
 * for changes) alive while the app or the relay runs: at start and then every
 * hour it refreshes each OAuth account whose last refresh is older than
 * STAMP_SIGN_IN_KEEP_ALIVE_SECONDS (stamp_get_now()), one account at a time,
 * for the account's own resource, and stores the rotated refresh token.
 *
 * Signals:
 *   ::warning (StampAccount *account, StampSignInState state, const char *text)
 *     when an account enters EXPIRING, SECRET_EXPIRING, SECRET_EXPIRED, LAPSED
 *     or FAILED — once per account and state per run (the app turns it into a
 *     GNotification with "Sign In Again", the relay into a log line).
 *   ::refreshed (StampAccount *account) after each keep-alive refresh.
 */
StampSignInKeeper *stamp_sign_in_keeper_new           (GListModel          *accounts,
                                                       StampCredentials    *credentials);
void               stamp_sign_in_keeper_start         (StampSignInKeeper   *self);
void               stamp_sign_in_keeper_stop          (StampSignInKeeper   *self);
/* Runs one check now (tests, and after the clock jumps). */
void               stamp_sign_in_keeper_check_now     (StampSignInKeeper   *self);

/* One account's refresh on demand (`stamp-cli accounts refresh`): a forced
 * refresh of the account's resource, recorded in its health. */
void               stamp_sign_in_refresh_async        (StampCredentials    *credentials,
                                                       StampAccount        *account,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean           stamp_sign_in_refresh_finish       (GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS

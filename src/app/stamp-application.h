/* stamp-application.h
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

#include <adwaita.h>

#include "stamp-core.h"
#include "stamp-relay-controller.h"

G_BEGIN_DECLS

/* The GSettings schema. Its id does not change in the .Devel flavour, so that
 * both flavours share one set of settings. */
#define STAMP_SETTINGS_SCHEMA_ID "io.github.stampmail.Stamp"

/**
 * StampSignInNotification:
 * @STAMP_SIGN_IN_NOTIFICATION_HEALTH: the keep-alive found a sign-in about
 *   to lapse, lapsed, or refused
 * @STAMP_SIGN_IN_NOTIFICATION_RELAY: Stamp Relay stopped delivering for the
 *   account until someone signs in again
 */
typedef enum
{
  STAMP_SIGN_IN_NOTIFICATION_HEALTH,
  STAMP_SIGN_IN_NOTIFICATION_RELAY,
} StampSignInNotification;

#define STAMP_TYPE_APPLICATION (stamp_application_get_type ())

G_DECLARE_FINAL_TYPE (StampApplication, stamp_application, STAMP, APPLICATION, AdwApplication)

StampApplication  *stamp_application_new                 (void);
StampAccountStore *stamp_application_get_account_store   (StampApplication *self);
gboolean           stamp_application_get_accounts_loaded (StampApplication *self);
StampRelayController *stamp_application_get_relay_controller (StampApplication *self);
StampSignInKeeper *stamp_application_get_sign_in_keeper  (StampApplication *self);
void               stamp_application_notify_sign_in_problem (StampApplication        *self,
                                                             StampSignInNotification  kind,
                                                             const char              *address,
                                                             const char              *title,
                                                             const char              *body);
void               stamp_application_withdraw_sign_in_problems (StampApplication *self,
                                                                const char       *address);

G_END_DECLS

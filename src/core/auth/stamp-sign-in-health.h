/* stamp-sign-in-health.h
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

#include "stamp-account.h"

G_BEGIN_DECLS

/* Warn this long before a sign-in or a client secret lapses. */
#define STAMP_SIGN_IN_WARN_DAYS           14
/* Keep-alive: refresh an account whose last refresh is older than this. */
#define STAMP_SIGN_IN_KEEP_ALIVE_SECONDS  (7 * 24 * 60 * 60)

/**
 * StampSignInState:
 * @STAMP_SIGN_IN_STATE_NONE: no OAuth sign-in (password account, or never signed in)
 * @STAMP_SIGN_IN_STATE_OK: signed in, nothing due
 * @STAMP_SIGN_IN_STATE_EXPIRING: the refresh token lapses within STAMP_SIGN_IN_WARN_DAYS
 *   unless used
 * @STAMP_SIGN_IN_STATE_SECRET_EXPIRING: the client secret expires within STAMP_SIGN_IN_WARN_DAYS
 * @STAMP_SIGN_IN_STATE_SECRET_EXPIRED: the client secret has expired
 * @STAMP_SIGN_IN_STATE_LAPSED: unused past the provider's window (AADSTS700082)
 * @STAMP_SIGN_IN_STATE_FAILED: the last refresh failed for good (revoked, password reset,
 *   consent removed)
 *
 * Worst first when several apply: FAILED, LAPSED, SECRET_EXPIRED, SECRET_EXPIRING, EXPIRING, OK.
 * The values carry STATE in their names: the app's StampSignInMethod has a
 * STAMP_SIGN_IN_NONE of its own. Registered (stamp-auth-enums.h) with the
 * nicks "none", "ok", "expiring", "secret-expiring", "secret-expired",
 * "lapsed" and "failed", for --json.
 */
typedef enum
{
  STAMP_SIGN_IN_STATE_NONE,
  STAMP_SIGN_IN_STATE_OK,
  STAMP_SIGN_IN_STATE_EXPIRING,
  STAMP_SIGN_IN_STATE_SECRET_EXPIRING,
  STAMP_SIGN_IN_STATE_SECRET_EXPIRED,
  STAMP_SIGN_IN_STATE_LAPSED,
  STAMP_SIGN_IN_STATE_FAILED,
} StampSignInState;

/**
 * StampSignInHealth:
 *
 * What Stamp knows of one account's sign-in, kept in
 * $XDG_STATE_HOME/stamp/sign-ins.json (no secrets; written atomically, shared
 * by the app, the relay and stamp-cli). Times are Unix seconds, 0 = never.
 */
typedef struct
{
  gint64    signed_in_at;        /* last interactive sign-in */
  gint64    refresh_token_at;    /* when the stored refresh token was issued (sign-in, rotation) */
  gint64    last_refresh_at;     /* last successful refresh */
  gint64    last_failure_at;     /* last failed refresh */
  char     *last_failure;        /* why, in words, redacted */
  gboolean  failure_permanent;   /* signing in again is the only fix */
} StampSignInHealth;

#define STAMP_TYPE_SIGN_IN_HEALTH (stamp_sign_in_health_get_type ())
GType              stamp_sign_in_health_get_type (void) G_GNUC_CONST;
StampSignInHealth *stamp_sign_in_health_copy     (const StampSignInHealth *health);
void               stamp_sign_in_health_free     (StampSignInHealth       *health);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSignInHealth, stamp_sign_in_health_free)

/* Reading and recording (called by StampCredentials; cheap, synchronous:
 * a small file under a lock held for milliseconds). */
/* NULL: nothing known. */
StampSignInHealth *stamp_sign_in_health_load            (const char   *address);
void               stamp_sign_in_health_record_sign_in  (const char   *address);
void               stamp_sign_in_health_record_refresh  (const char   *address,
                                                         gboolean      refresh_token_rotated);
void               stamp_sign_in_health_record_failure  (const char   *address,
                                                         const GError *error);
void               stamp_sign_in_health_forget          (const char   *address);

/* Judging, at stamp_get_now(). @deadline (optional): when the state's event
 * happens (lapse, secret expiry). */
StampSignInState   stamp_sign_in_health_get_state       (const StampSignInHealth *health,
                                                         StampAccount            *account,
                                                         gint64                   now,
                                                         gint64                  *deadline);
/* The inactivity window of the account's provider: 90 days for Microsoft,
 * 180 for Google, 90 otherwise. */
gint64             stamp_sign_in_inactivity_window      (StampAccount            *account);
/* One line for an account row and `accounts show`: "Signed in · refreshed 2
 * days ago", "Sign-in expires in 12 days unless used", "Sign-in lapsed: sign in
 * again", "Client secret expires in 5 days", "Sign-in failed: …". Translated. */
char              *stamp_sign_in_health_describe        (const StampSignInHealth *health,
                                                         StampAccount            *account,
                                                         gint64                   now);

G_END_DECLS

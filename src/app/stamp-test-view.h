/* stamp-test-view.h
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

G_BEGIN_DECLS

/*
 * StampTestView:
 *
 * Sends one real test message with an account and shows it happen: a
 * checklist of the SMTP steps, the redacted transcript, and on failure an
 * explanation with what to do. The view scrolls by itself.
 *
 * Properties: "account", "recipient", "busy" and "succeeded" (all notify).
 *
 * Signals:
 *
 * StampTestView::use-graph (StampTestView *self, gpointer user_data) -> gboolean
 *   Emitted when the person chose to send through Microsoft Graph instead
 *   of SMTP. A handler that returns %TRUE takes it over; otherwise the view
 *   switches the account itself: method saved to the store, sign-in for
 *   Graph in a dialog, then the test once more.
 *
 * StampTestView::finished (StampTestView *self, gboolean ok, gpointer user_data)
 *   Emitted once per stamp_test_view_start() when the send ends: @ok is
 *   %TRUE when the server accepted the message, %FALSE when it failed or
 *   was cancelled. "busy" is already %FALSE when it is emitted.
 */

#define STAMP_TYPE_TEST_VIEW (stamp_test_view_get_type ())

G_DECLARE_FINAL_TYPE (StampTestView, stamp_test_view, STAMP, TEST_VIEW, GtkWidget)

GtkWidget    *stamp_test_view_new           (void);
void          stamp_test_view_set_account   (StampTestView *self,
                                             StampAccount  *account);
StampAccount *stamp_test_view_get_account   (StampTestView *self);
void          stamp_test_view_set_secret    (StampTestView *self,
                                             const char    *secret,
                                             gboolean       is_token);
void          stamp_test_view_set_recipient (StampTestView *self,
                                             const char    *recipient);
const char   *stamp_test_view_get_recipient (StampTestView *self);
void          stamp_test_view_start         (StampTestView *self);
void          stamp_test_view_cancel        (StampTestView *self);
gboolean      stamp_test_view_get_busy      (StampTestView *self);
gboolean      stamp_test_view_get_succeeded (StampTestView *self);
char         *stamp_test_view_dup_failure_summary (StampTestView *self);
void          stamp_test_view_set_store     (StampTestView     *self,
                                             StampAccountStore *store);

G_END_DECLS

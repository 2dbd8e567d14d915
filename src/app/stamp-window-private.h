/* stamp-window-private.h
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

#include "stamp-core.h"
#include "stamp-window.h"

G_BEGIN_DECLS

/*
 * StampWindow:
 *
 * The main window. Until Stamp has sending accounts it shows an empty state
 * that says what Stamp does and how to start; then it lists the accounts of
 * the application's #StampAccountStore in a one-column grid view that
 * makes a #StampAccountRow only for the accounts on screen, or nearly, and
 * hands each to another account as the list scrolls, so a thousand
 * accounts cost what a screenful does. The window owns what can be done to an account (test, export, edit, remove):
 * a row activates those actions with its address. A damaged account file,
 * or a change that could not be saved, shows as a toast that offers the
 * details. Its size and maximized state are restored from GSettings when
 * it opens and saved when it closes, not on every resize.
 */
struct _StampWindow
{
  AdwApplicationWindow  parent_instance;

  /* Owned */
  GSettings            *settings;
  GPtrArray            *rows;          /* the list view's rows, shown or not */

  /* Borrowed */
  StampAccountStore    *store;

  /* Template children */
  GtkGridView          *accounts_list;
  GtkButton            *add_button;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
};

/* stamp-window-actions.c: the window's actions, those a row activates
 * with an account's address among them. */
void _stamp_window_class_add_actions (GtkWidgetClass *widget_class);

G_END_DECLS

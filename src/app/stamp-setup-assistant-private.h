/* stamp-setup-assistant-private.h
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

#include "stamp-address-page.h"
#include "stamp-core.h"
#include "stamp-server-page.h"
#include "stamp-setup-assistant.h"
#include "stamp-sign-in-page.h"
#include "stamp-test-view.h"

G_BEGIN_DECLS

typedef enum
{
  PAGE_ADDRESS,
  PAGE_SERVER,
  PAGE_SIGN_IN,
  PAGE_TEST,
  PAGE_DONE,
  N_PAGES
} Page;

typedef enum
{
  SAVE_NONE,
  SAVE_RUNNING,
  SAVE_FAILED,
  SAVE_DONE,
} SaveState;

/*
 * StampSetupAssistant:
 *
 * Walks a person through adding an account, or changing one: the address,
 * the server, the sign-in, a real test message, and saving. Each step is
 * a page in a stack with Back and Next in the header bar; Next (and Enter)
 * works once the page is complete, Escape closes and discards (asking
 * first once a test went through). The account being built is a draft
 * that only reaches the store, and its secret the keyring, on the last
 * page. A new address starts the later pages afresh.
 *
 * stamp-setup-assistant.c walks the pages and saves;
 * stamp-setup-assistant-graph.c turns the account to Microsoft Graph when
 * the test page's failure card offers it.
 */
struct _StampSetupAssistant
{
  AdwWindow            parent_instance;

  /* Owned */
  StampAccountStore   *store;
  StampAccount        *draft;
  GCancellable        *cancellable;
  GCancellable        *lookup_cancellable;
  Page                 page;
  SaveState            save_state;
  gint64               tested_at;
  gboolean             editing;
  gboolean             discard_confirmed;
  gboolean             switching_to_graph;

  /* Template children */
  StampAddressPage    *address_page;
  GtkWidget           *back_button;
  AdwStatusPage       *done_page;
  GtkWidget           *export_button;
  GtkLabel            *keyring_warning;
  GtkButton           *next_button;
  AdwEntryRow         *recipient_row;
  GtkWidget           *retry_button;
  GtkExpander         *save_details_expander;
  GtkLabel            *save_details_label;
  GtkWidget           *save_untested_button;
  GtkSpinner          *saving_spinner;
  StampServerPage     *server_page;
  StampSignInPage     *sign_in_page;
  GtkStack            *stack;
  StampTestView       *test_view;
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
};

void     _stamp_setup_assistant_show_page    (StampSetupAssistant  *self,
                                              Page                  page);
void     _stamp_setup_assistant_show_problem (StampSetupAssistant  *self,
                                              const GError         *error);
gboolean _stamp_setup_assistant_build_draft  (StampSetupAssistant  *self,
                                              Page                  page,
                                              GError              **error);
void     _stamp_setup_assistant_prepare_test (StampSetupAssistant  *self);

/* stamp-setup-assistant-graph.c */
void     _stamp_setup_assistant_init_graph   (StampSetupAssistant  *self);

G_END_DECLS

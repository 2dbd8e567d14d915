/* stamp-sign-in-page-private.h
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
#include "stamp-registration-group.h"
#include "stamp-sign-in-page.h"

G_BEGIN_DECLS

/*
 * StampSignInPage:
 *
 * The third page of the setup assistant: how Stamp proves it may send.
 * It offers what the provider supports: OAuth in the browser, OAuth with a
 * code typed on another device, a password or app password, or no sign-in
 * for a relay. OAuth runs right here, with its link and code shown so that
 * a person without a browser on this machine can still finish; without an
 * app registration built in, it asks for the organization's own, and
 * offers the one a saved account of the same tenant uses.
 *
 * The methods follow the server: a Microsoft or Google submission host
 * offers that provider's sign-in whatever discovery found, and for a
 * server Stamp does not know, a provider choice offers theirs.
 *
 * stamp-sign-in-page.c shows the methods; stamp-sign-in-page-oauth.c runs
 * the OAuth sign-in; stamp-sign-in-page-provider.c finds the provider and
 * the app registration to offer; stamp-sign-in-page-graph.c offers sending
 * through Microsoft Graph and the administrator's consent a sign-in needs.
 */
struct _StampSignInPage
{
  AdwBin             parent_instance;

  /* Owned */
  StampAccount      *account;
  StampAccountStore *store;
  StampProvider     *provider;
  StampProvider     *chosen_provider;
  StampAccount      *saved_sign_in;
  StampOAuthSignIn  *sign_in;
  GCancellable      *cancellable;
  StampOAuthTokens  *tokens;
  StampSecret       *client_secret;
  StampSecret       *stored_client_secret;
  char              *stripped_password;
  StampSignInMethod  method;
  StampSendMethod    send_method;
  char              *consent_url;
  char              *consent_request;
  gboolean           complete;
  gboolean           password_stored;
  gboolean           send_method_fixed;
  gboolean           updating;

  /* Template children */
  GtkLabel          *authorize_label;
  GtkLabel          *browser_error_label;
  GtkWidget         *browser_row;
  GtkCheckButton    *browser_check;
  GtkLabel          *consent_link_label;
  GtkWidget         *consent_box;
  GtkButton         *consent_copy_link_button;
  GtkButton         *consent_copy_message_button;
  GtkButton         *copy_code_button;
  GtkButton         *copy_link_button;
  GtkLabel          *description_label;
  GtkLabel          *details_label;
  GtkLabel          *done_label;
  GtkWidget         *device_row;
  GtkCheckButton    *device_check;
  GtkWidget         *error_box;
  GtkLabel          *error_label;
  GtkStack          *method_stack;
  GtkLabel          *no_client_label;
  GtkWidget         *none_row;
  GtkCheckButton    *none_check;
  GtkLabel          *notes_label;
  GtkStack          *oauth_stack;
  GtkLabel          *password_note;
  GtkWidget         *provider_list;
  AdwComboRow       *provider_row;
  AdwPasswordEntryRow *password_entry;
  GtkWidget         *password_row;
  GtkCheckButton    *password_check;
  StampRegistrationGroup *registration_group;
  AdwComboRow       *send_method_row;
  GtkWidget         *send_method_list;
  GtkButton         *sign_in_button;
  GtkLabel          *stored_password_label;
  GtkLabel          *stripped_label;
  GtkLabel          *user_code_label;
  AdwEntryRow       *username_row;
  GtkLabel          *verification_label;
};

void        _stamp_sign_in_page_update_complete   (StampSignInPage *self);
gboolean    _stamp_sign_in_page_keeps_saved_sign_in (StampSignInPage *self);
void        _stamp_sign_in_page_hide_error        (StampSignInPage *self);
void        _stamp_sign_in_page_show_error        (StampSignInPage *self,
                                                   const GError    *error);
void        _stamp_sign_in_page_cancel_sign_in    (StampSignInPage *self);
void        _stamp_sign_in_page_start_sign_in     (StampSignInPage *self);
void        _stamp_sign_in_page_class_init_oauth  (GtkWidgetClass  *widget_class);
void        _stamp_sign_in_page_use_provider      (StampSignInPage *self,
                                                   StampProvider   *provider,
                                                   gboolean         prefer_oauth);

/* stamp-sign-in-page-provider.c */
StampProvider *_stamp_sign_in_page_find_server_provider  (StampAccount    *account);
void           _stamp_sign_in_page_reset_provider_choice (StampSignInPage *self);
void           _stamp_sign_in_page_suggest_registration  (StampSignInPage *self);
void           _stamp_sign_in_page_show_saved_sign_in    (StampSignInPage *self);
void           _stamp_sign_in_page_class_init_provider   (GtkWidgetClass  *widget_class);

/* stamp-sign-in-page-graph.c */
void           _stamp_sign_in_page_show_send_method      (StampSignInPage *self);
StampSendMethod _stamp_sign_in_page_get_offered_send_method (StampSignInPage *self);
void           _stamp_sign_in_page_show_consent          (StampSignInPage *self,
                                                          const GError    *error);
void           _stamp_sign_in_page_finalize_graph        (StampSignInPage *self);
void           _stamp_sign_in_page_class_init_graph      (GtkWidgetClass  *widget_class);

G_END_DECLS

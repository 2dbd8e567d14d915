/* stamp-sign-in-page.h
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

typedef enum
{
  STAMP_SIGN_IN_BROWSER,
  STAMP_SIGN_IN_DEVICE,
  STAMP_SIGN_IN_PASSWORD,
  STAMP_SIGN_IN_NONE,
} StampSignInMethod;

#define STAMP_TYPE_SIGN_IN_PAGE (stamp_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (StampSignInPage, stamp_sign_in_page, STAMP, SIGN_IN_PAGE, AdwBin)

void                    stamp_sign_in_page_set_account  (StampSignInPage *self,
                                                         StampAccount    *account);
void                    stamp_sign_in_page_apply        (StampSignInPage *self,
                                                         StampAccount    *account);
StampSignInMethod       stamp_sign_in_page_get_method   (StampSignInPage *self);
gboolean                stamp_sign_in_page_get_complete (StampSignInPage *self);
const char             *stamp_sign_in_page_get_secret   (StampSignInPage *self,
                                                         gboolean        *is_token);
const StampOAuthTokens *stamp_sign_in_page_get_tokens   (StampSignInPage *self);
const char             *stamp_sign_in_page_get_client_secret (StampSignInPage *self);
void                    stamp_sign_in_page_set_password_stored (StampSignInPage *self,
                                                                gboolean         stored);
void                    stamp_sign_in_page_set_stored_client_secret (StampSignInPage *self,
                                                                     const char      *client_secret);
void                    stamp_sign_in_page_cancel       (StampSignInPage *self);
void                    stamp_sign_in_page_set_store    (StampSignInPage   *self,
                                                         StampAccountStore *store);
void                    stamp_sign_in_page_set_saved_account (StampSignInPage *self,
                                                              StampAccount    *saved);
void                    stamp_sign_in_page_sign_in_again (StampSignInPage *self,
                                                          StampAccount    *account);
void                    stamp_sign_in_page_show_problem (StampSignInPage *self,
                                                         const GError    *error);
StampSendMethod         stamp_sign_in_page_get_send_method (StampSignInPage *self);
void                    stamp_sign_in_page_set_send_method (StampSignInPage *self,
                                                            StampSendMethod  method);
void                    stamp_sign_in_page_start        (StampSignInPage *self);

G_END_DECLS

/* stamp-account.h
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
#include <json-glib/json-glib.h>

#include "stamp-smtp-settings.h"
#include "stamp-types.h"

G_BEGIN_DECLS

/* The version of the account file's layout this Stamp writes and reads: a
 * “format” number and a list of stamp_account_to_json() objects, kept by
 * StampAccountStore. Here, below the store, so that the code reading the
 * file does not need the store's header. */
#define STAMP_ACCOUNT_STORE_FORMAT 1

/* Microsoft Graph's worldwide address, for a Graph account whose provider
 * names none; the same as the Graph client's default. */
#define STAMP_ACCOUNT_GRAPH_DEFAULT_URL "https://graph.microsoft.com/v1.0"

#define STAMP_TYPE_ACCOUNT (stamp_account_get_type ())

G_DECLARE_FINAL_TYPE (StampAccount, stamp_account, STAMP, ACCOUNT, GObject)

StampAccount       *stamp_account_new                   (const char          *address);
StampAccount       *stamp_account_new_from_json         (JsonNode            *node,
                                                         GError             **error);
const char         *stamp_account_get_address           (StampAccount        *self);
int                 stamp_account_compare_address       (StampAccount        *self,
                                                         const char          *address);
const char         *stamp_account_get_display_name      (StampAccount        *self);
void                stamp_account_set_display_name      (StampAccount        *self,
                                                         const char          *display_name);
const char         *stamp_account_get_provider_id       (StampAccount        *self);
void                stamp_account_set_provider_id       (StampAccount        *self,
                                                         const char          *provider_id);
const char         *stamp_account_get_host              (StampAccount        *self);
void                stamp_account_set_host              (StampAccount        *self,
                                                         const char          *host);
guint               stamp_account_get_port              (StampAccount        *self);
void                stamp_account_set_port              (StampAccount        *self,
                                                         guint                port);
guint16             stamp_account_get_effective_port    (StampAccount        *self);
StampSecurity       stamp_account_get_security          (StampAccount        *self);
void                stamp_account_set_security          (StampAccount        *self,
                                                         StampSecurity        security);
StampTlsVersion     stamp_account_get_tls_min           (StampAccount        *self);
void                stamp_account_set_tls_min           (StampAccount        *self,
                                                         StampTlsVersion      version);
StampAuthMechanism  stamp_account_get_auth_mechanism    (StampAccount        *self);
void                stamp_account_set_auth_mechanism    (StampAccount        *self,
                                                         StampAuthMechanism   mechanism);
const char         *stamp_account_get_username          (StampAccount        *self);
const char         *stamp_account_get_sign_in_name      (StampAccount        *self);
void                stamp_account_set_username          (StampAccount        *self,
                                                         const char          *username);
const char         *stamp_account_get_oauth_tenant      (StampAccount        *self);
void                stamp_account_set_oauth_tenant      (StampAccount        *self,
                                                         const char          *tenant);
const char         *stamp_account_get_oauth_client_id   (StampAccount        *self);
void                stamp_account_set_oauth_client_id   (StampAccount        *self,
                                                         const char          *client_id);
const char         *stamp_account_get_oauth_authority   (StampAccount        *self);
void                stamp_account_set_oauth_authority   (StampAccount        *self,
                                                         const char          *authority);
const char         *stamp_account_get_ca_file           (StampAccount        *self);
void                stamp_account_set_ca_file           (StampAccount        *self,
                                                         const char          *ca_file);
const char         *stamp_account_get_ehlo_name         (StampAccount        *self);
void                stamp_account_set_ehlo_name         (StampAccount        *self,
                                                         const char          *ehlo_name);
StampSmtpSettings  *stamp_account_dup_smtp_settings     (StampAccount        *self);
gboolean            stamp_account_get_last_test_ok      (StampAccount        *self);
gint64              stamp_account_get_last_test_at      (StampAccount        *self);
const char         *stamp_account_get_last_test_summary (StampAccount        *self);
void                stamp_account_set_last_test         (StampAccount        *self,
                                                         gboolean             ok,
                                                         gint64               at,
                                                         const char          *summary);
StampSendMethod     stamp_account_get_method            (StampAccount        *self);
void                stamp_account_set_method            (StampAccount        *self,
                                                         StampSendMethod      method);
const char         *stamp_account_get_graph_url         (StampAccount        *self);
void                stamp_account_set_graph_url         (StampAccount        *self,
                                                         const char          *graph_url);
char               *stamp_account_dup_effective_graph_url (StampAccount      *self);
gint64              stamp_account_get_client_secret_expires (StampAccount    *self);
void                stamp_account_set_client_secret_expires (StampAccount    *self,
                                                         gint64               expires);
gboolean            stamp_account_validate              (StampAccount        *self,
                                                         GError             **error);
JsonNode           *stamp_account_to_json               (StampAccount        *self);

G_END_DECLS

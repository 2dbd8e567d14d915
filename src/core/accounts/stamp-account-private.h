/* stamp-account-private.h
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

#include "stamp-account.h"

G_BEGIN_DECLS

/*
 * StampAccount:
 *
 * One sending identity: the address, the submission server and how to sign
 * in to it. It holds no secret; passwords and tokens live in the keyring,
 * found by the address. Every setting is a property, so a view can bind to
 * it, and an account turns into a JSON object for the account file and
 * back.
 */
struct _StampAccount
{
  GObject parent_instance;

  /* Owned */
  char               *address;
  char               *address_key;
  char               *display_name;
  char               *provider_id;
  char               *host;
  char               *username;
  char               *oauth_tenant;
  char               *oauth_client_id;
  char               *oauth_authority;
  char               *ca_file;
  char               *ehlo_name;
  char               *last_test_summary;
  char               *graph_url;

  StampSecurity       security;
  StampTlsVersion     tls_min;
  StampAuthMechanism  auth_mechanism;
  StampSendMethod     method;
  guint               port;

  /* When the client secret of the account's own app registration expires
   * (Unix seconds at 00:00 UTC of the day), 0 when unknown */
  gint64              client_secret_expires;

  /* The last test send: when it ended (Unix seconds, 0 for never) and
   * whether the message was accepted */
  gint64              last_test_at;
  gboolean            last_test_ok;
};

/* Property ids, shared with stamp-account-json.c, whose members name them,
 * and stamp-account-validate.c, which names the setting at fault by one */
enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_DISPLAY_NAME,
  PROP_PROVIDER_ID,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_TLS_MIN,
  PROP_AUTH_MECHANISM,
  PROP_USERNAME,
  PROP_OAUTH_TENANT,
  PROP_OAUTH_CLIENT_ID,
  PROP_OAUTH_AUTHORITY,
  PROP_CA_FILE,
  PROP_EHLO_NAME,
  PROP_LAST_TEST_OK,
  PROP_LAST_TEST_AT,
  PROP_LAST_TEST_SUMMARY,
  PROP_METHOD,
  PROP_GRAPH_URL,
  PROP_CLIENT_SECRET_EXPIRES,
  N_PROPS
};

char     **_stamp_account_string_field (StampAccount  *self,
                                        guint          prop_id);
void       _stamp_account_set_string   (StampAccount  *self,
                                        guint          prop_id,
                                        const char    *value);
gboolean   _stamp_account_check        (StampAccount  *self,
                                        guint         *prop_id,
                                        GError       **error);
void       _stamp_account_notify       (StampAccount  *self,
                                        guint          prop_id);

G_END_DECLS

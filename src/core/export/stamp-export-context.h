/* stamp-export-context.h
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

#include "stamp-account.h"
#include "stamp-provider.h"

G_BEGIN_DECLS

/**
 * StampExportAuth:
 * @STAMP_EXPORT_AUTH_PASSWORD: a password or app password
 * @STAMP_EXPORT_AUTH_OAUTH: an OAuth 2.0 sign-in (XOAUTH2, OAUTHBEARER)
 * @STAMP_EXPORT_AUTH_NONE: no sign-in (relay connector, Direct Send, LAN relay)
 *
 * How an account signs in, and which of those an export target can use.
 */
typedef enum /*< flags >*/
{
  STAMP_EXPORT_AUTH_PASSWORD = 1 << 0,
  STAMP_EXPORT_AUTH_OAUTH    = 1 << 1,
  STAMP_EXPORT_AUTH_NONE     = 1 << 2,
} StampExportAuth;

#define STAMP_EXPORT_AUTH_ANY (STAMP_EXPORT_AUTH_PASSWORD | STAMP_EXPORT_AUTH_OAUTH | STAMP_EXPORT_AUTH_NONE)

/**
 * StampDeviceFeatures:
 * @STAMP_DEVICE_OAUTH: the device signs in with Microsoft 365 (or Google)
 *   OAuth itself
 * @STAMP_DEVICE_TLS_1_2: the device speaks TLS 1.2 or newer
 * @STAMP_DEVICE_STARTTLS: the device can use STARTTLS on port 587
 * @STAMP_DEVICE_PASSWORD: the device can sign in with a user name and password
 *
 * What a printer or scanner can do, as far as its owner knows; the device
 * exporters choose a sending path from it.
 */
typedef enum /*< flags >*/
{
  STAMP_DEVICE_OAUTH    = 1 << 0,
  STAMP_DEVICE_TLS_1_2  = 1 << 1,
  STAMP_DEVICE_STARTTLS = 1 << 2,
  STAMP_DEVICE_PASSWORD = 1 << 3,
} StampDeviceFeatures;

/**
 * StampExportRelay:
 * @host: the relay's address on the network (this computer's LAN address)
 * @port: the port it listens on
 * @starttls: the device uses STARTTLS; %FALSE for a device allowed to
 *   send in plain text
 * @user: (nullable): the device's user name; %NULL for a device that
 *   sends without signing in
 * @password: (nullable): the device's own password, printed on its sheet;
 *   %NULL when it signs in with one it already has, or not at all
 *
 * Stamp Relay as one device reaches it. Plain data, so that the export
 * layer knows nothing of the relay's own types.
 */
typedef struct
{
  const char *host;
  guint16     port;
  gboolean    starttls;
  const char *user;
  const char *password;
} StampExportRelay;

#define STAMP_TYPE_EXPORT_CONTEXT (stamp_export_context_get_type ())

G_DECLARE_FINAL_TYPE (StampExportContext, stamp_export_context, STAMP, EXPORT_CONTEXT, GObject)

StampExportContext  *stamp_export_context_new                 (StampAccount         *account);
StampAccount        *stamp_export_context_get_account         (StampExportContext   *self);
StampProvider       *stamp_export_context_get_provider        (StampExportContext   *self);
gboolean             stamp_export_context_is_microsoft365     (StampExportContext   *self);
StampExportAuth      stamp_export_context_get_auth            (StampExportContext   *self);
const char          *stamp_export_context_get_secret          (StampExportContext   *self);
void                 stamp_export_context_set_secret          (StampExportContext   *self,
                                                               const char           *secret);
const char          *stamp_export_context_get_device_vendor   (StampExportContext   *self);
void                 stamp_export_context_set_device_vendor   (StampExportContext   *self,
                                                               const char           *vendor);
gboolean             stamp_export_context_get_device_features (StampExportContext   *self,
                                                               StampDeviceFeatures  *features);
void                 stamp_export_context_set_device_features (StampExportContext   *self,
                                                               StampDeviceFeatures   features);
void                 stamp_export_context_unset_device_features (StampExportContext *self);
const char          *stamp_export_context_get_tenant_mx       (StampExportContext   *self,
                                                               gboolean             *guessed);
void                 stamp_export_context_set_tenant_mx       (StampExportContext   *self,
                                                               const char           *host,
                                                               gboolean              guessed);
const char          *stamp_export_context_get_incoming_host   (StampExportContext   *self);
void                 stamp_export_context_set_incoming_host   (StampExportContext   *self,
                                                               const char           *host);
const char          *stamp_export_context_get_site_url        (StampExportContext   *self);
void                 stamp_export_context_set_site_url        (StampExportContext   *self,
                                                               const char           *url);
const StampExportRelay *stamp_export_context_get_relay     (StampExportContext   *self);
void                 stamp_export_context_set_relay           (StampExportContext   *self,
                                                               const StampExportRelay *relay);
const char          *stamp_export_context_get_token_command   (StampExportContext   *self);
void                 stamp_export_context_set_token_command   (StampExportContext   *self,
                                                               const char           *command);

G_END_DECLS

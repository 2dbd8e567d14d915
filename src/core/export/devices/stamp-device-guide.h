/* stamp-device-guide.h
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

#include "stamp-device-vendors.h"
#include "stamp-export-context.h"

G_BEGIN_DECLS

/**
 * StampDevicePath:
 * @STAMP_DEVICE_PATH_SUBMISSION_OAUTH: SMTP AUTH submission, the device
 *   signing in with OAuth itself
 * @STAMP_DEVICE_PATH_SUBMISSION_PASSWORD: SMTP AUTH submission with a user
 *   name and (app) password
 * @STAMP_DEVICE_PATH_RELAY_CONNECTOR: Microsoft 365: the tenant's MX host on
 *   port 25, accepted by a connector for the office's IP or certificate
 * @STAMP_DEVICE_PATH_DIRECT_SEND: Microsoft 365: the tenant's MX host on
 *   port 25 without any sign-in, for the tenant's own recipients only
 * @STAMP_DEVICE_PATH_LOCAL_RELAY: a relay on the LAN (Postfix) that signs
 *   in for the device; also an account's own relay that needs no sign-in
 * @STAMP_DEVICE_PATH_STAMP_RELAY: Stamp Relay on this computer, which takes
 *   the device's mail with the device's own user name and password and
 *   sends it on through the account
 *
 * The ways a printer or scanner can send its scans.
 */
typedef enum
{
  STAMP_DEVICE_PATH_SUBMISSION_OAUTH,
  STAMP_DEVICE_PATH_SUBMISSION_PASSWORD,
  STAMP_DEVICE_PATH_RELAY_CONNECTOR,
  STAMP_DEVICE_PATH_DIRECT_SEND,
  STAMP_DEVICE_PATH_LOCAL_RELAY,
  STAMP_DEVICE_PATH_STAMP_RELAY,
} StampDevicePath;

/**
 * StampDeviceOption:
 * @path: another way to send
 * @when: when it applies, and what it needs
 */
typedef struct
{
  StampDevicePath  path;
  char            *when;
} StampDeviceOption;

/**
 * StampDeviceGuide:
 * @vendor: the device's make
 * @microsoft365: the account is a Microsoft 365 mailbox
 * @path: the chosen way to send
 * @why: one or two sentences on why this path
 * @host: (nullable): the server to enter; %NULL when only the person knows
 *   it (their own relay's LAN address, a tenant MX nobody looked up)
 * @port: its port
 * @security: the encryption to pick
 * @sign_in: the device signs in (SMTP AUTH)
 * @password: the device signs in with a password (else OAuth or none)
 * @prints_secret: the sheet shows the password, so it is private
 * @tenant_mx: (nullable): the Microsoft 365 tenant's MX host
 * @tenant_mx_guessed: @tenant_mx was built from the domain, not found
 * @before: (element-type utf8): what must be true before it works
 * @cautions: (element-type utf8): pitfalls on this path
 * @others: (element-type StampDeviceOption): the other paths, with when
 *   each applies; every path when the device's abilities are unknown
 * @checks: (element-type utf8): what to do after saving
 *
 * The decision for one device and account: which path, with what values,
 * and what else the person could do. Rendering only reads it.
 */
typedef struct
{
  const StampDeviceVendor *vendor;
  gboolean                 microsoft365;
  StampDevicePath          path;
  char                    *why;
  char                    *host;
  guint16                  port;
  StampSecurity            security;
  gboolean                 sign_in;
  gboolean                 password;
  gboolean                 prints_secret;
  char                    *tenant_mx;
  gboolean                 tenant_mx_guessed;
  GPtrArray               *before;
  GPtrArray               *cautions;
  GPtrArray               *others;
  GPtrArray               *checks;
} StampDeviceGuide;

StampDeviceGuide *stamp_device_guide_new       (StampExportContext  *context,
                                                GError             **error);
void              stamp_device_guide_free      (StampDeviceGuide    *guide);
const char       *stamp_device_path_get_title  (StampDevicePath      path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampDeviceGuide, stamp_device_guide_free)

G_END_DECLS

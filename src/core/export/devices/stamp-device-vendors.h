/* stamp-device-vendors.h
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

#include <glib.h>

G_BEGIN_DECLS

/**
 * StampDeviceField:
 * @STAMP_DEVICE_FIELD_SERVER: the SMTP server's name
 * @STAMP_DEVICE_FIELD_PORT: its port
 * @STAMP_DEVICE_FIELD_SECURITY: the encryption choice
 * @STAMP_DEVICE_FIELD_AUTH: whether (and how) the device signs in
 * @STAMP_DEVICE_FIELD_CREDENTIALS: which credentials scans use (Lexmark)
 * @STAMP_DEVICE_FIELD_AUTH_ADDRESS: the address the sign-in belongs to (Ricoh)
 * @STAMP_DEVICE_FIELD_USER: the sign-in name
 * @STAMP_DEVICE_FIELD_PASSWORD: the password
 * @STAMP_DEVICE_FIELD_SENDER: the From address
 * @STAMP_DEVICE_FIELD_SENDER_NAME: the From display name
 *
 * One setting of a device's scan-to-email page.
 */
typedef enum
{
  STAMP_DEVICE_FIELD_SERVER,
  STAMP_DEVICE_FIELD_PORT,
  STAMP_DEVICE_FIELD_SECURITY,
  STAMP_DEVICE_FIELD_AUTH,
  STAMP_DEVICE_FIELD_CREDENTIALS,
  STAMP_DEVICE_FIELD_AUTH_ADDRESS,
  STAMP_DEVICE_FIELD_USER,
  STAMP_DEVICE_FIELD_PASSWORD,
  STAMP_DEVICE_FIELD_SENDER,
  STAMP_DEVICE_FIELD_SENDER_NAME,
} StampDeviceField;

/**
 * StampDeviceLabelFlags:
 * @STAMP_DEVICE_LABEL_CHECKBOX: the setting is a checkbox, not a list
 * @STAMP_DEVICE_LABEL_TLS_BY_PORT: one choice covers both kinds of TLS and
 *   the port decides (465: TLS from the first byte, 587: STARTTLS)
 * @STAMP_DEVICE_LABEL_UNVERIFIED: which choice means what is not confirmed
 *   by a vendor source
 */
typedef enum
{
  STAMP_DEVICE_LABEL_CHECKBOX    = 1 << 0,
  STAMP_DEVICE_LABEL_TLS_BY_PORT = 1 << 1,
  STAMP_DEVICE_LABEL_UNVERIFIED  = 1 << 2,
} StampDeviceLabelFlags;

/**
 * StampDeviceLabel:
 * @field: which setting
 * @label: its name on the vendor's web page
 * @on: SECURITY: the STARTTLS choice; AUTH, CREDENTIALS: the sign-in
 *   choice; %NULL for a checkbox or when the name varies
 * @tls: SECURITY: the TLS-from-the-first-byte choice, %NULL if none
 * @off: SECURITY, AUTH, CREDENTIALS: the "no" choice
 * @oauth: AUTH: the OAuth choice, when it sits in the same list
 * @flags: #StampDeviceLabelFlags
 *
 * A setting as one vendor names it. Names and choices are quoted from the
 * vendor's English web interface, so they are not translated, except for
 * the generic vendor's, which describe rather than quote.
 */
typedef struct
{
  StampDeviceField  field;
  const char       *label;
  const char       *on;
  const char       *tls;
  const char       *off;
  const char       *oauth;
  guint             flags;
} StampDeviceLabel;

/**
 * StampDeviceOAuthSupport:
 * @STAMP_DEVICE_OAUTH_YES: a vendor source says the device signs in with
 *   Microsoft 365 itself (often only newer models or firmware)
 * @STAMP_DEVICE_OAUTH_UNVERIFIED: no vendor source confirms it
 * @STAMP_DEVICE_OAUTH_UNKNOWN: an unnamed make; it depends on the model
 */
typedef enum
{
  STAMP_DEVICE_OAUTH_YES,
  STAMP_DEVICE_OAUTH_UNVERIFIED,
  STAMP_DEVICE_OAUTH_UNKNOWN,
} StampDeviceOAuthSupport;

#define STAMP_DEVICE_VENDOR_MAX_LABELS 11

/**
 * StampDeviceVendor:
 * @id: for `--device` ("brother")
 * @name: the make ("Brother")
 * @interface: the web interface's name ("Web Based Management")
 * @menu: where the settings are, from the web page's top level
 * @labels: the settings in the order the page shows them, ending with a
 *   %NULL label
 * @oauth: whether it signs in with Microsoft 365 OAuth
 * @oauth_how: (nullable): N_(), how to turn OAuth on, or what is known
 * @source: (nullable): where @oauth_how comes from
 * @generic: the labels describe rather than quote; translate them
 *
 * A printer or scanner make and the names its web page uses.
 */
typedef struct
{
  const char              *id;
  const char              *name;
  const char              *interface;
  const char              *menu;
  StampDeviceLabel         labels[STAMP_DEVICE_VENDOR_MAX_LABELS];
  StampDeviceOAuthSupport  oauth;
  const char              *oauth_how;
  const char              *source;
  gboolean                 generic;
} StampDeviceVendor;

guint                    stamp_device_vendor_get_n_vendors (void);
const StampDeviceVendor *stamp_device_vendor_get_nth       (guint                    position);
const StampDeviceVendor *stamp_device_vendor_lookup        (const char              *id);
char                    *stamp_device_vendor_list_ids      (void);
char                   **stamp_device_vendor_dup_ids       (void);
const StampDeviceLabel  *stamp_device_vendor_find_label    (const StampDeviceVendor *vendor,
                                                            StampDeviceField         field);
const char              *stamp_device_vendor_text          (const StampDeviceVendor *vendor,
                                                            const char              *text);

G_END_DECLS

/* stamp-relay-device.h
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
#include <json-glib/json-glib.h>

#include "stamp-types.h"

G_BEGIN_DECLS

#define STAMP_TYPE_RELAY_DEVICE (stamp_relay_device_get_type ())

G_DECLARE_FINAL_TYPE (StampRelayDevice, stamp_relay_device, STAMP, RELAY_DEVICE, GObject)

StampRelayDevice   *stamp_relay_device_new                 (const char        *name,
                                                            const char        *account);
const char         *stamp_relay_device_get_name            (StampRelayDevice  *self);
const char         *stamp_relay_device_get_account         (StampRelayDevice  *self);
const char         *stamp_relay_device_get_user            (StampRelayDevice  *self);
void                stamp_relay_device_set_user            (StampRelayDevice  *self,
                                                            const char        *user);
const char * const *stamp_relay_device_get_allow_from      (StampRelayDevice  *self);
gboolean            stamp_relay_device_add_allow_from      (StampRelayDevice  *self,
                                                            const char        *cidr,
                                                            GError           **error);
const char * const *stamp_relay_device_get_from_aliases    (StampRelayDevice  *self);
gboolean            stamp_relay_device_add_from_alias      (StampRelayDevice  *self,
                                                            const char        *address,
                                                            GError           **error);
gboolean            stamp_relay_device_allows_sender       (StampRelayDevice  *self,
                                                            const char        *address);
const char         *stamp_relay_device_get_make            (StampRelayDevice  *self);
void                stamp_relay_device_set_make            (StampRelayDevice  *self,
                                                            const char        *make);
gboolean            stamp_relay_device_get_no_sign_in      (StampRelayDevice  *self);
void                stamp_relay_device_set_no_sign_in      (StampRelayDevice  *self,
                                                            gboolean           no_sign_in);
StampTlsVersion     stamp_relay_device_get_tls_min         (StampRelayDevice  *self);
void                stamp_relay_device_set_tls_min         (StampRelayDevice  *self,
                                                            StampTlsVersion    tls_min);
gboolean            stamp_relay_device_get_allow_plaintext (StampRelayDevice  *self);
void                stamp_relay_device_set_allow_plaintext (StampRelayDevice  *self,
                                                            gboolean           allow_plaintext);
char               *stamp_relay_device_get_secret_key      (StampRelayDevice  *self);
void                stamp_relay_device_add_json_members    (StampRelayDevice  *self,
                                                            JsonBuilder       *builder);
gboolean            stamp_relay_device_validate            (StampRelayDevice  *self,
                                                            GError           **error);
char               *stamp_relay_generate_password          (GError           **error);

/* The shortest password a device may bring with --password-stdin. */
#define STAMP_RELAY_MIN_PASSWORD_LENGTH 12

G_END_DECLS

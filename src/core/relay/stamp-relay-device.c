/* stamp-relay-device.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>

#include "stamp-address.h"
#include "stamp-error.h"
#include "stamp-relay-device.h"
#include "stamp-util.h"

/**
 * StampRelayDevice:
 *
 * A device that hands its mail to Stamp Relay: a name, its make, the
 * account its mail goes out through, the other sender addresses it may use
 * (aliases of that account), the user name it signs in with, the networks
 * it may send from, whether it may send without signing in (only from
 * those networks), the lowest TLS version it is allowed and whether it may
 * sign in without STARTTLS. Its password is never part of it: it lives in
 * the keyring under stamp_relay_device_get_secret_key(). A device that
 * sends without signing in has neither user name nor password.
 */

struct _StampRelayDevice
{
  GObject          parent_instance;

  char            *name;
  char            *account;
  char            *make;
  char            *user;
  GPtrArray       *from_aliases;  /* addresses, NULL-terminated */
  GPtrArray       *allow_from;    /* CIDR strings, NULL-terminated */
  gboolean         no_sign_in;
  StampTlsVersion  tls_min;
  gboolean         allow_plaintext;
};

G_DEFINE_FINAL_TYPE (StampRelayDevice, stamp_relay_device, G_TYPE_OBJECT)

static void
stamp_relay_device_finalize (GObject *object)
{
  StampRelayDevice *self = STAMP_RELAY_DEVICE (object);

  g_free (self->name);
  g_free (self->account);
  g_free (self->make);
  g_free (self->user);
  g_ptr_array_unref (self->from_aliases);
  g_ptr_array_unref (self->allow_from);

  G_OBJECT_CLASS (stamp_relay_device_parent_class)->finalize (object);
}

static void
stamp_relay_device_class_init (StampRelayDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_relay_device_finalize;
}

static void
stamp_relay_device_init (StampRelayDevice *self)
{
  self->from_aliases = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->allow_from = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->tls_min = STAMP_TLS_VERSION_1_2;
}

/**
 * stamp_relay_device_new:
 * @name: what the person calls the device (“Office printer”)
 * @account: the address of the account its mail goes out through
 *
 * Returns: (transfer full): a device that must sign in, over TLS 1.2 or newer
 */
StampRelayDevice *
stamp_relay_device_new (const char *name,
                        const char *account)
{
  StampRelayDevice *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  self = g_object_new (STAMP_TYPE_RELAY_DEVICE, NULL);
  self->name = g_strdup (name);
  self->account = g_strdup (account);

  return self;
}

const char *
stamp_relay_device_get_name (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return self->name;
}

const char *
stamp_relay_device_get_account (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return self->account;
}

const char *
stamp_relay_device_get_user (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return self->user;
}

void
stamp_relay_device_set_user (StampRelayDevice *self,
                             const char       *user)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));
  g_free (self->user);
  self->user = g_strdup (user);
}

static const char * const *
strv_of (GPtrArray *array)
{
  static const char * const none[] = { NULL };

  /* An empty array may have no storage yet. */
  if (array->pdata == NULL)
    return none;

  return (const char * const *) array->pdata;
}

/**
 * stamp_relay_device_get_from_aliases:
 *
 * Returns: (transfer none): the sender addresses the device may use besides
 *   its account's own, in the order they were added
 */
const char * const *
stamp_relay_device_get_from_aliases (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return strv_of (self->from_aliases);
}

/**
 * stamp_relay_device_add_from_alias:
 * @address: another address of the device's account (a shared mailbox, an
 *   alias) that its mail may be from
 *
 * Adding an address that is already there does nothing.
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT if @address is not a
 *   plain email address
 */
gboolean
stamp_relay_device_add_from_alias (StampRelayDevice  *self,
                                   const char        *address,
                                   GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (!stamp_address_check (address, &local_error))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” cannot be a sender address: %s"), address, local_error->message);
      return FALSE;
    }

  if (!stamp_relay_device_allows_sender (self, address))
    g_ptr_array_add (self->from_aliases, g_strdup (address));
  return TRUE;
}

/**
 * stamp_relay_device_allows_sender:
 * @address: the address of a MAIL FROM command
 *
 * Whether the device's mail may be from @address: its account's address or
 * one of its aliases. Addresses are compared without regard to case.
 *
 * Returns: %TRUE if it may
 */
gboolean
stamp_relay_device_allows_sender (StampRelayDevice *self,
                                  const char       *address)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (g_ascii_strcasecmp (address, self->account) == 0)
    return TRUE;

  for (guint i = 0; i < self->from_aliases->len; i++)
    if (g_ascii_strcasecmp (address, g_ptr_array_index (self->from_aliases, i)) == 0)
      return TRUE;

  return FALSE;
}

/**
 * stamp_relay_device_get_make:
 *
 * Returns: (transfer none) (nullable): the device's maker, as the id the
 *   printer export knows it by (“brother”, “konica-minolta”), or %NULL if
 *   not said
 */
const char *
stamp_relay_device_get_make (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return self->make;
}

/**
 * stamp_relay_device_set_make:
 * @make: (nullable): the maker's id; the caller checks it against the
 *   makes the printer export knows, a layer this one does not see
 */
void
stamp_relay_device_set_make (StampRelayDevice *self,
                             const char       *make)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));
  g_free (self->make);
  self->make = make != NULL && make[0] != '\0' ? g_ascii_strdown (make, -1) : NULL;
}

/**
 * stamp_relay_device_get_allow_from:
 *
 * Returns: (transfer none): the networks the device may send from, as CIDR
 *   strings; empty means any
 */
const char * const *
stamp_relay_device_get_allow_from (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return strv_of (self->allow_from);
}

/**
 * stamp_relay_device_add_allow_from:
 * @cidr: an address or network: “192.168.1.20”, “192.168.1.0/24”, “fd00::/8”
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT if @cidr is not one
 */
gboolean
stamp_relay_device_add_allow_from (StampRelayDevice  *self,
                                   const char        *cidr,
                                   GError           **error)
{
  g_autoptr(GInetAddressMask) mask = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 length = 0;
  guint bits;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);
  g_return_val_if_fail (cidr != NULL, FALSE);

  /* The prefix length is checked here: GLib warns about one that is too
   * long for the address instead of failing. */
  parts = g_strsplit (cidr, "/", 2);
  address = parts[0] != NULL ? g_inet_address_new_from_string (parts[0]) : NULL;
  bits = address != NULL ? g_inet_address_get_native_size (address) * 8 : 0;
  if (address != NULL && parts[1] == NULL)
    length = bits;
  else if (address != NULL &&
           !g_ascii_string_to_unsigned (parts[1], 10, 0, bits, &length, NULL))
    g_clear_object (&address);

  if (address != NULL)
    mask = g_inet_address_mask_new (address, length, NULL);
  if (mask == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an address or a network such as 192.168.1.0/24"), cidr);
      return FALSE;
    }

  g_ptr_array_add (self->allow_from, g_inet_address_mask_to_string (mask));
  return TRUE;
}

gboolean
stamp_relay_device_get_no_sign_in (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);
  return self->no_sign_in;
}

void
stamp_relay_device_set_no_sign_in (StampRelayDevice *self,
                                   gboolean          no_sign_in)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));
  self->no_sign_in = !!no_sign_in;
}

StampTlsVersion
stamp_relay_device_get_tls_min (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), STAMP_TLS_VERSION_1_2);
  return self->tls_min;
}

void
stamp_relay_device_set_tls_min (StampRelayDevice *self,
                                StampTlsVersion   tls_min)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));
  self->tls_min = tls_min;
}

gboolean
stamp_relay_device_get_allow_plaintext (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);
  return self->allow_plaintext;
}

void
stamp_relay_device_set_allow_plaintext (StampRelayDevice *self,
                                        gboolean          allow_plaintext)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));
  self->allow_plaintext = !!allow_plaintext;
}

/**
 * stamp_relay_device_get_secret_key:
 *
 * Returns: (transfer full): what the device's password is kept under in
 *   the keyring (the `account` attribute of a %STAMP_SECRET_RELAY_DEVICE
 *   item); it cannot be an email address, so never an account's
 */
char *
stamp_relay_device_get_secret_key (StampRelayDevice *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), NULL);
  return g_strconcat ("relay-device:", self->name, NULL);
}

/**
 * stamp_relay_device_validate:
 *
 * A device without sign-in must be limited to some networks: otherwise the
 * relay would be open to anyone who can reach it.
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT if the device cannot be kept
 */
gboolean
stamp_relay_device_validate (StampRelayDevice  *self,
                             GError           **error)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (self), FALSE);

  if (self->name[0] == '\0')
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("A device needs a name"));
      return FALSE;
    }

  if (self->no_sign_in && self->allow_from->len == 0)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("A device that sends without signing in must be limited to its "
                             "network with --allow-from"));
      return FALSE;
    }

  if (self->tls_min > STAMP_TLS_VERSION_1_2)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("The lowest TLS version of a device must be 1.0, 1.1 or 1.2"));
      return FALSE;
    }

  return TRUE;
}

#define PASSWORD_LENGTH 24

/**
 * stamp_relay_generate_password:
 *
 * A new device password: 24 letters and digits from the system's
 * cryptographic random generator (about 142 bits).
 *
 * Returns: (transfer full) (nullable): the password, or %NULL if no random
 *   bytes could be had
 */
char *
stamp_relay_generate_password (GError **error)
{
  static const char alphabet[] =
    "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";
  const guint n = sizeof alphabet - 1;
  /* Bytes at or above the largest multiple of n would favour some letters. */
  const guint limit = 256 - 256 % n;
  g_autoptr(StampSecret) password = g_malloc0 (PASSWORD_LENGTH + 1);
  guint filled = 0;

  while (filled < PASSWORD_LENGTH)
    {
      guint8 bytes[64];

      if (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes) < 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("No random numbers could be had for a password"));
          return NULL;
        }

      for (guint i = 0; i < sizeof bytes && filled < PASSWORD_LENGTH; i++)
        if (bytes[i] < limit)
          password[filled++] = alphabet[bytes[i] % n];

      gnutls_memset (bytes, 0, sizeof bytes);
    }

  return g_steal_pointer (&password);
}

/**
 * stamp_relay_device_add_json_members:
 * @self: a device
 * @builder: a builder inside an object
 *
 * Adds what describes @self, never its password: the members of the
 * device file's entries and of `stamp-cli relay devices --json`.
 */
void
stamp_relay_device_add_json_members (StampRelayDevice *self,
                                     JsonBuilder      *builder)
{
  const char * const *allow_from = stamp_relay_device_get_allow_from (self);
  const char * const *from_aliases = stamp_relay_device_get_from_aliases (self);

  g_return_if_fail (STAMP_IS_RELAY_DEVICE (self));

  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, stamp_relay_device_get_name (self));
  if (stamp_relay_device_get_make (self) != NULL)
    {
      json_builder_set_member_name (builder, "make");
      json_builder_add_string_value (builder, stamp_relay_device_get_make (self));
    }
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, stamp_relay_device_get_account (self));
  json_builder_set_member_name (builder, "from-aliases");
  json_builder_begin_array (builder);
  for (guint i = 0; from_aliases[i] != NULL; i++)
    json_builder_add_string_value (builder, from_aliases[i]);
  json_builder_end_array (builder);
  if (stamp_relay_device_get_user (self) != NULL)
    {
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, stamp_relay_device_get_user (self));
    }
  json_builder_set_member_name (builder, "allow-from");
  json_builder_begin_array (builder);
  for (guint i = 0; allow_from[i] != NULL; i++)
    json_builder_add_string_value (builder, allow_from[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "no-sign-in");
  json_builder_add_boolean_value (builder, stamp_relay_device_get_no_sign_in (self));
  json_builder_set_member_name (builder, "tls-min");
  json_builder_add_string_value (builder,
                                 stamp_tls_version_to_string (stamp_relay_device_get_tls_min (self)));
  json_builder_set_member_name (builder, "allow-plaintext");
  json_builder_add_boolean_value (builder, stamp_relay_device_get_allow_plaintext (self));
}

/* stamp-relay-device-store.c
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
#include <json-glib/json-glib.h>

#include "stamp-account-file-private.h"
#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-relay-device-store.h"

/**
 * StampRelayDeviceStore:
 *
 * The relay's devices, kept in `relay-devices.json` in Stamp's folder under
 * the XDG config directory. Saving goes through the account file's atomic,
 * locked write. The file holds no password: those are in the keyring.
 */

#define FILE_VERSION 1

/* How long an edit waits for another process's edit to end. */
#define EDIT_LOCK_TIMEOUT_SECONDS 10

struct _StampRelayDeviceStore
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *devices;
  int        edit_lock;  /* -1 unless between begin_edit and end_edit */
};

G_DEFINE_FINAL_TYPE (StampRelayDeviceStore, stamp_relay_device_store, G_TYPE_OBJECT)

static void
stamp_relay_device_store_finalize (GObject *object)
{
  StampRelayDeviceStore *self = STAMP_RELAY_DEVICE_STORE (object);

  stamp_relay_device_store_end_edit (self);
  g_free (self->path);
  g_ptr_array_unref (self->devices);

  G_OBJECT_CLASS (stamp_relay_device_store_parent_class)->finalize (object);
}

static void
stamp_relay_device_store_class_init (StampRelayDeviceStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_relay_device_store_finalize;
}

static void
stamp_relay_device_store_init (StampRelayDeviceStore *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->edit_lock = -1;
}

/**
 * stamp_relay_device_store_new:
 * @path: (nullable): the file; %NULL for `relay-devices.json` in the
 *   “stamp” folder of g_get_user_config_dir()
 *
 * Returns: (transfer full): an empty store; call stamp_relay_device_store_load()
 */
StampRelayDeviceStore *
stamp_relay_device_store_new (const char *path)
{
  StampRelayDeviceStore *self = g_object_new (STAMP_TYPE_RELAY_DEVICE_STORE, NULL);

  self->path = path != NULL
               ? g_strdup (path)
               : g_build_filename (g_get_user_config_dir (), "stamp", "relay-devices.json", NULL);

  return self;
}

const char *
stamp_relay_device_store_get_path (StampRelayDeviceStore *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), NULL);
  return self->path;
}

typedef gboolean (*AddString) (StampRelayDevice  *device,
                               const char        *value,
                               GError           **error);

/* Adds each string of the array member @name, which may be missing; any
 * other kind of member, or of element, is damage. */
static gboolean
add_strings (JsonObject        *object,
             const char        *name,
             AddString          add,
             StampRelayDevice  *device,
             GError           **error)
{
  JsonNode *member = json_object_get_member (object, name);
  JsonArray *array;

  if (member == NULL)
    return TRUE;

  array = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        array = NULL;
      else if (!add (device, json_node_get_string (element), error))
        return FALSE;
    }

  if (array == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not a list of texts"), name);
      return FALSE;
    }

  return TRUE;
}

static StampRelayDevice *
device_from_json (JsonObject  *object,
                  GError     **error)
{
  const char *name = json_object_get_string_member_with_default (object, "name", NULL);
  const char *account = json_object_get_string_member_with_default (object, "account", NULL);
  const char *tls_min = json_object_get_string_member_with_default (object, "tls-min", "1.2");
  g_autoptr(StampRelayDevice) device = NULL;
  StampTlsVersion version;

  if (name == NULL || account == NULL)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("A device in the relay’s device file has no name or account"));
      return NULL;
    }

  device = stamp_relay_device_new (name, account);
  stamp_relay_device_set_make (device,
                               json_object_get_string_member_with_default (object, "make", NULL));
  stamp_relay_device_set_user (device,
                               json_object_get_string_member_with_default (object, "user", NULL));
  stamp_relay_device_set_no_sign_in (device,
                                     json_object_get_boolean_member_with_default (object, "no-sign-in", FALSE));
  stamp_relay_device_set_allow_plaintext (device,
                                          json_object_get_boolean_member_with_default (object, "allow-plaintext", FALSE));
  if (stamp_tls_version_from_string (tls_min, &version))
    stamp_relay_device_set_tls_min (device, version);

  if (!add_strings (object, "allow-from", stamp_relay_device_add_allow_from, device, error) ||
      !add_strings (object, "from-aliases", stamp_relay_device_add_from_alias, device, error))
    return NULL;

  if (!stamp_relay_device_validate (device, error))
    return NULL;

  return g_steal_pointer (&device);
}

/* Moves a file that cannot be used aside with the account file's own
 * mechanism, so nothing in it is lost and the next save starts a fresh
 * one; the error says where it went. */
static void
set_aside (const char  *path,
           const char  *kind,
           const char  *reason,
           GError     **error)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *aside = _stamp_account_file_move_aside (path, kind, &move_error);

  if (aside != NULL)
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE,
                 _("The relay’s device file “%s” could not be used: %s. It was moved to “%s”, "
                   "so nothing in it is lost, and the relay starts without devices."),
                 path, reason, aside);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE,
                 _("The relay’s device file “%s” could not be used: %s. It could not be moved "
                   "aside either (%s), so it is left in place."),
                 path, reason, move_error->message);
}

/* Returns: (nullable): the devices in the file's document @root, or %NULL with
 * *@reason and *@kind saying why not */
static GPtrArray *
devices_from_root (JsonNode     *root,
                   char        **reason,
                   const char  **kind)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *object;
  JsonArray *array;
  gint64 version;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member ((object = json_node_get_object (root)), "devices") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "devices")))
    {
      *reason = g_strdup (_("it has no list of devices"));
      return NULL;
    }

  version = json_object_get_int_member_with_default (object, "version", FILE_VERSION);
  if (version > FILE_VERSION)
    {
      *kind = "newer-format";
      *reason = g_strdup_printf (_("it was written by a newer version of Stamp (format %d; "
                                   "this version reads format %d)"),
                                 (int) MIN (version, G_MAXINT), FILE_VERSION);
      return NULL;
    }

  array = json_object_get_array_member (object, "devices");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GError) error = NULL;
      StampRelayDevice *device = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        device = device_from_json (json_node_get_object (node), &error);
      else
        g_set_error_literal (&error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                             _("it is not a device"));
      if (device == NULL)
        {
          *reason = g_strdup_printf (_("entry %u: %s"), i + 1, error->message);
          return NULL;
        }
      g_ptr_array_add (devices, device);
    }

  return g_steal_pointer (&devices);
}

/**
 * stamp_relay_device_store_load:
 *
 * Reads the file; a missing file is an empty list. A file that cannot be
 * read, is damaged or was written by a newer Stamp is moved aside, next to
 * it (“relay-devices.json.unreadable-20260314-093000”), so that nothing in
 * it is lost, and the store is left empty.
 *
 * Returns: %FALSE with %STAMP_ERROR_ACCOUNT_FILE, whose message says where
 *   the file went, if it was moved aside
 */
gboolean
stamp_relay_device_store_load (StampRelayDeviceStore  *self,
                               GError                **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *reason = NULL;
  const char *kind = "unreadable";

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), FALSE);

  g_ptr_array_set_size (self->devices, 0);

  if (!json_parser_load_from_file (parser, self->path, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      reason = g_strdup (local_error->message);
    }
  else
    devices = devices_from_root (json_parser_get_root (parser), &reason, &kind);

  if (devices == NULL)
    {
      set_aside (self->path, kind, reason, error);
      return FALSE;
    }

  g_ptr_array_unref (self->devices);
  self->devices = g_steal_pointer (&devices);
  return TRUE;
}

static void
device_to_json (StampRelayDevice *device,
                JsonBuilder      *builder)
{
  json_builder_begin_object (builder);
  stamp_relay_device_add_json_members (device, builder);
  json_builder_end_object (builder);
}

/**
 * stamp_relay_device_store_save:
 *
 * Writes every device to the file, atomically (a reader sees the old file
 * or the new one), readable by the user alone.
 */
gboolean
stamp_relay_device_store_save (StampRelayDeviceStore  *self,
                               GError                **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->devices->len; i++)
    device_to_json (g_ptr_array_index (self->devices, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  return _stamp_account_file_write (self->path, text, NULL, error);
}

/**
 * stamp_relay_device_store_begin_edit:
 *
 * Takes the edit lock (`relay-devices.json.edit-lock`, beside the file) so
 * that a load, a change and a save by one process are not interleaved with
 * another's and no device is lost; call it before
 * stamp_relay_device_store_load(). The save's own lock is a different file,
 * so saving while the edit lock is held does not wait for it.
 *
 * Returns: %FALSE if the lock could not be had within ten seconds
 */
gboolean
stamp_relay_device_store_begin_edit (StampRelayDeviceStore  *self,
                                     GError                **error)
{
  g_autofree char *lock_path = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->edit_lock < 0, FALSE);

  lock_path = g_strconcat (self->path, ".edit-lock", NULL);
  self->edit_lock = stamp_file_lock_acquire (lock_path, EDIT_LOCK_TIMEOUT_SECONDS, NULL, error);

  return self->edit_lock >= 0;
}

/**
 * stamp_relay_device_store_end_edit:
 *
 * Lets other processes edit again; does nothing without the edit lock.
 */
void
stamp_relay_device_store_end_edit (StampRelayDeviceStore *self)
{
  g_return_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self));

  if (self->edit_lock >= 0)
    stamp_file_lock_release (self->edit_lock);
  self->edit_lock = -1;
}

/**
 * stamp_relay_device_store_get_devices:
 *
 * Returns: (transfer none) (element-type StampRelayDevice): the devices, in
 *   the order they were added
 */
GPtrArray *
stamp_relay_device_store_get_devices (StampRelayDeviceStore *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), NULL);
  return self->devices;
}

/**
 * stamp_relay_device_store_lookup:
 *
 * Names are matched without regard to case.
 *
 * Returns: (transfer none) (nullable): the device called @name
 */
StampRelayDevice *
stamp_relay_device_store_lookup (StampRelayDeviceStore *self,
                                 const char            *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < self->devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (self->devices, i);
      g_autofree char *other = g_utf8_casefold (stamp_relay_device_get_name (device), -1);

      if (g_str_equal (folded, other))
        return device;
    }

  return NULL;
}

/**
 * stamp_relay_device_store_lookup_user:
 *
 * Returns: (transfer none) (nullable): the device that signs in as @user
 */
StampRelayDevice *
stamp_relay_device_store_lookup_user (StampRelayDeviceStore *self,
                                      const char            *user)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  for (guint i = 0; i < self->devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (self->devices, i);

      if (g_strcmp0 (stamp_relay_device_get_user (device), user) == 0)
        return device;
    }

  return NULL;
}

/**
 * stamp_relay_device_store_add:
 *
 * Adds @device unless its name or user name is taken.
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT if it is
 */
gboolean
stamp_relay_device_store_add (StampRelayDeviceStore  *self,
                              StampRelayDevice       *device,
                              GError                **error)
{
  const char *user;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE (device), FALSE);

  if (stamp_relay_device_store_lookup (self, stamp_relay_device_get_name (device)) != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("There is already a device called “%s”"), stamp_relay_device_get_name (device));
      return FALSE;
    }

  user = stamp_relay_device_get_user (device);
  if (user != NULL && stamp_relay_device_store_lookup_user (self, user) != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("Another device already signs in as “%s”"), user);
      return FALSE;
    }

  if (!stamp_relay_device_validate (device, error))
    return FALSE;

  g_ptr_array_add (self->devices, g_object_ref (device));
  return TRUE;
}

/**
 * stamp_relay_device_store_remove:
 *
 * Returns: %TRUE if there was a device called @name
 */
gboolean
stamp_relay_device_store_remove (StampRelayDeviceStore *self,
                                 const char            *name)
{
  StampRelayDevice *device;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), FALSE);

  device = stamp_relay_device_store_lookup (self, name);
  if (device == NULL)
    return FALSE;

  return g_ptr_array_remove (self->devices, device);
}

/**
 * stamp_relay_device_store_make_user:
 * @name: a device's name
 *
 * A user name for a new device: @name in lower case, with letters and
 * digits kept and every other run of characters turned into one “-”, and
 * “-2”, “-3”… added if another device already has it.
 *
 * Returns: (transfer full): the user name
 */
char *
stamp_relay_device_store_make_user (StampRelayDeviceStore *self,
                                    const char            *name)
{
  g_autoptr(GString) base = g_string_new (NULL);
  g_autofree char *user = NULL;

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (base, g_ascii_tolower (*p));
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }
  while (base->len > 0 && base->str[base->len - 1] == '-')
    g_string_truncate (base, base->len - 1);
  if (base->len > 32)
    g_string_truncate (base, 32);
  if (base->len == 0)
    g_string_assign (base, "device");

  user = g_strdup (base->str);
  for (guint n = 2; stamp_relay_device_store_lookup_user (self, user) != NULL; n++)
    {
      g_free (user);
      user = g_strdup_printf ("%s-%u", base->str, n);
    }

  return g_steal_pointer (&user);
}

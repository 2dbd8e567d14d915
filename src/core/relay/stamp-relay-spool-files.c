/* stamp-relay-spool-files.c
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

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "stamp-relay-spool-private.h"

/* The spool's records on disk: one JSON file per message, written through
 * a temporary file, fsynced and renamed. */

G_DEFINE_BOXED_TYPE (StampRelayEntry, stamp_relay_entry, stamp_relay_entry_copy,
                     stamp_relay_entry_free)

/**
 * stamp_relay_entry_copy:
 * @entry: an entry
 *
 * Returns: (transfer full): a deep copy of @entry
 */
StampRelayEntry *
stamp_relay_entry_copy (const StampRelayEntry *entry)
{
  StampRelayEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (StampRelayEntry, 1);
  *copy = *entry;
  copy->id = g_strdup (entry->id);
  copy->account = g_strdup (entry->account);
  copy->device = g_strdup (entry->device);
  copy->client_ip = g_strdup (entry->client_ip);
  copy->envelope_from = g_strdup (entry->envelope_from);
  copy->recipients = g_strdupv (entry->recipients);
  copy->last_error = g_strdup (entry->last_error);
  return copy;
}

/**
 * stamp_relay_entry_free:
 * @entry: (nullable): an entry
 */
void
stamp_relay_entry_free (StampRelayEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->account);
  g_free (entry->device);
  g_free (entry->client_ip);
  g_free (entry->envelope_from);
  g_strfreev (entry->recipients);
  g_free (entry->last_error);
  g_free (entry);
}

/* Files and folders */

gboolean
_stamp_relay_set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_debug ("Spool: could not %s %s: %s", what, path, g_strerror (saved_errno));
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("The relay’s spool cannot be written (%s): %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
_stamp_relay_sync_dir (const char  *dir,
          GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return _stamp_relay_set_errno_error (error, errno, "open", dir);
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      return _stamp_relay_set_errno_error (error, saved_errno, "sync", dir);
    }
  close (fd);
  return TRUE;
}

gboolean
_stamp_relay_make_private_dir (const char  *dir,
                  GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return _stamp_relay_set_errno_error (error, errno, "create", dir);
  if (g_chmod (dir, 0700) != 0)
    return _stamp_relay_set_errno_error (error, errno, "protect", dir);
  return TRUE;
}

/* Writes @contents to @path through a temporary file that is fsynced
 * and renamed, so a reader sees the old file or the new one, never half. */
gboolean
_stamp_relay_write_file_atomic (const char  *path,
                   const char  *contents,
                   gboolean     durable,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.tmp", dir, base);
  size_t length = strlen (contents);
  size_t done = 0;
  int fd;

  fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return _stamp_relay_set_errno_error (error, errno, "write", tmp);
  while (done < length)
    {
      ssize_t n = write (fd, contents + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (tmp);
          return _stamp_relay_set_errno_error (error, saved_errno, "write", tmp);
        }
      done += n;
    }
  if (durable && fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (tmp);
      return _stamp_relay_set_errno_error (error, saved_errno, "sync", tmp);
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp);
      return _stamp_relay_set_errno_error (error, saved_errno, "write", path);
    }
  return TRUE;
}

char *
_stamp_relay_entry_path (const char *dir,
            const char *id,
            const char *suffix)
{
  g_autofree char *name = g_strconcat (id, suffix, NULL);

  return g_build_filename (dir, name, NULL);
}

/* Records */

static char *
entry_to_json (const StampRelayEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, entry->id);
  json_builder_set_member_name (builder, "account");
  json_builder_add_string_value (builder, entry->account);
  json_builder_set_member_name (builder, "device");
  json_builder_add_string_value (builder, entry->device);
  json_builder_set_member_name (builder, "client_ip");
  json_builder_add_string_value (builder, entry->client_ip);
  json_builder_set_member_name (builder, "envelope_from");
  json_builder_add_string_value (builder, entry->envelope_from);
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; entry->recipients != NULL && entry->recipients[i] != NULL; i++)
    json_builder_add_string_value (builder, entry->recipients[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "received_at");
  json_builder_add_int_value (builder, entry->received_at);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, entry->attempts);
  json_builder_set_member_name (builder, "next_attempt_at");
  json_builder_add_int_value (builder, entry->next_attempt_at);
  if (entry->last_error != NULL)
    {
      json_builder_set_member_name (builder, "last_error");
      json_builder_add_string_value (builder, entry->last_error);
    }
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, entry->size);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* A record may have been edited by hand: members of another type than
 * the relay writes count as missing. */
static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gint64
get_int_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* A queued record must say how to send it; a held one only needs its id. */
StampRelayEntry *
_stamp_relay_entry_from_file (const char  *path,
                 gboolean     sendable,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(StampRelayEntry) entry = g_new0 (StampRelayEntry, 1);
  g_autoptr(GStrvBuilder) recipients = g_strv_builder_new ();
  JsonObject *object;
  JsonArray *array;
  JsonNode *member;
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   _("“%s” is not a message record"), path);
      return NULL;
    }
  object = json_node_get_object (root);
  /* The file's name, which the spool checked, names the message: an id
   * in the record is never trusted to build a path. */
  {
    g_autofree char *name = g_path_get_basename (path);

    if (g_str_has_suffix (name, ".json"))
      name[strlen (name) - strlen (".json")] = '\0';
    entry->id = _stamp_relay_is_id (name) ? g_steal_pointer (&name) : NULL;
  }
  entry->account = dup_string_member (object, "account");
  entry->device = dup_string_member (object, "device");
  entry->client_ip = dup_string_member (object, "client_ip");
  entry->envelope_from = dup_string_member (object, "envelope_from");
  entry->received_at = get_int_member (object, "received_at");
  entry->attempts = CLAMP (get_int_member (object, "attempts"), 0, G_MAXINT);
  entry->next_attempt_at = get_int_member (object, "next_attempt_at");
  entry->last_error = dup_string_member (object, "last_error");
  entry->size = MAX (get_int_member (object, "size"), 0);
  member = json_object_get_member (object, "recipients");
  array = member != NULL && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (recipients, json_node_get_string (element));
    }
  entry->recipients = g_strv_builder_end (recipients);

  if (entry->id == NULL
      || (sendable && (entry->account == NULL || entry->envelope_from == NULL
                       || entry->recipients[0] == NULL)))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   _("“%s” lacks the message’s account, sender or recipients"), path);
      return NULL;
    }
  return g_steal_pointer (&entry);
}

gboolean
_stamp_relay_write_entry (const char             *dir,
             const StampRelayEntry  *entry,
             GError                **error)
{
  g_autofree char *path = _stamp_relay_entry_path (dir, entry->id, ".json");
  g_autofree char *text = entry_to_json (entry);

  return _stamp_relay_write_file_atomic (path, text, TRUE, error);
}

int
_stamp_relay_compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const StampRelayEntry *x = *(StampRelayEntry * const *) a;
  const StampRelayEntry *y = *(StampRelayEntry * const *) b;

  if (x->received_at != y->received_at)
    return x->received_at < y->received_at ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

gboolean
_stamp_relay_is_id (const char *name)
{
  if (name[0] == '\0' || name[0] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* stamp-account-file.c
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

/* The account file: its text, the lock that serialises saves, reading and
 * parsing with bad files and entries set aside, and the atomic write. It
 * works on a path and arrays of accounts alone, so a worker thread never
 * touches the store, and the store is the only one that calls it. */

#define G_LOG_DOMAIN "stamp-account-store"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-account-file-private.h"
#include "stamp-error.h"
#include "stamp-file-lock.h"
#include "stamp-util.h"

/* How long a save waits for another one of the same file to finish. */
#define LOCK_TIMEOUT_SECONDS 15

void
_stamp_load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->accounts, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

/* Binary search in an array of accounts sorted by address, as loading
 * builds it and the store keeps it. Returns whether @address is there;
 * *@position is where it is, or where it would go. */
gboolean
_stamp_account_array_find (GPtrArray  *accounts,
                           const char *address,
                           guint      *position)
{
  guint low = 0;
  guint high = accounts->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      int cmp = stamp_account_compare_address (g_ptr_array_index (accounts, middle), address);

      if (cmp == 0)
        {
          *position = middle;
          return TRUE;
        }

      if (cmp < 0)
        low = middle + 1;
      else
        high = middle;
    }

  *position = low;
  return FALSE;
}

/* The file's text for @accounts. Nothing is returned if an account is not
 * valid: the file must always be one this Stamp can load again. */
char *
_stamp_account_file_to_text (GPtrArray  *accounts,
                             GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, STAMP_ACCOUNT_STORE_FORMAT);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);

  for (guint i = 0; i < accounts->len; i++)
    {
      StampAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *address = NULL;

      if (!stamp_account_validate (account, &local_error))
        {
          address = g_strescape (stamp_account_get_address (account) != NULL
                                   ? stamp_account_get_address (account) : "",
                                 NULL);
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The accounts were not saved: the account “%s” is not valid (%s)"),
                       address, local_error->message);
          return NULL;
        }

      json_builder_add_value (builder, stamp_account_to_json (account));
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

/* The account file's lock serialises saves between threads and processes
 * (see stamp-file-lock.c). */
static int
lock_acquire (const char    *path,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);

  return stamp_file_lock_acquire (lock_path, LOCK_TIMEOUT_SECONDS, cancellable, error);
}

/* A name next to @path that nothing uses yet, such as
 * “accounts.json.unreadable-20260314-093000”. Called with the lock held. */
static char *
unused_aside_path (const char *path,
                   const char *kind)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *candidate = g_strdup_printf ("%s.%s-%s", path, kind, stamp);
  GStatBuf buf;

  for (guint n = 2; g_lstat (candidate, &buf) == 0; n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.%s-%s-%u", path, kind, stamp, n);
    }

  return candidate;
}

static char *
move_aside (const char  *path,
            const char  *kind,
            GError     **error)
{
  g_autofree char *aside = unused_aside_path (path, kind);

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&aside);
}

/* For other files kept like the account file (the relay's devices): moves
 * @path aside under the file's lock, so no save of it is in between, to a
 * name such as “relay-devices.json.unreadable-20260314-093000”. Returns
 * that name. */
char *
_stamp_account_file_move_aside (const char  *path,
                                const char  *kind,
                                GError     **error)
{
  g_autoptr(GError) lock_error = NULL;
  char *aside;
  int fd;

  fd = lock_acquire (path, NULL, &lock_error);
  if (fd < 0 && lock_error->domain != G_FILE_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&lock_error));
      return NULL;
    }

  aside = move_aside (path, kind, error);

  if (fd >= 0)
    stamp_file_lock_release (fd);

  return aside;
}

/* Moves a file that cannot be used aside, so nothing in it is lost and the
 * next save starts a fresh one. A newer Stamp's file is moved like this
 * too, untouched, rather than rewritten in a format it would not expect. */
static void
set_unusable (LoadResult *result,
              const char *path,
              const char *kind,
              StampError  code,
              const char *reason)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *aside = move_aside (path, kind, &move_error);

  if (aside != NULL)
    {
      g_set_error (&result->error, STAMP_ERROR, code,
                   _("The account file “%s” could not be used: %s. It was moved to “%s”, so "
                     "nothing in it is lost, and Stamp starts without accounts."),
                   path, reason, aside);
      return;
    }

  result->file_at_risk = TRUE;
  g_set_error (&result->error, STAMP_ERROR, code,
               _("The account file “%s” could not be used: %s. It could not be moved aside "
                 "either (%s), so Stamp leaves it in place and will not save over it."),
               path, reason, move_error->message);
}

/* Skipped entries are kept in a copy of the file as it was, since the next
 * save writes only the accounts that loaded. */
static void
set_skipped (LoadResult *result,
             const char *path,
             const char *contents,
             gsize       len,
             const char *skipped)
{
  g_autoptr(GError) copy_error = NULL;
  g_autofree char *aside = unused_aside_path (path, "partial");

  if (g_file_set_contents_full (aside, contents, len,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                0600, &copy_error))
    {
      g_set_error (&result->error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_SKIPPED,
                   _("Some accounts in the account file “%s” could not be used and were "
                     "skipped: %s. A copy of the file as it was is kept at “%s”."),
                   path, skipped, aside);
      return;
    }

  result->file_at_risk = TRUE;
  g_set_error (&result->error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_SKIPPED,
               _("Some accounts in the account file “%s” could not be used and were skipped: "
                 "%s. No copy of the file could be kept (%s), so Stamp will not save over it."),
               path, skipped, copy_error->message);
}

/* Returns the “accounts” array of a well-formed file. Otherwise returns
 * NULL with *@reason saying what is wrong, or, for a newer file, with
 * *@reason unset and *@format above ours. */
static JsonArray *
parse_file (JsonParser  *parser,
            const char  *contents,
            gsize        len,
            gint64      *format,
            char       **reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  JsonObject *object;
  JsonNode *node;

  *format = 0;

  if (!json_parser_load_from_data (parser, contents, (gssize) len, &error))
    {
      *reason = g_strdup_printf (_("it is not valid JSON (%s)"), error->message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *reason = g_strdup (node == NULL ? _("it is empty") : _("it does not hold a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);
  node = json_object_get_member (object, "format");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      *reason = g_strdup (_("its “format” is missing or not a whole number"));
      return NULL;
    }

  *format = json_node_get_int (node);
  if (*format > STAMP_ACCOUNT_STORE_FORMAT)
    return NULL;

  if (*format < 1)
    {
      number = g_strdup_printf ("%" G_GINT64_FORMAT, *format);
      *reason = g_strdup_printf (_("its “format” is %s, which no version of Stamp writes"),
                                 number);
      return NULL;
    }

  node = json_object_get_member (object, "accounts");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      *reason = g_strdup (_("its “accounts” is missing or not a list"));
      return NULL;
    }

  return json_node_get_array (node);
}

static void
append_skipped (GString    *skipped,
                guint       index,
                JsonNode   *node,
                const char *message)
{
  const char *address = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), "address");

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING &&
          !stamp_str_has_line_break (json_node_get_string (member)))
        address = json_node_get_string (member);
    }

  if (skipped->len > 0)
    g_string_append (skipped, "; ");

  /* TRANSLATORS: entries are counted from 1 */
  if (address != NULL)
    g_string_append_printf (skipped, _("entry %u (%s): %s"), index + 1, address, message);
  else
    g_string_append_printf (skipped, _("entry %u: %s"), index + 1, message);
}

static void
read_accounts (JsonArray  *array,
               LoadResult *result,
               GString    *skipped)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(StampAccount) account = NULL;
      g_autoptr(GError) error = NULL;
      guint position = 0;

      account = stamp_account_new_from_json (node, &error);

      /* The first of two entries for one address wins; the other is kept
       * in the copy like any entry that cannot be used. */
      if (account != NULL &&
          _stamp_account_array_find (result->accounts, stamp_account_get_address (account),
                                             &position))
        g_set_error_literal (&error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                             _("An earlier entry has the same address"));

      if (error != NULL)
        {
          append_skipped (skipped, i, node, error->message);
          continue;
        }

      g_ptr_array_insert (result->accounts, position, g_steal_pointer (&account));
    }
}

/* Reads the file, with the lock held if it can be taken, and sets aside
 * what cannot be used. */
static LoadResult *
read_file (const char *path)
{
  g_autoptr(LoadResult) result = g_new0 (LoadResult, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) skipped = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *number = NULL;
  JsonArray *array;
  gint64 format;
  gsize len;

  result->accounts = g_ptr_array_new_with_free_func (g_object_unref);

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      /* No file yet: no accounts yet. */
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&result);

      reason = g_strdup_printf (_("it could not be read (%s)"), error->message);
      set_unusable (result, path, "unreadable", STAMP_ERROR_ACCOUNT_FILE, reason);
      return g_steal_pointer (&result);
    }

  array = parse_file (parser, contents, len, &format, &reason);
  if (array == NULL && reason == NULL)
    {
      number = g_strdup_printf ("%" G_GINT64_FORMAT, format);
      reason = g_strdup_printf (_("it was written by a newer version of Stamp (format %s; "
                                  "this version reads format %d)"),
                                number, STAMP_ACCOUNT_STORE_FORMAT);
      set_unusable (result, path, "newer-format", STAMP_ERROR_ACCOUNT_FILE_NEWER, reason);
    }
  else if (array == NULL)
    set_unusable (result, path, "unreadable", STAMP_ERROR_ACCOUNT_FILE, reason);
  else
    {
      skipped = g_string_new (NULL);
      read_accounts (array, result, skipped);

      if (skipped->len > 0)
        set_skipped (result, path, contents, len, skipped->str);
    }

  return g_steal_pointer (&result);
}

/* Runs in a worker thread for the store's load_async(). The lock keeps another Stamp
 * from saving between the read and a move aside, which would set its good
 * file aside as unreadable. */
LoadResult *
_stamp_account_file_load (const char    *path,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GError) lock_error = NULL;
  LoadResult *result;
  int fd;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  fd = lock_acquire (path, cancellable, &lock_error);

  /* Without a lock file (no folder yet, or a read-only one) reading still
   * works, and no save can race it there. */
  if (fd < 0 && lock_error->domain != G_FILE_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&lock_error));
      return NULL;
    }

  result = read_file (path);

  if (fd >= 0)
    stamp_file_lock_release (fd);

  return result;
}

/* Runs in a worker thread for the store's save_async(). */
gboolean
_stamp_account_file_write (const char    *path,
                                 const char    *contents,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  gboolean written;
  int fd;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  fd = lock_acquire (path, cancellable, error);
  if (fd < 0)
    return FALSE;

  /* CONSISTENT writes a temporary file and renames it over the old one, so
   * a reader sees the old file or the new one and never a torn one;
   * DURABLE syncs it to disk before the rename. */
  written = g_file_set_contents_full (path, contents, -1,
                                      G_FILE_SET_CONTENTS_CONSISTENT |
                                      G_FILE_SET_CONTENTS_DURABLE,
                                      0600, error);

  stamp_file_lock_release (fd);

  return written;
}

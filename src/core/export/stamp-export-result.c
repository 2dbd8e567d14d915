/* stamp-export-result.c
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

#define G_LOG_DOMAIN "stamp-export-result"

#include "config.h"

#include <string.h>

#include "stamp-export-result.h"

/*
 * StampExportResult:
 *
 * What an exporter made: the contents (text, or bytes for a PDF), the file
 * name to suggest, its MIME type, notes for the person ("Thunderbird also
 * needs an incoming server"), and whether it holds a secret. A private
 * result is only ever written to a file that nobody else can read.
 */
struct _StampExportResult
{
  GObject    parent_instance;

  GBytes    *bytes;
  char      *file_name;
  char      *mime_type;
  GPtrArray *notes;
  gboolean   is_private;
  gboolean   is_text;
};

G_DEFINE_FINAL_TYPE (StampExportResult, stamp_export_result, G_TYPE_OBJECT)

static void
stamp_export_result_finalize (GObject *object)
{
  StampExportResult *self = (StampExportResult *)object;

  /* A private result may hold a password: wipe our copy if we own it alone. */
  if (self->is_private && self->bytes != NULL)
    {
      GByteArray *array = g_bytes_unref_to_array (g_steal_pointer (&self->bytes));

      memset (array->data, 0, array->len);
      g_byte_array_unref (array);
    }
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_export_result_parent_class)->finalize (object);
}

static void
stamp_export_result_class_init (StampExportResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_export_result_finalize;
}

static void
stamp_export_result_init (StampExportResult *self)
{
  self->notes = g_ptr_array_new_null_terminated (0, g_free, TRUE);
}

StampExportResult *
stamp_export_result_new (const char *file_name,
                         const char *mime_type)
{
  StampExportResult *self;

  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);

  self = g_object_new (STAMP_TYPE_EXPORT_RESULT, NULL);
  self->file_name = g_strdup (file_name);
  self->mime_type = g_strdup (mime_type);
  return self;
}

/* Returns: (transfer none) (nullable): the contents; %NULL before rendering */
GBytes *
stamp_export_result_get_bytes (StampExportResult *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), NULL);

  return self->bytes;
}

/* Returns: (nullable): the contents as a nul-terminated UTF-8 string, or
 * %NULL when the result is not text (a PDF). */
const char *
stamp_export_result_get_text (StampExportResult *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), NULL);

  if (!self->is_text || self->bytes == NULL)
    return NULL;
  return g_bytes_get_data (self->bytes, NULL);
}

void
stamp_export_result_set_bytes (StampExportResult *self,
                               GBytes            *bytes)
{
  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));
  g_return_if_fail (bytes != NULL);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (bytes);
  self->is_text = FALSE;
}

/* Takes @text; the bytes keep its trailing nul out of their size but in
 * memory, so get_text() can hand out the same buffer. */
void
stamp_export_result_take_text (StampExportResult *self,
                               GString           *text)
{
  gsize len;

  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (g_utf8_validate (text->str, text->len, NULL));

  g_clear_pointer (&self->bytes, g_bytes_unref);
  len = text->len;
  self->bytes = g_bytes_new_take (g_string_free (text, FALSE), len);
  self->is_text = TRUE;
}

const char *
stamp_export_result_get_file_name (StampExportResult *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), NULL);

  return self->file_name;
}

void
stamp_export_result_set_file_name (StampExportResult *self,
                                   const char        *file_name)
{
  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));
  g_return_if_fail (file_name != NULL && strchr (file_name, '/') == NULL);

  g_free (self->file_name);
  self->file_name = g_strdup (file_name);
}

const char *
stamp_export_result_get_mime_type (StampExportResult *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), NULL);

  return self->mime_type;
}

/* %TRUE when the contents hold a secret (or are a file that must not be
 * readable by others anyway, like a SASL password map). */
gboolean
stamp_export_result_get_private (StampExportResult *self)
{
  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), FALSE);

  return self->is_private;
}

void
stamp_export_result_set_private (StampExportResult *self,
                                 gboolean           is_private)
{
  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));

  self->is_private = !!is_private;
}

/* Returns: (array zero-terminated=1): notes for the person, in order */
const char * const *
stamp_export_result_get_notes (StampExportResult *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), NULL);

  /* An empty null-terminated array may not have allocated its pdata yet. */
  if (self->notes->pdata == NULL)
    return none;
  return (const char * const *) self->notes->pdata;
}

void
stamp_export_result_add_note (StampExportResult *self,
                              const char        *note)
{
  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));
  g_return_if_fail (note != NULL);

  g_ptr_array_add (self->notes, g_strdup (note));
}

/* A private file is created 0600 (G_FILE_CREATE_PRIVATE) from the start,
 * also when it replaces a file that others could read: GIO writes a new
 * file and renames it over the old one. */
static GFileCreateFlags
create_flags (StampExportResult *self)
{
  return self->is_private ? G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION
                          : G_FILE_CREATE_NONE;
}

gboolean
stamp_export_result_save (StampExportResult  *self,
                          GFile              *file,
                          GCancellable       *cancellable,
                          GError            **error)
{
  gsize size;
  const char *data;

  g_return_val_if_fail (STAMP_IS_EXPORT_RESULT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->bytes != NULL, FALSE);

  data = g_bytes_get_data (self->bytes, &size);
  return g_file_replace_contents (file, data, size, NULL, FALSE, create_flags (self),
                                  NULL, cancellable, error);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
stamp_export_result_save_async (StampExportResult   *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (STAMP_IS_EXPORT_RESULT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_export_result_save_async);
  g_file_replace_contents_bytes_async (file, self->bytes, NULL, FALSE, create_flags (self),
                                       cancellable, save_cb, g_steal_pointer (&task));
}

gboolean
stamp_export_result_save_finish (StampExportResult  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* stamp-relay-device-list.c
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

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-relay-device-list.h"

/**
 * StampRelayDeviceList:
 *
 * An office's devices from a CSV list (RFC 4180), to add in one go: one
 * row per device with its name, its make and, optionally, the networks it
 * may send from (several, separated by spaces or “;”) and the lowest TLS
 * version it may use:
 *
 * |[
 * name,make,allow-from,tls-min
 * Front desk,brother,192.168.1.20,
 * "Scanner, 2nd floor",konica-minolta,192.168.2.0/24;10.0.0.7,1.0
 * ]|
 *
 * The header row is optional; when present (a first row with the
 * columns “name” and “make”) it may put the columns in any order and
 * leave out the optional ones. Every bad row is reported with its line number, and a list with
 * any bad row gives no devices at all, so that an office's list is added
 * whole or not at all. Both stamp-cli and the app's “Add Devices from a
 * List…” read lists through here.
 */

enum
{
  COLUMN_NAME,
  COLUMN_MAKE,
  COLUMN_ALLOW_FROM,
  COLUMN_TLS_MIN,
  N_COLUMNS,
};

/* As in the header row, after stamp_relay_make_to_id()'s folding. */
static const char * const column_names[N_COLUMNS] = { "name", "make", "allow-from", "tls-min" };

struct _StampRelayDeviceList
{
  GObject    parent_instance;

  GPtrArray *devices;
  GArray    *lines;  /* guint: the line each device's row starts on */
};

G_DEFINE_FINAL_TYPE (StampRelayDeviceList, stamp_relay_device_list, G_TYPE_OBJECT)

static void
stamp_relay_device_list_finalize (GObject *object)
{
  StampRelayDeviceList *self = STAMP_RELAY_DEVICE_LIST (object);

  g_ptr_array_unref (self->devices);
  g_array_unref (self->lines);

  G_OBJECT_CLASS (stamp_relay_device_list_parent_class)->finalize (object);
}

static void
stamp_relay_device_list_class_init (StampRelayDeviceListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = stamp_relay_device_list_finalize;
}

static void
stamp_relay_device_list_init (StampRelayDeviceList *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));
}

/* The CSV reader: one record at a time. */
typedef struct
{
  const char *p;
  const char *end;
  guint       line;
} Reader;

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

static void
skip_line (Reader *reader)
{
  while (reader->p < reader->end && *reader->p != '\n')
    reader->p++;
}

/* A field in double quotes: "" stands for one quote, and line breaks are
 * part of the field (RFC 4180, section 2). */
static char *
read_quoted (Reader  *reader,
             char   **problem)
{
  g_autoptr(GString) field = g_string_new (NULL);

  reader->p++;
  for (;;)
    {
      if (reader->p >= reader->end)
        {
          *problem = g_strdup (_("a field in quotes is not closed"));
          return NULL;
        }
      if (*reader->p == '"' && reader->p + 1 < reader->end && reader->p[1] == '"')
        {
          g_string_append_c (field, '"');
          reader->p += 2;
          continue;
        }
      if (*reader->p == '"')
        {
          reader->p++;
          break;
        }
      if (*reader->p == '\n')
        reader->line++;
      g_string_append_c (field, *reader->p++);
    }

  while (reader->p < reader->end && is_blank (*reader->p))
    reader->p++;
  if (reader->p < reader->end && *reader->p != ',' && *reader->p != '\r' && *reader->p != '\n')
    {
      *problem = g_strdup (_("there is text after a field’s closing quote"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&field), FALSE);
}

static char *
read_plain (Reader  *reader,
            char   **problem)
{
  const char *start = reader->p;

  while (reader->p < reader->end && *reader->p != ',' && *reader->p != '\n' &&
         !(*reader->p == '\r' && (reader->p + 1 == reader->end || reader->p[1] == '\n')))
    {
      if (*reader->p == '"')
        {
          *problem = g_strdup (_("a field that does not start with a quote has one inside; put "
                                 "the field in quotes and double the quote"));
          return NULL;
        }
      reader->p++;
    }

  return g_strstrip (g_strndup (start, reader->p - start));
}

/* Reads the next record into @fields and its first line into @line.
 * Returns %FALSE at the end of the text. A record with a *@problem is
 * skipped up to the end of its line. */
static gboolean
read_record (Reader     *reader,
             GPtrArray  *fields,
             guint      *line,
             char      **problem)
{
  g_ptr_array_set_size (fields, 0);
  *line = reader->line;

  if (reader->p >= reader->end)
    return FALSE;

  for (;;)
    {
      char *field;

      while (reader->p < reader->end && is_blank (*reader->p))
        reader->p++;

      if (reader->p < reader->end && *reader->p == '"')
        field = read_quoted (reader, problem);
      else
        field = read_plain (reader, problem);
      if (field == NULL)
        {
          skip_line (reader);
          break;
        }
      g_ptr_array_add (fields, field);

      if (reader->p < reader->end && *reader->p == ',')
        {
          reader->p++;
          continue;
        }
      break;
    }

  if (reader->p < reader->end && *reader->p == '\r')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '\n')
    {
      reader->p++;
      reader->line++;
    }

  return TRUE;
}

/**
 * stamp_relay_make_to_id:
 * @make: a make as a person wrote it: “Konica Minolta”, “HP”, “brother”
 *
 * The printer export's ids are makes in lower case with “-” between
 * words, so a make written either way finds its id.
 *
 * Returns: (transfer full): @make as an id: “konica-minolta”
 */
char *
stamp_relay_make_to_id (const char *make)
{
  g_autoptr(GString) id = g_string_new (NULL);

  g_return_val_if_fail (make != NULL, NULL);

  for (const char *p = make; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '_' || *p == '-')
        {
          if (id->len > 0 && id->str[id->len - 1] != '-')
            g_string_append_c (id, '-');
        }
      else
        g_string_append_c (id, g_ascii_tolower (*p));
    }
  while (id->len > 0 && id->str[id->len - 1] == '-')
    g_string_truncate (id, id->len - 1);

  return g_string_free (g_steal_pointer (&id), FALSE);
}

static gboolean
has_field (GPtrArray  *fields,
           const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *folded = stamp_relay_make_to_id (g_ptr_array_index (fields, i));

      if (g_str_equal (folded, name))
        return TRUE;
    }

  return FALSE;
}

/* Returns: whether @fields is a header row, one with the columns “name”
 * and “make”, and if it is, fills @columns or sets *@problem. */
static gboolean
read_header (GPtrArray  *fields,
             int        *columns,
             char      **problem)
{
  gboolean seen[N_COLUMNS] = { FALSE, };

  if (!has_field (fields, column_names[COLUMN_NAME]) ||
      !has_field (fields, column_names[COLUMN_MAKE]))
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *name = stamp_relay_make_to_id (g_ptr_array_index (fields, i));
      int column = -1;

      for (int c = 0; c < N_COLUMNS; c++)
        if (g_str_equal (name, column_names[c]))
          column = c;

      if (column < 0 || seen[column])
        {
          *problem = g_strdup_printf (column < 0
                                      ? _("the header names a column “%s” that is not one of "
                                          "name, make, allow-from, tls-min")
                                      : _("the header names the column “%s” twice"),
                                      (const char *) g_ptr_array_index (fields, i));
          return TRUE;
        }
      seen[column] = TRUE;
      columns[i] = column;
    }

  return TRUE;
}

/* Returns: (nullable): the device a row describes, or %NULL with *@problem */
static StampRelayDevice *
read_row (GPtrArray          *fields,
          const int          *columns,
          guint               n_columns,
          const char         *account,
          const char * const *makes,
          char              **problem)
{
  const char *values[N_COLUMNS] = { NULL, };
  g_autoptr(StampRelayDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *make = NULL;
  g_auto(GStrv) networks = NULL;
  StampTlsVersion tls_min = STAMP_TLS_VERSION_1_2;

  if (fields->len > n_columns)
    {
      *problem = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "the row has %u field, but a row has at most "
                                               "%u (name, make, allow-from, tls-min)",
                                               "the row has %u fields, but a row has at most "
                                               "%u (name, make, allow-from, tls-min)",
                                               fields->len),
                                  fields->len, n_columns);
      return NULL;
    }

  for (guint i = 0; i < fields->len; i++)
    values[columns[i]] = g_ptr_array_index (fields, i);

  if (values[COLUMN_NAME] == NULL || values[COLUMN_NAME][0] == '\0')
    {
      *problem = g_strdup (_("the device has no name"));
      return NULL;
    }
  if (values[COLUMN_MAKE] == NULL || values[COLUMN_MAKE][0] == '\0')
    {
      *problem = g_strdup_printf (_("the device “%s” has no make"), values[COLUMN_NAME]);
      return NULL;
    }

  make = stamp_relay_make_to_id (values[COLUMN_MAKE]);
  if (makes != NULL && !g_strv_contains (makes, make))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) makes);

      *problem = g_strdup_printf (_("“%s” is not a make Stamp knows (%s)"),
                                  values[COLUMN_MAKE], known);
      return NULL;
    }

  if (values[COLUMN_TLS_MIN] != NULL && values[COLUMN_TLS_MIN][0] != '\0' &&
      (!stamp_tls_version_from_string (values[COLUMN_TLS_MIN], &tls_min) ||
       tls_min > STAMP_TLS_VERSION_1_2))
    {
      *problem = g_strdup_printf (_("the lowest TLS version must be 1.0, 1.1 or 1.2, not “%s”"),
                                  values[COLUMN_TLS_MIN]);
      return NULL;
    }

  device = stamp_relay_device_new (values[COLUMN_NAME], account);
  stamp_relay_device_set_make (device, make);
  stamp_relay_device_set_tls_min (device, tls_min);

  networks = g_strsplit_set (values[COLUMN_ALLOW_FROM] != NULL ? values[COLUMN_ALLOW_FROM] : "",
                             " \t;", -1);
  for (guint i = 0; networks[i] != NULL; i++)
    if (networks[i][0] != '\0' && !stamp_relay_device_add_allow_from (device, networks[i], &error))
      {
        *problem = g_strdup (error->message);
        return NULL;
      }

  if (!stamp_relay_device_validate (device, &error))
    {
      *problem = g_strdup (error->message);
      return NULL;
    }

  return g_steal_pointer (&device);
}

static void
add_problem (GString    *problems,
             guint       line,
             const char *problem)
{
  g_string_append_printf (problems, "\n");
  g_string_append_printf (problems, _("Line %u: %s"), line, problem);
}

static void
set_problems (GError  **error,
              GString  *problems)
{
  g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
               _("The device list cannot be used, so no device was added from it:%s"),
               problems->str);
}

static gboolean
is_blank_record (GPtrArray *fields)
{
  return fields->len == 1 && ((const char *) g_ptr_array_index (fields, 0))[0] == '\0';
}

/* Where a text that is not UTF-8 goes wrong, as a line number. */
static guint
line_of (const char *text,
         const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;

  return line;
}

/**
 * stamp_relay_device_list_parse:
 * @text: the list, in UTF-8 (a byte order mark is skipped)
 * @length: the length of @text, or -1 if it ends with a nul
 * @account: the address of the account the devices' mail goes out through
 * @makes: (nullable) (array zero-terminated=1): the makes the printer
 *   export knows, as ids (“brother”); %NULL takes any make
 *
 * Reads a list of devices. A make may be written as an id or as the
 * make's name (“Konica Minolta”); devices get its id. The devices have no
 * user name yet: stamp_relay_device_list_add_to_store() gives them one.
 *
 * Returns: (transfer full) (nullable): the devices, or %NULL with
 *   %STAMP_ERROR_INVALID_INPUT, whose message has one line per bad row
 *   with its line number, if any row is bad
 */
StampRelayDeviceList *
stamp_relay_device_list_parse (const char          *text,
                               gssize               length,
                               const char          *account,
                               const char * const  *makes,
                               GError             **error)
{
  g_autoptr(StampRelayDeviceList) self = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  int columns[N_COLUMNS] = { COLUMN_NAME, COLUMN_MAKE, COLUMN_ALLOW_FROM, COLUMN_TLS_MIN };
  guint n_columns = N_COLUMNS;
  gboolean first = TRUE;
  const char *invalid;
  Reader reader;
  guint line;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (account != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  if (!g_utf8_validate_len (text, length, &invalid))
    {
      g_string_printf (problems, "\n");
      g_string_append_printf (problems, _("Line %u: %s"), line_of (text, invalid),
                              _("the text is not UTF-8; save the list as “CSV UTF-8”"));
      set_problems (error, problems);
      return NULL;
    }

  self = g_object_new (STAMP_TYPE_RELAY_DEVICE_LIST, NULL);
  reader = (Reader) { .p = text, .end = text + length, .line = 1 };

  for (;;)
    {
      g_autofree char *problem = NULL;
      g_autoptr(StampRelayDevice) device = NULL;
      g_autofree char *folded = NULL;
      gpointer earlier;

      if (!read_record (&reader, fields, &line, &problem))
        break;

      if (problem == NULL && is_blank_record (fields))
        continue;

      if (problem == NULL && first && read_header (fields, columns, &problem))
        {
          n_columns = fields->len;
          first = FALSE;
          if (problem != NULL)
            {
              /* Without its columns no row can be read. */
              add_problem (problems, line, problem);
              break;
            }
          continue;
        }
      first = FALSE;

      if (problem == NULL)
        device = read_row (fields, columns, n_columns, account, makes, &problem);

      if (device != NULL)
        {
          folded = g_utf8_casefold (stamp_relay_device_get_name (device), -1);
          if (g_hash_table_lookup_extended (names, folded, NULL, &earlier))
            problem = g_strdup_printf (_("the name “%s” is already on line %u"),
                                       stamp_relay_device_get_name (device),
                                       GPOINTER_TO_UINT (earlier));
          else
            g_hash_table_insert (names, g_steal_pointer (&folded), GUINT_TO_POINTER (line));
        }

      if (problem != NULL)
        {
          add_problem (problems, line, problem);
          continue;
        }

      if (self->devices->len == STAMP_RELAY_DEVICE_LIST_MAX_ROWS)
        {
          g_autofree char *too_many = g_strdup_printf (_("a list has at most %d devices"),
                                                       STAMP_RELAY_DEVICE_LIST_MAX_ROWS);

          add_problem (problems, line, too_many);
          break;
        }

      g_ptr_array_add (self->devices, g_steal_pointer (&device));
      g_array_append_val (self->lines, line);
    }

  if (problems->len > 0)
    {
      set_problems (error, problems);
      return NULL;
    }

  if (self->devices->len == 0)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           _("The device list has no devices in it"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * stamp_relay_device_list_load:
 * @path: a CSV file
 *
 * Reads the file at @path with stamp_relay_device_list_parse().
 *
 * Returns: (transfer full) (nullable): the devices, or %NULL with
 *   %STAMP_ERROR_INVALID_INPUT if the file cannot be read or a row is bad
 */
StampRelayDeviceList *
stamp_relay_device_list_load (const char          *path,
                              const char          *account,
                              const char * const  *makes,
                              GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, &length, &local_error))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The device list “%s” could not be read: %s"), path, local_error->message);
      return NULL;
    }

  if (length > STAMP_RELAY_DEVICE_LIST_MAX_BYTES)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The device list “%s” is larger than a list of devices can be (1 MB)"), path);
      return NULL;
    }

  return stamp_relay_device_list_parse (text, length, account, makes, error);
}

guint
stamp_relay_device_list_get_n_devices (StampRelayDeviceList *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_LIST (self), 0);
  return self->devices->len;
}

/**
 * stamp_relay_device_list_get_device:
 *
 * Returns: (transfer none): the device of the @position-th good row
 */
StampRelayDevice *
stamp_relay_device_list_get_device (StampRelayDeviceList *self,
                                    guint                 position)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_LIST (self), NULL);
  g_return_val_if_fail (position < self->devices->len, NULL);
  return g_ptr_array_index (self->devices, position);
}

/**
 * stamp_relay_device_list_get_line:
 *
 * Returns: the line of the list the device's row starts on, from 1
 */
guint
stamp_relay_device_list_get_line (StampRelayDeviceList *self,
                                  guint                 position)
{
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_LIST (self), 0);
  g_return_val_if_fail (position < self->lines->len, 0);
  return g_array_index (self->lines, guint, position);
}

/**
 * stamp_relay_device_list_add_to_store:
 * @store: the relay's devices, loaded, with the edit lock held
 *
 * Adds every device of the list to @store, each with a new user name
 * (stamp_relay_device_store_make_user()), or none of them if any name is
 * already taken. The caller then keeps each device's password in the
 * keyring and saves @store.
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT, one line per device
 *   that cannot be added, if none was added
 */
gboolean
stamp_relay_device_list_add_to_store (StampRelayDeviceList   *self,
                                      StampRelayDeviceStore  *store,
                                      GError                **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_LIST (self), FALSE);
  g_return_val_if_fail (STAMP_IS_RELAY_DEVICE_STORE (store), FALSE);

  for (guint i = 0; i < self->devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (self->devices, i);
      g_autofree char *problem = NULL;

      if (stamp_relay_device_store_lookup (store, stamp_relay_device_get_name (device)) != NULL)
        {
          problem = g_strdup_printf (_("there is already a device called “%s”"),
                                     stamp_relay_device_get_name (device));
          add_problem (problems, stamp_relay_device_list_get_line (self, i), problem);
        }
    }

  if (problems->len > 0)
    {
      set_problems (error, problems);
      return FALSE;
    }

  for (guint i = 0; i < self->devices->len; i++)
    {
      StampRelayDevice *device = g_ptr_array_index (self->devices, i);
      g_autofree char *user = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!stamp_relay_device_get_no_sign_in (device))
        {
          user = stamp_relay_device_store_make_user (store, stamp_relay_device_get_name (device));
          stamp_relay_device_set_user (device, user);
        }

      /* Checked above, so this holds; if not, take back what was added. */
      if (!stamp_relay_device_store_add (store, device, &local_error))
        {
          for (guint j = 0; j < i; j++)
            stamp_relay_device_store_remove (store, stamp_relay_device_get_name (
                                                      g_ptr_array_index (self->devices, j)));
          g_string_truncate (problems, 0);
          add_problem (problems, stamp_relay_device_list_get_line (self, i), local_error->message);
          set_problems (error, problems);
          return FALSE;
        }
    }

  return TRUE;
}

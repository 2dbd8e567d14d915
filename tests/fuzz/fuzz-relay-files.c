/* fuzz-relay-files.c
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

/* The relay reads two kinds of files it did not write itself a moment
 * ago: an office's device list (CSV from any spreadsheet) and the spool's
 * records (left by a relay that may have been killed, or edited by hand).
 * Either must give sane devices and entries, or a clear error. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib/gstdio.h>

#include "stamp-relay-device-list.h"
#include "stamp-relay-spool-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char * const makes[] = { "brother", "canon", "hp", "other", NULL };

static void
check_device_list (const uint8_t *data,
                   size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StampRelayDeviceList) list =
    stamp_relay_device_list_parse ((const char *) data, size, "scans@example.org", makes, &error);

  g_assert_true ((list == NULL) == (error != NULL));
  if (list == NULL)
    {
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  for (guint i = 0; i < stamp_relay_device_list_get_n_devices (list); i++)
    {
      StampRelayDevice *device = stamp_relay_device_list_get_device (list, i);
      g_autoptr(GError) invalid = NULL;

      g_assert_true (stamp_relay_device_validate (device, &invalid));
      g_assert_no_error (invalid);
      g_assert_cmpuint (stamp_relay_device_list_get_line (list, i), >, 0);
    }
}

static void
check_spool_record (const uint8_t *data,
                    size_t         size)
{
  static char *path;
  g_autoptr(GError) error = NULL;
  g_autoptr(StampRelayEntry) entry = NULL;

  if (path == NULL)
    path = g_build_filename (g_get_tmp_dir (), "stamp-fuzz-relay-record.json", NULL);
  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return;

  entry = _stamp_relay_entry_from_file (path, TRUE, &error);
  g_assert_true ((entry == NULL) == (error != NULL));
  if (entry != NULL)
    {
      g_assert_nonnull (entry->envelope_from);
      g_assert_nonnull (entry->recipients);
      g_assert_nonnull (entry->recipients[0]);
    }
  g_unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_device_list (data, size);
  check_spool_record (data, size);

  return 0;
}

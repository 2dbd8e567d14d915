/* stamp-browser.c
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


#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-browser.h"
#include "stamp-error.h"

/* Opens a web address in the person's browser. GIO picks the default
 * browser, through the OpenURI portal inside Flatpak. When STAMP_BROWSER
 * is set, it is a command line that gets the address as its last argument
 * instead: for tests, and for set-ups without a desktop. */

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                             _("Could not open a web browser: %s"), error->message);
}

static gboolean
spawn_command (const char  *command,
               const char  *uri,
               GError     **error)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) full_argv = NULL;

  if (!g_shell_parse_argv (command, NULL, &argv, &local_error))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("STAMP_BROWSER is not a command line: %s"), local_error->message);
      return FALSE;
    }

  g_strv_builder_addv (builder, (const char **) argv);
  g_strv_builder_add (builder, uri);
  full_argv = g_strv_builder_end (builder);

  /* The child is reaped by GSubprocess; its output stays out of ours,
   * which may be a token on standard output. */
  process = g_subprocess_newv ((const char * const *) full_argv,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &local_error);
  if (process == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("Could not start the browser named in STAMP_BROWSER: %s"),
                   local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * stamp_browser_open_async:
 * @uri: the address to open
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the browser was started (or could not be)
 * @user_data: data for @callback
 *
 * Opens @uri in a browser.
 */
void
stamp_browser_open_async (const char          *uri,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const char *command = g_getenv ("STAMP_BROWSER");
  GError *error = NULL;

  g_task_set_source_tag (task, stamp_browser_open_async);

  if (command != NULL && *command != '\0')
    {
      if (spawn_command (command, uri, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  g_app_info_launch_default_for_uri_async (uri, NULL, cancellable, launch_cb,
                                           g_steal_pointer (&task));
}

/**
 * stamp_browser_open_finish:
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: %TRUE when a browser was started
 */
gboolean
stamp_browser_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

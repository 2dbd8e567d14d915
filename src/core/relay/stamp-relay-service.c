/* stamp-relay-service.c
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
#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-relay-service.h"

/* Stamp Relay as a systemd user service: a unit in
 * $XDG_CONFIG_HOME/systemd/user/ that runs `stamp-cli relay serve`,
 * restarted when it fails, and started with the user's session. Beside it,
 * a weekly timer runs `stamp-cli accounts refresh`, so that a sign-in the
 * relay seldom uses does not lapse while nothing of Stamp runs. Inside the
 * Flatpak there is no such unit: the app keeps the relay running through
 * the Background portal. */

/**
 * stamp_relay_service_check_listen:
 * @listen: where to listen: “HOST:PORT”, with an IPv6 address in brackets
 *   (“[::1]:2525”)
 *
 * Returns: %FALSE with %STAMP_ERROR_INVALID_INPUT if @listen is not that
 */
gboolean
stamp_relay_service_check_listen (const char  *listen,
                                  GError     **error)
{
  const char *colon;
  g_autofree char *host = NULL;
  guint64 port = 0;

  g_return_val_if_fail (listen != NULL, FALSE);

  colon = strrchr (listen, ':');
  if (colon != NULL)
    host = g_strndup (listen, colon - listen);

  /* An IPv6 address has colons of its own, so it comes in brackets. */
  if (host != NULL && host[0] == '[')
    {
      g_autoptr(GInetAddress) address = NULL;

      if (host[strlen (host) - 1] == ']')
        {
          host[strlen (host) - 1] = '\0';
          address = g_inet_address_new_from_string (host + 1);
        }
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        g_clear_pointer (&host, g_free);
    }
  else if (host != NULL && (host[0] == '\0' || strpbrk (host, ":[] \t/") != NULL))
    g_clear_pointer (&host, g_free);

  if (host == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an address and port such as 192.168.1.20:2525 or [::1]:2525"),
                   listen);
      return FALSE;
    }

  return TRUE;
}

/**
 * stamp_relay_service_get_unit_path:
 *
 * Returns: (transfer full): where the unit goes: `stamp-relay.service` in
 *   `systemd/user` under g_get_user_config_dir()
 */
char *
stamp_relay_service_get_unit_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "systemd", "user",
                           STAMP_RELAY_SERVICE_NAME, NULL);
}

/* One word of an ExecStart= line (systemd.service(5), “Command lines”):
 * quoted when it has anything but plain characters; “%” and “$” are
 * doubled so that systemd takes them literally. */
static void
append_word (GString    *line,
             const char *word)
{
  gboolean plain = word[0] != '\0';

  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/._:@+=,-[]", *p) == NULL)
      plain = FALSE;

  if (line->len > 0)
    g_string_append_c (line, ' ');
  if (!plain)
    g_string_append_c (line, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '$')
        g_string_append_c (line, *p);
      else if (*p == '"' || *p == '\\')
        g_string_append_c (line, '\\');
      g_string_append_c (line, *p);
    }
  if (!plain)
    g_string_append_c (line, '"');
}

/**
 * stamp_relay_service_build_unit:
 * @program: the absolute path of stamp-cli
 * @serve_args: (nullable) (array zero-terminated=1): the options of
 *   `relay serve` (“--listen”, “192.168.1.20:2525”, …)
 *
 * Returns: (transfer full): the text of the unit
 */
char *
stamp_relay_service_build_unit (const char         *program,
                                const char * const *serve_args)
{
  g_autoptr(GString) exec = g_string_new (NULL);

  g_return_val_if_fail (program != NULL && g_path_is_absolute (program), NULL);

  append_word (exec, program);
  append_word (exec, "relay");
  append_word (exec, "serve");
  for (guint i = 0; serve_args != NULL && serve_args[i] != NULL; i++)
    append_word (exec, serve_args[i]);

  return g_strdup_printf ("# Written by “stamp-cli relay install-service”; running it again "
                          "rewrites this file.\n"
                          "[Unit]\n"
                          "Description=Stamp Relay: mail from printers and scanners, sent on "
                          "through your account\n"
                          "\n"
                          "[Service]\n"
                          "Type=simple\n"
                          "ExecStart=%s\n"
                          "Restart=on-failure\n"
                          "RestartSec=5\n"
                          "\n"
                          "[Install]\n"
                          "WantedBy=default.target\n",
                          exec->str);
}

/* Runs `systemctl --user …`, with its complaint in the error. */
static gboolean
run_systemctl (const char * const  *args,
               GError             **error)
{
  g_autofree char *systemctl = g_find_program_in_path ("systemctl");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *command = NULL;

  if (systemctl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("systemctl was not found: this system does not run systemd, so "
                             "start “stamp-cli relay serve” another way"));
      return FALSE;
    }

  g_ptr_array_add (argv, systemctl);
  g_ptr_array_add (argv, (char *) "--user");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, error))
    return FALSE;
  if (g_spawn_check_wait_status (g_subprocess_get_status (process), &local_error))
    return TRUE;

  command = g_strjoinv (" ", (char **) args);
  g_set_error (error, local_error->domain, local_error->code,
               _("“systemctl --user %s” failed: %s"), command,
               err != NULL && err[0] != '\0' ? g_strstrip (err) : local_error->message);
  return FALSE;
}

/* Writes one unit file, making systemd's user folder if need be. */
static gboolean
write_unit (const char  *path,
            const char  *text,
            GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

/**
 * stamp_relay_service_install:
 * @program: the absolute path of stamp-cli
 * @serve_args: (nullable) (array zero-terminated=1): the options of
 *   `relay serve`
 * @enable: also run `systemctl --user daemon-reload` and `systemctl --user
 *   enable --now stamp-relay.service`
 *
 * Writes the unit (over an earlier one) and, with @enable, starts it now
 * and with every session. It blocks while systemctl runs.
 *
 * Returns: %FALSE if the unit could not be written, with a #G_FILE_ERROR,
 *   or systemctl is missing or failed (%G_IO_ERROR_NOT_FOUND,
 *   %G_SPAWN_EXIT_ERROR with systemctl's own message)
 */
gboolean
stamp_relay_service_install (const char          *program,
                             const char * const  *serve_args,
                             gboolean             enable,
                             GError             **error)
{
  static const char * const reload[] = { "daemon-reload", NULL };
  static const char * const start[] = { "enable", "--now", STAMP_RELAY_SERVICE_NAME, NULL };
  g_autofree char *path = stamp_relay_service_get_unit_path ();
  g_autofree char *unit = NULL;

  g_return_val_if_fail (program != NULL && g_path_is_absolute (program), FALSE);

  unit = stamp_relay_service_build_unit (program, serve_args);
  if (!write_unit (path, unit, error))
    return FALSE;

  if (!enable)
    return TRUE;

  return run_systemctl (reload, error) && run_systemctl (start, error);
}

/**
 * stamp_relay_service_is_sandboxed:
 *
 * Inside the Flatpak, systemd's user units cannot run Stamp: the app keeps
 * the relay running instead, through the Background portal.
 *
 * Returns: %TRUE inside the Flatpak
 */
gboolean
stamp_relay_service_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/**
 * stamp_relay_service_get_refresh_timer_path:
 *
 * Returns: (transfer full): where the timer goes: `stamp-refresh.timer` in
 *   `systemd/user` under g_get_user_config_dir(), beside the relay's unit
 *   and `stamp-refresh.service`
 */
char *
stamp_relay_service_get_refresh_timer_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "systemd", "user",
                           STAMP_REFRESH_TIMER_NAME, NULL);
}

/**
 * stamp_relay_service_build_refresh_unit:
 * @program: the absolute path of stamp-cli
 *
 * Returns: (transfer full): the text of `stamp-refresh.service`, which the
 *   timer starts: one `stamp-cli accounts refresh`
 */
char *
stamp_relay_service_build_refresh_unit (const char *program)
{
  g_autoptr(GString) exec = g_string_new (NULL);

  g_return_val_if_fail (program != NULL && g_path_is_absolute (program), NULL);

  append_word (exec, program);
  append_word (exec, "accounts");
  append_word (exec, "refresh");

  return g_strdup_printf ("# Written by “stamp-cli relay install-service”; running it again "
                          "rewrites this file.\n"
                          "[Unit]\n"
                          "Description=Stamp: refresh the sign-ins of OAuth accounts, so they "
                          "do not lapse unused\n"
                          "\n"
                          "[Service]\n"
                          "Type=oneshot\n"
                          "ExecStart=%s\n",
                          exec->str);
}

/**
 * stamp_relay_service_build_refresh_timer:
 *
 * Weekly is well inside the shortest inactivity window (Microsoft's 90
 * days); Persistent= catches up on a week the computer was off, and the
 * random delay keeps many computers from asking the provider at the same
 * minute.
 *
 * Returns: (transfer full): the text of `stamp-refresh.timer`
 */
char *
stamp_relay_service_build_refresh_timer (void)
{
  return g_strdup ("# Written by “stamp-cli relay install-service”; running it again "
                   "rewrites this file.\n"
                   "[Unit]\n"
                   "Description=Stamp: keep the sign-ins of OAuth accounts alive every week\n"
                   "\n"
                   "[Timer]\n"
                   "OnCalendar=weekly\n"
                   "Persistent=true\n"
                   "RandomizedDelaySec=6h\n"
                   "Unit=" STAMP_REFRESH_SERVICE_NAME "\n"
                   "\n"
                   "[Install]\n"
                   "WantedBy=timers.target\n");
}

/**
 * stamp_relay_service_write_refresh_timer:
 * @program: the absolute path of stamp-cli
 *
 * Writes `stamp-refresh.timer` and `stamp-refresh.service` (over earlier
 * ones). Written before stamp_relay_service_install(), so its
 * `daemon-reload` sees them too.
 *
 * Returns: %FALSE with a #G_FILE_ERROR if a file could not be written
 */
gboolean
stamp_relay_service_write_refresh_timer (const char  *program,
                                         GError     **error)
{
  g_autofree char *timer_path = stamp_relay_service_get_refresh_timer_path ();
  g_autofree char *folder = g_path_get_dirname (timer_path);
  g_autofree char *unit_path = g_build_filename (folder, STAMP_REFRESH_SERVICE_NAME, NULL);
  g_autofree char *unit = NULL;
  g_autofree char *timer = NULL;

  g_return_val_if_fail (program != NULL && g_path_is_absolute (program), FALSE);

  unit = stamp_relay_service_build_refresh_unit (program);
  timer = stamp_relay_service_build_refresh_timer ();

  return write_unit (unit_path, unit, error) && write_unit (timer_path, timer, error);
}

/**
 * stamp_relay_service_enable_refresh_timer:
 *
 * Runs `systemctl --user enable --now stamp-refresh.timer`, after a
 * `daemon-reload` that saw the timer. It blocks while systemctl runs.
 *
 * Returns: %FALSE if systemctl is missing or failed
 */
gboolean
stamp_relay_service_enable_refresh_timer (GError **error)
{
  static const char * const start[] = { "enable", "--now", STAMP_REFRESH_TIMER_NAME, NULL };

  return run_systemctl (start, error);
}

/* stamp-cli-relay-service.c
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

#define G_LOG_DOMAIN "stamp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-output.h"
#include "stamp-cli-relay-private.h"

/* stamp-cli relay install-service: `relay serve` as a systemd user unit,
 * and beside it a weekly timer that runs `stamp-cli accounts refresh`. */

#define COMMAND "relay install-service"

/* The unit must name this very stamp-cli, wherever it was started from. */
static char *
dup_own_path (GError **error)
{
  return g_file_read_link ("/proc/self/exe", error);
}

static void
print_next_steps (const char * const *listen,
                  gboolean            enabled)
{
  g_autofree char *lan = stamp_net_dup_lan_address ();

  if (listen == NULL)
    {
      g_print ("%s\n", _("It listens on 127.0.0.1:2525, which only programs on this computer "
                         "can reach."));
      if (lan != NULL)
        /* Translators: the %s are this computer's address on its network */
        g_print (_("For printers and scanners on your network, run this again with “--listen "
                   "%s:2525”.\n"), lan);
    }
  else
    {
      g_autofree char *where = g_strjoinv (", ", (char **) listen);

      g_print (_("It listens on %s.\n"), where);
    }

  if (!enabled)
    g_print (_("To start it now and with every session: systemctl --user daemon-reload && "
               "systemctl --user enable --now %s\n"), STAMP_RELAY_SERVICE_NAME);

  g_print (_("To keep it running after you log out: loginctl enable-linger %s\n"),
           g_get_user_name ());
}

static void
print_refresh_timer (gboolean enabled)
{
  g_autofree char *path = stamp_relay_service_get_refresh_timer_path ();

  if (enabled)
    g_print (_("Wrote “%s” and started it: every week it refreshes the sign-ins of your OAuth "
               "accounts, so they do not lapse unused.\n"), path);
  else
    g_print (_("Wrote “%s”. To refresh the sign-ins of your OAuth accounts every week: "
               "systemctl --user enable --now %s\n"), path, STAMP_REFRESH_TIMER_NAME);
}

int
stamp_cli_relay_install_service (int    argc,
                                 char **argv)
{
  g_auto(GStrv) listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *program = NULL;
  g_autofree char *unit_path = stamp_relay_service_get_unit_path ();
  g_autoptr(GPtrArray) serve_args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_enable = FALSE;
  gboolean no_refresh_timer = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &listen, N_("Where the relay listens (repeatable; default 127.0.0.1:2525)"), N_("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("The relay’s certificate, instead of one Stamp makes"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate’s private key"), N_("FILE") },
    { "no-enable", 0, 0, G_OPTION_ARG_NONE, &no_enable, N_("Only write the unit; do not start it"), NULL },
    { "no-refresh-timer", 0, 0, G_OPTION_ARG_NONE, &no_refresh_timer, N_("Do not install the weekly timer that keeps sign-ins alive"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— run Stamp Relay as a systemd user service"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error (COMMAND, "%s", error->message);
  if (argc != 1)
    return stamp_cli_usage_error (COMMAND, _("Unexpected argument “%s”"), argv[1]);
  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    if (!stamp_relay_service_check_listen (listen[i], &error))
      return stamp_cli_usage_error (COMMAND, "%s", error->message);
  if ((tls_cert == NULL) != (tls_key == NULL))
    return stamp_cli_usage_error (COMMAND, _("--tls-cert and --tls-key go together"));

  if (stamp_relay_service_is_sandboxed ())
    {
      g_printerr ("%s\n", _("Inside the Flatpak, Stamp keeps the relay running itself: turn it "
                            "on in the app’s Devices page, and it asks to keep running in the "
                            "background. No systemd unit was written."));
      return STAMP_CLI_EXIT_FAILURE;
    }

  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    {
      g_ptr_array_add (serve_args, g_strdup ("--listen"));
      g_ptr_array_add (serve_args, g_strdup (listen[i]));
    }
  /* The service does not run in this folder: relative paths would break. */
  if (tls_cert != NULL)
    {
      g_ptr_array_add (serve_args, g_strdup ("--tls-cert"));
      g_ptr_array_add (serve_args, g_canonicalize_filename (tls_cert, NULL));
      g_ptr_array_add (serve_args, g_strdup ("--tls-key"));
      g_ptr_array_add (serve_args, g_canonicalize_filename (tls_key, NULL));
    }
  g_ptr_array_add (serve_args, NULL);

  program = dup_own_path (&error);
  if (program == NULL)
    return stamp_cli_relay_fail (COMMAND, error);

  /* Written first, so that the relay's daemon-reload sees the timer too. */
  if (!no_refresh_timer && !stamp_relay_service_write_refresh_timer (program, &error))
    return stamp_cli_relay_fail (COMMAND, error);

  if (!stamp_relay_service_install (program, (const char * const *) serve_args->pdata,
                                    !no_enable, &error))
    {
      if (g_file_test (unit_path, G_FILE_TEST_EXISTS))
        g_printerr (_("stamp-cli %s: wrote “%s”, but it could not be started.\n"), COMMAND,
                    unit_path);
      return stamp_cli_relay_fail (COMMAND, error);
    }

  if (no_enable)
    g_print (_("Wrote “%s”.\n"), unit_path);
  else
    g_print (_("Wrote “%s” and started Stamp Relay: it runs now and with every session.\n"),
             unit_path);
  print_next_steps ((const char * const *) listen, !no_enable);

  if (no_refresh_timer)
    return STAMP_CLI_EXIT_OK;

  if (!no_enable && !stamp_relay_service_enable_refresh_timer (&error))
    {
      g_printerr ("%s\n", _("Stamp Relay runs, but the weekly timer that keeps sign-ins alive "
                            "could not be started."));
      return stamp_cli_relay_fail (COMMAND, error);
    }
  print_refresh_timer (!no_enable);

  return STAMP_CLI_EXIT_OK;
}

/* stamp-cli-relay-serve.c
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

#include <malloc.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"

/* stamp-cli relay serve: Stamp Relay in the foreground, until SIGTERM or
 * SIGINT; one line on stdout per accepted message and refused attempt. */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
log_cb (StampRelay *relay,
        const char *line,
        gpointer    user_data)
{
  g_print ("%s\n", line);
}

/* Nobody may watch a service's log: what needs a person also says so on
 * the desktop, through the notification service when there is one. */
static void
notify (const char *summary,
        const char *body)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char * const no_actions[] = { NULL };

  if (bus == NULL)
    return;

  g_dbus_connection_call (bus, "org.freedesktop.Notifications",
                          "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                          "Notify",
                          g_variant_new ("(susss^as@a{sv}i)", "Stamp", 0,
                                         "io.github.stampmail.Stamp", summary, body, no_actions,
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0),
                                         -1),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

/* @user_data: the addresses whose sign-in the desktop heard of: one
 * notification says "sign in again", not one from the queue and one from
 * the keep-alive. */
static void
account_stopped_cb (StampRelayQueue *queue,
                    const char      *address,
                    const char      *explanation,
                    gpointer         user_data)
{
  GHashTable *told = user_data;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  g_hash_table_add (told, g_strdup (address));

  summary = g_strdup_printf (_("Stamp Relay cannot deliver for %s"), address);
  body = g_strdup_printf (_("%s\nSign in again in Stamp or with “stamp-cli login %s”; "
                            "the devices’ messages wait until then."),
                          explanation, address);
  notify (summary, body);
}

/* The keep-alive's warnings: one log line each (the relay's own), and on
 * the desktop as a stopped account is. */
static void
sign_in_warning_cb (StampRelay       *relay,
                    const char       *address,
                    StampSignInState  state,
                    const char       *text,
                    gpointer          user_data)
{
  GHashTable *told = user_data;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  if (state == STAMP_SIGN_IN_STATE_FAILED || state == STAMP_SIGN_IN_STATE_LAPSED)
    {
      if (!g_hash_table_add (told, g_strdup (address)))
        return;
      summary = g_strdup_printf (_("Stamp Relay cannot sign in to %s"), address);
    }
  else
    summary = g_strdup_printf (_("The sign-in to %s needs you soon"), address);
  if (state == STAMP_SIGN_IN_STATE_SECRET_EXPIRING || state == STAMP_SIGN_IN_STATE_SECRET_EXPIRED)
    body = g_strdup_printf (_("%s\nMake a new client secret, then give it to Stamp and sign in "
                              "again with “stamp-cli login %s”."), text, address);
  else
    body = g_strdup_printf (_("%s\nSign in again in Stamp or with “stamp-cli login %s”."),
                            text, address);
  notify (summary, body);
}

static guint
to_ms (double seconds)
{
  return (guint) CLAMP (seconds * 1000, 1, G_MAXUINT);
}

int
stamp_cli_relay_serve (int    argc,
                       char **argv)
{
  const char *command = "relay serve";
  g_auto(GStrv) listen = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autoptr(GOptionContext) context = NULL;
  /* Outlives the relay, whose signals use it. */
  g_autoptr(GHashTable) told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(StampAccountStore) accounts = NULL;
  g_autoptr(StampRelayDeviceStore) devices = NULL;
  g_autoptr(StampRelaySpool) spool = NULL;
  g_autoptr(StampRelay) relay = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listening = NULL;
  g_autofree char *where = NULL;
  double read_timeout = 60;
  double data_timeout = 300;
  int max_per_minute = -1;
  int first_retry = -1;
  gboolean no_pacing = FALSE;
  int max_connections = STAMP_RELAY_MAX_CONNECTIONS;
  int max_per_ip = STAMP_RELAY_MAX_CONNECTIONS_PER_IP;
  gint64 max_size = 0;
  guint term_source;
  guint int_source;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &listen, N_("Listen on this address, such as 0.0.0.0:2525 for the local network (repeatable; default 127.0.0.1:2525)"), N_("HOST:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, N_("The certificate to offer with STARTTLS (PEM; default: one Stamp makes and keeps)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, N_("The certificate’s private key (PEM)"), N_("FILE") },
    { "max-per-minute", 0, 0, G_OPTION_ARG_INT, &max_per_minute, N_("Deliver at most N messages a minute through each account (default: the provider’s limit)"), "N" },
    { "no-pacing", 0, 0, G_OPTION_ARG_NONE, &no_pacing, N_("Deliver as fast as the provider takes them, for a server of your own"), NULL },
    { "first-retry", 0, 0, G_OPTION_ARG_INT, &first_retry, N_("Seconds to wait after a first temporary failure, doubled after each (default 60)"), N_("SECONDS") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, N_("Take at most N connections at once (default 256)"), "N" },
    { "max-per-ip", 0, 0, G_OPTION_ARG_INT, &max_per_ip, N_("Take at most N connections at once from one address (default 20)"), "N" },
    { "max-message-size", 0, 0, G_OPTION_ARG_INT64, &max_size, N_("Take messages of at most this many bytes (default 35 MB)"), N_("BYTES") },
    { "read-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &read_timeout, N_("Seconds a device may take for one command (default 60)"), N_("SECONDS") },
    { "data-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &data_timeout, N_("Seconds a device may take for a whole message (default 300)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("— let printers, scanners and old programs send through Stamp"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error (command, "%s", error->message);
  if (argc > 1)
    return stamp_cli_usage_error (command, _("Unexpected argument “%s”"), argv[1]);
  if ((cert_file == NULL) != (key_file == NULL))
    return stamp_cli_usage_error (command, _("Give --tls-cert and --tls-key together"));
  if (read_timeout <= 0 || data_timeout <= 0)
    return stamp_cli_usage_error (command, _("Timeouts must be more than 0 seconds"));
  if (max_connections < 1 || max_per_ip < 1 || max_size < 0 || max_per_minute < -1 ||
      max_per_minute == 0 || first_retry < -1 || first_retry == 0)
    return stamp_cli_usage_error (command, _("Limits must be positive numbers"));

  accounts = stamp_cli_load_accounts (command);
  devices = stamp_relay_device_store_new (NULL);
  spool = stamp_relay_spool_new (NULL);
  relay = stamp_relay_new (accounts, devices, stamp_cli_get_secret_store (), spool);

  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    if (!stamp_relay_add_listen (relay, listen[i], &error))
      return stamp_cli_usage_error (command, "%s", error->message);

  stamp_relay_set_tls_files (relay, cert_file, key_file);
  stamp_relay_set_timeouts (relay, to_ms (read_timeout), to_ms (data_timeout));
  stamp_relay_set_limits (relay, max_connections, max_per_ip);
  if (max_size > 0)
    stamp_relay_set_max_message_size (relay, max_size);

  /* Each connection has a thread, and glibc would give busy threads arenas
   * of their own that keep their freed memory: two arenas hold a burst of
   * devices in less memory, and the threads spend little time in malloc. */
#ifdef M_ARENA_MAX
  mallopt (M_ARENA_MAX, 2);
#endif

  /* One line at a time, for a service's journal and for a pipe. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_signal_connect (relay, "log", G_CALLBACK (log_cb), NULL);
  g_signal_connect (relay, "sign-in-warning", G_CALLBACK (sign_in_warning_cb), told);
  /* The relay is often the only one that uses its accounts. */
  stamp_relay_set_keep_sign_ins_alive (relay, TRUE);
  stamp_relay_set_delivery_pace (relay,
                                 no_pacing ? STAMP_RELAY_QUEUE_UNPACED : MAX (max_per_minute, 0),
                                 MAX (first_retry, 0));

  if (!stamp_relay_start (relay, &error))
    {
      g_printerr ("stamp-cli %s: %s\n", command, error->message);
      return STAMP_CLI_EXIT_FAILURE;
    }

  g_signal_connect (stamp_relay_get_queue (relay), "account-stopped",
                    G_CALLBACK (account_stopped_cb), told);

  listening = stamp_relay_dup_listening (relay);
  where = g_strjoinv (", ", listening);
  g_print (_("Stamp Relay listens on %s\n"), where);

  loop = g_main_loop_new (NULL, FALSE);
  term_source = g_unix_signal_add (SIGTERM, quit_cb, loop);
  int_source = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (term_source);
  g_source_remove (int_source);

  stamp_relay_stop (relay);
  g_print ("%s\n", _("Stamp Relay stopped"));

  return STAMP_CLI_EXIT_OK;
}

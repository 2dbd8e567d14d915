/* test-relay-service.c
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

/* The relay's systemd user unit: its text, with systemd's quoting, and
 * the listen addresses it takes; the weekly refresh timer and its unit.
 * (The systemctl calls are tested from stamp-cli, in
 * tests/cli/test-cli-relay-service.c.) */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"

static void
test_unit_text (void)
{
  const char * const args[] = { "--listen", "192.168.1.20:2525", "--listen", "[fd00::2]:2525",
                                "--tls-cert", "/etc/stamp/my cert%.pem", NULL };
  g_autofree char *unit = stamp_relay_service_build_unit ("/usr/bin/stamp-cli", args);
  g_autofree char *plain = stamp_relay_service_build_unit ("/usr/bin/stamp-cli", NULL);

  g_test_message ("%s", unit);
  g_assert_nonnull (strstr (unit, "\n[Service]\n"));
  g_assert_nonnull (strstr (unit, "\nExecStart=/usr/bin/stamp-cli relay serve --listen "
                                  "192.168.1.20:2525 --listen [fd00::2]:2525 --tls-cert "
                                  "\"/etc/stamp/my cert%%.pem\"\n"));
  g_assert_nonnull (strstr (unit, "\nRestart=on-failure\n"));
  g_assert_nonnull (strstr (unit, "\n[Install]\nWantedBy=default.target\n"));
  g_assert_nonnull (strstr (plain, "\nExecStart=/usr/bin/stamp-cli relay serve\n"));
}

static void
test_refresh_timer_text (void)
{
  g_autofree char *unit = stamp_relay_service_build_refresh_unit ("/opt/my stamp/stamp-cli");
  g_autofree char *timer = stamp_relay_service_build_refresh_timer ();

  g_test_message ("%s\n%s", unit, timer);
  g_assert_nonnull (strstr (unit, "\n[Service]\nType=oneshot\n"));
  g_assert_nonnull (strstr (unit, "\nExecStart=\"/opt/my stamp/stamp-cli\" accounts refresh\n"));
  g_assert_null (strstr (unit, "[Install]"));

  g_assert_nonnull (strstr (timer, "\n[Timer]\nOnCalendar=weekly\nPersistent=true\n"));
  g_assert_nonnull (strstr (timer, "\nRandomizedDelaySec="));
  g_assert_nonnull (strstr (timer, "\nUnit=stamp-refresh.service\n"));
  g_assert_nonnull (strstr (timer, "\n[Install]\nWantedBy=timers.target\n"));
}

static void
test_write_refresh_timer (void)
{
  g_autofree char *timer_path = stamp_relay_service_get_refresh_timer_path ();
  g_autofree char *folder = g_path_get_dirname (timer_path);
  g_autofree char *unit_path = g_build_filename (folder, "stamp-refresh.service", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (timer_path, g_get_user_config_dir ()));
  g_assert_true (g_str_has_suffix (timer_path, "/systemd/user/stamp-refresh.timer"));

  g_assert_true (stamp_relay_service_write_refresh_timer ("/usr/bin/stamp-cli", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (unit_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "ExecStart=/usr/bin/stamp-cli accounts refresh\n"));
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (timer_path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "OnCalendar=weekly"));
}

static void
test_check_listen (void)
{
  const char * const good[] = { "127.0.0.1:2525", "0.0.0.0:25", "[::1]:2525", "printer-relay.lan:1",
                                "192.168.1.20:65535" };
  const char * const bad[] = { "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":2525", "::1:2525",
                               "[::1:2525", "[10.0.0.1]:2525", "a b:25", "host:port" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (stamp_relay_service_check_listen (good[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (stamp_relay_service_check_listen (bad[i], &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/relay/service/unit-text", test_unit_text);
  g_test_add_func ("/stamp/relay/service/check-listen", test_check_listen);
  g_test_add_func ("/stamp/relay/service/refresh-timer-text", test_refresh_timer_text);
  g_test_add_func ("/stamp/relay/service/write-refresh-timer", test_write_refresh_timer);

  return g_test_run ();
}

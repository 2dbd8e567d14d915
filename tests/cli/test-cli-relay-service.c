/* test-cli-relay-service.c
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

/* `stamp-cli relay install-service`: the systemd user unit it writes, the
 * weekly refresh timer beside it, and the systemctl calls it makes,
 * answered by a stand-in systemctl that the test puts first on PATH and
 * that writes down its arguments. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"
#include "stamp-test-cli.h"

typedef struct
{
  char *bin;
  char *log;
  char *path;
  gboolean timer_fails;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char script[] =
    "#!/bin/sh\n"
    "echo \"$*\" >> \"$STAMP_TEST_SYSTEMCTL_LOG\"\n"
    "if [ -n \"$STAMP_TEST_SYSTEMCTL_FAIL\" ]; then\n"
    "  echo 'Failed to connect to bus: No medium found' >&2\n"
    "  exit 1\n"
    "fi\n"
    "case \"$*\" in *stamp-refresh.timer*)\n"
    "  if [ -n \"$STAMP_TEST_SYSTEMCTL_FAIL_TIMER\" ]; then\n"
    "    echo 'Unit stamp-refresh.timer has a bad setting' >&2\n"
    "    exit 1\n"
    "  fi;;\n"
    "esac\n";
  g_autofree char *systemctl = NULL;

  fixture->bin = g_build_filename (g_get_user_cache_dir (), "bin", NULL);
  fixture->log = g_build_filename (g_get_user_cache_dir (), "systemctl.log", NULL);
  fixture->path = g_strconcat (fixture->bin, ":", g_getenv ("PATH"), NULL);
  systemctl = g_build_filename (fixture->bin, "systemctl", NULL);

  g_assert_cmpint (g_mkdir_with_parents (fixture->bin, 0700), ==, 0);
  g_assert_true (g_file_set_contents (systemctl, script, -1, NULL));
  g_assert_cmpint (g_chmod (systemctl, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->bin);
  g_free (fixture->log);
  g_free (fixture->path);
}

static void
run (Fixture            *fixture,
     StampCliRun        *result,
     gboolean            systemctl_fails,
     const char * const *args)
{
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (),
                                "PATH", fixture->path,
                                "STAMP_TEST_SYSTEMCTL_LOG", fixture->log,
                                "STAMP_TEST_SYSTEMCTL_FAIL", systemctl_fails ? "1" : "",
                                "STAMP_TEST_SYSTEMCTL_FAIL_TIMER", fixture->timer_fails ? "1" : "",
                                NULL };

  stamp_test_cli_run (result, NULL, vars, "relay", args);
  g_test_message ("stamp-cli relay: exit %d\n%s%s", result->status, result->out, result->err);
}

static char *
read_unit (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "systemd", "user",
                                            "stamp-relay.service", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static char *
read_user_unit (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "systemd", "user", name,
                                            NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static char *
read_log (Fixture *fixture)
{
  char *text = NULL;

  if (!g_file_get_contents (fixture->log, &text, NULL, NULL))
    return NULL;
  return text;
}

static void
test_no_enable (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const args[] = { "install-service", "--listen", "192.168.1.20:2525", "--no-enable",
                                NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *unit = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *log = NULL;
  g_autofree char *timer = NULL;
  g_autofree char *refresh = NULL;

  run (fixture, &result, FALSE, args);
  g_assert_cmpint (result.status, ==, 0);

  /* The absolute path of the stamp-cli that wrote it. */
  unit = read_unit ();
  exec = g_strdup_printf ("\nExecStart=%s relay serve --listen 192.168.1.20:2525\n",
                          g_getenv ("STAMP_CLI"));
  g_assert_nonnull (strstr (unit, exec));
  g_assert_nonnull (strstr (unit, "Restart=on-failure"));

  log = read_log (fixture);
  g_assert_null (log);
  g_assert_nonnull (strstr (result.out, "systemctl --user enable --now stamp-relay.service"));
  g_assert_nonnull (strstr (result.out, "loginctl enable-linger"));

  /* The weekly refresh is written too, and how to start it is said. */
  timer = read_user_unit ("stamp-refresh.timer");
  g_assert_nonnull (strstr (timer, "OnCalendar=weekly"));
  refresh = read_user_unit ("stamp-refresh.service");
  g_free (exec);
  exec = g_strdup_printf ("\nExecStart=%s accounts refresh\n", g_getenv ("STAMP_CLI"));
  g_assert_nonnull (strstr (refresh, exec));
  g_assert_nonnull (strstr (result.out, "systemctl --user enable --now stamp-refresh.timer"));
}

static void
test_enable (Fixture       *fixture,
             gconstpointer  data)
{
  const char * const args[] = { "install-service", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *unit = NULL;
  g_autofree char *log = NULL;
  g_autofree char *linger = g_strdup_printf ("loginctl enable-linger %s", g_get_user_name ());

  run (fixture, &result, FALSE, args);
  g_assert_cmpint (result.status, ==, 0);

  unit = read_unit ();
  g_assert_nonnull (strstr (unit, " relay serve\n"));
  log = read_log (fixture);
  /* The relay's two calls as before, then the timer, which the one
   * daemon-reload already saw. */
  g_assert_cmpstr (log, ==, "--user daemon-reload\n"
                            "--user enable --now stamp-relay.service\n"
                            "--user enable --now stamp-refresh.timer\n");
  g_assert_nonnull (strstr (result.out, linger));
  g_assert_nonnull (strstr (result.out, "127.0.0.1:2525"));
  g_assert_nonnull (strstr (result.out, "stamp-refresh.timer"));
}

/* --no-refresh-timer: exactly the relay's unit and calls. */
static void
test_no_refresh_timer (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const args[] = { "install-service", "--no-refresh-timer", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *unit = NULL;
  g_autofree char *log = NULL;
  g_autofree char *timer = NULL;

  run (fixture, &result, FALSE, args);
  g_assert_cmpint (result.status, ==, 0);

  unit = read_unit ();
  g_assert_nonnull (strstr (unit, " relay serve\n"));
  log = read_log (fixture);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n"
                            "--user enable --now stamp-relay.service\n");
  timer = read_user_unit ("stamp-refresh.timer");
  g_assert_null (timer);
  g_assert_null (strstr (result.out, "stamp-refresh"));
}

/* systemctl refuses: its own words, exit 1, and the unit is still there. */
static void
test_systemctl_fails (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const args[] = { "install-service", "--listen", "[::1]:2526", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *unit = NULL;
  g_autofree char *log = NULL;

  run (fixture, &result, TRUE, args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "No medium found"));
  g_assert_nonnull (strstr (result.err, "daemon-reload"));
  unit = read_unit ();
  g_assert_nonnull (strstr (unit, "--listen [::1]:2526"));
  log = read_log (fixture);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n");
}

/* The timer refused after the relay started: said so, exit 1, and the
 * relay's unit was written and started. */
static void
test_timer_fails (Fixture       *fixture,
                  gconstpointer  data)
{
  const char * const args[] = { "install-service", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autofree char *log = NULL;
  g_autofree char *unit = NULL;

  fixture->timer_fails = TRUE;
  run (fixture, &result, FALSE, args);
  g_assert_cmpint (result.status, ==, 1);
  g_assert_nonnull (strstr (result.err, "Stamp Relay runs"));
  g_assert_nonnull (strstr (result.err, "bad setting"));
  unit = read_unit ();
  g_assert_nonnull (strstr (unit, " relay serve\n"));
  log = read_log (fixture);
  g_assert_cmpstr (log, ==, "--user daemon-reload\n"
                            "--user enable --now stamp-relay.service\n"
                            "--user enable --now stamp-refresh.timer\n");
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const struct
  {
    const char *args[6];
    const char *message;
  } cases[] = {
    { { "install-service", "--listen", "127.0.0.1", NULL }, "127.0.0.1" },
    { { "install-service", "--listen", "[::1]:99999", NULL }, "[::1]:99999" },
    { { "install-service", "now", NULL }, "now" },
    { { "install-service", "--tls-cert", "c.pem", NULL }, "--tls-key" },
    { { "install-service", "--frobnicate", NULL }, "--frobnicate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(StampCliRun) result = { NULL };
      g_autofree char *path = g_build_filename (g_get_user_config_dir (), "systemd", NULL);
      g_autofree char *log = NULL;

      run (fixture, &result, FALSE, cases[i].args);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, cases[i].message));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      log = read_log (fixture);
      g_assert_null (log);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/stamp/cli/relay-service/no-enable", Fixture, NULL,
              fixture_set_up, test_no_enable, fixture_tear_down);
  g_test_add ("/stamp/cli/relay-service/enable", Fixture, NULL,
              fixture_set_up, test_enable, fixture_tear_down);
  g_test_add ("/stamp/cli/relay-service/no-refresh-timer", Fixture, NULL,
              fixture_set_up, test_no_refresh_timer, fixture_tear_down);
  g_test_add ("/stamp/cli/relay-service/systemctl-fails", Fixture, NULL,
              fixture_set_up, test_systemctl_fails, fixture_tear_down);
  g_test_add ("/stamp/cli/relay-service/timer-fails", Fixture, NULL,
              fixture_set_up, test_timer_fails, fixture_tear_down);
  g_test_add ("/stamp/cli/relay-service/usage-errors", Fixture, NULL,
              fixture_set_up, test_usage_errors, fixture_tear_down);

  return g_test_run ();
}

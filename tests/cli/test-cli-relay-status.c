/* test-cli-relay-status.c
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

/* `stamp-cli relay status`: an empty spool, and one the test fills
 * through the spool's own API, read as text and as JSON. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-test-cli.h"

#define ACCOUNT "office@corp.example"
#define HELD_WHY "The server refused the recipient nobody@corp.example: no such mailbox"
#define STOPPED_WHY "The sign-in was revoked; sign in again with “stamp-cli login”"

static void
run (StampCliRun        *result,
     const char * const *args)
{
  const char * const vars[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (),
                                "XDG_STATE_HOME", g_get_user_state_dir (),
                                NULL };

  stamp_test_cli_run (result, NULL, vars, "relay", args);
  g_test_message ("stamp-cli relay: exit %d\n%s%s", result->status, result->out, result->err);
}

static void
accept_message (StampRelaySpool *spool,
                const char      *device)
{
  const char * const recipients[] = { "boss@corp.example", NULL };
  static const char message[] = "Subject: scan\r\n\r\nA scan.\r\n";
  g_autoptr(StampRelayIncoming) incoming = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  incoming = stamp_relay_spool_begin (spool, ACCOUNT, device, "192.0.2.7", ACCOUNT, recipients,
                                      &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stamp_relay_incoming_get_stream (incoming),
                                            message, sizeof message - 1, NULL, NULL, &error));
  g_assert_no_error (error);
  id = stamp_relay_incoming_commit (incoming, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
test_empty (void)
{
  const char * const text[] = { "status", NULL };
  const char * const json[] = { "status", "--json", NULL };
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;

  run (&result, text);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "not running"));
  g_assert_nonnull (strstr (result.out, "0 messages wait"));
  g_assert_nonnull (strstr (result.out, "No device has sent anything today"));
  g_assert_nonnull (strstr (result.out, "Last delivery: none yet"));
  stamp_test_cli_run_clear (&result);

  run (&result, json);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpint (json_object_get_int_member (object, "queued"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "held"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "listening")),
                    ==, 0);
  g_assert_false (json_object_has_member (object, "last_delivery"));
}

static void
test_filled (void)
{
  const char * const listening[] = { "127.0.0.1:2525", "192.0.2.2:2525", NULL };
  const char * const text[] = { "status", NULL };
  const char * const json[] = { "status", "--json", NULL };
  g_autoptr(StampRelaySpool) spool = stamp_relay_spool_new (NULL);
  g_autoptr(GPtrArray) queued = NULL;
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayEntry *delivered;
  JsonObject *devices;
  JsonObject *front;
  JsonObject *last;
  JsonObject *account;

  /* Four scans from the front desk, one from the fax: one delivered, one
   * held for good, three waiting. */
  g_assert_true (stamp_relay_spool_open (spool, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    accept_message (spool, "Front desk");
  accept_message (spool, "Fax");
  queued = stamp_relay_spool_list (spool, STAMP_RELAY_ENTRY_QUEUED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued->len, ==, 5);
  /* Held first: the last result is then the delivery. */
  g_assert_true (stamp_relay_spool_hold (spool, g_ptr_array_index (queued, 1), HELD_WHY, &error));
  g_assert_no_error (error);
  delivered = g_ptr_array_index (queued, 0);
  g_assert_true (stamp_relay_spool_mark_sending (spool, delivered->id, &error));
  g_assert_true (stamp_relay_spool_mark_delivered (spool, delivered, "250 2.0.0 OK queued as 4711",
                                                   &error));
  g_assert_no_error (error);
  stamp_relay_spool_set_account_state (spool, ACCOUNT, TRUE, STOPPED_WHY);
  /* This process stands for the relay that listens. */
  stamp_relay_spool_set_listening (spool, listening);

  run (&result, text);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "is running and listens on 127.0.0.1:2525, "
                                        "192.0.2.2:2525"));
  g_assert_nonnull (strstr (result.out, "3 messages wait"));
  g_assert_nonnull (strstr (result.out, "1 message could not be delivered and is held aside"));
  g_assert_nonnull (strstr (result.out, HELD_WHY));
  g_assert_nonnull (strstr (result.out, "Fax         accepted today 1, delivered today 0, "
                                        "held 0"));
  g_assert_nonnull (strstr (result.out, "Front desk  accepted today 4, delivered today 1, "
                                        "held 1"));
  g_assert_nonnull (strstr (result.out, "a message from Front desk was delivered"));
  g_assert_nonnull (strstr (result.out, "250 2.0.0 OK queued as 4711"));
  g_assert_nonnull (strstr (result.out, "Delivery through " ACCOUNT " has stopped"));
  g_assert_nonnull (strstr (result.out, STOPPED_WHY));
  stamp_test_cli_run_clear (&result);

  run (&result, json);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_cmpint (json_object_get_int_member (object, "queued"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (object, "held"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "listening")),
                    ==, 2);
  devices = json_object_get_object_member (object, "devices");
  front = json_object_get_object_member (devices, "Front desk");
  g_assert_cmpint (json_object_get_int_member (front, "accepted_today"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (front, "delivered_today"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (front, "held"), ==, 1);
  last = json_object_get_object_member (object, "last_delivery");
  g_assert_true (json_object_get_boolean_member (last, "ok"));
  g_assert_cmpstr (json_object_get_string_member (last, "device"), ==, "Front desk");
  account = json_object_get_object_member (json_object_get_object_member (object, "accounts"),
                                           ACCOUNT);
  g_assert_true (json_object_get_boolean_member (account, "stopped"));
  g_assert_cmpstr (json_object_get_string_member (account, "explanation"), ==, STOPPED_WHY);
}

static void
test_usage_errors (void)
{
  const char * const extra[] = { "status", "now", NULL };
  const char * const option[] = { "status", "--frobnicate", NULL };
  g_auto(StampCliRun) result = { NULL };

  run (&result, extra);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "now"));
  stamp_test_cli_run_clear (&result);

  run (&result, option);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--frobnicate"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/relay-status/empty", test_empty);
  g_test_add_func ("/stamp/cli/relay-status/filled", test_filled);
  g_test_add_func ("/stamp/cli/relay-status/usage-errors", test_usage_errors);

  return g_test_run ();
}

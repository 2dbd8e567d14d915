/* test-relay-spool.c
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

/* StampRelaySpool: a message is kept from commit until it is delivered or
 * held, what a killed relay left behind is recovered without sending
 * anything twice, several threads can receive at once, and a damaged
 * record is set aside and shown, never dropped. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"

static const char * const recipients[] = { "a@example.net", "b@example.net", NULL };

static char *
spool_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "stamp", "relay", NULL);
}

static StampRelaySpool *
open_spool (void)
{
  g_autoptr(StampRelaySpool) spool = stamp_relay_spool_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_relay_spool_open (spool, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&spool);
}

static char *
receive (StampRelaySpool *spool,
         const char      *device,
         const char      *body)
{
  g_autoptr(StampRelayIncoming) incoming = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  incoming = stamp_relay_spool_begin (spool, "me@example.com", device, "192.0.2.7",
                                      "me@example.com", recipients, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stamp_relay_incoming_get_stream (incoming),
                                            body, strlen (body), NULL, NULL, &error));
  g_assert_no_error (error);
  id = stamp_relay_incoming_commit (incoming, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static GPtrArray *
list (StampRelaySpool      *spool,
      StampRelayEntryState  state)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = stamp_relay_spool_list (spool, state, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
test_commit (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autoptr(GPtrArray) queued = NULL;
  g_autofree char *dir = spool_dir ();
  g_autofree char *first = receive (spool, "Printer", "Subject: one\r\n\r\nscan\r\n");
  g_autofree char *second = receive (spool, "Scanner", "Subject: two\r\n\r\nscan\r\n");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(StampRelayIncoming) dropped = NULL;
  StampRelayEntry *entry;

  g_assert_cmpstr (first, !=, second);
  g_assert_cmpuint (file_mode (dir), ==, 0700);

  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 2);
  entry = g_ptr_array_index (queued, 0);
  g_assert_cmpstr (entry->id, ==, first);
  g_assert_cmpstr (entry->account, ==, "me@example.com");
  g_assert_cmpstr (entry->device, ==, "Printer");
  g_assert_cmpstr (entry->client_ip, ==, "192.0.2.7");
  g_assert_cmpstr (entry->envelope_from, ==, "me@example.com");
  g_assert_cmpstrv (entry->recipients, recipients);
  g_assert_cmpuint (entry->attempts, ==, 0);
  g_assert_cmpint (entry->size, ==, strlen ("Subject: one\r\n\r\nscan\r\n"));
  g_assert_null (entry->last_error);

  path = stamp_relay_spool_dup_message_path (spool, first);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "Subject: one\r\n\r\nscan\r\n");
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* A message not committed leaves nothing behind. */
  dropped = stamp_relay_spool_begin (spool, "me@example.com", "Printer", "192.0.2.7",
                                     "me@example.com", recipients, NULL);
  g_assert_nonnull (dropped);
  g_clear_pointer (&dropped, stamp_relay_incoming_free);
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 2);
}

static void
test_deliver_defer_hold (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autofree char *first = receive (spool, "Printer", "one\r\n");
  g_autofree char *second = receive (spool, "Printer", "two\r\n");
  g_autofree char *third = receive (spool, "Scanner", "three\r\n");
  g_autoptr(GPtrArray) queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  StampRelayEntry *entry;
  JsonObject *devices;
  JsonObject *last;
  gint64 later = g_get_real_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (stamp_relay_spool_mark_sending (spool, first, &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_spool_mark_delivered (spool, g_ptr_array_index (queued, 0),
                                                   "250 2.0.0 OK queued as 1", &error));
  g_assert_no_error (error);
  path = stamp_relay_spool_dup_message_path (spool, first);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (stamp_relay_spool_defer (spool, g_ptr_array_index (queued, 1), later,
                                          "The server is busy.", &error));
  g_assert_no_error (error);
  g_assert_true (stamp_relay_spool_hold (spool, g_ptr_array_index (queued, 2),
                                         "The server refused the recipient.", &error));
  g_assert_no_error (error);

  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 1);
  entry = g_ptr_array_index (queued, 0);
  g_assert_cmpstr (entry->id, ==, second);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->next_attempt_at, ==, later);
  g_assert_cmpstr (entry->last_error, ==, "The server is busy.");

  held = list (spool, STAMP_RELAY_ENTRY_HELD);
  g_assert_cmpuint (held->len, ==, 1);
  entry = g_ptr_array_index (held, 0);
  g_assert_cmpstr (entry->id, ==, third);
  g_assert_cmpstr (entry->device, ==, "Scanner");
  g_assert_cmpstr (entry->last_error, ==, "The server refused the recipient.");

  status = stamp_relay_spool_read_status (spool, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (status, "queued"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "held"), ==, 1);
  devices = json_object_get_object_member (status, "devices");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (devices, "Printer"),
                                               "accepted_today"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (devices, "Printer"),
                                               "delivered_today"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (devices, "Scanner"),
                                               "held"), ==, 1);
  last = json_object_get_object_member (status, "last_delivery");
  g_assert_cmpstr (json_object_get_string_member (last, "id"), ==, third);
  g_assert_false (json_object_get_boolean_member (last, "ok"));
  g_assert_cmpstr (json_object_get_string_member (last, "explanation"), ==,
                   "The server refused the recipient.");
}

static void
test_status (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autoptr(StampRelaySpool) reader = stamp_relay_spool_new (NULL);
  const char * const addresses[] = { "127.0.0.1:2525", NULL };
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *account;
  JsonArray *listening;

  status = stamp_relay_spool_read_status (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "listening")),
                    ==, 0);
  g_clear_pointer (&status, json_object_unref);

  stamp_relay_spool_set_listening (spool, addresses);
  stamp_relay_spool_set_account_state (spool, "me@example.com", TRUE, "Sign in again.");

  /* A second spool on the same folder, as `relay status` in another process. */
  status = stamp_relay_spool_read_status (reader, &error);
  g_assert_no_error (error);
  listening = json_object_get_array_member (status, "listening");
  g_assert_cmpuint (json_array_get_length (listening), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (listening, 0), ==, "127.0.0.1:2525");
  account = json_object_get_object_member (json_object_get_object_member (status, "accounts"),
                                           "me@example.com");
  g_assert_true (json_object_get_boolean_member (account, "stopped"));
  g_assert_cmpstr (json_object_get_string_member (account, "explanation"), ==, "Sign in again.");
  g_clear_pointer (&status, json_object_unref);

  /* A new process that opens the spool means the old listener is gone. */
  g_clear_object (&spool);
  spool = open_spool ();
  status = stamp_relay_spool_read_status (reader, &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status, "listening")),
                    ==, 0);
}

static void
test_recovery (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autofree char *dir = spool_dir ();
  g_autofree char *plain = receive (spool, "Printer", "plain\r\n");
  g_autofree char *sending = receive (spool, "Printer", "sending\r\n");
  g_autofree char *incoming = g_build_filename (dir, "incoming", "half.eml", NULL);
  g_autofree char *orphan = g_build_filename (dir, "queue", "0000-orphan.eml", NULL);
  g_autofree char *tmp = g_build_filename (dir, "queue", ".x.json.tmp", NULL);
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayEntry *entry;

  g_assert_true (stamp_relay_spool_mark_sending (spool, sending, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (incoming, "half a scan", -1, NULL));
  g_assert_true (g_file_set_contents (orphan, "never accepted", -1, NULL));
  g_assert_true (g_file_set_contents (tmp, "{", -1, NULL));

  /* The relay is killed here; another one opens the spool. */
  g_clear_object (&spool);
  spool = open_spool ();

  g_assert_false (g_file_test (incoming, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));

  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 1);
  g_assert_cmpstr (((StampRelayEntry *) g_ptr_array_index (queued, 0))->id, ==, plain);

  held = list (spool, STAMP_RELAY_ENTRY_HELD);
  g_assert_cmpuint (held->len, ==, 1);
  entry = g_ptr_array_index (held, 0);
  g_assert_cmpstr (entry->id, ==, sending);
  g_assert_nonnull (strstr (entry->last_error, "may have been delivered"));
}

typedef struct
{
  StampRelaySpool *spool;
  guint            index;
} ThreadData;

static gpointer
receive_many (gpointer data)
{
  ThreadData *thread = data;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *body = g_strdup_printf ("thread %u message %u\r\n", thread->index, i);
      g_autofree char *id = receive (thread->spool, "Printer", body);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) status = NULL;
  JsonObject *printer;
  ThreadData data[4];
  GThread *threads[4];
  guint delivered = 0;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].spool = spool;
      data[i].index = i;
      threads[i] = g_thread_new ("receive", receive_many, &data[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 100);
  for (guint i = 0; i < queued->len; i++)
    {
      StampRelayEntry *entry = g_ptr_array_index (queued, i);

      g_assert_true (g_hash_table_add (ids, entry->id));
      if (i > 0)
        g_assert_cmpint (((StampRelayEntry *) g_ptr_array_index (queued, i - 1))->received_at,
                         <=, entry->received_at);
    }

  /* Then deliver them all. */
  for (guint i = 0; i < queued->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (stamp_relay_spool_mark_delivered (spool, g_ptr_array_index (queued, i), "250 OK",
                                            &error))
        delivered++;
      g_assert_no_error (error);
    }
  g_assert_cmpuint (delivered, ==, 100);

  status = stamp_relay_spool_read_status (spool, NULL);
  g_assert_cmpint (json_object_get_int_member (status, "queued"), ==, 0);
  printer = json_object_get_object_member (json_object_get_object_member (status, "devices"),
                                           "Printer");
  g_assert_cmpint (json_object_get_int_member (printer, "accepted_today"), ==, 100);
}

static void
test_damaged_record (void)
{
  g_autoptr(StampRelaySpool) spool = open_spool ();
  g_autofree char *dir = spool_dir ();
  g_autofree char *good = receive (spool, "Printer", "good\r\n");
  g_autofree char *bad = receive (spool, "Printer", "bad\r\n");
  g_autofree char *name = g_strconcat (bad, ".json", NULL);
  g_autofree char *record = g_build_filename (dir, "queue", name, NULL);
  g_autofree char *damaged_name = g_strconcat (bad, ".json.damaged", NULL);
  g_autofree char *damaged = g_build_filename (dir, "held", damaged_name, NULL);
  g_autofree char *eml_name = g_strconcat (bad, ".eml", NULL);
  g_autofree char *eml = g_build_filename (dir, "held", eml_name, NULL);
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) held = NULL;
  StampRelayEntry *entry;

  g_assert_true (g_file_set_contents (record, "{ \"id\": \"", -1, NULL));

  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 1);
  g_assert_cmpstr (((StampRelayEntry *) g_ptr_array_index (queued, 0))->id, ==, good);

  g_assert_true (g_file_test (damaged, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (eml, G_FILE_TEST_EXISTS));
  held = list (spool, STAMP_RELAY_ENTRY_HELD);
  g_assert_cmpuint (held->len, ==, 1);
  entry = g_ptr_array_index (held, 0);
  g_assert_cmpstr (entry->id, ==, bad);
  g_assert_nonnull (strstr (entry->last_error, "damaged"));
  g_assert_cmpint (entry->size, ==, strlen ("bad\r\n"));

  /* The same at open, as after a crash. */
  g_clear_pointer (&queued, g_ptr_array_unref);
  g_clear_pointer (&held, g_ptr_array_unref);
  {
    g_autofree char *good_name = g_strconcat (good, ".json", NULL);
    g_autofree char *good_record = g_build_filename (dir, "queue", good_name, NULL);

    g_assert_true (g_file_set_contents (good_record, "[]", -1, NULL));
  }
  g_clear_object (&spool);
  spool = open_spool ();
  queued = list (spool, STAMP_RELAY_ENTRY_QUEUED);
  g_assert_cmpuint (queued->len, ==, 0);
  held = list (spool, STAMP_RELAY_ENTRY_HELD);
  g_assert_cmpuint (held->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/relay/spool/commit", test_commit);
  g_test_add_func ("/stamp/relay/spool/deliver-defer-hold", test_deliver_defer_hold);
  g_test_add_func ("/stamp/relay/spool/status", test_status);
  g_test_add_func ("/stamp/relay/spool/recovery", test_recovery);
  g_test_add_func ("/stamp/relay/spool/threads", test_threads);
  g_test_add_func ("/stamp/relay/spool/damaged-record", test_damaged_record);

  return g_test_run ();
}

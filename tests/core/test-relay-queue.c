/* test-relay-queue.c
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

/* StampRelayQueue against real peers: the loopback SMTP server as the
 * upstream (STARTTLS, XOAUTH2 with the tokens the mock identity provider
 * issues), the identity provider for refreshes, and a real keyring. Several
 * messages over one session, pacing, the cap on sessions, an upstream that
 * is down and comes back, permanent refusals, a refused token that a
 * refresh mends, a revoked sign-in that stops the account, and a message
 * left past its final dot by a killed relay. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-core.h"
#include "stamp-relay-queue-private.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"

#define ADDRESS "scanner@contoso.test"
#define RCPT    "office@example.net"

static char *canary;

typedef struct
{
  StampTestIdp      *idp;
  StampTestServer   *server;
  StampCredentials  *credentials;
  StampAccountStore *accounts;
  StampAccount      *account;
  StampRelaySpool   *spool;
  StampRelayQueue   *queue;
  GPtrArray         *delivered;   /* ids */
  GPtrArray         *deferred;    /* explanations */
  GPtrArray         *held;        /* explanations */
  GPtrArray         *stopped;     /* explanations */
  char              *down_file;
} Relay;

static void
save_tokens (StampCredentials       *credentials,
             StampAccount           *account,
             const StampOAuthTokens *tokens)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  g_assert_true (stamp_credentials_save_tokens_finish (credentials,
                                                       stamp_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
}

static void
delivered_cb (StampRelayQueue *queue,
              StampRelayEntry *entry,
              const char      *reply,
              Relay           *relay)
{
  g_assert_true (g_str_has_prefix (reply, "250"));
  g_ptr_array_add (relay->delivered, g_strdup (entry->id));
}

static void
deferred_cb (StampRelayQueue *queue,
             StampRelayEntry *entry,
             const char      *explanation,
             Relay           *relay)
{
  g_ptr_array_add (relay->deferred, g_strdup (explanation));
}

static void
held_cb (StampRelayQueue *queue,
         StampRelayEntry *entry,
         const char      *explanation,
         Relay           *relay)
{
  g_ptr_array_add (relay->held, g_strdup (explanation));
}

static void
stopped_cb (StampRelayQueue *queue,
            const char      *address,
            const char      *explanation,
            Relay           *relay)
{
  g_assert_cmpstr (address, ==, ADDRESS);
  g_ptr_array_add (relay->stopped, g_strdup (explanation));
}

/* An account signed in at the identity provider, sending through the
 * loopback server started with @server_args, and a queue for it. */
static void
relay_setup (Relay              *relay,
             const char * const *server_args)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *accounts_path = g_build_filename (g_get_user_config_dir (), "stamp",
                                                     "accounts.json", NULL);
  const char *idp_args[] = { "--canary", canary, NULL };

  relay->down_file = g_build_filename (stamp_test_work_dir (), "upstream-down", NULL);
  relay->idp = stamp_test_idp_startv (idp_args);

  g_ptr_array_add (args, "--user");
  g_ptr_array_add (args, ADDRESS);
  g_ptr_array_add (args, "--token-file");
  g_ptr_array_add (args, (char *) stamp_test_idp_get_token_file (relay->idp));
  g_ptr_array_add (args, "--down-file");
  g_ptr_array_add (args, relay->down_file);
  for (guint i = 0; server_args != NULL && server_args[i] != NULL; i++)
    g_ptr_array_add (args, (char *) server_args[i]);
  g_ptr_array_add (args, NULL);
  relay->server = stamp_test_server_startv ("starttls", (const char * const *) args->pdata);

  relay->credentials = stamp_credentials_new (store);
  relay->account = stamp_test_idp_new_account (relay->idp, ADDRESS, "microsoft365");
  stamp_account_set_port (relay->account, stamp_test_server_get_port (relay->server));
  stamp_account_set_security (relay->account, STAMP_SECURITY_STARTTLS);
  stamp_account_set_ca_file (relay->account, ca);
  stamp_account_set_auth_mechanism (relay->account, STAMP_AUTH_XOAUTH2);
  tokens = stamp_test_idp_sign_in (relay->idp, relay->account);
  save_tokens (relay->credentials, relay->account, tokens);

  relay->accounts = stamp_account_store_new (accounts_path);
  stamp_account_store_add (relay->accounts, relay->account);

  relay->spool = stamp_relay_spool_new (NULL);
  g_assert_true (stamp_relay_spool_open (relay->spool, &error));
  g_assert_no_error (error);

  relay->queue = stamp_relay_queue_new (relay->spool, relay->accounts, relay->credentials);
  stamp_relay_queue_set_first_retry (relay->queue, 1);
  stamp_relay_queue_set_idle_timeout (relay->queue, 1);
  stamp_relay_queue_set_max_per_minute (relay->queue, STAMP_RELAY_QUEUE_UNPACED);
  g_signal_connect (relay->queue, "delivered", G_CALLBACK (delivered_cb), relay);
  g_signal_connect (relay->queue, "deferred", G_CALLBACK (deferred_cb), relay);
  g_signal_connect (relay->queue, "held", G_CALLBACK (held_cb), relay);
  g_signal_connect (relay->queue, "account-stopped", G_CALLBACK (stopped_cb), relay);

  relay->delivered = g_ptr_array_new_with_free_func (g_free);
  relay->deferred = g_ptr_array_new_with_free_func (g_free);
  relay->held = g_ptr_array_new_with_free_func (g_free);
  relay->stopped = g_ptr_array_new_with_free_func (g_free);
}

static void
relay_teardown (Relay *relay)
{
  stamp_relay_queue_stop (relay->queue);
  /* Sessions end in their threads and report back here. */
  while (stamp_relay_queue_is_busy (relay->queue))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&relay->queue);
  g_clear_object (&relay->spool);
  g_clear_object (&relay->accounts);
  g_clear_object (&relay->account);
  g_clear_object (&relay->credentials);
  g_clear_pointer (&relay->server, stamp_test_server_free);
  g_clear_pointer (&relay->idp, stamp_test_idp_free);
  g_clear_pointer (&relay->delivered, g_ptr_array_unref);
  g_clear_pointer (&relay->deferred, g_ptr_array_unref);
  g_clear_pointer (&relay->held, g_ptr_array_unref);
  g_clear_pointer (&relay->stopped, g_ptr_array_unref);
  g_clear_pointer (&relay->down_file, g_free);
}

static char *
submit (Relay              *relay,
        const char * const *recipients,
        const char         *subject)
{
  g_autoptr(StampRelayIncoming) incoming = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("From: %s\r\nSubject: %s\r\n\r\nA scan.\r\n", ADDRESS,
                                           subject);
  char *id;

  incoming = stamp_relay_spool_begin (relay->spool, ADDRESS, "Printer", "127.0.0.1", ADDRESS,
                                      recipients, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (stamp_relay_incoming_get_stream (incoming), text,
                                            strlen (text), NULL, NULL, &error));
  id = stamp_relay_incoming_commit (incoming, &error);
  g_assert_no_error (error);
  stamp_relay_queue_kick (relay->queue);
  return id;
}

static void
submit_many (Relay *relay,
             guint  n)
{
  const char *to[] = { RCPT, NULL };

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Scan %u", i);
      g_autofree char *id = submit (relay, to, subject);
    }
}

/* Runs the main loop until @array holds @n items, or fails the test. */
static void
wait_for (GPtrArray *array,
          guint      n,
          guint      seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (array->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static guint
count_queued (Relay *relay)
{
  g_autoptr(GPtrArray) entries = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_QUEUED,
                                                         NULL);

  return entries->len;
}

static guint
count_commands (Relay      *relay,
                const char *verb)
{
  g_autoptr(GPtrArray) commands = stamp_test_server_get_events (relay->server, "command");
  guint n = 0;

  for (guint i = 0; i < commands->len; i++)
    n += g_str_has_prefix (json_object_get_string_member (g_ptr_array_index (commands, i),
                                                          "line"), verb);
  return n;
}

static guint
count_events (Relay      *relay,
              const char *event)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (relay->server, event);

  return events->len;
}

static void
test_one_session (Relay         *relay,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) status = NULL;
  JsonObject *printer;

  stamp_relay_queue_set_max_connections (relay->queue, 1);
  submit_many (relay, 5);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 5, 30);

  /* One connection and one sign-in carried all five, RSET between. */
  g_assert_cmpuint (count_events (relay, "connect"), ==, 1);
  g_assert_cmpuint (count_commands (relay, "AUTH"), ==, 1);
  g_assert_cmpuint (count_commands (relay, "RSET"), ==, 4);
  g_assert_cmpuint (count_events (relay, "message"), ==, 5);
  g_assert_cmpuint (count_queued (relay), ==, 0);
  g_assert_cmpuint (relay->deferred->len + relay->held->len, ==, 0);

  status = stamp_relay_spool_read_status (relay->spool, NULL);
  printer = json_object_get_object_member (json_object_get_object_member (status, "devices"),
                                           "Printer");
  g_assert_cmpint (json_object_get_int_member (printer, "delivered_today"), ==, 5);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (status,
                                                                               "last_delivery"),
                                                 "ok"));
}

static void
test_pacing (Relay         *relay,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = NULL;
  double first;
  double last;

  /* 120 a minute: starts at least half a second apart. */
  stamp_relay_queue_set_max_per_minute (relay->queue, 120);
  submit_many (relay, 4);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 4, 30);

  messages = stamp_test_server_get_events (relay->server, "message");
  g_assert_cmpuint (messages->len, ==, 4);
  for (guint i = 1; i < messages->len; i++)
    {
      double before = json_object_get_double_member (g_ptr_array_index (messages, i - 1), "at");
      double after = json_object_get_double_member (g_ptr_array_index (messages, i), "at");

      g_assert_cmpfloat (after - before, >=, 0.4);
    }
  first = json_object_get_double_member (g_ptr_array_index (messages, 0), "at");
  last = json_object_get_double_member (g_ptr_array_index (messages, 3), "at");
  g_assert_cmpfloat (last - first, >=, 1.4);
  /* Waiting for the pace is no reason for another connection. */
  g_assert_cmpuint (count_events (relay, "connect"), ==, 1);
}

static void
test_sessions (Relay         *relay,
               gconstpointer  data)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  int open = 0;
  int most = 0;

  /* A slow upstream and no pacing: more sessions help, three at most. */
  submit_many (relay, 12);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 12, 60);

  log = stamp_test_server_dup_log (relay->server);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *event;

      if (lines[i][0] == '\0' || !json_parser_load_from_data (parser, lines[i], -1, NULL))
        continue;
      event = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                             "event");
      if (g_strcmp0 (event, "connect") == 0)
        {
          open++;
          most = MAX (most, open);
        }
      else if (g_strcmp0 (event, "disconnect") == 0)
        open--;
    }
  g_test_message ("%d upstream sessions at once", most);
  g_assert_cmpint (most, <=, 3);
  g_assert_cmpint (most, >=, 2);
  g_assert_cmpuint (count_events (relay, "message"), ==, 12);
}

static void
test_down_then_up (Relay         *relay,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) queued = NULL;
  StampRelayEntry *entry;

  g_assert_true (g_file_set_contents (relay->down_file, "", 0, NULL));
  submit_many (relay, 2);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->deferred, 2, 30);

  /* Both wait for their retry, with the reason. */
  queued = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_QUEUED, NULL);
  g_assert_cmpuint (queued->len, ==, 2);
  entry = g_ptr_array_index (queued, 0);
  g_assert_cmpuint (entry->attempts, >=, 1);
  g_assert_nonnull (entry->last_error);
  g_assert_nonnull (strstr (entry->last_error, "421"));
  g_assert_cmpuint (relay->delivered->len, ==, 0);

  /* The server is back: the next retry delivers both, once each. */
  g_assert_cmpint (g_unlink (relay->down_file), ==, 0);
  wait_for (relay->delivered, 2, 30);
  g_assert_cmpuint (count_events (relay, "message"), ==, 2);
  g_assert_cmpuint (count_queued (relay), ==, 0);
  g_assert_cmpuint (relay->held->len, ==, 0);
}

static void
test_temporary_reply (Relay         *relay,
                      gconstpointer  data)
{
  submit_many (relay, 1);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 1, 30);

  g_assert_cmpuint (relay->deferred->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (relay->deferred, 0), "451"));
  g_assert_cmpuint (count_events (relay, "message"), ==, 1);
}

static void
test_refused (Relay         *relay,
              gconstpointer  data)
{
  const char *some[] = { RCPT, "gone@example.net", NULL };
  const char *none[] = { "gone@example.net", NULL };
  g_autofree char *first = submit (relay, some, "Two recipients");
  g_autofree char *second = submit (relay, none, "Nobody");
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  JsonArray *rcpt_tos;

  stamp_relay_queue_start (relay->queue);
  wait_for (relay->held, 2, 30);
  wait_for (relay->delivered, 1, 30);

  /* The message went to the one who exists; the refused recipient is held
   * in a record of its own, with the explanation. */
  messages = stamp_test_server_get_events (relay->server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  rcpt_tos = json_object_get_array_member (g_ptr_array_index (messages, 0), "rcpt_tos");
  g_assert_cmpuint (json_array_get_length (rcpt_tos), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (rcpt_tos, 0), ==, RCPT);

  held = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_HELD, NULL);
  g_assert_cmpuint (held->len, ==, 2);
  for (guint i = 0; i < held->len; i++)
    {
      StampRelayEntry *entry = g_ptr_array_index (held, i);

      g_assert_cmpstrv (entry->recipients, none);
      g_assert_nonnull (strstr (entry->last_error, "550"));
    }
  g_assert_cmpuint (count_queued (relay), ==, 0);
  g_assert_cmpuint (relay->deferred->len, ==, 0);
}

static void
test_recipient_later (Relay         *relay,
                      gconstpointer  data)
{
  const char *some[] = { RCPT, "busy@example.net", NULL };
  const char *busy[] = { "busy@example.net", NULL };
  g_autofree char *id = submit (relay, some, "One now, one later");
  g_autoptr(GPtrArray) queued = NULL;
  StampRelayEntry *entry;

  /* Long retries, so the test sees the first deferral as it is. */
  stamp_relay_queue_set_first_retry (relay->queue, 600);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 1, 30);
  wait_for (relay->deferred, 1, 30);

  /* The message went to the one who could take it; the busy mailbox has
   * a queued entry of its own, waiting for its retry. */
  g_assert_cmpuint (count_events (relay, "message"), ==, 1);
  queued = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_QUEUED, NULL);
  g_assert_cmpuint (queued->len, ==, 1);
  entry = g_ptr_array_index (queued, 0);
  g_assert_cmpstr (entry->id, !=, id);
  g_assert_cmpstrv (entry->recipients, busy);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->next_attempt_at, >, g_get_real_time () + 60 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (entry->last_error, "450"));
  g_assert_cmpuint (relay->held->len, ==, 0);
}

static void
test_token_refresh (Relay         *relay,
                    gconstpointer  data)
{
  /* The stored token looks fresh, but the server no longer takes it. */
  stamp_test_idp_control (relay->idp, "{\"invalidate_access_tokens\": true}");
  submit_many (relay, 2);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 2, 30);

  g_assert_cmpuint (stamp_test_idp_count_tokens (relay->idp, "refresh_token"), ==, 1);
  g_assert_cmpuint (relay->deferred->len + relay->held->len + relay->stopped->len, ==, 0);
  stamp_test_assert_user_dirs_lack (canary);
}

static void
test_token_revoked (Relay         *relay,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonObject *account;

  stamp_test_idp_control (relay->idp,
                          "{\"invalidate_access_tokens\": true, \"revoke_refresh_tokens\": true}");
  submit_many (relay, 3);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->stopped, 1, 30);

  /* The messages wait, untouched, and status says why. */
  queued = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_QUEUED, NULL);
  g_assert_cmpuint (queued->len, ==, 3);
  for (guint i = 0; i < queued->len; i++)
    g_assert_cmpuint (((StampRelayEntry *) g_ptr_array_index (queued, i))->attempts, ==, 0);
  g_assert_cmpuint (relay->deferred->len + relay->held->len + relay->delivered->len, ==, 0);
  g_assert_cmpuint (count_events (relay, "message"), ==, 0);

  status = stamp_relay_spool_read_status (relay->spool, NULL);
  account = json_object_get_object_member (json_object_get_object_member (status, "accounts"),
                                           ADDRESS);
  g_assert_true (json_object_get_boolean_member (account, "stopped"));
  g_assert_nonnull (json_object_get_string_member (account, "explanation"));
  g_assert_null (strstr (g_ptr_array_index (relay->stopped, 0), canary));
}

static void
test_sending_marker (Relay         *relay,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  StampRelayEntry *entry;

  /* A relay killed right after its final dot went upstream. */
  submit_many (relay, 1);
  {
    g_autoptr(GPtrArray) queued = stamp_relay_spool_list (relay->spool,
                                                          STAMP_RELAY_ENTRY_QUEUED, NULL);

    id = g_strdup (((StampRelayEntry *) g_ptr_array_index (queued, 0))->id);
  }
  g_assert_true (stamp_relay_spool_mark_sending (relay->spool, id, &error));
  g_assert_no_error (error);

  /* The next one opens the spool and starts its queue; the killed one's
   * lock went with its process. */
  stamp_relay_queue_stop (relay->queue);
  g_clear_object (&relay->queue);
  g_clear_object (&relay->spool);
  relay->spool = stamp_relay_spool_new (NULL);
  g_assert_true (stamp_relay_spool_open (relay->spool, &error));
  g_assert_no_error (error);
  g_clear_object (&relay->queue);
  relay->queue = stamp_relay_queue_new (relay->spool, relay->accounts, relay->credentials);
  stamp_relay_queue_set_idle_timeout (relay->queue, 1);
  g_signal_connect (relay->queue, "delivered", G_CALLBACK (delivered_cb), relay);
  stamp_relay_queue_start (relay->queue);
  submit_many (relay, 1);
  wait_for (relay->delivered, 1, 30);

  /* Only the new message went; the other is held, not sent twice. */
  g_assert_cmpuint (count_events (relay, "message"), ==, 1);
  held = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_HELD, NULL);
  g_assert_cmpuint (held->len, ==, 1);
  entry = g_ptr_array_index (held, 0);
  g_assert_cmpstr (entry->id, ==, id);
  g_assert_nonnull (strstr (entry->last_error, "may have been delivered"));
}

static void
test_password (Relay         *relay,
               gconstpointer  data)
{
  StampSecretStore *store = stamp_credentials_get_store (relay->credentials);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *auth;

  /* The same account, signing in with its password from the keyring. */
  stamp_account_set_auth_mechanism (relay->account, STAMP_AUTH_PLAIN);
  stamp_secret_store_store_async (store, ADDRESS, STAMP_SECRET_PASSWORD, "Sesame-open-2026", 0,
                                  NULL, stamp_test_result_cb, &result);
  g_assert_true (stamp_secret_store_store_finish (store, stamp_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);

  submit_many (relay, 2);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->delivered, 2, 30);

  auths = stamp_test_server_get_events (relay->server, "auth");
  g_assert_cmpuint (auths->len, >=, 1);
  for (guint i = 0; i < auths->len; i++)
    {
      auth = g_ptr_array_index (auths, i);
      g_assert_cmpstr (json_object_get_string_member (auth, "mechanism"), ==, "PLAIN");
      g_assert_true (json_object_get_boolean_member (auth, "success"));
    }
}

static void
test_refresh_fails_for_now (Relay         *relay,
                            gconstpointer  data)
{
  /* The token is refused, and the identity provider is down for the
   * refresh: the messages wait for a retry, and then go. */
  stamp_test_idp_control (relay->idp,
                          "{\"invalidate_access_tokens\": true, \"fail_next_token\": "
                          "{\"error\": \"temporarily_unavailable\", \"status\": 503}}");
  submit_many (relay, 1);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->deferred, 1, 30);
  g_assert_cmpuint (relay->stopped->len, ==, 0);
  wait_for (relay->delivered, 1, 30);
  g_assert_cmpuint (relay->stopped->len + relay->held->len, ==, 0);
}

static void
test_account_resumes (Relay         *relay,
                      gconstpointer  data)
{
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(JsonObject) status = NULL;
  JsonObject *account;

  stamp_relay_queue_set_account_check (relay->queue, 1);
  stamp_test_idp_control (relay->idp,
                          "{\"invalidate_access_tokens\": true, \"revoke_refresh_tokens\": true}");
  submit_many (relay, 2);
  stamp_relay_queue_start (relay->queue);
  wait_for (relay->stopped, 1, 30);

  /* The person signs in again, elsewhere (the app, stamp-cli login). */
  tokens = stamp_test_idp_sign_in (relay->idp, relay->account);
  save_tokens (relay->credentials, relay->account, tokens);
  wait_for (relay->delivered, 2, 30);

  g_assert_cmpuint (relay->stopped->len, ==, 1);
  status = stamp_relay_spool_read_status (relay->spool, NULL);
  account = json_object_get_object_member (json_object_get_object_member (status, "accounts"),
                                           ADDRESS);
  g_assert_false (json_object_get_boolean_member (account, "stopped"));
}

static void
test_stop_past_final_dot (Relay         *relay,
                          gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "stamp", "relay", "queue",
                                           NULL);
  g_autofree char *marker = NULL;
  g_autoptr(GPtrArray) held = NULL;
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  const char *to[] = { RCPT, NULL };
  g_autofree char *id = submit (relay, to, "Slow");
  g_autofree char *name = g_strconcat (id, ".sending", NULL);

  /* The server waits before it answers the end of the message. */
  marker = g_build_filename (dir, name, NULL);
  stamp_relay_queue_start (relay->queue);
  while (!g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_usleep (200000);

  /* Stopped then, the message may have been delivered: held, not queued. */
  stamp_relay_queue_stop (relay->queue);
  wait_for (relay->held, 1, 30);
  g_assert_nonnull (strstr (g_ptr_array_index (relay->held, 0), "may have been delivered"));
  g_assert_cmpuint (count_queued (relay), ==, 0);
  held = stamp_relay_spool_list (relay->spool, STAMP_RELAY_ENTRY_HELD, NULL);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
}

typedef struct
{
  const char *path;
  void      (*func) (Relay *, gconstpointer);
  const char *server_args[5];
} QueueCase;

static const QueueCase cases[] = {
  { "/stamp/relay/queue/one-session", test_one_session, { NULL } },
  { "/stamp/relay/queue/pacing", test_pacing, { NULL } },
  { "/stamp/relay/queue/sessions", test_sessions, { "--data-delay", "0.3", NULL } },
  { "/stamp/relay/queue/down-then-up", test_down_then_up, { NULL } },
  { "/stamp/relay/queue/temporary-reply", test_temporary_reply, { "--defer-data", "1", NULL } },
  { "/stamp/relay/queue/refused", test_refused, { "--refuse-rcpt", "gone@example.net", NULL } },
  { "/stamp/relay/queue/recipient-later", test_recipient_later,
    { "--defer-rcpt", "busy@example.net", NULL } },
  { "/stamp/relay/queue/token-refresh", test_token_refresh, { NULL } },
  { "/stamp/relay/queue/token-revoked", test_token_revoked, { NULL } },
  { "/stamp/relay/queue/sending-marker", test_sending_marker, { NULL } },
  { "/stamp/relay/queue/password", test_password, { "--password", "Sesame-open-2026", NULL } },
  { "/stamp/relay/queue/refresh-fails-for-now", test_refresh_fails_for_now, { NULL } },
  { "/stamp/relay/queue/account-resumes", test_account_resumes, { NULL } },
  { "/stamp/relay/queue/stop-past-final-dot", test_stop_past_final_dot,
    { "--data-delay", "3", NULL } },
};

static void
setup_cb (Relay         *relay,
          gconstpointer  data)
{
  const QueueCase *test = data;

  relay_setup (relay, test->server_args);
}

static void
run_cb (Relay         *relay,
        gconstpointer  data)
{
  const QueueCase *test = data;

  test->func (relay, data);
}

static void
teardown_cb (Relay         *relay,
             gconstpointer  data)
{
  relay_teardown (relay);
}

/* Microsoft Graph's MIME form: the envelope's recipients that no header
 * names go into Bcc; the rest of the message stays byte for byte. */
static char *
prepare (const char          *message,
         const char * const  *recipients,
         char               **unlisted)
{
  g_autoptr(GBytes) mime = g_bytes_new (message, strlen (message));
  g_autoptr(GBytes) prepared = _stamp_relay_graph_prepare_mime (mime, recipients, unlisted);

  return g_strndup (g_bytes_get_data (prepared, NULL), g_bytes_get_size (prepared));
}

static void
test_graph_mime (void)
{
  const char *message = "Received: from scanner\r\n"
                        "From: owner@contoso.example\r\n"
                        "To: \"Colleague, the (first)\" <Colleague@Example.test>\r\n"
                        "Cc: second@example.test,\r\n"
                        "\tthird@example.test\r\n"
                        "Subject: a@b.c in the subject is no recipient\r\n"
                        "\r\n"
                        "To: body@example.test is no header\r\n";
  const char * const same[] = { "colleague@example.test", "second@example.test",
                                "third@example.test", NULL };
  const char * const more[] = { "colleague@example.test", "second@example.test",
                                "third@example.test", "hidden@example.test",
                                "also-hidden@example.test", NULL };
  const char * const fewer[] = { "colleague@example.test", NULL };
  g_autofree char *unchanged = NULL;
  g_autofree char *with_bcc = NULL;
  g_autofree char *unlisted = NULL;
  g_autofree char *lf = NULL;
  g_autofree char *extended = NULL;
  char *none = NULL;

  unchanged = prepare (message, same, &none);
  g_assert_cmpstr (unchanged, ==, message);
  g_assert_null (none);

  with_bcc = prepare (message, more, &none);
  g_assert_null (none);
  g_assert_cmpstr (with_bcc, ==, "Received: from scanner\r\n"
                                 "From: owner@contoso.example\r\n"
                                 "To: \"Colleague, the (first)\" <Colleague@Example.test>\r\n"
                                 "Cc: second@example.test,\r\n"
                                 "\tthird@example.test\r\n"
                                 "Subject: a@b.c in the subject is no recipient\r\n"
                                 "Bcc: hidden@example.test,\r\n"
                                 " also-hidden@example.test\r\n"
                                 "\r\n"
                                 "To: body@example.test is no header\r\n");

  /* Header recipients the envelope leaves out cannot be left out. */
  g_free (prepare (message, fewer, &unlisted));
  g_assert_cmpstr (unlisted, ==, "second@example.test, third@example.test");

  /* Bare LF lines, and a Bcc header of its own: extended, not doubled. */
  lf = prepare ("From: a@example.test\nTo: b@example.test\nBcc: c@example.test\n\nHi\n",
                (const char * const[]) { "b@example.test", "c@example.test", "d@example.test",
                                         NULL }, &none);
  g_assert_null (none);
  g_assert_cmpstr (lf, ==, "From: a@example.test\nTo: b@example.test\nBcc: c@example.test,\n"
                           " d@example.test\n\nHi\n");

  /* A group, and a message with no body. */
  extended = prepare ("To: Team: b@example.test, c@example.test;\r\n",
                      (const char * const[]) { "b@example.test", "c@example.test",
                                               "e@example.test", NULL }, &none);
  g_assert_null (none);
  g_assert_cmpstr (extended, ==, "To: Team: b@example.test, c@example.test;\r\n"
                                 "Bcc: e@example.test\r\n");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;
  int status;

  /* Before any thread exists: the environment is not thread-safe. */
  stamp_test_use_scripted_browser ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Tests never ask real DNS: "localhost" is the only name there is. */
  resolver = stamp_test_resolver_install ();
  stamp_test_wait_for_keyring ();
  canary = g_strdup_printf ("CANARY_%08x", g_random_int ());

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add (cases[i].path, Relay, &cases[i], setup_cb, run_cb, teardown_cb);
  g_test_add_func ("/stamp/relay/queue/graph-mime", test_graph_mime);

  status = g_test_run ();
  g_free (canary);
  return status;
}

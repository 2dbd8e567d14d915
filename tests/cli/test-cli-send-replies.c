/* test-cli-send-replies.c
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

/* Provider replies, each sent by the loopback SMTP server at the step where
 * the provider sends it, reach their explanation through a real send with
 * stamp-cli. The reply texts are the providers' own. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-server.h"

#define USER     "alice@example.test"
#define PASSWORD "canary-Cl1-5ecret-42"

typedef struct
{
  const char *path;
  const char *step;       /* where the server answers: auth, mail, rcpt, data */
  const char *reply;
  const char *explanation;
} ReplyCase;

static const ReplyCase cases[] = {
  { "/stamp/cli/send-replies/basic-auth-not-supported", "auth",
    "550 5.7.30 Basic authentication is not supported for Client Submission",
    "m365-basic-auth-not-supported" },
  { "/stamp/cli/send-replies/sender-thread-limit", "mail",
    "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=AM0PR02MB1234.eurprd02.prod.outlook.com]",
    "m365-sender-thread-limit" },
  { "/stamp/cli/send-replies/concurrent-connections", "auth",
    "432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.",
    "m365-sender-thread-limit" },
  { "/stamp/cli/send-replies/message-too-big", "data",
    "554 5.2.0 STOREDRV.Submission.Exception:MessageTooBigException; Failed to process message due to a permanent exception with message Cannot submit message.",
    "m365-message-too-big" },
  { "/stamp/cli/send-replies/domain-authentication", "data",
    "550 5.7.515 Access denied, sending domain example.test does not meet the required authentication level.",
    "outlook-domain-authentication" },
  { "/stamp/cli/send-replies/tenant-attribution", "rcpt",
    "550 5.7.64 TenantAttribution; Relay Access Denied [SN1NAM02FT0123.eop-nam02.prod.protection.outlook.com]",
    "m365-tenant-attribution" },
  { "/stamp/cli/send-replies/relay-not-allowed", "rcpt",
    "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
    "m365-relay-not-allowed" },
  { "/stamp/cli/send-replies/banned-ip-low", "mail",
    "550 5.7.606 Access denied, banned sending IP [203.0.113.7]. To request removal from this list please visit https://sender.office.com/ and follow the directions.",
    "m365-banned-sending-ip" },
  { "/stamp/cli/send-replies/banned-ip-high", "mail",
    "550 5.7.649 Access denied, banned sending IP [203.0.113.7]",
    "m365-banned-sending-ip" },
  { "/stamp/cli/send-replies/unregistered-domain", "mail",
    "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains",
    "m365-unregistered-domain" },
  { "/stamp/cli/send-replies/bad-outbound-sender", "mail",
    "550 5.1.8 Access denied, bad outbound sender",
    "m365-bad-outbound-sender" },
  { "/stamp/cli/send-replies/next-hop-refused-temporary", "data",
    "451 4.4.316 Connection refused [Message=Socket error code 10061]",
    "next-hop-refused" },
  { "/stamp/cli/send-replies/next-hop-refused", "data",
    "550 5.4.316 Message expired, connection refused(Socket error code 10061)",
    "next-hop-refused" },
  /* Outside the range Microsoft names for banned IPs: the next entry down. */
  { "/stamp/cli/send-replies/restricted-not-banned", "mail",
    "451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.",
    "m365-temporarily-restricted" },
};

static void
test_reply (gconstpointer data)
{
  const ReplyCase *test = data;
  g_autofree char *reply = g_strdup_printf ("%s=%s", test->step, test->reply);
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--reply", reply, NULL);
  g_autofree char *port = g_strdup_printf ("%u", stamp_test_server_get_port (server));
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  const char * const args[] = {
    "--host", "127.0.0.1", "--port", port, "--security", "starttls", "--ca-file", ca,
    "--user", USER, "--password-stdin", "--from", USER, "--to", "bob@example.test",
    "--timeout", "10", "--json", NULL
  };
  g_auto(StampCliRun) run = { NULL };
  g_autoptr(JsonObject) result = NULL;
  JsonObject *error;

  stamp_test_cli_run (&run, PASSWORD "\n", NULL, "send", args);
  g_test_message ("stdout: %s\nstderr: %s", run.out, run.err);

  result = stamp_test_cli_parse_json (run.out);
  g_assert_false (json_object_get_boolean_member (result, "ok"));
  error = json_object_get_object_member (result, "error");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (error, "reply"), "code"),
                   ==, g_ascii_strtoll (test->reply, NULL, 10));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "explanation"),
                                                  "id"), ==, test->explanation);
  g_assert_null (strstr (run.out, PASSWORD));
  g_assert_null (strstr (run.err, PASSWORD));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_reply);

  return g_test_run ();
}

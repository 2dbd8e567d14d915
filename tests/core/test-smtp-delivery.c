/* test-smtp-delivery.c
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

/* StampSmtpDelivery against the loopback server: several raw messages
 * over one session with RSET between, dot-stuffing, 8BITMIME, a refused
 * recipient among accepted ones, a refusal of all, a 4xx, and the hook
 * before the final dot. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "stamp-core.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"

#define USER "relay@example.com"
#define PASSWORD "correct horse battery staple"

static StampSmtpDelivery *
open_delivery (StampTestServer *server,
               const char      *password,
               GError         **error)
{
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autoptr(StampSmtpSettings) settings =
    stamp_smtp_settings_new ("localhost", stamp_test_server_get_port (server),
                             STAMP_SECURITY_STARTTLS);
  g_autoptr(StampSmtpDelivery) delivery = NULL;

  stamp_smtp_settings_set_ca_file (settings, ca);
  stamp_smtp_settings_set_username (settings, USER);
  stamp_smtp_settings_set_reply_timeout (settings, 10);
  stamp_smtp_settings_set_connect_timeout (settings, 10);
  delivery = stamp_smtp_delivery_new (settings, password, FALSE);
  if (!stamp_smtp_delivery_open (delivery, NULL, error))
    return NULL;
  return g_steal_pointer (&delivery);
}

static StampSmtpReply *
send_text (StampSmtpDelivery   *delivery,
           const char * const  *recipients,
           const char          *text,
           GPtrArray          **replies,
           GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return stamp_smtp_delivery_send (delivery, USER, recipients, bytes, replies, NULL, NULL, NULL,
                                   error);
}

static guint
count_commands (StampTestServer *server,
                const char      *verb)
{
  g_autoptr(GPtrArray) commands = stamp_test_server_get_events (server, "command");
  guint n = 0;

  for (guint i = 0; i < commands->len; i++)
    n += g_str_has_prefix (json_object_get_string_member (g_ptr_array_index (commands, i),
                                                          "line"), verb);
  return n;
}

static void
test_several (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) connects = NULL;
  g_autoptr(GError) error = NULL;
  const char *to[] = { "a@example.net", "b@example.net", NULL };
  const char *texts[] = {
    "Subject: one\r\n\r\nA scan.\r\n",
    "Subject: two\r\n\r\n.A line that starts with a dot\r\n.\r\nend\r\n",
    "Subject: three\r\n\r\nCaf\xc3\xa9\r\n",
  };
  JsonObject *message;
  JsonArray *options;

  delivery = open_delivery (server, PASSWORD, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(StampSmtpReply) reply = NULL;
      g_autoptr(GPtrArray) replies = NULL;

      reply = send_text (delivery, to, texts[i], &replies, &error);
      g_assert_no_error (error);
      g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
      g_assert_cmpuint (replies->len, ==, 2);
      g_assert_true (stamp_smtp_reply_is_positive (g_ptr_array_index (replies, 1)));
      g_assert_true (stamp_smtp_delivery_is_open (delivery));
    }
  g_assert_cmpuint (stamp_smtp_delivery_get_sent (delivery), ==, 3);
  stamp_smtp_delivery_close (delivery, NULL);
  g_assert_false (stamp_smtp_delivery_is_open (delivery));

  /* One connection, one sign-in, RSET between the messages. */
  connects = stamp_test_server_get_events (server, "connect");
  g_assert_cmpuint (connects->len, ==, 1);
  g_assert_cmpuint (count_commands (server, "AUTH"), ==, 1);
  g_assert_cmpuint (count_commands (server, "RSET"), ==, 2);
  g_assert_cmpuint (count_commands (server, "QUIT"), ==, 1);

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    {
      message = g_ptr_array_index (messages, i);
      g_assert_cmpstr (json_object_get_string_member (message, "data"), ==, texts[i]);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message,
                                                                           "rcpt_tos")),
                        ==, 2);
    }
  message = g_ptr_array_index (messages, 2);
  options = json_object_get_array_member (message, "mail_options");
  g_assert_cmpuint (json_array_get_length (options), ==, 2);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (options, 0), "SIZE="));
  g_assert_cmpstr (json_array_get_string_element (options, 1), ==, "BODY=8BITMIME");
}

static void
test_refused_recipients (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--refuse-rcpt", "gone@example.net", NULL);
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(StampSmtpReply) again = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  const char *some[] = { "a@example.net", "gone@example.net", NULL };
  const char *none[] = { "gone@example.net", NULL };
  JsonArray *rcpt_tos;

  delivery = open_delivery (server, PASSWORD, &error);
  g_assert_no_error (error);

  /* One refused among others: the others get the message. */
  reply = send_text (delivery, some, "Subject: x\r\n\r\nx\r\n", &replies, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
  g_assert_cmpint (stamp_smtp_reply_get_code (g_ptr_array_index (replies, 0)), ==, 250);
  g_assert_cmpint (stamp_smtp_reply_get_code (g_ptr_array_index (replies, 1)), ==, 550);

  /* All refused: the recipient's refusal is the error, and the session
   * still takes the next message. */
  g_assert_null (send_text (delivery, none, "Subject: y\r\n\r\ny\r\n", NULL, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_RECIPIENT_REJECTED);
  g_assert_cmpint (stamp_smtp_reply_get_code (stamp_smtp_delivery_get_failed_reply (delivery)),
                   ==, 550);
  g_clear_error (&error);
  g_assert_true (stamp_smtp_delivery_is_open (delivery));

  again = send_text (delivery, some, "Subject: z\r\n\r\nz\r\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 2);
  rcpt_tos = json_object_get_array_member (g_ptr_array_index (messages, 0), "rcpt_tos");
  g_assert_cmpuint (json_array_get_length (rcpt_tos), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (rcpt_tos, 0), ==, "a@example.net");
}

static void
test_temporary_failure (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                             "--defer-data", "1", NULL);
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *to[] = { "a@example.net", NULL };
  StampSmtpReply *failed;

  delivery = open_delivery (server, PASSWORD, &error);
  g_assert_no_error (error);

  g_assert_null (send_text (delivery, to, "Subject: x\r\n\r\nx\r\n", NULL, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_THROTTLED);
  failed = stamp_smtp_delivery_get_failed_reply (delivery);
  g_assert_true (stamp_smtp_reply_is_transient (failed));
  g_clear_error (&error);

  reply = send_text (delivery, to, "Subject: x\r\n\r\nx\r\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
}

static gboolean
count_hook_cb (gpointer   user_data,
               GError   **error)
{
  guint *calls = user_data;

  (*calls)++;
  return TRUE;
}

static gboolean
refuse_hook_cb (gpointer   user_data,
                GError   **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
  return FALSE;
}

static void
test_final_dot_hook (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("Subject: x\r\n\r\nx\r\n", 16);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  const char *to[] = { "a@example.net", NULL };
  guint calls = 0;

  delivery = open_delivery (server, PASSWORD, &error);
  g_assert_no_error (error);
  reply = stamp_smtp_delivery_send (delivery, USER, to, bytes, NULL, count_hook_cb, &calls, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 1);

  /* A hook that fails stops the message before its end: nothing is taken,
   * and the session cannot be used any more. */
  g_assert_null (stamp_smtp_delivery_send (delivery, USER, to, bytes, NULL, refuse_hook_cb, NULL,
                                           NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_false (stamp_smtp_delivery_is_open (delivery));
  stamp_smtp_delivery_close (delivery, NULL);

  messages = stamp_test_server_get_events (server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
}

static void
test_refused_sign_in (void)
{
  g_autoptr(StampTestServer) server =
    stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD, NULL);
  g_autoptr(StampSmtpDelivery) delivery = NULL;
  g_autoptr(GError) error = NULL;

  delivery = open_delivery (server, "not the password", &error);
  g_assert_null (delivery);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_AUTH_FAILED);
  g_assert_null (strstr (error->message, "not the password"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(StampTestResolver) resolver = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/smtp/delivery/several", test_several);
  g_test_add_func ("/stamp/smtp/delivery/refused-recipients", test_refused_recipients);
  g_test_add_func ("/stamp/smtp/delivery/temporary-failure", test_temporary_failure);
  g_test_add_func ("/stamp/smtp/delivery/final-dot-hook", test_final_dot_hook);
  g_test_add_func ("/stamp/smtp/delivery/refused-sign-in", test_refused_sign_in);

  return g_test_run ();
}

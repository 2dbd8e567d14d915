/* test-smtp-reply.c
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

#define G_LOG_DOMAIN "test-smtp-reply"

#include "config.h"

#include <string.h>

#include <glib-object.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"

/* Enough for every table below; the lists end at the first NULL. */
#define MAX_CASE_LINES 6

typedef struct
{
  const char *name;
  const char *lines[MAX_CASE_LINES];
  int         code;
  const char *enhanced_code;
  const char *texts[MAX_CASE_LINES];
} ReplyCase;

/* Lines as servers send them (Microsoft 365, Gmail, Postfix), and text that
 * only looks like an RFC 3463 code. */
static const ReplyCase good_replies[] = {
  { "single line",
    { "220 smtp.example.com ESMTP Postfix", NULL },
    220, NULL,
    { "smtp.example.com ESMTP Postfix", NULL } },
  { "multi-line",
    { "250-smtp.example.com", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME", NULL },
    250, NULL,
    { "smtp.example.com", "PIPELINING", "SIZE 10240000", "8BITMIME", NULL } },
  { "bare code",
    { "250", NULL },
    250, NULL,
    { "", NULL } },
  { "code and space",
    { "354 ", NULL },
    354, NULL,
    { "", NULL } },
  { "bare continuation lines",
    { "250-", "250-x", "250", NULL },
    250, NULL,
    { "", "x", "", NULL } },
  { "Microsoft 535 with a three-digit detail",
    { "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
      "Tenant.", NULL },
    535, "5.7.139",
    { "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
      NULL } },
  { "250 2.0.0 OK",
    { "250 2.0.0 OK  1700000000 a1-20020a05", NULL },
    250, "2.0.0",
    { "OK  1700000000 a1-20020a05", NULL } },
  { "Microsoft 550 5.7.60",
    { "550 5.7.60 SMTP; Client does not have permissions to send as this sender", NULL },
    550, "5.7.60",
    { "SMTP; Client does not have permissions to send as this sender", NULL } },
  { "enhanced code alone",
    { "250 2.1.5", NULL },
    250, "2.1.5",
    { "", NULL } },
  { "three-digit subject and detail",
    { "554 5.123.456 policy", NULL },
    554, "5.123.456",
    { "policy", NULL } },
  { "Gmail 535, code repeated on every line",
    { "535-5.7.8 Username and Password not accepted. For more information, go to",
      "535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2-20020a05 - gsmtp",
      NULL },
    535, "5.7.8",
    { "Username and Password not accepted. For more information, go to",
      "https://support.google.com/mail/?p=BadCredentials d2-20020a05 - gsmtp",
      NULL } },
  { "a different code on a later line stays",
    { "250-2.0.0 first", "250 2.1.5 second", NULL },
    250, "2.0.0",
    { "first", "2.1.5 second", NULL } },
  { "a code only on a later line is not the reply's",
    { "250-first", "250 2.0.0 second", NULL },
    250, NULL,
    { "first", "2.0.0 second", NULL } },
  { "detail runs into text",
    { "250 2.0.0x queued", NULL },
    250, NULL,
    { "2.0.0x queued", NULL } },
  { "class is not the first digit",
    { "550 4.1.1 <nobody@example.com>: Recipient address rejected", NULL },
    550, NULL,
    { "4.1.1 <nobody@example.com>: Recipient address rejected", NULL } },
  { "four-digit subject",
    { "250 2.1234.5 text", NULL },
    250, NULL,
    { "2.1234.5 text", NULL } },
  { "four-digit detail",
    { "250 2.1.5678 text", NULL },
    250, NULL,
    { "2.1.5678 text", NULL } },
  { "two parts only",
    { "250 2.0 text", NULL },
    250, NULL,
    { "2.0 text", NULL } },
  { "empty subject",
    { "250 2..0 text", NULL },
    250, NULL,
    { "2..0 text", NULL } },
  { "invalid UTF-8 is made valid",
    { "550 caf\351 \377", NULL },
    550, NULL,
    { "caf\357\277\275 \357\277\275", NULL } },
  { "UTF-8 text is kept",
    { "553 5.6.7 Adresse non prise en charge : caf\303\251", NULL },
    553, "5.6.7",
    { "Adresse non prise en charge : caf\303\251", NULL } },
};

typedef struct
{
  const char *name;
  const char *lines[MAX_CASE_LINES];
} BadReplyCase;

static const BadReplyCase bad_replies[] = {
  { "zero lines", { NULL } },
  { "empty line", { "", NULL } },
  { "non-digits", { "abc hello", NULL } },
  { "too short", { "25", NULL } },
  { "leading space", { " 250 OK", NULL } },
  { "first digit 0", { "050 OK", NULL } },
  { "first digit 1", { "150 OK", NULL } },
  { "first digit 6", { "650 OK", NULL } },
  { "second digit 6", { "260 OK", NULL } },
  { "letter in the middle", { "2x0 OK", NULL } },
  { "letter at the end", { "25x OK", NULL } },
  { "missing separator", { "250x", NULL } },
  { "missing separator before text", { "250OK", NULL } },
  { "tab separator", { "250\tOK", NULL } },
  { "mixed codes", { "250-smtp.example.com", "251 OK", NULL } },
  { "mixed classes", { "250-smtp.example.com", "550 no", NULL } },
  { "last line in the middle", { "250 smtp.example.com", "250 PIPELINING", NULL } },
  { "last line in the middle of three", { "250-a", "250 b", "250-c", NULL } },
  { "no last line", { "250-a", "250-b", NULL } },
  { "single continuation line", { "250-a", NULL } },
  { "garbage after a good line", { "250-a", "hello", NULL } },
};

typedef struct
{
  const char *line;
  gboolean    valid;
  int         code;
  gboolean    is_last;
} LineCase;

static const LineCase line_cases[] = {
  { "250 OK", TRUE, 250, TRUE },
  { "250-PIPELINING", TRUE, 250, FALSE },
  { "250", TRUE, 250, TRUE },
  { "250-", TRUE, 250, FALSE },
  { "220 ", TRUE, 220, TRUE },
  { "334 ", TRUE, 334, TRUE },
  { "354 End data with <CR><LF>.<CR><LF>", TRUE, 354, TRUE },
  { "421 4.7.0 Try again later", TRUE, 421, TRUE },
  { "559 x", TRUE, 559, TRUE },
  { "599 x", FALSE, 0, FALSE },
  { "", FALSE, 0, FALSE },
  { "2", FALSE, 0, FALSE },
  { "25", FALSE, 0, FALSE },
  { "abc", FALSE, 0, FALSE },
  { "150 x", FALSE, 0, FALSE },
  { "650 x", FALSE, 0, FALSE },
  { "2x0 x", FALSE, 0, FALSE },
  { "250x", FALSE, 0, FALSE },
  { "250_x", FALSE, 0, FALSE },
  { "-250 x", FALSE, 0, FALSE },
};

/* @n_lines reply lines, the last one ending the reply, NULL-terminated. */
static GPtrArray *
build_reply_lines (guint n_lines)
{
  GPtrArray *lines = g_ptr_array_new_null_terminated (n_lines, g_free, TRUE);

  for (guint i = 0; i + 1 < n_lines; i++)
    g_ptr_array_add (lines, g_strdup_printf ("250-line %u", i));
  g_ptr_array_add (lines, g_strdup ("250 last"));

  return lines;
}

static void
test_reply_parse_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_replies); i++)
    {
      const ReplyCase *c = &good_replies[i];
      g_autoptr(GError) error = NULL;
      StampSmtpReply *reply;
      const char * const *lines;

      g_test_message ("case: %s", c->name);

      reply = stamp_smtp_reply_new_from_lines (c->lines, &error);
      g_assert_no_error (error);
      g_assert_nonnull (reply);

      g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, c->code);
      g_assert_cmpstr (stamp_smtp_reply_get_enhanced_code (reply), ==, c->enhanced_code);

      lines = stamp_smtp_reply_get_lines (reply);
      g_assert_nonnull (lines);
      g_assert_cmpuint (g_strv_length ((GStrv) lines), ==, g_strv_length ((GStrv) c->texts));
      for (guint j = 0; c->texts[j] != NULL; j++)
        {
          g_assert_true (g_utf8_validate (lines[j], -1, NULL));
          g_assert_cmpstr (lines[j], ==, c->texts[j]);
        }

      g_assert_finalize_object (reply);
    }
}

static void
test_reply_multiline (void)
{
  static const char * const lines[] = {
    "250-smtp.example.com Hello [192.0.2.1]",
    "250-SIZE 35882577",
    "250 SMTPUTF8",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  StampSmtpReply *reply;
  const char * const *texts;

  reply = stamp_smtp_reply_new_from_lines (lines, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  g_assert_cmpint (stamp_smtp_reply_get_code (reply), ==, 250);
  g_assert_null (stamp_smtp_reply_get_enhanced_code (reply));

  texts = stamp_smtp_reply_get_lines (reply);
  g_assert_cmpuint (g_strv_length ((GStrv) texts), ==, 3);
  g_assert_cmpstr (texts[0], ==, "smtp.example.com Hello [192.0.2.1]");
  g_assert_cmpstr (texts[1], ==, "SIZE 35882577");
  g_assert_cmpstr (texts[2], ==, "SMTPUTF8");

  text = stamp_smtp_reply_dup_text (reply);
  g_assert_cmpstr (text, ==, "smtp.example.com Hello [192.0.2.1] SIZE 35882577 SMTPUTF8");

  g_assert_finalize_object (reply);
}

static void
test_reply_bad_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_replies); i++)
    {
      const BadReplyCase *c = &bad_replies[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(StampSmtpReply) reply = NULL;

      g_test_message ("case: %s", c->name);

      reply = stamp_smtp_reply_new_from_lines (c->lines, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
      g_assert_null (reply);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* A hostile server must not make us keep an unbounded reply. */
static void
test_reply_limits (void)
{
  g_autoptr(GPtrArray) most_lines = build_reply_lines (STAMP_SMTP_REPLY_MAX_LINES);
  g_autoptr(GPtrArray) too_many_lines = build_reply_lines (STAMP_SMTP_REPLY_MAX_LINES + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSmtpReply) too_many = NULL;
  g_autoptr(StampSmtpReply) too_long = NULL;
  g_autofree char *longest = NULL;
  g_autofree char *over_long = NULL;
  const char *single[2] = { NULL, NULL };
  StampSmtpReply *reply;

  /* Exactly the maximum number of lines is fine, one more is not. */
  reply = stamp_smtp_reply_new_from_lines ((const char * const *) most_lines->pdata, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) stamp_smtp_reply_get_lines (reply)),
                    ==, STAMP_SMTP_REPLY_MAX_LINES);
  g_assert_finalize_object (reply);

  too_many = stamp_smtp_reply_new_from_lines ((const char * const *) too_many_lines->pdata,
                                              &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_null (too_many);
  g_clear_error (&error);

  /* The longest line allowed, counting the code, and one octet more. */
  longest = g_strnfill (STAMP_SMTP_LINE_MAX, 'x');
  memcpy (longest, "250 ", 4);
  single[0] = longest;

  reply = stamp_smtp_reply_new_from_lines (single, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (stamp_smtp_reply_get_lines (reply)[0]),
                    ==, STAMP_SMTP_LINE_MAX - 4);
  g_assert_finalize_object (reply);

  over_long = g_strnfill (STAMP_SMTP_LINE_MAX + 1, 'x');
  memcpy (over_long, "250 ", 4);
  single[0] = over_long;

  too_long = stamp_smtp_reply_new_from_lines (single, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_null (too_long);
}

static void
test_reply_line_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_cases); i++)
    {
      const LineCase *c = &line_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = NULL;
      gboolean is_last = !c->is_last;
      int code = -1;
      gboolean ok;

      escaped = g_strescape (c->line, NULL);
      g_test_message ("line: \"%s\"", escaped);

      ok = stamp_smtp_reply_line_parse (c->line, &code, &is_last, &error);

      if (c->valid)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (code, ==, c->code);
          g_assert_cmpint (is_last, ==, c->is_last);
        }
      else
        {
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
          g_assert_false (ok);
        }
    }
}

static void
test_reply_line_parse_too_long (void)
{
  g_autofree char *line = g_strnfill (STAMP_SMTP_LINE_MAX + 1, 'x');
  g_autoptr(GError) error = NULL;
  gboolean is_last = FALSE;
  int code = 0;

  memcpy (line, "250-", 4);

  g_assert_false (stamp_smtp_reply_line_parse (line, &code, &is_last, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
}

static void
test_reply_classes (void)
{
  static const struct
  {
    const char *line;
    gboolean    positive;
    gboolean    intermediate;
    gboolean    transient;
    gboolean    permanent;
  } cases[] = {
    { "220 ready", TRUE, FALSE, FALSE, FALSE },
    { "235 2.7.0 Authentication successful", TRUE, FALSE, FALSE, FALSE },
    { "250 OK", TRUE, FALSE, FALSE, FALSE },
    { "334 ", FALSE, TRUE, FALSE, FALSE },
    { "354 Go ahead", FALSE, TRUE, FALSE, FALSE },
    { "421 4.7.0 Try again later, closing connection", FALSE, FALSE, TRUE, FALSE },
    { "451 4.3.0 Temporary failure", FALSE, FALSE, TRUE, FALSE },
    { "535 5.7.3 Authentication unsuccessful", FALSE, FALSE, FALSE, TRUE },
    { "554 5.6.0 Message rejected", FALSE, FALSE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *lines[] = { cases[i].line, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(StampSmtpReply) reply = NULL;

      reply = stamp_smtp_reply_new_from_lines (lines, &error);
      g_assert_no_error (error);

      g_assert_cmpint (stamp_smtp_reply_is_positive (reply), ==, cases[i].positive);
      g_assert_cmpint (stamp_smtp_reply_is_intermediate (reply), ==, cases[i].intermediate);
      g_assert_cmpint (stamp_smtp_reply_is_transient (reply), ==, cases[i].transient);
      g_assert_cmpint (stamp_smtp_reply_is_permanent (reply), ==, cases[i].permanent);
    }
}

static void
test_reply_to_string (void)
{
  static const struct
  {
    const char *lines[MAX_CASE_LINES];
    const char *string;
    const char *text;
  } cases[] = {
    { { "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", NULL },
      "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
      "Authentication unsuccessful, basic authentication is disabled." },
    { { "250 2.0.0 OK", NULL },
      "250 2.0.0 OK",
      "OK" },
    { { "220 smtp.example.com ESMTP", NULL },
      "220 smtp.example.com ESMTP",
      "smtp.example.com ESMTP" },
    { { "535-5.7.8 Username and Password not accepted.", "535 5.7.8 Learn more", NULL },
      "535 5.7.8 Username and Password not accepted. Learn more",
      "Username and Password not accepted. Learn more" },
    { { "550-first", "550 second", NULL },
      "550 first second",
      "first second" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StampSmtpReply) reply = NULL;
      g_autofree char *string = NULL;
      g_autofree char *text = NULL;

      reply = stamp_smtp_reply_new_from_lines (cases[i].lines, &error);
      g_assert_no_error (error);

      string = stamp_smtp_reply_to_string (reply);
      text = stamp_smtp_reply_dup_text (reply);
      g_assert_cmpstr (string, ==, cases[i].string);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_reply_properties (void)
{
  static const char * const lines[] = { "550 5.1.1 User unknown", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *enhanced_code = NULL;
  StampSmtpReply *reply;
  int code = 0;

  reply = stamp_smtp_reply_new_from_lines (lines, &error);
  g_assert_no_error (error);

  g_object_get (reply,
                "code", &code,
                "enhanced-code", &enhanced_code,
                NULL);
  g_assert_cmpint (code, ==, 550);
  g_assert_cmpstr (enhanced_code, ==, "5.1.1");

  g_assert_finalize_object (reply);
}

/* What smtp.office365.com says after STARTTLS (protocols.md §2.3). */
static void
test_reply_capabilities (void)
{
  static const char * const lines[] = {
    "250-SN4PR0201CA0045.outlook.office365.com Hello [203.0.113.7]",
    "250-SIZE 157286400",
    "250-PIPELINING",
    "250-DSN",
    "250-ENHANCEDSTATUSCODES",
    "250-AUTH LOGIN XOAUTH2",
    "250-8BITMIME",
    "250-BINARYMIME",
    "250-CHUNKING",
    "250-STARTTLS",
    "250 SMTPUTF8",
    NULL,
  };
  static const struct
  {
    const char *keyword;
    const char *params;
  } expected[] = {
    { "SIZE", "157286400" },
    { "PIPELINING", "" },
    { "DSN", "" },
    { "ENHANCEDSTATUSCODES", "" },
    { "AUTH", "LOGIN XOAUTH2" },
    { "8BITMIME", "" },
    { "BINARYMIME", "" },
    { "CHUNKING", "" },
    { "STARTTLS", "" },
    { "SMTPUTF8", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autoptr(GHashTable) caps = NULL;

  reply = stamp_smtp_reply_new_from_lines (lines, &error);
  g_assert_no_error (error);

  caps = stamp_smtp_reply_parse_capabilities (reply);
  g_assert_nonnull (caps);
  g_assert_cmpuint (g_hash_table_size (caps), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_hash_table_lookup (caps, expected[i].keyword), ==, expected[i].params);

  /* The greeting line names the server; it is no extension. */
  g_assert_false (g_hash_table_contains (caps, "SN4PR0201CA0045.OUTLOOK.OFFICE365.COM"));
  g_assert_false (g_hash_table_contains (caps, "HELLO"));
}

static void
test_reply_capabilities_forms (void)
{
  static const struct
  {
    const char *name;
    const char *lines[MAX_CASE_LINES];
    const char *keyword;
    const char *params;
    guint       n_keywords;
  } cases[] = {
    { "lower case",
      { "250-mail.example.org", "250-size 1000", "250-auth plain login", "250 8bitmime", NULL },
      "AUTH", "plain login", 3 },
    { "lower case size",
      { "250-mail.example.org", "250-size 1000", "250 8bitmime", NULL },
      "SIZE", "1000", 2 },
    { "mixed case",
      { "250-mail.example.org", "250 StartTls", NULL },
      "STARTTLS", "", 1 },
    { "old AUTH= form",
      { "250-mail.example.org", "250 AUTH=LOGIN PLAIN", NULL },
      "AUTH", "LOGIN PLAIN", 1 },
    { "AUTH= first wins",
      { "250-mail.example.org", "250-AUTH=LOGIN PLAIN", "250 AUTH LOGIN PLAIN XOAUTH2", NULL },
      "AUTH", "LOGIN PLAIN", 1 },
    { "AUTH first wins",
      { "250-mail.example.org", "250-AUTH PLAIN LOGIN XOAUTH2", "250 AUTH=PLAIN LOGIN", NULL },
      "AUTH", "PLAIN LOGIN XOAUTH2", 1 },
    { "AUTH with no mechanisms",
      { "250-mail.example.org", "250 AUTH", NULL },
      "AUTH", "", 1 },
    { "enhanced code on every line",
      { "250-2.0.0 mail.example.org", "250-2.0.0 SIZE 5000", "250 2.0.0 PIPELINING", NULL },
      "SIZE", "5000", 2 },
    { "greeting line only",
      { "250 mail.example.org", NULL },
      "AUTH", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StampSmtpReply) reply = NULL;
      g_autoptr(GHashTable) caps = NULL;

      g_test_message ("case: %s", cases[i].name);

      reply = stamp_smtp_reply_new_from_lines (cases[i].lines, &error);
      g_assert_no_error (error);

      caps = stamp_smtp_reply_parse_capabilities (reply);
      g_assert_cmpuint (g_hash_table_size (caps), ==, cases[i].n_keywords);
      g_assert_cmpstr (g_hash_table_lookup (caps, cases[i].keyword), ==, cases[i].params);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/smtp/reply/parse", test_reply_parse_table);
  g_test_add_func ("/stamp/smtp/reply/multiline", test_reply_multiline);
  g_test_add_func ("/stamp/smtp/reply/bad", test_reply_bad_table);
  g_test_add_func ("/stamp/smtp/reply/limits", test_reply_limits);
  g_test_add_func ("/stamp/smtp/reply/line-parse", test_reply_line_parse);
  g_test_add_func ("/stamp/smtp/reply/line-parse-too-long", test_reply_line_parse_too_long);
  g_test_add_func ("/stamp/smtp/reply/classes", test_reply_classes);
  g_test_add_func ("/stamp/smtp/reply/to-string", test_reply_to_string);
  g_test_add_func ("/stamp/smtp/reply/properties", test_reply_properties);
  g_test_add_func ("/stamp/smtp/reply/capabilities", test_reply_capabilities);
  g_test_add_func ("/stamp/smtp/reply/capabilities-forms", test_reply_capabilities_forms);

  return g_test_run ();
}

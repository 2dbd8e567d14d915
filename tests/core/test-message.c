/* test-message.c
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

#define G_LOG_DOMAIN "test-message"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib-object.h>

#include "stamp-error.h"
#include "stamp-message.h"
#include "stamp-util.h"

/* RFC 5322 §2.1.1 */
#define MAX_LINE_OCTETS 998
/* RFC 2047 §2 */
#define ENCODED_WORD_MAX 75
/* RFC 2045 §6.7 (5) */
#define QP_LINE_MAX 76

#define FROM "sender@example.com"
#define TO   "rcpt@example.org"

/* Checks the rules every rendered message keeps, whatever went into it:
 * CRLF line ends and nothing else, no line over 998 octets, no NUL, a
 * header block, and a final CRLF. */
static void
assert_well_formed (const char *data,
                    gsize       len)
{
  gsize line_len = 0;

  g_assert_cmpuint (len, >=, 2);
  g_assert_cmpuint (strlen (data), ==, len);
  g_assert_nonnull (strstr (data, "\r\n\r\n"));
  g_assert_true (data[len - 2] == '\r' && data[len - 1] == '\n');

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\r')
        {
          g_assert_cmpint (data[i + 1], ==, '\n');
          continue;
        }

      if (data[i] == '\n')
        {
          g_assert_true (i > 0 && data[i - 1] == '\r');
          line_len = 0;
          continue;
        }

      line_len++;
      g_assert_cmpuint (line_len, <=, MAX_LINE_OCTETS);
    }
}

static char *
render (StampMessage *message,
        gboolean      allow_8bit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  char *copy;
  gsize len;

  bytes = stamp_message_render (message, allow_8bit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  /* GBytes need not end in NUL: look for one within len, then copy. */
  data = g_bytes_get_data (bytes, &len);
  g_assert_nonnull (data);
  g_assert_null (memchr (data, '\0', len));

  copy = g_strndup (data, len);
  assert_well_formed (copy, len);

  return copy;
}

static StampMessage *
new_fixed_message (const char *from,
                   const char *to,
                   const char *subject,
                   const char *body)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2026, 3, 7, 9, 5, 3);
  StampMessage *message;

  message = stamp_message_new (from, to, subject, body);
  g_assert_nonnull (message);
  stamp_message_set_date (message, date);

  return message;
}

/* The value of the only field called @name, folded lines (CRLF SP) kept as
 * they are; fails if the field is missing or repeated. */
static char *
dup_header (const char *rendered,
            const char *name)
{
  g_autofree char *needle = g_strconcat ("\r\n", name, ": ", NULL);
  g_autofree char *headers = g_strconcat ("\r\n", rendered, NULL);
  const char *start;
  const char *end;

  /* Only the header block, which ends at the first empty line. */
  end = strstr (headers, "\r\n\r\n");
  g_assert_nonnull (end);
  headers[end - headers + 2] = '\0';

  start = strstr (headers, needle);
  g_assert_nonnull (start);
  g_assert_null (strstr (start + 1, needle));
  start += strlen (needle);

  end = strstr (start, "\r\n");
  while (end[2] == ' ' || end[2] == '\t')
    end = strstr (end + 2, "\r\n");

  return g_strndup (start, end - start);
}

static const char *
get_body (const char *rendered)
{
  const char *end = strstr (rendered, "\r\n\r\n");

  g_assert_nonnull (end);

  return end + 4;
}

/* Decodes a header value made only of UTF-8 "B" encoded words separated by
 * folding white space, checking each word's length and that each word holds
 * whole characters (RFC 2047 §5). */
static char *
decode_encoded_words (const char *value,
                      guint      *n_words)
{
  g_autoptr(GString) decoded = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  words = g_strsplit (value, "\r\n ", -1);
  *n_words = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gsize word_len = strlen (word);
      g_autofree char *base64 = NULL;
      g_autofree guchar *bytes = NULL;
      gsize len = 0;

      g_test_message ("encoded word: %s", word);

      g_assert_cmpuint (word_len, <=, ENCODED_WORD_MAX);
      g_assert_true (g_str_has_prefix (word, "=?UTF-8?B?"));
      g_assert_true (g_str_has_suffix (word, "?="));

      base64 = g_strndup (word + 10, word_len - 12);
      g_assert_cmpuint (strspn (base64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789+/="), ==, strlen (base64));
      bytes = g_base64_decode (base64, &len);
      g_assert_cmpuint (len, >, 0);
      g_assert_true (g_utf8_validate ((const char *) bytes, len, NULL));

      g_string_append_len (decoded, (const char *) bytes, len);
      (*n_words)++;
    }

  return g_string_free (g_steal_pointer (&decoded), FALSE);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;

  g_assert_not_reached ();
}

/* A strict quoted-printable decoder (RFC 2045 §6.7): upper-case hex only,
 * "=" CRLF as a soft break, CRLF kept. Also checks the encoded form: no line
 * over 76 characters, no white space before a line end, only printable
 * ASCII. */
static char *
decode_quoted_printable (const char *encoded)
{
  g_autoptr(GString) decoded = g_string_new (NULL);
  gsize line_len = 0;

  for (const char *p = encoded; *p != '\0'; p++)
    {
      if (p[0] == '\r' && p[1] == '\n')
        {
          g_assert_true (p == encoded || (p[-1] != ' ' && p[-1] != '\t'));
          g_string_append (decoded, "\r\n");
          line_len = 0;
          p++;
          continue;
        }

      line_len++;
      g_assert_cmpuint (line_len, <=, QP_LINE_MAX);

      if (*p == '=')
        {
          if (p[1] == '\r' && p[2] == '\n')
            {
              line_len = 0;
              p += 2;
              continue;
            }

          g_string_append_c (decoded, (char) (hex_value (p[1]) * 16 + hex_value (p[2])));
          line_len += 2;
          g_assert_cmpuint (line_len, <=, QP_LINE_MAX);
          p += 2;
          continue;
        }

      g_assert_true (*p == ' ' || *p == '\t' || (*p >= 33 && *p <= 126));
      g_string_append_c (decoded, *p);
    }

  return g_string_free (g_steal_pointer (&decoded), FALSE);
}

/* @text with every LF turned into CRLF and a final CRLF, as the body goes
 * on the wire. */
static char *
to_crlf (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' && p[1] == '\n')
        continue;
      if (*p == '\n')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }

  if (out->len < 2 || !g_str_has_suffix (out->str, "\r\n"))
    g_string_append (out, "\r\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_message_headers (void)
{
  static const struct
  {
    const char *name;
    const char *value;
  } expected[] = {
    { "From", FROM },
    { "To", TO },
    { "Subject", "Stamp test" },
    { "Date", "Sat, 7 Mar 2026 09:05:03 +0100" },
    { "MIME-Version", "1.0" },
    { "Content-Type", "text/plain; charset=UTF-8" },
    { "Content-Transfer-Encoding", "7bit" },
  };
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *message_id = NULL;

  message = new_fixed_message (FROM, TO, "Stamp test", "Hello.\n");
  rendered = render (message, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *value = dup_header (rendered, expected[i].name);

      g_assert_cmpstr (value, ==, expected[i].value);
    }

  message_id = dup_header (rendered, "Message-ID");
  g_assert_cmpstr (message_id, ==, stamp_message_get_message_id (message));

  g_assert_true (g_str_has_prefix (rendered, "From: " FROM "\r\n"));
  g_assert_cmpstr (get_body (rendered), ==, "Hello.\r\n");

  g_assert_cmpstr (stamp_message_get_from (message), ==, FROM);
  g_assert_cmpstr (stamp_message_get_to (message), ==, TO);
  g_assert_cmpstr (stamp_message_get_subject (message), ==, "Stamp test");
  g_assert_cmpstr (stamp_message_get_body (message), ==, "Hello.\n");
  g_assert_null (stamp_message_get_from_name (message));
}

static void
test_message_date (void)
{
  static const struct
  {
    int         offset_seconds;
    int         year, month, day, hour, minute, second;
    const char *expected;
  } cases[] = {
    { 3600, 2026, 3, 7, 9, 5, 3, "Sat, 7 Mar 2026 09:05:03 +0100" },
    { -(5 * 3600 + 30 * 60), 2025, 12, 31, 23, 59, 59, "Wed, 31 Dec 2025 23:59:59 -0530" },
    { 0, 2024, 2, 29, 0, 0, 0, "Thu, 29 Feb 2024 00:00:00 +0000" },
    { 5 * 3600 + 45 * 60, 2026, 1, 11, 12, 0, 0, "Sun, 11 Jan 2026 12:00:00 +0545" },
  };
  /* English names whatever the locale; these are only tried if installed. */
  static const char * const locales[] = { "C.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "ja_JP.UTF-8" };
  g_autofree char *saved_locale = g_strdup (setlocale (LC_ALL, NULL));

  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      if (setlocale (LC_ALL, locales[l]) == NULL)
        {
          g_test_message ("locale %s is not installed", locales[l]);
          continue;
        }

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autoptr(GTimeZone) tz = g_time_zone_new_offset (cases[i].offset_seconds);
          g_autoptr(GDateTime) date = NULL;
          g_autoptr(StampMessage) message = NULL;
          g_autofree char *rendered = NULL;
          g_autofree char *value = NULL;

          date = g_date_time_new (tz, cases[i].year, cases[i].month, cases[i].day,
                                  cases[i].hour, cases[i].minute, cases[i].second);
          message = stamp_message_new (FROM, TO, "Date", "x");
          stamp_message_set_date (message, date);

          rendered = render (message, FALSE);
          value = dup_header (rendered, "Date");
          g_assert_cmpstr (value, ==, cases[i].expected);
        }
    }

  setlocale (LC_ALL, saved_locale);
}

/* Without a fixed date, the message still carries a well-formed Date. */
static void
test_message_date_default (void)
{
  g_autoptr(StampMessage) message = stamp_message_new (FROM, TO, "Now", "x");
  g_autofree char *rendered = render (message, FALSE);
  g_autofree char *value = dup_header (rendered, "Date");
  g_auto(GStrv) parts = g_strsplit (value, " ", -1);

  /* "Sat, 7 Mar 2026 09:05:03 +0100" */
  g_assert_cmpuint (g_strv_length (parts), ==, 6);
  g_assert_true (g_str_has_suffix (parts[0], ","));
  g_assert_cmpuint (strlen (parts[4]), ==, 8);
  g_assert_true (parts[5][0] == '+' || parts[5][0] == '-');
  g_assert_cmpuint (strlen (parts[5]), ==, 5);
}

static void
test_message_message_id (void)
{
  g_autoptr(StampMessage) first = stamp_message_new (FROM, TO, "a", "x");
  g_autoptr(StampMessage) second = stamp_message_new (FROM, TO, "a", "x");
  g_autoptr(StampMessage) idn = stamp_message_new ("user@b\303\274cher.de", TO, "a", "x");
  const char *id = stamp_message_get_message_id (first);

  g_assert_nonnull (id);
  g_assert_true (g_str_has_prefix (id, "<"));
  g_assert_true (g_str_has_suffix (id, "@example.com>"));
  g_assert_cmpuint (strlen (id), >, strlen ("<@example.com>"));
  g_assert_true (strchr (id, '@') == strrchr (id, '@'));
  g_assert_null (strpbrk (id, " \t\r\n\"(),:;[\\]"));

  g_assert_cmpstr (id, !=, stamp_message_get_message_id (second));

  /* The id is ASCII even when the sender's domain is not. */
  g_assert_true (g_str_has_suffix (stamp_message_get_message_id (idn), "@xn--bcher-kva.de>"));
}

static void
test_message_subject_encoded (void)
{
  static const char subject[] =
    "Gr\303\274\303\237e aus K\303\266ln \342\200\224 test \342\234\223";
  g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, subject, "x");
  g_autofree char *rendered = render (message, TRUE);
  g_autofree char *value = dup_header (rendered, "Subject");
  g_autofree char *decoded = NULL;
  guint n_words = 0;

  g_assert_true (g_str_has_prefix (value, "=?UTF-8?B?"));
  decoded = decode_encoded_words (value, &n_words);
  g_assert_cmpuint (n_words, ==, 1);
  g_assert_cmpstr (decoded, ==, subject);
}

/* A long subject of two-, three- and four-byte characters needs several
 * words; none may split a character. */
static void
test_message_subject_long (void)
{
  g_autoptr(GString) subject = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    g_string_append (subject, "Gr\303\274\303\237e \342\234\211 \360\237\223\256 ");

  /* Shift the text so that word ends fall on every byte of a character. */
  for (guint shift = 0; shift < 4; shift++)
    {
      g_autofree char *shifted = g_strconcat (&"xyz"[3 - shift], subject->str, NULL);
      g_autoptr(StampMessage) message = NULL;
      g_autofree char *rendered = NULL;
      g_autofree char *value = NULL;
      g_autofree char *decoded = NULL;
      guint n_words = 0;

      message = new_fixed_message (FROM, TO, shifted, "x");
      rendered = render (message, TRUE);
      value = dup_header (rendered, "Subject");

      decoded = decode_encoded_words (value, &n_words);
      g_assert_cmpuint (n_words, >, 1);
      g_assert_cmpstr (decoded, ==, shifted);
    }
}

static void
test_message_display_name (void)
{
  static const struct
  {
    const char *from;
    const char *name;
    const char *expected;
  } cases[] = {
    { FROM, "Jane Doe", "\"Jane Doe\" <" FROM ">" },
    { FROM, "A \"B\" C", "\"A \\\"B\\\" C\" <" FROM ">" },
    { FROM, "Doe, Jane", "\"Doe, Jane\" <" FROM ">" },
    { FROM, "back\\slash", "\"back\\\\slash\" <" FROM ">" },
    { FROM, "", FROM },
    /* RFC 2047 encoded word: base64 of the UTF-8 name */
    { FROM, "J\303\274rgen M\303\274ller", "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <" FROM ">" },
    /* With a UTF-8 address the message goes under SMTPUTF8 (RFC 6532), and
     * headers are UTF-8 as they stand. */
    { "j\303\274rgen@example.com", "J\303\274rgen",
      "\"J\303\274rgen\" <j\303\274rgen@example.com>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampMessage) message = new_fixed_message (cases[i].from, TO, "Hi", "x");
      g_autofree char *rendered = NULL;
      g_autofree char *value = NULL;

      stamp_message_set_from_name (message, cases[i].name);
      g_assert_cmpstr (stamp_message_get_from_name (message), ==, cases[i].name);

      rendered = render (message, FALSE);
      value = dup_header (rendered, "From");
      g_assert_cmpstr (value, ==, cases[i].expected);
    }
}

/* Under SMTPUTF8 the subject is UTF-8 as it stands, too. */
static void
test_message_utf8_subject (void)
{
  static const char subject[] = "Gr\303\274\303\237e";
  g_autoptr(StampMessage) message = new_fixed_message ("j\303\274rgen@example.com", TO,
                                                       subject, "x");
  g_autofree char *rendered = NULL;
  g_autofree char *value = NULL;

  g_assert_true (stamp_message_needs_smtputf8 (message));

  rendered = render (message, TRUE);
  g_assert_true (g_utf8_validate (rendered, -1, NULL));
  value = dup_header (rendered, "Subject");
  g_assert_cmpstr (value, ==, subject);
}

typedef enum
{
  FIELD_FROM,
  FIELD_TO,
  FIELD_SUBJECT,
  FIELD_FROM_NAME,
} Field;

/* Control characters in a header value are refused by name, in the
 * subject and the display name alike; a tab is white space and goes. */
static void
test_message_control_characters (void)
{
  static const struct { const char *value; const char *code; } bad[] = {
    { "Scan\001ready", "U+0001" },
    { "Bell\a", "U+0007" },
    { "Esc\033[31mred", "U+001B" },
    { "Del\177", "U+007F" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      for (guint as_name = 0; as_name < 2; as_name++)
        {
          g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, as_name ? "Hi" : bad[i].value,
                                                               "Body\n");
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = NULL;

          if (as_name)
            stamp_message_set_from_name (message, bad[i].value);

          g_assert_false (stamp_message_validate (message, &error));
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
          g_assert_nonnull (strstr (error->message, bad[i].code));
          g_assert_nonnull (strstr (error->message, as_name ? "sender name" : "subject"));
          g_clear_error (&error);

          bytes = stamp_message_render (message, TRUE, &error);
          g_assert_null (bytes);
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
        }
    }

  {
    g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Tab\there", "Body\n");
    g_autoptr(GError) error = NULL;

    g_assert_true (stamp_message_validate (message, &error));
    g_assert_no_error (error);
  }
}

static void
test_message_line_breaks (void)
{
  static const char * const values[] = {
    "Hi\r\nBcc: victim@example.net",
    "Hi\nBcc: victim@example.net",
    "Hi\rBcc: victim@example.net",
    "\r\n",
    "trailing\n",
  };
  static const char * const field_names[] = { "from", "to", "subject", "from-name" };

  for (Field field = FIELD_FROM; field <= FIELD_FROM_NAME; field++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          g_autoptr(StampMessage) message = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = NULL;
          g_autofree char *from = NULL;
          g_autofree char *to = NULL;
          g_autofree char *escaped = g_strescape (values[i], NULL);

          g_test_message ("%s: \"%s\"", field_names[field], escaped);

          from = field == FIELD_FROM ? g_strconcat ("sender", values[i], "@example.com", NULL)
                                     : g_strdup (FROM);
          to = field == FIELD_TO ? g_strconcat ("rcpt@example.org", values[i], NULL)
                                 : g_strdup (TO);
          message = new_fixed_message (from, to,
                                       field == FIELD_SUBJECT ? values[i] : "Hi",
                                       "Body\n");
          if (field == FIELD_FROM_NAME)
            stamp_message_set_from_name (message, values[i]);

          g_assert_false (stamp_message_validate (message, &error));
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
          g_clear_error (&error);

          bytes = stamp_message_render (message, TRUE, &error);
          g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
          g_assert_null (bytes);
        }
    }
}

static void
test_message_validate (void)
{
  g_autoptr(StampMessage) good = new_fixed_message (FROM, TO, "Hi", "Body\n");
  StampMessage *bad[] = {
    new_fixed_message (FROM, "not an address", "Hi", "x"),
    new_fixed_message ("", TO, "Hi", "x"),
    new_fixed_message (FROM, TO, "caf\351", "x"),
    new_fixed_message (FROM, TO, "Hi", "caf\351\n"),
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (stamp_message_validate (good, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (stamp_message_validate (bad[i], &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
      g_clear_error (&error);
      g_assert_finalize_object (bad[i]);
    }
}

static void
test_message_body_7bit (void)
{
  g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi", "Hello\nWorld\n\n.\n");

  g_assert_false (stamp_message_has_8bit_body (message));

  for (int allow_8bit = FALSE; allow_8bit <= TRUE; allow_8bit++)
    {
      g_autofree char *rendered = render (message, allow_8bit);
      g_autofree char *encoding = dup_header (rendered, "Content-Transfer-Encoding");

      g_assert_cmpstr (encoding, ==, "7bit");
      /* Not dot-stuffed yet: that is the SMTP client's job. */
      g_assert_cmpstr (get_body (rendered), ==, "Hello\r\nWorld\r\n\r\n.\r\n");
    }
}

static void
test_message_body_8bit (void)
{
  static const char body[] = "Gr\303\274\303\237e aus K\303\266ln\nZweite Zeile \360\237\223\256\n";
  g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi", body);
  g_autofree char *rendered = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *expected = to_crlf (body);

  g_assert_true (stamp_message_has_8bit_body (message));
  g_assert_false (stamp_message_needs_smtputf8 (message));

  rendered = render (message, TRUE);
  encoding = dup_header (rendered, "Content-Transfer-Encoding");
  g_assert_cmpstr (encoding, ==, "8bit");
  g_assert_cmpstr (get_body (rendered), ==, expected);
}

static void
test_message_body_quoted_printable (void)
{
  static const char * const bodies[] = {
    "Gr\303\274\303\237e aus K\303\266ln\nZweite Zeile \360\237\223\256\n",
    /* "=", white space at line ends, a tab, a lone CR, no final newline */
    "caf\303\251 = 1 + 1 \ntab\t\nend \r\nlone\rCR\n\n\303\251",
    /* One long line of multi-byte characters, which a soft break may split */
    "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251"
    "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251"
    "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251 "
    "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 = = = =\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi", bodies[i]);
      g_autofree char *rendered = NULL;
      g_autofree char *encoding = NULL;
      g_autofree char *decoded = NULL;
      /* The lone CR survives as =0D; LF and CRLF both become CRLF. */
      g_autofree char *expected = to_crlf (bodies[i]);

      rendered = render (message, FALSE);
      encoding = dup_header (rendered, "Content-Transfer-Encoding");
      g_assert_cmpstr (encoding, ==, "quoted-printable");

      decoded = decode_quoted_printable (get_body (rendered));
      g_assert_cmpstr (decoded, ==, expected);
    }
}

/* A line over 998 octets cannot go as 7bit or 8bit (RFC 5322 §2.1.1). */
static void
test_message_body_long_line (void)
{
  g_autofree char *long_line = g_strnfill (2500, 'a');
  g_autofree char *body = g_strconcat ("short\n", long_line, "\nshort\n", NULL);
  g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi", body);
  g_autofree char *expected = to_crlf (body);

  for (int allow_8bit = FALSE; allow_8bit <= TRUE; allow_8bit++)
    {
      g_autofree char *rendered = render (message, allow_8bit);
      g_autofree char *encoding = dup_header (rendered, "Content-Transfer-Encoding");
      g_autofree char *decoded = NULL;

      g_assert_cmpstr (encoding, ==, "quoted-printable");
      decoded = decode_quoted_printable (get_body (rendered));
      g_assert_cmpstr (decoded, ==, expected);
    }
}

static void
test_message_body_crlf (void)
{
  static const struct
  {
    const char *body;
    const char *expected;
  } cases[] = {
    { "a\r\nb\r\n", "a\r\nb\r\n" },
    { "a\nb\r\nc", "a\r\nb\r\nc\r\n" },
    { "a\r\n\r\nb\r\n", "a\r\n\r\nb\r\n" },
    { "no newline", "no newline\r\n" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi", cases[i].body);
      g_autofree char *rendered = render (message, TRUE);

      g_assert_cmpstr (get_body (rendered), ==, cases[i].expected);
      g_assert_null (strstr (rendered, "\r\r\n"));
    }

  /* The same holds when the body is quoted-printable. */
  {
    g_autoptr(StampMessage) message = new_fixed_message (FROM, TO, "Hi",
                                                         "caf\303\251\r\nb\r\n");
    g_autofree char *rendered = render (message, FALSE);
    g_autofree char *decoded = decode_quoted_printable (get_body (rendered));

    g_assert_cmpstr (decoded, ==, "caf\303\251\r\nb\r\n");
    g_assert_null (strstr (rendered, "=0D"));
  }
}

static void
test_message_smtputf8 (void)
{
  static const struct
  {
    const char *from;
    const char *to;
    gboolean    needs_smtputf8;
    const char *envelope_from;
    const char *envelope_to;
  } cases[] = {
    { FROM, TO, FALSE, FROM, TO },
    { "j\303\274rgen@example.com", TO, TRUE, "j\303\274rgen@example.com", TO },
    { FROM, "\347\224\250\346\210\267@example.org", TRUE,
      FROM, "\347\224\250\346\210\267@example.org" },
    { FROM, "user@b\303\274cher.de", FALSE, FROM, "user@xn--bcher-kva.de" },
    { "user@b\303\274cher.de", TO, FALSE, "user@xn--bcher-kva.de", TO },
    { "j\303\274rgen@b\303\274cher.de", TO, TRUE, "j\303\274rgen@xn--bcher-kva.de", TO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampMessage) message = new_fixed_message (cases[i].from, cases[i].to, "Hi", "x");
      g_autofree char *envelope_from = stamp_message_dup_envelope_from (message);
      g_autofree char *envelope_to = stamp_message_dup_envelope_to (message);

      g_test_message ("case %u", i);

      g_assert_cmpint (stamp_message_needs_smtputf8 (message), ==, cases[i].needs_smtputf8);
      g_assert_cmpstr (envelope_from, ==, cases[i].envelope_from);
      g_assert_cmpstr (envelope_to, ==, cases[i].envelope_to);
    }
}

/* With only an IDN domain, the headers carry the ASCII form too. */
static void
test_message_idn_headers (void)
{
  g_autoptr(StampMessage) message = new_fixed_message (FROM, "user@b\303\274cher.de", "Hi", "x");
  g_autofree char *rendered = render (message, FALSE);
  g_autofree char *to = dup_header (rendered, "To");

  g_assert_cmpstr (to, ==, "user@xn--bcher-kva.de");
  g_assert_true (stamp_str_is_ascii (rendered));
}

static void
test_message_new_test (void)
{
  static const char settings[] = "Server: smtp.example.com:587 (STARTTLS)\nSign-in: XOAUTH2";
  g_autoptr(StampMessage) message = NULL;
  g_autoptr(StampMessage) with_subject = NULL;
  const char *body;

  message = stamp_message_new_test (FROM, TO, NULL, settings);
  g_assert_nonnull (message);

  body = stamp_message_get_body (message);
  g_assert_nonnull (strstr (body, settings));
  g_assert_nonnull (strstr (body, FROM));
  g_assert_cmpstr (stamp_message_get_from (message), ==, FROM);
  g_assert_cmpstr (stamp_message_get_to (message), ==, TO);
  g_assert_nonnull (stamp_message_get_subject (message));
  g_assert_cmpstr (stamp_message_get_subject (message), !=, "");
  g_assert_true (stamp_message_validate (message, NULL));

  with_subject = stamp_message_new_test (FROM, TO, "Custom", settings);
  g_assert_cmpstr (stamp_message_get_subject (with_subject), ==, "Custom");
}

static void
test_message_finalize (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2026, 1, 1, 0, 0, 0);
  StampMessage *message = stamp_message_new (FROM, TO, NULL, NULL);
  g_autofree char *rendered = NULL;

  stamp_message_set_from_name (message, "Jane");
  stamp_message_set_date (message, date);
  g_assert_cmpstr (stamp_message_get_subject (message), ==, "");
  g_assert_cmpstr (stamp_message_get_body (message), ==, "");

  rendered = render (message, TRUE);
  g_assert_finalize_object (message);
}

/* A run of white space cannot be folded: it is collapsed, so even a name
 * of spaces under SMTPUTF8 (UTF-8 headers, nothing encoded) stays within
 * the line limit. Found by fuzz-message. */
static void
test_message_header_space_runs (void)
{
  g_autofree char *spaces = g_strnfill (1300, ' ');
  g_autofree char *name = g_strdup_printf ("J\303\274rgen%s\"M\"%sM\303\274ller", spaces, spaces);
  g_autofree char *subject = g_strdup_printf ("Gr\303\274\303\237e%saus\t\tK\303\266ln", spaces);
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *rendered = NULL;

  message = new_fixed_message ("j\303\274rgen@example.com", TO, subject, "x");
  stamp_message_set_from_name (message, name);
  rendered = render (message, TRUE);

  g_assert_nonnull (strstr (rendered, "Subject: Gr\303\274\303\237e aus K\303\266ln\r\n"));
  g_assert_nonnull (strstr (rendered, "From: \"J\303\274rgen \\\"M\\\" M\303\274ller\""));
}

/* RFC 5322 §2.1.1: no line over 998 octets, however long a header value
 * is; render() checks every line. Long values are folded. */
static void
test_message_header_long_ascii (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(StampMessage) subject = NULL;
  g_autoptr(StampMessage) name = NULL;
  g_autofree char *rendered_subject = NULL;
  g_autofree char *rendered_name = NULL;

  while (long_text->len < 1200)
    g_string_append (long_text, "Stamp test ");

  subject = new_fixed_message (FROM, TO, long_text->str, "x");
  rendered_subject = render (subject, TRUE);

  name = new_fixed_message (FROM, TO, "Hi", "x");
  stamp_message_set_from_name (name, long_text->str);
  rendered_name = render (name, TRUE);
}

/* RFC 2047 §2: "each line of a header field that contains one or more
 * 'encoded-word's is limited to 76 characters", the field name included. */
static void
test_message_encoded_word_lines (void)
{
  g_autoptr(StampMessage) message = NULL;
  g_autofree char *rendered = NULL;
  g_auto(GStrv) lines = NULL;

  message = new_fixed_message (FROM, TO,
                               "Gr\303\274\303\237e aus K\303\266ln, ein langer Betreff mit "
                               "Umlauten \303\244\303\266\303\274 und noch mehr",
                               "x");
  stamp_message_set_from_name (message, "J\303\274rgen M\303\274ller-L\303\274denscheid "
                                        "von und zu Gro\303\237baden");
  rendered = render (message, FALSE);

  lines = g_strsplit (rendered, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "=?UTF-8?") != NULL)
        {
          g_test_message ("line: %s", lines[i]);
          g_assert_cmpuint (strlen (lines[i]), <=, QP_LINE_MAX);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/message/headers", test_message_headers);
  g_test_add_func ("/stamp/message/date", test_message_date);
  g_test_add_func ("/stamp/message/date-default", test_message_date_default);
  g_test_add_func ("/stamp/message/message-id", test_message_message_id);
  g_test_add_func ("/stamp/message/subject/encoded", test_message_subject_encoded);
  g_test_add_func ("/stamp/message/subject/long", test_message_subject_long);
  g_test_add_func ("/stamp/message/display-name", test_message_display_name);
  g_test_add_func ("/stamp/message/subject/utf8", test_message_utf8_subject);
  g_test_add_func ("/stamp/message/header-long-ascii", test_message_header_long_ascii);
  g_test_add_func ("/stamp/message/header-space-runs", test_message_header_space_runs);
  g_test_add_func ("/stamp/message/encoded-word-lines", test_message_encoded_word_lines);
  g_test_add_func ("/stamp/message/line-breaks", test_message_line_breaks);
  g_test_add_func ("/stamp/message/control-characters", test_message_control_characters);
  g_test_add_func ("/stamp/message/validate", test_message_validate);
  g_test_add_func ("/stamp/message/body/7bit", test_message_body_7bit);
  g_test_add_func ("/stamp/message/body/8bit", test_message_body_8bit);
  g_test_add_func ("/stamp/message/body/quoted-printable", test_message_body_quoted_printable);
  g_test_add_func ("/stamp/message/body/long-line", test_message_body_long_line);
  g_test_add_func ("/stamp/message/body/crlf", test_message_body_crlf);
  g_test_add_func ("/stamp/message/smtputf8", test_message_smtputf8);
  g_test_add_func ("/stamp/message/idn-headers", test_message_idn_headers);
  g_test_add_func ("/stamp/message/new-test", test_message_new_test);
  g_test_add_func ("/stamp/message/finalize", test_message_finalize);

  return g_test_run ();
}

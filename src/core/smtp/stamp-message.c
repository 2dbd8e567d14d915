/* stamp-message.c
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

#define G_LOG_DOMAIN "stamp-message"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "stamp-address.h"
#include "stamp-error.h"
#include "stamp-message.h"
#include "stamp-util.h"

/* RFC 2047 §2: an encoded word is at most 75 characters. "=?UTF-8?B?" and
 * "?=" take 12, which leaves 63 for base64: 45 bytes of text. */
#define ENCODED_WORD_MAX_BYTES 45
/* RFC 5321 §4.5.3.1.6: 998 octets per line, plus CRLF. */
#define MAX_LINE_OCTETS 998
/* RFC 2045 §6.7: quoted-printable lines stay within 76 characters. */
#define QP_LINE_MAX 76

/*
 * StampMessage:
 *
 * The RFC 5322 message of a test send: From, To, Subject, Date,
 * Message-ID, MIME-Version and a UTF-8 text body. It refuses header input
 * that holds a line break, so no value can add headers of its own, and it
 * renders the body as 7bit, 8bit or quoted-printable to suit the server.
 */
struct _StampMessage
{
  GObject parent_instance;

  /* Owned */
  char      *from;
  char      *from_name;
  char      *to;
  char      *subject;
  char      *body;
  char      *message_id;
  GDateTime *date;
};

G_DEFINE_FINAL_TYPE (StampMessage, stamp_message, G_TYPE_OBJECT)

static const char *
address_domain (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL ? at + 1 : "";
}

/* The address with its domain in ASCII (IDNA), so only a non-ASCII local
 * part needs SMTPUTF8. */
static char *
address_to_ascii_domain (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *domain = NULL;

  if (at == NULL || stamp_str_is_ascii (at + 1))
    return g_strdup (address);

  domain = g_hostname_to_ascii (at + 1);
  if (domain == NULL)
    return g_strdup (address);

  return g_strdup_printf ("%.*s@%s", (int) (at - address), address, domain);
}

/* Folding (RFC 5322 §2.2.3) keeps header lines within 76 characters, the
 * line length RFC 2047 §2 asks of lines with encoded words. */
#define HEADER_LINE_MAX 76
/* A word longer than this cannot be folded into a legal line. */
#define HEADER_WORD_MAX 900

/* Appends @len bytes of @word to the header being written, after a space
 * or, when the line would grow too long, after a fold. @line_start is
 * where the current line begins in @out. */
static void
append_header_word (GString    *out,
                    gsize      *line_start,
                    const char *word,
                    gsize       len)
{
  /* Never fold before an empty word: a line of only white space is not
   * allowed. */
  if (len > 0 && out->len - *line_start + 1 + len > HEADER_LINE_MAX)
    {
      g_string_append (out, "\r\n");
      *line_start = out->len;
    }

  g_string_append_c (out, ' ');
  g_string_append_len (out, word, len);
}

/* Words of @text with runs of spaces and tabs between them collapsed: a
 * run could not be folded, and unfolding reads it as one space anyway. */
static GStrv
split_header_words (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, " \t", -1);
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] != '\0')
        g_strv_builder_add (words, parts[i]);
    }

  return g_strv_builder_end (words);
}

static void
append_header_words (GString    *out,
                     gsize      *line_start,
                     const char *text)
{
  g_auto(GStrv) words = split_header_words (text);

  for (guint i = 0; words[i] != NULL; i++)
    append_header_word (out, line_start, words[i], strlen (words[i]));
}

/* RFC 2047 encoded words, each sized to what is left of its line (at most
 * 75 characters), never splitting a UTF-8 character. Adjacent encoded
 * words decode as one text. */
static void
append_encoded_words (GString    *out,
                      gsize      *line_start,
                      const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      gsize room = HEADER_LINE_MAX - (out->len - *line_start) - 1;
      g_autofree char *encoded = NULL;
      g_autofree char *word = NULL;
      const char *end = p;
      gsize max_bytes;

      /* "=?UTF-8?B?" and "?=" take 12; base64 turns 3 bytes into 4. */
      if (room < 12 + 8)
        room = HEADER_LINE_MAX - 1;
      max_bytes = MIN (ENCODED_WORD_MAX_BYTES, (room - 12) / 4 * 3);

      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if ((gsize) (next - p) > max_bytes)
            break;
          end = next;
        }

      encoded = g_base64_encode ((const guchar *) p, end - p);
      word = g_strdup_printf ("=?UTF-8?B?%s?=", encoded);
      append_header_word (out, line_start, word, strlen (word));
      p = end;
    }
}

/* Whether @text must go as encoded words: non-ASCII where headers are not
 * UTF-8, text that would read as an encoded word, or a word too long to
 * fold. */
static gboolean
header_needs_encoding (const char *text,
                       gboolean    utf8_headers)
{
  g_auto(GStrv) words = NULL;

  if (!utf8_headers && !stamp_str_is_ascii (text))
    return TRUE;

  if (strstr (text, "=?") != NULL)
    return TRUE;

  words = split_header_words (text);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strlen (words[i]) > HEADER_WORD_MAX)
        return TRUE;
    }

  return FALSE;
}

static void
append_header_text (GString    *out,
                    gsize      *line_start,
                    const char *text,
                    gboolean    utf8_headers)
{
  if (header_needs_encoding (text, utf8_headers))
    append_encoded_words (out, line_start, text);
  else
    append_header_words (out, line_start, text);
}

/* RFC 5322 §3.2.3: a display name with specials must be a quoted string. */
static void
append_display_name (GString    *out,
                     gsize      *line_start,
                     const char *name,
                     gboolean    utf8_headers)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  /* Escaping can double a word, so judge the quoted form's words too. */
  if (header_needs_encoding (name, utf8_headers) ||
      header_needs_encoding (quoted->str, TRUE))
    {
      append_encoded_words (out, line_start, name);
      return;
    }

  /* Folding white space may stand inside a quoted string (§3.2.4). */
  append_header_words (out, line_start, quoted->str);
}

/* RFC 5322 §3.3, always in English whatever the locale. */
static void
append_date (GString   *out,
             GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  gint64 offset_minutes = g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE;

  g_string_append_printf (out, "%s, %d %s %d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset_minutes < 0 ? '-' : '+',
                          (int) (ABS (offset_minutes) / 60),
                          (int) (ABS (offset_minutes) % 60));
}

static gboolean
body_needs_quoted_printable (const char *body,
                             gboolean    allow_8bit)
{
  gsize line_len = 0;

  if (!allow_8bit && !stamp_str_is_ascii (body))
    return TRUE;

  for (const char *p = body; *p != '\0'; p++)
    {
      line_len = *p == '\n' ? 0 : line_len + 1;
      if (line_len > MAX_LINE_OCTETS)
        return TRUE;
    }

  return FALSE;
}

static void
append_quoted_printable (GString    *out,
                         const char *body)
{
  gsize column = 0;

  for (const guchar *p = (const guchar *) body; *p != '\0'; p++)
    {
      char encoded[4];
      gboolean at_line_end = p[1] == '\n' || p[1] == '\r' || p[1] == '\0';

      if (*p == '\r' && p[1] == '\n')
        continue;

      if (*p == '\n')
        {
          g_string_append (out, "\r\n");
          column = 0;
          continue;
        }

      /* Literal: printable ASCII except "=", and spaces not at a line end. */
      if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_line_end))
        g_snprintf (encoded, sizeof encoded, "%c", *p);
      else
        g_snprintf (encoded, sizeof encoded, "=%02X", *p);

      if (column + strlen (encoded) > QP_LINE_MAX - 1)
        {
          g_string_append (out, "=\r\n");
          column = 0;
        }

      g_string_append (out, encoded);
      column += strlen (encoded);
    }
}

static void
append_body_lines (GString    *out,
                   const char *body)
{
  for (const char *p = body; *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }
}

static void
stamp_message_finalize (GObject *object)
{
  StampMessage *self = (StampMessage *)object;

  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->from_name, g_free);
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);

  G_OBJECT_CLASS (stamp_message_parent_class)->finalize (object);
}

static void
stamp_message_class_init (StampMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_message_finalize;
}

static void
stamp_message_init (StampMessage *self)
{
  self->date = g_date_time_new_now_local ();
}

/**
 * stamp_message_new:
 * @from: the sender's address
 * @to: the recipient's address
 * @subject: the subject, any UTF-8
 * @body: the text body, UTF-8, lines separated by LF or CRLF
 *
 * Returns: (transfer full): a new message; call stamp_message_validate()
 *   before sending it
 */
StampMessage *
stamp_message_new (const char *from,
                   const char *to,
                   const char *subject,
                   const char *body)
{
  StampMessage *self;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *domain = NULL;

  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (to != NULL, NULL);

  self = g_object_new (STAMP_TYPE_MESSAGE, NULL);
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  self->subject = g_strdup (subject != NULL ? subject : "");
  self->body = g_strdup (body != NULL ? body : "");

  domain = g_hostname_to_ascii (address_domain (from));
  self->message_id = g_strdup_printf ("<%s@%s>", uuid,
                                      domain != NULL && *domain != '\0' ? domain : "stamp.invalid");

  return self;
}

/**
 * stamp_message_new_test:
 * @from: the sender's address
 * @to: the recipient's address
 * @subject: (nullable): the subject, or %NULL for the default
 * @settings: a description of the settings used, one per line
 *
 * Builds the message Stamp sends to check a mailbox: its body says what it
 * is and which settings carried it, so whoever receives it knows.
 *
 * Returns: (transfer full): a new message
 */
StampMessage *
stamp_message_new_test (const char *from,
                        const char *to,
                        const char *subject,
                        const char *settings)
{
  g_autofree char *body = NULL;

  body = g_strdup_printf (_("This is a test message from Stamp.\n"
                            "\n"
                            "It was sent to check that %s can send mail. "
                            "It was sent with these settings:\n"
                            "\n"
                            "%s\n"
                            "\n"
                            "If it reached you, sending works. You can delete this message.\n"),
                          from, settings);

  return stamp_message_new (from, to, subject != NULL ? subject : _("Stamp test message"), body);
}

const char *
stamp_message_get_from (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->from;
}

const char *
stamp_message_get_from_name (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->from_name;
}

void
stamp_message_set_from_name (StampMessage *self,
                             const char   *from_name)
{
  g_return_if_fail (STAMP_IS_MESSAGE (self));

  stamp_set_str (&self->from_name, from_name);
}

const char *
stamp_message_get_to (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->to;
}

const char *
stamp_message_get_subject (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->subject;
}

const char *
stamp_message_get_body (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->body;
}

const char *
stamp_message_get_message_id (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return self->message_id;
}

/**
 * stamp_message_set_date:
 * @self: a #StampMessage
 * @date: the Date header's value
 *
 * Overrides the date, which is the creation time by default (tests use a
 * fixed one).
 */
void
stamp_message_set_date (StampMessage *self,
                        GDateTime    *date)
{
  g_return_if_fail (STAMP_IS_MESSAGE (self));
  g_return_if_fail (date != NULL);

  g_date_time_unref (self->date);
  self->date = g_date_time_ref (date);
}

/**
 * stamp_message_validate:
 * @self: a #StampMessage
 * @error: return location for a #GError
 *
 * Refuses a message that cannot be sent safely: an address that is not
 * one, or a header value holding CR or LF (header injection).
 *
 * Returns: %TRUE if the message can be rendered and sent
 */
gboolean
stamp_message_validate (StampMessage  *self,
                        GError       **error)
{
  struct { const char *value; const char *name; } headers[4];

  g_return_val_if_fail (STAMP_IS_MESSAGE (self), FALSE);

  headers[0].value = self->from;
  headers[0].name = _("sender address");
  headers[1].value = self->to;
  headers[1].name = _("recipient address");
  headers[2].value = self->subject;
  headers[2].name = _("subject");
  headers[3].value = self->from_name;
  headers[3].name = _("sender name");

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      if (stamp_str_has_line_break (headers[i].value))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       /* Translators: %s is "subject", "sender name", … */
                       _("The %s contains a line break; a header value must be one line"),
                       headers[i].name);
          return FALSE;
        }

      if (headers[i].value != NULL && !g_utf8_validate (headers[i].value, -1, NULL))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       _("The %s is not valid UTF-8 text"), headers[i].name);
          return FALSE;
        }

      /* RFC 5322 §3.2.5: header text is printable characters and white
       * space. A control character would reach the reader's screen raw. */
      for (const guchar *p = (const guchar *) headers[i].value; p != NULL && *p != '\0'; p++)
        {
          if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            {
              g_autofree char *code = g_strdup_printf ("U+%04X", *p);

              g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                           /* Translators: the first %s is "subject", "sender name", …;
                            * the second a code like U+0007 */
                           _("The %s contains the control character %s; remove it"),
                           headers[i].name, code);
              return FALSE;
            }
        }
    }

  if (!g_utf8_validate (self->body, -1, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The message text is not valid UTF-8"));
      return FALSE;
    }

  return stamp_address_check (self->from, error) && stamp_address_check (self->to, error);
}

/**
 * stamp_message_dup_envelope_from:
 * @self: a #StampMessage
 *
 * Returns: (transfer full): the sender for MAIL FROM, domain in ASCII
 */
char *
stamp_message_dup_envelope_from (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return address_to_ascii_domain (self->from);
}

/**
 * stamp_message_dup_envelope_to:
 * @self: a #StampMessage
 *
 * Returns: (transfer full): the recipient for RCPT TO, domain in ASCII
 */
char *
stamp_message_dup_envelope_to (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  return address_to_ascii_domain (self->to);
}

/**
 * stamp_message_needs_smtputf8:
 * @self: a #StampMessage
 *
 * Returns: %TRUE if an address has a non-ASCII local part, which only a
 *   server offering SMTPUTF8 (RFC 6531) can carry
 */
gboolean
stamp_message_needs_smtputf8 (StampMessage *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (STAMP_IS_MESSAGE (self), FALSE);

  from = stamp_message_dup_envelope_from (self);
  to = stamp_message_dup_envelope_to (self);

  return !stamp_str_is_ascii (from) || !stamp_str_is_ascii (to);
}

/**
 * stamp_message_has_8bit_body:
 * @self: a #StampMessage
 *
 * Returns: %TRUE if the body is not plain ASCII, so it goes as 8bit where
 *   the server offers 8BITMIME and as quoted-printable elsewhere
 */
gboolean
stamp_message_has_8bit_body (StampMessage *self)
{
  g_return_val_if_fail (STAMP_IS_MESSAGE (self), FALSE);

  return !stamp_str_is_ascii (self->body);
}

/**
 * stamp_message_render:
 * @self: a #StampMessage
 * @allow_8bit: whether the server takes 8-bit data (8BITMIME)
 * @error: return location for a #GError
 *
 * Renders the message with CRLF line ends, not yet dot-stuffed.
 *
 * Returns: (transfer full): the message, or %NULL if it is invalid
 */
GBytes *
stamp_message_render (StampMessage  *self,
                      gboolean       allow_8bit,
                      GError       **error)
{
  GString *out;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean utf8_headers;
  gboolean quoted_printable;
  gsize line_start;

  g_return_val_if_fail (STAMP_IS_MESSAGE (self), NULL);

  if (!stamp_message_validate (self, error))
    return NULL;

  from = stamp_message_dup_envelope_from (self);
  to = stamp_message_dup_envelope_to (self);
  /* With a UTF-8 address the message travels under SMTPUTF8, where headers
   * are UTF-8 as they stand (RFC 6532). */
  utf8_headers = stamp_message_needs_smtputf8 (self);
  quoted_printable = body_needs_quoted_printable (self->body, allow_8bit);

  out = g_string_new ("From:");
  line_start = 0;
  if (self->from_name != NULL && *self->from_name != '\0')
    {
      g_autofree char *angle = g_strdup_printf ("<%s>", from);

      append_display_name (out, &line_start, self->from_name, utf8_headers);
      append_header_word (out, &line_start, angle, strlen (angle));
    }
  else
    append_header_word (out, &line_start, from, strlen (from));
  g_string_append (out, "\r\n");

  g_string_append_printf (out, "To: %s\r\n", to);

  line_start = out->len;
  g_string_append (out, "Subject:");
  append_header_text (out, &line_start, self->subject, utf8_headers);
  g_string_append (out, "\r\n");

  g_string_append (out, "Date: ");
  append_date (out, self->date);
  g_string_append (out, "\r\n");

  g_string_append_printf (out, "Message-ID: %s\r\n", self->message_id);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n");
  g_string_append_printf (out, "Content-Transfer-Encoding: %s\r\n",
                          quoted_printable ? "quoted-printable"
                          : stamp_str_is_ascii (self->body) ? "7bit" : "8bit");
  g_string_append (out, "X-Mailer: Stamp " PACKAGE_VERSION "\r\n");
  g_string_append (out, "\r\n");

  if (quoted_printable)
    append_quoted_printable (out, self->body);
  else
    append_body_lines (out, self->body);

  if (out->len < 2 || strcmp (out->str + out->len - 2, "\r\n") != 0)
    g_string_append (out, "\r\n");

  return g_string_free_to_bytes (out);
}

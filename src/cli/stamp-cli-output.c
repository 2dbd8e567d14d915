/* stamp-cli-output.c
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

#define G_LOG_DOMAIN "stamp-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "stamp-cli-output.h"
#include "stamp-core.h"

/* Tokens run to a few kilobytes; a line longer than this is not a secret. */
#define MAX_SECRET_LEN 65536

/* Graph's refusals sort as SMTP's replies do. The message names the HTTP
 * status and Graph's error code untranslated ("Microsoft Graph answered 403
 * ErrorSendAsDenied: …"), whatever the language around them. */
static StampCliExit
exit_for_graph_refusal (const GError *error)
{
  g_auto(GStrv) words = g_strsplit_set (error->message, " :", -1);
  guint status = 0;

  for (guint i = 0; words[i] != NULL && status == 0; i++)
    {
      guint64 number;

      if (strlen (words[i]) == 3
          && g_ascii_string_to_unsigned (words[i], 10, 400, 599, &number, NULL))
        status = number;
    }

  if (status == 401)
    return STAMP_CLI_EXIT_AUTH;
  /* Mail.Send not allowed is the sign-in's problem; Send As is the sender's. */
  if (status == 403 && strstr (error->message, "ErrorSendAsDenied") == NULL)
    return STAMP_CLI_EXIT_AUTH;
  if (status >= 500)
    return STAMP_CLI_EXIT_CONNECTION;

  return STAMP_CLI_EXIT_REJECTED;
}

/**
 * stamp_cli_exit_for_error:
 * @error: why a command failed
 *
 * Returns: the exit code that tells the kind of failure apart for scripts
 */
StampCliExit
stamp_cli_exit_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return STAMP_CLI_EXIT_CANCELLED;

  if (error->domain != STAMP_ERROR)
    return STAMP_CLI_EXIT_FAILURE;

  switch ((StampError) error->code)
    {
    case STAMP_ERROR_INVALID_INPUT:
      return STAMP_CLI_EXIT_USAGE;

    case STAMP_ERROR_HOST_NOT_FOUND:
    case STAMP_ERROR_CONNECTION_REFUSED:
    case STAMP_ERROR_NETWORK_UNREACHABLE:
    case STAMP_ERROR_TIMED_OUT:
    case STAMP_ERROR_CONNECTION_CLOSED:
    case STAMP_ERROR_BAD_REPLY:
    case STAMP_ERROR_SERVER_UNAVAILABLE:
      return STAMP_CLI_EXIT_CONNECTION;

    case STAMP_ERROR_TLS_REQUIRED:
    case STAMP_ERROR_STARTTLS_FAILED:
    case STAMP_ERROR_TLS_HANDSHAKE_FAILED:
    case STAMP_ERROR_TLS_VERSION:
    case STAMP_ERROR_CERT_EXPIRED:
    case STAMP_ERROR_CERT_HOSTNAME:
    case STAMP_ERROR_CERT_UNKNOWN_ISSUER:
    case STAMP_ERROR_CERT_REVOKED:
    case STAMP_ERROR_CERT_INSECURE:
    case STAMP_ERROR_CERT_INVALID:
    case STAMP_ERROR_TLS_DOWNGRADE:
      return STAMP_CLI_EXIT_TLS;

    case STAMP_ERROR_AUTH_UNSUPPORTED:
    case STAMP_ERROR_AUTH_FAILED:
    case STAMP_ERROR_AUTH_DISABLED:
    case STAMP_ERROR_AUTH_REQUIRED:
    case STAMP_ERROR_OAUTH_NO_CLIENT:
    case STAMP_ERROR_OAUTH_SIGN_IN_NEEDED:
    case STAMP_ERROR_OAUTH_DENIED:
    case STAMP_ERROR_OAUTH_CONSENT:
    case STAMP_ERROR_OAUTH_APP:
    case STAMP_ERROR_OAUTH_POLICY:
    case STAMP_ERROR_OAUTH_STATE:
    case STAMP_ERROR_OAUTH_EXPIRED:
    case STAMP_ERROR_OAUTH_FAILED:
      return STAMP_CLI_EXIT_AUTH;

    case STAMP_ERROR_SENDER_REJECTED:
    case STAMP_ERROR_RECIPIENT_REJECTED:
    case STAMP_ERROR_MESSAGE_REJECTED:
    case STAMP_ERROR_MESSAGE_TOO_LARGE:
    case STAMP_ERROR_SMTPUTF8_UNSUPPORTED:
    case STAMP_ERROR_THROTTLED:
      return STAMP_CLI_EXIT_REJECTED;

    case STAMP_ERROR_GRAPH_REFUSED:
      return exit_for_graph_refusal (error);

    default:
      return STAMP_CLI_EXIT_FAILURE;
    }
}

int
stamp_cli_usage_error (const char *command,
                       const char *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("stamp-cli %s: %s\n", command, message);
  g_printerr (_("Try “stamp-cli %s --help”.\n"), command);

  return STAMP_CLI_EXIT_USAGE;
}

static gboolean
terminal_speaks_utf8 (void)
{
  const char *charset;

  return g_get_charset (&charset);
}

void
stamp_cli_print_step (StampSmtpStep *step)
{
  gboolean ok = stamp_smtp_step_get_state (step) == STAMP_STEP_SUCCEEDED;
  const char *mark = terminal_speaks_utf8 () ? (ok ? "✓" : "✗") : (ok ? "ok" : "!!");
  const char *detail = stamp_smtp_step_get_detail (step);

  g_print ("%s %-28s %6.0f ms  %s\n",
           mark,
           stamp_smtp_step_get_title (step),
           stamp_smtp_step_get_duration (step) / 1000.0,
           detail != NULL ? detail : "");
}

void
stamp_cli_print_transcript_line (StampTranscriptLine *line)
{
  g_autofree char *text = stamp_transcript_line_format (line);

  g_print ("    %s\n", text);
}

/**
 * stamp_cli_print_new_transcript_lines:
 * @transcript: a transcript's list model
 * @position: where lines were added
 * @removed: lines removed (a new attempt clears the transcript)
 * @added: how many lines were added
 * @user_data: unused (the caller's, to disconnect by)
 *
 * Prints the lines as they come: an ::items-changed handler, for SMTP and
 * Graph sends alike.
 */
void
stamp_cli_print_new_transcript_lines (GListModel *transcript,
                                      guint       position,
                                      guint       removed,
                                      guint       added,
                                      gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(StampTranscriptLine) line = g_list_model_get_item (transcript, i);

      stamp_cli_print_transcript_line (line);
    }
}

void
stamp_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* One member of a --json object; a %NULL string is written as null. */
void
stamp_cli_json_add_string (JsonBuilder *builder,
                           const char  *member,
                           const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
stamp_cli_json_add_int (JsonBuilder *builder,
                        const char  *member,
                        gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
stamp_cli_add_reply (JsonBuilder    *builder,
                     const char     *member,
                     StampSmtpReply *reply)
{
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, member);
  if (reply == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  text = stamp_smtp_reply_dup_text (reply);
  json_builder_begin_object (builder);
  stamp_cli_json_add_int (builder, "code", stamp_smtp_reply_get_code (reply));
  stamp_cli_json_add_string (builder, "enhanced_code",
                             stamp_smtp_reply_get_enhanced_code (reply));
  stamp_cli_json_add_string (builder, "text", text);
  json_builder_end_object (builder);
}

/**
 * stamp_cli_read_secret:
 * @stream: where the secret comes from (standard input)
 * @error: return location for a #GError
 *
 * Reads one line holding a password or token, without echo handling: the
 * secret comes from a pipe, never from the command line, where other users
 * could see it in the process list.
 *
 * Returns: (transfer full): the secret; free with stamp_secret_free()
 */
char *
stamp_cli_read_secret (FILE    *stream,
                       GError **error)
{
  char *line = NULL;
  size_t capacity = 0;
  ssize_t len;
  char *secret;

  len = getline (&line, &capacity, stream);
  if (len <= 0 || len > MAX_SECRET_LEN)
    {
      if (line != NULL)
        explicit_bzero (line, capacity);
      free (line);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   len <= 0 ? _("Nothing could be read from standard input")
                            : _("The line on standard input is too long for a password or token"));
      return NULL;
    }

  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';

  secret = g_strdup (line);
  explicit_bzero (line, capacity);
  free (line);

  if (*secret == '\0')
    {
      stamp_secret_free (secret);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("The password or token on standard input is empty"));
      return NULL;
    }

  return secret;
}

/* stamp-export-text.c
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

#define G_LOG_DOMAIN "stamp-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-exporter-private.h"

/* Small pieces the exporters share: quoting for each language, the secret
 * or its placeholder, and the account's values as targets want them. */

/* The text that stands where the secret goes. Loud on purpose: it must
 * not look like a value that could work. */
const char *
stamp_export_placeholder (StampExportContext *context)
{
  StampProvider *provider = stamp_export_context_get_provider (context);

  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH)
    return "PASTE-REFRESH-TOKEN-HERE";
  if (provider != NULL && stamp_provider_needs_app_password (provider))
    return "PASTE-APP-PASSWORD-HERE";
  return "PASTE-PASSWORD-HERE";
}

/* The secret when the person asked for it (and then @result becomes
 * private, to be written 0600), else the placeholder. */
const char *
stamp_export_secret_or_placeholder (StampExportContext *context,
                                    StampExportResult  *result)
{
  const char *secret = stamp_export_context_get_secret (context);

  if (secret == NULL)
    return stamp_export_placeholder (context);

  stamp_export_result_set_private (result, TRUE);
  return secret;
}

/* 'value' for PHP: single quotes, where only \ and ' are special. */
char *
stamp_export_php_string (const char *value)
{
  GString *out = g_string_new ("'");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '\'')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

/* A double-quoted string that JavaScript and Python both read the same
 * way: backslash escapes for quotes, backslashes and control characters. */
static char *
double_quoted (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
stamp_export_js_string (const char *value)
{
  return double_quoted (value);
}

char *
stamp_export_python_string (const char *value)
{
  return double_quoted (value);
}

char *
stamp_export_xml_escape (const char *value)
{
  return g_markup_escape_text (value, -1);
}

/* For the user and password parts of a URL (a mailer DSN): everything
 * but unreserved characters is %-encoded, "@" and ":" included. */
char *
stamp_export_url_escape (const char *value)
{
  return g_uri_escape_string (value, NULL, FALSE);
}

const char *
stamp_export_from_address (StampExportContext *context)
{
  return stamp_account_get_address (stamp_export_context_get_account (context));
}

/* The sign-in name: the account's own, else its address. */
const char *
stamp_export_username (StampExportContext *context)
{
  return stamp_account_get_sign_in_name (stamp_export_context_get_account (context));
}

static gboolean
is_shell_safe (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@._+-=/:,", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The whole command that prints a fresh token for this account, as a
 * shell runs it (msmtp's passwordeval, git's credential helper). An
 * address with characters a shell would read is quoted. */
char *
stamp_export_token_command (StampExportContext *context)
{
  const char *address = stamp_export_from_address (context);
  g_autofree char *quoted = is_shell_safe (address) ? g_strdup (address) : g_shell_quote (address);

  return g_strdup_printf ("%s %s", stamp_export_context_get_token_command (context), quoted);
}

/* The same command as an argument vector, for code that runs it without
 * a shell (Node's execFileSync, PHP's proc_open, Python's subprocess):
 * the configured command may be the flatpak run form, then the address. */
GStrv
stamp_export_token_argv (StampExportContext  *context,
                         GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) command = NULL;

  if (!g_shell_parse_argv (stamp_export_context_get_token_command (context), NULL, &command, error))
    return NULL;

  g_strv_builder_addv (builder, (const char **) command);
  g_strv_builder_add (builder, stamp_export_from_address (context));
  return g_strv_builder_end (builder);
}

/* PHPMailer's (and git's) names: "tls" is STARTTLS, "ssl" is TLS from
 * the first byte, "" is none. */
const char *
stamp_export_tls_or_ssl (StampExportContext *context)
{
  switch (stamp_account_get_security (stamp_export_context_get_account (context)))
    {
    case STAMP_SECURITY_TLS:
      return "ssl";
    case STAMP_SECURITY_NONE:
      return "";
    case STAMP_SECURITY_STARTTLS:
    default:
      return "tls";
    }
}

/* The domain of the account's address. */
const char *
stamp_export_domain (StampExportContext *context)
{
  const char *address = stamp_export_from_address (context);
  const char *at = strrchr (address, '@');

  return at != NULL ? at + 1 : address;
}

/* For an account that sends through Microsoft Graph, comment lines in
 * @prefix's language: @target speaks SMTP only, what the file does
 * instead and what works where SMTP AUTH is off. Nothing for others. */
void
stamp_export_append_graph_comment (GString            *out,
                                   StampExportContext *context,
                                   const char         *prefix,
                                   const char         *target)
{
  if (stamp_account_get_method (stamp_export_context_get_account (context))
      != STAMP_SEND_METHOD_GRAPH)
    return;

  g_string_append_printf (out,
                          "%s This account sends through Microsoft Graph in Stamp; %s cannot.\n"
                          "%s These settings use SMTP with OAuth (XOAUTH2) instead, which works\n"
                          "%s only where the tenant allows SMTP AUTH: switch the account to SMTP\n"
                          "%s in Stamp and test it there first. Where SMTP AUTH stays off, send\n"
                          "%s through Stamp Relay, which sends through Microsoft Graph.\n",
                          prefix, target, prefix, prefix, prefix, prefix);
}

/* For code that sends (Nodemailer, Python): one comment line or two on
 * where the sign-in comes from, in the language's comment @prefix. */
void
stamp_export_append_sign_in_comment (GString            *out,
                                     StampExportContext *context,
                                     const char         *prefix)
{
  switch (stamp_export_context_get_auth (context))
    {
    case STAMP_EXPORT_AUTH_PASSWORD:
      if (stamp_export_context_get_secret (context) == NULL)
        g_string_append_printf (out, "%s The password comes from the %s environment variable.\n",
                                prefix, STAMP_EXPORT_PASSWORD_VARIABLE);
      else
        g_string_append_printf (out, "%s This holds the password: keep it readable only by you (chmod 600) and\n"
                                     "%s out of version control.\n", prefix, prefix);
      break;
    case STAMP_EXPORT_AUTH_OAUTH:
      g_string_append_printf (out, "%s Access tokens come from Stamp (stamp-cli), signed in as the user that\n"
                                   "%s runs this.\n", prefix, prefix);
      break;
    case STAMP_EXPORT_AUTH_NONE:
    default:
      g_string_append_printf (out, "%s No sign-in: the server lets this machine send without one.\n",
                              prefix);
      break;
    }
}

/* The notes every code export shares: where the password or the tokens
 * come from when the code runs. */
/* Whether the account signs in with a password that the export does not
 * hold: the code then reads it from STAMP_EXPORT_PASSWORD_VARIABLE, or the
 * program asks for it. */
gboolean
stamp_export_leaves_out_password (StampExportContext *context)
{
  return stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_PASSWORD
         && stamp_export_context_get_secret (context) == NULL;
}

void
stamp_export_add_code_notes (StampExportResult  *result,
                             StampExportContext *context)
{
  StampExportAuth auth = stamp_export_context_get_auth (context);

  if (stamp_export_leaves_out_password (context))
    stamp_export_result_add_note (result, _("The code reads the password from the SMTP_PASSWORD "
                                            "environment variable"));
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    stamp_export_result_add_note (result, _("The code runs “stamp-cli token” for access tokens: "
                                            "run it as the user signed in to Stamp"));
  if (auth == STAMP_EXPORT_AUTH_OAUTH && stamp_export_context_get_secret (context) != NULL)
    stamp_export_result_add_note (result, _("The refresh token stays in Stamp’s keyring; the "
                                            "code asks Stamp for access tokens"));
}

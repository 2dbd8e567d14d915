/* stamp-export-env.c
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

#include "stamp-error.h"
#include "stamp-exporter-private.h"

/* A .env file for PHP apps: Symfony Mailer's MAILER_DSN, and Laravel's
 * MAIL_* settings (Laravel 11's names, plus MAIL_ENCRYPTION for older
 * versions). */

/* Characters that mean nothing special to either reader outside quotes. */
#define ENV_BARE_CHARS "-._~%:/@?=&+,"

/* How a value is written. Two programs read these files: Symfony's Dotenv
 * and vlucas/phpdotenv (Laravel), and they agree on less than it seems:
 *
 * - bare words without spaces, quotes, "\", "$" or "#" read the same;
 * - single quotes are literal in both (no escapes, no ${VAR}), but cannot
 *   hold a "'", and phpdotenv takes a line with =" and one lone '"' for
 *   the start of a value that goes on over several lines;
 * - in double quotes both take \" \\ and \$ (a bare "$" starts a variable
 *   in both, so every "$" must be escaped), but Symfony ends the value at
 *   \" that follows an escaped backslash, turns \n and \r into line breaks
 *   even when the backslash was itself escaped, keeps the backslash of
 *   \$( unless a ")" closes it, and reads $X:-… or $X:=… as a default
 *   value that runs to the next "}", keeping the backslash of a \$ in it.
 *
 * So: bare when plain, single quotes unless the value has a "'" or =",
 * double quotes otherwise. Laravel reads every value right; @symfony_agrees
 * says whether Symfony does too. (Checked against both readers' sources:
 * Symfony's Dotenv::lexValue, phpdotenv's Lines and EntryParser.) */
static char *
env_quote (const char *value,
           gboolean   *symfony_agrees)
{
  const char *dollar;
  GString *out;

  *symfony_agrees = TRUE;

  if (*value != '\0' && strspn (value, ENV_BARE_CHARS "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen (value))
    return g_strdup (value);

  if (strpbrk (value, "'\n\r") == NULL && strstr (value, "=\"") == NULL)
    return g_strdup_printf ("'%s'", value);

  dollar = strchr (value, '$');
  if (dollar != NULL)
    {
      const char *dash = strstr (dollar, ":-");
      const char *equal = strstr (dollar, ":=");

      if ((dash != NULL && strchr (dash, '$') != NULL)
          || (equal != NULL && strchr (equal, '$') != NULL))
        *symfony_agrees = FALSE;
    }

  out = g_string_new ("\"");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == '"' || p[1] == 'n' || p[1] == 'r'))
        *symfony_agrees = FALSE;
      if (*p == '$' && p[1] == '(')
        *symfony_agrees = FALSE;

      if (*p == '"' || *p == '\\' || *p == '$')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\r')
        g_string_append (out, "\\r");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}

/* Laravel's env() turns the words true, false, empty and null (also in
 * parentheses) into other types, and strips quotes around a whole value,
 * after the file has been read: no quoting in the file prevents it. */
static gboolean
laravel_env_alters (const char *value)
{
  static const char *const words[] = {
    "true", "(true)", "false", "(false)", "empty", "(empty)", "null", "(null)",
  };
  gsize len = strlen (value);

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (value, words[i]) == 0)
      return TRUE;

  return len >= 2 && (value[0] == '"' || value[0] == '\'') && value[len - 1] == value[0]
         && strpbrk (value, "\n\r") == NULL;
}

static void
append_var (GString           *out,
            StampExportResult *result,
            const char        *key,
            const char        *value)
{
  g_autofree char *quoted = NULL;
  gboolean symfony_agrees;

  quoted = env_quote (value, &symfony_agrees);
  g_string_append_printf (out, "%s=%s\n", key, quoted);

  if (!symfony_agrees)
    {
      g_autofree char *note = g_strdup_printf (_("Symfony’s .env reader reads %s differently "
                                                 "from Laravel’s; in a Symfony app, keep only "
                                                 "MAILER_DSN"), key);

      stamp_export_result_add_note (result, note);
    }
  if (laravel_env_alters (value))
    {
      g_autofree char *note = g_strdup_printf (_("Laravel’s env() changes the value of %s (it "
                                                 "reads true, false, empty, null and quoted "
                                                 "values specially); set it in config/mail.php "
                                                 "instead"), key);

      stamp_export_result_add_note (result, note);
    }
}

static gboolean
check_env (StampExportContext  *context,
           GError             **error)
{
  if (stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_OAUTH)
    return TRUE;

  g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
               _("Symfony Mailer and Laravel cannot sign in to %s with OAuth. Let a local relay "
                 "sign in for them (export for Postfix and send to smtp://localhost:25, or for "
                 "msmtp and use the sendmail transport), or send through the provider’s own API "
                 "with its mailer package"),
               stamp_account_get_host (stamp_export_context_get_account (context)));
  return FALSE;
}

/* smtps:// is TLS from the first byte; smtp:// uses STARTTLS whenever the
 * server offers it (Symfony Mailer cannot turn that off per DSN). */
static char *
symfony_dsn (StampExportContext *context,
             const char         *password)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *host = stamp_account_get_host (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  GString *dsn = g_string_new (NULL);

  g_string_append (dsn, stamp_account_get_security (account) == STAMP_SECURITY_TLS
                        ? "smtps://" : "smtp://");
  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_PASSWORD)
    {
      g_autofree char *user = stamp_export_url_escape (stamp_export_username (context));
      g_autofree char *pass = stamp_export_url_escape (password);

      g_string_append_printf (dsn, "%s:%s@", user, pass);
    }
  /* An IPv6 literal needs brackets in a URL. */
  g_string_append_printf (dsn, strchr (host, ':') != NULL ? "[%s]:%u" : "%s:%u",
                          host, stamp_account_get_effective_port (account));
  if (ehlo_name != NULL && *ehlo_name != '\0')
    {
      g_autofree char *escaped = stamp_export_url_escape (ehlo_name);

      g_string_append_printf (dsn, "?local_domain=%s", escaped);
    }

  return g_string_free (dsn, FALSE);
}

static gboolean
render_env (StampExportContext  *context,
            StampExportResult   *result,
            GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  const char *display_name = stamp_account_get_display_name (account);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  StampSecurity security = stamp_account_get_security (account);
  gboolean signs_in = stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_PASSWORD;
  gboolean has_secret = stamp_export_context_get_secret (context) != NULL;
  const char *password = NULL;
  g_autofree char *dsn = NULL;
  g_autofree char *port = NULL;
  GString *out = g_string_new (NULL);

  if (signs_in)
    password = stamp_export_secret_or_placeholder (context, result);

  g_string_append_printf (out,
                          "# Mail settings for %s, made by Stamp.\n"
                          "# Symfony reads MAILER_DSN, Laravel the MAIL_ lines: keep the block for\n"
                          "# your framework, in .env.local (Symfony) or .env (Laravel), out of\n"
                          "# version control.\n",
                          address);
  if (signs_in && has_secret)
    g_string_append (out, "# This holds the password: keep the file readable only by the app (chmod 600).\n");
  else if (signs_in)
    g_string_append_printf (out,
                            "# Replace %s with the password; in MAILER_DSN it must be\n"
                            "# URL-encoded: php -r 'echo rawurlencode(trim(fgets(STDIN))), \"\\n\";'\n",
                            password);
  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autofree char *note = NULL;

      g_string_append_printf (out,
                              "# The server's certificate comes from the CA in %s:\n"
                              "# PHP must trust it (openssl.cafile in php.ini, or the system's trust store).\n",
                              ca_file);
      note = g_strdup_printf (_("The server’s certificate comes from a private CA; PHP must "
                                "trust %s"), ca_file);
      stamp_export_result_add_note (result, note);
    }

  dsn = symfony_dsn (context, signs_in ? password : NULL);
  g_string_append (out,
                   "\n# Symfony Mailer (composer require symfony/mailer). The sender is set in\n"
                   "# config/packages/mailer.yaml (framework.mailer.headers.From).\n");
  append_var (out, result, "MAILER_DSN", dsn);

  port = g_strdup_printf ("%u", stamp_account_get_effective_port (account));
  g_string_append (out, "\n# Laravel 11 and newer\n");
  append_var (out, result, "MAIL_MAILER", "smtp");
  append_var (out, result, "MAIL_SCHEME", security == STAMP_SECURITY_TLS ? "smtps" : "smtp");
  append_var (out, result, "MAIL_HOST", stamp_account_get_host (account));
  append_var (out, result, "MAIL_PORT", port);
  if (signs_in)
    {
      append_var (out, result, "MAIL_USERNAME", stamp_export_username (context));
      append_var (out, result, "MAIL_PASSWORD", password);
    }
  else
    {
      /* env() reads "null" as no value: no sign-in, whatever .env had. */
      g_string_append (out,
                       "# No sign-in: the server lets this machine send without one.\n"
                       "MAIL_USERNAME=null\n"
                       "MAIL_PASSWORD=null\n");
    }
  append_var (out, result, "MAIL_FROM_ADDRESS", address);
  if (display_name != NULL && *display_name != '\0')
    append_var (out, result, "MAIL_FROM_NAME", display_name);
  else
    g_string_append (out, "MAIL_FROM_NAME=\"${APP_NAME}\"\n");
  if (ehlo_name != NULL && *ehlo_name != '\0')
    append_var (out, result, "MAIL_EHLO_DOMAIN", ehlo_name);

  g_string_append (out,
                   "# Laravel 10 and older read MAIL_ENCRYPTION instead of MAIL_SCHEME\n"
                   "# (tls: STARTTLS; ssl: TLS from the first byte).\n");
  if (security == STAMP_SECURITY_NONE)
    g_string_append (out, "MAIL_ENCRYPTION=null\n");
  else
    append_var (out, result, "MAIL_ENCRYPTION", stamp_export_tls_or_ssl (context));

  if (signs_in && !has_secret)
    {
      g_autofree char *note = g_strdup_printf (_("Put the password in place of %s, "
                                                 "URL-encoded in MAILER_DSN"), password);

      stamp_export_result_add_note (result, note);
    }

  stamp_export_result_take_text (result, out);
  return TRUE;
}

const StampExporterSpec stamp_export_env = {
  .id = "env",
  .title = N_("Symfony and Laravel (.env)"),
  .description = N_("Mail settings for a PHP app’s .env file: Symfony’s MAILER_DSN and Laravel’s MAIL_ variables"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  /* OAuth is refused by check_env, which says what to do instead. */
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "mail.env",
  .mime_type = "text/plain",
  .uses_secret = TRUE,
  .check = check_env,
  .render = render_env,
};

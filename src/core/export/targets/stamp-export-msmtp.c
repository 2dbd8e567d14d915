/* stamp-export-msmtp.c
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

/* msmtp, the small sendmail stand-in: one account block that scripts,
 * cron jobs and mail clients use through `msmtp -a ADDRESS`. */

static const char *
msmtp_auth (StampAccount *account)
{
  switch (stamp_account_get_auth_mechanism (account))
    {
    case STAMP_AUTH_NONE:
      return "off";
    case STAMP_AUTH_PLAIN:
      return "plain";
    case STAMP_AUTH_LOGIN:
      return "login";
    case STAMP_AUTH_XOAUTH2:
      return "xoauth2";
    case STAMP_AUTH_OAUTHBEARER:
      return "oauthbearer";
    case STAMP_AUTH_AUTO:
    default:
      return "on";
    }
}

/* msmtp takes the rest of the line, blanks at either end trimmed, as the
 * argument and drops one pair of enclosing double quotes, with no escapes
 * inside (trim_string() in its conf.c). So a value needs quotes only
 * when it has blanks at either end or is itself in quotes, and quoting
 * then keeps it whole; only a line break cannot be written. */
static gboolean
append_argument (GString     *out,
                 const char  *command,
                 const char  *value,
                 gboolean     quote,
                 GError     **error)
{
  gsize len = strlen (value);

  if (strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   _("The password contains a line break, which an msmtp file cannot hold; "
                     "export without the password and use passwordeval instead"));
      return FALSE;
    }

  quote |= len == 0
           || value[0] == ' ' || value[0] == '\t'
           || value[len - 1] == ' ' || value[len - 1] == '\t'
           || (len >= 2 && value[0] == '"' && value[len - 1] == '"');
  if (quote)
    g_string_append_printf (out, "%s \"%s\"\n", command, value);
  else
    g_string_append_printf (out, "%s %s\n", command, value);
  return TRUE;
}

/* One word for the shell that runs passwordeval: addresses are almost
 * always safe as they are, and quoted when not. */
static char *
shell_word (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@._+-=", *p) == NULL)
      return g_shell_quote (word);

  return g_strdup (word);
}

static gboolean
render_msmtp (StampExportContext  *context,
              StampExportResult   *result,
              GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  StampSecurity security = stamp_account_get_security (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out,
                          "# msmtp settings for %s, made by Stamp.\n"
                          "# Save as ~/.config/msmtp/config (or ~/.msmtprc), readable\n"
                          "# only by you:\n"
                          "#   chmod 600 ~/.config/msmtp/config\n"
                          "# Try it: printf 'Subject: Test\\n\\nHello\\n' | msmtp -a %s %s\n",
                          address, address, address);
  stamp_export_append_graph_comment (out, context, "#", "msmtp");
  g_string_append_c (out, '\n');

  g_string_append (out, "defaults\n");
  g_string_append_printf (out, "tls %s\n", security == STAMP_SECURITY_NONE ? "off" : "on");
  if (security != STAMP_SECURITY_NONE)
    {
      g_string_append_printf (out, "tls_trust_file %s\n",
                              ca_file != NULL && *ca_file != '\0' ? ca_file : "system");
      /* msmtp's default, said anyway: defaults sections add up, and an
       * earlier one in the same file may have turned it off. */
      g_string_append (out, "tls_certcheck on\n");
    }
  g_string_append (out, "logfile ~/.msmtp.log\n\n");

  g_string_append_printf (out, "account %s\n", address);
  g_string_append_printf (out, "host %s\n", stamp_account_get_host (account));
  g_string_append_printf (out, "port %u\n", stamp_account_get_effective_port (account));
  if (security != STAMP_SECURITY_NONE)
    g_string_append_printf (out, "tls_starttls %s\n",
                            security == STAMP_SECURITY_STARTTLS ? "on" : "off");
  if (ehlo_name != NULL && *ehlo_name != '\0')
    g_string_append_printf (out, "domain %s\n", ehlo_name);
  g_string_append_printf (out, "auth %s\n", msmtp_auth (account));
  if (auth != STAMP_EXPORT_AUTH_NONE)
    g_string_append_printf (out, "user %s\n", stamp_export_username (context));
  g_string_append_printf (out, "from %s\n", address);

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_autofree char *word = shell_word (address);
      g_autofree char *command = g_strdup_printf ("%s %s",
                                                  stamp_export_context_get_token_command (context),
                                                  word);

      g_string_append (out, "# Stamp hands msmtp a fresh access token for every message.\n");
      if (!append_argument (out, "passwordeval", command, TRUE, error))
        return FALSE;
    }
  else if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    {
      if (stamp_export_context_get_secret (context) == NULL)
        g_string_append (out, "# Replace the placeholder with the password (keep this file\n"
                              "# chmod 600); put it in double quotes if it starts or ends\n"
                              "# with a space.\n");
      if (!append_argument (out, "password", stamp_export_secret_or_placeholder (context, result),
                            FALSE, error))
        return FALSE;
    }

  g_string_append_printf (out, "\naccount default : %s\n", address);

  /* msmtp refuses a file with a password line that others can read. */
  stamp_export_result_set_private (result, TRUE);
  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_msmtp = {
  .id = "msmtp",
  .title = N_("msmtp settings"),
  .description = N_("A configuration file for msmtp, the sendmail stand-in for scripts "
                    "and mail clients"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "msmtprc",
  .mime_type = "text/plain",
  .uses_secret = TRUE,
  .render = render_msmtp,
};

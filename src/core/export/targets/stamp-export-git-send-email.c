/* stamp-export-git-send-email.c
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

/* git send-email: a [sendemail] block for ~/.gitconfig. With OAuth, git
 * gets each access token from `stamp-cli token --git-credential`, which
 * speaks git's credential-helper protocol (gitcredentials(7)). */

/* A value as git-config(1) reads it: quoted when it has a comment
 * character, a quote, a backslash or blanks at either end; inside the
 * quotes only \" \\ \n \t are escapes. */
static void
append_value (GString    *out,
              const char *value,
              gboolean    force_quotes)
{
  gsize len = strlen (value);
  gboolean quote = force_quotes
                   || strpbrk (value, "#;\"\\\n\t") != NULL
                   || (len > 0 && (g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1])));

  if (!quote)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_setting (GString    *out,
                const char *name,
                const char *value)
{
  g_string_append_printf (out, "\t%s = ", name);
  append_value (out, value, FALSE);
  g_string_append_c (out, '\n');
}

/* "Name <address>", with the name as an RFC 5322 quoted string when it
 * has specials; git send-email keeps a name that is already quoted. */
static char *
from_header (StampAccount *account)
{
  const char *name = stamp_account_get_display_name (account);
  const char *address = stamp_account_get_address (account);
  g_autoptr(GString) quoted = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup (address);
  if (strpbrk (name, "()<>[]:;@\\,.\"") == NULL)
    return g_strdup_printf ("%s <%s>", name, address);

  quoted = g_string_new ("\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_printf (quoted, "\" <%s>", address);
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

static const char *
smtp_auth (StampAccount *account)
{
  switch (stamp_account_get_auth_mechanism (account))
    {
    case STAMP_AUTH_NONE:
      return "none";
    case STAMP_AUTH_PLAIN:
      return "PLAIN";
    case STAMP_AUTH_LOGIN:
      return "LOGIN";
    case STAMP_AUTH_XOAUTH2:
      return "XOAUTH2";
    case STAMP_AUTH_OAUTHBEARER:
      return "OAUTHBEARER";
    case STAMP_AUTH_AUTO:
    default:
      return NULL;  /* whatever both sides have */
    }
}

/* The helper git runs as "COMMAND get": one shell command line. */
static char *
helper_command (StampExportContext *context)
{
  const char *address = stamp_export_from_address (context);
  g_autofree char *word = NULL;

  for (const char *p = address; *p != '\0' && word == NULL; p++)
    if (!g_ascii_isalnum (*p) && strchr ("@._+-=", *p) == NULL)
      word = g_shell_quote (address);

  return g_strdup_printf ("!%s --git-credential %s",
                          stamp_export_context_get_token_command (context),
                          word != NULL ? word : address);
}

static gboolean
render_git_send_email (StampExportContext  *context,
                       StampExportResult   *result,
                       GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  const char *host = stamp_account_get_host (account);
  guint port = stamp_account_get_effective_port (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  const char *encryption = stamp_export_tls_or_ssl (context);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  const char *mechanism = smtp_auth (account);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autofree char *from = from_header (account);
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out,
                          "# git send-email settings for %s, made by Stamp.\n"
                          "# Add them to the end of ~/.gitconfig (git config --global --edit), or\n"
                          "# save this file as ~/.config/git/sendemail-stamp and include it:\n"
                          "#   git config --global include.path ~/.config/git/sendemail-stamp\n",
                          address);
  stamp_export_append_graph_comment (out, context, "#", "git send-email");
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append (out,
                     "# git asks Stamp for a fresh access token each time it sends, so this\n"
                     "# file holds no secret. git send-email signs in through Authen::SASL,\n"
                     "# which knows XOAUTH2 and OAUTHBEARER from version 2.1800 on.\n");
  else if (stamp_export_leaves_out_password (context))
    g_string_append (out,
                     "# git asks for the password when it sends (through git credential, so a\n"
                     "# credential helper such as libsecret can keep it).\n");
  g_string_append_printf (out, "# Try it: git send-email --dry-run --smtp-debug=1 --to=%s -1\n\n",
                          address);

  g_string_append (out, "[sendemail]\n");
  append_setting (out, "smtpServer", host);
  append_setting (out, "smtpServerPort", port_text);
  /* git's names: tls is STARTTLS, ssl is TLS from the first byte; any
   * other value is plain SMTP. */
  append_setting (out, "smtpEncryption", *encryption != '\0' ? encryption : "none");
  if (ca_file != NULL && *ca_file != '\0')
    append_setting (out, "smtpSSLCertPath", ca_file);
  if (ehlo_name != NULL && *ehlo_name != '\0')
    append_setting (out, "smtpDomain", ehlo_name);
  if (auth != STAMP_EXPORT_AUTH_NONE)
    append_setting (out, "smtpUser", stamp_export_username (context));
  if (mechanism != NULL)
    append_setting (out, "smtpAuth", mechanism);
  if (auth == STAMP_EXPORT_AUTH_PASSWORD && stamp_export_context_get_secret (context) != NULL)
    append_setting (out, "smtpPass", stamp_export_secret_or_placeholder (context, result));
  append_setting (out, "from", from);
  append_setting (out, "envelopeSender", address);

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_autofree char *helper = helper_command (context);

      /* git send-email asks for protocol=smtp, host=HOST:PORT. The empty
       * helper first drops helpers from earlier settings, so that none of
       * them stores the short-lived token or hands back an expired one. */
      g_string_append_printf (out, "\n[credential \"smtp://%s:%u\"]\n", host, port);
      g_string_append (out, "\thelper =\n\thelper = ");
      append_value (out, helper, TRUE);
      g_string_append_c (out, '\n');
    }

  if (stamp_export_result_get_private (result))
    stamp_export_result_add_note (result,
                                  _("The file holds the password: keep it readable only "
                                    "by you, and out of any dotfiles repository."));
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    stamp_export_result_add_note (result,
                                  _("Put these settings after any other credential helper "
                                    "settings: git reads its configuration in order."));

  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_git_send_email = {
  .id = "git-send-email",
  .title = N_("git send-email"),
  .description = N_("A [sendemail] section for ~/.gitconfig, to mail patches from git"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "gitconfig-sendemail",
  .mime_type = "text/plain",
  .uses_secret = TRUE,
  .render = render_git_send_email,
};

/* stamp-export-python-smtplib.c
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

#include <glib/gi18n-lib.h>

#include "stamp-exporter-private.h"

/* A Python 3 script, standard library only, with a send_mail() function
 * for the account; run, it sends a test message. */


static void
append_settings (GString            *out,
                 StampExportContext *context,
                 StampExportResult  *result,
                 const char * const *argv)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *display_name = stamp_account_get_display_name (account);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  g_autofree char *host = stamp_export_python_string (stamp_account_get_host (account));
  g_autofree char *user = stamp_export_python_string (stamp_export_username (context));
  g_autofree char *address = stamp_export_python_string (stamp_account_get_address (account));

  g_string_append_printf (out,
                          "HOST = %s\n"
                          "PORT = %u\n",
                          host, stamp_account_get_effective_port (account));
  if (auth != STAMP_EXPORT_AUTH_NONE)
    g_string_append_printf (out, "USER = %s\n", user);
  if (display_name != NULL && *display_name != '\0')
    {
      g_autofree char *name = stamp_export_python_string (display_name);

      g_string_append_printf (out, "FROM = formataddr((%s, %s))\n", name, address);
    }
  else
    g_string_append_printf (out, "FROM = %s\n", address);
  if (ehlo_name != NULL && *ehlo_name != '\0')
    {
      g_autofree char *name = stamp_export_python_string (ehlo_name);

      g_string_append_printf (out, "EHLO_NAME = %s\n", name);
    }
  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autofree char *path = stamp_export_python_string (ca_file);

      g_string_append_printf (out, "CA_FILE = %s  # the CA that signed the server's certificate\n",
                              path);
    }
  g_string_append (out, "TIMEOUT = 30  # seconds\n");

  if (auth == STAMP_EXPORT_AUTH_PASSWORD && stamp_export_context_get_secret (context) != NULL)
    {
      g_autofree char *password = stamp_export_python_string (stamp_export_secret_or_placeholder (context, result));

      g_string_append_printf (out, "PASSWORD = %s\n", password);
    }
  else if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    g_string_append (out, "PASSWORD = os.environ.get(\"" STAMP_EXPORT_PASSWORD_VARIABLE "\", \"\")\n");
  else if (auth == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_string_append (out, "TOKEN_COMMAND = [");
      for (guint i = 0; argv[i] != NULL; i++)
        {
          g_autofree char *arg = stamp_export_python_string (argv[i]);

          g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", arg);
        }
      g_string_append (out, "]\n");
    }
  g_string_append (out, "\n\n");
}

/* smtplib sends the first answer with AUTH; a 334 challenge after it is
 * the server's error report, which XOAUTH2 answers with an empty line and
 * OAUTHBEARER with ^A (RFC 7628 section 3.2.3). */
static void
append_oauth_functions (GString      *out,
                        StampAccount *account)
{
  g_string_append (out,
                   "def access_token():\n"
                   "    \"\"\"Stamp keeps the sign-in and prints an access token with at least five\n"
                   "    minutes left, refreshing it first when needed.\"\"\"\n"
                   "    return subprocess.run(TOKEN_COMMAND, stdout=subprocess.PIPE, text=True,\n"
                   "                          check=True, timeout=TIMEOUT).stdout.strip()\n\n\n");

  if (stamp_account_get_auth_mechanism (account) == STAMP_AUTH_OAUTHBEARER)
    g_string_append (out,
                     "# smtplib sends this with AUTH; a challenge back is the server's error\n"
                     "# report, which ^A answers (RFC 7628).\n"
                     "def oauthbearer(challenge=None):\n"
                     "    if challenge is not None:\n"
                     "        return \"\\x01\"\n"
                     "    authzid = USER.replace(\"=\", \"=3D\").replace(\",\", \"=2C\")\n"
                     "    return (f\"n,a={authzid},\\x01host={HOST}\\x01port={PORT}\\x01\"\n"
                     "            f\"auth=Bearer {access_token()}\\x01\\x01\")\n\n\n");
  else
    g_string_append (out,
                     "# smtplib sends this with AUTH; a challenge back is the server's error\n"
                     "# report, which an empty line answers.\n"
                     "def xoauth2(challenge=None):\n"
                     "    if challenge is not None:\n"
                     "        return \"\"\n"
                     "    return f\"user={USER}\\x01auth=Bearer {access_token()}\\x01\\x01\"\n\n\n");
}

static void
append_send_mail (GString            *out,
                  StampExportContext *context)
{
  StampAccount *account = stamp_export_context_get_account (context);
  StampSecurity security = stamp_account_get_security (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *local_hostname = ehlo_name != NULL && *ehlo_name != '\0'
                               ? "local_hostname=EHLO_NAME, " : "";

  g_string_append (out, "def send_mail(to, subject, body):\n");
  if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    {
      g_autofree char *message = g_strdup_printf ("Set " STAMP_EXPORT_PASSWORD_VARIABLE " to the password of %s",
                                                  stamp_account_get_address (account));
      g_autofree char *py_message = stamp_export_python_string (message);

      g_string_append_printf (out,
                              "    if not PASSWORD:\n"
                              "        raise RuntimeError(%s)\n",
                              py_message);
    }
  g_string_append (out,
                   "    msg = EmailMessage()\n"
                   "    msg[\"From\"] = FROM\n"
                   "    msg[\"To\"] = to\n"
                   "    msg[\"Subject\"] = subject\n"
                   "    msg.set_content(body)\n\n");
  if (security != STAMP_SECURITY_NONE)
    g_string_append_printf (out, "    context = ssl.create_default_context(%s)\n",
                            ca_file != NULL && *ca_file != '\0' ? "cafile=CA_FILE" : "");

  if (security == STAMP_SECURITY_TLS && *local_hostname != '\0')
    g_string_append_printf (out,
                            "    with smtplib.SMTP_SSL(HOST, PORT, %stimeout=TIMEOUT,\n"
                            "                          context=context) as smtp:\n",
                            local_hostname);
  else if (security == STAMP_SECURITY_TLS)
    g_string_append (out, "    with smtplib.SMTP_SSL(HOST, PORT, timeout=TIMEOUT, context=context) as smtp:\n");
  else
    g_string_append_printf (out, "    with smtplib.SMTP(HOST, PORT, %stimeout=TIMEOUT) as smtp:\n",
                            local_hostname);
  if (security == STAMP_SECURITY_STARTTLS)
    g_string_append (out, "        smtp.starttls(context=context)\n");

  if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    g_string_append (out, "        smtp.login(USER, PASSWORD)\n");
  else if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append_printf (out,
                            "        smtp.ehlo_or_helo_if_needed()\n"
                            "        smtp.auth(%s)\n",
                            stamp_account_get_auth_mechanism (account) == STAMP_AUTH_OAUTHBEARER
                            ? "\"OAUTHBEARER\", oauthbearer" : "\"XOAUTH2\", xoauth2");
  g_string_append (out, "        smtp.send_message(msg)\n\n\n");
}

static gboolean
render_python_smtplib (StampExportContext  *context,
                       StampExportResult   *result,
                       GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  gboolean from_env = stamp_export_leaves_out_password (context);
  g_auto(GStrv) argv = NULL;
  GString *out;

  if (auth == STAMP_EXPORT_AUTH_OAUTH && (argv = stamp_export_token_argv (context, error)) == NULL)
    return FALSE;

  out = g_string_new (NULL);
  g_string_append_printf (out,
                          "#!/usr/bin/env python3\n"
                          "# Sends mail as %s, with Python's smtplib; made by Stamp.\n"
                          "# Needs nothing beyond Python 3's standard library.\n",
                          address);
  stamp_export_append_graph_comment (out, context, "#", "smtplib");
  stamp_export_append_sign_in_comment (out, context, "#");
  g_string_append (out,
                   "# Use it:  from send_mail import send_mail; send_mail(to, subject, body)\n"
                   "# Try it:  python3 send_mail.py you@example.com\n\n");

  if (from_env)
    g_string_append (out, "import os\n");
  g_string_append (out, "import smtplib\n");
  if (stamp_account_get_security (account) != STAMP_SECURITY_NONE)
    g_string_append (out, "import ssl\n");
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append (out, "import subprocess\n");
  g_string_append (out,
                   "import sys\n"
                   "from email.message import EmailMessage\n");
  if (stamp_account_get_display_name (account) != NULL
      && *stamp_account_get_display_name (account) != '\0')
    g_string_append (out, "from email.utils import formataddr\n");
  g_string_append (out, "\n");

  append_settings (out, context, result, (const char * const *) argv);
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    append_oauth_functions (out, account);
  append_send_mail (out, context);

  g_string_append (out,
                   "if __name__ == \"__main__\":\n"
                   "    if len(sys.argv) != 2:\n"
                   "        sys.exit(\"usage: send_mail.py RECIPIENT\")\n"
                   "    try:\n"
                   "        send_mail(sys.argv[1], \"Test from Python\",\n"
                   "                  \"Sent with Python's smtplib, set up by Stamp.\")\n"
                   "    except Exception as error:  # one line for the person, not a traceback\n"
                   "        sys.exit(f\"send_mail.py: {error}\")\n"
                   "    print(\"Sent.\")\n");

  stamp_export_add_code_notes (result, context);

  stamp_export_result_take_text (result, out);
  return TRUE;
}

const StampExporterSpec stamp_export_python_smtplib = {
  .id = "python-smtplib",
  .title = N_("Python smtplib"),
  .description = N_("A Python script, standard library only, that sends mail with this account"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "send_mail.py",
  .mime_type = "text/x-python",
  .uses_secret = TRUE,
  .render = render_python_smtplib,
};

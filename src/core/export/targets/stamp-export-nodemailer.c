/* stamp-export-nodemailer.c
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

/* A Node.js module with a Nodemailer transport for the account: require
 * it from an app, or run it to sign in and send a test message. */


static void
append_token_function (GString            *out,
                       const char * const *argv)
{
  g_autofree char *program = stamp_export_js_string (argv[0]);

  g_string_append_printf (out,
                          "// Stamp keeps the sign-in and prints an access token with at least five\n"
                          "// minutes left, refreshing it first when needed.\n"
                          "function accessToken() {\n"
                          "  return execFileSync(%s, [", program);
  for (guint i = 1; argv[i] != NULL; i++)
    {
      g_autofree char *arg = stamp_export_js_string (argv[i]);

      g_string_append_printf (out, "%s%s", i > 1 ? ", " : "", arg);
    }
  g_string_append (out,
                   "], { encoding: \"utf8\" }).trim();\n"
                   "}\n\n");
}

static const char *
auth_method (StampAccount *account)
{
  switch (stamp_account_get_auth_mechanism (account))
    {
    case STAMP_AUTH_PLAIN:
      return "PLAIN";
    case STAMP_AUTH_LOGIN:
      return "LOGIN";
    case STAMP_AUTH_AUTO:
    case STAMP_AUTH_NONE:
    case STAMP_AUTH_XOAUTH2:
    case STAMP_AUTH_OAUTHBEARER:
    default:
      return NULL;
    }
}

static void
append_auth (GString            *out,
             StampExportContext *context,
             StampExportResult  *result)
{
  StampExportAuth auth = stamp_export_context_get_auth (context);
  g_autofree char *user = stamp_export_js_string (stamp_export_username (context));

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_string_append_printf (out,
                              "  auth: {\n"
                              "    type: \"OAuth2\",\n"
                              "    user: %s,\n"
                              "    // Nodemailer asks for a token before signing in, when the last one is\n"
                              "    // four minutes old, and when the server refused one.\n"
                              "    provisionCallback: (user, renew, callback) => {\n"
                              "      try {\n"
                              "        callback(null, accessToken(), Date.now() + 4 * 60 * 1000);\n"
                              "      } catch (err) {\n"
                              "        callback(err);\n"
                              "      }\n"
                              "    },\n"
                              "  },\n",
                              user);
    }
  else if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    {
      g_autofree char *pass = NULL;

      if (stamp_export_context_get_secret (context) != NULL)
        pass = stamp_export_js_string (stamp_export_secret_or_placeholder (context, result));
      else
        pass = g_strdup ("process.env." STAMP_EXPORT_PASSWORD_VARIABLE);
      g_string_append_printf (out,
                              "  auth: {\n"
                              "    user: %s,\n"
                              "    pass: %s,\n"
                              "  },\n",
                              user, pass);
    }
}

static gboolean
render_nodemailer (StampExportContext  *context,
                   StampExportResult   *result,
                   GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  const char *display_name = stamp_account_get_display_name (account);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  const char *method = auth_method (account);
  StampSecurity security = stamp_account_get_security (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  gboolean has_ca = ca_file != NULL && *ca_file != '\0';
  gboolean from_env = stamp_export_leaves_out_password (context);
  g_autofree char *host = stamp_export_js_string (stamp_account_get_host (account));
  g_autofree char *js_address = stamp_export_js_string (address);
  g_autofree char *ready = NULL;
  g_autofree char *js_ready = NULL;
  g_auto(GStrv) argv = NULL;
  GString *out;

  if (auth == STAMP_EXPORT_AUTH_OAUTH && (argv = stamp_export_token_argv (context, error)) == NULL)
    return FALSE;

  out = g_string_new (NULL);
  g_string_append_printf (out,
                          "// Nodemailer settings for %s, made by Stamp.\n"
                          "// Install: npm install nodemailer\n",
                          address);
  stamp_export_append_graph_comment (out, context, "//", "Nodemailer");
  stamp_export_append_sign_in_comment (out, context, "//");
  g_string_append (out,
                   "// Use it:  const { transporter, from } = require(\"./mailer\");\n"
                   "// Try it:  node mailer.js you@example.com\n"
                   "\"use strict\";\n\n");

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append (out, "const { execFileSync } = require(\"child_process\");\n");
  if (has_ca)
    g_string_append (out, "const fs = require(\"fs\");\n");
  g_string_append (out, "const nodemailer = require(\"nodemailer\");\n\n");

  if (display_name != NULL && *display_name != '\0')
    {
      g_autofree char *name = stamp_export_js_string (display_name);

      g_string_append_printf (out, "const from = { name: %s, address: %s };\n\n",
                              name, js_address);
    }
  else
    g_string_append_printf (out, "const from = %s;\n\n", js_address);

  if (from_env)
    {
      g_autofree char *message = g_strdup_printf ("Set " STAMP_EXPORT_PASSWORD_VARIABLE " to the password of %s",
                                                  address);
      g_autofree char *js_message = stamp_export_js_string (message);

      g_string_append_printf (out,
                              "if (!process.env." STAMP_EXPORT_PASSWORD_VARIABLE ") {\n"
                              "  throw new Error(%s);\n"
                              "}\n\n",
                              js_message);
    }
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    append_token_function (out, (const char * const *) argv);

  g_string_append_printf (out,
                          "const transporter = nodemailer.createTransport({\n"
                          "  host: %s,\n"
                          "  port: %u,\n",
                          host, stamp_account_get_effective_port (account));
  switch (security)
    {
    case STAMP_SECURITY_TLS:
      g_string_append (out, "  secure: true, // TLS from the first byte\n");
      break;
    case STAMP_SECURITY_NONE:
      g_string_append (out, "  secure: false,\n"
                            "  ignoreTLS: true, // no encryption, as set up in Stamp\n");
      break;
    case STAMP_SECURITY_STARTTLS:
    default:
      g_string_append (out, "  secure: false,\n"
                            "  requireTLS: true, // STARTTLS, and never without it\n");
      break;
    }
  if (has_ca)
    {
      g_autofree char *path = stamp_export_js_string (ca_file);

      g_string_append_printf (out, "  tls: { ca: fs.readFileSync(%s) },\n", path);
    }
  if (ehlo_name != NULL && *ehlo_name != '\0')
    {
      g_autofree char *name = stamp_export_js_string (ehlo_name);

      g_string_append_printf (out, "  name: %s, // the EHLO name\n", name);
    }
  if (method != NULL)
    g_string_append_printf (out, "  authMethod: \"%s\",\n", method);
  append_auth (out, context, result);
  g_string_append (out, "});\n\n");

  ready = g_strdup_printf ("%s %s", auth == STAMP_EXPORT_AUTH_NONE ? "Connected to" : "Signed in to",
                           stamp_account_get_host (account));
  js_ready = stamp_export_js_string (ready);
  g_string_append_printf (out,
                          "module.exports = { transporter, from };\n\n"
                          "// node mailer.js [RECIPIENT]: checks the connection, then sends a test message.\n"
                          "if (require.main === module) {\n"
                          "  (async () => {\n"
                          "    await transporter.verify();\n"
                          "    console.log(%s);\n"
                          "    const to = process.argv[2];\n"
                          "    if (to) {\n"
                          "      const info = await transporter.sendMail({\n"
                          "        from,\n"
                          "        to,\n"
                          "        subject: \"Test from Nodemailer\",\n"
                          "        text: \"Sent with Nodemailer, set up by Stamp.\",\n"
                          "      });\n"
                          "      console.log(\"Sent: \" + info.messageId);\n"
                          "    }\n"
                          "  })().catch((err) => {\n"
                          "    console.error(err.message);\n"
                          "    process.exit(1);\n"
                          "  });\n"
                          "}\n",
                          js_ready);

  stamp_export_add_code_notes (result, context);
  if (stamp_account_get_auth_mechanism (account) == STAMP_AUTH_OAUTHBEARER)
    stamp_export_result_add_note (result, _("Nodemailer signs in with XOAUTH2, not OAUTHBEARER; "
                                            "the server must offer it"));

  stamp_export_result_take_text (result, out);
  return TRUE;
}

const StampExporterSpec stamp_export_nodemailer = {
  .id = "nodemailer",
  .title = N_("Nodemailer"),
  .description = N_("A Node.js module with a Nodemailer transport for this account"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "mailer.js",
  .mime_type = "text/javascript",
  .uses_secret = TRUE,
  .render = render_nodemailer,
};

/* stamp-export-phpmailer.c
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

/* A PHP file with a function that returns a PHPMailer (v6 or newer) set up
 * for the account; run with php, it sends a test message. */


/* PHPMailer asks for the whole XOAUTH2 string, base64-encoded, at every
 * sign-in; escapeshellarg() because exec() goes through the shell. */
static void
append_token_provider (GString            *out,
                       const char         *user,
                       const char * const *argv)
{
  g_autofree char *user_part = g_strdup_printf ("user=%s", user);
  g_autofree char *php_user_part = stamp_export_php_string (user_part);

  g_string_append (out,
                   "// Gives PHPMailer the XOAUTH2 sign-in at every connection. Stamp keeps the\n"
                   "// sign-in and prints an access token with at least five minutes left.\n"
                   "final class StampTokenProvider implements OAuthTokenProvider\n"
                   "{\n"
                   "    private const COMMAND = [");
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *arg = stamp_export_php_string (argv[i]);

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", arg);
    }
  g_string_append_printf (out,
                          "];\n\n"
                          "    public function getOauth64(): string\n"
                          "    {\n"
                          "        exec(implode(' ', array_map('escapeshellarg', self::COMMAND)), $output, $status);\n"
                          "        $token = trim($output[0] ?? '');\n"
                          "        if ($status !== 0 || $token === '') {\n"
                          "            throw new Exception('stamp-cli token gave no access token');\n"
                          "        }\n"
                          "        return base64_encode(%s . \"\\x01auth=Bearer \" . $token . \"\\x01\\x01\");\n"
                          "    }\n"
                          "}\n\n",
                          php_user_part);
}

static void
append_auth (GString            *out,
             StampExportContext *context,
             StampExportResult  *result)
{
  StampAccount *account = stamp_export_context_get_account (context);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  g_autofree char *user = stamp_export_php_string (stamp_export_username (context));

  if (auth == STAMP_EXPORT_AUTH_NONE)
    {
      g_string_append (out, "    $mail->SMTPAuth = false;\n");
      return;
    }

  g_string_append (out, "    $mail->SMTPAuth = true;\n");
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_string_append_printf (out,
                              "    $mail->AuthType = 'XOAUTH2';\n"
                              "    $mail->Username = %s;\n"
                              "    $mail->setOAuth(new StampTokenProvider());\n",
                              user);
      return;
    }

  if (stamp_account_get_auth_mechanism (account) == STAMP_AUTH_LOGIN)
    g_string_append (out, "    $mail->AuthType = 'LOGIN';\n");
  else if (stamp_account_get_auth_mechanism (account) == STAMP_AUTH_PLAIN)
    g_string_append (out, "    $mail->AuthType = 'PLAIN';\n");
  g_string_append_printf (out, "    $mail->Username = %s;\n", user);

  if (stamp_export_context_get_secret (context) != NULL)
    {
      g_autofree char *password = stamp_export_php_string (stamp_export_secret_or_placeholder (context, result));

      g_string_append_printf (out, "    $mail->Password = %s;\n", password);
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("Set " STAMP_EXPORT_PASSWORD_VARIABLE " to the password of %s",
                                                  stamp_account_get_address (account));
      g_autofree char *php_message = stamp_export_php_string (message);

      g_string_append_printf (out,
                              "    $password = getenv('" STAMP_EXPORT_PASSWORD_VARIABLE "');\n"
                              "    if ($password === false || $password === '') {\n"
                              "        throw new RuntimeException(%s);\n"
                              "    }\n"
                              "    $mail->Password = $password;\n",
                              php_message);
    }
}

static gboolean
render_phpmailer (StampExportContext  *context,
                  StampExportResult   *result,
                  GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  const char *display_name = stamp_account_get_display_name (account);
  const char *ca_file = stamp_account_get_ca_file (account);
  const char *ehlo_name = stamp_account_get_ehlo_name (account);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  gboolean from_env = stamp_export_leaves_out_password (context);
  g_autofree char *host = stamp_export_php_string (stamp_account_get_host (account));
  g_autofree char *php_address = stamp_export_php_string (address);
  g_auto(GStrv) argv = NULL;
  GString *out;

  if (auth == STAMP_EXPORT_AUTH_OAUTH && (argv = stamp_export_token_argv (context, error)) == NULL)
    return FALSE;

  out = g_string_new (NULL);
  /* OAuthTokenProvider came with PHPMailer 6.6. */
  g_string_append_printf (out,
                          "<?php\n"
                          "// PHPMailer settings for %s, made by Stamp.\n"
                          "// Install: composer require phpmailer/phpmailer%s\n",
                          address, auth == STAMP_EXPORT_AUTH_OAUTH ? " (6.6 or newer)" : "");
  stamp_export_append_graph_comment (out, context, "//", "PHPMailer");
  if (from_env)
    g_string_append (out,
                     "// The password comes from the " STAMP_EXPORT_PASSWORD_VARIABLE " environment variable (PHP-FPM:\n"
                     "// env[" STAMP_EXPORT_PASSWORD_VARIABLE "] in the pool's settings; Apache: SetEnv).\n");
  else if (auth == STAMP_EXPORT_AUTH_PASSWORD)
    g_string_append (out,
                     "// This holds the password: keep it readable only by the web server's user\n"
                     "// (chmod 600), outside the web root and out of version control.\n");
  else if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append (out,
                     "// Access tokens come from Stamp (stamp-cli), signed in as the user that\n"
                     "// runs this.\n");
  else
    g_string_append (out, "// No sign-in: the server lets this machine send without one.\n");
  g_string_append (out,
                   "// Use it:  require_once 'mailer.php'; $mail = stamp_mailer();\n"
                   "// Try it:  php mailer.php you@example.com\n\n"
                   "declare(strict_types=1);\n\n"
                   "require_once __DIR__ . '/vendor/autoload.php';\n\n");

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    g_string_append (out,
                     "use PHPMailer\\PHPMailer\\Exception;\n"
                     "use PHPMailer\\PHPMailer\\OAuthTokenProvider;\n");
  g_string_append (out, "use PHPMailer\\PHPMailer\\PHPMailer;\n\n");

  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    append_token_provider (out, stamp_export_username (context), (const char * const *) argv);

  g_string_append_printf (out,
                          "function stamp_mailer(): PHPMailer\n"
                          "{\n"
                          "    $mail = new PHPMailer(true);  // errors throw\n"
                          "    $mail->isSMTP();\n"
                          "    $mail->Host = %s;\n"
                          "    $mail->Port = %u;\n",
                          host, stamp_account_get_effective_port (account));
  switch (stamp_account_get_security (account))
    {
    case STAMP_SECURITY_TLS:
      g_string_append (out, "    $mail->SMTPSecure = PHPMailer::ENCRYPTION_SMTPS;  // TLS from the first byte\n");
      break;
    case STAMP_SECURITY_NONE:
      g_string_append (out,
                       "    $mail->SMTPSecure = '';\n"
                       "    $mail->SMTPAutoTLS = false;  // no encryption, as set up in Stamp\n");
      break;
    case STAMP_SECURITY_STARTTLS:
    default:
      g_string_append (out, "    $mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;\n");
      break;
    }
  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autofree char *path = stamp_export_php_string (ca_file);

      g_string_append_printf (out, "    $mail->SMTPOptions = ['ssl' => ['cafile' => %s]];\n", path);
    }
  if (ehlo_name != NULL && *ehlo_name != '\0')
    {
      g_autofree char *name = stamp_export_php_string (ehlo_name);

      g_string_append_printf (out, "    $mail->Helo = %s;\n", name);
    }
  append_auth (out, context, result);
  g_string_append (out,
                   "    $mail->Timeout = 30;\n"
                   "    $mail->CharSet = 'UTF-8';\n");
  if (display_name != NULL && *display_name != '\0')
    {
      g_autofree char *name = stamp_export_php_string (display_name);

      g_string_append_printf (out, "    $mail->setFrom(%s, %s);\n", php_address, name);
    }
  else
    g_string_append_printf (out, "    $mail->setFrom(%s);\n", php_address);
  g_string_append (out,
                   "    return $mail;\n"
                   "}\n\n");

  g_string_append (out,
                   "// php mailer.php RECIPIENT: sends a test message.\n"
                   "if (PHP_SAPI === 'cli' && realpath($_SERVER['argv'][0] ?? '') === __FILE__) {\n"
                   "    if (!isset($argv[1])) {\n"
                   "        fwrite(STDERR, \"usage: php mailer.php RECIPIENT\\n\");\n"
                   "        exit(2);\n"
                   "    }\n"
                   "    try {\n"
                   "        $mail = stamp_mailer();\n"
                   "        $mail->addAddress($argv[1]);\n"
                   "        $mail->Subject = 'Test from PHPMailer';\n"
                   "        $mail->Body = 'Sent with PHPMailer, set up by Stamp.';\n"
                   "        $mail->send();\n"
                   "    } catch (Throwable $e) {\n"
                   "        fwrite(STDERR, $e->getMessage() . \"\\n\");\n"
                   "        exit(1);\n"
                   "    }\n"
                   "    echo \"Sent.\\n\";\n"
                   "}\n");

  stamp_export_add_code_notes (result, context);
  if (stamp_account_get_auth_mechanism (account) == STAMP_AUTH_OAUTHBEARER)
    stamp_export_result_add_note (result, _("PHPMailer signs in with XOAUTH2, not OAUTHBEARER; "
                                            "the server must offer it"));

  stamp_export_result_take_text (result, out);
  return TRUE;
}

const StampExporterSpec stamp_export_phpmailer = {
  .id = "phpmailer",
  .title = N_("PHPMailer"),
  .description = N_("A PHP function that returns a PHPMailer set up for this account"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "mailer.php",
  .mime_type = "application/x-php",
  .uses_secret = TRUE,
  .render = render_phpmailer,
};

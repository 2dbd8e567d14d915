/* stamp-cli-send.c
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

#include <glib/gi18n.h>
#include "stamp-core.h"
#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-send-private.h"
#include "stamp-cli-wait.h"


static void
step_finished_cb (StampSmtpClient *client,
                  StampSmtpStep   *step,
                  SendRun         *run)
{
  if (!run->json)
    stamp_cli_print_step (step);
}

/* An attempt starts. */
static void
result_changed_cb (StampSmtpClient *client,
                   GParamSpec      *pspec,
                   SendRun         *run)
{
  StampSmtpResult *result = stamp_smtp_client_get_result (client);
  const StampSmtpSettings *settings = stamp_smtp_result_get_settings (result);

  if (run->json)
    return;

  g_print (_("Sending a test message from %s to %s through %s port %u…\n"),
           run->from, run->to, stamp_smtp_settings_get_host (settings),
           stamp_smtp_settings_get_port (settings));

  if (run->show_transcript)
    g_signal_connect (stamp_smtp_result_get_transcript (result), "items-changed",
                      G_CALLBACK (stamp_cli_print_new_transcript_lines), run);
}


static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static void
add_explanations (JsonBuilder *builder,
                  const char  *member,
                  GPtrArray   *explanations)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; explanations != NULL && i < explanations->len; i++)
    json_builder_add_value (builder, stamp_explanation_to_json (g_ptr_array_index (explanations, i)));
  json_builder_end_array (builder);
}

static JsonNode *
build_result (SendRun *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  StampSmtpResult *result = run->result;
  const StampSmtpSettings *settings = stamp_smtp_result_get_settings (result);
  GListModel *steps = stamp_smtp_result_get_steps (result);
  const char * const *certificates = stamp_smtp_result_get_tls_certificates (result);
  StampSmtpStep *failed_step = stamp_smtp_result_get_failed_step (result);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, run->error == NULL);
  stamp_cli_json_add_string (builder, "method", run->graph_url != NULL ? "graph" : "smtp");
  if (run->graph_url != NULL)
    stamp_cli_json_add_string (builder, "graph_url", run->graph_url);
  if (settings != NULL)
    {
      StampSecurity security = stamp_smtp_settings_get_security (settings);
      StampAuthMechanism used = stamp_smtp_result_get_used_mechanism (result);

      stamp_cli_json_add_string (builder, "host", stamp_smtp_settings_get_host (settings));
      stamp_cli_json_add_int (builder, "port", stamp_smtp_settings_get_port (settings));
      stamp_cli_json_add_string (builder, "security", stamp_security_to_string (security));
      stamp_cli_json_add_string (builder, "mechanism", stamp_auth_mechanism_to_string (used));
    }

  json_builder_set_member_name (builder, "tls");
  if (stamp_smtp_result_get_tls_version (result) == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "version", stamp_smtp_result_get_tls_version (result));
      stamp_cli_json_add_string (builder, "cipher", stamp_smtp_result_get_tls_cipher (result));
      json_builder_set_member_name (builder, "certificates");
      json_builder_begin_array (builder);
      for (guint i = 0; certificates != NULL && certificates[i] != NULL; i++)
        json_builder_add_string_value (builder, certificates[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(StampSmtpStep) step = g_list_model_get_item (steps, i);

      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "step", enum_nick (STAMP_TYPE_SMTP_STEP_KIND,
                                              stamp_smtp_step_get_kind (step)));
      stamp_cli_json_add_string (builder, "title", stamp_smtp_step_get_title (step));
      stamp_cli_json_add_string (builder, "state", enum_nick (STAMP_TYPE_STEP_STATE,
                                               stamp_smtp_step_get_state (step)));
      stamp_cli_json_add_int (builder, "duration_us", stamp_smtp_step_get_duration (step));
      stamp_cli_json_add_string (builder, "detail", stamp_smtp_step_get_detail (step));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  stamp_cli_add_reply (builder, "reply", stamp_smtp_result_get_reply (result));

  json_builder_set_member_name (builder, "explanation");
  if (run->explanation != NULL)
    json_builder_add_value (builder, stamp_explanation_to_json (run->explanation));
  else
    json_builder_add_null_value (builder);
  add_explanations (builder, "preflight", run->preflight);

  json_builder_set_member_name (builder, "error");
  if (run->error == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "code", stamp_error_get_nick (run->error));
      stamp_cli_json_add_string (builder, "message", run->error->message);
      stamp_cli_json_add_string (builder, "step", failed_step != NULL
                                   ? enum_nick (STAMP_TYPE_SMTP_STEP_KIND,
                                                stamp_smtp_step_get_kind (failed_step))
                                   : NULL);
      stamp_cli_add_reply (builder, "reply", stamp_smtp_result_get_failure_reply (result));
      json_builder_end_object (builder);
    }

  stamp_cli_json_add_int (builder, "round_trips", stamp_smtp_result_get_round_trips (result));
  stamp_cli_json_add_int (builder, "elapsed_us", stamp_smtp_result_get_elapsed (result));

  if (run->show_transcript)
    {
      StampTranscript *transcript = stamp_smtp_result_get_transcript (result);

      json_builder_set_member_name (builder, "transcript");
      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (transcript)); i++)
        {
          g_autoptr(StampTranscriptLine) line =
            g_list_model_get_item (G_LIST_MODEL (transcript), i);
          g_autofree char *text = stamp_transcript_line_format (line);

          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
default_str (char       **value,
             const char  *fallback)
{
  if (*value == NULL && fallback != NULL)
    *value = g_strdup (fallback);
}

/* Fills every option the person did not give from the saved account. */
static void
apply_account (StampAccount  *account,
               char         **host,
               int           *port,
               char         **security,
               char         **tls_min,
               char         **auth,
               char         **user,
               char         **ca_file,
               char         **ehlo_name,
               char         **from,
               char         **to)
{
  default_str (host, stamp_account_get_host (account));
  default_str (security, stamp_security_to_string (stamp_account_get_security (account)));
  default_str (tls_min, stamp_tls_version_to_string (stamp_account_get_tls_min (account)));
  default_str (auth, stamp_auth_mechanism_to_string (stamp_account_get_auth_mechanism (account)));
  default_str (user, stamp_account_get_sign_in_name (account));
  default_str (ca_file, stamp_account_get_ca_file (account));
  default_str (ehlo_name, stamp_account_get_ehlo_name (account));
  default_str (from, stamp_account_get_address (account));
  default_str (to, stamp_account_get_address (account));
  if (*port == 0)
    *port = stamp_account_get_effective_port (account);
}

static void
retrying_cb (StampAccountSend *send,
             gpointer          user_data)
{
  g_print ("%s\n", _("The server refused the stored token; trying once more with a new one…"));
}

/* The settings' traps, found before connecting (stamp-preflight.c): a
 * blocking one ends the command with its explanation, the others are
 * printed as notes, or go into the JSON result. Without a @secret given
 * here, a saved account signs in with what the keyring holds for its
 * mechanism. */
static gboolean
run_preflight (SendRun                  *run,
               const StampSmtpSettings  *settings,
               StampAccount             *account,
               const char               *secret,
               gboolean                  is_token,
               gboolean                  allow_plaintext,
               GError                  **error)
{
  StampPreflightSettings check = { NULL };
  StampAuthMechanism auth = stamp_smtp_settings_get_auth_mechanism (settings);
  const char *user = stamp_smtp_settings_get_username (settings);
  gboolean ok;

  check.host = stamp_smtp_settings_get_host (settings);
  check.port = stamp_smtp_settings_get_port (settings);
  check.security = stamp_smtp_settings_get_security (settings);
  check.signs_in = auth != STAMP_AUTH_NONE && (secret != NULL || account != NULL);
  check.uses_password = secret != NULL ? !is_token : !stamp_auth_mechanism_is_oauth (auth);
  check.provider_id = account != NULL ? stamp_account_get_provider_id (account) : NULL;
  check.user = user != NULL ? user : run->from;
  check.from = run->from;
  check.allow_plaintext = allow_plaintext;

  ok = stamp_preflight_check (&check, &run->preflight, error);
  if (!ok || run->json)
    return ok;

  for (guint i = 0; i < run->preflight->len; i++)
    {
      g_autofree char *text = stamp_explanation_to_text (g_ptr_array_index (run->preflight, i));

      g_printerr (_("Note before sending: %s\n"), text);
    }

  return TRUE;
}

/* Settings that must not be used: nothing was sent, and the explanation
 * says why. */
static int
refuse_settings (SendRun *run,
                 GError  *error)
{
  StampExplanation *explanation = run->preflight->len > 0 ? g_ptr_array_index (run->preflight, 0)
                                                          : NULL;

  if (run->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, FALSE);
      add_explanations (builder, "preflight", run->preflight);
      json_builder_set_member_name (builder, "explanation");
      if (explanation != NULL)
        json_builder_add_value (builder, stamp_explanation_to_json (explanation));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "code", stamp_error_get_nick (error));
      stamp_cli_json_add_string (builder, "message", error->message);
      stamp_cli_json_add_string (builder, "step", "preflight");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      stamp_cli_print_json (root);
    }
  else
    {
      g_printerr ("stamp-cli send: %s\n", error->message);
      if (explanation != NULL)
        {
          g_autofree char *text = stamp_explanation_to_text (explanation);

          g_print ("\n%s", text);
        }
    }

  return stamp_cli_exit_for_error (error);
}

static StampProvider *
account_provider (StampAccount *account)
{
  const char *id = account != NULL ? stamp_account_get_provider_id (account) : NULL;

  return id != NULL ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (), id) : NULL;
}

static StampExplanation *
explain_failure (SendRun      *run,
                 StampAccount *account,
                 const char   *from)
{
  StampDiagnosisQuery context = { NULL };
  const StampSmtpSettings *settings = stamp_smtp_result_get_settings (run->result);
  const char *user = settings != NULL ? stamp_smtp_settings_get_username (settings) : NULL;
  g_autoptr(GUri) graph_uri = NULL;

  context.provider_id = account != NULL ? stamp_account_get_provider_id (account) : NULL;
  if (settings != NULL)
    {
      context.host = stamp_smtp_settings_get_host (settings);
      context.port = stamp_smtp_settings_get_port (settings);
    }
  else if (run->graph_url != NULL
           && (graph_uri = g_uri_parse (run->graph_url, G_URI_FLAGS_NONE, NULL)) != NULL)
    context.host = g_uri_get_host (graph_uri);
  if (user == NULL)
    user = run->mailbox;
  context.address = user != NULL && strchr (user, '@') != NULL ? user
                    : account != NULL ? stamp_account_get_address (account) : from;
  context.from = from;

  return stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), run->error,
                                          stamp_smtp_result_get_failure_reply (run->result),
                                          &context);
}

static gboolean
write_report (SendRun       *run,
              StampAccount  *account,
              const char    *path,
              GError       **error)
{
  g_autofree char *report = stamp_report_build (run->result, run->error, run->explanation,
                                                account_provider (account));

  return g_file_set_contents (path, report, -1, error);
}

/**
 * stamp_cli_send_conclude:
 * @run: a send that ended
 * @account: (nullable): the saved account it used
 * @report_path: (nullable): --report
 *
 * Says how the send went (with the explanation of a failure), writes the
 * report, and frees what @run holds. With no attempt at all (no secret,
 * no token, a message too large to go), only the error.
 *
 * Returns: the exit status
 */
int
stamp_cli_send_conclude (SendRun      *run,
                         StampAccount *account,
                         const char   *report_path)
{
  g_autoptr(GError) error = NULL;
  int status;

  stamp_cli_send_unwatch (run);

  if (run->result == NULL)
    {
      g_autoptr(GError) owned = g_steal_pointer (&run->error);

      g_clear_pointer (&run->preflight, g_ptr_array_unref);
      g_printerr ("stamp-cli send: %s\n", owned->message);
      if (account != NULL
          && (g_error_matches (owned, STAMP_ERROR, STAMP_ERROR_OAUTH_CONSENT)
              || g_error_matches (owned, STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED)))
        g_printerr (_("Sign in again with: stamp-cli login %s\n"),
                    stamp_account_get_address (account));
      return stamp_cli_exit_for_error (owned);
    }

  /* The connection advice speaks of SMTP ports; a Graph send's own error
   * says what could not be reached. */
  if (run->error != NULL
      && !(run->graph_url != NULL
           && !g_error_matches (run->error, STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED)
           && (stamp_cli_exit_for_error (run->error) == STAMP_CLI_EXIT_CONNECTION
               || stamp_cli_exit_for_error (run->error) == STAMP_CLI_EXIT_TLS)))
    run->explanation = explain_failure (run, account, run->from);

  if (run->json)
    {
      g_autoptr(JsonNode) result = build_result (run);

      stamp_cli_print_json (result);
    }
  else if (run->error == NULL && run->graph_url != NULL)
    g_print (_("Sent in %.2f s. Microsoft Graph accepted the message: 202 Accepted\n"),
             stamp_smtp_result_get_elapsed (run->result) / (double) G_USEC_PER_SEC);
  else if (run->error == NULL)
    {
      StampSmtpReply *accepted = stamp_smtp_result_get_reply (run->result);
      g_autofree char *reply = stamp_smtp_reply_to_string (accepted);

      g_print (_("Sent in %.2f s. The server accepted the message: %s\n"),
               stamp_smtp_result_get_elapsed (run->result) / (double) G_USEC_PER_SEC, reply);
    }
  else
    {
      g_printerr ("stamp-cli send: %s\n", run->error->message);
      if (run->explanation != NULL)
        {
          g_autofree char *text = stamp_explanation_to_text (run->explanation);

          g_print ("\n%s", text);
        }
    }

  if (report_path != NULL && !write_report (run, account, report_path, &error))
    g_printerr ("stamp-cli send: %s\n", error->message);

  status = run->error != NULL ? stamp_cli_exit_for_error (run->error) : STAMP_CLI_EXIT_OK;
  g_clear_object (&run->explanation);
  g_clear_pointer (&run->preflight, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_clear_object (&run->result);

  return status;
}

int
stamp_cli_send (int    argc,
                char **argv)
{
  g_autofree char *account_address = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *auth_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *tls_min_str = NULL;
  g_autofree char *ehlo_name = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *via_str = NULL;
  g_autofree char *graph_url = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *body = NULL;
  g_autoptr(StampSecret) secret = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  StampSecurity security = STAMP_SECURITY_STARTTLS;
  StampAuthMechanism auth = STAMP_AUTH_AUTO;
  StampTlsVersion tls_min = STAMP_TLS_VERSION_1_2;
  gboolean password_stdin = FALSE;
  gboolean token_stdin = FALSE;
  gboolean show_transcript = FALSE;
  gboolean json = FALSE;
  gboolean allow_plaintext = FALSE;
  gboolean is_token = FALSE;
  gboolean auth_given;
  StampSendMethod via = STAMP_SEND_METHOD_SMTP;
  int port = 0;
  int timeout = 0;
  int max_wait = -1;
  g_autoptr(StampSmtpSettings) settings = NULL;
  g_autoptr(StampAccountSend) send = NULL;
  g_autoptr(StampSmtpClient) client = NULL;
  g_autoptr(StampCliWait) wait = NULL;
  g_autoptr(StampMessage) check = NULL;
  SendRun run = { NULL };
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_address, N_("Use a saved account and its password or sign-in from the keyring (options given here override it)"), N_("ADDRESS") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Submission server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port (default: 587, or 465 with --security tls)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str, N_("starttls (default), tls or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name to sign in with (default: the sender); with Microsoft Graph, the mailbox the token is for"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input (or set STAMP_PASSWORD)"), NULL },
    { "oauth-token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin, N_("Read an OAuth access token from standard input"), NULL },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth_str, N_("auto (default), plain, login, xoauth2, oauthbearer or none"), N_("METHOD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Sender address"), N_("ADDRESS") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Recipient address"), N_("ADDRESS") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("Subject of the test message"), N_("TEXT") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the authorities in this PEM file"), N_("FILE") },
    { "tls-min", 0, 0, G_OPTION_ARG_STRING, &tls_min_str, N_("Lowest TLS version to accept: 1.0, 1.1, 1.2 (default) or 1.3"), N_("VERSION") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Deadline in seconds for connecting and for each reply (default: 15 and 30)"), N_("SECONDS") },
    { "ehlo-name", 0, 0, G_OPTION_ARG_STRING, &ehlo_name, N_("Name to introduce this computer with in EHLO"), N_("NAME") },
    { "via", 0, 0, G_OPTION_ARG_STRING, &via_str, N_("smtp, or graph to send through Microsoft Graph (default: the account’s method, else smtp)"), N_("METHOD") },
    { "graph-url", 0, 0, G_OPTION_ARG_STRING, &graph_url, N_("Microsoft Graph base URL (default: the account’s, or https://graph.microsoft.com/v1.0)"), N_("URL") },
    { "max-wait", 0, 0, G_OPTION_ARG_INT, &max_wait, N_("With a one-off Microsoft Graph send: the longest wait asked for with Retry-After that is waited out before trying again (default: 30; 0: never)"), N_("SECONDS") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("Send this file’s text as the message body (not with --account)"), N_("FILE") },
    { "transcript", 'v', 0, G_OPTION_ARG_NONE, &show_transcript, N_("Show the protocol transcript (secrets are hidden)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object with the result"), NULL },
    { "allow-plaintext", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext, N_("With --security none, sign in to another computer all the same (the secret can be read on the network)"), NULL },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_path, N_("Also write a diagnostic report (Markdown, no secrets) for a help desk"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("— send a test message through an SMTP server or "
                                    "Microsoft Graph"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Exit status: 0 sent; 1 other failure; 2 usage; 3 connection (name, port, timeout);\n"
      "4 TLS (encryption, certificate); 5 sign-in; 6 refused by the server; 130 interrupted.\n"
      "\n"
      "The password never goes on the command line: pipe it with --password-stdin,\n"
      "set STAMP_PASSWORD, or keep it in the keyring with “stamp-cli login”.\n"
      "\n"
      "An account set to send through Microsoft Graph does so; for a one-off send, use\n"
      "--via graph --oauth-token-stdin --from ADDRESS --to ADDRESS."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("send", "%s", error->message);

  if (argc > 1)
    return stamp_cli_usage_error ("send", _("Unexpected argument “%s”"), argv[1]);
  if (via_str != NULL && !stamp_cli_parse_send_method (via_str, &via))
    return stamp_cli_usage_error ("send", _("Unknown way to send “%s”; use smtp or graph"),
                                  via_str);
  if (timeout < 0)
    return stamp_cli_usage_error ("send", _("The timeout must be a positive number of seconds"));
  if (max_wait < -1)
    return stamp_cli_usage_error ("send",
                                  _("The longest wait must be a positive number of seconds"));
  if (body_file != NULL && account_address != NULL)
    return stamp_cli_usage_error ("send", _("--body-file does not go with --account"));
  if (body_file != NULL && !g_file_get_contents (body_file, &body, NULL, &error))
    return stamp_cli_usage_error ("send", "%s", error->message);

  if (account_address != NULL)
    {
      account = stamp_cli_lookup_account (account_address, &error);
      if (account == NULL)
        return stamp_cli_usage_error ("send", "%s", error->message);
      /* --via tries the other method without changing the saved account. */
      if (via_str != NULL)
        stamp_account_set_method (account, via);
      else
        via = stamp_account_get_method (account);
    }

  if (via == STAMP_SEND_METHOD_GRAPH)
    {
      SendGraphOptions options = { NULL };

      if (host != NULL || port != 0 || security_str != NULL || tls_min_str != NULL
          || ehlo_name != NULL || ca_file != NULL || allow_plaintext || auth_str != NULL)
        return stamp_cli_usage_error ("send", _("--host, --port, --security, --tls-min, "
                                                "--ca-file, --ehlo-name, --auth and "
                                                "--allow-plaintext are for SMTP; Microsoft Graph "
                                                "takes none of them"));
      if (password_stdin)
        return stamp_cli_usage_error ("send", _("Microsoft Graph takes an OAuth access token "
                                                "(--oauth-token-stdin or a signed-in --account), "
                                                "not a password"));
      if (account != NULL && max_wait != -1)
        return stamp_cli_usage_error ("send", _("--max-wait goes with a one-off send "
                                                "(--oauth-token-stdin), not with --account"));
      if (account == NULL && !token_stdin)
        return stamp_cli_usage_error ("send", _("Sending through Microsoft Graph needs "
                                                "--oauth-token-stdin, or --account for a "
                                                "signed-in account"));
      if (account != NULL && !stamp_cli_check_graph (account, &error))
        return stamp_cli_usage_error ("send", "%s", error->message);
      if (account != NULL)
        {
          default_str (&from, stamp_account_get_address (account));
          default_str (&to, stamp_account_get_address (account));
        }
      if (from == NULL || to == NULL)
        return stamp_cli_usage_error ("send", _("--from and --to are required (or --account)"));

      check = stamp_message_new_test (from, to, subject, "");
      if (!stamp_message_validate (check, &error))
        return stamp_cli_usage_error ("send", "%s", error->message);
      if (graph_url != NULL && !stamp_graph_url_validate (graph_url, &error))
        return stamp_cli_usage_error ("send", "%s", error->message);

      if (token_stdin)
        {
          secret = stamp_cli_read_secret (stdin, &error);
          if (secret == NULL)
            return stamp_cli_usage_error ("send", "%s", error->message);
        }

      run.from = from;
      run.to = to;
      run.mailbox = user;
      run.json = json;
      run.show_transcript = show_transcript;
      options.account = account;
      options.token = secret;
      options.graph_url = graph_url;
      options.subject = subject;
      options.body = body;
      options.report_path = report_path;
      options.timeout = timeout;
      options.max_wait = max_wait;

      return stamp_cli_send_graph (&run, &options);
    }

  if (graph_url != NULL || max_wait != -1)
    return stamp_cli_usage_error ("send", _("--graph-url and --max-wait go with Microsoft Graph "
                                            "(--via graph, or an account that sends through it)"));

  auth_given = auth_str != NULL;
  if (account != NULL)
    apply_account (account, &host, &port, &security_str, &tls_min_str, &auth_str, &user,
                   &ca_file, &ehlo_name, &from, &to);
  if (host == NULL || from == NULL || to == NULL)
    return stamp_cli_usage_error ("send", _("--host, --from and --to are required (or --account)"));
  if (security_str != NULL && !stamp_security_from_string (security_str, &security))
    return stamp_cli_usage_error ("send", _("Unknown security “%s”"), security_str);
  if (auth_str != NULL && !stamp_auth_mechanism_from_string (auth_str, &auth))
    return stamp_cli_usage_error ("send", _("Unknown sign-in method “%s”"), auth_str);
  if (tls_min_str != NULL && !stamp_tls_version_from_string (tls_min_str, &tls_min))
    return stamp_cli_usage_error ("send", _("Unknown TLS version “%s”"), tls_min_str);
  if (port < 0 || port > G_MAXUINT16)
    return stamp_cli_usage_error ("send", _("The port must be between 1 and 65535"));
  if (password_stdin && token_stdin)
    return stamp_cli_usage_error ("send", _("Give a password or a token, not both"));

  if (password_stdin || token_stdin)
    {
      secret = stamp_cli_read_secret (stdin, &error);
      if (secret == NULL)
        return stamp_cli_usage_error ("send", "%s", error->message);
      is_token = token_stdin;
    }
  else if (g_getenv ("STAMP_PASSWORD") != NULL && *g_getenv ("STAMP_PASSWORD") != '\0')
    secret = g_strdup (g_getenv ("STAMP_PASSWORD"));

  /* A saved account finds its own secret in the keyring. */
  if (account == NULL && secret == NULL && auth != STAMP_AUTH_AUTO && auth != STAMP_AUTH_NONE)
    return stamp_cli_usage_error ("send", _("Signing in needs a secret: use --password-stdin, "
                                            "--oauth-token-stdin, STAMP_PASSWORD or "
                                            "“stamp-cli login”"));

  if (!is_token)
    stamp_cli_strip_app_password (&secret);

  settings = stamp_smtp_settings_new (host, port, security);
  stamp_smtp_settings_set_auth_mechanism (settings, auth);
  stamp_smtp_settings_set_username (settings, user);
  stamp_smtp_settings_set_ca_file (settings, ca_file);
  stamp_smtp_settings_set_tls_min_version (settings, tls_min);
  stamp_smtp_settings_set_ehlo_name (settings, ehlo_name);
  if (timeout > 0)
    {
      stamp_smtp_settings_set_connect_timeout (settings, timeout);
      stamp_smtp_settings_set_reply_timeout (settings, timeout);
    }

  /* A message that cannot go out is a usage error, found before any
   * secret is looked up. */
  check = stamp_message_new_test (from, to, subject, "");
  if (!stamp_message_validate (check, &error))
    return stamp_cli_usage_error ("send", "%s", error->message);

  run.from = from;
  run.to = to;
  run.json = json;
  run.show_transcript = show_transcript;

  if (!run_preflight (&run, settings, account, secret, is_token, allow_plaintext, &error))
    {
      status = refuse_settings (&run, error);
      g_clear_pointer (&run.preflight, g_ptr_array_unref);
      return status;
    }

  wait = stamp_cli_wait_new ();

  if (account != NULL)
    {
      g_autoptr(StampCredentials) credentials =
        stamp_credentials_new (stamp_cli_get_secret_store ());

      send = stamp_account_send_new (account, credentials);
      stamp_account_send_set_settings (send, settings);
      stamp_account_send_set_secret (send, secret, is_token);
      stamp_account_send_set_any_token_mechanism (send, !auth_given);
      if (!json)
        g_signal_connect (send, "retrying", G_CALLBACK (retrying_cb), NULL);
      client = g_object_ref (stamp_account_send_get_client (send));
    }
  else
    {
      client = stamp_smtp_client_new (settings);
      if (is_token)
        stamp_smtp_client_set_oauth_token (client, secret);
      else if (auth != STAMP_AUTH_NONE)
        stamp_smtp_client_set_password (client, secret);
    }

  g_signal_connect (client, "step-finished", G_CALLBACK (step_finished_cb), &run);
  g_signal_connect (client, "notify::result", G_CALLBACK (result_changed_cb), &run);

  if (send != NULL)
    {
      stamp_account_send_run_async (send, from, to, subject,
                                    stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);
      run.result = stamp_account_send_run_finish (send, stamp_cli_wait_run (wait), &run.error);
    }
  else
    {
      g_autofree char *described = stamp_smtp_client_describe_settings (client);
      g_autoptr(StampMessage) message = body != NULL
        ? stamp_message_new (from, to, subject != NULL ? subject : _("Stamp test message"), body)
        : stamp_message_new_test (from, to, subject, described);

      stamp_smtp_client_send_async (client, message, stamp_cli_wait_get_cancellable (wait),
                                    stamp_cli_wait_cb, wait);
      run.result = stamp_smtp_client_send_finish (client, stamp_cli_wait_run (wait), &run.error);
    }
  g_signal_handlers_disconnect_by_data (client, &run);

  /* No attempt: the keyring had no secret to give, or no current token. */
  return stamp_cli_send_conclude (&run, account, report_path);
}

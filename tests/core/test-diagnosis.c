/* test-diagnosis.c
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


/* The diagnosis database: every entry is reached by a real reply or
 * failure, the most specific entry wins, and the traps are caught. */

#include "config.h"

#include <string.h>

#include "stamp-diagnosis.h"
#include "stamp-error.h"

typedef struct
{
  const char *text;       /* a reply or message, as servers and providers send them */
  const char *error;      /* or a local failure's StampError nick */
  const char *host;
  guint16     port;
  const char *expected;
} Case;

static const Case cases[] = {
  { "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR02CA0099.eurprd02.prod.outlook.com]", NULL, NULL, 0, "m365-basic-auth-disabled" },
  { "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR01CA0041.prod.exchangelabs.com]", NULL, NULL, 0, "m365-smtp-auth-disabled" },
  { "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [SN4PR0501CA0051.namprd05.prod.outlook.com]", NULL, NULL, 0, "m365-security-defaults" },
  { "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [DM6PR06CA0041.namprd06.prod.outlook.com]", NULL, NULL, 0, "m365-conditional-access" },
  { "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [LO4P123CA0123.GBRP123.PROD.OUTLOOK.COM]", NULL, NULL, 0, "m365-credentials-incorrect" },
  { "535 5.7.139 Authentication unsuccessful, account locked. [BN9PR03CA0456.namprd03.prod.outlook.com]", NULL, NULL, 0, "m365-credentials-incorrect" },
  { "535 5.7.139 Authentication unsuccessful [PAZP264CA0153.FRAP264.PROD.OUTLOOK.COM]", NULL, NULL, 0, "m365-auth-blocked" },
  { "535 5.7.3 Authentication unsuccessful [BN0PR04CA0048.namprd04.prod.outlook.com]", NULL, NULL, 0, "m365-auth-unsuccessful" },
  { "530 5.7.57 Client not authenticated to send mail. [DB8PR06CA0012.eurprd06.prod.outlook.com]", NULL, NULL, 0, "m365-client-not-authenticated" },
  { "550 5.7.60 SMTP; Client does not have permissions to send as this sender [AM6PR04MB5078.eurprd04.prod.outlook.com]", NULL, NULL, 0, "send-as-denied" },
  { "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.", NULL, NULL, 0, "m365-send-as-denied-at-data" },
  { "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message Message submission quota exceeded.", NULL, NULL, 0, "m365-submission-quota" },
  { "554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a permanent exception with message WASCL UserAction verdict is not None.", NULL, NULL, 0, "m365-outbound-spam" },
  { "554 5.2.0 Message too large", NULL, NULL, 0, "message-too-large" },
  { "552 5.3.4 Message size exceeds fixed maximum message size", NULL, NULL, 0, "message-too-large" },
  { "554 5.2.0 STOREDRV.Submission.Exception:StoragePermanentException; Failed to process message due to a permanent exception", NULL, NULL, 0, "m365-storage-error" },
  { "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653", NULL, NULL, 0, "m365-ip-blocked" },
  { "451 4.7.500 Server busy. Please try again later from [203.0.113.7]. (S77719)", NULL, NULL, 0, "m365-temporarily-restricted" },
  { "451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.", NULL, NULL, 0, "m365-temporarily-restricted" },
  { "550 5.7.501 Service unavailable. Spam abuse detected from IP range.", NULL, NULL, 0, "m365-banned-for-spam" },
  { "550 5.7.520 Access denied, Your organization does not allow external forwarding.", NULL, NULL, 0, "m365-outbound-spam-policy" },
  { "452 4.5.3 Too many recipients", NULL, NULL, 0, "too-many-recipients" },
  { "421 4.7.0 Try again later, closing connection. (EHLO) u1-20020a05600c.12 - gsmtp", NULL, NULL, 0, "server-busy" },
  { "550 5.7.1 Relay Not Permitted", NULL, NULL, 0, "relay-denied" },
  { "554 5.7.1 <bob@example.net>: Relay access denied", NULL, NULL, 0, "relay-denied" },
  { "530 5.7.0 Authentication Required. Learn more at https://support.google.com/mail/?p=WantAuthError", NULL, NULL, 0, "auth-required" },
  { "535 5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials", NULL, NULL, 0, "gmail-bad-credentials" },
  { "535 Authentication failed", NULL, NULL, 0, "credentials-refused" },
  { "550 5.7.30 Basic authentication is not supported for Client Submission", NULL, NULL, 0, "m365-basic-auth-not-supported" },
  { "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=AM0PR02MB1234.eurprd02.prod.outlook.com]", NULL, NULL, 0, "m365-sender-thread-limit" },
  { "432 4.3.2 Concurrent connections limit exceeded. Visit https://aka.ms/concurrent_sending for more information.", NULL, NULL, 0, "m365-sender-thread-limit" },
  { "554 5.2.0 STOREDRV.Submission.Exception:MessageTooBigException; Failed to process message due to a permanent exception with message Cannot submit message.", NULL, NULL, 0, "m365-message-too-big" },
  { "550 5.7.515 Access denied, sending domain example.test does not meet the required authentication level.", NULL, NULL, 0, "outlook-domain-authentication" },
  { "550 5.7.64 TenantAttribution; Relay Access Denied [SN1NAM02FT0123.eop-nam02.prod.protection.outlook.com]", NULL, NULL, 0, "m365-tenant-attribution" },
  { "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", NULL, NULL, 0, "m365-relay-not-allowed" },
  { "550 5.7.606 Access denied, banned sending IP [203.0.113.7]. To request removal from this list please visit https://sender.office.com/ and follow the directions.", NULL, NULL, 0, "m365-banned-sending-ip" },
  { "550 5.7.649 Access denied, banned sending IP [203.0.113.7]", NULL, NULL, 0, "m365-banned-sending-ip" },
  { "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains", NULL, NULL, 0, "m365-unregistered-domain" },
  { "550 5.1.8 Access denied, bad outbound sender", NULL, NULL, 0, "m365-bad-outbound-sender" },
  { "451 4.4.316 Connection refused [Message=Socket error code 10061]", NULL, NULL, 0, "next-hop-refused" },
  { "550 5.4.316 Message expired, connection refused(Socket error code 10061)", NULL, NULL, 0, "next-hop-refused" },
  { "451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation.", NULL, NULL, 0, "m365-temporarily-restricted" },
  { "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.", NULL, NULL, 0, "oauth-policy" },
  { "Some policy text", "oauth-policy", NULL, 0, "oauth-policy" },
  { "AADSTS65001: The user or administrator has not consented to use the application.", NULL, NULL, 0, "oauth-consent" },
  { "AADSTS700016: Application with identifier 'x' was not found in the directory 'contoso.com'.", NULL, NULL, 0, "oauth-app-unknown" },
  { "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", NULL, NULL, 0, "oauth-app-unknown" },
  { "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}", NULL, NULL, 0, "oauth-sign-in-needed" },
  { "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.", NULL, NULL, 0, "oauth-sign-in-needed" },
  { "This copy of Stamp has no app registration", "oauth-no-client", NULL, 0, "oauth-no-client" },
  { "Error resolving “smtp.example.invalid”: Name or service not known", "host-not-found", "smtp.example.invalid", 587, "host-not-found" },
  { "Could not connect: Connection refused", "connection-refused", "smtp.office365.com", 465, "m365-wrong-port" },
  { "Timed out", "timed-out", "smtp.office365.com", 25, "m365-wrong-port" },
  { "Could not connect: Connection timed out", "timed-out", "mail.example.com", 587, "port-587-blocked" },
  { "Could not connect: Connection refused", "connection-refused", "mail.example.com", 2525, "connection-refused" },
  { "The server did not answer within 30 seconds", "timed-out", "mail.example.com", 465, "timed-out" },
  { "No TLS version both sides accept", "tls-version", "printer-relay.example.com", 587, "tls-version-too-old" },
  { "The certificate has expired", "cert-expired", NULL, 0, "cert-expired" },
  { "The certificate is for another host", "cert-hostname", NULL, 0, "cert-hostname" },
  { "Signed by an unknown authority", "cert-unknown-issuer", NULL, 0, "cert-untrusted" },
  { "Revoked", "cert-revoked", NULL, 0, "cert-untrusted" },
  { "The server does not offer STARTTLS", "tls-required", NULL, 0, "starttls-missing" },
  { "No sign-in method in common", "auth-unsupported", NULL, 0, "auth-unsupported" },
  { "The server sent data after agreeing to STARTTLS, as in a known attack", "starttls-failed", NULL, 0, "starttls-refused" },
  { "smtp.example.com offered sign-in before encryption but not after it.", "tls-downgrade", NULL, 0, "tls-downgrade" },
  /* Microsoft Graph, as StampGraphClient words its answers */
  { "Microsoft Graph answered 401 InvalidAuthenticationToken: Lifetime validation failed, the token is expired.", "graph-refused", NULL, 0, "graph-token-refused" },
  { "Microsoft Graph answered 401 InvalidAuthenticationToken: Access token validation failure. Invalid audience.", "graph-refused", NULL, 0, "graph-token-refused" },
  { "Microsoft Graph answered 401 Unauthorized: the answer is not Graph’s error description (no body)", "graph-refused", NULL, 0, "graph-token-refused" },
  { "Microsoft Graph answered 403 ErrorAccessDenied: Access is denied. Check credentials and try again.", "graph-refused", NULL, 0, "graph-access-denied" },
  { "Microsoft Graph answered 403 ErrorSendAsDenied: The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.", "graph-refused", NULL, 0, "graph-send-as-denied" },
  { "Microsoft Graph answered 404 MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise.", "graph-refused", NULL, 0, "graph-no-mailbox" },
  { "Microsoft Graph answered 413 RequestEntityTooLarge: The maximum request length supported is 4MB.", "graph-refused", NULL, 0, "graph-request-too-large" },
  { "Microsoft Graph answered 429 TooManyRequests: Application is over its MailboxConcurrency limit.", "graph-refused", NULL, 0, "graph-throttled" },
  { "Microsoft Graph answered 503 ServiceUnavailable: The service is temporarily unavailable. Please retry later.", "graph-refused", NULL, 0, "graph-service-error" },
  { "Microsoft Graph answered 500 InternalServerError: An internal server error occurred. The operation failed.", "graph-refused", NULL, 0, "graph-service-error" },
  { "Microsoft Graph answered 502 Bad Gateway: the answer is not Graph’s error description (text/html)", "graph-refused", NULL, 0, "graph-service-error" },
  { "Microsoft Graph answered 400 ErrorInvalidRecipients: At least one recipient is not valid.", "graph-refused", NULL, 0, "graph-refused" },
  { "Microsoft Graph takes requests of at most 4 MB, and this message is 5.2 MB (7.0 MB as base64): nothing was sent", "message-too-large", NULL, 0, "graph-message-too-large" },
  /* Pasted without the error's kind, the words still find the entry. */
  { "Microsoft Graph answered 403 ErrorAccessDenied: Access is denied.", NULL, NULL, 0, "graph-access-denied" },
};

/* Settings that a pre-flight check (stamp-preflight.c) asks about. */
static const struct
{
  const char *check;
  const char *host;
  guint16     port;
  const char *provider_id;
  const char *expected;
} check_cases[] = {
  { "submission-port", "smtp.office365.com", 465, NULL, "preflight-m365-port" },
  { "submission-port", "smtp.office365.us", 25, NULL, "preflight-m365-port" },
  { "submission-port", "smtp.office365.com", 587, NULL, NULL },
  { "submission-port", "mail.example.com", 465, NULL, NULL },
  { "password-sign-in", "smtp.office365.com", 587, "microsoft365", "preflight-m365-password" },
  { "password-sign-in", "smtp-mail.outlook.com", 587, "outlook", "preflight-m365-password" },
  { "password-sign-in", "smtp.fastmail.com", 465, "fastmail", NULL },
  { "plaintext-sign-in", "mail.example.com", 25, NULL, "preflight-plaintext" },
  { "send-as", "mail.example.com", 587, NULL, "preflight-send-as" },
  /* A check never reaches the entries written for replies and errors. */
  { "timed-out", "smtp.office365.com", 465, NULL, NULL },
};

static StampExplanation *
explain_case (const Case *c)
{
  StampDiagnosisQuery context = { NULL };

  context.error = c->error;
  context.host = c->host;
  context.port = c->port;
  context.address = "alice@contoso.example";

  return stamp_diagnosis_explain_text (stamp_diagnosis_get_default (), c->text, &context);
}

/* Each real reply reaches its entry, and every entry is reached. */
static void
test_every_entry_reached (void)
{
  StampDiagnosis *diagnosis = stamp_diagnosis_get_default ();
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_entries = g_list_model_get_n_items (G_LIST_MODEL (diagnosis));

  g_assert_cmpuint (n_entries, >=, 50);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampExplanation) explanation = explain_case (&cases[i]);

      g_test_message ("%s → %s", cases[i].text,
                      explanation != NULL ? stamp_explanation_get_id (explanation) : "(none)");
      g_assert_nonnull (explanation);
      g_assert_cmpstr (stamp_explanation_get_id (explanation), ==, cases[i].expected);
      g_hash_table_add (reached, (gpointer) cases[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      StampDiagnosisQuery query = { NULL };
      g_autoptr(StampExplanation) explanation = NULL;

      query.check = check_cases[i].check;
      query.host = check_cases[i].host;
      query.port = check_cases[i].port;
      query.provider_id = check_cases[i].provider_id;
      explanation = stamp_diagnosis_explain (diagnosis, &query);
      g_test_message ("check %s on %s:%u → %s", query.check, query.host, query.port,
                      explanation != NULL ? stamp_explanation_get_id (explanation) : "(none)");
      g_assert_cmpstr (explanation != NULL ? stamp_explanation_get_id (explanation) : NULL, ==,
                       check_cases[i].expected);
      if (check_cases[i].expected != NULL)
        g_hash_table_add (reached, (gpointer) check_cases[i].expected);
    }

  for (guint i = 0; i < n_entries; i++)
    {
      g_autoptr(StampExplanation) entry = g_list_model_get_item (G_LIST_MODEL (diagnosis), i);

      if (!g_hash_table_contains (reached, stamp_explanation_get_id (entry)))
        g_error ("No test reply reaches the entry “%s”", stamp_explanation_get_id (entry));
    }
}

/* Success and unknown text explain nothing. */
static void
test_no_match (void)
{
  StampDiagnosis *diagnosis = stamp_diagnosis_get_default ();
  const char * const texts[] = {
    "250 2.0.0 OK queued", "220 smtp.example.com ESMTP", "hello", "", "5.7.139",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(StampExplanation) explanation = stamp_diagnosis_explain_text (diagnosis, texts[i], NULL);

      g_assert_null (explanation);
    }
}

/* The admin command names the mailbox and the sender. */
static void
test_command_filled (void)
{
  StampDiagnosis *diagnosis = stamp_diagnosis_get_default ();
  StampDiagnosisQuery context = { NULL };
  g_autoptr(StampExplanation) auth = NULL;
  g_autoptr(StampExplanation) send_as = NULL;
  g_autoptr(StampExplanation) unknown = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markdown = NULL;
  g_autoptr(JsonNode) json = NULL;

  context.address = "printer@contoso.example";
  context.from = "scans@contoso.example";

  auth = stamp_diagnosis_explain_text (diagnosis, "535 5.7.139 Authentication unsuccessful, "
                                       "SmtpClientAuthentication is disabled for the Tenant.", &context);
  g_assert_cmpstr (stamp_explanation_get_command (auth), ==,
                   "Set-CASMailbox -Identity printer@contoso.example -SmtpClientAuthenticationDisabled $false");
  g_assert_nonnull (stamp_explanation_get_link (auth));

  send_as = stamp_diagnosis_explain_text (diagnosis, "550 5.7.60 SMTP; Client does not have "
                                          "permissions to send as this sender", &context);
  g_assert_cmpstr (stamp_explanation_get_command (send_as), ==,
                   "Add-RecipientPermission -Identity scans@contoso.example -Trustee "
                   "printer@contoso.example -AccessRights SendAs");

  text = stamp_explanation_to_text (auth);
  g_assert_nonnull (strstr (text, "Administrator command:\n  Set-CASMailbox"));
  markdown = stamp_explanation_to_markdown (auth);
  g_assert_nonnull (strstr (markdown, "```\nSet-CASMailbox"));
  json = stamp_explanation_to_json (auth);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "id"), ==,
                   "m365-smtp-auth-disabled");

  /* Unknown addresses stay visible placeholders. */
  unknown = stamp_diagnosis_explain_text (diagnosis, "535 5.7.3 Authentication unsuccessful", NULL);
  g_assert_nonnull (strstr (stamp_explanation_get_command (unknown), "-Identity ADDRESS "));
}

/* A failure from the engine: the GError and the reply it carried. */
static void
test_explain_failure (void)
{
  const char * const lines[] = { "535 5.7.3 Authentication unsuccessful [BN0PR04CA0048]", NULL };
  g_autoptr(StampSmtpReply) reply = stamp_smtp_reply_new_from_lines (lines, NULL);
  g_autoptr(GError) auth_error = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_AUTH_FAILED, "refused");
  g_autoptr(GError) tls_error = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_TLS_VERSION, "old");
  g_autoptr(StampExplanation) by_reply = NULL;
  g_autoptr(StampExplanation) by_error = NULL;

  by_reply = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), auth_error, reply, NULL);
  g_assert_cmpstr (stamp_explanation_get_id (by_reply), ==, "m365-auth-unsuccessful");

  by_error = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), tls_error, NULL, NULL);
  g_assert_cmpstr (stamp_explanation_get_id (by_error), ==, "tls-version-too-old");
}

/* SMTP AUTH off for the tenant: the steps and the fix offer Graph. */
static void
test_graph_fix (void)
{
  StampDiagnosis *diagnosis = stamp_diagnosis_get_default ();
  StampDiagnosisQuery context = { NULL };
  const char * const offered[] = {
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.",
    "530 5.7.57 Client not authenticated to send mail.",
    "550 5.7.30 Basic authentication is not supported for Client Submission",
  };
  g_autoptr(StampExplanation) other = NULL;
  g_autoptr(JsonNode) other_json = NULL;

  context.address = "printer@contoso.example";

  for (guint i = 0; i < G_N_ELEMENTS (offered); i++)
    {
      g_autoptr(StampExplanation) explanation = stamp_diagnosis_explain_text (diagnosis, offered[i],
                                                                              &context);
      g_autoptr(JsonNode) json = stamp_explanation_to_json (explanation);
      const char * const *steps = stamp_explanation_get_steps (explanation);
      gboolean mentioned = FALSE;

      g_assert_cmpstr (stamp_explanation_get_fix (explanation), ==, "graph");
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "fix"), ==,
                       "graph");
      for (guint j = 0; steps[j] != NULL; j++)
        mentioned = mentioned || strstr (steps[j], "stamp-cli accounts set printer@contoso.example "
                                                   "--method graph") != NULL;
      g_assert_true (mentioned);
    }

  other = stamp_diagnosis_explain_text (diagnosis, "535 5.7.3 Authentication unsuccessful", NULL);
  g_assert_null (stamp_explanation_get_fix (other));
  other_json = stamp_explanation_to_json (other);
  g_assert_true (json_object_get_null_member (json_node_get_object (other_json), "fix"));
}

/* Graph's refusals, as the Graph client reports them. */
static void
test_graph_failure (void)
{
  g_autoptr(GError) access = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED,
                                                  "Microsoft Graph answered 403 ErrorAccessDenied: "
                                                  "Access is denied.");
  g_autoptr(GError) unknown = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_GRAPH_REFUSED,
                                                   "Microsoft Graph answered 400 SomethingNew: x");
  g_autoptr(StampExplanation) by_code = NULL;
  g_autoptr(StampExplanation) fallback = NULL;
  StampDiagnosisQuery context = { NULL };
  g_autofree char *text = NULL;

  context.address = "printer@contoso.example";
  by_code = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), access, NULL, &context);
  g_assert_cmpstr (stamp_explanation_get_id (by_code), ==, "graph-access-denied");
  text = stamp_explanation_to_text (by_code);
  g_assert_nonnull (strstr (text, "stamp-cli login printer@contoso.example --admin-consent-url"));
  g_assert_true (g_str_has_prefix (stamp_explanation_get_link (by_code), "https://learn.microsoft.com/"));

  fallback = stamp_diagnosis_explain_failure (stamp_diagnosis_get_default (), unknown, NULL, NULL);
  g_assert_cmpstr (stamp_explanation_get_id (fallback), ==, "graph-refused");
}

static void
test_app_password (void)
{
  g_autofree char *stripped = stamp_diagnosis_strip_app_password ("abcd efgh ijkl mnop");

  g_assert_cmpstr (stripped, ==, "abcdefghijklmnop");
  g_assert_null (stamp_diagnosis_strip_app_password ("abcdefghijklmnop"));
  g_assert_null (stamp_diagnosis_strip_app_password ("correct horse battery"));
  g_assert_null (stamp_diagnosis_strip_app_password ("abcd efgh ijkl mno1"));
  g_assert_null (stamp_diagnosis_strip_app_password ("abcd  fgh ijkl mnop"));
  g_assert_null (stamp_diagnosis_strip_app_password (""));
}

/* A broken database is refused with a message naming the entry. */
static void
test_bad_databases (void)
{
  const struct {
    const char *json;
    const char *message;
  } bad[] = {
    { "[]", "format 1" },
    { "{\"format\":2,\"entries\":[]}", "format 1" },
    { "{\"format\":1,\"entries\":[1]}", "not an object" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "needs a code" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"checks\":[\"send-as\"],\"code\":550},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "not replies" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"pattern\":\"(\"},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "regular expression" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"enhanced\":[\"5.7\"]},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "enhanced status code" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"enhanced\":[\"5.7.649-606\"]},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "enhanced status code" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"enhanced\":[\"5.x.1-9\"]},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "enhanced status code" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"error\":[\"no-such\"]},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "StampError nick" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":99},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "SMTP reply code" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[],\"steps\":[\"s\"]}]}", "causes" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"],\"link\":\"http://x\"}]}", "https" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"],\"extra\":1}]}", "unknown member" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535,\"ports\":[0]},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "not a port" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"],\"fix\":\"nope\"}]}", "“fix”" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"],\"fix\":1}]}", "“fix”" },
    { "{\"format\":1,\"entries\":[{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]},"
      "{\"id\":\"a\",\"match\":{\"code\":535},\"title\":\"t\",\"causes\":[\"c\"],\"steps\":[\"s\"]}]}", "twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StampDiagnosis) diagnosis = stamp_diagnosis_new_from_data (bad[i].json, -1, &error);

      g_assert_null (diagnosis);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].message));
    }
}

#define ENTRY(id, match) \
  "{\"id\":\"" id "\",\"match\":" match ",\"title\":\"" id "\",\"causes\":[\"c\"],\"steps\":[\"s\"]}"

/* The most specific entry wins wherever it stands: a generic entry listed
 * first does not hide the special case after it. */
static void
test_specific_wins (void)
{
  const char *json = "{\"format\":1,\"entries\":["
    ENTRY ("generic", "{\"code\":535}") ","
    ENTRY ("enhanced", "{\"code\":535,\"enhanced\":[\"5.7.139\"]}") ","
    ENTRY ("worded", "{\"code\":535,\"enhanced\":[\"5.7.139\"],\"pattern\":\"security defaults\"}")
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StampDiagnosis) diagnosis = stamp_diagnosis_new_from_data (json, -1, &error);
  g_autoptr(StampExplanation) plain = NULL;
  g_autoptr(StampExplanation) coded = NULL;
  g_autoptr(StampExplanation) worded = NULL;

  g_assert_no_error (error);
  plain = stamp_diagnosis_explain_text (diagnosis, "535 Authentication failed", NULL);
  coded = stamp_diagnosis_explain_text (diagnosis, "535 5.7.139 Authentication unsuccessful", NULL);
  worded = stamp_diagnosis_explain_text (diagnosis, "535 5.7.139 Authentication unsuccessful, "
                                         "user is locked by your organization's security defaults policy.",
                                         NULL);
  g_assert_cmpstr (stamp_explanation_get_id (plain), ==, "generic");
  g_assert_cmpstr (stamp_explanation_get_id (coded), ==, "enhanced");
  g_assert_cmpstr (stamp_explanation_get_id (worded), ==, "worded");
}

/* Two entries as specific as each other for one failure are a mistake in
 * the database, said out loud (and fatal in every test that meets one). */
static void
test_tie_warns (void)
{
  const char *json = "{\"format\":1,\"entries\":["
    ENTRY ("by-code", "{\"code\":554,\"enhanced\":[\"5.2.0\"]}") ","
    ENTRY ("by-words", "{\"pattern\":\"too large\"}")
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(StampDiagnosis) diagnosis = stamp_diagnosis_new_from_data (json, -1, &error);
  g_autoptr(StampExplanation) explanation = NULL;

  g_assert_no_error (error);
  g_test_expect_message ("stamp-diagnosis", G_LOG_LEVEL_WARNING, "*by-code*by-words*equally well*");
  explanation = stamp_diagnosis_explain_text (diagnosis, "554 5.2.0 Message too large", NULL);
  g_test_assert_expected_messages ();
  g_assert_nonnull (explanation);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/diagnosis/every-entry-reached", test_every_entry_reached);
  g_test_add_func ("/stamp/diagnosis/no-match", test_no_match);
  g_test_add_func ("/stamp/diagnosis/command-filled", test_command_filled);
  g_test_add_func ("/stamp/diagnosis/explain-failure", test_explain_failure);
  g_test_add_func ("/stamp/diagnosis/graph-fix", test_graph_fix);
  g_test_add_func ("/stamp/diagnosis/graph-failure", test_graph_failure);
  g_test_add_func ("/stamp/diagnosis/app-password", test_app_password);
  g_test_add_func ("/stamp/diagnosis/bad-databases", test_bad_databases);
  g_test_add_func ("/stamp/diagnosis/specific-wins", test_specific_wins);
  g_test_add_func ("/stamp/diagnosis/tie-warns", test_tie_warns);

  return g_test_run ();
}

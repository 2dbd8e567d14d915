/* stamp-oauth-error.c
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


#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-oauth-private.h"

/* Turns an identity provider's error body (RFC 6749 section 5.2, with
 * Microsoft's AADSTS codes) into a cause a person can act on. Microsoft
 * asks clients to branch on the code, never on error_description, whose
 * text changes; the description is only shown as detail. */

typedef struct
{
  guint       aadsts;
  StampError  code;
  const char *explanation;
} AadstsCause;

static const AadstsCause aadsts_causes[] = {
  { 50076, STAMP_ERROR_OAUTH_POLICY, N_("Your organization requires multi-factor authentication. Sign in again in the browser and complete the extra step.") },
  { 50079, STAMP_ERROR_OAUTH_POLICY, N_("Your organization requires you to set up multi-factor authentication. Sign in again in the browser and follow the steps.") },
  { 50158, STAMP_ERROR_OAUTH_POLICY, N_("An extra security check is required. Sign in again in the browser.") },
  { 53000, STAMP_ERROR_OAUTH_POLICY, N_("A Conditional Access policy requires a compliant device. Sign in from a device your organization manages, or ask your IT administrator; the device code sign-in does not get around this.") },
  { 53001, STAMP_ERROR_OAUTH_POLICY, N_("A Conditional Access policy requires a domain-joined device. Sign in from a device your organization manages, or ask your IT administrator.") },
  { 53003, STAMP_ERROR_OAUTH_POLICY, N_("A Conditional Access policy blocked this sign-in. Ask your IT administrator to allow Stamp, or the location or device you sign in from.") },
  { 65001, STAMP_ERROR_OAUTH_CONSENT, N_("The app has not been given permission to send mail for you. Sign in again and accept, or ask your IT administrator to grant admin consent to the app in Microsoft Entra ID (Enterprise applications › the app › Permissions).") },
  { 90094, STAMP_ERROR_OAUTH_CONSENT, N_("Your organization lets only administrators consent to apps. Ask your IT administrator to grant admin consent to the app in Microsoft Entra ID (Enterprise applications › the app › Permissions).") },
  { 65004, STAMP_ERROR_OAUTH_DENIED, N_("The permission to send mail was declined. Sign in again and accept it to use this account.") },
  { 700016, STAMP_ERROR_OAUTH_APP, N_("The app registration (client ID) is not known in this tenant. Check the client ID and the tenant; a mailbox in a US Government or China cloud needs an app registered in that cloud.") },
  { 7000218, STAMP_ERROR_OAUTH_APP, N_("The app registration is not set up for a desktop app. In Microsoft Entra ID, add the platform “Mobile and desktop applications” with the redirect URI http://localhost and set “Allow public client flows” to Yes.") },
  { 7000215, STAMP_ERROR_OAUTH_APP, N_("The app’s client secret is wrong. Enter the current client secret of the app registration.") },
  { 7000222, STAMP_ERROR_OAUTH_APP, N_("The app’s client secret has expired. Create a new client secret for the app registration and enter it.") },
  { 70011, STAMP_ERROR_OAUTH_APP, N_("The app registration may not ask for permission to send mail. Add the delegated permission SMTP.Send to the app registration, and Mail.Send for sending through Microsoft Graph.") },
  { 90038, STAMP_ERROR_OAUTH_APP, N_("This tenant lives in another Microsoft cloud. Choose the matching provider (for GCC High and DoD, Microsoft 365 GCC High and DoD) and an app registered in that cloud.") },
  { 90130, STAMP_ERROR_OAUTH_APP, N_("This app registration is not available for personal Microsoft accounts. Use an app registration that allows personal accounts, or your organization’s tenant.") },
  { 70000, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The stored sign-in is no longer valid. Sign in again.") },
  { 70008, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The stored sign-in has expired because it was not used for a long time. Sign in again.") },
  { 700082, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The stored sign-in has expired because it was not used for a long time. Sign in again.") },
  { 50173, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The stored sign-in was revoked, for example after a password change. Sign in again.") },
  { 54005, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("This sign-in code was already used. Sign in again.") },
  { 70019, STAMP_ERROR_OAUTH_EXPIRED, N_("The sign-in code expired before the sign-in was finished. Start again and enter the new code sooner.") },
};

typedef struct
{
  const char *error;
  StampError  code;
  const char *explanation;
} ErrorCause;

static const ErrorCause error_causes[] = {
  { "invalid_grant", STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The stored sign-in has expired or was revoked, for example after a password change. Sign in again.") },
  { "interaction_required", STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The provider wants you to sign in again in the browser.") },
  { "login_required", STAMP_ERROR_OAUTH_SIGN_IN_NEEDED, N_("The provider wants you to sign in again in the browser.") },
  { "consent_required", STAMP_ERROR_OAUTH_CONSENT, N_("The app has not been given permission to send mail for you. Sign in again and accept, or ask your IT administrator for admin consent.") },
  { "access_denied", STAMP_ERROR_OAUTH_DENIED, N_("The sign-in was cancelled or declined. Sign in again and accept the permission to send mail.") },
  { "authorization_declined", STAMP_ERROR_OAUTH_DENIED, N_("The sign-in was declined on the other device. Start again if that was a mistake.") },
  { "expired_token", STAMP_ERROR_OAUTH_EXPIRED, N_("The sign-in code expired before the sign-in was finished. Start again and enter the new code sooner.") },
  { "bad_verification_code", STAMP_ERROR_OAUTH_EXPIRED, N_("The provider no longer knows this sign-in code. Start again.") },
  { "invalid_client", STAMP_ERROR_OAUTH_APP, N_("The provider does not accept the app registration (client ID or client secret). Check them, or ask your IT administrator.") },
  { "unauthorized_client", STAMP_ERROR_OAUTH_APP, N_("The app registration may not sign in this way. Check the client ID and the tenant, and that the app is a desktop (public) client.") },
  { "invalid_scope", STAMP_ERROR_OAUTH_APP, N_("The provider does not let this app ask for permission to send mail. Check the app registration’s permissions.") },
};

/* The AADSTS number, from error_codes or else from the description. */
static guint
find_aadsts (JsonObject *body)
{
  JsonNode *codes = json_object_get_member (body, "error_codes");
  const char *description = json_object_get_string_member_with_default (body, "error_description", NULL);
  const char *found;

  if (codes != NULL && JSON_NODE_HOLDS_ARRAY (codes)
      && json_array_get_length (json_node_get_array (codes)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (codes), 0);

      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_INT64)
        return (guint) CLAMP (json_node_get_int (first), 0, G_MAXUINT);
    }

  if (description != NULL && (found = strstr (description, "AADSTS")) != NULL)
    return (guint) strtoul (found + strlen ("AADSTS"), NULL, 10);

  return 0;
}

/* The first line of the description: Microsoft appends trace and
 * correlation ids on the following ones. */
static char *
first_line (const char *description)
{
  g_autofree char *line = NULL;

  if (description == NULL)
    return NULL;

  line = g_strndup (description, strcspn (description, "\r\n"));
  g_strstrip (line);
  if (*line == '\0')
    return NULL;

  return g_utf8_make_valid (line, -1);
}

/**
 * _stamp_oauth_error_from_response:
 * @provider_name: who answered, for the message
 * @status: the HTTP status
 * @body: (nullable): the JSON error body, if the answer was JSON
 * @oauth_error: (out) (optional): the body's `error` value, for callers
 *   that act on it (the device flow's authorization_pending)
 *
 * Returns: (transfer full): the #StampError for the answer
 */
GError *
_stamp_oauth_error_from_response (const char  *provider_name,
                                  guint        status,
                                  JsonObject  *body,
                                  char       **oauth_error)
{
  const char *error_name = NULL;
  g_autofree char *detail = NULL;
  const char *explanation = NULL;
  StampError code = STAMP_ERROR_OAUTH_FAILED;
  guint aadsts = 0;

  if (body != NULL)
    {
      error_name = json_object_get_string_member_with_default (body, "error", NULL);
      detail = first_line (json_object_get_string_member_with_default (body, "error_description", NULL));
      aadsts = find_aadsts (body);
    }

  if (oauth_error != NULL)
    *oauth_error = g_strdup (error_name);

  for (guint i = 0; aadsts != 0 && explanation == NULL && i < G_N_ELEMENTS (aadsts_causes); i++)
    {
      if (aadsts_causes[i].aadsts == aadsts)
        {
          code = aadsts_causes[i].code;
          explanation = _(aadsts_causes[i].explanation);
        }
    }

  for (guint i = 0; error_name != NULL && explanation == NULL && i < G_N_ELEMENTS (error_causes); i++)
    {
      if (g_strcmp0 (error_causes[i].error, error_name) == 0)
        {
          code = error_causes[i].code;
          explanation = _(error_causes[i].explanation);
        }
    }

  if (explanation == NULL)
    {
      g_autofree char *what = error_name != NULL
                              ? g_strdup_printf ("“%s”", error_name)
                              : g_strdup_printf (_("HTTP status %u"), status);

      return g_error_new (STAMP_ERROR, code,
                          _("%s’s sign-in service refused the request (%s). Try again later; "
                            "if it keeps failing, sign in again.%s%s"),
                          provider_name, what,
                          detail != NULL ? "\n" : "", detail != NULL ? detail : "");
    }

  if (detail != NULL)
    return g_error_new (STAMP_ERROR, code, _("%s\nDetails from %s: %s"),
                        explanation, provider_name, detail);

  return g_error_new_literal (STAMP_ERROR, code, explanation);
}

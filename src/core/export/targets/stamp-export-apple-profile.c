/* stamp-export-apple-profile.c
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

/* An Apple configuration profile (.mobileconfig) with one Mail payload,
 * com.apple.mail.managed (github.com/apple/device-management,
 * mdm/profiles/com.apple.mail.managed.yaml), for Mail on macOS, iOS and
 * iPadOS. */

#define IMAP_PORT          993
#define PROFILE_IDENTIFIER "io.github.stampmail.Stamp.mail"

/* RFC 4122's URL namespace, for the name-based UUIDs below. */
static const guint8 namespace_url[16] = {
  0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
};

/* A version 5 (SHA-1, name-based) UUID: the same account always gives
 * the same PayloadUUID, so installing a new export replaces the old one
 * and the golden files stay put. */
static char *
name_uuid (const char *address,
           const char *part)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *lower = g_ascii_strdown (address, -1);
  g_autofree char *name = g_strdup_printf ("https://stampmail.github.io/apple-profile/%s/%s",
                                           lower, part);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (checksum, namespace_url, sizeof namespace_url);
  g_checksum_update (checksum, (const guchar *) name, -1);
  g_checksum_get_digest (checksum, digest, &len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static gboolean
check_apple_profile (StampExportContext  *context,
                     GError             **error)
{
  if (stamp_export_context_get_auth (context) == STAMP_EXPORT_AUTH_OAUTH)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   _("A configuration profile cannot carry an OAuth sign-in, and Apple Mail "
                     "signs in to Microsoft 365 and Google by itself: add %s in Mail (or in "
                     "Settings, Internet Accounts) instead"),
                   stamp_export_from_address (context));
      return FALSE;
    }

  if (stamp_export_context_get_incoming_host (context) == NULL)
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                           _("An Apple profile must also name the incoming (IMAP) server: "
                             "enter its host name (stamp-cli: --imap-host HOST)"));
      return FALSE;
    }

  return TRUE;
}

static void
append_key (GString    *out,
            const char *indent,
            const char *key)
{
  g_string_append_printf (out, "%s<key>%s</key>\n", indent, key);
}

static void
append_string (GString    *out,
               const char *indent,
               const char *key,
               const char *value)
{
  g_autofree char *escaped = stamp_export_xml_escape (value);

  append_key (out, indent, key);
  g_string_append_printf (out, "%s<string>%s</string>\n", indent, escaped);
}

static void
append_integer (GString    *out,
                const char *indent,
                const char *key,
                guint       value)
{
  append_key (out, indent, key);
  g_string_append_printf (out, "%s<integer>%u</integer>\n", indent, value);
}

static void
append_boolean (GString    *out,
                const char *indent,
                const char *key,
                gboolean    value)
{
  append_key (out, indent, key);
  g_string_append_printf (out, "%s<%s/>\n", indent, value ? "true" : "false");
}

/* XML 1.0 has no way to write most control characters, not even as
 * character references. */
static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return TRUE;

  return FALSE;
}

static gboolean
render_apple_profile (StampExportContext  *context,
                      StampExportResult   *result,
                      GError             **error)
{
  const char *in = "\t\t\t";  /* inside the Mail payload */
  StampAccount *account = stamp_export_context_get_account (context);
  const char *address = stamp_account_get_address (account);
  const char *display_name = stamp_account_get_display_name (account);
  const char *username = stamp_export_username (context);
  gboolean sign_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
  const char *secret = stamp_export_context_get_secret (context);
  g_autofree char *profile_uuid = name_uuid (address, "profile");
  g_autofree char *mail_uuid = name_uuid (address, "mail");
  g_autofree char *profile_id = g_strdup_printf ("%s.%s", PROFILE_IDENTIFIER, profile_uuid);
  g_autofree char *mail_id = g_strdup_printf ("%s.%s.account", PROFILE_IDENTIFIER, profile_uuid);
  g_autofree char *title = g_strdup_printf (_("Mail: %s"), address);
  g_autofree char *description = NULL;
  g_autofree char *file_name = g_strdup_printf ("%s.mobileconfig", address);
  g_autoptr(GString) out = g_string_new (NULL);

  description = g_strdup_printf (_("Sets up Mail to send and receive as %s. Made by Stamp."),
                                 address);

  if (secret != NULL && has_control_characters (secret))
    {
      g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                           _("The password contains control characters, which a profile cannot "
                             "hold; export without the password"));
      return FALSE;
    }

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                   "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                   "<plist version=\"1.0\">\n"
                   "<dict>\n"
                   "\t<key>PayloadContent</key>\n"
                   "\t<array>\n"
                   "\t\t<dict>\n");

  append_string (out, in, "EmailAccountDescription", address);
  if (display_name != NULL && *display_name != '\0')
    append_string (out, in, "EmailAccountName", display_name);
  append_string (out, in, "EmailAccountType", "EmailTypeIMAP");
  append_string (out, in, "EmailAddress", address);

  /* The IMAP side always signs in, with the same name as SMTP. */
  append_string (out, in, "IncomingMailServerAuthentication", "EmailAuthPassword");
  append_string (out, in, "IncomingMailServerHostName",
                 stamp_export_context_get_incoming_host (context));
  append_integer (out, in, "IncomingMailServerPortNumber", IMAP_PORT);
  append_boolean (out, in, "IncomingMailServerUseSSL", TRUE);
  append_string (out, in, "IncomingMailServerUsername", username);

  append_string (out, in, "OutgoingMailServerAuthentication",
                 sign_in ? "EmailAuthPassword" : "EmailAuthNone");
  append_string (out, in, "OutgoingMailServerHostName", stamp_account_get_host (account));
  append_integer (out, in, "OutgoingMailServerPortNumber",
                  stamp_account_get_effective_port (account));
  /* Apple's "SSL" is TLS either way: STARTTLS on 587, TLS first on 465. */
  append_boolean (out, in, "OutgoingMailServerUseSSL",
                  stamp_account_get_security (account) != STAMP_SECURITY_NONE);
  if (sign_in)
    {
      append_string (out, in, "OutgoingMailServerUsername", username);
      if (secret != NULL)
        append_string (out, in, "OutgoingPassword",
                       stamp_export_secret_or_placeholder (context, result));
      else
        append_boolean (out, in, "OutgoingPasswordSameAsIncomingPassword", TRUE);
    }

  append_string (out, in, "PayloadDescription", description);
  append_string (out, in, "PayloadDisplayName", address);
  append_string (out, in, "PayloadIdentifier", mail_id);
  append_string (out, in, "PayloadType", "com.apple.mail.managed");
  append_string (out, in, "PayloadUUID", mail_uuid);
  append_integer (out, in, "PayloadVersion", 1);

  g_string_append (out, "\t\t</dict>\n\t</array>\n");
  append_string (out, "\t", "PayloadDescription", description);
  append_string (out, "\t", "PayloadDisplayName", title);
  append_string (out, "\t", "PayloadIdentifier", profile_id);
  append_boolean (out, "\t", "PayloadRemovalDisallowed", FALSE);
  append_string (out, "\t", "PayloadType", "Configuration");
  append_string (out, "\t", "PayloadUUID", profile_uuid);
  append_integer (out, "\t", "PayloadVersion", 1);
  g_string_append (out, "</dict>\n</plist>\n");

  stamp_export_result_set_file_name (result, file_name);
  stamp_export_result_add_note (result,
                                _("Open the file on the Mac, iPhone or iPad, then install it where "
                                  "Settings lists downloaded profiles; it is not signed, so it is "
                                  "shown as unverified."));
  if (secret != NULL)
    stamp_export_result_add_note (result,
                                  _("The profile holds the password in plain text: delete the file "
                                    "once it is installed."));
  else if (sign_in)
    stamp_export_result_add_note (result,
                                  _("Mail asks for the password while the profile is installed, "
                                    "once for receiving and sending."));

  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_apple_profile = {
  .id = "apple-profile",
  .title = N_("Apple configuration profile"),
  .description = N_("A .mobileconfig profile that sets up Mail on a Mac, iPhone or iPad"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_PASSWORD | STAMP_EXPORT_AUTH_NONE,
  .file_name = "stamp.mobileconfig",
  .mime_type = "application/x-apple-aspen-config",
  .uses_secret = TRUE,
  .check = check_apple_profile,
  .render = render_apple_profile,
};

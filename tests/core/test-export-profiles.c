/* test-export-profiles.c
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

/* The exports that set up mail clients: Mozilla's autoconfig file, read
 * by xmllint against a schema of what clients expect, and the Apple
 * configuration profile, read by Python's plistlib. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "stamp-error.h"
#include "stamp-test-export.h"
#include "stamp-test-server.h"

#define IMAP_HOST "imap.example.net"

static const char * const cases[] = { "fastmail", "m365", "gmail", "custom", "relay" };

/* What our autoconfig files must be, stricter than the draft's schema
 * (which accepts unknown elements): the elements Thunderbird reads, in
 * the draft's order, with the values it knows. */
static const char autoconfig_schema[] =
  "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\"\n"
  "         datatypeLibrary=\"http://www.w3.org/2001/XMLSchema-datatypes\">\n"
  "  <start>\n"
  "    <element name=\"clientConfig\">\n"
  "      <attribute name=\"version\"><value>1.1</value></attribute>\n"
  "      <element name=\"emailProvider\">\n"
  "        <attribute name=\"id\"/>\n"
  "        <oneOrMore><element name=\"domain\"><text/></element></oneOrMore>\n"
  "        <element name=\"displayName\"><text/></element>\n"
  "        <element name=\"displayShortName\"><text/></element>\n"
  "        <zeroOrMore><element name=\"incomingServer\">\n"
  "          <attribute name=\"type\"><value>imap</value></attribute>\n"
  "          <ref name=\"server\"/>\n"
  "        </element></zeroOrMore>\n"
  "        <element name=\"outgoingServer\">\n"
  "          <attribute name=\"type\"><value>smtp</value></attribute>\n"
  "          <ref name=\"server\"/>\n"
  "        </element>\n"
  "      </element>\n"
  "    </element>\n"
  "  </start>\n"
  "  <define name=\"server\">\n"
  "    <element name=\"hostname\"><text/></element>\n"
  "    <element name=\"port\"><data type=\"positiveInteger\"/></element>\n"
  "    <element name=\"socketType\">\n"
  "      <choice><value>plain</value><value>SSL</value><value>STARTTLS</value></choice>\n"
  "    </element>\n"
  "    <oneOrMore><element name=\"authentication\">\n"
  "      <choice>\n"
  "        <value>password-cleartext</value><value>OAuth2</value><value>none</value>\n"
  "      </choice>\n"
  "    </element></oneOrMore>\n"
  "    <optional><element name=\"username\"><text/></element></optional>\n"
  "  </define>\n"
  "</grammar>\n";

/* Loads a profile as macOS would read its plist, checks the keys every
 * Mail payload needs and the name-based UUIDs, and prints the payload
 * (without any password) as JSON. */
static const char plist_check[] =
  "import json, plistlib, sys, uuid\n"
  "path, address, secret = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None\n"
  "with open(path, 'rb') as f:\n"
  "    profile = plistlib.load(f)\n"
  "assert profile['PayloadType'] == 'Configuration'\n"
  "assert profile['PayloadVersion'] == 1\n"
  "assert profile['PayloadIdentifier'] and profile['PayloadDisplayName']\n"
  "(mail,) = profile['PayloadContent']\n"
  "assert mail['PayloadType'] == 'com.apple.mail.managed'\n"
  "assert mail['PayloadVersion'] == 1\n"
  "for key in ('EmailAccountType', 'IncomingMailServerHostName',\n"
  "            'IncomingMailServerAuthentication', 'OutgoingMailServerHostName',\n"
  "            'OutgoingMailServerAuthentication', 'PayloadIdentifier'):\n"
  "    assert key in mail, key\n"
  "assert isinstance(mail['OutgoingMailServerPortNumber'], int)\n"
  "assert isinstance(mail['OutgoingMailServerUseSSL'], bool)\n"
  "base = 'https://stampmail.github.io/apple-profile/' + address.lower()\n"
  "def name_uuid(part):\n"
  "    return str(uuid.uuid5(uuid.NAMESPACE_URL, base + '/' + part)).upper()\n"
  "assert profile['PayloadUUID'] == name_uuid('profile')\n"
  "assert mail['PayloadUUID'] == name_uuid('mail')\n"
  "assert 'IncomingPassword' not in mail\n"
  "assert mail.pop('OutgoingPassword', None) == secret\n"
  "print(json.dumps(mail))\n";

static int
run (const char * const  *argv,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static gboolean
has_note (StampExportResult *result,
          const char        *text)
{
  const char * const *notes = stamp_export_result_get_notes (result);

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], text) != NULL)
      return TRUE;

  return FALSE;
}

static void
check_autoconfig_xml (StampExportResult *result,
                      const char        *name)
{
  g_autofree char *schema = g_build_filename (stamp_test_work_dir (), "autoconfig.rng", NULL);
  g_autofree char *path = stamp_test_export_save (result, name);
  const char *wellformed[] = { "xmllint", "--noout", path, NULL };
  const char *valid[] = { "xmllint", "--noout", "--relaxng", schema, path, NULL };
  g_autoptr(GError) error = NULL;

  if (!g_file_test (schema, G_FILE_TEST_EXISTS))
    {
      g_file_set_contents (schema, autoconfig_schema, -1, &error);
      g_assert_no_error (error);
    }

  stamp_test_export_run_tool (wellformed, NULL);
  stamp_test_export_run_tool (valid, NULL);
}

/* Every account, with and without an incoming server: the golden file,
 * well-formed and valid, and never a secret. */
static void
test_autoconfig (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    for (int imap = 0; imap <= 1; imap++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], TRUE);
        g_autoptr(StampExportResult) result = NULL;
        g_autofree char *golden = g_strdup_printf ("mozilla-autoconfig--%s%s.xml", cases[c],
                                                   imap ? "-imap" : "");
        const char *text;

        if (imap)
          stamp_export_context_set_incoming_host (context, IMAP_HOST);
        result = stamp_test_export_render ("mozilla-autoconfig", context);
        text = stamp_export_result_get_text (result);

        stamp_test_export_check_golden (result, golden);
        stamp_test_export_assert_no_canary (result);
        g_assert_false (stamp_export_result_get_private (result));
        check_autoconfig_xml (result, golden);

        g_assert_cmpstr (stamp_export_result_get_mime_type (result), ==, "text/xml");
        g_assert_true (has_note (result, "/.well-known/autoconfig/mail/config-v1.1.xml"));
        g_assert_true (has_note (result, "text/xml"));
        g_assert_true ((strstr (text, "<incomingServer type=\"imap\">") != NULL) == imap);
        g_assert_true (has_note (result, "incoming server") != imap);
        /* gmail.com and fastmail.com are not the person's to publish on. */
        g_assert_true (has_note (result, "ISPDB") == (g_str_equal (cases[c], "gmail")
                                                      || g_str_equal (cases[c], "fastmail")));
      }
}

/* One file serves every mailbox of the domain when the sign-in name
 * follows the address. */
static void
test_autoconfig_usernames (void)
{
  g_autoptr(StampExportContext) m365 = stamp_test_export_context ("m365", FALSE);
  g_autoptr(StampExportContext) custom = stamp_test_export_context ("custom", FALSE);
  g_autoptr(StampExportContext) other = stamp_test_export_context ("custom", FALSE);
  g_autoptr(StampExportResult) m365_result = NULL;
  g_autoptr(StampExportResult) custom_result = NULL;
  g_autoptr(StampExportResult) other_result = NULL;

  m365_result = stamp_test_export_render ("mozilla-autoconfig", m365);
  custom_result = stamp_test_export_render ("mozilla-autoconfig", custom);

  g_assert_nonnull (strstr (stamp_export_result_get_text (m365_result),
                            "<username>%EMAILADDRESS%</username>"));
  g_assert_nonnull (strstr (stamp_export_result_get_text (m365_result),
                            "<authentication>OAuth2</authentication>"));
  g_assert_nonnull (strstr (stamp_export_result_get_text (custom_result),
                            "<username>%EMAILLOCALPART%</username>"));
  g_assert_false (has_note (custom_result, "only this mailbox"));

  stamp_account_set_username (stamp_export_context_get_account (other), "d.oneil&co");
  other_result = stamp_test_export_render ("mozilla-autoconfig", other);
  g_assert_nonnull (strstr (stamp_export_result_get_text (other_result),
                            "<username>d.oneil&amp;co</username>"));
  g_assert_true (has_note (other_result, "only this mailbox"));
  check_autoconfig_xml (other_result, "autoconfig-other.xml");
}

static JsonObject *
check_plist (const char *path,
             const char *address,
             const char *secret)
{
  const char *argv[] = { "/usr/bin/python3", "-c", plist_check, path, address, secret, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (run (argv, &out, &err) != 0)
    g_error ("%s is not a valid profile:\n%s", path, err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The accounts a profile can carry: the golden file, read by plistlib,
 * the password only when asked for and then in a private file. */
static void
test_apple_profile (void)
{
  const char * const served[] = { "fastmail", "custom", "relay" };

  for (gsize c = 0; c < G_N_ELEMENTS (served); c++)
    for (int with_secret = 0; with_secret <= 1; with_secret++)
      {
        g_autoptr(StampExportContext) context = stamp_test_export_context (served[c], with_secret);
        StampAccount *account = stamp_export_context_get_account (context);
        const char *address = stamp_account_get_address (account);
        g_autoptr(StampExportResult) result = NULL;
        g_autoptr(JsonObject) mail = NULL;
        g_autofree char *golden = g_strdup_printf ("apple-profile--%s.mobileconfig", served[c]);
        g_autofree char *file_name = g_strdup_printf ("%s.mobileconfig", address);
        g_autofree char *path = NULL;
        gboolean sign_in;

        stamp_export_context_set_incoming_host (context, IMAP_HOST);
        result = stamp_test_export_render ("apple-profile", context);
        sign_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
        g_assert_cmpstr (stamp_export_result_get_file_name (result), ==, file_name);
        g_assert_cmpstr (stamp_export_result_get_mime_type (result), ==,
                         "application/x-apple-aspen-config");

        if (with_secret && sign_in)
          stamp_test_export_assert_canary (result);
        else
          {
            stamp_test_export_assert_no_canary (result);
            g_assert_false (stamp_export_result_get_private (result));
            stamp_test_export_check_golden (result, golden);
          }

        path = stamp_test_export_save (result, file_name);
        mail = check_plist (path, address,
                            with_secret && sign_in ? STAMP_TEST_EXPORT_CANARY : NULL);

        g_assert_cmpstr (json_object_get_string_member (mail, "EmailAddress"), ==, address);
        g_assert_cmpstr (json_object_get_string_member (mail, "IncomingMailServerHostName"), ==,
                         IMAP_HOST);
        g_assert_cmpint (json_object_get_int_member (mail, "IncomingMailServerPortNumber"), ==,
                         993);
        g_assert_cmpstr (json_object_get_string_member (mail, "OutgoingMailServerHostName"), ==,
                         stamp_account_get_host (account));
        g_assert_cmpint (json_object_get_int_member (mail, "OutgoingMailServerPortNumber"), ==,
                         stamp_account_get_effective_port (account));
        g_assert_true (json_object_get_boolean_member (mail, "OutgoingMailServerUseSSL"));
        g_assert_cmpstr (json_object_get_string_member (mail, "OutgoingMailServerAuthentication"),
                         ==, sign_in ? "EmailAuthPassword" : "EmailAuthNone");
        if (g_str_equal (served[c], "custom"))
          {
            g_assert_cmpstr (json_object_get_string_member (mail, "OutgoingMailServerUsername"), ==,
                             "dave");
            g_assert_cmpstr (json_object_get_string_member (mail, "EmailAccountName"), ==,
                             "Dave \"The Printer\" O'Neil");
          }
        if (sign_in && !with_secret)
          g_assert_true (json_object_get_boolean_member (mail,
                                                         "OutgoingPasswordSameAsIncomingPassword"));
      }
}

/* OAuth accounts and a missing IMAP server are refused, saying what to
 * do instead. */
static void
test_apple_profile_refuses (void)
{
  StampExporter *exporter = stamp_exporter_lookup ("apple-profile");
  const char * const oauth_cases[] = { "m365", "gmail" };
  g_autoptr(StampExportContext) no_imap = stamp_test_export_context ("fastmail", FALSE);
  g_autoptr(GError) error = NULL;

  for (gsize c = 0; c < G_N_ELEMENTS (oauth_cases); c++)
    {
      g_autoptr(StampExportContext) context = stamp_test_export_context (oauth_cases[c], FALSE);
      g_autoptr(GError) oauth_error = NULL;

      stamp_export_context_set_incoming_host (context, IMAP_HOST);
      g_assert_null (stamp_exporter_render (exporter, context, &oauth_error));
      g_assert_error (oauth_error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
      g_assert_nonnull (strstr (oauth_error->message,
                                "Apple Mail signs in to Microsoft 365 and Google"));
    }

  g_assert_false (stamp_exporter_can_serve (exporter, no_imap, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "--imap-host"));
}

/* The profile's two PayloadUUIDs, comma-separated. */
static char *
dup_uuids (StampAccount *account)
{
  g_autoptr(StampExportContext) context = stamp_export_context_new (account);
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(GString) uuids = g_string_new (NULL);
  const char *p;

  stamp_export_context_set_incoming_host (context, IMAP_HOST);
  result = stamp_test_export_render ("apple-profile", context);
  p = stamp_export_result_get_text (result);
  while ((p = strstr (p, "<key>PayloadUUID</key>")) != NULL)
    {
      const char *start = strstr (p, "<string>") + strlen ("<string>");
      const char *end = strstr (start, "</string>");

      g_string_append_printf (uuids, "%s%.*s", uuids->len > 0 ? "," : "",
                              (int) (end - start), start);
      p = end;
    }

  return g_string_free (g_steal_pointer (&uuids), FALSE);
}

/* The same address (in any case) gives the same UUIDs, so a new export
 * replaces the installed profile; another address gives others. */
static void
test_apple_profile_uuids (void)
{
  g_autoptr(StampExportContext) fastmail = stamp_test_export_context ("fastmail", FALSE);
  g_autoptr(StampAccount) upper = stamp_account_new ("BOB@FastMail.com");
  g_autoptr(StampAccount) other = stamp_account_new ("rob@fastmail.com");
  g_autofree char *expected = dup_uuids (stamp_export_context_get_account (fastmail));
  g_autofree char *upper_uuids = NULL;
  g_autofree char *other_uuids = NULL;

  stamp_account_set_host (upper, "smtp.fastmail.com");
  stamp_account_set_host (other, "smtp.fastmail.com");
  upper_uuids = dup_uuids (upper);
  other_uuids = dup_uuids (other);

  g_assert_cmpuint (strlen (expected), ==, 2 * 36 + 1);
  g_assert_cmpstr (upper_uuids, ==, expected);
  g_assert_cmpstr (other_uuids, !=, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/export/profiles/autoconfig", test_autoconfig);
  g_test_add_func ("/stamp/export/profiles/autoconfig/usernames", test_autoconfig_usernames);
  g_test_add_func ("/stamp/export/profiles/apple", test_apple_profile);
  g_test_add_func ("/stamp/export/profiles/apple/refuses", test_apple_profile_refuses);
  g_test_add_func ("/stamp/export/profiles/apple/uuids", test_apple_profile_uuids);

  return g_test_run ();
}

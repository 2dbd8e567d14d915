/* test-autoconfig.c
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

/* Mozilla autoconfig files, good and bad: the parser takes the outgoing
 * servers of a good one and refuses anything else with a clear error. */

#include "config.h"

#include <string.h>

#include "stamp-autoconfig.h"
#include "stamp-error.h"

#define ADDRESS "alice@example.com"

static GPtrArray *
parse (const char  *xml,
       GError     **error)
{
  return stamp_autoconfig_parse (xml, strlen (xml), ADDRESS, STAMP_DISCOVERY_SOURCE_AUTOCONFIG,
                                 "autoconfig.example.com", error);
}

static void
test_good (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<clientConfig version=\"1.1\">\n"
    "  <emailProvider id=\"example.com\">\n"
    "    <domain>example.com</domain>\n"
    "    <displayName>Example Mail</displayName>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>imap.example.com</hostname><port>993</port>\n"
    "      <socketType>SSL</socketType><authentication>password-cleartext</authentication>\n"
    "    </incomingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname> smtp.%EMAILDOMAIN% </hostname>\n"
    "      <port>465</port>\n"
    "      <socketType>SSL</socketType>\n"
    "      <authentication>OAuth2</authentication>\n"
    "      <authentication>password-cleartext</authentication>\n"
    "      <username>%EMAILADDRESS%</username>\n"
    "    </outgoingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>SUBMIT.Example.COM</hostname>\n"
    "      <port>587</port>\n"
    "      <socketType>STARTTLS</socketType>\n"
    "      <authentication>password-cleartext</authentication>\n"
    "    </outgoingServer>\n"
    "  </emailProvider>\n"
    "</clientConfig>\n";
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  StampCandidate *first, *second;
  const char * const *auth;

  found = parse (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);

  first = g_ptr_array_index (found, 0);
  g_assert_cmpstr (stamp_candidate_get_host (first), ==, "smtp.example.com");
  g_assert_cmpuint (stamp_candidate_get_port (first), ==, 465);
  g_assert_cmpint (stamp_candidate_get_security (first), ==, STAMP_SECURITY_TLS);
  g_assert_cmpint (stamp_candidate_get_source (first), ==, STAMP_DISCOVERY_SOURCE_AUTOCONFIG);
  g_assert_nonnull (strstr (stamp_candidate_get_reason (first), "autoconfig.example.com"));
  auth = stamp_candidate_get_auth_methods (first);
  g_assert_nonnull (auth);
  g_assert_true (g_strv_contains (auth, "xoauth2"));
  g_assert_true (g_strv_contains (auth, "plain"));

  second = g_ptr_array_index (found, 1);
  g_assert_cmpstr (stamp_candidate_get_host (second), ==, "submit.example.com");
  g_assert_cmpint (stamp_candidate_get_security (second), ==, STAMP_SECURITY_STARTTLS);
}

static void
test_plain_and_ispdb (void)
{
  static const char xml[] =
    "<clientConfig><emailProvider id=\"x\"><outgoingServer type=\"smtp\">"
    "<hostname>relay.example.com</hostname><port>25</port><socketType>plain</socketType>"
    "<authentication>none</authentication></outgoingServer></emailProvider></clientConfig>";
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  StampCandidate *candidate;

  found = stamp_autoconfig_parse (xml, strlen (xml), ADDRESS, STAMP_DISCOVERY_SOURCE_ISPDB,
                                  "example.com", &error);
  g_assert_no_error (error);
  candidate = g_ptr_array_index (found, 0);
  g_assert_cmpint (stamp_candidate_get_security (candidate), ==, STAMP_SECURITY_NONE);
  g_assert_cmpint (stamp_candidate_get_source (candidate), ==, STAMP_DISCOVERY_SOURCE_ISPDB);
  g_assert_nonnull (strstr (stamp_candidate_get_reason (candidate), "ISP database"));
  g_assert_true (g_strv_contains (stamp_candidate_get_auth_methods (candidate), "none"));
}

typedef struct
{
  const char *name;
  const char *xml;
  const char *message;
} BadCase;

#define SERVER(body) \
  "<clientConfig><emailProvider id=\"x\"><outgoingServer type=\"smtp\">" body \
  "</outgoingServer></emailProvider></clientConfig>"

static const BadCase bad_cases[] = {
  { "empty", "", "empty" },
  { "not-xml", "this is not XML", "well-formed" },
  { "html", "<html><body>404</body></html>", "<html>" },
  { "unclosed", "<clientConfig><emailProvider>", "well-formed" },
  { "no-outgoing", "<clientConfig><emailProvider id=\"x\"/></clientConfig>", "no outgoing" },
  { "imap-only", "<clientConfig><emailProvider><outgoingServer type=\"imap\"><hostname>a.b"
    "</hostname></outgoingServer></emailProvider></clientConfig>", "no outgoing" },
  { "no-host", SERVER ("<port>587</port><socketType>STARTTLS</socketType>"), "without a host" },
  { "bad-port", SERVER ("<hostname>a.example.com</hostname><port>99999</port>"
                        "<socketType>SSL</socketType>"), "99999" },
  { "text-port", SERVER ("<hostname>a.example.com</hostname><port>smtp</port>"
                         "<socketType>SSL</socketType>"), "smtp" },
  { "socket-type", SERVER ("<hostname>a.example.com</hostname><port>465</port>"
                           "<socketType>TLS1.0</socketType>"), "TLS1.0" },
  { "host-space", SERVER ("<hostname>evil host.example.com</hostname><port>465</port>"
                          "<socketType>SSL</socketType>"), "not a host name" },
  { "host-url", SERVER ("<hostname>https://a.example.com/</hostname><port>465</port>"
                        "<socketType>SSL</socketType>"), "not a host name" },
  { "long-value", SERVER ("<hostname>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"
                          "</hostname>"), "longer than" },
  { "entity", "<!DOCTYPE x [<!ENTITY a \"b\">]><clientConfig>&a;</clientConfig>", "" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *test = data;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = parse (test->xml, &error);
  g_assert_null (found);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, test->message));
}

static void
test_oversized (void)
{
  g_autoptr(GString) xml = g_string_new ("<clientConfig><!-- ");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  while (xml->len <= STAMP_AUTOCONFIG_MAX_SIZE)
    g_string_append (xml, "padding padding padding padding ");
  g_string_append (xml, "--></clientConfig>");

  found = stamp_autoconfig_parse (xml->str, xml->len, ADDRESS, STAMP_DISCOVERY_SOURCE_AUTOCONFIG,
                                  "x", &error);
  g_assert_null (found);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_nonnull (strstr (error->message, "KiB"));
}

static void
test_not_utf8 (void)
{
  static const char xml[] = SERVER ("<hostname>a.example.com\xff</hostname>");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = parse (xml, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
}

static void
test_idn_host (void)
{
  static const char xml[] = SERVER ("<hostname>smtp.b\303\274cher.example</hostname><port>587</port>"
                                    "<socketType>STARTTLS</socketType>");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = parse (xml, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stamp_candidate_get_host (g_ptr_array_index (found, 0)), ==,
                   "smtp.xn--bcher-kva.example");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/autoconfig/good", test_good);
  g_test_add_func ("/stamp/autoconfig/plain-and-ispdb", test_plain_and_ispdb);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/autoconfig/bad/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/stamp/autoconfig/oversized", test_oversized);
  g_test_add_func ("/stamp/autoconfig/not-utf8", test_not_utf8);
  g_test_add_func ("/stamp/autoconfig/idn-host", test_idn_host);

  return g_test_run ();
}

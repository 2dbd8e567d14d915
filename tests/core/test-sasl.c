/* test-sasl.c
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

#define G_LOG_DOMAIN "test-sasl"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "stamp-error.h"
#include "stamp-sasl.h"
#include "stamp-types.h"
#include "stamp-util.h"

/* Octal escapes throughout: "\x01auth" would read as the one byte 0x1a. */

typedef struct
{
  const char *user;
  const char *token;
  const char *expected;
} XOAuth2Case;

/* protocols.md §2.1: Microsoft's sample and curl's test 908. */
static const XOAuth2Case xoauth2_cases[] = {
  { "test@contoso.onmicrosoft.com",
    "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA",
    "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0oz"
    "VmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==" },
  { "user",
    "mF_9.B5f-4.1JqM",
    "dXNlcj11c2VyAWF1dGg9QmVhcmVyIG1GXzkuQjVmLTQuMUpxTQEB" },
};

typedef struct
{
  const char *name;
  const char *user;
  const char *host;
  guint16     port;
  const char *token;
  const char *expected;
} OAuthBearerCase;

/* RFC 7628 §3.1 with the RFC 5801 §4 escapes. */
static const OAuthBearerCase oauthbearer_cases[] = {
  { "host and port",
    "user@example.com", "smtp.example.com", 587, "TOKEN",
    "n,a=user@example.com,\001host=smtp.example.com\001port=587\001auth=Bearer TOKEN\001\001" },
  { "neither host nor port",
    "user@example.com", NULL, 0, "TOKEN",
    "n,a=user@example.com,\001auth=Bearer TOKEN\001\001" },
  { "host only",
    "user@example.com", "smtp.gmail.com", 0, "ya29.a0Af",
    "n,a=user@example.com,\001host=smtp.gmail.com\001auth=Bearer ya29.a0Af\001\001" },
  { "port only",
    "user@example.com", NULL, 465, "TOKEN",
    "n,a=user@example.com,\001port=465\001auth=Bearer TOKEN\001\001" },
  { "highest port",
    "u@example.com", "h", 65535, "T",
    "n,a=u@example.com,\001host=h\001port=65535\001auth=Bearer T\001\001" },
  { "comma and equals in the authzid",
    "a,b=c@example.com", "smtp.example.com", 587, "TOKEN",
    "n,a=a=2Cb=3Dc@example.com,\001host=smtp.example.com\001port=587\001auth=Bearer TOKEN"
    "\001\001" },
  { "only specials",
    ",=,", NULL, 0, "TOKEN",
    "n,a==2C=3D=2C,\001auth=Bearer TOKEN\001\001" },
};

typedef struct
{
  const char *name;
  const char *json;
  const char *status;
  const char *scope;
  const char *schemes;
} ChallengeCase;

static const ChallengeCase challenge_cases[] = {
  { "Google",
    "{\"status\":\"401\",\"schemes\":\"bearer mac\",\"scope\":\"https://mail.google.com/\"}",
    "401", "https://mail.google.com/", "bearer mac" },
  { "RFC 7628",
    "{\"status\":\"invalid_token\",\"scope\":\"example_scope\","
    "\"openid-configuration\":\"https://example.com/.well-known/openid-configuration\"}",
    "invalid_token", "example_scope", NULL },
  { "numeric status",
    "{\"status\":401}",
    "401", NULL, NULL },
  { "status only",
    "{\"status\":\"invalid_request\"}",
    "invalid_request", NULL, NULL },
  { "whitespace and unknown members",
    "{ \"status\" : \"400\", \"extra\" : [1, 2, {}], \"scope\" : \"a b\" }\n",
    "400", "a b", NULL },
  { "non-string scope is left out",
    "{\"status\":\"401\",\"scope\":[\"https://mail.google.com/\"],\"schemes\":true}",
    "401", NULL, NULL },
};

typedef struct
{
  const char *name;
  const char *json;
} BadChallengeCase;

/* Valid base64 of something that is not an RFC 7628 error object. */
static const BadChallengeCase bad_json_cases[] = {
  { "not JSON", "hello, world" },
  { "truncated JSON", "{\"status\":\"401\"" },
  { "JSON array", "[\"status\",\"401\"]" },
  { "JSON string", "\"401\"" },
  { "JSON number", "401" },
  { "empty object", "{}" },
  { "missing status", "{\"scope\":\"https://mail.google.com/\",\"schemes\":\"bearer\"}" },
  { "null status", "{\"status\":null}" },
  { "boolean status", "{\"status\":false}" },
  { "object status", "{\"status\":{\"code\":401}}" },
};

/* Not base64 at all. */
static const char * const bad_base64_cases[] = {
  "",
  "not base64!",
  "eyJzdGF0dXMiOiI0MDEifQ==\r\n",
  "eyJzdGF0dXMi OiI0MDEifQ==",
  "eyJz-GF0dXMiOiI0MDEifQ==",
  "eyJz_GF0dXMiOiI0MDEifQ==",
  "{\"status\":\"401\"}",
  "=",
  "A",
};

typedef struct
{
  const char         *offered;
  gboolean            have_token;
  StampAuthMechanism  expected;
} ChooseCase;

static const ChooseCase choose_cases[] = {
  /* Gmail after STARTTLS (protocols.md §2.3) */
  { "LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH", TRUE, STAMP_AUTH_XOAUTH2 },
  { "LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH", FALSE, STAMP_AUTH_PLAIN },
  /* Microsoft 365 */
  { "LOGIN XOAUTH2", TRUE, STAMP_AUTH_XOAUTH2 },
  { "LOGIN XOAUTH2", FALSE, STAMP_AUTH_LOGIN },
  /* The order of the list does not matter, ours does. */
  { "OAUTHBEARER XOAUTH2", TRUE, STAMP_AUTH_XOAUTH2 },
  { "LOGIN PLAIN", FALSE, STAMP_AUTH_PLAIN },
  { "OAUTHBEARER", TRUE, STAMP_AUTH_OAUTHBEARER },
  { "PLAIN LOGIN OAUTHBEARER", TRUE, STAMP_AUTH_OAUTHBEARER },
  { "LOGIN", FALSE, STAMP_AUTH_LOGIN },
  { "PLAIN", FALSE, STAMP_AUTH_PLAIN },
  /* Nothing usable for the secret at hand */
  { "PLAIN LOGIN", TRUE, STAMP_AUTH_NONE },
  { "XOAUTH2 OAUTHBEARER", FALSE, STAMP_AUTH_NONE },
  { "CRAM-MD5 DIGEST-MD5 GSSAPI NTLM", FALSE, STAMP_AUTH_NONE },
  { "CRAM-MD5 DIGEST-MD5 GSSAPI NTLM", TRUE, STAMP_AUTH_NONE },
  { "PLAIN-CLIENTTOKEN XOAUTH", TRUE, STAMP_AUTH_NONE },
  { "PLAIN-CLIENTTOKEN XOAUTH", FALSE, STAMP_AUTH_NONE },
  { "PLAINLOGIN", FALSE, STAMP_AUTH_NONE },
  { "", FALSE, STAMP_AUTH_NONE },
  { "", TRUE, STAMP_AUTH_NONE },
  { NULL, FALSE, STAMP_AUTH_NONE },
  { NULL, TRUE, STAMP_AUTH_NONE },
  /* Case-insensitive (RFC 4422 §3.1 names are upper case, servers vary) */
  { "login plain", FALSE, STAMP_AUTH_PLAIN },
  { "Login", FALSE, STAMP_AUTH_LOGIN },
  { "xoauth2 oauthbearer", TRUE, STAMP_AUTH_XOAUTH2 },
  { "OAuthBearer", TRUE, STAMP_AUTH_OAUTHBEARER },
  /* Runs of spaces */
  { "LOGIN  PLAIN", FALSE, STAMP_AUTH_PLAIN },
  { " XOAUTH2 ", TRUE, STAMP_AUTH_XOAUTH2 },
};

typedef struct
{
  const char         *offered;
  StampAuthMechanism  mechanism;
  gboolean            expected;
} OfferedCase;

static const OfferedCase offered_cases[] = {
  { "LOGIN XOAUTH2", STAMP_AUTH_LOGIN, TRUE },
  { "LOGIN XOAUTH2", STAMP_AUTH_XOAUTH2, TRUE },
  { "LOGIN XOAUTH2", STAMP_AUTH_PLAIN, FALSE },
  { "LOGIN XOAUTH2", STAMP_AUTH_OAUTHBEARER, FALSE },
  { "login xoauth2", STAMP_AUTH_XOAUTH2, TRUE },
  { "PLAIN-CLIENTTOKEN", STAMP_AUTH_PLAIN, FALSE },
  { "XOAUTH", STAMP_AUTH_XOAUTH2, FALSE },
  { "XOAUTH2X", STAMP_AUTH_XOAUTH2, FALSE },
  { "", STAMP_AUTH_PLAIN, FALSE },
  { NULL, STAMP_AUTH_PLAIN, FALSE },
  /* AUTO and NONE are no SASL names. */
  { "PLAIN LOGIN XOAUTH2 OAUTHBEARER", STAMP_AUTH_AUTO, FALSE },
  { "PLAIN LOGIN XOAUTH2 OAUTHBEARER", STAMP_AUTH_NONE, FALSE },
  { "AUTO NONE", STAMP_AUTH_AUTO, FALSE },
  { "AUTO NONE", STAMP_AUTH_NONE, FALSE },
};

/* Decodes @base64 and checks it is exactly @expected_len bytes of @expected. */
static void
assert_base64_decodes_to (const char *base64,
                          const char *expected,
                          gsize       expected_len)
{
  g_autofree guchar *decoded = NULL;
  gsize len = 0;

  g_assert_nonnull (base64);
  g_assert_null (strpbrk (base64, "\r\n "));

  decoded = g_base64_decode (base64, &len);
  g_assert_cmpmem (decoded, len, expected, expected_len);
}

static void
test_sasl_xoauth2 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (xoauth2_cases); i++)
    {
      const XOAuth2Case *c = &xoauth2_cases[i];
      g_autoptr(StampSecret) encoded = NULL;
      g_autofree char *expected_plain = NULL;

      encoded = stamp_sasl_encode_xoauth2 (c->user, c->token);
      g_assert_cmpstr (encoded, ==, c->expected);

      expected_plain = g_strdup_printf ("user=%s\001auth=Bearer %s\001\001", c->user, c->token);
      assert_base64_decodes_to (encoded, expected_plain, strlen (expected_plain));
    }
}

static void
test_sasl_plain (void)
{
  static const char user_pass[] = "\0user\0pass";
  static const char utf8[] = "\0test@example.com\0p\303\244ss w0rd";
  g_autoptr(StampSecret) simple = NULL;
  g_autoptr(StampSecret) non_ascii = NULL;
  g_autoptr(StampSecret) empty = NULL;

  /* Computed independently: base64 of "\0user\0pass" (RFC 4616 §2). */
  simple = stamp_sasl_encode_plain ("user", "pass");
  g_assert_cmpstr (simple, ==, "AHVzZXIAcGFzcw==");
  assert_base64_decodes_to (simple, user_pass, sizeof user_pass - 1);

  non_ascii = stamp_sasl_encode_plain ("test@example.com", "p\303\244ss w0rd");
  g_assert_cmpstr (non_ascii, ==, "AHRlc3RAZXhhbXBsZS5jb20AcMOkc3MgdzByZA==");
  assert_base64_decodes_to (non_ascii, utf8, sizeof utf8 - 1);

  empty = stamp_sasl_encode_plain ("", "");
  g_assert_cmpstr (empty, ==, "AAA=");
}

static void
test_sasl_oauthbearer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (oauthbearer_cases); i++)
    {
      const OAuthBearerCase *c = &oauthbearer_cases[i];
      g_autoptr(StampSecret) encoded = NULL;

      g_test_message ("case: %s", c->name);

      encoded = stamp_sasl_encode_oauthbearer (c->user, c->host, c->port, c->token);
      assert_base64_decodes_to (encoded, c->expected, strlen (c->expected));
    }
}

static void
test_sasl_challenge_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (challenge_cases); i++)
    {
      const ChallengeCase *c = &challenge_cases[i];
      g_autoptr(StampSaslChallenge) challenge = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *base64 = NULL;

      g_test_message ("case: %s", c->name);

      base64 = g_base64_encode ((const guchar *) c->json, strlen (c->json));
      challenge = stamp_sasl_challenge_parse (base64, &error);
      g_assert_no_error (error);
      g_assert_nonnull (challenge);

      g_assert_cmpstr (challenge->status, ==, c->status);
      g_assert_cmpstr (challenge->scope, ==, c->scope);
      g_assert_cmpstr (challenge->schemes, ==, c->schemes);
    }
}

/* The exact text Gmail sends after "334 " (protocols.md §2.1). */
static void
test_sasl_challenge_google (void)
{
  static const char google[] =
    "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIG1hYyIsInNjb3BlIjoiaHR0cHM6Ly9tYWlsLmdvb2ds"
    "ZS5jb20vIn0=";
  g_autoptr(StampSaslChallenge) challenge = NULL;
  g_autoptr(GError) error = NULL;

  challenge = stamp_sasl_challenge_parse (google, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (challenge->status, ==, "401");
  g_assert_cmpstr (challenge->scope, ==, "https://mail.google.com/");
  g_assert_cmpstr (challenge->schemes, ==, "bearer mac");
}

static void
test_sasl_challenge_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_json_cases); i++)
    {
      g_autoptr(StampSaslChallenge) challenge = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *base64 = NULL;

      g_test_message ("case: %s", bad_json_cases[i].name);

      base64 = g_base64_encode ((const guchar *) bad_json_cases[i].json,
                                strlen (bad_json_cases[i].json));
      challenge = stamp_sasl_challenge_parse (base64, &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
      g_assert_null (challenge);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_base64_cases); i++)
    {
      g_autoptr(StampSaslChallenge) challenge = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = NULL;

      escaped = g_strescape (bad_base64_cases[i], NULL);
      g_test_message ("not base64: \"%s\"", escaped);

      challenge = stamp_sasl_challenge_parse (bad_base64_cases[i], &error);
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
      g_assert_null (challenge);
    }
}

/* A valid challenge padded past any sensible size is still refused. */
static void
test_sasl_challenge_overlong (void)
{
  g_autoptr(StampSaslChallenge) challenge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *padding = g_strnfill (4096, 'x');
  g_autofree char *json = NULL;
  g_autofree char *base64 = NULL;

  json = g_strdup_printf ("{\"status\":\"401\",\"scope\":\"%s\"}", padding);
  base64 = g_base64_encode ((const guchar *) json, strlen (json));
  g_assert_cmpuint (strlen (base64), >, 4096);

  challenge = stamp_sasl_challenge_parse (base64, &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_BAD_REPLY);
  g_assert_null (challenge);
}

static void
test_sasl_challenge_describe (void)
{
  StampSaslChallenge with_scope = {
    .status = (char *) "401",
    .scope = (char *) "https://mail.google.com/",
    .schemes = (char *) "bearer mac",
  };
  StampSaslChallenge without_scope = {
    .status = (char *) "invalid_token",
    .scope = NULL,
    .schemes = NULL,
  };
  g_autofree char *described = NULL;
  g_autofree char *described_no_scope = NULL;

  described = stamp_sasl_challenge_describe (&with_scope);
  g_assert_nonnull (strstr (described, "401"));
  g_assert_nonnull (strstr (described, "https://mail.google.com/"));
  g_assert_true (g_utf8_validate (described, -1, NULL));

  described_no_scope = stamp_sasl_challenge_describe (&without_scope);
  g_assert_nonnull (strstr (described_no_scope, "invalid_token"));
  g_assert_null (strstr (described_no_scope, "(null)"));
}

static void
test_sasl_choose_mechanism (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (choose_cases); i++)
    {
      const ChooseCase *c = &choose_cases[i];

      g_test_message ("offered \"%s\", %s", c->offered ? c->offered : "(null)",
                      c->have_token ? "token" : "password");

      g_assert_cmpint (stamp_sasl_choose_mechanism (c->offered, c->have_token), ==, c->expected);
    }
}

static void
test_sasl_is_offered (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (offered_cases); i++)
    {
      const OfferedCase *c = &offered_cases[i];

      g_test_message ("offered \"%s\", mechanism %d", c->offered ? c->offered : "(null)",
                      c->mechanism);

      g_assert_cmpint (stamp_sasl_is_offered (c->offered, c->mechanism), ==, c->expected);
    }
}

static void
test_sasl_mechanism_name (void)
{
  static const struct
  {
    StampAuthMechanism  mechanism;
    const char         *name;
    gboolean            uses_token;
  } cases[] = {
    { STAMP_AUTH_AUTO, NULL, FALSE },
    { STAMP_AUTH_NONE, NULL, FALSE },
    { STAMP_AUTH_PLAIN, "PLAIN", FALSE },
    { STAMP_AUTH_LOGIN, "LOGIN", FALSE },
    { STAMP_AUTH_XOAUTH2, "XOAUTH2", TRUE },
    { STAMP_AUTH_OAUTHBEARER, "OAUTHBEARER", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (stamp_sasl_mechanism_name (cases[i].mechanism), ==, cases[i].name);
      g_assert_cmpint (stamp_sasl_mechanism_uses_token (cases[i].mechanism),
                       ==, cases[i].uses_token);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/sasl/xoauth2", test_sasl_xoauth2);
  g_test_add_func ("/stamp/sasl/plain", test_sasl_plain);
  g_test_add_func ("/stamp/sasl/oauthbearer", test_sasl_oauthbearer);
  g_test_add_func ("/stamp/sasl/challenge/parse", test_sasl_challenge_parse);
  g_test_add_func ("/stamp/sasl/challenge/google", test_sasl_challenge_google);
  g_test_add_func ("/stamp/sasl/challenge/bad", test_sasl_challenge_bad);
  g_test_add_func ("/stamp/sasl/challenge/overlong", test_sasl_challenge_overlong);
  g_test_add_func ("/stamp/sasl/challenge/describe", test_sasl_challenge_describe);
  g_test_add_func ("/stamp/sasl/choose-mechanism", test_sasl_choose_mechanism);
  g_test_add_func ("/stamp/sasl/is-offered", test_sasl_is_offered);
  g_test_add_func ("/stamp/sasl/mechanism-name", test_sasl_mechanism_name);

  return g_test_run ();
}

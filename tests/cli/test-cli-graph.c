/* test-cli-graph.c
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

/* `stamp-cli send` through Microsoft Graph, and `login` for a Graph
 * account: the real binary against the loopback Graph mock
 * (graph-server.py), which checks each bearer token's audience and scope,
 * the mock identity provider (oauth-idp.py), the scripted browser and a
 * real gnome-keyring (the test runs in with-keyring.sh). */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "stamp-test-cli.h"
#include "stamp-test-graph.h"
#include "stamp-test-idp.h"

#define USER "alice@contoso.example"
#define PEER "bob@example.test"

typedef struct
{
  StampTestIdp   *idp;
  StampTestGraph *graph;
  GPtrArray      *env;      /* name, value, … for stamp-cli */
  char           *address;  /* the saved account's: the keyring outlives each test */
} Fixture;

static void
fixture_set_env (Fixture    *fixture,
                 const char *name,
                 const char *value)
{
  g_ptr_array_remove_index (fixture->env, fixture->env->len - 1);
  g_ptr_array_add (fixture->env, g_strdup (name));
  g_ptr_array_add (fixture->env, g_strdup (value));
  g_ptr_array_add (fixture->env, NULL);
}

/* The Graph mock with @first_graph_arg…; an identity provider only when
 * @with_idp. */
static void
fixture_start (Fixture    *fixture,
               gboolean    with_idp,
               const char *first_graph_arg,
               ...)
{
  static guint counter;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *browser = g_strdup_printf ("/usr/bin/python3 %s/scripted-browser.py",
                                              g_getenv ("STAMP_TEST_FIXTURES"));
  const char *arg;
  va_list ap;

  va_start (ap, first_graph_arg);
  for (arg = first_graph_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);

  g_mkdir_with_parents (g_get_user_config_dir (), 0700);
  fixture->address = g_strdup_printf ("user%u@contoso.example", ++counter);
  fixture->graph = stamp_test_graph_startv ((const char * const *) args);
  if (with_idp)
    fixture->idp = stamp_test_idp_startv (NULL);
  fixture->env = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (fixture->env, NULL);
  fixture_set_env (fixture, "XDG_CONFIG_HOME", g_get_user_config_dir ());
  fixture_set_env (fixture, "XDG_STATE_HOME", g_get_user_state_dir ());
  fixture_set_env (fixture, "STAMP_BROWSER", browser);
  fixture_set_env (fixture, "STAMP_TEST_BROWSER", "accept");
}

static void
fixture_stop (Fixture *fixture)
{
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->graph, stamp_test_graph_free);
  g_clear_pointer (&fixture->env, g_ptr_array_unref);
  g_clear_pointer (&fixture->address, g_free);
}

/* Every token the tests use is a JWT, and every JWT starts so. */
#define JWT_START "eyJ"

static void
run_cli (Fixture            *fixture,
         StampCliRun        *result,
         const char         *input,
         const char         *command,
         const char * const *args)
{
  stamp_test_cli_run (result, input, (const char * const *) fixture->env->pdata, command, args);
  g_test_message ("stamp-cli %s: exit %d\n%s%s", command, result->status, result->out,
                  result->err);

  /* No token ever reaches the output. */
  g_assert_null (strstr (result->out, JWT_START));
  g_assert_null (strstr (result->err, JWT_START));
}

static char *
graph_token (void)
{
  return stamp_test_graph_make_token (STAMP_TEST_GRAPH_AUDIENCE, STAMP_TEST_GRAPH_SCOPE, 0);
}

/* `send --via graph --oauth-token-stdin`, with @first_extra… after the
 * usual options. */
static void
send_one_off (Fixture     *fixture,
              StampCliRun *result,
              const char  *token,
              const char  *first_extra,
              ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *input = g_strconcat (token, "\n", NULL);
  const char *arg;
  va_list ap;

  g_strv_builder_add_many (builder, "--via", "graph", "--oauth-token-stdin", "--from", USER,
                           "--to", PEER, "--graph-url", stamp_test_graph_get_url (fixture->graph),
                           "--timeout", "20", NULL);
  va_start (ap, first_extra);
  for (arg = first_extra; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);

  run_cli (fixture, result, input, "send", (const char * const *) args);
}

static gboolean
contains_words (const char *text,
                const char *words)
{
  g_autofree char *lower_text = g_ascii_strdown (text, -1);
  g_autofree char *lower_words = g_ascii_strdown (words, -1);

  return strstr (lower_text, lower_words) != NULL;
}

static guint
count_events (Fixture    *fixture,
              const char *event)
{
  g_autoptr(GPtrArray) events = stamp_test_graph_get_events (fixture->graph, event);

  return events->len;
}

/* Every request the Graph mock got carried a token for Graph: an SMTP
 * token never went there. */
static void
assert_only_graph_tokens (Fixture *fixture)
{
  g_autoptr(GPtrArray) requests = stamp_test_graph_get_events (fixture->graph, "request");

  g_assert_cmpuint (requests->len, >, 0);
  for (guint i = 0; i < requests->len; i++)
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (requests, i), "aud"), ==,
                     STAMP_TEST_GRAPH_AUDIENCE);
}

/* A one-off send: the checklist, 202 Accepted, the redacted transcript, and
 * the message the mock kept is the one Stamp built, byte for byte. */
static void
test_one_off (void)
{
  static const char body[] = "Hello through Graph.\r\nSecond line, with no secret.\r\n";
  g_autofree char *token = graph_token ();
  g_autofree char *body_path = g_build_filename (g_get_user_config_dir (), "body.txt", NULL);
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) messages = NULL;
  GBytes *message;
  const char *text;
  Fixture fixture = { NULL };

  fixture_start (&fixture, FALSE, "--mailbox", USER, NULL);
  g_assert_true (g_file_set_contents (body_path, body, -1, NULL));
  send_one_off (&fixture, &result, token, "--transcript", "--subject", "Graph check",
                "--body-file", body_path, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "through Microsoft Graph ("));
  g_assert_nonnull (strstr (result.out, "202 Accepted"));
  g_assert_nonnull (strstr (result.out, "POST /v1.0/me/sendMail"));
  g_assert_nonnull (strstr (result.out, "Sent in"));
  /* The transcript has the headers, never the body or the token. */
  g_assert_null (strstr (result.out, "Second line"));
  g_assert_null (strstr (result.out, token));

  messages = stamp_test_graph_get_messages (fixture.graph);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  text = g_bytes_get_data (message, NULL);
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (message), "Subject: Graph check"));
  g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (message), "To: " PEER));
  g_assert_true (g_str_has_suffix (text, body));

  fixture_stop (&fixture);
}

static void
test_one_off_json (void)
{
  g_autofree char *token = graph_token ();
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  JsonArray *steps;
  Fixture fixture = { NULL };

  fixture_start (&fixture, FALSE, NULL);
  send_one_off (&fixture, &result, token, "--json", NULL);
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "graph");
  g_assert_cmpstr (json_object_get_string_member (object, "graph_url"), ==,
                   stamp_test_graph_get_url (fixture.graph));
  steps = json_object_get_array_member (object, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (steps, 2), "state"),
                   ==, "succeeded");

  fixture_stop (&fixture);
}

typedef struct
{
  const char *path;
  const char *fail;       /* graph-server.py --fail */
  int         status;
  const char *error;      /* in the error line */
  const char *advice;     /* in the explanation */
} GraphFailure;

static const GraphFailure failures[] = {
  { "/stamp/cli/graph/fail/access-denied", "403:ErrorAccessDenied", 5, "ErrorAccessDenied",
    "consent" },
  { "/stamp/cli/graph/fail/send-as-denied", "403:ErrorSendAsDenied", 6, "ErrorSendAsDenied",
    "Send As" },
  { "/stamp/cli/graph/fail/mailbox-not-enabled", "404:MailboxNotEnabledForRESTAPI", 6,
    "MailboxNotEnabledForRESTAPI", "mailbox" },
  { "/stamp/cli/graph/fail/too-large", "413:RequestEntityTooLarge", 6, "413", "4 MB" },
  { "/stamp/cli/graph/fail/server-error", "500:InternalServerError", 3, "500", "try again" },
  { "/stamp/cli/graph/fail/unavailable", "503:ServiceUnavailable", 3, "503", "try again" },
};

/* Each refusal is explained as an SMTP reply is, with the same exit
 * statuses. */
static void
test_failure (gconstpointer data)
{
  const GraphFailure *failure = data;
  g_autofree char *token = graph_token ();
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, FALSE, "--fail", failure->fail, NULL);
  send_one_off (&fixture, &result, token, "--max-wait", "0", NULL);
  g_assert_cmpint (result.status, ==, failure->status);
  g_assert_nonnull (strstr (result.err, failure->error));
  g_assert_true (contains_words (result.out, failure->advice));
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 0);

  fixture_stop (&fixture);
}

/* A From that is not the token's mailbox: the mock refuses it as Graph
 * does, and the advice names both, the mailbox given with --user. */
static void
test_send_as_denied (void)
{
  g_autofree char *token = graph_token ();
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, FALSE, "--mailbox", USER, NULL);
  {
    g_autofree char *input = g_strconcat (token, "\n", NULL);
    const char * const args[] = {
      "--via", "graph", "--oauth-token-stdin", "--from", "sales@contoso.example", "--to", PEER,
      "--user", USER, "--graph-url", stamp_test_graph_get_url (fixture.graph), NULL,
    };

    run_cli (&fixture, &result, input, "send", args);
  }
  g_assert_cmpint (result.status, ==, 6);
  g_assert_nonnull (strstr (result.err, "403 ErrorSendAsDenied"));
  g_assert_nonnull (strstr (result.out, "-Identity sales@contoso.example -Trustee " USER));
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 0);

  fixture_stop (&fixture);
}

/* A token for SMTP (Outlook's audience) never reaches Graph; a token Graph
 * itself refuses is 401, with the sign-in exit status. */
static void
test_wrong_token (void)
{
  g_autofree char *smtp_token = stamp_test_graph_make_token ("https://outlook.office.com",
                                                             "SMTP.Send offline_access", 0);
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, FALSE, NULL);
  send_one_off (&fixture, &result, smtp_token, NULL);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "not for Microsoft Graph"));
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 0);
  stamp_test_cli_run_clear (&result);

  /* An opaque token (a personal account's) goes, for Graph to judge. */
  send_one_off (&fixture, &result, "opaque-token-Graph-does-not-know", NULL);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "401 InvalidAuthenticationToken"));
  g_assert_null (strstr (result.out, "opaque-token-Graph-does-not-know"));
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 1);

  fixture_stop (&fixture);
}

/* 429 with Retry-After: waited out as told, then sent; beyond --max-wait,
 * the failure says how long to wait. */
static void
test_throttled (void)
{
  g_autofree char *token = graph_token ();
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) requests = NULL;
  Fixture fixture = { NULL };
  gint64 started;

  fixture_start (&fixture, FALSE, "--throttle", "1:1", NULL);
  started = g_get_monotonic_time ();
  send_one_off (&fixture, &result, token, NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
  requests = stamp_test_graph_get_events (fixture.graph, "request");
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (requests, 0), "status"), ==, 429);
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 1);
  fixture_stop (&fixture);
  stamp_test_cli_run_clear (&result);

  fixture_start (&fixture, FALSE, "--throttle", "120:1", NULL);
  send_one_off (&fixture, &result, token, "--max-wait", "5", NULL);
  g_assert_cmpint (result.status, ==, 6);
  g_assert_nonnull (strstr (result.err, "429"));
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 0);
  fixture_stop (&fixture);
}

/* Over Graph's 4 MB the message is refused before anything is sent. */
static void
test_too_large (void)
{
  g_autofree char *token = graph_token ();
  g_autofree char *body_path = g_build_filename (g_get_user_config_dir (), "big.txt", NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  while (body->len < 3200 * 1024)
    g_string_append (body, "A line of a long message, much longer than Graph takes at once.\r\n");
  fixture_start (&fixture, FALSE, NULL);
  g_assert_true (g_file_set_contents (body_path, body->str, body->len, NULL));
  send_one_off (&fixture, &result, token, "--body-file", body_path, NULL);
  g_assert_cmpint (result.status, ==, 6);
  g_assert_nonnull (strstr (result.err, "4 MB"));
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 0);

  fixture_stop (&fixture);
}

typedef struct
{
  const char *path;
  const char *args[12];
  const char *input;
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/stamp/cli/graph/usage/no-token",
    { "--via", "graph", "--from", USER, "--to", PEER, NULL }, NULL, "--oauth-token-stdin" },
  { "/stamp/cli/graph/usage/password",
    { "--via", "graph", "--password-stdin", "--from", USER, "--to", PEER, NULL }, "secret\n",
    "not a password" },
  { "/stamp/cli/graph/usage/smtp-options",
    { "--via", "graph", "--oauth-token-stdin", "--host", "smtp.example.test", "--from", USER,
      "--to", PEER, NULL }, "token\n", "are for SMTP" },
  { "/stamp/cli/graph/usage/plain-http",
    { "--via", "graph", "--oauth-token-stdin", "--from", USER, "--to", PEER, "--graph-url",
      "http://graph.example.test/v1.0", NULL }, "token\n", "http" },
  { "/stamp/cli/graph/usage/unknown-via",
    { "--via", "pigeon", "--from", USER, "--to", PEER, NULL }, NULL, "pigeon" },
  { "/stamp/cli/graph/usage/graph-url-for-smtp",
    { "--host", "smtp.example.test", "--from", USER, "--to", PEER, "--graph-url",
      "https://graph.example.test/v1.0", NULL }, NULL, "--graph-url" },
  { "/stamp/cli/graph/usage/no-recipient",
    { "--via", "graph", "--oauth-token-stdin", "--from", USER, NULL }, "token\n", "--to" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *usage = data;
  g_auto(StampCliRun) result = { NULL };
  const char * const env[] = { "XDG_CONFIG_HOME", g_get_user_config_dir (), NULL };

  stamp_test_cli_run (&result, usage->input, env, "send", usage->args);
  g_test_message ("%s", result.err);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, usage->message));
}

/* The account as the CLI contract saves it, pointed at the mocks. */
static void
add_graph_account (Fixture     *fixture,
                   StampCliRun *result)
{
  const char * const add[] = {
    "add", fixture->address, "--method", "graph", "--provider", "microsoft",
    "--client-id", STAMP_TEST_IDP_CLIENT_ID, "--authority", stamp_test_idp_get_authority (fixture->idp),
    "--graph-url", stamp_test_graph_get_url (fixture->graph), NULL,
  };

  run_cli (fixture, result, NULL, "accounts", add);
  g_assert_cmpint (result->status, ==, 0);
  stamp_test_cli_run_clear (result);
}

static void
login (Fixture     *fixture,
       StampCliRun *result)
{
  const char * const args[] = { fixture->address, "--timeout", "20", NULL };

  run_cli (fixture, result, NULL, "login", args);
}

static void
send_with_account (Fixture     *fixture,
                   StampCliRun *result)
{
  const char * const args[] = { "--account", fixture->address, "--to", PEER, "--timeout", "20",
                                "--transcript", NULL };

  run_cli (fixture, result, NULL, "send", args);
}

/* accounts add --method graph, login in the scripted browser, send
 * --account: the sign-in asked for Mail.Send, each token request for one
 * resource, and the message went through Graph. */
static void
test_account_login_send (void)
{
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(GPtrArray) authorize = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  const char *scope;
  Fixture fixture = { NULL };

  fixture_start (&fixture, TRUE, NULL);
  add_graph_account (&fixture, &result);

  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "Microsoft Graph"));
  stamp_test_cli_run_clear (&result);

  authorize = stamp_test_idp_get_events (fixture.idp, "authorize");
  g_assert_cmpuint (authorize->len, ==, 1);
  scope = json_object_get_string_member (g_ptr_array_index (authorize, 0), "scope");
  g_assert_nonnull (strstr (scope, "https://graph.microsoft.com/Mail.Send"));
  g_assert_nonnull (strstr (scope, "offline_access"));

  /* The code was redeemed for one resource only. */
  tokens = stamp_test_idp_get_events (fixture.idp, "token");
  for (guint i = 0; i < tokens->len; i++)
    {
      JsonObject *event = g_ptr_array_index (tokens, i);
      const char *asked = json_object_get_string_member_with_default (event, "scope", NULL);

      if (asked == NULL)
        continue;
      g_test_message ("token request scope: %s", asked);
      g_assert_false (strstr (asked, "graph.microsoft.com") != NULL
                      && strstr (asked, "outlook.office") != NULL);
    }

  send_with_account (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "202 Accepted"));
  g_assert_nonnull (strstr (result.out, "POST /v1.0/me/sendMail"));
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 1);
  assert_only_graph_tokens (&fixture);
  stamp_test_cli_run_clear (&result);

  /* --graph-url wins over the account's for one run: nothing listens
   * there, which is a connection failure. */
  {
    const char * const args[] = { "--account", fixture.address, "--graph-url",
                                  "http://127.0.0.1:1/v1.0", "--timeout", "10", NULL };

    run_cli (&fixture, &result, NULL, "send", args);
  }
  g_assert_cmpint (result.status, ==, 3);
  g_assert_nonnull (strstr (result.out, "http://127.0.0.1:1/v1.0"));
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 1);

  fixture_stop (&fixture);
}

/* Graph refuses the stored token once: one refresh, one more try. */
static void
test_account_refresh_on_401 (void)
{
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, TRUE, "--expire-first", "1", NULL);
  add_graph_account (&fixture, &result);
  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  send_with_account (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "trying once more"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 1);
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 2);
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 1);
  stamp_test_cli_run_clear (&result);

  fixture_stop (&fixture);
}

/* Refused twice: refreshed once only, then "sign in again". */
static void
test_account_401_twice (void)
{
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, TRUE, "--expire-first", "5", NULL);
  add_graph_account (&fixture, &result);
  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  send_with_account (&fixture, &result);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_true (contains_words (result.out, "sign in again"));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture.idp, "refresh_token"), ==, 1);
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 2);

  fixture_stop (&fixture);
}

/* An account signed in for SMTP, switched to Graph: the stored SMTP token
 * never goes to Graph; the sign-in must be done again for Graph's
 * permission, and then only Graph's tokens go there. */
static void
test_smtp_token_never_to_graph (void)
{
  const char * add[] = {
    "add", NULL, "--provider", "microsoft", "--auth", "xoauth2",
    "--client-id", STAMP_TEST_IDP_CLIENT_ID, "--authority", NULL, NULL,
  };
  const char * to_graph[] = { "set", NULL, "--method", "graph", "--graph-url", NULL, NULL };
  g_auto(StampCliRun) result = { NULL };
  Fixture fixture = { NULL };

  fixture_start (&fixture, TRUE, NULL);
  add[1] = to_graph[1] = fixture.address;
  add[9] = stamp_test_idp_get_authority (fixture.idp);
  to_graph[5] = stamp_test_graph_get_url (fixture.graph);

  run_cli (&fixture, &result, NULL, "accounts", add);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);
  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  run_cli (&fixture, &result, NULL, "accounts", to_graph);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  /* The sign-in was for SMTP: Graph was never consented to, and nothing
   * went to Graph. */
  send_with_account (&fixture, &result);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "AADSTS65001"));
  g_assert_nonnull (strstr (result.err, "stamp-cli login "));
  g_assert_cmpuint (count_events (&fixture, "request"), ==, 0);
  stamp_test_cli_run_clear (&result);

  /* Signed in again, now for Graph too. */
  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  stamp_test_cli_run_clear (&result);

  send_with_account (&fixture, &result);
  g_assert_cmpint (result.status, ==, 0);
  assert_only_graph_tokens (&fixture);
  g_assert_cmpuint (count_events (&fixture, "accepted"), ==, 1);

  fixture_stop (&fixture);
}

/* --admin-consent-url prints the link without signing in; a sign-in that
 * needs an administrator's consent prints it with the words to send. */
static void
test_admin_consent (void)
{
  g_auto(StampCliRun) result = { NULL };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) authorize = NULL;
  g_autofree char *prefix = NULL;
  Fixture fixture = { NULL };

  fixture_start (&fixture, TRUE, NULL);
  add_graph_account (&fixture, &result);
  prefix = g_strconcat (stamp_test_idp_get_authority (fixture.idp), "/", NULL);

  {
    const char * const args[] = { fixture.address, "--tenant", "contoso.example",
                                  "--admin-consent-url", NULL };

    run_cli (&fixture, &result, NULL, "login", args);
  }
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, prefix));
  g_assert_nonnull (strstr (result.out, "/contoso.example/v2.0/adminconsent?"));
  g_assert_nonnull (strstr (result.out, "client_id=" STAMP_TEST_IDP_CLIENT_ID));
  /* One line, the address alone. */
  g_assert_cmpuint (strlen (result.out), ==, strcspn (result.out, "\n") + 1);
  stamp_test_cli_run_clear (&result);

  {
    const char * const args[] = { fixture.address, "--admin-consent-url", "--json", NULL };

    run_cli (&fixture, &result, NULL, "login", args);
  }
  g_assert_cmpint (result.status, ==, 0);
  object = stamp_test_cli_parse_json (result.out);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "url"), prefix));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "request"), "Mail.Send"));
  stamp_test_cli_run_clear (&result);

  /* Nothing was signed in. */
  authorize = stamp_test_idp_get_events (fixture.idp, "authorize");
  g_assert_cmpuint (authorize->len, ==, 0);

  stamp_test_idp_control (fixture.idp,
                          "{\"fail_next_token\": {\"error\": \"invalid_grant\", \"code\": 65001, "
                          "\"description\": \"The user or administrator has not consented to use "
                          "the application.\"}}");
  login (&fixture, &result);
  g_assert_cmpint (result.status, ==, 5);
  g_assert_nonnull (strstr (result.err, "adminconsent?"));
  g_assert_nonnull (strstr (result.err, "Mail.Send"));
  g_assert_nonnull (strstr (result.err, "--admin-consent-url"));

  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/cli/graph/one-off", test_one_off);
  g_test_add_func ("/stamp/cli/graph/one-off-json", test_one_off_json);
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    g_test_add_data_func (failures[i].path, &failures[i], test_failure);
  g_test_add_func ("/stamp/cli/graph/fail/wrong-token", test_wrong_token);
  g_test_add_func ("/stamp/cli/graph/fail/send-as-mailbox", test_send_as_denied);
  g_test_add_func ("/stamp/cli/graph/throttled", test_throttled);
  g_test_add_func ("/stamp/cli/graph/too-large", test_too_large);
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    g_test_add_data_func (usage_cases[i].path, &usage_cases[i], test_usage);
  g_test_add_func ("/stamp/cli/graph/account-login-send", test_account_login_send);
  g_test_add_func ("/stamp/cli/graph/account-refresh-on-401", test_account_refresh_on_401);
  g_test_add_func ("/stamp/cli/graph/account-401-twice", test_account_401_twice);
  g_test_add_func ("/stamp/cli/graph/smtp-token-never-to-graph", test_smtp_token_never_to_graph);
  g_test_add_func ("/stamp/cli/graph/admin-consent", test_admin_consent);

  return g_test_run ();
}

/* test-oauth-redirect.c
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

/* The loopback listener the browser sign-in sends the browser back to,
 * driven by an HTTP client in this process playing the browser: where it
 * listens, what it answers, the one answer it takes, each way that answer
 * can fail, and cancelling it. */

#define G_LOG_DOMAIN "test-oauth-redirect"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "stamp-error.h"
#include "stamp-oauth-redirect.h"
#include "stamp-test-http.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"

typedef struct
{
  StampOAuthRedirect *redirect;
  GPtrArray          *addresses;
  GAsyncResult       *result;
} Listener;

static void
listener_clear (Listener *listener)
{
  g_clear_object (&listener->redirect);
  g_clear_pointer (&listener->addresses, g_ptr_array_unref);
  g_clear_object (&listener->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Listener, listener_clear)

static void
listener_start (Listener   *listener,
                const char *state)
{
  g_autoptr(GError) error = NULL;

  listener->redirect = stamp_oauth_redirect_new (&error);
  g_assert_no_error (error);
  listener->addresses = stamp_oauth_redirect_get_addresses (listener->redirect);
  stamp_oauth_redirect_receive_async (listener->redirect, "Contoso", state, NULL,
                                      stamp_test_result_cb, &listener->result);
}

static void
listener_get (Listener            *listener,
              const char          *path_and_query,
              StampTestHttpAnswer *answer)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          stamp_oauth_redirect_get_port (listener->redirect),
                                          path_and_query);

  stamp_test_http_request (SOUP_METHOD_GET, url, NULL, answer);
}

static char *
listener_finish (Listener  *listener,
                 GError   **error)
{
  return stamp_oauth_redirect_receive_finish (listener->redirect,
                                              stamp_test_wait_result (&listener->result), error);
}

/* Runs what is ready now, so that an answer that was going to come has come. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_redirect_listener (void)
{
  g_auto(Listener) listener = { 0 };
  g_auto(StampTestHttpAnswer) favicon = { 0 };
  g_auto(StampTestHttpAnswer) post = { 0 };
  g_auto(StampTestHttpAnswer) page = { 0 };
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_uri = NULL;
  g_autofree char *post_url = NULL;
  g_autofree char *code = NULL;
  guint16 port;

  listener_start (&listener, "STATE-1");
  port = stamp_oauth_redirect_get_port (listener.redirect);
  g_assert_cmpuint (port, >, 0);
  expected_uri = g_strdup_printf ("http://localhost:%u", port);
  g_assert_cmpstr (stamp_oauth_redirect_get_uri (listener.redirect), ==, expected_uri);

  /* Only this computer can reach it. */
  g_assert_cmpuint (listener.addresses->len, >=, 1);
  for (guint i = 0; i < listener.addresses->len; i++)
    {
      GInetSocketAddress *address = g_ptr_array_index (listener.addresses, i);

      g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
      g_assert_true (g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)));
      g_assert_cmpuint (g_inet_socket_address_get_port (address), ==, port);
    }

  /* What a browser asks for besides the answer does not end it. */
  listener_get (&listener, "/favicon.ico", &favicon);
  g_assert_cmpuint (favicon.status, ==, SOUP_STATUS_NOT_FOUND);
  post_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  stamp_test_http_request (SOUP_METHOD_POST, post_url, "code=POSTED&state=STATE-1", &post);
  g_assert_cmpuint (post.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  drain_main_context ();
  g_assert_null (listener.result);

  listener_get (&listener, "/?code=CODE-1&state=STATE-1&session_state=x", &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (page.content_type, "text/html"));
  g_assert_cmpstr (page.cache_control, ==, "no-store");
  g_assert_true (g_str_has_prefix (page.body, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (page.body, "You are signed in"));
  g_assert_nonnull (strstr (page.body, "You can close this tab"));

  code = listener_finish (&listener, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "CODE-1");

  /* One answer, then it is gone from every address it had. */
  after = stamp_oauth_redirect_get_addresses (listener.redirect);
  g_assert_cmpuint (after->len, ==, 0);
  for (guint i = 0; i < listener.addresses->len; i++)
    stamp_test_assert_refused (g_ptr_array_index (listener.addresses, i));
}

typedef struct
{
  const char *path;
  const char *query;
  int         expected;
} ListenerErrorCase;

static const ListenerErrorCase listener_error_cases[] = {
  { "/stamp/oauth/redirect/denied",
    "/?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent.%0D%0ATrace+ID%3A+1&state=STATE-1",
    STAMP_ERROR_OAUTH_DENIED },
  { "/stamp/oauth/redirect/no-code", "/?state=STATE-1", STAMP_ERROR_OAUTH_FAILED },
  { "/stamp/oauth/redirect/empty-code", "/?code=&state=STATE-1", STAMP_ERROR_OAUTH_FAILED },
  { "/stamp/oauth/redirect/wrong-state", "/?code=CODE-1&state=STATE-2", STAMP_ERROR_OAUTH_STATE },
  { "/stamp/oauth/redirect/no-state", "/?code=CODE-1", STAMP_ERROR_OAUTH_STATE },
  /* A forged error must not pass for the provider's either. */
  { "/stamp/oauth/redirect/error-wrong-state", "/?error=access_denied&state=STATE-2",
    STAMP_ERROR_OAUTH_STATE },
};

static void
test_redirect_error (gconstpointer data)
{
  const ListenerErrorCase *test = data;
  g_auto(Listener) listener = { 0 };
  g_auto(StampTestHttpAnswer) page = { 0 };
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  listener_start (&listener, "STATE-1");
  listener_get (&listener, test->query, &page);
  g_assert_cmpuint (page.status, ==, SOUP_STATUS_OK);
  g_assert_nonnull (strstr (page.body, "The sign-in did not finish"));

  code = listener_finish (&listener, &error);
  g_assert_error (error, STAMP_ERROR, test->expected);
  g_assert_null (code);
  stamp_test_assert_no_request_details (error->message);
  g_clear_error (&error);

  /* It was the one answer: the listener cannot be used again. */
  for (guint i = 0; i < listener.addresses->len; i++)
    stamp_test_assert_refused (g_ptr_array_index (listener.addresses, i));
  stamp_oauth_redirect_receive_async (listener.redirect, "Contoso", "STATE-1", NULL,
                                      stamp_test_result_cb, &again);
  code = stamp_oauth_redirect_receive_finish (listener.redirect, stamp_test_wait_result (&again),
                                              &error);
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_OAUTH_FAILED);
  g_assert_null (code);
}

static void
test_redirect_cancel (void)
{
  g_autoptr(StampOAuthRedirect) redirect = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  redirect = stamp_oauth_redirect_new (&error);
  g_assert_no_error (error);
  addresses = stamp_oauth_redirect_get_addresses (redirect);

  stamp_oauth_redirect_receive_async (redirect, "Contoso", "STATE-1", cancellable,
                                      stamp_test_result_cb, &result);
  g_cancellable_cancel (cancellable);
  code = stamp_oauth_redirect_receive_finish (redirect, stamp_test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (code);

  for (guint i = 0; i < addresses->len; i++)
    stamp_test_assert_refused (g_ptr_array_index (addresses, i));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StampTestResolver) resolver = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Tests never ask real DNS. */
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/oauth/redirect/listener", test_redirect_listener);
  for (guint i = 0; i < G_N_ELEMENTS (listener_error_cases); i++)
    g_test_add_data_func (listener_error_cases[i].path, &listener_error_cases[i],
                          test_redirect_error);
  g_test_add_func ("/stamp/oauth/redirect/cancel", test_redirect_cancel);

  return g_test_run ();
}

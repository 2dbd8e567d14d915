/* test-graph.c
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

#define G_LOG_DOMAIN "test-graph"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "stamp-account-store.h"
#include "stamp-secret-store.h"
#include "stamp-setup-assistant.h"
#include "stamp-sign-in-dialog.h"
#include "stamp-sign-in-page.h"
#include "stamp-test-graph.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-view.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"

/* Sending through Microsoft Graph in the app, as a new user meets it: the
 * sending method in the setup assistant, the test send's checklist through
 * Graph, the administrator's consent, and the switch from SMTP when the
 * tenant has SMTP AUTH off. Real peers on loopback: the mock identity
 * provider with the scripted browser, the mock Graph endpoint and the SMTP
 * server; a real keyring (with-keyring.sh). With STAMP_SCREENSHOT_DIR set,
 * what the tests check is saved in light and dark, wide and 360 px. */

#define RCPT "desk@example.test"

typedef struct
{
  StampTestResolver *resolver;
  StampTestIdp      *idp;
  StampTestServer   *server;
  StampTestGraph    *graph;
  const char        *graph_url;
  StampAccountStore *store;
  GtkWindow         *window;     /* the assistant, or a window with a test view */
  StampTestView     *view;
  guint              finished;
} Fixture;

/* What the mock Graph accepted, its log's "accepted" events in one string. */
static char *
graph_log (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = stamp_test_graph_get_events (fixture->graph, "accepted");
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *line = NULL;

      json_node_set_object (node, g_ptr_array_index (events, i));
      line = json_to_string (node, FALSE);
      g_string_append_printf (text, "%s\n", line);
    }

  return g_string_free (text, FALSE);
}

static void
start_graph (Fixture    *fixture,
             const char *first_arg,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg = first_arg;
  va_list ap;

  va_start (ap, first_arg);
  for (; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  fixture->graph = stamp_test_graph_startv ((const char * const *) args->pdata);
  fixture->graph_url = stamp_test_graph_get_url (fixture->graph);
}

/* Widgets */

static GtkWidget *
find_in (Fixture              *fixture,
         StampTestWidgetMatch  match,
         gconstpointer         data)
{
  return stamp_test_find_widget (GTK_WIDGET (fixture->window), match, data);
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  return stamp_test_find_row (GTK_WIDGET (fixture->window), title);
}

static gboolean
label_is_shown (gpointer data)
{
  gpointer *args = data;

  return stamp_test_find_widget (args[0], stamp_test_is_mapped_label_containing, args[1]) != NULL;
}

static void
wait_for_label_in (GtkWidget  *widget,
                   const char *text)
{
  gpointer args[] = { widget, (gpointer) text };
  g_autofree char *what = g_strdup_printf ("a label showing “%s”", text);

  stamp_test_wait_until (label_is_shown, args, what);
}

static void
wait_for_label (Fixture    *fixture,
                const char *text)
{
  wait_for_label_in (GTK_WIDGET (fixture->window), text);
}

static void
type_into (Fixture    *fixture,
           const char *row_title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture, row_title)), text);
}

static void
click_action (Fixture    *fixture,
              const char *action)
{
  stamp_test_click_button (find_in (fixture, stamp_test_is_mapped_button_for, action));
}

static void
click_labelled (Fixture    *fixture,
                const char *label)
{
  stamp_test_click_button (find_in (fixture, stamp_test_is_mapped_button_labelled, label));
}

static StampTestView *
test_view (Fixture *fixture)
{
  return STAMP_TEST_VIEW (find_in (fixture, stamp_test_is_of_type,
                                   GSIZE_TO_POINTER (STAMP_TYPE_TEST_VIEW)));
}

static gboolean
test_view_is_idle (gpointer data)
{
  return !stamp_test_view_get_busy (data);
}

/* Wide and 360 px narrow, light and dark. */
static void
save_screenshots (Fixture    *fixture,
                  const char *name)
{
  g_autofree char *narrow = g_strdup_printf ("%s-narrow", name);
  int width, height;

  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), name);

  gtk_window_get_default_size (fixture->window, &width, &height);
  gtk_window_set_default_size (fixture->window, 360, height);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), narrow);
  gtk_window_set_default_size (fixture->window, width, height);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->resolver = stamp_test_resolver_install ();
  fixture->store = stamp_account_store_new (NULL);
  g_assert_true (stamp_account_store_load (fixture->store, &error));
  g_assert_no_error (error);
  fixture->idp = stamp_test_idp_startv (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  g_assert_null (fixture->window);

  g_clear_object (&fixture->store);
  g_clear_object (&fixture->resolver);
  g_clear_pointer (&fixture->server, stamp_test_server_free);
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->graph, stamp_test_graph_free);
}

static void
count_finished_cb (Fixture *fixture)
{
  fixture->finished++;
}

/* A window with a test view, as the main window's Send Test Message. */
static void
open_test_window (Fixture      *fixture,
                  StampAccount *account)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  fixture->window = GTK_WINDOW (adw_window_new ());
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_set_default_size (fixture->window, 520, 760);
  gtk_window_set_title (fixture->window, "Test Message");
  fixture->view = STAMP_TEST_VIEW (stamp_test_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->view), TRUE);
  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (fixture->view));
  adw_window_set_content (ADW_WINDOW (fixture->window), content);

  g_signal_connect_swapped (fixture->view, "finished", G_CALLBACK (count_finished_cb), fixture);
  stamp_test_view_set_store (fixture->view, fixture->store);
  stamp_test_view_set_account (fixture->view, account);
  stamp_test_view_set_recipient (fixture->view, RCPT);
  gtk_window_present (fixture->window);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
}

/* A Microsoft 365 account of the mock identity provider, sending through
 * the mock Graph endpoint. */
static StampAccount *
new_graph_account (Fixture    *fixture,
                   const char *address)
{
  StampAccount *account = stamp_test_idp_new_account (fixture->idp, address, "microsoft365");

  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  stamp_account_set_graph_url (account, fixture->graph_url);

  return account;
}

static void
run_test (Fixture *fixture)
{
  click_action (fixture, "test-view.start");
  stamp_test_wait_until (test_view_is_idle, fixture->view, "the test send to end");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
}

/* Every title of the checklist's rows, shown, in order, in one string. */
static void
collect_step_titles (GtkWidget *widget,
                     GString   *titles)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (titles, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
      g_string_append_c (titles, '|');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_step_titles (child, titles);
}

static char *
dup_step_titles (Fixture *fixture)
{
  GString *titles = g_string_new (NULL);

  collect_step_titles (GTK_WIDGET (fixture->view), titles);

  return g_string_free (titles, FALSE);
}

static GtkWidget *
find_any (GtkWidget *widget,
          GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_any (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_expander_labelled (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_EXPANDER (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (widget)), data) == 0;
}

/* The transcript, opened. */
static char *
dup_transcript (Fixture *fixture)
{
  GtkWidget *expander = stamp_test_find_widget (GTK_WIDGET (fixture->view),
                                                 is_expander_labelled, "Transcript");
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_nonnull (expander);
  /* A closed expander has no child in the tree. */
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_any (expander, GTK_TYPE_TEXT_VIEW)));

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The setup assistant */

static gboolean
next_is_enabled (gpointer data)
{
  GtkWidget *next = stamp_test_find_widget (data, stamp_test_is_mapped_button_for,
                                            "assistant.next");

  return next != NULL && gtk_widget_is_sensitive (next);
}

static GtkStack *
page_stack (Fixture *fixture)
{
  return GTK_STACK (find_in (fixture, stamp_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_STACK)));
}

static gboolean
page_has_settled (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

static void
go_next (Fixture    *fixture,
         const char *expected_page)
{
  stamp_test_wait_until (next_is_enabled, fixture->window, "Next to be enabled");
  click_action (fixture, "assistant.next");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (fixture)), ==, expected_page);
  stamp_test_wait_until (page_has_settled, page_stack (fixture), "the page to settle");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
}

static gboolean
discovery_is_done (gpointer data)
{
  Fixture *fixture = data;

  return find_in (fixture, stamp_test_is_mapped_label_containing, "No settings found") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing, "settings found.") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing, "Found the settings of")
            != NULL;
}

static gboolean
signed_in_or_failed (gpointer data)
{
  Fixture *fixture = data;

  return next_is_enabled (fixture->window)
         || find_in (fixture, stamp_test_is_mapped_label_containing, "Error code") != NULL;
}

/* An assistant at the sign-in page of @address on @host. */
static void
open_assistant_at_sign_in (Fixture    *fixture,
                           const char *address,
                           const char *host)
{
  fixture->window = GTK_WINDOW (stamp_setup_assistant_new (NULL, fixture->store));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_present (fixture->window);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  type_into (fixture, "Email Address", address);
  stamp_test_wait_until (discovery_is_done, fixture, "discovery to end");
  go_next (fixture, "server");
  type_into (fixture, "Server Name", host);
  go_next (fixture, "sign-in");
}

static gboolean
save_is_done (gpointer data)
{
  Fixture *fixture = data;

  return find_in (fixture, stamp_test_is_mapped_label_containing, "Account Saved") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing, "Not Saved") != NULL;
}

/* The sending method: offered for Microsoft 365 with its sign-in, saved,
 * and the sign-in asks for Graph's permission; a Graph test send. */
static void
test_assistant_method (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *address = "eve@contoso.test";
  g_autoptr(GPtrArray) authorizes = NULL;
  g_autofree char *titles = NULL;
  AdwComboRow *method;
  StampAccount *saved;

  start_graph (fixture, NULL);
  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 0,
                              "contoso-test.mail.protection.outlook.com");
  open_assistant_at_sign_in (fixture, address, "smtp.office365.com");

  method = ADW_COMBO_ROW (find_row (fixture, "Sending Method"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (method)));
  g_assert_cmpuint (adw_combo_row_get_selected (method), ==, 0);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (method)),
                            "turned off SMTP AUTH"));
  /* A password sends through SMTP only. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (stamp_test_find_widget (
    find_row (fixture, "Password or App Password"), stamp_test_is_of_type,
    GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON))), TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (method)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (stamp_test_find_widget (
    find_row (fixture, "Sign In with Microsoft"), stamp_test_is_of_type,
    GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON))), TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (method)));

  adw_combo_row_set_selected (method, 1);
  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  stamp_test_check_controls (GTK_WIDGET (fixture->window));
  save_screenshots (fixture, "graph-assistant-method");
  click_labelled (fixture, "_Sign In with Microsoft");
  stamp_test_wait_until (signed_in_or_failed, fixture, "the browser sign-in");
  wait_for_label (fixture, "Signed in");
  authorizes = stamp_test_idp_get_events (fixture->idp, "authorize");
  g_assert_cmpuint (authorizes->len, >=, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (authorizes, 0),
                                                           "scope"),
                            "Mail.Send"));

  go_next (fixture, "test");
  fixture->view = test_view (fixture);
  stamp_account_set_graph_url (stamp_test_view_get_account (fixture->view), fixture->graph_url);
  type_into (fixture, "Send To", RCPT);
  run_test (fixture);
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  titles = dup_step_titles (fixture);
  g_assert_nonnull (strstr (titles, "Sign-in token|Request to Microsoft Graph|"));
  save_screenshots (fixture, "graph-assistant-sent");

  go_next (fixture, "done");
  stamp_test_wait_until (save_is_done, fixture, "the account to be saved");
  wait_for_label (fixture, "Account Saved");
  saved = stamp_account_store_lookup (fixture->store, address);
  g_assert_nonnull (saved);
  g_assert_cmpint (stamp_account_get_method (saved), ==, STAMP_SEND_METHOD_GRAPH);
  gtk_window_destroy (fixture->window);

  /* Changing the account shows the method, and changes it. */
  fixture->window = GTK_WINDOW (stamp_setup_assistant_new (NULL, fixture->store));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  stamp_setup_assistant_set_account (STAMP_SETUP_ASSISTANT (fixture->window), saved);
  gtk_window_present (fixture->window);
  go_next (fixture, "server");
  go_next (fixture, "sign-in");
  method = ADW_COMBO_ROW (find_row (fixture, "Sending Method"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (method)));
  g_assert_cmpuint (adw_combo_row_get_selected (method), ==, 1);
  /* Back to SMTP: the sign-in for Graph asked for SMTP's permission too. */
  adw_combo_row_set_selected (method, 0);
  g_assert_true (next_is_enabled (fixture->window));
  go_next (fixture, "test");
  g_assert_cmpint (stamp_account_get_method (stamp_test_view_get_account (test_view (fixture))),
                   ==, STAMP_SEND_METHOD_SMTP);
  gtk_window_destroy (fixture->window);

  /* Google has no Graph: no choice. */
  open_assistant_at_sign_in (fixture, "zed@example.test", "smtp.gmail.com");
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Google")));
  g_assert_false (gtk_widget_get_mapped (find_row (fixture, "Sending Method")));
}

/* A Graph test send: the three steps, 202 Accepted, and a transcript
 * without the token or the message. */
static void
test_graph_send (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *address = "ada@contoso.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autofree char *titles = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *log = NULL;

  start_graph (fixture, NULL);
  account = new_graph_account (fixture, address);
  tokens = stamp_test_idp_sign_in (fixture->idp, account);
  open_test_window (fixture, account);
  stamp_test_view_set_secret (fixture->view, tokens->access_token, TRUE);

  wait_for_label (fixture, "through Microsoft Graph");
  run_test (fixture);
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));

  wait_for_label (fixture, "Microsoft Graph accepted the message for " RCPT);
  wait_for_label (fixture, "202 Accepted");
  titles = dup_step_titles (fixture);
  g_test_message ("Steps: %s", titles);
  g_assert_nonnull (strstr (titles, "Sign-in token|Request to Microsoft Graph|"));
  g_assert_nonnull (strstr (titles, "ccepted"));
  /* No SMTP words for a send without SMTP. */
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing, "250"));
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing, "The server"));

  transcript = dup_transcript (fixture);
  g_test_message ("Transcript:\n%s", transcript);
  g_assert_nonnull (strstr (transcript, "sendMail"));
  g_assert_nonnull (strstr (transcript, "202"));
  g_assert_null (strstr (transcript, tokens->access_token));
  g_assert_null (strstr (transcript, stamp_test_idp_get_canary (fixture->idp)));

  log = graph_log (fixture);
  g_assert_nonnull (strstr (log, RCPT));

  stamp_test_check_controls (GTK_WIDGET (fixture->window));
  save_screenshots (fixture, "graph-test-sent");
}

/* 403 ErrorAccessDenied: Mail.Send is not allowed for the app; the card
 * says what an administrator clicks, with the link and the words. */
static void
test_graph_access_denied (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *address = "bo@contoso.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  GtkLabel *link;
  GtkWidget *copy_message;

  start_graph (fixture, "--fail", "403:ErrorAccessDenied", NULL);
  account = new_graph_account (fixture, address);
  tokens = stamp_test_idp_sign_in (fixture->idp, account);
  open_test_window (fixture, account);
  stamp_test_view_set_secret (fixture->view, tokens->access_token, TRUE);

  run_test (fixture);
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  wait_for_label (fixture, "clicks Accept");
  link = GTK_LABEL (find_in (fixture, stamp_test_is_mapped_label_containing, "adminconsent"));
  g_assert_nonnull (link);
  g_assert_nonnull (strstr (gtk_label_get_label (link), STAMP_TEST_IDP_CLIENT_ID));
  g_assert_true (gtk_label_get_selectable (link));
  /* Nothing to switch to: the account sends through Graph already. */
  g_assert_null (find_in (fixture, stamp_test_is_mapped_button_for, "test-view.use-graph"));

  copy_message = find_in (fixture, stamp_test_is_mapped_button_for,
                          "test-view.copy-consent-message");
  g_assert_nonnull (copy_message);
  stamp_test_check_controls (GTK_WIDGET (fixture->window));
  save_screenshots (fixture, "graph-access-denied");

  stamp_test_click_button (copy_message);
  g_assert_cmpstr (stamp_test_button_get_label (copy_message), ==, "Message Copied");
}

static gboolean
window_is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
sent_twice (gpointer data)
{
  Fixture *fixture = data;

  return fixture->finished >= 2;
}

static gboolean
dialog_is_shown (gpointer data)
{
  return stamp_test_find_toplevel (STAMP_TYPE_SIGN_IN_DIALOG) != NULL;
}

/* SMTP AUTH off for the tenant: the card offers Graph, which switches the
 * account, signs in for Graph and sends again, through Graph. */
static void
test_smtp_auth_disabled (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *address = "cy@contoso.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampSecretStore) secrets = stamp_secret_store_new ();
  g_autoptr(StampAccountStore) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *log = NULL;
  g_autofree char *titles = NULL;
  GtkWidget *button;

  start_graph (fixture, NULL);
  fixture->server = stamp_test_server_start ("starttls", "--user", address, "--token-file",
                                             stamp_test_idp_get_token_file (fixture->idp),
                                             "--scenario", "auth-reject-5.7.139", NULL);
  account = new_graph_account (fixture, address);
  stamp_account_set_method (account, STAMP_SEND_METHOD_SMTP);
  stamp_account_set_host (account, "localhost");
  stamp_account_set_port (account, stamp_test_server_get_port (fixture->server));
  stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
  stamp_account_set_ca_file (account, ca);
  stamp_account_store_add (fixture->store, account);
  g_assert_true (stamp_account_store_save (fixture->store, &error));
  g_assert_no_error (error);
  tokens = stamp_test_idp_sign_in (fixture->idp, account);
  open_test_window (fixture, account);
  stamp_test_view_set_secret (fixture->view, tokens->access_token, TRUE);

  run_test (fixture);
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  wait_for_label (fixture, "SMTP AUTH is turned off");
  wait_for_label (fixture, "does not use SMTP AUTH");
  button = find_in (fixture, stamp_test_is_mapped_button_for, "test-view.use-graph");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  stamp_test_check_controls (GTK_WIDGET (fixture->window));
  save_screenshots (fixture, "graph-offered");

  /* The switch: saved at once, then the sign-in for Graph, then the test. */
  stamp_test_click_button (button);
  g_assert_cmpint (stamp_account_get_method (account), ==, STAMP_SEND_METHOD_GRAPH);
  stamp_test_wait_until (dialog_is_shown, NULL, "the sign-in for Graph");
  stamp_test_wait_until (sent_twice, fixture, "the sign-in and the test send through Graph");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  wait_for_label (fixture, "Microsoft Graph accepted the message");
  titles = dup_step_titles (fixture);
  g_assert_nonnull (strstr (titles, "Request to Microsoft Graph"));
  save_screenshots (fixture, "graph-switched-sent");

  log = graph_log (fixture);
  g_assert_nonnull (strstr (log, RCPT));
  g_assert_nonnull (stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL));

  /* The method is in the account file. */
  reread = stamp_account_store_new (NULL);
  g_assert_true (stamp_account_store_load (reread, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stamp_account_get_method (stamp_account_store_lookup (reread, address)), ==,
                   STAMP_SEND_METHOD_GRAPH);
}

/* Consent required at sign-in (AADSTS65001): the link, the words, and Try
 * Again once the administrator accepted. */
static void
test_sign_in_consent (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *address = "di@contoso.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampSecretStore) secrets = stamp_secret_store_new ();
  StampSignInDialog *dialog;
  GtkWidget *copy_message;
  GtkWidget *link;

  account = stamp_test_idp_new_account (fixture->idp, address, "microsoft365");
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_method (account, STAMP_SEND_METHOD_GRAPH);
  stamp_account_store_add (fixture->store, account);
  stamp_test_idp_control (fixture->idp,
                          "{\"fail_next_token\": {\"error\": \"invalid_grant\", \"code\": 65001, "
                          "\"status\": 400, \"description\": \"AADSTS65001: The user or "
                          "administrator has not consented to use the application.\"}}");

  dialog = stamp_sign_in_dialog_new (NULL, fixture->store, account);
  fixture->window = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &fixture->window);
  gtk_window_present (GTK_WINDOW (dialog));

  wait_for_label (fixture, "clicks Accept");
  link = find_in (fixture, stamp_test_is_mapped_label_containing, "adminconsent");
  g_assert_nonnull (link);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (link)));
  /* Sign In Again keeps how the account sends. */
  g_assert_false (gtk_widget_get_mapped (find_row (fixture, "Sending Method")));
  copy_message = find_in (fixture, stamp_test_is_mapped_button_labelled,
                          "Copy _Message for Administrator");
  g_assert_nonnull (copy_message);
  stamp_test_check_controls (GTK_WIDGET (dialog));
  /* Tall enough for the whole error card. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 1100);
  save_screenshots (fixture, "graph-sign-in-consent");
  stamp_test_click_button (copy_message);
  g_assert_cmpstr (stamp_test_button_get_label (copy_message), ==, "Message Copied");

  /* The administrator accepted: the next try goes through. */
  click_labelled (fixture, "_Try Again");
  stamp_test_wait_until (window_is_gone, &fixture->window, "the dialog to close");
  g_assert_nonnull (stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL));
}

/* The same switch in the setup assistant, whose account is not saved yet:
 * Graph chosen on its sign-in page, signed in there, and back to the test,
 * which goes through Graph; the saved account sends through Graph. */
static void
test_assistant_switch (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *address = "fay@contoso.test";
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");
  g_autofree char *log = NULL;
  GtkWidget *spin;
  GtkWidget *button;
  StampAccount *saved;

  start_graph (fixture, NULL);
  fixture->server = stamp_test_server_start ("starttls", "--user", address, "--token-file",
                                             stamp_test_idp_get_token_file (fixture->idp),
                                             "--scenario", "auth-reject-5.7.139", NULL);
  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 0,
                              "contoso-test.mail.protection.outlook.com");
  open_assistant_at_sign_in (fixture, address, "127.0.0.1");

  /* The loopback server, which Microsoft 365's MX suggested. */
  click_action (fixture, "assistant.back");
  stamp_test_wait_until (page_has_settled, page_stack (fixture), "the page to settle");
  spin = find_in (fixture, stamp_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (fixture, "Security")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), stamp_test_server_get_port (fixture->server));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (fixture, "Advanced")), TRUE);
  type_into (fixture, "Extra CA Certificate File", ca);
  go_next (fixture, "sign-in");

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (fixture,
                                                                         "Sending Method"))),
                    ==, 0);
  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  click_labelled (fixture, "_Sign In with Microsoft");
  stamp_test_wait_until (signed_in_or_failed, fixture, "the browser sign-in");
  wait_for_label (fixture, "Signed in");

  go_next (fixture, "test");
  fixture->view = test_view (fixture);
  g_signal_connect_swapped (fixture->view, "finished", G_CALLBACK (count_finished_cb), fixture);
  stamp_account_set_graph_url (stamp_test_view_get_account (fixture->view), fixture->graph_url);
  type_into (fixture, "Send To", RCPT);
  run_test (fixture);
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  button = find_in (fixture, stamp_test_is_mapped_button_for, "test-view.use-graph");
  g_assert_nonnull (button);

  stamp_test_click_button (button);
  stamp_test_wait_until (sent_twice, fixture, "the sign-in and the test send through Graph");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page_stack (fixture)), ==, "test");
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  wait_for_label (fixture, "Microsoft Graph accepted the message");
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "authorization_code"), ==, 2);
  log = graph_log (fixture);
  g_assert_nonnull (strstr (log, RCPT));
  save_screenshots (fixture, "graph-assistant-switched");

  go_next (fixture, "done");
  stamp_test_wait_until (save_is_done, fixture, "the account to be saved");
  wait_for_label (fixture, "Account Saved");
  saved = stamp_account_store_lookup (fixture->store, address);
  g_assert_nonnull (saved);
  g_assert_cmpint (stamp_account_get_method (saved), ==, STAMP_SEND_METHOD_GRAPH);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  const char * const *data_dirs = g_get_system_data_dirs ();

  /* The scripted browser is set before any thread exists. */
  stamp_test_use_scripted_browser ();

  /* The isolated folders of each test have no MIME database, which loading
   * SVG icons needs: keep the system's. */
  for (guint i = 0; data_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (data_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_init ();
  adw_init ();
  gtk_icon_theme_get_for_display (gdk_display_get_default ());

  g_test_add ("/stamp/app/graph/assistant-method", Fixture, NULL,
              fixture_set_up, test_assistant_method, fixture_tear_down);
  g_test_add ("/stamp/app/graph/test-send", Fixture, NULL,
              fixture_set_up, test_graph_send, fixture_tear_down);
  g_test_add ("/stamp/app/graph/access-denied", Fixture, NULL,
              fixture_set_up, test_graph_access_denied, fixture_tear_down);
  g_test_add ("/stamp/app/graph/smtp-auth-disabled", Fixture, NULL,
              fixture_set_up, test_smtp_auth_disabled, fixture_tear_down);
  g_test_add ("/stamp/app/graph/assistant-switch", Fixture, NULL,
              fixture_set_up, test_assistant_switch, fixture_tear_down);
  g_test_add ("/stamp/app/graph/sign-in-consent", Fixture, NULL,
              fixture_set_up, test_sign_in_consent, fixture_tear_down);

  return g_test_run ();
}

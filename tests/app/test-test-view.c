/* test-test-view.c
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

#define G_LOG_DOMAIN "test-test-view"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "stamp-application.h"
#include "stamp-smtp-step.h"
#include "stamp-test-server.h"
#include "stamp-test-time.h"
#include "stamp-test-view.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"

/* Drives a real StampTestView on a real display (Xvfb in the test suite)
 * against the loopback SMTP server. With STAMP_SCREENSHOT_DIR set, the tests
 * also save PNG screenshots of what they checked, in light and dark style. */

#define USER     "printer@example.test"
#define RCPT     "desk@example.test"
#define PASSWORD "canary-Pa55-view-4c2e81"

typedef struct
{
  GtkWindow       *window;
  StampTestView   *view;
  StampTestServer *server;
  StampAccount    *account;
  guint            busy_notifies;
  guint            succeeded_notifies;
  guint            finished;
  gboolean         last_ok;
} Fixture;

/* Widget tree helpers */

static void
collect_of_type (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_of_type (child, type, found);
}

/* Every widget of @type in the view, shown or not. */
static GPtrArray *
all_of_type (Fixture *fixture,
             GType    type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_of_type (GTK_WIDGET (fixture->view), type, found);

  return found;
}

/* The first widget in the view that @match accepts. */
static GtkWidget *
find_in (Fixture              *fixture,
         StampTestWidgetMatch  match,
         gconstpointer         data)
{
  return stamp_test_find_widget (GTK_WIDGET (fixture->view), match, data);
}

static gboolean
is_expander_labelled (GtkWidget    *widget,
                      gconstpointer data)
{
  return GTK_IS_EXPANDER (widget)
         && g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (widget)), data) == 0;
}

static GtkLabel *
find_label (Fixture    *fixture,
            const char *text)
{
  GtkWidget *label = find_in (fixture, stamp_test_is_mapped_label_containing, text);

  if (label == NULL)
    g_error ("No label on screen shows “%s”", text);

  return GTK_LABEL (label);
}

static void
click (Fixture    *fixture,
       const char *action)
{
  stamp_test_click_button (find_in (fixture, stamp_test_is_mapped_button_for, action));
}

/* Every text in the tree, shown or not, in one string. */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (text, "%s\n", gtk_button_get_label (GTK_BUTTON (widget)));
  if (GTK_IS_LINK_BUTTON (widget))
    g_string_append_printf (text, "%s\n", gtk_link_button_get_uri (GTK_LINK_BUTTON (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (text, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (text, "%s\n",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)))
    g_string_append_printf (text, "%s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start;
      GtkTextIter end;
      g_autofree char *buffer_text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      buffer_text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (text, "%s\n", buffer_text);
    }
  if (tooltip != NULL)
    g_string_append_printf (text, "%s\n", tooltip);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static void
assert_no_secret (Fixture *fixture)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *plain64 = NULL;
  g_autofree char *blob = NULL;

  collect_text (GTK_WIDGET (fixture->view), text);

  /* The transcript is there, so the test looks at real text. */
  g_assert_nonnull (strstr (text->str, "EHLO"));
  g_assert_null (strstr (text->str, PASSWORD));
  g_assert_null (strstr (text->str, "4c2e81"));
  /* AUTH PLAIN's base64 blob: NUL user NUL password. */
  blob = g_strdup_printf ("%c%s%c%s", 0, USER, 0, PASSWORD);
  plain64 = g_base64_encode ((const guchar *) blob, 2 + strlen (USER) + strlen (PASSWORD));
  g_assert_null (strstr (text->str, plain64));
}

/* Every button can be reached with the keyboard and has a name. */
static void
assert_buttons_accessible (Fixture *fixture)
{
  g_autoptr(GPtrArray) buttons = all_of_type (fixture, GTK_TYPE_BUTTON);

  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      const char *label = stamp_test_button_get_label (button);

      g_assert_true (gtk_widget_get_focusable (button));
      g_assert_true (label != NULL && *label != '\0');
    }
}

static GPtrArray *
step_rows (Fixture *fixture)
{
  return all_of_type (fixture, ADW_TYPE_ACTION_ROW);
}

static gboolean
view_is_idle (gpointer data)
{
  return !stamp_test_view_get_busy (data);
}

static void
busy_notify_cb (Fixture *fixture)
{
  fixture->busy_notifies++;
}

static void
succeeded_notify_cb (Fixture *fixture)
{
  fixture->succeeded_notifies++;
}

static void
finished_cb (StampTestView *view,
             gboolean       ok,
             Fixture       *fixture)
{
  /* "busy" is already FALSE when the signal comes. */
  g_assert_false (stamp_test_view_get_busy (view));
  fixture->finished++;
  fixture->last_ok = ok;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 480, 720);
  gtk_window_set_title (fixture->window, "Test Message");

  fixture->view = STAMP_TEST_VIEW (stamp_test_view_new ());
  g_object_ref_sink (fixture->view);
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->view), TRUE);
  gtk_box_append (GTK_BOX (content), header);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (fixture->view));
  adw_window_set_content (ADW_WINDOW (fixture->window), content);

  g_signal_connect_swapped (fixture->view, "notify::busy", G_CALLBACK (busy_notify_cb), fixture);
  g_signal_connect_swapped (fixture->view, "notify::succeeded",
                            G_CALLBACK (succeeded_notify_cb), fixture);
  g_signal_connect (fixture->view, "finished", G_CALLBACK (finished_cb), fixture);

  gtk_window_present (fixture->window);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->view, fixture);
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->view);
  g_clear_object (&fixture->account);
  g_clear_pointer (&fixture->server, stamp_test_server_free);
}

static void
use_account (Fixture            *fixture,
             StampSecurity       security,
             StampAuthMechanism  auth)
{
  g_autofree char *ca = stamp_test_cert_path ("ca.pem");

  fixture->account = stamp_account_new (USER);
  stamp_account_set_host (fixture->account, "localhost");
  stamp_account_set_port (fixture->account, stamp_test_server_get_port (fixture->server));
  stamp_account_set_security (fixture->account, security);
  stamp_account_set_auth_mechanism (fixture->account, auth);
  stamp_account_set_username (fixture->account, USER);
  stamp_account_set_ca_file (fixture->account, ca);
  stamp_test_view_set_account (fixture->view, fixture->account);
}

static guint
count_events (StampTestServer *server,
              const char      *name)
{
  g_autoptr(GPtrArray) events = stamp_test_server_get_events (server, name);

  return events->len;
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
read_clipboard (GtkWidget *widget)
{
  ClipboardRead read = { NULL, FALSE };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL,
                                 clipboard_read_cb, &read);
  stamp_test_wait_until (clipboard_read_done, &read, "the clipboard's text");

  return read.text;
}

static void
test_view_success (Fixture       *fixture,
                   gconstpointer  data)
{
  static const StampSmtpStepKind kinds[] = {
    STAMP_SMTP_STEP_RESOLVE, STAMP_SMTP_STEP_CONNECT, STAMP_SMTP_STEP_GREETING,
    STAMP_SMTP_STEP_EHLO, STAMP_SMTP_STEP_STARTTLS, STAMP_SMTP_STEP_TLS_HANDSHAKE,
    STAMP_SMTP_STEP_EHLO, STAMP_SMTP_STEP_AUTH, STAMP_SMTP_STEP_MAIL, STAMP_SMTP_STEP_RCPT,
    STAMP_SMTP_STEP_DATA, STAMP_SMTP_STEP_ACCEPTED,
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) spinners = NULL;
  g_autofree char *copied = NULL;
  JsonObject *message;
  const char *queue_id;
  GtkExpander *transcript;
  GtkAdjustment *adjustment;

  fixture->server = stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                                             NULL);
  use_account (fixture, STAMP_SECURITY_STARTTLS, STAMP_AUTH_PLAIN);
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);
  stamp_test_view_set_recipient (fixture->view, RCPT);

  stamp_test_view_start (fixture->view);
  g_assert_true (stamp_test_view_get_busy (fixture->view));
  g_assert_cmpuint (fixture->busy_notifies, ==, 1);
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");

  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  g_assert_cmpuint (fixture->busy_notifies, ==, 2);
  g_assert_cmpuint (fixture->succeeded_notifies, ==, 1);
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_true (fixture->last_ok);

  /* The server got the message, for the chosen recipient. */
  messages = stamp_test_server_get_events (fixture->server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (message,
                                                                                 "rcpt_tos"),
                                                  0), ==, RCPT);
  queue_id = json_object_get_string_member (message, "queue_id");

  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  /* One row per step, in order, each named once, by its title, and
   * described by what became of it. */
  rows = step_rows (fixture);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr(StampSmtpStep) step = stamp_smtp_step_new (kinds[i]);

      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       stamp_smtp_step_get_title (step));
      g_assert_true (gtk_widget_get_mapped (row));
      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row),
                                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }
  spinners = all_of_type (fixture, GTK_TYPE_SPINNER);
  for (guint i = 0; i < spinners->len; i++)
    g_assert_false (gtk_spinner_get_spinning (g_ptr_array_index (spinners, i)));

  /* The status line: sent, to whom, and the server's own words. */
  find_label (fixture, "Test Message Sent");
  find_label (fixture, RCPT);
  g_assert_true (gtk_label_get_selectable (find_label (fixture, queue_id)));

  /* The transcript starts collapsed. */
  transcript = GTK_EXPANDER (find_in (fixture, is_expander_labelled, "Transcript"));
  g_assert_nonnull (transcript);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (transcript)));
  g_assert_false (gtk_expander_get_expanded (transcript));

  assert_no_secret (fixture);
  assert_buttons_accessible (fixture);

  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), "test-view-success");

  /* The transcript, scrolled into view. */
  gtk_expander_set_expanded (transcript, TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (transcript),
                                                  GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  /* Once more: the text view's height settles only after a layout. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  stamp_test_save_screenshot (GTK_WIDGET (fixture->window), "test-view-transcript.png");

  /* The copied transcript is the redacted one. */
  click (fixture, "test-view.copy-transcript");
  copied = read_clipboard (GTK_WIDGET (fixture->view));
  g_assert_nonnull (strstr (copied, "C: AUTH PLAIN [hidden"));
  g_assert_nonnull (strstr (copied, queue_id));
  g_assert_null (strstr (copied, PASSWORD));
}

static void
test_view_failure_retry (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *command = "Set-CASMailbox -Identity " USER " -SmtpClientAuthenticationDisabled $false";
  g_autofree char *copied = NULL;
  GtkWidget *card_title;
  GtkWidget *link;
  GtkExpander *details;

  fixture->server = stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                                             "--scenario", "auth-reject-5.7.139", NULL);
  use_account (fixture, STAMP_SECURITY_STARTTLS, STAMP_AUTH_PLAIN);
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  stamp_test_view_start (fixture->view);
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (fixture->last_ok);
  g_assert_cmpuint (fixture->succeeded_notifies, ==, 0);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  /* The explanation, with the command for this very mailbox. */
  find_label (fixture, "Test Message Not Sent");
  card_title = GTK_WIDGET (find_label (fixture, "SMTP AUTH is turned off for this mailbox"));
  g_assert_true (gtk_widget_has_css_class (card_title, "title-4"));
  find_label (fixture, "Authenticated SMTP is off for the whole organization");
  find_label (fixture, "1.");
  find_label (fixture, "2.");
  g_assert_cmpstr (gtk_label_get_text (find_label (fixture, "Set-CASMailbox")), ==, command);
  g_assert_true (gtk_label_get_selectable (find_label (fixture, "Set-CASMailbox")));

  link = find_in (fixture, stamp_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_LINK_BUTTON));
  g_assert_true (gtk_widget_get_mapped (link));
  g_assert_true (g_str_has_prefix (gtk_link_button_get_uri (GTK_LINK_BUTTON (link)),
                                   "https://learn.microsoft.com/"));

  click (fixture, "test-view.copy-command");
  copied = read_clipboard (GTK_WIDGET (fixture->view));
  g_assert_cmpstr (copied, ==, command);

  /* The raw error is one click away. */
  details = GTK_EXPANDER (find_in (fixture, is_expander_labelled, "Details"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (details)));
  g_assert_false (gtk_expander_get_expanded (details));
  gtk_expander_set_expanded (details, TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  find_label (fixture, "5.7.139");

  assert_no_secret (fixture);
  assert_buttons_accessible (fixture);

  gtk_expander_set_expanded (details, FALSE);
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), "test-view-failure");

  /* At the narrowest width Stamp supports, the card still fits. */
  gtk_window_set_default_size (fixture->window, 360, 720);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->view)), <=, 360);
  stamp_test_save_screenshot (GTK_WIDGET (fixture->window), "test-view-failure-narrow.png");

  /* Retry runs the whole send again. */
  g_assert_cmpuint (count_events (fixture->server, "connect"), ==, 1);
  click (fixture, "test-view.start");
  g_assert_true (stamp_test_view_get_busy (fixture->view));
  stamp_test_wait_until (view_is_idle, fixture->view, "the second test send to end");
  g_assert_cmpuint (fixture->finished, ==, 2);
  g_assert_cmpuint (count_events (fixture->server, "connect"), ==, 2);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  find_label (fixture, "SMTP AUTH is turned off for this mailbox");
}

static gboolean
ehlo_is_running (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(StampSmtpStep) ehlo = stamp_smtp_step_new (STAMP_SMTP_STEP_EHLO);
  g_autoptr(GPtrArray) rows = step_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)),
                   stamp_smtp_step_get_title (ehlo)) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
server_saw_disconnect (gpointer data)
{
  return count_events (data, "disconnect") > 0;
}

static void
test_view_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) spinners = NULL;
  gint64 started;

  fixture->server = stamp_test_server_start ("none", "--scenario", "stall-ehlo", NULL);
  use_account (fixture, STAMP_SECURITY_NONE, STAMP_AUTH_NONE);

  stamp_test_view_start (fixture->view);
  stamp_test_wait_until (ehlo_is_running, fixture, "the EHLO step to start");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  g_assert_true (stamp_test_view_get_busy (fixture->view));
  find_label (fixture, "Sending Test Message");

  started = g_get_monotonic_time ();
  click (fixture, "test-view.cancel");
  g_assert_false (stamp_test_view_get_busy (fixture->view));
  g_assert_cmpint (g_get_monotonic_time () - started, <, stamp_test_bound (0.5));
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (fixture->last_ok);

  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  find_label (fixture, "Cancelled");
  spinners = all_of_type (fixture, GTK_TYPE_SPINNER);
  for (guint i = 0; i < spinners->len; i++)
    g_assert_false (gtk_spinner_get_spinning (g_ptr_array_index (spinners, i)));
  stamp_test_save_screenshot (GTK_WIDGET (fixture->window), "test-view-cancelled.png");

  /* The connection really ends, long before any timeout. */
  stamp_test_wait_until (server_saw_disconnect, fixture->server, "the server to see the client go");
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (stamp_test_view_get_busy (fixture->view));
}

static void
test_view_recipient (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  g_autoptr(StampAccount) account = stamp_account_new (USER);

  g_assert_null (stamp_test_view_get_recipient (fixture->view));

  /* The account's own address, unless the setting names another. */
  stamp_test_view_set_account (fixture->view, account);
  g_assert_cmpstr (stamp_test_view_get_recipient (fixture->view), ==, USER);

  g_settings_set_string (settings, "default-test-recipient", RCPT);
  g_assert_cmpstr (stamp_test_view_get_recipient (fixture->view), ==, RCPT);

  stamp_test_view_set_recipient (fixture->view, "helpdesk@example.test");
  g_assert_cmpstr (stamp_test_view_get_recipient (fixture->view), ==, "helpdesk@example.test");

  stamp_test_view_set_recipient (fixture->view, NULL);
  g_assert_cmpstr (stamp_test_view_get_recipient (fixture->view), ==, RCPT);

  g_settings_reset (settings, "default-test-recipient");
  g_assert_cmpstr (stamp_test_view_get_recipient (fixture->view), ==, USER);
}

/* Port 465 to Microsoft: explained at once, before any connection. */
static void
test_view_preflight_port (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->account = stamp_account_new (USER);
  stamp_account_set_host (fixture->account, "smtp.office365.com");
  stamp_account_set_port (fixture->account, 465);
  stamp_account_set_security (fixture->account, STAMP_SECURITY_TLS);
  stamp_account_set_auth_mechanism (fixture->account, STAMP_AUTH_PLAIN);
  stamp_test_view_set_account (fixture->view, fixture->account);
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  stamp_test_view_start (fixture->view);
  /* Decided before anything ran: no send was started. */
  g_assert_false (stamp_test_view_get_busy (fixture->view));
  g_assert_cmpuint (fixture->finished, ==, 1);
  g_assert_false (fixture->last_ok);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  find_label (fixture, "Test Message Not Sent");
  find_label (fixture, "Microsoft takes sign-ins only on port 587 with STARTTLS");
  find_label (fixture, "--port 587");
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), "test-view-preflight-port");
}

/* A Microsoft 365 account with a password: the advice stands above the
 * checklist, and the send goes ahead. */
static void
test_view_preflight_advice (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *row;

  fixture->server = stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                                             NULL);
  use_account (fixture, STAMP_SECURITY_STARTTLS, STAMP_AUTH_PLAIN);
  stamp_account_set_provider_id (fixture->account, "microsoft365");
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  stamp_test_view_start (fixture->view);
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  row = find_in (fixture, stamp_test_is_row_titled, "Microsoft is ending password sign-in for SMTP");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "stamp-cli login " USER));
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), "test-view-preflight-advice");
}

/* No encryption to another computer (0.0.0.0 reaches the loopback server
 * without being a loopback address): the person is asked first, with the
 * risk named; Cancel sends nothing, Send Unencrypted sends. */
static void
test_view_preflight_plaintext (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *dialog;

  fixture->server = stamp_test_server_start ("none", "--user", USER, "--password", PASSWORD, NULL);
  use_account (fixture, STAMP_SECURITY_NONE, STAMP_AUTH_PLAIN);
  stamp_account_set_host (fixture->account, "0.0.0.0");
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  stamp_test_view_start (fixture->view);
  stamp_test_wait_until (stamp_test_message_dialog_shown, NULL, "the unencrypted sign-in question");
  dialog = stamp_test_find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Send the Sign-In Unencrypted?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "can read the password"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  stamp_test_wait_for_frames (dialog);
  stamp_test_save_light_and_dark (dialog, "test-view-preflight-plaintext");
  g_assert_false (stamp_test_view_get_busy (fixture->view));
  g_assert_cmpuint (count_events (fixture->server, "connect"), ==, 0);

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (stamp_test_view_get_busy (fixture->view));
  g_assert_cmpuint (fixture->finished, ==, 0);

  stamp_test_view_start (fixture->view);
  stamp_test_wait_until (stamp_test_message_dialog_shown, NULL, "the question again");
  dialog = stamp_test_find_message_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");
  g_assert_true (stamp_test_view_get_succeeded (fixture->view));
  g_assert_cmpuint (count_events (fixture->server, "message"), ==, 1);
}

/* Telling the truth, to the eye and to a screen reader */

static GtkWidget *
focus_of (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window));
}

/* What a screen reader has for @widget's @property: GTK 4.8 tells the
 * value only when it differs from the one asked about. */
static char *
accessible_value (GtkWidget             *widget,
                  GtkAccessibleProperty  property)
{
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                             "\x01 no such text");
}

/* Whether @text is in @widget's name or description (where
 * stamp_announce() puts a status change on GTK before 4.14). */
static gboolean
accessible_says (GtkWidget  *widget,
                 const char *text)
{
  g_autofree char *label = accessible_value (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_autofree char *description = accessible_value (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  if ((label != NULL && strstr (label, text) != NULL)
      || (description != NULL && strstr (description, text) != NULL))
    return TRUE;

  g_test_message ("“%s” is not in the name “%s” nor the description “%s”", text, label,
                  description);
  return FALSE;
}

/* Send, as a person does it: the focus on the button, then a press. */
static void
press_send (Fixture *fixture)
{
  GtkWidget *send = find_in (fixture, stamp_test_is_mapped_button_labelled, "_Send");

  g_assert_nonnull (send);
  /* Sending is what the view is for. */
  g_assert_true (gtk_widget_has_css_class (send, "suggested-action"));
  gtk_widget_grab_focus (send);
  g_assert_true (focus_of (fixture) == send);
  stamp_test_click_button (send);
}

/* Pipelined MAIL, RCPT and DATA start together: when MAIL is refused, the
 * other two never run, and say so instead of spinning. */
static void
test_view_failure_not_run (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StampSmtpStep) mail = stamp_smtp_step_new (STAMP_SMTP_STEP_MAIL);
  g_autoptr(StampSmtpStep) rcpt = stamp_smtp_step_new (STAMP_SMTP_STEP_RCPT);
  g_autoptr(StampSmtpStep) data_step = stamp_smtp_step_new (STAMP_SMTP_STEP_DATA);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) spinners = NULL;
  GtkAdjustment *adjustment;
  guint not_run = 0;

  fixture->server = stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                                             "--scenario", "mail-reject-5.7.60", NULL);
  use_account (fixture, STAMP_SECURITY_STARTTLS, STAMP_AUTH_PLAIN);
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  press_send (fixture);
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");
  g_assert_false (stamp_test_view_get_succeeded (fixture->view));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  spinners = all_of_type (fixture, GTK_TYPE_SPINNER);
  for (guint i = 0; i < spinners->len; i++)
    {
      GtkWidget *spinner = g_ptr_array_index (spinners, i);

      g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
      g_assert_false (gtk_widget_get_visible (spinner));
    }

  rows = step_rows (fixture);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      /* Each step can be reached and read on its own. */
      g_assert_true (gtk_widget_get_focusable (row));

      if (g_strcmp0 (title, stamp_smtp_step_get_title (mail)) == 0)
        g_assert_true (accessible_says (row, "Failed"));
      if (g_strcmp0 (title, stamp_smtp_step_get_title (rcpt)) == 0
          || g_strcmp0 (title, stamp_smtp_step_get_title (data_step)) == 0)
        {
          g_assert_cmpstr (subtitle, ==, "Not run");
          /* Named by its title, the row says after it that it did not run. */
          g_assert_true (accessible_says (row, "Not run"));
          not_run++;
        }
    }
  g_assert_cmpuint (not_run, ==, 2);

  /* The checklist's end, where the steps not run are. */
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (g_ptr_array_index (rows, 0),
                                                  GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));
  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->window), "test-view-not-run");
}

static gboolean
is_expander (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_EXPANDER (widget) && gtk_widget_get_mapped (widget);
}

/* After a failed send the focus is not lost with the Cancel button: it is
 * on Retry, which says what happened; Tab goes through Details and on. */
static void
test_view_failure_focus (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *retry;
  GtkWidget *details;
  gboolean reached = FALSE;

  fixture->server = stamp_test_server_start ("starttls", "--user", USER, "--password", PASSWORD,
                                             "--scenario", "auth-reject-5.7.139", NULL);
  use_account (fixture, STAMP_SECURITY_STARTTLS, STAMP_AUTH_PLAIN);
  stamp_test_view_set_secret (fixture->view, PASSWORD, FALSE);

  press_send (fixture);
  stamp_test_wait_until (view_is_idle, fixture->view, "the test send to end");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  retry = find_in (fixture, stamp_test_is_mapped_button_labelled, "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (focus_of (fixture) == retry);
  /* The result is heard where the focus is. */
  g_assert_true (accessible_says (retry, "Test Message Not Sent. SMTP AUTH is turned off"));

  /* The Details expander has a name and tells whether it is open. */
  details = find_in (fixture, is_expander, NULL);
  g_assert_nonnull (details);
  g_assert_true (accessible_says (details, "Details"));
  g_assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (details),
                                                GTK_ACCESSIBLE_STATE_EXPANDED));
  g_assert_null (gtk_test_accessible_check_state (GTK_ACCESSIBLE (details),
                                                  GTK_ACCESSIBLE_STATE_EXPANDED, FALSE));
  gtk_expander_set_expanded (GTK_EXPANDER (details), TRUE);
  g_assert_null (gtk_test_accessible_check_state (GTK_ACCESSIBLE (details),
                                                  GTK_ACCESSIBLE_STATE_EXPANDED, TRUE));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->window));

  /* From the open expander, Tab moves on to Retry. */
  gtk_widget_grab_focus (details);
  for (guint i = 0; i < 10 && !reached; i++)
    {
      g_signal_emit_by_name (fixture->window, "move-focus", GTK_DIR_TAB_FORWARD);
      reached = focus_of (fixture) == retry;
    }
  g_assert_true (reached);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/stamp/app/test-view/success", Fixture, NULL,
              fixture_set_up, test_view_success, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/failure-retry", Fixture, NULL,
              fixture_set_up, test_view_failure_retry, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/cancel", Fixture, NULL,
              fixture_set_up, test_view_cancel, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/recipient", Fixture, NULL,
              fixture_set_up, test_view_recipient, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/preflight-port", Fixture, NULL,
              fixture_set_up, test_view_preflight_port, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/preflight-advice", Fixture, NULL,
              fixture_set_up, test_view_preflight_advice, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/preflight-plaintext", Fixture, NULL,
              fixture_set_up, test_view_preflight_plaintext, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/failure-not-run", Fixture, NULL,
              fixture_set_up, test_view_failure_not_run, fixture_tear_down);
  g_test_add ("/stamp/app/test-view/failure-focus", Fixture, NULL,
              fixture_set_up, test_view_failure_focus, fixture_tear_down);

  return g_test_run ();
}

/* test-sign-in-health.c
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

#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "stamp-account-row.h"
#include "stamp-application.h"
#include "stamp-registration-group.h"
#include "stamp-setup-assistant.h"
#include "stamp-sign-in-dialog.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* The health of OAuth sign-ins in the app: the account row's words at
 * several times (STAMP_TEST_NOW_OFFSET), its warning and Sign In Again, the
 * desktop notifications of the keep-alive through GApplication (with
 * tests/fixtures/notification-server.py as the session's notification
 * service), the keep-alive refresh at start-up against the mock identity
 * provider, and the client secret's expiry date. Each test runs itself
 * again in a subprocess with its account file (stamp_test_run_with_account_file());
 * the sign-in records are in XDG_STATE_HOME, shared with that subprocess. */

#define DAY (24 * 60 * 60)

static StampApplication *app;
static char *config_home;

static void
set_now_offset (gint64 seconds)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  g_setenv ("STAMP_TEST_NOW_OFFSET", value, TRUE);
}

/* A sign-in as if made @days ago. */
static void
record_sign_in_days_ago (const char *address,
                         int         days)
{
  set_now_offset (-(gint64) days * DAY);
  stamp_sign_in_health_record_sign_in (address);
  g_unsetenv ("STAMP_TEST_NOW_OFFSET");
}

static GtkWindow *
open_window (void)
{
  GtkWindow *window;

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  stamp_test_wait_for_page (window, "accounts");

  return window;
}

/* The row's health line saying @text, mapped; fails the test if none. */
static GtkWidget *
find_health_label (GtkWindow  *window,
                   const char *address,
                   const char *text)
{
  GtkWidget *row = stamp_test_find_account_row (window, address);
  GtkWidget *label = stamp_test_find_widget (row, stamp_test_is_mapped_label_containing, text);

  if (label == NULL)
    g_error ("The row of %s does not say “%s”", address, text);

  return label;
}

static gboolean
is_mapped_warning_icon (GtkWidget    *widget,
                        gconstpointer data)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "dialog-warning-symbolic") == 0;
}

static GtkWidget *
find_sign_in_again (GtkWindow  *window,
                    const char *address)
{
  return stamp_test_find_widget (stamp_test_find_account_row (window, address),
                                 stamp_test_is_mapped_button_labelled, "Sign In Again");
}

/* Warned of: the words in the warning style, and an icon that a screen
 * reader names, not the colour alone. */
static void
assert_warned (GtkWindow  *window,
               const char *address,
               const char *text)
{
  GtkWidget *label = find_health_label (window, address, text);
  GtkWidget *row = stamp_test_find_account_row (window, address);
  GtkWidget *icon = stamp_test_find_widget (row, is_mapped_warning_icon, NULL);
  char *error;

  g_assert_true (gtk_widget_has_css_class (label, "warning"));
  g_assert_nonnull (icon);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (icon),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, "Warning");
  g_assert_null (error);
}

static void
assert_not_warned (GtkWindow  *window,
                   const char *address,
                   const char *text)
{
  GtkWidget *label = find_health_label (window, address, text);
  GtkWidget *row = stamp_test_find_account_row (window, address);

  g_assert_false (gtk_widget_has_css_class (label, "warning"));
  g_assert_null (stamp_test_find_widget (row, is_mapped_warning_icon, NULL));
  g_assert_null (find_sign_in_again (window, address));
}

/* What the rows say is judged again, as the row's own timer does. */
static void
judge_rows_at (GtkWindow *window,
               gint64     offset)
{
  g_autoptr(GPtrArray) rows = stamp_test_account_rows (window);

  set_now_offset (offset);
  for (guint i = 0; i < rows->len; i++)
    stamp_account_row_update_health (g_ptr_array_index (rows, i));
  stamp_test_wait_for_frames (GTK_WIDGET (window));
}

static void
save_narrow (GtkWindow  *window,
             const char *name)
{
  StampTestWidthCheck check = { window, 360 };
  int width;
  int height;

  if (g_getenv ("STAMP_SCREENSHOT_DIR") == NULL)
    return;

  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, MAX (height, 720));
  stamp_test_wait_until (stamp_test_surface_has_width, &check, "the window to be 360 px wide");
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  stamp_test_save_screenshot (GTK_WIDGET (window), name);
  gtk_window_set_default_size (window, width, height);
}

static gboolean
has_toplevel (gpointer data)
{
  return stamp_test_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

/* A refresh token in the keyring, so that the keep-alive tries it. */
static void
store_refresh_token (const char *address)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_secret_store_store_async (stamp_secret_store_get_default (), address,
                                  STAMP_SECRET_REFRESH_TOKEN, "not-a-real-refresh-token", 0, NULL,
                                  stamp_test_result_cb, &result);
  g_assert_true (stamp_secret_store_store_finish (stamp_secret_store_get_default (),
                                                  stamp_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static gboolean
is_mapped_label_saying (GtkWidget    *widget,
                        gconstpointer data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
pill_gone (gpointer data)
{
  GtkWidget *row = stamp_test_find_account_row (data, "healthy@contoso.test");

  return stamp_test_find_widget (row, is_mapped_label_saying, "Needs sign-in") == NULL
         && stamp_test_find_widget (row, is_mapped_label_saying, "Signed in") == NULL;
}

/* The rows test looks at the row alone: the keep-alive, which would
 * refresh the sign-ins made long ago, has its own test. */
static void
stop_keeper_cb (StampApplication *application)
{
  if (stamp_application_get_accounts_loaded (application))
    stamp_sign_in_keeper_stop (stamp_application_get_sign_in_keeper (application));
}

#define ROWS_FILE \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"healthy@contoso.test\", \"display_name\": \"Healthy\"," \
  "   \"provider\": \"microsoft365\", \"method\": \"graph\", \"host\": \"smtp.office365.com\"," \
  "   \"port\": 587, \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"expiring@contoso.test\", \"display_name\": \"Expiring\"," \
  "   \"provider\": \"microsoft365\", \"host\": \"smtp.office365.com\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"lapsed@contoso.test\", \"display_name\": \"Lapsed\"," \
  "   \"provider\": \"microsoft365\", \"host\": \"smtp.office365.com\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"revoked@contoso.test\", \"display_name\": \"Revoked\"," \
  "   \"provider\": \"microsoft365\", \"host\": \"smtp.office365.com\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"xoauth2\"}," \
  "  {\"address\": \"printer@example.org\", \"host\": \"mail.example.org\", \"port\": 465," \
  "   \"security\": \"tls\", \"auth\": \"plain\"}" \
  "]}"

/* The words under each OAuth account, at several times; the warning and
 * the Sign In Again button of a lapsed one, which opens the sign-in. */
static void
test_rows (void)
{
  g_autoptr(GError) revoked = NULL;
  GtkWindow *window;
  GtkWindow *dialog;
  GtkWidget *button;
  GtkWidget *printer;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ROWS_FILE);
      return;
    }

  stamp_test_wait_for_keyring ();
  store_refresh_token ("healthy@contoso.test");
  store_refresh_token ("expiring@contoso.test");
  store_refresh_token ("lapsed@contoso.test");
  record_sign_in_days_ago ("healthy@contoso.test", 2);
  record_sign_in_days_ago ("expiring@contoso.test", 78);
  record_sign_in_days_ago ("lapsed@contoso.test", 91);
  record_sign_in_days_ago ("revoked@contoso.test", 5);
  revoked = g_error_new_literal (STAMP_ERROR, STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
                                 "The stored sign-in was revoked. Sign in again.");
  stamp_sign_in_health_record_failure ("revoked@contoso.test", revoked);

  g_signal_connect (app, "notify::accounts-loaded", G_CALLBACK (stop_keeper_cb), NULL);
  window = open_window ();
  stamp_test_wait_for_label (GTK_WIDGET (window), "Sign-in lapsed: sign in again");
  stamp_test_wait_for_frames (GTK_WIDGET (window));

  assert_not_warned (window, "healthy@contoso.test", "Signed in · refreshed 2 days ago");
  assert_warned (window, "expiring@contoso.test", "Sign-in expires in 12 days unless used");
  g_assert_null (find_sign_in_again (window, "expiring@contoso.test"));
  assert_warned (window, "lapsed@contoso.test", "Sign-in lapsed: sign in again");
  g_assert_nonnull (find_sign_in_again (window, "lapsed@contoso.test"));
  /* Refused for good: why, and the fix beside it. */
  assert_warned (window, "revoked@contoso.test",
                 "Sign-in failed: The stored sign-in was revoked: sign in again");
  g_assert_nonnull (find_sign_in_again (window, "revoked@contoso.test"));
  /* The keyring has the sign-in: the line says it, not a pill too. */
  stamp_test_wait_until (pill_gone, window, "the keyring's answer");
  /* A password has no sign-in to keep alive. */
  printer = stamp_test_find_account_row (window, "printer@example.org");
  g_assert_null (stamp_test_find_widget (printer, stamp_test_is_mapped_label_containing,
                                         "Sign"));
  /* Graph says so where SMTP says its server. */
  g_assert_true (stamp_test_text_has_label (stamp_test_find_account_row (window, "healthy@contoso.test"),
                                            "Microsoft 365 · Microsoft Graph"));
  stamp_test_check_controls (GTK_WIDGET (window));

  stamp_test_save_light_and_dark (GTK_WIDGET (window), "sign-in-health");
  save_narrow (window, "sign-in-health-narrow.png");

  /* Sign In Again opens the sign-in itself, not the account's edit. */
  button = find_sign_in_again (window, "lapsed@contoso.test");
  stamp_test_click_button (button);
  stamp_test_wait_until (has_toplevel, GSIZE_TO_POINTER (STAMP_TYPE_SIGN_IN_DIALOG),
                         "the sign-in to open");
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT));
  dialog = stamp_test_find_toplevel (STAMP_TYPE_SIGN_IN_DIALOG);
  gtk_window_destroy (dialog);

  /* Two days on, as the row's daily look sees it. */
  judge_rows_at (window, 2 * DAY);
  assert_not_warned (window, "healthy@contoso.test", "Signed in · refreshed 4 days ago");
  assert_warned (window, "expiring@contoso.test", "Sign-in expires in 10 days unless used");

  /* Past the 90 days: lapsed, and the fix beside it. */
  judge_rows_at (window, 13 * DAY);
  assert_warned (window, "expiring@contoso.test", "Sign-in lapsed: sign in again");
  g_assert_nonnull (find_sign_in_again (window, "expiring@contoso.test"));
  g_unsetenv ("STAMP_TEST_NOW_OFFSET");

  gtk_window_destroy (window);
}

static gboolean
file_has_text (gpointer data)
{
  const char * const *args = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (args[0], &contents, NULL, NULL)
         && strstr (contents, args[1]) != NULL;
}

/* The notification the service was given with @title. */
static JsonObject *
find_notification (const char *log,
                   const char *title)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (log, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      g_assert_nonnull (node);
      object = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member (object, "summary"), title) == 0)
        return json_object_ref (object);
    }

  g_error ("No notification “%s” in %s", title, log);
}

/* The action of the notification's button labelled @label, as the desktop
 * would activate it: its detailed name (freedesktop.org actions are
 * pairs of key and label). */
static char *
dup_button_action (JsonObject *notification,
                   const char *label)
{
  JsonArray *actions = json_object_get_array_member (notification, "actions");

  for (guint i = 0; i + 1 < json_array_get_length (actions); i += 2)
    if (g_strcmp0 (json_array_get_string_element (actions, i + 1), label) == 0)
      return g_strdup (json_array_get_string_element (actions, i));

  return NULL;
}

static GSubprocess *
start_notification_service (const char *log)
{
  g_autofree char *fixture = g_build_filename (stamp_test_fixtures_dir (),
                                               "notification-server.py", NULL);
  g_autoptr(GDataInputStream) ready = NULL;
  g_autoptr(GSubprocess) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  service = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "/usr/bin/python3", fixture, "--log", log, NULL);
  g_assert_no_error (error);
  ready = g_data_input_stream_new (g_subprocess_get_stdout_pipe (service));
  line = g_data_input_stream_read_line (ready, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "READY");

  return g_steal_pointer (&service);
}

/* Their sign-in service never answers (nothing listens on port 1), so the
 * keep-alive's refresh fails for now and the sign-ins stay as recorded. */
#define NOTIFY_FILE_FORMAT \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"soon@contoso.test\", \"provider\": \"microsoft365\"," \
  "   \"host\": \"smtp.office365.com\", \"port\": 587, \"security\": \"starttls\"," \
  "   \"auth\": \"xoauth2\", \"oauth\": {\"client_id\": \"" STAMP_TEST_IDP_CLIENT_ID "\"," \
  "   \"authority\": \"http://127.0.0.1:1\"}}," \
  "  {\"address\": \"gone@contoso.test\", \"provider\": \"microsoft365\"," \
  "   \"host\": \"smtp.office365.com\", \"port\": 587, \"security\": \"starttls\"," \
  "   \"auth\": \"xoauth2\", \"oauth\": {\"client_id\": \"" STAMP_TEST_IDP_CLIENT_ID "\"," \
  "   \"authority\": \"http://127.0.0.1:1\"}}," \
  "  {\"address\": \"secret@contoso.test\", \"provider\": \"microsoft365\"," \
  "   \"host\": \"smtp.office365.com\", \"port\": 587, \"security\": \"starttls\"," \
  "   \"auth\": \"xoauth2\", \"oauth\": {\"client_id\": \"" STAMP_TEST_IDP_CLIENT_ID "\"," \
  "   \"authority\": \"http://127.0.0.1:1\"," \
  "                                     \"client_secret_expires\": \"%s\"}}" \
  "]}"

/* The keep-alive's warnings reach the desktop through GApplication, one
 * per account, with a Sign In Again button that opens the sign-in. */
static void
test_notifications (void)
{
  g_autoptr(GSubprocess) service = NULL;
  g_autoptr(JsonObject) soon = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(JsonObject) secret = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *action = NULL;
  g_autofree char *name = NULL;
  const char *wanted[2];
  GtkWindow *window;

  if (!g_test_subprocess ())
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_days (now, 5);
      g_autofree char *day = g_date_time_format (later, "%Y-%m-%d");
      g_autofree char *contents = g_strdup_printf (NOTIFY_FILE_FORMAT, day);

      stamp_test_run_with_account_file (contents);
      return;
    }

  log = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "notifications.log", NULL);
  service = start_notification_service (log);

  stamp_test_wait_for_keyring ();
  store_refresh_token ("soon@contoso.test");
  store_refresh_token ("gone@contoso.test");
  record_sign_in_days_ago ("soon@contoso.test", 78);
  record_sign_in_days_ago ("gone@contoso.test", 91);
  record_sign_in_days_ago ("secret@contoso.test", 1);

  window = open_window ();

  wanted[0] = log;
  wanted[1] = "Sign-in for gone@contoso.test has lapsed";
  stamp_test_wait_until (file_has_text, wanted, "the lapsed sign-in's notification");
  wanted[1] = "Sign-in for soon@contoso.test lapses in 12 days";
  stamp_test_wait_until (file_has_text, wanted, "the lapsing sign-in's notification");
  wanted[1] = "Client secret for secret@contoso.test expires in 5 days";
  stamp_test_wait_until (file_has_text, wanted, "the client secret's notification");

  soon = find_notification (log, "Sign-in for soon@contoso.test lapses in 12 days");
  g_assert_cmpstr (json_object_get_string_member (soon, "body"), ==,
                   "Send a test message or sign in again to keep it");
  secret = find_notification (log, "Client secret for secret@contoso.test expires in 5 days");
  gone = find_notification (log, "Sign-in for gone@contoso.test has lapsed");
  g_assert_nonnull (dup_button_action (soon, "Sign In Again"));
  g_assert_nonnull (dup_button_action (secret, "Sign In Again"));
  action = dup_button_action (gone, "Sign In Again");
  g_assert_nonnull (action);

  /* The desktop activates the button's action on the application. */
  g_assert_true (g_action_parse_detailed_name (action, &name, &target, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "app.sign-in-again");
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, "gone@contoso.test");
  g_action_group_activate_action (G_ACTION_GROUP (app), name + strlen ("app."), target);
  stamp_test_wait_until (has_toplevel, GSIZE_TO_POINTER (STAMP_TYPE_SIGN_IN_DIALOG),
                         "the sign-in to open");
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_SETUP_ASSISTANT));
  gtk_window_destroy (stamp_test_find_toplevel (STAMP_TYPE_SIGN_IN_DIALOG));

  gtk_window_destroy (window);
  g_subprocess_force_exit (service);
}

static void
refreshed_cb (StampSignInKeeper *keeper,
              StampAccount      *account,
              gboolean          *refreshed)
{
  *refreshed = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

#define KEEP_ALIVE_ADDRESS "kept@contoso.test"

/* Signed in now, the tokens in the keyring. The connections to @idp close
 * with the objects here: the mock serves one connection at a time. */
static void
sign_in_at (StampTestIdp *idp)
{
  g_autoptr(StampAccount) account = stamp_test_idp_new_account (idp, KEEP_ALIVE_ADDRESS,
                                                                "microsoft365");
  g_autoptr(StampCredentials) credentials = stamp_credentials_new (stamp_secret_store_get_default ());
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_test_wait_for_keyring ();
  tokens = stamp_test_idp_sign_in (idp, account);
  stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                       stamp_test_result_cb, &result);
  g_assert_true (stamp_credentials_save_tokens_finish (credentials,
                                                       stamp_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  stamp_sign_in_health_record_sign_in (KEEP_ALIVE_ADDRESS);
}
#define KEEP_ALIVE_FILE_FORMAT \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" KEEP_ALIVE_ADDRESS "\", \"provider\": \"microsoft365\"," \
  "   \"host\": \"smtp.office365.com\", \"port\": 587, \"security\": \"starttls\"," \
  "   \"auth\": \"xoauth2\", \"oauth\": {\"client_id\": \"" STAMP_TEST_IDP_CLIENT_ID "\"," \
  "                                    \"authority\": \"%s\"}}" \
  "]}"

/* Signed in at the mock identity provider, then Stamp starts eight days
 * later: the keep-alive refreshes the sign-in in the background at once. */
static void
test_keep_alive (void)
{
  StampSignInKeeper *keeper;
  gboolean refreshed = FALSE;
  GtkWindow *window;

  if (!g_test_subprocess ())
    {
      g_autoptr(StampTestIdp) idp = stamp_test_idp_start ("--canary", "kept", NULL);
      g_autoptr(GPtrArray) events = NULL;
      g_autofree char *contents = NULL;
      JsonObject *last;

      sign_in_at (idp);
      g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 0);

      contents = g_strdup_printf (KEEP_ALIVE_FILE_FORMAT, stamp_test_idp_get_authority (idp));
      set_now_offset (8 * DAY);
      stamp_test_run_with_account_file (contents);
      g_unsetenv ("STAMP_TEST_NOW_OFFSET");

      /* The identity provider's log has the refresh. */
      g_assert_cmpuint (stamp_test_idp_count_tokens (idp, "refresh_token"), ==, 1);
      events = stamp_test_idp_get_events (idp, "token");
      g_assert_cmpuint (events->len, >, 0);
      last = g_ptr_array_index (events, events->len - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "grant_type"), ==, "refresh_token");
      g_assert_true (json_object_get_boolean_member (last, "ok"));
      return;
    }

  keeper = stamp_application_get_sign_in_keeper (app);
  g_assert_nonnull (keeper);
  g_signal_connect (keeper, "refreshed", G_CALLBACK (refreshed_cb), &refreshed);

  window = open_window ();
  stamp_test_wait_until (is_true, &refreshed, "the keep-alive refresh");
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  /* Recorded, and the row says so at once. */
  find_health_label (window, KEEP_ALIVE_ADDRESS, "Signed in · refreshed just now");
  g_signal_handlers_disconnect_by_func (keeper, refreshed_cb, &refreshed);

  gtk_window_destroy (window);
}

static gboolean
is_button_labelled (GtkWidget    *widget,
                    gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (stamp_test_button_get_label (widget), data) == 0;
}

static gint64
utc_day (GDateTime *time)
{
  g_autoptr(GDateTime) day = g_date_time_new_utc (g_date_time_get_year (time),
                                                  g_date_time_get_month (time),
                                                  g_date_time_get_day_of_month (time),
                                                  0, 0, 0);

  return g_date_time_to_unix (day);
}

/* Where the client secret is asked for, so is its expiry, which goes into
 * the account. */
static void
test_secret_expires (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();
  g_autoptr(StampAccount) account = stamp_account_new ("owner@contoso.test");
  g_autoptr(StampAccount) saved = stamp_account_new ("saved@contoso.test");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 180);
  StampRegistrationGroup *group;
  GtkWidget *row;
  GtkWidget *button;
  GtkWidget *popover;
  GtkWindow *window;

  window = GTK_WINDOW (gtk_window_new ());
  group = g_object_new (STAMP_TYPE_REGISTRATION_GROUP, NULL);
  gtk_window_set_child (window, GTK_WIDGET (group));
  gtk_window_present (window);

  stamp_registration_group_set_provider (group, stamp_provider_db_lookup_id (db, "microsoft365"));
  stamp_registration_group_set_account (group, account);
  row = stamp_test_find_row (GTK_WIDGET (group), "Secret Expires");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (gtk_widget_get_visible (stamp_test_find_row (GTK_WIDGET (group), "Client Secret")));

  /* Entra's default, a click away. */
  button = stamp_test_find_widget (row, stamp_test_is_of_type,
                                   GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (button)), ==, "Not Set");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (stamp_test_find_widget (popover, stamp_test_is_of_type,
                                            GSIZE_TO_POINTER (GTK_TYPE_CALENDAR)));
  stamp_test_click_button (stamp_test_find_widget (popover, is_button_labelled, "In _180 Days"));
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (button)), !=, "Not Set");
  stamp_registration_group_apply (group, account);
  g_assert_cmpint (stamp_account_get_client_secret_expires (account), ==, utc_day (later));

  /* An account's saved date shows again, and cleared, it is gone. */
  stamp_registration_group_set_account (group, saved);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (button)), ==, "Not Set");
  stamp_registration_group_set_account (group, account);
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (button)), !=, "Not Set");
  stamp_test_wait_for_frames (GTK_WIDGET (window));
  stamp_test_save_screenshot (GTK_WIDGET (window), "secret-expires.png");
  stamp_test_click_button (stamp_test_find_widget (popover, is_button_labelled, "_Clear"));
  stamp_registration_group_apply (group, account);
  g_assert_cmpint (stamp_account_get_client_secret_expires (account), ==, 0);

  /* Personal Microsoft accounts have no app registration of their own. */
  stamp_registration_group_set_provider (group, stamp_provider_db_lookup_id (db, "outlook"));
  g_assert_false (gtk_widget_get_visible (row));

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-sign-in-health", &own_config_home);
  /* The sign-in records, shared by the test and its subprocesses. */
  state_home = g_strdup (g_getenv ("STAMP_TEST_STATE_HOME"));
  if (state_home == NULL)
    {
      state_home = g_build_filename (config_home, "state", NULL);
      g_setenv ("STAMP_TEST_STATE_HOME", state_home, TRUE);
    }
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  stamp_test_use_scripted_browser ();

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  /* The keyring's session bus is shared with the test's subprocesses,
   * each of which must run its own application. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/sign-in-health/rows", test_rows);
  g_test_add_func ("/stamp/app/sign-in-health/notifications", test_notifications);
  g_test_add_func ("/stamp/app/sign-in-health/keep-alive", test_keep_alive);
  g_test_add_func ("/stamp/app/sign-in-health/secret-expires", test_secret_expires);

  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    stamp_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

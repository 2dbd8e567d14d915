/* test-setup-assistant.c
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

#define G_LOG_DOMAIN "test-setup-assistant"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "stamp-account-row.h"
#include "stamp-account-store.h"
#include "stamp-secret-store.h"
#include "stamp-setup-assistant.h"
#include "stamp-sign-in-dialog.h"
#include "stamp-sign-in-page.h"
#include "stamp-test-idp.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"
#include "stamp-test-view.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"

/* Drives the real setup assistant end to end on a real display (Xvfb), with
 * a real keyring (with-keyring.sh), against loopback peers: the SMTP
 * server, the mock identity provider with a scripted browser, and a table
 * resolver, so nothing reaches the network. Each test has its own config
 * folder (G_TEST_OPTION_ISOLATE_DIRS), where the account file is checked.
 * With STAMP_SCREENSHOT_DIR set, every page is saved in light and dark. */

#define PASSWORD "canary-Pa55-setup-91d7e3"
#define RCPT     "desk@example.test"

typedef struct
{
  StampTestResolver   *resolver;
  StampTestServer     *server;
  StampTestIdp        *idp;
  StampAccountStore   *store;
  StampSetupAssistant *assistant;
  char                *ca_file;
} Fixture;

/* Screenshots of the whole assistant */

static void
save_light_and_dark (Fixture    *fixture,
                     const char *name)
{
  g_autofree char *prefixed = g_strdup_printf ("setup-%s", name);

  stamp_test_save_light_and_dark (GTK_WIDGET (fixture->assistant), prefixed);
}

/* The first widget in the assistant that @match accepts. */
static GtkWidget *
find_in (Fixture              *fixture,
         StampTestWidgetMatch  match,
         gconstpointer         data)
{
  return stamp_test_find_widget (GTK_WIDGET (fixture->assistant), match, data);
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  return stamp_test_find_row (GTK_WIDGET (fixture->assistant), title);
}

static gboolean
label_is_shown (gpointer data)
{
  gpointer *args = data;

  return stamp_test_find_widget (args[0], stamp_test_is_mapped_label_containing, args[1]) != NULL;
}

static void
wait_for_label (Fixture    *fixture,
                const char *text)
{
  gpointer args[] = { fixture->assistant, (gpointer) text };
  g_autofree char *what = g_strdup_printf ("a label showing “%s”", text);

  stamp_test_wait_until (label_is_shown, args, what);
}

static void
type_into (Fixture    *fixture,
           const char *row_title,
           const char *text)
{
  GtkWidget *row = find_row (fixture, row_title);

  if (!GTK_IS_EDITABLE (row))
    g_error ("The row “%s” is a %s, not an entry", row_title, G_OBJECT_TYPE_NAME (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
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
  return GTK_STACK (find_in (fixture, stamp_test_is_of_type,
                             GSIZE_TO_POINTER (GTK_TYPE_STACK)));
}

static const char *
current_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (page_stack (fixture));
}

static gboolean
page_has_settled (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

/* Waits for the slide to the new page to end, so that screenshots show
 * the page where it stays. */
static void
wait_for_page (Fixture *fixture)
{
  stamp_test_wait_until (page_has_settled, page_stack (fixture), "the page to settle");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
}

typedef struct
{
  Fixture    *fixture;
  const char *page;
} PageCheck;

static gboolean
page_is_shown (gpointer data)
{
  PageCheck *check = data;

  return g_strcmp0 (current_page (check->fixture), check->page) == 0;
}

/* Enter, as a person would press it: the window's default widget, which
 * shows the press for a moment before it acts. */
static void
press_enter (Fixture    *fixture,
             const char *expected_page)
{
  PageCheck check = { fixture, expected_page };

  stamp_test_wait_until (next_is_enabled, fixture->assistant, "Next to be enabled");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant),
                                             "default.activate", NULL));
  stamp_test_wait_until (page_is_shown, &check, "the next page");
  wait_for_page (fixture);
}

/* The header of an expander row, which says whether the row is open. */
static gboolean
is_expander_header (GtkWidget     *widget,
                    gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "header");
}

static void
go_next (Fixture    *fixture,
         const char *expected_page)
{
  stamp_test_wait_until (next_is_enabled, fixture->assistant, "Next to be enabled");
  click_action (fixture, "assistant.next");
  g_assert_cmpstr (current_page (fixture), ==, expected_page);
  wait_for_page (fixture);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->resolver = stamp_test_resolver_install ();
  fixture->ca_file = stamp_test_cert_path ("ca.pem");
  fixture->store = stamp_account_store_new (NULL);
  g_assert_true (stamp_account_store_load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);

  fixture->assistant = stamp_setup_assistant_new (NULL, fixture->store);
  g_object_add_weak_pointer (G_OBJECT (fixture->assistant), (gpointer *) &fixture->assistant);
  gtk_window_present (GTK_WINDOW (fixture->assistant));
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->assistant != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->assistant));
  g_assert_null (fixture->assistant);

  g_clear_object (&fixture->store);
  g_clear_object (&fixture->resolver);
  g_clear_pointer (&fixture->server, stamp_test_server_free);
  g_clear_pointer (&fixture->idp, stamp_test_idp_free);
  g_clear_pointer (&fixture->ca_file, g_free);
}

static gboolean
discovery_is_done (gpointer data)
{
  Fixture *fixture = data;

  return find_in (fixture, stamp_test_is_mapped_label_containing,
                  "No settings found") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing,
                     "settings found.") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing,
                     "Found the settings of") != NULL;
}

/* Page 1: the address; waits for discovery to end. */
static void
enter_address (Fixture    *fixture,
               const char *address,
               const char *name)
{
  g_assert_cmpstr (current_page (fixture), ==, "address");
  g_assert_false (next_is_enabled (fixture->assistant));

  /* Half an address is not enough. */
  type_into (fixture, "Email Address", "printer@");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  g_assert_false (next_is_enabled (fixture->assistant));

  type_into (fixture, "Email Address", address);
  type_into (fixture, "Name Shown to Recipients (Optional)", name);
  g_assert_true (next_is_enabled (fixture->assistant));
  stamp_test_wait_until (discovery_is_done, fixture, "discovery to end");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
}

/* Page 2: the loopback server's settings, typed by hand. */
static void
enter_server (Fixture *fixture)
{
  GtkWidget *spin = find_in (fixture, stamp_test_is_of_type,
                             GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  AdwComboRow *security = ADW_COMBO_ROW (find_row (fixture, "Security"));

  type_into (fixture, "Server Name", "127.0.0.1");
  adw_combo_row_set_selected (security, 2);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  /* No encryption says what it costs. */
  wait_for_label (fixture, "plain text");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (security)),
                            "Nothing is encrypted"));
  adw_combo_row_set_selected (security, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), stamp_test_server_get_port (fixture->server));

  /* A CA file that is not there does not pass. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (fixture, "Advanced")), TRUE);
  type_into (fixture, "Extra CA Certificate File", "/nonexistent/ca.pem");
  g_assert_false (next_is_enabled (fixture->assistant));
  type_into (fixture, "Extra CA Certificate File", fixture->ca_file);
  g_assert_true (next_is_enabled (fixture->assistant));
}

static gboolean
test_view_is_idle (gpointer data)
{
  return !stamp_test_view_get_busy (data);
}

/* Page 4: sends the test message to RCPT; returns whether it went. */
static gboolean
run_test_send (Fixture    *fixture,
               const char *address,
               const char *screenshot)
{
  StampTestView *view = STAMP_TEST_VIEW (find_in (fixture, stamp_test_is_of_type,
                                                  GSIZE_TO_POINTER (STAMP_TYPE_TEST_VIEW)));

  /* The recipient starts as the account's own address. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Send To"))), ==,
                   address);
  g_assert_false (next_is_enabled (fixture->assistant));
  type_into (fixture, "Send To", RCPT);

  click_action (fixture, "test-view.start");
  g_assert_true (stamp_test_view_get_busy (view));
  /* No saving half-way through a test. */
  g_assert_false (gtk_widget_is_sensitive (find_in (fixture, stamp_test_is_mapped_button_for,
                                                    "assistant.save-untested")));
  stamp_test_wait_until (test_view_is_idle, view, "the test send to end");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, screenshot);

  return stamp_test_view_get_succeeded (view);
}

static gboolean
save_is_done (gpointer data)
{
  Fixture *fixture = data;

  return find_in (fixture, stamp_test_is_mapped_label_containing,
                  "Account Saved") != NULL
         || find_in (fixture, stamp_test_is_mapped_label_containing,
                     "Not Saved") != NULL;
}

static JsonObject *
read_saved_account (const char *address)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json",
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  JsonArray *accounts;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (strstr (contents, PASSWORD));
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);

  accounts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 0),
                                                  "address"), ==, address);

  return json_object_ref (json_array_get_object_element (accounts, 0));
}

static gboolean
assistant_is_gone (gpointer data)
{
  Fixture *fixture = data;

  return fixture->assistant == NULL;
}

/* Page 5: saves, then Done closes the assistant. */
static void
finish (Fixture    *fixture,
        const char *address)
{
  StampAccount *account;

  go_next (fixture, "done");
  stamp_test_wait_until (save_is_done, fixture, "the account to be saved");
  wait_for_label (fixture, "Account Saved");
  g_assert_true (next_is_enabled (fixture->assistant));
  save_light_and_dark (fixture, "done");

  /* The store has it, so the main window lists it. */
  account = stamp_account_store_lookup (fixture->store, address);
  g_assert_nonnull (account);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  click_action (fixture, "assistant.next");
  stamp_test_wait_until (assistant_is_gone, fixture, "the assistant to close");
}

static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  const char *address = "printer@unknown.test";
  g_autoptr(StampSecretStore) secrets = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *secret = NULL;
  JsonObject *message;

  fixture->server = stamp_test_server_start ("starttls", "--user", address,
                                             "--password", PASSWORD, NULL);
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "address-empty");

  enter_address (fixture, address, "Office Printer");
  /* No real network: discovery asked only the table resolver. */
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "unknown.test"));
  wait_for_label (fixture, "No settings found");
  save_light_and_dark (fixture, "address");

  /* Enter moves on. */
  press_enter (fixture, "server");
  wait_for_label (fixture, "found no settings");
  g_assert_false (next_is_enabled (fixture->assistant));
  enter_server (fixture);
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "server-manual");

  go_next (fixture, "sign-in");
  /* An unknown provider has no OAuth; a password is the first choice. */
  g_assert_false (gtk_widget_get_visible (find_row (fixture, "Use a Code on Another Device")));
  g_assert_false (next_is_enabled (fixture->assistant));
  /* An app password pasted with its display spaces loses them. */
  type_into (fixture, "Password", "abcd efgh ijkl mnop");
  wait_for_label (fixture, "spaces in this app password were removed");
  type_into (fixture, "Password", PASSWORD);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing,
                          "spaces in this app password"));
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-password");

  /* Back keeps what was typed. */
  click_action (fixture, "assistant.back");
  g_assert_cmpstr (current_page (fixture), ==, "server");
  wait_for_page (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Server Name"))), ==,
                   "127.0.0.1");
  go_next (fixture, "sign-in");

  go_next (fixture, "test");
  g_assert_true (run_test_send (fixture, address, "test-sent"));
  messages = stamp_test_server_get_events (fixture->server, "message");
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (message,
                                                                                 "rcpt_tos"),
                                                  0), ==, RCPT);

  finish (fixture, address);

  saved = read_saved_account (address);
  g_assert_cmpstr (json_object_get_string_member (saved, "display_name"), ==, "Office Printer");
  secrets = stamp_secret_store_new ();
  secret = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_PASSWORD, NULL);
  g_assert_cmpstr (secret, ==, PASSWORD);
}

static gboolean
sign_in_is_done (gpointer data)
{
  Fixture *fixture = data;

  return next_is_enabled (fixture->assistant)
         || find_in (fixture, stamp_test_is_mapped_label_containing,
                     "Error code") != NULL;
}

static void
test_oauth (Fixture       *fixture,
            gconstpointer  data)
{
  const char *address = "ada@contoso.test";
  g_autoptr(StampSecretStore) secrets = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(GPtrArray) auths = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *saved_text = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  GtkWidget *security;
  GtkWidget *popover;
  GtkWidget *status;

  fixture->idp = stamp_test_idp_startv (NULL);
  fixture->server = stamp_test_server_start ("starttls", "--user", address, "--token-file",
                                             stamp_test_idp_get_token_file (fixture->idp), NULL);
  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 0,
                              "contoso-test.mail.protection.outlook.com");

  enter_address (fixture, address, "");
  /* The lookup says what it found, and says it to a screen reader too
   * (GTK before 4.14: as the focused entry's description). */
  status = find_in (fixture, stamp_test_is_mapped_label_containing,
                    "Microsoft 365 settings found.");
  g_assert_nonnull (status);
  if (gtk_get_minor_version () < 14)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->assistant));
      g_autofree char *heard = NULL;

      heard = gtk_test_accessible_check_property (GTK_ACCESSIBLE (focus != NULL ? focus : status),
                                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                  "Microsoft 365 settings found.");
      g_assert_null (heard);
    }
  save_light_and_dark (fixture, "address-found");
  go_next (fixture, "server");
  /* The suggestion and why: the domain's MX. */
  wait_for_label (fixture, "MX points to Microsoft 365");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Server Name"))), ==,
                   "smtp.office365.com");
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "server-suggested");

  /* Each security choice says what it means: the row for the chosen one,
   * the list for all three. */
  security = find_row (fixture, "Security");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (security)),
                            "switches to encryption before signing in"));
  gtk_widget_activate (security);
  popover = stamp_test_find_descendant (security, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  stamp_test_wait_for_frames (popover);
  g_assert_nonnull (stamp_test_find_widget (popover, stamp_test_is_mapped_label_containing,
                                            "Encrypted from the first byte"));
  g_assert_nonnull (stamp_test_find_widget (popover, stamp_test_is_mapped_label_containing,
                                            "Nothing is encrypted"));
  stamp_test_save_screenshot (popover, "setup-server-security-choices.png");
  gtk_popover_popdown (GTK_POPOVER (popover));
  enter_server (fixture);

  go_next (fixture, "sign-in");
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Microsoft")));
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Use a Code on Another Device")));
  g_assert_false (next_is_enabled (fixture->assistant));

  /* This build has no app registration: the steps to make one, and room
   * for the organization's own. */
  click_labelled (fixture, "_Sign In with Microsoft");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  wait_for_label (fixture, "no app registration");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    find_row (fixture, "Organization’s App Registration"))));
  /* And says so, as the server page's Advanced expander does. */
  g_assert_null (gtk_test_accessible_check_state (
    GTK_ACCESSIBLE (stamp_test_find_widget (find_row (fixture, "Organization’s App Registration"),
                                            is_expander_header, NULL)),
    GTK_ACCESSIBLE_STATE_EXPANDED, TRUE));
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-no-client");

  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  click_labelled (fixture, "_Sign In with Microsoft");
  stamp_test_wait_until (sign_in_is_done, fixture, "the browser sign-in");
  g_assert_true (next_is_enabled (fixture->assistant));
  wait_for_label (fixture, "Signed in");
  save_light_and_dark (fixture, "sign-in-done");

  go_next (fixture, "test");
  g_assert_true (run_test_send (fixture, address, "test-oauth-sent"));
  auths = stamp_test_server_get_events (fixture->server, "auth");
  g_assert_cmpuint (auths->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (auths, 0), "mechanism"), ==,
                   "XOAUTH2");
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (auths, 0), "success"));

  finish (fixture, address);

  saved = read_saved_account (address);
  json_node_set_object (node, saved);
  saved_text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (saved_text, STAMP_TEST_IDP_CLIENT_ID));
  g_assert_nonnull (strstr (saved_text, stamp_test_idp_get_authority (fixture->idp)));
  g_assert_nonnull (strstr (saved_text, "xoauth2"));
  g_assert_nonnull (strstr (saved_text, "microsoft365"));

  secrets = stamp_secret_store_new ();
  refresh = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_nonnull (refresh);
}

/* The user code, large: a mapped title-1 label with text. */
static gboolean
is_code_label (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && gtk_widget_has_css_class (widget, "title-1")
         && gtk_widget_has_css_class (widget, "monospace")
         && *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
}

static gboolean
code_is_shown (gpointer data)
{
  Fixture *fixture = data;

  return find_in (fixture, is_code_label, NULL) != NULL;
}

/* The code method: the code large with a Copy button, and the link. */
static void
test_device (Fixture       *fixture,
             gconstpointer  data)
{
  const char *address = "grace@contoso.test";
  const char *device_args[] = { "--device-pending", "1", NULL };
  g_autoptr(StampSecretStore) secrets = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autofree char *refresh = NULL;
  GtkWidget *device_row;
  GtkWidget *code_label;
  GtkWidget *link;

  fixture->idp = stamp_test_idp_startv (device_args);
  fixture->server = stamp_test_server_start ("starttls", "--user", address, "--token-file",
                                             stamp_test_idp_get_token_file (fixture->idp), NULL);
  stamp_test_resolver_add_mx (fixture->resolver, "contoso.test", 0,
                              "contoso-test.mail.protection.outlook.com");

  enter_address (fixture, address, "");
  go_next (fixture, "server");
  wait_for_label (fixture, "MX points to Microsoft 365");
  enter_server (fixture);

  go_next (fixture, "sign-in");
  device_row = find_row (fixture, "Use a Code on Another Device");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (stamp_test_find_widget (
    device_row, stamp_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON))), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (
    find_row (fixture, "Organization’s App Registration")), TRUE);
  /* An organization's registration may have a client secret, and then
   * Stamp asks when it expires. */
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Client Secret")));
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Secret Expires")));
  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  click_labelled (fixture, "_Get a Code");

  /* The IdP keeps the code pending for one poll, time enough to look. */
  stamp_test_wait_until (code_is_shown, fixture, "the code");
  code_label = find_in (fixture, is_code_label, NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (code_label)), !=, "");
  link = find_in (fixture, stamp_test_is_mapped_label_containing,
                  stamp_test_idp_get_authority (fixture->idp));
  g_assert_nonnull (link);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (link)), "<a href="));
  click_labelled (fixture, "C_opy Code");
  g_assert_nonnull (find_in (fixture, stamp_test_is_mapped_button_labelled, "Code Copied"));
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));

  save_light_and_dark (fixture, "sign-in-device");
  stamp_test_wait_until (sign_in_is_done, fixture, "the device sign-in");
  g_assert_true (next_is_enabled (fixture->assistant));
  wait_for_label (fixture, "Signed in");
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "device_code"), >=, 2);

  go_next (fixture, "test");
  g_assert_true (run_test_send (fixture, address, "test-device-sent"));
  finish (fixture, address);

  saved = read_saved_account (address);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (saved, "oauth"),
                                                  "client_id"), ==, STAMP_TEST_IDP_CLIENT_ID);
  secrets = stamp_secret_store_new ();
  refresh = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_nonnull (refresh);
}

static void
test_failure (Fixture       *fixture,
              gconstpointer  data)
{
  const char *address = "scanner@unknown.test";
  g_autofree char *path = NULL;

  fixture->server = stamp_test_server_start ("starttls", "--user", address,
                                             "--password", PASSWORD,
                                             "--scenario", "auth-reject-5.7.139", NULL);

  enter_address (fixture, address, "");
  go_next (fixture, "server");
  enter_server (fixture);
  go_next (fixture, "sign-in");
  type_into (fixture, "Password", PASSWORD);
  go_next (fixture, "test");

  g_assert_false (run_test_send (fixture, address, "test-failed"));
  /* The explanation card, and no way forward but saving on purpose. */
  wait_for_label (fixture, "SMTP AUTH is turned off for this mailbox");
  g_assert_false (next_is_enabled (fixture->assistant));
  g_assert_true (gtk_widget_is_sensitive (find_in (fixture, stamp_test_is_mapped_button_for,
                                                   "assistant.save-untested")));

  /* At 360 px everything still fits. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->assistant), 360, 700);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  stamp_test_save_screenshot (GTK_WIDGET (fixture->assistant), "setup-test-failed-narrow.png");

  /* Escape closes and discards: nothing saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "window.close",
                                             NULL));
  stamp_test_wait_until (assistant_is_gone, fixture, "the assistant to close");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  path = g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(StampAccount) account = stamp_account_new ("relay@unknown.test");

  stamp_account_set_host (account, "relay.unknown.test");
  stamp_account_set_port (account, 25);
  stamp_account_set_security (account, STAMP_SECURITY_NONE);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_NONE);
  stamp_account_store_add (fixture->store, account);

  stamp_setup_assistant_set_account (fixture->assistant, account);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->assistant)), ==, "Change Account");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (find_row (fixture, "Email Address"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Email Address"))), ==,
                   "relay@unknown.test");
  save_light_and_dark (fixture, "edit-address");

  go_next (fixture, "server");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Server Name"))), ==,
                   "relay.unknown.test");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (fixture, "Security"))),
                    ==, 2);
  wait_for_label (fixture, "plain text");
  /* No discovery ran for a saved account. */
  g_assert_cmpuint (stamp_test_resolver_get_n_asked (fixture->resolver), ==, 0);

  go_next (fixture, "sign-in");
  /* Its method is kept: no sign-in, with what that means. */
  wait_for_label (fixture, "Direct Send");
  g_assert_true (next_is_enabled (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-none");
}

/* Telling the truth about what was found and tested, and being usable with
 * a screen reader */

/* What a screen reader has for @widget's @property: GTK 4.8 tells the
 * value only when it differs from the one asked about. */
static char *
accessible_value (GtkWidget             *widget,
                  GtkAccessibleProperty  property)
{
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                             "\x01 no such text");
}

static GtkWidget *
focused (Fixture *fixture)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->assistant));
}

/* A status change is heard: an announcement on GTK 4.14, before that the
 * description of the focused control (stamp_announce()). */
static void
assert_announced (Fixture    *fixture,
                  const char *text)
{
  GtkWidget *focus = focused (fixture);
  g_autofree char *description = NULL;

  if (gtk_get_minor_version () >= 14)
    return;

  description = accessible_value (focus != NULL ? focus : GTK_WIDGET (fixture->assistant),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (description == NULL || strstr (description, text) == NULL)
    g_error ("“%s” was not announced (the focus says “%s”)", text, description);
}

static StampTestView *
test_view (Fixture *fixture)
{
  return STAMP_TEST_VIEW (find_in (fixture, stamp_test_is_of_type,
                                   GSIZE_TO_POINTER (STAMP_TYPE_TEST_VIEW)));
}

/* Send, as a person does it: the focus on the button, then a press. */
static void
press_send (Fixture *fixture)
{
  GtkWidget *send = find_in (fixture, stamp_test_is_mapped_button_labelled, "_Send");

  g_assert_nonnull (send);
  /* On the test page, sending is the thing to do. */
  g_assert_true (gtk_widget_has_css_class (send, "suggested-action"));
  gtk_widget_grab_focus (send);
  stamp_test_click_button (send);
  stamp_test_wait_until (test_view_is_idle, test_view (fixture), "the test send to end");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
}

/* Tab, up to @presses times, until @target has the focus. */
static gboolean
tab_reaches (Fixture   *fixture,
             GtkWidget *target,
             guint      presses)
{
  for (guint i = 0; i < presses; i++)
    {
      g_signal_emit_by_name (fixture->assistant, "move-focus", GTK_DIR_TAB_FORWARD);
      if (focused (fixture) == target)
        return TRUE;
    }

  return FALSE;
}

/* Sign-in for every Microsoft 365 tenant: the provider choice, the
 * server's own sign-in, the remembered client ID and Sign In Again. */

static void
choose_provider (Fixture    *fixture,
                 const char *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_row (fixture, "Provider"));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), name))
        {
          adw_combo_row_set_selected (row, i);
          stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
          return;
        }
    }

  g_error ("No provider “%s” to choose", name);
}

/* A mapped expander; with @data, the one labelled @data. */
static gboolean
is_mapped_expander (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_EXPANDER (widget) && gtk_widget_get_mapped (widget)
         && (data == NULL || g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (widget)), data) == 0);
}

static gboolean
is_label_containing (GtkWidget     *widget,
                     gconstpointer  data)
{
  const char *text = NULL;

  /* The account list's rows show their text in inscriptions. */
  if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  else if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));

  return text != NULL && strstr (text, data) != NULL;
}

/* The account as saved records a test that went through, and the account
 * list says so. */
static void
assert_recorded_as_tested (Fixture    *fixture,
                           const char *address)
{
  StampAccount *account = stamp_account_store_lookup (fixture->store, address);
  g_autoptr(JsonObject) saved = read_saved_account (address);
  JsonObject *last_test;
  GtkWidget *row;

  g_assert_true (stamp_account_get_last_test_ok (account));
  g_assert_cmpint (stamp_account_get_last_test_at (account), >,
                   g_get_real_time () / G_USEC_PER_SEC - 600);
  last_test = json_object_get_object_member (saved, "last_test");
  g_assert_nonnull (last_test);
  g_assert_true (json_object_get_boolean_member (last_test, "ok"));

  /* The row in the account list, shown or not. */
  row = g_object_ref_sink (stamp_account_row_new (account));
  g_assert_null (stamp_test_find_widget (row, is_label_containing, "Not tested yet"));
  g_assert_nonnull (stamp_test_find_widget (row, is_label_containing, "Last test: sent"));
  g_object_unref (row);
}

/* Back to the address and another one: discovery runs again, and nothing
 * found for the first address (server, provider, sign-in) stays. */
static void
test_new_address (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *address = "alice@contoso.example";
  g_autoptr(JsonObject) saved = NULL;

  fixture->server = stamp_test_server_start ("starttls", "--user", address,
                                             "--password", PASSWORD, NULL);

  enter_address (fixture, "someone@outlook.com", "");
  go_next (fixture, "server");
  assert_announced (fixture, "Step 2 of 5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Server Name"))), ==,
                   "smtp-mail.outlook.com");
  go_next (fixture, "sign-in");
  assert_announced (fixture, "Step 3 of 5");
  wait_for_label (fixture, "signs in to Outlook.com");
  /* A password typed for Outlook.com must not go to the next server. */
  type_into (fixture, "Password", "typed-for-outlook");

  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  g_assert_cmpstr (current_page (fixture), ==, "address");
  assert_announced (fixture, "Step 1 of 5");

  type_into (fixture, "Email Address", address);
  stamp_test_wait_until (discovery_is_done, fixture, "discovery for the new address");
  g_assert_true (stamp_test_resolver_was_asked (fixture->resolver, "contoso.example"));
  wait_for_label (fixture, "No settings found");

  go_next (fixture, "server");
  wait_for_label (fixture, "found no settings");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Server Name"))), ==,
                   "");
  g_assert_false (next_is_enabled (fixture->assistant));
  save_light_and_dark (fixture, "server-new-address");
  enter_server (fixture);

  go_next (fixture, "sign-in");
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing, "Outlook.com"));
  wait_for_label (fixture, "signs in to 127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Password"))), ==, "");
  type_into (fixture, "Password", PASSWORD);

  go_next (fixture, "test");
  assert_announced (fixture, "Step 4 of 5");
  g_assert_true (run_test_send (fixture, address, "test-new-address"));
  finish (fixture, address);

  saved = read_saved_account (address);
  g_assert_cmpstr (json_object_get_string_member (saved, "host"), ==, "127.0.0.1");
  g_assert_false (json_object_has_member (saved, "provider"));
  g_assert_false (json_object_has_member (saved, "provider_id"));
}

/* After a failed test the focus is on Retry, and Tab reaches everything
 * after it; settings changed after the failure make a clean page, and the
 * test that then passes is the account's last test. */
static void
test_changed_after_failure (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *address = "scanner@unknown.test";
  GtkWidget *retry;
  GtkWidget *save_untested;
  GtkWidget *details;

  fixture->server = stamp_test_server_start ("starttls", "--user", address,
                                             "--password", PASSWORD, NULL);

  enter_address (fixture, address, "");
  go_next (fixture, "server");
  enter_server (fixture);
  go_next (fixture, "sign-in");
  type_into (fixture, "Password", "not-the-" PASSWORD);
  go_next (fixture, "test");
  g_assert_true (focused (fixture) == gtk_widget_get_focus_child (find_row (fixture, "Send To"))
                 || gtk_widget_is_ancestor (focused (fixture), find_row (fixture, "Send To")));

  type_into (fixture, "Send To", RCPT);
  press_send (fixture);
  g_assert_false (stamp_test_view_get_succeeded (test_view (fixture)));
  wait_for_label (fixture, "Test Message Not Sent");

  /* The focus went on to Retry, which says what happened. */
  retry = find_in (fixture, stamp_test_is_mapped_button_labelled, "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (focused (fixture) == retry);
  assert_announced (fixture, "Test Message Not Sent");

  /* Tab leaves the Details expander, open or not, and reaches Retry and
   * Save Without Testing. */
  details = find_in (fixture, is_mapped_expander, NULL);
  g_assert_nonnull (details);
  /* Closed, its selectable text must not swallow Tab. */
  gtk_widget_grab_focus (details);
  g_assert_true (tab_reaches (fixture, retry, 10));
  gtk_expander_set_expanded (GTK_EXPANDER (details), TRUE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  gtk_widget_grab_focus (details);
  g_assert_true (tab_reaches (fixture, retry, 10));
  save_untested = find_in (fixture, stamp_test_is_mapped_button_for, "assistant.save-untested");
  g_assert_nonnull (save_untested);
  g_assert_true (tab_reaches (fixture, save_untested, 40));
  gtk_expander_set_expanded (GTK_EXPANDER (details), FALSE);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "test-failed-focus");

  /* Back, the right password, Next: the old failure is not shown. */
  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  type_into (fixture, "Password", PASSWORD);
  go_next (fixture, "test");
  g_assert_false (stamp_test_view_get_succeeded (test_view (fixture)));
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing,
                          "Test Message Not Sent"));
  g_assert_null (find_in (fixture, stamp_test_is_mapped_button_labelled, "_Retry"));
  g_assert_null (find_in (fixture, is_mapped_expander, NULL));
  save_light_and_dark (fixture, "test-after-change");

  press_send (fixture);
  g_assert_true (stamp_test_view_get_succeeded (test_view (fixture)));
  finish (fixture, address);
  assert_recorded_as_tested (fixture, address);
}

static gboolean
message_dialog_gone (gpointer data)
{
  return stamp_test_find_message_dialog () == NULL;
}

/* A tested setup: Save Without Testing is gone, and Escape asks before it
 * throws the setup away. */
static void
test_escape_after_test (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *address = "printer@unknown.test";
  GtkWidget *dialog;

  fixture->server = stamp_test_server_start ("starttls", "--user", address,
                                             "--password", PASSWORD, NULL);

  enter_address (fixture, address, "");
  go_next (fixture, "server");
  enter_server (fixture);
  go_next (fixture, "sign-in");
  type_into (fixture, "Password", PASSWORD);
  go_next (fixture, "test");
  g_assert_true (gtk_widget_get_visible (find_in (fixture, stamp_test_is_mapped_button_for,
                                                  "assistant.save-untested")));

  type_into (fixture, "Send To", RCPT);
  press_send (fixture);
  g_assert_true (stamp_test_view_get_succeeded (test_view (fixture)));
  assert_announced (fixture, "Test Message Sent");
  g_assert_null (find_in (fixture, stamp_test_is_mapped_button_for, "assistant.save-untested"));
  /* Sending again is not what comes next; Next is. */
  g_assert_false (gtk_widget_has_css_class (find_in (fixture, stamp_test_is_mapped_button_labelled,
                                                     "Send _Again"), "suggested-action"));

  /* Escape asks; keeping the setup keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "window.close",
                                             NULL));
  stamp_test_wait_until (stamp_test_message_dialog_shown, NULL, "the discard question");
  dialog = stamp_test_find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Discard the Tested Account?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  g_assert_nonnull (fixture->assistant);
  stamp_test_wait_for_frames (dialog);
  stamp_test_save_light_and_dark (dialog, "setup-discard-question");

  /* As the dialog's buttons do: the response, then the dialog goes. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  stamp_test_wait_until (message_dialog_gone, NULL, "the question to go");
  g_assert_nonnull (fixture->assistant);
  g_assert_cmpstr (current_page (fixture), ==, "test");

  /* Discarding closes, and nothing is saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "window.close",
                                             NULL));
  stamp_test_wait_until (stamp_test_message_dialog_shown, NULL, "the discard question again");
  dialog = stamp_test_find_message_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  stamp_test_wait_until (assistant_is_gone, fixture, "the assistant to close");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
}

/* Signs in through the mock identity provider and the scripted browser. */
static void
sign_in_with_microsoft (Fixture *fixture)
{
  click_labelled (fixture, "_Sign In with Microsoft");
  stamp_test_wait_until (sign_in_is_done, fixture, "the browser sign-in");
  g_assert_true (next_is_enabled (fixture->assistant));
  wait_for_label (fixture, "Signed in");
}

static void
test_provider_choice (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *address = "ada@filtered.test";
  g_autoptr(StampSecretStore) secrets = NULL;
  g_autoptr(JsonObject) saved = NULL;
  g_autofree char *refresh = NULL;
  GtkWidget *how_to;

  fixture->idp = stamp_test_idp_startv (NULL);
  fixture->server = stamp_test_server_start ("starttls", "--user", address, "--token-file",
                                             stamp_test_idp_get_token_file (fixture->idp), NULL);
  /* The MX goes through a mail filter: nothing says Microsoft. */
  stamp_test_resolver_add_mx (fixture->resolver, "filtered.test", 0, "mx1.filter.test");

  enter_address (fixture, address, "");
  go_next (fixture, "server");
  enter_server (fixture);
  go_next (fixture, "sign-in");

  /* An unknown server: the provider choice, and no Microsoft sign-in yet. */
  g_assert_true (gtk_widget_get_mapped (find_row (fixture, "Provider")));
  g_assert_false (gtk_widget_get_visible (find_row (fixture, "Use a Code on Another Device")));
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-provider-choice");

  /* Personal accounts: no tenant, and the steps for an app that allows
   * them. Google: its client secret. */
  choose_provider (fixture, "Outlook.com");
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Microsoft")));
  g_assert_false (gtk_widget_get_visible (find_row (fixture, "Tenant")));
  gtk_expander_set_expanded (GTK_EXPANDER (find_in (fixture, is_mapped_expander,
                                                    "_How to Get One")), TRUE);
  wait_for_label (fixture, "personal Microsoft accounts");
  gtk_expander_set_expanded (GTK_EXPANDER (find_in (fixture, is_mapped_expander,
                                                    "_How to Get One")), FALSE);
  choose_provider (fixture, "Google");
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Google")));
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Client Secret")));
  g_assert_false (gtk_widget_get_visible (find_row (fixture, "Use a Code on Another Device")));

  choose_provider (fixture, "Microsoft 365");
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Microsoft")));
  /* Optional for an organization's registration, which may have one. */
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Client Secret")));
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Use a Code on Another Device")));
  /* No client id in this build: the fields are right there, with the
   * reason in one line and the steps behind an expander. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (
    find_row (fixture, "Organization’s App Registration"))));
  g_assert_true (gtk_widget_get_mapped (find_row (fixture, "Client ID")));
  g_assert_true (gtk_widget_get_mapped (find_row (fixture, "Tenant")));
  wait_for_label (fixture, "no app registration for Microsoft 365");
  g_assert_null (find_in (fixture, stamp_test_is_mapped_label_containing, "App registrations"));
  how_to = find_in (fixture, is_mapped_expander, "_How to Get One");
  g_assert_nonnull (how_to);
  /* Tall enough to show the whole page. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->assistant), 600, 1000);
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-client-id");
  gtk_expander_set_expanded (GTK_EXPANDER (how_to), TRUE);
  wait_for_label (fixture, "Entra admin center");
  stamp_test_check_controls (GTK_WIDGET (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-how-to");
  gtk_expander_set_expanded (GTK_EXPANDER (how_to), FALSE);

  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  sign_in_with_microsoft (fixture);

  /* Back and Next keep the choice and the sign-in. */
  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  go_next (fixture, "sign-in");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (fixture, "Provider"))),
                    ==, 0);
  wait_for_label (fixture, "Signed in");

  go_next (fixture, "test");
  g_assert_true (run_test_send (fixture, address, "test-chosen-provider-sent"));
  finish (fixture, address);

  saved = read_saved_account (address);
  g_assert_cmpstr (json_object_get_string_member (saved, "provider"), ==, "microsoft365");
  secrets = stamp_secret_store_new ();
  refresh = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_nonnull (refresh);
}

static void
test_typed_office365 (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *address = "grace@filtered.test";
  StampSignInPage *page;

  fixture->idp = stamp_test_idp_startv (NULL);
  enter_address (fixture, address, "");
  go_next (fixture, "server");
  wait_for_label (fixture, "found no settings");
  /* Typed by hand: the host says who runs the server. Nothing connects to
   * it here; only the mock identity provider answers. */
  type_into (fixture, "Server Name", "smtp.office365.com");
  go_next (fixture, "sign-in");

  g_assert_false (gtk_widget_get_mapped (find_row (fixture, "Provider")));
  g_assert_true (gtk_widget_get_visible (find_row (fixture, "Sign In with Microsoft")));
  wait_for_label (fixture, "Microsoft 365 to send as");
  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  type_into (fixture, "Sign-In Service", stamp_test_idp_get_authority (fixture->idp));
  sign_in_with_microsoft (fixture);

  page = STAMP_SIGN_IN_PAGE (find_in (fixture, stamp_test_is_of_type,
                                      GSIZE_TO_POINTER (STAMP_TYPE_SIGN_IN_PAGE)));
  g_assert_cmpint (stamp_sign_in_page_get_method (page), ==, STAMP_SIGN_IN_BROWSER);
  g_assert_nonnull (stamp_sign_in_page_get_tokens (page));
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "authorization_code"), ==, 1);
}

/* A client ID entered once serves the next account of the same tenant. */
static void
test_remembered_client_id (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(StampAccount) first = NULL;
  StampSignInPage *page;

  fixture->idp = stamp_test_idp_startv (NULL);
  first = stamp_test_idp_new_account (fixture->idp, "first@contoso.test", "microsoft365");
  stamp_account_set_oauth_tenant (first, "contoso.test");
  stamp_account_set_auth_mechanism (first, STAMP_AUTH_XOAUTH2);
  stamp_account_store_add (fixture->store, first);

  enter_address (fixture, "second@contoso.test", "");
  go_next (fixture, "server");
  type_into (fixture, "Server Name", "smtp.office365.com");
  go_next (fixture, "sign-in");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Client ID"))), ==,
                   STAMP_TEST_IDP_CLIENT_ID);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Tenant"))), ==,
                   "contoso.test");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Sign-In Service"))),
                   ==, stamp_test_idp_get_authority (fixture->idp));
  /* Nothing to type: the sign-in works with it. */
  sign_in_with_microsoft (fixture);
  page = STAMP_SIGN_IN_PAGE (find_in (fixture, stamp_test_is_of_type,
                                      GSIZE_TO_POINTER (STAMP_TYPE_SIGN_IN_PAGE)));
  g_assert_nonnull (stamp_sign_in_page_get_tokens (page));

  /* Another organization's address gets none. */
  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  click_action (fixture, "assistant.back");
  wait_for_page (fixture);
  type_into (fixture, "Email Address", "third@fabrikam.test");
  go_next (fixture, "server");
  type_into (fixture, "Server Name", "smtp.office365.com");
  go_next (fixture, "sign-in");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Client ID"))), ==, "");
}

/* A new port for an OAuth account needs no new sign-in. */
static void
test_edit_keeps_sign_in (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *address = "kept@contoso.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampOAuthTokens) tokens = NULL;
  g_autoptr(StampSecretStore) secrets = stamp_secret_store_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *spin;

  fixture->idp = stamp_test_idp_startv (NULL);
  account = stamp_test_idp_new_account (fixture->idp, address, "microsoft365");
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_set_port (account, 2525);
  stamp_account_store_add (fixture->store, account);
  tokens = stamp_test_idp_sign_in (fixture->idp, account);
  {
    g_autoptr(StampCredentials) credentials = stamp_credentials_new (secrets);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    stamp_credentials_save_tokens_async (credentials, account, tokens, NULL,
                                         stamp_test_result_cb, &result);
    g_assert_true (stamp_credentials_save_tokens_finish (credentials,
                                                         stamp_test_wait_result (&result),
                                                         &error));
    g_assert_no_error (error);
  }
  before = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);

  stamp_setup_assistant_set_account (fixture->assistant, account);
  go_next (fixture, "server");
  spin = find_in (fixture, stamp_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 587);
  go_next (fixture, "sign-in");

  /* Signed in already: Next works without a new sign-in. */
  wait_for_label (fixture, "sign-in in the keyring stays");
  g_assert_true (next_is_enabled (fixture->assistant));
  save_light_and_dark (fixture, "sign-in-kept");
  /* Another app registration needs a new sign-in; back to the old one, it
   * does not. */
  type_into (fixture, "Client ID", "another-client");
  stamp_test_wait_for_frames (GTK_WIDGET (fixture->assistant));
  g_assert_false (next_is_enabled (fixture->assistant));
  type_into (fixture, "Client ID", STAMP_TEST_IDP_CLIENT_ID);
  wait_for_label (fixture, "sign-in in the keyring stays");
  g_assert_true (next_is_enabled (fixture->assistant));
  go_next (fixture, "test");
  click_action (fixture, "assistant.save-untested");
  stamp_test_wait_until (save_is_done, fixture, "the account to be saved");
  wait_for_label (fixture, "Account Saved");

  g_assert_cmpuint (stamp_account_get_effective_port (stamp_account_store_lookup (fixture->store,
                                                                                  address)),
                    ==, 587);
  after = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "authorization_code"), ==, 1);
}

static gboolean
dialog_is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Sign In Again signs in at once and keeps the new tokens. */
static void
test_sign_in_again (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *address = "lin@expired.test";
  g_autoptr(StampAccount) account = NULL;
  g_autoptr(StampSecretStore) secrets = stamp_secret_store_new ();
  g_autofree char *first = NULL;
  g_autofree char *refresh = NULL;
  StampSignInDialog *dialog;

  fixture->idp = stamp_test_idp_startv (NULL);
  account = stamp_test_idp_new_account (fixture->idp, address, "microsoft365");
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  stamp_account_store_add (fixture->store, account);
  g_assert_null (stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL));

  dialog = stamp_sign_in_dialog_new (GTK_WINDOW (fixture->assistant), fixture->store, account);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  /* Only the OAuth methods: nothing else about the account changes. */
  g_assert_false (gtk_widget_get_visible (stamp_test_find_widget (
    GTK_WIDGET (dialog), stamp_test_is_row_titled, "Password or App Password")));

  /* No click: the browser opens at once, and the dialog closes when the
   * tokens are in the keyring. */
  stamp_test_wait_until (dialog_is_gone, &dialog, "the sign-in dialog to close");
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "authorization_code"), ==, 1);
  refresh = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_nonnull (refresh);

  /* Again, with a browser that does not answer: the dialog waits with the
   * link, and Cancel and a new sign-in replace the tokens once more. */
  g_free (stamp_test_script_browser ("ignore"));
  dialog = stamp_sign_in_dialog_new (GTK_WINDOW (fixture->assistant), fixture->store, account);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  {
    gpointer args[] = { dialog, (gpointer) stamp_test_idp_get_authority (fixture->idp) };

    stamp_test_wait_until (label_is_shown, args, "the sign-in link");
  }
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_check_controls (GTK_WIDGET (dialog));
  stamp_test_save_light_and_dark (GTK_WIDGET (dialog), "sign-in-again-waiting");
  g_free (stamp_test_script_browser ("accept"));
  stamp_test_click_button (stamp_test_find_widget (GTK_WIDGET (dialog),
                                                   stamp_test_is_mapped_button_labelled,
                                                   "_Cancel"));
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_click_button (stamp_test_find_widget (GTK_WIDGET (dialog),
                                                   stamp_test_is_mapped_button_labelled,
                                                   "_Sign In with Microsoft"));
  stamp_test_wait_until (dialog_is_gone, &dialog, "the sign-in dialog to close");
  first = g_steal_pointer (&refresh);
  refresh = stamp_test_lookup_secret (secrets, address, STAMP_SECRET_REFRESH_TOKEN, NULL);
  g_assert_nonnull (refresh);
  g_assert_cmpuint (stamp_test_idp_count_tokens (fixture->idp, "authorization_code"), ==, 2);
  g_assert_cmpstr (refresh, !=, first);
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
  /* The icon theme reads its folders now, not inside a test's. */
  gtk_icon_theme_get_for_display (gdk_display_get_default ());

  g_test_add ("/stamp/app/setup-assistant/password", Fixture, NULL,
              fixture_set_up, test_password, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/oauth", Fixture, NULL,
              fixture_set_up, test_oauth, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/device", Fixture, NULL,
              fixture_set_up, test_device, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/failure", Fixture, NULL,
              fixture_set_up, test_failure, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/edit", Fixture, NULL,
              fixture_set_up, test_edit, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/new-address", Fixture, NULL,
              fixture_set_up, test_new_address, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/changed-after-failure", Fixture, NULL,
              fixture_set_up, test_changed_after_failure, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/escape-after-test", Fixture, NULL,
              fixture_set_up, test_escape_after_test, fixture_tear_down);

  g_test_add ("/stamp/app/setup-assistant/provider-choice", Fixture, NULL,
              fixture_set_up, test_provider_choice, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/typed-office365", Fixture, NULL,
              fixture_set_up, test_typed_office365, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/remembered-client-id", Fixture, NULL,
              fixture_set_up, test_remembered_client_id, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/edit-keeps-sign-in", Fixture, NULL,
              fixture_set_up, test_edit_keeps_sign_in, fixture_tear_down);
  g_test_add ("/stamp/app/setup-assistant/sign-in-again", Fixture, NULL,
              fixture_set_up, test_sign_in_again, fixture_tear_down);

  return g_test_run ();
}

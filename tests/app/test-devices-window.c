/* test-devices-window.c
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

#define G_LOG_DOMAIN "test-devices-window"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "stamp-application.h"
#include "stamp-device-dialog.h"
#include "stamp-device-list-dialog.h"
#include "stamp-devices-window.h"
#include "stamp-export-dialog.h"
#include "stamp-setup-assistant.h"
#include "stamp-test-idp.h"
#include "stamp-test-server.h"
#include "stamp-test-widgets.h"
#include "stamp-test-window.h"
#include "stamp-window.h"

/* The Devices window of an account, opened from the account's row in the
 * real StampWindow, on a real display (Xvfb) with a real keyring
 * (with-keyring.sh): adding a device shows its password once, Copy puts
 * it on the clipboard, the device file has the device but never the
 * password, and the keyring has the password until the device is removed.
 * Each test runs itself again in a subprocess whose XDG_CONFIG_HOME holds
 * an account file. With STAMP_SCREENSHOT_DIR set, each state is saved in
 * light and dark, and at 360 px wide. */

#define ADDRESS "scans@example.org"

#define ACCOUNT_FILE \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" ADDRESS "\", \"host\": \"mail.example.org\", \"port\": 587," \
  "   \"security\": \"starttls\", \"auth\": \"plain\"}" \
  "]}"

static StampApplication *app;
static char *config_home;

static char *
devices_file (void)
{
  return g_build_filename (config_home, "stamp", "relay-devices.json", NULL);
}

static GtkWindow *
open_devices_window (void)
{
  GtkWindow *window;
  GtkWidget *row;
  GtkWindow *devices;

  stamp_test_reset_settings ();
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (STAMP_IS_WINDOW (window));
  stamp_test_wait_for_page (window, "accounts");
  row = stamp_test_find_account_row (window, ADDRESS);

  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_DEVICES_WINDOW));
  g_assert_true (gtk_widget_activate_action (row, "account.show-devices", NULL));
  devices = stamp_test_find_toplevel (STAMP_TYPE_DEVICES_WINDOW);
  g_assert_nonnull (devices);
  g_assert_true (stamp_devices_window_get_account (STAMP_DEVICES_WINDOW (devices)) != NULL);
  stamp_test_wait_for_frames (GTK_WIDGET (devices));

  return devices;
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

static void
save_states (GtkWindow  *window,
             const char *name)
{
  g_autofree char *narrow = g_strdup_printf ("%s-narrow.png", name);

  stamp_test_save_light_and_dark (GTK_WIDGET (window), name);
  save_narrow (window, narrow);
}

static GtkWidget *
find_labelled (GtkWidget  *widget,
               const char *label)
{
  return stamp_test_find_widget (widget, stamp_test_is_mapped_button_labelled, label);
}

static gboolean
dialog_shows_page (gpointer data)
{
  GtkStack *stack = GTK_STACK (stamp_test_find_descendant (data, GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "done") == 0 &&
         !gtk_stack_get_transition_running (stack);
}

static void
text_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
text_is_read (gpointer data)
{
  return *(char **) data != NULL;
}

static char *
read_clipboard (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, text_read_cb, &text);
  stamp_test_wait_until (text_is_read, &text, "the clipboard's text");

  return text;
}

/* A device's row is the one with its Remove button. */
static guint
count_remove_buttons (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                 "devices.remove-device") == 0)
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_remove_buttons (child);

  return n;
}

static guint
count_device_rows (GtkWindow *window)
{
  return count_remove_buttons (GTK_WIDGET (window));
}

static gboolean
has_no_device_rows (gpointer data)
{
  return count_device_rows (data) == 0;
}

/* What the row titled @title shows under its title. */
static const char *
row_subtitle (GtkWidget  *widget,
              const char *title)
{
  GtkWidget *row = stamp_test_find_row (widget, title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The password that the dialog shows. */
static const char *
shown_password (GtkWindow *dialog)
{
  GtkWidget *row = stamp_test_find_row (GTK_WIDGET (dialog), "Password");

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
choose_make (GtkWindow  *dialog,
             const char *make)
{
  AdwComboRow *row = ADW_COMBO_ROW (stamp_test_find_row (GTK_WIDGET (dialog), "_Make"));
  GListModel *makes = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (makes); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (makes, i);

      if (g_str_equal (gtk_string_object_get_string (item), make))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("No make “%s”", make);
}

static gboolean
sheet_is_ready (gpointer data)
{
  return stamp_export_dialog_get_result (data) != NULL;
}

static void
test_add_and_remove (void)
{
  StampSecretStore *secrets = stamp_secret_store_get_default ();
  g_autofree char *path = devices_file ();
  g_autofree char *contents = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *password = NULL;
  GtkWindow *devices;
  GtkWindow *dialog;
  GtkWindow *confirm;
  GtkWidget *name_row;
  StampExportDialog *sheet;
  GtkWidget *sheet_row;
  const char *text;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  devices = open_devices_window ();
  g_assert_cmpuint (count_device_rows (devices), ==, 0);
  g_assert_true (stamp_test_text_has_label (GTK_WIDGET (devices),
                                            "No devices send through this account yet."));
  /* Loopback by default, and it says what that means. */
  g_assert_nonnull (stamp_test_find_row (GTK_WIDGET (devices), "Reachable From the _Network"));
  stamp_test_check_controls (GTK_WIDGET (devices));
  {
    GtkWidget *split = stamp_test_find_descendant (GTK_WIDGET (devices), ADW_TYPE_SPLIT_BUTTON);
    GtkWidget *arrow = stamp_test_find_descendant (split, GTK_TYPE_MENU_BUTTON);

    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (arrow),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       "More Ways to Add Devices"));
  }
  save_states (devices, "devices-empty");

  /* Add Device… opens the dialog; Add waits for a name. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (devices), "devices.add-device", NULL));
  dialog = stamp_test_find_toplevel (STAMP_TYPE_DEVICE_DIALOG);
  g_assert_nonnull (dialog);
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  g_assert_false (gtk_widget_is_sensitive (find_labelled (GTK_WIDGET (dialog), "_Add")));
  stamp_test_check_controls (GTK_WIDGET (dialog));
  name_row = stamp_test_find_row (GTK_WIDGET (dialog), "_Name");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Front Desk Printer");
  choose_make (dialog, "Brother");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  save_states (dialog, "device-dialog-form");

  stamp_test_click_button (find_labelled (GTK_WIDGET (dialog), "_Add"));
  stamp_test_wait_until (dialog_shows_page, dialog, "the new device's settings");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));

  password = g_strdup (shown_password (dialog));
  g_assert_cmpuint (strlen (password), >=, 16);
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (dialog), "User Name"),
                   ==, "front-desk-printer");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (dialog), "Port"),
                   ==, "2525");
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (dialog), "Encryption"),
                   ==, "STARTTLS");
  stamp_test_check_controls (GTK_WIDGET (dialog));
  save_states (dialog, "device-dialog-added");

  /* Copy puts the password on the clipboard. */
  stamp_test_click_button (stamp_test_find_widget (GTK_WIDGET (dialog),
                                                   stamp_test_is_mapped_button_for,
                                                   "device.copy-password"));
  copied = read_clipboard (GTK_WIDGET (dialog));
  g_assert_cmpstr (copied, ==, password);

  /* Printer Sheet… opens the printer export with the path through the
   * relay and exactly these values, the password among them. */
  sheet_row = stamp_test_find_row (GTK_WIDGET (dialog), "_Printer Sheet…");
  g_assert_true (gtk_widget_activate (sheet_row));
  sheet = STAMP_EXPORT_DIALOG (stamp_test_find_toplevel (STAMP_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (sheet);
  stamp_test_wait_until (sheet_is_ready, sheet, "the device's printer sheet");
  text = stamp_export_result_get_text (stamp_export_dialog_get_result (sheet));
  g_assert_nonnull (strstr (text, "Path: Through Stamp Relay"));
  g_assert_nonnull (strstr (text, "127.0.0.1:2525"));
  g_assert_nonnull (strstr (text, "front-desk-printer"));
  g_assert_nonnull (strstr (text, password));
  g_assert_nonnull (strstr (text, "Brother"));
  stamp_test_wait_for_frames (GTK_WIDGET (sheet));
  save_states (GTK_WINDOW (sheet), "device-printer-sheet");
  gtk_window_destroy (GTK_WINDOW (sheet));

  /* The file has the device and its user name, never its password; the
   * keyring has the password. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Front Desk Printer"));
  g_assert_nonnull (strstr (contents, "front-desk-printer"));
  g_assert_nonnull (strstr (contents, ADDRESS));
  g_assert_null (strstr (contents, password));
  stored = stamp_test_lookup_secret (secrets, "relay-device:Front Desk Printer",
                                     STAMP_SECRET_RELAY_DEVICE, NULL);
  g_assert_cmpstr (stored, ==, password);
  g_clear_pointer (&stored, g_free);

  /* Done closes the dialog; the password is not shown again anywhere. */
  stamp_test_click_button (find_labelled (GTK_WIDGET (dialog), "_Done"));
  g_assert_null (stamp_test_find_toplevel (STAMP_TYPE_DEVICE_DIALOG));
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  g_assert_cmpuint (count_device_rows (devices), ==, 1);
  g_assert_nonnull (stamp_test_find_row (GTK_WIDGET (devices), "Front Desk Printer"));
  g_assert_false (stamp_test_text_has_label (GTK_WIDGET (devices), password));
  stamp_test_check_controls (GTK_WIDGET (devices));
  save_states (devices, "devices-one");

  /* A second device with the same name is refused, in words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (devices), "devices.add-device", NULL));
  dialog = stamp_test_find_toplevel (STAMP_TYPE_DEVICE_DIALOG);
  name_row = stamp_test_find_row (GTK_WIDGET (dialog), "_Name");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Front Desk Printer");
  stamp_test_click_button (find_labelled (GTK_WIDGET (dialog), "_Add"));
  stamp_test_wait_for_label (GTK_WIDGET (dialog),
                             "There is already a device called “Front Desk Printer”.");
  save_states (dialog, "device-dialog-duplicate");
  gtk_window_destroy (dialog);

  /* Removing asks first; Cancel keeps the device. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (devices), "devices.remove-device", "s",
                                             "Front Desk Printer"));
  confirm = stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "Remove Device?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (confirm)), ==,
                   "cancel");
  stamp_test_wait_for_frames (GTK_WIDGET (confirm));
  stamp_test_save_light_and_dark (GTK_WIDGET (confirm), "devices-remove");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  gtk_window_destroy (confirm);
  g_assert_cmpuint (count_device_rows (devices), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (devices), "devices.remove-device", "s",
                                             "Front Desk Printer"));
  confirm = stamp_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
  gtk_window_destroy (confirm);
  stamp_test_wait_until (has_no_device_rows, devices, "the device's row to go");

  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "Front Desk Printer"));
  stored = stamp_test_lookup_secret (secrets, "relay-device:Front Desk Printer",
                                     STAMP_SECRET_RELAY_DEVICE, NULL);
  g_assert_null (stored);

  gtk_window_destroy (devices);
}

static gboolean
text_is_shown (gpointer data)
{
  gpointer *args = data;

  return stamp_test_find_widget (args[0], stamp_test_is_mapped_label_containing, args[1]) != NULL;
}

/* Waits for a label that contains @text. */
static void
wait_for_text (GtkWidget  *widget,
               const char *text)
{
  gpointer args[] = { widget, (gpointer) text };
  g_autofree char *what = g_strdup_printf ("a label showing “%s”", text);

  stamp_test_wait_until (text_is_shown, args, what);
}

static gboolean
stack_shows (GtkWidget  *widget,
             const char *name)
{
  GtkStack *stack = GTK_STACK (stamp_test_find_descendant (widget, GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), name) == 0 &&
         !gtk_stack_get_transition_running (stack);
}

static gboolean
list_shows_devices (gpointer data)
{
  return stack_shows (data, "devices");
}

static gboolean
list_shows_problem (gpointer data)
{
  return stack_shows (data, "problem");
}

static gboolean
list_is_added (gpointer data)
{
  return stack_shows (data, "devices") &&
         stamp_test_find_widget (data, stamp_test_is_mapped_button_labelled, "_Done") != NULL;
}

static StampDeviceListDialog *
open_list (GtkWindow  *devices,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  StampApplication *application = STAMP_APPLICATION (g_application_get_default ());
  StampAccount *account = stamp_devices_window_get_account (STAMP_DEVICES_WINDOW (devices));
  StampDeviceListDialog *dialog;

  dialog = stamp_device_list_dialog_new (devices,
                                         stamp_application_get_relay_controller (application),
                                         account, file);
  gtk_window_present (GTK_WINDOW (dialog));

  return dialog;
}

static gboolean
list_dialog_is_open (gpointer data)
{
  return stamp_test_find_toplevel (STAMP_TYPE_DEVICE_LIST_DIALOG) != NULL;
}

static gboolean
chooser_has_file (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GFile) selected = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  selected = gtk_file_chooser_get_file (args[0]);
  G_GNUC_END_IGNORE_DEPRECATIONS

  return selected != NULL && g_file_equal (selected, args[1]);
}

/* GTK 4.8's native chooser, without a portal, is a file chooser dialog. */
static StampDeviceListDialog *
choose_list (GtkWindow  *devices,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (devices), "devices.add-from-list", NULL));
  chooser = stamp_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error);
  g_assert_no_error (error);
  /* The chooser selects the file once it has read its folder; it accepts
   * nothing before. */
  {
    gpointer args[] = { chooser, file };

    stamp_test_wait_until (chooser_has_file, args, "the chooser to select the list");
  }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  stamp_test_wait_until (list_dialog_is_open, NULL, "the list's dialog");

  return STAMP_DEVICE_LIST_DIALOG (stamp_test_find_toplevel (STAMP_TYPE_DEVICE_LIST_DIALOG));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint *saved = user_data;

  *saved = stamp_device_list_dialog_save_sheets_finish (STAMP_DEVICE_LIST_DIALOG (object), result,
                                                        &error);
  g_assert_no_error (error);
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

static void
test_from_list (void)
{
  StampSecretStore *secrets = stamp_secret_store_get_default ();
  g_autofree char *dir = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  g_autofree char *sheets = NULL;
  g_autofree char *path = devices_file ();
  g_autofree char *contents = NULL;
  StampDeviceListDialog *dialog;
  GtkWindow *devices;
  guint saved = 0;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  dir = g_dir_make_tmp ("stamp-device-list-XXXXXX", NULL);
  bad = g_build_filename (dir, "bad.csv", NULL);
  good = g_build_filename (dir, "office.csv", NULL);
  sheets = g_build_filename (dir, "sheets", NULL);
  g_assert_cmpint (g_mkdir (sheets, 0700), ==, 0);
  g_assert_true (g_file_set_contents (bad,
                                      "name,make\n"
                                      "Front desk,brother\n"
                                      "Back office,no-such-make\n", -1, NULL));
  g_assert_true (g_file_set_contents (good,
                                      "name,make,allow-from\n"
                                      "Front desk,brother,192.168.1.20\n"
                                      "\"Scan & Fax, 2nd floor\",Konica Minolta,\n"
                                      "Warehouse,hp,\n", -1, NULL));

  devices = open_devices_window ();

  /* A bad row: nothing is added, and the line is named. */
  dialog = open_list (devices, bad);
  stamp_test_wait_until (list_shows_problem, dialog, "the list's problem");
  wait_for_text (GTK_WIDGET (dialog), "Line 3");
  stamp_test_check_controls (GTK_WIDGET (dialog));
  save_states (GTK_WINDOW (dialog), "device-list-problem");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (count_device_rows (devices), ==, 0);

  /* A good list, chosen as a person does: Add Devices from a List… asks
   * for the file, then shows its devices, then adds them all. */
  dialog = choose_list (devices, good);
  stamp_test_wait_until (list_shows_devices, dialog, "the list's devices");
  g_assert_nonnull (stamp_test_find_row (GTK_WIDGET (dialog), "Scan & Fax, 2nd floor"));
  stamp_test_check_controls (GTK_WIDGET (dialog));
  save_states (GTK_WINDOW (dialog), "device-list-preview");

  stamp_test_click_button (find_labelled (GTK_WIDGET (dialog), "_Add All"));
  stamp_test_wait_until (list_is_added, dialog, "the devices to be added");
  stamp_test_wait_for_frames (GTK_WIDGET (dialog));
  stamp_test_check_controls (GTK_WIDGET (dialog));
  save_states (GTK_WINDOW (dialog), "device-list-added");
  g_assert_cmpuint (count_device_rows (devices), ==, 3);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Scan & Fax, 2nd floor"));
  g_assert_nonnull (strstr (contents, "konica-minolta"));
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "Front desk", "Scan & Fax, 2nd floor", "Warehouse" };
      g_autofree char *key = g_strconcat ("relay-device:", names[i], NULL);
      g_autofree char *stored = stamp_test_lookup_secret (secrets, key,
                                                          STAMP_SECRET_RELAY_DEVICE, NULL);
      GtkWidget *row = stamp_test_find_row (GTK_WIDGET (dialog), names[i]);

      /* The dialog shows each password, the file never has it. */
      g_assert_nonnull (stored);
      g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), stored));
      g_assert_null (strstr (contents, stored));
    }

  /* One sheet per device, for its owner only. */
  {
    g_autoptr(GFile) folder = g_file_new_for_path (sheets);

    stamp_device_list_dialog_save_sheets_async (dialog, folder, NULL, saved_cb, &saved);
    stamp_test_wait_until (is_nonzero, &saved, "the sheets to be saved");
  }
  g_assert_cmpuint (saved, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const char *files[] = { "Front desk.pdf", "Scan & Fax, 2nd floor.pdf", "Warehouse.pdf" };
      g_autofree char *sheet = g_build_filename (sheets, files[i], NULL);
      g_autofree char *pdf = NULL;
      GStatBuf buf;

      g_assert_true (g_file_get_contents (sheet, &pdf, NULL, NULL));
      g_assert_true (g_str_has_prefix (pdf, "%PDF"));
      g_assert_cmpint (g_stat (sheet, &buf), ==, 0);
      g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (devices);
  stamp_test_remove_tree (dir);
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char **password = user_data;

  *password = stamp_relay_controller_add_device_finish (STAMP_RELAY_CONTROLLER (object), result,
                                                        &error);
  g_assert_no_error (error);
}

/* Adds a device as the Add Device dialog does; returns its password. */
static char *
add_device (const char *name)
{
  StampApplication *application = STAMP_APPLICATION (g_application_get_default ());
  StampRelayController *controller = stamp_application_get_relay_controller (application);
  g_autoptr(StampRelayDevice) device = stamp_relay_device_new (name, ADDRESS);
  char *password = NULL;

  stamp_relay_controller_add_device_async (controller, device, NULL, added_cb, &password);
  stamp_test_wait_until (text_is_read, &password, "the device to be added");

  return password;
}

static gboolean
label_reads (gpointer data)
{
  gpointer *args = data;

  return stamp_test_text_has_label (args[0], args[1]);
}

static void
wait_for_count (GtkWindow  *window,
                const char *row_title,
                const char *count)
{
  GtkWidget *row = stamp_test_find_row (GTK_WIDGET (window), row_title);
  gpointer args[] = { row, (gpointer) count };
  g_autofree char *what = g_strdup_printf ("“%s” to read %s", row_title, count);

  g_assert_nonnull (row);
  stamp_test_wait_until (label_reads, args, what);
}

/* The status, as the relay (here, the spool it writes) changes it: the
 * window reads it every few seconds while no relay of its own runs. */
static void
test_status (void)
{
  const char *recipients[] = { "desk@example.test", NULL };
  const char *explanation = "The mail server refused the message: the mailbox "
                            "desk@example.test does not exist.";
  const char *stopped = "Delivery has stopped: the account's sign-in was withdrawn. "
                        "Sign in again in Stamp.";
  g_autoptr(StampRelaySpool) spool = NULL;
  g_autoptr(StampRelayIncoming) incoming = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *id = NULL;
  const char *message = "Subject: Scan\r\n\r\nA scanned page.\r\n";
  GtkWindow *devices;

  if (!g_test_subprocess ())
    {
      stamp_test_run_with_account_file (ACCOUNT_FILE);
      return;
    }

  devices = open_devices_window ();
  password = add_device ("Scanner");
  wait_for_count (devices, "Messages Waiting", "0");

  /* A scan is accepted: one message waits. */
  spool = stamp_relay_spool_new (NULL);
  g_assert_true (stamp_relay_spool_open (spool, &error));
  g_assert_no_error (error);
  incoming = stamp_relay_spool_begin (spool, ADDRESS, "Scanner", "127.0.0.1", ADDRESS,
                                      recipients, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (stamp_relay_incoming_get_stream (incoming), message,
                             strlen (message), NULL, NULL, &error);
  g_assert_no_error (error);
  id = stamp_relay_incoming_commit (incoming, &error);
  g_assert_no_error (error);
  wait_for_count (devices, "Messages Waiting", "1");
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  save_states (devices, "devices-status-waiting");

  /* It is refused for good: held aside, and the reason in plain words. */
  queued = stamp_relay_spool_list (spool, STAMP_RELAY_ENTRY_QUEUED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued->len, ==, 1);
  g_assert_true (stamp_relay_spool_hold (spool, g_ptr_array_index (queued, 0), explanation,
                                         &error));
  g_assert_no_error (error);
  wait_for_count (devices, "Messages Waiting", "0");
  wait_for_count (devices, "Not Delivered", "1");
  g_assert_true (gtk_widget_get_visible (stamp_test_find_row (GTK_WIDGET (devices),
                                                              "Last Problem")));
  g_assert_cmpstr (row_subtitle (GTK_WIDGET (devices), "Last Problem"),
                   ==, explanation);
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  save_states (devices, "devices-status-problem");

  /* Delivery stops for the account (its sign-in was revoked): that comes
   * first, in its own words. */
  stamp_relay_spool_set_account_state (spool, ADDRESS, TRUE, stopped);
  wait_for_text (GTK_WIDGET (devices), stopped);
  stamp_relay_spool_set_account_state (spool, ADDRESS, FALSE, NULL);
  wait_for_text (GTK_WIDGET (devices), explanation);

  gtk_window_destroy (devices);
}

/* The relay, run by the app on a loopback port */

/* The account delivers to the loopback SMTP server of the test, which
 * takes mail for desk@, refuses gone@ for good and later@ for now. */
#define RELAY_ACCOUNT_FILE_FORMAT \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" ADDRESS "\", \"host\": \"127.0.0.1\", \"port\": %u," \
  "   \"security\": \"none\", \"auth\": \"none\"}" \
  "]}"

/* A scanner: STARTTLS, sign-in, one message; the relay's certificate is
 * its own, so it is not checked. Loopback only. */
static const char device_script[] =
  "import smtplib, ssl, sys\n"
  "port, user, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3]\n"
  "password = sys.stdin.read()\n"
  "context = ssl.create_default_context()\n"
  "context.check_hostname = False\n"
  "context.verify_mode = ssl.CERT_NONE\n"
  "with smtplib.SMTP('127.0.0.1', port, timeout=20) as smtp:\n"
  "    smtp.starttls(context=context)\n"
  "    smtp.login(user, password)\n"
  "    smtp.sendmail('" ADDRESS "', [rcpt],\n"
  "                  'Subject: Scan\\r\\n\\r\\nA scanned page.\\r\\n')\n";

static guint16
find_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
mode_is (gpointer data)
{
  gpointer *args = data;

  return (int) stamp_relay_controller_get_mode (args[0]) == GPOINTER_TO_INT (args[1]);
}

static void
wait_for_mode (StampRelayController *controller,
               StampRelayMode        mode)
{
  gpointer args[] = { controller, GINT_TO_POINTER (mode) };

  stamp_test_wait_until (mode_is, args, "the relay's mode");
}

static gboolean
subprocess_is_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
device_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Sends one message as a device would; the relay runs on this thread's
 * main loop, so the client runs beside it, not in its way. */
static void
send_as_device (guint16     port,
                const char *user,
                const char *password,
                const char *recipient)
{
  g_autoptr(GSubprocess) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  gboolean done = FALSE;

  device = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                             "/usr/bin/python3", "-c", device_script, port_text, user,
                             recipient, NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (device), password, strlen (password),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (device), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (device, NULL, device_done_cb, &done);
  stamp_test_wait_until (subprocess_is_done, &done, "the device to send its message");
}

static void
test_relay (void)
{
  StampApplication *application = STAMP_APPLICATION (g_application_get_default ());
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  g_autoptr(StampRelay) service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *address = NULL;
  g_autofree char *listen = NULL;
  StampRelayController *controller;
  StampAccount *account;
  GtkWindow *devices;
  GtkWidget *relay_switch;
  guint16 port;

  if (!g_test_subprocess ())
    {
      g_autoptr(StampTestServer) upstream =
        stamp_test_server_start ("none", "--refuse-rcpt", "gone@example.test",
                                 "--defer-rcpt", "later@example.test", NULL);
      g_autofree char *contents =
        g_strdup_printf (RELAY_ACCOUNT_FILE_FORMAT, stamp_test_server_get_port (upstream));

      stamp_test_run_with_account_file (contents);
      return;
    }

  port = find_free_port ();
  g_settings_set_int (settings, "relay-port", port);
  devices = open_devices_window ();
  controller = stamp_application_get_relay_controller (application);
  account = stamp_devices_window_get_account (STAMP_DEVICES_WINDOW (devices));

  password = add_device ("Scanner");

  /* On: the app serves the port itself and stays running. */
  g_assert_cmpint (stamp_relay_controller_get_mode (controller), ==, STAMP_RELAY_MODE_OFF);
  relay_switch = stamp_test_find_widget (GTK_WIDGET (devices), stamp_test_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
  gtk_switch_set_active (GTK_SWITCH (relay_switch), TRUE);
  wait_for_mode (controller, STAMP_RELAY_MODE_APP);
  g_assert_true (g_settings_get_boolean (settings, "relay-enabled"));
  address = g_strdup_printf ("127.0.0.1, port %u", port);
  g_assert_true (stamp_test_text_has_label (GTK_WIDGET (devices), address));
  stamp_test_check_controls (GTK_WIDGET (devices));
  save_states (devices, "devices-relay-on");

  /* A scan arrives and goes out through the account. */
  send_as_device (port, "scanner", password, "desk@example.test");
  wait_for_count (devices, "Delivered Today", "1");
  wait_for_count (devices, "Messages Waiting", "0");
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  save_states (devices, "devices-relay-delivered");

  /* One the server refuses for good is held aside, with the reason. */
  send_as_device (port, "scanner", password, "gone@example.test");
  wait_for_count (devices, "Not Delivered", "1");
  g_assert_true (gtk_widget_get_visible (stamp_test_find_row (GTK_WIDGET (devices),
                                                              "Last Problem")));

  /* One it refuses for now waits, and says when Stamp tries again. */
  send_as_device (port, "scanner", password, "later@example.test");
  wait_for_count (devices, "Messages Waiting", "1");
  wait_for_text (GTK_WIDGET (devices), "Stamp tries again at");
  /* Tall enough to show the whole status. */
  gtk_window_set_default_size (devices, 600, 1000);
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  save_states (devices, "devices-relay-status");
  gtk_window_set_default_size (devices, 600, 720);

  /* Off, and the port is free again. */
  gtk_switch_set_active (GTK_SWITCH (relay_switch), FALSE);
  wait_for_mode (controller, STAMP_RELAY_MODE_OFF);

  /* When the relay service already serves the port, turning the relay on
   * shows the service's status instead of failing. */
  {
    g_autoptr(StampRelayDeviceStore) store = stamp_relay_device_store_new (NULL);
    g_autoptr(StampRelaySpool) spool = stamp_relay_spool_new (NULL);

    g_assert_true (stamp_relay_device_store_load (store, &error));
    g_assert_no_error (error);
    service = stamp_relay_new (stamp_application_get_account_store (application), store,
                               stamp_secret_store_get_default (), spool);
    listen = g_strdup_printf ("127.0.0.1:%u", port);
    g_assert_true (stamp_relay_add_listen (service, listen, &error));
    g_assert_true (stamp_relay_start (service, &error));
    g_assert_no_error (error);
  }
  /* Seen with the app's relay off, then on. */
  wait_for_mode (controller, STAMP_RELAY_MODE_SERVICE);
  gtk_switch_set_active (GTK_SWITCH (relay_switch), TRUE);
  wait_for_mode (controller, STAMP_RELAY_MODE_SERVICE);
  stamp_test_wait_for_label (GTK_WIDGET (devices),
                             "The relay service is running on this computer and takes mail "
                             "from devices");
  save_states (devices, "devices-relay-service");

  /* The service stops: the app serves in its place. */
  stamp_relay_stop (service);
  wait_for_mode (controller, STAMP_RELAY_MODE_APP);
  gtk_switch_set_active (GTK_SWITCH (relay_switch), FALSE);
  wait_for_mode (controller, STAMP_RELAY_MODE_OFF);

  /* A service that stops while the app's relay is off leaves it off. */
  g_assert_true (stamp_relay_start (service, &error));
  g_assert_no_error (error);
  wait_for_mode (controller, STAMP_RELAY_MODE_SERVICE);
  stamp_relay_stop (service);
  wait_for_mode (controller, STAMP_RELAY_MODE_OFF);

  /* Reachable from the network, said before anything listens there. */
  stamp_relay_controller_set_on_network (controller, TRUE);
  stamp_test_wait_for_label (GTK_WIDGET (devices),
                             "Printers and scanners on the local network can send");
  save_states (devices, "devices-network");
  stamp_relay_controller_set_on_network (controller, FALSE);

  g_assert_nonnull (account);
  gtk_window_destroy (devices);
  g_settings_reset (settings, "relay-port");
  g_settings_reset (settings, "relay-enabled");
}

#define STOPPED_ACCOUNT_FILE_FORMAT \
  "{\"format\": 1, \"accounts\": [" \
  "  {\"address\": \"" ADDRESS "\", \"host\": \"127.0.0.1\", \"port\": %u," \
  "   \"security\": \"none\", \"auth\": \"plain\"}" \
  "]}"

static gboolean
file_has_text (gpointer data)
{
  const char * const *args = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (args[0], &contents, NULL, NULL)
         && strstr (contents, args[1]) != NULL;
}

static GtkWindow *
find_setup_assistant (void)
{
  GListModel *windows = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (windows); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (windows, i);

      if (STAMP_IS_SETUP_ASSISTANT (window))
        return window;
    }
  return NULL;
}

static gboolean
has_setup_assistant (gpointer data)
{
  return find_setup_assistant () != NULL;
}

/* An account whose password is not in the keyring cannot deliver: the
 * scan waits, the window says why, and the desktop is told, with the
 * button that opens the place to fix it. */
static void
test_stopped (void)
{
  StampApplication *application = STAMP_APPLICATION (g_application_get_default ());
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);
  g_autoptr(GSubprocess) notifications = NULL;
  g_autoptr(GDataInputStream) ready = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;
  g_autofree char *password = NULL;
  g_autofree char *fixture = g_build_filename (stamp_test_fixtures_dir (),
                                               "notification-server.py", NULL);
  const char *wanted[2];
  StampRelayController *controller;
  GtkWindow *devices;
  GtkWidget *relay_switch;
  GtkWidget *sign_in;
  guint16 port;

  if (!g_test_subprocess ())
    {
      g_autoptr(StampTestServer) upstream = stamp_test_server_start ("none", NULL);
      g_autofree char *contents =
        g_strdup_printf (STOPPED_ACCOUNT_FILE_FORMAT, stamp_test_server_get_port (upstream));

      stamp_test_run_with_account_file (contents);
      return;
    }

  log = g_build_filename (config_home, "notifications.log", NULL);
  notifications = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                    &error, "/usr/bin/python3", fixture, "--log", log,
                                    NULL);
  g_assert_no_error (error);
  ready = g_data_input_stream_new (g_subprocess_get_stdout_pipe (notifications));
  line = g_data_input_stream_read_line (ready, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "READY");

  port = find_free_port ();
  g_settings_set_int (settings, "relay-port", port);
  devices = open_devices_window ();
  controller = stamp_application_get_relay_controller (application);
  password = add_device ("Scanner");

  relay_switch = stamp_test_find_widget (GTK_WIDGET (devices), stamp_test_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_SWITCH));
  gtk_switch_set_active (GTK_SWITCH (relay_switch), TRUE);
  wait_for_mode (controller, STAMP_RELAY_MODE_APP);

  send_as_device (port, "scanner", password, "desk@example.test");
  wanted[0] = log;
  wanted[1] = "Stamp Relay cannot deliver for " ADDRESS;
  stamp_test_wait_until (file_has_text, wanted, "the desktop's notification");
  wanted[1] = "Sign In Again";
  g_assert_true (file_has_text (wanted));
  wait_for_count (devices, "Messages Waiting", "1");
  stamp_test_wait_for_frames (GTK_WIDGET (devices));
  save_states (devices, "devices-relay-stopped");

  /* The fix sits beside the problem: for a password, the account's edit. */
  sign_in = stamp_test_find_widget (GTK_WIDGET (devices), stamp_test_is_mapped_button_labelled,
                                    "Sign In Again");
  g_assert_nonnull (sign_in);
  stamp_test_click_button (sign_in);
  stamp_test_wait_until (has_setup_assistant, NULL, "the account's edit to open");
  gtk_window_destroy (find_setup_assistant ());

  gtk_switch_set_active (GTK_SWITCH (relay_switch), FALSE);
  wait_for_mode (controller, STAMP_RELAY_MODE_OFF);
  gtk_window_destroy (devices);
  g_settings_reset (settings, "relay-port");
  g_settings_reset (settings, "relay-enabled");
  g_subprocess_force_exit (notifications);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state_home = NULL;
  gboolean own_config_home;
  int ret;

  config_home = stamp_test_set_up_config_home ("test-devices-window", &own_config_home);
  /* The relay's spool, beside the test's own config folder. */
  state_home = g_build_filename (config_home, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);

  app = stamp_application_new ();
  /* The keyring's session bus is shared with the test's subprocesses,
   * each of which must run its own application. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/stamp/app/devices/add-and-remove", test_add_and_remove);
  g_test_add_func ("/stamp/app/devices/from-list", test_from_list);
  g_test_add_func ("/stamp/app/devices/status", test_status);
  g_test_add_func ("/stamp/app/devices/relay", test_relay);
  g_test_add_func ("/stamp/app/devices/stopped", test_stopped);


  ret = g_test_run ();

  g_clear_object (&app);

  if (own_config_home)
    stamp_test_remove_tree (config_home);
  g_clear_pointer (&config_home, g_free);

  return ret;
}

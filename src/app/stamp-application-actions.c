/* stamp-application-actions.c
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

#define G_LOG_DOMAIN "stamp-application-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-application-private.h"
#include "stamp-preferences-window.h"
#include "stamp-window.h"

#define STAMP_WEBSITE "https://github.com/stampmail/stamp"
#define STAMP_ISSUES  "https://github.com/stampmail/stamp/issues"

static void
stamp_application_about_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  StampApplication *self = user_data;
  GtkWindow *about;

  g_assert (STAMP_IS_APPLICATION (self));

  /* The icon name is the one in the GResource, not APP_ID: it is the same
   * picture in the .Devel flavour, and it shows before Stamp is installed. */
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", "io.github.stampmail.Stamp",
                        "application-name", _("Stamp"),
                        "developer-name", _("The Stamp authors"),
                        "version", PACKAGE_VERSION,
                        "website", STAMP_WEBSITE,
                        "issue-url", STAMP_ISSUES,
                        "copyright", _("© 2026 The Stamp authors"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: Replace "translator-credits" with your name(s) and
                         * email address(es), one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (about);
}

static void
stamp_application_preferences_cb (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  StampApplication *self = user_data;
  GtkWindow *parent;

  g_assert (STAMP_IS_APPLICATION (self));

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (stamp_preferences_window_new (parent)));
}

/* Closing each window, rather than calling g_application_quit() at once, lets
 * every window save its state in its close-request handler. */
static void
stamp_application_quit_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  StampApplication *self = user_data;
  GList *windows;

  g_assert (STAMP_IS_APPLICATION (self));

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

/* From a notification: the sign-in itself, in a window of the app. */
static void
stamp_application_sign_in_again_cb (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  StampApplication *self = user_data;
  GtkWindow *window;
  StampAccount *account = stamp_account_store_lookup (stamp_application_get_account_store (self),
                                                      g_variant_get_string (parameter, NULL));
  gboolean oauth = account != NULL
                   && stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));

  g_assert (STAMP_IS_APPLICATION (self));

  /* The main window, which activating presents or makes. */
  g_application_activate (G_APPLICATION (self));
  window = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (STAMP_IS_WINDOW (l->data))
      {
        window = l->data;
        break;
      }
  /* A password is asked for where the account is edited. */
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window),
                                        oauth ? "win.sign-in-again" : "win.edit-account",
                                        parameter);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = stamp_application_about_cb },
  { .name = "preferences", .activate = stamp_application_preferences_cb },
  { .name = "quit", .activate = stamp_application_quit_cb },
  { .name = "sign-in-again", .activate = stamp_application_sign_in_again_cb,
    .parameter_type = "s" },
};

void
_stamp_application_add_actions (StampApplication *self)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
}

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

/* The main window, which activating presents or makes. */
static GtkWidget *
present_main_window (StampApplication *self)
{
  g_application_activate (G_APPLICATION (self));

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (STAMP_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
sign_in_again (StampApplication *self,
               const char       *address)
{
  StampAccount *account = stamp_account_store_lookup (stamp_application_get_account_store (self),
                                                      address);
  GtkWidget *window = present_main_window (self);
  gboolean oauth;

  if (account == NULL || window == NULL)
    return;

  /* An OAuth account signs in right away, in the sign-in dialog; a
   * password is asked for where the account is edited. */
  oauth = stamp_auth_mechanism_is_oauth (stamp_account_get_auth_mechanism (account));
  gtk_widget_activate_action (window, oauth ? "win.sign-in-again" : "win.edit-account",
                              "s", address);
}

static void
sign_in_again_when_loaded_cb (StampApplication *self,
                              GParamSpec       *pspec,
                              gpointer          user_data)
{
  g_autofree char *address = user_data;

  g_assert (STAMP_IS_APPLICATION (self));

  if (!stamp_application_get_accounts_loaded (self))
    {
      g_steal_pointer (&address);
      return;
    }

  g_signal_handlers_disconnect_by_func (self, sign_in_again_when_loaded_cb, user_data);
  sign_in_again (self, address);
}

/* From a notification, which may have started Stamp: the sign-in itself,
 * in the main window, once the accounts are read. */
static void
stamp_application_sign_in_again_cb (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  StampApplication *self = user_data;
  const char *address = g_variant_get_string (parameter, NULL);

  g_assert (STAMP_IS_APPLICATION (self));

  if (stamp_application_get_accounts_loaded (self))
    {
      sign_in_again (self, address);
      return;
    }

  present_main_window (self);
  g_signal_connect (self, "notify::accounts-loaded",
                    G_CALLBACK (sign_in_again_when_loaded_cb), g_strdup (address));
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

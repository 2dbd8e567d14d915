/* stamp-application.c
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

#define G_LOG_DOMAIN "stamp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-application-private.h"
#include "stamp-window.h"

/*
 * StampApplication:
 *
 * The application object: it owns the app actions and their keyboard
 * shortcuts, and opens a #StampWindow when Stamp is launched. The resource
 * base path makes GtkApplication load `gtk/help-overlay.ui` and the icons
 * from the GResource, and makes AdwApplication load `style.css`.
 *
 * It also owns the one #StampAccountStore that every window shows. The
 * file is read in a worker thread once the first window has painted its
 * first frame, so that reading it never delays the window.
 *
 * Once the accounts are read, a #StampSignInKeeper keeps their OAuth
 * sign-ins alive for as long as Stamp runs, and the desktop is told of a
 * sign-in about to lapse or gone, with the button that fixes it.
 */
struct _StampApplication
{
  AdwApplication     parent_instance;

  /* Owned */
  StampAccountStore *account_store;
  StampRelayController *relay_controller;
  StampCredentials  *credentials;
  StampSignInKeeper *sign_in_keeper;

  gboolean           load_started;
  gboolean           accounts_loaded;
};

enum {
  PROP_0,
  PROP_ACCOUNTS_LOADED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (StampApplication, stamp_application, ADW_TYPE_APPLICATION)

static GParamSpec *properties[N_PROPS];

static void
stamp_application_load_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(StampApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  g_assert (STAMP_IS_APPLICATION (self));

  /* A damaged file was set aside and its problem kept by the store, which
   * the windows show; there is nothing else to do here. */
  if (!stamp_account_store_load_finish (STAMP_ACCOUNT_STORE (object), result, &error))
    g_debug ("Loading the accounts: %s", error->message);

  /* The keeper refreshes in the background, one account at a time: it
   * never holds up the window. */
  if (self->sign_in_keeper != NULL)
    stamp_sign_in_keeper_start (self->sign_in_keeper);

  self->accounts_loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS_LOADED]);
}

static gint64
days_until (gint64 deadline,
            gint64 now)
{
  /* Whole days, rounded up: "in 1 day" until the very moment. */
  return MAX (0, (deadline - now + 24 * 60 * 60 - 1) / (24 * 60 * 60));
}

/* A sign-in about to lapse, or gone: the keeper says it once per account
 * and state for each run of Stamp, and the desktop shows it with the button
 * that fixes it. */
static void
stamp_application_sign_in_warning_cb (StampApplication *self,
                                      StampAccount     *account,
                                      StampSignInState  state,
                                      const char       *text)
{
  const char *address = stamp_account_get_address (account);
  g_autoptr(StampSignInHealth) health = stamp_sign_in_health_load (address);
  g_autofree char *title = NULL;
  const char *body = NULL;
  gint64 now = stamp_get_now ();
  gint64 deadline = 0;
  int days;

  g_assert (STAMP_IS_APPLICATION (self));

  if (health != NULL)
    stamp_sign_in_health_get_state (health, account, now, &deadline);
  days = (int) days_until (deadline, now);

  switch (state)
    {
    case STAMP_SIGN_IN_STATE_EXPIRING:
      /* Translators: %s is an email address; %d a number of days */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Sign-in for %s lapses in %d day",
                                            "Sign-in for %s lapses in %d days", days),
                               address, days);
      body = _("Send a test message or sign in again to keep it");
      break;

    case STAMP_SIGN_IN_STATE_SECRET_EXPIRING:
      /* Translators: %s is an email address; %d a number of days */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Client secret for %s expires in %d day",
                                            "Client secret for %s expires in %d days", days),
                               address, days);
      body = _("Make a new client secret in the app registration, then sign in again with it");
      break;

    case STAMP_SIGN_IN_STATE_SECRET_EXPIRED:
      /* Translators: %s is an email address */
      title = g_strdup_printf (_("Client secret for %s has expired"), address);
      body = _("Make a new client secret in the app registration, then sign in again with it");
      break;

    case STAMP_SIGN_IN_STATE_LAPSED:
      /* Translators: %s is an email address */
      title = g_strdup_printf (_("Sign-in for %s has lapsed"), address);
      body = _("It was not used for too long. Sign in again to send from it");
      break;

    case STAMP_SIGN_IN_STATE_FAILED:
      /* Translators: %s is an email address */
      title = g_strdup_printf (_("Sign-in for %s stopped working"), address);
      body = text != NULL && *text != '\0' ? text : _("Sign in again to send from it");
      break;

    case STAMP_SIGN_IN_STATE_NONE:
    case STAMP_SIGN_IN_STATE_OK:
    default:
      return;
    }

  stamp_application_notify_sign_in_problem (self, STAMP_SIGN_IN_NOTIFICATION_HEALTH,
                                            address, title, body);
}

static void
stamp_application_first_frame_cb (StampApplication *self,
                                  GdkFrameClock    *frame_clock)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (frame_clock, stamp_application_first_frame_cb, self);

  if (self->load_started)
    return;

  self->load_started = TRUE;
  stamp_account_store_load_async (self->account_store, NULL,
                                  stamp_application_load_cb, g_object_ref (self));
}

static void
stamp_application_window_mapped_cb (StampApplication *self,
                                    GtkWidget        *window)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (window, stamp_application_window_mapped_cb, self);

  if (!self->load_started)
    g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                             G_CALLBACK (stamp_application_first_frame_cb), self,
                             G_CONNECT_SWAPPED);
}

/* Benchmark hook for tests/bench/startup-bench.py, which times the window's
 * first frame and the first frame that shows the accounts read from the file
 * (the filled list, or the empty state), then quits. Each line is what was
 * painted and when, on the clock of g_get_monotonic_time(). */
static void
stamp_application_bench_filled_cb (StampApplication *self,
                                   GdkFrameClock    *frame_clock)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (frame_clock, stamp_application_bench_filled_cb, self);
  g_print ("filled-frame %" G_GINT64_FORMAT " %u\n", g_get_monotonic_time (),
           g_list_model_get_n_items (G_LIST_MODEL (self->account_store)));
  g_application_quit (G_APPLICATION (self));
}

static void
stamp_application_bench_loaded_cb (StampApplication *self,
                                   GParamSpec       *pspec,
                                   GtkWidget        *window)
{
  g_assert (STAMP_IS_APPLICATION (self));

  /* The window shows the accounts on this same notification, so the next
   * frame it paints is the one with them. */
  g_signal_handlers_disconnect_by_func (self, stamp_application_bench_loaded_cb, window);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (stamp_application_bench_filled_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (window);
}

static void
stamp_application_bench_first_cb (StampApplication *self,
                                  GdkFrameClock    *frame_clock)
{
  g_assert (STAMP_IS_APPLICATION (self));

  g_signal_handlers_disconnect_by_func (frame_clock, stamp_application_bench_first_cb, self);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
stamp_application_bench_start (StampApplication *self,
                               GtkWindow        *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                           G_CALLBACK (stamp_application_bench_first_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_after (self, "notify::accounts-loaded",
                          G_CALLBACK (stamp_application_bench_loaded_cb), window);
}

static void
stamp_application_activate (GApplication *app)
{
  StampApplication *self = (StampApplication *)app;
  GtkWindow *window;

  g_assert (STAMP_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (stamp_window_new (self));

  gtk_window_present (window);

  /* Unset, the benchmark hook costs one getenv. */
  if (g_getenv ("STAMP_BENCH_FRAMES") != NULL)
    stamp_application_bench_start (self, window);
}

static void
stamp_application_window_added (GtkApplication *app,
                                GtkWindow      *window)
{
  StampApplication *self = (StampApplication *)app;

  g_assert (STAMP_IS_APPLICATION (self));

  GTK_APPLICATION_CLASS (stamp_application_parent_class)->window_added (app, window);

  if (!self->load_started && STAMP_IS_WINDOW (window))
    g_signal_connect_object (window, "map",
                             G_CALLBACK (stamp_application_window_mapped_cb), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
stamp_application_startup (GApplication *app)
{
  static const char *add_account_accels[] = { "<Control>n", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  StampApplication *self = (StampApplication *)app;
  g_autoptr(GSettings) settings = g_settings_new (STAMP_SETTINGS_SCHEMA_ID);

  g_assert (STAMP_IS_APPLICATION (self));

  G_APPLICATION_CLASS (stamp_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-account",
                                         add_account_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  /* A relay left on runs again as soon as Stamp does. */
  if (g_settings_get_boolean (settings, "relay-enabled"))
    stamp_application_get_relay_controller (self);

  /* Started once the accounts are read. */
  self->credentials = stamp_credentials_new (stamp_secret_store_get_default ());
  self->sign_in_keeper = stamp_sign_in_keeper_new (G_LIST_MODEL (self->account_store),
                                                   self->credentials);
  g_signal_connect_object (self->sign_in_keeper, "warning",
                           G_CALLBACK (stamp_application_sign_in_warning_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
stamp_application_shutdown (GApplication *app)
{
  StampApplication *self = (StampApplication *)app;

  g_assert (STAMP_IS_APPLICATION (self));

  if (self->sign_in_keeper != NULL)
    stamp_sign_in_keeper_stop (self->sign_in_keeper);

  G_APPLICATION_CLASS (stamp_application_parent_class)->shutdown (app);
}

static void
stamp_application_dispose (GObject *object)
{
  StampApplication *self = (StampApplication *)object;

  g_clear_object (&self->relay_controller);
  g_clear_object (&self->sign_in_keeper);
  g_clear_object (&self->credentials);
  g_clear_object (&self->account_store);

  G_OBJECT_CLASS (stamp_application_parent_class)->dispose (object);
}

static void
stamp_application_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StampApplication *self = STAMP_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNTS_LOADED:
      g_value_set_boolean (value, self->accounts_loaded);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_application_class_init (StampApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = stamp_application_dispose;
  object_class->get_property = stamp_application_get_property;

  app_class->activate = stamp_application_activate;
  app_class->shutdown = stamp_application_shutdown;
  app_class->startup = stamp_application_startup;

  gtk_app_class->window_added = stamp_application_window_added;

  /**
   * StampApplication:accounts-loaded:
   *
   * Whether the account file has been read, so that a window can tell
   * "no accounts" from "not read yet".
   */
  properties[PROP_ACCOUNTS_LOADED] =
    g_param_spec_boolean ("accounts-loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_application_init (StampApplication *self)
{
  /* Cheap: this only works out the file's path. */
  self->account_store = stamp_account_store_new (NULL);

  _stamp_application_add_actions (self);
}

/**
 * stamp_application_new:
 *
 * Creates the application object, with Stamp's application id and resource
 * base path.
 *
 * Returns: (transfer full): a new #StampApplication
 */
StampApplication *
stamp_application_new (void)
{
  return g_object_new (STAMP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * stamp_application_get_account_store:
 * @self: a #StampApplication
 *
 * Returns: (transfer none): the accounts, shared by all windows; empty until
 *   #StampApplication:accounts-loaded turns true
 */
StampAccountStore *
stamp_application_get_account_store (StampApplication *self)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (self), NULL);

  return self->account_store;
}

gboolean
stamp_application_get_accounts_loaded (StampApplication *self)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (self), FALSE);

  return self->accounts_loaded;
}

/**
 * stamp_application_get_relay_controller:
 * @self: a #StampApplication
 *
 * Returns: (transfer none): Stamp Relay as the app runs or watches it,
 *   made when first needed
 */
StampRelayController *
stamp_application_get_relay_controller (StampApplication *self)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (self), NULL);

  if (self->relay_controller == NULL)
    self->relay_controller = stamp_relay_controller_new (self->account_store);

  return self->relay_controller;
}

/**
 * stamp_application_get_sign_in_keeper:
 * @self: a #StampApplication
 *
 * Returns: (transfer none) (nullable): what keeps the accounts' sign-ins
 *   alive, from the application's start-up on
 */
StampSignInKeeper *
stamp_application_get_sign_in_keeper (StampApplication *self)
{
  g_return_val_if_fail (STAMP_IS_APPLICATION (self), NULL);

  return self->sign_in_keeper;
}

static char *
dup_notification_id (StampSignInNotification  kind,
                     const char              *address)
{
  return g_strconcat (kind == STAMP_SIGN_IN_NOTIFICATION_RELAY ? "relay-stopped-" : "sign-in-",
                      address, NULL);
}

/**
 * stamp_application_notify_sign_in_problem:
 * @self: a #StampApplication
 * @kind: who tells: the sign-in's keep-alive or the relay
 * @address: the account's address
 * @title: what is wrong, naming the account
 * @body: what to do
 *
 * Tells the desktop of a problem that signing in again fixes, with a Sign
 * In Again button that opens the sign-in itself. One notification for each
 * account and @kind: a new one takes the place of the one before.
 */
void
stamp_application_notify_sign_in_problem (StampApplication        *self,
                                          StampSignInNotification  kind,
                                          const char              *address,
                                          const char              *title,
                                          const char              *body)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (STAMP_IS_APPLICATION (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (title != NULL);

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, _("Sign In Again"),
                                         "app.sign-in-again", "s", address);
  g_notification_set_default_action_and_target (notification, "app.sign-in-again", "s",
                                                address);
  id = dup_notification_id (kind, address);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/**
 * stamp_application_withdraw_sign_in_problems:
 * @self: a #StampApplication
 * @address: the account's address
 *
 * Takes back what the desktop was told about @address's sign-in, once
 * signing in again has fixed it.
 */
void
stamp_application_withdraw_sign_in_problems (StampApplication *self,
                                             const char       *address)
{
  g_return_if_fail (STAMP_IS_APPLICATION (self));
  g_return_if_fail (address != NULL);

  for (StampSignInNotification kind = STAMP_SIGN_IN_NOTIFICATION_HEALTH;
       kind <= STAMP_SIGN_IN_NOTIFICATION_RELAY; kind++)
    {
      g_autofree char *id = dup_notification_id (kind, address);

      g_application_withdraw_notification (G_APPLICATION (self), id);
    }
}

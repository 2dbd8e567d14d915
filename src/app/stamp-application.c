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
 */
struct _StampApplication
{
  AdwApplication     parent_instance;

  /* Owned */
  StampAccountStore *account_store;
  StampRelayController *relay_controller;

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

  self->accounts_loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNTS_LOADED]);
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
}

static void
stamp_application_dispose (GObject *object)
{
  StampApplication *self = (StampApplication *)object;

  g_clear_object (&self->relay_controller);
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

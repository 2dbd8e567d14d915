/* stamp-relay-controller-private.h
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

#pragma once

#include "stamp-relay-controller.h"

G_BEGIN_DECLS
/*
 * StampRelayController:
 *
 * The app's side of Stamp Relay, one per application: whether the relay
 * is on and where it listens (GSettings), the devices that send through it
 * (the same file and keyring items as `stamp-cli relay`), and its status.
 *
 * Turned on, the app runs the relay itself; if the port is already served
 * (by the relay service that `stamp-cli relay install-service` set up), it
 * says so and shows that relay's status instead. While the app serves, it
 * stays running with no window (g_application_hold), or inside the Flatpak
 * asks the Background portal to let it.
 *
 * Devices are changed one at a time, each under the device file's edit
 * lock, so that the CLI or another window never loses one.
 */
struct _StampRelayController
{
  GObject                parent_instance;

  /* Owned */
  GSettings             *settings;
  StampRelayDeviceStore *devices;
  StampRelaySpool       *spool;
  StampRelay            *relay;         /* while the app serves */
  GCancellable          *status_cancellable;
  JsonObject            *status;
  GPtrArray             *queued;        /* StampRelayEntry */
  char                  *problem;
  GQueue                 edits;         /* GTasks waiting for the edit lock */
  GTask                 *editing;       /* the one holding it */

  /* Borrowed */
  StampAccountStore     *accounts;

  StampRelayMode         mode;
  guint                  watchers;
  guint                  poll_id;
  guint                  portal_response_id;
  GDBusConnection       *portal_bus;
  gboolean               holding;
  gboolean               reading_status;
  gboolean               read_again;
  gboolean               took_over;     /* tried to serve after the service went */
  guint                  apply_serial;  /* counts starts and stops */
  guint                  read_serial;   /* apply_serial when the status read began */
};

/* stamp-relay-controller.c */
void _stamp_relay_controller_emit_changed   (StampRelayController *self);
void _stamp_relay_controller_set_problem    (StampRelayController *self,
                                             const char           *problem);

/* stamp-relay-controller-background.c: the app stays while it serves */
void _stamp_relay_controller_keep_running   (StampRelayController *self,
                                             gboolean              keep);
void _stamp_relay_controller_forget_background (StampRelayController *self);

/* stamp-relay-controller-devices.c: adding and removing devices */
void _stamp_relay_controller_reload_devices (StampRelayController *self);

G_END_DECLS

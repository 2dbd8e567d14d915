/* stamp-export-dialog-private.h
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

#include "stamp-export-dialog.h"
#include "stamp-export-preview.h"
#include "stamp-core.h"

G_BEGIN_DECLS

/*
 * StampExportDialog:
 *
 * An account's settings for the places that need them. The first page
 * lists every export target in three groups; a target that cannot serve
 * the account says why instead of its description. Choosing one opens its
 * page (a #StampExportPreview) with Copy, Save As and, for printers and
 * scanners, Print and Save PDF. Back, Escape and Alt+Left return to the
 * list. Everything that waits (the keyring, DNS, saving, printing) runs
 * asynchronously and stops when the window closes.
 */
struct _StampExportDialog
{
  AdwWindow             parent_instance;

  /* Owned */
  StampAccount         *account;
  StampExportContext   *context;
  GCancellable         *cancellable;
  GHashTable           *rows;
  GtkFileChooserNative *file_chooser;
  StampExportResult    *chosen_result;
  GtkPrintOperation    *print_operation;

  /* Template children */
  GtkActionBar         *action_bar;
  GtkWidget            *back_button;
  GtkWidget            *copy_button;
  AdwPreferencesGroup  *device_group;
  GtkWidget            *pdf_button;
  StampExportPreview   *preview;
  GtkWidget            *print_button;
  GtkWidget            *save_button;
  AdwPreferencesGroup  *sender_group;
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *wordpress_group;
};

/* stamp-export-dialog.c */
void _stamp_export_dialog_add_toast          (StampExportDialog   *self,
                                              const char          *text,
                                              guint                timeout);

/* stamp-export-dialog-actions.c: Copy, Save As, Save PDF and Print. */
void _stamp_export_dialog_class_add_actions  (GtkWidgetClass      *widget_class);
void _stamp_export_dialog_stop_actions       (StampExportDialog   *self);
void _stamp_export_dialog_save_result_async  (StampExportDialog   *self,
                                              StampExportResult   *result,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);

G_END_DECLS

/* stamp-export-dialog-actions.c
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

#define G_LOG_DOMAIN "stamp-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-export-dialog-private.h"

/* What the export dialog does with a file: copy it, save it where the
 * person chooses (the native chooser, so the portal's in a sandbox), save
 * the printer sheet as a PDF, or print the sheet. */

typedef struct
{
  StampExportResult *result;
  GFile             *file;
} SaveState;

static void
save_state_free (SaveState *state)
{
  g_clear_object (&state->result);
  g_clear_object (&state->file);
  g_free (state);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);
  StampExportResult *result = stamp_export_preview_get_result (self->preview);
  const char *text = result != NULL ? stamp_export_result_get_text (result) : NULL;

  if (text == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  _stamp_export_dialog_add_toast (self, _("Copied"), 2);
}

/* Failures get a dialog: a toast would cut the explanation short. */
static void
show_error (StampExportDialog *self,
            const char        *heading,
            const char        *body)
{
  GtkWidget *dialog;

  /* A save or print may end after the window is gone. */
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const char *
describe_save_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_PERMISSION_DENIED:
        return _("You may not write in that folder. Choose another one, such as your "
                 "Documents folder.");
      case G_IO_ERROR_NO_SPACE:
        return _("The disk is full. Make room, or choose another disk.");
      case G_IO_ERROR_READ_ONLY:
        return _("The disk is read-only. Choose another one.");
      case G_IO_ERROR_NOT_FOUND:
        return _("The folder no longer exists. Choose another one.");
      case G_IO_ERROR_IS_DIRECTORY:
        return _("A folder already has that name. Choose another name.");
      case G_IO_ERROR_FILENAME_TOO_LONG:
        return _("The name is too long. Choose a shorter one.");
      default:
        break;
      }

  return error->message;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampExportDialog *self = g_task_get_source_object (task);
  SaveState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (state->file);
  g_autofree char *text = NULL;

  if (!stamp_export_result_save_finish (STAMP_EXPORT_RESULT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is a file name */
          text = g_strdup_printf (_("Could Not Save “%s”"), name);
          show_error (self, text, describe_save_error (error));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (stamp_export_result_get_private (state->result))
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Saved “%s”, readable only by you"), name);
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Saved “%s”"), name);
  _stamp_export_dialog_add_toast (self, text, 3);

  g_task_return_boolean (task, TRUE);
}

/* Every save goes through here: Save As, Save PDF and the tests. */
void
_stamp_export_dialog_save_result_async (StampExportDialog   *self,
                                        StampExportResult   *result,
                                        GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveState *state;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_export_dialog_save_to_file_async);

  if (result == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no file to save yet"));
      return;
    }

  state = g_new0 (SaveState, 1);
  state->result = g_object_ref (result);
  state->file = g_object_ref (file);
  g_task_set_task_data (task, state, (GDestroyNotify) save_state_free);

  stamp_export_result_save_async (result, file,
                                  cancellable != NULL ? cancellable : self->cancellable,
                                  saved_cb, g_steal_pointer (&task));
}

static void
clear_file_chooser (StampExportDialog *self)
{
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  g_clear_object (&self->chosen_result);
}

static void
file_chosen_cb (StampExportDialog *self,
                int                response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->file_chooser));
  if (file != NULL)
    _stamp_export_dialog_save_result_async (self, self->chosen_result, file, NULL, NULL, NULL);

  clear_file_chooser (self);
}

/* The native chooser is the portal's inside a sandbox. */
static void
choose_file (StampExportDialog *self,
             StampExportResult *result,
             const char        *title)
{
  clear_file_chooser (self);

  self->chosen_result = g_object_ref (result);
  self->file_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->file_chooser),
                                     stamp_export_result_get_file_name (result));
  g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (file_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);
  StampExportResult *result = stamp_export_preview_get_result (self->preview);

  if (result != NULL)
    choose_file (self, result, _("Save Settings"));
}

static void
save_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);
  StampExportContext *context = stamp_export_preview_get_context (self->preview);
  StampExporter *pdf = stamp_exporter_lookup ("printer-pdf");
  g_autoptr(StampExportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (pdf == NULL || context == NULL)
    return;

  /* The page's context already holds the make, the abilities and the
   * tenant's MX host, so the PDF needs no preparing of its own. */
  result = stamp_exporter_render (pdf, context, &error);
  if (result == NULL)
    {
      show_error (self, _("Could Not Make the PDF"), error->message);
      return;
    }

  choose_file (self, result, _("Save Settings Sheet"));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *print_context,
              int                page_nr,
              StampExportDialog *self)
{
  StampExportContext *context = stamp_export_preview_get_context (self->preview);
  g_autoptr(GError) error = NULL;

  if (context == NULL)
    return;

  if (!stamp_device_sheet_draw (context, gtk_print_context_get_cairo_context (print_context),
                                gtk_print_context_get_width (print_context),
                                gtk_print_context_get_height (print_context), &error))
    show_error (self, _("Could Not Print the Sheet"), error->message);
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               StampExportDialog       *self)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        show_error (self, _("Could Not Print the Sheet"), error->message);
    }

  if (self->print_operation == operation)
    g_clear_object (&self->print_operation);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  StampExportDialog *self = STAMP_EXPORT_DIALOG (widget);
  GtkPrintOperation *operation;
  g_autoptr(GError) error = NULL;
  g_autofree char *job_name = NULL;

  if (self->print_operation != NULL)
    return;

  operation = gtk_print_operation_new ();
  self->print_operation = operation;

  /* Translators: a print job's name; %s is an email address */
  job_name = g_strdup_printf (_("Scan-to-email settings for %s"),
                              stamp_account_get_address (self->account));
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* No nested main loop: the print dialog reports back through ::done. */
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR
      && self->print_operation == operation)
    {
      if (error != NULL)
        show_error (self, _("Could Not Print the Sheet"), error->message);
      g_clear_object (&self->print_operation);
    }
}

/**
 * _stamp_export_dialog_class_add_actions:
 * @widget_class: the dialog's class
 *
 * Installs export.copy, export.save-as, export.save-pdf and export.print,
 * with Ctrl+S and Ctrl+P.
 */
void
_stamp_export_dialog_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "export.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "export.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "export.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "export.print", NULL, print_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "export.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "export.print", NULL);
}

/* Closes the file chooser and cancels printing, as the dialog closes. */
void
_stamp_export_dialog_stop_actions (StampExportDialog *self)
{
  if (self->print_operation != NULL)
    gtk_print_operation_cancel (self->print_operation);
  g_clear_object (&self->print_operation);
  clear_file_chooser (self);
}

/* stamp-sign-in-dialog.c
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

#define G_LOG_DOMAIN "stamp-sign-in-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-sign-in-dialog.h"
#include "stamp-sign-in-page.h"

/*
 * StampSignInDialog:
 *
 * "Sign In Again" for a saved OAuth account: the sign-in starts in the
 * browser at once (a code on another device is one click away), and the
 * new tokens go to the keyring, in place of the old ones, as soon as it
 * succeeds. Only the app registration may change with it, so there is no
 * setup assistant to walk through. The sign-in works on a copy: a client
 * ID typed for a sign-in that then fails changes nothing. Closing the
 * window stops the sign-in.
 */
struct _StampSignInDialog
{
  AdwWindow         parent_instance;

  /* Owned */
  StampAccountStore *store;
  StampAccount     *account;
  StampAccount     *draft;
  GCancellable     *cancellable;

  /* Template children */
  StampSignInPage  *sign_in_page;
  AdwWindowTitle   *window_title;
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (StampSignInDialog, stamp_sign_in_dialog, ADW_TYPE_WINDOW)

static void
secret_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(StampSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  if (STAMP_IS_CREDENTIALS (object))
    saved = stamp_credentials_save_tokens_finish (STAMP_CREDENTIALS (object), result, &error);
  else
    saved = stamp_secret_store_store_finish (STAMP_SECRET_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!saved)
    {
      stamp_sign_in_page_show_problem (self->sign_in_page, error);
      return;
    }

  /* An organization's Google app needs its client secret to refresh. */
  if (STAMP_IS_CREDENTIALS (object)
      && stamp_sign_in_page_get_client_secret (self->sign_in_page) != NULL)
    {
      stamp_secret_store_store_async (stamp_secret_store_get_default (),
                                      stamp_account_get_address (self->account),
                                      STAMP_SECRET_CLIENT_SECRET,
                                      stamp_sign_in_page_get_client_secret (self->sign_in_page),
                                      0, self->cancellable, secret_saved_cb, g_object_ref (self));
      return;
    }

  /* The new tokens belong to the registration they were got with. */
  if (g_strcmp0 (stamp_account_get_oauth_client_id (self->account),
                 stamp_account_get_oauth_client_id (self->draft)) != 0
      || g_strcmp0 (stamp_account_get_oauth_tenant (self->account),
                    stamp_account_get_oauth_tenant (self->draft)) != 0
      || g_strcmp0 (stamp_account_get_oauth_authority (self->account),
                    stamp_account_get_oauth_authority (self->draft)) != 0)
    {
      stamp_account_set_oauth_client_id (self->account,
                                         stamp_account_get_oauth_client_id (self->draft));
      stamp_account_set_oauth_tenant (self->account, stamp_account_get_oauth_tenant (self->draft));
      stamp_account_set_oauth_authority (self->account,
                                         stamp_account_get_oauth_authority (self->draft));
      if (self->store != NULL)
        stamp_account_store_save_async (self->store, NULL, NULL, NULL);
    }

  g_signal_emit (self, signals[SIGNED_IN], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
signed_in_cb (StampSignInDialog *self)
{
  g_autoptr(StampCredentials) credentials = NULL;
  const StampOAuthTokens *tokens = stamp_sign_in_page_get_tokens (self->sign_in_page);

  if (tokens == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  credentials = stamp_credentials_new (stamp_secret_store_get_default ());
  stamp_credentials_save_tokens_async (credentials, self->draft, tokens, self->cancellable,
                                       secret_saved_cb, g_object_ref (self));
}

static void
stamp_sign_in_dialog_dispose (GObject *object)
{
  StampSignInDialog *self = (StampSignInDialog *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->sign_in_page != NULL)
    stamp_sign_in_page_cancel (self->sign_in_page);

  gtk_widget_dispose_template (GTK_WIDGET (self), STAMP_TYPE_SIGN_IN_DIALOG);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->account);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (stamp_sign_in_dialog_parent_class)->dispose (object);
}

static void
stamp_sign_in_dialog_class_init (StampSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stamp_sign_in_dialog_dispose;

  /**
   * StampSignInDialog::signed-in:
   * @self: a #StampSignInDialog
   *
   * Emitted when the new sign-in is in the keyring, just before the
   * dialog closes; closing it without signing in emits nothing.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (STAMP_TYPE_SIGN_IN_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stampmail/Stamp/ui/stamp-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StampSignInDialog, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, StampSignInDialog, window_title);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
stamp_sign_in_dialog_init (StampSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->sign_in_page, "notify::complete",
                           G_CALLBACK (signed_in_cb), self, G_CONNECT_SWAPPED);
}

/**
 * stamp_sign_in_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @store: (nullable): the store that holds @account, saved if its app
 *   registration changes
 * @account: a saved account that signs in with OAuth
 *
 * Returns: (transfer full): a new dialog that signs @account in again at
 *   once; present it with gtk_window_present()
 */
StampSignInDialog *
stamp_sign_in_dialog_new (GtkWindow         *parent,
                          StampAccountStore *store,
                          StampAccount      *account)
{
  g_autoptr(JsonNode) node = NULL;
  StampSignInDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (store == NULL || STAMP_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (STAMP_IS_ACCOUNT (account), NULL);

  self = g_object_new (STAMP_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->account = g_object_ref (account);
  node = stamp_account_to_json (account);
  self->draft = stamp_account_new_from_json (node, NULL);
  /* A saved account always reads back. */
  g_assert (self->draft != NULL);

  adw_window_title_set_subtitle (self->window_title, stamp_account_get_address (account));
  stamp_sign_in_page_sign_in_again (self->sign_in_page, self->draft);

  return self;
}

/* stamp-cli-wait.c
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


#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "stamp-core.h"
#include "stamp-cli-wait.h"

struct _StampCliWait
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
};

StampCliWait *
stamp_cli_wait_new (void)
{
  StampCliWait *self = g_new0 (StampCliWait, 1);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->cancellable = g_cancellable_new ();

  return self;
}

GCancellable *
stamp_cli_wait_get_cancellable (StampCliWait *self)
{
  return self->cancellable;
}

/* The callback to give the async call, with the wait as its user data. */
void
stamp_cli_wait_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  StampCliWait *self = user_data;

  g_set_object (&self->result, result);
  g_main_loop_quit (self->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * stamp_cli_wait_run:
 * @self: a #StampCliWait whose call has been started
 *
 * Returns: (transfer none): the call's result, for its _finish()
 */
GAsyncResult *
stamp_cli_wait_run (StampCliWait *self)
{
  guint interrupt_id = g_unix_signal_add (SIGINT, interrupt_cb, self->cancellable);

  g_clear_object (&self->result);
  while (self->result == NULL)
    g_main_loop_run (self->loop);
  g_source_remove (interrupt_id);

  return self->result;
}

void
stamp_cli_wait_free (StampCliWait *self)
{
  g_clear_object (&self->result);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self);
}

static void
persistent_changed_cb (StampSecretStore *store)
{
  g_printerr ("%s\n", _("Warning: no keyring service is running, so passwords and sign-ins "
                        "cannot be saved; they last only until this command ends. Start a "
                        "keyring such as GNOME Keyring or KeePassXC (Secret Service)."));
}

/**
 * stamp_cli_get_secret_store:
 *
 * Returns: (transfer none): the process's secret store; the first time the
 *   keyring turns out to be missing, a warning goes to standard error
 */
StampSecretStore *
stamp_cli_get_secret_store (void)
{
  StampSecretStore *store = stamp_secret_store_get_default ();
  static gsize watched;

  if (g_once_init_enter (&watched))
    {
      g_signal_connect (store, "notify::persistent", G_CALLBACK (persistent_changed_cb), NULL);
      g_once_init_leave (&watched, 1);
    }

  return store;
}

gboolean
stamp_cli_keyring_is_missing (void)
{
  return !stamp_secret_store_is_persistent (stamp_cli_get_secret_store ());
}

/**
 * stamp_cli_get_access_token:
 * @account: an account that signs in with OAuth
 * @force_refresh: refresh even if the stored token looks fresh
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): a current access token
 */
char *
stamp_cli_get_access_token (StampAccount  *account,
                            gboolean       force_refresh,
                            GError       **error)
{
  g_autoptr(StampCredentials) credentials = stamp_credentials_new (stamp_cli_get_secret_store ());
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();

  stamp_credentials_get_access_token_async (credentials, account, force_refresh,
                                            wait->cancellable, stamp_cli_wait_cb, wait);

  return stamp_credentials_get_access_token_finish (credentials, stamp_cli_wait_run (wait),
                                                    NULL, error);
}

/**
 * stamp_cli_lookup_secret:
 * @address: the account's address
 * @kind: which secret
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the secret; %NULL without @error when
 *   none is stored
 */
char *
stamp_cli_lookup_secret (const char       *address,
                         StampSecretKind   kind,
                         GError          **error)
{
  StampSecretStore *store = stamp_cli_get_secret_store ();
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();

  stamp_secret_store_lookup_async (store, address, kind, wait->cancellable,
                                   stamp_cli_wait_cb, wait);

  return stamp_secret_store_lookup_finish (store, stamp_cli_wait_run (wait), NULL, error);
}

/**
 * stamp_cli_load_accounts:
 * @command: (nullable): the command, for the message's prefix
 *
 * Returns: (transfer full): the saved accounts. A file that could not be
 *   read has been kept aside by the store: what went wrong goes to
 *   standard error, and the accounts that were readable are there.
 */
StampAccountStore *
stamp_cli_load_accounts (const char *command)
{
  StampAccountStore *store = stamp_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!stamp_account_store_load (store, &error))
    g_printerr ("stamp-cli%s%s: %s\n", command != NULL ? " " : "", command != NULL ? command : "",
                error->message);

  return store;
}

/**
 * stamp_cli_lookup_account:
 * @address: the account's address, in any case
 * @error: (nullable): where to put an error when there is no such account
 *
 * Returns: (transfer full) (nullable): the saved account
 */
StampAccount *
stamp_cli_lookup_account (const char  *address,
                          GError     **error)
{
  g_autoptr(StampAccountStore) store = stamp_cli_load_accounts (NULL);
  StampAccount *account;

  account = stamp_account_store_lookup (store, address);
  if (account == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("No saved account for %s; add one with “stamp-cli accounts add” "
                     "or “stamp-cli login”"), address);
      return NULL;
    }

  return g_object_ref (account);
}

typedef struct
{
  const char *alias;
  const char *provider_id;
} ProviderAlias;

/* The short names the command line takes, besides every provider id. */
static const ProviderAlias provider_aliases[] = {
  { "microsoft", "microsoft365" },
  { "office365", "microsoft365" },
  { "usgov", "microsoft365-usgov" },
  { "gcchigh", "microsoft365-usgov" },
};

/**
 * stamp_cli_lookup_provider:
 * @name: a provider id, or one of the short names above
 *
 * Returns: (transfer none) (nullable): the provider
 */
StampProvider *
stamp_cli_lookup_provider (const char *name)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (provider_aliases); i++)
    {
      if (g_ascii_strcasecmp (name, provider_aliases[i].alias) == 0)
        return stamp_provider_db_lookup_id (db, provider_aliases[i].provider_id);
    }

  return stamp_provider_db_lookup_id (db, name);
}

/**
 * stamp_cli_use_provider:
 * @account: an account
 * @provider: who runs its mail
 *
 * Names @provider as the account's. A new account, or one moving to
 * @provider, takes its server from it too.
 */
void
stamp_cli_use_provider (StampAccount  *account,
                        StampProvider *provider)
{
  gboolean moved = g_strcmp0 (stamp_account_get_provider_id (account),
                              stamp_provider_get_id (provider)) != 0;

  if ((moved || stamp_account_get_host (account) == NULL)
      && stamp_provider_get_n_endpoints (provider) > 0)
    {
      const StampEndpoint *endpoint = stamp_provider_get_endpoint (provider, 0);

      stamp_account_set_host (account, endpoint->host);
      stamp_account_set_port (account, endpoint->port);
      stamp_account_set_security (account, endpoint->security);
    }

  stamp_account_set_provider_id (account, stamp_provider_get_id (provider));
}

/**
 * stamp_cli_strip_app_password:
 * @password: (inout) (nullable): a password as pasted
 *
 * Leaves out the spaces an app password is shown with (as the app does),
 * and says so.
 */
void
stamp_cli_strip_app_password (char **password)
{
  StampSecret *stripped;

  if (*password == NULL || (stripped = stamp_diagnosis_strip_app_password (*password)) == NULL)
    return;

  stamp_clear_secret (password);
  *password = stripped;
  g_printerr ("%s\n", _("Note: the password looks like an app password copied with the spaces "
                        "it is shown with; Stamp leaves the spaces out."));
}

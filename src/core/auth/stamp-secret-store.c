/* stamp-secret-store.c
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

#define G_LOG_DOMAIN "stamp-secret-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "stamp-error.h"
#include "stamp-secret-store.h"
#include "stamp-util.h"

/**
 * StampSecretStore:
 *
 * Keeps passwords and OAuth tokens in the system keyring through libsecret
 * (inside Flatpak, libsecret goes through the Secret portal by itself).
 *
 * Each secret is one keyring item with the attributes `account` (the
 * address) and `kind`. An access token's item holds its expiry and the
 * token as "EXPIRES TOKEN", so that replacing it stays one atomic store.
 *
 * When no keyring service can be reached at all, the store keeps secrets
 * in this process's memory for the session only and #StampSecretStore:persistent
 * turns %FALSE, so the faces can warn. Nothing is ever written to disk in
 * plain text. A keyring that answers but refuses (locked, denied) is an
 * error, not a reason to fall back.
 */

struct _StampSecretStore
{
  GObject     parent_instance;

  gboolean    in_memory;
  GHashTable *memory;          /* "account\nkind" → MemorySecret */
};

typedef struct
{
  char   *secret;
  gint64  expires_at;
} MemorySecret;

enum {
  PROP_0,
  PROP_PERSISTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (StampSecretStore, stamp_secret_store, G_TYPE_OBJECT)

static const char * const kind_names[] = {
  "password", "refresh-token", "access-token", "client-secret", "relay-device",
  "graph-access-token",
};

/* Access tokens are kept with their expiry, one per resource. */
static gboolean
kind_is_access_token (StampSecretKind kind)
{
  return kind == STAMP_SECRET_ACCESS_TOKEN || kind == STAMP_SECRET_GRAPH_ACCESS_TOKEN;
}

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.stampmail.Stamp.Secret", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
memory_secret_free (gpointer data)
{
  MemorySecret *entry = data;

  stamp_secret_free (entry->secret);
  g_free (entry);
}

static void
stamp_secret_store_finalize (GObject *object)
{
  StampSecretStore *self = (StampSecretStore *)object;

  g_clear_pointer (&self->memory, g_hash_table_unref);

  G_OBJECT_CLASS (stamp_secret_store_parent_class)->finalize (object);
}

static void
stamp_secret_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StampSecretStore *self = STAMP_SECRET_STORE (object);

  switch (prop_id)
    {
    case PROP_PERSISTENT:
      g_value_set_boolean (value, stamp_secret_store_is_persistent (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stamp_secret_store_class_init (StampSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_secret_store_finalize;
  object_class->get_property = stamp_secret_store_get_property;

  /**
   * StampSecretStore:persistent:
   *
   * %TRUE while secrets go to the system keyring; %FALSE once no keyring
   * could be reached and secrets last only as long as this process.
   */
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stamp_secret_store_init (StampSecretStore *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, memory_secret_free);
}

/**
 * stamp_secret_store_get_default:
 *
 * Gives the store shared by the whole process, so that a session-only
 * fallback is seen by every part of the app.
 *
 * Returns: (transfer none): the shared #StampSecretStore
 */
StampSecretStore *
stamp_secret_store_get_default (void)
{
  static StampSecretStore *default_store;

  if (g_once_init_enter (&default_store))
    g_once_init_leave (&default_store, stamp_secret_store_new ());

  return default_store;
}

/**
 * stamp_secret_store_new:
 *
 * Returns: (transfer full): a new #StampSecretStore
 */
StampSecretStore *
stamp_secret_store_new (void)
{
  return g_object_new (STAMP_TYPE_SECRET_STORE, NULL);
}

/**
 * stamp_secret_store_is_persistent:
 * @self: a #StampSecretStore
 *
 * Returns: %FALSE when secrets are kept for this session only
 */
gboolean
stamp_secret_store_is_persistent (StampSecretStore *self)
{
  g_return_val_if_fail (STAMP_IS_SECRET_STORE (self), FALSE);

  return !self->in_memory;
}

/**
 * stamp_secret_kind_to_string:
 * @kind: a #StampSecretKind
 *
 * Returns: the `kind` attribute of @kind's keyring items
 */
const char *
stamp_secret_kind_to_string (StampSecretKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

static char *
memory_key (const char      *account,
            StampSecretKind  kind)
{
  return g_strconcat (account, "\n", kind_names[kind], NULL);
}

/* Only a keyring that cannot be reached at all (no session bus, no secret
 * service, a D-Bus failure) means falling back to memory. */
static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == SECRET_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  /* Errors in G_DBUS_ERROR are answers: from the bus when there is no
   * secret service (or it would not start), else from the service, which
   * is there and refused (a collection it could not unlock or create). */
  if (error->domain == G_DBUS_ERROR)
    return error->code == G_DBUS_ERROR_SERVICE_UNKNOWN
           || error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER
           || error->code == G_DBUS_ERROR_NO_SERVER
           || (error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED
               && error->code <= G_DBUS_ERROR_SPAWN_NO_MEMORY);

  /* An error name D-Bus does not know is the service's answer too. */
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR);
}

static void
fall_back_to_memory (StampSecretStore *self,
                     const GError     *error)
{
  if (self->in_memory)
    return;

  /* The faces tell the person, from the notification. */
  g_debug ("No keyring service is reachable (%s); secrets are kept in memory for "
           "this session only", error->message);
  self->in_memory = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

static GError *
keyring_error (const GError *error)
{
  return g_error_new (STAMP_ERROR, STAMP_ERROR_KEYRING,
                      _("The keyring refused the request: %s. Unlock the keyring and try again."),
                      error->message);
}

/* @kind_name: (nullable): %NULL matches every kind */
static GHashTable *
build_attributes (const char *account,
                  const char *kind_name)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, "account", (gpointer) account);
  if (kind_name != NULL)
    g_hash_table_insert (attributes, "kind", (gpointer) kind_name);

  return attributes;
}

static char *
encode_secret (StampSecretKind  kind,
               const char      *secret,
               gint64           expires_at)
{
  if (kind_is_access_token (kind))
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", expires_at, secret);

  return g_strdup (secret);
}

/* Splits an access token item into its expiry and the token; a value in
 * another shape counts as expired, so that it gets refreshed. */
static char *
decode_secret (StampSecretKind  kind,
               const char      *stored,
               gint64          *expires_at)
{
  const char *space;

  *expires_at = 0;
  if (!kind_is_access_token (kind))
    return g_strdup (stored);

  space = strchr (stored, ' ');
  if (space == NULL || space[1] == '\0')
    return NULL;

  *expires_at = g_ascii_strtoll (stored, NULL, 10);
  return g_strdup (space + 1);
}

/* Store */

typedef struct
{
  char            *account;
  StampSecretKind  kind;
  char            *encoded;
  char            *secret;
  gint64           expires_at;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  g_free (store->account);
  stamp_secret_free (store->encoded);
  stamp_secret_free (store->secret);
  g_free (store);
}

static void
memory_store (StampSecretStore *self,
              StoreData        *data)
{
  MemorySecret *entry = g_new0 (MemorySecret, 1);

  entry->secret = g_strdup (data->secret);
  /* As in the keyring: only an access token has an expiry. */
  entry->expires_at = kind_is_access_token (data->kind) ? data->expires_at : 0;
  g_hash_table_replace (self->memory, memory_key (data->account, data->kind), entry);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampSecretStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!is_unreachable (error))
    {
      g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? g_steal_pointer (&error) : keyring_error (error));
      return;
    }

  fall_back_to_memory (self, error);
  memory_store (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

/**
 * stamp_secret_store_store_async:
 * @self: a #StampSecretStore
 * @account: the account's address
 * @kind: what @secret is
 * @secret: the secret
 * @expires_at: for an access token, when it expires (Unix time in seconds);
 *   ignored for other kinds
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the secret is stored
 * @user_data: data for @callback
 *
 * Stores @secret for @account, replacing the one of the same kind.
 */
void
stamp_secret_store_store_async (StampSecretStore    *self,
                                const char          *account,
                                StampSecretKind      kind,
                                const char          *secret,
                                gint64               expires_at,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  StoreData *data;

  g_return_if_fail (STAMP_IS_SECRET_STORE (self));
  g_return_if_fail (account != NULL && secret != NULL);
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kind_names));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_secret_store_store_async);

  data = g_new0 (StoreData, 1);
  data->account = g_strdup (account);
  data->kind = kind;
  data->secret = g_strdup (secret);
  data->expires_at = expires_at;
  data->encoded = encode_secret (kind, secret, expires_at);
  g_task_set_task_data (task, data, store_data_free);

  if (self->in_memory)
    {
      memory_store (self, data);
      g_task_return_boolean (task, TRUE);
      return;
    }

  switch (kind)
    {
    case STAMP_SECRET_PASSWORD:
      label = g_strdup_printf (_("Stamp: password for %s"), account);
      break;
    case STAMP_SECRET_REFRESH_TOKEN:
      label = g_strdup_printf (_("Stamp: sign-in for %s"), account);
      break;
    case STAMP_SECRET_ACCESS_TOKEN:
      label = g_strdup_printf (_("Stamp: access token for %s"), account);
      break;
    case STAMP_SECRET_GRAPH_ACCESS_TOKEN:
      label = g_strdup_printf (_("Stamp: Microsoft Graph access token for %s"), account);
      break;
    case STAMP_SECRET_RELAY_DEVICE:
      label = g_strdup_printf (_("Stamp: relay password for %s"), account);
      break;
    case STAMP_SECRET_CLIENT_SECRET:
    default:
      label = g_strdup_printf (_("Stamp: app client secret for %s"), account);
      break;
    }

  attributes = build_attributes (data->account, kind_names[kind]);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                          data->encoded, cancellable, store_cb, g_steal_pointer (&task));
}

/**
 * stamp_secret_store_store_finish:
 * @self: a #StampSecretStore
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: %TRUE when the secret was stored (in memory if no keyring runs)
 */
gboolean
stamp_secret_store_store_finish (StampSecretStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

typedef struct
{
  char            *account;
  StampSecretKind  kind;
  char            *secret;
  gint64           expires_at;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *lookup = data;

  g_free (lookup->account);
  stamp_secret_free (lookup->secret);
  g_free (lookup);
}

static void
memory_lookup (StampSecretStore *self,
               LookupData       *data)
{
  g_autofree char *key = memory_key (data->account, data->kind);
  MemorySecret *entry = g_hash_table_lookup (self->memory, key);

  if (entry == NULL)
    return;

  data->secret = g_strdup (entry->secret);
  data->expires_at = entry->expires_at;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampSecretStore *self = g_task_get_source_object (task);
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *stored = secret_password_lookup_finish (result, &error);

  if (error != NULL && !is_unreachable (error))
    {
      g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? g_steal_pointer (&error) : keyring_error (error));
      return;
    }

  if (error != NULL)
    {
      fall_back_to_memory (self, error);
      memory_lookup (self, data);
    }
  else if (stored != NULL)
    {
      data->secret = decode_secret (data->kind, stored, &data->expires_at);
      secret_password_free (stored);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * stamp_secret_store_lookup_async:
 * @self: a #StampSecretStore
 * @account: the account's address
 * @kind: which secret
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks up @account's secret of @kind.
 */
void
stamp_secret_store_lookup_async (StampSecretStore    *self,
                                 const char          *account,
                                 StampSecretKind      kind,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  LookupData *data;

  g_return_if_fail (STAMP_IS_SECRET_STORE (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (kind_names));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_secret_store_lookup_async);

  data = g_new0 (LookupData, 1);
  data->account = g_strdup (account);
  data->kind = kind;
  g_task_set_task_data (task, data, lookup_data_free);

  if (self->in_memory)
    {
      memory_lookup (self, data);
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = build_attributes (data->account, kind_names[kind]);
  secret_password_lookupv (get_schema (), attributes, cancellable, lookup_cb,
                           g_steal_pointer (&task));
}

/**
 * stamp_secret_store_lookup_finish:
 * @self: a #StampSecretStore
 * @result: the #GAsyncResult
 * @expires_at: (out) (optional): for an access token, when it expires
 * @error: where to put an error
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   stamp_secret_free(); %NULL without @error set when none is stored
 */
char *
stamp_secret_store_lookup_finish (StampSecretStore  *self,
                                  GAsyncResult      *result,
                                  gint64            *expires_at,
                                  GError           **error)
{
  LookupData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  if (expires_at != NULL)
    *expires_at = data->expires_at;

  return g_steal_pointer (&data->secret);
}

/* Clear */

static void
memory_clear (StampSecretStore *self,
              const char       *account)
{
  for (guint kind = 0; kind < G_N_ELEMENTS (kind_names); kind++)
    {
      g_autofree char *key = memory_key (account, kind);

      g_hash_table_remove (self->memory, key);
    }
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StampSecretStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (!is_unreachable (error))
        {
          g_task_return_error (task, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                       ? g_steal_pointer (&error) : keyring_error (error));
          return;
        }

      fall_back_to_memory (self, error);
    }

  memory_clear (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

/**
 * stamp_secret_store_clear_async:
 * @self: a #StampSecretStore
 * @account: the account's address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes every secret of @account: password, tokens and client secret.
 */
void
stamp_secret_store_clear_async (StampSecretStore    *self,
                                const char          *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (STAMP_IS_SECRET_STORE (self));
  g_return_if_fail (account != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stamp_secret_store_clear_async);
  g_task_set_task_data (task, g_strdup (account), g_free);

  if (self->in_memory)
    {
      memory_clear (self, account);
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = build_attributes (g_task_get_task_data (task), NULL);
  secret_password_clearv (get_schema (), attributes, cancellable, clear_cb,
                          g_steal_pointer (&task));
}

/**
 * stamp_secret_store_clear_finish:
 * @self: a #StampSecretStore
 * @result: the #GAsyncResult
 * @error: where to put an error
 *
 * Returns: %TRUE when no secret of the account is left
 */
gboolean
stamp_secret_store_clear_finish (StampSecretStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* stamp-provider-db.c
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

#define G_LOG_DOMAIN "stamp-provider-db"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "stamp-providers-resources.h"
#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-provider-db.h"

#define PROVIDERS_RESOURCE "/io/github/stampmail/Stamp/core/providers.json"
#define SUPPORTED_FORMAT   1

/*
 * StampProviderDb:
 *
 * The providers Stamp knows, as a #GListModel of #StampProvider in the order
 * of providers.json, with lookups by id, by mail domain and by MX host.
 *
 * The built-in database is parsed once from the core's GResource; a
 * database is immutable after loading, so it never emits
 * #GListModel::items-changed and may be read from any thread.
 */
struct _StampProviderDb
{
  GObject parent_instance;

  /* Owned */
  GPtrArray  *providers;

  /* Borrowed from @providers */
  GHashTable *by_id;
  GHashTable *by_domain;
  GHashTable *by_suffix;
};

static GType
stamp_provider_db_get_item_type (GListModel *model)
{
  return STAMP_TYPE_PROVIDER;
}

static guint
stamp_provider_db_get_n_items (GListModel *model)
{
  StampProviderDb *self = (StampProviderDb *)model;

  return self->providers->len;
}

static gpointer
stamp_provider_db_get_item (GListModel *model,
                            guint       position)
{
  StampProviderDb *self = (StampProviderDb *)model;

  if (position >= self->providers->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->providers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = stamp_provider_db_get_item_type;
  iface->get_n_items = stamp_provider_db_get_n_items;
  iface->get_item = stamp_provider_db_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (StampProviderDb, stamp_provider_db, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* As the provider stores its domains: lower-case ASCII, A-labels for IDNs,
 * without the root label's dot. */
static char *
normalize_domain (const char *domain)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);
  gsize length;

  if (ascii == NULL)
    return NULL;

  length = strlen (ascii);
  if (length > 0 && ascii[length - 1] == '.')
    length--;

  return g_ascii_strdown (ascii, length);
}

/* Error texts here are for developers, as in stamp-provider.c. */
/* Adds @provider's @names to @table, refusing a name another provider
 * already has there. */
static gboolean
claim_names (GHashTable          *table,
             StampProvider       *provider,
             const char * const  *names,
             const char          *member,
             GError             **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      StampProvider *owner = g_hash_table_lookup (table, names[i]);

      if (owner != NULL)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       "Provider “%s”, member “%s”: “%s” already belongs to “%s”",
                       stamp_provider_get_id (provider), member, names[i],
                       stamp_provider_get_id (owner));
          return FALSE;
        }
    }

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_insert (table, (gpointer) names[i], provider);

  return TRUE;
}

/* Error texts here are for developers, as in stamp-provider.c. */
static gboolean
add_provider (StampProviderDb  *self,
              StampProvider    *provider,
              GError          **error)
{
  const char *id = stamp_provider_get_id (provider);

  if (g_hash_table_contains (self->by_id, id))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "Provider “%s”, member “id”: another provider has the same id", id);
      return FALSE;
    }

  if (!claim_names (self->by_domain, provider, stamp_provider_get_domains (provider),
                    "domains", error)
      || !claim_names (self->by_suffix, provider, stamp_provider_get_domain_suffixes (provider),
                       "domain_suffixes", error))
    return FALSE;

  g_ptr_array_add (self->providers, g_object_ref (provider));
  g_hash_table_insert (self->by_id, (gpointer) id, provider);

  return TRUE;
}

static gboolean
load_root (StampProviderDb  *self,
           JsonNode         *root,
           GError          **error)
{
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *format;
  JsonNode *providers;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "The provider database must be a JSON object");
      return FALSE;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "format") != 0 && strcmp (l->data, "providers") != 0)
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       "The provider database has an unknown member “%s”",
                       (const char *) l->data);
          return FALSE;
        }
    }

  /* A newer format may mean things this code would misread, so it is
   * refused rather than half understood. */
  format = json_object_get_member (object, "format");
  if (format == NULL
      || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_INT64
      || json_node_get_int (format) != SUPPORTED_FORMAT)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "The provider database must have “format”: %d", SUPPORTED_FORMAT);
      return FALSE;
    }

  providers = json_object_get_member (object, "providers");
  if (providers == NULL || !JSON_NODE_HOLDS_ARRAY (providers))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "The provider database must have a “providers” array");
      return FALSE;
    }

  array = json_node_get_array (providers);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(StampProvider) provider = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                       "providers[%u]: a provider must be a JSON object", i);
          return FALSE;
        }

      provider = stamp_provider_new_from_json (json_node_get_object (element), error);

      if (provider == NULL || !add_provider (self, provider, error))
        {
          g_prefix_error (error, "providers[%u]: ", i);
          return FALSE;
        }
    }

  return TRUE;
}

static gpointer
load_default_cb (gpointer data)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  StampProviderDb *db = NULL;

  /* Looking the file up in our own GResource, rather than in the global
   * ones, references the generated resource code, so the linker keeps it
   * in every program that links the static core library. */
  bytes = g_resource_lookup_data (stamp_providers_get_resource (), PROVIDERS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  if (bytes != NULL)
    db = stamp_provider_db_new_from_data (g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes),
                                          &error);

  if (db == NULL)
    {
      /* The tests load the same file, so this is a broken build; carry on
       * with no providers rather than take the app down. */
      g_critical ("The built-in provider database cannot be used: %s", error->message);
      db = g_object_new (STAMP_TYPE_PROVIDER_DB, NULL);
    }

  return db;
}

static void
stamp_provider_db_finalize (GObject *object)
{
  StampProviderDb *self = (StampProviderDb *)object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->by_domain, g_hash_table_unref);
  g_clear_pointer (&self->by_suffix, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (stamp_provider_db_parent_class)->finalize (object);
}

static void
stamp_provider_db_class_init (StampProviderDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stamp_provider_db_finalize;
}

static void
stamp_provider_db_init (StampProviderDb *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_domain = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_suffix = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * stamp_provider_db_get_default:
 *
 * Gets the database built into Stamp, parsing it on first use. Safe to call
 * from any thread.
 *
 * Returns: (transfer none): the built-in database
 */
StampProviderDb *
stamp_provider_db_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, load_default_cb, NULL);

  return once.retval;
}

/**
 * stamp_provider_db_new_from_data:
 * @data: the JSON text of a provider database
 * @length: the length of @data in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Parses a database in the format of providers.json. Any defect (text that
 * is not JSON, an unknown format, a malformed provider, two providers with
 * the same id or the same domain) fails with %STAMP_ERROR_INVALID_INPUT.
 *
 * Returns: (transfer full) (nullable): the database, or %NULL on error
 */
StampProviderDb *
stamp_provider_db_new_from_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(StampProviderDb) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   "The provider database is not valid JSON: %s", parse_error->message);
      return NULL;
    }

  self = g_object_new (STAMP_TYPE_PROVIDER_DB, NULL);

  if (!load_root (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * stamp_provider_db_lookup_id:
 * @self: a #StampProviderDb
 * @id: a provider id, such as `google`
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL
 */
StampProvider *
stamp_provider_db_lookup_id (StampProviderDb *self,
                             const char      *id)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, id);
}

/**
 * stamp_provider_db_lookup_domain:
 * @self: a #StampProviderDb
 * @domain: the part of an address after the `@`
 *
 * Finds the provider that owns @domain. Case does not matter, an IDN is
 * compared in its ASCII form and a trailing dot is ignored. A domain
 * matches a provider's domains exactly (`mail.gmail.com` is not Gmail), or
 * lies below one of its domain suffixes (`contoso.onmicrosoft.com` is
 * Microsoft 365; `onmicrosoft.com` itself is no one's mail domain).
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL
 */
StampProvider *
stamp_provider_db_lookup_domain (StampProviderDb *self,
                                 const char      *domain)
{
  g_autofree char *normal = NULL;
  StampProvider *provider;

  g_return_val_if_fail (STAMP_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  normal = normalize_domain (domain);
  if (normal == NULL)
    return NULL;

  provider = g_hash_table_lookup (self->by_domain, normal);

  for (const char *dot = strchr (normal, '.'); provider == NULL && dot != NULL;
       dot = strchr (dot + 1, '.'))
    provider = g_hash_table_lookup (self->by_suffix, dot + 1);

  return provider;
}

/**
 * stamp_provider_db_lookup_mx:
 * @self: a #StampProviderDb
 * @mx_host: an MX host name of the address's domain
 *
 * Finds the first provider, in database order, with an MX pattern that
 * matches @mx_host (see stamp_provider_matches_mx()).
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL
 */
StampProvider *
stamp_provider_db_lookup_mx (StampProviderDb *self,
                             const char      *mx_host)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (mx_host != NULL, NULL);

  for (guint i = 0; i < self->providers->len; i++)
    {
      StampProvider *provider = g_ptr_array_index (self->providers, i);

      if (stamp_provider_matches_mx (provider, mx_host))
        return provider;
    }

  return NULL;
}

/**
 * stamp_provider_db_lookup_host:
 * @self: a #StampProviderDb
 * @host: a submission server's host name
 *
 * Finds the provider whose submission server @host is, for accounts saved
 * with only a host (`stamp-cli accounts add --host smtp.office365.com`).
 *
 * A loopback, private or link-local address is nobody's server in
 * particular (stamp_host_is_local()): 127.0.0.1 is Proton Mail Bridge's
 * address, and also any test server's, so it names no provider here. An
 * account that really is a Bridge account says so with its provider id.
 *
 * Returns: (transfer none) (nullable): the provider, or %NULL
 */
StampProvider *
stamp_provider_db_lookup_host (StampProviderDb *self,
                               const char      *host)
{
  g_return_val_if_fail (STAMP_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (stamp_host_is_local (host))
    return NULL;

  for (guint i = 0; i < self->providers->len; i++)
    {
      StampProvider *provider = g_ptr_array_index (self->providers, i);

      for (guint e = 0; e < stamp_provider_get_n_endpoints (provider); e++)
        if (g_ascii_strcasecmp (stamp_provider_get_endpoint (provider, e)->host, host) == 0)
          return provider;
    }

  return NULL;
}

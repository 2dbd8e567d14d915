/* test-secret-store.c
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

/* The secret store, built twice: against a real gnome-keyring in a D-Bus
 * session of its own (tests/fixtures/with-keyring.sh), and with
 * STAMP_TEST_NO_KEYRING where no session bus can be reached, so secrets
 * stay in memory. The same cases hold for both, except where the two
 * differ on purpose (persistence). */

#define G_LOG_DOMAIN "test-secret-store"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "stamp-error.h"
#include "stamp-secret-store.h"
#include "stamp-test-idp.h"

#define ACCOUNT "alice@example.test"
#define OTHER   "bob@example.test"

/* Every secret stored here starts with this, so that files can be searched
 * for it. */
#define CANARY  "CANARY-secret-"

static const StampSecretKind all_kinds[] = {
  STAMP_SECRET_PASSWORD,
  STAMP_SECRET_REFRESH_TOKEN,
  STAMP_SECRET_ACCESS_TOKEN,
  STAMP_SECRET_CLIENT_SECRET,
  STAMP_SECRET_RELAY_DEVICE,
};

static char *
canary_for (const char      *account,
            StampSecretKind  kind,
            const char      *version)
{
  return g_strconcat (CANARY, stamp_secret_kind_to_string (kind), "-", version, "-", account, NULL);
}

static void
store_secret (StampSecretStore *store,
              const char       *account,
              StampSecretKind   kind,
              const char       *secret,
              gint64            expires_at)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  stamp_secret_store_store_async (store, account, kind, secret, expires_at, NULL,
                                  stamp_test_result_cb, &result);
  ok = stamp_secret_store_store_finish (store, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
assert_secret (StampSecretStore *store,
               const char       *account,
               StampSecretKind   kind,
               const char       *expected)
{
  g_autofree char *secret = stamp_test_lookup_secret (store, account, kind, NULL);

  g_assert_cmpstr (secret, ==, expected);
}

static void
clear_secrets (StampSecretStore *store,
               const char       *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  stamp_secret_store_clear_async (store, account, NULL, stamp_test_result_cb, &result);
  ok = stamp_secret_store_clear_finish (store, stamp_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Stores one secret of every kind for @account, tagged with @version. */
static void
store_all_kinds (StampSecretStore *store,
                 const char       *account,
                 const char       *version)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      g_autofree char *secret = canary_for (account, all_kinds[i], version);

      store_secret (store, account, all_kinds[i], secret, 2000000000);
    }
}

static void
assert_all_kinds (StampSecretStore *store,
                  const char       *account,
                  const char       *version)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      g_autofree char *expected = version != NULL ? canary_for (account, all_kinds[i], version) : NULL;

      assert_secret (store, account, all_kinds[i], expected);
    }
}

#ifndef STAMP_TEST_NO_KEYRING
/* The keyring items' shape is a promise to every later version of Stamp,
 * which must find them again. */
static const SecretSchema item_schema = {
  "io.github.stampmail.Stamp.Secret", SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static GList *
search_items (const char      *account,
              StampSecretKind  kind)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&item_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "account", account,
                                       "kind", stamp_secret_kind_to_string (kind),
                                       NULL);
  g_assert_no_error (error);

  return items;
}

static goffset
tree_size (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  goffset size = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                     NULL, NULL);

      if (info != NULL)
        size += g_file_info_get_size (info);
    }

  return size;
}
#endif

static void
test_kind_names (void)
{
  g_assert_cmpstr (stamp_secret_kind_to_string (STAMP_SECRET_PASSWORD), ==, "password");
  g_assert_cmpstr (stamp_secret_kind_to_string (STAMP_SECRET_REFRESH_TOKEN), ==, "refresh-token");
  g_assert_cmpstr (stamp_secret_kind_to_string (STAMP_SECRET_ACCESS_TOKEN), ==, "access-token");
  g_assert_cmpstr (stamp_secret_kind_to_string (STAMP_SECRET_CLIENT_SECRET), ==, "client-secret");
}

static void
test_default_store (void)
{
  /* One store for the whole process, so a fallback is seen everywhere. */
  g_assert_true (stamp_secret_store_get_default () == stamp_secret_store_get_default ());
}

static void
test_round_trip (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();

  /* Every kind at once: none may overwrite another. */
  store_all_kinds (store, ACCOUNT, "1");
  assert_all_kinds (store, ACCOUNT, "1");

  clear_secrets (store, ACCOUNT);
  assert_all_kinds (store, ACCOUNT, NULL);
}

static void
test_access_token_expiry (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autofree char *token = NULL;
  g_autofree char *password = NULL;
  gint64 expires_at = -1;

  store_secret (store, ACCOUNT, STAMP_SECRET_ACCESS_TOKEN, CANARY "access", 1893456000);
  token = stamp_test_lookup_secret (store, ACCOUNT, STAMP_SECRET_ACCESS_TOKEN, &expires_at);
  g_assert_cmpstr (token, ==, CANARY "access");
  g_assert_cmpint (expires_at, ==, 1893456000);

  /* Only access tokens have an expiry; other kinds ignore the one given. */
  store_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, CANARY "password", 1893456000);
  expires_at = -1;
  password = stamp_test_lookup_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, &expires_at);
  g_assert_cmpstr (password, ==, CANARY "password");
  g_assert_cmpint (expires_at, ==, 0);
}

static void
test_replace (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autofree char *token = NULL;
  gint64 expires_at = 0;

  store_all_kinds (store, ACCOUNT, "old");
  store_all_kinds (store, ACCOUNT, "new");
  assert_all_kinds (store, ACCOUNT, "new");

  /* The token and its expiry are replaced together. */
  store_secret (store, ACCOUNT, STAMP_SECRET_ACCESS_TOKEN, CANARY "access-newer", 1900000000);
  token = stamp_test_lookup_secret (store, ACCOUNT, STAMP_SECRET_ACCESS_TOKEN, &expires_at);
  g_assert_cmpstr (token, ==, CANARY "access-newer");
  g_assert_cmpint (expires_at, ==, 1900000000);

#ifndef STAMP_TEST_NO_KEYRING
  /* Replaced in place: one item per account and kind, never a pile. */
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      GList *items = search_items (ACCOUNT, all_kinds[i]);
      g_autofree char *label = NULL;

      g_assert_cmpuint (g_list_length (items), ==, 1);
      label = secret_retrievable_get_label (items->data);
      g_assert_true (g_str_has_prefix (label, "Stamp: "));
      g_assert_nonnull (strstr (label, ACCOUNT));
      g_list_free_full (items, g_object_unref);
    }
#endif

  clear_secrets (store, ACCOUNT);
}

static void
test_clear (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();

  store_all_kinds (store, ACCOUNT, "1");
  store_all_kinds (store, OTHER, "1");

  clear_secrets (store, ACCOUNT);
  assert_all_kinds (store, ACCOUNT, NULL);
  assert_all_kinds (store, OTHER, "1");

#ifndef STAMP_TEST_NO_KEYRING
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    g_assert_null (search_items (ACCOUNT, all_kinds[i]));
#endif

  /* Nothing left to clear is no error. */
  clear_secrets (store, ACCOUNT);
  clear_secrets (store, "nobody@example.test");
  assert_all_kinds (store, OTHER, "1");

  clear_secrets (store, OTHER);
}

static void
test_lookup_missing (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();

  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      g_autofree char *secret = NULL;
      gint64 expires_at = -1;

      secret = stamp_test_lookup_secret (store, "nobody@example.test", all_kinds[i], &expires_at);
      g_assert_null (secret);
      g_assert_cmpint (expires_at, ==, 0);
    }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_persistent (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(StampSecretStore) other = stamp_secret_store_new ();
  g_autofree char *elsewhere = NULL;
  guint notified = 0;
  gboolean persistent = FALSE;

  g_signal_connect (store, "notify::persistent", G_CALLBACK (count_notify_cb), &notified);

  /* Nothing is known before the keyring was tried. */
  g_assert_true (stamp_secret_store_is_persistent (store));

  store_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, CANARY "persistent", 0);
  assert_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, CANARY "persistent");
  g_object_get (store, "persistent", &persistent, NULL);

#ifdef STAMP_TEST_NO_KEYRING
  /* No keyring: kept in memory for this session, and the faces are told
   * once. */
  g_assert_false (persistent);
  g_assert_false (stamp_secret_store_is_persistent (store));
  g_assert_cmpuint (notified, ==, 1);

  store_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, CANARY "persistent-2", 0);
  assert_secret (store, ACCOUNT, STAMP_SECRET_PASSWORD, CANARY "persistent-2");
  g_assert_cmpuint (notified, ==, 1);

  /* Memory is this store's own: another one never saw the secret. */
  elsewhere = stamp_test_lookup_secret (other, ACCOUNT, STAMP_SECRET_PASSWORD, NULL);
  g_assert_null (elsewhere);
  g_assert_false (stamp_secret_store_is_persistent (other));
#else
  g_assert_true (persistent);
  g_assert_true (stamp_secret_store_is_persistent (store));
  g_assert_cmpuint (notified, ==, 0);

  /* In the keyring, so any store (any later run) finds it. */
  elsewhere = stamp_test_lookup_secret (other, ACCOUNT, STAMP_SECRET_PASSWORD, NULL);
  g_assert_cmpstr (elsewhere, ==, CANARY "persistent");
  g_assert_true (stamp_secret_store_is_persistent (other));
#endif

  clear_secrets (store, ACCOUNT);
}

static void
test_cancelled (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  g_cancellable_cancel (cancellable);
  stamp_secret_store_lookup_async (store, ACCOUNT, STAMP_SECRET_PASSWORD, cancellable,
                                   stamp_test_result_cb, &result);
  secret = stamp_secret_store_lookup_finish (store, stamp_test_wait_result (&result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);

  /* Cancelling says nothing about the keyring: no fallback. */
  g_assert_true (stamp_secret_store_is_persistent (store));
}

static void
test_no_plain_text (void)
{
  g_autoptr(StampSecretStore) store = stamp_secret_store_new ();
#ifndef STAMP_TEST_NO_KEYRING
  const char *keyring_dir = g_getenv ("STAMP_TEST_KEYRING_DIR");
  goffset size_before;

  g_assert_nonnull (keyring_dir);
  size_before = tree_size (keyring_dir);
#endif

  store_all_kinds (store, ACCOUNT, "disk");
  store_all_kinds (store, OTHER, "disk");
  assert_all_kinds (store, ACCOUNT, "disk");

  stamp_test_assert_user_dirs_lack (CANARY);

#ifndef STAMP_TEST_NO_KEYRING
  /* The keyring did write them (its file grew), encrypted with its
   * password, so not one is readable there. */
  g_assert_cmpint (tree_size (keyring_dir), >, size_before);
  g_assert_cmpuint (stamp_test_assert_tree_lacks (keyring_dir, CANARY), >, 0);
#endif

  clear_secrets (store, ACCOUNT);
  clear_secrets (store, OTHER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#ifndef STAMP_TEST_NO_KEYRING
  stamp_test_wait_for_keyring ();
#endif

  g_test_add_func ("/stamp/secret-store/kind-names", test_kind_names);
  g_test_add_func ("/stamp/secret-store/default", test_default_store);
  g_test_add_func ("/stamp/secret-store/round-trip", test_round_trip);
  g_test_add_func ("/stamp/secret-store/access-token-expiry", test_access_token_expiry);
  g_test_add_func ("/stamp/secret-store/replace", test_replace);
  g_test_add_func ("/stamp/secret-store/clear", test_clear);
  g_test_add_func ("/stamp/secret-store/lookup-missing", test_lookup_missing);
  g_test_add_func ("/stamp/secret-store/persistent", test_persistent);
  g_test_add_func ("/stamp/secret-store/cancelled", test_cancelled);
  g_test_add_func ("/stamp/secret-store/no-plain-text", test_no_plain_text);

  return g_test_run ();
}

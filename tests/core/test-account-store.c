/* test-account-store.c
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

/* The account file on a real (per-test, private) XDG config directory:
 * round trips, permissions, every kind of bad file, and concurrent saves. */

#define G_LOG_DOMAIN "test-account-store"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "stamp-account-store.h"
#include "stamp-error.h"

#define GOOD_ACCOUNT "{\"address\": \"alice@example.com\", \"host\": \"smtp.example.com\"}"

static StampAccount *
make_account (const char *address,
              const char *host)
{
  StampAccount *account = stamp_account_new (address);

  stamp_account_set_host (account, host);
  return account;
}

static void
add_account (StampAccountStore *store,
             const char        *address,
             const char        *host)
{
  g_autoptr(StampAccount) account = make_account (address, host);

  stamp_account_store_add (store, account);
}

/* A fresh folder under the private config dir for one case. */
static char *
case_path (const char *name)
{
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  return g_build_filename (folder, "accounts.json", NULL);
}

static void
write_bytes (const char *path,
             const char *contents,
             gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

/* The one file next to @path named “accounts.json.<kind>-…”, or NULL. */
static char *
find_aside (const char *path,
            const char *kind)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *prefix = g_strdup_printf ("accounts.json.%s-", kind);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  char *found = NULL;
  const char *name;

  g_assert_nonnull (dir);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, prefix))
        {
          g_assert_null (found);
          found = g_build_filename (folder, name, NULL);
        }
    }

  return found;
}

static void
assert_addresses (GListModel         *model,
                  const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_true (g_list_model_get_item_type (model) == STAMP_TYPE_ACCOUNT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampAccount) account = g_list_model_get_item (model, i);

      g_assert_cmpstr (stamp_account_get_address (account), ==, expected[i]);
    }

  g_assert_null (g_list_model_get_item (model, n));
}

static void
test_store_default_path (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autofree char *expected = NULL;
  g_autofree char *property = NULL;

  expected = g_build_filename (g_get_user_config_dir (), "stamp", "accounts.json", NULL);
  g_assert_cmpstr (stamp_account_store_get_path (store), ==, expected);

  g_object_get (store, "path", &property, NULL);
  g_assert_cmpstr (property, ==, expected);
}

static void
test_store_missing_file (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  /* Not even the folder exists yet. */
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (stamp_account_store_get_problem (store));
  g_assert_false (g_file_test (stamp_account_store_get_path (store), G_FILE_TEST_EXISTS));
}

static void
test_store_round_trip (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(StampAccountStore) again = stamp_account_store_new (NULL);
  g_autoptr(StampAccount) full = make_account ("Zoe@Contoso.onmicrosoft.com",
                                               "smtp.office365.com");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char * const sorted[] = {
    "bob@example.org", "mia@exämple.de", "Zoe@Contoso.onmicrosoft.com", NULL,
  };

  g_object_set (full,
                "display-name", "Zoë",
                "provider-id", "microsoft365",
                "auth-mechanism", STAMP_AUTH_XOAUTH2,
                "oauth-tenant", "contoso.onmicrosoft.com",
                "oauth-authority", "https://login.microsoftonline.com",
                NULL);
  stamp_account_store_add (store, full);
  add_account (store, "mia@exämple.de", "mail.exämple.de");
  add_account (store, "bob@example.org", "smtp.example.org");

  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);

  /* The file is pretty-printed JSON in the documented shape. */
  bytes = read_bytes (stamp_account_store_get_path (store));
  root = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "format"),
                   ==, STAMP_ACCOUNT_STORE_FORMAT);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (root), "accounts")), ==, 3);
  g_assert_nonnull (strchr (g_bytes_get_data (bytes, NULL), '\n'));

  g_assert_true (stamp_account_store_load (again, &error));
  g_assert_no_error (error);
  assert_addresses (G_LIST_MODEL (again), sorted);

  for (guint i = 0; sorted[i] != NULL; i++)
    {
      g_autoptr(JsonNode) a = stamp_account_to_json (stamp_account_store_lookup (store,
                                                                                 sorted[i]));
      g_autoptr(JsonNode) b = stamp_account_to_json (stamp_account_store_lookup (again,
                                                                                 sorted[i]));

      g_assert_true (json_node_equal (a, b));
    }
}

static ino_t
inode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_ino;
}

/* A save replaces the file whole (a new file renamed over the old one),
 * and a save that fails halfway leaves the old file as it was. The write
 * is made to fail with a file size limit, which holds for root too. */
static void
test_store_atomic_save (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(StampAccountStore) again = stamp_account_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  const char *path = stamp_account_store_get_path (store);
  struct rlimit saved, small;
  ino_t first;
  gboolean saved_ok;

  add_account (store, "alice@example.com", "smtp.example.com");
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
  first = inode_of (path);

  add_account (store, "bob@example.org", "smtp.example.org");
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (inode_of (path) != first);
  first = inode_of (path);
  before = read_bytes (path);

  /* Far more than the limit lets through. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *address = g_strdup_printf ("user%u@example.net", i);

      add_account (store, address, "smtp.example.net");
    }

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = saved;
  small.rlim_cur = g_bytes_get_size (before) + 64;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  saved_ok = stamp_account_store_save (store, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, SIG_DFL);

  g_assert_false (saved_ok);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (inode_of (path) == first);
  g_assert_true (stamp_account_store_load (again, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
}

static void
test_store_permissions (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (stamp_account_store_get_path (store));
  GStatBuf buf;

  add_account (store, "alice@example.com", "smtp.example.com");
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (folder, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (stamp_account_store_get_path (store), &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  /* A file someone made readable to all is private again after a save. */
  g_assert_cmpint (g_chmod (stamp_account_store_get_path (store), 0644), ==, 0);
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (stamp_account_store_get_path (store), &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

/* A corrupt file is moved aside byte for byte, the problem says where,
 * and the store goes on working. */
static void
check_corrupt_file (const char *name,
                    const char *contents,
                    gssize      len)
{
  g_autofree char *path = case_path (name);
  g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
  g_autoptr(StampAccountStore) again = stamp_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) aside_bytes = NULL;
  g_autofree char *aside = NULL;
  const char * const fresh[] = { "nina@example.com", NULL };

  g_test_message ("case: %s", name);

  write_bytes (path, contents, len);
  original = read_bytes (path);

  /* What the store held before is replaced by what could be read. */
  add_account (store, "old@example.com", "smtp.example.com");

  g_assert_false (stamp_account_store_load (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);
  g_assert_cmpstr (stamp_error_get_nick (error), ==, "account-file");
  g_test_message ("error: %s", error->message);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpstr (stamp_account_store_get_problem (store), ==, error->message);

  aside = find_aside (path, "unreadable");
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  aside_bytes = read_bytes (aside);
  g_assert_true (g_bytes_equal (original, aside_bytes));

  add_account (store, "nina@example.com", "smtp.example.com");
  g_clear_error (&error);
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_true (stamp_account_store_load (again, &error));
  g_assert_no_error (error);
  assert_addresses (G_LIST_MODEL (again), fresh);
  g_assert_null (stamp_account_store_get_problem (again));

  g_clear_pointer (&aside_bytes, g_bytes_unref);
  aside_bytes = read_bytes (aside);
  g_assert_true (g_bytes_equal (original, aside_bytes));

  /* A clean load clears the problem. */
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_null (stamp_account_store_get_problem (store));
}

static void
test_store_corrupt (void)
{
  static const char garbage[] = "\377\376\000\001garbage\200\201";
  static const struct
  {
    const char *name;
    const char *contents;
  } cases[] = {
    { "truncated", "{\"format\": 1, \"accounts\": [{\"address\": \"alice@exa" },
    { "array", "[]" },
    { "accounts-not-list", "{\"format\": 1, \"accounts\": 7}" },
    { "accounts-missing", "{\"format\": 1}" },
    { "format-missing", "{\"accounts\": [" GOOD_ACCOUNT "]}" },
    { "format-string", "{\"format\": \"1\", \"accounts\": []}" },
    { "format-zero", "{\"format\": 0, \"accounts\": []}" },
    { "empty", "" },
    { "text", "alice@example.com smtp.example.com\n" },
  };

  check_corrupt_file ("garbage", garbage, sizeof garbage - 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_corrupt_file (cases[i].name, cases[i].contents, -1);
}

/* Two bad files in the same second get two names: one never replaces the
 * other. */
static void
test_store_corrupt_twice (void)
{
  g_autofree char *path = case_path ("twice");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *bad = g_strdup_printf ("{\"format\": 1, \"accounts\": [%u", i);

      write_bytes (path, bad, -1);
      g_assert_false (stamp_account_store_load (store, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);
    }

  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *aside = g_build_filename (folder, name, NULL);
      char *text = NULL;

      if (!g_str_has_prefix (name, "accounts.json.unreadable-"))
        continue;

      g_assert_true (g_file_get_contents (aside, &text, NULL, NULL));
      g_ptr_array_add (contents, text);
    }

  g_assert_cmpuint (contents->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *bad = g_strdup_printf ("{\"format\": 1, \"accounts\": [%u", i);

      g_assert_true (g_ptr_array_find_with_equal_func (contents, bad, g_str_equal, NULL));
    }
}

/* A folder where the file should be cannot be read; it is moved aside
 * like a corrupt file. */
static void
test_store_unreadable (void)
{
  g_autofree char *path = case_path ("unreadable");
  g_autofree char *inside = g_build_filename (path, "keep.txt", NULL);
  g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *moved = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  write_bytes (inside, "precious", -1);

  g_assert_false (stamp_account_store_load (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);

  aside = find_aside (path, "unreadable");
  g_assert_nonnull (aside);
  moved = g_build_filename (aside, "keep.txt", NULL);
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));

  add_account (store, "alice@example.com", "smtp.example.com");
  g_clear_error (&error);
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
}

static void
test_store_newer_format (void)
{
  static const char newer[] =
    "{\"format\": 99, \"accounts\": {\"alice@example.com\": {\"servers\": [1, 2]}},\n"
    " \"profiles\": []}\n";
  g_autofree char *path = case_path ("newer");
  g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autofree char *aside = NULL;

  write_bytes (path, newer, -1);
  original = read_bytes (path);

  g_assert_false (stamp_account_store_load (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE_NEWER);
  g_assert_cmpstr (stamp_error_get_nick (error), ==, "account-file-newer");
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "newer version of Stamp"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpstr (stamp_account_store_get_problem (store), ==, error->message);
  g_assert_null (find_aside (path, "unreadable"));

  aside = find_aside (path, "newer-format");
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));

  add_account (store, "alice@example.com", "smtp.example.com");
  g_clear_error (&error);
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);

  kept = read_bytes (aside);
  g_assert_true (g_bytes_equal (original, kept));
}

static void
test_store_partial (void)
{
  static const char partial[] =
    "{\"format\": 1, \"accounts\": [\n"
    "  {\"address\": \"carol@example.com\", \"host\": \"smtp.example.com\"},\n"
    "  {\"address\": \"bob@example.com\", \"host\": \"smtp.example.com\", \"port\": 70000},\n"
    "  42,\n"
    "  {\"address\": \"alice@example.com\", \"host\": \"smtp.example.com\", \"x\": 1},\n"
    "  {\"address\": \"CAROL@EXAMPLE.COM\", \"host\": \"other.example.com\"},\n"
    "  {\"address\": \"dave@example.com\", \"host\": \"smtp.example.com\","
    " \"security\": \"ssl3\"}\n"
    "]}\n";
  g_autofree char *path = case_path ("partial");
  g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
  g_autoptr(StampAccountStore) again = stamp_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autofree char *aside = NULL;
  const char * const loaded[] = { "alice@example.com", "carol@example.com", NULL };
  const char * const named[] = {
    "entry 2 (bob@example.com)", "“port”", "entry 3:", "entry 5 (CAROL@EXAMPLE.COM)",
    "entry 6 (dave@example.com)", "“security”",
  };

  write_bytes (path, partial, -1);
  original = read_bytes (path);

  g_assert_false (stamp_account_store_load (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_SKIPPED);
  g_assert_cmpstr (stamp_error_get_nick (error), ==, "account-skipped");
  g_test_message ("error: %s", error->message);
  assert_addresses (G_LIST_MODEL (store), loaded);

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    g_assert_nonnull (strstr (error->message, named[i]));
  g_assert_null (strstr (error->message, "entry 1 "));
  g_assert_null (strstr (error->message, "entry 4 "));
  g_assert_cmpstr (stamp_account_store_get_problem (store), ==, error->message);

  /* The original stays until the next save; the copy is exact. */
  aside = find_aside (path, "partial");
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
  copy = read_bytes (aside);
  g_assert_true (g_bytes_equal (original, copy));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_clear_error (&error);
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (stamp_account_store_load (again, &error));
  g_assert_no_error (error);
  assert_addresses (G_LIST_MODEL (again), loaded);

  g_clear_pointer (&copy, g_bytes_unref);
  copy = read_bytes (aside);
  g_assert_true (g_bytes_equal (original, copy));
}

/* When the file cannot be moved or copied aside (here: the aside name
 * would be longer than a file name may be, which stops root too), it stays
 * in place and the store refuses to save over it. */
static void
test_store_cannot_set_aside (void)
{
  static const struct
  {
    const char *contents;
    int         code;
    guint       n_loaded;
  } cases[] = {
    { "{\"format\": 1, \"accounts\": [", STAMP_ERROR_ACCOUNT_FILE, 0 },
    { "{\"format\": 2, \"accounts\": []}", STAMP_ERROR_ACCOUNT_FILE_NEWER, 0 },
    { "{\"format\": 1, \"accounts\": [" GOOD_ACCOUNT ", {\"address\": \"bob\"}]}",
      STAMP_ERROR_ACCOUNT_SKIPPED, 1 },
  };
  g_autofree char *folder = g_build_filename (g_get_user_config_dir (), "long", NULL);
  g_autofree char *padding = g_strnfill (230, 'a');
  g_autofree char *name = g_strconcat (padding, ".json", NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) original = NULL;
      g_autoptr(GBytes) after = NULL;

      g_test_message ("case: %s", cases[i].contents);

      write_bytes (path, cases[i].contents, -1);
      original = read_bytes (path);

      g_assert_false (stamp_account_store_load (store, &error));
      g_assert_error (error, STAMP_ERROR, cases[i].code);
      g_test_message ("error: %s", error->message);
      g_assert_nonnull (strstr (error->message, "will not save over it"));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, cases[i].n_loaded);

      add_account (store, "nina@example.com", "smtp.example.com");
      g_clear_error (&error);
      g_assert_false (stamp_account_store_save (store, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);

      after = read_bytes (path);
      g_assert_true (g_bytes_equal (original, after));
    }

  /* Once the file is gone, the store saves again. */
  {
    g_autoptr(StampAccountStore) store = stamp_account_store_new (path);
    g_autoptr(GError) error = NULL;

    g_assert_false (stamp_account_store_load (store, NULL));
    g_assert_cmpint (g_unlink (path), ==, 0);
    g_assert_true (stamp_account_store_load (store, &error));
    g_assert_no_error (error);
    add_account (store, "nina@example.com", "smtp.example.com");
    g_assert_true (stamp_account_store_save (store, &error));
    g_assert_no_error (error);
  }
}

/* An account that does not validate is never written: the file must stay
 * one that loads again. */
static void
test_store_invalid_account (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  add_account (store, "alice@example.com", "smtp.example.com");
  add_account (store, "bob@example.com", NULL);

  g_assert_false (stamp_account_store_save (store, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "bob@example.com"));
  g_assert_false (g_file_test (stamp_account_store_get_path (store), G_FILE_TEST_EXISTS));
}

static void
test_store_add_replaces (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(StampAccount) first = make_account ("alice@example.com", "old.example.com");
  g_autoptr(StampAccount) second = make_account ("Alice@EXAMPLE.com", "new.example.com");
  StampAccount *found;

  stamp_account_store_add (store, first);
  stamp_account_store_add (store, second);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  found = stamp_account_store_lookup (store, "alice@example.com");
  g_assert_true (found == second);
  g_assert_cmpstr (stamp_account_get_host (found), ==, "new.example.com");

  /* The store let go of the replaced account. */
  g_assert_finalize_object (g_steal_pointer (&first));
}

static void
test_store_remove (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  const char * const left[] = { "carol@example.com", NULL };

  add_account (store, "alice@example.com", "smtp.example.com");
  add_account (store, "carol@example.com", "smtp.example.com");

  g_assert_true (stamp_account_store_remove (store, "ALICE@example.com"));
  g_assert_false (stamp_account_store_remove (store, "alice@example.com"));
  g_assert_false (stamp_account_store_remove (store, "nobody@example.com"));
  assert_addresses (G_LIST_MODEL (store), left);
}

static void
test_store_lookup (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  StampAccount *found;

  add_account (store, "Grace@Example.com", "smtp.example.com");
  add_account (store, "heidi@example.com", "smtp.example.com");

  found = stamp_account_store_lookup (store, "grace@example.COM");
  g_assert_nonnull (found);
  g_assert_cmpstr (stamp_account_get_address (found), ==, "Grace@Example.com");
  g_assert_nonnull (stamp_account_store_lookup (store, "HEIDI@EXAMPLE.COM"));
  g_assert_null (stamp_account_store_lookup (store, "grace@example.org"));
  g_assert_null (stamp_account_store_lookup (store, "grace"));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_items;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added, g_list_model_get_n_items (model) };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   position,
               guint   removed,
               guint   added,
               guint   n_items)
{
  Change *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  /* The model has already changed when the signal is emitted. */
  g_assert_cmpuint (change->n_items, ==, n_items);

  g_array_set_size (changes, 0);
}

static void
test_store_items_changed (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(StampAccount) b_again = make_account ("B@EXAMPLE.COM", "smtp.example.com");
  g_autoptr(GError) error = NULL;
  const char * const sorted[] = {
    "a@example.com", "B@EXAMPLE.COM", "c@example.com", "d@example.com", NULL,
  };
  const char * const after_remove[] = {
    "a@example.com", "B@EXAMPLE.COM", "d@example.com", NULL,
  };
  guint n_items_notified = 0;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (store, "notify::n-items", G_CALLBACK (count_notify_cb), &n_items_notified);

  add_account (store, "b@example.com", "smtp.example.com");
  assert_change (changes, 0, 0, 1, 1);
  add_account (store, "d@example.com", "smtp.example.com");
  assert_change (changes, 1, 0, 1, 2);
  add_account (store, "a@example.com", "smtp.example.com");
  assert_change (changes, 0, 0, 1, 3);
  add_account (store, "c@example.com", "smtp.example.com");
  assert_change (changes, 2, 0, 1, 4);
  g_assert_cmpuint (n_items_notified, ==, 4);

  stamp_account_store_add (store, b_again);
  assert_change (changes, 1, 1, 1, 4);
  stamp_account_store_add (store, b_again);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_items_notified, ==, 4);
  assert_addresses (G_LIST_MODEL (store), sorted);

  g_assert_true (stamp_account_store_remove (store, "C@example.com"));
  assert_change (changes, 2, 1, 0, 3);
  g_assert_false (stamp_account_store_remove (store, "zed@example.com"));
  g_assert_cmpuint (changes->len, ==, 0);
  assert_addresses (G_LIST_MODEL (store), after_remove);

  /* A load replaces the whole list at once. */
  g_assert_true (stamp_account_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_no_error (error);
  assert_change (changes, 0, 3, 3, 3);
  assert_addresses (G_LIST_MODEL (store), after_remove);
  g_assert_cmpuint (n_items_notified, ==, 5);

  g_assert_cmpint (g_unlink (stamp_account_store_get_path (store)), ==, 0);
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_no_error (error);
  assert_change (changes, 0, 3, 0, 0);

  /* Loading nothing into nothing changes nothing. */
  g_assert_true (stamp_account_store_load (store, &error));
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_items_notified, ==, 6);
}

#define N_SAVERS 8
#define N_ROUNDS 20

static gpointer
save_repeatedly (gpointer data)
{
  StampAccountStore *store = data;

  for (guint i = 0; i < N_ROUNDS; i++)
    {
      g_autoptr(GError) error = NULL;

      stamp_account_store_save (store, &error);
      g_assert_no_error (error);
    }

  return NULL;
}

/* Eight writers, each with different content of a different size, save
 * the same file over and over; what is left is exactly one of them. */
static void
test_store_concurrent_saves (void)
{
  g_autofree char *path = case_path ("concurrent");
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(StampAccountStore) reader = stamp_account_store_new (path);
  g_autoptr(GBytes) final = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  StampAccountStore *stores[N_SAVERS];
  GBytes *versions[N_SAVERS];
  GThread *threads[N_SAVERS];
  gboolean matched = FALSE;
  const char *name;

  for (guint i = 0; i < N_SAVERS; i++)
    {
      stores[i] = stamp_account_store_new (path);

      for (guint j = 0; j <= i * 10; j++)
        {
          g_autofree char *address = g_strdup_printf ("saver%u-%u@example.com", i, j);
          g_autofree char *display = g_strnfill (100 + i * 37, 'a' + i);
          g_autoptr(StampAccount) account = make_account (address, "smtp.example.com");

          stamp_account_set_display_name (account, display);
          stamp_account_store_add (stores[i], account);
        }

      /* What this writer's file looks like. */
      g_assert_true (stamp_account_store_save (stores[i], &error));
      g_assert_no_error (error);
      versions[i] = read_bytes (path);
    }

  for (guint i = 0; i < N_SAVERS; i++)
    threads[i] = g_thread_new ("saver", save_repeatedly, stores[i]);

  for (guint i = 0; i < N_SAVERS; i++)
    g_thread_join (threads[i]);

  final = read_bytes (path);
  for (guint i = 0; i < N_SAVERS; i++)
    matched |= g_bytes_equal (final, versions[i]);
  g_assert_true (matched);

  g_assert_true (stamp_account_store_load (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), >, 0);

  /* No temporary files are left behind. */
  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, "accounts.json") || g_str_equal (name, "accounts.json.lock"));

  for (guint i = 0; i < N_SAVERS; i++)
    {
      g_bytes_unref (versions[i]);
      g_assert_finalize_object (stores[i]);
    }
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  GError    *error;
  gboolean   ok;
  guint      n_items;
} AsyncData;

static void
async_data_clear (AsyncData *data)
{
  g_clear_error (&data->error);
  data->ok = FALSE;
  data->n_items = 0;
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncData *data = user_data;

  g_assert_true (g_thread_self () == data->main_thread);
  data->ok = stamp_account_store_save_finish (STAMP_ACCOUNT_STORE (object), result,
                                              &data->error);
  g_main_loop_quit (data->loop);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncData *data = user_data;

  g_assert_true (g_thread_self () == data->main_thread);
  /* The list is up to date before the caller hears of it. */
  data->n_items = g_list_model_get_n_items (G_LIST_MODEL (object));
  data->ok = stamp_account_store_load_finish (STAMP_ACCOUNT_STORE (object), result,
                                              &data->error);
  g_main_loop_quit (data->loop);
}

static void
main_thread_only_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     AsyncData  *data)
{
  g_assert_true (g_thread_self () == data->main_thread);
}

static void
test_store_async (void)
{
  g_autoptr(StampAccountStore) store = stamp_account_store_new (NULL);
  g_autoptr(StampAccountStore) again = stamp_account_store_new (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *aside = NULL;
  AsyncData data = { loop, g_thread_self (), NULL, FALSE, 0 };
  const char * const sorted[] = { "ivan@example.com", "judy@example.com", NULL };

  g_signal_connect (again, "items-changed", G_CALLBACK (main_thread_only_cb), &data);

  add_account (store, "judy@example.com", "smtp.example.com");
  add_account (store, "ivan@example.com", "smtp.example.com");

  stamp_account_store_save_async (store, NULL, save_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_no_error (data.error);
  g_assert_true (data.ok);

  stamp_account_store_load_async (again, NULL, load_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_no_error (data.error);
  g_assert_true (data.ok);
  g_assert_cmpuint (data.n_items, ==, 2);
  assert_addresses (G_LIST_MODEL (again), sorted);
  async_data_clear (&data);

  /* Cancelled before it starts: nothing is read, moved or written. */
  g_cancellable_cancel (cancellable);
  write_bytes (stamp_account_store_get_path (store), "{", -1);
  stamp_account_store_load_async (again, cancellable, load_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (data.ok);
  g_assert_cmpuint (data.n_items, ==, 2);
  g_assert_null (find_aside (stamp_account_store_get_path (store), "unreadable"));
  async_data_clear (&data);

  saved = read_bytes (stamp_account_store_get_path (store));
  stamp_account_store_save_async (store, cancellable, save_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (data.ok);
  after = read_bytes (stamp_account_store_get_path (store));
  g_assert_true (g_bytes_equal (saved, after));
  async_data_clear (&data);

  /* A bad file is handled as in a synchronous load. */
  stamp_account_store_load_async (again, NULL, load_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, STAMP_ERROR, STAMP_ERROR_ACCOUNT_FILE);
  g_assert_false (data.ok);
  g_assert_cmpuint (data.n_items, ==, 0);
  g_assert_cmpstr (stamp_account_store_get_problem (again), ==, data.error->message);
  aside = find_aside (stamp_account_store_get_path (store), "unreadable");
  g_assert_nonnull (aside);
  async_data_clear (&data);

  /* An invalid account fails the save at once, without writing. */
  add_account (store, "bad address@example.com", "smtp.example.com");
  stamp_account_store_save_async (store, NULL, save_done_cb, &data);
  g_main_loop_run (loop);
  g_assert_error (data.error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT);
  g_assert_false (g_file_test (stamp_account_store_get_path (store), G_FILE_TEST_EXISTS));
  async_data_clear (&data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/stamp/account-store/default-path", test_store_default_path);
  g_test_add_func ("/stamp/account-store/missing-file", test_store_missing_file);
  g_test_add_func ("/stamp/account-store/round-trip", test_store_round_trip);
  g_test_add_func ("/stamp/account-store/atomic-save", test_store_atomic_save);
  g_test_add_func ("/stamp/account-store/permissions", test_store_permissions);
  g_test_add_func ("/stamp/account-store/corrupt", test_store_corrupt);
  g_test_add_func ("/stamp/account-store/corrupt-twice", test_store_corrupt_twice);
  g_test_add_func ("/stamp/account-store/unreadable", test_store_unreadable);
  g_test_add_func ("/stamp/account-store/newer-format", test_store_newer_format);
  g_test_add_func ("/stamp/account-store/partial", test_store_partial);
  g_test_add_func ("/stamp/account-store/cannot-set-aside", test_store_cannot_set_aside);
  g_test_add_func ("/stamp/account-store/invalid-account", test_store_invalid_account);
  g_test_add_func ("/stamp/account-store/add-replaces", test_store_add_replaces);
  g_test_add_func ("/stamp/account-store/remove", test_store_remove);
  g_test_add_func ("/stamp/account-store/lookup", test_store_lookup);
  g_test_add_func ("/stamp/account-store/items-changed", test_store_items_changed);
  g_test_add_func ("/stamp/account-store/concurrent-saves", test_store_concurrent_saves);
  g_test_add_func ("/stamp/account-store/async", test_store_async);

  return g_test_run ();
}

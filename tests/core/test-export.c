/* test-export.c
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

/* The export interface itself, and the rules every target keeps: each
 * renders every account it says it can serve, and no secret appears
 * unless one was asked for, and then only in a private result. The
 * formats are checked target by target in tests/core/test-export-*.c. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-provider-db.h"
#include "stamp-test-export.h"
#include "stamp-test-server.h"

static const char * const cases[] = { "fastmail", "m365", "gmail", "custom", "relay" };

static void
test_list (void)
{
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (exporters);
  StampExportCategory last = STAMP_EXPORT_CATEGORY_WORDPRESS;

  g_assert_cmpuint (n, ==, 17);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);
      const char *id = stamp_exporter_get_id (exporter);

      g_assert_true (g_hash_table_add (ids, (gpointer) id));
      g_assert_true (stamp_exporter_lookup (id) == exporter);
      g_assert_cmpstr (stamp_exporter_get_title (exporter), !=, "");
      g_assert_cmpstr (stamp_exporter_get_description (exporter), !=, "");
      g_assert_cmpstr (stamp_exporter_get_title (exporter), !=, id);
      g_assert_cmpuint (stamp_exporter_get_auth (exporter), !=, 0);

      /* Grouped by category, in the dialog's order. */
      g_assert_cmpint (stamp_exporter_get_category (exporter), >=, last);
      last = stamp_exporter_get_category (exporter);
    }

  g_assert_null (stamp_exporter_lookup ("sendmail"));
  g_assert_cmpstr (stamp_export_category_get_title (STAMP_EXPORT_CATEGORY_DEVICE), ==,
                   "Printers and Scanners");
}

static void
test_context (void)
{
  g_autoptr(StampExportContext) m365 = stamp_test_export_context ("m365", FALSE);
  g_autoptr(StampExportContext) relay = stamp_test_export_context ("relay", FALSE);
  g_autoptr(StampExportContext) custom = stamp_test_export_context ("custom", FALSE);
  StampDeviceFeatures features = STAMP_DEVICE_OAUTH;

  g_assert_true (stamp_export_context_is_microsoft365 (m365));
  g_assert_false (stamp_export_context_is_microsoft365 (custom));
  g_assert_null (stamp_export_context_get_provider (custom));
  g_assert_cmpuint (stamp_export_context_get_auth (m365), ==, STAMP_EXPORT_AUTH_OAUTH);
  g_assert_cmpuint (stamp_export_context_get_auth (relay), ==, STAMP_EXPORT_AUTH_NONE);
  g_assert_cmpuint (stamp_export_context_get_auth (custom), ==, STAMP_EXPORT_AUTH_PASSWORD);

  g_assert_cmpstr (stamp_export_context_get_device_vendor (custom), ==, "generic");
  stamp_export_context_set_device_vendor (custom, "Konica-Minolta");
  g_assert_cmpstr (stamp_export_context_get_device_vendor (custom), ==, "konica-minolta");
  g_assert_false (stamp_export_context_get_device_features (custom, &features));
  g_assert_cmpuint (features, ==, 0);
  stamp_export_context_set_device_features (custom, 0);
  g_assert_true (stamp_export_context_get_device_features (custom, NULL));
  stamp_export_context_unset_device_features (custom);
  g_assert_false (stamp_export_context_get_device_features (custom, NULL));

  g_assert_cmpstr (stamp_export_context_get_token_command (custom), ==, "stamp-cli token");
  stamp_export_context_set_site_url (custom, "https://example.org//");
  g_assert_cmpstr (stamp_export_context_get_site_url (custom), ==, "https://example.org");
  stamp_export_context_set_site_url (custom, "");
  g_assert_null (stamp_export_context_get_site_url (custom));

  stamp_export_context_set_secret (custom, "");
  g_assert_null (stamp_export_context_get_secret (custom));
}

/* An account saved with only a host gets its provider from the host. */
static void
test_provider_from_host (void)
{
  g_autoptr(StampAccount) account = stamp_account_new ("scanner@fabrikam.example");
  g_autoptr(StampExportContext) context = NULL;

  stamp_account_set_host (account, "SMTP.Office365.com");
  context = stamp_export_context_new (account);
  g_assert_true (stamp_export_context_is_microsoft365 (context));
  g_assert_cmpstr (stamp_provider_get_id (stamp_export_context_get_provider (context)), ==,
                   "microsoft365");
}

/* A host on this computer or its network is nobody's server in
 * particular: 127.0.0.1 is in the provider database as Proton Mail
 * Bridge, but an account there with no provider is just a local server. */
static const struct
{
  const char *host;
  gboolean    loopback;
  gboolean    local;
} local_hosts[] = {
  { "127.0.0.1",              TRUE,  TRUE },
  { "127.1.2.3",              TRUE,  TRUE },
  { "::1",                    TRUE,  TRUE },
  { "[::1]",                  TRUE,  TRUE },
  { "::ffff:127.0.0.1",       TRUE,  TRUE },
  { "localhost",              TRUE,  TRUE },
  { "LOCALHOST.",             TRUE,  TRUE },
  { "mail.localhost",         TRUE,  TRUE },
  { "10.1.2.3",               FALSE, TRUE },
  { "172.16.0.25",            FALSE, TRUE },
  { "192.168.1.20",           FALSE, TRUE },
  { "169.254.10.1",           FALSE, TRUE },
  { "fe80::1",                FALSE, TRUE },
  { "fd12:3456::25",          FALSE, TRUE },
  { "[fd12:3456::25]",        FALSE, TRUE },
  { "::ffff:192.168.1.20",    FALSE, TRUE },
  { "172.32.0.1",             FALSE, FALSE },
  { "8.8.8.8",                FALSE, FALSE },
  { "2001:db8::25",           FALSE, FALSE },
  { "smtp.protonmail.ch",     FALSE, FALSE },
  { "localhost.example.org",  FALSE, FALSE },
  { "notlocalhost",           FALSE, FALSE },
  { "[127.0.0.1",             FALSE, FALSE },
};

static void
test_provider_from_local_host (void)
{
  StampProviderDb *db = stamp_provider_db_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (local_hosts); i++)
    {
      const char *host = local_hosts[i].host;
      g_autoptr(StampAccount) account = stamp_account_new ("me@proton.me");
      g_autoptr(StampExportContext) context = NULL;

      g_test_message ("%s", host);
      g_assert_cmpint (stamp_host_is_loopback (host), ==, local_hosts[i].loopback);
      g_assert_cmpint (stamp_host_is_local (host), ==, local_hosts[i].local);

      stamp_account_set_host (account, host);
      stamp_account_set_port (account, 1025);
      context = stamp_export_context_new (account);
      if (local_hosts[i].local)
        {
          g_assert_null (stamp_provider_db_lookup_host (db, host));
          g_assert_null (stamp_export_context_get_provider (context));
        }
    }

  /* The provider's public server is still recognised. */
  g_assert_cmpstr (stamp_provider_get_id (stamp_provider_db_lookup_host (db, "smtp.protonmail.ch")),
                   ==, "proton");
}

/* An account that says it is Proton Mail (Bridge) keeps its provider, and
 * its export keeps Proton's advice; the same host without the id gets none. */
static void
test_provider_id_kept_on_loopback (void)
{
  g_autoptr(StampAccount) bridge = stamp_account_new ("me@proton.me");
  g_autoptr(StampAccount) local = stamp_account_new ("me@proton.me");
  g_autoptr(StampExportContext) bridge_context = NULL;
  g_autoptr(StampExportContext) local_context = NULL;
  g_autoptr(StampExportResult) bridge_result = NULL;
  g_autoptr(StampExportResult) local_result = NULL;

  for (guint i = 0; i < 2; i++)
    {
      StampAccount *account = i == 0 ? bridge : local;

      stamp_account_set_host (account, "127.0.0.1");
      stamp_account_set_port (account, 1025);
      stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
      stamp_account_set_auth_mechanism (account, STAMP_AUTH_PLAIN);
    }
  stamp_account_set_provider_id (bridge, "proton");

  bridge_context = stamp_export_context_new (bridge);
  local_context = stamp_export_context_new (local);
  g_assert_cmpstr (stamp_provider_get_id (stamp_export_context_get_provider (bridge_context)),
                   ==, "proton");
  g_assert_null (stamp_export_context_get_provider (local_context));

  bridge_result = stamp_test_export_render ("printer", bridge_context);
  local_result = stamp_test_export_render ("printer", local_context);
  g_assert_nonnull (strstr (stamp_export_result_get_text (bridge_result), "Proton Mail"));
  g_assert_null (strstr (stamp_export_result_get_text (local_result), "Proton"));
}

/* Every target, every account, with and without the secret. */
static void
test_every_target (void)
{
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  guint n = g_list_model_get_n_items (exporters);
  guint rendered = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);

      for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
        for (int with_secret = 0; with_secret <= 1; with_secret++)
          {
            g_autoptr(StampExportContext) context = stamp_test_export_context (cases[c], with_secret);
            g_autoptr(StampExportResult) result = NULL;
            g_autoptr(GError) error = NULL;

            stamp_export_context_set_incoming_host (context, "imap.example.net");
            if (!stamp_exporter_can_serve (exporter, context, &error))
              {
                g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
                g_assert_cmpstr (error->message, !=, "");
                continue;
              }

            g_test_message ("%s for %s%s", stamp_exporter_get_id (exporter), cases[c],
                            with_secret ? " with the secret" : "");
            result = stamp_exporter_render (exporter, context, &error);
            g_assert_no_error (error);
            rendered++;

            g_assert_cmpuint (g_bytes_get_size (stamp_export_result_get_bytes (result)), >, 0);
            g_assert_true (stamp_exporter_get_is_binary (exporter)
                           == (stamp_export_result_get_text (result) == NULL));
            g_assert_null (strchr (stamp_export_result_get_file_name (result), '/'));
            g_assert_cmpstr (stamp_export_result_get_mime_type (result), !=, "");

            if (!with_secret || !stamp_exporter_can_include_secret (exporter, context))
              stamp_test_export_assert_no_canary (result);
            else if (!stamp_exporter_get_is_binary (exporter))
              stamp_test_export_assert_canary (result);
          }
    }

  /* Most targets serve most accounts. */
  g_assert_cmpuint (rendered, >, n * G_N_ELEMENTS (cases));
}

/* A target refuses a sign-in kind it cannot use, by name. */
static void
test_refuses_by_auth (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", FALSE);
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  guint n = g_list_model_get_n_items (exporters);
  guint refused = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);
      g_autoptr(GError) error = NULL;

      if ((stamp_exporter_get_auth (exporter) & STAMP_EXPORT_AUTH_OAUTH) != 0)
        continue;
      g_assert_false (stamp_exporter_can_serve (exporter, context, &error));
      g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
      g_test_message ("%s: %s", stamp_exporter_get_id (exporter), error->message);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_null (stamp_exporter_render (exporter, context, NULL));
      refused++;
    }

  g_assert_cmpuint (refused, >, 0);
}

static guint
mode_of (const char *path)
{
  struct stat info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return info.st_mode & 0777;
}

/* A private result replaces a readable file with one only its owner can
 * read; a plain one keeps the usual mode. */
static void
test_save_modes (void)
{
  g_autoptr(StampExportResult) result = stamp_export_result_new ("a.txt", "text/plain");
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "a.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  stamp_export_result_take_text (result, g_string_new ("plain\n"));
  g_assert_true (stamp_export_result_save (result, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (path) & 0044, !=, 0);  /* the umask's usual mode */

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  stamp_export_result_set_private (result, TRUE);
  stamp_export_result_take_text (result, g_string_new ("secret\n"));
  g_assert_true (stamp_export_result_save (result, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_cmpstr (contents, ==, "secret\n");
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  stamp_export_result_save_finish (STAMP_EXPORT_RESULT (object), result, error);
  g_main_context_wakeup (NULL);
  *(gboolean *) g_object_get_data (object, "done") = TRUE;
}

static void
test_save_async (void)
{
  g_autoptr(StampExportResult) result = stamp_export_result_new ("b.bin", "application/pdf");
  g_autofree char *path = g_build_filename (stamp_test_work_dir (), "b.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("%PDF-\0x", 7);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gboolean done = FALSE;
  gsize size;

  stamp_export_result_set_bytes (result, bytes);
  g_assert_null (stamp_export_result_get_text (result));
  g_assert_nonnull (stamp_export_result_get_notes (result));
  g_assert_null (stamp_export_result_get_notes (result)[0]);
  stamp_export_result_add_note (result, "a note");
  g_assert_cmpstr (stamp_export_result_get_notes (result)[0], ==, "a note");

  stamp_export_result_set_private (result, TRUE);
  g_object_set_data (G_OBJECT (result), "done", &done);
  stamp_export_result_save_async (result, file, NULL, save_cb, &error);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_file_get_contents (path, &contents, &size, &error);
  g_assert_cmpmem (contents, size, "%PDF-\0x", 7);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Without a keyring to ask and with nothing to look up, preparing is a
 * formality; a cancelled one says so. */
static void
test_prepare (void)
{
  g_autoptr(StampExportContext) context = stamp_test_export_context ("fastmail", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  StampExporter *exporter = stamp_exporter_lookup ("msmtp");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  stamp_exporter_prepare_async (exporter, context, NULL, NULL, prepare_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (stamp_exporter_prepare_finish (exporter, result, &error));
  g_assert_no_error (error);
  /* No keyring given: whatever secret the context had is dropped. */
  g_assert_null (stamp_export_context_get_secret (context));

  g_cancellable_cancel (cancellable);
  stamp_exporter_prepare_async (exporter, context, NULL, cancellable, prepare_cb, &cancelled);
  while (cancelled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stamp_exporter_prepare_finish (exporter, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* An account that sends through Microsoft Graph: the m365 account, set so. */
static StampExportContext *
graph_context (void)
{
  StampExportContext *context = stamp_test_export_context ("m365", FALSE);

  stamp_account_set_method (stamp_export_context_get_account (context), STAMP_SEND_METHOD_GRAPH);
  return context;
}

static gboolean
notes_contain (StampExportResult *result,
               const char        *words)
{
  const char * const *notes = stamp_export_result_get_notes (result);

  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    if (strstr (notes[i], words) != NULL)
      return TRUE;
  return FALSE;
}

/* The WordPress plugins with a Graph mailer fill it in; every other
 * target says it cannot use Graph, and what works instead. */
static const struct
{
  const char *exporter;
  const char *golden;  /* NULL: binary or not text enough to keep */
  gboolean    graph_mailer;
} graph_targets[] = {
  { "wp-mail-smtp", "wp-mail-smtp--m365-graph.php", TRUE },
  { "fluent-smtp", "fluent-smtp--m365-graph.php", TRUE },
  { "post-smtp", "post-smtp--m365-graph.php", TRUE },
  { "easy-wp-smtp", "easy-wp-smtp--m365-graph.php", TRUE },
  { "msmtp", "msmtp--m365-graph.msmtprc", FALSE },
  { "postfix", "postfix--m365-graph.cf", FALSE },
  { "git-send-email", "git-send-email--m365-graph.gitconfig", FALSE },
  { "nodemailer", "nodemailer--m365-graph.js", FALSE },
  { "phpmailer", "phpmailer--m365-graph.php", FALSE },
  { "python-smtplib", "python-smtplib--m365-graph.py", FALSE },
  { "mozilla-autoconfig", "mozilla-autoconfig--m365-graph.xml", FALSE },
};

static void
test_graph_account (void)
{
  g_autoptr(GListModel) exporters = stamp_exporter_list_all ();
  guint n = g_list_model_get_n_items (exporters);

  for (guint i = 0; i < G_N_ELEMENTS (graph_targets); i++)
    {
      g_autoptr(StampExportContext) context = graph_context ();
      g_autoptr(StampExportResult) result = NULL;
      const char *text;

      g_test_message ("%s", graph_targets[i].exporter);
      result = stamp_test_export_render (graph_targets[i].exporter, context);
      text = stamp_export_result_get_text (result);
      stamp_test_export_check_golden (result, graph_targets[i].golden);
      stamp_test_export_assert_no_canary (result);
      if (graph_targets[i].graph_mailer)
        {
          g_assert_nonnull (strstr (text, "Microsoft Graph"));
          g_assert_nonnull (strstr (text, "Mail.Send"));
          g_assert_nonnull (strstr (text, "https"));
          g_assert_false (notes_contain (result, "cannot send through Microsoft Graph"));
        }
      else
        {
          g_assert_nonnull (strstr (text, "sends through Microsoft Graph in Stamp"));
          g_assert_nonnull (strstr (text, "Stamp Relay"));
          g_assert_true (notes_contain (result, "cannot send through Microsoft Graph"));
          g_assert_true (notes_contain (result, "Stamp Relay"));
        }
    }

  /* Every target that serves the account says one or the other. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(StampExporter) exporter = g_list_model_get_item (exporters, i);
      g_autoptr(StampExportContext) context = graph_context ();
      g_autoptr(StampExportResult) result = NULL;
      g_autoptr(GError) error = NULL;

      if (!stamp_exporter_can_serve (exporter, context, &error))
        continue;
      result = stamp_exporter_render (exporter, context, &error);
      g_assert_no_error (error);
      g_test_message ("%s: notes", stamp_exporter_get_id (exporter));
      if (stamp_exporter_get_category (exporter) != STAMP_EXPORT_CATEGORY_WORDPRESS)
        g_assert_true (notes_contain (result, "cannot send through Microsoft Graph"));
      else
        g_assert_true (notes_contain (result, "Microsoft Graph"));
    }

  /* Not a word of it for an account that sends through SMTP. */
  {
    g_autoptr(StampExportContext) context = stamp_test_export_context ("m365", FALSE);
    g_autoptr(StampExportResult) result = stamp_test_export_render ("msmtp", context);

    g_assert_null (strstr (stamp_export_result_get_text (result), "Microsoft Graph"));
    g_assert_false (notes_contain (result, "Microsoft Graph"));
  }
}

/* A device that sends through Stamp Relay reaches Graph through it. */
static void
test_graph_account_relay (void)
{
  g_autoptr(StampExportContext) context = graph_context ();
  g_autoptr(StampExportResult) result = NULL;
  StampExportRelay relay = { "192.168.1.20", 2525, TRUE, "front-desk", NULL };

  stamp_export_context_set_device_vendor (context, "brother");
  stamp_export_context_set_relay (context, &relay);
  result = stamp_test_export_render ("printer", context);
  g_assert_true (notes_contain (result, "Stamp Relay sends this device’s mail through Microsoft "
                                        "Graph"));
  g_assert_false (notes_contain (result, "cannot send through Microsoft Graph"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stamp/export/list", test_list);
  g_test_add_func ("/stamp/export/context", test_context);
  g_test_add_func ("/stamp/export/provider-from-host", test_provider_from_host);
  g_test_add_func ("/stamp/export/provider-from-host/local", test_provider_from_local_host);
  g_test_add_func ("/stamp/export/provider-from-host/id-kept", test_provider_id_kept_on_loopback);
  g_test_add_func ("/stamp/export/every-target", test_every_target);
  g_test_add_func ("/stamp/export/refuses-by-auth", test_refuses_by_auth);
  g_test_add_func ("/stamp/export/save-modes", test_save_modes);
  g_test_add_func ("/stamp/export/save-async", test_save_async);
  g_test_add_func ("/stamp/export/prepare", test_prepare);
  g_test_add_func ("/stamp/export/graph-account", test_graph_account);
  g_test_add_func ("/stamp/export/graph-account/relay", test_graph_account_relay);

  return g_test_run ();
}

/* test-export-device.c
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

#define G_LOG_DOMAIN "test-export-device"

#include "config.h"

#include <string.h>

#include "stamp-device-guide.h"
#include "stamp-device-sheet.h"
#include "stamp-device-vendors.h"
#include "stamp-error.h"
#include "stamp-test-export.h"
#include "stamp-test-resolver.h"
#include "stamp-test-server.h"

/* The printer and scanner sheets: the path the guide picks for each kind
 * of device, every vendor's labels (golden files), the PDF read back by
 * poppler, the tenant MX host through a table resolver, and the secret. */

static StampTestResolver *resolver;

/* A context for @case_name with a device of @vendor that can do @can
 * (the CLI's --device-can list), or whose abilities are unknown (NULL). */
static StampExportContext *
device_context (const char *case_name,
                const char *vendor,
                const char *can,
                gboolean    with_secret)
{
  StampExportContext *context = stamp_test_export_context (case_name, with_secret);

  stamp_export_context_set_device_vendor (context, vendor);
  if (can != NULL)
    {
      StampDeviceFeatures features = 0;

      if (strstr (can, "oauth") != NULL)
        features |= STAMP_DEVICE_OAUTH;
      if (strstr (can, "tls1.2") != NULL)
        features |= STAMP_DEVICE_TLS_1_2;
      if (strstr (can, "starttls") != NULL)
        features |= STAMP_DEVICE_STARTTLS;
      if (strstr (can, "password") != NULL)
        features |= STAMP_DEVICE_PASSWORD;
      stamp_export_context_set_device_features (context, features);
    }
  return context;
}

static char *
run_capture (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_steal_pointer (&out);
}

/* Whether @needle is in @text, however the sheet wrapped its lines. */
static gboolean
contains (const char *text,
          const char *needle)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *flat_text = g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
  g_autofree char *flat_needle = g_regex_replace_literal (space, needle, -1, 0, " ", 0, NULL);

  return strstr (flat_text, flat_needle) != NULL;
}

static gboolean
guide_offers (StampDeviceGuide *guide,
              StampDevicePath   path)
{
  for (guint i = 0; i < guide->others->len; i++)
    if (((StampDeviceOption *) g_ptr_array_index (guide->others, i))->path == path)
      return TRUE;
  return FALSE;
}

static StampDeviceGuide *
new_guide (StampExportContext *context)
{
  g_autoptr(GError) error = NULL;
  StampDeviceGuide *guide = stamp_device_guide_new (context, &error);

  g_assert_no_error (error);
  g_assert_nonnull (guide);
  return guide;
}

static void
test_vendors (void)
{
  g_autofree char *ids = stamp_device_vendor_list_ids ();
  const char *expected[] = { "hp", "brother", "canon", "ricoh", "xerox", "kyocera",
                             "konica-minolta", "sharp", "epson", "lexmark", "generic" };

  g_assert_cmpuint (stamp_device_vendor_get_n_vendors (), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const StampDeviceVendor *vendor = stamp_device_vendor_get_nth (i);

      g_assert_cmpstr (vendor->id, ==, expected[i]);
      g_assert_true (stamp_device_vendor_lookup (expected[i]) == vendor);
      g_assert_nonnull (stamp_device_vendor_find_label (vendor, STAMP_DEVICE_FIELD_SERVER));
      g_assert_nonnull (stamp_device_vendor_find_label (vendor, STAMP_DEVICE_FIELD_PORT));
      g_assert_nonnull (stamp_device_vendor_find_label (vendor, STAMP_DEVICE_FIELD_SECURITY));
      g_assert_nonnull (stamp_device_vendor_find_label (vendor, STAMP_DEVICE_FIELD_PASSWORD));
      g_assert_nonnull (stamp_device_vendor_find_label (vendor, STAMP_DEVICE_FIELD_SENDER));
    }
  g_assert_cmpstr (ids, ==, "hp, brother, canon, ricoh, xerox, kyocera, konica-minolta, sharp, "
                            "epson, lexmark, generic");
  g_assert_null (stamp_device_vendor_lookup ("dymo"));
}

static void
test_unknown_vendor (void)
{
  g_autoptr(StampExportContext) context = device_context ("m365", "dymo", NULL, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_false (stamp_exporter_can_serve (stamp_exporter_lookup ("printer"), context, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "dymo"));
  g_assert_nonnull (strstr (error->message, "hp, brother, canon"));
  g_clear_error (&error);

  g_assert_null (stamp_exporter_render (stamp_exporter_lookup ("printer-pdf"), context, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
}

/* Every path, picked from what the device can do. */
static void
test_decisions (void)
{
  struct {
    const char      *account;
    const char      *can;
    StampDevicePath  path;
    const char      *host;
    guint16          port;
    StampSecurity    security;
    const char      *vendor;
  } cases[] = {
    { "m365", NULL, STAMP_DEVICE_PATH_SUBMISSION_OAUTH, "smtp.office365.com", 587, STAMP_SECURITY_STARTTLS },
    { "m365", "oauth,tls1.2,starttls", STAMP_DEVICE_PATH_SUBMISSION_OAUTH, "smtp.office365.com", 587, STAMP_SECURITY_STARTTLS },
    { "m365", "tls1.2,starttls,password", STAMP_DEVICE_PATH_RELAY_CONNECTOR, "contoso-com.mail.protection.outlook.com", 25, STAMP_SECURITY_STARTTLS },
    { "m365", "none", STAMP_DEVICE_PATH_RELAY_CONNECTOR, "contoso-com.mail.protection.outlook.com", 25, STAMP_SECURITY_NONE },
    { "m365", "starttls,password", STAMP_DEVICE_PATH_RELAY_CONNECTOR, "contoso-com.mail.protection.outlook.com", 25, STAMP_SECURITY_NONE },
    { "relay", NULL, STAMP_DEVICE_PATH_RELAY_CONNECTOR, "contoso-com.mail.protection.outlook.com", 25, STAMP_SECURITY_STARTTLS },
    { "relay", "oauth,tls1.2,starttls", STAMP_DEVICE_PATH_RELAY_CONNECTOR, "contoso-com.mail.protection.outlook.com", 25, STAMP_SECURITY_STARTTLS },
    { "fastmail", NULL, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.fastmail.com", 465, STAMP_SECURITY_TLS },
    { "fastmail", "tls1.2,starttls,password", STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.fastmail.com", 465, STAMP_SECURITY_TLS },
    { "fastmail", "none", STAMP_DEVICE_PATH_LOCAL_RELAY, NULL, 25, STAMP_SECURITY_NONE },
    { "fastmail", "starttls,password", STAMP_DEVICE_PATH_LOCAL_RELAY, NULL, 25, STAMP_SECURITY_NONE },
    { "custom", NULL, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.example.org", 587, STAMP_SECURITY_STARTTLS },
    /* STARTTLS-only server, device without STARTTLS, no other endpoint. */
    { "custom", "tls1.2,password", STAMP_DEVICE_PATH_LOCAL_RELAY, NULL, 25, STAMP_SECURITY_NONE },
    { "gmail", NULL, STAMP_DEVICE_PATH_SUBMISSION_OAUTH, "smtp.gmail.com", 587, STAMP_SECURITY_STARTTLS },
    { "gmail", "tls1.2,starttls,password", STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.gmail.com", 587, STAMP_SECURITY_STARTTLS },
    /* Canon's form has no TLS from the first byte, which Fastmail needs. */
    { "fastmail", NULL, STAMP_DEVICE_PATH_LOCAL_RELAY, NULL, 25, STAMP_SECURITY_NONE, "canon" },
    { "custom", NULL, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.example.org", 587, STAMP_SECURITY_STARTTLS, "canon" },
    /* HP's checkbox does both; the port decides. */
    { "fastmail", NULL, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD, "smtp.fastmail.com", 465, STAMP_SECURITY_TLS, "hp" },
  };


  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(StampExportContext) context = device_context (cases[i].account,
                                                              cases[i].vendor != NULL
                                                              ? cases[i].vendor : "brother",
                                                              cases[i].can, FALSE);
      g_autoptr(StampDeviceGuide) guide = new_guide (context);

      g_test_message ("%s, %s device can %s", cases[i].account, cases[i].vendor, cases[i].can);
      g_assert_cmpint (guide->path, ==, cases[i].path);
      g_assert_cmpstr (guide->host, ==, cases[i].host);
      g_assert_cmpuint (guide->port, ==, cases[i].port);
      g_assert_cmpint (guide->security, ==, cases[i].security);
      g_assert_false (guide->prints_secret);
      g_assert_nonnull (guide->why);
      g_assert_cmpuint (guide->checks->len, >, 0);
      for (guint j = 0; j < guide->others->len; j++)
        g_assert_cmpint (((StampDeviceOption *) g_ptr_array_index (guide->others, j))->path, !=,
                         guide->path);
    }
}

/* Abilities unknown: every other path is listed with when it applies. */
static void
test_unknown_lists_every_path (void)
{
  g_autoptr(StampExportContext) m365 = device_context ("m365", "hp", NULL, FALSE);
  g_autoptr(StampExportContext) fastmail = device_context ("fastmail", "hp", NULL, FALSE);
  g_autoptr(StampExportContext) known = device_context ("m365", "hp", "oauth,tls1.2,starttls",
                                                        FALSE);
  g_autoptr(StampDeviceGuide) guide = new_guide (m365);
  g_autoptr(StampDeviceGuide) other = new_guide (fastmail);
  g_autoptr(StampDeviceGuide) oauth = new_guide (known);

  g_assert_cmpuint (guide->others->len, ==, 4);
  g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD));
  g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_RELAY_CONNECTOR));
  g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_DIRECT_SEND));
  g_assert_true (guide_offers (guide, STAMP_DEVICE_PATH_LOCAL_RELAY));

  /* No relay connector or Direct Send outside Microsoft 365. */
  g_assert_false (guide_offers (other, STAMP_DEVICE_PATH_RELAY_CONNECTOR));
  g_assert_false (guide_offers (other, STAMP_DEVICE_PATH_DIRECT_SEND));
  g_assert_true (guide_offers (other, STAMP_DEVICE_PATH_LOCAL_RELAY));

  /* A device known to have no password sign-in is not told about it. */
  g_assert_false (guide_offers (oauth, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD));
  g_assert_true (guide_offers (oauth, STAMP_DEVICE_PATH_DIRECT_SEND));
}

static void
test_golden_vendor (gconstpointer data)
{
  const char *vendor = data;
  g_autoptr(StampExportContext) context = device_context ("m365", vendor, NULL, FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer", context);
  g_autofree char *golden = g_strdup_printf ("printer--m365-%s.txt", vendor);
  g_autofree char *file_name = g_strdup_printf ("scan-to-email-%s.txt", vendor);
  const char *text = stamp_export_result_get_text (result);

  g_assert_cmpstr (stamp_export_result_get_file_name (result), ==, file_name);
  g_assert_cmpstr (stamp_export_result_get_mime_type (result), ==, "text/plain");
  g_assert_false (stamp_export_result_get_private (result));
  g_assert_true (contains (text, "contoso-com.mail.protection.outlook.com (found in DNS)"));
  g_assert_true (contains (text, "Port 465 usually fails with Microsoft 365"));
  stamp_test_export_check_golden (result, golden);
}

typedef struct
{
  const char *golden;
  const char *account;
  const char *vendor;
  const char *can;
  const char *expect[4];
} SheetCase;

static const SheetCase sheet_cases[] = {
  { "printer--m365-oauth-epson.txt", "m365", "epson", "oauth,tls1.2,starttls",
    { "“OAuth2”", "Microsoft Exchange Online", "smtp.office365.com", "Authenticated SMTP" } },
  { "printer--m365-password-hp.txt", "m365", "hp", "tls1.2,starttls,password",
    { "end of December 2026", "Your organization's email server", "ticked (on): with port 25 it means",
      "RejectDirectSend" } },
  { "printer--m365-port25-brother.txt", "m365", "brother", "none",
    { "Microsoft 365 relay connector", "“None”", "unencrypted", "A relay on your network" } },
  { "printer--fastmail-brother.txt", "fastmail", "brother", "tls1.2,starttls,password",
    { "“SSL” (TLS from the first byte); not “TLS”, which is STARTTLS", "465",
      "(your app password — not printed)", "bob@fastmail.com" } },
  { "printer--fastmail-canon.txt", "fastmail", "canon", "tls1.2,starttls,password",
    { "smtp.fastmail.com takes mail only with TLS from the first byte, which your Canon does not "
      "offer", "A relay on your network", NULL } },
  { "printer--fastmail-xerox-port25.txt", "fastmail", "xerox", "none",
    { "your relay’s address on your network", "stamp-cli export postfix", NULL } },
  { "printer--relay-ricoh.txt", "relay", "ricoh", NULL,
    { "set up as a relay", "“STARTTLS”; not “On”, which is TLS from the first byte", "scanner@contoso.com", NULL } },
  { "printer--gmail-lexmark.txt", "gmail", "lexmark", "tls1.2,starttls,password",
    { "app password", "“Use Device SMTP Credentials”", "not confirmed for this make", NULL } },
  { "printer--custom-kyocera.txt", "custom", "kyocera", NULL,
    { "“STARTTLS”; not “SSL/TLS”", "(your password — not printed)", NULL } },
};

static void
test_golden_case (gconstpointer data)
{
  const SheetCase *sheet = data;
  g_autoptr(StampExportContext) context = device_context (sheet->account, sheet->vendor,
                                                          sheet->can, FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer", context);
  const char *text = stamp_export_result_get_text (result);

  stamp_test_export_check_golden (result, sheet->golden);
  stamp_test_export_assert_no_canary (result);
  for (guint i = 0; i < G_N_ELEMENTS (sheet->expect) && sheet->expect[i] != NULL; i++)
    if (!contains (text, sheet->expect[i]))
      g_error ("%s lacks “%s”:\n%s", sheet->golden, sheet->expect[i], text);
}

static char *
pdf_text (StampExportResult *result,
          const char        *name)
{
  g_autofree char *path = stamp_test_export_save (result, name);
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  return run_capture (argv);
}

/* Renders, saves and counts the pages; with @rasterise, renders it with
 * poppler too. Returns the PDF's text. */
static char *
check_pdf (StampExportContext *context,
           const char         *name,
           gboolean            rasterise)
{
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer-pdf", context);
  g_autofree char *path = stamp_test_export_save (result, name);
  g_autofree char *png = g_build_filename (stamp_test_work_dir (), name, NULL);
  g_autofree char *info = NULL;
  g_autoptr(GRegex) pages = g_regex_new ("^Pages:\\s+1$", G_REGEX_MULTILINE, 0, NULL);
  GBytes *bytes = stamp_export_result_get_bytes (result);
  const char *info_argv[] = { "pdfinfo", path, NULL };
  const char *ppm_argv[] = { "pdftoppm", "-png", "-r", "60", "-singlefile", path, png, NULL };
  const char *text_argv[] = { "pdftotext", "-layout", path, "-", NULL };

  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
  g_assert_cmpint (memcmp (g_bytes_get_data (bytes, NULL), "%PDF", 4), ==, 0);
  g_assert_cmpstr (stamp_export_result_get_mime_type (result), ==, "application/pdf");
  g_assert_null (stamp_export_result_get_text (result));

  info = run_capture (info_argv);
  if (!g_regex_match (pages, info, 0, NULL))
    g_error ("%s is not one page:\n%s", name, info);
  g_assert_true (contains (info, "Scan to email"));
  g_assert_true (contains (info, "(A4)"));

  if (rasterise)
    stamp_test_export_run_tool (ppm_argv, NULL);
  return run_capture (text_argv);
}

static void
test_pdf (void)
{
  g_autoptr(StampExportContext) context = device_context ("m365", "brother", "none", FALSE);
  g_autoptr(StampExportResult) result = stamp_test_export_render ("printer-pdf", context);
  g_autofree char *text = check_pdf (context, "sheet.pdf", TRUE);

  g_assert_cmpstr (stamp_export_result_get_file_name (result), ==, "scan-to-email-brother.pdf");
  g_assert_false (stamp_export_result_get_private (result));
  g_assert_true (contains (text, "Scan to email: Brother"));
  g_assert_true (contains (text, "contoso-com.mail.protection.outlook.com"));
  g_assert_true (contains (text, "After saving"));
}

/* Every vendor and every kind of device fits on one page, to the end. */
static void
test_pdf_every_case (void)
{
  struct {
    const char *account;
    const char *can;
  } cases[] = {
    { "m365", NULL },  /* the longest, with a guessed MX host below */
    { "m365", "oauth,tls1.2,starttls" },
    { "m365", "tls1.2,starttls,password" },
    { "m365", "none" },
    { "relay", NULL },
    { "fastmail", "tls1.2,starttls,password" },
    { "fastmail", "none" },
    { "gmail", NULL },
    { "custom", NULL },
  };

  for (guint v = 0; v < stamp_device_vendor_get_n_vendors (); v++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *vendor = stamp_device_vendor_get_nth (v)->id;
        g_autoptr(StampExportContext) context = device_context (cases[i].account, vendor,
                                                                cases[i].can, FALSE);
        g_autofree char *name = g_strdup_printf ("%s-%s-%u.pdf", vendor, cases[i].account, i);
        g_autofree char *text = NULL;

        if (i == 0)
          stamp_export_context_set_tenant_mx (context, "contoso-com.mail.protection.outlook.com",
                                              TRUE);
        /* Rasterise the longest sheet of each make. */
        text = check_pdf (context, name, i == 0);
        if (!contains (text, "Made by Stamp"))
          g_error ("%s was cut short:\n%s", name, text);
      }
}

/* The app's Print button draws on whatever page the printer has: a long
 * sheet on a small page is scaled to fit, and ink reaches its lower part. */
static void
test_draw_any_page (void)
{
  struct {
    double width;
    double height;
  } pages[] = { { 612, 792 }, { 298, 420 }, { 420, 298 } };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(StampExportContext) context = device_context ("m365", "hp", NULL, FALSE);
      g_autoptr(GError) error = NULL;
      cairo_surface_t *surface;
      cairo_t *cr;
      guint inked = 0;
      int stride;
      guchar *data;

      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, pages[i].width, pages[i].height);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      g_assert_true (stamp_device_sheet_draw (context, cr, pages[i].width, pages[i].height,
                                              &error));
      g_assert_no_error (error);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_flush (surface);

      /* Something is drawn in the lowest fifth, above the margin. */
      data = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      for (int y = pages[i].height * 0.8; y < pages[i].height * 0.94; y++)
        for (int x = 0; x < pages[i].width; x++)
          if ((((guint32 *) (data + y * stride))[x] & 0xffffff) != 0xffffff)
            inked++;
      g_assert_cmpuint (inked, >, 0);

      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

static void
test_draw_unknown_vendor (void)
{
  g_autoptr(StampExportContext) context = device_context ("m365", "dymo", NULL, FALSE);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 100, 100);
  cairo_t *cr = cairo_create (surface);

  g_assert_false (stamp_device_sheet_draw (context, cr, 100, 100, &error));
  g_assert_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
prepare (StampExporter      *exporter,
         StampExportContext *context)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stamp_exporter_prepare_async (exporter, context, NULL, NULL, prepare_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (stamp_exporter_prepare_finish (exporter, result, &error));
  g_assert_no_error (error);
}

static void
test_mx_found (void)
{
  StampExporter *exporter = stamp_exporter_lookup ("printer");
  g_autoptr(StampExportContext) context = device_context ("m365", "xerox", "none", FALSE);
  g_autoptr(StampExportResult) result = NULL;
  const char *text;
  gboolean guessed = TRUE;

  stamp_export_context_set_tenant_mx (context, NULL, FALSE);
  stamp_test_resolver_add_mx (resolver, "contoso.com", 20, "mx.filter.test");
  stamp_test_resolver_add_mx (resolver, "contoso.com", 10, "contoso-com.o-v1.mx.microsoft");
  prepare (exporter, context);

  g_assert_true (stamp_test_resolver_was_asked (resolver, "contoso.com"));
  g_assert_cmpstr (stamp_export_context_get_tenant_mx (context, &guessed), ==,
                   "contoso-com.o-v1.mx.microsoft");
  g_assert_false (guessed);

  result = stamp_test_export_render ("printer", context);
  text = stamp_export_result_get_text (result);
  g_assert_true (contains (text, "contoso-com.o-v1.mx.microsoft (found in DNS)"));
  g_assert_false (contains (text, "GUESSED"));
  g_assert_false (contains (text, "guessed"));
}

/* A Microsoft 365 mailbox at @domain, whose tenant MX nobody looked up. */
static StampExportContext *
unresolved_context_in (const char *address,
                       const char *provider_id,
                       const char *host)
{
  g_autoptr(StampAccount) account = stamp_account_new (address);
  StampExportContext *context;

  stamp_account_set_provider_id (account, provider_id);
  stamp_account_set_host (account, host);
  stamp_account_set_port (account, 587);
  stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
  stamp_account_set_auth_mechanism (account, STAMP_AUTH_XOAUTH2);
  context = stamp_export_context_new (account);
  stamp_export_context_set_device_vendor (context, "xerox");
  stamp_export_context_set_device_features (context, 0);
  return context;
}

static StampExportContext *
unresolved_context (const char *address)
{
  return unresolved_context_in (address, "microsoft365", "smtp.office365.com");
}

static void
test_mx_guessed (void)
{
  g_autoptr(StampExportContext) context = unresolved_context ("alice@filtered.test");
  g_autoptr(StampExportContext) no_mx = unresolved_context ("bob@no-mx.test");
  g_autoptr(StampExportResult) result = NULL;
  g_autofree char *text = NULL;
  const char *sheet;
  gboolean guessed = FALSE;

  /* Mail that goes through a filtering service first: its MX is not a
   * relay target, so the host is guessed and the sheet says so. */
  stamp_test_resolver_add_mx (resolver, "filtered.test", 10, "mx1.filter.test");
  prepare (stamp_exporter_lookup ("printer-pdf"), context);

  g_assert_cmpstr (stamp_export_context_get_tenant_mx (context, &guessed), ==,
                   "filtered-test.mail.protection.outlook.com");
  g_assert_true (guessed);

  result = stamp_test_export_render ("printer", context);
  sheet = stamp_export_result_get_text (result);
  g_assert_true (contains (sheet, "filtered-test.mail.protection.outlook.com"));
  g_assert_true (contains (sheet, "(GUESSED:"));
  g_assert_true (contains (sheet, "guessed, because DNS did not show"));
  stamp_test_export_check_golden (result, "printer--m365-guessed-xerox.txt");

  text = check_pdf (context, "guessed.pdf", TRUE);
  g_assert_true (contains (text, "GUESSED"));
  g_assert_true (contains (text, "guessed, because DNS"));

  /* No MX record at all: guessed too. */
  prepare (stamp_exporter_lookup ("printer"), no_mx);
  g_assert_cmpstr (stamp_export_context_get_tenant_mx (no_mx, &guessed), ==,
                   "no-mx-test.mail.protection.outlook.com");
  g_assert_true (guessed);
}

/* Each cloud guesses its own front door. */
static void
test_mx_guessed_clouds (void)
{
  g_autoptr(StampExportContext) usgov =
    unresolved_context_in ("carl@agency.test", "microsoft365-usgov", "smtp.office365.us");
  g_autoptr(StampExportContext) china =
    unresolved_context_in ("dai@company.test", "microsoft365-china", "smtp.partner.outlook.cn");
  gboolean guessed = FALSE;

  prepare (stamp_exporter_lookup ("printer"), usgov);
  g_assert_cmpstr (stamp_export_context_get_tenant_mx (usgov, &guessed), ==,
                   "agency-test.mail.protection.office365.us");
  g_assert_true (guessed);

  prepare (stamp_exporter_lookup ("printer"), china);
  g_assert_cmpstr (stamp_export_context_get_tenant_mx (china, &guessed), ==,
                   "company-test.mail.protection.partner.outlook.cn");
  g_assert_true (guessed);
}

static void
test_secret_left_out (void)
{
  const char *vendors[] = { "brother", "generic" };

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    {
      g_autoptr(StampExportContext) context = device_context ("fastmail", vendors[i],
                                                              "tls1.2,starttls,password", FALSE);
      g_autoptr(StampExportResult) text = stamp_test_export_render ("printer", context);
      g_autoptr(StampExportResult) pdf = stamp_test_export_render ("printer-pdf", context);
      g_autofree char *pdf_words = pdf_text (pdf, "no-secret.pdf");

      stamp_test_export_assert_no_canary (text);
      g_assert_false (stamp_export_result_get_private (text));
      g_assert_false (stamp_export_result_get_private (pdf));
      g_assert_nonnull (strstr (stamp_export_result_get_text (text), "not printed"));
      g_assert_false (contains (pdf_words, "CANARY"));
      g_assert_true (contains (pdf_words, "not printed"));
    }
}

static void
test_secret_included (void)
{
  g_autoptr(StampExportContext) context = device_context ("fastmail", "brother",
                                                          "tls1.2,starttls,password", TRUE);
  g_autoptr(StampExportResult) text = stamp_test_export_render ("printer", context);
  g_autoptr(StampExportResult) pdf = stamp_test_export_render ("printer-pdf", context);
  g_autofree char *text_path = stamp_test_export_save (text, "with-secret.txt");
  g_autofree char *pdf_words = pdf_text (pdf, "with-secret.pdf");

  stamp_test_export_assert_canary (text);
  g_assert_nonnull (strstr (stamp_export_result_get_text (text), STAMP_TEST_EXPORT_CANARY));
  g_assert_nonnull (stamp_export_result_get_notes (text)[0]);
  g_assert_true (stamp_export_result_get_private (pdf));
  g_assert_true (contains (pdf_words, "CANARY-pw-7f3a9c"));
}

/* An OAuth refresh token, or a relay's lack of any secret, never reaches
 * the sheet: a device cannot use them. */
static void
test_secret_never_for_oauth (void)
{
  const char *accounts[] = { "m365", "gmail", "relay" };

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(StampExportContext) unknown = device_context (accounts[i], "epson", NULL, TRUE);
      g_autoptr(StampExportContext) password = device_context (accounts[i], "epson",
                                                               "tls1.2,starttls,password", TRUE);
      g_autoptr(StampExportResult) a = stamp_test_export_render ("printer", unknown);
      g_autoptr(StampExportResult) b = stamp_test_export_render ("printer", password);
      g_autoptr(StampExportResult) c = stamp_test_export_render ("printer-pdf", password);

      stamp_test_export_assert_no_canary (a);
      stamp_test_export_assert_no_canary (b);
      g_assert_false (stamp_export_result_get_private (a));
      g_assert_false (stamp_export_result_get_private (b));
      g_assert_false (stamp_export_result_get_private (c));
    }
}

/* An account on this computer's loopback (Proton Mail Bridge, a relay on
 * the same machine): the sheet says first that the device cannot reach it,
 * on paper too. An address on the network is fine as it is. */
static void
test_loopback_server (void)
{
  const struct
  {
    const char    *host;
    const char    *provider_id;
    StampAuthMechanism auth;
    gboolean       warns;
  } servers[] = {
    { "127.0.0.1",    NULL,     STAMP_AUTH_PLAIN, TRUE },
    { "127.0.0.1",    "proton", STAMP_AUTH_PLAIN, TRUE },
    { "localhost",    NULL,     STAMP_AUTH_NONE,  TRUE },
    { "[::1]",        NULL,     STAMP_AUTH_LOGIN, TRUE },
    { "192.168.1.20", NULL,     STAMP_AUTH_PLAIN, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(StampAccount) account = stamp_account_new ("me@proton.me");
      g_autoptr(StampExportContext) context = NULL;
      g_autoptr(StampExportResult) result = NULL;
      g_autoptr(StampDeviceGuide) guide = NULL;
      g_autofree char *pdf = NULL;
      g_autofree char *pdf_name = g_strdup_printf ("loopback-%u.pdf", i);
      g_autofree char *warning = g_strdup_printf ("%s is this computer’s loopback address",
                                                  servers[i].host);
      const char *text;

      g_test_message ("%s %s", servers[i].host, servers[i].provider_id);
      stamp_account_set_host (account, servers[i].host);
      stamp_account_set_port (account, 1025);
      stamp_account_set_security (account, STAMP_SECURITY_STARTTLS);
      stamp_account_set_auth_mechanism (account, servers[i].auth);
      stamp_account_set_provider_id (account, servers[i].provider_id);
      context = stamp_export_context_new (account);
      stamp_export_context_set_device_vendor (context, "brother");

      guide = new_guide (context);
      g_assert_cmpstr (guide->host, ==, servers[i].host);
      g_assert_cmpint (guide->cautions->len > 0
                       && g_str_has_prefix (g_ptr_array_index (guide->cautions, 0), warning),
                       ==, servers[i].warns);

      result = stamp_test_export_render ("printer", context);
      text = stamp_export_result_get_text (result);
      g_assert_cmpint (contains (text, warning), ==, servers[i].warns);
      g_assert_cmpint (contains (text, "a printer or scanner cannot"), ==, servers[i].warns);
      /* Only an account that says so is a Proton Mail account. */
      g_assert_cmpint (strstr (text, "Proton") != NULL, ==, servers[i].provider_id != NULL);

      pdf = check_pdf (context, pdf_name, FALSE);
      g_assert_cmpint (contains (pdf, "loopback address"), ==, servers[i].warns);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Nothing here may ask real DNS. */
  resolver = stamp_test_resolver_install ();

  g_test_add_func ("/stamp/export/device/vendors", test_vendors);
  g_test_add_func ("/stamp/export/device/unknown-vendor", test_unknown_vendor);
  g_test_add_func ("/stamp/export/device/decisions", test_decisions);
  g_test_add_func ("/stamp/export/device/unknown-lists-every-path", test_unknown_lists_every_path);
  for (guint i = 0; i < stamp_device_vendor_get_n_vendors (); i++)
    {
      const char *id = stamp_device_vendor_get_nth (i)->id;
      g_autofree char *path = g_strdup_printf ("/stamp/export/device/golden/m365-%s", id);

      g_test_add_data_func (path, id, test_golden_vendor);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sheet_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stamp/export/device/golden/%s",
                                               sheet_cases[i].golden);

      g_test_add_data_func (path, &sheet_cases[i], test_golden_case);
    }
  g_test_add_func ("/stamp/export/device/pdf", test_pdf);
  g_test_add_func ("/stamp/export/device/pdf-every-case", test_pdf_every_case);
  g_test_add_func ("/stamp/export/device/draw-any-page", test_draw_any_page);
  g_test_add_func ("/stamp/export/device/draw-unknown-vendor", test_draw_unknown_vendor);
  g_test_add_func ("/stamp/export/device/mx-found", test_mx_found);
  g_test_add_func ("/stamp/export/device/mx-guessed", test_mx_guessed);
  g_test_add_func ("/stamp/export/device/mx-guessed-clouds", test_mx_guessed_clouds);
  g_test_add_func ("/stamp/export/device/secret-left-out", test_secret_left_out);
  g_test_add_func ("/stamp/export/device/secret-included", test_secret_included);
  g_test_add_func ("/stamp/export/device/secret-never-for-oauth", test_secret_never_for_oauth);
  g_test_add_func ("/stamp/export/device/loopback-server", test_loopback_server);

  status = g_test_run ();
  g_clear_object (&resolver);
  return status;
}

/* stamp-cli-dns-check.c
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

#define G_LOG_DOMAIN "stamp-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-cli-wait.h"
#include "stamp-core.h"

static const char *
status_mark (StampDnsStatus status)
{
  const char *charset;
  gboolean utf8 = g_get_charset (&charset);

  switch (status)
    {
    case STAMP_DNS_STATUS_OK:            return utf8 ? "✓" : "ok";
    case STAMP_DNS_STATUS_WARNING:       return "!";
    case STAMP_DNS_STATUS_MISSING:
    case STAMP_DNS_STATUS_INVALID:       return utf8 ? "✗" : "!!";
    case STAMP_DNS_STATUS_LOOKUP_FAILED: return "?";
    case STAMP_DNS_STATUS_UNCHECKED:     return "-";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Each line of a record indented under its label: a domain with two SPF
 * records shows both. */
static void
print_record (const char *label,
              const char *record)
{
  g_auto(GStrv) lines = NULL;

  if (record == NULL)
    return;

  lines = g_strsplit (record, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("   %-10s %s\n", i == 0 ? label : "", lines[i]);
}

static void
print_findings (const char *domain,
                const char *provider_name,
                GPtrArray  *findings)
{
  if (provider_name != NULL)
    /* Translators: "DNS records of contoso.com, for mail sent through Microsoft 365" */
    g_print (_("DNS records of %s, for mail sent through %s\n\n"), domain, provider_name);
  else
    g_print (_("DNS records of %s (mail provider not recognised)\n\n"), domain);

  for (guint i = 0; i < findings->len; i++)
    {
      StampDnsFinding *finding = g_ptr_array_index (findings, i);
      StampDnsStatus status = stamp_dns_finding_get_status (finding);

      g_print ("%-2s %-5s %s — %s\n", status_mark (status),
               stamp_dns_record_kind_to_string (stamp_dns_finding_get_kind (finding)),
               stamp_dns_finding_get_name (finding), stamp_dns_status_to_string (status));
      g_print ("   %s\n", stamp_dns_finding_get_message (finding));
      print_record (_("Found:"), stamp_dns_finding_get_record (finding));
      print_record (_("Publish:"), stamp_dns_finding_get_suggestion (finding));
      g_print ("\n");
    }
}

static JsonNode *
build_json (const char *domain,
            const char *provider_id,
            GPtrArray  *findings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GEnumClass) kinds = g_type_class_ref (STAMP_TYPE_DNS_RECORD_KIND);
  g_autoptr(GEnumClass) statuses = g_type_class_ref (STAMP_TYPE_DNS_STATUS);

  json_builder_begin_object (builder);
  stamp_cli_json_add_string (builder, "domain", domain);
  stamp_cli_json_add_string (builder, "provider", provider_id);
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);

  for (guint i = 0; i < findings->len; i++)
    {
      StampDnsFinding *finding = g_ptr_array_index (findings, i);
      GEnumValue *kind = g_enum_get_value (kinds, stamp_dns_finding_get_kind (finding));
      GEnumValue *status = g_enum_get_value (statuses, stamp_dns_finding_get_status (finding));

      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "kind", kind->value_nick);
      stamp_cli_json_add_string (builder, "status", status->value_nick);
      stamp_cli_json_add_string (builder, "name", stamp_dns_finding_get_name (finding));
      stamp_cli_json_add_string (builder, "message", stamp_dns_finding_get_message (finding));
      stamp_cli_json_add_string (builder, "record", stamp_dns_finding_get_record (finding));
      stamp_cli_json_add_string (builder, "suggestion", stamp_dns_finding_get_suggestion (finding));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* 0 when nothing needs doing; 3 when no lookup got an answer at all, so
 * nothing could be judged; 1 otherwise. */
static int
exit_status (GPtrArray *findings)
{
  gboolean action = FALSE;
  gboolean answered = FALSE;

  for (guint i = 0; i < findings->len; i++)
    {
      StampDnsFinding *finding = g_ptr_array_index (findings, i);
      StampDnsStatus status = stamp_dns_finding_get_status (finding);

      action |= stamp_dns_finding_needs_action (finding);
      answered |= status != STAMP_DNS_STATUS_LOOKUP_FAILED && status != STAMP_DNS_STATUS_UNCHECKED;
    }

  if (!answered)
    return STAMP_CLI_EXIT_CONNECTION;

  return action ? STAMP_CLI_EXIT_FAILURE : STAMP_CLI_EXIT_OK;
}

int
stamp_cli_dns_check (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampDnsCheck) check = NULL;
  g_autoptr(StampCliWait) wait = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *checked_for = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider,
      N_("The provider that sends the domain’s mail (microsoft365, microsoft365-usgov, google, …); "
         "by default, told from the domain and its MX records"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object with the findings"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("DOMAIN — check a sender domain’s SPF, DKIM and DMARC "
                                    "records"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Each finding shows what was found and, when something is missing or wrong, the exact\n"
      "record to publish. Every lookup gives up after 5 seconds, the whole check after 15.\n"
      "Exit status: 0 all records are fine, 1 a record is missing or wrong (or a lookup\n"
      "failed), 2 usage or not a domain, 3 DNS could not be asked at all, 130 interrupted."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("dns-check", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("dns-check", _("Give exactly one domain"));

  check = stamp_dns_check_new ();
  wait = stamp_cli_wait_new ();
  stamp_dns_check_run_async (check, argv[1], provider, stamp_cli_wait_get_cancellable (wait),
                             stamp_cli_wait_cb, wait);
  findings = stamp_dns_check_run_finish (check, stamp_cli_wait_run (wait), &checked_for, &error);
  if (findings == NULL)
    {
      g_printerr ("stamp-cli dns-check: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = build_json (argv[1], checked_for, findings);

      stamp_cli_print_json (node);
    }
  else
    {
      StampProvider *known = checked_for != NULL
                             ? stamp_provider_db_lookup_id (stamp_provider_db_get_default (),
                                                            checked_for)
                             : NULL;

      print_findings (argv[1], known != NULL ? stamp_provider_get_name (known) : NULL, findings);
    }

  return exit_status (findings);
}

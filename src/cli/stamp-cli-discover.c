/* stamp-cli-discover.c
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

/* Runs discovery, asking @tenant_url (or Microsoft) about tenants. */
static GPtrArray *
run_discovery (const char  *address,
               const char  *tenant_url,
               GError     **error)
{
  g_autoptr(StampDiscovery) discovery = stamp_discovery_new ();
  g_autoptr(StampCliWait) wait = stamp_cli_wait_new ();

  stamp_discovery_set_tenant_lookup_url (discovery, tenant_url);
  stamp_discovery_run_async (discovery, address, stamp_cli_wait_get_cancellable (wait),
                             stamp_cli_wait_cb, wait);

  return stamp_discovery_run_finish (discovery, stamp_cli_wait_run (wait), error);
}

/**
 * stamp_cli_run_discovery:
 * @address: the email address
 * @error: return location for a #GError
 *
 * Runs discovery to the end on a main loop; Ctrl+C cancels it.
 *
 * Returns: (transfer full): the ranked candidates, or %NULL with @error
 */
GPtrArray *
stamp_cli_run_discovery (const char  *address,
                         GError     **error)
{
  return run_discovery (address, NULL, error);
}

static gboolean
is_http_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0'
         && (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0
             || g_strcmp0 (g_uri_get_scheme (uri), "http") == 0);
}

static void
print_candidates (GPtrArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      StampCandidate *candidate = g_ptr_array_index (candidates, i);
      const char * const *auth = stamp_candidate_get_auth_methods (candidate);
      g_autofree char *methods = auth != NULL ? g_strjoinv (", ", (GStrv) auth) : NULL;

      g_print ("%u. %s port %u, %s\n", i + 1,
               stamp_candidate_get_host (candidate),
               stamp_candidate_get_port (candidate),
               stamp_security_to_string (stamp_candidate_get_security (candidate)));
      g_print ("   %s (%s)\n", stamp_candidate_get_reason (candidate),
               stamp_discovery_source_to_string (stamp_candidate_get_source (candidate)));
      if (methods != NULL)
        g_print ("   %s %s\n", _("Sign-in:"), methods);
    }
}

static JsonNode *
build_json (const char *address,
            GPtrArray  *candidates)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  stamp_cli_json_add_string (builder, "address", address);
  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);

  for (guint i = 0; i < candidates->len; i++)
    {
      StampCandidate *candidate = g_ptr_array_index (candidates, i);
      const char * const *auth = stamp_candidate_get_auth_methods (candidate);
      g_autoptr(GEnumClass) sources = g_type_class_ref (STAMP_TYPE_DISCOVERY_SOURCE);

      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "host", stamp_candidate_get_host (candidate));
      stamp_cli_json_add_int (builder, "port", stamp_candidate_get_port (candidate));
      stamp_cli_json_add_string (builder, "security",
                                 stamp_security_to_string (stamp_candidate_get_security (candidate)));
      stamp_cli_json_add_string (builder, "source",
                                 g_enum_get_value (sources,
                                                   stamp_candidate_get_source (candidate))->value_nick);
      stamp_cli_json_add_string (builder, "reason", stamp_candidate_get_reason (candidate));
      stamp_cli_json_add_string (builder, "provider", stamp_candidate_get_provider_id (candidate));
      stamp_cli_json_add_int (builder, "score", stamp_candidate_get_score (candidate));
      json_builder_set_member_name (builder, "auth");
      json_builder_begin_array (builder);
      for (guint j = 0; auth != NULL && auth[j] != NULL; j++)
        json_builder_add_string_value (builder, auth[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

int
stamp_cli_discover (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tenant_url = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object with the candidates"), NULL },
    { "tenant-lookup-url", 0, 0, G_OPTION_ARG_STRING, &tenant_url,
      N_("Ask this server instead of login.microsoftonline.com whether the domain is a "
         "Microsoft 365 tenant (for tests)"), N_("URL") },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — find the sending settings for an email address"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Sources: Stamp’s provider database, MX and SRV records, the domain’s autoconfig\n"
      "file, Thunderbird’s ISP database, Microsoft’s sign-in service (is the domain a\n"
      "Microsoft 365 tenant, and in which cloud?), and probes of smtp. and mail. hosts.\n"
      "Exit status: 0 found, 1 nothing found, 2 usage, 130 interrupted."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("discover", "%s", error->message);
  if (argc != 2)
    return stamp_cli_usage_error ("discover", _("Give exactly one email address"));
  if (tenant_url != NULL && !is_http_url (tenant_url))
    return stamp_cli_usage_error ("discover", _("“%s” is not an http or https URL"), tenant_url);

  candidates = run_discovery (argv[1], tenant_url, &error);
  if (candidates == NULL)
    {
      g_printerr ("stamp-cli discover: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = build_json (argv[1], candidates);

      stamp_cli_print_json (node);
    }
  else if (candidates->len == 0)
    g_print (_("No sending settings were found for %s. Ask the mail provider for its SMTP "
               "server, port and security, and enter them by hand.\n"),
             argv[1]);
  else
    print_candidates (candidates);

  return candidates->len > 0 ? STAMP_CLI_EXIT_OK : STAMP_CLI_EXIT_FAILURE;
}

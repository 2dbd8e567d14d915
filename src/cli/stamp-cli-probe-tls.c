/* stamp-cli-probe-tls.c
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
outcome_label (StampTlsProbeOutcome outcome)
{
  switch (outcome)
    {
    case STAMP_TLS_PROBE_ACCEPTED:    return _("accepted");
    case STAMP_TLS_PROBE_REFUSED:     return _("refused");
    case STAMP_TLS_PROBE_UNAVAILABLE: return _("not tested");
    case STAMP_TLS_PROBE_ERROR:       return _("error");
    case STAMP_TLS_PROBE_NOT_RUN:
    default:                          return _("not run");
    }
}

/* Pads by characters, not bytes, so translated labels line up. */
static void
print_padded (const char *text,
              int         width)
{
  int len = (int) g_utf8_strlen (text, -1);

  g_print ("%s%*s", text, MAX (width - len, 1), "");
}

static void
print_table (StampTlsProbe *probe)
{
  const char * const *certificates = stamp_tls_probe_get_certificates (probe);
  const GError *certificate_error = stamp_tls_probe_get_certificate_error (probe);

  g_print (_("TLS versions on %s port %u (%s):\n"), stamp_tls_probe_get_host (probe),
           stamp_tls_probe_get_port (probe),
           stamp_security_to_string (stamp_tls_probe_get_security (probe)));

  for (int v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    {
      StampTlsProbeOutcome outcome = stamp_tls_probe_get_outcome (probe, v);
      const char *detail = outcome == STAMP_TLS_PROBE_ACCEPTED
                           ? stamp_tls_probe_get_cipher (probe, v)
                           : stamp_tls_probe_get_message (probe, v);
      g_autofree char *version = g_strdup_printf ("TLS %s", stamp_tls_version_to_string (v));

      g_print ("  ");
      print_padded (version, 9);
      print_padded (outcome_label (outcome), 12);
      g_print ("%s\n", detail != NULL ? detail : "");
    }

  if (certificates != NULL)
    {
      if (certificate_error == NULL)
        g_print ("%s %s\n", _("Certificate:"), _("trusted"));
      else
        g_print ("%s %s\n", _("Certificate:"), certificate_error->message);
    }

  g_print ("\n%s\n", stamp_tls_probe_get_advice (probe));
}

static void
add_certificate (JsonBuilder   *builder,
                 StampTlsProbe *probe)
{
  const char * const *certificates = stamp_tls_probe_get_certificates (probe);
  const GError *certificate_error = stamp_tls_probe_get_certificate_error (probe);

  json_builder_set_member_name (builder, "certificate");
  if (certificates == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, certificate_error == NULL);
  stamp_cli_json_add_string (builder, "error",
              certificate_error != NULL ? stamp_error_get_nick (certificate_error) : NULL);
  stamp_cli_json_add_string (builder, "message",
                             certificate_error != NULL ? certificate_error->message : NULL);
  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  for (guint i = 0; certificates[i] != NULL; i++)
    json_builder_add_string_value (builder, certificates[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static JsonNode *
build_json (StampTlsProbe *probe,
            const GError  *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, error == NULL);
  stamp_cli_json_add_string (builder, "host", stamp_tls_probe_get_host (probe));
  stamp_cli_json_add_int (builder, "port", stamp_tls_probe_get_port (probe));
  stamp_cli_json_add_string (builder, "security",
                             stamp_security_to_string (stamp_tls_probe_get_security (probe)));

  json_builder_set_member_name (builder, "versions");
  json_builder_begin_array (builder);
  for (int v = STAMP_TLS_VERSION_1_0; error == NULL && v <= STAMP_TLS_VERSION_1_3; v++)
    {
      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "version", stamp_tls_version_to_string (v));
      stamp_cli_json_add_string (builder, "outcome",
                  stamp_tls_probe_outcome_to_string (stamp_tls_probe_get_outcome (probe, v)));
      stamp_cli_json_add_string (builder, "cipher", stamp_tls_probe_get_cipher (probe, v));
      stamp_cli_json_add_string (builder, "message", stamp_tls_probe_get_message (probe, v));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_certificate (builder, probe);
  stamp_cli_json_add_string (builder, "advice", stamp_tls_probe_get_advice (probe));

  json_builder_set_member_name (builder, "error");
  if (error == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      stamp_cli_json_add_string (builder, "code", stamp_error_get_nick (error));
      stamp_cli_json_add_string (builder, "message", error->message);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

int
stamp_cli_probe_tls (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampTlsProbe) probe = NULL;
  g_autoptr(StampCliWait) wait = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *ca_file = NULL;
  StampSecurity security = STAMP_SECURITY_STARTTLS;
  gboolean json = FALSE;
  int port = 0;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("SMTP server host name"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port (default: 587, or 465 with --security tls)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str, N_("starttls (default) or tls"), N_("MODE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the authorities in this PEM file (for the certificate verdict only)"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Deadline in seconds for each version’s attempt (default: 10)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object with the result"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— find which TLS versions an SMTP server accepts"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Tries TLS 1.0, 1.1, 1.2 and 1.3, each on its own connection, and says which\n"
      "devices (printers, scanners) can submit to the server. It never signs in.\n"
      "\n"
      "Exit status: 0 the probe ran (whatever it found); 2 usage; 3 connection (name,\n"
      "port, timeout); 4 no STARTTLS; 130 interrupted."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("probe-tls", "%s", error->message);

  if (argc > 1)
    return stamp_cli_usage_error ("probe-tls", _("Unexpected argument “%s”"), argv[1]);
  if (host == NULL)
    return stamp_cli_usage_error ("probe-tls", _("--host is required"));
  if (security_str != NULL &&
      (!stamp_security_from_string (security_str, &security) || security == STAMP_SECURITY_NONE))
    return stamp_cli_usage_error ("probe-tls", _("Unknown security “%s”: use starttls or tls"),
                                  security_str);
  if (port < 0 || port > G_MAXUINT16)
    return stamp_cli_usage_error ("probe-tls", _("The port must be between 1 and 65535"));
  if (timeout < 0)
    return stamp_cli_usage_error ("probe-tls",
                                  _("The timeout must be a positive number of seconds"));

  probe = stamp_tls_probe_new (host, port, security);
  stamp_tls_probe_set_ca_file (probe, ca_file);
  if (timeout > 0)
    stamp_tls_probe_set_timeout (probe, timeout);

  if (!json)
    g_print (_("Probing TLS 1.0 to 1.3 on %s port %u…\n"), host, stamp_tls_probe_get_port (probe));

  wait = stamp_cli_wait_new ();
  stamp_tls_probe_run_async (probe, stamp_cli_wait_get_cancellable (wait), stamp_cli_wait_cb, wait);
  stamp_tls_probe_run_finish (probe, stamp_cli_wait_run (wait), &error);

  if (json)
    {
      g_autoptr(JsonNode) node = build_json (probe, error);

      stamp_cli_print_json (node);
    }
  else if (error == NULL)
    print_table (probe);

  if (error != NULL)
    {
      g_printerr ("stamp-cli probe-tls: %s\n", error->message);
      return stamp_cli_exit_for_error (error);
    }

  return STAMP_CLI_EXIT_OK;
}

/* stamp-cli-explain.c
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

#include <glib/gi18n.h>

#include "stamp-cli-commands.h"
#include "stamp-cli-output.h"
#include "stamp-core.h"

/**
 * stamp_cli_explain:
 *
 * `stamp-cli explain "REPLY TEXT"`: what a server's reply (or a sign-in
 * error) means and how to fix it.
 */
int
stamp_cli_explain (int    argc,
                   char **argv)
{
  g_autofree char *error_nick = NULL;
  g_autofree char *host = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *address = NULL;
  g_autofree char *from = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StampExplanation) explanation = NULL;
  g_autoptr(GError) error = NULL;
  StampDiagnosisQuery query = { NULL };
  gboolean json = FALSE;
  int port = 0;
  const GOptionEntry entries[] = {
    { "error", 0, 0, G_OPTION_ARG_STRING, &error_nick, N_("A local failure instead of a reply: host-not-found, connection-refused, timed-out, tls-version, cert-expired, …"), N_("KIND") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The server it came from"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port used"), N_("PORT") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, N_("The provider, such as microsoft365 or google"), N_("ID") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The signed-in mailbox, for the admin command"), N_("ADDRESS") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The sender address, for the admin command"), N_("ADDRESS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("\"REPLY TEXT\" — explain a server’s reply and how to fix it"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Example: stamp-cli explain \"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.\"\n"
      "Exit status: 0 explained; 1 not a failure Stamp knows; 2 usage."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return stamp_cli_usage_error ("explain", "%s", error->message);
  if (argc > 2 || (argc < 2 && error_nick == NULL))
    return stamp_cli_usage_error ("explain", _("Give the reply text as one argument, in quotes"));
  if (port < 0 || port > G_MAXUINT16)
    return stamp_cli_usage_error ("explain", _("The port must be between 1 and 65535"));
  if (argc == 2 && !g_utf8_validate (argv[1], -1, NULL))
    return stamp_cli_usage_error ("explain", _("The reply text is not valid UTF-8"));

  query.error = error_nick;
  query.host = host;
  query.port = (guint16) port;
  query.provider_id = provider;
  query.address = address;
  query.from = from;

  explanation = stamp_diagnosis_explain_text (stamp_diagnosis_get_default (),
                                              argc == 2 ? argv[1] : "", &query);

  if (json)
    {
      g_autoptr(JsonNode) node = explanation != NULL ? stamp_explanation_to_json (explanation)
                                                     : json_node_new (JSON_NODE_NULL);

      stamp_cli_print_json (node);
    }
  else if (explanation != NULL)
    {
      g_autofree char *text = stamp_explanation_to_text (explanation);

      g_print ("%s", text);
    }
  else
    g_printerr ("%s\n", _("Stamp does not know this reply. Check the server’s documentation for the "
                          "codes in it (the enhanced code, such as 5.7.3, says the most)."));

  return explanation != NULL ? STAMP_CLI_EXIT_OK : STAMP_CLI_EXIT_FAILURE;
}

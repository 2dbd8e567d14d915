/* stamp-export-mozilla-autoconfig.c
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

#define G_LOG_DOMAIN "stamp-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-exporter-private.h"

/* Mozilla's autoconfig file (config-v1.1.xml, draft-ietf-mailmaint-
 * autoconfig): published under the mail domain, it lets Thunderbird and
 * other clients set up every mailbox of the domain from the address
 * alone, so names are written as placeholders where they can be. */

#define IMAP_PORT 993

static const char *
socket_type (StampSecurity security)
{
  switch (security)
    {
    case STAMP_SECURITY_TLS:
      return "SSL";
    case STAMP_SECURITY_NONE:
      return "plain";
    case STAMP_SECURITY_STARTTLS:
    default:
      return "STARTTLS";
    }
}

/* The sign-in name for any mailbox of the domain, when it follows the
 * address; else this account's own, which then fits only this mailbox. */
static char *
username_pattern (StampExportContext *context,
                  gboolean           *literal)
{
  const char *address = stamp_export_from_address (context);
  const char *username = stamp_export_username (context);
  const char *at = strrchr (address, '@');

  *literal = FALSE;
  if (g_ascii_strcasecmp (username, address) == 0)
    return g_strdup ("%EMAILADDRESS%");
  if (at != NULL && strlen (username) == (gsize) (at - address)
      && g_ascii_strncasecmp (username, address, at - address) == 0)
    return g_strdup ("%EMAILLOCALPART%");

  *literal = TRUE;
  return stamp_export_xml_escape (username);
}

static void
append_server (GString    *out,
               const char *element,
               const char *type,
               const char *host,
               guint       port,
               const char *socket,
               const char *authentication,
               const char *username)
{
  g_autofree char *host_xml = stamp_export_xml_escape (host);

  g_string_append_printf (out, "    <%s type=\"%s\">\n", element, type);
  g_string_append_printf (out, "      <hostname>%s</hostname>\n", host_xml);
  g_string_append_printf (out, "      <port>%u</port>\n", port);
  g_string_append_printf (out, "      <socketType>%s</socketType>\n", socket);
  g_string_append_printf (out, "      <authentication>%s</authentication>\n", authentication);
  if (username != NULL)
    g_string_append_printf (out, "      <username>%s</username>\n", username);
  g_string_append_printf (out, "    </%s>\n", element);
}

static gboolean
render_mozilla_autoconfig (StampExportContext  *context,
                           StampExportResult   *result,
                           GError             **error)
{
  StampAccount *account = stamp_export_context_get_account (context);
  StampProvider *provider = stamp_export_context_get_provider (context);
  StampExportAuth auth = stamp_export_context_get_auth (context);
  const char *incoming_host = stamp_export_context_get_incoming_host (context);
  g_autofree char *domain = stamp_export_xml_escape (stamp_export_domain (context));
  g_autofree char *name = NULL;
  g_autofree char *username = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *authentication;
  gboolean literal_username;

  /* Thunderbird offers OAuth2 only for the providers it knows, which are
   * the ones Stamp signs in to with OAuth. */
  if (auth == STAMP_EXPORT_AUTH_OAUTH)
    authentication = "OAuth2";
  else if (auth == STAMP_EXPORT_AUTH_NONE)
    authentication = "none";
  else
    authentication = "password-cleartext";

  username = username_pattern (context, &literal_username);
  name = stamp_export_xml_escape (provider != NULL ? stamp_provider_get_name (provider)
                                                   : stamp_export_domain (context));

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  /* "--" may not appear in a comment, and IDN domains have it (xn--). */
  if (strstr (domain, "--") == NULL)
    g_string_append_printf (out,
                            "<!-- Mail settings for %s, made by Stamp. Publish as\n"
                            "     https://autoconfig.%s/mail/config-v1.1.xml and\n"
                            "     https://%s/.well-known/autoconfig/mail/config-v1.1.xml\n"
                            "     served as text/xml. -->\n",
                            domain, domain, domain);
  if (stamp_account_get_method (stamp_export_context_get_account (context))
      == STAMP_SEND_METHOD_GRAPH)
    {
      g_string_append (out, "<!--\n");
      stamp_export_append_graph_comment (out, context, "    ", "Thunderbird");
      g_string_append (out, "-->\n");
    }
  g_string_append (out, "<clientConfig version=\"1.1\">\n");
  g_string_append_printf (out, "  <emailProvider id=\"%s\">\n", domain);
  g_string_append_printf (out, "    <domain>%s</domain>\n", domain);
  g_string_append_printf (out, "    <displayName>%s</displayName>\n", name);
  g_string_append_printf (out, "    <displayShortName>%s</displayShortName>\n", name);

  if (incoming_host != NULL)
    append_server (out, "incomingServer", "imap", incoming_host, IMAP_PORT, "SSL",
                   auth == STAMP_EXPORT_AUTH_OAUTH ? "OAuth2" : "password-cleartext",
                   username);

  append_server (out, "outgoingServer", "smtp", stamp_account_get_host (account),
                 stamp_account_get_effective_port (account),
                 socket_type (stamp_account_get_security (account)), authentication,
                 auth != STAMP_EXPORT_AUTH_NONE ? username : NULL);

  g_string_append (out, "  </emailProvider>\n");
  g_string_append (out, "</clientConfig>\n");

  note = g_strdup_printf (_("Publish the file as https://autoconfig.%s/mail/config-v1.1.xml "
                            "and https://%s/.well-known/autoconfig/mail/config-v1.1.xml, "
                            "served as text/xml."),
                          stamp_export_domain (context), stamp_export_domain (context));
  stamp_export_result_add_note (result, note);
  if (provider != NULL
      && g_strv_contains (stamp_provider_get_domains (provider), stamp_export_domain (context)))
    stamp_export_result_add_note (result,
                                  _("Thunderbird already knows this provider’s own domains "
                                    "from its database (ISPDB); a file of your own matters "
                                    "only for a domain you run."));
  if (incoming_host == NULL)
    stamp_export_result_add_note (result,
                                  _("The file names no incoming server, and Thunderbird sets "
                                    "up an account only with one: enter the IMAP server too "
                                    "(stamp-cli: --imap-host HOST)."));
  if (literal_username)
    stamp_export_result_add_note (result,
                                  _("The sign-in name is not the address or its local part, "
                                    "so the file fits only this mailbox."));
  if (auth == STAMP_EXPORT_AUTH_NONE)
    stamp_export_result_add_note (result,
                                  _("The outgoing server takes mail without a sign-in only "
                                    "from the networks it trusts."));

  stamp_export_result_take_text (result, g_steal_pointer (&out));
  return TRUE;
}

const StampExporterSpec stamp_export_mozilla_autoconfig = {
  .id = "mozilla-autoconfig",
  .title = N_("Thunderbird autoconfig"),
  .description = N_("A config-v1.1.xml to publish, so Thunderbird and other mail clients "
                    "set themselves up"),
  .category = STAMP_EXPORT_CATEGORY_SENDER,
  .auth = STAMP_EXPORT_AUTH_ANY,
  .file_name = "config-v1.1.xml",
  .mime_type = "text/xml",
  .render = render_mozilla_autoconfig,
};

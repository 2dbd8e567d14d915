/* stamp-export-wordpress.c
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

#include "stamp-error.h"
#include "stamp-export-wordpress-private.h"

/* What the four WordPress mail plugins share: which mailer an account
 * needs, the PHP snippet's comment header and define() lines, and the
 * steps for an OAuth app of the person's own. None of the plugins can
 * sign in to SMTP with OAuth, so OAuth accounts get the plugins' API
 * mailers (Microsoft Graph, the Gmail API) and never "Other SMTP".
 *
 * Also the writer for WP Mail SMTP and Easy WP SMTP, which read the same
 * wp-config.php constants under different prefixes (WP Mail SMTP 4.8.0
 * src/Options.php; Easy WP SMTP 2.x src/Options.php). */

StampExportWpMailer
_stamp_export_wp_mailer (StampExportContext *context)
{
  StampProvider *provider = stamp_export_context_get_provider (context);
  const StampProviderOAuth *oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;

  if (stamp_account_get_method (stamp_export_context_get_account (context))
      == STAMP_SEND_METHOD_GRAPH)
    return STAMP_EXPORT_WP_MICROSOFT;
  if (stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_OAUTH)
    return STAMP_EXPORT_WP_SMTP;
  if (oauth != NULL && g_strcmp0 (oauth->registration, "google") == 0)
    return STAMP_EXPORT_WP_GOOGLE;
  return STAMP_EXPORT_WP_MICROSOFT;
}

/* The plugins' API mailers know Google and Microsoft's worldwide cloud
 * (login.microsoftonline.com, graph.microsoft.com) and nothing else. */
gboolean
_stamp_export_wp_check (StampExportContext  *context,
                        const char          *plugin,
                        GError             **error)
{
  StampProvider *provider = stamp_export_context_get_provider (context);
  const StampProviderOAuth *oauth = provider != NULL ? stamp_provider_get_oauth (provider) : NULL;

  if (stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_OAUTH)
    return TRUE;

  if (oauth != NULL && (g_strcmp0 (oauth->registration, "microsoft-usgov") == 0
                        || g_strcmp0 (oauth->registration, "microsoft-china") == 0))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   /* Translators: %s is a WordPress plugin, such as "WP Mail SMTP" */
                   _("%s reaches only Microsoft’s worldwide cloud, not a US Government "
                     "or 21Vianet (China) tenant; set up an account that sends through an "
                     "SMTP relay connector instead"), plugin);
      return FALSE;
    }
  if (oauth == NULL
      || (g_strcmp0 (oauth->registration, "microsoft") != 0
          && g_strcmp0 (oauth->registration, "google") != 0))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   /* Translators: %s is a WordPress plugin, such as "WP Mail SMTP" */
                   _("%s can use OAuth only with Microsoft and Google; sign this account "
                     "in with a password to export it"), plugin);
      return FALSE;
    }

  return TRUE;
}

/* Returns: (nullable): the account's display name, if it has one. */
const char *
_stamp_export_wp_display_name (StampExportContext *context)
{
  const char *name = stamp_account_get_display_name (stamp_export_context_get_account (context));

  return name != NULL && *name != '\0' ? name : NULL;
}

/* The site's address followed by @path; a stand-in when it is unknown. */
char *
_stamp_export_wp_site_url (StampExportContext *context,
                           const char         *path)
{
  const char *site = stamp_export_context_get_site_url (context);

  return g_strconcat (site != NULL ? site : "https://YOUR-SITE", path, NULL);
}

/* Text in the header comment fits this many columns after " * ". */
#define COMMENT_WIDTH 76

/* Wraps @line at spaces. Continuation lines line up under the text of a
 * numbered step ("1. ") or keep the line's own indent. */
static void
append_wrapped (GString    *out,
                const char *line)
{
  gsize lead = strspn (line, " ");
  gsize indent = lead;
  const char *digits = line + lead;
  g_auto(GStrv) words = NULL;
  GString *current;
  gboolean at_start = TRUE;

  if (strlen (line) <= COMMENT_WIDTH)
    {
      if (line[0] == '\0')
        g_string_append (out, " *\n");
      else
        g_string_append_printf (out, " * %s\n", line);
      return;
    }

  while (g_ascii_isdigit (*digits))
    digits++;
  if (digits > line + lead && g_str_has_prefix (digits, ". "))
    indent = (digits - line) + 2;

  current = g_string_new_len (line, lead);
  words = g_strsplit (line + lead, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (!at_start && current->len + 1 + strlen (words[i]) > COMMENT_WIDTH)
        {
          g_string_append_printf (out, " * %s\n", current->str);
          g_string_truncate (current, 0);
          for (gsize j = 0; j < indent; j++)
            g_string_append_c (current, ' ');
          at_start = TRUE;
        }
      if (!at_start)
        g_string_append_c (current, ' ');
      g_string_append (current, words[i]);
      at_start = FALSE;
    }
  g_string_append_printf (out, " * %s\n", current->str);
  g_string_free (current, TRUE);
}

/* A paragraph of the header comment, wrapped. Values from the account
 * end up here, so a stray "*" "/" must not end the comment early. */
void
_stamp_export_wp_comment (GString    *out,
                          const char *format,
                          ...)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  char *end;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  while ((end = strstr (text, "*/")) != NULL)
    end[1] = '|';
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    append_wrapped (out, lines[i]);
}

/* An empty line in the header comment. */
void
_stamp_export_wp_blank (GString *out)
{
  g_string_append (out, " *\n");
}

void
_stamp_export_wp_begin (GString            *out,
                        StampExportContext *context,
                        const char         *plugin)
{
  g_string_append (out, "<?php\n/*\n");
  _stamp_export_wp_comment (out, "%s settings for %s, made by Stamp.", plugin,
                            stamp_export_from_address (context));
  _stamp_export_wp_blank (out);
}

void
_stamp_export_wp_end_comment (GString *out)
{
  g_string_append (out, " */\n\n");
}

/* @literal is PHP already: true, 465, 'text'. @comment is Stamp's own
 * text, never the account's: a "?>" in it would end the PHP code. */
void
_stamp_export_wp_define (GString    *out,
                         const char *name,
                         const char *literal,
                         const char *comment)
{
  g_assert (comment == NULL || strstr (comment, "?>") == NULL);

  g_string_append_printf (out, "define( '%s', %s );", name, literal);
  if (comment != NULL)
    g_string_append_printf (out, "  // %s", comment);
  g_string_append_c (out, '\n');
}

void
_stamp_export_wp_define_string (GString    *out,
                                const char *name,
                                const char *value,
                                const char *comment)
{
  g_autofree char *literal = stamp_export_php_string (value);

  _stamp_export_wp_define (out, name, literal, comment);
}

static const char *
password_word (StampExportContext *context)
{
  StampProvider *provider = stamp_export_context_get_provider (context);

  return provider != NULL && stamp_provider_needs_app_password (provider)
         ? "app password" : "password";
}

/* The line above the define() that holds the password. */
void
_stamp_export_wp_secret_comment (GString            *out,
                                 StampExportContext *context,
                                 const char         *constant)
{
  if (stamp_export_context_get_secret (context) != NULL)
    g_string_append_printf (out, "// The %s itself: share this file with no one.\n",
                            password_word (context));
  else
    g_string_append_printf (out, "// Put the %s in %s, in place of %s.\n",
                            password_word (context), constant,
                            stamp_export_placeholder (context));
}

static gboolean
blank_once (GString  *out,
            gboolean  done)
{
  if (!done)
    _stamp_export_wp_blank (out);
  return TRUE;
}

/* Header paragraphs, each group after a blank line, about what can go
 * wrong on a web server that did not go wrong on the desktop where Stamp
 * tested the account. */
void
_stamp_export_wp_smtp_cautions (GString            *out,
                                StampExportContext *context,
                                StampExportResult  *result)
{
  StampAccount *account = stamp_export_context_get_account (context);
  const char *ca_file = stamp_account_get_ca_file (account);
  gboolean signs_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
  gboolean any = FALSE;

  if (stamp_export_context_get_secret (context) == NULL && signs_in)
    stamp_export_result_add_note (result, _("The password is not in the file: put it in place "
                                            "of the placeholder before use"));

  if (!signs_in && stamp_export_context_is_microsoft365 (context))
    {
      any = blank_once (out, any);
      _stamp_export_wp_comment (out, "This account does not sign in: Microsoft 365 must know "
                                     "the web server by its public IP address, through an "
                                     "inbound connector (Exchange admin center > Mail flow > "
                                     "Connectors). Without one, only mailboxes of %s receive "
                                     "the mail.", stamp_export_domain (context));
    }
  else if (!signs_in)
    {
      any = blank_once (out, any);
      _stamp_export_wp_comment (out, "This account does not sign in: the server must accept "
                                     "the web server by its IP address.");
    }
  if (stamp_account_get_effective_port (account) == 25)
    {
      any = blank_once (out, any);
      _stamp_export_wp_comment (out, "Many web hosts block outgoing port 25; if the test email "
                                     "hangs, ask yours.");
      stamp_export_result_add_note (result, _("Many web hosts block outgoing connections to "
                                              "port 25; ask yours if the test email hangs"));
    }
  if (ca_file != NULL && *ca_file != '\0')
    {
      any = blank_once (out, any);
      _stamp_export_wp_comment (out, "This account trusts a certificate authority of its own "
                                     "(%s). PHP checks the server against the CAs the web "
                                     "server trusts: add it there too.", ca_file);
      stamp_export_result_add_note (result, _("This account trusts a certificate authority of "
                                              "its own; the web server must trust it too"));
    }
  if (stamp_account_get_security (account) == STAMP_SECURITY_NONE && signs_in)
    {
      any = blank_once (out, any);
      _stamp_export_wp_comment (out, "No encryption, as the account was set up: the %s "
                                     "crosses the network readable.", password_word (context));
    }
}

/* Why a Microsoft OAuth account gets a Graph mailer; @mailer names it
 * ("its \"Microsoft 365 / Outlook\" mailer"). */
void
_stamp_export_wp_microsoft_intro (GString            *out,
                                  StampExportContext *context,
                                  const char         *plugin,
                                  const char         *mailer)
{
  StampProvider *provider = stamp_export_context_get_provider (context);

  if (stamp_account_get_method (stamp_export_context_get_account (context))
      == STAMP_SEND_METHOD_GRAPH)
    {
      /* The account already sends this way in Stamp: the plugin does the
       * same, only with a sign-in of its own. */
      _stamp_export_wp_comment (out, "%s sends through Microsoft Graph (Mail.Send) in Stamp, not "
                                     "SMTP. %s can do the same with %s, signed in through an app "
                                     "registration of your own in Microsoft Entra with the "
                                     "delegated permission Mail.Send. Stamp's client ID is for "
                                     "Stamp alone (a public client with no secret) and does not "
                                     "work here.",
                                stamp_export_from_address (context), plugin, mailer);
      _stamp_export_wp_comment (out, "Microsoft takes only https redirect URIs, so the site must "
                                     "use https.");
      return;
    }

  _stamp_export_wp_comment (out, "%s signs in to %s with OAuth only, and %s cannot use OAuth "
                                 "for SMTP with Microsoft. It can send through the Microsoft "
                                 "Graph API (Mail.Send) instead, with %s, signed in through an "
                                 "app registration of your own in Microsoft Entra. Stamp's "
                                 "client ID is for Stamp alone (a public client with no "
                                 "secret) and does not work here.",
                            stamp_export_from_address (context),
                            stamp_provider_get_name (provider), plugin, mailer);
  _stamp_export_wp_comment (out, "Microsoft takes only https redirect URIs, so the site must "
                                 "use https.");
}

/* Steps 1 to 3: the Entra app registration. @redirect_path follows the
 * site's address; %NULL when only the plugin knows the redirect URI. */
void
_stamp_export_wp_entra_steps (GString            *out,
                              StampExportContext *context,
                              StampExportResult  *result,
                              const char         *redirect_path,
                              const char         *account_types,
                              const char         *permissions)
{
  const char *site = stamp_export_context_get_site_url (context);

  /* Outlook.com accounts are personal ones, whatever the plugin prefers. */
  if (!stamp_export_context_is_microsoft365 (context))
    account_types = "\"Accounts in any organizational directory and personal Microsoft "
                    "accounts\"";

  _stamp_export_wp_comment (out, "1. Microsoft Entra admin center (entra.microsoft.com) > App "
                                 "registrations > New registration. Name: anything, such as "
                                 "\"WordPress mail\".\n"
                                 "   Supported account types: %s.", account_types);
  if (redirect_path != NULL)
    {
      g_autofree char *redirect = _stamp_export_wp_site_url (context, redirect_path);

      _stamp_export_wp_comment (out, "   Redirect URI: platform \"Web\", %s\n"
                                     "   (copy the read-only value the plugin shows; this is "
                                     "what it normally is).", redirect);
      if (site == NULL)
        stamp_export_result_add_note (result, _("The redirect URI in the file has a stand-in "
                                                "for the site’s address: give the address, or "
                                                "copy the URI the plugin shows"));
    }
  else
    _stamp_export_wp_comment (out, "   Redirect URI: platform \"Web\", the one the plugin "
                                   "shows.");
  if (site != NULL && !g_str_has_prefix (site, "https://"))
    {
      _stamp_export_wp_comment (out, "   %s is not https: Microsoft will refuse the redirect "
                                     "URI.", site);
      stamp_export_result_add_note (result, _("Microsoft accepts only https redirect URIs, and "
                                              "the site’s address does not start with https"));
    }
  _stamp_export_wp_comment (out, "2. API permissions > Add a permission > Microsoft Graph > "
                                 "Delegated permissions: %s. If users may not consent to apps "
                                 "in your organization, an admin clicks \"Grant admin "
                                 "consent\".", permissions);
  _stamp_export_wp_comment (out, "3. Certificates & secrets > New client secret. Copy its Value "
                                 "(not the Secret ID) at once, and the Application (client) ID "
                                 "from Overview. The secret expires: make a new one before it "
                                 "does.");

  stamp_export_result_add_note (result, _("The plugin sends Microsoft OAuth mail through the "
                                          "Microsoft Graph API, with an app registration of "
                                          "your own in Microsoft Entra; the file lists the "
                                          "steps"));
  if (stamp_export_context_get_secret (context) != NULL)
    stamp_export_result_add_note (result, _("Stamp’s own sign-in is not in the file: the plugin "
                                            "signs in with its own app registration"));
}

/* Why a Google OAuth account gets a Gmail API mailer, and steps 1 to 3:
 * a Google Cloud OAuth client. @redirect_uri %NULL: the plugin's own. */
void
_stamp_export_wp_google_steps (GString            *out,
                               StampExportContext *context,
                               StampExportResult  *result,
                               const char         *plugin,
                               const char         *licence,
                               const char         *redirect_uri,
                               const char         *redirect_note)
{
  _stamp_export_wp_comment (out, "%s signs in to Google with OAuth, and %s cannot use OAuth for "
                                 "SMTP. Its Gmail mailer sends through the Gmail API instead, "
                                 "signed in through an OAuth client of your own in Google "
                                 "Cloud. Stamp's client is for Stamp alone and does not work "
                                 "here.", stamp_export_from_address (context), plugin);
  if (licence != NULL)
    _stamp_export_wp_comment (out, "%s", licence);
  _stamp_export_wp_blank (out);
  _stamp_export_wp_comment (out, "1. Google Cloud console (console.cloud.google.com): pick or "
                                 "create a project; APIs & Services > Library: enable the Gmail "
                                 "API.");
  _stamp_export_wp_comment (out, "2. Google Auth Platform (the OAuth consent screen): set it "
                                 "up. Audience: Internal for a Google Workspace account; "
                                 "otherwise External, then publish the app, as the sign-in of "
                                 "an app left in Testing stops working after 7 days.");
  if (redirect_uri != NULL)
    _stamp_export_wp_comment (out, "3. Clients > Create client, type \"Web application\". "
                                   "Authorized redirect URI:\n"
                                   "   %s", redirect_uri);
  else
    _stamp_export_wp_comment (out, "3. Clients > Create client, type \"Web application\". "
                                   "Authorized redirect URI: the one the plugin shows.");
  if (redirect_note != NULL)
    _stamp_export_wp_comment (out, "   %s", redirect_note);
  _stamp_export_wp_comment (out, "   Copy the Client ID and the Client secret.");

  stamp_export_result_add_note (result, _("The plugin sends Google OAuth mail through the Gmail "
                                          "API, with an OAuth client of your own in Google "
                                          "Cloud; the file lists the steps"));
  if (stamp_export_context_get_secret (context) != NULL)
    stamp_export_result_add_note (result, _("Stamp’s own sign-in is not in the file: the plugin "
                                            "signs in with its own OAuth client"));
}

/* WP Mail SMTP and Easy WP SMTP. */

static void
define_c (GString                      *out,
          const StampExportWpConstants *plugin,
          const char                   *suffix,
          const char                   *literal,
          const char                   *comment)
{
  g_autofree char *name = g_strdup_printf ("%s_%s", plugin->prefix, suffix);

  _stamp_export_wp_define (out, name, literal, comment);
}

static void
define_c_string (GString                      *out,
                 const StampExportWpConstants *plugin,
                 const char                   *suffix,
                 const char                   *value,
                 const char                   *comment)
{
  g_autofree char *literal = stamp_export_php_string (value);

  define_c (out, plugin, suffix, literal, comment);
}

static void
define_from (GString                      *out,
             const StampExportWpConstants *plugin,
             StampExportContext           *context)
{
  const char *name = _stamp_export_wp_display_name (context);

  define_c_string (out, plugin, "MAIL_FROM", stamp_export_from_address (context), NULL);
  define_c (out, plugin, "MAIL_FROM_FORCE", "true", "even when another plugin sets a From");
  if (name != NULL)
    define_c_string (out, plugin, "MAIL_FROM_NAME", name, NULL);
}

#define PASTE_STEP "Paste the define() lines into wp-config.php, above the line \"That's all, " \
                   "stop editing!\"."
#define ON_COMMENT "a bare true: the string 'true' turns all of these off"

static void
constants_smtp (GString                      *out,
                const StampExportWpConstants *plugin,
                StampExportContext           *context,
                StampExportResult            *result)
{
  StampAccount *account = stamp_export_context_get_account (context);
  gboolean signs_in = stamp_export_context_get_auth (context) != STAMP_EXPORT_AUTH_NONE;
  gboolean encrypted = stamp_account_get_security (account) != STAMP_SECURITY_NONE;
  g_autofree char *port = g_strdup_printf ("%u", stamp_account_get_effective_port (account));
  g_autofree char *pass = g_strdup_printf ("%s_SMTP_PASS", plugin->prefix);

  _stamp_export_wp_comment (out, PASTE_STEP " %s then shows these settings greyed out: change "
                                 "them in wp-config.php, not in WordPress.", plugin->plugin);
  _stamp_export_wp_comment (out, "Then send a test email: %s.", plugin->test_page);
  _stamp_export_wp_smtp_cautions (out, context, result);
  _stamp_export_wp_blank (out);
  if (stamp_export_context_get_secret (context) != NULL)
    _stamp_export_wp_comment (out, "This file holds the %s: share it with no one.",
                              password_word (context));
  else if (signs_in)
    _stamp_export_wp_comment (out, "The %s is not in this file: put it in %s below.",
                              password_word (context), pass);
  else
    _stamp_export_wp_comment (out, "No user name or password: this account does not sign in.");
  _stamp_export_wp_end_comment (out);

  define_c (out, plugin, "ON", "true", ON_COMMENT);
  define_c_string (out, plugin, "MAILER", "smtp", "\"Other SMTP\"");
  define_c_string (out, plugin, "SMTP_HOST", stamp_account_get_host (account), NULL);
  define_c (out, plugin, "SMTP_PORT", port, NULL);
  g_string_append (out, "// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the "
                        "first byte\n// (port 465), '' is none.\n");
  define_c_string (out, plugin, "SSL", stamp_export_tls_or_ssl (context), NULL);
  define_c (out, plugin, "SMTP_AUTOTLS", encrypted ? "true" : "false",
            encrypted ? NULL : "no STARTTLS either, as the account was set up");
  define_c (out, plugin, "SMTP_AUTH", signs_in ? "true" : "false",
            signs_in ? NULL : "this account does not sign in");
  if (signs_in)
    {
      define_c_string (out, plugin, "SMTP_USER", stamp_export_username (context), NULL);
      _stamp_export_wp_secret_comment (out, context, pass);
      define_c_string (out, plugin, "SMTP_PASS",
                       stamp_export_secret_or_placeholder (context, result), NULL);
    }
  define_from (out, plugin, context);
}

static void
constants_microsoft (GString                      *out,
                     const StampExportWpConstants *plugin,
                     StampExportContext           *context,
                     StampExportResult            *result)
{
  const char *address = stamp_export_from_address (context);

  _stamp_export_wp_microsoft_intro (out, context, plugin->plugin,
                                    "its \"Microsoft 365 / Outlook\" mailer");
  _stamp_export_wp_comment (out, "%s", plugin->outlook_licence);
  _stamp_export_wp_blank (out);
  _stamp_export_wp_entra_steps (out, context, result, plugin->outlook_redirect,
                                plugin->outlook_account_types, "Mail.Send, offline_access");
  _stamp_export_wp_comment (out, "4. Put the Application (client) ID and the secret's Value in "
                                 "the two OUTLOOK lines below.");
  _stamp_export_wp_comment (out, "5. " PASTE_STEP);
  _stamp_export_wp_comment (out, "6. %s: sign in to Microsoft as %s when the mailer asks you "
                                 "to.", plugin->settings_page, address);
  _stamp_export_wp_comment (out, "7. Send a test email: %s.", plugin->test_page);
  _stamp_export_wp_end_comment (out);

  define_c (out, plugin, "ON", "true", ON_COMMENT);
  define_c_string (out, plugin, "MAILER", "outlook", "Microsoft Graph, not SMTP");
  define_c_string (out, plugin, "OUTLOOK_CLIENT_ID", STAMP_EXPORT_WP_CLIENT_ID_PLACEHOLDER, NULL);
  define_c_string (out, plugin, "OUTLOOK_CLIENT_SECRET",
                   STAMP_EXPORT_WP_CLIENT_SECRET_PLACEHOLDER, NULL);
  define_from (out, plugin, context);

  stamp_export_result_add_note (result, _(plugin->outlook_note));
}

static void
constants_google (GString                      *out,
                  const StampExportWpConstants *plugin,
                  StampExportContext           *context,
                  StampExportResult            *result)
{
  const char *address = stamp_export_from_address (context);
  g_autofree char *relay = NULL;

  if (plugin->gmail_redirect != NULL)
    relay = g_strdup_printf ("(%s's relay, which hands Google's answer back to your site.)",
                             plugin->plugin);
  _stamp_export_wp_google_steps (out, context, result, plugin->plugin, plugin->gmail_licence,
                                 plugin->gmail_redirect, relay);
  if (plugin->gmail_constants)
    {
      _stamp_export_wp_comment (out, "4. Put the Client ID and the Client secret in the two "
                                     "GMAIL lines below.");
      _stamp_export_wp_comment (out, "5. " PASTE_STEP);
    }
  else
    {
      _stamp_export_wp_comment (out, "4. " PASTE_STEP);
      _stamp_export_wp_comment (out, "5. %s: enter the Client ID and the Client secret there; "
                                     "%s has no constants for them.", plugin->settings_page,
                                plugin->plugin);
    }
  _stamp_export_wp_comment (out, "6. %s: sign in with Google as %s when the mailer asks you to.",
                            plugin->settings_page, address);
  _stamp_export_wp_comment (out, "7. Send a test email: %s.", plugin->test_page);
  _stamp_export_wp_end_comment (out);

  define_c (out, plugin, "ON", "true", ON_COMMENT);
  define_c_string (out, plugin, "MAILER", "gmail", "the Gmail API, not SMTP");
  if (plugin->gmail_constants)
    {
      define_c_string (out, plugin, "GMAIL_CLIENT_ID", STAMP_EXPORT_WP_GOOGLE_ID_PLACEHOLDER,
                       NULL);
      define_c_string (out, plugin, "GMAIL_CLIENT_SECRET",
                       STAMP_EXPORT_WP_GOOGLE_SECRET_PLACEHOLDER, NULL);
    }
  define_from (out, plugin, context);

  if (plugin->gmail_note != NULL)
    stamp_export_result_add_note (result, _(plugin->gmail_note));
}

gboolean
_stamp_export_wp_render_constants (const StampExportWpConstants  *plugin,
                                   StampExportContext            *context,
                                   StampExportResult             *result,
                                   GError                       **error)
{
  GString *out = g_string_new (NULL);

  _stamp_export_wp_begin (out, context, plugin->plugin);
  switch (_stamp_export_wp_mailer (context))
    {
    case STAMP_EXPORT_WP_MICROSOFT:
      constants_microsoft (out, plugin, context, result);
      break;
    case STAMP_EXPORT_WP_GOOGLE:
      constants_google (out, plugin, context, result);
      break;
    case STAMP_EXPORT_WP_SMTP:
    default:
      constants_smtp (out, plugin, context, result);
      break;
    }

  stamp_export_result_take_text (result, out);
  return TRUE;
}

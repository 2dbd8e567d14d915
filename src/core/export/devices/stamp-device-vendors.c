/* stamp-device-vendors.c
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

#define G_LOG_DOMAIN "stamp-device-vendors"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-device-vendors.h"

/* What each make's web page calls the scan-to-email settings, from the
 * exporter research notes (B1). The labels are quoted from the vendors'
 * English interfaces and vary by model and firmware, so the sheet says
 * so; where a note gives two names, both are printed. OAuth support is
 * "yes" only where a vendor source says so. */

#define ARROW " \u2192 "

static const StampDeviceVendor vendors[] = {
  {
    .id = "hp",
    .name = "HP",
    .interface = "Embedded Web Server (FutureSmart)",
    .menu = "Scan/Digital Send" ARROW "Email Setup" ARROW "Outgoing Email Servers (SMTP); "
            "Pro models: Scan to Email" ARROW "Outgoing Email Profiles",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "Server Address / SMTP Server" },
      { STAMP_DEVICE_FIELD_PORT, "Port / SMTP Port" },
      /* Ticked on port 587 it uses STARTTLS. */
      { STAMP_DEVICE_FIELD_SECURITY,
        "Enable SMTP SSL Protocol / SMTP server requires a secure connection (SSL/TLS)",
        .flags = STAMP_DEVICE_LABEL_CHECKBOX | STAMP_DEVICE_LABEL_TLS_BY_PORT },
      { STAMP_DEVICE_FIELD_AUTH, "Server requires authentication",
        .flags = STAMP_DEVICE_LABEL_CHECKBOX },
      { STAMP_DEVICE_FIELD_USER, "User Name / SMTP User ID" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Default From / Email Address" },
      { STAMP_DEVICE_FIELD_SENDER_NAME, "Display Name" },
    },
    .oauth = STAMP_DEVICE_OAUTH_UNVERIFIED,
    .oauth_how = N_("Third-party guides describe it for LaserJet Enterprise models."),
  },
  {
    .id = "brother",
    .name = "Brother",
    .interface = "Web Based Management",
    .menu = "Network" ARROW "Protocol" ARROW "SMTP" ARROW "Advanced Settings",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server Address" },
      { STAMP_DEVICE_FIELD_PORT, "SMTP Port" },
      { STAMP_DEVICE_FIELD_SECURITY, "SSL/TLS", "TLS", "SSL", "None" },
      { STAMP_DEVICE_FIELD_AUTH, "Authentication Method for SMTP Server", "SMTP-AUTH", NULL,
        "None" },
      { STAMP_DEVICE_FIELD_USER, "SMTP-AUTH Account Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Device E-mail Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_UNVERIFIED,
  },
  {
    .id = "canon",
    .name = "Canon",
    .interface = "Remote UI (imageRUNNER ADVANCE)",
    .menu = "Settings/Registration" ARROW "Function Settings" ARROW "Send" ARROW
            "Network Settings \u2013 E-mail/I-Fax",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server" },
      { STAMP_DEVICE_FIELD_PORT, "SMTP port" },
      /* STARTTLS only: Canon names no TLS-from-the-first-byte choice. */
      { STAMP_DEVICE_FIELD_SECURITY, "Use TLS for SMTP", .flags = STAMP_DEVICE_LABEL_CHECKBOX },
      { STAMP_DEVICE_FIELD_AUTH, "SMTP Authentication (SMTP AUTH)",
        .flags = STAMP_DEVICE_LABEL_CHECKBOX },
      { STAMP_DEVICE_FIELD_USER, "User Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "E-mail Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("Newer firmware: “OAuth 2.0 (Microsoft) Settings”, tick “Use OAuth 2.0 "
                    "(Microsoft)”, authorization server endpoint "
                    "https://login.microsoftonline.com/organizations/oauth2/v2.0; sign in with "
                    "the device code the Remote UI shows, until the token status reads "
                    "“Active”."),
    .source = "https://support.spectrum.tech/portal/en/kb/articles/configuring-oauth-on-mfds-for-scan-to-email",
  },
  {
    .id = "ricoh",
    .name = "Ricoh",
    .interface = "Web Image Monitor",
    .menu = "Device Management" ARROW "Configuration" ARROW "Network" ARROW "SMTP",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server Name" },
      { STAMP_DEVICE_FIELD_PORT, "SMTP Port No." },
      { STAMP_DEVICE_FIELD_SECURITY, "Use Secure Connection (SSL)", "STARTTLS", "On", "Off" },
      { STAMP_DEVICE_FIELD_AUTH, "SMTP Authentication", "On", NULL, "Off" },
      { STAMP_DEVICE_FIELD_AUTH_ADDRESS, "SMTP Auth. E-mail Address" },
      { STAMP_DEVICE_FIELD_USER, "User Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Administrator E-mail Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("Newer firmware signs in through Ricoh’s own Microsoft Entra app. A tenant "
                    "administrator must consent to SMTP.Send and offline_access for it, or "
                    "sending fails with 535."),
    .source = "https://learn.microsoft.com/en-sg/answers/questions/5647542/",
  },
  {
    .id = "xerox",
    .name = "Xerox",
    .interface = "Embedded Web Server (AltaLink, VersaLink, PrimeLink)",
    .menu = "Connectivity" ARROW "Protocols" ARROW "SMTP (Email)",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "Server Address" },
      { STAMP_DEVICE_FIELD_PORT, "Port Number" },
      { STAMP_DEVICE_FIELD_SECURITY, "Connection Security", "STARTTLS", "SSL/TLS",
        "No Encryption" },
      { STAMP_DEVICE_FIELD_AUTH, "Authentication Credentials", "System", NULL, "None" },
      { STAMP_DEVICE_FIELD_USER, "Login Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Device Email Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("AltaLink, VersaLink and PrimeLink models have OAuth 2.0 built in. FUJIFILM "
                    "(formerly Fuji Xerox) models need an administrator to open the tenant "
                    "consent URL first."),
    .source = "https://www.dopartners.be/en/blog/xerox-microsoft-oauth-2-0-the-perfect-combination-for-scanning-to-email/",
  },
  {
    .id = "kyocera",
    .name = "Kyocera",
    .interface = "Command Center RX",
    .menu = "Network Settings" ARROW "Protocol, then Function Settings" ARROW "E-mail",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server Name" },
      { STAMP_DEVICE_FIELD_PORT, "SMTP Port Number" },
      { STAMP_DEVICE_FIELD_SECURITY, "SMTP Security", "STARTTLS", "SSL/TLS", "Off" },
      { STAMP_DEVICE_FIELD_AUTH, "Authentication Protocol", "On", NULL, "Off" },
      { STAMP_DEVICE_FIELD_USER, "Login User Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Login Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Sender Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_UNVERIFIED,
  },
  {
    .id = "konica-minolta",
    .name = "Konica Minolta",
    .interface = "Web Connection (bizhub)",
    .menu = "Network" ARROW "E-mail Setting" ARROW "E-mail TX (SMTP)",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server Address" },
      { STAMP_DEVICE_FIELD_PORT, "Port No." },
      { STAMP_DEVICE_FIELD_SECURITY, "SSL/TLS", "Start TLS", "SMTP over SSL", "OFF" },
      { STAMP_DEVICE_FIELD_AUTH, "SMTP Authentication", "ON", NULL, "OFF" },
      { STAMP_DEVICE_FIELD_USER, "User ID" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Administrator E-mail Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("i-series models: E-mail TX (SMTP) → OAuth Settings, provider Microsoft. "
                    "The token is fetched at the control panel, and the Administrator E-mail "
                    "Address must be set first."),
    .source = "https://manuals.konicaminolta.eu/bizhub-651i-551i-451i/EN/contents/AI_03_01.html",
  },
  {
    .id = "sharp",
    .name = "Sharp",
    .interface = "web page (BP series)",
    .menu = "Network Settings" ARROW "Service Settings" ARROW "SMTP tab",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "Primary Server" },
      { STAMP_DEVICE_FIELD_PORT, "Port Number" },
      { STAMP_DEVICE_FIELD_SENDER_NAME, "Sender Name" },
      { STAMP_DEVICE_FIELD_SENDER, "Sender Address" },
      { STAMP_DEVICE_FIELD_SECURITY, "Enable SSL/TLS",
        .flags = STAMP_DEVICE_LABEL_CHECKBOX | STAMP_DEVICE_LABEL_TLS_BY_PORT
                 | STAMP_DEVICE_LABEL_UNVERIFIED },
      { STAMP_DEVICE_FIELD_AUTH, "Authentication Method", .oauth = "OAuth 2.0" },
      { STAMP_DEVICE_FIELD_USER, "User Name / Account Name" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Password" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("Sharp recommends Authentication Method “OAuth 2.0” for Microsoft 365: "
                    "choose the provider, enter the account name, then “Get Token”. Some "
                    "models fetch the token only at the control panel, not on the web page."),
    .source = "https://global.sharp/restricted/products/copier/downloads/manuals/bpb550wd/us/contents_08-03_004.html",
  },
  {
    .id = "epson",
    .name = "Epson",
    .interface = "Web Config",
    .menu = "Network tab" ARROW "Email Server" ARROW "Basic",
    .labels = {
      { STAMP_DEVICE_FIELD_AUTH, "Authentication Method", "SMTP AUTH", NULL, "Off", "OAuth2" },
      { STAMP_DEVICE_FIELD_USER, "Authenticated Account" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Authenticated Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Sender's Email Address" },
      { STAMP_DEVICE_FIELD_SERVER, "SMTP Server Address" },
      { STAMP_DEVICE_FIELD_PORT, "SMTP Server Port Number" },
      { STAMP_DEVICE_FIELD_SECURITY, "Secure Connection", "STARTTLS", "SSL/TLS", "None" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("Authentication Method “OAuth2”, Email service “Microsoft Exchange Online” "
                    "(or Outlook.com); sign in with the device code. The administrator who "
                    "consents needs the Cloud Application Administrator role and “Consent on "
                    "behalf of organization”."),
    .source = "https://download4.epson.biz/sec_pubs/es-c380w/useg/en/GUID-F5D4639B-E3F2-4894-9DF7-74AB22A39C62.htm",
  },
  {
    .id = "lexmark",
    .name = "Lexmark",
    .interface = "Embedded Web Server",
    .menu = "Settings" ARROW "Email" ARROW "E-mail Setup",
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, "Primary SMTP Gateway" },
      { STAMP_DEVICE_FIELD_PORT, "Primary SMTP Gateway Port" },
      /* "Negotiate" falls back to no encryption; "Required" does not. */
      { STAMP_DEVICE_FIELD_SECURITY, "Use SSL/TLS", "Required", "Required", "Disabled",
        .flags = STAMP_DEVICE_LABEL_TLS_BY_PORT | STAMP_DEVICE_LABEL_UNVERIFIED },
      { STAMP_DEVICE_FIELD_AUTH, "SMTP Server Authentication" },
      { STAMP_DEVICE_FIELD_CREDENTIALS, "Device-Initiated E-mail", "Use Device SMTP Credentials",
        NULL, "None" },
      { STAMP_DEVICE_FIELD_USER, "Device Userid" },
      { STAMP_DEVICE_FIELD_PASSWORD, "Device Password" },
      { STAMP_DEVICE_FIELD_SENDER, "Reply Address" },
    },
    .oauth = STAMP_DEVICE_OAUTH_YES,
    .oauth_how = N_("Firmware 24 and later: Settings → Email → “Set Up OAuth 2.0” → Register, "
                    "for Outlook Live or Microsoft 365; the sign-in code is valid for 15 "
                    "minutes."),
    .source = "https://support.lexmark.com/en_us/manuals-guides/online/FORMS-PRINTER-2591-PLUS/how-to-set-up-oauth-2-authentication.html",
  },
  {
    .id = "generic",
    .name = N_("Other make"),
    .interface = N_("web interface"),
    .menu = N_("the device’s web page (type its IP address into a browser) → its E-mail or "
               "SMTP settings"),
    .labels = {
      { STAMP_DEVICE_FIELD_SERVER, N_("SMTP server (or Server Address, Host)") },
      { STAMP_DEVICE_FIELD_PORT, N_("Port") },
      { STAMP_DEVICE_FIELD_SECURITY, N_("Security (or Encryption, SSL/TLS)"),
        N_("STARTTLS (sometimes just “TLS”)"), N_("SSL/TLS (sometimes just “SSL”)"),
        N_("None") },
      { STAMP_DEVICE_FIELD_AUTH, N_("SMTP authentication"), N_("On"), NULL, N_("Off"),
        N_("OAuth 2.0 (or Microsoft, Modern authentication)") },
      { STAMP_DEVICE_FIELD_USER, N_("User name (or Account, Login)") },
      { STAMP_DEVICE_FIELD_PASSWORD, N_("Password") },
      { STAMP_DEVICE_FIELD_SENDER, N_("From address (or Sender, Device e-mail address)") },
      { STAMP_DEVICE_FIELD_SENDER_NAME, N_("Display name") },
    },
    .oauth = STAMP_DEVICE_OAUTH_UNKNOWN,
    .oauth_how = N_("It depends on the model: look for “OAuth 2.0”, “Modern authentication” or "
                    "“Microsoft” in the e-mail settings; many older devices do not have it."),
    .generic = TRUE,
  },
};

/**
 * stamp_device_vendor_get_n_vendors:
 *
 * Returns: how many makes stamp_device_vendor_get_nth() lists, the generic
 *   one last
 */
guint
stamp_device_vendor_get_n_vendors (void)
{
  return G_N_ELEMENTS (vendors);
}

/**
 * stamp_device_vendor_get_nth:
 * @position: from 0 to stamp_device_vendor_get_n_vendors() - 1
 *
 * The makes in the order the app's drop-down and the CLI's help show
 * them; show a name through stamp_device_vendor_text().
 *
 * Returns: (transfer none): the make
 */
const StampDeviceVendor *
stamp_device_vendor_get_nth (guint position)
{
  g_return_val_if_fail (position < G_N_ELEMENTS (vendors), NULL);

  return &vendors[position];
}

/**
 * stamp_device_vendor_lookup:
 * @id: a vendor id, such as "brother"
 *
 * Returns: (transfer none) (nullable): the make, or %NULL for an id Stamp
 *   does not know
 */
const StampDeviceVendor *
stamp_device_vendor_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    if (g_ascii_strcasecmp (vendors[i].id, id) == 0)
      return &vendors[i];

  return NULL;
}

/**
 * stamp_device_vendor_list_ids:
 *
 * Returns: (transfer full): the known ids, comma-separated, for messages
 */
char *
stamp_device_vendor_list_ids (void)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", vendors[i].id);

  return g_string_free (ids, FALSE);
}

/**
 * stamp_device_vendor_dup_ids:
 *
 * Returns: (transfer full) (array zero-terminated=1): the known ids, in
 *   the order of stamp_device_vendor_get_nth()
 */
char **
stamp_device_vendor_dup_ids (void)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **ids;

  for (guint i = 0; i < G_N_ELEMENTS (vendors); i++)
    g_strv_builder_add (builder, vendors[i].id);

  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

/**
 * stamp_device_vendor_find_label:
 * @vendor: a make
 * @field: a setting
 *
 * Returns: (transfer none) (nullable): how @vendor names @field, or %NULL
 *   when its page has no such setting
 */
const StampDeviceLabel *
stamp_device_vendor_find_label (const StampDeviceVendor *vendor,
                                StampDeviceField         field)
{
  g_return_val_if_fail (vendor != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vendor->labels) && vendor->labels[i].label != NULL; i++)
    if (vendor->labels[i].field == field)
      return &vendor->labels[i];

  return NULL;
}

/**
 * stamp_device_vendor_text:
 * @vendor: a make
 * @text: (nullable): one of @vendor's names or labels
 *
 * Quoted labels stay as the device shows them; the generic make's, which
 * only describe, are translated.
 *
 * Returns: (nullable): @text as the sheet shows it
 */
const char *
stamp_device_vendor_text (const StampDeviceVendor *vendor,
                          const char              *text)
{
  g_return_val_if_fail (vendor != NULL, NULL);

  if (text == NULL)
    return NULL;
  return vendor->generic ? _(text) : text;
}

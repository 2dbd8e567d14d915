/* stamp-device-guide.c
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

#define G_LOG_DOMAIN "stamp-device-guide"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-device-guide.h"
#include "stamp-error.h"
#include "stamp-exporter-private.h"
#include "stamp-net.h"

/* Which way a printer or scanner should send, from what it can do and
 * where the account lives (exporter research notes, B0 and C):
 *
 *  1. it signs in with OAuth itself        → SMTP AUTH submission, OAuth
 *  2. password only, Microsoft 365         → not any more: Basic sign-in for
 *                                            SMTP is off by default from the
 *                                            end of December 2026; use 3–5
 *  3. Microsoft 365, static IP/certificate → relay connector, tenant MX, 25
 *  4. Microsoft 365, own recipients only   → Direct Send, tenant MX, 25
 *  5. port 25 or old TLS only              → a relay on the LAN (Postfix)
 *
 * A device set up in Stamp Relay goes through it instead, with the values
 * it was given, and the sheet still lists the other paths.
 *
 * Other providers have 1, a password (usually an app password) and 5.
 * When nobody said what the device can do, the sheet fills in the likely
 * path and lists every other one with when it applies. */

typedef struct
{
  StampExportContext  *context;
  StampDeviceGuide    *guide;
  StampDeviceFeatures  features;
  gboolean             known;
  gboolean             m365;
  StampExportAuth      auth;
  const char          *device;    /* "Brother", or "device" */
  const char          *provider;  /* "Microsoft 365", "Fastmail", … */
} Decision;

static void
option_free (gpointer data)
{
  StampDeviceOption *option = data;

  g_free (option->when);
  g_free (option);
}

static gboolean
has (Decision            *d,
     StampDeviceFeatures  feature)
{
  return !d->known || (d->features & feature) != 0;
}

static const char *
security_name (StampSecurity security)
{
  switch (security)
    {
    case STAMP_SECURITY_TLS:
      return _("TLS from the first byte");
    case STAMP_SECURITY_NONE:
      return _("no encryption");
    case STAMP_SECURITY_STARTTLS:
    default:
      return "STARTTLS";
    }
}

static char *
oauth_support (Decision *d)
{
  const StampDeviceVendor *vendor = d->guide->vendor;

  switch (vendor->oauth)
    {
    case STAMP_DEVICE_OAUTH_YES:
      /* Translators: %s is a printer make, "Canon" */
      return g_strdup_printf (_("%s has it on newer models or firmware"), vendor->name);
    case STAMP_DEVICE_OAUTH_UNVERIFIED:
      /* Translators: %s is a printer make, "Brother" */
      return g_strdup_printf (_("unverified for %s"), vendor->name);
    case STAMP_DEVICE_OAUTH_UNKNOWN:
    default:
      return g_strdup (_("it depends on the model"));
    }
}

static const char *
mx_or_placeholder (Decision *d)
{
  return d->guide->tenant_mx != NULL ? d->guide->tenant_mx : _("your tenant’s MX host");
}

static void
add_other (Decision        *d,
           StampDevicePath  path,
           char            *when)
{
  StampDeviceOption *option = g_new0 (StampDeviceOption, 1);

  option->path = path;
  option->when = when;
  g_ptr_array_add (d->guide->others, option);
}

/* The Microsoft 365 submission endpoint: smtp.office365.com (or the US
 * Government cloud's host), 587, STARTTLS; never 465. */
static const StampEndpoint *
m365_endpoint (Decision *d)
{
  StampProvider *provider = stamp_export_context_get_provider (d->context);

  return stamp_provider_get_n_endpoints (provider) > 0
         ? stamp_provider_get_endpoint (provider, 0) : NULL;
}

static const char *
m365_host (Decision *d)
{
  const StampEndpoint *endpoint = m365_endpoint (d);

  return endpoint != NULL ? endpoint->host : "smtp.office365.com";
}

static void
set_m365_submission (Decision *d)
{
  const StampEndpoint *endpoint = m365_endpoint (d);

  d->guide->host = g_strdup (m365_host (d));
  d->guide->port = endpoint != NULL ? endpoint->port : 587;
  d->guide->security = STAMP_SECURITY_STARTTLS;
}

/* Whether the vendor's form can do TLS from the first byte (port 465). */
static gboolean
vendor_has_implicit_tls (const StampDeviceVendor *vendor)
{
  const StampDeviceLabel *label = stamp_device_vendor_find_label (vendor,
                                                                  STAMP_DEVICE_FIELD_SECURITY);

  return label != NULL
         && (label->tls != NULL || (label->flags & STAMP_DEVICE_LABEL_TLS_BY_PORT) != 0);
}

static gboolean
device_can_use (Decision      *d,
                StampSecurity  security)
{
  switch (security)
    {
    case STAMP_SECURITY_STARTTLS:
      return has (d, STAMP_DEVICE_STARTTLS);
    case STAMP_SECURITY_TLS:
      return vendor_has_implicit_tls (d->guide->vendor);
    case STAMP_SECURITY_NONE:
    default:
      return TRUE;
    }
}

/* The account's own server, or another endpoint of its provider when the
 * device cannot do the account's kind of TLS (STARTTLS, or TLS from the
 * first byte, which Canon's form does not offer). */
static gboolean
set_account_submission (Decision *d)
{
  StampAccount *account = stamp_export_context_get_account (d->context);
  StampProvider *provider = stamp_export_context_get_provider (d->context);
  StampSecurity security = stamp_account_get_security (account);

  if (device_can_use (d, security))
    {
      d->guide->host = g_strdup (stamp_account_get_host (account));
      d->guide->port = stamp_account_get_effective_port (account);
      d->guide->security = security;
      return TRUE;
    }

  for (guint i = 0; provider != NULL && i < stamp_provider_get_n_endpoints (provider); i++)
    {
      const StampEndpoint *endpoint = stamp_provider_get_endpoint (provider, i);

      if (endpoint->security != STAMP_SECURITY_NONE && device_can_use (d, endpoint->security))
        {
          d->guide->host = g_strdup (endpoint->host);
          d->guide->port = endpoint->port;
          d->guide->security = endpoint->security;
          return TRUE;
        }
    }

  return FALSE;
}

static void
choose_m365 (Decision *d)
{
  StampDeviceGuide *g = d->guide;
  const char *address = stamp_export_from_address (d->context);
  g_autofree char *support = oauth_support (d);

  if (d->auth != STAMP_EXPORT_AUTH_NONE && (!d->known || (d->features & STAMP_DEVICE_OAUTH)))
    {
      g->path = STAMP_DEVICE_PATH_SUBMISSION_OAUTH;
      g->sign_in = TRUE;
      set_m365_submission (d);
      if (d->known)
        /* Translators: "Your Canon can sign in…", then a host and an address */
        g->why = g_strdup_printf (_("Your %s can sign in to Microsoft 365 itself (OAuth), so it "
                                    "sends like a mail app: through %s, to anyone, as %s."),
                                  d->device, g->host, address);
      else
        /* Translators: an address, a printer make, then "unverified for Brother" */
        g->why = g_strdup_printf (_("Microsoft’s recommended path: the device signs in to "
                                    "Microsoft 365 itself (OAuth) and sends to anyone, as %s. "
                                    "Stamp was not told what your %s can do (OAuth: %s); if it "
                                    "cannot sign in with Microsoft, use another path below."),
                                  address, d->device, support);
      return;
    }

  g->path = STAMP_DEVICE_PATH_RELAY_CONNECTOR;
  g->host = g_strdup (g->tenant_mx);
  g->port = 25;
  g->security = has (d, STAMP_DEVICE_TLS_1_2) && has (d, STAMP_DEVICE_STARTTLS)
                ? STAMP_SECURITY_STARTTLS : STAMP_SECURITY_NONE;

  if (d->auth == STAMP_EXPORT_AUTH_NONE)
    g->why = g_strdup (_("This account is set up as a relay: the device hands scans to your "
                         "organisation’s Microsoft 365 mail server (its MX host) on port 25 "
                         "without signing in, and a connector recognises your office’s public IP "
                         "address or certificate."));
  else if ((d->features & STAMP_DEVICE_PASSWORD) && g->security == STAMP_SECURITY_STARTTLS)
    g->why = g_strdup_printf (_("Your %s can sign in only with a password, and Microsoft 365 "
                                "turns password (Basic) sign-in for SMTP off by default at the "
                                "end of December 2026. So it hands scans to your organisation’s "
                                "Microsoft 365 mail server (its MX host) on port 25 instead, "
                                "accepted by a connector for your office’s public IP address."),
                              d->device);
  else
    g->why = g_strdup_printf (_("Your %s can neither sign in with Microsoft nor use TLS 1.2 "
                                "with STARTTLS, so it hands scans to your organisation’s "
                                "Microsoft 365 mail server (its MX host) on port 25 without "
                                "signing in, accepted by a connector for your office’s public IP "
                                "address."),
                              d->device);
}

static void
choose_other (Decision *d)
{
  StampDeviceGuide *g = d->guide;
  StampAccount *account = stamp_export_context_get_account (d->context);
  g_autofree char *support = oauth_support (d);

  if (d->auth == STAMP_EXPORT_AUTH_NONE)
    {
      /* The account's server takes mail without a sign-in: a relay already. */
      g->path = STAMP_DEVICE_PATH_LOCAL_RELAY;
      g->host = g_strdup (stamp_account_get_host (account));
      g->port = stamp_account_get_effective_port (account);
      g->security = stamp_account_get_security (account);
      g->why = g_strdup_printf (_("This account sends through %s without signing in, so the "
                                  "device does the same."), g->host);
      return;
    }

  if (d->auth == STAMP_EXPORT_AUTH_OAUTH && (!d->known || (d->features & STAMP_DEVICE_OAUTH))
      && set_account_submission (d))
    {
      g->path = STAMP_DEVICE_PATH_SUBMISSION_OAUTH;
      g->sign_in = TRUE;
      if (d->known)
        g->why = g_strdup_printf (_("Your %s can sign in to %s itself (OAuth), so it sends like "
                                    "a mail app, as %s."),
                                  d->device, d->provider, stamp_export_from_address (d->context));
      else
        g->why = g_strdup_printf (_("This account signs in with OAuth, so the device should too "
                                    "(OAuth: %s). Stamp was not told what your %s can do; if it "
                                    "cannot, see the other paths below."),
                                  support, d->device);
      return;
    }

  if (has (d, STAMP_DEVICE_PASSWORD) && has (d, STAMP_DEVICE_TLS_1_2) && set_account_submission (d))
    {
      g->path = STAMP_DEVICE_PATH_SUBMISSION_PASSWORD;
      g->sign_in = TRUE;
      g->password = TRUE;
      if (!d->known)
        g->why = g_strdup_printf (_("The usual path: your %s signs in to %s with a user name and "
                                    "password over TLS, like a mail app. Stamp was not told what "
                                    "the device can do; if it cannot, see the other paths below."),
                                  d->device, d->provider);
      else if (d->auth == STAMP_EXPORT_AUTH_OAUTH)
        g->why = g_strdup_printf (_("Your %s cannot sign in to %s with OAuth, so it signs in with "
                                    "a user name and an app password over TLS instead."),
                                  d->device, d->provider);
      else
        g->why = g_strdup_printf (_("Your %s signs in to %s with a user name and password over "
                                    "TLS, like a mail app."),
                                  d->device, d->provider);
      return;
    }

  g->path = STAMP_DEVICE_PATH_LOCAL_RELAY;
  g->port = 25;
  g->security = STAMP_SECURITY_NONE;
  if (has (d, STAMP_DEVICE_PASSWORD) && has (d, STAMP_DEVICE_TLS_1_2))
    /* Translators: "smtp.example.org takes mail only with STARTTLS, which your Canon…" */
    g->why = g_strdup_printf (_("%s takes mail only with %s, which your %s does not offer, so "
                                "the device sends to a small relay on your network (such as "
                                "Postfix), which signs in for it."),
                              stamp_account_get_host (account),
                              security_name (stamp_account_get_security (account)), d->device);
  else
    g->why = g_strdup_printf (_("Your %s cannot sign in to %s over TLS 1.2, so it sends to a "
                                "small relay on your network (such as Postfix), which signs in "
                                "for it."),
                              d->device, d->provider);
}

/* The device was set up in Stamp Relay: it sends to this computer with
 * its own credentials, whatever it can or cannot do with the provider. */
static void
choose_stamp_relay (Decision               *d,
                    const StampExportRelay *relay)
{
  StampDeviceGuide *g = d->guide;

  g->path = STAMP_DEVICE_PATH_STAMP_RELAY;
  g->host = g_strdup (relay->host);
  g->port = relay->port;
  g->security = relay->starttls ? STAMP_SECURITY_STARTTLS : STAMP_SECURITY_NONE;
  g->sign_in = relay->user != NULL;
  g->password = relay->user != NULL;
  /* Translators: "…as alice@contoso.com, signing in to Microsoft 365 itself, so your Brother…" */
  g->why = g_strdup_printf (_("Stamp on this computer takes the scans on your network (Stamp "
                              "Relay) and sends them on as %s, signing in to %s itself, so your "
                              "%s needs neither OAuth nor a password the provider accepts."),
                            stamp_export_from_address (d->context), d->provider, d->device);
}

/* “192.168.1.20:2525”, “[fd00::20]:2525” */
static char *
listen_address (const StampDeviceGuide *g)
{
  if (strchr (g->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", g->host, g->port);
  return g_strdup_printf ("%s:%u", g->host, g->port);
}

static void
add_before_stamp_relay (Decision *d)
{
  StampDeviceGuide *g = d->guide;
  g_autofree char *listen = listen_address (g);

  g_ptr_array_add (g->before,
                   g_strdup_printf (_("Stamp Relay runs on this computer and listens on %s "
                                      "(“stamp-cli relay serve --listen %s”, or “stamp-cli relay "
                                      "install-service” to keep it running)."), listen, listen));
  g_ptr_array_add (g->before,
                   g_strdup (_("Give this computer a fixed address on your network (a "
                               "reservation in your router), so the device keeps finding it.")));
  if (!g->sign_in)
    g_ptr_array_add (g->before,
                     g_strdup (_("The device sends without signing in, so Stamp Relay takes its "
                                 "mail only from the network addresses it was set up for.")));
}

static void
add_before (Decision *d)
{
  StampDeviceGuide *g = d->guide;
  StampProvider *provider = stamp_export_context_get_provider (d->context);
  const char *address = stamp_export_from_address (d->context);

  switch (g->path)
    {
    case STAMP_DEVICE_PATH_SUBMISSION_OAUTH:
      if (d->m365)
        {
          g_ptr_array_add (g->before,
                           g_strdup_printf (_("An administrator turns on Authenticated SMTP for %s "
                                              "(Microsoft 365 admin center → the user → Mail → "
                                              "Manage email apps)."), address));
          g_ptr_array_add (g->before,
                           g_strdup (_("The device’s sign-in usually needs an administrator’s "
                                       "consent for the organisation.")));
        }
      g_ptr_array_add (g->before,
                       g_strdup_printf (_("Turn on OAuth in the device’s e-mail settings and sign "
                                          "in as %s."), address));
      break;

    case STAMP_DEVICE_PATH_SUBMISSION_PASSWORD:
      if (d->auth == STAMP_EXPORT_AUTH_OAUTH
          || (provider != NULL && stamp_provider_needs_app_password (provider)))
        g_ptr_array_add (g->before,
                         g_strdup_printf (_("Create an app password for the device in your %s "
                                            "account settings; your regular password will not "
                                            "work."), d->provider));
      else
        g_ptr_array_add (g->before,
                         g_strdup_printf (_("Use the password of %s; if your provider offers app "
                                            "passwords, make one just for the device."), address));
      break;

    case STAMP_DEVICE_PATH_RELAY_CONNECTOR:
      g_ptr_array_add (g->before,
                       g_strdup (_("In the Exchange admin center, Mail flow → Connectors, add a "
                                   "connector from “Your organization's email server” to "
                                   "Microsoft 365 that recognises your office’s static public IP "
                                   "address (or a certificate whose name is one of your "
                                   "domains).")));
      g_ptr_array_add (g->before,
                       g_strdup (_("Send from an address in one of your domains; it needs no "
                                   "mailbox of its own.")));
      break;

    case STAMP_DEVICE_PATH_LOCAL_RELAY:
      if (d->auth != STAMP_EXPORT_AUTH_NONE)
        g_ptr_array_add (g->before,
                         g_strdup_printf (_("Set up the relay first (“stamp-cli export postfix "
                                            "--account %s” writes its settings) and enter its "
                                            "address on your network as the server."), address));
      break;

    case STAMP_DEVICE_PATH_STAMP_RELAY:
      add_before_stamp_relay (d);
      break;

    case STAMP_DEVICE_PATH_DIRECT_SEND:
    default:
      break;
    }
}

static void
add_cautions (Decision *d)
{
  StampDeviceGuide *g = d->guide;

  /* First, since nothing else on the sheet works without it: on the device
   * 127.0.0.1 is the device itself (Proton Mail Bridge, a test server). */
  if (g->host != NULL && stamp_host_is_loopback (g->host))
    g_ptr_array_add (g->cautions,
                     g_strdup_printf (_("%s is this computer’s loopback address, which only "
                                        "programs on this computer can reach: a printer or "
                                        "scanner cannot. Enter this computer’s address on your "
                                        "network instead, with the server listening on it, or "
                                        "send through a relay on your network."), g->host));
  if (g->path == STAMP_DEVICE_PATH_STAMP_RELAY && g->security == STAMP_SECURITY_STARTTLS)
    g_ptr_array_add (g->cautions,
                     g_strdup (_("Stamp Relay’s certificate is its own, not one from a public "
                                 "authority: if the device checks server certificates, turn that "
                                 "check off for this server or import the certificate.")));
  if (g->path == STAMP_DEVICE_PATH_STAMP_RELAY && g->security == STAMP_SECURITY_NONE)
    g_ptr_array_add (g->cautions,
                     g_strdup (_("Without STARTTLS the device’s password and scans cross your "
                                 "network unencrypted: keep it to a network you trust.")));
  if (d->m365 && g->path != STAMP_DEVICE_PATH_STAMP_RELAY)
    g_ptr_array_add (g->cautions,
                     g_strdup (_("Port 465 usually fails with Microsoft 365: a device set to it "
                                 "cannot agree on a TLS version Microsoft accepts. Use the port on "
                                 "this sheet.")));
  if (g->path == STAMP_DEVICE_PATH_SUBMISSION_OAUTH && d->m365)
    g_ptr_array_add (g->cautions,
                     g_strdup_printf (_("%s needs TLS 1.2 or newer; older firmware fails in the "
                                        "handshake. Update it, and raise the device’s minimum TLS "
                                        "version if it has one."), g->host));
  if (g->path == STAMP_DEVICE_PATH_RELAY_CONNECTOR && g->security == STAMP_SECURITY_NONE)
    g_ptr_array_add (g->cautions,
                     g_strdup (_("Without TLS the scans cross the internet unencrypted. A relay "
                                 "on your network (below) can add TLS; so can newer firmware.")));
  if (g->password)
    g_ptr_array_add (g->cautions,
                     g_strdup (_("Older devices mishandle some special characters in passwords; "
                                 "if a correct password is refused, try one without them.")));
}

static void
add_others (Decision *d)
{
  StampDeviceGuide *g = d->guide;
  StampAccount *account = stamp_export_context_get_account (d->context);
  const char *mx = mx_or_placeholder (d);
  g_autofree char *support = oauth_support (d);

  if (g->path != STAMP_DEVICE_PATH_SUBMISSION_OAUTH && has (d, STAMP_DEVICE_OAUTH))
    {
      if (d->m365)
        add_other (d, STAMP_DEVICE_PATH_SUBMISSION_OAUTH,
                   /* Translators: the last %s is "Canon has it on newer models or firmware" */
                   g_strdup_printf (_("%s, port 587, STARTTLS; the device signs in with "
                                      "Microsoft itself. When: it has Microsoft 365 OAuth (%s) and "
                                      "sends as a licensed mailbox; an administrator turns on "
                                      "Authenticated SMTP for it."), m365_host (d), support));
      else if (d->auth == STAMP_EXPORT_AUTH_OAUTH)
        add_other (d, STAMP_DEVICE_PATH_SUBMISSION_OAUTH,
                   g_strdup_printf (_("%s, port %u; the device signs in with %s itself. When: it "
                                      "has OAuth for %s."),
                                    stamp_account_get_host (account),
                                    stamp_account_get_effective_port (account),
                                    d->provider, d->provider));
    }

  if (g->path != STAMP_DEVICE_PATH_SUBMISSION_PASSWORD && has (d, STAMP_DEVICE_PASSWORD))
    {
      /* Said even to a device that could: it is why the sheet chose otherwise. */
      if (d->m365)
        add_other (d, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD,
                   g_strdup (_("Not for Microsoft 365: Microsoft turns password (Basic) sign-in "
                               "for SMTP off by default at the end of December 2026 and will "
                               "remove it later. Use another path here, or a mail provider that "
                               "offers app passwords.")));
      else if (d->auth != STAMP_EXPORT_AUTH_NONE && has (d, STAMP_DEVICE_TLS_1_2)
               && device_can_use (d, stamp_account_get_security (account)))
        add_other (d, STAMP_DEVICE_PATH_SUBMISSION_PASSWORD,
                   g_strdup_printf (_("%s, port %u, %s, with the user name and an app password. "
                                      "When: the device speaks TLS 1.2 and signs in with a "
                                      "password."),
                                    stamp_account_get_host (account),
                                    stamp_account_get_effective_port (account),
                                    security_name (stamp_account_get_security (account))));
    }

  if (d->m365 && g->path != STAMP_DEVICE_PATH_RELAY_CONNECTOR)
    add_other (d, STAMP_DEVICE_PATH_RELAY_CONNECTOR,
               g_strdup_printf (_("%s, port 25, no sign-in. When: your office has a static public "
                                  "IP address of its own (or the device presents a certificate). "
                                  "Sends to anyone, from any address in your domains, through a "
                                  "connector from “Your organization's email server”."), mx));
  if (d->m365)
    add_other (d, STAMP_DEVICE_PATH_DIRECT_SEND,
               g_strdup_printf (_("%s, port 25, no sign-in. When: scans only go to people in your "
                                  "own organisation. Add your office’s public IP address to your "
                                  "domain’s SPF record. It stops working if an administrator "
                                  "turns on Set-OrganizationConfig -RejectDirectSend $true."), mx));

  if (g->path != STAMP_DEVICE_PATH_LOCAL_RELAY)
    {
      if (d->m365)
        add_other (d, STAMP_DEVICE_PATH_LOCAL_RELAY,
                   g_strdup (_("The device sends to a relay on your network, such as Postfix, "
                               "on port 25; the relay signs in to Microsoft 365 with OAuth (or "
                               "to a High Volume Email account) for it. When: the device only "
                               "does port 25 or TLS older than 1.2. “stamp-cli export postfix” "
                               "writes its settings.")));
      else
        add_other (d, STAMP_DEVICE_PATH_LOCAL_RELAY,
                   g_strdup_printf (_("The device sends to a relay on your network, such as "
                                      "Postfix, on port 25, which signs in to %s for it. When: the "
                                      "device cannot do TLS 1.2 or sign in. “stamp-cli export "
                                      "postfix” writes its settings."), d->provider));
    }
}

static void
add_checks (Decision *d)
{
  StampDeviceGuide *g = d->guide;

  g_ptr_array_add (g->checks, g_strdup (_("Save, then send a test scan to yourself.")));
  g_ptr_array_add (g->checks,
                   g_strdup (_("Send one to an address at another company or provider too, "
                               "and look in its junk folder.")));
  if (g->path == STAMP_DEVICE_PATH_SUBMISSION_OAUTH)
    g_ptr_array_add (g->checks,
                     g_strdup (_("Check that the device’s OAuth token status reads active or "
                                 "valid.")));
  if (g->path == STAMP_DEVICE_PATH_STAMP_RELAY)
    g_ptr_array_add (g->checks,
                     g_strdup (_("“stamp-cli relay status” (or Stamp’s Devices page) shows the "
                                 "scan as waiting, then delivered.")));
  g_ptr_array_add (g->checks,
                   g_strdup (_("If the device reports an error, “stamp-cli explain "
                               "\"SERVER REPLY\"” says what the server’s reply means and what to "
                               "do.")));
}

/**
 * stamp_device_guide_new:
 * @context: the account, device make and abilities, and tenant MX host
 * @error: return location for a #GError
 *
 * Decides how the device should send. Fails with
 * %STAMP_ERROR_EXPORT_UNSUPPORTED for a make Stamp does not know.
 *
 * Returns: (transfer full) (nullable): the decision, or %NULL
 */
StampDeviceGuide *
stamp_device_guide_new (StampExportContext  *context,
                        GError             **error)
{
  g_autoptr(StampDeviceGuide) guide = NULL;
  const StampDeviceVendor *vendor;
  const StampExportRelay *relay;
  StampProvider *provider;
  Decision d = { 0 };
  const char *mx;

  g_return_val_if_fail (STAMP_IS_EXPORT_CONTEXT (context), NULL);

  vendor = stamp_device_vendor_lookup (stamp_export_context_get_device_vendor (context));
  if (vendor == NULL)
    {
      g_autofree char *ids = stamp_device_vendor_list_ids ();

      g_set_error (error, STAMP_ERROR, STAMP_ERROR_EXPORT_UNSUPPORTED,
                   _("“%s” is not a printer make Stamp knows; use one of %s"),
                   stamp_export_context_get_device_vendor (context), ids);
      return NULL;
    }

  guide = g_new0 (StampDeviceGuide, 1);
  guide->vendor = vendor;
  guide->before = g_ptr_array_new_with_free_func (g_free);
  guide->cautions = g_ptr_array_new_with_free_func (g_free);
  guide->others = g_ptr_array_new_with_free_func (option_free);
  guide->checks = g_ptr_array_new_with_free_func (g_free);

  provider = stamp_export_context_get_provider (context);
  d.context = context;
  d.guide = guide;
  d.known = stamp_export_context_get_device_features (context, &d.features);
  d.m365 = stamp_export_context_is_microsoft365 (context);
  guide->microsoft365 = d.m365;
  d.auth = stamp_export_context_get_auth (context);
  /* Translators: in "Your device can sign in…", for a make Stamp does not name */
  d.device = vendor->generic ? _("device") : vendor->name;
  d.provider = provider != NULL ? stamp_provider_get_name (provider) : _("your mail provider");

  mx = stamp_export_context_get_tenant_mx (context, &guide->tenant_mx_guessed);
  if (d.m365 && mx != NULL)
    guide->tenant_mx = g_strdup (mx);

  relay = stamp_export_context_get_relay (context);
  if (relay != NULL)
    choose_stamp_relay (&d, relay);
  else if (d.m365)
    choose_m365 (&d);
  else
    choose_other (&d);

  if (relay != NULL)
    guide->prints_secret = guide->password && relay->password != NULL;
  else
    guide->prints_secret = guide->password
                           && d.auth == STAMP_EXPORT_AUTH_PASSWORD
                           && stamp_export_context_get_secret (context) != NULL;

  add_before (&d);
  add_cautions (&d);
  add_others (&d);
  add_checks (&d);

  return g_steal_pointer (&guide);
}

void
stamp_device_guide_free (StampDeviceGuide *guide)
{
  if (guide == NULL)
    return;

  g_free (guide->why);
  g_free (guide->host);
  g_free (guide->tenant_mx);
  g_clear_pointer (&guide->before, g_ptr_array_unref);
  g_clear_pointer (&guide->cautions, g_ptr_array_unref);
  g_clear_pointer (&guide->others, g_ptr_array_unref);
  g_clear_pointer (&guide->checks, g_ptr_array_unref);
  g_free (guide);
}

/**
 * stamp_device_path_get_title:
 * @path: a way to send
 *
 * Returns: its name, as the sheet shows it
 */
const char *
stamp_device_path_get_title (StampDevicePath path)
{
  switch (path)
    {
    case STAMP_DEVICE_PATH_SUBMISSION_OAUTH:
      return _("Sign in with OAuth (SMTP AUTH submission)");
    case STAMP_DEVICE_PATH_SUBMISSION_PASSWORD:
      return _("Sign in with a password (SMTP AUTH submission)");
    case STAMP_DEVICE_PATH_RELAY_CONNECTOR:
      return _("Microsoft 365 relay connector");
    case STAMP_DEVICE_PATH_DIRECT_SEND:
      return _("Microsoft 365 Direct Send");
    case STAMP_DEVICE_PATH_STAMP_RELAY:
      return _("Through Stamp Relay");
    case STAMP_DEVICE_PATH_LOCAL_RELAY:
    default:
      return _("A relay on your network");
    }
}

<?php
/*
 * FluentSMTP settings for alice@contoso.com, made by Stamp.
 *
 * alice@contoso.com sends through Microsoft Graph (Mail.Send) in Stamp, not
 * SMTP. FluentSMTP can do the same with its "Outlook or Office 365"
 * connection, signed in through an app registration of your own in Microsoft
 * Entra with the delegated permission Mail.Send. Stamp's client ID is for
 * Stamp alone (a public client with no secret) and does not work here.
 * Microsoft takes only https redirect URIs, so the site must use https.
 * That connection is part of the free plugin.
 *
 * 1. Microsoft Entra admin center (entra.microsoft.com) > App registrations >
 *    New registration. Name: anything, such as "WordPress mail".
 *    Supported account types: "Accounts in this organizational directory only"
 *    will do.
 *    Redirect URI: platform "Web",
 *    https://YOUR-SITE/wp-json/fluent-smtp/outlook_callback
 *    (copy the read-only value the plugin shows; this is what it normally is).
 * 2. API permissions > Add a permission > Microsoft Graph > Delegated
 *    permissions: Mail.Send, Mail.Send.Shared, Mail.ReadWrite, User.Read,
 *    offline_access. If users may not consent to apps in your organization, an
 *    admin clicks "Grant admin consent".
 * 3. Certificates & secrets > New client secret. Copy its Value (not the
 *    Secret ID) at once, and the Application (client) ID from Overview. The
 *    secret expires: make a new one before it does.
 * 4. Settings > FluentSMTP > Connections: add a connection, "Outlook or Office
 *    365":
 *      Sender Email           alice@contoso.com
 *      Sender Name            Alice Contoso
 *      Directory (tenant) ID  contoso.com
 *    Choose "Application Keys in Config File".
 * 5. Put the Application (client) ID and the secret's Value in the two lines
 *    below, then paste the define() lines into wp-config.php, above the line
 *    "That's all, stop editing!".
 * 6. Save, then "Authenticate with Office365 & Get Access Token" and sign in
 *    as alice@contoso.com.
 * 7. Send a test email: Settings > FluentSMTP > Email Test, or
 *    wp fluent-smtp test --to=alice@contoso.com
 */

define( 'FLUENTMAIL_OUTLOOK_CLIENT_ID', 'PASTE-APPLICATION-CLIENT-ID-HERE' );
define( 'FLUENTMAIL_OUTLOOK_CLIENT_SECRET', 'PASTE-CLIENT-SECRET-VALUE-HERE' );

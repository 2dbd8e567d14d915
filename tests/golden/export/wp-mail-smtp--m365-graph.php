<?php
/*
 * WP Mail SMTP settings for alice@contoso.com, made by Stamp.
 *
 * alice@contoso.com sends through Microsoft Graph (Mail.Send) in Stamp, not
 * SMTP. WP Mail SMTP can do the same with its "Microsoft 365 / Outlook"
 * mailer, signed in through an app registration of your own in Microsoft Entra
 * with the delegated permission Mail.Send. Stamp's client ID is for Stamp
 * alone (a public client with no secret) and does not work here.
 * Microsoft takes only https redirect URIs, so the site must use https.
 * This mailer needs WP Mail SMTP Pro: the free plugin says it is not on your
 * plan.
 *
 * 1. Microsoft Entra admin center (entra.microsoft.com) > App registrations >
 *    New registration. Name: anything, such as "WordPress mail".
 *    Supported account types: "Accounts in any organizational directory and
 *    personal Microsoft accounts".
 *    Redirect URI: platform "Web",
 *    https://YOUR-SITE/wp-admin/admin.php?page=wp-mail-smtp&tab=auth
 *    (copy the read-only value the plugin shows; this is what it normally is).
 * 2. API permissions > Add a permission > Microsoft Graph > Delegated
 *    permissions: Mail.Send, offline_access. If users may not consent to apps
 *    in your organization, an admin clicks "Grant admin consent".
 * 3. Certificates & secrets > New client secret. Copy its Value (not the
 *    Secret ID) at once, and the Application (client) ID from Overview. The
 *    secret expires: make a new one before it does.
 * 4. Put the Application (client) ID and the secret's Value in the two OUTLOOK
 *    lines below.
 * 5. Paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!".
 * 6. WP Mail SMTP > Settings: sign in to Microsoft as alice@contoso.com when
 *    the mailer asks you to.
 * 7. Send a test email: WP Mail SMTP > Tools > Email Test.
 */

define( 'WPMS_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'WPMS_MAILER', 'outlook' );  // Microsoft Graph, not SMTP
define( 'WPMS_OUTLOOK_CLIENT_ID', 'PASTE-APPLICATION-CLIENT-ID-HERE' );
define( 'WPMS_OUTLOOK_CLIENT_SECRET', 'PASTE-CLIENT-SECRET-VALUE-HERE' );
define( 'WPMS_MAIL_FROM', 'alice@contoso.com' );
define( 'WPMS_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'WPMS_MAIL_FROM_NAME', 'Alice Contoso' );

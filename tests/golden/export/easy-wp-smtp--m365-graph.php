<?php
/*
 * Easy WP SMTP settings for alice@contoso.com, made by Stamp.
 *
 * alice@contoso.com sends through Microsoft Graph (Mail.Send) in Stamp, not
 * SMTP. Easy WP SMTP can do the same with its "Microsoft 365 / Outlook"
 * mailer, signed in through an app registration of your own in Microsoft Entra
 * with the delegated permission Mail.Send. Stamp's client ID is for Stamp
 * alone (a public client with no secret) and does not work here.
 * Microsoft takes only https redirect URIs, so the site must use https.
 * This mailer needs Easy WP SMTP Pro, going by the free version, which says it
 * is not available in lite.
 *
 * 1. Microsoft Entra admin center (entra.microsoft.com) > App registrations >
 *    New registration. Name: anything, such as "WordPress mail".
 *    Supported account types: "Accounts in any organizational directory and
 *    personal Microsoft accounts".
 *    Redirect URI: platform "Web", the one the plugin shows.
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
 * 6. Easy WP SMTP > Settings: sign in to Microsoft as alice@contoso.com when
 *    the mailer asks you to.
 * 7. Send a test email: Easy WP SMTP > Tools > Email Test.
 */

define( 'EASY_WP_SMTP_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'EASY_WP_SMTP_MAILER', 'outlook' );  // Microsoft Graph, not SMTP
define( 'EASY_WP_SMTP_OUTLOOK_CLIENT_ID', 'PASTE-APPLICATION-CLIENT-ID-HERE' );
define( 'EASY_WP_SMTP_OUTLOOK_CLIENT_SECRET', 'PASTE-CLIENT-SECRET-VALUE-HERE' );
define( 'EASY_WP_SMTP_MAIL_FROM', 'alice@contoso.com' );
define( 'EASY_WP_SMTP_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'EASY_WP_SMTP_MAIL_FROM_NAME', 'Alice Contoso' );

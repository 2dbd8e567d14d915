<?php
/*
 * Easy WP SMTP settings for carol@gmail.com, made by Stamp.
 *
 * carol@gmail.com signs in to Google with OAuth, and Easy WP SMTP cannot use
 * OAuth for SMTP. Its Gmail mailer sends through the Gmail API instead, signed
 * in through an OAuth client of your own in Google Cloud. Stamp's client is
 * for Stamp alone and does not work here.
 * This mailer needs Easy WP SMTP Pro, going by the free version, which says it
 * is not available in lite.
 *
 * 1. Google Cloud console (console.cloud.google.com): pick or create a
 *    project; APIs & Services > Library: enable the Gmail API.
 * 2. Google Auth Platform (the OAuth consent screen): set it up. Audience:
 *    Internal for a Google Workspace account; otherwise External, then publish
 *    the app, as the sign-in of an app left in Testing stops working after 7
 *    days.
 * 3. Clients > Create client, type "Web application". Authorized redirect URI:
 *    the one the plugin shows.
 *    Copy the Client ID and the Client secret.
 * 4. Paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!".
 * 5. Easy WP SMTP > Settings: enter the Client ID and the Client secret there;
 *    Easy WP SMTP has no constants for them.
 * 6. Easy WP SMTP > Settings: sign in with Google as carol@gmail.com when the
 *    mailer asks you to.
 * 7. Send a test email: Easy WP SMTP > Tools > Email Test.
 */

define( 'EASY_WP_SMTP_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'EASY_WP_SMTP_MAILER', 'gmail' );  // the Gmail API, not SMTP
define( 'EASY_WP_SMTP_MAIL_FROM', 'carol@gmail.com' );
define( 'EASY_WP_SMTP_MAIL_FROM_FORCE', true );  // even when another plugin sets a From

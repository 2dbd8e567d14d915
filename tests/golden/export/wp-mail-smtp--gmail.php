<?php
/*
 * WP Mail SMTP settings for carol@gmail.com, made by Stamp.
 *
 * carol@gmail.com signs in to Google with OAuth, and WP Mail SMTP cannot use
 * OAuth for SMTP. Its Gmail mailer sends through the Gmail API instead, signed
 * in through an OAuth client of your own in Google Cloud. Stamp's client is
 * for Stamp alone and does not work here.
 *
 * 1. Google Cloud console (console.cloud.google.com): pick or create a
 *    project; APIs & Services > Library: enable the Gmail API.
 * 2. Google Auth Platform (the OAuth consent screen): set it up. Audience:
 *    Internal for a Google Workspace account; otherwise External, then publish
 *    the app, as the sign-in of an app left in Testing stops working after 7
 *    days.
 * 3. Clients > Create client, type "Web application". Authorized redirect URI:
 *    https://connect.wpmailsmtp.com/google/
 *    (WP Mail SMTP's relay, which hands Google's answer back to your site.)
 *    Copy the Client ID and the Client secret.
 * 4. Put the Client ID and the Client secret in the two GMAIL lines below.
 * 5. Paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!".
 * 6. WP Mail SMTP > Settings: sign in with Google as carol@gmail.com when the
 *    mailer asks you to.
 * 7. Send a test email: WP Mail SMTP > Tools > Email Test.
 */

define( 'WPMS_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'WPMS_MAILER', 'gmail' );  // the Gmail API, not SMTP
define( 'WPMS_GMAIL_CLIENT_ID', 'PASTE-GOOGLE-CLIENT-ID-HERE' );
define( 'WPMS_GMAIL_CLIENT_SECRET', 'PASTE-GOOGLE-CLIENT-SECRET-HERE' );
define( 'WPMS_MAIL_FROM', 'carol@gmail.com' );
define( 'WPMS_MAIL_FROM_FORCE', true );  // even when another plugin sets a From

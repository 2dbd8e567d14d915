<?php
/*
 * FluentSMTP settings for carol@gmail.com, made by Stamp.
 *
 * carol@gmail.com signs in to Google with OAuth, and FluentSMTP cannot use
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
 *    https://fluentsmtp.com/gapi/
 *    (FluentSMTP's page, which shows Google's code for you to paste back.)
 *    Copy the Client ID and the Client secret.
 * 4. Settings > FluentSMTP > Connections: add a connection, "Gmail or Google
 *    Workspace":
 *      Sender Email           carol@gmail.com
 *    Choose "Application Keys in Config File".
 * 5. Put the Client ID and the Client secret in the two lines below, then
 *    paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!".
 * 6. Save, then "Authenticate with Google & Get Access Token", sign in as
 *    carol@gmail.com and paste the code Google shows into Access Token.
 * 7. Send a test email: Settings > FluentSMTP > Email Test, or
 *    wp fluent-smtp test --to=carol@gmail.com
 */

define( 'FLUENTMAIL_GMAIL_CLIENT_ID', 'PASTE-GOOGLE-CLIENT-ID-HERE' );
define( 'FLUENTMAIL_GMAIL_CLIENT_SECRET', 'PASTE-GOOGLE-CLIENT-SECRET-HERE' );

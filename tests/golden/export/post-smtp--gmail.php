<?php
/*
 * Post SMTP settings for carol@gmail.com, made by Stamp.
 *
 * carol@gmail.com signs in to Google with OAuth, and Post SMTP cannot use
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
 *    https://YOUR-SITE/wp-admin/options-general.php?page=postman
 *    (Post SMTP shows it too; if the two differ, use its.)
 *    Copy the Client ID and the Client secret.
 * 4. Post SMTP > Import/Export/Reset Plugin: paste the import text (the line
 *    between the markers below) into Import, and click Import. This replaces
 *    all of Post SMTP's settings, choosing its Gmail API mailer.
 * 5. Post SMTP > Settings: enter the Client ID and the Client Secret, save,
 *    and use the link to grant permission with Google, signed in as
 *    carol@gmail.com.
 * 6. Send a test email: Post SMTP > Send a Test Email.
 *
 * ---- Post SMTP import text: copy the next line only ----
(import text, checked by decoding)
 * ---- end of the import text ----
 */


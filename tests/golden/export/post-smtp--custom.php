<?php
/*
 * Post SMTP settings for dave@example.org, made by Stamp.
 *
 * 1. Post SMTP > Import/Export/Reset Plugin: paste the import text (the line
 *    between the markers below) into Import, and click Import. This replaces
 *    all of Post SMTP's settings.
 * 2. Paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!". They hold the sign-in, which the import text leaves out:
 *    Post SMTP would store an imported password wrongly.
 * 3. Send a test email: Post SMTP > Send a Test Email.
 *
 * The import text sets SMTP to smtp.example.org port 587, encryption tls,
 * authentication login, and the From address dave@example.org. It was made for
 * Post SMTP 3.3.0. Encryption ssl means TLS from the first byte (port 465),
 * tls means STARTTLS (port 587).
 *
 * This account trusts a certificate authority of its own
 * (/etc/ssl/certs/example-org-ca.pem). PHP checks the server against the CAs
 * the web server trusts: add it there too.
 *
 * ---- Post SMTP import text: copy the next line only ----
(import text, checked by decoding)
 * ---- end of the import text ----
 */

define( 'POST_SMTP_AUTH_USERNAME', 'dave' );
// Put the password in POST_SMTP_AUTH_PASSWORD, in place of PASTE-PASSWORD-HERE.
define( 'POST_SMTP_AUTH_PASSWORD', 'PASTE-PASSWORD-HERE' );

<?php
/*
 * Post SMTP settings for bob@fastmail.com, made by Stamp.
 *
 * 1. Post SMTP > Import/Export/Reset Plugin: paste the import text (the line
 *    between the markers below) into Import, and click Import. This replaces
 *    all of Post SMTP's settings.
 * 2. Paste the define() lines into wp-config.php, above the line "That's all,
 *    stop editing!". They hold the sign-in, which the import text leaves out:
 *    Post SMTP would store an imported password wrongly.
 * 3. Send a test email: Post SMTP > Send a Test Email.
 *
 * The import text sets SMTP to smtp.fastmail.com port 465, encryption ssl,
 * authentication plain, and the From address bob@fastmail.com. It was made for
 * Post SMTP 3.3.0. Encryption ssl means TLS from the first byte (port 465),
 * tls means STARTTLS (port 587).
 *
 * ---- Post SMTP import text: copy the next line only ----
(import text, checked by decoding)
 * ---- end of the import text ----
 */

define( 'POST_SMTP_AUTH_USERNAME', 'bob@fastmail.com' );
// Put the app password in POST_SMTP_AUTH_PASSWORD, in place of PASTE-APP-PASSWORD-HERE.
define( 'POST_SMTP_AUTH_PASSWORD', 'PASTE-APP-PASSWORD-HERE' );

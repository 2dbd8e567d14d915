<?php
/*
 * FluentSMTP settings for dave@example.org, made by Stamp.
 *
 * FluentSMTP has no settings import: enter the values below by hand. It reads
 * only the user name and password from wp-config.php.
 *
 * 1. Settings > FluentSMTP > Connections: add a connection, "SMTP server":
 *      Sender Email           dave@example.org
 *      Sender Name            Dave "The Printer" O'Neil
 *      SMTP Host              smtp.example.org
 *      SMTP Port              587
 *      Encryption             TLS (which is STARTTLS)
 *      Use Auto TLS           on
 *      Authentication         on
 *    Choose "Access Keys in Config File" for the user name and password.
 * 2. Put the password in the FLUENTMAIL_SMTP_PASSWORD line below, then paste
 *    the define() lines into wp-config.php, above the line "That's all, stop
 *    editing!".
 * 3. Save the connection.
 * 4. Send a test email: Settings > FluentSMTP > Email Test, or
 *    wp fluent-smtp test --to=dave@example.org
 *
 * This account trusts a certificate authority of its own
 * (/etc/ssl/certs/example-org-ca.pem). PHP checks the server against the CAs
 * the web server trusts: add it there too.
 */

define( 'FLUENTMAIL_SMTP_USERNAME', 'dave' );
// Put the password in FLUENTMAIL_SMTP_PASSWORD, in place of PASTE-PASSWORD-HERE.
define( 'FLUENTMAIL_SMTP_PASSWORD', 'PASTE-PASSWORD-HERE' );

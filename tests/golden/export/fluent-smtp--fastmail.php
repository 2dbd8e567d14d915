<?php
/*
 * FluentSMTP settings for bob@fastmail.com, made by Stamp.
 *
 * FluentSMTP has no settings import: enter the values below by hand. It reads
 * only the user name and password from wp-config.php.
 *
 * 1. Settings > FluentSMTP > Connections: add a connection, "SMTP server":
 *      Sender Email           bob@fastmail.com
 *      Sender Name            Bob Example
 *      SMTP Host              smtp.fastmail.com
 *      SMTP Port              465
 *      Encryption             SSL (which is TLS from the first byte)
 *      Use Auto TLS           on
 *      Authentication         on
 *    Choose "Access Keys in Config File" for the user name and password.
 * 2. Put the password in the FLUENTMAIL_SMTP_PASSWORD line below, then paste
 *    the define() lines into wp-config.php, above the line "That's all, stop
 *    editing!".
 * 3. Save the connection.
 * 4. Send a test email: Settings > FluentSMTP > Email Test, or
 *    wp fluent-smtp test --to=bob@fastmail.com
 */

define( 'FLUENTMAIL_SMTP_USERNAME', 'bob@fastmail.com' );
// Put the app password in FLUENTMAIL_SMTP_PASSWORD, in place of PASTE-APP-PASSWORD-HERE.
define( 'FLUENTMAIL_SMTP_PASSWORD', 'PASTE-APP-PASSWORD-HERE' );

<?php
/*
 * Easy WP SMTP settings for dave@example.org, made by Stamp.
 *
 * Paste the define() lines into wp-config.php, above the line "That's all,
 * stop editing!". Easy WP SMTP then shows these settings greyed out: change
 * them in wp-config.php, not in WordPress.
 * Then send a test email: Easy WP SMTP > Tools > Email Test.
 *
 * This account trusts a certificate authority of its own
 * (/etc/ssl/certs/example-org-ca.pem). PHP checks the server against the CAs
 * the web server trusts: add it there too.
 *
 * The password is not in this file: put it in EASY_WP_SMTP_SMTP_PASS below.
 */

define( 'EASY_WP_SMTP_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'EASY_WP_SMTP_MAILER', 'smtp' );  // "Other SMTP"
define( 'EASY_WP_SMTP_SMTP_HOST', 'smtp.example.org' );
define( 'EASY_WP_SMTP_SMTP_PORT', 587 );
// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the first byte
// (port 465), '' is none.
define( 'EASY_WP_SMTP_SSL', 'tls' );
define( 'EASY_WP_SMTP_SMTP_AUTOTLS', true );
define( 'EASY_WP_SMTP_SMTP_AUTH', true );
define( 'EASY_WP_SMTP_SMTP_USER', 'dave' );
// Put the password in EASY_WP_SMTP_SMTP_PASS, in place of PASTE-PASSWORD-HERE.
define( 'EASY_WP_SMTP_SMTP_PASS', 'PASTE-PASSWORD-HERE' );
define( 'EASY_WP_SMTP_MAIL_FROM', 'dave@example.org' );
define( 'EASY_WP_SMTP_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'EASY_WP_SMTP_MAIL_FROM_NAME', 'Dave "The Printer" O\'Neil' );

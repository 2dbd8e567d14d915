<?php
/*
 * Easy WP SMTP settings for bob@fastmail.com, made by Stamp.
 *
 * Paste the define() lines into wp-config.php, above the line "That's all,
 * stop editing!". Easy WP SMTP then shows these settings greyed out: change
 * them in wp-config.php, not in WordPress.
 * Then send a test email: Easy WP SMTP > Tools > Email Test.
 *
 * The app password is not in this file: put it in EASY_WP_SMTP_SMTP_PASS
 * below.
 */

define( 'EASY_WP_SMTP_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'EASY_WP_SMTP_MAILER', 'smtp' );  // "Other SMTP"
define( 'EASY_WP_SMTP_SMTP_HOST', 'smtp.fastmail.com' );
define( 'EASY_WP_SMTP_SMTP_PORT', 465 );
// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the first byte
// (port 465), '' is none.
define( 'EASY_WP_SMTP_SSL', 'ssl' );
define( 'EASY_WP_SMTP_SMTP_AUTOTLS', true );
define( 'EASY_WP_SMTP_SMTP_AUTH', true );
define( 'EASY_WP_SMTP_SMTP_USER', 'bob@fastmail.com' );
// Put the app password in EASY_WP_SMTP_SMTP_PASS, in place of PASTE-APP-PASSWORD-HERE.
define( 'EASY_WP_SMTP_SMTP_PASS', 'PASTE-APP-PASSWORD-HERE' );
define( 'EASY_WP_SMTP_MAIL_FROM', 'bob@fastmail.com' );
define( 'EASY_WP_SMTP_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'EASY_WP_SMTP_MAIL_FROM_NAME', 'Bob Example' );

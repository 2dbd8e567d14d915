<?php
/*
 * WP Mail SMTP settings for bob@fastmail.com, made by Stamp.
 *
 * Paste the define() lines into wp-config.php, above the line "That's all,
 * stop editing!". WP Mail SMTP then shows these settings greyed out: change
 * them in wp-config.php, not in WordPress.
 * Then send a test email: WP Mail SMTP > Tools > Email Test.
 *
 * The app password is not in this file: put it in WPMS_SMTP_PASS below.
 */

define( 'WPMS_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'WPMS_MAILER', 'smtp' );  // "Other SMTP"
define( 'WPMS_SMTP_HOST', 'smtp.fastmail.com' );
define( 'WPMS_SMTP_PORT', 465 );
// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the first byte
// (port 465), '' is none.
define( 'WPMS_SSL', 'ssl' );
define( 'WPMS_SMTP_AUTOTLS', true );
define( 'WPMS_SMTP_AUTH', true );
define( 'WPMS_SMTP_USER', 'bob@fastmail.com' );
// Put the app password in WPMS_SMTP_PASS, in place of PASTE-APP-PASSWORD-HERE.
define( 'WPMS_SMTP_PASS', 'PASTE-APP-PASSWORD-HERE' );
define( 'WPMS_MAIL_FROM', 'bob@fastmail.com' );
define( 'WPMS_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'WPMS_MAIL_FROM_NAME', 'Bob Example' );

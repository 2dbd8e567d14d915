<?php
/*
 * WP Mail SMTP settings for scanner@contoso.com, made by Stamp.
 *
 * Paste the define() lines into wp-config.php, above the line "That's all,
 * stop editing!". WP Mail SMTP then shows these settings greyed out: change
 * them in wp-config.php, not in WordPress.
 * Then send a test email: WP Mail SMTP > Tools > Email Test.
 *
 * This account does not sign in: Microsoft 365 must know the web server by its
 * public IP address, through an inbound connector (Exchange admin center >
 * Mail flow > Connectors). Without one, only mailboxes of contoso.com receive
 * the mail.
 * Many web hosts block outgoing port 25; if the test email hangs, ask yours.
 *
 * No user name or password: this account does not sign in.
 */

define( 'WPMS_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'WPMS_MAILER', 'smtp' );  // "Other SMTP"
define( 'WPMS_SMTP_HOST', 'contoso-com.mail.protection.outlook.com' );
define( 'WPMS_SMTP_PORT', 25 );
// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the first byte
// (port 465), '' is none.
define( 'WPMS_SSL', 'tls' );
define( 'WPMS_SMTP_AUTOTLS', true );
define( 'WPMS_SMTP_AUTH', false );  // this account does not sign in
define( 'WPMS_MAIL_FROM', 'scanner@contoso.com' );
define( 'WPMS_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'WPMS_MAIL_FROM_NAME', 'Office Scanner' );

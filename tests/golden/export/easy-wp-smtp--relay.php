<?php
/*
 * Easy WP SMTP settings for scanner@contoso.com, made by Stamp.
 *
 * Paste the define() lines into wp-config.php, above the line "That's all,
 * stop editing!". Easy WP SMTP then shows these settings greyed out: change
 * them in wp-config.php, not in WordPress.
 * Then send a test email: Easy WP SMTP > Tools > Email Test.
 *
 * This account does not sign in: Microsoft 365 must know the web server by its
 * public IP address, through an inbound connector (Exchange admin center >
 * Mail flow > Connectors). Without one, only mailboxes of contoso.com receive
 * the mail.
 * Many web hosts block outgoing port 25; if the test email hangs, ask yours.
 *
 * No user name or password: this account does not sign in.
 */

define( 'EASY_WP_SMTP_ON', true );  // a bare true: the string 'true' turns all of these off
define( 'EASY_WP_SMTP_MAILER', 'smtp' );  // "Other SMTP"
define( 'EASY_WP_SMTP_SMTP_HOST', 'contoso-com.mail.protection.outlook.com' );
define( 'EASY_WP_SMTP_SMTP_PORT', 25 );
// Naming trap: 'tls' is STARTTLS (port 587), 'ssl' is TLS from the first byte
// (port 465), '' is none.
define( 'EASY_WP_SMTP_SSL', 'tls' );
define( 'EASY_WP_SMTP_SMTP_AUTOTLS', true );
define( 'EASY_WP_SMTP_SMTP_AUTH', false );  // this account does not sign in
define( 'EASY_WP_SMTP_MAIL_FROM', 'scanner@contoso.com' );
define( 'EASY_WP_SMTP_MAIL_FROM_FORCE', true );  // even when another plugin sets a From
define( 'EASY_WP_SMTP_MAIL_FROM_NAME', 'Office Scanner' );

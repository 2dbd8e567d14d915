<?php
/*
 * FluentSMTP settings for scanner@contoso.com, made by Stamp.
 *
 * FluentSMTP has no settings import: enter the values below by hand. It reads
 * only the user name and password from wp-config.php.
 *
 * 1. Settings > FluentSMTP > Connections: add a connection, "SMTP server":
 *      Sender Email           scanner@contoso.com
 *      Sender Name            Office Scanner
 *      SMTP Host              contoso-com.mail.protection.outlook.com
 *      SMTP Port              25
 *      Encryption             TLS (which is STARTTLS)
 *      Use Auto TLS           on
 *      Authentication         off
 * 2. Save the connection. There are no define() lines: this account does not
 *    sign in.
 * 3. Send a test email: Settings > FluentSMTP > Email Test, or
 *    wp fluent-smtp test --to=scanner@contoso.com
 *
 * This account does not sign in: Microsoft 365 must know the web server by its
 * public IP address, through an inbound connector (Exchange admin center >
 * Mail flow > Connectors). Without one, only mailboxes of contoso.com receive
 * the mail.
 * Many web hosts block outgoing port 25; if the test email hangs, ask yours.
 */


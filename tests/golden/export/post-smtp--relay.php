<?php
/*
 * Post SMTP settings for scanner@contoso.com, made by Stamp.
 *
 * 1. Post SMTP > Import/Export/Reset Plugin: paste the import text (the line
 *    between the markers below) into Import, and click Import. This replaces
 *    all of Post SMTP's settings.
 * 2. Send a test email: Post SMTP > Send a Test Email.
 *
 * The import text sets SMTP to contoso-com.mail.protection.outlook.com port
 * 25, encryption tls, authentication none, and the From address
 * scanner@contoso.com. It was made for Post SMTP 3.3.0. Encryption ssl means
 * TLS from the first byte (port 465), tls means STARTTLS (port 587).
 *
 * This account does not sign in: Microsoft 365 must know the web server by its
 * public IP address, through an inbound connector (Exchange admin center >
 * Mail flow > Connectors). Without one, only mailboxes of contoso.com receive
 * the mail.
 * Many web hosts block outgoing port 25; if the test email hangs, ask yours.
 *
 * ---- Post SMTP import text: copy the next line only ----
(import text, checked by decoding)
 * ---- end of the import text ----
 */


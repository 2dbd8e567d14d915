<?php
/*
 * Post SMTP settings for alice@contoso.com, made by Stamp.
 *
 * alice@contoso.com sends through Microsoft Graph (Mail.Send) in Stamp, not
 * SMTP. Post SMTP can do the same with its paid "Microsoft 365" extension
 * (Post SMTP Pro), signed in through an app registration of your own in
 * Microsoft Entra with the delegated permission Mail.Send. Stamp's client ID
 * is for Stamp alone (a public client with no secret) and does not work here.
 * Microsoft takes only https redirect URIs, so the site must use https.
 * The free plugin cannot send for this account, and Stamp knows no settings
 * for the extension, so this file only lists the steps. FluentSMTP does the
 * same for free, and Stamp can export its settings too.
 *
 * 1. Microsoft Entra admin center (entra.microsoft.com) > App registrations >
 *    New registration. Name: anything, such as "WordPress mail".
 *    Supported account types: "Accounts in any organizational directory and
 *    personal Microsoft accounts".
 *    Redirect URI: platform "Web", the one the plugin shows.
 * 2. API permissions > Add a permission > Microsoft Graph > Delegated
 *    permissions: Mail.Send, offline_access, and any others the extension
 *    lists. If users may not consent to apps in your organization, an admin
 *    clicks "Grant admin consent".
 * 3. Certificates & secrets > New client secret. Copy its Value (not the
 *    Secret ID) at once, and the Application (client) ID from Overview. The
 *    secret expires: make a new one before it does.
 * 4. Post SMTP > Settings: choose the Microsoft 365 mailer, enter the
 *    Application (client) ID and the secret's Value, save, and sign in as
 *    alice@contoso.com.
 * 5. Send a test email: Post SMTP > Send a Test Email.
 */


/* stamp-error.h
 *
 * Copyright 2026 The Stamp authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STAMP_ERROR (stamp_error_quark ())

/**
 * StampError:
 * @STAMP_ERROR_INVALID_INPUT: something a person typed cannot be used (an
 *   address, a header with a line break, a file)
 * @STAMP_ERROR_HOST_NOT_FOUND: the server name does not resolve
 * @STAMP_ERROR_CONNECTION_REFUSED: nothing listens on that port, or a firewall said no
 * @STAMP_ERROR_NETWORK_UNREACHABLE: no route to the server
 * @STAMP_ERROR_TIMED_OUT: a step did not finish before its deadline
 * @STAMP_ERROR_CONNECTION_CLOSED: the server closed the connection unexpectedly
 * @STAMP_ERROR_BAD_REPLY: the server sent something that is not SMTP
 * @STAMP_ERROR_SERVER_UNAVAILABLE: the greeting or EHLO was refused
 * @STAMP_ERROR_TLS_REQUIRED: encryption was asked for but the server does not offer it
 * @STAMP_ERROR_STARTTLS_FAILED: the server refused STARTTLS
 * @STAMP_ERROR_TLS_HANDSHAKE_FAILED: the TLS handshake failed
 * @STAMP_ERROR_TLS_VERSION: no TLS version both sides accept
 * @STAMP_ERROR_CERT_EXPIRED: the certificate has expired or is not valid yet
 * @STAMP_ERROR_CERT_HOSTNAME: the certificate is for another host name
 * @STAMP_ERROR_CERT_UNKNOWN_ISSUER: the certificate is signed by an authority nobody trusts here
 * @STAMP_ERROR_CERT_REVOKED: the certificate was revoked
 * @STAMP_ERROR_CERT_INSECURE: the certificate uses an insecure algorithm
 * @STAMP_ERROR_CERT_INVALID: the certificate is not valid for another reason
 * @STAMP_ERROR_AUTH_UNSUPPORTED: no sign-in method both sides support
 * @STAMP_ERROR_AUTH_FAILED: the server did not accept the credentials
 * @STAMP_ERROR_AUTH_DISABLED: the server does not allow SMTP sign-in for this mailbox
 * @STAMP_ERROR_AUTH_REQUIRED: the server wants a sign-in before it takes mail
 * @STAMP_ERROR_SENDER_REJECTED: MAIL FROM was refused (send-as rights, policy)
 * @STAMP_ERROR_RECIPIENT_REJECTED: RCPT TO was refused
 * @STAMP_ERROR_MESSAGE_REJECTED: the message itself was refused
 * @STAMP_ERROR_MESSAGE_TOO_LARGE: the message is larger than the server takes
 * @STAMP_ERROR_SMTPUTF8_UNSUPPORTED: an address needs SMTPUTF8 and the server lacks it
 * @STAMP_ERROR_THROTTLED: the server asks to slow down or try later
 * @STAMP_ERROR_ACCOUNT_FILE: the account file could not be read or is damaged; it was
 *   moved aside, or, if that failed, is left in place and never saved over
 * @STAMP_ERROR_ACCOUNT_FILE_NEWER: the account file was written by a newer Stamp; it was
 *   moved aside untouched
 * @STAMP_ERROR_ACCOUNT_SKIPPED: some accounts in the account file are not valid; the others
 *   were loaded and a copy of the file was kept
 * @STAMP_ERROR_OAUTH_NO_CLIENT: there is no OAuth app registration (client id) to sign in with
 * @STAMP_ERROR_OAUTH_SIGN_IN_NEEDED: the stored sign-in expired or was revoked; sign in again
 * @STAMP_ERROR_OAUTH_DENIED: the person, or the provider, declined the sign-in
 * @STAMP_ERROR_OAUTH_CONSENT: the app needs the person's or an administrator's consent
 * @STAMP_ERROR_OAUTH_APP: the app registration is unknown, misconfigured or in another cloud
 * @STAMP_ERROR_OAUTH_POLICY: a sign-in policy (MFA, conditional access) blocks the sign-in
 * @STAMP_ERROR_OAUTH_STATE: the answer that reached the sign-in listener was not for this
 *   sign-in (state mismatch); nothing was accepted
 * @STAMP_ERROR_OAUTH_EXPIRED: the sign-in code expired before it was used
 * @STAMP_ERROR_OAUTH_FAILED: the identity provider failed or answered something unusable
 * @STAMP_ERROR_KEYRING: the keyring refused to store or give a secret (locked, denied)
 * @STAMP_ERROR_EXPORT_UNSUPPORTED: an export target cannot use this account as
 *   it is (it cannot sign in that way, or lacks a setting it must have)
 * @STAMP_ERROR_TLS_DOWNGRADE: the server offered sign-in before encryption
 *   but not after it, a sign that something on the way is tampering with
 *   the connection; nothing secret was sent
 * @STAMP_ERROR_GRAPH_REFUSED: Microsoft Graph answered with an error; the
 *   message reads "Microsoft Graph answered STATUS CODE: text"
 *
 * The causes of failure Stamp knows apart. Each code names a cause a person
 * can act on; SMTP codes travel with the failed reply.
 */
typedef enum
{
  STAMP_ERROR_INVALID_INPUT,
  STAMP_ERROR_HOST_NOT_FOUND,
  STAMP_ERROR_CONNECTION_REFUSED,
  STAMP_ERROR_NETWORK_UNREACHABLE,
  STAMP_ERROR_TIMED_OUT,
  STAMP_ERROR_CONNECTION_CLOSED,
  STAMP_ERROR_BAD_REPLY,
  STAMP_ERROR_SERVER_UNAVAILABLE,
  STAMP_ERROR_TLS_REQUIRED,
  STAMP_ERROR_STARTTLS_FAILED,
  STAMP_ERROR_TLS_HANDSHAKE_FAILED,
  STAMP_ERROR_TLS_VERSION,
  STAMP_ERROR_CERT_EXPIRED,
  STAMP_ERROR_CERT_HOSTNAME,
  STAMP_ERROR_CERT_UNKNOWN_ISSUER,
  STAMP_ERROR_CERT_REVOKED,
  STAMP_ERROR_CERT_INSECURE,
  STAMP_ERROR_CERT_INVALID,
  STAMP_ERROR_AUTH_UNSUPPORTED,
  STAMP_ERROR_AUTH_FAILED,
  STAMP_ERROR_AUTH_DISABLED,
  STAMP_ERROR_AUTH_REQUIRED,
  STAMP_ERROR_SENDER_REJECTED,
  STAMP_ERROR_RECIPIENT_REJECTED,
  STAMP_ERROR_MESSAGE_REJECTED,
  STAMP_ERROR_MESSAGE_TOO_LARGE,
  STAMP_ERROR_SMTPUTF8_UNSUPPORTED,
  STAMP_ERROR_THROTTLED,
  STAMP_ERROR_ACCOUNT_FILE,
  STAMP_ERROR_ACCOUNT_FILE_NEWER,
  STAMP_ERROR_ACCOUNT_SKIPPED,
  STAMP_ERROR_OAUTH_NO_CLIENT,
  STAMP_ERROR_OAUTH_SIGN_IN_NEEDED,
  STAMP_ERROR_OAUTH_DENIED,
  STAMP_ERROR_OAUTH_CONSENT,
  STAMP_ERROR_OAUTH_APP,
  STAMP_ERROR_OAUTH_POLICY,
  STAMP_ERROR_OAUTH_STATE,
  STAMP_ERROR_OAUTH_EXPIRED,
  STAMP_ERROR_OAUTH_FAILED,
  STAMP_ERROR_KEYRING,
  STAMP_ERROR_EXPORT_UNSUPPORTED,
  STAMP_ERROR_TLS_DOWNGRADE,
  STAMP_ERROR_GRAPH_REFUSED,
} StampError;

GQuark      stamp_error_quark              (void);
const char *stamp_error_get_nick           (const GError *error);
StampError  stamp_error_code_for_transport (const GError *error,
                                            StampError    fallback);

G_END_DECLS

/* stamp-types.h
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

/**
 * StampSecurity:
 * @STAMP_SECURITY_STARTTLS: plain connect, then STARTTLS before anything else (port 587)
 * @STAMP_SECURITY_TLS: TLS from the first byte (port 465, RFC 8314)
 * @STAMP_SECURITY_NONE: no encryption; only when a person explicitly chose it
 *
 * How the connection to the submission server is protected.
 */
typedef enum
{
  STAMP_SECURITY_STARTTLS,
  STAMP_SECURITY_TLS,
  STAMP_SECURITY_NONE,
} StampSecurity;

/**
 * StampAuthMechanism:
 * @STAMP_AUTH_AUTO: choose from what the server offers and which secret is given
 * @STAMP_AUTH_NONE: do not authenticate (relay connector, Direct Send)
 * @STAMP_AUTH_PLAIN: SASL PLAIN (RFC 4616)
 * @STAMP_AUTH_LOGIN: the LOGIN mechanism
 * @STAMP_AUTH_XOAUTH2: Google's and Microsoft's XOAUTH2
 * @STAMP_AUTH_OAUTHBEARER: SASL OAUTHBEARER (RFC 7628)
 */
typedef enum
{
  STAMP_AUTH_AUTO,
  STAMP_AUTH_NONE,
  STAMP_AUTH_PLAIN,
  STAMP_AUTH_LOGIN,
  STAMP_AUTH_XOAUTH2,
  STAMP_AUTH_OAUTHBEARER,
} StampAuthMechanism;

/**
 * StampTlsVersion:
 *
 * A TLS protocol version, used as the lowest one a connection accepts.
 */
typedef enum
{
  STAMP_TLS_VERSION_1_0,
  STAMP_TLS_VERSION_1_1,
  STAMP_TLS_VERSION_1_2,
  STAMP_TLS_VERSION_1_3,
} StampTlsVersion;

/**
 * StampSendMethod:
 * @STAMP_SEND_METHOD_SMTP: SMTP submission (the default)
 * @STAMP_SEND_METHOD_GRAPH: Microsoft Graph's sendMail (HTTPS, Mail.Send)
 *
 * How an account hands its mail over. The stable names are “smtp” and
 * “graph” (account file “method”, `--method` on the command line).
 */
typedef enum
{
  STAMP_SEND_METHOD_SMTP,
  STAMP_SEND_METHOD_GRAPH,
} StampSendMethod;

gboolean    stamp_security_from_string        (const char         *str,
                                               StampSecurity      *security);
const char *stamp_security_to_string          (StampSecurity       security);
const char *stamp_security_to_label           (StampSecurity       security);
guint16     stamp_security_default_port       (StampSecurity       security);
gboolean    stamp_auth_mechanism_from_string  (const char         *str,
                                               StampAuthMechanism *mechanism);
const char *stamp_auth_mechanism_to_string    (StampAuthMechanism  mechanism);
gboolean    stamp_auth_mechanism_is_oauth     (StampAuthMechanism  mechanism);
gboolean    stamp_tls_version_from_string     (const char         *str,
                                               StampTlsVersion    *version);
const char *stamp_tls_version_to_string       (StampTlsVersion     version);
gboolean    stamp_send_method_from_string     (const char         *str,
                                               StampSendMethod    *method);
const char *stamp_send_method_to_string       (StampSendMethod     method);
const char *stamp_send_method_to_label        (StampSendMethod     method);

G_END_DECLS

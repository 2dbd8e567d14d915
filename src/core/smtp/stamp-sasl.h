/* stamp-sasl.h
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

#include "stamp-types.h"

G_BEGIN_DECLS

/**
 * StampSaslChallenge:
 * @status: the "status" member ("401", "invalid_token")
 * @scope: (nullable): the scope the server wanted
 * @schemes: (nullable): the token schemes the server accepts
 *
 * What a server says in a `334` error challenge to XOAUTH2 or OAUTHBEARER
 * (RFC 7628 §3.2.2): base64 JSON telling why the token was refused.
 */
typedef struct
{
  char *status;
  char *scope;
  char *schemes;
} StampSaslChallenge;

void                stamp_sasl_challenge_free       (StampSaslChallenge *challenge);
StampSaslChallenge *stamp_sasl_challenge_parse      (const char         *base64,
                                                     GError            **error);
char               *stamp_sasl_challenge_describe   (const StampSaslChallenge *challenge);

char               *stamp_sasl_encode_plain         (const char         *user,
                                                     const char         *password);
char               *stamp_sasl_encode_xoauth2       (const char         *user,
                                                     const char         *token);
char               *stamp_sasl_encode_oauthbearer   (const char         *user,
                                                     const char         *host,
                                                     guint16             port,
                                                     const char         *token);
const char         *stamp_sasl_mechanism_name       (StampAuthMechanism  mechanism);
gboolean            stamp_sasl_mechanism_uses_token (StampAuthMechanism  mechanism);
StampAuthMechanism  stamp_sasl_choose_mechanism     (const char         *offered,
                                                     gboolean            have_token);
gboolean            stamp_sasl_is_offered           (const char         *offered,
                                                     StampAuthMechanism  mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampSaslChallenge, stamp_sasl_challenge_free)

G_END_DECLS

/* stamp-error.c
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

#define G_LOG_DOMAIN "stamp-error"

#include "config.h"

#include <gio/gio.h>

#include "stamp-base-enums.h"
#include "stamp-error.h"

G_DEFINE_QUARK (stamp-error-quark, stamp_error)

/**
 * stamp_error_get_nick:
 * @error: a #GError
 *
 * Gives the stable, machine-readable name of @error's cause, as `--json`
 * output prints it: the #StampError nick ("auth-disabled"), "cancelled" for a
 * cancellation, or "other".
 *
 * Returns: a static string
 */
const char *
stamp_error_get_nick (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == STAMP_ERROR)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (STAMP_TYPE_ERROR);
      GEnumValue *value = g_enum_get_value (klass, error->code);

      if (value != NULL)
        return value->value_nick;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";

  return "other";
}

/**
 * stamp_error_code_for_transport:
 * @error: why an HTTP request got no answer
 * @fallback: the code for a cause none of the others names
 *
 * The #StampError code for a failed connection as GIO and libsoup report
 * it, so that a sign-in service or Microsoft Graph out of reach is
 * explained like an SMTP server out of reach.
 *
 * Returns: the code
 */
StampError
stamp_error_code_for_transport (const GError *error,
                                StampError    fallback)
{
  g_return_val_if_fail (error != NULL, fallback);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return STAMP_ERROR_TIMED_OUT;
  if (error->domain == G_RESOLVER_ERROR)
    return STAMP_ERROR_HOST_NOT_FOUND;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return STAMP_ERROR_CONNECTION_REFUSED;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return STAMP_ERROR_NETWORK_UNREACHABLE;
  if (error->domain == G_TLS_ERROR)
    return STAMP_ERROR_TLS_HANDSHAKE_FAILED;

  return fallback;
}

/* stamp-preflight.c
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

#define G_LOG_DOMAIN "stamp-preflight"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "stamp-diagnosis.h"
#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-preflight.h"
#include "stamp-provider-db.h"

/*
 * The traps that settings show before any connection: a port Microsoft does
 * not offer, a password where Microsoft is ending them, a secret about to
 * travel unencrypted, a sender that is not the signed-in mailbox. Each
 * finding is an entry of the diagnosis database, written for a "check"
 * rather than a reply, so the app and stamp-cli explain it exactly as they
 * explain a failed send. What the entries match (hosts, ports, providers)
 * lives in data/diagnosis.json, not here.
 */

/* Asks the diagnosis database about one check; adds what it answers. */
static StampExplanation *
ask (const StampPreflightSettings *settings,
     const char                   *provider_id,
     const char                   *check,
     GPtrArray                    *findings)
{
  StampDiagnosisQuery query = { NULL };
  StampExplanation *explanation;

  query.check = check;
  query.host = settings->host;
  query.port = settings->port;
  query.provider_id = provider_id;
  query.address = settings->user != NULL && strchr (settings->user, '@') != NULL ? settings->user
                                                                                 : NULL;
  query.from = settings->from;

  explanation = stamp_diagnosis_explain (stamp_diagnosis_get_default (), &query);
  if (explanation != NULL)
    g_ptr_array_add (findings, explanation);

  return explanation;
}

/**
 * stamp_preflight_check:
 * @settings: the send's settings
 * @findings: (out) (transfer full) (element-type StampExplanation): what
 *   the check found, a blocking finding first; empty when all is well
 * @error: where to put why the send must not start:
 *   %STAMP_ERROR_INVALID_INPUT for a port the server does not offer,
 *   %STAMP_ERROR_TLS_REQUIRED for a sign-in without encryption that the
 *   person did not allow
 *
 * Checks @settings before any connection. Findings that do not block (a
 * password where Microsoft is ending them, another sender than the
 * mailbox) are advice to show next to the send.
 *
 * Returns: %TRUE when the send may start
 */
gboolean
stamp_preflight_check (const StampPreflightSettings  *settings,
                       GPtrArray                    **findings,
                       GError                       **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  const char *provider_id = settings->provider_id;
  StampExplanation *wrong_port;
  gboolean blocked = FALSE;

  g_return_val_if_fail (settings != NULL && settings->host != NULL, FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);

  if (provider_id == NULL)
    {
      StampProvider *provider = stamp_provider_db_lookup_host (stamp_provider_db_get_default (),
                                                               settings->host);

      provider_id = provider != NULL ? stamp_provider_get_id (provider) : NULL;
    }

  wrong_port = ask (settings, provider_id, "submission-port", found);
  if (wrong_port != NULL)
    {
      blocked = TRUE;
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("%s does not take mail on port %u: %s"), settings->host, settings->port,
                   stamp_explanation_get_title (wrong_port));
    }

  if (!blocked && settings->signs_in && settings->security == STAMP_SECURITY_NONE
      && !settings->allow_plaintext && !stamp_host_is_loopback (settings->host))
    {
      blocked = TRUE;
      ask (settings, provider_id, "plaintext-sign-in", found);
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED,
                   _("Stamp will not send a password or token to %s without encryption unless "
                     "you allow it"),
                   settings->host);
    }

  if (settings->signs_in && settings->uses_password)
    ask (settings, provider_id, "password-sign-in", found);

  if (settings->user != NULL && settings->from != NULL && strchr (settings->user, '@') != NULL
      && g_ascii_strcasecmp (settings->user, settings->from) != 0)
    ask (settings, provider_id, "send-as", found);

  *findings = g_steal_pointer (&found);

  return !blocked;
}

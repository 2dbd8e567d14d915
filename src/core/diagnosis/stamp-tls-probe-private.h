/* stamp-tls-probe-private.h
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

#include "stamp-tls-probe.h"

G_BEGIN_DECLS

#define STAMP_TLS_PROBE_N_VERSIONS (STAMP_TLS_VERSION_1_3 + 1)

/* What one version's attempt found. */
typedef struct
{
  StampTlsProbeOutcome  outcome;
  char                 *cipher;
  char                 *message;
} ProbeAttempt;

/* One run, owned by its GTask. The worker reads only the settings copied
 * here and writes only the results here; the object takes them over on the
 * caller's main context when the run ends. */
typedef struct
{
  /* Settings, fixed for the run */
  char          *host;
  guint16        port;
  StampSecurity  security;
  char          *ca_file;
  guint          timeout;

  /* Results */
  ProbeAttempt   attempts[STAMP_TLS_PROBE_N_VERSIONS];
  GStrv          certificates;
  GError        *certificate_error;
} ProbeState;

void _stamp_tls_probe_attempt_clear (ProbeAttempt *attempt);
void _stamp_tls_probe_state_free    (ProbeState   *state);
void _stamp_tls_probe_run           (GTask        *task,
                                     gpointer      source_object,
                                     gpointer      task_data,
                                     GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProbeState, _stamp_tls_probe_state_free)

G_END_DECLS

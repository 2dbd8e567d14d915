/* stamp-tls-probe.h
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

#include <gio/gio.h>

#include "stamp-types.h"

G_BEGIN_DECLS

/* Seconds one attempt may take, from connecting to the end of its handshake. */
#define STAMP_TLS_PROBE_DEFAULT_TIMEOUT 10

/**
 * StampTlsProbeOutcome:
 * @STAMP_TLS_PROBE_NOT_RUN: the probe has not run (or was cancelled first)
 * @STAMP_TLS_PROBE_ACCEPTED: the server completed a handshake limited to this version
 * @STAMP_TLS_PROBE_REFUSED: the server refused this version (an alert, or it hung up)
 * @STAMP_TLS_PROBE_UNAVAILABLE: not tested: this computer's TLS library has the version
 *   turned off
 * @STAMP_TLS_PROBE_ERROR: the attempt failed for another reason (a timeout, a lost
 *   connection); the message says which
 *
 * What one TLS version's attempt found.
 */
typedef enum
{
  STAMP_TLS_PROBE_NOT_RUN,
  STAMP_TLS_PROBE_ACCEPTED,
  STAMP_TLS_PROBE_REFUSED,
  STAMP_TLS_PROBE_UNAVAILABLE,
  STAMP_TLS_PROBE_ERROR,
} StampTlsProbeOutcome;

#define STAMP_TYPE_TLS_PROBE (stamp_tls_probe_get_type ())

G_DECLARE_FINAL_TYPE (StampTlsProbe, stamp_tls_probe, STAMP, TLS_PROBE, GObject)

StampTlsProbe        *stamp_tls_probe_new                   (const char           *host,
                                                             guint16               port,
                                                             StampSecurity         security);
const char           *stamp_tls_probe_get_host              (StampTlsProbe        *self);
guint16               stamp_tls_probe_get_port              (StampTlsProbe        *self);
StampSecurity         stamp_tls_probe_get_security          (StampTlsProbe        *self);
const char           *stamp_tls_probe_get_ca_file           (StampTlsProbe        *self);
void                  stamp_tls_probe_set_ca_file           (StampTlsProbe        *self,
                                                             const char           *ca_file);
guint                 stamp_tls_probe_get_timeout           (StampTlsProbe        *self);
void                  stamp_tls_probe_set_timeout           (StampTlsProbe        *self,
                                                             guint                 timeout);
void                  stamp_tls_probe_run_async             (StampTlsProbe        *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean              stamp_tls_probe_run_finish            (StampTlsProbe        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
StampTlsProbeOutcome  stamp_tls_probe_get_outcome           (StampTlsProbe        *self,
                                                             StampTlsVersion       version);
const char           *stamp_tls_probe_get_cipher            (StampTlsProbe        *self,
                                                             StampTlsVersion       version);
const char           *stamp_tls_probe_get_message           (StampTlsProbe        *self,
                                                             StampTlsVersion       version);
const char * const   *stamp_tls_probe_get_certificates      (StampTlsProbe        *self);
const GError         *stamp_tls_probe_get_certificate_error (StampTlsProbe        *self);
const char           *stamp_tls_probe_get_advice            (StampTlsProbe        *self);

const char           *stamp_tls_probe_outcome_to_string     (StampTlsProbeOutcome  outcome);

G_END_DECLS

/* stamp-core.h
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

/* The core's public API, every layer, bottom first: what the app and
 * stamp-cli include. Code inside the core includes its own layer's
 * headers and those below it, never this file. */

#pragma once

/* base/ */
#include "stamp-address.h"
#include "stamp-async.h"
#include "stamp-domain.h"
#include "stamp-error.h"
#include "stamp-fan-out.h"
#include "stamp-file-lock.h"
#include "stamp-net.h"
#include "stamp-time-limit.h"
#include "stamp-types.h"
#include "stamp-util.h"
#include "stamp-base-enums.h"

/* providers/ */
#include "stamp-provider-db.h"
#include "stamp-provider.h"

/* smtp/ */
#include "stamp-message.h"
#include "stamp-sasl.h"
#include "stamp-smtp-client.h"
#include "stamp-smtp-delivery.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"
#include "stamp-smtp-result.h"
#include "stamp-smtp-server-session.h"
#include "stamp-smtp-settings.h"
#include "stamp-smtp-step.h"
#include "stamp-tls-session.h"
#include "stamp-transcript-line.h"
#include "stamp-transcript.h"
#include "stamp-smtp-enums.h"

/* graph/ */
#include "stamp-graph-client.h"

/* accounts/ */
#include "stamp-account-store.h"
#include "stamp-account.h"

/* auth/ */
#include "stamp-account-send.h"
#include "stamp-auth-enums.h"
#include "stamp-browser.h"
#include "stamp-credentials.h"
#include "stamp-oauth-config.h"
#include "stamp-oauth-redirect.h"
#include "stamp-oauth-sign-in.h"
#include "stamp-oauth-tokens.h"
#include "stamp-secret-store.h"
#include "stamp-sign-in-health.h"
#include "stamp-sign-in-keeper.h"

/* discovery/ */
#include "stamp-autoconfig.h"
#include "stamp-candidate.h"
#include "stamp-discovery.h"
#include "stamp-discovery-enums.h"

/* diagnosis/ */
#include "stamp-diagnosis.h"
#include "stamp-explanation.h"
#include "stamp-preflight.h"
#include "stamp-report.h"
#include "stamp-tls-probe.h"

/* dns/ */
#include "stamp-dns-check.h"
#include "stamp-dns-finding.h"
#include "stamp-spf-walk.h"
#include "stamp-spf.h"
#include "stamp-dns-enums.h"

/* export/ */
#include "stamp-device-guide.h"
#include "stamp-device-sheet.h"
#include "stamp-device-vendors.h"
#include "stamp-export-context.h"
#include "stamp-export-result.h"
#include "stamp-exporter.h"
#include "stamp-export-enums.h"

/* relay/ */
#include "stamp-relay-certificate.h"
#include "stamp-relay-device-list.h"
#include "stamp-relay-device-store.h"
#include "stamp-relay-device.h"
#include "stamp-relay-listener.h"
#include "stamp-relay-queue.h"
#include "stamp-relay-service.h"
#include "stamp-relay-spool.h"
#include "stamp-relay.h"

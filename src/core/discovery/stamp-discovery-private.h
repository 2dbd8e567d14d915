/* stamp-discovery-private.h
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

#include <libsoup/soup.h>

#include "stamp-discovery.h"

G_BEGIN_DECLS

struct _StampDiscovery
{
  GObject parent_instance;

  /* Owned */
  StampProviderDb *provider_db;
  SoupSession     *session;
  char            *http_base;
  char            *ca_file;

  guint16          tls_port;
  guint16          starttls_port;
  guint            source_ms;
  guint            total_ms;
};

/* One discovery run, the task data of its GTask. Every source holds a
 * reference to the task, so the state lives until the last one returns,
 * even after the answer has gone out. */
typedef struct
{
  StampDiscovery *self;
  char           *address;
  char           *domain;
  GCancellable   *cancellable;
  GCancellable   *user_cancellable;
  gulong          user_handler;
  GPtrArray      *candidates;
  GSource        *deadline;
  guint           pending;
  gboolean        finished;
  gboolean        ispdb_for_mx_started;
} RunState;

/* One source at work, with its own deadline. */
typedef struct
{
  GTask        *task;
  GCancellable *cancellable;
  GSource      *timer;
  gulong        run_handler;
  char         *what;

  /* For sources made of several lookups (SRV) */
  GPtrArray            *found;
  guint                 parts;

  /* For HTTP sources */
  SoupMessage          *message;
  GInputStream         *stream;
  GByteArray           *body;
  char                 *origin;
  StampDiscoverySource  source;
} SourceOp;

SourceOp *_stamp_discovery_op_new       (GTask       *task,
                                         const char  *what);
void      _stamp_discovery_op_finish    (SourceOp    *op,
                                         GPtrArray   *found,
                                         gboolean     confident);
GPtrArray *_stamp_discovery_from_provider (StampProvider        *provider,
                                           StampDiscoverySource  source,
                                           const char           *reason,
                                           int                   base_score);

void      _stamp_discovery_start_mx     (GTask       *task);
void      _stamp_discovery_start_srv    (GTask       *task);
void      _stamp_discovery_start_fetch  (GTask                *task,
                                         const char           *host,
                                         const char           *path,
                                         StampDiscoverySource  source,
                                         const char           *origin);
void      _stamp_discovery_start_probe  (GTask         *task,
                                         const char    *host,
                                         StampSecurity  security);

G_END_DECLS

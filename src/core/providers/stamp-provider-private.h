/* stamp-provider-private.h
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

#include "stamp-provider.h"

G_BEGIN_DECLS

/* The limits a provider may document, as named in the JSON; the names are
 * in stamp-provider.c, shared with the parser in stamp-provider-json.c. */
#define N_LIMITS 5

extern const char * const _stamp_provider_limit_names[N_LIMITS];

/*
 * StampProvider:
 *
 * One row of the provider database: a mail service Stamp knows how to send
 * through, the domains and MX hosts that identify it, its submission
 * servers in order of preference, the sign-in methods it accepts, where to
 * get an OAuth token, its documented sending limits and short notes for
 * people setting it up.
 *
 * Providers are immutable once parsed. They are rows, not subclasses: every
 * difference between providers is data in providers.json.
 */
struct _StampProvider
{
  GObject parent_instance;

  /* Owned */
  char               *id;
  char               *name;
  GStrv               domains;
  GStrv               domain_suffixes;
  GStrv               mx_patterns;
  GPtrArray          *mx_specs;
  GArray             *endpoints;
  StampProviderOAuth *oauth;
  GStrv               notes;

  guint               auth_mechanisms;
  gboolean            needs_app_password;
  gint64              limits[N_LIMITS];
};

/* In stamp-provider.c: finalize frees the OAuth data the parser builds, and
 * stamp_provider_matches_mx() reads hosts the way the parser stores them. */
void  _stamp_provider_oauth_free     (StampProviderOAuth *oauth);
char *_stamp_provider_normalize_name (const char         *name,
                                      gboolean            wildcards);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StampProviderOAuth, _stamp_provider_oauth_free)

G_END_DECLS

/* stamp-domain.c
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

#define G_LOG_DOMAIN "stamp-domain"

#include "config.h"

#include <string.h>

#include <libpsl.h>

#include "stamp-domain.h"

/* The newest of the list built into libpsl and the one the system keeps
 * up to date (Debian's publicsuffix); loaded once, then only read, so
 * every thread may share it. */
static gpointer
load_psl_cb (gpointer data)
{
  const psl_ctx_t *psl = psl_latest (NULL);

  if (psl == NULL)
    psl = psl_builtin ();
  if (psl == NULL)
    g_warning ("No public suffix list: organizational domains are not known");

  return (gpointer) psl;
}

static const psl_ctx_t *
get_psl (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_psl_cb, NULL);
}

/**
 * stamp_domain_dup_organizational:
 * @domain: a domain or host name
 *
 * Finds the organizational domain of @domain (RFC 7489 §3.2): the public
 * suffix it lies under, such as `co.uk`, and one label more. So
 * `mail.sub.example.co.uk` gives `example.co.uk`. An IDN is handled in
 * its ASCII form, and a trailing dot is ignored.
 *
 * Returns: (transfer full) (nullable): the organizational domain in
 *   lower-case ASCII, or %NULL when @domain is a public suffix itself or
 *   not a domain
 */
char *
stamp_domain_dup_organizational (const char *domain)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  const psl_ctx_t *psl = get_psl ();
  const char *registrable;
  gsize length;

  g_return_val_if_fail (domain != NULL, NULL);

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL || *ascii == '\0' || *ascii == '.' || psl == NULL)
    return NULL;

  length = strlen (ascii);
  if (ascii[length - 1] == '.')
    length--;
  lower = g_ascii_strdown (ascii, length);

  registrable = psl_registrable_domain (psl, lower);

  return registrable != NULL ? g_strdup (registrable) : NULL;
}

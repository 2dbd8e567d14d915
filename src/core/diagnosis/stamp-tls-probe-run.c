/* stamp-tls-probe-run.c
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

/* The worker side of StampTlsProbe: for each TLS version, a fresh
 * connection (with greeting, EHLO and STARTTLS first when the port wants
 * them) and a handshake limited to that version. Nothing else is said: no
 * AUTH, no MAIL, no credential. */

#define G_LOG_DOMAIN "stamp-tls-probe"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-smtp-line.h"
#include "stamp-smtp-reply.h"
#include "stamp-tls-probe-private.h"
#include "stamp-tls-session.h"
#include "stamp-net.h"
#include "stamp-util.h"

void
_stamp_tls_probe_attempt_clear (ProbeAttempt *attempt)
{
  g_clear_pointer (&attempt->cipher, g_free);
  g_clear_pointer (&attempt->message, g_free);
  attempt->outcome = STAMP_TLS_PROBE_NOT_RUN;
}

void
_stamp_tls_probe_state_free (ProbeState *state)
{
  g_free (state->host);
  g_free (state->ca_file);
  for (guint i = 0; i < STAMP_TLS_PROBE_N_VERSIONS; i++)
    _stamp_tls_probe_attempt_clear (&state->attempts[i]);
  g_strfreev (state->certificates);
  g_clear_error (&state->certificate_error);
  g_free (state);
}


/* Sends @command (none for the greeting) and reads its reply; a reply
 * other than @expected is an error with @code. */
static StampSmtpReply *
exchange (StampSmtpLine  *line,
          const char     *command,
          int             expected,
          int             code,
          gint64          deadline,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autofree char *text = NULL;

  if (command != NULL)
    reply = stamp_smtp_line_command (line, command, deadline, cancellable, error);
  else
    reply = stamp_smtp_line_read_reply (line, deadline, cancellable, error);
  if (reply == NULL)
    return NULL;

  if (stamp_smtp_reply_get_code (reply) == expected)
    return g_steal_pointer (&reply);

  text = stamp_smtp_reply_to_string (reply);
  g_set_error (error, STAMP_ERROR, code, "%s: %s",
               code == STAMP_ERROR_STARTTLS_FAILED ? _("The server refused to start encryption")
                                                   : _("The server refused the session"),
               text);

  return NULL;
}

/* RFC 5321 §4.1.4: without a name of its own, a client gives its address. */
static char *
dup_ehlo_command (StampSmtpLine *line)
{
  g_autofree char *literal = stamp_smtp_line_dup_address_literal (line);

  return g_strdup_printf ("EHLO %s", literal);
}

/* Greeting, EHLO and STARTTLS, up to the point where TLS begins. */
static gboolean
start_tls (ProbeState     *state,
           StampSmtpLine  *line,
           gint64          deadline,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(StampSmtpReply) greeting = NULL;
  g_autoptr(StampSmtpReply) ehlo_reply = NULL;
  g_autoptr(StampSmtpReply) starttls_reply = NULL;
  g_autoptr(GHashTable) capabilities = NULL;
  g_autofree char *ehlo = dup_ehlo_command (line);
  g_autoptr(GError) local_error = NULL;

  greeting = exchange (line, NULL, 220, STAMP_ERROR_SERVER_UNAVAILABLE,
                       deadline, cancellable, &local_error);
  if (greeting == NULL)
    {
      /* An implicit TLS port waits for a ClientHello and says nothing. */
      if (g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
        {
          g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                       _("%s sent no SMTP greeting on port %u within %u seconds; if the port "
                         "expects TLS from the first byte (as 465 does), probe it that way"),
                       state->host, state->port, state->timeout);
          return FALSE;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  ehlo_reply = exchange (line, ehlo, 250, STAMP_ERROR_SERVER_UNAVAILABLE,
                         deadline, cancellable, error);
  if (ehlo_reply == NULL)
    return FALSE;

  capabilities = stamp_smtp_reply_parse_capabilities (ehlo_reply);
  if (!g_hash_table_contains (capabilities, "STARTTLS"))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TLS_REQUIRED,
                   _("%s does not offer STARTTLS on port %u, so no TLS version can be tested "
                     "there; if the port expects TLS from the first byte, probe it that way"),
                   state->host, state->port);
      return FALSE;
    }

  starttls_reply = exchange (line, "STARTTLS", 220, STAMP_ERROR_STARTTLS_FAILED,
                             deadline, cancellable, error);

  return starttls_reply != NULL;
}

/* One reply through the new session (the greeting on an implicit TLS port,
 * the answer to EHLO after STARTTLS) finishes a TLS 1.2 False Start
 * handshake, so the cipher can be named. Its failure changes nothing: the
 * version was accepted. */
static void
greet_through_tls (ProbeState    *state,
                   StampSmtpLine *line,
                   gint64         deadline,
                   GCancellable  *cancellable)
{
  g_autoptr(StampSmtpReply) reply = NULL;
  g_autofree char *ehlo = NULL;

  if (state->security == STAMP_SECURITY_STARTTLS)
    ehlo = dup_ehlo_command (line);

  reply = exchange (line, ehlo, ehlo != NULL ? 250 : 220,
                    STAMP_ERROR_SERVER_UNAVAILABLE, deadline, cancellable, NULL);
}

/* Sorts a failed handshake: a version alert, or a server that hangs up on
 * a ClientHello it does not like, is a refusal; anything else is an error. */
static void
record_failure (ProbeAttempt *attempt,
                const GError *error)
{
  if (g_error_matches (error, STAMP_ERROR, STAMP_ERROR_TLS_VERSION) ||
      g_error_matches (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED))
    attempt->outcome = STAMP_TLS_PROBE_REFUSED;
  else
    attempt->outcome = STAMP_TLS_PROBE_ERROR;

  attempt->message = g_strdup (error->message);
}

/* Tries @version on a fresh connection. Returns %FALSE, with @error, only
 * when the attempt failed before its handshake (or was cancelled); the
 * handshake's own outcome lands in the attempt. */
static gboolean
try_version (ProbeState       *state,
             GList            *addresses,
             StampTlsVersion   version,
             GCancellable     *cancellable,
             GError          **error)
{
  ProbeAttempt *attempt = &state->attempts[version];
  g_autoptr(StampTlsSession) tls = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(StampSmtpLine) line = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 deadline = stamp_deadline_from_now (state->timeout);

  /* Made first, so an unreadable CA file fails before any connection. */
  tls = stamp_tls_session_new (state->host, state->ca_file, version, version, error);
  if (tls == NULL)
    return FALSE;
  stamp_tls_session_allow_untrusted (tls);

  socket = stamp_connect_host (state->host, addresses, state->port, deadline, cancellable, error);
  if (socket == NULL)
    return FALSE;
  line = stamp_smtp_line_new (socket, STAMP_SMTP_ROLE_CLIENT);

  if (state->security == STAMP_SECURITY_STARTTLS &&
      !start_tls (state, line, deadline, cancellable, error))
    {
      stamp_smtp_line_close (line);
      return FALSE;
    }

  if (!stamp_smtp_line_start_tls (line, tls, deadline, cancellable, &local_error))
    {
      stamp_smtp_line_close (line);
      /* Cancelled, or refused before any handshake: data came after the 220. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (local_error, STAMP_ERROR, STAMP_ERROR_STARTTLS_FAILED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      record_failure (attempt, local_error);
      return TRUE;
    }

  attempt->outcome = STAMP_TLS_PROBE_ACCEPTED;
  greet_through_tls (state, line, deadline, cancellable);
  /* Without a reply through TLS, a False Start session never named it. */
  if (g_strcmp0 (stamp_tls_session_get_cipher (tls), "NULL") != 0)
    attempt->cipher = g_strdup (stamp_tls_session_get_cipher (tls));

  /* The certificate is the same whichever version showed it; judge it once. */
  if (state->certificates == NULL)
    {
      state->certificates = g_strdupv ((GStrv) stamp_tls_session_get_certificates (tls));
      stamp_tls_session_check_trust (tls, &state->certificate_error);
    }

  stamp_smtp_line_close (line);

  return TRUE;
}

void
_stamp_tls_probe_run (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ProbeState *state = task_data;
  GList *addresses;
  gboolean reached_tls = FALSE;
  GError *error = NULL;

  addresses = stamp_resolve_host (state->host, state->timeout, cancellable, &error);
  if (addresses == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (int v = STAMP_TLS_VERSION_1_0; v <= STAMP_TLS_VERSION_1_3; v++)
    {
      ProbeAttempt *attempt = &state->attempts[v];

      if (!stamp_tls_session_can_offer (v))
        {
          attempt->outcome = STAMP_TLS_PROBE_UNAVAILABLE;
          attempt->message = g_strdup_printf (_("Not tested: this computer’s TLS library has "
                                                "TLS %s turned off"),
                                              stamp_tls_version_to_string (v));
          continue;
        }

      if (try_version (state, addresses, v, cancellable, &error))
        {
          reached_tls = TRUE;
          continue;
        }

      /* Until one attempt gets as far as TLS, a failure on the way there
       * (no such port, no STARTTLS, a bad CA file) would be the same for
       * every version: report it rather than wait for each. */
      if (!reached_tls || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT))
        {
          g_resolver_free_addresses (addresses);
          g_task_return_error (task, error);
          return;
        }

      attempt->outcome = STAMP_TLS_PROBE_ERROR;
      attempt->message = g_strdup (error->message);
      g_clear_error (&error);
    }

  g_resolver_free_addresses (addresses);
  g_task_return_boolean (task, TRUE);
}

/* stamp-net.c
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

#define G_LOG_DOMAIN "stamp-net"

#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-net.h"
#include "stamp-time-limit.h"

/**
 * stamp_deadline_from_now:
 * @seconds: a time limit
 *
 * Returns: the monotonic time (µs) @seconds from now, as the socket
 *   helpers take it
 */
gint64
stamp_deadline_from_now (guint seconds)
{
  return g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
}

/**
 * stamp_socket_wait:
 * @socket: a non-blocking #GSocket
 * @condition: %G_IO_IN or %G_IO_OUT
 * @deadline: monotonic time (µs) after which to give up
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits until @socket is ready, the deadline passes or @cancellable fires.
 * Every network wait in the core goes through here, so every step has a
 * deadline and can be cancelled.
 *
 * Returns: %TRUE when ready; %FALSE with %STAMP_ERROR_TIMED_OUT or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
stamp_socket_wait (GSocket       *socket,
                   GIOCondition   condition,
                   gint64         deadline,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 remaining = deadline - g_get_monotonic_time ();

  if (remaining <= 0)
    remaining = 0;

  if (g_socket_condition_timed_wait (socket, condition, remaining, cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error_literal (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                         _("The server did not answer in time"));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));

  return FALSE;
}

static void
set_socket_error (GError     **error,
                  GError      *local_error)
{
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_CLOSED,
                   _("The server closed the connection (%s)"), local_error->message);
      g_error_free (local_error);
    }
  else
    g_propagate_error (error, local_error);
}

gboolean
stamp_socket_send_all (GSocket       *socket,
                       const char    *data,
                       gsize          len,
                       gint64         deadline,
                       GCancellable  *cancellable,
                       GError       **error)
{
  while (len > 0)
    {
      GError *local_error = NULL;
      gssize sent;

      if (!stamp_socket_wait (socket, G_IO_OUT, deadline, cancellable, error))
        return FALSE;

      sent = g_socket_send_with_blocking (socket, data, len, FALSE, cancellable, &local_error);
      if (sent < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_clear_error (&local_error);
              continue;
            }

          set_socket_error (error, local_error);
          return FALSE;
        }

      data += sent;
      len -= sent;
    }

  return TRUE;
}

/**
 * stamp_socket_receive:
 *
 * Reads what is there, waiting until the deadline for at least one byte.
 *
 * Returns: bytes read, 0 at end of stream, -1 with @error set
 */
gssize
stamp_socket_receive (GSocket       *socket,
                      char          *buffer,
                      gsize          size,
                      gint64         deadline,
                      GCancellable  *cancellable,
                      GError       **error)
{
  for (;;)
    {
      GError *local_error = NULL;
      gssize received;

      if (!stamp_socket_wait (socket, G_IO_IN, deadline, cancellable, error))
        return -1;

      received = g_socket_receive_with_blocking (socket, buffer, size, FALSE,
                                                 cancellable, &local_error);
      if (received >= 0)
        return received;

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          set_socket_error (error, local_error);
          return -1;
        }

      g_clear_error (&local_error);
    }
}

typedef struct
{
  GList   *addresses;
  GError  *error;
  gboolean done;
} LookupResult;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LookupResult *lookup = user_data;

  lookup->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result,
                                                        &lookup->error);
  lookup->done = TRUE;
}

/**
 * stamp_resolve_host:
 * @host: a host name or address
 * @timeout: seconds the lookup may take
 * @cancellable: (nullable): a #GCancellable
 * @error: where to put an error: %STAMP_ERROR_TIMED_OUT,
 *   %STAMP_ERROR_HOST_NOT_FOUND, or the cancellation
 *
 * Looks @host up from a worker thread. GResolver has no deadline of its
 * own: the lookup runs on a private main context with a timer that
 * cancels it.
 *
 * Returns: (transfer full) (element-type GInetAddress): the addresses
 */
GList *
stamp_resolve_host (const char    *host,
                    guint          timeout,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(StampTimeLimit) limit = stamp_time_limit_new (cancellable, timeout * 1000, context);
  LookupResult lookup = { NULL, NULL, FALSE };

  g_main_context_push_thread_default (context);

  g_resolver_lookup_by_name_async (resolver, host, stamp_time_limit_get_cancellable (limit),
                                   lookup_cb, &lookup);
  while (!lookup.done)
    g_main_context_iteration (context, TRUE);

  g_clear_object (&limit);
  g_main_context_pop_thread_default (context);

  if (lookup.addresses != NULL)
    return lookup.addresses;

  if (g_cancellable_is_cancelled (cancellable))
    g_propagate_error (error, lookup.error);
  else if (g_error_matches (lookup.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                   _("Looking up “%s” took longer than %u seconds"), host, timeout);
      g_error_free (lookup.error);
    }
  else
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_HOST_NOT_FOUND,
                   _("The server name “%s” could not be found (%s). Check its spelling."),
                   host, lookup.error->message);
      g_error_free (lookup.error);
    }

  return NULL;
}

/**
 * stamp_connect_host:
 * @host: the name @addresses were looked up for, for messages
 * @addresses: (element-type GInetAddress): where @host is, tried in order
 * @port: the TCP port
 * @deadline: the monotonic time by which a connection must stand
 * @cancellable: (nullable): a #GCancellable
 * @error: where to put an error: %STAMP_ERROR_CONNECTION_REFUSED,
 *   %STAMP_ERROR_TIMED_OUT, %STAMP_ERROR_NETWORK_UNREACHABLE, or the
 *   cancellation
 *
 * Returns: (transfer full) (nullable): a connected, non-blocking socket
 */
GSocket *
stamp_connect_host (const char    *host,
                    GList         *addresses,
                    guint16        port,
                    gint64         deadline,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GError) last_error = NULL;

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (l->data, port);
      g_autoptr(GSocket) socket = NULL;
      GError *local_error = NULL;

      g_clear_error (&last_error);
      socket = g_socket_new (g_inet_address_get_family (l->data), G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_TCP, &last_error);
      if (socket == NULL)
        continue;

      g_socket_set_blocking (socket, FALSE);
      /* Pipelined groups go out whole; Nagle would only hold them back. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

      if (!g_socket_connect (socket, address, cancellable, &local_error))
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PENDING))
            {
              last_error = local_error;
              continue;
            }
          g_clear_error (&local_error);

          if (!stamp_socket_wait (socket, G_IO_OUT, deadline, cancellable, &local_error) ||
              !g_socket_check_connect_result (socket, &local_error))
            {
              last_error = local_error;
              if (g_cancellable_is_cancelled (cancellable))
                break;
              continue;
            }
        }

      return g_steal_pointer (&socket);
    }

  if (last_error == NULL || g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&last_error));
  else if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_CONNECTION_REFUSED,
                 _("%s refused the connection on port %u: nothing listens there, or a firewall "
                   "rejects it. Check the port (587 for STARTTLS, 465 for TLS)."),
                 host, port);
  else if (g_error_matches (last_error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT))
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_TIMED_OUT,
                 _("%s did not accept a connection on port %u in time. A firewall may be "
                   "blocking outgoing connections to port %u."),
                 host, port, port);
  else
    g_set_error (error, STAMP_ERROR, STAMP_ERROR_NETWORK_UNREACHABLE,
                 _("Could not reach %s on port %u: %s"),
                 host, port, last_error->message);

  return NULL;
}

/* The address @host spells, without the brackets hosts are sometimes
 * written with ("[::1]"); an IPv4 address written as IPv6 ("::ffff:10.0.0.1")
 * comes back as IPv4, so the checks below see its real kind. */
static GInetAddress *
address_from_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len = strlen (host);

  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *bytes = g_inet_address_to_bytes (address);
      static const guint8 v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, v4_mapped, sizeof v4_mapped) == 0)
        return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
    }

  return g_steal_pointer (&address);
}

/**
 * stamp_host_is_loopback:
 * @host: a host name or address
 *
 * Whether @host is this computer's own loopback: `localhost`, a name under
 * it (RFC 6761 §6.3), or an address in 127.0.0.0/8 or ::1. Only programs on
 * this computer reach it; a printer on the network never does.
 *
 * Returns: %TRUE for a loopback host
 */
gboolean
stamp_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (host != NULL, FALSE);

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0
      || g_str_has_suffix (host, ".localhost") || g_str_has_suffix (host, ".localhost."))
    return TRUE;

  address = address_from_host (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * stamp_host_is_local:
 * @host: a host name or address
 *
 * Whether @host names this computer or a machine on its own network: a
 * loopback host, a private address (10.0.0.0/8, 172.16.0.0/12,
 * 192.168.0.0/16, fc00::/7) or a link-local one (169.254.0.0/16, fe80::/10).
 * Such an address is never a mail provider's server, whatever the provider
 * database lists for it: the same 127.0.0.1 is Proton Mail Bridge on one
 * computer and a test server on another.
 *
 * Returns: %TRUE for a host that only means something on this computer or
 *   its network
 */
gboolean
stamp_host_is_local (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  const guint8 *bytes;

  g_return_val_if_fail (host != NULL, FALSE);

  if (stamp_host_is_loopback (host))
    return TRUE;

  address = address_from_host (host);
  if (address == NULL)
    return FALSE;

  if (g_inet_address_get_is_site_local (address) || g_inet_address_get_is_link_local (address))
    return TRUE;

  /* GLib's site-local is the retired fec0::/10; unique local addresses
   * (RFC 4193) are IPv6's private range. */
  bytes = g_inet_address_to_bytes (address);
  return g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 && (bytes[0] & 0xfe) == 0xfc;
}

/* Returns: (nullable): the address of @ifa if it is one other machines on
 * the network can reach this computer at */
static GInetAddress *
reachable_address (const struct ifaddrs *ifa,
                   int                   family)
{
  g_autoptr(GInetAddress) address = NULL;

  if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != family)
    return NULL;
  /* Up, with a link: a bridge with nothing on it is up but not running. */
  if ((ifa->ifa_flags & IFF_UP) == 0 || (ifa->ifa_flags & IFF_RUNNING) == 0 ||
      (ifa->ifa_flags & IFF_LOOPBACK) != 0)
    return NULL;

  if (family == AF_INET)
    {
      const struct sockaddr_in *in = (const struct sockaddr_in *) ifa->ifa_addr;

      address = g_inet_address_new_from_bytes ((const guint8 *) &in->sin_addr,
                                               G_SOCKET_FAMILY_IPV4);
    }
  else
    {
      const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) ifa->ifa_addr;

      address = g_inet_address_new_from_bytes ((const guint8 *) &in6->sin6_addr,
                                               G_SOCKET_FAMILY_IPV6);
    }

  /* A link-local IPv6 address needs its interface named, which a printer's
   * server field cannot take. */
  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_any (address) ||
      (family == AF_INET6 && g_inet_address_get_is_link_local (address)))
    return NULL;

  return g_steal_pointer (&address);
}

/**
 * stamp_net_dup_lan_address:
 *
 * This computer's address on its network, for a printer or scanner to
 * reach it at (Stamp Relay's server on their settings sheets): the first
 * IPv4 address of an interface that is up and not the loopback one, or
 * else the first such IPv6 address that is not link-local.
 *
 * Returns: (transfer full) (nullable): the address as text (“192.168.1.20”),
 *   or %NULL when this computer has no network but its own
 */
char *
stamp_net_dup_lan_address (void)
{
  static const int families[] = { AF_INET, AF_INET6 };
  struct ifaddrs *list = NULL;
  char *found = NULL;

  if (getifaddrs (&list) != 0)
    return NULL;

  for (guint f = 0; f < G_N_ELEMENTS (families) && found == NULL; f++)
    for (const struct ifaddrs *ifa = list; ifa != NULL && found == NULL; ifa = ifa->ifa_next)
      {
        g_autoptr(GInetAddress) address = reachable_address (ifa, families[f]);

        if (address != NULL)
          found = g_inet_address_to_string (address);
      }

  freeifaddrs (list);
  return found;
}

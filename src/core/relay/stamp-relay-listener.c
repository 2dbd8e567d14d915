/* stamp-relay-listener.c
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

#define G_LOG_DOMAIN "stamp-relay"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "stamp-error.h"
#include "stamp-relay-listener.h"

/* How long stop waits for sessions to notice the cancellation. */
#define STOP_WAIT_USEC (5 * G_USEC_PER_SEC)

/*
 * StampRelayListener:
 *
 * Accepts the relay's connections and runs one #StampSmtpServerSession per
 * connection, each in a thread of its own. A thread per connection keeps
 * the session plain blocking code with a deadline on every read, the way
 * the line engine and the GnuTLS transport already work, and the caps make
 * it cheap: at most @max_connections threads (256) and @max_per_ip from one
 * address (20); an idle thread costs its few touched stack pages and a
 * 4 KiB line buffer, and it ends at its read deadline. A connection over a
 * cap is told 421 and closed at once on the main context, without a
 * thread, so a flood of idle or slow clients cannot take every file
 * descriptor or thread and keep others from being served.
 */
struct _StampRelayListener
{
  GObject parent_instance;

  /* Owned */
  GSocketService               *service;
  GPtrArray                    *addresses;
  GPtrArray                    *bound;
  GCancellable                 *cancellable;
  GHashTable                   *per_ip;
  char                         *server_name;
  char                         *cert_file;
  char                         *key_file;
  GMutex                        lock;
  GCond                         ended;

  /* Borrowed */
  const StampSmtpServerHandler *handler;
  gpointer                      user_data;

  guint64                       max_size;
  guint                         command_ms;
  guint                         data_ms;
  guint                         max_connections;
  guint                         max_per_ip;
  guint                         n_connections;
};

G_DEFINE_FINAL_TYPE (StampRelayListener, stamp_relay_listener, G_TYPE_OBJECT)

typedef struct
{
  StampRelayListener     *listener;
  GSocketConnection      *connection;
  StampSmtpServerSession *session;
  GCancellable           *cancellable;
  gboolean                forgotten;  /* no longer counted */
} ClientState;

static void
client_state_free (ClientState *state)
{
  g_clear_object (&state->session);
  g_clear_object (&state->connection);
  g_clear_object (&state->cancellable);
  g_clear_object (&state->listener);
  g_free (state);
}

static void
forget_connection (StampRelayListener *self,
                   const char         *ip)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_ip, ip));
  if (count <= 1)
    g_hash_table_remove (self->per_ip, ip);
  else
    g_hash_table_insert (self->per_ip, g_strdup (ip), GUINT_TO_POINTER (count - 1));
  self->n_connections--;
  g_cond_broadcast (&self->ended);
  g_mutex_unlock (&self->lock);
}

/* A client that says QUIT no longer counts against its address's cap: it
 * may open its next connection as soon as it reads the 221. */
static void
client_quit_cb (gpointer session,
                gpointer data)
{
  ClientState *state = data;

  if (!state->forgotten)
    forget_connection (state->listener, stamp_smtp_server_session_get_client_ip (session));
  state->forgotten = TRUE;
}

static gpointer
client_thread (gpointer data)
{
  ClientState *state = data;

  stamp_smtp_server_session_set_quit_func (state->session, client_quit_cb, state);
  stamp_smtp_server_session_run (state->session, state->cancellable);
  g_io_stream_close (G_IO_STREAM (state->connection), NULL, NULL);
  client_quit_cb (state->session, state);
  client_state_free (state);

  return NULL;
}

/* Over a cap: a 421 into the empty send buffer, never waiting, and gone. */
static void
turn_away (StampRelayListener     *self,
           GSocketConnection      *connection,
           StampSmtpServerSession *session,
           const char             *why)
{
  static const char reply[] = "421 4.7.0 Too many connections, try again later\r\n";
  GSocket *socket = g_socket_connection_get_socket (connection);

  g_socket_send_with_blocking (socket, reply, sizeof reply - 1, FALSE, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  if (self->handler->log != NULL)
    self->handler->log (self->user_data, stamp_smtp_server_session_get_client_ip (session),
                        NULL, why);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  StampRelayListener *self = user_data;
  g_autoptr(StampSmtpServerSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autofree char *why = NULL;
  ClientState *state;
  const char *ip;
  guint count;

  session = stamp_smtp_server_session_new (g_socket_connection_get_socket (connection),
                                           self->handler, self->user_data);
  ip = stamp_smtp_server_session_get_client_ip (session);

  g_mutex_lock (&self->lock);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_ip, ip));
  if (self->n_connections >= self->max_connections)
    why = g_strdup_printf (_("refused: already %u connections, the most the relay takes"),
                           self->n_connections);
  else if (count >= self->max_per_ip)
    why = g_strdup_printf (_("refused: already %u connections from this address, the most "
                             "one address may have"), count);
  else
    {
      g_hash_table_insert (self->per_ip, g_strdup (ip), GUINT_TO_POINTER (count + 1));
      self->n_connections++;
    }
  g_mutex_unlock (&self->lock);

  if (why != NULL)
    {
      turn_away (self, connection, session, why);
      return TRUE;
    }

  /* The replies to a pipelined group go out as they are made; Nagle would
   * hold each behind the client's delayed acknowledgement. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       TRUE, NULL);
  stamp_smtp_server_session_set_server_name (session, self->server_name);
  stamp_smtp_server_session_set_tls_files (session, self->cert_file, self->key_file);
  stamp_smtp_server_session_set_max_message_size (session, self->max_size);
  stamp_smtp_server_session_set_timeouts (session, self->command_ms, self->data_ms);

  state = g_new0 (ClientState, 1);
  state->listener = g_object_ref (self);
  state->connection = g_object_ref (connection);
  state->session = g_object_ref (session);
  state->cancellable = g_object_ref (self->cancellable);

  thread = g_thread_try_new ("stamp-relay-client", client_thread, state, &error);
  if (thread == NULL)
    {
      g_autofree char *ip_copy = g_strdup (ip);

      client_state_free (state);
      forget_connection (self, ip_copy);
      turn_away (self, connection, session, error->message);
    }

  return TRUE;
}

static void
stamp_relay_listener_dispose (GObject *object)
{
  StampRelayListener *self = (StampRelayListener *)object;

  stamp_relay_listener_stop (self);

  G_OBJECT_CLASS (stamp_relay_listener_parent_class)->dispose (object);
}

static void
stamp_relay_listener_finalize (GObject *object)
{
  StampRelayListener *self = (StampRelayListener *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->bound, g_ptr_array_unref);
  g_clear_pointer (&self->per_ip, g_hash_table_unref);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->cert_file, g_free);
  g_clear_pointer (&self->key_file, g_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ended);

  G_OBJECT_CLASS (stamp_relay_listener_parent_class)->finalize (object);
}

static void
stamp_relay_listener_class_init (StampRelayListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stamp_relay_listener_dispose;
  object_class->finalize = stamp_relay_listener_finalize;
}

static void
stamp_relay_listener_init (StampRelayListener *self)
{
  self->addresses = g_ptr_array_new_with_free_func (g_object_unref);
  self->bound = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  self->per_ip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server_name = g_strdup (g_get_host_name ());
  self->max_size = 35 * 1024 * 1024;
  self->command_ms = 60 * 1000;
  self->data_ms = 5 * 60 * 1000;
  self->max_connections = STAMP_RELAY_MAX_CONNECTIONS;
  self->max_per_ip = STAMP_RELAY_MAX_CONNECTIONS_PER_IP;
  g_mutex_init (&self->lock);
  g_cond_init (&self->ended);
}

/**
 * stamp_relay_listener_new:
 * @handler: what the sessions ask; must outlive the listener
 * @user_data: given to every function of @handler
 *
 * Returns: (transfer full): a listener with no address yet
 */
StampRelayListener *
stamp_relay_listener_new (const StampSmtpServerHandler *handler,
                          gpointer                      user_data)
{
  StampRelayListener *self;

  g_return_val_if_fail (handler != NULL, NULL);

  self = g_object_new (STAMP_TYPE_RELAY_LISTENER, NULL);
  self->handler = handler;
  self->user_data = user_data;

  return self;
}

/**
 * stamp_relay_listener_add_address:
 * @self: a #StampRelayListener, not started
 * @host_port: "HOST:PORT" or "[IPv6]:PORT"; HOST is an address or
 *   "localhost", PORT may be 0 for any free port
 * @error: return location for a #GError
 *
 * Errors: %STAMP_ERROR_INVALID_INPUT, with words that say what is wrong.
 *
 * Returns: %TRUE when @host_port is understood
 */
gboolean
stamp_relay_listener_add_address (StampRelayListener  *self,
                                  const char          *host_port,
                                  GError             **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;
  const char *port_str;
  guint64 port = 0;

  g_return_val_if_fail (STAMP_IS_RELAY_LISTENER (self), FALSE);
  g_return_val_if_fail (host_port != NULL, FALSE);

  if (host_port[0] == '[')
    {
      const char *close = strchr (host_port, ']');

      port_str = close != NULL && close[1] == ':' ? close + 2 : NULL;
      host = close != NULL ? g_strndup (host_port + 1, close - host_port - 1) : NULL;
    }
  else
    {
      const char *colon = strrchr (host_port, ':');

      port_str = colon != NULL ? colon + 1 : NULL;
      host = colon != NULL ? g_strndup (host_port, colon - host_port) : NULL;
    }

  if (host == NULL || port_str == NULL ||
      !g_ascii_string_to_unsigned (port_str, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an address to listen on: give HOST:PORT, such as "
                     "127.0.0.1:2525 or [::1]:2525"), host_port);
      return FALSE;
    }

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);

  if (inet == NULL)
    {
      g_set_error (error, STAMP_ERROR, STAMP_ERROR_INVALID_INPUT,
                   _("“%s” is not an IP address of this computer to listen on (such as "
                     "127.0.0.1, 0.0.0.0 or ::)"), host);
      return FALSE;
    }

  g_ptr_array_add (self->addresses, g_inet_socket_address_new (inet, port));
  return TRUE;
}

void
stamp_relay_listener_set_tls_files (StampRelayListener *self,
                                    const char         *cert_file,
                                    const char         *key_file)
{
  g_return_if_fail (STAMP_IS_RELAY_LISTENER (self));

  g_free (self->cert_file);
  g_free (self->key_file);
  self->cert_file = g_strdup (cert_file);
  self->key_file = g_strdup (key_file);
}

void
stamp_relay_listener_set_max_message_size (StampRelayListener *self,
                                           guint64             max_size)
{
  g_return_if_fail (STAMP_IS_RELAY_LISTENER (self));

  self->max_size = max_size;
}

/**
 * stamp_relay_listener_set_timeouts:
 * @self: a #StampRelayListener
 * @command_ms: the deadline of one command (60 s by default)
 * @data_ms: the deadline of a whole message (5 minutes by default)
 *
 * For sessions that start from now on; tests make them short.
 */
void
stamp_relay_listener_set_timeouts (StampRelayListener *self,
                                   guint               command_ms,
                                   guint               data_ms)
{
  g_return_if_fail (STAMP_IS_RELAY_LISTENER (self));

  self->command_ms = command_ms;
  self->data_ms = data_ms;
}

/**
 * stamp_relay_listener_set_limits:
 * @self: a #StampRelayListener
 * @max_connections: connections at once, from everyone
 * @max_per_ip: connections at once from one address
 */
void
stamp_relay_listener_set_limits (StampRelayListener *self,
                                 guint               max_connections,
                                 guint               max_per_ip)
{
  g_return_if_fail (STAMP_IS_RELAY_LISTENER (self));

  g_mutex_lock (&self->lock);
  self->max_connections = max_connections;
  self->max_per_ip = max_per_ip;
  g_mutex_unlock (&self->lock);
}

static char *
describe_address (GSocketAddress *address)
{
  GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_autofree char *host = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);

  return g_strdup_printf ("%s:%u", host, port);
}

/**
 * stamp_relay_listener_start:
 * @self: a #StampRelayListener
 * @error: return location for a #GError
 *
 * Binds every address and starts taking connections on the thread-default
 * main context. Errors: %G_IO_ERROR_ADDRESS_IN_USE when another program
 * already listens on one of them (nothing is bound then), or the socket's
 * own error.
 *
 * Returns: %TRUE when listening
 */
gboolean
stamp_relay_listener_start (StampRelayListener  *self,
                            GError             **error)
{
  g_return_val_if_fail (STAMP_IS_RELAY_LISTENER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->service = g_socket_service_new ();
  /* GLib's backlog of 10 would have a burst of devices wait out TCP's
   * retransmission timer (a second and more) before being accepted. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self->service), 256);
  self->cancellable = g_cancellable_new ();
  g_ptr_array_set_size (self->bound, 0);

  for (guint i = 0; i < self->addresses->len; i++)
    {
      GSocketAddress *address = g_ptr_array_index (self->addresses, i);
      g_autoptr(GSocketAddress) effective = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                          &effective, &local_error))
        {
          g_autofree char *where = describe_address (address);

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                         _("Could not listen: another relay already serves %s, or another "
                           "program uses that port"), where);
          else
            g_set_error (error, local_error->domain, local_error->code,
                         _("Could not listen on %s: %s"), where, local_error->message);
          g_socket_listener_close (G_SOCKET_LISTENER (self->service));
          g_clear_object (&self->service);
          g_clear_object (&self->cancellable);
          return FALSE;
        }

      g_ptr_array_add (self->bound, describe_address (effective));
    }

  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);
  g_socket_service_start (self->service);

  return TRUE;
}

/**
 * stamp_relay_listener_stop:
 * @self: a #StampRelayListener
 *
 * Stops listening, tells every session to end (they answer 421) and waits
 * a few seconds at most for them to close.
 */
void
stamp_relay_listener_stop (StampRelayListener *self)
{
  gint64 until = g_get_monotonic_time () + STOP_WAIT_USEC;

  g_return_if_fail (STAMP_IS_RELAY_LISTENER (self));

  if (self->service == NULL)
    return;

  g_signal_handlers_disconnect_by_func (self->service, incoming_cb, self);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_ptr_array_set_size (self->bound, 0);

  g_mutex_lock (&self->lock);
  while (self->n_connections > 0)
    if (!g_cond_wait_until (&self->ended, &self->lock, until))
      break;
  g_mutex_unlock (&self->lock);
}

/**
 * stamp_relay_listener_dup_listening:
 * @self: a #StampRelayListener
 *
 * Returns: (transfer full): the bound addresses, "HOST:PORT", port 0
 *   resolved; empty when not started
 */
GStrv
stamp_relay_listener_dup_listening (StampRelayListener *self)
{
  g_return_val_if_fail (STAMP_IS_RELAY_LISTENER (self), NULL);

  return g_strdupv ((char **) self->bound->pdata);
}

guint
stamp_relay_listener_get_n_connections (StampRelayListener *self)
{
  guint n;

  g_return_val_if_fail (STAMP_IS_RELAY_LISTENER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_connections;
  g_mutex_unlock (&self->lock);

  return n;
}

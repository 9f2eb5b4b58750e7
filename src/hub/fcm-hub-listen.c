/* fcm-hub-listen.c: where the hub listens and how it takes connections
 *
 * - Listening: the hub makes its own listening socket with a backlog of
 *   LISTEN_BACKLOG; soup_server_listen() uses 10, so a burst of connects
 *   stalled for a second (the SYN retransmit) once ten were queued.
 * - Accepting (plain HTTP): the hub accepts connections itself and hands
 *   each to SoupServer as a stream (soup_server_accept_iostream()).
 *   libsoup 3.2.3's own listener stops listening for good on the first
 *   failed accept (EMFILE: the hub never answered again, even once
 *   descriptors were free) and keeps a reference to every GSocket it
 *   accepts (one per connection, for good). Ours says so once and tries
 *   again every ACCEPT_RETRY_MS, and lets the socket go with the
 *   connection. SoupServer only keeps connections alive while it has a
 *   listener, so it gets a placeholder that never has anything to accept.
 *   With TLS, libsoup's listener still does it all (it makes the TLS
 *   connection).
 *   Left alone (libsoup 3.2.3, not ours to fix here): between two requests
 *   SoupServer reports the next one only once its first bytes come, so a
 *   keep-alive connection its peer closes between requests never reaches
 *   its end in libsoup: the hub closes the socket (fcm-hub-connections.c), but libsoup
 *   keeps the connection's objects in its list of clients until the hub
 *   stops (~1.5 KB each; a libsoup client opens a connection per POST).
 *   Taking the connection over at that point crashes libsoup (it has no
 *   current message then).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcm-hub-private.h"

#define LISTEN_BACKLOG 1024
#define ACCEPT_PER_TURN 32
#define ACCEPT_RETRY_MS 250

static gboolean accept_cb (GSocket      *socket,
                           GIOCondition  condition,
                           gpointer      data);

static void
accept_watch (FcmHub *self)
{
  self->listen_source = g_socket_create_source (self->listen_socket, G_IO_IN, NULL);
  g_source_set_priority (self->listen_source, self->accept_priority);
  g_source_set_callback (self->listen_source, (GSourceFunc) (void (*) (void)) accept_cb, self, NULL);
  g_source_attach (self->listen_source, g_main_context_get_thread_default ());
}

static gboolean
accept_retry_cb (gpointer data)
{
  FcmHub *self = data;

  self->accept_retry_id = 0;
  accept_watch (self);
  return G_SOURCE_REMOVE;
}

/* GSockets this hub accepted that are still alive, all hubs of the
 * process together (tests: none may be left behind) */
static gint n_live_sockets;

static void
socket_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  g_atomic_int_dec_and_test (&n_live_sockets);
}

guint
_fcm_hub_conn_get_n_live_sockets (void)
{
  return (guint) g_atomic_int_get (&n_live_sockets);
}

/* One new connection: a stream for SoupServer, tracked as libsoup's own
 * would be (request-started finds it by its remote address). */
static void
accept_one (FcmHub  *self,
            GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  HubConnection *conn;

  local = g_socket_get_local_address (socket, &error);
  if (local != NULL)
    remote = g_socket_get_remote_address (socket, &error);
  if (remote == NULL)
    {
      /* gone before we took it (ENOTCONN) */
      g_debug ("dropping a connection: %s", error->message);
      g_socket_close (socket, NULL);
      return;
    }
  g_atomic_int_inc (&n_live_sockets);
  g_object_weak_ref (G_OBJECT (socket), socket_finalized_cb, NULL);
  stream = g_socket_connection_factory_create_connection (socket);
  conn = _fcm_hub_conn_track (self, socket, remote);
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (stream), local, remote, &error))
    {
      g_debug ("dropping a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);
      _fcm_hub_conn_untrack (conn);
    }
}

static gboolean
accept_cb (GSocket      *listen_socket,
           GIOCondition  condition,
           gpointer      data)
{
  FcmHub *self = data;

  /* a few a turn: a burst of connects is taken without starving the rest */
  for (guint i = 0; i < ACCEPT_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listen_socket, NULL, &error);

      if (socket == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          /* out of file descriptors, most likely: the connection waits in
           * the backlog, so polling again at once would spin; pause (and
           * say so once until a connection is accepted again) */
          if (!self->accept_failing)
            g_warning ("cannot accept a connection: %s; trying again every %d ms", error->message,
                       ACCEPT_RETRY_MS);
          self->accept_failing = TRUE;
          g_clear_pointer (&self->listen_source, g_source_unref);
          self->accept_retry_id = g_timeout_add (ACCEPT_RETRY_MS, accept_retry_cb, self);
          return G_SOURCE_REMOVE;
        }
      self->accept_failing = FALSE;
      accept_one (self, socket);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
_fcm_hub_conn_listen (FcmHub        *self,
                      GInetAddress  *address,
                      guint          port,
                      gboolean       tls,
                      GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocket) placeholder = NULL;
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);
  int pair[2];

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  if (tls)
    return soup_server_listen_socket (self->server, socket, SOUP_SERVER_LISTEN_HTTPS, error);

  /* SoupServer keeps a connection alive after a request only while it has
   * a listener of its own (request_finished() in libsoup 3.2.3): give it
   * one that never has anything to accept, one end of a socket pair whose
   * other end we keep open and never write to */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s", g_strerror (saved));
      return FALSE;
    }
  placeholder = g_socket_new_from_fd (pair[0], error);
  if (placeholder == NULL)
    {
      close (pair[0]);
      close (pair[1]);
      return FALSE;
    }
  self->placeholder_peer = g_socket_new_from_fd (pair[1], error);
  if (self->placeholder_peer == NULL)
    {
      close (pair[1]);
      return FALSE;
    }
  if (!soup_server_listen_socket (self->server, placeholder, 0, error))
    return FALSE;

  /* accepted sockets inherit it, as with libsoup's listener */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  g_socket_set_blocking (socket, FALSE);
  self->listen_socket = g_steal_pointer (&socket);
  accept_watch (self);
  return TRUE;
}

/* The socket the hub listens on (either way). */
GSocket *
_fcm_hub_conn_get_listen_socket (FcmHub *self)
{
  g_autoptr(GSList) listeners = NULL;

  if (self->listen_socket != NULL)
    return self->listen_socket;
  if (self->server == NULL)
    return NULL;
  listeners = soup_server_get_listeners (self->server);
  return listeners != NULL ? listeners->data : NULL;
}

void
_fcm_hub_listen_stop (FcmHub *self)
{
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
  if (self->listen_source != NULL)
    {
      g_source_destroy (self->listen_source);
      g_clear_pointer (&self->listen_source, g_source_unref);
    }
  if (self->listen_socket != NULL)
    {
      g_socket_close (self->listen_socket, NULL);
      g_clear_object (&self->listen_socket);
    }
  g_clear_object (&self->placeholder_peer);
}

/**
 * fcm_hub_set_accept_priority:
 * @priority: a #GMainContext priority
 *
 * The priority at which the hub takes new connections (plain HTTP; default
 * %G_PRIORITY_DEFAULT). A hub that shares a GUI's main loop can take them
 * below the GUI's redraw: when the loop is busy, publishers opening a
 * connection wait instead of the screen. What is already connected
 * (subscribers, their acks, requests under way) is served as before.
 */
void
fcm_hub_set_accept_priority (FcmHub *self,
                             int     priority)
{
  g_return_if_fail (FCM_IS_HUB (self));
  self->accept_priority = priority;
  if (self->listen_source != NULL)
    g_source_set_priority (self->listen_source, priority);
}


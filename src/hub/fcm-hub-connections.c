/* fcm-hub-connections.c: the hub's TCP connections, where SoupServer
 * (libsoup 3.2.3) needs help (listening and accepting: fcm-hub-listen.c)
 *
 * - Closed and idle keep-alive connections: SoupServer leaves a
 *   connection whose peer closed it between two requests in CLOSE-WAIT
 *   for good (one file descriptor per `fhircast publish`, until the hub
 *   runs out of them). A connection that had a request is watched while
 *   no other is in progress: a peer that has gone gets the connection
 *   closed (after END_GRACE_MS, unless libsoup starts a request it had
 *   read already). The watch runs at libsoup's own priority (a lower one
 *   starves in a busy main loop); whichever of the two sees the end first
 *   closes (libsoup does see the end of a connection that never had a
 *   request, or has half of one). Any connection idle for the idle timeout
 *   (default 60 s) is shut down. Thousands of connections (issue 14.10)
 *   cost little: one timer serves all the idle deadlines, and no watch is
 *   kept where libsoup needs no help.
 * - Answers before the body: a request refused from its headers alone
 *   (authorization, an announced body over the limit) or a chunked body
 *   that passes the limit is answered without reading (any more of) the
 *   body. SoupServer reads a whole body before it writes any answer, so
 *   the hub takes the connection over, writes the answer itself, reads
 *   and drops whatever the client still sends (at most EARLY_DRAIN_BYTES
 *   for EARLY_DRAIN_SECONDS, so the client can read the answer), then
 *   closes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fcm-hub-private.h"

#define EARLY_DRAIN_SECONDS 2
#define EARLY_DRAIN_BYTES (8 * 1024 * 1024)
#define END_GRACE_MS 200

struct _HubConnection
{
  FcmHub  *hub;
  GObject *key;          /* in FcmHub.connections, a reference: the GSocket
                          * (libsoup's listener, TLS) or the remote GSocketAddress
                          * we handed to soup_server_accept_iostream() */
  GSocket *socket;       /* a reference */
  GSource *source;       /* while idle after a request: the peer sends or goes away */
  GList    idle_link;    /* in FcmHub.idle_queue while idle (data = the connection) */
  gint64   idle_deadline; /* monotonic µs: closed when still idle then */
  guint    end_id;       /* the watch saw the end: closed after END_GRACE_MS */
  gboolean busy;         /* a request is being read or answered */
  gboolean served;       /* a request was answered on it */
};

/* ------------------------------------------------------------------------ */
/* watching idle connections                                                */

/* With thousands of connections open, every main-loop turn goes through
 * every GSource (twice) and polls every descriptor; the hub takes one new
 * connection a turn. So an idle connection costs no source of its own
 * that it can do without: one timer serves all the idle deadlines, and
 * only a connection that had a request is watched (libsoup sees the end
 * of one that never had a request, and tells it with "disconnected"). */

static gboolean idle_timer_cb (gpointer data);

static void
idle_timer_schedule (FcmHub *self)
{
  HubConnection *first = g_queue_peek_head (&self->idle_queue);
  gint64 delay;

  if (first == NULL || (self->idle_timer_id != 0 && self->idle_timer_deadline <= first->idle_deadline))
    return;   /* nothing to wait for, or the timer comes in time */
  g_clear_handle_id (&self->idle_timer_id, g_source_remove);
  delay = MAX (first->idle_deadline - g_get_monotonic_time (), 0);
  self->idle_timer_deadline = first->idle_deadline;
  self->idle_timer_id = g_timeout_add ((guint) MIN ((delay + 999) / 1000, G_MAXUINT), idle_timer_cb, self);
}

static void
connection_idle_start (HubConnection *conn)
{
  FcmHub *self = conn->hub;
  GList *before;

  if (conn->idle_link.data != NULL || self->idle_timeout <= 0)
    return;
  conn->idle_deadline = g_get_monotonic_time () + (gint64) (self->idle_timeout * G_USEC_PER_SEC);
  conn->idle_link.data = conn;
  /* at the end, unless the idle timeout was shortened since the last ones */
  for (before = self->idle_queue.tail;
       before != NULL && ((HubConnection *) before->data)->idle_deadline > conn->idle_deadline;
       before = before->prev)
    ;
  if (before == NULL)
    g_queue_push_head_link (&self->idle_queue, &conn->idle_link);
  else
    g_queue_insert_after_link (&self->idle_queue, before, &conn->idle_link);
  idle_timer_schedule (self);
}

static void
connection_idle_stop (HubConnection *conn)
{
  /* the timer may come for nothing: it sets itself for the next one then */
  if (conn->idle_link.data != NULL)
    {
      g_queue_unlink (&conn->hub->idle_queue, &conn->idle_link);
      conn->idle_link.data = NULL;
    }
}

static void
connection_stop_watching (HubConnection *conn)
{
  if (conn->source != NULL)
    {
      g_source_destroy (conn->source);
      g_clear_pointer (&conn->source, g_source_unref);
    }
  g_clear_handle_id (&conn->end_id, g_source_remove);
  connection_idle_stop (conn);
}

void
_fcm_hub_connection_free (HubConnection *conn)
{
  connection_stop_watching (conn);
  g_object_unref (conn->socket);
  g_object_unref (conn->key);
  g_free (conn);
}

/* From fcm_hub_shutdown(). */
void
_fcm_hub_conn_shutdown (FcmHub *self)
{
  _fcm_hub_listen_stop (self);
  if (self->connections != NULL)
    g_hash_table_remove_all (self->connections);
  g_clear_handle_id (&self->idle_timer_id, g_source_remove);
}

void
_fcm_hub_conn_untrack (HubConnection *conn)
{
  /* frees @conn */
  g_hash_table_remove (conn->hub->connections, conn->key);
}

static gboolean connection_ready_cb (GSocket      *socket,
                                     GIOCondition  condition,
                                     gpointer      data);

static void
connection_watch (HubConnection *conn)
{
  if (conn->source != NULL)
    return;
  conn->source = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  /* At libsoup's own priority, not below it: in a busy main loop (the
   * built-in hub shares the app's, which takes 2,000 events a second) a
   * lower priority never ran, and clients that open a connection per POST
   * (libsoup's own SoupSession does, POST not being idempotent) left
   * thousands of connections in CLOSE-WAIT. Whichever sees the end first
   * closes: libsoup, or this watch (connection_ready_cb peeks and only
   * closes on the end of the stream). */
  g_source_set_priority (conn->source, G_PRIORITY_DEFAULT);
  g_source_set_callback (conn->source, (GSourceFunc) (void (*) (void)) connection_ready_cb, conn, NULL);
  g_source_attach (conn->source, g_main_context_get_thread_default ());
}

static void
connection_idle_expired (HubConnection *conn)
{
  if (g_socket_is_closed (conn->socket))
    {
      _fcm_hub_conn_untrack (conn);
      return;
    }
  /* libsoup sees the end and closes it; if it left the connection alone,
   * the watch sees the end and closes it */
  g_debug ("closing a connection idle for %g s", conn->hub->idle_timeout);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  connection_watch (conn);
}

static gboolean
idle_timer_cb (gpointer data)
{
  FcmHub *self = data;
  gint64 now = g_get_monotonic_time ();
  HubConnection *conn;

  self->idle_timer_id = 0;
  while ((conn = g_queue_peek_head (&self->idle_queue)) != NULL && conn->idle_deadline <= now)
    {
      connection_idle_stop (conn);
      connection_idle_expired (conn);
    }
  idle_timer_schedule (self);
  return G_SOURCE_REMOVE;
}

static gboolean
connection_end_cb (gpointer data)
{
  HubConnection *conn = data;

  conn->end_id = 0;
  g_debug ("closing a connection its peer left");
  g_socket_close (conn->socket, NULL);
  _fcm_hub_conn_untrack (conn);
  return G_SOURCE_REMOVE;
}

static gboolean
connection_ready_cb (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      data)
{
  HubConnection *conn = data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      g_clear_pointer (&conn->source, g_source_unref);
      _fcm_hub_conn_untrack (conn);
      return G_SOURCE_REMOVE;
    }
  if (!(condition & (G_IO_HUP | G_IO_ERR)))
    {
      n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))   /* EWOULDBLOCK is EAGAIN */
        return G_SOURCE_CONTINUE;
      if (n > 0)
        {
          /* a request is coming: libsoup reads it (the idle timeout keeps
           * running until it does) */
          g_clear_pointer (&conn->source, g_source_unref);
          return G_SOURCE_REMOVE;
        }
    }

  /* The peer has gone, or closed its side, while no request was in
   * progress. libsoup may still hold a request it read along with the
   * last one (a client that sends its requests, then closes its side,
   * as `printf … | nc -N` does), and starts it a turn or two later
   * ("request-started" stops this); closing now would pull the socket
   * from under it. If it starts nothing within END_GRACE_MS, nothing is
   * coming. */
  g_clear_pointer (&conn->source, g_source_unref);
  if (conn->end_id == 0)
    conn->end_id = g_timeout_add (END_GRACE_MS, connection_end_cb, conn);
  return G_SOURCE_REMOVE;
}

HubConnection *
_fcm_hub_conn_track (FcmHub   *self,
                     GSocket  *socket,
                     gpointer  key)
{
  HubConnection *conn = g_new0 (HubConnection, 1);

  conn->hub = self;
  conn->key = g_object_ref (key);
  conn->socket = g_object_ref (socket);
  g_hash_table_insert (self->connections, key, conn);
  return conn;
}

static HubConnection *
connection_lookup (FcmHub            *self,
                   SoupServerMessage *msg,
                   gboolean           create)
{
  GSocket *socket;
  HubConnection *conn;

  if (self->connections == NULL)
    return NULL;
  /* one we accepted: libsoup gives each request of it the address we gave */
  conn = g_hash_table_lookup (self->connections, soup_server_message_get_remote_address (msg));
  if (conn != NULL)
    return conn;
  /* one libsoup's listener accepted (TLS) */
  socket = soup_server_message_get_socket (msg);
  if (socket == NULL)
    return NULL;
  conn = g_hash_table_lookup (self->connections, socket);
  if (conn == NULL && create && !g_socket_is_closed (socket))
    conn = _fcm_hub_conn_track (self, socket, socket);
  return conn;
}

/* No request in progress: the idle timeout runs until one comes. A
 * connection that had a request is watched too: libsoup 3.2.3 would leave
 * it in CLOSE-WAIT if the peer went now. */
static void
connection_set_idle (HubConnection *conn)
{
  conn->busy = FALSE;
  if (g_socket_is_closed (conn->socket))
    {
      _fcm_hub_conn_untrack (conn);
      return;
    }
  if (conn->served)
    connection_watch (conn);
  connection_idle_start (conn);
}

static void
request_got_headers_cb (SoupServerMessage *msg,
                        FcmHub            *self)
{
  HubConnection *conn = connection_lookup (self, msg, FALSE);

  if (conn != NULL)
    {
      conn->busy = TRUE;
      connection_stop_watching (conn);
    }
}

/* libsoup closed the connection (its peer went, or it was done with it);
 * @msg has no socket any more. */
static void
request_disconnected_cb (SoupServerMessage *msg,
                         FcmHub            *self)
{
  GObject *key = g_object_get_data (G_OBJECT (msg), "fcm-hub-connection");
  HubConnection *conn = key != NULL && self->connections != NULL
                        ? g_hash_table_lookup (self->connections, key) : NULL;

  if (conn != NULL && g_socket_is_closed (conn->socket))
    _fcm_hub_conn_untrack (conn);
}

void
_fcm_hub_conn_request_started_cb (SoupServer        *server,
                                  SoupServerMessage *msg,
                                  FcmHub            *self)
{
  HubConnection *conn = connection_lookup (self, msg, TRUE);

  g_signal_connect_object (msg, "got-headers", G_CALLBACK (request_got_headers_cb), self, 0);
  if (conn != NULL)
    {
      /* libsoup starts a request it had read: not the end yet */
      g_clear_handle_id (&conn->end_id, g_source_remove);
      g_object_set_data_full (G_OBJECT (msg), "fcm-hub-connection", g_object_ref (conn->key), g_object_unref);
      g_signal_connect_object (msg, "disconnected", G_CALLBACK (request_disconnected_cb), self, 0);
    }
  if (conn != NULL && !conn->busy)
    connection_set_idle (conn);
}

void
_fcm_hub_conn_request_done_cb (SoupServer        *server,
                               SoupServerMessage *msg,
                               FcmHub            *self)
{
  HubConnection *conn = connection_lookup (self, msg, FALSE);

  if (conn != NULL)
    {
      conn->served = TRUE;
      connection_set_idle (conn);
    }
}

/* Before the connection of @msg is taken over (a WebSocket, an early
 * answer): it is not libsoup's any more, nor ours to watch. */
void
_fcm_hub_conn_forget (FcmHub            *self,
                      SoupServerMessage *msg)
{
  HubConnection *conn = connection_lookup (self, msg, FALSE);

  if (conn != NULL)
    _fcm_hub_conn_untrack (conn);
}

/**
 * fcm_hub_set_idle_timeout:
 * @seconds: close a keep-alive connection after this long without a
 *   request; 0 = never
 *
 * Default 60 s. Applies to connections that become idle from now on.
 */
void
fcm_hub_set_idle_timeout (FcmHub *self,
                          double  seconds)
{
  g_return_if_fail (FCM_IS_HUB (self));
  g_return_if_fail (seconds >= 0 && seconds <= 86400);
  self->idle_timeout = seconds;
}

double
fcm_hub_get_idle_timeout (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->idle_timeout;
}

/**
 * fcm_hub_set_max_queued_bytes:
 * @bytes: the most a subscriber's unsent notifications may take; 0 = no
 *   limit. Default 4 MiB.
 *
 * A subscriber whose socket takes no more (it stopped reading) is
 * unsubscribed once this much waits for it, with a syncerror naming it to
 * the others of its topic: its queue can't grow without bound.
 */
void
fcm_hub_set_max_queued_bytes (FcmHub *self,
                              gsize   bytes)
{
  g_return_if_fail (FCM_IS_HUB (self));
  self->max_queued_bytes = bytes;
}

gsize
fcm_hub_get_max_queued_bytes (FcmHub *self)
{
  g_return_val_if_fail (FCM_IS_HUB (self), 0);
  return self->max_queued_bytes;
}

/* ------------------------------------------------------------------------ */
/* answering before the body                                                */

struct _EarlyAnswer
{
  FcmHub       *hub;          /* NULL once the hub is gone */
  GIOStream    *stream;
  GBytes       *answer;
  GCancellable *cancellable;
  guint         deadline_id;
  gsize         drained;
  guint8        buffer[16384];
};

static void
early_answer_free (EarlyAnswer *early)
{
  g_clear_handle_id (&early->deadline_id, g_source_remove);
  g_clear_object (&early->stream);
  g_clear_pointer (&early->answer, g_bytes_unref);
  g_clear_object (&early->cancellable);
  g_free (early);
}

/* The hub lets its answers finish on their own. */
void
_fcm_hub_early_answer_orphan (EarlyAnswer *early)
{
  early->hub = NULL;
}

static void
early_closed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  EarlyAnswer *early = data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  if (early->hub != NULL)
    g_hash_table_steal (early->hub->early_answers, early);
  early_answer_free (early);
}

static void
early_close (EarlyAnswer *early)
{
  g_clear_handle_id (&early->deadline_id, g_source_remove);
  g_io_stream_close_async (early->stream, G_PRIORITY_DEFAULT, NULL, early_closed_cb, early);
}

static gboolean
early_deadline_cb (gpointer data)
{
  EarlyAnswer *early = data;

  early->deadline_id = 0;
  g_cancellable_cancel (early->cancellable);
  return G_SOURCE_REMOVE;
}

static void
early_drained_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  EarlyAnswer *early = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* drop what the client still sends, so that it gets to read the answer,
   * until it closes, for a while, up to a limit */
  if (n > 0 && early->drained + (gsize) n <= EARLY_DRAIN_BYTES)
    {
      early->drained += (gsize) n;
      g_input_stream_read_async (g_io_stream_get_input_stream (early->stream), early->buffer,
                                 sizeof early->buffer, G_PRIORITY_LOW, early->cancellable,
                                 early_drained_cb, early);
      return;
    }
  early_close (early);
}

static void
early_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  EarlyAnswer *early = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      early_close (early);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (early->stream), early->buffer,
                             sizeof early->buffer, G_PRIORITY_LOW, early->cancellable,
                             early_drained_cb, early);
}

/*
 * _fcm_hub_answer_early:
 * @status: the answer's status
 * @reason: (nullable): its plain-text body
 *
 * Answers @msg now, from its headers alone, and closes its connection
 * afterwards; the request body is not read. Response headers already set
 * on @msg (WWW-Authenticate, Retry-After) go out with the answer. The
 * answer is audited like any other (H-40).
 */
void
_fcm_hub_answer_early (FcmHub            *self,
                       SoupServerMessage *msg,
                       const char        *path,
                       guint              status,
                       const char        *reason)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *challenge = soup_message_headers_get_one (headers, "WWW-Authenticate");
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GIOStream) stream = NULL;
  GString *answer = g_string_new (NULL);
  EarlyAnswer *early;

  if (reason == NULL)
    reason = "";
  soup_server_message_set_status (msg, status, NULL);
  if (_fcm_hub_auditing (self))
    {
      AuditRecord rec = { NULL, };

      self->audit_rec = &rec;
      _fcm_hub_audit_classify (self, msg, path, NULL);
      self->audit_rec = NULL;
      if (rec.transaction != NULL)
        {
          if (self->audit != NULL && !self->audit->failed)
            _fcm_hub_audit_emit (self, msg, &rec);
          if (self->atna != NULL)
            _fcm_hub_audit_emit_atna (self, msg, &rec);
        }
      _fcm_hub_audit_record_clear (&rec);
    }

  g_string_append_printf (answer, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  if (challenge != NULL)
    g_string_append_printf (answer, "WWW-Authenticate: %s\r\n", challenge);
  if (retry_after != NULL)
    g_string_append_printf (answer, "Retry-After: %s\r\n", retry_after);
  g_string_append_printf (answer, "Content-Type: text/plain; charset=utf-8\r\n"
                                  "Content-Length: %zu\r\n"
                                  "Connection: close\r\n\r\n%s", strlen (reason), reason);

  _fcm_hub_conn_forget (self, msg);
  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  g_object_unref (msg);
  if (stream == NULL)
    {
      g_string_free (answer, TRUE);
      return;
    }

  early = g_new0 (EarlyAnswer, 1);
  early->hub = self;
  early->stream = g_steal_pointer (&stream);
  early->answer = g_string_free_to_bytes (answer);
  early->cancellable = g_cancellable_new ();
  early->deadline_id = g_timeout_add_seconds (EARLY_DRAIN_SECONDS, early_deadline_cb, early);
  g_hash_table_add (self->early_answers, early);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (early->stream),
                                   g_bytes_get_data (early->answer, NULL), g_bytes_get_size (early->answer),
                                   G_PRIORITY_DEFAULT, early->cancellable, early_written_cb, early);
}

/* A chunked body is counted as it comes; past the limit it is refused. */
static void
request_got_chunk_cb (SoupServerMessage *msg,
                      GBytes            *chunk,
                      FcmHub            *self)
{
  if (soup_server_message_get_request_body (msg)->length <= FCM_HUB_MAX_MESSAGE_BYTES)
    return;
  g_signal_handlers_disconnect_by_func (msg, request_got_chunk_cb, self);
  _fcm_hub_answer_early (self, msg, g_uri_get_path (soup_server_message_get_uri (msg)),
                         SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "request body larger than 1 MiB");
}

/* Called from the early handler: FALSE when @msg was answered already
 * (an announced body over the limit). */
gboolean
_fcm_hub_conn_limit_body (FcmHub            *self,
                          SoupServerMessage *msg,
                          const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      /* libsoup reads the digits as an unsigned 64-bit number and hands it
       * on signed: 2^63 and more come out negative (its body stream then
       * warns and reads to the end of the connection) */
      if (soup_message_headers_get_content_length (headers) < 0)
        {
          _fcm_hub_answer_early (self, msg, path, SOUP_STATUS_BAD_REQUEST, "invalid Content-Length");
          return FALSE;
        }
      if (soup_message_headers_get_content_length (headers) > FCM_HUB_MAX_MESSAGE_BYTES)
        {
          _fcm_hub_answer_early (self, msg, path, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                 "request body larger than 1 MiB");
          return FALSE;
        }
      return TRUE;
    }
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (request_got_chunk_cb), self, 0);
  return TRUE;
}

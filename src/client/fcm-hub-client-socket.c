/* fcm-hub-client-socket.c: the WebSocket: frames, acks, liveness, reconnecting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmHubClient (see fcm-hub-client-private.h): each frame is parsed
 * once into an FcmMessage and handed on (C-25 … C-29), liveness is watched
 * (C-69) and a lost connection is resubscribed with backoff (C-68).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "fcm-error.h"
#include "fcm-hub-client-private.h"
#include "fcm-json-private.h"
#include "fcm-read-ahead-stream.h"

/* ---------------------------------------------------------------- acks */

/* Acks in a burst share TCP segments. libsoup writes every WebSocket
 * message with its own send(); draining a backlog, each ack was a segment
 * of its own on the wire, and on loopback each one also ran the hub's side
 * of the TCP stack and woke the hub, in our process. While frames keep
 * arriving the socket is corked (TCP_CORK): the acks still go one message
 * per event and in order, and leave together after ACKS_PER_SEGMENT of
 * them, or as soon as the main loop comes back (an idle at high priority
 * runs before the next frame is read), so a lone event's ack is not
 * delayed (C-29). Without a TCP socket (an in-memory stream) nothing is
 * corked. Each uncork sends a segment through the loopback stack and wakes
 * the hub, both in our time: 64 acks (~4 KB) a segment rather than 16
 * took ~1.5 µs per event off `fhircast watch` draining a backlog and ~1 µs
 * off the hub (bench-drain, issue 15.2); a burst's first ack leaves at
 * most 64 events late (~2 ms at 40,000 events/s). */
#define ACKS_PER_SEGMENT 64

static void
acks_uncork (FcmHubClient *self)
{
  g_clear_handle_id (&self->uncork_id, g_source_remove);
  if (self->acks_corked == 0)
    return;
  self->acks_corked = 0;
  if (self->ws_socket != NULL)
    g_socket_set_option (self->ws_socket, IPPROTO_TCP, TCP_CORK, 0, NULL);
}

static gboolean
uncork_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->uncork_id = 0;
  acks_uncork (self);
  return G_SOURCE_REMOVE;
}

static void
acks_cork (FcmHubClient *self)
{
  if (self->ws_socket == NULL || self->acks_corked++ > 0)
    return;
  if (!g_socket_set_option (self->ws_socket, IPPROTO_TCP, TCP_CORK, 1, NULL))
    {
      /* not TCP after all: never again on this socket */
      self->acks_corked = 0;
      g_clear_object (&self->ws_socket);
      return;
    }
  self->uncork_id = g_idle_add_full (G_PRIORITY_HIGH, uncork_cb, self, NULL);
}

/* The TCP socket under @ws: libsoup's connection keeps it as "GSocket" on
 * the stream it hands over to the WebSocket. */
static GSocket *
ws_get_socket (SoupWebsocketConnection *ws)
{
  GIOStream *io = soup_websocket_connection_get_io_stream (ws);
  gpointer socket = io != NULL ? g_object_get_data (G_OBJECT (io), "GSocket") : NULL;

  if (G_IS_SOCKET (socket))
    return g_object_ref (socket);
  if (G_IS_SOCKET_CONNECTION (io))
    return g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (io)));
  return NULL;
}

/* C-28: {"id","status"} over the same socket; status as a string (digest §4.3 item 1).
 * Returns the text written, or NULL when the socket is not open. */
char *
_fcm_hub_client_write_ack (FcmHubClient *self,
                           const char   *id,
                           guint         status)
{
  g_autofree char *text = NULL;

  if (self->ws == NULL || soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return NULL;
  if (self->legacy)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *ts = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
      g_autofree char *status_text = g_strdup_printf ("%u", status);

      /* 2019 prototype reply: {"timestamp","status","statusCode"}, no id */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "timestamp");
      json_builder_add_string_value (builder, ts);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status >= 200 && status < 300 ? "OK" : "Error");
      json_builder_set_member_name (builder, "statusCode");
      json_builder_add_string_value (builder, status_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = fcm_json_to_string (root, FALSE);
    }
  else
    {
      /* Hot path, one ack per notification: written directly (a JsonBuilder
       * and generator cost ~5 % of the ingest time in bench-client). */
      GString *ack = g_string_sized_new (64);

      g_string_append (ack, "{\"id\":");
      fcm_json_append_string (ack, id);
      g_string_append (ack, ",\"status\":\"");
      fcm_json_append_uint (ack, status, 1);
      g_string_append (ack, "\"}");
      text = g_string_free (ack, FALSE);
    }

  acks_cork (self);
  soup_websocket_connection_send_text (self->ws, text);
  if (self->acks_corked >= ACKS_PER_SEGMENT)
    acks_uncork (self);
  return g_steal_pointer (&text);
}

/* ---------------------------------------------------------------- liveness
 *
 * Each watchdog is one timer that is not moved per frame: a frame only
 * notes when it arrived (last_rx_usec), and a timer that fires early
 * waits out the rest. Removing and adding two timeouts for every frame
 * was a third of `fhircast watch`'s time draining a backlog: GLib looks
 * sources up by id in a hash table that such churn fills with tombstones.
 */

/* C-69: a heartbeat period twice, plus slack (up to 1 s), with nothing
 * received means the connection is gone */
static guint
heartbeat_timeout_ms (FcmHubClient *self)
{
  return self->heartbeat_period_ms * 2 + MIN (self->heartbeat_period_ms, 1000);
}

/* The time left before @timeout_ms have passed without a frame, or 0. */
static guint
quiet_ms_left (FcmHubClient *self,
               guint64       timeout_ms)
{
  gint64 quiet_ms = (g_get_monotonic_time () - self->last_rx_usec) / 1000;

  return quiet_ms < 0 || (guint64) quiet_ms >= timeout_ms ? 0 : (guint) (timeout_ms - (guint64) quiet_ms);
}

static gboolean
heartbeat_watch_cb (gpointer data)
{
  FcmHubClient *self = data;
  guint left = quiet_ms_left (self, heartbeat_timeout_ms (self));

  self->heartbeat_watch_id = 0;
  if (left > 0)
    {
      self->heartbeat_watch_id = g_timeout_add (left, heartbeat_watch_cb, self);
      return G_SOURCE_REMOVE;
    }
  _fcm_hub_client_lost_sync (self, "no heartbeat within the announced period");
  return G_SOURCE_REMOVE;
}

static gboolean
pong_watch_cb (gpointer data)
{
  FcmHubClient *self = data;
  guint left = quiet_ms_left (self, (guint64) self->keepalive_seconds * 3 * 1000);

  self->pong_watch_id = 0;
  if (left > 0)
    {
      self->pong_watch_id = g_timeout_add (left, pong_watch_cb, self);
      return G_SOURCE_REMOVE;
    }
  _fcm_hub_client_lost_sync (self, "no answer to WebSocket pings");
  return G_SOURCE_REMOVE;
}

static void
stop_watchdogs (FcmHubClient *self)
{
  g_clear_handle_id (&self->heartbeat_watch_id, g_source_remove);
  g_clear_handle_id (&self->pong_watch_id, g_source_remove);
}

/* Anything from the hub proves the connection is alive. */
static void
feed_watchdogs (FcmHubClient *self)
{
  if (self->ws == NULL)
    return;
  self->last_rx_usec = g_get_monotonic_time ();
  if (self->heartbeat_period_ms > 0 && self->heartbeat_watch_id == 0)
    self->heartbeat_watch_id = g_timeout_add (heartbeat_timeout_ms (self), heartbeat_watch_cb, self);
  if (self->keepalive_seconds > 0 && self->pong_watch_id == 0)
    self->pong_watch_id = g_timeout_add_seconds (self->keepalive_seconds * 3, pong_watch_cb, self);
}

static void
ws_pong_cb (SoupWebsocketConnection *ws,
            GBytes                  *message,
            gpointer                 user_data)
{
  feed_watchdogs (user_data);
}

void
_fcm_hub_client_note_heartbeat (FcmHubClient *self,
                                FcmEvent     *event)
{
  const FcmJson *period = fcm_event_lookup_context_doc (event, "period");
  double seconds = 0;

  if (!fcm_doc_number (fcm_doc_member (period, "decimal"), &seconds))
    seconds = 0;
  /* the period comes from the hub (Medplum: 10 s); accept fractions of a second */
  if (seconds >= 0.05 && seconds <= 3600)
    {
      /* a new period: the timer is set again for it */
      if ((guint) (seconds * 1000) != self->heartbeat_period_ms)
        g_clear_handle_id (&self->heartbeat_watch_id, g_source_remove);
      self->heartbeat_period_ms = (guint) (seconds * 1000);
      feed_watchdogs (self);
    }
}

static void
ws_message_cb (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *message,
               gpointer                 user_data)
{
  FcmHubClient *self = user_data;
  FcmMessage *message_parsed;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);

  feed_watchdogs (self);
  /* Hot path (tests/bench/bench-client): each frame is parsed here, once,
   * into an FcmDoc. The FcmMessage carries it (and the event) forward: to
   * the monitor, the validator and the event log, and to the handling
   * (fcm-hub-client-frames.c); nothing here makes a json-glib tree for an
   * event. */
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    message_parsed = fcm_message_new (data, (gssize) len);
  else
    message_parsed = fcm_message_new_unparsed (data, (gssize) len,
                                               "A binary WebSocket frame: FHIRcast messages are JSON text frames");
  if (fcm_message_get_doc (message_parsed) == NULL)
    g_debug ("client: frame that is not JSON text (%" G_GSIZE_FORMAT " bytes)", len);

  _fcm_hub_client_take_frame (self, g_steal_pointer (&message_parsed));
}

static void
ws_closed_cb (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  FcmHubClient *self = user_data;
  gushort code = soup_websocket_connection_get_close_code (ws);

  g_debug ("client: socket closed (%u)", code);
  g_object_ref (self);
  _fcm_hub_client_frames_drain (self);
  g_object_unref (self);
  g_signal_handlers_disconnect_by_data (ws, self);
  stop_watchdogs (self);
  if (self->ws == ws)
    {
      acks_uncork (self);
      g_clear_object (&self->ws_socket);
      g_clear_object (&self->ws);
    }

  if (self->closing || self->state == FCM_CLIENT_STATE_DENIED ||
      self->state == FCM_CLIENT_STATE_DISCONNECTED)
    return;

  if (self->pending != NULL)
    {
      /* C-18: closed before the confirmation; go back to subscribing */
      _fcm_hub_client_attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_IO,
                                                         _("the hub closed the socket (%u) before confirming"), code));
      return;
    }

  /* C-68 */
  _fcm_hub_client_lost_sync (self, "socket closed unexpectedly");
}

/* Takes @ws (transfer full), a WebSocket open to the hub, as the
 * subscription's socket: every frame from it goes through ws_message_cb().
 * Called once the connect succeeded; also, on a WebSocket over an in-memory
 * stream, by the fuzz target of the client's frame handling
 * (tests/fuzz/fcm-fuzz-client.c). */
void
_fcm_hub_client_attach_socket (FcmHubClient            *self,
                               SoupWebsocketConnection *ws)
{
  soup_websocket_connection_set_max_incoming_payload_size (ws, 16 * 1024 * 1024);
  /* libsoup reads the socket 1 KiB at a time: read ahead beneath it */
  fcm_read_ahead_stream_insert (g_io_stream_get_input_stream (soup_websocket_connection_get_io_stream (ws)));
  self->ws = ws;
  acks_uncork (self);
  g_clear_object (&self->ws_socket);
  self->ws_socket = ws_get_socket (ws);
  g_signal_connect (ws, "message", G_CALLBACK (ws_message_cb), self);
  g_signal_connect (ws, "closed", G_CALLBACK (ws_closed_cb), self);
  g_signal_connect (ws, "pong", G_CALLBACK (ws_pong_cb), self);
  self->heartbeat_period_ms = 0;
  stop_watchdogs (self);
  if (self->keepalive_seconds > 0)
    soup_websocket_connection_set_keepalive_interval (ws, self->keepalive_seconds);
  feed_watchdogs (self);
}

static gboolean
confirm_timeout_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->confirm_timeout_id = 0;
  _fcm_hub_client_attempt_failed (self, g_error_new (FCM_ERROR, FCM_ERROR_TIMEOUT,
                                                     _("no subscription confirmation within %u ms"),
                                                     self->request_timeout_ms));
  return G_SOURCE_REMOVE;
}

static void
ws_connect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmHubClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  _fcm_hub_client_deadline_free (g_object_steal_data (G_OBJECT (task), "fcm-deadline"), &error);
  if (ws == NULL)
    {
      _fcm_hub_client_prefix_tls_error (&error);
      g_prefix_error (&error, _("connecting the WebSocket: "));
      self->pending = g_steal_pointer (&task);
      _fcm_hub_client_attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  if (self->closing)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("unsubscribed"));
      return;
    }

  _fcm_hub_client_attach_socket (self, ws);

  /* C-19: active only once the confirmation arrives */
  self->pending = g_steal_pointer (&task);
  self->confirm_timeout_id = g_timeout_add (self->request_timeout_ms, confirm_timeout_cb, self);
}

/* C-17: opens the WebSocket to the endpoint in @msg for the subscribe attempt @task (taken),
 * within the request timeout */
void
_fcm_hub_client_connect_socket (FcmHubClient *self,
                                SoupMessage  *msg,
                                GTask        *task)
{
  FcmDeadline *deadline = _fcm_hub_client_deadline_new (g_task_get_cancellable (task), self->request_timeout_ms);

  g_object_set_data_full (G_OBJECT (task), "fcm-deadline", deadline, NULL);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        _fcm_hub_client_deadline_get_cancellable (deadline), ws_connect_cb, task);
}

void
_fcm_hub_client_ws_disconnect (FcmHubClient *self,
                               gboolean      send_close)
{
  g_clear_handle_id (&self->heartbeat_watch_id, g_source_remove);
  g_clear_handle_id (&self->pong_watch_id, g_source_remove);
  if (self->ws == NULL)
    return;
  /* what was read and acked is handed on before we leave the socket */
  _fcm_hub_client_frames_drain (self);
  if (self->ws == NULL)
    return;
  /* the acks written so far go before the close frame */
  acks_uncork (self);
  g_clear_object (&self->ws_socket);
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (send_close && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->ws);
}

/* ---------------------------------------------------------------- reconnect */

static gboolean
reconnect_cb (gpointer data)
{
  FcmHubClient *self = data;
  g_autoptr(GTask) task = NULL;

  self->reconnect_id = 0;
  if (self->state != FCM_CLIENT_STATE_RECONNECTING)
    return G_SOURCE_REMOVE;

  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_source_tag (task, _fcm_hub_client_is_reconnect);
  _fcm_hub_client_start_subscribe (self, task);
  return G_SOURCE_REMOVE;
}

/* Whether @task is a resubscribe attempt of our own (reconnect_cb), not the caller's. */
gboolean
_fcm_hub_client_is_reconnect (GTask *task)
{
  return g_task_get_source_tag (task) == _fcm_hub_client_is_reconnect;
}

/* C-68: capped exponential backoff with jitter (half fixed, half random). */
void
_fcm_hub_client_schedule_reconnect (FcmHubClient *self)
{
  guint64 delay = self->reconnect_initial_ms;
  guint jittered;

  for (guint i = 0; i < self->attempt && delay < self->reconnect_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->reconnect_max_ms);
  jittered = (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) MIN (delay / 2, G_MAXINT32 - 1) + 1));
  self->attempt++;
  g_debug ("client: resubscribing in %u ms (attempt %u)", jittered, self->attempt);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = g_timeout_add (jittered, reconnect_cb, self);
}

static void
retire_post_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = _fcm_hub_client_read_answer (source, result, "retiring the old endpoint", &error);
  if (error != NULL)
    g_debug ("client: %s", error->message);
}

static gboolean
stable_cb (gpointer data)
{
  FcmHubClient *self = data;

  self->stable_id = 0;
  self->attempt = 0;
  return G_SOURCE_REMOVE;
}

/* C-68: a connection counts as a success (the backoff starts over) only
 * after it stayed up for the stable period. */
void
_fcm_hub_client_start_stable_timer (FcmHubClient *self)
{
  g_clear_handle_id (&self->stable_id, g_source_remove);
  if (self->attempt > 0)
    self->stable_id = g_timeout_add (self->stable_ms, stable_cb, self);
}

void
_fcm_hub_client_lost_sync (FcmHubClient *self,
                           const char   *why)
{
  g_debug ("client: sync lost: %s", why);
  g_clear_handle_id (&self->stable_id, g_source_remove);   /* not a stable connection */
  g_clear_handle_id (&self->renew_id, g_source_remove);
  g_clear_handle_id (&self->confirm_timeout_id, g_source_remove);
  _fcm_hub_client_ws_disconnect (self, TRUE);
  if (self->endpoint != NULL)
    {
      /* Best effort: the hub may still hold the old subscription (a dropped
       * socket keeps it until the lease ends); we resubscribe with a new
       * endpoint (C-68), so retire the old one instead of leaving it behind. */
      g_autoptr(SoupMessage) msg = _fcm_hub_client_subscribe_message (self, "unsubscribe", self->endpoint);

      if (msg != NULL)
        _fcm_hub_client_send (self, msg, self->cancellable, retire_post_cb, NULL);
    }
  g_clear_pointer (&self->endpoint, g_free);
  _fcm_hub_client_set_state (self, FCM_CLIENT_STATE_RECONNECTING);
  _fcm_hub_client_schedule_reconnect (self);
}

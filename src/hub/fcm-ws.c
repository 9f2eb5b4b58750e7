/* fcm-ws.c: the hub's server side of a WebSocket connection (RFC 6455)
 *
 * See fcm-ws-private.h; reading the client's frames is in fcm-ws-read.c
 * (fcm-ws-internal.h). Everything runs on the thread-default main context
 * of the caller, with pollable (non-blocking) reads and writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fcm-ws"

#include "config.h"

#include <string.h>

#include "fcm-ws-internal.h"

#define MAX_IOV             64

typedef struct
{
  GBytes *bytes;
  gsize   offset;   /* bytes of it already written */
} Chunk;

G_DEFINE_FINAL_TYPE (FcmWsConn, fcm_ws_conn, G_TYPE_OBJECT)

static void ws_flush (FcmWsConn *self);

/* ------------------------------------------------------------------------ */
/* frames                                                                   */

static gsize
frame_header (guint8  *header,
              guint8   opcode,
              guint64  size)
{
  header[0] = 0x80 | opcode;   /* FIN, no RSV bits, never masked (server, RFC 6455 §5.1) */
  if (size < 126)
    {
      header[1] = (guint8) size;
      return 2;
    }
  if (size <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = (guint8) (size >> 8);
      header[3] = (guint8) size;
      return 4;
    }
  header[1] = 127;
  for (int i = 0; i < 8; i++)
    header[2 + i] = (guint8) (size >> (56 - 8 * i));
  return 10;
}

GBytes *
_fcm_ws_frame_new (guint8       opcode,
                   const void  *payload,
                   gsize        size)
{
  guint8 *data = g_malloc (size + 10);
  gsize header = frame_header (data, opcode, size);

  if (size > 0)
    memcpy (data + header, payload, size);
  return g_bytes_new_take (data, header + size);
}

/**
 * fcm_ws_frame_new_text:
 * @text: UTF-8 text (not checked here)
 * @size: its length in bytes
 *
 * Encodes a whole text message as one unmasked server frame, so that it can
 * be sent to any number of connections with fcm_ws_conn_send_frame().
 */
GBytes *
fcm_ws_frame_new_text (const char *text,
                       gsize       size)
{
  return _fcm_ws_frame_new (OP_TEXT, text, size);
}

static GBytes *
close_frame_new (gushort     code,
                 const char *reason)
{
  guint8 payload[MAX_CONTROL_PAYLOAD];
  gsize size = 0;

  if (code != 0 && code != FCM_WS_CLOSE_NO_STATUS && code != FCM_WS_CLOSE_ABNORMAL)
    {
      payload[0] = (guint8) (code >> 8);
      payload[1] = (guint8) code;
      size = 2;
      if (reason != NULL)
        {
          gsize len = strlen (reason);
          const char *end;

          /* at most 123 bytes of reason, cut on a character boundary */
          if (len > MAX_CONTROL_PAYLOAD - 2)
            len = MAX_CONTROL_PAYLOAD - 2;
          g_utf8_validate_len (reason, len, &end);
          len = end - reason;
          memcpy (payload + 2, reason, len);
          size += len;
        }
    }
  return _fcm_ws_frame_new (OP_CLOSE, payload, size);
}

/* ------------------------------------------------------------------------ */
/* writing                                                                  */

static void
chunk_free (Chunk *chunk)
{
  g_bytes_unref (chunk->bytes);
  g_free (chunk);
}

static void
ws_clear_queue (FcmWsConn *self)
{
  Chunk *chunk;

  while ((chunk = g_queue_pop_head (&self->out)) != NULL)
    chunk_free (chunk);
  self->queued = 0;
}

static void
ws_enqueue (FcmWsConn *self,
            GBytes    *bytes,
            gsize      offset)
{
  Chunk *chunk = g_new (Chunk, 1);

  chunk->bytes = g_bytes_ref (bytes);
  chunk->offset = offset;
  g_queue_push_tail (&self->out, chunk);
  self->queued += g_bytes_get_size (bytes) - offset;
}

/* Frames are written one main-loop turn after they are queued, so that the
 * frames of the events a turn handled go out in one writev() per
 * connection, and the subscriber reads them, and answers their acks, in
 * one read and one write too. At the default priority, with the sockets:
 * a busy hub cannot starve it. The source holds a reference, so a
 * connection dropped right after a send still writes what it was given. */
static gboolean
flush_cb (gpointer user_data)
{
  FcmWsConn *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  ws_flush (self);
  return G_SOURCE_REMOVE;
}

static void
ws_schedule_flush (FcmWsConn *self)
{
  if (self->flush_source != NULL || self->output_source != NULL)
    return;   /* already due, or waiting for the socket to take more */
  self->flush_source = g_idle_source_new ();
  g_source_set_priority (self->flush_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->flush_source, "[fcm] ws flush");
  g_source_set_callback (self->flush_source, flush_cb, g_object_ref (self), g_object_unref);
  g_source_attach (self->flush_source, g_main_context_get_thread_default ());
}

static gboolean
output_ready_cb (GObject  *stream,
                 gpointer  user_data)
{
  FcmWsConn *self = user_data;

  g_object_ref (self);
  g_clear_pointer (&self->output_source, g_source_unref);
  ws_flush (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
ws_wait_writable (FcmWsConn *self)
{
  if (self->output_source != NULL)
    return;
  self->output_source = g_pollable_output_stream_create_source (self->output, NULL);
  g_source_set_callback (self->output_source, G_SOURCE_FUNC (output_ready_cb), self, NULL);
  g_source_attach (self->output_source, g_main_context_get_thread_default ());
}

/* Everything queued is out: finish a close that waited for it. */
static void
ws_drained (FcmWsConn *self)
{
  if (self->close_sent && self->close_received)
    _fcm_ws_terminate (self);
}

/* A write failed: the peer is gone. Never reports synchronously to the
 * sender (the hub may be in the middle of a broadcast loop). */
static void
ws_write_failed (FcmWsConn *self,
                 GError    *error)
{
  g_debug ("write failed: %s", error->message);
  ws_clear_queue (self);
  self->close_received = TRUE;   /* stop reading too */
  self->close_code = FCM_WS_CLOSE_ABNORMAL;
  _fcm_ws_terminate (self);
}

static void
ws_flush (FcmWsConn *self)
{
  while (!g_queue_is_empty (&self->out))
    {
      GOutputVector vectors[MAX_IOV];
      guint n = 0;
      gsize written = 0;
      g_autoptr(GError) error = NULL;
      GPollableReturn ret;

      for (GList *l = self->out.head; l != NULL && n < MAX_IOV; l = l->next, n++)
        {
          Chunk *chunk = l->data;
          gsize size;
          const guint8 *data = g_bytes_get_data (chunk->bytes, &size);

          vectors[n].buffer = data + chunk->offset;
          vectors[n].size = size - chunk->offset;
        }

      ret = g_pollable_output_stream_writev_nonblocking (self->output, vectors, n, &written, NULL, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          ws_wait_writable (self);
          return;
        }
      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          ws_write_failed (self, error);
          return;
        }

      self->queued -= written;
      while (written > 0)
        {
          Chunk *chunk = g_queue_peek_head (&self->out);
          gsize left = g_bytes_get_size (chunk->bytes) - chunk->offset;

          if (written < left)
            {
              chunk->offset += written;
              break;
            }
          written -= left;
          chunk_free (g_queue_pop_head (&self->out));
        }
    }
  ws_drained (self);
}

void
_fcm_ws_send_bytes (FcmWsConn *self,
                    GBytes    *frame)
{
  if (self->terminating)
    return;
  ws_enqueue (self, frame, 0);
  ws_schedule_flush (self);
}

/**
 * fcm_ws_conn_send_frame:
 * @frame: a frame from fcm_ws_frame_new_text()
 *
 * Sends @frame (shared, not copied). Ignored once the connection is closing.
 */
void
fcm_ws_conn_send_frame (FcmWsConn *self,
                        GBytes    *frame)
{
  g_return_if_fail (FCM_IS_WS_CONN (self));
  g_return_if_fail (frame != NULL);

  if (self->state != FCM_WS_STATE_OPEN)
    return;
  _fcm_ws_send_bytes (self, frame);
}

void
fcm_ws_conn_send_text (FcmWsConn  *self,
                       const char *text)
{
  g_autoptr(GBytes) frame = NULL;

  g_return_if_fail (FCM_IS_WS_CONN (self));
  g_return_if_fail (text != NULL);

  if (self->state != FCM_WS_STATE_OPEN)
    return;
  frame = fcm_ws_frame_new_text (text, strlen (text));
  _fcm_ws_send_bytes (self, frame);
}

gsize
fcm_ws_conn_get_queued_bytes (FcmWsConn *self)
{
  g_return_val_if_fail (FCM_IS_WS_CONN (self), 0);
  return self->queued;
}

/* ------------------------------------------------------------------------ */
/* closing                                                                  */

void
_fcm_ws_source_clear (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* No more reading, writing or waiting. */
static void
ws_stop (FcmWsConn *self)
{
  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  _fcm_ws_source_clear (&self->input_source);
  _fcm_ws_source_clear (&self->output_source);
  _fcm_ws_source_clear (&self->flush_source);
  ws_clear_queue (self);
}

static void
stream_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FcmWsConn *self = user_data;
  FcmWsClosedFunc closed_func = self->closed_func;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  if (closed_func != NULL)
    closed_func (self, self->user_data);
  g_object_unref (self);
}

/* Stops all I/O and closes the stream; the closed callback runs once that is
 * done, never from inside the caller. */
void
_fcm_ws_terminate (FcmWsConn *self)
{
  if (self->terminating)
    return;
  self->terminating = TRUE;
  self->state = FCM_WS_STATE_CLOSED;
  if (!self->close_received || !self->close_sent)
    {
      /* no complete close handshake: an abnormal closure, unless we got
       * the peer's close frame (RFC 6455 §7.1.5) */
      if (!self->close_received)
        self->close_code = FCM_WS_CLOSE_ABNORMAL;
    }
  ws_stop (self);
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, stream_closed_cb, g_object_ref (self));
}

gboolean
_fcm_ws_close_timeout_cb (gpointer user_data)
{
  FcmWsConn *self = user_data;

  self->close_timeout_id = 0;
  g_debug ("peer did not answer the close frame in %d s", CLOSE_TIMEOUT_S);
  _fcm_ws_terminate (self);
  return G_SOURCE_REMOVE;
}

void
_fcm_ws_send_close (FcmWsConn  *self,
                    gushort     code,
                    const char *reason)
{
  g_autoptr(GBytes) frame = close_frame_new (code, reason);

  self->close_sent = TRUE;
  self->state = FCM_WS_STATE_CLOSING;
  _fcm_ws_send_bytes (self, frame);
  /* at once, with whatever is queued before it: a hub shutting down may not
   * turn its main loop again */
  if (!self->terminating)
    ws_flush (self);
}

/**
 * fcm_ws_conn_close:
 * @code: close code (RFC 6455 §7.4), 0 for none
 * @reason: (nullable): a short reason, cut to 123 bytes
 *
 * Starts the close handshake; the stream is closed when the peer answers,
 * or after a timeout.
 */
void
fcm_ws_conn_close (FcmWsConn  *self,
                   gushort     code,
                   const char *reason)
{
  g_return_if_fail (FCM_IS_WS_CONN (self));

  if (self->close_sent || self->terminating)
    return;
  if (!self->close_received)
    {
      self->close_code = code;
      g_free (self->close_reason);
      self->close_reason = g_strdup (reason);
    }
  _fcm_ws_send_close (self, code, reason);
  if (!self->terminating && !self->close_received && self->close_timeout_id == 0)
    self->close_timeout_id = g_timeout_add_seconds (CLOSE_TIMEOUT_S, _fcm_ws_close_timeout_cb, self);
}


/* ------------------------------------------------------------------------ */
/* object                                                                   */

FcmWsState
fcm_ws_conn_get_state (FcmWsConn *self)
{
  g_return_val_if_fail (FCM_IS_WS_CONN (self), FCM_WS_STATE_CLOSED);
  return self->state;
}

/**
 * fcm_ws_conn_get_close_code:
 *
 * The peer's close code once it sent one (1005 when its close frame had no
 * code), the code we closed with after a protocol error, or 1006 when the
 * connection went away without a close frame. 0 while open.
 */
gushort
fcm_ws_conn_get_close_code (FcmWsConn *self)
{
  g_return_val_if_fail (FCM_IS_WS_CONN (self), 0);
  return self->state == FCM_WS_STATE_OPEN ? 0 : self->close_code;
}

const char *
fcm_ws_conn_get_close_reason (FcmWsConn *self)
{
  g_return_val_if_fail (FCM_IS_WS_CONN (self), NULL);
  return self->close_reason;
}

void
fcm_ws_conn_set_callbacks (FcmWsConn        *self,
                           FcmWsMessageFunc  message_func,
                           FcmWsClosedFunc   closed_func,
                           gpointer          user_data)
{
  g_return_if_fail (FCM_IS_WS_CONN (self));

  self->message_func = message_func;
  self->closed_func = closed_func;
  self->user_data = user_data;
}

static void
fcm_ws_conn_dispose (GObject *object)
{
  FcmWsConn *self = FCM_WS_CONN (object);

  ws_stop (self);
  if (self->stream != NULL && !g_io_stream_is_closed (self->stream) && !self->terminating)
    g_io_stream_close (self->stream, NULL, NULL);

  G_OBJECT_CLASS (fcm_ws_conn_parent_class)->dispose (object);
}

static void
fcm_ws_conn_finalize (GObject *object)
{
  FcmWsConn *self = FCM_WS_CONN (object);

  g_clear_object (&self->stream);
  g_free (self->rbuf);
  g_clear_pointer (&self->message, g_byte_array_unref);
  g_free (self->close_reason);

  G_OBJECT_CLASS (fcm_ws_conn_parent_class)->finalize (object);
}

static void
fcm_ws_conn_class_init (FcmWsConnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_ws_conn_dispose;
  object_class->finalize = fcm_ws_conn_finalize;
}

static void
fcm_ws_conn_init (FcmWsConn *self)
{
  g_queue_init (&self->out);
  self->state = FCM_WS_STATE_OPEN;
}

/**
 * fcm_ws_conn_new:
 * @stream: the connection taken over after the 101 answer
 *   (soup_server_message_steal_connection()); its streams must be pollable
 * @max_message_size: bigger messages close the connection with 1009
 *
 * Starts reading at once.
 */
FcmWsConn *
fcm_ws_conn_new (GIOStream *stream,
                 gsize      max_message_size)
{
  FcmWsConn *self;
  GInputStream *input;
  GOutputStream *output;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  input = g_io_stream_get_input_stream (stream);
  output = g_io_stream_get_output_stream (stream);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (input) &&
                        g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (output) &&
                        g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)), NULL);

  self = g_object_new (FCM_TYPE_WS_CONN, NULL);
  self->stream = g_object_ref (stream);
  self->input = G_POLLABLE_INPUT_STREAM (input);
  self->output = G_POLLABLE_OUTPUT_STREAM (output);
  self->max_message_size = max_message_size;
  self->rsize = READ_CHUNK;
  self->rbuf = g_malloc (self->rsize);

  self->input_source = g_pollable_input_stream_create_source (self->input, NULL);
  g_source_set_callback (self->input_source, G_SOURCE_FUNC (_fcm_ws_input_ready_cb), self, NULL);
  /* GLib 2.74 blocks a source that cannot recurse for its dispatch, taking
   * its fd out of the poll set and back, and each of those signals the
   * context's wakeup eventfd: two write()s, a read() and an extra poll()
   * round per ack read. Nothing runs a nested main loop from here. */
  g_source_set_can_recurse (self->input_source, TRUE);
  g_source_attach (self->input_source, g_main_context_get_thread_default ());
  return self;
}

/* fcm-ws.c: the hub's server side of a WebSocket connection (RFC 6455)
 *
 * See fcm-ws-private.h. Everything runs on the thread-default main context
 * of the caller, with pollable (non-blocking) reads and writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fcm-ws"

#include "config.h"

#include <string.h>

#include "fcm-ws-private.h"

#define READ_CHUNK          16384
#define CLOSE_TIMEOUT_S     5
#define MAX_IOV             64
#define MAX_CONTROL_PAYLOAD 125

enum {
  OP_CONTINUATION = 0x0,
  OP_TEXT         = 0x1,
  OP_BINARY       = 0x2,
  OP_CLOSE        = 0x8,
  OP_PING         = 0x9,
  OP_PONG         = 0xA,
};

typedef struct
{
  GBytes *bytes;
  gsize   offset;   /* bytes of it already written */
} Chunk;

struct _FcmWsConn
{
  GObject                parent_instance;

  GIOStream             *stream;
  GPollableInputStream  *input;
  GPollableOutputStream *output;
  GSource               *input_source;
  GSource               *output_source;
  GSource               *flush_source;    /* a write is due at the next main-loop turn */
  guint                  close_timeout_id;

  FcmWsState             state;
  gsize                  max_message_size;

  /* reading: received bytes not yet parsed into frames */
  guint8                *rbuf;
  gsize                  rlen;
  gsize                  rsize;
  GByteArray            *message;         /* a fragmented message being put together */
  guint8                 message_opcode;  /* its opcode, 0 = none */

  /* writing */
  GQueue                 out;             /* Chunk */
  gsize                  queued;

  gboolean               close_sent;
  gboolean               close_received;  /* or reading stopped after a protocol error */
  gboolean               terminating;
  gushort                close_code;
  char                  *close_reason;

  FcmWsMessageFunc       message_func;
  FcmWsClosedFunc        closed_func;
  gpointer               user_data;
};

G_DEFINE_FINAL_TYPE (FcmWsConn, fcm_ws_conn, G_TYPE_OBJECT)

static void ws_flush (FcmWsConn *self);
static void ws_terminate (FcmWsConn *self);

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

static GBytes *
frame_new (guint8       opcode,
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
  return frame_new (OP_TEXT, text, size);
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
  return frame_new (OP_CLOSE, payload, size);
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
    ws_terminate (self);
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
  ws_terminate (self);
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

static void
ws_send_bytes (FcmWsConn *self,
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
  ws_send_bytes (self, frame);
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
  ws_send_bytes (self, frame);
}

gsize
fcm_ws_conn_get_queued_bytes (FcmWsConn *self)
{
  g_return_val_if_fail (FCM_IS_WS_CONN (self), 0);
  return self->queued;
}

/* ------------------------------------------------------------------------ */
/* closing                                                                  */

static void
source_clear (GSource **source)
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
  source_clear (&self->input_source);
  source_clear (&self->output_source);
  source_clear (&self->flush_source);
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
static void
ws_terminate (FcmWsConn *self)
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

static gboolean
close_timeout_cb (gpointer user_data)
{
  FcmWsConn *self = user_data;

  self->close_timeout_id = 0;
  g_debug ("peer did not answer the close frame in %d s", CLOSE_TIMEOUT_S);
  ws_terminate (self);
  return G_SOURCE_REMOVE;
}

static void
ws_send_close (FcmWsConn  *self,
               gushort     code,
               const char *reason)
{
  g_autoptr(GBytes) frame = close_frame_new (code, reason);

  self->close_sent = TRUE;
  self->state = FCM_WS_STATE_CLOSING;
  ws_send_bytes (self, frame);
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
  ws_send_close (self, code, reason);
  if (!self->terminating && !self->close_received && self->close_timeout_id == 0)
    self->close_timeout_id = g_timeout_add_seconds (CLOSE_TIMEOUT_S, close_timeout_cb, self);
}

/* The peer broke the protocol: say why, stop reading, close once the
 * close frame is out. */
static void
ws_fail (FcmWsConn  *self,
         gushort     code,
         const char *reason)
{
  g_debug ("closing with %u: %s", code, reason);
  self->close_received = TRUE;
  self->close_code = code;
  g_free (self->close_reason);
  self->close_reason = g_strdup (reason);
  if (!self->close_sent)
    ws_send_close (self, code, reason);
  if (g_queue_is_empty (&self->out))
    ws_terminate (self);
}

/* ------------------------------------------------------------------------ */
/* reading                                                                  */

static gboolean
close_code_valid (gushort code)
{
  /* RFC 6455 §7.4.1/§7.4.2: codes a peer may send */
  if (code >= 1000 && code <= 1003)
    return TRUE;
  if (code >= 1007 && code <= 1014)
    return TRUE;
  return code >= 3000 && code <= 4999;
}

static void
ws_deliver (FcmWsConn    *self,
            guint8        opcode,
            const guint8 *data,
            gsize         size)
{
  if (opcode == OP_TEXT && !g_utf8_validate_len ((const char *) data, size, NULL))
    {
      ws_fail (self, FCM_WS_CLOSE_BAD_DATA, "text message is not UTF-8");
      return;
    }
  if (self->message_func != NULL && !self->close_sent)
    self->message_func (self, opcode == OP_TEXT, (const char *) data, size, self->user_data);
}

static void
ws_handle_close_frame (FcmWsConn    *self,
                       const guint8 *payload,
                       gsize         size)
{
  gushort code = FCM_WS_CLOSE_NO_STATUS;

  if (size == 1)
    {
      ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "close frame with a one-byte payload");
      return;
    }
  if (size >= 2)
    {
      code = (gushort) (payload[0] << 8 | payload[1]);
      if (!close_code_valid (code))
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "invalid close code");
          return;
        }
      if (!g_utf8_validate_len ((const char *) payload + 2, size - 2, NULL))
        {
          ws_fail (self, FCM_WS_CLOSE_BAD_DATA, "close reason is not UTF-8");
          return;
        }
    }

  self->close_received = TRUE;
  self->close_code = code;
  g_free (self->close_reason);
  self->close_reason = size > 2 ? g_strndup ((const char *) payload + 2, size - 2) : NULL;
  g_clear_handle_id (&self->close_timeout_id, g_source_remove);
  if (!self->close_sent)
    ws_send_close (self, code, NULL);   /* echo the code (§5.5.1) */
  else if (g_queue_is_empty (&self->out))
    ws_terminate (self);
}

static void
ws_handle_frame (FcmWsConn    *self,
                 gboolean      fin,
                 guint8        opcode,
                 const guint8 *payload,
                 gsize         size)
{
  switch (opcode)
    {
    case OP_TEXT:
    case OP_BINARY:
      if (self->message_opcode != 0)
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "new message before the last one ended");
          return;
        }
      if (fin)
        {
          ws_deliver (self, opcode, payload, size);
          return;
        }
      self->message_opcode = opcode;
      if (self->message == NULL)
        self->message = g_byte_array_new ();
      g_byte_array_append (self->message, payload, size);
      return;

    case OP_CONTINUATION:
      if (self->message_opcode == 0)
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "continuation frame without a message");
          return;
        }
      g_byte_array_append (self->message, payload, size);
      if (fin)
        {
          guint8 message_opcode = self->message_opcode;
          g_autoptr(GByteArray) message = g_steal_pointer (&self->message);

          self->message_opcode = 0;
          ws_deliver (self, message_opcode, message->data, message->len);
        }
      return;

    case OP_CLOSE:
      ws_handle_close_frame (self, payload, size);
      return;

    case OP_PING:
      if (!self->close_sent)
        {
          g_autoptr(GBytes) pong = frame_new (OP_PONG, payload, size);

          ws_send_bytes (self, pong);
        }
      return;

    case OP_PONG:
      return;

    default:
      g_assert_not_reached ();
    }
}

/* Parses every complete frame in the read buffer. */
static void
ws_process (FcmWsConn *self)
{
  gsize pos = 0;

  while (!self->close_received && !self->terminating)
    {
      guint8 *p = self->rbuf + pos;
      gsize avail = self->rlen - pos;
      gboolean fin;
      guint8 opcode;
      guint64 size;
      gsize header = 2, need;
      guint8 *mask, *payload;

      if (avail < 2)
        break;
      fin = (p[0] & 0x80) != 0;
      opcode = p[0] & 0x0F;
      size = p[1] & 0x7F;

      if ((p[0] & 0x70) != 0)
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "reserved bits set (no extension was negotiated)");
          break;
        }
      if ((p[1] & 0x80) == 0)
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "client frames must be masked");
          break;
        }
      if (opcode >= OP_CLOSE)
        {
          if (opcode > OP_PONG)
            {
              ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "unknown control opcode");
              break;
            }
          if (!fin || size > MAX_CONTROL_PAYLOAD)
            {
              ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "control frames must be short and not fragmented");
              break;
            }
        }
      else if (opcode > OP_BINARY)
        {
          ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "unknown data opcode");
          break;
        }

      if (size == 126)
        {
          if (avail < 4)
            break;
          size = (guint64) p[2] << 8 | p[3];
          header = 4;
        }
      else if (size == 127)
        {
          if (avail < 10)
            break;
          size = 0;
          for (int i = 0; i < 8; i++)
            size = size << 8 | p[2 + i];
          header = 10;
          if (size >> 63)
            {
              ws_fail (self, FCM_WS_CLOSE_PROTOCOL_ERROR, "frame length out of range");
              break;
            }
        }

      if (size > self->max_message_size ||
          (opcode == OP_CONTINUATION && self->message != NULL &&
           self->message->len + size > self->max_message_size))
        {
          ws_fail (self, FCM_WS_CLOSE_TOO_BIG, "message too big");
          break;
        }

      need = header + 4 + (gsize) size;
      if (avail < need)
        {
          /* make room for the whole frame, at the start of the buffer */
          if (need > self->rsize)
            {
              memmove (self->rbuf, p, avail);
              self->rlen = avail;
              pos = 0;
              self->rsize = MAX (need, self->rsize * 2);
              self->rbuf = g_realloc (self->rbuf, self->rsize);
            }
          break;
        }

      mask = p + header;
      payload = mask + 4;
      for (gsize i = 0; i < size; i++)
        payload[i] ^= mask[i & 3];
      pos += need;

      ws_handle_frame (self, fin, opcode, payload, (gsize) size);
    }

  if (self->terminating || self->close_received)
    {
      self->rlen = 0;
      return;
    }
  if (pos > 0)
    {
      memmove (self->rbuf, self->rbuf + pos, self->rlen - pos);
      self->rlen -= pos;
    }
  /* a big message went by: give the memory back */
  if (self->rlen == 0 && self->rsize > 4 * READ_CHUNK)
    {
      self->rsize = 4 * READ_CHUNK;
      self->rbuf = g_realloc (self->rbuf, self->rsize);
    }
}

static gboolean
input_ready_cb (GObject  *stream,
                gpointer  user_data)
{
  FcmWsConn *self = g_object_ref (user_data);
  gboolean keep = G_SOURCE_CONTINUE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize space;
      gssize n;

      if (self->rsize - self->rlen < READ_CHUNK / 4)
        {
          self->rsize = MAX (self->rsize * 2, READ_CHUNK);
          self->rbuf = g_realloc (self->rbuf, self->rsize);
        }
      space = self->rsize - self->rlen;
      n = g_pollable_input_stream_read_nonblocking (self->input, self->rbuf + self->rlen, space, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          /* EOF or a reset: gone without (finishing) the close handshake */
          if (error != NULL)
            g_debug ("read failed: %s", error->message);
          ws_terminate (self);
          keep = G_SOURCE_REMOVE;
          break;
        }
      self->rlen += n;
      ws_process (self);
      if (self->terminating || self->close_received)
        {
          /* nothing more to read; wait for the output to drain */
          source_clear (&self->input_source);
          if (!self->terminating && self->close_timeout_id == 0)
            self->close_timeout_id = g_timeout_add_seconds (CLOSE_TIMEOUT_S, close_timeout_cb, self);
          keep = G_SOURCE_REMOVE;
          break;
        }
      if ((gsize) n < space)
        break;   /* the socket is most likely empty: let poll() say */
    }

  g_object_unref (self);
  return keep;
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
  g_source_set_callback (self->input_source, G_SOURCE_FUNC (input_ready_cb), self, NULL);
  /* GLib 2.74 blocks a source that cannot recurse for its dispatch, taking
   * its fd out of the poll set and back, and each of those signals the
   * context's wakeup eventfd: two write()s, a read() and an extra poll()
   * round per ack read. Nothing runs a nested main loop from here. */
  g_source_set_can_recurse (self->input_source, TRUE);
  g_source_attach (self->input_source, g_main_context_get_thread_default ());
  return self;
}

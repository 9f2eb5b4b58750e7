/* fcm-ws-read.c: reading and handling a client's frames (RFC 6455 §5)
 *
 * Part of FcmWsConn (see fcm-ws-internal.h). The bytes read go into one
 * buffer, frames are checked and unmasked in place; a protocol error closes
 * the connection with its code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fcm-ws"

#include "config.h"

#include <string.h>

#include "fcm-ws-internal.h"

/* ------------------------------------------------------------------------ */
/* reading                                                                  */

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
    _fcm_ws_send_close (self, code, reason);
  if (g_queue_is_empty (&self->out))
    _fcm_ws_terminate (self);
}

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
    _fcm_ws_send_close (self, code, NULL);   /* echo the code (§5.5.1) */
  else if (g_queue_is_empty (&self->out))
    _fcm_ws_terminate (self);
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
          g_autoptr(GBytes) pong = _fcm_ws_frame_new (OP_PONG, payload, size);

          _fcm_ws_send_bytes (self, pong);
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

gboolean
_fcm_ws_input_ready_cb (GObject  *stream,
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
          _fcm_ws_terminate (self);
          keep = G_SOURCE_REMOVE;
          break;
        }
      self->rlen += n;
      ws_process (self);
      if (self->terminating || self->close_received)
        {
          /* nothing more to read; wait for the output to drain */
          _fcm_ws_source_clear (&self->input_source);
          if (!self->terminating && self->close_timeout_id == 0)
            self->close_timeout_id = g_timeout_add_seconds (CLOSE_TIMEOUT_S, _fcm_ws_close_timeout_cb, self);
          keep = G_SOURCE_REMOVE;
          break;
        }
      if ((gsize) n < space)
        break;   /* the socket is most likely empty: let poll() say */
    }

  g_object_unref (self);
  return keep;
}

/* fcm-fuzz-ws.c: the hub's WebSocket frame parser (FcmWsConn)
 *
 * The input is what a client sends after the upgrade, read by an FcmWsConn
 * over an in-memory GIOStream: no socket, no timer, no thread. Byte 0 says
 * how the stream behaves, the rest is the bytes:
 *
 *   bits 0-5  reads return at most 1 + n² bytes (n = 0..62), or everything
 *             at once (n = 63): frames split across reads at any point
 *   bits 6-7  writes: 0 take everything, 1 take at most 7 bytes a call,
 *             2 every other write would block, 3 fail (the peer is gone)
 *
 * The main context is iterated until the connection has closed; it must
 * close once the input is used up (end of stream), so an input after which
 * it still waits is a hang and aborts. Checked on the way: text messages are
 * UTF-8, no message is over the limit, and everything the connection writes
 * is a well-formed unmasked server frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fcm-fuzz.h"
#include "fcm-ws-private.h"

/* small, so that inputs of a few KiB reach "too big" (1009) */
#define MAX_MESSAGE   4096
/* iterations with nothing to dispatch before we call it a hang */
#define MAX_IDLE      64

/* ------------------------------------------------------------------------ */
/* an input stream that hands out the fuzz input in chunks                  */

#define FUZZ_TYPE_INPUT (fuzz_input_get_type ())
G_DECLARE_FINAL_TYPE (FuzzInput, fuzz_input, FUZZ, INPUT, GInputStream)

struct _FuzzInput
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         size;
  gsize         pos;
  gsize         chunk;
};

static void fuzz_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FuzzInput, fuzz_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      fuzz_input_pollable_init))

static gssize
fuzz_input_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  FuzzInput *self = FUZZ_INPUT (stream);
  gsize n = MIN (MIN (count, self->chunk), self->size - self->pos);

  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;
  return n;
}

static gssize
fuzz_input_read_nonblocking (GPollableInputStream  *stream,
                             void                  *buffer,
                             gsize                  count,
                             GError               **error)
{
  return fuzz_input_read (G_INPUT_STREAM (stream), buffer, count, NULL, error);
}

static gboolean
fuzz_input_is_readable (GPollableInputStream *stream)
{
  return TRUE;
}

static GSource *
fuzz_input_create_source (GPollableInputStream *stream,
                          GCancellable         *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static void
fuzz_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = fuzz_input_is_readable;
  iface->create_source = fuzz_input_create_source;
  iface->read_nonblocking = fuzz_input_read_nonblocking;
}

static void
fuzz_input_class_init (FuzzInputClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_input_read;
}

static void
fuzz_input_init (FuzzInput *self)
{
}

/* ------------------------------------------------------------------------ */
/* an output stream that keeps what is written and can push back or fail   */

typedef enum
{
  WRITE_ALL,
  WRITE_SHORT,
  WRITE_BLOCK_EVERY_OTHER,
  WRITE_FAIL,
} WriteMode;

#define FUZZ_TYPE_OUTPUT (fuzz_output_get_type ())
G_DECLARE_FINAL_TYPE (FuzzOutput, fuzz_output, FUZZ, OUTPUT, GOutputStream)

struct _FuzzOutput
{
  GOutputStream  parent_instance;
  GByteArray    *written;
  WriteMode      mode;
  guint          n_calls;
};

static void fuzz_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FuzzOutput, fuzz_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      fuzz_output_pollable_init))

static gssize
fuzz_output_write_nonblocking (GPollableOutputStream  *stream,
                               const void             *buffer,
                               gsize                   count,
                               GError                **error)
{
  FuzzOutput *self = FUZZ_OUTPUT (stream);
  gsize n = count;

  self->n_calls++;
  switch (self->mode)
    {
    case WRITE_FAIL:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "the peer is gone");
      return -1;
    case WRITE_BLOCK_EVERY_OTHER:
      if (self->n_calls % 2 == 1)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "try again");
          return -1;
        }
      break;
    case WRITE_SHORT:
      n = MIN (count, 7);
      break;
    case WRITE_ALL:
    default:
      break;
    }
  g_byte_array_append (self->written, buffer, n);
  return n;
}

static gssize
fuzz_output_write (GOutputStream  *stream,
                   const void     *buffer,
                   gsize           count,
                   GCancellable   *cancellable,
                   GError        **error)
{
  /* FcmWsConn never writes blocking */
  abort ();
}

static gboolean
fuzz_output_is_writable (GPollableOutputStream *stream)
{
  return TRUE;
}

static GSource *
fuzz_output_create_source (GPollableOutputStream *stream,
                           GCancellable          *cancellable)
{
  g_autoptr(GSource) ready = g_timeout_source_new (0);

  return g_pollable_source_new_full (stream, ready, cancellable);
}

static void
fuzz_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = fuzz_output_is_writable;
  iface->create_source = fuzz_output_create_source;
  iface->write_nonblocking = fuzz_output_write_nonblocking;
}

static void
fuzz_output_finalize (GObject *object)
{
  g_byte_array_unref (FUZZ_OUTPUT (object)->written);
  G_OBJECT_CLASS (fuzz_output_parent_class)->finalize (object);
}

static void
fuzz_output_class_init (FuzzOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fuzz_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = fuzz_output_write;
}

static void
fuzz_output_init (FuzzOutput *self)
{
  self->written = g_byte_array_new ();
}

/* ------------------------------------------------------------------------ */
/* the two as a GIOStream whose asynchronous close needs no thread          */

#define FUZZ_TYPE_STREAM (fuzz_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzStream, fuzz_stream, FUZZ, STREAM, GIOStream)

struct _FuzzStream
{
  GIOStream   parent_instance;
  FuzzInput  *input;
  FuzzOutput *output;
};

G_DEFINE_FINAL_TYPE (FuzzStream, fuzz_stream, G_TYPE_IO_STREAM)

static GInputStream *
fuzz_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (FUZZ_STREAM (stream)->input);
}

static GOutputStream *
fuzz_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (FUZZ_STREAM (stream)->output);
}

/* GIOStream's default runs the close in a worker thread */
static void
fuzz_stream_close_async (GIOStream           *stream,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  if (G_IO_STREAM_GET_CLASS (stream)->close_fn (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
fuzz_stream_close_finish (GIOStream     *stream,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fuzz_stream_finalize (GObject *object)
{
  FuzzStream *self = FUZZ_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  G_OBJECT_CLASS (fuzz_stream_parent_class)->finalize (object);
}

static void
fuzz_stream_class_init (FuzzStreamClass *klass)
{
  GIOStreamClass *io_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fuzz_stream_finalize;
  io_class->get_input_stream = fuzz_stream_get_input_stream;
  io_class->get_output_stream = fuzz_stream_get_output_stream;
  io_class->close_async = fuzz_stream_close_async;
  io_class->close_finish = fuzz_stream_close_finish;
}

static void
fuzz_stream_init (FuzzStream *self)
{
  self->input = g_object_new (FUZZ_TYPE_INPUT, NULL);
  self->output = g_object_new (FUZZ_TYPE_OUTPUT, NULL);
}

/* ------------------------------------------------------------------------ */
/* checks                                                                   */

/* Everything a server writes: unmasked frames, FIN set (FcmWsConn never
 * fragments), known opcodes, short control frames. The last frame may be
 * cut short when the connection ended while writing it. */
static void
check_server_frames (const guint8 *p,
                     gsize         len)
{
  gsize pos = 0;

  while (pos + 2 <= len)
    {
      guint8 opcode = p[pos] & 0x0F;
      guint64 size = p[pos + 1] & 0x7F;
      gsize header = 2;

      if ((p[pos] & 0xF0) != 0x80 || (p[pos + 1] & 0x80) != 0)
        abort ();
      if (opcode != 0x1 && opcode != 0x2 && opcode != 0x8 && opcode != 0x9 && opcode != 0xA)
        abort ();
      if (size == 126)
        {
          if (pos + 4 > len)
            return;
          size = (guint64) p[pos + 2] << 8 | p[pos + 3];
          header = 4;
          if (size < 126)
            abort ();   /* not the shortest encoding */
        }
      else if (size == 127)
        {
          if (pos + 10 > len)
            return;
          size = 0;
          for (int i = 0; i < 8; i++)
            size = size << 8 | p[pos + 2 + i];
          header = 10;
          if (size <= G_MAXUINT16)
            abort ();
        }
      if (opcode >= 0x8 && size > 125)
        abort ();
      if (size > len - pos - header)
        return;
      pos += header + size;
    }
}

typedef struct
{
  gboolean closed;
  guint    n_messages;
} Run;

static void
message_cb (FcmWsConn  *conn,
            gboolean    is_text,
            const char *data,
            gsize       size,
            gpointer    user_data)
{
  Run *run = user_data;

  if (size > MAX_MESSAGE)
    abort ();
  if (is_text && !g_utf8_validate_len (data, size, NULL))
    abort ();
  if (fcm_ws_conn_get_state (conn) != FCM_WS_STATE_OPEN)
    abort ();   /* no message after a close frame was sent */

  /* answer as the hub may: a reply in the middle of reading, a broadcast
   * frame (shared, as the hub sends one to every subscriber), or a close */
  run->n_messages++;
  if (size > 0 && data[0] == 'c')
    fcm_ws_conn_close (conn, FCM_WS_CLOSE_POLICY_VIOLATION, "closing after a message");
  else if (size > 0 && data[0] == 's')
    fcm_ws_conn_send_text (conn, "{\"ok\":true}");
  else if (size > 0 && data[0] == 'b' && is_text)
    {
      g_autoptr(GBytes) frame = fcm_ws_frame_new_text (data, size);
      gsize before = fcm_ws_conn_get_queued_bytes (conn);

      fcm_ws_conn_send_frame (conn, frame);
      if (fcm_ws_conn_get_queued_bytes (conn) > before + g_bytes_get_size (frame))
        abort ();
    }
}

static void
closed_cb (FcmWsConn *conn,
           gpointer   user_data)
{
  Run *run = user_data;

  if (fcm_ws_conn_get_state (conn) != FCM_WS_STATE_CLOSED)
    abort ();
  if (run->closed)
    abort ();   /* reported once */
  run->closed = TRUE;
}

void
fcm_fuzz_ws (const guint8 *data,
             gsize         size)
{
  g_autoptr(FuzzStream) stream = NULL;
  g_autoptr(FcmWsConn) conn = NULL;
  guint n, idle = 0;
  gushort code;
  const char *reason;
  Run run = { FALSE, 0 };

  if (size < 1)
    return;
  fcm_fuzz_skip_lone_wakeup_polls ();

  stream = g_object_new (FUZZ_TYPE_STREAM, NULL);
  n = data[0] & 0x3F;
  stream->input->chunk = n == 0x3F ? G_MAXSIZE : 1 + n * n;
  stream->output->mode = data[0] >> 6;
  stream->input->data = data + 1;
  stream->input->size = size - 1;

  conn = fcm_ws_conn_new (G_IO_STREAM (stream), MAX_MESSAGE);
  fcm_ws_conn_set_callbacks (conn, message_cb, closed_cb, &run);

  while (!run.closed)
    {
      if (g_main_context_iteration (NULL, FALSE))
        idle = 0;
      else if (++idle > MAX_IDLE)
        {
          g_printerr ("fuzz-ws: still open with all %" G_GSIZE_FORMAT " bytes read\n", size - 1);
          abort ();
        }
    }

  code = fcm_ws_conn_get_close_code (conn);
  if (code == 0 || fcm_ws_conn_get_state (conn) != FCM_WS_STATE_CLOSED)
    abort ();
  /* the reason (the peer's, or ours) is logged: always UTF-8 */
  reason = fcm_ws_conn_get_close_reason (conn);
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    abort ();
  if (fcm_ws_conn_get_queued_bytes (conn) != 0)
    abort ();
  check_server_frames (stream->output->written->data, stream->output->written->len);

  /* sending after the end is ignored */
  fcm_ws_conn_send_text (conn, "late");
  fcm_ws_conn_close (conn, FCM_WS_CLOSE_NORMAL, NULL);
  if (stream->output->written->len > 0 && stream->output->mode == WRITE_FAIL)
    abort ();
}

void
fcm_fuzz_ws_cleanup (void)
{
  /* nothing is kept between inputs; let the last closes finish */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* fcm-read-ahead-stream.c: larger reads under libsoup's WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SoupWebsocketConnection reads its stream 1 KiB at a time: draining a
 * backlog of 1.6 KB events that was about two recv() per event, a tenth of
 * `fhircast watch`'s time (docs/performance.md, "Subscriber drain"). This
 * pollable stream reads its base stream up to FCM_READ_AHEAD_SIZE at a time
 * and hands the bytes out in reads of any size, in order; a read that finds
 * nothing buffered is the base stream's read, with its errors and its end.
 *
 * It goes under the WebSocket's own stream (a GFilterInputStream in
 * libsoup 3: libsoup reads through the filter's base_stream each time), see
 * fcm_read_ahead_stream_insert(). Nothing is read that the WebSocket would
 * not read itself: it reads until the base stream would block.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-read-ahead-stream.h"

struct _FcmReadAheadStream
{
  GInputStream parent_instance;

  GInputStream *base;   /* pollable */
  guint8       *buf;
  gsize         start;  /* buf[start, end) not yet handed out */
  gsize         end;
};

static void fcm_read_ahead_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmReadAheadStream, fcm_read_ahead_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      fcm_read_ahead_stream_pollable_init))

static gsize
take_buffered (FcmReadAheadStream *self,
               void               *buffer,
               gsize               count)
{
  gsize n = MIN (count, self->end - self->start);

  memcpy (buffer, self->buf + self->start, n);
  self->start += n;
  if (self->start == self->end)
    self->start = self->end = 0;
  return n;
}

/* A read of @count bytes: from the buffer if it has any, else one read of
 * the base stream (blocking or not) into the buffer, or straight into
 * @buffer when that is at least as large. */
static gssize
read_ahead (FcmReadAheadStream *self,
            void               *buffer,
            gsize               count,
            gboolean            blocking,
            GCancellable       *cancellable,
            GError            **error)
{
  gssize n;

  if (count == 0)
    return 0;
  if (self->end > self->start)
    return (gssize) take_buffered (self, buffer, count);
  if (count >= FCM_READ_AHEAD_SIZE)
    return g_pollable_stream_read (self->base, buffer, count, blocking, cancellable, error);

  n = g_pollable_stream_read (self->base, self->buf, FCM_READ_AHEAD_SIZE, blocking, cancellable, error);
  if (n <= 0)
    return n;
  self->start = 0;
  self->end = (gsize) n;
  return (gssize) take_buffered (self, buffer, count);
}

static gssize
fcm_read_ahead_stream_read_fn (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return read_ahead (FCM_READ_AHEAD_STREAM (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
fcm_read_ahead_stream_read_nonblocking (GPollableInputStream  *stream,
                                        void                  *buffer,
                                        gsize                  count,
                                        GError               **error)
{
  return read_ahead (FCM_READ_AHEAD_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
fcm_read_ahead_stream_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
fcm_read_ahead_stream_is_readable (GPollableInputStream *stream)
{
  FcmReadAheadStream *self = FCM_READ_AHEAD_STREAM (stream);

  return self->end > self->start || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
fcm_read_ahead_stream_create_source (GPollableInputStream *stream,
                                     GCancellable         *cancellable)
{
  FcmReadAheadStream *self = FCM_READ_AHEAD_STREAM (stream);
  GSource *base_source, *source;

  /* buffered bytes are ready now */
  if (self->end > self->start)
    base_source = g_timeout_source_new (0);
  else
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), cancellable);
  g_source_set_dummy_callback (base_source);
  source = g_pollable_source_new (G_OBJECT (stream));
  g_source_add_child_source (source, base_source);
  g_source_unref (base_source);
  return source;
}

/* The base stream belongs to whoever gave it (a socket connection): it is
 * not closed with this stream. */
static gboolean
fcm_read_ahead_stream_close_fn (GInputStream  *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  return TRUE;
}

static void
fcm_read_ahead_stream_finalize (GObject *object)
{
  FcmReadAheadStream *self = FCM_READ_AHEAD_STREAM (object);

  g_clear_object (&self->base);
  g_free (self->buf);
  G_OBJECT_CLASS (fcm_read_ahead_stream_parent_class)->finalize (object);
}

static void
fcm_read_ahead_stream_class_init (FcmReadAheadStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = fcm_read_ahead_stream_finalize;
  input_class->read_fn = fcm_read_ahead_stream_read_fn;
  input_class->close_fn = fcm_read_ahead_stream_close_fn;
}

static void
fcm_read_ahead_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = fcm_read_ahead_stream_can_poll;
  iface->is_readable = fcm_read_ahead_stream_is_readable;
  iface->read_nonblocking = fcm_read_ahead_stream_read_nonblocking;
  iface->create_source = fcm_read_ahead_stream_create_source;
}

static void
fcm_read_ahead_stream_init (FcmReadAheadStream *self)
{
}

/**
 * fcm_read_ahead_stream_new:
 * @base: a pollable input stream that can poll
 *
 * Returns: (transfer full): a pollable stream that reads @base
 *   FCM_READ_AHEAD_SIZE bytes at a time; @base is not closed with it
 */
GInputStream *
fcm_read_ahead_stream_new (GInputStream *base)
{
  FcmReadAheadStream *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);
  g_return_val_if_fail (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base)), NULL);

  self = g_object_new (FCM_TYPE_READ_AHEAD_STREAM, NULL);
  self->base = g_object_ref (base);
  self->buf = g_malloc (FCM_READ_AHEAD_SIZE);
  return G_INPUT_STREAM (self);
}

/**
 * fcm_read_ahead_stream_insert:
 * @filter: the input stream of a SoupWebsocketConnection's I/O stream
 *
 * Puts a read-ahead stream between @filter and its base stream, when
 * @filter is a GFilterInputStream over a pollable stream that can poll
 * (libsoup 3's stream under a WebSocket it connected: SoupFilterInputStream,
 * which reads through the filter's base_stream each time and does not
 * close it). Call it before anything is read through @filter's base stream
 * by another way: bytes libsoup's filter holds itself still come first.
 *
 * Returns: whether it was put in
 */
gboolean
fcm_read_ahead_stream_insert (GInputStream *filter)
{
  GFilterInputStream *f;
  GInputStream *ahead;

  if (!G_IS_FILTER_INPUT_STREAM (filter) || !G_IS_POLLABLE_INPUT_STREAM (filter))
    return FALSE;
  f = G_FILTER_INPUT_STREAM (filter);
  if (FCM_IS_READ_AHEAD_STREAM (f->base_stream) ||
      g_filter_input_stream_get_close_base_stream (f) ||
      !G_IS_POLLABLE_INPUT_STREAM (f->base_stream) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (f->base_stream)))
    return FALSE;

  /* the filter's reference to its base goes to the read-ahead stream */
  ahead = fcm_read_ahead_stream_new (f->base_stream);
  g_object_unref (f->base_stream);
  f->base_stream = ahead;
  return TRUE;
}

/* fcm-fuzz-client.c: what a subscriber does with the frames its hub sends
 *
 * One FcmHubClient with an FcmMonitor on it (validator, event log, context
 * store), as the app and `fhircast watch` run them, is given a WebSocket to
 * its hub over an in-memory stream (_fcm_hub_client_attach_socket, the same
 * call a successful connect makes). libsoup's client side reads the frames
 * and hands each to the client's frame handling: parse (FcmMessage),
 * validate and log (the monitor), the ack decision and the ack itself
 * (C-28), confirmations and denials, heartbeats (C-69), syncerrors (C-51,
 * C-66) and the context update (C-33, C-53).
 *
 * Byte 0 of the input chooses the client's settings:
 *
 *   bit 0  the 2019 prototype protocol (legacy acks and status frames)
 *   bit 1  DiagnosticReport-open and Patient-open acknowledged with 202, so
 *          that a follow-up syncerror goes out (C-61)
 *   bit 2  ImagingStudy-open refused with 409
 *   bit 3  our own requests resent after a syncerror (C-51)
 *   bit 4  the hub ends with a close frame (1000) instead of just going away
 *   bit 5  the last message comes as a binary frame
 *
 * The rest is up to MAX_MESSAGES messages separated by NUL bytes, each sent
 * as one unmasked text frame. The hub URL is a closed loopback port, so the
 * requests the client makes in answer (Get Current Context, a follow-up
 * syncerror) fail without leaving the machine.
 *
 * Checked: the client closes once the hub is gone (otherwise a hang aborts),
 * it sends at most one ack per frame, and each is a masked text frame
 * holding a JSON object with a "status" string (and, since STU3, the
 * event's "id").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fcm-fuzz.h"
#include "fcm-hub-client-private.h"
#include "fcm-json-private.h"
#include "fcm-monitor.h"

#define MAX_MESSAGES 8
/* iterations with nothing to dispatch before we call it a hang */
#define MAX_IDLE     64

#define FLAG_LEGACY       (1 << 0)
#define FLAG_ACK_202      (1 << 1)
#define FLAG_ACK_409      (1 << 2)
#define FLAG_RESEND       (1 << 3)
#define FLAG_CLOSE_FRAME  (1 << 4)
#define FLAG_LAST_BINARY  (1 << 5)

/* ------------------------------------------------------------------------ */
/* a GIOStream over memory whose close finishes without a worker thread     */

#define FUZZ_TYPE_CLIENT_STREAM (fuzz_client_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzClientStream, fuzz_client_stream, FUZZ, CLIENT_STREAM, GIOStream)

struct _FuzzClientStream
{
  GIOStream      parent_instance;
  GInputStream  *input;
  GOutputStream *output;
};

G_DEFINE_FINAL_TYPE (FuzzClientStream, fuzz_client_stream, G_TYPE_IO_STREAM)

static GInputStream *
fuzz_client_stream_get_input_stream (GIOStream *stream)
{
  return FUZZ_CLIENT_STREAM (stream)->input;
}

static GOutputStream *
fuzz_client_stream_get_output_stream (GIOStream *stream)
{
  return FUZZ_CLIENT_STREAM (stream)->output;
}

/* GIOStream's default runs the close in a worker thread */
static void
fuzz_client_stream_close_async (GIOStream           *stream,
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
fuzz_client_stream_close_finish (GIOStream     *stream,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fuzz_client_stream_finalize (GObject *object)
{
  FuzzClientStream *self = FUZZ_CLIENT_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  G_OBJECT_CLASS (fuzz_client_stream_parent_class)->finalize (object);
}

static void
fuzz_client_stream_class_init (FuzzClientStreamClass *klass)
{
  GIOStreamClass *io_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fuzz_client_stream_finalize;
  io_class->get_input_stream = fuzz_client_stream_get_input_stream;
  io_class->get_output_stream = fuzz_client_stream_get_output_stream;
  io_class->close_async = fuzz_client_stream_close_async;
  io_class->close_finish = fuzz_client_stream_close_finish;
}

static void
fuzz_client_stream_init (FuzzClientStream *self)
{
}

/* ------------------------------------------------------------------------ */
/* frames                                                                   */

static void
append_server_frame (GByteArray   *out,
                     guint8        opcode,
                     const guint8 *payload,
                     gsize         size)
{
  guint8 header[10];
  gsize header_len = 2;

  header[0] = 0x80 | opcode;
  if (size < 126)
    header[1] = (guint8) size;
  else if (size <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = (guint8) (size >> 8);
      header[3] = (guint8) size;
      header_len = 4;
    }
  else
    {
      header[1] = 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) size >> (56 - 8 * i));
      header_len = 10;
    }
  g_byte_array_append (out, header, (guint) header_len);
  g_byte_array_append (out, payload, (guint) size);
}

/* An ack as the client writes it (C-28): a JSON object with a "status"
 * string; since STU3 also the "id" it answers. */
static void
check_ack (const guint8 *payload,
           gsize         size,
           gboolean      legacy)
{
  g_autoptr(JsonNode) root = fcm_json_parse ((const char *) payload, (gssize) size, NULL);
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    abort ();
  object = json_node_get_object (root);
  if (fcm_json_get_string (object, "status") == NULL)
    abort ();
  if (!legacy && fcm_json_get_string (object, "id") == NULL)
    abort ();
}

/* Everything the client wrote: masked frames, FIN set; text frames are acks.
 * Returns the number of acks. */
static guint
check_client_frames (const guint8 *p,
                     gsize         len,
                     gboolean      legacy)
{
  gsize pos = 0;
  guint n_acks = 0;

  while (pos < len)
    {
      guint8 opcode;
      guint64 size;
      gsize header = 6;
      g_autofree guint8 *payload = NULL;

      if (len - pos < 2)
        abort ();
      opcode = p[pos] & 0x0F;
      size = p[pos + 1] & 0x7F;
      if ((p[pos] & 0xF0) != 0x80 || (p[pos + 1] & 0x80) == 0)
        abort ();
      if (size == 126)
        {
          if (len - pos < 4)
            abort ();
          size = (guint64) p[pos + 2] << 8 | p[pos + 3];
          header = 8;
        }
      else if (size == 127)
        {
          if (len - pos < 10)
            abort ();
          size = 0;
          for (int i = 0; i < 8; i++)
            size = size << 8 | p[pos + 2 + i];
          header = 14;
        }
      if (len - pos < header || size > len - pos - header)
        abort ();
      payload = g_malloc (size + 1);
      for (gsize i = 0; i < size; i++)
        payload[i] = p[pos + header + i] ^ p[pos + header - 4 + i % 4];
      payload[size] = '\0';

      if (opcode == 0x1)
        {
          check_ack (payload, size, legacy);
          n_acks++;
        }
      else if (opcode != 0x8 && opcode != 0x9 && opcode != 0xA)
        abort ();   /* the client sends no binary frames */
      pos += header + size;
    }
  return n_acks;
}

/* ------------------------------------------------------------------------ */

static void
closed_cb (SoupWebsocketConnection *ws,
           gboolean                *closed)
{
  *closed = TRUE;
}

static void
spin_until_idle (void)
{
  guint idle = 0;

  while (idle < MAX_IDLE)
    idle = g_main_context_iteration (NULL, FALSE) ? 0 : idle + 1;
}

void
fcm_fuzz_client (const guint8 *data,
                 gsize         size)
{
  g_autoptr(FuzzClientStream) stream = NULL;
  g_autoptr(GByteArray) frames = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  FcmHubClient *client;
  FcmMonitor *monitor;
  guint8 flags;
  gsize pos = 1;
  guint n_frames = 0, idle = 0, n_acks;
  gboolean closed = FALSE;
  GBytes *written;

  if (size < 1)
    return;
  fcm_fuzz_skip_lone_wakeup_polls ();
  flags = data[0];

  frames = g_byte_array_new ();
  while (pos <= size && n_frames < MAX_MESSAGES)
    {
      const guint8 *nul = pos < size ? memchr (data + pos, '\0', size - pos) : NULL;
      gsize end = nul != NULL ? (gsize) (nul - data) : size;
      gboolean last = nul == NULL || n_frames + 1 == MAX_MESSAGES;

      if (end > pos || nul != NULL)
        {
          append_server_frame (frames, last && (flags & FLAG_LAST_BINARY) ? 0x2 : 0x1,
                               data + pos, end - pos);
          n_frames++;
        }
      if (nul == NULL)
        break;
      pos = end + 1;
    }
  if (flags & FLAG_CLOSE_FRAME)
    append_server_frame (frames, 0x8, (const guint8 *) "\x03\xe8", 2);

  stream = g_object_new (FUZZ_TYPE_CLIENT_STREAM, NULL);
  stream->input = g_memory_input_stream_new_from_data (g_memdup2 (frames->data, frames->len),
                                                       frames->len, g_free);
  stream->output = g_memory_output_stream_new_resizable ();

  client = fcm_hub_client_new ("http://127.0.0.1:9/fhircast",
                               "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37");   /* the vectors' topic */
  fcm_hub_client_set_legacy (client, (flags & FLAG_LEGACY) != 0);
  fcm_hub_client_set_subscriber_name (client, "fuzz");
  if (flags & FLAG_ACK_202)
    {
      fcm_hub_client_set_ack_policy (client, "DiagnosticReport-open", 202);
      fcm_hub_client_set_ack_policy (client, "Patient-open", 202);
    }
  if (flags & FLAG_ACK_409)
    fcm_hub_client_set_ack_policy (client, "ImagingStudy-open", 409);
  fcm_hub_client_set_resend_on_syncerror (client, (flags & FLAG_RESEND) != 0);
  /* no resubscribe while the input runs: only the path to it */
  fcm_hub_client_set_reconnect_delay (client, 600000, 600000);
  monitor = fcm_monitor_new (client);

  uri = g_uri_parse ("ws://127.0.0.1:9/fhircast/ws/fuzz", G_URI_FLAGS_NONE, NULL);
  ws = soup_websocket_connection_new (G_IO_STREAM (stream), uri, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                      NULL, NULL, NULL);
  g_signal_connect (ws, "closed", G_CALLBACK (closed_cb), &closed);
  _fcm_hub_client_attach_socket (client, g_object_ref (ws));

  while (!closed)
    {
      if (g_main_context_iteration (NULL, FALSE))
        idle = 0;
      else if (++idle > MAX_IDLE)
        {
          g_printerr ("fuzz-client: still open after all %u frames\n", n_frames);
          abort ();
        }
    }

  /* whatever the frames did, the client is still usable and lets go */
  (void) fcm_monitor_get_state (monitor);
  (void) fcm_context_store_get_current (fcm_monitor_get_context_store (monitor));
  g_object_unref (monitor);
  g_object_unref (client);
  spin_until_idle ();

  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream->output));
  n_acks = check_client_frames (g_bytes_get_data (written, NULL), g_bytes_get_size (written),
                                (flags & FLAG_LEGACY) != 0);
  g_bytes_unref (written);
  if (g_getenv ("FCM_FUZZ_VERBOSE") != NULL)
    g_printerr ("fuzz-client: %u frames, %u acks\n", n_frames, n_acks);
  if (n_acks > n_frames)
    abort ();
}

void
fcm_fuzz_client_cleanup (void)
{
  spin_until_idle ();
}

/* test-read-ahead.c: the read-ahead stream under libsoup's WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-read-ahead-stream.h"

/* bytes that differ from offset to offset, so a lost or repeated piece shows */
static GBytes *
pattern (gsize len)
{
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) ((i * 7 + i / 251) & 0xFF);
  return g_bytes_new_take (data, len);
}

/* Reads of many sizes, blocking and not, give the base stream's bytes in
 * order and then its end. */
static void
test_reads (void)
{
  static const gsize sizes[] = { 1, 1024, 7, FCM_READ_AHEAD_SIZE, 3 * FCM_READ_AHEAD_SIZE, 1000, 65535 };
  g_autoptr(GBytes) bytes = pattern (5 * FCM_READ_AHEAD_SIZE + 123);
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) ahead = fcm_read_ahead_stream_new (base);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  g_autofree guint8 *buf = g_malloc (3 * FCM_READ_AHEAD_SIZE);
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (ahead);
  gssize n;

  g_assert_true (g_pollable_input_stream_can_poll (pollable));
  for (guint i = 0;; i++)
    {
      gsize size = sizes[i % G_N_ELEMENTS (sizes)];
      g_autoptr(GError) error = NULL;

      g_assert_true (g_pollable_input_stream_is_readable (pollable));
      if (i % 2)
        n = g_pollable_input_stream_read_nonblocking (pollable, buf, size, NULL, &error);
      else
        n = g_input_stream_read (ahead, buf, size, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >=, 0);
      g_assert_cmpint (n, <=, (gssize) size);
      if (n == 0)
        break;
      g_byte_array_append (got, buf, (guint) n);
    }
  g_assert_cmpmem (got->data, got->len, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* the base stream is not closed with it */
  g_assert_true (g_input_stream_close (ahead, NULL, NULL));
  g_assert_false (g_input_stream_is_closed (base));
}

/* Only a pollable filter that does not close its base gets one. */
static void
test_insert_refused (void)
{
  g_autoptr(GBytes) bytes = pattern (100);
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (base);

  g_assert_false (fcm_read_ahead_stream_insert (base));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (buffered), FALSE);
  /* GBufferedInputStream is not pollable */
  g_assert_false (fcm_read_ahead_stream_insert (buffered));
  g_assert_true (G_FILTER_INPUT_STREAM (buffered)->base_stream == base);
}

/* ------------------------------------------------- over a real WebSocket */

#define N_MESSAGES 300

typedef struct
{
  GMainLoop *loop;
  GPtrArray *sent;                 /* GBytes */
  guint      received;
  gboolean   mismatch;
  SoupWebsocketConnection *server_ws;
  SoupWebsocketConnection *client_ws;
} Fixture;

static void
server_ws_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  Fixture *f = user_data;

  f->server_ws = g_object_ref (connection);
}

static void
client_message_cb (SoupWebsocketConnection *ws,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   Fixture                 *f)
{
  if (f->received >= f->sent->len || !g_bytes_equal (message, g_ptr_array_index (f->sent, f->received)))
    f->mismatch = TRUE;
  if (++f->received == f->sent->len)
    g_main_loop_quit (f->loop);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->client_ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (f->loop);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out");
  return G_SOURCE_REMOVE;
}

/* libsoup's WebSocket (its input stream is a filter over the socket's)
 * takes a read-ahead stream, and every message, small or spanning many
 * reads, arrives whole and in order. */
static void
test_websocket (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  GInputStream *input;
  Fixture f = { g_main_loop_new (NULL, FALSE), g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref), };
  guint timeout = g_timeout_add_seconds (30, timeout_cb, NULL);

  soup_server_add_websocket_handler (server, "/ws", NULL, NULL, server_ws_cb, &f, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("ws://127.0.0.1:%d/ws", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  msg = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connected_cb, &f);
  g_main_loop_run (f.loop);
  while (f.server_ws == NULL)
    g_main_context_iteration (NULL, TRUE);

  input = g_io_stream_get_input_stream (soup_websocket_connection_get_io_stream (f.client_ws));
  g_assert_true (fcm_read_ahead_stream_insert (input));
  g_assert_true (FCM_IS_READ_AHEAD_STREAM (G_FILTER_INPUT_STREAM (input)->base_stream));
  /* once only */
  g_assert_false (fcm_read_ahead_stream_insert (input));

  soup_websocket_connection_set_max_incoming_payload_size (f.client_ws, 1024 * 1024);
  g_signal_connect (f.client_ws, "message", G_CALLBACK (client_message_cb), &f);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      /* mostly event-sized, some a few bytes, some larger than a read-ahead */
      gsize len = i % 50 == 7 ? 3 * FCM_READ_AHEAD_SIZE / 2 : i % 10 == 3 ? 5 : 1500 + i;
      g_autoptr(GBytes) bytes = pattern (len);

      g_ptr_array_add (f.sent, g_bytes_ref (bytes));
      soup_websocket_connection_send_message (f.server_ws, SOUP_WEBSOCKET_DATA_BINARY, bytes);
    }
  g_main_loop_run (f.loop);
  g_assert_false (f.mismatch);
  g_assert_cmpuint (f.received, ==, N_MESSAGES);

  /* and the close handshake still goes through it */
  soup_websocket_connection_close (f.client_ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (f.client_ws) != SOUP_WEBSOCKET_STATE_CLOSED ||
         soup_websocket_connection_get_state (f.server_ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_websocket_connection_get_close_code (f.server_ws), ==, SOUP_WEBSOCKET_CLOSE_NORMAL);

  g_source_remove (timeout);
  g_clear_object (&f.client_ws);
  g_clear_object (&f.server_ws);
  g_ptr_array_unref (f.sent);
  g_main_loop_unref (f.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/read-ahead/reads", test_reads);
  g_test_add_func ("/fcm/read-ahead/insert-refused", test_insert_refused);
  g_test_add_func ("/fcm/read-ahead/websocket", test_websocket);
  return g_test_run ();
}

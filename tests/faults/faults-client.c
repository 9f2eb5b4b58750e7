/* faults-client.c: the subscriber library against a hostile hub
 *
 * Issue 14.10. An FcmHubClient (the library under the app and `fhircast
 * watch`) subscribes to a hub in this process that is well-behaved once,
 * then drops the socket and answers every resubscribe with something
 * else: a 500, redirects to itself (followed by none), garbage instead of HTTP, a WebSocket frame
 * that announces 1 TiB, garbage frames, a flood of 20,000 pings, and a
 * request it never answers. The client must stay up through all of it
 * (no crash, no critical: they are fatal here), keep resubscribing with a
 * growing backoff, use under 5 % of a CPU while it backs off, and come back
 * to active as soon as the hub behaves again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "fcm-client.h"
#include "fcm-test-util.h"
#include "fcm-faults-util.h"

typedef enum
{
  MODE_NORMAL,
  MODE_500,
  MODE_REDIRECT_LOOP,
  MODE_GARBAGE,
  MODE_HUGE_FRAME,
  MODE_GARBAGE_FRAMES,
  MODE_PING_FLOOD,
  MODE_HANG,
  MODE_500_FOREVER,      /* while the CPU is measured */
  N_MODES
} Mode;

static const char *const mode_names[] = {
  "normal", "500", "redirect loop", "garbage", "1 TiB frame", "garbage frames", "ping flood", "hang",
  "500 while backing off",
};

typedef struct
{
  GSocketService *service;
  guint           port;
  Mode            mode;          /* what the next subscribe gets */
  Mode            ws_mode;       /* what the WebSocket of the last 202 gets */
  guint           subscribes;
  guint           redirects;
  gboolean        behave;        /* from now on, normal */
  GPtrArray      *held;          /* connections never answered */
} Hub;

typedef struct
{
  Hub               *hub;
  GSocketConnection *conn;
  GString           *in;
  guint8             buffer[16384];
} Conn;

static void conn_read (Conn *c);

static void
conn_free (Conn *c)
{
  g_io_stream_close (G_IO_STREAM (c->conn), NULL, NULL);
  g_object_unref (c->conn);
  g_string_free (c->in, TRUE);
  g_free (c);
}

static void
write_all (Conn       *c,
           const void *data,
           gsize       length)
{
  /* small answers to a loopback peer: the blocking write never waits long */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (c->conn)), data, length, NULL, NULL, NULL);
}

static void
write_text (Conn       *c,
            const char *text)
{
  write_all (c, text, strlen (text));
}

static void
ws_frame (Conn        *c,
          guint8       opcode,
          const char  *payload,
          gsize        length)
{
  guint8 head[2] = { 0x80 | opcode, (guint8) length };

  g_assert_cmpuint (length, <, 126);
  write_all (c, head, 2);
  write_all (c, payload, length);
}

static gboolean
drop_cb (gpointer data)
{
  GIOStream *stream = data;

  if (!g_io_stream_is_closed (stream))
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), (guint8[]) { 0x88, 2, 0x03, 0xf3 }, 4,
                               NULL, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
answer_upgrade (Conn       *c,
                const char *request)
{
  const char *key = strstr (request, "Sec-WebSocket-Key: ");
  g_autofree char *key_value = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  g_autofree char *accept = NULL;
  g_autofree char *answer = NULL;
  const char *confirm = "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"t\",\"hub.events\":\"DiagnosticReport-open\","
                        "\"hub.lease_seconds\":3600}";
  Mode mode = c->hub->ws_mode;

  g_assert_nonnull (key);
  key += strlen ("Sec-WebSocket-Key: ");
  key_value = g_strndup (key, strcspn (key, "\r"));
  g_checksum_update (sha1, (const guchar *) key_value, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &digest_len);
  accept = g_base64_encode (digest, digest_len);
  answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  write_text (c, answer);
  ws_frame (c, 0x1, confirm, strlen (confirm));

  switch ((int) mode)
    {
    case MODE_HUGE_FRAME:
      {
        /* a text frame of 2^40 bytes, and the first few of them */
        static const guint8 huge[] = { 0x81, 127, 0, 0, 0x01, 0, 0, 0, 0, 0 };

        write_all (c, huge, sizeof huge);
        write_text (c, "{\"id\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
      }
      break;
    case MODE_GARBAGE_FRAMES:
      for (guint i = 0; i < 100; i++)
        ws_frame (c, 0x1, "{]not json", 10);
      /* reserved opcode, then reserved bits */
      write_all (c, (guint8[]) { 0x83, 0 }, 2);
      write_all (c, (guint8[]) { 0xF1, 3, 'a', 'b', 'c' }, 5);
      break;
    case MODE_PING_FLOOD:
      for (guint i = 0; i < 20000; i++)
        ws_frame (c, 0x9, "ping", 4);
      write_all (c, (guint8[]) { 0x88, 2, 0x03, 0xf3 }, 4);   /* close 1011 */
      break;
    default:
      /* normal: drop it a moment later */
      g_timeout_add_full (G_PRIORITY_DEFAULT, 300, drop_cb, g_object_ref (c->conn), g_object_unref);
      break;
    }
}

static void
answer_post (Conn *c)
{
  Hub *hub = c->hub;
  Mode mode = hub->behave ? MODE_NORMAL : hub->mode;
  g_autofree char *text = NULL;

  hub->subscribes++;
  /* redirects to itself, three times (the client follows none: each is a
   * failed resubscribe, and it backs off) */
  if (mode == MODE_REDIRECT_LOOP && ++hub->redirects < 3)
    hub->subscribes--;
  else if (!hub->behave && hub->mode < MODE_500_FOREVER)
    hub->mode++;
  switch ((int) mode)
    {
    case MODE_500:
    case MODE_500_FOREVER:
      write_text (c, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nerror");
      break;
    case MODE_REDIRECT_LOOP:
      text = g_strdup_printf ("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:%u/hub\r\n"
                              "Content-Length: 0\r\n\r\n", hub->port);
      write_text (c, text);
      g_string_truncate (c->in, 0);
      conn_read (c);   /* keep-alive: it comes back on this connection */
      return;
    case MODE_GARBAGE:
      {
        guint8 junk[4096];

        for (guint i = 0; i < sizeof junk; i++)
          junk[i] = (guint8) g_random_int ();
        write_all (c, junk, sizeof junk);
      }
      break;
    case MODE_HANG:
      g_ptr_array_add (hub->held, c);
      return;
    default:
      /* 202 and an endpoint; the WebSocket then gets @mode */
      hub->ws_mode = mode;
      text = g_strdup_printf ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n"
                              "{\"hub.channel.endpoint\":\"ws://127.0.0.1:%u/ws/0123456789abcdef\"}",
                              strlen ("{\"hub.channel.endpoint\":\"ws://127.0.0.1:00000/ws/0123456789abcdef\"}"),
                              hub->port);
      write_text (c, text);
      g_string_truncate (c->in, 0);
      conn_read (c);
      return;
    }
  conn_free (c);
}

static void
conn_handle (Conn *c)
{
  const char *end = strstr (c->in->str, "\r\n\r\n");
  const char *length;
  gsize body;

  if (end == NULL)
    {
      conn_read (c);
      return;
    }
  length = g_strstr_len (c->in->str, end - c->in->str, "Content-Length: ");
  body = length != NULL ? (gsize) g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10) : 0;
  if (c->in->len < (gsize) (end + 4 - c->in->str) + body)
    {
      conn_read (c);
      return;
    }
  if (g_str_has_prefix (c->in->str, "GET /ws/"))
    {
      answer_upgrade (c, c->in->str);
      /* the connection ends when the client closes it */
      g_string_truncate (c->in, 0);
      conn_read (c);
      return;
    }
  if (g_str_has_prefix (c->in->str, "GET "))
    {
      /* Get Current Context */
      write_text (c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]");
      g_string_truncate (c->in, 0);
      conn_read (c);
      return;
    }
  if (strstr (c->in->str, "hub.mode=unsubscribe") != NULL)
    {
      write_text (c, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
      g_string_truncate (c->in, 0);
      conn_read (c);
      return;
    }
  g_string_truncate (c->in, 0);
  answer_post (c);
}

static void
conn_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Conn *c = data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      if (c->hub->held != NULL && g_ptr_array_remove (c->hub->held, c))
        return;
      conn_free (c);
      return;
    }
  g_string_append_len (c->in, (const char *) c->buffer, n);
  conn_handle (c);
}

static void
conn_read (Conn *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->conn)), c->buffer, sizeof c->buffer,
                             G_PRIORITY_DEFAULT, NULL, conn_read_cb, c);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Hub               *hub)
{
  Conn *c = g_new0 (Conn, 1);

  c->hub = hub;
  c->conn = g_object_ref (connection);
  c->in = g_string_new (NULL);
  conn_read (c);
  return TRUE;
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
test_hostile_hub (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  Hub hub = { NULL, };
  gboolean done = FALSE;
  double cpu_start, cpu;
  gint64 window_start, window, recovered;
  guint seen_mode = MODE_NORMAL, subscribes_in_window;

  hub.service = g_socket_service_new ();
  hub.held = g_ptr_array_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (hub.service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  hub.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (hub.service, "incoming", G_CALLBACK (incoming_cb), &hub);
  url = g_strdup_printf ("http://127.0.0.1:%u/hub", hub.port);

  client = fcm_hub_client_new (url, "t");
  /* a short backoff and request timeout so that the scenario fits in a
   * test run; the same code paths as the defaults (1 s … 60 s, 10 s) */
  fcm_hub_client_set_reconnect_delay (client, 100, 1600);
  fcm_hub_client_set_request_timeout (client, 1500);
  fcm_hub_client_set_keepalive (client, 0);
  fcm_hub_client_subscribe_async (client, NULL, subscribed_cb, &done);
  FCM_TEST_WAIT_UNTIL (done);

  /* through every hostile answer */
  while (hub.mode < MODE_500_FOREVER)
    {
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      while (hub.mode == seen_mode)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
      seen_mode = hub.mode;
      g_test_message ("resubscribe %u: %s", hub.subscribes, mode_names[MIN (seen_mode - 1, N_MODES - 1)]);
      g_assert_cmpint (fcm_hub_client_get_state (client), !=, FCM_CLIENT_STATE_ERROR);
    }

  /* backing off against a hub that answers 500: CPU over 5 s */
  faults_run_for (500);
  cpu_start = own_cpu_seconds ();
  window_start = g_get_monotonic_time ();
  subscribes_in_window = hub.subscribes;
  faults_run_for (5000);
  cpu = own_cpu_seconds () - cpu_start;
  window = g_get_monotonic_time () - window_start;
  subscribes_in_window = hub.subscribes - subscribes_in_window;
  g_assert_cmpint (fcm_hub_client_get_state (client), ==, FCM_CLIENT_STATE_RECONNECTING);

  /* the hub behaves again: the client is back */
  hub.behave = TRUE;
  recovered = g_get_monotonic_time ();
  FCM_TEST_WAIT_UNTIL (hub.ws_mode == MODE_NORMAL && hub.subscribes > subscribes_in_window &&
                       fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  recovered = g_get_monotonic_time () - recovered;

  g_print ("# FIGURE hostile hub: client up through %u subscribes (500, redirect loop, garbage, 1 TiB frame, "
           "garbage frames, 20,000 pings, hang); backing off: %u resubscribes and %.1f %% CPU over %.1f s "
           "(limit 5 %%); active again %.0f ms after the hub behaved; %u redirects in a row refused\n",
           hub.subscribes, subscribes_in_window, 100.0 * cpu / (window / 1e6), window / 1e6, recovered / 1000.0,
           hub.redirects);
  g_assert_cmpfloat (cpu / (window / 1e6), <, 0.05);

  g_clear_object (&client);
  g_socket_service_stop (hub.service);
  g_socket_listener_close (G_SOCKET_LISTENER (hub.service));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_foreach (hub.held, (GFunc) (void (*) (void)) conn_free, NULL);
  g_ptr_array_unref (hub.held);
  g_object_unref (hub.service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fcm/faults/hostile-hub", test_hostile_hub);
  return g_test_run ();
}

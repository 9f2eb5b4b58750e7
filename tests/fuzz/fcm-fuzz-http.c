/* fcm-fuzz-http.c: the hub's HTTP request handling, over loopback
 *
 * The input is what one client sends on one HTTP/1.1 connection (one or
 * more requests, pipelined, bodies and all) before it half-closes; the hub
 * answers until it closes its side. This reaches everything behind the
 * hub's SoupServer: method, path and query dispatch, headers, the 1 MiB
 * checks, subscription forms, context changes in JSON, the admin endpoints,
 * and, through the 2019 prototype's socket on /{topic} (legacy mode), a
 * WebSocket upgrade with the rest of the input as frames.
 *
 * Every input meets a hub in the state a new one is in: one hub listens
 * across inputs (a new hub and listening socket per input cost more than
 * the input itself), and is only kept for the next input when it is back
 * where it started: no subscriber, topic, retired endpoint id, pending ack,
 * delayed notification, async job, quota entry or closing socket, no
 * sequence number used, no timer of its own started (hub_is_pristine()
 * reads them from fcm-hub-private.h). Otherwise it is shut down and the
 * next input gets a new one. What carries over: the port (a new hub gets a
 * new one), memory addresses, and the TCP connections of earlier inputs
 * that this side has closed and the hub has not let go of yet (it gives a
 * peer that left END_GRACE_MS, and an early answer its drain time): they
 * get no more data and can only end, the new input comes on a connection
 * of its own. Only loopback, no sleeps: the main
 * context is iterated until the hub closed the connection or has nothing
 * left to do (hub timers are not waited for; the shutdown that follows
 * meets them pending). A 500 answer aborts: bad input must get a 4xx with a
 * reason; so does an answer body that is not UTF-8. A hub that spins is caught by libFuzzer's -timeout.
 * FCM_FUZZ_DEBUG=1 prints what the hub answered.
 *
 * Why a socket rather than an in-memory stream, as the ws target does:
 * soup_server_accept_iostream() needs the hub's SoupServer, which FcmHub
 * does not expose (see README, Fuzzing).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fcm-fuzz.h"
#include "fcm-hub-private.h"

#define HANG_SECONDS 10
#define MAX_CAPTURE  (64 * 1024)

typedef struct
{
  gboolean hung;
  gboolean ready;
  guint    hang_id;
} Wait;

/* Only a hang while the harness waits for the hub to take data counts
 * (wait_socket()); the timer may also run out later, when the process got
 * no CPU for a while (a SCHED_IDLE fuzzer next to a build). */
static gboolean
hang_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->hung = TRUE;
  wait->hang_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
socket_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  ((Wait *) user_data)->ready = TRUE;
  return G_SOURCE_CONTINUE;
}

/* Runs the hub until the client socket can take more. */
static void
wait_socket (Wait *wait)
{
  wait->ready = FALSE;
  while (!wait->ready)
    {
      g_main_context_iteration (NULL, TRUE);
      if (wait->hung)
        {
          g_printerr ("fuzz-http: the hub took no data for %d s\n", HANG_SECONDS);
          abort ();
        }
    }
}

/* Every answer on the connection: a status line that is not 500, headers,
 * a Content-Length body (none after an answer to HEAD: the next answer
 * follows the headers at once); after a 101 the rest is WebSocket frames. */
static void
check_answers (const GByteArray *response)
{
  const char *p = (const char *) response->data;
  const char *end;

  /* nothing at all is fine (the hub may close an unparsable request) */
  if (response->len == 0)
    return;
  end = p + response->len;
  while (p < end)
    {
      const char *headers_end;
      const char *cl;
      guint64 length = 0;

      if (end - p < 12 || (memcmp (p, "HTTP/1.1 ", 9) != 0 && memcmp (p, "HTTP/1.0 ", 9) != 0))
        {
          g_printerr ("fuzz-http: not an HTTP answer\n");
          abort ();
        }
      if (memcmp (p + 9, "500", 3) == 0)
        {
          g_printerr ("fuzz-http: 500 for client input\n");
          abort ();
        }
      if (memcmp (p + 9, "101", 3) == 0)
        return;
      headers_end = g_strstr_len (p, end - p, "\r\n\r\n");
      if (headers_end == NULL)
        return;   /* cut short (capture limit, or the hub closed) */
      cl = g_strstr_len (p, headers_end - p, "\r\nContent-Length: ");
      if (cl != NULL)
        length = g_ascii_strtoull (cl + strlen ("\r\nContent-Length: "), NULL, 10);
      p = headers_end + 4;
      /* an answer to HEAD announces the body it leaves out (the harness
       * does not parse the requests it sends, which may be garbled) */
      if (length > 0 && end - p >= 9 && (memcmp (p, "HTTP/1.1 ", 9) == 0 || memcmp (p, "HTTP/1.0 ", 9) == 0))
        continue;
      if (length > (guint64) (end - p))
        return;
      /* every body the hub writes is JSON or text/plain; charset=utf-8 */
      if (!g_utf8_validate_len (p, length, NULL))
        {
          g_autofree char *shown = g_strndup (p, MIN (length, 300));
          g_autofree char *escaped = g_strescape (shown, NULL);

          g_printerr ("fuzz-http: an answer body is not UTF-8: %s\n", escaped);
          abort ();
        }
      p += length;
    }
}

/* the hub the next input meets, and where it listens */
static FcmHub *hub;
static GSocketAddress *hub_address;
static guint hub_heartbeat_id;

/* iterations after an input for the hub to finish what it does at once */
#define MAX_SETTLE 1024

static void
hub_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  hub = fcm_hub_new ();
  /* the prototype's socket (/{topic}) and the admin endpoints are in reach */
  fcm_hub_set_legacy (hub, TRUE);
  fcm_hub_set_admin (hub, TRUE);
  if (!fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error))
    g_error ("listen: %s", error->message);
  uri = g_uri_parse (fcm_hub_get_url (hub), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  hub_address = g_inet_socket_address_new (loopback, g_uri_get_port (uri));
  hub_heartbeat_id = hub->heartbeat_id;
}

static void
hub_stop (void)
{
  if (hub == NULL)
    return;
  fcm_hub_shutdown (hub);
  g_clear_object (&hub);
  g_clear_object (&hub_address);
  /* closes and frees still under way */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
table_empty (GHashTable *table)
{
  return table == NULL || g_hash_table_size (table) == 0;
}

/* Everything a request can change in an FcmHub (fcm-hub-private.h) is as
 * in a new one. Settings are not on the list: no request changes them. Nor
 * are connections, idle_queue and early_answers: what is left there is
 * connections this side closed (see the top of the file). */
static gboolean
hub_is_pristine (void)
{
  return table_empty (hub->subscribers) && table_empty (hub->retired) &&
         table_empty (hub->topics) && table_empty (hub->closing) &&
         table_empty (hub->delayed) && table_empty (hub->async_jobs) &&
         table_empty (hub->quota) && table_empty (hub->changed_topics) &&
         table_empty (hub->introspected) && table_empty (hub->introspecting) &&
         g_queue_is_empty (&hub->ack_queue) && hub->ack_timer_id == 0 &&
         hub->next_seq == 0 && hub->subscribers_peak == 0 && hub->trim_id == 0 &&
         hub->changed_id == 0 && hub->heartbeat_id == hub_heartbeat_id &&
         hub->audit_rec == NULL && !hub->request_paused && !hub->shutting_down;
}

/* After an input: keep the hub for the next one only if it is as new. */
static void
hub_settle (void)
{
  for (guint i = 0; i < MAX_SETTLE && g_main_context_iteration (NULL, FALSE); i++)
    ;
  if (!hub_is_pristine ())
    hub_stop ();
}

void
fcm_fuzz_http (const guint8 *data,
               gsize         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  Wait wait = { FALSE, FALSE, 0 };
  gsize sent = 0;

  if (hub == NULL)
    hub_start ();

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* a loopback connect completes in the kernel, before the hub accepts */
  if (!g_socket_connect (socket, hub_address, NULL, &error))
    g_error ("connect: %s", error->message);
  g_socket_set_blocking (socket, FALSE);

  wait.hang_id = g_timeout_add_seconds (HANG_SECONDS, hang_cb, &wait);

  /* send it all, while the hub reads (and may already answer) */
  while (sent < size)
    {
      gssize n = g_socket_send (socket, (const char *) data + sent, size - sent, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          source = g_socket_create_source (socket, G_IO_OUT | G_IO_HUP | G_IO_ERR, NULL);
          g_source_set_callback (source, G_SOURCE_FUNC (socket_ready_cb), &wait, NULL);
          g_source_attach (source, NULL);
          wait_socket (&wait);
          g_source_destroy (source);
          g_clear_pointer (&source, g_source_unref);
          continue;
        }
      if (n < 0)
        {
          /* the hub closed early (an answer before the whole body) */
          g_clear_error (&error);
          break;
        }
      sent += n;
    }
  g_socket_shutdown (socket, FALSE, TRUE, NULL);

  /* read until the hub closes, or has nothing more to do: libsoup 3.2.3
   * leaves an idle keep-alive connection open after the peer half-closed */
  for (;;)
    {
      gboolean progress = FALSE, eof = FALSE;

      while (g_main_context_iteration (NULL, FALSE))
        progress = TRUE;
      for (;;)
        {
          char buf[16384];
          gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);

          if (n > 0)
            {
              if (response->len < MAX_CAPTURE)
                g_byte_array_append (response, (const guint8 *) buf, MIN ((gsize) n, MAX_CAPTURE - response->len));
              progress = TRUE;
              continue;
            }
          if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_clear_error (&error);
          else
            {
              g_clear_error (&error);   /* end of stream, or a reset */
              eof = TRUE;
            }
          break;
        }
      if (eof || !progress)
        break;
    }
  g_socket_close (socket, NULL);
  g_clear_handle_id (&wait.hang_id, g_source_remove);

  if (g_getenv ("FCM_FUZZ_DEBUG") != NULL)
    g_printerr ("fuzz-http: answer:\n%.*s\n", (int) response->len, response->data);
  check_answers (response);

  hub_settle ();
}

void
fcm_fuzz_http_cleanup (void)
{
  hub_stop ();
}

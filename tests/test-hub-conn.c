/* test-hub-conn.c: the hub's connections and request bodies
 *
 * Issue 14 points 3, 5 and 6 (backlog): connections closed by the peer
 * between two requests are closed by the hub too (SoupServer left them in
 * CLOSE-WAIT), so are those closed with a request half sent (14.10),
 * idle ones are closed after the idle timeout, a burst of
 * connects fits the listen queue, accepted sockets are freed and a failed
 * accept (no file descriptor left) is tried again, and request bodies are neither read
 * before the request is authorized nor past the 1 MiB limit. The hub runs
 * in this process; the client speaks raw HTTP over loopback sockets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define TOPIC "9c2f7e1a-3b5d-4c8e-a1f0-6d7e8b9c0a12"

typedef struct
{
  FcmHub *hub;
  char   *url;
  char   *host_port;   /* "127.0.0.1:PORT" */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  f->hub = fcm_hub_new ();
  if (data != NULL)
    fcm_hub_set_secret (f->hub, data);
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->url = g_strdup (fcm_hub_get_url (f->hub));
  uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, NULL);
  f->host_port = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fcm_hub_shutdown (f->hub);
  g_clear_object (&f->hub);
  g_free (f->url);
  g_free (f->host_port);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One request on a new connection; the connection is returned, open. */
static GSocket *
raw_request (Fixture     *f,
             const char  *method,
             const char  *path,
             const char  *headers,
             const char  *body,
             guint       *out_status,
             char       **out_body)
{
  GSocket *socket = fcm_test_raw_connect (f->url);
  g_autofree char *length = body != NULL ? g_strdup_printf ("Content-Length: %zu\r\n", strlen (body)) : NULL;
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: %s\r\n%s%s\r\n%s", method, path,
                                              f->host_port, headers != NULL ? headers : "",
                                              length != NULL ? length : "", body != NULL ? body : "");

  g_assert_true (fcm_test_raw_send (socket, request, strlen (request)));
  *out_status = fcm_test_raw_read_answer (socket, out_body);
  return socket;
}

static void
subscribe_unconnected (Fixture *f)
{
  g_autofree char *form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                                            "hub.topic", TOPIC, "hub.events", "x-custom", NULL);
  g_autoptr(GSocket) socket = NULL;
  guint status = 0;

  socket = raw_request (f, "POST", "/fhircast", "Content-Type: application/x-www-form-urlencoded\r\n", form,
                        &status, NULL);
  g_assert_cmpuint (status, ==, 202);
  g_socket_close (socket, NULL);
}

/* ------------------------------------------------------------------------ */
/* connections                                                               */

/* The listen queue of the TCP listener on @port (inet_diag: for a listener,
 * idiag_wqueue is its backlog); -1 when sock_diag can't be used here. */
static int
listen_backlog (guint16 port)
{
  struct
  {
    struct nlmsghdr         header;
    struct inet_diag_req_v2 request;
  } query = { { 0, }, { 0, } };
  union
  {
    char            bytes[16384];
    struct nlmsghdr align;
  } answer;
  int fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  int backlog = -1;

  if (fd < 0)
    return -1;
  query.header.nlmsg_len = sizeof query;
  query.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  query.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  query.request.sdiag_family = AF_INET;
  query.request.sdiag_protocol = IPPROTO_TCP;
  query.request.idiag_states = 1 << 10;   /* TCP_LISTEN */
  if (send (fd, &query, sizeof query, 0) < 0)
    {
      close (fd);
      return -1;
    }
  for (;;)
    {
      ssize_t n = recv (fd, answer.bytes, sizeof answer.bytes, 0);
      struct nlmsghdr *h = &answer.align;

      if (n <= 0)
        break;
      for (; NLMSG_OK (h, (size_t) n); h = NLMSG_NEXT (h, n))
        {
          struct inet_diag_msg *m = NLMSG_DATA (h);

          if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
            goto done;
          if (ntohs (m->id.idiag_sport) == port)
            backlog = (int) m->idiag_wqueue;
        }
    }
done:
  close (fd);
  return backlog;
}

/* Issue 14.6: a listen queue of 10 stalled bursts of connects for a second
 * (the SYN retransmit); the hub listens with a queue of 1024 now. */
static void
test_backlog (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GUri) uri = g_uri_parse (f->url, G_URI_FLAGS_NONE, NULL);
  int backlog = listen_backlog ((guint16) g_uri_get_port (uri));
  GSocket *burst[200];

  if (backlog < 0)
    {
      g_test_skip ("no sock_diag netlink here");
      return;
    }
  g_test_message ("listen backlog %d", backlog);
  g_assert_cmpint (backlog, >=, 200);

  /* 200 connects while the hub is not running: all are queued */
  for (guint i = 0; i < G_N_ELEMENTS (burst); i++)
    burst[i] = fcm_test_raw_connect (f->url);
  for (guint i = 0; i < G_N_ELEMENTS (burst); i++)
    {
      g_assert_true (g_socket_is_connected (burst[i]));
      g_object_unref (burst[i]);
    }
}

/* @n events, each POSTed on a connection of its own that is closed after
 * the answer, as `fhircast publish` or a libsoup client does */
static void
publish_then_close (Fixture    *f,
                    guint       n,
                    const char *id_prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"%s-%u\","
                                                "\"event\":{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"x-custom\","
                                                "\"context\":[]}}", id_prefix, i);
      g_autoptr(GSocket) socket = NULL;
      guint status = 0;

      socket = raw_request (f, "POST", "/fhircast", "Content-Type: application/json\r\n", event, &status, NULL);
      g_assert_cmpuint (status, ==, 200);
      g_socket_close (socket, NULL);
      g_main_context_iteration (NULL, FALSE);
    }
}

/* Issue 14.3: every `fhircast publish` (a request on a keep-alive
 * connection, then close) left one connection in CLOSE-WAIT in the hub for
 * good. After 1,000 of them the hub's descriptors are back where they
 * started. */
static void
test_closed_keep_alive (Fixture       *f,
                        gconstpointer  data)
{
  guint before = fcm_test_count_fds ();
  /* 1,000 (100 in the slow setups: valgrind, ASan) */
  guint n = fcm_test_timeout_scale () > 1 ? 100 : 1000;

  subscribe_unconnected (f);
  publish_then_close (f, n, "keep-alive");
  FCM_TEST_WAIT_UNTIL (fcm_test_count_fds () <= before);
  g_test_message ("descriptors before %u, after %u", before, fcm_test_count_fds ());
}

static gboolean
busy_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

/* The same in a main loop that always has something to do at the default
 * priority, as the app's does under load (issue 15.1: the built-in hub
 * shares it with 2,000 events a second): the watch on closed connections
 * must still run. At a lower priority it never did, and every POST of a
 * client that opens a connection per request (libsoup's SoupSession does)
 * stayed in CLOSE-WAIT, with a socket source that every turn polled. */
static void
test_closed_keep_alive_busy (Fixture       *f,
                             gconstpointer  data)
{
  guint before = fcm_test_count_fds ();
  guint turns = 0;
  guint busy = g_idle_add_full (G_PRIORITY_DEFAULT, busy_cb, &turns, NULL);

  subscribe_unconnected (f);
  publish_then_close (f, 200, "busy");
  FCM_TEST_WAIT_UNTIL (fcm_test_count_fds () <= before);
  g_test_message ("descriptors before %u, after %u; %u busy turns", before, fcm_test_count_fds (), turns);
  g_assert_cmpuint (turns, >, 0);
  g_source_remove (busy);
}

/* A keep-alive connection without a request for the idle timeout is
 * closed by the hub; one in use is not. */
static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wk = NULL;
  g_autoptr(GSocket) idle = NULL;
  g_autoptr(GSocket) silent = NULL;
  g_autofree char *request = g_strdup_printf ("GET /.well-known/fhircast-configuration HTTP/1.1\r\nHost: %s\r\n\r\n",
                                              f->host_port);
  guint before = fcm_test_count_fds ();
  guint status = 0;

  fcm_hub_set_idle_timeout (f->hub, 0.5 * fcm_test_timeout_scale ());
  idle = raw_request (f, "GET", "/.well-known/fhircast-configuration", NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  /* the same connection again: still served */
  g_assert_true (fcm_test_raw_send (idle, request, strlen (request)));
  g_assert_cmpuint (fcm_test_raw_read_answer (idle, NULL), ==, 200);
  /* a connection that never sends a request is idle too */
  silent = fcm_test_raw_connect (f->url);
  g_assert_true (fcm_test_raw_wait_closed (idle));
  g_assert_true (fcm_test_raw_wait_closed (silent));
  g_socket_close (idle, NULL);
  g_socket_close (silent, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_test_count_fds () <= before);
}

/* Issue 14.10: a connection its peer closes is freed at once whatever
 * state it is in (never a request, headers half sent, a body half sent,
 * between two requests), not at the idle timeout (here 600 s, so only the
 * peer's close can free them). */
static void
test_closed_half_open (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *get = g_strdup_printf ("GET /.well-known/fhircast-configuration HTTP/1.1\r\nHost: %s\r\n\r\n",
                                          f->host_port);
  g_autofree char *headers = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: appl",
                                              f->host_port);
  g_autofree char *body = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: 1000\r\n\r\n{\"id\":", f->host_port);
  g_autofree char *chunked = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                              "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"id\":", f->host_port);
  const char *states[] = { NULL, headers, body, chunked, get };
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  guint before = fcm_test_count_fds ();
  gint64 start;

  fcm_hub_set_idle_timeout (f->hub, 600);
  for (guint i = 0; i < 20 * G_N_ELEMENTS (states); i++)
    {
      GSocket *socket = fcm_test_raw_connect (f->url);
      const char *sent = states[i % G_N_ELEMENTS (states)];

      if (sent != NULL)
        g_assert_true (fcm_test_raw_send (socket, sent, strlen (sent)));
      if (sent == get)
        g_assert_cmpuint (fcm_test_raw_read_answer (socket, NULL), ==, 200);
      g_ptr_array_add (sockets, socket);
    }
  /* the hub has taken them all (a descriptor each, besides ours) and read
   * what they sent */
  FCM_TEST_WAIT_UNTIL (fcm_test_count_fds () >= before + 2 * sockets->len);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 200 * G_TIME_SPAN_MILLISECOND)
    g_main_context_iteration (NULL, FALSE);

  g_ptr_array_set_size (sockets, 0);   /* closes them */
  start = g_get_monotonic_time ();
  FCM_TEST_WAIT_UNTIL (fcm_test_count_fds () <= before);
  g_test_message ("%u connections freed in %.0f ms", 20 * (guint) G_N_ELEMENTS (states),
                  (g_get_monotonic_time () - start) / 1000.0);
}

/* A client may send its requests, then close its side (`printf … | nc -N`
 * does): libsoup reads the second request along with the first, and the
 * end of the stream is all the socket has left once the first is
 * answered. The watch for peers that go must not close the connection
 * then (it did: the second request found its socket closed); every
 * request is answered, then the connection closed. */
static void
test_pipelined_half_close (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GSocket) socket = fcm_test_raw_connect (f->url);
  g_autofree char *get = g_strdup_printf ("GET /.well-known/fhircast-configuration HTTP/1.1\r\nHost: %s\r\n\r\n",
                                          f->host_port);
  g_autofree char *requests = g_strconcat (get, get, get, NULL);
  g_autoptr(GString) in = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) (10 * G_USEC_PER_SEC * fcm_test_timeout_scale ());
  guint answers = 0;

  g_assert_true (fcm_test_raw_send (socket, requests, strlen (requests)));
  g_assert_true (g_socket_shutdown (socket, FALSE, TRUE, NULL));
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        g_string_append_len (in, buffer, n);
      else if (n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;   /* the end of the stream, or a reset */
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  for (const char *p = in->str; (p = strstr (p, "HTTP/1.1 200 OK\r\n")) != NULL; p++)
    answers++;
  g_assert_cmpuint (answers, ==, 3);
}

/* ------------------------------------------------------------------------ */
/* bodies                                                                    */

/* A POST whose Content-Length @length is refused from its headers:
 * @status with @reason, and the connection closed. */
static void
expect_refused_length (Fixture    *f,
                       const char *length,
                       guint       status,
                       const char *reason)
{
  g_autoptr(GSocket) socket = fcm_test_raw_connect (f->url);
  g_autofree char *head = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %s\r\n\r\n{}", f->host_port, length);
  g_autofree char *answer = NULL;

  g_assert_true (fcm_test_raw_send (socket, head, strlen (head)));
  g_assert_cmpuint (fcm_test_raw_read_answer (socket, &answer), ==, status);
  g_assert_cmpstr (answer, ==, reason);
  g_assert_true (fcm_test_raw_wait_closed (socket));
}

/* Issue 14.5: an announced body over 1 MiB is refused before any of it is
 * sent. */
static void
test_announced_too_large (Fixture       *f,
                          gconstpointer  data)
{
  expect_refused_length (f, "300000000", 413, "request body larger than 1 MiB");
}

/* Found by fuzz-http: a Content-Length of 2^63 or more comes out of
 * libsoup negative; its body stream warned (a GLib warning: fatal here)
 * and read to the end of the connection. A 400 from the headers alone. */
static void
test_negative_length (Fixture       *f,
                      gconstpointer  data)
{
  expect_refused_length (f, "18446744073709551004", 400, "invalid Content-Length");
}

/* Issue 14.5: a chunked body was read whole before the 1 MiB check (300 MB:
 * RSS 11 → 614 MB). Now the hub answers 413 and closes once 1 MiB has come;
 * this process (hub and client) grows by a few MiB while the client tries
 * to send 64 MiB. */
static void
test_chunked_too_large (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSocket) socket = fcm_test_raw_connect (f->url);
  g_autofree char *head = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n", f->host_port);
  g_autofree char *chunk = NULL;
  g_autofree char *reason = NULL;
  gsize chunk_size = 64 * 1024, header, sent = 0;
  gsize rss_before = fcm_test_rss_kib ();

  /* one chunk: its size line, 64 KiB of spaces, CRLF */
  chunk = g_malloc (chunk_size + 32);
  header = (gsize) g_snprintf (chunk, 32, "%zx\r\n", chunk_size);
  memset (chunk + header, ' ', chunk_size);
  memcpy (chunk + header + chunk_size, "\r\n", 2);
  chunk_size += header + 2;

  g_assert_true (fcm_test_raw_send (socket, head, strlen (head)));
  while (sent < 64 * 1024 * 1024 && fcm_test_raw_send (socket, chunk, chunk_size))
    sent += chunk_size;
  g_test_message ("sent %" G_GSIZE_FORMAT " bytes; RSS grew by %" G_GSIZE_FORMAT " KiB", sent,
                  fcm_test_rss_kib () - MIN (rss_before, fcm_test_rss_kib ()));
  g_assert_cmpuint (fcm_test_raw_read_answer (socket, &reason), ==, 413);
  g_assert_cmpstr (reason, ==, "request body larger than 1 MiB");
  /* the hub stopped reading: the client could not send it all */
  g_assert_cmpuint (sent, <, 64 * 1024 * 1024);
  /* RSS means nothing under valgrind or ASan (the slow setups) */
  if (fcm_test_timeout_scale () == 1)
    g_assert_cmpuint (fcm_test_rss_kib (), <, rss_before + 16 * 1024);
}

/* Issue 14.5: with a secret, a request without it was read whole before
 * the 401 (200 MB: RSS → 382 MB). Now the 401 comes from the headers: the
 * client here sends one chunk of a body it never finishes, or announces a
 * body it never sends, and still gets its answer. */
static void
test_auth_before_body (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const heads[] = {
    "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"not\": \"done\"  ",
    "Content-Length: 1000000\r\n\r\n{\"not\": \"done\"  ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr(GSocket) socket = fcm_test_raw_connect (f->url);
      g_autofree char *head = g_strdup_printf ("POST /fhircast HTTP/1.1\r\nHost: %s\r\n"
                                               "Content-Type: application/json\r\nAuthorization: Bearer wrong\r\n%s",
                                               f->host_port, heads[i]);
      g_autofree char *reason = NULL;

      g_assert_true (fcm_test_raw_send (socket, head, strlen (head)));
      g_assert_cmpuint (fcm_test_raw_read_answer (socket, &reason), ==, 401);
      g_assert_cmpstr (reason, ==, "missing or wrong bearer token");
      g_assert_true (fcm_test_raw_wait_closed (socket));
    }
  /* with the secret the same request is read and handled */
  {
    g_autoptr(GSocket) socket = NULL;
    g_autofree char *reason = NULL;
    guint status = 0;

    socket = raw_request (f, "POST", "/fhircast", "Content-Type: application/json\r\nAuthorization: Bearer s3cret\r\n",
                          "{}", &status, &reason);
    g_assert_cmpuint (status, ==, 400);
  }
}

/* A well-behaved keep-alive client is unaffected: many requests on one
 * connection, with bodies. */
static void
test_keep_alive_reuse (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", 1, NULL);

  subscribe_unconnected (f);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *event = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"reuse-%u\","
                                                "\"event\":{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"x-custom\","
                                                "\"context\":[]}}", i);

      g_assert_cmpuint (fcm_test_http (session, "POST", f->url, "application/json", event, -1, NULL, NULL), ==, 200);
    }
}

/* libsoup 3.2.3's listener kept a reference to every GSocket it accepted,
 * for good; the hub accepts its connections itself. 200 connections, each
 * a request that asks for the connection to be closed (libsoup then ends
 * the connection itself): every GSocket the hub accepted is finalized
 * (counted by weak references the hub puts on them). */
static void
test_sockets_freed (Fixture       *f,
                    gconstpointer  data)
{
  guint before = _fcm_hub_conn_get_n_live_sockets ();
  g_autoptr(GSocket) open = fcm_test_raw_connect (f->url);

  /* counted while in use */
  FCM_TEST_WAIT_UNTIL (_fcm_hub_conn_get_n_live_sockets () == before + 1);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GSocket) socket = NULL;
      guint status = 0;

      socket = raw_request (f, "GET", "/.well-known/fhircast-configuration", "Connection: close\r\n", NULL,
                            &status, NULL);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (fcm_test_raw_wait_closed (socket));
      g_socket_close (socket, NULL);
    }
  g_socket_close (open, NULL);
  FCM_TEST_WAIT_UNTIL (_fcm_hub_conn_get_n_live_sockets () <= before);
  g_test_message ("accepted sockets alive: before %u, after %u", before, _fcm_hub_conn_get_n_live_sockets ());
}

typedef struct
{
  guint    before;
  guint    turns;
  gboolean accepted_while_busy;
} Busy;

static gboolean
busy_turn_cb (gpointer data)
{
  Busy *b = data;

  if (_fcm_hub_conn_get_n_live_sockets () > b->before)
    b->accepted_while_busy = TRUE;
  return ++b->turns < 200 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Issue 15.1: a hub sharing a GUI's main loop takes new connections below
 * the GUI's redraw (fcm_hub_set_accept_priority(); the app's built-in hub
 * does): while work of a higher priority is pending a connecting client
 * waits, then it is served. At the default priority the hub would take it
 * during the busy turns. */
static void
test_accept_priority (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *request = g_strdup_printf ("GET /.well-known/fhircast-configuration HTTP/1.1\r\nHost: %s\r\n\r\n",
                                              f->host_port);
  g_autoptr(GSocket) client = NULL;
  Busy b = { .before = _fcm_hub_conn_get_n_live_sockets () };

  fcm_hub_set_accept_priority (f->hub, G_PRIORITY_LOW);
  client = fcm_test_raw_connect (f->url);
  g_assert_true (fcm_test_raw_send (client, request, strlen (request)));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, busy_turn_cb, &b, NULL);
  while (b.turns < 200)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (b.accepted_while_busy);
  g_assert_cmpuint (fcm_test_raw_read_answer (client, NULL), ==, 200);
  g_assert_cmpuint (_fcm_hub_conn_get_n_live_sockets (), >, b.before);
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* At the file descriptor limit accept() fails (EMFILE); libsoup 3.2.3's
 * listener then stopped listening for good. The hub says so once and tries
 * again: the waiting connection is served once a descriptor is free. */
static void
test_accept_after_emfile (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSocket) client = NULL;
  g_autofree char *request = g_strdup_printf ("GET /.well-known/fhircast-configuration HTTP/1.1\r\nHost: %s\r\n\r\n",
                                              f->host_port);
  struct rlimit saved, low;
  g_autoptr(GArray) fillers = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean waited = FALSE;

  if (g_getenv ("FCM_TEST_VALGRIND") != NULL)
    {
      /* valgrind emulates the descriptor limit: the kernel accepts, then
       * valgrind closes the new descriptor and reports EMFILE, so the
       * waiting connection is lost before the hub sees the error */
      g_test_skip ("valgrind's emulated RLIMIT_NOFILE drops the connection it refuses");
      return;
    }

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  /* room for the client's socket, none left for the hub to accept with:
   * a low limit, every free descriptor under it taken but one */
  low = saved;
  low.rlim_cur = fcm_test_count_fds () + 8;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  for (int fd; (fd = dup (0)) >= 0;)
    g_array_append_val (fillers, fd);
  g_assert_cmpuint (fillers->len, >, 0);
  close (g_array_index (fillers, int, fillers->len - 1));
  g_array_set_size (fillers, fillers->len - 1);
  client = fcm_test_raw_connect (f->url);
  g_assert_true (fcm_test_raw_send (client, request, strlen (request)));
  g_test_expect_message ("Fcm", G_LOG_LEVEL_WARNING, "cannot accept a connection*");
  g_timeout_add (600, flag_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_test_assert_expected_messages ();
  for (guint i = 0; i < fillers->len; i++)
    close (g_array_index (fillers, int, i));
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  g_assert_cmpuint (fcm_test_raw_read_answer (client, NULL), ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("conn/backlog", test_backlog);
  ADD ("conn/closed-keep-alive", test_closed_keep_alive);
  ADD ("conn/closed-keep-alive-busy", test_closed_keep_alive_busy);
  ADD ("conn/idle-timeout", test_idle_timeout);
  ADD ("conn/closed-half-open", test_closed_half_open);
  ADD ("conn/pipelined-half-close", test_pipelined_half_close);
  ADD ("conn/keep-alive-reuse", test_keep_alive_reuse);
  ADD ("conn/sockets-freed", test_sockets_freed);
  ADD ("conn/accept-after-emfile", test_accept_after_emfile);
  ADD ("conn/accept-priority", test_accept_priority);
  ADD ("body/announced-too-large", test_announced_too_large);
  ADD ("body/chunked-too-large", test_chunked_too_large);
  ADD ("body/negative-length", test_negative_length);
#undef ADD
  g_test_add ("/fcm/hub/body/auth-before-body", Fixture, "s3cret", fixture_setup, test_auth_before_body,
              fixture_teardown);

  return g_test_run ();
}

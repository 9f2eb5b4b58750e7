/* bench-hub.c: throughput and latency of the reference hub over loopback
 *
 * The hub runs alone in a child process (this binary with --hub: an FcmHub
 * with its defaults, validation on, ack timeout 60 s), so that only the hub
 * is measured. This process plays the subscribers and the publisher with as
 * little work per message as it can, on raw non-blocking sockets and one
 * epoll loop:
 *  - subscribers are real WebSocket clients (RFC 6455 handshake, masked
 *    frames). Every notification is read in full, its top-level "id" taken
 *    from the text, and acknowledged by id, {"id":…,"status":200} (C-28),
 *    as real subscribers do; acks read from one socket read go out in one
 *    write;
 *  - the publisher POSTs context changes (application/json, HTTP/1.1
 *    keep-alive) on one or more connections, one request in flight per
 *    connection, and checks that every answer is 200.
 *
 * Latency: one event at a time; for each delivery the time from just
 * before the POST is written to the moment the subscriber has read the
 * whole frame (p50/p95/p99 over all deliveries).
 * Fan-out: events posted back to back on several connections; the rate is
 * notifications received by all subscribers per wall-clock second, and per
 * second of CPU used by the hub process (utime+stime from /proc/PID/stat).
 * Each count is run --repeat times (5 by default) and reported as the
 * median with its spread (min–max): the machine is shared with other work,
 * and a best run would measure the neighbours' quiet moments. Targets:
 * median >= 50,000 notifications/s at 50 and at 100 subscribers.
 *
 * Every event is an open of the same report: after the first it resumes
 * that context (H-20) and is broadcast (H-18).
 *
 * Usage: bench-hub [--latency-events N] [--fanout-events N] [--repeat N]
 *                  [--subscribers 1,10,50,100] [--publishers N] [--no-validate]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-bench.h"

#define TOPIC "bench-topic"

/* ------------------------------------------------------------------------ */
/* hub mode                                                                 */

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static int
run_hub (gboolean no_validate)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;

  /* never outlive a bench that failed */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () == 1)
    return 1;
  fcm_hub_set_ack_timeout (hub, 60);
  fcm_hub_set_validate (hub, !no_validate);
  if (!fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error))
    g_error ("listen: %s", error->message);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  printf ("%s\n", fcm_hub_get_url (hub));
  fflush (stdout);
  g_main_loop_run (loop);
  fcm_hub_shutdown (hub);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* client side                                                              */

typedef enum { CONN_SUBSCRIBER, CONN_PUBLISHER } ConnKind;

typedef struct
{
  ConnKind  kind;
  int       fd;
  GString  *in;          /* unparsed input */
  GString  *out;         /* output not yet written */
  gboolean  want_out;
  /* subscriber */
  guint64   received;    /* notifications of the current run */
  /* publisher */
  gboolean  busy;        /* a request in flight */
} Conn;

static int epfd;
static guint16 hub_port;
static char *hub_path;
static char *open_template;
static GPtrArray *subscribers;
static GPtrArray *publishers;
static guint64 run_first, run_end;     /* event numbers counted in this run */
static guint64 run_received;
static guint64 run_answered;
static gint64 *sent_at;                /* per event number, monotonic µs */
static GArray *latencies;
static guint64 n_acks;

static void
die (const char *what)
{
  g_error ("%s: %s", what, g_strerror (errno));
}

static int
connect_hub (void)
{
  struct sockaddr_in addr = { 0 };
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  if (fd < 0)
    die ("socket");
  addr.sin_family = AF_INET;
  addr.sin_port = htons (hub_port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("connect");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("write");
      data += n;
      len -= (gsize) n;
    }
}

/* Blocking read of one HTTP response (set-up only). */
static guint
read_response (int      fd,
               GString *buf,
               char   **body)
{
  char tmp[4096];

  for (;;)
    {
      const char *end = strstr (buf->str, "\r\n\r\n");

      if (end != NULL)
        {
          const char *cl = strstr (buf->str, "Content-Length: ");
          gsize header_len = (gsize) (end - buf->str) + 4;
          gsize body_len = cl != NULL && cl < end ? strtoul (cl + 16, NULL, 10) : 0;

          if (buf->len >= header_len + body_len)
            {
              guint status = (guint) strtoul (buf->str + 9, NULL, 10);

              if (body)
                *body = g_strndup (buf->str + header_len, body_len);
              g_string_erase (buf, 0, (gssize) (header_len + body_len));
              return status;
            }
        }
      {
        ssize_t n = read (fd, tmp, sizeof tmp);

        if (n <= 0)
          die ("read response");
        g_string_append_len (buf, tmp, n);
      }
    }
}

static char *
http_request (const char *method,
              const char *path,
              const char *content_type,
              const char *body)
{
  return g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                          "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s",
                          method, path, hub_port, content_type, strlen (body), body);
}

static void
conn_watch (Conn *conn)
{
  struct epoll_event ev = { 0 };

  ev.events = EPOLLIN | (conn->want_out ? EPOLLOUT : 0);
  ev.data.ptr = conn;
  if (epoll_ctl (epfd, EPOLL_CTL_MOD, conn->fd, &ev) < 0 &&
      (errno != ENOENT || epoll_ctl (epfd, EPOLL_CTL_ADD, conn->fd, &ev) < 0))
    die ("epoll_ctl");
}

static Conn *
conn_new (ConnKind kind,
          int      fd)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->kind = kind;
  conn->fd = fd;
  conn->in = g_string_sized_new (65536);
  conn->out = g_string_sized_new (4096);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  conn_watch (conn);
  return conn;
}

static void
conn_flush (Conn *conn)
{
  while (conn->out->len > 0)
    {
      ssize_t n = write (conn->fd, conn->out->str, conn->out->len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      if (n < 0)
        die ("write");
      g_string_erase (conn->out, 0, n);
    }
  if ((conn->out->len > 0) != conn->want_out)
    {
      conn->want_out = conn->out->len > 0;
      conn_watch (conn);
    }
}

static void
add_subscriber (guint index)
{
  g_autofree char *form = NULL;
  g_autofree char *req = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = g_strdup_printf ("bench-%u", index);
  g_autoptr(GString) buf = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *endpoint;
  guint status;
  int fd = connect_hub ();

  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe",
                           "hub.topic", TOPIC,
                           "hub.events", "DiagnosticReport-open,DiagnosticReport-close,syncerror",
                           "hub.lease_seconds", "3600", "subscriber.name", name, NULL);
  req = http_request ("POST", hub_path, "application/x-www-form-urlencoded", form);
  write_all (fd, req, strlen (req));
  status = read_response (fd, buf, &body);
  if (status != 202)
    g_error ("subscribe answered %u", status);
  close (fd);

  node = fcm_json_parse (body, -1, NULL);
  endpoint = node ? fcm_json_get_string (json_node_get_object (node), "hub.channel.endpoint") : NULL;
  if (endpoint == NULL || (uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL)) == NULL)
    g_error ("no hub.channel.endpoint");

  fd = connect_hub ();
  g_clear_pointer (&req, g_free);
  req = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n", g_uri_get_path (uri), hub_port);
  write_all (fd, req, strlen (req));
  status = read_response (fd, buf, NULL);
  if (status != 101)
    g_error ("WebSocket upgrade answered %u", status);

  {
    Conn *conn = conn_new (CONN_SUBSCRIBER, fd);

    g_string_append_len (conn->in, buf->str, buf->len);   /* frames right after the 101 */
    g_ptr_array_add (subscribers, conn);
  }
}

/* Appends a masked text frame (client to server, RFC 6455 §5.3). */
static void
append_frame (GString    *out,
              const char *payload,
              gsize       len)
{
  static const guint8 mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
  gsize start;

  g_assert (len < 126);
  g_string_append_c (out, (char) 0x81);
  g_string_append_c (out, (char) (0x80 | len));
  g_string_append_len (out, (const char *) mask, 4);
  start = out->len;
  g_string_append_len (out, payload, len);
  for (gsize i = 0; i < len; i++)
    out->str[start + i] ^= mask[i & 3];
}

/* One notification or other text frame from the hub. */
static void
subscriber_frame (Conn       *conn,
                  const char *text,
                  gsize       len,
                  gint64      now)
{
  const char *id, *end;
  char ack[128];
  int ack_len;

  /* confirmation and denial frames carry no "event" */
  if (g_strstr_len (text, (gssize) MIN (len, 512), "\"event\"") == NULL)
    return;
  /* the top-level id comes before "event" (the hub keeps member order) */
  id = g_strstr_len (text, (gssize) len, "\"id\":\"");
  if (id == NULL)
    g_error ("notification without id: %.*s", (int) MIN (len, 200), text);
  id += 6;
  end = memchr (id, '"', len - (gsize) (id - text));
  if (end == NULL || end - id > 80)
    g_error ("bad id");

  ack_len = g_snprintf (ack, sizeof ack, "{\"id\":\"%.*s\",\"status\":200}", (int) (end - id), id);
  append_frame (conn->out, ack, (gsize) ack_len);
  n_acks++;

  /* ids are "bench-N"; count the current run's events only (the connect
   * replay of the open context, H-12, carries an older id) */
  if (g_str_has_prefix (id, "bench-"))
    {
      guint64 n = g_ascii_strtoull (id + 6, NULL, 10);

      if (n >= run_first && n < run_end)
        {
          conn->received++;
          run_received++;
          if (latencies != NULL)
            {
              gint64 dt = now - sent_at[n - run_first];

              g_array_append_val (latencies, dt);
            }
        }
    }
}

static void
subscriber_input (Conn  *conn,
                  gint64 now)
{
  gsize pos = 0;

  for (;;)
    {
      const guint8 *p = (const guint8 *) conn->in->str + pos;
      gsize avail = conn->in->len - pos;
      guint64 plen;
      gsize hlen = 2;

      if (avail < 2)
        break;
      if (p[1] & 0x80)
        g_error ("masked frame from the hub");
      plen = p[1] & 0x7f;
      if (plen == 126)
        {
          if (avail < 4)
            break;
          plen = ((guint64) p[2] << 8) | p[3];
          hlen = 4;
        }
      else if (plen == 127)
        {
          if (avail < 10)
            break;
          plen = 0;
          for (int i = 0; i < 8; i++)
            plen = (plen << 8) | p[2 + i];
          hlen = 10;
        }
      if (avail < hlen + plen)
        break;
      if ((p[0] & 0x80) == 0)
        g_error ("fragmented frame");
      switch (p[0] & 0x0f)
        {
        case 0x1:
          subscriber_frame (conn, (const char *) p + hlen, plen, now);
          break;
        case 0x9:   /* ping → pong */
          g_assert (plen < 126);
          {
            static const guint8 zero_mask[4] = { 0 };

            g_string_append_c (conn->out, (char) 0x8a);
            g_string_append_c (conn->out, (char) (0x80 | plen));
            g_string_append_len (conn->out, (const char *) zero_mask, 4);
            g_string_append_len (conn->out, (const char *) p + hlen, (gssize) plen);
          }
          break;
        case 0x8:
          g_error ("the hub closed a subscriber socket");
          break;
        default:
          break;
        }
      pos += hlen + plen;
    }
  g_string_erase (conn->in, 0, (gssize) pos);
  if (conn->out->len > 0)
    conn_flush (conn);
}

static void
publisher_input (Conn *conn)
{
  for (;;)
    {
      const char *end = strstr (conn->in->str, "\r\n\r\n");
      const char *cl;
      gsize header_len, body_len;
      guint status;

      if (end == NULL)
        return;
      cl = strstr (conn->in->str, "Content-Length: ");
      header_len = (gsize) (end - conn->in->str) + 4;
      body_len = cl != NULL && cl < end ? strtoul (cl + 16, NULL, 10) : 0;
      if (cl == NULL || cl > end)
        g_assert (strstr (conn->in->str, "chunked") == NULL || strstr (conn->in->str, "chunked") > end);
      if (conn->in->len < header_len + body_len)
        return;
      status = (guint) strtoul (conn->in->str + 9, NULL, 10);
      if (status != 200)
        g_error ("publish answered %u: %.*s", status, (int) body_len, conn->in->str + header_len);
      g_string_erase (conn->in, 0, (gssize) (header_len + body_len));
      conn->busy = FALSE;
      run_answered++;
    }
}

static void
handle_input (Conn *conn)
{
  char buf[65536];
  gint64 now = 0;

  for (;;)
    {
      ssize_t n = read (conn->fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        break;
      if (n <= 0)
        g_error ("hub connection closed (%s)", n < 0 ? g_strerror (errno) : "EOF");
      g_string_append_len (conn->in, buf, n);
      if ((gsize) n < sizeof buf)
        break;
    }
  if (conn->kind == CONN_SUBSCRIBER)
    {
      now = g_get_monotonic_time ();
      subscriber_input (conn, now);
    }
  else
    publisher_input (conn);
}

static void
poll_once (int timeout_ms)
{
  struct epoll_event events[256];
  int n = epoll_wait (epfd, events, G_N_ELEMENTS (events), timeout_ms);

  if (n < 0 && errno != EINTR)
    die ("epoll_wait");
  for (int i = 0; i < n; i++)
    {
      Conn *conn = events[i].data.ptr;

      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
        handle_input (conn);
      if (events[i].events & EPOLLOUT)
        conn_flush (conn);
    }
}

static char *
make_event (guint64 n)
{
  g_autofree char *id = g_strdup_printf ("bench-%" G_GUINT64_FORMAT, n);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *ts = g_date_time_format_iso8601 (now);
  GString *s = g_string_new (open_template);

  g_string_replace (s, "@ID@", id, 0);
  g_string_replace (s, "@TS@", ts, 0);
  return g_string_free (s, FALSE);
}

static void
publish (Conn   *pub,
         guint64 n)
{
  g_autofree char *body = make_event (n);
  g_autofree char *req = http_request ("POST", hub_path, "application/json", body);

  pub->busy = TRUE;
  if (sent_at != NULL)
    sent_at[n - run_first] = g_get_monotonic_time ();
  g_string_append (pub->out, req);
  conn_flush (pub);
}

static double
hub_cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  unsigned long utime = 0, stime = 0;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return 0;
  /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
  if (sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return 0;
  return (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            guint   pct)
{
  return g_array_index (values, gint64, MIN (values->len - 1, values->len * pct / 100)) / 1000.0;
}

static guint64 next_event;

static void
begin_run (guint events)
{
  run_first = next_event;
  run_end = next_event + events;
  next_event = run_end;
  run_received = 0;
  run_answered = 0;
  for (guint i = 0; i < subscribers->len; i++)
    ((Conn *) g_ptr_array_index (subscribers, i))->received = 0;
}

/* One event at a time; returns the latencies of all deliveries. */
static GArray *
run_latency (guint events)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (gint64));
  Conn *pub = g_ptr_array_index (publishers, 0);

  begin_run (events);
  sent_at = g_new0 (gint64, events);
  latencies = result;
  for (guint i = 0; i < events; i++)
    {
      publish (pub, run_first + i);
      while (run_answered < i + 1 || run_received < (guint64) (i + 1) * subscribers->len)
        poll_once (10000);
    }
  latencies = NULL;
  g_clear_pointer (&sent_at, g_free);
  g_array_sort (result, compare_gint64);
  return result;
}

/* Events back to back, one in flight per publisher connection. */
static double
run_fanout (guint   events,
            GPid    hub_pid,
            double *per_cpu_second)
{
  guint64 expected;
  guint64 next;
  gint64 start, end;
  double cpu0, cpu1;

  begin_run (events);
  next = run_first;
  expected = (guint64) events * subscribers->len;
  cpu0 = hub_cpu_seconds (hub_pid);
  start = g_get_monotonic_time ();
  while (run_received < expected || run_answered < events)
    {
      for (guint i = 0; i < publishers->len && next < run_end; i++)
        {
          Conn *pub = g_ptr_array_index (publishers, i);

          if (!pub->busy)
            publish (pub, next++);
        }
      poll_once (10000);
    }
  end = g_get_monotonic_time ();
  cpu1 = hub_cpu_seconds (hub_pid);

  for (guint i = 0; i < subscribers->len; i++)
    if (((Conn *) g_ptr_array_index (subscribers, i))->received != events)
      g_error ("subscriber %u received %" G_GUINT64_FORMAT " of %u", i,
               ((Conn *) g_ptr_array_index (subscribers, i))->received, events);

  *per_cpu_second = cpu1 > cpu0 ? expected / (cpu1 - cpu0) : 0;
  return expected / ((end - start) / (double) G_USEC_PER_SEC);
}

/* Lets the connect replays and their acks settle. */
static void
settle (void)
{
  guint64 acks;

  do
    {
      acks = n_acks;
      poll_once (50);
    }
  while (acks != n_acks);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *counts_text = NULL;
  g_autofree char *self_path = NULL;
  g_auto(GStrv) counts = NULL;
  g_autoptr(GUri) uri = NULL;
  gboolean hub_mode = FALSE;
  gboolean no_validate = FALSE;
  gint latency_events = 2000;
  gint fanout_events = 0;
  gint n_publishers = 4;
  gint repeat = 5;
  GOptionEntry entries[] = {
    { "hub", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &hub_mode, "Run the hub (internal)", NULL },
    { "no-validate", 0, 0, G_OPTION_ARG_NONE, &no_validate, "Hub without IRA profile validation", NULL },
    { "latency-events", 0, 0, G_OPTION_ARG_INT, &latency_events, "Events per latency run", "N" },
    { "fanout-events", 0, 0, G_OPTION_ARG_INT, &fanout_events, "Events per fan-out run (default: 60000 notifications, 10000 below 50 subscribers)", "N" },
    { "subscribers", 0, 0, G_OPTION_ARG_STRING, &counts_text, "Subscriber counts (default 1,10,50,100)", "LIST" },
    { "publishers", 0, 0, G_OPTION_ARG_INT, &n_publishers, "Publisher connections for fan-out (default 4)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Fan-out runs per count, the median is reported (default 5)", "N" },
    { NULL }
  };
  const char *hub_argv[4];
  GPid hub_pid;
  int hub_stdout;
  char line[1024];
  gssize line_len = 0;
  double target_p50 = 0;
  gboolean all_met = TRUE;

  ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  if (hub_mode)
    return run_hub (no_validate);

  signal (SIGPIPE, SIG_IGN);

  /* The template is the spec's open vector with placeholders. */
  template_path = g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : "tests",
                                    "data", "vectors", "diagnosticreport-open.json", NULL);
  if (!g_file_get_contents (template_path, &template_text, NULL, &error))
    g_error ("%s", error->message);
  {
    g_autoptr(JsonNode) node = fcm_json_parse (template_text, -1, NULL);
    g_autofree char *compact = json_to_string (node, FALSE);
    GString *s = g_string_new (compact);

    g_string_replace (s, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45", "@ID@", 0);
    g_string_replace (s, "2025-03-14T09:26:53.589Z", "@TS@", 0);
    g_string_replace (s, "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37", TOPIC, 0);
    open_template = g_string_free (s, FALSE);
  }

  /* the hub: this binary again, in its own process */
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  hub_argv[0] = self_path != NULL ? self_path : argv[0];
  hub_argv[1] = "--hub";
  hub_argv[2] = no_validate ? "--no-validate" : NULL;
  hub_argv[3] = NULL;
  if (!g_spawn_async_with_pipes (NULL, (char **) hub_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &hub_pid, NULL, &hub_stdout, NULL, &error))
    g_error ("spawn hub: %s", error->message);
  while (line_len < (gssize) sizeof line - 1)
    {
      ssize_t n = read (hub_stdout, line + line_len, 1);

      if (n <= 0)
        g_error ("the hub printed no URL");
      if (line[line_len] == '\n')
        break;
      line_len++;
    }
  line[line_len] = '\0';
  uri = g_uri_parse (line, G_URI_FLAGS_NONE, &error);
  if (uri == NULL)
    g_error ("hub URL %s: %s", line, error->message);
  hub_port = (guint16) g_uri_get_port (uri);
  hub_path = g_strdup (g_uri_get_path (uri));

  epfd = epoll_create1 (0);
  subscribers = g_ptr_array_new ();
  publishers = g_ptr_array_new ();
  for (gint i = 0; i < MAX (1, n_publishers); i++)
    g_ptr_array_add (publishers, conn_new (CONN_PUBLISHER, connect_hub ()));

  counts = g_strsplit (counts_text != NULL ? counts_text : "1,10,50,100", ",", -1);
  printf ("FHIRcast Monitor hub benchmark: hub in its own process (pid %d, validation %s), "
          "raw loopback clients, %d publisher connection(s) for fan-out\n",
          (int) hub_pid, no_validate ? "off" : "on", n_publishers);
  fflush (stdout);

  for (guint c = 0; counts[c] != NULL; c++)
    {
      guint want = (guint) atoi (counts[c]);
      guint events;
      g_autoptr(GArray) lat = NULL;

      while (subscribers->len < want)
        add_subscriber (subscribers->len);
      settle ();

      lat = run_latency (200);   /* warm-up */
      g_clear_pointer (&lat, g_array_unref);
      lat = run_latency ((guint) MAX (10, latency_events / MAX (1, (gint) want / 10)));

      /* 60,000 notifications a run where a target applies, 10,000 below:
       * with one subscriber that is one POST per notification */
      events = fanout_events > 0 ? (guint) fanout_events : MAX (300, (want >= 50 ? 60000 : 10000) / want);
      {
        g_autofree double *rates = g_new0 (double, MAX (1, repeat));
        g_autofree double *per_cpu = g_new0 (double, MAX (1, repeat));
        g_autofree char *name = NULL;
        g_autofree char *cpu_name = NULL;
        guint n = (guint) MAX (1, repeat);
        gboolean target = want == 50 || want == 100;

        for (guint r = 0; r < n; r++)
          rates[r] = run_fanout (events, hub_pid, &per_cpu[r]);

        printf ("%5u subscriber(s): publish->deliver p50 %.3f ms, p95 %.3f ms, p99 %.3f ms\n", want,
                percentile (lat, 50), percentile (lat, 95), percentile (lat, 99));
        name = g_strdup_printf ("hub fan-out, %u subscriber%s", want, want == 1 ? "" : "s");
        cpu_name = g_strdup_printf ("hub fan-out per hub CPU-s, %u subscriber%s", want, want == 1 ? "" : "s");
        all_met &= fcm_bench_record ("bench-hub", name, "notifications/s", target ? ">=" : NULL, 50000, rates, n);
        fcm_bench_record ("bench-hub", cpu_name, "notifications/s", NULL, 0, per_cpu, n);
      }
      fflush (stdout);
      if (want == 1)
        target_p50 = percentile (lat, 50);
    }

  if (target_p50 > 0)
    {
      double p50 = target_p50;

      printf ("target publish->deliver p50 (1 subscriber) <= 0.3 ms: %.3f ms %s\n", target_p50,
              target_p50 <= 0.3 ? "OK" : "MISSED");
      fcm_bench_record ("bench-hub", "hub publish->deliver p50, 1 subscriber", "ms", "<=", 0.3, &p50, 1);
    }
  (void) all_met;

  kill (hub_pid, SIGTERM);
  waitpid (hub_pid, NULL, 0);
  g_spawn_close_pid (hub_pid);
  return 0;
}

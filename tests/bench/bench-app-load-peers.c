/* bench-app-load-peers.c: the processes around the app in bench-app-load
 * (the D-Bus pinger, the publisher that also reads the hub's figures) and
 * the helpers the parts share; see bench-app-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-json-private.h"

#include "bench-app-load.h"

/* ------------------------------------------------------------------ helpers */

int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) floor (p * values->len)));
}

double
array_max (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* stdin closed: the driver is done with us */
gboolean
stdin_cb (gint          fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  Stdin *in = user_data;
  char buf[256];
  ssize_t n = read (fd, buf, sizeof buf);

  if (n <= 0)
    {
      in->eof = TRUE;
      if (in->loop != NULL)
        g_main_loop_quit (in->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* -------------------------------------------------------------- the pinger */

typedef struct
{
  GDBusConnection *bus;
  char            *name;
  char            *path;
  GArray          *rtts;          /* ms */
  guint            outstanding;
  gint64           oldest_sent;   /* of the calls still out */
} Pinger;

typedef struct
{
  Pinger *p;
  gint64  sent;
} Ping;

static void
ping_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Ping *ping = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  double rtt = (g_get_monotonic_time () - ping->sent) / 1000.0;

  if (reply != NULL)
    g_array_append_val (ping->p->rtts, rtt);
  /* FCM_BENCH_TRACE=1: when the stalls were (seconds on the monotonic clock) */
  if (rtt > 50.0 && g_getenv ("FCM_BENCH_TRACE") != NULL)
    g_printerr ("trace: D-Bus round trip %.1f ms, sent at %.3f s\n", rtt, ping->sent / 1e6);
  ping->p->outstanding--;
  g_free (ping);
}

static gboolean
ping_tick_cb (gpointer user_data)
{
  Pinger *p = user_data;
  Ping *ping = g_new0 (Ping, 1);

  ping->p = p;
  ping->sent = g_get_monotonic_time ();
  p->outstanding++;
  g_dbus_connection_call (p->bus, p->name, p->path, "org.gtk.Actions", "List", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 120000, NULL, ping_cb, ping);
  return G_SOURCE_CONTINUE;
}

int
run_pinger (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Pinger p = { 0, };
  Stdin in = { loop, FALSE };
  guint timer;

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (opt_object_path == NULL)
    return 64;
  p.name = g_strdup (mode_pinger);
  p.path = g_strdup (opt_object_path);
  p.rtts = g_array_new (FALSE, FALSE, sizeof (double));
  p.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (p.bus == NULL)
    g_error ("pinger: %s", error->message);
  timer = g_timeout_add (50, ping_tick_cb, &p);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, &in);
  g_main_loop_run (loop);
  g_source_remove (timer);
  /* the last calls back, or given up on after 5 s */
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (p.outstanding > 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  printf ("pinger pings=%u lost=%u rtt_p50_ms=%.2f rtt_p99_ms=%.1f rtt_max_ms=%.1f rtt_over_50=%u\n",
          p.rtts->len, p.outstanding, percentile (p.rtts, 0.50), percentile (p.rtts, 0.99),
          array_max (p.rtts), count_over (p.rtts, 50.0));
  fflush (stdout);
  return 0;
}

/* ----------------------------------------------------------- the publisher */

#define N_LANES 16
#define PER_REPORT 20   /* an open, 18 selects, a close */

/* One report's events go in order (a select or close needs its open
 * done); 16 reports are under way at once, one request each: the hub sees
 * them interleaved, the app has up to 15 suspended (C-37). */
typedef struct
{
  guint    report;
  guint    step;
  gboolean busy;
} Lane;

typedef struct
{
  SoupSession  *session;
  char         *hub_url;
  char         *admin_url;
  char         *topic;
  FcmHubClient *watcher;
  gint64        start;
  guint         sent;
  guint         answered;
  guint         ok;
  guint         refused;
  guint         in_flight;
  Lane          lanes[N_LANES];
  guint         next_lane;
  double        ack_p50;         /* ms, every ack of the app so far (the hub's histogram) */
  double        ack_p99;
  double        ack_max;
  gint64        ack_count;
  guint         max_pending;
  guint         pending;
  guint         missed;
  gboolean      subscriber_seen;
  gboolean      subscriber_gone;
  guint         late_syncerrors;
  guint         syncerrors;
  gboolean      polling;
} Publisher;

static char *
next_event (Publisher *p,
            Lane      *lane)
{
  guint k = lane->report;
  g_autofree char *id = g_strdup_printf ("load-%08u", p->sent);
  g_autofree char *rpt = g_strdup_printf ("rpt-load-%u", k);
  g_autofree char *pat = g_strdup_printf ("pat-load-%u", k % 50);
  g_autofree char *st = g_strdup_printf ("st-load-%u", k);
  g_autoptr(JsonArray) context = NULL;
  g_autoptr(FcmEvent) event = NULL;
  const char *name;

  if (lane->step == 0)
    {
      g_autofree char *acc = g_strdup_printf ("ACC-%u", k);
      g_autofree char *mrn = g_strdup_printf ("MRN-%u", k % 50);

      context = fcm_context_build_open (rpt, pat, st, acc, mrn);
      name = FCM_EVENT_DIAGNOSTIC_REPORT_OPEN;
    }
  else if (lane->step < PER_REPORT - 1)
    {
      g_autofree char *ref = g_strdup_printf ("ImagingStudy/%s", st);
      const char *refs[] = { ref, NULL };

      context = fcm_context_build_select (rpt, refs);
      name = FCM_EVENT_DIAGNOSTIC_REPORT_SELECT;
    }
  else
    {
      context = fcm_context_build_close (rpt, pat, st);
      name = FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE;
    }
  event = fcm_event_new (id, NULL, p->topic, name, context, NULL, NULL);
  return fcm_event_to_json (event, FALSE);
}

typedef struct
{
  Publisher *p;
  Lane      *lane;
} Post;

static gboolean publish_tick_cb (gpointer user_data);

static void
posted_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Post *post = user_data;
  Publisher *p = post->p;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  status = msg != NULL ? soup_message_get_status (msg) : 0;
  p->in_flight--;
  p->answered++;
  post->lane->busy = FALSE;
  if (++post->lane->step == PER_REPORT)
    {
      post->lane->step = 0;
      post->lane->report += N_LANES;
    }
  g_free (post);
  /* the lane is free: its next event, if it is due */
  publish_tick_cb (p);
  if (body != NULL && status >= 200 && status < 300)
    p->ok++;
  else
    {
      if (p->refused++ < 3)
        g_printerr ("publisher: %u %.*s%s\n", status,
                    body ? (int) MIN (g_bytes_get_size (body), 200) : 0,
                    body ? (const char *) g_bytes_get_data (body, NULL) : "",
                    error ? error->message : "");
    }
}

/* the next event of an idle lane, FALSE when all are waiting */
static gboolean
post_one (Publisher *p)
{
  Post *post;
  char *json;
  gsize len;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < N_LANES; i++)
    {
      Lane *lane = &p->lanes[(p->next_lane + i) % N_LANES];

      if (lane->busy)
        continue;
      p->next_lane = (p->next_lane + i + 1) % N_LANES;
      json = next_event (p, lane);
      len = strlen (json);
      bytes = g_bytes_new_take (json, len);
      msg = soup_message_new ("POST", p->hub_url);
      if (keep_alive)
        {
          /* --keep-alive: a connection serves many POSTs, as with node's
           * fetch (Medplum's client); the lanes are separate reports, so
           * POSTs queued for a free connection may overtake each other */
          soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
        }
      else
        {
          /* as our client does (src/client/fcm-hub-client.c): libsoup never
           * reuses a POST's connection, and a hub should not have to keep it */
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
        }
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      post = g_new0 (Post, 1);
      post->p = p;
      post->lane = lane;
      lane->busy = TRUE;
      p->sent++;
      p->in_flight++;
      soup_session_send_and_read_async (p->session, msg, G_PRIORITY_DEFAULT, NULL, posted_cb, post);
      return TRUE;
    }
  return FALSE;
}

static gboolean
publish_tick_cb (gpointer user_data)
{
  Publisher *p = user_data;
  double elapsed = (g_get_monotonic_time () - p->start) / (double) G_USEC_PER_SEC;
  guint due = MIN ((guint) (elapsed * rate), (guint) n_events);

  /* the rate, as far as the hub answers */
  while (p->sent < due && post_one (p))
    ;
  return p->sent < (guint) n_events ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
admin_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Publisher *p = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *subs;
  gboolean found = FALSE;

  p->polling = FALSE;
  if (body == NULL)
    return;
  root = fcm_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  subs = root && JSON_NODE_HOLDS_OBJECT (root) ? fcm_json_get_array (json_node_get_object (root), "subscribers") : NULL;
  for (guint i = 0; subs != NULL && i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = fcm_json_array_get_object (subs, i);
      JsonNode *latency;

      if (sub == NULL || g_strcmp0 (fcm_json_get_string (sub, "name"), SUBSCRIBER_NAME) != 0)
        continue;
      found = TRUE;
      latency = json_object_get_member (sub, "ackLatencyMs");
      if (latency != NULL && JSON_NODE_HOLDS_OBJECT (latency))
        {
          JsonObject *l = json_node_get_object (latency);

          p->ack_count = json_object_get_int_member_with_default (l, "count", 0);
          p->ack_p50 = json_object_get_double_member_with_default (l, "p50", NAN);
          p->ack_p99 = json_object_get_double_member_with_default (l, "p99", NAN);
          p->ack_max = json_object_get_double_member_with_default (l, "max", NAN);
        }
      p->pending = (guint) json_object_get_int_member_with_default (sub, "acksPending", 0);
      p->max_pending = MAX (p->max_pending, p->pending);
      p->missed = MAX (p->missed, (guint) json_object_get_int_member_with_default (sub, "missedAcks", 0));
    }
  if (found)
    p->subscriber_seen = TRUE;
  else if (p->subscriber_seen)
    p->subscriber_gone = TRUE;   /* unsubscribed by the hub for missing acks */
}

static gboolean
admin_tick_cb (gpointer user_data)
{
  Publisher *p = user_data;
  g_autoptr(SoupMessage) msg = NULL;

  if (p->polling)
    return G_SOURCE_CONTINUE;
  p->polling = TRUE;
  msg = soup_message_new ("GET", p->admin_url);
  soup_session_send_and_read_async (p->session, msg, G_PRIORITY_HIGH, NULL, admin_cb, p);
  return G_SOURCE_CONTINUE;
}

static void
watcher_syncerror_cb (FcmHubClient *client,
                      FcmEvent     *event,
                      Publisher    *p)
{
  const char *subscriber = NULL, *diagnostics = NULL;

  p->syncerrors++;
  fcm_event_get_syncerror_details (event, NULL, NULL, &subscriber, &diagnostics);
  if (g_getenv ("FCM_BENCH_TRACE") != NULL)
    g_printerr ("trace: syncerror about %s: %s\n", subscriber ? subscriber : "(nobody)",
                diagnostics ? diagnostics : "(no diagnostics)");
  /* H-34: "… did not acknowledge … within 1.0 s" about the app */
  if (g_strcmp0 (subscriber, SUBSCRIBER_NAME) == 0 && diagnostics != NULL &&
      strstr (diagnostics, "did not acknowledge") != NULL)
    p->late_syncerrors++;
}

static void
watcher_subscribed_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    g_error ("publisher: the syncerror watcher could not subscribe: %s", error->message);
}

int
run_publisher (void)
{
  g_autoptr(GUri) uri = g_uri_parse (mode_publisher, G_URI_FLAGS_NONE, NULL);
  Publisher p = { 0, };
  const char *events[] = { FCM_EVENT_SYNCERROR, NULL };
  guint admin_timer, publish_timer;
  gint64 end_published, deadline;

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (uri == NULL || opt_topic == NULL)
    return 64;
  p.hub_url = g_strdup (mode_publisher);
  p.topic = g_strdup (opt_topic);
  p.admin_url = g_strdup_printf ("http://%s:%d/admin/subscribers?topic=%s", g_uri_get_host (uri),
                                 g_uri_get_port (uri), opt_topic);
  p.ack_p50 = p.ack_p99 = p.ack_max = NAN;
  /* one connection a lane (more at once would overflow a listen backlog
   * of 10, the GSocket default, and be reset) */
  p.session = soup_session_new_with_options ("max-conns", 16, "max-conns-per-host", 8, "timeout", 30, NULL);
  for (guint i = 0; i < N_LANES; i++)
    p.lanes[i].report = i;

  /* another app in the session that hears every syncerror */
  p.watcher = fcm_hub_client_new (p.hub_url, p.topic);
  fcm_hub_client_set_subscriber_name (p.watcher, "bench watcher");
  fcm_hub_client_set_events (p.watcher, events);
  g_signal_connect (p.watcher, "syncerror", G_CALLBACK (watcher_syncerror_cb), &p);
  fcm_hub_client_subscribe_async (p.watcher, NULL, watcher_subscribed_cb, NULL);
  while (fcm_hub_client_get_state (p.watcher) != FCM_CLIENT_STATE_ACTIVE)
    g_main_context_iteration (NULL, TRUE);

  admin_timer = g_timeout_add (50, admin_tick_cb, &p);
  p.start = g_get_monotonic_time ();
  publish_timer = g_timeout_add (5, publish_tick_cb, &p);
  /* an app that cannot keep up gets three times the planned time */
  deadline = p.start + (gint64) (3.0 * n_events / rate * G_USEC_PER_SEC) + 10 * G_USEC_PER_SEC;
  while (p.answered < (guint) n_events && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  end_published = g_get_monotonic_time ();
  if (p.sent < (guint) n_events)
    g_source_remove (publish_timer);

  /* the app drains what the hub still waits for; then one last reading */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((p.pending > 0 || !p.subscriber_seen) && !p.subscriber_gone && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (admin_timer);
  while (p.polling)
    g_main_context_iteration (NULL, TRUE);
  admin_tick_cb (&p);
  while (p.polling)
    g_main_context_iteration (NULL, TRUE);
  /* the hub's last word on late acks */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC + 200000;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  printf ("publisher published=%u ok=%u refused=%u seconds=%.1f drain_ms=%.0f "
          "ack_p50_ms=%.2f ack_p99_ms=%.1f ack_max_ms=%.1f ack_count=%" G_GINT64_FORMAT " max_pending=%u missed=%u "
          "syncerrors=%u late_syncerrors=%u unsubscribed=%d\n",
          p.sent, p.ok, p.refused, (end_published - p.start) / (double) G_USEC_PER_SEC,
          (g_get_monotonic_time () - end_published) / 1000.0 - 1200.0,
          p.ack_p50, p.ack_p99, p.ack_max, p.ack_count, p.max_pending, p.missed, p.syncerrors, p.late_syncerrors, p.subscriber_gone);
  fflush (stdout);
  g_clear_object (&p.watcher);
  g_clear_object (&p.session);
  return 0;
}


/* bench-app-load.c: the app under load (issue 15.1)
 *
 * Fed 2,000 events/s, does the app ack every event within 1 s, never stall
 * its main loop for more than 50 ms, and stay within 150 MB after 100,000
 * events? Each figure comes from outside the app where it can:
 *
 *   driver (this binary)        starts the others, collects their reports
 *   ├── app (--app)             the real FcmApplication and window (real
 *   │                           widgets under Xvfb), subscribed to the
 *   │                           built-in hub or to a separate one; it
 *   │                           reports its RSS, the gaps between frames
 *   │                           (a tick callback: the frame clock's view
 *   │                           of a stall) and how many events it acked
 *   ├── fhircast hub            (separate-hub runs) --admin --ack-timeout 1
 *   ├── pinger (--pinger)       a D-Bus call to the app every 50 ms
 *   │                           (org.gtk.Actions.List, answered by the
 *   │                           app's main loop): the round trips are the
 *   │                           stalls as another process sees them
 *   └── publisher (--publisher) POSTs events at the rate, from another
 *                               process; every 50 ms it reads the hub's
 *                               /admin/subscribers (the latency of every
 *                               ack of the app, p50/p99/max, and its
 *                               pending acks: the hub's side), and it
 *                               subscribes to syncerrors:
 *                               with an ack timeout of 1 s the hub reports
 *                               every ack later than that (H-34)
 *
 * The events: per report an open, 18 selects and a close, in that order
 * (each waits for the hub's answer to the one before), 8 reports under way
 * at once: the context changes all the time (the context panel's load),
 * reports are suspended and resumed, and every row is a new one in the
 * timeline.
 *
 * Usage: bench-app-load [--hub builtin|separate|both] [--rate N]
 *                       [--seconds S] [--events N] [--runs N]
 * Run under xvfb-run and dbus-run-session (make bench does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-connection-private.h"
#include "fcm-json-private.h"
#include "fcm-window.h"

#define SUBSCRIBER_NAME "FHIRcast Monitor"

static char *hub_kind = NULL;
static gint rate = 2000;
static gint seconds = 30;
static gint n_events = 100000;
static gint runs = 1;
static char *mode_app = NULL;
static char *mode_pinger = NULL;
static char *mode_publisher = NULL;
static char *opt_topic = NULL;
static char *opt_object_path = NULL;

static GOptionEntry entries[] = {
  { "hub", 0, 0, G_OPTION_ARG_STRING, &hub_kind, "builtin, separate or both (default both)", "KIND" },
  { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Events per second (default 2000)", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Seconds at least (default 30)", "S" },
  { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in all, at the rate (default 100000)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each kind (default 1)", "N" },
  { "app", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_app, "", "URL|builtin" },
  { "pinger", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_pinger, "", "BUS-NAME" },
  { "object-path", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_object_path, "", "PATH" },
  { "publisher", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_publisher, "", "URL" },
  { "topic", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_topic, "", "TOPIC" },
  { NULL }
};

/* ------------------------------------------------------------------ helpers */

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) floor (p * values->len)));
}

static double
array_max (GArray *values)
{
  double max = 0;

  for (guint i = 0; i < values->len; i++)
    max = MAX (max, g_array_index (values, double, i));
  return max;
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

static long
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
typedef struct
{
  GMainLoop *loop;
  gboolean   eof;
} Stdin;

static gboolean
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

/* ----------------------------------------------------------------- the app */

typedef struct
{
  FcmApplication *app;
  FcmConnection  *connection;
  GArray         *frame_gaps;     /* ms between frames */
  gint64          last_frame;
  guint           n_acked;
  Stdin           in;
  gboolean        ready;
} App;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  App *a = user_data;
  gint64 now = g_get_monotonic_time ();

  if (a->ready && a->last_frame != 0)
    {
      double gap = (now - a->last_frame) / 1000.0;

      g_array_append_val (a->frame_gaps, gap);
    }
  a->last_frame = now;
  return G_SOURCE_CONTINUE;
}

static void
ack_sent_cb (FcmHubClient *client,
             const char   *id,
             guint         status,
             App          *a)
{
  a->n_acked++;
}

static void
app_stdin_eof (App *a)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (a->app));
  FcmEventLog *log = fcm_monitor_get_event_log (fcm_connection_get_monitor (a->connection));

  printf ("app rss_kb=%ld acked=%u rows=%u frame_gap_max_ms=%.1f frame_gaps_over_50=%u frames=%u\n",
          rss_kb (), a->n_acked, g_list_model_get_n_items (G_LIST_MODEL (log)),
          array_max (a->frame_gaps), count_over (a->frame_gaps, 50.0), a->frame_gaps->len);
  fflush (stdout);
  if (window != NULL)
    gtk_window_destroy (window);
  g_application_quit (G_APPLICATION (a->app));
}

static gboolean
app_stdin_cb (gint          fd,
              GIOCondition  condition,
              gpointer      user_data)
{
  App *a = user_data;

  if (stdin_cb (fd, condition, &a->in) == G_SOURCE_REMOVE)
    {
      app_stdin_eof (a);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
app_live_cb (FcmConnection *connection,
             GParamSpec    *pspec,
             App           *a)
{
  GApplication *app = G_APPLICATION (a->app);
  FcmHubClient *client = fcm_connection_get_client (connection);

  if (a->ready || !fcm_connection_get_live (connection))
    return;
  a->ready = TRUE;
  printf ("ready %s %s %s %s\n", fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client),
          g_dbus_connection_get_unique_name (g_application_get_dbus_connection (app)),
          g_application_get_dbus_object_path (app));
  fflush (stdout);
}

static void
app_activate_cb (GApplication *application,
                 App          *a)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_signal_stop_emission_by_name (application, "activate");
  if (g_strcmp0 (mode_app, "builtin") == 0)
    {
      a->connection = _fcm_connection_new_embedded_full (0, NULL, TRUE, &error);
      if (a->connection == NULL)
        g_error ("built-in hub: %s", error->message);
      /* the hub reports every ack later than 1 s (H-34) */
      fcm_hub_set_ack_timeout (fcm_connection_get_hub (a->connection), 1.0);
    }
  else
    a->connection = fcm_connection_new (mode_app, opt_topic, SUBSCRIBER_NAME);
  fcm_hub_client_set_subscriber_name (fcm_connection_get_client (a->connection), SUBSCRIBER_NAME);
  g_signal_connect (fcm_connection_get_client (a->connection), "ack-sent", G_CALLBACK (ack_sent_cb), a);
  g_signal_connect (a->connection, "notify::status-text", G_CALLBACK (app_live_cb), a);
  fcm_application_add_connection (a->app, a->connection);
  window = gtk_application_get_active_window (GTK_APPLICATION (a->app));
  gtk_window_set_default_size (window, 1280, 720);
  gtk_window_present (window);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), tick_cb, a, NULL);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, app_stdin_cb, a);
  app_live_cb (a->connection, NULL, a);
}

static int
run_app (void)
{
  App a = { 0, };
  int status;

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  if (!gtk_init_check ())
    {
      g_printerr ("bench-app-load: no display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();
  a.frame_gaps = g_array_new (FALSE, FALSE, sizeof (double));
  a.app = fcm_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (a.app, "activate", G_CALLBACK (app_activate_cb), &a);
  status = g_application_run (G_APPLICATION (a.app), 0, NULL);
  g_clear_object (&a.connection);
  g_clear_object (&a.app);
  g_array_unref (a.frame_gaps);
  return status;
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

static int
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

#define N_LANES 8
#define PER_REPORT 20   /* an open, 18 selects, a close */

/* One report's events go in order (a select or close needs its open
 * done); 8 reports are under way at once, one request each: the hub sees
 * them interleaved, the app has up to 7 suspended (C-37). */
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

static int
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
          "late_syncerrors=%u unsubscribed=%d\n",
          p.sent, p.ok, p.refused, (end_published - p.start) / (double) G_USEC_PER_SEC,
          (g_get_monotonic_time () - end_published) / 1000.0 - 1200.0,
          p.ack_p50, p.ack_p99, p.ack_max, p.ack_count, p.max_pending, p.missed, p.late_syncerrors, p.subscriber_gone);
  fflush (stdout);
  g_clear_object (&p.watcher);
  g_clear_object (&p.session);
  return 0;
}

/* --------------------------------------------------------------- the driver */

typedef struct
{
  GHashTable *values;     /* "app.rss_kb" → "…" */
} Report;

static void
parse_report_line (GHashTable *values,
                   const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);

  for (guint i = 1; words[0] != NULL && words[i] != NULL; i++)
    {
      char *eq = strchr (words[i], '=');

      if (eq != NULL)
        g_hash_table_insert (values, g_strdup_printf ("%s.%.*s", words[0], (int) (eq - words[i]), words[i]),
                             g_strdup (eq + 1));
    }
}

static double
value (GHashTable *values,
       const char *key)
{
  const char *v = g_hash_table_lookup (values, key);

  return v != NULL ? g_ascii_strtod (v, NULL) : NAN;
}

static char *
read_line (GDataInputStream *in)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  if (line == NULL && error != NULL)
    g_printerr ("bench-app-load: %s\n", error->message);
  return line;
}

static GSubprocess *
spawn_self (GSubprocessFlags   flags,
            const char        *self_path,
            GError           **error,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (char *) self_path);
  va_start (ap, error);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return g_subprocess_newv ((const char * const *) argv->pdata, flags, error);
}

/* one run: returns the figures, NULL on failure */
static GHashTable *
run_once (const char *self_path,
          gboolean    builtin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) hub = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GSubprocess) pinger = NULL;
  g_autoptr(GSubprocess) publisher = NULL;
  g_autoptr(GDataInputStream) app_out = NULL;
  g_autoptr(GDataInputStream) pinger_out = NULL;
  g_autoptr(GDataInputStream) publisher_out = NULL;
  g_autofree char *hub_url = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rate_text = g_strdup_printf ("%d", rate);
  g_autofree char *events_text = NULL;
  g_auto(GStrv) ready = NULL;
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const GSubprocessFlags piped = G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE;

  events_text = g_strdup_printf ("%d", MAX (n_events, rate * seconds));

  if (!builtin)
    {
      const char *cli = g_getenv ("FHIRCAST_CLI");
      const char *argv[] = { cli ? cli : "fhircast", "hub", "--port", "0", "--admin", "--ack-timeout", "1", NULL };
      g_autoptr(GDataInputStream) hub_out = NULL;

      hub = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      if (hub == NULL)
        {
          g_printerr ("bench-app-load: fhircast hub: %s (set FHIRCAST_CLI)\n", error->message);
          return NULL;
        }
      hub_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (hub));
      hub_url = read_line (hub_out);
      if (hub_url == NULL)
        return NULL;
      topic = g_uuid_string_random ();
      app = spawn_self (piped, self_path, &error, "--app", hub_url, "--topic", topic, NULL);
    }
  else
    app = spawn_self (piped, self_path, &error, "--app", "builtin", NULL);
  if (app == NULL)
    {
      g_printerr ("bench-app-load: %s\n", error->message);
      return NULL;
    }
  app_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  line = read_line (app_out);
  if (line == NULL || !g_str_has_prefix (line, "ready "))
    {
      g_printerr ("bench-app-load: the app did not start\n");
      return NULL;
    }
  ready = g_strsplit (line, " ", -1);
  g_clear_pointer (&hub_url, g_free);
  g_clear_pointer (&topic, g_free);
  hub_url = g_strdup (ready[1]);
  topic = g_strdup (ready[2]);
  pinger = spawn_self (piped, self_path, &error, "--pinger", ready[3], "--object-path", ready[4], NULL);
  publisher = spawn_self (G_SUBPROCESS_FLAGS_STDOUT_PIPE, self_path, &error, "--publisher", hub_url,
                          "--topic", topic, "--rate", rate_text, "--events", events_text, NULL);
  if (pinger == NULL || publisher == NULL)
    {
      g_printerr ("bench-app-load: %s\n", error->message);
      return NULL;
    }
  publisher_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (publisher));
  g_free (line);
  line = read_line (publisher_out);
  if (line == NULL)
    {
      g_printerr ("bench-app-load: the publisher failed\n");
      return NULL;
    }
  parse_report_line (values, line);

  /* done: the pinger and the app report and exit when their stdin closes */
  g_output_stream_close (g_subprocess_get_stdin_pipe (pinger), NULL, NULL);
  pinger_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (pinger));
  g_free (line);
  line = read_line (pinger_out);
  if (line != NULL)
    parse_report_line (values, line);
  g_output_stream_close (g_subprocess_get_stdin_pipe (app), NULL, NULL);
  g_free (line);
  line = read_line (app_out);
  if (line != NULL)
    parse_report_line (values, line);
  g_subprocess_wait (app, NULL, NULL);
  g_subprocess_wait (pinger, NULL, NULL);
  g_subprocess_wait (publisher, NULL, NULL);
  if (hub != NULL)
    {
      g_subprocess_send_signal (hub, SIGTERM);
      g_subprocess_wait (hub, NULL, NULL);
    }
  return values;
}

static void
print_run (const char *kind,
           guint       i,
           GHashTable *v)
{
  printf ("  %-8s run %u: published %.0f, acked %.0f (%.0f/s for %.1f s); hub-side ack latency p50 %.2f ms, "
          "p99 %.1f ms, max %.1f ms (%.0f acks), late acks %.0f, max pending %.0f, drained in %.0f ms; "
          "D-Bus round trip max %.1f ms (p99 %.1f, %.0f over 50 ms of %.0f); frame gap max %.1f ms (%.0f over 50 ms); "
          "RSS %.0f MB, %.0f rows\n",
          kind, i + 1, value (v, "publisher.ok"), value (v, "app.acked"),
          value (v, "publisher.ok") / value (v, "publisher.seconds"), value (v, "publisher.seconds"),
          value (v, "publisher.ack_p50_ms"), value (v, "publisher.ack_p99_ms"), value (v, "publisher.ack_max_ms"),
          value (v, "publisher.ack_count"), value (v, "publisher.late_syncerrors"),
          value (v, "publisher.max_pending"), value (v, "publisher.drain_ms"),
          value (v, "pinger.rtt_max_ms"), value (v, "pinger.rtt_p99_ms"), value (v, "pinger.rtt_over_50"),
          value (v, "pinger.pings"), value (v, "app.frame_gap_max_ms"), value (v, "app.frame_gaps_over_50"),
          value (v, "app.rss_kb") / 1024.0, value (v, "app.rows"));
  fflush (stdout);
}

/* median and range of one figure over the runs */
static void
print_spread (GPtrArray  *results,
              const char *label,
              const char *key,
              double      scale,
              const char *unit,
              double      target,
              gboolean    at_most)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  double median, lo, hi;

  for (guint i = 0; i < results->len; i++)
    {
      double x = value (g_ptr_array_index (results, i), key) * scale;

      g_array_append_val (xs, x);
    }
  g_array_sort (xs, cmp_double);
  lo = g_array_index (xs, double, 0);
  hi = g_array_index (xs, double, xs->len - 1);
  median = xs->len % 2 ? g_array_index (xs, double, xs->len / 2)
                       : (g_array_index (xs, double, xs->len / 2 - 1) + g_array_index (xs, double, xs->len / 2)) / 2;
  printf ("    %-34s %10.1f %-3s (%.1f–%.1f)   target %s %.0f %s  %s\n", label, median, unit, lo, hi,
          at_most ? "≤" : "≥", target, unit,
          (at_most ? hi <= target : lo >= target) ? "ok" : "MISSED");
}

static int
run_driver (const char *self_path)
{
  const char *kinds[] = { "builtin", "separate" };
  int status = 0;

  printf ("bench-app-load: %d events/s, %d events (≥ %d s), %d run(s) each; the app under Xvfb with real widgets\n",
          rate, MAX (n_events, rate * seconds), seconds, runs);
  fflush (stdout);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

      if (hub_kind != NULL && g_strcmp0 (hub_kind, "both") != 0 && g_strcmp0 (hub_kind, kinds[k]) != 0)
        continue;
      printf ("%s hub:\n", k == 0 ? "built-in" : "separate `fhircast hub`");
      for (int i = 0; i < runs; i++)
        {
          GHashTable *v = run_once (self_path, k == 0);

          if (v == NULL)
            return 1;
          print_run (kinds[k], i, v);
          g_ptr_array_add (results, v);
        }
      printf ("  median (range) over %d run(s):\n", runs);
      print_spread (results, "hub-side ack latency p99", "publisher.ack_p99_ms", 1, "ms", 1000, TRUE);
      print_spread (results, "late acks (hub: none within 1 s)", "publisher.late_syncerrors", 1, "", 0, TRUE);
      print_spread (results, "main-loop stall (D-Bus round trip)", "pinger.rtt_max_ms", 1, "ms", 50, TRUE);
      print_spread (results, "main-loop stall (frame clock)", "app.frame_gap_max_ms", 1, "ms", 50, TRUE);
      print_spread (results, "RSS after the run", "app.rss_kb", 1.0 / 1024, "MB", 150, TRUE);
      for (guint i = 0; i < results->len; i++)
        if (value (g_ptr_array_index (results, i), "app.acked") < value (g_ptr_array_index (results, i), "publisher.ok"))
          {
            printf ("    not every event acked in run %u\n", i + 1);
            status = 1;
          }
    }
  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the app under load");
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  if (mode_app != NULL)
    return run_app ();
  if (mode_pinger != NULL)
    return run_pinger ();
  if (mode_publisher != NULL)
    return run_publisher ();

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  return run_driver (self_path ? self_path : argv[0]);
}

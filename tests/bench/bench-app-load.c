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
 * The stream starts once the app is subscribed and its window has drawn its
 * first frames (start-up is bench-startup's figure); from then on every
 * frame gap, timer and D-Bus round trip counts.
 *
 * The events: per report an open, 18 selects and a close, in that order
 * (each waits for the hub's answer to the one before), 16 reports under way
 * at once: the context changes all the time (the context panel's load),
 * reports are suspended and resumed, and every row is a new one in the
 * timeline.
 *
 * Usage: bench-app-load [--hub builtin|separate|both] [--rate N]
 *                       [--seconds S] [--events N] [--runs N]
 * FCM_BENCH_TRACE=1 prints (stderr) when each stall over 50 ms happened,
 * the acks every 2,000 and the app's main-context sources every 2 s.
 * Run under xvfb-run and dbus-run-session (make bench does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <signal.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "fcm-application.h"
#include "fcm-connection.h"
#include "fcm-connection-private.h"
#include "fcm-json-private.h"
#include "fcm-view-pace.h"
#include "fcm-window.h"
#include "fcm-window-private.h"

#include "bench-app-load.h"

static char *hub_kind = NULL;
gint rate = 2000;
gint seconds = 30;
gint n_events = 100000;
static gint runs = 1;
static char *mode_app = NULL;
char *mode_pinger = NULL;
char *mode_publisher = NULL;
char *opt_topic = NULL;
char *opt_object_path = NULL;
static gboolean without_panel = FALSE;
static gboolean without_timeline = FALSE;
gboolean keep_alive = FALSE;

static GOptionEntry entries[] = {
  { "hub", 0, 0, G_OPTION_ARG_STRING, &hub_kind, "builtin, separate or both (default both)", "KIND" },
  { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Events per second (default 2000)", "N" },
  { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Seconds at least (default 30)", "S" },
  { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in all, at the rate (default 100000)", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each kind (default 1)", "N" },
  { "keep-alive", 0, 0, G_OPTION_ARG_NONE, &keep_alive,
    "The publisher keeps its connections alive (as node's fetch does, Medplum's client) instead of one per POST "
    "(libsoup's way, and our client's)", NULL },
  { "without-timeline", 0, 0, G_OPTION_ARG_NONE, &without_timeline,
    "Diagnosis: the timeline is not shown (what its rows cost)", NULL },
  { "without-context-panel", 0, 0, G_OPTION_ARG_NONE, &without_panel,
    "Diagnosis: the context panel does not follow the hub (what the rest costs)", NULL },
  { "app", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_app, "", "URL|builtin" },
  { "pinger", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_pinger, "", "BUS-NAME" },
  { "object-path", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_object_path, "", "PATH" },
  { "publisher", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &mode_publisher, "", "URL" },
  { "topic", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opt_topic, "", "TOPIC" },
  { NULL }
};

/* ----------------------------------------------------------------- the app */

typedef struct
{
  FcmApplication *app;
  FcmConnection  *connection;
  GArray         *frame_gaps;     /* ms between frames */
  double          timer_late_max; /* ms: how late a 10 ms timer at the default priority ran */
  gint64          timer_due;
  gint64          last_frame;
  guint           n_acked;
  guint           n_acked_other;  /* acks of messages the publisher did not send (syncerrors, replays) */
  guint           n_acked_again;  /* a publisher's event acked a second time */
  GByteArray     *acked_bits;     /* which "load-N" events were acked, a bit each */
  guint           n_live;         /* times the connection went live (more than once: it reconnected) */
  gboolean        live;
  Stdin           in;
  gboolean        ready;
  guint           frames_drawn;   /* before ready: the window is up once it drew */
} App;

/* A timer at the priority of the hub's messages (and of D-Bus calls): how
 * late it runs is how long the main loop kept everything at that priority
 * waiting, measured inside the app (the D-Bus round trip adds the bus and
 * the pinger's own scheduling on a busy machine) */
static gboolean
late_timer_cb (gpointer user_data)
{
  App *a = user_data;
  gint64 now = g_get_monotonic_time ();

  if (a->ready && a->timer_due != 0)
    a->timer_late_max = MAX (a->timer_late_max, (now - a->timer_due) / 1000.0);
  a->timer_due = now + 10000;
  return G_SOURCE_CONTINUE;
}

static void app_live_cb (FcmConnection *connection,
                         GParamSpec    *pspec,
                         App           *a);

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  App *a = user_data;
  gint64 now = g_get_monotonic_time ();

  if (!a->ready && ++a->frames_drawn == 2)
    app_live_cb (a->connection, NULL, a);
  if (a->ready && a->last_frame != 0)
    {
      double gap = (now - a->last_frame) / 1000.0;

      g_array_append_val (a->frame_gaps, gap);
      if (gap > 50.0 && g_getenv ("FCM_BENCH_TRACE") != NULL)
        g_printerr ("trace: frame gap %.1f ms, from %.3f s\n", gap, a->last_frame / 1e6);
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
  /* the publisher's ids are "load-N": anything else, or one of those
   * twice, is worth knowing about (FCM_BENCH_TRACE=1 names it) */
  if (g_str_has_prefix (id, "load-"))
    {
      guint64 n = g_ascii_strtoull (id + 5, NULL, 10);
      guint byte = (guint) MIN (n / 8, G_MAXUINT / 2);

      if (byte >= a->acked_bits->len)
        {
          guint old_len = a->acked_bits->len;

          g_byte_array_set_size (a->acked_bits, byte + 4096);
          memset (a->acked_bits->data + old_len, 0, a->acked_bits->len - old_len);
        }
      if (a->acked_bits->data[byte] & (1u << (n % 8)))
        {
          a->n_acked_again++;
          if (g_getenv ("FCM_BENCH_TRACE") != NULL)
            g_printerr ("trace: %s acked again\n", id);
        }
      a->acked_bits->data[byte] |= (guint8) (1u << (n % 8));
    }
  else
    {
      a->n_acked_other++;
      if (g_getenv ("FCM_BENCH_TRACE") != NULL)
        g_printerr ("trace: acked %s, not the publisher's\n", id);
    }
  if (a->n_acked % 2000 == 0 && g_getenv ("FCM_BENCH_TRACE") != NULL)
    g_printerr ("trace: %u acked at %.3f s\n", a->n_acked, g_get_monotonic_time () / 1e6);
}

static void
app_stdin_eof (App *a)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (a->app));
  FcmEventLog *log = fcm_monitor_get_event_log (fcm_connection_get_monitor (a->connection));
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  printf ("app rss_kb=%ld acked=%u acked_other=%u acked_again=%u went_live=%u rows=%u cpu_ms=%.0f "
          "timer_late_max_ms=%.1f frame_gap_max_ms=%.1f frame_gaps_over_50=%u frames=%u\n",
          rss_kb (), a->n_acked, a->n_acked_other, a->n_acked_again, a->n_live,
          g_list_model_get_n_items (G_LIST_MODEL (log)),
          (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0, a->timer_late_max,
          array_max (a->frame_gaps), count_over (a->frame_gaps, 50.0), a->frame_gaps->len);
  fflush (stdout);
  if (g_getenv ("FCM_BENCH_TRACE") != NULL)
    {
      /* how much of it is memory malloc holds free (fragmentation) */
      malloc_trim (0);
      g_printerr ("trace: RSS after malloc_trim(0): %ld MB\n", rss_kb () / 1024);
      malloc_stats ();
    }
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

  if (fcm_connection_get_live (connection) != a->live)
    {
      a->live = !a->live;
      a->n_live += a->live;
      if (a->live && a->n_live > 1 && g_getenv ("FCM_BENCH_TRACE") != NULL)
        g_printerr ("trace: the app's connection is live again (%u), at %.3f s\n", a->n_live,
                    g_get_monotonic_time () / 1e6);
    }
  /* the stream starts once the app is subscribed and its window is up
   * (drew its first frames: the start-up has its own figure, bench-startup) */
  if (a->ready || !fcm_connection_get_live (connection) || a->frames_drawn < 2)
    return;
  a->ready = TRUE;
  printf ("ready %s %s %s %s\n", fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client),
          g_dbus_connection_get_unique_name (g_application_get_dbus_connection (app)),
          g_application_get_dbus_object_path (app));
  fflush (stdout);
}

/* FCM_BENCH_TRACE=1: main-loop turns over 50 ms (from a poll's return to
 * the next poll: one turn's dispatching) */
static GPollFunc trace_real_poll;
static gint64 trace_poll_returned;

static gint
trace_poll (GPollFD *fds,
            guint    nfds,
            gint     timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint ret;

  if (trace_poll_returned != 0 && now - trace_poll_returned > 50000)
    g_printerr ("trace: main-loop turn %.1f ms, from %.3f s\n", (now - trace_poll_returned) / 1000.0,
                trace_poll_returned / 1e6);
  ret = trace_real_poll (fds, nfds, timeout);
  trace_poll_returned = g_get_monotonic_time ();
  return ret;
}

/* FCM_BENCH_TRACE=1: the frame clock's phases of a frame that took over
 * 30 ms (our handlers run after GTK's own of each phase) */
static gint64 phase_start[4];
static gboolean trace_all_frames;

static void
phase_cb (GdkFrameClock *clock,
          gpointer       data)
{
  guint phase = GPOINTER_TO_UINT (data);
  gint64 now = g_get_monotonic_time ();

  phase_start[phase] = now;
  /* FCM_BENCH_TRACE=frames: every frame */
  if (phase == 3 && phase_start[0] != 0 && (now - phase_start[0] > 30000 || trace_all_frames))
    g_printerr ("trace: frame %.1f ms (update %.1f, layout %.1f, paint %.1f), from %.3f s; "
                "last apply: %s, %.1f ms before\n",
                (now - phase_start[0]) / 1000.0, (phase_start[1] - phase_start[0]) / 1000.0,
                (phase_start[2] - phase_start[1]) / 1000.0, (phase_start[3] - phase_start[2]) / 1000.0,
                phase_start[0] / 1e6, fcm_view_pace_last_view ? fcm_view_pace_last_view : "none",
                (phase_start[0] - fcm_view_pace_last_any) / 1000.0);
}

static void
trace_frame_phases (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  trace_all_frames = g_strcmp0 (g_getenv ("FCM_BENCH_TRACE"), "frames") == 0;
  g_signal_connect (clock, "before-paint", G_CALLBACK (phase_cb), GUINT_TO_POINTER (0));
  g_signal_connect (clock, "update", G_CALLBACK (phase_cb), GUINT_TO_POINTER (1));
  g_signal_connect (clock, "layout", G_CALLBACK (phase_cb), GUINT_TO_POINTER (2));
  g_signal_connect (clock, "paint", G_CALLBACK (phase_cb), GUINT_TO_POINTER (3));
}

/* FCM_BENCH_TRACE=1: how many sources the app's main context holds (the
 * most recent ids), every 2 s */
static gboolean
trace_sources_cb (gpointer user_data)
{
  g_autoptr(GSource) probe = g_idle_source_new ();
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint newest = g_source_attach (probe, NULL);   /* ids are handed out in order */
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_source_destroy (probe);
  for (guint id = newest > 500000 ? newest - 500000 : 1; id < newest; id++)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, id);
      char *kind;

      if (source == NULL)
        continue;
      n++;
      kind = g_strdup_printf ("%s/prio %d/funcs %p", g_source_get_name (source) ? g_source_get_name (source) : "-",
                              g_source_get_priority (source), (void *) source->source_funcs);
      g_hash_table_insert (kinds, kind, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (kinds, kind)) + 1));
    }
  g_printerr ("trace: %u sources, newest id %u, at %.3f s\n", n, newest, g_get_monotonic_time () / 1e6);
  g_hash_table_iter_init (&iter, kinds);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > 20)
      g_printerr ("trace:   %u × %s\n", GPOINTER_TO_UINT (value), (char *) key);
  return G_SOURCE_CONTINUE;
}

static void
app_activate_cb (GApplication *application,
                 App          *a)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_signal_stop_emission_by_name (application, "activate");
  if (g_getenv ("FCM_BENCH_TRACE") != NULL)
    {
      g_timeout_add_seconds (2, trace_sources_cb, a);
      trace_real_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, trace_poll);
    }
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
  if (g_getenv ("FCM_BENCH_TRACE") != NULL)
    trace_frame_phases (GTK_WIDGET (window));
  g_timeout_add (10, late_timer_cb, a);
  if (without_timeline)
    {
      FcmWindowParts parts;

      fcm_window_get_parts (FCM_WINDOW (window), &parts);
      gtk_widget_set_visible (parts.timeline, FALSE);
    }
  if (without_panel)
    {
      FcmWindowParts parts;

      fcm_window_get_parts (FCM_WINDOW (window), &parts);
      fcm_context_panel_set_monitor (FCM_CONTEXT_PANEL (parts.context_panel), NULL);
    }
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
  a.acked_bits = g_byte_array_new ();
  a.app = fcm_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (a.app, "activate", G_CALLBACK (app_activate_cb), &a);
  status = g_application_run (G_APPLICATION (a.app), 0, NULL);
  g_clear_object (&a.connection);
  g_clear_object (&a.app);
  g_array_unref (a.frame_gaps);
  g_byte_array_unref (a.acked_bits);
  return status;
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

/* the separate hub: stopped however the run ends */
typedef GSubprocess HubProcess;

static void
hub_process_stop (HubProcess *hub)
{
  if (g_subprocess_get_identifier (hub) != NULL)
    {
      g_subprocess_send_signal (hub, SIGTERM);
      g_subprocess_wait (hub, NULL, NULL);
    }
  g_object_unref (hub);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubProcess, hub_process_stop)

static GHashTable *
run_once (const char *self_path,
          gboolean    builtin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HubProcess) hub = NULL;
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
      app = spawn_self (piped, self_path, &error, "--app", hub_url, "--topic", topic,
                        without_panel ? "--without-context-panel" : without_timeline ? "--without-timeline" : NULL, NULL);
    }
  else
    app = spawn_self (piped, self_path, &error, "--app", "builtin",
                      without_panel ? "--without-context-panel" : without_timeline ? "--without-timeline" : NULL, NULL);
  if (app == NULL)
    {
      g_printerr ("bench-app-load: %s\n", error->message);
      return NULL;
    }
  app_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  line = read_line (app_out);
  if (line == NULL || !g_str_has_prefix (line, "ready "))
    {
      g_printerr ("bench-app-load: the app did not start (its first line: %s)\n", line != NULL ? line : "none");
      return NULL;
    }
  ready = g_strsplit (line, " ", -1);
  g_clear_pointer (&hub_url, g_free);
  g_clear_pointer (&topic, g_free);
  hub_url = g_strdup (ready[1]);
  topic = g_strdup (ready[2]);
  pinger = spawn_self (piped, self_path, &error, "--pinger", ready[3], "--object-path", ready[4], NULL);
  publisher = spawn_self (G_SUBPROCESS_FLAGS_STDOUT_PIPE, self_path, &error, "--publisher", hub_url,
                          "--topic", topic, "--rate", rate_text, "--events", events_text,
                          keep_alive ? "--keep-alive" : NULL, NULL);
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
      g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (hub));
      g_autofree char *status = NULL;
      const char *vmrss;

      /* the separate hub's own RSS, after 100,000 events */
      if (g_file_get_contents (status_path, &status, NULL, NULL) && (vmrss = strstr (status, "VmRSS:")) != NULL)
        g_hash_table_insert (values, g_strdup ("hub.rss_kb"),
                             g_strdup_printf ("%" G_GUINT64_FORMAT,
                                              g_ascii_strtoull (vmrss + strlen ("VmRSS:"), NULL, 10)));
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
          "a 10 ms timer in the app late by %.1f ms at most; RSS %.0f MB, %.0f rows; "
          "the app's CPU %.0f µs per event (start-up included)\n",
          kind, i + 1, value (v, "publisher.ok"), value (v, "app.acked"),
          value (v, "publisher.ok") / value (v, "publisher.seconds"), value (v, "publisher.seconds"),
          value (v, "publisher.ack_p50_ms"), value (v, "publisher.ack_p99_ms"), value (v, "publisher.ack_max_ms"),
          value (v, "publisher.ack_count"), value (v, "publisher.late_syncerrors"),
          value (v, "publisher.max_pending"), value (v, "publisher.drain_ms"),
          value (v, "pinger.rtt_max_ms"), value (v, "pinger.rtt_p99_ms"), value (v, "pinger.rtt_over_50"),
          value (v, "pinger.pings"), value (v, "app.frame_gap_max_ms"), value (v, "app.frame_gaps_over_50"),
          value (v, "app.timer_late_max_ms"), value (v, "app.rss_kb") / 1024.0, value (v, "app.rows"),
          value (v, "app.cpu_ms") * 1000.0 / MAX (value (v, "app.acked"), 1.0));
  if (value (v, "app.acked_other") > 0 || value (v, "app.acked_again") > 0 || value (v, "app.went_live") > 1)
    printf ("           the app acked %.0f messages the publisher did not send and %.0f of its events twice; "
            "its connection went live %.0f times (FCM_BENCH_TRACE=1 names them)\n",
            value (v, "app.acked_other"), value (v, "app.acked_again"), value (v, "app.went_live"));
  if (value (v, "publisher.syncerrors") > 0)
    printf ("           syncerrors in the session: %.0f (the app acks them too; FCM_BENCH_TRACE=1 says what about)\n",
            value (v, "publisher.syncerrors"));
  if (g_hash_table_contains (v, "hub.rss_kb"))
    printf ("           the separate hub's RSS at the end: %.0f MB\n", value (v, "hub.rss_kb") / 1024.0);
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

  printf ("bench-app-load: %d events/s, %d events (≥ %d s), %d run(s) each; the app under Xvfb with real widgets%s\n",
          rate, MAX (n_events, rate * seconds), seconds, runs,
          without_panel ? " (diagnosis: without the context panel)" : "");
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
      print_spread (results, "main-loop stall (timer in the app)", "app.timer_late_max_ms", 1, "ms", 50, TRUE);
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

  /* stdout carries each process's report: G_MESSAGES_DEBUG output goes to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

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

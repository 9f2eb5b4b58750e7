/* bench-drain.c: how fast a subscriber drains a backlog, `fhircast watch`
 * against @medplum/core, on the same `fhircast hub` in the same run
 *
 * For each round and each subscriber (their order alternates per round):
 *   1. the subscriber subscribes to DiagnosticReport-open on a topic of its
 *      own and connects (`fhircast watch … > /dev/null`, or node running
 *      tests/interop/medplum-drain.mjs: @medplum/core's FHIRcast client with
 *      a message listener, acking each event as it does);
 *   2. once the hub lists it as connected (GET /admin/subscribers), it is
 *      stopped (SIGSTOP) and N events are posted to its topic: the spec's
 *      DiagnosticReport-open, fresh ids, every one broadcast;
 *   3. it is continued (SIGCONT) and the hub is polled every 2 ms until no
 *      ack is pending: the drain rate is N / that time, and the
 *      subscriber's CPU time over it (from /proc) is its cost.
 * The figure of record is the ratio watch / Medplum, per round and as the
 * median of the rounds: both ran on the same hub and the same machine
 * within seconds of each other, so a busy machine slows both. Next to it,
 * the CPU each needs per event (Medplum's / watch's): wall-clock rates on a
 * shared machine also depend on how the scheduler shares the cores out.
 *
 * Without node, npm or the packages (tests/interop/install-medplum.sh puts
 * them in BUILD/tests/interop) only watch is measured and the ratio is not
 * reported.
 *
 * Usage: bench-drain [--events N] [--rounds R] [--interop-dir DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <libsoup/soup.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-bench.h"

#define TARGET_RATIO 1.5
#define IN_FLIGHT    8

static gint n_events = 10000;
static gint n_rounds = 3;
static char *interop_dir;

static GOptionEntry entries[] = {
  { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Backlog size (default 10000)", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &n_rounds, "Rounds (default 3)", "R" },
  { "interop-dir", 0, 0, G_OPTION_ARG_FILENAME, &interop_dir,
    "Where medplum-drain.mjs and its node_modules are (default BUILD/tests/interop)", "DIR" },
  { NULL }
};

typedef enum
{
  PEER_WATCH,
  PEER_MEDPLUM,
  N_PEERS
} Peer;

static const char * const peer_names[N_PEERS] = { "fhircast watch", "@medplum/core" };

typedef struct
{
  SoupSession *session;
  char        *hub_url;      /* hub.url */
  char        *origin;       /* http://127.0.0.1:PORT */
  char        *template;     /* the open vector, compact, with @ID@ @TS@ @TOPIC@ */
  GMainLoop   *loop;

  /* the round under way */
  const char  *topic;
  guint        posted;
  guint        answered;
  guint        retries;
  gint         pending;      /* acks the hub waits for; -1 until known */
  gboolean     connected;

  GPid         hub_pid;
  GPid         peer_pid;
} Bench;

/* ------------------------------------------------------------------ hub */

static char *
read_first_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

static char *
make_event (Bench *bench,
            guint  n)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *ts = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  GString *s = g_string_new (bench->template);

  g_string_replace (s, "@ID@", id, 0);
  g_string_replace (s, "@TS@", ts, 0);
  g_string_replace (s, "@TOPIC@", bench->topic, 0);
  return g_string_free (s, FALSE);
}

static void post_next (Bench *bench);

/* Ends the benchmark with a message, and the processes it started with it. */
static void G_GNUC_PRINTF (2, 3) G_GNUC_NORETURN
fail (Bench      *bench,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-drain: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  if (bench->peer_pid > 0)
    {
      kill (bench->peer_pid, SIGCONT);
      kill (bench->peer_pid, SIGKILL);
    }
  if (bench->hub_pid > 0)
    kill (bench->hub_pid, SIGKILL);
  exit (1);
}

static void
post_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Bench *bench = data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      /* a kept-alive connection the hub closed under us: post another one
       * (the hub may have taken this one: the backlog is what the hub says) */
      if (bench->retries++ > 100)
        fail (bench, "posting to the hub: %s", error->message);
      bench->posted--;
      post_next (bench);
      return;
    }
  if (soup_message_get_status (msg) >= 300)
    fail (bench, "the hub refused an event: %u %.*s", soup_message_get_status (msg),
          (int) MIN (g_bytes_get_size (body), 300), (const char *) g_bytes_get_data (body, NULL));
  bench->answered++;
  if (g_getenv ("BENCH_DRAIN_DEBUG") && bench->answered % 1000 == 0)
    g_printerr ("  posted %u at %.3f s\n", bench->answered, g_get_monotonic_time () / 1e6);
  if (bench->answered == (guint) n_events)
    g_main_loop_quit (bench->loop);
  else
    post_next (bench);
}

/* libsoup writes a request's headers and body separately: with Nagle's
 * algorithm on, the body waits for the hub's delayed ACK of the headers
 * (40 ms), so posting ran at ~200 events/s with 8 requests in flight. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static void
post_next (Bench *bench)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  char *event;

  if (bench->posted >= (guint) n_events)
    return;

  event = make_event (bench, bench->posted++);
  body = g_bytes_new_take (event, strlen (event));
  msg = soup_message_new ("POST", bench->hub_url);
  /* as our client does (src/client/fcm-hub-client.c): libsoup never reuses
   * a POST's connection, and a hub should not have to keep it */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Connection", "close");
  /* libsoup never reuses a kept-alive connection for a POST unless told it
   * may: without this flag every event opened a connection of its own and
   * the hub, which keeps closed ones in CLOSE-WAIT (issue 14.3), ran out of
   * file descriptors before 10,000 */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), NULL);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL, post_cb, bench);
}

/* Posts n_events events to bench->topic, IN_FLIGHT at a time. */
static void
post_backlog (Bench *bench)
{
  bench->posted = bench->answered = bench->retries = 0;
  for (guint i = 0; i < IN_FLIGHT; i++)
    post_next (bench);
  g_main_loop_run (bench->loop);
}

/* GET /admin/subscribers?topic=…: connected, acksPending */
static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Bench *bench = data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmDoc) doc = NULL;
  const FcmJson *sub;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      /* as in post_cb: ask again */
      if (bench->retries++ > 100)
        fail (bench, "admin: %s", error->message);
      bench->connected = FALSE;
      bench->pending = -2;
      g_main_loop_quit (bench->loop);
      return;
    }
  doc = fcm_doc_parse (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  if (doc == NULL)
    fail (bench, "admin: %s", error->message);
  sub = fcm_doc_first (fcm_doc_get_array (fcm_doc_get_root (doc), "subscribers"));
  bench->connected = FALSE;
  bench->pending = -1;
  if (sub != NULL)
    {
      gint64 pending = -1;

      fcm_doc_boolean (fcm_doc_member (sub, "connected"), &bench->connected);
      if (fcm_doc_get_int (sub, "acksPending", &pending))
        bench->pending = (gint) pending;
    }
  g_main_loop_quit (bench->loop);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
poll_hub (Bench *bench,
          guint  after_ms)
{
  g_autofree char *escaped = g_uri_escape_string (bench->topic, NULL, TRUE);
  g_autofree char *url = g_strdup_printf ("%s/admin/subscribers?topic=%s", bench->origin, escaped);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  if (after_ms > 0)
    {
      g_timeout_add (after_ms, quit_cb, bench->loop);
      g_main_loop_run (bench->loop);
    }
  soup_session_send_and_read_async (bench->session, msg, G_PRIORITY_DEFAULT, NULL, poll_cb, bench);
  g_main_loop_run (bench->loop);
}

/* ------------------------------------------------------------------ one drain */

/* How many times @pid went to sleep (voluntary context switches, all its
 * threads): each is a wake-up that waits for a core on a busy machine. */
static guint64
pid_sleeps (GPid pid)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%d/task", (int) pid);
  g_autoptr(GDir) tasks = g_dir_open (dir, 0, NULL);
  const char *task;
  guint64 total = 0;

  while (tasks != NULL && (task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, task, "status", NULL);
      g_autofree char *status = NULL;
      const char *line;

      if (g_file_get_contents (path, &status, NULL, NULL) &&
          (line = strstr (status, "\nvoluntary_ctxt_switches:")) != NULL)
        total += g_ascii_strtoull (line + strlen ("\nvoluntary_ctxt_switches:"), NULL, 10);
    }
  return total;
}

typedef struct
{
  gint   backlog;       /* what the hub had queued (n_events, or more after a retry) */
  double rate;          /* events/s */
  double cpu_ms;        /* subscriber CPU over the drain */
  double hub_cpu_ms;    /* the hub's, over the same time */
  guint64 sleeps;       /* the subscriber's voluntary context switches */
  guint64 hub_sleeps;   /* the hub's */
  double seconds;
} Drain;

static void die_with_parent (gpointer data);

static GPid
start_peer (Bench       *bench,
            Peer         peer,
            const char  *fhircast,
            const char  *topic)
{
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  const char *watch_argv[] = { fhircast, "watch", "--hub", bench->hub_url, "--topic", topic,
                               "--events", "DiagnosticReport-open", "--name", "bench-drain", NULL };
  const char *node_argv[] = { "node", NULL, bench->hub_url, topic, NULL };
  int devnull = open ("/dev/null", O_WRONLY);
  GPid pid;

  if (peer == PEER_MEDPLUM)
    {
      script = g_build_filename (interop_dir, "medplum-drain.mjs", NULL);
      node_argv[1] = script;
    }
  /* stdout to /dev/null, as `fhircast watch > /dev/null` */
  if (!g_spawn_async_with_fds (NULL, (char **) (peer == PEER_WATCH ? watch_argv : node_argv), NULL,
                               G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH, die_with_parent, NULL, &pid,
                               -1, devnull, -1, &error))
    fail (bench, "starting %s: %s", peer_names[peer], error->message);
  close (devnull);
  return pid;
}

/* The hub and the subscribers go when the benchmark does, even when it is
 * killed (a `timeout`, Ctrl+C): a SIGSTOPped node left behind holds its
 * socket, and a hub holds its port. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
stop_peer (GPid pid)
{
  int status;

  kill (pid, SIGCONT);
  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
}

static Drain
drain (Bench      *bench,
       Peer        peer,
       const char *fhircast,
       guint       round)
{
  g_autofree char *topic = g_strdup_printf ("bench-drain-%u-%s-%u", round,
                                            peer == PEER_WATCH ? "watch" : "medplum",
                                            g_random_int ());
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 t0, t1;
  double cpu0, cpu1, hub0, hub1;
  guint64 sleeps0, hub_sleeps0;
  Drain d = { 0, };
  GPid pid;

  bench->topic = topic;
  pid = bench->peer_pid = start_peer (bench, peer, fhircast, topic);
  do
    {
      poll_hub (bench, 20);
      if (g_get_monotonic_time () > deadline)
        fail (bench, "%s did not connect within 30 s", peer_names[peer]);
    }
  while (!bench->connected);

  kill (pid, SIGSTOP);
  post_backlog (bench);
  do
    poll_hub (bench, 0);
  while (bench->pending == -2);
  if (bench->pending < n_events)
    fail (bench, "the hub has %d acks pending from %s, expected %d", bench->pending,
          peer_names[peer], n_events);
  d.backlog = bench->pending;

  cpu0 = fcm_bench_pid_cpu_ms (pid);
  hub0 = fcm_bench_pid_cpu_ms (bench->hub_pid);
  sleeps0 = pid_sleeps (pid);
  hub_sleeps0 = pid_sleeps (bench->hub_pid);
  t0 = g_get_monotonic_time ();
  kill (pid, SIGCONT);
  deadline = t0 + 120 * G_USEC_PER_SEC;
  do
    {
      poll_hub (bench, 2);
      if (g_get_monotonic_time () > deadline)
        fail (bench, "%s did not drain %d events within 120 s", peer_names[peer], d.backlog);
    }
  while (bench->pending != 0);
  t1 = g_get_monotonic_time ();
  cpu1 = fcm_bench_pid_cpu_ms (pid);
  hub1 = fcm_bench_pid_cpu_ms (bench->hub_pid);
  d.sleeps = pid_sleeps (pid) - sleeps0;
  d.hub_sleeps = pid_sleeps (bench->hub_pid) - hub_sleeps0;
  if (!bench->connected)
    fail (bench, "%s left while draining", peer_names[peer]);

  stop_peer (pid);
  bench->peer_pid = 0;

  d.seconds = (t1 - t0) / (double) G_USEC_PER_SEC;
  d.rate = d.backlog / d.seconds;
  d.cpu_ms = cpu1 - cpu0;
  d.hub_cpu_ms = hub1 - hub0;
  return d;
}

/* ------------------------------------------------------------------ main */

static char *
load_template (void)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *compact = NULL;
  GString *s;

  path = g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : "tests",
                           "data", "vectors", "diagnosticreport-open.json", NULL);
  if (!g_file_get_contents (path, &text, NULL, &error) ||
      !(node = fcm_json_parse (text, -1, &error)))
    g_error ("%s: %s", path, error->message);
  compact = fcm_json_to_string (node, FALSE);
  s = g_string_new (compact);
  g_string_replace (s, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45", "@ID@", 0);
  g_string_replace (s, "2025-03-14T09:26:53.589Z", "@TS@", 0);
  g_string_replace (s, "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37", "@TOPIC@", 0);
  return g_string_free (s, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *bench_dir = NULL;
  g_autofree char *build = NULL;
  g_autofree char *fhircast = NULL;
  g_autofree char *script = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *node = NULL;
  g_autofree char *first_line = NULL;
  g_autoptr(GUri) uri = NULL;
  /* the backlog waits unsent while the subscriber is stopped: 10,000
   * events are about 16 MiB, past the hub's default cap of 4 MiB */
  const char *hub_argv[] = { NULL, "hub", "--port", "0", "--no-auth", "--admin",
                             "--max-queue", "256", "--ack-timeout", "600", NULL };
  double rates[N_PEERS][64], cpus[N_PEERS][64], ratios[64], cpu_ratios[64];
  gboolean with_medplum;
  Bench bench = { 0, };
  GPid hub_pid;
  int hub_out;

  ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  if (n_events < 1 || n_rounds < 1 || n_rounds > 64)
    {
      g_printerr ("--events must be >= 1 and --rounds 1..64\n");
      return 64;
    }

  fcm_bench_init ("bench-drain");
  signal (SIGPIPE, SIG_IGN);

  /* BUILD/tests/bench/bench-drain → BUILD */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  bench_dir = g_path_get_dirname (exe);
  build = g_build_filename (bench_dir, "..", "..", NULL);
  fhircast = g_getenv ("FHIRCAST_CLI") ? g_strdup (g_getenv ("FHIRCAST_CLI"))
                                       : g_build_filename (build, "src", "cli", "fhircast", NULL);
  if (interop_dir == NULL)
    interop_dir = g_build_filename (build, "tests", "interop", NULL);
  script = g_build_filename (interop_dir, "medplum-drain.mjs", NULL);
  modules = g_build_filename (interop_dir, "node_modules", "@medplum", "core", NULL);
  node = g_find_program_in_path ("node");
  with_medplum = node != NULL &&
                 g_file_test (script, G_FILE_TEST_EXISTS) && g_file_test (modules, G_FILE_TEST_IS_DIR);

  bench.template = load_template ();
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.session = soup_session_new_with_options ("max-conns-per-host", IN_FLIGHT,
                                                 "max-conns", IN_FLIGHT * 2, NULL);

  hub_argv[0] = fhircast;
  if (!g_spawn_async_with_pipes (NULL, (char **) hub_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                 die_with_parent, NULL, &hub_pid, NULL, &hub_out, NULL, &error))
    g_error ("starting the hub: %s", error->message);
  bench.hub_pid = hub_pid;
  first_line = read_first_line (hub_out);
  if (!(uri = g_uri_parse (first_line, G_URI_FLAGS_NONE, &error)))
    fail (&bench, "the hub's first line is not its URL: %s", first_line);
  bench.hub_url = g_strdup (first_line);
  bench.origin = g_strdup_printf ("http://%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  printf ("Subscriber drain: a backlog of %d DiagnosticReport-open events on one `fhircast hub`, "
          "%d round(s), peers alternating\n", n_events, n_rounds);
  if (!with_medplum)
    printf ("@medplum/core is not available here (%s): only `fhircast watch` is measured, "
            "there is no ratio\n",
            node == NULL ? "no node on PATH"
                                                    : "not installed by tests/interop/install-medplum.sh");
  printf ("%6s %-16s %12s %10s %16s %16s %8s %10s\n", "round", "subscriber", "events/s", "seconds",
          "CPU s/1000 ev", "hub CPU s/1000", "sleeps", "hub sleeps");
  fflush (stdout);

  for (gint r = 0; r < n_rounds; r++)
    {
      for (guint k = 0; k < N_PEERS; k++)
        {
          Peer peer = (Peer) ((k + r) % N_PEERS);
          Drain d;

          if (peer == PEER_MEDPLUM && !with_medplum)
            continue;
          d = drain (&bench, peer, fhircast, r);
          rates[peer][r] = d.rate;
          cpus[peer][r] = d.cpu_ms / d.backlog;  /* ms per event = s per 1000 */
          printf ("%6d %-16s %12.0f %10.3f %16.3f %16.3f %8" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
                  r + 1, peer_names[peer], d.rate, d.seconds, cpus[peer][r], d.hub_cpu_ms / d.backlog,
                  d.sleeps, d.hub_sleeps);
          fflush (stdout);
        }
      if (with_medplum)
        {
          ratios[r] = rates[PEER_WATCH][r] / rates[PEER_MEDPLUM][r];
          /* the same comparison by CPU: how many times the CPU per event
           * @medplum/core needs; independent of what else the machine runs */
          cpu_ratios[r] = cpus[PEER_MEDPLUM][r] / cpus[PEER_WATCH][r];
          printf ("%6d %-16s %12.2f %10s %16.2f\n", r + 1, "ratio", ratios[r], "", cpu_ratios[r]);
          fflush (stdout);
        }
    }

  kill (hub_pid, SIGTERM);
  waitpid (hub_pid, NULL, 0);
  g_spawn_close_pid (hub_pid);

  {
    double spread_lo = rates[PEER_WATCH][0], spread_hi = rates[PEER_WATCH][0];

    for (gint r = 1; r < n_rounds; r++)
      {
        spread_lo = MIN (spread_lo, rates[PEER_WATCH][r]);
        spread_hi = MAX (spread_hi, rates[PEER_WATCH][r]);
      }
    fcm_bench_info ("drain fhircast watch (median)", fcm_bench_median (rates[PEER_WATCH], n_rounds),
                    "events/s");
    fcm_bench_info ("drain fhircast watch (lowest)", spread_lo, "events/s");
    fcm_bench_info ("drain fhircast watch (highest)", spread_hi, "events/s");
    fcm_bench_info ("drain fhircast watch CPU per 1000 events",
                    fcm_bench_median (cpus[PEER_WATCH], n_rounds), "s");
  }
  if (with_medplum)
    {
      double lo = ratios[0], hi = ratios[0];

      fcm_bench_info ("drain @medplum/core (median)", fcm_bench_median (rates[PEER_MEDPLUM], n_rounds),
                      "events/s");
      fcm_bench_info ("drain @medplum/core CPU per 1000 events",
                      fcm_bench_median (cpus[PEER_MEDPLUM], n_rounds), "s");

      for (gint r = 1; r < n_rounds; r++)
        {
          lo = MIN (lo, ratios[r]);
          hi = MAX (hi, ratios[r]);
        }
      fcm_bench_info ("drain ratio watch / @medplum/core (lowest round)", lo, "ratio");
      fcm_bench_info ("drain ratio watch / @medplum/core (highest round)", hi, "ratio");
      fcm_bench_info ("drain CPU per event @medplum/core / watch (median of rounds)",
                      fcm_bench_median (cpu_ratios, n_rounds), "ratio");
      fcm_bench_target ("drain ratio watch / @medplum/core (median of rounds)",
                        fcm_bench_median (ratios, n_rounds), "ratio", FCM_BENCH_AT_LEAST, TARGET_RATIO);
    }

  return 0;
}

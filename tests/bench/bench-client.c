/* bench-client.c: ingest throughput of one subscriber (FcmHubClient in an FcmMonitor)
 *
 * A scripted hub runs in a child process (this binary with --server): it
 * answers the subscribe POST and the Get Current Context GET, confirms on the
 * WebSocket, then streams N realistic DiagnosticReport-open/update events
 * (the spec vectors in tests/data/vectors, ~1.6-1.9 KB each, fresh ids,
 * increasing timestamps and chained context.versionId/priorVersionId over 20
 * reports, so the context store applies every one of them). It keeps at most
 * --window events unacknowledged, like a hub that is waiting for acks.
 *
 * The parent is what the app runs per hub: FcmHubClient → FcmMonitor
 * (validator, event log, context store). Measured: events/s from the first
 * event frame until all N are in the event log and acked (the ack is the
 * client's reply on the socket, C-28), and the parent's RSS. The server
 * process reports how many acks it got, which must be N.
 *
 * Usage: bench-client [--events N] [--window N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "fcm-client.h"
#include "fcm-bench.h"

#define TOPIC      "bench-client-topic"
#define N_REPORTS  20
#define PER_REPORT 5      /* one open, then four updates */
#define TARGET     20000.0   /* events/s */
#define TARGET_CPU 50.0      /* µs of CPU per event, validation included */

static gint n_events = 50000;
static gint window = 4096;
static gboolean server_mode;

static GOptionEntry entries[] = {
  { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events to stream (default 50000)", "N" },
  { "window", 0, 0, G_OPTION_ARG_INT, &window, "Unacknowledged events the server allows (default 4096)", "N" },
  { "server", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &server_mode, "Run the scripted hub", NULL },
  { NULL }
};

/* ------------------------------------------------------------------ scripted hub (child) */

typedef struct
{
  SoupServer              *server;
  char                    *ws_url;
  SoupWebsocketConnection *ws;
  char                    *open_template;
  char                    *update_template;
  char                    *versions[N_REPORTS];
  gint64                   base_ms;
  guint                    sent;
  guint                    acked;
  guint                    refused;
  guint                    pump_id;
  gboolean                 streaming;
} Hub;

static char *
load_compact (const char *name)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  path = g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : "tests",
                           "data", "vectors", name, NULL);
  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  node = json_from_string (text, &error);
  if (node == NULL)
    g_error ("%s: %s", path, error->message);
  return json_to_string (node, FALSE);
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  GString *s = g_string_new (text);

  if (g_string_replace (s, from, to, 0) == 0)
    g_error ("template has no %s", from);
  return g_string_free (s, FALSE);
}

static void
hub_make_templates (Hub *hub)
{
  g_autofree char *open = load_compact ("diagnosticreport-open.json");
  g_autofree char *update = load_compact ("diagnosticreport-update-event.json");
  char *tmp;

#define SUBST(var, from, to) \
  G_STMT_START { tmp = replace_all (var, from, to); g_free (var); var = tmp; } G_STMT_END

  SUBST (open, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45", "@ID@");
  SUBST (open, "2025-03-14T09:26:53.589Z", "@TS@");
  SUBST (open, "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37", TOPIC);
  SUBST (open, "rpt-9a41c7d2", "@RPT@");
  /* the hub gives an open a version id (C-32) */
  SUBST (open, "\"hub.event\":\"DiagnosticReport-open\",",
         "\"hub.event\":\"DiagnosticReport-open\",\"context.versionId\":\"@VER@\",");

  SUBST (update, "d7f2e9a1-3b6c-4d80-a5e4-1c9b8d7f6e20", "@ID@");
  SUBST (update, "2025-03-14T09:38:12.410Z", "@TS@");
  SUBST (update, "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37", TOPIC);
  SUBST (update, "rpt-9a41c7d2", "@RPT@");
  SUBST (update, "a8f41e26-0c93-4d7b-b5e2-31d9c6f0a874", "@VER@");
  SUBST (update, "5e0b3c1d-6f27-4a8e-9d12-7b4c0e9a2f61", "@PRIOR@");
#undef SUBST

  hub->open_template = g_steal_pointer (&open);
  hub->update_template = g_steal_pointer (&update);
}

static char *
hub_make_event (Hub  *hub,
                guint n)
{
  guint report = (n / PER_REPORT) % N_REPORTS;
  gboolean is_open = n % PER_REPORT == 0;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *version = g_uuid_string_random ();
  g_autofree char *rpt = g_strdup_printf ("rpt-bench-%02u", report);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *ts = NULL;
  gint64 ms = hub->base_ms + n;
  GString *s;

  dt = g_date_time_new_from_unix_utc (ms / 1000);
  ts = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                        g_date_time_get_year (dt), g_date_time_get_month (dt),
                        g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                        g_date_time_get_minute (dt), g_date_time_get_second (dt),
                        (int) (ms % 1000));

  s = g_string_new (is_open ? hub->open_template : hub->update_template);
  g_string_replace (s, "@ID@", id, 0);
  g_string_replace (s, "@TS@", ts, 0);
  g_string_replace (s, "@RPT@", rpt, 0);
  g_string_replace (s, "@VER@", version, 0);
  if (!is_open)
    g_string_replace (s, "@PRIOR@", hub->versions[report] ? hub->versions[report] : "", 0);
  g_free (hub->versions[report]);
  hub->versions[report] = g_steal_pointer (&version);

  return g_string_free (s, FALSE);
}

static void hub_pump (Hub *hub);

static void
hub_ws_message_cb (SoupWebsocketConnection *ws,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   Hub                     *hub)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  /* {"id":"…","status":"200"} */
  if (g_strstr_len (data, len, "\"status\":\"200\"") == NULL)
    hub->refused++;
  hub->acked++;
  if (hub->acked == (guint) n_events)
    {
      printf ("ACKED %u REFUSED %u\n", hub->acked, hub->refused);
      fflush (stdout);
    }
  hub_pump (hub);
}

static void
hub_pump (Hub *hub)
{
  if (!hub->streaming || hub->ws == NULL ||
      soup_websocket_connection_get_state (hub->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  while (hub->sent < (guint) n_events && hub->sent - hub->acked < (guint) window)
    {
      char *frame = hub_make_event (hub, hub->sent++);

      soup_websocket_connection_send_text (hub->ws, frame);
      g_free (frame);
    }
}

static void
hub_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *ws,
           gpointer                 data)
{
  Hub *hub = data;

  if (hub->ws != NULL)
    g_error ("the client connected twice");
  hub->ws = g_object_ref (ws);
  soup_websocket_connection_set_max_incoming_payload_size (ws, 1024 * 1024);
  g_signal_connect (ws, "message", G_CALLBACK (hub_ws_message_cb), hub);
  soup_websocket_connection_send_text (ws,
    "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"" TOPIC "\","
    "\"hub.events\":\"" FCM_HUB_CLIENT_DEFAULT_EVENTS "\",\"hub.lease_seconds\":3600}");
}

static void
hub_http_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           data)
{
  Hub *hub = data;

  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      g_autofree char *body = g_strdup_printf ("{\"hub.channel.endpoint\":\"%s\"}", hub->ws_url);

      soup_server_message_set_status (msg, 202, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
      return;
    }

  /* Get Current Context (C-52): the client asks right after the confirmation;
   * the stream starts with the answer. */
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"context.type\":\"\",\"context\":[]}", 33);
  if (!hub->streaming)
    {
      hub->streaming = TRUE;
      hub_pump (hub);
    }
}

static int
run_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Hub hub = { 0 };
  GSList *uris;
  int port;

  hub_make_templates (&hub);
  hub.base_ms = g_get_real_time () / 1000 - n_events - 60000;
  hub.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hub.server, "/hub", hub_http_cb, &hub, NULL);
  soup_server_add_websocket_handler (hub.server, "/ws", NULL, NULL, hub_ws_cb, &hub, NULL);
  if (!soup_server_listen_local (hub.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("listen: %s", error->message);
  uris = soup_server_get_uris (hub.server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  hub.ws_url = g_strdup_printf ("ws://127.0.0.1:%d/ws", port);

  printf ("URL http://127.0.0.1:%d/hub\n", port);
  fflush (stdout);
  /* the parent ends us with SIGKILL when it is done */
  g_main_loop_run (loop);
  return 0;
}

/* ------------------------------------------------------------------ client (parent) */

typedef struct
{
  FcmMonitor *monitor;
  guint       frames;
  guint       events;
  guint       acks;
  guint       acks_200;
  gint64      first_usec;
  gint64      last_usec;
  gboolean    subscribed;
  GError     *error;
  char       *server_line;
} Run;

static void
frame_after_cb (FcmHubClient   *client,
                const char     *text,
                FcmMessageKind  kind,
                Run            *run)
{
  if (kind != FCM_MESSAGE_EVENT)
    return;
  if (run->events++ == 0)
    run->first_usec = g_get_monotonic_time ();
}

static void
ack_after_cb (FcmHubClient *client,
              const char   *id,
              guint         status,
              Run          *run)
{
  run->acks++;
  if (status == 200)
    run->acks_200++;
  run->last_usec = g_get_monotonic_time ();
}

static void
subscribe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &run->error);
  run->subscribed = TRUE;
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->server_line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                result, NULL, &error);
  if (run->server_line == NULL)
    run->server_line = g_strdup (error ? error->message : "(server closed its output)");
}

static void
read_memory (guint64 *rss_kb,
             guint64 *hwm_kb)
{
  g_autofree char *status = NULL;
  const char *p;

  *rss_kb = *hwm_kb = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((p = strstr (status, "VmRSS:")) != NULL)
    *rss_kb = g_ascii_strtoull (p + 6, NULL, 10);
  if ((p = strstr (status, "VmHWM:")) != NULL)
    *hwm_kb = g_ascii_strtoull (p + 6, NULL, 10);
}

static int
run_client (const char *self_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autofree char *line = NULL;
  g_autofree char *events_arg = g_strdup_printf ("--events=%d", n_events);
  g_autofree char *window_arg = g_strdup_printf ("--window=%d", window);
  FcmEventLog *log;
  FcmEventLogEntry *last;
  guint64 rss_before, rss_kb, hwm_kb;
  double seconds, cpu_before, cpu_ingest;
  Run run = { 0 };

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             self_path, "--server", events_arg, window_arg, NULL);
  if (server == NULL)
    g_error ("starting the server: %s", error->message);
  server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  /* set-up only: the first line is the hub URL */
  line = g_data_input_stream_read_line_utf8 (server_out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "URL "))
    g_error ("server did not start: %s", error ? error->message : (line ? line : "EOF"));
  g_data_input_stream_read_line_async (server_out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &run);

  read_memory (&rss_before, &hwm_kb);

  client = fcm_hub_client_new (line + 4, TOPIC);
  fcm_hub_client_set_subscriber_name (client, "bench-client");
  run.monitor = fcm_monitor_new (client);
  g_signal_connect_after (client, "frame", G_CALLBACK (frame_after_cb), &run);
  g_signal_connect_after (client, "ack-sent", G_CALLBACK (ack_after_cb), &run);

  cpu_before = fcm_bench_cpu_ms ();
  fcm_hub_client_subscribe_async (client, NULL, subscribe_cb, &run);
  while (!run.subscribed)
    g_main_context_iteration (NULL, TRUE);
  if (run.error != NULL)
    g_error ("subscribe: %s", run.error->message);

  while (run.acks < (guint) n_events)
    {
      g_main_context_iteration (NULL, TRUE);
      if (fcm_hub_client_get_state (client) != FCM_CLIENT_STATE_ACTIVE)
        g_error ("client left the active state: %s",
                 fcm_client_state_to_string (fcm_hub_client_get_state (client)));
    }
  cpu_ingest = fcm_bench_cpu_ms () - cpu_before;
  read_memory (&rss_kb, &hwm_kb);

  /* everything was logged and the last entry carries its ack */
  log = fcm_monitor_get_event_log (run.monitor);
  last = g_list_model_get_n_items (G_LIST_MODEL (log)) > 0
           ? g_list_model_get_item (G_LIST_MODEL (log), g_list_model_get_n_items (G_LIST_MODEL (log)) - 1)
           : NULL;
  if (run.events != (guint) n_events || last == NULL ||
      fcm_event_log_entry_get_ack_status (last) != 200)
    g_error ("%u of %d events logged, last entry ack %u", run.events, n_events,
             last ? fcm_event_log_entry_get_ack_status (last) : 0);
  g_clear_object (&last);

  while (run.server_line == NULL)
    g_main_context_iteration (NULL, TRUE);

  seconds = (run.last_usec - run.first_usec) / (double) G_USEC_PER_SEC;
  printf ("FHIRcast Monitor client benchmark (loopback, %d DiagnosticReport open/update events, "
          "window %d, hub in a child process)\n", n_events, window);
  fcm_bench_target ("client ingest (log + ack)", (n_events - 1) / seconds, "events/s",
                    FCM_BENCH_AT_LEAST, TARGET);
  fcm_bench_info ("client ingest elapsed", seconds * 1000, "ms");
  fcm_bench_info ("client acks 200 sent", run.acks_200, "");
  fcm_bench_info ("client event log entries kept", g_list_model_get_n_items (G_LIST_MODEL (log)), "");
  fcm_bench_info ("client context store items",
                  g_list_model_get_n_items (G_LIST_MODEL (fcm_monitor_get_context_store (run.monitor))),
                  "");
  fcm_bench_info ("client RSS before subscribing", rss_before / 1024.0, "MiB");
  fcm_bench_info ("client RSS after", rss_kb / 1024.0, "MiB");
  fcm_bench_info ("client RSS peak (VmHWM)", hwm_kb / 1024.0, "MiB");

  g_signal_handlers_disconnect_by_data (client, &run);
  g_clear_object (&run.monitor);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);

  /* CPU time does not depend on what else the machine runs; wall-clock
   * events/s does (2 cores shared with builds: expect noise). */
  fcm_bench_target ("client CPU per event (validation included)", cpu_ingest * 1000.0 / n_events,
                    "us", FCM_BENCH_AT_MOST, TARGET_CPU);
  fcm_bench_info ("client events/s on one free core", n_events / (cpu_ingest / 1000.0), "events/s");
  fcm_bench_info ("client bench: server CPU (whole run)", fcm_bench_children_cpu_ms (), "ms");
  printf ("server: %s\n", run.server_line);

  return run.acks_200 == (guint) n_events ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = NULL;

  ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  if (n_events < 2 || window < 1)
    {
      g_printerr ("--events must be >= 2 and --window >= 1\n");
      return 64;
    }

  if (server_mode)
    return run_server ();

  fcm_bench_init ("bench-client");
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  return run_client (self_path ? self_path : argv[0]);
}

/* fcm-cli-watch.c: `fhircast watch`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One FcmMonitor, as the app runs for each hub, printing one NDJSON line
 * for everything it sees; `--record` is fcm-cli-record.c.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fcm-client.h"
#include "fcm-json-private.h"
#include "fcm-cli-private.h"
#include "fcm-cli-client-private.h"

/* ------------------------------------------------------------------ watch */

/* `watch` is one FcmMonitor, the subscriber the app runs for each hub: it
 * validates every frame, keeps the context store (and so fetches the current
 * context after a version gap or somebody else's close, C-33 / C-54) and
 * its event log. Watch prints what the monitor saw. */
typedef struct
{
  FcmMonitor *monitor;
  FcmHubClient *client;
  GMainLoop *loop;
  int count;
  int seen;
  int exit_code;
  gboolean stopping;
  guint timeout_id;
} Watch;

/* "2025-03-14T09:26:53.589123Z": the date and time formatted once a second */
static void
append_now (GString *out)
{
  static gint64 cached_second = -1;
  static char cached[32];
  gint64 now = g_get_real_time ();

  if (now / G_USEC_PER_SEC != cached_second)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

      g_strlcpy (cached, text, sizeof cached);
      cached_second = now / G_USEC_PER_SEC;
    }
  g_string_append (out, cached);
  g_string_append_c (out, '.');
  fcm_json_append_uint (out, (guint) (now % G_USEC_PER_SEC), 6);
  g_string_append_c (out, 'Z');
}

static guint flush_id;

static gboolean
flush_cb (gpointer data)
{
  flush_id = 0;
  fflush (stdout);
  return G_SOURCE_REMOVE;
}

/* --record: a line is shown once what it is about is in the recording */
static FcmCliRecord *watch_record;

/* Shows one line of output (@line without its newline). Lines are flushed
 * when the main loop has nothing else to do, so a burst of frames costs
 * one write; with --record, once the recording has them. */
static void
watch_show (const char *line,
            gsize       len)
{
  if (watch_record != NULL)
    {
      fcm_cli_record_show (watch_record, line);
      return;
    }
  fwrite (line, 1, len, stdout);
  fputc ('\n', stdout);
  if (flush_id == 0)
    flush_id = g_idle_add (flush_cb, NULL);
}

/* One NDJSON line: {"kind","at","message","issues"}. @message_json is
 * already JSON text without line breaks. Lines are flushed when the main
 * loop has nothing else to do, so a burst of frames costs one write. */
static void
print_line (const char *kind,
            const char *message_json,
            GPtrArray  *issues)
{
  g_autoptr(GString) line = g_string_sized_new (128 + strlen (message_json));

  g_string_append (line, "{\"kind\":");
  fcm_json_append_string (line, kind);
  g_string_append (line, ",\"at\":\"");
  append_now (line);
  g_string_append (line, "\",\"message\":");
  g_string_append (line, message_json);
  g_string_append (line, ",\"issues\":[");
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      g_autoptr(JsonNode) node = fcm_issue_to_json (g_ptr_array_index (issues, i));
      g_autofree char *text = fcm_json_to_string (node, FALSE);

      if (i > 0)
        g_string_append_c (line, ',');
      g_string_append (line, text);
    }
  g_string_append (line, "]}");

  watch_show (line->str, line->len);
}

static void
print_node_line (const char *kind,
                 JsonNode   *node)
{
  g_autofree char *text = fcm_json_to_string (node, FALSE);

  print_line (kind, text, NULL);
}

/* A received message as one line of JSON: its text as it came when that
 * is one line of plain JSON (no control characters anywhere: returns NULL,
 * the text is used as it is), else cJSON's compact writing of it; a text
 * that is not JSON as a string. */
static char *
message_json (FcmMessage *message)
{
  const char *text = fcm_message_get_text (message);
  FcmDoc *doc = fcm_message_get_doc (message);
  gsize len = strlen (text);
  guchar below_space = 0;
  GString *out;

  if (doc == NULL)
    {
      out = g_string_new (NULL);
      fcm_json_append_string (out, text);
      return g_string_free (out, FALSE);
    }

  /* no early exit: the compiler checks many bytes at a time */
  for (gsize i = 0; i < len; i++)
    below_space |= (guchar) text[i] < 0x20;
  if (below_space)
    return fcm_doc_to_string (fcm_doc_get_root (doc));
  return NULL;
}

static void
unsubscribed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  if (!fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    fprintf (stderr, "watch: %s\n", error->message);
  g_main_loop_quit (w->loop);
}

static void
watch_stop (Watch *w,
            int    exit_code)
{
  if (w->stopping)
    return;
  w->stopping = TRUE;
  w->exit_code = exit_code;
  /* C-40 / C-42: unsubscribe, then close with 1000 */
  fcm_hub_client_unsubscribe_async (w->client, NULL, unsubscribed_cb, w);
}

/* the "kind" of an output line for a frame */
static const char *
line_kind (FcmMessage *message)
{
  FcmEvent *event = fcm_message_get_event (message);

  switch (fcm_message_get_kind (message))
    {
    case FCM_MESSAGE_CONFIRMATION:
      return "confirmation";
    case FCM_MESSAGE_DENIAL:
      return "denial";
    case FCM_MESSAGE_EVENT:
    case FCM_MESSAGE_LEGACY_EVENT:
      if (event == NULL)
        return "invalid";
      if (fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
        return "heartbeat";
      if (fcm_event_has_name (event, FCM_EVENT_SYNCERROR))
        return "syncerror";
      return "event";
    case FCM_MESSAGE_UNKNOWN:
    case FCM_MESSAGE_ACK:
    case FCM_MESSAGE_LEGACY_STATUS:
    case FCM_MESSAGE_CURRENT_CONTEXT:
    case FCM_MESSAGE_SUBSCRIPTION_REQUEST:
    case FCM_MESSAGE_SUBSCRIPTION_RESPONSE:
    case FCM_MESSAGE_CONFIGURATION:
    case FCM_MESSAGE_BACKPORT:
    case FCM_MESSAGE_GETTOPIC:
    default:
      return "invalid";
    }
}

/* every frame, validated by the monitor (before the client acks it) */
static void
message_cb (FcmMonitor *monitor,
            FcmMessage *message,
            GPtrArray  *issues,
            Watch      *w)
{
  g_autofree char *json = message_json (message);

  print_line (line_kind (message), json != NULL ? json : fcm_message_get_text (message), issues);
}

static void
event_cb (FcmHubClient *client,
          FcmEvent     *event,
          Watch        *w)
{
  w->seen++;
  if (w->count > 0 && w->seen >= w->count)
    watch_stop (w, FCM_CLI_EXIT_OK);
}

static void
ack_cb (FcmHubClient *client,
        const char   *id,
        guint         status,
        Watch        *w)
{
  g_autoptr(GString) ack = g_string_new ("{\"id\":");

  fcm_json_append_string (ack, id);
  g_string_append (ack, ",\"status\":\"");
  fcm_json_append_uint (ack, status, 1);
  g_string_append (ack, "\"}");
  print_line ("ack", ack->str, NULL);
}

static void
state_cb (FcmMonitor *monitor,
          GParamSpec *pspec,
          Watch      *w)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) obj = json_object_new ();
  FcmClientState state = fcm_monitor_get_state (monitor);

  json_object_set_string_member (obj, "state", fcm_client_state_to_string (state));
  json_node_set_object (node, obj);
  print_node_line ("state", node);

  if (state == FCM_CLIENT_STATE_DENIED && !w->stopping)
    {
      /* C-20: gone; nothing to unsubscribe */
      w->stopping = TRUE;
      w->exit_code = FCM_CLI_EXIT_INVALID;
      g_main_loop_quit (w->loop);
    }
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  if (!fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error))
    {
      fprintf (stderr, "watch: %s\n", error->message);
      if (!w->stopping)
        {
          w->stopping = TRUE;
          w->exit_code = FCM_CLI_EXIT_INVALID;
          g_main_loop_quit (w->loop);
        }
    }
}

static gboolean
watch_timeout_cb (gpointer data)
{
  Watch *w = data;

  w->timeout_id = 0;
  watch_stop (w, FCM_CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static void
watch_record_failed (gpointer data)
{
  watch_stop (data, FCM_CLI_EXIT_UNREADABLE);
}

static gboolean
watch_signal_cb (gpointer data)
{
  watch_stop (data, FCM_CLI_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

int
fcm_cli_watch (int    argc,
               char **argv)
{
  g_auto(ClientOptions) o = { NULL, };
  g_autofree char *events = NULL;
  g_autofree char *name = NULL;
  int lease = 0;
  int ack = 200;
  int count = 0;
  double timeout = 0;
  gboolean legacy = FALSE;
  g_autofree char *record = NULL;
  g_autofree char *record_max_size = NULL;
  int record_max_files = FCM_RECORDING_DEFAULT_MAX_FILES;
  guint64 record_cap = FCM_RECORDING_DEFAULT_MAX_SIZE;
  GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (o),
    { "events", 0, 0, G_OPTION_ARG_STRING, &events, N_("Comma-separated events (default: the IRA set)"), N_("LIST") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("subscriber.name (default “fhircast watch”)"), N_("NAME") },
    { "lease", 0, 0, G_OPTION_ARG_INT, &lease, N_("hub.lease_seconds to ask for"), N_("S") },
    { "ack", 0, 0, G_OPTION_ARG_INT, &ack, N_("Status to acknowledge every event with (default 200)"), N_("CODE") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Exit after N events"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, N_("Exit after S seconds"), N_("S") },
    { "legacy", 0, 0, G_OPTION_ARG_NONE, &legacy, N_("2019 prototype mode"), NULL },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record, N_("Record every frame, ack and request in FILE (NDJSON, appended)"), N_("FILE") },
    { "record-max-size", 0, 0, G_OPTION_ARG_STRING, &record_max_size, N_("Start a new part of the recording past SIZE (default 64M)"), N_("SIZE") },
    { "record-max-files", 0, 0, G_OPTION_ARG_INT, &record_max_files, N_("Keep N parts of the recording, the oldest dropped (default 5)"), N_("N") },
    { NULL }
  };
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Watch w = { 0 };
  guint sigint_id, sigterm_id;
  int exit_code = 0;

  if (!fcm_cli_parse_options ("watch", NULL, _("Subscribe to a topic and print one JSON object per line "
                                               "for everything that happens."),
                              _("Examples:\n"
                                "  fhircast watch --hub http://127.0.0.1:8080/fhircast --topic demo --count 1\n"
                                "  fhircast watch --hub URL --topic T --record session.ndjson\n\n"
                                "Exit status: 0 after --count, --timeout, SIGINT or SIGTERM; 1 when subscribing "
                                "fails or the hub denies it;\n2 when --ca-file or --token-file can't be read or --record can't "
                                "be written; 64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "watch: %s: %s\n", _("unexpected argument"), argv[1]);
      return FCM_CLI_EXIT_USAGE;
    }
  if (lease < 0 || ack < 100 || ack > 599 || count < 0 || timeout < 0 || timeout > 86400 * 365)
    {
      fprintf (stderr, "watch: %s\n", _("an option value is out of range"));
      return FCM_CLI_EXIT_USAGE;
    }
  if ((record_max_size != NULL && !fcm_cli_parse_size (record_max_size, &record_cap)) ||
      record_max_files < 1 || record_max_files > 1000)
    {
      fprintf (stderr, "watch: %s\n",
               _("--record-max-size takes a size such as 64M (at least 1K), --record-max-files 1 to 1000"));
      return FCM_CLI_EXIT_USAGE;
    }
  client = _fcm_cli_make_client_from_options ("watch", &o, &exit_code);
  if (client == NULL)
    return exit_code;

  if (events != NULL)
    {
      g_auto(GStrv) list = g_strsplit (events, ",", -1);

      for (guint i = 0; list[i] != NULL; i++)
        g_strstrip (list[i]);
      fcm_hub_client_set_events (client, (const char * const *) list);
    }
  fcm_hub_client_set_subscriber_name (client, name ? name : "fhircast watch");
  fcm_hub_client_set_lease_seconds (client, (guint) lease);
  fcm_hub_client_set_ack_policy (client, NULL, (guint) ack);
  fcm_hub_client_set_legacy (client, legacy);

  /* Lines are flushed when the main loop goes idle (watch_show()); in a
   * burst, stdio's 4 KiB buffer to a file or pipe meant a write() every two
   * or three frames. Nothing has been written to stdout yet. (glibc takes
   * the size only with a buffer.) */
  if (!isatty (STDOUT_FILENO))
    {
      static char stdout_buffer[64 * 1024];

      setvbuf (stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
    }

  loop = g_main_loop_new (NULL, FALSE);
  /* before the monitor: each frame is queued for the file before it is shown */
  if (record != NULL)
    watch_record = fcm_cli_record_new (record, record_cap, (guint) record_max_files, client,
                                       watch_record_failed, &w);
  w.monitor = fcm_monitor_new (client);
  /* watch prints every message itself: no timeline to keep */
  fcm_monitor_set_log_enabled (w.monitor, FALSE);
  w.client = client;
  w.loop = loop;
  w.count = count;

  g_signal_connect (w.monitor, "message", G_CALLBACK (message_cb), &w);
  g_signal_connect (w.monitor, "notify::state", G_CALLBACK (state_cb), &w);
  g_signal_connect (client, "event", G_CALLBACK (event_cb), &w);
  g_signal_connect (client, "ack-sent", G_CALLBACK (ack_cb), &w);

  sigint_id = g_unix_signal_add (SIGINT, watch_signal_cb, &w);
  sigterm_id = g_unix_signal_add (SIGTERM, watch_signal_cb, &w);
  if (timeout > 0)
    w.timeout_id = g_timeout_add ((guint) (timeout * 1000), watch_timeout_cb, &w);

  fcm_hub_client_subscribe_async (client, NULL, subscribed_cb, &w);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&w.timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (w.monitor, &w);
  g_signal_handlers_disconnect_by_data (client, &w);
  g_clear_object (&w.monitor);                /* cancels a Get Current Context under way */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (watch_record != NULL && !fcm_cli_record_finish (g_steal_pointer (&watch_record)))
    {
      g_clear_handle_id (&flush_id, g_source_remove);
      fflush (stdout);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  g_clear_handle_id (&flush_id, g_source_remove);
  fflush (stdout);
  return w.exit_code;
}

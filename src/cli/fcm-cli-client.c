/* fcm-cli-client.c: `fhircast watch`, `fhircast publish`, `fhircast context`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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

/* ------------------------------------------------------------------ common set-up */

/* Parses the options of subcommand @cmd ("fhircast CMD" in --help), whose
 * --help ends with @description (its examples, and the exit status); FALSE
 * after printing why for a bad command line. */
gboolean
fcm_cli_parse_options (const char    *cmd,
                       const char    *parameter,
                       const char    *summary,
                       const char    *description,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("fhircast ", cmd, NULL);

  g_set_prgname (prgname);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "%s: %s\n", cmd, error->message);
      return FALSE;
    }
  return TRUE;
}

/* One request to the hub at a time: start it with wait_cb and &wait, then
 * wait_for_result() runs the main loop until it is done. */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Wait *wait = data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for_result (Wait *wait)
{
  g_clear_object (&wait->result);
  if (wait->loop == NULL)
    wait->loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

/* Prints "CMD: why" and returns the exit status of a failed request. */
static int
request_failed (const char   *cmd,
                const GError *error)
{
  fprintf (stderr, "%s: %s\n", cmd, error->message);
  return FCM_CLI_EXIT_INVALID;
}

/* The options every client command shares. */
typedef struct
{
  char     *hub;
  char     *topic;
  char     *token;
  char     *token_file;
  char     *ca_file;
  gboolean  insecure;
} ClientOptions;

static void
client_options_clear (ClientOptions *o)
{
  g_free (o->hub);
  g_free (o->topic);
  if (o->token != NULL)
    memset (o->token, 0, strlen (o->token));
  g_free (o->token);
  g_free (o->token_file);
  g_free (o->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClientOptions, client_options_clear)

#define CLIENT_OPTION_ENTRIES(o) \
  { "hub", 0, 0, G_OPTION_ARG_STRING, &(o).hub, N_("hub.url of the hub"), N_("URL") }, \
  { "topic", 0, 0, G_OPTION_ARG_STRING, &(o).topic, N_("hub.topic (session id)"), N_("TOPIC") }, \
  { "token", 0, 0, G_OPTION_ARG_STRING, &(o).token, N_("Bearer token (visible to other users: prefer --token-file or FHIRCAST_TOKEN)"), N_("TOKEN") }, \
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).token_file, N_("Bearer token in the first line of FILE"), N_("FILE") }, \
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &(o).ca_file, N_("Trust the CA certificates in FILE (PEM)"), N_("FILE") }, \
  { "insecure", 0, 0, G_OPTION_ARG_NONE, &(o).insecure, N_("Allow plain http:// to a hub that is not on this machine"), NULL }

/* The bearer token: --token (with a warning), --token-file or FHIRCAST_TOKEN.
 * FALSE after printing why (@exit_code set). */
static gboolean
resolve_token (const char    *cmd,
               ClientOptions *o,
               int           *exit_code)
{
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("FHIRCAST_TOKEN");

  if (o->token != NULL && o->token_file != NULL)
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--token and --token-file exclude each other"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return FALSE;
    }
  if (o->token != NULL)
    fcm_cli_warn_command_line_secret (cmd, "--token", "--token-file or FHIRCAST_TOKEN");
  else if (o->token_file != NULL)
    {
      o->token = fcm_cli_read_secret_file (o->token_file, &error);
      if (o->token == NULL)
        {
          fprintf (stderr, "%s: %s\n", cmd, error->message);
          *exit_code = FCM_CLI_EXIT_UNREADABLE;
          return FALSE;
        }
    }
  else if (env != NULL && *env != '\0')
    o->token = g_strdup (env);
  return TRUE;
}

/* A client for --hub and --topic, with the token, --ca-file and --insecure. */
static FcmHubClient *
make_client (const char    *cmd,
             ClientOptions *o,
             int           *exit_code)
{
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;

  if (o->hub == NULL || o->topic == NULL || o->topic[0] == '\0')
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub and --topic are required"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!g_str_has_prefix (o->hub, "http://") && !g_str_has_prefix (o->hub, "https://"))
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub must be an http:// or https:// URL"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!resolve_token (cmd, o, exit_code))
    return NULL;
  client = fcm_hub_client_new (o->hub, o->topic);
  fcm_hub_client_set_insecure (client, o->insecure);
  /* the same check the client makes, up front: a clear error and exit 64 */
  uri = g_uri_parse (o->hub, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      fprintf (stderr, "%s: %s\n", cmd, _("--hub must be an http:// or https:// URL"));
      *exit_code = FCM_CLI_EXIT_USAGE;
      return NULL;
    }
  if (!o->insecure && g_str_has_prefix (o->hub, "http://"))
    {
      g_autoptr(GInetAddress) address = NULL;
      g_autofree char *host = g_strdup (g_uri_get_host (uri));

      if (host[0] == '[')
        {
          memmove (host, host + 1, strlen (host));
          host[strlen (host) - 1] = '\0';
        }
      address = g_inet_address_new_from_string (host);
      if (g_ascii_strcasecmp (host, "localhost") != 0 &&
          (address == NULL || !g_inet_address_get_is_loopback (address)))
        {
          fprintf (stderr, _("%s: refusing plain http:// to %s, which is not this machine: the token and patient "
                             "context would cross the network unencrypted; use https:// (or --insecure)\n"),
                   cmd, g_uri_get_host (uri));
          *exit_code = FCM_CLI_EXIT_USAGE;
          return NULL;
        }
    }
  fcm_hub_client_set_token (client, o->token);
  if (o->ca_file != NULL && !fcm_hub_client_set_ca_file (client, o->ca_file, &error))
    {
      fprintf (stderr, "%s: %s\n", cmd, error->message);
      *exit_code = FCM_CLI_EXIT_UNREADABLE;
      return NULL;
    }
  return g_steal_pointer (&client);
}

/* make_client() for the subcommands in other files (replay): the same
 * token rules (a warning for --token, else FHIRCAST_TOKEN) and no plain
 * http:// off this machine */
FcmHubClient *
fcm_cli_make_client (const char *cmd,
                     const char *hub,
                     const char *topic,
                     const char *token,
                     const char *ca_file,
                     int        *exit_code)
{
  g_auto(ClientOptions) o = { g_strdup (hub), g_strdup (topic), g_strdup (token), NULL, g_strdup (ca_file), FALSE };

  return make_client (cmd, &o, exit_code);
}

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
  client = make_client ("watch", &o, &exit_code);
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

/* ------------------------------------------------------------------ publish */

/* sandbox.js takes events at {hub.url}/{topic} only, and a POST to hub.url
 * hangs: say that --topic-path exists as soon as the first try times out
 * (the client keeps retrying meanwhile), or when the hub answers 404/405 */
static const char *
topic_path_hint (void)
{
  return _("a hub that takes events at {hub.url}/{topic} (such as sandbox.js, see docs/cli.md) "
           "needs --topic-path");
}

static gboolean
no_answer_hint_cb (gpointer data)
{
  guint *id = data;

  *id = 0;
  fprintf (stderr, "publish: %s; %s\n", _("no answer from the hub yet (retrying)"), topic_path_hint ());
  return G_SOURCE_REMOVE;
}

int
fcm_cli_publish (int    argc,
                 char **argv)
{
  g_auto(ClientOptions) o = { NULL, };
  g_autofree char *report = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *study = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *mrn = NULL;
  g_autofree char *file = NULL;
  g_autofree char *id = NULL;
  g_autofree char *version_id = NULL;
  g_autofree char *patient_name = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *sex = NULL;
  g_autofree char *study_description = NULL;
  g_autofree char *modality = NULL;
  g_autofree char *study_date = NULL;
  gboolean topic_path = FALSE;
  double timeout = 10;
  guint hint_id = 0;
  GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (o),
    { "topic-path", 0, 0, G_OPTION_ARG_NONE, &topic_path, N_("POST to URL/TOPIC instead of URL"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout, N_("Seconds to wait for each try before resending (default 10; 3 tries)"), N_("S") },
    { "report", 0, 0, G_OPTION_ARG_STRING, &report, N_("DiagnosticReport id"), N_("ID") },
    { "patient", 0, 0, G_OPTION_ARG_STRING, &patient, N_("Patient id"), N_("ID") },
    { "study", 0, 0, G_OPTION_ARG_STRING, &study, N_("ImagingStudy id"), N_("ID") },
    { "accession", 0, 0, G_OPTION_ARG_STRING, &accession, N_("Accession number"), N_("A") },
    { "mrn", 0, 0, G_OPTION_ARG_STRING, &mrn, N_("Medical record number"), N_("M") },
    { "patient-name", 0, 0, G_OPTION_ARG_STRING, &patient_name, N_("Patient's name (open), e.g. \"Jane Doe\" or \"Doe, Jane\""), N_("NAME") },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth_date, N_("Patient's birth date (open)"), N_("YYYY-MM-DD") },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, N_("Patient's sex (open): male, female, other or unknown"), N_("SEX") },
    { "study-description", 0, 0, G_OPTION_ARG_STRING, &study_description, N_("Study description (open)"), N_("TEXT") },
    { "modality", 0, 0, G_OPTION_ARG_STRING, &modality, N_("Study modality (open), a DICOM code such as CT"), N_("CODE") },
    { "study-date", 0, 0, G_OPTION_ARG_STRING, &study_date, N_("Study date (open)"), N_("YYYY-MM-DD") },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, N_("Context array (or a whole message) from FILE, “-” for standard input"), N_("FILE") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &id, N_("Event id (default: a new UUID)"), N_("ID") },
    { "version-id", 0, 0, G_OPTION_ARG_STRING, &version_id, N_("context.versionId (update; default: the hub's current one)"), N_("V") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(JsonArray) ctx = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *line = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *sent_id = NULL;
  g_auto(Wait) wait = { 0 };
  const char *name;
  guint status;
  int exit_code = 0;

  if (!fcm_cli_parse_options ("publish", _("EVENT"), _("Request a context change (POST an event to the hub)."),
                              _("Examples:\n"
                                "  fhircast publish --hub URL --topic T DiagnosticReport-open --report rpt-1 \\\n"
                                "    --patient pat-1 --study st-1 --mrn MRN-1 --accession ACC-1\n"
                                "  fhircast publish --hub URL --topic T DiagnosticReport-close --report rpt-1\n"
                                "  jq .event.context update.json | fhircast publish --hub URL --topic T "
                                "DiagnosticReport-update --file -\n\n"
                                "Exit status: 0 the hub answered 2xx; 1 it refused or did not answer; "
                                "2 --file can't be read;\n64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "publish: %s\n", _("exactly one EVENT name is needed"));
      return FCM_CLI_EXIT_USAGE;
    }
  name = argv[1];
  if (!(timeout >= 0.05 && timeout <= 3600))
    {
      fprintf (stderr, "publish: %s\n", _("--timeout takes 0.05 to 3600 seconds"));
      return FCM_CLI_EXIT_USAGE;
    }
  client = make_client ("publish", &o, &exit_code);
  if (client == NULL)
    return exit_code;
  fcm_hub_client_set_request_timeout (client, (guint) (timeout * 1000));

  if (file != NULL)
    {
      ctx = fcm_cli_context_from_file (file, &error);
      if (ctx == NULL)
        {
          fprintf (stderr, "publish: %s\n", error->message);
          return FCM_CLI_EXIT_UNREADABLE;
        }
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN))
    {
      FcmReportDetails details = { patient_name, sex, birth_date, study_description, modality, study_date };

      if (report == NULL || patient == NULL || study == NULL)
        {
          fprintf (stderr, "publish: %s\n", _("an open needs --report, --patient and --study"));
          return FCM_CLI_EXIT_USAGE;
        }
      ctx = fcm_context_build_open (report, patient, study, accession, mrn);
      if (!fcm_context_add_details (ctx, &details, &error))
        {
          fprintf (stderr, "publish: %s\n", error->message);
          return FCM_CLI_EXIT_USAGE;
        }
      /* nothing is made up from the ids: say what the open goes without */
      if (mrn == NULL)
        fprintf (stderr, "publish: %s\n",
                 _("no --mrn: the open carries no medical record number (hubs that follow IHE IRA refuse it)"));
      if (accession == NULL)
        fprintf (stderr, "publish: %s\n",
                 _("no --accession: the open carries no accession number (hubs that follow IHE IRA refuse it)"));
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE))
    {
      if (report == NULL)
        {
          fprintf (stderr, "publish: %s\n", _("a close needs --report"));
          return FCM_CLI_EXIT_USAGE;
        }
      ctx = fcm_context_build_close (report, patient, study);
    }
  else if (fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT) && report != NULL)
    {
      g_autofree char *ref = study ? g_strdup_printf ("ImagingStudy/%s", study) : NULL;
      const char *refs[] = { ref, NULL };

      ctx = fcm_context_build_select (report, refs);
    }
  else
    {
      fprintf (stderr, "publish: %s\n", _("give the context with --file for this event"));
      return FCM_CLI_EXIT_USAGE;
    }

  fcm_hub_client_set_post_to_topic (client, topic_path);
  if (id == NULL)
    id = g_uuid_string_random ();

  /* C-56: an update carries the newest versionId we know; ask the hub when not given */
  if (version_id == NULL && fcm_event_name_equal (name, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE))
    {
      g_autoptr(JsonNode) current = NULL;

      fcm_hub_client_get_context_async (client, NULL, wait_cb, &wait);
      current = fcm_hub_client_get_context_finish (client, wait_for_result (&wait), &error);
      if (current == NULL)
        return request_failed ("publish", error);
      if (JSON_NODE_HOLDS_OBJECT (current))
        version_id = g_strdup (fcm_json_get_string (json_node_get_object (current), "context.versionId"));
    }
  event = fcm_event_new (id, NULL, o.topic, name, ctx, version_id, NULL);

  fcm_hub_client_publish_async (client, event, NULL, wait_cb, &wait);
  if (!topic_path)
    hint_id = g_timeout_add ((guint) (timeout * 1000) + 50, no_answer_hint_cb, &hint_id);
  status = fcm_hub_client_publish_finish (client, wait_for_result (&wait), &reason, &sent_id, &error);
  g_clear_handle_id (&hint_id, g_source_remove);
  if (error != NULL)
    return request_failed ("publish", error);
  if (!topic_path && (status == 404 || status == 405))
    fprintf (stderr, "publish: %s %u; %s\n", _("the hub answered"), status, topic_path_hint ());

  obj = json_object_new ();
  json_object_set_int_member (obj, "status", status);
  json_object_set_string_member (obj, "id", sent_id);
  out = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (out, obj);
  line = fcm_json_to_string (out, FALSE);
  printf ("%s\n", line);
  if ((status < 200 || status >= 300) && reason != NULL && reason[0] != '\0')
    fprintf (stderr, "publish: %s\n", reason);
  return status >= 200 && status < 300 ? FCM_CLI_EXIT_OK : FCM_CLI_EXIT_INVALID;
}

/* ------------------------------------------------------------------ context */

int
fcm_cli_context (int    argc,
                 char **argv)
{
  g_auto(ClientOptions) o = { NULL, };
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    CLIENT_OPTION_ENTRIES (o),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print {\"context\": the answer, \"stu3\": its shape is STU3's, \"issues\": […]}"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(JsonNode) context = NULL;
  g_autofree char *text = NULL;
  g_auto(Wait) wait = { 0 };
  int exit_code = 0;

  if (!fcm_cli_parse_options ("context", NULL, _("Print the current context of a topic (Get Current Context)."),
                              _("Examples:\n"
                                "  fhircast context --hub http://127.0.0.1:8080/fhircast --topic demo\n"
                                "  fhircast context --hub URL --topic T --json | jq .issues\n\n"
                                "Exit status: 0 the hub answered 2xx; 1 otherwise; 64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "context: %s: %s\n", _("unexpected argument"), argv[1]);
      return FCM_CLI_EXIT_USAGE;
    }
  client = make_client ("context", &o, &exit_code);
  if (client == NULL)
    return exit_code;

  fcm_hub_client_get_context_async (client, NULL, wait_cb, &wait);
  context = fcm_hub_client_get_context_finish (client, wait_for_result (&wait), &error);
  if (context == NULL)
    return request_failed ("context", error);

  text = fcm_cli_context_answer (context, json);
  printf ("%s\n", text);
  return FCM_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ gettopic */

int
fcm_cli_gettopic (int    argc,
                  char **argv)
{
  ClientOptions o = { NULL, };
  g_autofree char *user = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *secret_file = NULL;
  GOptionEntry entries[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, &o.hub, N_("Base URL of the hub"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("User name"), N_("USER") },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &secret, N_("Application secret (visible to other users: prefer --secret-file)"), N_("SECRET") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Application secret in the first line of FILE"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o.ca_file, N_("Trust the CA certificates in FILE (PEM)"), N_("FILE") },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &o.insecure, N_("Allow plain http:// to a hub that is not on this machine"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autofree char *topic = NULL;
  g_auto(Wait) wait = { 0 };
  int exit_code = 0;

  if (!fcm_cli_parse_options ("gettopic", NULL, _("Ask a 2019-prototype hub for a user's topic (GetTopic)."),
                              _("Example:\n"
                                "  topic=$(fhircast gettopic --hub http://127.0.0.1:8080 --user joe --secret-file S.txt)\n\n"
                                "Exit status: 0 a topic was printed; 1 the hub refused; 2 --secret-file can't be read;\n"
                                "64 bad command line."),
                              entries, &argc, &argv))
    {
      client_options_clear (&o);
      return FCM_CLI_EXIT_USAGE;
    }
  o.topic = g_strdup ("-");
  if (argc > 1 || user == NULL || (secret != NULL && secret_file != NULL))
    {
      fprintf (stderr, "gettopic: %s\n", _("--hub and --user are required (and at most one of --secret and --secret-file), and nothing else"));
      client_options_clear (&o);
      return FCM_CLI_EXIT_USAGE;
    }
  if (secret != NULL)
    fcm_cli_warn_command_line_secret ("gettopic", "--secret", "--secret-file");
  if (secret_file != NULL && (secret = fcm_cli_read_secret_file (secret_file, &error)) == NULL)
    {
      fprintf (stderr, "gettopic: %s\n", error->message);
      client_options_clear (&o);
      return FCM_CLI_EXIT_UNREADABLE;
    }
  /* GetTopic carries no bearer token: the environment's is not used */
  g_unsetenv ("FHIRCAST_TOKEN");
  client = make_client ("gettopic", &o, &exit_code);
  client_options_clear (&o);
  if (client == NULL)
    return exit_code;

  fcm_hub_client_gettopic_async (client, user, secret, NULL, wait_cb, &wait);
  topic = fcm_hub_client_gettopic_finish (client, wait_for_result (&wait), &error);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  if (topic == NULL)
    return request_failed ("gettopic", error);
  printf ("%s\n", topic);
  return FCM_CLI_EXIT_OK;
}

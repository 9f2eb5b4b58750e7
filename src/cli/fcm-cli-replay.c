/* fcm-cli-replay.c: `fhircast replay FILE --hub URL --topic T [--speed 2]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Publishes the context changes of a recorded session (the
 * DiagnosticReport open, close, update and select events it received or
 * sent) into a hub, in order, each its recorded gap to the one before
 * (divided by --speed) after the hub answered that one. Each is a new request (C-44): a fresh id and timestamp unless
 * --keep-ids, the --topic given, and for an update the hub's current
 * context.versionId (C-56), since the versions of the recorded hub mean
 * nothing to this one. An event seen twice in the recording (our request
 * and the hub's echo of it, C-38; a resend, C-51; a replay on connect) is
 * published once.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-cli-private.h"
#include "fcm-json-private.h"

typedef struct
{
  gint64 at_usec;
  FcmEvent *event;
} Item;

typedef struct
{
  GMainLoop *loop;
  FcmHubClient *client;
  GArray *items;
  guint index;
  gint64 start_mono;
  double speed;
  gboolean keep_ids;
  int exit_code;
  guint timer_id;
  char *version_id;
  gint64 offset_ms;
} Replay;

static void
item_clear (Item *item)
{
  g_clear_object (&item->event);
}

static gboolean
is_context_change (FcmEvent *event)
{
  return fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN) ||
         fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE) ||
         fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE) ||
         fcm_event_has_name (event, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT);
}

/* The context changes of @records, each once, in recorded order. */
static GArray *
collect (GPtrArray *records)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_array_set_clear_func (items, (GDestroyNotify) item_clear);
  for (guint i = 0; i < records->len; i++)
    {
      FcmRecord *record = g_ptr_array_index (records, i);
      g_autoptr(FcmMessage) message = NULL;
      FcmEvent *event;
      const char *id;
      Item item = { 0 };

      if (record->type != FCM_RECORD_FRAME && record->type != FCM_RECORD_REQUEST)
        continue;
      message = fcm_message_new (record->text, -1);
      event = fcm_message_get_event (message);
      if (event == NULL || !is_context_change (event) || fcm_event_get_context (event) == NULL)
        continue;
      id = fcm_event_get_id (event);
      if (id != NULL && !g_hash_table_add (seen, g_strdup (id)))
        continue;
      item.at_usec = record->at_usec;
      item.event = g_object_ref (event);
      g_array_append_val (items, item);
    }
  return items;
}

static void schedule_next (Replay *r);

static void
print_result (Replay     *r,
              FcmEvent   *original,
              const char *sent_id,
              guint       status,
              const char *reason,
              const char *error)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) at = g_string_new (NULL);
  g_autofree char *line = NULL;

  fcm_recording_append_time (at, g_get_real_time ());
  json_object_set_string_member (obj, "event", fcm_event_get_name (original));
  json_object_set_string_member (obj, "id", sent_id);
  json_object_set_string_member (obj, "recordedId", fcm_event_get_id (original));
  json_object_set_int_member (obj, "offsetMs", r->offset_ms);
  json_object_set_string_member (obj, "at", at->str);
  if (error != NULL)
    json_object_set_string_member (obj, "error", error);
  else
    json_object_set_int_member (obj, "status", status);
  if (reason != NULL && *reason != '\0' && (status < 200 || status >= 300))
    json_object_set_string_member (obj, "reason", reason);
  json_node_set_object (node, obj);
  line = fcm_json_to_string (node, FALSE);
  printf ("%s\n", line);
  fflush (stdout);
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Replay *r = data;
  Item *item = &g_array_index (r->items, Item, r->index);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *sent_id = NULL;
  guint status;

  status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, &reason, &sent_id, &error);
  print_result (r, item->event, sent_id, status, reason, error ? error->message : NULL);
  if (error != NULL || status < 200 || status >= 300)
    r->exit_code = FCM_CLI_EXIT_INVALID;
  r->index++;
  schedule_next (r);
}

static void
publish_item (Replay *r)
{
  Item *item = &g_array_index (r->items, Item, r->index);
  FcmEvent *original = item->event;
  g_autofree char *id = r->keep_ids ? g_strdup (fcm_event_get_id (original)) : g_uuid_string_random ();
  g_autoptr(FcmEvent) event = NULL;

  event = fcm_event_new (id, r->keep_ids ? fcm_event_get_timestamp (original) : NULL,
                         fcm_hub_client_get_topic (r->client), fcm_event_get_name (original),
                         fcm_event_get_context (original), r->version_id, NULL);
  fcm_hub_client_publish_async (r->client, event, NULL, published_cb, r);
}

/* C-56: an update carries this hub's current versionId */
static void
context_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Replay *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) current = fcm_hub_client_get_context_finish (FCM_HUB_CLIENT (source), result, &error);

  g_clear_pointer (&r->version_id, g_free);
  if (current != NULL && JSON_NODE_HOLDS_OBJECT (current))
    r->version_id = g_strdup (fcm_json_get_string (json_node_get_object (current), "context.versionId"));
  else if (error != NULL)
    fprintf (stderr, "replay: %s\n", error->message);
  publish_item (r);
}

static gboolean
due_cb (gpointer data)
{
  Replay *r = data;
  Item *item = &g_array_index (r->items, Item, r->index);

  r->timer_id = 0;
  r->offset_ms = (g_get_monotonic_time () - r->start_mono) / 1000;
  g_clear_pointer (&r->version_id, g_free);
  if (fcm_event_has_name (item->event, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE))
    fcm_hub_client_get_context_async (r->client, NULL, context_cb, r);
  else
    publish_item (r);
  return G_SOURCE_REMOVE;
}

/* Item i waits its recorded gap to the one before (÷ --speed) after the
 * hub answered that one: the spacing holds however long the hub takes to
 * answer (a slow answer delays what follows, the order never changes). */
static void
schedule_next (Replay *r)
{
  Item *item, *previous;
  gint64 gap_ms = 0;

  if (r->index >= r->items->len)
    {
      g_main_loop_quit (r->loop);
      return;
    }
  item = &g_array_index (r->items, Item, r->index);
  if (r->index > 0)
    {
      previous = &g_array_index (r->items, Item, r->index - 1);
      gap_ms = (gint64) ((double) (item->at_usec - previous->at_usec) / 1000.0 / r->speed);
    }
  if (gap_ms < 0)
    gap_ms = 0;
  r->timer_id = g_timeout_add ((guint) MIN (gap_ms, G_MAXUINT), due_cb, r);
}

int
fcm_cli_replay (int    argc,
                char **argv)
{
  g_autofree char *hub = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *token = NULL;
  g_autofree char *ca_file = NULL;
  double speed = 1.0;
  gboolean keep_ids = FALSE;
  gboolean topic_path = FALSE;
  GOptionEntry entries[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, &hub, N_("hub.url of the hub to publish into"), N_("URL") },
    { "topic", 0, 0, G_OPTION_ARG_STRING, &topic, N_("hub.topic to publish into"), N_("TOPIC") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, N_("Play FACTOR times faster (default 1: the recorded spacing)"), N_("FACTOR") },
    { "keep-ids", 0, 0, G_OPTION_ARG_NONE, &keep_ids, N_("Keep the recorded event ids and timestamps"), NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, N_("Bearer token"), N_("TOKEN") },
    { "topic-path", 0, 0, G_OPTION_ARG_NONE, &topic_path, N_("POST to URL/TOPIC instead of URL"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust the CA certificates in FILE (PEM)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Replay r = { 0 };
  int exit_code = 0;

  if (!fcm_cli_parse_options ("replay", _("FILE"),
                              _("Publish the context changes of a recorded session (open, close, update "
                                "and select,\nreceived or sent) into a hub, in order, with their recorded "
                                "spacing divided by --speed.\nOne line of JSON per event published."),
                              _("Examples:\n"
                                "  fhircast watch --hub URL --topic T --record session.ndjson   # record\n"
                                "  fhircast replay session.ndjson --hub http://127.0.0.1:8080/fhircast "
                                "--topic demo --speed 2\n\n"
                                "Exit status: 0 every event was accepted (2xx); 1 any was refused or not "
                                "answered;\n2 FILE can't be read or is not a recording; 64 bad command line."),
                              entries, &argc, &argv))
    return FCM_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "replay: %s\n", _("exactly one recording FILE is needed"));
      return FCM_CLI_EXIT_USAGE;
    }
  if (!(speed > 0.0 && speed <= 10000.0))
    {
      fprintf (stderr, "replay: %s\n", _("--speed takes a factor above 0 (and at most 10000)"));
      return FCM_CLI_EXIT_USAGE;
    }
  client = fcm_cli_make_client ("replay", hub, topic, token, ca_file, &exit_code);
  if (client == NULL)
    return exit_code;
  fcm_hub_client_set_post_to_topic (client, topic_path);

  records = fcm_recording_read_file (argv[1], &error);
  if (records == NULL)
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FCM_CLI_EXIT_UNREADABLE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  r.loop = loop;
  r.client = client;
  r.items = collect (records);
  r.speed = speed;
  r.keep_ids = keep_ids;
  if (r.items->len == 0)
    fprintf (stderr, "replay: %s\n", _("the recording holds no context change to publish"));
  else
    {
      r.start_mono = g_get_monotonic_time ();
      schedule_next (&r);
      g_main_loop_run (loop);
    }

  g_clear_handle_id (&r.timer_id, g_source_remove);
  g_array_unref (r.items);
  g_free (r.version_id);
  return r.exit_code;
}

/* fcm-recording.c: recorded sessions, the file format and reading it back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recording is NDJSON, one JSON object per line, appended to as things
 * happen (fcm-recorder.c writes it):
 *
 *   {"recording":"fhircast","version":1,"started":…,"hub":…,"topic":…,"subscriber":…,"part":0}
 *   {"seq":1,"at":"2025-11-21T09:26:53.589123Z","dir":"in","type":"frame","text":"<the frame>"}
 *   {"seq":2,"at":…,"dir":"out","type":"ack","id":"<event id>","status":200,"text":"<the ack>"}
 *   {"seq":3,"at":…,"dir":"out","type":"request","id":"<event id>","text":"<the POST body>"}
 *   {"seq":4,"at":…,"dir":"in","type":"context","text":"<a Get Current Context answer>"}
 *   {"seq":5,"at":…,"dir":"local","type":"state","state":"active"}
 *
 * "text" is the raw text: a frame exactly as it came (made valid UTF-8),
 * an ack or request exactly as it left. Every file of a rotated recording
 * starts with a header, so each part reads on its own.
 *
 * Reading back (fcm_recording_load_async()) goes the way of a live frame
 * through FcmMonitor: each frame parsed once into an FcmMessage, validated,
 * logged in an FcmEventLog with its recorded receive time and ack status,
 * and its event applied to an FcmContextStore, so the app's timeline,
 * filters, validation and context panel show a recording as they showed
 * the session.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-error.h"
#include "fcm-event-log-private.h"
#include "fcm-json-private.h"
#include "fcm-message.h"
#include "fcm-recording.h"

static const char * const type_names[] = {
  [FCM_RECORD_HEADER] = "header",
  [FCM_RECORD_FRAME] = "frame",
  [FCM_RECORD_ACK] = "ack",
  [FCM_RECORD_REQUEST] = "request",
  [FCM_RECORD_CONTEXT] = "context",
  [FCM_RECORD_STATE] = "state",
  [FCM_RECORD_SUMMARY] = "summary",
  [FCM_RECORD_OTHER] = "other",
};

const char *
fcm_record_type_to_string (FcmRecordType type)
{
  if ((guint) type >= G_N_ELEMENTS (type_names))
    return "other";
  return type_names[type];
}

static FcmRecordType
record_type_from_string (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_strcmp0 (type, type_names[i]) == 0 && i != FCM_RECORD_HEADER && i != FCM_RECORD_OTHER)
      return (FcmRecordType) i;
  return FCM_RECORD_OTHER;
}

/* ---------------------------------------------------------------- writing helpers */

/**
 * fcm_recording_append_time:
 * @usec: microseconds since the epoch
 *
 * Appends "2025-11-21T09:26:53.589123Z" (UTC, microseconds), the form of
 * every "at" in a recording.
 */
void
fcm_recording_append_time (GString *out,
                           gint64   usec)
{
  /* once per line on the recorder's path: the date and time of a second
   * are formatted once (the main loop is one thread) */
  static gint64 cached_second = G_MININT64;
  static char cached[24];
  gint64 second = usec / G_USEC_PER_SEC;
  char micro[8];

  if (usec < 0)
    usec = second = 0;
  if (second != cached_second)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (second);

      if (dt == NULL)
        {
          g_string_append (out, "1970-01-01T00:00:00.000000Z");
          return;
        }
      g_snprintf (cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d",
                  g_date_time_get_year (dt), g_date_time_get_month (dt),
                  g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                  g_date_time_get_minute (dt), g_date_time_get_second (dt));
      cached_second = second;
    }
  g_string_append (out, cached);
  g_snprintf (micro, sizeof micro, ".%06d", (int) (usec % G_USEC_PER_SEC));
  g_string_append (out, micro);
  g_string_append_c (out, 'Z');
}

/**
 * fcm_recording_append_string:
 * @text: valid UTF-8
 *
 * Appends @text as a JSON string (RFC 8259 §7): quotes, backslashes and
 * control characters escaped, so that a line stays one line.
 */
void
fcm_recording_append_string (GString    *out,
                             const char *text)
{
  static const char hex[] = "0123456789abcdef";
  gsize len = strlen (text);
  gsize start = out->len;
  char *p;

  /* hot path (a recorder line per frame, tests/bench/bench-recorder): written
   * straight into room for the worst case (every byte as \u00XX), then cut */
  g_string_set_size (out, start + 2 + len * 6);
  p = out->str + start;
  *p++ = '"';
  for (const char *q = text; *q != '\0'; q++)
    {
      guchar c = (guchar) *q;

      if (c >= 0x20 && c != '"' && c != '\\')
        {
          *p++ = (char) c;
          continue;
        }
      *p++ = '\\';
      switch (c)
        {
        case '"':  *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default:
          *p++ = 'u';
          *p++ = '0';
          *p++ = '0';
          *p++ = hex[c >> 4];
          *p++ = hex[c & 0xf];
          break;
        }
    }
  *p++ = '"';
  g_string_truncate (out, p - out->str);
}

/**
 * fcm_recording_public_url:
 * @url: a hub URL
 *
 * Returns: (transfer full): @url without user information, query and
 *   fragment: what a recording may say about the hub (a query can carry a
 *   token or a topic)
 */
char *
fcm_recording_public_url (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL)
    return NULL;
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

/**
 * fcm_recording_part_path:
 * @path: a recording's file name
 * @part: 0 for the current file, 1 for the one before …
 *
 * Returns: (transfer full): the file name of @part: "x.ndjson" → "x.2.ndjson"
 */
char *
fcm_recording_part_path (const char *path,
                         guint       part)
{
  if (part == 0)
    return g_strdup (path);
  if (g_str_has_suffix (path, ".ndjson") && strlen (path) > strlen (".ndjson"))
    return g_strdup_printf ("%.*s.%u.ndjson", (int) (strlen (path) - strlen (".ndjson")), path, part);
  return g_strdup_printf ("%s.%u", path, part);
}

/**
 * fcm_recording_default_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/fhircast-monitor/recordings`
 */
char *
fcm_recording_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "fhircast-monitor", "recordings", NULL);
}

/**
 * fcm_recording_default_name:
 * @hub_url: the hub
 * @started: when the connection started
 *
 * One file per connection and start: "20251121-092653-127.0.0.1-8080.ndjson"
 * (local time, the hub's host and port; never its path, which may carry a
 * topic).
 *
 * Returns: (transfer full): the file name
 */
char *
fcm_recording_default_name (const char *hub_url,
                            GDateTime  *started)
{
  g_autoptr(GUri) uri = hub_url ? g_uri_parse (hub_url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autofree char *when = g_date_time_format (started, "%Y%m%d-%H%M%S");
  g_autoptr(GString) name = g_string_new (when);
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  g_string_append_c (name, '-');
  for (const char *p = host ? host : "hub"; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '.' || *p == '-' ? *p : '_');
  if (uri != NULL && g_uri_get_port (uri) > 0)
    g_string_append_printf (name, "-%d", g_uri_get_port (uri));
  g_string_append (name, ".ndjson");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* ---------------------------------------------------------------- reading */

/**
 * fcm_record_parse:
 * @line: one line of a recording
 * @length: its length, or -1
 * @record: (out caller-allocates): filled in; fcm_record_clear() it after
 *
 * Returns: %FALSE if the line is not a JSON object of a recording
 */
gboolean
fcm_record_parse (const char  *line,
                  gssize       length,
                  FcmRecord   *record,
                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  const char *at;
  gint64 status = 0;

  memset (record, 0, sizeof *record);
  root = fcm_json_parse (line, length, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                           _("A recording's line must be a JSON object"));
      return FALSE;
    }
  obj = json_node_get_object (root);
  record->object = json_object_ref (obj);

  if (fcm_json_get_string (obj, "recording") != NULL)
    {
      record->type = FCM_RECORD_HEADER;
      at = fcm_json_get_string (obj, "started");
    }
  else
    {
      record->type = record_type_from_string (fcm_json_get_string (obj, "type"));
      at = fcm_json_get_string (obj, "at");
    }
  if (at != NULL)
    fcm_json_parse_timestamp (at, &record->at_usec);
  record->text = fcm_json_get_string (obj, "text");
  record->id = fcm_json_get_string (obj, "id");
  record->state = fcm_json_get_string (obj, "state");
  if (fcm_json_get_int (obj, "status", &status) && status > 0 && status < 1000)
    record->status = (guint) status;

  if ((record->type == FCM_RECORD_FRAME || record->type == FCM_RECORD_ACK ||
       record->type == FCM_RECORD_REQUEST || record->type == FCM_RECORD_CONTEXT) &&
      record->text == NULL)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("A recorded %s has no “text”"), fcm_record_type_to_string (record->type));
      fcm_record_clear (record);
      return FALSE;
    }
  return TRUE;
}

/**
 * fcm_record_get_string:
 * @member: a member of the line, such as a header's "hub" or "topic"
 *
 * Returns: (nullable): its value when it is a string
 */
const char *
fcm_record_get_string (FcmRecord  *record,
                       const char *member)
{
  return record->object ? fcm_json_get_string (record->object, member) : NULL;
}

void
fcm_record_clear (FcmRecord *record)
{
  g_clear_pointer (&record->object, json_object_unref);
  memset (record, 0, sizeof *record);
}

static void
record_free (FcmRecord *record)
{
  fcm_record_clear (record);
  g_free (record);
}

/**
 * fcm_recording_read_file:
 * @path: a recording
 *
 * Reads a whole recording at once: for the command line, which may block.
 * Lines that are not records are skipped (a recording cut by a crash can
 * end in half a line).
 *
 * Returns: (transfer full) (element-type FcmRecord): the records, in order
 */
GPtrArray *
fcm_recording_read_file (const char  *path,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  gsize length = 0;
  char *line, *next;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  for (line = contents; line < contents + length; line = next)
    {
      char *end = memchr (line, '\n', (contents + length) - line);
      FcmRecord *record;

      if (end == NULL)
        end = contents + length;
      next = end + 1;
      if (end > line && end[-1] == '\r')
        end--;
      if (end == line)
        continue;
      record = g_new0 (FcmRecord, 1);
      if (!fcm_record_parse (line, end - line, record, NULL))
        {
          g_free (record);
          continue;
        }
      g_ptr_array_add (records, record);
    }
  if (records->len == 0 || ((FcmRecord *) g_ptr_array_index (records, 0))->type != FCM_RECORD_HEADER)
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("%s is not a FHIRcast recording (no header line)"), path);
      return NULL;
    }
  return g_steal_pointer (&records);
}

void
fcm_recording_info_free (FcmRecordingInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->hub_url);
  g_free (info->topic);
  g_free (info->subscriber);
  g_free (info);
}

/* ---------------------------------------------------------------- loading into a log */

/* Read in chunks, each chunk's lines handled in one main-loop callback:
 * a few milliseconds at a time, never the whole file at once. */
#define LOAD_CHUNK_SIZE (128 * 1024)

typedef struct
{
  GInputStream *stream;
  FcmEventLog *event_log;
  FcmContextStore *store;
  FcmValidator *validator;
  GString *partial;            /* the start of a line the last chunk cut */
  GHashTable *own_ids;         /* ids of the requests we sent (C-38) */
  FcmEventLogEntry *last;      /* the last frame logged, for acks without id (2019) */
  FcmRecordingInfo *info;
  gboolean seen_header;
  FcmClientState state;        /* the last state line's, for the notes */
  gboolean was_live;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->stream);
  g_clear_object (&load->event_log);
  g_clear_object (&load->store);
  g_clear_object (&load->validator);
  g_string_free (load->partial, TRUE);
  g_hash_table_unref (load->own_ids);
  g_clear_object (&load->last);
  fcm_recording_info_free (load->info);
  g_free (load);
}

static void
load_header (Load      *load,
             FcmRecord *record)
{
  if (load->seen_header)
    return;
  load->seen_header = TRUE;
  load->info->hub_url = g_strdup (fcm_json_get_string (record->object, "hub"));
  load->info->topic = g_strdup (fcm_json_get_string (record->object, "topic"));
  load->info->subscriber = g_strdup (fcm_json_get_string (record->object, "subscriber"));
  load->info->started_usec = record->at_usec;
}

/* As FcmMonitor does for a live frame: validate, log, apply. */
static void
load_frame (Load      *load,
            FcmRecord *record)
{
  g_autoptr(FcmMessage) message = fcm_message_new (record->text, -1);
  g_autoptr(GPtrArray) issues = fcm_validator_validate_message (load->validator, message, NULL);
  FcmEvent *event = fcm_message_get_event (message);
  g_autoptr(FcmEventLogEntry) entry = NULL;

  load->info->n_frames++;
  /* C-69: heartbeats feed liveness, not the timeline */
  if (event != NULL && fcm_event_has_name (event, FCM_EVENT_HEARTBEAT))
    return;

  entry = fcm_event_log_entry_new_from_message (message, issues);
  if (record->at_usec > 0)
    _fcm_event_log_entry_set_received (entry, record->at_usec, event);
  if (event != NULL && fcm_event_get_id (event) != NULL &&
      g_hash_table_contains (load->own_ids, fcm_event_get_id (event)))
    fcm_event_log_entry_set_own_echo (entry, TRUE);
  fcm_event_log_append (load->event_log, entry);
  g_set_object (&load->last, entry);

  if (load->store != NULL && event != NULL && !fcm_event_has_name (event, FCM_EVENT_SYNCERROR) &&
      (fcm_message_get_kind (message) == FCM_MESSAGE_EVENT ||
       fcm_message_get_kind (message) == FCM_MESSAGE_LEGACY_EVENT))
    fcm_context_store_apply (load->store, event, NULL);
}

/* As FcmMonitor does live: the subscription's changes noted among the
 * messages (issue 11.9), at the time they were recorded */
static void
load_state (Load      *load,
            FcmRecord *record)
{
  FcmClientState state = FCM_CLIENT_STATE_DISCONNECTED;
  const char *note;
  gboolean known = FALSE;

  for (FcmClientState s = FCM_CLIENT_STATE_DISCONNECTED; s <= FCM_CLIENT_STATE_ERROR; s++)
    if (g_strcmp0 (record->state, fcm_client_state_to_string (s)) == 0)
      {
        state = s;
        known = TRUE;
      }
  if (!known)
    return;
  note = _fcm_event_log_note_for_state (load->state, state, load->was_live);
  if (note != NULL)
    {
      g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new_note (note, NULL);

      if (record->at_usec > 0)
        _fcm_event_log_entry_set_received (entry, record->at_usec, NULL);
      fcm_event_log_append (load->event_log, entry);
    }
  if (state == FCM_CLIENT_STATE_ACTIVE || state == FCM_CLIENT_STATE_RENEWING)
    load->was_live = TRUE;
  load->state = state;
}

static void
load_line (Load       *load,
           const char *line,
           gsize       length)
{
  FcmRecord record;

  if (length > 0 && line[length - 1] == '\r')
    length--;
  if (length == 0)
    return;
  if (!fcm_record_parse (line, (gssize) length, &record, NULL))
    {
      load->info->n_skipped++;
      return;
    }

  switch (record.type)
    {
    case FCM_RECORD_HEADER:
      load_header (load, &record);
      break;
    case FCM_RECORD_FRAME:
      load_frame (load, &record);
      break;
    case FCM_RECORD_ACK:
      {
        FcmEventLogEntry *entry = record.id != NULL
          ? fcm_event_log_find_event (load->event_log, record.id) : load->last;

        if (entry != NULL && record.status > 0)
          fcm_event_log_entry_set_ack_status (entry, record.status);
      }
      break;
    case FCM_RECORD_REQUEST:
      if (record.id != NULL)
        g_hash_table_add (load->own_ids, g_strdup (record.id));
      break;
    case FCM_RECORD_CONTEXT:
      if (load->store != NULL)
        {
          g_autoptr(JsonNode) node = fcm_json_parse (record.text, -1, NULL);

          if (node != NULL)
            fcm_context_store_load_current (load->store, node, NULL);
        }
      break;
    case FCM_RECORD_STATE:
      load_state (load, &record);
      break;
    case FCM_RECORD_SUMMARY:
    case FCM_RECORD_OTHER:
    default:
      break;
    }
  fcm_record_clear (&record);
}

static void load_next (GTask *task);

static void
load_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  const char *data;
  gsize size = 0;
  const char *line;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      /* the end: a last line without a newline, maybe cut by a crash */
      if (load->partial->len > 0)
        load_line (load, load->partial->str, load->partial->len);
      if (!load->seen_header)
        {
          g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, "%s",
                                   _("This is not a FHIRcast recording (no header line)"));
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&load->info),
                             (GDestroyNotify) fcm_recording_info_free);
      return;
    }

  for (line = data; line < data + size;)
    {
      const char *end = memchr (line, '\n', (data + size) - line);

      if (end == NULL)
        {
          g_string_append_len (load->partial, line, (data + size) - line);
          break;
        }
      if (load->partial->len > 0)
        {
          g_string_append_len (load->partial, line, end - line);
          load_line (load, load->partial->str, load->partial->len);
          g_string_truncate (load->partial, 0);
        }
      else
        load_line (load, line, end - line);
      line = end + 1;
    }
  if (load->partial->len > FCM_JSON_MAX_BYTES)
    {
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_TOO_LARGE, "%s",
                               _("A line of the recording is too long"));
      return;
    }
  load_next (g_steal_pointer (&task));
}

static void
load_next (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (load->stream, LOAD_CHUNK_SIZE, G_PRIORITY_LOW,
                                   g_task_get_cancellable (task), load_read_cb, task);
}

static void
load_open_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  load->stream = G_INPUT_STREAM (g_file_read_finish (G_FILE (source), result, &error));
  if (load->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  load_next (g_steal_pointer (&task));
}

/**
 * fcm_recording_load_async:
 * @file: a recording
 * @event_log: where its frames go, as a live monitor logs them
 * @context_store: (nullable): where its events and context answers go
 *
 * Reads @file a chunk at a time without blocking the main loop. Each frame
 * is validated (as a notification) and appended to @event_log with its
 * recorded receive time and the status of the ack that followed it;
 * heartbeats are left out as live (C-69).
 */
void
fcm_recording_load_async (GFile              *file,
                          FcmEventLog        *event_log,
                          FcmContextStore    *context_store,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  GTask *task;
  Load *load;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (FCM_IS_EVENT_LOG (event_log));
  g_return_if_fail (context_store == NULL || FCM_IS_CONTEXT_STORE (context_store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_recording_load_async);
  load = g_new0 (Load, 1);
  load->event_log = g_object_ref (event_log);
  load->store = context_store ? g_object_ref (context_store) : NULL;
  load->validator = fcm_validator_new ();
  fcm_validator_set_role (load->validator, FCM_VALIDATOR_ROLE_NOTIFICATION);
  load->partial = g_string_new (NULL);
  load->own_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  load->info = g_new0 (FcmRecordingInfo, 1);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, load_open_cb, task);
}

/**
 * fcm_recording_load_finish:
 *
 * Returns: (transfer full): what the recording says about itself, or %NULL
 *   on error (unreadable, not a recording)
 */
FcmRecordingInfo *
fcm_recording_load_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

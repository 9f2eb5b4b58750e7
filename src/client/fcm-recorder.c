/* fcm-recorder.c: records a subscriber's session, append-only, as NDJSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed by FcmHubClient's signals (attach it before the FcmMonitor is made,
 * so that a frame is queued here before anything shows it): every frame
 * received ("message", heartbeats too), every ack and request sent
 * ("sent"), every Get Current Context answer and state change. The format
 * is in fcm-recording.c.
 *
 * Writing never blocks the main loop: each line is queued, and one
 * g_output_stream_write_all_async() at a time takes everything queued so
 * far (GIO does the write(2) in its worker pool for a local file). Lines
 * reach the file in order. When a write is done its lines are in the
 * kernel's page cache: a crash of the process (SIGKILL too) loses none of
 * them, only a crash of the machine could. No fsync per line: that would
 * cost a disk flush per message for a protection (against power loss)
 * that a debugging record does not need. "written" says how far the file
 * is; `fhircast watch --record` shows a line only once it is written.
 *
 * The file is capped: past max-size it is rotated (FILE → FILE.1 …, the
 * oldest of max-files dropped) between two writes, so a line is never
 * split, and each part starts with its own header. Endpoint URLs and ids
 * (C-09) and the bearer token are replaced by "[redacted]" before a line is
 * queued.
 *
 * This file: the object, the lines and the client's signals;
 * fcm-recorder-writer.c: opening, writing, rotating and closing the file.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-recorder-private.h"

#define REDACTED "[redacted]"
#define MAX_SECRETS 8

G_DEFINE_FINAL_TYPE (FcmRecorder, fcm_recorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
GParamSpec *_fcm_recorder_pspec_error;

enum {
  SIGNAL_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
guint _fcm_recorder_signal_written;

/* ---------------------------------------------------------------- secrets */

static void
add_secret (FcmRecorder *self,
            const char  *secret)
{
  if (secret == NULL || strlen (secret) < 6)
    return;
  for (guint i = 0; i < self->secrets->len; i++)
    if (strcmp (g_ptr_array_index (self->secrets, i), secret) == 0)
      return;
  if (self->secrets->len >= MAX_SECRETS)
    g_ptr_array_remove_index (self->secrets, 0);
  g_ptr_array_add (self->secrets, g_strdup (secret));
}

/* C-09: the endpoint is a secret; so is its id, its last path segment
 * (unless that is the 2019 prototype's topic, which is no secret) */
static void
note_client_secrets (FcmRecorder *self)
{
  const char *endpoint;
  const char *slash;

  if (self->client == NULL)
    return;
  add_secret (self, fcm_hub_client_get_token (self->client));
  endpoint = fcm_hub_client_get_endpoint (self->client);
  if (endpoint == NULL)
    return;
  add_secret (self, endpoint);
  slash = strrchr (endpoint, '/');
  if (slash != NULL && g_strcmp0 (slash + 1, self->topic) != 0)
    add_secret (self, slash + 1);
}

/* @text with every secret replaced; %NULL when there is none in it */
static char *
redact (FcmRecorder *self,
        const char  *text)
{
  g_autoptr(GString) out = NULL;

  /* the longest first: an endpoint URL before the id it ends in */
  for (guint i = self->secrets->len; i > 0; i--)
    {
      const char *secret = g_ptr_array_index (self->secrets, i - 1);

      if (strstr (out ? out->str : text, secret) == NULL)
        continue;
      if (out == NULL)
        out = g_string_new (text);
      g_string_replace (out, secret, REDACTED, 0);
    }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static int
compare_length (gconstpointer a,
                gconstpointer b)
{
  return (int) strlen (*(const char **) a) - (int) strlen (*(const char **) b);
}

/* ---------------------------------------------------------------- lines */

static void record_at (FcmRecorder   *self,
                       gint64         at_usec,
                       FcmRecordType  type,
                       const char    *id,
                       guint          status,
                       const char    *text);

void
_fcm_recorder_append_header (FcmRecorder *self,
               GString     *out)
{
  g_string_append (out, "{\"recording\":\"fhircast\",\"version\":");
  g_string_append_printf (out, "%d", FCM_RECORDING_VERSION);
  g_string_append (out, ",\"program\":");
  fcm_recording_append_string (out, GETTEXT_PACKAGE " " PACKAGE_VERSION);
  g_string_append (out, ",\"started\":\"");
  fcm_recording_append_time (out, g_get_real_time ());
  g_string_append (out, "\",\"part\":");
  g_string_append_printf (out, "%u", self->part);
  if (self->hub_url != NULL)
    {
      g_string_append (out, ",\"hub\":");
      fcm_recording_append_string (out, self->hub_url);
    }
  if (self->topic != NULL)
    {
      g_string_append (out, ",\"topic\":");
      fcm_recording_append_string (out, self->topic);
    }
  if (self->subscriber != NULL)
    {
      g_string_append (out, ",\"subscriber\":");
      fcm_recording_append_string (out, self->subscriber);
    }
  g_string_append (out, "}\n");
}

static const char *
direction (FcmRecordType type)
{
  switch (type)
    {
    case FCM_RECORD_FRAME:
    case FCM_RECORD_CONTEXT:
      return "in";
    case FCM_RECORD_ACK:
    case FCM_RECORD_REQUEST:
      return "out";
    case FCM_RECORD_HEADER:
    case FCM_RECORD_STATE:
    case FCM_RECORD_SUMMARY:
    case FCM_RECORD_OTHER:
    default:
      return "local";
    }
}

/**
 * fcm_recorder_record:
 * @type: what it is (not a header: each file gets its own)
 * @id: (nullable): the event id of an ack or request
 * @status: the status of an ack, else 0
 * @text: (nullable): the raw text; for a state line, the state's name
 *
 * Queues one line, stamped now, and starts writing it. The attached
 * client's signals call this; tests and tools may too.
 */
void
fcm_recorder_record (FcmRecorder   *self,
                     FcmRecordType  type,
                     const char    *id,
                     guint          status,
                     const char    *text)
{
  record_at (self, g_get_real_time (), type, id, status, text);
}

/* a line stamped @at_usec (a frame: when it was read) */
static void
record_at (FcmRecorder   *self,
           gint64         at_usec,
           FcmRecordType  type,
           const char    *id,
           guint          status,
           const char    *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *redacted = NULL;
  GString *out;

  g_return_if_fail (FCM_IS_RECORDER (self));
  g_return_if_fail (type != FCM_RECORD_HEADER);

  if (self->error != NULL || self->closed)
    return;
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  if (text != NULL && (redacted = redact (self, text)) != NULL)
    text = redacted;

  out = self->pending;
  self->queued_seq++;
  g_string_append (out, "{\"seq\":");
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, self->queued_seq);
  g_string_append (out, ",\"at\":\"");
  fcm_recording_append_time (out, at_usec);
  g_string_append (out, "\",\"dir\":\"");
  g_string_append (out, direction (type));
  g_string_append (out, "\",\"type\":\"");
  g_string_append (out, fcm_record_type_to_string (type));
  g_string_append_c (out, '"');
  if (id != NULL)
    {
      g_string_append (out, ",\"id\":");
      fcm_recording_append_string (out, id);
    }
  if (status > 0)
    g_string_append_printf (out, ",\"status\":%u", status);
  if (text != NULL)
    {
      g_string_append (out, type == FCM_RECORD_STATE ? ",\"state\":" : ",\"text\":");
      fcm_recording_append_string (out, text);
    }
  g_string_append (out, "}\n");
  {
    Mark mark = { out->len, self->queued_seq };

    g_array_append_val (self->marks, mark);
  }
  self->pending_seq = self->queued_seq;

  _fcm_recorder_start_work (self);
}

/* ---------------------------------------------------------------- the client's signals */

static void
message_cb (FcmHubClient *client,
            FcmMessage   *message,
            FcmRecorder  *self)
{
  record_at (self, fcm_message_get_received_usec (message), FCM_RECORD_FRAME, NULL, 0, fcm_message_get_text (message));
}

static void
sent_cb (FcmHubClient *client,
         const char   *what,
         const char   *id,
         guint         status,
         const char   *text,
         FcmRecorder  *self)
{
  fcm_recorder_record (self, g_strcmp0 (what, "ack") == 0 ? FCM_RECORD_ACK : FCM_RECORD_REQUEST,
                       id, status, text);
}

static void
context_cb (FcmHubClient *client,
            GParamSpec   *pspec,
            FcmRecorder  *self)
{
  JsonNode *node = fcm_hub_client_get_current_context (client);
  g_autofree char *text = NULL;

  if (node == NULL)
    return;
  text = fcm_json_to_string (node, FALSE);
  fcm_recorder_record (self, FCM_RECORD_CONTEXT, NULL, 0, text);
}

static void
state_cb (FcmHubClient *client,
          GParamSpec   *pspec,
          FcmRecorder  *self)
{
  /* a new subscription has a new endpoint: known before its first frame */
  note_client_secrets (self);
  g_ptr_array_sort (self->secrets, compare_length);
  fcm_recorder_record (self, FCM_RECORD_STATE, NULL, 0,
                       fcm_client_state_to_string (fcm_hub_client_get_state (client)));
}

static void
endpoint_cb (FcmHubClient *client,
             GParamSpec   *pspec,
             FcmRecorder  *self)
{
  note_client_secrets (self);
  g_ptr_array_sort (self->secrets, compare_length);
}

void
_fcm_recorder_detach (FcmRecorder *self)
{
  if (self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->client, self);
  g_object_remove_weak_pointer (G_OBJECT (self->client), (gpointer *) &self->client);
  self->client = NULL;
}

/**
 * fcm_recorder_attach:
 * @client: the subscriber to record
 *
 * Records what @client receives and sends from now on. Attach before
 * making the #FcmMonitor of @client, so that each frame is queued here
 * before the monitor shows it.
 */
void
fcm_recorder_attach (FcmRecorder  *self,
                     FcmHubClient *client)
{
  g_return_if_fail (FCM_IS_RECORDER (self));
  g_return_if_fail (FCM_IS_HUB_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = client;
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &self->client);
  g_free (self->hub_url);
  self->hub_url = fcm_recording_public_url (fcm_hub_client_get_hub_url (client));
  g_free (self->topic);
  self->topic = g_strdup (fcm_hub_client_get_topic (client));
  g_free (self->subscriber);
  self->subscriber = g_strdup (fcm_hub_client_get_subscriber_name (client));
  note_client_secrets (self);
  g_ptr_array_sort (self->secrets, compare_length);

  g_signal_connect (client, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (client, "sent", G_CALLBACK (sent_cb), self);
  g_signal_connect (client, "notify::current-context", G_CALLBACK (context_cb), self);
  g_signal_connect (client, "notify::state", G_CALLBACK (state_cb), self);
  g_signal_connect (client, "notify::token", G_CALLBACK (endpoint_cb), self);
}

/* ---------------------------------------------------------------- closing */

/**
 * fcm_recorder_close_async:
 *
 * Stops recording (detaches from the client), writes what is queued and
 * closes the file. A recorder that is simply unreffed finishes its writes
 * the same way before it goes.
 */
void
fcm_recorder_close_async (FcmRecorder         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FCM_IS_RECORDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_recorder_close_async);
  if (self->closed)
    {
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (self->close_tasks == NULL)
    self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->close_tasks, task);
  self->closing = TRUE;
  _fcm_recorder_detach (self);
  _fcm_recorder_start_work (self);
}

gboolean
fcm_recorder_close_finish (FcmRecorder   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- object */

static void
fcm_recorder_dispose (GObject *object)
{
  FcmRecorder *self = FCM_RECORDER (object);

  _fcm_recorder_detach (self);
  G_OBJECT_CLASS (fcm_recorder_parent_class)->dispose (object);
}

static void
fcm_recorder_finalize (GObject *object)
{
  FcmRecorder *self = FCM_RECORDER (object);

  /* only reached when nothing is in flight: the steps hold a reference */
  g_clear_object (&self->stream);
  g_clear_object (&self->file);
  g_free (self->path);
  g_free (self->hub_url);
  g_free (self->topic);
  g_free (self->subscriber);
  g_ptr_array_unref (self->secrets);
  g_string_free (self->pending, TRUE);
  g_array_unref (self->marks);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (fcm_recorder_parent_class)->finalize (object);
}

static void
fcm_recorder_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FcmRecorder *self = FCM_RECORDER (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_recorder_class_init (FcmRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fcm_recorder_dispose;
  object_class->finalize = fcm_recorder_finalize;
  object_class->get_property = fcm_recorder_get_property;

  /**
   * FcmRecorder:error:
   *
   * The first error writing the file (it could not be made, the disk is
   * full …); nothing is recorded after it.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  _fcm_recorder_pspec_error = properties[PROP_ERROR];

  /**
   * FcmRecorder::written:
   * @seq: the last line now in the file
   *
   * A write is done: every line up to @seq is in the file (in the
   * kernel: a crash of this process loses none of them).
   */
  signals[SIGNAL_WRITTEN] =
    g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  _fcm_recorder_signal_written = signals[SIGNAL_WRITTEN];
}

static void
fcm_recorder_init (FcmRecorder *self)
{
  self->max_size = FCM_RECORDING_DEFAULT_MAX_SIZE;
  self->max_files = FCM_RECORDING_DEFAULT_MAX_FILES;
  self->secrets = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_string_sized_new (4096);
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
}

/**
 * fcm_recorder_new:
 * @path: the recording's file; appended to (made, with its folder, if
 *   missing)
 *
 * Returns: (transfer full): a recorder; nothing is opened before the first
 *   line
 */
FcmRecorder *
fcm_recorder_new (const char *path)
{
  FcmRecorder *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (FCM_TYPE_RECORDER, NULL);
  self->path = g_strdup (path);
  self->file = g_file_new_for_path (path);
  return self;
}

const char *
fcm_recorder_get_path (FcmRecorder *self)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), NULL);
  return self->path;
}

/**
 * fcm_recorder_set_limits:
 * @max_size: bytes a file may reach before the next line goes to a new one
 * @max_files: files kept, the current one included (at least 1)
 */
void
fcm_recorder_set_limits (FcmRecorder *self,
                         guint64      max_size,
                         guint        max_files)
{
  g_return_if_fail (FCM_IS_RECORDER (self));
  g_return_if_fail (max_size > 0);
  g_return_if_fail (max_files >= 1);

  self->max_size = max_size;
  self->max_files = max_files;
}

/**
 * fcm_recorder_get_queued_seq:
 *
 * Returns: the sequence number of the last line queued
 */
guint64
fcm_recorder_get_queued_seq (FcmRecorder *self)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), 0);
  return self->queued_seq;
}

/**
 * fcm_recorder_get_written_seq:
 *
 * Returns: the sequence number of the last line written to the file
 */
guint64
fcm_recorder_get_written_seq (FcmRecorder *self)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), 0);
  return self->written_seq;
}

/**
 * fcm_recorder_get_size:
 *
 * Returns: the size of the current file as far as written
 */
guint64
fcm_recorder_get_size (FcmRecorder *self)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), 0);
  return self->size;
}

/**
 * fcm_recorder_get_error:
 *
 * Returns: (nullable): why recording stopped, if it did
 */
const GError *
fcm_recorder_get_error (FcmRecorder *self)
{
  g_return_val_if_fail (FCM_IS_RECORDER (self), NULL);
  return self->error;
}

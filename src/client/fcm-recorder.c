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
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-recorder.h"

#define REDACTED "[redacted]"
#define MAX_SECRETS 8

struct _FcmRecorder
{
  GObject parent_instance;

  char *path;
  GFile *file;
  guint64 max_size;
  guint max_files;

  FcmHubClient *client;        /* weak: the client may go first */
  char *hub_url;               /* public form (fcm_recording_public_url) */
  char *topic;
  char *subscriber;
  GPtrArray *secrets;          /* endpoint URLs and ids, the token: never written */

  GOutputStream *stream;
  guint64 size;                /* of the current part */
  guint part;                  /* parts started by this recorder */
  GString *pending;            /* lines queued, not yet handed to a write */
  GArray *marks;               /* Mark: where each line in pending ends, and its seq */
  gboolean fresh_part;         /* no line in this part yet: never rotate it away */
  guint64 queued_seq;          /* the last line queued */
  guint64 pending_seq;         /* the last line in pending */
  GBytes *writing;             /* handed to the write in flight */
  guint64 writing_seq;
  guint64 written_seq;         /* the last line in the kernel */
  gboolean busy;               /* opening, writing, rotating or closing */
  gboolean opened_once;
  gboolean closing;
  gboolean closed;
  guint rotate_step;
  GError *error;               /* the first failure; nothing is recorded after it */
  GPtrArray *close_tasks;
};

G_DEFINE_FINAL_TYPE (FcmRecorder, fcm_recorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_WRITTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  gsize end;
  guint64 seq;
} Mark;

static void start_work (FcmRecorder *self);

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

static void
append_header (FcmRecorder *self,
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
  fcm_recording_append_time (out, g_get_real_time ());
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

  start_work (self);
}

/* ---------------------------------------------------------------- the client's signals */

static void
message_cb (FcmHubClient *client,
            FcmMessage   *message,
            FcmRecorder  *self)
{
  fcm_recorder_record (self, FCM_RECORD_FRAME, NULL, 0, fcm_message_get_text (message));
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

static void
detach (FcmRecorder *self)
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

/* ---------------------------------------------------------------- writing */

static void
fail (FcmRecorder *self,
      GError      *error)
{
  if (self->error == NULL)
    {
      g_prefix_error (&error, _("Recording to %s failed: "), self->path);
      self->error = error;
      g_string_truncate (self->pending, 0);
      g_array_set_size (self->marks, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  else
    g_error_free (error);
}

/* The end of a step: drop the reference the step held, go on. */
static void
step_done (FcmRecorder *self)
{
  self->busy = FALSE;
  start_work (self);
  g_object_unref (self);
}

/* The file is closed (or was never opened): answer fcm_recorder_close_async(). */
static void
finish_close (FcmRecorder  *self,
              const GError *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->close_tasks);

  g_clear_object (&self->stream);
  self->closed = TRUE;
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  self->busy = FALSE;
  g_object_unref (self);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error);
  finish_close (user_data, error);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    fail (self, g_steal_pointer (&error));
  else
    {
      self->size += written;
      self->written_seq = self->writing_seq;
      g_signal_emit (self, signals[SIGNAL_WRITTEN], 0, self->written_seq);
    }
  g_clear_pointer (&self->writing, g_bytes_unref);
  step_done (self);
}

static void open_part (FcmRecorder *self);
static void rotate_next (FcmRecorder *self);

static void
rotate_step_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->rotate_step + 1 == self->max_files)
    ok = g_file_delete_finish (G_FILE (source), result, &error);
  else
    ok = g_file_move_finish (G_FILE (source), result, &error);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }
  rotate_next (self);
}

/* FILE.(n-1) deleted, FILE.(i-1) → FILE.i …, FILE → FILE.1, one at a time */
static void
rotate_next (FcmRecorder *self)
{
  g_autofree char *from_path = NULL;
  g_autoptr(GFile) from = NULL;

  if (self->rotate_step == 0)
    {
      open_part (self);
      return;
    }
  self->rotate_step--;
  from_path = fcm_recording_part_path (self->path, self->rotate_step);
  from = g_file_new_for_path (from_path);
  if (self->rotate_step + 1 == self->max_files)
    g_file_delete_async (from, G_PRIORITY_DEFAULT, NULL, rotate_step_cb, self);
  else
    {
      g_autofree char *to_path = fcm_recording_part_path (self->path, self->rotate_step + 1);
      g_autoptr(GFile) to = g_file_new_for_path (to_path);

      g_file_move_async (from, to, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, NULL,
                         NULL, NULL, rotate_step_cb, self);
    }
}

static void
rotate_closed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_debug ("recorder: closing a full part: %s", error->message);
  g_clear_object (&self->stream);
  self->rotate_step = self->max_files;
  rotate_next (self);
}

/* Hands @len bytes of pending (whole lines, the last one @seq) to a write. */
static void
start_write (FcmRecorder *self,
             gsize        len,
             guint64      seq)
{
  guint n_marks = 0;

  while (n_marks < self->marks->len && g_array_index (self->marks, Mark, n_marks).end <= len)
    n_marks++;
  g_array_remove_range (self->marks, 0, n_marks);
  for (guint i = 0; i < self->marks->len; i++)
    g_array_index (self->marks, Mark, i).end -= len;

  self->writing = g_bytes_new (self->pending->str, len);
  g_string_erase (self->pending, 0, (gssize) len);
  self->writing_seq = seq;
  g_output_stream_write_all_async (self->stream, g_bytes_get_data (self->writing, NULL), len,
                                   G_PRIORITY_DEFAULT, NULL, written_cb, self);
}

/* Writes what is queued, as much as the part has room for: whole lines,
 * at least one into a fresh part (a line longer than the cap is never
 * split nor dropped). */
static void
write_pending (FcmRecorder *self)
{
  guint64 room = self->max_size > self->size ? self->max_size - self->size : 0;
  Mark fit = { 0, 0 };

  if (self->pending->len <= room)
    {
      start_write (self, self->pending->len, self->pending_seq);
      return;
    }
  for (guint i = 0; i < self->marks->len; i++)
    {
      Mark *mark = &g_array_index (self->marks, Mark, i);

      if (mark->end > room && (i > 0 || !self->fresh_part))
        break;
      fit = *mark;
    }
  start_write (self, fit.end, fit.seq);
}

/* One step at a time, in order: open, rotate, write what is queued, close. */
static void
start_work (FcmRecorder *self)
{
  if (self->busy || self->closed)
    return;

  if (self->error == NULL && self->pending->len > 0)
    {
      self->busy = TRUE;
      g_object_ref (self);
      if (self->stream == NULL)
        open_part (self);
      else if (!self->fresh_part && self->size + g_array_index (self->marks, Mark, 0).end > self->max_size)
        g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, rotate_closed_cb, self);
      else
        {
          write_pending (self);
          self->fresh_part = FALSE;
        }
      return;
    }

  if (self->closing)
    {
      self->busy = TRUE;
      g_object_ref (self);
      detach (self);
      if (self->stream != NULL)
        g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, closed_cb, self);
      else
        finish_close (self, NULL);
    }
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_append_to_finish (G_FILE (source), result, &error);
  g_autoptr(GFileInfo) info = NULL;
  GString *header = g_string_new (NULL);

  if (stream == NULL)
    {
      g_string_free (header, TRUE);
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }
  self->stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  /* appending to a file of an earlier run: its size counts (cheap fstat) */
  info = g_file_output_stream_query_info (G_FILE_OUTPUT_STREAM (self->stream),
                                          G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  self->size = info ? (guint64) g_file_info_get_size (info) : 0;

  /* each part starts with a header, written before the lines queued meanwhile */
  append_header (self, header);
  self->part++;
  self->fresh_part = TRUE;
  self->writing = g_string_free_to_bytes (g_steal_pointer (&header));
  self->writing_seq = self->written_seq;
  g_output_stream_write_all_async (self->stream, g_bytes_get_data (self->writing, NULL),
                                   g_bytes_get_size (self->writing), G_PRIORITY_DEFAULT, NULL,
                                   written_cb, self);
}

static void
mkdir_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FcmRecorder *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_make_directory_finish (G_FILE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autoptr(GFile) parent = g_file_get_parent (G_FILE (source));

      /* its parent is missing too: make that first, then this one again */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && parent != NULL &&
          g_object_get_data (source, "fcm-retried") == NULL)
        {
          g_object_set_data (G_OBJECT (parent), "fcm-then", g_object_ref (source));
          g_file_make_directory_async (parent, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
          return;
        }
      fail (self, g_steal_pointer (&error));
      step_done (self);
      return;
    }

  if (g_object_get_data (source, "fcm-then") != NULL)
    {
      GFile *then = g_object_steal_data (source, "fcm-then");

      g_object_set_data (G_OBJECT (then), "fcm-retried", GINT_TO_POINTER (TRUE));
      g_file_make_directory_async (then, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
      g_object_unref (then);
      return;
    }
  g_file_append_to_async (self->file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, NULL, opened_cb, self);
}

static void
open_part (FcmRecorder *self)
{
  if (!self->opened_once)
    {
      g_autoptr(GFile) dir = g_file_get_parent (self->file);

      /* the first time: make the folder (and its parents) if needed */
      self->opened_once = TRUE;
      if (dir != NULL)
        {
          g_file_make_directory_async (dir, G_PRIORITY_DEFAULT, NULL, mkdir_cb, self);
          return;
        }
    }
  g_file_append_to_async (self->file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, NULL, opened_cb, self);
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
  detach (self);
  start_work (self);
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

  detach (self);
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

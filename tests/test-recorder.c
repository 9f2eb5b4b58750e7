/* test-recorder.c: recorded sessions (FcmRecorder, fcm-recording.c) on the real hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("fcm-recorder-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  GError **error = data;

  if (!fcm_recorder_close_finish (FCM_RECORDER (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  *(gboolean *) g_object_get_data (source, "test-closed") = TRUE;
}

static void
recorder_close (FcmRecorder *recorder)
{
  g_autoptr(GError) error = NULL;
  gboolean closed = FALSE;

  g_object_set_data (G_OBJECT (recorder), "test-closed", &closed);
  fcm_recorder_close_async (recorder, NULL, close_done_cb, &error);
  FCM_TEST_WAIT_UNTIL (closed);
  g_assert_no_error (error);
}

static GPtrArray *
read_records (const char *path)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = fcm_recording_read_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

#define RECORD(records, i) ((FcmRecord *) g_ptr_array_index ((records), (i)))

/* ------------------------------------------------------------------ the format */

static void
test_recorder_lines (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sub", "dir", "rec.ndjson", NULL);
  g_autoptr(FcmRecorder) recorder = fcm_recorder_new (path);
  g_autoptr(GPtrArray) records = NULL;
  const char *odd = "{\"a\":\"line\\nbreak \\\"quoted\\\" tab\\t\"}\n\ttrailing \x01 control";
  gint64 before = g_get_real_time ();

  /* the folder and its parents are made on the first line */
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, odd);
  fcm_recorder_record (recorder, FCM_RECORD_ACK, "ev-1", 200, "{\"id\":\"ev-1\",\"status\":\"200\"}");
  fcm_recorder_record (recorder, FCM_RECORD_REQUEST, "ev-2", 0, "{\"id\":\"ev-2\"}");
  fcm_recorder_record (recorder, FCM_RECORD_STATE, NULL, 0, "active");
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, "not \xff valid UTF-8");
  g_assert_cmpuint (fcm_recorder_get_queued_seq (recorder), ==, 5);
  recorder_close (recorder);
  g_assert_cmpuint (fcm_recorder_get_written_seq (recorder), ==, 5);

  records = read_records (path);
  g_assert_cmpuint (records->len, ==, 6);
  g_assert_cmpint (RECORD (records, 0)->type, ==, FCM_RECORD_HEADER);
  {
    gint64 version = 0;

    g_assert_true (fcm_json_get_int (RECORD (records, 0)->object, "version", &version));
    g_assert_cmpint (version, ==, FCM_RECORDING_VERSION);
  }
  g_assert_cmpint (RECORD (records, 1)->type, ==, FCM_RECORD_FRAME);
  g_assert_cmpstr (RECORD (records, 1)->text, ==, odd);
  g_assert_cmpstr (fcm_json_get_string (RECORD (records, 1)->object, "dir"), ==, "in");
  g_assert_cmpint (RECORD (records, 1)->at_usec, >=, before - G_USEC_PER_SEC);
  g_assert_cmpint (RECORD (records, 1)->at_usec, <=, g_get_real_time ());
  g_assert_cmpint (RECORD (records, 2)->type, ==, FCM_RECORD_ACK);
  g_assert_cmpstr (RECORD (records, 2)->id, ==, "ev-1");
  g_assert_cmpuint (RECORD (records, 2)->status, ==, 200);
  g_assert_cmpstr (fcm_json_get_string (RECORD (records, 2)->object, "dir"), ==, "out");
  g_assert_cmpint (RECORD (records, 3)->type, ==, FCM_RECORD_REQUEST);
  g_assert_cmpstr (RECORD (records, 3)->id, ==, "ev-2");
  g_assert_cmpint (RECORD (records, 4)->type, ==, FCM_RECORD_STATE);
  g_assert_cmpstr (RECORD (records, 4)->state, ==, "active");
  g_assert_true (g_utf8_validate (RECORD (records, 5)->text, -1, NULL));
  for (guint i = 1; i < records->len; i++)
    {
      gint64 seq = 0;

      g_assert_true (fcm_json_get_int (RECORD (records, i)->object, "seq", &seq));
      g_assert_cmpint (seq, ==, i);
    }

  /* closed: nothing more is recorded */
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, "late");
  g_assert_cmpuint (fcm_recorder_get_queued_seq (recorder), ==, 5);

  remove_tree (dir);
}

/* A recording cut in the middle of a line by a crash reads up to the cut. */
static void
test_recording_truncated (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "cut.ndjson", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *text =
    "{\"recording\":\"fhircast\",\"version\":1,\"started\":\"2025-11-21T09:00:00.000000Z\",\"part\":0}\n"
    "{\"seq\":1,\"at\":\"2025-11-21T09:00:01.000000Z\",\"dir\":\"in\",\"type\":\"frame\",\"text\":\"{}\"}\n"
    "{\"seq\":2,\"at\":\"2025-11-21T09:00:02.000000Z\",\"dir\":\"in\",\"type\":\"fra";

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  records = read_records (path);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpint (RECORD (records, 1)->at_usec % G_USEC_PER_SEC, ==, 0);

  /* not a recording at all */
  g_assert_true (g_file_set_contents (path, "{\"id\":1}\n", -1, &error));
  g_assert_null (fcm_recording_read_file (path, &error));
  g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);

  {
    g_autofree char *p0 = fcm_recording_part_path ("/a/b.ndjson", 0);
    g_autofree char *p3 = fcm_recording_part_path ("/a/b.ndjson", 3);
    g_autofree char *p1 = fcm_recording_part_path ("/a/b.log", 1);

    g_assert_cmpstr (p0, ==, "/a/b.ndjson");
    g_assert_cmpstr (p3, ==, "/a/b.3.ndjson");
    g_assert_cmpstr (p1, ==, "/a/b.log.1");
  }

  remove_tree (dir);
}

/* At the cap the file is rotated between two writes: FILE → FILE.1 …, the
 * oldest part dropped; each part starts with a header, no line is split. */
static void
test_recorder_rotation (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "rot.ndjson", NULL);
  g_autoptr(FcmRecorder) recorder = fcm_recorder_new (path);
  g_autofree char *filler = g_strnfill (80, 'x');
  const guint64 cap = 1500;
  guint64 expected_seq = 0;
  guint64 last_seq = 0;

  fcm_recorder_set_limits (recorder, cap, 3);
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%u,\"pad\":\"%s\"}", i, filler);

      fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, text);
      /* now and then let the writes catch up, as a live session does */
      if (i % 7 == 0)
        FCM_TEST_WAIT_UNTIL (fcm_recorder_get_written_seq (recorder) == fcm_recorder_get_queued_seq (recorder));
    }
  recorder_close (recorder);

  /* three parts, no fourth; the oldest first, the sequence continues across them */
  for (int part = 2; part >= 0; part--)
    {
      g_autofree char *part_path = fcm_recording_part_path (path, (guint) part);
      g_autoptr(GPtrArray) records = read_records (part_path);
      GStatBuf st;
      gint64 number = -1;

      g_assert_cmpint (g_stat (part_path, &st), ==, 0);
      g_assert_cmpint (st.st_size, <=, (gint64) cap);
      g_assert_cmpuint (records->len, >=, 2);
      g_assert_true (fcm_json_get_int (RECORD (records, 0)->object, "part", &number));
      g_assert_cmpint (number, >, 0);
      for (guint i = 1; i < records->len; i++)
        {
          gint64 seq = 0;

          g_assert_true (fcm_json_get_int (RECORD (records, i)->object, "seq", &seq));
          if (expected_seq != 0)
            g_assert_cmpint (seq, ==, (gint64) expected_seq);
          expected_seq = (guint64) seq + 1;
          last_seq = (guint64) seq;
        }
    }
  g_assert_cmpuint (last_seq, ==, 120);
  {
    g_autofree char *fourth = fcm_recording_part_path (path, 3);

    g_assert_false (g_file_test (fourth, G_FILE_TEST_EXISTS));
  }

  remove_tree (dir);
}

/* A folder that cannot be made: the error is said, nothing crashes. */
static void
test_recorder_unwritable (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *blocker = g_build_filename (dir, "a-file", NULL);
  g_autofree char *path = g_build_filename (blocker, "rec.ndjson", NULL);
  g_autoptr(FcmRecorder) recorder = fcm_recorder_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (blocker, "", 0, &error));
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, "{}");
  FCM_TEST_WAIT_UNTIL (fcm_recorder_get_error (recorder) != NULL);
  g_assert_nonnull (strstr (fcm_recorder_get_error (recorder)->message, path));
  fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, "{}");
  g_assert_cmpuint (fcm_recorder_get_written_seq (recorder), ==, 0);

  remove_tree (dir);
}

/* ------------------------------------------------------------------ a session on the real hub */

typedef struct
{
  GPtrArray *texts;    /* what the monitor saw, in order */
  guint n_events;
  gboolean done;
  gboolean ok;
} Seen;

static void
monitor_message_cb (FcmMonitor *monitor,
                    FcmMessage *message,
                    GPtrArray  *issues,
                    Seen       *seen)
{
  g_ptr_array_add (seen->texts, g_strdup (fcm_message_get_text (message)));
}

static void
event_cb (FcmHubClient *client,
          FcmEvent     *event,
          Seen         *seen)
{
  seen->n_events++;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Seen *seen = data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == fcm_hub_client_publish_async)
    seen->ok = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &error) == 200;
  else if (g_task_get_source_tag (G_TASK (result)) == fcm_hub_client_unsubscribe_async)
    seen->ok = fcm_hub_client_unsubscribe_finish (FCM_HUB_CLIENT (source), result, &error);
  else
    seen->ok = fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error);
  g_assert_no_error (error);
  seen->done = TRUE;
}

static void
publish (FcmHubClient *client,
         Seen         *seen,
         const char   *name,
         JsonArray    *context)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (client), name,
                                             context, NULL, NULL);

  seen->done = FALSE;
  fcm_hub_client_publish_async (client, event, NULL, done_cb, seen);
  FCM_TEST_WAIT_UNTIL (seen->done);
  g_assert_true (seen->ok);
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  FcmRecordingInfo **info = data;
  g_autoptr(GError) error = NULL;

  *info = fcm_recording_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*info);
}

static void
test_recorder_session (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "session.ndjson", NULL);
  g_autofree char *topic = g_uuid_string_random ();
  g_autofree char *contents = NULL;
  g_autoptr(FcmHubClient) client = NULL;
  g_autoptr(FcmRecorder) recorder = NULL;
  g_autoptr(FcmMonitor) monitor = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(FcmEventLog) loaded = fcm_event_log_new ();
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmRecordingInfo) info = NULL;
  g_autofree char *endpoint = NULL;
  FcmEventLog *live;
  Seen seen = { g_ptr_array_new_with_free_func (g_free) };
  guint n_frames = 0, n_acks = 0, n_requests = 0;
  const char *endpoint_id;

  fcm_hub_set_secret (hub, "s3cr3t-token-value");
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);

  client = fcm_hub_client_new (fcm_hub_get_url (hub), topic);
  fcm_hub_client_set_token (client, "s3cr3t-token-value");
  fcm_hub_client_set_subscriber_name (client, "Recorder test");
  recorder = fcm_recorder_new (path);
  fcm_recorder_attach (recorder, client);      /* before the monitor */
  monitor = fcm_monitor_new (client);
  g_signal_connect (monitor, "message", G_CALLBACK (monitor_message_cb), &seen);
  g_signal_connect (client, "event", G_CALLBACK (event_cb), &seen);

  fcm_hub_client_subscribe_async (client, NULL, done_cb, &seen);
  FCM_TEST_WAIT_UNTIL (seen.done);
  g_assert_true (seen.ok);
  endpoint = g_strdup (fcm_hub_client_get_endpoint (client));

  {
    g_autoptr(JsonArray) open = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
    g_autoptr(JsonArray) select = fcm_context_build_select ("rpt-1", (const char *[]) { "ImagingStudy/st-1", NULL });
    g_autoptr(JsonArray) close = fcm_context_build_close ("rpt-1", "pat-1", "st-1");

    publish (client, &seen, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
    publish (client, &seen, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, select);
    publish (client, &seen, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close);
    FCM_TEST_WAIT_UNTIL (seen.n_events == 3);
  }
  seen.done = FALSE;
  fcm_hub_client_unsubscribe_async (client, NULL, done_cb, &seen);
  FCM_TEST_WAIT_UNTIL (seen.done);
  recorder_close (recorder);

  /* neither the endpoint (C-09) nor the token is in the file */
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  endpoint_id = strrchr (endpoint, '/') + 1;
  g_assert_cmpuint (strlen (endpoint_id), >=, 16);
  g_assert_null (strstr (contents, endpoint_id));
  g_assert_null (strstr (contents, "s3cr3t-token-value"));

  /* every frame the monitor saw, in order, each event followed by its ack */
  records = read_records (path);
  g_assert_cmpstr (fcm_json_get_string (RECORD (records, 0)->object, "topic"), ==, topic);
  g_assert_cmpstr (fcm_json_get_string (RECORD (records, 0)->object, "subscriber"), ==, "Recorder test");
  for (guint i = 1; i < records->len; i++)
    {
      FcmRecord *r = RECORD (records, i);

      if (r->type == FCM_RECORD_FRAME)
        {
          g_autoptr(FcmMessage) message = fcm_message_new (r->text, -1);
          FcmRecord *next = i + 1 < records->len ? RECORD (records, i + 1) : NULL;

          g_assert_cmpuint (n_frames, <, seen.texts->len);
          g_assert_cmpstr (r->text, ==, g_ptr_array_index (seen.texts, n_frames));
          n_frames++;
          if (fcm_message_get_event (message) != NULL)
            {
              g_assert_nonnull (next);
              g_assert_cmpint (next->type, ==, FCM_RECORD_ACK);
              g_assert_cmpstr (next->id, ==, fcm_event_get_id (fcm_message_get_event (message)));
              g_assert_cmpuint (next->status, ==, 200);
            }
        }
      else if (r->type == FCM_RECORD_ACK)
        n_acks++;
      else if (r->type == FCM_RECORD_REQUEST)
        n_requests++;
    }
  g_assert_cmpuint (n_frames, ==, seen.texts->len);
  g_assert_cmpuint (n_acks, ==, 3);
  g_assert_cmpuint (n_requests, ==, 3);

  /* read back: the same timeline as live */
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    fcm_recording_load_async (file, loaded, store, NULL, load_done_cb, &info);
  }
  FCM_TEST_WAIT_UNTIL (info != NULL);
  g_assert_cmpstr (info->topic, ==, topic);
  live = fcm_monitor_get_event_log (monitor);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (live)));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (live)); i++)
    {
      g_autoptr(FcmEventLogEntry) a = g_list_model_get_item (G_LIST_MODEL (live), i);
      g_autoptr(FcmEventLogEntry) b = g_list_model_get_item (G_LIST_MODEL (loaded), i);

      g_assert_cmpstr (fcm_event_log_entry_get_text (a), ==, fcm_event_log_entry_get_text (b));
      g_assert_cmpint (fcm_event_log_entry_get_kind (a), ==, fcm_event_log_entry_get_kind (b));
      g_assert_cmpuint (fcm_event_log_entry_get_ack_status (a), ==, fcm_event_log_entry_get_ack_status (b));
      g_assert_cmpint (fcm_event_log_entry_get_own_echo (a), ==, fcm_event_log_entry_get_own_echo (b));
      g_assert_cmpuint (fcm_event_log_entry_count_issues (a, FCM_SEVERITY_WARNING), ==,
                        fcm_event_log_entry_count_issues (b, FCM_SEVERITY_WARNING));
      /* the recorded receive time, within the few µs between the two stamps */
      g_assert_cmpint (ABS (fcm_event_log_entry_get_received (a) - fcm_event_log_entry_get_received (b)), <,
                       G_USEC_PER_SEC);
    }
  /* the report was opened and closed: nothing current, as live */
  g_assert_null (fcm_context_store_get_current (store));
  g_assert_null (fcm_context_store_get_current (fcm_monitor_get_context_store (monitor)));

  g_ptr_array_unref (seen.texts);
  fcm_hub_shutdown (hub);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/recorder/lines", test_recorder_lines);
  g_test_add_func ("/fcm/recorder/truncated", test_recording_truncated);
  g_test_add_func ("/fcm/recorder/rotation", test_recorder_rotation);
  g_test_add_func ("/fcm/recorder/unwritable", test_recorder_unwritable);
  g_test_add_func ("/fcm/recorder/session", test_recorder_session);

  return g_test_run ();
}

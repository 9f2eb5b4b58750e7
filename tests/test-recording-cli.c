/* test-recording-cli.c: `fhircast watch --record` and `replay` against the
 * real hub over loopback (`anonymize`: test-anonymize.c)
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

/* ------------------------------------------------------------------ running the CLI */

typedef struct
{
  GSubprocess *proc;
  GDataInputStream *out;
  GPtrArray *lines;          /* stdout, line by line as it comes */
  char *err;
  gboolean eof;
  gboolean exited;
  int status;
} Cli;

static void read_next (Cli *c);

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Cli *c = data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (line == NULL)
    {
      c->eof = TRUE;
      return;
    }
  g_ptr_array_add (c->lines, line);
  read_next (c);
}

static void
read_next (Cli *c)
{
  g_data_input_stream_read_line_async (c->out, G_PRIORITY_DEFAULT, NULL, line_cb, c);
}

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Cli *c = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  c->exited = TRUE;
  if (g_subprocess_get_if_exited (G_SUBPROCESS (source)))
    c->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  else
    c->status = -g_subprocess_get_term_sig (G_SUBPROCESS (source));
}

static Cli *
cli_start (const char * const *args)
{
  const char *cli = g_getenv ("FHIRCAST_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Cli *c = g_new0 (Cli, 1);

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  /* stderr goes to the test log */
  c->proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  c->lines = g_ptr_array_new_with_free_func (g_free);
  c->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
  read_next (c);
  g_subprocess_wait_async (c->proc, NULL, exited_cb, c);
  return c;
}

static int
cli_wait (Cli *c)
{
  FCM_TEST_WAIT_UNTIL (c->exited);
  FCM_TEST_WAIT_UNTIL (c->eof);
  return c->status;
}

static void
cli_free (Cli *c)
{
  if (!c->exited)
    {
      g_subprocess_force_exit (c->proc);
      FCM_TEST_WAIT_UNTIL (c->exited);
    }
  FCM_TEST_WAIT_UNTIL (c->eof);
  g_object_unref (c->out);
  g_object_unref (c->proc);
  g_ptr_array_unref (c->lines);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cli, cli_free)

static int
cli_run (const char * const *args)
{
  g_autoptr(Cli) c = cli_start (args);

  return cli_wait (c);
}

/* lines of kind "event" that watch printed */
static guint
count_kind (Cli        *c,
            const char *kind)
{
  g_autofree char *needle = g_strdup_printf ("{\"kind\":\"%s\"", kind);
  guint n = 0;

  for (guint i = 0; i < c->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (c->lines, i), needle))
      n++;
  return n;
}

static JsonObject *
line_object (Cli   *c,
             guint  i,
             JsonNode **out_root)
{
  *out_root = fcm_json_parse (g_ptr_array_index (c->lines, i), -1, NULL);
  g_assert_nonnull (*out_root);
  return json_node_get_object (*out_root);
}

/* ------------------------------------------------------------------ fixtures */

typedef struct
{
  FcmHub *hub;
  FcmHubClient *publisher;
  char *topic;
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->hub = fcm_hub_new ();
  g_assert_true (fcm_hub_listen (f->hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  f->topic = g_uuid_string_random ();
  f->publisher = fcm_hub_client_new (fcm_hub_get_url (f->hub), f->topic);
  f->dir = g_dir_make_tmp ("fcm-recording-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_object_unref (f->publisher);
  fcm_hub_shutdown (f->hub);
  g_object_unref (f->hub);
  g_free (f->topic);
}

typedef struct
{
  gboolean done;
  guint status;
} Publish;

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Publish *p = data;
  g_autoptr(GError) error = NULL;

  p->status = fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, &error);
  g_assert_no_error (error);
  p->done = TRUE;
}

static void
publish_async (FcmHubClient *client,
               const char   *name,
               JsonArray    *context,
               Publish      *p)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (client), name,
                                             context, NULL, NULL);

  p->done = FALSE;
  fcm_hub_client_publish_async (client, event, NULL, published_cb, p);
}

static void
publish (FcmHubClient *client,
         const char   *name,
         JsonArray    *context)
{
  Publish p = { 0 };

  publish_async (client, name, context, &p);
  FCM_TEST_WAIT_UNTIL (p.done);
  g_assert_cmpuint (p.status, ==, 200);
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, fcm_test_wakeup, NULL);
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = g_get_monotonic_time () >= end;
    }
  g_source_remove (id);
}

static GPtrArray *
read_records (const char *path)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = fcm_recording_read_file (path, &error);

  g_assert_no_error (error);
  return records;
}

#define RECORD(records, i) ((FcmRecord *) g_ptr_array_index ((records), (i)))

static JsonArray *
open_context (guint n)
{
  g_autofree char *report = g_strdup_printf ("rpt-%u", n);
  g_autofree char *patient = g_strdup_printf ("pat-%u", n);
  g_autofree char *study = g_strdup_printf ("st-%u", n);
  g_autofree char *acc = g_strdup_printf ("ACC-%u", n);
  g_autofree char *mrn = g_strdup_printf ("MRN-%u", n);

  return fcm_context_build_open (report, patient, study, acc, mrn);
}

static JsonArray *
close_context (guint n)
{
  g_autofree char *report = g_strdup_printf ("rpt-%u", n);
  g_autofree char *patient = g_strdup_printf ("pat-%u", n);
  g_autofree char *study = g_strdup_printf ("st-%u", n);

  return fcm_context_build_close (report, patient, study);
}

/* ------------------------------------------------------------------ watch --record */

/* Every frame and ack watch printed is in the recording, in the same order,
 * with the same text. */
static void
test_watch_record (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "watch.ndjson", NULL);
  const char *args[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                         "--record", path, "--count", "4", "--timeout", "30", NULL };
  g_autoptr(Cli) watch = cli_start (args);
  g_autoptr(GPtrArray) records = NULL;
  guint r = 1;
  guint n_compared = 0;

  /* confirmed on its socket (C-17): events from now on reach it */
  FCM_TEST_WAIT_UNTIL (count_kind (watch, "confirmation") == 1);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonArray) open = open_context (i);
      g_autoptr(JsonArray) close = close_context (i);

      publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
      publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close);
    }
  g_assert_cmpint (cli_wait (watch), ==, 0);
  g_assert_cmpuint (count_kind (watch, "event"), ==, 4);

  /* watch's lines of frames and acks, matched in order against the file */
  records = read_records (path);
  for (guint i = 0; i < watch->lines->len; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *obj = line_object (watch, i, &root);
      const char *kind = fcm_json_get_string (obj, "kind");
      JsonNode *message = json_object_get_member (obj, "message");
      gboolean is_ack = g_str_equal (kind, "ack");
      FcmRecord *record;

      if (g_str_equal (kind, "state"))
        continue;
      while (r < records->len &&
             RECORD (records, r)->type != (is_ack ? FCM_RECORD_ACK : FCM_RECORD_FRAME))
        {
          /* nothing else that watch shows comes in between */
          g_assert_true (RECORD (records, r)->type == FCM_RECORD_STATE ||
                         RECORD (records, r)->type == FCM_RECORD_CONTEXT);
          r++;
        }
      g_assert_cmpuint (r, <, records->len);
      record = RECORD (records, r++);
      {
        g_autoptr(JsonNode) recorded = fcm_json_parse (record->text, -1, NULL);

        g_assert_nonnull (recorded);
        g_assert_true (json_node_equal (recorded, message));
      }
      n_compared++;
    }
  /* confirmation, 4 events, 4 acks, the denial answering the unsubscribe */
  g_assert_cmpuint (n_compared, ==, 10);
  for (; r < records->len; r++)
    g_assert_true (RECORD (records, r)->type == FCM_RECORD_STATE ||
                   RECORD (records, r)->type == FCM_RECORD_CONTEXT);
}

/* SIGKILL right after watch showed N events: the recording has them all
 * (a line is shown only once it is written). */
static void
test_watch_record_kill (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "killed.ndjson", NULL);
  const char *args[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                         "--record", path, "--timeout", "60", NULL };
  g_autoptr(Cli) watch = cli_start (args);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  const guint n = 12;
  Publish p[12] = { 0 };

  /* confirmed on its socket (C-17): events from now on reach it */
  FCM_TEST_WAIT_UNTIL (count_kind (watch, "confirmation") == 1);
  /* all at once: the frames race the recorder's writes */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonArray) open = open_context (i);

      publish_async (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open, &p[i]);
    }
  FCM_TEST_WAIT_UNTIL (count_kind (watch, "event") >= n / 2);
  g_subprocess_send_signal (watch->proc, SIGKILL);
  FCM_TEST_WAIT_UNTIL (watch->exited && watch->eof);
  g_assert_cmpint (watch->status, ==, -SIGKILL);
  for (guint i = 0; i < n; i++)
    FCM_TEST_WAIT_UNTIL (p[i].done);

  for (guint i = 0; i < watch->lines->len; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *obj;

      /* a line cut by the kill is not a shown line */
      if ((root = fcm_json_parse (g_ptr_array_index (watch->lines, i), -1, NULL)) == NULL)
        continue;
      obj = json_node_get_object (root);
      if (g_strcmp0 (fcm_json_get_string (obj, "kind"), "event") == 0)
        g_ptr_array_add (shown, g_strdup (fcm_json_get_string (fcm_json_get_object (obj, "message"), "id")));
    }
  g_assert_cmpuint (shown->len, >=, n / 2);

  records = read_records (path);
  for (guint i = 0; i < records->len; i++)
    if (RECORD (records, i)->type == FCM_RECORD_FRAME)
      {
        g_autoptr(FcmMessage) message = fcm_message_new (RECORD (records, i)->text, -1);

        if (fcm_message_get_event (message) != NULL)
          g_hash_table_add (recorded, g_strdup (fcm_event_get_id (fcm_message_get_event (message))));
      }
  for (guint i = 0; i < shown->len; i++)
    g_assert_true (g_hash_table_contains (recorded, g_ptr_array_index (shown, i)));
  g_test_message ("%u events shown before SIGKILL, %u recorded", shown->len, g_hash_table_size (recorded));
}

/* --record-max-size: the recording is rotated into parts at the cap. */
static void
test_watch_record_rotation (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "rot.ndjson", NULL);
  g_autofree char *part1 = g_build_filename (f->dir, "rot.1.ndjson", NULL);
  g_autofree char *part2 = g_build_filename (f->dir, "rot.2.ndjson", NULL);
  const char *args[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                         "--record", path, "--record-max-size", "4K", "--record-max-files", "2",
                         "--count", "10", "--timeout", "30", NULL };
  const char *bad[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                        "--record", path, "--record-max-size", "12Q", NULL };
  g_autoptr(Cli) watch = cli_start (args);
  GStatBuf st;

  /* confirmed on its socket (C-17): events from now on reach it */
  FCM_TEST_WAIT_UNTIL (count_kind (watch, "confirmation") == 1);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(JsonArray) open = open_context (i);
      g_autoptr(JsonArray) close = close_context (i);

      publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
      publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close);
    }
  g_assert_cmpint (cli_wait (watch), ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 4096);
  g_assert_cmpint (g_stat (part1, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 4096);
  g_assert_false (g_file_test (part2, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GPtrArray) records = read_records (part1);

    g_assert_cmpint (RECORD (records, 0)->type, ==, FCM_RECORD_HEADER);
  }

  g_assert_cmpint (cli_run (bad), ==, 64);
}

/* A recording that cannot be written stops watch with exit status 2. */
static void
test_watch_record_unwritable (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "rec.ndjson", NULL);
  const char *args[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                         "--record", path, "--timeout", "30", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (blocker, "", 0, &error));
  g_assert_cmpint (cli_run (args), ==, 2);
}

/* ------------------------------------------------------------------ replay */

typedef struct
{
  GPtrArray *names;
  GArray *times;     /* gint64: each event's timestamp, µs */
  GPtrArray *ids;
} Arrivals;

static void
arrival_cb (FcmHubClient *client,
            FcmEvent     *event,
            Arrivals     *a)
{
  /* the replay's own send time: no jitter of this busy test process in it */
  gint64 now = fcm_event_get_timestamp_usec (event);

  g_ptr_array_add (a->names, g_strdup (fcm_event_get_name (event)));
  g_ptr_array_add (a->ids, g_strdup (fcm_event_get_id (event)));
  g_array_append_val (a->times, now);
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, &error));
  *(gboolean *) data = TRUE;
}

/* Record open, update, select, close with gaps on one hub; replay into a
 * second at --speed 2: the same context changes in the same order, spaced
 * at least about half the recorded gaps (a loose bound: the machine is
 * shared). */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "session.ndjson", NULL);
  const char *record_args[] = { "watch", "--hub", fcm_hub_get_url (f->hub), "--topic", f->topic,
                                "--record", path, "--count", "4", "--timeout", "30", NULL };
  g_autoptr(FcmHub) hub2 = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *topic2 = g_uuid_string_random ();
  g_autoptr(FcmHubClient) listener = NULL;
  g_autoptr(Cli) watch = cli_start (record_args);
  g_autoptr(Cli) replay = NULL;
  Arrivals a = { g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE, sizeof (gint64)),
                 g_ptr_array_new_with_free_func (g_free) };
  const char *order[] = { FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
                          FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE };
  const guint gap_ms = 800;
  gint64 recorded_at[4] = { 0 };
  gboolean subscribed = FALSE;
  g_autoptr(GPtrArray) recorded_ids = g_ptr_array_new_with_free_func (g_free);

  /* confirmed on its socket (C-17): events from now on reach it */
  FCM_TEST_WAIT_UNTIL (count_kind (watch, "confirmation") == 1);
  {
    g_autoptr(JsonArray) open = open_context (1);
    g_autoptr(JsonNode) entries = fcm_json_parse (
      "[{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"obs-1\",\"status\":\"preliminary\","
      "\"code\":{\"text\":\"finding\"}},\"request\":{\"method\":\"PUT\",\"url\":\"Observation/obs-1\"}}]",
      -1, NULL);
    g_autoptr(JsonArray) update = fcm_context_build_update ("rpt-1", "pat-1", json_node_get_array (entries));
    g_autoptr(JsonArray) select = fcm_context_build_select ("rpt-1", (const char *[]) { "ImagingStudy/st-1", NULL });
    g_autoptr(JsonArray) close = close_context (1);
    g_autofree char *version = NULL;
    g_autofree char *update_id = g_uuid_string_random ();
    Publish p = { 0 };

    publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open);
    run_for (gap_ms);
    /* an update carries the current versionId (C-56): the last event's */
    FCM_TEST_WAIT_UNTIL (count_kind (watch, "event") == 1);
    {
      g_autoptr(JsonNode) root = NULL;
      guint last = 0;

      for (guint i = 0; i < watch->lines->len; i++)
        if (g_str_has_prefix (g_ptr_array_index (watch->lines, i), "{\"kind\":\"event\""))
          last = i;
      version = g_strdup (fcm_json_get_string (fcm_json_get_object (fcm_json_get_object (
                  line_object (watch, last, &root), "message"), "event"), "context.versionId"));
    }
    {
      g_autoptr(FcmEvent) event = fcm_event_new (update_id, NULL, f->topic, FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE,
                                                 update, version, NULL);

      fcm_hub_client_publish_async (f->publisher, event, NULL, published_cb, &p);
      FCM_TEST_WAIT_UNTIL (p.done);
      g_assert_cmpuint (p.status, ==, 200);
    }
    run_for (gap_ms);
    publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, select);
    run_for (gap_ms);
    publish (f->publisher, FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE, close);
  }
  g_assert_cmpint (cli_wait (watch), ==, 0);
  for (guint i = 0; i < watch->lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (watch->lines, i), "{\"kind\":\"event\""))
      {
        g_autoptr(JsonNode) root = NULL;
        JsonObject *message = fcm_json_get_object (line_object (watch, i, &root), "message");

        g_ptr_array_add (recorded_ids, g_strdup (fcm_json_get_string (message, "id")));
      }
  g_assert_cmpuint (recorded_ids->len, ==, 4);

  /* a second hub with a subscriber noting when each event arrives */
  g_assert_true (fcm_hub_listen (hub2, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);
  listener = fcm_hub_client_new (fcm_hub_get_url (hub2), topic2);
  g_signal_connect (listener, "event", G_CALLBACK (arrival_cb), &a);
  fcm_hub_client_subscribe_async (listener, NULL, subscribed_cb, &subscribed);
  FCM_TEST_WAIT_UNTIL (subscribed);

  {
    const char *args[] = { "replay", path, "--hub", fcm_hub_get_url (hub2), "--topic", topic2,
                           "--speed", "2", NULL };

    replay = cli_start (args);
    g_assert_cmpint (cli_wait (replay), ==, 0);
  }
  FCM_TEST_WAIT_UNTIL (a.names->len == 4);
  g_assert_cmpuint (replay->lines->len, ==, 4);
  /* when each event was recorded: its frame's receive time */
  {
    g_autoptr(GPtrArray) records = fcm_recording_read_file (path, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < records->len; i++)
      {
        FcmRecord *r = g_ptr_array_index (records, i);
        g_autoptr(JsonNode) frame = NULL;
        const char *id;

        if (r->type != FCM_RECORD_FRAME || (frame = fcm_json_parse (r->text, -1, NULL)) == NULL ||
            !JSON_NODE_HOLDS_OBJECT (frame) ||
            (id = fcm_json_get_string (json_node_get_object (frame), "id")) == NULL)
          continue;
        for (guint j = 0; j < 4; j++)
          if (recorded_at[j] == 0 && g_strcmp0 (id, g_ptr_array_index (recorded_ids, j)) == 0)
            recorded_at[j] = r->at_usec;
      }
    for (guint j = 0; j < 4; j++)
      g_assert_cmpint (recorded_at[j], >, 0);
  }
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *line = line_object (replay, i, &root);
      gint64 status = 0;

      g_assert_cmpstr (g_ptr_array_index (a.names, i), ==, order[i]);
      g_assert_true (fcm_json_get_int (line, "status", &status));
      g_assert_cmpint (status, ==, 200);
      g_assert_cmpstr (fcm_json_get_string (line, "recordedId"), ==, g_ptr_array_index (recorded_ids, i));
      /* fresh ids */
      g_assert_cmpstr (g_ptr_array_index (a.ids, i), !=, g_ptr_array_index (recorded_ids, i));
      g_assert_cmpstr (g_ptr_array_index (a.ids, i), ==, fcm_json_get_string (line, "id"));
      if (i > 0)
        {
          gint64 spacing = g_array_index (a.times, gint64, i) - g_array_index (a.times, gint64, i - 1);

          gint64 recorded = recorded_at[i] - recorded_at[i - 1];

          /* recorded about gap_ms apart, replayed at speed 2: half the
           * recorded gap between arrivals, plus how long the hub took to
           * answer the one before and to broadcast, and for an update the
           * Get Current Context before it (loopback, a busy machine: up to
           * a quarter of the gap; an ignored --speed would be a whole half
           * late) */
          g_test_message ("%s recorded %" G_GINT64_FORMAT " ms, replayed %" G_GINT64_FORMAT " ms after the one before",
                          order[i], recorded / 1000, spacing / 1000);
          g_assert_cmpint (recorded, >=, (gint64) (gap_ms - 50) * 1000);
          g_assert_cmpint (spacing, >=, recorded / 2 - 5 * 1000);
          g_assert_cmpint (spacing, <, recorded * 3 / 4);
        }
    }

  /* --keep-ids, fast: the recorded ids, in order */
  g_ptr_array_set_size (a.names, 0);
  g_ptr_array_set_size (a.ids, 0);
  g_array_set_size (a.times, 0);
  {
    g_autofree char *topic3 = g_uuid_string_random ();
    const char *args[] = { "replay", path, "--hub", fcm_hub_get_url (hub2), "--topic", topic2,
                           "--speed", "50", "--keep-ids", NULL };
    const char *bad_speed[] = { "replay", path, "--hub", fcm_hub_get_url (hub2), "--topic", topic2,
                                "--speed", "0", NULL };
    const char *missing[] = { "replay", "/nonexistent/rec.ndjson", "--hub", fcm_hub_get_url (hub2),
                              "--topic", topic3, NULL };

    g_assert_cmpint (cli_run (args), ==, 0);
    FCM_TEST_WAIT_UNTIL (a.ids->len == 4);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpstr (g_ptr_array_index (a.ids, i), ==, g_ptr_array_index (recorded_ids, i));
    g_assert_cmpint (cli_run (bad_speed), ==, 64);
    g_assert_cmpint (cli_run (missing), ==, 2);
  }

  g_signal_handlers_disconnect_by_data (listener, &a);
  g_ptr_array_unref (a.names);
  g_ptr_array_unref (a.ids);
  g_array_unref (a.times);
  fcm_hub_shutdown (hub2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fcm/cli/record/watch", Fixture, NULL, fixture_setup, test_watch_record, fixture_teardown);
  g_test_add ("/fcm/cli/record/kill", Fixture, NULL, fixture_setup, test_watch_record_kill, fixture_teardown);
  g_test_add ("/fcm/cli/record/rotation", Fixture, NULL, fixture_setup, test_watch_record_rotation, fixture_teardown);
  g_test_add ("/fcm/cli/record/unwritable", Fixture, NULL, fixture_setup, test_watch_record_unwritable, fixture_teardown);
  g_test_add ("/fcm/cli/replay", Fixture, NULL, fixture_setup, test_replay, fixture_teardown);

  return g_test_run ();
}

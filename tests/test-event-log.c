/* test-event-log.c: FcmEventLog storage, limits and NDJSON export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fcm-client.h"
#include "fcm-event-log-private.h"
#include "fcm-test-util.h"

static FcmEventLogEntry *
make_event_entry (FcmValidator *validator,
                  const char   *id,
                  const char   *name)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "topic-1", name, ctx, NULL, NULL);
  g_autofree char *text = fcm_event_to_json (event, FALSE);
  g_autoptr(GPtrArray) issues = NULL;
  FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

  issues = fcm_validator_validate_text (validator, text, -1, &kind);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_EVENT);
  return fcm_event_log_entry_new (text, kind, event, issues);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *changes)
{
  g_string_append_printf (changes, "%u-%u+%u;", position, removed, added);
}

/* the entry keeps what the timeline shows and parses the event on demand */
static void
test_entry_fields (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(FcmEventLogEntry) entry = make_event_entry (validator, "ev-1", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN);
  g_autoptr(FcmEventLogEntry) ack = fcm_event_log_entry_new ("{\"id\":\"x\",\"status\":200}",
                                                             FCM_MESSAGE_ACK, NULL, NULL);
  FcmEvent *event;

  g_assert_cmpstr (fcm_event_log_entry_get_name (entry), ==, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN);
  g_assert_cmpstr (fcm_event_log_entry_get_event_id (entry), ==, "ev-1");
  event = fcm_event_log_entry_get_event (entry);
  g_assert_nonnull (event);
  g_assert_cmpstr (fcm_event_get_id (event), ==, "ev-1");
  /* parsed once, then kept */
  g_assert_true (fcm_event_log_entry_get_event (entry) == event);
  g_assert_nonnull (fcm_event_log_entry_get_issues (entry));

  g_assert_null (fcm_event_log_entry_get_name (ack));
  g_assert_null (fcm_event_log_entry_get_event_id (ack));
  g_assert_null (fcm_event_log_entry_get_event (ack));
  g_assert_cmpint (fcm_event_log_entry_get_latency_ms (ack), ==, G_MININT64);
  g_assert_cmpuint (fcm_event_log_entry_get_issues (ack)->len, ==, 0);
  g_assert_cmpuint (fcm_event_log_entry_count_issues (ack, FCM_SEVERITY_ERROR), ==, 0);
}

/* issue 14: what a hub sends must not grow a table that is never freed.
 * Event names were the texts' keys through g_intern_string(), and issue
 * paths (a peer's member names and indexes) were interned too: a hub making
 * up a name for every event grew the process for good, and GLib leaks the
 * old array each time its table of interned strings grows (fuzz-client's
 * report at exit: 16 + 32 + … + 112 KiB = 458,752 bytes in 7 blocks after
 * 9.4 M inputs). Now at most 4,096 distinct strings are shared; past that
 * an entry keeps its own. */
static void
test_made_up_names (void)
{
  g_autoptr(FcmEventLog) log = fcm_event_log_new ();
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("rpt-1", "pat-1", "st-1", "ACC-1", "MRN-1");

  fcm_event_log_set_max_entries (log, 100);
  for (guint i = 0; i < 6000; i++)
    {
      g_autofree char *name = g_strdup_printf ("made-up-%u", i);
      g_autofree char *path = g_strdup_printf ("$.event.made-up-member-%u", i);
      g_autofree char *id = g_strdup_printf ("ev-%u", i);
      g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "topic-1", name, ctx, NULL, NULL);
      g_autofree char *text = fcm_event_to_json (event, FALSE);
      g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(FcmEventLogEntry) entry = NULL;
      GPtrArray *kept;

      g_autofree char *rule = g_strdup_printf ("R-%u", i);   /* a recording read back brings its own */

      g_ptr_array_add (issues, fcm_issue_new (FCM_SEVERITY_WARNING, rule, path, "not a known event"));
      entry = fcm_event_log_entry_new (text, FCM_MESSAGE_EVENT, event, issues);
      /* what the timeline shows stays as received */
      g_assert_cmpstr (fcm_event_log_entry_get_name (entry), ==, name);
      g_assert_cmpstr (fcm_event_log_entry_get_event_id (entry), ==, id);
      kept = fcm_event_log_entry_get_issues (entry);
      g_assert_cmpuint (kept->len, ==, 1);
      g_assert_cmpstr (fcm_issue_get_path (g_ptr_array_index (kept, 0)), ==, path);
      g_assert_cmpstr (fcm_issue_get_rule_id (g_ptr_array_index (kept, 0)), ==, rule);
      g_assert_cmpstr (fcm_event_get_name (fcm_event_log_entry_get_event (entry)), ==, name);
      fcm_event_log_append (log, entry);
      /* nothing of it in GLib's table of interned strings */
      g_assert_cmpuint (g_quark_try_string (name), ==, 0);
      g_assert_cmpuint (g_quark_try_string (path), ==, 0);
      g_assert_cmpuint (g_quark_try_string (rule), ==, 0);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 100);
  /* each kind of text keeps a base of up to 64 KiB for good: not per name */
  g_assert_cmpuint (_fcm_packed_text_get_n_bases (), <=, 256);

  /* a long name (or path) is never shared: the entry keeps it */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strnfill (2000 + i, 'n');
      g_autoptr(FcmEvent) event = fcm_event_new ("ev-long", NULL, "topic-1", name, ctx, NULL, NULL);
      g_autofree char *text = fcm_event_to_json (event, FALSE);
      g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new (text, FCM_MESSAGE_EVENT, event, NULL);

      g_assert_cmpstr (fcm_event_log_entry_get_name (entry), ==, name);
      g_assert_null (_fcm_shared_string (name));
    }
}

/* a full log drops the oldest and adds the newest as two small changes */
static void
test_max_entries (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(FcmEventLog) log = fcm_event_log_new ();
  g_autoptr(GString) changes = g_string_new (NULL);

  fcm_event_log_set_max_entries (log, 3);
  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), changes);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autoptr(FcmEventLogEntry) entry = make_event_entry (validator, id, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN);

      fcm_event_log_append (log, entry);
    }
  g_assert_cmpstr (changes->str, ==, "0-0+1;1-0+1;2-0+1;0-1+0;2-0+1;0-1+0;2-0+1;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
  g_assert_null (fcm_event_log_find_event (log, "id-1"));
  g_assert_nonnull (fcm_event_log_find_event (log, "id-2"));
  g_assert_nonnull (fcm_event_log_find_event (log, "id-4"));

  g_string_truncate (changes, 0);
  fcm_event_log_set_max_entries (log, 1);
  g_assert_cmpstr (changes->str, ==, "0-3+1;");
  g_assert_nonnull (fcm_event_log_find_event (log, "id-4"));
}

static FcmEventLog *
make_log (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  FcmEventLog *log = fcm_event_log_new ();
  g_autoptr(FcmEventLogEntry) confirmation = NULL;
  g_autoptr(FcmEventLogEntry) open = NULL;
  g_autoptr(FcmEventLogEntry) bad = NULL;
  g_autoptr(FcmEventLogEntry) garbage = NULL;
  const char *confirmation_text = "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"topic-1\",\"hub.events\":\"x\"}";
  g_autoptr(GPtrArray) issues = NULL;
  FcmMessageKind kind;

  issues = fcm_validator_validate_text (validator, confirmation_text, -1, &kind);
  confirmation = fcm_event_log_entry_new (confirmation_text, kind, NULL, issues);
  fcm_event_log_append (log, confirmation);

  open = make_event_entry (validator, "ev-open", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN);
  fcm_event_log_entry_set_ack_status (open, 200);
  fcm_event_log_entry_set_own_echo (open, TRUE);
  fcm_event_log_append (log, open);

  /* lower-case legacy name: the validator warns (C-xx), the export keeps it */
  bad = make_event_entry (validator, "ev-bad", "diagnosticreport-open");
  fcm_event_log_append (log, bad);

  g_clear_pointer (&issues, g_ptr_array_unref);
  issues = fcm_validator_validate_text (validator, "not json\n{", -1, &kind);
  garbage = fcm_event_log_entry_new ("not json\n{", kind, NULL, issues);
  fcm_event_log_append (log, garbage);
  return log;
}

static void
check_ndjson (FcmEventLog *log,
              const char  *text,
              gsize        len)
{
  g_auto(GStrv) lines = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  guint n_lines;

  g_assert_true (len > 0 && text[len - 1] == '\n');
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;      /* after the last newline: "" */
  g_assert_cmpstr (lines[n_lines], ==, "");
  g_assert_cmpuint (n_lines, ==, n);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) received = NULL;
      GPtrArray *issues = fcm_event_log_entry_get_issues (entry);
      JsonObject *obj;
      JsonArray *jissues;
      JsonNode *message;
      const char *stamp;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      obj = json_node_get_object (json_parser_get_root (parser));
      g_assert_nonnull (obj);

      stamp = json_object_get_string_member (obj, "received");
      g_assert_true (g_str_has_suffix (stamp, "Z"));
      g_assert_cmpuint (strlen (stamp), ==, strlen ("2026-01-01T00:00:00.000Z"));
      received = g_date_time_new_from_iso8601 (stamp, NULL);
      g_assert_nonnull (received);
      g_assert_cmpint (g_date_time_to_unix (received), ==,
                       fcm_event_log_entry_get_received (entry) / G_USEC_PER_SEC);

      g_assert_cmpstr (json_object_get_string_member (obj, "kind"), ==,
                       fcm_message_kind_to_string (fcm_event_log_entry_get_kind (entry)));
      if (fcm_event_log_entry_get_latency_ms (entry) == G_MININT64)
        g_assert_true (json_object_get_null_member (obj, "latencyMs"));
      else
        g_assert_cmpint (json_object_get_int_member (obj, "latencyMs"), ==,
                         fcm_event_log_entry_get_latency_ms (entry));
      if (fcm_event_log_entry_get_ack_status (entry) == 0)
        g_assert_true (json_object_get_null_member (obj, "ack"));
      else
        g_assert_cmpint (json_object_get_int_member (obj, "ack"), ==,
                         fcm_event_log_entry_get_ack_status (entry));
      g_assert_cmpint (json_object_get_boolean_member (obj, "ownEcho"), ==,
                       fcm_event_log_entry_get_own_echo (entry));

      jissues = json_object_get_array_member (obj, "issues");
      g_assert_cmpuint (json_array_get_length (jissues), ==, issues->len);
      for (guint j = 0; j < issues->len; j++)
        {
          FcmIssue *issue = g_ptr_array_index (issues, j);
          JsonObject *ji = json_array_get_object_element (jissues, j);

          g_assert_cmpstr (json_object_get_string_member (ji, "rule"), ==, fcm_issue_get_rule_id (issue));
          g_assert_cmpstr (json_object_get_string_member (ji, "severity"), ==,
                           fcm_severity_to_string (fcm_issue_get_severity (issue)));
          g_assert_cmpstr (json_object_get_string_member (ji, "path"), ==, fcm_issue_get_path (issue));
          g_assert_cmpstr (json_object_get_string_member (ji, "message"), ==, fcm_issue_get_message (issue));
        }

      message = json_object_get_member (obj, "message");
      if (fcm_event_log_entry_get_event_id (entry) != NULL)
        {
          JsonObject *m = json_node_get_object (message);

          g_assert_nonnull (m);
          g_assert_cmpstr (json_object_get_string_member (m, "id"), ==, fcm_event_log_entry_get_event_id (entry));
        }
      else if (json_node_get_value_type (message) == G_TYPE_STRING)
        g_assert_cmpstr (json_node_get_string (message), ==, fcm_event_log_entry_get_text (entry));
    }
}

static void
test_ndjson (void)
{
  g_autoptr(FcmEventLog) log = make_log ();
  g_autoptr(GBytes) bytes = fcm_event_log_to_ndjson (log, NULL);
  g_autoptr(GListStore) subset = g_list_store_new (FCM_TYPE_EVENT_LOG_ENTRY);
  g_autoptr(GBytes) sub_bytes = NULL;
  g_autoptr(FcmEventLogEntry) second = g_list_model_get_item (G_LIST_MODEL (log), 1);
  g_autoptr(FcmEventLogEntry) third = g_list_model_get_item (G_LIST_MODEL (log), 2);
  g_autoptr(FcmEventLogEntry) last = g_list_model_get_item (G_LIST_MODEL (log), 3);
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  /* the fixture has what the checks need: an ack, an own echo, issues, a non-JSON message */
  g_assert_cmpuint (fcm_event_log_entry_get_ack_status (second), ==, 200);
  g_assert_true (fcm_event_log_entry_get_own_echo (second));
  g_assert_cmpuint (fcm_event_log_entry_get_issues (third)->len, >, 0);
  check_ndjson (log, text, len);
  g_assert_nonnull (strstr (text, "\"message\":\"not json\\n{\""));
  g_assert_nonnull (strstr (text, "\"ack\":200"));
  g_assert_nonnull (strstr (text, "\"ownEcho\":true"));

  /* a subset writes only its entries */
  g_list_store_append (subset, third);
  sub_bytes = fcm_event_log_to_ndjson (log, G_LIST_MODEL (subset));
  text = g_bytes_get_data (sub_bytes, &len);
  g_assert_nonnull (strstr (text, "ev-bad"));
  g_assert_null (strstr (text, "ev-open"));
  g_assert_cmpuint (len, ==, strchr (text, '\n') - text + 1);
  (void) last;
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  GError **error = data;

  if (!fcm_event_log_export_finish (FCM_EVENT_LOG (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (source, "done", GINT_TO_POINTER (1));
}

static void
test_export (void)
{
  g_autoptr(FcmEventLog) log = make_log ();
  g_autofree char *dir = g_dir_make_tmp ("fcm-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "timeline.ndjson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_set_contents (path, "old contents that are much longer than nothing\n", -1, NULL);
  fcm_event_log_export_async (log, file, NULL, export_cb, &error);
  FCM_TEST_WAIT_UNTIL (g_object_get_data (G_OBJECT (log), "done") != NULL);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  check_ndjson (log, contents, len);

  /* a bad place fails with an error, not a crash */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent-dir/x/timeline.ndjson");

    g_object_set_data (G_OBJECT (log), "done", NULL);
    fcm_event_log_export_async (log, bad, NULL, export_cb, &error);
    FCM_TEST_WAIT_UNTIL (g_object_get_data (G_OBJECT (log), "done") != NULL);
    g_assert_nonnull (error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* texts are compressed against similar ones: they come back exactly */
static void
test_text_store (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) big = g_string_new ("{\"big\":\"");
  g_autoptr(FcmEventLogEntry) garbage = NULL;

  /* enough entries to fill several 64 KiB delta chunks */
  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *id = g_strdup_printf ("ev-%u-%s", i, i % 7 == 0 ? "é ü ✓" : "x");
      g_autofree char *report = g_strdup_printf ("rpt-%u", i * 7919);
      g_autoptr(JsonArray) ctx = fcm_context_build_open (report, "pat-1", "st-1", "ACC-1", "MRN-1");
      const char *name = i % 3 == 0 ? FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE : FCM_EVENT_DIAGNOSTIC_REPORT_OPEN;
      g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "topic-1", name, i % 5 == 0 ? NULL : ctx, NULL, NULL);
      char *text = fcm_event_to_json (event, i % 11 == 0);

      g_ptr_array_add (texts, text);
      g_ptr_array_add (entries, fcm_event_log_entry_new (text, FCM_MESSAGE_EVENT, event, NULL));
      /* acks in between, and nothing at all */
      g_ptr_array_add (texts, g_strdup_printf ("{\"id\":\"%s\",\"status\":200}", id));
      g_ptr_array_add (entries, fcm_event_log_entry_new (g_ptr_array_index (texts, texts->len - 1),
                                                         FCM_MESSAGE_ACK, NULL, NULL));
    }
  /* texts that do not compress against the current base become the base:
   * the entries made against the old one still come back */
  for (guint k = 0; k < 6; k++)
    {
      GString *noise = g_string_new ("{\"noise\":\"");

      for (guint i = 0; i < 3000; i++)
        g_string_append_c (noise, 'A' + g_test_rand_int_range (0, 58));
      g_string_append (noise, "\"}");
      g_ptr_array_add (entries, fcm_event_log_entry_new (noise->str, FCM_MESSAGE_UNKNOWN, NULL, NULL));
      g_ptr_array_add (texts, g_string_free (noise, FALSE));
    }
  g_ptr_array_add (texts, g_strdup (""));
  g_ptr_array_add (entries, fcm_event_log_entry_new ("", FCM_MESSAGE_UNKNOWN, NULL, NULL));
  for (guint i = 0; i < 70000; i++)
    g_string_append_c (big, 'a' + i % 26);
  g_string_append (big, "\"}");
  g_ptr_array_add (texts, g_strdup (big->str));
  g_ptr_array_add (entries, fcm_event_log_entry_new (big->str, FCM_MESSAGE_UNKNOWN, NULL, NULL));

  for (guint i = 0; i < entries->len; i++)
    {
      g_autofree char *text = fcm_event_log_entry_dup_text (g_ptr_array_index (entries, i));

      g_assert_cmpstr (text, ==, g_ptr_array_index (texts, i));
    }
  for (guint i = 0; i < entries->len; i += 17)
    g_assert_cmpstr (fcm_event_log_entry_get_text (g_ptr_array_index (entries, i)), ==, g_ptr_array_index (texts, i));

  /* the event is parsed again from the stored text */
  g_assert_cmpstr (fcm_event_get_id (fcm_event_log_entry_get_event (g_ptr_array_index (entries, 14))), ==, "ev-7-é ü ✓");
  garbage = fcm_event_log_entry_new ("not json", FCM_MESSAGE_UNKNOWN, NULL, NULL);
  g_assert_cmpstr (fcm_event_log_entry_get_text (garbage), ==, "not json");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event-log/entry-fields", test_entry_fields);
  g_test_add_func ("/event-log/max-entries", test_max_entries);
  g_test_add_func ("/event-log/made-up-names", test_made_up_names);
  g_test_add_func ("/event-log/ndjson", test_ndjson);
  g_test_add_func ("/event-log/text-store", test_text_store);
  g_test_add_func ("/event-log/export", test_export);

  return g_test_run ();
}

/* test-context-store.c: FcmContextStore sequences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
/* the client's context builders, to add details to a real open */
#include "fcm-hub-client.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

static FcmEvent *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  FcmEvent *event = fcm_event_new_from_json (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

static FcmEvent *
make_open (const char *id,
           const char *ts,
           const char *report,
           const char *patient,
           const char *study,
           const char *version)
{
  g_autofree char *version_member =
    version ? g_strdup_printf ("\"context.versionId\":\"%s\",", version) : g_strdup ("");
  g_autofree char *text = g_strdup_printf (
    "{\"timestamp\":\"%s\",\"id\":\"%s\",\"event\":{\"hub.topic\":\"T\","
    "\"hub.event\":\"DiagnosticReport-open\",%s\"context\":["
    "{\"key\":\"report\",\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"%s\","
    "\"status\":\"unknown\"}},"
    "{\"key\":\"patient\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"%s\","
    "\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\"]}],"
    "\"identifier\":[{\"type\":{\"coding\":[{\"code\":\"MR\"}]},\"value\":\"MRN-%s\"}]}},"
    "{\"key\":\"study\",\"resource\":{\"resourceType\":\"ImagingStudy\",\"id\":\"%s\","
    "\"description\":\"CT chest\",\"identifier\":["
    "{\"type\":{\"coding\":[{\"code\":\"110180\"}]},\"system\":\"urn:dicom:uid\","
    "\"value\":\"urn:oid:1.2.3.%s\"},"
    "{\"type\":{\"coding\":[{\"code\":\"ACSN\"}]},\"value\":\"ACC-%s\"}]}}]}}",
    ts, id, version_member, report, patient, patient, study, study, study);

  return parse (text);
}

static FcmEvent *
make_simple (const char *name,
             const char *id,
             const char *ts,
             const char *report,
             const char *version,
             const char *prior,
             const char *extra_context)
{
  g_autofree char *v = version ? g_strdup_printf ("\"context.versionId\":\"%s\",", version)
                               : g_strdup ("");
  g_autofree char *p = prior ? g_strdup_printf ("\"context.priorVersionId\":\"%s\",", prior)
                             : g_strdup ("");
  g_autofree char *text = g_strdup_printf (
    "{\"timestamp\":\"%s\",\"id\":\"%s\",\"event\":{\"hub.topic\":\"T\","
    "\"hub.event\":\"%s\",%s%s\"context\":["
    "{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}}%s%s]}}",
    ts, id, name, v, p, report, extra_context ? "," : "", extra_context ? extra_context : "");

  return parse (text);
}

static const char *put_obs =
  "{\"key\":\"updates\",\"resource\":{\"resourceType\":\"Bundle\",\"id\":\"b1\","
  "\"type\":\"transaction\",\"entry\":["
  "{\"fullUrl\":\"Observation/o1\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o1\","
  "\"status\":\"preliminary\"},\"request\":{\"method\":\"PUT\",\"url\":\"Observation/o1\"}},"
  "{\"fullUrl\":\"DiagnosticReport/r1\",\"resource\":{\"resourceType\":\"DiagnosticReport\","
  "\"id\":\"r1\",\"status\":\"final\"},"
  "\"request\":{\"method\":\"PUT\",\"url\":\"DiagnosticReport/r1\"}}]}}";

static const char *delete_obs =
  "{\"key\":\"updates\",\"resource\":{\"resourceType\":\"Bundle\",\"id\":\"b2\","
  "\"type\":\"transaction\",\"entry\":["
  "{\"fullUrl\":\"Observation/o1\",\"request\":{\"method\":\"DELETE\",\"url\":\"Observation/o1\"}}]}}";

static FcmContextResult
apply (FcmContextStore *store,
       FcmEvent        *event)
{
  g_autoptr(GError) error = NULL;
  FcmContextResult r = fcm_context_store_apply (store, event, &error);

  if (r == FCM_CONTEXT_REJECTED)
    g_assert_nonnull (error);
  else
    g_assert_no_error (error);

  return r;
}

typedef struct { guint added; guint removed; } Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->added += added;
  changes->removed += removed;
}

static void
test_store_full_sequence (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open = make_open ("e1", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v1");
  g_autoptr(FcmEvent) update = make_simple ("DiagnosticReport-update", "e2", "2025-03-14T09:01:00Z",
                                            "r1", "v2", "v1", put_obs);
  g_autoptr(FcmEvent) select = make_simple ("DiagnosticReport-select", "e3", "2025-03-14T09:02:00Z",
                                            "r1", NULL, NULL,
                                            "{\"key\":\"select\",\"reference\":{\"reference\":\"Observation/o1\"}}");
  g_autoptr(FcmEvent) update2 = make_simple ("DiagnosticReport-update", "e4", "2025-03-14T09:03:00Z",
                                             "r1", "v3", "v2", delete_obs);
  g_autoptr(FcmEvent) close = make_simple ("DiagnosticReport-close", "e5", "2025-03-14T09:04:00Z",
                                           "r1", NULL, NULL, NULL);
  Changes changes = { 0 };
  FcmContextItem *item;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_null (fcm_context_store_get_current (store));

  g_assert_cmpint (apply (store, open), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (changes.added, ==, 1);
  item = fcm_context_store_get_current (store);
  g_assert_nonnull (item);
  g_assert_true (fcm_context_item_get_current (item));
  g_assert_cmpstr (fcm_context_item_get_anchor_type (item), ==, "DiagnosticReport");
  g_assert_cmpstr (fcm_context_item_get_anchor_id (item), ==, "r1");
  g_assert_cmpstr (fcm_context_item_get_patient_id (item), ==, "p1");
  g_assert_cmpstr (fcm_context_item_get_patient_name (item), ==, "Jane Doe");
  g_assert_cmpstr (fcm_context_item_get_mrn (item), ==, "MRN-p1");
  g_assert_cmpstr (fcm_context_item_get_study_uid (item), ==, "urn:oid:1.2.3.s1");
  g_assert_cmpstr (fcm_context_item_get_accession (item), ==, "ACC-s1");
  g_assert_cmpstr (fcm_context_item_get_study_description (item), ==, "CT chest");
  g_assert_cmpstr (fcm_context_item_get_report_status (item), ==, "unknown");
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "v1");

  /* update: content added, report status from the PUT of the report, new version */
  g_assert_cmpint (apply (store, update), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (fcm_context_item_get_n_content (item), ==, 2);
  g_assert_nonnull (fcm_context_item_lookup_content (item, "Observation/o1"));
  g_assert_cmpstr (fcm_context_item_get_report_status (item), ==, "final");
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "v2");
  g_assert_false (fcm_context_store_get_stale (store));

  /* select */
  g_assert_cmpint (apply (store, select), ==, FCM_CONTEXT_APPLIED);
  g_assert_nonnull (fcm_context_item_get_selection (item));
  g_assert_cmpstr (fcm_context_item_get_selection (item)[0], ==, "Observation/o1");
  g_assert_null (fcm_context_item_get_selection (item)[1]);

  /* delete through an update */
  g_assert_cmpint (apply (store, update2), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (fcm_context_item_get_n_content (item), ==, 1);
  g_assert_null (fcm_context_item_lookup_content (item, "Observation/o1"));
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "v3");

  /* close empties the current context (C-35) */
  g_assert_cmpint (apply (store, close), ==, FCM_CONTEXT_APPLIED);
  g_assert_null (fcm_context_store_get_current (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_null (fcm_context_store_get_version_id (store));
}

static void
test_store_interleaved (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open_a = make_open ("a1", "2025-03-14T09:00:00Z", "rA", "pA", "sA", "vA1");
  g_autoptr(FcmEvent) open_b = make_open ("b1", "2025-03-14T09:01:00Z", "rB", "pB", "sB", "vB1");
  g_autoptr(FcmEvent) update_a = make_simple ("DiagnosticReport-update", "a2", "2025-03-14T09:02:00Z",
                                              "rA", "vA2", "vA1", put_obs);
  g_autoptr(FcmEvent) resume_a = make_open ("a3", "2025-03-14T09:03:00Z", "rA", "pA", "sA", NULL);
  g_autoptr(FcmEvent) close_a = make_simple ("DiagnosticReport-close", "a4", "2025-03-14T09:04:00Z",
                                             "rA", NULL, NULL, NULL);
  FcmContextItem *a;
  FcmContextItem *b;

  g_assert_cmpint (apply (store, open_a), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpint (apply (store, open_b), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  a = fcm_context_store_lookup (store, "rA");
  b = fcm_context_store_lookup (store, "rB");
  g_assert_true (fcm_context_store_get_current (store) == b);
  g_assert_false (fcm_context_item_get_current (a)); /* suspended (C-37) */
  g_assert_true (fcm_context_item_get_current (b));

  /* an update of the suspended report applies to it, not to the current one */
  g_assert_cmpint (apply (store, update_a), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpstr (fcm_context_item_get_version_id (a), ==, "vA2");
  g_assert_cmpuint (fcm_context_item_get_n_content (a), ==, 2);
  g_assert_cmpuint (fcm_context_item_get_n_content (b), ==, 0);
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "vB1");

  /* re-opening A resumes it: same item, content kept */
  g_assert_cmpint (apply (store, resume_a), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_true (fcm_context_store_get_current (store) == a);
  g_assert_cmpuint (fcm_context_item_get_n_content (a), ==, 2);
  g_assert_cmpstr (fcm_context_item_get_opened_by (a), ==, "a3");

  /* closing A leaves no current context even though B is still open */
  g_assert_cmpint (apply (store, close_a), ==, FCM_CONTEXT_APPLIED);
  g_assert_null (fcm_context_store_get_current (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_false (fcm_context_item_get_current (b));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_store_stale_version (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open = make_open ("e1", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v1");
  /* prior v2 ≠ stored v1: an update was missed (C-33) */
  g_autoptr(FcmEvent) update = make_simple ("DiagnosticReport-update", "e3", "2025-03-14T09:02:00Z",
                                            "r1", "v3", "v2", put_obs);
  g_autoptr(JsonNode) current = fcm_test_load_json ("data", "vectors",
                                                    "get-current-context-response.json", NULL);
  g_autoptr(FcmEvent) open_vec = NULL;
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-open-event.json", NULL);
  g_autoptr(GError) error = NULL;
  guint stale_notifies = 0;

  g_signal_connect (store, "notify::stale", G_CALLBACK (notify_count_cb), &stale_notifies);

  g_assert_cmpint (apply (store, open), ==, FCM_CONTEXT_APPLIED);
  g_assert_false (fcm_context_store_get_stale (store));

  g_assert_cmpint (apply (store, update), ==, FCM_CONTEXT_APPLIED);
  g_assert_true (fcm_context_store_get_stale (store));
  g_assert_true (fcm_context_item_get_stale (fcm_context_store_get_current (store)));
  /* the new version is stored anyway */
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "v3");
  g_assert_cmpuint (stale_notifies, ==, 1);

  /* disconnected is stale too, and a fresh Get Current Context clears it */
  fcm_context_store_clear (store);
  g_assert_false (fcm_context_store_get_stale (store));
  open_vec = fcm_event_new_from_json (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (apply (store, open_vec), ==, FCM_CONTEXT_APPLIED);
  fcm_context_store_set_disconnected (store, TRUE);
  g_assert_true (fcm_context_store_get_stale (store));

  g_assert_true (fcm_context_store_load_current (store, current, &error));
  g_assert_no_error (error);
  g_assert_false (fcm_context_store_get_stale (store));
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==,
                   "a8f41e26-0c93-4d7b-b5e2-31d9c6f0a874");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (fcm_context_item_get_n_content (fcm_context_store_get_current (store)), >, 0);
  /* the answer does not say who opened the report: what the open said stays
   * (the panel's "Opened by another app" went away after a C-54 fetch) */
  g_assert_cmpstr (fcm_context_item_get_opened_by (fcm_context_store_get_current (store)), ==,
                   fcm_event_get_id (open_vec));
}

static void
dropped_cb (FcmContextStore *store,
            FcmEvent        *event,
            const char      *reason,
            GPtrArray       *dropped)
{
  g_assert_nonnull (reason);
  g_ptr_array_add (dropped, g_strdup (fcm_event_get_id (event)));
}

static void
test_store_out_of_order (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open_new = make_open ("new", "2025-03-14T09:05:00Z", "r2", "p2", "s2", "v1");
  g_autoptr(FcmEvent) open_old = make_open ("old", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v0");
  g_autoptr(FcmEvent) close_old = make_simple ("DiagnosticReport-close", "old-close",
                                               "2025-03-14T09:01:00Z", "r2", NULL, NULL, NULL);
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (store, "event-dropped", G_CALLBACK (dropped_cb), dropped);

  g_assert_cmpint (apply (store, open_new), ==, FCM_CONTEXT_APPLIED);
  /* C-27: older than the event that set the current context */
  g_assert_cmpint (apply (store, open_old), ==, FCM_CONTEXT_DROPPED);
  g_assert_cmpint (apply (store, close_old), ==, FCM_CONTEXT_DROPPED);
  g_assert_cmpuint (dropped->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (dropped, 0), ==, "old");
  g_assert_cmpuint (fcm_context_store_get_n_dropped (store), ==, 2);
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, "r2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

/* C-27 decision: an older close of a suspended report still closes it (the
 * hub applied it; a 16-report load left 24-31 "suspended" ghosts); an older
 * close of the current one is still dropped (test_store_out_of_order) */
static void
test_store_out_of_order_suspended (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open_1 = make_open ("o1", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v1");
  g_autoptr(FcmEvent) open_2 = make_open ("o2", "2025-03-14T09:05:00Z", "r2", "p2", "s2", "v2");
  g_autoptr(FcmEvent) close_1 = make_simple ("DiagnosticReport-close", "c1",
                                             "2025-03-14T09:03:00Z", "r1", NULL, NULL, NULL);
  g_autoptr(FcmEvent) reopen_1 = make_open ("o1-again", "2025-03-14T09:04:00Z", "r1", "p1", "s1", "v3");

  g_assert_cmpint (apply (store, open_1), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpint (apply (store, open_2), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  /* an older open would make r1 current again: dropped */
  g_assert_cmpint (apply (store, reopen_1), ==, FCM_CONTEXT_DROPPED);
  /* the older close of suspended r1 */
  g_assert_cmpint (apply (store, close_1), ==, FCM_CONTEXT_APPLIED);
  g_assert_null (fcm_context_store_lookup (store, "r1"));
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, "r2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
}

static void
test_store_duplicates_and_unknown (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open = make_open ("e1", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v1");
  g_autoptr(FcmEvent) update_unknown = make_simple ("DiagnosticReport-update", "e2",
                                                    "2025-03-14T09:01:00Z", "nope", "v2", "v1",
                                                    put_obs);
  g_autoptr(FcmEvent) close_unknown = make_simple ("DiagnosticReport-close", "e3",
                                                   "2025-03-14T09:02:00Z", "nope", NULL, NULL, NULL);
  g_autoptr(FcmEvent) heartbeat = NULL;
  g_autoptr(FcmEvent) no_updates = make_simple ("DiagnosticReport-update", "e4",
                                                "2025-03-14T09:03:00Z", "r1", "v2", "v1", NULL);
  g_autoptr(FcmEvent) no_report = parse ("{\"timestamp\":\"2025-03-14T09:04:00Z\",\"id\":\"e5\","
                                         "\"event\":{\"hub.topic\":\"T\",\"hub.event\":"
                                         "\"DiagnosticReport-open\",\"context\":[]}}");
  g_autofree char *hb = fcm_test_load_text ("data", "vectors", "heartbeat.json", NULL);
  g_autoptr(GError) error = NULL;

  heartbeat = parse (hb);

  g_assert_cmpint (apply (store, open), ==, FCM_CONTEXT_APPLIED);
  /* the hub's echo of our own request has the same id (C-38) */
  g_assert_cmpint (apply (store, open), ==, FCM_CONTEXT_IGNORED);
  g_assert_cmpint (apply (store, update_unknown), ==, FCM_CONTEXT_IGNORED);
  g_assert_cmpint (apply (store, close_unknown), ==, FCM_CONTEXT_IGNORED);
  g_assert_cmpint (apply (store, heartbeat), ==, FCM_CONTEXT_IGNORED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_cmpint (fcm_context_store_apply (store, no_updates, &error), ==, FCM_CONTEXT_REJECTED);
  g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_assert_cmpint (fcm_context_store_apply (store, no_report, &error), ==, FCM_CONTEXT_REJECTED);
  g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
  g_assert_nonnull (strstr (error->message, "report"));
  /* nothing changed */
  g_assert_cmpstr (fcm_context_store_get_version_id (store), ==, "v1");
}

static void
test_store_select_shapes (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(FcmEvent) open = make_open ("e1", "2025-03-14T09:00:00Z", "r1", "p1", "s1", "v1");
  g_autoptr(FcmEvent) ira = make_simple ("DiagnosticReport-select", "e2", "2025-03-14T09:01:00Z", "r1",
                                         "v2", "v1",
                                         "{\"key\":\"select\",\"resource\":["
                                         "{\"resourceType\":\"Observation\",\"id\":\"o1\"},"
                                         "{\"reference\":\"ImagingSelection/is1\"}]}");
  g_autoptr(FcmEvent) empty = make_simple ("DiagnosticReport-select", "e3", "2025-03-14T09:02:00Z",
                                           "r1", NULL, NULL, NULL);
  FcmContextItem *item;

  g_assert_cmpint (apply (store, open), ==, FCM_CONTEXT_APPLIED);
  item = fcm_context_store_get_current (store);

  g_assert_cmpint (apply (store, ira), ==, FCM_CONTEXT_APPLIED);
  g_assert_cmpuint (g_strv_length ((GStrv) fcm_context_item_get_selection (item)), ==, 2);
  g_assert_cmpstr (fcm_context_item_get_selection (item)[1], ==, "ImagingSelection/is1");
  /* §4.3 item 8: select may bump the version too */
  g_assert_cmpstr (fcm_context_item_get_version_id (item), ==, "v2");

  /* C-34: no select items means nothing is selected */
  g_assert_cmpint (apply (store, empty), ==, FCM_CONTEXT_APPLIED);
  g_assert_null (fcm_context_item_get_selection (item));
}

static void
test_store_load_current_bad (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  const char *bad[] = {
    "\"text\"",
    "{\"context\":\"x\"}",
    "{\"context.type\":\"DiagnosticReport\",\"context\":[1,2]}",
    "{\"context.type\":\"DiagnosticReport\",\"context\":[{\"key\":\"patient\"}]}",
    "{\"context.type\":\"Banana\",\"context\":[{\"key\":\"x\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = fcm_json_parse (bad[i], -1, &error);

      g_assert_no_error (error);
      g_assert_false (fcm_context_store_load_current (store, node, &error));
      g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
    }

  /* the empty answer and a bare empty array are fine */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) empty = fcm_test_load_json ("data", "vectors",
                                                    "get-current-context-empty.json", NULL);
    g_autoptr(JsonNode) bare = fcm_json_parse ("[]", -1, &error);

    g_assert_true (fcm_context_store_load_current (store, empty, &error));
    g_assert_true (fcm_context_store_load_current (store, bare, &error));
    g_assert_no_error (error);
    g_assert_null (fcm_context_store_get_current (store));
  }
}


/* ------------------------------------------------------------ details */

static FcmContextItem *
open_in_store (FcmContextStore *store,
               JsonArray       *ctx)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, "T", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, NULL, NULL);

  g_assert_cmpint (apply (store, event), ==, FCM_CONTEXT_APPLIED);
  return fcm_context_store_get_current (store);
}

/* C-47: FC SHOULD send name, gender and birthDate; the study's description,
 * modality and date go with it; what is not given is not made up */
static void
test_details_added (void)
{
  g_autoptr(FcmContextStore) store = fcm_context_store_new ();
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("r1", "p1", "s1", "ACC1", "MRN1");
  g_autoptr(JsonArray) bare = fcm_context_build_open ("r2", "p2", "s2", "ACC2", "MRN2");
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  FcmReportDetails details = {
    .patient_name = "  Doe, Jane Mary ",
    .patient_sex = "female",
    .birth_date = "1961-04-12",
    .study_description = "PET/CT whole body",
    .modality = "PT\\CT",
    .study_date = "2025-11-21",
  };
  FcmReportDetails none = { NULL, };
  FcmContextItem *item;
  JsonObject *patient;
  JsonArray *given;

  g_assert_true (fcm_context_add_details (ctx, &details, &error));
  g_assert_no_error (error);
  item = open_in_store (store, ctx);
  g_assert_cmpstr (fcm_context_item_get_patient_name (item), ==, "Doe, Jane Mary");
  g_assert_cmpstr (fcm_context_item_get_patient_sex (item), ==, "female");
  g_assert_cmpstr (fcm_context_item_get_birth_date (item), ==, "1961-04-12");
  g_assert_cmpstr (fcm_context_item_get_study_description (item), ==, "PET/CT whole body");
  g_assert_cmpstr (fcm_context_item_get_modality (item), ==, "PT\\CT");
  g_assert_cmpstr (fcm_context_item_get_study_date (item), ==, "2025-11-21");
  g_assert_cmpstr (fcm_context_item_get_mrn (item), ==, "MRN1");

  /* the HumanName is split as written: family first after a comma */
  patient = fcm_json_get_object (fcm_json_array_get_object (ctx, 1), "resource");
  g_assert_cmpstr (fcm_json_get_string (fcm_json_array_get_object (fcm_json_get_array (patient, "name"), 0),
                                        "family"), ==, "Doe");
  given = fcm_json_get_array (fcm_json_array_get_object (fcm_json_get_array (patient, "name"), 0), "given");
  g_assert_cmpuint (json_array_get_length (given), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (given, 1), ==, "Mary");

  /* and it is still a valid open request */
  event = fcm_event_new ("e1", NULL, "T", FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, NULL, NULL);
  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_REQUEST);
  issues = fcm_validator_validate_event (validator, event);
  for (guint i = 0; i < issues->len; i++)
    g_test_message ("%s %s", fcm_issue_get_rule_id (g_ptr_array_index (issues, i)),
                    fcm_issue_get_message (g_ptr_array_index (issues, i)));
  g_assert_false (fcm_issues_have_errors (issues));

  /* nothing given: nothing added */
  g_assert_true (fcm_context_add_details (bare, &none, &error));
  item = open_in_store (store, bare);
  g_assert_null (fcm_context_item_get_patient_name (item));
  g_assert_null (fcm_context_item_get_patient_sex (item));
  g_assert_null (fcm_context_item_get_modality (item));
  g_assert_null (fcm_context_item_get_study_date (item));

  /* "Given Family"; R4's Coding for the modality is read too */
  {
    g_autoptr(JsonArray) r4 = fcm_context_build_open ("r3", "p3", "s3", "ACC3", "MRN3");
    FcmReportDetails name_only = { .patient_name = "Jane Doe" };
    JsonObject *study = fcm_json_get_object (fcm_json_array_get_object (r4, 2), "resource");
    g_autoptr(JsonNode) modality = fcm_json_parse ("[{\"system\":\"x\",\"code\":\"MR\"}]", -1, &error);

    g_assert_true (fcm_context_add_details (r4, &name_only, &error));
    json_object_set_member (study, "modality", g_steal_pointer (&modality));
    item = open_in_store (store, r4);
    g_assert_cmpstr (fcm_context_item_get_patient_name (item), ==, "Jane Doe");
    g_assert_cmpstr (fcm_context_item_get_modality (item), ==, "MR");
  }
}

static void
test_details_invalid (void)
{
  static const struct
  {
    FcmReportDetails details;
    const char      *message_part;
  } cases[] = {
    { { .patient_sex = "F" }, "sex \"F\"" },
    { { .birth_date = "1961-02-30" }, "not a date" },
    { { .birth_date = "12.04.1961" }, "not a date" },
    { { .birth_date = "2999-01-01" }, "in the future" },
    { { .study_date = "2025-13-01" }, "study date" },
    { { .study_date = "2025-11-21T14:05" }, "time zone" },
    { { .modality = "ct" }, "modality \"ct\"" },
    { { .modality = "CT\\" }, "modality" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonArray) ctx = fcm_context_build_open ("r1", "p1", "s1", "ACC1", "MRN1");
      g_autoptr(JsonNode) before = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonNode) after = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(GError) error = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      json_node_set_array (before, ctx);
      b = json_to_string (before, FALSE);
      g_assert_false (fcm_context_add_details (ctx, &cases[i].details, &error));
      g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      json_node_set_array (after, ctx);
      a = json_to_string (after, FALSE);
      g_assert_cmpstr (a, ==, b);
    }

  /* the dates FHIR allows */
  g_assert_true (fcm_fhir_date_is_valid ("1961"));
  g_assert_true (fcm_fhir_date_is_valid ("1961-04"));
  g_assert_true (fcm_fhir_date_is_valid ("2024-02-29"));
  g_assert_false (fcm_fhir_date_is_valid ("2023-02-29"));
  g_assert_false (fcm_fhir_date_is_valid (""));
  g_assert_true (fcm_fhir_datetime_is_valid ("2025-11-21T14:05:00Z"));
  g_assert_true (fcm_fhir_datetime_is_valid ("2025-11-21T14:05:00.123+01:00"));
  g_assert_false (fcm_fhir_datetime_is_valid ("2025-11-21 14:05"));

  /* details for a study the context does not have */
  {
    g_autoptr(JsonArray) ctx = fcm_context_build_close ("r1", "p1", NULL);
    FcmReportDetails study = { .modality = "CT" };
    g_autoptr(GError) error = NULL;

    g_assert_false (fcm_context_add_details (ctx, &study, &error));
    g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE);
  }
}

/* The demo study helper: realistic names, sexes, adult birth dates */
static void
test_details_demo (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 200; i++)
    {
      const char *sex = NULL;
      g_autofree char *name = fcm_demo_patient_name (rand, &sex);
      g_autofree char *born = fcm_demo_birth_date (rand);
      const char *description = NULL;
      const char *modality = NULL;
      FcmReportDetails details = { name, sex, born, NULL, NULL, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      int age;

      fcm_demo_study (rand, &description, &modality);
      details.study_description = description;
      details.modality = modality;
      g_assert_nonnull (strchr (name, ' '));
      g_assert_true (fcm_patient_sex_is_valid (sex));
      g_assert_true (fcm_report_details_check (&details, &error));
      g_assert_no_error (error);
      age = g_date_time_get_year (now) - (int) g_ascii_strtoll (born, NULL, 10);
      g_assert_cmpint (age, >=, 17);
      g_assert_cmpint (age, <=, 91);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/context-store/sequence", test_store_full_sequence);
  g_test_add_func ("/fcm/context-store/interleaved", test_store_interleaved);
  g_test_add_func ("/fcm/context-store/stale-version", test_store_stale_version);
  g_test_add_func ("/fcm/context-store/out-of-order", test_store_out_of_order);
  g_test_add_func ("/fcm/context-store/out-of-order-suspended", test_store_out_of_order_suspended);
  g_test_add_func ("/fcm/context-store/duplicates-and-unknown", test_store_duplicates_and_unknown);
  g_test_add_func ("/fcm/context-store/select-shapes", test_store_select_shapes);
  g_test_add_func ("/fcm/context-store/load-current-bad", test_store_load_current_bad);
  g_test_add_func ("/fcm/context-details/added", test_details_added);
  g_test_add_func ("/fcm/context-details/invalid", test_details_invalid);
  g_test_add_func ("/fcm/context-details/demo", test_details_demo);

  return g_test_run ();
}

/* test-hub-context.c: the hub's context: broadcasts, the current context, updates and implied events
 *
 * Events are checked and broadcast to the subscribers, ids are not taken
 * twice, GET returns the current context, DiagnosticReport-update and
 * -select change it with a new versionId, and the hub sends the close and
 * open events an open implies. Every test starts its own FcmHub on
 * 127.0.0.1 port 0 and talks to it with SoupSession (HTTP and WebSocket).
 * Rule ids refer to the spec digest, §2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fcm-hub.h"
#include "fcm-hub-private.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-hub-util.h"

static char *
select_event (const char *id,
              const char *report,
              const char *reference)
{
  return g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\",\"context\":["
                          "{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
                          "{\"key\":\"select\",\"reference\":{\"reference\":\"%s\"}}]}}",
                          id, report, reference);
}

static char *
update_event (const char *id,
              const char *report,
              const char *version,
              const char *entries)
{
  return g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:31:00Z\",\"id\":\"%s\",\"event\":"
                          "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-update\","
                          "\"context.versionId\":\"%s\",\"context\":["
                          "{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
                          "{\"key\":\"updates\",\"resource\":{\"resourceType\":\"Bundle\",\"id\":\"bdl-1\","
                          "\"type\":\"transaction\",\"entry\":[%s]}}]}}",
                          id, version, report, entries);
}

#define OBS_PUT(obs) \
  "{\"fullUrl\":\"Observation/" obs "\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"" obs "\"," \
  "\"status\":\"preliminary\"},\"request\":{\"method\":\"PUT\",\"url\":\"Observation/" obs "\"}}"

/* H-18, H-23, both URLs and content types */
static void
test_broadcast (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autoptr(Client) b = subscribe (f, "Watcher", "DIAGNOSTICREPORT-OPEN,syncerror,x-custom-marker");
  g_autoptr(Client) n = subscribe (f, "Not interested", "syncerror,x-custom-marker");
  g_autofree char *text = open_event ("ev-open-1", "rpt-1", "pat-1", "st-1");
  g_autofree char *text2 = open_event ("ev-open-2", "rpt-2", "pat-1", "st-1");
  g_autofree char *topic_url = g_strconcat (f->url, "/", TOPIC, NULL);
  g_autofree char *wrong_url = g_strconcat (f->url, "/another-topic", NULL);
  JsonNode *fa, *fb;

  g_assert_cmpuint (post_json (f, text), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-open") == 1 &&
                       client_count (b, "DiagnosticReport-open") == 1);
  fa = client_last (a, "DiagnosticReport-open");
  fb = client_last (b, "DiagnosticReport-open");
  g_assert_cmpstr (frame_get (fa, "id"), ==, "ev-open-1");
  g_assert_cmpstr (frame_get (fb, "id"), ==, "ev-open-1");
  g_assert_nonnull (frame_event_get (fa, "context.versionId"));
  g_assert_cmpstr (frame_event_get (fa, "context.versionId"), ==, frame_event_get (fb, "context.versionId"));

  /* hub.url/{topic} with application/fhir+json */
  g_assert_cmpuint (http (f, "POST", topic_url, "application/fhir+json", text2, NULL), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "DiagnosticReport-open") == 2);
  g_assert_cmpstr (frame_event_get (client_last (b, "DiagnosticReport-open"), "context.versionId"), !=,
                   frame_event_get (fb, "context.versionId"));
  g_assert_cmpuint (http (f, "POST", wrong_url, "application/json", text2, NULL), ==, 400);
  g_assert_cmpuint (http (f, "POST", f->url, "text/plain", text2, NULL), ==, 415);

  send_marker (f, (Client *[]) { n }, 1);
  g_assert_cmpuint (client_count (n, "DiagnosticReport-open"), ==, 0);
}

/* H-15 */
static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *no_study = open_event ("ev-1", "rpt-1", "pat-1", NULL);
  g_autofree char *no_patient = open_event ("ev-2", "rpt-1", NULL, "st-1");
  g_autofree char *body = NULL;
  const char *no_id = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"event\":{\"hub.topic\":\"" TOPIC "\","
                      "\"hub.event\":\"x-custom-marker\",\"context\":[]}}";
  const char *unknown_topic = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"x\",\"event\":"
                              "{\"hub.topic\":\"nope\",\"hub.event\":\"x-custom-marker\",\"context\":[]}}";
  const char *bad_syncerror = "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"y\",\"event\":"
                              "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"syncerror\",\"context\":[]}}";

  g_assert_cmpuint (http (f, "POST", f->url, "application/json", "{\"id\":", &body), ==, 400);
  g_assert_cmpstr (body, !=, "");
  g_assert_cmpuint (post_json (f, "[1,2]"), ==, 400);
  g_assert_cmpuint (post_json (f, no_id), ==, 400);
  g_assert_cmpuint (post_json (f, unknown_topic), ==, 400);
  g_assert_cmpuint (post_json (f, bad_syncerror), ==, 400);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (http (f, "POST", f->url, "application/json", no_study, &body), ==, 400);
  g_assert_nonnull (strstr (body, "study"));
  g_assert_cmpuint (post_json (f, no_patient), ==, 400);

  /* issue 14.2: a valid event followed by more JSON is refused, with where
   * (json-glib parsed the first value and kept the rest in memory) */
  {
    g_autofree char *valid = open_event ("ev-3", "rpt-3", "pat-1", "st-1");
    g_autofree char *then_more = g_strconcat (valid, "{\"id\":5}", NULL);
    g_autofree char *one_then_array = g_strconcat ("1[", valid, ",", valid, "]", NULL);

    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", then_more, &body), ==, 400);
    g_assert_nonnull (strstr (body, "a message is exactly one JSON value"));
    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", one_then_array, &body), ==, 400);
    g_assert_nonnull (strstr (body, "after the end of the JSON value at line 1, column 2"));
  }

  /* validator errors: "RULE: message" as the reason */
  {
    const char *minimal =
      "{\"timestamp\":\"2025-03-14T09:26:53Z\",\"id\":\"ev-min\",\"event\":{\"hub.topic\":\"" TOPIC "\","
      "\"hub.event\":\"DiagnosticReport-open\",\"context\":["
      "{\"key\":\"report\",\"resource\":{\"resourceType\":\"DiagnosticReport\",\"id\":\"r\"}},"
      "{\"key\":\"patient\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p\"}},"
      "{\"key\":\"study\",\"resource\":{\"resourceType\":\"ImagingStudy\",\"id\":\"s\"}}]}}";

    g_clear_pointer (&body, g_free);
    g_assert_cmpuint (http (f, "POST", f->url, "application/json", minimal, &body), ==, 400);
    g_assert_true (g_regex_match_simple ("^[CH]-[0-9]+: ", body, 0, 0));
    fcm_hub_set_validate (f->hub, FALSE);
    g_assert_cmpuint (post_json (f, minimal), ==, 200);
    FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-open") == 1);
    fcm_hub_set_validate (f->hub, TRUE);
  }

  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 1);
}

/* H-16 */
static void
test_not_open_409 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *close = simple_event ("ev-c", "DiagnosticReport-close", "rpt-x");
  g_autofree char *select = select_event ("ev-s", "rpt-x", "Observation/obs-1");
  g_autofree char *update = update_event ("ev-u", "rpt-x", "v1", OBS_PUT ("obs-1"));

  g_assert_cmpuint (post_json (f, close), ==, 409);
  g_assert_cmpuint (post_json (f, select), ==, 409);
  g_assert_cmpuint (post_json (f, update), ==, 409);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-close"), ==, 0);
}

/* H-19 */
static void
test_duplicate_id (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *text = open_event ("ev-dup", "rpt-1", "pat-1", "st-1");

  g_assert_cmpuint (post_json (f, text), ==, 200);
  g_assert_cmpuint (post_json (f, text), ==, 200);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 1);
}

/* H-19 with a bound: the hub remembers the newest processed_max ids of a
 * topic (4,096; 3 here), so a retry of a recent one is spotted and the table
 * no longer grows by every event */
static void
test_duplicate_id_window (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *first = open_event ("ev-w0", "rpt-1", "pat-1", "st-1");
  Topic *topic;

  f->hub->processed_max = 3;
  g_assert_cmpuint (post_json (f, first), ==, 200);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("ev-w%u", i);
      g_autofree char *text = open_event (id, "rpt-1", "pat-1", "st-1");

      g_assert_cmpuint (post_json (f, text), ==, 200);
      if (i == 5)
        /* the newest: a retry, broadcast once */
        g_assert_cmpuint (post_json (f, text), ==, 200);
    }
  topic = g_hash_table_lookup (f->hub->topics, TOPIC);
  g_assert_nonnull (topic);
  g_assert_cmpuint (g_hash_table_size (topic->processed), ==, 3);
  g_assert_cmpuint (topic->processed_order.length, ==, 3);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 6);
  /* the oldest is forgotten: its id counts as new again */
  g_assert_cmpuint (post_json (f, first), ==, 200);
  send_marker (f, (Client *[]) { a }, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 7);
}

/* H-20, H-29, H-30 */
static void
test_current_context (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *close = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *wrong_patient = open_event ("ev-wp", "rpt-1", "pat-other", "st-1");
  g_autofree char *url = g_strconcat (f->url, "/unknown-topic", NULL);
  g_autoptr(JsonNode) empty = get_current (f);
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) after_close = NULL;
  JsonObject *obj;
  JsonArray *context;
  JsonObject *content;

  g_assert_cmpuint (http (f, "GET", url, NULL, NULL, NULL), ==, 404);
  obj = json_node_get_object (empty);
  g_assert_cmpstr (fcm_json_get_string (obj, "context.type"), ==, "");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (obj, "context")), ==, 0);

  v1 = open_report (f, a, "ev-o1", "rpt-1");
  v2 = open_report (f, a, "ev-o2", "rpt-2");
  g_assert_cmpstr (v1, !=, v2);

  second = get_current (f);
  obj = json_node_get_object (second);
  g_assert_cmpstr (fcm_json_get_string (obj, "context.type"), ==, "DiagnosticReport");
  g_assert_cmpstr (fcm_json_get_string (obj, "context.versionId"), ==, v2);
  context = fcm_json_get_array (obj, "context");
  g_assert_cmpuint (json_array_get_length (context), ==, 4);
  g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (fcm_json_array_get_object (context, 0), "resource"),
                                        "id"), ==, "rpt-2");
  content = fcm_json_get_object (fcm_json_array_get_object (context, 3), "resource");
  g_assert_cmpstr (fcm_json_get_string (fcm_json_array_get_object (context, 3), "key"), ==, "content");
  g_assert_cmpstr (fcm_json_get_string (content, "type"), ==, "collection");

  /* same report, different patient: refused, not resumed */
  g_assert_cmpuint (post_json (f, wrong_patient), ==, 400);

  /* close the current one: empty, no fallback to rpt-1 */
  g_assert_cmpuint (post_json (f, close), ==, 200);
  after_close = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (after_close), "context.type"), ==, "");

  /* rpt-1 is still open (suspended): select on it works, close on rpt-2 is 409 now */
  {
    g_autofree char *select = simple_event ("ev-s1", "DiagnosticReport-select", "rpt-1");
    g_autofree char *select_with = NULL;
    g_autofree char *close_again = simple_event ("ev-c3", "DiagnosticReport-close", "rpt-2");

    g_assert_cmpuint (post_json (f, select), ==, 400);   /* no "select" key */
    select_with = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s2\",\"event\":"
                                   "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                   "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                   "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                   "{\"reference\":\"Patient/pat-1\"}}]}}");
    g_assert_cmpuint (post_json (f, select_with), ==, 200);
    g_assert_cmpuint (post_json (f, close_again), ==, 409);
  }
}

/* H-24, H-25, H-27 */
static void
test_update_and_select (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Creator", ALL_EVENTS);
  g_autofree char *v1 = open_report (f, a, "ev-o1", "rpt-1");
  g_autofree char *stale = update_event ("ev-u0", "rpt-1", "not-the-version", OBS_PUT ("obs-1"));
  g_autofree char *with_post = update_event ("ev-u1", "rpt-1", v1,
                                             OBS_PUT ("obs-9") ",{\"resource\":{\"resourceType\":\"Observation\","
                                             "\"id\":\"obs-2\"},\"request\":{\"method\":\"POST\","
                                             "\"url\":\"Observation\"}}");
  g_autofree char *delete_patient = update_event ("ev-u2", "rpt-1", v1,
                                                  "{\"fullUrl\":\"Patient/pat-1\",\"request\":"
                                                  "{\"method\":\"DELETE\",\"url\":\"Patient/pat-1\"}}");
  g_autofree char *good = update_event ("ev-u3", "rpt-1", v1, OBS_PUT ("obs-1"));
  g_autoptr(JsonNode) current = NULL;
  JsonArray *context;
  JsonObject *bundle;
  JsonNode *frame;
  const char *v2;

  g_assert_cmpuint (post_json (f, stale), ==, 400);
  g_assert_cmpuint (post_json (f, with_post), ==, 400);
  g_assert_cmpuint (post_json (f, delete_patient), ==, 400);

  /* nothing of the rejected bundles was applied */
  current = get_current (f);
  context = fcm_json_get_array (json_node_get_object (current), "context");
  bundle = fcm_json_get_object (fcm_json_array_get_object (context, json_array_get_length (context) - 1),
                                "resource");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (bundle, "entry")), ==, 0);
  g_clear_pointer (&current, json_node_unref);

  g_assert_cmpuint (post_json (f, good), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-update") == 1);
  frame = client_last (a, "DiagnosticReport-update");
  g_assert_cmpstr (frame_get (frame, "id"), ==, "ev-u3");
  g_assert_cmpstr (frame_event_get (frame, "context.priorVersionId"), ==, v1);
  v2 = frame_event_get (frame, "context.versionId");
  g_assert_nonnull (v2);
  g_assert_cmpstr (v2, !=, v1);

  current = get_current (f);
  g_assert_cmpstr (fcm_json_get_string (json_node_get_object (current), "context.versionId"), ==, v2);
  context = fcm_json_get_array (json_node_get_object (current), "context");
  bundle = fcm_json_get_object (fcm_json_array_get_object (context, json_array_get_length (context) - 1),
                                "resource");
  g_assert_cmpuint (json_array_get_length (fcm_json_get_array (bundle, "entry")), ==, 1);
  g_assert_null (fcm_json_get_object (fcm_json_array_get_object (fcm_json_get_array (bundle, "entry"), 0),
                                      "request"));

  /* the old version is stale now */
  {
    g_autofree char *again = update_event ("ev-u4", "rpt-1", v1, OBS_PUT ("obs-1"));
    g_autofree char *known = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s1\",\"event\":"
                                              "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                              "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                              "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                              "{\"reference\":\"Observation/obs-1\"}}]}}");
    g_autofree char *unknown = g_strdup_printf ("{\"timestamp\":\"2025-03-14T09:30:00Z\",\"id\":\"ev-s2\",\"event\":"
                                                "{\"hub.topic\":\"" TOPIC "\",\"hub.event\":\"DiagnosticReport-select\","
                                                "\"context\":[{\"key\":\"report\",\"reference\":{\"reference\":"
                                                "\"DiagnosticReport/rpt-1\"}},{\"key\":\"select\",\"reference\":"
                                                "{\"reference\":\"Observation/obs-404\"}}]}}");

    g_assert_cmpuint (post_json (f, again), ==, 400);
    g_assert_cmpuint (post_json (f, known), ==, 200);
    g_assert_cmpuint (post_json (f, unknown), ==, 206);
    FCM_TEST_WAIT_UNTIL (client_count (a, "DiagnosticReport-select") == 2);
  }

  /* H-20 resume: re-opening rpt-1 after rpt-2 makes it current again, content kept */
  {
    g_autofree char *v3 = open_report (f, a, "ev-o2", "rpt-2");
    g_autofree char *v4 = open_report (f, a, "ev-o3", "rpt-1");
    g_autoptr(JsonNode) resumed = get_current (f);
    JsonArray *ctx = fcm_json_get_array (json_node_get_object (resumed), "context");
    JsonObject *content = fcm_json_get_object (fcm_json_array_get_object (ctx, json_array_get_length (ctx) - 1),
                                               "resource");

    g_assert_cmpstr (v4, !=, v3);
    g_assert_cmpstr (fcm_json_get_string (json_node_get_object (resumed), "context.versionId"), ==, v4);
    g_assert_cmpstr (fcm_json_get_string (fcm_json_get_object (fcm_json_array_get_object (ctx, 0), "resource"),
                                          "id"), ==, "rpt-1");
    g_assert_cmpuint (json_array_get_length (fcm_json_get_array (content, "entry")), ==, 1);
  }
}

/* The resource id of context item @key of a notification frame. */
static const char *
frame_context_id (JsonNode   *frame,
                  const char *key)
{
  JsonArray *context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (frame), "event"),
                                           "context");

  for (guint i = 0; context != NULL && i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        return fcm_json_get_string (fcm_json_get_object (item, "resource"), "id");
    }
  return NULL;
}

/* H-21: derived Patient-* / ImagingStudy-* events for subscribers with
 * narrower event sets, without duplicates */
static void
test_implied_events (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Viewer", "Patient-open,Patient-close,ImagingStudy-open,"
                                                "ImagingStudy-close,syncerror,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autoptr(Client) c = subscribe (f, "Both", "DiagnosticReport-open,Patient-open,x-custom-marker");
  g_autoptr(Client) d = subscribe (f, "Patients only", "Patient-open,x-custom-marker");
  g_autofree char *open1 = open_event ("ev-o1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-o2", "rpt-2", "pat-1", "st-2");
  g_autofree char *open3 = open_event ("ev-o3", "rpt-3", "pat-3", "st-3");
  g_autofree char *close2 = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *close1 = simple_event ("ev-c1", "DiagnosticReport-close", "rpt-1");
  Client *all[] = { a, b, c, d };
  JsonNode *frame;
  JsonNode *study_frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);
  send_marker (f, all, 4);
  /* the viewer gets both derived opens, each with its own hub id */
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 0);
  frame = client_last (a, "Patient-open");
  study_frame = client_last (a, "ImagingStudy-open");
  g_assert_cmpstr (frame_context_id (frame, "patient"), ==, "pat-1");
  g_assert_null (frame_context_id (frame, "study"));
  g_assert_cmpstr (frame_context_id (study_frame, "study"), ==, "st-1");
  g_assert_cmpstr (frame_context_id (study_frame, "patient"), ==, "pat-1");
  g_assert_cmpstr (frame_event_get (frame, "hub.topic"), ==, TOPIC);
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-o1");
  g_assert_cmpstr (frame_get (study_frame, "id"), !=, "ev-o1");
  g_assert_cmpstr (frame_get (frame, "id"), !=, frame_get (study_frame, "id"));
  g_assert_cmpstr (frame_get (frame, "timestamp"), ==,
                   frame_get (client_last (b, "DiagnosticReport-open"), "timestamp"));
  /* subscribers of the DiagnosticReport event get no derived ones */
  g_assert_cmpuint (client_count (b, "Patient-open") + client_count (c, "Patient-open"), ==, 0);
  g_assert_cmpuint (client_count (c, "DiagnosticReport-open"), ==, 1);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 1);

  /* same patient, new study: no second Patient-open */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 2);
  g_assert_cmpstr (frame_context_id (client_last (a, "ImagingStudy-open"), "study"), ==, "st-2");

  /* closing the current report closes its study and patient */
  g_assert_cmpuint (post_json (f, close2), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "ImagingStudy-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "Patient-close"), ==, 1);
  g_assert_cmpstr (frame_context_id (client_last (a, "ImagingStudy-close"), "study"), ==, "st-2");
  g_assert_cmpstr (frame_context_id (client_last (a, "Patient-close"), "patient"), ==, "pat-1");
  g_assert_cmpuint (client_count (b, "Patient-close") + client_count (b, "ImagingStudy-close"), ==, 0);

  /* closing the suspended report: its study and patient are not current, nothing derived */
  g_assert_cmpuint (post_json (f, close1), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "ImagingStudy-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "Patient-close"), ==, 1);

  /* another patient: a fresh Patient-open */
  g_assert_cmpuint (post_json (f, open3), ==, 200);
  send_marker (f, all, 4);
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 2);
  g_assert_cmpuint (client_count (d, "Patient-open"), ==, 2);
  g_assert_cmpstr (frame_context_id (client_last (d, "Patient-open"), "patient"), ==, "pat-3");

  /* derived events are acked like any other: nothing went wrong */
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
  g_assert_cmpuint (f->n_syncerror_signals, ==, 0);
}

/* H-12 with H-21: on connect, a subscriber of Patient-open / ImagingStudy-open
 * only gets the derived opens of the current report, with its timestamp */
static void
test_implied_replay (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event ("ev-r1", "rpt-1", "pat-1", "st-1");
  g_autofree char *open2 = open_event ("ev-r2", "rpt-2", "pat-1", "st-2");
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) c = NULL;
  JsonNode *frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);

  a = subscribe (f, "Viewer", "Patient-open,ImagingStudy-open,x-custom-marker");
  c = subscribe (f, "Both", "DiagnosticReport-open,Patient-open,x-custom-marker");
  {
    Client *all[] = { a, b, c };

    send_marker (f, all, 3);
  }

  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "DiagnosticReport-open"), ==, 0);
  frame = client_last (a, "ImagingStudy-open");
  g_assert_cmpstr (frame_context_id (frame, "study"), ==, "st-1");
  g_assert_cmpstr (frame_get (frame, "timestamp"), ==,
                   frame_get (client_last (b, "DiagnosticReport-open"), "timestamp"));
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-r1");
  /* a subscriber of the report's own -open gets the real replay, nothing derived */
  g_assert_cmpuint (client_count (c, "DiagnosticReport-open"), ==, 1);
  g_assert_cmpuint (client_count (c, "Patient-open"), ==, 0);

  /* the replayed patient counts as current: same patient, no second Patient-open */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  {
    Client *all[] = { a, b, c };

    send_marker (f, all, 3);
  }
  g_assert_cmpuint (client_count (a, "Patient-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "ImagingStudy-open"), ==, 2);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
}

/* H-21: a refused derived event produces the usual syncerror, naming it */
static void
test_implied_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Viewer", "Patient-open,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event ("ev-o1", "rpt-1", "pat-1", "st-1");
  JsonArray *coding;

  a->ack_status = 409;
  g_assert_cmpuint (post_json (f, open1), ==, 200);
  FCM_TEST_WAIT_UNTIL (client_count (b, "syncerror") == 1);
  coding = syncerror_codings (client_last (b, "syncerror"));
  g_assert_cmpstr (coding_code (coding, 0, "/eventid"), ==, frame_get (client_last (a, "Patient-open"), "id"));
  g_assert_cmpstr (coding_code (coding, 1, "/eventname"), ==, "Patient-open");
  g_assert_cmpstr (coding_code (coding, 2, "/subscribername"), ==, "Viewer");
}

/* A DiagnosticReport-open whose context also has the report's encounter
 * (FC §3.6.1: `encounter`, 0..1). */
static char *
open_event_with_encounter (const char *id,
                           const char *report,
                           const char *patient,
                           const char *encounter)
{
  g_autofree char *text = open_event (id, report, patient, "st-1");
  g_autoptr(JsonNode) root = fcm_json_parse (text, -1, NULL);
  JsonArray *context = fcm_json_get_array (fcm_json_get_object (json_node_get_object (root), "event"), "context");
  JsonObject *item = json_object_new ();
  JsonObject *resource = json_object_new ();

  json_object_set_string_member (resource, "resourceType", "Encounter");
  json_object_set_string_member (resource, "id", encounter);
  json_object_set_string_member (resource, "status", "in-progress");
  json_object_set_object_member (item, "resource", resource);
  json_object_set_string_member (item, "key", "encounter");
  json_array_add_object_element (context, item);
  return fcm_json_to_string (root, FALSE);
}

/* H-21 for the report's encounter: a subscriber of Encounter-open/-close
 * (and not of DiagnosticReport-*) follows the encounter of the current
 * report, once per encounter; none is derived for a report without one. */
static void
test_implied_encounter (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Client) a = subscribe (f, "Encounters", "Encounter-open,Encounter-close,x-custom-marker");
  g_autoptr(Client) b = subscribe (f, "Reporter", ALL_EVENTS);
  g_autofree char *open1 = open_event_with_encounter ("ev-e1", "rpt-1", "pat-1", "enc-1");
  g_autofree char *open2 = open_event_with_encounter ("ev-e2", "rpt-2", "pat-1", "enc-1");
  g_autofree char *open3 = open_event ("ev-e3", "rpt-3", "pat-3", "st-3");
  g_autofree char *close2 = simple_event ("ev-c2", "DiagnosticReport-close", "rpt-2");
  g_autofree char *close3 = simple_event ("ev-c3", "DiagnosticReport-close", "rpt-3");
  Client *all[] = { a, b };
  JsonNode *frame;

  g_assert_cmpuint (post_json (f, open1), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);
  frame = client_last (a, "Encounter-open");
  g_assert_cmpstr (frame_context_id (frame, "encounter"), ==, "enc-1");
  g_assert_cmpstr (frame_context_id (frame, "patient"), ==, "pat-1");
  g_assert_cmpstr (frame_get (frame, "id"), !=, "ev-e1");
  g_assert_cmpuint (client_count (b, "Encounter-open"), ==, 0);

  /* another report in the same encounter: nothing new */
  g_assert_cmpuint (post_json (f, open2), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);

  /* closing the current report closes its encounter */
  g_assert_cmpuint (post_json (f, close2), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-close"), ==, 1);
  g_assert_cmpstr (frame_context_id (client_last (a, "Encounter-close"), "encounter"), ==, "enc-1");

  /* a report without an encounter, then its close: no encounter event */
  g_assert_cmpuint (post_json (f, open3), ==, 200);
  g_assert_cmpuint (post_json (f, close3), ==, 200);
  send_marker (f, all, 2);
  g_assert_cmpuint (client_count (a, "Encounter-open"), ==, 1);
  g_assert_cmpuint (client_count (a, "Encounter-close"), ==, 1);
  g_assert_cmpuint (client_count (a, "syncerror") + client_count (b, "syncerror"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/fcm/hub/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("context/broadcast", test_broadcast);
  ADD ("context/bad-requests", test_bad_requests);
  ADD ("context/not-open", test_not_open_409);
  ADD ("context/duplicate-id", test_duplicate_id);
  ADD ("context/duplicate-id-window", test_duplicate_id_window);
  ADD ("context/current", test_current_context);
  ADD ("context/update-select", test_update_and_select);
  ADD ("context/implied", test_implied_events);
  ADD ("context/implied-refused", test_implied_refused);
  ADD ("context/implied-encounter", test_implied_encounter);
  ADD ("context/implied-replay", test_implied_replay);
#undef ADD

  return g_test_run ();
}

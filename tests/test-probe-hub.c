/* test-probe-hub.c: the hub probe against our hub, and against hubs broken on purpose
 *
 * Every scenario passes against FcmHub; each broken behaviour (a fault of
 * the mutating proxy in front of FcmHub, or a hub setting that breaks a
 * rule) fails exactly the scenario that checks it, with the rule's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fcm-fhircast.h"
#include "fcm-hub.h"
#include "fcm-json-private.h"
#include "fcm-probe.h"
#include "fcm-probe-proxy.h"
#include "fcm-test-util.h"

/* Short enough for the test suite, long enough for a loaded machine; the
 * broken cases wait for what never comes, so they wait less. */
#define PROBE_TIMEOUT        2.0
#define PROBE_TIMEOUT_BROKEN 1.0
#define PROBE_WINDOW         0.25
/* The hub's ack timeout: short, but not so short that a loaded machine
 * makes our own scripted subscribers miss it. */
#define HUB_ACK_TIMEOUT      1.0
#define PROBE_ACK_WAIT       3.0

typedef struct
{
  gboolean  done;
  GError   *error;
} Wait;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      data)
{
  Wait *w = data;

  fcm_probe_run_finish (FCM_PROBE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
too_long_cb (gpointer data)
{
  g_error ("the probe did not finish within 120 s");
  return G_SOURCE_REMOVE;
}

/* Runs @probe to its end on the default main context. */
static void
run_to_end (FcmProbe  *probe,
            GError   **error)
{
  Wait w = { FALSE, NULL };
  guint guard = g_timeout_add_seconds (120, too_long_cb, NULL);

  fcm_probe_run_async (probe, NULL, run_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
}

static FcmHubProbe *
new_probe (const char *url,
           const char *only)
{
  FcmHubProbe *probe = fcm_hub_probe_new (url);
  g_autoptr(GError) error = NULL;

  fcm_probe_set_timeout (FCM_PROBE (probe), PROBE_TIMEOUT);
  fcm_probe_set_window (FCM_PROBE (probe), PROBE_WINDOW);
  fcm_hub_probe_set_lease (probe, 1);
  fcm_hub_probe_set_ack_wait (probe, PROBE_ACK_WAIT);
  if (only != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (only, ",", -1);

      fcm_probe_set_only (FCM_PROBE (probe), (const char * const *) ids, &error);
      g_assert_no_error (error);
    }
  return probe;
}

static FcmHub *
new_hub (void)
{
  FcmHub *hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;

  fcm_hub_set_ack_timeout (hub, HUB_ACK_TIMEOUT);
  fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);
  return hub;
}

static FcmProbeResult *
result_of (FcmProbe   *probe,
           const char *id)
{
  GListModel *results = fcm_probe_get_results (probe);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);

      if (g_str_equal (fcm_probe_result_get_id (result), id))
        return result;     /* the model keeps a reference */
    }
  g_error ("no result for scenario %s", id);
  return NULL;
}

/* Fails the test with the details of every result that is not a pass. */
static void
assert_all_pass (FcmProbe *probe,
                 guint     expected)
{
  GListModel *results = fcm_probe_get_results (probe);
  guint bad = 0;

  g_assert_cmpuint (g_list_model_get_n_items (results), ==, expected);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);

      if (fcm_probe_result_get_verdict (result) != FCM_PROBE_VERDICT_PASS)
        {
          g_autofree char *details = fcm_probe_report_details (result, FCM_PROBE_REPORT_VERBOSE);

          g_test_message ("%s", details);
          bad++;
        }
    }
  g_assert_cmpuint (bad, ==, 0);
}

static void
assert_fails_with (FcmProbeResult *result,
                   const char     *rule)
{
  g_autofree char *details = fcm_probe_report_details (result, FCM_PROBE_REPORT_NONE);

  g_test_message ("%s", details);
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, FCM_PROBE_VERDICT_FAIL);
  g_assert_true (fcm_probe_result_has_failed_rule (result, rule));
}

/* Nothing a report says shows a full endpoint id (32 hex digits) or @secret. */
static void
assert_redacted (FcmProbe   *probe,
                 const char *secret)
{
  GListModel *results = fcm_probe_get_results (probe);
  g_autofree char *ndjson = fcm_probe_report_ndjson (results);
  g_autofree char *junit = fcm_probe_report_junit (results, "t");
  g_autofree char *table = fcm_probe_report_table (results, FCM_PROBE_REPORT_VERBOSE);
  g_autoptr(GRegex) full_id = g_regex_new ("/ws/[0-9a-f]{5}", 0, 0, NULL);
  const char *texts[] = { ndjson, junit, table };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_assert_false (g_regex_match (full_id, texts[i], 0, NULL));
      if (secret != NULL)
        g_assert_null (strstr (texts[i], secret));
    }
  /* and the endpoints are there, shortened */
  g_assert_nonnull (strstr (ndjson, "/ws/"));
}

/* ------------------------------------------------------------ conformant */

static void
test_conformant (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_hub_get_url (hub), NULL);
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (FCM_PROBE (probe));
  g_autoptr(GError) error = NULL;

  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  assert_all_pass (FCM_PROBE (probe), scenarios->len);
  assert_redacted (FCM_PROBE (probe), NULL);
}

/* The proxy without faults changes nothing: the broken cases below fail
 * because of their fault, not because of the proxy. */
static void
test_transparent_proxy (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmProbeProxy) proxy = fcm_probe_proxy_new (fcm_hub_get_url (hub), 0);
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_probe_proxy_get_url (proxy), NULL);
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (FCM_PROBE (probe));
  g_autoptr(GError) error = NULL;

  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  assert_all_pass (FCM_PROBE (probe), scenarios->len);
}

/* ---------------------------------------------------------------- broken */

typedef struct
{
  const char     *name;
  FcmProxyFaults  faults;
  const char     *scenario;
  const char     *rule;
} Broken;

static const Broken broken[] = {
  { "discovery-without-websocket", FCM_PROXY_DISCOVERY_STRIP, "discovery", "H-01" },
  { "subscribe-200", FCM_PROXY_SUBSCRIBE_200, "subscribe", "H-08" },
  { "subscribe-accepts-invalid", FCM_PROXY_ACCEPT_INVALID, "subscribe-invalid", "H-05" },
  { "no-confirmation", FCM_PROXY_DROP_CONFIRMATION, "confirmation", "H-11" },
  { "unknown-endpoint-accepted", FCM_PROXY_ACCEPT_UNKNOWN, "endpoint-unknown", "H-10" },
  { "sequential-endpoints", FCM_PROXY_SEQUENTIAL_IDS, "endpoint-entropy", "H-02" },
  { "lease-never-ends", FCM_PROXY_SWALLOW_CLOSE, "lease", "H-13" },
  { "unsubscribe-without-denial", FCM_PROXY_DROP_DENIAL, "unsubscribe", "H-14" },
  { "unsubscribe-accepts-invalid", FCM_PROXY_ACCEPT_INVALID, "unsubscribe-invalid", "H-14" },
  { "broadcast-other-id", FCM_PROXY_REWRITE_IDS, "broadcast", "H-18" },
  { "update-without-prior", FCM_PROXY_STRIP_PRIOR, "version-chain", "H-24" },
  { "conflict-as-200", FCM_PROXY_CONFLICT_200, "not-open", "H-16" },
  { "context-accepts-invalid", FCM_PROXY_ACCEPT_INVALID, "context-invalid", "H-15" },
  { "context-without-content", FCM_PROXY_STRIP_CONTENT, "get-context", "H-29" },
  { "no-replay", FCM_PROXY_DROP_REPLAY, "replay", "H-12" },
  { "syncerror-lost", FCM_PROXY_DROP_SYNCERROR, "ack-refused", "H-33" },
  { "timeout-syncerror-lost", FCM_PROXY_DROP_SYNCERROR, "ack-timeout", "H-34" },
  { "normal-close-as-4000", FCM_PROXY_CLOSE_4000, "close-codes", "H-35" },
  { "topics-leak", FCM_PROXY_LEAK_TOPICS, "topic-isolation", "H-04" },
  { "oversized-500", FCM_PROXY_BIG_500, "size-limits", "C-59" },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmProbeProxy) proxy = fcm_probe_proxy_new (fcm_hub_get_url (hub), b->faults);
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_probe_proxy_get_url (proxy), b->scenario);
  g_autoptr(GError) error = NULL;

  fcm_probe_set_timeout (FCM_PROBE (probe), PROBE_TIMEOUT_BROKEN);
  fcm_hub_probe_set_ack_wait (probe, PROBE_TIMEOUT_BROKEN);
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_probe_get_results (FCM_PROBE (probe))), ==, 1);
  assert_fails_with (result_of (FCM_PROBE (probe), b->scenario), b->rule);
}

/* H-34: a hub whose ack timeout is longer than the probe waits. */
static void
test_hub_slow_ack_timeout (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_hub_get_url (hub), "ack-timeout");
  g_autoptr(GError) error = NULL;

  fcm_hub_set_ack_timeout (hub, 30);
  fcm_hub_probe_set_ack_wait (probe, 0.5);
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  assert_fails_with (result_of (FCM_PROBE (probe), "ack-timeout"), "H-34");
}

/* The hub's admin fault: every context change on the topic is accepted
 * with 202 and then dropped (H-17): nothing is broadcast (H-18). */
static void
test_admin_async_reject (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubProbe) probe = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *form = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *origin = NULL;
  const char *topic = "probe-admin-topic";
  const char *endpoint;
  JsonArray *subscribers;

  fcm_hub_set_admin (hub, TRUE);
  fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);

  form = soup_form_encode ("hub.channel.type", "websocket", "hub.mode", "subscribe", "hub.topic", topic,
                           "hub.events", "DiagnosticReport-open", "subscriber.name", "admin test", NULL);
  g_assert_cmpuint (fcm_test_http (session, "POST", fcm_hub_get_url (hub), "application/x-www-form-urlencoded",
                                   form, -1, NULL, NULL), ==, 202);
  origin = g_strndup (fcm_hub_get_url (hub), strlen (fcm_hub_get_url (hub)) - strlen (FCM_HUB_BASE_PATH));
  url = g_strconcat (origin, "/admin/subscribers?topic=", topic, NULL);
  g_assert_cmpuint (fcm_test_http (session, "GET", url, NULL, NULL, 0, NULL, &body), ==, 200);
  root = fcm_json_parse (body, -1, &error);
  g_assert_no_error (error);
  subscribers = fcm_json_get_array (json_node_get_object (root), "subscribers");
  g_assert_cmpuint (json_array_get_length (subscribers), ==, 1);
  endpoint = fcm_json_get_string (fcm_json_array_get_object (subscribers, 0), "endpoint");
  fault = g_strdup_printf ("%s/admin/subscribers/%s/async?mode=reject&count=all", origin, endpoint);
  g_assert_cmpuint (fcm_test_http (session, "POST", fault, NULL, NULL, 0, NULL, NULL), ==, 200);

  probe = new_probe (fcm_hub_get_url (hub), "broadcast");
  fcm_probe_set_timeout (FCM_PROBE (probe), PROBE_TIMEOUT_BROKEN);
  fcm_hub_probe_set_topic (probe, topic);
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  assert_fails_with (result_of (FCM_PROBE (probe), "broadcast"), "H-18");
}

/* ------------------------------------------------------- token, topic */

static void
test_token_and_topic (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmHubProbe) probe = NULL;
  g_autoptr(FcmHubProbe) anonymous = NULL;
  g_autoptr(GError) error = NULL;
  const char *secret = "probe-test-secret-5b8e1f";

  fcm_hub_set_secret (hub, secret);
  probe = new_probe (fcm_hub_get_url (hub), "discovery,subscribe,broadcast,get-context,replay");
  fcm_hub_probe_set_token (probe, secret);
  fcm_hub_probe_set_topic (probe, "probe-fixed-topic");
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  assert_all_pass (FCM_PROBE (probe), 5);
  assert_redacted (FCM_PROBE (probe), secret);

  /* without the token the hub answers 401 */
  anonymous = new_probe (fcm_hub_get_url (hub), "discovery");
  run_to_end (FCM_PROBE (anonymous), &error);
  g_assert_no_error (error);
  assert_fails_with (result_of (FCM_PROBE (anonymous), "discovery"), "H-01");
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmHubProbe) probe = NULL;
  g_autofree char *url = NULL;

  /* a port that is bound but not listening: connections are refused */
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/fhircast",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  probe = new_probe (url, NULL);
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_error (error, FCM_PROBE_ERROR, FCM_PROBE_ERROR_UNREACHABLE);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_probe_get_results (FCM_PROBE (probe))), ==, 0);
}

static void
cancel_on_first_cb (FcmProbe       *probe,
                    FcmProbeResult *result,
                    GCancellable   *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_hub_get_url (hub), NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { FALSE, NULL };

  g_signal_connect (probe, "scenario-finished", G_CALLBACK (cancel_on_first_cb), cancellable);
  fcm_probe_run_async (FCM_PROBE (probe), cancellable, run_cb, &w);
  FCM_TEST_WAIT_UNTIL (w.done);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);
  g_assert_false (fcm_probe_get_running (FCM_PROBE (probe)));
  g_assert_cmpuint (g_list_model_get_n_items (fcm_probe_get_results (FCM_PROBE (probe))), >=, 1);
}

/* Each evidence line comes as a signal while its scenario runs, redacted as
 * in the result (the app shows a long scenario's progress with it). */
typedef struct
{
  GString  *lines;
  gboolean  finished;
} EvidenceSeen;

static void
evidence_added_cb (FcmProbe     *probe,
                   const char   *id,
                   const char   *line,
                   EvidenceSeen *seen)
{
  g_assert_cmpstr (id, ==, "subscribe");
  g_assert_false (seen->finished);
  g_string_append_printf (seen->lines, "%s\n", line);
}

static void
evidence_finished_cb (FcmProbe       *probe,
                      FcmProbeResult *result,
                      EvidenceSeen   *seen)
{
  seen->finished = TRUE;
}

static void
test_evidence_signal (void)
{
  g_autoptr(FcmHub) hub = new_hub ();
  g_autoptr(FcmHubProbe) probe = new_probe (fcm_hub_get_url (hub), "subscribe");
  g_autoptr(GError) error = NULL;
  EvidenceSeen seen = { g_string_new (NULL), FALSE };

  g_signal_connect (probe, "evidence-added", G_CALLBACK (evidence_added_cb), &seen);
  g_signal_connect (probe, "scenario-finished", G_CALLBACK (evidence_finished_cb), &seen);
  run_to_end (FCM_PROBE (probe), &error);
  g_assert_no_error (error);
  g_assert_true (seen.finished);
  g_assert_cmpuint (seen.lines->len, >, 0);
  g_assert_cmpstr (seen.lines->str, ==, fcm_probe_result_get_evidence (result_of (FCM_PROBE (probe), "subscribe")));
  g_string_free (seen.lines, TRUE);
}

/* ---------------------------------------------------------------- reports */

typedef struct
{
  guint testcases;
  guint failures;
  guint skipped;
} JUnitCount;

static void
junit_start_cb (GMarkupParseContext  *context,
                const char           *element,
                const char          **names,
                const char          **values,
                gpointer              data,
                GError              **error)
{
  JUnitCount *count = data;

  if (g_str_equal (element, "testcase"))
    count->testcases++;
  else if (g_str_equal (element, "failure"))
    count->failures++;
  else if (g_str_equal (element, "skipped"))
    count->skipped++;
}

static void
test_reports (void)
{
  g_autoptr(GListStore) store = g_list_store_new (FCM_TYPE_PROBE_RESULT);
  g_autoptr(FcmProbeResult) pass = fcm_probe_result_new ("hub", "one", "First", "H-01");
  g_autoptr(FcmProbeResult) fail = fcm_probe_result_new ("hub", "two", "Second <&>", "H-05,H-08");
  g_autoptr(FcmProbeResult) skip = fcm_probe_result_new ("hub", "three", "Third", "H-10");
  g_autoptr(FcmProbeResult) warn = fcm_probe_result_new ("hub", "four", "Fourth", "H-13");
  GMarkupParser parser = { junit_start_cb, NULL, NULL, NULL, NULL };
  g_autoptr(GMarkupParseContext) markup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autofree char *ndjson = NULL;
  g_autofree char *junit = NULL;
  g_auto(GStrv) lines = NULL;
  JUnitCount count = { 0, };
  guint n_pass, n_warn, n_fail, n_skip;

  fcm_probe_result_add_finding (pass, FCM_SEVERITY_INFO, "H-01", "fine");
  fcm_probe_result_add_finding (fail, FCM_SEVERITY_INFO, "H-05", "the first check held");
  fcm_probe_result_add_finding (fail, FCM_SEVERITY_ERROR, "H-05", "answered 202 \"not\" 400 <b>");
  fcm_probe_result_append_evidence (fail, "→ POST http://h/fhircast a=b&c=<d>");
  fcm_probe_result_skip (skip, "no socket");
  fcm_probe_result_add_finding (warn, FCM_SEVERITY_WARNING, "H-13", "no denial");
  g_list_store_append (store, pass);
  g_list_store_append (store, fail);
  g_list_store_append (store, skip);
  g_list_store_append (store, warn);

  g_assert_cmpint (fcm_probe_result_get_verdict (pass), ==, FCM_PROBE_VERDICT_PASS);
  g_assert_cmpint (fcm_probe_result_get_verdict (fail), ==, FCM_PROBE_VERDICT_FAIL);
  g_assert_cmpint (fcm_probe_result_get_verdict (skip), ==, FCM_PROBE_VERDICT_SKIPPED);
  g_assert_cmpint (fcm_probe_result_get_verdict (warn), ==, FCM_PROBE_VERDICT_WARNING);
  g_assert_cmpstr (fcm_probe_result_get_message (fail), ==, "answered 202 \"not\" 400 <b>");
  fcm_probe_report_count (G_LIST_MODEL (store), &n_pass, &n_warn, &n_fail, &n_skip);
  g_assert_cmpuint (n_pass + n_warn + n_fail + n_skip, ==, 4);
  g_assert_cmpuint (n_fail, ==, 1);

  table = fcm_probe_report_table (G_LIST_MODEL (store), FCM_PROBE_REPORT_NONE);
  g_assert_nonnull (strstr (table, "FAIL     two"));
  g_assert_nonnull (strstr (table, "4 scenarios: 1 passed, 1 with warnings, 1 failed, 1 skipped"));
  g_assert_nonnull (strstr (table, "✗ H-05 answered 202"));
  g_assert_null (strstr (table, "the first check held"));   /* only with VERBOSE */

  ndjson = fcm_probe_report_ndjson (G_LIST_MODEL (store));
  lines = g_strsplit (ndjson, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);            /* 4 lines and "" */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonNode) node = fcm_json_parse (lines[i], -1, &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      if (i == 1)
        {
          JsonObject *obj = json_node_get_object (node);

          g_assert_cmpstr (fcm_json_get_string (obj, "verdict"), ==, "fail");
          g_assert_cmpstr (fcm_json_array_get_string (fcm_json_get_array (obj, "failedRules"), 0), ==, "H-05");
          g_assert_cmpuint (json_array_get_length (fcm_json_get_array (obj, "rules")), ==, 2);
        }
    }

  junit = fcm_probe_report_junit (G_LIST_MODEL (store), "fhircast probe hub");
  markup = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_assert_true (g_markup_parse_context_parse (markup, junit, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (markup, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count.testcases, ==, 4);
  g_assert_cmpuint (count.failures, ==, 1);
  g_assert_cmpuint (count.skipped, ==, 1);
  g_assert_nonnull (strstr (junit, "tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""));
}

/* --------------------------------------------------------------------- CLI */

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

static void
run_cli (CliRun             *run,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FHIRCAST_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
}

/* `fhircast hub` as a process; returns its hub.url. */
static GSubprocess *
start_cli_hub (const char  *extra,
               char       **out_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("FHIRCAST_CLI"), "hub",
                           "--ack-timeout", "1", extra, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  *out_url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_url);
  return proc;
}

static void
stop_cli_hub (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
}

static void
test_cli (void)
{
  g_autofree char *url = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-probe-XXXXXX", NULL);
  g_autofree char *junit = g_build_filename (dir, "probe.xml", NULL);
  g_autofree char *token_file = g_build_filename (dir, "token", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GSubprocess) hub = start_cli_hub (NULL, &url);
  g_auto(GStrv) lines = NULL;
  g_auto(CliRun) ok = { 0, };
  g_auto(CliRun) table = { 0, };
  g_auto(CliRun) list = { 0, };
  g_auto(CliRun) unreachable = { 0, };
  g_auto(CliRun) usage = { 0, };
  g_auto(CliRun) unknown = { 0, };
  g_auto(CliRun) token = { 0, };
  g_autoptr(GError) error = NULL;

  /* every scenario against `fhircast hub`, as NDJSON and JUnit */
  run_cli (&ok, (const char *[]) { "probe", "hub", url, "--json", "--junit", junit, "--timeout", "2",
                                   "--window", "0.25", "--lease", "1", "--ack-wait", "3", NULL });
  g_test_message ("%s", ok.err);
  g_assert_cmpint (ok.status, ==, 0);
  lines = g_strsplit (g_strstrip (ok.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 20);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = fcm_json_parse (lines[i], -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (fcm_json_get_string (json_node_get_object (node), "verdict"), ==, "pass");
    }
  g_assert_true (g_file_get_contents (junit, &xml, NULL, &error));
  g_assert_nonnull (strstr (xml, "tests=\"20\" failures=\"0\""));

  /* the table, and the scenario list */
  run_cli (&table, (const char *[]) { "probe", "hub", url, "--only", "discovery,subscribe", NULL });
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "pass     discovery"));
  g_assert_nonnull (strstr (table.out, "2 scenarios: 2 passed"));
  run_cli (&list, (const char *[]) { "probe", "hub", "--list", NULL });
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "size-limits"));

  /* the token file: sent, never shown */
  g_assert_true (g_file_set_contents (token_file, "cli-probe-token-77aa\n", -1, &error));
  run_cli (&token, (const char *[]) { "probe", "hub", url, "--only", "subscribe", "--token-file", token_file,
                                      "--verbose", NULL });
  g_assert_cmpint (token.status, ==, 0);
  g_assert_null (strstr (token.out, "cli-probe-token-77aa"));

  stop_cli_hub (hub);

  /* the hub is gone now */
  run_cli (&unreachable, (const char *[]) { "probe", "hub", url, NULL });
  g_assert_cmpint (unreachable.status, ==, 2);
  run_cli (&usage, (const char *[]) { "probe", "hub", NULL });
  g_assert_cmpint (usage.status, ==, 64);
  run_cli (&unknown, (const char *[]) { "probe", "hub", url, "--only", "no-such-scenario", NULL });
  g_assert_cmpint (unknown.status, ==, 64);

  g_remove (junit);
  g_remove (token_file);
  g_rmdir (dir);
}

/* A failing scenario makes the command exit 1. */
static void
test_cli_failure (void)
{
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) hub = start_cli_hub ("--ack-timeout=30", &url);
  g_auto(CliRun) run = { 0, };

  /* the hub gives up on a silent subscriber after 30 s; the probe waits 0.5 s */
  run_cli (&run, (const char *[]) { "probe", "hub", url, "--only", "ack-timeout,discovery", "--ack-wait", "0.5",
                                    NULL });
  stop_cli_hub (hub);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "FAIL     ack-timeout"));
  g_assert_nonnull (strstr (run.out, "✗ H-34"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/probe/hub/conformant", test_conformant);
  g_test_add_func ("/fcm/probe/hub/transparent-proxy", test_transparent_proxy);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fcm/probe/hub/broken/%s", broken[i].name);

      g_test_add_data_func (path, &broken[i], test_broken);
    }
  g_test_add_func ("/fcm/probe/hub/broken/slow-ack-timeout", test_hub_slow_ack_timeout);
  g_test_add_func ("/fcm/probe/hub/broken/admin-async-reject", test_admin_async_reject);
  g_test_add_func ("/fcm/probe/hub/token-and-topic", test_token_and_topic);
  g_test_add_func ("/fcm/probe/hub/unreachable", test_unreachable);
  g_test_add_func ("/fcm/probe/hub/cancel", test_cancel);
  g_test_add_func ("/fcm/probe/hub/evidence-signal", test_evidence_signal);
  g_test_add_func ("/fcm/probe/reports", test_reports);
  g_test_add_func ("/fcm/probe/hub/cli", test_cli);
  g_test_add_func ("/fcm/probe/hub/cli-failure", test_cli_failure);

  return g_test_run ();
}

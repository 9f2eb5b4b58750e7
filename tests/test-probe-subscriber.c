/* test-probe-subscriber.c: the subscriber probe against our subscribers, and against broken ones
 *
 * `fhircast watch` (through --command) and our client library (FcmMonitor)
 * pass; a small scripted subscriber passes too, and each behaviour it can be
 * told to get wrong fails exactly the scenario that checks it, with the
 * rule's id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fcm-client.h"
#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-probe.h"
#include "fcm-probe-scripted.h"
#include "fcm-test-util.h"

#define PROBE_TIMEOUT   1.5
#define PROBE_WINDOW    0.25
#define PROBE_LEASE     2
#define CONNECT_TIMEOUT 3.0

/* -------------------------------------------------------- running a probe */

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

static void
run_to_end (FcmProbe *probe)
{
  Wait w = { FALSE, NULL };
  guint guard = g_timeout_add_seconds (120, too_long_cb, NULL);

  fcm_probe_run_async (probe, NULL, run_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  g_assert_no_error (w.error);
}

static FcmSubscriberProbe *
new_probe (const char *only)
{
  FcmSubscriberProbe *probe = fcm_subscriber_probe_new ();
  g_autoptr(GError) error = NULL;

  fcm_probe_set_timeout (FCM_PROBE (probe), PROBE_TIMEOUT);
  fcm_probe_set_window (FCM_PROBE (probe), PROBE_WINDOW);
  fcm_subscriber_probe_set_lease (probe, PROBE_LEASE);
  fcm_subscriber_probe_set_connect_timeout (probe, CONNECT_TIMEOUT);
  if (only != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (only, ",", -1);

      fcm_probe_set_only (FCM_PROBE (probe), (const char * const *) ids, &error);
      g_assert_no_error (error);
    }
  fcm_subscriber_probe_listen (probe, &error);
  g_assert_no_error (error);
  return probe;
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
        return result;
    }
  g_error ("no result for scenario %s", id);
  return NULL;
}

static void
show (FcmProbeResult *result)
{
  g_autofree char *details = fcm_probe_report_details (result, FCM_PROBE_REPORT_VERBOSE);

  g_test_message ("%s", details);
}

/* One scripted subscriber per scenario, driven by the probe's requests. */
typedef struct
{
  FcmSubscriberProbe *probe;
  guint               flags;
  Scripted           *sc;
} ScriptedHarness;

static void
scripted_started_cb (FcmProbe        *probe,
                     const char      *id,
                     const char      *title,
                     ScriptedHarness *h)
{
  g_clear_pointer (&h->sc, scripted_free);
  h->sc = scripted_new (h->probe, h->flags);
}

static void
scripted_action_cb (FcmSubscriberProbe       *probe,
                    FcmSubscriberProbeAction  action,
                    const char               *text,
                    ScriptedHarness          *h)
{
  if (h->sc == NULL)
    return;
  if (action == FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT)
    scripted_stop (h->sc);
  else if (action == FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH)
    scripted_publish (h->sc);
}

static void
run_scripted (FcmSubscriberProbe *probe,
              guint               flags)
{
  ScriptedHarness h = { probe, flags, NULL };

  g_signal_connect (probe, "scenario-started", G_CALLBACK (scripted_started_cb), &h);
  g_signal_connect (probe, "action-requested", G_CALLBACK (scripted_action_cb), &h);
  run_to_end (FCM_PROBE (probe));
  g_signal_handlers_disconnect_by_data (probe, &h);
  g_clear_pointer (&h.sc, scripted_free);
}

static void
assert_all_pass_of (FcmProbe *probe,
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
          show (result);
          bad++;
        }
    }
  g_assert_cmpuint (bad, ==, 0);
}

static void
assert_all_pass (FcmProbe *probe)
{
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (probe);

  assert_all_pass_of (probe, scenarios->len);
}

/* No report shows a full endpoint id. */
static void
assert_redacted (FcmProbe *probe)
{
  g_autofree char *ndjson = fcm_probe_report_ndjson (fcm_probe_get_results (probe));
  g_autoptr(GRegex) full_id = g_regex_new ("/ws/[0-9a-f]{5}", 0, 0, NULL);

  g_assert_nonnull (strstr (ndjson, "/ws/"));
  g_assert_false (g_regex_match (full_id, ndjson, 0, NULL));
}

static void
test_scripted (void)
{
  g_autoptr(FcmSubscriberProbe) probe = new_probe (NULL);

  run_scripted (probe, BAD_NONE);
  assert_all_pass (FCM_PROBE (probe));
  assert_redacted (FCM_PROBE (probe));
}

typedef struct
{
  const char *name;
  guint       flags;
  const char *scenario;
  const char *rule;
} Broken;

static const Broken broken[] = {
  { "no-name", BAD_NO_NAME, "subscribe", "C-12" },
  { "no-fetch", BAD_NO_FETCH, "refetch-connect", "C-22" },
  { "ack-without-status", BAD_ACK_NO_STATUS, "ack", "C-28" },
  { "ack-once", BAD_ACK_ONCE, "duplicate", "C-67" },
  { "dies-on-garbage", BAD_DIE_ON_GARBAGE, "malformed", "C-28" },
  { "chokes-on-big-frames", BAD_SMALL_FRAMES | BAD_NO_RECONNECT, "oversized", "C-59" },
  { "no-gap-fetch", BAD_NO_GAP_FETCH, "version-gap", "C-33" },
  { "no-renewal", BAD_NO_RENEW, "renew", "C-23" },
  { "no-reconnect", BAD_NO_RECONNECT, "reconnect", "C-68" },
  { "ignores-denial", BAD_IGNORE_DENIAL, "denial", "C-20" },
  { "syncerror-not-acked", BAD_NO_SYNCERROR_ACK, "async-reject", "C-63" },
  { "resends-at-once", BAD_RESEND_AT_ONCE, "async-reject", "C-51" },
  { "leaves-without-unsubscribe", BAD_NO_UNSUBSCRIBE, "unsubscribe", "C-40" },
  { "closes-with-4000", BAD_CLOSE_4000, "unsubscribe", "C-42" },
};

static void
test_broken (gconstpointer data)
{
  const Broken *b = data;
  g_autoptr(FcmSubscriberProbe) probe = new_probe (b->scenario);
  FcmProbeResult *result;

  run_scripted (probe, b->flags);
  result = result_of (FCM_PROBE (probe), b->scenario);
  show (result);
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, FCM_PROBE_VERDICT_FAIL);
  g_assert_true (fcm_probe_result_has_failed_rule (result, b->rule));
}

/* Other ways of coping that the probe accepts: closing the socket on an
 * oversized frame and resubscribing (pass), or on a malformed one (warning:
 * ignoring it is enough). */
typedef struct
{
  const char      *name;
  guint            flags;
  const char      *scenario;
  FcmProbeVerdict  verdict;
} Tolerated;

static const Tolerated tolerated[] = {
  { "small-frames-resubscribes", BAD_SMALL_FRAMES, "oversized", FCM_PROBE_VERDICT_PASS },
  { "garbage-resubscribes", BAD_CLOSE_ON_GARBAGE, "malformed", FCM_PROBE_VERDICT_WARNING },
};

static void
test_tolerated (gconstpointer data)
{
  const Tolerated *t = data;
  g_autoptr(FcmSubscriberProbe) probe = new_probe (t->scenario);
  FcmProbeResult *result;

  run_scripted (probe, t->flags);
  result = result_of (FCM_PROBE (probe), t->scenario);
  show (result);
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, t->verdict);
}

/* ------------------------------------------------- our client library */

typedef struct
{
  FcmSubscriberProbe *probe;
  FcmMonitor         *monitor;
} ClientHarness;

static void
client_started_cb (FcmProbe      *probe,
                   const char    *id,
                   const char    *title,
                   ClientHarness *h)
{
  g_autoptr(FcmHubClient) client = NULL;

  g_clear_object (&h->monitor);
  client = fcm_hub_client_new (fcm_subscriber_probe_get_hub_url (h->probe),
                               fcm_subscriber_probe_get_topic (h->probe));
  fcm_hub_client_set_subscriber_name (client, "FcmMonitor under test");
  fcm_hub_client_set_reconnect_delay (client, 200, 1000);
  h->monitor = fcm_monitor_new (client);
  fcm_hub_client_subscribe_async (client, NULL, NULL, NULL);
}

static void
client_action_cb (FcmSubscriberProbe       *probe,
                  FcmSubscriberProbeAction  action,
                  const char               *text,
                  ClientHarness            *h)
{
  FcmHubClient *client = h->monitor != NULL ? fcm_monitor_get_client (h->monitor) : NULL;

  if (client == NULL)
    return;
  if (action == FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT)
    fcm_hub_client_unsubscribe_async (client, NULL, NULL, NULL);
  else if (action == FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH)
    {
      g_autoptr(JsonArray) context = fcm_context_build_open ("rpt-client", "pat-client", "st-client", NULL, NULL);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *now = NULL;
      g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();
      g_autoptr(FcmEvent) event = NULL;

      now = g_date_time_format_iso8601 (dt);
      event = fcm_event_new (id, now, fcm_subscriber_probe_get_topic (h->probe), "DiagnosticReport-open",
                             context, NULL, NULL);
      fcm_hub_client_publish_async (client, event, NULL, NULL, NULL);
    }
}

/* The app's stack (FcmHubClient + FcmMonitor) passes every scenario. */
static void
test_client_library (void)
{
  g_autoptr(FcmSubscriberProbe) probe = new_probe (NULL);
  ClientHarness h = { probe, NULL };

  g_signal_connect (probe, "scenario-started", G_CALLBACK (client_started_cb), &h);
  g_signal_connect (probe, "action-requested", G_CALLBACK (client_action_cb), &h);
  run_to_end (FCM_PROBE (probe));
  g_signal_handlers_disconnect_by_data (probe, &h);
  g_clear_object (&h.monitor);
  assert_all_pass (FCM_PROBE (probe));
}

/* How "Test an App…" works: one app, pointed at the probe once. After each
 * scenario the probe closes the socket with 1012 and the app comes back by
 * itself (C-68) for the next one. */
static void
test_one_client_throughout (void)
{
  g_autoptr(FcmSubscriberProbe) probe = new_probe ("subscribe,refetch-connect,ack,duplicate,malformed,version-gap,"
                                                   "reconnect,unsubscribe");
  g_autoptr(FcmHubClient) client = fcm_hub_client_new (fcm_subscriber_probe_get_hub_url (probe),
                                                       fcm_subscriber_probe_get_topic (probe));
  g_autoptr(FcmMonitor) monitor = NULL;
  ClientHarness h = { probe, NULL };

  fcm_hub_client_set_subscriber_name (client, "one FcmMonitor");
  fcm_hub_client_set_reconnect_delay (client, 200, 1000);
  monitor = fcm_monitor_new (client);
  h.monitor = monitor;
  fcm_hub_client_subscribe_async (client, NULL, NULL, NULL);
  g_signal_connect (probe, "action-requested", G_CALLBACK (client_action_cb), &h);
  run_to_end (FCM_PROBE (probe));
  g_signal_handlers_disconnect_by_data (probe, &h);
  assert_all_pass_of (FCM_PROBE (probe), 8);
  assert_redacted (FCM_PROBE (probe));
}

/* ------------------------------------------------------ `fhircast watch` */

static char *
watch_command (void)
{
  g_autofree char *quoted = g_shell_quote (g_getenv ("FHIRCAST_CLI"));

  return g_strdup_printf ("%s watch --hub {hub} --topic {topic} --name \"fhircast watch under test\"", quoted);
}

static void
test_watch (void)
{
  g_autoptr(FcmSubscriberProbe) probe = new_probe (NULL);
  g_autofree char *command = watch_command ();
  g_autoptr(GError) error = NULL;
  GListModel *results = fcm_probe_get_results (FCM_PROBE (probe));

  fcm_subscriber_probe_set_command (probe, command, &error);
  g_assert_no_error (error);
  run_to_end (FCM_PROBE (probe));

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);
      const char *id = fcm_probe_result_get_id (result);
      FcmProbeVerdict verdict = fcm_probe_result_get_verdict (result);

      if (verdict != FCM_PROBE_VERDICT_PASS)
        show (result);
      /* `fhircast watch` never requests a context change: that one is skipped */
      if (g_str_equal (id, "async-reject"))
        g_assert_cmpint (verdict, ==, FCM_PROBE_VERDICT_SKIPPED);
      else
        g_assert_cmpint (verdict, ==, FCM_PROBE_VERDICT_PASS);
    }
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 12);
  assert_redacted (FCM_PROBE (probe));
}

/* A command that cannot start: skipped; one that exits at once: C-11. */
static void
test_bad_commands (void)
{
  g_autoptr(FcmSubscriberProbe) missing = new_probe ("subscribe");
  g_autoptr(FcmSubscriberProbe) quits = new_probe ("subscribe");
  g_autoptr(GError) error = NULL;
  FcmProbeResult *result;

  fcm_subscriber_probe_set_command (missing, "/nonexistent/fhircast-app {hub}", &error);
  g_assert_no_error (error);
  run_to_end (FCM_PROBE (missing));
  result = result_of (FCM_PROBE (missing), "subscribe");
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, FCM_PROBE_VERDICT_SKIPPED);

  fcm_subscriber_probe_set_command (quits, "true {hub} {topic}", &error);
  g_assert_no_error (error);
  run_to_end (FCM_PROBE (quits));
  result = result_of (FCM_PROBE (quits), "subscribe");
  g_assert_true (fcm_probe_result_has_failed_rule (result, "C-11"));

  g_assert_false (fcm_subscriber_probe_set_command (quits, "unbalanced \"quote", &error));
  g_assert_nonnull (error);
}

/* Without a command and without an app: every scenario is skipped. */
static void
test_nobody (void)
{
  g_autoptr(FcmSubscriberProbe) probe = new_probe ("subscribe,ack");

  fcm_subscriber_probe_set_connect_timeout (probe, 0.3);
  run_to_end (FCM_PROBE (probe));
  g_assert_cmpint (fcm_probe_result_get_verdict (result_of (FCM_PROBE (probe), "subscribe")), ==,
                   FCM_PROBE_VERDICT_SKIPPED);
  g_assert_cmpint (fcm_probe_result_get_verdict (result_of (FCM_PROBE (probe), "ack")), ==,
                   FCM_PROBE_VERDICT_SKIPPED);
}

/* --------------------------------------------------------------------- CLI */

static int
run_cli (const char * const  *args,
         char               **out,
         char               **err)
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
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static void
test_cli (void)
{
  g_autofree char *command = watch_command ();
  g_autofree char *dir = g_dir_make_tmp ("fcm-probe-XXXXXX", NULL);
  g_autofree char *junit = g_build_filename (dir, "subscriber.xml", NULL);
  g_autofree char *out = NULL, *err = NULL, *xml = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = run_cli ((const char *[]) { "probe", "subscriber", "--command", command, "--only", "subscribe,ack,unsubscribe",
                                       "--json", "--junit", junit, "--timeout", "1.5", "--window", "0.25", NULL },
                    &out, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = fcm_json_parse (lines[i], -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (fcm_json_get_string (json_node_get_object (node), "kind"), ==, "subscriber");
      g_assert_cmpstr (fcm_json_get_string (json_node_get_object (node), "verdict"), ==, "pass");
    }
  g_assert_true (g_file_get_contents (junit, &xml, NULL, &error));
  g_assert_nonnull (strstr (xml, "tests=\"3\" failures=\"0\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ((const char *[]) { "probe", "subscriber", "--port", "70000", NULL }, &out, &err), ==, 64);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "probe", "subscriber", "--command", "\"open", NULL }, &out, &err), ==, 64);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "probe", "subscriber", "--list", NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "version-gap"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ((const char *[]) { "probe", "nothing", NULL }, &out, &err), ==, 64);

  g_remove (junit);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/probe/subscriber/watch", test_watch);
  g_test_add_func ("/fcm/probe/subscriber/client-library", test_client_library);
  g_test_add_func ("/fcm/probe/subscriber/one-client-throughout", test_one_client_throughout);
  g_test_add_func ("/fcm/probe/subscriber/scripted", test_scripted);
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fcm/probe/subscriber/broken/%s", broken[i].name);

      g_test_add_data_func (path, &broken[i], test_broken);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tolerated); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fcm/probe/subscriber/tolerated/%s", tolerated[i].name);

      g_test_add_data_func (path, &tolerated[i], test_tolerated);
    }
  g_test_add_func ("/fcm/probe/subscriber/bad-commands", test_bad_commands);
  g_test_add_func ("/fcm/probe/subscriber/nobody", test_nobody);
  g_test_add_func ("/fcm/probe/subscriber/cli", test_cli);

  return g_test_run ();
}

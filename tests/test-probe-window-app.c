/* test-probe-window-app.c: "Test an App…", a real window on a real subscriber probe
 *
 * Test an App with our own client library (FcmHubClient + FcmMonitor,
 * pointed at the URL and topic the window shows) shows every scenario
 * passing, says meanwhile which scenario waits for the app and for what,
 * and exports both reports; nobody connecting is shown as waiting, then
 * skipped.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-fhircast.h"
#include "fcm-gtk-test-util.h"
#include "fcm-json-private.h"
#include "fcm-probe-window-test-util.h"
#include "fcm-test-util.h"
#include "fcm-window-private.h"

static FcmApplication *the_app;

/* ------------------------------------------------------------ Test an App */

typedef struct
{
  FcmProbeWindow *window;
  FcmMonitor     *monitor;
  char           *hub_url;
  char           *topic;
  gboolean        saw_waiting;
  gboolean        saw_connect;
  gboolean        saw_publish;
} AppHarness;

/* a new subscriber for every scenario, pointed where the window says */
static void
app_started_cb (FcmProbe   *probe,
                const char *id,
                const char *title,
                AppHarness *h)
{
  g_autoptr(FcmHubClient) client = fcm_hub_client_new (h->hub_url, h->topic);

  g_clear_object (&h->monitor);
  fcm_hub_client_set_subscriber_name (client, "FcmMonitor under test");
  fcm_hub_client_set_reconnect_delay (client, 200, 1000);
  h->monitor = fcm_monitor_new (client);
  fcm_hub_client_subscribe_async (client, NULL, NULL, NULL);
}

static void
app_action_cb (FcmSubscriberProbe       *probe,
               FcmSubscriberProbeAction  action,
               const char               *text,
               AppHarness               *h)
{
  FcmHubClient *client = h->monitor != NULL ? fcm_monitor_get_client (h->monitor) : NULL;
  const char *status = gtk_label_get_text (h->window->status_label);

  /* the window runs first (connected first): it already says what it waits for */
  if (strstr (status, "is waiting for the app") != NULL)
    h->saw_waiting = TRUE;
  if (action == FCM_SUBSCRIBER_PROBE_ACTION_CONNECT &&
      strstr (status, ": subscribe the app to the hub.url and hub.topic above") != NULL)
    h->saw_connect = TRUE;
  if (action == FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH &&
      strstr (status, "“Request accepted, then rejected”, is waiting for the app") != NULL &&
      strstr (status, ": make the app request a context change") != NULL)
    h->saw_publish = TRUE;
  if (client == NULL)
    return;
  if (action == FCM_SUBSCRIBER_PROBE_ACTION_DISCONNECT)
    fcm_hub_client_unsubscribe_async (client, NULL, NULL, NULL);
  else if (action == FCM_SUBSCRIBER_PROBE_ACTION_PUBLISH)
    {
      g_autoptr(JsonArray) context = fcm_context_build_open ("rpt-window", "pat-window", "st-window", NULL, NULL);
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format_iso8601 (now);
      g_autoptr(FcmEvent) event = fcm_event_new (id, stamp, h->topic, "DiagnosticReport-open", context, NULL, NULL);

      fcm_hub_client_publish_async (client, event, NULL, NULL, NULL);
    }
}

typedef struct
{
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ClipboardRead *r = data;

  r->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  r->done = TRUE;
}

static char *
clipboard_text (GtkWidget *widget)
{
  ClipboardRead r = { FALSE, NULL };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_read_cb, &r);
  FCM_TEST_WAIT_UNTIL (r.done);
  return r.text;
}

static void
test_app_client_library (void)
{
  FcmWindow *main_window = g_object_ref (fcm_window_new (the_app));
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fcm-probe-window-XXXXXX", NULL);
  g_autofree char *junit = NULL;
  g_autofree char *ndjson = NULL;
  g_autofree char *copied = NULL;
  FcmProbeWindow *window;
  FcmProbe *probe;
  AppHarness h = { NULL, };
  guint n;

  gtk_window_present (GTK_WINDOW (main_window));
  window = fcm_probe_window_new_for_app (GTK_WINDOW (main_window), &error);
  g_assert_no_error (error);
  g_assert_nonnull (window);
  probe = _fcm_probe_window_get_probe (window);
  fcm_probe_set_timeout (probe, APP_PROBE_TIMEOUT);
  fcm_probe_set_window (probe, APP_PROBE_WINDOW);
  fcm_subscriber_probe_set_lease (FCM_SUBSCRIBER_PROBE (probe), APP_PROBE_LEASE);
  _fcm_probe_window_set_connect_timeout (window, APP_CONNECT_TIMEOUT);
  gtk_window_present (GTK_WINDOW (window));
  n = n_scenarios (window);

  /* where to point the app: shown, and copied as shown */
  g_assert_true (gtk_widget_get_visible (window->app_box));
  g_assert_false (gtk_widget_get_visible (window->target_box));
  h.window = window;
  h.hub_url = g_strdup (gtk_label_get_text (window->app_url_label));
  h.topic = g_strdup (gtk_label_get_text (window->app_topic_label));
  g_assert_true (g_str_has_prefix (h.hub_url, "http://127.0.0.1:"));
  g_assert_cmpstr (h.hub_url, ==, fcm_subscriber_probe_get_hub_url (FCM_SUBSCRIBER_PROBE (probe)));
  g_assert_cmpstr (h.topic, ==, fcm_subscriber_probe_get_topic (FCM_SUBSCRIBER_PROBE (probe)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "probe.copy-topic", NULL));
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, h.topic);
  g_assert_cmpstr (_fcm_probe_window_get_last_toast (window), ==, "Copied the topic");

  g_signal_connect (probe, "scenario-started", G_CALLBACK (app_started_cb), &h);
  g_signal_connect (probe, "action-requested", G_CALLBACK (app_action_cb), &h);
  fcm_probe_window_run (window);
  wait_for_run (window);
  g_signal_handlers_disconnect_by_data (probe, &h);
  g_clear_object (&h.monitor);

  assert_all_passed (window, n);
  g_assert_true (h.saw_waiting);
  g_assert_true (h.saw_connect);
  g_assert_true (h.saw_publish);
  {
    g_autofree char *summary = g_strdup_printf ("%u passed, 0 failed, 0 warnings", n);

    g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, summary);
  }
  g_assert_false (gtk_widget_has_css_class (window->status_box, "probe-waiting"));

  ndjson = export_to (window, FCM_PROBE_REPORT_KIND_NDJSON, dir, "app.ndjson");
  assert_ndjson (ndjson, n, "subscriber", "pass");
  junit = export_to (window, FCM_PROBE_REPORT_KIND_JUNIT, dir, "app.xml");
  assert_junit (junit, n, 0, "fhircast.probe.subscriber");
  {
    g_autofree char *p1 = g_build_filename (dir, "app.ndjson", NULL);
    g_autofree char *p2 = g_build_filename (dir, "app.xml", NULL);

    g_unlink (p1);
    g_unlink (p2);
    g_rmdir (dir);
  }
  g_free (h.hub_url);
  g_free (h.topic);
  close_all (the_app, main_window);
}

/* Nobody connects: the window says which scenario waits and for what, and
 * highlights it; the scenario is skipped when the time is up. */
static void
test_app_waiting (void)
{
  FcmWindow *main_window = g_object_ref (fcm_window_new (the_app));
  g_autoptr(GError) error = NULL;
  FcmProbeWindow *window = fcm_probe_window_new_for_app (GTK_WINDOW (main_window), &error);
  const char *status;
  FcmProbeResult *result;

  g_assert_no_error (error);
  _fcm_probe_window_set_connect_timeout (window, 1.0);
  choose_only (window, "subscribe");
  gtk_window_present (GTK_WINDOW (window));
  fcm_probe_window_run (window);
  FCM_TEST_WAIT_UNTIL (window->asked != NULL);
  status = gtk_label_get_text (window->status_label);
  g_assert_true (g_str_has_prefix (status, "Scenario 1 of 1, “Subscribe request”, is waiting for the app (0:0"));
  g_assert_true (g_str_has_suffix (status, "left): subscribe the app to the hub.url and hub.topic above"));
  /* the probe's own words are in the evidence */
  {
    g_autofree char *evidence = evidence_text (window);

    g_assert_nonnull (strstr (evidence, "⇄ Connect the app: hub.url http://127.0.0.1:"));
  }
  g_assert_true (gtk_widget_has_css_class (window->status_box, "probe-waiting"));
  wait_for_run (window);
  result = fcm_probe_item_get_result (item_at (window, 0));
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, FCM_PROBE_VERDICT_SKIPPED);
  g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, "0 passed, 0 failed, 0 warnings, 1 skipped");
  g_assert_false (gtk_widget_has_css_class (window->status_box, "probe-waiting"));
  close_all (the_app, main_window);
}


int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-probe-window-app"))
    return 77;

  g_test_add_func ("/fcm/probe-window/app/client-library", test_app_client_library);
  g_test_add_func ("/fcm/probe-window/app/waiting", test_app_waiting);

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  return status;
}

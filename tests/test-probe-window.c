/* test-probe-window.c: "Test a Hub…", a real window on real probes
 *
 * Test a Hub against the built-in hub shows every scenario passing, and
 * one made to fail by the hub's admin fault shown as failed with its rule;
 * the reports it exports parse as NDJSON and JUnit. Stop, the choice of
 * scenarios, an unreachable hub (its token never shown), the main window's
 * actions and menus, and 800×600. Test an App: test-probe-window-app.c.
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

/* ------------------------------------------------------------- Test a Hub */

static void
test_hub_conformant (void)
{
  FcmWindow *main_window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (the_app, &main_window);
  g_autofree char *dir = g_dir_make_tmp ("fcm-probe-window-XXXXXX", NULL);
  g_autofree char *ndjson = NULL;
  g_autofree char *junit = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected_toast = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *a11y = NULL;
  g_autofree char *ndjson_path = NULL;
  FcmProbeWindow *window;
  guint n;

  window = fcm_probe_window_new_for_hub (GTK_WINDOW (main_window), connection);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  tune_hub_probe (window);
  n = n_scenarios (window);
  g_assert_cmpuint (n, >=, 19);
  gtk_window_present (GTK_WINDOW (window));

  /* before the run: every scenario pending */
  g_assert_cmpuint (g_list_model_get_n_items (_fcm_probe_window_get_items (window)), ==, n);
  g_assert_cmpint (fcm_probe_item_get_state (item_at (window, 0)), ==, FCM_PROBE_ITEM_PENDING);
  g_assert_cmpstr (gtk_label_get_text (window->target_url_label), ==,
                   fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
  g_assert_cmpstr (gtk_label_get_text (window->target_topic_label), ==, "A new topic for each scenario");
  g_assert_cmpstr (gtk_label_get_text (window->target_token_label), ==, "None");

  fcm_probe_window_run (window);
  g_assert_true (gtk_widget_get_visible (window->stop_button));
  g_assert_false (gtk_widget_get_visible (window->run_button));
  g_assert_true (gtk_widget_grab_focus (window->stop_button));
  /* the rows fill in as the scenarios finish */
  WAIT_LONG (fcm_probe_item_get_state (item_at (window, 0)) == FCM_PROBE_ITEM_DONE, 30);
  g_assert_true (fcm_probe_get_running (_fcm_probe_window_get_probe (window)));
  g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, "1 passed, 0 failed, 0 warnings");
  wait_for_run (window);

  assert_all_passed (window, n);
  summary = g_strdup_printf ("%u passed, 0 failed, 0 warnings", n);
  g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, summary);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->status_label), "Finished: "));
  g_assert_false (gtk_widget_get_visible (window->stop_button));
  g_assert_true (gtk_widget_get_visible (window->run_button));
  /* the keyboard focus went from Stop to Run Again */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == window->run_button);

  /* a row says its verdict in words, with an icon and a colour */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  {
    GtkWidget *passed = fcm_test_find_widget_matching (GTK_WIDGET (window->scenario_list), is_label_with_text,
                                                       "Passed");
    GtkWidget *badge;

    g_assert_nonnull (passed);
    badge = gtk_widget_get_parent (passed);
    g_assert_true (gtk_widget_has_css_class (badge, "success"));
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_first_child (badge)));
    g_assert_true (GTK_IS_IMAGE (gtk_widget_get_first_child (badge)));
    a11y = fcm_probe_item_dup_a11y_text (item_at (window, 0));
    g_assert_true (g_str_has_prefix (a11y, "Discovery document: Passed. Rules H-01. "));
    /* the row's accessible name is that sentence, for one of the scenarios */
    {
      GtkAccessible *row = GTK_ACCESSIBLE (gtk_widget_get_parent (gtk_widget_get_parent (badge)));
      gboolean named = FALSE;

      for (guint i = 0; i < n && !named; i++)
        {
          g_autofree char *text = fcm_probe_item_dup_a11y_text (item_at (window, i));
          g_autofree char *mismatch = gtk_test_accessible_check_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, text);

          named = mismatch == NULL;
        }
      g_assert_true (named);
    }
  }

  /* the selected scenario's checks and evidence, redacted */
  _fcm_probe_window_select (window, 1);
  evidence = evidence_text (window);
  g_assert_true (g_str_has_prefix (evidence, "subscribe ("));
  g_assert_nonnull (strstr (evidence, "evidence:"));
  g_assert_nonnull (strstr (evidence, "→ POST "));
  g_assert_nonnull (strstr (evidence, "/ws/"));
  {
    g_autoptr(GRegex) full_id = g_regex_new ("/ws/[0-9a-f]{5}", 0, 0, NULL);

    g_assert_false (g_regex_match (full_id, evidence, 0, NULL));
  }
  g_assert_cmpstr (gtk_label_get_text (window->evidence_title), ==, fcm_probe_item_get_title (item_at (window, 1)));

  /* both reports */
  ndjson = export_to (window, FCM_PROBE_REPORT_KIND_NDJSON, dir, "hub.ndjson");
  assert_ndjson (ndjson, n, "hub", "pass");
  ndjson_path = g_build_filename (dir, "hub.ndjson", NULL);
  expected_toast = g_strdup_printf ("Exported %u results to %s", n, ndjson_path);
  g_assert_cmpstr (_fcm_probe_window_get_last_toast (window), ==, expected_toast);
  junit = export_to (window, FCM_PROBE_REPORT_KIND_JUNIT, dir, "hub.xml");
  assert_junit (junit, n, 0, "fhircast.probe.hub");

  {
    g_autofree char *p1 = g_build_filename (dir, "hub.xml", NULL);

    g_unlink (ndjson_path);
    g_unlink (p1);
    g_rmdir (dir);
  }
  close_all (the_app, main_window);
}

/* The hub's admin fault (docs/hub.md --admin): every context change on the
 * session topic is accepted with 202 and then dropped, so the probe's
 * broadcast, run on that topic, fails H-18; the window shows it failed.
 * The connection has a token: the probe uses it and never shows it. */
static void
test_hub_fault (void)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *origin = NULL;
  g_autofree char *list_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *evidence = NULL;
  g_autofree char *ndjson = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *topic = "probe-window-session";
  const char *token = "probe-window-token-never-shown";
  FcmWindow *main_window;
  FcmProbeWindow *window;
  FcmProbeResult *result;
  JsonArray *subscribers;

  fcm_hub_set_admin (hub, TRUE);
  fcm_hub_set_ack_timeout (hub, HUB_ACK_TIMEOUT);
  fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error);
  g_assert_no_error (error);
  connection = fcm_connection_new (fcm_hub_get_url (hub), topic, "FHIRcast Monitor");
  fcm_hub_client_set_token (fcm_connection_get_client (connection), token);
  fcm_application_add_connection (the_app, connection);
  main_window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  gtk_window_present (GTK_WINDOW (main_window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));

  origin = g_strndup (fcm_hub_get_url (hub), strlen (fcm_hub_get_url (hub)) - strlen (FCM_HUB_BASE_PATH));
  list_url = g_strconcat (origin, "/admin/subscribers?topic=", topic, NULL);
  g_assert_cmpuint (fcm_test_http (session, "GET", list_url, NULL, NULL, 0, NULL, &body), ==, 200);
  root = fcm_json_parse (body, -1, &error);
  g_assert_no_error (error);
  subscribers = fcm_json_get_array (json_node_get_object (root), "subscribers");
  g_assert_cmpuint (json_array_get_length (subscribers), ==, 1);
  fault = g_strdup_printf ("%s/admin/subscribers/%s/async?mode=reject&count=all", origin,
                           fcm_json_get_string (fcm_json_array_get_object (subscribers, 0), "endpoint"));
  g_assert_cmpuint (fcm_test_http (session, "POST", fault, NULL, NULL, 0, NULL, NULL), ==, 200);

  window = fcm_probe_window_new_for_hub (GTK_WINDOW (main_window), connection);
  tune_hub_probe (window);
  fcm_probe_set_timeout (_fcm_probe_window_get_probe (window), 1.0);
  gtk_window_present (GTK_WINDOW (window));
  /* the session topic, and only the broadcast scenario */
  g_assert_true (gtk_widget_get_visible (window->use_topic_box));
  gtk_check_button_set_active (window->use_topic_check, TRUE);
  g_assert_cmpstr (gtk_label_get_text (window->target_topic_label), ==, topic);
  g_assert_cmpstr (gtk_label_get_text (window->target_token_label), ==, "From the keyring (not shown)");
  choose_only (window, "broadcast");
  fcm_probe_window_run (window);
  g_assert_cmpuint (g_list_model_get_n_items (_fcm_probe_window_get_items (window)), ==, 1);
  wait_for_run (window);

  result = fcm_probe_item_get_result (item_at (window, 0));
  g_assert_nonnull (result);
  g_assert_cmpint (fcm_probe_result_get_verdict (result), ==, FCM_PROBE_VERDICT_FAIL);
  g_assert_true (fcm_probe_result_has_failed_rule (result, "H-18"));
  g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, "0 passed, 1 failed, 0 warnings");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window->status_icon), "error"));
  /* the failure is selected: its reason above, the failed check below */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->evidence_message), "Failed: "));
  evidence = evidence_text (window);
  g_assert_nonnull (strstr (evidence, "✗ H-18 "));
  g_assert_null (strstr (evidence, token));
  ndjson = fcm_probe_report_ndjson (fcm_probe_get_results (_fcm_probe_window_get_probe (window)));
  g_assert_null (strstr (ndjson, token));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  {
    GtkWidget *failed = fcm_test_find_widget_matching (GTK_WIDGET (window->scenario_list), is_label_with_text,
                                                       "Failed");

    g_assert_nonnull (failed);
    g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (failed), "error"));
  }
  close_all (the_app, main_window);
}

/* Stop keeps the results so far; what did not run says so; Run Again runs
 * the chosen scenarios; nothing chosen, nothing to run. */
static void
cancel_after_first_cb (FcmProbe       *probe,
                       FcmProbeResult *result,
                       FcmProbeWindow *window)
{
  fcm_probe_window_stop (window);
}

static void
test_hub_stop_and_choose (void)
{
  FcmWindow *main_window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (the_app, &main_window);
  FcmProbeWindow *window = fcm_probe_window_new_for_hub (GTK_WINDOW (main_window), connection);
  FcmProbe *probe = _fcm_probe_window_get_probe (window);
  g_autofree char *status = NULL;
  gulong handler;
  guint n = n_scenarios (window);

  tune_hub_probe (window);
  gtk_window_present (GTK_WINDOW (window));
  handler = g_signal_connect (probe, "scenario-finished", G_CALLBACK (cancel_after_first_cb), window);
  fcm_probe_window_run (window);
  wait_for_run (window);
  g_signal_handler_disconnect (probe, handler);

  g_assert_true (window->stopped);
  g_assert_cmpint (fcm_probe_item_get_state (item_at (window, 0)), ==, FCM_PROBE_ITEM_DONE);
  g_assert_cmpint (fcm_probe_item_get_state (item_at (window, n - 1)), ==, FCM_PROBE_ITEM_NOT_RUN);
  status = g_strdup_printf ("Stopped after 1 of %u scenarios", n);
  g_assert_cmpstr (gtk_label_get_text (window->status_label), ==, status);
  g_assert_cmpstr (gtk_label_get_text (window->summary_label), ==, "1 passed, 0 failed, 0 warnings");

  /* nothing chosen: Run is off (its buttons follow the action) */
  g_assert_true (gtk_widget_get_sensitive (window->run_button));
  gtk_widget_activate_action (GTK_WIDGET (window), "probe.select-none", NULL);
  g_assert_false (gtk_widget_get_sensitive (window->run_button));

  /* two chosen: two rows, both run */
  choose_only (window, "discovery");
  for (guint i = 0; i < window->checks->len; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (g_ptr_array_index (window->checks, i)), "scenario-id"),
                   "get-context") == 0)
      gtk_check_button_set_active (g_ptr_array_index (window->checks, i), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "probe.run", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (_fcm_probe_window_get_items (window)), ==, 2);
  g_assert_cmpstr (fcm_probe_item_get_id (item_at (window, 1)), ==, "get-context");
  wait_for_run (window);
  assert_all_passed (window, 2);
  g_assert_false (window->stopped);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->status_label), "Finished: 2 scenarios in "));
  close_all (the_app, main_window);
}

/* A hub nobody answers at: the run cannot start, the window says why; the
 * connection's token is used, never shown, never in a report. */
static void
test_hub_unreachable (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(FcmConnection) connection = NULL;
  g_autofree char *url = NULL;
  FcmWindow *main_window = fcm_window_new (the_app);
  FcmProbeWindow *window;
  const char *token = "s3cret-token-never-shown";

  g_object_ref (main_window);
  /* a port that was free a moment ago and is closed now */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/fhircast", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  connection = fcm_connection_new (url, "some-topic", NULL);
  fcm_hub_client_set_token (fcm_connection_get_client (connection), token);
  window = fcm_probe_window_new_for_hub (GTK_WINDOW (main_window), connection);
  g_assert_cmpstr (gtk_label_get_text (window->target_token_label), ==, "From the keyring (not shown)");
  gtk_window_present (GTK_WINDOW (window));
  fcm_probe_window_run (window);
  wait_for_run (window);

  g_assert_nonnull (window->run_error);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (window->status_label), "The probe could not run: "));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->status_icon)));
  g_assert_cmpint (fcm_probe_item_get_state (item_at (window, 0)), ==, FCM_PROBE_ITEM_NOT_RUN);
  g_assert_null (strstr (gtk_label_get_text (window->status_label), token));
  {
    g_autofree char *ndjson = fcm_probe_report_ndjson (fcm_probe_get_results (_fcm_probe_window_get_probe (window)));

    g_assert_null (strstr (ndjson, token));
  }
  close_all (the_app, main_window);
}


/* ------------------------------------------------- from the main window */

static FcmProbeWindow *
find_probe_window (gboolean for_app,
                   guint   *n_found)
{
  FcmProbeWindow *found = NULL;

  *n_found = 0;
  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (the_app)); l != NULL; l = l->next)
    if (FCM_IS_PROBE_WINDOW (l->data) && fcm_probe_window_get_for_app (l->data) == for_app)
      {
        found = l->data;
        (*n_found)++;
      }
  return found;
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      link = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (link != NULL)
        {
          gboolean found = menu_has_action (link, action);

          g_object_unref (link);
          if (found)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_main_window_actions (void)
{
  FcmWindow *main_window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (the_app, &main_window);
  GtkWidget *menu_button = fcm_test_find_widget (GTK_WIDGET (main_window), GTK_TYPE_MENU_BUTTON);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  FcmProbeWindow *hub_window, *again, *app_window;
  guint n;

  g_assert_true (menu_has_action (menu, "win.test-hub"));
  g_assert_true (menu_has_action (menu, "win.test-app"));

  /* Test a Hub… opens a window for the shown hub and starts it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.test-hub", NULL));
  hub_window = find_probe_window (FALSE, &n);
  g_assert_nonnull (hub_window);
  g_assert_true (fcm_probe_window_get_connection (hub_window) == connection);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (hub_window)) == GTK_WINDOW (main_window));
  g_assert_true (fcm_probe_get_running (_fcm_probe_window_get_probe (hub_window)));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (hub_window)), ==, "Test a Hub");
  /* again, and from the sidebar's menu: the same window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.test-hub", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.test-hub-at", "u", 0));
  again = find_probe_window (FALSE, &n);
  g_assert_true (again == hub_window);
  g_assert_cmpuint (n, ==, 1);
  /* the sidebar's context menu of the hub's row names that action */
  {
    GtkWidget *popover = _fcm_window_show_hub_menu (main_window, 0);
    GMenuModel *hub_menu;
    g_autoptr(GVariant) target = NULL;
    g_autofree char *action = NULL;

    g_assert_true (GTK_IS_POPOVER_MENU (popover));
    g_object_ref (popover);
    hub_menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
    g_assert_cmpint (g_menu_model_get_n_items (hub_menu), ==, 1);
    g_assert_true (g_menu_model_get_item_attribute (hub_menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.test-hub-at");
    target = g_menu_model_get_item_attribute_value (hub_menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_UINT32);
    g_assert_cmpuint (g_variant_get_uint32 (target), ==, 0);
    FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (popover));
    gtk_popover_popdown (GTK_POPOVER (popover));
    FCM_TEST_WAIT_UNTIL (gtk_widget_get_parent (popover) == NULL);
    g_assert_finalize_object (popover);
  }

  /* Test an App… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.test-app", NULL));
  app_window = find_probe_window (TRUE, &n);
  g_assert_nonnull (app_window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (app_window)), ==, "Test an App");
  g_assert_true (fcm_probe_get_running (_fcm_probe_window_get_probe (app_window)));
  FCM_TEST_WAIT_UNTIL (app_window->asked != NULL);

  /* accessible names of the controls that have no visible text */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (hub_window->export_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Export Report");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (hub_window->scenarios_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Choose Scenarios");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (hub_window->stop_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Stop");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (hub_window->run_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Run Again");

  /* closing a window that runs stops its probe */
  fcm_probe_window_stop (app_window);
  fcm_probe_window_stop (hub_window);
  wait_for_run (app_window);
  wait_for_run (hub_window);
  close_all (the_app, main_window);
}

/* 800×600: the list and the evidence side by side, inside the window */
static void
test_small (void)
{
  FcmWindow *main_window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (the_app, &main_window);
  FcmProbeWindow *window = fcm_probe_window_new_for_hub (GTK_WINDOW (main_window), connection);
  graphene_point_t p;

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) > 0 &&
                       gtk_widget_get_width (GTK_WIDGET (window)) <= 800 &&
                       gtk_widget_get_width (GTK_WIDGET (window->evidence_view)) > 0);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, 600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->scenario_list)), >=, 260);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->evidence_view)), >=, 260);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window->scenario_list)), >=, 200);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (window->evidence_view), GTK_WIDGET (window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (GTK_WIDGET (window->evidence_view)), 0),
                                           &p));
  g_assert_cmpfloat (p.x, <=, 800);
  close_all (the_app, main_window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-probe-window"))
    return 77;

  g_test_add_func ("/fcm/probe-window/hub/conformant", test_hub_conformant);
  g_test_add_func ("/fcm/probe-window/hub/admin-fault", test_hub_fault);
  g_test_add_func ("/fcm/probe-window/hub/stop-and-choose", test_hub_stop_and_choose);
  g_test_add_func ("/fcm/probe-window/hub/unreachable", test_hub_unreachable);
  g_test_add_func ("/fcm/probe-window/main-window-actions", test_main_window_actions);
  g_test_add_func ("/fcm/probe-window/small", test_small);

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  return status;
}

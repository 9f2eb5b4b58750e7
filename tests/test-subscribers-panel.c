/* test-subscribers-panel.c: the subscribers panel in the real window
 *
 * The built-in hub with other subscribers (one refuses what it gets), a
 * burst of events while the panel is shown, a remote hub that shares
 * nothing and one that serves /admin/subscribers on loopback, the
 * Ctrl+Shift+S shortcut, the accessible names and 800×600.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-gtk-test-util.h"
#include "fcm-subscribers-panel-private.h"
#include "fcm-test-util.h"
#include "fcm-window-private.h"

static FcmApplication *the_app;

typedef struct
{
  FcmWindow      *window;
  FcmWindowParts  parts;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GSettings *settings = fcm_application_get_settings (the_app);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      g_assert_finalize_object (f->window);
    }
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));
}

/* Adds @connection to the app; its window shown at @width×@height */
static void
add_connection (Fixture       *f,
                FcmConnection *connection,
                int            width,
                int            height)
{
  fcm_application_add_connection (the_app, connection);
  f->window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app))));
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  fcm_window_get_parts (f->window, &f->parts);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
}

static FcmSubscribersPanel *
panel (Fixture *f)
{
  return FCM_SUBSCRIBERS_PANEL (f->parts.subscribers_panel);
}

static void
show_panel (Fixture *f)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-subscribers", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (f->parts.subscribers_panel));
}

static void
subscribe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_assert_true (fcm_hub_client_subscribe_finish (FCM_HUB_CLIENT (source), result, NULL));
  *(gboolean *) data = TRUE;
}

/* Another app in the session */
static FcmHubClient *
other_app (FcmConnection *connection,
           const char    *name,
           guint          ack_status)
{
  FcmHubClient *mine = fcm_connection_get_client (connection);
  FcmHubClient *client = fcm_hub_client_new (fcm_hub_client_get_hub_url (mine), fcm_hub_client_get_topic (mine));
  gboolean done = FALSE;

  fcm_hub_client_set_subscriber_name (client, name);
  fcm_hub_client_set_ack_policy (client, NULL, ack_status);
  fcm_hub_client_subscribe_async (client, NULL, subscribe_cb, &done);
  FCM_TEST_WAIT_UNTIL (done && fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  return client;
}

/* The row whose first line is @name, or -1 */
static int
find_row (FcmSubscribersPanel *p,
          const char          *name)
{
  for (guint i = 0; i < _fcm_subscribers_panel_get_n_rows (p); i++)
    {
      g_autofree char *text = _fcm_subscribers_panel_dup_row_text (p, i);
      g_autofree char *first = g_strdup (text);

      *strchr (first, '\n') = '\0';
      if (g_str_equal (first, name))
        return (int) i;
    }
  return -1;
}

static gboolean
row_has (FcmSubscribersPanel *p,
         const char          *name,
         const char          *needle)
{
  int i = find_row (p, name);
  g_autofree char *text = i >= 0 ? _fcm_subscribers_panel_dup_row_text (p, (guint) i) : NULL;

  return text != NULL && strstr (text, needle) != NULL;
}

static void
publish_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  guint *left = data;

  g_assert_cmpuint (fcm_connection_publish_finish (FCM_CONNECTION (source), result, NULL, NULL), ==, 200);
  (*left)--;
}

static void
open_report (FcmConnection *connection,
             const char    *report)
{
  guint left = 1;

  fcm_connection_publish_async (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                fcm_context_build_open (report, "pat-1", "st-1", "ACC-1", "MRN-1"),
                                NULL, publish_cb, &left);
  FCM_TEST_WAIT_UNTIL (left == 0);
}

static gboolean
is_subscribers_toggle (GtkWidget     *widget,
                       gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Show Subscribers (Ctrl+Shift+S)") == 0;
}

/* What the built-in hub itself counts for @name */
static guint64
hub_acks_of (FcmHub     *hub,
             const char *name)
{
  g_autoptr(GPtrArray) list = fcm_hub_list_subscribers (hub, NULL);

  for (guint i = 0; i < list->len; i++)
    {
      FcmHubSubscriberInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info->acks;
    }
  return 0;
}

/* Nothing in the panel shows an endpoint id in full (C-09, H-02): not the
 * rows, not what a screen reader reads */
static void
assert_no_endpoint (FcmSubscribersPanel *p,
                    const char          *endpoint)
{
  const char *id = strrchr (endpoint, '/') + 1;

  for (guint i = 0; i < _fcm_subscribers_panel_get_n_rows (p); i++)
    {
      g_autofree char *text = _fcm_subscribers_panel_dup_row_text (p, i);
      GtkWidget *row = _fcm_subscribers_panel_get_row (p, i);

      g_assert_null (strstr (text, id));
      g_assert_null (strstr (g_object_get_data (G_OBJECT (row), "fcm-a11y-label"), id));
    }
}

/* The built-in hub: every subscriber with its figures, from the hub
 * object; ours marked; a refusing one counted; ids never in full */
static void
test_builtin (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = fcm_connection_new_embedded (&error);
  g_autoptr(FcmHubClient) viewer = NULL;
  g_autoptr(FcmHubClient) triage = NULL;
  FcmSubscribersPanel *p;
  GtkWidget *toggle;
  int own;

  g_assert_no_error (error);
  fcm_hub_client_set_subscriber_name (fcm_connection_get_client (connection), "FHIRcast Monitor");
  add_connection (f, connection, 1366, 768);
  p = panel (f);

  /* hidden at first; a header button with a name shows it */
  g_assert_false (gtk_widget_get_mapped (f->parts.subscribers_panel));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (f->parts.subscribers_panel),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Subscribers");
  toggle = fcm_test_find_widget_matching (GTK_WIDGET (f->window), is_subscribers_toggle, NULL);
  g_assert_nonnull (toggle);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, "Show subscribers");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_true (gtk_widget_get_visible (toggle));   /* there is room at 1366 */

  viewer = other_app (connection, "PACS Viewer", 200);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (f->parts.subscribers_panel));
  g_assert_cmpint (_fcm_subscribers_panel_get_source (p), ==, FCM_SUBSCRIBERS_SOURCE_HUB);
  g_assert_nonnull (strstr (_fcm_subscribers_panel_get_source_text (p), "built-in hub"));
  g_assert_cmpuint (_fcm_subscribers_panel_get_n_rows (p), ==, 2);
  own = find_row (p, "FHIRcast Monitor");
  g_assert_cmpint (own, ==, 0);
  g_assert_true (row_has (p, "FHIRcast Monitor", "This app"));
  g_assert_false (row_has (p, "PACS Viewer", "This app"));
  g_assert_true (row_has (p, "PACS Viewer", "0 acks · 0 refused · 0 missed"));
  g_assert_true (row_has (p, "PACS Viewer", "Connected · no ack yet · endpoint "));
  g_assert_true (row_has (p, "PACS Viewer", "DiagnosticReport-open/close/update/select, SyncError"));

  /* a newcomer appears by itself, live */
  triage = other_app (connection, "AI Triage", 409);
  FCM_TEST_WAIT_UNTIL (find_row (p, "AI Triage") == 2);

  /* an open: acks counted, a refusal counted (H-33), latency shown */
  open_report (connection, "rpt-1");
  FCM_TEST_WAIT_UNTIL (row_has (p, "PACS Viewer", "1 ack · 0 refused · 0 missed") &&
                       row_has (p, "AI Triage", "1 ack · 1 refused · 0 missed"));
  g_assert_true (row_has (p, "PACS Viewer", "last ack "));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (fcm_connection_get_client (connection)));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (viewer));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (triage));
  /* a screen reader hears the row as one sentence */
  {
    GtkWidget *row = _fcm_subscribers_panel_get_row (p, (guint) find_row (p, "AI Triage"));
    const char *label = g_object_get_data (G_OBJECT (row), "fcm-a11y-label");

    g_assert_true (g_str_has_prefix (label, "AI Triage. Connected, last ack "));
    g_assert_nonnull (strstr (label, "1 ack, 1 refused, 0 missed. Events: "));
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  }

  /* one leaves */
  g_clear_object (&triage);
  FCM_TEST_WAIT_UNTIL (find_row (p, "AI Triage") == -1 ||
                       row_has (p, "AI Triage", "Not connected"));

  /* hidden, it does nothing; shown again, it is up to date */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-subscribers", NULL);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (f->parts.subscribers_panel));
  {
    guint updates = _fcm_subscribers_panel_get_n_updates (p);

    open_report (connection, "rpt-2");
    FCM_TEST_WAIT_UNTIL (hub_acks_of (fcm_connection_get_hub (connection), "PACS Viewer") == 2);
    /* past the hub's next signal */
    {
      gint64 until = g_get_monotonic_time () + 2 * FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS * 1000;
      guint wake = g_timeout_add (20, fcm_test_wakeup, NULL);

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (wake);
    }
    g_assert_cmpuint (_fcm_subscribers_panel_get_n_updates (p), ==, updates);
  }
  show_panel (f);
  g_assert_true (row_has (p, "PACS Viewer", "2 acks · 0 refused · 0 missed"));
}

/* A burst of events while the panel is shown costs it nothing per event:
 * it is updated at most every FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS and
 * ends with the final figures */
static void
test_load (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = fcm_connection_new_embedded (&error);
  g_autoptr(FcmHubClient) viewer = NULL;
  g_autofree char *expected = NULL;
  const guint n = 150;
  guint left = n;
  guint updates;
  gint64 start, elapsed_ms;

  g_assert_no_error (error);
  add_connection (f, connection, 1366, 768);
  viewer = other_app (connection, "PACS Viewer", 200);
  show_panel (f);
  FCM_TEST_WAIT_UNTIL (find_row (panel (f), "PACS Viewer") >= 0);

  updates = _fcm_subscribers_panel_get_n_updates (panel (f));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *report = g_strdup_printf ("rpt-%u", i);

      fcm_connection_publish_async (connection, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                    fcm_context_build_open (report, "pat-1", "st-1", "ACC-1", "MRN-1"),
                                    NULL, publish_cb, &left);
    }
  expected = g_strdup_printf ("%u acks · 0 refused · 0 missed", n);
  FCM_TEST_WAIT_UNTIL (left == 0);
  FCM_TEST_WAIT_UNTIL (row_has (panel (f), "PACS Viewer", expected));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  updates = _fcm_subscribers_panel_get_n_updates (panel (f)) - updates;
  g_test_message ("%u events in %" G_GINT64_FORMAT " ms: the panel updated %u times", n, elapsed_ms, updates);
  g_assert_cmpuint (updates, <=, 2 + elapsed_ms / FCM_HUB_SUBSCRIBERS_CHANGED_INTERVAL_MS);
  g_assert_cmpuint (updates, <, n / 4);
}

/* A hub that shares nothing: only our own subscription, and the panel
 * says so */
static void
test_remote_own (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(FcmHubClient) viewer = NULL;
  FcmSubscribersPanel *p;

  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  connection = fcm_connection_new (fcm_hub_get_url (hub), "room-3", "Monitor Under Test");
  add_connection (f, connection, 1366, 768);
  viewer = other_app (connection, "PACS Viewer", 200);
  p = panel (f);
  show_panel (f);
  FCM_TEST_WAIT_UNTIL (_fcm_subscribers_panel_get_source (p) == FCM_SUBSCRIBERS_SOURCE_OWN &&
                       _fcm_subscribers_panel_get_n_rows (p) == 1);
  g_assert_nonnull (strstr (_fcm_subscribers_panel_get_source_text (p),
                            "Only this app’s own subscription is known"));
  g_assert_cmpint (find_row (p, "Monitor Under Test"), ==, 0);
  g_assert_true (row_has (p, "Monitor Under Test", "This app"));
  g_assert_true (row_has (p, "Monitor Under Test", "Connected · endpoint "));
  g_assert_false (row_has (p, "Monitor Under Test", "acks"));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (fcm_connection_get_client (connection)));

  /* our state follows the client */
  fcm_hub_shutdown (hub);
  FCM_TEST_WAIT_UNTIL (!row_has (p, "Monitor Under Test", "Connected ·"));
}

/* `fhircast hub --admin` on this computer: every subscriber, from its
 * /admin/subscribers, endpoint ids redacted */
static void
test_remote_admin (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = NULL;
  g_autoptr(FcmHubClient) viewer = NULL;
  FcmSubscribersPanel *p;

  fcm_hub_set_admin (hub, TRUE);
  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  connection = fcm_connection_new (fcm_hub_get_url (hub), "room-4", "Monitor Under Test");
  add_connection (f, connection, 1366, 768);
  viewer = other_app (connection, "PACS Viewer", 409);
  p = panel (f);
  show_panel (f);
  FCM_TEST_WAIT_UNTIL (_fcm_subscribers_panel_get_source (p) == FCM_SUBSCRIBERS_SOURCE_ADMIN &&
                       _fcm_subscribers_panel_get_n_rows (p) == 2);
  g_assert_nonnull (strstr (_fcm_subscribers_panel_get_source_text (p), "/admin/subscribers"));
  g_assert_true (row_has (p, "Monitor Under Test", "This app"));
  g_assert_false (row_has (p, "PACS Viewer", "This app"));

  open_report (connection, "rpt-1");
  /* polled every 2 s */
  FCM_TEST_WAIT_UNTIL (row_has (p, "PACS Viewer", "1 ack · 1 refused · 0 missed"));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (fcm_connection_get_client (connection)));
  assert_no_endpoint (p, fcm_hub_client_get_endpoint (viewer));

  /* the hub gone: our own subscription, as for any remote hub */
  fcm_hub_shutdown (hub);
  FCM_TEST_WAIT_UNTIL (_fcm_subscribers_panel_get_source (p) == FCM_SUBSCRIBERS_SOURCE_OWN);
}

static GtkShortcut *
find_shortcut (GtkWidget  *widget,
               const char *action_name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), action_name) == 0)
            return g_steal_pointer (&shortcut);
        }
    }
  return NULL;
}

/* Ctrl+Shift+S shows and hides it; at 800×600 it folds over the timeline
 * and leaves the window usable; F6 reaches it */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmConnection) connection = fcm_connection_new_embedded (&error);
  g_autoptr(GtkShortcut) shortcut = NULL;
  GtkShortcutTrigger *trigger;
  GtkWidget *toggle = NULL;

  g_assert_no_error (error);
  add_connection (f, connection, 800, 600);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (f->window)) <= 800);

  /* the shortcut, through GTK's own shortcut machinery */
  shortcut = find_shortcut (GTK_WIDGET (f->window), "win.toggle-subscribers");
  g_assert_nonnull (shortcut);
  trigger = gtk_shortcut_get_trigger (shortcut);
  g_assert_true (GTK_IS_KEYVAL_TRIGGER (trigger));
  g_assert_cmpuint (gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))), ==, GDK_KEY_s);
  g_assert_cmpuint (gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)), ==,
                    GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->window), NULL));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (f->parts.subscribers_panel));

  /* the header's toggle follows; at this width it leaves its room to the
   * title and subtitle ("Sync lost"), the main menu has the panel too */
  toggle = fcm_test_find_widget_matching (GTK_WIDGET (f->window), is_subscribers_toggle, NULL);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  FCM_TEST_WAIT_UNTIL (adw_flap_get_folded (f->parts.flap) && !gtk_widget_get_visible (toggle));
  {
    GtkWidget *menu_button = fcm_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_MENU_BUTTON);
    GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
    g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
    gboolean found = FALSE;

    for (int i = 0; i < g_menu_model_get_n_items (section); i++)
      {
        g_autofree char *action = NULL;

        if (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
          found |= g_strcmp0 (action, "win.toggle-subscribers") == 0;
      }
    g_assert_true (found);
  }

  /* 800×600: over the timeline, not squeezing it; inside the window */
  FCM_TEST_WAIT_UNTIL (adw_flap_get_folded (f->parts.subscribers_flap) &&
                       adw_flap_get_reveal_progress (f->parts.subscribers_flap) == 1.0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  g_assert_cmpint (gtk_widget_get_width (f->parts.subscribers_panel), >=, 260);
  g_assert_cmpint (gtk_widget_get_width (f->parts.subscribers_panel), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (f->parts.timeline), >=, 500);
  {
    graphene_point_t p;

    g_assert_true (gtk_widget_compute_point (f->parts.subscribers_panel, GTK_WIDGET (f->window),
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (f->parts.subscribers_panel), 0),
                                             &p));
    g_assert_cmpfloat (p.x, <=, 800);
  }
  FCM_TEST_WAIT_UNTIL (_fcm_subscribers_panel_get_n_rows (panel (f)) == 1);

  /* F6 gets to its rows */
  {
    gboolean reached = FALSE;

    for (guint i = 0; i < 6 && !reached; i++)
      {
        gtk_widget_activate_action (GTK_WIDGET (f->window), "win.next-region", NULL);
        reached = gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), f->parts.subscribers_panel);
      }
    g_assert_true (reached);
  }

  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, GTK_WIDGET (f->window), NULL));
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_mapped (f->parts.subscribers_panel));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-subscribers-panel"))
    return 77;

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fcm/subscribers-panel/builtin", test_builtin);
  ADD ("/fcm/subscribers-panel/load", test_load);
  ADD ("/fcm/subscribers-panel/remote-own", test_remote_own);
  ADD ("/fcm/subscribers-panel/remote-admin", test_remote_admin);
  ADD ("/fcm/subscribers-panel/window", test_window);
#undef ADD

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  return status;
}

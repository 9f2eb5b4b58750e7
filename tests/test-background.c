/* test-background.c: the app as a workstation monitor (issue 12)
 *
 * Under the real FcmApplication, like test-window.c: starting in the
 * background, closing the window, Quit asking when other applications use
 * the built-in hub (and leaving cleanly when told to), the built-in hub's
 * port and topic kept across restarts and a taken port, hubs added with
 * Add Hub remembered, the preferences for all of it.
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-gtk-test-util.h"
#include "fcm-preferences-window.h"
#include "fcm-test-util.h"
#include "fcm-window-private.h"

typedef struct
{
  FcmApplication *app;
  GSettings      *settings;
} Fixture;

static FcmApplication *the_app;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const keys[] = {
    "hub-url", "topic", "run-in-background", "builtin-hub-port", "builtin-hub-topic", "hubs",
  };

  f->app = the_app;
  f->settings = g_object_ref (fcm_application_get_settings (f->app));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (f->settings, keys[i]);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Each test destroys what it created. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_clear_object (&f->settings);
}

static FcmConnection *
nth_connection (FcmWindow *window,
                guint      n)
{
  g_autoptr(FcmConnection) connection = g_list_model_get_item (fcm_window_get_connections (window), n);

  return connection;  /* the window holds it */
}

static void
destroy_window (FcmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* A restart: the window goes, and with it (once its last request is
 * answered) the connection and its built-in hub, which frees the port. */
static void
destroy_window_and_hub (FcmWindow *window)
{
  gpointer hub = fcm_connection_get_hub (nth_connection (window, 0));

  g_object_add_weak_pointer (hub, &hub);
  destroy_window (window);
  FCM_TEST_WAIT_UNTIL (hub == NULL);
}

static FcmWindow *
start_builtin (Fixture *f)
{
  FcmWindow *window;

  _fcm_application_start_default_connections (f->app);
  window = g_object_ref (_fcm_application_get_window (f->app));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (nth_connection (window, 0)));
  g_assert_true (fcm_connection_get_embedded (nth_connection (window, 0)));
  return window;
}

static const char *
builtin_url (FcmWindow *window)
{
  return fcm_hub_get_url (fcm_connection_get_hub (nth_connection (window, 0)));
}

static const char *
builtin_topic (FcmWindow *window)
{
  return fcm_hub_client_get_topic (fcm_connection_get_client (nth_connection (window, 0)));
}

/* ------------------------------------------------------------ background */

/* --background: the hubs and no window; activating shows it; closing
 * hides it again and keeps the connection (issue 12.1). */
static void
test_background_start (Fixture       *f,
                       gconstpointer  data)
{
  FcmWindow *window;
  FcmConnection *connection;

  _fcm_application_stop_following_settings (f->app);
  f->app->started_connections = FALSE;
  _fcm_application_start (f->app, FALSE);
  window = g_object_ref (_fcm_application_get_window (f->app));
  g_assert_nonnull (window);
  connection = nth_connection (window, 0);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* the app again, or the tray icon: the window */
  _fcm_application_start (f->app, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (nth_connection (window, 0) == connection);

  /* closing hides it, the connection stays live */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (_fcm_application_get_window (f->app) == window);
  g_assert_true (fcm_connection_get_live (connection));

  /* and the window comes back as it was */
  _fcm_application_start (f->app, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (nth_connection (window, 0) == connection);

  _fcm_application_stop_following_settings (f->app);
  destroy_window (window);
}

/* ------------------------------------------------------------------ Quit */

static void
test_describe_subscribers (Fixture       *f,
                           gconstpointer  data)
{
  const char *one[] = { "PACS", NULL };
  const char *two[] = { "Reporting App", "PACS", NULL };
  const char *three[] = { "Reporting App", "PACS", "", NULL };
  g_autofree char *a = _fcm_application_describe_subscribers (one);
  g_autofree char *b = _fcm_application_describe_subscribers (two);
  g_autofree char *c = _fcm_application_describe_subscribers (three);

  g_assert_cmpstr (a, ==, "PACS is connected to the built-in hub.");
  g_assert_cmpstr (b, ==, "Reporting App and PACS are connected to the built-in hub.");
  g_assert_cmpstr (c, ==, "Reporting App, PACS and An unnamed application are connected to the built-in hub.");
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

/* Quit names the other applications on the built-in hub and waits for an
 * answer; Cancel keeps everything (issue 12.1). */
static void
test_quit_asks (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FcmTestSubscriber) reporting = NULL;
  g_autoptr(FcmTestSubscriber) pacs = NULL;
  g_auto(GStrv) others = NULL;
  FcmWindow *window = start_builtin (f);
  AdwMessageDialog *dialog;

  gtk_window_present (GTK_WINDOW (window));
  /* alone on the hub: nobody to name */
  others = _fcm_application_dup_other_subscribers (f->app);
  g_assert_cmpuint (g_strv_length (others), ==, 0);
  g_clear_pointer (&others, g_strfreev);

  reporting = fcm_test_subscriber_new (builtin_url (window), builtin_topic (window), "Reporting App",
                                       "DiagnosticReport-open,SyncError");
  pacs = fcm_test_subscriber_new (builtin_url (window), "another-session", "PACS", "DiagnosticReport-open");
  others = _fcm_application_dup_other_subscribers (f->app);
  g_assert_cmpuint (g_strv_length (others), ==, 2);
  g_assert_cmpstr (others[0], ==, "Reporting App");
  g_assert_cmpstr (others[1], ==, "PACS");

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Quit FHIRcast Monitor?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Reporting App and PACS are connected to the built-in hub."));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  /* Ctrl+Q again: the same question, not a second one */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  g_assert_true (find_message_dialog () == dialog);

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
  g_assert_false (f->app->leaving);
  g_assert_true (fcm_connection_get_live (nth_connection (window, 0)));
  g_assert_false (reporting->closed);

  _fcm_application_stop_following_settings (f->app);
  destroy_window (window);
  FCM_TEST_WAIT_UNTIL (reporting->closed && pacs->closed);
}

/* ----------------------------------------------------- the built-in hub */

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* What the sidebar's copy button for @action puts on the clipboard. */
static char *
copy (FcmWindow  *window,
      const char *action)
{
  char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 clipboard_read_cb, &text);
  FCM_TEST_WAIT_UNTIL (text != NULL);
  return text;
}

/* Port and topic are chosen once and kept: a restart (a new window and new
 * connections) listens on the same port with the same topic (issue 12.5). */
static void
test_builtin_hub_kept (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *suffix = NULL;
  FcmWindow *window = start_builtin (f);
  guint port;

  url = g_strdup (builtin_url (window));
  topic = g_strdup (builtin_topic (window));
  port = (guint) g_settings_get_int (f->settings, "builtin-hub-port");
  g_assert_cmpuint (port, >, 0);
  suffix = g_strdup_printf (":%u/fhircast", port);
  g_assert_true (g_str_has_suffix (url, suffix));
  g_assert_cmpstr (g_settings_get_string (f->settings, "builtin-hub-topic"), ==, topic);
  /* storing them did not restart the hub */
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 1);
  _fcm_application_stop_following_settings (f->app);
  destroy_window_and_hub (window);

  window = start_builtin (f);
  g_assert_cmpstr (builtin_url (window), ==, url);
  g_assert_cmpstr (builtin_topic (window), ==, topic);

  /* what other applications are set up with, one click each in the sidebar */
  {
    g_autofree char *copied_url = copy (window, "win.copy-hub-url");
    g_autofree char *copied_topic = copy (window, "win.copy-topic");
    FcmWindowParts parts;

    fcm_window_get_parts (window, &parts);
    g_assert_cmpstr (gtk_label_get_text (parts.hub_url_label), ==, url);
    g_assert_cmpstr (copied_url, ==, url);
    g_assert_cmpstr (copied_topic, ==, topic);
  }

  /* changed in the preferences: the hub moves there */
  g_settings_set_int (f->settings, "builtin-hub-port", (int) _fcm_application_find_free_port (port));
  g_settings_set_string (f->settings, "builtin-hub-topic", "reading-room-2");
  moved = g_strdup_printf ("http://127.0.0.1:%d/fhircast", g_settings_get_int (f->settings, "builtin-hub-port"));
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (fcm_window_get_connections (window)) == 1 &&
                       fcm_connection_get_embedded (nth_connection (window, 0)) &&
                       g_strcmp0 (builtin_url (window), moved) == 0 &&
                       fcm_connection_get_live (nth_connection (window, 0)));
  g_assert_cmpstr (builtin_topic (window), ==, "reading-room-2");

  _fcm_application_stop_following_settings (f->app);
  destroy_window (window);
}

/* Another program has the port: the connection says so, and the app offers
 * a free port, which moves the hub there (issue 12.5). */
static void
test_builtin_hub_port_taken (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GSocket) squatter = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alert = NULL;
  g_autofree char *said = NULL;
  AdwMessageDialog *dialog;
  FcmWindow *window;
  guint port, offered;

  g_assert_true (g_socket_bind (squatter, any, TRUE, &error));
  g_assert_true (g_socket_listen (squatter, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (squatter, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_settings_set_int (f->settings, "builtin-hub-port", (int) port);

  window = g_object_ref (fcm_window_new (f->app));
  gtk_window_present (GTK_WINDOW (window));
  _fcm_application_start_default_connections (f->app);

  alert = fcm_connection_dup_alert (nth_connection (window, 0));
  said = g_strdup_printf ("Another program uses port %u", port);
  g_assert_nonnull (strstr (alert, said));
  g_assert_false (fcm_connection_get_embedded (nth_connection (window, 0)));

  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), said));
  offered = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "fcm-port"));
  g_assert_cmpuint (offered, !=, 0);
  g_assert_cmpuint (offered, !=, port);
  g_clear_pointer (&said, g_free);
  said = g_strdup_printf ("_Use Port %u", offered);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "use"), ==, said);

  adw_message_dialog_response (dialog, "use");
  g_assert_cmpint (g_settings_get_int (f->settings, "builtin-hub-port"), ==, (int) offered);
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (fcm_window_get_connections (window)) == 1 &&
                       fcm_connection_get_embedded (nth_connection (window, 0)) &&
                       fcm_connection_get_live (nth_connection (window, 0)));
  g_clear_pointer (&said, g_free);
  said = g_strdup_printf ("http://127.0.0.1:%u/fhircast", offered);
  g_assert_cmpstr (builtin_url (window), ==, said);

  if ((dialog = find_message_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  _fcm_application_stop_following_settings (f->app);
  destroy_window (window);
  g_socket_close (squatter, NULL);
}

/* ------------------------------------------------------- remembered hubs */

static guint
n_open (FcmHub     *hub,
        const char *topic)
{
  g_auto(GStrv) names = fcm_hub_dup_subscriber_names (hub, topic);

  return g_strv_length (names);
}

/* Add Hub remembers URL, topic, subscriber name and events; the next start
 * subscribes again; Remove Hub forgets (issue 12.5). */
static void
test_hubs_remembered (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) hubs = NULL;
  g_autoptr(GVariant) entry = NULL;
  g_autofree const char **events = NULL;
  g_auto(GStrv) names = NULL;
  const char *value = NULL;
  const char *only_open[] = { "DiagnosticReport-open", NULL };
  FcmWindow *window;
  FcmConnection *connection;

  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_assert_no_error (error);

  fcm_application_add_hub (f->app, fcm_hub_get_url (hub), "ward-3", "Reading Room 2", NULL);
  window = g_object_ref (_fcm_application_get_window (f->app));
  connection = nth_connection (window, 0);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));

  hubs = g_settings_get_value (f->settings, "hubs");
  g_assert_cmpuint (g_variant_n_children (hubs), ==, 1);
  entry = g_variant_get_child_value (hubs, 0);
  g_assert_true (g_variant_lookup (entry, "url", "&s", &value));
  g_assert_cmpstr (value, ==, fcm_hub_get_url (hub));
  g_assert_true (g_variant_lookup (entry, "topic", "&s", &value));
  g_assert_cmpstr (value, ==, "ward-3");
  g_assert_true (g_variant_lookup (entry, "name", "&s", &value));
  g_assert_cmpstr (value, ==, "Reading Room 2");
  g_assert_true (g_variant_lookup (entry, "events", "^a&s", &events));
  g_assert_cmpuint (g_strv_length ((char **) events), ==, 5);
  g_assert_null (g_variant_lookup_value (entry, "token", NULL));
  g_clear_pointer (&entry, g_variant_unref);
  g_clear_pointer (&hubs, g_variant_unref);

  /* a restart: the hub is subscribed to again, under the same name */
  destroy_window (window);
  /* the events as remembered, not as now preferred */
  g_settings_set_strv (f->settings, "events", only_open);
  _fcm_application_start_remembered_hubs (f->app);
  window = g_object_ref (_fcm_application_get_window (f->app));
  connection = nth_connection (window, 0);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  g_settings_reset (f->settings, "events");
  g_assert_cmpstr (fcm_hub_client_get_topic (fcm_connection_get_client (connection)), ==, "ward-3");
  g_assert_cmpuint (g_strv_length ((char **) fcm_hub_client_get_granted_events (fcm_connection_get_client (connection))),
                    ==, 5);
  names = fcm_hub_dup_subscriber_names (hub, "ward-3");
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Reading Room 2");

  /* Remove Hub (it asks first, issue 11.8): unsubscribed and forgotten */
  fcm_window_set_connection (window, connection);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-connection", NULL);
  {
    AdwMessageDialog *dialog = find_message_dialog ();

    g_assert_nonnull (dialog);
    /* asked, not yet removed nor forgotten */
    g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 1);
    hubs = g_settings_get_value (f->settings, "hubs");
    g_assert_cmpuint (g_variant_n_children (hubs), ==, 1);
    g_clear_pointer (&hubs, g_variant_unref);
    adw_message_dialog_response (dialog, "remove");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 0);
  hubs = g_settings_get_value (f->settings, "hubs");
  g_assert_cmpuint (g_variant_n_children (hubs), ==, 0);
  FCM_TEST_WAIT_UNTIL (n_open (hub, "ward-3") == 0);
  destroy_window (window);

  /* nothing to start at the next start */
  _fcm_application_start_remembered_hubs (f->app);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  fcm_hub_shutdown (hub);
}

/* ----------------------------------------------------------- preferences */

/* Keep Running in the Background is bound; the built-in hub's port is
 * written on apply, and only a usable one (issue 12.1, 12.5). */
static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *prefs = fcm_preferences_window_new (NULL, f->settings);
  GtkWidget *background_row, *port_row, *topic_row, *sw;

  g_object_ref (prefs);
  gtk_window_present (GTK_WINDOW (prefs));
  background_row = fcm_test_find_widget_named (prefs, "run_in_background_row");
  port_row = fcm_test_find_widget_named (prefs, "builtin_hub_port_row");
  topic_row = fcm_test_find_widget_named (prefs, "builtin_hub_topic_row");
  g_assert_nonnull (background_row);
  g_assert_nonnull (fcm_test_find_widget_named (prefs, "autostart_row"));
  g_assert_nonnull (port_row);
  g_assert_nonnull (topic_row);

  sw = fcm_test_find_widget (background_row, GTK_TYPE_SWITCH);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
  gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "run-in-background"));

  /* port 0 (chosen at the next start) shows as empty */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (port_row)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (port_row), "80");
  g_signal_emit_by_name (port_row, "apply");
  g_assert_cmpint (g_settings_get_int (f->settings, "builtin-hub-port"), ==, 0);
  g_assert_true (gtk_widget_has_css_class (port_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (port_row), "8123");
  g_signal_emit_by_name (port_row, "apply");
  g_assert_cmpint (g_settings_get_int (f->settings, "builtin-hub-port"), ==, 8123);
  g_assert_false (gtk_widget_has_css_class (port_row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (topic_row), "reading-room-2");
  g_assert_cmpstr (g_settings_get_string (f->settings, "builtin-hub-topic"), ==, "");
  g_signal_emit_by_name (topic_row, "apply");
  g_assert_cmpstr (g_settings_get_string (f->settings, "builtin-hub-topic"), ==, "reading-room-2");

  gtk_window_destroy (GTK_WINDOW (prefs));
  g_assert_finalize_object (prefs);
}

/* ------------------------------------------------------------------ Quit */

/* Quit, answered: everyone is left cleanly (the other application on the
 * built-in hub sees 1001), the windows close and save their size, the app
 * ends. The last test: the app is gone afterwards. */
static void
test_quit (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(FcmTestSubscriber) reporting = NULL;
  FcmWindow *window = start_builtin (f);
  AdwMessageDialog *dialog;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  reporting = fcm_test_subscriber_new (builtin_url (window), builtin_topic (window), "Reporting App",
                                       "DiagnosticReport-open,SyncError");

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "quit");
  g_assert_true (f->app->leaving);

  FCM_TEST_WAIT_UNTIL (gtk_application_get_windows (GTK_APPLICATION (f->app)) == NULL);
  g_assert_true (f->app->left);
  g_assert_finalize_object (window);
  g_assert_true (reporting->closed);
  g_assert_cmpuint (reporting->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  for (guint i = 0; i < reporting->events->len; i++)
    g_assert_cmpstr (g_ptr_array_index (reporting->events, i), !=, "SyncError");
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1100);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-background"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/background/start", test_background_start);
  ADD ("/fcm/background/describe-subscribers", test_describe_subscribers);
  ADD ("/fcm/background/quit-asks", test_quit_asks);
  ADD ("/fcm/background/builtin-hub-kept", test_builtin_hub_kept);
  ADD ("/fcm/background/builtin-hub-port-taken", test_builtin_hub_port_taken);
  ADD ("/fcm/background/hubs-remembered", test_hubs_remembered);
  ADD ("/fcm/background/preferences", test_preferences);
  ADD ("/fcm/background/zz-quit", test_quit);

#undef ADD

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);

  return status;
}

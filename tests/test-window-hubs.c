/* test-window-hubs.c: the main window's hubs, their alerts, two at once and the configured one
 *
 * The sync-lost and connection-lost alerts (with a stand-in notification
 * daemon), two hubs in the sidebar and Remove Hub, the hub and topic from
 * the preferences. The application and the window come from
 * fcm-test-window-util.c.
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
#include "fcm-context-panel-private.h"
#include "fcm-hub-alert.h"
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-window-util.h"
#include "fcm-window-private.h"

/* A stand-in desktop notification daemon on a second bus connection: it
 * records what the app sends through GNotification (toolchain §10). */
static GDBusConnection *fake_notify_bus;
static GPtrArray *notifications;   /* summaries */
static guint n_closed;

static const char fake_notify_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "</interface></node>";

static void
fake_notify_method (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *path,
                    const char            *interface,
                    const char            *method,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_strcmp0 (method, "Notify") == 0)
    {
      const char *summary = NULL;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_ptr_array_add (notifications, g_strdup (summary));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_strcmp0 (method, "CloseNotification") == 0)
    {
      n_closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "GetCapabilities") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "fake", "test", "1", "1.2"));
}

static void
start_fake_notification_daemon (void)
{
  static const GDBusInterfaceVTable vtable = { fake_notify_method, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  notifications = g_ptr_array_new_with_free_func (g_free);
  if (address == NULL)
    return;
  fake_notify_bus = g_dbus_connection_new_for_address_sync (address,
                                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                            NULL, NULL, &error);
  if (fake_notify_bus == NULL)
    return;
  info = g_dbus_node_info_new_for_xml (fake_notify_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (fake_notify_bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (fake_notify_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static guint
n_notifications_with (const char *summary)
{
  guint n = 0;

  for (guint i = 0; i < notifications->len; i++)
    n += g_strcmp0 (g_ptr_array_index (notifications, i), summary) == 0;
  return n;
}

/* Another app refuses an open: the persistent alert names the app and the event; a
 * newer event clears it (C-63, C-66). */
static void
test_window_syncerror_alert (Fixture       *f,
                             gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  g_autoptr(FcmHubClient) refuser = NULL;
  FcmHubClient *client = fcm_connection_get_client (connection);
  FcmWindowParts parts;
  FcmHubAlert *alert;

  fcm_window_get_parts (window, &parts);
  refuser = fcm_hub_client_new (fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client));
  fcm_hub_client_set_subscriber_name (refuser, "Refusing Viewer");
  fcm_hub_client_set_ack_policy (refuser, "DiagnosticReport-open", 409);
  fcm_hub_client_subscribe_async (refuser, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (refuser) == FCM_CLIENT_STATE_ACTIVE);

  g_assert_false (gtk_revealer_get_reveal_child (parts.alert_revealer));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  fcm_open_report_dialog_fill_random (find_open_dialog ());
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_open_dialog ()), "open");

  FCM_TEST_WAIT_UNTIL (gtk_revealer_get_reveal_child (parts.alert_revealer));
  alert = FCM_HUB_ALERT (_fcm_window_get_alert (window, connection));
  g_assert_cmpstr (fcm_hub_alert_get_title (alert), ==, "Sync lost on Built-in Hub");
  g_assert_nonnull (strstr (fcm_hub_alert_get_text (alert), "Refusing Viewer"));
  g_assert_nonnull (strstr (fcm_hub_alert_get_text (alert), "DiagnosticReport-open"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (alert),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Sync lost on Built-in Hub");

  /* a desktop notification too while the window is not focused (no window manager
   * here, so it usually is not) */
  if (fake_notify_bus != NULL && !gtk_window_is_active (GTK_WINDOW (window)))
    {
      FCM_TEST_WAIT_UNTIL (n_notifications_with ("Sync lost on Built-in Hub") >= 1);
      g_test_message ("desktop notification received by the fake daemon");
      /* clicking it brings the window up */
      g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "show-window"));
    }

  /* the refuser follows updates: a newer event restores sync and the alert goes (C-66) */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (!gtk_revealer_get_reveal_child (parts.alert_revealer));
  g_assert_false (fcm_monitor_get_sync_lost (fcm_connection_get_monitor (connection)));

  close_window (window);
}

/* The hub goes away: the same alert says so and the buttons turn off (C-68). */
static void
test_window_connection_lost (Fixture       *f,
                             gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  fcm_hub_shutdown (fcm_connection_get_hub (connection));
  FCM_TEST_WAIT_UNTIL (gtk_revealer_get_reveal_child (parts.alert_revealer));
  g_assert_cmpstr (fcm_hub_alert_get_title (FCM_HUB_ALERT (_fcm_window_get_alert (window, connection))), ==,
                   "Connection lost to Built-in Hub");
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_window_get_button_tooltip (parts.open_button), ==, "Not connected to a hub");

  /* dismissing hides it until the next change */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-alert", "s", fcm_connection_get_id (connection));
  g_assert_false (gtk_revealer_get_reveal_child (parts.alert_revealer));

  close_window (window);
}

static FcmConnection *
nth_connection (FcmWindow *window,
                guint      i)
{
  g_autoptr(FcmConnection) connection = g_list_model_get_item (fcm_window_get_connections (window), i);

  return connection;  /* the window keeps it */
}

/* Preferences name another hub and topic: the first start connects there
 * instead of starting the built-in hub; no topic is a clear failure. */
static void
test_application_configured_hub (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(FcmHub) hub = fcm_hub_new ();
  g_autoptr(GError) error = NULL;
  FcmWindow *window;
  FcmConnection *connection;
  g_autofree char *alert = NULL;

  g_assert_true (fcm_hub_listen (hub, "127.0.0.1", 0, NULL, &error));
  g_settings_set_string (f->settings, "hub-url", fcm_hub_get_url (hub));
  g_settings_set_string (f->settings, "topic", "radiologist-7");
  g_settings_set_string (f->settings, "subscriber-name", "Monitor Under Test");

  _fcm_application_start_default_connections (f->app);
  window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app))));
  connection = nth_connection (window, 0);
  g_assert_false (fcm_connection_get_embedded (connection));
  g_assert_cmpstr (fcm_hub_client_get_topic (fcm_connection_get_client (connection)), ==, "radiologist-7");
  g_assert_cmpstr (fcm_hub_client_get_subscriber_name (fcm_connection_get_client (connection)), ==,
                   "Monitor Under Test");
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  g_assert_cmpuint (fcm_hub_get_n_subscribers (hub, "radiologist-7"), ==, 1);

  /* no topic and no GetTopic user: the sidebar and the alert say so */
  g_settings_set_string (f->settings, "topic", "");
  _fcm_application_start_default_connections (f->app);
  connection = nth_connection (window, 1);
  alert = fcm_connection_dup_alert (connection);
  g_assert_nonnull (strstr (alert, "No topic configured"));
  g_assert_true (g_str_has_prefix (fcm_connection_get_status_text (connection), "Failed: "));

  /* the preferences change: the settings connections are replaced at once */
  g_settings_set_string (f->settings, "topic", "radiologist-8");
  FCM_TEST_WAIT_UNTIL (g_list_model_get_n_items (fcm_window_get_connections (window)) == 1 &&
                       fcm_connection_get_live (nth_connection (window, 0)));
  g_assert_cmpstr (fcm_hub_client_get_topic (fcm_connection_get_client (nth_connection (window, 0))), ==,
                   "radiologist-8");
  FCM_TEST_WAIT_UNTIL (fcm_hub_get_n_subscribers (hub, "radiologist-7") == 0);

  /* and the ack status applies to running connections (testing other apps) */
  g_settings_set_string (f->settings, "ack-policy", "409");
  g_assert_cmpuint (fcm_hub_client_get_ack_status (fcm_connection_get_client (nth_connection (window, 0)),
                                                   "DiagnosticReport-open"), ==, 409);

  _fcm_application_stop_following_settings (f->app);
  g_settings_reset (f->settings, "topic");
  g_settings_reset (f->settings, "subscriber-name");
  g_settings_reset (f->settings, "ack-policy");
  close_window (window);
  fcm_hub_shutdown (hub);
}

/* Remove Hub, answered with @response; returns the dialog's heading when
 * the hub was removed */
static char *
remove_shown (FcmWindow  *window,
              const char *response)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;
  char *heading;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-connection", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
  g_assert_nonnull (dialog);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  heading = g_strdup (adw_message_dialog_get_heading (dialog));
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (g_strcmp0 (response, "remove") != 0)
    g_clear_pointer (&heading, g_free);
  return heading;
}

/* Two hubs at once, each with its own state in the sidebar (C-07). */
static void
test_window_two_connections (Fixture       *f,
                             gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) first = add_embedded (f, &window);
  g_autoptr(FcmConnection) second = NULL;
  g_autoptr(GError) error = NULL;
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  second = fcm_connection_new ("http://127.0.0.1:9/fhircast", "elsewhere", "Tester");
  fcm_window_add_connection (window, second);
  fcm_connection_start (second);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 2);
  g_assert_true (fcm_window_get_connection (window) == second);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_last_error (second) != NULL);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_sensitive (parts.open_button));

  /* Moving the keyboard focus onto the first hub does not switch the
   * monitored hub (issue 11); the shown one stays selected */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (parts.connection_list, 1)));
  g_signal_emit_by_name (parts.connection_list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, -1, FALSE, FALSE);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (parts.connection_list, 0))));
  g_assert_true (fcm_window_get_connection (window) == second);
  g_assert_true (gtk_list_box_get_selected_row (parts.connection_list) ==
                 gtk_list_box_get_row_at_index (parts.connection_list, 1));

  /* activating it does: back to the first, live again in the window */
  g_signal_emit_by_name (parts.connection_list, "activate-cursor-row");
  g_assert_true (fcm_window_get_connection (window) == first);
  g_assert_true (gtk_list_box_get_selected_row (parts.connection_list) ==
                 gtk_list_box_get_row_at_index (parts.connection_list, 0));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));

  /* Remove Hub asks first (issue 11.8); Cancel keeps it */
  g_assert_null (remove_shown (window, "cancel"));
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 2);
  /* Remove: the shown one goes, the other is shown */
  {
    g_autofree char *heading = remove_shown (window, "remove");

    g_assert_cmpstr (heading, ==, "Remove Built-in Hub?");
  }
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 1);
  g_assert_true (fcm_window_get_connection (window) == second);
  g_free (remove_shown (window, "remove"));
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 0);
  g_assert_null (fcm_window_get_connection (window));
  g_assert_cmpstr (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), ==, "not-connected");

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-window-hubs"))
    return 77;
  start_fake_notification_daemon ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/window/syncerror-alert", test_window_syncerror_alert);
  ADD ("/fcm/window/connection-lost", test_window_connection_lost);
  ADD ("/fcm/window/two-connections", test_window_two_connections);
  ADD ("/fcm/application/configured-hub", test_application_configured_hub);

#undef ADD

  /* The tests run from "activate"; with no window left afterwards, the
   * application shuts down and g_application_run() returns. */
  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  g_clear_object (&fake_notify_bus);
  g_clear_pointer (&notifications, g_ptr_array_unref);

  return status;
}

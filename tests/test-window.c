/* test-window.c: the main window, built under the real FcmApplication
 *
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "fcm-application-private.h"
#include "fcm-connection.h"
#include "fcm-context-panel-private.h"
#include "fcm-hub-alert.h"
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-timeline.h"
#include "fcm-window-private.h"

typedef struct
{
  FcmApplication *app;
  GSettings      *settings;
} Fixture;

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

/* One real application for the whole run: the tests execute inside its
 * "activate" (see main()), so startup and shutdown happen as in the app. */
static FcmApplication *the_app;

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
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
  f->app = the_app;

  /* GSETTINGS_BACKEND=memory is shared by every test in this process. */
  f->settings = g_object_ref (fcm_application_get_settings (f->app));
  g_settings_reset (f->settings, "hub-url");
  g_settings_reset (f->settings, "ack-policy");
  g_settings_reset (f->settings, "window-width");
  g_settings_reset (f->settings, "window-height");
  g_settings_reset (f->settings, "window-maximized");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Each test destroys what it created. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_null (find_toplevel (GTK_TYPE_WINDOW));

  g_clear_object (&f->settings);
}

static FcmWindow *
new_window (Fixture *f)
{
  /* The window belongs to GTK's toplevel list; keep our own reference so
   * that g_assert_finalize_object() can check nothing else holds one. */
  return g_object_ref (fcm_window_new (f->app));
}

static void
show_and_wait (FcmWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static void
test_window_no_connection (Fixture       *f,
                           gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  FcmWindowParts parts;
  GtkWidget *window_title;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "FHIRcast Monitor");
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (f->app));

  window_title = fcm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
  g_assert_nonnull (window_title);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (window_title)), ==,
                   "Not connected");
  g_assert_nonnull (fcm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY));

  /* no connection: the panel explains, and the buttons say why they are off */
  fcm_window_get_parts (window, &parts);
  g_assert_cmpstr (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), ==,
                   "not-connected");
  show_and_wait (window);
  g_assert_false (gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_window_get_button_tooltip (parts.open_button), ==, "Not connected to a hub");
  g_assert_false (gtk_revealer_get_reveal_child (parts.alert_revealer));
  g_assert_null (fcm_window_get_connection (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static FcmConnection *
add_embedded (Fixture    *f,
              FcmWindow **out_window)
{
  g_autoptr(GError) error = NULL;
  FcmConnection *connection = fcm_connection_new_embedded (&error);

  g_assert_no_error (error);
  fcm_application_add_connection (f->app, connection);
  *out_window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app))));
  show_and_wait (*out_window);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  return connection;
}

static guint
n_notifications_with (const char *summary)
{
  guint n = 0;

  for (guint i = 0; i < notifications->len; i++)
    n += g_strcmp0 (g_ptr_array_index (notifications, i), summary) == 0;
  return n;
}

static FcmOpenReportDialog *
find_open_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (FCM_IS_OPEN_REPORT_DIALOG (w))
        return FCM_OPEN_REPORT_DIALOG (w);
    }
  return NULL;
}

static void
close_window (FcmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static guint
timeline_rows (GtkWidget *timeline)
{
  FcmEventLog *log = fcm_timeline_get_event_log (FCM_TIMELINE (timeline));

  return log ? g_list_model_get_n_items (G_LIST_MODEL (log)) : 0;
}


static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char **text = data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (GdkClipboard *clipboard)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &text);
  FCM_TEST_WAIT_UNTIL (text != NULL);
  return text;
}

/* The built-in hub: live at once; Open Report → dialog → the hub's answer inline,
 * the context panel shows the report and the timeline gets the rows (issue 5, C-44). */
static void
test_window_open_report (Fixture       *f,
                         gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  g_autofree char *report_id = NULL;
  FcmOpenReportDialog *dialog;
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  g_assert_true (fcm_window_get_connection (window) == connection);
  g_assert_cmpuint (g_list_model_get_n_items (fcm_window_get_connections (window)), ==, 1);
  g_assert_nonnull (gtk_list_box_get_row_at_index (parts.connection_list, 0));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  g_assert_cmpstr (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), ==, "empty");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  dialog = find_open_dialog ();
  g_assert_nonnull (dialog);
  fcm_open_report_dialog_fill_random (dialog);
  report_id = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "open");

  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-open: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), "report") == 0);
  g_assert_cmpstr (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts.context_panel),
                                                      FCM_CONTEXT_FIELD_REPORT_ID), ==, report_id);
  /* the echo of our open, plus the derived patient/study events are not ours to see:
   * at least the open is in the timeline */
  FCM_TEST_WAIT_UNTIL (timeline_rows (parts.timeline) >= 1);

  /* Update and Select are now possible, and answered inline too */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-update: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-update: 200 OK");
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts.context_panel),
                                                                     FCM_CONTEXT_FIELD_N_CONTENT), "1") == 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-content", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-select: 200"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-close: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_page (FCM_CONTEXT_PANEL (parts.context_panel)), "empty") == 0);
  g_assert_cmpuint (timeline_rows (parts.timeline), >=, 4);

  close_window (window);
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


/* Opens a random demo report from the window; returns its id. */
static char *
open_random_report (FcmWindow      *window,
                    FcmWindowParts *parts)
{
  FcmOpenReportDialog *dialog;
  char *report_id;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
  dialog = find_open_dialog ();
  g_assert_nonnull (dialog);
  fcm_open_report_dialog_fill_random (dialog);
  report_id = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  gtk_label_set_text (parts->answer_label, "");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "open");
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts->answer_label), "DiagnosticReport-open: 200"));
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (FCM_CONTEXT_PANEL (parts->context_panel),
                                                                     FCM_CONTEXT_FIELD_REPORT_ID), report_id) == 0);
  return report_id;
}

/* Suspended reports (C-37): listed with their patient, counted in the
 * panel's header; Close/Update/Select act on one when it is chosen; resume
 * and close from the list. */
static void
test_window_suspended (Fixture       *f,
                       gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  FcmContextStore *store = fcm_monitor_get_context_store (fcm_connection_get_monitor (connection));
  FcmContextPanel *panel;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  FcmContextItem *first_item;
  FcmWindowParts parts;
  GtkWidget *row;

  fcm_window_get_parts (window, &parts);
  panel = FCM_CONTEXT_PANEL (parts.context_panel);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  first = open_random_report (window, &parts);
  second = open_random_report (window, &parts);
  first_item = fcm_context_store_lookup (store, first);
  g_assert_nonnull (first_item);

  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 1);
  g_assert_cmpstr (_fcm_context_panel_get_suspended_count (panel), ==, "1 Suspended");
  /* listed by its patient */
  g_assert_cmpstr (_fcm_context_panel_get_suspended_title (panel, 0), ==,
                   fcm_context_item_get_patient_name (first_item));

  /* choose it: Update goes to the suspended report, not the current one */
  row = _fcm_context_panel_get_suspended_row (panel, 0);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_assert_true (fcm_context_panel_get_chosen (panel) == first_item);
  g_assert_nonnull (strstr (_fcm_window_get_button_tooltip (fcm_test_find_action_button (GTK_WIDGET (window), "win.update-report")),
                            first));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-update: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-update: 200 OK");
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_n_content (first_item) == 1);
  g_assert_cmpuint (fcm_context_item_get_n_content (fcm_context_store_get_current (store)), ==, 0);
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, second);

  /* Select on the chosen one too */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-content", NULL);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-select: "));
  g_assert_cmpstr (gtk_label_get_text (parts.answer_label), ==, "DiagnosticReport-select: 200 OK");
  FCM_TEST_WAIT_UNTIL (fcm_context_item_get_selection (first_item) != NULL);

  /* Resume from the list: it is current again, the other one suspended */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.resume-report", "s", first);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (_fcm_context_panel_get_field_text (panel, FCM_CONTEXT_FIELD_REPORT_ID), first) == 0);
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 1);
  g_assert_null (fcm_context_panel_get_chosen (panel));
  g_assert_cmpuint (fcm_context_item_get_n_content (first_item), ==, 1);

  /* Close from the list: the suspended one goes, the current one stays */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-suspended", "s", second);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (parts.answer_label), "DiagnosticReport-close: 200"));
  FCM_TEST_WAIT_UNTIL (_fcm_context_panel_get_n_suspended (panel) == 0);
  g_assert_null (_fcm_context_panel_get_suspended_count (panel));
  g_assert_cmpstr (fcm_context_item_get_anchor_id (fcm_context_store_get_current (store)), ==, first);

  close_window (window);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* F6 cycles sidebar → context → timeline → details; buttons have one name
 * each; the hub URL and topic are copied in full (issue 11) */
static void
test_window_keyboard (Fixture       *f,
                      gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  GtkWidget *focus;
  GtkWidget *seen[4] = { NULL, };
  FcmWindowParts parts;
  g_autofree char *copied = NULL;

  fcm_window_get_parts (window, &parts);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_sensitive (parts.open_button));
  g_free (open_random_report (window, &parts));
  adw_flap_set_reveal_flap (parts.flap, TRUE);
  FCM_TEST_WAIT_UNTIL (gtk_widget_is_drawable (adw_flap_get_flap (parts.flap)));
  /* a message in the details, so that region has something to focus */
  FCM_TEST_WAIT_UNTIL (timeline_rows (parts.timeline) >= 1);

  for (guint i = 0; i < 4; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_assert_true (gtk_window_get_focus_visible (GTK_WINDOW (window)));
      seen[i] = focus;
    }
  g_assert_true (gtk_widget_is_ancestor (seen[0], adw_flap_get_flap (parts.flap)));
  g_assert_true (gtk_widget_is_ancestor (seen[1], parts.context_panel));
  g_assert_true (seen[2] == fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline)) ||
                 gtk_widget_is_ancestor (seen[2], fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline))));
  /* then around again; Shift+F6 goes back */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), adw_flap_get_flap (parts.flap)) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == seen[3] || seen[3] == NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-region", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-region", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), parts.timeline));

  /* with the sidebar hidden, F6 passes over it */
  adw_flap_set_reveal_flap (parts.flap, FALSE);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_is_drawable (adw_flap_get_flap (parts.flap)));
  gtk_widget_grab_focus (fcm_timeline_get_rows (FCM_TIMELINE (parts.timeline)));
  for (guint i = 0; i < 3; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-region", NULL);
      g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), adw_flap_get_flap (parts.flap)));
    }

  /* one accessible name each: no "Close Report Close", no "_Open" */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fcm_test_find_action_button (GTK_WIDGET (window), "win.close-report")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Close Report");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (parts.open_button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Open Report…");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (parts.open_button),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));

  /* the hub URL and topic: in full in a tooltip, and copied in full */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (parts.hub_url_label)), ==,
                   fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (window), is_named, "Copy Hub URL"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-hub-url", NULL);
  copied = read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, fcm_hub_client_get_hub_url (fcm_connection_get_client (connection)));
  g_clear_pointer (&copied, g_free);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-topic", NULL);
  copied = read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, fcm_hub_client_get_topic (fcm_connection_get_client (connection)));

  close_window (window);
}


static GtkWindow *
find_message_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), heading) == 0)
        return w;
    }
  return NULL;
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") &&
         gtk_widget_get_visible (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

/* Add Hub: bad input is explained in words under the field; Enter never
 * drops a value silently (issue 11) */
static void
test_window_add_hub_errors (Fixture       *f,
                            gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  AdwMessageDialog *dialog;
  GtkWidget *url, *topic;

  show_and_wait (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-connection", NULL);
  dialog = ADW_MESSAGE_DIALOG (find_message_dialog ("Add Hub"));
  g_assert_nonnull (dialog);
  url = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Hub URL");
  topic = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Topic");

  /* nothing typed yet: nothing to complain about, but nothing to connect */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));

  gtk_editable_set_text (GTK_EDITABLE (url), "htp://hub.example.org/api/hub");
  g_assert_true (gtk_widget_has_css_class (url, "error"));
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label,
                                                   "Not a hub URL: it starts with http:// or https://"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (url), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_editable_set_text (GTK_EDITABLE (url), "http://");
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, "host name is missing"));

  /* Enter with the topic empty: says so, keeps what was typed */
  gtk_editable_set_text (GTK_EDITABLE (url), "http://127.0.0.1:9/api/hub");
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));
  g_signal_emit_by_name (url, "entry-activated");
  g_assert_nonnull (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, "The topic is required"));
  g_assert_true (gtk_widget_has_css_class (topic, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (url)), ==, "http://127.0.0.1:9/api/hub");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "connect"));

  gtk_editable_set_text (GTK_EDITABLE (topic), "session-1");
  g_assert_null (fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_error_label, ""));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));

  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}


/* Usable at 800×600: the sidebar folds away (F9 shows it over the rest),
 * the context and the timeline keep their minimum widths side by side; at
 * 1366×768 all three show (issue 11) */
static void
test_window_small (Fixture       *f,
                   gconstpointer  data)
{
  FcmWindow *window = NULL;
  g_autoptr(FcmConnection) connection = add_embedded (f, &window);
  FcmWindowParts parts;

  fcm_window_get_parts (window, &parts);
  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  /* the window's width, less its client-side shadow */
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) >= 1300);
  adw_flap_set_reveal_flap (parts.flap, TRUE);
  FCM_TEST_WAIT_UNTIL (!adw_flap_get_folded (parts.flap) && gtk_widget_get_width (parts.timeline) > 0);
  g_assert_true (gtk_widget_get_mapped (adw_flap_get_flap (parts.flap)));
  g_assert_cmpint (gtk_widget_get_width (parts.timeline), >=, 700);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= 800);
  FCM_TEST_WAIT_UNTIL (adw_flap_get_folded (parts.flap));
  FCM_TEST_WAIT_UNTIL (!adw_flap_get_reveal_flap (parts.flap));
  g_assert_cmpint (gtk_widget_get_width (parts.context_panel), >=, 260);
  g_assert_cmpint (gtk_widget_get_width (parts.timeline), >=, 500);
  /* side by side, inside the window */
  {
    graphene_point_t p;

    g_assert_true (gtk_widget_compute_point (parts.timeline, GTK_WIDGET (window),
                                             &GRAPHENE_POINT_INIT (gtk_widget_get_width (parts.timeline), 0), &p));
    g_assert_cmpfloat (p.x, <=, 800);
  }

  /* F9 shows the sidebar over the content, with the hub URL copy button */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (adw_flap_get_flap (parts.flap)));

  close_window (window);
}

static gboolean
widget_class_has_action (GType       type,
                         const char *name)
{
  GtkWidgetClass *klass = g_type_class_peek (type);
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;
  GType owner;
  gboolean found = FALSE;

  /* GTK 4.8 writes every out argument */
  for (guint i = 0;
       !found && gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type, &property_name);
       i++)
    found = g_strcmp0 (action_name, name) == 0;
  return found;
}

static void
assert_menu_actions_exist (GMenuModel   *menu,
                           GActionGroup *app_actions,
                           GActionGroup *win_actions,
                           guint        *n_items)
{
  int n = g_menu_model_get_n_items (menu);

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GMenuModel) section = NULL;
      g_autofree char *action = NULL;

      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        {
          assert_menu_actions_exist (section, app_actions, win_actions, n_items);
          continue;
        }

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION,
                                                      "s", &action));
      if (g_str_has_prefix (action, "app."))
        g_assert_true (g_action_group_has_action (app_actions, action + strlen ("app.")));
      else if (g_str_has_prefix (action, "win."))
        g_assert_true (g_action_group_has_action (win_actions, action + strlen ("win.")) ||
                       widget_class_has_action (G_OBJECT_TYPE (win_actions), action));
      else
        g_assert_not_reached ();

      (*n_items)++;
    }
}

static void
test_window_primary_menu (Fixture       *f,
                          gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  GtkWidget *menu_button;
  GMenuModel *menu;
  guint n_items = 0;

  menu_button = fcm_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (menu_button)));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");

  /* Every entry points at an action that exists; the shortcuts window
   * comes from gtk/help-overlay.ui under the resource base path. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  assert_menu_actions_exist (menu, G_ACTION_GROUP (f->app), G_ACTION_GROUP (window), &n_items);
  g_assert_cmpuint (n_items, ==, 14);

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_size_remembered (Fixture       *f,
                             gconstpointer  data)
{
  FcmWindow *window;
  int width = 0;
  int height = 0;

  /* Defaults fit a 1366×768 screen. */
  window = new_window (f);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 720);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  /* A stored size is restored... */
  g_settings_set_int (f->settings, "window-width", 900);
  g_settings_set_int (f->settings, "window-height", 600);
  window = new_window (f);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 600);

  /* ...and the current one saved on close (which needs a shown window);
   * running in the background, closing only hides the window (issue 12.1) */
  show_and_wait (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_assert_true (g_settings_get_boolean (f->settings, "run-in-background"));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (f->settings, "window-maximized"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_application_get_windows (GTK_APPLICATION (f->app))->data == window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_application_about (Fixture       *f,
                        gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  GtkWindow *about;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), "about"));
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);

  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_object_ref (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "FHIRcast Monitor");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==,
                   PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   APP_ID);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));

  gtk_window_destroy (about);
  g_assert_finalize_object (about);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_application_quit (Fixture       *f,
                       gconstpointer  data)
{
  FcmWindow *window = new_window (f);
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->app), "app.quit");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>q");

  g_settings_set_int (f->settings, "window-width", 800);
  show_and_wait (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 740);

  /* Quitting leaves every hub first (nobody else is on the built-in hub, so
   * it does not ask), then closes the windows, which saves their state. */
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  FCM_TEST_WAIT_UNTIL (gtk_application_get_windows (GTK_APPLICATION (f->app)) == NULL);
  g_assert_cmpint (g_settings_get_int (f->settings, "window-width"), ==, 1200);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-window"))
    return 77;
  start_fake_notification_daemon ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/fcm/window/no-connection", test_window_no_connection);
  ADD ("/fcm/window/open-report", test_window_open_report);
  ADD ("/fcm/window/syncerror-alert", test_window_syncerror_alert);
  ADD ("/fcm/window/connection-lost", test_window_connection_lost);
  ADD ("/fcm/window/two-connections", test_window_two_connections);
  ADD ("/fcm/window/suspended", test_window_suspended);
  ADD ("/fcm/window/keyboard", test_window_keyboard);
  ADD ("/fcm/window/add-hub-errors", test_window_add_hub_errors);
  ADD ("/fcm/window/small", test_window_small);
  ADD ("/fcm/application/configured-hub", test_application_configured_hub);
  ADD ("/fcm/window/primary-menu", test_window_primary_menu);
  ADD ("/fcm/window/size-remembered", test_window_size_remembered);
  ADD ("/fcm/application/about", test_application_about);
  ADD ("/fcm/application/quit", test_application_quit);

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

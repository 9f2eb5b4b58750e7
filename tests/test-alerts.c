/* test-alerts.c: sync lost is impossible to miss (issue 11.3), testing mode
 * is visible (issue 11.4); the real window under the real FcmApplication,
 * on real hubs, with a stand-in notification daemon on the test's private
 * session bus (toolchain §10)
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
#include "fcm-hub-alert.h"
#include "fcm-open-report-dialog.h"
#include "fcm-test-util.h"
#include "fcm-timeline-private.h"
#include "fcm-window-private.h"

/* ------------------------------------------------- org.freedesktop.Notifications */

typedef struct
{
  guint   id;
  guint   replaces_id;
  char   *summary;
  char   *body;
  int     urgency;       /* -1 when not given */
  GStrv   actions;
} Notified;

static GDBusConnection *fake_bus;
static GPtrArray *notified;   /* Notified, every Notify call */
static guint last_notification_id;

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
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "</interface></node>";

static void
notified_free (Notified *n)
{
  g_free (n->summary);
  g_free (n->body);
  g_strfreev (n->actions);
  g_free (n);
}

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
      Notified *n = g_new0 (Notified, 1);
      g_autoptr(GVariant) hints = NULL;
      guchar urgency;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", NULL, &n->replaces_id, NULL,
                     &n->summary, &n->body, &n->actions, &hints, NULL);
      n->summary = g_strdup (n->summary);
      n->body = g_strdup (n->body);
      n->urgency = g_variant_lookup (hints, "urgency", "y", &urgency) ? urgency : -1;
      n->id = n->replaces_id != 0 ? n->replaces_id : ++last_notification_id;
      g_ptr_array_add (notified, n);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", n->id));
    }
  else if (g_strcmp0 (method, "CloseNotification") == 0)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else if (g_strcmp0 (method, "GetCapabilities") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body', 'actions'],)"));
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

  notified = g_ptr_array_new_with_free_func ((GDestroyNotify) notified_free);
  if (address == NULL)
    return;
  fake_bus = g_dbus_connection_new_for_address_sync (address,
                                                     G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                     G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                     NULL, NULL, &error);
  if (fake_bus == NULL)
    return;
  info = g_dbus_node_info_new_for_xml (fake_notify_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (fake_bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (fake_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* the user clicks a notification's button */
static void
invoke_action (guint       id,
               const char *action)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (fake_bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, action), &error);
  g_assert_no_error (error);
}

static gboolean
strv_has (GStrv       strv,
          const char *s)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, s);
}

/* -------------------------------------------------------------------- fixture */

static FcmApplication *the_app;

typedef struct
{
  FcmApplication *app;
  GSettings      *settings;
  FcmWindow      *window;
  FcmConnection  *connection;    /* the built-in hub */
  FcmWindowParts  parts;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->app = the_app;
  f->settings = g_object_ref (fcm_application_get_settings (f->app));
  g_settings_reset (f->settings, "ack-policy");
  g_ptr_array_set_size (notified, 0);

  f->connection = fcm_connection_new_embedded (&error);
  g_assert_no_error (error);
  fcm_hub_client_set_subscriber_name (fcm_connection_get_client (f->connection), "FHIRcast Monitor");
  fcm_application_add_connection (f->app, f->connection);
  f->window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app))));
  fcm_window_get_parts (f->window, &f->parts);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (f->connection));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_clear_object (&f->connection);
  g_settings_reset (f->settings, "ack-policy");
  g_clear_object (&f->settings);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static FcmHubClient *
new_subscriber (FcmConnection *on,
                const char    *topic,
                const char    *name,
                guint          open_status)
{
  FcmHubClient *client = fcm_hub_client_new (fcm_hub_client_get_hub_url (fcm_connection_get_client (on)),
                                             topic ? topic : fcm_hub_client_get_topic (fcm_connection_get_client (on)));

  fcm_hub_client_set_subscriber_name (client, name);
  if (open_status != 200)
    fcm_hub_client_set_ack_policy (client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, open_status);
  fcm_hub_client_subscribe_async (client, NULL, NULL, NULL);
  FCM_TEST_WAIT_UNTIL (fcm_hub_client_get_state (client) == FCM_CLIENT_STATE_ACTIVE);
  return client;
}

typedef struct
{
  guint pending;
} Publishes;

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Publishes *p = user_data;

  (void) fcm_hub_client_publish_finish (FCM_HUB_CLIENT (source), result, NULL, NULL, NULL);
  p->pending--;
}

/* @n opens from @client at once; returns the last event's id */
static char *
publish_opens (FcmHubClient *client,
               guint         n)
{
  Publishes p = { 0, };
  char *last = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *report = g_strdup_printf ("rpt-%u", i);
      g_autoptr(JsonArray) context = fcm_context_build_open (report, "pat-1", "st-1", "ACC-1", "MRN-1");
      g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (client),
                                                 FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, context, NULL, NULL);

      p.pending++;
      fcm_hub_client_publish_async (client, event, NULL, published_cb, &p);
      g_free (last);
      last = g_strdup (id);
    }
  FCM_TEST_WAIT_UNTIL (p.pending == 0);
  return last;
}

/* another hub: listed and started without the keyring lookup (no token) */
static void
add_other_hub (Fixture       *f,
               FcmConnection *connection)
{
  fcm_window_add_connection (f->window, connection);
  fcm_connection_start (connection);
}

static FcmHubAlert *
alert_of (Fixture       *f,
          FcmConnection *connection)
{
  GtkWidget *alert = _fcm_window_get_alert (f->window, connection);

  return alert != NULL ? FCM_HUB_ALERT (alert) : NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
alert_button (FcmHubAlert *alert,
              const char  *label)
{
  return fcm_test_find_widget_matching (GTK_WIDGET (alert), is_button_labelled, label);
}

static const char *
header_title (Fixture *f)
{
  return adw_window_title_get_title (ADW_WINDOW_TITLE (f->parts.window_title));
}

/* the titles of the toasts on screen (not the ones hiding) */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

static char *
toasts_on_screen (Fixture *f)
{
  GtkWidget *overlay = GTK_WIDGET (f->parts.toast_overlay);
  GtkWidget *content = adw_toast_overlay_get_child (f->parts.toast_overlay);
  GString *out = g_string_new (NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (overlay); c; c = gtk_widget_get_next_sibling (c))
    if (c != content && gtk_widget_get_child_visible (c))
      {
        GtkWidget *revealer = fcm_test_find_widget (c, GTK_TYPE_REVEALER);

        if (revealer == NULL || gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)))
          collect_labels (c, out);
      }
  return g_string_free (out, FALSE);
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, fcm_test_wakeup, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
open_report (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-report", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (FCM_IS_OPEN_REPORT_DIALOG (w))
        {
          fcm_open_report_dialog_fill_random (FCM_OPEN_REPORT_DIALOG (w));
          adw_message_dialog_response (ADW_MESSAGE_DIALOG (w), "open");
          return;
        }
    }
  g_assert_not_reached ();
}

/* the echo of our own open in the log */
static gboolean
own_open (FcmEventLog       *log,
          FcmEventLogEntry **out)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (fcm_event_log_entry_get_own_echo (entry))
        {
          *out = entry;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---------------------------------------------------------------------- tests */

/* Testing mode is not restored at start (main() left it on): the app
 * starts acknowledging with 200 */
static void
test_testing_not_restored (void)
{
  g_autofree char *policy = g_settings_get_string (fcm_application_get_settings (the_app), "ack-policy");

  g_assert_cmpstr (policy, ==, "200");
}

/* Another hub than the shown one loses sync: its alert shows, red, with
 * the sidebar hidden; the header says so; Show switches to it; the green
 * answer of the shown hub goes while it is out of sync. */
static void
test_alert_every_hub (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FcmConnection) second = NULL;
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autofree char *topic = g_uuid_string_random ();
  g_autofree char *expected_title = NULL;
  FcmHubAlert *alert;
  GtkWidget *show;

  /* a second connection, to another session on the same hub */
  second = fcm_connection_new (fcm_hub_client_get_hub_url (fcm_connection_get_client (f->connection)),
                               topic, "FHIRcast Monitor");
  add_other_hub (f, second);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (second));
  expected_title = g_strdup_printf ("Sync lost on %s", fcm_connection_get_title (second));

  /* our own open on the second hub: the hub's answer, green */
  g_assert_true (fcm_window_get_connection (f->window) == second);
  refuser = new_subscriber (second, NULL, "PACS", 409);
  open_report (f);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (f->parts.answer_label), "DiagnosticReport-open: 200"));
  /* … then PACS refuses it: no green "200 OK" next to "sync lost" */
  FCM_TEST_WAIT_UNTIL (alert_of (f, second) != NULL);
  FCM_TEST_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (f->parts.answer_label)));

  /* show the first hub and hide the sidebar: the alert stays */
  fcm_window_show_connection (f->window, f->connection);
  g_assert_true (fcm_window_get_connection (f->window) == f->connection);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-sidebar", NULL);
  {
    AdwFlap *flap = ADW_FLAP (fcm_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_FLAP));

    if (adw_flap_get_reveal_flap (flap))
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-sidebar", NULL);
    g_assert_false (adw_flap_get_reveal_flap (flap));
  }
  alert = alert_of (f, second);
  g_assert_nonnull (alert);
  g_assert_null (alert_of (f, f->connection));
  g_assert_true (gtk_revealer_get_reveal_child (f->parts.alert_revealer));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (alert), "error"));
  g_assert_cmpstr (fcm_hub_alert_get_title (alert), ==, expected_title);
  g_assert_nonnull (strstr (fcm_hub_alert_get_text (alert), "PACS refused to follow DiagnosticReport-open (HTTP 409)"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (alert), GTK_ACCESSIBLE_ROLE_ALERT);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (alert), GTK_ACCESSIBLE_PROPERTY_LABEL, expected_title);
  /* the header and the window's title say it, in red */
  g_assert_cmpstr (header_title (f), ==, expected_title);
  g_assert_true (gtk_widget_has_css_class (f->parts.window_title, "error"));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (f->window)), expected_title));
  /* the shown hub is fine: its state in the subtitle */
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (f->parts.window_title)), ==,
                   "Built-in Hub · Live");

  /* Show: the hub that lost sync is shown, and the button goes */
  show = alert_button (alert, "_Show");
  g_assert_true (gtk_widget_get_visible (show));
  g_signal_emit_by_name (show, "clicked");
  g_assert_true (fcm_window_get_connection (f->window) == second);
  g_assert_false (gtk_widget_get_visible (show));

  /* a newer event restores sync (C-66): the alert and the red title go */
  /* (an update, which the refuser follows, on the report the dialog opened) */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.update-report", NULL);
  FCM_TEST_WAIT_UNTIL (alert_of (f, second) == NULL);
  g_assert_false (gtk_revealer_get_reveal_child (f->parts.alert_revealer));
  g_assert_cmpstr (header_title (f), ==, "FHIRcast Monitor");
  g_assert_false (gtk_widget_has_css_class (f->parts.window_title, "error"));

  fcm_window_remove_connection (f->window, second);
}

/* lost → back → lost: the hub's toast always says its newest state; no
 * toast about it waits in the queue, so "Back in sync" never shows after
 * the alert said sync is lost again */
static void
test_toasts_replace (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(FcmHubClient) refuser = new_subscriber (f->connection, NULL, "PACS", 409);
  g_autoptr(FcmHubClient) other = new_subscriber (f->connection, NULL, "Reporting", 200);
  FcmMonitor *monitor = fcm_connection_get_monitor (f->connection);
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *shown = NULL;

  g_free (publish_opens (other, 1));
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (monitor));
  toast = g_object_ref (_fcm_window_get_toast (f->window, f->connection));
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Sync lost on Built-in Hub");

  /* a newer event: back in sync; the same toast says so */
  {
    const char *refs[] = { "Observation/obs-1", NULL };
    g_autoptr(JsonArray) context = fcm_context_build_select ("rpt-0", refs);
    g_autofree char *id = g_uuid_string_random ();
    g_autoptr(FcmEvent) event = fcm_event_new (id, NULL, fcm_hub_client_get_topic (other),
                                               FCM_EVENT_DIAGNOSTIC_REPORT_SELECT, context, NULL, NULL);
    Publishes p = { 1 };

    fcm_hub_client_publish_async (other, event, NULL, published_cb, &p);
    FCM_TEST_WAIT_UNTIL (p.pending == 0);
  }
  FCM_TEST_WAIT_UNTIL (!fcm_monitor_get_sync_lost (monitor));
  g_assert_true (_fcm_window_get_toast (f->window, f->connection) == toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Back in sync on Built-in Hub");
  spin (100);
  shown = toasts_on_screen (f);
  g_assert_cmpstr (shown, ==, "Back in sync on Built-in Hub|");
  g_clear_pointer (&shown, g_free);

  /* lost again at once: still one toast, which says so */
  g_free (publish_opens (other, 1));
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_sync_lost (monitor));
  g_assert_true (_fcm_window_get_toast (f->window, f->connection) == toast);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Sync lost on Built-in Hub");
  spin (400);
  shown = toasts_on_screen (f);
  g_assert_cmpstr (shown, ==, "Sync lost on Built-in Hub|");

  /* the user closes it: nothing about this hub was queued behind it */
  adw_toast_dismiss (toast);
  g_assert_null (_fcm_window_get_toast (f->window, f->connection));
  spin (800);
  g_clear_pointer (&shown, g_free);
  shown = toasts_on_screen (f);
  g_assert_cmpstr (shown, ==, "");
  g_assert_nonnull (alert_of (f, f->connection));
}

/* 20 refusals in a burst: one desktop notification, urgent, with Show and
 * Reconnect, updated in place at most once per interval; Show works */
static void
test_notification_storm (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FcmHubClient) refuser = NULL;
  g_autoptr(FcmHubClient) other = NULL;
  g_autofree char *last = NULL;
  g_autofree char *show_action = NULL;
  g_autofree char *reconnect_action = NULL;
  g_autoptr(FcmConnection) second = NULL;
  const guint interval_ms = 1500;
  GtkWidget *elsewhere;
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  gint64 start, duration;
  guint n_new = 0;
  Notified *first;

  if (fake_bus == NULL)
    {
      g_test_skip ("no session bus");
      return;
    }
  /* notifications are for when the window is not focused: another
   * window takes the focus */
  elsewhere = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (elsewhere));
  {
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (gtk_window_is_active (GTK_WINDOW (f->window)) && g_get_monotonic_time () < deadline)
      spin (50);
  }
  if (gtk_window_is_active (GTK_WINDOW (f->window)))
    {
      gtk_window_destroy (GTK_WINDOW (elsewhere));
      g_test_skip ("the window keeps the focus");
      return;
    }

  _fcm_window_set_notify_interval (f->window, interval_ms);
  refuser = new_subscriber (f->connection, NULL, "PACS", 409);
  other = new_subscriber (f->connection, NULL, "Reporting", 200);
  /* the window shows another hub */
  second = fcm_connection_new ("http://127.0.0.1:9/", "t", "Tester");
  add_other_hub (f, second);
  g_assert_true (fcm_window_get_connection (f->window) == second);
  /* (that one cannot connect: its own notification, not counted below) */
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_alert_kind (second) != FCM_CONNECTION_ALERT_NONE);
  spin (100);
  g_ptr_array_set_size (notified, 0);

  start = g_get_monotonic_time ();
  last = publish_opens (other, 20);
  /* (the alert may come a turn after the syncerror) */
  FCM_TEST_WAIT_UNTIL (fcm_monitor_get_last_sync_error (fcm_connection_get_monitor (f->connection)) != NULL &&
                       alert_of (f, f->connection) != NULL &&
                       strstr (fcm_hub_alert_get_text (alert_of (f, f->connection)), last) != NULL);
  duration = (g_get_monotonic_time () - start) / 1000;
  /* the held-back update comes once the interval is over */
  spin (interval_ms + 500);

  /* the notifications about the built-in hub (the other hub has its own) */
  for (guint i = 0; i < notified->len; i++)
    {
      Notified *n = g_ptr_array_index (notified, i);

      if (g_strcmp0 (n->summary, "Sync lost on Built-in Hub") == 0)
        g_ptr_array_add (ours, n);
    }
  g_assert_cmpuint (ours->len, >=, 1);
  for (guint i = 0; i < ours->len; i++)
    n_new += ((Notified *) g_ptr_array_index (ours, i))->replaces_id == 0;
  /* one notification on screen, updated in place, not twenty */
  g_assert_cmpuint (n_new, ==, 1);
  g_assert_cmpuint (ours->len, <=, 2 + duration / interval_ms);
  first = g_ptr_array_index (ours, 0);
  g_assert_cmpuint (first->replaces_id, ==, 0);
  for (guint i = 1; i < ours->len; i++)
    g_assert_cmpuint (((Notified *) g_ptr_array_index (ours, i))->replaces_id, ==, first->id);
  /* the newest refusal is what it says now */
  g_assert_nonnull (strstr (((Notified *) g_ptr_array_index (ours, ours->len - 1))->body, last));

  /* urgent (freedesktop "critical"), with Show and Reconnect */
  g_assert_cmpint (first->urgency, ==, 2);
  show_action = g_strdup_printf ("app.show-connection::%s", fcm_connection_get_id (f->connection));
  reconnect_action = g_strdup_printf ("app.reconnect-connection::%s", fcm_connection_get_id (f->connection));
  g_assert_true (strv_has (first->actions, show_action));
  g_assert_true (strv_has (first->actions, "Show"));
  g_assert_true (strv_has (first->actions, reconnect_action));
  g_assert_true (strv_has (first->actions, "Reconnect"));

  /* Show, clicked in the notification: the hub that lost sync is shown */
  invoke_action (first->id, show_action);
  FCM_TEST_WAIT_UNTIL (fcm_window_get_connection (f->window) == f->connection);

  gtk_window_destroy (GTK_WINDOW (elsewhere));
  fcm_window_remove_connection (f->window, second);
}

/* A hub that never answered: "Could not connect to …" and why, nowhere
 * "connection lost" */
static void
test_could_not_connect (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(FcmConnection) nowhere = fcm_connection_new ("http://127.0.0.1:9/fhircast", "t", "Tester");
  FcmHubAlert *alert;

  add_other_hub (f, nowhere);
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_last_error (nowhere) != NULL && alert_of (f, nowhere) != NULL);
  alert = alert_of (f, nowhere);
  g_assert_cmpstr (fcm_hub_alert_get_title (alert), ==, "Could not connect to 127.0.0.1:9");
  g_assert_cmpstr (fcm_hub_alert_get_text (alert), ==, fcm_connection_get_last_error (nowhere));
  g_assert_cmpstr (adw_toast_get_title (_fcm_window_get_toast (f->window, nowhere)), ==,
                   "Could not connect to 127.0.0.1:9");
  g_assert_null (strstr (fcm_connection_get_status_text (nowhere), "lost"));
  g_assert_null (strstr (fcm_hub_alert_get_text (alert), "lost"));
  g_assert_nonnull (alert_button (alert, "_Reconnect"));

  fcm_window_remove_connection (f->window, nowhere);
  g_assert_null (alert_of (f, nowhere));
}

static void
tooltip_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  char **out = user_data;

  if (reply != NULL)
    {
      g_autoptr(GVariant) value = NULL;
      const char *title = NULL, *body = NULL;

      g_variant_get (reply, "(v)", &value);
      g_variant_get (value, "(&sa(iiay)&s&s)", NULL, NULL, &title, &body);
      *out = g_strdup (body);
    }
  else
    *out = g_strdup ("");
}

/* the tray's tooltip, read over D-Bus as a panel does */
static char *
tray_tooltip (void)
{
  GDBusConnection *app_bus = g_application_get_dbus_connection (G_APPLICATION (the_app));
  char *body = NULL;

  g_dbus_connection_call (fake_bus, g_dbus_connection_get_unique_name (app_bus), "/StatusNotifierItem",
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", "org.kde.StatusNotifierItem", "ToolTip"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, tooltip_cb, &body);
  FCM_TEST_WAIT_UNTIL (body != NULL);
  return body;
}

/* Preferences → Testing: a banner with Stop, in the window and the tray */
static void
test_testing_banner (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_false (gtk_revealer_get_reveal_child (f->parts.testing_revealer));
  /* hidden, it takes no room */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->parts.testing_revealer)), ==, 0);

  g_settings_set_string (f->settings, "ack-policy", "409");
  g_assert_true (gtk_revealer_get_reveal_child (f->parts.testing_revealer));
  g_assert_cmpstr (gtk_label_get_text (f->parts.testing_label), ==, "Testing: refusing every event with 409");
  if (fake_bus != NULL)
    {
      g_autofree char *tooltip = tray_tooltip ();

      g_assert_nonnull (strstr (tooltip, "Testing: refusing every event with 409"));
    }

  /* our own open: the hub's 200 in the header, our refusal in the row's Ack
   * cell, and both say why */
  open_report (f);
  FCM_TEST_WAIT_UNTIL (g_str_has_prefix (gtk_label_get_text (f->parts.answer_label), "DiagnosticReport-open: 200"));
  g_assert_cmpstr (gtk_label_get_text (f->parts.answer_label), ==,
                   "DiagnosticReport-open: 200 OK · this app answers 409 (Testing)");
  {
    FcmEventLog *log = fcm_monitor_get_event_log (fcm_connection_get_monitor (f->connection));
    FcmEventLogEntry *own = NULL;
    g_autofree char *why = NULL;

    FCM_TEST_WAIT_UNTIL (own_open (log, &own) && fcm_event_log_entry_get_ack_status (own) == 409);
    why = _fcm_entry_ack_explanation (own);
    g_assert_nonnull (strstr (why, "Testing"));
    g_assert_nonnull (strstr (why, "The hub accepted the request"));
  }

  /* a new window shows it from its first frame */
  {
    FcmWindow *window = g_object_ref (fcm_window_new (f->app));
    FcmWindowParts parts;

    fcm_window_get_parts (window, &parts);
    g_assert_true (gtk_revealer_get_reveal_child (parts.testing_revealer));
    /* not sliding in: there at once */
    g_assert_true (gtk_revealer_get_child_revealed (parts.testing_revealer));
    gtk_window_destroy (GTK_WINDOW (window));
    g_assert_finalize_object (window);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop-testing", NULL));
  {
    g_autofree char *policy = g_settings_get_string (f->settings, "ack-policy");

    g_assert_cmpstr (policy, ==, "200");
  }
  g_assert_false (gtk_revealer_get_reveal_child (f->parts.testing_revealer));
  if (fake_bus != NULL)
    {
      g_autofree char *tooltip = tray_tooltip ();

      g_assert_null (strstr (tooltip, "Testing"));
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!fcm_gtk_test_init (&argc, &argv, "test-alerts"))
    return 77;
  start_fake_notification_daemon ();

  /* as if the app had quit in testing mode */
  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

    g_settings_set_string (settings, "ack-policy", "409");
  }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/alerts/testing-not-restored", test_testing_not_restored);
  ADD ("/alerts/every-hub", test_alert_every_hub);
  ADD ("/alerts/toasts-replace", test_toasts_replace);
  ADD ("/alerts/notification-storm", test_notification_storm);
  ADD ("/alerts/could-not-connect", test_could_not_connect);
  ADD ("/alerts/testing-banner", test_testing_banner);

#undef ADD

  the_app = fcm_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  status = fcm_gtk_test_run_in_application (G_APPLICATION (the_app));
  g_assert_finalize_object (the_app);
  g_clear_object (&fake_bus);
  g_clear_pointer (&notified, g_ptr_array_unref);

  return status;
}

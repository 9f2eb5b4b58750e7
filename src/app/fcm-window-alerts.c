/* fcm-window-alerts.c: what the window tells the user about its connections
 *
 * Sync lost must be impossible to miss (issue 11.3):
 *  - every hub that lost sync (a syncerror, C-63..C-68), its connection, or
 *    could not connect gets an error-styled alert under the header bar
 *    (FcmHubAlert), whichever hub is shown and with the sidebar hidden, until
 *    all is well again or the user dismisses that text;
 *  - the header's title says so too, and the green answer to our last
 *    request ("200 OK") goes while the shown hub is not in sync;
 *  - a change of state is a toast, which replaces the toast of the state
 *    before instead of queueing behind it ("Back in sync" never shows while
 *    an alert says sync is lost);
 *  - and a desktop notification (urgent, with Show and Reconnect) while the
 *    window is not focused, one per hub, updated in place and at most once
 *    per interval however many syncerrors arrive.
 * The testing banner says when our acks refuse every event on purpose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-hub-alert.h"
#include "fcm-window-private.h"

#define DEFAULT_NOTIFY_INTERVAL_MS 10000
#define HUB_STATE_KEY "fcm-window-hub-state"

/* what the window last told the user about one hub */
typedef struct
{
  FcmWindow          *window;       /* unowned: the window drops this first */
  FcmConnection      *connection;   /* unowned: it owns this */
  FcmConnectionAlert  kind;
  char               *alert;        /* "title\ntext", as last told */
  char               *dismissed;    /* the alert the user dismissed */
  AdwToast           *toast;        /* the last toast about this hub, until dismissed */
  gint64              last_notified;
  guint               notify_id;    /* an update held back by the rate limit */
  guint               withdraw_id;  /* back in sync: the notification goes soon */
} HubState;

static void
toast_dismissed_cb (AdwToast *toast,
                    HubState *st)
{
  if (st->toast == toast)
    {
      g_signal_handlers_disconnect_by_data (toast, st);
      g_clear_object (&st->toast);
    }
}

static void
hub_state_free (HubState *st)
{
  g_clear_handle_id (&st->notify_id, g_source_remove);
  g_clear_handle_id (&st->withdraw_id, g_source_remove);
  if (st->toast != NULL)
    g_signal_handlers_disconnect_by_data (st->toast, st);
  g_clear_object (&st->toast);
  g_free (st->alert);
  g_free (st->dismissed);
  g_free (st);
}

static HubState *
hub_state (FcmWindow     *self,
           FcmConnection *connection)
{
  HubState *st = g_object_get_data (G_OBJECT (connection), HUB_STATE_KEY);

  if (st == NULL)
    {
      st = g_new0 (HubState, 1);
      st->window = self;
      st->connection = connection;
      g_object_set_data_full (G_OBJECT (connection), HUB_STATE_KEY, st, (GDestroyNotify) hub_state_free);
    }
  return st;
}

/* ------------------------------------------------------------------ toasts */

void
_fcm_window_add_toast (FcmWindow *self,
                       AdwToast  *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The hub's newest state replaces its toast of the state before: while
 * that toast is up (or queued) it takes the new title, so nothing about
 * this hub can wait in the queue to contradict the alert. (Not dismissed
 * and replaced: libadwaita 1.2 frees a toast dismissed while it still
 * slides in, then writes to it when the slide ends.) */
static void
replace_toast (HubState   *st,
               const char *title,
               gboolean    alert)
{
  AdwToast *toast;

  if (st->toast != NULL)
    {
      adw_toast_set_title (st->toast, title);
      return;
    }
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, alert ? 8 : 4);
  adw_toast_set_priority (toast, alert ? ADW_TOAST_PRIORITY_HIGH : ADW_TOAST_PRIORITY_NORMAL);
  st->toast = g_object_ref (toast);
  g_signal_connect (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), st);
  adw_toast_overlay_add_toast (st->window->toast_overlay, toast);
}

/* ------------------------------------------------------------ notifications */

static char *
notification_id (FcmConnection *connection)
{
  return g_strdup_printf ("sync-%s", fcm_connection_get_id (connection));
}

static GApplication *
notifying_app (FcmWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (FCM_IS_APPLICATION (app) && g_application_get_is_registered (app) &&
      fcm_application_get_can_notify (FCM_APPLICATION (app)))
    return app;
  return NULL;
}

static void
send_notification (HubState *st)
{
  GApplication *app = notifying_app (st->window);
  g_autofree char *title = fcm_connection_dup_alert_title (st->connection);
  g_autofree char *text = fcm_connection_dup_alert (st->connection);
  g_autofree char *id = notification_id (st->connection);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  const char *cid = fcm_connection_get_id (st->connection);

  if (app == NULL || title == NULL)
    return;

  notification = g_notification_new (title);
  icon = g_themed_icon_new ("dialog-error-symbolic");
  g_notification_set_body (notification, text);
  g_notification_set_icon (notification, icon);
  /* "urgent" is the freedesktop urgency "critical" (2): it stays until seen */
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action_and_target (notification, "app.show-connection", "s", cid);
  g_notification_add_button_with_target (notification, _("Show"), "app.show-connection", "s", cid);
  g_notification_add_button_with_target (notification, _("Reconnect"), "app.reconnect-connection", "s", cid);
  /* the same id: the notification already up is updated in place */
  g_application_send_notification (app, id, notification);
  st->last_notified = g_get_monotonic_time ();
}

static gboolean
notify_later_cb (gpointer data)
{
  HubState *st = data;

  st->notify_id = 0;
  if (fcm_connection_get_alert_kind (st->connection) != FCM_CONNECTION_ALERT_NONE &&
      !gtk_window_is_active (GTK_WINDOW (st->window)))
    send_notification (st);
  return G_SOURCE_REMOVE;
}

/* A storm of syncerrors is one notification: at most one update an
 * interval. (In a storm sync also comes back between two refusals, C-66:
 * the notification stays up a moment, see withdraw_soon ().) */
static void
schedule_notification (HubState *st)
{
  gint64 interval = (gint64) st->window->notify_interval_ms * 1000;
  gint64 elapsed = g_get_monotonic_time () - st->last_notified;

  g_clear_handle_id (&st->withdraw_id, g_source_remove);
  if (gtk_window_is_active (GTK_WINDOW (st->window)) || notifying_app (st->window) == NULL)
    return;
  if (st->last_notified == 0 || elapsed >= interval)
    send_notification (st);
  else if (st->notify_id == 0)
    st->notify_id = g_timeout_add ((guint) ((interval - elapsed) / 1000) + 1, notify_later_cb, st);
}

static void
withdraw_notification (HubState *st)
{
  GApplication *app = notifying_app (st->window);
  g_autofree char *id = notification_id (st->connection);

  g_clear_handle_id (&st->notify_id, g_source_remove);
  g_clear_handle_id (&st->withdraw_id, g_source_remove);
  if (app != NULL)
    g_application_withdraw_notification (app, id);
}

static gboolean
withdraw_cb (gpointer data)
{
  HubState *st = data;

  st->withdraw_id = 0;
  withdraw_notification (st);
  return G_SOURCE_REMOVE;
}

/* all is well again (C-66): the notification goes, unless sync is lost
 * again at once (the next refusal of a storm), then it is updated */
static void
withdraw_soon (HubState *st)
{
  g_clear_handle_id (&st->notify_id, g_source_remove);
  if (st->withdraw_id == 0)
    st->withdraw_id = g_timeout_add (MIN (st->window->notify_interval_ms, 2000), withdraw_cb, st);
}

/* ------------------------------------------------------------------ alerts */

static FcmHubAlert *
find_alert (FcmWindow     *self,
            FcmConnection *connection)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->alerts_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (fcm_hub_alert_get_connection (FCM_HUB_ALERT (child)) == connection)
      return FCM_HUB_ALERT (child);
  return NULL;
}

/* one alert for each hub with something wrong that the user did not
 * dismiss, in the sidebar's order */
void
_fcm_window_update_alerts (FcmWindow *self)
{
  GListModel *connections = G_LIST_MODEL (self->connections);
  GtkWidget *previous = NULL;
  GtkWidget *child;
  guint n = connections != NULL ? g_list_model_get_n_items (connections) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i);
      HubState *st = hub_state (self, connection);
      FcmHubAlert *alert = find_alert (self, connection);
      gboolean wanted = st->kind != FCM_CONNECTION_ALERT_NONE && g_strcmp0 (st->alert, st->dismissed) != 0;

      if (!wanted)
        {
          if (alert != NULL)
            gtk_box_remove (self->alerts_box, GTK_WIDGET (alert));
          continue;
        }
      if (alert == NULL)
        {
          alert = FCM_HUB_ALERT (fcm_hub_alert_new (connection));
          gtk_box_append (self->alerts_box, GTK_WIDGET (alert));
        }
      gtk_box_reorder_child_after (self->alerts_box, GTK_WIDGET (alert), previous);
      fcm_hub_alert_update (alert, connection == self->connection);
      previous = GTK_WIDGET (alert);
    }
  /* the alerts of connections no longer listed */
  child = previous != NULL ? gtk_widget_get_next_sibling (previous)
                           : gtk_widget_get_first_child (GTK_WIDGET (self->alerts_box));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (self->alerts_box, child);
      child = next;
    }
  gtk_revealer_set_reveal_child (self->alert_revealer,
                                 gtk_widget_get_first_child (GTK_WIDGET (self->alerts_box)) != NULL);
}

GtkWidget *
_fcm_window_get_alert (FcmWindow     *self,
                       FcmConnection *connection)
{
  return GTK_WIDGET (find_alert (self, connection));
}

/* the header: the shown hub's state as the subtitle; while any hub is not
 * in sync, the title says which (and the window's title, for the task bar) */
void
_fcm_window_update_current (FcmWindow *self)
{
  g_autofree char *alert_title = NULL;
  guint n_alerts = 0;
  guint n = self->connections != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->connections)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      if (fcm_connection_get_alert_kind (connection) == FCM_CONNECTION_ALERT_NONE)
        continue;
      if (n_alerts++ == 0)
        alert_title = fcm_connection_dup_alert_title (connection);
    }

  if (n_alerts == 0)
    {
      adw_window_title_set_title (self->window_title, _("FHIRcast Monitor"));
      gtk_window_set_title (GTK_WINDOW (self), _("FHIRcast Monitor"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->window_title), "error");
    }
  else
    {
      g_autofree char *window_title = NULL;

      if (n_alerts > 1)
        {
          g_free (alert_title);
          /* Translators: the header's title while several hubs have an alert */
          alert_title = g_strdup_printf (ngettext ("Sync lost on %u hub", "Sync lost on %u hubs", n_alerts),
                                         n_alerts);
        }
      adw_window_title_set_title (self->window_title, alert_title);
      /* Translators: the window's title for the task bar: an alert, then the app */
      window_title = g_strdup_printf (_("%s — FHIRcast Monitor"), alert_title);
      gtk_window_set_title (GTK_WINDOW (self), window_title);
      gtk_widget_add_css_class (GTK_WIDGET (self->window_title), "error");
    }

  if (self->connection != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                   fcm_connection_get_title (self->connection),
                                                   fcm_connection_get_status_text (self->connection));
      adw_window_title_set_subtitle (self->window_title, subtitle);
      /* no green "200 OK" next to an alert: the answer is history now */
      if (fcm_connection_get_alert_kind (self->connection) != FCM_CONNECTION_ALERT_NONE)
        gtk_widget_set_visible (GTK_WIDGET (self->answer_label), FALSE);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("Not connected"));

  _fcm_window_update_actions (self);
  _fcm_window_update_alerts (self);
}

/* Any connection: its alert changed → the alerts, a toast when its state
 * changed, the desktop notification. */
static void
connection_alert_changed_cb (FcmConnection *connection,
                             GParamSpec    *pspec,
                             FcmWindow     *self)
{
  HubState *st = hub_state (self, connection);
  FcmConnectionAlert kind = fcm_connection_get_alert_kind (connection);
  g_autofree char *title = fcm_connection_dup_alert_title (connection);
  g_autofree char *text = fcm_connection_dup_alert (connection);
  g_autofree char *alert = title != NULL ? g_strconcat (title, "\n", text, NULL) : NULL;

  if (kind != st->kind)
    {
      if (kind != FCM_CONNECTION_ALERT_NONE)
        replace_toast (st, title, TRUE);
      else
        {
          g_autofree char *back = NULL;

          /* C-66: restored; the desktop notification goes too */
          if (st->kind == FCM_CONNECTION_ALERT_SYNC_LOST)
            back = g_strdup_printf (_("Back in sync on %s"), fcm_connection_get_title (connection));
          else
            back = g_strdup_printf (_("Connected to %s"), fcm_connection_get_title (connection));
          replace_toast (st, back, FALSE);
        }
      st->kind = kind;
    }
  if (g_strcmp0 (alert, st->alert) != 0)
    {
      g_free (st->alert);
      st->alert = g_steal_pointer (&alert);
      if (st->alert != NULL)
        schedule_notification (st);
      else
        withdraw_soon (st);
    }

  _fcm_window_update_current (self);
}

/* win.dismiss-alert ("s": a connection id) */
void
_fcm_window_dismiss_alert_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmConnection *connection = _fcm_window_find_connection (self, g_variant_get_string (parameter, NULL));
  HubState *st;

  if (connection == NULL)
    return;
  st = hub_state (self, connection);
  g_free (st->dismissed);
  st->dismissed = g_strdup (st->alert);
  _fcm_window_update_alerts (self);
}

void
_fcm_window_is_active_cb (FcmWindow *self)
{
  /* Back in the window: notifications about what is fine again go. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
      {
        g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

        if (fcm_connection_get_alert_kind (connection) == FCM_CONNECTION_ALERT_NONE)
          withdraw_notification (hub_state (self, connection));
      }
}

/* the shown connection's state: the header's subtitle, the buttons */
static void
connection_status_changed_cb (FcmConnection *connection,
                              GParamSpec    *pspec,
                              FcmWindow     *self)
{
  if (connection == self->connection)
    _fcm_window_update_current (self);
}

/* tell the user when @connection loses sync or its hub, or gets it back */
void
_fcm_window_watch_alerts (FcmWindow     *self,
                          FcmConnection *connection)
{
  HubState *st = hub_state (self, connection);

  st->kind = fcm_connection_get_alert_kind (connection);
  g_signal_connect_object (connection, "notify::alert",
                           G_CALLBACK (connection_alert_changed_cb), self, 0);
  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (connection_status_changed_cb), self, 0);
}

/* @connection leaves the window: its notification and state go */
void
_fcm_window_unwatch_alerts (FcmWindow     *self,
                            FcmConnection *connection)
{
  HubState *st = g_object_get_data (G_OBJECT (connection), HUB_STATE_KEY);

  if (st != NULL)
    withdraw_notification (st);
  g_signal_handlers_disconnect_by_func (connection, connection_alert_changed_cb, self);
  g_signal_handlers_disconnect_by_func (connection, connection_status_changed_cb, self);
  g_object_set_data (G_OBJECT (connection), HUB_STATE_KEY, NULL);
}

AdwToast *
_fcm_window_get_toast (FcmWindow     *self,
                       FcmConnection *connection)
{
  HubState *st = g_object_get_data (G_OBJECT (connection), HUB_STATE_KEY);

  return st != NULL ? st->toast : NULL;
}

void
_fcm_window_set_notify_interval (FcmWindow *self,
                                 guint      interval_ms)
{
  self->notify_interval_ms = interval_ms;
}

/* ------------------------------------------------------------- testing mode */

/* Preferences → Testing: our acks refuse every event; say so until stopped */
static void
update_testing (FcmWindow *self)
{
  g_autofree char *policy = g_settings_get_string (self->settings, "ack-policy");
  guint status = (guint) g_ascii_strtoull (policy, NULL, 10);
  g_autofree char *text = fcm_testing_describe (status);

  if (text != NULL)
    {
      gtk_label_set_text (self->testing_label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->testing_revealer),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
  /* before the window is mapped this reveals at once: shown from the first
   * frame (a revealer with no transition would keep its room when hidden) */
  gtk_revealer_set_reveal_child (self->testing_revealer, text != NULL);
}

void
_fcm_window_stop_testing_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  g_settings_set_string (self->settings, "ack-policy", "200");
}

/* constructed: the settings are there */
void
_fcm_window_setup_alerts (FcmWindow *self)
{
  self->notify_interval_ms = DEFAULT_NOTIFY_INTERVAL_MS;
  g_signal_connect_object (self->settings, "changed::ack-policy",
                           G_CALLBACK (update_testing), self, G_CONNECT_SWAPPED);
  update_testing (self);
}

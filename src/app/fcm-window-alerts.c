/* fcm-window-alerts.c: what the window tells the user about its connections
 *
 * The header's subtitle names the shown connection and its state. While
 * sync is lost (a syncerror, C-63..C-68) or the connection is, an alert
 * under the header says why until it is dismissed or all is well again;
 * any connection's loss and return is also a toast, and a desktop
 * notification while the window is not focused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-window-private.h"

/* ------------------------------------------------------------ notifications */

static char *
notification_id (FcmConnection *connection)
{
  return g_strdup_printf ("sync-%p", (gpointer) connection);
}

/* Tell the user: a toast in the window, and a desktop notification when the
 * window is not focused (it stays in the shell's list until sync returns). */
static void
tell_user (FcmWindow     *self,
           FcmConnection *connection,
           const char    *title,
           const char    *body)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  if (FCM_IS_APPLICATION (app) && !gtk_window_is_active (GTK_WINDOW (self)) &&
      fcm_application_get_can_notify (FCM_APPLICATION (app)))
    {
      g_autoptr(GNotification) notification = g_notification_new (title);
      g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning-symbolic");
      g_autofree char *id = notification_id (connection);

      g_notification_set_body (notification, body);
      g_notification_set_icon (notification, icon);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action (notification, "app.show-window");
      g_application_send_notification (app, id, notification);
    }
}

void
_fcm_window_withdraw_notification (FcmWindow     *self,
                                   FcmConnection *connection)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = notification_id (connection);

  if (FCM_IS_APPLICATION (app) && g_application_get_is_registered (app) &&
      fcm_application_get_can_notify (FCM_APPLICATION (app)))
    g_application_withdraw_notification (app, id);
}

/* ------------------------------------------------------------------ alerts */

static void
update_alert (FcmWindow *self)
{
  g_autofree char *text = NULL;
  gboolean sync_lost = FALSE;

  if (self->connection != NULL)
    {
      text = fcm_connection_dup_alert (self->connection);
      sync_lost = !fcm_connection_get_connection_lost (self->connection);
    }

  if (g_strcmp0 (text, self->alert_text) != 0)
    {
      g_free (self->alert_text);
      self->alert_text = g_strdup (text);
      self->alert_dismissed = FALSE;
    }

  if (text != NULL)
    {
      gtk_label_set_text (self->alert_title, sync_lost ? _("Sync Lost") : _("Not Connected"));
      gtk_label_set_text (self->alert_label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->alert_revealer),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      sync_lost ? _("Sync lost") : _("Not connected"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }
  gtk_revealer_set_reveal_child (self->alert_revealer, text != NULL && !self->alert_dismissed);
}

/* the header's subtitle, the actions and the alert for the shown connection */
void
_fcm_window_update_current (FcmWindow *self)
{
  if (self->connection != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                   fcm_connection_get_title (self->connection),
                                                   fcm_connection_get_status_text (self->connection));
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("Not connected"));

  _fcm_window_update_actions (self);
  update_alert (self);
}

/* Any connection: sync lost or connection lost → tell the user, once per change. */
static void
connection_alert_changed_cb (FcmConnection *connection,
                             GParamSpec    *pspec,
                             FcmWindow     *self)
{
  g_autofree char *text = fcm_connection_dup_alert (connection);
  const char *previous = g_object_get_data (G_OBJECT (connection), "fcm-alert-text");

  if (g_strcmp0 (text, previous) != 0)
    {
      if (text != NULL)
        {
          gboolean sync_lost = !fcm_connection_get_connection_lost (connection);
          g_autofree char *title = NULL;

          /* Translators: %s is a hub, e.g. "Built-in Hub" or "hub.example.org:443" */
          title = g_strdup_printf (sync_lost ? _("Sync lost on %s") : _("Connection lost to %s"),
                                   fcm_connection_get_title (connection));
          tell_user (self, connection, title, text);
        }
      else
        {
          /* C-66: restored; the alert and the desktop notification go away */
          _fcm_window_withdraw_notification (self, connection);
          if (previous != NULL)
            {
              g_autofree char *title = g_strdup_printf (_("Back in sync on %s"),
                                                        fcm_connection_get_title (connection));
              adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
            }
        }
      g_object_set_data_full (G_OBJECT (connection), "fcm-alert-text",
                              g_steal_pointer (&text), g_free);
    }

  if (connection == self->connection)
    _fcm_window_update_current (self);
}

void
_fcm_window_dismiss_alert_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  self->alert_dismissed = TRUE;
  gtk_revealer_set_reveal_child (self->alert_revealer, FALSE);
}

void
_fcm_window_is_active_cb (FcmWindow *self)
{
  /* Back in the window: the toast and the alert say it all now. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
      {
        g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);
        g_autofree char *text = fcm_connection_dup_alert (connection);

        if (text == NULL)
          _fcm_window_withdraw_notification (self, connection);
      }
}

/* tell the user when @connection loses sync or its hub, or gets it back */
void
_fcm_window_watch_alerts (FcmWindow     *self,
                          FcmConnection *connection)
{
  g_signal_connect_object (connection, "notify::status-text",
                           G_CALLBACK (connection_alert_changed_cb), self, 0);
  g_signal_connect_object (connection, "notify::sync-lost",
                           G_CALLBACK (connection_alert_changed_cb), self, 0);
}

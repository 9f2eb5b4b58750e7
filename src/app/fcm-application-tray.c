/* fcm-application-tray.c: the application's tray icon, menu and tooltip
 *
 * Where the desktop has a StatusNotifierWatcher the app shows a tray icon
 * (fcm-tray.c) with a menu (fcm-tray-menu.c). The icon shows the worst
 * state of all connections: attention while any has lost sync or its hub
 * (C-68) or testing mode refuses every event, active while all are live. The tooltip and the menu name the
 * patient of the report the window shows and whether the app follows it
 * ("Doe, Jane · MRN 4711 — in sync"); the menu lists every hub and offers
 * Show Window, Open Report…, Close Report and Quit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-application-private.h"

#define TRAY_MENU_PATH "/MenuBar"

void
_fcm_application_update_tray (FcmApplication *self)
{
  FcmWindow *window = _fcm_application_get_window (self);
  GListModel *connections = window ? fcm_window_get_connections (window) : NULL;
  FcmConnection *shown = window ? fcm_window_get_connection (window) : NULL;
  FcmTrayStatus status = FCM_TRAY_STATUS_PASSIVE;
  g_autofree char *summary = NULL;
  g_autofree char *alert = NULL;
  g_autofree char *testing = NULL;
  g_autoptr(GString) tooltip = NULL;
  guint n_live = 0, n_alert = 0;

  if (self->tray == NULL)
    return;

  for (guint i = 0; connections != NULL && i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (connections, i);
      g_autofree char *title = fcm_connection_dup_alert_title (connection);

      if (title != NULL)
        {
          n_alert++;
          if (alert == NULL)
            {
              g_autofree char *text = fcm_connection_dup_alert (connection);

              /* Translators: the tray tooltip: an alert's title, then its text */
              alert = g_strdup_printf (_("%s: %s"), title, text);
            }
        }
      else if (fcm_connection_get_live (connection))
        n_live++;
    }

  /* testing mode refuses every event on purpose (issue 11.4): it needs
   * attention as much as a lost sync */
  testing = fcm_testing_describe (_fcm_application_ack_policy_status (self));
  if (n_alert > 0 || testing != NULL)
    status = FCM_TRAY_STATUS_NEEDS_ATTENTION;
  else if (n_live > 0)
    status = FCM_TRAY_STATUS_ACTIVE;
  fcm_tray_set_status (self->tray, status);

  /* who is in context and whether we follow; then what is wrong, if
   * anything, and whether testing mode is on */
  summary = fcm_tray_dup_summary (shown);
  tooltip = g_string_new (summary);
  if (alert != NULL)
    g_string_append_printf (tooltip, "\n%s", alert);
  if (testing != NULL)
    g_string_append_printf (tooltip, "\n%s", testing);
  fcm_tray_set_tooltip (self->tray, _("FHIRcast Monitor"), tooltip->str);

  fcm_tray_menu_update (self->tray_menu, connections, shown);
}

static void
tray_activate_cb (FcmTray        *tray,
                  int             x,
                  int             y,
                  FcmApplication *self)
{
  g_application_activate (G_APPLICATION (self));
}

static void
tray_menu_activated_cb (FcmTrayMenu    *menu,
                        const char     *action,
                        FcmApplication *self)
{
  FcmWindow *window;

  if (g_str_equal (action, FCM_TRAY_MENU_QUIT))
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);
      return;
    }
  if (g_str_equal (action, FCM_TRAY_MENU_SHOW_WINDOW))
    {
      g_application_activate (G_APPLICATION (self));
      return;
    }

  window = _fcm_application_get_window (self);
  if (window == NULL)
    return;
  if (g_str_equal (action, FCM_TRAY_MENU_OPEN_REPORT))
    {
      /* the dialog belongs to the window: show both */
      gtk_window_present (GTK_WINDOW (window));
      gtk_widget_activate_action (GTK_WIDGET (window), "win.open-report", NULL);
    }
  else if (g_str_equal (action, FCM_TRAY_MENU_CLOSE_REPORT))
    {
      /* the report the window shows, as its Close button would (C-47) */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.close-report", NULL);
    }
}

/**
 * _fcm_application_setup_tray:
 * @bus: the session bus
 *
 * From startup: the tray icon with its menu, registered with the
 * StatusNotifierWatcher now or whenever one appears; nothing is shown
 * where there is none (GNOME without the AppIndicator extension).
 */
void
_fcm_application_setup_tray (FcmApplication  *self,
                             GDBusConnection *bus)
{
  const char *app_id = g_application_get_application_id (G_APPLICATION (self));

  self->tray_menu = fcm_tray_menu_new (TRAY_MENU_PATH);
  g_signal_connect_object (self->tray_menu, "activated", G_CALLBACK (tray_menu_activated_cb), self, 0);

  self->tray = fcm_tray_new (app_id, app_id);
  fcm_tray_set_menu_path (self->tray, TRAY_MENU_PATH);
  g_signal_connect_object (self->tray, "activate", G_CALLBACK (tray_activate_cb), self, 0);
  fcm_tray_register (self->tray, bus);
  _fcm_application_update_tray (self);
}

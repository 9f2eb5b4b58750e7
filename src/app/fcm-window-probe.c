/* fcm-window-probe.c: "Test a Hub…" and "Test an App…" in the main window
 *
 * win.test-hub (Ctrl+T) tests the shown connection's hub, win.test-hub-at
 * the one at a position in the sidebar, from the hub's context menu there
 * (right click, Shift+F10 or the Menu key on a row); win.test-app
 * (Ctrl+Shift+T) starts the subscriber probe. Each opens a probe window
 * (fcm-probe-window.c), or brings back the one already open for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-probe-window.h"
#include "fcm-window-private.h"

static FcmProbeWindow *
find_probe_window (FcmConnection *connection,
                   gboolean       for_app)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (FCM_IS_PROBE_WINDOW (window) &&
          fcm_probe_window_get_for_app (FCM_PROBE_WINDOW (window)) == for_app &&
          (for_app || fcm_probe_window_get_connection (FCM_PROBE_WINDOW (window)) == connection))
        return FCM_PROBE_WINDOW (window);
    }
  return NULL;
}

static void
test_hub (FcmWindow     *self,
          FcmConnection *connection)
{
  FcmProbeWindow *window;

  if (connection == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("No hub to test: add a hub first")));
      return;
    }
  if (fcm_connection_get_recording (connection) != NULL)
    {
      /* the hub named in a recording's header was not asked for this */
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("A recording has no hub to test: select a live hub")));
      return;
    }
  window = find_probe_window (connection, FALSE);
  if (window == NULL)
    {
      window = fcm_probe_window_new_for_hub (GTK_WINDOW (self), connection);
      fcm_probe_window_run (window);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
test_hub_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  test_hub (self, self->connection);
}

static void
test_hub_at_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections),
                                                               g_variant_get_uint32 (parameter));

  test_hub (self, connection);
}

static void
test_app_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  FcmProbeWindow *window = find_probe_window (NULL, TRUE);
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    {
      window = fcm_probe_window_new_for_app (GTK_WINDOW (self), &error);
      if (window == NULL)
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Test an App"), error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
      fcm_probe_window_run (window);
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* ------------------------------------------- the sidebar's hub context menu */

static gboolean
unparent_idle (gpointer data)
{
  GtkWidget *popover = data;

  if (gtk_widget_get_parent (popover) != NULL)
    gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

/* after the menu's action ran: it is found through the popover's parent */
static void
menu_closed_cb (GtkPopover *popover)
{
  g_idle_add (unparent_idle, g_object_ref (popover));
}

static GtkWidget *
show_hub_menu (FcmWindow     *self,
               GtkListBoxRow *row,
               double         x,
               double         y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = g_menu_item_new (_("_Test This Hub…"), NULL);
  GtkWidget *popover;

  g_menu_item_set_action_and_target_value (item, "win.test-hub-at",
                                           g_variant_new_uint32 (gtk_list_box_row_get_index (row)));
  g_menu_append_item (menu, item);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_widget_set_parent (popover, GTK_WIDGET (row));
  if (x >= 0 && y >= 0)
    {
      gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
      gtk_popover_set_pointing_to (GTK_POPOVER (popover), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
    }
  g_signal_connect (popover, "closed", G_CALLBACK (menu_closed_cb), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  return popover;
}

/**
 * _fcm_window_show_hub_menu:
 * @position: a row of the sidebar
 *
 * Pops up the hub's context menu on that row, as Shift+F10 does there.
 *
 * Returns: (transfer none) (nullable): the menu, until it closes
 */
GtkWidget *
_fcm_window_show_hub_menu (FcmWindow *self,
                           guint      position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->connection_list, (int) position);

  return row != NULL ? show_hub_menu (self, row, -1, -1) : NULL;
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      FcmWindow       *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_y (self->connection_list, (int) y);
  double rx, ry;

  if (row == NULL ||
      !gtk_widget_translate_coordinates (GTK_WIDGET (self->connection_list), GTK_WIDGET (row), x, y, &rx, &ry))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_hub_menu (self, row, rx, ry);
}

static gboolean
menu_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  FcmWindow *self = user_data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->connection_list))
    return FALSE;
  show_hub_menu (self, GTK_LIST_BOX_ROW (row), -1, -1);
  return TRUE;
}

/* ------------------------------------------------------------------ hooks */

void
_fcm_window_probe_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.test-hub", NULL, test_hub_action);
  gtk_widget_class_install_action (widget_class, "win.test-hub-at", "u", test_hub_at_action);
  gtk_widget_class_install_action (widget_class, "win.test-app", NULL, test_app_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.test-hub", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.test-app", NULL);
}

void
_fcm_window_probe_init (FcmWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutTrigger *trigger;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (secondary_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->connection_list), GTK_EVENT_CONTROLLER (click));

  trigger = gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_Menu, 0));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (trigger, gtk_callback_action_new (menu_key_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->connection_list), keys);
}

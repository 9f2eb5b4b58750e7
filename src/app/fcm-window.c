/* fcm-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sidebar of hub connections (C-07), and for the selected one: the
 * context panel, the event timeline with its details, the buttons that
 * request context changes (C-44) with the hub's answer inline, and the
 * persistent alert while sync is lost (C-63..C-68).
 *
 * This file is the window's shell: its template, actions and shortcuts,
 * and its size kept across runs. The subscribers panel (Ctrl+Shift+S,
 * fcm-subscribers-panel.c) folds over the timeline when there is no room
 * beside it. The rest is split by concern:
 *   fcm-window-sidebar.c  the hub connections, which one is shown, Add Hub
 *   fcm-window-report.c   the report buttons and the hub's answer
 *   fcm-window-alerts.c   the header's status, the alert, toasts and
 *                         desktop notifications
 *   fcm-window-probe.c    Test a Hub…, Test an App…
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-a11y.h"
#include "fcm-event-details.h"
#include "fcm-resize-fence.h"
#include "fcm-view-pace.h"
#include "fcm-window-private.h"

/* the hub's frames wait for the window's redraw and the views' applies,
 * not the other way round (fcm-view-pace.h) */
G_STATIC_ASSERT (FCM_VIEW_APPLY_PRIORITY > GDK_PRIORITY_REDRAW);
G_STATIC_ASSERT (FCM_CONNECTION_FRAME_PRIORITY > FCM_VIEW_APPLY_PRIORITY);

G_DEFINE_FINAL_TYPE (FcmWindow, fcm_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * fcm_window_new:
 * @application: the #FcmApplication
 *
 * Returns: (transfer none): a new main window, owned by GTK's toplevel list
 */
FcmWindow *
fcm_window_new (FcmApplication *application)
{
  g_return_val_if_fail (FCM_IS_APPLICATION (application), NULL);

  return g_object_new (FCM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/* ----------------------------------------------------------------- actions */

static void
export_timeline_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (FCM_WINDOW (widget)->timeline), "timeline.export", NULL);
}

static void
clear_timeline_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (FCM_WINDOW (widget)->timeline), "timeline.clear", NULL);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* The header's subscribers toggle only where it leaves the title room: a
 * narrow window (the sidebar folded) has Ctrl+Shift+S and the main menu,
 * and keeps "Sync lost" in the subtitle readable */
static gboolean
update_subscribers_button (gpointer data)
{
  FcmWindow *self = data;

  self->folded_idle = 0;
  gtk_widget_set_visible (self->subscribers_button, !adw_flap_get_folded (self->flap));
  return G_SOURCE_REMOVE;
}

/* the flap folds while the window is allocated: not the moment to resize
 * the header bar */
static void
flap_folded_cb (FcmWindow *self)
{
  if (self->folded_idle == 0)
    self->folded_idle = g_idle_add (update_subscribers_button, self);
}

static void
toggle_subscribers_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);

  adw_flap_set_reveal_flap (self->subscribers_flap, !adw_flap_get_reveal_flap (self->subscribers_flap));
}

/* F6 and Shift+F6: sidebar → context → timeline → details (→ subscribers
 * when shown), so a long
 * timeline (or a long context) can be skipped by keyboard. A region that is
 * hidden or has nothing to focus is passed over. */
static GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
get_regions (FcmWindow  *self,
             GtkWidget **regions)
{
  guint n = 0;

  regions[n++] = adw_flap_get_flap (self->flap);
  regions[n++] = GTK_WIDGET (self->context_panel);
  /* the timeline's rows, then the selected message's details */
  regions[n++] = fcm_timeline_get_rows (self->timeline);
  regions[n++] = find_widget_of_type (GTK_WIDGET (self->timeline), FCM_TYPE_EVENT_DETAILS);
  regions[n++] = GTK_WIDGET (self->subscribers_panel);
  return n;
}

static gboolean
focus_region (FcmWindow *self,
              GtkWidget *region)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (region == NULL || !gtk_widget_is_drawable (region))
    return FALSE;
  if (region == fcm_timeline_get_rows (self->timeline))
    return gtk_widget_grab_focus (region);
  if (gtk_widget_child_focus (region, GTK_DIR_TAB_FORWARD))
    return TRUE;
  /* child_focus may have cycled inside a region that already had focus */
  return focus != gtk_root_get_focus (GTK_ROOT (self)) &&
         gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (self)), region);
}

static void
region_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  GtkWidget *regions[5];
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  guint n = get_regions (self, regions);
  int step = g_str_equal (action_name, "win.next-region") ? 1 : -1;
  int current = -1;

  for (guint i = 0; i < n && focus != NULL; i++)
    if (regions[i] != NULL && (focus == regions[i] || gtk_widget_is_ancestor (focus, regions[i])))
      current = i;

  for (guint tries = 1; tries <= n; tries++)
    {
      int next = current < 0 ? (step > 0 ? (int) tries - 1 : (int) (n - tries))
                             : (int) ((current + step * (int) tries + (int) n) % (int) n);

      if (regions[next] != NULL && focus_region (self, regions[next]))
        {
          gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
          return;
        }
    }
  gtk_widget_error_bell (widget);
}

/* ------------------------------------------------------------ window state */

static void
restore_window_state (FcmWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (FcmWindow *self)
{
  int width = 0;
  int height = 0;

  /* In GTK 4 the default size follows the unmaximized window size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
fcm_window_close_request (GtkWindow *window)
{
  FcmWindow *self = FCM_WINDOW (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (fcm_window_parent_class);

  save_window_state (self);

  if (parent_class->close_request != NULL)
    return parent_class->close_request (window);

  return FALSE;
}

static void
fcm_window_constructed (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);
  GtkApplication *app;

  G_OBJECT_CLASS (fcm_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (FCM_IS_APPLICATION (app))
    self->settings = g_object_ref (fcm_application_get_settings (FCM_APPLICATION (app)));
  else
    self->settings = g_settings_new (BASE_APP_ID);

  restore_window_state (self);
  _fcm_window_setup_alerts (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
fcm_window_dispose (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->folded_idle, g_source_remove);
  _fcm_window_unwatch_context (self);
  for (guint i = 0; self->connections && i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
    {
      g_autoptr(FcmConnection) connection = g_list_model_get_item (G_LIST_MODEL (self->connections), i);

      g_signal_handlers_disconnect_by_data (connection, self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FCM_TYPE_WINDOW);

  g_clear_object (&self->connection);
  g_clear_object (&self->connections);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fcm_window_parent_class)->dispose (object);
}

static void
fcm_window_finalize (GObject *object)
{
  FcmWindow *self = FCM_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fcm_window_parent_class)->finalize (object);
}

static void
fcm_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FcmWindow *self = FCM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* fcm-window-sidebar.c: the shown connection changed */
void
_fcm_window_notify_connection (FcmWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

static void
fcm_window_class_init (FcmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fcm_window_constructed;
  object_class->dispose = fcm_window_dispose;
  object_class->finalize = fcm_window_finalize;
  object_class->get_property = fcm_window_get_property;

  /**
   * FcmWindow:connection:
   *
   * The connection shown (fcm_window_set_connection()).
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, FCM_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = fcm_window_close_request;

  g_type_ensure (FCM_TYPE_RESIZE_FENCE);
  g_type_ensure (FCM_TYPE_CONTEXT_PANEL);
  g_type_ensure (FCM_TYPE_TIMELINE);
  g_type_ensure (FCM_TYPE_SUBSCRIBERS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/"
                                               "fcm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, connection_details);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, hub_url_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, topic_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alert_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, alerts_box);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, testing_revealer);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, testing_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, answer_label);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, close_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, update_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, select_button);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, context_panel);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, subscribers_flap);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, subscribers_panel);
  gtk_widget_class_bind_template_child (widget_class, FcmWindow, subscribers_button);

  gtk_widget_class_install_action (widget_class, "win.open-report", NULL, _fcm_window_open_report_action);
  gtk_widget_class_install_action (widget_class, "win.close-report", NULL, _fcm_window_publish_action);
  gtk_widget_class_install_action (widget_class, "win.update-report", NULL, _fcm_window_publish_action);
  gtk_widget_class_install_action (widget_class, "win.select-content", NULL, _fcm_window_publish_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-alert", "s", _fcm_window_dismiss_alert_action);
  gtk_widget_class_install_action (widget_class, "win.show-connection", "s", _fcm_window_show_connection_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect-connection", "s", _fcm_window_reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.stop-testing", NULL, _fcm_window_stop_testing_action);
  gtk_widget_class_install_action (widget_class, "win.resume-report", "s", _fcm_window_resume_report_action);
  gtk_widget_class_install_action (widget_class, "win.close-suspended", "s", _fcm_window_close_suspended_action);
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL, _fcm_window_add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, _fcm_window_reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.remove-connection", NULL, _fcm_window_remove_connection_action);
  gtk_widget_class_install_action (widget_class, "win.export-timeline", NULL, export_timeline_action);
  gtk_widget_class_install_action (widget_class, "win.open-recording", NULL, _fcm_window_open_recording_action);
  gtk_widget_class_install_action (widget_class, "win.export-bug-report", NULL, _fcm_window_export_bug_report_action);
  gtk_widget_class_install_action (widget_class, "win.clear-timeline", NULL, clear_timeline_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-subscribers", NULL, toggle_subscribers_action);
  gtk_widget_class_install_action (widget_class, "win.copy-hub-url", NULL, _fcm_window_copy_action);
  gtk_widget_class_install_action (widget_class, "win.copy-topic", NULL, _fcm_window_copy_action);
  gtk_widget_class_install_action (widget_class, "win.next-region", NULL, region_action);
  gtk_widget_class_install_action (widget_class, "win.previous-region", NULL, region_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_W, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.close-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.update-report", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.select-content", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reconnect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.export-timeline", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.toggle-subscribers", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.next-region", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, GDK_SHIFT_MASK, "win.previous-region", NULL);
  _fcm_window_probe_class_init (widget_class);
}

static void
fcm_window_init (FcmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  _fcm_window_setup_sidebar (self);
  _fcm_window_probe_init (self);
  /* one accessible name each; the header's buttons say what they act on */
  g_object_set_data (G_OBJECT (self->close_button), "fcm-a11y-name", (gpointer) _("Close Report"));
  g_object_set_data (G_OBJECT (self->update_button), "fcm-a11y-name", (gpointer) _("Update Report"));
  g_object_set_data (G_OBJECT (self->select_button), "fcm-a11y-name", (gpointer) _("Select Content"));
  fcm_a11y_fix_names (GTK_WIDGET (self));
  /* a suspended report chosen in the panel is what Close/Update/Select act on */
  g_signal_connect_object (self->context_panel, "notify::chosen",
                           G_CALLBACK (_fcm_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::is-active", G_CALLBACK (_fcm_window_is_active_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (flap_folded_cb), self, G_CONNECT_SWAPPED);
  update_subscribers_button (self);
  _fcm_window_update_current (self);
}

/* ------------------------------------------------------------ private, for tests */

void
fcm_window_get_parts (FcmWindow      *self,
                      FcmWindowParts *parts)
{
  g_return_if_fail (FCM_IS_WINDOW (self));

  parts->alert_revealer = self->alert_revealer;
  parts->testing_revealer = self->testing_revealer;
  parts->testing_label = self->testing_label;
  parts->window_title = GTK_WIDGET (self->window_title);
  parts->toast_overlay = self->toast_overlay;
  parts->answer_label = self->answer_label;
  parts->context_panel = GTK_WIDGET (self->context_panel);
  parts->timeline = GTK_WIDGET (self->timeline);
  parts->connection_list = self->connection_list;
  parts->open_button = self->open_button;
  parts->hub_url_label = self->hub_url_label;
  parts->topic_label = self->topic_label;
  parts->flap = self->flap;
  parts->subscribers_flap = self->subscribers_flap;
  parts->subscribers_panel = GTK_WIDGET (self->subscribers_panel);
}

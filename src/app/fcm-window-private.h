/* fcm-window-private.h: internals of the window shared between its files
 * (fcm-window*.c), and what the tests may look at inside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-context-panel.h"
#include "fcm-subscribers-panel.h"
#include "fcm-timeline.h"
#include "fcm-window.h"

G_BEGIN_DECLS

struct _FcmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GListStore           *connections;
  FcmConnection        *connection;       /* the selected one */
  GCancellable         *cancellable;
  guint                 notify_interval_ms;  /* desktop notifications, per hub */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwFlap              *flap;
  GtkListBox           *connection_list;
  GtkWidget            *connection_details;
  GtkLabel             *hub_url_label;
  GtkLabel             *topic_label;
  GtkRevealer          *alert_revealer;
  GtkBox               *alerts_box;
  GtkRevealer          *testing_revealer;
  GtkLabel             *testing_label;
  GtkLabel             *answer_label;
  GtkWidget            *open_button;
  GtkWidget            *close_button;
  GtkWidget            *update_button;
  GtkWidget            *select_button;
  FcmContextPanel      *context_panel;
  FcmTimeline          *timeline;
  AdwFlap              *subscribers_flap;
  FcmSubscribersPanel  *subscribers_panel;
  GtkWidget            *subscribers_button;
  guint                 folded_idle;      /* shows or hides subscribers_button */
};

/* fcm-window-alerts.c: the header's status line, an alert for each hub
 * that lost sync or its connection, toasts, desktop notifications and the
 * testing banner */
void _fcm_window_setup_alerts             (FcmWindow      *self);
void _fcm_window_update_current           (FcmWindow      *self);
void _fcm_window_update_alerts            (FcmWindow      *self);
void _fcm_window_watch_alerts             (FcmWindow      *self,
                                           FcmConnection  *connection);
void _fcm_window_unwatch_alerts           (FcmWindow      *self,
                                           FcmConnection  *connection);
void _fcm_window_is_active_cb             (FcmWindow      *self);
void _fcm_window_dismiss_alert_action     (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_stop_testing_action      (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_add_toast                (FcmWindow      *self,
                                           AdwToast       *toast);

/* fcm-window-recording.c: Open Recording… and Export Bug Report… */
void _fcm_window_open_recording_action    (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_export_bug_report_action (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_open_recording           (FcmWindow           *self,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
int  _fcm_window_open_recording_finish    (FcmWindow           *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void _fcm_window_export_bug_report        (FcmWindow           *self,
                                           GFile               *destination,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean _fcm_window_export_bug_report_finish (FcmWindow       *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* fcm-window-report.c: the buttons that ask for context changes (C-44) and
 * the hub's answer */
void _fcm_window_update_actions           (FcmWindow      *self);
void _fcm_window_open_report_action       (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_publish_action           (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_resume_report_action     (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_close_suspended_action   (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);

/* fcm-window-sidebar.c: the hub connections, which one is shown */
void _fcm_window_setup_sidebar            (FcmWindow      *self);
void _fcm_window_unwatch_context          (FcmWindow      *self);
void _fcm_window_add_connection_action    (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_reconnect_action         (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_show_connection_action   (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
FcmConnection *_fcm_window_find_connection (FcmWindow     *self,
                                           const char     *id);
void _fcm_window_remove_connection_action (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);
void _fcm_window_copy_action              (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);

/* fcm-window.c: FcmWindow:connection changed */
void _fcm_window_notify_connection        (FcmWindow      *self);

/* fcm-window-probe.c: Test a Hub…, Test an App…, the sidebar's hub menu */
void _fcm_window_probe_class_init         (GtkWidgetClass *widget_class);
void _fcm_window_probe_init               (FcmWindow      *self);
GtkWidget *_fcm_window_show_hub_menu      (FcmWindow      *self,
                                           guint           position);

/* for tests */
typedef struct
{
  GtkRevealer *alert_revealer;
  GtkRevealer *testing_revealer;
  GtkLabel    *testing_label;
  GtkWidget   *window_title;
  AdwToastOverlay *toast_overlay;
  GtkLabel    *answer_label;
  GtkWidget   *context_panel;
  GtkWidget   *timeline;
  GtkListBox  *connection_list;
  GtkWidget   *open_button;
  GtkLabel    *hub_url_label;
  GtkLabel    *topic_label;
  AdwFlap     *flap;
  AdwFlap     *subscribers_flap;
  GtkWidget   *subscribers_panel;
} FcmWindowParts;

void fcm_window_get_parts (FcmWindow      *self,
                           FcmWindowParts *parts);
/* the alert shown for @connection, or %NULL (FcmHubAlert) */
GtkWidget *_fcm_window_get_alert (FcmWindow     *self,
                                  FcmConnection *connection);
/* a report button's tooltip, computed on demand (query-tooltip) */
const char *_fcm_window_get_button_tooltip (GtkWidget *button);
/* the last toast about @connection while it is up or queued, or %NULL */
AdwToast *_fcm_window_get_toast (FcmWindow     *self,
                                 FcmConnection *connection);
/* the shortest time between two desktop notifications for one hub */
void _fcm_window_set_notify_interval (FcmWindow *self,
                                      guint      interval_ms);

G_END_DECLS

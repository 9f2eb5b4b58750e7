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
  gboolean              alert_dismissed;  /* for the current alert text */
  char                 *alert_text;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwFlap              *flap;
  GtkListBox           *connection_list;
  GtkWidget            *connection_details;
  GtkLabel             *hub_url_label;
  GtkLabel             *topic_label;
  GtkRevealer          *alert_revealer;
  GtkLabel             *alert_title;
  GtkLabel             *alert_label;
  GtkImage             *alert_icon;
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

/* fcm-window-alerts.c: the header's status line, the alert while sync or
 * the connection is lost, toasts and desktop notifications */
void _fcm_window_update_current           (FcmWindow      *self);
void _fcm_window_watch_alerts             (FcmWindow      *self,
                                           FcmConnection  *connection);
void _fcm_window_withdraw_notification    (FcmWindow      *self,
                                           FcmConnection  *connection);
void _fcm_window_is_active_cb             (FcmWindow      *self);
void _fcm_window_dismiss_alert_action     (GtkWidget      *widget,
                                           const char     *action_name,
                                           GVariant       *parameter);

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
  GtkLabel    *alert_title;
  GtkLabel    *alert_label;
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

G_END_DECLS

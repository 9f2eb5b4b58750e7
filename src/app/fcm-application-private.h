/* fcm-application-private.h: internals of the application shared between
 * its files (fcm-application*.c), and what the tests may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-application.h"
#include "fcm-tray.h"
#include "fcm-tray-menu.h"
#include "fcm-window.h"

G_BEGIN_DECLS

struct _FcmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  FcmTray        *tray;
  FcmTrayMenu    *tray_menu;
  gboolean        started_connections;
  guint           notify_watch[2];
  guint           settings_idle;
  gboolean        notify_owned[2];
  gboolean        testing_was_on;     /* at start-up: say that it is off now */

  /* fcm-application-quit.c */
  GtkWidget      *quit_dialog;
  guint           signal_source[3];   /* SIGTERM, SIGINT, SIGHUP */
  gboolean        leaving;            /* unsubscribing before the exit */
  gboolean        left;

  /* fcm-application-hubs.c */
  guint           taken_port;         /* the built-in hub's port was taken */
  gboolean        storing_builtin;    /* its first port and topic */
  GtkWidget      *port_dialog;
};

/* fcm-application.c */
void       _fcm_application_start                     (FcmApplication *self,
                                                       gboolean        present);
FcmWindow *_fcm_application_get_window                (FcmApplication *self);
FcmWindow *_fcm_application_ensure_window             (FcmApplication *self);
GPtrArray *_fcm_application_dup_connections           (FcmApplication *self);
guint      _fcm_application_ack_policy_status         (FcmApplication *self);

/* fcm-application-tray.c: the tray icon, its menu and tooltip */
void       _fcm_application_setup_tray                (FcmApplication  *self,
                                                       GDBusConnection *bus);
void       _fcm_application_update_tray               (FcmApplication *self);

/* fcm-application-quit.c: background, Quit, signals, the session's end */
void       _fcm_application_setup_quit                (FcmApplication *self);
void       _fcm_application_leave_and_quit            (FcmApplication *self);
void       _fcm_application_leave_now                 (FcmApplication *self);
void       _fcm_application_quit_action               (GSimpleAction  *action,
                                                       GVariant       *parameter,
                                                       gpointer        user_data);
GStrv      _fcm_application_dup_other_subscribers     (FcmApplication *self) G_GNUC_WARN_UNUSED_RESULT;
char      *_fcm_application_describe_subscribers      (const char * const *names) G_GNUC_WARN_UNUSED_RESULT;

/* fcm-application-connections.c: settings and options into connections */
void       _fcm_application_follow_settings           (FcmApplication *self);
int        _fcm_application_connect_from_options      (FcmApplication          *self,
                                                       GApplicationCommandLine *command_line,
                                                       GVariantDict            *options);
void       _fcm_application_add_connection_full       (FcmApplication     *self,
                                                       FcmConnection      *connection,
                                                       gboolean            start,
                                                       const char * const *events);
void       _fcm_application_add_settings_connection   (FcmApplication *self,
                                                       FcmConnection  *connection,
                                                       gboolean        start);

/* fcm-application-hubs.c: the built-in hub kept across restarts, and the
 * hubs added with Add Hub remembered */
void       _fcm_application_start_builtin_hub         (FcmApplication *self,
                                                       const char     *subscriber_name);
gboolean   _fcm_application_builtin_hub_matches_settings (FcmApplication *self);
void       _fcm_application_show_port_taken           (FcmApplication *self);
guint      _fcm_application_find_free_port            (guint           near);
void       _fcm_application_start_remembered_hubs     (FcmApplication *self);

/* What a first activation does when "auto-connect" is on: the built-in hub,
 * or the hub and topic (or GetTopic user) from the preferences, and the
 * hubs added with Add Hub. */
void _fcm_application_start_default_connections (FcmApplication *self);
/* Stop reconnecting when the hub URL, topic or GetTopic user change. */
void _fcm_application_stop_following_settings   (FcmApplication *self);
/* Before GTK starts: no OpenGL when asked to draw with cairo (the app does
 * it in fcm_application_new(); benchmarks that make windows alone too). */
void _fcm_application_skip_gl_when_drawing_with_cairo (void);

G_END_DECLS

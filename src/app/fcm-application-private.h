/* fcm-application-private.h: internals of the application shared between
 * its files (fcm-application*.c), and what the tests may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-application.h"
#include "fcm-tray.h"
#include "fcm-window.h"

G_BEGIN_DECLS

struct _FcmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  FcmTray        *tray;
  gboolean        started_connections;
  guint           notify_watch[2];
  guint           settings_idle;
  gboolean        notify_owned[2];
};

/* fcm-application.c */
FcmWindow *_fcm_application_ensure_window             (FcmApplication *self);
void       _fcm_application_update_tray               (FcmApplication *self);

/* fcm-application-connections.c: settings and options into connections */
void       _fcm_application_follow_settings           (FcmApplication *self);
int        _fcm_application_connect_from_options      (FcmApplication          *self,
                                                       GApplicationCommandLine *command_line,
                                                       GVariantDict            *options);

/* What a first activation does when "auto-connect" is on: the built-in hub,
 * or the hub and topic (or GetTopic user) from the preferences. */
void _fcm_application_start_default_connections (FcmApplication *self);
/* Stop reconnecting when the hub URL, topic or GetTopic user change. */
void _fcm_application_stop_following_settings   (FcmApplication *self);

G_END_DECLS

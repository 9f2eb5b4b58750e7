/* fcm-connection.h: one hub connection of the app (client + monitor, maybe an embedded hub)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-client.h"
#include "fcm-hub.h"

G_BEGIN_DECLS

/* Where the hub's frames are handed on (fcm_hub_client_set_frame_priority()):
 * just below GDK_PRIORITY_REDRAW (G_PRIORITY_HIGH_IDLE + 20; this file is
 * built without GTK too, fcm-window.c checks the order) */
#define FCM_CONNECTION_FRAME_PRIORITY (G_PRIORITY_HIGH_IDLE + 30)

/**
 * FcmConnectionAlert:
 * @FCM_CONNECTION_ALERT_NONE: all is well
 * @FCM_CONNECTION_ALERT_COULD_NOT_CONNECT: subscribing failed (never live, or a
 *   failed Reconnect)
 * @FCM_CONNECTION_ALERT_CONNECTION_LOST: was live, the hub is out of reach;
 *   reconnecting (C-68)
 * @FCM_CONNECTION_ALERT_ENDED: the hub ended the subscription
 * @FCM_CONNECTION_ALERT_SYNC_LOST: a syncerror, sync not restored (C-63, C-66)
 *
 * What a connection's alert is about; a lost connection comes before a lost
 * sync (C-68 before C-63).
 */
typedef enum
{
  FCM_CONNECTION_ALERT_NONE,
  FCM_CONNECTION_ALERT_COULD_NOT_CONNECT,
  FCM_CONNECTION_ALERT_CONNECTION_LOST,
  FCM_CONNECTION_ALERT_ENDED,
  FCM_CONNECTION_ALERT_SYNC_LOST,
} FcmConnectionAlert;

#define FCM_TYPE_CONNECTION (fcm_connection_get_type ())
G_DECLARE_FINAL_TYPE (FcmConnection, fcm_connection, FCM, CONNECTION, GObject)

FcmConnection  *fcm_connection_new_embedded      (GError         **error) G_GNUC_WARN_UNUSED_RESULT;
FcmConnection  *fcm_connection_new_embedded_at   (guint            port,
                                                  const char      *topic,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
FcmConnection  *fcm_connection_new               (const char      *hub_url,
                                                  const char      *topic,
                                                  const char      *subscriber_name) G_GNUC_WARN_UNUSED_RESULT;

FcmConnection  *fcm_connection_new_recording     (GFile           *file,
                                                  const char      *hub_url,
                                                  const char      *topic) G_GNUC_WARN_UNUSED_RESULT;
GFile          *fcm_connection_get_recording     (FcmConnection   *self);

FcmMonitor     *fcm_connection_get_monitor       (FcmConnection   *self);
FcmHubClient   *fcm_connection_get_client        (FcmConnection   *self);
FcmHub         *fcm_connection_get_hub           (FcmConnection   *self);
gboolean        fcm_connection_get_embedded      (FcmConnection   *self);
const char     *fcm_connection_get_title         (FcmConnection   *self);
const char     *fcm_connection_get_subtitle      (FcmConnection   *self);
FcmClientState  fcm_connection_get_state         (FcmConnection   *self);
gboolean        fcm_connection_get_live          (FcmConnection   *self);
const char     *fcm_connection_get_status_text   (FcmConnection   *self);
const char     *fcm_connection_get_last_error    (FcmConnection   *self);
gboolean        fcm_connection_get_connection_lost (FcmConnection *self);
FcmConnectionAlert fcm_connection_get_alert_kind (FcmConnection  *self);
char           *fcm_connection_dup_alert_title   (FcmConnection   *self) G_GNUC_WARN_UNUSED_RESULT;
char           *fcm_connection_dup_alert         (FcmConnection   *self) G_GNUC_WARN_UNUSED_RESULT;
const char     *fcm_connection_get_id            (FcmConnection   *self);

void            fcm_connection_start             (FcmConnection   *self);
void            fcm_connection_stop              (FcmConnection   *self);
void            fcm_connection_set_failed        (FcmConnection   *self,
                                                  const char      *message);

void            fcm_connection_publish_async     (FcmConnection   *self,
                                                  const char      *event_name,
                                                  JsonArray       *context,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
guint           fcm_connection_publish_finish    (FcmConnection   *self,
                                                  GAsyncResult    *result,
                                                  char           **out_reason,
                                                  GError         **error);

char           *fcm_testing_describe             (guint            ack_status) G_GNUC_WARN_UNUSED_RESULT;

JsonArray      *fcm_connection_build_demo_update (FcmConnection   *self,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_close       (FcmConnection   *self,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_select      (FcmConnection   *self,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_close_for   (FcmConnection   *self,
                                                  FcmContextItem  *item,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_demo_update_for (FcmConnection *self,
                                                  FcmContextItem  *item,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_select_for  (FcmConnection   *self,
                                                  FcmContextItem  *item,
                                                  GError         **error) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_connection_build_resume      (FcmConnection   *self,
                                                  FcmContextItem  *item) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

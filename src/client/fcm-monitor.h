/* fcm-monitor.h: one hub connection wired client → validator → event log → context store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-context-store.h"
#include "fcm-event-log.h"
#include "fcm-hub-client.h"

G_BEGIN_DECLS

#define FCM_TYPE_MONITOR (fcm_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FcmMonitor, fcm_monitor, FCM, MONITOR, GObject)

FcmMonitor      *fcm_monitor_new                 (FcmHubClient *client) G_GNUC_WARN_UNUSED_RESULT;
FcmHubClient    *fcm_monitor_get_client          (FcmMonitor   *self);
FcmEventLog     *fcm_monitor_get_event_log       (FcmMonitor   *self);
void             fcm_monitor_set_log_enabled     (FcmMonitor   *self,
                                                  gboolean      enabled);
FcmContextStore *fcm_monitor_get_context_store   (FcmMonitor   *self);
FcmClientState   fcm_monitor_get_state           (FcmMonitor   *self);
FcmEvent        *fcm_monitor_get_last_sync_error (FcmMonitor   *self);
gboolean         fcm_monitor_get_sync_lost       (FcmMonitor   *self);
void             fcm_monitor_dismiss_sync_error  (FcmMonitor   *self);

G_END_DECLS

/* fcm-hub-alert.h: one hub's persistent alert under the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

#define FCM_TYPE_HUB_ALERT (fcm_hub_alert_get_type ())
G_DECLARE_FINAL_TYPE (FcmHubAlert, fcm_hub_alert, FCM, HUB_ALERT, GtkWidget)

GtkWidget     *fcm_hub_alert_new            (FcmConnection *connection);
FcmConnection *fcm_hub_alert_get_connection (FcmHubAlert   *self);
void           fcm_hub_alert_update         (FcmHubAlert   *self,
                                             gboolean       shown);
const char    *fcm_hub_alert_get_title      (FcmHubAlert   *self);
const char    *fcm_hub_alert_get_text       (FcmHubAlert   *self);

G_END_DECLS

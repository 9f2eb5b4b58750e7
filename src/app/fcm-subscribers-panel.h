/* fcm-subscribers-panel.h: the subscribers of the shown hub's topic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-connection.h"

G_BEGIN_DECLS

#define FCM_TYPE_SUBSCRIBERS_PANEL (fcm_subscribers_panel_get_type ())

G_DECLARE_FINAL_TYPE (FcmSubscribersPanel, fcm_subscribers_panel, FCM, SUBSCRIBERS_PANEL, GtkWidget)

GtkWidget     *fcm_subscribers_panel_new            (void);
FcmConnection *fcm_subscribers_panel_get_connection (FcmSubscribersPanel *self);
void           fcm_subscribers_panel_set_connection (FcmSubscribersPanel *self,
                                                     FcmConnection       *connection);

G_END_DECLS

/* fcm-context-panel.h: the current and suspended report contexts of a monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-client.h"

G_BEGIN_DECLS

#define FCM_TYPE_CONTEXT_PANEL (fcm_context_panel_get_type ())

G_DECLARE_FINAL_TYPE (FcmContextPanel, fcm_context_panel, FCM, CONTEXT_PANEL, GtkWidget)

GtkWidget      *fcm_context_panel_new         (void);
FcmMonitor     *fcm_context_panel_get_monitor (FcmContextPanel *self);
void            fcm_context_panel_set_monitor (FcmContextPanel *self,
                                               FcmMonitor      *monitor);
FcmContextItem *fcm_context_panel_get_chosen  (FcmContextPanel *self);
void            fcm_context_panel_set_chosen  (FcmContextPanel *self,
                                               FcmContextItem  *item);
FcmContextItem *fcm_context_panel_get_target  (FcmContextPanel *self);

G_END_DECLS

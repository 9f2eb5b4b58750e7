/* fcm-timeline.h: the event timeline (filter, search, rows, details)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fcm-client.h"

G_BEGIN_DECLS

#define FCM_TYPE_TIMELINE (fcm_timeline_get_type ())

G_DECLARE_FINAL_TYPE (FcmTimeline, fcm_timeline, FCM, TIMELINE, GtkWidget)

GtkWidget        *fcm_timeline_new            (void);
FcmEventLog      *fcm_timeline_get_event_log  (FcmTimeline *self);
void              fcm_timeline_set_event_log  (FcmTimeline *self,
                                               FcmEventLog *log);
void              fcm_timeline_set_recorder   (FcmTimeline *self,
                                               FcmRecorder *recorder);
FcmEventLogEntry *fcm_timeline_get_selected   (FcmTimeline *self);
GtkWidget        *fcm_timeline_get_rows       (FcmTimeline *self);

G_END_DECLS

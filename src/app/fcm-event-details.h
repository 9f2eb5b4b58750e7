/* fcm-event-details.h: the pretty JSON and validation issues of one timeline entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fcm-client.h"

G_BEGIN_DECLS

#define FCM_TYPE_EVENT_DETAILS (fcm_event_details_get_type ())

G_DECLARE_FINAL_TYPE (FcmEventDetails, fcm_event_details, FCM, EVENT_DETAILS, GtkWidget)

GtkWidget        *fcm_event_details_new          (void);
void              fcm_event_details_set_entry    (FcmEventDetails  *self,
                                                  FcmEventLogEntry *entry);
FcmEventLogEntry *fcm_event_details_get_entry    (FcmEventDetails  *self);
char             *fcm_event_details_format_json  (FcmEventLogEntry *entry) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

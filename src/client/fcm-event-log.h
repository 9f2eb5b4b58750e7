/* fcm-event-log.h: a timeline of everything a subscriber received (GListModel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-event-log-entry.h"

G_BEGIN_DECLS

#define FCM_TYPE_EVENT_LOG (fcm_event_log_get_type ())
G_DECLARE_FINAL_TYPE (FcmEventLog, fcm_event_log, FCM, EVENT_LOG, GObject)

FcmEventLog      *fcm_event_log_new                   (void) G_GNUC_WARN_UNUSED_RESULT;
void              fcm_event_log_append                (FcmEventLog      *self,
                                                       FcmEventLogEntry *entry);
FcmEventLogEntry *fcm_event_log_find_event            (FcmEventLog      *self,
                                                       const char       *event_id);
void              fcm_event_log_clear                 (FcmEventLog      *self);
guint             fcm_event_log_get_max_entries       (FcmEventLog      *self);
void              fcm_event_log_set_max_entries       (FcmEventLog      *self,
                                                       guint             max_entries);
GBytes           *fcm_event_log_to_ndjson             (FcmEventLog      *self,
                                                       GListModel       *subset) G_GNUC_WARN_UNUSED_RESULT;
void              fcm_event_log_export_async          (FcmEventLog      *self,
                                                       GFile            *file,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
void              fcm_event_log_export_subset_async   (FcmEventLog      *self,
                                                       GListModel       *subset,
                                                       GFile            *file,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
gboolean          fcm_event_log_export_finish         (FcmEventLog      *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

G_END_DECLS

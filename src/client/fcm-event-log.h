/* fcm-event-log.h: a timeline of everything a subscriber received (GListModel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-event.h"
#include "fcm-message.h"
#include "fcm-validator.h"

G_BEGIN_DECLS

#define FCM_TYPE_EVENT_LOG_ENTRY (fcm_event_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (FcmEventLogEntry, fcm_event_log_entry, FCM, EVENT_LOG_ENTRY, GObject)

#define FCM_TYPE_EVENT_LOG (fcm_event_log_get_type ())
G_DECLARE_FINAL_TYPE (FcmEventLog, fcm_event_log, FCM, EVENT_LOG, GObject)

FcmEventLogEntry *fcm_event_log_entry_new             (const char       *text,
                                                       FcmMessageKind    kind,
                                                       FcmEvent         *event,
                                                       GPtrArray        *issues) G_GNUC_WARN_UNUSED_RESULT;
FcmEventLogEntry *fcm_event_log_entry_new_from_message (FcmMessage      *message,
                                                       GPtrArray        *issues) G_GNUC_WARN_UNUSED_RESULT;
gint64            fcm_event_log_entry_get_received    (FcmEventLogEntry *self);
gint64            fcm_event_log_entry_get_latency_ms  (FcmEventLogEntry *self);
FcmMessageKind    fcm_event_log_entry_get_kind        (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_text        (FcmEventLogEntry *self);
char             *fcm_event_log_entry_dup_text        (FcmEventLogEntry *self) G_GNUC_WARN_UNUSED_RESULT;
FcmEvent         *fcm_event_log_entry_get_event       (FcmEventLogEntry *self);
GPtrArray        *fcm_event_log_entry_get_issues      (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_name        (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_event_id    (FcmEventLogEntry *self);
guint             fcm_event_log_entry_count_issues    (FcmEventLogEntry *self,
                                                       FcmSeverity       severity);
guint             fcm_event_log_entry_get_ack_status  (FcmEventLogEntry *self);
void              fcm_event_log_entry_set_ack_status  (FcmEventLogEntry *self,
                                                       guint             status);
gboolean          fcm_event_log_entry_get_own_echo    (FcmEventLogEntry *self);
void              fcm_event_log_entry_set_own_echo    (FcmEventLogEntry *self,
                                                       gboolean          own_echo);

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

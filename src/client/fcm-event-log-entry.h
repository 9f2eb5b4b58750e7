/* fcm-event-log-entry.h: one message in the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-event.h"
#include "fcm-message.h"
#include "fcm-validator.h"

G_BEGIN_DECLS

/* The monitor's notes of connection changes (fcm_event_log_entry_new_note()) */
#define FCM_NOTE_SUBSCRIBED      "subscribed"       /* live: the hub confirmed (C-17) */
#define FCM_NOTE_RESUBSCRIBED    "resubscribed"     /* live again after a loss (C-68) */
#define FCM_NOTE_CONNECTION_LOST "connection-lost"  /* the socket went; reconnecting (C-68) */
#define FCM_NOTE_ENDED           "ended"            /* the hub denied or ended the subscription */
#define FCM_NOTE_FAILED          "failed"           /* subscribing failed, no retry */
#define FCM_NOTE_UNSUBSCRIBED    "unsubscribed"     /* we unsubscribed (C-19) */

#define FCM_TYPE_EVENT_LOG_ENTRY (fcm_event_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (FcmEventLogEntry, fcm_event_log_entry, FCM, EVENT_LOG_ENTRY, GObject)

FcmEventLogEntry *fcm_event_log_entry_new              (const char       *text,
                                                        FcmMessageKind    kind,
                                                        FcmEvent         *event,
                                                        GPtrArray        *issues) G_GNUC_WARN_UNUSED_RESULT;
FcmEventLogEntry *fcm_event_log_entry_new_from_message (FcmMessage       *message,
                                                        GPtrArray        *issues) G_GNUC_WARN_UNUSED_RESULT;
FcmEventLogEntry *fcm_event_log_entry_new_note         (const char       *note,
                                                        const char       *detail) G_GNUC_WARN_UNUSED_RESULT;
const char       *fcm_event_log_entry_get_note         (FcmEventLogEntry *self);
gint64            fcm_event_log_entry_get_received     (FcmEventLogEntry *self);
gint64            fcm_event_log_entry_get_latency_ms   (FcmEventLogEntry *self);
FcmMessageKind    fcm_event_log_entry_get_kind         (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_text         (FcmEventLogEntry *self);
char             *fcm_event_log_entry_dup_text         (FcmEventLogEntry *self) G_GNUC_WARN_UNUSED_RESULT;
FcmEvent         *fcm_event_log_entry_get_event        (FcmEventLogEntry *self);
GPtrArray        *fcm_event_log_entry_get_issues       (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_name         (FcmEventLogEntry *self);
const char       *fcm_event_log_entry_get_event_id     (FcmEventLogEntry *self);
guint             fcm_event_log_entry_count_issues     (FcmEventLogEntry *self,
                                                        FcmSeverity       severity);
guint             fcm_event_log_entry_get_ack_status   (FcmEventLogEntry *self);
void              fcm_event_log_entry_set_ack_status   (FcmEventLogEntry *self,
                                                        guint             status);
gboolean          fcm_event_log_entry_get_own_echo     (FcmEventLogEntry *self);
void              fcm_event_log_entry_set_own_echo     (FcmEventLogEntry *self,
                                                        gboolean          own_echo);

G_END_DECLS

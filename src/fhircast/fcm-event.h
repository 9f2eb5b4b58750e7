/* fcm-event.h: one FHIRcast event notification or context-change request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fcm-doc.h"

G_BEGIN_DECLS

#define FCM_TYPE_EVENT (fcm_event_get_type ())

G_DECLARE_FINAL_TYPE (FcmEvent, fcm_event, FCM, EVENT, GObject)

/* Well-known event names in their recommended (upper-camel) spelling. */
#define FCM_EVENT_DIAGNOSTIC_REPORT_OPEN   "DiagnosticReport-open"
#define FCM_EVENT_DIAGNOSTIC_REPORT_CLOSE  "DiagnosticReport-close"
#define FCM_EVENT_DIAGNOSTIC_REPORT_UPDATE "DiagnosticReport-update"
#define FCM_EVENT_DIAGNOSTIC_REPORT_SELECT "DiagnosticReport-select"
#define FCM_EVENT_SYNCERROR                "SyncError"
#define FCM_EVENT_HEARTBEAT                "heartbeat"

FcmEvent    *fcm_event_new_from_json          (const char   *text,
                                               gssize        length,
                                               GError      **error) G_GNUC_WARN_UNUSED_RESULT;
FcmEvent    *fcm_event_new_from_node          (JsonNode     *root,
                                               GError      **error) G_GNUC_WARN_UNUSED_RESULT;
FcmEvent    *fcm_event_new                    (const char   *id,
                                               const char   *timestamp,
                                               const char   *topic,
                                               const char   *name,
                                               JsonArray    *context,
                                               const char   *version_id,
                                               const char   *prior_version_id) G_GNUC_WARN_UNUSED_RESULT;
const char  *fcm_event_get_id                 (FcmEvent     *self);
const char  *fcm_event_get_timestamp          (FcmEvent     *self);
gint64       fcm_event_get_timestamp_usec     (FcmEvent     *self);
const char  *fcm_event_get_topic              (FcmEvent     *self);
const char  *fcm_event_get_name               (FcmEvent     *self);
const char  *fcm_event_get_canonical_name     (FcmEvent     *self);
gboolean     fcm_event_has_name               (FcmEvent     *self,
                                               const char   *name);
JsonArray   *fcm_event_get_context            (FcmEvent     *self);
JsonObject  *fcm_event_lookup_context         (FcmEvent     *self,
                                               const char   *key);
JsonObject  *fcm_event_lookup_resource        (FcmEvent     *self,
                                               const char   *key);
char        *fcm_event_dup_context_id         (FcmEvent     *self,
                                               const char   *key,
                                               const char   *resource_type);
const char  *fcm_event_get_version_id         (FcmEvent     *self);
const char  *fcm_event_get_prior_version_id   (FcmEvent     *self);
JsonNode    *fcm_event_get_root               (FcmEvent     *self);
FcmDoc      *fcm_event_get_doc                (FcmEvent     *self);
const FcmJson *fcm_event_get_message_doc      (FcmEvent     *self);
const FcmJson *fcm_event_get_context_doc      (FcmEvent     *self);
const FcmJson *fcm_event_lookup_context_doc   (FcmEvent     *self,
                                               const char   *key);
const FcmJson *fcm_event_lookup_resource_doc  (FcmEvent     *self,
                                               const char   *key);
const char  *fcm_event_get_raw                (FcmEvent     *self);
gboolean     fcm_event_is_legacy_wrapped      (FcmEvent     *self);
char        *fcm_event_to_json                (FcmEvent     *self,
                                               gboolean      pretty);

gboolean     fcm_event_get_syncerror_details  (FcmEvent     *self,
                                               const char  **out_event_id,
                                               const char  **out_event_name,
                                               const char  **out_subscriber,
                                               const char  **out_diagnostics);

gboolean     fcm_event_name_equal             (const char   *a,
                                               const char   *b);
const char  *fcm_event_name_canonicalize      (const char   *name);
gboolean     fcm_event_name_is_legacy         (const char   *name);

G_END_DECLS

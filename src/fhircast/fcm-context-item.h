/* fcm-context-item.h: one open (current or suspended) context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FCM_TYPE_CONTEXT_ITEM (fcm_context_item_get_type ())

G_DECLARE_FINAL_TYPE (FcmContextItem, fcm_context_item, FCM, CONTEXT_ITEM, GObject)

const char  *fcm_context_item_get_anchor_type       (FcmContextItem *self);
const char  *fcm_context_item_get_anchor_id         (FcmContextItem *self);
const char  *fcm_context_item_get_report_status     (FcmContextItem *self);
const char  *fcm_context_item_get_patient_id        (FcmContextItem *self);
const char  *fcm_context_item_get_patient_name      (FcmContextItem *self);
const char  *fcm_context_item_get_patient_sex       (FcmContextItem *self);
const char  *fcm_context_item_get_birth_date        (FcmContextItem *self);
const char  *fcm_context_item_get_mrn               (FcmContextItem *self);
const char  *fcm_context_item_get_study_id          (FcmContextItem *self);
const char  *fcm_context_item_get_study_uid         (FcmContextItem *self);
const char  *fcm_context_item_get_accession         (FcmContextItem *self);
const char  *fcm_context_item_get_study_description (FcmContextItem *self);
const char  *fcm_context_item_get_modality          (FcmContextItem *self);
const char  *fcm_context_item_get_study_date        (FcmContextItem *self);
const char  *fcm_context_item_get_version_id        (FcmContextItem *self);
const char  *fcm_context_item_get_opened_by         (FcmContextItem *self);
gboolean     fcm_context_item_get_current           (FcmContextItem *self);
gboolean     fcm_context_item_get_stale             (FcmContextItem *self);
const char * const *fcm_context_item_get_selection  (FcmContextItem *self);
JsonArray   *fcm_context_item_get_context           (FcmContextItem *self);
guint        fcm_context_item_get_n_content         (FcmContextItem *self);
JsonObject  *fcm_context_item_lookup_content        (FcmContextItem *self,
                                                     const char     *reference);
JsonNode    *fcm_context_item_dup_content_bundle    (FcmContextItem *self);

G_END_DECLS

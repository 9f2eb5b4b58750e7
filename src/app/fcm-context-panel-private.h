/* fcm-context-panel-private.h: what the tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-context-panel.h"

G_BEGIN_DECLS

/* The fields of the report card, in display order. */
typedef enum
{
  FCM_CONTEXT_FIELD_REPORT_ID,
  FCM_CONTEXT_FIELD_REPORT_STATUS,
  FCM_CONTEXT_FIELD_PATIENT_NAME,
  FCM_CONTEXT_FIELD_MRN,
  FCM_CONTEXT_FIELD_PATIENT_ID,
  FCM_CONTEXT_FIELD_ACCESSION,
  FCM_CONTEXT_FIELD_STUDY_UID,
  FCM_CONTEXT_FIELD_STUDY_ID,
  FCM_CONTEXT_FIELD_STUDY_DESCRIPTION,
  FCM_CONTEXT_FIELD_VERSION_ID,
  FCM_CONTEXT_FIELD_OPENED_BY,
  FCM_CONTEXT_FIELD_N_CONTENT,
  FCM_CONTEXT_FIELD_SELECTION,
  FCM_CONTEXT_N_FIELDS
} FcmContextField;

/* "not-connected", "empty" or "report" */
const char *_fcm_context_panel_get_page           (FcmContextPanel *self);
/* The value shown, or NULL when the field has no value (dim "—" or hidden row). */
const char *_fcm_context_panel_get_field_text     (FcmContextPanel *self,
                                                   FcmContextField  field);
gboolean    _fcm_context_panel_get_field_visible  (FcmContextPanel *self,
                                                   FcmContextField  field);
GtkWidget  *_fcm_context_panel_get_field_label    (FcmContextPanel *self,
                                                   FcmContextField  field);
/* Rows shown in the suspended list, and their titles (report ids). */
guint       _fcm_context_panel_get_n_suspended    (FcmContextPanel *self);
const char *_fcm_context_panel_get_suspended_title (FcmContextPanel *self,
                                                   guint            position);
gboolean    _fcm_context_panel_get_suspended_visible (FcmContextPanel *self);
/* The stale warning: NULL when it is not shown, else its explanation. */
const char *_fcm_context_panel_get_stale_reason   (FcmContextPanel *self);

G_END_DECLS

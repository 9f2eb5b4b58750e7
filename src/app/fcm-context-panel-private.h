/* fcm-context-panel-private.h: what the tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-context-panel.h"

G_BEGIN_DECLS

/* What the panel shows of the current report. The headline (large type)
 * answers "right patient, right study?"; the identifiers go below it, each
 * in a row with a copyable value. */
typedef enum
{
  /* the headline */
  FCM_CONTEXT_FIELD_PATIENT_NAME,
  FCM_CONTEXT_FIELD_PATIENT_SEX,
  FCM_CONTEXT_FIELD_BIRTH_DATE,
  FCM_CONTEXT_FIELD_STUDY_DESCRIPTION,
  FCM_CONTEXT_FIELD_MODALITY,
  FCM_CONTEXT_FIELD_STUDY_DATE,
  FCM_CONTEXT_FIELD_REPORT_STATUS,
  FCM_CONTEXT_FIELD_OPENED_BY,
  /* the identifiers, in display order (MRN and accession also in the headline) */
  FCM_CONTEXT_FIELD_MRN,
  FCM_CONTEXT_FIELD_ACCESSION,
  FCM_CONTEXT_FIELD_REPORT_ID,
  FCM_CONTEXT_FIELD_PATIENT_ID,
  FCM_CONTEXT_FIELD_STUDY_ID,
  FCM_CONTEXT_FIELD_STUDY_UID,
  FCM_CONTEXT_FIELD_VERSION_ID,
  FCM_CONTEXT_FIELD_N_CONTENT,
  FCM_CONTEXT_FIELD_SELECTION,
  FCM_CONTEXT_N_FIELDS
} FcmContextField;

typedef enum
{
  FCM_CONTEXT_LINE_PATIENT,       /* the name */
  FCM_CONTEXT_LINE_PATIENT_DETAIL, /* sex, birth date, MRN */
  FCM_CONTEXT_LINE_STUDY,         /* the description */
  FCM_CONTEXT_LINE_STUDY_DETAIL,  /* modality, date, accession */
  FCM_CONTEXT_LINE_STATUS,        /* the report status */
  FCM_CONTEXT_LINE_OPENED_BY,     /* who opened it */
  FCM_CONTEXT_N_LINES
} FcmContextLine;

/* "not-connected", "empty" or "report" */
const char *_fcm_context_panel_get_page           (FcmContextPanel *self);
gboolean    _fcm_context_panel_get_rehearsing     (FcmContextPanel *self);
int         _fcm_context_panel_get_rehearsed_width (FcmContextPanel *self);
gboolean    _fcm_context_panel_get_page_switching (FcmContextPanel *self);
/* The value shown, or NULL when the field has no value (dim "—" or left out). */
const char *_fcm_context_panel_get_field_text     (FcmContextPanel *self,
                                                   FcmContextField  field);
/* Whether the field's row (identifiers) or line (headline) is shown. */
gboolean    _fcm_context_panel_get_field_visible  (FcmContextPanel *self,
                                                   FcmContextField  field);
/* The value label of an identifier row; NULL for headline-only fields. */
GtkWidget  *_fcm_context_panel_get_field_label    (FcmContextPanel *self,
                                                   FcmContextField  field);
/* An identifier row's title label. */
GtkLabel   *_fcm_context_panel_get_field_title    (FcmContextPanel *self,
                                                   FcmContextField  field);
/* A line of the headline, and its text as shown. */
GtkWidget  *_fcm_context_panel_get_line           (FcmContextPanel *self,
                                                   FcmContextLine   line);
const char *_fcm_context_panel_get_line_text      (FcmContextPanel *self,
                                                   FcmContextLine   line);
gboolean    _fcm_context_panel_get_headline_visible (FcmContextPanel *self);
/* The tooltip a field's value shows, computed on demand. */
char       *_fcm_context_panel_dup_field_tooltip  (FcmContextPanel *self,
                                                   FcmContextField  field);
/* Rows shown in the suspended list, their titles (the patient) and subtitles. */
guint       _fcm_context_panel_get_n_suspended    (FcmContextPanel *self);
const char *_fcm_context_panel_get_suspended_title (FcmContextPanel *self,
                                                   guint            position);
const char *_fcm_context_panel_get_suspended_subtitle (FcmContextPanel *self,
                                                   guint            position);
GtkWidget  *_fcm_context_panel_get_suspended_row  (FcmContextPanel *self,
                                                   guint            position);
gboolean    _fcm_context_panel_get_suspended_visible (FcmContextPanel *self);
/* a suspended row's tooltip: its title and subtitle whole */
char       *_fcm_context_panel_suspended_row_tooltip (GtkWidget     *row);
/* The count in the panel's header ("2 Suspended"), NULL when hidden. */
const char *_fcm_context_panel_get_suspended_count (FcmContextPanel *self);
/* The stale warning: NULL when it is not shown, else its explanation. */
const char *_fcm_context_panel_get_stale_reason   (FcmContextPanel *self);
/* How often a label's text or a row's visibility really changed, and how
 * often pending changes were applied (at most once per frame). */
guint       _fcm_context_panel_get_n_label_updates (FcmContextPanel *self);
guint       _fcm_context_panel_get_n_applies      (FcmContextPanel *self);
/* Whether changes wait for the next frame. */
gboolean    _fcm_context_panel_get_pending        (FcmContextPanel *self);

G_END_DECLS

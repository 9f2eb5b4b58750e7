/* fcm-open-report-dialog.h: asks for the report, patient and study to open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fcm-client.h"

G_BEGIN_DECLS

#define FCM_TYPE_OPEN_REPORT_DIALOG (fcm_open_report_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FcmOpenReportDialog, fcm_open_report_dialog, FCM, OPEN_REPORT_DIALOG, AdwMessageDialog)

FcmOpenReportDialog *fcm_open_report_dialog_new            (GtkWindow           *parent);
void                 fcm_open_report_dialog_fill_random    (FcmOpenReportDialog *self);
const char          *fcm_open_report_dialog_get_report_id  (FcmOpenReportDialog *self);
const char          *fcm_open_report_dialog_get_patient_id (FcmOpenReportDialog *self);
const char          *fcm_open_report_dialog_get_mrn        (FcmOpenReportDialog *self);
const char          *fcm_open_report_dialog_get_study_id   (FcmOpenReportDialog *self);
const char          *fcm_open_report_dialog_get_accession  (FcmOpenReportDialog *self);
void                 fcm_open_report_dialog_get_details    (FcmOpenReportDialog *self,
                                                            FcmReportDetails    *details);

/* for tests */
char                *_fcm_open_report_dialog_dup_errors    (FcmOpenReportDialog *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

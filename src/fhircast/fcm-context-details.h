/* fcm-context-details.h: who and what a report is about, in an open's context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * FcmReportDetails:
 * @patient_name: (nullable): the name as a person writes it ("Jane Doe" or
 *   "Doe, Jane")
 * @patient_sex: (nullable): Patient.gender: male, female, other or unknown
 * @birth_date: (nullable): Patient.birthDate: YYYY, YYYY-MM or YYYY-MM-DD
 * @study_description: (nullable): ImagingStudy.description
 * @modality: (nullable): a DICOM modality code, e.g. "CT"; several with "\\"
 * @study_date: (nullable): ImagingStudy.started: a date or a FHIR dateTime
 *
 * What a person reads to answer "right patient, right study?": the
 * demographics FHIRcast says a Patient context SHOULD carry (C-47) and the
 * study's description, modality and date. Any member may be %NULL.
 */
typedef struct
{
  const char *patient_name;
  const char *patient_sex;
  const char *birth_date;
  const char *study_description;
  const char *modality;
  const char *study_date;
} FcmReportDetails;

gboolean  fcm_report_details_check      (const FcmReportDetails *details,
                                         GError                **error);
gboolean  fcm_context_add_details       (JsonArray              *context,
                                         const FcmReportDetails *details,
                                         GError                **error);

gboolean  fcm_patient_sex_is_valid      (const char             *sex);
gboolean  fcm_fhir_date_is_valid        (const char             *date);
gboolean  fcm_fhir_datetime_is_valid    (const char             *datetime);
gboolean  fcm_modality_is_valid         (const char             *modality);

char     *fcm_demo_patient_name         (GRand                  *rand,
                                         const char            **out_sex) G_GNUC_WARN_UNUSED_RESULT;
char     *fcm_demo_birth_date           (GRand                  *rand) G_GNUC_WARN_UNUSED_RESULT;
void      fcm_demo_study                (GRand                  *rand,
                                         const char            **out_description,
                                         const char            **out_modality);

G_END_DECLS

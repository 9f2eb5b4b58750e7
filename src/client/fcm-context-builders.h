/* fcm-context-builders.h: the context arrays of the events a client publishes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Context builders (C-46, C-47, C-50, C-56, C-58, C-60) */
JsonArray      *fcm_context_build_open             (const char          *report_id,
                                                    const char          *patient_id,
                                                    const char          *study_id,
                                                    const char          *accession,
                                                    const char          *mrn) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_context_build_close            (const char          *report_id,
                                                    const char          *patient_id,
                                                    const char          *study_id) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_context_build_update           (const char          *report_id,
                                                    const char          *patient_id,
                                                    JsonArray           *bundle_entries) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_context_build_measurement      (const char          *patient_id,
                                                    const char          *study_id,
                                                    double               value_mm) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_context_build_select           (const char          *report_id,
                                                    const char * const  *select_references) G_GNUC_WARN_UNUSED_RESULT;
JsonArray      *fcm_context_build_syncerror        (const char          *event_id,
                                                    const char          *event_name,
                                                    const char          *subscriber_name,
                                                    const char          *diagnostics) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

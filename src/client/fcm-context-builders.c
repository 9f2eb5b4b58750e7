/* fcm-context-builders.c: the context arrays of the events a client publishes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IRA-shaped contexts for DiagnosticReport open, close, update and select,
 * and the OperationOutcome of a syncerror (C-46, C-47, C-50, C-56, C-58, C-60).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-context-builders.h"
#include "fcm-json-private.h"

static void
add_coding (JsonBuilder *b,
            const char  *system,
            const char  *code,
            const char  *display)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, system);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  if (display != NULL)
    {
      json_builder_set_member_name (b, "display");
      json_builder_add_string_value (b, display);
    }
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_reference (JsonBuilder *b,
               const char  *member,
               const char  *type,
               const char  *id)
{
  g_autofree char *ref = g_strdup_printf ("%s/%s", type, id);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "reference");
  json_builder_add_string_value (b, ref);
  json_builder_end_object (b);
}

static void
add_typed_identifier (JsonBuilder *b,
                      const char  *type_system,
                      const char  *type_code,
                      const char  *display,
                      const char  *system,
                      const char  *value)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  add_coding (b, type_system, type_code, display);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, system);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
}

static void
begin_item (JsonBuilder *b,
            const char  *key,
            const char  *type,
            const char  *id)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, key);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
}

static void
end_item (JsonBuilder *b)
{
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static JsonArray *
builder_steal_array (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  return json_array_ref (json_node_get_array (root));
}

/* A Study Instance UID for @study_id: itself when it is already a dotted OID,
 * otherwise a stable 2.25 UUID-derived OID (DICOM PS3.5 B.2). */
static char *
study_uid (const char *study_id)
{
  g_autofree char *sha = NULL;
  guint64 a, b;

  if (strspn (study_id, "0123456789.") == strlen (study_id) && study_id[0] != '\0')
    return g_strdup_printf ("urn:oid:%s", study_id);
  sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, study_id, -1);
  {
    char hi[17], lo[17];

    memcpy (hi, sha, 16);
    hi[16] = '\0';
    memcpy (lo, sha + 16, 16);
    lo[16] = '\0';
    a = g_ascii_strtoull (hi, NULL, 16);
    b = g_ascii_strtoull (lo, NULL, 16);
  }
  return g_strdup_printf ("urn:oid:2.25.%" G_GUINT64_FORMAT "%" G_GUINT64_FORMAT, a >> 1, b >> 1);
}

#define V2_0203 "http://terminology.hl7.org/CodeSystem/v2-0203"
#define DCM     "http://dicom.nema.org/resources/ontology/DCM"
#define LOCAL_SYSTEM "urn:oid:2.999.1"

/**
 * fcm_context_build_open:
 * @accession: (nullable): accession number, or %NULL when not known
 * @mrn: (nullable): medical record number, or %NULL when not known
 *
 * A DiagnosticReport-open context (report, patient, study) with the IRA
 * identifier slices (C-46, C-47). An MRN or accession number that is not
 * given is left out, never made up from the resource ids: a wrong MRN is
 * worse than none (the validator then says what IRA misses).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_open (const char *report_id,
                        const char *patient_id,
                        const char *study_id,
                        const char *accession,
                        const char *mrn)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uid = NULL;

  g_return_val_if_fail (report_id != NULL && patient_id != NULL && study_id != NULL, NULL);

  uid = study_uid (study_id);

  json_builder_begin_array (b);

  begin_item (b, "report", "DiagnosticReport", report_id);
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, LOCAL_SYSTEM ".300");
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, report_id);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (accession != NULL)
    {
      json_builder_set_member_name (b, "basedOn");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "ServiceRequest");
      json_builder_set_member_name (b, "identifier");
      add_typed_identifier (b, V2_0203, "ACSN", NULL, LOCAL_SYSTEM ".200", accession);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "unknown");
  json_builder_set_member_name (b, "code");
  add_coding (b, "http://loinc.org", "18748-4", "Diagnostic imaging study");
  add_reference (b, "subject", "Patient", patient_id);
  json_builder_set_member_name (b, "study");
  json_builder_begin_array (b);
  {
    g_autofree char *ref = g_strdup_printf ("ImagingStudy/%s", study_id);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "reference");
    json_builder_add_string_value (b, ref);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  end_item (b);

  begin_item (b, "patient", "Patient", patient_id);
  if (mrn != NULL)
    {
      json_builder_set_member_name (b, "identifier");
      json_builder_begin_array (b);
      add_typed_identifier (b, V2_0203, "MR", "Medical Record Number", LOCAL_SYSTEM ".100", mrn);
      json_builder_end_array (b);
    }
  end_item (b);

  begin_item (b, "study", "ImagingStudy", study_id);
  json_builder_set_member_name (b, "identifier");
  json_builder_begin_array (b);
  add_typed_identifier (b, DCM, "110180", "Study Instance UID", "urn:dicom:uid", uid);
  if (accession != NULL)
    add_typed_identifier (b, V2_0203, "ACSN", "Accession ID", LOCAL_SYSTEM ".200", accession);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "available");
  add_reference (b, "subject", "Patient", patient_id);
  end_item (b);

  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_close:
 * @patient_id: (nullable):
 * @study_id: (nullable):
 *
 * A DiagnosticReport-close context: the same ids as the open (C-50).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_close (const char *report_id,
                         const char *patient_id,
                         const char *study_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  begin_item (b, "report", "DiagnosticReport", report_id);
  end_item (b);
  if (patient_id != NULL)
    {
      begin_item (b, "patient", "Patient", patient_id);
      end_item (b);
    }
  if (study_id != NULL)
    {
      begin_item (b, "study", "ImagingStudy", study_id);
      end_item (b);
    }
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_measurement:
 * @patient_id: (nullable): the report's patient
 * @study_id: (nullable): the report's ImagingStudy
 * @value_mm: the measured length
 *
 * One Bundle entry for a content-sharing update (C-56, C-58): a preliminary
 * imaging Observation of a length in millimetres, with a fresh id, PUT into
 * the report's content. The demo measurement of the app's Update button.
 *
 * Returns: (transfer full): an array holding the one entry
 */
JsonArray *
fcm_context_build_measurement (const char *patient_id,
                               const char *study_id,
                               double      value_mm)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *obs_id = g_strdup_printf ("obs-%.8s", uuid);
  g_autofree char *url = g_strdup_printf ("Observation/%s", obs_id);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fullUrl");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, "Observation");
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, obs_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "preliminary");
  json_builder_set_member_name (b, "category");
  json_builder_begin_array (b);
  add_coding (b, "http://terminology.hl7.org/CodeSystem/observation-category", "imaging", "Imaging");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "code");
  add_coding (b, "http://snomed.info/sct", "410668003", "Length");
  if (patient_id != NULL)
    add_reference (b, "subject", "Patient", patient_id);
  if (study_id != NULL)
    {
      json_builder_set_member_name (b, "partOf");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reference");
      {
        g_autofree char *ref = g_strdup_printf ("ImagingStudy/%s", study_id);
        json_builder_add_string_value (b, ref);
      }
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "valueQuantity");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "value");
  json_builder_add_double_value (b, value_mm);
  json_builder_set_member_name (b, "unit");
  json_builder_add_string_value (b, "mm");
  json_builder_set_member_name (b, "system");
  json_builder_add_string_value (b, "http://unitsofmeasure.org");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "mm");
  json_builder_end_object (b);
  json_builder_end_object (b);  /* resource */
  json_builder_set_member_name (b, "request");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, "PUT");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_end_object (b);
  json_builder_end_object (b);  /* entry */
  json_builder_end_array (b);

  return builder_steal_array (b);
}

/**
 * fcm_context_build_update:
 * @patient_id: (nullable):
 * @bundle_entries: (nullable): Bundle entries (PUT/DELETE, C-56)
 *
 * Returns: (transfer full): report reference, patient reference and an
 *   `updates` transaction Bundle
 */
JsonArray *
fcm_context_build_update (const char *report_id,
                          const char *patient_id,
                          JsonArray  *bundle_entries)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *bundle_id = g_uuid_string_random ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "report");
  add_reference (b, "reference", "DiagnosticReport", report_id);
  json_builder_end_object (b);
  if (patient_id != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "patient");
      add_reference (b, "reference", "Patient", patient_id);
      json_builder_end_object (b);
    }
  begin_item (b, "updates", "Bundle", bundle_id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "transaction");
  json_builder_set_member_name (b, "entry");
  if (bundle_entries != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, bundle_entries);
      json_builder_add_value (b, node);
    }
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  end_item (b);
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_select:
 * @select_references: (nullable) (array zero-terminated=1): "Type/id" items
 *
 * A DiagnosticReport-select context in the repeated-key FC form (C-58).
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_select (const char         *report_id,
                          const char * const *select_references)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report_id != NULL, NULL);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "report");
  add_reference (b, "reference", "DiagnosticReport", report_id);
  json_builder_end_object (b);
  for (guint i = 0; select_references != NULL && select_references[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, "select");
      json_builder_set_member_name (b, "reference");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reference");
      json_builder_add_string_value (b, select_references[i]);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return builder_steal_array (b);
}

/**
 * fcm_context_build_syncerror:
 *
 * The subscriber SyncError context (C-60): one OperationOutcome with
 * severity warning, code processing, the diagnostics and the eventid,
 * eventname and subscribername codings, in that order.
 *
 * Returns: (transfer full): the context array
 */
JsonArray *
fcm_context_build_syncerror (const char *event_id,
                             const char *event_name,
                             const char *subscriber_name,
                             const char *diagnostics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *oo_id = g_uuid_string_random ();
  const char *codes[3][2] = {
    { "eventid", event_id },
    { "eventname", event_name },
    { "subscribername", subscriber_name },
  };

  g_return_val_if_fail (event_id != NULL && event_name != NULL, NULL);
  g_return_val_if_fail (subscriber_name != NULL && diagnostics != NULL, NULL);

  json_builder_begin_array (b);
  begin_item (b, "operationoutcome", "OperationOutcome", oo_id);
  json_builder_set_member_name (b, "issue");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, "warning");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "processing");
  json_builder_set_member_name (b, "diagnostics");
  json_builder_add_string_value (b, diagnostics);
  json_builder_set_member_name (b, "details");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coding");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *system = g_strdup_printf ("https://fhircast.hl7.org/events/syncerror/%s",
                                                 codes[i][0]);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "system");
      json_builder_add_string_value (b, system);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, codes[i][1]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  end_item (b);
  json_builder_end_array (b);
  return builder_steal_array (b);
}

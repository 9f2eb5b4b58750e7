/* fcm-probe-context.c: the FHIRcast messages the probes send
 *
 * Every context here passes our own validator in request role, so a hub
 * that refuses one refuses a valid message (C-46, C-47, C-50, C-56, C-58,
 * C-60). FcmProbeIds are made by the probe (letters, digits, dashes), so they can be
 * put into the JSON text as they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-json-private.h"
#include "fcm-probe-private.h"

#define V2_0203 "http://terminology.hl7.org/CodeSystem/v2-0203"
#define LOCAL   "urn:oid:2.999.1.2.3.4"

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = fcm_json_parse (text, -1, &error);

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    g_error ("probe context template does not parse: %s", error ? error->message : "not an array");
  return json_array_ref (json_node_get_array (root));
}

/* A stable DICOM UID below 2.25 for a study id. */
static char *
study_uid (const char *study)
{
  guint64 hash = 1469598103934665603ULL;

  for (const char *p = study; *p != '\0'; p++)
    hash = (hash ^ (guchar) *p) * 1099511628211ULL;
  return g_strdup_printf ("2.25.%" G_GUINT64_FORMAT, hash);
}

static char *
report_json (const char *report,
             const char *patient,
             const char *study,
             const char *status)
{
  return g_strdup_printf (
    "{\"resourceType\":\"DiagnosticReport\",\"id\":\"%s\","
    "\"identifier\":[{\"system\":\"" LOCAL ".300\",\"value\":\"%s\"}],"
    "\"basedOn\":[{\"type\":\"ServiceRequest\",\"identifier\":{\"type\":{\"coding\":[{\"system\":\"" V2_0203
    "\",\"code\":\"ACSN\"}]},\"system\":\"" LOCAL ".200\",\"value\":\"ACC-%s\"}}],"
    "\"status\":\"%s\","
    "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"18748-4\","
    "\"display\":\"Diagnostic imaging study\"}]},"
    "\"subject\":{\"reference\":\"Patient/%s\"},"
    "\"study\":[{\"reference\":\"ImagingStudy/%s\"}]}",
    report, report, study, status, patient, study);
}

static char *
patient_json (const char *patient)
{
  return g_strdup_printf (
    "{\"resourceType\":\"Patient\",\"id\":\"%s\","
    "\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"" V2_0203 "\",\"code\":\"MR\","
    "\"display\":\"Medical Record Number\"}]},\"system\":\"" LOCAL ".100\",\"value\":\"MRN-%s\"}]}",
    patient, patient);
}

static char *
study_json (const char *patient,
            const char *study)
{
  g_autofree char *uid = study_uid (study);

  return g_strdup_printf (
    "{\"resourceType\":\"ImagingStudy\",\"id\":\"%s\","
    "\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\","
    "\"code\":\"110180\",\"display\":\"Study Instance UID\"}]},\"system\":\"urn:dicom:uid\","
    "\"value\":\"urn:oid:%s\"},"
    "{\"type\":{\"coding\":[{\"system\":\"" V2_0203 "\",\"code\":\"ACSN\",\"display\":\"Accession ID\"}]},"
    "\"system\":\"" LOCAL ".200\",\"value\":\"ACC-%s\"}],"
    "\"status\":\"available\",\"subject\":{\"reference\":\"Patient/%s\"}}",
    study, uid, study, patient);
}

/**
 * fcm_probe_context_open:
 *
 * Returns: (transfer full): a DiagnosticReport-open context: report,
 *   patient and study resources that satisfy IRA and FC (C-46, C-47)
 */
JsonArray *
fcm_probe_context_open (const char *report,
                        const char *patient,
                        const char *study)
{
  g_autofree char *r = report_json (report, patient, study, "unknown");
  g_autofree char *p = patient_json (patient);
  g_autofree char *s = study_json (patient, study);
  g_autofree char *text = g_strdup_printf ("[{\"key\":\"report\",\"resource\":%s},"
                                           "{\"key\":\"patient\",\"resource\":%s},"
                                           "{\"key\":\"study\",\"resource\":%s}]", r, p, s);

  return parse_array (text);
}

/**
 * fcm_probe_context_close:
 *
 * Returns: (transfer full): a DiagnosticReport-close context with the ids
 *   of the open (C-50)
 */
JsonArray *
fcm_probe_context_close (const char *report,
                         const char *patient,
                         const char *study)
{
  return fcm_probe_context_open (report, patient, study);
}

/**
 * fcm_probe_context_update:
 * @observation: the id of an Observation to PUT
 *
 * Returns: (transfer full): a DiagnosticReport-update context: report and
 *   patient references and a transaction Bundle with one PUT (C-56)
 */
JsonArray *
fcm_probe_context_update (const char *report,
                          const char *patient,
                          const char *study,
                          const char *observation,
                          double      value)
{
  g_autofree char *bundle_id = fcm_probe_random_id ("probe-bundle");
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;

  g_ascii_dtostr (number, sizeof number, value);
  text = g_strdup_printf (
    "[{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
    "{\"key\":\"patient\",\"reference\":{\"reference\":\"Patient/%s\"}},"
    "{\"key\":\"updates\",\"resource\":{\"resourceType\":\"Bundle\",\"id\":\"%s\",\"type\":\"transaction\","
    "\"entry\":[{\"fullUrl\":\"Observation/%s\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"%s\","
    "\"status\":\"preliminary\","
    "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
    "\"code\":\"imaging\"}]}],"
    "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"410668003\",\"display\":\"Length\"}]},"
    "\"subject\":{\"reference\":\"Patient/%s\"},\"partOf\":[{\"reference\":\"ImagingStudy/%s\"}],"
    "\"valueQuantity\":{\"value\":%s,\"unit\":\"mm\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm\"}},"
    "\"request\":{\"method\":\"PUT\",\"url\":\"Observation/%s\"}}]}}]",
    report, patient, bundle_id, observation, observation, patient, study, number, observation);
  return parse_array (text);
}

/**
 * fcm_probe_context_select:
 * @reference: "Observation/…" or another reference to select
 *
 * Returns: (transfer full): a DiagnosticReport-select context (C-58)
 */
JsonArray *
fcm_probe_context_select (const char *report,
                          const char *patient,
                          const char *reference)
{
  g_autofree char *text = g_strdup_printf (
    "[{\"key\":\"report\",\"reference\":{\"reference\":\"DiagnosticReport/%s\"}},"
    "{\"key\":\"patient\",\"reference\":{\"reference\":\"Patient/%s\"}},"
    "{\"key\":\"select\",\"reference\":{\"reference\":\"%s\"}}]",
    report, patient, reference);

  return parse_array (text);
}

/**
 * fcm_probe_context_syncerror:
 *
 * Returns: (transfer full): a syncerror context: one OperationOutcome
 *   (C-60, H-36: severity warning, code processing, the three codings)
 */
JsonArray *
fcm_probe_context_syncerror (const char *event_id,
                             const char *event_name,
                             const char *subscriber,
                             const char *diagnostics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *systems[] = { "eventid", "eventname", "subscribername" };
  const char *codes[] = { event_id, event_name, subscriber };
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, "operationoutcome");
  json_builder_set_member_name (b, "resource");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "resourceType");
  json_builder_add_string_value (b, "OperationOutcome");
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
  for (guint i = 0; i < G_N_ELEMENTS (systems); i++)
    {
      g_autofree char *system = g_strconcat ("https://fhircast.hl7.org/events/syncerror/", systems[i], NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "system");
      json_builder_add_string_value (b, system);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, codes[i] != NULL ? codes[i] : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);

  root = json_builder_get_root (b);
  return json_array_ref (json_node_get_array (root));
}

/**
 * fcm_probe_message_new:
 * @version_id: (nullable): `context.versionId`
 * @prior_version_id: (nullable): `context.priorVersionId` (hub notifications only)
 *
 * Returns: (transfer full): `{timestamp, id, event}` as compact JSON text (C-44)
 */
char *
fcm_probe_message_new (const char *id,
                       const char *timestamp,
                       const char *topic,
                       const char *event_name,
                       JsonArray  *context,
                       const char *version_id,
                       const char *prior_version_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) ctx_node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (ctx_node, context);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, timestamp);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "event");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hub.topic");
  json_builder_add_string_value (b, topic);
  json_builder_set_member_name (b, "hub.event");
  json_builder_add_string_value (b, event_name);
  if (version_id != NULL)
    {
      json_builder_set_member_name (b, "context.versionId");
      json_builder_add_string_value (b, version_id);
    }
  if (prior_version_id != NULL)
    {
      json_builder_set_member_name (b, "context.priorVersionId");
      json_builder_add_string_value (b, prior_version_id);
    }
  json_builder_set_member_name (b, "context");
  json_builder_add_value (b, json_node_copy (ctx_node));
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return fcm_json_to_string (root, FALSE);
}

char *
fcm_probe_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* "PREFIX-" followed by 12 random hex digits, or a UUID when @prefix is NULL. */
char *
fcm_probe_random_id (const char *prefix)
{
  if (prefix == NULL)
    return g_uuid_string_random ();
  return g_strdup_printf ("%s-%08x%04x", prefix, g_random_int (), g_random_int () & 0xffff);
}

/* fcm-validator-context.c: DiagnosticReport-open and -close (context changes)
 *
 * The resources a -open carries and what IRA requires of each (C-46, C-47,
 * H-23): the DiagnosticReport, the Patient with its MR identifier, the
 * ImagingStudy with Study Instance UID, accession and status, and the
 * subject/study references between them; and the report id a -close
 * needs (C-50, H-15).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

#define SYSTEM_V2_0203      "http://terminology.hl7.org/CodeSystem/v2-0203"
#define SYSTEM_DCM          "http://dicom.nema.org/resources/ontology/DCM"
#define SYSTEM_DICOM_UID    "urn:dicom:uid"

/* The `resource` of the first context item @key, checked to be @type. */
static const FcmJson *
context_resource (FcmCheck      *c,
                  FcmEventInfo  *ev,
                  const char    *key,
                  const char    *type,
                  const char    *rule,
                  char         **out_path)
{
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  const FcmJson *item;
  const FcmJson *resource;
  const char *resource_type;
  guint idx = 0;

  *out_path = NULL;

  if (!(item = fcm_find_item (ev->context, key, &idx)))
    {
      fcm_check_add (c, ERROR, rule, ev->ctx_path,
                     _("%s needs a '%s' context item holding the %s"), ev->canonical, key, type);
      return NULL;
    }

  item_path = fcm_path_index (ev->ctx_path, idx);
  res_path = fcm_path_member (item_path, "resource");

  if (!(resource = fcm_doc_get_object (item, "resource")))
    {
      if (fcm_get_member (item, "reference") != NULL)
        fcm_check_add (c, ERROR, rule, item_path,
                       _("'%s' must be given as a %s resource in %s, not as a reference (the "
                         "identifiers IRA requires travel with the resource)"), key, type,
                       ev->canonical);
      /* otherwise the generic item check has already reported it */
      return NULL;
    }

  resource_type = fcm_doc_get_string (resource, "resourceType");
  if (resource_type == NULL)
    return NULL;

  if (strcmp (resource_type, type) != 0)
    {
      g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

      fcm_check_add (c, ERROR, rule, type_path, _("'%s' must be a %s, got '%.*s%s'"),
                     key, type, SHOW (resource_type));
      return NULL;
    }

  *out_path = g_steal_pointer (&res_path);
  return resource;
}

/* The first identifier whose type has a coding with @code. */
static const FcmJson *
find_identifier_by_type (const FcmJson  *identifiers,
                         const char     *code,
                         guint          *out_index,
                         const char    **out_system)
{
  guint i = 0;

  FCM_DOC_FOREACH (identifiers, identifier)
    {
      const FcmJson *codings = fcm_doc_get_array (fcm_doc_get_object (identifier, "type"), "coding");

      FCM_DOC_FOREACH (codings, coding)
        {
          if (g_strcmp0 (fcm_doc_get_string (coding, "code"), code) == 0)
            {
              *out_index = i;
              *out_system = fcm_doc_get_string (coding, "system");
              return identifier;
            }
        }
      i++;
    }

  return NULL;
}

static const FcmJson *
require_identifiers (FcmCheck      *c,
                     const FcmJson *resource,
                     const char    *res_path,
                     const char    *what)
{
  g_autofree char *path = fcm_path_member (res_path, "identifier");
  const FcmJson *identifiers = fcm_check_read_array (c, resource, res_path, "identifier", "C-47");

  if (identifiers == NULL && fcm_get_member (resource, "identifier") == NULL)
    fcm_check_add (c, ERROR, "C-47", path, _("The resource needs 'identifier' (%s)"), _(what));
  else if (identifiers != NULL && fcm_doc_first (identifiers) == NULL)
    fcm_check_add (c, ERROR, "C-47", path, _("'identifier' is empty (%s)"), _(what));

  return identifiers;
}

static gboolean
is_oid (const char *s)
{
  gboolean need_digit = TRUE;

  if (s == NULL || *s == '\0')
    return FALSE;

  for (; *s; s++)
    {
      if (g_ascii_isdigit (*s))
        need_digit = FALSE;
      else if (*s == '.' && !need_digit)
        need_digit = TRUE;
      else
        return FALSE;
    }

  return !need_digit;
}

/* `subject` must reference Patient/<patient_id> (C-47). */
static void
check_subject (FcmCheck      *c,
               const FcmJson *resource,
               const char    *res_path,
               const char    *owner,
               const char    *patient_id)
{
  g_autofree char *subject_path = fcm_path_member (res_path, "subject");
  g_autofree char *ref_path = fcm_path_member (subject_path, "reference");
  g_autofree char *ref_id = NULL;
  const FcmJson *subject = fcm_check_read_object (c, resource, res_path, "subject", "C-47");
  const char *ref;

  if (subject == NULL)
    {
      if (fcm_get_member (resource, "subject") == NULL)
        fcm_check_add (c, ERROR, "C-47", subject_path,
                       _("%s needs 'subject' referencing the Patient"), owner);
      return;
    }

  ref = fcm_check_require_string (c, subject, subject_path, "reference", "C-47", ERROR,
                                  N_("the subject must reference the Patient in this event"));
  if (ref == NULL)
    return;

  ref_id = fcm_json_reference_id (ref, "Patient");
  if (ref_id == NULL)
    fcm_check_add (c, ERROR, "C-47", ref_path,
                   _("%s.subject '%.*s%s' is not a reference to a Patient"), owner, SHOW (ref));
  else if (patient_id != NULL && strcmp (ref_id, patient_id) != 0)
    fcm_check_add (c, ERROR, "C-47", ref_path,
                   _("%s.subject references Patient/%.*s%s but the patient in this event has id "
                     "'%.*s%s'"), owner, SHOW (ref_id), SHOW (patient_id));
}

/* ------------------------------------------------------------------------ */
/* DiagnosticReport-open (C-46, C-47, H-23)                                 */
/* ------------------------------------------------------------------------ */

static void
check_open_patient (FcmCheck      *c,
                    const FcmJson *patient,
                    const char    *res_path)
{
  g_autofree char *ids_path = fcm_path_member (res_path, "identifier");
  const FcmJson *identifiers;
  const FcmJson *mr;
  const char *system = NULL;
  guint idx = 0;

  identifiers = require_identifiers (c, patient, res_path,
                                     N_("IRA needs one typed v2-0203 MR with a value"));
  if (fcm_doc_first (identifiers) == NULL)
    return;

  if (!(mr = find_identifier_by_type (identifiers, "MR", &idx, &system)))
    {
      fcm_check_add (c, ERROR, "C-47", ids_path,
                     _("Patient has no identifier with type v2-0203 'MR' (medical record number), "
                       "which IRA's PatientContext requires"));
      return;
    }

  {
    g_autofree char *mr_path = fcm_path_index (ids_path, idx);

    if (system != NULL && strcmp (system, SYSTEM_V2_0203) != 0)
      fcm_check_add (c, WARNING, "C-47", mr_path,
                     _("The MR identifier type is coded in '%.*s%s' instead of %s"),
                     SHOW (system), SYSTEM_V2_0203);

    fcm_check_require_string (c, mr, mr_path, "value", "C-47", ERROR,
                              N_("the MR identifier needs a value"));
  }
}

static void
check_open_study (FcmCheck      *c,
                  const FcmJson *study,
                  const char    *res_path,
                  const char    *patient_id)
{
  g_autofree char *ids_path = fcm_path_member (res_path, "identifier");
  const FcmJson *identifiers;
  const FcmJson *uid;
  const FcmJson *acsn;
  const char *system = NULL;
  const char *status;
  guint idx = 0;

  identifiers = require_identifiers (c, study, res_path,
                                     N_("IRA needs the Study Instance UID and the ACSN accession"));

  if (fcm_doc_first (identifiers) != NULL)
    {
      /* Study Instance UID slice: type DCM 110180, system urn:dicom:uid,
       * value urn:oid:<uid>. Find it by type, else by system. */
      uid = find_identifier_by_type (identifiers, "110180", &idx, &system);
      if (uid == NULL)
        {
          guint i = 0;

          FCM_DOC_FOREACH (identifiers, identifier)
            {
              if (uid != NULL)
                break;
              if (g_strcmp0 (fcm_doc_get_string (identifier, "system"), SYSTEM_DICOM_UID) == 0)
                {
                  g_autofree char *type_path = NULL;
                  g_autofree char *id_path = fcm_path_index (ids_path, i);

                  uid = identifier;
                  idx = i;
                  type_path = fcm_path_member (id_path, "type");
                  fcm_check_add (c, ERROR, "C-47", type_path,
                                 _("The Study Instance UID identifier must have type DCM 110180 "
                                   "(system %s, code 110180)"), SYSTEM_DCM);
                }
              i++;
            }
        }

      if (uid == NULL)
        {
          fcm_check_add (c, ERROR, "C-47", ids_path,
                         _("ImagingStudy has no Study Instance UID identifier (type DCM 110180, "
                           "system urn:dicom:uid, value urn:oid:<uid>)"));
        }
      else
        {
          g_autofree char *uid_path = fcm_path_index (ids_path, idx);
          g_autofree char *system_path = fcm_path_member (uid_path, "system");
          g_autofree char *value_path = fcm_path_member (uid_path, "value");
          const char *uid_system;
          const char *value;

          if (system != NULL && strcmp (system, SYSTEM_DCM) != 0)
            fcm_check_add (c, WARNING, "C-47", uid_path,
                           _("The Study Instance UID type is coded in '%.*s%s' instead of %s"),
                           SHOW (system), SYSTEM_DCM);

          uid_system = fcm_check_require_string (c, uid, uid_path, "system", "C-47", ERROR,
                                                 N_("the Study Instance UID identifier's system is "
                                                    "urn:dicom:uid"));
          if (uid_system != NULL && strcmp (uid_system, SYSTEM_DICOM_UID) != 0)
            fcm_check_add (c, ERROR, "C-47", system_path,
                           _("The Study Instance UID identifier's system must be 'urn:dicom:uid', "
                             "got '%.*s%s'"), SHOW (uid_system));

          value = fcm_check_require_string (c, uid, uid_path, "value", "C-47", ERROR,
                                            N_("the Study Instance UID value is urn:oid:<uid>"));
          if (value != NULL &&
              !(g_str_has_prefix (value, "urn:oid:") && is_oid (value + strlen ("urn:oid:"))))
            fcm_check_add (c, ERROR, "C-47", value_path,
                           _("The Study Instance UID value must be 'urn:oid:' followed by a dotted "
                             "numeric UID, got '%.*s%s'"), SHOW (value));
        }

      if (!(acsn = find_identifier_by_type (identifiers, "ACSN", &idx, &system)))
        {
          fcm_check_add (c, ERROR, "C-47", ids_path,
                         _("ImagingStudy has no accession number identifier (type v2-0203 'ACSN'), "
                           "which IRA's ImagingStudyContext requires"));
        }
      else
        {
          g_autofree char *acsn_path = fcm_path_index (ids_path, idx);

          fcm_check_require_string (c, acsn, acsn_path, "value", "C-47", ERROR,
                                    N_("the ACSN identifier needs the accession number"));
        }
    }

  status = fcm_check_require_string (c, study, res_path, "status", "C-47", ERROR,
                                     N_("IRA fixes ImagingStudy.status to 'available'"));
  if (status != NULL && strcmp (status, "available") != 0)
    {
      g_autofree char *status_path = fcm_path_member (res_path, "status");

      fcm_check_add (c, ERROR, "C-47", status_path,
                     _("ImagingStudy.status must be 'available' (IRA ImagingStudyContext), got "
                       "'%.*s%s'"), SHOW (status));
    }

  check_subject (c, study, res_path, "ImagingStudy", patient_id);
}

static void
check_study_reference (FcmCheck      *c,
                       const FcmJson *node,
                       const char    *path,
                       GPtrArray     *study_ids)
{
  g_autofree char *id = NULL;
  const FcmJson *ref_obj;
  const char *ref;

  if (!(ref_obj = fcm_as_object (node)))
    {
      fcm_check_add (c, ERROR, "C-47", path,
                     _("A study reference must be a Reference object, got %s"),
                     fcm_doc_type_name (node));
      return;
    }

  ref = fcm_check_require_string (c, ref_obj, path, "reference", "C-47", ERROR,
                                  N_("the report references the ImagingStudy as "
                                     "\"ImagingStudy/<id>\""));
  if (ref == NULL)
    return;

  if (!(id = fcm_json_reference_id (ref, "ImagingStudy")))
    {
      g_autofree char *ref_path = fcm_path_member (path, "reference");

      fcm_check_add (c, ERROR, "C-47", ref_path,
                     _("'%.*s%s' is not a reference to an ImagingStudy"), SHOW (ref));
      return;
    }

  for (guint i = 0; i < study_ids->len; i++)
    if (strcmp (g_ptr_array_index (study_ids, i), id) == 0)
      return;

  {
    g_autofree char *ref_path = fcm_path_member (path, "reference");

    fcm_check_add (c, WARNING, "C-47", ref_path,
                   _("The report references ImagingStudy/%.*s%s, which is not a study in this "
                     "event"), SHOW (id));
  }
}

static void
check_open_report (FcmCheck      *c,
                   const FcmJson *report,
                   const char    *res_path,
                   const char    *patient_id,
                   GPtrArray     *study_ids)
{
  g_autofree char *element_path = NULL;
  const char *element = "study";
  const FcmJson *node;

  fcm_check_require_string (c, report, res_path, "status", "C-47", ERROR,
                            N_("DiagnosticReport.status is mandatory (IRA fixes 'unknown' on "
                               "open)"));
  check_subject (c, report, res_path, "DiagnosticReport", patient_id);

  node = fcm_get_member (report, "study");
  if (node == NULL && (node = fcm_get_member (report, "imagingStudy")) != NULL)
    {
      element = "imagingStudy";
      element_path = fcm_path_member (res_path, element);
      fcm_check_add (c, WARNING, "C-47", element_path,
                     _("DiagnosticReport uses the R4 element 'imagingStudy'; IRA (FHIR R5) uses "
                       "'study' (digest §4.3 item 9). Both are accepted"));
    }

  if (element_path == NULL)
    element_path = fcm_path_member (res_path, element);

  if (node == NULL)
    {
      fcm_check_add (c, ERROR, "C-47", element_path,
                     _("DiagnosticReport needs a reference to the ImagingStudy ('study' in R5/IRA, "
                       "'imagingStudy' in R4)"));
    }
  else if (fcm_as_array (node) != NULL)
    {
      guint i = 0;

      if (fcm_doc_first (node) == NULL)
        fcm_check_add (c, ERROR, "C-47", element_path,
                       _("'%s' is empty; the report must reference the study"), element);

      FCM_DOC_FOREACH (node, ref)
        {
          g_autofree char *ref_path = fcm_path_index (element_path, i++);

          check_study_reference (c, ref, ref_path, study_ids);
        }
    }
  else if (fcm_as_object (node) != NULL)
    {
      fcm_check_add (c, WARNING, "C-47", element_path,
                     _("'%s' is a single Reference; it is an array (0..*) in FHIR"), element);
      check_study_reference (c, node, element_path, study_ids);
    }
  else
    {
      fcm_check_add (c, ERROR, "C-47", element_path,
                     _("'%s' must be an array of References, got %s"), element,
                     fcm_doc_type_name (node));
    }

  if (fcm_get_member (report, "identifier") == NULL && fcm_get_member (report, "basedOn") == NULL)
    fcm_check_add (c, WARNING, "C-47", res_path,
                   _("FC's DiagnosticReport-open profile wants a business 'identifier' or a "
                     "'basedOn' ServiceRequest carrying the ACSN accession (at least one of the "
                     "two)"));

  if (fcm_get_member (report, "code") == NULL)
    fcm_check_add (c, WARNING, "C-47", res_path,
                   _("DiagnosticReport.code is mandatory in base FHIR"));
}

void
fcm_check_dr_open (FcmCheck     *c,
                   FcmEventInfo *ev)
{
  g_autofree char *report_path = NULL;
  g_autofree char *patient_path = NULL;
  g_autoptr(GPtrArray) study_ids = g_ptr_array_new ();
  FcmItemIter it = FCM_ITEM_ITER_INIT;
  const FcmJson *report;
  const FcmJson *patient;
  const FcmJson *item;
  const char *patient_id = NULL;
  guint n_studies = 0;

  report = context_resource (c, ev, "report", "DiagnosticReport", "C-46", &report_path);
  patient = context_resource (c, ev, "patient", "Patient", "C-46", &patient_path);

  if (patient != NULL)
    {
      patient_id = fcm_check_require_string (c, patient, patient_path, "id", "C-47", ERROR,
                                             N_("every context resource needs an id"));
      check_open_patient (c, patient, patient_path);
    }

  /* `study` is 0..* in FC; IRA requires at least one. */
  while ((item = fcm_next_item (ev->context, "study", &it)))
    {
      g_autofree char *item_path = NULL;
      g_autofree char *res_path = NULL;
      g_autofree char *type_path = NULL;
      const FcmJson *study;
      const char *study_type;
      const char *study_id;

      n_studies++;
      item_path = fcm_path_index (ev->ctx_path, it.index);
      res_path = fcm_path_member (item_path, "resource");
      type_path = fcm_path_member (res_path, "resourceType");

      if (!(study = fcm_doc_get_object (item, "resource")))
        {
          if (fcm_get_member (item, "reference") != NULL)
            fcm_check_add (c, ERROR, "C-46", item_path,
                           _("'study' must be given as an ImagingStudy resource in %s, not as a "
                             "reference (the identifiers IRA requires travel with the resource)"),
                           ev->canonical);
          continue;
        }

      study_type = fcm_doc_get_string (study, "resourceType");
      if (study_type == NULL)
        continue;
      if (strcmp (study_type, "ImagingStudy") != 0)
        {
          fcm_check_add (c, ERROR, "C-46", type_path,
                         _("'study' must be a ImagingStudy, got '%.*s%s'"), SHOW (study_type));
          continue;
        }

      study_id = fcm_check_require_string (c, study, res_path, "id", "C-47", ERROR,
                                           N_("every context resource needs an id"));
      if (study_id != NULL)
        g_ptr_array_add (study_ids, (gpointer) study_id);

      check_open_study (c, study, res_path, patient_id);
    }

  if (n_studies == 0)
    fcm_check_add (c, ERROR, "C-46", ev->ctx_path,
                   _("%s needs a 'study' context item holding the ImagingStudy (required by IRA)"),
                   ev->canonical);

  if (report != NULL)
    {
      fcm_check_require_string (c, report, report_path, "id", "C-47", ERROR,
                                N_("every context resource needs an id, reused by the later "
                                   "-close"));
      check_open_report (c, report, report_path, patient_id, study_ids);
    }

  if (c->role == FCM_VALIDATOR_ROLE_NOTIFICATION && !ev->has_version)
    {
      g_autofree char *version_path = fcm_path_member (ev->ev_path, "context.versionId");

      fcm_check_add (c, WARNING, "H-23", version_path,
                     _("The hub assigns a context.versionId on every -open and sends it in the "
                       "notification; it is missing"));
    }
}

/* ------------------------------------------------------------------------ */
/* DiagnosticReport-close (C-50, H-15)                                      */
/* ------------------------------------------------------------------------ */

void
fcm_check_dr_close (FcmCheck     *c,
                    FcmEventInfo *ev)
{
  g_autofree char *item_path = NULL;
  const FcmJson *item;
  const FcmJson *resource;
  guint idx = 0;

  if (!(item = fcm_find_item (ev->context, "report", &idx)))
    {
      fcm_check_add (c, ERROR, "C-50", ev->ctx_path,
                     _("%s needs a 'report' context item with the id used in the -open"),
                     ev->canonical);
      return;
    }

  item_path = fcm_path_index (ev->ctx_path, idx);

  if ((resource = fcm_doc_get_object (item, "resource")))
    {
      g_autofree char *res_path = fcm_path_member (item_path, "resource");
      const char *type = fcm_doc_get_string (resource, "resourceType");

      if (type != NULL && strcmp (type, "DiagnosticReport") != 0)
        {
          g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

          fcm_check_add (c, ERROR, "C-50", type_path,
                         _("'report' must be a DiagnosticReport, got '%.*s%s'"), SHOW (type));
        }

      fcm_check_require_string (c, resource, res_path, "id", "H-15", ERROR,
                                N_("IRA answers 400 when the report's resource.id is missing on "
                                   "-close"));
    }
  else if (fcm_doc_get_object (item, "reference"))
    {
      g_autofree char *id = fcm_check_report_item_id (c, item, item_path, "H-15");

      if (id != NULL)
        fcm_check_add (c, WARNING, "C-50", item_path,
                       _("'report' is given as a reference; IRA expects the DiagnosticReport "
                         "resource with the id used in the -open (digest §4.3 item 6)"));
    }

  if (fcm_find_item (ev->context, "patient", NULL) == NULL)
    fcm_check_add (c, WARNING, "C-50", ev->ctx_path,
                   _("FC STU3 also requires 'patient' (with the ids of the -open) in %s; IRA "
                     "accepts 'report' alone"), ev->canonical);
}

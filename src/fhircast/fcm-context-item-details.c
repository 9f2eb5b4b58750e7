/* fcm-context-item-details.c: what an item reads from its open's context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FcmContextItem (see fcm-context-item-internal.h): the report
 * status, the patient (id, name, sex, birth date, MRN) and the study (id,
 * UID, accession, description, modality, start) taken from the resources
 * of a `*-open`'s context, or of Get Current Context's.
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include "fcm-context-item-internal.h"

static gboolean
coding_has_code (const FcmJson *codeable,
                 const char    *code)
{
  FCM_DOC_FOREACH (fcm_doc_get_array (codeable, "coding"), coding)
    if (g_strcmp0 (fcm_doc_get_string (coding, "code"), code) == 0)
      return TRUE;

  return FALSE;
}

/* Value of the first identifier whose type has @type_code, or whose system is
 * @system (either may be NULL). */
static const char *
find_identifier (const FcmJson *resource,
                 const char    *type_code,
                 const char    *system)
{
  FCM_DOC_FOREACH (fcm_doc_get_array (resource, "identifier"), id)
    {
      if ((type_code && coding_has_code (fcm_doc_get_object (id, "type"), type_code)) ||
          (system && g_strcmp0 (fcm_doc_get_string (id, "system"), system) == 0))
        return fcm_doc_get_string (id, "value");
    }

  return NULL;
}

static const char *
first_identifier (const FcmJson *resource)
{
  const FcmJson *ids = fcm_doc_get_array (resource, "identifier");

  return fcm_doc_get_string (fcm_doc_first (ids), "value");
}

static char *
dup_human_name (const FcmJson *patient)
{
  const FcmJson *name = fcm_doc_first (fcm_doc_get_array (patient, "name"));
  g_autoptr(GString) str = NULL;
  const char *text;
  const char *family;

  if (!fcm_doc_is_object (name))
    return NULL;

  if ((text = fcm_doc_get_string (name, "text")))
    return g_strdup (text);

  str = g_string_new (NULL);
  FCM_DOC_FOREACH (fcm_doc_get_array (name, "given"), given)
    {
      const char *g = fcm_doc_string (given);

      if (g == NULL)
        continue;
      if (str->len)
        g_string_append_c (str, ' ');
      g_string_append (str, g);
    }
  if ((family = fcm_doc_get_string (name, "family")))
    {
      if (str->len)
        g_string_append_c (str, ' ');
      g_string_append (str, family);
    }

  return str->len ? g_string_free (g_steal_pointer (&str), FALSE) : NULL;
}

/* ImagingStudy.modality: Coding[] in R4, CodeableConcept[] in R5; the
 * codes joined with "\\" as DICOM writes several (e.g. "PT\\CT"). */
static char *
dup_modality (const FcmJson *study)
{
  g_autoptr(GString) str = g_string_new (NULL);

  FCM_DOC_FOREACH (fcm_doc_get_array (study, "modality"), m)
    {
      const char *code = fcm_doc_get_string (m, "code");

      if (code == NULL)
        code = fcm_doc_get_string (fcm_doc_first (fcm_doc_get_array (m, "coding")), "code");
      if (code == NULL || code[0] == '\0')
        continue;
      if (str->len)
        g_string_append_c (str, '\\');
      g_string_append (str, code);
    }

  return str->len ? g_string_free (g_steal_pointer (&str), FALSE) : NULL;
}

static const FcmJson *
lookup_resource (const FcmJson *context,
                 const char    *key)
{
  FCM_DOC_FOREACH (context, item)
    if (g_strcmp0 (fcm_doc_get_string (item, "key"), key) == 0)
      return fcm_doc_get_object (item, "resource");

  return NULL;
}

/**
 * _fcm_context_item_set_context:
 * @doc: the document @context is in (a reference is taken)
 * @context: (nullable): the context array of the `*-open` (or of Get
 *   Current Context); %NULL for none
 * @opened_by: (nullable): id of the event that opened it
 *
 * Takes patient and study details from an open's context. A resume (C-37)
 * calls this again with the new open's context.
 */
void
_fcm_context_item_set_context (FcmContextItem *self,
                               FcmDoc         *doc,
                               const FcmJson  *context,
                               const char     *opened_by)
{
  const FcmJson *report;
  const FcmJson *patient;
  const FcmJson *study;
  g_autofree char *name = NULL;
  g_autofree char *modality = NULL;
  const char *uid;
  const char *accession;

  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));
  g_return_if_fail (doc != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->context, json_array_unref);
  fcm_doc_ref (doc);
  g_clear_pointer (&self->context_owner, fcm_doc_unref);
  self->context_owner = doc;
  self->context_doc = context;

  report = lookup_resource (context, "report");
  patient = lookup_resource (context, "patient");
  study = lookup_resource (context, "study");

  if (report != NULL)
    _fcm_context_item_update_str (self, &self->report_status, fcm_doc_get_string (report, "status"),
                                  PROP_REPORT_STATUS);

  if (patient != NULL)
    {
      const char *mrn = find_identifier (patient, "MR", "urn:MRN");

      _fcm_context_item_update_str (self, &self->patient_id, fcm_doc_get_string (patient, "id"),
                                    PROP_PATIENT_ID);
      name = dup_human_name (patient);
      _fcm_context_item_update_str (self, &self->patient_name, name, PROP_PATIENT_NAME);
      _fcm_context_item_update_str (self, &self->patient_sex,
                                    fcm_doc_get_string (patient, "gender"), PROP_PATIENT_SEX);
      _fcm_context_item_update_str (self, &self->birth_date,
                                    fcm_doc_get_string (patient, "birthDate"), PROP_BIRTH_DATE);
      _fcm_context_item_update_str (self, &self->mrn, mrn ? mrn : first_identifier (patient),
                                    PROP_MRN);
    }

  if (study != NULL)
    {
      uid = find_identifier (study, "110180", "urn:dicom:uid");
      if (uid == NULL)
        uid = fcm_doc_get_string (study, "uid"); /* 2019 prototype: STU3 ImagingStudy.uid */
      accession = find_identifier (study, "ACSN", "urn:accession");

      _fcm_context_item_update_str (self, &self->study_id, fcm_doc_get_string (study, "id"),
                                    PROP_STUDY_ID);
      _fcm_context_item_update_str (self, &self->study_uid, uid, PROP_STUDY_UID);
      _fcm_context_item_update_str (self, &self->accession, accession, PROP_ACCESSION);
      _fcm_context_item_update_str (self, &self->study_description,
                                    fcm_doc_get_string (study, "description"),
                                    PROP_STUDY_DESCRIPTION);
      modality = dup_modality (study);
      _fcm_context_item_update_str (self, &self->modality, modality, PROP_MODALITY);
      _fcm_context_item_update_str (self, &self->study_date, fcm_doc_get_string (study, "started"),
                                    PROP_STUDY_DATE);
    }

  _fcm_context_item_update_str (self, &self->opened_by, opened_by, PROP_OPENED_BY);

  g_object_thaw_notify (G_OBJECT (self));
}

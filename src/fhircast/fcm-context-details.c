/* fcm-context-details.c: who and what a report is about, in an open's context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"
#include <glib/gi18n-lib.h>

#include <string.h>

#include "fcm-context-details.h"
#include "fcm-error.h"
#include "fcm-json-private.h"
#include "fcm-time-private.h"

#define DCM "http://dicom.nema.org/resources/ontology/DCM"

/**
 * fcm_patient_sex_is_valid:
 * @sex: (nullable): a Patient.gender value
 *
 * Returns: whether @sex is one of FHIR's administrative genders
 */
gboolean
fcm_patient_sex_is_valid (const char *sex)
{
  static const char * const codes[] = { "male", "female", "other", "unknown", NULL };

  return sex != NULL && g_strv_contains (codes, sex);
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/**
 * fcm_fhir_date_is_valid:
 * @date: (nullable): a FHIR date
 *
 * Returns: whether @date is YYYY, YYYY-MM or YYYY-MM-DD and names a real
 *   day (no 2023-02-30)
 */
gboolean
fcm_fhir_date_is_valid (const char *date)
{
  gsize len = date ? strlen (date) : 0;
  guint year, month = 1, day = 1;

  if (!(len == 4 || len == 7 || len == 10) || !all_digits (date, 4))
    return FALSE;
  year = (guint) g_ascii_strtoull (date, NULL, 10);
  if (len >= 7)
    {
      if (date[4] != '-' || !all_digits (date + 5, 2))
        return FALSE;
      month = (guint) g_ascii_strtoull (date + 5, NULL, 10);
    }
  if (len == 10)
    {
      if (date[7] != '-' || !all_digits (date + 8, 2))
        return FALSE;
      day = (guint) g_ascii_strtoull (date + 8, NULL, 10);
    }

  return year >= 1 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/**
 * fcm_fhir_datetime_is_valid:
 * @datetime: (nullable): a FHIR dateTime
 *
 * Returns: whether @datetime is a FHIR date, or a date and a time with a
 *   time zone (FHIR requires one when there is a time)
 */
gboolean
fcm_fhir_datetime_is_valid (const char *datetime)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *date = NULL;
  const char *t;

  if (datetime == NULL)
    return FALSE;
  if ((t = strchr (datetime, 'T')) == NULL)
    return fcm_fhir_date_is_valid (datetime);

  date = g_strndup (datetime, t - datetime);
  if (strlen (date) != 10 || !fcm_fhir_date_is_valid (date))
    return FALSE;
  /* no default time zone: FHIR wants one with a time */
  parsed = g_date_time_new_from_iso8601 (datetime, NULL);
  return parsed != NULL;
}

/**
 * fcm_modality_is_valid:
 * @modality: (nullable): DICOM modality codes
 *
 * Returns: whether @modality is one or more DICOM code strings (upper-case
 *   letters, digits and "_", at most 16 each) joined with "\\"
 */
gboolean
fcm_modality_is_valid (const char *modality)
{
  g_auto(GStrv) codes = NULL;

  if (modality == NULL || modality[0] == '\0')
    return FALSE;

  codes = g_strsplit (modality, "\\", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      gsize len = strlen (codes[i]);

      if (len == 0 || len > 16 ||
          strspn (codes[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != len)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_given (const char *s)
{
  return s != NULL && s[0] != '\0';
}

/**
 * fcm_report_details_check:
 * @details: the details to check
 * @error: return location for a #GError (%FCM_ERROR_INVALID_MESSAGE)
 *
 * Checks the coded members: the sex, the dates and the modality. A birth
 * date after today is refused too.
 *
 * Returns: %TRUE when every given member is valid
 */
gboolean
fcm_report_details_check (const FcmReportDetails  *details,
                          GError                 **error)
{
  g_return_val_if_fail (details != NULL, FALSE);

  if (is_given (details->patient_sex) && !fcm_patient_sex_is_valid (details->patient_sex))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("sex \"%s\" is not one of male, female, other, unknown"), details->patient_sex);
      return FALSE;
    }
  if (is_given (details->birth_date))
    {
      g_autoptr(GDateTime) now = _fcm_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      if (!fcm_fhir_date_is_valid (details->birth_date))
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       _("birth date \"%s\" is not a date (YYYY-MM-DD)"), details->birth_date);
          return FALSE;
        }
      /* compares as text: YYYY, YYYY-MM and YYYY-MM-DD all sort by date */
      if (strncmp (details->birth_date, today, strlen (details->birth_date)) > 0)
        {
          g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                       _("birth date %s is in the future"), details->birth_date);
          return FALSE;
        }
    }
  if (is_given (details->study_date) && !fcm_fhir_datetime_is_valid (details->study_date))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("study date \"%s\" is not a date (YYYY-MM-DD) or a date and time with a time zone"),
                   details->study_date);
      return FALSE;
    }
  if (is_given (details->modality) && !fcm_modality_is_valid (details->modality))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   _("modality \"%s\" is not a DICOM modality code such as CT, MR or US"),
                   details->modality);
      return FALSE;
    }

  return TRUE;
}

static JsonObject *
lookup_resource (JsonArray  *context,
                 const char *key)
{
  for (guint i = 0; i < json_array_get_length (context); i++)
    {
      JsonObject *item = fcm_json_array_get_object (context, i);

      if (g_strcmp0 (fcm_json_get_string (item, "key"), key) == 0)
        return fcm_json_get_object (item, "resource");
    }

  return NULL;
}

/* A HumanName from what a person typed: "Doe, Jane Mary" names the family
 * first; otherwise the last word is the family name. The text is kept as
 * typed. */
static JsonNode *
build_human_name (const char *typed)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autofree char *family = NULL;
  g_auto(GStrv) given = NULL;
  const char *comma = strchr (text, ',');

  if (comma != NULL)
    {
      family = g_strstrip (g_strndup (text, comma - text));
      given = g_strsplit_set (comma + 1, " \t", -1);
    }
  else
    {
      const char *space = strrchr (text, ' ');

      family = g_strdup (space ? space + 1 : text);
      if (space != NULL)
        {
          g_autofree char *first = g_strndup (text, space - text);

          given = g_strsplit_set (g_strstrip (first), " \t", -1);
        }
      else
        {
          given = g_new0 (char *, 1);
        }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  if (family[0] != '\0')
    {
      json_builder_set_member_name (b, "family");
      json_builder_add_string_value (b, family);
    }
  if (given[0] != NULL)
    {
      gboolean open = FALSE;

      for (guint i = 0; given[i] != NULL; i++)
        {
          if (given[i][0] == '\0')
            continue;
          if (!open)
            {
              json_builder_set_member_name (b, "given");
              json_builder_begin_array (b);
              open = TRUE;
            }
          json_builder_add_string_value (b, given[i]);
        }
      if (open)
        json_builder_end_array (b);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static JsonNode *
build_modality (const char *modality)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) codes = g_strsplit (modality, "\\", -1);

  /* R5 (IRA): CodeableConcept[] */
  json_builder_begin_array (b);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "coding");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "system");
      json_builder_add_string_value (b, DCM);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, codes[i]);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return json_builder_get_root (b);
}

/**
 * fcm_context_add_details:
 * @context: the context of a `DiagnosticReport-open`, with its "patient"
 *   and "study" resources
 * @details: what to add; %NULL members are left out
 * @error: return location for a #GError
 *
 * Adds the patient's name, sex and birth date (FC SHOULD, C-47) and the
 * study's description, modality and date to the resources of @context.
 * Nothing is made up: members not given are not added.
 *
 * Returns: %TRUE on success; %FALSE with @error set when a member is not
 *   valid (see fcm_report_details_check()) or a resource it belongs to is
 *   missing, and then @context is unchanged
 */
gboolean
fcm_context_add_details (JsonArray               *context,
                         const FcmReportDetails  *details,
                         GError                 **error)
{
  JsonObject *patient;
  JsonObject *study;
  gboolean wants_patient;
  gboolean wants_study;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (details != NULL, FALSE);

  if (!fcm_report_details_check (details, error))
    return FALSE;

  patient = lookup_resource (context, "patient");
  study = lookup_resource (context, "study");
  wants_patient = is_given (details->patient_name) || is_given (details->patient_sex) ||
                  is_given (details->birth_date);
  wants_study = is_given (details->study_description) || is_given (details->modality) ||
                is_given (details->study_date);

  if ((wants_patient && patient == NULL) || (wants_study && study == NULL))
    {
      g_set_error (error, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE,
                   /* Translators: %s is the context key "patient" or "study" */
                   _("the context has no %s resource for these details"),
                   wants_patient && patient == NULL ? "patient" : "study");
      return FALSE;
    }

  if (is_given (details->patient_name))
    {
      JsonArray *names = json_array_new ();

      json_array_add_element (names, build_human_name (details->patient_name));
      json_object_set_array_member (patient, "name", names);
    }
  if (is_given (details->patient_sex))
    json_object_set_string_member (patient, "gender", details->patient_sex);
  if (is_given (details->birth_date))
    json_object_set_string_member (patient, "birthDate", details->birth_date);

  if (is_given (details->study_description))
    json_object_set_string_member (study, "description", details->study_description);
  if (is_given (details->modality))
    json_object_set_member (study, "modality", build_modality (details->modality));
  if (is_given (details->study_date))
    json_object_set_string_member (study, "started", details->study_date);

  return TRUE;
}

/* ------------------------------------------------------------ demo values */

static const char * const female_names[] = {
  "Anna", "Maria", "Sophie", "Emma", "Laura", "Julia", "Hannah", "Clara",
  "Ingrid", "Fatima", "Aiko", "Elena", "Grace", "Nora", "Amira", "Chloé",
};

static const char * const male_names[] = {
  "Jonas", "Lukas", "David", "Peter", "Thomas", "Ahmed", "Kenji", "Mateo",
  "Oliver", "Samuel", "Erik", "Luca", "Daniel", "Omar", "Henrik", "Noah",
};

static const char * const family_names[] = {
  "Müller", "Schmidt", "Jansen", "Novak", "García", "Rossi", "Dubois",
  "Nielsen", "Kowalski", "Tanaka", "Okafor", "Smith", "Andersson", "Haddad",
  "Papadopoulos", "O'Brien", "Fischer", "Silva", "Virtanen", "Horvath",
};

/* description, modality: common imaging studies */
static const char * const studies[][2] = {
  { "CT Chest with contrast", "CT" },
  { "CT Head without contrast", "CT" },
  { "CT Abdomen and Pelvis with contrast", "CT" },
  { "MR Brain with and without contrast", "MR" },
  { "MR Knee left without contrast", "MR" },
  { "MR Lumbar Spine without contrast", "MR" },
  { "XR Chest PA and lateral", "DX" },
  { "US Abdomen complete", "US" },
  { "Mammography screening bilateral", "MG" },
  { "PET/CT whole body FDG", "PT\\CT" },
};

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

/**
 * fcm_demo_patient_name:
 * @rand: the random source
 * @out_sex: (out) (optional): "female" or "male", to go with the name
 *
 * Returns: (transfer full): a made-up but realistic "Given Family" name
 */
char *
fcm_demo_patient_name (GRand       *rand,
                       const char **out_sex)
{
  gboolean female = g_rand_boolean (rand);
  const char *given = female ? PICK (rand, female_names) : PICK (rand, male_names);

  if (out_sex != NULL)
    *out_sex = female ? "female" : "male";
  return g_strdup_printf ("%s %s", given, PICK (rand, family_names));
}

/**
 * fcm_demo_birth_date:
 * @rand: the random source
 *
 * Returns: (transfer full): a YYYY-MM-DD birth date of an adult, 18 to 90
 *   years ago
 */
char *
fcm_demo_birth_date (GRand *rand)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) born = NULL;
  int days = g_rand_int_range (rand, 18 * 365, 90 * 365);

  born = g_date_time_add_days (now, -days);
  return g_date_time_format (born, "%Y-%m-%d");
}

/**
 * fcm_demo_study:
 * @rand: the random source
 * @out_description: (out): a study description, e.g. "CT Chest with contrast"
 * @out_modality: (out): its DICOM modality, e.g. "CT"
 *
 * Picks a common imaging study; the strings are static.
 */
void
fcm_demo_study (GRand       *rand,
                const char **out_description,
                const char **out_modality)
{
  guint i = g_rand_int_range (rand, 0, G_N_ELEMENTS (studies));

  *out_description = studies[i][0];
  *out_modality = studies[i][1];
}

/* fcm-open-report-dialog.c: asks for the report, patient and study to open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmOpenReportDialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-a11y.h"
#include "fcm-open-report-dialog.h"

/**
 * FcmOpenReportDialog:
 *
 * A modal dialog asking for what a DiagnosticReport-open needs: the report,
 * patient and study (C-46), the patient's MRN and the study's accession
 * number (C-47: IHE IRA's Patient identifier of type MR and ImagingStudy
 * identifier of type ACSN; the hub answers 400 without them), and what
 * people check to be sure of the patient and study: name, sex, birth date
 * (C-47: FC SHOULD), study description, modality and date.
 *
 * Responses are "cancel" and "open"; "open" stays disabled until every
 * required field is filled and every field is valid, so a dialog that
 * looks complete is one the hub takes. What is wrong is said in words
 * under the field: a value as soon as it is typed, a required field left
 * empty once focus leaves it (or on Enter), with the reason it is
 * required. Nothing typed is changed or dropped. The caller builds the
 * request with fcm_context_build_open() and fcm_context_add_details().
 */
struct _FcmOpenReportDialog
{
  AdwMessageDialog  parent_instance;

  char             *report_id;
  char             *patient_id;
  char             *mrn;
  char             *study_id;
  char             *accession;
  char             *patient_name;
  char             *birth_date;
  char             *study_description;
  char             *modality;
  char             *study_date;

  /* Template children */
  AdwEntryRow      *report_id_row;
  AdwEntryRow      *patient_name_row;
  AdwComboRow      *sex_row;
  AdwEntryRow      *birth_date_row;
  AdwEntryRow      *patient_id_row;
  AdwEntryRow      *mrn_row;
  AdwEntryRow      *study_description_row;
  AdwEntryRow      *modality_row;
  AdwEntryRow      *study_date_row;
  AdwEntryRow      *study_id_row;
  AdwEntryRow      *accession_row;
  GtkLabel         *report_error;
  GtkLabel         *patient_error;
  GtkLabel         *study_error;

  GHashTable       *touched;      /* required rows left empty once */
};

/* Patient.gender by the sex row's position; 0 is "Not given" */
static const char * const sexes[] = { NULL, "female", "male", "other", "unknown" };

G_DEFINE_FINAL_TYPE (FcmOpenReportDialog, fcm_open_report_dialog, ADW_TYPE_MESSAGE_DIALOG)

/**
 * fcm_open_report_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 *
 * Returns: (transfer none): a new dialog, owned by GTK's toplevel list
 */
FcmOpenReportDialog *
fcm_open_report_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (FCM_TYPE_OPEN_REPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
}

/* A FHIR resource id: [A-Za-z0-9\-\.]{1,64}; the three ids become
 * Reference.reference values, so nothing else fits. */
static gboolean
is_fhir_id (const char *id)
{
  size_t len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  return len >= 1 && len <= 64 &&
         strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.") == len;
}

/* Stores the trimmed text of @row in @field (NULL when empty). */
static void
read_row (AdwEntryRow  *row,
          char        **field)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  g_clear_pointer (field, g_free);
  if (*text != '\0')
    *field = g_steal_pointer (&text);
}

static gboolean
given (const char *s)
{
  return s != NULL && s[0] != '\0';
}

/* Marks @row (and its text field, which has focus) invalid and described
 * by @label, or valid again */
static void
mark_row (AdwEntryRow *row,
          GtkLabel    *label,
          gboolean     invalid)
{
  GtkAccessible *parts[] = { GTK_ACCESSIBLE (row), GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row))) };

  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        continue;
      if (invalid)
        {
          gtk_accessible_update_state (parts[i], GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
          gtk_accessible_update_relation (parts[i], GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
        }
      else
        {
          gtk_accessible_reset_state (parts[i], GTK_ACCESSIBLE_STATE_INVALID);
          gtk_accessible_reset_relation (parts[i], GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
        }
    }
}

/* Appends "Title: why" to @errors when @why is set; returns !why */
static gboolean
check_row (AdwEntryRow *row,
           const char  *why,
           GtkLabel    *label,
           GString     *errors)
{
  if (why != NULL)
    {
      if (errors->len > 0)
        g_string_append_c (errors, '\n');
      /* Translators: 1: a field, 2: what is wrong with its value */
      g_string_append_printf (errors, _("%s: %s"),
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), why);
    }
  mark_row (row, label, why != NULL);
  return why == NULL;
}

/* A required row left empty: "Title is required", with the reason when
 * the hub would refuse the open without it (C-47) */
static gboolean
check_required (FcmOpenReportDialog *self,
                AdwEntryRow         *row,
                const char          *value,
                const char          *reason,
                GtkLabel            *label,
                GString             *errors)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

  if (value != NULL)
    return TRUE;
  if (!g_hash_table_contains (self->touched, row))
    return FALSE;   /* not reached yet: nothing to complain about */
  if (errors->len > 0)
    g_string_append_c (errors, '\n');
  if (reason != NULL)
    /* Translators: 1: a field that must be filled in, 2: why */
    g_string_append_printf (errors, _("%s is required: %s"), title, reason);
  else
    /* Translators: %s is a field that must be filled in */
    g_string_append_printf (errors, _("%s is required"), title);
  mark_row (row, label, TRUE);
  return FALSE;
}

/* only complain about what was typed, not about what is still missing */
static const char *
id_problem (const char *value)
{
  return value != NULL && !is_fhir_id (value) ? _("use up to 64 letters, digits, “-” and “.”") : NULL;
}

static const char *
birth_date_problem (FcmOpenReportDialog *self)
{
  FcmReportDetails details = { .birth_date = self->birth_date };

  if (!given (self->birth_date))
    return NULL;
  if (!fcm_fhir_date_is_valid (self->birth_date))
    return _("not a date; use YYYY-MM-DD, e.g. 1961-04-12");
  if (!fcm_report_details_check (&details, NULL))
    return _("is in the future");
  return NULL;
}

static void
show_errors (GtkLabel   *label,
             GString    *errors)
{
  gtk_label_set_text (label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (label), errors->len > 0);
}

static gboolean
check_all (FcmOpenReportDialog *self)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GString) patient = g_string_new (NULL);
  g_autoptr(GString) study = g_string_new (NULL);
  gboolean ok;

  /* what was typed, in the order of the fields */
  ok = check_row (self->report_id_row, id_problem (self->report_id), self->report_error, report);
  ok = check_row (self->birth_date_row, birth_date_problem (self), self->patient_error, patient) && ok;
  ok = check_row (self->patient_id_row, id_problem (self->patient_id), self->patient_error, patient) && ok;
  ok = check_row (self->mrn_row, NULL, self->patient_error, patient) && ok;
  ok = check_row (self->modality_row,
                  given (self->modality) && !fcm_modality_is_valid (self->modality)
                  ? _("use a DICOM modality code in capitals, e.g. CT, MR or US") : NULL,
                  self->study_error, study) && ok;
  ok = check_row (self->study_date_row,
                  given (self->study_date) && !fcm_fhir_datetime_is_valid (self->study_date)
                  ? _("not a date; use YYYY-MM-DD, e.g. 2025-11-21") : NULL,
                  self->study_error, study) && ok;
  ok = check_row (self->study_id_row, id_problem (self->study_id), self->study_error, study) && ok;
  ok = check_row (self->accession_row, NULL, self->study_error, study) && ok;

  /* C-46: an open names the report, the patient and the study; C-47: IHE
   * IRA also needs the patient's MRN and the study's accession number,
   * and the hub answers 400 without them */
  ok = check_required (self, self->report_id_row, self->report_id, NULL, self->report_error, report) && ok;
  ok = check_required (self, self->patient_id_row, self->patient_id, NULL, self->patient_error, patient) && ok;
  ok = check_required (self, self->mrn_row, self->mrn,
                       _("IHE IRA identifies the patient by the medical record number (identifier type MR), "
                         "and the hub refuses an open without it"),
                       self->patient_error, patient) && ok;
  ok = check_required (self, self->study_id_row, self->study_id, NULL, self->study_error, study) && ok;
  ok = check_required (self, self->accession_row, self->accession,
                       _("IHE IRA identifies the study by its accession number (identifier type ACSN), "
                         "and the hub refuses an open without it"),
                       self->study_error, study) && ok;

  show_errors (self->report_error, report);
  show_errors (self->patient_error, patient);
  show_errors (self->study_error, study);

  return ok;
}

static void
on_entry_changed_cb (FcmOpenReportDialog *self)
{
  read_row (self->report_id_row, &self->report_id);
  read_row (self->patient_id_row, &self->patient_id);
  read_row (self->mrn_row, &self->mrn);
  read_row (self->study_id_row, &self->study_id);
  read_row (self->accession_row, &self->accession);
  read_row (self->patient_name_row, &self->patient_name);
  read_row (self->birth_date_row, &self->birth_date);
  read_row (self->study_description_row, &self->study_description);
  read_row (self->modality_row, &self->modality);
  read_row (self->study_date_row, &self->study_date);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "open", check_all (self));
}

static AdwEntryRow **
required_rows (FcmOpenReportDialog *self,
               AdwEntryRow         *rows[5])
{
  rows[0] = self->report_id_row;
  rows[1] = self->patient_id_row;
  rows[2] = self->mrn_row;
  rows[3] = self->study_id_row;
  rows[4] = self->accession_row;
  return rows;
}

static gboolean
row_is_empty (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text == '\0';
}

/* Enter in a field: opens when everything is valid (activates-default);
 * otherwise it says why instead of doing nothing: every required field
 * still empty says so, and the first gets focus. */
static void
on_entry_activated_cb (FcmOpenReportDialog *self)
{
  AdwEntryRow *rows[5];
  AdwEntryRow *first = NULL;

  if (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), "open"))
    return;

  gtk_widget_error_bell (GTK_WIDGET (self));
  required_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (row_is_empty (rows[i]))
      {
        g_hash_table_add (self->touched, rows[i]);
        if (first == NULL)
          first = rows[i];
      }
  check_all (self);
  if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

/* Focus left a required field: if it is still empty, that is said now */
static void
on_focus_leave_cb (GtkEventControllerFocus *controller,
                   FcmOpenReportDialog     *self)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));

  /* not while the dialog goes away */
  if (gtk_widget_in_destruction (GTK_WIDGET (self)) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (!row_is_empty (row) || g_hash_table_contains (self->touched, row))
    return;
  g_hash_table_add (self->touched, row);
  check_all (self);
}

static void
fcm_open_report_dialog_finalize (GObject *object)
{
  FcmOpenReportDialog *self = (FcmOpenReportDialog *)object;

  g_clear_pointer (&self->report_id, g_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->mrn, g_free);
  g_clear_pointer (&self->study_id, g_free);
  g_clear_pointer (&self->accession, g_free);
  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->study_description, g_free);
  g_clear_pointer (&self->modality, g_free);
  g_clear_pointer (&self->study_date, g_free);
  g_clear_pointer (&self->touched, g_hash_table_unref);

  G_OBJECT_CLASS (fcm_open_report_dialog_parent_class)->finalize (object);
}

static void
fcm_open_report_dialog_class_init (FcmOpenReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fcm_open_report_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fhircastmonitor/FhircastMonitor/fcm-open-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, report_id_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, patient_name_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, sex_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, birth_date_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, patient_id_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, mrn_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, study_description_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, modality_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, study_date_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, study_id_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, accession_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, report_error);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, patient_error);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, study_error);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, fcm_open_report_dialog_fill_random);
}

static void
fcm_open_report_dialog_init (FcmOpenReportDialog *self)
{
  AdwEntryRow *rows[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->touched = g_hash_table_new (NULL, NULL);

  /* the focusable text fields carry their row's name; buttons one name */
  fcm_a11y_fix_names (GTK_WIDGET (self));

  required_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (rows[i]));

      g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (rows[i]), focus);
      /* assistive technologies say "required" too, not only the text above */
      gtk_accessible_update_property (GTK_ACCESSIBLE (rows[i]), GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
      if (text != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
    }
}

/**
 * fcm_open_report_dialog_fill_random:
 * @self: a #FcmOpenReportDialog
 *
 * Fills every field with made-up but plausible demo values.
 */
void
fcm_open_report_dialog_fill_random (FcmOpenReportDialog *self)
{
  g_autoptr(GRand) rand = g_rand_new ();
  g_autofree char *report_id = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *mrn = NULL;
  g_autofree char *study_id = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *name = NULL;
  g_autofree char *born = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  const char *sex = NULL;
  const char *description = NULL;
  const char *modality = NULL;

  g_return_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self));

  report_id = g_uuid_string_random ();
  uuid = g_uuid_string_random ();
  patient_id = g_strdup_printf ("demo-%.8s", uuid);
  mrn = g_strdup_printf ("MRN-%06d", g_rand_int_range (rand, 0, 1000000));
  study_id = g_strdup_printf ("demo-study-%08x", g_rand_int (rand));
  accession = g_strdup_printf ("ACC%08d", g_rand_int_range (rand, 0, 100000000));
  name = fcm_demo_patient_name (rand, &sex);
  born = fcm_demo_birth_date (rand);
  fcm_demo_study (rand, &description, &modality);

  gtk_editable_set_text (GTK_EDITABLE (self->report_id_row), report_id);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_name_row), name);
  for (guint i = 0; i < G_N_ELEMENTS (sexes); i++)
    if (g_strcmp0 (sexes[i], sex) == 0)
      adw_combo_row_set_selected (self->sex_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->birth_date_row), born);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_id_row), patient_id);
  gtk_editable_set_text (GTK_EDITABLE (self->mrn_row), mrn);
  gtk_editable_set_text (GTK_EDITABLE (self->study_description_row), description);
  gtk_editable_set_text (GTK_EDITABLE (self->modality_row), modality);
  gtk_editable_set_text (GTK_EDITABLE (self->study_date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->study_id_row), study_id);
  gtk_editable_set_text (GTK_EDITABLE (self->accession_row), accession);
}

/**
 * fcm_open_report_dialog_get_details:
 * @self: a #FcmOpenReportDialog
 * @details: (out caller-allocates): filled with the patient's and study's
 *   details; the strings belong to @self, %NULL when not given
 */
void
fcm_open_report_dialog_get_details (FcmOpenReportDialog *self,
                                    FcmReportDetails    *details)
{
  guint sex;

  g_return_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self));
  g_return_if_fail (details != NULL);

  sex = adw_combo_row_get_selected (self->sex_row);
  details->patient_name = self->patient_name;
  details->patient_sex = sex < G_N_ELEMENTS (sexes) ? sexes[sex] : NULL;
  details->birth_date = self->birth_date;
  details->study_description = self->study_description;
  details->modality = self->modality;
  details->study_date = self->study_date;
}

/**
 * _fcm_open_report_dialog_get_errors:
 *
 * Returns: (nullable): for tests: the messages shown under the report,
 *   patient and study groups, joined by newlines; %NULL when none is shown
 */
char *
_fcm_open_report_dialog_dup_errors (FcmOpenReportDialog *self)
{
  GtkLabel *labels[] = { self->report_error, self->patient_error, self->study_error };
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (labels[i])))
      {
        if (str->len)
          g_string_append_c (str, '\n');
        g_string_append (str, gtk_label_get_text (labels[i]));
      }
  return str->len ? g_string_free (g_steal_pointer (&str), FALSE) : NULL;
}

/**
 * fcm_open_report_dialog_get_report_id:
 * @self: a #FcmOpenReportDialog
 *
 * Returns: (nullable): the report id, trimmed; %NULL when empty
 */
const char *
fcm_open_report_dialog_get_report_id (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->report_id;
}

/**
 * fcm_open_report_dialog_get_patient_id:
 * @self: a #FcmOpenReportDialog
 *
 * Returns: (nullable): the Patient resource id, trimmed; %NULL when empty
 */
const char *
fcm_open_report_dialog_get_patient_id (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->patient_id;
}

/**
 * fcm_open_report_dialog_get_mrn:
 * @self: a #FcmOpenReportDialog
 *
 * Returns: (nullable): the medical record number (required: "open" is
 *   enabled only with one), or %NULL while empty
 */
const char *
fcm_open_report_dialog_get_mrn (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->mrn;
}

/**
 * fcm_open_report_dialog_get_study_id:
 * @self: a #FcmOpenReportDialog
 *
 * Returns: (nullable): the ImagingStudy resource id, trimmed; %NULL when empty
 */
const char *
fcm_open_report_dialog_get_study_id (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->study_id;
}

/**
 * fcm_open_report_dialog_get_accession:
 * @self: a #FcmOpenReportDialog
 *
 * Returns: (nullable): the accession number (required: "open" is enabled
 *   only with one), or %NULL while empty
 */
const char *
fcm_open_report_dialog_get_accession (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->accession;
}

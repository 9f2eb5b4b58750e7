/* fcm-open-report-dialog.c: asks for the report, patient and study to open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmOpenReportDialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-open-report-dialog.h"

/**
 * FcmOpenReportDialog:
 *
 * A modal dialog asking for what a DiagnosticReport-open needs: the report,
 * patient and study (C-46, C-47), and optionally the MRN and accession
 * number. Responses are "cancel" and "open"; "open" stays disabled until
 * the three ids are valid FHIR ids. The caller builds the request with
 * fcm_context_build_open().
 */
struct _FcmOpenReportDialog
{
  AdwMessageDialog  parent_instance;

  char             *report_id;
  char             *patient_id;
  char             *mrn;
  char             *study_id;
  char             *accession;

  /* Template children */
  AdwEntryRow      *report_id_row;
  AdwEntryRow      *patient_id_row;
  AdwEntryRow      *mrn_row;
  AdwEntryRow      *study_id_row;
  AdwEntryRow      *accession_row;
};

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
check_id_row (AdwEntryRow *row,
              const char  *value)
{
  gboolean valid = is_fhir_id (value);

  /* only complain about what was typed, not about what is still missing */
  if (value != NULL && !valid)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                                   _("Use up to 64 letters, digits, “-” and “.”"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
    }

  return valid;
}

static void
on_entry_changed_cb (FcmOpenReportDialog *self)
{
  gboolean ok;

  read_row (self->report_id_row, &self->report_id);
  read_row (self->patient_id_row, &self->patient_id);
  read_row (self->mrn_row, &self->mrn);
  read_row (self->study_id_row, &self->study_id);
  read_row (self->accession_row, &self->accession);

  /* C-46, C-47: an open names the report, the patient and the study */
  ok = check_id_row (self->report_id_row, self->report_id);
  ok = check_id_row (self->patient_id_row, self->patient_id) && ok;
  ok = check_id_row (self->study_id_row, self->study_id) && ok;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "open", ok);
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
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, patient_id_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, mrn_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, study_id_row);
  gtk_widget_class_bind_template_child (widget_class, FcmOpenReportDialog, accession_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, fcm_open_report_dialog_fill_random);
}

static void
fcm_open_report_dialog_init (FcmOpenReportDialog *self)
{
  AdwEntryRow *rows[5];

  gtk_widget_init_template (GTK_WIDGET (self));

  /* the text field is what gets focus: name it after its row */
  rows[0] = self->report_id_row;
  rows[1] = self->patient_id_row;
  rows[2] = self->mrn_row;
  rows[3] = self->study_id_row;
  rows[4] = self->accession_row;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (rows[i]));

      if (text != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (text),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[i])),
                                        -1);
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
  g_autofree char *report_id = NULL;
  g_autofree char *patient_id = NULL;
  g_autofree char *mrn = NULL;
  g_autofree char *study_id = NULL;
  g_autofree char *accession = NULL;
  g_autofree char *uuid = NULL;

  g_return_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self));

  report_id = g_uuid_string_random ();
  uuid = g_uuid_string_random ();
  patient_id = g_strdup_printf ("demo-%.8s", uuid);
  mrn = g_strdup_printf ("MRN-%06d", g_random_int_range (0, 1000000));
  study_id = g_strdup_printf ("demo-study-%08x", g_random_int ());
  accession = g_strdup_printf ("ACC%08d", g_random_int_range (0, 100000000));

  gtk_editable_set_text (GTK_EDITABLE (self->report_id_row), report_id);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_id_row), patient_id);
  gtk_editable_set_text (GTK_EDITABLE (self->mrn_row), mrn);
  gtk_editable_set_text (GTK_EDITABLE (self->study_id_row), study_id);
  gtk_editable_set_text (GTK_EDITABLE (self->accession_row), accession);
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
 * Returns: (nullable): the medical record number, or %NULL when not given
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
 * Returns: (nullable): the accession number, or %NULL when not given
 */
const char *
fcm_open_report_dialog_get_accession (FcmOpenReportDialog *self)
{
  g_return_val_if_fail (FCM_IS_OPEN_REPORT_DIALOG (self), NULL);

  return self->accession;
}

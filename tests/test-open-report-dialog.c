/* test-open-report-dialog.c: FcmOpenReportDialog over a real hub
 *
 * The fields "open" needs, the random demo study and a minimal open. Over
 * a real hub with the monitored client and another app
 * (fcm-test-context-panel-util.c).
 * Needs a display: exits 77 (meson: SKIP) when GTK cannot open one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fcm-compact-row.h"
#include "fcm-context-panel-private.h"
#include "fcm-line-text.h"
#include "fcm-client.h"
#include "fcm-hub.h"
#include "fcm-open-report-dialog.h"
#include "fcm-gtk-test-util.h"
#include "fcm-test-util.h"
#include "fcm-test-context-panel-util.h"

static void
set_row (FcmOpenReportDialog *dialog,
         const char          *title,
         const char          *text)
{
  GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
open_enabled (FcmOpenReportDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "open");
}

static gboolean
is_random_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Random Demo Study") == 0;
}

/* C-46, C-47: "open" needs the report, the patient and the study, and
 * (IHE IRA) the MRN and the accession number */
static void
test_dialog_required (Fixture       *f,
                      gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  g_autofree char *errors = NULL;

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "cancel"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "open"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open"),
                   ==, ADW_RESPONSE_SUGGESTED);
  g_assert_false (open_enabled (dialog));
  g_assert_null (fcm_open_report_dialog_get_report_id (dialog));

  /* the focusable text fields carry their row's name */
  {
    GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), "Patient ID");
    GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

    g_assert_nonnull (text);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Patient ID");
  }

  /* required: marked so for assistive technologies too */
  {
    GtkWidget *row = fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN");

    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (row))),
                                         GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
    g_assert_null (fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN (optional)"));
  }

  set_row (dialog, "Report ID", "rpt-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Patient ID", "pat-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Study ID (ImagingStudy)", " st-9 ");
  /* without the MRN and the accession the hub would answer 400 (C-47) */
  g_assert_false (open_enabled (dialog));
  /* nothing said about what was not reached yet */
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  set_row (dialog, "MRN", "MRN-9");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Accession Number", "ACC9");
  g_assert_true (open_enabled (dialog));
  g_assert_cmpstr (fcm_open_report_dialog_get_report_id (dialog), ==, "rpt-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_patient_id (dialog), ==, "pat-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_study_id (dialog), ==, "st-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_mrn (dialog), ==, "MRN-9");
  g_assert_cmpstr (fcm_open_report_dialog_get_accession (dialog), ==, "ACC9");

  /* empty or blank, they are NULL and "open" is off again */
  set_row (dialog, "MRN", "");
  set_row (dialog, "Accession Number", "   ");
  g_assert_null (fcm_open_report_dialog_get_mrn (dialog));
  g_assert_null (fcm_open_report_dialog_get_accession (dialog));
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "MRN", "MRN-9");
  set_row (dialog, "Accession Number", "ACC9");
  g_assert_true (open_enabled (dialog));

  /* not a FHIR id: it would not fit in a reference; said in words */
  set_row (dialog, "Report ID", "rpt 9/x");
  g_assert_false (open_enabled (dialog));
  g_assert_true (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"), "error"));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "Report ID: use up to 64 letters, digits, “-” and “.”");
  g_clear_pointer (&errors, g_free);
  /* nothing typed is changed */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"))),
                   ==, "rpt 9/x");
  set_row (dialog, "Report ID", "rpt-9");
  g_assert_true (open_enabled (dialog));
  g_assert_false (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Report ID"), "error"));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));

  /* the details are checked as typed, each reason under its group */
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "12.04.1961");
  set_row (dialog, "Modality (optional, e.g. CT)", "ct");
  set_row (dialog, "Date (optional, YYYY-MM-DD)", "2025-02-30");
  g_assert_false (open_enabled (dialog));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_nonnull (strstr (errors, "Birth Date (optional, YYYY-MM-DD): not a date; use YYYY-MM-DD"));
  g_assert_nonnull (strstr (errors, "Modality (optional, e.g. CT): use a DICOM modality code in capitals"));
  g_assert_nonnull (strstr (errors, "Date (optional, YYYY-MM-DD): not a date"));
  g_clear_pointer (&errors, g_free);
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "2999-01-01");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_nonnull (strstr (errors, "is in the future"));
  g_clear_pointer (&errors, g_free);
  set_row (dialog, "Name (optional)", "Doe, Jane");
  set_row (dialog, "Birth Date (optional, YYYY-MM-DD)", "1961-04-12");
  set_row (dialog, "Modality (optional, e.g. CT)", "MR");
  set_row (dialog, "Date (optional, YYYY-MM-DD)", "2025-02-28");
  g_assert_true (open_enabled (dialog));
  {
    FcmReportDetails details;

    fcm_open_report_dialog_get_details (dialog, &details);
    g_assert_cmpstr (details.patient_name, ==, "Doe, Jane");
    g_assert_null (details.patient_sex);
    g_assert_cmpstr (details.birth_date, ==, "1961-04-12");
    g_assert_cmpstr (details.modality, ==, "MR");
    g_assert_cmpstr (details.study_date, ==, "2025-02-28");
    g_assert_null (details.study_description);
  }

  set_row (dialog, "Study ID (ImagingStudy)", "");
  set_row (dialog, "Accession Number", "");
  g_assert_false (open_enabled (dialog));
  g_assert_null (fcm_open_report_dialog_get_study_id (dialog));

  /* Enter with required fields empty says which, and why the accession
   * is needed, under the field, instead of nothing */
  g_signal_emit_by_name (fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN"), "entry-activated");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==,
                   "Study ID (ImagingStudy) is required\n"
                   "Accession Number is required: IHE IRA identifies the study by its accession number "
                   "(identifier type ACSN), and the hub refuses an open without it");
  g_clear_pointer (&errors, g_free);
  g_assert_true (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number"),
                                           "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (
                                      fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number")))),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  /* filled in, the reason goes */
  set_row (dialog, "Accession Number", "ACC9");
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "Study ID (ImagingStudy) is required");
  g_clear_pointer (&errors, g_free);
  g_assert_false (gtk_widget_has_css_class (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Accession Number"),
                                            "error"));
  g_assert_true (gtk_window_is_active (GTK_WINDOW (dialog)) == FALSE ||
                 gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (
                   GTK_EDITABLE (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Study ID (ImagingStudy)"))))));

  /* the Random button is named without its mnemonic */
  {
    GtkWidget *random = fcm_test_find_widget_matching (GTK_WIDGET (dialog), is_random_button, NULL);

    g_assert_nonnull (random);
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (random), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                         "Random Demo Study");
  }

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

/* fill_random gives a valid open request (C-46, C-47) that the hub accepts and the panel shows */
static void
test_dialog_random (Fixture       *f,
                    gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(JsonArray) ctx = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *first_report = NULL;
  g_autoptr(GError) error = NULL;
  FcmReportDetails details;
  const char *mrn;

  fcm_open_report_dialog_fill_random (dialog);
  g_assert_true (open_enabled (dialog));
  g_assert_true (g_uuid_string_is_valid (fcm_open_report_dialog_get_report_id (dialog)));
  g_assert_true (g_str_has_prefix (fcm_open_report_dialog_get_patient_id (dialog), "demo-"));
  g_assert_nonnull (fcm_open_report_dialog_get_study_id (dialog));
  g_assert_true (g_str_has_prefix (fcm_open_report_dialog_get_accession (dialog), "ACC"));
  mrn = fcm_open_report_dialog_get_mrn (dialog);
  g_assert_true (g_str_has_prefix (mrn, "MRN-"));
  g_assert_cmpuint (strlen (mrn), ==, strlen ("MRN-123456"));
  g_assert_cmpuint (strspn (mrn + 4, "0123456789"), ==, 6);

  /* a second fill gives another report */
  first_report = g_strdup (fcm_open_report_dialog_get_report_id (dialog));
  fcm_open_report_dialog_fill_random (dialog);
  g_assert_cmpstr (first_report, !=, fcm_open_report_dialog_get_report_id (dialog));

  ctx = fcm_context_build_open (fcm_open_report_dialog_get_report_id (dialog),
                                fcm_open_report_dialog_get_patient_id (dialog),
                                fcm_open_report_dialog_get_study_id (dialog),
                                fcm_open_report_dialog_get_accession (dialog),
                                fcm_open_report_dialog_get_mrn (dialog));
  /* a realistic patient and study come with it */
  fcm_open_report_dialog_get_details (dialog, &details);
  g_assert_nonnull (strchr (details.patient_name, ' '));
  g_assert_true (fcm_patient_sex_is_valid (details.patient_sex));
  g_assert_true (fcm_fhir_date_is_valid (details.birth_date));
  g_assert_true (fcm_modality_is_valid (details.modality));
  g_assert_nonnull (details.study_description);
  g_assert_true (fcm_fhir_date_is_valid (details.study_date));
  g_assert_true (fcm_context_add_details (ctx, &details, &error));
  event = fcm_event_new (id, NULL, TOPIC, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx, NULL, NULL);
  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_REQUEST);
  issues = fcm_validator_validate_event (validator, event);
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      g_test_message ("%s %s (%s)", fcm_issue_get_rule_id (issue),
                      fcm_issue_get_message (issue), fcm_issue_get_path (issue));
    }
  g_assert_false (fcm_issues_have_errors (issues));

  /* the hub takes it from the monitored client, and the panel shows what was asked for */
  fcm_context_panel_set_monitor (f->panel, f->monitor);
  publish_from (f->client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);
  FCM_TEST_WAIT_UNTIL (g_strcmp0 (field (f, FCM_CONTEXT_FIELD_REPORT_ID),
                                  fcm_open_report_dialog_get_report_id (dialog)) == 0);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MRN), ==, fcm_open_report_dialog_get_mrn (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_ACCESSION), ==,
                   fcm_open_report_dialog_get_accession (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_ID), ==,
                   fcm_open_report_dialog_get_patient_id (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_STUDY_ID), ==,
                   fcm_open_report_dialog_get_study_id (dialog));
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_OPENED_BY), ==, "Opened by this app");
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_PATIENT_NAME), ==, details.patient_name);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_STUDY_DESCRIPTION), ==, details.study_description);
  g_assert_cmpstr (field (f, FCM_CONTEXT_FIELD_MODALITY), ==, details.modality);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

/* The fewest fields the dialog opens with are what the hub needs: a dialog
 * that looks complete is never answered 400 (C-46, C-47); a required field
 * left empty says why as soon as focus leaves it */
static void
test_dialog_minimal (Fixture       *f,
                     gconstpointer  data)
{
  FcmOpenReportDialog *dialog = g_object_ref (fcm_open_report_dialog_new (f->window));
  GtkWidget *mrn = fcm_test_find_entry_row (GTK_WIDGET (dialog), "MRN");
  g_autoptr(JsonArray) ctx = NULL;
  g_autofree char *errors = NULL;
  FcmReportDetails details;

  gtk_window_present (GTK_WINDOW (dialog));
  FCM_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  set_row (dialog, "Report ID", "rpt-min");
  set_row (dialog, "Patient ID", "pat-min");

  /* into the MRN and out again, leaving it empty */
  gtk_widget_grab_focus (mrn);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (mrn)))));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));
  gtk_widget_grab_focus (fcm_test_find_entry_row (GTK_WIDGET (dialog), "Study ID (ImagingStudy)"));
  errors = _fcm_open_report_dialog_dup_errors (dialog);
  g_assert_cmpstr (errors, ==, "MRN is required: IHE IRA identifies the patient by the medical record number "
                               "(identifier type MR), and the hub refuses an open without it");
  g_clear_pointer (&errors, g_free);
  g_assert_true (gtk_widget_has_css_class (mrn, "error"));

  set_row (dialog, "MRN", "0042 17");
  set_row (dialog, "Study ID (ImagingStudy)", "st-min");
  g_assert_false (open_enabled (dialog));
  set_row (dialog, "Accession Number", "A/2026/7");
  g_assert_true (open_enabled (dialog));
  g_assert_null (_fcm_open_report_dialog_dup_errors (dialog));

  /* what the window sends for it: the real hub (validating) takes it */
  ctx = fcm_context_build_open (fcm_open_report_dialog_get_report_id (dialog),
                                fcm_open_report_dialog_get_patient_id (dialog),
                                fcm_open_report_dialog_get_study_id (dialog),
                                fcm_open_report_dialog_get_accession (dialog),
                                fcm_open_report_dialog_get_mrn (dialog));
  fcm_open_report_dialog_get_details (dialog, &details);
  g_assert_true (fcm_context_add_details (ctx, &details, NULL));
  g_assert_true (fcm_hub_get_validate (f->hub));
  publish_from (f->client, FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, ctx);   /* asserts 200 */

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

int
main (int   argc,
      char *argv[])
{
  if (!fcm_gtk_test_init (&argc, &argv, "test-open-report-dialog"))
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fcm/open-report-dialog/required", test_dialog_required);
  ADD ("/fcm/open-report-dialog/random", test_dialog_random);
  ADD ("/fcm/open-report-dialog/minimal", test_dialog_minimal);
#undef ADD

  return g_test_run ();
}

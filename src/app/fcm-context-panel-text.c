/* fcm-context-panel-text.c: the headline's lines and the suspended rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "fcm-context-panel-internal.h"
#include "fcm-time-private.h"

gboolean
_fcm_context_given (const char *s)
{
  return s != NULL && s[0] != '\0';
}

/* Patient.gender as a person reads it */
const char *
_fcm_context_sex_text (const char *sex)
{
  if (!_fcm_context_given (sex))
    return NULL;
  if (g_str_equal (sex, "female"))
    return _("Female");
  if (g_str_equal (sex, "male"))
    return _("Male");
  if (g_str_equal (sex, "other"))
    return _("Other sex");
  if (g_str_equal (sex, "unknown"))
    return _("Sex unknown");
  return sex;
}

/* Whole years from a YYYY-MM-DD birth date to today, or -1 */
static int
age_in_years (const char *birth_date)
{
  g_autoptr(GDateTime) now = NULL;
  int y, m, d, age;

  if (strlen (birth_date) != 10 ||
      sscanf (birth_date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return -1;

  now = _fcm_date_time_new_now_local ();
  age = g_date_time_get_year (now) - y;
  if (g_date_time_get_month (now) < m ||
      (g_date_time_get_month (now) == m && g_date_time_get_day_of_month (now) < d))
    age--;
  return age >= 0 && age < 200 ? age : -1;
}

char *
_fcm_context_birth_date_text (const char *birth_date)
{
  int age;

  if (!_fcm_context_given (birth_date))
    return NULL;
  if ((age = age_in_years (birth_date)) < 0)
    /* Translators: %s is a birth date as sent, e.g. 1961 or 1961-04 */
    return g_strdup_printf (_("born %s"), birth_date);
  /* Translators: 1: a birth date (YYYY-MM-DD), 2: the age in years */
  return g_strdup_printf (ngettext ("born %s (%d year)", "born %s (%d years)", age), birth_date, age);
}

/* A FHIR dateTime to the minute, without its seconds and time zone */
char *
_fcm_context_study_date_text (const char *date)
{
  const char *t;

  if (!_fcm_context_given (date))
    return NULL;
  if ((t = strchr (date, 'T')) == NULL || strlen (t) < 6)
    return g_strdup (date);
  return g_strdup_printf ("%.*s %.5s", (int) (t - date), date, t + 1);
}

void
_fcm_context_join (GString    *str,
                   const char *part)
{
  if (!_fcm_context_given (part))
    return;
  if (str->len > 0)
    g_string_append (str, " · ");
  g_string_append (str, part);
}

/* DiagnosticReport.status in words: "unknown" (what IRA's open carries,
 * C-47) read as a lone lower-case word, like a value that failed to load */
static const char *
report_status_words (const char *status)
{
  static const struct { const char *code; const char *words; } statuses[] = {
    { "registered", N_("Registered") },
    { "partial", N_("Partial") },
    { "preliminary", N_("Preliminary") },
    { "final", N_("Final") },
    { "amended", N_("Amended") },
    { "corrected", N_("Corrected") },
    { "appended", N_("Appended") },
    { "cancelled", N_("Cancelled") },
    { "entered-in-error", N_("Entered in Error") },
    { "unknown", N_("Status Unknown") },
  };

  if (status == NULL)
    return _("No Status");
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (status, statuses[i].code))
      return _(statuses[i].words);
  return status;   /* not a FHIR code: as received */
}

void
_fcm_context_panel_show_headline (FcmContextPanel *self,
                                  const gboolean  *changed)
{
  const char *status = self->shown[FCM_CONTEXT_FIELD_REPORT_STATUS];

  if (changed[FCM_CONTEXT_FIELD_PATIENT_NAME])
    {
      const char *name = self->shown[FCM_CONTEXT_FIELD_PATIENT_NAME];

      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_PATIENT], name ? name : _("Name not given"));
      if (name != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_PATIENT]), "dim-label");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_PATIENT]), "dim-label");
    }

  if (changed[FCM_CONTEXT_FIELD_PATIENT_SEX] || changed[FCM_CONTEXT_FIELD_BIRTH_DATE] ||
      changed[FCM_CONTEXT_FIELD_MRN])
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *mrn = NULL;

      _fcm_context_join (line, self->shown[FCM_CONTEXT_FIELD_PATIENT_SEX]);
      _fcm_context_join (line, self->shown[FCM_CONTEXT_FIELD_BIRTH_DATE]);
      if (self->shown[FCM_CONTEXT_FIELD_MRN] != NULL)
        /* Translators: %s is a medical record number */
        /* a no-break space: "MRN" stays with its number */
        mrn = g_strdup_printf (_("MRN %s"), self->shown[FCM_CONTEXT_FIELD_MRN]);
      _fcm_context_join (line, mrn ? mrn : _("no MRN"));
      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_PATIENT_DETAIL], line->str);
    }

  if (changed[FCM_CONTEXT_FIELD_STUDY_DESCRIPTION])
    {
      const char *description = self->shown[FCM_CONTEXT_FIELD_STUDY_DESCRIPTION];

      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_STUDY],
                      description ? description : _("Study description not given"));
      if (description != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_STUDY]), "dim-label");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_STUDY]), "dim-label");
    }

  if (changed[FCM_CONTEXT_FIELD_MODALITY] || changed[FCM_CONTEXT_FIELD_STUDY_DATE] ||
      changed[FCM_CONTEXT_FIELD_ACCESSION])
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *accession = NULL;

      _fcm_context_join (line, self->shown[FCM_CONTEXT_FIELD_MODALITY]);
      _fcm_context_join (line, self->shown[FCM_CONTEXT_FIELD_STUDY_DATE]);
      if (self->shown[FCM_CONTEXT_FIELD_ACCESSION] != NULL)
        /* Translators: %s is an accession number */
        accession = g_strdup_printf (_("Accession %s"), self->shown[FCM_CONTEXT_FIELD_ACCESSION]);
      _fcm_context_join (line, accession ? accession : _("no accession"));
      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_STUDY_DETAIL], line->str);
    }

  if (changed[FCM_CONTEXT_FIELD_REPORT_STATUS])
    {
      GtkWidget *pill = GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_STATUS]);
      g_autofree char *name = NULL;

      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_STATUS], report_status_words (status));
      gtk_widget_remove_css_class (pill, "success");
      gtk_widget_remove_css_class (pill, "warning");
      gtk_widget_remove_css_class (pill, "error");
      gtk_widget_remove_css_class (pill, "accent");
      gtk_widget_remove_css_class (pill, "neutral");
      if (g_strcmp0 (status, "final") == 0)
        gtk_widget_add_css_class (pill, "success");
      else if (g_strcmp0 (status, "preliminary") == 0 || g_strcmp0 (status, "partial") == 0)
        gtk_widget_add_css_class (pill, "accent");
      else if (g_strcmp0 (status, "amended") == 0 || g_strcmp0 (status, "corrected") == 0 ||
               g_strcmp0 (status, "appended") == 0)
        gtk_widget_add_css_class (pill, "warning");
      else if (g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "entered-in-error") == 0)
        gtk_widget_add_css_class (pill, "error");
      else
        gtk_widget_add_css_class (pill, "neutral");
      if (status == NULL)
        name = g_strdup (_("No report status"));
      else if (g_str_equal (status, "unknown"))
        name = g_strdup (_("Report status unknown"));
      else
        /* Translators: %s is a DiagnosticReport status in words, e.g. Preliminary */
        name = g_strdup_printf (_("Report status: %s"), report_status_words (status));
      gtk_accessible_update_property (GTK_ACCESSIBLE (pill), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }

  if (changed[FCM_CONTEXT_FIELD_OPENED_BY])
    {
      const char *opened_by = self->shown[FCM_CONTEXT_FIELD_OPENED_BY];

      _fcm_context_panel_set_label_text (self, self->lines[FCM_CONTEXT_LINE_OPENED_BY], opened_by ? opened_by : "");
      _fcm_context_panel_set_visible (self, GTK_WIDGET (self->lines[FCM_CONTEXT_LINE_OPENED_BY]), opened_by != NULL);
    }
}

static void
update_suspended_row (FcmCompactRow  *row,
                      FcmContextItem *item)
{
  const char *patient = fcm_context_item_get_patient_name (item);
  const char *description = fcm_context_item_get_study_description (item);
  const char *accession = fcm_context_item_get_accession (item);
  const char *mrn = fcm_context_item_get_mrn (item);
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *mrn_text = NULL;
  g_autofree char *accession_text = NULL;

  /* who first, as in the headline: name, else the MRN, else the id */
  if (mrn != NULL)
    mrn_text = g_strdup_printf (_("MRN %s"), mrn);
  if (accession != NULL)
    accession_text = g_strdup_printf (_("Accession %s"), accession);
  if (patient != NULL)
    {
      _fcm_context_join (title, patient);
      _fcm_context_join (subtitle, mrn_text);
    }
  else
    {
      _fcm_context_join (title, mrn_text ? mrn_text : fcm_context_item_get_patient_id (item));
    }
  if (title->len == 0)
    g_string_append (title, _("Unknown patient"));
  _fcm_context_join (subtitle, description);
  _fcm_context_join (subtitle, accession_text);
  /* Translators: %s is a report id */
  {
    g_autofree char *report = g_strdup_printf (_("Report %s"), fcm_context_item_get_anchor_id (item));

    _fcm_context_join (subtitle, report);
  }

  fcm_compact_row_set_texts (row, title->str, subtitle->str);
}

static void
on_suspended_item_notify_cb (FcmContextItem *item,
                             GParamSpec     *pspec,
                             FcmCompactRow  *row)
{
  update_suspended_row (row, item);
}

static gboolean
row_button_query_tooltip_cb (GtkWidget  *button,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip,
                             gpointer    user_data)
{
  gtk_tooltip_set_text (tooltip, user_data);
  return TRUE;
}

/**
 * _fcm_context_panel_suspended_row_tooltip:
 *
 * Returns: (transfer full): a suspended row's tooltip: its title and
 *   subtitle whole (each is one line in the row)
 */
char *
_fcm_context_panel_suspended_row_tooltip (GtkWidget *row)
{
  const char *title = fcm_compact_row_get_title (FCM_COMPACT_ROW (row));
  const char *subtitle = fcm_compact_row_get_subtitle (FCM_COMPACT_ROW (row));

  if (subtitle == NULL || subtitle[0] == '\0')
    return g_strdup (title);
  return g_strdup_printf ("%s\n%s", title, subtitle);
}

static gboolean
suspended_row_query_tooltip_cb (GtkWidget  *row,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip,
                                gpointer    user_data)
{
  g_autofree char *text = _fcm_context_panel_suspended_row_tooltip (row);

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* @label: a static string; the tooltip is computed when GTK asks for it (in
 * GTK 4.8 gtk_widget_set_tooltip_text() asks the X server for the pointer,
 * synchronously: two round trips per suspended row, rows made under load) */
static GtkWidget *
add_row_button (FcmCompactRow *row,
                const char   *icon_name,
                const char   *label,
                const char   *action_name,
                const char   *anchor_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_has_tooltip (button, TRUE);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (row_button_query_tooltip_cb), (gpointer) label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", anchor_id);
  fcm_compact_row_add_suffix (row, button);
  return button;
}

/* Points @row at @item: its texts, its buttons' targets and names, and
 * the item whose changes it follows. */
void
_fcm_context_panel_bind_suspended_row (GtkWidget      *row,
                                       FcmContextItem *item)
{
  FcmContextItem *old = g_object_get_data (G_OBJECT (row), "item");
  const char *anchor_id = fcm_context_item_get_anchor_id (item);
  GtkWidget *resume = g_object_get_data (G_OBJECT (row), "resume");
  GtkWidget *close = g_object_get_data (G_OBJECT (row), "close");
  g_autofree char *resume_name = NULL;
  g_autofree char *close_name = NULL;

  if (old == item)
    return;
  if (old != NULL)
    g_signal_handlers_disconnect_by_func (old, on_suspended_item_notify_cb, row);
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (item), g_object_unref);
  update_suspended_row (FCM_COMPACT_ROW (row), item);
  g_signal_connect_object (item, "notify", G_CALLBACK (on_suspended_item_notify_cb), row, 0);

  /* C-37: re-opening resumes it (win.resume-report); C-50: close it */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (resume), "s", anchor_id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (close), "s", anchor_id);
  /* Translators: %s is the suspended report's title, usually the patient */
  resume_name = g_strdup_printf (_("Resume report of %s"), fcm_compact_row_get_title (FCM_COMPACT_ROW (row)));
  /* Translators: %s is the suspended report's title, usually the patient */
  close_name = g_strdup_printf (_("Close report of %s"), fcm_compact_row_get_title (FCM_COMPACT_ROW (row)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (resume), GTK_ACCESSIBLE_PROPERTY_LABEL, resume_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, close_name, -1);
}

/* A row of the suspended list; rows are kept and pointed at other reports
 * as the list changes (making a row with its two buttons cost milliseconds:
 * under load the suspended reports change with every event). Its title
 * and subtitle are one line each, drawn (FcmCompactRow): an AdwActionRow's
 * wrapping labels were measured again at every apply whose reports changed,
 * most of the panel's layout under a stream (two lines: 21.7 ms a frame
 * median, one: 11.5 ms; issue 15.1). Both texts whole in the tooltip. */
GtkWidget *
_fcm_context_panel_create_suspended_row (FcmContextItem *item)
{
  GtkWidget *row = fcm_compact_row_new ();

  gtk_widget_set_has_tooltip (row, TRUE);
  g_signal_connect (row, "query-tooltip", G_CALLBACK (suspended_row_query_tooltip_cb), NULL);
  g_object_set_data (G_OBJECT (row), "resume",
                     add_row_button (FCM_COMPACT_ROW (row), "media-playback-start-symbolic",
                                     _("Resume (make current)"), "win.resume-report", ""));
  g_object_set_data (G_OBJECT (row), "close",
                     add_row_button (FCM_COMPACT_ROW (row), "window-close-symbolic", _("Close this report"),
                                     "win.close-suspended", ""));
  _fcm_context_panel_bind_suspended_row (row, item);
  return row;
}

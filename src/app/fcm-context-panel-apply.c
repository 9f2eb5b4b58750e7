/* fcm-context-panel-apply.c: what the panel shows, and when it applies the
 * store's changes (paced with the timeline, fcm-view-pace.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-context-panel-internal.h"
#include "fcm-view-pace.h"

/* --------------------------------------------------------- what is shown */

static char *
opened_by_text (FcmContextPanel *self,
                FcmContextItem  *item)
{
  const char *opened_by = fcm_context_item_get_opened_by (item);
  /* the store knows the opening event; the client knows its own requests (C-38) */
  FcmHubClient *client = fcm_monitor_get_client (self->monitor);

  if (opened_by == NULL)
    return NULL;
  return g_strdup (fcm_hub_client_is_own_request (client, opened_by)
                   ? _("Opened by this app") : _("Opened by another app"));
}

static char *
dup_field (FcmContextPanel *self,
           FcmContextItem  *item,
           FcmContextField  field)
{
  const char * const *selection;

  switch (field)
    {
    case FCM_CONTEXT_FIELD_PATIENT_NAME:
      return g_strdup (fcm_context_item_get_patient_name (item));
    case FCM_CONTEXT_FIELD_PATIENT_SEX:
      return g_strdup (_fcm_context_sex_text (fcm_context_item_get_patient_sex (item)));
    case FCM_CONTEXT_FIELD_BIRTH_DATE:
      return _fcm_context_birth_date_text (fcm_context_item_get_birth_date (item));
    case FCM_CONTEXT_FIELD_STUDY_DESCRIPTION:
      return g_strdup (fcm_context_item_get_study_description (item));
    case FCM_CONTEXT_FIELD_MODALITY:
      return g_strdup (fcm_context_item_get_modality (item));
    case FCM_CONTEXT_FIELD_STUDY_DATE:
      return _fcm_context_study_date_text (fcm_context_item_get_study_date (item));
    case FCM_CONTEXT_FIELD_REPORT_STATUS:
      return g_strdup (fcm_context_item_get_report_status (item));
    case FCM_CONTEXT_FIELD_OPENED_BY:
      return opened_by_text (self, item);
    case FCM_CONTEXT_FIELD_MRN:
      return g_strdup (fcm_context_item_get_mrn (item));
    case FCM_CONTEXT_FIELD_ACCESSION:
      return g_strdup (fcm_context_item_get_accession (item));
    case FCM_CONTEXT_FIELD_REPORT_ID:
      return g_strdup (fcm_context_item_get_anchor_id (item));
    case FCM_CONTEXT_FIELD_PATIENT_ID:
      return g_strdup (fcm_context_item_get_patient_id (item));
    case FCM_CONTEXT_FIELD_STUDY_ID:
      return g_strdup (fcm_context_item_get_study_id (item));
    case FCM_CONTEXT_FIELD_STUDY_UID:
      return g_strdup (fcm_context_item_get_study_uid (item));
    case FCM_CONTEXT_FIELD_VERSION_ID:
      return g_strdup (fcm_context_item_get_version_id (item));
    case FCM_CONTEXT_FIELD_N_CONTENT:
      return g_strdup_printf ("%u", fcm_context_item_get_n_content (item));
    case FCM_CONTEXT_FIELD_SELECTION:
      selection = fcm_context_item_get_selection (item);
      return selection != NULL && selection[0] != NULL ? g_strjoinv (", ", (char **) selection) : NULL;
    case FCM_CONTEXT_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------- applying changes */

void
_fcm_context_panel_set_label_text (FcmContextPanel *self,
                GtkLabel        *label,
                const char      *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) == 0)
    return;
  gtk_label_set_text (label, text);
  self->n_label_updates++;
}

void
_fcm_context_panel_set_visible (FcmContextPanel *self,
             GtkWidget       *widget,
             gboolean         visible)
{
  if (gtk_widget_get_visible (widget) == visible)
    return;
  gtk_widget_set_visible (widget, visible);
  self->n_label_updates++;
}

/* An identifier row's value; its tooltip is computed in query-tooltip */
static void
show_row_value (FcmContextPanel *self,
                FcmContextField  field)
{
  GtkLabel *label = self->values[field];
  GtkWidget *widget = GTK_WIDGET (label);
  const char *value = self->shown[field];
  gboolean has_value = value != NULL;
  gboolean had_value = gtk_label_get_selectable (label);

  _fcm_context_panel_set_label_text (self, label, has_value ? value : "—");
  if (has_value != had_value)
    {
      gtk_label_set_selectable (label, has_value);
      if (has_value)
        {
          gtk_widget_remove_css_class (widget, "dim-label");
          if (_fcm_context_fields[field].monospace)
            gtk_widget_add_css_class (widget, "monospace");
        }
      else
        {
          gtk_widget_add_css_class (widget, "dim-label");
          gtk_widget_remove_css_class (widget, "monospace");
        }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, has_value ? value : _("Not given"),
                                  -1);
}

static void
update_page (FcmContextPanel *self)
{
  FcmContextStore *store = _fcm_context_panel_get_store (self);
  const char *shown = gtk_stack_get_visible_child_name (self->stack);
  const char *page;
  gboolean instant;

  if (store == NULL)
    page = "not-connected";
  else if (g_list_model_get_n_items (G_LIST_MODEL (store)) == 0)
    page = "empty";
  else
    page = "report";

  /* Reports appear and go at once: a crossfade showed two states together
   * for 200 ms (a patient's card over "No report is current"), and with
   * the software renderer each of its frames repainted the whole panel,
   * 35-45 ms: the longest frames as a stream of events began (issue 15.1).
   * The states without a report still crossfade. */
  instant = g_strcmp0 (page, "report") == 0 || g_strcmp0 (shown, "report") == 0;
  gtk_stack_set_visible_child_full (self->stack, page,
                                    instant ? GTK_STACK_TRANSITION_TYPE_NONE : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

void
_fcm_context_panel_apply (FcmContextPanel *self)
{
  FcmContextItem *item = _fcm_context_panel_get_current (self);
  gboolean changed[FCM_CONTEXT_N_FIELDS] = { FALSE, };
  gboolean any = FALSE;

  _fcm_context_panel_end_rehearsal (self);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  fcm_view_pace_started (&self->pace);
  self->n_applies++;

  update_page (self);
  if (self->suspended_dirty)
    _fcm_context_panel_sync_suspended (self);
  /* a chosen report that was resumed or closed is no longer a choice */
  if (self->chosen != NULL &&
      (fcm_context_item_get_current (self->chosen) || !_fcm_context_panel_store_has (self, self->chosen)))
    fcm_context_panel_set_chosen (self, NULL);

  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    {
      g_autofree char *value = item != NULL ? dup_field (self, item, i) : NULL;

      if (value != NULL && value[0] == '\0')
        g_clear_pointer (&value, g_free);
      if (g_strcmp0 (value, self->shown[i]) != 0 || (item != NULL && !self->has_current))
        {
          changed[i] = TRUE;
          any = TRUE;
          g_free (self->shown[i]);
          self->shown[i] = g_steal_pointer (&value);
        }
    }

  if (item != NULL)
    {
      const char *opened_by = fcm_context_item_get_opened_by (item);

      if (g_strcmp0 (opened_by, self->opened_by_event) != 0)
        {
          g_free (self->opened_by_event);
          self->opened_by_event = g_strdup (opened_by);
        }
    }

  /* C-35: closing the current context leaves it empty, suspended ones stay */
  _fcm_context_panel_set_visible (self, self->headline, item != NULL);
  _fcm_context_panel_set_visible (self, self->no_current_label, item == NULL);
  _fcm_context_panel_set_visible (self, GTK_WIDGET (self->current_group), item != NULL);
  self->has_current = item != NULL;
  if (item == NULL || !any)
    return;

  for (guint i = 0; i < FCM_CONTEXT_N_FIELDS; i++)
    if (_fcm_context_fields[i].row && changed[i])
      show_row_value (self, i);
  _fcm_context_panel_show_headline (self, changed);
}

static gboolean
apply_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  FcmContextPanel *self = FCM_CONTEXT_PANEL (widget);

  self->tick_id = 0;
  _fcm_context_panel_apply (self);
  return G_SOURCE_REMOVE;
}

/* Applies the changes soon; many events cost one update, at most ten a
 * second under a stream (fcm-view-pace.h). Nothing is done while the panel
 * is not shown: it waits for the panel's next frame. */
void
_fcm_context_panel_queue_apply (FcmContextPanel *self)
{
  if (self->tick_id != 0 || fcm_view_pace_is_scheduled (&self->pace))
    return;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), apply_tick_cb, NULL, NULL);
  else
    fcm_view_pace_schedule (&self->pace);
}

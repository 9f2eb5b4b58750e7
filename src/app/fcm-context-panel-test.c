/* fcm-context-panel-test.c: what the tests look at inside FcmContextPanel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include "fcm-context-panel-internal.h"


const char *
_fcm_context_panel_get_page (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return _fcm_context_panel_rehearsal_page (self);
}

/* a page switch still under way (a crossfade) */
gboolean
_fcm_context_panel_get_page_switching (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return gtk_stack_get_transition_running (self->stack);
}

const char *
_fcm_context_panel_get_field_text (FcmContextPanel *self,
                                   FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  if (!gtk_widget_get_visible (self->headline))
    return NULL;

  return self->shown[field];
}

gboolean
_fcm_context_panel_get_field_visible (FcmContextPanel *self,
                                      FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, FALSE);

  if (_fcm_context_fields[field].row)
    return gtk_widget_get_visible (GTK_WIDGET (self->current_group)) &&
           gtk_widget_get_visible (GTK_WIDGET (self->rows[field]));
  return gtk_widget_get_visible (self->headline) && self->shown[field] != NULL;
}

GtkWidget *
_fcm_context_panel_get_field_label (FcmContextPanel *self,
                                    FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  return GTK_WIDGET (self->values[field]);
}

GtkWidget *
_fcm_context_panel_get_line (FcmContextPanel *self,
                             FcmContextLine   line)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (line < FCM_CONTEXT_N_LINES, NULL);

  return GTK_WIDGET (self->lines[line]);
}

const char *
_fcm_context_panel_get_line_text (FcmContextPanel *self,
                                  FcmContextLine   line)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (line < FCM_CONTEXT_N_LINES, NULL);

  if (!gtk_widget_get_visible (self->headline) || !gtk_widget_get_visible (GTK_WIDGET (self->lines[line])))
    return NULL;
  return gtk_label_get_text (self->lines[line]);
}

gboolean
_fcm_context_panel_get_headline_visible (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return gtk_widget_get_visible (self->headline);
}

char *
_fcm_context_panel_dup_field_tooltip (FcmContextPanel *self,
                                      FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  return _fcm_context_panel_dup_tooltip (self, field);
}

GtkLabel *
_fcm_context_panel_get_field_title (FcmContextPanel *self,
                                    FcmContextField  field)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);
  g_return_val_if_fail (field < FCM_CONTEXT_N_FIELDS, NULL);

  return self->rows[field] != NULL ? _fcm_context_panel_find_title_label (GTK_WIDGET (self->rows[field])) : NULL;
}

guint
_fcm_context_panel_get_n_suspended (FcmContextPanel *self)
{
  guint n = 0;

  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), 0);

  while (gtk_list_box_get_row_at_index (self->suspended_list, n) != NULL)
    n++;

  return n;
}

GtkWidget *
_fcm_context_panel_get_suspended_row (FcmContextPanel *self,
                                      guint            position)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->suspended_list, position));
}

const char *
_fcm_context_panel_get_suspended_title (FcmContextPanel *self,
                                        guint            position)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  row = gtk_list_box_get_row_at_index (self->suspended_list, position);
  if (row == NULL)
    return NULL;

  return fcm_compact_row_get_title (FCM_COMPACT_ROW (row));
}

const char *
_fcm_context_panel_get_suspended_subtitle (FcmContextPanel *self,
                                           guint            position)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  row = gtk_list_box_get_row_at_index (self->suspended_list, position);
  if (row == NULL)
    return NULL;

  return fcm_compact_row_get_subtitle (FCM_COMPACT_ROW (row));
}

gboolean
_fcm_context_panel_get_suspended_visible (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->suspended_group));
}

const char *
_fcm_context_panel_get_suspended_count (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  if (!gtk_widget_get_visible (self->suspended_button))
    return NULL;
  return gtk_button_get_label (GTK_BUTTON (self->suspended_button));
}

const char *
_fcm_context_panel_get_stale_reason (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->stale_revealer))
    return NULL;

  return gtk_label_get_text (self->stale_reason_label);
}

guint
_fcm_context_panel_get_n_label_updates (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), 0);

  return self->n_label_updates;
}

guint
_fcm_context_panel_get_n_applies (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), 0);

  return self->n_applies;
}

gboolean
_fcm_context_panel_get_pending (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return self->tick_id != 0 || fcm_view_pace_is_scheduled (&self->pace);
}

/* the report page is laid out unseen (fcm-context-panel-rehearsal.c) */
gboolean
_fcm_context_panel_get_rehearsing (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), FALSE);

  return self->rehearsal != NULL;
}

/* how wide the patient's name was when the rehearsal ended: 0 when there
 * was none, or it ended before the page was laid out */
int
_fcm_context_panel_get_rehearsed_width (FcmContextPanel *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_PANEL (self), 0);

  return self->rehearsed_width;
}

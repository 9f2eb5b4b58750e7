/* fcm-context-panel-suspended.c: the panel's list of suspended reports (C-37)
 *
 * The suspended reports as the list shows them: the context store's items
 * that are not current, in the store's order, in a model the panel updates
 * when it applies (under load the store changes with every event), shown
 * by rows that keep their reports and are put in the store's order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmContextPanel"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-context-panel-internal.h"

/* suspended rows kept for reuse when the list shrinks (see on_suspended_changed_cb) */
#define MAX_SPARE_ROWS 16

void
_fcm_context_panel_update_suspended_count (FcmContextPanel *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->suspended_model));
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->suspended_group), n > 0);
  gtk_widget_set_visible (self->suspended_button, n > 0);
  if (n == 0 || n == self->n_suspended_shown)
    return;
  self->n_suspended_shown = n;

  /* Translators: a button in the panel's header; %u is a number of reports */
  count = g_strdup_printf (ngettext ("%u Suspended", "%u Suspended", n), n);
  gtk_button_set_label (GTK_BUTTON (self->suspended_button), count);
  /* Translators: %u is a number of reports */
  title = g_strdup_printf (ngettext ("Suspended Report (%u)", "Suspended Reports (%u)", n), n);
  adw_preferences_group_set_title (self->suspended_group, title);
}

static gboolean
same_item_at (GListModel     *model,
              guint           position,
              FcmContextItem *item)
{
  /* the store holds the item: the pointer stays valid without our reference */
  g_autoptr(FcmContextItem) at = g_list_model_get_item (model, position);

  return at == item;
}

/* The suspended reports (C-37) as the list shows them: the store's items
 * that are not current, in the store's order. Applied with the frame like
 * the rest (under load the store changes per event: a list box bound to a
 * filter of the store made and dropped rows per event), and in place: only
 * the rows that really came or went are made or dropped. */
void
_fcm_context_panel_sync_suspended (FcmContextPanel *self)
{
  FcmContextStore *store = self->monitor != NULL ? fcm_monitor_get_context_store (self->monitor) : NULL;
  GListModel *shown = G_LIST_MODEL (self->suspended_model);
  g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_shown = g_list_model_get_n_items (shown);
  guint prefix = 0;
  guint suffix = 0;

  self->suspended_dirty = FALSE;
  if (store != NULL)
    for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (store)); i < n; i++)
      {
        FcmContextItem *item = g_list_model_get_item (G_LIST_MODEL (store), i);

        if (fcm_context_item_get_current (item))
          g_object_unref (item);
        else
          g_ptr_array_add (want, item);
      }

  while (prefix < want->len && prefix < n_shown && same_item_at (shown, prefix, want->pdata[prefix]))
    prefix++;
  while (suffix < want->len - prefix && suffix < n_shown - prefix &&
         same_item_at (shown, n_shown - 1 - suffix, want->pdata[want->len - 1 - suffix]))
    suffix++;
  if (prefix + suffix == n_shown && prefix + suffix == want->len)
    return;
  g_list_store_splice (self->suspended_model, prefix, n_shown - prefix - suffix,
                       want->pdata + prefix, want->len - prefix - suffix);
}

void
_fcm_context_panel_select_chosen_row (FcmContextPanel *self)
{
  GListModel *model = G_LIST_MODEL (self->suspended_model);

  for (guint i = 0, n = g_list_model_get_n_items (model); i < n; i++)
    {
      g_autoptr(FcmContextItem) it = g_list_model_get_item (model, i);

      if (it == self->chosen)
        {
          gtk_list_box_select_row (self->suspended_list, gtk_list_box_get_row_at_index (self->suspended_list, i));
          return;
        }
    }
  gtk_list_box_unselect_all (self->suspended_list);
}

/* The rows keep their reports: a report that stays suspended keeps its row
 * (texts unchanged, so nothing in it is measured again) and the rows are
 * put in the model's order by the list's sort function. Under load the
 * order changes with every apply (16 reports in turn); rows pointed at the
 * reports now in their place changed every row's texts, and each wrapping
 * title and subtitle was measured ~15 times an apply: a fifth of the app's
 * time (issue 15.1). Rows are made only where the list grew, and kept for
 * reuse where it shrank (see _fcm_context_panel_create_suspended_row()). */
#define POSITION_KEY "fcm-position"

static int
suspended_sort_cb (GtkListBoxRow *a,
                   GtkListBoxRow *b,
                   gpointer       user_data)
{
  int pa = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), POSITION_KEY));
  int pb = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), POSITION_KEY));

  return (pa > pb) - (pa < pb);
}

static void
on_suspended_changed_cb (FcmContextPanel *self,
                         guint            position,
                         guint            removed,
                         guint            added)
{
  GListModel *model = G_LIST_MODEL (self->suspended_model);
  guint n = g_list_model_get_n_items (model);
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->suspended_list);
  g_autoptr(GHashTable) rows = g_hash_table_new (NULL, NULL);   /* item → its row */
  GHashTableIter iter;
  gpointer row;

  self->syncing_rows = TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->suspended_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      g_hash_table_insert (rows, g_object_get_data (G_OBJECT (child), "item"), child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmContextItem) item = g_list_model_get_item (model, i);

      /* positions from 1: 0 is a row not placed yet */
      if (g_hash_table_steal_extended (rows, item, NULL, &row))
        g_object_set_data (G_OBJECT (row), POSITION_KEY, GUINT_TO_POINTER (i + 1));
      else
        {
          g_autoptr(GtkWidget) spare = NULL;

          if (self->spare_rows->len > 0)
            {
              spare = g_ptr_array_steal_index (self->spare_rows, self->spare_rows->len - 1);
              _fcm_context_panel_bind_suspended_row (spare, item);
            }
          else
            spare = g_object_ref_sink (_fcm_context_panel_create_suspended_row (item));
          g_object_set_data (G_OBJECT (spare), POSITION_KEY, GUINT_TO_POINTER (i + 1));
          gtk_list_box_append (self->suspended_list, spare);
        }
    }
  /* rows no longer needed wait for the list to grow again */
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      if (self->spare_rows->len < MAX_SPARE_ROWS)
        g_ptr_array_add (self->spare_rows, g_object_ref (row));
      gtk_list_box_remove (self->suspended_list, GTK_WIDGET (row));
    }
  gtk_list_box_invalidate_sort (self->suspended_list);
  /* the chosen report's row may be another one now (or none) */
  if (self->chosen != NULL || selected != NULL)
    _fcm_context_panel_select_chosen_row (self);
  self->syncing_rows = FALSE;
  if (self->chosen != NULL && gtk_list_box_get_selected_row (self->suspended_list) == NULL)
    fcm_context_panel_set_chosen (self, NULL);
  _fcm_context_panel_update_suspended_count (self);
}

static void
on_suspended_row_selected_cb (FcmContextPanel *self,
                              GtkListBoxRow   *row)
{
  g_autoptr(FcmContextItem) item = NULL;

  /* rows being pointed at other reports: the choice stays */
  if (self->syncing_rows)
    return;
  if (row != NULL)
    item = g_list_model_get_item (G_LIST_MODEL (self->suspended_model), gtk_list_box_row_get_index (row));
  fcm_context_panel_set_chosen (self, item);
}

void
_fcm_context_panel_init_suspended (FcmContextPanel *self)
{
  self->suspended_model = g_list_store_new (FCM_TYPE_CONTEXT_ITEM);
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->suspended_model, "items-changed",
                           G_CALLBACK (on_suspended_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_set_sort_func (self->suspended_list, suspended_sort_cb, NULL, NULL);
  g_signal_connect_object (self->suspended_list, "row-selected",
                           G_CALLBACK (on_suspended_row_selected_cb), self, G_CONNECT_SWAPPED);
}

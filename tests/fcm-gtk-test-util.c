/* fcm-gtk-test-util.c: widget lookups shared by the gtk test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-gtk-test-util.h"

/**
 * fcm_test_find_widget_matching:
 *
 * Returns: (transfer none) (nullable): the first widget below @root, @root
 *   included and depth first, for which @match returns %TRUE
 */
GtkWidget *
fcm_test_find_widget_matching (GtkWidget          *root,
                               FcmTestWidgetMatch  match,
                               gconstpointer       data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fcm_test_find_widget_matching (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_type (GtkWidget     *widget,
          gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
fcm_test_find_widget (GtkWidget *root,
                      GType      type)
{
  return fcm_test_find_widget_matching (root, has_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

GtkWidget *
fcm_test_find_action_button (GtkWidget  *root,
                             const char *action_name)
{
  return fcm_test_find_widget_matching (root, is_action_button, action_name);
}

static gboolean
is_entry_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

GtkWidget *
fcm_test_find_entry_row (GtkWidget  *root,
                         const char *title)
{
  return fcm_test_find_widget_matching (root, is_entry_row, title);
}

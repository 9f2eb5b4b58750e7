/* fcm-a11y.c: accessible names that GTK 4.8 gets wrong by itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 names a widget by its "label" property followed by the names of
 * what it is labelled by, and falls back to its type name. So:
 *  - a button with a mnemonic ("_Close") has the raw label as its name and is
 *    labelled by its own child label: "_Close Close", or "Close Report Close"
 *    when the .ui gives it a name;
 *  - AdwButtonContent's label does the same;
 *  - the text field inside an AdwEntryRow, which is what gets focus, has no
 *    name: it reads "GtkText".
 *  - a check button or switch inside an action row is named by its type
 *    ("GtkCheckButton") even when labelled by the row;
 *  - a GtkDropDown's own toggle button (what gets focus) reads
 *    "GtkToggleButton"; AdwPasswordEntryRow's show-text icon and
 *    AdwPreferencesWindow's search entry have no name either.
 * fcm_a11y_fix_names() walks a widget tree once it is built and gives each
 * of those one name: the one set with the "fcm-a11y-name" data, else the
 * label without its underscore, the row's title, or the drop-down's name.
 */

#define G_LOG_DOMAIN "FcmA11y"

#include "config.h"

#include <glib/gi18n.h>

#include "fcm-a11y.h"

/**
 * fcm_a11y_strip_mnemonic:
 * @label: a label with a mnemonic, e.g. "_Open Report…"
 *
 * Returns: (transfer full): @label without its mnemonic underscores ("__"
 *   stays one "_")
 */
char *
fcm_a11y_strip_mnemonic (const char *label)
{
  GString *str = g_string_new (NULL);

  for (const char *p = label; p != NULL && *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (str, '_');
          if (p[1] != '\0')
            p++;
          else
            break;
        }
      g_string_append_c (str, *p);
    }

  return g_string_free (str, FALSE);
}

static void
fix_button (GtkButton *button)
{
  GtkWidget *child = gtk_button_get_child (button);
  const char *label = gtk_button_get_label (button);
  gboolean mnemonic = label != NULL && gtk_button_get_use_underline (button);
  const char *name;
  g_autofree char *stripped = NULL;

  if (ADW_IS_BUTTON_CONTENT (child))
    {
      label = adw_button_content_get_label (ADW_BUTTON_CONTENT (child));
      mnemonic = label != NULL && adw_button_content_get_use_underline (ADW_BUTTON_CONTENT (child));
    }
  if (!mnemonic)
    return;

  /* a name set with "fcm-a11y-name", else the label without its underscore */
  name = g_object_get_data (G_OBJECT (button), "fcm-a11y-name");
  if (name == NULL)
    name = stripped = fcm_a11y_strip_mnemonic (label);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
fix_entry_row (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = NULL;

  if (text == NULL || title == NULL)
    return;
  name = adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row))
         ? fcm_a11y_strip_mnemonic (title) : g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
name_by_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  const char *title;

  if (row == NULL || (title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row))) == NULL)
    return;
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

static void
fix_other (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* a switch or a check button without its own label, in a row */
  if ((GTK_IS_SWITCH (widget) ||
       (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) == NULL)) &&
      gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW) != NULL)
    name_by_row (widget);
  /* the drop-down's button is what gets focus: it says what the drop-down is */
  else if (GTK_IS_TOGGLE_BUTTON (widget) && parent != NULL && GTK_IS_DROP_DOWN (parent))
    gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY, parent, NULL,
                                    -1);
  /* AdwPasswordEntryRow's show-text icon */
  else if (GTK_IS_IMAGE (widget) &&
           gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_BUTTON &&
           gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL)
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW);
      /* Translators: %s is a password field, e.g. "Access Token" */
      g_autofree char *name = g_strdup_printf (_("Show %s"),
                                               adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  /* AdwPreferencesWindow's search */
  else if (GTK_IS_SEARCH_ENTRY (widget) &&
           gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_WINDOW) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Search Preferences"), -1);
}

/**
 * fcm_a11y_fix_names:
 * @root: a window or a widget in one
 *
 * Gives the buttons with mnemonics and the text fields of entry rows under
 * @root one accessible name each (see the top of this file). Call it when
 * the tree is built; it can run again.
 */
void
fcm_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && !GTK_IS_TOGGLE_BUTTON (root))
    fix_button (GTK_BUTTON (root));
  else if (ADW_IS_ENTRY_ROW (root))
    fix_entry_row (ADW_ENTRY_ROW (root));
  else
    fix_other (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    fcm_a11y_fix_names (child);
}

/**
 * fcm_a11y_set_error:
 * @field: the field the message is about
 * @error_label: the label under it that shows the message
 * @message: (nullable): why the value is not valid, or %NULL when it is
 *
 * Shows @message in words under @field (not by colour alone), marks @field
 * invalid for assistive technologies and describes it by the message.
 */
void
fcm_a11y_set_error (GtkWidget  *field,
                    GtkLabel   *error_label,
                    const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (field));
  g_return_if_fail (GTK_IS_LABEL (error_label));

  /* the text field inside an entry row is what has focus: it says it too */
  if (ADW_IS_ENTRY_ROW (field) && gtk_editable_get_delegate (GTK_EDITABLE (field)) != NULL)
    {
      GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (field)));

      if (message != NULL)
        {
          gtk_accessible_update_state (GTK_ACCESSIBLE (text),
                                       GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                       -1);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (text),
                                          GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                          -1);
        }
      else
        {
          gtk_accessible_reset_state (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_STATE_INVALID);
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
        }
    }

  if (message != NULL)
    {
      gtk_label_set_text (error_label, message);
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
  gtk_widget_set_visible (GTK_WIDGET (error_label), message != NULL);
}

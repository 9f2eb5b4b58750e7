/* fcm-preferences-recordings.c: the Recordings group of the preferences
 *
 * Record Sessions (the "record-sessions" setting, issue 16.5) and where the
 * recordings go. Recording starts with a connection (fcm-recordings.c), so
 * the switch applies to the connections made from then on, as its
 * subtitle says; the size cap and the number of files kept are settings
 * without a row (docs/cli.md, "Recorded sessions").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmPreferences"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-client.h"
#include "fcm-preferences-recordings.h"

/**
 * fcm_preferences_recordings_group_new:
 *
 * Returns: (transfer floating): the "Recordings" group: Record Sessions
 */
GtkWidget *
fcm_preferences_recordings_group_new (GSettings *settings)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  g_autofree char *dir = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  gtk_widget_set_name (group, "recordings_group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Recordings"));
  dir = fcm_recording_default_dir ();
  /* ~/.local/share/… rather than the whole home folder */
  if (g_str_has_prefix (dir, g_get_home_dir ()) && dir[strlen (g_get_home_dir ())] == G_DIR_SEPARATOR)
    {
      char *short_dir = g_strconcat ("~", dir + strlen (g_get_home_dir ()), NULL);

      g_free (dir);
      dir = short_dir;
    }
  /* Translators: %s is a folder */
  description = g_strdup_printf (_("Kept in %s, to open again or to export as a bug report "
                                   "with the patient data replaced"), dir);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  gtk_widget_set_name (row, "record_sessions_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Record Sessions"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Every message of each hub connection made from now on, "
                                 "without endpoint ids and tokens"));
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_settings_bind (settings, "record-sessions", sw, "active", G_SETTINGS_BIND_DEFAULT);

  return group;
}

/* fcm-preferences-background.c: the preferences of a workstation monitor
 *
 * Two groups the preferences window adds to its pages:
 *
 * "Background" (Session page): keep running when the window is closed
 * ("run-in-background", written at once), and start at login. The latter
 * is not a plain binding: switching it writes or removes the autostart
 * entry, or asks the Background portal inside Flatpak (fcm-autostart.c),
 * which may ask the user; the switch settles (GtkSwitch:state) and the
 * "autostart" key is written only once that succeeded, and the row says
 * why when it did not.
 *
 * "Built-in Hub" (Connection page): the port and topic other applications
 * on this computer are set up with. Like the other text rows they are
 * written on apply, since each change restarts the hub.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmPreferencesWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "fcm-autostart.h"
#include "fcm-hub.h"
#include "fcm-preferences-background.h"

/* ------------------------------------------------------------ background */

typedef struct
{
  GtkSwitch    *sw;
  AdwActionRow *row;
  GSettings    *settings;
  gboolean      enabled;
} AutostartRequest;

static void
autostart_request_free (AutostartRequest *request)
{
  g_object_unref (request->sw);
  g_object_unref (request->row);
  g_object_unref (request->settings);
  g_free (request);
}

static void
autostart_set_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AutostartRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (request->sw), TRUE);
  if (fcm_autostart_set_finish (result, &error))
    {
      g_settings_set_boolean (request->settings, "autostart", request->enabled);
      gtk_switch_set_state (request->sw, request->enabled);
      adw_action_row_set_subtitle (request->row,
                                   _("Starts in the background, with the tray icon and the hub connections"));
    }
  else
    {
      /* Translators: %s says why, e.g. "Starting at login was not allowed" */
      g_autofree char *why = g_strdup_printf (_("Could not change it: %s"), error->message);

      adw_action_row_set_subtitle (request->row, why);
      gtk_switch_set_active (request->sw, !request->enabled);  /* back; the handler settles it */
    }
  autostart_request_free (request);
}

static gboolean
autostart_state_set_cb (GtkSwitch    *sw,
                        gboolean      state,
                        AdwActionRow *row)
{
  GSettings *settings = g_object_get_data (G_OBJECT (sw), "fcm-settings");
  g_autoptr(XdpPortal) portal = NULL;
  g_autoptr(XdpParent) parent = NULL;
  AutostartRequest *request;

  /* the stored value, shown again (at start, or after a failure) */
  if (state == g_settings_get_boolean (settings, "autostart"))
    {
      gtk_switch_set_state (sw, state);
      return TRUE;
    }

  if (fcm_autostart_use_portal ())
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (sw));

      portal = xdp_portal_new ();
      if (GTK_IS_WINDOW (root))
        parent = xdp_parent_new_gtk (GTK_WINDOW (root));
    }

  request = g_new0 (AutostartRequest, 1);
  request->sw = g_object_ref (sw);
  request->row = g_object_ref (row);
  request->settings = g_object_ref (settings);
  request->enabled = state;
  gtk_widget_set_sensitive (GTK_WIDGET (sw), FALSE);
  fcm_autostart_set_async (APP_ID, state, portal, parent, NULL, autostart_set_cb, request);
  return TRUE;  /* the state follows when done */
}

static GtkWidget *
switch_row (AdwPreferencesGroup *group,
            const char          *title,
            const char          *subtitle,
            GtkWidget          **out_switch)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_preferences_group_add (group, row);
  *out_switch = sw;
  return row;
}

/**
 * fcm_preferences_background_group_new:
 *
 * Returns: (transfer floating): the "Background" group: Keep Running in
 *   the Background, Start at Login
 */
GtkWidget *
fcm_preferences_background_group_new (GSettings *settings)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *background_switch, *autostart_switch, *row;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  gtk_widget_set_name (group, "background_group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Background"));

  row = switch_row (ADW_PREFERENCES_GROUP (group), _("Keep Running in the Background"),
                    _("Closing the window keeps every hub connection and the tray icon; Quit stops the app"),
                    &background_switch);
  gtk_widget_set_name (row, "run_in_background_row");
  g_settings_bind (settings, "run-in-background", background_switch, "active", G_SETTINGS_BIND_DEFAULT);

  row = switch_row (ADW_PREFERENCES_GROUP (group), _("Start at Login"),
                    _("Starts in the background, with the tray icon and the hub connections"),
                    &autostart_switch);
  gtk_widget_set_name (row, "autostart_row");
  g_object_set_data_full (G_OBJECT (autostart_switch), "fcm-settings", g_object_ref (settings), g_object_unref);
  gtk_switch_set_active (GTK_SWITCH (autostart_switch), g_settings_get_boolean (settings, "autostart"));
  g_settings_bind (settings, "autostart", autostart_switch, "active", G_SETTINGS_BIND_GET);
  g_signal_connect_object (autostart_switch, "state-set", G_CALLBACK (autostart_state_set_cb), row, 0);

  return group;
}

/* ----------------------------------------------------------- built-in hub */

static void
update_hub_description (AdwPreferencesGroup *group)
{
  GSettings *settings = g_object_get_data (G_OBJECT (group), "fcm-settings");
  int port = g_settings_get_int (settings, "builtin-hub-port");
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%d" FCM_HUB_BASE_PATH, port);
  g_autofree char *text = NULL;

  if (port > 0)
    /* Translators: %s is the hub URL, e.g. http://127.0.0.1:8123/fhircast */
    text = g_strdup_printf (_("Other applications on this computer join the session with the hub URL %s "
                              "and this topic. Both stay the same across restarts. Used while the hub URL "
                              "above is empty."), url);
  else
    text = g_strdup (_("Port and topic are chosen on the next start of the built-in hub, then kept."));
  adw_preferences_group_set_description (group, text);
}

static gboolean
port_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  int port = g_variant_get_int32 (variant);

  g_value_take_string (value, port > 0 ? g_strdup_printf ("%d", port) : g_strdup (""));
  return TRUE;
}

static void
row_apply_cb (AdwEntryRow *row,
              GSettings   *settings)
{
  const char *key = g_object_get_data (G_OBJECT (row), "fcm-settings-key");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  guint64 port = 0;

  if (g_str_equal (key, "builtin-hub-topic"))
    {
      g_settings_set_string (settings, key, text);  /* empty: a new one */
      return;
    }

  /* empty: choose again; else an unprivileged port */
  if (text[0] != '\0' &&
      (!g_ascii_string_to_unsigned (text, 10, 1024, G_MAXUINT16, &port, NULL)))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_widget_error_bell (GTK_WIDGET (row));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
  g_settings_set_int (settings, key, (int) port);
}

static GtkWidget *
entry_row (AdwPreferencesGroup *group,
           GSettings           *settings,
           const char          *key,
           const char          *title,
           const char          *tooltip)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data (G_OBJECT (row), "fcm-settings-key", (gpointer) key);
  g_signal_connect_object (row, "apply", G_CALLBACK (row_apply_cb), settings, 0);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (row_apply_cb), settings, 0);
  adw_preferences_group_add (group, row);
  return row;
}

/**
 * fcm_preferences_builtin_hub_group_new:
 *
 * Returns: (transfer floating): the "Built-in Hub" group: its port and
 *   the monitor's topic there
 */
GtkWidget *
fcm_preferences_builtin_hub_group_new (GSettings *settings)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *port_row, *topic_row;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  gtk_widget_set_name (group, "builtin_hub_group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Built-in Hub"));
  g_object_set_data_full (G_OBJECT (group), "fcm-settings", g_object_ref (settings), g_object_unref);

  port_row = entry_row (ADW_PREFERENCES_GROUP (group), settings, "builtin-hub-port", _("Port"),
                        _("Loopback port of the built-in hub, 1024 to 65535; empty chooses a free one"));
  gtk_widget_set_name (port_row, "builtin_hub_port_row");
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (port_row), GTK_INPUT_PURPOSE_DIGITS);
  g_settings_bind_with_mapping (settings, "builtin-hub-port", port_row, "text",
                                G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY,
                                port_get_mapping, NULL, NULL, NULL);

  topic_row = entry_row (ADW_PREFERENCES_GROUP (group), settings, "builtin-hub-topic", _("Topic"),
                         _("The session topic on the built-in hub; empty chooses a new one"));
  gtk_widget_set_name (topic_row, "builtin_hub_topic_row");
  g_settings_bind (settings, "builtin-hub-topic", topic_row, "text",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY);

  g_signal_connect_object (settings, "changed::builtin-hub-port",
                           G_CALLBACK (update_hub_description), group, G_CONNECT_SWAPPED);
  update_hub_description (ADW_PREFERENCES_GROUP (group));
  return group;
}

/* fcm-autostart.c: starting the app at login (no GTK)
 *
 * The radiologist's workstation starts the monitor at login, in the
 * background (FCM_AUTOSTART_OPTION: tray and hubs, no window). Outside a
 * sandbox that is an XDG autostart entry, $XDG_CONFIG_HOME/autostart/<app
 * id>.desktop, written or removed here. Inside Flatpak the app cannot write
 * there; it asks the Background portal (org.freedesktop.portal.Background,
 * through libportal) to autostart it with that command line, and the
 * portal may ask the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmAutostart"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-autostart.h"

/**
 * fcm_autostart_use_portal:
 *
 * Returns: whether autostart goes through the Background portal (inside
 *   Flatpak) rather than an autostart file
 */
gboolean
fcm_autostart_use_portal (void)
{
  return xdp_portal_running_under_flatpak ();
}

/**
 * fcm_autostart_dup_desktop_path:
 *
 * Returns: (transfer full): $XDG_CONFIG_HOME/autostart/@app_id.desktop
 */
char *
fcm_autostart_dup_desktop_path (const char *app_id)
{
  g_autofree char *name = g_strconcat (app_id, ".desktop", NULL);

  return g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
}

/* One argument of an Exec key, quoted as the Desktop Entry Specification
 * says when it has to be. */
static char *
quote_exec_argument (const char *argument)
{
  GString *quoted;

  if (strpbrk (argument, " \t\n\"'\\><~|&;$*?#()`=%") == NULL)
    return g_strdup (argument);

  quoted = g_string_new ("\"");
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '`' || *p == '$' || *p == '\\')
        g_string_append_c (quoted, '\\');
      if (*p == '%')
        g_string_append_c (quoted, '%');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

/**
 * fcm_autostart_build_desktop_entry:
 * @app_id: the application id (its icon has the same name)
 * @executable: the program to start
 *
 * Returns: (transfer full): the autostart entry's text
 */
char *
fcm_autostart_build_desktop_entry (const char *app_id,
                                   const char *executable)
{
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *program = quote_exec_argument (executable);
  g_autofree char *exec = g_strconcat (program, " " FCM_AUTOSTART_OPTION, NULL);

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (executable != NULL, NULL);

  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME,
                         _("FHIRcast Monitor"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Watch the reporting session in the background"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, app_id);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_to_data (entry, NULL, NULL);
}

/* The program as it runs now, so that a build run from its folder starts
 * that build; the name alone when the link cannot be read. */
static char *
dup_executable (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_strdup ("fhircast-monitor");
}

/* -------------------------------------------------------------- the file */

static void
file_replaced_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void make_folders (GTask *task);

static void
folder_made_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_make_directory_finish (G_FILE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);
  make_folders (task);
}

/* $XDG_CONFIG_HOME, then its autostart folder (either may be missing on a
 * fresh account), then the entry. */
static void
make_folders (GTask *task)
{
  GPtrArray *folders = g_object_get_data (G_OBJECT (task), "fcm-folders");
  const char *text = g_object_get_data (G_OBJECT (task), "fcm-entry");
  GFile *file = g_task_get_task_data (task);

  if (folders->len > 0)
    {
      g_autoptr(GFile) folder = g_ptr_array_steal_index (folders, 0);

      g_file_make_directory_async (folder, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   folder_made_cb, g_object_ref (task));
      return;
    }

  g_file_replace_contents_async (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                 g_task_get_cancellable (task), file_replaced_cb, g_object_ref (task));
}

static void
file_deleted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* no entry is what was asked for */
  if (!g_file_delete_finish (G_FILE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_task_return_error (task, error);
  else
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
}

static void
set_desktop_file (GTask      *task,
                  const char *app_id,
                  gboolean    enabled)
{
  g_autofree char *path = fcm_autostart_dup_desktop_path (app_id);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (enabled)
    {
      GPtrArray *folders = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *executable = dup_executable ();
      GFile *folder = g_file_get_parent (file);

      g_ptr_array_add (folders, g_file_get_parent (folder));
      g_ptr_array_add (folders, folder);
      g_task_set_task_data (task, g_object_ref (file), g_object_unref);
      g_object_set_data_full (G_OBJECT (task), "fcm-folders", folders, (GDestroyNotify) g_ptr_array_unref);
      g_object_set_data_full (G_OBJECT (task), "fcm-entry",
                              fcm_autostart_build_desktop_entry (app_id, executable), g_free);
      make_folders (task);
    }
  else
    g_file_delete_async (file, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                         file_deleted_cb, g_object_ref (task));
}

/* ------------------------------------------------------------ the portal */

static void
background_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gboolean enabled = GPOINTER_TO_INT (g_task_get_task_data (task));
  GError *error = NULL;

  /* TRUE: the portal granted what was asked (autostart, when enabling) */
  if (!xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                     enabled ? _("Starting at login was not allowed")
                                             : _("Running in the background was not allowed"));
      g_task_return_error (task, error);
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
request_portal (GTask     *task,
                XdpPortal *portal,
                XdpParent *parent,
                gboolean   enabled)
{
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);

  g_task_set_task_data (task, GINT_TO_POINTER (enabled), NULL);
  /* inside the sandbox the program is found by name */
  g_ptr_array_add (commandline, g_strdup ("fhircast-monitor"));
  g_ptr_array_add (commandline, g_strdup (FCM_AUTOSTART_OPTION));
  xdp_portal_request_background (portal, parent,
                                 enabled ? _("Start at login to watch the reporting session in the background")
                                         : _("Watch the reporting session in the background"),
                                 commandline,  /* libportal takes its own reference */
                                 enabled ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 g_task_get_cancellable (task), background_cb, g_object_ref (task));
}

/**
 * fcm_autostart_set_async:
 * @app_id: the application id
 * @enabled: start at login, or not any more
 * @portal: (nullable): ask this Background portal (inside Flatpak, see
 *   fcm_autostart_use_portal()); %NULL writes or removes the autostart file
 * @parent: (nullable): the window a portal dialog belongs to
 *
 * Writes or removes $XDG_CONFIG_HOME/autostart/@app_id.desktop, or asks the
 * portal to autostart the app with FCM_AUTOSTART_OPTION (or not).
 */
void
fcm_autostart_set_async (const char          *app_id,
                         gboolean             enabled,
                         XdpPortal           *portal,
                         XdpParent           *parent,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (app_id != NULL);
  g_return_if_fail (portal == NULL || XDP_IS_PORTAL (portal));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_autostart_set_async);

  if (portal != NULL)
    request_portal (task, portal, parent, enabled);
  else
    set_desktop_file (task, app_id, enabled);
}

gboolean
fcm_autostart_set_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

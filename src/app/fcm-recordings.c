/* fcm-recordings.c: every connection of the app recorded (issue 16.5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each live connection gets an FcmRecorder (src/client/fcm-recorder.c) in
 * $XDG_DATA_HOME/fhircast-monitor/recordings/, one file per connection and
 * start, unless the "record-sessions" setting is off; "recording-max-size"
 * (MiB) and "recording-max-files" cap it. The connection's monitor exists
 * before the recorder, so a frame reaches the event log a moment before the
 * recorder queues it, in the same main-loop iteration; the timeline shows
 * the row once the recorder has written it (fcm_timeline_set_recorder()),
 * so a crash loses nothing that was shown (docs/cli.md, "Recorded
 * sessions", has the figures). No GTK here.
 */

#define G_LOG_DOMAIN "FcmRecordings"

#include "config.h"

#include <string.h>

#include "fcm-recordings.h"

#define RECORDER_KEY "fcm-recorder"

static void
recorder_error_cb (FcmRecorder *recorder,
                   GParamSpec  *pspec,
                   gpointer     data)
{
  /* not fatal: the session goes on unrecorded */
  g_message ("%s", fcm_recorder_get_error (recorder)->message);
}

/* "…-127.0.0.1-8080.ndjson", or "…-127.0.0.1-8080-2.ndjson" for the second
 * connection this process starts to that hub within the same second */
static char *
unique_name (const char *hub_url)
{
  static GHashTable *used;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *base = fcm_recording_default_name (hub_url, now);
  char *name = g_strdup (base);

  if (used == NULL)
    used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint n = 2; g_hash_table_contains (used, name); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%.*s-%u.ndjson", (int) (strlen (base) - strlen (".ndjson")), base, n);
    }
  g_hash_table_add (used, g_strdup (name));
  return name;
}

/**
 * fcm_recordings_attach:
 * @settings: the app's settings
 *
 * Starts recording @connection (not a read-only one, and only once).
 */
void
fcm_recordings_attach (FcmConnection *connection,
                       GSettings     *settings)
{
  g_autoptr(FcmRecorder) recorder = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  FcmHubClient *client;

  g_return_if_fail (FCM_IS_CONNECTION (connection));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (fcm_connection_get_recording (connection) != NULL || fcm_recordings_get_recorder (connection) != NULL ||
      !g_settings_get_boolean (settings, "record-sessions"))
    return;

  client = fcm_connection_get_client (connection);
  dir = fcm_recording_default_dir ();
  name = unique_name (fcm_hub_client_get_hub_url (client));
  path = g_build_filename (dir, name, NULL);
  recorder = fcm_recorder_new (path);
  fcm_recorder_set_limits (recorder,
                           (guint64) g_settings_get_int (settings, "recording-max-size") * 1024 * 1024,
                           (guint) g_settings_get_int (settings, "recording-max-files"));
  fcm_recorder_attach (recorder, client);
  g_signal_connect (recorder, "notify::error", G_CALLBACK (recorder_error_cb), NULL);
  g_debug ("recording %s to %s", fcm_connection_get_title (connection), path);
  /* when the connection goes, the recorder writes what is queued and closes */
  g_object_set_data_full (G_OBJECT (connection), RECORDER_KEY, g_steal_pointer (&recorder), g_object_unref);
}

/**
 * fcm_recordings_get_recorder:
 *
 * Returns: (transfer none) (nullable): the recorder of @connection
 */
FcmRecorder *
fcm_recordings_get_recorder (FcmConnection *connection)
{
  g_return_val_if_fail (FCM_IS_CONNECTION (connection), NULL);
  return g_object_get_data (G_OBJECT (connection), RECORDER_KEY);
}

/**
 * fcm_recordings_dup_source:
 *
 * Returns: (transfer full) (nullable): the recording a bug report about
 *   @connection is made from: the file a read-only connection shows, or the
 *   current part of the live one's recording; %NULL when it is not
 *   recorded (then the timeline is what there is)
 */
GFile *
fcm_recordings_dup_source (FcmConnection *connection)
{
  FcmRecorder *recorder;

  g_return_val_if_fail (FCM_IS_CONNECTION (connection), NULL);

  if (fcm_connection_get_recording (connection) != NULL)
    return g_object_ref (fcm_connection_get_recording (connection));
  recorder = fcm_recordings_get_recorder (connection);
  if (recorder == NULL || fcm_recorder_get_error (recorder) != NULL ||
      fcm_recorder_get_written_seq (recorder) == 0)
    return NULL;
  return g_file_new_for_path (fcm_recorder_get_path (recorder));
}

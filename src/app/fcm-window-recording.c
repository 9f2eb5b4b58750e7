/* fcm-window-recording.c: Open Recording… and Export Bug Report…
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Open Recording… shows a recorded session (docs/cli.md, "Recorded
 * sessions") as a read-only connection without a hub: its frames go through
 * the validator into the connection's event log and its events into the
 * context store (fcm_recording_load_async()), so the timeline, its filters
 * and the validation, and the context panel read it as they read a live
 * session. Export Bug Report… writes the selected connection's recording
 * (or, when it was not recorded, its timeline) with the PHI replaced by
 * keyed pseudonyms and every message's validation issues
 * (fcm_recording_anonymize_async()).
 */

#define G_LOG_DOMAIN "FcmWindow"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-recordings.h"
#include "fcm-window-private.h"

/* a header line is small; a first line longer than this is no recording */
#define HEADER_MAX (64 * 1024)

static void
show_error (FcmWindow    *self,
            const char   *heading,
            const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- open */

typedef struct
{
  GFile *file;
  GInputStream *stream;
  FcmConnection *connection;
} Open;

static void
open_free (Open *open)
{
  g_clear_object (&open->file);
  g_clear_object (&open->stream);
  g_clear_object (&open->connection);
  g_free (open);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FcmRecordingInfo) info = NULL;
  GError *error = NULL;

  info = fcm_recording_load_finish (result, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, info->n_frames);
}

static void
header_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FcmWindow *self = g_task_get_source_object (task);
  Open *open = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  FcmRecord header = { 0 };
  FcmMonitor *monitor;
  GCancellable *cancellable;
  const char *data;
  const char *end;
  gsize size = 0;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  end = data ? memchr (data, '\n', size) : NULL;
  if (end == NULL || !fcm_record_parse (data, end - data, &header, NULL) ||
      header.type != FCM_RECORD_HEADER)
    {
      fcm_record_clear (&header);
      g_task_return_new_error (task, FCM_ERROR, FCM_ERROR_INVALID_MESSAGE, "%s",
                               _("This is not a FHIRcast recording: its first line is not a recording's header."));
      return;
    }

  /* a connection without a hub, filled from the file */
  open->connection = fcm_connection_new_recording (open->file,
                                                   fcm_record_get_string (&header, "hub"),
                                                   fcm_record_get_string (&header, "topic"));
  fcm_record_clear (&header);
  fcm_window_add_connection (self, open->connection);
  fcm_window_set_connection (self, open->connection);
  monitor = fcm_connection_get_monitor (open->connection);
  cancellable = g_task_get_cancellable (task);
  fcm_recording_load_async (open->file, fcm_monitor_get_event_log (monitor),
                            fcm_monitor_get_context_store (monitor),
                            cancellable, loaded_cb, g_steal_pointer (&task));
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Open *open = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  open->stream = G_INPUT_STREAM (g_file_read_finish (G_FILE (source), result, &error));
  if (open->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_input_stream_read_bytes_async (open->stream, HEADER_MAX, G_PRIORITY_DEFAULT,
                                   cancellable, header_cb, g_steal_pointer (&task));
}

/**
 * _fcm_window_open_recording:
 * @file: a recording
 *
 * Adds @file as a read-only connection, selects it and fills its timeline
 * and context, without blocking.
 */
void
_fcm_window_open_recording (FcmWindow           *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Open *open;

  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _fcm_window_open_recording);
  open = g_new0 (Open, 1);
  open->file = g_object_ref (file);
  g_task_set_task_data (task, open, (GDestroyNotify) open_free);
  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, opened_cb, task);
}

/**
 * _fcm_window_open_recording_finish:
 *
 * Returns: the frames read, or -1 with @error set
 */
int
_fcm_window_open_recording_finish (FcmWindow     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (int) g_task_propagate_int (G_TASK (result), error);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FcmWindow *self = FCM_WINDOW (source);
  g_autoptr(GError) error = NULL;
  int n = _fcm_window_open_recording_finish (self, result, &error);

  if (n < 0)
    {
      show_error (self, _("Could Not Open the Recording"), error);
      return;
    }
  /* Translators: a toast after Open Recording…; %d is a number of messages */
  {
    g_autofree char *text = g_strdup_printf (ngettext ("Recording opened: %d message, read-only",
                                                       "Recording opened: %d messages, read-only", n), n);

    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  }
}

static void
open_response_cb (GtkNativeDialog *native,
                  int              response,
                  FcmWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _fcm_window_open_recording (self, file, self->cancellable, open_done_cb, NULL);
    }
  g_object_unref (native);
  g_object_unref (self);
}

static void
add_ndjson_filter (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Recordings (NDJSON)"));
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_chooser_add_filter (chooser, filter);
}

void
_fcm_window_open_recording_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autofree char *dir_path = fcm_recording_default_dir ();
  g_autoptr(GFile) dir = g_file_new_for_path (dir_path);
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Open Recording"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  add_ndjson_filter (GTK_FILE_CHOOSER (native));
  /* where the app keeps them; a folder that does not exist yet is no error */
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), dir, NULL);
  g_signal_connect (native, "response", G_CALLBACK (open_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---------------------------------------------------------------- export */

typedef struct
{
  GFile *destination;
  GBytes *output;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->destination);
  g_clear_pointer (&export->output, g_bytes_unref);
  g_free (export);
}

static void
replaced_cb (GObject      *source,
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

static void
anonymized_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  export->output = fcm_recording_anonymize_finish (result, &error);
  if (export->output == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_file_replace_contents_bytes_async (export->destination, export->output, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replaced_cb, g_steal_pointer (&task));
}

static void
source_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  fcm_recording_anonymize_async (bytes, cancellable, anonymized_cb, g_steal_pointer (&task));
}

/**
 * _fcm_window_export_bug_report:
 * @destination: where the anonymized recording goes (replaced)
 *
 * Writes the selected connection's recording with the PHI removed and the
 * validation results, without blocking.
 */
void
_fcm_window_export_bug_report (FcmWindow           *self,
                               GFile               *destination,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Export *export;
  g_autoptr(GFile) source = NULL;
  FcmHubClient *client;

  g_return_if_fail (FCM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _fcm_window_export_bug_report);
  export = g_new0 (Export, 1);
  export->destination = g_object_ref (destination);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);

  if (self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("No hub is selected: choose the connection to report on in the sidebar."));
      g_object_unref (task);
      return;
    }

  source = fcm_recordings_dup_source (self->connection);
  if (source != NULL)
    {
      g_file_load_bytes_async (source, cancellable, source_loaded_cb, task);
      return;
    }

  /* not recorded: what the timeline holds */
  client = fcm_connection_get_client (self->connection);
  {
    g_autoptr(GBytes) bytes = fcm_recording_from_event_log (
      fcm_monitor_get_event_log (fcm_connection_get_monitor (self->connection)),
      fcm_hub_client_get_hub_url (client), fcm_hub_client_get_topic (client));

    fcm_recording_anonymize_async (bytes, cancellable, anonymized_cb, task);
  }
}

gboolean
_fcm_window_export_bug_report_finish (FcmWindow     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FcmWindow *self = FCM_WINDOW (source);
  g_autoptr(GFile) destination = user_data;
  g_autoptr(GError) error = NULL;

  if (!_fcm_window_export_bug_report_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Export the Bug Report"), error);
      return;
    }
  {
    g_autofree char *name = g_file_get_basename (destination);
    /* Translators: a toast; %s is a file name */
    g_autofree char *text = g_strdup_printf (_("Bug report saved as %s, patient data replaced"), name);

    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  }
}

static void
export_response_cb (GtkNativeDialog *native,
                    int              response,
                    FcmWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _fcm_window_export_bug_report (self, file, self->cancellable, export_done_cb, g_object_ref (file));
    }
  g_object_unref (native);
  g_object_unref (self);
}

void
_fcm_window_export_bug_report_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  FcmWindow *self = FCM_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("fhircast-bug-report-%s.ndjson", stamp);
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Export Bug Report"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  add_ndjson_filter (GTK_FILE_CHOOSER (native));
  g_signal_connect (native, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

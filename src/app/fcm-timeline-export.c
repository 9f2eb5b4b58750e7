/* fcm-timeline-export.c: the timeline's rows out of the app
 *
 * "Copy JSON" puts the selected message on the clipboard; "Export" writes
 * the rows shown (type filter and search applied) as NDJSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmTimeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fcm-timeline-private.h"

void
_fcm_timeline_copy_json_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);
  FcmEventLogEntry *entry = fcm_timeline_get_selected (self);
  g_autofree char *json = NULL;

  g_autofree char *title = NULL;

  if (entry == NULL)
    return;
  json = fcm_event_details_format_json (entry);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  /* Translators: %s is what was copied, e.g. "DiagnosticReport-open" */
  title = g_strdup_printf (_("Copied the JSON of %s"), _fcm_entry_title (entry));
  _fcm_timeline_tell (self, adw_toast_new (title));
}

/* "~/Documents/t.ndjson": where a file went, short */
static char *
display_path (GFile *file)
{
  g_autofree char *path = g_file_get_parse_name (file);
  const char *home = g_get_home_dir ();
  size_t len = home != NULL ? strlen (home) : 0;

  if (len > 1 && g_str_has_prefix (path, home) && path[len] == '/')
    return g_strconcat ("~", path + len, NULL);
  return g_steal_pointer (&path);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (fcm_event_log_export_finish (FCM_EVENT_LOG (source), result, &error))
    {
      FcmTimeline *self = g_task_get_source_object (task);
      guint n = GPOINTER_TO_UINT (g_task_get_task_data (task));
      g_autofree char *count = _fcm_format_count (n);
      g_autofree char *where = display_path (g_object_get_data (G_OBJECT (task), "fcm-file"));
      g_autofree char *title = NULL;

      /* say what was done (issue 11.8); Translators: 1: a number of messages, 2: a file */
      title = g_strdup_printf (ngettext ("Exported %s message to %s", "Exported %s messages to %s", n),
                               count, where);
      _fcm_timeline_tell (self, adw_toast_new (title));
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

/* writes the rows shown (type filter and search applied) as NDJSON */
void
_fcm_timeline_export_to_file (FcmTimeline         *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, _fcm_timeline_export_to_file);
  if (self->event_log == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("There is no timeline to export: no hub connection is shown"));
      return;
    }
  /* how many: what the toast says when it is written */
  g_task_set_task_data (task, GUINT_TO_POINTER (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model))), NULL);
  g_object_set_data_full (G_OBJECT (task), "fcm-file", g_object_ref (file), g_object_unref);
  fcm_event_log_export_subset_async (self->event_log, G_LIST_MODEL (self->filter_model), file,
                                     cancellable, export_written_cb, g_steal_pointer (&task));
}

gboolean
_fcm_timeline_export_finish (FcmTimeline   *self,
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
  FcmTimeline *self = FCM_TIMELINE (source);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkRoot *root;

  if (_fcm_timeline_export_finish (self, result, &error))
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Export Failed"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog *native,
                    int              response,
                    FcmTimeline     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _fcm_timeline_export_to_file (self, file, NULL, export_done_cb, NULL);
    }
  g_object_unref (native);
  g_object_unref (self);
}

void
_fcm_timeline_export_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  FcmTimeline *self = FCM_TIMELINE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("fhircast-timeline-%s.ndjson", stamp);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Export Timeline"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  gtk_file_filter_set_name (filter, _("Newline-delimited JSON"));
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* fcm-probe-window-export.c: the probe window's reports
 *
 * "Export JSON Report…" writes the results so far as NDJSON (one object per
 * scenario, as `fhircast probe --json`), "Export JUnit Report…" as JUnit XML
 * (as `--junit`), both from the probe library's writers, so they carry the
 * same redacted evidence. A toast says what was written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "FcmProbeWindow"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fcm-probe-window-private.h"

void
_fcm_probe_window_toast (FcmProbeWindow *self,
                         const char     *text)
{
  AdwToast *toast = adw_toast_new (text);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

typedef struct
{
  GFile *file;
  guint  n_results;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  g_object_unref (export->file);
  g_free (export);
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * _fcm_probe_window_export_async:
 *
 * Writes the results so far to @file, as NDJSON or JUnit XML.
 */
void
_fcm_probe_window_export_async (FcmProbeWindow      *self,
                                FcmProbeReportKind   kind,
                                GFile               *file,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  GListModel *results = fcm_probe_get_results (self->probe);
  Export *export = g_new0 (Export, 1);
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_task_set_source_tag (task, _fcm_probe_window_export_async);
  export->file = g_object_ref (file);
  export->n_results = g_list_model_get_n_items (results);
  g_task_set_task_data (task, export, export_free);

  if (kind == FCM_PROBE_REPORT_KIND_JUNIT)
    text = fcm_probe_report_junit (results, self->for_app ? "fhircast probe subscriber" : "fhircast probe hub");
  else
    text = fcm_probe_report_ndjson (results);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, replaced_cb, g_steal_pointer (&task));
}

gboolean
_fcm_probe_window_export_finish (FcmProbeWindow  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  Export *export;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  export = g_task_get_task_data (G_TASK (result));
  {
    g_autofree char *name = g_file_get_parse_name (export->file);
    g_autofree char *text = NULL;

    /* Translators: 1: how many scenario results, 2: the file */
    text = g_strdup_printf (ngettext ("Exported %u result to %s", "Exported %u results to %s", export->n_results),
                            export->n_results, name);
    _fcm_probe_window_toast (self, text);
  }
  return TRUE;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (_fcm_probe_window_export_finish (self, result, &error))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Export Failed"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
response_cb (GtkNativeDialog *native,
             int              response,
             FcmProbeWindow  *self)
{
  FcmProbeReportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (native), "report-kind"));

  if (response == GTK_RESPONSE_ACCEPT && self->probe != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        _fcm_probe_window_export_async (self, kind, file, export_done_cb, NULL);
    }
  g_object_unref (native);
  g_object_unref (self);
}

/* probe.export-ndjson, probe.export-junit */
void
_fcm_probe_window_export_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  FcmProbeWindow *self = FCM_PROBE_WINDOW (widget);
  FcmProbeReportKind kind = g_str_equal (action_name, "probe.export-junit") ? FCM_PROBE_REPORT_KIND_JUNIT
                                                                            : FCM_PROBE_REPORT_KIND_NDJSON;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *native;

  name = g_strdup_printf ("fhircast-probe-%s-%s.%s", self->for_app ? "app" : "hub", stamp,
                          kind == FCM_PROBE_REPORT_KIND_JUNIT ? "xml" : "ndjson");
  native = gtk_file_chooser_native_new (kind == FCM_PROBE_REPORT_KIND_JUNIT ? _("Export JUnit Report")
                                                                            : _("Export JSON Report"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  if (kind == FCM_PROBE_REPORT_KIND_JUNIT)
    {
      gtk_file_filter_set_name (filter, _("JUnit XML"));
      gtk_file_filter_add_pattern (filter, "*.xml");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Newline-delimited JSON"));
      gtk_file_filter_add_pattern (filter, "*.ndjson");
      gtk_file_filter_add_pattern (filter, "*.jsonl");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_set_data (G_OBJECT (native), "report-kind", GINT_TO_POINTER (kind));
  g_signal_connect (native, "response", G_CALLBACK (response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

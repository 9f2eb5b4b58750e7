/* fcm-probe-window-test-util.c: what the probe window's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-gtk-test-util.h"
#include "fcm-json-private.h"
#include "fcm-probe-window-test-util.h"
#include "fcm-test-util.h"

FcmConnection *
add_embedded (FcmApplication  *app,
              FcmWindow      **out_window)
{
  g_autoptr(GError) error = NULL;
  FcmConnection *connection = fcm_connection_new_embedded (&error);

  g_assert_no_error (error);
  fcm_application_add_connection (app, connection);
  *out_window = g_object_ref (FCM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app))));
  gtk_window_present (GTK_WINDOW (*out_window));
  FCM_TEST_WAIT_UNTIL (fcm_connection_get_live (connection));
  fcm_hub_set_ack_timeout (fcm_connection_get_hub (connection), HUB_ACK_TIMEOUT);
  return connection;
}

void
close_all (FcmApplication *app,
           FcmWindow      *main_window)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != (gpointer) main_window)
      gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
  gtk_window_destroy (GTK_WINDOW (main_window));
  g_assert_finalize_object (main_window);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

void
tune_hub_probe (FcmProbeWindow *window)
{
  FcmProbe *probe = _fcm_probe_window_get_probe (window);

  fcm_probe_set_timeout (probe, HUB_PROBE_TIMEOUT);
  fcm_probe_set_window (probe, HUB_PROBE_WINDOW);
  fcm_hub_probe_set_lease (FCM_HUB_PROBE (probe), 1);
  fcm_hub_probe_set_ack_wait (FCM_HUB_PROBE (probe), HUB_PROBE_ACK_WAIT);
}

static gboolean
probe_idle (FcmProbeWindow *window)
{
  /* the run's callback has been: the window knows how it ended */
  return !fcm_probe_get_running (_fcm_probe_window_get_probe (window)) && !window->run_pending &&
         window->ended != 0;
}

void
wait_for_run (FcmProbeWindow *window)
{
  WAIT_LONG (probe_idle (window), 150);
}

guint
n_scenarios (FcmProbeWindow *window)
{
  g_autoptr(GPtrArray) scenarios = fcm_probe_list_scenarios (_fcm_probe_window_get_probe (window));

  return scenarios->len;
}

FcmProbeItem *
item_at (FcmProbeWindow *window,
         guint           position)
{
  FcmProbeItem *item = g_list_model_get_item (_fcm_probe_window_get_items (window), position);

  g_object_unref (item);   /* the store keeps it */
  return item;
}

/* Every item is done and passed; the details of any that did not. */
void
assert_all_passed (FcmProbeWindow *window,
                   guint           expected)
{
  GListModel *items = _fcm_probe_window_get_items (window);
  guint bad = 0;

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      FcmProbeItem *item = item_at (window, i);
      FcmProbeResult *result = fcm_probe_item_get_result (item);

      g_assert_cmpint (fcm_probe_item_get_state (item), ==, FCM_PROBE_ITEM_DONE);
      g_assert_nonnull (result);
      if (fcm_probe_result_get_verdict (result) != FCM_PROBE_VERDICT_PASS)
        {
          g_autofree char *details = fcm_probe_report_details (result, FCM_PROBE_REPORT_VERBOSE);

          g_test_message ("%s", details);
          bad++;
        }
    }
  g_assert_cmpuint (bad, ==, 0);
}

void
choose_only (FcmProbeWindow *window,
             const char     *id)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "probe.select-none", NULL);
  for (guint i = 0; i < window->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (window->checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "scenario-id"), id) == 0)
        gtk_check_button_set_active (check, TRUE);
    }
}

gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
         gtk_widget_get_mapped (widget);
}

char *
evidence_text (FcmProbeWindow *window)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (window->evidence_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* ---------------------------------------------------------------- reports */

typedef struct
{
  gboolean done;
  gboolean ok;
} Exported;

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Exported *e = data;
  g_autoptr(GError) error = NULL;

  e->ok = _fcm_probe_window_export_finish (FCM_PROBE_WINDOW (source), result, &error);
  g_assert_no_error (error);
  e->done = TRUE;
}

char *
export_to (FcmProbeWindow     *window,
           FcmProbeReportKind  kind,
           const char         *dir,
           const char         *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  Exported e = { FALSE, FALSE };
  char *text = NULL;

  _fcm_probe_window_export_async (window, kind, file, exported_cb, &e);
  FCM_TEST_WAIT_UNTIL (e.done);
  g_assert_true (e.ok);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* One JSON object per line, one line per result, each with its verdict. */
void
assert_ndjson (const char *text,
               guint       expected,
               const char *kind,
               const char *verdict)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      if (lines[i][0] == '\0')
        {
          g_assert_null (lines[i + 1]);   /* only after the last line */
          continue;
        }
      node = fcm_json_parse (lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      object = json_node_get_object (node);
      g_assert_cmpstr (fcm_json_get_string (object, "kind"), ==, kind);
      if (verdict != NULL)
        g_assert_cmpstr (fcm_json_get_string (object, "verdict"), ==, verdict);
      g_assert_nonnull (fcm_json_get_string (object, "id"));
      n++;
    }
  g_assert_cmpuint (n, ==, expected);
}

typedef struct
{
  guint testcases;
  guint failures;
  char *classname;
} JUnitCount;

static void
junit_start_cb (GMarkupParseContext  *context,
                const char           *element,
                const char          **names,
                const char          **values,
                gpointer              data,
                GError              **error)
{
  JUnitCount *count = data;

  if (g_str_equal (element, "testcase"))
    {
      count->testcases++;
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "classname"))
          {
            g_free (count->classname);
            count->classname = g_strdup (values[i]);
          }
    }
  else if (g_str_equal (element, "failure"))
    count->failures++;
}

void
assert_junit (const char *text,
              guint       testcases,
              guint       failures,
              const char *classname)
{
  static const GMarkupParser parser = { junit_start_cb, NULL, NULL, NULL, NULL };
  JUnitCount count = { 0, 0, NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_autoptr(GError) error = NULL;

  g_markup_parse_context_parse (context, text, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count.testcases, ==, testcases);
  g_assert_cmpuint (count.failures, ==, failures);
  g_assert_cmpstr (count.classname, ==, classname);
  g_free (count.classname);
}


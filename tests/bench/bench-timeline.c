/* bench-timeline.c: memory and time of the event timeline with 100,000 rows
 *
 * Under a display (Xvfb in `make bench`): builds an FcmEventLog of N
 * realistic entries (a ~1 KB DiagnosticReport-open each, classified and
 * validated by the real validator and parsed as FcmMonitor's frame handler
 * does; one in ten uses a legacy lower-case name and so carries warnings),
 * shows an FcmTimeline in a 1366×768 window, lets it draw, scrolls to the
 * end, and prints VmRSS / VmHWM from /proc/self/status, the time to append
 * and the time to the first draw. Target: 100,000 rows ≤ 130 MB RSS (issue 15.6; the
 * texts are kept zstd-compressed, src/client/fcm-event-log-store.c).
 *
 * Usage: bench-timeline [--rows N] [--hold SECONDS] [--select] [--stream K]
 *   --hold keeps the window up (with --select, a row selected), for screenshots.
 *   --stream K: then K updates of 200 new rows each while the timeline
 *   follows the newest (a stream of 2,000 events/s at ten updates a second,
 *   issue 15.1), timing each from the view model's change to the end of the
 *   next frame's paint: GTK 4.8 keeps ~200 rows bound, so each such update
 *   binds, measures and lays out all of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "fcm-client.h"
#include "fcm-timeline.h"
#include "fcm-timeline-private.h"
#include "fcm-bench.h"
#include "fcm-application-private.h"

static double
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;   /* kB → MB */
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 target = gdk_frame_clock_get_frame_counter (clock) + n;

  while (gdk_frame_clock_get_frame_counter (clock) < target)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) &&
         gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 4;
}

/* One message as a peer would send it: ~1 KB, ids varying per message. */
static char *
make_message (guint i)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *report = g_strdup_printf ("DR-%08u-%s", i, "2a7c1e9b");
  g_autofree char *patient = g_strdup_printf ("pat-%06u", i % 5000);
  g_autofree char *study = g_strdup_printf ("1.2.840.113619.2.55.3.%u.%u", 604688119u + i, i % 977);
  g_autofree char *accession = g_strdup_printf ("ACC%09u", i);
  g_autofree char *mrn = g_strdup_printf ("MRN-%07u", i % 5000);
  g_autoptr(JsonArray) ctx = fcm_context_build_open (report, patient, study, accession, mrn);
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* one in fifteen without a time zone: a warning (C-25) */
  g_autofree char *stamp = g_date_time_format (now, i % 15 == 7 ? "%Y-%m-%dT%H:%M:%S.%f" : "%Y-%m-%dT%H:%M:%S.%fZ");

  event = fcm_event_new (id, stamp, "https://hub.example.org/topic/7f3a9c2e-4b1d-4e8a-9c6f-2d5b8a1e7c40",
                         i % 10 == 9 ? "diagnosticreport-open" : FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                         ctx, NULL, NULL);
  return fcm_event_to_json (event, FALSE);
}

/* as FcmMonitor's frame handler: validate the text, parse events, log */
static void
log_message (FcmEventLog  *log,
             FcmValidator *validator,
             const char   *text)
{
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(FcmEventLogEntry) entry = NULL;
  FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

  issues = fcm_validator_validate_text (validator, text, -1, &kind);
  if (kind == FCM_MESSAGE_EVENT || kind == FCM_MESSAGE_LEGACY_EVENT)
    event = fcm_event_new_from_json (text, -1, NULL);
  entry = fcm_event_log_entry_new (text, kind, event, issues);
  fcm_event_log_entry_set_ack_status (entry, 200);
  fcm_event_log_append (log, entry);
}

/* --stream: one update's time, from the rows' arrival in the view model to
 * the end of the frame that shows them */
typedef struct
{
  gint64  changed;            /* monotonic; 0: none pending */
  GArray *costs;              /* double, ms */
  gpointer view_model;
  gint64  hooked;             /* the view model's items-changed began */
  gint64  updated;            /* the frame's update phase ended */
  gint64  laid_out;           /* its layout phase ended */
  GArray *apply;              /* double, ms: the view's handlers of items-changed */
  GArray *layout;             /* double, ms: the layout phase of the frame after */
  GArray *paint;              /* double, ms: its paint phase */
} StreamTiming;

static gboolean
stream_hook_cb (GSignalInvocationHint *hint,
                guint                  n_values,
                const GValue          *values,
                gpointer               data)
{
  StreamTiming *timing = data;

  if (g_value_get_object (&values[0]) == timing->view_model)
    timing->hooked = g_get_monotonic_time ();
  return TRUE;
}

static void
stream_update_cb (GdkFrameClock *clock,
                  StreamTiming  *timing)
{
  timing->updated = g_get_monotonic_time ();
}

static void
stream_layout_cb (GdkFrameClock *clock,
                  StreamTiming  *timing)
{
  timing->laid_out = g_get_monotonic_time ();
}

static void
stream_changed_cb (GListModel   *model,
                   guint         position,
                   guint         removed,
                   guint         added,
                   StreamTiming *timing)
{
  gint64 now = g_get_monotonic_time ();
  double ms = (now - timing->hooked) / 1000.0;

  if (timing->changed == 0)
    timing->changed = now;
  g_array_append_val (timing->apply, ms);
}

static void
stream_painted_cb (GdkFrameClock *clock,
                   StreamTiming  *timing)
{
  double ms;

  if (timing->changed == 0)
    return;
  ms = (g_get_monotonic_time () - timing->changed) / 1000.0;
  g_array_append_val (timing->costs, ms);
  timing->changed = 0;
  ms = (timing->laid_out - timing->updated) / 1000.0;
  g_array_append_val (timing->layout, ms);
  ms = (g_get_monotonic_time () - timing->laid_out) / 1000.0;
  g_array_append_val (timing->paint, ms);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_result (const char *name,
              double      value,
              const char *unit,
              double      target)
{
  if (target > 0)
    printf ("%-32s %12.1f %-8s target <= %g  %s\n", name, value, unit, target,
            value <= target ? "OK" : "MISSED");
  else
    printf ("%-32s %12.1f %s\n", name, value, unit);
  fflush (stdout);
}

/* p50, p90 and max of @values (sorted here), ms */
static void
print_percentiles (const char *name,
                   GArray     *values)
{
  g_autofree char *p50 = g_strconcat (name, "-p50", NULL);
  g_autofree char *p90 = g_strconcat (name, "-p90", NULL);
  g_autofree char *max = g_strconcat (name, "-max", NULL);
  const double *v = (const double *) (void *) values->data;

  if (values->len == 0)
    return;
  g_array_sort (values, cmp_double);
  print_result (p50, v[values->len / 2], "ms", 0);
  print_result (p90, v[(values->len * 9) / 10], "ms", 0);
  print_result (max, v[values->len - 1], "ms", 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEventLog) log = NULL;
  g_autoptr(FcmValidator) validator = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  GtkWindow *window;
  GtkWidget *timeline;
  GtkAdjustment *adj;
  int rows = 100000;
  int hold = 0;
  int width = 1366, height = 768;
  gboolean select = FALSE;
  gboolean no_view = FALSE;
  int stream = 0;
  int chunk = 200;
  gboolean keep = FALSE;
  double rss_empty, bytes = 0;
  gint64 t0, t_appended, t_drawn, t_end;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Timeline rows (default 100000)", "N" },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold, "Keep the window up for SECONDS", "SECONDS" },
    { "select", 0, 0, G_OPTION_ARG_NONE, &select, "Select a row near the end", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width (default 1366)", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height (default 768)", "PX" },
    { "no-view", 0, 0, G_OPTION_ARG_NONE, &no_view, "Attach the log to the timeline only after appending", NULL },
    { "stream", 0, 0, G_OPTION_ARG_INT, &stream, "Then K updates of 200 new rows, timed", "K" },
    { "chunk", 0, 0, G_OPTION_ARG_INT, &chunk, "Rows per --stream update (default 200)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "--stream: the log keeps every row (no drops at the front)", NULL },
    { NULL }
  };

  ctx = g_option_context_new (NULL);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  /* as the app does: no GL with the cairo renderer (make bench sets it) */
  _fcm_application_skip_gl_when_drawing_with_cairo ();
  if (!gtk_init_check ())
    {
      g_printerr ("bench-timeline: no display (run under xvfb-run)\n");
      return 77;
    }
  adw_init ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/fhircastmonitor/FhircastMonitor/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  log = fcm_event_log_new ();
  fcm_event_log_set_max_entries (log, MAX (rows, 1));
  validator = fcm_validator_new ();

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (window, "FHIRcast Monitor timeline bench");
  gtk_window_set_default_size (window, width, height);
  timeline = fcm_timeline_new ();
  gtk_window_set_child (window, timeline);
  if (!no_view)
    fcm_timeline_set_event_log (FCM_TIMELINE (timeline), log);
  gtk_window_present (window);
  wait_frames (GTK_WIDGET (window), 3);
  rss_empty = status_mb ("VmRSS:");

  /* the messages arrive while the timeline is shown (it follows them) */
  t0 = g_get_monotonic_time ();
  /* the hub's confirmation first (C-17), as in a real session */
  if (rows > 0)
    {
      log_message (log, validator, "{\"hub.mode\":\"subscribe\",\"hub.topic\":\"https://hub.example.org/topic/7f3a9c2e-4b1d-4e8a-9c6f-2d5b8a1e7c40\",\"hub.events\":\"DiagnosticReport-open,DiagnosticReport-close,DiagnosticReport-update,DiagnosticReport-select,SyncError\",\"hub.lease_seconds\":7200}");
      rows--;
    }
  for (int i = 0; i < rows; i++)
    {
      g_autofree char *text = make_message (i);

      bytes += strlen (text);
      log_message (log, validator, text);
      /* a frame now and then, as the main loop would give one */
      if (i % 5000 == 4999)
        g_main_context_iteration (NULL, FALSE);
    }
  t_appended = g_get_monotonic_time ();
  if (no_view)
    fcm_timeline_set_event_log (FCM_TIMELINE (timeline), log);
  wait_frames (GTK_WIDGET (window), 1);
  t_drawn = g_get_monotonic_time ();

  adj = _fcm_timeline_get_vadjustment (FCM_TIMELINE (timeline));
  _fcm_timeline_scroll_to_end (FCM_TIMELINE (timeline));
  while (!at_bottom (adj) && rows > 20)
    wait_frames (GTK_WIDGET (window), 1);
  wait_frames (GTK_WIDGET (window), 2);
  t_end = g_get_monotonic_time ();

  rows = (int) g_list_model_get_n_items (G_LIST_MODEL (log));
  printf ("FHIRcast Monitor timeline benchmark (%d rows, %.0f bytes per message, %dx%d)\n",
          rows, rows > 1 ? bytes / (rows - 1) : 0.0, width, height);
  print_result ("rss-empty-window", rss_empty, "MB", 0);
  print_result ("append-all", (t_appended - t0) / 1000.0, "ms", 0);
  print_result ("first-draw-after-append", (t_drawn - t_appended) / 1000.0, "ms", 0);
  print_result ("scroll-to-end", (t_end - t_drawn) / 1000.0, "ms", 0);
  print_result ("rows-in-view-model", g_list_model_get_n_items (_fcm_timeline_get_model (FCM_TIMELINE (timeline))), "rows", 0);
  print_result ("VmRSS", status_mb ("VmRSS:"), "MB", rows >= 100000 ? 130 : 0);
  {
    double rss = status_mb ("VmRSS:");
    g_autofree char *name = g_strdup_printf ("timeline RSS, %d rows", rows);

    fcm_bench_record ("bench-timeline", name, "MB", rows >= 100000 ? "<=" : NULL, 130, &rss, 1);
  }
  print_result ("VmHWM", status_mb ("VmHWM:"), "MB", 0);

  if (stream > 0)
    {
      StreamTiming timing = { 0, g_array_new (FALSE, FALSE, sizeof (double)) };
      guint signal_id = g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
      gulong hook_id, update_id, layout_id;
      GListModel *view_model = _fcm_timeline_get_model (FCM_TIMELINE (timeline));
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      gulong changed_id, painted_id;
      double *c;
      guint n;

      changed_id = g_signal_connect (view_model, "items-changed", G_CALLBACK (stream_changed_cb), &timing);
      painted_id = g_signal_connect (clock, "after-paint", G_CALLBACK (stream_painted_cb), &timing);
      /* the phases: the view's own handlers of the change (binding), then
       * the layout and the paint of the frame after it */
      timing.view_model = view_model;
      timing.apply = g_array_new (FALSE, FALSE, sizeof (double));
      timing.layout = g_array_new (FALSE, FALSE, sizeof (double));
      timing.paint = g_array_new (FALSE, FALSE, sizeof (double));
      hook_id = g_signal_add_emission_hook (signal_id, 0, stream_hook_cb, &timing, NULL);
      update_id = g_signal_connect (clock, "update", G_CALLBACK (stream_update_cb), &timing);
      layout_id = g_signal_connect (clock, "layout", G_CALLBACK (stream_layout_cb), &timing);
      for (int k = 0; k < stream; k++)
        {
          guint before = timing.costs->len;

          if (keep)
            fcm_event_log_set_max_entries (log, rows + (k + 1) * chunk + 10);
          for (int i = 0; i < chunk; i++)
            {
              g_autofree char *text = make_message (rows + k * chunk + i);

              log_message (log, validator, text);
            }
          while (timing.costs->len == before)
            {
              gtk_widget_queue_draw (GTK_WIDGET (window));
              g_main_context_iteration (NULL, TRUE);
            }
        }
      g_signal_handler_disconnect (view_model, changed_id);
      g_signal_handler_disconnect (clock, painted_id);
      g_signal_handler_disconnect (clock, update_id);
      g_signal_handler_disconnect (clock, layout_id);
      g_signal_remove_emission_hook (signal_id, hook_id);
      g_array_sort (timing.costs, cmp_double);
      c = (double *) (void *) timing.costs->data;
      n = timing.costs->len;
      print_result ("stream-update-200-rows-p50", c[n / 2], "ms", 0);
      print_result ("stream-update-200-rows-p90", c[(n * 9) / 10], "ms", 0);
      print_result ("stream-update-200-rows-max", c[n - 1], "ms", 0);
      print_result ("stream-rows-filled", _fcm_timeline_get_n_rows_filled (), "rows", 0);
      print_percentiles ("stream-apply", timing.apply);
      print_percentiles ("stream-layout", timing.layout);
      print_percentiles ("stream-paint", timing.paint);
      g_array_unref (timing.costs);
      g_array_unref (timing.apply);
      g_array_unref (timing.layout);
      g_array_unref (timing.paint);
    }

  if (hold > 0)
    {
      gint64 until = g_get_monotonic_time () + (gint64) hold * G_USEC_PER_SEC;

      /* the newest row with a warning, to show its issues */
      for (int i = rows - 1; select && i >= 0; i--)
        {
          g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

          if (fcm_event_log_entry_get_issues (entry)->len > 0)
            {
              _fcm_timeline_select (FCM_TIMELINE (timeline), i);
              break;
            }
        }
      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
    }
  gtk_window_destroy (window);
  return 0;
}

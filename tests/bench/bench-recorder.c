/* bench-recorder.c: what recording a session costs (FcmRecorder)
 *
 * Three measurements with a realistic frame (the DiagnosticReport-open
 * vector, ~1.8 KB as one line):
 *   burst   N lines queued at once: the main loop's cost per line (the call
 *           that escapes and queues it), and lines/s until all are in the
 *           file (the writes coalesce: one write takes everything queued)
 *   paced   one line at a time, as a live session: how long from queueing a
 *           line until the recorder says it is in the file (p50, p99), which
 *           is how long `fhircast watch --record` holds a line before
 *           showing it
 *   fsync   for comparison: write(2) + fsync(2) per line on the same disk,
 *           what flushing each line to the disk (not only to the kernel)
 *           would cost
 *
 * Usage: bench-recorder [--lines N] [--dir DIR]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fcm-client.h"
#include "fcm-json-private.h"

static gint n_lines = 50000;
static char *dir_opt;

static GOptionEntry entries[] = {
  { "lines", 0, 0, G_OPTION_ARG_INT, &n_lines, "Lines in the burst (default 50000)", "N" },
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_opt, "Where to write (default: a new folder in /tmp)", "DIR" },
  { NULL }
};

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  fcm_recorder_close_finish (FCM_RECORDER (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
close_recorder (FcmRecorder *recorder)
{
  gboolean closed = FALSE;

  fcm_recorder_close_async (recorder, NULL, closed_cb, &closed);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
}

static guint n_writes;

static void
written_cb (FcmRecorder *recorder,
            guint64      seq,
            gpointer     data)
{
  n_writes++;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *vector = NULL;
  g_autofree char *frame = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start, queued, done;
  const guint n_paced = 2000;
  const guint n_fsync = 500;
  g_autofree char *vector_path = g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : "tests",
                                                   "data", "vectors", "diagnosticreport-open-event.json", NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  if (!g_file_get_contents (vector_path, &vector, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  root = fcm_json_parse (vector, -1, &error);
  frame = fcm_json_to_string (root, FALSE);
  dir = dir_opt ? g_strdup (dir_opt) : g_dir_make_tmp ("bench-recorder-XXXXXX", NULL);

  /* burst */
  {
    g_autofree char *path = g_build_filename (dir, "burst.ndjson", NULL);
    g_autoptr(FcmRecorder) recorder = fcm_recorder_new (path);

    fcm_recorder_set_limits (recorder, G_MAXUINT64 / 2, 1);
    g_signal_connect (recorder, "written", G_CALLBACK (written_cb), NULL);
    start = g_get_monotonic_time ();
    for (gint i = 0; i < n_lines; i++)
      fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, frame);
    queued = g_get_monotonic_time ();
    while (fcm_recorder_get_written_seq (recorder) < (guint64) n_lines)
      g_main_context_iteration (NULL, TRUE);
    done = g_get_monotonic_time ();
    printf ("burst: %d lines of %zu bytes; queueing %.2f µs/line on the main loop; "
            "all in the file after %.0f ms (%.0f lines/s, %.1f MB/s) in %u writes\n",
            n_lines, strlen (frame), (double) (queued - start) / n_lines,
            (double) (done - start) / 1000.0, n_lines / ((double) (done - start) / G_USEC_PER_SEC),
            (double) fcm_recorder_get_size (recorder) / ((double) (done - start)), n_writes);
    close_recorder (recorder);
    g_unlink (path);
  }

  /* paced */
  {
    g_autofree char *path = g_build_filename (dir, "paced.ndjson", NULL);
    g_autoptr(FcmRecorder) recorder = fcm_recorder_new (path);
    gint64 p50, p99, max;

    fcm_recorder_record (recorder, FCM_RECORD_STATE, NULL, 0, "active");   /* opens the file */
    while (fcm_recorder_get_written_seq (recorder) < 1)
      g_main_context_iteration (NULL, TRUE);
    for (guint i = 0; i < n_paced; i++)
      {
        guint64 seq;
        gint64 t0, t1;

        t0 = g_get_monotonic_time ();
        fcm_recorder_record (recorder, FCM_RECORD_FRAME, NULL, 0, frame);
        seq = fcm_recorder_get_queued_seq (recorder);
        while (fcm_recorder_get_written_seq (recorder) < seq)
          g_main_context_iteration (NULL, TRUE);
        t1 = g_get_monotonic_time ();
        g_array_append_val (latencies, (gint64) { t1 - t0 });
      }
    g_array_sort (latencies, compare_gint64);
    p50 = g_array_index (latencies, gint64, n_paced / 2);
    p99 = g_array_index (latencies, gint64, n_paced * 99 / 100);
    max = g_array_index (latencies, gint64, n_paced - 1);
    printf ("paced: %u lines one at a time: queued → in the file p50 %" G_GINT64_FORMAT " µs, "
            "p99 %" G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT " µs\n", n_paced, p50, p99, max);
    close_recorder (recorder);
    g_unlink (path);
  }

  /* fsync per line, for comparison */
  {
    g_autofree char *path = g_build_filename (dir, "fsync.ndjson", NULL);
    g_autofree char *line = g_strconcat (frame, "\n", NULL);
    int fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    g_autoptr(GArray) costs = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (guint i = 0; fd >= 0 && i < n_fsync; i++)
      {
        gint64 t0 = g_get_monotonic_time ();

        if (write (fd, line, strlen (line)) < 0 || fsync (fd) < 0)
          break;
        g_array_append_val (costs, (gint64) { g_get_monotonic_time () - t0 });
      }
    if (fd >= 0)
      close (fd);
    if (costs->len > 0)
      {
        g_array_sort (costs, compare_gint64);
        printf ("fsync: write + fsync per line p50 %" G_GINT64_FORMAT " µs, p99 %" G_GINT64_FORMAT
                " µs (%u lines, blocking the caller)\n",
                g_array_index (costs, gint64, costs->len / 2),
                g_array_index (costs, gint64, costs->len * 99 / 100), costs->len);
      }
    g_unlink (path);
  }

  if (dir_opt == NULL)
    g_rmdir (dir);
  return 0;
}

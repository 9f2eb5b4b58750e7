/* fcm-bench-record.c: a figure from several runs, printed and recorded
 * (see fcm-bench-record.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcm-bench-record.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* the median of @values (left as they are) */
double
fcm_bench_record_median (const double *values,
                         guint         n)
{
  g_autofree double *sorted = NULL;

  if (n == 0)
    return NAN;
  sorted = g_memdup2 (values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static char *
results_path (void)
{
  g_autofree char *exe = NULL;
  g_autofree char *dir = NULL;

  if (g_getenv ("FCM_BENCH_JSON") != NULL)
    return g_strdup (g_getenv ("FCM_BENCH_JSON"));
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return g_strdup ("bench.json");
  dir = g_path_get_dirname (exe);
  return g_build_filename (dir, "..", "..", "bench.json", NULL);
}

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", value));
}

/* names and units here are our own literals: no escaping is needed but
 * quotes and backslashes are escaped anyway */
static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * fcm_bench_record:
 * @bench: the benchmark ("bench-hub")
 * @name: what is measured
 * @unit: its unit
 * @comparison: (nullable): ">=" or "<=" against @target, or %NULL for a
 *   figure without a target
 * @runs: the figure of each run
 *
 * Prints the median of @runs with their spread (min–max) and whether it
 * meets the target, and appends it to the results file.
 *
 * Returns: whether the target is met (%TRUE without one)
 */
gboolean
fcm_bench_record (const char   *bench,
                  const char   *name,
                  const char   *unit,
                  const char   *comparison,
                  double        target,
                  const double *runs,
                  guint         n_runs)
{
  g_autoptr(GString) line = g_string_new ("{\"bench\":");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = results_path ();
  g_autofree char *run_id = NULL;
  double median = fcm_bench_record_median (runs, n_runs);
  double lo = INFINITY, hi = -INFINITY;
  gboolean met = TRUE;
  const char *result = "info";
  FILE *f;

  for (guint i = 0; i < n_runs; i++)
    {
      lo = MIN (lo, runs[i]);
      hi = MAX (hi, runs[i]);
    }
  if (comparison != NULL)
    {
      met = g_str_equal (comparison, ">=") ? median >= target : median <= target;
      result = met ? "met" : "missed";
    }

  if (n_runs == 1)
    printf ("%-44s %10.1f %-16s", name, median, unit);
  else
    printf ("%-44s %10.1f %-16s median of %u runs (%.1f–%.1f)", name, median, unit, n_runs, lo, hi);
  if (comparison != NULL)
    printf ("  target %s %g  %s", comparison, target, met ? "met" : "MISSED");
  printf ("\n");
  fflush (stdout);

  run_id = g_getenv ("FCM_BENCH_RUN") != NULL
             ? g_strdup (g_getenv ("FCM_BENCH_RUN"))
             : g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  append_string (line, bench);
  g_string_append (line, ",\"name\":");
  append_string (line, name);
  g_string_append (line, ",\"value\":");
  append_number (line, median);
  g_string_append (line, ",\"unit\":");
  append_string (line, unit);
  g_string_append (line, ",\"target\":");
  if (comparison != NULL)
    append_number (line, target);
  else
    g_string_append (line, "null");
  g_string_append (line, ",\"comparison\":");
  if (comparison != NULL)
    append_string (line, comparison);
  else
    g_string_append (line, "null");
  g_string_append (line, ",\"result\":");
  append_string (line, result);
  g_string_append (line, ",\"min\":");
  append_number (line, lo);
  g_string_append (line, ",\"max\":");
  append_number (line, hi);
  g_string_append (line, ",\"runs\":[");
  for (guint i = 0; i < n_runs; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      append_number (line, runs[i]);
    }
  g_string_append (line, "],\"run\":");
  append_string (line, run_id);
  g_string_append (line, ",\"at\":");
  append_string (line, at);
  g_string_append (line, "}\n");

  /* one write in append mode: lines of benchmarks run at once do not mix */
  if ((f = fopen (path, "a")) == NULL)
    g_printerr ("bench: cannot append to %s\n", path);
  else
    {
      fwrite (line->str, 1, line->len, f);
      fclose (f);
    }
  return met;
}

/* the resident set of this process, in KiB (0 if unknown) */
guint64
fcm_bench_record_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (p + 6, NULL, 10);
}

/* fcm-bench.c: how every benchmark reports a figure (see fcm-bench.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "fcm-bench.h"

static char *bench_name;
static char *run_id;
static gboolean all_met = TRUE;

/**
 * fcm_bench_init:
 * @bench_name: the benchmark's name in the results file ("bench-client")
 */
void
fcm_bench_init (const char *bench_name_)
{
  g_free (bench_name);
  bench_name = g_strdup (bench_name_);
  g_free (run_id);
  run_id = g_getenv ("FCM_BENCH_RUN") != NULL
             ? g_strdup (g_getenv ("FCM_BENCH_RUN"))
             : g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
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

/* @runs (nullable): the figure of each run, when @value is their median */
static void
record (const char   *bench,
        const char   *name,
        double        value,
        const char   *unit,
        const char   *comparison,
        double        target,
        const char   *result,
        const double *runs,
        guint         n_runs)
{
  g_autoptr(GString) line = g_string_new ("{\"bench\":");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = results_path ();
  FILE *f;

  if (bench_name == NULL)
    fcm_bench_init (g_get_prgname () ? g_get_prgname () : "bench");

  append_string (line, bench != NULL ? bench : bench_name);
  g_string_append (line, ",\"name\":");
  append_string (line, name);
  g_string_append (line, ",\"value\":");
  append_number (line, value);
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
  if (runs != NULL)
    {
      double lo = INFINITY, hi = -INFINITY;

      for (guint i = 0; i < n_runs; i++)
        {
          lo = MIN (lo, runs[i]);
          hi = MAX (hi, runs[i]);
        }
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
      g_string_append_c (line, ']');
    }
  g_string_append (line, ",\"run\":");
  append_string (line, run_id);
  g_string_append (line, ",\"at\":");
  append_string (line, at);
  g_string_append (line, "}\n");

  /* one write in append mode: lines of concurrent benchmarks do not mix */
  if ((f = fopen (path, "a")) == NULL)
    {
      g_printerr ("bench: cannot append to %s\n", path);
      return;
    }
  fwrite (line->str, 1, line->len, f);
  fclose (f);
}

/**
 * fcm_bench_target:
 * @name: what is measured
 * @value: the figure
 * @unit: its unit ("events/s", "us", "ratio", …)
 * @goal: whether @value must be at least or at most @target
 * @target: the target
 *
 * Prints the figure with its target and whether it is met, and appends it
 * to the results file.
 *
 * Returns: whether the target is met
 */
gboolean
fcm_bench_target (const char   *name,
                  double        value,
                  const char   *unit,
                  FcmBenchGoal  goal,
                  double        target)
{
  gboolean met = goal == FCM_BENCH_AT_LEAST ? value >= target : value <= target;
  const char *cmp = goal == FCM_BENCH_AT_LEAST ? ">=" : "<=";

  printf ("%-44s %12.2f %-9s target %s %-10g %s\n", name, value, unit, cmp, target,
          met ? "met" : "MISSED");
  fflush (stdout);
  record (NULL, name, value, unit, cmp, target, met ? "met" : "missed", NULL, 0);
  all_met = all_met && met;
  return met;
}

/**
 * fcm_bench_info:
 *
 * Like fcm_bench_target() for a figure without a target.
 */
void
fcm_bench_info (const char *name,
                double      value,
                const char *unit)
{
  printf ("%-44s %12.2f %s\n", name, value, unit);
  fflush (stdout);
  record (NULL, name, value, unit, NULL, 0, "info", NULL, 0);
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
 * meets the target, and appends it to the results file with "min", "max"
 * and "runs".
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
  double median = fcm_bench_record_median (runs, n_runs);
  double lo = INFINITY, hi = -INFINITY;
  gboolean met = TRUE;

  for (guint i = 0; i < n_runs; i++)
    {
      lo = MIN (lo, runs[i]);
      hi = MAX (hi, runs[i]);
    }
  if (comparison != NULL)
    met = g_str_equal (comparison, ">=") ? median >= target : median <= target;

  if (n_runs == 1)
    printf ("%-44s %10.1f %-16s", name, median, unit);
  else
    printf ("%-44s %10.1f %-16s median of %u runs (%.1f–%.1f)", name, median, unit, n_runs, lo, hi);
  if (comparison != NULL)
    printf ("  target %s %g  %s", comparison, target, met ? "met" : "MISSED");
  printf ("\n");
  fflush (stdout);

  record (bench, name, median, unit, comparison, target,
          comparison == NULL ? "info" : met ? "met" : "missed", runs, n_runs);
  all_met = all_met && met;
  return met;
}

gboolean
fcm_bench_all_met (void)
{
  return all_met;
}

static double
rusage_ms (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
         usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
}

/* user + system CPU time of this process */
double
fcm_bench_cpu_ms (void)
{
  return rusage_ms (RUSAGE_SELF);
}

/* of the children that have been waited for */
double
fcm_bench_children_cpu_ms (void)
{
  return rusage_ms (RUSAGE_CHILDREN);
}

/**
 * fcm_bench_pid_cpu_ms:
 *
 * Returns: user + system CPU time of a running process (from
 *   /proc/PID/stat, in clock ticks: 10 ms steps), or -1
 */
double
fcm_bench_pid_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return -1;
  /* after "(comm)": state is field 3; utime 14 and stime 15 */
  fields = g_strsplit (after + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

guint64
fcm_bench_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (p = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (p + 6, NULL, 10);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

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
  return fcm_bench_median (sorted, n);
}

/* sorts @values */
double
fcm_bench_median (double *values,
                  guint   n)
{
  if (n == 0)
    return NAN;
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* fcm-bench.h: how every benchmark reports a figure
 *
 * Each figure is printed as one aligned line and appended to the results
 * file as one JSON object per line:
 *
 *   {"bench":"bench-client","name":"client ingest","value":21034.5,
 *    "unit":"events/s","target":20000,"comparison":">=","result":"met",
 *    "run":"1764151230","at":"2026-11-26T10:00:30Z"}
 *
 * "result" is "met" or "missed" for a figure with a target and "info" for
 * one without ("target" and "comparison" are then null). "run" groups the
 * figures of one `make bench` (FCM_BENCH_RUN, set by the Makefile; else the
 * process start time), so medians over several runs can be taken from the
 * file. The file is $FCM_BENCH_JSON, else bench.json in the build directory
 * (two levels above the benchmark: BUILD/tests/bench/NAME).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FCM_BENCH_AT_LEAST,   /* value >= target */
  FCM_BENCH_AT_MOST,    /* value <= target */
} FcmBenchGoal;

void      fcm_bench_init        (const char   *bench_name);
gboolean  fcm_bench_target      (const char   *name,
                                 double        value,
                                 const char   *unit,
                                 FcmBenchGoal  goal,
                                 double        target);
void      fcm_bench_info        (const char   *name,
                                 double        value,
                                 const char   *unit);
gboolean  fcm_bench_all_met     (void);

/* a figure from several runs: its median, printed with the spread (min–max)
 * and recorded with "min", "max" and "runs" */
gboolean  fcm_bench_record      (const char   *bench,
                                 const char   *name,
                                 const char   *unit,
                                 const char   *comparison,
                                 double        target,
                                 const double *runs,
                                 guint         n_runs);
double    fcm_bench_record_median (const double *values,
                                   guint         n);

/* measuring */
double    fcm_bench_cpu_ms      (void);
double    fcm_bench_children_cpu_ms (void);
double    fcm_bench_pid_cpu_ms  (GPid          pid);
guint64   fcm_bench_rss_kb      (void);
double    fcm_bench_median      (double       *values,
                                 guint         n);

G_END_DECLS

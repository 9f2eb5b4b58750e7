/* fcm-bench-record.h: a figure from several runs, printed and recorded
 *
 * fcm_bench_record() appends one JSON object per line to the results file,
 * $FCM_BENCH_JSON or else bench.json in the build directory (two levels
 * above the benchmark binary, BUILD/tests/bench/NAME):
 *
 *   {"bench":"bench-hub","name":"fan-out 50 subscribers","value":61234,
 *    "unit":"notifications/s","target":50000,"comparison":">=","result":"met",
 *    "min":48000,"max":70000,"runs":[…],"run":"1764151230",
 *    "at":"2026-11-26T10:00:30Z"}
 *
 * "value" is the median of "runs"; "result" is "met"/"missed" against the
 * target, or "info" without one. "run" groups the figures of one `make
 * bench` ($FCM_BENCH_RUN, else the process start time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double    fcm_bench_record_median (const double *values,
                                   guint         n);

gboolean  fcm_bench_record        (const char   *bench,
                                   const char   *name,
                                   const char   *unit,
                                   const char   *comparison,
                                   double        target,
                                   const double *runs,
                                   guint         n_runs);

guint64   fcm_bench_record_rss_kb (void);

G_END_DECLS

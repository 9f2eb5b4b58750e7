/* fcm-probe-report.h: the probe reports: a table, NDJSON and JUnit XML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fcm-probe-result.h"

G_BEGIN_DECLS

/**
 * FcmProbeReportFlags:
 * @FCM_PROBE_REPORT_NONE: plain text; details for scenarios that did not pass
 * @FCM_PROBE_REPORT_COLOR: ANSI colours (for a terminal)
 * @FCM_PROBE_REPORT_VERBOSE: details (every check and the evidence) for every scenario
 */
typedef enum
{
  FCM_PROBE_REPORT_NONE    = 0,
  FCM_PROBE_REPORT_COLOR   = 1 << 0,
  FCM_PROBE_REPORT_VERBOSE = 1 << 1,
} FcmProbeReportFlags;

void   fcm_probe_report_count        (GListModel          *results,
                                      guint               *n_pass,
                                      guint               *n_warning,
                                      guint               *n_fail,
                                      guint               *n_skipped);
char  *fcm_probe_report_table_header (void) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_table_row    (FcmProbeResult      *result,
                                      FcmProbeReportFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_table        (GListModel          *results,
                                      FcmProbeReportFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_details      (FcmProbeResult      *result,
                                      FcmProbeReportFlags  flags) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_summary      (GListModel          *results) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_ndjson_line  (FcmProbeResult      *result) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_ndjson       (GListModel          *results) G_GNUC_WARN_UNUSED_RESULT;
char  *fcm_probe_report_junit        (GListModel          *results,
                                      const char          *suite_name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

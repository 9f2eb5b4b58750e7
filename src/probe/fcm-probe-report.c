/* fcm-probe-report.c: the probe reports: a table, NDJSON and JUnit XML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fcm-json-private.h"
#include "fcm-probe-report.h"

#define ID_WIDTH    20
#define RULES_WIDTH 21

static const char *
verdict_label (FcmProbeVerdict verdict)
{
  switch (verdict)
    {
    case FCM_PROBE_VERDICT_PASS:
      /* Translators: a verdict in the probe table; keep it short */
      return _("pass");
    case FCM_PROBE_VERDICT_WARNING:
      return _("warning");
    case FCM_PROBE_VERDICT_FAIL:
      /* Translators: a verdict in the probe table, in capitals to stand out */
      return _("FAIL");
    case FCM_PROBE_VERDICT_SKIPPED:
      return _("skipped");
    default:
      return "?";
    }
}

static const char *
verdict_color (FcmProbeVerdict verdict)
{
  switch (verdict)
    {
    case FCM_PROBE_VERDICT_PASS:
      return "\033[32m";
    case FCM_PROBE_VERDICT_WARNING:
      return "\033[33m";
    case FCM_PROBE_VERDICT_FAIL:
      return "\033[1;31m";
    case FCM_PROBE_VERDICT_SKIPPED:
      return "\033[2m";
    default:
      return "";
    }
}

void
fcm_probe_report_count (GListModel *results,
                        guint      *n_pass,
                        guint      *n_warning,
                        guint      *n_fail,
                        guint      *n_skipped)
{
  guint counts[4] = { 0, };

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);
      FcmProbeVerdict verdict = fcm_probe_result_get_verdict (result);

      if (verdict < G_N_ELEMENTS (counts))
        counts[verdict]++;
    }
  if (n_pass != NULL)
    *n_pass = counts[FCM_PROBE_VERDICT_PASS];
  if (n_warning != NULL)
    *n_warning = counts[FCM_PROBE_VERDICT_WARNING];
  if (n_fail != NULL)
    *n_fail = counts[FCM_PROBE_VERDICT_FAIL];
  if (n_skipped != NULL)
    *n_skipped = counts[FCM_PROBE_VERDICT_SKIPPED];
}

/**
 * fcm_probe_report_table_row:
 *
 * Returns: (transfer full): one line of the table (no newline): verdict,
 *   scenario id, rule ids, duration and, unless it passed, the reason
 */
char *
fcm_probe_report_table_row (FcmProbeResult      *result,
                            FcmProbeReportFlags  flags)
{
  FcmProbeVerdict verdict = fcm_probe_result_get_verdict (result);
  g_autofree char *rules = g_strjoinv (",", (char **) fcm_probe_result_get_rule_ids (result));
  gboolean color = (flags & FCM_PROBE_REPORT_COLOR) != 0;
  const char *label = verdict_label (verdict);
  GString *row = g_string_new (NULL);
  int pad = 8 - (int) g_utf8_strlen (label, -1);

  if (color)
    g_string_append (row, verdict_color (verdict));
  g_string_append (row, label);
  if (color)
    g_string_append (row, "\033[0m");
  g_string_append_printf (row, "%*s %-*s %-*s %6.2f s", MAX (pad, 0), "",
                          ID_WIDTH, fcm_probe_result_get_id (result),
                          RULES_WIDTH, rules, fcm_probe_result_get_duration (result));
  if (verdict != FCM_PROBE_VERDICT_PASS && fcm_probe_result_get_message (result)[0] != '\0')
    g_string_append_printf (row, "  %s", fcm_probe_result_get_message (result));
  return g_string_free (row, FALSE);
}

/**
 * fcm_probe_report_details:
 *
 * Returns: (transfer full): the scenario's title, its checks (only failed
 *   and warned ones unless %FCM_PROBE_REPORT_VERBOSE) and its evidence
 */
char *
fcm_probe_report_details (FcmProbeResult      *result,
                          FcmProbeReportFlags  flags)
{
  GPtrArray *findings = fcm_probe_result_get_findings (result);
  gboolean verbose = (flags & FCM_PROBE_REPORT_VERBOSE) != 0;
  g_auto(GStrv) lines = g_strsplit (fcm_probe_result_get_evidence (result), "\n", -1);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s (%s): %s\n", fcm_probe_result_get_id (result),
                          fcm_probe_result_get_title (result),
                          verdict_label (fcm_probe_result_get_verdict (result)));
  for (guint i = 0; i < findings->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (findings, i);
      FcmSeverity severity = fcm_issue_get_severity (issue);
      const char *mark = severity == FCM_SEVERITY_ERROR ? "✗" : severity == FCM_SEVERITY_WARNING ? "!" : "✓";

      if (severity == FCM_SEVERITY_INFO && !verbose)
        continue;
      g_string_append_printf (out, "  %s %s %s\n", mark, fcm_issue_get_rule_id (issue), fcm_issue_get_message (issue));
    }
  if (fcm_probe_result_get_verdict (result) == FCM_PROBE_VERDICT_SKIPPED)
    g_string_append_printf (out, "  - %s\n", fcm_probe_result_get_message (result));
  if (lines[0] != NULL && lines[0][0] != '\0')
    {
      g_string_append_printf (out, "  %s\n", _("evidence:"));
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_string_append_printf (out, "    %s\n", lines[i]);
    }
  return g_string_free (out, FALSE);
}

/**
 * fcm_probe_report_summary:
 *
 * Returns: (transfer full): "N scenarios: N passed, N warnings, N failed, N skipped"
 */
char *
fcm_probe_report_summary (GListModel *results)
{
  guint pass, warning, fail, skipped;

  fcm_probe_report_count (results, &pass, &warning, &fail, &skipped);
  return g_strdup_printf (_("%u scenarios: %u passed, %u with warnings, %u failed, %u skipped"),
                          g_list_model_get_n_items (results), pass, warning, fail, skipped);
}

/**
 * fcm_probe_report_table_header:
 *
 * Returns: (transfer full): the column titles of the table (no newline)
 */
char *
fcm_probe_report_table_header (void)
{
  return g_strdup_printf ("%-8s %-*s %-*s %8s", _("VERDICT"), ID_WIDTH, _("SCENARIO"),
                          RULES_WIDTH, _("RULES"), _("TIME"));
}

/**
 * fcm_probe_report_table:
 *
 * Returns: (transfer full): the readable report: a header, one row per
 *   scenario, the summary, then the details of every scenario that did not
 *   pass (of all with %FCM_PROBE_REPORT_VERBOSE)
 */
char *
fcm_probe_report_table (GListModel          *results,
                        FcmProbeReportFlags  flags)
{
  GString *out = g_string_new (NULL);
  g_autofree char *summary = fcm_probe_report_summary (results);
  g_autofree char *header = fcm_probe_report_table_header ();
  guint n = g_list_model_get_n_items (results);

  g_string_append_printf (out, "%s\n", header);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);
      g_autofree char *row = fcm_probe_report_table_row (result, flags);

      g_string_append_printf (out, "%s\n", row);
    }
  g_string_append_printf (out, "\n%s\n", summary);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);

      if ((flags & FCM_PROBE_REPORT_VERBOSE) || fcm_probe_result_get_verdict (result) != FCM_PROBE_VERDICT_PASS)
        {
          g_autofree char *details = fcm_probe_report_details (result, flags);

          g_string_append_printf (out, "\n%s", details);
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * fcm_probe_report_ndjson_line:
 *
 * Returns: (transfer full): fcm_probe_result_to_json() as one line of
 *   compact JSON, without the newline
 */
char *
fcm_probe_report_ndjson_line (FcmProbeResult *result)
{
  g_autoptr(JsonNode) node = fcm_probe_result_to_json (result);

  return fcm_json_to_string (node, FALSE);
}

/* Returns: (transfer full): one line per result, each ending with a newline */
char *
fcm_probe_report_ndjson (GListModel *results)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);
      g_autofree char *line = fcm_probe_report_ndjson_line (result);

      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

/**
 * fcm_probe_report_junit:
 * @suite_name: the test suite's name ("fhircast probe hub", …)
 *
 * Returns: (transfer full): a JUnit XML document: one testcase per
 *   scenario (classname `fhircast.probe.KIND`, name the scenario id), a
 *   `failure` (type: the failed rule ids) or `skipped` element, and the
 *   checks and the evidence as `system-out`. Warnings count as passed.
 */
char *
fcm_probe_report_junit (GListModel *results,
                        const char *suite_name)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  guint n = g_list_model_get_n_items (results);
  guint fail, skipped;
  double total = 0;

  fcm_probe_report_count (results, NULL, NULL, &fail, &skipped);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);

      total += fcm_probe_result_get_duration (result);
    }

  g_string_append (out, "<testsuites name=\"");
  append_escaped (out, suite_name);
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"%.3f\">\n",
                          n, fail, skipped, total);
  g_string_append (out, "  <testsuite name=\"");
  append_escaped (out, suite_name);
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"%.3f\">\n",
                          n, fail, skipped, total);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FcmProbeResult) result = g_list_model_get_item (results, i);
      FcmProbeVerdict verdict = fcm_probe_result_get_verdict (result);
      g_autofree char *details = fcm_probe_report_details (result, FCM_PROBE_REPORT_VERBOSE);
      g_auto(GStrv) failed = fcm_probe_result_dup_failed_rules (result);
      g_autofree char *failed_text = g_strjoinv (",", failed);

      g_string_append_printf (out, "    <testcase classname=\"fhircast.probe.%s\" name=\"",
                              fcm_probe_result_get_kind (result));
      append_escaped (out, fcm_probe_result_get_id (result));
      g_string_append_printf (out, "\" time=\"%.3f\">\n", fcm_probe_result_get_duration (result));
      if (verdict == FCM_PROBE_VERDICT_FAIL)
        {
          g_string_append (out, "      <failure message=\"");
          append_escaped (out, fcm_probe_result_get_message (result));
          g_string_append (out, "\" type=\"");
          append_escaped (out, failed_text);
          g_string_append (out, "\"/>\n");
        }
      else if (verdict == FCM_PROBE_VERDICT_SKIPPED)
        {
          g_string_append (out, "      <skipped message=\"");
          append_escaped (out, fcm_probe_result_get_message (result));
          g_string_append (out, "\"/>\n");
        }
      g_string_append (out, "      <system-out>");
      append_escaped (out, details);
      g_string_append (out, "</system-out>\n");
      g_string_append (out, "    </testcase>\n");
    }
  g_string_append (out, "  </testsuite>\n</testsuites>\n");
  return g_string_free (out, FALSE);
}

/* fcm-probe-result.h: the outcome of one conformance probe scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fcm-issue.h"

G_BEGIN_DECLS

/**
 * FcmProbeVerdict:
 * @FCM_PROBE_VERDICT_PASS: every check held
 * @FCM_PROBE_VERDICT_WARNING: passed, but a SHOULD or a recommendation was not met
 * @FCM_PROBE_VERDICT_FAIL: a rule was broken (see the result's findings for which)
 * @FCM_PROBE_VERDICT_SKIPPED: the scenario could not run (a prerequisite failed,
 *   or the peer does not do what it needs)
 *
 * Ordered from best to worst, except that a failure outranks a skip.
 */
typedef enum
{
  FCM_PROBE_VERDICT_PASS,
  FCM_PROBE_VERDICT_WARNING,
  FCM_PROBE_VERDICT_FAIL,
  FCM_PROBE_VERDICT_SKIPPED,
} FcmProbeVerdict;

#define FCM_TYPE_PROBE_VERDICT (fcm_probe_verdict_get_type ())
GType        fcm_probe_verdict_get_type   (void) G_GNUC_CONST;
const char  *fcm_probe_verdict_to_string  (FcmProbeVerdict verdict);

/**
 * FcmProbeScenarioInfo:
 * @id: stable id (`discovery`, `ack-refused`, …), used by `--only`
 * @title: short translatable title
 * @rules: comma-separated rule ids of the spec digest the scenario checks
 * @summary: one translatable sentence: what the scenario does
 */
typedef struct
{
  const char *id;
  const char *title;
  const char *rules;
  const char *summary;
} FcmProbeScenarioInfo;

#define FCM_TYPE_PROBE_RESULT (fcm_probe_result_get_type ())

G_DECLARE_FINAL_TYPE (FcmProbeResult, fcm_probe_result, FCM, PROBE_RESULT, GObject)

FcmProbeResult     *fcm_probe_result_new              (const char      *kind,
                                                       const char      *id,
                                                       const char      *title,
                                                       const char      *rules) G_GNUC_WARN_UNUSED_RESULT;
const char         *fcm_probe_result_get_kind         (FcmProbeResult  *self);
const char         *fcm_probe_result_get_id           (FcmProbeResult  *self);
const char         *fcm_probe_result_get_title        (FcmProbeResult  *self);
const char * const *fcm_probe_result_get_rule_ids     (FcmProbeResult  *self);
FcmProbeVerdict     fcm_probe_result_get_verdict      (FcmProbeResult  *self);
const char         *fcm_probe_result_get_message      (FcmProbeResult  *self);
const char         *fcm_probe_result_get_evidence     (FcmProbeResult  *self);
double              fcm_probe_result_get_duration     (FcmProbeResult  *self);
GPtrArray          *fcm_probe_result_get_findings     (FcmProbeResult  *self);
char              **fcm_probe_result_dup_failed_rules (FcmProbeResult  *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean            fcm_probe_result_has_failed_rule  (FcmProbeResult  *self,
                                                       const char      *rule_id);

void                fcm_probe_result_add_finding      (FcmProbeResult  *self,
                                                       FcmSeverity      severity,
                                                       const char      *rule_id,
                                                       const char      *message);
void                fcm_probe_result_skip             (FcmProbeResult  *self,
                                                       const char      *reason);
void                fcm_probe_result_append_evidence  (FcmProbeResult  *self,
                                                       const char      *line);
void                fcm_probe_result_set_duration     (FcmProbeResult  *self,
                                                       double           seconds);

JsonNode           *fcm_probe_result_to_json          (FcmProbeResult  *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS

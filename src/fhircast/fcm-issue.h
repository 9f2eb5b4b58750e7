/* fcm-issue.h: one finding of the FHIRcast message validator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * FcmSeverity:
 * @FCM_SEVERITY_INFO: worth knowing, nothing wrong
 * @FCM_SEVERITY_WARNING: tolerated deviation (legacy form, spec ambiguity, peer habit)
 * @FCM_SEVERITY_ERROR: the message breaks a SHALL of the spec
 */
typedef enum
{
  FCM_SEVERITY_INFO,
  FCM_SEVERITY_WARNING,
  FCM_SEVERITY_ERROR,
} FcmSeverity;

#define FCM_TYPE_SEVERITY (fcm_severity_get_type ())
GType fcm_severity_get_type (void) G_GNUC_CONST;

#define FCM_TYPE_ISSUE (fcm_issue_get_type ())

G_DECLARE_FINAL_TYPE (FcmIssue, fcm_issue, FCM, ISSUE, GObject)

FcmIssue    *fcm_issue_new            (FcmSeverity  severity,
                                       const char  *rule_id,
                                       const char  *path,
                                       const char  *message) G_GNUC_WARN_UNUSED_RESULT;
FcmSeverity  fcm_issue_get_severity   (FcmIssue    *self);
const char  *fcm_issue_get_rule_id    (FcmIssue    *self);
const char  *fcm_issue_get_path       (FcmIssue    *self);
const char  *fcm_issue_get_message    (FcmIssue    *self);
JsonNode    *fcm_issue_to_json        (FcmIssue    *self) G_GNUC_WARN_UNUSED_RESULT;

const char  *fcm_severity_to_string   (FcmSeverity  severity);
gboolean     fcm_issues_have_errors   (GPtrArray   *issues);

G_END_DECLS

/* fcm-test-validator-util.h: validating text and reading issues, for the test-validator* programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fcm-fhircast.h"

G_BEGIN_DECLS

#define ANY          FCM_VALIDATOR_ROLE_ANY
#define REQUEST      FCM_VALIDATOR_ROLE_REQUEST
#define NOTIFICATION FCM_VALIDATOR_ROLE_NOTIFICATION

#define ERROR   FCM_SEVERITY_ERROR
#define WARNING FCM_SEVERITY_WARNING
#define INFO    FCM_SEVERITY_INFO

char      *describe_issues           (GPtrArray         *issues);
FcmIssue  *find_issue                (GPtrArray         *issues,
                                      const char        *rule,
                                      FcmSeverity        severity,
                                      const char        *path);
void       assert_issues_well_formed (GPtrArray         *issues);
GPtrArray *validate_text             (FcmValidatorRole   role,
                                      const char        *text,
                                      gssize             length,
                                      FcmMessageKind    *out_kind);

G_END_DECLS

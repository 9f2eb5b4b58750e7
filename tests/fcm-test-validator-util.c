/* fcm-test-validator-util.c: validating text and reading issues, for the test-validator* programs
 *
 * Shared by test-validator.c, test-validator-garbage.c and
 * test-validator-api.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-test-validator-util.h"

char *
describe_issues (GPtrArray *issues)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      g_string_append_printf (s, "\n  %s %s %s: %s",
                              fcm_severity_to_string (fcm_issue_get_severity (issue)),
                              fcm_issue_get_rule_id (issue),
                              fcm_issue_get_path (issue),
                              fcm_issue_get_message (issue));
    }

  return g_string_free (s, FALSE);
}

FcmIssue *
find_issue (GPtrArray   *issues,
            const char  *rule,
            FcmSeverity  severity,
            const char  *path)
{
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      if (g_strcmp0 (fcm_issue_get_rule_id (issue), rule) == 0 &&
          fcm_issue_get_severity (issue) == severity &&
          (path == NULL || g_strcmp0 (fcm_issue_get_path (issue), path) == 0))
        return issue;
    }

  return NULL;
}

/* Every issue is well-formed: a rule id, a JSON path, a bounded message. */
void
assert_issues_well_formed (GPtrArray *issues)
{
  g_assert_nonnull (issues);

  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);
      const char *rule = fcm_issue_get_rule_id (issue);

      g_assert_true (FCM_IS_ISSUE (issue));
      g_assert_true (g_str_equal (rule, "JSON") ||
                     (strlen (rule) == 4 && (rule[0] == 'C' || rule[0] == 'H') && rule[1] == '-' &&
                      g_ascii_isdigit (rule[2]) && g_ascii_isdigit (rule[3])));
      g_assert_true (g_str_has_prefix (fcm_issue_get_path (issue), "$"));
      g_assert_cmpuint (strlen (fcm_issue_get_path (issue)), <, 1024);
      g_assert_cmpuint (strlen (fcm_issue_get_message (issue)), >, 0);
      g_assert_cmpuint (strlen (fcm_issue_get_message (issue)), <, 2048);
      g_assert_true (g_utf8_validate (fcm_issue_get_message (issue), -1, NULL));
    }
}

GPtrArray *
validate_text (FcmValidatorRole  role,
               const char       *text,
               gssize            length,
               FcmMessageKind   *out_kind)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  GPtrArray *issues;

  fcm_validator_set_role (validator, role);
  issues = fcm_validator_validate_text (validator, text, length, out_kind);
  assert_issues_well_formed (issues);

  return issues;
}

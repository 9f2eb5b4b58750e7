/* fcm-validator-syncerror.c: the syncerror event
 *
 * The OperationOutcome a syncerror carries: severity, code, diagnostics and
 * the event id / event name / subscriber name codings, read by system or
 * by position (C-59 … C-64, H-36).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fcm-json-private.h"
#include "fcm-validator-private.h"

#define SYNCERROR_SYSTEM    "https://fhircast.hl7.org/events/syncerror/"

typedef enum
{
  CODING_EVENT_ID,
  CODING_EVENT_NAME,
  CODING_SUBSCRIBER_NAME,
  N_CODINGS
} CodingRole;

static gint
coding_role_from_system (const char *system,
                         gboolean   *out_old_spelling)
{
  const char *slash;

  *out_old_spelling = FALSE;

  if (system == NULL || (slash = strrchr (system, '/')) == NULL ||
      strstr (system, "/syncerror/") == NULL)
    return -1;

  slash++;
  if (strcmp (slash, "eventid") == 0)
    return CODING_EVENT_ID;
  if (strcmp (slash, "eventname") == 0)
    return CODING_EVENT_NAME;
  if (strcmp (slash, "subscribername") == 0)
    return CODING_SUBSCRIBER_NAME;
  if (strcmp (slash, "subscriber") == 0)
    {
      *out_old_spelling = TRUE;
      return CODING_SUBSCRIBER_NAME;
    }

  return -1;
}

void
fcm_check_syncerror (FcmCheck     *c,
                     FcmEventInfo *ev)
{
  static const char * const coding_names[N_CODINGS] = { "eventid", "eventname", "subscribername" };
  static const char * const coding_meaning[N_CODINGS] = {
    N_("the id of the event that caused the error"),
    N_("the name of the event that caused the error"),
    N_("the subscriber.name of the subscriber that caused the error"),
  };
  const char *rule = c->role == FCM_VALIDATOR_ROLE_REQUEST ? "C-60" : "H-36";
  g_autofree char *item_path = NULL;
  g_autofree char *res_path = NULL;
  g_autofree char *issue_array_path = NULL;
  g_autofree char *issue_path = NULL;
  g_autofree char *details_path = NULL;
  g_autofree char *coding_path = NULL;
  const FcmJson *item;
  const FcmJson *outcome;
  const FcmJson *issues;
  const FcmJson *issue;
  const FcmJson *details;
  const FcmJson *codings;
  const FcmJson *found[N_CODINGS] = { NULL, };
  guint found_index[N_CODINGS] = { 0, };
  const char *resource_type;
  const char *severity;
  const char *code;
  guint idx = 0;
  guint n = 0;

  if (!(item = fcm_find_item (ev->context, "operationoutcome", &idx)))
    {
      fcm_check_add (c, ERROR, rule, ev->ctx_path,
                     _("A syncerror needs an 'operationoutcome' context item holding an "
                       "OperationOutcome (IRA answers 400 without it, H-15)"));
      return;
    }

  item_path = fcm_path_index (ev->ctx_path, idx);
  res_path = fcm_path_member (item_path, "resource");

  if (!(outcome = fcm_doc_get_object (item, "resource")))
    {
      if (fcm_get_member (item, "resource") == NULL)
        fcm_check_add (c, ERROR, rule, res_path,
                       _("'operationoutcome' must hold the OperationOutcome as 'resource'"));
      return;
    }

  resource_type = fcm_doc_get_string (outcome, "resourceType");
  if (resource_type == NULL)
    return;
  if (strcmp (resource_type, "OperationOutcome") != 0)
    {
      g_autofree char *type_path = fcm_path_member (res_path, "resourceType");

      fcm_check_add (c, ERROR, rule, type_path,
                     _("'operationoutcome' must be an OperationOutcome, got '%.*s%s'"),
                     SHOW (resource_type));
      return;
    }

  issue_array_path = fcm_path_member (res_path, "issue");
  issues = fcm_check_read_array (c, outcome, res_path, "issue", rule);
  if (fcm_doc_first (issues) == NULL)
    {
      if (issues != NULL || fcm_get_member (outcome, "issue") == NULL)
        fcm_check_add (c, ERROR, rule, issue_array_path,
                       _("The OperationOutcome needs at least one 'issue'"));
      return;
    }

  issue_path = fcm_path_index (issue_array_path, 0);
  if (!(issue = fcm_as_object (fcm_doc_first (issues))))
    {
      fcm_check_add (c, ERROR, rule, issue_path, _("issue[0] must be an object, got %s"),
                     fcm_doc_type_name (fcm_doc_first (issues)));
      return;
    }

  severity = fcm_check_require_string (c, issue, issue_path, "severity", rule, ERROR,
                                       N_("'warning' (FC STU3) or 'information' (IRA)"));
  if (severity != NULL)
    {
      g_autofree char *severity_path = fcm_path_member (issue_path, "severity");

      if (strcmp (severity, "information") == 0)
        fcm_check_add (c, WARNING, "C-64", severity_path,
                       _("syncerror severity 'information' follows IRA/the pre-2024 FC profile; FC "
                         "STU3 fixes 'warning' (digest §4.3 item 3). Both are accepted"));
      else if (strcmp (severity, "warning") != 0)
        fcm_check_add (c, ERROR, rule, severity_path,
                       _("syncerror severity must be 'warning' (FC STU3) or 'information' (IRA), "
                         "got '%.*s%s'"), SHOW (severity));
    }

  code = fcm_check_require_string (c, issue, issue_path, "code", rule, ERROR, N_("'processing'"));
  if (code != NULL && strcmp (code, "processing") != 0)
    {
      g_autofree char *code_path = fcm_path_member (issue_path, "code");

      if (strcmp (code, "too-long") == 0)
        fcm_check_add (c, INFO, "C-59", code_path,
                       _("issue.code 'too-long': the subscriber could not handle the bundle size"));
      else
        fcm_check_add (c, WARNING, rule, code_path,
                       _("syncerror issue.code is 'processing', got '%.*s%s'"), SHOW (code));
    }

  fcm_check_require_string (c, issue, issue_path, "diagnostics", rule, ERROR,
                            N_("a human-readable description is required"));

  details_path = fcm_path_member (issue_path, "details");
  details = fcm_check_read_object (c, issue, issue_path, "details", rule);
  if (details == NULL)
    {
      if (fcm_get_member (issue, "details") == NULL)
        fcm_check_add (c, ERROR, rule, details_path,
                       _("issue[0] needs 'details.coding' with the event id, event name and "
                         "subscriber name"));
      return;
    }

  coding_path = fcm_path_member (details_path, "coding");
  codings = fcm_check_read_array (c, details, details_path, "coding", rule);
  if (codings == NULL)
    {
      if (fcm_get_member (details, "coding") == NULL)
        fcm_check_add (c, ERROR, rule, coding_path,
                       _("details needs 'coding' with the event id, event name and subscriber "
                         "name"));
      return;
    }

  /* Read by system (both subscriber spellings), fall back to position (IRA
   * defines the codings by index): digest §4.3 item 4. */
  FCM_DOC_FOREACH (codings, element)
    {
      const FcmJson *coding = fcm_as_object (element);
      guint i = n++;
      gboolean old_spelling;
      gint role;

      if (coding == NULL)
        {
          g_autofree char *one_path = fcm_path_index (coding_path, i);

          fcm_check_add (c, ERROR, rule, one_path, _("A coding must be an object, got %s"),
                         fcm_doc_type_name (element));
          continue;
        }

      role = coding_role_from_system (fcm_doc_get_string (coding, "system"), &old_spelling);
      if (role < 0 || found[role] != NULL)
        continue;

      found[role] = coding;
      found_index[role] = i;

      if (old_spelling)
        {
          g_autofree char *system_path = NULL;
          g_autofree char *one_path = fcm_path_index (coding_path, i);

          system_path = fcm_path_member (one_path, "system");
          fcm_check_add (c, INFO, "C-63", system_path,
                         _("The subscriber coding uses the system '…/syncerror/subscriber' of the "
                           "FC §3.2.1 example; the FC profile spells it "
                           "'…/syncerror/subscribername' (digest §4.3 item 4)"));
        }
    }

  for (guint r = 0; r < N_CODINGS; r++)
    {
      g_autofree char *one_path = NULL;
      const char *value;

      if (found[r] == NULL)
        {
          const FcmJson *coding = fcm_as_object (fcm_doc_index (codings, r));
          gboolean old_spelling;

          if (coding != NULL &&
              coding_role_from_system (fcm_doc_get_string (coding, "system"), &old_spelling) < 0)
            {
              found[r] = coding;
              found_index[r] = r;
              one_path = fcm_path_index (coding_path, r);
              fcm_check_add (c, WARNING, "C-63", one_path,
                             _("No coding with system %s%s; read %s from position %u (IRA defines "
                               "the codings by index)"), SYNCERROR_SYSTEM, coding_names[r],
                             coding_names[r], r);
            }
          else
            {
              fcm_check_add (c, ERROR, rule, coding_path,
                             _("details.coding lacks the %s coding (%s%s): %s"),
                             coding_names[r], SYNCERROR_SYSTEM, coding_names[r],
                             _(coding_meaning[r]));
              continue;
            }
        }

      if (one_path == NULL)
        one_path = fcm_path_index (coding_path, found_index[r]);

      value = fcm_check_require_string (c, found[r], one_path, "code", rule, ERROR,
                                        coding_meaning[r]);

      if (r == CODING_EVENT_NAME && value != NULL && c->role == FCM_VALIDATOR_ROLE_REQUEST &&
          (g_str_has_suffix (value, "-update") || g_str_has_suffix (value, "-select") ||
           g_str_has_suffix (value, "-UPDATE") || g_str_has_suffix (value, "-SELECT")))
        {
          g_autofree char *code_path = fcm_path_member (one_path, "code");

          fcm_check_add (c, WARNING, "C-61", code_path,
                         _("Subscribers must not use syncerror to reject %.*s%s (no syncerror for "
                           "*-update or *-select)"), SHOW (value));
        }
    }
}

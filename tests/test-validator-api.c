/* test-validator-api.c: FcmIssue and the FcmValidator API
 *
 * Issues' accessors, the validator's settings, validating an event object
 * and a subscription form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"
#include "fcm-test-validator-util.h"

/* ------------------------------------------------------------------------ */
/* API                                                                      */
/* ------------------------------------------------------------------------ */

static void
test_issue_api (void)
{
  g_autoptr(FcmIssue) issue = fcm_issue_new (WARNING, "C-64", "$.event", "severity 'information'");
  g_autoptr(FcmIssue) error = fcm_issue_new (ERROR, "C-46", NULL, "no study");
  g_autoptr(JsonNode) node = fcm_issue_to_json (issue);
  g_autoptr(GPtrArray) issues = g_ptr_array_new ();
  g_autofree char *rule = NULL;
  g_autofree char *path = NULL;
  FcmSeverity severity;
  JsonObject *obj;

  g_assert_cmpint (fcm_issue_get_severity (issue), ==, WARNING);
  g_assert_cmpstr (fcm_issue_get_rule_id (issue), ==, "C-64");
  g_assert_cmpstr (fcm_issue_get_path (issue), ==, "$.event");
  g_assert_cmpstr (fcm_issue_get_message (issue), ==, "severity 'information'");
  g_assert_cmpstr (fcm_issue_get_path (error), ==, "$");

  g_object_get (issue, "severity", &severity, "rule-id", &rule, "path", &path, NULL);
  g_assert_cmpint (severity, ==, WARNING);
  g_assert_cmpstr (rule, ==, "C-64");
  g_assert_cmpstr (path, ==, "$.event");

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  obj = json_node_get_object (node);
  g_assert_cmpstr (fcm_json_get_string (obj, "severity"), ==, "warning");
  g_assert_cmpstr (fcm_json_get_string (obj, "rule"), ==, "C-64");
  g_assert_cmpstr (fcm_json_get_string (obj, "path"), ==, "$.event");
  g_assert_cmpstr (fcm_json_get_string (obj, "message"), ==, "severity 'information'");

  g_assert_cmpstr (fcm_severity_to_string (ERROR), ==, "error");
  g_assert_cmpstr (fcm_severity_to_string (WARNING), ==, "warning");
  g_assert_cmpstr (fcm_severity_to_string (INFO), ==, "info");

  g_assert_false (fcm_issues_have_errors (NULL));
  g_assert_false (fcm_issues_have_errors (issues));
  g_ptr_array_add (issues, issue);
  g_assert_false (fcm_issues_have_errors (issues));
  g_ptr_array_add (issues, error);
  g_assert_true (fcm_issues_have_errors (issues));
}

static void
test_validator_api (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GPtrArray) issues = NULL;
  FcmValidatorRole role = ANY;
  FcmMessageKind kind = FCM_MESSAGE_EVENT;
  GEnumClass *klass;

  g_assert_cmpint (fcm_validator_get_role (validator), ==, ANY);
  g_object_set (validator, "role", NOTIFICATION, NULL);
  g_object_get (validator, "role", &role, NULL);
  g_assert_cmpint (role, ==, NOTIFICATION);
  fcm_validator_set_role (validator, REQUEST);
  g_assert_cmpint (fcm_validator_get_role (validator), ==, REQUEST);

  g_assert_cmpint (fcm_validator_classify (NULL), ==, FCM_MESSAGE_UNKNOWN);
  issues = fcm_validator_validate (validator, NULL, &kind);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_UNKNOWN);
  g_assert_true (fcm_issues_have_errors (issues));

  g_assert_cmpstr (fcm_message_kind_to_string (FCM_MESSAGE_EVENT), ==, "event");
  g_assert_cmpstr (fcm_message_kind_to_string (FCM_MESSAGE_CONFIRMATION), ==, "confirmation");
  g_assert_cmpstr (fcm_message_kind_to_string (FCM_MESSAGE_CURRENT_CONTEXT), ==, "current-context");

  /* the GEnum nicks and the string names agree */
  klass = g_type_class_ref (FCM_TYPE_MESSAGE_KIND);
  for (guint i = 0; i < klass->n_values; i++)
    g_assert_cmpstr (klass->values[i].value_nick, ==,
                     fcm_message_kind_to_string (klass->values[i].value));
  g_type_class_unref (klass);

  g_assert_true (G_TYPE_IS_ENUM (FCM_TYPE_SEVERITY));
  g_assert_true (G_TYPE_IS_ENUM (FCM_TYPE_VALIDATOR_ROLE));
}

static void
test_validate_event_object (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autofree char *open = fcm_test_load_text ("data", "vectors",
                                              "diagnosticreport-open.json", NULL);
  g_autofree char *proto = fcm_test_load_text ("data", "vectors",
                                               "proto2019-notification.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event1 = fcm_event_new_from_json (open, -1, &error);
  g_autoptr(FcmEvent) event2 = NULL;
  g_autoptr(FcmEvent) event3 = NULL;
  g_autoptr(GPtrArray) issues1 = NULL;
  g_autoptr(GPtrArray) issues2 = NULL;
  g_autoptr(GPtrArray) issues3 = NULL;

  g_assert_no_error (error);
  issues1 = fcm_validator_validate_event (validator, event1);
  g_assert_cmpuint (issues1->len, ==, 0);

  event2 = fcm_event_new_from_json (proto, -1, &error);
  g_assert_no_error (error);
  issues2 = fcm_validator_validate_event (validator, event2);
  g_assert_false (fcm_issues_have_errors (issues2));
  g_assert_nonnull (find_issue (issues2, "C-25", WARNING, "$"));
  g_assert_nonnull (find_issue (issues2, "C-14", WARNING, "$.body.event['hub.event']"));

  /* an event built in code without any context */
  event3 = fcm_event_new ("e-1", NULL, "topic", "DiagnosticReport-open", NULL, NULL, NULL);
  issues3 = fcm_validator_validate_event (validator, event3);
  g_assert_nonnull (find_issue (issues3, "C-46", ERROR, "$.event.context"));
  assert_issues_well_formed (issues3);
}

static void
test_validate_form (void)
{
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ok = NULL;
  g_autoptr(GPtrArray) medplum = NULL;
  g_autoptr(GPtrArray) broken = NULL;
  g_autoptr(GPtrArray) unsub = NULL;
  g_autoptr(GPtrArray) nothing = NULL;

  g_hash_table_insert (form, (char *) "hub.channel.type", (char *) "websocket");
  g_hash_table_insert (form, (char *) "hub.mode", (char *) "subscribe");
  g_hash_table_insert (form, (char *) "hub.topic", (char *) "7d3f2a9e");
  g_hash_table_insert (form, (char *) "hub.events",
                       (char *) "DiagnosticReport-open, diagnosticreport-close,"
                                "DiagnosticReport-update,DiagnosticReport-select,SyncError");
  g_hash_table_insert (form, (char *) "subscriber.name", (char *) "Desk Watcher GTK");
  g_hash_table_insert (form, (char *) "hub.lease_seconds", (char *) "7200");
  ok = fcm_validator_validate_form (validator, form);
  g_assert_cmpuint (ok->len, ==, 0);

  g_hash_table_remove (form, "subscriber.name");
  g_hash_table_remove (form, "hub.lease_seconds");
  medplum = fcm_validator_validate_form (validator, form);
  g_assert_false (fcm_issues_have_errors (medplum));
  g_assert_nonnull (find_issue (medplum, "C-12", WARNING, "$['subscriber.name']"));

  /* duplicates (case-insensitive), wildcard, NULL value, bad lease */
  g_hash_table_insert (form, (char *) "hub.events", (char *) "Patient-open,patient-OPEN,*-open");
  g_hash_table_insert (form, (char *) "subscriber.name", NULL);
  g_hash_table_insert (form, (char *) "hub.lease_seconds", (char *) "99999999999999999999999");
  g_hash_table_insert (form, (char *) "hub.channel.endpoint", (char *) "wss://hub/x\n");
  broken = fcm_validator_validate_form (validator, form);
  assert_issues_well_formed (broken);
  g_assert_nonnull (find_issue (broken, "C-13", WARNING, "$['hub.events']"));
  g_assert_nonnull (find_issue (broken, "C-13", ERROR, "$['hub.events']"));
  g_assert_nonnull (find_issue (broken, "H-05", ERROR, "$['subscriber.name']"));
  g_assert_nonnull (find_issue (broken, "C-12", ERROR, "$['hub.lease_seconds']"));
  g_assert_nonnull (find_issue (broken, "C-12", WARNING, "$['hub.channel.endpoint']"));

  g_hash_table_remove_all (form);
  g_hash_table_insert (form, (char *) "hub.mode", (char *) "unsubscribe");
  g_hash_table_insert (form, (char *) "hub.channel.type", (char *) "websocket");
  g_hash_table_insert (form, (char *) "hub.topic", (char *) "");
  unsub = fcm_validator_validate_form (validator, form);
  g_assert_nonnull (find_issue (unsub, "H-14", ERROR, "$['hub.topic']"));
  g_assert_nonnull (find_issue (unsub, "H-14", ERROR, "$['hub.channel.endpoint']"));

  nothing = fcm_validator_validate_form (validator, NULL);
  g_assert_true (fcm_issues_have_errors (nothing));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/validator/issue/api", test_issue_api);
  g_test_add_func ("/fcm/validator/api", test_validator_api);
  g_test_add_func ("/fcm/validator/event-object", test_validate_event_object);
  g_test_add_func ("/fcm/validator/form", test_validate_form);

  return g_test_run ();
}

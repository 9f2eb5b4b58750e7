/* test-validator.c: FcmValidator and FcmIssue
 *
 * - every spec vector validates without errors and is classified as expected;
 * - every file in data/invalid/ yields the issue its table row names (rule id,
 *   severity, JSON path); rows with a warning/info severity are the digest's
 *   ambiguities and tolerated peer habits and must yield no error at all;
 * - garbage, huge and deeply nested input, and every vector with each node
 *   mutated or removed, gives issues and never a crash or a GLib critical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

#define ANY          FCM_VALIDATOR_ROLE_ANY
#define REQUEST      FCM_VALIDATOR_ROLE_REQUEST
#define NOTIFICATION FCM_VALIDATOR_ROLE_NOTIFICATION

#define ERROR   FCM_SEVERITY_ERROR
#define WARNING FCM_SEVERITY_WARNING
#define INFO    FCM_SEVERITY_INFO

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static char *
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

static FcmIssue *
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
static void
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

static GPtrArray *
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

/* ------------------------------------------------------------------------ */
/* (1) spec vectors: no errors, expected kind                               */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char       *file;
  FcmMessageKind    kind;
  FcmValidatorRole  role;   /* the role the message naturally has */
} VectorCase;

static const VectorCase vector_cases[] = {
  { "backport-bind-with-token.json", FCM_MESSAGE_BACKPORT, ANY },
  { "backport-get-ws-binding-token-response.json", FCM_MESSAGE_BACKPORT, ANY },
  { "backport-handshake.json", FCM_MESSAGE_BACKPORT, ANY },
  { "backport-heartbeat.json", FCM_MESSAGE_BACKPORT, ANY },
  { "diagnosticreport-close.json", FCM_MESSAGE_EVENT, REQUEST },
  { "diagnosticreport-open-event.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "diagnosticreport-open.json", FCM_MESSAGE_EVENT, REQUEST },
  { "diagnosticreport-select.json", FCM_MESSAGE_EVENT, REQUEST },
  { "diagnosticreport-update-event.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "diagnosticreport-update-request.json", FCM_MESSAGE_EVENT, REQUEST },
  { "get-current-context-empty.json", FCM_MESSAGE_CURRENT_CONTEXT, ANY },
  { "get-current-context-response.json", FCM_MESSAGE_CURRENT_CONTEXT, ANY },
  { "heartbeat.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "proto2019-get-current-context-response.json", FCM_MESSAGE_CURRENT_CONTEXT, ANY },
  { "proto2019-gettopic.json", FCM_MESSAGE_GETTOPIC, ANY },
  { "proto2019-notification.json", FCM_MESSAGE_LEGACY_EVENT, NOTIFICATION },
  { "proto2019-subscribe-request.json", FCM_MESSAGE_SUBSCRIPTION_REQUEST, ANY },
  { "proto2019-ws-status.json", FCM_MESSAGE_LEGACY_STATUS, ANY },
  { "subscription-confirmation.json", FCM_MESSAGE_CONFIRMATION, ANY },
  { "subscription-denial.json", FCM_MESSAGE_DENIAL, ANY },
  { "subscription-renewal-request.json", FCM_MESSAGE_SUBSCRIPTION_REQUEST, ANY },
  { "subscription-request.json", FCM_MESSAGE_SUBSCRIPTION_REQUEST, ANY },
  { "subscription-response.json", FCM_MESSAGE_SUBSCRIPTION_RESPONSE, ANY },
  { "syncerror-hub-connection.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "syncerror-hub.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "syncerror-subscriber.json", FCM_MESSAGE_EVENT, REQUEST },
  { "unsubscribe-request.json", FCM_MESSAGE_SUBSCRIPTION_REQUEST, ANY },
  { "unsubscribe-response.json", FCM_MESSAGE_SUBSCRIPTION_RESPONSE, ANY },
  { "userhibernate.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "userlogout.json", FCM_MESSAGE_EVENT, NOTIFICATION },
  { "websocket-ack-refused.json", FCM_MESSAGE_ACK, ANY },
  { "websocket-ack.json", FCM_MESSAGE_ACK, ANY },
  { "wellknown-configuration.json", FCM_MESSAGE_CONFIGURATION, ANY },
};

static void
test_vector (gconstpointer data)
{
  const VectorCase *vc = data;
  g_autofree char *text = fcm_test_load_text ("data", "vectors", vc->file, NULL);
  g_autoptr(JsonNode) root = fcm_test_load_json ("data", "vectors", vc->file, NULL);
  FcmValidatorRole roles[] = { ANY, vc->role };

  g_assert_cmpint (fcm_validator_classify (root), ==, vc->kind);

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr(GPtrArray) issues = NULL;
      g_autofree char *listing = NULL;
      FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

      issues = validate_text (roles[i], text, -1, &kind);
      listing = describe_issues (issues);
      g_test_message ("%s (role %d):%s", vc->file, roles[i], listing);

      if (fcm_issues_have_errors (issues))
        g_error ("%s must validate without errors (role %d):%s", vc->file, roles[i], listing);
      g_assert_cmpint (kind, ==, vc->kind);
    }
}

static void
test_vectors_all_listed (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");

  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (vector_cases));

  for (guint i = 0; i < files->len; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (vector_cases) && !listed; j++)
        listed = g_str_equal (vector_cases[j].file, g_ptr_array_index (files, i));

      if (!listed)
        g_error ("vector %s has no row in vector_cases", (char *) g_ptr_array_index (files, i));
    }
}

/* ------------------------------------------------------------------------ */
/* (2) broken variants and (3) ambiguities: data/invalid/<name>.json        */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char       *name;      /* data/invalid/<name>.json */
  FcmValidatorRole  role;
  const char       *rule;      /* expected rule id, or NULL for "no issue at all" */
  FcmSeverity       severity;  /* below ERROR: the message must have no error */
  const char       *path;      /* expected JSON path, or NULL for any */
} InvalidCase;

#define CTX "$.event.context"

static const InvalidCase invalid_cases[] = {
  /* generic event shape: C-25, C-44, H-31 */
  { "event-missing-timestamp", ANY, "H-31", ERROR, "$.timestamp" },
  { "event-missing-id", ANY, "H-31", ERROR, "$.id" },
  { "event-missing-event", REQUEST, "C-44", ERROR, "$.event" },
  { "event-null-event", ANY, "H-31", ERROR, "$.event" },
  { "request-missing-id", REQUEST, "C-44", ERROR, "$.id" },
  { "event-bad-timestamp", ANY, "C-25", ERROR, "$.timestamp" },
  { "event-missing-topic", ANY, "C-25", ERROR, "$.event['hub.topic']" },
  { "event-missing-name", NOTIFICATION, "C-25", ERROR, "$.event['hub.event']" },
  { "event-missing-context", ANY, "C-25", ERROR, CTX },
  { "event-context-not-array", ANY, "C-25", ERROR, CTX },
  { "event-context-item-not-object", ANY, "C-25", ERROR, CTX "[0]" },
  { "event-context-item-no-key", ANY, "C-25", ERROR, CTX "[0].key" },
  { "event-context-item-no-value", ANY, "C-25", ERROR, CTX "[0]" },
  { "event-context-resource-no-type", ANY, "C-25", ERROR, CTX "[0].resource.resourceType" },
  { "event-context-reference-not-object", ANY, "C-25", ERROR, CTX "[0].reference" },
  { "event-version-not-string", ANY, "C-25", ERROR, "$.event['context.versionId']" },
  { "legacy-body-not-object", ANY, "C-25", ERROR, "$.body" },
  { "legacy-missing-topic", ANY, "C-25", ERROR, "$.body.event['hub.topic']" },
  { "unknown-object", ANY, "C-25", ERROR, "$" },

  /* DiagnosticReport-open: C-46, C-47, H-23 */
  { "open-missing-report", ANY, "C-46", ERROR, CTX },
  { "open-missing-patient", ANY, "C-46", ERROR, CTX },
  { "open-missing-study", ANY, "C-46", ERROR, CTX },
  { "open-study-as-reference", ANY, "C-46", ERROR, CTX "[2]" },
  { "open-patient-wrong-type", ANY, "C-46", ERROR, CTX "[1].resource.resourceType" },
  { "open-patient-no-identifier", ANY, "C-47", ERROR, CTX "[1].resource.identifier" },
  { "open-patient-no-mr", ANY, "C-47", ERROR, CTX "[1].resource.identifier" },
  { "open-patient-mr-no-value", ANY, "C-47", ERROR, CTX "[1].resource.identifier[0].value" },
  { "open-patient-no-id", ANY, "C-47", ERROR, CTX "[1].resource.id" },
  { "open-study-no-uid", ANY, "C-47", ERROR, CTX "[2].resource.identifier" },
  { "open-study-uid-bad-system", ANY, "C-47", ERROR, CTX "[2].resource.identifier[0].system" },
  { "open-study-uid-bad-value", ANY, "C-47", ERROR, CTX "[2].resource.identifier[0].value" },
  { "open-study-no-accession", ANY, "C-47", ERROR, CTX "[2].resource.identifier" },
  { "open-study-status", ANY, "C-47", ERROR, CTX "[2].resource.status" },
  { "open-study-subject-mismatch", ANY, "C-47", ERROR, CTX "[2].resource.subject.reference" },
  { "open-report-no-id", ANY, "C-47", ERROR, CTX "[0].resource.id" },
  { "open-report-no-status", ANY, "C-47", ERROR, CTX "[0].resource.status" },
  { "open-report-no-subject", ANY, "C-47", ERROR, CTX "[0].resource.subject" },
  { "open-report-subject-mismatch", ANY, "C-47", ERROR, CTX "[0].resource.subject.reference" },
  { "open-report-no-study-ref", ANY, "C-47", ERROR, CTX "[0].resource.study" },
  { "open-report-study-ref-type", ANY, "C-47", ERROR, CTX "[0].resource.study[0].reference" },
  { "open-notification-no-version", NOTIFICATION, "H-23", WARNING, "$.event['context.versionId']" },

  /* DiagnosticReport-close: C-50, H-15 */
  { "close-missing-report", ANY, "C-50", ERROR, CTX },
  { "close-report-no-id", ANY, "H-15", ERROR, CTX "[0].resource.id" },
  { "close-no-patient", ANY, "C-50", WARNING, CTX },

  /* DiagnosticReport-update: C-56, C-57, H-24 */
  { "update-missing-report", ANY, "C-56", ERROR, CTX },
  { "update-missing-updates", ANY, "C-56", ERROR, CTX },
  { "update-two-bundles", ANY, "C-56", ERROR, CTX "[3]" },
  { "update-bundle-not-transaction", ANY, "C-56", ERROR, CTX "[2].resource.type" },
  { "update-post-entry", ANY, "C-56", ERROR, CTX "[2].resource.entry[0].request.method" },
  { "update-patch-entry", ANY, "C-56", ERROR, CTX "[2].resource.entry[0].request.method" },
  { "update-put-no-url", ANY, "C-56", ERROR, CTX "[2].resource.entry[0].request.url" },
  { "update-put-no-resource", ANY, "C-56", ERROR, CTX "[2].resource.entry[0].resource" },
  { "update-delete-with-resource", ANY, "C-56", ERROR, CTX "[2].resource.entry[1].resource" },
  { "update-delete-no-fullurl", ANY, "C-56", ERROR, CTX "[2].resource.entry[1].fullUrl" },
  { "update-duplicate-resource", ANY, "C-56", ERROR, CTX "[2].resource.entry[3]" },
  { "update-request-no-version", ANY, "C-56", ERROR, "$.event['context.versionId']" },
  { "update-delete-patient", ANY, "C-57", ERROR, CTX "[2].resource.entry[1]" },
  { "update-notification-no-prior", NOTIFICATION, "H-24", ERROR,
    "$.event['context.priorVersionId']" },
  { "update-notification-no-version", ANY, "H-24", ERROR, "$.event['context.versionId']" },

  /* DiagnosticReport-select: C-58 */
  { "select-missing-report", ANY, "C-58", ERROR, CTX },
  { "select-missing-select", ANY, "C-58", ERROR, CTX },
  { "select-resource-without-id", ANY, "C-58", ERROR, CTX "[2].resource[0].id" },

  /* syncerror: H-36 (hub), C-60/C-61 (subscriber) */
  { "syncerror-missing-operationoutcome", ANY, "H-36", ERROR, CTX },
  { "syncerror-no-issue", ANY, "H-36", ERROR, CTX "[0].resource.issue" },
  { "syncerror-bad-severity", ANY, "H-36", ERROR, CTX "[0].resource.issue[0].severity" },
  { "syncerror-no-diagnostics", ANY, "H-36", ERROR, CTX "[0].resource.issue[0].diagnostics" },
  { "syncerror-missing-eventid", ANY, "H-36", ERROR, CTX "[0].resource.issue[0].details.coding" },
  { "syncerror-subscriber-no-code", NOTIFICATION, "H-36", ERROR,
    CTX "[0].resource.issue[0].details.coding[2].code" },
  { "syncerror-request-no-details", REQUEST, "C-60", ERROR, CTX "[0].resource.issue[0].details" },
  { "syncerror-rejects-update", REQUEST, "C-61", WARNING,
    CTX "[0].resource.issue[0].details.coding[1].code" },

  /* confirmation C-19, denial C-20 */
  { "confirmation-negative-lease", ANY, "C-19", ERROR, "$['hub.lease_seconds']" },
  { "confirmation-fractional-lease", ANY, "C-19", ERROR, "$['hub.lease_seconds']" },
  { "confirmation-no-lease", ANY, "C-19", ERROR, "$['hub.lease_seconds']" },
  { "confirmation-topic-number", ANY, "C-19", ERROR, "$['hub.topic']" },
  { "confirmation-bad-mode", ANY, "C-19", ERROR, "$['hub.mode']" },
  { "denial-no-topic", ANY, "C-20", ERROR, "$['hub.topic']" },
  { "denial-reason-object", ANY, "C-20", ERROR, "$['hub.reason']" },

  /* acks and 2019 status frames: C-28 */
  { "ack-id-number", ANY, "C-28", ERROR, "$.id" },
  { "ack-empty-id", ANY, "C-28", ERROR, "$.id" },
  { "ack-status-text", ANY, "C-28", ERROR, "$.status" },
  { "ack-status-out-of-range", ANY, "C-28", ERROR, "$.status" },
  { "ack-status-boolean", ANY, "C-28", ERROR, "$.status" },
  { "legacystatus-bad-code", ANY, "C-28", ERROR, "$.statusCode" },

  /* Get Current Context: C-52, H-29 */
  { "currentcontext-no-type", ANY, "C-52", ERROR, "$['context.type']" },
  { "currentcontext-no-version", ANY, "C-52", ERROR, "$['context.versionId']" },
  { "currentcontext-no-context", ANY, "C-52", ERROR, "$.context" },
  { "currentcontext-content-not-collection", ANY, "H-29", ERROR, "$.context[3].resource.type" },
  { "currentcontext-content-entry-request", ANY, "H-29", ERROR,
    "$.context[3].resource.entry[0].request" },
  { "currentcontext-no-content", ANY, "H-29", WARNING, "$.context" },

  /* subscribe / unsubscribe: C-11, C-12, C-13, H-05, H-14 */
  { "subscribe-get-method", ANY, "C-11", ERROR, "$.method" },
  { "subscribe-json-content-type", ANY, "C-11", ERROR, "$.headers['Content-Type']" },
  { "subscribe-duplicate-parameter", ANY, "C-11", ERROR, "$.body" },
  { "subscribe-form-number", ANY, "C-11", ERROR, "$.form['hub.lease_seconds']" },
  { "subscribe-bad-lease", ANY, "C-12", ERROR, "$.form['hub.lease_seconds']" },
  { "subscribe-http-endpoint", ANY, "C-12", ERROR, "$.form['hub.channel.endpoint']" },
  { "subscribe-wildcard-events", ANY, "C-13", ERROR, "$.form['hub.events']" },
  { "subscribe-bad-mode", ANY, "H-05", ERROR, "$.form['hub.mode']" },
  { "subscribe-no-channel-type", ANY, "H-05", ERROR, "$.form['hub.channel.type']" },
  { "subscribe-channel-websub", ANY, "H-05", ERROR, "$.form['hub.channel.type']" },
  { "subscribe-no-topic", ANY, "H-05", ERROR, "$.form['hub.topic']" },
  { "subscribe-no-events", ANY, "H-05", ERROR, "$.form['hub.events']" },
  { "subscribe-empty-subscriber-name", ANY, "H-05", ERROR, "$.form['subscriber.name']" },
  { "unsubscribe-no-endpoint", ANY, "H-14", ERROR, "$.form['hub.channel.endpoint']" },

  /* subscription response C-15, configuration C-05/H-01, 2019 GetTopic C-01 */
  { "subscriptionresponse-not-ws", ANY, "C-15", ERROR, "$['hub.channel.endpoint']" },
  { "subscriptionresponse-empty", ANY, "C-15", ERROR, "$['hub.channel.endpoint']" },
  { "configuration-no-events", ANY, "H-01", ERROR, "$.eventsSupported" },
  { "configuration-no-websocket", ANY, "H-01", ERROR, "$.websocketSupport" },
  { "configuration-websocket-false", ANY, "H-01", ERROR, "$.websocketSupport" },
  { "configuration-capability-not-bool", ANY, "C-05", ERROR,
    "$.capabilities.supportsGetCurrentContext" },
  { "gettopic-body-number", ANY, "C-01", ERROR, "$.responseBody" },

  /* (3) digest §4.3 ambiguities and interop.md peer habits: never errors */
  { "ambiguity-syncerror-information", ANY, "C-64", WARNING,
    CTX "[0].resource.issue[0].severity" },
  { "ambiguity-ack-status-string", ANY, "C-28", WARNING, "$.status" },
  { "ambiguity-ack-status-number", ANY, NULL, INFO, NULL },
  { "ambiguity-ack-no-status", ANY, "C-28", WARNING, "$.status" },
  { "ambiguity-imagingstudy", ANY, "C-47", WARNING, CTX "[0].resource.imagingStudy" },
  { "ambiguity-update-report-resource", ANY, NULL, INFO, NULL },
  { "ambiguity-select-report-resource", ANY, NULL, INFO, NULL },
  { "ambiguity-close-report-reference", ANY, "C-50", WARNING, CTX "[0]" },
  { "ambiguity-capitalised-key", ANY, "C-14", WARNING, CTX "[0].key" },
  { "ambiguity-select-resource-array", ANY, NULL, INFO, NULL },
  { "ambiguity-select-reference-array", ANY, NULL, INFO, NULL },
  { "ambiguity-select-empty", ANY, NULL, INFO, NULL },
  { "ambiguity-undotted-version", ANY, "C-25", WARNING, "$.event.versionId" },
  { "ambiguity-timestamp-no-zone", ANY, "C-25", WARNING, "$.timestamp" },
  { "ambiguity-lowercase-event-name", ANY, "C-14", INFO, "$.event['hub.event']" },
  { "ambiguity-legacy-event-name", ANY, "C-14", WARNING, "$.event['hub.event']" },
  { "ambiguity-custom-event", ANY, "H-22", INFO, "$.event['hub.event']" },
  { "ambiguity-heartbeat-sandbox", ANY, "C-69", INFO, "$.event" },
  { "ambiguity-subscriber-system-spelling", ANY, "C-63", INFO,
    CTX "[0].resource.issue[0].details.coding[2].system" },
  { "ambiguity-syncerror-codings-by-index", ANY, "C-63", WARNING,
    CTX "[0].resource.issue[0].details.coding[1]" },
  { "ambiguity-report-no-business-identifier", ANY, "C-47", WARNING, CTX "[0].resource" },
  { "ambiguity-current-context-bare-array", ANY, "C-52", WARNING, "$" },
  { "ambiguity-confirmation-sandbox", ANY, "C-19", WARNING, "$['hub.topic']" },
  { "ambiguity-subscribe-medplum", ANY, "C-12", WARNING, "$.form['subscriber.name']" },
  { "ambiguity-subscribe-hub-lease", ANY, "C-12", WARNING, "$.form['hub.lease']" },
  { "ambiguity-subscription-response-ws", ANY, "C-06", WARNING, "$['hub.channel.endpoint']" },
};

static void
test_invalid_case (gconstpointer data)
{
  const InvalidCase *ic = data;
  g_autofree char *file = g_strconcat (ic->name, ".json", NULL);
  g_autofree char *text = fcm_test_load_text ("data", "invalid", file, NULL);
  g_autoptr(GPtrArray) issues = validate_text (ic->role, text, -1, NULL);
  g_autofree char *listing = describe_issues (issues);

  g_test_message ("%s:%s", ic->name, listing);

  if (ic->rule == NULL)
    {
      if (issues->len != 0)
        g_error ("%s: expected no issue at all, got:%s", ic->name, listing);
      return;
    }

  if (find_issue (issues, ic->rule, ic->severity, ic->path) == NULL)
    g_error ("%s: expected %s %s at %s, got:%s", ic->name,
             fcm_severity_to_string (ic->severity), ic->rule, ic->path ? ic->path : "(any)",
             listing);

  /* A deliberately broken file fails; an ambiguity only warns. */
  if (ic->severity == ERROR)
    g_assert_true (fcm_issues_have_errors (issues));
  else if (fcm_issues_have_errors (issues))
    g_error ("%s: a tolerated deviation must not produce errors, got:%s", ic->name, listing);
}

static void
test_invalid_all_listed (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/invalid", ".json");

  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (invalid_cases));

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      gboolean listed = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (invalid_cases) && !listed; j++)
        {
          g_autofree char *name = g_strconcat (invalid_cases[j].name, ".json", NULL);

          listed = g_str_equal (name, file);
        }

      if (!listed)
        g_error ("data/invalid/%s has no row in invalid_cases", file);
    }
}

/* Every rule the validator can report for a broken message has a row. */
static void
test_invalid_rules_covered (void)
{
  static const char * const rules[] = {
    "C-01", "C-05", "C-11", "C-12", "C-13", "C-15", "C-19", "C-20", "C-25", "C-28", "C-44",
    "C-46", "C-47", "C-50", "C-52", "C-56", "C-57", "C-58", "C-60", "H-01", "H-05", "H-14",
    "H-15", "H-24", "H-29", "H-31", "H-36",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      gboolean covered = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (invalid_cases) && !covered; j++)
        covered = invalid_cases[j].severity == ERROR &&
                  g_strcmp0 (invalid_cases[j].rule, rules[i]) == 0;

      if (!covered)
        g_error ("rule %s has no failing variant in data/invalid", rules[i]);
    }
}

/* ------------------------------------------------------------------------ */
/* (3) ambiguities checked programmatically                                 */
/* ------------------------------------------------------------------------ */

/* A tolerated variant of a vector: FC's numeric ack status is fine, the
 * string form of the examples warns, neither is an error. */
static void
test_ambiguity_ack_status (void)
{
  static const char * const acks[] = {
    "{\"id\": \"e1\", \"status\": 200}",
    "{\"id\": \"e1\", \"status\": 409}",
    "{\"id\": \"e1\", \"status\": \"202\"}",
    "{\"id\": \"e1\", \"status\": \"500\"}",
    "{\"id\": \"e1\", \"timestamp\": \"2025-03-14T09:26:54Z\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (acks); i++)
    {
      g_autoptr(GPtrArray) issues = NULL;
      FcmMessageKind kind;

      issues = validate_text (ANY, acks[i], -1, &kind);
      g_assert_cmpint (kind, ==, FCM_MESSAGE_ACK);
      g_assert_false (fcm_issues_have_errors (issues));
      if (i < 2)
        g_assert_cmpuint (issues->len, ==, 0);
      else
        g_assert_nonnull (find_issue (issues, "C-28", WARNING, "$.status"));
    }
}

/* POST in an update bundle: interop.md says clients send it, the issue
 * says no POST: an error that cites C-56. */
static void
test_ambiguity_update_post_is_error (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "invalid", "update-post-entry.json", NULL);
  g_autoptr(GPtrArray) issues = validate_text (REQUEST, text, -1, NULL);
  FcmIssue *issue = find_issue (issues, "C-56", ERROR, NULL);

  g_assert_nonnull (issue);
  g_assert_nonnull (strstr (fcm_issue_get_message (issue), "POST"));
}

/* A request only needs versionId; a notification needs both (H-24); role
 * ANY infers a notification from context.priorVersionId. */
static void
test_update_roles (void)
{
  g_autofree char *request = fcm_test_load_text ("data", "vectors",
                                                 "diagnosticreport-update-request.json", NULL);
  g_autofree char *event = fcm_test_load_text ("data", "vectors",
                                               "diagnosticreport-update-event.json", NULL);
  g_autoptr(GPtrArray) as_request = validate_text (REQUEST, request, -1, NULL);
  g_autoptr(GPtrArray) as_notification = validate_text (NOTIFICATION, request, -1, NULL);
  g_autoptr(GPtrArray) inferred = validate_text (ANY, event, -1, NULL);

  g_assert_false (fcm_issues_have_errors (as_request));
  g_assert_nonnull (find_issue (as_notification, "H-24", ERROR,
                                "$.event['context.priorVersionId']"));
  g_assert_false (fcm_issues_have_errors (inferred));
}

/* ------------------------------------------------------------------------ */
/* (4) garbage, huge and deep input                                         */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const char *text;
  const char *rule;   /* an issue with this rule must be present, or NULL */
} GarbageCase;

static const GarbageCase garbage_cases[] = {
  { "", "JSON" },
  { "   ", "JSON" },
  { "{", "JSON" },
  { "{\"timestamp\": \"2025-03-14T09:26:53.589Z\", \"id\": ", "JSON" },
  { "[1, 2,", "JSON" },
  { "{\"a\": 1,}", "JSON" },
  { "nul", "JSON" },
  { "[]", "C-52" },
  { "{}", "C-25" },
  { "\"x\"", "C-25" },
  { "42", "C-25" },
  { "null", "C-25" },
  { "true", "C-25" },
  { "[1, \"a\", null]", "C-25" },
  { "[{}]", "C-25" },
  { "[{\"key\": 5}]", "C-25" },
  { "{\"event\": []}", "H-31" },
  { "{\"event\": null}", "H-31" },
  { "{\"timestamp\": 1, \"id\": {}, \"event\": {\"context\": \"x\"}}", "H-31" },
  { "{\"timestamp\": [], \"id\": [], \"event\": {\"hub.topic\": 1, \"hub.event\": 2, "
    "\"context\": [1, [], null, {}, {\"key\": []}, {\"key\": \"a\", \"resource\": 1}]}}", "C-25" },
  { "{\"timestamp\": \"x\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-open\", \"context\": [1, \"a\", null, {\"key\": 5}, "
    "{\"key\": \"report\", \"resource\": []}, {\"key\": \"report\", \"resource\": {\"resourceType\": "
    "\"DiagnosticReport\", \"subject\": [], \"study\": \"x\", \"status\": 1}}, "
    "{\"key\": \"patient\", \"resource\": {\"resourceType\": \"Patient\", \"id\": 7, "
    "\"identifier\": \"x\"}}, {\"key\": \"study\", \"resource\": {\"resourceType\": \"ImagingStudy\", "
    "\"identifier\": [1, {\"type\": \"x\"}, {\"type\": {\"coding\": \"y\"}}, {\"type\": {\"coding\": "
    "[1, {\"code\": 5}, {\"code\": \"110180\"}]}, \"system\": [], \"value\": {}}, {\"type\": "
    "{\"coding\": [{\"code\": \"ACSN\"}]}, \"value\": 3}], \"subject\": \"x\", \"status\": []}}]}}",
    "C-47" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-update\", \"context.versionId\": [], "
    "\"context.priorVersionId\": null, \"context\": [{\"key\": \"report\", \"reference\": "
    "{\"reference\": 5}}, {\"key\": \"updates\", \"resource\": {\"resourceType\": \"Bundle\", "
    "\"type\": 1, \"entry\": [1, {}, {\"request\": 1}, {\"request\": {\"method\": 1, \"url\": []}}, "
    "{\"request\": {\"method\": \"PUT\", \"url\": \"\"}, \"resource\": 5}, {\"request\": "
    "{\"method\": \"DELETE\", \"url\": \"a/b/c\"}, \"fullUrl\": 1, \"resource\": []}, "
    "{\"request\": {\"method\": \"PUT\", \"url\": \"/\"}, \"resource\": {\"resourceType\": []}}]}}, "
    "{\"key\": \"updates\", \"resource\": {\"resourceType\": \"Bundle\", \"entry\": {}}}]}}",
    "C-56" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DIAGNOSTICREPORT-SELECT\", \"context\": [{\"key\": \"report\", "
    "\"resource\": {\"resourceType\": \"Patient\"}}, {\"key\": \"select\", \"resource\": "
    "[1, null, {}, {\"reference\": 1}]}, {\"key\": \"select\", \"reference\": [1, {}]}, "
    "{\"key\": \"select\", \"resource\": {\"resourceType\": 1}}]}}", "C-58" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"syncerror\", \"context\": [{\"key\": \"operationoutcome\", \"resource\": "
    "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": 1, \"code\": [], "
    "\"details\": {\"coding\": [1, null, {\"system\": 5}, {\"system\": "
    "\"https://fhircast.hl7.org/events/syncerror/eventid\", \"code\": {}}]}}]}}]}}", "H-36" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"syncerror\", \"context\": [{\"key\": \"operationoutcome\", \"resource\": "
    "{\"resourceType\": \"OperationOutcome\", \"issue\": [7]}}]}}", "H-36" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"DiagnosticReport-close\", \"context\": [{\"key\": \"report\", "
    "\"reference\": {\"identifier\": {}}}]}}", "C-50" },
  { "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"y\", \"event\": {\"hub.topic\": \"t\", "
    "\"hub.event\": \"heartbeat\", \"context\": [{\"key\": \"period\", \"decimal\": []}]}}", "C-69" },
  { "{\"header\": 1, \"body\": []}", "C-25" },
  { "{\"header\": {}, \"body\": {\"event\": 5}}", "C-25" },
  { "{\"hub.mode\": []}", "C-19" },
  { "{\"hub.mode\": \"denied\", \"hub.topic\": [], \"hub.events\": 5, \"hub.lease_seconds\": \"x\"}",
    "C-20" },
  { "{\"hub.mode\": \"subscribe\", \"hub.events\": \",,*,a,A\", \"hub.lease_seconds\": 1e300}",
    "C-19" },
  { "{\"id\": [], \"status\": {}}", "C-28" },
  { "{\"id\": \"x\", \"status\": 2.5}", "C-28" },
  { "{\"id\": \"x\", \"status\": -1}", "C-28" },
  { "{\"id\": \"x\", \"status\": \"99999999999999999999999\"}", "C-28" },
  { "{\"status\": [], \"statuscode\": {}}", "C-28" },
  { "{\"status\": 200}", "C-28" },
  { "{\"context\": {}, \"context.type\": 5, \"context.versionId\": []}", "C-52" },
  { "{\"context\": [{\"key\": \"content\", \"resource\": {\"resourceType\": \"Bundle\", "
    "\"entry\": [1, {\"request\": 1}]}}], \"context.type\": \"x\"}", "C-52" },
  { "{\"timestamp\": 5, \"id\": 1, \"event\": {\"context\": [1]}}", "C-25" },
  { "{\"method\": 1, \"url\": 2, \"form\": []}", "C-11" },
  { "{\"method\": \"POST\", \"url\": \"x\", \"headers\": [], \"form\": {\"hub.mode\": 1}, "
    "\"body\": \"%zz&=&&a\"}", "C-11" },
  { "{\"method\": \"POST\", \"url\": \"x\", \"form\": {\"hub.mode\": \"unsubscribe\", "
    "\"hub.channel.type\": \"websocket\", \"hub.topic\": \" \", \"hub.channel.endpoint\": "
    "\"wss://[::1\"}}", "H-14" },
  { "{\"method\": \"GET\", \"url\": \"https://x/gettopic\", \"responseBody\": \"\"}", "C-01" },
  { "{\"resourceType\": \"Bundle\", \"entry\": \"x\"}", "C-25" },
  { "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": 5}]}", "C-25" },
  { "{\"resourceType\": 5}", "C-25" },
  { "{\"type\": \"bind-with-token\", \"payload\": []}", "C-25" },
  { "{\"hub.channel.endpoint\": 7}", "C-15" },
  { "{\"hub.channel.endpoint\": \" wss://x/y \"}", "C-15" },
  { "{\"eventsSupported\": \"x\", \"capabilities\": [], \"websocketSupport\": \"yes\", "
    "\"fhircastVersion\": 3, \"getCurrentSupport\": 1, \"fhirVersion\": {}}", "H-01" },
  { "{\"eventsSupported\": [1, null], \"capabilities\": {\"supportsNonCurrentContextUpdates\": []}}",
    "H-01" },
};

static void
test_garbage (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (garbage_cases); i++)
    {
      const GarbageCase *gc = &garbage_cases[i];
      FcmValidatorRole roles[] = { ANY, REQUEST, NOTIFICATION };

      for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
        {
          g_autoptr(GPtrArray) issues = validate_text (roles[r], gc->text, -1, NULL);
          g_autofree char *listing = describe_issues (issues);

          g_test_message ("garbage %u role %d: %s%s", i, roles[r], gc->text, listing);
          g_assert_cmpuint (issues->len, >, 0);

          if (roles[r] == ANY && gc->rule != NULL &&
              !find_issue (issues, gc->rule, ERROR, NULL) &&
              !find_issue (issues, gc->rule, WARNING, NULL) &&
              !find_issue (issues, gc->rule, INFO, NULL))
            g_error ("garbage %u: expected a %s issue for %s, got:%s", i, gc->rule, gc->text,
                     listing);
        }
    }
}

static void
assert_single_json_error (GPtrArray *issues)
{
  g_assert_cmpuint (issues->len, ==, 1);
  g_assert_cmpstr (fcm_issue_get_rule_id (g_ptr_array_index (issues, 0)), ==, "JSON");
  g_assert_cmpint (fcm_issue_get_severity (g_ptr_array_index (issues, 0)), ==, ERROR);
}

static void
test_garbage_deep (void)
{
  const guint depth = 10000;
  GString *arrays = g_string_new (NULL);
  GString *objects = g_string_new (NULL);
  g_autofree char *arrays_text = NULL;
  g_autofree char *objects_text = NULL;
  g_autoptr(GPtrArray) issues1 = NULL;
  g_autoptr(GPtrArray) issues2 = NULL;
  FcmMessageKind kind = FCM_MESSAGE_EVENT;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (arrays, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (arrays, ']');

  g_string_append (objects, "{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"x\", \"event\": ");
  for (guint i = 0; i < depth; i++)
    g_string_append (objects, "{\"context\": ");
  g_string_append (objects, "[]");
  for (guint i = 0; i < depth + 1; i++)
    g_string_append_c (objects, '}');

  arrays_text = g_string_free (arrays, FALSE);
  objects_text = g_string_free (objects, FALSE);

  issues1 = validate_text (ANY, arrays_text, -1, &kind);
  assert_single_json_error (issues1);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_UNKNOWN);

  issues2 = validate_text (NOTIFICATION, objects_text, -1, NULL);
  assert_single_json_error (issues2);
}

static void
test_garbage_bad_utf8 (void)
{
  static const char bad_utf8[] = "{\"id\": \"\xff\xfe\", \"status\": 200}";
  static const char overlong[] = "{\"id\": \"\xc0\xaf\", \"status\": 200}";
  static const char with_nul[] = "{\"id\": \"a\0b\", \"status\": 200}";
  g_autoptr(GPtrArray) issues1 = validate_text (ANY, bad_utf8, -1, NULL);
  g_autoptr(GPtrArray) issues2 = validate_text (ANY, overlong, -1, NULL);
  g_autoptr(GPtrArray) issues3 = validate_text (ANY, with_nul, sizeof with_nul - 1, NULL);

  assert_single_json_error (issues1);
  assert_single_json_error (issues2);
  assert_single_json_error (issues3);
}

static void
test_garbage_huge (void)
{
  g_autofree char *big = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *too_large = NULL;
  g_autoptr(GPtrArray) issues1 = NULL;
  g_autoptr(GPtrArray) issues2 = NULL;
  g_autoptr(GPtrArray) issues3 = NULL;
  g_autoptr(GPtrArray) issues4 = NULL;
  GString *many = g_string_new ("{\"timestamp\": \"2025-03-14T09:26:53Z\", \"id\": \"x\", "
                                "\"event\": {\"hub.topic\": \"t\", \"hub.event\": "
                                "\"DiagnosticReport-open\", \"context\": [");
  g_autofree char *many_text = NULL;
  FcmIssue *last;
  gsize size;

  /* a 1 MiB string everywhere a string goes: messages stay short */
  big = g_strnfill (1024 * 1024, 'x');
  text = g_strdup_printf ("{\"timestamp\": \"%s\", \"id\": \"%s\", \"event\": "
                          "{\"hub.topic\": \"%s\", \"hub.event\": \"%s\", "
                          "\"context\": [{\"key\": \"%s\", \"%s\": 1}]}}",
                          big, big, big, big, big, big);
  issues1 = validate_text (ANY, text, -1, NULL);
  g_assert_nonnull (find_issue (issues1, "C-25", ERROR, "$.timestamp"));

  key_text = g_strdup_printf ("{\"hub.channel.endpoint\": \"wss://%s\"}", big);
  issues2 = validate_text (ANY, key_text, -1, NULL);
  g_assert_false (fcm_issues_have_errors (issues2));

  /* 200 000 garbage context items: issues are capped */
  for (guint i = 0; i < 200000; i++)
    g_string_append (many, i ? ", 1" : "1");
  g_string_append (many, "]}}");
  many_text = g_string_free (many, FALSE);
  issues3 = validate_text (REQUEST, many_text, -1, NULL);
  g_assert_cmpuint (issues3->len, >, 100);
  g_assert_cmpuint (issues3->len, <=, 201);
  last = g_ptr_array_index (issues3, issues3->len - 1);
  g_assert_cmpint (fcm_issue_get_severity (last), ==, ERROR);
  g_assert_nonnull (strstr (fcm_issue_get_message (last), "not reported"));

  /* beyond the size limit */
  size = FCM_JSON_MAX_BYTES + 16;
  too_large = g_malloc (size + 1);
  memset (too_large, ' ', size);
  too_large[0] = '[';
  too_large[size - 1] = ']';
  too_large[size] = '\0';
  issues4 = validate_text (ANY, too_large, size, NULL);
  assert_single_json_error (issues4);
}

/* Mutate every node of every vector in turn (replace by each JSON type, or
 * remove it) and validate: issues, never a crash or a critical. */
typedef enum
{
  MUTATE_NULL,
  MUTATE_INT,
  MUTATE_STRING,
  MUTATE_EMPTY_STRING,
  MUTATE_ARRAY,
  MUTATE_OBJECT,
  MUTATE_HOLLOW_ARRAY,   /* an array node without an array (only built in code) */
  MUTATE_HOLLOW_OBJECT,  /* an object node without an object */
  MUTATE_REMOVE,
  N_MUTATIONS
} Mutation;

/* json_node_init_*() on a parsed value node reads freed memory in
 * json-glib 1.6, so mutated nodes are new nodes put in the parent's place. */
static JsonNode *
make_node (Mutation mutation)
{
  JsonNode *node;

  switch (mutation)
    {
    case MUTATE_NULL:
      return json_node_new (JSON_NODE_NULL);
    case MUTATE_INT:
      return json_node_init_int (json_node_alloc (), -1);
    case MUTATE_STRING:
      return json_node_init_string (json_node_alloc (), "x");
    case MUTATE_EMPTY_STRING:
      return json_node_init_string (json_node_alloc (), "");
    case MUTATE_ARRAY:
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, json_array_new ());
      return node;
    case MUTATE_OBJECT:
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      return node;
    case MUTATE_HOLLOW_ARRAY:
      return json_node_init_array (json_node_alloc (), NULL);
    case MUTATE_HOLLOW_OBJECT:
      return json_node_init_object (json_node_alloc (), NULL);
    case MUTATE_REMOVE:
    case N_MUTATIONS:
    default:
      g_assert_not_reached ();
    }
}

/* Walks @node depth-first; the @target-th descendant is mutated. */
static gboolean
mutate_walk (JsonNode *node,
             guint    *counter,
             guint     target,
             Mutation  mutation)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *child = json_object_get_member (object, l->data);

          if ((*counter)++ == target)
            {
              if (mutation == MUTATE_REMOVE)
                json_object_remove_member (object, l->data);
              else
                json_object_set_member (object, l->data, make_node (mutation));
              return TRUE;
            }
          if (mutate_walk (child, counter, target, mutation))
            return TRUE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *child = json_array_get_element (array, i);

          if ((*counter)++ == target)
            {
              g_autoptr(JsonArray) copy = NULL;

              if (mutation == MUTATE_REMOVE)
                {
                  json_array_remove_element (array, i);
                  return TRUE;
                }

              copy = json_array_sized_new (n);
              for (guint j = 0; j < n; j++)
                {
                  JsonNode *element = json_array_get_element (array, j);

                  json_array_add_element (copy, j == i ? make_node (mutation)
                                                       : json_node_copy (element));
                }
              json_node_set_array (node, copy);
              return TRUE;
            }
          if (mutate_walk (child, counter, target, mutation))
            return TRUE;
        }
    }

  return FALSE;
}

static void
test_mutations (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  guint n_runs = 0;

  for (guint f = 0; f < files->len; f++)
    {
      g_autofree char *text = fcm_test_load_text ("data", "vectors",
                                                  g_ptr_array_index (files, f), NULL);

      for (guint target = 0; ; target++)
        {
          gboolean hit = FALSE;

          for (guint m = 0; m < N_MUTATIONS; m++)
            {
              g_autoptr(JsonParser) parser = json_parser_new ();
              g_autoptr(JsonNode) root = NULL;
              g_autoptr(GPtrArray) issues = NULL;
              g_autoptr(GError) error = NULL;
              guint counter = 0;

              json_parser_load_from_data (parser, text, -1, &error);
              g_assert_no_error (error);
              root = json_parser_steal_root (parser);

              if (!mutate_walk (root, &counter, target, m))
                break;
              hit = TRUE;

              fcm_validator_set_role (validator, (target + m) % 3);
              issues = fcm_validator_validate (validator, root, NULL);
              assert_issues_well_formed (issues);
              n_runs++;
            }

          if (!hit)
            break;
        }
    }

  g_test_message ("%u mutated messages validated", n_runs);
  g_assert_cmpuint (n_runs, >, 1000);
}

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

/* ------------------------------------------------------------------------ */

static char *
invalid_test_path (const char *name)
{
  const char *dash = strchr (name, '-');

  if (dash == NULL)
    return g_strdup_printf ("/fcm/validator/%s", name);

  return g_strdup_printf ("/fcm/validator/%.*s/%s", (int) (dash - name), name, dash + 1);
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

  for (guint i = 0; i < G_N_ELEMENTS (vector_cases); i++)
    {
      g_autofree char *stem = g_strndup (vector_cases[i].file, strlen (vector_cases[i].file) - 5);
      g_autofree char *path = g_strdup_printf ("/fcm/validator/vectors/%s", stem);

      g_test_add_data_func (path, &vector_cases[i], test_vector);
    }
  g_test_add_func ("/fcm/validator/vectors/all-listed", test_vectors_all_listed);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = invalid_test_path (invalid_cases[i].name);

      g_test_add_data_func (path, &invalid_cases[i], test_invalid_case);
    }
  g_test_add_func ("/fcm/validator/invalid/all-listed", test_invalid_all_listed);
  g_test_add_func ("/fcm/validator/invalid/rules-covered", test_invalid_rules_covered);

  g_test_add_func ("/fcm/validator/ambiguity/ack-status-types", test_ambiguity_ack_status);
  g_test_add_func ("/fcm/validator/ambiguity/update-post-is-error",
                   test_ambiguity_update_post_is_error);
  g_test_add_func ("/fcm/validator/update/roles", test_update_roles);

  g_test_add_func ("/fcm/validator/garbage/table", test_garbage);
  g_test_add_func ("/fcm/validator/garbage/deep", test_garbage_deep);
  g_test_add_func ("/fcm/validator/garbage/bad-utf8", test_garbage_bad_utf8);
  g_test_add_func ("/fcm/validator/garbage/huge", test_garbage_huge);
  g_test_add_func ("/fcm/validator/garbage/mutations", test_mutations);

  return g_test_run ();
}

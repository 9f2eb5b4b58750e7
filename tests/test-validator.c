/* test-validator.c: FcmValidator on the spec vectors, data/invalid/ and the ambiguities
 *
 * - every spec vector validates without errors and is classified as expected;
 * - every file in data/invalid/ yields the issue its table row names (rule id,
 *   severity, JSON path); rows with a warning/info severity are the digest's
 *   ambiguities and tolerated peer habits and must yield no error at all.
 *
 * Garbage and mutated input are in test-validator-garbage.c, the FcmIssue and
 * FcmValidator API in test-validator-api.c.
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

  return g_test_run ();
}

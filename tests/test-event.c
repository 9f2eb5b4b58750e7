/* test-event.c: FcmEvent parsing, serialization and bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fcm-fhircast.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

static void
test_event_parse_open (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, -1, &error);
  g_autofree char *report = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *study = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpstr (fcm_event_get_id (event), ==, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45");
  g_assert_cmpstr (fcm_event_get_timestamp (event), ==, "2025-03-14T09:26:53.589Z");
  g_assert_cmpstr (fcm_event_get_topic (event), ==, "7d3f2a9e-4c1b-4e8a-9b6d-2f5e8c1a0b37");
  g_assert_cmpstr (fcm_event_get_name (event), ==, "DiagnosticReport-open");
  g_assert_true (fcm_event_has_name (event, "diagnosticreport-OPEN"));
  g_assert_false (fcm_event_has_name (event, "DiagnosticReport-close"));
  g_assert_cmpuint (json_array_get_length (fcm_event_get_context (event)), ==, 3);
  report = fcm_event_dup_context_id (event, "report", "DiagnosticReport");
  patient = fcm_event_dup_context_id (event, "patient", "Patient");
  study = fcm_event_dup_context_id (event, "study", "ImagingStudy");
  g_assert_cmpstr (report, ==, "rpt-9a41c7d2");
  g_assert_cmpstr (patient, ==, "pat-5f2c8e1a");
  g_assert_cmpstr (study, ==, "st-0b8d44f3");
  g_assert_null (fcm_event_dup_context_id (event, "report", "Patient"));
  /* context keys are case-sensitive (C-14) */
  g_assert_null (fcm_event_lookup_context (event, "Report"));
  g_assert_cmpstr (fcm_event_get_raw (event), ==, text);
  g_assert_null (fcm_event_get_version_id (event));
  g_assert_false (fcm_event_is_legacy_wrapped (event));
  /* 2025-03-14T09:26:53.589Z */
  g_assert_cmpint (fcm_event_get_timestamp_usec (event), ==, G_GINT64_CONSTANT (1741944413589000));
}

static void
test_event_versions (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-update-event.json",
                                              NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, -1, &error);
  g_autoptr(FcmEvent) undotted = NULL;
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (fcm_event_get_version_id (event), ==, "a8f41e26-0c93-4d7b-b5e2-31d9c6f0a874");
  g_assert_cmpstr (fcm_event_get_prior_version_id (event), ==,
                   "5e0b3c1d-6f27-4a8e-9d12-7b4c0e9a2f61");
  /* report given as a reference (FC) */
  report = fcm_event_dup_context_id (event, "report", "DiagnosticReport");
  g_assert_cmpstr (report, ==, "rpt-9a41c7d2");
  g_assert_nonnull (fcm_event_lookup_resource (event, "updates"));

  /* digest §4.3 item 2: the undotted spelling is read too */
  undotted = fcm_event_new_from_json ("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"x\","
                                      "\"event\":{\"hub.topic\":\"t\",\"hub.event\":\"a-update\","
                                      "\"versionId\":\"2\",\"priorVersionId\":\"1\",\"context\":[]}}",
                                      -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fcm_event_get_version_id (undotted), ==, "2");
  g_assert_cmpstr (fcm_event_get_prior_version_id (undotted), ==, "1");
}

static void
test_event_roundtrip (void)
{
  g_autoptr(GPtrArray) files = fcm_test_list_data ("data/vectors", ".json");
  guint parsed = 0;

  for (guint i = 0; i < files->len; i++)
    {
      const char *name = g_ptr_array_index (files, i);
      g_autofree char *text = fcm_test_load_text ("data", "vectors", name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, -1, &error);
      g_autoptr(FcmEvent) again = NULL;
      g_autofree char *json = NULL;

      if (event == NULL)
        {
          /* not every vector is an event (acks, confirmations, envelopes) */
          g_assert_nonnull (error);
          g_assert_true (error->domain == FCM_ERROR);
          g_assert_cmpuint (strlen (error->message), >, 0);
          continue;
        }

      parsed++;
      json = fcm_event_to_json (event, TRUE);
      again = fcm_event_new_from_json (json, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fcm_event_get_id (again), ==, fcm_event_get_id (event));
      g_assert_cmpstr (fcm_event_get_name (again), ==, fcm_event_get_name (event));
      g_assert_cmpstr (fcm_event_get_timestamp (again), ==, fcm_event_get_timestamp (event));
      g_assert_cmpuint (json_array_get_length (fcm_event_get_context (again)), ==,
                        json_array_get_length (fcm_event_get_context (event)));
      for (guint j = 0; j < json_array_get_length (fcm_event_get_context (event)); j++)
        g_assert_true (json_node_equal (json_array_get_element (fcm_event_get_context (again), j),
                                        json_array_get_element (fcm_event_get_context (event), j)));
    }

  /* open, close, select, update ×2, heartbeat, 3 syncerrors, logout, hibernate, proto2019 ×2 */
  g_assert_cmpuint (parsed, >=, 13);
}

static void
test_event_legacy (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "proto2019-notification.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, -1, &error);
  g_autoptr(FcmEvent) unwrapped = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_true (fcm_event_is_legacy_wrapped (event));
  g_assert_cmpstr (fcm_event_get_name (event), ==, "open-imaging-study");
  g_assert_cmpstr (fcm_event_get_canonical_name (event), ==, "ImagingStudy-open");
  g_assert_true (fcm_event_has_name (event, "imagingstudy-open"));
  g_assert_true (fcm_event_name_is_legacy ("Switch-Imaging-Study"));
  g_assert_false (fcm_event_name_is_legacy ("DiagnosticReport-open"));
  g_assert_true (fcm_event_name_equal ("sync-error", "SyncError"));
  g_assert_true (fcm_event_name_equal ("syncerror", "SYNCERROR"));
  /* the first letter in either case; a first byte that is not that letter never matches */
  g_assert_cmpstr (fcm_event_name_canonicalize ("hEARTBEAT"), ==, "heartbeat");
  g_assert_cmpstr (fcm_event_name_canonicalize ("HEARTBEAT"), ==, "heartbeat");
  g_assert_cmpstr (fcm_event_name_canonicalize ("(eartbeat"), ==, "(eartbeat");
  g_assert_cmpstr (fcm_event_name_canonicalize ("\x08" "eartbeat"), ==, "\x08" "eartbeat");
  g_assert_false (fcm_event_name_equal ("x-open", "x-close"));
  g_assert_cmpstr (fcm_event_name_canonicalize ("diagnosticreport-select"), ==,
                   "DiagnosticReport-select");
  g_assert_cmpstr (fcm_event_name_canonicalize ("com.example-custom"), ==, "com.example-custom");
  /* the 2019 timestamp has no zone: read as UTC (digest §4.3 item 14) */
  g_assert_cmpint (fcm_event_get_timestamp_usec (event), >, 0);

  /* serializing writes the STU3 body only */
  json = fcm_event_to_json (event, FALSE);
  g_assert_null (strstr (json, "\"header\""));
  unwrapped = fcm_event_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_false (fcm_event_is_legacy_wrapped (unwrapped));
  g_assert_cmpstr (fcm_event_get_id (unwrapped), ==, "pX7rT2mQ9vL4sK1d");
}

static void
test_event_build (void)
{
  g_autoptr(JsonArray) context = json_array_new ();
  g_autoptr(JsonObject) item = json_object_new ();
  g_autoptr(FcmEvent) event = NULL;
  g_autoptr(FcmEvent) parsed = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (item, "key", "report");
  json_object_set_object_member (item, "reference", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (item, "reference"), "reference",
                                 "DiagnosticReport/r1");
  json_array_add_object_element (context, json_object_ref (item));

  event = fcm_event_new ("id-1", NULL, "topic-1", "DiagnosticReport-close", context, "v2", NULL);
  g_assert_nonnull (event);
  g_assert_true (g_str_has_suffix (fcm_event_get_timestamp (event), "Z"));
  g_assert_cmpint (fcm_event_get_timestamp_usec (event), >, 0);
  g_assert_cmpstr (fcm_event_get_version_id (event), ==, "v2");

  json = fcm_event_to_json (event, FALSE);
  g_assert_nonnull (strstr (json, "\"context.versionId\":\"v2\""));
  parsed = fcm_event_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fcm_event_get_topic (parsed), ==, "topic-1");
  g_assert_cmpstr (fcm_event_get_raw (parsed), ==, json);
}

static void
test_event_tolerant (void)
{
  g_autoptr(GError) error = NULL;
  /* sandbox.js heartbeat: constant id, no context; Medplum: null version */
  g_autoptr(FcmEvent) event =
    fcm_event_new_from_json ("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"JS SANDBOX\","
                             "\"event\":{\"hub.event\":\"heartbeat\",\"context.versionId\":null}}",
                             -1, &error);

  g_assert_no_error (error);
  g_assert_null (fcm_event_get_topic (event));
  g_assert_cmpuint (json_array_get_length (fcm_event_get_context (event)), ==, 0);
  g_assert_null (fcm_event_get_version_id (event));
}

typedef struct
{
  const char *text;
  gint        code;
  const char *message;   /* substring the error message must contain */
} BadInput;

static void
check_bad (const char *text,
           gssize      length,
           gint        code,
           const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, length, &error);

  g_assert_null (event);
  g_assert_error (error, FCM_ERROR, code);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("error for %.60s: “%s” does not mention “%s”", text, error->message, message);
}

static void
test_event_bad_input (void)
{
  static const BadInput cases[] = {
    { "", FCM_ERROR_INVALID_JSON, NULL },
    { "   ", FCM_ERROR_INVALID_JSON, NULL },
    { "{\"timestamp\":\"2025", FCM_ERROR_INVALID_JSON, "Not valid JSON" },
    { "{\"id\":1,}", FCM_ERROR_INVALID_JSON, NULL },
    { "[]", FCM_ERROR_INVALID_MESSAGE, "$: expected an object, got an array" },
    { "\"event\"", FCM_ERROR_INVALID_MESSAGE, "got a string" },
    { "42", FCM_ERROR_INVALID_MESSAGE, "got a number" },
    { "null", FCM_ERROR_INVALID_MESSAGE, "got null" },
    { "{}", FCM_ERROR_INVALID_MESSAGE, "$.timestamp: required member is missing" },
    { "{\"timestamp\":1,\"id\":\"a\",\"event\":{}}", FCM_ERROR_INVALID_MESSAGE,
      "$.timestamp: expected a string, got a number" },
    { "{\"timestamp\":\"t\",\"id\":{},\"event\":{}}", FCM_ERROR_INVALID_MESSAGE,
      "$.id: expected a string, got an object" },
    { "{\"timestamp\":\"t\",\"id\":\"a\"}", FCM_ERROR_INVALID_MESSAGE, "$.event: required" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":[]}", FCM_ERROR_INVALID_MESSAGE,
      "$.event: expected an object, got an array" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.topic\":\"x\"}}", FCM_ERROR_INVALID_MESSAGE,
      "$.event['hub.event']: required" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.event\":true}}", FCM_ERROR_INVALID_MESSAGE,
      "got a boolean" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.event\":\"x\",\"hub.topic\":[]}}",
      FCM_ERROR_INVALID_MESSAGE, "$.event['hub.topic']: expected a string" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.event\":\"x\",\"context\":\"c\"}}",
      FCM_ERROR_INVALID_MESSAGE, "$.event.context: expected an array, got a string" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.event\":\"x\",\"context\":[{},3]}}",
      FCM_ERROR_INVALID_MESSAGE, "$.event.context[1]: expected an object, got a number" },
    { "{\"timestamp\":\"t\",\"id\":\"a\",\"event\":{\"hub.event\":\"x\",\"context.versionId\":7}}",
      FCM_ERROR_INVALID_MESSAGE, "context.versionId" },
    { "{\"header\":{},\"body\":[]}", FCM_ERROR_INVALID_MESSAGE, "$.body: expected an object" },
    { "{\"header\":{},\"body\":{\"id\":\"a\"}}", FCM_ERROR_INVALID_MESSAGE,
      "$.body.timestamp: required" },
    { "{\"a\":\"\xff\xfe\"}", FCM_ERROR_INVALID_UTF8, "not valid UTF-8" },
    { "{\"a\":\"\xc3\"}", FCM_ERROR_INVALID_UTF8, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_bad (cases[i].text, -1, cases[i].code, cases[i].message);

  /* an embedded NUL */
  check_bad ("{\"a\":\"b\0\"}", 10, FCM_ERROR_INVALID_UTF8, "NUL");
  /* NULL text */
  check_bad (NULL, -1, FCM_ERROR_INVALID_JSON, NULL);
}

static void
test_event_deep_nesting (void)
{
  GString *deep = g_string_new (NULL);
  g_autofree char *ok_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = NULL;

  /* 100,000 levels would overflow json-glib's recursive parser */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  check_bad (deep->str, -1, FCM_ERROR_TOO_DEEP, "deeper than");
  g_string_free (deep, TRUE);

  /* brackets inside strings do not count */
  ok_text = g_strdup_printf ("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"%s\","
                             "\"event\":{\"hub.event\":\"x\",\"context\":[]}}",
                             "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"");
  event = fcm_event_new_from_json (ok_text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
}

/* Issue 14 item 2 and the fuzzing finding message/lone-surrogate-escape:
 * fcm_json_parse refuses what json-glib 1.6 would let through. */
static void
test_json_trailing_and_surrogates (void)
{
  static const char *bad[] = {
    "{\"a\":1}{\"id\":5}",
    "{\"a\":1} [1,{\"b\":[2]}]",
    "1[{\"a\":1},{\"b\":2}]",
    "1 2",
    "\"a\"\"b\"",
    "true,",
    "[1]]",
    "{\"id\":\"rpt-\\ud800x\"}",
    "{\"id\":\"\\udc00\"}",
    "{\"id\":\"\\uD83D\\u0041\"}",
    "{\"id\":\"\\ud83d\"}",
    "{\"id\":\"RPT-\\731\"}",
    "{\"id\":\"x\\qy\"}",
    "{\"id\":\"\\u12\"}",
    "{\"id\":\"x\\\"}",
  };
  static const char *good[] = {
    "{\"a\":1}  \r\n\t",
    "  [1, 2]\n",
    "12",
    " true ",
    "\"x\\\"}{\"",
    "{\"id\":\"\\ud83d\\ude00 \\u00e9 \\\\ud800\"}",
    "{\"id\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = fcm_json_parse (bad[i], -1, &error);

      g_assert_null (node);
      g_assert_error (error, FCM_ERROR, FCM_ERROR_INVALID_JSON);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = fcm_json_parse (good[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

static void
test_event_huge (void)
{
  gsize big = FCM_JSON_MAX_BYTES + 16;
  g_autofree char *text = g_malloc (big + 1);
  gsize n;

  /* a huge string: refused by size before parsing */
  memset (text, 'a', big);
  text[0] = '"';
  text[big - 1] = '"';
  text[big] = '\0';
  check_bad (text, -1, FCM_ERROR_TOO_LARGE, "limit");

  /* a large but allowed id (1 MiB) parses */
  {
    g_autoptr(GString) s = g_string_new ("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"");
    g_autoptr(GError) error = NULL;
    g_autoptr(FcmEvent) event = NULL;

    for (n = 0; n < 1024 * 1024; n++)
      g_string_append_c (s, 'x');
    g_string_append (s, "\",\"event\":{\"hub.event\":\"x\"}}");
    event = fcm_event_new_from_json (s->str, s->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (fcm_event_get_id (event)), ==, 1024 * 1024);
  }
}

static void
test_event_truncations (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-update-event.json",
                                              NULL);
  gsize len = strlen (text);

  /* every proper prefix of a valid event must fail cleanly */
  for (gsize cut = 0; cut + 1 < len; cut += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, cut, &error);

      g_assert_null (event);
      g_assert_nonnull (error);
    }
}

static void
test_json_helpers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fcm_json_parse ("{\"s\":\"x\",\"o\":{},\"a\":[1,\"y\"],\"i\":3,"
                                             "\"d\":2.5,\"b\":true,\"n\":null}", -1, &error);
  JsonObject *o = json_node_get_object (node);
  gint64 v = 0;
  gboolean b = FALSE;
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *id3 = NULL;
  gint64 usec;

  g_assert_no_error (error);
  g_assert_cmpstr (fcm_json_get_string (o, "s"), ==, "x");
  g_assert_null (fcm_json_get_string (o, "o"));
  g_assert_null (fcm_json_get_string (o, "missing"));
  g_assert_nonnull (fcm_json_get_object (o, "o"));
  g_assert_null (fcm_json_get_object (o, "a"));
  g_assert_nonnull (fcm_json_get_array (o, "a"));
  g_assert_null (fcm_json_get_array (o, "s"));
  g_assert_true (fcm_json_get_int (o, "i", &v) && v == 3);
  g_assert_false (fcm_json_get_int (o, "d", &v));
  g_assert_false (fcm_json_get_int (o, "s", &v));
  g_assert_true (fcm_json_get_bool (o, "b", &b) && b);
  g_assert_false (fcm_json_get_bool (o, "n", &b));
  g_assert_null (fcm_json_array_get_object (fcm_json_get_array (o, "a"), 0));
  g_assert_cmpstr (fcm_json_array_get_string (fcm_json_get_array (o, "a"), 1), ==, "y");
  g_assert_null (fcm_json_array_get_string (fcm_json_get_array (o, "a"), 9));

  id1 = fcm_json_reference_id ("Patient/p1", "Patient");
  id2 = fcm_json_reference_id ("https://fhir.example.org/r5/Patient/p2/_history/3", NULL);
  id3 = fcm_json_reference_id ("Patient/p1", "ImagingStudy");
  g_assert_cmpstr (id1, ==, "p1");
  g_assert_cmpstr (id2, ==, "p2");
  g_assert_null (id3);
  g_assert_null (fcm_json_reference_id ("nothing", NULL));

  {
    static const struct { const char *reference; const char *key; } keys[] = {
      { "Patient/p1", "Patient/p1" },
      { "/Patient/p1", "Patient/p1" },
      { "https://x/fhir/Patient/p1/_history/2", "Patient/p1" },
      { "Patient/p1/_history/2", "Patient/p1" },
      { "p1/_history/2", "_history/2" },          /* too short to be a version */
      { "Patient/p1?_elements=id", "Patient/p1" },
      { "Patient/p1/_history/2?x=/a/b", "Patient/p1" },
      { "Patient//p1", NULL },
      { "Patient/", NULL },
      { "/p1", NULL },
      { "p1", NULL },
      { "?a/b", NULL },
      { "", NULL },
      { "urn:uuid:1234", NULL },
      { "a/b/c/d/e", "d/e" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        g_autofree char *key = fcm_json_reference_key (keys[i].reference);

        if (g_strcmp0 (key, keys[i].key) != 0)
          g_error ("fcm_json_reference_key (\"%s\") = %s, expected %s", keys[i].reference,
                   key ? key : "NULL", keys[i].key ? keys[i].key : "NULL");
      }
  }

  g_assert_true (fcm_json_parse_timestamp ("2025-03-14T09:26:53Z", &usec));
  g_assert_true (fcm_json_parse_timestamp ("2025-03-14T09:26:53.5+01:00", &usec));
  g_assert_true (fcm_json_parse_timestamp ("2019-08-02T14:06:40.82", &usec)); /* no zone = UTC */
  g_assert_false (fcm_json_parse_timestamp ("2023-04-01T010:38:04.16", &usec)); /* §4.3 item 14 */
  g_assert_false (fcm_json_parse_timestamp ("yesterday", &usec));
  g_assert_false (fcm_json_parse_timestamp ("", &usec));
}

/* FcmMessage: one parse, the same tree for the kind, the event and the validator */
static void
test_message (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(FcmMessage) open = fcm_message_new (text, -1);
  g_autoptr(FcmMessage) confirmation = NULL;
  g_autoptr(FcmMessage) garbage = NULL;
  g_autoptr(FcmMessage) bad_utf8 = NULL;
  g_autoptr(FcmMessage) unusable = NULL;
  g_autoptr(FcmMessage) binary = NULL;
  g_autoptr(FcmMessage) copy = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GPtrArray) text_issues = NULL;
  FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

  fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_NOTIFICATION);

  g_assert_cmpint (fcm_message_get_kind (open), ==, FCM_MESSAGE_EVENT);
  g_assert_true (fcm_message_is_event (open));
  g_assert_cmpstr (fcm_message_get_text (open), ==, text);
  g_assert_nonnull (fcm_message_get_root (open));
  g_assert_null (fcm_message_get_error (open));
  g_assert_nonnull (fcm_message_get_event (open));
  /* the event reads the message's tree, and keeps the text as its raw form */
  g_assert_true (fcm_event_get_root (fcm_message_get_event (open)) == fcm_message_get_root (open));
  g_assert_cmpstr (fcm_event_get_raw (fcm_message_get_event (open)), ==, text);
  g_assert_cmpstr (fcm_event_get_id (fcm_message_get_event (open)), ==,
                   "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45");
  issues = fcm_validator_validate_message (validator, open, &kind);
  text_issues = fcm_validator_validate_text (validator, text, -1, NULL);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_EVENT);
  g_assert_cmpuint (issues->len, ==, text_issues->len);
  g_clear_pointer (&issues, g_ptr_array_unref);
  g_clear_pointer (&text_issues, g_ptr_array_unref);

  /* a boxed type: a copy is a reference to the same value */
  copy = g_boxed_copy (FCM_TYPE_MESSAGE, open);
  g_assert_true (copy == open);
  g_boxed_free (FCM_TYPE_MESSAGE, g_steal_pointer (&copy));

  confirmation = fcm_message_new ("{\"hub.mode\":\"subscribe\",\"hub.topic\":\"t\","
                                  "\"hub.events\":\"DiagnosticReport-open\",\"hub.lease_seconds\":60}", -1);
  g_assert_cmpint (fcm_message_get_kind (confirmation), ==, FCM_MESSAGE_CONFIRMATION);
  g_assert_false (fcm_message_is_event (confirmation));
  g_assert_null (fcm_message_get_event (confirmation));
  g_assert_null (fcm_message_get_error (confirmation));

  /* not JSON: a message all the same, and the validator's single "JSON" error */
  garbage = fcm_message_new ("not json {", -1);
  g_assert_cmpint (fcm_message_get_kind (garbage), ==, FCM_MESSAGE_UNKNOWN);
  g_assert_null (fcm_message_get_root (garbage));
  g_assert_nonnull (fcm_message_get_error (garbage));
  issues = fcm_validator_validate_message (validator, garbage, &kind);
  text_issues = fcm_validator_validate_text (validator, "not json {", -1, NULL);
  g_assert_cmpint (kind, ==, FCM_MESSAGE_UNKNOWN);
  g_assert_cmpuint (issues->len, ==, 1);
  g_assert_cmpstr (fcm_issue_get_rule_id (g_ptr_array_index (issues, 0)), ==, "JSON");
  g_assert_cmpstr (fcm_issue_get_message (g_ptr_array_index (issues, 0)), ==,
                   fcm_issue_get_message (g_ptr_array_index (text_issues, 0)));
  g_clear_pointer (&issues, g_ptr_array_unref);
  g_clear_pointer (&text_issues, g_ptr_array_unref);

  /* invalid UTF-8 is not parsed, and the text is made printable */
  bad_utf8 = fcm_message_new ("{\"id\":\"\xff\"}", -1);
  g_assert_null (fcm_message_get_root (bad_utf8));
  g_assert_true (g_error_matches (fcm_message_get_error (bad_utf8), FCM_ERROR, FCM_ERROR_INVALID_UTF8));
  g_assert_true (g_utf8_validate (fcm_message_get_text (bad_utf8), -1, NULL));

  /* shaped as an event, but not a usable one: the error says why */
  unusable = fcm_message_new ("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"id\":\"x\","
                              "\"event\":{\"hub.topic\":\"t\",\"hub.event\":7}}", -1);
  g_assert_true (fcm_message_is_event (unusable));
  g_assert_nonnull (fcm_message_get_root (unusable));
  g_assert_null (fcm_message_get_event (unusable));
  g_assert_true (g_error_matches (fcm_message_get_error (unusable), FCM_ERROR, FCM_ERROR_INVALID_MESSAGE));

  /* kept but not read (a binary WebSocket frame) */
  binary = fcm_message_new_unparsed ("{\"id\":\"x\",\"status\":200}", -1, "a binary frame");
  g_assert_cmpint (fcm_message_get_kind (binary), ==, FCM_MESSAGE_UNKNOWN);
  g_assert_null (fcm_message_get_root (binary));
  g_assert_cmpstr (fcm_message_get_error (binary)->message, ==, "a binary frame");
  g_assert_cmpstr (fcm_message_get_text (binary), ==, "{\"id\":\"x\",\"status\":200}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/event/parse/open", test_event_parse_open);
  g_test_add_func ("/fcm/event/parse/versions", test_event_versions);
  g_test_add_func ("/fcm/event/parse/tolerant", test_event_tolerant);
  g_test_add_func ("/fcm/event/parse/legacy", test_event_legacy);
  g_test_add_func ("/fcm/event/roundtrip", test_event_roundtrip);
  g_test_add_func ("/fcm/event/build", test_event_build);
  g_test_add_func ("/fcm/event/bad/table", test_event_bad_input);
  g_test_add_func ("/fcm/event/bad/deep-nesting", test_event_deep_nesting);
  g_test_add_func ("/fcm/json/trailing-and-surrogates", test_json_trailing_and_surrogates);
  g_test_add_func ("/fcm/event/bad/huge", test_event_huge);
  g_test_add_func ("/fcm/event/bad/truncated", test_event_truncations);
  g_test_add_func ("/fcm/json/helpers", test_json_helpers);
  g_test_add_func ("/fcm/message", test_message);

  return g_test_run ();
}
